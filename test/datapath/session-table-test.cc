/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the session table core: flow tuples, the FortiOS TCP state machine and timers,
 * the timer wheel and SessionTable.
 */
#include "ns3/packet-view.h"
#include "ns3/pptp-parser.h"
#include "ns3/session-table.h"
#include "ns3/tcp-state.h"

#include <gtest/gtest.h>
#include <map>
#include <set>
#include <vector>

using namespace ns3;

namespace
{

constexpr int64_t SEC = 1000000000LL;

uint32_t
Ip(const char* text)
{
    uint32_t a = 0;
    EXPECT_TRUE(ParseIpv4(text, a)) << text;
    return a;
}

FlowTuple
Udp(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport)
{
    return FlowTuple{src, dst, sport, dport, IPPROTO_NUM_UDP};
}

FlowTuple
Tcp(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport)
{
    return FlowTuple{src, dst, sport, dport, IPPROTO_NUM_TCP};
}

/// Distinct client tuple number i (10.x.y.z:port -> 198.51.100.7:53).
FlowTuple
ClientTuple(uint32_t i, uint8_t proto = IPPROTO_NUM_UDP)
{
    return FlowTuple{0x0a000000u + (i >> 4),
                     0xc6336407u,
                     static_cast<uint16_t>(1024 + (i & 15)),
                     53,
                     proto};
}

/// Insert a non-NAT session for \p org (reply = reversed).
Session*
Add(SessionTable& t, const FlowTuple& org, int64_t now, uint32_t timeout)
{
    SessionTable::InsertResult r;
    Session* s = t.Insert(org, org.Reversed(), now, timeout, &r);
    EXPECT_EQ(r, SessionTable::InsertResult::OK);
    return s;
}

/**
 * Advance the table second by second (as the owner's 1 s tick does) from \p fromSec and
 * return the whole second at which the table became empty, or -1 if not by \p toSec.
 */
int64_t
TickUntilEmpty(SessionTable& t, int64_t fromSec, int64_t toSec)
{
    for (int64_t sec = fromSec; sec <= toSec; ++sec)
    {
        t.Advance(sec * SEC);
        if (t.Size() == 0)
        {
            return sec;
        }
    }
    return -1;
}

} // namespace

// ---- FlowTuple ------------------------------------------------------------------------------

TEST(SessionFlowTupleTest, HashIsStableAndSpreads)
{
    const FlowTuple a = Tcp(Ip("10.0.1.2"), 40000, Ip("198.51.100.7"), 21);
    // Fixed value (computed independently from the documented mix): the hash must not depend
    // on the run, the platform, the address of the object or padding.
    FlowTuple copy;
    copy = a;
    EXPECT_EQ(a.Hash(), copy.Hash());
    EXPECT_EQ(a.Hash(), FlowTupleHash()(a));
    EXPECT_EQ(a.Hash(), static_cast<std::size_t>(0x6fb7ffdd4cac19ffULL)) << std::hex << a.Hash();
    EXPECT_NE(a.Hash(), a.Reversed().Hash());

    // Every field changes the hash.
    FlowTuple b = a;
    b.proto = IPPROTO_NUM_UDP;
    EXPECT_NE(a.Hash(), b.Hash());
    b = a;
    b.sport++;
    EXPECT_NE(a.Hash(), b.Hash());
    b = a;
    b.dport++;
    EXPECT_NE(a.Hash(), b.Hash());
    b = a;
    b.src++;
    EXPECT_NE(a.Hash(), b.Hash());
    b = a;
    b.dst++;
    EXPECT_NE(a.Hash(), b.Hash());

    // Low bits (power-of-two buckets): 65536 sequential source ports over 4096 buckets.
    std::vector<int> buckets(4096, 0);
    for (uint32_t p = 0; p < 65536; ++p)
    {
        FlowTuple t = a;
        t.sport = static_cast<uint16_t>(p);
        buckets[t.Hash() & 4095]++;
    }
    int maxLoad = 0;
    int empty = 0;
    for (int n : buckets)
    {
        maxLoad = std::max(maxLoad, n);
        empty += n == 0;
    }
    EXPECT_LE(maxLoad, 40); // mean 16
    EXPECT_EQ(empty, 0);
}

TEST(SessionFlowTupleTest, ReversedAndOrder)
{
    const FlowTuple a = Udp(Ip("10.0.1.2"), 5060, Ip("203.0.113.9"), 5070);
    const FlowTuple r = a.Reversed();
    EXPECT_EQ(r.src, a.dst);
    EXPECT_EQ(r.dst, a.src);
    EXPECT_EQ(r.sport, a.dport);
    EXPECT_EQ(r.dport, a.sport);
    EXPECT_EQ(r.proto, a.proto);
    EXPECT_EQ(r.Reversed(), a);
    EXPECT_NE(r, a);

    EXPECT_TRUE(a < r || r < a);
    EXPECT_FALSE(a < a);
    FlowTuple b = a;
    b.dport = 5071;
    EXPECT_TRUE(a < b);
    EXPECT_FALSE(b < a);
    FlowTuple c = a;
    c.proto = IPPROTO_NUM_ICMP; // protocol sorts first
    EXPECT_TRUE(c < a);
}

TEST(SessionFlowTupleTest, ToStringAndIpv4Text)
{
    EXPECT_EQ(Tcp(Ip("10.0.1.2"), 40000, Ip("198.51.100.7"), 21).ToString(),
              "6 10.0.1.2:40000->198.51.100.7:21");
    EXPECT_EQ(Ipv4ToString(0), "0.0.0.0");
    EXPECT_EQ(Ipv4ToString(0xffffffffu), "255.255.255.255");
    EXPECT_EQ(Ipv4ToString(0xc0a80101u), "192.168.1.1");

    uint32_t a = 0;
    EXPECT_TRUE(ParseIpv4("192.168.1.1", a));
    EXPECT_EQ(a, 0xc0a80101u);
    EXPECT_TRUE(ParseIpv4("0.0.0.0", a));
    EXPECT_EQ(a, 0u);
    EXPECT_TRUE(ParseIpv4("255.255.255.255", a));
    EXPECT_EQ(a, 0xffffffffu);
    EXPECT_TRUE(ParseIpv4("010.001.000.009", a)); // leading zeros are decimal
    EXPECT_EQ(a, 0x0a010009u);

    const uint32_t before = 0x01020304u;
    for (const char* bad : {"",
                            "1.2.3",
                            "1.2.3.4.",
                            "1.2.3.4.5",
                            "256.1.1.1",
                            "1.2.3.256",
                            "a.b.c.d",
                            "1..2.3",
                            " 1.2.3.4",
                            "1.2.3.4 ",
                            "1234.1.1.1",
                            "-1.2.3.4",
                            "1.2.3.4/24",
                            "0x1.2.3.4",
                            "1,2,3,4",
                            "."})
    {
        a = before;
        EXPECT_FALSE(ParseIpv4(bad, a)) << "'" << bad << "'";
        EXPECT_EQ(a, before) << "'" << bad << "' changed the output";
    }
}

