/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_INTERFACE_CONFIG_H
#define FORTIGATE_INTERFACE_CONFIG_H

// Configuration family "interfaces and routes": `config system interface`.

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * One `config system interface` entry. The interface's position in
 * FortiGateConfig::Interfaces() is the index the datapath uses (uint8_t).
 */
struct InterfaceConfig
{
    std::string name;                     //!< `edit <name>` (port1, wan1, internal, ...)
    uint32_t ip{0};                       //!< `set ip <ip> <mask>`: address (host order)
    uint32_t mask{0};                     //!< `set ip <ip> <mask>`: netmask (host order)
    std::string alias;                    //!< `set alias`
    std::string role{"undefined"};        //!< `set role lan|wan|dmz|undefined`
    std::vector<std::string> allowaccess; //!< `set allowaccess ping https ssh ...`

    bool operator==(const InterfaceConfig& o) const;

    bool operator!=(const InterfaceConfig& o) const
    {
        return !(*this == o);
    }
};

/**
 * \ingroup fortigate
 * \return true when an interface's `allowaccess` list lets a new local-in flow of \p proto to
 * \p port reach the unit: ping (ICMP echo), http tcp/80, https tcp/443, ssh tcp/22, telnet
 * tcp/23, snmp udp/161, fgfm tcp/541, radius-acct udp/1813, probe-response udp/8008, fabric
 * tcp/8013, ftm tcp/4433, speed-test tcp/5201, capwap udp/5246-5247 (the model's table of
 * FortiOS's default ports).
 */
bool AllowAccessCovers(const std::vector<std::string>& allowaccess, uint8_t proto, uint16_t port);

/**
 * \ingroup fortigate
 * \return the values `set allowaccess` takes, in FortiOS's order (the configuration checks
 *         them; the CLI offers them)
 */
const std::vector<std::string>& AllowAccessNames();

} // namespace ns3

#endif // FORTIGATE_INTERFACE_CONFIG_H
