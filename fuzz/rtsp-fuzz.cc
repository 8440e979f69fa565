/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the RTSP message parser (start line, headers, Transport specifications,
 * body framing) and the port-range parser.
 */
#include "fuzz-check.h"

#include "ns3/rtsp-parser.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    RtspMessage msg;
    std::string error;
    const RtspParseStatus st = ParseRtspMessage(data, len, msg, &error);
    if (st == RtspParseStatus::COMPLETE)
    {
        FUZZ_CHECK(msg.length <= len && msg.headerLength <= msg.length);
        msg.Body(data);
        for (const auto& t : msg.transports)
        {
            t.IsUdpUnicast();
        }
    }
    const std::string text(reinterpret_cast<const char*>(data), len);
    std::vector<RtspTransportSpec> specs;
    ParseRtspTransport(text, 0, specs);
    uint16_t lo = 0;
    uint16_t hi = 0;
    bool hasHi = false;
    if (ParseRtspPortRange(text, lo, hi, hasHi))
    {
        FormatRtspPortRange(lo, hi, hasHi);
    }
    return 0;
}
