/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "policy-matcher.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <boost/sort/spreadsort/integer_sort.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cmath>
#include <limits>
#include <string_view>
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

using IntervalList = std::vector<std::pair<uint32_t, uint32_t>>;

/// Intervals of every policy in one dimension, flat: policy i's are data[off[i], off[i + 1]).
struct FlatIntervals
{
    std::vector<uint32_t> off{0};
    IntervalList data;

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

    /// Append policy (off.size() - 1)'s intervals (merged), and clear \p l.
    void Append(IntervalList& l)
    {
        MergeRanges(l);
        data.insert(data.end(), l.begin(), l.end());
        off.push_back(static_cast<uint32_t>(data.size()));
        l.clear();
    }
};

/**
 * Elementary segments of a set of intervals without binary searches: every interval start and
 * every end + 1 is sorted once (radix sort) together with its slot, and each slot gets the
 * index of the segment it opens. Segment 0 always starts at key 0.
 */
struct Segmentation
{
    std::vector<uint64_t> keys;   //!< key << 32 | slot (slot 2t: start of interval t, 2t+1: end)
    std::vector<uint32_t> segOf;  //!< per slot: the segment it starts
    std::vector<uint32_t> starts; //!< segment starts, ascending (starts[0] == 0)

    void Clear()
    {
        keys.clear();
    }

    /// Add interval t (t counts from 0 in the order of the calls).
    void Add(uint32_t t, uint32_t lo, uint32_t hi)
    {
        keys.push_back(static_cast<uint64_t>(lo) << 32 | (2 * t));
        if (hi != KEY_MAX)
        {
            keys.push_back(static_cast<uint64_t>(hi + 1) << 32 | (2 * t + 1));
        }
    }

    /// Sort and number the segments of the \p intervals added.
    void Build(uint32_t intervals)
    {
        boost::sort::spreadsort::integer_sort(keys.begin(), keys.end());
        segOf.assign(2 * static_cast<size_t>(intervals), 0);
        starts.assign(1, 0);
        for (uint64_t k : keys)
        {
            const uint32_t key = static_cast<uint32_t>(k >> 32);
            if (key != starts.back())
            {
                starts.push_back(key);
            }
            segOf[static_cast<uint32_t>(k)] = static_cast<uint32_t>(starts.size() - 1);
        }
    }

    /// \return first segment of interval t
    uint32_t First(uint32_t t) const
    {
        return segOf[2 * t];
    }

