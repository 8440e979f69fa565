/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_CONFIG_H
#define FORTIGATE_CONFIG_H

#include "config-error.h"
#include "dns-translation.h"
#include "firewall-address.h"
#include "firewall-policy.h"
#include "firewall-schedule.h"
#include "firewall-service.h"
#include "interface-config.h"
#include "named-table.h"
#include "static-route.h"
#include "system-config.h"
#include "voip-profile-config.h"

#include "ns3/ip-pool.h"
#include "ns3/tcp-state.h"
#include "ns3/virtual-ip.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

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

    /// The kinds of names configuration objects refer to one another by.
    enum class NameKind
    {
        INTERFACE,   //!< policies' srcintf/dstintf, VIPs' extintf, static routes' device
        ADDRESS,     //!< address groups' members, policies' srcaddr/dstaddr (addresses,
                     //!< address groups, VIPs)
        SERVICE,     //!< service groups' members, policies' service
        SCHEDULE,    //!< policies' schedule
        IPPOOL,      //!< policies' poolname
        VOIP_PROFILE //!< policies' voip-profile and ips-voip-filter
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
        return m_addresses.All();
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
        return m_addrGroups.All();
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
        return m_services.All();
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
        return m_svcGroups.All();
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
    bool ServiceMatches(const std::string& nameOrGroup,
                        uint8_t proto,
                        uint16_t sport,
                        uint16_t dport,
                        int icmpType = -1,
                        int icmpCode = -1) const;

    /**
     * \return the first service of \p policy (groups expanded, in order) that matches the
     * packet, or nullptr. The datapath reads the per-service timers from it.
     */
    const FirewallService* MatchingService(const FirewallPolicy& policy,
                                           uint8_t proto,
                                           uint16_t sport,
                                           uint16_t dport,
                                           int icmpType = -1,
                                           int icmpCode = -1) const;

    // ---- schedules ---------------------------------------------------------------------

    /// \return recurring schedules, then onetime ones, each in creation order ("always" first).
    const std::vector<FirewallSchedule>& Schedules() const
    {
        return m_schedules.All();
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
        return m_ippools.All();
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
        return m_vips.All();
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

    // ---- references between objects ------------------------------------------------------

    /**
     * \return the objects that refer to \p name of kind \p kind, each once, as `show` labels
     * them ("firewall addrgrp \"lan\"", "firewall policy 3", "router static 2"): groups first,
     * then policies (INTERFACE: policies, VIPs, static routes). Empty: unused.
     */
    std::vector<std::string> UsersOf(NameKind kind, const std::string& name) const;

    /// Make every reference of kind \p kind to \p from refer to \p to (renaming an object:
    /// \p to is not checked here).
    void RenameReferences(NameKind kind, const std::string& from, const std::string& to);

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
    /// Fails unless \p name is free in namespace \p space (ADDRESS: addresses, addrgrps and
    /// VIPs; SERVICE: services and service groups) for a new \p kind ("firewall vip").
    void CheckNameFree(NameKind space, const std::string& kind, const std::string& name) const;
    /// Fails with "<label> is used by <first user>" when anything refers to \p name.
    void FailIfUsed(NameKind kind, const std::string& name, const std::string& label) const;
    /// Call \p visit(user label, name) for every reference of \p kind in \p self (a
    /// FortiGateConfig, const to read or not to change the names).
    template <class Self, class Visit>
    static void VisitReferences(Self& self, NameKind kind, Visit visit);
    void AddressRangesInto(const std::string& name, Ipv4RangeList& out, int depth) const;
    void ExpandServicesInto(const std::string& name,
                            std::vector<const FirewallService*>& out,
                            int depth) const;
    void RebuildPolicyIndexes();

    /// A check of one kind of entry (CheckAddress, CheckService, ...).
    template <class T>
    using Check = void (FortiGateConfig::*)(const T&) const;
    /// Add \p entry (labelled \p label) to \p table: its name is set and free in namespace
    /// \p space (for a new \p kind: see CheckNameFree) and \p check passes.
    template <class T>
    void AddNamed(NamedTable<T>& table,
                  const T& entry,
                  const std::string& label,
                  NameKind space,
                  const std::string& kind,
                  Check<T> check);
    /// Replace the entry of \p table named as \p entry (it must exist) once \p check passes.
    template <class T>
    void SetNamed(NamedTable<T>& table, const T& entry, const std::string& label, Check<T> check);
    /// Delete entry \p name of \p table (it must exist) unless references of kind \p users
    /// name it.
    template <class T>
    void DeleteNamed(NamedTable<T>& table,
                     const std::string& name,
                     const std::string& label,
                     NameKind users);
    /// Add \p entry to \p table (sorted by id; id 0 = one past the last) once \p check passes;
    /// \p label gives "<label>" of an id ("router static 3"). \return the id
    template <class T>
    uint32_t AddById(std::vector<T>& table,
                     T entry,
                     std::string (*label)(uint32_t),
                     Check<T> check);
    /// Replace the entry of \p table with the id of \p entry (it must exist) once \p check
    /// passes.
    template <class T>
    void SetById(std::vector<T>& table,
                 const T& entry,
                 std::string (*label)(uint32_t),
                 Check<T> check);
    /// Delete entry \p id of \p table (it must exist).
    template <class T>
    void DeleteById(std::vector<T>& table, uint32_t id, std::string (*label)(uint32_t));

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
    NamedTable<FirewallAddress> m_addresses;
    NamedTable<AddressGroup> m_addrGroups;
    NamedTable<FirewallService> m_services;
    NamedTable<ServiceGroup> m_svcGroups;
    NamedTable<FirewallSchedule> m_schedules;
    NamedTable<IpPoolConfig> m_ippools;
    NamedTable<VipConfig> m_vips;
    std::map<std::string, VoipProfileConfig> m_voipProfiles;
    std::vector<FirewallPolicy> m_policies;
    std::vector<StaticRoute> m_staticRoutes;

    // Indexes into m_policies (derived data, rebuilt on delete/move).
    std::map<uint32_t, size_t> m_policyIdx;
    std::map<std::string, uint32_t> m_policyNameIdx;
};

} // namespace ns3

#endif // FORTIGATE_CONFIG_H
