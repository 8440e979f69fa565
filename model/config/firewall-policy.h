/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FIREWALL_POLICY_H
#define FORTIGATE_FIREWALL_POLICY_H

// Configuration family "policies".

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * One `config firewall policy` entry. FortiOS matches policies by list position.
 */
struct FirewallPolicy
{
    /// `set action`
    enum Action : uint8_t
    {
        DENY = 0,   //!< FortiOS default
        ACCEPT = 1, //!< accept
    };

    uint32_t id{0};                    //!< `edit <id>` (0 in AddPolicy = next free)
    std::string name;                  //!< `set name` (unique when set)
    std::string comments;              //!< `set comments`
    std::vector<std::string> srcintf;  //!< `set srcintf` (interface names or "any")
    std::vector<std::string> dstintf;  //!< `set dstintf` (interface names or "any")
    std::vector<std::string> srcaddr;  //!< `set srcaddr` (addresses or groups)
    std::vector<std::string> dstaddr;  //!< `set dstaddr` (addresses, groups or VIPs)
    std::vector<std::string> service;  //!< `set service` (services or groups)
    std::string schedule{"always"};    //!< `set schedule`
    Action action{DENY};               //!< `set action`
    bool status{true};                 //!< `set status enable|disable`
    bool nat{false};                   //!< `set nat`
    bool ippool{false};                //!< `set ippool`
    std::vector<std::string> poolname; //!< `set poolname`
    std::string logtraffic{"utm"};     //!< `set logtraffic all|utm|disable`
    bool logtrafficStart{false};       //!< `set logtraffic-start enable|disable`
    std::string voipProfile;           //!< `set voip-profile` (empty = none)
    std::string ipsVoipFilter;         //!< `set ips-voip-filter` (voip profile name; empty = none)
    bool utmStatus{false};             //!< `set utm-status`

    bool operator==(const FirewallPolicy& o) const;

    bool operator!=(const FirewallPolicy& o) const
    {
        return !(*this == o);
    }
};

} // namespace ns3

#endif // FORTIGATE_FIREWALL_POLICY_H