// ---- Session basics -------------------------------------------------------------------------

TEST(SessionPacketViewTest, TcpHeaderMustBeWholeWithWellFormedOptions)
{
    // A 32-byte TCP header (data offset 8): 12 option bytes.
    auto parse = [](std::vector<uint8_t> opts, std::size_t len = 0) {
        std::vector<uint8_t> tcp(20, 0);
        tcp[0] = 0x13; // sport 5000
        tcp[1] = 0x88;
        tcp[3] = 80;
        tcp[12] = static_cast<uint8_t>(((20 + opts.size()) / 4) << 4);
        tcp[13] = 0x02; // SYN
        tcp.insert(tcp.end(), opts.begin(), opts.end());
        PacketView v;
        v.tuple.proto = 6;
        ParseTransport(tcp.data(), len ? len : tcp.size(), v);
        return v;
    };
    // MSS, SACK permitted, NOP, NOP, window scale, NOP: well formed.
    PacketView ok = parse({2, 4, 0x05, 0xb4, 4, 2, 1, 1, 3, 3, 7, 1});
    EXPECT_TRUE(ok.l4Valid);
    EXPECT_EQ(ok.l4HeaderSize, 32u);
    EXPECT_EQ(ok.tuple.dport, 80u);
    // End of list followed by anything: the rest is padding.
    EXPECT_TRUE(parse({2, 4, 0x05, 0xb4, 0, 99, 0, 1, 77, 0, 0, 0}).l4Valid);
    // An option of length 0 or 1 (ns-3's own parser never gets past it), one past the header,
    // a kind without its length byte: malformed.
    EXPECT_FALSE(parse({2, 4, 0x05, 0xb4, 30, 0, 1, 1, 1, 1, 1, 1}).l4Valid);
    EXPECT_FALSE(parse({254, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}).l4Valid);
    EXPECT_FALSE(parse({1, 1, 1, 1, 1, 1, 1, 1, 8, 10, 0, 0}).l4Valid);
    EXPECT_FALSE(parse({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8}).l4Valid);
    // The header says 32 bytes but only 28 arrived.
    EXPECT_FALSE(parse({2, 4, 0x05, 0xb4, 4, 2, 1, 1, 3, 3, 7, 1}, 28).l4Valid);
    // A data offset below 5.
    std::vector<uint8_t> shortOff(20, 0);
    shortOff[12] = 0x40;
    PacketView v;
    v.tuple.proto = 6;
    ParseTransport(shortOff.data(), shortOff.size(), v);
    EXPECT_FALSE(v.l4Valid);
}

TEST(SessionBasicsTest, FlagsReasonsAndExtension)
{
    EXPECT_EQ(SessionStateFlagsToString(0), "");
    EXPECT_EQ(SessionStateFlagsToString(SES_MAY_DIRTY | SES_LOG), "log may_dirty");
    EXPECT_EQ(SessionStateFlagsToString(SES_BLOCK | SES_REM | SES_REDIR | SES_DIRTY | SES_NPU |
                                        SES_NDR | SES_MAY_DIRTY | SES_EXT | SES_LOCAL | SES_LOG),
              "log redir local ext may_dirty ndr npu dirty rem block");
    EXPECT_EQ(SessionStateFlagsToString(SES_REDIR | SES_LOCAL), "redir local");
    EXPECT_EQ(SessionStateFlagsToString(SES_REDIR | SES_LOCAL | SES_MAY_DIRTY | SES_LOG),
              "log redir local may_dirty");

    EXPECT_STREQ(SessionCloseReasonName(SessionCloseReason::EXPIRED), "expired");
    EXPECT_STREQ(SessionCloseReasonName(SessionCloseReason::TCP_CLOSE), "tcp-close");
    EXPECT_STREQ(SessionCloseReasonName(SessionCloseReason::CLEARED), "cleared");
    EXPECT_STREQ(SessionCloseReasonName(SessionCloseReason::PARENT), "parent");
    EXPECT_STREQ(SessionCloseReasonName(SessionCloseReason::HELPER), "helper");
    EXPECT_STREQ(SessionCloseReasonName(SessionCloseReason::FLUSH), "flush");

    Session s;
    EXPECT_EQ(s.org.dir, static_cast<uint8_t>(SessionDir::ORIGINAL));
    EXPECT_EQ(s.reply.dir, static_cast<uint8_t>(SessionDir::REPLY));
    EXPECT_EQ(s.ExtOrNull(), nullptr);
    SessionExtension& e = s.Ext();
    EXPECT_EQ(&e, s.ExtOrNull());
    EXPECT_EQ(&e, &s.Ext()); // created once
    EXPECT_EQ(e.parent, nullptr);
}

// ---- TCP state machine ----------------------------------------------------------------------

namespace
{

struct TcpConn
{
    uint8_t st[2]{0, 0};

    bool Org(uint8_t flags)
    {
        return TcpStateUpdate(st, false, flags);
    }

    bool Rep(uint8_t flags)
    {
        return TcpStateUpdate(st, true, flags);
    }

    std::string Text() const
    {
        return ProtoStateText(IPPROTO_NUM_TCP, st);
    }
};

constexpr uint8_t SYN = TCP_FLAG_SYN;
constexpr uint8_t ACK = TCP_FLAG_ACK;
constexpr uint8_t FIN = TCP_FLAG_FIN;
constexpr uint8_t RST = TCP_FLAG_RST;
constexpr uint8_t PSH = TCP_FLAG_PSH;

} // namespace

