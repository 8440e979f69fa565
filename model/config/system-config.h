/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SYSTEM_CONFIG_H
#define FORTIGATE_SYSTEM_CONFIG_H

// Configuration family "system": settings, session-ttl, session helpers.

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * `config system settings` (the fields the model uses). Defaults as FortiOS.
 */
struct SystemSettings
{
    std::string defaultVoipAlgMode{"proxy-based"}; //!< proxy-based | kernel-helper-based
    std::vector<uint16_t> sipTcpPort{5060};        //!< `set sip-tcp-port` (1 or 2 values)
    std::vector<uint16_t> sipUdpPort{5060};        //!< `set sip-udp-port` (1 or 2 values)
    uint16_t sipSslPort{5061};                     //!< `set sip-ssl-port`
    bool sipExpectation{false};                    //!< `set sip-expectation`
    bool sipNatTrace{true};                        //!< `set sip-nat-trace`
    bool snatHairpinTraffic{true};                 //!< `set snat-hairpin-traffic`
    bool sesDeniedTraffic{false};                  //!< `set ses-denied-traffic`
    bool centralNat{false};                        //!< `set central-nat`

    bool operator==(const SystemSettings& o) const;

    bool operator!=(const SystemSettings& o) const
    {
        return !(*this == o);
    }
};

/**
 * \ingroup fortigate
 * One `config system session-ttl` / `config port` entry.
 */
struct SessionTtlPort
{
    uint32_t id{0};                       //!< `edit <id>` (0 in SetSessionTtlPort = next free)
    uint8_t protocol{6};                  //!< `set protocol` (exact IP protocol number)
    uint16_t startPort{1};                //!< `set start-port`
    uint16_t endPort{65535};              //!< `set end-port`
    uint32_t timeout{3600};               //!< `set timeout` (1..604800 s)
    std::string refreshDirection{"both"}; //!< `set refresh-direction both|outgoing|incoming`

    bool operator==(const SessionTtlPort& o) const;

    bool operator!=(const SessionTtlPort& o) const
    {
        return !(*this == o);
    }
};

/**
 * \ingroup fortigate
 * `config system session-ttl`.
 */
struct SessionTtl
{
    uint32_t defaultTtl{3600};         //!< `set default` (300..604800)
    std::vector<SessionTtlPort> ports; //!< `config port` entries, kept sorted by id

    /**
     * Established-session TTL for a protocol and destination port: the first port entry (by
     * id) whose protocol equals \p proto and, for TCP/UDP/SCTP, whose start-port..end-port
     * holds \p dport (other protocols ignore the port); defaultTtl when none matches.
     */
    uint32_t TtlFor(uint8_t proto, uint16_t dport) const;

    /// \return the port entry TtlFor uses for \p proto and \p dport, or nullptr
    const SessionTtlPort* FindPort(uint8_t proto, uint16_t dport) const;

    bool operator==(const SessionTtl& o) const;

    bool operator!=(const SessionTtl& o) const
    {
        return !(*this == o);
    }
};

/**
 * \ingroup fortigate
 * One `config system session-helper` entry.
 */
struct SessionHelperEntry
{
    uint32_t id{0};      //!< `edit <id>` (0 in AddSessionHelper = next free)
    std::string name;    //!< `set name` (one of SessionHelperNames())
    uint8_t protocol{0}; //!< `set protocol`
    uint16_t port{0};    //!< `set port` (1..65535)

    bool operator==(const SessionHelperEntry& o) const;

    bool operator!=(const SessionHelperEntry& o) const
    {
        return !(*this == o);
    }
};

/// \return the 20 default FortiOS session-helper entries (fortios.md §1), sorted by id.
std::vector<SessionHelperEntry> DefaultSessionHelpers();

/// \return the valid `set name` values of a session-helper entry (fortios.md §1).
const std::vector<std::string>& SessionHelperNames();

/// \return true when \p name is a valid session-helper name.
bool IsValidSessionHelperName(const std::string& name);

} // namespace ns3

#endif // FORTIGATE_SYSTEM_CONFIG_H
