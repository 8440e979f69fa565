/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session-logger.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SessionLogger");

namespace
{
constexpr int64_t kNsPerSecond = 1000000000LL;
} // namespace

SessionLogger::SessionLogger(const FortiGateConfig& config,
                             const SessionTable& sessions,
                             TrafficLog& log)
    : m_config(config),
      m_sessions(sessions),
      m_log(log)
{
}

std::string
SessionLogger::IfName(int ifIndex) const
{
    const auto& ifs = m_config.Interfaces();
    return ifIndex >= 0 && static_cast<size_t>(ifIndex) < ifs.size() ? ifs[ifIndex].name
                                                                     : std::string();
}

std::string
SessionLogger::ServiceName(uint8_t proto, uint16_t dport, int icmpType) const
{
    // The first configured service (predefined ones included) naming this flow, as FortiOS's
    // logs show it; "ALL"-like services (any IP protocol) are skipped. None: "tcp/PORT".
    for (const FirewallService& svc : m_config.Services())
    {
        if ((svc.protocol == FirewallService::IP && svc.protocolNumber == 0) ||
            svc.name.rfind("ALL", 0) == 0)
        {
            continue; // ALL, ALL_TCP, ALL_UDP, ALL_ICMP: FortiOS names the flow's own service
        }
        if (svc.protocol == FirewallService::ICMP && svc.icmpType < 0)
        {
            continue; // ALL_ICMP: FortiOS names the echo service (PING)
        }
        if (svc.Matches(proto, 0, dport, icmpType, -1))
        {
            return svc.name;
        }
    }
    const char* name = IpProtoName(proto);
    return std::string(name ? name : std::to_string(proto).c_str()) + "/" + std::to_string(dport);
}

void
SessionLogger::LogSession(const Session& s, const char* action)
{
    const FlowTuple& o = s.Tuple(SessionDir::ORIGINAL);
    const FlowTuple& r = s.Tuple(SessionDir::REPLY);
    TrafficLogEntry e;
    e.nowNs = Simulator::Now().GetNanoSeconds();
    e.srcip = o.src;
    e.srcport = o.sport;
    e.srcintf = IfName(s.inIf[0]);
    e.dstip = o.dst;
    e.dstport = o.dport;
    e.dstintf = IfName(s.inIf[1]);
    e.sessionid = s.serial;
    e.proto = o.proto;
    e.action = action;
    e.policyid = s.policyId;
    e.service = ServiceName(o.proto,
                            o.proto == IPPROTO_NUM_ICMP ? 0 : o.dport,
                            o.proto == IPPROTO_NUM_ICMP ? 8 : -1);
    e.snat = s.IsSnat();
    e.transip = r.dst;
    e.transport = r.dport;
    e.dnat = s.IsDnat();
    e.tranip = r.src;
    e.tranport = r.sport;
    const int64_t age = e.nowNs - s.createdNs;
    e.duration = age > 0 ? static_cast<uint32_t>(age / kNsPerSecond) : 0;
    e.sentbyte = s.counters[0].bytes;
    e.rcvdbyte = s.counters[1].bytes;
    e.sentpkt = s.counters[0].packets;
    e.rcvdpkt = s.counters[1].packets;
    m_log.Traffic(e);
}

void
SessionLogger::LogClose(const Session& s, SessionCloseReason why)
{
    const uint8_t proto = s.Tuple(SessionDir::ORIGINAL).proto;
    auto rst = m_rstSeen.find(s.serial);
    const char* action = "accept"; // UDP, ICMP, other: FortiOS logs their end as accept
    if (rst != m_rstSeen.end())
    {
        action = rst->second == 1 ? "client-rst" : "server-rst";
        m_rstSeen.erase(rst);
    }
    else if (proto == IPPROTO_NUM_TCP)
    {
        action = why == SessionCloseReason::EXPIRED ? "timeout" : "close";
    }
    LogSession(s, action);
}

void
SessionLogger::LogDeny(const PacketView& v, int inIf, int outIf, uint32_t policyId)
{
    TrafficLogEntry e;
    e.nowNs = Simulator::Now().GetNanoSeconds();
    e.srcip = v.tuple.src;
    e.srcport = v.tuple.sport;
    e.srcintf = IfName(inIf);
    e.dstip = v.tuple.dst;
    e.dstport = v.tuple.dport;
    e.dstintf = IfName(outIf);
    e.sessionid = m_sessions.GetNextSerial();
    e.proto = v.tuple.proto;
    e.action = "deny";
    e.policyid = policyId;
    const bool icmp = v.tuple.proto == IPPROTO_NUM_ICMP;
    e.service = ServiceName(v.tuple.proto, icmp ? 0 : v.tuple.dport, icmp ? v.icmpType : -1);
    e.sentbyte = v.ipTotalLength;
    e.sentpkt = 1;
    m_log.Traffic(e);
}

void
SessionLogger::LogVoip(VoipLogEntry& e)
{
    // The interfaces (and, for an event without a packet, the addresses) come from the
    // signalling session.
    m_sessions.ForEach([this, &e](const Session& s) {
        if (s.serial != e.sessionId)
        {
            return;
        }
        if (e.srcip == 0)
        {
            const FlowTuple& o = s.Tuple(SessionDir::ORIGINAL);
            e.srcip = o.src;
            e.srcport = o.sport;
            e.dstip = o.dst;
            e.dstport = o.dport;
            e.proto = o.proto;
        }
        e.srcintf = IfName(s.inIf[e.reply ? 1 : 0]);
        e.dstintf = IfName(s.inIf[e.reply ? 0 : 1]);
    });
    m_log.Voip(e);
}

} // namespace ns3
