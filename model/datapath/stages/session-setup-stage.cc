/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session-setup-stage.h"

#include "session-janitor.h"
#include "snat-stage.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateSessionSetupStage");

SessionSetupStage::SessionSetupStage(DatapathParts& dp, SnatStage& snat)
    : m_dp(dp),
      m_snat(snat)
{
}

StageResult
SessionSetupStage::Insert(PacketContext& c)
{
    const FirewallPolicy* policy = c.policy;
    int64_t now = Simulator::Now().GetNanoSeconds();
    SessionTable::InsertResult ir;
    Session* s = m_dp.sessions.Insert(c.v.tuple, c.leaving.Reversed(), now, 10, &ir);
    if (!s)
    {
        m_snat.ReleaseUnused(c);
        m_dp.drops.Drop(c.p,
                        c.h,
                        ir == SessionTable::InsertResult::FULL ? DropReasons::DROP_SESSION_LIMIT
                                                               : DropReasons::DROP_NO_SESSION);
        return StageResult::DONE;
    }
    s->policyId = policy->id;
    s->flags |= SES_MAY_DIRTY;
    if (policy->logtraffic == "all")
    {
        s->flags |= SES_LOG;
    }
    m_dp.flow.NewSessionId(s->serial);                                  // flow trace
    m_dp.flow.PolicyAllowed(policy->id, c.leaving.src != c.target.src); // flow trace
    s->inIf[0] = static_cast<uint8_t>(c.inIf);
    s->inIf[1] = static_cast<uint8_t>(c.outIf);
    s->natPool = c.poolName ? m_snat.InternPool(*c.poolName) : 0;
    m_dp.timers.Apply(*s, c.target.proto, c.target.dport, policy, m_dp.icmpTimeout);
    NS_LOG_INFO("session " << s->serial << " created by policy " << policy->id << ": "
                           << c.v.tuple.ToString() << " -> " << c.leaving.ToString());
    c.s = s;
    c.dir = SessionDir::ORIGINAL;
    c.work = CpuModel::SESSION_SETUP;
    return StageResult::NEXT;
}

void
SessionSetupStage::Announce(const PacketContext& c)
{
    m_dp.sessionCreated(*c.s);
    if ((c.s->flags & SES_LOG) && c.policy->logtrafficStart)
    {
        m_dp.logger.LogSession(*c.s, "start");
    }
    m_dp.janitor->ScheduleTick();
}

} // namespace ns3
