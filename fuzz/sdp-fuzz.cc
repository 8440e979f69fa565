/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the SDP parser (every span it reports must lie inside the body it saw,
 * shifted by the base offset).
 */
#include "fuzz-check.h"

#include "ns3/sdp-message.h"

#include <cstddef>
#include <cstdint>

using namespace ns3;

namespace
{

constexpr std::size_t BASE = 1000; //!< the body's offset in an imaginary enclosing message

bool
Inside(const SipSpan& s, std::size_t len)
{
    return s.offset >= BASE && s.offset - BASE <= len && s.length <= len - (s.offset - BASE);
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    SdpMessage sdp;
    ParseSdp(data, len, sdp, BASE);
    for (const auto& c : sdp.connections)
    {
        FUZZ_CHECK(Inside(c.addressSpan, len) && Inside(c.lineSpan, len));
    }
    for (const auto& a : sdp.attributes)
    {
        FUZZ_CHECK(Inside(a.valueSpan, len));
    }
    for (const auto& m : sdp.media)
    {
        FUZZ_CHECK(Inside(m.portSpan, len) && Inside(m.lineSpan, len));
        for (const auto& c : m.connections)
        {
            FUZZ_CHECK(Inside(c.addressSpan, len));
        }
    }
    for (char t : {'v', 'o', 's', 'c', 'm', 'a', 'b', 't', 'r', 'z', 'k'})
    {
        sdp.HasViolation(t);
    }
    return 0;
}
