/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MGCP: the message parser (every message of the corpus capture mgcp.pcap, accepted forms,
 * endpoint names, spans, malformed and random input) and the mgcp session helper driven
 * through HelperContext (NAT of endpoint literals, N: and SDP, CRCX/MDCX/DLCX pinholes,
 * transactions, roles, malformed datagrams blocked and counted, the diagnose text).
 */
#include "corpus.h"
#include "fake-helper-host.h"

#include "ns3/expectation-table.h"
#include "ns3/mgcp-message.h"
#include "ns3/mgcp-session-helper.h"
#include "ns3/packet-view.h"
#include "ns3/session-helper.h"
#include "ns3/session-table.h"

#include <algorithm>
#include <functional>
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
bool
Parse(const std::string& s, std::vector<MgcpMessage>& out, std::string* error = nullptr)
{
    std::vector<uint8_t> buf(s.begin(), s.end());
    return ParseMgcpDatagram(buf.data(), buf.size(), out, error);
}

/// \return the text of \p span in \p s
std::string
At(const std::string& s, const SipSpan& span)
{
    return s.substr(span.offset, span.length);
}

// ---- parser: the corpus capture --------------------------------------------------------------

TEST(MgcpParser, EveryMessageOfTheCorpusCapture)
{
    // tcpdump -r mgcp.pcap -A: 23 UDP datagrams; the last three (single packets between
    // Internet hosts) end their lines in a bare CR.
    struct Expect
    {
        bool response;
        const char* verbOrCode;
        uint32_t tx;
        const char* endpoint; // local@domain ("" for responses)
        const char* version;
    };

    const Expect expect[] = {
        {false, "RQNT", 1, "*@gateway44.myplace.com", "0.1"},
        {true, "510", 1, "", ""},
        {false, "RSIP", 31656860, "*@gateway44.myplace.com", "1.0"},
        {true, "200", 31656860, "", ""},
        {false, "RQNT", 1, "*@gateway44.myplace.com", "0.1"},
        {true, "510", 1, "", ""},
        {false, "RQNT", 2, "*@gateway44.myplace.com", "0.1"},
        {true, "510", 2, "", ""},
        {false, "RSIP", 262662134, "*@vg224", "0.1"},
        {true, "200", 262662134, "", ""},
        {false, "RSIP", 262662136, "*@vg224", "0.1"},
        {true, "200", 262662136, "", ""},
        {false, "RQNT", 80, "AALN/S2/1@vg224", "0.1"},
        {true, "200", 80, "", ""},
        {false, "AUEP", 81, "AALN/S2/1@vg224", "0.1"},
        {true, "200", 81, "", ""},
        {false, "NTFY", 262662138, "*@vg224", "0.1"},
        {true, "200", 262662138, "", ""},
        {false, "RSIP", 262662135, "*@vg224", "0.1"},
        {true, "200", 262662135, "", ""},
    };
    const std::vector<CorpusPacket> pkts = CorpusPackets("mgcp.pcap", IPPROTO_NUM_UDP);
    ASSERT_EQ(pkts.size(), 23u);
    for (std::size_t i = 0; i < pkts.size(); ++i)
    {
        SCOPED_TRACE("frame " + std::to_string(pkts[i].number));
        const std::string text(pkts[i].payload.begin(), pkts[i].payload.end());
        std::vector<MgcpMessage> msgs;
        std::string error;
        const bool ok = Parse(text, msgs, &error);
        if (i >= 20)
        {
            EXPECT_FALSE(ok);
            EXPECT_NE(error.find("bare CR"), std::string::npos) << error;
            continue;
        }
        ASSERT_TRUE(ok) << error;
        ASSERT_EQ(msgs.size(), 1u);
        const MgcpMessage& m = msgs[0];
        const Expect& e = expect[i];
        EXPECT_EQ(m.response, e.response);
        EXPECT_EQ(m.transactionId, e.tx);
        EXPECT_EQ(m.length, text.size());
        if (e.response)
        {
            EXPECT_EQ(std::to_string(m.code), e.verbOrCode);
            continue;
        }
        EXPECT_STREQ(MgcpVerbName(m.verb), e.verbOrCode);
        EXPECT_EQ(m.endpoint.local + "@" + m.endpoint.domain, e.endpoint);
        EXPECT_EQ(At(text, m.endpoint.span), e.endpoint);
        EXPECT_FALSE(m.endpoint.literal);
        EXPECT_EQ(m.version, e.version);
    }
    // Parameters as written.
    auto parse = [&](std::size_t i) {
        std::vector<MgcpMessage> msgs;
        const std::string text(pkts[i].payload.begin(), pkts[i].payload.end());
        EXPECT_TRUE(Parse(text, msgs));
        return msgs.empty() ? MgcpMessage() : msgs[0];
    };
    EXPECT_EQ(parse(0).Value("R"), "l/hd(n)");
    EXPECT_EQ(parse(0).Value("X"), "2");
    EXPECT_FALSE(parse(0).hasSdp); // ends in an empty line, no description after it
    EXPECT_EQ(parse(1).commentary, "Protocol Error: Forbidden parameter line present.");
    EXPECT_EQ(parse(2).Value("RM"), "restart");
    EXPECT_EQ(parse(8).Value("RM"), "graceful");
    EXPECT_EQ(parse(8).Value("RD"), "0");
    EXPECT_EQ(parse(12).Value("Q"), "process,loop");
    EXPECT_EQ(parse(14).Value("F"), "X, A, I");
    const MgcpMessage audit = parse(15);
    ASSERT_NE(audit.Find("I"), nullptr);
    EXPECT_EQ(audit.Value("I"), "");
    EXPECT_EQ(audit.params.size(), 10u); // I, X, seven L:, M
    std::size_t lines = 0;
    for (const MgcpParameter& p : audit.params)
    {
        lines += p.name == "L" ? 1 : 0;
    }
    EXPECT_EQ(lines, 7u);
    EXPECT_EQ(parse(16).Value("O"), "");
}

