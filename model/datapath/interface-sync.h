/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef INTERFACE_SYNC_H
#define INTERFACE_SYNC_H

#include "fortigate-routing.h"

#include "ns3/fortigate-config.h"
#include "ns3/ipv4.h"
#include "ns3/net-device.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

class Ipv4StaticRouting;

/**
 * \ingroup fortigate
 * Keeps a FortiGate's ns-3 node in step with its configuration (architecture §3, "interface
 * and route synchronisation"): which ns-3 device each `config system interface` entry is
 * (the ports, mapped by name because the configuration may reorder its interfaces), the
 * devices' primary addresses (`set ip`), the proxy-ARP addresses of VIPs and IP pools with
 * `arp-reply enable`, and the `config router static` routes in the unit's inner
 * Ipv4StaticRouting.
 *
 * It does not validate the configuration (FortiGateNode::SetConfig does, before calling
 * Apply()); it only mirrors an accepted one onto the node.
 */
class InterfaceSync
{
  public:
    /// A physical port: a configuration interface name and the ns-3 device it is.
    using Port = std::pair<std::string, Ptr<NetDevice>>;

    /**
     * Check that \p device can become port \p name of \p config: it has an IPv4 interface and
     * neither it nor the name is mapped yet. Throws ConfigError naming what is wrong.
     * \return the device's node's Ipv4 (the unit's)
     */
    Ptr<Ipv4> CheckPort(const std::string& name,
                        Ptr<NetDevice> device,
                        const FortiGateConfig& config) const;

    /// Record port \p name (CheckPort first) on the node whose IPv4 is \p ipv4.
    void AddPort(const std::string& name, Ptr<NetDevice> device, Ptr<Ipv4> ipv4);

    /// \return the ports, in the order they were added
    const std::vector<Port>& Ports() const
    {
        return m_ports;
    }

    /// Attach the routing shim whose inner static routing receives `config router static`.
    void SetRouting(Ptr<FortiGateRouting> routing)
    {
        m_routing = routing;
    }

    /// Mirror \p config onto the node: port mapping, addresses, proxy-ARP, static routes.
    void Apply(const FortiGateConfig& config);

    /// Install \p config's static routes (replacing the ones installed before).
    void ApplyStaticRoutes(const FortiGateConfig& config);

    /// \return the node's IPv4 (nullptr before the first port)
    const Ptr<Ipv4>& GetIpv4() const
    {
        return m_ipv4;
    }

    /// \return the interface index (position in the configuration) of an ns-3 device, or -1
    int GetInterfaceIndex(Ptr<const NetDevice> device) const;

    /// \return the device mapped to a configuration interface index, or nullptr
    Ptr<NetDevice> GetInterfaceDevice(int ifIndex) const;

    /// \return the configuration interface index of ns-3 IPv4 interface \p ipIf, or -1
    int IfIndexOfIpv4(uint32_t ipIf) const
    {
        return ipIf < m_ifOfIpv4.size() ? m_ifOfIpv4[ipIf] : -1;
    }

    /// \return true when the unit answers ARP for \p addr (a VIP or IP-pool address)
    bool IsProxyArpAddress(uint32_t addr) const;

    /// Forget the node (the unit is disposed).
    void Clear();

  private:
    void RemapPorts(const FortiGateConfig& config);
    void ApplyInterfaceAddresses(const FortiGateConfig& config);
    void SyncProxyArp(const FortiGateConfig& config);
    Ptr<Ipv4StaticRouting> InnerStaticRouting() const;

    /// A `config router static` entry installed in the inner static routing.
    struct InstalledRoute
    {
        uint32_t dst;     //!< network
        uint32_t mask;    //!< netmask
        uint32_t gateway; //!< next hop (0 = connected)
        uint32_t ipIf;    //!< ns-3 interface
        uint32_t metric;  //!< distance
    };

    Ptr<Ipv4> m_ipv4;                              //!< the node's IPv4
    Ptr<FortiGateRouting> m_routing;               //!< the routing shim
    std::vector<Port> m_ports;                     //!< physical ports by name
    std::vector<InstalledRoute> m_installedRoutes; //!< routes the configuration installed
    std::vector<Ptr<NetDevice>> m_ifDevices;       //!< per configuration interface index
    std::vector<int16_t> m_ifOfIpv4;               //!< ns-3 ipv4 interface -> config index
    std::set<std::pair<int, uint32_t>> m_proxyArp; //!< (interface, address) answered for
};

} // namespace ns3

#endif // INTERFACE_SYNC_H
