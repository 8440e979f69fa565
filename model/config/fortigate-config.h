/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_CONFIG_H
#define FORTIGATE_CONFIG_H

#include "config-error.h"
#include "ns3/ip-pool.h"
#include "static-route.h"
#include "ns3/tcp-state.h"
#include "ns3/virtual-ip.h"
#include "voip-profile-config.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
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

/**
 * \ingroup fortigate
 * One `config firewall dnstranslation` entry: the dns-udp / dns-tcp helpers rewrite a resolved
 * address in src/netmask to the same host in dst/netmask in DNS answers (FortiOS CLI
 * reference, "config firewall dnstranslation"; defaults 0.0.0.0, 0.0.0.0, 255.255.255.255).
 */
struct DnsTranslationConfig
{
    uint32_t id{0};               //!< `edit <id>` (0 in AddDnsTranslation = next free)
    uint32_t src{0};              //!< `set src`
    uint32_t dst{0};              //!< `set dst`
    uint32_t netmask{0xffffffff}; //!< `set netmask` (contiguous)

    bool operator==(const DnsTranslationConfig& o) const
    {
        return id == o.id && src == o.src && dst == o.dst && netmask == o.netmask;
    }
};

/// \return the 20 default FortiOS session-helper entries (fortios.md §1), sorted by id.
std::vector<SessionHelperEntry> DefaultSessionHelpers();

/// \return the valid `set name` values of a session-helper entry (fortios.md §1).
const std::vector<std::string>& SessionHelperNames();

/// \return true when \p name is a valid session-helper name.
bool IsValidSessionHelperName(const std::string& name);

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
    static FirewallAddress FromRange(const std::string& name, const std::string& startIp,
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

/**
 * \ingroup fortigate
 * One `config firewall schedule recurring` or `onetime` entry (names are shared).
 *
 * Recurring: active on the days of dayMask from startMinute to endMinute (minutes of the day,
 * end exclusive). end < start wraps past midnight (the part after midnight belongs to the day
 * after a selected day); start == end means the whole day. Onetime: active from start to end
 * (seconds since 1970, UTC, end exclusive).
 */
struct FirewallSchedule
{
    /// Which CLI table the schedule belongs to.
    enum Kind : uint8_t
    {
        RECURRING = 0, //!< `config firewall schedule recurring`
        ONETIME = 1,   //!< `config firewall schedule onetime`
    };

    static constexpr uint8_t ALL_DAYS = 0x7f; //!< sunday..saturday

    std::string name;        //!< `edit <name>`
    Kind kind{RECURRING};    //!< recurring or onetime
    uint8_t dayMask{0};      //!< recurring: bit0 = sunday .. bit6 = saturday (`set day`)
    uint16_t startMinute{0}; //!< recurring: `set start HH:MM` as minutes (0..1439)
    uint16_t endMinute{0};   //!< recurring: `set end HH:MM` as minutes (0..1439)
    int64_t startTime{0};    //!< onetime: `set start "HH:MM YYYY/MM/DD"` as Unix seconds
    int64_t endTime{0};      //!< onetime: `set end "HH:MM YYYY/MM/DD"` as Unix seconds
    std::string comment;     //!< `set comment`

    /**
     * \return true when the schedule is active at wall-clock \p unixSeconds (UTC).
     */
    bool IsActiveAt(int64_t unixSeconds) const;

    /// \return true when a recurring schedule covers every minute of every day.
    bool IsAlways() const
    {
        return kind == RECURRING && dayMask == ALL_DAYS && startMinute == endMinute;
    }

    bool operator==(const FirewallSchedule& o) const;

    bool operator!=(const FirewallSchedule& o) const
    {
        return !(*this == o);
    }
};

/**
 * Parse "HH:MM" (00:00..23:59) into minutes of the day.
 * \throws ConfigError `<where>: malformed time '<text>'`
 */
uint16_t ParseScheduleMinutes(const std::string& text, const std::string& where = "");

/// \return "HH:MM" of minutes of the day.
std::string ScheduleMinutesToString(uint16_t minutes);

/**
 * Parse FortiOS onetime text "HH:MM YYYY/MM/DD" (UTC) into seconds since 1970.
 * \throws ConfigError `<where>: malformed date '<text>'`
 */
int64_t ParseScheduleDateTime(const std::string& text, const std::string& where = "");

/// \return "HH:MM YYYY/MM/DD" of Unix seconds (UTC).
std::string ScheduleDateTimeToString(int64_t unixSeconds);

/**
 * Parse `set day` words (sunday monday ... saturday, or the single word none) into a mask.
 * \throws ConfigError `<where>: invalid day '<word>'`
 */
uint8_t ParseScheduleDays(const std::vector<std::string>& words, const std::string& where = "");

/// \return the `set day` words of a mask, sunday first ("none" when empty).
std::vector<std::string> ScheduleDaysToStrings(uint8_t dayMask);

/// \return seconds since 1970 (UTC) of a calendar date and time (proleptic Gregorian).
int64_t CivilToUnixSeconds(int year, unsigned month, unsigned day, unsigned hour = 0,
                           unsigned minute = 0, unsigned second = 0);

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
    std::string voipProfile;           //!< `set voip-profile` (empty = none)
    std::string ipsVoipFilter;         //!< `set ips-voip-filter` (voip profile name; empty = none)
    bool utmStatus{false};             //!< `set utm-status`

    bool operator==(const FirewallPolicy& o) const;

    bool operator!=(const FirewallPolicy& o) const
    {
        return !(*this == o);
    }
};