    /// \return last segment of interval t whose end is \p hi
    uint32_t Last(uint32_t t, uint32_t hi) const
    {
        return hi == KEY_MAX ? static_cast<uint32_t>(starts.size() - 1) : segOf[2 * t + 1] - 1;
    }
};

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

    // Intervals per policy: source, destination, service, in, out.
    constexpr int SRC = 0;
    constexpr int DST = 1;
    constexpr int SVC = 2;
    constexpr int IN = 3;
    constexpr int OUT = 4;
    FlatIntervals iv[NUM_DIMS];
    for (auto& d : iv)
    {
        d.off.reserve(n + 1);
        d.data.reserve(2 * n);
    }
    IntervalList scratch;
    m_residual.resize(n);

    // Objects are named by many policies: resolve each name once. Keys view the names inside
    // m_policies, which stays put from here on.
    struct Span
    {
        uint32_t off;
        uint32_t len;
    };

    IntervalList addrStore;
    std::unordered_map<std::string_view, Span> addrCache;
    std::unordered_map<std::string_view, int> intfCache;

    struct ServiceInfo
    {
        Span iv;                                      //!< intervals in svcStore
        bool restricts;                               //!< source ports or ICMP code
        std::vector<const FirewallService*> services; //!< the expanded services
    };

    IntervalList svcStore;
    std::unordered_map<std::string_view, ServiceInfo> svcCache;
    std::unordered_map<std::string_view, int32_t> schedCache;

    auto intfs = [&](const std::vector<std::string>& names, IntervalList& out) {
        for (const auto& name : names)
        {
            if (name == "any")
            {
                out.assign(1, {0, KEY_MAX});
                return;
            }
            auto it = intfCache.find(name);
            if (it == intfCache.end())
            {
                it = intfCache.emplace(name, config.FindInterface(name)).first;
            }
            if (it->second >= 0 && it->second < 256)
            {
                out.emplace_back(it->second, it->second);
            }
        }
    };
    auto addrs = [&](const std::vector<std::string>& names, IntervalList& out) {
        for (const auto& name : names)
        {
            if (const FirewallAddress* a = config.FindAddress(name))
            {
                out.emplace_back(a->start, a->end); // the common case: no need to cache
                continue;
            }
            auto it = addrCache.find(name);
            if (it == addrCache.end())
            {
                const Ipv4RangeList r = config.AddressRanges(name);
                Span sp{static_cast<uint32_t>(addrStore.size()), static_cast<uint32_t>(r.size())};
                addrStore.insert(addrStore.end(), r.begin(), r.end());
                it = addrCache.emplace(name, sp).first;
            }
            out.insert(out.end(),
                       addrStore.begin() + it->second.off,
                       addrStore.begin() + it->second.off + it->second.len);
        }
    };
    auto service = [&](const std::string& name) -> const ServiceInfo& {
        auto it = svcCache.find(name);
        if (it != svcCache.end())
        {
            return it->second;
        }
        ServiceInfo info{{static_cast<uint32_t>(svcStore.size()), 0}, false, {}};
        info.services = config.ExpandServices(name);
        for (const FirewallService* s : info.services)
        {
            switch (s->protocol)
            {
            case FirewallService::IP:
                if (s->protocolNumber == 0)
                {
                    svcStore.emplace_back(0, KEY_MAX);
                }
                else
                {
                    const uint32_t base = static_cast<uint32_t>(s->protocolNumber) << 16;
                    svcStore.emplace_back(base, base | 0xffff);
                }
                break;
            case FirewallService::ICMP: {
                const uint32_t base = 1u << 16;
                if (s->icmpType < 0)
                {
                    svcStore.emplace_back(base, base | 0xffff);
                }
                else
                {
                    svcStore.emplace_back(base | static_cast<uint32_t>(s->icmpType),
                                          base | static_cast<uint32_t>(s->icmpType));
                }
                info.restricts = info.restricts || s->icmpCode >= 0;
                break;
            }
            case FirewallService::TCP_UDP_SCTP: {
                auto ranges = [&](uint32_t proto, const std::vector<PortRange>& v) {
                    for (const auto& pr : v)
                    {
                        svcStore.emplace_back(proto << 16 | pr.dstLo, proto << 16 | pr.dstHi);
                        info.restricts = info.restricts || pr.RestrictsSource();
                    }
                };
                ranges(6, s->tcp);
                ranges(17, s->udp);
                ranges(132, s->sctp);
                break;
            }
            }
        }
        info.iv.len = static_cast<uint32_t>(svcStore.size()) - info.iv.off;
        return svcCache.emplace(name, std::move(info)).first->second;
    };
    auto schedule = [&](const std::string& name) -> int32_t {
        auto it = schedCache.find(name);
        if (it != schedCache.end())
        {
            return it->second;
        }
        int32_t idx = -1;
        const FirewallSchedule* sched = config.FindSchedule(name);
        if (!sched)
        {
            // Unvalidated configuration: a missing schedule never matches (as the oracle).
            FirewallSchedule never;
            never.name = name;
            never.kind = FirewallSchedule::ONETIME;
            idx = static_cast<int32_t>(m_schedules.size());
            m_schedules.push_back(never);
        }
        else if (!sched->IsAlways())
        {
            idx = static_cast<int32_t>(m_schedules.size());
            m_schedules.push_back(*sched);
        }
        schedCache.emplace(name, idx);
        return idx;
    };

    std::vector<const FirewallService*> services;
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
        for (const auto& name : p.service)
        {
            const ServiceInfo& info = service(name);
            scratch.insert(scratch.end(),
                           svcStore.begin() + info.iv.off,
                           svcStore.begin() + info.iv.off + info.iv.len);
            r.checkService = r.checkService || info.restricts;
        }
        iv[SVC].Append(scratch);
        if (r.checkService)
        {
            // The exact re-check needs the services themselves, each once.
            services.clear();
            for (const auto& name : p.service)
            {
                for (const FirewallService* s : service(name).services)
                {
                    if (std::find(services.begin(), services.end(), s) == services.end())
                    {
                        services.push_back(s);
                    }
                }
            }
            r.svcBegin = static_cast<uint32_t>(m_services.size());
            for (const FirewallService* s : services)
            {
                m_services.push_back(*s);
            }
            r.svcEnd = static_cast<uint32_t>(m_services.size());
        }
        r.schedule = schedule(p.schedule);
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

    // Index dimension of each policy: the cheapest non-wildcard one of source, destination,
    // service, where the cost of indexing a policy in d is the number of (other policy,
    // segment) overlaps along its intervals (global elementary segments, prefix sums), if it
    // spans few enough segments; INDEX_DIMS = the plain list.
    std::vector<uint8_t> best(n, INDEX_DIMS);
    std::vector<uint64_t> bestCost(n, std::numeric_limits<uint64_t>::max());
    Segmentation seg;
    for (int d = 0; d < INDEX_DIMS; ++d)
    {
        seg.Clear();
        seg.keys.reserve(2 * iv[d].data.size());
        for (uint32_t i : live)
        {
            if (!iv[d].Wild(i))
            {
                for (uint32_t t = iv[d].off[i]; t < iv[d].off[i + 1]; ++t)
                {
                    seg.Add(t, iv[d].data[t].first, iv[d].data[t].second);
                }
            }
        }
        seg.Build(static_cast<uint32_t>(iv[d].data.size()));
        const size_t segs = seg.starts.size();
        std::vector<int64_t> diff(segs + 1, 0);
        for (uint32_t i : live)
        {
            if (!iv[d].Wild(i))
            {
                for (uint32_t t = iv[d].off[i]; t < iv[d].off[i + 1]; ++t)
                {
                    ++diff[seg.First(t)];
                    --diff[seg.Last(t, iv[d].data[t].second) + 1];
                }
            }
        }
        std::vector<uint64_t> prefix(segs + 1, 0);
        int64_t c = 0;
        for (size_t s = 0; s < segs; ++s)
        {
            c += diff[s];
            prefix[s + 1] = prefix[s] + static_cast<uint64_t>(c);
        }
        for (uint32_t i : live)
        {
            if (iv[d].Wild(i))
            {
                continue;
            }
            uint64_t cost = 0;
            uint64_t spans = 0;
            for (uint32_t t = iv[d].off[i]; t < iv[d].off[i + 1]; ++t)
            {
                const uint32_t s0 = seg.First(t);
                const uint32_t s1 = seg.Last(t, iv[d].data[t].second);
                cost += prefix[s1 + 1] - prefix[s0];
                spans += s1 - s0 + 1;
            }
            if (spans <= kMaxSegmentsPerPolicy && cost < bestCost[i])
            {
                best[i] = static_cast<uint8_t>(d);
                bestCost[i] = cost;
            }
        }
    }

    // Buckets of each policy (every covered (in class, out class) pair, or the shared one) and
    // its record, which checks only what the bucket and the index do not already prove.
    std::vector<uint32_t> recOf(n, 0);
    std::vector<std::vector<uint32_t>> members((shared + 1) * (INDEX_DIMS + 1));
    auto memberList = [&](uint32_t bucket, int d) -> std::vector<uint32_t>& {
        return members[bucket * (INDEX_DIMS + 1) + d];
    };
    m_records.reserve(live.size() * 12);
    // Interface classes a policy covers in dimension d (in or out).
    auto classCount = [&](uint32_t i, int d, const std::vector<uint32_t>& cls, uint32_t count) {
        uint64_t c = 0;
        for (auto it = iv[d].begin(i); it != iv[d].end(i) && !iv[d].Wild(i); ++it)
        {
            c += cls[it->second] - cls[it->first] + 1;
        }
        return iv[d].Wild(i) ? count : c;
    };
    // Policies over more than kMaxPairs pairs go to the shared bucket, unless copying them
    // all into their pair buckets costs at most kReplicateBudget memberships per policy:
    // then the shared bucket stays empty and a lookup searches one bucket instead of two.
    uint64_t widePairs = 0;
    for (uint32_t i : live)
    {
        const uint64_t pairs =
            classCount(i, IN, m_inClass, inClasses) * classCount(i, OUT, m_outClass, m_outClasses);
        widePairs += pairs > kMaxPairs ? pairs : 0;
    }
    const uint64_t maxPairs = widePairs <= kReplicateBudget * static_cast<uint64_t>(live.size())
                                  ? std::numeric_limits<uint64_t>::max()
                                  : kMaxPairs;
    NS_LOG_INFO("policies over more than "
                << kMaxPairs << " interface pairs cover " << widePairs << " pairs: "
                << (maxPairs == kMaxPairs ? "shared bucket" : "copied into pair buckets"));
    std::vector<uint32_t> ins;
    std::vector<uint32_t> outs;
    for (uint32_t i : live)
    {
        auto classRange = [&](int d,
                              const std::vector<uint32_t>& cls,
                              uint32_t count,
                              std::vector<uint32_t>& out) {
            out.clear();
            if (iv[d].Wild(i))
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
        const bool inShared = ins.size() * outs.size() > maxPairs;
        if (inShared)
        {
            memberList(shared, best[i]).push_back(i);
        }
        else
        {
            for (uint32_t a : ins)
            {
                for (uint32_t b : outs)
                {
                    memberList(a * m_outClasses + b, best[i]).push_back(i);
                }
            }
        }

        uint32_t mask = 0;
        for (int d = 0; d < NUM_DIMS; ++d)
        {
            const bool proven = d < INDEX_DIMS ? d == best[i] : !inShared; // interfaces
            mask |= !proven && !iv[d].Wild(i) ? 1u << d : 0;
        }
        const Residual& r = m_residual[i];
        NS_ABORT_MSG_IF(m_records.size() >= LIST_LAST, "policy matcher: too many records");
        recOf[i] = static_cast<uint32_t>(m_records.size());
        m_records.push_back(i);
        m_records.push_back(mask | (r.schedule >= 0 || r.checkService ? REC_RESIDUAL : 0));
        for (int d = 0; d < NUM_DIMS; ++d)
        {
            if ((mask >> d) & 1)
            {
                m_records.push_back(iv[d].size(i));
                for (auto it = iv[d].begin(i); it != iv[d].end(i); ++it)
                {
                    m_records.push_back(it->first);
                    m_records.push_back(it->second);
                }
            }
        }
    }
    m_records.shrink_to_fit();

    // Per bucket and index dimension: the segments and the ascending candidate list of each.
    std::vector<uint32_t> count;
    std::vector<uint32_t> fill;
    std::vector<Seg> segv;
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
            seg.Clear();
            uint32_t t = 0;
            for (uint32_t i : mem)
            {
                for (auto it = iv[d].begin(i); it != iv[d].end(i); ++it, ++t)
                {
                    seg.Add(t, it->first, it->second);
                }
            }
            seg.Build(t);
            const size_t segs = seg.starts.size();
            count.assign(segs, 0);
            t = 0;
            for (uint32_t i : mem)
            {
                for (auto it = iv[d].begin(i); it != iv[d].end(i); ++it, ++t)
                {
                    const uint32_t s1 = seg.Last(t, it->second);
                    for (uint32_t s = seg.First(t); s <= s1; ++s)
                    {
                        ++count[s];
                    }
                }
            }
            DimIndex& x = bucket.dims[d];
            segv.resize(segs);
            fill.assign(segs, 0);
            uint32_t runs = 0;
            for (size_t s = 0; s < segs; ++s)
            {
                segv[s].start = seg.starts[s];
                segv[s].list = count[s] == 0 ? LIST_EMPTY : count[s] == 1 ? LIST_LAST : runs;
                fill[s] = runs;
                runs += count[s] >= 2 ? count[s] : 0;
            }
            x.ids.assign(runs, 0);
            t = 0;
            for (uint32_t i : mem)
            {
                for (auto it = iv[d].begin(i); it != iv[d].end(i); ++it, ++t)
                {
                    const uint32_t s1 = seg.Last(t, it->second);
                    for (uint32_t s = seg.First(t); s <= s1; ++s)
                    {
                        if (count[s] == 1)
                        {
                            segv[s].list = LIST_LAST | recOf[i];
                        }
                        else
                        {
                            x.ids[fill[s]++] = recOf[i];
                        }
                    }
                }
            }
            for (size_t s = 0; s < segs; ++s)
            {
                if (count[s] >= 2)
                {
                    x.ids[fill[s] - 1] |= LIST_LAST;
                }
            }
            x.Build(segv);
        }
        for (uint32_t i : memberList(bk, INDEX_DIMS))
        {
            bucket.plain.push_back(recOf[i]);
        }
        if (!bucket.plain.empty())
        {
            bucket.plain.back() |= LIST_LAST;
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
    const uint32_t* lo = r + 2;
    for (uint32_t mask = r[1] & 0x1f; mask != 0; mask &= mask - 1)
    {
        const uint32_t key = keys[__builtin_ctz(mask)];
        const uint32_t cnt = *lo++;
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
        lo += 2 * cnt;
    }
    return !(r[1] & REC_RESIDUAL) || Accept(r[0], q);
}

