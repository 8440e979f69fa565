/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GRE and PPTP: the enhanced GRE header, the PPTP control message parser (corpus capture,
 * malformed and random input), the pptp session helper driven through HelperContext, GRE key
 * translation, the PPTP applications on a plain link, and end-to-end tunnels through a
 * FortiGate with SNAT (with and without the helper, colliding Call IDs, teardown).
 */
#include "corpus.h"
#include "e2e-topology.h"
#include "fake-helper-host.h"

#include "ns3/error-model.h"
#include "ns3/gre-header.h"
#include "ns3/nat-translator.h"
#include "ns3/packet-view.h"
#include "ns3/pptp-helper.h"
#include "ns3/pptp-parser.h"
#include "ns3/pptp-session-helper.h"
#include "ns3/session-table.h"

#include <map>
#include <random>
#include <set>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

std::vector<uint8_t>
Msg(const PptpMessage& m)
{
    return SerializePptpMessage(m);
}

std::vector<uint8_t>
Cat(std::vector<uint8_t> a, const std::vector<uint8_t>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

uint16_t
Get16(const std::vector<uint8_t>& b, std::size_t at)
{
    return static_cast<uint16_t>(b.at(at) << 8 | b.at(at + 1));
}

PptpMessage
Ocrq(uint16_t callId)
{
    PptpMessage m = MakePptpMessage(PPTP_OUTGOING_CALL_REQUEST);
    m.callId = callId;
    m.callSerial = 7;
    m.bearerType = 3;
    m.framingType = 3;
    return m;
}

PptpMessage
Ocrp(uint16_t callId, uint16_t peer, uint8_t result = 1)
{
    PptpMessage m = MakePptpMessage(PPTP_OUTGOING_CALL_REPLY);
    m.callId = callId;
    m.peerCallId = peer;
    m.resultCode = result;
    return m;
}

PptpMessage
WithCall(uint16_t type, uint16_t callId, uint16_t peer = 0)
{
    PptpMessage m = MakePptpMessage(type);
    m.callId = callId;
    m.peerCallId = peer;
    return m;
}

} // namespace

// ---- GRE header --------------------------------------------------------------------------------

TEST(PptpGreHeader, EnhancedHeaderRoundTripsWithSequenceAndAck)
{
    GreHeader h;
    h.SetPayloadLength(1400);
    h.SetCallId(0xBEEF);
    h.SetSequenceNumber(42);
    h.SetAcknowledgment(41);
    EXPECT_EQ(h.GetSerializedSize(), 16u);
    Ptr<Packet> p = Create<Packet>(1400);
    p->AddHeader(h);
    uint8_t b[16];
    p->CopyData(b, 16);
    // K and S, then A and version 1, protocol 0x880B, length, call id, seq, ack.
    const uint8_t want[16] =
        {0x30, 0x81, 0x88, 0x0b, 0x05, 0x78, 0xbe, 0xef, 0, 0, 0, 42, 0, 0, 0, 41};
    EXPECT_EQ(std::vector<uint8_t>(b, b + 16), std::vector<uint8_t>(want, want + 16));
    GreHeader r;
    EXPECT_EQ(p->RemoveHeader(r), 16u);
    EXPECT_EQ(r.GetVersion(), 1);
    EXPECT_EQ(r.GetProtocolType(), GRE_PROTOCOL_PPP);
    EXPECT_EQ(r.GetPayloadLength(), 1400);
    EXPECT_EQ(r.GetCallId(), 0xBEEF);
    EXPECT_TRUE(r.HasSequenceNumber());
    EXPECT_EQ(r.GetSequenceNumber(), 42u);
    EXPECT_TRUE(r.HasAcknowledgment());
    EXPECT_EQ(r.GetAcknowledgment(), 41u);
    EXPECT_EQ(p->GetSize(), 1400u);
}

TEST(PptpGreHeader, OptionalFieldsAndChecksumLayout)
{
    GreHeader ackOnly;
    ackOnly.SetCallId(5);
    ackOnly.SetAcknowledgment(9);
    EXPECT_EQ(ackOnly.GetSerializedSize(), 12u);
    EXPECT_FALSE(ackOnly.HasSequenceNumber());
    EXPECT_EQ(GreHeader::SizeFromFlags(0x20, 0x01), 8u);
    EXPECT_EQ(GreHeader::SizeFromFlags(0xb0, 0x81), 20u);
    EXPECT_EQ(GreHeader::KeyOffset(0x20), 4u);
    EXPECT_EQ(GreHeader::KeyOffset(0xa0), 8u);

    // Checksum + key (RFC 2890 style, version 0): reserved bits survive a round trip.
    const uint8_t raw[12] =
        {0xa0, 0x00, 0x88, 0x0b, 0x12, 0x34, 0x00, 0x00, 0x00, 0x10, 0x00, 0x07};
    Ptr<Packet> p = Create<Packet>(raw, sizeof(raw));
    GreHeader h;
    EXPECT_EQ(p->RemoveHeader(h), 12u);
    EXPECT_TRUE(h.HasChecksum());
    EXPECT_EQ(h.GetChecksum(), 0x1234);
    EXPECT_EQ(h.GetCallId(), 7);
    EXPECT_EQ(h.GetVersion(), 0);
    p->AddHeader(h);
    uint8_t back[12];
    p->CopyData(back, 12);
    EXPECT_EQ(std::vector<uint8_t>(back, back + 12), std::vector<uint8_t>(raw, raw + 12));
    std::ostringstream os;
    h.Print(os);
    EXPECT_NE(os.str().find("callid=7"), std::string::npos) << os.str();
    h.ClearSequenceNumber();
    h.ClearAcknowledgment();
    EXPECT_EQ(h.GetSerializedSize(), 12u);
}

TEST(PptpGreHeader, PacketViewReadsTheCallIdWithAndWithoutChecksum)
{
    PacketView v;
    v.tuple.proto = GRE_IP_PROTOCOL;
    const uint8_t plain[8] = {0x30, 0x01, 0x88, 0x0b, 0x00, 0x10, 0x12, 0x34};
    ParseTransport(plain, sizeof(plain), v);
    EXPECT_TRUE(v.l4Valid);
    EXPECT_EQ(v.tuple.dport, 0x1234);
    EXPECT_EQ(v.tuple.sport, 0);
    PacketView c;
    c.tuple.proto = GRE_IP_PROTOCOL;
    const uint8_t withSum[12] = {0xa0, 0x00, 0x88, 0x0b, 0xaa, 0xbb, 0, 0, 0, 0x10, 0x43, 0x21};
    ParseTransport(withSum, sizeof(withSum), c);
    EXPECT_EQ(c.tuple.dport, 0x4321);
    EXPECT_EQ(c.l4HeaderSize, 12);
}

TEST(PptpGreHeader, NatRewritesTheKeyAndAdjustsTheChecksum)
{
    for (bool withChecksum : {false, true})
    {
        GreHeader h;
        h.SetVersion(withChecksum ? 0 : 1);
        h.SetCallId(0x1111);
        h.SetPayloadLength(100);
        h.SetSequenceNumber(3);
        std::vector<uint8_t> payload(100);
        for (size_t i = 0; i < payload.size(); ++i)
        {
            payload[i] = static_cast<uint8_t>(i * 7);
        }
        Ptr<Packet> p = Create<Packet>(payload.data(), payload.size());
        if (withChecksum)
        {
            h.SetChecksum(0);
            Ptr<Packet> tmp = p->Copy();
            tmp->AddHeader(h);
            std::vector<uint8_t> all(tmp->GetSize());
            tmp->CopyData(all.data(), all.size());
            h.SetChecksum(ns3::InternetChecksum(all.data(), all.size()));
        }
        p->AddHeader(h);
        std::vector<uint8_t> bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        PacketView v;
        v.tuple = FlowTuple{Ip("198.51.100.7"), Ip("203.0.113.1"), 0, 0, GRE_IP_PROTOCOL};
        ParseTransport(bytes.data(), bytes.size(), v);
        ASSERT_EQ(v.tuple.dport, 0x1111);
        Ipv4Header ip;
        FlowTuple to{Ip("198.51.100.7"), Ip("10.0.1.10"), 0, 0x0001, GRE_IP_PROTOCOL};
        Ptr<const Packet> q = TranslatePacket(p, ip, v, to, true);
        EXPECT_EQ(ip.GetDestination(), Ipv4Address("10.0.1.10"));
        std::vector<uint8_t> out(q->GetSize());
        q->CopyData(out.data(), out.size());
        ASSERT_EQ(out.size(), bytes.size());
        size_t keyAt = withChecksum ? 8 : 4;
        EXPECT_EQ(Get16(out, keyAt + 2), 0x0001) << "checksum " << withChecksum;
        EXPECT_EQ(Get16(out, keyAt), 100);
        if (withChecksum)
        {
            EXPECT_EQ(ns3::InternetChecksum(out.data(), out.size()), 0) << "GRE checksum verifies";
        }
        // Everything but the key (and checksum) is unchanged.
        for (size_t i = 0; i < out.size(); ++i)
        {
            if (i == keyAt + 2 || i == keyAt + 3 || (withChecksum && (i == 4 || i == 5)))
            {
                continue;
            }
            EXPECT_EQ(out[i], bytes[i]) << "byte " << i;
        }
        // Same key: the packet is passed on as it is.
        FlowTuple same = to;
        same.dport = 0x1111;
        EXPECT_EQ(PeekPointer(TranslatePacket(p, ip, v, same, true)), PeekPointer(p));
    }
}

