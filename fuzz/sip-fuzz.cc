/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the SIP message parser (datagram and stream framing, SDP bodies, URIs), its
 * text form for the user agents (sip-text-message) and
 * the rewriter the ALG uses (every address/port span the helper may replace is replaced, the
 * result must have exactly the announced size and parse again as a framed message).
 */
#include "fuzz-check.h"

#include "ns3/sip-message.h"
#include "ns3/sip-text-message.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace ns3;

namespace
{

bool
Inside(const SipSpan& s, std::size_t len)
{
    return s.offset <= len && s.length <= len - s.offset;
}

/// Whether \p v lies in the message's storage: its copy of the bytes or a kept value.
bool
Stored(const SipMessage& msg, std::string_view v)
{
    if (v.empty())
    {
        return true;
    }
    const auto* b = reinterpret_cast<const char*>(msg.storage->bytes.data());
    if (v.data() >= b && v.data() + v.size() <= b + msg.storage->bytes.size())
    {
        return true;
    }
    for (const std::string& kept : msg.storage->derived)
    {
        if (v.data() >= kept.data() && v.data() + v.size() <= kept.data() + kept.size())
        {
            return true;
        }
    }
    return false;
}

/// Every text field of a parsed message views its storage (never the caller's buffer).
void
CheckViews(const SipMessage& msg)
{
    FUZZ_CHECK(msg.storage != nullptr);
    FUZZ_CHECK(Stored(msg, msg.method) && Stored(msg, msg.version) && Stored(msg, msg.reason));
    FUZZ_CHECK(Stored(msg, msg.callId) && Stored(msg, msg.cseqMethod));
    FUZZ_CHECK(Stored(msg, msg.contentType) && Stored(msg, msg.requestUri.host));
    for (const auto& h : msg.headers)
    {
        FUZZ_CHECK(Stored(msg, h.name));
        FUZZ_CHECK(h.id != SipHeaderId::UNKNOWN || Stored(msg, h.canonical)); // else a static name
        FUZZ_CHECK(Stored(msg, h.value));
    }
    for (const auto& v : msg.vias)
    {
        FUZZ_CHECK(Stored(msg, v.protocol) && Stored(msg, v.host) && Stored(msg, v.branch));
        for (const auto& p : v.params)
        {
            FUZZ_CHECK(Stored(msg, p.name) && Stored(msg, p.value));
        }
    }
    auto nameAddr = [&msg](const SipNameAddr& n) {
        FUZZ_CHECK(Stored(msg, n.displayName) && Stored(msg, n.tag) && Stored(msg, n.uri.user));
        for (const auto& p : n.params)
        {
            FUZZ_CHECK(Stored(msg, p.name) && Stored(msg, p.value));
        }
    };
    for (const auto& c : msg.contacts)
    {
        nameAddr(c);
    }
    nameAddr(msg.from);
    nameAddr(msg.to);
}

/// Replace what the SIP ALG replaces (Via, Contact, Request-URI, SDP c=/m=); check the result.
void
Rewrite(const uint8_t* data, const SipMessage& msg)
{
    SipRewriter rw(msg);
    for (const auto& v : msg.vias)
    {
        rw.Replace(v.hostSpan, "192.0.2.1");
        rw.Replace(v.portSpan, "65535");
    }
    for (const auto& c : msg.contacts)
    {
        rw.Replace(c.uri.hostSpan, "198.51.100.250");
    }
    rw.Replace(msg.requestUri.hostSpan, "10.0.0.1");
    if (msg.hasSdp)
    {
        for (const auto& c : msg.sdp.connections)
        {
            rw.Replace(c.addressSpan, "203.0.113.77");
        }
        for (const auto& m : msg.sdp.media)
        {
            rw.Replace(m.portSpan, "1");
            for (const auto& c : m.connections)
            {
                rw.Replace(c.addressSpan, "203.0.113.78");
            }
        }
    }
    const std::vector<uint8_t> out = rw.Apply(data);
    FUZZ_CHECK(static_cast<long>(out.size()) == static_cast<long>(msg.consumed) + rw.Delta());
    SipMessage again;
    ParseSipMessage(out.data(), out.size(), again);
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    SipMessage msg;
    if (ParseSipMessage(data, len, msg) == SipParseStatus::OK)
    {
        FUZZ_CHECK(msg.consumed <= len);
        FUZZ_CHECK(Inside(msg.startLineSpan, len));
        for (const auto& h : msg.headers)
        {
            FUZZ_CHECK(Inside(h.nameSpan, len) && Inside(h.valueSpan, len));
        }
        for (const auto& v : msg.vias)
        {
            FUZZ_CHECK(Inside(v.hostSpan, len) && Inside(v.portSpan, len));
        }
        msg.WellFormed();
        CheckViews(msg);
        Rewrite(data, msg);
        // The user agents' text form of a parsed message (sip-text-message): written out, it
        // starts with its start line.
        const SipTextMessage text = SipTextMessage::FromParsed(msg, data);
        const std::string written = text.ToString();
        FUZZ_CHECK(written.compare(0, text.GetStartLine().size(), text.GetStartLine()) == 0);
    }

    SipParseOptions stream;
    stream.stream = true;
    stream.maxHeaderBytes = 4096;
    const SipStreamResult r = ParseSipStream(data, len, stream);
    FUZZ_CHECK(r.consumed <= len);
    for (const auto& m : r.messages)
    {
        FUZZ_CHECK(m.start >= m.skipped && m.start - m.skipped + m.consumed <= len);
        CheckViews(m);
    }

    SipUri uri;
    std::string error;
    ParseSipUri(data, len, uri, error);
    return 0;
}
