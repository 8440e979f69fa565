/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "static-route.h"

#include "config-error.h"
#include "config-util.h"
#include "fortigate-config.h"

#include "ns3/flow-tuple.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateConfigRoute");

using namespace config;

void
ValidateStaticRoute(const StaticRoute& r)
{
    const std::string obj = "router static " + std::to_string(r.id);
    if (r.id == 0 || r.id == 4294967295u)
    {
        throw ConfigError(obj + ": id: out of range (1..4294967294)");
    }
    const uint32_t inv = ~r.mask;
    if ((inv & (inv + 1)) != 0)
    {
        throw ConfigError(obj + ": dst: mask " + Ipv4ToString(r.mask) + " is not contiguous");
    }
    if ((r.dst & ~r.mask) != 0)
    {
        throw ConfigError(obj + ": dst: " + Ipv4ToString(r.dst) + " has host bits outside mask " +
                          Ipv4ToString(r.mask));
    }
    if (r.distance < 1 || r.distance > 255)
    {
        throw ConfigError(obj + ": distance: " + std::to_string(r.distance) +
                          " is out of range (1..255)");
    }
    if (r.device.empty())
    {
        throw ConfigError(obj + ": device: must be set");
    }
}

// ---- `config router static` in FortiGateConfig
// --------------------------------------------------------------------------

void
FortiGateConfig::CheckStaticRoute(const StaticRoute& r) const
{
    ValidateStaticRoute(r);
    if (FindInterface(r.device) < 0)
    {
        Fail(RouteLabel(r.id) + ": device: interface " + Q(r.device) + " does not exist");
    }
}

uint32_t
FortiGateConfig::AddStaticRoute(StaticRoute route)
{
    NS_LOG_FUNCTION(this);
    return AddById(m_staticRoutes, route, &RouteLabel, &FortiGateConfig::CheckStaticRoute);
}

void
FortiGateConfig::SetStaticRoute(const StaticRoute& route)
{
    NS_LOG_FUNCTION(this);
    SetById(m_staticRoutes, route, &RouteLabel, &FortiGateConfig::CheckStaticRoute);
}

void
FortiGateConfig::DeleteStaticRoute(uint32_t id)
{
    NS_LOG_FUNCTION(this);
    DeleteById(m_staticRoutes, id, &RouteLabel);
}

const StaticRoute*
FortiGateConfig::FindStaticRoute(uint32_t id) const
{
    return FindById(m_staticRoutes, id);
}

} // namespace ns3
