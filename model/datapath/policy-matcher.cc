/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "policy-matcher.h"

#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGatePolicyMatcher");

namespace
{

constexpr uint32_t KEY_MAX = std::numeric_limits<uint32_t>::max();

bool
InterfaceMatches(const FortiGateConfig& cfg, const std::vector<std::string>& names, uint8_t idx)
{
    for (const auto& n : names)
    {
        if (n == "any")
        {
            return true;
        }
        if (idx < cfg.Interfaces().size() && cfg.Interfaces()[idx].name == n)
        {
            return true;
        }
    }
    return false;
}

} // namespace

uint32_t
PolicyServiceKey(uint8_t proto, uint16_t dport, int icmpType)
{
    const uint32_t p = static_cast<uint32_t>(proto) << 16;
    if (proto == 6 || proto == 17 || proto == 132)
    {
        return p | dport;
    }
    if (proto == 1)
    {
        return p | ((icmpType >= 0 && icmpType <= 255) ? static_cast<uint32_t>(icmpType) : 0x100u);
    }
    return p;
}

namespace
{

/// Index of the last bound <= key (bounds[0] == 0, so it exists); branch-free halving.
inline uint32_t
SegmentOf(const std::vector<uint32_t>& bounds, uint32_t key)
{
    const uint32_t* b = bounds.data();
    size_t n = bounds.size();
    while (n > 1)
    {
        const size_t half = n / 2;
        b = b[half] <= key ? b + half : b;
        n -= half;
    }
    return static_cast<uint32_t>(b - bounds.data());
}

/// Intervals of every policy in one dimension, flat: policy i's are data[off[i], off[i + 1]).
struct FlatIntervals
{
    std::vector<uint32_t> off{0};
    std::vector<std::pair<uint32_t, uint32_t>> data;

    const std::pair<uint32_t, uint32_t>* begin(uint32_t i) const
    {
        return data.data() + off[i];
    }

    const std::pair<uint32_t, uint32_t>* end(uint32_t i) const
    {
        return data.data() + off[i + 1];
    }

    uint32_t size(uint32_t i) const
    {
        return off[i + 1] - off[i];
    }

    bool Wild(uint32_t i) const
    {
        return size(i) == 1 && data[off[i]].first == 0 && data[off[i]].second == KEY_MAX;
    }

    /// Append policy (off.size() - 1)'s intervals (merged).
    void Append(std::vector<std::pair<uint32_t, uint32_t>>& l)
    {
        if (l.size() > 1)
        {
            MergeRanges(l);
        }
        data.insert(data.end(), l.begin(), l.end());
        off.push_back(static_cast<uint32_t>(data.size()));
        l.clear();
    }
};

/// Sorted distinct segment starts of the intervals of policies \p who in \p iv, 0 first.
std::vector<uint32_t>
SegmentStarts(const FlatIntervals& iv, const std::vector<uint32_t>& who)
{
    std::vector<uint32_t> bounds{0};
    for (uint32_t i : who)
    {
        for (auto it = iv.begin(i); it != iv.end(i); ++it)
        {
            bounds.push_back(it->first);
            if (it->second != KEY_MAX)
            {
                bounds.push_back(it->second + 1);
            }
        }
    }
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    bounds.shrink_to_fit();
    return bounds;
}

/// Record flags (second word of a record).
constexpr uint32_t REC_RESIDUAL = 1u << 8;

} // namespace

PolicyMatcher::PolicyMatcher(const FortiGateConfig& config)
{
    Compile(config);
}

