/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Measures heap bytes per idle session (the Session object, its pool slot and its share of the
 * hash index and timer wheel) at 1e5 and 1e6 sessions, half UDP and half TCP, SNAT'd.
 * Prints `memory_per_session_1e5: <bytes>` and `memory_per_session_1e6: <bytes>`.
 */
#include "ns3/session-table.h"

#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <memory>

using namespace ns3;

namespace
{

/// Heap bytes in use (small-block arena plus mmap'd blocks).
size_t
HeapInUse()
{
    const struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

double
Measure(uint32_t n, size_t* buckets)
{
    const size_t before = HeapInUse();
    auto table = std::make_unique<SessionTable>();
    for (uint32_t i = 0; i < n; ++i)
    {
        const uint8_t proto = (i & 1) ? IPPROTO_NUM_TCP : IPPROTO_NUM_UDP;
        const FlowTuple org{0x0a000000u + (i >> 6),
                            0xc6336407u,
                            static_cast<uint16_t>(1024 + (i & 63)),
                            443,
                            proto};
        const FlowTuple reply{org.dst,
                              0xcb007100u + (i >> 16),
                              org.dport,
                              static_cast<uint16_t>(i & 0xffff),
                              proto};
        if (table->Insert(org, reply, 0, 3600) == nullptr)
        {
            std::fprintf(stderr, "session-memory: insert %u failed\n", i);
            std::exit(1);
        }
    }
    const size_t after = HeapInUse();
    *buckets = table->BucketCount();
    return static_cast<double>(after - before) / n;
}

} // namespace

int
main()
{
    size_t buckets = 0;
    std::printf("sizeof_session: %zu\n", sizeof(Session));
    const double m5 = Measure(100000, &buckets);
    std::printf("buckets_1e5: %zu\n", buckets);
    std::printf("memory_per_session_1e5: %.1f\n", m5);
    const double m6 = Measure(1000000, &buckets);
    std::printf("buckets_1e6: %zu\n", buckets);
    std::printf("memory_per_session_1e6: %.1f\n", m6);
    return (m5 <= 256 && m6 <= 256) ? 0 : 1;
}
