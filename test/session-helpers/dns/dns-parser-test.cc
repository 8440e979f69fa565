/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * DNS parser tests: the corpus capture dns.pcap (ntop/nDPI, see ../shared/corpus/SOURCES.md),
 * built messages, TCP framing, and malformed names (pointer loops, pointers out of range,
 * labels over 63 bytes).
 */
#include "corpus.h"

#include "ns3/dns-parser.h"

#include <gtest/gtest.h>
#include <random>

using namespace ns3;

TEST(DnsParser, Corpus)
{
    const auto pkts = CorpusPackets("dns.pcap", IPPROTO_NUM_UDP);
    ASSERT_EQ(pkts.size(), 5u); // frames 4 and 5 travel in PPPoE in double VLAN tags
    for (const auto& p : pkts)
    {
        DnsMessage any;
        EXPECT_TRUE(ParseDns(p.payload.data(), p.payload.size(), any)) << "frame " << p.number;
    }
    DnsMessage m;
    // Frame 1: an answer (no query before it in the capture) for www.l.google.com AAAA.
    ASSERT_TRUE(ParseDns(pkts[0].payload.data(), pkts[0].payload.size(), m));
    EXPECT_TRUE(m.response);
    EXPECT_EQ(m.id, 0xdca2);
    EXPECT_EQ(m.qname, "www.l.google.com");
    EXPECT_EQ(m.qtype, DNS_TYPE_AAAA);
    EXPECT_TRUE(m.records.empty());
    // Frames 2 and 3: query and answer www.example.com AAAA, id 0xbc1f.
    ASSERT_TRUE(ParseDns(pkts[1].payload.data(), pkts[1].payload.size(), m));
    EXPECT_FALSE(m.response);
    EXPECT_EQ(m.id, 0xbc1f);
    EXPECT_EQ(m.qname, "www.example.com");
    ASSERT_TRUE(ParseDns(pkts[2].payload.data(), pkts[2].payload.size(), m));
    EXPECT_TRUE(m.response);
    EXPECT_EQ(m.id, 0xbc1f);
    EXPECT_EQ(m.qclass, 1);
    // Frames 4 and 5: a query and its answer with the same id and question.
    DnsMessage q4;
    DnsMessage a5;
    ASSERT_TRUE(ParseDns(pkts[3].payload.data(), pkts[3].payload.size(), q4));
    ASSERT_TRUE(ParseDns(pkts[4].payload.data(), pkts[4].payload.size(), a5));
    EXPECT_FALSE(q4.response);
    EXPECT_TRUE(a5.response);
    EXPECT_EQ(q4.id, a5.id);
    EXPECT_EQ(q4.qname, a5.qname);
}

TEST(DnsParser, BuiltAnswerWithCnameAndA)
{
    const auto r = BuildDnsResponse(
        7,
        "www.example.com",
        DNS_TYPE_A,
        {{"www.example.com", DNS_TYPE_CNAME, 30, "host.example.com"},
         {"host.example.com", DNS_TYPE_A, 30, std::string("\x0a\x00\x00\x05", 4)}});
    DnsMessage m;
    ASSERT_TRUE(ParseDns(r.data(), r.size(), m));
    EXPECT_EQ(m.answers, 2);
    ASSERT_EQ(m.records.size(), 2u);
    EXPECT_EQ(m.records[0].name, "www.example.com");
    EXPECT_EQ(m.records[0].target, "host.example.com");
    EXPECT_EQ(m.records[1].type, DNS_TYPE_A);
    EXPECT_EQ(r[m.records[1].rdataOffset], 10);
    EXPECT_EQ(r[m.records[1].rdataOffset + 3], 5);
    // Over TCP: two messages in one segment, the third cut.
    auto seg = AddDnsTcpLength(r);
    const auto q = AddDnsTcpLength(BuildDnsQuery(8, "a.b", DNS_TYPE_AAAA));
    seg.insert(seg.end(), q.begin(), q.end());
    seg.insert(seg.end(), q.begin(), q.begin() + 5);
    std::size_t consumed = 0;
    const auto msgs = SplitDnsTcp(seg.data(), seg.size(), consumed);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].first, 2u);
    EXPECT_EQ(msgs[0].second, r.size());
    EXPECT_EQ(consumed, seg.size() - 5);
    ASSERT_TRUE(ParseDns(seg.data() + msgs[1].first, msgs[1].second, m));
    EXPECT_EQ(m.id, 8);
}

