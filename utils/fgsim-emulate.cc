/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// fgsim-emulate: a simulated FortiGate between two network namespaces, in real time (what
// `./fgsim emulate` runs).
//
//   fgsim-emulate --config FILE [--config FILE...] --inside NAME[:ADDR/PREFIX]
//                 --outside NAME[:ADDR/PREFIX] [--duration S] [--pcap PREFIX]
//                 [--inside-port port1] [--outside-port wan1] [--lag-threshold-ms 10]
//   fgsim-emulate --cleanup
//
// The FortiGate is the same FortiGateNode as in simulation (FortiGateHelper, the same
// configuration text, helpers, CLI and traces), on a node whose two ports are FdNetDevices on
// the root-side ends of two veth pairs; the other ends are in the namespaces, addressed as given
// with a default route through the unit's address on that subnet. ns-3 runs under
// RealtimeSimulatorImpl (best effort), so the CPU model's delays are real delays. See
// doc/emulation.md for why EmuFdNetDevice-style packet sockets rather than TapBridge.
//
// Output: `emulate: running ...` once frames flow, lag warnings while running, and at the end
// (duration, SIGINT, SIGTERM) `diagnose sys session list`, `diagnose sys session stat`, the
// per-port frame counters, the lag summary, a `summary:` line, and what cleanup removed.
// Exit status: 0 after a run, 1 configuration rejected, 2 bad arguments, 3 cannot set up
// (privilege, names in use, packet sockets).

#include "netns-guard.h"

#include "ns3/boolean.h"
#include "ns3/config-error.h"
#include "ns3/fd-net-device-helper.h"
#include "ns3/fd-net-device.h"
#include "ns3/fortigate-config.h"
#include "ns3/fortigate-helper.h"
#include "ns3/fortigate-node.h"
#include "ns3/fortios-cli.h"
#include "ns3/global-value.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/realtime-simulator-impl.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("FgsimEmulate");