TEST(SessionTcpStateTest, ThreeWayHandshake)
{
    TcpConn c;
    EXPECT_EQ(c.Text(), "00");
    EXPECT_TRUE(c.Org(SYN));
    EXPECT_EQ(c.st[0], TCP_S_SYN_SENT);
    EXPECT_EQ(c.Text(), "02");
    EXPECT_FALSE(c.Org(SYN)); // retransmitted SYN
    EXPECT_FALSE(c.Org(ACK)); // an ACK before the SYN/ACK changes nothing
    EXPECT_EQ(c.st[0], TCP_S_SYN_SENT);
    EXPECT_TRUE(c.Rep(SYN | ACK));
    EXPECT_EQ(c.st[0], TCP_S_SYN_SYNACK);
    EXPECT_EQ(c.Text(), "03");
    EXPECT_FALSE(c.Rep(SYN | ACK)); // retransmitted SYN/ACK
    EXPECT_FALSE(c.Rep(ACK));       // only the originator's ACK completes the handshake
    EXPECT_TRUE(c.Org(ACK));
    EXPECT_EQ(c.st[0], TCP_S_ESTABLISHED);
    EXPECT_EQ(c.st[1], TCP_S_NONE);
    EXPECT_EQ(c.Text(), "01");
    EXPECT_FALSE(c.Org(PSH | ACK));
    EXPECT_FALSE(c.Rep(PSH | ACK));
    EXPECT_FALSE(c.Org(SYN)); // stray SYN on an established session
    EXPECT_EQ(c.Text(), "01");
}

TEST(SessionTcpStateTest, HandshakeNeedsTheRightDirections)
{
    TcpConn c;
    EXPECT_FALSE(c.Rep(SYN)); // a SYN in the reply direction does not open
    EXPECT_EQ(c.st[0], TCP_S_NONE);
    c.Org(SYN);
    EXPECT_FALSE(c.Org(SYN | ACK)); // SYN/ACK must come from the reply side
    EXPECT_EQ(c.st[0], TCP_S_SYN_SENT);
}

TEST(SessionTcpStateTest, OriginatorClosesFirst)
{
    TcpConn c;
    c.Org(SYN);
    c.Rep(SYN | ACK);
    c.Org(ACK);
    EXPECT_TRUE(c.Org(FIN | ACK));
    EXPECT_EQ(c.st[0], TCP_S_FIN_WAIT);
    EXPECT_EQ(c.Text(), "04");
    EXPECT_FALSE(c.Org(FIN | ACK)); // retransmission
    EXPECT_FALSE(c.Rep(ACK));       // the ACK of the FIN: still half closed
    EXPECT_FALSE(c.Rep(PSH | ACK)); // the other side may still send data
    EXPECT_TRUE(c.Rep(FIN | ACK));
    EXPECT_EQ(c.st[0], TCP_S_TIME_WAIT);
    EXPECT_EQ(c.Text(), "05");
    EXPECT_FALSE(c.Org(ACK)); // last ACK
    EXPECT_EQ(c.st[0], TCP_S_TIME_WAIT);
}

TEST(SessionTcpStateTest, ResponderClosesFirst)
{
    TcpConn c;
    c.Org(SYN);
    c.Rep(SYN | ACK);
    c.Org(ACK);
    EXPECT_TRUE(c.Rep(FIN | ACK));
    EXPECT_EQ(c.st[0], TCP_S_CLOSE_WAIT);
    EXPECT_EQ(c.Text(), "07");
    EXPECT_FALSE(c.Org(ACK));
    EXPECT_FALSE(c.Rep(FIN | ACK));
    EXPECT_TRUE(c.Org(FIN | ACK));
    EXPECT_EQ(c.st[0], TCP_S_LAST_ACK);
    EXPECT_EQ(c.Text(), "08");
    EXPECT_FALSE(c.Rep(FIN | ACK)); // a repeated FIN is not the last ACK
    EXPECT_FALSE(c.Org(ACK));       // the ACK must come from the reply side
    EXPECT_TRUE(c.Rep(ACK));
    EXPECT_EQ(c.st[0], TCP_S_TIME_WAIT);
}

TEST(SessionTcpStateTest, ResetAndReuse)
{
    for (uint8_t start : {TCP_S_NONE,
                          TCP_S_SYN_SENT,
                          TCP_S_SYN_SYNACK,
                          TCP_S_ESTABLISHED,
                          TCP_S_FIN_WAIT,
                          TCP_S_CLOSE_WAIT,
                          TCP_S_LAST_ACK,
                          TCP_S_TIME_WAIT})
    {
        for (bool fromReply : {false, true})
        {
            uint8_t st[2] = {start, 0};
            EXPECT_TRUE(TcpStateUpdate(st, fromReply, RST | ACK)) << int(start);
            EXPECT_EQ(st[0], TCP_S_CLOSE);
        }
    }
    TcpConn c;
    c.Org(SYN);
    c.Rep(RST | ACK); // port closed
    EXPECT_EQ(c.Text(), "06");
    EXPECT_FALSE(c.Org(ACK));
    EXPECT_FALSE(c.Rep(RST));
    EXPECT_TRUE(c.Org(SYN)); // the client tries again with the same ports
    EXPECT_EQ(c.st[0], TCP_S_SYN_SENT);

    TcpConn d;
    d.st[0] = TCP_S_TIME_WAIT;
    EXPECT_TRUE(d.Org(SYN));
    EXPECT_EQ(d.st[0], TCP_S_SYN_SENT);
}

TEST(SessionTcpStateTest, MidStreamPickupAndEarlyFin)
{
    TcpConn c;
    EXPECT_TRUE(c.Org(PSH | ACK));
    EXPECT_EQ(c.st[0], TCP_S_ESTABLISHED);

    TcpConn d;
    d.Org(SYN);
    d.Rep(SYN | ACK);
    EXPECT_TRUE(d.Org(FIN | ACK)); // handshake ACK carried with a FIN
    EXPECT_EQ(d.st[0], TCP_S_FIN_WAIT);

    TcpConn e;
    EXPECT_FALSE(e.Org(FIN)); // a lone FIN without a session state opens nothing
    EXPECT_EQ(e.st[0], TCP_S_NONE);
}

TEST(SessionTcpStateTest, ProtoStateText)
{
    uint8_t st[2] = {0, 0};
    EXPECT_EQ(ProtoStateText(IPPROTO_NUM_UDP, st), "00");
    EXPECT_EQ(ProtoStateText(IPPROTO_NUM_ICMP, st), "00");
    st[0] = 1;
    EXPECT_EQ(ProtoStateText(IPPROTO_NUM_UDP, st), "01");
    EXPECT_EQ(ProtoStateText(IPPROTO_NUM_TCP, st), "01");
    EXPECT_EQ(ProtoStateText(IPPROTO_NUM_ICMP, st), "00");
    EXPECT_EQ(ProtoStateText(GRE_IP_PROTOCOL, st), "00");
    st[1] = 1; // reply side digit is printed first
    st[0] = 5;
    EXPECT_EQ(ProtoStateText(IPPROTO_NUM_TCP, st), "15");

    EXPECT_STREQ(TcpSessionStateName(TCP_S_ESTABLISHED), "ESTABLISHED");
    EXPECT_STREQ(TcpSessionStateName(TCP_S_SYN_SYNACK), "SYN_SYNACK");
    EXPECT_STREQ(TcpSessionStateName(TCP_S_LISTEN), "LISTEN");
    EXPECT_STREQ(TcpSessionStateName(42), "UNKNOWN");
}

