/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The topology the dns-translation and tns-nat examples share: one outside client, a server
 * inside published through a VIP, one inbound policy.
 *
 *   outside client                 ISP router                          server
 *   198.51.100.6 -- 198.51.100.0/24 -- r -- 203.0.113.0/24 -- port1 [FortiGate] port2 -- 10.0.2.2
 *                                                    VIP 203.0.113.100 -> 10.0.2.2
 */
#ifndef FORTIGATE_EXAMPLE_VIP_SCENARIO_H
#define FORTIGATE_EXAMPLE_VIP_SCENARIO_H

#include "ns3/core-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <string>
#include <vector>

namespace ns3
{

/// Nodes, addresses and the FortiGate configuration of the shared scenario.
struct VipScenario
{
    Ptr<Node> client{CreateObject<Node>()};  //!< 198.51.100.6
    Ptr<Node> isp{CreateObject<Node>()};     //!< 198.51.100.7 / 203.0.113.11
    Ptr<Node> fgtNode{CreateObject<Node>()}; //!< port1 203.0.113.10, port2 10.0.2.1
    Ptr<Node> server{CreateObject<Node>()};  //!< 10.0.2.2
    FortiGateConfig cfg;                     //!< ports, VIP, policy 1 (add to it before Install)

    /// Build the links, addresses and routes, and policy 1 port1 -> port2 to the VIP with
    /// \p services.
    explicit VipScenario(const std::vector<std::string>& services)
    {
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("2ms"));
        NetDeviceContainer outDevs = p2p.Install(client, isp);
        NetDeviceContainer wanDevs = p2p.Install(fgtNode, isp);
        NetDeviceContainer dmzDevs = p2p.Install(fgtNode, server);
        InternetStackHelper stack;
        NodeContainer all(client, isp, fgtNode, server);
        stack.Install(all);
        Ipv4AddressHelper addr;
        addr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.6");
        Ipv4InterfaceContainer outIf = addr.Assign(outDevs); // client .6, ISP .7
        addr.SetBase("203.0.113.0", "255.255.255.0", "0.0.0.10");
        Ipv4InterfaceContainer wanIf = addr.Assign(wanDevs); // FortiGate .10, ISP .11
        addr.SetBase("10.0.2.0", "255.255.255.0");
        Ipv4InterfaceContainer dmzIf = addr.Assign(dmzDevs); // FortiGate .1, server .2
        stack.AssignStreams(all, 1);
        Ipv4StaticRoutingHelper srh;
        srh.GetStaticRouting(client->GetObject<Ipv4>())->SetDefaultRoute(outIf.GetAddress(1), 1);
        srh.GetStaticRouting(server->GetObject<Ipv4>())->SetDefaultRoute(dmzIf.GetAddress(0), 1);
        srh.GetStaticRouting(fgtNode->GetObject<Ipv4>())->SetDefaultRoute(wanIf.GetAddress(1), 1);

        for (const char* name : {"port1", "port2"})
        {
            InterfaceConfig intf;
            intf.name = name;
            cfg.AddInterface(intf);
        }
        VipConfig vip;
        vip.name = "server-vip";
        vip.extipLo = Ipv4Address("203.0.113.100").Get();
        vip.mappedipLo = Ipv4Address("10.0.2.2").Get();
        vip.extintf = "port1";
        cfg.AddVip(vip);
        FirewallPolicy in;
        in.id = 1;
        in.name = "wan-to-server";
        in.srcintf = {"port1"};
        in.dstintf = {"port2"};
        in.srcaddr = {"all"};
        in.dstaddr = {"server-vip"};
        in.service = services;
        in.action = FirewallPolicy::ACCEPT;
        pendingPolicy = in;
    }

    /// Add policy 1 (after any service it names was added) and install the FortiGate.
    Ptr<FortiGateNode> Install()
    {
        cfg.AddPolicy(pendingPolicy);
        FortiGateHelper fgtHelper;
        fgtHelper.SetConfig(cfg);
        Ptr<FortiGateNode> fgt = fgtHelper.Install(fgtNode);
        fgtHelper.AssignStreams(NodeContainer(fgtNode), 100);
        return fgt;
    }

  private:
    FirewallPolicy pendingPolicy; //!< policy 1, added by Install
};

} // namespace ns3

#endif // FORTIGATE_EXAMPLE_VIP_SCENARIO_H
