/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The pmap, dcerpc, tns, dns-udp/dns-tcp and mms session helpers driven through HelperContext
 * (no simulation): which pinholes open, what is rewritten, what is dropped, closed or counted,
 * with the client behind source NAT and with the server behind a VIP.
 */
#include "fake-helper-host.h"

#include "ns3/dcerpc-parser.h"
#include "ns3/dcerpc-session-helper.h"
#include "ns3/dns-session-helper.h"
#include "ns3/fortigate-config.h"
#include "ns3/mms-session-helper.h"
#include "ns3/onc-rpc-parser.h"
#include "ns3/pmap-session-helper.h"
#include "ns3/session-table.h"
#include "ns3/tns-parser.h"
#include "ns3/tns-session-helper.h"

#include <gtest/gtest.h>
#include <memory>
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

std::string
Str(const std::vector<uint8_t>& v)
{
    return std::string(v.begin(), v.end());
}

/// One session through the unit: SNAT (client 10.0.1.2 inside, server 198.51.100.7 outside,
/// translated to 203.0.113.10) or VIP (client 198.51.100.9 outside, server 10.0.2.5 inside
/// published as 203.0.113.20).
struct Fixture
{
    SessionTable table;
    Session* s{nullptr};
    FakeHelperHost host;
    std::vector<Expectation>& opened{host.opened};
    bool drop{false};
    bool close{false};
    bool hold{false};

    Fixture(uint8_t proto, uint16_t dport, bool vip = false)
    {
        host.acceptAll = true;
        FlowTuple org{vip ? Ip("198.51.100.9") : Ip("10.0.1.2"),
                      vip ? Ip("203.0.113.20") : Ip("198.51.100.7"),
                      40000,
                      dport,
                      proto};
        FlowTuple leaving = org;
        if (vip)
        {
            leaving.dst = Ip("10.0.2.5");
        }
        else
        {
            leaving.src = Ip("203.0.113.10");
        }
        s = table.Insert(org, leaving.Reversed(), 0, 10);
        s->policyId = 3;
        s->inIf[0] = 0;
        s->inIf[1] = 1;
        s->helperId = 4;
    }

    /// Run \p helper over \p bytes in direction \p dir. \return the payload as it leaves
    std::string Run(SessionHelper& helper,
                    SessionDir dir,
                    const std::string& bytes,
                    bool mayHold = false)
    {
        PacketView v;
        v.tuple = s->Tuple(dir);
        v.tcpSeq = 1000;
        v.l4Valid = true;
        const auto* b = reinterpret_cast<const uint8_t*>(bytes.data());
        HelperContext ctx(host, *s, dir, v, b, bytes.size(), s->Translated(dir), 0);
        ctx.mayHold = mayHold;
        helper.Inspect(ctx);
        drop = ctx.drop;
        close = ctx.close;
        hold = ctx.hold;
        return Str(ctx.editor.Apply(b, bytes.size()));
    }
};

} // namespace

TEST(PmapHelper, GetportReplyOpensPinholeForTheClientBehindSnat)
{
    Fixture f(IPPROTO_NUM_UDP, PMAP_PORT);
    auto h = CreateObject<PmapSessionHelper>();
    f.Run(*h,
          SessionDir::ORIGINAL,
          Str(BuildOncRpcCall(77, PMAP_PROGRAM, 2, 3, PmapGetportArgs(100003, 3, 6))));
    EXPECT_TRUE(f.opened.empty());
    // A reply with another xid opens nothing.
    f.Run(*h, SessionDir::REPLY, Str(BuildOncRpcReply(78, 0, XdrUint(2049))));
    EXPECT_TRUE(f.opened.empty());
    f.Run(*h, SessionDir::REPLY, Str(BuildOncRpcReply(77, 0, XdrUint(2049))));
    ASSERT_EQ(f.opened.size(), 1u);
    const Expectation& e = f.opened[0];
    EXPECT_EQ(e.proto, IPPROTO_NUM_TCP); // the protocol asked for, not the portmapper's
    EXPECT_EQ(e.src, Ip("10.0.1.2"));
    EXPECT_EQ(e.dst, Ip("198.51.100.7"));
    EXPECT_EQ(e.dport, 2049);
    EXPECT_EQ(e.natSrc, Ip("203.0.113.10"));
    EXPECT_EQ(e.natDst, 0u);
    EXPECT_EQ(e.inIf, 0);
    EXPECT_EQ(e.helper, "pmap");
    // The same reply again: its call was answered already.
    f.Run(*h, SessionDir::REPLY, Str(BuildOncRpcReply(77, 0, XdrUint(2049))));
    EXPECT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(h->GetPinholes(), 1u);
}