TEST(SessionTcpStateTest, TimeoutPerState)
{
    const TcpUdpTimers def;
    EXPECT_EQ(def.sessionTtl, 3600u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_NONE, def, 3600), 10u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_SYN_SENT, def, 3600), 10u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_SYN_SYNACK, def, 3600), 10u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_ESTABLISHED, def, 3600), 3600u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_ESTABLISHED, def, 7200), 7200u); // session-ttl port entry
    EXPECT_EQ(TcpStateTimeout(TCP_S_FIN_WAIT, def, 3600), 120u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_CLOSE_WAIT, def, 3600), 120u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_LAST_ACK, def, 3600), 30u); // fortios.md, no CLI timer
    EXPECT_EQ(TcpStateTimeout(TCP_S_TIME_WAIT, def, 3600), 1u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_CLOSE, def, 3600), 5u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_LISTEN, def, 3600), 120u);
    EXPECT_EQ(UdpTimeout(def), 180u);
    EXPECT_EQ(UdpTimeout(def, 600), 600u);

    TcpUdpTimers t;
    t.tcpHalfopen = 20;
    t.tcpHalfclose = 60;
    t.tcpTimewait = 0;
    t.tcpRst = 7;
    t.udpIdle = 30;
    EXPECT_NE(t, def);
    EXPECT_EQ(TcpStateTimeout(TCP_S_SYN_SENT, t, 3600), 20u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_SYN_SYNACK, t, 3600), 20u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_FIN_WAIT, t, 3600), 60u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_TIME_WAIT, t, 3600), 0u);
    EXPECT_EQ(TcpStateTimeout(TCP_S_CLOSE, t, 3600), 7u);
    EXPECT_EQ(UdpTimeout(t), 30u);
}

// ---- SessionTable: index --------------------------------------------------------------------

TEST(SessionTableTest, InsertFindBothDirections)
{
    SessionTable t;
    // SNAT: 10.0.1.2:40000 -> 198.51.100.7:21 leaves as 203.0.113.10:40001.
    const FlowTuple org = Tcp(Ip("10.0.1.2"), 40000, Ip("198.51.100.7"), 21);
    const FlowTuple reply = Tcp(Ip("198.51.100.7"), 21, Ip("203.0.113.10"), 40001);
    SessionTable::InsertResult r = SessionTable::InsertResult::FULL;
    Session* s = t.Insert(org, reply, 5 * SEC, 10, &r);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(r, SessionTable::InsertResult::OK);
    EXPECT_EQ(s->serial, 1u);
    EXPECT_EQ(s->createdNs, 5 * SEC);
    EXPECT_EQ(s->lastSeenNs, 5 * SEC);
    EXPECT_EQ(s->timeout, 10u);
    EXPECT_EQ(s->Tuple(SessionDir::ORIGINAL), org);
    EXPECT_EQ(s->Tuple(SessionDir::REPLY), reply);
    EXPECT_TRUE(s->IsSnat());
    EXPECT_FALSE(s->IsDnat());
    EXPECT_EQ(t.Size(), 1u);

    SessionDir d = SessionDir::REPLY;
    EXPECT_EQ(t.Find(org, &d), s);
    EXPECT_EQ(d, SessionDir::ORIGINAL);
    EXPECT_EQ(t.Find(reply, &d), s);
    EXPECT_EQ(d, SessionDir::REPLY);
    EXPECT_EQ(t.Find(reply, nullptr), s);
    // The translated tuples are not keys.
    EXPECT_EQ(t.Find(org.Reversed(), &d), nullptr);
    EXPECT_EQ(t.Find(reply.Reversed(), &d), nullptr);
    EXPECT_TRUE(t.TupleInUse(org));
    EXPECT_TRUE(t.TupleInUse(reply));
    EXPECT_FALSE(t.TupleInUse(org.Reversed()));

    Session* s2 = Add(t, Udp(Ip("10.0.1.3"), 5060, Ip("198.51.100.7"), 5060), 6 * SEC, 180);
    EXPECT_EQ(s2->serial, 2u);
    EXPECT_EQ(t.GetStats().created, 2u);

    t.Remove(s, SessionCloseReason::CLEARED);
    EXPECT_EQ(t.Find(org, &d), nullptr);
    EXPECT_EQ(t.Find(reply, &d), nullptr);
    EXPECT_FALSE(t.TupleInUse(reply));
    EXPECT_EQ(t.Size(), 1u);
    EXPECT_EQ(t.GetStats().deleted, 1u);
    EXPECT_EQ(t.GetStats().removed, 1u);
}

TEST(SessionTableTest, SerialNumbers)
{
    SessionTable t;
    t.SetNextSerial(0xa1b2);
    EXPECT_EQ(t.GetNextSerial(), 0xa1b2u);
    EXPECT_EQ(Add(t, ClientTuple(1), 0, 10)->serial, 0xa1b2u);
    EXPECT_EQ(Add(t, ClientTuple(2), 0, 10)->serial, 0xa1b3u);
    // A refused insert does not use a serial.
    EXPECT_EQ(t.Insert(ClientTuple(1), ClientTuple(9).Reversed(), 0, 10), nullptr);
    EXPECT_EQ(Add(t, ClientTuple(3), 0, 10)->serial, 0xa1b4u);
    t.SetNextSerial(UINT32_MAX);
    EXPECT_EQ(Add(t, ClientTuple(4), 0, 10)->serial, UINT32_MAX);
    EXPECT_EQ(Add(t, ClientTuple(5), 0, 10)->serial, 1u); // 0 is skipped
    t.SetNextSerial(0);
    EXPECT_EQ(t.GetNextSerial(), 1u);
}

