/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FLOW_TUPLE_H
#define FORTIGATE_FLOW_TUPLE_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ns3
{

/**
 * \ingroup fortigate
 * IP protocol numbers the session table knows about.
 */
enum IpProto : uint8_t
{
    IPPROTO_NUM_ICMP = 1,
    IPPROTO_NUM_TCP = 6,
    IPPROTO_NUM_UDP = 17,
};

/**
 * \ingroup fortigate
 * One direction of a session: addresses and ports in host byte order.
 *
 * For ICMP echo the "ports" are the echo identifier (both sport and dport carry it), for a
 * keyed protocol (KeyedProtocol) the key takes the place of the destination port and sport is
 * 0. Pure value type
 * (no ns-3 types) so parsers, tests and the offline replay tool can use it.
 */
struct FlowTuple
{
    uint32_t src{0};   //!< source IPv4 address (host order)
    uint32_t dst{0};   //!< destination IPv4 address (host order)
    uint16_t sport{0}; //!< source port / ICMP id
    uint16_t dport{0}; //!< destination port / ICMP id / key
    uint8_t proto{0};  //!< IP protocol number

    /// \return the tuple of the opposite direction (addresses and ports swapped)
    FlowTuple Reversed() const
    {
        return FlowTuple{dst, src, dport, sport, proto};
    }

    bool operator==(const FlowTuple& o) const
    {
        return src == o.src && dst == o.dst && sport == o.sport && dport == o.dport &&
               proto == o.proto;
    }

    bool operator!=(const FlowTuple& o) const
    {
        return !(*this == o);
    }

    /// Strict weak order (used where deterministic iteration is needed).
    bool operator<(const FlowTuple& o) const;

    /// 64-bit mix of all fields; stable across runs and platforms.
    std::size_t Hash() const;

    /// "proto src:sport->dst:dport", e.g. "6 10.0.1.2:40000->198.51.100.7:21"
    std::string ToString() const;
};

/// Dotted-quad text of a host-order IPv4 address.
std::string Ipv4ToString(uint32_t addr);

/// Parse a dotted quad into host order. \return false when the text is not an IPv4 address.
bool ParseIpv4(std::string_view text, uint32_t& addr);

/// \return "tcp", "udp", "icmp" or a keyed protocol's name (KeyedProtocol) for those IP
/// protocols, nullptr for any other
const char* IpProtoName(uint8_t proto);

/// Hash functor for FlowTuple (for std::unordered_* and Boost.Intrusive).
struct FlowTupleHash
{
    std::size_t operator()(const FlowTuple& t) const
    {
        return t.Hash();
    }
};

} // namespace ns3

#endif // FORTIGATE_FLOW_TUPLE_H
