/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * fortigate-simbench: what a FortiGate costs a whole simulation.
 *
 * One process builds the same topology and traffic several times and runs it through
 *  - a plain ns-3 router (static routing, no firewall), and
 *  - a FortiGate (FortiGateHelper::Install on the same middle node; one policy accept ALL from
 *    any to any with NAT), once with the default CpuModel and once with every cost zero,
 * in alternating order, and prints the median wall and CPU time of each (issue 2 target:
 * FortiGate / router <= 1.25 for established flows), and the smallest and largest CPU-time ratio
 * of the repetitions (the spread; 5 repetitions by default).
 *
 *   client0..3 --p2p 1Gbps-- [middle: router | FortiGate] --p2p 1Gbps-- server0..1
 *
 * Traffic: TCP BulkSend flows and UDP OnOff CBR flows, LAN -> WAN, all started in the first
 * 50 ms so that the measured time is dominated by established flows. Every run must deliver the
 * same bytes (within 1 %), else the program fails.
 *
 * Output: `name: value` lines (sim_wall_s_router, sim_wall_s_fortigate, ..., sim_wall_ratio,
 * sim_wall_ratio_ok). Exit status 1 when the runs disagree on delivered bytes.
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("FortiGateSimBench");

namespace
{

/// What sits in the middle of the topology.
enum class Middle
{
    ROUTER,        //!< plain ns-3 router
    FORTIGATE,     //!< FortiGate with the default CpuModel
    FORTIGATE_ZERO //!< FortiGate with every CPU cost zero
};

const char*
MiddleName(Middle m)
{
    switch (m)
    {
    case Middle::ROUTER:
        return "router";
    case Middle::FORTIGATE:
        return "fortigate";
    default:
        return "fortigate_zero_cpu";
    }
}

/// Parameters of one run.
struct Params
{
    uint32_t clients{4};    //!< LAN hosts
    uint32_t servers{2};    //!< WAN hosts
    uint32_t tcpFlows{32};  //!< TCP BulkSend flows
    uint32_t udpFlows{8};   //!< UDP CBR flows
    double udpRateMbps{10}; //!< rate of each UDP flow
    double simTime{0.8};    //!< simulated seconds
};

/// Result of one run.
struct Result
{
    double wallS{0};          //!< wall time of Simulator::Run()
    double cpuS{0};           //!< process CPU time of Simulator::Run()
    uint64_t forwarded{0};    //!< packets forwarded by the middle node (UnicastForward trace)
    uint64_t rxBytes{0};      //!< bytes received by the sinks
    uint64_t fgtForwarded{0}; //!< FortiGateNode::GetForwardedCount (FortiGate runs)
    uint64_t fgtDrops{0};     //!< FortiGate drops, every reason
    uint32_t sessions{0};     //!< FortiGate sessions at the end
};

void
CountForward(uint64_t* n, const Ipv4Header&, Ptr<const Packet>, uint32_t)
{
    ++*n;
}

Result
RunOnce(const Params& prm, Middle middle)
{
    Ipv4AddressGenerator::Reset();
    Result res;

    NodeContainer clients(prm.clients);
    NodeContainer servers(prm.servers);
    Ptr<Node> mid = CreateObject<Node>();

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("100us"));
    std::vector<NetDeviceContainer> lanLinks;
    for (uint32_t i = 0; i < prm.clients; ++i)
    {
        lanLinks.push_back(p2p.Install(clients.Get(i), mid));
    }
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    std::vector<NetDeviceContainer> wanLinks;
    for (uint32_t i = 0; i < prm.servers; ++i)
    {
        wanLinks.push_back(p2p.Install(mid, servers.Get(i)));
    }

    InternetStackHelper stack;
    stack.Install(clients);
    stack.Install(servers);
    stack.Install(mid);

