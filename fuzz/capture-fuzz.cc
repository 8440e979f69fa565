/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the capture reader of the offline tools (utils/pcap-reader: pcap and
 * pcapng), then the link layers (FindIpv4) and the IPv4/transport parser the datapath uses
 * (ParseIpv4Packet) on every frame it returns.
 */
#include "fuzz-check.h"
#include "pcap-reader.h"

#include "ns3/packet-view.h"

#include <cstddef>
#include <cstdint>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    CaptureFile file;
    try
    {
        file = ParseCapture(data, len, "fuzz");
    }
    catch (const CaptureError&)
    {
        return 0; // a clear error is the expected outcome for most inputs
    }
    for (const auto& r : file.records)
    {
        FUZZ_CHECK(r.data.size() <= len);
        LinkTypeName(r.linkType);
        const LinkPayload lp = FindIpv4(r.linkType, r.data.data(), r.data.size());
        if (lp.kind == LinkPayload::IPV4)
        {
            FUZZ_CHECK(lp.offset <= r.data.size());
            PacketView v;
            ParseIpv4Packet(r.data.data() + lp.offset, r.data.size() - lp.offset, v);
        }
    }
    return 0;
}