void
PolicyMatcher::DimIndex::Build(const std::vector<Seg>& segs)
{
    segments = static_cast<uint32_t>(segs.size());
    const size_t nb = (segs.size() + 7) / 8;
    blocks.assign(nb, SegBlock{});
    for (size_t k = 0; k < nb * 8; ++k)
    {
        const Seg& sg = k < segs.size() ? segs[k] : segs.back();
        blocks[k / 8].start[k % 8] = k < segs.size() ? sg.start : KEY_MAX;
        blocks[k / 8].list[k % 8] = sg.list;
    }
    // Levels bottom-up: the block starts, then every 16th key of the level below, until one
    // line holds a level.
    std::vector<std::vector<uint32_t>> levels(1);
    for (size_t b = 0; b < nb; ++b)
    {
        levels[0].push_back(blocks[b].start[0]);
    }
    while (levels.back().size() > 16)
    {
        std::vector<uint32_t> up;
        for (size_t k = 0; k < levels.back().size(); k += 16)
        {
            up.push_back(levels.back()[k]);
        }
        levels.push_back(std::move(up));
    }
    lines.clear();
    this->levels = 0;
    for (auto it = levels.rbegin(); it != levels.rend(); ++it)
    {
        levelOff[this->levels] = static_cast<uint32_t>(lines.size());
        levelLen[this->levels++] = static_cast<uint32_t>(it->size());
        for (size_t k = 0; k < it->size(); k += 16)
        {
            KeyLine l;
            for (size_t j = 0; j < 16; ++j)
            {
                l.key[j] = k + j < it->size() ? (*it)[k + j] : KEY_MAX;
            }
            lines.push_back(l);
        }
    }
}

