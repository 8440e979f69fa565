/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "policy-stage.h"

#include "session-janitor.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGatePolicyStage");

PolicyStage::PolicyStage(DatapathParts& dp)
    : m_dp(dp)
{
}

StageResult
PolicyStage::Run(PacketContext& c) const
{
    const PacketView& v = c.v;
    const FirewallPolicy* policy =
        m_dp.policies.Lookup(MakePolicyQuery(static_cast<uint8_t>(c.inIf),
                                             static_cast<uint8_t>(c.outIf),
                                             c.target,
                                             v.icmpType,
                                             v.icmpCode));
    if (policy && policy->action == FirewallPolicy::ACCEPT)
    {
        c.policy = policy;
        return StageResult::NEXT;
    }
    uint32_t id = policy ? policy->id : 0;
    m_dp.flow.PolicyDenied(id); // flow trace
    if (policy ? policy->logtraffic != "disable" : m_dp.logImplicitDeny)
    {
        m_dp.logger.LogDeny(v, c.inIf, c.outIf, id);
    }
    m_dp.drops.DenyByPolicy(c.p, c.h, id);
    NS_LOG_LOGIC("denied by policy " << id << ": " << v.tuple.ToString());
    if (m_dp.config.Settings().sesDeniedTraffic)
    {
        // ses-denied-traffic enable: a blocked session drops the flow's next packets
        // without a policy lookup until block-session-timer runs out.
        const int64_t now = Simulator::Now().GetNanoSeconds();
        const uint32_t ttl = m_dp.config.Timers().blockSession;
        if (Session* s = m_dp.sessions.Insert(v.tuple, c.target.Reversed(), now, ttl))
        {
            s->policyId = id;
            s->flags |= SES_BLOCK;
            s->inIf[0] = static_cast<uint8_t>(c.inIf);
            s->inIf[1] = static_cast<uint8_t>(c.outIf);
            s->establishedTtl = ttl;
            s->timeout = ttl;
            m_dp.sessionCreated(*s);
            m_dp.janitor->ScheduleTick();
        }
    }
    return StageResult::DONE;
}

PolicyQuery
PolicyStage::MakePolicyQuery(uint8_t inIf,
                             uint8_t outIf,
                             const FlowTuple& target,
                             uint8_t icmpType,
                             uint8_t icmpCode)
{
    PolicyQuery q;
    q.inIf = inIf;
    q.outIf = outIf;
    q.src = target.src;
    q.dst = target.dst;
    q.proto = target.proto;
    q.sport = target.sport;
    q.dport = target.dport;
    if (target.proto == IPPROTO_NUM_ICMP)
    {
        q.icmpType = icmpType;
        q.icmpCode = icmpCode;
    }
    q.simSeconds = Simulator::Now().GetSeconds();
    return q;
}

bool
PolicyStage::Reevaluate(Session* s) const
{
    // The original direction after DNAT, before SNAT: the source as it arrived.
    FlowTuple target = s->Translated(SessionDir::ORIGINAL);
    target.src = s->org.tuple.src;
    target.sport = s->org.tuple.sport;
    // ICMP sessions are echo sessions: their first packet was an echo request (type 8, code 0).
    const FirewallPolicy* policy =
        m_dp.policies.Lookup(MakePolicyQuery(s->inIf[0], s->inIf[1], target, 8, 0));
    s->flags &= ~SES_DIRTY;
    if (policy && policy->action == FirewallPolicy::ACCEPT)
    {
        s->policyId = policy->id;
        return true;
    }
    // No longer allowed: FortiOS blocks the session and keeps it until it expires.
    s->flags |= SES_BLOCK;
    s->policyId = policy ? policy->id : 0;
    s->establishedTtl = m_dp.config.Timers().blockSession;
    // block-session-timer runs from now; blocked packets do not refresh it.
    m_dp.sessions.Touch(s, Simulator::Now().GetNanoSeconds(), s->establishedTtl);
    return false;
}

} // namespace ns3