TEST(PmapHelper, GetaddrBehindVipIsRewrittenWithRecordMarkFixed)
{
    Fixture f(IPPROTO_NUM_TCP, PMAP_PORT, true);
    auto h = CreateObject<PmapSessionHelper>();
    f.Run(*h,
          SessionDir::ORIGINAL,
          Str(AddRecordMark(
              BuildOncRpcCall(5, PMAP_PROGRAM, 4, 3, RpcbGetaddrArgs(100005, 1, "udp")))));
    const auto reply = AddRecordMark(BuildOncRpcReply(5, 0, XdrString("10.0.2.5.3.233")));
    const std::string out = f.Run(*h, SessionDir::REPLY, Str(reply));
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].proto, IPPROTO_NUM_UDP);
    EXPECT_EQ(f.opened[0].src, Ip("198.51.100.9"));
    EXPECT_EQ(f.opened[0].dst, Ip("203.0.113.20"));
    EXPECT_EQ(f.opened[0].dport, 1001);
    EXPECT_EQ(f.opened[0].natDst, Ip("10.0.2.5"));
    EXPECT_EQ(f.opened[0].natDport, 1001);
    EXPECT_EQ(f.opened[0].natSrc, 0u);
    // The client is told the VIP; the record mark and XDR string length follow the new size.
    const auto expected = AddRecordMark(BuildOncRpcReply(5, 0, XdrString("203.0.113.20.3.233")));
    EXPECT_EQ(out, Str(expected));
}

TEST(PmapHelper, MalformedOpensNothingAndIsCounted)
{
    Fixture f(IPPROTO_NUM_TCP, PMAP_PORT);
    auto h = CreateObject<PmapSessionHelper>();
    for (uint32_t mark : {0u, 0x80000000u, 0x7fffffffu})
    {
        f.Run(*h, SessionDir::ORIGINAL, XdrUint(mark) + std::string(40, '\0'));
    }
    EXPECT_EQ(h->GetMalformed(), 3u);
    // A call whose credential length lies.
    std::string lie = XdrUint(1) + XdrUint(0) + XdrUint(2) + XdrUint(PMAP_PROGRAM) + XdrUint(2) +
                      XdrUint(3) + XdrUint(0) + XdrUint(5000);
    f.Run(*h,
          SessionDir::ORIGINAL,
          Str(AddRecordMark(std::vector<uint8_t>(lie.begin(), lie.end()))));
    EXPECT_EQ(h->GetMalformed(), 4u);
    f.Run(*h, SessionDir::REPLY, Str(AddRecordMark(BuildOncRpcReply(1, 0, XdrUint(2049)))));
    EXPECT_TRUE(f.opened.empty());
    // A record cut at the segment end is held for the next segment.
    const auto call =
        AddRecordMark(BuildOncRpcCall(9, PMAP_PROGRAM, 2, 3, PmapGetportArgs(1, 1, 6)));
    f.Run(*h, SessionDir::ORIGINAL, Str(call).substr(0, 20), true);
    EXPECT_TRUE(f.hold);
}

