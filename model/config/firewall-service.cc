/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Configuration family "services and groups": `config firewall service custom`, `group`.

#include "config-util.h"
#include "fortigate-config.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateConfigService");

using namespace config;

// ---- services -------------------------------------------------------------------------------

PortRange
ParsePortRange(const std::string& text, const std::string& where)
{
    auto bad = [&]() { Fail(Where(where) + "malformed port range '" + text + "'"); };
    auto parsePair = [&](const std::string& s, uint16_t& lo, uint16_t& hi) {
        const auto dash = s.find('-');
        uint64_t a = 0;
        uint64_t b = 0;
        if (dash == std::string::npos)
        {
            if (!ParseDecimal(s, 65535, a))
            {
                bad();
            }
            b = a;
        }
        else if (!ParseDecimal(s.substr(0, dash), 65535, a) ||
                 !ParseDecimal(s.substr(dash + 1), 65535, b))
        {
            bad();
        }
        if (a > b)
        {
            Fail(Where(where) + "port range '" + text + "': low port " + std::to_string(a) +
                 " is above high port " + std::to_string(b));
        }
        lo = static_cast<uint16_t>(a);
        hi = static_cast<uint16_t>(b);
    };
    PortRange r;
    const auto colon = text.find(':');
    if (colon == std::string::npos)
    {
        parsePair(text, r.dstLo, r.dstHi);
    }
    else
    {
        parsePair(text.substr(0, colon), r.dstLo, r.dstHi);
        parsePair(text.substr(colon + 1), r.srcLo, r.srcHi);
    }
    return r;
}

std::string
PortRangeToString(const PortRange& r)
{
    auto pair = [](uint16_t lo, uint16_t hi) {
        return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
    };
    std::string s = pair(r.dstLo, r.dstHi);
    if (r.RestrictsSource())
    {
        s += ":" + pair(r.srcLo, r.srcHi);
    }
    return s;
}

bool
FirewallService::Matches(uint8_t proto,
                         uint16_t sport,
                         uint16_t dport,
                         int qIcmpType,
                         int qIcmpCode) const
{
    switch (protocol)
    {
    case IP:
        return protocolNumber == 0 || protocolNumber == proto;
    case ICMP:
        return proto == 1 && (icmpType < 0 || icmpType == qIcmpType) &&
               (icmpCode < 0 || icmpCode == qIcmpCode);
    case TCP_UDP_SCTP: {
        const std::vector<PortRange>* ranges = nullptr;
        if (proto == 6)
        {
            ranges = &tcp;
        }
        else if (proto == 17)
        {
            ranges = &udp;
        }
        else if (proto == 132)
        {
            ranges = &sctp;
        }
        else
        {
            return false;
        }
        for (const auto& r : *ranges)
        {
            if (r.Matches(sport, dport))
            {
                return true;
            }
        }
        return false;
    }
    }
    return false;
}

bool
FirewallService::operator==(const FirewallService& o) const
{
    return name == o.name && protocol == o.protocol && tcp == o.tcp && udp == o.udp &&
           sctp == o.sctp && icmpType == o.icmpType && icmpCode == o.icmpCode &&
           protocolNumber == o.protocolNumber && sessionTtl == o.sessionTtl &&
           udpIdleTimer == o.udpIdleTimer && tcpHalfcloseTimer == o.tcpHalfcloseTimer &&
           tcpHalfopenTimer == o.tcpHalfopenTimer && tcpTimewaitTimer == o.tcpTimewaitTimer &&
           predefined == o.predefined && category == o.category && comment == o.comment;
}

