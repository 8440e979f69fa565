/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session-update-stage.h"

#include "policy-stage.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/tcp-state.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateSessionUpdateStage");

SessionUpdateStage::SessionUpdateStage(DatapathParts& dp, PolicyStage& policy)
    : m_dp(dp),
      m_policy(policy)
{
}

StageResult
SessionUpdateStage::Run(PacketContext& c) const
{
    Session* s = c.s;
    const PacketView& v = c.v;
    int64_t now = Simulator::Now().GetNanoSeconds();
    if ((s->flags & SES_DIRTY) && !(s->flags & SES_BLOCK))
    {
        m_policy.Reevaluate(s);
    }
    if (s->flags & SES_BLOCK)
    {
        // A blocked session drops its packets without being refreshed: it expires on its own.
        m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_BLOCKED_SESSION);
        return StageResult::DONE;
    }
    const int d = c.D();
    bool stateChanged = false;
    if (!v.IsLaterFragment())
    {
        if (v.tuple.proto == IPPROTO_NUM_TCP)
        {
            stateChanged = TcpStateUpdate(s->tcpState, c.dir == SessionDir::REPLY, v.tcpFlags);
        }
        else if (c.dir == SessionDir::REPLY && s->tcpState[0] == 0)
        {
            s->tcpState[0] = 1; // UDP/other: a reply was seen (proto_state 01)
            stateChanged = true;
        }
    }
    s->counters[d].bytes += v.ipTotalLength;
    s->counters[d].packets += 1;
    // refresh-direction outgoing (1) / incoming (2): only that direction's packets refresh the
    // timer; a state change always sets the new state's timer.
    if (stateChanged || m_dp.timers.Refreshes(*s, d))
    {
        m_dp.sessions.Touch(s, now, m_dp.timers.StateTimeout(*s));
    }
    if (v.moreFragments && v.fragOffset == 0)
    {
        m_dp.fragments.Remember(v, s->Tuple(c.dir), now);
    }
    if ((v.tcpFlags & TCP_FLAG_RST) && v.tuple.proto == IPPROTO_NUM_TCP && (s->flags & SES_LOG))
    {
        m_dp.logger.NoteRst(*s, d);
    }
    if (m_dp.flow.Active())
    {
        m_dp.flow.Translate(v.tuple, s->Translated(c.dir)); // flow trace: SNAT/DNAT lines
    }
    c.cost = m_dp.cpu->GetCost(c.work);
    return StageResult::NEXT;
}

} // namespace ns3
