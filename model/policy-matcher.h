/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_POLICY_MATCHER_H
#define FORTIGATE_POLICY_MATCHER_H

#include "fortigate-config.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3 {

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
 *   protocol << 16 otherwise). Each policy contributes a set of key intervals per dimension.
 * - Per dimension the interval end points cut the key space into elementary segments; each
 *   segment maps (by binary search) to a class holding the set of policies that cover it, as a
 *   bit set in list order. Policies covering a whole dimension ("any", "all", ALL) are kept in
 *   one dense per-dimension "wildcard" bit set instead of in every class, so "all"/"ALL" rules
 *   cost no memory per segment.
 * - A class stores its bit set sparsely: a summary bit per 64-policy word and only the
 *   non-zero words (rank by popcount). Identical classes are shared.
 * - A lookup classifies the five keys (5 binary searches, O(log segments)), ANDs the summary
 *   words (one per 4096 policies) to find the words that can hold a match, ANDs those words and
 *   takes the lowest set bit = the first policy in list order. What the dimensions do not
 *   capture exactly (source-port ranges, ICMP codes, schedules) is re-checked on that policy
 *   and the scan continues with the next bit when it fails.
 * Lookup cost is O(log S + N/4096 + candidate words) instead of O(N); building is
 * O(S * N/64) time and the memory is the sum of the non-zero words of the distinct classes.
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
    /// One classification dimension.
    struct Dimension
    {
        std::vector<uint32_t> bounds;    //!< sorted segment start keys (bounds[0] == 0)
        std::vector<uint32_t> segClass;  //!< class of each segment
        std::vector<uint32_t> classOff;  //!< per class: offset of its summary words in agg
        std::vector<uint32_t> classBits; //!< per class: offset of its packed words in packed
        std::vector<uint64_t> agg;       //!< summary words (aggWords per class)
        std::vector<uint64_t> packed;    //!< non-zero policy words of all classes
        std::vector<uint64_t> wild;      //!< dense bit set of wildcard policies
        std::vector<uint64_t> wildAgg;   //!< summary of wild

        /// \return class of \p key.
        uint32_t Classify(uint32_t key) const;
    };

    /// Per-policy data for the exact re-check.
    struct Residual
    {
        int32_t schedule{-1};     //!< index in m_schedules, -1 = always active
        bool checkService{false}; //!< a service restricts source ports or ICMP code
        uint32_t svcBegin{0};     //!< services of the policy in m_services
        uint32_t svcEnd{0};       //!< end of the services of the policy
    };

    using IntervalList = std::vector<std::pair<uint32_t, uint32_t>>;

    void BuildDimension(Dimension& dim, const std::vector<IntervalList>& perPolicy);
    bool Accept(uint32_t bit, const PolicyQuery& q) const;

    static constexpr int NUM_DIMS = 5;

    bool m_compiled{false};
    uint64_t m_version{0};
    int64_t m_simEpoch{0};
    uint32_t m_words{0};    //!< 64-bit words per policy bit set
    uint32_t m_aggWords{0}; //!< summary words per bit set
    Dimension m_dims[NUM_DIMS];
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
