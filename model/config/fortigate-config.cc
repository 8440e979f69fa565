/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// FortiGateConfig as a whole: construction, equality, the references between objects (who uses
// a name, renaming it everywhere) and the whole-configuration check. Each object family has its
// own file (system-config.cc, interface-config.cc, firewall-address.cc, ...).

#include "fortigate-config.h"

#include "config-util.h"

#include "ns3/log.h"

#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateConfig");

using namespace config;

// ---- FortiGateConfig ------------------------------------------------------------------------

FortiGateConfig::FortiGateConfig()
{
    m_helpers = DefaultSessionHelpers();
    m_addresses.Insert(FirewallAddress::Subnet("all", 0, 0));
    for (const FirewallService& s : DefaultServices())
    {
        m_services.Insert(s);
    }
    FirewallSchedule always;
    always.name = "always";
    always.kind = FirewallSchedule::RECURRING;
    always.dayMask = FirewallSchedule::ALL_DAYS;
    m_schedules.Insert(always);
    VoipProfileConfig def;
    def.name = "default";
    m_voipProfiles.emplace(def.name, def);
    m_timers.sessionTtl = m_sessionTtl.defaultTtl;
}

void
FortiGateConfig::RebuildPolicyIndexes()
{
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
    return m_settings == o.m_settings && m_timers == o.m_timers && m_sessionTtl == o.m_sessionTtl &&
           m_simEpoch == o.m_simEpoch && m_interfaces == o.m_interfaces &&
           m_helpers == o.m_helpers && m_dnsTranslations == o.m_dnsTranslations &&
           m_addresses == o.m_addresses && m_addrGroups == o.m_addrGroups &&
           m_services == o.m_services && m_svcGroups == o.m_svcGroups &&
           m_schedules == o.m_schedules && m_ippools == o.m_ippools && m_vips == o.m_vips &&
           m_voipProfiles == o.m_voipProfiles && m_policies == o.m_policies &&
           m_staticRoutes == o.m_staticRoutes;
}

// ---- references between objects -------------------------------------------------------------

template <class Self, class Visit>
void
FortiGateConfig::VisitReferences(Self& self, NameKind kind, Visit visit)
{
    // Self is FortiGateConfig or const FortiGateConfig: one list of the references for reading
    // (UsersOf) and for changing them (RenameReferences). The order is the users' order.
    auto each = [&visit](const std::string& label, auto& names) {
        for (auto& n : names)
        {
            visit(label, n);
        }
    };
    switch (kind)
    {
    case NameKind::INTERFACE:
        for (auto& p : self.m_policies)
        {
            each(PolicyLabel(p.id), p.srcintf);
            each(PolicyLabel(p.id), p.dstintf);
        }
        self.m_vips.ForEach([&visit](auto& v) { visit(VipLabel(v.name), v.extintf); });
        for (auto& r : self.m_staticRoutes)
        {
            visit("router static " + std::to_string(r.id), r.device);
        }
        break;
    case NameKind::ADDRESS:
        self.m_addrGroups.ForEach([&each](auto& g) { each(AddrGrpLabel(g.name), g.members); });
        for (auto& p : self.m_policies)
        {
            each(PolicyLabel(p.id), p.srcaddr);
            each(PolicyLabel(p.id), p.dstaddr);
        }
        break;
    case NameKind::SERVICE:
        self.m_svcGroups.ForEach([&each](auto& g) { each(SvcGrpLabel(g.name), g.members); });
        for (auto& p : self.m_policies)
        {
            each(PolicyLabel(p.id), p.service);
        }
        break;
    case NameKind::SCHEDULE:
        for (auto& p : self.m_policies)
        {
            visit(PolicyLabel(p.id), p.schedule);
        }
        break;
    case NameKind::IPPOOL:
        for (auto& p : self.m_policies)
        {
            each(PolicyLabel(p.id), p.poolname);
        }
        break;
    case NameKind::VOIP_PROFILE:
        for (auto& p : self.m_policies)
        {
            visit(PolicyLabel(p.id), p.voipProfile);
            visit(PolicyLabel(p.id), p.ipsVoipFilter);
        }
        break;
    }
}

std::vector<std::string>
FortiGateConfig::UsersOf(NameKind kind, const std::string& name) const
{
    std::vector<std::string> users;
    VisitReferences(*this, kind, [&](const std::string& label, const std::string& ref) {
        if (ref == name && (users.empty() || users.back() != label))
        {
            users.push_back(label);
        }
    });
    return users;
}

void
FortiGateConfig::FailIfUsed(NameKind kind, const std::string& name, const std::string& label) const
{
    const std::vector<std::string> users = UsersOf(kind, name);
    if (!users.empty())
    {
        Fail(label + " is used by " + users.front());
    }
}

void
FortiGateConfig::RenameReferences(NameKind kind, const std::string& from, const std::string& to)
{
    NS_LOG_FUNCTION(this);
    bool changed = false;
    VisitReferences(*this, kind, [&](const std::string&, std::string& ref) {
        if (ref == from)
        {
            ref = to;
            changed = true;
        }
    });
    if (changed)
    {
        Changed();
    }
}

void
FortiGateConfig::CheckNameFree(NameKind space,
                               const std::string& kind,
                               const std::string& name) const
{
    std::string owner;
    if (space == NameKind::ADDRESS)
    {
        owner = FindAddress(name)        ? AddrLabel(name)
                : FindAddressGroup(name) ? AddrGrpLabel(name)
                : FindVip(name)          ? VipLabel(name)
                                         : "";
    }
    else if (space == NameKind::SERVICE)
    {
        owner = FindService(name)        ? SvcLabel(name)
                : FindServiceGroup(name) ? SvcGrpLabel(name)
                                         : "";
    }
    if (!owner.empty())
    {
        Fail(kind + " " + Q(name) + ": name: already used by " + owner);
    }
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
        Fail("system session-ttl: default: " + std::to_string(m_sessionTtl.defaultTtl) +
             " differs from the global timers' session-ttl " + std::to_string(m_timers.sessionTtl));
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
    auto uniqueAddr = [&](const std::string& label, const std::string& n) {
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
        if (GroupReaches(g.name, g.name, [this](const std::string& n) {
                return FindAddressGroup(n);
            }))
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
        if (GroupReaches(g.name, g.name, [this](const std::string& n) {
                return FindServiceGroup(n);
            }))
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
