/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_STATIC_ROUTE_H
#define FORTIGATE_STATIC_ROUTE_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * One `config router static` entry. Pure value type; addresses in host byte order.
 *
 * The FortiGate node installs it as an ns-3 static route on the unit: destination dst/mask via
 * `gateway` (0.0.0.0 = directly connected) out of interface `device`, with `distance` as the
 * metric (the lowest distance wins among routes to the same destination).
 */
struct StaticRoute
{
    uint32_t id{0};        //!< `edit <seq-num>` (0 in AddStaticRoute = next free)
    uint32_t dst{0};       //!< `set dst <ip> <mask>`: network (host bits cleared)
    uint32_t mask{0};      //!< `set dst <ip> <mask>`: netmask (0 = default route)
    uint32_t gateway{0};   //!< `set gateway` (0.0.0.0 = none)
    std::string device;    //!< `set device` (interface name, must be set)
    uint32_t distance{10}; //!< `set distance` (1..255, FortiOS default 10)
    std::string comment;   //!< `set comment`

    bool operator==(const StaticRoute& o) const
    {
        return id == o.id && dst == o.dst && mask == o.mask && gateway == o.gateway &&
               device == o.device && distance == o.distance && comment == o.comment;
    }

    bool operator!=(const StaticRoute& o) const
    {
        return !(*this == o);
    }
};

/**
 * Check one route on its own (the configuration checks that `device` exists).
 *
 * Rules: id 1..4294967294; contiguous mask; no host bits in dst; distance 1..255; device set.
 * \throws ConfigError naming the route and the field, e.g.
 *   `router static 3: distance: 0 is out of range (1..255)`
 */
void ValidateStaticRoute(const StaticRoute& route);

} // namespace ns3

#endif // FORTIGATE_STATIC_ROUTE_H