namespace
{

const char* const USAGE =
    "usage: fgsim-emulate --config FILE [--config FILE...] --inside NAME[:ADDR/PREFIX]\n"
    "                     --outside NAME[:ADDR/PREFIX] [--duration S] [--pcap PREFIX]\n"
    "                     [--inside-port port1] [--outside-port wan1] [--lag-threshold-ms MS]\n"
    "       fgsim-emulate --cleanup\n"
    "Runs a simulated FortiGate in real time between two network namespaces (created when they\n"
    "do not exist, removed at the end when created). Each namespace gets a veth pair into the\n"
    "unit's port, its address (default: the unit's address on that subnet + 1) and a default\n"
    "route through the unit. Stops after --duration seconds, or at SIGINT/SIGTERM, and prints\n"
    "`diagnose sys session list`, the counters and how far the simulator fell behind real time.\n"
    "  --config FILE       FortiOS CLI (config system interface: the two ports need `set ip`)\n"
    "  --inside NAME[:A/P] namespace on the inside port (default port1)\n"
    "  --outside NAME[:A/P] namespace on the outside port (default wan1)\n"
    "  --duration S        stop after S seconds (default: run until SIGINT/SIGTERM)\n"
    "  --pcap PREFIX       write PREFIX-<port>.pcap for each port (frames as the unit saw them)\n"
    "  --lag-threshold-ms  lag above which a sample counts as behind (default 10)\n"
    "  --cleanup           remove what runs that were killed left behind, and exit\n";

/// Parsed arguments.
struct Options
{
    std::vector<std::string> configs;
    std::string inside;
    std::string outside;
    std::string insidePort{"port1"};
    std::string outsidePort{"wan1"};
    double duration{0};
    std::string pcap;
    double lagThresholdMs{10.0};
    bool cleanup{false};
};

std::atomic<int> g_signal{0};

void
OnSignal(int sig)
{
    g_signal = sig;
}

std::string
ParseArgs(int argc, char** argv, Options& o)
{
    for (int i = 1; i < argc; ++i)
    {
        const std::string a = argv[i];
        auto value = [&](std::string& out) -> bool {
            if (i + 1 >= argc)
            {
                return false;
            }
            out = argv[++i];
            return true;
        };
        std::string v;
        if (a == "--cleanup")
        {
            o.cleanup = true;
        }
        else if (a == "--config" || a == "--inside" || a == "--outside" || a == "--duration" ||
                 a == "--pcap" || a == "--inside-port" || a == "--outside-port" ||
                 a == "--lag-threshold-ms")
        {
            if (!value(v))
            {
                return a + " needs a value";
            }
            if (a == "--config")
            {
                o.configs.push_back(v);
            }
            else if (a == "--inside")
            {
                o.inside = v;
            }
            else if (a == "--outside")
            {
                o.outside = v;
            }
            else if (a == "--pcap")
            {
                o.pcap = v;
            }
            else if (a == "--inside-port")
            {
                o.insidePort = v;
            }
            else if (a == "--outside-port")
            {
                o.outsidePort = v;
            }
            else
            {
                char* end = nullptr;
                const double d = std::strtod(v.c_str(), &end);
                if (!end || *end || !(d > 0) || d > 1e7)
                {
                    return a + ": '" + v + "' is not a positive number";
                }
                (a == "--duration" ? o.duration : o.lagThresholdMs) = d;
            }
        }
        else
        {
            return "unknown argument '" + a + "'";
        }
    }
    if (o.cleanup)
    {
        return "";
    }
    if (o.configs.empty())
    {
        return "no --config FILE given";
    }
    if (o.inside.empty() || o.outside.empty())
    {
        return "both --inside NAME[:ADDR/PREFIX] and --outside NAME[:ADDR/PREFIX] are needed";
    }
    return "";
}

std::string
Ip(uint32_t a)
{
    std::ostringstream s;
    s << (a >> 24) << "." << ((a >> 16) & 255) << "." << ((a >> 8) & 255) << "." << (a & 255);
    return s.str();
}

/**
 * Parse `NAME[:ADDR/PREFIX]` for the side on config interface \p intf. Fills \p side (namespace,
 * address, gateway = the unit's address). \return "" or the error.
 */
std::string
ParseSide(const std::string& flag,
          const std::string& text,
          const InterfaceConfig& intf,
          fgsim::NetnsSide& side)
{
    const auto colon = text.find(':');
    side.netns = text.substr(0, colon);
    const uint32_t mask = intf.mask;
    const int prefix = MaskPrefixLength(mask);
    uint32_t addr = 0;
    if (colon == std::string::npos)
    {
        addr = intf.ip + 1;
        if ((addr & mask) != (intf.ip & mask) || (addr | mask) == 0xffffffff)
        {
            addr = (intf.ip & mask) + 1;
        }
    }
    else
    {
        const std::string a = text.substr(colon + 1);
        const auto slash = a.find('/');
        in_addr ia{};
        char* end = nullptr;
        const long p =
            slash == std::string::npos ? -1 : std::strtol(a.c_str() + slash + 1, &end, 10);
        if (slash == std::string::npos ||
            inet_pton(AF_INET, a.substr(0, slash).c_str(), &ia) != 1 || !end || *end || p != prefix)
        {
            return flag + " " + text + ": expected NAME:A.B.C.D/" + std::to_string(prefix) +
                   " (an address on " + intf.name + "'s subnet " + Ip(intf.ip & mask) + "/" +
                   std::to_string(prefix) + ")";
        }
        addr = ntohl(ia.s_addr);
    }
    if ((addr & mask) != (intf.ip & mask) || addr == intf.ip || (addr | mask) == 0xffffffff ||
        (addr & ~mask) == 0)
    {
        return flag + " " + text + ": " + Ip(addr) + " is not a free host address on " + intf.name +
               "'s subnet " + Ip(intf.ip & mask) + "/" + std::to_string(prefix) + " (the unit is " +
               Ip(intf.ip) + ")";
    }
    side.address = Ip(addr) + "/" + std::to_string(prefix);
    side.gateway = Ip(intf.ip);
    return "";
}

/// A packet socket on \p link (promiscuous, not seeing its own frames). \return fd or -1.
int
OpenPacketSocket(const std::string& link, std::string& err)
{
    const unsigned ifIndex = if_nametoindex(link.c_str());
    if (ifIndex == 0)
    {
        err = "no link " + link;
        return -1;
    }
    const int fd = ::socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0)
    {
        err = std::string("packet socket: ") + std::strerror(errno);
        return -1;
    }
    sockaddr_ll ll{};
    ll.sll_family = AF_PACKET;
    ll.sll_protocol = htons(ETH_P_ALL);
    ll.sll_ifindex = static_cast<int>(ifIndex);
    packet_mreq mr{};
    mr.mr_ifindex = static_cast<int>(ifIndex);
    mr.mr_type = PACKET_MR_PROMISC;
    const int one = 1;
    const int rcvbuf = 8 << 20;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&ll), sizeof(ll)) != 0 ||
        ::setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) != 0)
    {
        err = "bind packet socket to " + link + ": " + std::strerror(errno);
        ::close(fd);
        return -1;
    }
    ::setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
    // Frames of other links queued before bind.
    char buf[2048];
    while (::recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
    {
    }
    return fd;
}

