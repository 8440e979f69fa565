/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "snat-stage.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateSnatStage");

SnatStage::SnatStage(DatapathParts& dp)
    : m_dp(dp)
{
}

StageResult
SnatStage::Run(PacketContext& c)
{
    const FlowTuple& target = c.target;
    const FirewallPolicy* policy = c.policy;
    const int outIf = c.outIf;
    // SNAT decision (FortiOS order: VIP nat-source-vip, pool, static VIP, interface).
    NatAllocator::Request req;
    req.proto = target.proto;
    req.src = target.src;
    req.sport = target.sport;
    req.dst = target.dst;
    req.dport = target.dport;
    const int64_t nowNs = Simulator::Now().GetNanoSeconds();
    ExpectationTable& expectations = m_dp.expectations;
    SessionTable& sessions = m_dp.sessions;
    const bool reservations = expectations.ReservationCount() > 0;
    auto inUse = [&sessions, &expectations, &target, reservations, nowNs](const FlowTuple& t) {
        if (sessions.TupleInUse(t))
        {
            return true;
        }
        // A public port a session helper announced for another endpoint (NatReservation).
        const NatReservation* r =
            reservations ? expectations.ReservationOf(t.proto, t.dst, t.dport, nowNs) : nullptr;
        return r && (r->privIp != target.src || r->privPort != target.sport);
    };
    // A session helper's NAT reservation for this endpoint on the address NAT picks: the
    // endpoint leaves from exactly the port its signalling announced (the allocator keeps the
    // requested port when its tuple is free).
    auto reserved =
        [&expectations, &target, reservations, nowNs](uint32_t lo, uint32_t hi, uint16_t& port) {
            const NatReservation* r = reservations ? expectations.FindReservation(target.proto,
                                                                                  target.src,
                                                                                  target.sport,
                                                                                  lo,
                                                                                  hi,
                                                                                  nowNs)
                                                   : nullptr;
            if (r)
            {
                port = r->pubPort;
            }
            return r != nullptr;
        };
    const Ptr<UniformRandomVariable>& rngVar = m_dp.rng;
    auto rng = [&rngVar](uint32_t n) { return rngVar->GetInteger(0, n - 1); };
    NatAllocator::Result& nat = c.nat;
    nat.ok = true;
    nat.ip = target.src;
    nat.port = target.sport;
    c.poolName = nullptr;
    VipTable::ReverseMatch rev;
    bool hasRev =
        !c.dnat && m_dp.vips.ReverseLookup(target.src, target.sport, target.proto, outIf, &rev);
    bool hairpin = c.dnat && outIf == c.inIf && m_dp.config.Settings().snatHairpinTraffic;
    if (hasRev && (rev.forced || (policy->nat && !policy->ippool)))
    {
        nat.ip = rev.extIp;
    }
    else if (policy->nat && policy->ippool && !policy->poolname.empty())
    {
        nat.ok = false;
        for (const auto& name : policy->poolname)
        {
            const IpPoolConfig* pool = m_dp.config.FindIpPool(name);
            if (!pool)
            {
                continue;
            }
            NatAllocator::Request preq = req;
            reserved(pool->startip, pool->endip, preq.sport);
            nat = m_dp.nat.AllocatePool(*pool, preq, inUse, rng);
            if (nat.ok)
            {
                c.poolName = &name;
                break;
            }
        }
    }
    else if (policy->nat || hairpin)
    {
        const auto& intfs = m_dp.config.Interfaces();
        const uint32_t egress =
            outIf >= 0 && static_cast<size_t>(outIf) < intfs.size() ? intfs[outIf].ip : 0;
        NatAllocator::Request ireq = req;
        reserved(egress, egress, ireq.sport);
        nat = m_dp.nat.AllocateInterface(egress, ireq, inUse, rng);
    }
    if (!nat.ok)
    {
        m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_NAT_EXHAUSTED);
        return StageResult::DONE;
    }
    c.leaving = FlowTuple{nat.ip, target.dst, nat.port, target.dport, target.proto};
    if (c.v.tuple.proto == IPPROTO_NUM_ICMP)
    {
        c.leaving.dport = c.leaving.sport; // echo id on both sides
    }
    return StageResult::NEXT;
}

void
SnatStage::ReleaseUnused(const PacketContext& c)
{
    if (c.poolName)
    {
        m_dp.nat.Release(c.target.proto, c.target.src, c.nat.ip, c.nat.port, *c.poolName);
    }
}

uint16_t
SnatStage::InternPool(const std::string& name)
{
    if (name.empty())
    {
        return 0;
    }
    for (size_t i = 0; i < m_poolNames.size(); ++i)
    {
        if (m_poolNames[i] == name)
        {
            return static_cast<uint16_t>(i + 1);
        }
    }
    m_poolNames.push_back(name);
    return static_cast<uint16_t>(m_poolNames.size());
}

void
SnatStage::ReleaseSession(const Session& s)
{
    if (s.natPool > 0 && s.natPool <= m_poolNames.size())
    {
        m_dp.nat.Release(s.org.tuple.proto,
                         s.org.tuple.src,
                         s.reply.tuple.dst,
                         s.reply.tuple.dport,
                         m_poolNames[s.natPool - 1]);
    }
}

} // namespace ns3
