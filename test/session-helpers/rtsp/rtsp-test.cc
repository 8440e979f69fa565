/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * RTSP: the message parser (corpus capture rtsp.pcap, accepted forms, offsets used for NAT
 * rewriting, malformed input, random input), the rtsp session helper driven through
 * HelperContext (SNAT and VIP rewrites, pinholes, their narrowing, TEARDOWN, segmentation,
 * malformed SETUPs), and end-to-end streams through a FortiGate with and without the helper.
 */
#include "corpus.h"
#include "e2e-topology.h"
#include "fake-helper-host.h"

#include "ns3/expectation-table.h"
#include "ns3/packet-view.h"
#include "ns3/rtsp-helper.h"
#include "ns3/rtsp-parser.h"
#include "ns3/rtsp-session-helper.h"
#include "ns3/session-helper.h"
#include "ns3/session-table.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

uint32_t
Addr(const char* s)
{
    uint32_t a = 0;
    EXPECT_TRUE(ParseIpv4(s, a)) << s;
    return a;
}

/// Parse \p s from an exactly-sized heap copy (a read past the end shows under sanitizers).
RtspParseStatus
Parse(const std::string& s, RtspMessage& msg, std::string* error = nullptr)
{
    std::vector<uint8_t> buf(s.begin(), s.end());
    return ParseRtspMessage(buf.data(), buf.size(), msg, error);
}

/// \return the text of \p r in \p s
std::string
At(const std::string& s, const RtspTextRef& r)
{
    return s.substr(r.offset, r.length);
}

/// A SETUP request with the given Transport value.
std::string
SetupRequest(const std::string& transport, uint32_t cseq = 3, const std::string& extra = "")
{
    return "SETUP rtsp://198.51.100.7/media/trackID=0 RTSP/1.0\r\nCSeq: " + std::to_string(cseq) +
           "\r\nTransport: " + transport + "\r\n" + extra + "\r\n";
}

/// A 200 reply to a SETUP.
std::string
SetupReply(const std::string& transport, uint32_t cseq = 3, const std::string& session = "abc123")
{
    return "RTSP/1.0 200 OK\r\nCSeq: " + std::to_string(cseq) + "\r\nTransport: " + transport +
           "\r\nSession: " + session + ";timeout=60\r\n\r\n";
}

// ---- the corpus capture ---------------------------------------------------------------------

/// One TCP segment with payload.
struct Segment
{
    PacketView view;
    std::string payload;
};

/// Every distinct TCP segment with payload of rtsp.pcap (retransmissions dropped).
std::vector<Segment>
CorpusSegments()
{
    std::vector<Segment> out;
    std::set<std::tuple<uint32_t, uint16_t, uint32_t, std::size_t>> seen;
    for (const CorpusPacket& p : CorpusPackets("rtsp.pcap", IPPROTO_NUM_TCP))
    {
        if (p.payload.empty())
        {
            continue;
        }
        auto key =
            std::make_tuple(p.view.tuple.src, p.view.tuple.sport, p.view.tcpSeq, p.payload.size());
        if (!seen.insert(key).second)
        {
            continue; // the capture holds every segment several times (any-interface capture)
        }
        out.push_back(Segment{p.view, std::string(p.payload.begin(), p.payload.end())});
    }
    return out;
}

// ---- driving the helper without a simulation ------------------------------------------------

/**
 * A control session through a FortiGate and a pinhole table standing in for the datapath.
 * snat: client 10.0.1.2:40000 -> server 198.51.100.7:554, NATed to 203.0.113.10.
 * vip:  client 198.51.100.7:40000 -> VIP 203.0.113.100:554 -> server 10.0.2.2:554.
 */
/// The datapath's port choice: the preferred port (20000 for none) or the next one up that no
/// pinhole of the same protocol and address and no port of taken holds.
struct RtspHost : FakeHelperHost
{
    uint16_t AllocatePort(uint8_t proto, uint32_t ip, uint16_t preferred) override
    {
        auto used = [&](uint16_t p) {
            if (taken.count(p))
            {
                return true;
            }
            for (const auto& e : pins.List())
            {
                if (e.proto == proto && e.dst == ip && e.dport == p)
                {
                    return true;
                }
            }
            return false;
        };
        uint16_t p = preferred ? preferred : 20000;
        while (used(p))
        {
            ++p;
        }
        return p;
    }
};

struct HelperFixture
{
    SessionTable table;
    Session* s{nullptr};
    RtspHost host;
    ExpectationTable& pins{host.pins};
    std::set<uint16_t>& taken{host.taken}; //!< ports in use on any translated address
    RtspSessionHelper helper;
    uint32_t seq[2]{1000, 5000};

    explicit HelperFixture(bool vip = false)
    {
        FlowTuple org;
        FlowTuple reply;
        if (!vip)
        {
            org = FlowTuple{Addr("10.0.1.2"), Addr("198.51.100.7"), 40000, 554, 6};
            reply = FlowTuple{Addr("198.51.100.7"), Addr("203.0.113.10"), 554, 40000, 6};
        }
        else
        {
            org = FlowTuple{Addr("198.51.100.7"), Addr("203.0.113.100"), 40000, 554, 6};
            reply = FlowTuple{Addr("10.0.2.2"), Addr("198.51.100.7"), 554, 40000, 6};
        }
        s = table.Insert(org, reply, 0, 10);
        s->policyId = 7;
        s->inIf[0] = 0;
        s->inIf[1] = 1;
    }

    /**
     * Run the helper over one segment \p text in direction \p dir at the direction's next
     * sequence number (or \p atSeq); \return the payload as it leaves.
     */
    std::string Run(SessionDir dir, const std::string& text, int64_t atSeq = -1)
    {
        const int d = static_cast<int>(dir);
        PacketView v;
        v.tuple = s->Tuple(dir);
        v.tcpSeq = atSeq >= 0 ? static_cast<uint32_t>(atSeq) : seq[d];
        v.tcpFlags = 0x18;
        v.l4Valid = true;
        if (atSeq < 0)
        {
            seq[d] += static_cast<uint32_t>(text.size());
        }
        std::vector<uint8_t> bytes(text.begin(), text.end());
        HelperContext ctx(host, *s, dir, v, bytes.data(), bytes.size(), s->Translated(dir), 0);
        helper.Inspect(ctx);
        auto out = ctx.editor.Apply(bytes.data(), bytes.size());
        return std::string(out.begin(), out.end());
    }

    /// The SYN of each direction (message boundaries start after it).
    void Syn()
    {
        for (SessionDir dir : {SessionDir::ORIGINAL, SessionDir::REPLY})
        {
            const int d = static_cast<int>(dir);
            PacketView v;
            v.tuple = s->Tuple(dir);
            v.tcpSeq = seq[d] - 1;
            v.tcpFlags = 0x02;
            v.l4Valid = true;
            HelperContext ctx(host, *s, dir, v, nullptr, 0, s->Translated(dir), 0);
            helper.Inspect(ctx);
        }
    }

