/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Micro-benchmarks of NAT address/port allocation and VIP lookup.
 */
#include "ns3/flow-tuple.h"
#include "ns3/ip-pool.h"
#include "ns3/nat-allocator.h"
#include "ns3/virtual-ip.h"

#include <benchmark/benchmark.h>
#include <memory>
#include <random>
#include <unordered_set>
#include <vector>

using namespace ns3;

namespace
{

/// Session table stand-in: reply tuples in use.
struct Tuples
{
    std::unordered_set<FlowTuple, FlowTupleHash> set;

    NatAllocator::InUse InUse()
    {
        return [this](const FlowTuple& t) { return set.count(t) != 0; };
    }
};

NatAllocator::Rng
MakeRng()
{
    auto gen = std::make_shared<std::mt19937>(12345);
    return [gen](uint32_t n) { return static_cast<uint32_t>((*gen)() % n); };
}

constexpr uint32_t kClientBase = 0x0a000000; // 10.0.0.0
constexpr uint32_t kServer = 0xc6336407;     // 198.51.100.7
constexpr uint32_t kPoolStart = 0xcb00710a;  // 203.0.113.10

/// Interface SNAT with \p state.range(0) sessions already towards the same server from the same
/// source port range, so most new sessions collide and need a random port.
void
BM_InterfaceSnat(benchmark::State& state)
{
    const uint32_t existing = static_cast<uint32_t>(state.range(0));
    NatAllocator nat;
    Tuples t;
    auto rng = MakeRng();
    auto inUse = t.InUse();
    for (uint32_t i = 0; i < existing; ++i)
    {
        NatAllocator::Request r{6,
                                kClientBase + i,
                                static_cast<uint16_t>(40000 + i % 1000),
                                kServer,
                                443};
        auto res = nat.AllocateInterface(kPoolStart, r, inUse, rng);
        t.set.insert(NatAllocator::ReplyTuple(r, res.ip, res.port));
    }
    uint32_t i = 0;
    for (auto _ : state)
    {
        NatAllocator::Request r{6,
                                kClientBase + (i % 65536),
                                static_cast<uint16_t>(40000 + i % 1000),
                                kServer,
                                443};
        auto res = nat.AllocateInterface(kPoolStart, r, inUse, rng);
        benchmark::DoNotOptimize(res);
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_InterfaceSnat)->Arg(0)->Arg(10000)->Arg(50000);

/// Steady state of a pool with \p state.range(1) live sessions: allocate one, release the
/// oldest (FIFO), so the pool's state stays at that size.
void
BM_PoolAllocRelease(benchmark::State& state)
{
    const auto type = static_cast<IpPoolConfig::Type>(state.range(0));
    const uint32_t live = static_cast<uint32_t>(state.range(1));
    IpPoolConfig pool;
    pool.name = "bench";
    pool.type = type;
    pool.startip = kPoolStart;
    pool.endip = kPoolStart + 255;
    pool.sourceStartip = kClientBase;
    pool.sourceEndip = kClientBase + 4095;
    pool.blockSize = 128;
    pool.numBlocksPerUser = 8;
    NatAllocator nat;
    Tuples t;
    auto rng = MakeRng();
    auto inUse = t.InUse();

    struct Live
    {
        NatAllocator::Request req;
        NatAllocator::Result res;
    };

    std::vector<Live> ring(live);
    uint32_t n = 0;
    auto make = [&](uint32_t k) {
        // 4096 clients (one-to-one: 256 addresses, so clients cycle through 200 of them)
        const uint32_t clients = type == IpPoolConfig::ONE_TO_ONE ? 200 : 4096;
        return NatAllocator::Request{6,
                                     kClientBase + k % clients,
                                     static_cast<uint16_t>(30000 + (k / clients) % 30000),
                                     kServer + k % 7,
                                     443};
    };
    for (; n < live; ++n)
    {
        ring[n].req = make(n);
        ring[n].res = nat.AllocatePool(pool, ring[n].req, inUse, rng);
        if (!ring[n].res.ok)
        {
            state.SkipWithError(ring[n].res.error.c_str());
            return;
        }
        t.set.insert(NatAllocator::ReplyTuple(ring[n].req, ring[n].res.ip, ring[n].res.port));
    }
    for (auto _ : state)
    {
        Live& slot = ring[n % live];
        nat.Release(6, slot.req.src, slot.res.ip, slot.res.port, "bench");
        t.set.erase(NatAllocator::ReplyTuple(slot.req, slot.res.ip, slot.res.port));
        slot.req = make(n);
        slot.res = nat.AllocatePool(pool, slot.req, inUse, rng);
        if (!slot.res.ok)
        {
            state.SkipWithError(slot.res.error.c_str());
            return;
        }
        t.set.insert(NatAllocator::ReplyTuple(slot.req, slot.res.ip, slot.res.port));
        ++n;
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(IpPoolTypeName(type));
}

BENCHMARK(BM_PoolAllocRelease)
    ->Args({IpPoolConfig::OVERLOAD, 10000})
    ->Args({IpPoolConfig::ONE_TO_ONE, 10000})
    ->Args({IpPoolConfig::FIXED_PORT_RANGE, 10000})
    ->Args({IpPoolConfig::PORT_BLOCK_ALLOCATION, 10000});

/// VIP lookup with \p state.range(0) VIPs: half static NAT on consecutive addresses, half port
/// forwards sharing one address.
void
BM_VipLookup(benchmark::State& state)
{
    const uint32_t count = static_cast<uint32_t>(state.range(0));
    std::vector<VipConfig> vips;
    for (uint32_t i = 0; i < count / 2; ++i)
    {
        VipConfig s;
        s.name = "st" + std::to_string(i);
        s.extipLo = 0xc6130000 + i; // 198.19.0.0 + i
        s.mappedipLo = 0x0a020000 + i;
        vips.push_back(s);
        VipConfig pf;
        pf.name = "pf" + std::to_string(i);
        pf.extipLo = 0xc6120001; // 198.18.0.1
        pf.mappedipLo = 0x0a010000 + i;
        pf.portforward = true;
        pf.extportLo = static_cast<uint16_t>(10000 + i);
        pf.mappedportLo = 80;
        vips.push_back(pf);
    }
    VipTable table;
    table.Build(vips, [](const std::string&) { return 1; });
    uint32_t i = 0;
    VipTable::Match m;
    for (auto _ : state)
    {
        const uint32_t k = i % (count / 2);
        bool hit = (i & 1) ? table.Lookup(1, 6, 0xc6120001, static_cast<uint16_t>(10000 + k), &m)
                           : table.Lookup(1, 17, 0xc6130000 + k, 53, &m);
        benchmark::DoNotOptimize(hit);
        benchmark::DoNotOptimize(m);
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_VipLookup)->Arg(10)->Arg(1000)->Arg(10000);

} // namespace
