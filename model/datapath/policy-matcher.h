/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_POLICY_MATCHER_H
#define FORTIGATE_POLICY_MATCHER_H

#include "ns3/fortigate-config.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * What the policy lookup needs to know about a new session's first packet.
 *
 * \c dst is the destination *after* DNAT (the datapath translates VIPs before the policy
 * lookup), so a policy whose dstaddr names a VIP matches the VIP's mapped range.
 */
struct PolicyQuery
{
    uint8_t inIf{0};      //!< arrival interface index (FortiGateConfig::Interfaces position)
    uint8_t outIf{0};     //!< egress interface index from the route lookup
    uint32_t src{0};      //!< source address (host order)
    uint32_t dst{0};      //!< destination address after DNAT (host order)
    uint8_t proto{0};     //!< IP protocol
    uint16_t sport{0};    //!< source port (TCP/UDP/SCTP)
    uint16_t dport{0};    //!< destination port (TCP/UDP/SCTP)
    int16_t icmpType{-1}; //!< ICMP type (-1 = unknown; then only "any type" services match)
    double simSeconds{0}; //!< simulated time (schedules)
    int16_t icmpCode{-1}; //!< ICMP code (-1 = unknown)
};

/**
 * \ingroup fortigate
 * First-match firewall policy lookup compiled from a FortiGateConfig.
 *
 * Semantics: the first *enabled* policy in list order whose srcintf, dstintf (names or "any"),
 * srcaddr, dstaddr (addresses, groups, VIPs as their mapped range), service (services, groups)
 * all match and whose schedule is active; nullptr means the implicit deny (policy 0).
 *
 * Scheme (bit-vector classification, Lakshman & Stiliadis, with aggregated bit vectors):
 * - Five dimensions: in-interface, out-interface, source, destination, and a service key
 *   (protocol << 16 | destination port for TCP/UDP/SCTP, protocol << 16 | ICMP type for ICMP,
 *   protocol << 16 otherwise). Each policy contributes a set of key intervals per dimension;
 *   a policy whose intervals cover a whole dimension ("any", "all", ALL) is a wildcard there.
 * - Per dimension the interval end points cut the key space into elementary segments, found
 *   by one binary search per query (a direct table for interfaces).
 * - Policies are partitioned into up to four groups by whether their source and destination
 *   are wildcards. Inside a group, each segment maps to a class = the set of group members that
 *   cover it, as a bit set in list order; members that are wildcards in a dimension sit in one
 *   dense per-group set instead of every class. A class stores a summary bit per 64-member word
 *   and only the non-zero words (rank by popcount); identical classes are shared.
 *   The partition matters: "all"/"any"/ALL rules make every word of a dimension non-empty, so
 *   without it the summary AND could not skip anything and a lookup would scan N/64 words.
 *   Inside a group with a specific source (or destination), that dimension's class is sparse
 *   and the summary AND leaves only the few words that can match; the group whose source and
 *   destination are both wildcards holds only such rules.
 * - A lookup scans each group: AND the summary words, then the candidate words, and takes the
 *   lowest set bit = first member in list order; the overall answer is the smallest list
 *   position over the groups (a group stops as soon as it cannot beat the best so far). What
 *   the dimensions do not capture exactly (source-port ranges, ICMP codes, schedules) is
 *   re-checked on the candidate, and the scan continues with the next bit when it fails.
 * Lookup cost is O(log S + N/4096 + candidate words) instead of O(N); building is
 * O(S * N/64) time; memory is the sum of the non-zero words of the distinct classes plus one
 * segment table per group and dimension. Known weak spot: many rules with very wide but not
 * whole-space ranges (e.g. hundreds of 10.0.0.0/8 rules) make classes dense again (still
 * correct, and still O(N/64) words per lookup at worst).
 *
 * The matcher keeps its own copy of the enabled policies and of what it needs from the
 * configuration: the pointer Lookup() returns stays valid until the next Compile().
 */
class PolicyMatcher
{
  public:
    PolicyMatcher() = default;

    /// Compile \p config (same as Compile()).
    explicit PolicyMatcher(const FortiGateConfig& config);

    /// Rebuild from \p config. Call again when config.Version() changes.
    void Compile(const FortiGateConfig& config);

