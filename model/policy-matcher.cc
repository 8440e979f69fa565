/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "policy-matcher.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

namespace ns3 {

namespace {

constexpr uint32_t KEY_MAX = std::numeric_limits<uint32_t>::max();

inline unsigned
Ctz(uint64_t x)
{
    return static_cast<unsigned>(__builtin_ctzll(x));
}

inline unsigned
Popcount(uint64_t x)
{
    return static_cast<unsigned>(__builtin_popcountll(x));
}

/// Sort and merge (also adjacent) inclusive intervals.
void
Merge(std::vector<std::pair<uint32_t, uint32_t>>& r)
{
    std::sort(r.begin(), r.end());
    std::vector<std::pair<uint32_t, uint32_t>> out;
    for (const auto& x : r)
    {
        if (!out.empty() && (out.back().second == KEY_MAX || x.first <= out.back().second + 1))
        {
            out.back().second = std::max(out.back().second, x.second);
        }
        else
        {
            out.push_back(x);
        }
    }
    r.swap(out);
}

uint64_t
HashWords(const std::vector<uint64_t>& v)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ v.size();
    for (uint64_t w : v)
    {
        h ^= w + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    }
    return h;
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
PolicyMatcher::Dimension::Classify(uint32_t key) const
{
    // bounds[0] == 0, so the segment always exists.
    auto it = std::upper_bound(bounds.begin(), bounds.end(), key);
    return segClass[static_cast<size_t>(it - bounds.begin()) - 1];
}

PolicyMatcher::PolicyMatcher(const FortiGateConfig& config)
{
    Compile(config);
}

void
PolicyMatcher::BuildDimension(Dimension& dim, const std::vector<IntervalList>& perPolicy)
{
    dim = Dimension();
    dim.wild.assign(m_words, 0);
    dim.wildAgg.assign(m_aggWords, 0);

    struct Event
    {
        uint32_t key;
        uint32_t policy;
        bool start;
    };

    std::vector<Event> events;
    dim.bounds.push_back(0);
    for (uint32_t i = 0; i < perPolicy.size(); ++i)
    {
        const IntervalList& iv = perPolicy[i];
        if (iv.size() == 1 && iv[0].first == 0 && iv[0].second == KEY_MAX)
        {
            dim.wild[i / 64] |= 1ULL << (i % 64);
            dim.wildAgg[i / 4096] |= 1ULL << ((i / 64) % 64);
            continue;
        }
        for (const auto& [lo, hi] : iv)
        {
            events.push_back({lo, i, true});
            dim.bounds.push_back(lo);
            if (hi != KEY_MAX)
            {
                events.push_back({hi + 1, i, false});
                dim.bounds.push_back(hi + 1);
            }
        }
    }
    std::sort(dim.bounds.begin(), dim.bounds.end());
    dim.bounds.erase(std::unique(dim.bounds.begin(), dim.bounds.end()), dim.bounds.end());
    std::sort(events.begin(), events.end(),
              [](const Event& a, const Event& b)
              {
                  return a.key < b.key || (a.key == b.key && a.policy < b.policy);
              });

    std::vector<uint64_t> active(m_words, 0);
    std::vector<uint64_t> rep; // summary words followed by the non-zero words
    std::unordered_map<uint64_t, std::vector<uint32_t>> seen; // hash -> class ids
    size_t ev = 0;
    dim.segClass.reserve(dim.bounds.size());
    for (uint32_t b : dim.bounds)
    {
        while (ev < events.size() && events[ev].key == b)
        {
            const Event& e = events[ev++];
            if (e.start)
            {
                active[e.policy / 64] |= 1ULL << (e.policy % 64);
            }
            else
            {
                active[e.policy / 64] &= ~(1ULL << (e.policy % 64));
            }
        }
        rep.assign(m_aggWords, 0);
        for (uint32_t w = 0; w < m_words; ++w)
        {
            if (active[w])
            {
                rep[w / 64] |= 1ULL << (w % 64);
                rep.push_back(active[w]);
            }
        }
        const uint64_t h = HashWords(rep);
        auto& bucket = seen[h];
        uint32_t cls = KEY_MAX;
        for (uint32_t c : bucket)
        {
            const size_t nPacked
                = (c + 1 < dim.classBits.size() ? dim.classBits[c + 1] : dim.packed.size())
                  - dim.classBits[c];
            if (nPacked + m_aggWords != rep.size())
            {
                continue;
            }
            if (std::equal(rep.begin(), rep.begin() + m_aggWords, dim.agg.begin() + dim.classOff[c])
                && std::equal(rep.begin() + m_aggWords, rep.end(),
                              dim.packed.begin() + dim.classBits[c]))
            {
                cls = c;
                break;
            }
        }
        if (cls == KEY_MAX)
        {
            cls = static_cast<uint32_t>(dim.classOff.size());
            dim.classOff.push_back(static_cast<uint32_t>(dim.agg.size()));
            dim.classBits.push_back(static_cast<uint32_t>(dim.packed.size()));
            dim.agg.insert(dim.agg.end(), rep.begin(), rep.begin() + m_aggWords);
            dim.packed.insert(dim.packed.end(), rep.begin() + m_aggWords, rep.end());
            bucket.push_back(cls);
        }
        dim.segClass.push_back(cls);
    }
    dim.bounds.shrink_to_fit();
    dim.agg.shrink_to_fit();
    dim.packed.shrink_to_fit();
}

void
PolicyMatcher::Compile(const FortiGateConfig& config)
{
    m_policies.clear();
    m_residual.clear();
    m_schedules.clear();
    m_services.clear();
    for (const auto& p : config.Policies())
    {
        if (p.status)
        {
            m_policies.push_back(p);
        }
    }
    const size_t n = m_policies.size();
    m_words = static_cast<uint32_t>((n + 63) / 64);
    m_aggWords = (m_words + 63) / 64;
    m_simEpoch = config.SimEpoch();

    std::vector<IntervalList> in(n);
    std::vector<IntervalList> out(n);
    std::vector<IntervalList> src(n);
    std::vector<IntervalList> dst(n);
    std::vector<IntervalList> svc(n);
    m_residual.resize(n);
    std::map<std::string, int32_t> schedIdx;

    auto intfs = [&](const std::vector<std::string>& names, IntervalList& iv)
    {
        for (const auto& name : names)
        {
            if (name == "any")
            {
                iv.assign(1, {0, KEY_MAX});
                return;
            }
            const int idx = config.FindInterface(name);
            if (idx >= 0)
            {
                iv.emplace_back(idx, idx);
            }
        }
        Merge(iv);
    };
    auto addrs = [&](const std::vector<std::string>& names, IntervalList& iv)
    {
        for (const auto& name : names)
        {
            for (const auto& r : config.AddressRanges(name))
            {
                iv.push_back(r);
            }
        }
        Merge(iv);
    };

    for (size_t i = 0; i < n; ++i)
    {
        const FirewallPolicy& p = m_policies[i];
        intfs(p.srcintf, in[i]);
        intfs(p.dstintf, out[i]);
        addrs(p.srcaddr, src[i]);
        addrs(p.dstaddr, dst[i]);

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
        IntervalList& sv = svc[i];
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
                case FirewallService::ICMP:
                {
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
                case FirewallService::TCP_UDP_SCTP:
                {
                    auto ranges = [&](uint32_t proto, const std::vector<PortRange>& v)
                    {
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
        Merge(sv);
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

    BuildDimension(m_dims[0], in);
    BuildDimension(m_dims[1], out);
    BuildDimension(m_dims[2], src);
    BuildDimension(m_dims[3], dst);
    BuildDimension(m_dims[4], svc);
    m_version = config.Version();
    m_compiled = true;
}

bool
PolicyMatcher::Accept(uint32_t bit, const PolicyQuery& q) const
{
    const Residual& r = m_residual[bit];
    if (r.schedule >= 0
        && !m_schedules[r.schedule].IsActiveAt(m_simEpoch
                                               + static_cast<int64_t>(std::floor(q.simSeconds))))
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

const FirewallPolicy*
PolicyMatcher::Lookup(const PolicyQuery& q) const
{
    if (m_policies.empty())
    {
        return nullptr;
    }
    const uint32_t keys[NUM_DIMS]
        = {q.inIf, q.outIf, q.src, q.dst, PolicyServiceKey(q.proto, q.dport, q.icmpType)};
    const uint64_t* agg[NUM_DIMS];
    const uint64_t* packed[NUM_DIMS];
    uint32_t base[NUM_DIMS];
    for (int d = 0; d < NUM_DIMS; ++d)
    {
        const Dimension& dim = m_dims[d];
        const uint32_t c = dim.Classify(keys[d]);
        agg[d] = dim.agg.data() + dim.classOff[c];
        packed[d] = dim.packed.data() + dim.classBits[c];
        base[d] = 0;
    }
    for (uint32_t k = 0; k < m_aggWords; ++k)
    {
        uint64_t a = ~0ULL;
        for (int d = 0; d < NUM_DIMS; ++d)
        {
            a &= m_dims[d].wildAgg[k] | agg[d][k];
        }
        while (a)
        {
            const unsigned bit = Ctz(a);
            const uint32_t w = k * 64 + bit;
            const uint64_t below = (1ULL << bit) - 1;
            uint64_t m = ~0ULL;
            for (int d = 0; d < NUM_DIMS && m; ++d)
            {
                uint64_t x = m_dims[d].wild[w];
                const uint64_t ag = agg[d][k];
                if ((ag >> bit) & 1)
                {
                    x |= packed[d][base[d] + Popcount(ag & below)];
                }
                m &= x;
            }
            while (m)
            {
                const uint32_t i = w * 64 + Ctz(m);
                if (Accept(i, q))
                {
                    return &m_policies[i];
                }
                m &= m - 1;
            }
            a &= a - 1;
        }
        for (int d = 0; d < NUM_DIMS; ++d)
        {
            base[d] += Popcount(agg[d][k]);
        }
    }
    return nullptr;
}

std::size_t
PolicyMatcher::MemoryBytes() const
{
    std::size_t b = 0;
    for (const auto& d : m_dims)
    {
        b += d.bounds.capacity() * sizeof(uint32_t) + d.segClass.capacity() * sizeof(uint32_t)
             + d.classOff.capacity() * sizeof(uint32_t) + d.classBits.capacity() * sizeof(uint32_t)
             + d.agg.capacity() * sizeof(uint64_t) + d.packed.capacity() * sizeof(uint64_t)
             + d.wild.capacity() * sizeof(uint64_t) + d.wildAgg.capacity() * sizeof(uint64_t);
    }
    b += m_policies.capacity() * sizeof(FirewallPolicy) + m_residual.capacity() * sizeof(Residual)
         + m_schedules.capacity() * sizeof(FirewallSchedule)
         + m_services.capacity() * sizeof(FirewallService);
    return b;
}

std::size_t
PolicyMatcher::Segments() const
{
    std::size_t s = 0;
    for (const auto& d : m_dims)
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
        if (!p.status || !InterfaceMatches(config, p.srcintf, q.inIf)
            || !InterfaceMatches(config, p.dstintf, q.outIf))
        {
            continue;
        }
        auto anyAddr = [&](const std::vector<std::string>& names, uint32_t ip)
        {
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