// ---- parser ----------------------------------------------------------------------------------

TEST(PptpParser, CorpusCaptureMessagesAndCallIds)
{
    auto segments = CorpusPackets("pptp.pcap", IPPROTO_NUM_TCP);
    ASSERT_FALSE(segments.empty());
    std::vector<uint16_t> types;
    std::map<uint16_t, PptpMessage> byType;
    for (const auto& s : segments)
    {
        if (s.payload.empty())
        {
            continue;
        }
        auto r = ParsePptpMessages(s.payload.data(), s.payload.size());
        EXPECT_EQ(r.status, PptpParseResult::OK) << r.error;
        EXPECT_EQ(r.consumed, s.payload.size());
        for (const auto& m : r.messages)
        {
            types.push_back(m.type);
            byType[m.type] = m;
            EXPECT_EQ(m.length, PptpMessageSize(m.type));
            // Serializing what was parsed gives the same bytes (no field is lost).
            std::vector<uint8_t> again = SerializePptpMessage(m);
            std::vector<uint8_t> orig(s.payload.begin() + m.offset,
                                      s.payload.begin() + m.offset + m.length);
            EXPECT_EQ(again, orig) << PptpMessageName(m.type);
        }
    }
    // 1, 2, 7, 8, 15 (twice, from the server), 12, 13 (plus the retransmitted 12).
    std::set<uint16_t> seen(types.begin(), types.end());
    EXPECT_EQ(seen, (std::set<uint16_t>{1, 2, 7, 8, 12, 13, 15}));
    EXPECT_EQ(std::count(types.begin(), types.end(), 15), 2);
    EXPECT_EQ(byType[1].protocolVersion, 0x0100);
    EXPECT_EQ(byType[2].resultCode, 1);
    EXPECT_EQ(byType[7].callId, 0);
    EXPECT_EQ(byType[8].callId, 11755);
    EXPECT_EQ(byType[8].peerCallId, 0);
    EXPECT_EQ(byType[8].resultCode, 1);
    EXPECT_EQ(byType[15].peerCallId, 0);
    EXPECT_EQ(byType[12].callId, 0);
    EXPECT_EQ(byType[13].callId, 0); // the server names the client's Call ID
    EXPECT_EQ(std::string(PptpMessageName(8)), "Outgoing-Call-Reply");
    EXPECT_EQ(byType[7].PeerCallIdOffset(), 0u);
    EXPECT_EQ(byType[8].PeerCallIdOffset(), 14u);
    EXPECT_EQ(byType[15].PeerCallIdOffset(), 12u);
}

TEST(PptpParser, EveryTypeRoundTripsWithItsFields)
{
    for (uint16_t type = 1; type <= 15; ++type)
    {
        PptpMessage m = MakePptpMessage(type);
        m.callId = 0x1234;
        m.peerCallId = 0x5678;
        m.resultCode = 3;
        m.identifier = 99;
        m.hostName = "host";
        std::vector<uint8_t> b = SerializePptpMessage(m);
        ASSERT_EQ(b.size(), PptpMessageSize(type)) << type;
        PptpMessage r;
        std::string why;
        ASSERT_TRUE(ParsePptpMessage(b.data(), b.size(), r, &why)) << type << ": " << why;
        EXPECT_EQ(r.type, type);
        EXPECT_EQ(r.HasCallId() ? r.callId : 0x1234, 0x1234) << type;
        if (r.HasCallId())
        {
            EXPECT_EQ(Get16(b, PptpMessage::CALL_ID_OFFSET), 0x1234) << type;
        }
        if (r.HasPeerCallId())
        {
            EXPECT_EQ(r.peerCallId, 0x5678) << type;
            EXPECT_EQ(Get16(b, r.PeerCallIdOffset()), 0x5678) << type;
        }
        EXPECT_EQ(SerializePptpMessage(r), b) << type;
    }
    // The Call ID table of RFC 2637.
    std::set<uint16_t> own;
    std::set<uint16_t> peer;
    for (uint16_t type = 1; type <= 15; ++type)
    {
        PptpMessage m = MakePptpMessage(type);
        if (m.HasCallId())
        {
            own.insert(type);
        }
        if (m.HasPeerCallId())
        {
            peer.insert(type);
        }
    }
    EXPECT_EQ(own, (std::set<uint16_t>{7, 8, 9, 10, 12, 13}));
    EXPECT_EQ(peer, (std::set<uint16_t>{8, 10, 11, 14, 15}));
    EXPECT_TRUE(SerializePptpMessage(MakePptpMessage(16)).empty());
    EXPECT_TRUE(SerializePptpMessage(MakePptpMessage(0)).empty());
}

TEST(PptpParser, SeveralMessagesPerSegmentAndSplitMessages)
{
    std::vector<uint8_t> seg = Cat(Cat(Msg(Ocrq(3)), Msg(WithCall(PPTP_SET_LINK_INFO, 0, 9))),
                                   Msg(WithCall(PPTP_CALL_CLEAR_REQUEST, 3)));
    auto r = ParsePptpMessages(seg.data(), seg.size());
    EXPECT_EQ(r.status, PptpParseResult::OK);
    ASSERT_EQ(r.messages.size(), 3u);
    EXPECT_EQ(r.messages[0].offset, 0u);
    EXPECT_EQ(r.messages[1].offset, 168u);
    EXPECT_EQ(r.messages[2].offset, 192u);
    EXPECT_EQ(r.messages[2].callId, 3);
    // Cut inside the third message: two parsed, the third's length known.
    auto cut = ParsePptpMessages(seg.data(), 200);
    EXPECT_EQ(cut.status, PptpParseResult::INCOMPLETE);
    EXPECT_EQ(cut.messages.size(), 2u);
    EXPECT_EQ(cut.consumed, 192u);
    EXPECT_EQ(cut.pendingLength, 16);
    // Cut inside the first Length field.
    auto one = ParsePptpMessages(seg.data(), 1);
    EXPECT_EQ(one.status, PptpParseResult::INCOMPLETE);
    EXPECT_EQ(one.pendingLength, 0);
    auto empty = ParsePptpMessages(seg.data(), 0);
    EXPECT_EQ(empty.status, PptpParseResult::OK);
    EXPECT_TRUE(empty.messages.empty());
}

TEST(PptpParser, MalformedMessagesAreRejected)
{
    std::vector<uint8_t> good = Msg(Ocrq(3));

    struct Case
    {
        const char* what;
        std::function<void(std::vector<uint8_t>&)> spoil;
        const char* error;
    };

    std::vector<Case> cases = {
        {"wrong magic cookie", [](auto& b) { b[7] ^= 1; }, "magic cookie"},
        {"management message", [](auto& b) { b[3] = 2; }, "not 1"},
        {"type 0", [](auto& b) { b[9] = 0; }, "unknown control message type 0"},
        {"type 16", [](auto& b) { b[9] = 16; }, "unknown control message type 16"},
        {"length shorter than the type", [](auto& b) { b[1] = 100; }, "is not 168"},
        {"length longer than the type", [](auto& b) { b[1] = 200; }, "is not 168"},
        {"length below the header", [](auto& b) { b[0] = 0, b[1] = 8; }, "shorter than the header"},
        {"length of another type", [](auto& b) { b[1] = 32; }, "is not 168"},
    };
    for (const auto& c : cases)
    {
        std::vector<uint8_t> b = good;
        c.spoil(b);
        auto r = ParsePptpMessages(b.data(), b.size());
        EXPECT_EQ(r.status, PptpParseResult::MALFORMED) << c.what;
        EXPECT_TRUE(r.messages.empty()) << c.what;
        EXPECT_NE(r.error.find(c.error), std::string::npos) << c.what << ": " << r.error;
        PptpMessage m;
        EXPECT_FALSE(ParsePptpMessage(b.data(), b.size(), m)) << c.what;
    }
    // A bad message after a good one: the good one is returned, parsing stops.
    std::vector<uint8_t> two = Cat(Msg(Ocrp(1, 2)), good);
    two[32 + 4] = 0;
    auto r = ParsePptpMessages(two.data(), two.size());
    EXPECT_EQ(r.status, PptpParseResult::MALFORMED);
    EXPECT_EQ(r.messages.size(), 1u);
    EXPECT_NE(r.error.find("at byte 32"), std::string::npos) << r.error;
    // Short messages.
    PptpMessage m;
    std::string why;
    EXPECT_FALSE(ParsePptpMessage(good.data(), 11, m, &why));
    EXPECT_NE(why.find("short"), std::string::npos);
    EXPECT_FALSE(ParsePptpMessage(good.data(), 100, m, &why));
    EXPECT_NE(why.find("100 of 168"), std::string::npos) << why;
}