    /// \return the pinholes whose dport is \p port
    std::vector<Expectation> ToPort(uint16_t port) const
    {
        std::vector<Expectation> r;
        for (const auto& e : pins.List())
        {
            if (e.dport == port)
            {
                r.push_back(e);
            }
        }
        return r;
    }
};

} // namespace

// ---- parser ---------------------------------------------------------------------------------

TEST(RtspParser, CorpusCaptureParsesEveryMessageWithExactOffsets)
{
    std::vector<Segment> segs = CorpusSegments();
    ASSERT_GT(segs.size(), 20u);
    std::map<std::string, int> methods;
    int replies = 0;
    int bodiesPending = 0;
    bool sawSetup = false;
    bool sawSetupReply = false;
    for (const Segment& seg : segs)
    {
        RtspMessage msg;
        std::string error;
        const std::string& p = seg.payload;
        RtspParseStatus st = Parse(p, msg, &error);
        if (p.rfind("v=0", 0) == 0)
        {
            continue; // the SDP body of a DESCRIBE reply, in its own segment
        }
        ASSERT_NE(st, RtspParseStatus::INVALID) << error << "\n" << p;
        if (st == RtspParseStatus::INCOMPLETE)
        {
            // Only the DESCRIBE replies, whose SDP follows in the next segment.
            EXPECT_TRUE(msg.headersComplete);
            EXPECT_EQ(msg.contentLength, 695u);
            EXPECT_EQ(msg.length, p.size() + 695);
            ++bodiesPending;
            continue;
        }
        EXPECT_EQ(msg.length, p.size());
        EXPECT_TRUE(msg.hasCSeq);
        if (msg.request)
        {
            ++methods[msg.method];
            EXPECT_EQ(msg.uri.rfind("rtsp://10.2.2.2:8554/", 0), 0u);
        }
        else
        {
            ++replies;
            EXPECT_EQ(msg.statusCode, 200);
        }
        const bool conn52472 = seg.view.tuple.sport == 52472 || seg.view.tuple.dport == 52472;
        if (conn52472 && msg.request && msg.method == "SETUP" && msg.cseq == 4)
        {
            sawSetup = true;
            ASSERT_EQ(msg.transports.size(), 1u);
            const RtspTransportSpec& t = msg.transports[0];
            EXPECT_EQ(t.protocol, "RTP");
            EXPECT_EQ(t.profile, "AVP");
            EXPECT_EQ(t.lowerTransport, "UDP");
            EXPECT_TRUE(t.unicastGiven);
            EXPECT_TRUE(t.IsUdpUnicast());
            ASSERT_TRUE(t.clientPort.present);
            EXPECT_EQ(t.clientPort.lo, 55664);
            EXPECT_EQ(t.clientPort.hi, 55665);
            EXPECT_EQ(At(p, t.clientPort.text), "55664-55665");
            EXPECT_FALSE(t.serverPort.present);
        }
        if (conn52472 && !msg.request && msg.cseq == 4)
        {
            sawSetupReply = true;
            ASSERT_EQ(msg.transports.size(), 1u);
            const RtspTransportSpec& t = msg.transports[0];
            EXPECT_EQ(At(p, t.clientPort.text), "55664-55665");
            EXPECT_EQ(t.serverPort.lo, 58547);
            EXPECT_EQ(t.serverPort.hi, 58548);
            EXPECT_EQ(At(p, t.serverPort.text), "58547-58548");
            EXPECT_EQ(t.ssrc, "B1964B48");
            EXPECT_EQ(t.mode, "play");
            EXPECT_EQ(msg.session, "8c30e102191f49d1");
            EXPECT_EQ(msg.sessionTimeout, 60u);
        }
    }
    EXPECT_TRUE(sawSetup);
    EXPECT_TRUE(sawSetupReply);
    EXPECT_GE(methods["OPTIONS"], 2);
    EXPECT_GE(methods["DESCRIBE"], 2);
    EXPECT_GE(methods["SETUP"], 4);
    EXPECT_GE(methods["PLAY"], 2);
    EXPECT_GE(replies, 8);
    EXPECT_GE(bodiesPending, 2);
}

TEST(RtspParser, AcceptedFormsAndOffsets)
{
    // LF-only line ends, case-insensitive names, several specifications, quoted mode.
    std::string s = "SETUP rtsp://h/a RTSP/1.0\n"
                    "cseq:   12  \n"
                    "transport: RTP/AVP/TCP;interleaved=0-1, rtp/avp;unicast;"
                    "destination=10.0.1.2;client_port = 5000 ;mode=\"PLAY\","
                    "RTP/AVP/UDP;multicast;port=6000-6001;ttl=16\n"
                    "Session: 0123abcd;timeout=30\n\n";
    RtspMessage m;
    std::string error;
    ASSERT_EQ(Parse(s, m, &error), RtspParseStatus::COMPLETE) << error;
    EXPECT_EQ(m.length, s.size());
    EXPECT_EQ(m.cseq, 12u);
    EXPECT_EQ(m.session, "0123abcd");
    EXPECT_EQ(m.sessionTimeout, 30u);
    ASSERT_EQ(m.transports.size(), 3u);
    EXPECT_EQ(m.transports[0].lowerTransport, "TCP");
    EXPECT_TRUE(m.transports[0].hasInterleaved);
    EXPECT_EQ(m.transports[0].interleavedHi, 1);
    EXPECT_FALSE(m.transports[0].IsUdpUnicast());
    const RtspTransportSpec& u = m.transports[1];
    EXPECT_TRUE(u.IsUdpUnicast());
    EXPECT_EQ(u.clientPort.lo, 5000);
    EXPECT_EQ(u.clientPort.hi, 5000);
    EXPECT_FALSE(u.clientPort.hasHi);
    EXPECT_EQ(At(s, u.clientPort.text), "5000");
    EXPECT_EQ(At(s, u.destinationText), "10.0.1.2");
    EXPECT_EQ(u.mode, "PLAY");
    EXPECT_EQ(At(s, u.text),
              "rtp/avp;unicast;destination=10.0.1.2;client_port = 5000 ;mode=\"PLAY\"");
    EXPECT_TRUE(m.transports[2].multicast);
    EXPECT_EQ(m.transports[2].port.lo, 6000);
    EXPECT_EQ(m.transports[2].ttl, 16);

    // Reply with a body; source= offsets; the start of the next message.
    std::string body = "v=0\r\ns=x\r\n";
    std::string r = "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nTransport: RTP/AVP;unicast;client_port=5000-5001;"
                    "server_port=6970-6971;source=10.0.2.2;ssrc=1A2b\r\n\r\n" +
                    body + "RTSP/1.0 200 OK\r\nCSeq: 3\r\n\r\n";
    ASSERT_EQ(Parse(r, m, &error), RtspParseStatus::COMPLETE) << error;
    EXPECT_FALSE(m.request);
    EXPECT_EQ(m.statusCode, 200);
    EXPECT_EQ(m.reason, "OK");
    EXPECT_EQ(m.Body(reinterpret_cast<const uint8_t*>(r.data())), body);
    EXPECT_EQ(r.substr(m.length, 8), "RTSP/1.0");
    EXPECT_EQ(At(r, m.transports[0].serverPort.text), "6970-6971");
    EXPECT_EQ(At(r, m.transports[0].sourceText), "10.0.2.2");
    ASSERT_NE(m.Find("content-length"), nullptr);

    // Interleaved binary frame.
    std::string frame("$\x01\x00\x03"
                      "abc"
                      "OPTIONS",
                      14);
    ASSERT_EQ(Parse(frame, m), RtspParseStatus::COMPLETE);
    EXPECT_TRUE(m.interleavedFrame);
    EXPECT_EQ(m.channel, 1);
    EXPECT_EQ(m.length, 7u);

    // Builders produce what the parser reads.
    std::string req = BuildRtspRequest("PLAY", "rtsp://h/a", 9, {{"Session", "S1"}});
    ASSERT_EQ(Parse(req, m), RtspParseStatus::COMPLETE);
    EXPECT_EQ(m.method, "PLAY");
    EXPECT_EQ(m.cseq, 9u);
    EXPECT_EQ(m.session, "S1");
    std::string rep = BuildRtspReply(454, 9, {}, "x");
    ASSERT_EQ(Parse(rep, m), RtspParseStatus::COMPLETE);
    EXPECT_EQ(m.statusCode, 454);
    EXPECT_EQ(m.reason, "Session Not Found");
    EXPECT_EQ(m.contentLength, 1u);
}