TEST(SessionTableTest, ClashChangesNothing)
{
    SessionTable t;
    const FlowTuple org = Udp(Ip("10.0.1.2"), 5060, Ip("198.51.100.7"), 5060);
    const FlowTuple reply = Udp(Ip("198.51.100.7"), 5060, Ip("203.0.113.10"), 5060);
    Session* s = t.Insert(org, reply, 0, 180);
    ASSERT_NE(s, nullptr);

    int closed = 0;
    t.SetCloseCallback([&](Session&, SessionCloseReason) { ++closed; });
    SessionTable::InsertResult r = SessionTable::InsertResult::OK;
    // Same original tuple.
    EXPECT_EQ(t.Insert(org, Udp(Ip("198.51.100.7"), 5060, Ip("203.0.113.10"), 5061), SEC, 180, &r),
              nullptr);
    EXPECT_EQ(r, SessionTable::InsertResult::CLASH);
    // Another client whose translated reply collides with the existing session's reply (a NAT
    // port clash).
    r = SessionTable::InsertResult::OK;
    EXPECT_EQ(t.Insert(Udp(Ip("10.0.1.3"), 5060, Ip("198.51.100.7"), 5060), reply, SEC, 180, &r),
              nullptr);
    EXPECT_EQ(r, SessionTable::InsertResult::CLASH);
    // New original tuple equal to an existing reply tuple.
    EXPECT_EQ(t.Insert(reply, Udp(Ip("1.1.1.1"), 1, Ip("2.2.2.2"), 2), SEC, 180, &r), nullptr);
    EXPECT_EQ(r, SessionTable::InsertResult::CLASH);
    // A session whose two tuples are the same.
    const FlowTuple self = Udp(Ip("10.9.9.9"), 7, Ip("10.9.9.9"), 7);
    EXPECT_EQ(t.Insert(self, self, SEC, 180, &r), nullptr);
    EXPECT_EQ(r, SessionTable::InsertResult::CLASH);

    EXPECT_EQ(t.GetStats().clash, 4u);
    EXPECT_EQ(t.GetStats().created, 1u);
    EXPECT_EQ(t.Size(), 1u);
    EXPECT_EQ(closed, 0);
    SessionDir d;
    EXPECT_EQ(t.Find(org, &d), s);
    EXPECT_EQ(t.Find(reply, &d), s);
    EXPECT_EQ(s->lastSeenNs, 0);
    EXPECT_FALSE(t.TupleInUse(self));
    EXPECT_EQ(t.NextDeadlineNs(), 180 * SEC);
}

TEST(SessionTableTest, LimitCountsMemoryTensionDropAndKeepsSessionsWorking)
{
    SessionTable t(3);
    EXPECT_EQ(t.GetMaxSessions(), 3u);
    std::vector<Session*> s;
    for (uint32_t i = 0; i < 3; ++i)
    {
        s.push_back(Add(t, ClientTuple(i), 0, 10));
    }
    SessionTable::InsertResult r = SessionTable::InsertResult::OK;
    EXPECT_EQ(t.Insert(ClientTuple(3), ClientTuple(3).Reversed(), SEC, 10, &r), nullptr);
    EXPECT_EQ(r, SessionTable::InsertResult::FULL);
    EXPECT_EQ(t.Insert(ClientTuple(4), ClientTuple(4).Reversed(), SEC, 10, &r), nullptr);
    EXPECT_EQ(t.GetStats().memoryTensionDrop, 2u);
    EXPECT_EQ(t.GetStats().clash, 0u);
    EXPECT_EQ(t.Size(), 3u);
    EXPECT_FALSE(t.TupleInUse(ClientTuple(3)));

    // Existing sessions are still found (both ways) and kept alive by traffic.
    for (uint32_t i = 0; i < 3; ++i)
    {
        SessionDir d;
        EXPECT_EQ(t.Find(ClientTuple(i).Reversed(), &d), s[i]);
        EXPECT_EQ(d, SessionDir::REPLY);
        t.Touch(s[i], 8 * SEC, 10);
    }
    EXPECT_EQ(TickUntilEmpty(t, 1, 100), 18);

    // Room again.
    EXPECT_NE(t.Insert(ClientTuple(3), ClientTuple(3).Reversed(), 20 * SEC, 10, &r), nullptr);
    EXPECT_EQ(r, SessionTable::InsertResult::OK);

    // Lowering the limit below the size removes nothing; raising it or 0 allows more.
    Add(t, ClientTuple(5), 20 * SEC, 10);
    Add(t, ClientTuple(6), 20 * SEC, 10);
    t.SetMaxSessions(1);
    EXPECT_EQ(t.Size(), 3u);
    EXPECT_EQ(t.Insert(ClientTuple(7), ClientTuple(7).Reversed(), 20 * SEC, 10, &r), nullptr);
    EXPECT_EQ(r, SessionTable::InsertResult::FULL);
    t.SetMaxSessions(0);
    EXPECT_NE(t.Insert(ClientTuple(7), ClientTuple(7).Reversed(), 20 * SEC, 10, &r), nullptr);
    EXPECT_EQ(t.GetStats().memoryTensionDrop, 3u);
}

TEST(SessionTableTest, IndexGrowsAndKeepsEverySession)
{
    SessionTable t;
    const uint32_t n = 20000;
    std::vector<Session*> s;
    for (uint32_t i = 0; i < n; ++i)
    {
        // NAT'd reply tuples so org and reply keys differ in every field.
        const FlowTuple org = ClientTuple(i, IPPROTO_NUM_TCP);
        const FlowTuple reply =
            Tcp(org.dst, org.dport, Ip("203.0.113.10"), static_cast<uint16_t>(10000 + i));
        s.push_back(t.Insert(org, reply, 0, 3600));
        ASSERT_NE(s.back(), nullptr) << i;
    }
    EXPECT_EQ(t.Size(), n);
    EXPECT_GE(t.BucketCount(), 2 * n); // load factor <= 1 (two keys per session)
    EXPECT_LT(t.BucketCount(), 4 * n);
    EXPECT_EQ(t.BucketCount() & (t.BucketCount() - 1), 0u); // power of two
    for (uint32_t i = 0; i < n; ++i)
    {
        SessionDir d;
        ASSERT_EQ(t.Find(s[i]->org.tuple, &d), s[i]);
        EXPECT_EQ(d, SessionDir::ORIGINAL);
        ASSERT_EQ(t.Find(s[i]->reply.tuple, &d), s[i]);
        EXPECT_EQ(d, SessionDir::REPLY);
    }
    // Remove every other one; the rest stay findable.
    for (uint32_t i = 0; i < n; i += 2)
    {
        t.Remove(s[i], SessionCloseReason::CLEARED);
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        EXPECT_EQ(t.Find(ClientTuple(i, IPPROTO_NUM_TCP), nullptr), i % 2 ? s[i] : nullptr);
    }
    EXPECT_EQ(t.Size(), n / 2);
}

