/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fortigate-config.h"

#include "ns3/flow-tuple.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <sstream>

namespace ns3
{

namespace
{

constexpr std::size_t MAX_NAME = 79;        //!< FortiOS object names
constexpr std::size_t MAX_IF_NAME = 15;     //!< FortiOS interface names
constexpr std::size_t MAX_INTERFACES = 256; //!< interface index is a uint8_t
constexpr int MAX_GROUP_DEPTH = 64;         //!< guard against loops while expanding

std::string
Q(const std::string& s)
{
    return "\"" + s + "\"";
}

[[noreturn]] void
Fail(const std::string& msg)
{
    throw ConfigError(msg);
}

void
CheckName(const std::string& obj, const std::string& name, std::size_t maxLen = MAX_NAME)
{
    if (name.empty())
    {
        Fail(obj + ": name: must be set");
    }
    if (name.size() > maxLen)
    {
        Fail(obj + ": name: longer than " + std::to_string(maxLen) + " characters");
    }
}

std::string
AddrLabel(const std::string& name)
{
    return "firewall address " + Q(name);
}

std::string
AddrGrpLabel(const std::string& name)
{
    return "firewall addrgrp " + Q(name);
}

std::string
SvcLabel(const std::string& name)
{
    return "firewall service custom " + Q(name);
}

std::string
SvcGrpLabel(const std::string& name)
{
    return "firewall service group " + Q(name);
}

std::string
SchedLabel(const FirewallSchedule& s)
{
    return std::string("firewall schedule ")
           + (s.kind == FirewallSchedule::ONETIME ? "onetime " : "recurring ") + Q(s.name);
}

std::string
PoolLabel(const std::string& name)
{
    return "firewall ippool " + Q(name);
}

std::string
VipLabel(const std::string& name)
{
    return "firewall vip " + Q(name);
}

std::string
VoipLabel(const std::string& name)
{
    return "voip profile " + Q(name);
}

std::string
PolicyLabel(uint32_t id)
{
    return "firewall policy " + std::to_string(id);
}

std::string
IfLabel(const std::string& name)
{
    return "system interface " + Q(name);
}

std::string
HelperLabel(uint32_t id)
{
    return "system session-helper " + std::to_string(id);
}

template <typename T>
void
RebuildNameIndex(const std::vector<T>& v, std::map<std::string, size_t>& idx)
{
    idx.clear();
    for (size_t i = 0; i < v.size(); ++i)
    {
        idx.emplace(v[i].name, i);
    }
}

template <typename T>
const T*
FindByName(const std::vector<T>& v, const std::map<std::string, size_t>& idx, const std::string& n)
{
    auto it = idx.find(n);
    return it == idx.end() ? nullptr : &v[it->second];
}

/// \return the position \p idx (a name or id index) holds for \p key; fails with
///         "<label> does not exist" when it holds none
template <typename Key>
size_t
PositionOf(const std::map<Key, size_t>& idx, const Key& key, const std::string& label)
{
    auto it = idx.find(key);
    if (it == idx.end())
    {
        Fail(label + " does not exist");
    }
    return it->second;
}

/// \return the position of the entry with id \p id in \p v; fails with "<label> does not exist"
///         when there is none
template <typename T>
size_t
PositionOf(const std::vector<T>& v, uint32_t id, const std::string& label)
{
    for (size_t i = 0; i < v.size(); ++i)
    {
        if (v[i].id == id)
        {
            return i;
        }
    }
    Fail(label + " does not exist");
}

/// \return the entry with id \p id in \p v, or nullptr
template <typename T>
const T*
FindById(const std::vector<T>& v, uint32_t id)
{
    for (const auto& e : v)
    {
        if (e.id == id)
        {
            return &e;
        }
    }
    return nullptr;
}

/// Insert \p e into \p v, which is sorted by id.
template <typename T>
void
InsertById(std::vector<T>& v, const T& e)
{
    auto it = std::lower_bound(v.begin(), v.end(), e.id,
                               [](const T& a, uint32_t id)
                               {
                                   return a.id < id;
                               });
    v.insert(it, e);
}

/// Append \p e to \p v and to its name index \p idx.
template <typename T>
void
AppendNamed(std::vector<T>& v, std::map<std::string, size_t>& idx, const T& e)
{
    idx.emplace(e.name, v.size());
    v.push_back(e);
}

/// Remove entry \p pos of \p v and rebuild its name index \p idx.
template <typename T>
void
EraseNamed(std::vector<T>& v, std::map<std::string, size_t>& idx, size_t pos)
{
    v.erase(v.begin() + pos);
    RebuildNameIndex(v, idx);
}

/// Give entry \p pos of \p v the name \p to, and rebuild its name index \p idx.
template <typename T>
void
RenameNamed(std::vector<T>& v, std::map<std::string, size_t>& idx, size_t pos,
            const std::string& to)
{
    v[pos].name = to;
    RebuildNameIndex(v, idx);
}

/// Replace every \p from in \p v by \p to.
void
ReplaceName(std::vector<std::string>& v, const std::string& from, const std::string& to)
{
    std::replace(v.begin(), v.end(), from, to);
}

/// Fails with "<label> is used by <user>" unless \p user is empty.
void
FailIfUsed(const std::string& label, const std::string& user)
{
    if (!user.empty())
    {
        Fail(label + " is used by " + user);
    }
}

/**
 * \return true when \p target is a member of group \p from or of a group reachable from it
 * \param findGroup the group (with a `members` list) of a name, or nullptr
 */
template <typename FindGroup>
bool
GroupReaches(const std::string& from, const std::string& target, FindGroup findGroup)
{
    // Iterative DFS over groups reachable from `from`.
    std::vector<std::string> stack{from};
    std::set<std::string> seen;
    while (!stack.empty())
    {
        const std::string cur = stack.back();
        stack.pop_back();
        if (!seen.insert(cur).second)
        {
            continue;
        }
        const auto* g = findGroup(cur);
        if (!g)
        {
            continue;
        }
        for (const auto& m : g->members)
        {
            if (m == target)
            {
                return true;
            }
            stack.push_back(m);
        }
    }
    return false;
}

bool
Contains(const std::vector<std::string>& v, const std::string& s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string
Where(const std::string& where)
{
    return where.empty() ? std::string() : where + ": ";
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t
DaysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// Calendar date of days since 1970-01-01.
void
CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
}

int64_t
FloorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
    {
        --q;
    }
    return q;
}

const std::vector<std::string>&
DayNames()
{
    static const std::vector<std::string> names{"sunday",   "monday", "tuesday", "wednesday",
                                                "thursday", "friday", "saturday"};
    return names;
}

const std::vector<std::string>&
AllowAccessNames()
{
    static const std::vector<std::string> names{
        "ping",        "https",          "ssh",    "http", "telnet",     "snmp",  "fgfm",
        "radius-acct", "probe-response", "fabric", "ftm",  "speed-test", "capwap"};
    return names;
}

} // namespace

void
MergeRanges(Ipv4RangeList& r)
{
    std::sort(r.begin(), r.end());
    Ipv4RangeList out;
    for (const auto& x : r)
    {
        if (!out.empty()
            && (out.back().second == std::numeric_limits<uint32_t>::max()
                || x.first <= out.back().second + 1))
        {
            out.back().second = std::max(out.back().second, x.second);
        }
        else
        {
            out.push_back(x);
        }
    }
    r.swap(out);
}

bool
AllowAccessCovers(const std::vector<std::string>& allowaccess, uint8_t proto, uint16_t port)
{
    struct Access
    {
        const char* name;
        uint8_t proto;
        uint16_t lo;
        uint16_t hi;
    };

    static const Access table[] = {
        {"ping", 1, 0, 65535},
        {"http", 6, 80, 80},
        {"https", 6, 443, 443},
        {"ssh", 6, 22, 22},
        {"telnet", 6, 23, 23},
        {"snmp", 17, 161, 161},
        {"fgfm", 6, 541, 541},
        {"radius-acct", 17, 1813, 1813},
        {"probe-response", 17, 8008, 8008},
        {"fabric", 6, 8013, 8013},
        {"ftm", 6, 4433, 4433},
        {"speed-test", 6, 5201, 5201},
        {"capwap", 17, 5246, 5247},
    };
    for (const Access& a : table)
    {
        if (a.proto == proto && port >= a.lo && port <= a.hi && Contains(allowaccess, a.name))
        {
            return true;
        }
    }
    return false;
}

// ---- small value types --------------------------------------------------------------------

bool
InterfaceConfig::operator==(const InterfaceConfig& o) const
{
    return name == o.name && ip == o.ip && mask == o.mask && alias == o.alias && role == o.role
           && allowaccess == o.allowaccess;
}

bool
SystemSettings::operator==(const SystemSettings& o) const
{
    return defaultVoipAlgMode == o.defaultVoipAlgMode && sipTcpPort == o.sipTcpPort
           && sipUdpPort == o.sipUdpPort && sipSslPort == o.sipSslPort
           && sipExpectation == o.sipExpectation && sipNatTrace == o.sipNatTrace
           && snatHairpinTraffic == o.snatHairpinTraffic && sesDeniedTraffic == o.sesDeniedTraffic
           && centralNat == o.centralNat;
}

bool
SessionTtlPort::operator==(const SessionTtlPort& o) const
{
    return id == o.id && protocol == o.protocol && startPort == o.startPort && endPort == o.endPort
           && timeout == o.timeout && refreshDirection == o.refreshDirection;
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
    static const std::vector<std::string> names{
        "ftp",  "tftp", "ras",     "h323",    "h245I", "h245O", "tns",    "mms", "sip",
        "pptp", "rtsp", "dns-udp", "dns-tcp", "pmap",  "rsh",   "dcerpc", "mgcp"};
    return names;
}

bool
IsValidSessionHelperName(const std::string& name)
{
    return Contains(SessionHelperNames(), name);
}

// ---- addresses ------------------------------------------------------------------------------

bool
IsContiguousMask(uint32_t mask)
{
    const uint32_t inv = ~mask;
    return (inv & (inv + 1)) == 0;
}

uint8_t
MaskPrefixLength(uint32_t mask)
{
    uint8_t n = 0;
    while (n < 32 && (mask & (0x80000000u >> n)))
    {
        ++n;
    }
    return n;
}

uint32_t
PrefixLengthToMask(uint8_t len)
{
    return len == 0 ? 0 : (len >= 32 ? 0xffffffffu : ~((1u << (32 - len)) - 1));
}

bool
ParseSubnet(const std::string& text, uint32_t& ip, uint32_t& mask)
{
    std::string addrText = text;
    uint32_t m = 0xffffffffu;
    const auto slash = text.find('/');
    const auto space = text.find(' ');
    if (slash != std::string::npos)
    {
        addrText = text.substr(0, slash);
        uint64_t len = 0;
        if (!ParseDecimal(text.substr(slash + 1), 32, len))
        {
            return false;
        }
        m = PrefixLengthToMask(static_cast<uint8_t>(len));
    }
    else if (space != std::string::npos)
    {
        addrText = text.substr(0, space);
        std::string maskText = text.substr(space + 1);
        while (!maskText.empty() && maskText.front() == ' ')
        {
            maskText.erase(0, 1);
        }
        if (!ParseIpv4(maskText, m) || !IsContiguousMask(m))
        {
            return false;
        }
    }
    uint32_t a = 0;
    if (!ParseIpv4(addrText, a))
    {
        return false;
    }
    ip = a;
    mask = m;
    return true;
}

FirewallAddress
FirewallAddress::Subnet(const std::string& name, uint32_t ip, uint32_t mask)
{
    if (!IsContiguousMask(mask))
    {
        Fail(AddrLabel(name) + ": subnet: mask " + Ipv4ToString(mask) + " is not contiguous");
    }
    FirewallAddress a;
    a.name = name;
    a.type = IPMASK;
    a.start = ip & mask;
    a.end = a.start | ~mask;
    a.mask = mask;
    return a;
}

FirewallAddress
FirewallAddress::Range(const std::string& name, uint32_t startIp, uint32_t endIp)
{
    FirewallAddress a;
    a.name = name;
    a.type = IPRANGE;
    a.start = startIp;
    a.end = endIp;
    a.mask = 0;
    return a;
}

FirewallAddress
FirewallAddress::FromSubnet(const std::string& name, const std::string& text)
{
    uint32_t ip = 0;
    uint32_t mask = 0;
    if (!ParseSubnet(text, ip, mask))
    {
        Fail(AddrLabel(name) + ": subnet: malformed address '" + text + "'");
    }
    return Subnet(name, ip, mask);
}

FirewallAddress
FirewallAddress::FromRange(const std::string& name, const std::string& startIp,
                           const std::string& endIp)
{
    uint32_t lo = 0;
    uint32_t hi = 0;
    if (!ParseIpv4(startIp, lo))
    {
        Fail(AddrLabel(name) + ": start-ip: malformed address '" + startIp + "'");
    }
    if (!ParseIpv4(endIp, hi))
    {
        Fail(AddrLabel(name) + ": end-ip: malformed address '" + endIp + "'");
    }
    return Range(name, lo, hi);
}

bool
FirewallAddress::operator==(const FirewallAddress& o) const
{
    return name == o.name && type == o.type && start == o.start && end == o.end && mask == o.mask
           && comment == o.comment;
}

bool
AddressGroup::operator==(const AddressGroup& o) const
{
    return name == o.name && members == o.members && comment == o.comment;
}

// ---- services -------------------------------------------------------------------------------

PortRange
ParsePortRange(const std::string& text, const std::string& where)
{
    auto bad = [&]()
    {
        Fail(Where(where) + "malformed port range '" + text + "'");
    };
    auto parsePair = [&](const std::string& s, uint16_t& lo, uint16_t& hi)
    {
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
        else if (!ParseDecimal(s.substr(0, dash), 65535, a)
                 || !ParseDecimal(s.substr(dash + 1), 65535, b))
        {
            bad();
        }
        if (a > b)
        {
            Fail(Where(where) + "port range '" + text + "': low port " + std::to_string(a)
                 + " is above high port " + std::to_string(b));
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
    auto pair = [](uint16_t lo, uint16_t hi)
    {
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
FirewallService::Matches(uint8_t proto, uint16_t sport, uint16_t dport, int qIcmpType,
                         int qIcmpCode) const
{
    switch (protocol)
    {
        case IP:
            return protocolNumber == 0 || protocolNumber == proto;
        case ICMP:
            return proto == 1 && (icmpType < 0 || icmpType == qIcmpType)
                   && (icmpCode < 0 || icmpCode == qIcmpCode);
        case TCP_UDP_SCTP:
        {
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
    return name == o.name && protocol == o.protocol && tcp == o.tcp && udp == o.udp
           && sctp == o.sctp && icmpType == o.icmpType && icmpCode == o.icmpCode
           && protocolNumber == o.protocolNumber && sessionTtl == o.sessionTtl
           && udpIdleTimer == o.udpIdleTimer && tcpHalfcloseTimer == o.tcpHalfcloseTimer
           && tcpHalfopenTimer == o.tcpHalfopenTimer && tcpTimewaitTimer == o.tcpTimewaitTimer
           && predefined == o.predefined && category == o.category && comment == o.comment;
}

std::vector<FirewallService>
DefaultServices()
{
    std::vector<FirewallService> v;
    auto ports = [](const std::string& list)
    {
        std::vector<PortRange> out;
        std::istringstream is(list);
        std::string tok;
        while (is >> tok)
        {
            out.push_back(ParsePortRange(tok));
        }
        return out;
    };
    auto tu = [&](const std::string& name, const std::string& cat, const std::string& tcp,
                  const std::string& udp)
    {
        FirewallService s;
        s.name = name;
        s.protocol = FirewallService::TCP_UDP_SCTP;
        s.tcp = ports(tcp);
        s.udp = ports(udp);
        s.predefined = true;
        s.category = cat;
        v.push_back(s);
    };
    auto ip = [&](const std::string& name, const std::string& cat, uint8_t num)
    {
        FirewallService s;
        s.name = name;
        s.protocol = FirewallService::IP;
        s.protocolNumber = num;
        s.predefined = true;
        s.category = cat;
        v.push_back(s);
    };
    auto icmp = [&](const std::string& name, const std::string& cat, int type)
    {
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

// ---- schedules ------------------------------------------------------------------------------

int64_t
CivilToUnixSeconds(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                   unsigned second)
{
    return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

uint16_t
ParseScheduleMinutes(const std::string& text, const std::string& where)
{
    const auto colon = text.find(':');
    uint64_t h = 0;
    uint64_t m = 0;
    if (colon == std::string::npos || colon == 0 || colon > 2 || text.size() - colon - 1 != 2
        || !ParseDecimal(text.substr(0, colon), 23, h)
        || !ParseDecimal(text.substr(colon + 1), 59, m))
    {
        Fail(Where(where) + "malformed time '" + text + "'");
    }
    return static_cast<uint16_t>(h * 60 + m);
}

std::string
ScheduleMinutesToString(uint16_t minutes)
{
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%02u:%02u", (minutes / 60) % 100u, minutes % 60u);
    return buf;
}

int64_t
ParseScheduleDateTime(const std::string& text, const std::string& where)
{
    auto bad = [&]()
    {
        Fail(Where(where) + "malformed date '" + text + "'");
    };
    const auto space = text.find(' ');
    if (space == std::string::npos)
    {
        bad();
    }
    std::string timeText = text.substr(0, space);
    std::string dateText = text.substr(space + 1);
    uint16_t minutes = 0;
    try
    {
        minutes = ParseScheduleMinutes(timeText);
    }
    catch (const ConfigError&)
    {
        bad();
    }
    const auto s1 = dateText.find('/');
    const auto s2 = s1 == std::string::npos ? s1 : dateText.find('/', s1 + 1);
    uint64_t y = 0;
    uint64_t mo = 0;
    uint64_t d = 0;
    if (s2 == std::string::npos || !ParseDecimal(dateText.substr(0, s1), 9999, y)
        || !ParseDecimal(dateText.substr(s1 + 1, s2 - s1 - 1), 12, mo)
        || !ParseDecimal(dateText.substr(s2 + 1), 31, d) || y < 1970 || mo < 1 || d < 1)
    {
        bad();
    }
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    const unsigned maxDay = mdays[mo - 1] + ((mo == 2 && leap) ? 1 : 0);
    if (d > maxDay)
    {
        bad();
    }
    return CivilToUnixSeconds(static_cast<int>(y), static_cast<unsigned>(mo),
                              static_cast<unsigned>(d), minutes / 60, minutes % 60);
}

std::string
ScheduleDateTimeToString(int64_t unixSeconds)
{
    const int64_t days = FloorDiv(unixSeconds, 86400);
    const int64_t secs = unixSeconds - days * 86400;
    int64_t y = 0;
    unsigned m = 0;
    unsigned d = 0;
    CivilFromDays(days, y, m, d);
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%02u:%02u %04lld/%02u/%02u",
                  static_cast<unsigned>(secs / 3600), static_cast<unsigned>((secs / 60) % 60),
                  static_cast<long long>(y), m, d);
    return buf;
}

uint8_t
ParseScheduleDays(const std::vector<std::string>& words, const std::string& where)
{
    uint8_t mask = 0;
    for (const auto& w : words)
    {
        if (w == "none" && words.size() == 1)
        {
            return 0;
        }
        const auto& names = DayNames();
        auto it = std::find(names.begin(), names.end(), w);
        if (it == names.end())
        {
            Fail(Where(where) + "invalid day '" + w + "'");
        }
        mask |= static_cast<uint8_t>(1u << (it - names.begin()));
    }
    return mask;
}

std::vector<std::string>
ScheduleDaysToStrings(uint8_t dayMask)
{
    std::vector<std::string> out;
    for (unsigned i = 0; i < 7; ++i)
    {
        if (dayMask & (1u << i))
        {
            out.push_back(DayNames()[i]);
        }
    }
    if (out.empty())
    {
        out.emplace_back("none");
    }
    return out;
}

bool
FirewallSchedule::IsActiveAt(int64_t unixSeconds) const
{
    if (kind == ONETIME)
    {
        return unixSeconds >= startTime && unixSeconds < endTime;
    }
    const int64_t days = FloorDiv(unixSeconds, 86400);
    const unsigned minute = static_cast<unsigned>((unixSeconds - days * 86400) / 60);
    // 1970-01-01 was a Thursday (4, with sunday = 0).
    const unsigned dow = static_cast<unsigned>(((days % 7) + 7 + 4) % 7);
    const unsigned prev = (dow + 6) % 7;
    const bool today = (dayMask >> dow) & 1;
    const bool yesterday = (dayMask >> prev) & 1;
    if (startMinute == endMinute)
    {
        return today;
    }
    if (startMinute < endMinute)
    {
        return today && minute >= startMinute && minute < endMinute;
    }
    // Wraps past midnight: evening part belongs to today, morning part to yesterday's window.
    return (today && minute >= startMinute) || (yesterday && minute < endMinute);
}

bool
FirewallSchedule::operator==(const FirewallSchedule& o) const
{
    return name == o.name && kind == o.kind && dayMask == o.dayMask && startMinute == o.startMinute
           && endMinute == o.endMinute && startTime == o.startTime && endTime == o.endTime
           && comment == o.comment;
}

// ---- policies, voip -------------------------------------------------------------------------

bool
FirewallPolicy::operator==(const FirewallPolicy& o) const
{
    return id == o.id && name == o.name && comments == o.comments && srcintf == o.srcintf
           && dstintf == o.dstintf && srcaddr == o.srcaddr && dstaddr == o.dstaddr
           && service == o.service && schedule == o.schedule && action == o.action
           && status == o.status && nat == o.nat && ippool == o.ippool && poolname == o.poolname
           && logtraffic == o.logtraffic && voipProfile == o.voipProfile
           && ipsVoipFilter == o.ipsVoipFilter && utmStatus == o.utmStatus;
}

bool
VoipProfileConfig::operator==(const VoipProfileConfig& o) const
{
    return name == o.name && sipStatus == o.sipStatus && featureSet == o.featureSet
           && comment == o.comment && sip == o.sip;
}

// ---- FortiGateConfig ------------------------------------------------------------------------

FortiGateConfig::FortiGateConfig()
{
    m_helpers = DefaultSessionHelpers();
    m_addresses.push_back(FirewallAddress::Subnet("all", 0, 0));
    m_services = DefaultServices();
    FirewallSchedule always;
    always.name = "always";
    always.kind = FirewallSchedule::RECURRING;
    always.dayMask = FirewallSchedule::ALL_DAYS;
    m_schedules.push_back(always);
    VoipProfileConfig def;
    def.name = "default";
    m_voipProfiles.emplace(def.name, def);
    m_timers.sessionTtl = m_sessionTtl.defaultTtl;
    RebuildIndexes();
}

void
FortiGateConfig::RebuildIndexes()
{
    RebuildNameIndex(m_addresses, m_addressIdx);
    RebuildNameIndex(m_addrGroups, m_addrGroupIdx);
    RebuildNameIndex(m_services, m_serviceIdx);
    RebuildNameIndex(m_svcGroups, m_svcGroupIdx);
    RebuildNameIndex(m_schedules, m_scheduleIdx);
    RebuildNameIndex(m_ippools, m_ippoolIdx);
    RebuildNameIndex(m_vips, m_vipIdx);
    m_policyIdx.clear();
    m_policyNameIdx.clear();
    for (size_t i = 0; i < m_policies.size(); ++i)
    {
        m_policyIdx.emplace(m_policies[i].id, i);
        if (!m_policies[i].name.empty())
        {
            m_policyNameIdx.emplace(m_policies[i].name, m_policies[i].id);
        }
    }
}

bool
FortiGateConfig::operator==(const FortiGateConfig& o) const
{
    return m_settings == o.m_settings && m_timers == o.m_timers && m_sessionTtl == o.m_sessionTtl
           && m_simEpoch == o.m_simEpoch && m_interfaces == o.m_interfaces
           && m_helpers == o.m_helpers && m_dnsTranslations == o.m_dnsTranslations
           && m_addresses == o.m_addresses
           && m_addrGroups == o.m_addrGroups && m_services == o.m_services
           && m_svcGroups == o.m_svcGroups && m_schedules == o.m_schedules
           && m_ippools == o.m_ippools && m_vips == o.m_vips && m_voipProfiles == o.m_voipProfiles
           && m_policies == o.m_policies && m_staticRoutes == o.m_staticRoutes;
}

// ---- settings, timers, session-ttl ----------------------------------------------------------

void
FortiGateConfig::CheckSettings(const SystemSettings& s) const
{
    const std::string obj = "system settings";
    if (s.defaultVoipAlgMode != "proxy-based" && s.defaultVoipAlgMode != "kernel-helper-based")
    {
        Fail(obj + ": default-voip-alg-mode: invalid value '" + s.defaultVoipAlgMode
             + "' (proxy-based|kernel-helper-based)");
    }
    auto ports = [&](const char* field, const std::vector<uint16_t>& v)
    {
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
    CheckSettings(settings);
    m_settings = settings;
    Changed();
}

void
FortiGateConfig::CheckTimers(const TcpUdpTimers& t) const
{
    auto range = [](const char* field, uint32_t v, uint32_t lo, uint32_t hi)
    {
        if (v < lo || v > hi)
        {
            Fail(std::string("system global: ") + field + ": " + std::to_string(v)
                 + " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
        }
    };
    if (t.sessionTtl < 300 || t.sessionTtl > 604800)
    {
        Fail("system session-ttl: default: " + std::to_string(t.sessionTtl)
             + " is out of range (300..604800)");
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
        Fail(obj + ": end-port: " + std::to_string(p.endPort) + " is below start-port "
             + std::to_string(p.startPort));
    }
    if (p.timeout < 1 || p.timeout > 604800)
    {
        Fail(obj + ": timeout: " + std::to_string(p.timeout) + " is out of range (1..604800)");
    }
    if (p.refreshDirection != "both" && p.refreshDirection != "outgoing"
        && p.refreshDirection != "incoming")
    {
        Fail(obj + ": refresh-direction: invalid value '" + p.refreshDirection
             + "' (both|outgoing|incoming)");
    }
}

void
FortiGateConfig::CheckSessionTtl(const SessionTtl& t) const
{
    if (t.defaultTtl < 300 || t.defaultTtl > 604800)
    {
        Fail("system session-ttl: default: " + std::to_string(t.defaultTtl)
             + " is out of range (300..604800)");
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
    std::stable_sort(t.ports.begin(), t.ports.end(),
                     [](const SessionTtlPort& a, const SessionTtlPort& b)
                     {
                         return a.id < b.id;
                     });
    CheckSessionTtl(t);
    m_sessionTtl = t;
    m_timers.sessionTtl = t.defaultTtl;
    Changed();
}

uint32_t
FortiGateConfig::SetSessionTtlPort(SessionTtlPort port)
{
    if (port.id == 0)
    {
        port.id = m_sessionTtl.ports.empty() ? 1 : m_sessionTtl.ports.back().id + 1;
    }
    CheckSessionTtlPort(port);
    auto it = std::lower_bound(m_sessionTtl.ports.begin(), m_sessionTtl.ports.end(), port.id,
                               [](const SessionTtlPort& a, uint32_t id)
                               {
                                   return a.id < id;
                               });
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
    auto it = std::find_if(m_sessionTtl.ports.begin(), m_sessionTtl.ports.end(),
                           [id](const SessionTtlPort& p)
                           {
                               return p.id == id;
                           });
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
    m_simEpoch = unixSeconds;
    Changed();
}

// ---- interfaces -----------------------------------------------------------------------------

void
FortiGateConfig::CheckInterface(const InterfaceConfig& i) const
{
    const std::string obj = IfLabel(i.name);
    CheckName(obj, i.name, MAX_IF_NAME);
    if (i.name == "any")
    {
        Fail(obj + ": name: \"any\" is reserved");
    }
    if (!IsContiguousMask(i.mask))
    {
        Fail(obj + ": ip: mask " + Ipv4ToString(i.mask) + " is not contiguous");
    }
    if (i.role != "lan" && i.role != "wan" && i.role != "dmz" && i.role != "undefined")
    {
        Fail(obj + ": role: invalid value '" + i.role + "' (lan|wan|dmz|undefined)");
    }
    for (const auto& a : i.allowaccess)
    {
        if (!Contains(AllowAccessNames(), a))
        {
            Fail(obj + ": allowaccess: invalid value '" + a + "'");
        }
    }
}

uint8_t
FortiGateConfig::AddInterface(const InterfaceConfig& intf)
{
    CheckInterface(intf);
    if (FindInterface(intf.name) >= 0)
    {
        Fail(IfLabel(intf.name) + ": name: already exists");
    }
    if (m_interfaces.size() >= MAX_INTERFACES)
    {
        Fail(IfLabel(intf.name) + ": too many interfaces (at most 256)");
    }
    m_interfaces.push_back(intf);
    Changed();
    return static_cast<uint8_t>(m_interfaces.size() - 1);
}

void
FortiGateConfig::SetInterface(const InterfaceConfig& intf)
{
    const int idx = FindInterface(intf.name);
    if (idx < 0)
    {
        Fail(IfLabel(intf.name) + " does not exist");
    }
    CheckInterface(intf);
    m_interfaces[idx] = intf;
    Changed();
}

void
FortiGateConfig::DeleteInterface(const std::string& name)
{
    const int idx = FindInterface(name);
    if (idx < 0)
    {
        Fail(IfLabel(name) + " does not exist");
    }
    for (const auto& p : m_policies)
    {
        if (Contains(p.srcintf, name) || Contains(p.dstintf, name))
        {
            Fail(IfLabel(name) + " is used by " + PolicyLabel(p.id));
        }
    }
    for (const auto& v : m_vips)
    {
        if (v.extintf == name)
        {
            Fail(IfLabel(name) + " is used by " + VipLabel(v.name));
        }
    }
    for (const auto& r : m_staticRoutes)
    {
        if (r.device == name)
        {
            Fail(IfLabel(name) + " is used by router static " + std::to_string(r.id));
        }
    }
    m_interfaces.erase(m_interfaces.begin() + idx);
    Changed();
}

int
FortiGateConfig::FindInterface(const std::string& name) const
{
    for (size_t i = 0; i < m_interfaces.size(); ++i)
    {
        if (m_interfaces[i].name == name)
        {
            return static_cast<int>(i);
        }
    }
    return -1;
}

const InterfaceConfig*
FortiGateConfig::FindInterfaceConfig(const std::string& name) const
{
    const int idx = FindInterface(name);
    return idx < 0 ? nullptr : &m_interfaces[idx];
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
    if (entry.id == 0)
    {
        entry.id = m_helpers.empty() ? 1 : m_helpers.back().id + 1;
    }
    if (FindSessionHelper(entry.id))
    {
        Fail(HelperLabel(entry.id) + ": id: already exists");
    }
    CheckHelper(entry);
    InsertById(m_helpers, entry);
    Changed();
    return entry.id;
}

void
FortiGateConfig::SetSessionHelper(const SessionHelperEntry& entry)
{
    const size_t pos = PositionOf(m_helpers, entry.id, HelperLabel(entry.id));
    CheckHelper(entry);
    m_helpers[pos] = entry;
    Changed();
}

void
FortiGateConfig::DeleteSessionHelper(uint32_t id)
{
    m_helpers.erase(m_helpers.begin() + PositionOf(m_helpers, id, HelperLabel(id)));
    Changed();
}

const SessionHelperEntry*
FortiGateConfig::FindSessionHelper(uint32_t id) const
{
    return FindById(m_helpers, id);
}

// ---- DNS translation ------------------------------------------------------------------------

void
FortiGateConfig::CheckDnsTranslation(const DnsTranslationConfig& e) const
{
    if (!IsContiguousMask(e.netmask))
    {
        Fail("firewall dnstranslation " + std::to_string(e.id) + ": netmask: "
             + Ipv4ToString(e.netmask) + " is not a valid netmask");
    }
}

uint32_t
FortiGateConfig::AddDnsTranslation(DnsTranslationConfig entry)
{
    if (entry.id == 0)
    {
        entry.id = m_dnsTranslations.empty() ? 1 : m_dnsTranslations.back().id + 1;
    }
    if (FindDnsTranslation(entry.id))
    {
        Fail("firewall dnstranslation " + std::to_string(entry.id) + ": id: already exists");
    }
    CheckDnsTranslation(entry);
    InsertById(m_dnsTranslations, entry);
    Changed();
    return entry.id;
}

void
FortiGateConfig::SetDnsTranslation(const DnsTranslationConfig& entry)
{
    const size_t pos = PositionOf(m_dnsTranslations, entry.id,
                                  "firewall dnstranslation " + std::to_string(entry.id));
    CheckDnsTranslation(entry);
    m_dnsTranslations[pos] = entry;
    Changed();
}

void
FortiGateConfig::DeleteDnsTranslation(uint32_t id)
{
    m_dnsTranslations.erase(
        m_dnsTranslations.begin()
        + PositionOf(m_dnsTranslations, id, "firewall dnstranslation " + std::to_string(id)));
    Changed();
}

const DnsTranslationConfig*
FortiGateConfig::FindDnsTranslation(uint32_t id) const
{
    return FindById(m_dnsTranslations, id);
}

const SessionHelperEntry*
FortiGateConfig::FindHelperEntry(uint8_t proto, uint16_t dport) const
{
    for (const auto& e : m_helpers)
    {
        if ((e.protocol == proto || (e.protocol == 0 && (proto == 6 || proto == 17)))
            && e.port == dport)
        {
            return &e;
        }
    }
    return nullptr;
}

// ---- addresses ------------------------------------------------------------------------------

void
FortiGateConfig::CheckAddressNameFree(const std::string& kind, const std::string& name) const
{
    const std::string obj = kind + " " + Q(name);
    if (FindAddress(name))
    {
        Fail(obj + ": name: already used by " + AddrLabel(name));
    }
    if (FindAddressGroup(name))
    {
        Fail(obj + ": name: already used by " + AddrGrpLabel(name));
    }
    if (FindVip(name))
    {
        Fail(obj + ": name: already used by " + VipLabel(name));
    }
}

void
FortiGateConfig::CheckAddress(const FirewallAddress& a) const
{
    const std::string obj = AddrLabel(a.name);
    CheckName(obj, a.name);
    if (a.type == FirewallAddress::IPMASK)
    {
        if (!IsContiguousMask(a.mask))
        {
            Fail(obj + ": subnet: mask " + Ipv4ToString(a.mask) + " is not contiguous");
        }
        if ((a.start & a.mask) != a.start || a.end != (a.start | ~a.mask))
        {
            Fail(obj + ": subnet: range " + Ipv4ToString(a.start) + "-" + Ipv4ToString(a.end)
                 + " does not match mask " + Ipv4ToString(a.mask));
        }
    }
    else if (a.type == FirewallAddress::IPRANGE)
    {
        if (a.end < a.start)
        {
            Fail(obj + ": end-ip: " + Ipv4ToString(a.end) + " is below start-ip "
                 + Ipv4ToString(a.start));
        }
    }
    else
    {
        Fail(obj + ": type: invalid value");
    }
}

void
FortiGateConfig::AddAddress(const FirewallAddress& addr)
{
    CheckName(AddrLabel(addr.name), addr.name);
    CheckAddressNameFree("firewall address", addr.name);
    CheckAddress(addr);
    AppendNamed(m_addresses, m_addressIdx, addr);
    Changed();
}

void
FortiGateConfig::SetAddress(const FirewallAddress& addr)
{
    const size_t pos = PositionOf(m_addressIdx, addr.name, AddrLabel(addr.name));
    if (addr.name == "all")
    {
        Fail(AddrLabel(addr.name) + ": predefined address cannot be changed");
    }
    CheckAddress(addr);
    m_addresses[pos] = addr;
    Changed();
}

std::string
FortiGateConfig::AddressUser(const std::string& name) const
{
    for (const auto& g : m_addrGroups)
    {
        if (Contains(g.members, name))
        {
            return AddrGrpLabel(g.name);
        }
    }
    for (const auto& p : m_policies)
    {
        if (Contains(p.srcaddr, name) || Contains(p.dstaddr, name))
        {
            return PolicyLabel(p.id);
        }
    }
    return "";
}

void
FortiGateConfig::DeleteAddress(const std::string& name)
{
    const size_t pos = PositionOf(m_addressIdx, name, AddrLabel(name));
    if (name == "all")
    {
        Fail(AddrLabel(name) + ": predefined address cannot be deleted");
    }
    FailIfUsed(AddrLabel(name), AddressUser(name));
    EraseNamed(m_addresses, m_addressIdx, pos);
    Changed();
}

const FirewallAddress*
FortiGateConfig::FindAddress(const std::string& name) const
{
    return FindByName(m_addresses, m_addressIdx, name);
}

bool
FortiGateConfig::AddrGroupReaches(const std::string& from, const std::string& target) const
{
    return GroupReaches(from, target,
                        [this](const std::string& n)
                        {
                            return FindAddressGroup(n);
                        });
}

void
FortiGateConfig::CheckAddressGroup(const AddressGroup& g) const
{
    const std::string obj = AddrGrpLabel(g.name);
    CheckName(obj, g.name);
    if (g.members.empty())
    {
        Fail(obj + ": member: must be set");
    }
    for (const auto& m : g.members)
    {
        if (m == g.name)
        {
            Fail(obj + ": member: a group cannot contain itself");
        }
        if (FindAddress(m))
        {
            continue;
        }
        if (FindAddressGroup(m))
        {
            if (AddrGroupReaches(m, g.name))
            {
                Fail(obj + ": member: addrgrp " + Q(m) + " would create a loop");
            }
            continue;
        }
        if (FindVip(m))
        {
            Fail(obj + ": member: " + Q(m) + " is a VIP (not allowed in an addrgrp)");
        }
        Fail(obj + ": member: address " + Q(m) + " does not exist");
    }
}

void
FortiGateConfig::AddAddressGroup(const AddressGroup& group)
{
    CheckName(AddrGrpLabel(group.name), group.name);
    CheckAddressNameFree("firewall addrgrp", group.name);
    CheckAddressGroup(group);
    AppendNamed(m_addrGroups, m_addrGroupIdx, group);
    Changed();
}

void
FortiGateConfig::SetAddressGroup(const AddressGroup& group)
{
    const size_t pos = PositionOf(m_addrGroupIdx, group.name, AddrGrpLabel(group.name));
    CheckAddressGroup(group);
    m_addrGroups[pos] = group;
    Changed();
}

void
FortiGateConfig::DeleteAddressGroup(const std::string& name)
{
    const size_t pos = PositionOf(m_addrGroupIdx, name, AddrGrpLabel(name));
    FailIfUsed(AddrGrpLabel(name), AddressUser(name));
    EraseNamed(m_addrGroups, m_addrGroupIdx, pos);
    Changed();
}

const AddressGroup*
FortiGateConfig::FindAddressGroup(const std::string& name) const
{
    return FindByName(m_addrGroups, m_addrGroupIdx, name);
}

void
FortiGateConfig::AddressRangesInto(const std::string& name, Ipv4RangeList& out, int depth) const
{
    if (depth > MAX_GROUP_DEPTH)
    {
        return;
    }
    if (const FirewallAddress* a = FindAddress(name))
    {
        out.emplace_back(a->start, a->end);
    }
    else if (const AddressGroup* g = FindAddressGroup(name))
    {
        for (const auto& m : g->members)
        {
            AddressRangesInto(m, out, depth + 1);
        }
    }
    else if (const VipConfig* v = FindVip(name))
    {
        const uint32_t lo = v->mappedipLo;
        const uint32_t hi = v->MappedIpHi();
        out.emplace_back(std::min(lo, hi), std::max(lo, hi));
    }
}

Ipv4RangeList
FortiGateConfig::AddressRanges(const std::string& nameOrGroup) const
{
    Ipv4RangeList r;
    AddressRangesInto(nameOrGroup, r, 0);
    MergeRanges(r);
    return r;
}

bool
FortiGateConfig::AddressMatches(const std::string& nameOrGroup, uint32_t ip) const
{
    std::vector<std::pair<std::string, int>> stack{{nameOrGroup, 0}};
    while (!stack.empty())
    {
        auto [name, depth] = stack.back();
        stack.pop_back();
        if (const FirewallAddress* a = FindAddress(name))
        {
            if (a->Contains(ip))
            {
                return true;
            }
        }
        else if (const AddressGroup* g = FindAddressGroup(name))
        {
            if (depth < MAX_GROUP_DEPTH)
            {
                for (const auto& m : g->members)
                {
                    stack.emplace_back(m, depth + 1);
                }
            }
        }
        else if (const VipConfig* v = FindVip(name))
        {
            if (ip >= v->mappedipLo && ip <= v->MappedIpHi())
            {
                return true;
            }
        }
    }
    return false;
}

// ---- services -------------------------------------------------------------------------------

void
FortiGateConfig::CheckServiceNameFree(const std::string& kind, const std::string& name) const
{
    const std::string obj = kind + " " + Q(name);
    if (FindService(name))
    {
        Fail(obj + ": name: already used by " + SvcLabel(name));
    }
    if (FindServiceGroup(name))
    {
        Fail(obj + ": name: already used by " + SvcGrpLabel(name));
    }
}

void
FortiGateConfig::CheckService(const FirewallService& s) const
{
    const std::string obj = SvcLabel(s.name);
    CheckName(obj, s.name);
    auto checkRanges = [&](const char* field, const std::vector<PortRange>& v)
    {
        for (const auto& r : v)
        {
            if (r.dstLo > r.dstHi || r.srcLo > r.srcHi)
            {
                Fail(obj + ": " + field + ": range " + std::to_string(r.dstLo) + "-"
                     + std::to_string(r.dstHi) + ":" + std::to_string(r.srcLo) + "-"
                     + std::to_string(r.srcHi) + " has a low port above its high port");
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
                Fail(obj
                     + ": tcp-portrange: a TCP/UDP/SCTP service needs at least one of "
                       "tcp-portrange, udp-portrange, sctp-portrange");
            }
            break;
        case FirewallService::ICMP:
            if (s.icmpType < -1 || s.icmpType > 255)
            {
                Fail(obj + ": icmptype: " + std::to_string(s.icmpType)
                     + " is out of range (0..255, unset = any)");
            }
            if (s.icmpCode < -1 || s.icmpCode > 255)
            {
                Fail(obj + ": icmpcode: " + std::to_string(s.icmpCode)
                     + " is out of range (0..255, unset = any)");
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
        Fail(obj + ": session-ttl: " + std::to_string(s.sessionTtl)
             + " is out of range (300..604800, 0 = global)");
    }
    auto timer = [&](const char* field, uint32_t v, uint32_t hi)
    {
        if (v > hi)
        {
            Fail(obj + ": " + field + ": " + std::to_string(v) + " is out of range (0..."
                 + std::to_string(hi) + ", 0 = global)");
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
    CheckName(SvcLabel(svc.name), svc.name);
    CheckServiceNameFree("firewall service custom", svc.name);
    CheckService(svc);
    AppendNamed(m_services, m_serviceIdx, svc);
    Changed();
}

void
FortiGateConfig::SetService(const FirewallService& svc)
{
    const size_t pos = PositionOf(m_serviceIdx, svc.name, SvcLabel(svc.name));
    CheckService(svc);
    m_services[pos] = svc;
    Changed();
}

std::string
FortiGateConfig::ServiceUser(const std::string& name) const
{
    for (const auto& g : m_svcGroups)
    {
        if (Contains(g.members, name))
        {
            return SvcGrpLabel(g.name);
        }
    }
    for (const auto& p : m_policies)
    {
        if (Contains(p.service, name))
        {
            return PolicyLabel(p.id);
        }
    }
    return "";
}

void
FortiGateConfig::DeleteService(const std::string& name)
{
    const size_t pos = PositionOf(m_serviceIdx, name, SvcLabel(name));
    FailIfUsed(SvcLabel(name), ServiceUser(name));
    EraseNamed(m_services, m_serviceIdx, pos);
    Changed();
}

const FirewallService*
FortiGateConfig::FindService(const std::string& name) const
{
    return FindByName(m_services, m_serviceIdx, name);
}

bool
FortiGateConfig::SvcGroupReaches(const std::string& from, const std::string& target) const
{
    return GroupReaches(from, target,
                        [this](const std::string& n)
                        {
                            return FindServiceGroup(n);
                        });
}

void
FortiGateConfig::CheckServiceGroup(const ServiceGroup& g) const
{
    const std::string obj = SvcGrpLabel(g.name);
    CheckName(obj, g.name);
    if (g.members.empty())
    {
        Fail(obj + ": member: must be set");
    }
    for (const auto& m : g.members)
    {
        if (m == g.name)
        {
            Fail(obj + ": member: a group cannot contain itself");
        }
        if (FindService(m))
        {
            continue;
        }
        if (FindServiceGroup(m))
        {
            if (SvcGroupReaches(m, g.name))
            {
                Fail(obj + ": member: service group " + Q(m) + " would create a loop");
            }
            continue;
        }
        Fail(obj + ": member: service " + Q(m) + " does not exist");
    }
}

void
FortiGateConfig::AddServiceGroup(const ServiceGroup& group)
{
    CheckName(SvcGrpLabel(group.name), group.name);
    CheckServiceNameFree("firewall service group", group.name);
    CheckServiceGroup(group);
    AppendNamed(m_svcGroups, m_svcGroupIdx, group);
    Changed();
}

void
FortiGateConfig::SetServiceGroup(const ServiceGroup& group)
{
    const size_t pos = PositionOf(m_svcGroupIdx, group.name, SvcGrpLabel(group.name));
    CheckServiceGroup(group);
    m_svcGroups[pos] = group;
    Changed();
}

void
FortiGateConfig::DeleteServiceGroup(const std::string& name)
{
    const size_t pos = PositionOf(m_svcGroupIdx, name, SvcGrpLabel(name));
    FailIfUsed(SvcGrpLabel(name), ServiceUser(name));
    EraseNamed(m_svcGroups, m_svcGroupIdx, pos);
    Changed();
}

const ServiceGroup*
FortiGateConfig::FindServiceGroup(const std::string& name) const
{
    return FindByName(m_svcGroups, m_svcGroupIdx, name);
}

void
FortiGateConfig::ExpandServicesInto(const std::string& name,
                                    std::vector<const FirewallService*>& out, int depth) const
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
FortiGateConfig::ServiceMatches(const std::string& nameOrGroup, uint8_t proto, uint16_t sport,
                                uint16_t dport, int icmpType, int icmpCode) const
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
FortiGateConfig::MatchingService(const FirewallPolicy& policy, uint8_t proto, uint16_t sport,
                                 uint16_t dport, int icmpType, int icmpCode) const
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

// ---- schedules ------------------------------------------------------------------------------

void
FortiGateConfig::CheckSchedule(const FirewallSchedule& s) const
{
    const std::string obj = SchedLabel(s);
    CheckName(obj, s.name);
    if (s.kind == FirewallSchedule::RECURRING)
    {
        if (s.dayMask > FirewallSchedule::ALL_DAYS)
        {
            Fail(obj + ": day: invalid day mask " + std::to_string(s.dayMask));
        }
        if (s.startMinute >= 1440)
        {
            Fail(obj + ": start: " + std::to_string(s.startMinute)
                 + " minutes is out of range (00:00..23:59)");
        }
        if (s.endMinute >= 1440)
        {
            Fail(obj + ": end: " + std::to_string(s.endMinute)
                 + " minutes is out of range (00:00..23:59)");
        }
    }
    else if (s.kind == FirewallSchedule::ONETIME)
    {
        if (s.endTime < s.startTime)
        {
            Fail(obj + ": end: " + ScheduleDateTimeToString(s.endTime) + " is before start "
                 + ScheduleDateTimeToString(s.startTime));
        }
    }
    else
    {
        Fail(obj + ": invalid schedule kind");
    }
}

void
FortiGateConfig::AddSchedule(const FirewallSchedule& sched)
{
    CheckName(SchedLabel(sched), sched.name);
    if (const FirewallSchedule* other = FindSchedule(sched.name))
    {
        Fail(SchedLabel(sched) + ": name: already used by " + SchedLabel(*other));
    }
    CheckSchedule(sched);
    // Recurring schedules first, then one-time ones (each kind in creation order): the order
    // `show` prints them in, so a configuration loaded back from its text compares equal.
    auto pos = m_schedules.end();
    if (sched.kind == FirewallSchedule::RECURRING)
    {
        pos = std::find_if(m_schedules.begin(), m_schedules.end(),
                           [](const FirewallSchedule& s)
                           {
                               return s.kind != FirewallSchedule::RECURRING;
                           });
    }
    m_schedules.insert(pos, sched);
    RebuildNameIndex(m_schedules, m_scheduleIdx);
    Changed();
}

void
FortiGateConfig::SetSchedule(const FirewallSchedule& sched)
{
    const size_t pos = PositionOf(m_scheduleIdx, sched.name, SchedLabel(sched));
    if (sched.name == "always")
    {
        Fail(SchedLabel(sched) + ": predefined schedule cannot be changed");
    }
    CheckSchedule(sched);
    m_schedules[pos] = sched;
    Changed();
}

void
FortiGateConfig::DeleteSchedule(const std::string& name)
{
    const size_t pos = PositionOf(m_scheduleIdx, name, "firewall schedule " + Q(name));
    const std::string label = SchedLabel(m_schedules[pos]);
    if (name == "always")
    {
        Fail(label + ": predefined schedule cannot be deleted");
    }
    for (const auto& p : m_policies)
    {
        if (p.schedule == name)
        {
            Fail(label + " is used by " + PolicyLabel(p.id));
        }
    }
    EraseNamed(m_schedules, m_scheduleIdx, pos);
    Changed();
}

const FirewallSchedule*
FortiGateConfig::FindSchedule(const std::string& name) const
{
    return FindByName(m_schedules, m_scheduleIdx, name);
}

int64_t
FortiGateConfig::SimToUnixSeconds(double simSeconds) const
{
    return m_simEpoch + static_cast<int64_t>(std::floor(simSeconds));
}

bool
FortiGateConfig::IsActive(const FirewallSchedule& sched, double simSeconds) const
{
    return sched.IsActiveAt(SimToUnixSeconds(simSeconds));
}

bool
FortiGateConfig::IsScheduleActive(const std::string& name, double simSeconds) const
{
    const FirewallSchedule* s = FindSchedule(name);
    return s && IsActive(*s, simSeconds);
}

// ---- IP pools, VIPs -------------------------------------------------------------------------

void
FortiGateConfig::CheckIpPool(const IpPoolConfig& p) const
{
    CheckName(PoolLabel(p.name), p.name);
    ValidateIpPool(p);
    for (const auto& o : m_ippools)
    {
        if (o.name != p.name && IpPoolsOverlap(p, o))
        {
            Fail(PoolLabel(p.name) + ": startip-endip overlaps ippool " + Q(o.name));
        }
    }
}

void
FortiGateConfig::AddIpPool(const IpPoolConfig& pool)
{
    CheckName(PoolLabel(pool.name), pool.name);
    if (FindIpPool(pool.name))
    {
        Fail(PoolLabel(pool.name) + ": name: already exists");
    }
    CheckIpPool(pool);
    AppendNamed(m_ippools, m_ippoolIdx, pool);
    Changed();
}

void
FortiGateConfig::SetIpPool(const IpPoolConfig& pool)
{
    const size_t pos = PositionOf(m_ippoolIdx, pool.name, PoolLabel(pool.name));
    CheckIpPool(pool);
    m_ippools[pos] = pool;
    Changed();
}

void
FortiGateConfig::DeleteIpPool(const std::string& name)
{
    const size_t pos = PositionOf(m_ippoolIdx, name, PoolLabel(name));
    for (const auto& p : m_policies)
    {
        if (Contains(p.poolname, name))
        {
            Fail(PoolLabel(name) + " is used by " + PolicyLabel(p.id));
        }
    }
    EraseNamed(m_ippools, m_ippoolIdx, pos);
    Changed();
}

void
FortiGateConfig::RenameIpPool(const std::string& from, const std::string& to)
{
    const size_t pos = PositionOf(m_ippoolIdx, from, PoolLabel(from));
    CheckName(PoolLabel(to), to);
    if (FindIpPool(to))
    {
        Fail(PoolLabel(to) + ": name: already exists");
    }
    RenameNamed(m_ippools, m_ippoolIdx, pos, to);
    for (auto& p : m_policies)
    {
        ReplaceName(p.poolname, from, to);
    }
    Changed();
}

const IpPoolConfig*
FortiGateConfig::FindIpPool(const std::string& name) const
{
    return FindByName(m_ippools, m_ippoolIdx, name);
}

void
FortiGateConfig::CheckVip(const VipConfig& v) const
{
    CheckName(VipLabel(v.name), v.name);
    ValidateVip(v);
    if (v.extintf != "any" && FindInterface(v.extintf) < 0)
    {
        Fail(VipLabel(v.name) + ": extintf: interface " + Q(v.extintf) + " does not exist");
    }
    for (const auto& o : m_vips)
    {
        if (o.name != v.name && VipsConflict(v, o))
        {
            Fail(VipLabel(v.name) + ": extip: conflicts with vip " + Q(o.name));
        }
    }
}

void
FortiGateConfig::AddVip(const VipConfig& vip)
{
    CheckName(VipLabel(vip.name), vip.name);
    CheckAddressNameFree("firewall vip", vip.name);
    CheckVip(vip);
    AppendNamed(m_vips, m_vipIdx, vip);
    Changed();
}

void
FortiGateConfig::SetVip(const VipConfig& vip)
{
    const size_t pos = PositionOf(m_vipIdx, vip.name, VipLabel(vip.name));
    CheckVip(vip);
    m_vips[pos] = vip;
    Changed();
}

void
FortiGateConfig::DeleteVip(const std::string& name)
{
    const size_t pos = PositionOf(m_vipIdx, name, VipLabel(name));
    for (const auto& p : m_policies)
    {
        if (Contains(p.dstaddr, name))
        {
            Fail(VipLabel(name) + " is used by " + PolicyLabel(p.id));
        }
    }
    EraseNamed(m_vips, m_vipIdx, pos);
    Changed();
}

void
FortiGateConfig::RenameVip(const std::string& from, const std::string& to)
{
    const size_t pos = PositionOf(m_vipIdx, from, VipLabel(from));
    CheckName(VipLabel(to), to);
    CheckAddressNameFree("firewall vip", to);
    RenameNamed(m_vips, m_vipIdx, pos, to);
    for (auto& g : m_addrGroups)
    {
        ReplaceName(g.members, from, to);
    }
    for (auto& p : m_policies)
    {
        ReplaceName(p.srcaddr, from, to);
        ReplaceName(p.dstaddr, from, to);
    }
    Changed();
}

const VipConfig*
FortiGateConfig::FindVip(const std::string& name) const
{
    return FindByName(m_vips, m_vipIdx, name);
}

// ---- VoIP profiles --------------------------------------------------------------------------

void
FortiGateConfig::CheckVoipProfile(const VoipProfileConfig& p) const
{
    CheckName(VoipLabel(p.name), p.name);
    if (p.featureSet != "voipd" && p.featureSet != "ips")
    {
        Fail(VoipLabel(p.name) + ": feature-set: invalid value '" + p.featureSet + "' (voipd|ips)");
    }
    ValidateVoipSipOptions(p.sip, VoipLabel(p.name));
}

void
FortiGateConfig::AddVoipProfile(const VoipProfileConfig& profile)
{
    CheckVoipProfile(profile);
    if (FindVoipProfile(profile.name))
    {
        Fail(VoipLabel(profile.name) + ": name: already exists");
    }
    m_voipProfiles.emplace(profile.name, profile);
    Changed();
}

void
FortiGateConfig::SetVoipProfile(const VoipProfileConfig& profile)
{
    auto it = m_voipProfiles.find(profile.name);
    if (it == m_voipProfiles.end())
    {
        Fail(VoipLabel(profile.name) + " does not exist");
    }
    CheckVoipProfile(profile);
    it->second = profile;
    Changed();
}

void
FortiGateConfig::DeleteVoipProfile(const std::string& name)
{
    auto it = m_voipProfiles.find(name);
    if (it == m_voipProfiles.end())
    {
        Fail(VoipLabel(name) + " does not exist");
    }
    if (name == "default")
    {
        Fail(VoipLabel(name) + ": predefined profile cannot be deleted");
    }
    for (const auto& p : m_policies)
    {
        if (p.voipProfile == name || p.ipsVoipFilter == name)
        {
            Fail(VoipLabel(name) + " is used by " + PolicyLabel(p.id));
        }
    }
    m_voipProfiles.erase(it);
    Changed();
}

const VoipProfileConfig*
FortiGateConfig::FindVoipProfile(const std::string& name) const
{
    auto it = m_voipProfiles.find(name);
    return it == m_voipProfiles.end() ? nullptr : &it->second;
}

// ---- static routes --------------------------------------------------------------------------

void
FortiGateConfig::CheckStaticRoute(const StaticRoute& r) const
{
    ValidateStaticRoute(r);
    if (FindInterface(r.device) < 0)
    {
        Fail("router static " + std::to_string(r.id) + ": device: interface " + Q(r.device)
             + " does not exist");
    }
}

uint32_t
FortiGateConfig::AddStaticRoute(StaticRoute route)
{
    if (route.id == 0)
    {
        route.id = m_staticRoutes.empty() ? 1 : m_staticRoutes.back().id + 1;
    }
    if (FindStaticRoute(route.id))
    {
        Fail("router static " + std::to_string(route.id) + ": id: already exists");
    }
    CheckStaticRoute(route);
    InsertById(m_staticRoutes, route);
    Changed();
    return route.id;
}

void
FortiGateConfig::SetStaticRoute(const StaticRoute& route)
{
    const size_t pos
        = PositionOf(m_staticRoutes, route.id, "router static " + std::to_string(route.id));
    CheckStaticRoute(route);
    m_staticRoutes[pos] = route;
    Changed();
}

void
FortiGateConfig::DeleteStaticRoute(uint32_t id)
{
    m_staticRoutes.erase(m_staticRoutes.begin()
                         + PositionOf(m_staticRoutes, id, "router static " + std::to_string(id)));
    Changed();
}

const StaticRoute*
FortiGateConfig::FindStaticRoute(uint32_t id) const
{
    return FindById(m_staticRoutes, id);
}

// ---- policies -------------------------------------------------------------------------------

void
FortiGateConfig::CheckPolicy(const FirewallPolicy& p) const
{
    const std::string obj = PolicyLabel(p.id);
    if (p.id == 0 || p.id == std::numeric_limits<uint32_t>::max())
    {
        Fail(obj + ": id: out of range (1..4294967294)");
    }
    if (!p.name.empty())
    {
        if (p.name.size() > 35)
        {
            Fail(obj + ": name: longer than 35 characters");
        }
        auto it = m_policyNameIdx.find(p.name);
        if (it != m_policyNameIdx.end() && it->second != p.id)
        {
            Fail(obj + ": name: " + Q(p.name) + " is already used by " + PolicyLabel(it->second));
        }
    }
    auto intfs = [&](const char* field, const std::vector<std::string>& v)
    {
        if (v.empty())
        {
            Fail(obj + ": " + field + ": must be set");
        }
        for (const auto& n : v)
        {
            if (n != "any" && FindInterface(n) < 0)
            {
                Fail(obj + ": " + field + ": interface " + Q(n) + " does not exist");
            }
        }
    };
    intfs("srcintf", p.srcintf);
    intfs("dstintf", p.dstintf);
    auto addrs = [&](const char* field, const std::vector<std::string>& v, bool vipOk)
    {
        if (v.empty())
        {
            Fail(obj + ": " + field + ": must be set");
        }
        for (const auto& n : v)
        {
            if (FindAddress(n) || FindAddressGroup(n))
            {
                continue;
            }
            if (FindVip(n))
            {
                if (vipOk)
                {
                    continue;
                }
                Fail(obj + ": " + field + ": " + Q(n) + " is a VIP (only allowed in dstaddr)");
            }
            Fail(obj + ": " + field + ": address " + Q(n) + " does not exist");
        }
    };
    addrs("srcaddr", p.srcaddr, false);
    addrs("dstaddr", p.dstaddr, true);
    if (p.service.empty())
    {
        Fail(obj + ": service: must be set");
    }
    for (const auto& n : p.service)
    {
        if (!FindService(n) && !FindServiceGroup(n))
        {
            Fail(obj + ": service: service " + Q(n) + " does not exist");
        }
    }
    if (!FindSchedule(p.schedule))
    {
        Fail(obj + ": schedule: schedule " + Q(p.schedule) + " does not exist");
    }
    if (p.action != FirewallPolicy::DENY && p.action != FirewallPolicy::ACCEPT)
    {
        Fail(obj + ": action: invalid value");
    }
    for (const auto& n : p.poolname)
    {
        if (!FindIpPool(n))
        {
            Fail(obj + ": poolname: ippool " + Q(n) + " does not exist");
        }
    }
    if (p.ippool && !p.nat)
    {
        Fail(obj + ": ippool: needs nat enable");
    }
    if (p.ippool && p.poolname.empty())
    {
        Fail(obj + ": poolname: must be set when ippool is enabled");
    }
    if (p.logtraffic != "all" && p.logtraffic != "utm" && p.logtraffic != "disable")
    {
        Fail(obj + ": logtraffic: invalid value '" + p.logtraffic + "' (all|utm|disable)");
    }
    if (!p.voipProfile.empty() && !FindVoipProfile(p.voipProfile))
    {
        Fail(obj + ": voip-profile: voip profile " + Q(p.voipProfile) + " does not exist");
    }
    if (!p.ipsVoipFilter.empty() && !FindVoipProfile(p.ipsVoipFilter))
    {
        Fail(obj + ": ips-voip-filter: voip profile " + Q(p.ipsVoipFilter) + " does not exist");
    }
}

uint32_t
FortiGateConfig::AddPolicy(FirewallPolicy policy)
{
    if (policy.id == 0)
    {
        policy.id = m_policyIdx.empty() ? 1 : m_policyIdx.rbegin()->first + 1;
        if (policy.id == std::numeric_limits<uint32_t>::max())
        {
            Fail("firewall policy 0: id: no free policy id");
        }
    }
    if (FindPolicy(policy.id))
    {
        Fail(PolicyLabel(policy.id) + ": id: already exists");
    }
    CheckPolicy(policy);
    m_policyIdx.emplace(policy.id, m_policies.size());
    if (!policy.name.empty())
    {
        m_policyNameIdx.emplace(policy.name, policy.id);
    }
    m_policies.push_back(std::move(policy));
    Changed();
    return m_policies.back().id;
}

void
FortiGateConfig::SetPolicy(const FirewallPolicy& policy)
{
    const size_t pos = PositionOf(m_policyIdx, policy.id, PolicyLabel(policy.id));
    CheckPolicy(policy);
    FirewallPolicy& cur = m_policies[pos];
    if (!cur.name.empty())
    {
        m_policyNameIdx.erase(cur.name);
    }
    cur = policy;
    if (!cur.name.empty())
    {
        m_policyNameIdx[cur.name] = cur.id;
    }
    Changed();
}

void
FortiGateConfig::DeletePolicy(uint32_t id)
{
    m_policies.erase(m_policies.begin() + PositionOf(m_policyIdx, id, PolicyLabel(id)));
    RebuildIndexes();
    Changed();
}

void
FortiGateConfig::MovePolicy(uint32_t id, MoveWhere where, uint32_t otherId)
{
    const size_t pos = PositionOf(m_policyIdx, id, PolicyLabel(id));
    if (!FindPolicy(otherId))
    {
        Fail(PolicyLabel(id) + ": move: policy " + std::to_string(otherId) + " does not exist");
    }
    if (id == otherId)
    {
        return; // nothing moves
    }
    FirewallPolicy moving = std::move(m_policies[pos]);
    m_policies.erase(m_policies.begin() + pos);
    size_t target = 0;
    for (; target < m_policies.size(); ++target)
    {
        if (m_policies[target].id == otherId)
        {
            break;
        }
    }
    if (where == AFTER)
    {
        ++target;
    }
    m_policies.insert(m_policies.begin() + target, std::move(moving));
    RebuildIndexes();
    Changed();
}

const FirewallPolicy*
FortiGateConfig::FindPolicy(uint32_t id) const
{
    auto it = m_policyIdx.find(id);
    return it == m_policyIdx.end() ? nullptr : &m_policies[it->second];
}

int
FortiGateConfig::PolicyPosition(uint32_t id) const
{
    auto it = m_policyIdx.find(id);
    return it == m_policyIdx.end() ? -1 : static_cast<int>(it->second);
}

// ---- whole-configuration check --------------------------------------------------------------

void
FortiGateConfig::Validate() const
{
    CheckSettings(m_settings);
    CheckTimers(m_timers);
    CheckSessionTtl(m_sessionTtl);
    if (m_timers.sessionTtl != m_sessionTtl.defaultTtl)
    {
        Fail("system session-ttl: default: " + std::to_string(m_sessionTtl.defaultTtl)
             + " differs from the global timers' session-ttl "
             + std::to_string(m_timers.sessionTtl));
    }
    for (size_t i = 1; i < m_sessionTtl.ports.size(); ++i)
    {
        if (m_sessionTtl.ports[i - 1].id >= m_sessionTtl.ports[i].id)
        {
            Fail("system session-ttl: ports are not sorted by id");
        }
    }

    if (m_interfaces.size() > MAX_INTERFACES)
    {
        Fail("system interface: too many interfaces (at most 256)");
    }
    std::set<std::string> names;
    for (const auto& i : m_interfaces)
    {
        CheckInterface(i);
        if (!names.insert(i.name).second)
        {
            Fail(IfLabel(i.name) + ": name: duplicate");
        }
    }

    std::set<uint32_t> ids;
    for (size_t i = 0; i < m_helpers.size(); ++i)
    {
        CheckHelper(m_helpers[i]);
        if (m_helpers[i].id == 0 || !ids.insert(m_helpers[i].id).second)
        {
            Fail(HelperLabel(m_helpers[i].id) + ": id: duplicate or zero");
        }
        if (i > 0 && m_helpers[i - 1].id > m_helpers[i].id)
        {
            Fail("system session-helper: entries are not sorted by id");
        }
    }
    for (const DnsTranslationConfig& t : m_dnsTranslations)
    {
        CheckDnsTranslation(t);
    }

    // Address namespace: addresses, groups, VIPs.
    names.clear();
    auto uniqueAddr = [&](const std::string& label, const std::string& n)
    {
        if (!names.insert(n).second)
        {
            Fail(label + ": name: used more than once in addresses, addrgrps and vips");
        }
    };
    if (!FindAddress("all"))
    {
        Fail(AddrLabel("all") + ": predefined address is missing");
    }
    for (const auto& a : m_addresses)
    {
        uniqueAddr(AddrLabel(a.name), a.name);
        CheckAddress(a);
    }
    for (const auto& g : m_addrGroups)
    {
        uniqueAddr(AddrGrpLabel(g.name), g.name);
        CheckAddressGroup(g);
        if (AddrGroupReaches(g.name, g.name))
        {
            Fail(AddrGrpLabel(g.name) + ": member: loop through this group");
        }
    }
    for (const auto& v : m_vips)
    {
        uniqueAddr(VipLabel(v.name), v.name);
        CheckVip(v);
    }

    names.clear();
    for (const auto& s : m_services)
    {
        if (!names.insert(s.name).second)
        {
            Fail(SvcLabel(s.name) + ": name: used more than once");
        }
        CheckService(s);
    }
    for (const auto& g : m_svcGroups)
    {
        if (!names.insert(g.name).second)
        {
            Fail(SvcGrpLabel(g.name) + ": name: used more than once in services and groups");
        }
        CheckServiceGroup(g);
        if (SvcGroupReaches(g.name, g.name))
        {
            Fail(SvcGrpLabel(g.name) + ": member: loop through this group");
        }
    }

    names.clear();
    const FirewallSchedule* always = FindSchedule("always");
    if (!always || !always->IsAlways())
    {
        Fail("firewall schedule recurring \"always\": predefined schedule is missing or changed");
    }
    for (const auto& s : m_schedules)
    {
        if (!names.insert(s.name).second)
        {
            Fail(SchedLabel(s) + ": name: used more than once");
        }
        CheckSchedule(s);
    }

    names.clear();
    for (const auto& p : m_ippools)
    {
        if (!names.insert(p.name).second)
        {
            Fail(PoolLabel(p.name) + ": name: used more than once");
        }
        CheckIpPool(p);
    }

    if (!FindVoipProfile("default"))
    {
        Fail(VoipLabel("default") + ": predefined profile is missing");
    }
    for (const auto& [n, p] : m_voipProfiles)
    {
        if (n != p.name)
        {
            Fail(VoipLabel(n) + ": name: differs from its key " + Q(p.name));
        }
        CheckVoipProfile(p);
    }

    ids.clear();
    for (const auto& p : m_policies)
    {
        if (!ids.insert(p.id).second)
        {
            Fail(PolicyLabel(p.id) + ": id: used more than once");
        }
        CheckPolicy(p);
    }

    for (size_t i = 0; i < m_staticRoutes.size(); ++i)
    {
        if (i > 0 && m_staticRoutes[i - 1].id >= m_staticRoutes[i].id)
        {
            Fail("router static: entries are not sorted by id, or an id is used twice");
        }
        CheckStaticRoute(m_staticRoutes[i]);
    }
}

} // namespace ns3