TEST(DceRpcHelper, EptMapOverTcpBehindVipRewritesTheAddressFloor)
{
    Fixture f(IPPROTO_NUM_TCP, DCERPC_EPM_PORT, true);
    auto h = CreateObject<DceRpcSessionHelper>();
    DceUuid iface;
    ParseDceUuid("12345778-1234-abcd-ef00-0123456789ac", iface);
    f.Run(*h, SessionDir::ORIGINAL, Str(BuildDceBind(1, EpmInterfaceUuid(), 3)));
    f.Run(*h, SessionDir::REPLY, Str(BuildDceBindAck(1)));
    f.Run(*h,
          SessionDir::ORIGINAL,
          Str(BuildDceCo(DCERPC_REQUEST,
                         2,
                         EPM_OPNUM_MAP,
                         BuildEptMapRequestStub(BuildDceTower(iface, 1, 6, 0, 0)))));
    const auto resp =
        BuildDceCo(DCERPC_RESPONSE,
                   2,
                   0,
                   BuildEptMapResponseStub({BuildDceTower(iface, 1, 6, Ip("10.0.2.5"), 49152)}, 0));
    const std::string out = f.Run(*h, SessionDir::REPLY, Str(resp));
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].proto, IPPROTO_NUM_TCP);
    EXPECT_EQ(f.opened[0].dst, Ip("203.0.113.20"));
    EXPECT_EQ(f.opened[0].dport, 49152);
    EXPECT_EQ(f.opened[0].natDst, Ip("10.0.2.5"));
    EXPECT_EQ(f.opened[0].helper, "dcerpc");
    const auto expected = BuildDceCo(
        DCERPC_RESPONSE,
        2,
        0,
        BuildEptMapResponseStub({BuildDceTower(iface, 1, 6, Ip("203.0.113.20"), 49152)}, 0));
    EXPECT_EQ(out, Str(expected));
}

TEST(DceRpcHelper, ConnectionlessAndFragmentsAndLies)
{
    Fixture f(IPPROTO_NUM_UDP, DCERPC_EPM_PORT);
    auto h = CreateObject<DceRpcSessionHelper>();
    DceUuid iface;
    DceUuid act;
    ParseDceUuid("12345778-1234-abcd-ef00-0123456789ac", iface);
    ParseDceUuid("11111111-2222-3333-4444-555555555555", act);
    const std::string ask = BuildEptMapRequestStub(BuildDceTower(iface, 1, 17, 0, 0));
    f.Run(*h,
          SessionDir::ORIGINAL,
          Str(BuildDceCl(DCERPC_REQUEST, EpmInterfaceUuid(), act, 4, EPM_OPNUM_MAP, ask)));
    // A response of another sequence number opens nothing; the right one a UDP pinhole.
    const std::string stub =
        BuildEptMapResponseStub({BuildDceTower(iface, 1, 17, Ip("198.51.100.7"), 1030)}, 0);
    f.Run(*h,
          SessionDir::REPLY,
          Str(BuildDceCl(DCERPC_RESPONSE, EpmInterfaceUuid(), act, 5, 0, stub)));
    EXPECT_TRUE(f.opened.empty());
    const std::string out =
        f.Run(*h,
              SessionDir::REPLY,
              Str(BuildDceCl(DCERPC_RESPONSE, EpmInterfaceUuid(), act, 4, 0, stub)));
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].proto, IPPROTO_NUM_UDP);
    EXPECT_EQ(f.opened[0].dst, Ip("198.51.100.7"));
    EXPECT_EQ(f.opened[0].dport, 1030);
    EXPECT_EQ(f.opened[0].natSrc, Ip("203.0.113.10"));
    // Client behind SNAT, server outside: nothing to rewrite.
    EXPECT_EQ(out, Str(BuildDceCl(DCERPC_RESPONSE, EpmInterfaceUuid(), act, 4, 0, stub)));

    // A fragmented request is passed unparsed; a lying tower count opens nothing.
    auto frag = BuildDceCl(DCERPC_REQUEST, EpmInterfaceUuid(), act, 6, EPM_OPNUM_MAP, ask);
    frag[2] |= 0x04;
    f.Run(*h, SessionDir::ORIGINAL, Str(frag));
    EXPECT_EQ(h->GetFragmented(), 1u);
    f.Run(*h,
          SessionDir::ORIGINAL,
          Str(BuildDceCl(DCERPC_REQUEST, EpmInterfaceUuid(), act, 7, EPM_OPNUM_MAP, ask)));
    std::string lie = stub;
    lie[32] = 9;
    f.Run(*h,
          SessionDir::REPLY,
          Str(BuildDceCl(DCERPC_RESPONSE, EpmInterfaceUuid(), act, 7, 0, lie)));
    EXPECT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(h->GetMalformed(), 1u);
}