TEST(PptpParser, RandomInputNeverReadsPastTheEnd)
{
    std::mt19937 rng(2637);
    std::vector<uint8_t> base = Cat(Msg(Ocrq(3)), Msg(Ocrp(4, 3)));
    uint64_t parsed = 0;
    for (int i = 0; i < 20000; ++i)
    {
        std::vector<uint8_t> b;
        if (i % 2)
        {
            b = base;
            int flips = 1 + static_cast<int>(rng() % 4);
            for (int f = 0; f < flips; ++f)
            {
                b[rng() % b.size()] = static_cast<uint8_t>(rng());
            }
            b.resize(rng() % (b.size() + 1));
        }
        else
        {
            b.resize(rng() % 300);
            for (auto& x : b)
            {
                x = static_cast<uint8_t>(rng());
            }
        }
        // Exactly-sized heap copy: an overread would touch memory past the allocation.
        std::unique_ptr<uint8_t[]> exact(new uint8_t[b.size() + 1]);
        std::copy(b.begin(), b.end(), exact.get());
        auto r = ParsePptpMessages(exact.get(), b.size());
        EXPECT_LE(r.consumed, b.size());
        for (const auto& m : r.messages)
        {
            EXPECT_EQ(m.length, PptpMessageSize(m.type));
            EXPECT_LE(m.offset + m.length, b.size());
        }
        parsed += r.messages.size();
    }
    EXPECT_GT(parsed, 0u); // some mutations leave valid messages
}

// ---- session helper through HelperContext ------------------------------------------------------

namespace
{

/// A FortiGate's session table and pinholes, without a simulation.
struct PptpUnit
{
    SessionTable table;

    /// The unit's helper host: ports from Allocate.
    struct Host : FakeHelperHost
    {
        PptpUnit* unit{nullptr}; //!< the unit

        uint16_t AllocatePort(uint8_t proto, uint32_t ip, uint16_t preferred) override
        {
            return unit->Allocate(proto, ip, preferred);
        }
    } host;

    ExpectationTable& pinholes{host.pins};
    std::vector<uint32_t>& closing{host.closing}; //!< serials CloseChildren selected
    std::vector<std::string> edits;               //!< nothing, kept for debugging
    PptpSessionHelper helper;
    uint16_t nextFree{1024}; //!< allocator: next value after a taken one

    PptpUnit()
    {
        host.unit = this;
        host.sessions = &table;
    }

    /// A control session client:cport -> server:1723, SNAT to \p pub (0: none).
    Session* Control(const char* client,
                     uint16_t cport,
                     const char* pub = "203.0.113.10",
                     const char* server = "198.51.100.7")
    {
        FlowTuple org{Ip(client), Ip(server), cport, PPTP_CONTROL_PORT, IPPROTO_NUM_TCP};
        FlowTuple leaving = org;
        if (pub)
        {
            leaving.src = Ip(pub);
        }
        Session* s = table.Insert(org, leaving.Reversed(), 0, 10);
        s->policyId = 1;
        s->inIf[0] = 0;
        s->inIf[1] = 1;
        s->helperId = 1;
        helper.OnSessionCreated(*s);
        return s;
    }

    /// Like the datapath's AllocatePinholePort: the preferred value when no pinhole or session
    /// uses it on \p ip, else the next free one from 1024.
    uint16_t Allocate(uint8_t proto, uint32_t ip, uint16_t preferred)
    {
        auto taken = [&](uint16_t port) {
            for (const auto& e : pinholes.List())
            {
                if (e.proto == proto && e.dst == ip && e.dport == port)
                {
                    return true;
                }
            }
            return false;
        };
        if (preferred != 0 && !taken(preferred))
        {
            return preferred;
        }
        while (taken(nextFree))
        {
            ++nextFree;
        }
        return nextFree++;
    }

    /// Inspect \p bytes of session \p s in direction \p dir. \return the bytes as forwarded
    std::vector<uint8_t> Run(Session* s,
                             SessionDir dir,
                             const std::vector<uint8_t>& bytes,
                             uint32_t seq,
                             uint8_t flags = 0x18)
    {
        PacketView v;
        v.tuple = s->Tuple(dir);
        v.tcpSeq = seq;
        v.tcpFlags = flags;
        v.l4Valid = true;
        HelperContext ctx(host, *s, dir, v, bytes.data(), bytes.size(), s->Translated(dir), 0);
        helper.Inspect(ctx);
        EXPECT_EQ(ctx.editor.Delta(), 0) << "PPTP rewrites keep the length";
        EXPECT_FALSE(ctx.drop);
        return ctx.editor.Apply(bytes.data(), bytes.size());
    }

    /// \return the GRE pinholes of parent \p s
    std::vector<Expectation> Gre(const Session* s) const
    {
        std::vector<Expectation> out;
        for (const auto& e : pinholes.List())
        {
            if (e.proto == GRE_IP_PROTOCOL && e.parentSerial == s->serial)
            {
                out.push_back(e);
            }
        }
        return out;
    }
};

} // namespace

TEST(PptpSessionHelper, ControlSessionGetsThePptpTimeout)
{
    PptpUnit u;
    Session* s = u.Control("10.0.1.2", 40000);
    EXPECT_EQ(s->establishedTtl, 1800u);
    EXPECT_EQ(u.helper.GetName(), "pptp");
    EXPECT_TRUE(u.helper.ChildrenFollowParent());
    EXPECT_NE(SessionHelperRegistry::Create("pptp"), nullptr);
}

TEST(PptpSessionHelper, OutgoingCallUnderSnatOpensBothPinholesAndRewritesBack)
{
    PptpUnit u;
    Session* s = u.Control("10.0.1.2", 40000);
    const uint32_t nat = Ip("203.0.113.10");
    // The Call ID is free on the NAT address: kept (and held); no pinhole before the reply.
    auto out = u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(7)), 1000);
    EXPECT_EQ(out, Msg(Ocrq(7)));
    EXPECT_TRUE(u.Gre(s).empty());
    EXPECT_EQ(u.helper.GetReservedCallIds(), 1u);
    // The reply: Peer's Call ID stays 7; both pinholes open.
    out = u.Run(s, SessionDir::REPLY, Msg(Ocrp(0x4000, 7)), 5000);
    EXPECT_EQ(out, Msg(Ocrp(0x4000, 7)));
    auto gre = u.Gre(s);
    ASSERT_EQ(gre.size(), 2u);
    EXPECT_EQ(gre[0].src, Ip("198.51.100.7"));
    EXPECT_EQ(gre[0].dst, nat);
    EXPECT_EQ(gre[0].dport, 7);
    EXPECT_EQ(gre[0].natDst, Ip("10.0.1.2"));
    EXPECT_EQ(gre[0].natDport, 7);
    EXPECT_EQ(gre[0].inIf, 1);
    EXPECT_EQ(gre[0].helper, "pptp");
    const Expectation& c2s = gre[1];
    EXPECT_EQ(c2s.src, Ip("10.0.1.2"));
    EXPECT_EQ(c2s.dst, Ip("198.51.100.7"));
    EXPECT_EQ(c2s.dport, 0x4000);
    EXPECT_EQ(c2s.natSrc, nat);
    EXPECT_EQ(c2s.natDport, 0x4000);
    EXPECT_EQ(c2s.inIf, 0);
    EXPECT_EQ(u.helper.GetCallsOpened(), 1u);
    EXPECT_EQ(u.helper.GetTranslatedCallIdCount(), 0u);
}

TEST(PptpSessionHelper, CollidingCallIdsBehindOneNatGetDistinctPublicIds)
{
    PptpUnit u;
    std::vector<Session*> ctl;
    std::set<uint16_t> publicIds;
    for (int i = 0; i < 3; ++i)
    {
        std::string client = "10.0.1." + std::to_string(10 + i);
        Session* s = u.Control(client.c_str(), static_cast<uint16_t>(40000 + i));
        ctl.push_back(s);
        auto out = u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(1)), 1000);
        uint16_t pub = Get16(out, 12);
        publicIds.insert(pub);
        EXPECT_EQ(pub == 1, i == 0) << "the first keeps its Call ID, the others are translated";
        // Only the Call ID changed.
        auto expect = Msg(Ocrq(pub));
        EXPECT_EQ(out, expect);
        // The server answers with the public Call ID as Peer's Call ID: put back to 1.
        out = u.Run(s, SessionDir::REPLY, Msg(Ocrp(static_cast<uint16_t>(0x4000 + i), pub)), 5000);
        EXPECT_EQ(Get16(out, 14), 1);
        EXPECT_EQ(Get16(out, 12), 0x4000 + i);
        auto gre = u.Gre(s);
        ASSERT_EQ(gre.size(), 2u);
        EXPECT_EQ(gre[0].dport, pub);  // server -> client, keyed by the public Call ID
        EXPECT_EQ(gre[0].natDport, 1); // ... leaving with the client's own
        EXPECT_EQ(gre[0].natDst, Ip(client.c_str()));
        EXPECT_EQ(gre[1].dport, 0x4000 + i); // client -> server, the server's Call ID
    }
    EXPECT_EQ(publicIds.size(), 3u);
    EXPECT_EQ(u.helper.GetTranslatedCallIdCount(), 2u);
    // Later messages of the second call use its public Call ID both ways.
    Session* s = ctl[1];
    uint16_t pub = *std::next(publicIds.begin(), 1) == 1 ? *publicIds.rbegin()
                                                         : *std::next(publicIds.begin(), 1);
    (void)pub;
    auto gre = u.Gre(s);
    uint16_t pub1 = gre[0].dport;
    auto sli = u.Run(s, SessionDir::REPLY, Msg(WithCall(PPTP_SET_LINK_INFO, 0, pub1)), 5032);
    EXPECT_EQ(Get16(sli, 12), 1);
    auto wen = u.Run(s, SessionDir::REPLY, Msg(WithCall(PPTP_WAN_ERROR_NOTIFY, 0, pub1)), 5056);
    EXPECT_EQ(Get16(wen, 12), 1);
    // The client's own Set-Link-Info names the server's Call ID: untouched.
    auto own = Msg(WithCall(PPTP_SET_LINK_INFO, 0, 0x4001));
    EXPECT_EQ(u.Run(s, SessionDir::ORIGINAL, own, 1168), own);
    auto clear = u.Run(s, SessionDir::ORIGINAL, Msg(WithCall(PPTP_CALL_CLEAR_REQUEST, 1)), 1192);
    EXPECT_EQ(Get16(clear, 12), pub1);
}