// ---- parser: forms -----------------------------------------------------------------------------

TEST(MgcpParser, CommandWithLiteralsNotifiedEntityAndSdp)
{
    const std::string text = "CRCX 1204 aaln/1@[10.0.1.10] MGCP 1.0 NCS 1.0\r\n"
                             "C: A3C47F21456789F0\r\n"
                             "N: ca@[198.51.100.7]:2727\r\n"
                             "Z2: aaln/2@[10.0.1.11]\r\n"
                             "M: sendrecv\r\n"
                             "\r\n"
                             "v=0\r\n"
                             "o=- 25678 753849 IN IP4 10.0.1.10\r\n"
                             "s=-\r\n"
                             "c=IN IP4 10.0.1.10\r\n"
                             "t=0 0\r\n"
                             "m=audio 16384 RTP/AVP 0\r\n";
    std::vector<MgcpMessage> msgs;
    std::string error;
    ASSERT_TRUE(Parse(text, msgs, &error)) << error;
    ASSERT_EQ(msgs.size(), 1u);
    const MgcpMessage& m = msgs[0];
    EXPECT_EQ(m.verb, MgcpVerb::CRCX);
    EXPECT_EQ(m.transactionId, 1204u);
    EXPECT_EQ(m.profile, "NCS 1.0");
    EXPECT_TRUE(m.endpoint.literal);
    EXPECT_EQ(m.endpoint.ipv4, Addr("10.0.1.10"));
    EXPECT_EQ(At(text, m.endpoint.addressSpan), "10.0.1.10");
    EXPECT_EQ(m.Value("C"), "A3C47F21456789F0");
    ASSERT_EQ(m.entities.size(), 2u);
    EXPECT_EQ(m.entities[0].local, "ca");
    EXPECT_EQ(At(text, m.entities[0].addressSpan), "198.51.100.7");
    EXPECT_TRUE(m.entities[0].hasPort);
    EXPECT_EQ(m.entities[0].port, 2727);
    EXPECT_EQ(At(text, m.entities[0].portSpan), "2727");
    EXPECT_EQ(At(text, m.entities[1].addressSpan), "10.0.1.11");
    ASSERT_TRUE(m.hasSdp);
    ASSERT_EQ(m.sdp.media.size(), 1u);
    EXPECT_EQ(m.sdp.media[0].port, 16384);
    EXPECT_EQ(At(text, m.sdp.media[0].portSpan), "16384");
    ASSERT_EQ(m.sdp.connections.size(), 1u);
    EXPECT_EQ(At(text, m.sdp.connections[0].addressSpan), "10.0.1.10");
    EXPECT_EQ(At(text, m.sdp.origin.address.addressSpan), "10.0.1.10");
}

