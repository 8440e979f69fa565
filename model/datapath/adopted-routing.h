/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_ADOPTED_ROUTING_H
#define FORTIGATE_ADOPTED_ROUTING_H

#include "ns3/ipv4-routing-protocol.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * A routing protocol the node's IPv4 was already bound to when FortiGateRouting took its
 * place (global routing, OLSR, ...), kept inside FortiGateRouting's list. ns-3 binds a protocol
 * to its IPv4 once (Ipv4GlobalRouting::SetIpv4 asserts it is not bound again), while
 * Ipv4ListRouting binds every protocol added to it: this wrapper takes that second binding
 * (SetIpv4 of the same IPv4 does nothing) and passes everything else on to the protocol.
 * FortiGateHelper wraps every inherited protocol but static routing, which it copies fresh.
 */
class AdoptedRouting : public Ipv4RoutingProtocol
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();

    /// \param inner the protocol, already bound to \p ipv4
    /// \param ipv4 the node's IPv4
    AdoptedRouting(Ptr<Ipv4RoutingProtocol> inner, Ptr<Ipv4> ipv4);

    /// \return the wrapped protocol
    Ptr<Ipv4RoutingProtocol> GetInner() const
    {
        return m_inner;
    }

    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p,
                               const Ipv4Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    /// Binding to the IPv4 the protocol already has is a no-op; another IPv4 is refused
    /// (NS_FATAL_ERROR): a protocol serves one node.
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  protected:
    void DoDispose() override;

  private:
    Ptr<Ipv4RoutingProtocol> m_inner; //!< the wrapped protocol
    Ptr<Ipv4> m_ipv4;                 //!< the IPv4 it is bound to
};

} // namespace ns3

#endif // FORTIGATE_ADOPTED_ROUTING_H
