/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "adopted-routing.h"

#include "ns3/ipv4-route.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AdoptedRouting");
NS_OBJECT_ENSURE_REGISTERED(AdoptedRouting);

TypeId
AdoptedRouting::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AdoptedRouting").SetParent<Ipv4RoutingProtocol>().SetGroupName("FortiGate");
    return tid;
}

AdoptedRouting::AdoptedRouting(Ptr<Ipv4RoutingProtocol> inner, Ptr<Ipv4> ipv4)
    : m_inner(inner),
      m_ipv4(ipv4)
{
    NS_LOG_FUNCTION(this << inner << ipv4);
}

Ptr<Ipv4Route>
AdoptedRouting::RouteOutput(Ptr<Packet> p,
                            const Ipv4Header& header,
                            Ptr<NetDevice> oif,
                            Socket::SocketErrno& sockerr)
{
    if (!m_inner)
    {
        sockerr = Socket::ERROR_NOROUTETOHOST;
        return nullptr;
    }
    return m_inner->RouteOutput(p, header, oif, sockerr);
}

bool
AdoptedRouting::RouteInput(Ptr<const Packet> p,
                           const Ipv4Header& header,
                           Ptr<const NetDevice> idev,
                           UnicastForwardCallback ucb,
                           MulticastForwardCallback mcb,
                           LocalDeliverCallback lcb,
                           ErrorCallback ecb)
{
    return m_inner && m_inner->RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
}

void
AdoptedRouting::NotifyInterfaceUp(uint32_t interface)
{
    if (m_inner)
    {
        m_inner->NotifyInterfaceUp(interface);
    }
}

void
AdoptedRouting::NotifyInterfaceDown(uint32_t interface)
{
    if (m_inner)
    {
        m_inner->NotifyInterfaceDown(interface);
    }
}

void
AdoptedRouting::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    if (m_inner)
    {
        m_inner->NotifyAddAddress(interface, address);
    }
}

void
AdoptedRouting::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    if (m_inner)
    {
        m_inner->NotifyRemoveAddress(interface, address);
    }
}

void
AdoptedRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    NS_LOG_FUNCTION(this << ipv4);
    if (ipv4 != m_ipv4)
    {
        NS_FATAL_ERROR("AdoptedRouting: the routing protocol is bound to another node's IPv4");
    }
}

void
AdoptedRouting::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    if (m_inner)
    {
        m_inner->PrintRoutingTable(stream, unit);
    }
}

void
AdoptedRouting::DoDispose()
{
    if (m_inner)
    {
        m_inner->Dispose(); // as Ipv4ListRouting disposes the protocols it holds
    }
    m_inner = nullptr;
    m_ipv4 = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

} // namespace ns3
