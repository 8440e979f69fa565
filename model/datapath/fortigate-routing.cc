/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fortigate-routing.h"

#include "ns3/ipv4-route.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateRouting");
NS_OBJECT_ENSURE_REGISTERED(FortiGateRouting);

TypeId
FortiGateRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FortiGateRouting")
                            .SetParent<Ipv4ListRouting>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<FortiGateRouting>();
    return tid;
}

FortiGateRouting::FortiGateRouting() = default;
FortiGateRouting::~FortiGateRouting() = default;

void
FortiGateRouting::SetPreRoutingHook(PreRoutingHook* hook)
{
    m_hook = hook;
}

void
FortiGateRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_ipv4 = ipv4;
    Ipv4ListRouting::SetIpv4(ipv4);
    InvalidateRoutes();
}

void
FortiGateRouting::NotifyInterfaceUp(uint32_t interface)
{
    Ipv4ListRouting::NotifyInterfaceUp(interface);
    InvalidateRoutes();
}

void
FortiGateRouting::NotifyInterfaceDown(uint32_t interface)
{
    Ipv4ListRouting::NotifyInterfaceDown(interface);
    InvalidateRoutes();
}

void
FortiGateRouting::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    Ipv4ListRouting::NotifyAddAddress(interface, address);
    InvalidateRoutes();
}

void
FortiGateRouting::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    Ipv4ListRouting::NotifyRemoveAddress(interface, address);
    InvalidateRoutes();
}

void
FortiGateRouting::AddRoutingProtocol(Ptr<Ipv4RoutingProtocol> routingProtocol, int16_t priority)
{
    Ipv4ListRouting::AddRoutingProtocol(routingProtocol, priority);
    InvalidateRoutes();
}

bool
FortiGateRouting::RouteInput(Ptr<const Packet> p,
                             const Ipv4Header& header,
                             Ptr<const NetDevice> idev,
                             UnicastForwardCallback ucb,
                             MulticastForwardCallback mcb,
                             LocalDeliverCallback lcb,
                             ErrorCallback ecb)
{
    if (m_hook && m_hook->PreRouting(p, header, idev, ucb))
    {
        return true;
    }
    return Ipv4ListRouting::RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
}

FortiGateRouting::Route
FortiGateRouting::Lookup(const Ipv4Header& header, Ptr<const NetDevice> idev) const
{
    Route r;
    const int32_t iif = m_ipv4 ? m_ipv4->GetInterfaceForDevice(idev) : -1;
    if (iif < 0)
    {
        return r;
    }
    if (m_ipv4->IsDestinationAddress(header.GetDestination(), iif))
    {
        r.local = true;
        return r;
    }
    if (!m_ipv4->IsForwarding(iif))
    {
        return r;
    }
    // For a unicast destination, static and global routing's RouteInput forward along the
    // route their RouteOutput returns (the same lookup, no output interface): ask for it. No
    // packet is handed over: the lookup must not depend on (or tag) it. Reactive protocols
    // that answer later (AODV) are not supported, as the FortiGate forwards synchronously.
    for (uint32_t i = 0; i < GetNRoutingProtocols(); ++i)
    {
        int16_t priority;
        Ptr<Ipv4RoutingProtocol> proto = GetRoutingProtocol(i, priority);
        Socket::SocketErrno err;
        r.route = proto->RouteOutput(nullptr, header, nullptr, err);
        if (r.route)
        {
            return r;
        }
    }
    return r;
}

void
FortiGateRouting::DoDispose()
{
    m_hook = nullptr;
    m_ipv4 = nullptr;
    Ipv4ListRouting::DoDispose();
}

} // namespace ns3