TEST(RtspParser, BadTransportRangesAndValuesAreInvalid)
{
    for (const std::string& t : std::vector<std::string>{
             "RTP/AVP;unicast;client_port=70000-70001",                     // out of range
             "RTP/AVP;unicast;client_port=5000-4000",                       // hi < lo
             "RTP/AVP;unicast;client_port=0-1",                             // port 0
             "RTP/AVP;unicast;client_port=5000-5010",                       // too wide
             "RTP/AVP;unicast;client_port=",                                // missing value
             "RTP/AVP;unicast;client_port",                                 // missing value
             "RTP/AVP;unicast;client_port=-5001",                           // missing lo
             "RTP/AVP;unicast;client_port=5000-",                           // missing hi
             "RTP/AVP;unicast;client_port=+5000",                           // sign
             "RTP/AVP;unicast;client_port=50a0-50a1",                       // not decimal
             "RTP/AVP;unicast;client_port=005000-005001",                   // more than five digits
             "RTP/AVP;unicast;client_port=5000-5001;client_port=6000-6001", // twice
             "RTP/AVP;unicast;server_port=65535-65536",
             "RTP/AVP;unicast;multicast;client_port=5000-5001",
             "RTP/AVP;destination=;client_port=5000-5001",
             "RTP/AVP;destination=a b;client_port=5000-5001",
             "RTP/AVP;source;client_port=5000-5001",
             "RTP/AVP;interleaved=300-301",
             "RTP/AVP;ttl=0",
             "RTP/AVP;ssrc=123456789",
             "RTP/AVP;mode=\"PLAY",
             "RTP/AVP;unicast=yes",
             "RTP;unicast;client_port=5000-5001",
             "RTP/AVP/SCTP;unicast;client_port=5000-5001",
             "RTP/AVP;unicast;client_port=5000-5001,,RTP/AVP",
             "RTP/AVP;unicast;client_port=5000-5001,",
             ""})
    {
        RtspMessage m;
        std::string error;
        EXPECT_EQ(Parse(SetupRequest(t), m, &error), RtspParseStatus::INVALID) << t;
        EXPECT_FALSE(error.empty()) << t;
    }
    uint16_t lo = 0;
    uint16_t hi = 0;
    bool hasHi = false;
    EXPECT_TRUE(ParseRtspPortRange("65532-65535", lo, hi, hasHi));
    EXPECT_EQ(hi, 65535);
    EXPECT_FALSE(ParseRtspPortRange("65535-65536", lo, hi, hasHi));
    EXPECT_FALSE(ParseRtspPortRange("1 - 2", lo, hi, hasHi));
}

TEST(RtspParser, MalformedAndShortMessages)
{
    for (const std::string& s : std::vector<std::string>{
             "SETUP rtsp://h/a RTSP/1.0\r\nCSeq: 1\r\nX: " +
                 std::string(RTSP_MAX_LINE_LENGTH, 'a') + "\r\n\r\n", // overlong line
             "SETUP rtsp://h/a RTSP/1.0\r\n" + std::string(RTSP_MAX_LINE_LENGTH + 5, 'b'), // no end
             "SETUP rtsp://h/a RTSP/1.0\r\nCSeq: 1\r\n Transport: x\r\n\r\n",              // folded
             "SETUP rtsp://h/a RTSP/1.0\r\nCSeq: one\r\n\r\n",
             "SETUP rtsp://h/a RTSP/1.0\r\nCSeq: 1\r\nCSeq: 2\r\n\r\n",
             "SETUP rtsp://h/a RTSP/1.0\r\nCSeq: 99999999999\r\n\r\n",
             "SETUP rtsp://h/a RTSP/1.0\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
             "SETUP rtsp://h/a RTSP/1.0\r\nContent-Length: 99999999\r\n\r\n",
             "SETUP rtsp://h/a RTSP/1.0\r\nContent-Length: -1\r\n\r\n",
             "SETUP rtsp://h/a RTSP/1.0\r\nSession: \r\n\r\n",
             "SETUP rtsp://h/a RTSP/1.0\r\nSession: a b\r\n\r\n",
             "SETUP rtsp://h/a RTSP/1.0\r\nNo colon here\r\n\r\n",
             std::string("SETUP rtsp://h/a RTSP/1.0\r\nCSeq: 1\0\r\n\r\n", 38), // NUL
             "SETUP rtsp://h/a RTSP/1.0\r\nCSeq: 1\rX: y\r\n\r\n",              // bare CR
             "SETUP  rtsp://h/a RTSP/1.0\r\n\r\n",
             "SETUP rtsp://h/a RTSP/2.0\r\n\r\n",
             "SETUP rtsp://h/a\r\n\r\n",
             "RTSP/1.0 20 OK\r\n\r\n",
             "RTSP/1.0 2000 OK\r\n\r\n",
             "RTSP/1.1 200 OK\r\n\r\n",
             "\r\n\r\n",
             "GET / HTTP/1.1\r\n\r\n"})
    {
        RtspMessage m;
        std::string error;
        EXPECT_EQ(Parse(s, m, &error), RtspParseStatus::INVALID) << s.substr(0, 80);
        EXPECT_FALSE(error.empty());
    }
    // Every proper prefix of a valid message is incomplete (never invalid, never complete).
    std::string full =
        SetupRequest("RTP/AVP;unicast;client_port=5000-5001", 4, "Content-Length: 3\r\n") + "abc";
    for (std::size_t n = 0; n < full.size(); ++n)
    {
        RtspMessage m;
        EXPECT_EQ(Parse(full.substr(0, n), m), RtspParseStatus::INCOMPLETE) << n;
    }
    RtspMessage m;
    EXPECT_EQ(Parse(full, m), RtspParseStatus::COMPLETE);
}