/**
 * \ingroup fortigate
 * `config voip profile` entry (placeholder: the SIP work extends it).
 */
struct VoipProfileConfig
{
    std::string name;                //!< `edit <name>`
    bool sipStatus{true};            //!< `config sip / set status`
    std::string featureSet{"voipd"}; //!< `set feature-set voipd|ips`
    std::string comment;             //!< `set comment`
    VoipSipOptions sip;              //!< the other `config sip` fields (fortios.md §5)

    bool operator==(const VoipProfileConfig& o) const;

    bool operator!=(const VoipProfileConfig& o) const
    {
        return !(*this == o);
    }
};

/// Merged, sorted, disjoint inclusive IPv4 ranges (host order).
using Ipv4RangeList = std::vector<std::pair<uint32_t, uint32_t>>;

/// Sort \p r and merge overlapping and adjacent inclusive ranges (any uint32_t intervals).
void MergeRanges(Ipv4RangeList& r);

/**
 * \ingroup fortigate
 * The whole configuration of one FortiGate: a plain value type (copyable, comparable,
 * deterministic: every container is ordered).
 *
 * Every mutator validates its argument against the rest of the configuration and throws
 * ConfigError (message naming the object and the field) without changing anything on error.
 * Each successful change increments Version(). The CLI applies a batch to a copy, calls
 * Validate() and swaps the copy in.
 *
 * Named objects keep their creation order (which `show` prints). Addresses, address groups and
 * VIPs share one namespace; services and service groups share another.
 */
class FortiGateConfig
{
  public:
    /// Where MovePolicy puts a policy relative to another.
    enum MoveWhere
    {
        BEFORE, //!< `move <id> before <other>`
        AFTER,  //!< `move <id> after <other>`
    };

    /// Default simulated epoch: 2026-01-05 00:00:00 UTC (a Monday).
    static constexpr int64_t DEFAULT_SIM_EPOCH = 1767571200;

    /// A configuration as a FortiGate ships: default settings, timers, session helpers,
    /// predefined services, address "all", schedule "always", voip profile "default".
    FortiGateConfig();

    /// \return counter incremented by every successful change (copied with the configuration).
    uint64_t Version() const
    {
        return m_version;
    }

    /// Content equality (Version() is not compared).
    bool operator==(const FortiGateConfig& o) const;

    bool operator!=(const FortiGateConfig& o) const
    {
        return !(*this == o);
    }

