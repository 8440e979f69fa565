/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Configuration family "NAT objects": `config firewall ippool`, `vip`, `dnstranslation`.

#include "config-util.h"
#include "fortigate-config.h"

#include "ns3/flow-tuple.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateConfigNat");

using namespace config;

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
    NS_LOG_FUNCTION(this);
    CheckName(PoolLabel(pool.name), pool.name);
    if (FindIpPool(pool.name))
    {
        Fail(PoolLabel(pool.name) + ": name: already exists");
    }
    CheckIpPool(pool);
    m_ippools.Insert(pool);
    Changed();
}

void
FortiGateConfig::SetIpPool(const IpPoolConfig& pool)
{
    NS_LOG_FUNCTION(this);
    SetNamed(m_ippools, pool, PoolLabel(pool.name), &FortiGateConfig::CheckIpPool);
}

void
FortiGateConfig::DeleteIpPool(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    DeleteNamed(m_ippools, name, PoolLabel(name), NameKind::IPPOOL);
}

void
FortiGateConfig::RenameIpPool(const std::string& from, const std::string& to)
{
    NS_LOG_FUNCTION(this << from);
    m_ippools.PositionOf(from, PoolLabel(from)); // fails when it does not exist
    CheckName(PoolLabel(to), to);
    if (FindIpPool(to))
    {
        Fail(PoolLabel(to) + ": name: already exists");
    }
    m_ippools.Rename(from, to, PoolLabel(from));
    RenameReferences(NameKind::IPPOOL, from, to);
    Changed();
}

const IpPoolConfig*
FortiGateConfig::FindIpPool(const std::string& name) const
{
    return m_ippools.Find(name);
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
    NS_LOG_FUNCTION(this);
    AddNamed(m_vips,
             vip,
             VipLabel(vip.name),
             NameKind::ADDRESS,
             "firewall vip",
             &FortiGateConfig::CheckVip);
}

void
FortiGateConfig::SetVip(const VipConfig& vip)
{
    NS_LOG_FUNCTION(this);
    SetNamed(m_vips, vip, VipLabel(vip.name), &FortiGateConfig::CheckVip);
}

void
FortiGateConfig::DeleteVip(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    DeleteNamed(m_vips, name, VipLabel(name), NameKind::ADDRESS);
}

void
FortiGateConfig::RenameVip(const std::string& from, const std::string& to)
{
    NS_LOG_FUNCTION(this << from);
    m_vips.PositionOf(from, VipLabel(from)); // fails when it does not exist
    CheckName(VipLabel(to), to);
    CheckNameFree(NameKind::ADDRESS, "firewall vip", to);
    m_vips.Rename(from, to, VipLabel(from));
    RenameReferences(NameKind::ADDRESS, from, to);
    Changed();
}

const VipConfig*
FortiGateConfig::FindVip(const std::string& name) const
{
    return m_vips.Find(name);
}

// ---- DNS translation ------------------------------------------------------------------------

void
FortiGateConfig::CheckDnsTranslation(const DnsTranslationConfig& e) const
{
    if (!IsContiguousMask(e.netmask))
    {
        Fail(DnsTranslationLabel(e.id) + ": netmask: " + Ipv4ToString(e.netmask) +
             " is not a valid netmask");
    }
}

uint32_t
FortiGateConfig::AddDnsTranslation(DnsTranslationConfig entry)
{
    NS_LOG_FUNCTION(this);
    return AddById(m_dnsTranslations,
                   entry,
                   &DnsTranslationLabel,
                   &FortiGateConfig::CheckDnsTranslation);
}

void
FortiGateConfig::SetDnsTranslation(const DnsTranslationConfig& entry)
{
    NS_LOG_FUNCTION(this);
    SetById(m_dnsTranslations, entry, &DnsTranslationLabel, &FortiGateConfig::CheckDnsTranslation);
}

void
FortiGateConfig::DeleteDnsTranslation(uint32_t id)
{
    NS_LOG_FUNCTION(this);
    DeleteById(m_dnsTranslations, id, &DnsTranslationLabel);
}

const DnsTranslationConfig*
FortiGateConfig::FindDnsTranslation(uint32_t id) const
{
    return FindById(m_dnsTranslations, id);
}

} // namespace ns3
