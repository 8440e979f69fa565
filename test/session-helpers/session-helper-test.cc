/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Session-helper framework: payload editor, TCP sequence adjustment, pinholes, and the FTP,
 * TFTP and RSH helpers driven through HelperContext (no simulation).
 */
#include "fake-helper-host.h"

#include "ns3/expectation-table.h"
#include "ns3/ftp-session-helper.h"
#include "ns3/payload-editor.h"
#include "ns3/rsh-session-helper.h"
#include "ns3/session-helper.h"
#include "ns3/session-table.h"
#include "ns3/tftp-session-helper.h"

#include <gtest/gtest.h>
#include <set>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

uint32_t
Ip(const char* s)
{
    uint32_t a = 0;
    EXPECT_TRUE(ParseIpv4(s, a)) << s;
    return a;
}

/// A SNAT session: client 10.0.1.2:40000 -> server 198.51.100.7:21, NATed to 203.0.113.10.
struct Fixture
{
    SessionTable table;
    Session* s{nullptr};
    FakeHelperHost host;
    std::vector<Expectation>& opened{host.opened};
    std::set<uint16_t>& takenPorts{host.taken};
    uint8_t tcpFlags{0}; //!< TCP flags of the next Run's packet

    Fixture(uint8_t proto, uint16_t dport, bool snat = true, uint16_t cport = 40000)
    {
        FlowTuple org{Ip("10.0.1.2"), Ip("198.51.100.7"), cport, dport, proto};
        FlowTuple leaving = org;
        if (snat)
        {
            leaving.src = Ip("203.0.113.10");
        }
        s = table.Insert(org, leaving.Reversed(), 0, 10);
        s->policyId = 7;
        s->inIf[0] = 0;
        s->inIf[1] = 1;
    }

    /// Run \p helper over \p text sent in direction \p dir; return the edited payload.
    std::string Run(SessionHelper& helper,
                    SessionDir dir,
                    const std::string& text,
                    uint32_t seq = 1000,
                    HelperContext** out = nullptr)
    {
        PacketView v;
        v.tuple = s->Tuple(dir);
        v.tcpSeq = seq;
        v.tcpFlags = tcpFlags;
        v.l4Valid = true;
        FlowTuple leaving = s->Translated(dir);
        auto bytes = reinterpret_cast<const uint8_t*>(text.data());
        static std::unique_ptr<HelperContext> keep;
        keep = std::make_unique<HelperContext>(host, *s, dir, v, bytes, text.size(), leaving, 0);
        HelperContext& ctx = *keep;
        helper.Inspect(ctx);
        if (out)
        {
            *out = &ctx;
        }
        auto edited = ctx.editor.Apply(bytes, text.size());
        return std::string(edited.begin(), edited.end());
    }
};

} // namespace

TEST(SessionHelperFramework, PayloadEditorAppliesNonOverlappingEdits)
{
    std::string text = "hello world";
    auto b = reinterpret_cast<const uint8_t*>(text.data());
    PayloadEditor ed;
    EXPECT_TRUE(ed.Replace(6, 5, "there!", text.size()));
    EXPECT_TRUE(ed.Replace(0, 5, "HI", text.size()));
    EXPECT_FALSE(ed.Replace(1, 2, "x", text.size()));  // overlaps the first edit
    EXPECT_FALSE(ed.Replace(10, 5, "x", text.size())); // past the end
    EXPECT_EQ(ed.Delta(), -2);
    auto out = ed.Apply(b, text.size());
    EXPECT_EQ(std::string(out.begin(), out.end()), "HI there!");
}

TEST(SessionHelperFramework, TcpSeqAdjustShiftsLaterSegmentsAndAcks)
{
    TcpSeqAdjust a;
    EXPECT_EQ(a.OffsetFor(5000), 0);
    a.Record(1000, +2);              // the segment at 1000 grew by 2 bytes
    EXPECT_EQ(a.OffsetFor(1000), 0); // itself (and retransmissions of it) keep their start
    EXPECT_EQ(a.OffsetFor(1040), 2); // later segments move
    a.Record(1000, +2);              // retransmission edited again: no double count
    EXPECT_EQ(a.OffsetFor(1040), 2);
    a.Record(2000, -1);
    EXPECT_EQ(a.OffsetFor(2000), 2);
    EXPECT_EQ(a.OffsetFor(2100), 1);
    // The peer acknowledges translated numbers: 2100 + 1 translated means 2100 original.
    EXPECT_EQ(a.OffsetForAck(2101), 1);
    EXPECT_EQ(a.OffsetForAck(1500), 2);
}

