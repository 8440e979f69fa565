/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Configuration family "system": settings, global timers, session-ttl, simulated clock, session
// helpers.

#include "config-util.h"
#include "fortigate-config.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateConfigSystem");

using namespace config;

bool
SystemSettings::operator==(const SystemSettings& o) const
{
    return defaultVoipAlgMode == o.defaultVoipAlgMode && sipTcpPort == o.sipTcpPort &&
           sipUdpPort == o.sipUdpPort && sipSslPort == o.sipSslPort &&
           sipExpectation == o.sipExpectation && sipNatTrace == o.sipNatTrace &&
           snatHairpinTraffic == o.snatHairpinTraffic && sesDeniedTraffic == o.sesDeniedTraffic &&
           centralNat == o.centralNat;
}

bool
SessionTtlPort::operator==(const SessionTtlPort& o) const
{
    return id == o.id && protocol == o.protocol && startPort == o.startPort &&
           endPort == o.endPort && timeout == o.timeout && refreshDirection == o.refreshDirection;
}

const SessionTtlPort*
SessionTtl::FindPort(uint8_t proto, uint16_t dport) const
{
    const bool hasPorts = proto == 6 || proto == 17 || proto == 132;
    for (const auto& p : ports)
    {
        if (p.protocol == proto && (!hasPorts || (dport >= p.startPort && dport <= p.endPort)))
        {
            return &p;
        }
    }
    return nullptr;
}

uint32_t
SessionTtl::TtlFor(uint8_t proto, uint16_t dport) const
{
    const SessionTtlPort* p = FindPort(proto, dport);
    return p ? p->timeout : defaultTtl;
}

bool
SessionTtl::operator==(const SessionTtl& o) const
{
    return defaultTtl == o.defaultTtl && ports == o.ports;
}

bool
SessionHelperEntry::operator==(const SessionHelperEntry& o) const
{
    return id == o.id && name == o.name && protocol == o.protocol && port == o.port;
}

std::vector<SessionHelperEntry>
DefaultSessionHelpers()
{
    return {
        {1, "pptp", 6, 1723},   {2, "h323", 6, 1720},    {3, "ras", 17, 1719},
        {4, "tns", 6, 1521},    {5, "tftp", 17, 69},     {6, "rtsp", 6, 554},
        {7, "rtsp", 6, 7070},   {8, "rtsp", 6, 8554},    {9, "ftp", 6, 21},
        {10, "mms", 6, 1863},   {11, "pmap", 6, 111},    {12, "pmap", 17, 111},
        {13, "sip", 17, 5060},  {14, "dns-udp", 17, 53}, {15, "rsh", 6, 514},
        {16, "rsh", 6, 512},    {17, "dcerpc", 6, 135},  {18, "dcerpc", 17, 135},
        {19, "mgcp", 17, 2427}, {20, "mgcp", 17, 2727},
    };
}

const std::vector<std::string>&
SessionHelperNames()
{
    static const std::vector<std::string> names{"ftp",
                                                "tftp",
                                                "ras",
                                                "h323",
                                                "h245I",
                                                "h245O",
                                                "tns",
                                                "mms",
                                                "sip",
                                                "pptp",
                                                "rtsp",
                                                "dns-udp",
                                                "dns-tcp",
                                                "pmap",
                                                "rsh",
                                                "dcerpc",
                                                "mgcp"};
    return names;
}

bool
IsValidSessionHelperName(const std::string& name)
{
    return Contains(SessionHelperNames(), name);
}

// ---- settings, timers, session-ttl ----------------------------------------------------------

void
FortiGateConfig::CheckSettings(const SystemSettings& s) const
{
    const std::string obj = "system settings";
    if (s.defaultVoipAlgMode != "proxy-based" && s.defaultVoipAlgMode != "kernel-helper-based")
    {
        Fail(obj + ": default-voip-alg-mode: invalid value '" + s.defaultVoipAlgMode +
             "' (proxy-based|kernel-helper-based)");
    }
    auto ports = [&](const char* field, const std::vector<uint16_t>& v) {
        if (v.empty() || v.size() > 2)
        {
            Fail(obj + ": " + field + ": needs one or two ports, got " + std::to_string(v.size()));
        }
        for (uint16_t p : v)
        {
            if (p == 0)
            {
                Fail(obj + ": " + field + ": 0 is out of range (1..65535)");
            }
        }
    };
    ports("sip-tcp-port", s.sipTcpPort);
    ports("sip-udp-port", s.sipUdpPort);
}

void
FortiGateConfig::SetSettings(const SystemSettings& settings)
{
    NS_LOG_FUNCTION(this);
    CheckSettings(settings);
    m_settings = settings;
    Changed();
}