/// Frames dropped by the kernel before the unit read them (packet socket receive buffer full).
uint64_t
KernelDrops(int fd)
{
    tpacket_stats st{};
    socklen_t len = sizeof(st);
    if (::getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0)
    {
        return 0;
    }
    return st.tp_drops; // reading resets the kernel's counters: callers add up
}

/// Trace sink: count a frame.
void
CountFrame(uint64_t* n, Ptr<const Packet>)
{
    ++*n;
}

/// One emulated port.
struct Port
{
    std::string name;
    fgsim::NetnsSide side;
    int fd{-1};
    Ptr<FdNetDevice> dev;
    uint64_t rxFrames{0};
    uint64_t txFrames{0};
    uint64_t rxDrops{0};     //!< FdNetDevice: receive queue full / not for us
    uint64_t kernelDrops{0}; //!< packet socket: buffer full
};

/// How far the simulator is behind the wall clock, sampled every 10 ms.
struct LagMonitor
{
    Ptr<RealtimeSimulatorImpl> impl;
    Time threshold;
    uint64_t samples{0};
    uint64_t behind{0};   //!< samples over the threshold
    uint64_t episodes{0}; //!< runs of consecutive samples over the threshold
    bool inEpisode{false};
    Time max;
    double sumMs{0};
    std::vector<Port>* ports{nullptr};
    Time nextLine; //!< when the next per-second line is due
    uint64_t secondBehind{0};
    uint64_t secondSamples{0};
    Time secondMax;

    void Sample()
    {
        const Time lag = impl->RealtimeNow() - Simulator::Now();
        ++samples;
        sumMs += lag.GetSeconds() * 1e3;
        max = std::max(max, lag);
        if (lag > threshold)
        {
            ++behind;
            if (!inEpisode)
            {
                inEpisode = true;
                ++episodes;
            }
        }
        else
        {
            inEpisode = false;
        }
        // At most one line a second: how often and how far behind in that second.
        if (lag > threshold)
        {
            ++secondBehind;
            secondMax = std::max(secondMax, lag);
        }
        if (Simulator::Now() >= nextLine)
        {
            if (secondBehind)
            {
                std::cout << "lag: t=" << std::fixed << std::setprecision(0)
                          << Simulator::Now().GetSeconds() << " s: behind real time in "
                          << secondBehind << " of the last " << secondSamples << " samples, up to "
                          << std::setprecision(1) << secondMax.GetSeconds() * 1e3 << " ms"
                          << std::endl;
            }
            secondBehind = 0;
            secondSamples = 0;
            secondMax = Time(0);
            nextLine = Simulator::Now() + Seconds(1);
        }
        ++secondSamples;
        for (auto& p : *ports)
        {
            p.kernelDrops += KernelDrops(p.fd);
        }
        if (g_signal)
        {
            Simulator::Stop();
            return;
        }
        Simulator::Schedule(MilliSeconds(10), &LagMonitor::Sample, this);
    }
};

std::string
ReadFile(const std::string& path, bool& ok)
{
    std::ifstream in(path);
    std::stringstream s;
    ok = static_cast<bool>(in);
    if (ok)
    {
        s << in.rdbuf();
    }
    return s.str();
}

