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
 * Scheme (partition by interface pair, then one index dimension per policy, candidates merged
 * in list order and verified), as hardware and software firewalls cut a rule base: first by
 * (ingress, egress) interface, then by the most selective field.
 * - Five dimensions: in-interface, out-interface, source, destination, and a service key
 *   (protocol << 16 | destination port for TCP/UDP/SCTP, protocol << 16 | ICMP type for ICMP,
 *   protocol << 16 otherwise). Each policy is a set of key intervals per dimension; intervals
 *   covering the whole key space are a wildcard.
 * - Interface classes: the interface indexes a policy names cut 0..255 into classes; a policy
 *   belongs to every (in class, out class) pair it covers. A policy covering at most
 *   kMaxPairs pairs is stored in each of its pair buckets; one covering more ("any" on both
 *   sides with many interfaces) in one shared bucket, where its interfaces are verified,
 *   unless such policies are few (kReplicateBudget): then they are copied into their pair
 *   buckets too and a lookup searches one bucket.
 * - Inside a bucket each policy is indexed in ONE of source, destination, service: the one
 *   whose intervals overlap the fewest intervals of other policies (sum of the coverage counts
 *   of the elementary segments it spans), i.e. the one whose candidate lists stay shortest. The
 *   index of a dimension is its sorted elementary segments and, per segment, the ascending
 *   list of policies covering it (a single candidate inline in the segment). Policies
 *   wildcard in all three, or spanning more than kMaxSegmentsPerPolicy segments in their best
 *   dimension, sit in the bucket's plain list.
 * - Layout for few cache misses: segments in 64-byte blocks of 8 (starts, then lists),
 *   searched through a static tree of 64-byte lines of 16 keys (one line per level; the upper
 *   levels stay cached); records hold only what the bucket and the index do not prove (the
 *   index dimension is exact by construction, and so are the interfaces in a pair bucket),
 *   and list entries are record offsets, records laid out in list order.
 * - A lookup finds, in its pair bucket and in the shared bucket (when used), one segment per
 *   indexed dimension, descending all (up to 6) search trees together one level at a time so
 *   that their cache misses overlap rather than follow one another; it takes the <= 8
 *   candidate lists, prefetches their first records and merges them in ascending list order,
 *   verifying each candidate against its record (and the schedule, source ports, ICMP code);
 *   the first that passes is the answer.
 * - Compile is O(total intervals) plus radix sorts (no binary searches): each elementary
 *   segmentation sorts the interval ends once with their slots.
 * Lookup cost: O(log S) per dimension plus the candidates that precede the answer in the
 * merged lists (few when the index dimension is selective); memory is the records plus one
 * entry per (policy, bucket, covered segment). Weak spot: many policies sharing one wide range
 * in every dimension make long candidate lists (still exact, at worst a linear scan).
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

    /// \return approximate heap bytes used by the compiled structures (the policy copies
    ///         included).
    std::size_t MemoryBytes() const;

    /// \return number of index segments summed over buckets and dimensions (diagnostics).
    std::size_t Segments() const;

    /// Most (in class, out class) pairs a policy is copied into before it goes to the shared
    /// bucket.
    static constexpr uint32_t kMaxPairs = 16;
    /// ... unless all such policies together cover at most kReplicateBudget pairs per
    /// compiled policy: then they are copied into their pair buckets too (no shared bucket).
    static constexpr uint32_t kReplicateBudget = 1;
    /// Most index segments a policy may span in its index dimension before it goes to its
    /// bucket's plain list.
    static constexpr uint32_t kMaxSegmentsPerPolicy = 512;

  private:
    static constexpr int NUM_DIMS = 5;   //!< in, out, src, dst, service (PolicyQuery order)
    static constexpr int INDEX_DIMS = 3; //!< src, dst, service

    /// Candidate lists are runs of record offsets in ascending order; the last entry of a run
    /// carries LIST_LAST. A segment with one candidate holds it inline (LIST_LAST set).
    static constexpr uint32_t LIST_LAST = 1u << 31;
    static constexpr uint32_t LIST_EMPTY = 0xffffffffu; //!< a segment without candidates

    /// Most levels of a search tree: 16^8 keys is more than 2^32 segments / 8.
    static constexpr uint32_t MAX_LEVELS = 8;

    /// One index segment: its first key and its candidate list.
    struct Seg
    {
        uint32_t start; //!< first key of the segment
        uint32_t list;  //!< LIST_EMPTY, LIST_LAST | record offset, or a run's start in ids
    };

    /// Eight consecutive segments in one cache line (the last block padded with copies of
    /// the last segment, start KEY_MAX).
    struct alignas(64) SegBlock
    {
        uint32_t start[8]; //!< first keys, ascending
        uint32_t list[8];  //!< candidate lists (as Seg::list)
    };

    /// Sixteen search keys in one cache line (padded with 0xffffffff).
    struct alignas(64) KeyLine
    {
        uint32_t key[16]; //!< ascending
    };

    /// One dimension's index inside a bucket: a static search tree of 16-key lines over
    /// the first starts of the segment blocks (its levels from the root, one line each), then
    /// the block: a lookup reads one line per level (the upper ones stay cached) and one
    /// block line, which also holds the candidate list or the single candidate.
    struct DimIndex
    {
        std::vector<SegBlock> blocks; //!< the segments, 8 per block (empty: no index)
        std::vector<KeyLine> lines;   //!< the levels, root first, each a whole number of lines
        std::vector<uint32_t> ids;    //!< runs of two or more record offsets
        uint32_t segments{0};         //!< number of segments
        uint32_t levels{0};           //!< levels of the search tree (0: one block, no tree)
        /// per level from the root: first line in \c lines (inline: no pointer to chase)
        uint32_t levelOff[MAX_LEVELS]{};
        /// per level from the root: number of keys
        uint32_t levelLen[MAX_LEVELS]{};

        /// Build from \p segs (sorted, segs[0].start == 0, not empty).
        void Build(const std::vector<Seg>& segs);

        /// One step of the descent from the root (\p r = 0 at the root).
        /// \return the entry that \p key selects in line \p r of level \p l: the line to read
        ///         at the next level, or after the last level the block
        uint32_t Step(uint32_t l, uint32_t r, uint32_t key) const;

        /// \return the candidate run of \p key's segment in block \p b, nullptr when none
        const uint32_t* InBlock(uint32_t b, uint32_t key) const;
    };

    /// The policies of one interface pair (or the shared bucket).
    struct Bucket
    {
        DimIndex dims[INDEX_DIMS];   //!< source, destination, service
        std::vector<uint32_t> plain; //!< run of the policies in no index (LIST_LAST on the last)
    };

    bool Verify(uint32_t rec, const uint32_t (&keys)[NUM_DIMS], const PolicyQuery& q) const;
    bool Accept(uint32_t pos, const PolicyQuery& q) const;

    /// Per-policy data for the exact re-check.
    struct Residual
    {
        int32_t schedule{-1};     //!< index in m_schedules, -1 = always active
        bool checkService{false}; //!< a service restricts source ports or ICMP code
        uint32_t svcBegin{0};     //!< services of the policy in m_services
        uint32_t svcEnd{0};       //!< end of the services of the policy
    };

    bool m_compiled{false};
    uint64_t m_version{0};
    int64_t m_simEpoch{0};
    std::vector<uint32_t> m_inClass;  //!< in-interface index (0..255) -> class
    std::vector<uint32_t> m_outClass; //!< out-interface index (0..255) -> class
    uint32_t m_outClasses{0};         //!< number of out classes
    std::vector<Bucket> m_buckets;    //!< in class * m_outClasses + out class; last: shared
    /// Records: [position, mask of the dimensions to verify | residual flag << 8, then per
    /// dimension in the mask (src, dst, service, in, out order): count, intervals (lo, hi)].
    /// A record leaves out what its place in the index already proves: the index dimension
    /// and, in a pair bucket, the interfaces.
    std::vector<uint32_t> m_records;
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
