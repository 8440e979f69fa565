/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Micro-benchmark of ParseSipMessage on the INVITE with SDP that the hop-cost bench sends
 * (the SIP ALG and the kernel helper parse every message once). Reports ns per message and
 * per byte (sip_parse_ns_per_byte in `./fgsim bench`); callgrind's instructions per byte come
 * from the hop-cost run (callgrind_annotate, ParseSipMessage inclusive / calls / bytes).
 * Also counts the heap allocations of one parse (this binary counts every operator new): per
 * message (sip_parse_allocs_per_message) and per added header field
 * (sip_parse_allocs_per_header: what seven more header fields add, divided by seven; issue 15
 * asks for a parse without per-header allocations).
 */
#include "ns3/sip-message.h"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <new>
#include <string>

namespace
{
/// operator new calls so far (the benchmarks run on one thread)
unsigned long g_allocations = 0;
} // namespace

// Replaceable global allocation functions: count, then allocate as the default ones do.
void*
operator new(std::size_t n)
{
    ++g_allocations;
    if (void* p = std::malloc(n ? n : 1))
    {
        return p;
    }
    throw std::bad_alloc();
}

void
operator delete(void* p) noexcept
{
    std::free(p);
}

void
operator delete(void* p, std::size_t) noexcept
{
    std::free(p);
}

using namespace ns3;

namespace
{

const std::string&
InviteWithSdp()
{
    static const std::string sdp = "v=0\r\n"
                                   "o=alice 2890844526 2890844526 IN IP4 10.0.1.2\r\n"
                                   "s=-\r\n"
                                   "c=IN IP4 10.0.1.2\r\n"
                                   "t=0 0\r\n"
                                   "m=audio 20000 RTP/AVP 0\r\n"
                                   "a=rtpmap:0 PCMU/8000\r\n";
    static const std::string msg = "INVITE sip:bob@203.0.113.2 SIP/2.0\r\n"
                                   "Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK776asdhds\r\n"
                                   "Max-Forwards: 70\r\n"
                                   "From: <sip:alice@10.0.1.2>;tag=1928301774\r\n"
                                   "To: <sip:bob@203.0.113.2>\r\n"
                                   "Call-ID: a84b4c76e66710@10.0.1.2\r\n"
                                   "CSeq: 1 INVITE\r\n"
                                   "Contact: <sip:alice@10.0.1.2:5060>\r\n"
                                   "Content-Type: application/sdp\r\n"
                                   "Content-Length: " +
                                   std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
    return msg;
}

void
BM_SipParseInvite(benchmark::State& state)
{
    const std::string& text = InviteWithSdp();
    SipMessage m;
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(ParseSipMessage(SipBytes(text), text.size(), m));
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
    state.counters["bytes"] = static_cast<double>(text.size());
    // One more parse, into a fresh message, counting its allocations; then the same INVITE with
    // seven more header fields (a proxy's Route and Record-Routes, lists, an identity): what
    // those add is the per-header figure.
    auto allocationsOf = [](const std::string& message, double& headers) {
        const unsigned long before = g_allocations;
        SipMessage fresh;
        benchmark::DoNotOptimize(ParseSipMessage(SipBytes(message), message.size(), fresh));
        headers = static_cast<double>(fresh.headers.size());
        return static_cast<double>(g_allocations - before);
    };
    std::string more = text;
    more.insert(more.find("Max-Forwards"),
                "Route: <sip:p1.example.com;lr>\r\n"
                "Record-Route: <sip:p2.example.com;lr>\r\n"
                "Record-Route: <sip:p3.example.com;lr>\r\n"
                "Supported: replaces, timer\r\n"
                "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"
                "User-Agent: fgsim-bench/1.0\r\n"
                "P-Asserted-Identity: \"Alice\" <sip:alice@example.com>\r\n");
    double headers = 0;
    double moreHeaders = 0;
    state.counters["allocs"] = allocationsOf(text, headers);
    state.counters["headers"] = headers;
    state.counters["allocs_more"] = allocationsOf(more, moreHeaders);
    state.counters["headers_more"] = moreHeaders;
}

BENCHMARK(BM_SipParseInvite);

} // namespace