TEST(PptpSessionHelper, CallClearRemovesPinholesDisconnectClosesTheGreSession)
{
    PptpUnit u;
    Session* s = u.Control("10.0.1.2", 40000);
    Session* other = u.Control("10.0.1.3", 40001);
    u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(1)), 1000);
    u.Run(s, SessionDir::REPLY, Msg(Ocrp(0x4000, 1)), 5000);
    auto otherReq = u.Run(other, SessionDir::ORIGINAL, Msg(Ocrq(1)), 1000);
    u.Run(other, SessionDir::REPLY, Msg(Ocrp(0x4001, Get16(otherReq, 12))), 5000);
    ASSERT_EQ(u.Gre(s).size(), 2u);
    ASSERT_EQ(u.Gre(other).size(), 2u);
    // The GRE session the pinholes made (server first), and an unrelated child.
    FlowTuple g{Ip("198.51.100.7"), Ip("203.0.113.10"), 0, 1, GRE_IP_PROTOCOL};
    FlowTuple gr{Ip("10.0.1.2"), Ip("198.51.100.7"), 0, 0x4000, GRE_IP_PROTOCOL};
    Session* gs = u.table.Insert(g, gr, 0, 30);
    gs->Ext().parentSerial = s->serial;
    FlowTuple x{Ip("198.51.100.7"), Ip("203.0.113.10"), 0, 99, GRE_IP_PROTOCOL};
    Session* xs = u.table.Insert(x, x.Reversed(), 0, 30);
    xs->Ext().parentSerial = s->serial;

    auto out = u.Run(s, SessionDir::ORIGINAL, Msg(WithCall(PPTP_CALL_CLEAR_REQUEST, 1)), 1168);
    EXPECT_EQ(Get16(out, 12), 1);
    EXPECT_TRUE(u.Gre(s).empty()) << "both pinholes removed";
    EXPECT_EQ(u.Gre(other).size(), 2u) << "another control connection's pinholes stay";
    EXPECT_TRUE(u.closing.empty()) << "the GRE session lasts until the disconnect";
    EXPECT_EQ(u.helper.GetCallsClosed(), 1u);
    // A retransmitted Call-Clear-Request is rewritten the same way.
    out = u.Run(s, SessionDir::ORIGINAL, Msg(WithCall(PPTP_CALL_CLEAR_REQUEST, 1)), 1168);
    EXPECT_EQ(Get16(out, 12), 1);
    // The server's Call-Disconnect-Notify names the client's Call ID: rewritten back, and the
    // call's GRE session (only that child) closes.
    out = u.Run(s, SessionDir::REPLY, Msg(WithCall(PPTP_CALL_DISCONNECT_NOTIFY, 1)), 5032);
    EXPECT_EQ(Get16(out, 12), 1);
    EXPECT_EQ(u.closing, std::vector<uint32_t>{gs->serial});
    EXPECT_EQ(u.helper.GetCallsClosed(), 1u);
    EXPECT_EQ(u.helper.GetReservedCallIds(), 1u) << "only the other call's Call ID is held";
    u.helper.OnSessionClosed(*other);
    EXPECT_EQ(u.helper.GetReservedCallIds(), 0u);
}

TEST(PptpSessionHelper, DisconnectNotifyAndStopControlTearDownCalls)
{
    PptpUnit u;
    // Take Call ID 5 on the NAT address so the call is translated.
    Session* first = u.Control("10.0.1.3", 40001);
    u.Run(first, SessionDir::ORIGINAL, Msg(Ocrq(5)), 1000);
    Session* s = u.Control("10.0.1.2", 40000);
    auto out = u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(5)), 1000);
    const uint16_t pub = Get16(out, 12);
    ASSERT_NE(pub, 5);
    u.Run(s, SessionDir::REPLY, Msg(Ocrp(0x4000, pub)), 5000);
    // Server hangs up, naming the client's (public) Call ID: back to 5, call torn down.
    out = u.Run(s, SessionDir::REPLY, Msg(WithCall(PPTP_CALL_DISCONNECT_NOTIFY, pub)), 5032);
    EXPECT_EQ(Get16(out, 12), 5);
    EXPECT_TRUE(u.Gre(s).empty());
    // RFC wording: the server's own Call ID. Not rewritten, call torn down all the same.
    out = u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(6)), 1168);
    const uint16_t pub6 = Get16(out, 12);
    u.Run(s, SessionDir::REPLY, Msg(Ocrp(0x4001, pub6)), 5180);
    ASSERT_EQ(u.Gre(s).size(), 2u);
    auto cdn = Msg(WithCall(PPTP_CALL_DISCONNECT_NOTIFY, 0x4001));
    EXPECT_EQ(u.Run(s, SessionDir::REPLY, cdn, 5212), cdn);
    EXPECT_TRUE(u.Gre(s).empty());
    // Two calls, then Stop-Control-Connection-Request: both go.
    auto r8 = u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(8)), 1336);
    auto r9 = u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(9)), 1504);
    u.Run(s, SessionDir::REPLY, Msg(Ocrp(0x4002, Get16(r8, 12))), 5360);
    u.Run(s, SessionDir::REPLY, Msg(Ocrp(0x4003, Get16(r9, 12))), 5392);
    EXPECT_EQ(u.Gre(s).size(), 4u);
    u.Run(s, SessionDir::ORIGINAL, Msg(MakePptpMessage(PPTP_STOP_CONTROL_REQUEST)), 1672);
    EXPECT_TRUE(u.Gre(s).empty());
    // A reset ends everything too.
    auto r10 = u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(10)), 1688);
    u.Run(s, SessionDir::REPLY, Msg(Ocrp(0x4004, Get16(r10, 12))), 5424);
    EXPECT_EQ(u.Gre(s).size(), 2u);
    u.Run(s, SessionDir::REPLY, {}, 5456, 0x04);
    EXPECT_TRUE(u.Gre(s).empty());
    EXPECT_EQ(u.helper.GetReservedCallIds(), 1u) << "the first session's call is still held";
}

TEST(PptpSessionHelper, RefusedCallRemovesItsPinhole)
{
    PptpUnit u;
    Session* s = u.Control("10.0.1.2", 40000);
    u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(3)), 1000);
    EXPECT_EQ(u.helper.GetReservedCallIds(), 1u);
    u.Run(s, SessionDir::REPLY, Msg(Ocrp(0, 3, 2)), 5000); // General Error
    EXPECT_TRUE(u.Gre(s).empty());
    EXPECT_EQ(u.helper.GetReservedCallIds(), 0u) << "its Call ID is free again";
    EXPECT_EQ(u.helper.GetCallsOpened(), 0u);
}