    /**
     * Re-check the whole configuration: every field, every reference, no group loops, unique
     * names and ids, no overlapping ip pools.
     * \throws ConfigError for the first problem found
     */
    void Validate() const;

    // ---- system settings / global timers / session-ttl / simulated clock --------------

    /// \return `config system settings`
    const SystemSettings& Settings() const
    {
        return m_settings;
    }

    /// Replace `config system settings` (validated).
    void SetSettings(const SystemSettings& settings);

    /// \return the global timers; sessionTtl always equals GetSessionTtl().defaultTtl.
    const TcpUdpTimers& Timers() const
    {
        return m_timers;
    }

    /// Replace the global timers (validated); also sets the session-ttl default.
    void SetTimers(const TcpUdpTimers& timers);

    /// \return `config system session-ttl`
    const SessionTtl& GetSessionTtl() const
    {
        return m_sessionTtl;
    }

    /// Replace `config system session-ttl` (validated; ports sorted by id; id 0 = next free).
    void SetSessionTtl(const SessionTtl& ttl);

    /// Add or replace one `config port` entry (id 0 = next free). \return its id
    uint32_t SetSessionTtlPort(SessionTtlPort port);

    /// Delete one `config port` entry. \throws ConfigError when the id does not exist
    void DeleteSessionTtlPort(uint32_t id);

    /// \return Unix seconds (UTC) of simulated time 0.
    int64_t SimEpoch() const
    {
        return m_simEpoch;
    }

    /// Set the wall-clock time of simulated time 0 (Unix seconds, UTC).
    void SetSimEpoch(int64_t unixSeconds);

    // ---- interfaces --------------------------------------------------------------------

    /// \return the interfaces; the position is the datapath's interface index.
    const std::vector<InterfaceConfig>& Interfaces() const
    {
        return m_interfaces;
    }

    /// Add an interface at the end. \return its index
    uint8_t AddInterface(const InterfaceConfig& intf);

    /// Replace an existing interface (found by name; its index is kept).
    void SetInterface(const InterfaceConfig& intf);

    /// Delete an unreferenced interface (later interfaces move down one index).
    void DeleteInterface(const std::string& name);

    /// \return the interface index of \p name, or -1.
    int FindInterface(const std::string& name) const;

    /// \return the interface \p name, or nullptr.
    const InterfaceConfig* FindInterfaceConfig(const std::string& name) const;

    // ---- session helpers ---------------------------------------------------------------

    /// \return `config system session-helper` entries sorted by id.
    const std::vector<SessionHelperEntry>& SessionHelpers() const
    {
        return m_helpers;
    }

    /// Add an entry (id 0 = next free, i.e. highest id + 1). \return its id
    uint32_t AddSessionHelper(SessionHelperEntry entry);

    /// Replace the entry with the same id.
    void SetSessionHelper(const SessionHelperEntry& entry);

    /// Delete entry \p id.
    void DeleteSessionHelper(uint32_t id);

    /// \return entry \p id, or nullptr.
    const SessionHelperEntry* FindSessionHelper(uint32_t id) const;

    /// \return the first entry (by id) with this protocol and port, or nullptr. An entry with
    /// protocol 0 (no `set protocol`) listens on TCP and UDP, as the seed handbook page says of
    /// `edit 0 / set name sip / set port 5064`.
    const SessionHelperEntry* FindHelperEntry(uint8_t proto, uint16_t dport) const;

    // ---- DNS translation ---------------------------------------------------------------

    /// \return `config firewall dnstranslation` entries sorted by id.
    const std::vector<DnsTranslationConfig>& DnsTranslations() const
    {
        return m_dnsTranslations;
    }

    /// Add an entry (id 0 = next free). \return its id
    uint32_t AddDnsTranslation(DnsTranslationConfig entry);

    /// Replace the entry with the same id.
    void SetDnsTranslation(const DnsTranslationConfig& entry);

    /// Delete entry \p id.
    void DeleteDnsTranslation(uint32_t id);

