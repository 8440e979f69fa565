/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ONC-RPC / portmapper / rpcbind parser tests: built messages checked field by field,
 * malformed input (XDR lengths that lie, record marks of 0 and 2^31), random bytes.
 */
#include "ns3/onc-rpc-parser.h"

#include <gtest/gtest.h>
#include <random>

using namespace ns3;

TEST(OncRpcParser, GetportCallAndReply)
{
    const auto call =
        BuildOncRpcCall(0x1234, PMAP_PROGRAM, 2, PMAP_PROC_GETPORT, PmapGetportArgs(100003, 3, 17));
    OncRpcMessage m;
    ASSERT_TRUE(ParseOncRpc(call.data(), call.size(), m));
    EXPECT_TRUE(m.call);
    EXPECT_EQ(m.xid, 0x1234u);
    EXPECT_EQ(m.prog, PMAP_PROGRAM);
    EXPECT_EQ(m.vers, 2u);
    EXPECT_EQ(m.proc, PMAP_PROC_GETPORT);
    EXPECT_EQ(m.bodyOffset, 40u);
    PmapRequest q;
    ASSERT_TRUE(ParsePmapRequest(call.data() + m.bodyOffset, call.size() - m.bodyOffset, 2, q));
    EXPECT_EQ(q.prog, 100003u);
    EXPECT_EQ(q.vers, 3u);
    EXPECT_EQ(q.proto, 17);

    const auto reply = BuildOncRpcReply(0x1234, 0, XdrUint(2049));
    ASSERT_TRUE(ParseOncRpc(reply.data(), reply.size(), m));
    EXPECT_FALSE(m.call);
    EXPECT_TRUE(m.accepted);
    EXPECT_EQ(m.acceptStat, 0u);
    PmapReply a;
    ASSERT_TRUE(ParsePmapReply(reply.data() + m.bodyOffset, reply.size() - m.bodyOffset, 2, a));
    EXPECT_EQ(a.port, 2049);
}

TEST(OncRpcParser, GetaddrUniversalAddress)
{
    const auto call =
        BuildOncRpcCall(7, PMAP_PROGRAM, 4, PMAP_PROC_GETPORT, RpcbGetaddrArgs(100005, 1, "tcp"));
    OncRpcMessage m;
    ASSERT_TRUE(ParseOncRpc(call.data(), call.size(), m));
    PmapRequest q;
    ASSERT_TRUE(ParsePmapRequest(call.data() + m.bodyOffset, call.size() - m.bodyOffset, 4, q));
    EXPECT_EQ(q.netid, "tcp");
    EXPECT_EQ(q.proto, 6);
    EXPECT_EQ(q.prog, 100005u);

    const auto reply = BuildOncRpcReply(7, 0, XdrString("10.1.2.3.3.233"));
    ASSERT_TRUE(ParseOncRpc(reply.data(), reply.size(), m));
    PmapReply a;
    ASSERT_TRUE(ParsePmapReply(reply.data() + m.bodyOffset, reply.size() - m.bodyOffset, 4, a));
    EXPECT_EQ(a.addr, 0x0a010203u);
    EXPECT_EQ(a.port, 3 * 256 + 233);
    EXPECT_EQ(a.uaddr, "10.1.2.3.3.233");
    EXPECT_EQ(FormatUniversalAddress(0xc0a80001, 2049), "192.168.0.1.8.1");

    uint32_t addr = 0;
    uint16_t port = 0;
    for (const char* bad : {"10.1.2.3.3",
                            "10.1.2.3.3.256",
                            "10.1.2.3.3.2.1",
                            "10..2.3.3.2",
                            "a.1.2.3.4.5",
                            "",
                            "10.1.2.3.3.-1",
                            "10.1.2.3.3. 1"})
    {
        EXPECT_FALSE(ParseUniversalAddress(bad, addr, port)) << bad;
    }
    // tcp6 / local netids are not IPv4: not taken.
    const auto call6 = BuildOncRpcCall(8, PMAP_PROGRAM, 3, 3, RpcbGetaddrArgs(100005, 1, "tcp6"));
    ASSERT_TRUE(ParseOncRpc(call6.data(), call6.size(), m));
    EXPECT_FALSE(ParsePmapRequest(call6.data() + m.bodyOffset, call6.size() - m.bodyOffset, 3, q));
}

