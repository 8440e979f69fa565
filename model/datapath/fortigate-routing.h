/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_ROUTING_H
#define FORTIGATE_ROUTING_H

#include "ns3/ipv4-list-routing.h"

namespace ns3
{

class FortiGateNode;

/**
 * \ingroup fortigate
 * The FortiGate's hook into ns-3's IPv4 stack (architecture §2).
 *
 * ns-3.37 has no netfilter hooks; routing is the one clean interception point. This class *is*
 * the node's Ipv4ListRouting (so static and global routing still work inside it and
 * Ipv4RoutingHelper::GetRouting<T> still finds them); its RouteInput sees every received packet
 * and hands it to the FortiGateNode first (PRE-ROUTING). The node uses InnerRouteInput() for the
 * plain route lookup and gets the egress device from it (POST-ROUTING). Packets the node
 * originates take RouteOutput unchanged (local-out, no policy).
 */
class FortiGateRouting : public Ipv4ListRouting
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    FortiGateRouting();
    ~FortiGateRouting() override;

    /// Attach the FortiGate that inspects received packets.
    void SetFortiGate(Ptr<FortiGateNode> node);

    /// \return the attached FortiGate
    Ptr<FortiGateNode> GetFortiGate() const;

    bool RouteInput(Ptr<const Packet> p, const Ipv4Header& header, Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb, ErrorCallback ecb) override;

    /// The plain Ipv4ListRouting lookup, without the FortiGate.
    bool InnerRouteInput(Ptr<const Packet> p, const Ipv4Header& header, Ptr<const NetDevice> idev,
                         UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                         LocalDeliverCallback lcb, ErrorCallback ecb);

  protected:
    void DoDispose() override;

  private:
    Ptr<FortiGateNode> m_node; //!< the FortiGate
};

} // namespace ns3

#endif // FORTIGATE_ROUTING_H
