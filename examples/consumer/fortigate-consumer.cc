/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A user's own scenario with the installed FortiGate module: a client, a FortiGate and a server
 * on two point-to-point links; the FortiGate gets the README's CLI text (one outbound policy
 * with NAT). The client's UDP echo requests leave with the FortiGate's address; the program
 * prints the session list and a summary line.
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    CommandLine cmd(__FILE__);
    cmd.Parse(argc, argv);

    NodeContainer nodes(3); // client, FortiGate, server
    Ptr<Node> client = nodes.Get(0);
    Ptr<Node> fgtNode = nodes.Get(1);
    Ptr<Node> server = nodes.Get(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer lan = p2p.Install(client, fgtNode); // FortiGate port1
    NetDeviceContainer wan = p2p.Install(fgtNode, server); // FortiGate port2

    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0");
    Ipv4InterfaceContainer lanIf = addr.Assign(lan);
    addr.SetBase("203.0.113.0", "255.255.255.0");
    Ipv4InterfaceContainer wanIf = addr.Assign(wan);
    Ipv4StaticRoutingHelper routes;
    routes.GetStaticRouting(client->GetObject<Ipv4>())->SetDefaultRoute(lanIf.GetAddress(1), 1);

    // The README's configuration: port1 to port2, everything allowed, source NAT.
    FortiGateHelper fgt; // names the ports port1, port2, ...
    fgt.AddCliConfig("config firewall policy\n"
                     " edit 1\n"
                     "  set srcintf port1\n  set dstintf port2\n"
                     "  set srcaddr all\n  set dstaddr all\n"
                     "  set service ALL\n  set action accept\n  set nat enable\n"
                     " next\nend\n");
    Ptr<FortiGateNode> unit = fgt.Install(fgtNode);

    UdpEchoServerHelper echoServer(7);
    echoServer.Install(server).Start(Seconds(0.5));
    UdpEchoClientHelper echoClient(wanIf.GetAddress(1), 7);
    echoClient.SetAttribute("MaxPackets", UintegerValue(5));
    echoClient.SetAttribute("Interval", TimeValue(Seconds(0.2)));
    ApplicationContainer app = echoClient.Install(client);
    app.Start(Seconds(1));
    uint32_t replies = 0;
    app.Get(0)->TraceConnectWithoutContext(
        "Rx",
        Callback<void, Ptr<const Packet>>([&replies](Ptr<const Packet>) { ++replies; }));

    std::string sessions;
    Simulator::Schedule(Seconds(2),
                        [&]() { sessions = unit->Diagnose("diagnose sys session list"); });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    Simulator::Destroy();

    std::cout << sessions;
    std::cout << "summary: echo_replies=" << replies
              << "/5 snat=" << (sessions.find("(203.0.113.1:") != std::string::npos ? "yes" : "no")
              << "\n";
    return replies == 5 ? 0 : 1;
}
