/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The benches' three-node line: client - middle - server on point-to-point links, LAN
 * 10.0.1.0/24 (middle .1, client .2), WAN 203.0.113.0/24 (middle .1, server .2), no queue discs
 * (Ipv4AddressHelper::Assign installs FqCoDel, which creates a queue per new flow on every node:
 * a cost of ns-3's traffic control, not of the hop), default routes through the middle.
 */
#ifndef FORTIGATE_BENCH_TOPOLOGY_H
#define FORTIGATE_BENCH_TOPOLOGY_H

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <string>

namespace ns3
{

/// The nodes and addresses of the line.
struct BenchLine
{
    NodeContainer nodes;          //!< client, middle, server
    NetDeviceContainer lan;       //!< client - middle
    NetDeviceContainer wan;       //!< middle - server
    Ipv4InterfaceContainer lanIf; //!< 0: middle, 1: client
    Ipv4InterfaceContainer wanIf; //!< 0: middle, 1: server
};

/// \return the line, its links at \p dataRate with 100 us delay
inline BenchLine
MakeBenchLine(const std::string& dataRate)
{
    BenchLine b;
    b.nodes.Create(3);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(dataRate));
    p2p.SetChannelAttribute("Delay", StringValue("100us"));
    b.lan = p2p.Install(b.nodes.Get(0), b.nodes.Get(1));
    b.wan = p2p.Install(b.nodes.Get(1), b.nodes.Get(2));
    InternetStackHelper stack;
    stack.Install(b.nodes);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0", "0.0.0.1");
    b.lanIf = addr.Assign(NetDeviceContainer(b.lan.Get(1), b.lan.Get(0)));
    addr.SetBase("203.0.113.0", "255.255.255.0", "0.0.0.1");
    b.wanIf = addr.Assign(b.wan);
    TrafficControlHelper tch;
    tch.Uninstall(b.lan);
    tch.Uninstall(b.wan);
    Ipv4StaticRoutingHelper srh;
    srh.GetStaticRouting(b.nodes.Get(0)->GetObject<Ipv4>())
        ->SetDefaultRoute(b.lanIf.GetAddress(0), 1);
    srh.GetStaticRouting(b.nodes.Get(2)->GetObject<Ipv4>())
        ->SetDefaultRoute(b.wanIf.GetAddress(0), 1);
    return b;
}

} // namespace ns3

#endif // FORTIGATE_BENCH_TOPOLOGY_H