TEST(SessionHelperFramework, ExpectationLimitsExpiryAndParentRemoval)
{
    ExpectationTable t(2, 3);
    Expectation e;
    e.proto = 6;
    e.dst = Ip("203.0.113.10");
    e.expiresNs = 100;
    e.parentSerial = 1;
    for (uint16_t port = 1000; port < 1003; ++port)
    {
        e.dport = port;
        t.Add(e);
    }
    EXPECT_EQ(t.CountForParent(1), 2u); // per-parent limit replaced the oldest
    EXPECT_EQ(t.GetPerParentLimitHits(), 1u);
    e.parentSerial = 2;
    e.dport = 2000;
    EXPECT_EQ(t.Add(e), ExpectationTable::ADDED);
    e.dport = 2001;
    EXPECT_EQ(t.Add(e), ExpectationTable::REFUSED_GLOBAL);
    EXPECT_EQ(t.GetTotalLimitHits(), 1u);
    Expectation got;
    FlowTuple child{Ip("198.51.100.7"), Ip("203.0.113.10"), 20, 1002, 6};
    EXPECT_TRUE(t.Match(child, 50, &got));
    EXPECT_EQ(got.dport, 1002);
    EXPECT_FALSE(t.Match(child, 50, &got)); // one-shot
    EXPECT_EQ(t.RemoveByParent(1), 1u);
    EXPECT_EQ(t.Expire(100), 1u);
    EXPECT_EQ(t.Size(), 0u);
}

TEST(SessionHelperFramework, RegistryKnowsTheHelpers)
{
    auto names = SessionHelperRegistry::Names();
    for (const char* n : {"ftp", "tftp", "rsh"})
    {
        EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
        ASSERT_TRUE(SessionHelperRegistry::Create(n));
        EXPECT_EQ(SessionHelperRegistry::Create(n)->GetName(), n);
    }
    EXPECT_FALSE(SessionHelperRegistry::Create("no-such-helper"));
}

TEST(FtpSessionHelper, PortUnderSnatIsRewrittenAndOpensPinhole)
{
    Fixture f(6, 21);
    FtpSessionHelper h;
    std::string out = f.Run(h, SessionDir::ORIGINAL, "PORT 10,0,1,2,234,231\r\n");
    EXPECT_EQ(out, "PORT 203,0,113,10,234,231\r\n"); // netfilter.md's observed rewrite
    ASSERT_EQ(f.opened.size(), 1u);
    const Expectation& e = f.opened[0];
    EXPECT_EQ(e.src, Ip("198.51.100.7"));
    EXPECT_EQ(e.dst, Ip("203.0.113.10"));
    EXPECT_EQ(e.dport, 234 * 256 + 231);
    EXPECT_EQ(e.natDst, Ip("10.0.1.2"));
    EXPECT_EQ(e.natDport, 234 * 256 + 231);
    EXPECT_EQ(e.policyId, 7u);
    EXPECT_EQ(e.parentSerial, f.s->serial);
}

TEST(FtpSessionHelper, EprtWithTakenPortGetsAnotherPort)
{
    Fixture f(6, 21);
    f.takenPorts = {56581};
    FtpSessionHelper h;
    std::string out = f.Run(h, SessionDir::ORIGINAL, "EPRT |1|10.0.1.2|56581|\r\n");
    EXPECT_EQ(out, "EPRT |1|203.0.113.10|56582|\r\n");
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].dport, 56582);
    EXPECT_EQ(f.opened[0].natDport, 56581);
}

TEST(FtpSessionHelper, PassiveReplyFromPublicServerOpensPinholeWithoutRewrite)
{
    Fixture f(6, 21);
    FtpSessionHelper h;
    std::string line = "227 Entering Passive Mode (198,51,100,7,19,137).\r\n";
    std::string out = f.Run(h, SessionDir::REPLY, line);
    EXPECT_EQ(out, line);
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].src, Ip("10.0.1.2"));
    EXPECT_EQ(f.opened[0].dst, Ip("198.51.100.7"));
    EXPECT_EQ(f.opened[0].dport, 19 * 256 + 137);
    EXPECT_EQ(f.opened[0].natSrc, Ip("203.0.113.10")); // the client's data connection is SNATed
}

TEST(FtpSessionHelper, MalformedOrForeignAnnouncementsLeaveNoPinholeAndSameBytes)
{
    for (const std::string& line :
         std::vector<std::string>{"PORT 10,0,1,3,1,1\r\n",         // not the sender's address
                                  "PORT 10,0,1,2,256,1\r\n",       // bad number
                                  "PORT 10,0,1,2,0,0\r\n",         // port 0
                                  "EPRT |1|10.0.1.2|65536|\r\n",   // port 65536
                                  "PORT 10,0,1,2,4,1",             // split: no line end yet
                                  std::string(600, 'A') + "\r\n"}) // overlong line
    {
        Fixture f(6, 21);
        FtpSessionHelper h;
        EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, line), line) << line;
        EXPECT_TRUE(f.opened.empty()) << line;
    }
}

