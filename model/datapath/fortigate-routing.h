/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_ROUTING_H
#define FORTIGATE_ROUTING_H

#include "ns3/ipv4-list-routing.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * What sees a received packet before routing (PRE-ROUTING): the FortiGate datapath.
 */
class PreRoutingHook
{
  public:
    virtual ~PreRoutingHook() = default;

    /**
     * Process a received packet (arguments as Ipv4RoutingProtocol::RouteInput).
     * \return true when it was consumed (forwarded or dropped), false to route it as usual
     */
    virtual bool PreRouting(Ptr<const Packet> p,
                            const Ipv4Header& header,
                            Ptr<const NetDevice> idev,
                            const Ipv4RoutingProtocol::UnicastForwardCallback& ucb) = 0;
};

/**
 * \ingroup fortigate
 * The FortiGate's hook into ns-3's IPv4 stack (architecture §2).
 *
 * ns-3.37 has no netfilter hooks; routing is the one clean interception point. This class *is*
 * the node's Ipv4ListRouting (so static and global routing still work inside it and
 * Ipv4RoutingHelper::GetRouting<Ipv4StaticRouting> still finds the static routing; protocols the
 * node's IPv4 was already bound to, such as global routing, sit in it wrapped in an
 * AdoptedRouting so that they are not bound twice); its RouteInput sees every received packet
 * and hands it to the PreRoutingHook (the FortiGate datapath) first (PRE-ROUTING). The datapath
 * asks Lookup() for the route of a packet it forwards: the route (output device, gateway) comes
 * back directly (POST-ROUTING). Packets the node originates take RouteOutput unchanged (local-out,
 * no policy).
 */
class FortiGateRouting : public Ipv4ListRouting
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    FortiGateRouting();
    ~FortiGateRouting() override;

    /// Attach what inspects received packets first (nullptr: none). Not owned: the hook
    /// detaches itself when it is disposed.
    void SetPreRoutingHook(PreRoutingHook* hook);

    /// Result of Lookup().
    struct Route
    {
        Ptr<Ipv4Route> route; //!< the forward route (output device, gateway), or nullptr
        bool local{false};    //!< the destination is this node (local delivery)
    };

    /**
     * The route a packet arriving on \p idev with \p header takes through the inner routing
     * protocols, without the hook and without forwarding it: local delivery when the
     * destination is one of the node's addresses, no route when \p idev does not forward,
     * else the first protocol (by priority) that has a route. The same decision as
     * Ipv4ListRouting::RouteInput for a unicast packet.
     */
    Route Lookup(const Ipv4Header& header, Ptr<const NetDevice> idev) const;

    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;

    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void AddRoutingProtocol(Ptr<Ipv4RoutingProtocol> routingProtocol, int16_t priority) override;

    /// \return the node's IPv4 (nullptr before the routing is installed on a node)
    const Ptr<Ipv4>& GetIpv4() const
    {
        return m_ipv4;
    }

    /**
     * The routing generation: it changes whenever a route the datapath cached may have become
     * wrong (an interface went up or down, an address was added or removed, a routing protocol
     * was added, InvalidateRoutes()). Sessions keep their route with the generation it was
     * looked up in (RouteCache) and look it up again when it differs: FortiOS flushes a
     * session's routing information on a routing change.
     */
    uint32_t GetGeneration() const
    {
        return m_generation;
    }

    /**
     * Tell the datapath that routes changed. FortiGateNode calls it when it applies a
     * configuration (`config router static`, interface addresses); a program that edits the
     * inner static or global routing itself (ns-3 notifies no one of that) calls it too.
     */
    void InvalidateRoutes()
    {
        ++m_generation;
    }

  protected:
    void DoDispose() override;

  private:
    PreRoutingHook* m_hook{nullptr}; //!< the FortiGate datapath
    Ptr<Ipv4> m_ipv4;                //!< the node's IPv4
    uint32_t m_generation{1};        //!< routing generation (GetGeneration)
};

} // namespace ns3

#endif // FORTIGATE_ROUTING_H