    /// \return the first matching enabled policy, or nullptr (implicit deny, policy 0).
    const FirewallPolicy* Lookup(const PolicyQuery& q) const;

    /// \return FortiGateConfig::Version() of the compiled configuration.
    uint64_t ConfigVersion() const
    {
        return m_version;
    }

    /// \return true when compiled from a configuration with this version.
    bool IsCurrent(const FortiGateConfig& config) const
    {
        return m_compiled && m_version == config.Version();
    }

    /// \return number of enabled policies compiled in.
    std::size_t Size() const
    {
        return m_policies.size();
    }

    /// \return approximate heap bytes used by the compiled structures.
    std::size_t MemoryBytes() const;

    /// \return number of elementary segments summed over the dimensions (diagnostics).
    std::size_t Segments() const;

  private:
    static constexpr int NUM_DIMS = 5; //!< in, out, src, dst, service

    using IntervalList = std::vector<std::pair<uint32_t, uint32_t>>;

    /// Global segmentation of one dimension's key space (shared by all groups).
    struct Segmentation
    {
        std::vector<uint32_t> bounds; //!< sorted segment start keys (bounds[0] == 0)
        std::vector<uint32_t> direct; //!< key -> segment for small key spaces (interfaces)

        /// \return the segment holding \p key.
        uint32_t Segment(uint32_t key) const;
    };

    /// One dimension inside one group: segment -> class -> set of group members.
    struct GroupDim
    {
        bool present{false};             //!< false when every member is a wildcard here
        std::vector<uint32_t> segClass;  //!< class of each global segment
        std::vector<uint32_t> classOff;  //!< per class: offset of its summary words in agg
        std::vector<uint32_t> classBits; //!< per class: offset of its packed words in packed
        std::vector<uint64_t> agg;       //!< summary words (aggWords per class)
        std::vector<uint64_t> packed;    //!< non-zero member words of all classes
        std::vector<uint64_t> wild;      //!< dense set of members that are wildcards here
        std::vector<uint64_t> wildAgg;   //!< summary of wild (empty when wild is empty)
    };

    /// Policies sharing one wildcard signature of the address dimensions.
    struct Group
    {
        std::vector<uint32_t> members; //!< positions in m_policies, ascending
        uint32_t words{0};             //!< 64-bit words per member set
        uint32_t aggWords{0};          //!< summary words per member set
        GroupDim dims[NUM_DIMS];       //!< per dimension
    };

    /// Per-policy data for the exact re-check.
    struct Residual
    {
        int32_t schedule{-1};     //!< index in m_schedules, -1 = always active
        bool checkService{false}; //!< a service restricts source ports or ICMP code
        uint32_t svcBegin{0};     //!< services of the policy in m_services
        uint32_t svcEnd{0};       //!< end of the services of the policy
    };

    void BuildGroupDim(Group& g,
                       int d,
                       const std::vector<IntervalList>& perPolicy,
                       const std::vector<bool>& wildcard);
    uint32_t ScanGroup(const Group& g,
                       const uint32_t (&seg)[NUM_DIMS],
                       const PolicyQuery& q,
                       uint32_t best) const;
    bool Accept(uint32_t pos, const PolicyQuery& q) const;

    bool m_compiled{false};
    uint64_t m_version{0};
    int64_t m_simEpoch{0};
    Segmentation m_seg[NUM_DIMS];
    std::vector<Group> m_groups;            //!< non-empty groups
    std::vector<FirewallPolicy> m_policies; //!< enabled policies, list order
    std::vector<Residual> m_residual;
    std::vector<FirewallSchedule> m_schedules;
    std::vector<FirewallService> m_services;
};

/**
 * \ingroup fortigate
 * Reference policy lookup: a plain linear scan over config.Policies() using the
 * configuration's own matching functions. O(N); used by tests as the oracle for PolicyMatcher.
 */
const FirewallPolicy* LinearPolicyLookup(const FortiGateConfig& config, const PolicyQuery& q);

/// \return the service-dimension key PolicyMatcher uses for a packet (exposed for tests).
uint32_t PolicyServiceKey(uint8_t proto, uint16_t dport, int icmpType);

} // namespace ns3

#endif // FORTIGATE_POLICY_MATCHER_H
