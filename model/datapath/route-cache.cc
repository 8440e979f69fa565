/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "route-cache.h"

#include "ns3/log.h"
#include "ns3/net-device.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateRouteCache");

namespace
{
constexpr uint32_t kMaxCachedIf = 14; //!< a nibble holds ns-3 interfaces 0..14 (+1; 0 = none)
} // namespace

RouteCache::RouteCache(SessionTable& sessions)
    : m_sessions(sessions)
{
}

void
RouteCache::SetRouting(Ptr<FortiGateRouting> routing)
{
    m_routing = routing;
    m_generation = 0; // the next Find or Store flushes what sessions hold
}

void
RouteCache::Clear()
{
    m_routes.clear();
    m_routing = nullptr;
}

void
RouteCache::Sync()
{
    const uint32_t gen = m_routing->GetGeneration();
    if (gen == m_generation)
    {
        return;
    }
    NS_LOG_LOGIC("routing generation " << m_generation << " -> " << gen
                                       << ": flushing the sessions' routes");
    // FortiOS flushes the routing information of its sessions on a routing change (see
    // doc/fortigate.rst, "Route cache"); with no generation per session the walk is the cost of
    // a change, not of a packet.
    if (!m_routes.empty())
    {
        m_sessions.ForEach([](Session& s) { s.routeIf = 0; });
    }
    m_routes.clear();
    m_generation = gen;
}

Ptr<Ipv4Route>
RouteCache::Find(Session& s, int d)
{
    if (!m_routing)
    {
        return nullptr;
    }
    Sync();
    const uint32_t shift = d ? 4 : 0;
    const uint32_t slot = (s.routeIf >> shift) & 0x0f;
    if (slot == 0)
    {
        return nullptr;
    }
    for (const Entry& e : m_routes)
    {
        if (e.ipIf + 1 == slot && e.gateway == s.gateway[d])
        {
            if (!e.route->GetOutputDevice()->IsLinkUp())
            {
                s.routeIf &= static_cast<uint8_t>(~(0x0f << shift));
                return nullptr;
            }
            ++m_hits;
            return e.route;
        }
    }
    s.routeIf &= static_cast<uint8_t>(~(0x0f << shift));
    return nullptr;
}

void
RouteCache::Store(Session& s, int d, const Ptr<Ipv4Route>& route)
{
    const uint32_t gw = route->GetGateway().Get();
    s.gateway[d] = gw;
    if (!m_routing || !m_routing->GetIpv4())
    {
        return;
    }
    Sync();
    const int32_t ipIf = m_routing->GetIpv4()->GetInterfaceForDevice(route->GetOutputDevice());
    const uint32_t shift = d ? 4 : 0;
    s.routeIf &= static_cast<uint8_t>(~(0x0f << shift));
    if (ipIf < 0 || static_cast<uint32_t>(ipIf) > kMaxCachedIf)
    {
        return; // not cacheable in a nibble: looked up on every packet
    }
    bool known = false;
    for (const Entry& e : m_routes)
    {
        known = known || (e.ipIf == static_cast<uint32_t>(ipIf) && e.gateway == gw);
    }
    if (!known)
    {
        m_routes.push_back(Entry{static_cast<uint32_t>(ipIf), gw, route});
    }
    s.routeIf |= static_cast<uint8_t>((ipIf + 1) << shift);
}

} // namespace ns3