TEST(PptpSessionHelper, MalformedInputLeavesNoPinholeAndSameBytes)
{
    std::vector<std::pair<std::string, std::vector<uint8_t>>> inputs;
    auto ocrq = Msg(Ocrq(3));
    auto badCookie = ocrq;
    badCookie[5] = 0;
    inputs.emplace_back("wrong magic cookie", badCookie);
    auto lie = ocrq;
    lie[1] = 16; // claims Call-Clear-Request size
    inputs.emplace_back("Length lies (short)", lie);
    auto lie2 = ocrq;
    lie2[0] = 1; // 424
    inputs.emplace_back("Length lies (past the segment)", lie2);
    inputs.emplace_back("short message", std::vector<uint8_t>(ocrq.begin(), ocrq.begin() + 11));
    inputs.emplace_back("header only", std::vector<uint8_t>(ocrq.begin(), ocrq.begin() + 12));
    inputs.emplace_back("text", std::vector<uint8_t>{'G', 'E', 'T', ' ', '/', '\r', '\n'});
    auto bad2 = Cat(Msg(MakePptpMessage(PPTP_ECHO_REQUEST)), ocrq);
    bad2[16 + 9] = 99;
    inputs.emplace_back("good message then unknown type", bad2);
    for (const auto& [what, bytes] : inputs)
    {
        PptpUnit u;
        Session* s = u.Control("10.0.1.2", 40000);
        // Take 3 on the NAT address, so a parsed request would be rewritten.
        Expectation taken;
        taken.proto = GRE_IP_PROTOCOL;
        taken.dst = Ip("203.0.113.10");
        taken.dport = 3;
        taken.expiresNs = 1000000000000LL;
        u.pinholes.Add(taken);
        size_t before = u.pinholes.Size();
        auto out = u.Run(s, SessionDir::ORIGINAL, bytes, 1000);
        EXPECT_EQ(out, bytes) << what;
        EXPECT_EQ(u.pinholes.Size(), before) << what;
        EXPECT_TRUE(u.Gre(s).empty()) << what;
        EXPECT_EQ(u.helper.GetReservedCallIds(), 0u) << what;
        // Random garbage in both directions never crashes either.
        std::mt19937 rng(static_cast<uint32_t>(bytes.size()));
        for (int i = 0; i < 200; ++i)
        {
            std::vector<uint8_t> g(rng() % 400);
            for (auto& b : g)
            {
                b = static_cast<uint8_t>(rng());
            }
            if (g.size() >= 8 && i % 2)
            {
                g[0] = 0; // plausible headers, so deeper checks run
                g[1] = static_cast<uint8_t>(PptpMessageSize(1 + rng() % 15));
                g[2] = 0;
                g[3] = 1;
                g[4] = 0x1a, g[5] = 0x2b, g[6] = 0x3c, g[7] = 0x4d;
            }
            u.Run(s,
                  i % 3 ? SessionDir::ORIGINAL : SessionDir::REPLY,
                  g,
                  static_cast<uint32_t>(rng()));
        }
    }
    PptpUnit u;
    Session* s = u.Control("10.0.1.2", 40000);
    u.Run(s, SessionDir::ORIGINAL, badCookie, 1000);
    EXPECT_EQ(u.helper.GetMalformedCount(), 1u);
}

TEST(PptpSessionHelper, OnlySegmentsAtMessageBoundariesAreInspected)
{
    PptpUnit u;
    Session* s = u.Control("10.0.1.2", 40000);
    u.Run(s, SessionDir::ORIGINAL, {}, 999, 0x02); // SYN: the stream starts at 1000
    auto sccrq = Msg(MakePptpMessage(PPTP_START_CONTROL_REQUEST));
    u.Run(s, SessionDir::ORIGINAL, sccrq, 1000);
    // An Outgoing-Call-Request split over two segments: neither part is parsed...
    auto ocrq = Msg(Ocrq(3));
    std::vector<uint8_t> head(ocrq.begin(), ocrq.begin() + 100);
    std::vector<uint8_t> tail(ocrq.begin() + 100, ocrq.end());
    u.Run(s, SessionDir::ORIGINAL, head, 1156);
    u.Run(s, SessionDir::ORIGINAL, tail, 1256);
    EXPECT_EQ(u.helper.GetReservedCallIds(), 0u);
    EXPECT_EQ(u.helper.GetUnalignedCount(), 1u);
    // ... but the next message, right after it, is.
    u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(4)), 1324);
    EXPECT_EQ(u.helper.GetReservedCallIds(), 1u);
    // A segment starting inside a message (wrong position) is not parsed even if it looks
    // like a message.
    u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(5)), 1400);
    EXPECT_EQ(u.helper.GetReservedCallIds(), 1u);
    EXPECT_EQ(u.helper.GetUnalignedCount(), 2u);
    // A retransmission of an inspected segment is inspected again (same call).
    u.Run(s, SessionDir::ORIGINAL, Msg(Ocrq(4)), 1324);
    EXPECT_EQ(u.helper.GetReservedCallIds(), 1u);
    EXPECT_EQ(u.helper.GetUnalignedCount(), 2u);
    u.Run(s, SessionDir::REPLY, Msg(Ocrp(0x4000, 4)), 7000);
    ASSERT_EQ(u.Gre(s).size(), 2u);
    EXPECT_EQ(u.Gre(s)[0].dport, 4);
}

TEST(PptpSessionHelper, SameCallIdTowardsDifferentServersIsKeptAndZeroIsACallId)
{
    // Two clients behind one NAT address, both with Call ID 0 (as the corpus client), each to
    // its own server: the GRE tuples differ in the server, so both keep 0. A third client
    // with Call ID 0 to the first server collides and is translated (0 put back in replies).
    PptpUnit u;
    Session* a = u.Control("10.0.1.10", 40000, "203.0.113.10", "198.51.100.7");
    Session* b = u.Control("10.0.1.11", 40001, "203.0.113.10", "198.51.100.8");
    Session* c = u.Control("10.0.1.12", 40002, "203.0.113.10", "198.51.100.7");
    EXPECT_EQ(u.Run(a, SessionDir::ORIGINAL, Msg(Ocrq(0)), 1000), Msg(Ocrq(0)));
    EXPECT_EQ(u.Run(b, SessionDir::ORIGINAL, Msg(Ocrq(0)), 1000), Msg(Ocrq(0)));
    EXPECT_EQ(u.Run(a, SessionDir::REPLY, Msg(Ocrp(0x4000, 0)), 5000), Msg(Ocrp(0x4000, 0)));
    EXPECT_EQ(u.Run(b, SessionDir::REPLY, Msg(Ocrp(0x4001, 0)), 5000), Msg(Ocrp(0x4001, 0)));
    for (Session* s : {a, b})
    {
        auto gre = u.Gre(s);
        ASSERT_EQ(gre.size(), 2u);
        EXPECT_EQ(gre[0].dport, 0);
        EXPECT_EQ(gre[0].natDport, 0);
        EXPECT_EQ(gre[0].src, s->reply.tuple.src);
    }
    EXPECT_EQ(u.helper.GetTranslatedCallIdCount(), 0u);
    auto out = u.Run(c, SessionDir::ORIGINAL, Msg(Ocrq(0)), 1000);
    const uint16_t pub = Get16(out, 12);
    EXPECT_NE(pub, 0);
    EXPECT_EQ(out, Msg(Ocrq(pub)));
    EXPECT_EQ(u.helper.GetTranslatedCallIdCount(), 1u);
    out = u.Run(c, SessionDir::REPLY, Msg(Ocrp(0x4002, pub)), 5000);
    EXPECT_EQ(out, Msg(Ocrp(0x4002, 0)));
    auto gre = u.Gre(c);
    ASSERT_EQ(gre.size(), 2u);
    EXPECT_EQ(gre[0].dport, pub);
    EXPECT_EQ(gre[0].natDport, 0);
    EXPECT_EQ(u.helper.GetCallsOpened(), 3u);
    // Once the first call ends, its Call ID is free again towards its server.
    u.Run(a, SessionDir::REPLY, Msg(WithCall(PPTP_CALL_DISCONNECT_NOTIFY, 0)), 5032);
    Session* d = u.Control("10.0.1.13", 40003, "203.0.113.10", "198.51.100.7");
    EXPECT_EQ(u.Run(d, SessionDir::ORIGINAL, Msg(Ocrq(0)), 1000), Msg(Ocrq(0)));
    EXPECT_EQ(u.helper.GetTranslatedCallIdCount(), 1u);
}

TEST(PptpSessionHelper, CorpusCaptureThroughTheHelper)
{
    // The capture's client uses Call ID 0, free on the NAT address towards that server: kept,
    // so the server's captured replies (naming 0) fit as they are and nothing is rewritten.
    auto segments = CorpusPackets("pptp.pcap", IPPROTO_NUM_TCP);
    ASSERT_FALSE(segments.empty());
    PptpUnit u;
    const FlowTuple first = segments[0].view.tuple;
    FlowTuple leaving = first;
    leaving.src = Ip("203.0.113.10");
    Session* s = u.table.Insert(first, leaving.Reversed(), 0, 10);
    s->inIf[1] = 1;
    u.helper.OnSessionCreated(*s);
    std::map<uint16_t, int> seen;
    bool opened = false;
    for (const auto& seg : segments)
    {
        SessionDir dir = seg.view.tuple == first ? SessionDir::ORIGINAL : SessionDir::REPLY;
        auto out = u.Run(s, dir, seg.payload, seg.view.tcpSeq, seg.view.tcpFlags);
        EXPECT_EQ(out, seg.payload) << "the capture passes unchanged";
        auto r = ParsePptpMessages(out.data(), out.size());
        for (const auto& m : r.messages)
        {
            if (dir == SessionDir::ORIGINAL && m.HasCallId())
            {
                EXPECT_EQ(m.callId, 0) << PptpMessageName(m.type);
                ++seen[m.type];
            }
            if (dir == SessionDir::REPLY)
            {
                if (m.type == PPTP_OUTGOING_CALL_REPLY)
                {
                    EXPECT_EQ(m.peerCallId, 0);
                    EXPECT_EQ(m.callId, 11755);
                    ++seen[m.type];
                }
                if (m.type == PPTP_CALL_DISCONNECT_NOTIFY)
                {
                    EXPECT_EQ(m.callId, 0);
                    ++seen[m.type];
                }
            }
        }
        if (dir == SessionDir::REPLY && !r.messages.empty() &&
            r.messages[0].type == PPTP_OUTGOING_CALL_REPLY)
        {
            auto gre = u.Gre(s);
            ASSERT_EQ(gre.size(), 2u);
            EXPECT_EQ(gre[0].dport, 0);
            EXPECT_EQ(gre[0].dst, Ip("203.0.113.10"));
            EXPECT_EQ(gre[0].natDport, 0);
            EXPECT_EQ(gre[0].natDst, Ip("192.168.43.22"));
            EXPECT_EQ(gre[1].dport, 11755);
            EXPECT_EQ(gre[1].src, Ip("192.168.43.22"));
            EXPECT_EQ(gre[1].dst, Ip("191.101.61.1"));
            opened = true;
        }
    }
    EXPECT_TRUE(opened);
    EXPECT_EQ(seen[PPTP_OUTGOING_CALL_REQUEST], 1);
    EXPECT_EQ(seen[PPTP_OUTGOING_CALL_REPLY], 1);
    EXPECT_GE(seen[PPTP_CALL_CLEAR_REQUEST], 1); // (and its retransmission)
    EXPECT_EQ(seen[PPTP_CALL_DISCONNECT_NOTIFY], 1);
    EXPECT_TRUE(u.Gre(s).empty()) << "torn down by Call-Clear-Request";
    EXPECT_EQ(u.helper.GetTranslatedCallIdCount(), 0u);
    EXPECT_EQ(u.helper.GetMalformedCount(), 0u);
    EXPECT_EQ(u.helper.GetCallsOpened(), 1u);
    EXPECT_EQ(u.helper.GetCallsClosed(), 1u);
    EXPECT_EQ(u.helper.GetReservedCallIds(), 0u);
}

