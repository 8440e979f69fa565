/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * nat-basic: LAN clients behind a FortiGate reach a WAN server with TCP, UDP and ICMP; an inside
 * server is published through a VIP; one policy denies a service.
 *
 *   client0 \                                                      ISP router        server
 *            CSMA 10.0.1.0/24 -- port1 [FortiGate] port2 -- 203.0.113.0/24 -- r -- 198.51.100.0/24
 *   client1 /                            port3
 *                                          | 10.0.2.0/24
 *                                      inside web server (VIP 203.0.113.100 -> 10.0.2.2)
 *
 * Policies: 1 deny TELNET port1->port2; 2 accept ALL port1->port2 with NAT; 3 accept port2->port3
 * to the VIP. The session list is printed while traffic runs, a summary after; pcaps are written
 * for every FortiGate device (nat-basic-fgt-*.pcap).
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("NatBasicExample");

namespace
{

uint32_t
Ip(const char* text)
{
    return Ipv4Address(text).Get();
}

uint32_t g_pingReplies = 0;
uint32_t g_udpReplies = 0;

void
PingRtt(Time)
{
    ++g_pingReplies;
}

void
UdpRx(Ptr<const Packet>)
{
    ++g_udpReplies;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    bool pcap = true;
    double duration = 20.0;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short run (for tests)", quick);
    cmd.AddValue("pcap", "Write pcaps of the FortiGate devices", pcap);
    cmd.AddValue("duration", "Simulated seconds", duration);
    cmd.Parse(argc, argv);
    if (quick)
    {
        duration = 6.0;
    }

    NodeContainer clients(2);
    Ptr<Node> fgtNode = CreateObject<Node>();
    Ptr<Node> isp = CreateObject<Node>();
    Ptr<Node> server = CreateObject<Node>();
    Ptr<Node> web = CreateObject<Node>();

    CsmaHelper lan;
    lan.SetChannelAttribute("DataRate", StringValue("1Gbps"));
    lan.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    NodeContainer lanNodes(clients);
    lanNodes.Add(fgtNode);
    NetDeviceContainer lanDevs = lan.Install(lanNodes);

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer wanDevs = p2p.Install(fgtNode, isp);
    NetDeviceContainer srvDevs = p2p.Install(isp, server);
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer dmzDevs = p2p.Install(fgtNode, web);

    InternetStackHelper stack;
    stack.InstallAll();
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0");
    Ipv4InterfaceContainer lanIf = addr.Assign(lanDevs); // clients .1 .2, FortiGate .3
    addr.SetBase("203.0.113.0", "255.255.255.0", "0.0.0.10");
    Ipv4InterfaceContainer wanIf = addr.Assign(wanDevs); // FortiGate .10, ISP .11
    addr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.6");
    Ipv4InterfaceContainer srvIf = addr.Assign(srvDevs); // ISP .6, server .7
    addr.SetBase("10.0.2.0", "255.255.255.0");
    Ipv4InterfaceContainer dmzIf = addr.Assign(dmzDevs); // FortiGate .1, web .2

    // Hosts: default routes to their gateways. The ISP knows nothing of 10/8.
    Ipv4StaticRoutingHelper srh;
    for (uint32_t i = 0; i < clients.GetN(); ++i)
    {
        srh.GetStaticRouting(clients.Get(i)->GetObject<Ipv4>())
            ->SetDefaultRoute(lanIf.GetAddress(2), 1);
    }
    srh.GetStaticRouting(server->GetObject<Ipv4>())->SetDefaultRoute(srvIf.GetAddress(0), 1);
    srh.GetStaticRouting(web->GetObject<Ipv4>())->SetDefaultRoute(dmzIf.GetAddress(0), 1);
    srh.GetStaticRouting(fgtNode->GetObject<Ipv4>())->SetDefaultRoute(wanIf.GetAddress(1), 2);

    // ---- FortiGate configuration (the C++ API; the same objects FortiOS CLI text edits) ----
    FortiGateConfig cfg;
    for (const char* name : {"port1", "port2", "port3"})
    {
        InterfaceConfig intf;
        intf.name = name;
        cfg.AddInterface(intf); // addresses come from the ns-3 devices at install
    }
    cfg.AddAddress(FirewallAddress::FromSubnet("lan", "10.0.1.0/24"));
    VipConfig vip;
    vip.name = "web-vip";
    vip.extipLo = Ip("203.0.113.100");
    vip.mappedipLo = Ip("10.0.2.2");
    vip.extintf = "port2";
    cfg.AddVip(vip);

    FirewallPolicy deny;
    deny.id = 1;
    deny.name = "no-telnet";
    deny.srcintf = {"port1"};
    deny.dstintf = {"port2"};
    deny.srcaddr = {"lan"};
    deny.dstaddr = {"all"};
    deny.service = {"TELNET"};
    deny.action = FirewallPolicy::DENY;
    cfg.AddPolicy(deny);

    FirewallPolicy out;
    out.id = 2;
    out.name = "lan-to-wan";
    out.srcintf = {"port1"};
    out.dstintf = {"port2"};
    out.srcaddr = {"lan"};
    out.dstaddr = {"all"};
    out.service = {"ALL"};
    out.action = FirewallPolicy::ACCEPT;
    out.nat = true;
    out.logtraffic = "all";
    cfg.AddPolicy(out);

    FirewallPolicy in;
    in.id = 3;
    in.name = "wan-to-web";
    in.srcintf = {"port2"};
    in.dstintf = {"port3"};
    in.srcaddr = {"all"};
    in.dstaddr = {"web-vip"};
    in.service = {"HTTP"};
    in.action = FirewallPolicy::ACCEPT;
    cfg.AddPolicy(in);

    FortiGateHelper fgtHelper;
    fgtHelper.SetConfig(cfg);
    Ptr<FortiGateNode> fgt = fgtHelper.Install(fgtNode);
    fgtHelper.AssignStreams(NodeContainer(fgtNode), 100);

    // ---- Traffic ----------------------------------------------------------------------------
    Ipv4Address serverAddr = srvIf.GetAddress(1);
    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 80));
    ApplicationContainer serverSink = sink.Install(server);
    PacketSinkHelper webSink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 80));
    ApplicationContainer webSinkApp = webSink.Install(web);
    PacketSinkHelper telnetSink("ns3::TcpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), 23));
    ApplicationContainer telnetSinkApp = telnetSink.Install(server);
    UdpEchoServerHelper echo(5000);
    echo.Install(server);

    // client0: 2 MB over TCP to the WAN server (SNAT to port2's address).
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(serverAddr, 80));
    bulk.SetAttribute("MaxBytes", UintegerValue(2000000));
    ApplicationContainer bulkApp = bulk.Install(clients.Get(0));
    bulkApp.Start(Seconds(1.0));

    // client1: UDP echo to the WAN server, and a TELNET attempt (denied by policy 1).
    UdpEchoClientHelper echoClient(serverAddr, 5000);
    echoClient.SetAttribute("MaxPackets", UintegerValue(10));
    echoClient.SetAttribute("Interval", TimeValue(MilliSeconds(200)));
    echoClient.SetAttribute("PacketSize", UintegerValue(200));
    ApplicationContainer echoApp = echoClient.Install(clients.Get(1));
    echoApp.Start(Seconds(1.5));
    echoApp.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&UdpRx));
    BulkSendHelper telnet("ns3::TcpSocketFactory", InetSocketAddress(serverAddr, 23));
    telnet.SetAttribute("MaxBytes", UintegerValue(1000));
    ApplicationContainer telnetApp = telnet.Install(clients.Get(1));
    telnetApp.Start(Seconds(1.2));

    // client0: ping the WAN server.
    V4PingHelper ping(serverAddr);
    ping.SetAttribute("Interval", TimeValue(Seconds(1)));
    ApplicationContainer pingApp = ping.Install(clients.Get(0));
    pingApp.Start(Seconds(1.0));
    pingApp.Stop(Seconds(4.5));
    pingApp.Get(0)->TraceConnectWithoutContext("Rtt", MakeCallback(&PingRtt));

    // The WAN server fetches 500 kB from the inside web server through the VIP.
    BulkSendHelper toVip("ns3::TcpSocketFactory",
                         InetSocketAddress(Ipv4Address("203.0.113.100"), 80));
    toVip.SetAttribute("MaxBytes", UintegerValue(500000));
    ApplicationContainer toVipApp = toVip.Install(server);
    toVipApp.Start(Seconds(2.0));

    if (pcap)
    {
        p2p.EnablePcap("nat-basic-fgt", NodeContainer(fgtNode), true);
        lan.EnablePcap("nat-basic-fgt", lanDevs.Get(2), true);
    }

    uint32_t peakSessions = 0;
    uint32_t created = 0;
    fgt->TraceConnectWithoutContext("SessionCreated",
                                    MakeBoundCallback(
                                        +[](uint32_t* n, const Session&) { ++*n; },
                                        &created));
    Simulator::Schedule(Seconds(2.5), [fgt, &peakSessions]() {
        std::cout << "=== t=2.5s  FGT # diagnose sys session list\n"
                  << fgt->Diagnose("diagnose sys session list") << "\n";
        std::cout << "=== t=2.5s  FGT # get system session list\n"
                  << fgt->Diagnose("get system session list") << "\n";
        peakSessions = fgt->GetSessionTable().Size();
    });

    Simulator::Stop(Seconds(duration));
    Simulator::Run();

    uint64_t tcpRx = DynamicCast<PacketSink>(serverSink.Get(0))->GetTotalRx();
    uint64_t vipRx = DynamicCast<PacketSink>(webSinkApp.Get(0))->GetTotalRx();
    uint64_t telnetRx = DynamicCast<PacketSink>(telnetSinkApp.Get(0))->GetTotalRx();
    uint64_t denied = fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY);
    std::cout << "=== end  FGT # diagnose sys session stat\n"
              << fgt->Diagnose("diagnose sys session stat") << "\n";
    std::cout << "Report\n"
              << "  TCP client0 -> server:80 via SNAT  " << tcpRx << " bytes received\n"
              << "  UDP echo replies to client1         " << g_udpReplies << " of 10\n"
              << "  ICMP echo replies to client0        " << g_pingReplies << "\n"
              << "  server -> VIP 203.0.113.100:80      " << vipRx << " bytes received\n"
              << "  TELNET (policy 1 deny)              " << telnetRx << " bytes, " << denied
              << " packets denied\n"
              << "  sessions created / at t=2.5s / now  " << created << " / " << peakSessions
              << " / " << fgt->GetSessionTable().Size() << "\n";
    std::cout << "summary: tcp_rx_bytes=" << tcpRx << " udp_echo_replies=" << g_udpReplies
              << " ping_replies=" << g_pingReplies << " vip_rx_bytes=" << vipRx
              << " telnet_rx_bytes=" << telnetRx << " denied_packets=" << denied
              << " sessions_created=" << created << " sessions_at_2_5s=" << peakSessions
              << std::endl;
    Simulator::Destroy();
    return 0;
}