namespace
{

/// \return how many of the N keys at \p v (16-byte aligned, N a multiple of 4) are <= key.
template <int N>
inline uint32_t
CountAtMost(const uint32_t* v, uint32_t key)
{
#if defined(__SSE2__)
    // Unsigned compare as signed after flipping the sign bits; lanes > key add -1.
    const __m128i bias = _mm_set1_epi32(static_cast<int>(0x80000000u));
    const __m128i k = _mm_xor_si128(_mm_set1_epi32(static_cast<int>(key)), bias);
    __m128i acc = _mm_setzero_si128();
    for (int j = 0; j < N; j += 4)
    {
        const __m128i x =
            _mm_xor_si128(_mm_load_si128(reinterpret_cast<const __m128i*>(v + j)), bias);
        acc = _mm_add_epi32(acc, _mm_cmpgt_epi32(x, k));
    }
    acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0x4e));
    acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0xb1));
    return static_cast<uint32_t>(N + _mm_cvtsi128_si32(acc));
#else
    uint32_t c = 0;
    for (int j = 0; j < N; ++j)
    {
        c += v[j] <= key ? 1 : 0;
    }
    return c;
#endif
}

} // namespace

uint32_t
PolicyMatcher::DimIndex::Step(uint32_t l, uint32_t r, uint32_t key) const
{
    const uint32_t below = CountAtMost<16>(lines[levelOff[l] + r].key, key);
    return std::min(16 * r + below - 1, levelLen[l] - 1); // padding counts for key KEY_MAX
}