    /// \return entry \p id, or nullptr.
    const DnsTranslationConfig* FindDnsTranslation(uint32_t id) const;

    // ---- addresses, address groups -----------------------------------------------------

    /// \return `config firewall address` in creation order ("all" first).
    const std::vector<FirewallAddress>& Addresses() const
    {
        return m_addresses;
    }

    /// Add a new address (name unused by addresses, groups and VIPs).
    void AddAddress(const FirewallAddress& addr);
    /// Replace an existing address.
    void SetAddress(const FirewallAddress& addr);
    /// Delete an unreferenced address ("all" cannot be deleted).
    void DeleteAddress(const std::string& name);
    /// \return the address \p name, or nullptr.
    const FirewallAddress* FindAddress(const std::string& name) const;

    /// \return `config firewall addrgrp` in creation order.
    const std::vector<AddressGroup>& AddressGroups() const
    {
        return m_addrGroups;
    }

    /// Add a new address group (members must exist).
    void AddAddressGroup(const AddressGroup& group);
    /// Replace an existing address group (no loops).
    void SetAddressGroup(const AddressGroup& group);
    /// Delete an unreferenced address group.
    void DeleteAddressGroup(const std::string& name);
    /// \return the group \p name, or nullptr.
    const AddressGroup* FindAddressGroup(const std::string& name) const;

    /**
     * \return true when \p ip belongs to the address, address group (expanded) or VIP (its
     * mapped range) named \p nameOrGroup; false for unknown names.
     */
    bool AddressMatches(const std::string& nameOrGroup, uint32_t ip) const;

    /// \return the merged ranges an address, group or VIP (mapped range) covers.
    Ipv4RangeList AddressRanges(const std::string& nameOrGroup) const;

    // ---- services, service groups ------------------------------------------------------

    /// \return `config firewall service custom` in creation order (predefined first).
    const std::vector<FirewallService>& Services() const
    {
        return m_services;
    }

    /// Add a new custom service.
    void AddService(const FirewallService& svc);
    /// Replace an existing service.
    void SetService(const FirewallService& svc);
    /// Delete an unreferenced service.
    void DeleteService(const std::string& name);
    /// \return the service \p name, or nullptr.
    const FirewallService* FindService(const std::string& name) const;

    /// \return `config firewall service group` in creation order.
    const std::vector<ServiceGroup>& ServiceGroups() const
    {
        return m_svcGroups;
    }

    /// Add a new service group.
    void AddServiceGroup(const ServiceGroup& group);
    /// Replace an existing service group (no loops).
    void SetServiceGroup(const ServiceGroup& group);
    /// Delete an unreferenced service group.
    void DeleteServiceGroup(const std::string& name);
    /// \return the group \p name, or nullptr.
    const ServiceGroup* FindServiceGroup(const std::string& name) const;

    /// \return every service a service or service group expands to (each once, in order).
    std::vector<const FirewallService*> ExpandServices(const std::string& nameOrGroup) const;

    /// \return true when a packet matches service or group \p nameOrGroup.
    bool ServiceMatches(const std::string& nameOrGroup, uint8_t proto, uint16_t sport,
                        uint16_t dport, int icmpType = -1, int icmpCode = -1) const;

    /**
     * \return the first service of \p policy (groups expanded, in order) that matches the
     * packet, or nullptr. The datapath reads the per-service timers from it.
     */
    const FirewallService* MatchingService(const FirewallPolicy& policy, uint8_t proto,
                                           uint16_t sport, uint16_t dport, int icmpType = -1,
                                           int icmpCode = -1) const;

    // ---- schedules ---------------------------------------------------------------------

    /// \return recurring schedules, then onetime ones, each in creation order ("always" first).
    const std::vector<FirewallSchedule>& Schedules() const
    {
        return m_schedules;
    }

    /// Add a new schedule.
    void AddSchedule(const FirewallSchedule& sched);
    /// Replace an existing schedule.
    void SetSchedule(const FirewallSchedule& sched);
    /// Delete an unreferenced schedule ("always" cannot be deleted).
    void DeleteSchedule(const std::string& name);
    /// \return the schedule \p name, or nullptr.
    const FirewallSchedule* FindSchedule(const std::string& name) const;