void
FortiGateConfig::CheckTimers(const TcpUdpTimers& t) const
{
    auto range = [](const char* field, uint32_t v, uint32_t lo, uint32_t hi) {
        if (v < lo || v > hi)
        {
            Fail(std::string("system global: ") + field + ": " + std::to_string(v) +
                 " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
        }
    };
    if (t.sessionTtl < 300 || t.sessionTtl > 604800)
    {
        Fail("system session-ttl: default: " + std::to_string(t.sessionTtl) +
             " is out of range (300..604800)");
    }
    range("tcp-halfclose-timer", t.tcpHalfclose, 1, 86400);
    range("tcp-halfopen-timer", t.tcpHalfopen, 1, 86400);
    range("tcp-timewait-timer", t.tcpTimewait, 0, 300);
    range("tcp-rst-timer", t.tcpRst, 5, 300);
    range("udp-idle-timer", t.udpIdle, 1, 86400);
    range("block-session-timer", t.blockSession, 1, 300);
}

void
FortiGateConfig::SetTimers(const TcpUdpTimers& timers)
{
    NS_LOG_FUNCTION(this);
    CheckTimers(timers);
    m_timers = timers;
    m_sessionTtl.defaultTtl = timers.sessionTtl;
    Changed();
}

void
FortiGateConfig::CheckSessionTtlPort(const SessionTtlPort& p) const
{
    const std::string obj = "system session-ttl port " + std::to_string(p.id);
    if (p.startPort > p.endPort)
    {
        Fail(obj + ": end-port: " + std::to_string(p.endPort) + " is below start-port " +
             std::to_string(p.startPort));
    }
    if (p.timeout < 1 || p.timeout > 604800)
    {
        Fail(obj + ": timeout: " + std::to_string(p.timeout) + " is out of range (1..604800)");
    }
    if (p.refreshDirection != "both" && p.refreshDirection != "outgoing" &&
        p.refreshDirection != "incoming")
    {
        Fail(obj + ": refresh-direction: invalid value '" + p.refreshDirection +
             "' (both|outgoing|incoming)");
    }
}

void
FortiGateConfig::CheckSessionTtl(const SessionTtl& t) const
{
    if (t.defaultTtl < 300 || t.defaultTtl > 604800)
    {
        Fail("system session-ttl: default: " + std::to_string(t.defaultTtl) +
             " is out of range (300..604800)");
    }
    std::set<uint32_t> ids;
    for (const auto& p : t.ports)
    {
        if (p.id == 0)
        {
            Fail("system session-ttl port 0: id: must be set");
        }
        if (!ids.insert(p.id).second)
        {
            Fail("system session-ttl port " + std::to_string(p.id) + ": id: duplicate");
        }
        CheckSessionTtlPort(p);
    }
}

void
FortiGateConfig::SetSessionTtl(const SessionTtl& ttl)
{
    NS_LOG_FUNCTION(this);
    SessionTtl t = ttl;
    uint32_t next = 1;
    for (const auto& p : t.ports)
    {
        next = std::max(next, p.id + 1);
    }
    for (auto& p : t.ports)
    {
        if (p.id == 0)
        {
            p.id = next++;
        }
    }
    std::stable_sort(t.ports.begin(),
                     t.ports.end(),
                     [](const SessionTtlPort& a, const SessionTtlPort& b) { return a.id < b.id; });
    CheckSessionTtl(t);
    m_sessionTtl = t;
    m_timers.sessionTtl = t.defaultTtl;
    Changed();
}

uint32_t
FortiGateConfig::SetSessionTtlPort(SessionTtlPort port)
{
    NS_LOG_FUNCTION(this);
    if (port.id == 0)
    {
        port.id = m_sessionTtl.ports.empty() ? 1 : m_sessionTtl.ports.back().id + 1;
    }
    CheckSessionTtlPort(port);
    auto it = std::lower_bound(m_sessionTtl.ports.begin(),
                               m_sessionTtl.ports.end(),
                               port.id,
                               [](const SessionTtlPort& a, uint32_t id) { return a.id < id; });
    if (it != m_sessionTtl.ports.end() && it->id == port.id)
    {
        *it = port;
    }
    else
    {
        m_sessionTtl.ports.insert(it, port);
    }
    Changed();
    return port.id;
}

void
FortiGateConfig::DeleteSessionTtlPort(uint32_t id)
{
    NS_LOG_FUNCTION(this);
    auto it = std::find_if(m_sessionTtl.ports.begin(),
                           m_sessionTtl.ports.end(),
                           [id](const SessionTtlPort& p) { return p.id == id; });
    if (it == m_sessionTtl.ports.end())
    {
        Fail("system session-ttl port " + std::to_string(id) + " does not exist");
    }
    m_sessionTtl.ports.erase(it);
    Changed();
}

void
FortiGateConfig::SetSimEpoch(int64_t unixSeconds)
{
    NS_LOG_FUNCTION(this);
    m_simEpoch = unixSeconds;
    Changed();
}

// ---- session helpers ------------------------------------------------------------------------

void
FortiGateConfig::CheckHelper(const SessionHelperEntry& e) const
{
    const std::string obj = HelperLabel(e.id);
    if (!IsValidSessionHelperName(e.name))
    {
        Fail(obj + ": name: invalid value '" + e.name + "'");
    }
    if (e.port == 0)
    {
        Fail(obj + ": port: 0 is out of range (1..65535)");
    }
}

uint32_t
FortiGateConfig::AddSessionHelper(SessionHelperEntry entry)
{
    NS_LOG_FUNCTION(this);
    return AddById(m_helpers, entry, &HelperLabel, &FortiGateConfig::CheckHelper);
}

void
FortiGateConfig::SetSessionHelper(const SessionHelperEntry& entry)
{
    NS_LOG_FUNCTION(this);
    SetById(m_helpers, entry, &HelperLabel, &FortiGateConfig::CheckHelper);
}

void
FortiGateConfig::DeleteSessionHelper(uint32_t id)
{
    NS_LOG_FUNCTION(this);
    DeleteById(m_helpers, id, &HelperLabel);
}

const SessionHelperEntry*
FortiGateConfig::FindSessionHelper(uint32_t id) const
{
    return FindById(m_helpers, id);
}

const SessionHelperEntry*
FortiGateConfig::FindHelperEntry(uint8_t proto, uint16_t dport) const
{
    for (const auto& e : m_helpers)
    {
        if ((e.protocol == proto || (e.protocol == 0 && (proto == 6 || proto == 17))) &&
            e.port == dport)
        {
            return &e;
        }
    }
    return nullptr;
}

} // namespace ns3