int
Emulate(const Options& opt,
        const FortiGateConfig& cfg,
        std::vector<Port>& ports,
        fgsim::NetnsGuard& guard)
{
    GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::RealtimeSimulatorImpl"));
    // Real kernels check every checksum.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    Ptr<Node> node = CreateObject<Node>();
    InternetStackHelper stack;
    stack.Install(node);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    FdNetDeviceHelper fdHelper;
    std::vector<std::string> names;
    for (size_t i = 0; i < ports.size(); ++i)
    {
        Port& p = ports[i];
        std::string err;
        p.fd = OpenPacketSocket(p.side.rootLink, err);
        if (p.fd < 0)
        {
            std::cerr << "fgsim-emulate: " << err << "\n";
            return 3;
        }
        p.dev = DynamicCast<FdNetDevice>(fdHelper.Install(node).Get(0));
        p.dev->SetFileDescriptor(p.fd);
        // Locally administered, one per port and run.
        uint8_t mac[6] = {0x02,
                          0xf6,
                          static_cast<uint8_t>(::getpid() >> 16),
                          static_cast<uint8_t>(::getpid() >> 8),
                          static_cast<uint8_t>(::getpid()),
                          static_cast<uint8_t>(i + 1)};
        Mac48Address m;
        m.CopyFrom(mac);
        p.dev->SetAddress(m);
        const auto& intf = cfg.Interfaces()[cfg.FindInterface(p.name)];
        const int32_t ipIf = ipv4->AddInterface(p.dev);
        ipv4->AddAddress(ipIf, Ipv4InterfaceAddress(Ipv4Address(intf.ip), Ipv4Mask(intf.mask)));
        ipv4->SetUp(ipIf);
        names.push_back(p.name);
        p.dev->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&CountFrame, &p.rxFrames));
        p.dev->TraceConnectWithoutContext("MacTx", MakeBoundCallback(&CountFrame, &p.txFrames));
        for (const char* t : {"MacRxDrop", "PhyRxDrop"})
        {
            p.dev->TraceConnectWithoutContext(t, MakeBoundCallback(&CountFrame, &p.rxDrops));
        }
        if (!opt.pcap.empty())
        {
            fdHelper.EnablePcap(opt.pcap + "-" + p.name + ".pcap", p.dev, true, true);
        }
    }

    FortiGateHelper fgt;
    fgt.SetInterfaceNames(names);
    fgt.SetConfig(cfg);
    Ptr<FortiGateNode> fg = fgt.Install(node);
    bool haveDefault = false;
    for (const auto& r : cfg.StaticRoutes())
    {
        haveDefault = haveDefault ||
                      (r.mask == 0 && (r.device == ports[0].name || r.device == ports[1].name));
    }
    if (!haveDefault)
    {
        Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->AddNetworkRouteTo(
            Ipv4Address::GetZero(),
            Ipv4Mask::GetZero(),
            ipv4->GetInterfaceForDevice(ports[1].dev));
    }

    LagMonitor lag;
    lag.impl = DynamicCast<RealtimeSimulatorImpl>(Simulator::GetImplementation());
    lag.threshold = MicroSeconds(static_cast<int64_t>(opt.lagThresholdMs * 1000));
    lag.ports = &ports;
    Simulator::Schedule(MilliSeconds(1), [&]() {
        std::cout << "emulate: running: " << ports[0].side.netns << " (" << ports[0].side.address
                  << ") -- " << ports[0].name << " [FortiGate] " << ports[1].name << " -- "
                  << ports[1].side.netns << " (" << ports[1].side.address << ")" << std::endl;
        lag.Sample();
    });
    if (opt.duration > 0)
    {
        Simulator::Stop(Seconds(opt.duration));
    }

    struct sigaction sa
    {
    };

    sa.sa_handler = OnSignal;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGHUP, &sa, nullptr);
    Simulator::Run();
    const double ran = Simulator::Now().GetSeconds();
    std::cout << "emulate: stopped after " << std::fixed << std::setprecision(2) << ran << " s ("
              << (g_signal == SIGINT    ? "SIGINT"
                  : g_signal == SIGTERM ? "SIGTERM"
                  : g_signal == SIGHUP  ? "SIGHUP"
                                        : "duration")
              << ")\n";
    std::cout << "# diagnose sys session list\n" << fg->Diagnose("diagnose sys session list");
    std::cout << "# diagnose sys session stat\n" << fg->Diagnose("diagnose sys session stat");
    uint64_t dropped = 0;
    for (int r = 0; r < FortiGateNode::DROP_REASON_COUNT; ++r)
    {
        const auto n = fg->GetDropCount(static_cast<FortiGateNode::DropReason>(r));
        dropped += n;
        if (n)
        {
            std::cout << "drop "
                      << FortiGateNode::DropReasonName(static_cast<FortiGateNode::DropReason>(r))
                      << ": " << n << "\n";
        }
    }
    uint64_t rx = 0;
    uint64_t kernelDrops = 0;
    for (auto& p : ports)
    {
        p.kernelDrops += KernelDrops(p.fd);
        rx += p.rxFrames;
        kernelDrops += p.kernelDrops;
        std::cout << "port " << p.name << " (" << p.side.rootLink << "): rx_frames=" << p.rxFrames
                  << " tx_frames=" << p.txFrames << " rx_dropped=" << p.rxDrops
                  << " kernel_dropped=" << p.kernelDrops << "\n";
    }
    const double meanMs = lag.samples ? lag.sumMs / lag.samples : 0;
    std::cout << std::setprecision(3) << "lag: samples=" << lag.samples << " behind=" << lag.behind
              << " (over " << opt.lagThresholdMs << " ms) episodes=" << lag.episodes
              << " max_ms=" << lag.max.GetSeconds() * 1e3 << " mean_ms=" << meanMs << "\n";
    std::cout << "summary: seconds=" << std::setprecision(2) << ran << " rx_frames=" << rx
              << " forwarded=" << fg->GetForwardedCount() << " dropped=" << dropped
              << " sessions=" << fg->GetSessionTable().Size() << " kernel_dropped=" << kernelDrops
              << " lag_max_ms=" << std::setprecision(3) << lag.max.GetSeconds() * 1e3
              << " lag_behind=" << lag.behind << " lag_episodes=" << lag.episodes << std::endl;
    Simulator::Destroy();
    for (const auto& l : guard.Cleanup())
    {
        std::cout << "cleanup: " << l << "\n";
    }
    return 0;
}

} // namespace

