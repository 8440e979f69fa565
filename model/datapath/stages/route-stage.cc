/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "route-stage.h"

#include "policy-stage.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateRouteStage");

RouteStage::RouteStage(DatapathParts& dp, PolicyStage& policy)
    : m_dp(dp),
      m_policy(policy)
{
}

int
RouteStage::OutInterface(const Ptr<Ipv4Route>& route) const
{
    const int32_t ipIf = m_dp.ifs.GetIpv4()->GetInterfaceForDevice(route->GetOutputDevice());
    return ipIf >= 0 ? m_dp.ifs.IfIndexOfIpv4(ipIf) : -1;
}

StageResult
RouteStage::ForNewSession(PacketContext& c) const
{
    Ipv4Header routed = c.h;
    routed.SetDestination(Ipv4Address(c.target.dst));
    FortiGateRouting::Route rr = m_dp.routing->Lookup(routed, c.idev);
    if (rr.local)
    {
        return StageResult::NOT_MINE;
    }
    if (!rr.route)
    {
        m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_NO_ROUTE);
        return StageResult::DONE;
    }
    c.route = rr.route;
    c.outIf = OutInterface(c.route);
    if (c.outIf < 0)
    {
        return StageResult::NOT_MINE; // leaves through a device that is not a FortiGate port
    }
    if (m_dp.flow.Active()) // flow trace: a connected route shows the host as gateway
    {
        const uint32_t gw = c.route->GetGateway().Get();
        m_dp.flow.Route(gw ? gw : c.target.dst, m_dp.logger.IfName(c.outIf));
    }
    return StageResult::NEXT;
}

StageResult
RouteStage::ForSession(PacketContext& c) const
{
    Session* s = c.s;
    const int d = c.D();
    // The session's route of this direction (FortiOS `dev=`/`gwy=`): looked up by the first
    // packet of each direction and after a routing change, else taken from the session.
    if (c.route)
    {
        m_dp.routeCache.Store(*s, d, c.route); // looked up when the session was created
    }
    else if (!(c.route = m_dp.routeCache.Find(*s, d)))
    {
        c.route = m_dp.routing->Lookup(c.out, c.idev).route;
        if (!c.route)
        {
            m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_NO_ROUTE);
            return StageResult::DONE;
        }
        if (!Rerouted(s, d, c.route))
        {
            m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_BLOCKED_SESSION);
            return StageResult::DONE;
        }
        m_dp.routeCache.Store(*s, d, c.route);
    }
    if (d == 1 && s->counters[1].packets == 1 && m_dp.flow.Active())
    {
        // flow trace: the first reply packet looks its route up
        const uint32_t gw = c.route->GetGateway().Get();
        m_dp.flow.Route(gw ? gw : c.out.GetDestination().Get(),
                        m_dp.logger.IfName(m_dp.ifs.GetInterfaceIndex(c.route->GetOutputDevice())));
    }
    return StageResult::NEXT;
}

bool
RouteStage::Rerouted(Session* s, int d, const Ptr<Ipv4Route>& route) const
{
    if (d != 0 || s->counters[0].packets <= 1)
    {
        return true; // the reply direction, or the first packet (its policy saw this route)
    }
    const int outIf = OutInterface(route);
    if (outIf < 0 || outIf == s->inIf[1])
    {
        return true;
    }
    // The session leaves through another interface after a routing change: its policy is
    // looked up again for the new interface pair (FortiOS marks the session dirty).
    NS_LOG_LOGIC("session " << s->serial << " rerouted to interface " << outIf);
    s->inIf[1] = static_cast<uint8_t>(outIf);
    return !(s->flags & SES_MAY_DIRTY) || m_policy.Reevaluate(s);
}

} // namespace ns3