void
PolicyMatcher::Compile(const FortiGateConfig& config)
{
    NS_LOG_FUNCTION(this << config.Policies().size());
    m_policies.clear();
    m_residual.clear();
    m_schedules.clear();
    m_services.clear();
    m_buckets.clear();
    m_records.clear();
    m_policies.reserve(config.Policies().size());
    for (const auto& p : config.Policies())
    {
        if (p.status)
        {
            m_policies.push_back(p);
        }
    }
    const size_t n = m_policies.size();
    m_simEpoch = config.SimEpoch();

    // Intervals per policy, in record order: source, destination, service, in, out.
    constexpr int SRC = 0;
    constexpr int DST = 1;
    constexpr int SVC = 2;
    constexpr int IN = 3;
    constexpr int OUT = 4;
    using IntervalList = std::vector<std::pair<uint32_t, uint32_t>>;
    FlatIntervals iv[NUM_DIMS];
    IntervalList scratch;
    m_residual.resize(n);
    std::map<std::string, int32_t> schedIdx;
    // Objects are usually named by several policies: resolve each name once.
    std::unordered_map<std::string, IntervalList> addrCache;
    std::unordered_map<std::string, std::vector<const FirewallService*>> svcCache;

    auto intfs = [&](const std::vector<std::string>& names, IntervalList& out) {
        for (const auto& name : names)
        {
            if (name == "any")
            {
                out.assign(1, {0, KEY_MAX});
                return;
            }
            const int idx = config.FindInterface(name);
            if (idx >= 0 && idx < 256)
            {
                out.emplace_back(idx, idx);
            }
        }
    };
    auto addrs = [&](const std::vector<std::string>& names, IntervalList& out) {
        for (const auto& name : names)
        {
            auto it = addrCache.find(name);
            if (it == addrCache.end())
            {
                it = addrCache.emplace(name, config.AddressRanges(name)).first;
            }
            out.insert(out.end(), it->second.begin(), it->second.end());
        }
    };

    for (size_t i = 0; i < n; ++i)
    {
        const FirewallPolicy& p = m_policies[i];
        intfs(p.srcintf, scratch);
        iv[IN].Append(scratch);
        intfs(p.dstintf, scratch);
        iv[OUT].Append(scratch);
        addrs(p.srcaddr, scratch);
        iv[SRC].Append(scratch);
        addrs(p.dstaddr, scratch);
        iv[DST].Append(scratch);

        Residual& r = m_residual[i];
        std::vector<const FirewallService*> services;
        for (const auto& name : p.service)
        {
            auto it = svcCache.find(name);
            if (it == svcCache.end())
            {
                it = svcCache.emplace(name, config.ExpandServices(name)).first;
            }
            for (const FirewallService* s : it->second)
            {
                if (std::find(services.begin(), services.end(), s) == services.end())
                {
                    services.push_back(s);
                }
            }
        }
        IntervalList& sv = scratch;
        for (const FirewallService* s : services)
        {
            switch (s->protocol)
            {
            case FirewallService::IP:
                if (s->protocolNumber == 0)
                {
                    sv.emplace_back(0, KEY_MAX);
                }
                else
                {
                    const uint32_t base = static_cast<uint32_t>(s->protocolNumber) << 16;
                    sv.emplace_back(base, base | 0xffff);
                }
                break;
            case FirewallService::ICMP: {
                const uint32_t base = 1u << 16;
                if (s->icmpType < 0)
                {
                    sv.emplace_back(base, base | 0xffff);
                }
                else
                {
                    sv.emplace_back(base | static_cast<uint32_t>(s->icmpType),
                                    base | static_cast<uint32_t>(s->icmpType));
                }
                if (s->icmpCode >= 0)
                {
                    r.checkService = true;
                }
                break;
            }
            case FirewallService::TCP_UDP_SCTP: {
                auto ranges = [&](uint32_t proto, const std::vector<PortRange>& v) {
                    for (const auto& pr : v)
                    {
                        sv.emplace_back(proto << 16 | pr.dstLo, proto << 16 | pr.dstHi);
                        if (pr.RestrictsSource())
                        {
                            r.checkService = true;
                        }
                    }
                };
                ranges(6, s->tcp);
                ranges(17, s->udp);
                ranges(132, s->sctp);
                break;
            }
            }
        }
        iv[SVC].Append(sv);
        if (r.checkService)
        {
            r.svcBegin = static_cast<uint32_t>(m_services.size());
            for (const FirewallService* s : services)
            {
                m_services.push_back(*s);
            }
            r.svcEnd = static_cast<uint32_t>(m_services.size());
        }

        const FirewallSchedule* sched = config.FindSchedule(p.schedule);
        if (!sched)
        {
            // Unvalidated configuration: a missing schedule never matches (as the oracle).
            FirewallSchedule never;
            never.name = p.schedule;
            never.kind = FirewallSchedule::ONETIME;
            auto it = schedIdx.find(p.schedule);
            if (it == schedIdx.end())
            {
                it = schedIdx.emplace(p.schedule, static_cast<int32_t>(m_schedules.size())).first;
                m_schedules.push_back(never);
            }
            r.schedule = it->second;
        }
        else if (!sched->IsAlways())
        {
            auto it = schedIdx.find(sched->name);
            if (it == schedIdx.end())
            {
                it = schedIdx.emplace(sched->name, static_cast<int32_t>(m_schedules.size())).first;
                m_schedules.push_back(*sched);
            }
            r.schedule = it->second;
        }
    }

    // A policy with an empty dimension (objects that do not exist) never matches.
    std::vector<uint32_t> live;
    live.reserve(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        bool ok = true;
        for (int d = 0; d < NUM_DIMS; ++d)
        {
            ok = ok && iv[d].size(i) > 0;
        }
        if (ok)
        {
            live.push_back(i);
        }
    }

    // Interface classes: the segments of 0..255 cut by the interfaces the policies name.
    auto classes = [&](int d, std::vector<uint32_t>& cls) {
        std::vector<bool> start(257, false);
        start[0] = true;
        for (uint32_t i : live)
        {
            if (!iv[d].Wild(i))
            {
                for (auto it = iv[d].begin(i); it != iv[d].end(i); ++it)
                {
                    start[it->first] = true;
                    start[it->second + 1] = true; // interface intervals end below 256
                }
            }
        }
        cls.resize(256);
        uint32_t c = 0;
        for (uint32_t k = 0; k < 256; ++k)
        {
            c += start[k] && k > 0 ? 1 : 0;
            cls[k] = c;
        }
        return c + 1;
    };
    const uint32_t inClasses = classes(IN, m_inClass);
    m_outClasses = classes(OUT, m_outClass);
    const uint32_t shared = inClasses * m_outClasses;
    m_buckets.resize(shared + 1);

    // Global coverage of the index dimensions: cost of indexing a policy in dimension d = the
    // number of (other policy, segment) overlaps along its intervals (prefix sums). Only
    // needed for policies with a choice (two or more non-wildcard index dimensions).
    std::vector<uint32_t> gBounds[INDEX_DIMS];
    std::vector<uint64_t> gPrefix[INDEX_DIMS];
    for (int d = 0; d < INDEX_DIMS; ++d)
    {
        std::vector<uint32_t> who;
        for (uint32_t i : live)
        {
            if (!iv[d].Wild(i))
            {
                who.push_back(i);
            }
        }
        gBounds[d] = SegmentStarts(iv[d], who);
        const size_t segs = gBounds[d].size();
        std::vector<int64_t> diff(segs + 1, 0);
        for (uint32_t i : who)
        {
            for (auto it = iv[d].begin(i); it != iv[d].end(i); ++it)
            {
                ++diff[SegmentOf(gBounds[d], it->first)];
                --diff[SegmentOf(gBounds[d], it->second) + 1];
            }
        }
        gPrefix[d].assign(segs + 1, 0);
        int64_t c = 0;
        for (size_t s = 0; s < segs; ++s)
        {
            c += diff[s];
            gPrefix[d][s + 1] = gPrefix[d][s] + static_cast<uint64_t>(c);
        }
    }

    // Records, and each policy's buckets and index dimension.
    std::vector<uint32_t> recOf(n, 0);
    std::vector<std::vector<uint32_t>> members((shared + 1) * (INDEX_DIMS + 1));
    auto memberList = [&](uint32_t bucket, int d) -> std::vector<uint32_t>& {
        return members[bucket * (INDEX_DIMS + 1) + d];
    };
    size_t recWords = 0;
    for (uint32_t i : live)
    {
        recWords += 2 + NUM_DIMS;
        for (int d = 0; d < NUM_DIMS; ++d)
        {
            recWords += 2 * iv[d].size(i);
        }
    }
    m_records.reserve(recWords);
    std::vector<uint32_t> ins;
    std::vector<uint32_t> outs;
    for (uint32_t i : live)
    {
        recOf[i] = static_cast<uint32_t>(m_records.size());
        uint32_t wild = 0;
        for (int d = 0; d < NUM_DIMS; ++d)
        {
            wild |= iv[d].Wild(i) ? 1u << d : 0;
        }
        const Residual& r = m_residual[i];
        m_records.push_back(i);
        m_records.push_back(wild | (r.schedule >= 0 || r.checkService ? REC_RESIDUAL : 0));
        for (int d = 0; d < NUM_DIMS; ++d)
        {
            m_records.push_back((wild >> d) & 1 ? 0 : iv[d].size(i));
        }
        for (int d = 0; d < NUM_DIMS; ++d)
        {
            if (!((wild >> d) & 1))
            {
                for (auto it = iv[d].begin(i); it != iv[d].end(i); ++it)
                {
                    m_records.push_back(it->first);
                    m_records.push_back(it->second);
                }
            }
        }

        // Index dimension: the cheapest non-wildcard one, if it spans few enough segments.
        int best = INDEX_DIMS; // the plain list
        uint64_t bestCost = std::numeric_limits<uint64_t>::max();
        for (int d = 0; d < INDEX_DIMS; ++d)
        {
            if ((wild >> d) & 1)
            {
                continue;
            }
            uint64_t cost = 0;
            uint64_t segs = 0;
            for (auto it = iv[d].begin(i); it != iv[d].end(i); ++it)
            {
                const uint32_t s0 = SegmentOf(gBounds[d], it->first);
                const uint32_t s1 = SegmentOf(gBounds[d], it->second);
                cost += gPrefix[d][s1 + 1] - gPrefix[d][s0];
                segs += s1 - s0 + 1;
            }
            if (segs <= kMaxSegmentsPerPolicy && cost < bestCost)
            {
                best = d;
                bestCost = cost;
            }
        }

        // Buckets: every (in class, out class) pair covered, or the shared one.
        auto classRange = [&](int d,
                              const std::vector<uint32_t>& cls,
                              uint32_t count,
                              std::vector<uint32_t>& out) {
            out.clear();
            if ((wild >> d) & 1)
            {
                for (uint32_t c = 0; c < count; ++c)
                {
                    out.push_back(c);
                }
                return;
            }
            for (auto it = iv[d].begin(i); it != iv[d].end(i); ++it)
            {
                for (uint32_t c = cls[it->first]; c <= cls[it->second]; ++c)
                {
                    out.push_back(c);
                }
            }
        };
        classRange(IN, m_inClass, inClasses, ins);
        classRange(OUT, m_outClass, m_outClasses, outs);
        if (ins.size() * outs.size() > kMaxPairs)
        {
            memberList(shared, best).push_back(i);
            continue;
        }
        for (uint32_t a : ins)
        {
            for (uint32_t b : outs)
            {
                memberList(a * m_outClasses + b, best).push_back(i);
            }
        }
    }

    // Per bucket and index dimension: segments and the ascending candidate list of each.
    for (uint32_t bk = 0; bk <= shared; ++bk)
    {
        Bucket& bucket = m_buckets[bk];
        for (int d = 0; d < INDEX_DIMS; ++d)
        {
            const std::vector<uint32_t>& mem = memberList(bk, d);
            if (mem.empty())
            {
                continue;
            }
            DimIndex& x = bucket.dims[d];
            x.bounds = SegmentStarts(iv[d], mem);
            x.top.clear();
            for (size_t k = 0; k < x.bounds.size(); k += DimIndex::BLOCK)
            {
                x.top.push_back(x.bounds[k]);
            }
            x.off.assign(x.bounds.size() + 1, 0);
            std::vector<uint32_t> segs; // (first, last) segment of each interval, in order
            for (uint32_t i : mem)
            {
                for (auto it = iv[d].begin(i); it != iv[d].end(i); ++it)
                {
                    const uint32_t s0 = SegmentOf(x.bounds, it->first);
                    const uint32_t s1 = SegmentOf(x.bounds, it->second);
                    segs.push_back(s0);
                    segs.push_back(s1);
                    for (uint32_t s = s0; s <= s1; ++s)
                    {
                        ++x.off[s + 1];
                    }
                }
            }
            for (size_t s = 1; s < x.off.size(); ++s)
            {
                x.off[s] += x.off[s - 1];
            }
            x.ids.resize(x.off.back());
            std::vector<uint32_t> fill(x.off.begin(), x.off.end() - 1);
            size_t k = 0;
            for (uint32_t i : mem)
            {
                for (uint32_t m = iv[d].size(i); m > 0; --m, k += 2)
                {
                    for (uint32_t s = segs[k]; s <= segs[k + 1]; ++s)
                    {
                        x.ids[fill[s]++] = recOf[i];
                    }
                }
            }
        }
        for (uint32_t i : memberList(bk, INDEX_DIMS))
        {
            bucket.plain.push_back(recOf[i]);
        }
        bucket.plain.shrink_to_fit();
    }
    m_version = config.Version();
    m_compiled = true;
}