TEST(TftpSessionHelper, ReadRequestOpensPinholeForTheServersNewPort)
{
    Fixture f(17, 69, true, 3000);
    TftpSessionHelper h;
    std::string rrq("\0\1file-1000\0octet\0", 18);
    f.Run(h, SessionDir::ORIGINAL, rrq);
    ASSERT_EQ(f.opened.size(), 1u);
    const Expectation& e = f.opened[0];
    EXPECT_EQ(e.proto, 17);
    EXPECT_EQ(e.src, Ip("198.51.100.7"));
    EXPECT_EQ(e.sport, 0); // any: the server answers from a new port
    EXPECT_EQ(e.dst, Ip("203.0.113.10"));
    EXPECT_EQ(e.dport, 3000);
    EXPECT_EQ(e.natDst, Ip("10.0.1.2"));
    // Garbage on port 69 opens nothing.
    Fixture g(17, 69);
    g.Run(h, SessionDir::ORIGINAL, std::string("\0\x09x", 3));
    EXPECT_TRUE(g.opened.empty());
}

TEST(RshSessionHelper, StderrPortOpensPinholeAndIsTranslatedWhenTaken)
{
    Fixture f(6, 514, true, 1023);
    f.takenPorts = {1022};
    RshSessionHelper h;
    std::string start("1022\0alice\0bob\0ls\0", 18);
    std::string out = f.Run(h, SessionDir::ORIGINAL, start);
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].dport, 1023);
    EXPECT_EQ(f.opened[0].natDport, 1022);
    EXPECT_EQ(out, std::string("1023\0alice\0bob\0ls\0", 18));
    // Only the start of the stream counts.
    out = f.Run(h, SessionDir::ORIGINAL, std::string("2000\0", 5));
    EXPECT_EQ(f.opened.size(), 1u);
    // Bad port text: nothing.
    Fixture g(6, 514);
    g.Run(h, SessionDir::ORIGINAL, std::string("65536\0a\0b\0c\0", 12));
    EXPECT_TRUE(g.opened.empty());
}

namespace
{
/// Client SYN (ISN 999: the stream starts at 1000) of an rsh session seen by \p h.
void
RshSyn(Fixture& f, RshSessionHelper& h)
{
    f.tcpFlags = 0x02;
    f.Run(h, SessionDir::ORIGINAL, "", 999);
    f.tcpFlags = 0x18;
}
} // namespace

TEST(RshSessionHelper, StartAtTheStreamStartOpensAndARetransmissionIsRewrittenAlike)
{
    Fixture f(6, 514, true, 1023);
    f.takenPorts = {1022};
    RshSessionHelper h;
    RshSyn(f, h);
    const std::string start("1022\0alice\0bob\0ls\0", 18);
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, start, 1000),
              std::string("1023\0alice\0bob\0ls\0", 18));
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].dport, 1023);
    EXPECT_EQ(f.opened[0].natDport, 1022);
    // The same segment again (retransmitted): rewritten the same way, no second pinhole.
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, start, 1000),
              std::string("1023\0alice\0bob\0ls\0", 18));
    EXPECT_EQ(f.opened.size(), 1u);
    // Later data that looks like a port is not parsed.
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, std::string("6000\0", 5), 1018),
              std::string("6000\0", 5));
    EXPECT_EQ(f.opened.size(), 1u);
}

TEST(RshSessionHelper, StartSplitOverTwoSegmentsOpensNothing)
{
    // "10" then "23\0luser\0ruser\0ls\0": the first segment alone is an incomplete start.
    // Parsing the second as a start would open port 23; nothing opens, bytes pass unchanged.
    Fixture f(6, 514, true, 1023);
    RshSessionHelper h;
    RshSyn(f, h);
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, "10", 1000), "10");
    const std::string rest("23\0luser\0ruser\0ls\0", 18);
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, rest, 1002), rest);
    EXPECT_TRUE(f.opened.empty());
    // Nor does the first segment retransmitted whole afterwards.
    const std::string whole("1023\0luser\0ruser\0ls\0", 20);
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, whole, 1000), whole);
    EXPECT_TRUE(f.opened.empty());
}

TEST(RshSessionHelper, InvalidStartThenPortLikeDataOpensNothing)
{
    Fixture f(6, 514, true, 1023);
    RshSessionHelper h;
    RshSyn(f, h);
    const std::string bad("abc\0luser\0ruser\0ls\0", 19);
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, bad, 1000), bad);
    const std::string data("6000\0", 5);
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, data, 1019), data);
    EXPECT_TRUE(f.opened.empty());
    // Without the SYN (session picked up mid-stream) the first data segment is the start:
    // an invalid one ends the search just the same.
    Fixture g(6, 514, true, 1023);
    g.tcpFlags = 0x18;
    g.Run(h, SessionDir::ORIGINAL, bad, 5000);
    g.Run(h, SessionDir::ORIGINAL, data, 5019);
    EXPECT_TRUE(g.opened.empty());
}

TEST(RshSessionHelper, SegmentBeforeTheStartArrivesIsIgnoredAndTheStartStillOpens)
{
    // Out of order: a later segment first (not the start: ignored), then the start itself.
    Fixture f(6, 514, false, 1023);
    RshSessionHelper h;
    RshSyn(f, h);
    f.Run(h, SessionDir::ORIGINAL, std::string("7000\0", 5), 1018);
    EXPECT_TRUE(f.opened.empty());
    f.Run(h, SessionDir::ORIGINAL, std::string("1022\0alice\0bob\0ls\0", 18), 1000);
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].dport, 1022);
}