std::vector<FirewallService>
DefaultServices()
{
    std::vector<FirewallService> v;
    auto ports = [](const std::string& list) {
        std::vector<PortRange> out;
        std::istringstream is(list);
        std::string tok;
        while (is >> tok)
        {
            out.push_back(ParsePortRange(tok));
        }
        return out;
    };
    auto tu = [&](const std::string& name,
                  const std::string& cat,
                  const std::string& tcp,
                  const std::string& udp) {
        FirewallService s;
        s.name = name;
        s.protocol = FirewallService::TCP_UDP_SCTP;
        s.tcp = ports(tcp);
        s.udp = ports(udp);
        s.predefined = true;
        s.category = cat;
        v.push_back(s);
    };
    auto ip = [&](const std::string& name, const std::string& cat, uint8_t num) {
        FirewallService s;
        s.name = name;
        s.protocol = FirewallService::IP;
        s.protocolNumber = num;
        s.predefined = true;
        s.category = cat;
        v.push_back(s);
    };
    auto icmp = [&](const std::string& name, const std::string& cat, int type) {
        FirewallService s;
        s.name = name;
        s.protocol = FirewallService::ICMP;
        s.icmpType = type;
        s.predefined = true;
        s.category = cat;
        v.push_back(s);
    };
    const std::string gen = "General";
    const std::string web = "Web Access";
    const std::string file = "File Access";
    const std::string mail = "Email";
    const std::string net = "Network Services";
    const std::string auth = "Authentication";
    const std::string remote = "Remote Access";
    const std::string tunnel = "Tunneling";
    const std::string voip = "VoIP, Messaging & Other Applications";
    ip("ALL", gen, 0);
    tu("ALL_TCP", gen, "1-65535", "");
    tu("ALL_UDP", gen, "", "1-65535");
    icmp("ALL_ICMP", gen, -1);
    ip("GRE", tunnel, 47);
    ip("AH", tunnel, 51);
    ip("ESP", tunnel, 50);
    tu("AOL", voip, "5190-5194", "");
    tu("BGP", net, "179", "");
    tu("DHCP", net, "", "67-68");
    tu("DNS", net, "53", "53");
    tu("FINGER", "", "79", "");
    tu("FTP", file, "21", "");
    tu("FTP_GET", file, "21", "");
    tu("FTP_PUT", file, "21", "");
    tu("GOPHER", "", "70", "");
    tu("H323", voip, "1720 1503", "1719");
    tu("HTTP", web, "80", "");
    tu("HTTPS", web, "443", "");
    tu("IKE", tunnel, "", "500 4500");
    tu("IMAP", mail, "143", "");
    tu("IMAPS", mail, "993", "");
    tu("Internet-Locator-Service", "", "389", "");
    tu("IRC", voip, "6660-6669", "");
    tu("L2TP", tunnel, "1701", "1701");
    tu("LDAP", auth, "389", "");
    tu("NetMeeting", "", "1720", "");
    tu("NFS", file, "111 2049", "111 2049");
    tu("NNTP", "", "119", "");
    tu("NTP", net, "123", "123");
    ip("OSPF", net, 89);
    tu("PC-Anywhere", remote, "5631", "5632");
    icmp("PING", net, 8);
    icmp("TIMESTAMP", "", 13);
    icmp("INFO_REQUEST", "", 15);
    icmp("INFO_ADDRESS", "", 17);
    tu("ONC-RPC", remote, "111", "111");
    tu("DCE-RPC", remote, "135", "135");
    tu("POP3", mail, "110", "");
    tu("POP3S", mail, "995", "");
    tu("PPTP", tunnel, "1723", "");
    tu("QUAKE", "", "", "26000 27000 27910 27960");
    tu("RAUDIO", "", "", "7070");
    tu("REXEC", "", "512", "");
    tu("RIP", net, "", "520");
    tu("RLOGIN", "", "513:512-1023", "");
    tu("RSH", "", "514:512-1023", "");
    tu("SCCP", voip, "2000", "");
    tu("SIP", voip, "", "5060");
    tu("SIP-MSNmessenger", voip, "1863", "");
    tu("SAMBA", file, "139", "");
    tu("SMTP", mail, "25", "");
    tu("SMTPS", mail, "465", "");
    tu("SNMP", net, "161-162", "161-162");
    tu("SSH", remote, "22", "");
    tu("SYSLOG", net, "", "514");
    tu("TALK", "", "", "517-518");
    tu("TELNET", remote, "23", "");
    tu("TFTP", file, "", "69");
    tu("MGCP", voip, "", "2427 2727");
    tu("UUCP", "", "540", "");
    tu("VDOLIVE", "", "7000-7010", "");
    tu("WAIS", "", "210", "");
    tu("WINFRAME", "", "1494 2598", "");
    tu("X-WINDOWS", remote, "6000-6063", "");
    tu("MS-SQL", "", "1433 1434", "");
    tu("MYSQL", "", "3306", "");
    tu("RDP", remote, "3389", "");
    tu("VNC", remote, "5900", "");
    tu("DHCP6", net, "", "546 547");
    tu("SQUID", tunnel, "3128", "");
    tu("SOCKS", tunnel, "1080", "1080");
    tu("WINS", remote, "1512", "1512");
    tu("RADIUS", auth, "", "1812 1813");
    tu("RADIUS-OLD", "", "", "1645 1646");
    tu("CVSPSERVER", "", "2401", "2401");
    tu("AFS3", file, "7000-7009", "7000-7009");
    tu("TRACEROUTE", net, "", "33434-33535");
    tu("RTSP", voip, "554 7070 8554", "554");
    tu("MMS", voip, "1755", "1024-5000");
    tu("KERBEROS", auth, "88", "88");
    tu("LDAP_UDP", auth, "", "389");
    tu("SMB", file, "445", "");
    return v;
}

