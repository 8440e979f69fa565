/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * rpc-nat: ONC-RPC (portmapper, pmap helper) and DCE-RPC (endpoint mapper, dcerpc helper)
 * through a FortiGate, with and without each helper.
 *
 *   client                                                     ISP router        server
 *  10.0.1.2 -- 10.0.1.0/24 -- port1 [FortiGate] port2 -- 203.0.113.0/24 -- r -- 198.51.100.0/24
 *                                        port3                                (.7)
 *                                          | 10.0.2.0/24
 *                                   inside server 10.0.2.2 (VIP 203.0.113.100)
 *
 * Policies allow only the mappers: service ONC-RPC (TCP/UDP 111) and DCE-RPC (TCP/UDP 135),
 * policy 1 port1 -> port2 with NAT, policy 2 port2 -> port3 to the VIP. The server host runs
 * the portmapper (program 100005 on port 2049) and the endpoint mapper (interface
 * 12345778-1234-abcd-ef00-0123456789ac on port 49152). The client asks the mapper, then calls
 * the program / interface on the port it was given:
 * - pmap over UDP: GETPORT (v2); over TCP: rpcbind GETADDR (v4, universal address);
 * - dcerpc over TCP: bind + ept_map (CO); over UDP: ept_map (CL); then bind + request.
 * Two situations: snat (client inside, server outside) and vip (client 198.51.100.7 outside,
 * server inside behind the VIP). Each case runs in a fresh simulation with the helper's entries
 * (11/12 pmap, 17/18 dcerpc) and with them deleted.
 *
 * What to expect: with the helper every call completes (the reply opens a pinhole to the
 * returned port; behind the VIP the universal address or the tower's address floor is rewritten
 * to 203.0.113.100). Without it none does: the call to the returned port matches no policy, and
 * behind the VIP the client is told the private 10.0.2.2.
 */
#include "ns3/core-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iostream>
#include <sstream>
#include <string>

using namespace ns3;

