/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FGSIM_NETNS_GUARD_H
#define FGSIM_NETNS_GUARD_H

// The network namespaces and veth pairs of one `fgsim emulate` run: created with `ip`, marked as
// ours, recorded in a state file, and removed at the end, also when the process is killed.
//
// Ownership. Every object the run creates is marked before it is recorded: a veth's root-side
// end gets the interface alias "fgsim-emulate:<pid>", a namespace it creates gets the same alias
// on its loopback device. Cleanup deletes an object only when it is listed in the run's state
// file AND still carries the run's mark, so a namespace or link of the same name that someone
// else made (before the run, or after a crash) is never deleted.
//
// Killed runs. The state file /run/fgsim-emulate/<pid>.state lists what was created, line by
// line, before it is used. A watchdog process (forked before anything is created, in its own
// session so a signal to the run's process group does not reach it) waits on a pipe; when the
// run ends without saying it cleaned up (SIGKILL, crash), the watchdog cleans up from the state
// file. Every start also cleans up after runs whose process is gone (a watchdog killed too).

#include <string>
#include <vector>

namespace fgsim
{

/// One side of the unit: a namespace with a veth pair into it.
struct NetnsSide
{
    std::string netns;     //!< namespace name
    std::string address;   //!< namespace-side address "A.B.C.D/P" ("" = leave as it is)
    std::string gateway;   //!< default route of the namespace ("" = none)
    std::string rootLink;  //!< root-side veth end (the emulated port opens it)
    std::string innerLink; //!< namespace-side veth end
    bool createdNetns{false};
};

/// Creates and removes the namespaces and veth pairs of one run.
class NetnsGuard
{
  public:
    /// State folder (one file per run).
    static constexpr const char* kStateDir = "/run/fgsim-emulate";
    /// Name of the veth end inside each namespace.
    static constexpr const char* kInnerLink = "fgsim0";

    NetnsGuard();
    ~NetnsGuard();
    NetnsGuard(const NetnsGuard&) = delete;
    NetnsGuard& operator=(const NetnsGuard&) = delete;

    /// \return "" when this process may create namespaces and links, else why not
    static std::string CheckPrivilege();

    /// Remove what runs whose process is gone left behind. \return lines describing it
    static std::vector<std::string> CleanStale();

    /// Start the watchdog (before Setup). \return "" or the error
    std::string StartWatchdog();

    /**
     * Create (or reuse) \p side's namespace, a veth pair into it named \p rootLink / kInnerLink,
     * the namespace-side address and default route, offloads off on both ends (real checksums
     * on every frame, no GSO super-frames), IPv6 off on both ends.
     * \return "" or the error (what was created so far stays recorded for Cleanup)
     */
    std::string Setup(NetnsSide& side);

    /// Remove everything this run created (marked and recorded). Idempotent.
    /// \return lines describing what was removed or left (not ours)
    std::vector<std::string> Cleanup();

    /// \return the mark of this run ("fgsim-emulate:<pid>")
    const std::string& Mark() const
    {
        return m_mark;
    }

    /// Run a program with arguments (no shell). \return its exit status (-1: could not run)
    /// \param out when not null, receives its standard output
    static int Run(const std::vector<std::string>& argv,
                   std::string* out = nullptr,
                   bool quiet = true);

  private:
    void Record(const std::string& kind, const std::string& name);
    static std::vector<std::string> CleanupFile(const std::string& stateFile,
                                                const std::string& mark);

    std::string m_mark;      //!< this run's ownership mark
    std::string m_stateFile; //!< this run's state file
    int m_watchdogPipe{-1};  //!< write end: closing it without "done" makes the watchdog clean
    int m_watchdogPid{-1};   //!< the watchdog process
    bool m_cleaned{false};
};

} // namespace fgsim

#endif // FGSIM_NETNS_GUARD_H
