/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "interface-sync.h"

#include "ns3/config-error.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/log.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("InterfaceSync");

Ptr<Ipv4>
InterfaceSync::CheckPort(const std::string& name,
                         Ptr<NetDevice> device,
                         const FortiGateConfig& config) const
{
    Ptr<Node> node = device ? device->GetNode() : nullptr;
    Ptr<Ipv4> ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
    int32_t ipIf = ipv4 ? ipv4->GetInterfaceForDevice(device) : -1;
    if (ipIf < 0)
    {
        throw ConfigError("system interface \"" + name + "\": the device has no IPv4 interface");
    }
    if (GetInterfaceIndex(device) >= 0)
    {
        throw ConfigError("system interface \"" + name + "\": the device is already mapped");
    }
    int idx = config.FindInterface(name);
    if (idx >= 0 && idx < static_cast<int>(m_ifDevices.size()) && m_ifDevices[idx])
    {
        throw ConfigError("system interface \"" + name + "\": name already mapped to a device");
    }
    return ipv4;
}

void
InterfaceSync::AddPort(const std::string& name, Ptr<NetDevice> device, Ptr<Ipv4> ipv4)
{
    NS_LOG_FUNCTION(this << name << device);
    m_ipv4 = ipv4;
    m_ports.emplace_back(name, device);
}

void
InterfaceSync::Apply(const FortiGateConfig& config)
{
    NS_LOG_FUNCTION(this);
    RemapPorts(config);
    ApplyInterfaceAddresses(config);
    ApplyStaticRoutes(config);
}

bool
InterfaceSync::IsProxyArpAddress(uint32_t addr) const
{
    for (const auto& [i, a] : m_proxyArp)
    {
        if (a == addr)
        {
            return true;
        }
    }
    return false;
}

void
InterfaceSync::Clear()
{
    m_routing = nullptr;
    m_ipv4 = nullptr;
    m_ifDevices.clear();
    m_ports.clear();
}

void
InterfaceSync::RemapPorts(const FortiGateConfig& config)
{
    // Interface indexes are positions in the configuration, which `config system interface`
    // may shift: map the ports by name.
    m_ifDevices.assign(config.Interfaces().size(), nullptr);
    m_ifOfIpv4.clear();
    for (const auto& [name, dev] : m_ports)
    {
        int idx = config.FindInterface(name);
        int32_t ipIf = m_ipv4 ? m_ipv4->GetInterfaceForDevice(dev) : -1;
        if (idx < 0 || ipIf < 0)
        {
            continue;
        }
        m_ifDevices[idx] = dev;
        if (m_ifOfIpv4.size() <= static_cast<size_t>(ipIf))
        {
            m_ifOfIpv4.resize(ipIf + 1, -1);
        }
        m_ifOfIpv4[ipIf] = static_cast<int16_t>(idx);
    }
}

Ptr<Ipv4StaticRouting>
InterfaceSync::InnerStaticRouting() const
{
    if (!m_routing)
    {
        return nullptr;
    }
    for (uint32_t i = 0; i < m_routing->GetNRoutingProtocols(); ++i)
    {
        int16_t prio;
        Ptr<Ipv4StaticRouting> st =
            DynamicCast<Ipv4StaticRouting>(m_routing->GetRoutingProtocol(i, prio));
        if (st)
        {
            return st;
        }
    }
    return nullptr;
}

void
InterfaceSync::ApplyStaticRoutes(const FortiGateConfig& config)
{
    // `config router static`: real ns-3 routes in the unit's static routing (distance = metric).
    Ptr<Ipv4StaticRouting> st = InnerStaticRouting();
    if (!st || !m_ipv4)
    {
        return;
    }
    auto same = [](const Ipv4RoutingTableEntry& e, const InstalledRoute& r) {
        return e.GetDestNetwork().Get() == r.dst && e.GetDestNetworkMask().Get() == r.mask &&
               e.GetGateway().Get() == r.gateway && e.GetInterface() == r.ipIf;
    };
    for (const auto& r : m_installedRoutes)
    {
        for (uint32_t i = 0; i < st->GetNRoutes(); ++i)
        {
            if (same(st->GetRoute(i), r) && st->GetMetric(i) == r.metric)
            {
                st->RemoveRoute(i);
                break;
            }
        }
    }
    m_installedRoutes.clear();
    for (const auto& route : config.StaticRoutes())
    {
        int idx = config.FindInterface(route.device);
        Ptr<NetDevice> dev = GetInterfaceDevice(idx);
        if (!dev)
        {
            continue; // an interface without an ns-3 device: kept in the configuration only
        }
        InstalledRoute r{route.dst,
                         route.mask,
                         route.gateway,
                         static_cast<uint32_t>(m_ipv4->GetInterfaceForDevice(dev)),
                         route.distance};
        if (r.gateway != 0)
        {
            st->AddNetworkRouteTo(Ipv4Address(r.dst),
                                  Ipv4Mask(r.mask),
                                  Ipv4Address(r.gateway),
                                  r.ipIf,
                                  r.metric);
        }
        else
        {
            st->AddNetworkRouteTo(Ipv4Address(r.dst), Ipv4Mask(r.mask), r.ipIf, r.metric);
        }
        m_installedRoutes.push_back(r);
    }
    // ns-3's static routing tells no one that its table changed: sessions must look their
    // routes up again (FortiOS flushes a session's routing information on a routing change).
    m_routing->InvalidateRoutes();
}