bool
PolicyMatcher::Accept(uint32_t pos, const PolicyQuery& q) const
{
    const Residual& r = m_residual[pos];
    if (r.schedule >= 0 && !m_schedules[r.schedule].IsActiveAt(
                               m_simEpoch + static_cast<int64_t>(std::floor(q.simSeconds))))
    {
        return false;
    }
    if (r.checkService)
    {
        for (uint32_t s = r.svcBegin; s < r.svcEnd; ++s)
        {
            if (m_services[s].Matches(q.proto, q.sport, q.dport, q.icmpType, q.icmpCode))
            {
                return true;
            }
        }
        return false;
    }
    return true;
}

bool
PolicyMatcher::Verify(uint32_t rec, const uint32_t (&keys)[NUM_DIMS], const PolicyQuery& q) const
{
    const uint32_t* r = m_records.data() + rec;
    const uint32_t* iv = r + 2 + NUM_DIMS;
    for (int d = 0; d < NUM_DIMS; ++d)
    {
        const uint32_t cnt = r[2 + d];
        if (cnt == 0)
        {
            continue; // wildcard
        }
        const uint32_t key = keys[d];
        const uint32_t* lo = iv;
        iv += 2 * cnt;
        // Intervals are sorted and disjoint: find the last one starting at or before key.
        uint32_t k = 0;
        uint32_t len = cnt;
        while (len > 1)
        {
            const uint32_t half = len / 2;
            k = lo[2 * (k + half)] <= key ? k + half : k;
            len -= half;
        }
        if (key < lo[2 * k] || key > lo[2 * k + 1])
        {
            return false;
        }
    }
    return !(r[1] & REC_RESIDUAL) || Accept(r[0], q);
}