int
main(int argc, char** argv)
{
    Options opt;
    for (int i = 1; i < argc; ++i)
    {
        if (std::string(argv[i]) == "-h" || std::string(argv[i]) == "--help")
        {
            std::cout << USAGE;
            return 0;
        }
    }
    std::string err = ParseArgs(argc, argv, opt);
    if (!err.empty())
    {
        std::cerr << "fgsim-emulate: " << err << "\n" << USAGE;
        return 2;
    }
    err = fgsim::NetnsGuard::CheckPrivilege();
    if (!err.empty())
    {
        std::cerr << "fgsim-emulate: " << err << "\n";
        return 3;
    }
    for (const auto& l : fgsim::NetnsGuard::CleanStale())
    {
        std::cout << "cleanup: " << l << "\n";
    }
    if (opt.cleanup)
    {
        return 0;
    }

    FortiGateConfig cfg;
    FortiOsCli cli([](const std::string&) { return std::string(); });
    for (const auto& f : opt.configs)
    {
        bool ok = false;
        const std::string text = ReadFile(f, ok);
        if (!ok)
        {
            std::cerr << "fgsim-emulate: " << f << ": cannot open\n";
            return 2;
        }
        const FortiOsCli::Result r = cli.Execute(cfg, text);
        if (!r.ok)
        {
            std::cerr << f << ": " << r.error << "\n"
                      << "fgsim-emulate: " << f << ": configuration rejected\n";
            return 1;
        }
    }
    std::vector<Port> ports(2);
    ports[0].name = opt.insidePort;
    ports[1].name = opt.outsidePort;
    const std::string flags[2] = {"--inside", "--outside"};
    const std::string texts[2] = {opt.inside, opt.outside};
    for (int i = 0; i < 2; ++i)
    {
        const int idx = cfg.FindInterface(ports[i].name);
        if (idx < 0 || cfg.Interfaces()[idx].ip == 0)
        {
            std::cerr << "fgsim-emulate: the configuration has no interface '" << ports[i].name
                      << "' with an address (config system interface / edit \"" << ports[i].name
                      << "\" / set ip A.B.C.D M.M.M.M)\n";
            return 1;
        }
        err = ParseSide(flags[i], texts[i], cfg.Interfaces()[idx], ports[i].side);
        if (!err.empty())
        {
            std::cerr << "fgsim-emulate: " << err << "\n";
            return 2;
        }
        ports[i].side.rootLink = "fge" + std::to_string(::getpid()) + (i ? "-o" : "-i");
    }
    if (ports[0].side.netns == ports[1].side.netns)
    {
        std::cerr << "fgsim-emulate: --inside and --outside name the same namespace '"
                  << ports[0].side.netns << "'\n";
        return 2;
    }

    fgsim::NetnsGuard guard;
    err = guard.StartWatchdog();
    for (auto& p : ports)
    {
        if (err.empty())
        {
            err = guard.Setup(p.side);
        }
    }
    if (!err.empty())
    {
        std::cerr << "fgsim-emulate: " << err << "\n";
        for (const auto& l : guard.Cleanup())
        {
            std::cout << "cleanup: " << l << "\n";
        }
        return 3;
    }
    int rc;
    try
    {
        rc = Emulate(opt, cfg, ports, guard);
    }
    catch (const ConfigError& e)
    {
        std::cerr << "fgsim-emulate: configuration: " << e.what() << "\n";
        rc = 1;
    }
    for (const auto& l : guard.Cleanup())
    {
        std::cout << "cleanup: " << l << "\n";
    }
    return rc;
}