bool
ServiceGroup::operator==(const ServiceGroup& o) const
{
    return name == o.name && members == o.members && comment == o.comment;
}

// ---- services -------------------------------------------------------------------------------

void
FortiGateConfig::CheckService(const FirewallService& s) const
{
    const std::string obj = SvcLabel(s.name);
    CheckName(obj, s.name);
    auto checkRanges = [&](const char* field, const std::vector<PortRange>& v) {
        for (const auto& r : v)
        {
            if (r.dstLo > r.dstHi || r.srcLo > r.srcHi)
            {
                Fail(obj + ": " + field + ": range " + std::to_string(r.dstLo) + "-" +
                     std::to_string(r.dstHi) + ":" + std::to_string(r.srcLo) + "-" +
                     std::to_string(r.srcHi) + " has a low port above its high port");
            }
        }
    };
    switch (s.protocol)
    {
    case FirewallService::TCP_UDP_SCTP:
        checkRanges("tcp-portrange", s.tcp);
        checkRanges("udp-portrange", s.udp);
        checkRanges("sctp-portrange", s.sctp);
        if (s.tcp.empty() && s.udp.empty() && s.sctp.empty())
        {
            Fail(obj + ": tcp-portrange: a TCP/UDP/SCTP service needs at least one of "
                       "tcp-portrange, udp-portrange, sctp-portrange");
        }
        break;
    case FirewallService::ICMP:
        if (s.icmpType < -1 || s.icmpType > 255)
        {
            Fail(obj + ": icmptype: " + std::to_string(s.icmpType) +
                 " is out of range (0..255, unset = any)");
        }
        if (s.icmpCode < -1 || s.icmpCode > 255)
        {
            Fail(obj + ": icmpcode: " + std::to_string(s.icmpCode) +
                 " is out of range (0..255, unset = any)");
        }
        if (s.icmpCode >= 0 && s.icmpType < 0)
        {
            Fail(obj + ": icmpcode: needs icmptype");
        }
        break;
    case FirewallService::IP:
        break;
    default:
        Fail(obj + ": protocol: invalid value");
    }
    if (s.sessionTtl != 0 && (s.sessionTtl < 300 || s.sessionTtl > 604800))
    {
        Fail(obj + ": session-ttl: " + std::to_string(s.sessionTtl) +
             " is out of range (300..604800, 0 = global)");
    }
    auto timer = [&](const char* field, uint32_t v, uint32_t hi) {
        if (v > hi)
        {
            Fail(obj + ": " + field + ": " + std::to_string(v) + " is out of range (0..." +
                 std::to_string(hi) + ", 0 = global)");
        }
    };
    timer("udp-idle-timer", s.udpIdleTimer, 86400);
    timer("tcp-halfclose-timer", s.tcpHalfcloseTimer, 86400);
    timer("tcp-halfopen-timer", s.tcpHalfopenTimer, 86400);
    timer("tcp-timewait-timer", s.tcpTimewaitTimer, 300);
}