    Ipv4AddressHelper addr;
    Ipv4StaticRoutingHelper srh;
    for (uint32_t i = 0; i < prm.clients; ++i)
    {
        addr.SetBase(Ipv4Address((10u << 24) | ((i + 1) << 8)), "255.255.255.0");
        Ipv4InterfaceContainer ifs = addr.Assign(lanLinks[i]); // client .1, middle .2
        srh.GetStaticRouting(clients.Get(i)->GetObject<Ipv4>())
            ->SetDefaultRoute(ifs.GetAddress(1), 1);
    }
    std::vector<Ipv4Address> serverAddr;
    for (uint32_t i = 0; i < prm.servers; ++i)
    {
        addr.SetBase(Ipv4Address((203u << 24) | (113u << 8) | (i << 2)), "255.255.255.252");
        Ipv4InterfaceContainer ifs = addr.Assign(wanLinks[i]); // middle .1, server .2
        srh.GetStaticRouting(servers.Get(i)->GetObject<Ipv4>())
            ->SetDefaultRoute(ifs.GetAddress(0), 1);
        serverAddr.push_back(ifs.GetAddress(1));
    }
    // The middle node reaches every subnet directly: no routes needed.

    Ptr<FortiGateNode> fgt;
    if (middle != Middle::ROUTER)
    {
        FortiGateConfig cfg;
        FirewallPolicy all;
        all.id = 1;
        all.name = "bench-all";
        all.srcintf = {"any"};
        all.dstintf = {"any"};
        all.srcaddr = {"all"};
        all.dstaddr = {"all"};
        all.service = {"ALL"};
        all.action = FirewallPolicy::ACCEPT;
        all.nat = true;
        cfg.AddPolicy(all);
        FortiGateHelper helper;
        helper.SetConfig(cfg);
        if (middle == Middle::FORTIGATE_ZERO)
        {
            for (const char* a : {"FastPathCost", "SessionSetupCost", "HelperCost", "ProxyCost"})
            {
                helper.SetCpuAttribute(a, TimeValue(Time(0)));
            }
        }
        fgt = helper.Install(mid);
        helper.AssignStreams(NodeContainer(mid), 100);
    }
    mid->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "UnicastForward",
        MakeBoundCallback(&CountForward, &res.forwarded));

    // Traffic: sinks on the servers, senders on the clients, round robin.
    const uint16_t tcpPort = 5001;
    const uint16_t udpPort = 6001;
    ApplicationContainer sinks;
    for (uint32_t i = 0; i < prm.servers; ++i)
    {
        PacketSinkHelper tcpSink("ns3::TcpSocketFactory",
                                 InetSocketAddress(Ipv4Address::GetAny(), tcpPort));
        sinks.Add(tcpSink.Install(servers.Get(i)));
        PacketSinkHelper udpSink("ns3::UdpSocketFactory",
                                 InetSocketAddress(Ipv4Address::GetAny(), udpPort));
        sinks.Add(udpSink.Install(servers.Get(i)));
    }
    sinks.Start(Seconds(0.0));

    for (uint32_t f = 0; f < prm.tcpFlows; ++f)
    {
        BulkSendHelper bulk("ns3::TcpSocketFactory",
                            InetSocketAddress(serverAddr[f % prm.servers], tcpPort));
        bulk.SetAttribute("SendSize", UintegerValue(1448 * 4));
        ApplicationContainer app = bulk.Install(clients.Get(f % prm.clients));
        app.Start(Seconds(0.01 + 0.001 * f));
    }
    for (uint32_t f = 0; f < prm.udpFlows; ++f)
    {
        OnOffHelper cbr("ns3::UdpSocketFactory",
                        InetSocketAddress(serverAddr[f % prm.servers], udpPort));
        cbr.SetConstantRate(DataRate(static_cast<uint64_t>(prm.udpRateMbps * 1e6)), 1200);
        ApplicationContainer app = cbr.Install(clients.Get((f + 1) % prm.clients));
        app.Start(Seconds(0.011 + 0.001 * f));
    }

    Simulator::Stop(Seconds(prm.simTime));
    auto t0 = std::chrono::steady_clock::now();
    std::clock_t c0 = std::clock();
    Simulator::Run();
    std::clock_t c1 = std::clock();
    auto t1 = std::chrono::steady_clock::now();
    res.wallS = std::chrono::duration<double>(t1 - t0).count();
    res.cpuS = static_cast<double>(c1 - c0) / CLOCKS_PER_SEC;

    for (uint32_t i = 0; i < sinks.GetN(); ++i)
    {
        res.rxBytes += DynamicCast<PacketSink>(sinks.Get(i))->GetTotalRx();
    }
    if (fgt)
    {
        res.fgtForwarded = fgt->GetForwardedCount();
        for (int r = 0; r < FortiGateNode::DROP_REASON_COUNT; ++r)
        {
            res.fgtDrops += fgt->GetDropCount(static_cast<FortiGateNode::DropReason>(r));
        }
        res.sessions = fgt->GetSessionTable().Size();
    }
    Simulator::Destroy();
    return res;
}

