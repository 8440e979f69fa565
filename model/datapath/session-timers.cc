/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session-timers.h"

#include "keyed-protocol.h"
#include "tcp-state.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SessionTimers");

namespace
{
} // namespace

SessionTimers::SessionTimers(const FortiGateConfig& config)
    : m_config(config)
{
}

void
SessionTimers::SetChildTimeouts(Session& s, uint32_t ttl, uint32_t unreplied)
{
    if (ttl == 0 && unreplied == 0)
    {
        return;
    }
    s.establishedTtl = ttl ? ttl : s.establishedTtl;
    TimerSet t = m_sets[s.timerSet];
    t.unreplied = unreplied;
    s.timerSet = IndexOf(t);
    s.timeout = StateTimeout(s);
}

uint8_t
SessionTimers::IndexOf(const TimerSet& t)
{
    auto it = std::find(m_sets.begin(), m_sets.end(), t);
    if (it != m_sets.end())
    {
        return static_cast<uint8_t>(it - m_sets.begin());
    }
    if (m_sets.size() > 255)
    {
        NS_LOG_WARN("more than 255 distinct session timer sets: the unit's timers apply");
        return 0;
    }
    m_sets.push_back(t);
    return static_cast<uint8_t>(m_sets.size() - 1);
}

void
SessionTimers::Apply(Session& s,
                     uint8_t proto,
                     uint16_t dport,
                     const FirewallPolicy* policy,
                     uint32_t icmpTimeout)
{
    // A matching service's own timers win, then a session-ttl port entry, then the defaults.
    const FirewallService* svc =
        policy ? m_config.MatchingService(*policy, proto, 0, dport) : nullptr;
    const SessionTtlPort* port = m_config.GetSessionTtl().FindPort(proto, dport);
    switch (proto)
    {
    case IPPROTO_NUM_UDP:
        s.establishedTtl = svc && svc->udpIdleTimer
                               ? svc->udpIdleTimer
                               : UdpTimeout(m_config.Timers(), port ? port->timeout : 0);
        break;
    case IPPROTO_NUM_ICMP:
        s.establishedTtl = icmpTimeout;
        break;
    default:
        if (const KeyedProtocol* k = KeyedProtocols::Find(proto))
        {
            // A keyed protocol's own stream timeout (its helper declares it).
            s.establishedTtl = svc && svc->sessionTtl ? svc->sessionTtl : k->streamTimeout;
            break;
        }
        s.establishedTtl = svc && svc->sessionTtl ? svc->sessionTtl
                           : port                 ? port->timeout
                                                  : m_config.GetSessionTtl().defaultTtl;
        break;
    }
    TimerSet t;
    if (port)
    {
        t.refreshDir = port->refreshDirection == "outgoing"   ? 1
                       : port->refreshDirection == "incoming" ? 2
                                                              : 0;
    }
    if (svc && proto == IPPROTO_NUM_TCP)
    {
        t.tcpHalfopen = svc->tcpHalfopenTimer;
        t.tcpHalfclose = svc->tcpHalfcloseTimer;
        t.tcpTimewait = svc->tcpTimewaitTimer;
    }
    s.timerSet = t == TimerSet{} ? 0 : IndexOf(t);
    s.timeout = StateTimeout(s);
}

uint32_t
SessionTimers::StateTimeout(const Session& s) const
{
    switch (s.org.tuple.proto)
    {
    case IPPROTO_NUM_TCP: {
        if (s.timerSet == 0)
        {
            return TcpStateTimeout(s.tcpState[0], m_config.Timers(), s.establishedTtl);
        }
        const TimerSet& o = m_sets[s.timerSet];
        TcpUdpTimers t = m_config.Timers();
        t.tcpHalfopen = o.tcpHalfopen ? o.tcpHalfopen : t.tcpHalfopen;
        t.tcpHalfclose = o.tcpHalfclose ? o.tcpHalfclose : t.tcpHalfclose;
        t.tcpTimewait = o.tcpTimewait ? o.tcpTimewait : t.tcpTimewait;
        return TcpStateTimeout(s.tcpState[0], t, s.establishedTtl);
    }
    default:
        if (const KeyedProtocol* k = KeyedProtocols::Find(s.org.tuple.proto))
        {
            // Until the other direction is seen, the keyed protocol's unreplied timeout.
            const uint32_t unreplied =
                m_sets[s.timerSet].unreplied ? m_sets[s.timerSet].unreplied : k->unrepliedTimeout;
            return s.tcpState[0] ? s.establishedTtl : std::min(unreplied, s.establishedTtl);
        }
        return s.establishedTtl;
    }
}

} // namespace ns3