TEST(RtspParser, RandomInputNeverReadsPastTheBuffer)
{
    std::mt19937 rng(2326);
    const std::vector<std::string> seeds{
        SetupRequest("RTP/AVP;unicast;client_port=5000-5001;destination=10.0.1.2"),
        SetupReply(
            "RTP/AVP/UDP;unicast;client_port=5000-5001;server_port=6970-6971;source=1.2.3.4"),
        "DESCRIBE rtsp://h/a RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 4\r\n\r\nv=0\n",
        std::string("$\x00\x00\x10", 4) + std::string(16, 'x')};
    const std::string alphabet = "0123456789-;=,:/\r\n \"$ARTSPclient_port";
    int complete = 0;
    for (int iter = 0; iter < 20000; ++iter)
    {
        std::string s = seeds[iter % seeds.size()];
        int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits && !s.empty(); ++e)
        {
            std::size_t pos = rng() % s.size();
            switch (rng() % 4)
            {
            case 0:
                s[pos] = alphabet[rng() % alphabet.size()];
                break;
            case 1:
                s.erase(pos, 1 + rng() % 3);
                break;
            case 2:
                s.insert(pos, 1, alphabet[rng() % alphabet.size()]);
                break;
            default:
                s.resize(pos);
                break;
            }
        }
        RtspMessage m;
        RtspParseStatus st = Parse(s, m);
        if (st == RtspParseStatus::COMPLETE)
        {
            ++complete;
            ASSERT_LE(m.length, s.size());
            for (const RtspTransportSpec& t : m.transports)
            {
                for (const RtspTextRef& r :
                     {t.text, t.clientPort.text, t.serverPort.text, t.destinationText})
                {
                    ASSERT_LE(r.offset + r.length, s.size());
                }
                if (t.clientPort.present)
                {
                    ASSERT_LE(t.clientPort.lo, t.clientPort.hi);
                    ASSERT_LE(t.clientPort.hi - t.clientPort.lo, RTSP_MAX_PORT_SPAN);
                    ASSERT_GE(t.clientPort.lo, 1);
                }
            }
        }
    }
    EXPECT_GT(complete, 100); // the mutations do not all destroy the messages
}

// ---- session helper -------------------------------------------------------------------------

TEST(RtspSessionHelper, RegisteredAsRtsp)
{
    Ptr<SessionHelper> h = SessionHelperRegistry::Create("rtsp");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->GetName(), "rtsp");
}

TEST(RtspSessionHelper, SetupUnderSnatKeepsFreePortsAndOpensRtpRtcpPinholes)
{
    HelperFixture f;
    f.Syn();
    std::string setup = SetupRequest("RTP/AVP;unicast;client_port=5000-5001");
    EXPECT_EQ(f.Run(SessionDir::ORIGINAL, setup), setup); // free on 203.0.113.10: kept
    ASSERT_EQ(f.pins.Size(), 2u);
    for (uint16_t k = 0; k < 2; ++k)
    {
        auto v = f.ToPort(static_cast<uint16_t>(5000 + k));
        ASSERT_EQ(v.size(), 1u);
        const Expectation& e = v[0];
        EXPECT_EQ(e.proto, IPPROTO_NUM_UDP);
        EXPECT_EQ(e.src, Addr("198.51.100.7"));
        EXPECT_EQ(e.sport, 0); // not known before the reply
        EXPECT_EQ(e.dst, Addr("203.0.113.10"));
        EXPECT_EQ(e.natDst, Addr("10.0.1.2"));
        EXPECT_EQ(e.natDport, 0); // unchanged
        EXPECT_EQ(e.natSrc, 0u);
        EXPECT_EQ(e.policyId, 7u);
        EXPECT_EQ(e.parentSerial, f.s->serial);
        EXPECT_EQ(e.helper, "rtsp");
        EXPECT_EQ(e.expiresNs, int64_t(RtspSessionHelper::PINHOLE_TIMEOUT) * 1000000000LL);
    }
    // The reply narrows the pinholes to the server's ports.
    std::string reply =
        SetupReply("RTP/AVP/UDP;unicast;client_port=5000-5001;server_port=6970-6971;ssrc=1");
    EXPECT_EQ(f.Run(SessionDir::REPLY, reply), reply);
    ASSERT_EQ(f.pins.Size(), 2u);
    EXPECT_EQ(f.ToPort(5000).at(0).sport, 6970);
    EXPECT_EQ(f.ToPort(5001).at(0).sport, 6971);
    // A media packet from the server matches; one from another port does not.
    Expectation got;
    FlowTuple other{Addr("198.51.100.7"), Addr("203.0.113.10"), 7000, 5000, 17};
    EXPECT_FALSE(f.pins.Match(other, 1, &got));
    FlowTuple rtp{Addr("198.51.100.7"), Addr("203.0.113.10"), 6970, 5000, 17};
    EXPECT_TRUE(f.pins.Match(rtp, 1, &got));
}

