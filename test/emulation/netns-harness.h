/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What the closed-loop tests (test/emulation) share: running commands and background programs
 * in network namespaces, the emulated FortiGate (utils/fgsim-emulate) as a child process, a
 * Linux NAT built in namespaces for comparison, and reading what crossed a link from a pcap.
 * Everything waits with generous real-time limits (a loaded 2-core CI machine) and asserts
 * outcomes only, never timings.
 */
#ifndef FGSIM_NETNS_HARNESS_H
#define FGSIM_NETNS_HARNESS_H

#include "pcap-reader.h"

#include "ns3/packet-view.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fgsim_test
{

const std::string kEmulate = FORTIGATE_BINARY_DIR "/utils/fgsim-emulate";
const std::string kConfigs = FORTIGATE_SOURCE_DIR "/examples/configs/";
const std::string kTestData = FORTIGATE_SOURCE_DIR "/test/emulation/";

/// Run \p cmd with /bin/sh; \return its exit status (-1: killed) and its output (both streams).
inline int
Sh(const std::string& cmd, std::string* out = nullptr)
{
    FILE* p = popen(("(" + cmd + ") 2>&1").c_str(), "r");
    if (!p)
    {
        return -1;
    }
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
    {
        text.append(buf, n);
    }
    const int status = pclose(p);
    if (out)
    {
        *out = text;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string
ReadText(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Why this machine cannot run the closed-loop tests ("" when it can): root, namespaces, veth.
inline std::string
NamespaceProblem()
{
    static const std::string problem = []() -> std::string {
        if (::geteuid() != 0)
        {
            return "needs root to create network namespaces (CI runs as root)";
        }
        const std::string ns = "fgsimt-probe-" + std::to_string(::getpid());
        std::string out;
        if (Sh("ip netns add " + ns, &out) != 0)
        {
            return "cannot create a network namespace: " + out;
        }
        const int veth = Sh("ip -n " + ns + " link add fgp0 type veth peer name fgp1", &out);
        Sh("ip netns del " + ns);
        if (veth != 0)
        {
            return "cannot create a veth pair: " + out;
        }
        return "";
    }();
    return problem;
}

/// \return the first of \p tools that is not installed, or "".
inline std::string
MissingTool(const std::vector<std::string>& tools)
{
    for (const auto& t : tools)
    {
        if (Sh("command -v " + t + " >/dev/null") != 0)
        {
            return t;
        }
    }
    return "";
}

/// Skip the test (with the reason) unless namespaces work and \p tools are installed.
#define FGSIM_REQUIRE(...)                                                                         \
    do                                                                                             \
    {                                                                                              \
        const std::string why_ = ::fgsim_test::NamespaceProblem();                                 \
        if (!why_.empty())                                                                         \
        {                                                                                          \
            GTEST_SKIP() << "closed-loop test skipped: " << why_;                                  \
        }                                                                                          \
        const std::string tool_ = ::fgsim_test::MissingTool({__VA_ARGS__});                        \
        if (!tool_.empty())                                                                        \
        {                                                                                          \
            GTEST_SKIP() << "closed-loop test skipped: '" << tool_                                 \
                         << "' is not installed (./fgsim setup installs it)";                      \
        }                                                                                          \
    } while (0)

/// Wait until \p ok() holds, polling every 50 ms, at most \p seconds. \return ok()
template <class F>
bool
WaitFor(F ok, double seconds)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!ok())
    {
        if (std::chrono::steady_clock::now() > end)
        {
            return ok();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

/// A program running in the background (its output in a log file); killed when destroyed.
class Background
{
  public:
    Background() = default;
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;

    ~Background()
    {
        Stop(SIGKILL, 10);
    }

    /// Start argv (no shell) with stdout and stderr to \p log, in folder \p cwd when given.
    void Start(const std::vector<std::string>& argv,
               const std::string& log,
               const std::string& cwd = "")
    {
        m_log = log;
        std::ofstream(log, std::ios::trunc).close(); // no old output is read as this run's
        m_pid = ::fork();
        if (m_pid == 0)
        {
            ::setpgid(0, 0);
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            const int null = ::open("/dev/null", O_RDONLY);
            ::dup2(null, 0);
            if (!cwd.empty() && ::chdir(cwd.c_str()) != 0)
            {
                ::_exit(126);
            }
            std::vector<char*> args;
            for (const auto& a : argv)
            {
                args.push_back(const_cast<char*>(a.c_str()));
            }
            args.push_back(nullptr);
            ::execvp(args[0], args.data());
            ::_exit(127);
        }
    }

    /// \return true while it runs
    bool Running()
    {
        if (m_pid <= 0)
        {
            return false;
        }
        int status = 0;
        const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
        if (r == m_pid)
        {
            m_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            m_pid = -1;
            return false;
        }
        return r == 0;
    }

    /// Wait for it to end by itself, at most \p seconds (then SIGKILL). \return exit status
    int Wait(double seconds)
    {
        if (!WaitFor([this] { return !Running(); }, seconds))
        {
            Stop(SIGKILL, 10);
        }
        return m_status;
    }

    /// Send \p sig (to its process group) and wait at most \p seconds. \return exit status
    int Stop(int sig, double seconds)
    {
        if (m_pid > 0 && Running())
        {
            ::kill(-m_pid, sig);
            ::kill(m_pid, sig);
            if (!WaitFor([this] { return !Running(); }, seconds) && m_pid > 0)
            {
                ::kill(-m_pid, SIGKILL);
                ::waitpid(m_pid, nullptr, 0);
                m_pid = -1;
            }
        }
        return m_status;
    }

    /// \return what it printed so far
    std::string Output() const
    {
        return ReadText(m_log);
    }

    pid_t Pid() const
    {
        return m_pid;
    }

  private:
    pid_t m_pid{-1};
    int m_status{-1};
    std::string m_log;
};

/// A per-test temporary folder (removed at the end unless FGSIM_KEEP_TMP is set).
class TempDir
{
  public:
    explicit TempDir(const std::string& name)
        : m_path(::testing::TempDir() + "/fgsim-" + name + "-" + std::to_string(::getpid()))
    {
        Sh("rm -rf " + m_path + " && mkdir -p " + m_path + " && chmod 755 " + m_path);
    }

    ~TempDir()
    {
        if (!std::getenv("FGSIM_KEEP_TMP"))
        {
            Sh("rm -rf " + m_path);
        }
    }

    const std::string& Path() const
    {
        return m_path;
    }

    std::string operator/(const std::string& f) const
    {
        return m_path + "/" + f;
    }

  private:
    std::string m_path;
};

/// Namespace names unique to this test process.
inline std::string
NsName(const std::string& role)
{
    return "fgsimt-" + std::to_string(::getpid() % 100000) + "-" + role;
}

/// The emulated FortiGate between namespaces \p inside and \p outside, running until Stop().
class Emulation
{
  public:
    /// Start fgsim-emulate with \p configs; wait until it runs. Fails the test if it does not.
    void Start(const std::vector<std::string>& configs,
               const std::string& inside,
               const std::string& outside,
               const std::string& pcapPrefix,
               const std::vector<std::string>& extra = {})
    {
        std::vector<std::string> argv{kEmulate};
        for (const auto& c : configs)
        {
            argv.insert(argv.end(), {"--config", c});
        }
        argv.insert(argv.end(), {"--inside", inside, "--outside", outside});
        if (!pcapPrefix.empty())
        {
            argv.insert(argv.end(), {"--pcap", pcapPrefix});
        }
        argv.insert(argv.end(), extra.begin(), extra.end());
        static int runs = 0;
        m_proc.Start(argv,
                     pcapPrefix.empty()
                         ? ::testing::TempDir() + "/emulate-" + std::to_string(::getpid()) + "-" +
                               std::to_string(++runs) + ".log"
                         : pcapPrefix + ".log");
        m_running = WaitFor(
            [this] {
                return Output().find("emulate: running") != std::string::npos || !m_proc.Running();
            },
            60);
        ASSERT_NE(Output().find("emulate: running"), std::string::npos) << Output();
    }

    /// Stop with SIGTERM (the run prints its report and cleans up). \return its output
    std::string Stop()
    {
        const int rc = m_proc.Stop(SIGTERM, 60);
        EXPECT_EQ(rc, 0) << Output();
        return Output();
    }

    std::string Output() const
    {
        return m_proc.Output();
    }

    Background& Process()
    {
        return m_proc;
    }

  private:
    Background m_proc;
    bool m_running{false};
};

/// One IPv4 packet of a pcap, parsed.
struct Seen
{
    std::vector<uint8_t> ip; //!< the IPv4 packet
    ns3::PacketView v;       //!< its view
    std::string payload;     //!< its L4 payload

    uint32_t Src() const
    {
        return v.tuple.src;
    }
};

/// The IPv4 packets of a capture (Ethernet or raw), in order; empty when it cannot be read.
inline std::vector<Seen>
ReadSeen(const std::string& path)
{
    std::vector<Seen> out;
    ns3::CaptureFile f;
    try
    {
        f = ns3::ReadCaptureFile(path);
    }
    catch (const std::exception&)
    {
        return out;
    }
    for (const auto& r : f.records)
    {
        const ns3::LinkPayload lp = ns3::FindIpv4(r.linkType, r.data.data(), r.data.size());
        if (lp.kind != ns3::LinkPayload::IPV4)
        {
            continue;
        }
        Seen s;
        s.ip.assign(r.data.begin() + lp.offset, r.data.end());
        if (s.ip.size() < 20)
        {
            continue;
        }
        const size_t total = (s.ip[2] << 8) | s.ip[3];
        s.ip.resize(std::min(s.ip.size(), total));
        if (!ns3::ParseIpv4Packet(s.ip.data(), s.ip.size(), s.v))
        {
            continue;
        }
        const size_t off = (s.ip[0] & 0x0f) * 4u + s.v.l4HeaderSize;
        if (off <= s.ip.size())
        {
            s.payload.assign(s.ip.begin() + off, s.ip.end());
        }
        out.push_back(std::move(s));
    }
    return out;
}

/// Dotted quad to host order.
inline uint32_t
Addr(const std::string& s)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    std::sscanf(s.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d);
    return (a << 24) | (b << 16) | (c << 8) | d;
}

} // namespace fgsim_test

#endif // FGSIM_NETNS_HARNESS_H