TEST(MgcpParser, PiggyBackedMessagesLfLinesAndCaseInsensitiveVerbs)
{
    const std::string text = "200 2005 OK\n.\nntfy 2006 aaln/1@gw.example.net MGCP 1.0\nX: 7\nO: "
                             "L/hd\n.\nDLCX 2007 aaln/*@gw.example.net MGCP 1.0\nC: 1\n";
    std::vector<MgcpMessage> msgs;
    std::string error;
    ASSERT_TRUE(Parse(text, msgs, &error)) << error;
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_TRUE(msgs[0].response);
    EXPECT_EQ(msgs[0].length, 14u); // "200 2005 OK\n.\n"
    EXPECT_EQ(msgs[1].verb, MgcpVerb::NTFY);
    EXPECT_EQ(msgs[1].Value("O"), "L/hd");
    EXPECT_EQ(msgs[2].verb, MgcpVerb::DLCX);
    EXPECT_EQ(msgs[2].endpoint.local, "aaln/*");
    EXPECT_EQ(msgs[2].offset + msgs[2].length, text.size());
}

TEST(MgcpParser, MalformedInputIsRejectedWithItsReason)
{
    const std::pair<std::string, std::string> cases[] = {
        {"RQNT 1 a@b MGCP 1.0\rX: 1\r", "bare CR"},
        {"RQNT 1 a@b MGCP 1.0\r\nX: 1", "without end of line"},
        {"RQNT 1 a@b MGCP 2.0\r\n", "version"},
        {"RQNT 1 a@b MGCP one\r\n", "version"},
        {"RQNT 1 a@b SIP 1.0\r\n", "not MGCP"},
        {"RQNT 0 a@b MGCP 1.0\r\n", "transaction id"},
        {"RQNT 1000000000 a@b MGCP 1.0\r\n", "transaction id"},
        {"RQNT x1 a@b MGCP 1.0\r\n", "transaction id"},
        {"HELO 1 a@b MGCP 1.0\r\n", "unknown verb"},
        {"RQNT 1 nodomain MGCP 1.0\r\n", "endpoint"},
        {"RQNT 1 a@[10.0.1] MGCP 1.0\r\n", "endpoint"},
        {"RQNT 1 a@b MGCP\r\n", "command line"},
        {"200\r\n", "two words"},
        {"200 abc OK\r\n", "transaction id"},
        {"RQNT 1 a@b MGCP 1.0\r\nno colon here\r\n", "parameter line"},
        {"RQNT 1 a@b MGCP 1.0\r\nN: ca@[1.2.3.4]:99999\r\n", "N: value"},
        {std::string("RQNT 1 a@b MGCP 1.0\r\nX: ") + '\0' + "\r\n", "NUL"},
        {"CRCX 1 a@b MGCP 1.0\r\n\r\nv=0\r\nc=IN IP4 10.0.1\r\nm=audio 4000 RTP/AVP 0\r\n", "SDP"},
        {"CRCX 1 a@b MGCP 1.0\r\n\r\nv=0\r\nm=audio 70000 RTP/AVP 0\r\n", "SDP"},
        {"", "empty"},
        {"\r\n", "two words"},
    };
    for (const auto& [text, reason] : cases)
    {
        SCOPED_TRACE(text);
        std::vector<MgcpMessage> msgs;
        std::string error;
        EXPECT_FALSE(Parse(text, msgs, &error));
        EXPECT_NE(error.find(reason), std::string::npos) << error;
    }
    // A line over MGCP_MAX_LINE, and too many piggy-backed messages.
    std::vector<MgcpMessage> msgs;
    std::string error;
    EXPECT_FALSE(
        Parse("RQNT 1 a@b MGCP 1.0\r\nX: " + std::string(3000, 'a') + "\r\n", msgs, &error));
    std::string many;
    for (int i = 1; i <= 20; ++i)
    {
        many += "200 " + std::to_string(i) + " OK\r\n.\r\n";
    }
    EXPECT_FALSE(Parse(many, msgs, &error));
    EXPECT_NE(error.find("piggy-backed"), std::string::npos) << error;
}