TEST(SessionTableTest, ForEachAndClearFollowCreationOrder)
{
    SessionTable t;
    // Insert tuples in an order unrelated to their hash or value.
    const uint32_t order[] = {7, 3, 9, 1, 8, 2, 6, 0, 5, 4};
    for (uint32_t i : order)
    {
        Add(t, ClientTuple(i * 977), 0, 100);
    }
    std::vector<uint32_t> serials;
    t.ForEach([&](const Session& s) { serials.push_back(s.serial); });
    EXPECT_EQ(serials, (std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));

    std::vector<std::pair<uint32_t, SessionCloseReason>> closed;
    t.SetCloseCallback(
        [&](Session& s, SessionCloseReason why) { closed.emplace_back(s.serial, why); });
    // Clear the odd serials.
    const uint32_t n =
        t.Clear([](const Session& s) { return s.serial % 2 == 1; }, SessionCloseReason::CLEARED);
    EXPECT_EQ(n, 5u);
    ASSERT_EQ(closed.size(), 5u);
    for (size_t i = 0; i < closed.size(); ++i)
    {
        EXPECT_EQ(closed[i].first, 2 * i + 1);
        EXPECT_EQ(closed[i].second, SessionCloseReason::CLEARED);
    }
    serials.clear();
    t.ForEach([&](Session& s) { serials.push_back(s.serial); });
    EXPECT_EQ(serials, (std::vector<uint32_t>{2, 4, 6, 8, 10}));
    EXPECT_EQ(t.GetStats().deleted, 5u);

    // Flush all.
    closed.clear();
    EXPECT_EQ(t.Clear([](const Session&) { return true; }, SessionCloseReason::FLUSH), 5u);
    EXPECT_EQ(t.Size(), 0u);
    EXPECT_EQ(closed.size(), 5u);
    EXPECT_EQ(t.GetStats().flushed, 5u);
    EXPECT_EQ(t.NextDeadlineNs(), INT64_MAX);
}

TEST(SessionTableTest, CallbacksMayRemoveOtherSessions)
{
    // A parent whose close callback removes its children (as session helpers do).
    SessionTable t;
    Session* parent = Add(t, ClientTuple(0, IPPROTO_NUM_TCP), 0, 100);
    Session* child1 = Add(t, ClientTuple(1), 0, 100);
    Session* other = Add(t, ClientTuple(2), 0, 100);
    Session* child2 = Add(t, ClientTuple(3), 0, 100);
    child1->Ext().parent = parent;
    child2->Ext().parent = parent;
    std::vector<uint32_t> closed;
    t.SetCloseCallback([&](Session& s, SessionCloseReason) {
        closed.push_back(s.serial);
        t.Remove(&s, SessionCloseReason::CLEARED); // re-entrant remove of itself: ignored
        if (&s == parent)
        {
            t.Remove(child1, SessionCloseReason::PARENT);
            t.Remove(child2, SessionCloseReason::PARENT);
        }
    });
    // Clear walks the sessions; the callback removes the next ones.
    EXPECT_EQ(t.Clear([&](const Session& s) { return &s == parent || &s == other; },
                      SessionCloseReason::CLEARED),
              2u);
    EXPECT_EQ(closed, (std::vector<uint32_t>{1, 2, 4, 3}));
    EXPECT_EQ(t.Size(), 0u);
    EXPECT_EQ(t.GetStats().removed, 4u);

    // Same during expiry: parent and children expire at the same tick.
    closed.clear();
    parent = Add(t, ClientTuple(0, IPPROTO_NUM_TCP), 0, 10);
    child1 = Add(t, ClientTuple(1), 0, 10);
    child2 = Add(t, ClientTuple(3), 0, 10);
    other = Add(t, ClientTuple(2), 0, 20);
    EXPECT_EQ(t.Advance(10 * SEC), 1u); // only the parent expired by its timer
    EXPECT_EQ(closed, (std::vector<uint32_t>{5, 6, 7}));
    EXPECT_EQ(t.Size(), 1u);
    EXPECT_EQ(t.Find(ClientTuple(2), nullptr), other);

    // ForEach may remove the session it visits and the next one.
    Add(t, ClientTuple(4), 0, 20);
    Add(t, ClientTuple(5), 0, 20);
    t.SetCloseCallback(nullptr);
    std::vector<uint32_t> seen;
    t.ForEach([&](Session& s) {
        seen.push_back(s.serial);
        if (s.serial == 8)
        {
            Session* next = t.Find(ClientTuple(4), nullptr);
            t.Remove(next, SessionCloseReason::CLEARED);
            t.Remove(&s, SessionCloseReason::CLEARED);
        }
    });
    EXPECT_EQ(seen, (std::vector<uint32_t>{8, 10}));
    EXPECT_EQ(t.Size(), 1u);
}

TEST(SessionTableTest, StatsAndStateCounts)
{
    SessionTable t;
    for (uint32_t i = 0; i < 5; ++i)
    {
        Add(t, ClientTuple(i), SEC + i, 100); // 5 sessions in second 1
    }
    Add(t, ClientTuple(10), 2 * SEC, 100);
    EXPECT_EQ(t.GetStats().setupRate, 5u);
    Session* a = Add(t, ClientTuple(11, IPPROTO_NUM_TCP), 2 * SEC, 100);
    Session* b = Add(t, ClientTuple(12, IPPROTO_NUM_TCP), 2 * SEC, 100);
    a->tcpState[0] = TCP_S_ESTABLISHED;
    b->tcpState[0] = TCP_S_TIME_WAIT;
    t.Advance(3 * SEC);
    EXPECT_EQ(t.GetStats().setupRate, 3u);
    t.Advance(5 * SEC);
    EXPECT_EQ(t.GetStats().setupRate, 0u);
    auto counts = t.TcpStateCounts();
    EXPECT_EQ(counts[TCP_S_ESTABLISHED], 1u);
    EXPECT_EQ(counts[TCP_S_TIME_WAIT], 1u);
    EXPECT_EQ(counts[TCP_S_NONE], 0u); // UDP sessions are not counted
    EXPECT_EQ(t.GetStats().created, 8u);
}

// ---- SessionTable: timers -------------------------------------------------------------------