uint32_t
PolicyMatcher::DimIndex::Segment(uint32_t key) const
{
    // The block of BLOCK bounds from the sampled level (small, stays cached), then a
    // branch-free count inside the block: about two cache lines of bounds per search instead
    // of one line per halving step.
    const uint32_t t = SegmentOf(top, key);
    const uint32_t base = t * BLOCK;
    const uint32_t end = std::min<uint32_t>(base + BLOCK, static_cast<uint32_t>(bounds.size()));
    uint32_t below = 0;
    for (uint32_t j = base; j < end; ++j)
    {
        below += bounds[j] <= key ? 1 : 0;
    }
    return base + below - 1;
}

const FirewallPolicy*
PolicyMatcher::Lookup(const PolicyQuery& q) const
{
    if (m_buckets.empty())
    {
        return nullptr;
    }
    const uint32_t keys[NUM_DIMS] = {q.src,
                                     q.dst,
                                     PolicyServiceKey(q.proto, q.dport, q.icmpType),
                                     q.inIf,
                                     q.outIf};
    // The candidate lists of the pair bucket and of the shared bucket (at most 8).
    const uint32_t* cur[2 * (INDEX_DIMS + 1)];
    const uint32_t* end[2 * (INDEX_DIMS + 1)];
    int lists = 0;
    auto gather = [&](const Bucket& b) {
        for (int d = 0; d < INDEX_DIMS; ++d)
        {
            const DimIndex& x = b.dims[d];
            if (x.bounds.empty())
            {
                continue;
            }
            const uint32_t s = x.Segment(keys[d]);
            if (x.off[s] != x.off[s + 1])
            {
                cur[lists] = x.ids.data() + x.off[s];
                end[lists] = x.ids.data() + x.off[s + 1];
                ++lists;
            }
        }
        if (!b.plain.empty())
        {
            cur[lists] = b.plain.data();
            end[lists] = b.plain.data() + b.plain.size();
            ++lists;
        }
    };
    gather(m_buckets[m_inClass[q.inIf] * m_outClasses + m_outClass[q.outIf]]);
    gather(m_buckets.back());
    // Merge in list order (record offsets ascend with list positions); first verified wins.
    while (lists > 0)
    {
        int k = 0;
        for (int j = 1; j < lists; ++j)
        {
            k = *cur[j] < *cur[k] ? j : k;
        }
        const uint32_t rec = *cur[k];
        if (Verify(rec, keys, q))
        {
            return &m_policies[m_records[rec]];
        }
        if (++cur[k] == end[k])
        {
            --lists;
            cur[k] = cur[lists];
            end[k] = end[lists];
        }
    }
    return nullptr;
}