double
Median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

int
main(int argc, char* argv[])
{
    Params prm;
    uint32_t reps = 5;
    double target = 1.25;
    CommandLine cmd(__FILE__);
    cmd.AddValue("simTime", "Simulated seconds per run", prm.simTime);
    cmd.AddValue("reps", "Repetitions of each configuration (median reported)", reps);
    cmd.AddValue("tcpFlows", "TCP BulkSend flows", prm.tcpFlows);
    cmd.AddValue("udpFlows", "UDP CBR flows", prm.udpFlows);
    cmd.AddValue("udpRate", "Rate of each UDP flow, Mb/s", prm.udpRateMbps);
    cmd.AddValue("clients", "LAN hosts", prm.clients);
    cmd.AddValue("servers", "WAN hosts", prm.servers);
    cmd.AddValue("target", "Target wall-time ratio FortiGate / router", target);
    std::string only;
    cmd.AddValue("only",
                 "Run one configuration only (router, fortigate, fortigate_zero_cpu), e.g. "
                 "under a profiler; prints its run line and nothing else",
                 only);
    cmd.Parse(argc, argv);
    if (reps == 0 || prm.clients == 0 || prm.servers == 0 || prm.servers > 64 || prm.clients > 250)
    {
        std::fprintf(stderr, "fortigate-simbench: bad arguments\n");
        return 2;
    }

    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(1 << 20));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(1 << 20));

    const Middle kinds[] = {Middle::ROUTER, Middle::FORTIGATE, Middle::FORTIGATE_ZERO};
    if (!only.empty())
    {
        for (Middle m : kinds)
        {
            if (only == MiddleName(m))
            {
                Result res = RunOnce(prm, m);
                std::printf("# %s wall %.3f s, cpu %.3f s, forwarded %llu, delivered %llu bytes\n",
                            MiddleName(m),
                            res.wallS,
                            res.cpuS,
                            static_cast<unsigned long long>(res.forwarded),
                            static_cast<unsigned long long>(res.rxBytes));
                return 0;
            }
        }
        std::fprintf(stderr,
                     "fortigate-simbench: --only=%s: not one of router, fortigate, "
                     "fortigate_zero_cpu\n",
                     only.c_str());
        return 2;
    }
    std::vector<double> wall[3];
    std::vector<double> cpu[3];
    Result last[3];
    bool bytesOk = true;
    for (uint32_t r = 0; r < reps; ++r)
    {
        for (int k = 0; k < 3; ++k)
        {
            // Alternate the order so that slow drift (frequency, other load) hits all alike.
            int idx = (r % 2 == 0) ? k : 2 - k;
            Result res = RunOnce(prm, kinds[idx]);
            std::printf("# rep %u %-18s wall %.3f s, cpu %.3f s, forwarded %llu, delivered %llu "
                        "bytes",
                        r,
                        MiddleName(kinds[idx]),
                        res.wallS,
                        res.cpuS,
                        static_cast<unsigned long long>(res.forwarded),
                        static_cast<unsigned long long>(res.rxBytes));
            if (kinds[idx] != Middle::ROUTER)
            {
                std::printf(", fgt forwarded %llu, drops %llu, sessions %u",
                            static_cast<unsigned long long>(res.fgtForwarded),
                            static_cast<unsigned long long>(res.fgtDrops),
                            res.sessions);
            }
            std::printf("\n");
            std::fflush(stdout);
            if (r > 0 && res.rxBytes != last[idx].rxBytes)
            {
                std::printf("# note: %s delivered %llu bytes, previous repetition %llu\n",
                            MiddleName(kinds[idx]),
                            static_cast<unsigned long long>(res.rxBytes),
                            static_cast<unsigned long long>(last[idx].rxBytes));
            }
            wall[idx].push_back(res.wallS);
            cpu[idx].push_back(res.cpuS);
            last[idx] = res;
        }
    }

    const double wr = Median(wall[0]);
    const double wf = Median(wall[1]);
    const double wz = Median(wall[2]);
    const double ratio = wf / wr;
    const double ratioZero = wz / wr;
    const double cr = Median(cpu[0]);
    const double cf = Median(cpu[1]);
    const double cz = Median(cpu[2]);
    for (int k = 1; k < 3; ++k)
    {
        double diff =
            std::fabs(static_cast<double>(last[k].rxBytes) - static_cast<double>(last[0].rxBytes));
        if (last[0].rxBytes == 0 || diff > 0.01 * static_cast<double>(last[0].rxBytes))
        {
            bytesOk = false;
        }
    }

    std::printf("sim_flows_tcp: %u\n", prm.tcpFlows);
    std::printf("sim_flows_udp: %u\n", prm.udpFlows);
    std::printf("sim_time_s: %.3f\n", prm.simTime);
    std::printf("sim_delivered_bytes_router: %llu\n",
                static_cast<unsigned long long>(last[0].rxBytes));
    std::printf("sim_delivered_bytes_fortigate: %llu\n",
                static_cast<unsigned long long>(last[1].rxBytes));
    std::printf("sim_delivered_bytes_fortigate_zero_cpu: %llu\n",
                static_cast<unsigned long long>(last[2].rxBytes));
    std::printf("sim_packets_forwarded_router: %llu\n",
                static_cast<unsigned long long>(last[0].forwarded));
    std::printf("sim_packets_forwarded_fortigate: %llu\n",
                static_cast<unsigned long long>(last[1].forwarded));
    std::printf("sim_packets_forwarded_fortigate_zero_cpu: %llu\n",
                static_cast<unsigned long long>(last[2].forwarded));
    std::printf("sim_wall_s_router: %.3f\n", wr);
    std::printf("sim_wall_s_fortigate: %.3f\n", wf);
    std::printf("sim_wall_s_fortigate_zero_cpu: %.3f\n", wz);
    std::printf("sim_wall_ratio: %.3f\n", ratio);
    std::printf("sim_wall_ratio_zero_cpu: %.3f\n", ratioZero);
    // CPU time of the process: the same comparison, less disturbed by other load on the machine.
    std::printf("sim_cpu_s_router: %.3f\n", cr);
    std::printf("sim_cpu_s_fortigate: %.3f\n", cf);
    std::printf("sim_cpu_s_fortigate_zero_cpu: %.3f\n", cz);
    std::printf("sim_cpu_ratio: %.3f\n", cf / cr);
    std::printf("sim_cpu_ratio_zero_cpu: %.3f\n", cz / cr);
    // The spread: the ratio of each repetition (its FortiGate run over its router run).
    for (int k = 1; k < 3; ++k)
    {
        std::vector<double> per;
        for (uint32_t r = 0; r < reps; ++r)
        {
            per.push_back(cpu[k][r] / cpu[0][r]);
        }
        std::sort(per.begin(), per.end());
        const char* sfx = k == 1 ? "" : "_zero_cpu";
        std::printf("sim_cpu_ratio%s_min: %.3f\n", sfx, per.front());
        std::printf("sim_cpu_ratio%s_max: %.3f\n", sfx, per.back());
        std::printf("sim_cpu_ratio%s_reps: %u\n", sfx, reps);
    }
    std::printf("packets_per_s_router: %.0f\n", last[0].forwarded / wr);
    std::printf("packets_per_s_fortigate: %.0f\n", last[1].forwarded / wf);
    std::printf("packets_per_s_fortigate_zero_cpu: %.0f\n", last[2].forwarded / wz);
    std::printf("sim_wall_ratio_target: %.2f\n", target);
    std::printf("sim_wall_ratio_ok: %s\n", ratio <= target ? "yes" : "no");
    std::printf("sim_delivered_bytes_match: %s\n", bytesOk ? "yes" : "no");
    if (!bytesOk)
    {
        std::fprintf(stderr,
                     "fortigate-simbench: the runs delivered different bytes (> 1%% apart): "
                     "the comparison is not like for like\n");
        return 1;
    }
    return 0;
}