const uint32_t*
PolicyMatcher::DimIndex::InBlock(uint32_t b, uint32_t key) const
{
    const SegBlock& blk = blocks[b];
    const uint32_t k = CountAtMost<8>(blk.start, key) - 1;
    const uint32_t list = blk.list[k];
    if (list == LIST_EMPTY)
    {
        return nullptr;
    }
    return (list & LIST_LAST) ? &blk.list[k] : ids.data() + list;
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
    // The indexes to search: the pair bucket's and the shared bucket's (at most 6).
    constexpr int kMaxIndexes = 2 * INDEX_DIMS;
    const DimIndex* idx[kMaxIndexes];
    uint32_t idxKey[kMaxIndexes];
    uint32_t at[kMaxIndexes];
    int n = 0;
    uint32_t depth = 0;
    const uint32_t* cur[2 * (INDEX_DIMS + 1)]; // the candidate runs (at most 8)
    int lists = 0;
    auto gather = [&](const Bucket& b) {
        for (int d = 0; d < INDEX_DIMS; ++d)
        {
            if (!b.dims[d].blocks.empty())
            {
                idx[n] = &b.dims[d];
                idxKey[n] = keys[d];
                at[n++] = 0;
                depth = std::max(depth, b.dims[d].levels);
            }
        }
        if (!b.plain.empty())
        {
            cur[lists++] = b.plain.data();
        }
    };
    gather(m_buckets[m_inClass[q.inIf] * m_outClasses + m_outClass[q.outIf]]);
    gather(m_buckets.back());
    // Descend all the trees together, one level at a time: the searches are independent, so
    // their cache misses overlap instead of following one another. Trees less deep than the
    // deepest start later (a tree of L levels takes the last L steps).
    for (uint32_t l = 0; l < depth; ++l)
    {
        for (int j = 0; j < n; ++j)
        {
            const uint32_t skip = depth - idx[j]->levels;
            if (l >= skip)
            {
                at[j] = idx[j]->Step(l - skip, at[j], idxKey[j]);
            }
        }
    }
    for (int j = 0; j < n; ++j)
    {
        if (const uint32_t* run = idx[j]->InBlock(at[j], idxKey[j]))
        {
            cur[lists++] = run;
        }
    }
    // Start fetching every run's first record now: they are verified one after the other.
    for (int j = 0; j < lists; ++j)
    {
        __builtin_prefetch(m_records.data() + (*cur[j] & ~LIST_LAST));
    }
    // Merge in list order (record offsets ascend with list positions); first verified wins.
    while (lists > 0)
    {
        int k = 0;
        uint32_t rec = *cur[0] & ~LIST_LAST;
        for (int j = 1; j < lists; ++j)
        {
            const uint32_t v = *cur[j] & ~LIST_LAST;
            k = v < rec ? j : k;
            rec = v < rec ? v : rec;
        }
        if (Verify(rec, keys, q))
        {
            return &m_policies[m_records[rec]];
        }
        if (*cur[k] & LIST_LAST)
        {
            cur[k] = cur[--lists];
        }
        else
        {
            ++cur[k];
            __builtin_prefetch(m_records.data() + (*cur[k] & ~LIST_LAST));
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
            b += d.ids.capacity() * sizeof(uint32_t) + d.blocks.capacity() * sizeof(SegBlock) +
                 d.lines.capacity() * sizeof(KeyLine);
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
            s += d.segments;
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