void
FortiGateConfig::AddService(const FirewallService& svc)
{
    NS_LOG_FUNCTION(this);
    AddNamed(m_services,
             svc,
             SvcLabel(svc.name),
             NameKind::SERVICE,
             "firewall service custom",
             &FortiGateConfig::CheckService);
}

void
FortiGateConfig::SetService(const FirewallService& svc)
{
    NS_LOG_FUNCTION(this);
    SetNamed(m_services, svc, SvcLabel(svc.name), &FortiGateConfig::CheckService);
}

void
FortiGateConfig::DeleteService(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    DeleteNamed(m_services, name, SvcLabel(name), NameKind::SERVICE);
}

const FirewallService*
FortiGateConfig::FindService(const std::string& name) const
{
    return m_services.Find(name);
}

void
FortiGateConfig::CheckServiceGroup(const ServiceGroup& g) const
{
    const std::string obj = SvcGrpLabel(g.name);
    CheckName(obj, g.name);
    CheckGroupMembers(
        obj,
        g,
        "service group",
        [this](const std::string& m) { return FindService(m) != nullptr; },
        [this](const std::string& m) { return FindServiceGroup(m); },
        [&](const std::string& m) { Fail(obj + ": member: service " + Q(m) + " does not exist"); });
}

void
FortiGateConfig::AddServiceGroup(const ServiceGroup& group)
{
    NS_LOG_FUNCTION(this);
    AddNamed(m_svcGroups,
             group,
             SvcGrpLabel(group.name),
             NameKind::SERVICE,
             "firewall service group",
             &FortiGateConfig::CheckServiceGroup);
}

void
FortiGateConfig::SetServiceGroup(const ServiceGroup& group)
{
    NS_LOG_FUNCTION(this);
    SetNamed(m_svcGroups, group, SvcGrpLabel(group.name), &FortiGateConfig::CheckServiceGroup);
}

void
FortiGateConfig::DeleteServiceGroup(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    DeleteNamed(m_svcGroups, name, SvcGrpLabel(name), NameKind::SERVICE);
}

const ServiceGroup*
FortiGateConfig::FindServiceGroup(const std::string& name) const
{
    return m_svcGroups.Find(name);
}

void
FortiGateConfig::ExpandServicesInto(const std::string& name,
                                    std::vector<const FirewallService*>& out,
                                    int depth) const
{
    if (depth > MAX_GROUP_DEPTH)
    {
        return;
    }
    if (const FirewallService* s = FindService(name))
    {
        if (std::find(out.begin(), out.end(), s) == out.end())
        {
            out.push_back(s);
        }
    }
    else if (const ServiceGroup* g = FindServiceGroup(name))
    {
        for (const auto& m : g->members)
        {
            ExpandServicesInto(m, out, depth + 1);
        }
    }
}

std::vector<const FirewallService*>
FortiGateConfig::ExpandServices(const std::string& nameOrGroup) const
{
    std::vector<const FirewallService*> out;
    ExpandServicesInto(nameOrGroup, out, 0);
    return out;
}

bool
FortiGateConfig::ServiceMatches(const std::string& nameOrGroup,
                                uint8_t proto,
                                uint16_t sport,
                                uint16_t dport,
                                int icmpType,
                                int icmpCode) const
{
    for (const FirewallService* s : ExpandServices(nameOrGroup))
    {
        if (s->Matches(proto, sport, dport, icmpType, icmpCode))
        {
            return true;
        }
    }
    return false;
}

const FirewallService*
FortiGateConfig::MatchingService(const FirewallPolicy& policy,
                                 uint8_t proto,
                                 uint16_t sport,
                                 uint16_t dport,
                                 int icmpType,
                                 int icmpCode) const
{
    for (const auto& name : policy.service)
    {
        for (const FirewallService* s : ExpandServices(name))
        {
            if (s->Matches(proto, sport, dport, icmpType, icmpCode))
            {
                return s;
            }
        }
    }
    return nullptr;
}

} // namespace ns3