namespace
{

/// Run a TCP session through \p flags, then check it expires exactly at \p expectSec when the
/// owner ticks every second, with reason \p why.
void
CheckTcpTimer(const std::vector<std::pair<bool, uint8_t>>& packets,
              int64_t lastPacketNs,
              uint32_t sessionTtl,
              uint32_t expectTimeout,
              SessionCloseReason why)
{
    SessionTable t;
    const TcpUdpTimers timers;
    std::vector<SessionCloseReason> reasons;
    t.SetCloseCallback([&](Session&, SessionCloseReason r) { reasons.push_back(r); });
    Session* s = t.Insert(ClientTuple(1, IPPROTO_NUM_TCP),
                          ClientTuple(1, IPPROTO_NUM_TCP).Reversed(),
                          0,
                          TcpStateTimeout(TCP_S_NONE, timers, sessionTtl));
    ASSERT_NE(s, nullptr);
    for (const auto& p : packets)
    {
        TcpStateUpdate(s->tcpState, p.first, p.second);
        t.Touch(s, lastPacketNs, TcpStateTimeout(s->tcpState[0], timers, sessionTtl));
    }
    EXPECT_EQ(s->timeout, expectTimeout);
    const int64_t deadline = lastPacketNs + int64_t{expectTimeout} * SEC;
    const int64_t expectSec = (deadline + SEC - 1) / SEC;
    // Not a tick early.
    t.Advance((expectSec - 1) * SEC);
    EXPECT_EQ(t.Size(), 1u);
    t.Advance(expectSec * SEC - 1);
    EXPECT_EQ(t.Size(), 1u);
    EXPECT_EQ(t.Advance(expectSec * SEC), 1u);
    EXPECT_EQ(t.Size(), 0u);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_EQ(reasons[0], why);
}

} // namespace

TEST(SessionTimerTest, TcpHalfOpenIs10s)
{
    CheckTcpTimer({{false, SYN}}, 0, 3600, 10, SessionCloseReason::EXPIRED);
    CheckTcpTimer({{false, SYN}, {true, SYN | ACK}}, 0, 3600, 10, SessionCloseReason::EXPIRED);
}

TEST(SessionTimerTest, TcpEstablishedUsesSessionTtl)
{
    const std::vector<std::pair<bool, uint8_t>> hs = {{false, SYN},
                                                      {true, SYN | ACK},
                                                      {false, ACK}};
    CheckTcpTimer(hs, 0, 3600, 3600, SessionCloseReason::EXPIRED);
    CheckTcpTimer(hs, SEC / 2, 300, 300, SessionCloseReason::EXPIRED); // expires at 301 s
}

TEST(SessionTimerTest, TcpHalfCloseTimeWaitAndRst)
{
    std::vector<std::pair<bool, uint8_t>> p = {{false, SYN}, {true, SYN | ACK}, {false, ACK}};
    p.emplace_back(false, FIN | ACK);
    CheckTcpTimer(p, 2 * SEC, 3600, 120, SessionCloseReason::EXPIRED);
    p.emplace_back(true, FIN | ACK);
    CheckTcpTimer(p, 2 * SEC, 3600, 1, SessionCloseReason::TCP_CLOSE);
    CheckTcpTimer({{false, SYN}, {true, RST | ACK}},
                  3 * SEC + 1,
                  3600,
                  5,
                  SessionCloseReason::TCP_CLOSE);
}

TEST(SessionTimerTest, UdpIdle180)
{
    SessionTable t;
    const TcpUdpTimers timers;
    Session* s = Add(t, ClientTuple(1), 0, UdpTimeout(timers));
    t.Touch(s, 100 * SEC + 250000000, UdpTimeout(timers)); // a packet at 100.25 s
    EXPECT_EQ(TickUntilEmpty(t, 1, 1000), 281);            // first tick >= 280.25 s
}

TEST(SessionTimerTest, ExpiresAtFirstTickAtOrAfterDeadline)
{
    // Reference check for many sessions with assorted start times and timeouts.
    SessionTable t;
    std::map<uint32_t, int64_t> expectSec; // serial -> tick
    std::map<uint32_t, int64_t> gotSec;
    int64_t now = 0;
    t.SetCloseCallback([&](Session& s, SessionCloseReason) { gotSec[s.serial] = now / SEC; });
    // Sessions are created while time runs (as in a simulation): session i at i * 16.67 ms.
    const uint32_t n = 3000;
    uint64_t x = 12345;
    uint32_t next = 0;
    for (int64_t sec = 0; sec <= 9100; ++sec)
    {
        now = sec * SEC;
        t.Advance(now);
        for (; next < n && next * 16666667LL < (sec + 1) * SEC; ++next)
        {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            const int64_t start = next * 16666667LL;
            const uint32_t timeout = 1 + static_cast<uint32_t>((x >> 33) % 9000);
            Session* s = Add(t, ClientTuple(next), start, timeout);
            expectSec[s->serial] = (start + timeout * SEC + SEC - 1) / SEC;
        }
    }
    EXPECT_EQ(expectSec.size(), n);
    EXPECT_EQ(t.Size(), 0u);
    EXPECT_EQ(gotSec, expectSec);
    EXPECT_EQ(t.GetStats().expired, n);
}

TEST(SessionTimerTest, RefreshPostponesWithoutMoving)
{
    SessionTable t;
    Session* s = Add(t, ClientTuple(1), 0, 10);
    EXPECT_EQ(s->wheelDeadlineNs, 10 * SEC);
    t.Touch(s, 5 * SEC, 10);
    EXPECT_EQ(s->lastSeenNs, 5 * SEC);
    EXPECT_EQ(s->wheelDeadlineNs, 10 * SEC); // lazy: still filed under 10 s
    EXPECT_EQ(t.NextDeadlineNs(), 10 * SEC);
    EXPECT_EQ(t.Advance(10 * SEC), 0u); // visited, re-filed
    EXPECT_EQ(s->wheelDeadlineNs, 15 * SEC);
    EXPECT_EQ(t.NextDeadlineNs(), 15 * SEC);
    EXPECT_EQ(t.Advance(14 * SEC), 0u);
    EXPECT_EQ(t.Advance(15 * SEC), 1u);
    EXPECT_EQ(t.NextDeadlineNs(), INT64_MAX);
}

TEST(SessionTimerTest, EarlierDeadlineMoves)
{
    SessionTable t;
    Session* s = Add(t, ClientTuple(1, IPPROTO_NUM_TCP), 0, 3600);
    Session* keep = Add(t, ClientTuple(2), 0, 3600);
    EXPECT_EQ(s->wheelDeadlineNs, 3600 * SEC);
    s->tcpState[0] = TCP_S_TIME_WAIT;
    t.Touch(s, SEC + 1, 1);
    EXPECT_EQ(s->wheelDeadlineNs, 3 * SEC); // first tick >= 2 s + 1 ns
    EXPECT_EQ(t.NextDeadlineNs(), 3 * SEC);
    EXPECT_EQ(t.Advance(2 * SEC), 0u);
    EXPECT_EQ(t.Advance(3 * SEC), 1u);
    EXPECT_EQ(t.Find(ClientTuple(2), nullptr), keep);
    EXPECT_EQ(t.NextDeadlineNs(), 3600 * SEC);
}