TEST(TnsHelper, RedirectBehindVipIsRewrittenAndOpensATemporaryPinhole)
{
    Fixture f(IPPROTO_NUM_TCP, TNS_PORT, true);
    auto h = CreateObject<TnsSessionHelper>();
    f.Run(*h,
          SessionDir::ORIGINAL,
          Str(BuildTnsConnect(
              "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=203.0.113.20)(PORT=1521)))")));
    EXPECT_EQ(h->GetConnects(), 1u);
    const std::string red = "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=10.0.2.5)(PORT=40001)))";
    const std::string out = f.Run(*h, SessionDir::REPLY, Str(BuildTnsRedirect(red)));
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].dst, Ip("203.0.113.20"));
    EXPECT_EQ(f.opened[0].dport, 40001);
    EXPECT_EQ(f.opened[0].natDst, Ip("10.0.2.5"));
    EXPECT_EQ(f.opened[0].childHelper, 4); // the new connection is watched too
    EXPECT_EQ(out,
              Str(BuildTnsRedirect(
                  "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=203.0.113.20)(PORT=40001)))")));
    EXPECT_EQ(h->GetRedirects(), 1u);
    // A REDIRECT whose length runs past the segment opens nothing and is counted.
    auto bad = BuildTnsRedirect(red);
    bad[1] = static_cast<uint8_t>(bad[1] + 1);
    f.Run(*h, SessionDir::REPLY, Str(bad));
    EXPECT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(h->GetMalformed(), 1u);
}

TEST(TnsHelper, RedirectToAnotherHostIsNotRewritten)
{
    Fixture f(IPPROTO_NUM_TCP, TNS_PORT);
    auto h = CreateObject<TnsSessionHelper>();
    const auto red = BuildTnsRedirect(TnsAddressText("198.51.100.8", 40002));
    const std::string out = f.Run(*h, SessionDir::REPLY, Str(red));
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].dst, Ip("198.51.100.8"));
    EXPECT_EQ(f.opened[0].natSrc, Ip("203.0.113.10"));
    EXPECT_EQ(out, Str(red));
}

