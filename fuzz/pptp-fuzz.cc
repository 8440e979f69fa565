/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the PPTP control-message parser (a stream of messages and one message);
 * every message parsed serializes to bytes that parse again to the same type and Call IDs.
 */
#include "fuzz-check.h"

#include "ns3/pptp-parser.h"

#include <cstddef>
#include <cstdint>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    const PptpParseResult r = ParsePptpMessages(data, len);
    FUZZ_CHECK(r.consumed <= len);
    for (const auto& m : r.messages)
    {
        const auto bytes = SerializePptpMessage(m);
        PptpMessage back;
        FUZZ_CHECK(ParsePptpMessage(bytes.data(), bytes.size(), back));
        FUZZ_CHECK(back.type == m.type && back.callId == m.callId &&
                   back.peerCallId == m.peerCallId);
        PptpMessageName(m.type);
        if (m.HasPeerCallId())
        {
            FUZZ_CHECK(m.PeerCallIdOffset() + 2 <= m.length);
        }
    }
    PptpMessage one;
    ParsePptpMessage(data, len, one);
    return 0;
}