TEST(MgcpParser, EndpointNames)
{
    MgcpEndpoint e;
    EXPECT_TRUE(ParseMgcpEndpoint("[10.0.1.10]:2427", 100, false, e));
    EXPECT_TRUE(e.literal);
    EXPECT_EQ(e.addressSpan.offset, 101u);
    EXPECT_EQ(e.port, 2427);
    EXPECT_FALSE(ParseMgcpEndpoint("[10.0.1.10]:2427", 0, true, e)); // no local part
    EXPECT_TRUE(ParseMgcpEndpoint("ca.example.net:2727", 0, false, e));
    EXPECT_FALSE(e.literal);
    EXPECT_EQ(e.domain, "ca.example.net");
    EXPECT_TRUE(ParseMgcpEndpoint("ds/ds1-1/$@gw", 0, true, e));
    EXPECT_FALSE(ParseMgcpEndpoint("@gw", 0, true, e));
    EXPECT_FALSE(ParseMgcpEndpoint("a@", 0, true, e));
    EXPECT_FALSE(ParseMgcpEndpoint("a@[1.2.3.4", 0, true, e));
    EXPECT_FALSE(ParseMgcpEndpoint("a@gw:0", 0, true, e));
    EXPECT_FALSE(ParseMgcpEndpoint("a@gw x", 0, true, e));
    EXPECT_FALSE(ParseMgcpEndpoint(std::string(300, 'a') + "@gw", 0, true, e));
}

TEST(MgcpParser, RandomInputNeverReadsPastTheBuffer)
{
    std::mt19937 rng(11);
    const std::string seed = "CRCX 1204 aaln/1@[10.0.1.10] MGCP 1.0\r\nC: 1\r\nN: ca@[1.2.3.4]:2727"
                             "\r\n\r\nv=0\r\no=- 1 1 IN IP4 10.0.1.10\r\ns=-\r\nc=IN IP4 "
                             "10.0.1.10\r\nt=0 0\r\nm=audio 16384 RTP/AVP 0\r\n.\r\n200 5 OK\r\n";
    for (int round = 0; round < 3000; ++round)
    {
        std::vector<uint8_t> b(seed.begin(), seed.end());
        const int edits = 1 + static_cast<int>(rng() % 8);
        for (int k = 0; k < edits && !b.empty(); ++k)
        {
            const std::size_t at = rng() % b.size();
            switch (rng() % 3)
            {
            case 0:
                b[at] = static_cast<uint8_t>(rng());
                break;
            case 1:
                b.erase(b.begin() + static_cast<long>(at));
                break;
            default:
                b.resize(at);
                break;
            }
        }
        std::vector<uint8_t> exact(b.begin(), b.end());
        EXPECT_EQ(FuzzMgcp(exact.data(), exact.size()), 0);
    }
}

// ---- the session helper ----------------------------------------------------------------------

/**
 * An MGCP session through a FortiGate, as the datapath would give it to the helper:
 * gateway 10.0.1.10:2427 -> call agent 198.51.100.7:2727, source NAT to 203.0.113.1:60001.
 * ORIGINAL = gateway -> call agent.
 */
struct HelperFixture
{
    SessionTable table;
    Session* s{nullptr};

    /// The unit: ports in use on 203.0.113.1 (taken), the public ports 10.0.1.10 is mapped to.
    struct Host : FakeHelperHost
    {
        Host()
            : FakeHelperHost(32)
        {
        }

        std::map<uint16_t, uint16_t> mapped; //!< private port of 10.0.1.10 -> its public port

        uint16_t MappedPort(uint8_t, uint32_t ip, uint16_t port, uint32_t) override
        {
            return ip == Addr("10.0.1.10") && mapped.count(port) ? mapped[port] : uint16_t{0};
        }

        uint16_t AllocatePortFor(uint8_t proto,
                                 uint32_t pubIp,
                                 uint16_t preferred,
                                 uint32_t,
                                 uint16_t priv) override
        {
            if (mapped.count(priv) && mapped[priv] == preferred)
            {
                return preferred; // held by this endpoint itself
            }
            return AllocatePort(proto, pubIp, preferred);
        }
    } host;

    ExpectationTable& pins{host.pins};
    std::vector<NatReservation>& reservations{host.reservations};
    std::set<uint16_t>& taken{host.taken}; //!< ports in use on 203.0.113.1
    uint32_t& childrenClosed{host.closeChildrenCalls};
    std::map<uint16_t, uint16_t>& mapped{host.mapped};
    MgcpSessionHelper helper;
    bool dropped{false};
    int64_t now{0};

    HelperFixture()
    {
        const FlowTuple org{Addr("10.0.1.10"), Addr("198.51.100.7"), 2427, 2727, 17};
        const FlowTuple reply{Addr("198.51.100.7"), Addr("203.0.113.1"), 2727, 60001, 17};
        s = table.Insert(org, reply, 0, 180);
        s->policyId = 1;
    }

