/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the datapath's packet view (ParseIpv4Packet: IPv4 header, fragments, the
 * transport headers of TCP, UDP, ICMP with the packet an error quotes, and the enhanced GRE
 * header of PPTP with its flags and key), without the simulation around it (datapath-fuzz runs
 * the same bytes through a whole unit, far slower). The view must stay inside the bytes.
 */
#include "fuzz-check.h"

#include "ns3/packet-view.h"

#include <cstddef>
#include <cstdint>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    PacketView v;
    if (ParseIpv4Packet(data, len, v))
    {
        const std::size_t ihl = static_cast<std::size_t>(data[0] & 0x0f) * 4;
        FUZZ_CHECK(ihl >= 20 && ihl <= len);
        FUZZ_CHECK(ihl + v.l4Size <= len);
        if (v.l4Valid)
        {
            FUZZ_CHECK(v.l4HeaderSize <= v.l4Size);
        }
    }
    // The transport parser alone, for each protocol it knows (the first byte picks one).
    if (len > 0)
    {
        static const uint8_t protos[] = {1, 6, 17, 47};
        PacketView t;
        t.tuple.proto = protos[data[0] & 3];
        ParseTransport(data + 1, len - 1, t);
        if (t.l4Valid)
        {
            FUZZ_CHECK(t.l4HeaderSize <= len - 1);
        }
    }
    return 0;
}
