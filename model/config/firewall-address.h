/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FIREWALL_ADDRESS_H
#define FORTIGATE_FIREWALL_ADDRESS_H

// Configuration family "addresses and groups".

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * One `config firewall address` entry (ipmask or iprange).
 *
 * An ipmask address is stored as its range (start = network, end = broadcast) plus the mask
 * (for `show`); an iprange address has mask 0.
 */
struct FirewallAddress
{
    /// `set type`
    enum Type : uint8_t
    {
        IPMASK = 0,  //!< `set subnet <ip> <mask>`
        IPRANGE = 1, //!< `set start-ip` / `set end-ip`
    };

    std::string name;    //!< `edit <name>`
    Type type{IPMASK};   //!< `set type`
    uint32_t start{0};   //!< first address (host order)
    uint32_t end{0};     //!< last address (host order, inclusive)
    uint32_t mask{0};    //!< netmask of an ipmask address (host order)
    std::string comment; //!< `set comment`

    /**
     * An ipmask address. Host bits of \p ip are cleared.
     * \throws ConfigError when \p mask is not contiguous
     */
    static FirewallAddress Subnet(const std::string& name, uint32_t ip, uint32_t mask);

    /// An iprange address (validated when added to a configuration).
    static FirewallAddress Range(const std::string& name, uint32_t startIp, uint32_t endIp);

    /**
     * An ipmask address from FortiOS text: "10.0.0.0/24", "10.0.0.0 255.255.255.0" or a bare
     * address (/32).
     * \throws ConfigError e.g. `firewall address "x": subnet: malformed address '10.0.0.300/24'`
     */
    static FirewallAddress FromSubnet(const std::string& name, const std::string& text);

    /**
     * An iprange address from dotted-quad texts.
     * \throws ConfigError e.g. `firewall address "x": start-ip: malformed address '1.2.3'`
     */
    static FirewallAddress FromRange(const std::string& name,
                                     const std::string& startIp,
                                     const std::string& endIp);

    /// \return true when \p ip lies in start..end.
    bool Contains(uint32_t ip) const
    {
        return ip >= start && ip <= end;
    }

    bool operator==(const FirewallAddress& o) const;

    bool operator!=(const FirewallAddress& o) const
    {
        return !(*this == o);
    }
};

/**
 * Parse an IPv4 subnet text ("a.b.c.d/len", "a.b.c.d m.m.m.m" or "a.b.c.d").
 * \param text the text
 * \param[out] ip the address (host order, host bits kept)
 * \param[out] mask the mask (host order)
 * \return false when malformed (bad address, prefix length > 32 or non-contiguous mask)
 */
bool ParseSubnet(const std::string& text, uint32_t& ip, uint32_t& mask);

/// \return true when \p mask is a contiguous netmask (ones then zeros).
bool IsContiguousMask(uint32_t mask);

/// \return the prefix length of a contiguous mask.
uint8_t MaskPrefixLength(uint32_t mask);

/// \return the mask of a prefix length (0..32).
uint32_t PrefixLengthToMask(uint8_t len);

/**
 * \ingroup fortigate
 * One `config firewall addrgrp` entry. Members are addresses or groups (no loops).
 */
struct AddressGroup
{
    std::string name;                 //!< `edit <name>`
    std::vector<std::string> members; //!< `set member ...`
    std::string comment;              //!< `set comment`

    bool operator==(const AddressGroup& o) const;

    bool operator!=(const AddressGroup& o) const
    {
        return !(*this == o);
    }
};

/// Merged, sorted, disjoint inclusive IPv4 ranges (host order).
using Ipv4RangeList = std::vector<std::pair<uint32_t, uint32_t>>;

/// Sort \p r and merge overlapping and adjacent inclusive ranges (any uint32_t intervals).
void MergeRanges(Ipv4RangeList& r);

} // namespace ns3

#endif // FORTIGATE_FIREWALL_ADDRESS_H