    /// Run the helper over datagram \p text; \return the payload as it leaves
    std::string Run(SessionDir dir, const std::string& text)
    {
        PacketView v;
        v.tuple = s->Tuple(dir);
        v.l4Valid = true;
        std::vector<uint8_t> bytes(text.begin(), text.end());
        HelperContext ctx(host, *s, dir, v, bytes.data(), bytes.size(), s->Translated(dir), now);
        helper.Inspect(ctx);
        dropped = ctx.drop;
        auto out = ctx.editor.Apply(bytes.data(), bytes.size());
        return std::string(out.begin(), out.end());
    }

    std::string FromCa(const std::string& t)
    {
        return Run(SessionDir::REPLY, t);
    }

    std::string FromGw(const std::string& t)
    {
        return Run(SessionDir::ORIGINAL, t);
    }

    /// \return the pinholes to port \p port of 203.0.113.1
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

const char* const kSdpGw = "v=0\r\no=- 1 1 IN IP4 10.0.1.10\r\ns=-\r\nc=IN IP4 10.0.1.10\r\n"
                           "t=0 0\r\nm=audio 16384 RTP/AVP 0\r\n";

TEST(MgcpSessionHelper, RegisteredAsMgcp)
{
    Ptr<SessionHelper> h = SessionHelperRegistry::Create("mgcp");
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->GetName(), "mgcp");
    EXPECT_NE(DynamicCast<MgcpSessionHelper>(h), nullptr);
}

TEST(MgcpSessionHelper, EndpointLiteralsAndNotifiedEntityAreTranslatedBothWays)
{
    HelperFixture f;
    EXPECT_EQ(f.FromGw("RSIP 100 aaln/1@[10.0.1.10] MGCP 1.0\r\nRM: restart\r\n"),
              "RSIP 100 aaln/1@[203.0.113.1] MGCP 1.0\r\nRM: restart\r\n");
    EXPECT_FALSE(f.dropped);
    EXPECT_EQ(f.FromCa("200 100 OK\r\n"), "200 100 OK\r\n");
    EXPECT_FALSE(f.dropped);
    // The call agent names the gateway as it saw it; N: names the agent (not translated).
    EXPECT_EQ(f.FromCa("RQNT 500 aaln/1@[203.0.113.1] MGCP 1.0\r\nN: ca@[198.51.100.7]:2727\r\n"
                       "X: 1\r\nR: L/hd(N)\r\n"),
              "RQNT 500 aaln/1@[10.0.1.10] MGCP 1.0\r\nN: ca@[198.51.100.7]:2727\r\nX: 1\r\n"
              "R: L/hd(N)\r\n");
    // A gateway's N:/Z: naming itself with its port: address and port translated.
    EXPECT_EQ(f.FromGw("200 500 OK\r\nZ: aaln/1@[10.0.1.10]\r\nN: gw@[10.0.1.10]:2427\r\n"),
              "200 500 OK\r\nZ: aaln/1@[203.0.113.1]\r\nN: gw@[203.0.113.1]:60001\r\n");
    // Host names pass unchanged.
    EXPECT_EQ(f.FromGw("NTFY 101 aaln/1@gw.example.net MGCP 1.0\r\nO: L/hd\r\n"),
              "NTFY 101 aaln/1@gw.example.net MGCP 1.0\r\nO: L/hd\r\n");
    EXPECT_EQ(f.helper.GetStats().addressesRewritten, 4u);
    EXPECT_EQ(f.helper.GetStats().blocked, 0u);
}