    /// \return true when \p sched is active at simulated time \p simSeconds (via SimEpoch()).
    bool IsActive(const FirewallSchedule& sched, double simSeconds) const;

    /// \return true when schedule \p name exists and is active at \p simSeconds.
    bool IsScheduleActive(const std::string& name, double simSeconds) const;

    /// \return Unix seconds (UTC) of simulated time \p simSeconds (rounded down).
    int64_t SimToUnixSeconds(double simSeconds) const;

    // ---- IP pools, VIPs ----------------------------------------------------------------

    /// \return `config firewall ippool` in creation order.
    const std::vector<IpPoolConfig>& IpPools() const
    {
        return m_ippools;
    }

    /// Add a new pool (ValidateIpPool; no overlap with other pools).
    void AddIpPool(const IpPoolConfig& pool);
    /// Replace an existing pool.
    void SetIpPool(const IpPoolConfig& pool);
    /// Delete an unreferenced pool.
    void DeleteIpPool(const std::string& name);
    /// Rename pool \p from to \p to (an unused name) in place, and every policy's poolname.
    void RenameIpPool(const std::string& from, const std::string& to);
    /// \return the pool \p name, or nullptr.
    const IpPoolConfig* FindIpPool(const std::string& name) const;

    /// \return `config firewall vip` in creation order.
    const std::vector<VipConfig>& Vips() const
    {
        return m_vips;
    }

    /// Add a new VIP (ValidateVip; name unused in the address namespace; extintf exists).
    void AddVip(const VipConfig& vip);
    /// Replace an existing VIP.
    void SetVip(const VipConfig& vip);
    /// Delete an unreferenced VIP.
    void DeleteVip(const std::string& name);
    /// Rename VIP \p from to \p to (unused in the address namespace) in place, and every
    /// reference to it (policy srcaddr/dstaddr, address group members).
    void RenameVip(const std::string& from, const std::string& to);
    /// \return the VIP \p name, or nullptr.
    const VipConfig* FindVip(const std::string& name) const;

    // ---- VoIP profiles -----------------------------------------------------------------

    /// \return `config voip profile` by name.
    const std::map<std::string, VoipProfileConfig>& VoipProfiles() const
    {
        return m_voipProfiles;
    }

    /// Add a new profile.
    void AddVoipProfile(const VoipProfileConfig& profile);
    /// Replace an existing profile.
    void SetVoipProfile(const VoipProfileConfig& profile);
    /// Delete an unreferenced profile ("default" cannot be deleted).
    void DeleteVoipProfile(const std::string& name);
    /// \return the profile \p name, or nullptr.
    const VoipProfileConfig* FindVoipProfile(const std::string& name) const;

    // ---- static routes -----------------------------------------------------------------

    /// \return `config router static` entries sorted by id.
    const std::vector<StaticRoute>& StaticRoutes() const
    {
        return m_staticRoutes;
    }

    /// Add a route (id 0 = next free, i.e. highest id + 1; device must exist). \return its id
    uint32_t AddStaticRoute(StaticRoute route);
    /// Replace the route with the same id.
    void SetStaticRoute(const StaticRoute& route);
    /// Delete route \p id.
    void DeleteStaticRoute(uint32_t id);
    /// \return route \p id, or nullptr.
    const StaticRoute* FindStaticRoute(uint32_t id) const;

    // ---- policies ----------------------------------------------------------------------

    /// \return the policies in match order (list position, not id).
    const std::vector<FirewallPolicy>& Policies() const
    {
        return m_policies;
    }