void
InterfaceSync::ApplyInterfaceAddresses(const FortiGateConfig& config)
{
    if (!m_ipv4)
    {
        return;
    }
    const auto& intfs = config.Interfaces();
    for (size_t i = 0; i < intfs.size() && i < m_ifDevices.size(); ++i)
    {
        if (!m_ifDevices[i] || intfs[i].ip == 0)
        {
            continue;
        }
        int32_t ipIf = m_ipv4->GetInterfaceForDevice(m_ifDevices[i]);
        Ipv4InterfaceAddress want(Ipv4Address(intfs[i].ip), Ipv4Mask(intfs[i].mask));
        if (m_ipv4->GetNAddresses(ipIf) > 0 && m_ipv4->GetAddress(ipIf, 0) == want)
        {
            continue;
        }
        // `config system interface / set ip`: the device's primary address follows the config.
        if (m_ipv4->GetNAddresses(ipIf) > 0)
        {
            m_ipv4->RemoveAddress(ipIf, 0);
        }
        m_ipv4->AddAddress(ipIf, want);
    }
    SyncProxyArp(config);
}

void
InterfaceSync::SyncProxyArp(const FortiGateConfig& config)
{
    // VIP external addresses and IP-pool addresses with arp-reply enabled are answered for on
    // shared media (proxy-ARP): the model adds them as /32 secondary addresses of the interface
    // whose subnet holds them (a VIP's extintf when it names one). The datapath looks sessions
    // and VIPs up before local delivery, so these addresses are never delivered as the unit's.
    constexpr uint32_t kMaxPerObject = 256;
    std::set<std::pair<int, uint32_t>> want;
    const auto& intfs = config.Interfaces();
    auto owner = [&intfs](uint32_t a, const std::string& intf) {
        for (size_t i = 0; i < intfs.size(); ++i)
        {
            if (intfs[i].ip != 0 && (intf == "any" || intf == intfs[i].name) &&
                (a & intfs[i].mask) == (intfs[i].ip & intfs[i].mask))
            {
                return static_cast<int>(i);
            }
        }
        return -1;
    };
    auto addRange = [&](uint32_t lo, uint32_t hi, const std::string& intf) {
        for (uint64_t a = lo; a <= hi && a - lo < kMaxPerObject; ++a)
        {
            int i = owner(static_cast<uint32_t>(a), intf);
            if (i >= 0 && intfs[i].ip != a)
            {
                want.emplace(i, static_cast<uint32_t>(a));
            }
        }
    };
    for (const auto& v : config.Vips())
    {
        if (v.arpReply)
        {
            addRange(v.extipLo, v.ExtIpHi(), v.extintf);
        }
    }
    for (const auto& p : config.IpPools())
    {
        if (p.arpReply)
        {
            addRange(p.startip, p.endip, "any");
        }
    }
    for (const auto& [i, a] : m_proxyArp)
    {
        if (want.count({i, a}) || i >= static_cast<int>(m_ifDevices.size()) || !m_ifDevices[i])
        {
            continue;
        }
        m_ipv4->RemoveAddress(m_ipv4->GetInterfaceForDevice(m_ifDevices[i]), Ipv4Address(a));
    }
    std::set<std::pair<int, uint32_t>> have;
    for (const auto& [i, a] : want)
    {
        if (i >= static_cast<int>(m_ifDevices.size()) || !m_ifDevices[i])
        {
            continue;
        }
        if (!m_proxyArp.count({i, a}))
        {
            m_ipv4->AddAddress(m_ipv4->GetInterfaceForDevice(m_ifDevices[i]),
                               Ipv4InterfaceAddress(Ipv4Address(a), Ipv4Mask::GetOnes()));
        }
        have.emplace(i, a);
    }
    m_proxyArp = std::move(have);
}

int
InterfaceSync::GetInterfaceIndex(Ptr<const NetDevice> device) const
{
    for (size_t i = 0; i < m_ifDevices.size(); ++i)
    {
        if (m_ifDevices[i] == device)
        {
            return static_cast<int>(i);
        }
    }
    return -1;
}

Ptr<NetDevice>
InterfaceSync::GetInterfaceDevice(int ifIndex) const
{
    if (ifIndex < 0 || static_cast<size_t>(ifIndex) >= m_ifDevices.size())
    {
        return nullptr;
    }
    return m_ifDevices[ifIndex];
}

} // namespace ns3
