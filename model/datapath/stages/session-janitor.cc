/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session-janitor.h"

#include "held-segments.h"
#include "helper-stage.h"
#include "snat-stage.h"

#include "ns3/log.h"
#include "ns3/session-helper.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateSessionJanitor");

namespace
{
constexpr int64_t kNsPerSecond = 1000000000LL;
} // namespace

SessionJanitor::SessionJanitor(DatapathParts& dp,
                               SnatStage& snat,
                               HeldSegments& held,
                               HelperStage& helper,
                               TracedCallback<const Session&, const std::string&>& closed)
    : m_dp(dp),
      m_snat(snat),
      m_held(held),
      m_helper(helper),
      m_sessions(&dp.sessions),
      m_expectations(dp.expectations),
      m_fragments(dp.fragments),
      m_helperHost(dp.helperHost),
      m_logger(dp.logger),
      m_sessionClosedTrace(closed)
{
}

void
SessionJanitor::AdvanceIfDue()
{
    if (m_sessions->Size() > 0 && m_sessions->NextDeadlineNs() <= Simulator::Now().GetNanoSeconds())
    {
        m_sessions->Advance(Simulator::Now().GetNanoSeconds());
    }
}

void
SessionJanitor::Cancel()
{
    Simulator::Cancel(m_tick);
}

// OnSessionClosed, ScheduleTick and Tick moved from FortiGateNode (issue 10 item 2); the held
// bytes and the pool port are now released by their units.

void
SessionJanitor::OnSessionClosed(Session& s, SessionCloseReason why)
{
    m_held.Forget(s.serial);  // its held bytes go with it
    m_snat.ReleaseSession(s); // its IP pool port
    if (m_expectations.Size() > 0 || m_expectations.ReservationCount() > 0)
    {
        m_expectations.RemoveByParent(s.serial); // its pinholes and NAT reservations
    }
    if (m_helperHost.Has(s.helperId))
    {
        m_helperHost.At(s.helperId)->OnSessionClosed(s);
        if (m_helperHost.At(s.helperId)->ChildrenFollowParent())
        {
            const uint32_t serial = s.serial;
            m_sessions->Clear(
                [serial](const Session& x) {
                    const SessionExtension* e = x.ExtOrNull();
                    return e && e->parentSerial == serial;
                },
                SessionCloseReason::PARENT);
        }
    }
    if (s.flags & SES_LOG)
    {
        m_logger.LogClose(s, why);
    }
    NS_LOG_INFO("session " << s.serial << " closed: " << SessionCloseReasonName(why));
    m_sessionClosedTrace(s, SessionCloseReasonName(why));
}

void
SessionJanitor::ScheduleTick()
{
    if (m_tick.IsRunning() || (m_sessions->Size() == 0 && m_expectations.Size() == 0))
    {
        return;
    }
    // Tick on whole simulated seconds: FortiOS timers are whole seconds.
    int64_t now = Simulator::Now().GetNanoSeconds();
    int64_t next = (now / kNsPerSecond + 1) * kNsPerSecond;
    m_tick = Simulator::Schedule(NanoSeconds(next - now), &SessionJanitor::Tick, this);
}

void
SessionJanitor::Tick()
{
    int64_t now = Simulator::Now().GetNanoSeconds();
    m_sessions->Advance(now);
    m_expectations.Expire(now);
    m_fragments.Expire(now);
    // Helper timers that need no traffic (a proxy's dialog expiry and idle eviction): a
    // helper reaches a session by serial and removes that session's pinholes and reservations.
    HousekeepContext hk(m_helper.Host(), now);
    for (const Ptr<SessionHelper>& helper : m_helperHost.All())
    {
        helper->Housekeep(hk);
    }
    ScheduleTick();
}

} // namespace ns3
