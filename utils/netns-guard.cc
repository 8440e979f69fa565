/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "netns-guard.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fgsim
{

namespace
{

bool
Exists(const std::string& path)
{
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

bool
NetnsExists(const std::string& name)
{
    return Exists("/run/netns/" + name);
}

/// The alias of link \p link (in namespace \p netns, "" = this one); \p exists tells whether
/// the link is there at all.
std::string
LinkAlias(const std::string& netns, const std::string& link, bool& exists)
{
    std::vector<std::string> argv{"ip"};
    if (!netns.empty())
    {
        argv.insert(argv.end(), {"-n", netns});
    }
    argv.insert(argv.end(), {"-o", "link", "show", "dev", link});
    std::string out;
    exists = NetnsGuard::Run(argv, &out) == 0;
    if (!exists)
    {
        return "";
    }
    const auto at = out.find(" alias ");
    if (at == std::string::npos)
    {
        return "";
    }
    std::istringstream in(out.substr(at + 7));
    std::string alias;
    in >> alias;
    return alias;
}

/// Namespace, link and interface names: what `ip` accepts and no shell metacharacters.
bool
ValidName(const std::string& s, size_t maxLen)
{
    return !s.empty() && s.size() <= maxLen && s[0] != '-' &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                      c == '.';
           });
}

bool
WriteFile(const std::string& path, const std::string& text)
{
    std::ofstream f(path);
    f << text;
    return static_cast<bool>(f);
}

} // namespace

