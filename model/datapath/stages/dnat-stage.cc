/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dnat-stage.h"

#include "ns3/log.h"
#include "ns3/tcp-state.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateDnatStage");

DnatStage::DnatStage(DatapathParts& dp)
    : m_dp(dp)
{
}

StageResult
DnatStage::Run(PacketContext& c) const
{
    const PacketView& v = c.v;
    c.target = v.tuple;
    VipTable::Match vip;
    c.dnat = m_dp.vips.Lookup(static_cast<uint8_t>(c.inIf),
                              v.tuple.proto,
                              v.tuple.dst,
                              v.tuple.dport,
                              &vip);
    if (c.dnat)
    {
        c.target.dst = vip.mappedIp;
        c.target.dport = vip.mappedPort;
    }
    else if (m_dp.ifs.GetIpv4()->IsDestinationAddress(c.h.GetDestination(), c.ipIf))
    {
        // allowed: ns-3 delivers it to the unit's stack
        return LocalInAllowed(c) ? StageResult::NOT_MINE : StageResult::DONE;
    }
    if (v.tuple.proto == IPPROTO_NUM_TCP && m_dp.dropTcpWithoutSyn && (v.tcpFlags & 0x12) != 0x02)
    {
        m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_NO_SESSION);
        return StageResult::DONE;
    }
    return StageResult::NEXT;
}

bool
DnatStage::LocalInAllowed(const PacketContext& c) const
{
    const PacketView& v = c.v;
    // A VIP or IP-pool address the unit answers ARP for is not one of its own: with no VIP
    // match and no session, nothing accepts the packet (implicit deny).
    if (m_dp.ifs.IsProxyArpAddress(v.tuple.dst))
    {
        NS_LOG_LOGIC("to VIP/pool address, no VIP or session: denied " << v.tuple.ToString());
        m_dp.drops.DenyByPolicy(c.p, c.h, 0);
        return false;
    }
    // The unit's own address: the arrival interface's allowaccess decides (local-in).
    const auto& access = m_dp.config.Interfaces()[c.inIf].allowaccess;
    bool allowed = false;
    switch (v.tuple.proto)
    {
    case IPPROTO_NUM_ICMP:
        allowed = v.icmpType != 8 || AllowAccessCovers(access, IPPROTO_NUM_ICMP, 0);
        break;
    case IPPROTO_NUM_TCP:
        // A segment of a connection the unit's stack owns passes; a new one needs a service.
        allowed = (v.tcpFlags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) != TCP_FLAG_SYN ||
                  AllowAccessCovers(access, IPPROTO_NUM_TCP, v.tuple.dport);
        break;
    case IPPROTO_NUM_UDP:
        allowed = AllowAccessCovers(access, IPPROTO_NUM_UDP, v.tuple.dport);
        break;
    default:
        break;
    }
    if (!allowed)
    {
        NS_LOG_LOGIC("local-in denied by allowaccess: " << v.tuple.ToString());
        m_dp.drops.DenyByPolicy(c.p, c.h, 0);
    }
    return allowed;
}

} // namespace ns3