TEST(MgcpSessionHelper, CrcxResponseOpensRtpRtcpPinholesMdcxMovesThemDlcxClosesThem)
{
    HelperFixture f;
    f.FromGw("RSIP 100 aaln/1@[10.0.1.10] MGCP 1.0\r\nRM: restart\r\n");
    f.FromCa("200 100 OK\r\n");
    f.FromCa("CRCX 501 aaln/1@[203.0.113.1] MGCP 1.0\r\nC: 77\r\nM: recvonly\r\n");
    EXPECT_TRUE(f.pins.List().empty()); // the command opens nothing
    const std::string out = f.FromGw(std::string("200 501 OK\r\nI: A001\r\n\r\n") + kSdpGw);
    EXPECT_FALSE(f.dropped);
    EXPECT_EQ(out,
              "200 501 OK\r\nI: A001\r\n\r\nv=0\r\no=- 1 1 IN IP4 203.0.113.1\r\ns=-\r\n"
              "c=IN IP4 203.0.113.1\r\nt=0 0\r\nm=audio 16384 RTP/AVP 0\r\n");
    ASSERT_EQ(f.pins.Size(), 2u);
    const auto rtp = f.ToPort(16384);
    const auto rtcp = f.ToPort(16385);
    ASSERT_EQ(rtp.size(), 1u);
    ASSERT_EQ(rtcp.size(), 1u);
    EXPECT_EQ(rtp[0].src, 0u);
    EXPECT_EQ(rtp[0].dst, Addr("203.0.113.1"));
    EXPECT_EQ(rtp[0].natDst, Addr("10.0.1.10"));
    EXPECT_EQ(rtp[0].natDport, 0); // port kept
    EXPECT_EQ(rtp[0].helper, "mgcp");
    EXPECT_TRUE(rtp[0].oneShot);
    ASSERT_EQ(f.reservations.size(), 2u);
    EXPECT_EQ(f.reservations[0].privIp, Addr("10.0.1.10"));
    EXPECT_EQ(f.reservations[0].pubPort, 16384);
    EXPECT_EQ(f.helper.GetActiveConnections(), 1u);

    // MDCX: the remote descriptor (the far gateway's, not the sender's) is not touched; the
    // response's new local port moves the pinholes.
    const std::string mdcx = "MDCX 502 aaln/1@[203.0.113.1] MGCP 1.0\r\nC: 77\r\nI: A001\r\n"
                             "M: sendrecv\r\n\r\nv=0\r\no=- 2 1 IN IP4 198.51.100.20\r\ns=-\r\n"
                             "c=IN IP4 198.51.100.20\r\nt=0 0\r\nm=audio 20000 RTP/AVP 0\r\n";
    std::string expected = mdcx;
    expected.replace(expected.find("203.0.113.1"), 11, "10.0.1.10");
    EXPECT_EQ(f.FromCa(mdcx), expected);
    std::string sdp2 = kSdpGw;
    sdp2.replace(sdp2.find("16384"), 5, "16390");
    f.FromGw("200 502 OK\r\n\r\n" + sdp2);
    EXPECT_TRUE(f.ToPort(16384).empty());
    EXPECT_EQ(f.ToPort(16390).size(), 1u);
    EXPECT_EQ(f.ToPort(16391).size(), 1u);
    EXPECT_EQ(f.helper.GetStats().connectionsModified, 1u);

    // DLCX by call id and connection id: pinholes, reservations and media sessions go.
    f.FromCa("DLCX 503 aaln/1@[203.0.113.1] MGCP 1.0\r\nC: 77\r\nI: A001\r\n");
    EXPECT_FALSE(f.dropped);
    EXPECT_EQ(f.pins.Size(), 0u);
    EXPECT_TRUE(f.reservations.empty());
    EXPECT_EQ(f.childrenClosed, 1u);
    EXPECT_EQ(f.helper.GetActiveConnections(), 0u);
    f.FromGw("250 503 Connection deleted\r\n");
    EXPECT_FALSE(f.dropped);
    EXPECT_EQ(f.helper.GetStats().connectionsDeleted, 1u);
}

TEST(MgcpSessionHelper, TakenPortIsMovedAndRtcpFollows)
{
    HelperFixture f;
    f.taken = {16384, 16385, 16386};
    f.FromCa("CRCX 7 aaln/1@[203.0.113.1] MGCP 1.0\r\nC: 1\r\n");
    const std::string out = f.FromGw(std::string("200 7 OK\r\nI: 1\r\n\r\n") + kSdpGw);
    EXPECT_NE(out.find("m=audio 16388 RTP/AVP 0"), std::string::npos) << out;
    ASSERT_EQ(f.ToPort(16388).size(), 1u);
    EXPECT_EQ(f.ToPort(16388)[0].natDport, 16384);
    EXPECT_EQ(f.ToPort(16389)[0].natDport, 16385);
    EXPECT_EQ(f.helper.GetStats().mediaPortsMoved, 1u);
}

TEST(MgcpSessionHelper, MediaAlreadyLeavingKeepsItsMappingAndRtcpIsAnnouncedApart)
{
    // The gateway's RTP left (mapped to 203.0.113.1:16384) before its CRCX response, and
    // another endpoint holds 16385: RTP keeps its mapping, RTCP moves, a=rtcp says where.
    HelperFixture f;
    f.taken = {16384, 16385};
    f.mapped[16384] = 16384;
    f.FromCa("CRCX 8 aaln/1@[203.0.113.1] MGCP 1.0\r\nC: 1\r\n");
    const std::string out = f.FromGw(std::string("200 8 OK\r\nI: 1\r\n\r\n") + kSdpGw);
    EXPECT_NE(out.find("m=audio 16384 RTP/AVP 0\r\na=rtcp:16386\r\n"), std::string::npos) << out;
    EXPECT_EQ(f.ToPort(16384).size(), 1u);
    ASSERT_EQ(f.ToPort(16386).size(), 1u);
    EXPECT_EQ(f.ToPort(16386)[0].natDport, 16385);
    std::vector<MgcpMessage> msgs;
    ASSERT_TRUE(Parse(out, msgs));
    EXPECT_EQ(msgs[0].sdp.media[0].RtcpPort(), 16386);
}

