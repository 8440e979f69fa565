/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fortigate-routing.h"

#include "fortigate-node.h"
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
FortiGateRouting::SetFortiGate(Ptr<FortiGateNode> node)
{
    m_node = node;
}

Ptr<FortiGateNode>
FortiGateRouting::GetFortiGate() const
{
    return m_node;
}

bool
FortiGateRouting::RouteInput(Ptr<const Packet> p, const Ipv4Header& header,
                             Ptr<const NetDevice> idev, UnicastForwardCallback ucb,
                             MulticastForwardCallback mcb, LocalDeliverCallback lcb,
                             ErrorCallback ecb)
{
    if (m_node && m_node->RouteInput(p, header, idev, ucb))
    {
        return true;
    }
    return Ipv4ListRouting::RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
}

bool
FortiGateRouting::InnerRouteInput(Ptr<const Packet> p, const Ipv4Header& header,
                                  Ptr<const NetDevice> idev, UnicastForwardCallback ucb,
                                  MulticastForwardCallback mcb, LocalDeliverCallback lcb,
                                  ErrorCallback ecb)
{
    return Ipv4ListRouting::RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
}

void
FortiGateRouting::DoDispose()
{
    m_node = nullptr;
    Ipv4ListRouting::DoDispose();
}

} // namespace ns3