    /// Append a policy (id 0 = next free, i.e. highest id + 1; a used id is rejected).
    /// \return its id
    uint32_t AddPolicy(FirewallPolicy policy);
    /// Replace the policy with the same id (its position is kept).
    void SetPolicy(const FirewallPolicy& policy);
    /// Delete policy \p id.
    void DeletePolicy(uint32_t id);
    /// Move policy \p id before or after policy \p otherId (`move <id> before|after <other>`).
    void MovePolicy(uint32_t id, MoveWhere where, uint32_t otherId);
    /// \return policy \p id, or nullptr.
    const FirewallPolicy* FindPolicy(uint32_t id) const;
    /// \return the list position of policy \p id, or -1.
    int PolicyPosition(uint32_t id) const;

  private:
    // Checks (throw ConfigError). "self" = name of the object being replaced, if any.
    void CheckSettings(const SystemSettings& s) const;
    void CheckTimers(const TcpUdpTimers& t) const;
    void CheckSessionTtl(const SessionTtl& t) const;
    void CheckSessionTtlPort(const SessionTtlPort& p) const;
    void CheckInterface(const InterfaceConfig& i) const;
    void CheckHelper(const SessionHelperEntry& e) const;
    void CheckDnsTranslation(const DnsTranslationConfig& e) const;
    void CheckAddress(const FirewallAddress& a) const;
    void CheckAddressGroup(const AddressGroup& g) const;
    void CheckService(const FirewallService& s) const;
    void CheckServiceGroup(const ServiceGroup& g) const;
    void CheckSchedule(const FirewallSchedule& s) const;
    void CheckIpPool(const IpPoolConfig& p) const;
    void CheckVip(const VipConfig& v) const;
    void CheckVoipProfile(const VoipProfileConfig& p) const;
    void CheckPolicy(const FirewallPolicy& p) const;
    void CheckStaticRoute(const StaticRoute& r) const;
    void CheckAddressNameFree(const std::string& kind, const std::string& name) const;
    void CheckServiceNameFree(const std::string& kind, const std::string& name) const;
    bool AddrGroupReaches(const std::string& from, const std::string& target) const;
    bool SvcGroupReaches(const std::string& from, const std::string& target) const;
    void AddressRangesInto(const std::string& name, Ipv4RangeList& out, int depth) const;
    void ExpandServicesInto(const std::string& name, std::vector<const FirewallService*>& out,
                            int depth) const;
    std::string AddressUser(const std::string& name) const;
    std::string ServiceUser(const std::string& name) const;
    void RebuildIndexes();
    void Changed()
    {
        ++m_version;
    }

    uint64_t m_version{0};
    SystemSettings m_settings;
    TcpUdpTimers m_timers;
    SessionTtl m_sessionTtl;
    int64_t m_simEpoch{DEFAULT_SIM_EPOCH};
    std::vector<InterfaceConfig> m_interfaces;
    std::vector<SessionHelperEntry> m_helpers;
    std::vector<DnsTranslationConfig> m_dnsTranslations; //!< `config firewall dnstranslation`
    std::vector<FirewallAddress> m_addresses;
    std::vector<AddressGroup> m_addrGroups;
    std::vector<FirewallService> m_services;
    std::vector<ServiceGroup> m_svcGroups;
    std::vector<FirewallSchedule> m_schedules;
    std::vector<IpPoolConfig> m_ippools;
    std::vector<VipConfig> m_vips;
    std::map<std::string, VoipProfileConfig> m_voipProfiles;
    std::vector<FirewallPolicy> m_policies;
    std::vector<StaticRoute> m_staticRoutes;

    // Indexes into the vectors above (derived data, rebuilt on delete/move).
    std::map<std::string, size_t> m_addressIdx;
    std::map<std::string, size_t> m_addrGroupIdx;
    std::map<std::string, size_t> m_serviceIdx;
    std::map<std::string, size_t> m_svcGroupIdx;
    std::map<std::string, size_t> m_scheduleIdx;
    std::map<std::string, size_t> m_ippoolIdx;
    std::map<std::string, size_t> m_vipIdx;
    std::map<uint32_t, size_t> m_policyIdx;
    std::map<std::string, uint32_t> m_policyNameIdx;
};

} // namespace ns3

#endif // FORTIGATE_CONFIG_H