TEST(OncRpcParser, RecordMarking)
{
    const auto rec = BuildOncRpcCall(1, PMAP_PROGRAM, 2, 3, PmapGetportArgs(100003, 3, 6));
    auto two = AddRecordMark(rec);
    const auto second = AddRecordMark(rec);
    two.insert(two.end(), second.begin(), second.end());
    bool bad = true;
    auto recs = SplitOncRpcRecords(two.data(), two.size(), bad);
    EXPECT_FALSE(bad);
    ASSERT_EQ(recs.size(), 2u);
    EXPECT_EQ(recs[0].offset, 4u);
    EXPECT_EQ(recs[0].length, rec.size());
    EXPECT_EQ(recs[1].offset, 8u + rec.size());
    // A record split across segments: only the complete one, not bad.
    recs = SplitOncRpcRecords(two.data(), two.size() - 3, bad);
    EXPECT_FALSE(bad);
    EXPECT_EQ(recs.size(), 1u);
    // Marks of 0, 2^31 (empty last fragment), a non-last fragment and a huge length lie.
    for (uint32_t mark : {0u, 0x80000000u, 0x00000010u, 0xffffffffu, 0x80010001u})
    {
        std::string b = XdrUint(mark) + std::string(64, '\0');
        recs = SplitOncRpcRecords(reinterpret_cast<const uint8_t*>(b.data()), b.size(), bad);
        EXPECT_TRUE(bad) << mark;
        EXPECT_TRUE(recs.empty()) << mark;
    }
}

TEST(OncRpcParser, LyingLengthsAreRefused)
{
    // A credential length past the message, and over 400 bytes.
    std::string s = XdrUint(1) + XdrUint(0) + XdrUint(2) + XdrUint(PMAP_PROGRAM) + XdrUint(2) +
                    XdrUint(3) + XdrUint(1) + XdrUint(1000);
    OncRpcMessage m;
    EXPECT_FALSE(ParseOncRpc(reinterpret_cast<const uint8_t*>(s.data()), s.size(), m));
    s = XdrUint(1) + XdrUint(0) + XdrUint(2) + XdrUint(PMAP_PROGRAM) + XdrUint(2) + XdrUint(3) +
        XdrUint(1) + XdrUint(404) + std::string(404, 'x') + XdrUint(0) + XdrUint(0);
    EXPECT_FALSE(ParseOncRpc(reinterpret_cast<const uint8_t*>(s.data()), s.size(), m));
    // rpcvers 3, message type 2, reply_stat 2.
    s = XdrUint(1) + XdrUint(0) + XdrUint(3) + std::string(28, '\0');
    EXPECT_FALSE(ParseOncRpc(reinterpret_cast<const uint8_t*>(s.data()), s.size(), m));
    s = XdrUint(1) + XdrUint(2) + std::string(28, '\0');
    EXPECT_FALSE(ParseOncRpc(reinterpret_cast<const uint8_t*>(s.data()), s.size(), m));
    s = XdrUint(1) + XdrUint(1) + XdrUint(2) + std::string(28, '\0');
    EXPECT_FALSE(ParseOncRpc(reinterpret_cast<const uint8_t*>(s.data()), s.size(), m));
    // A GETADDR reply whose string length lies; a GETPORT reply over 65535.
    PmapReply a;
    s = XdrUint(200) + "1.2.3.4.5.6";
    EXPECT_FALSE(ParsePmapReply(reinterpret_cast<const uint8_t*>(s.data()), s.size(), 3, a));
    s = XdrUint(70000);
    EXPECT_FALSE(ParsePmapReply(reinterpret_cast<const uint8_t*>(s.data()), s.size(), 2, a));
    // Every truncation of a valid call fails cleanly.
    const auto call = BuildOncRpcCall(1, PMAP_PROGRAM, 2, 3, PmapGetportArgs(100003, 3, 6));
    for (std::size_t n = 0; n < 40; ++n)
    {
        EXPECT_FALSE(ParseOncRpc(call.data(), n, m)) << n;
    }
}

TEST(OncRpcParser, RandomBytesNeverCrash)
{
    std::mt19937 rng(11);
    std::vector<uint8_t> b;
    for (int i = 0; i < 3000; ++i)
    {
        b.resize(rng() % 200);
        for (auto& x : b)
        {
            x = static_cast<uint8_t>(rng() % 4 == 0 ? 0 : rng());
        }
        FuzzOncRpc(b.data(), b.size());
    }
    SUCCEED();
}