TEST(RtspSessionHelper, TakenPortsAndDestinationAreRewrittenBothWays)
{
    HelperFixture f;
    f.taken = {5000};
    std::string out =
        f.Run(SessionDir::ORIGINAL,
              SetupRequest("RTP/AVP;unicast;destination=10.0.1.2;client_port=5000-5001"));
    EXPECT_EQ(out, SetupRequest("RTP/AVP;unicast;destination=203.0.113.10;client_port=5002-5003"));
    ASSERT_EQ(f.pins.Size(), 2u);
    EXPECT_EQ(f.ToPort(5002).at(0).natDport, 5000);
    EXPECT_EQ(f.ToPort(5003).at(0).natDport, 5001);
    EXPECT_EQ(f.ToPort(5003).at(0).natDst, Addr("10.0.1.2"));
    // The server echoes the translated values; the client gets its own back.
    std::string reply = f.Run(SessionDir::REPLY,
                              SetupReply("RTP/AVP/UDP;unicast;destination=203.0.113.10;"
                                         "client_port=5002-5003;server_port=6970-6971"));
    EXPECT_EQ(reply,
              SetupReply("RTP/AVP/UDP;unicast;destination=10.0.1.2;"
                         "client_port=5000-5001;server_port=6970-6971"));
    EXPECT_EQ(f.ToPort(5002).at(0).sport, 6970);
    // A retransmitted SETUP (same sequence number) is rewritten the same way again.
    std::string again =
        f.Run(SessionDir::ORIGINAL,
              SetupRequest("RTP/AVP;unicast;destination=10.0.1.2;client_port=5000-5001"),
              1000);
    EXPECT_EQ(again,
              SetupRequest("RTP/AVP;unicast;destination=203.0.113.10;client_port=5002-5003"));
    EXPECT_EQ(f.pins.Size(), 2u);
}

TEST(RtspSessionHelper, TeardownRemovesThePinholesOfItsSession)
{
    HelperFixture f;
    f.Run(SessionDir::ORIGINAL, SetupRequest("RTP/AVP;unicast;client_port=5000-5001", 3));
    f.Run(SessionDir::REPLY,
          SetupReply("RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971", 3, "S1"));
    f.Run(SessionDir::ORIGINAL,
          SetupRequest("RTP/AVP;unicast;client_port=5002-5003", 4, "Session: S1\r\n"));
    f.Run(SessionDir::REPLY,
          SetupReply("RTP/AVP;unicast;client_port=5002-5003;server_port=6972-6973", 4, "S1"));
    EXPECT_EQ(f.pins.Size(), 4u);
    f.Run(SessionDir::ORIGINAL,
          "TEARDOWN rtsp://198.51.100.7/media RTSP/1.0\r\nCSeq: 5\r\n"
          "Session: OTHER\r\n\r\n");
    EXPECT_EQ(f.pins.Size(), 4u); // another session's id removes nothing
    f.Run(SessionDir::ORIGINAL,
          "TEARDOWN rtsp://198.51.100.7/media RTSP/1.0\r\nCSeq: 6\r\n"
          "Session: S1\r\n\r\n");
    EXPECT_EQ(f.pins.Size(), 0u);
}

TEST(RtspSessionHelper, FailedSetupAndUnchosenAlternativesLoseTheirPinholes)
{
    HelperFixture f;
    f.Run(SessionDir::ORIGINAL, SetupRequest("RTP/AVP;unicast;client_port=5000-5001", 3));
    EXPECT_EQ(f.pins.Size(), 2u);
    f.Run(SessionDir::REPLY, "RTSP/1.0 461 Unsupported transport\r\nCSeq: 3\r\n\r\n");
    EXPECT_EQ(f.pins.Size(), 0u);
    // Two offers with different ports: the reply picks the second.
    f.Run(SessionDir::ORIGINAL,
          SetupRequest("RTP/AVP;unicast;client_port=5000-5001,"
                       "RTP/AVP/UDP;unicast;client_port=7000-7001",
                       4));
    EXPECT_EQ(f.pins.Size(), 4u);
    f.Run(SessionDir::REPLY,
          SetupReply("RTP/AVP/UDP;unicast;client_port=7000-7001;server_port=6970-6971", 4));
    ASSERT_EQ(f.pins.Size(), 2u);
    EXPECT_EQ(f.ToPort(7000).size(), 1u);
    EXPECT_EQ(f.ToPort(7001).size(), 1u);
}

TEST(RtspSessionHelper, ServerBehindVipAnnouncesTheVipAndGetsInboundPinholes)
{
    HelperFixture f(true);
    std::string setup = SetupRequest("RTP/AVP;unicast;client_port=5000-5001");
    EXPECT_EQ(f.Run(SessionDir::ORIGINAL, setup), setup); // the client is not translated
    ASSERT_EQ(f.pins.Size(), 2u);
    Expectation e = f.ToPort(5000).at(0);
    EXPECT_EQ(e.src, Addr("10.0.2.2"));
    EXPECT_EQ(e.dst, Addr("198.51.100.7"));
    EXPECT_EQ(e.natDst, 0u);
    EXPECT_EQ(e.natSrc, Addr("203.0.113.100")); // media appears to come from the VIP
    f.taken = {6970};                           // the VIP address already uses 6970
    std::string reply = f.Run(SessionDir::REPLY,
                              SetupReply("RTP/AVP/UDP;unicast;client_port=5000-5001;"
                                         "server_port=6970-6971;source=10.0.2.2"));
    EXPECT_EQ(reply,
              SetupReply("RTP/AVP/UDP;unicast;client_port=5000-5001;"
                         "server_port=6972-6973;source=203.0.113.100"));
    ASSERT_EQ(f.pins.Size(), 4u);
    Expectation media = f.ToPort(5000).at(0);
    EXPECT_EQ(media.sport, 6970);
    EXPECT_EQ(media.natSport, 6972);
    Expectation rtcpIn = f.ToPort(6973).at(0); // client -> VIP:6973 -> server:6971
    EXPECT_EQ(rtcpIn.src, Addr("198.51.100.7"));
    EXPECT_EQ(rtcpIn.dst, Addr("203.0.113.100"));
    EXPECT_EQ(rtcpIn.natDst, Addr("10.0.2.2"));
    EXPECT_EQ(rtcpIn.natDport, 6971);
}

TEST(RtspSessionHelper, SegmentationSplitHeaderAndBodies)
{
    HelperFixture f;
    f.Syn();
    // A SETUP split inside its header: passed unchanged, no pinhole.
    f.taken = {5000};
    std::string setup = SetupRequest("RTP/AVP;unicast;client_port=5000-5001");
    std::string a = setup.substr(0, 60);
    std::string b = setup.substr(60);
    EXPECT_EQ(f.Run(SessionDir::ORIGINAL, a), a);
    EXPECT_EQ(f.Run(SessionDir::ORIGINAL, b), b);
    EXPECT_EQ(f.pins.Size(), 0u);
    // The next message in its own segment is handled again (resynchronised).
    std::string next = SetupRequest("RTP/AVP;unicast;client_port=5000-5001", 4);
    EXPECT_NE(f.Run(SessionDir::ORIGINAL, next), next);
    EXPECT_EQ(f.pins.Size(), 2u);
    // A DESCRIBE reply whose body (in the next segment) looks like a reply is not parsed.
    std::string body = "RTSP/1.0 461 x\r\nCSeq: 4\r\n\r\n";
    std::string head =
        "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    f.Run(SessionDir::REPLY, head);
    f.Run(SessionDir::REPLY, body);
    EXPECT_EQ(f.pins.Size(), 2u); // the body's fake 461 did not remove them
    // The segment after the body starts a message again.
    f.Run(SessionDir::REPLY, "RTSP/1.0 461 Unsupported transport\r\nCSeq: 4\r\n\r\n");
    EXPECT_EQ(f.pins.Size(), 0u);
}

