/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * fortigate-floodbench: a new-session flood against the CPU model.
 *
 *   client --p2p 10Gbps-- FortiGate (default CpuModel, one accept policy with NAT) --p2p-- server
 *
 * The client sends --packets UDP datagrams at --rate per second, each from its own source port
 * (a new session each), to the server. Prints `name: value` lines:
 *   flood_sent, flood_delivered          datagrams sent / received by the server
 *   flood_dropped_cpu_backlog            FortiGate drops at the CPU backlog (DROP_CPU_BACKLOG)
 *   flood_dropped_other                  every other FortiGate drop reason
 *   flood_sessions_created               SessionTable::Stats::created
 *   flood_sessions_by_dropped            sessions created beyond the datagrams that got through
 *                                        (each delivered datagram needed its own session); a
 *                                        real unit drops before it creates a session: target 0
 */

#include "bench-topology.h"

#include "ns3/core-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <cstdio>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("FortiGateFloodBench");

namespace
{

uint64_t g_delivered = 0; //!< datagrams the server received

void
Receive(Ptr<Socket> socket)
{
    while (socket->Recv())
    {
        ++g_delivered;
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t packets = 20000;
    double rate = 100000;
    CommandLine cmd(__FILE__);
    cmd.AddValue("packets", "datagrams (new sessions) to send, at most 60000", packets);
    cmd.AddValue("rate", "datagrams per second", rate);
    cmd.Parse(argc, argv);
    if (packets == 0 || packets > 60000 || rate <= 0 || rate > 1e8)
    {
        std::fprintf(stderr, "fortigate-floodbench: bad arguments (see --help)\n");
        return 2;
    }

    BenchLine line = MakeBenchLine("10Gbps");
    NodeContainer& nodes = line.nodes;
    Ipv4InterfaceContainer& wanIf = line.wanIf;

    FortiGateHelper helper;
    helper.SetInterfaceNames({"port1", "wan1"});
    helper.AddCliConfig("config firewall policy\n"
                        "    edit 1\n"
                        "        set srcintf \"port1\"\n"
                        "        set dstintf \"wan1\"\n"
                        "        set action accept\n"
                        "        set srcaddr \"all\"\n"
                        "        set dstaddr \"all\"\n"
                        "        set schedule \"always\"\n"
                        "        set service \"ALL\"\n"
                        "        set nat enable\n"
                        "    next\n"
                        "end\n");
    Ptr<FortiGateNode> fgt = helper.Install(nodes.Get(1));
    helper.AssignStreams(NodeContainer(nodes.Get(1)), 100);

    Ptr<Socket> sink = Socket::CreateSocket(nodes.Get(2), UdpSocketFactory::GetTypeId());
    sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9000));
    sink->SetRecvCallback(MakeCallback(&Receive));
    // A raw socket with its own UDP header: a new source port per datagram costs nothing more.
    Ptr<Socket> sender = Socket::CreateSocket(nodes.Get(0), Ipv4RawSocketFactory::GetTypeId());
    sender->SetAttribute("Protocol", UintegerValue(UdpL4Protocol::PROT_NUMBER));
    const Ipv4Address server = wanIf.GetAddress(1);
    const Time gap = Seconds(1.0 / rate);
    for (uint32_t i = 0; i < packets; ++i)
    {
        Simulator::Schedule(MilliSeconds(10) + gap * i, [sender, i, server]() {
            Ptr<Packet> p = Create<Packet>(64);
            UdpHeader h;
            h.SetSourcePort(static_cast<uint16_t>(2000 + i));
            h.SetDestinationPort(9000);
            p->AddHeader(h);
            sender->SendTo(p, 0, InetSocketAddress(server, 0));
        });
    }
    Simulator::Stop(MilliSeconds(10) + gap * packets + MilliSeconds(100));
    Simulator::Run();

    const uint64_t backlog = fgt->GetDropCount(FortiGateNode::DROP_CPU_BACKLOG);
    uint64_t other = 0;
    for (int r = 0; r < FortiGateNode::DROP_REASON_COUNT; ++r)
    {
        if (r != FortiGateNode::DROP_CPU_BACKLOG)
        {
            other += fgt->GetDropCount(static_cast<FortiGateNode::DropReason>(r));
        }
    }
    const uint64_t created = fgt->GetSessionTable().GetStats().created;
    Simulator::Destroy();
    std::printf("flood_rate_per_s: %.0f\n", rate);
    std::printf("flood_sent: %u\n", packets);
    std::printf("flood_delivered: %llu\n", static_cast<unsigned long long>(g_delivered));
    std::printf("flood_dropped_cpu_backlog: %llu\n", static_cast<unsigned long long>(backlog));
    std::printf("flood_dropped_other: %llu\n", static_cast<unsigned long long>(other));
    std::printf("flood_sessions_created: %llu\n", static_cast<unsigned long long>(created));
    const uint64_t byDropped = created > g_delivered ? created - g_delivered : 0;
    std::printf("flood_sessions_by_dropped: %llu\n", static_cast<unsigned long long>(byDropped));
    std::printf("flood_sessions_by_dropped_ok: %s\n", byDropped == 0 ? "yes" : "no");
    return 0;
}