int
NetnsGuard::Run(const std::vector<std::string>& argv, std::string* out, bool quiet)
{
    int fds[2] = {-1, -1};
    if (out && ::pipe2(fds, O_CLOEXEC) != 0)
    {
        return -1;
    }
    const pid_t pid = ::fork();
    if (pid < 0)
    {
        return -1;
    }
    if (pid == 0)
    {
        if (out)
        {
            ::dup2(fds[1], 1);
            ::dup2(fds[1], 2);
        }
        else if (quiet)
        {
            const int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, 1);
            ::dup2(null, 2);
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
    if (out)
    {
        ::close(fds[1]);
        out->clear();
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fds[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
        {
            if (n > 0)
            {
                out->append(buf, n);
            }
        }
        ::close(fds[0]);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
    {
        if (errno != EINTR)
        {
            return -1;
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

NetnsGuard::NetnsGuard()
    : m_mark("fgsim-emulate:" + std::to_string(::getpid())),
      m_stateFile(std::string(kStateDir) + "/" + std::to_string(::getpid()) + ".state")
{
}

NetnsGuard::~NetnsGuard()
{
    Cleanup();
}

std::string
NetnsGuard::CheckPrivilege()
{
    if (::geteuid() != 0)
    {
        return "creating network namespaces and veth pairs needs root (CAP_NET_ADMIN and "
               "CAP_SYS_ADMIN): run it as root (sudo ./fgsim emulate ...)";
    }
    for (const char* tool : {"ip", "ethtool"})
    {
        if (Run({tool, "-V"}) == 127 && Run({tool, "--version"}) == 127)
        {
            return std::string("'") + tool + "' is not installed (./fgsim setup installs it)";
        }
    }
    if (::mkdir(kStateDir, 0700) != 0 && errno != EEXIST)
    {
        return std::string("cannot create ") + kStateDir + ": " + std::strerror(errno);
    }
    return "";
}

void
NetnsGuard::Record(const std::string& kind, const std::string& name)
{
    std::ofstream f(m_stateFile, std::ios::app);
    f << kind << " " << name << "\n";
    f.flush();
}

std::string
NetnsGuard::StartWatchdog()
{
    int fds[2];
    if (::pipe(fds) != 0)
    {
        return std::string("pipe: ") + std::strerror(errno);
    }
    // The state file exists (empty) before the watchdog: it names this run.
    if (!WriteFile(m_stateFile, ""))
    {
        return "cannot write " + m_stateFile;
    }
    const pid_t pid = ::fork();
    if (pid < 0)
    {
        return std::string("fork: ") + std::strerror(errno);
    }
    if (pid == 0)
    {
        // The watchdog: its own session (a signal to the run's process group misses it), no
        // terminal signals, none of the run's descriptors (a reader of the run's output sees
        // its end when the run ends).
        ::setsid();
        ::signal(SIGINT, SIG_IGN);
        ::signal(SIGTERM, SIG_IGN);
        ::signal(SIGHUP, SIG_IGN);
        ::signal(SIGPIPE, SIG_IGN);
        const int null = ::open("/dev/null", O_RDWR);
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::dup2(null, 2);
        for (int fd = 3; fd < 1024; ++fd)
        {
            if (fd != fds[0])
            {
                ::close(fd);
            }
        }
        char c = 0;
        bool done = false;
        ssize_t n;
        while ((n = ::read(fds[0], &c, 1)) != 0)
        {
            if (n > 0 && c == 'd')
            {
                done = true;
            }
            if (n < 0 && errno != EINTR)
            {
                break;
            }
        }
        if (!done)
        {
            CleanupFile(m_stateFile, m_mark);
        }
        ::_exit(0);
    }
    ::close(fds[0]);
    ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    m_watchdogPipe = fds[1];
    m_watchdogPid = pid;
    return "";
}

std::string
NetnsGuard::Setup(NetnsSide& side)
{
    if (!ValidName(side.netns, 64))
    {
        return "bad namespace name '" + side.netns +
               "' (letters, digits, '_', '-', '.'; at most 64; not starting with '-')";
    }
    if (!ValidName(side.rootLink, 15))
    {
        return "bad link name '" + side.rootLink + "'";
    }
    side.innerLink = kInnerLink;
    if (!NetnsExists(side.netns))
    {
        Record("netns", side.netns);
        std::string out;
        if (Run({"ip", "netns", "add", side.netns}, &out) != 0)
        {
            return "cannot create network namespace '" + side.netns + "': " + out;
        }
        side.createdNetns = true;
        Run({"ip", "-n", side.netns, "link", "set", "lo", "alias", m_mark});
    }
    Run({"ip", "-n", side.netns, "link", "set", "lo", "up"});
    bool exists = false;
    LinkAlias(side.netns, side.innerLink, exists);
    if (exists)
    {
        return "namespace '" + side.netns + "' already has a link '" + side.innerLink +
               "' (not ours: left alone; use another namespace)";
    }
    const std::string rootAlias = LinkAlias("", side.rootLink, exists);
    if (exists)
    {
        return "link '" + side.rootLink + "' already exists (alias '" + rootAlias +
               "'; not ours: left alone)";
    }
    Record("link", side.rootLink);
    std::string out;
    if (Run({"ip",
             "link",
             "add",
             side.rootLink,
             "type",
             "veth",
             "peer",
             "name",
             side.innerLink,
             "netns",
             side.netns},
            &out) != 0)
    {
        return "cannot create veth pair " + side.rootLink + "/" + side.innerLink + ": " + out;
    }
    Run({"ip", "link", "set", side.rootLink, "alias", m_mark});
    // Real checksums in every frame and no GSO/GRO super-frames: the unit reads and writes
    // frames through a packet socket, where offloaded checksums would be partial.
    const std::vector<std::string> offloads{"tx", "off", "tso", "off", "gso", "off", "gro", "off"};
    std::vector<std::string> eth{"ethtool", "-K", side.rootLink};
    eth.insert(eth.end(), offloads.begin(), offloads.end());
    if (Run(eth, &out) != 0)
    {
        return "ethtool -K " + side.rootLink + " failed: " + out;
    }
    eth = {"ip", "netns", "exec", side.netns, "ethtool", "-K", side.innerLink};
    eth.insert(eth.end(), offloads.begin(), offloads.end());
    if (Run(eth, &out) != 0)
    {
        return "ethtool -K " + side.innerLink + " in " + side.netns + " failed: " + out;
    }
    // No IPv6 chatter and no kernel ARP on the root-side end (it has no address: the unit
    // answers ARP there).
    WriteFile("/proc/sys/net/ipv6/conf/" + side.rootLink + "/disable_ipv6", "1");
    Run({"ip",
         "netns",
         "exec",
         side.netns,
         "sh",
         "-c",
         "echo 1 > /proc/sys/net/ipv6/conf/" + side.innerLink + "/disable_ipv6"});
    Run({"ip", "link", "set", side.rootLink, "arp", "off"});
    if (Run({"ip", "link", "set", side.rootLink, "up"}, &out) != 0 ||
        Run({"ip", "-n", side.netns, "link", "set", side.innerLink, "up"}, &out) != 0)
    {
        return "cannot bring the veth pair up: " + out;
    }
    if (!side.address.empty() &&
        Run({"ip", "-n", side.netns, "addr", "add", side.address, "dev", side.innerLink}, &out) !=
            0)
    {
        return "cannot address " + side.innerLink + " in " + side.netns + " as " + side.address +
               ": " + out;
    }
    if (!side.gateway.empty() && Run({"ip",
                                      "-n",
                                      side.netns,
                                      "route",
                                      "replace",
                                      "default",
                                      "via",
                                      side.gateway,
                                      "dev",
                                      side.innerLink},
                                     &out) != 0)
    {
        return "cannot set the default route via " + side.gateway + " in " + side.netns + ": " +
               out;
    }
    return "";
}

std::vector<std::string>
NetnsGuard::CleanupFile(const std::string& stateFile, const std::string& mark)
{
    std::vector<std::string> lines;
    std::vector<std::pair<std::string, std::string>> entries;
    {
        std::ifstream f(stateFile);
        std::string kind;
        std::string name;
        while (f >> kind >> name)
        {
            entries.emplace_back(kind, name);
        }
    }
    // Links first (deleting a root-side end deletes its peer), then namespaces.
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
    {
        if (it->first != "link")
        {
            continue;
        }
        bool exists = false;
        const std::string alias = LinkAlias("", it->second, exists);
        if (!exists)
        {
            continue;
        }
        if (alias != mark)
        {
            lines.push_back("left link " + it->second + " alone (alias '" + alias + "': not ours)");
            continue;
        }
        Run({"ip", "link", "del", it->second});
        lines.push_back("removed link " + it->second);
    }
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
    {
        if (it->first != "netns" || !NetnsExists(it->second))
        {
            continue;
        }
        bool exists = false;
        const std::string alias = LinkAlias(it->second, "lo", exists);
        if (alias != mark)
        {
            lines.push_back("left namespace " + it->second + " alone (not ours)");
            continue;
        }
        Run({"ip", "netns", "del", it->second});
        lines.push_back("removed namespace " + it->second);
    }
    ::unlink(stateFile.c_str());
    return lines;
}

std::vector<std::string>
NetnsGuard::Cleanup()
{
    if (m_cleaned)
    {
        return {};
    }
    m_cleaned = true;
    auto lines = CleanupFile(m_stateFile, m_mark);
    if (m_watchdogPipe >= 0)
    {
        const char d = 'd';
        if (::write(m_watchdogPipe, &d, 1) != 1)
        {
            lines.push_back("watchdog: " + std::string(std::strerror(errno)));
        }
        ::close(m_watchdogPipe);
        m_watchdogPipe = -1;
        ::waitpid(m_watchdogPid, nullptr, 0);
    }
    return lines;
}

std::vector<std::string>
NetnsGuard::CleanStale()
{
    std::vector<std::string> lines;
    DIR* d = ::opendir(kStateDir);
    if (!d)
    {
        return lines;
    }
    std::vector<std::string> files;
    while (const dirent* e = ::readdir(d))
    {
        files.emplace_back(e->d_name);
    }
    ::closedir(d);
    for (const auto& f : files)
    {
        const auto dot = f.find(".state");
        if (dot == std::string::npos || dot == 0 || dot + 6 != f.size())
        {
            continue;
        }
        const std::string pidText = f.substr(0, dot);
        if (!std::all_of(pidText.begin(), pidText.end(), ::isdigit))
        {
            continue;
        }
        const pid_t pid = static_cast<pid_t>(std::stol(pidText));
        if (::kill(pid, 0) == 0 || errno != ESRCH)
        {
            continue; // that run (or its watchdog's parent id, reused) is alive
        }
        for (auto& l : CleanupFile(std::string(kStateDir) + "/" + f, "fgsim-emulate:" + pidText))
        {
            lines.push_back("stale run " + pidText + ": " + l);
        }
    }
    return lines;
}

} // namespace fgsim
