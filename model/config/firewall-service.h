/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FIREWALL_SERVICE_H
#define FORTIGATE_FIREWALL_SERVICE_H

// Configuration family "services and groups".

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * One FortiOS port range "dstlow[-dsthigh][:srclow[-srchigh]]".
 */
struct PortRange
{
    uint16_t dstLo{0};     //!< lowest destination port
    uint16_t dstHi{0};     //!< highest destination port
    uint16_t srcLo{0};     //!< lowest source port
    uint16_t srcHi{65535}; //!< highest source port

    /// \return true when the ports lie in both ranges.
    bool Matches(uint16_t sport, uint16_t dport) const
    {
        return dport >= dstLo && dport <= dstHi && sport >= srcLo && sport <= srcHi;
    }

    /// \return true when the source range is narrower than 0-65535.
    bool RestrictsSource() const
    {
        return srcLo != 0 || srcHi != 65535;
    }

    bool operator==(const PortRange& o) const
    {
        return dstLo == o.dstLo && dstHi == o.dstHi && srcLo == o.srcLo && srcHi == o.srcHi;
    }

    bool operator!=(const PortRange& o) const
    {
        return !(*this == o);
    }
};

/**
 * Parse FortiOS port-range syntax "dstlow[-dsthigh][:srclow[-srchigh]]", e.g.
 * "5060-5061:1024-65535". Ports are 0..65535 and each low <= high.
 * \param text the text
 * \param where prefix for the error message (e.g. `firewall service custom "x": tcp-portrange`)
 * \throws ConfigError `<where>: malformed port range '<text>'` (or a reason)
 */
PortRange ParsePortRange(const std::string& text, const std::string& where = "");

/// \return canonical FortiOS text of a port range ("80", "5060-5061", "53:1024-65535").
std::string PortRangeToString(const PortRange& r);

/**
 * \ingroup fortigate
 * One `config firewall service custom` entry.
 */
struct FirewallService
{
    /// `set protocol`
    enum Protocol : uint8_t
    {
        TCP_UDP_SCTP = 0, //!< TCP/UDP/SCTP with port ranges
        ICMP = 1,         //!< ICMP with optional type/code
        IP = 2,           //!< IP protocol number (0 = any)
    };

    std::string name;                //!< `edit <name>`
    Protocol protocol{TCP_UDP_SCTP}; //!< `set protocol`
    std::vector<PortRange> tcp;      //!< `set tcp-portrange`
    std::vector<PortRange> udp;      //!< `set udp-portrange`
    std::vector<PortRange> sctp;     //!< `set sctp-portrange`
    int icmpType{-1};                //!< `set icmptype` (-1 = any)
    int icmpCode{-1};                //!< `set icmpcode` (-1 = any)
    uint8_t protocolNumber{0};       //!< `set protocol-number` (IP type; 0 = any)
    uint32_t sessionTtl{0};          //!< `set session-ttl` (0 = global; else 300..604800)
    uint32_t udpIdleTimer{0};        //!< `set udp-idle-timer` (0 = global)
    uint32_t tcpHalfcloseTimer{0};   //!< `set tcp-halfclose-timer` (0 = global)
    uint32_t tcpHalfopenTimer{0};    //!< `set tcp-halfopen-timer` (0 = global)
    uint32_t tcpTimewaitTimer{0};    //!< `set tcp-timewait-timer` (0 = global)
    bool predefined{false};          //!< shipped with the unit (shown as predefined)
    std::string category;            //!< `set category`
    std::string comment;             //!< `set comment`

    /**
     * \return true when a packet matches this service. ICMP services match protocol 1 (and
     * \p icmpType / \p icmpCode when the service sets them); TCP/UDP/SCTP services match
     * protocols 6/17/132 by their port ranges; IP services match their protocol number (0 =
     * any protocol).
     */
    bool Matches(uint8_t proto, uint16_t sport, uint16_t dport, int icmpType, int icmpCode) const;

    bool operator==(const FirewallService& o) const;

    bool operator!=(const FirewallService& o) const
    {
        return !(*this == o);
    }
};

/// \return the services a FortiGate ships (ALL, ALL_TCP, HTTP, DNS, SIP, ...), predefined=true.
std::vector<FirewallService> DefaultServices();

/**
 * \ingroup fortigate
 * One `config firewall service group` entry. Members are services or groups (no loops).
 */
struct ServiceGroup
{
    std::string name;                 //!< `edit <name>`
    std::vector<std::string> members; //!< `set member ...`
    std::string comment;              //!< `set comment`

    bool operator==(const ServiceGroup& o) const;

    bool operator!=(const ServiceGroup& o) const
    {
        return !(*this == o);
    }
};

} // namespace ns3

#endif // FORTIGATE_FIREWALL_SERVICE_H