TEST(SessionTimerTest, LongTimeoutsBeyondTheWheel)
{
    static_assert(TimerWheel::SLOTS < 604800, "test needs a timeout longer than the wheel");
    // Stepping every second.
    {
        SessionTable t;
        Add(t, ClientTuple(1), 0, 604800);
        Add(t, ClientTuple(2), 0, TimerWheel::SLOTS - 1);
        Add(t, ClientTuple(3), 0, TimerWheel::SLOTS);
        Add(t, ClientTuple(4), 0, TimerWheel::SLOTS + 1);
        std::vector<std::pair<uint32_t, int64_t>> closed;
        int64_t now = 0;
        t.SetCloseCallback(
            [&](Session& s, SessionCloseReason) { closed.emplace_back(s.serial, now); });
        for (now = 0; now <= 604800 * SEC; now += SEC)
        {
            t.Advance(now);
        }
        const std::vector<std::pair<uint32_t, int64_t>> want = {{2, (TimerWheel::SLOTS - 1) * SEC},
                                                                {3, TimerWheel::SLOTS * SEC},
                                                                {4, (TimerWheel::SLOTS + 1) * SEC},
                                                                {1, 604800 * SEC}};
        EXPECT_EQ(closed, want);
    }
    // One big jump, then exact.
    {
        SessionTable t;
        Session* s = Add(t, ClientTuple(1), 7 * SEC, 604800);
        EXPECT_EQ(t.Advance(604806 * SEC), 0u);
        EXPECT_EQ(t.NextDeadlineNs(), 604807 * SEC);
        t.Touch(s, 604806 * SEC, 604800); // refreshed: another week
        EXPECT_EQ(t.Advance(604807 * SEC), 0u);
        EXPECT_EQ(t.Advance(1209606 * SEC - 1), 0u);
        EXPECT_EQ(t.Advance(1209606 * SEC), 1u);
    }
}

TEST(SessionTimerTest, ZeroTimeoutAndLateInsert)
{
    SessionTable t;
    // Inserted long after time 0 with nothing filed: the wheel skips the idle time.
    Add(t, ClientTuple(1), 100000 * SEC, 0);
    EXPECT_EQ(t.NextDeadlineNs(), 100000 * SEC);
    EXPECT_EQ(t.Advance(100000 * SEC), 1u);
    // A deadline at a tick already processed expires at the next tick.
    Add(t, ClientTuple(2), 100000 * SEC, 0);
    EXPECT_EQ(t.NextDeadlineNs(), 100001 * SEC);
    EXPECT_EQ(t.Advance(100001 * SEC), 1u);
    // Touch of a session in a table whose owner has not advanced for a long time.
    Session* s = Add(t, ClientTuple(3), 100001 * SEC, 10);
    Add(t, ClientTuple(4), 100001 * SEC, 10);
    t.Touch(s, 200000 * SEC, 10);
    EXPECT_EQ(t.Advance(200000 * SEC), 1u);
    EXPECT_EQ(t.Size(), 1u);
    EXPECT_EQ(t.Advance(200009 * SEC), 0u);
    EXPECT_EQ(t.Advance(200010 * SEC), 1u);
}

// ---- keyed protocols (declared by helpers) ----------------------------------------------------

TEST(KeyedProtocolTest, GreIsDeclaredByThePptpHelperNotTheDatapath)
{
    const KeyedProtocol* gre = KeyedProtocols::Find(GRE_IP_PROTOCOL);
    ASSERT_NE(gre, nullptr);
    EXPECT_EQ(gre->name, "gre");
    EXPECT_STREQ(IpProtoName(GRE_IP_PROTOCOL), "gre");
    EXPECT_FALSE(KeyedProtocols::IsKeyed(IPPROTO_NUM_UDP));
    EXPECT_EQ(IpProtoName(253), nullptr);
}

TEST(KeyedProtocolTest, ADeclaredProtocolIsParsedKeyedAndTranslatedPerDirection)
{
    // Protocol 253 (RFC 3692 experimentation) declared keyed: the key is its first two bytes.
    KeyedProtocol k;
    k.name = "exp253";
    k.readKey = [](const uint8_t* l4, std::size_t len, uint16_t& key, uint16_t& hdr) {
        if (len < 2)
        {
            return false;
        }
        key = static_cast<uint16_t>(l4[0] << 8 | l4[1]);
        hdr = 2;
        return true;
    };
    KeyedProtocols::Declare(253, k);
    EXPECT_STREQ(IpProtoName(253), "exp253");
    // A 20-byte IPv4 header 10.0.0.1 -> 10.0.0.2, protocol 253, then key 0x1234 and a byte.
    std::vector<uint8_t> ip{0x45, 0, 0, 23, 0,  0, 0, 0, 64,   253,  0,   0,
                            10,   0, 0, 1,  10, 0, 0, 2, 0x12, 0x34, 0xff};
    PacketView v;
    ASSERT_TRUE(ParseIpv4Packet(ip.data(), ip.size(), v));
    EXPECT_TRUE(v.l4Valid);
    EXPECT_EQ(v.tuple.dport, 0x1234);
    EXPECT_EQ(v.tuple.sport, 0);
    EXPECT_EQ(v.l4HeaderSize, 2);
    // Truncated before the key: malformed.
    PacketView shortView;
    ASSERT_TRUE(ParseIpv4Packet(ip.data(), 21, shortView));
    EXPECT_FALSE(shortView.l4Valid);
    // A session of it leaves with the key of each direction, not the other tuple's port.
    SessionTable table;
    const FlowTuple org{0x0a000001, 0x0a000002, 0, 0x1234, 253};
    const FlowTuple reply{0x0a000002, 0xcb007101, 0, 0x0077, 253};
    Session* s = table.Insert(org, reply, 0, 10);
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->IsSnat());
    EXPECT_FALSE(s->IsDnat());
    EXPECT_EQ(s->Translated(SessionDir::ORIGINAL).dport, 0x1234); // no key set: as it arrived
    s->key[0] = 0x4321;
    s->key[1] = 0x0007;
    s->keySet = true;
    EXPECT_EQ(s->Translated(SessionDir::ORIGINAL).dport, 0x4321);
    EXPECT_EQ(s->Translated(SessionDir::ORIGINAL).src, 0xcb007101u);
    EXPECT_EQ(s->Translated(SessionDir::REPLY).dport, 0x0007);
    EXPECT_EQ(s->Translated(SessionDir::REPLY).sport, 0);
}
