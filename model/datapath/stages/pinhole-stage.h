/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PINHOLE_STAGE_H
#define FORTIGATE_PINHOLE_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage "pinhole / child session": a packet that matches no session but a pinhole
 * (expectation) a session helper opened makes a child session with its parent's policy and the
 * NAT the pinhole asks for, without a policy lookup. Pinholes of a keyed protocol
 * (KeyedProtocol) come in pairs.
 */
class PinholeStage : public DropReasons
{
  public:
    /// \param dp the unit's shared parts
    explicit PinholeStage(DatapathParts& dp);

    /// \return true when c.v's tuple would open a pinhole (nothing used up yet)
    bool Matches(const PacketContext& c) const;

    /// Use the pinhole c.v's tuple opens and create its child session: \return NEXT with c.s,
    /// c.dir, c.work and c.route set; DONE when dropped (no route, table full)
    StageResult Run(PacketContext& c);

  private:
    using RouteResult = FortiGateRouting::Route; //!< route lookup result

    bool CreateChild(const Expectation& e,
                     Ptr<const Packet> p,
                     const Ipv4Header& h,
                     const PacketView& v,
                     int inIf,
                     Ptr<const NetDevice> idev,
                     const Ipv4RoutingProtocol::UnicastForwardCallback& ucb);
    /// Hand the new child session to the next stages (through the context).
    void Established(Session* s,
                     SessionDir dir,
                     Ptr<const Packet> p,
                     const Ipv4Header& h,
                     const PacketView& v,
                     Ptr<const NetDevice> idev,
                     const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                     CpuModel::Work work,
                     Ptr<Ipv4Route> knownRoute);
    /// Count and trace a drop.
    void Drop(Ptr<const Packet> p, const Ipv4Header& h, DropReason r);
    /// The route of \p h arriving on \p idev.
    RouteResult LookupRoute(const Ipv4Header& h, Ptr<const NetDevice> idev) const;
    /// Keep the expiry tick running.
    void ScheduleTick();

    DatapathParts& m_dp;                                   //!< shared parts
    ExpectationTable& m_expectations;                      //!< pinholes
    InterfaceSync& m_ifs;                                  //!< ports
    FlowTrace& m_flow;                                     //!< flow trace
    SessionLogger& m_logger;                               //!< interface names
    SessionTable* m_sessions;                              //!< session table
    HelperHost& m_helperHost;                              //!< helper ids
    SessionTimers& m_timers;                               //!< timers
    const uint32_t& m_icmpTimeout;                         //!< attribute IcmpTimeout
    TracedCallback<const Session&>& m_sessionCreatedTrace; //!< SessionCreated
    PacketContext* m_ctx{nullptr};                         //!< the packet being handled
};

} // namespace ns3

#endif // FORTIGATE_PINHOLE_STAGE_H
