/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_IP_POOL_H
#define FORTIGATE_IP_POOL_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * One `config firewall ippool` entry (source NAT addresses). Pure value type.
 *
 * Addresses are IPv4 in host byte order. Defaults are FortiOS's.
 *
 * Port ranges: FortiOS translates pool sessions into ports 5117..65533 (FortiOS 7.x exposes
 * them as `set startport` / `set endport`; earlier releases fix them). The model keeps them as
 * configurable fields with those defaults; every pool type allocates inside them, except that
 * an overload pool keeps the client's own source port when that port is free (as FortiOS does).
 */
struct IpPoolConfig
{
    /// `set type`
    enum Type : uint8_t
    {
        OVERLOAD = 0,              //!< many clients share the pool's addresses, ports translated
        ONE_TO_ONE = 1,            //!< one external address per client while it has sessions
        FIXED_PORT_RANGE = 2,      //!< deterministic client -> (address, port slice) mapping
        PORT_BLOCK_ALLOCATION = 3, //!< clients get blocks of ports (CGN style)
    };

    static constexpr uint16_t DEFAULT_START_PORT = 5117; //!< FortiOS pool port range start
    static constexpr uint16_t DEFAULT_END_PORT = 65533;  //!< FortiOS pool port range end

    std::string name;             //!< `edit <name>`
    Type type{OVERLOAD};          //!< `set type`
    uint32_t startip{0};          //!< `set startip` (host order)
    uint32_t endip{0};            //!< `set endip` (host order, inclusive)
    uint32_t sourceStartip{0};    //!< `set source-startip` (fixed-port-range only)
    uint32_t sourceEndip{0};      //!< `set source-endip` (fixed-port-range only)
    uint32_t blockSize{128};      //!< `set block-size` (64..4096, multiple of 64; PBA only)
    uint32_t numBlocksPerUser{8}; //!< `set num-blocks-per-user` (1..128; PBA only)
    uint16_t startport{DEFAULT_START_PORT}; //!< `set startport` (1024..65535)
    uint16_t endport{DEFAULT_END_PORT};     //!< `set endport` (startport..65535)
    bool arpReply{true};                    //!< `set arp-reply enable|disable`
    std::string comments;                   //!< `set comments`

    bool operator==(const IpPoolConfig& o) const;

    bool operator!=(const IpPoolConfig& o) const
    {
        return !(*this == o);
    }

    /// \return number of external addresses (endip - startip + 1); 0 when endip < startip.
    uint64_t NumAddresses() const;

    /// \return true when \p ip lies in startip..endip.
    bool Contains(uint32_t ip) const
    {
        return ip >= startip && ip <= endip;
    }
};

/// \return the FortiOS keyword of a pool type: "overload", "one-to-one", "fixed-port-range",
///         "port-block-allocation".
const char* IpPoolTypeName(IpPoolConfig::Type t);

/**
 * Parse a FortiOS pool type keyword (exact, lower case, as the CLI accepts it).
 * \param text the keyword
 * \param[out] t the type when the keyword is known (unchanged otherwise)
 * \return false when \p text is not one of the four keywords
 */
bool ParseIpPoolType(const std::string& text, IpPoolConfig::Type& t);

/**
 * Check one pool on its own (not against other pools; see IpPoolsOverlap).
 *
 * Rules: a name; startip and endip set (not 0.0.0.0) with endip >= startip; block-size in
 * 64..4096 and a multiple of 64; num-blocks-per-user in 1..128; startport in 1024..65535 and
 * endport >= startport; fixed-port-range needs source-startip/source-endip with
 * source-endip >= source-startip and at least one port per client; port-block-allocation needs
 * at least one block per address (endport - startport + 1 >= block-size).
 *
 * \throws ConfigError naming the pool and the field, e.g.
 *   `firewall ippool "p1": endip: 203.0.113.9 is below startip 203.0.113.20`
 */
void ValidateIpPool(const IpPoolConfig& pool);

/**
 * \return true when the external address ranges (startip..endip) of two pools share at least
 * one address. The configuration owner rejects overlapping pools with it.
 */
bool IpPoolsOverlap(const IpPoolConfig& a, const IpPoolConfig& b);

} // namespace ns3

#endif // FORTIGATE_IP_POOL_H
