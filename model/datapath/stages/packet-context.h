/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PACKET_CONTEXT_H
#define FORTIGATE_PACKET_CONTEXT_H

#include "ns3/cpu-model.h"
#include "ns3/fortigate-config.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/nat-allocator.h"
#include "ns3/net-device.h"
#include "ns3/packet-view.h"
#include "ns3/packet.h"
#include "ns3/session.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * What a datapath stage tells the orchestrator (FortiGateNode::PreRouting).
 */
enum class StageResult : uint8_t
{
    NEXT,     //!< go on with the next stage
    DONE,     //!< the packet was consumed (forwarded, dropped or held): stop
    NOT_MINE, //!< not the unit's to handle: ns-3 routes it as usual (local delivery, ...)
};

/**
 * \ingroup fortigate
 * One received packet on its way through the datapath stages (architecture §3): what arrived,
 * what the stages found (view, session, direction, VIP, route, policy, NAT) and what leaves.
 * It lives on the stack of FortiGateNode::PreRouting for one packet: no heap allocation, and
 * each stage reads and fills only its own fields.
 */
struct PacketContext
{
    /// The packet as the routing hook received it (arguments of Ipv4RoutingProtocol::RouteInput).
    PacketContext(Ptr<const Packet> packet,
                  const Ipv4Header& header,
                  Ptr<const NetDevice> inDev,
                  const Ipv4RoutingProtocol::UnicastForwardCallback& forward)
        : p(packet),
          h(header),
          idev(inDev),
          ucb(forward),
          q(packet),
          out(header)
    {
    }

    // ---- what arrived (never changed) ----
    Ptr<const Packet> p;                                    //!< the IP payload as it arrived
    const Ipv4Header& h;                                    //!< its IPv4 header
    Ptr<const NetDevice> idev;                              //!< the arrival device
    const Ipv4RoutingProtocol::UnicastForwardCallback& ucb; //!< how ns-3 forwards it

    // ---- parse ----
    int32_t ipIf{-1}; //!< ns-3 IPv4 interface of idev
    int inIf{-1};     //!< FortiGate interface index of idev
    PacketView v;     //!< headers parsed once

    // ---- session lookup / creation ----
    Session* s{nullptr};                      //!< its session
    SessionDir dir{SessionDir::ORIGINAL};     //!< direction relative to the session
    CpuModel::Work work{CpuModel::FAST_PATH}; //!< the CPU model's kind of work

    // ---- new session: DNAT, route, policy, SNAT ----
    FlowTuple target;                      //!< the tuple after DNAT (source as it arrived)
    bool dnat{false};                      //!< a VIP matched
    int outIf{-1};                         //!< FortiGate interface index it leaves through
    const FirewallPolicy* policy{nullptr}; //!< the accepting policy
    FlowTuple leaving;                     //!< the tuple after DNAT and SNAT
    const std::string* poolName{nullptr};  //!< IP pool the SNAT came from (in the policy)
    NatAllocator::Result nat;              //!< the SNAT address and port

    // ---- what leaves ----
    Ptr<Ipv4Route> route; //!< the route (known at creation, else the session's or looked up)
    Ptr<const Packet> q;  //!< the packet as it leaves (translated)
    Ipv4Header out;       //!< its header
    Time cost;            //!< processing time in the CPU model

    /// \return the direction as an index (0 original, 1 reply)
    int D() const
    {
        return static_cast<int>(dir);
    }
};

} // namespace ns3

#endif // FORTIGATE_PACKET_CONTEXT_H