TEST(DnsHelper, AnswerMatchedTranslatedAndSessionEnds)
{
    Fixture f(IPPROTO_NUM_UDP, DNS_PORT, true);
    auto h = CreateObject<DnsUdpSessionHelper>();
    FortiGateConfig cfg;
    DnsTranslationConfig t;
    t.src = Ip("10.0.2.0");
    t.dst = Ip("203.0.113.0");
    t.netmask = Ip("255.255.255.0");
    cfg.AddDnsTranslation(t);
    h->ApplyConfig(cfg);
    const auto q = BuildDnsQuery(0x4242, "db.example.com", DNS_TYPE_A);
    f.Run(*h, SessionDir::ORIGINAL, Str(q));
    EXPECT_FALSE(f.close);
    const std::string a5("\x0a\x00\x02\x05", 4);
    const std::string other("\xc6\x33\x64\x01", 4);
    // An answer with another id is dropped.
    f.Run(*h,
          SessionDir::REPLY,
          Str(BuildDnsResponse(0x4243,
                               "db.example.com",
                               DNS_TYPE_A,
                               {{"db.example.com", DNS_TYPE_A, 60, a5}})));
    EXPECT_TRUE(f.drop);
    EXPECT_EQ(h->GetUnmatched(), 1u);
    const std::string out =
        f.Run(*h,
              SessionDir::REPLY,
              Str(BuildDnsResponse(0x4242,
                                   "db.example.com",
                                   DNS_TYPE_A,
                                   {{"db.example.com", DNS_TYPE_CNAME, 60, "host.example.com"},
                                    {"host.example.com", DNS_TYPE_A, 60, a5},
                                    {"host.example.com", DNS_TYPE_A, 60, other}})));
    EXPECT_FALSE(f.drop);
    EXPECT_TRUE(f.close);
    EXPECT_EQ(h->GetTranslated(), 1u);
    EXPECT_EQ(out,
              Str(BuildDnsResponse(
                  0x4242,
                  "db.example.com",
                  DNS_TYPE_A,
                  {{"db.example.com", DNS_TYPE_CNAME, 60, "host.example.com"},
                   {"host.example.com", DNS_TYPE_A, 60, std::string("\xcb\x00\x71\x05", 4)},
                   {"host.example.com", DNS_TYPE_A, 60, other}})));
    // A malformed answer (pointer loop) passes, counted.
    auto loop = BuildDnsQuery(1, "a.b", DNS_TYPE_A);
    loop[12] = 0xc0;
    loop[13] = 12;
    f.Run(*h, SessionDir::REPLY, Str(loop));
    EXPECT_EQ(h->GetMalformed(), 1u);
}

TEST(DnsHelper, TcpFramingSeveralMessagesAndSplitOnes)
{
    Fixture f(IPPROTO_NUM_TCP, DNS_PORT);
    auto h = CreateObject<DnsTcpSessionHelper>();
    EXPECT_EQ(h->GetName(), "dns-tcp");
    const auto q1 = AddDnsTcpLength(BuildDnsQuery(1, "a.example", DNS_TYPE_A));
    const auto q2 = AddDnsTcpLength(BuildDnsQuery(2, "b.example", DNS_TYPE_AAAA));
    f.Run(*h, SessionDir::ORIGINAL, Str(q1) + Str(q2));
    const auto r1 = AddDnsTcpLength(BuildDnsResponse(1, "a.example", DNS_TYPE_A, {}));
    // A message split over segments is held.
    f.Run(*h, SessionDir::REPLY, Str(r1).substr(0, 7), true);
    EXPECT_TRUE(f.hold);
    f.Run(*h, SessionDir::REPLY, Str(r1), true);
    EXPECT_FALSE(f.hold);
    EXPECT_FALSE(f.close); // dns-tcp keeps the connection
    EXPECT_EQ(h->GetUnmatched(), 0u);
    f.Run(*h, SessionDir::REPLY, Str(r1), true); // answered already
    EXPECT_EQ(h->GetUnmatched(), 1u);
    EXPECT_FALSE(f.drop); // TCP: counted, not dropped
}

TEST(MmsHelper, BindsAndCounts)
{
    Fixture f(IPPROTO_NUM_TCP, 1863);
    auto h = CreateObject<MmsSessionHelper>();
    h->OnSessionCreated(*f.s);
    const std::string out = f.Run(*h, SessionDir::ORIGINAL, "MSG 1 N 5\r\nhello");
    EXPECT_EQ(out, "MSG 1 N 5\r\nhello");
    EXPECT_EQ(h->GetSessions(), 1u);
    EXPECT_EQ(h->GetPackets(), 1u);
    EXPECT_TRUE(f.opened.empty());
}

TEST(SessionHelperRegistry, EveryFortiOsHelperNameIsImplemented)
{
    for (const std::string& name : SessionHelperNames())
    {
        if (name == "h323" || name == "ras" || name == "h245I" || name == "h245O" || name == "mgcp")
        {
            continue; // issue 11
        }
        EXPECT_TRUE(SessionHelperRegistry::Create(name)) << name;
    }
}
