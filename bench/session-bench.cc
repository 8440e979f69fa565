/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Session table micro-benchmarks: lookup (hit, both directions), insert + remove, refresh and
 * expiry, at table sizes 1e3 .. 1e6.
 */
#include "ns3/session-table.h"

#include <benchmark/benchmark.h>
#include <map>
#include <memory>
#include <vector>

using namespace ns3;

namespace
{

constexpr int64_t SEC = 1000000000LL;

/// Session i: client 10.0.0.0/8 -> server, SNAT'd to 203.0.113.0/24 ports (all distinct).
void
MakeTuples(uint32_t i, FlowTuple& org, FlowTuple& reply)
{
    const uint8_t proto = (i & 1) ? IPPROTO_NUM_TCP : IPPROTO_NUM_UDP;
    org = FlowTuple{0x0a000000u + (i >> 6),
                    0xc6336407u,
                    static_cast<uint16_t>(1024 + (i & 63)),
                    static_cast<uint16_t>(proto == IPPROTO_NUM_TCP ? 443 : 53),
                    proto};
    reply = FlowTuple{org.dst,
                      0xcb007100u + (i >> 16),
                      org.dport,
                      static_cast<uint16_t>(i & 0xffff),
                      proto};
}

/// A table with n sessions, built once per size and shared by the benchmarks.
struct Filled
{
    SessionTable table;
    std::vector<FlowTuple> keys; // org and reply tuples, shuffled

    explicit Filled(uint32_t n)
    {
        keys.reserve(2 * n);
        for (uint32_t i = 0; i < n; ++i)
        {
            FlowTuple org;
            FlowTuple reply;
            MakeTuples(i, org, reply);
            table.Insert(org, reply, 0, 3600);
            keys.push_back(org);
            keys.push_back(reply);
        }
        // Deterministic shuffle so lookups do not walk memory in insertion order.
        uint64_t x = 42;
        for (size_t i = keys.size(); i > 1; --i)
        {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            std::swap(keys[i - 1], keys[(x >> 33) % i]);
        }
    }
};

Filled&
Table(uint32_t n)
{
    static std::map<uint32_t, std::unique_ptr<Filled>> tables;
    auto& t = tables[n];
    if (!t)
    {
        t = std::make_unique<Filled>(n);
    }
    return *t;
}

void
BM_SessionLookupHit(benchmark::State& state)
{
    Filled& f = Table(static_cast<uint32_t>(state.range(0)));
    size_t i = 0;
    for (auto _ : state)
    {
        SessionDir d;
        Session* s = f.table.Find(f.keys[i], &d);
        benchmark::DoNotOptimize(s);
        if (++i == f.keys.size())
        {
            i = 0;
        }
    }
    state.SetItemsProcessed(state.iterations());
}

void
BM_SessionLookupMiss(benchmark::State& state)
{
    Filled& f = Table(static_cast<uint32_t>(state.range(0)));
    size_t i = 0;
    for (auto _ : state)
    {
        FlowTuple t = f.keys[i];
        t.dport ^= 0x8000; // not in the table
        benchmark::DoNotOptimize(f.table.Find(t, nullptr));
        if (++i == f.keys.size())
        {
            i = 0;
        }
    }
    state.SetItemsProcessed(state.iterations());
}

void
BM_SessionInsertRemove(benchmark::State& state)
{
    const uint32_t n = static_cast<uint32_t>(state.range(0));
    Filled& f = Table(n);
    uint32_t i = 0;
    for (auto _ : state)
    {
        FlowTuple org;
        FlowTuple reply;
        MakeTuples(n + (i & 0xfff), org, reply);
        Session* s = f.table.Insert(org, reply, 0, 180);
        benchmark::DoNotOptimize(s);
        f.table.Remove(s, SessionCloseReason::CLEARED);
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}

void
BM_SessionTouch(benchmark::State& state)
{
    Filled& f = Table(static_cast<uint32_t>(state.range(0)));
    size_t i = 0;
    for (auto _ : state)
    {
        Session* s = f.table.Find(f.keys[i], nullptr);
        f.table.Touch(s, s->lastSeenNs, 3600); // lazy refresh: no list move
        if (++i == f.keys.size())
        {
            i = 0;
        }
    }
    state.SetItemsProcessed(state.iterations());
}

/// Insert n sessions into an empty table that grows as they come (index rehashes included):
/// the cost of filling a table, not of one reused slot. CPU time per iteration / n = ns per
/// insert (bench-lines.sh: session_insert_growing_ns_1e6).
void
BM_SessionInsertGrowing(benchmark::State& state)
{
    const uint32_t n = static_cast<uint32_t>(state.range(0));
    for (auto _ : state)
    {
        auto t = std::make_unique<SessionTable>();
        for (uint32_t i = 0; i < n; ++i)
        {
            FlowTuple org;
            FlowTuple reply;
            MakeTuples(i, org, reply);
            benchmark::DoNotOptimize(t->Insert(org, reply, 0, 3600));
        }
        state.PauseTiming();
        t.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * n);
}

/// Insert n sessions with timeouts spread over 1..1000 s and expire them all, tick by tick.
void
BM_SessionExpire(benchmark::State& state)
{
    const uint32_t n = static_cast<uint32_t>(state.range(0));
    for (auto _ : state)
    {
        state.PauseTiming();
        auto t = std::make_unique<SessionTable>();
        for (uint32_t i = 0; i < n; ++i)
        {
            FlowTuple org;
            FlowTuple reply;
            MakeTuples(i, org, reply);
            t->Insert(org, reply, 0, 1 + (i * 7919u) % 1000);
        }
        state.ResumeTiming();
        for (int64_t sec = 1; sec <= 1000; ++sec)
        {
            t->Advance(sec * SEC);
        }
        state.PauseTiming();
        t.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * n);
}

} // namespace

BENCHMARK(BM_SessionLookupHit)->RangeMultiplier(10)->Range(1000, 1000000);
BENCHMARK(BM_SessionLookupMiss)->RangeMultiplier(10)->Range(1000, 1000000);
BENCHMARK(BM_SessionInsertRemove)->RangeMultiplier(10)->Range(1000, 1000000);
BENCHMARK(BM_SessionInsertGrowing)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SessionTouch)->RangeMultiplier(10)->Range(1000, 1000000);
BENCHMARK(BM_SessionExpire)
    ->RangeMultiplier(10)
    ->Range(1000, 100000)
    ->Unit(benchmark::kMillisecond);