std::size_t
PolicyMatcher::MemoryBytes() const
{
    std::size_t b =
        (m_inClass.capacity() + m_outClass.capacity() + m_records.capacity()) * sizeof(uint32_t);
    b += m_buckets.capacity() * sizeof(Bucket);
    for (const auto& bk : m_buckets)
    {
        b += bk.plain.capacity() * sizeof(uint32_t);
        for (const auto& d : bk.dims)
        {
            b += (d.bounds.capacity() + d.top.capacity() + d.off.capacity() + d.ids.capacity()) *
                 sizeof(uint32_t);
        }
    }
    b += m_policies.capacity() * sizeof(FirewallPolicy) + m_residual.capacity() * sizeof(Residual) +
         m_schedules.capacity() * sizeof(FirewallSchedule) +
         m_services.capacity() * sizeof(FirewallService);
    return b;
}

std::size_t
PolicyMatcher::Segments() const
{
    std::size_t s = 0;
    for (const auto& bk : m_buckets)
    {
        for (const auto& d : bk.dims)
        {
            s += d.bounds.size();
        }
    }
    return s;
}

const FirewallPolicy*
LinearPolicyLookup(const FortiGateConfig& config, const PolicyQuery& q)
{
    for (const auto& p : config.Policies())
    {
        if (!p.status || !InterfaceMatches(config, p.srcintf, q.inIf) ||
            !InterfaceMatches(config, p.dstintf, q.outIf))
        {
            continue;
        }
        auto anyAddr = [&](const std::vector<std::string>& names, uint32_t ip) {
            for (const auto& n : names)
            {
                if (config.AddressMatches(n, ip))
                {
                    return true;
                }
            }
            return false;
        };
        if (!anyAddr(p.srcaddr, q.src) || !anyAddr(p.dstaddr, q.dst))
        {
            continue;
        }
        bool svc = false;
        for (const auto& n : p.service)
        {
            if (config.ServiceMatches(n, q.proto, q.sport, q.dport, q.icmpType, q.icmpCode))
            {
                svc = true;
                break;
            }
        }
        if (!svc || !config.IsScheduleActive(p.schedule, q.simSeconds))
        {
            continue;
        }
        return &p;
    }
    return nullptr;
}

} // namespace ns3