TEST(DnsParser, MalformedNames)
{
    auto q = BuildDnsQuery(1, "www.example.com", DNS_TYPE_A);
    DnsMessage m;
    ASSERT_TRUE(ParseDns(q.data(), q.size(), m));
    // A pointer to itself, a pointer forward (out of range), two pointers pointing at each
    // other, a label of 64 bytes (0x40 type bits) and one over the message end.
    auto loop = q;
    loop[12] = 0xc0;
    loop[13] = 12;
    EXPECT_FALSE(ParseDns(loop.data(), loop.size(), m));
    loop[13] = 0xff;
    EXPECT_FALSE(ParseDns(loop.data(), loop.size(), m));
    std::string name;
    std::size_t next = 0;
    // label "a" at 12, pointer at 14 -> 12: reading from 14 loops back to the same pointer.
    const uint8_t twoway[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 0xc0, 12};
    EXPECT_FALSE(ReadDnsName(twoway, sizeof(twoway), 14, name, next));
    auto big = q;
    big[12] = 64;
    EXPECT_FALSE(ParseDns(big.data(), big.size(), m));
    big[12] = 0x80;
    EXPECT_FALSE(ParseDns(big.data(), big.size(), m));
    big[12] = 60;
    EXPECT_FALSE(ParseDns(big.data(), big.size(), m));
    EXPECT_EQ(EncodeDnsName(std::string(64, 'a') + ".com"), "");
    // A name over 255 bytes made of valid labels.
    std::string longName;
    for (int i = 0; i < 5; ++i)
    {
        longName += std::string(60, 'a') + ".";
    }
    longName += "com";
    const auto lq = BuildDnsQuery(1, longName, DNS_TYPE_A);
    EXPECT_FALSE(ParseDns(lq.data(), lq.size(), m));
    // RDATA past the end; an A record of 5 bytes; trailing bytes; counts that lie.
    const auto r = BuildDnsResponse(1,
                                    "a.b",
                                    DNS_TYPE_A,
                                    {{"a.b", DNS_TYPE_A, 1, std::string("\x01\x02\x03\x04", 4)}});
    ASSERT_TRUE(ParseDns(r.data(), r.size(), m));
    EXPECT_FALSE(ParseDns(r.data(), r.size() - 1, m));
    auto t = r;
    t.push_back(0);
    EXPECT_FALSE(ParseDns(t.data(), t.size(), m));
    t = r;
    t[7] = 2;
    EXPECT_FALSE(ParseDns(t.data(), t.size(), m));
    t = r;
    t[5] = 200;
    EXPECT_FALSE(ParseDns(t.data(), t.size(), m));
    for (std::size_t n = 0; n < r.size(); ++n)
    {
        EXPECT_FALSE(ParseDns(r.data(), n, m)) << n;
    }
}

TEST(DnsParser, RandomBytesNeverCrash)
{
    std::mt19937 rng(9);
    const auto seed = BuildDnsResponse(
        7,
        "www.example.com",
        DNS_TYPE_A,
        {{"www.example.com", DNS_TYPE_CNAME, 30, "host.example.com"},
         {"host.example.com", DNS_TYPE_A, 30, std::string("\x0a\x00\x00\x05", 4)}});
    std::vector<uint8_t> b;
    for (int i = 0; i < 3000; ++i)
    {
        b = seed;
        for (int k = 0; k < 3; ++k)
        {
            b[rng() % b.size()] = static_cast<uint8_t>(rng() % 2 ? 0xc0 : rng());
        }
        b.resize(rng() % (b.size() + 1));
        FuzzDns(b.data(), b.size());
    }
    SUCCEED();
}
