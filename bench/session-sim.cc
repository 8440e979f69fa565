/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * fortigate-sessionsim: many UDP sessions through a FortiGate in one simulation, and what they
 * cost in memory.
 *
 *   client --p2p 100Gbps-- FortiGate (CPU costs zero, one accept policy, no NAT) --p2p-- sink
 *
 * The client puts --sessions UDP datagrams on its link at --rate per second, each of its own
 * flow (source 10.1.0.0 + i / 50000, port 10000 + i % 50000), straight onto its device (no
 * socket: the client costs little). The sink node has no IP stack and drops what arrives. The
 * sessions are then held idle until the UDP timeout (180 s) expires them all.
 *
 * Prints `name: value` lines: sessions_sim_count (sessions in the table when the last datagram
 * has passed), sessions_sim_heap_bytes_per_session (heap growth from before the first datagram
 * to then, divided by the sessions), sessions_sim_rss_bytes_per_session (the same with the
 * resident set size), sessions_sim_peak_rss_mib, sessions_sim_after_expiry (sessions left once
 * the timeout has passed: 0), sessions_sim_cpu_s, and _ok lines for the targets (230 B/session,
 * 24 GiB).
 * Long with the default 10 million: run it alone and niced (it is not part of `./fgsim bench`
 * unless FGSIM_BENCH_SESSIONS is set).
 */

#include "ns3/core-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <malloc.h>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("FortiGateSessionSim");