TEST(RtspSessionHelper, MalformedSetupsLeaveNoPinholeAndSameBytes)
{
    for (const std::string& t : std::vector<std::string>{
             "RTP/AVP;unicast;client_port=70000-70001",
             "RTP/AVP;unicast;client_port=5000-4000",
             "RTP/AVP;unicast;client_port=",
             "RTP/AVP;unicast;client_port",
             "RTP/AVP;unicast;client_port=5000-5100",
             "RTP/AVP;unicast;client_port=0",
             "RTP/AVP;multicast;client_port=5000-5001", // multicast: no pinhole
             "RTP/AVP/TCP;interleaved=0-1",             // interleaved: no pinhole
             "RTP/AVP;unicast;destination=192.0.2.9;client_port=5000-5001", // third party
             "RTP/AVP;unicast;client_port=5000-5001;" + std::string(3000, 'x')})
    {
        HelperFixture f;
        f.taken = {5000}; // a rewrite would show
        std::string setup = SetupRequest(t);
        EXPECT_EQ(f.Run(SessionDir::ORIGINAL, setup), setup) << t;
        EXPECT_EQ(f.pins.Size(), 0u) << t;
    }
    // Short and garbage segments, a SETUP without CSeq.
    HelperFixture g;
    g.taken = {5000};
    for (const std::string& s :
         std::vector<std::string>{"S",
                                  "SETUP",
                                  "\r\n",
                                  std::string(5000, 'A'),
                                  "SETUP rtsp://h/a RTSP/1.0\r\nTransport: "
                                  "RTP/AVP;unicast;client_port=5000-5001\r\n\r\n"})
    {
        EXPECT_EQ(g.Run(SessionDir::ORIGINAL, s), s);
    }
    EXPECT_EQ(g.pins.Size(), 0u);
    // Random bytes in both directions never crash and never open a pinhole.
    std::mt19937 rng(7);
    HelperFixture r;
    for (int i = 0; i < 3000; ++i)
    {
        std::string s = SetupRequest("RTP/AVP;unicast;client_port=5000-5001", 3);
        for (int e = 0; e < 3; ++e)
        {
            s[rng() % s.size()] = static_cast<char>(rng() % 256);
        }
        if (i % 2)
        {
            s = s.substr(0, rng() % s.size());
        }
        r.Run(i % 3 ? SessionDir::ORIGINAL : SessionDir::REPLY, s);
    }
    EXPECT_LE(r.pins.Size(), 8u); // a mutation may still be a valid SETUP; limits hold
}

TEST(RtspSessionHelper, CorpusCaptureUnderSnat)
{
    // The capture's second connection (client 10.1.1.10:52472 -> 10.2.2.2:8554), as if the
    // client were behind a FortiGate NATing it to 203.0.113.10 and 55664 were taken there.
    std::vector<Segment> segs = CorpusSegments();
    SessionTable table;
    FlowTuple org{Addr("10.1.1.10"), Addr("10.2.2.2"), 52472, 8554, 6};
    FlowTuple reply{Addr("10.2.2.2"), Addr("203.0.113.10"), 8554, 52472, 6};
    Session* s = table.Insert(org, reply, 0, 10);
    RtspHost host;
    host.taken = {55664};
    ExpectationTable& pins = host.pins;
    RtspSessionHelper helper;
    std::vector<std::string> rewritten;
    for (const Segment& seg : segs)
    {
        SessionDir dir;
        if (seg.view.tuple == org)
        {
            dir = SessionDir::ORIGINAL;
        }
        else if (seg.view.tuple == org.Reversed())
        {
            dir = SessionDir::REPLY;
        }
        else
        {
            continue;
        }
        std::vector<uint8_t> bytes(seg.payload.begin(), seg.payload.end());
        HelperContext
            ctx(host, *s, dir, seg.view, bytes.data(), bytes.size(), s->Translated(dir), 0);
        helper.Inspect(ctx);
        if (!ctx.editor.Empty())
        {
            auto out = ctx.editor.Apply(bytes.data(), bytes.size());
            rewritten.emplace_back(out.begin(), out.end());
        }
    }
    // SETUP 1: 55664 is taken on the NAT address, so 55664-55665 becomes 55666-55667 (same
    // parity); SETUP 2 asks for 55666-55667, now track 0's, and gets 55668-55669. (The
    // captured server echoes the untranslated client_port, so its replies need no rewrite; each
    // matches its SETUP by CSeq.)
    ASSERT_EQ(rewritten.size(), 2u);
    EXPECT_NE(rewritten[0].find("client_port=55666-55667\r\n"), std::string::npos) << rewritten[0];
    EXPECT_NE(rewritten[1].find("client_port=55668-55669\r\n"), std::string::npos) << rewritten[1];
    ASSERT_EQ(pins.Size(), 4u);
    std::set<uint16_t> sports;
    for (const auto& e : pins.List())
    {
        sports.insert(e.sport);
        EXPECT_EQ(e.natDst, Addr("10.1.1.10"));
    }
    EXPECT_EQ(sports, (std::set<uint16_t>{58547, 58548, 57431, 57432}));
}

// ---- end to end -----------------------------------------------------------------------------