namespace
{

/// What one run gave.
struct Outcome
{
    bool completed{false}; //!< the program / interface answered
    std::string announced; //!< address the mapper's answer named, as the client saw it
    uint64_t pinholes{0};  //!< pinholes used
    uint64_t denied{0};    //!< packets denied by policy
};

/// Run one case in a fresh simulation.
Outcome
RunCase(bool dce, bool vipCase, bool tcp, bool helper)
{
    Ptr<Node> client = CreateObject<Node>();
    Ptr<Node> fgtNode = CreateObject<Node>();
    Ptr<Node> isp = CreateObject<Node>();
    Ptr<Node> server = CreateObject<Node>();
    Ptr<Node> inside = CreateObject<Node>();
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    NetDeviceContainer lanDevs = p2p.Install(client, fgtNode);
    NetDeviceContainer wanDevs = p2p.Install(fgtNode, isp);
    NetDeviceContainer srvDevs = p2p.Install(isp, server);
    NetDeviceContainer dmzDevs = p2p.Install(fgtNode, inside);
    InternetStackHelper stack;
    NodeContainer all(client, fgtNode, isp, server, inside);
    stack.Install(all);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0", "0.0.0.2");
    Ipv4InterfaceContainer lanIf = addr.Assign(lanDevs); // client .2, FortiGate .3
    addr.SetBase("203.0.113.0", "255.255.255.0", "0.0.0.10");
    Ipv4InterfaceContainer wanIf = addr.Assign(wanDevs); // FortiGate .10, ISP .11
    addr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.6");
    Ipv4InterfaceContainer srvIf = addr.Assign(srvDevs); // ISP .6, server .7
    addr.SetBase("10.0.2.0", "255.255.255.0");
    Ipv4InterfaceContainer dmzIf = addr.Assign(dmzDevs); // FortiGate .1, inside .2
    stack.AssignStreams(all, 1);
    Ipv4StaticRoutingHelper srh;
    srh.GetStaticRouting(client->GetObject<Ipv4>())->SetDefaultRoute(lanIf.GetAddress(1), 1);
    srh.GetStaticRouting(server->GetObject<Ipv4>())->SetDefaultRoute(srvIf.GetAddress(0), 1);
    srh.GetStaticRouting(inside->GetObject<Ipv4>())->SetDefaultRoute(dmzIf.GetAddress(0), 1);
    srh.GetStaticRouting(fgtNode->GetObject<Ipv4>())->SetDefaultRoute(wanIf.GetAddress(1), 2);

    FortiGateConfig cfg;
    for (const char* name : {"port1", "port2", "port3"})
    {
        InterfaceConfig intf;
        intf.name = name;
        cfg.AddInterface(intf);
    }
    cfg.AddAddress(FirewallAddress::FromSubnet("lan", "10.0.1.0/24"));
    VipConfig vip;
    vip.name = "rpc-vip";
    vip.extipLo = Ipv4Address("203.0.113.100").Get();
    vip.mappedipLo = Ipv4Address("10.0.2.2").Get();
    vip.extintf = "port2";
    cfg.AddVip(vip);
    FirewallPolicy out;
    out.id = 1;
    out.name = "lan-to-wan";
    out.srcintf = {"port1"};
    out.dstintf = {"port2"};
    out.srcaddr = {"lan"};
    out.dstaddr = {"all"};
    out.service = {"ONC-RPC", "DCE-RPC"};
    out.action = FirewallPolicy::ACCEPT;
    out.nat = true;
    cfg.AddPolicy(out);
    FirewallPolicy in = out;
    in.id = 2;
    in.name = "wan-to-rpc";
    in.srcintf = {"port2"};
    in.dstintf = {"port3"};
    in.srcaddr = {"all"};
    in.dstaddr = {"rpc-vip"};
    in.nat = false;
    cfg.AddPolicy(in);
    if (!helper)
    {
        cfg.DeleteSessionHelper(dce ? 17 : 11);
        cfg.DeleteSessionHelper(dce ? 18 : 12);
    }
    FortiGateHelper fgtHelper;
    fgtHelper.SetConfig(cfg);
    Ptr<FortiGateNode> fgt = fgtHelper.Install(fgtNode);
    fgtHelper.AssignStreams(NodeContainer(fgtNode), 100);

    Ptr<Node> serverNode = vipCase ? inside : server;
    Ptr<Node> clientNode = vipCase ? server : client;
    const Ipv4Address serverAddr = vipCase ? dmzIf.GetAddress(1) : srvIf.GetAddress(1);
    const Ipv4Address dial = vipCase ? Ipv4Address("203.0.113.100") : srvIf.GetAddress(1);
    RpcServerHostHelper serverHelper(serverAddr);
    serverHelper.Install(serverNode).Start(Seconds(0));
    RpcClientHelper clientHelper(dial, dce);
    clientHelper.SetAttribute("UseTcp", BooleanValue(tcp));
    Ptr<RpcClient> c = DynamicCast<RpcClient>(clientHelper.Install(clientNode).Get(0));
    c->SetStartTime(Seconds(1));

    Simulator::Stop(Seconds(10));
    Simulator::Run();
    Outcome o;
    o.completed = c->IsCompleted();
    o.announced = c->GetAnnouncedAddress();
    o.pinholes = fgt->GetExpectations().GetMatched();
    o.denied = fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY);
    Simulator::Destroy();
    return o;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short run (for tests; the runs are short anyway)", quick);
    cmd.Parse(argc, argv);

    std::cout << "rpc-nat: policies allow only ONC-RPC (111) and DCE-RPC (135)\n"
              << "  snat: client 10.0.1.2 -> server 198.51.100.7 (NAT 203.0.113.10)\n"
              << "  vip:  client 198.51.100.7 -> VIP 203.0.113.100 -> server 10.0.2.2\n\n";
    std::ostringstream summary;
    uint32_t ok[2][2] = {{0, 0}, {0, 0}}; // [dce][helper]
    for (bool dce : {false, true})
    {
        for (bool helper : {true, false})
        {
            for (bool vipCase : {false, true})
            {
                for (bool tcp : {false, true})
                {
                    const Outcome o = RunCase(dce, vipCase, tcp, helper);
                    ok[dce][helper] += o.completed ? 1 : 0;
                    std::cout << (dce ? "dcerpc" : "pmap  ") << " " << (vipCase ? "vip " : "snat")
                              << " " << (tcp ? "tcp" : "udp")
                              << " helper=" << (helper ? "on " : "off")
                              << " result=" << (o.completed ? "completed" : "FAILED")
                              << " announced=" << (o.announced.empty() ? "-" : o.announced)
                              << " pinholes_used=" << o.pinholes << " denied=" << o.denied << "\n";
                }
            }
        }
    }
    summary << " pmap_helper=" << ok[0][1] << "/4 pmap_nohelper=" << ok[0][0]
            << "/4 dcerpc_helper=" << ok[1][1] << "/4 dcerpc_nohelper=" << ok[1][0] << "/4";
    std::cout << "summary:" << summary.str() << std::endl;
    return 0;
}