// ---- applications on a plain link
// ----------------------------------------------------------------

namespace
{

/// Two nodes on a point-to-point link: client 10.1.1.1, server 10.1.1.2.
struct PlainLink
{
    NodeContainer nodes;
    NetDeviceContainer devs;
    Ptr<PptpServer> server;

    explicit PlainLink(const std::string& rate = "10Mbps")
    {
        nodes.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue(rate));
        p2p.SetChannelAttribute("Delay", StringValue("2ms"));
        devs = p2p.Install(nodes);
        InternetStackHelper stack;
        stack.Install(nodes);
        Ipv4AddressHelper addr("10.1.1.0", "255.255.255.0");
        addr.Assign(devs);
    }

    ~PlainLink()
    {
        Simulator::Destroy();
    }

    Ptr<PptpServer> InstallServer(const std::function<void(PptpServerHelper&)>& tweak = nullptr)
    {
        PptpServerHelper h;
        if (tweak)
        {
            tweak(h);
        }
        server = DynamicCast<PptpServer>(h.Install(nodes.Get(1)).Get(0));
        return server;
    }

    Ptr<PptpClient> InstallClient(double start,
                                  const std::function<void(PptpClientHelper&)>& tweak = nullptr)
    {
        PptpClientHelper h(Ipv4Address("10.1.1.2"));
        if (tweak)
        {
            tweak(h);
        }
        ApplicationContainer apps = h.Install(nodes.Get(0));
        apps.Start(Seconds(start));
        return DynamicCast<PptpClient>(apps.Get(0));
    }
};

} // namespace

TEST(PptpApp, CallCarriesDataBothWaysAndClearsCleanly)
{
    PlainLink net;
    Ptr<PptpServer> server = net.InstallServer([](PptpServerHelper& h) {
        h.SetAttribute("DataRate", DataRateValue(DataRate("2Mbps")));
        h.SetAttribute("FirstCallId", UintegerValue(500));
    });
    Ptr<PptpClient> client = net.InstallClient(1.0, [](PptpClientHelper& h) {
        h.SetAttribute("CallId", UintegerValue(77));
        h.SetAttribute("DataRate", DataRateValue(DataRate("1Mbps")));
        h.SetAttribute("CallDuration", TimeValue(Seconds(4)));
    });
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    EXPECT_TRUE(client->IsFinished()) << client->GetFailureReason();
    EXPECT_FALSE(client->IsFailed());
    EXPECT_TRUE(client->IsCallEstablished());
    EXPECT_EQ(client->GetServerCallId(), 500);
    EXPECT_EQ(client->GetReplyPeerCallId(), 77);
    EXPECT_EQ(client->GetDisconnectCallId(), 77);
    EXPECT_GT(client->GetSetupTime(), Seconds(0));
    EXPECT_LT(client->GetSetupTime(), Seconds(0.1));
    PptpCallStats c = client->GetStats();
    ASSERT_EQ(server->GetCalls().size(), 1u);
    PptpCallStats s = server->GetCalls()[0];
    EXPECT_EQ(s.localCallId, 500);
    EXPECT_EQ(s.peerCallId, 77);
    EXPECT_FALSE(s.active);
    // 1 Mbit/s of 1400-byte frames for 4 s: ~357 frames, all delivered.
    EXPECT_NEAR(static_cast<double>(c.txPackets), 4.0 * 1e6 / (1400 * 8), 3);
    EXPECT_EQ(s.rxPackets, c.txPackets);
    EXPECT_EQ(s.rxBytes, c.txBytes);
    EXPECT_EQ(s.rxLost, 0u);
    EXPECT_EQ(c.rxPackets, s.txPackets);
    EXPECT_EQ(c.rxLost, 0u);
    EXPECT_NEAR(s.RxThroughputBps(), 1e6, 2e4);
    EXPECT_NEAR(c.RxThroughputBps(), 2e6, 4e4);
    EXPECT_GT(c.acksReceived, 0u);
    EXPECT_EQ(client->GetForeignGre(), 0u);
    EXPECT_EQ(server->GetUnknownGre(), 0u);
    const auto& counts = server->GetMessageCounts();
    EXPECT_EQ(counts[PPTP_START_CONTROL_REQUEST], 1u);
    EXPECT_EQ(counts[PPTP_OUTGOING_CALL_REQUEST], 1u);
    EXPECT_EQ(counts[PPTP_SET_LINK_INFO], 1u);
    EXPECT_EQ(counts[PPTP_CALL_CLEAR_REQUEST], 1u);
    EXPECT_EQ(counts[PPTP_STOP_CONTROL_REQUEST], 1u);
    EXPECT_EQ(client->GetMessageCounts()[PPTP_CALL_DISCONNECT_NOTIFY], 1u);
    EXPECT_EQ(client->GetMessageCounts()[PPTP_STOP_CONTROL_REPLY], 1u);
    EXPECT_NE(client->GetSummary().find("finished"), std::string::npos);
}

TEST(PptpApp, LossOnTheLinkIsCountedFromSequenceNumbers)
{
    PlainLink net;
    Ptr<PptpServer> server = net.InstallServer();
    Ptr<PptpClient> client = net.InstallClient(1.0, [](PptpClientHelper& h) {
        h.SetAttribute("CallDuration", TimeValue(Seconds(3)));
    });
    // Drop every 10th GRE packet the client sends, at the server's device (by packet uid).
    Ptr<NetDevice> dev = net.devs.Get(1);
    uint32_t greSeen = 0;
    uint32_t dropped = 0;
    auto em = CreateObject<ListErrorModel>();
    std::list<uint32_t> drops;
    net.nodes.Get(0)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "SendOutgoing",
        Callback<void, const Ipv4Header&, Ptr<const Packet>, uint32_t>(
            [&](const Ipv4Header& h, Ptr<const Packet> p, uint32_t) {
                if (h.GetProtocol() == GRE_IP_PROTOCOL && ++greSeen % 10 == 0)
                {
                    drops.push_back(p->GetUid());
                    ++dropped;
                    em->SetList(drops);
                }
            }));
    dev->SetAttribute("ReceiveErrorModel", PointerValue(em));
    Simulator::Stop(Seconds(8));
    Simulator::Run();
    ASSERT_TRUE(client->IsFinished()) << client->GetFailureReason();
    PptpCallStats c = client->GetStats();
    PptpCallStats s = server->GetCalls().at(0);
    EXPECT_GT(dropped, 10u);
    EXPECT_EQ(s.rxPackets + dropped, c.txPackets);
    // The last packet(s) may be the dropped ones: the gap count only sees gaps before a
    // later arrival.
    EXPECT_GE(s.rxLost + 1, dropped);
    EXPECT_LE(s.rxLost, dropped);
    EXPECT_EQ(c.rxLost, 0u);
}