TEST(MgcpSessionHelper, RsipRestartAndWildcardDlcxDeleteEveryConnection)
{
    HelperFixture f;
    for (int i = 0; i < 2; ++i)
    {
        const std::string tx = std::to_string(10 + i);
        const std::string ep = "aaln/" + std::to_string(i + 1);
        f.FromCa("CRCX " + tx + " " + ep + "@[203.0.113.1] MGCP 1.0\r\nC: 1\r\n");
        std::string sdp = kSdpGw;
        sdp.replace(sdp.find("16384"), 5, std::to_string(16384 + 2 * i));
        f.FromGw("200 " + tx + " OK\r\nI: " + std::to_string(i) + "\r\n\r\n" + sdp);
    }
    EXPECT_EQ(f.pins.Size(), 4u);
    f.FromCa("DLCX 12 aaln/*@[203.0.113.1] MGCP 1.0\r\n");
    EXPECT_EQ(f.pins.Size(), 0u);
    f.FromCa("CRCX 13 aaln/1@[203.0.113.1] MGCP 1.0\r\nC: 2\r\n");
    f.FromGw(std::string("200 13 OK\r\nI: 5\r\n\r\n") + kSdpGw);
    EXPECT_EQ(f.pins.Size(), 2u);
    f.FromGw("RSIP 14 *@[10.0.1.10] MGCP 1.0\r\nRM: restart\r\n");
    EXPECT_FALSE(f.dropped);
    EXPECT_EQ(f.pins.Size(), 0u);
    EXPECT_EQ(f.helper.GetStats().connectionsDeleted, 3u);
}

TEST(MgcpSessionHelper, ResponsesWithoutTheirCommandAreBlockedAndCounted)
{
    HelperFixture f;
    const std::string rogue = std::string("200 999 OK\r\nI: 1\r\n\r\n") + kSdpGw;
    f.FromGw(rogue);
    EXPECT_TRUE(f.dropped);
    EXPECT_EQ(f.pins.Size(), 0u);
    // A command the gateway sent is answered by the call agent, not by the gateway itself.
    f.FromGw("NTFY 20 aaln/1@[10.0.1.10] MGCP 1.0\r\nO: L/hd\r\n");
    EXPECT_FALSE(f.dropped);
    f.FromGw("200 20 OK\r\n");
    EXPECT_TRUE(f.dropped);
    f.FromCa("200 20 OK\r\n");
    EXPECT_FALSE(f.dropped);
    f.FromCa("200 20 OK\r\n"); // a retransmitted response still matches
    EXPECT_FALSE(f.dropped);
    // ... but not once the transaction is forgotten (T-hist).
    f.now += (MgcpSessionHelper::TRANSACTION_HISTORY + 1) * 1000000000LL;
    f.FromCa("200 20 OK\r\n");
    EXPECT_TRUE(f.dropped);
    EXPECT_EQ(f.helper.GetStats().noTransaction, 3u);
    EXPECT_EQ(f.helper.GetStats().blocked, 3u);
    const std::string status = f.helper.StatusText(0);
    EXPECT_NE(status.find("model output (FortiOS documents no MGCP diagnose command)"),
              std::string::npos);
    EXPECT_NE(status.find("blocked: 3 malformed 0 no-transaction 3 wrong-role 0"),
              std::string::npos)
        << status;
    EXPECT_NE(status.find("no-transaction: response 200 to transaction 999, sent by no command"),
              std::string::npos)
        << status;
}

