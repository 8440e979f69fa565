/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_ROUTE_STAGE_H
#define FORTIGATE_ROUTE_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

class PolicyStage;

/**
 * \ingroup fortigate
 * Datapath stage "route": the route of a packet through the unit's inner routing
 * (FortiGateRouting::Lookup). A new session looks it up for its destination after DNAT; a
 * packet of an existing session takes the route its session keeps for that direction
 * (RouteCache) and looks it up only on the first packet of the direction or after a routing
 * change. When the original direction then leaves through another interface, the session's
 * policy is looked up again (PolicyStage::Reevaluate).
 */
class RouteStage
{
  public:
    /// \param dp the unit's shared parts \param policy re-evaluates rerouted sessions
    RouteStage(DatapathParts& dp, PolicyStage& policy);

    /// A new session: \return NEXT with c.route and c.outIf set; NOT_MINE when the destination
    /// is the unit's or leaves through a device that is no FortiGate port; DONE when no route
    StageResult ForNewSession(PacketContext& c) const;

    /// A packet of session c.s leaving as c.out: \return NEXT with c.route set; DONE when
    /// dropped (no route, or blocked after a reroute)
    StageResult ForSession(PacketContext& c) const;

    /// \return the FortiGate interface index the route leaves through, or -1
    int OutInterface(const Ptr<Ipv4Route>& route) const;

  private:
    /// A fresh route of direction \p d of an existing session: when the original direction now
    /// leaves through another interface, record it and re-evaluate the policy.
    /// \return false when the session is blocked now
    bool Rerouted(Session* s, int d, const Ptr<Ipv4Route>& route) const;

    DatapathParts& m_dp;   //!< shared parts
    PolicyStage& m_policy; //!< policy re-evaluation
};

} // namespace ns3

#endif // FORTIGATE_ROUTE_STAGE_H
