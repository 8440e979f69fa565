/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "icmp-error-stage.h"

#include "ns3/log.h"
#include "ns3/nat-translator.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateIcmpErrorStage");

IcmpErrorStage::IcmpErrorStage(DatapathParts& dp)
    : m_dp(dp)
{
}

StageResult
IcmpErrorStage::Run(PacketContext& c) const
{
    // The embedded packet left the FortiGate translated; the error travels back towards its
    // sender, so the embedded tuple reversed is what a packet of the other direction carries.
    SessionDir dir;
    Session* s = m_dp.sessions.Find(c.v.inner.Reversed(), &dir);
    if (!s)
    {
        m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_ICMP_ERROR);
        return StageResult::DONE;
    }
    // dir = direction of the error; the embedded packet belonged to the other direction.
    SessionDir innerDir = dir == SessionDir::ORIGINAL ? SessionDir::REPLY : SessionDir::ORIGINAL;
    FlowTuple innerOrig = s->Tuple(innerDir); // as its sender sent it, before translation
    uint32_t outerSrc = c.v.tuple.src;
    if (outerSrc == c.v.inner.dst)
    {
        outerSrc = innerOrig.dst; // the peer itself reports: show its pre-translation address
    }
    c.q = TranslateIcmpError(c.p,
                             c.out,
                             c.v,
                             innerOrig,
                             outerSrc,
                             innerOrig.src,
                             Node::ChecksumEnabled());
    if (!c.q)
    {
        m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_MALFORMED);
        return StageResult::DONE;
    }
    c.route = m_dp.routing->Lookup(c.out, c.idev).route;
    if (!c.route)
    {
        m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_NO_ROUTE);
        return StageResult::DONE;
    }
    s->counters[static_cast<int>(dir)].bytes += c.v.ipTotalLength;
    s->counters[static_cast<int>(dir)].packets += 1;
    c.cost = m_dp.cpu->GetCost(CpuModel::FAST_PATH);
    return StageResult::NEXT;
}

} // namespace ns3
