/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "policy-matcher.h"

#include "ns3/hash.h"
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

inline unsigned
Ctz(uint64_t x)
{
    return static_cast<unsigned>(__builtin_ctzll(x));
}

inline unsigned
Popcount(uint64_t x)
{
#if defined(__POPCNT__)
    return static_cast<unsigned>(__builtin_popcountll(x));
#else
    // Without -mpopcnt the builtin is a libgcc call; the SWAR sum is several times faster.
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return static_cast<unsigned>((x * 0x0101010101010101ULL) >> 56);
#endif
}

/// ns-3's Hash64 over the words' bytes (run when the policy set is compiled, not per packet).
uint64_t
HashWords(const std::vector<uint64_t>& v)
{
    return Hash64(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(uint64_t));
}

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

uint32_t
PolicyMatcher::Segmentation::Segment(uint32_t key) const
{
    if (!direct.empty())
    {
        return direct[key < direct.size() ? key : direct.size() - 1];
    }
    // Last bound <= key (bounds[0] == 0, so it exists); branch-free halving.
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

PolicyMatcher::PolicyMatcher(const FortiGateConfig& config)
{
    Compile(config);
}

void
PolicyMatcher::BuildGroupDim(Group& g,
                             int d,
                             const std::vector<IntervalList>& perPolicy,
                             const std::vector<bool>& wildcard)
{
    GroupDim& gd = g.dims[d];
    gd = GroupDim();
    const size_t n = g.members.size();
    bool anySpecific = false;
    bool anyWild = false;
    for (uint32_t m : g.members)
    {
        (wildcard[m] ? anyWild : anySpecific) = true;
    }
    if (!anySpecific)
    {
        return; // every member matches every key: the dimension is skipped
    }
    gd.present = true;
    if (anyWild)
    {
        gd.wild.assign(g.words, 0);
        gd.wildAgg.assign(g.aggWords, 0);
    }

    struct Event
    {
        uint32_t key;
        uint32_t member;
        bool start;
    };

    std::vector<Event> events;
    for (uint32_t i = 0; i < n; ++i)
    {
        const uint32_t pos = g.members[i];
        if (wildcard[pos])
        {
            gd.wild[i / 64] |= 1ULL << (i % 64);
            gd.wildAgg[i / 4096] |= 1ULL << ((i / 64) % 64);
            continue;
        }
        for (const auto& [lo, hi] : perPolicy[pos])
        {
            events.push_back({lo, i, true});
            if (hi != KEY_MAX)
            {
                events.push_back({hi + 1, i, false});
            }
        }
    }
    std::sort(events.begin(), events.end(), [](const Event& x, const Event& y) {
        return x.key < y.key || (x.key == y.key && x.member < y.member);
    });

    // Sweep the global segments; a group's own boundaries are a subset of them, so the class
    // only changes where one of the group's events happens.
    const std::vector<uint32_t>& bounds = m_seg[d].bounds;
    std::vector<uint64_t> active(g.words, 0);
    std::vector<uint64_t> rep; // summary words followed by the non-zero words
    std::unordered_map<uint64_t, std::vector<uint32_t>> seen; // hash -> class ids
    size_t ev = 0;
    uint32_t cls = KEY_MAX;
    gd.segClass.reserve(bounds.size());
    for (uint32_t b : bounds)
    {
        bool changed = cls == KEY_MAX;
        while (ev < events.size() && events[ev].key == b)
        {
            const Event& e = events[ev++];
            if (e.start)
            {
                active[e.member / 64] |= 1ULL << (e.member % 64);
            }
            else
            {
                active[e.member / 64] &= ~(1ULL << (e.member % 64));
            }
            changed = true;
        }
        if (changed)
        {
            rep.assign(g.aggWords, 0);
            for (uint32_t w = 0; w < g.words; ++w)
            {
                if (active[w])
                {
                    rep[w / 64] |= 1ULL << (w % 64);
                    rep.push_back(active[w]);
                }
            }
            auto& bucket = seen[HashWords(rep)];
            cls = KEY_MAX;
            for (uint32_t c : bucket)
            {
                const size_t nPacked =
                    (c + 1 < gd.classBits.size() ? gd.classBits[c + 1] : gd.packed.size()) -
                    gd.classBits[c];
                if (nPacked + g.aggWords == rep.size() &&
                    std::equal(rep.begin(),
                               rep.begin() + g.aggWords,
                               gd.agg.begin() + gd.classOff[c]) &&
                    std::equal(rep.begin() + g.aggWords,
                               rep.end(),
                               gd.packed.begin() + gd.classBits[c]))
                {
                    cls = c;
                    break;
                }
            }
            if (cls == KEY_MAX)
            {
                cls = static_cast<uint32_t>(gd.classOff.size());
                gd.classOff.push_back(static_cast<uint32_t>(gd.agg.size()));
                gd.classBits.push_back(static_cast<uint32_t>(gd.packed.size()));
                gd.agg.insert(gd.agg.end(), rep.begin(), rep.begin() + g.aggWords);
                gd.packed.insert(gd.packed.end(), rep.begin() + g.aggWords, rep.end());
                bucket.push_back(cls);
            }
        }
        gd.segClass.push_back(cls);
    }
    gd.agg.shrink_to_fit();
    gd.packed.shrink_to_fit();
}

void
PolicyMatcher::Compile(const FortiGateConfig& config)
{
    NS_LOG_FUNCTION(this << config.Policies().size());
    m_policies.clear();
    m_residual.clear();
    m_schedules.clear();
    m_services.clear();
    m_groups.clear();
    for (const auto& p : config.Policies())
    {
        if (p.status)
        {
            m_policies.push_back(p);
        }
    }
    const size_t n = m_policies.size();
    m_simEpoch = config.SimEpoch();

    std::vector<IntervalList> iv[NUM_DIMS];
    for (auto& v : iv)
    {
        v.resize(n);
    }
    m_residual.resize(n);
    std::map<std::string, int32_t> schedIdx;

    auto intfs = [&](const std::vector<std::string>& names, IntervalList& out) {
        for (const auto& name : names)
        {
            if (name == "any")
            {
                out.assign(1, {0, KEY_MAX});
                return;
            }
            const int idx = config.FindInterface(name);
            if (idx >= 0)
            {
                out.emplace_back(idx, idx);
            }
        }
        MergeRanges(out);
    };
    auto addrs = [&](const std::vector<std::string>& names, IntervalList& out) {
        for (const auto& name : names)
        {
            for (const auto& r : config.AddressRanges(name))
            {
                out.push_back(r);
            }
        }
        MergeRanges(out);
    };

    for (size_t i = 0; i < n; ++i)
    {
        const FirewallPolicy& p = m_policies[i];
        intfs(p.srcintf, iv[0][i]);
        intfs(p.dstintf, iv[1][i]);
        addrs(p.srcaddr, iv[2][i]);
        addrs(p.dstaddr, iv[3][i]);

        Residual& r = m_residual[i];
        std::vector<const FirewallService*> services;
        for (const auto& name : p.service)
        {
            for (const FirewallService* s : config.ExpandServices(name))
            {
                if (std::find(services.begin(), services.end(), s) == services.end())
                {
                    services.push_back(s);
                }
            }
        }
        IntervalList& sv = iv[4][i];
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
        MergeRanges(sv);
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

    // Wildcards and the global segmentation of each dimension.
    std::vector<bool> wildcard[NUM_DIMS];
    for (int d = 0; d < NUM_DIMS; ++d)
    {
        wildcard[d].resize(n);
        Segmentation& seg = m_seg[d];
        seg = Segmentation();
        seg.bounds.push_back(0);
        for (size_t i = 0; i < n; ++i)
        {
            const IntervalList& l = iv[d][i];
            wildcard[d][i] = l.size() == 1 && l[0].first == 0 && l[0].second == KEY_MAX;
            if (wildcard[d][i])
            {
                continue;
            }
            for (const auto& [lo, hi] : l)
            {
                seg.bounds.push_back(lo);
                if (hi != KEY_MAX)
                {
                    seg.bounds.push_back(hi + 1);
                }
            }
        }
        std::sort(seg.bounds.begin(), seg.bounds.end());
        seg.bounds.erase(std::unique(seg.bounds.begin(), seg.bounds.end()), seg.bounds.end());
        seg.bounds.shrink_to_fit();
        if (d <= 1)
        {
            // Interface keys are uint8_t: a direct table.
            seg.direct.resize(256);
            for (uint32_t k = 0; k < 256; ++k)
            {
                auto it = std::upper_bound(seg.bounds.begin(), seg.bounds.end(), k);
                seg.direct[k] = static_cast<uint32_t>(it - seg.bounds.begin()) - 1;
            }
        }
    }

    // Groups by (source wildcard, destination wildcard).
    Group groups[4];
    for (uint32_t i = 0; i < n; ++i)
    {
        groups[(wildcard[2][i] ? 1 : 0) | (wildcard[3][i] ? 2 : 0)].members.push_back(i);
    }
    for (Group& g : groups)
    {
        if (g.members.empty())
        {
            continue;
        }
        g.words = static_cast<uint32_t>((g.members.size() + 63) / 64);
        g.aggWords = (g.words + 63) / 64;
        for (int d = 0; d < NUM_DIMS; ++d)
        {
            BuildGroupDim(g, d, iv[d], wildcard[d]);
        }
        m_groups.push_back(std::move(g));
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

uint32_t
PolicyMatcher::ScanGroup(const Group& g,
                         const uint32_t (&seg)[NUM_DIMS],
                         const PolicyQuery& q,
                         uint32_t best) const
{
    const uint64_t* agg[NUM_DIMS];
    const uint64_t* packed[NUM_DIMS];
    const uint64_t* wild[NUM_DIMS];
    const uint64_t* wildAgg[NUM_DIMS];
    uint32_t base[NUM_DIMS];
    int nd = 0;
    for (int d = 0; d < NUM_DIMS; ++d)
    {
        const GroupDim& gd = g.dims[d];
        if (!gd.present)
        {
            continue;
        }
        const uint32_t c = gd.segClass[seg[d]];
        agg[nd] = gd.agg.data() + gd.classOff[c];
        packed[nd] = gd.packed.data() + gd.classBits[c];
        wild[nd] = gd.wild.empty() ? nullptr : gd.wild.data();
        wildAgg[nd] = gd.wildAgg.empty() ? nullptr : gd.wildAgg.data();
        base[nd] = 0;
        ++nd;
    }
    if (nd == 0)
    {
        // Every member matches every dimension: first accepted member.
        for (uint32_t pos : g.members)
        {
            if (pos >= best)
            {
                return best;
            }
            if (Accept(pos, q))
            {
                return pos;
            }
        }
        return best;
    }
    for (uint32_t k = 0; k < g.aggWords; ++k)
    {
        uint64_t a = ~0ULL;
        for (int i = 0; i < nd && a; ++i)
        {
            a &= agg[i][k] | (wildAgg[i] ? wildAgg[i][k] : 0);
        }
        while (a)
        {
            const unsigned bit = Ctz(a);
            const uint32_t w = k * 64 + bit;
            if (g.members[w * 64] >= best)
            {
                return best; // later words hold later positions only
            }
            const uint64_t below = (1ULL << bit) - 1;
            uint64_t m = ~0ULL;
            for (int i = 0; i < nd && m; ++i)
            {
                uint64_t x = wild[i] ? wild[i][w] : 0;
                const uint64_t ag = agg[i][k];
                if ((ag >> bit) & 1)
                {
                    x |= packed[i][base[i] + Popcount(ag & below)];
                }
                m &= x;
            }
            while (m)
            {
                const uint32_t pos = g.members[w * 64 + Ctz(m)];
                if (pos >= best)
                {
                    return best;
                }
                if (Accept(pos, q))
                {
                    return pos;
                }
                m &= m - 1;
            }
            a &= a - 1;
        }
        for (int i = 0; i < nd; ++i)
        {
            base[i] += Popcount(agg[i][k]);
        }
    }
    return best;
}

const FirewallPolicy*
PolicyMatcher::Lookup(const PolicyQuery& q) const
{
    const uint32_t seg[NUM_DIMS] = {
        m_seg[0].Segment(q.inIf),
        m_seg[1].Segment(q.outIf),
        m_seg[2].Segment(q.src),
        m_seg[3].Segment(q.dst),
        m_seg[4].Segment(PolicyServiceKey(q.proto, q.dport, q.icmpType))};
    uint32_t best = KEY_MAX;
    for (const Group& g : m_groups)
    {
        if (g.members.front() < best)
        {
            best = ScanGroup(g, seg, q, best);
        }
    }
    return best == KEY_MAX ? nullptr : &m_policies[best];
}

std::size_t
PolicyMatcher::MemoryBytes() const
{
    std::size_t b = 0;
    for (const auto& s : m_seg)
    {
        b += (s.bounds.capacity() + s.direct.capacity()) * sizeof(uint32_t);
    }
    for (const auto& g : m_groups)
    {
        b += g.members.capacity() * sizeof(uint32_t);
        for (const auto& d : g.dims)
        {
            b += (d.segClass.capacity() + d.classOff.capacity() + d.classBits.capacity()) *
                     sizeof(uint32_t) +
                 (d.agg.capacity() + d.packed.capacity() + d.wild.capacity() +
                  d.wildAgg.capacity()) *
                     sizeof(uint64_t);
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
    for (const auto& d : m_seg)
    {
        s += d.bounds.size();
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