namespace
{

/// Heap bytes in use (small-block arena plus mmap'd blocks).
size_t
HeapInUse()
{
    const struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/// \return a /proc/self/status field in KiB (VmRSS, VmHWM), 0 when absent
uint64_t
StatusKiB(const char* field)
{
    FILE* f = std::fopen("/proc/self/status", "r");
    if (!f)
    {
        return 0;
    }
    char line[256];
    uint64_t v = 0;
    const size_t n = std::strlen(field);
    while (std::fgets(line, sizeof(line), f))
    {
        if (std::strncmp(line, field, n) == 0 && line[n] == ':')
        {
            v = std::strtoull(line + n + 1, nullptr, 10);
            break;
        }
    }
    std::fclose(f);
    return v;
}

struct Flood
{
    Ptr<NetDevice> dev;
    Ipv4Address dst;
    uint64_t total{0};
    uint64_t sent{0};
    Time gap;
    uint32_t batch{1};

    /// Sends the next \c batch datagrams, then schedules itself (one pending event at a time).
    void Next()
    {
        for (uint32_t k = 0; k < batch && sent < total; ++k, ++sent)
        {
            const uint32_t i = static_cast<uint32_t>(sent);
            Ptr<Packet> p = Create<Packet>(16);
            UdpHeader u;
            u.SetSourcePort(static_cast<uint16_t>(10000 + i % 50000));
            u.SetDestinationPort(9000);
            p->AddHeader(u);
            Ipv4Header h;
            h.SetSource(Ipv4Address(0x0a010000u + i / 50000));
            h.SetDestination(dst);
            h.SetProtocol(UdpL4Protocol::PROT_NUMBER);
            h.SetPayloadSize(p->GetSize());
            h.SetTtl(64);
            h.SetIdentification(static_cast<uint16_t>(i));
            p->AddHeader(h);
            dev->Send(p, dev->GetBroadcast(), Ipv4L3Protocol::PROT_NUMBER);
        }
        if (sent < total)
        {
            Simulator::Schedule(gap * batch, &Flood::Next, this);
        }
    }
};

} // namespace

int
main(int argc, char* argv[])
{
    uint64_t sessions = 10000000;
    double rate = 1000000;
    CommandLine cmd(__FILE__);
    cmd.AddValue("sessions", "UDP flows (sessions) to create", sessions);
    cmd.AddValue("rate", "new flows per second", rate);
    cmd.Parse(argc, argv);
    if (sessions == 0 || sessions > 50000ULL * 60000ULL || rate <= 0 || rate > 1e8)
    {
        std::fprintf(stderr, "fortigate-sessionsim: bad arguments (see --help)\n");
        return 2;
    }
    const std::clock_t c0 = std::clock();

    NodeContainer nodes(3); // client, FortiGate, sink
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("10us"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("100000p"));
    NetDeviceContainer lan = p2p.Install(nodes.Get(0), nodes.Get(1));
    NetDeviceContainer wan = p2p.Install(nodes.Get(1), nodes.Get(2));
    InternetStackHelper stack;
    stack.Install(nodes.Get(1)); // the client writes its own headers; the sink drops
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.0.0", "255.0.0.0", "0.0.0.1");
    addr.Assign(NetDeviceContainer(lan.Get(1)));
    addr.SetBase("203.0.113.0", "255.255.255.0", "0.0.0.1");
    addr.Assign(NetDeviceContainer(wan.Get(0)));
    TrafficControlHelper tch;
    tch.Uninstall(NetDeviceContainer(lan.Get(1), wan.Get(0)));

    FortiGateHelper helper;
    helper.SetInterfaceNames({"port1", "wan1"});
    for (const char* a : {"FastPathCost", "SessionSetupCost", "HelperCost", "ProxyCost"})
    {
        helper.SetCpuAttribute(a, TimeValue(Time(0)));
    }
    helper.AddCliConfig("config firewall policy\n"
                        "    edit 1\n"
                        "        set srcintf \"port1\"\n"
                        "        set dstintf \"wan1\"\n"
                        "        set action accept\n"
                        "        set srcaddr \"all\"\n"
                        "        set dstaddr \"all\"\n"
                        "        set schedule \"always\"\n"
                        "        set service \"ALL\"\n"
                        "    next\n"
                        "end\n");
    Ptr<FortiGateNode> fgt = helper.Install(nodes.Get(1));
    helper.AssignStreams(NodeContainer(nodes.Get(1)), 100);

    Flood flood;
    flood.dev = lan.Get(0);
    flood.dst = Ipv4Address("203.0.113.2");
    flood.total = sessions;
    flood.gap = Seconds(1.0 / rate);
    flood.batch = rate >= 1e5 ? 10 : 1;
    const Time start = MilliSeconds(10);
    const Time end = start + Seconds(static_cast<double>(sessions) / rate);
    Simulator::Schedule(start, &Flood::Next, &flood);

    size_t heap0 = 0;
    uint64_t rss0 = 0;
    size_t heap1 = 0;
    uint64_t rss1 = 0;
    uint64_t atPeak = 0;
    Simulator::Schedule(start - NanoSeconds(1), [&]() {
        heap0 = HeapInUse();
        rss0 = StatusKiB("VmRSS");
    });
    Simulator::Schedule(end + MilliSeconds(1), [&]() {
        heap1 = HeapInUse();
        rss1 = StatusKiB("VmRSS");
        atPeak = fgt->GetSessionTable().Size();
    });
    Simulator::Stop(end + Seconds(200));
    Simulator::Run();
    const uint64_t after = fgt->GetSessionTable().Size();
    const uint64_t created = fgt->GetSessionTable().GetStats().created;
    uint64_t drops = 0;
    for (int r = 0; r < FortiGateNode::DROP_REASON_COUNT; ++r)
    {
        drops += fgt->GetDropCount(static_cast<FortiGateNode::DropReason>(r));
    }
    const uint64_t hwm = StatusKiB("VmHWM");
    Simulator::Destroy();
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;

    const double n = atPeak > 0 ? static_cast<double>(atPeak) : 1.0;
    const double heapPer = static_cast<double>(heap1 - heap0) / n;
    const double rssPer = static_cast<double>(rss1 > rss0 ? rss1 - rss0 : 0) * 1024.0 / n;
    std::printf("sessions_sim_sent: %llu\n", static_cast<unsigned long long>(flood.sent));
    std::printf("sessions_sim_created: %llu\n", static_cast<unsigned long long>(created));
    std::printf("sessions_sim_drops: %llu\n", static_cast<unsigned long long>(drops));
    std::printf("sessions_sim_count: %llu\n", static_cast<unsigned long long>(atPeak));
    std::printf("sessions_sim_heap_bytes_per_session: %.1f\n", heapPer);
    std::printf("sessions_sim_rss_bytes_per_session: %.1f\n", rssPer);
    std::printf("sessions_sim_peak_rss_mib: %.0f\n", static_cast<double>(hwm) / 1024.0);
    std::printf("sessions_sim_after_expiry: %llu\n", static_cast<unsigned long long>(after));
    std::printf("sessions_sim_cpu_s: %.1f\n", cpu);
    std::printf("sessions_sim_bytes_per_session_ok: %s\n", heapPer <= 230 ? "yes" : "no");
    std::printf("sessions_sim_rss_ok: %s\n", hwm <= 24ULL * 1024 * 1024 ? "yes" : "no");
    return atPeak == sessions && after == 0 ? 0 : 1;
}