namespace
{

using namespace ns3::e2e;

/// What one end-to-end RTSP run produced.
struct StreamRun
{
    bool completed{false};
    std::string reason;
    uint64_t rtp{0};
    uint64_t rtcp{0};
    uint64_t lost{0};
    uint64_t serverRtp{0};
    std::string serverTransport; //!< SETUP Transport as the server got it
    std::string clientTransport; //!< SETUP reply Transport as the client got it
    Ipv4Address mediaSource;
    std::size_t pinholesAfterSetup{0};
    std::string expectationList; //!< diagnose sys session list expectation after SETUP
    std::size_t pinholesAfterTeardown{99};
    std::string expectationListAfterTeardown; //!< the same, when the TEARDOWN reply arrived
    bool controlAliveAtTeardown{false};
    std::size_t pinholesAtEnd{99};
    uint64_t matched{0};
    uint64_t denied{0};
};

/// Options of one run.
struct StreamOptions
{
    bool helper{true};
    bool vip{false};
    bool play{true};
    bool teardown{true};
    double playDuration{2};
    double runUntil{12};
    uint32_t clients{1};
    uint16_t rtspPort{554};
};

/**
 * Clients on the LAN (SNAT to 203.0.113.1) playing from the WAN server 198.51.100.7, or (vip)
 * the WAN host playing from the DMZ server 10.0.2.2 published as 203.0.113.100.
 */
std::vector<StreamRun>
RunStreams(const StreamOptions& o)
{
    TopologyOptions topo;
    topo.clients = std::max<uint32_t>(o.clients, 1);
    E2eTopology t(topo);
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true));
    VipConfig vip;
    vip.name = "rtsp-vip";
    vip.extipLo = Ip("203.0.113.100");
    vip.mappedipLo = Ip(INSIDE);
    vip.extintf = "port2";
    cfg.AddVip(vip);
    cfg.AddPolicy(E2eTopology::Accept(2, "port2", "port3", false, "rtsp-vip"));
    if (!o.helper)
    {
        for (uint32_t id : {6u, 7u, 8u})
        {
            cfg.DeleteSessionHelper(id);
        }
    }
    Ptr<FortiGateNode> fgt = t.Install(cfg);
    t.AssignStreams(10);

    RtspServerHelper sh(o.rtspPort);
    sh.SetAttribute("StreamDuration", TimeValue(Seconds(30)));
    sh.SetAttribute("AnnounceSource", BooleanValue(o.vip));
    Ptr<RtspServer> server =
        DynamicCast<RtspServer>(sh.Install(o.vip ? t.inside : t.server).Get(0));
    server->AssignStreams(5);
    std::vector<Ptr<RtspClient>> clients;
    for (uint32_t i = 0; i < o.clients; ++i)
    {
        RtspClientHelper ch(o.vip ? Ipv4Address("203.0.113.100") : Ipv4Address(SERVER), o.rtspPort);
        ch.SetAttribute("PlayDuration", TimeValue(Seconds(o.playDuration)));
        ch.SetAttribute("Play", BooleanValue(o.play));
        ch.SetAttribute("Teardown", BooleanValue(o.teardown));
        Ptr<RtspClient> c =
            DynamicCast<RtspClient>(ch.Install(o.vip ? t.server : t.clients.Get(i)).Get(0));
        c->SetStartTime(Seconds(1 + 0.5 * i));
        clients.push_back(c);
    }
    std::vector<std::string> transports; // SETUP Transport values as the server got them
    server->TraceConnectWithoutContext(
        "Request",
        Callback<void, const std::string&, const std::string&>(
            [&transports](const std::string& method, const std::string& text) {
                RtspMessage m;
                if (method == "SETUP" && Parse(text, m) == RtspParseStatus::COMPLETE)
                {
                    transports.push_back(m.Find("Transport")->value);
                }
            }));
    std::vector<StreamRun> runs(o.clients);
    for (uint32_t i = 0; i < o.clients; ++i)
    {
        StreamRun* r = &runs[i];
        Ptr<RtspClient> c = clients[i];
        c->TraceConnectWithoutContext(
            "Reply",
            Callback<void, const std::string&, uint16_t>(
                [r, fgt, o](const std::string& method, uint16_t) {
                    if (method == "SETUP")
                    {
                        r->pinholesAfterSetup = fgt->GetExpectations().Size();
                        r->expectationList = fgt->Diagnose("diagnose sys session list expectation");
                    }
                    else if (method == "TEARDOWN")
                    {
                        r->pinholesAfterTeardown = fgt->GetExpectations().Size();
                        r->expectationListAfterTeardown =
                            fgt->Diagnose("diagnose sys session list expectation");
                        bool alive = false;
                        fgt->GetSessionTable().ForEach([&](const Session& s) {
                            alive = alive || s.org.tuple.dport == o.rtspPort;
                        });
                        r->controlAliveAtTeardown = alive;
                    }
                }));
    }
    t.RunUntil(o.runUntil);
    for (uint32_t i = 0; i < o.clients; ++i)
    {
        StreamRun& r = runs[i];
        Ptr<RtspClient> c = clients[i];
        r.completed = c->IsCompleted();
        r.reason = c->GetFailureReason();
        r.rtp = c->GetRtpPackets();
        r.rtcp = c->GetRtcpPackets();
        r.lost = c->GetRtpLost();
        r.clientTransport = c->GetReplyTransport();
        r.mediaSource = c->GetMediaSource();
        r.serverRtp = server->GetRtpPacketsSent();
        r.serverTransport = i < transports.size() ? transports[i] : "";
        EXPECT_EQ(server->GetLastSetupTransport(), transports.empty() ? "" : transports.back());
        r.pinholesAtEnd = fgt->GetExpectations().Size();
        r.matched = fgt->GetExpectations().GetMatched();
        r.denied = fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY);
    }
    return runs;
}

} // namespace

TEST(RtspE2e, SnatStreamWithHelperReachesTheClient)
{
    StreamOptions o;
    StreamRun r = RunStreams(o).at(0);
    EXPECT_TRUE(r.completed) << r.reason;
    // 2 s of 20 ms packets, none lost; RTCP sender reports too.
    EXPECT_GE(r.rtp, 95u);
    EXPECT_LE(r.rtp, 105u);
    EXPECT_EQ(r.lost, 0u);
    EXPECT_GE(r.rtcp, 2u);
    EXPECT_EQ(r.serverTransport, "RTP/AVP;unicast;client_port=5000-5001");
    EXPECT_NE(r.clientTransport.find("client_port=5000-5001;server_port=6970-6971"),
              std::string::npos)
        << r.clientTransport;
    EXPECT_EQ(r.mediaSource, Ipv4Address(SERVER));
    EXPECT_EQ(r.pinholesAfterSetup, 2u);
    EXPECT_EQ(CountOf(r.expectationList, "helper=rtsp"), 2u) << r.expectationList;
    EXPECT_NE(r.expectationList.find("198.51.100.7:6970->203.0.113.1:5000(10.0.1.10:5000)"),
              std::string::npos)
        << r.expectationList;
    EXPECT_EQ(r.matched, 2u); // RTP and RTCP each opened their child session
    EXPECT_EQ(r.pinholesAtEnd, 0u);
}

TEST(RtspE2e, SnatStreamWithoutHelperIsBlocked)
{
    StreamOptions o;
    o.helper = false;
    StreamRun r = RunStreams(o).at(0);
    EXPECT_TRUE(r.completed) << r.reason; // RTSP itself works
    EXPECT_GT(r.serverRtp, 90u);          // the server streamed...
    EXPECT_EQ(r.rtp, 0u);                 // ...but nothing came through
    EXPECT_EQ(r.rtcp, 0u);
    EXPECT_EQ(r.pinholesAfterSetup, 0u);
}

