/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Configuration family "addresses and groups": `config firewall address`, `addrgrp`.

#include "config-util.h"
#include "fortigate-config.h"

#include "ns3/log.h"

#include <algorithm>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateConfigAddress");

using namespace config;

void
MergeRanges(Ipv4RangeList& r)
{
    std::sort(r.begin(), r.end());
    Ipv4RangeList out;
    for (const auto& x : r)
    {
        if (!out.empty() && (out.back().second == std::numeric_limits<uint32_t>::max() ||
                             x.first <= out.back().second + 1))
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
FirewallAddress::FromRange(const std::string& name,
                           const std::string& startIp,
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
    return name == o.name && type == o.type && start == o.start && end == o.end && mask == o.mask &&
           comment == o.comment;
}

bool
AddressGroup::operator==(const AddressGroup& o) const
{
    return name == o.name && members == o.members && comment == o.comment;
}

// ---- addresses ------------------------------------------------------------------------------

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
            Fail(obj + ": subnet: range " + Ipv4ToString(a.start) + "-" + Ipv4ToString(a.end) +
                 " does not match mask " + Ipv4ToString(a.mask));
        }
    }
    else if (a.type == FirewallAddress::IPRANGE)
    {
        if (a.end < a.start)
        {
            Fail(obj + ": end-ip: " + Ipv4ToString(a.end) + " is below start-ip " +
                 Ipv4ToString(a.start));
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
    NS_LOG_FUNCTION(this);
    AddNamed(m_addresses,
             addr,
             AddrLabel(addr.name),
             NameKind::ADDRESS,
             "firewall address",
             &FortiGateConfig::CheckAddress);
}

void
FortiGateConfig::SetAddress(const FirewallAddress& addr)
{
    NS_LOG_FUNCTION(this);
    if (addr.name == "all") // (it always exists)
    {
        Fail(AddrLabel(addr.name) + ": predefined address cannot be changed");
    }
    SetNamed(m_addresses, addr, AddrLabel(addr.name), &FortiGateConfig::CheckAddress);
}

void
FortiGateConfig::DeleteAddress(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    if (name == "all") // (it always exists)
    {
        Fail(AddrLabel(name) + ": predefined address cannot be deleted");
    }
    DeleteNamed(m_addresses, name, AddrLabel(name), NameKind::ADDRESS);
}

const FirewallAddress*
FortiGateConfig::FindAddress(const std::string& name) const
{
    return m_addresses.Find(name);
}

void
FortiGateConfig::CheckAddressGroup(const AddressGroup& g) const
{
    const std::string obj = AddrGrpLabel(g.name);
    CheckName(obj, g.name);
    CheckGroupMembers(
        obj,
        g,
        "addrgrp",
        [this](const std::string& m) { return FindAddress(m) != nullptr; },
        [this](const std::string& m) { return FindAddressGroup(m); },
        [&](const std::string& m) {
            if (FindVip(m))
            {
                Fail(obj + ": member: " + Q(m) + " is a VIP (not allowed in an addrgrp)");
            }
            Fail(obj + ": member: address " + Q(m) + " does not exist");
        });
}

void
FortiGateConfig::AddAddressGroup(const AddressGroup& group)
{
    NS_LOG_FUNCTION(this);
    AddNamed(m_addrGroups,
             group,
             AddrGrpLabel(group.name),
             NameKind::ADDRESS,
             "firewall addrgrp",
             &FortiGateConfig::CheckAddressGroup);
}

void
FortiGateConfig::SetAddressGroup(const AddressGroup& group)
{
    NS_LOG_FUNCTION(this);
    SetNamed(m_addrGroups, group, AddrGrpLabel(group.name), &FortiGateConfig::CheckAddressGroup);
}

void
FortiGateConfig::DeleteAddressGroup(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    DeleteNamed(m_addrGroups, name, AddrGrpLabel(name), NameKind::ADDRESS);
}

const AddressGroup*
FortiGateConfig::FindAddressGroup(const std::string& name) const
{
    return m_addrGroups.Find(name);
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

} // namespace ns3
