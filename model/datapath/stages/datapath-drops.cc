/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "datapath-drops.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateDrops");

const char*
DropReasons::DropReasonName(DropReason r)
{
    switch (r)
    {
    case DROP_POLICY_DENY:
        return "policy-deny";
    case DROP_NO_SESSION:
        return "no-session";
    case DROP_SESSION_LIMIT:
        return "session-limit";
    case DROP_NAT_EXHAUSTED:
        return "nat-exhausted";
    case DROP_NO_ROUTE:
        return "no-route";
    case DROP_BLOCKED_SESSION:
        return "blocked-session";
    case DROP_MALFORMED:
        return "malformed";
    case DROP_FRAGMENT:
        return "fragment-no-session";
    case DROP_ICMP_ERROR:
        return "icmp-error-no-session";
    case DROP_CPU_BACKLOG:
        return "cpu-backlog";
    case DROP_HELPER:
        return "helper";
    default:
        return "unknown";
    }
}

DropCounter::DropCounter(FlowTrace& flow, DropTrace& drop, DeniedTrace& denied)
    : m_flow(flow),
      m_dropTrace(drop),
      m_deniedTrace(denied)
{
}

void
DropCounter::Drop(Ptr<const Packet> p, const Ipv4Header& h, DropReason r)
{
    ++m_drops[r];
    m_flow.Dropped(DropReasonName(r)); // flow trace (issue 13)
    NS_LOG_LOGIC("drop " << DropReasonName(r) << " " << h);
    m_dropTrace(p, h, DropReasonName(r));
}

void
DropCounter::DenyByPolicy(Ptr<const Packet> p, const Ipv4Header& h, uint32_t policyId)
{
    ++m_drops[DROP_POLICY_DENY];
    m_deniedTrace(p, h, policyId);
    m_dropTrace(p, h, DropReasonName(DROP_POLICY_DENY));
}

} // namespace ns3