TEST(RtspE2e, TwoClientsWithTheSameClientPortBothGetTheirStream)
{
    StreamOptions o;
    o.clients = 2;
    auto runs = RunStreams(o);
    for (const StreamRun& r : runs)
    {
        EXPECT_TRUE(r.completed) << r.reason;
        EXPECT_GE(r.rtp, 95u);
        EXPECT_EQ(r.lost, 0u);
        // Each client sees its own ports in the reply.
        EXPECT_NE(r.clientTransport.find("client_port=5000-5001"), std::string::npos);
    }
    // The second SETUP reached the server with another pair (even RTP port, RTCP next to it)
    // on the shared NAT address.
    EXPECT_EQ(runs[0].serverTransport, "RTP/AVP;unicast;client_port=5000-5001");
    RtspMessage m;
    std::string second = SetupRequest(runs[1].serverTransport);
    ASSERT_EQ(Parse(second, m), RtspParseStatus::COMPLETE) << second;
    const RtspPortRange& moved = m.transports.at(0).clientPort;
    EXPECT_NE(moved.lo, 5000);
    EXPECT_EQ(moved.lo % 2, 0);
    EXPECT_EQ(moved.hi, moved.lo + 1);
}

TEST(RtspE2e, TeardownRemovesPinholesBeforeTheControlSessionEnds)
{
    StreamOptions o;
    o.play = false; // the pinholes stay unused until TEARDOWN
    o.playDuration = 1;
    StreamRun r = RunStreams(o).at(0);
    EXPECT_TRUE(r.completed) << r.reason;
    EXPECT_EQ(r.pinholesAfterSetup, 2u);
    EXPECT_TRUE(r.controlAliveAtTeardown);
    EXPECT_EQ(r.pinholesAfterTeardown, 0u);
    EXPECT_EQ(CountOf(r.expectationList, "helper=rtsp"), 2u) << r.expectationList;
    EXPECT_EQ(CountOf(r.expectationListAfterTeardown, "helper=rtsp"), 0u)
        << r.expectationListAfterTeardown;
    EXPECT_EQ(r.rtp, 0u);
}

TEST(RtspE2e, ControlSessionEndRemovesPinholes)
{
    TopologyOptions topo;
    topo.clients = 1;
    E2eTopology t(topo);
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true));
    Ptr<FortiGateNode> fgt = t.Install(cfg);
    RtspServerHelper sh;
    sh.Install(t.server);
    RtspClientHelper ch{Ipv4Address(SERVER)};
    ch.SetAttribute("Play", BooleanValue(false));
    ch.SetAttribute("Teardown", BooleanValue(false));
    ch.SetAttribute("PlayDuration", TimeValue(Seconds(3)));
    Ptr<RtspClient> c = DynamicCast<RtspClient>(ch.Install(t.clients.Get(0)).Get(0));
    c->SetStartTime(Seconds(1));
    std::size_t during = 99;
    std::string listDuring;
    E2eTopology::At(2.5, [&]() {
        during = fgt->GetExpectations().Size();
        listDuring = fgt->Diagnose("diagnose sys session list expectation");
    });
    t.RunUntil(200);
    EXPECT_TRUE(c->IsCompleted()) << c->GetFailureReason();
    EXPECT_EQ(during, 2u);
    EXPECT_EQ(CountOf(listDuring, "helper=rtsp"), 2u);
    // The client closed the connection without TEARDOWN: the control session ended and its
    // pinholes with it.
    EXPECT_EQ(fgt->GetExpectations().Size(), 0u);
    EXPECT_EQ(CountOf(fgt->Diagnose("diagnose sys session list expectation"), "helper=rtsp"), 0u);
    EXPECT_EQ(fgt->GetExpectations().GetMatched(), 0u);
}

TEST(RtspE2e, ServerBehindVipStreamsFromTheVipAddress)
{
    StreamOptions o;
    o.vip = true;
    StreamRun r = RunStreams(o).at(0);
    EXPECT_TRUE(r.completed) << r.reason;
    EXPECT_GE(r.rtp, 95u);
    EXPECT_EQ(r.mediaSource, Ipv4Address("203.0.113.100"));
    EXPECT_NE(r.clientTransport.find("source=203.0.113.100"), std::string::npos)
        << r.clientTransport;
    o.helper = false;
    StreamRun n = RunStreams(o).at(0);
    EXPECT_TRUE(n.completed) << n.reason;
    EXPECT_EQ(n.rtp, 0u); // the inside server's media has no policy to the WAN
    EXPECT_GT(n.serverRtp, 90u);
}

TEST(RtspE2e, AlternatePortsAreInspectedToo)
{
    for (uint16_t port : {7070, 8554})
    {
        StreamOptions o;
        o.rtspPort = port;
        StreamRun r = RunStreams(o).at(0);
        EXPECT_TRUE(r.completed) << port << " " << r.reason;
        EXPECT_GE(r.rtp, 95u) << port;
    }
}

TEST(RtspE2e, MalformedSetupThroughTheFortiGateOpensNothing)
{
    TopologyOptions topo;
    topo.clients = 1;
    E2eTopology t(topo);
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true));
    Ptr<FortiGateNode> fgt = t.Install(cfg);
    RtspServerHelper sh;
    Ptr<RtspServer> server = DynamicCast<RtspServer>(sh.Install(t.server).Get(0));
    Ptr<Socket> sock = Socket::CreateSocket(t.clients.Get(0), TcpSocketFactory::GetTypeId());
    sock->Bind();
    std::string reply;
    sock->SetRecvCallback(Callback<void, Ptr<Socket>>([&reply](Ptr<Socket> s) {
        while (Ptr<Packet> p = s->Recv())
        {
            std::string chunk(p->GetSize(), '\0');
            p->CopyData(reinterpret_cast<uint8_t*>(&chunk[0]), chunk.size());
            reply += chunk;
        }
    }));
    const std::string bad = SetupRequest("RTP/AVP;unicast;client_port=70000-70001", 1);
    std::size_t maxPins = 0;
    E2eTopology::At(1, [&]() { sock->Connect(InetSocketAddress(Ipv4Address(SERVER), 554)); });
    E2eTopology::At(1.5, [&]() {
        sock->Send(reinterpret_cast<const uint8_t*>(bad.data()), bad.size(), 0);
    });
    E2eTopology::At(2, [&]() { maxPins = std::max(maxPins, fgt->GetExpectations().Size()); });
    t.RunUntil(5);
    EXPECT_EQ(maxPins, 0u);
    EXPECT_EQ(fgt->GetExpectations().Size(), 0u);
    EXPECT_EQ(reply.rfind("RTSP/1.0 400 Bad Request\r\n", 0), 0u) << reply;
    EXPECT_EQ(server->GetErrorReplies(), 1u);
    sock->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
}
