/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_ROUTE_CACHE_H
#define FORTIGATE_ROUTE_CACHE_H

#include "fortigate-routing.h"
#include "session-table.h"

#include "ns3/ipv4-route.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * The route of each session direction, kept in the session as FortiOS keeps `dev=` and `gwy=`:
 * the first packet of each direction looks its route up (the original direction at session
 * creation, the reply direction on its first packet) and later packets take it from the
 * session, without a routing lookup.
 *
 * A session holds only the output interface (a nibble of Session::routeIf per direction) and
 * the gateway (Session::gateway); the Ipv4Route objects are shared, one per (interface,
 * gateway). When FortiGateRouting's generation changes (a static route was added or removed, an
 * interface went down or changed its address, a configuration was applied), every cached route
 * is forgotten, as FortiOS flushes the sessions' routing information on a routing change; the
 * next packet of each direction looks its route up again. A route whose device has lost its
 * link is not used either.
 */
class RouteCache
{
  public:
    /// \param sessions the table whose sessions hold the cached routes
    explicit RouteCache(SessionTable& sessions);

    /// Attach the routing shim (its generation; its node's IPv4 maps devices to interfaces).
    void SetRouting(Ptr<FortiGateRouting> routing);

    /// \return the cached route of direction \p d of \p s, or nullptr when it must be looked up
    Ptr<Ipv4Route> Find(Session& s, int d);

    /// Remember \p route (just looked up) as direction \p d's route of \p s; sets its gateway.
    void Store(Session& s, int d, const Ptr<Ipv4Route>& route);

    /// \return how many routing lookups the cache saved (packets that took a cached route)
    uint64_t GetHits() const
    {
        return m_hits;
    }

    /// Forget everything (the unit is disposed).
    void Clear();

  private:
    /// Forget every cached route when the routing generation changed.
    void Sync();

    /// One shared route object.
    struct Entry
    {
        uint32_t ipIf;        //!< ns-3 IPv4 interface of its output device
        uint32_t gateway;     //!< its gateway (0 = connected)
        Ptr<Ipv4Route> route; //!< the route handed to the forward callback
    };

    SessionTable& m_sessions;        //!< sessions holding the per-direction nibbles
    Ptr<FortiGateRouting> m_routing; //!< generation source
    std::vector<Entry> m_routes;     //!< shared route objects of this generation
    uint32_t m_generation{0};        //!< the routing generation m_routes belong to
    uint64_t m_hits{0};              //!< cached routes used
};

} // namespace ns3

#endif // FORTIGATE_ROUTE_CACHE_H