TEST(MgcpSessionHelper, CommandsAgainstTheSendersRoleAreBlocked)
{
    HelperFixture f;
    f.FromGw("RSIP 1 aaln/1@[10.0.1.10] MGCP 1.0\r\nRM: restart\r\n");
    f.FromCa("200 1 OK\r\n");
    // The gateway side may not create connections, the call agent side may not notify.
    f.FromGw("CRCX 2 aaln/1@[198.51.100.7] MGCP 1.0\r\nC: 1\r\n");
    EXPECT_TRUE(f.dropped);
    f.FromCa("NTFY 3 aaln/1@[203.0.113.1] MGCP 1.0\r\nO: L/hd\r\n");
    EXPECT_TRUE(f.dropped);
    // DLCX goes both ways.
    f.FromGw("DLCX 4 aaln/1@[10.0.1.10] MGCP 1.0\r\nC: 1\r\nE: 900 - Hardware error\r\n");
    EXPECT_FALSE(f.dropped);
    EXPECT_EQ(f.helper.GetStats().wrongRole, 2u);
    EXPECT_NE(f.helper.StatusText(0).find("wrong-role: CRCX from the gateway side"),
              std::string::npos)
        << f.helper.StatusText(0);
}

TEST(MgcpSessionHelper, MalformedDatagramsLeaveNoPinholeAndAreCounted)
{
    HelperFixture f;
    f.FromCa("CRCX 30 aaln/1@[203.0.113.1] MGCP 1.0\r\nC: 1\r\n");
    const std::string bad[] = {
        // the CRCX response with bare-CR lines
        "200 30 OK\rI: 1\r\r" + std::string("v=0\rc=IN IP4 10.0.1.10\rm=audio 16384 RTP/AVP 0\r"),
        // its last line without end of line
        std::string("200 30 OK\r\nI: 1\r\n\r\n") + "v=0\r\nc=IN IP4 10.0.1.10\r\nm=audio 16384",
        // a wrong version in a piggy-backed command
        std::string("200 30 OK\r\nI: 1\r\n\r\n") + kSdpGw +
            ".\r\nNTFY 31 aaln/1@[10.0.1.10] MGCP 9.9\r\n",
        // an SDP whose m= port lies
        "200 30 OK\r\nI: 1\r\n\r\nv=0\r\nc=IN IP4 10.0.1.10\r\nm=audio 99999 RTP/AVP 0\r\n",
        // a NUL inside: the text stops where C code would think it ends
        std::string("200 30 OK\r\nI: 1") + '\0' + "\r\n\r\n" + kSdpGw,
    };
    for (const std::string& b : bad)
    {
        SCOPED_TRACE(b);
        const std::string out = f.FromGw(b);
        EXPECT_TRUE(f.dropped);
        EXPECT_EQ(out, b); // no rewrite half-applied
    }
    EXPECT_EQ(f.pins.Size(), 0u);
    EXPECT_TRUE(f.reservations.empty());
    EXPECT_EQ(f.helper.GetStats().malformed, 5u);
    // The CRCX is still pending: the well-formed response opens its pinholes.
    f.FromGw(std::string("200 30 OK\r\nI: 1\r\n\r\n") + kSdpGw);
    EXPECT_FALSE(f.dropped);
    EXPECT_EQ(f.pins.Size(), 2u);
}

TEST(MgcpSessionHelper, CorpusCaptureBlocksOnlyTheBareCrDatagrams)
{
    // Every datagram of mgcp.pcap through one helper instance, each conversation its own
    // session (first packet = ORIGINAL), no NAT.
    SessionTable table;
    MgcpSessionHelper helper;
    FakeHelperHost host;
    ExpectationTable& pins = host.pins;
    uint32_t dropped = 0;
    for (const CorpusPacket& p : CorpusPackets("mgcp.pcap", IPPROTO_NUM_UDP))
    {
        SessionDir dir = SessionDir::ORIGINAL;
        Session* s = table.Find(p.view.tuple, &dir);
        if (!s)
        {
            FlowTuple reply{p.view.tuple.dst,
                            p.view.tuple.src,
                            p.view.tuple.dport,
                            p.view.tuple.sport,
                            p.view.tuple.proto};
            s = table.Insert(p.view.tuple, reply, 0, 180);
            dir = SessionDir::ORIGINAL;
        }
        std::vector<uint8_t> bytes = p.payload;
        HelperContext ctx(host, *s, dir, p.view, bytes.data(), bytes.size(), s->Translated(dir), 0);
        helper.Inspect(ctx);
        dropped += ctx.drop ? 1 : 0;
        EXPECT_TRUE(ctx.editor.Empty()) << "frame " << p.number;
    }
    EXPECT_EQ(dropped, 3u);
    EXPECT_EQ(helper.GetStats().malformed, 3u);
    EXPECT_EQ(helper.GetStats().commands, 10u);
    EXPECT_EQ(helper.GetStats().responses, 10u);
    EXPECT_EQ(pins.Size(), 0u); // no CRCX in the capture
}

} // namespace