TEST(PptpApp, TeardownVariantsAndRefusedCall)
{
    for (auto mode : {PptpClient::STOP_CONTROL, PptpClient::CLOSE})
    {
        PlainLink net;
        Ptr<PptpServer> server = net.InstallServer();
        Ptr<PptpClient> client = net.InstallClient(0.5, [mode](PptpClientHelper& h) {
            h.SetAttribute("CallDuration", TimeValue(Seconds(1)));
            h.SetAttribute("Teardown", EnumValue(mode));
        });
        Simulator::Stop(Seconds(5));
        Simulator::Run();
        EXPECT_TRUE(client->IsFinished()) << client->GetFailureReason();
        ASSERT_EQ(server->GetCalls().size(), 1u);
        EXPECT_FALSE(server->GetCalls()[0].active) << "the server ended the call too";
        EXPECT_GT(server->GetCalls()[0].rxPackets, 0u);
        EXPECT_EQ(server->GetMessageCounts()[PPTP_CALL_CLEAR_REQUEST], 0u);
        EXPECT_EQ(server->GetMessageCounts()[PPTP_STOP_CONTROL_REQUEST],
                  mode == PptpClient::STOP_CONTROL ? 1u : 0u);
    }
    PlainLink net;
    net.InstallServer(
        [](PptpServerHelper& h) { h.SetAttribute("RefuseCalls", BooleanValue(true)); });
    Ptr<PptpClient> client = net.InstallClient(0.5);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_TRUE(client->IsFailed());
    EXPECT_EQ(client->GetFailureReason(), "call refused (result 2)");
    EXPECT_FALSE(client->IsCallEstablished());
}

TEST(PptpApp, NoServerTimesOut)
{
    PlainLink net;
    Ptr<PptpClient> client = net.InstallClient(0.5, [](PptpClientHelper& h) {
        h.SetAttribute("ReplyTimeout", TimeValue(Seconds(2)));
        h.SetAttribute("RemotePort", UintegerValue(1724));
    });
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    EXPECT_TRUE(client->IsFailed());
    // ns-3's TCP ignores the RST to its SYN and retries: the reply timeout fires first.
    EXPECT_EQ(client->GetFailureReason(), "timeout waiting for connection");
}

// ---- end to end through a FortiGate
// --------------------------------------------------------------

namespace
{

/// PPTP clients on the LAN (10.0.1.10 + i), the server on the WAN (198.51.100.7), interface
/// SNAT to 203.0.113.1.
struct PptpE2e
{
    std::unique_ptr<E2eTopology> topo;
    Ptr<FortiGateNode> fgt;
    Ptr<PptpServer> server;
    std::vector<Ptr<PptpClient>> clients;
    std::vector<std::pair<std::string, std::string>> closed; //!< (tuple, reason)

    PptpE2e(uint32_t n,
            bool helper,
            const std::function<void(PptpClientHelper&, uint32_t)>& tweak = nullptr,
            const std::function<void(PptpServerHelper&)>& tweakServer = nullptr)
    {
        TopologyOptions o;
        o.clients = n;
        topo = std::make_unique<E2eTopology>(o);
        FortiGateConfig cfg = E2eTopology::BaseConfig();
        cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true));
        if (!helper)
        {
            cfg.DeleteSessionHelper(1); // `config system session-helper / delete 1` (pptp)
        }
        fgt = topo->Install(cfg);
        topo->AssignStreams(100);
        fgt->TraceConnectWithoutContext("SessionClosed",
                                        Callback<void, const Session&, const std::string&>(
                                            [this](const Session& s, const std::string& why) {
                                                closed.emplace_back(s.org.tuple.ToString(), why);
                                            }));
        PptpServerHelper sh;
        if (tweakServer)
        {
            tweakServer(sh);
        }
        server = DynamicCast<PptpServer>(sh.Install(topo->server).Get(0));
        for (uint32_t i = 0; i < n; ++i)
        {
            PptpClientHelper ch{Ipv4Address(SERVER)};
            ch.SetAttribute("CallId", UintegerValue(1)); // all the same: they collide on the NAT
            ch.SetAttribute("CallSerial", UintegerValue(i + 1));
            ch.SetAttribute("CallDuration", TimeValue(Seconds(3)));
            if (tweak)
            {
                tweak(ch, i);
            }
            ApplicationContainer apps = ch.Install(topo->clients.Get(i));
            apps.Start(Seconds(1.0 + 0.2 * i));
            clients.push_back(DynamicCast<PptpClient>(apps.Get(0)));
        }
    }

    /// \return sessions of protocol \p proto
    std::vector<const Session*> Sessions(uint8_t proto) const
    {
        std::vector<const Session*> out;
        fgt->GetSessionTable().ForEach([&](const Session& s) {
            if (s.org.tuple.proto == proto)
            {
                out.push_back(&s);
            }
        });
        return out;
    }

    /// \return GRE pinholes
    size_t GrePinholes() const
    {
        size_t n = 0;
        for (const auto& e : fgt->GetExpectations().List())
        {
            n += e.proto == GRE_IP_PROTOCOL ? 1 : 0;
        }
        return n;
    }
};

} // namespace

TEST(PptpE2e, TunnelThroughSnatCarriesDataBothWaysWithTheHelper)
{
    PptpE2e net(1, true);
    size_t greDuringCall = 0;
    size_t pinholesDuringCall = 99;
    std::string diag;
    E2eTopology::At(3.0, [&]() {
        greDuringCall = net.Sessions(GRE_IP_PROTOCOL).size();
        pinholesDuringCall = net.GrePinholes();
        diag = net.fgt->Diagnose("diagnose sys session list");
    });
    net.topo->RunUntil(12);
    Ptr<PptpClient> c = net.clients[0];
    ASSERT_TRUE(c->IsFinished()) << c->GetFailureReason();
    ASSERT_EQ(net.server->GetCalls().size(), 1u);
    PptpCallStats s = net.server->GetCalls()[0];
    PptpCallStats cs = c->GetStats();
    EXPECT_EQ(s.peer, Ipv4Address(FGT_WAN)) << "the server sees the NAT address";
    EXPECT_EQ(s.peerCallId, 1);
    EXPECT_GT(cs.txPackets, 250u);
    EXPECT_EQ(s.rxPackets, cs.txPackets) << "client -> server: all delivered";
    // Server -> client: all, including the frames still on the way when the Call-Clear-Request
    // passed the FortiGate (the GRE session lasts until the Call-Disconnect-Notify).
    EXPECT_EQ(cs.rxPackets, s.txPackets) << "server -> client: all delivered";
    EXPECT_EQ(s.rxLost + cs.rxLost, 0u) << "no gap";
    EXPECT_EQ(greDuringCall, 1u) << "one GRE session for both directions";
    EXPECT_EQ(pinholesDuringCall, 0u) << "both pinholes used up by that session";
    EXPECT_NE(diag.find("proto=47"), std::string::npos) << diag;
    // GRE of a PPTP call, replied: 5 h (Linux's PPTP GRE stream timeout); control: 30 min.
    EXPECT_NE(diag.find(" timeout=18000 "), std::string::npos) << "GRE: 5 h\n" << diag;
    EXPECT_NE(diag.find(" timeout=1800 "), std::string::npos) << "control: 30 min\n" << diag;
    EXPECT_EQ(net.fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY), 0u);
}

TEST(PptpE2e, ServerFirstGreMakesTheSameSingleSession)
{
    // The server's frames reach the FortiGate before the client's: the server -> client pinhole
    // makes the session, its reply tuple and key come from the client -> server pinhole.
    PptpE2e net(
        2,
        true,
        [](PptpClientHelper& h, uint32_t) {
            h.SetAttribute("DataStartDelay", TimeValue(MilliSeconds(200)));
        },
        [](PptpServerHelper& h) { h.SetAttribute("DataStartDelay", TimeValue(MilliSeconds(5))); });
    std::vector<FlowTuple> org;
    E2eTopology::At(3.0, [&]() {
        for (const Session* s : net.Sessions(GRE_IP_PROTOCOL))
        {
            org.push_back(s->org.tuple);
        }
    });
    net.topo->RunUntil(12);
    ASSERT_EQ(org.size(), 2u);
    for (const auto& t : org)
    {
        EXPECT_EQ(t.src, Ip(SERVER)) << "the server opened it: " << t.ToString();
        EXPECT_EQ(t.dst, Ip(FGT_WAN));
    }
    auto calls = net.server->GetCalls();
    ASSERT_EQ(calls.size(), 2u);
    for (auto& c : net.clients)
    {
        ASSERT_TRUE(c->IsFinished()) << c->GetFailureReason();
        PptpCallStats cs = c->GetStats();
        const PptpCallStats& s = calls[0].localCallId == c->GetServerCallId() ? calls[0] : calls[1];
        EXPECT_GT(cs.txPackets, 200u);
        EXPECT_EQ(s.rxPackets, cs.txPackets);
        EXPECT_EQ(cs.rxPackets, s.txPackets);
        EXPECT_EQ(cs.rxLost + s.rxLost, 0u);
    }
}

TEST(PptpE2e, WithoutTheHelperGreComesBackNowhere)
{
    PptpE2e net(1, false);
    size_t pinholes = 99;
    uint32_t greTimeout = 0;
    E2eTopology::At(3.0, [&]() {
        pinholes = net.GrePinholes();
        auto gre = net.Sessions(GRE_IP_PROTOCOL);
        greTimeout = gre.empty() ? 0 : gre[0]->timeout;
    });
    net.topo->RunUntil(12);
    Ptr<PptpClient> c = net.clients[0];
    EXPECT_TRUE(c->IsFinished()) << c->GetFailureReason(); // the control connection works
    PptpCallStats s = net.server->GetCalls().at(0);
    PptpCallStats cs = c->GetStats();
    EXPECT_GT(cs.txPackets, 250u);
    EXPECT_EQ(s.rxPackets, cs.txPackets) << "client -> server passes (policy GRE session)";
    EXPECT_GT(s.txPackets, 250u);
    EXPECT_EQ(cs.rxPackets, 0u) << "server -> client finds no session and no pinhole";
    EXPECT_EQ(pinholes, 0u);
    EXPECT_EQ(greTimeout, 30u) << "policy GRE session, never replied: 30 s";
}

