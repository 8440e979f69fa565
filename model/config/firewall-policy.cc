/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Configuration family "policies": `config firewall policy`.

#include "config-util.h"
#include "fortigate-config.h"

#include "ns3/log.h"

#include <algorithm>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateConfigPolicy");

using namespace config;

bool
FirewallPolicy::operator==(const FirewallPolicy& o) const
{
    return id == o.id && name == o.name && comments == o.comments && srcintf == o.srcintf &&
           dstintf == o.dstintf && srcaddr == o.srcaddr && dstaddr == o.dstaddr &&
           service == o.service && schedule == o.schedule && action == o.action &&
           status == o.status && nat == o.nat && ippool == o.ippool && poolname == o.poolname &&
           logtraffic == o.logtraffic && logtrafficStart == o.logtrafficStart &&
           voipProfile == o.voipProfile && ipsVoipFilter == o.ipsVoipFilter &&
           utmStatus == o.utmStatus;
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
    auto intfs = [&](const char* field, const std::vector<std::string>& v) {
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
    auto addrs = [&](const char* field, const std::vector<std::string>& v, bool vipOk) {
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
    NS_LOG_FUNCTION(this);
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
    NS_LOG_FUNCTION(this);
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
    NS_LOG_FUNCTION(this);
    m_policies.erase(m_policies.begin() + PositionOf(m_policyIdx, id, PolicyLabel(id)));
    RebuildPolicyIndexes();
    Changed();
}

void
FortiGateConfig::MovePolicy(uint32_t id, MoveWhere where, uint32_t otherId)
{
    NS_LOG_FUNCTION(this);
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
    RebuildPolicyIndexes();
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

} // namespace ns3