TEST(PptpE2e, CollidingCallIdsBehindOneNatAllCarryDataBothWays)
{
    PptpE2e net(3, true);
    std::vector<const Session*> gre;
    std::vector<FlowTuple> greOrg;
    std::vector<FlowTuple> greReply;
    E2eTopology::At(3.5, [&]() {
        for (const Session* s : net.Sessions(GRE_IP_PROTOCOL))
        {
            greOrg.push_back(s->org.tuple);
            greReply.push_back(s->reply.tuple);
        }
    });
    net.topo->RunUntil(14);
    auto calls = net.server->GetCalls();
    ASSERT_EQ(calls.size(), 3u);
    std::set<uint16_t> peerIds;
    for (const auto& call : calls)
    {
        peerIds.insert(call.peerCallId);
        EXPECT_EQ(call.peer, Ipv4Address(FGT_WAN));
    }
    EXPECT_EQ(peerIds.size(), 3u) << "three distinct Call IDs on one NAT address";
    EXPECT_EQ(peerIds.count(1), 1u) << "the first kept its own";
    for (uint32_t i = 0; i < 3; ++i)
    {
        Ptr<PptpClient> c = net.clients[i];
        ASSERT_TRUE(c->IsFinished()) << i << ": " << c->GetFailureReason();
        EXPECT_EQ(c->GetReplyPeerCallId(), 1) << "Peer's Call ID put back for client " << i;
        EXPECT_EQ(c->GetDisconnectCallId(), 1) << i;
        PptpCallStats cs = c->GetStats();
        const PptpCallStats* s = nullptr;
        for (const auto& call : calls)
        {
            s = call.localCallId == c->GetServerCallId() ? &call : s;
        }
        ASSERT_NE(s, nullptr);
        EXPECT_GT(cs.txPackets, 250u);
        EXPECT_EQ(s->rxPackets, cs.txPackets) << "client " << i << " -> server";
        EXPECT_EQ(cs.rxPackets, s->txPackets) << "server -> client " << i;
        EXPECT_EQ(cs.rxLost + s->rxLost, 0u);
        EXPECT_EQ(c->GetForeignGre(), 0u) << "no other client's frames";
    }
    // Three GRE sessions, each with its own pair of keys.
    ASSERT_EQ(greOrg.size(), 3u);
    std::set<uint16_t> keys;
    for (size_t i = 0; i < 3; ++i)
    {
        keys.insert(greOrg[i].dport);
        keys.insert(greReply[i].dport);
    }
    EXPECT_EQ(keys.size(), 6u);
}

TEST(PptpE2e, CallClearClosesTheGreSessionWhileTheControlStays)
{
    PptpE2e net(1, true, [](PptpClientHelper& h, uint32_t) {
        h.SetAttribute("LingerTime", TimeValue(Seconds(3)));
    });
    size_t greAt3 = 0;
    size_t greAt6 = 99;
    size_t pinholesAt6 = 99;
    size_t tcpAt6 = 0;
    E2eTopology::At(3.0, [&]() { greAt3 = net.Sessions(GRE_IP_PROTOCOL).size(); });
    // The call clears at ~4 s; the control connection stops at ~7 s.
    E2eTopology::At(6.0, [&]() {
        greAt6 = net.Sessions(GRE_IP_PROTOCOL).size();
        pinholesAt6 = net.GrePinholes();
        tcpAt6 = net.Sessions(IPPROTO_NUM_TCP).size();
    });
    net.topo->RunUntil(12);
    ASSERT_TRUE(net.clients[0]->IsFinished()) << net.clients[0]->GetFailureReason();
    EXPECT_EQ(greAt3, 1u);
    EXPECT_EQ(greAt6, 0u) << "closed by Call-Clear-Request";
    EXPECT_EQ(pinholesAt6, 0u);
    EXPECT_EQ(tcpAt6, 1u) << "the control connection is still up";
    bool helperClose = false;
    for (const auto& [tuple, why] : net.closed)
    {
        helperClose = helperClose || (tuple.rfind("47 ", 0) == 0 && std::string(why) == "helper");
    }
    EXPECT_TRUE(helperClose);
}

TEST(PptpE2e, ControlConnectionEndClosesTheGreSessions)
{
    // The client closes the TCP connection without any PPTP message; the server's GRE keeps
    // coming until it notices. The GRE session follows the control session out.
    PptpE2e net(2, true, [](PptpClientHelper& h, uint32_t) {
        h.SetAttribute("Teardown", EnumValue(PptpClient::CLOSE));
    });
    size_t greAt3 = 0;
    E2eTopology::At(3.0, [&]() { greAt3 = net.Sessions(GRE_IP_PROTOCOL).size(); });
    net.topo->RunUntil(12);
    EXPECT_EQ(greAt3, 2u);
    EXPECT_TRUE(net.Sessions(GRE_IP_PROTOCOL).empty());
    EXPECT_TRUE(net.Sessions(IPPROTO_NUM_TCP).empty());
    size_t parentCloses = 0;
    for (const auto& [tuple, why] : net.closed)
    {
        parentCloses += tuple.rfind("47 ", 0) == 0 && std::string(why) == "parent" ? 1 : 0;
    }
    EXPECT_EQ(parentCloses, 2u) << "both GRE sessions closed with their control session";
    for (auto& c : net.clients)
    {
        EXPECT_TRUE(c->IsFinished());
        EXPECT_GT(c->GetStats().rxPackets, 0u);
    }
}

TEST(PptpE2e, StopControlAndRefusedCallsLeaveNothingBehind)
{
    {
        PptpE2e net(1, true, [](PptpClientHelper& h, uint32_t) {
            h.SetAttribute("Teardown", EnumValue(PptpClient::STOP_CONTROL));
        });
        size_t greAt45 = 99;
        E2eTopology::At(4.5, [&]() { greAt45 = net.Sessions(GRE_IP_PROTOCOL).size(); });
        net.topo->RunUntil(10);
        EXPECT_TRUE(net.clients[0]->IsFinished()) << net.clients[0]->GetFailureReason();
        EXPECT_EQ(greAt45, 0u) << "Stop-Control-Connection tore the call down";
        EXPECT_GT(net.clients[0]->GetStats().rxPackets, 0u);
    }
    {
        PptpE2e net(1, true, nullptr, [](PptpServerHelper& h) {
            h.SetAttribute("RefuseCalls", BooleanValue(true));
        });
        size_t pinholesAt2 = 99;
        E2eTopology::At(2.0, [&]() { pinholesAt2 = net.GrePinholes(); });
        net.topo->RunUntil(6);
        EXPECT_TRUE(net.clients[0]->IsFailed());
        EXPECT_EQ(pinholesAt2, 0u);
        EXPECT_TRUE(net.Sessions(GRE_IP_PROTOCOL).empty());
    }
}

TEST(PptpE2e, MalformedControlTrafficOpensNothingAndPassesUnchanged)
{
    TopologyOptions o;
    o.clients = 1;
    E2eTopology topo(o);
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    TcpServerEndpoint sink(topo.server, PPTP_CONTROL_PORT);
    // Bytes the server receives, to compare with what was sent.
    std::vector<uint8_t> received;
    DeliveryLog log(topo.server);
    TcpClientEndpoint client(topo.clients.Get(0));
    client.ConnectAt(1.0, Ipv4Address(SERVER), PPTP_CONTROL_PORT);
    std::vector<uint8_t> bad = Msg(Ocrq(1));
    bad[4] = 0; // wrong magic cookie
    std::vector<uint8_t> lie = Msg(Ocrq(1));
    lie[1] = 32; // Length of another type
    std::vector<uint8_t> sent = Cat(bad, lie);
    E2eTopology::At(1.5,
                    [&]() { client.GetSocket()->Send(Create<Packet>(bad.data(), bad.size())); });
    E2eTopology::At(1.7,
                    [&]() { client.GetSocket()->Send(Create<Packet>(lie.data(), lie.size())); });
    size_t pinholes = 99;
    E2eTopology::At(2.5, [&]() { pinholes = fgt->GetExpectations().Size(); });
    topo.RunUntil(4);
    EXPECT_EQ(pinholes, 0u);
    EXPECT_EQ(sink.bytes, sent.size());
    for (const auto* d : log.OfProto(IPPROTO_NUM_TCP))
    {
        TcpHeader tcp;
        Ptr<Packet> p = d->packet->Copy();
        p->RemoveHeader(tcp);
        if (p->GetSize() == 0)
        {
            continue;
        }
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), b.size());
        received.insert(received.end(), b.begin(), b.end());
    }
    EXPECT_EQ(received, sent) << "forwarded untouched";
}
