/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * TNS parser tests: the corpus capture oracle12.pcapng (sqlplus to an Oracle 12 listener:
 * CONNECT, RESEND, CONNECT, ACCEPT version 315, then 32-bit-length DATA; ntop/nDPI, see
 * ../shared/corpus/SOURCES.md), REDIRECT rewriting with length fixing, malformed input.
 */
#include "corpus.h"

#include "ns3/tns-parser.h"

#include <gtest/gtest.h>
#include <random>

using namespace ns3;

TEST(TnsParser, CorpusOracle12)
{
    const auto pkts = CorpusPackets("oracle12.pcapng", IPPROTO_NUM_TCP);
    std::vector<const CorpusPacket*> data;
    for (const auto& p : pkts)
    {
        if (!p.payload.empty())
        {
            data.push_back(&p);
        }
    }
    ASSERT_GE(data.size(), 6u);
    TnsPacket t;
    // Frame 4: CONNECT version 315 with its connect data at 70, 142 bytes.
    ASSERT_TRUE(ParseTns(data[0]->payload.data(), data[0]->payload.size(), false, t));
    EXPECT_EQ(t.type, TNS_CONNECT);
    EXPECT_EQ(t.length, 212u);
    EXPECT_EQ(t.version, 315);
    EXPECT_EQ(t.dataOffset, 70u);
    EXPECT_EQ(t.dataLength, 142u);
    const std::string cd(data[0]->payload.begin() + 70, data[0]->payload.begin() + 212);
    TnsAddress a;
    ASSERT_TRUE(FindTnsAddress(cd, a));
    // The CID's (HOST=kali) is not an ADDRESS: the ADDRESS's HOST is taken.
    EXPECT_EQ(a.host, "10.0.72.139");
    EXPECT_EQ(a.port, 1521);
    EXPECT_EQ(cd.substr(a.hostOffset, a.hostLength), "10.0.72.139");
    EXPECT_EQ(cd.substr(a.portOffset, a.portLength), "1521");
    // Frame 6: RESEND; frame 10: ACCEPT 315.
    ASSERT_TRUE(ParseTns(data[1]->payload.data(), data[1]->payload.size(), false, t));
    EXPECT_EQ(t.type, TNS_RESEND);
    EXPECT_EQ(t.length, 8u);
    ASSERT_TRUE(ParseTns(data[3]->payload.data(), data[3]->payload.size(), false, t));
    EXPECT_EQ(t.type, TNS_ACCEPT);
    EXPECT_EQ(t.version, 315);
    // After it, 32-bit lengths: frame 11 is DATA of 164 bytes.
    ASSERT_TRUE(ParseTns(data[4]->payload.data(), data[4]->payload.size(), true, t));
    EXPECT_EQ(t.type, TNS_DATA);
    EXPECT_EQ(t.length, 164u);
    EXPECT_FALSE(ParseTns(data[4]->payload.data(), data[4]->payload.size(), false, t));
}

TEST(TnsParser, RedirectRewriteFixesLengths)
{
    const std::string text = "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST = 10.0.0.5)(PORT=40001)))";
    const auto red = BuildTnsRedirect(text);
    TnsPacket t;
    ASSERT_TRUE(ParseTns(red.data(), red.size(), false, t));
    EXPECT_EQ(t.type, TNS_REDIRECT);
    EXPECT_EQ(t.dataOffset, 10u);
    EXPECT_EQ(t.dataLength, text.size());
    TnsAddress a;
    ASSERT_TRUE(FindTnsAddress(text, a));
    EXPECT_EQ(a.host, "10.0.0.5");
    EXPECT_EQ(a.port, 40001);
    std::string changed = text;
    changed.replace(a.hostOffset, a.hostLength, "203.0.113.200");
    const auto out = ReplaceTnsConnectData(red.data(), t, changed);
    ASSERT_EQ(out.size(), red.size() + 5);
    TnsPacket t2;
    ASSERT_TRUE(ParseTns(out.data(), out.size(), false, t2));
    EXPECT_EQ(t2.length, out.size());
    EXPECT_EQ(t2.dataLength, changed.size());
    ASSERT_TRUE(FindTnsAddress(std::string(out.begin() + 10, out.end()), a));
    EXPECT_EQ(a.host, "203.0.113.200");

    // CONNECT rebuilt the same way.
    const auto con = BuildTnsConnect("(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=1521)))");
    ASSERT_TRUE(ParseTns(con.data(), con.size(), false, t));
    EXPECT_EQ(t.type, TNS_CONNECT);
    const auto con2 =
        ReplaceTnsConnectData(con.data(), t, "(ADDRESS=(PROTOCOL=TCP)(HOST=hh)(PORT=1))");
    ASSERT_TRUE(ParseTns(con2.data(), con2.size(), false, t2));
    EXPECT_EQ(t2.dataLength, 41u);
    EXPECT_EQ(t2.dataOffset, t.dataOffset);
}

TEST(TnsParser, MalformedIsRefused)
{
    const auto red = BuildTnsRedirect(TnsAddressText("10.0.0.5", 40001));
    TnsPacket t;
    // A packet length past the segment, under the header, a connect-data length past it.
    for (std::size_t n = 0; n < red.size(); ++n)
    {
        EXPECT_FALSE(ParseTns(red.data(), n, false, t)) << n;
    }
    auto b = red;
    b[1] = 4;
    b[0] = 0;
    EXPECT_FALSE(ParseTns(b.data(), b.size(), false, t));
    b = red;
    b[9] = static_cast<uint8_t>(b[9] + 1);
    EXPECT_FALSE(ParseTns(b.data(), b.size(), false, t));
    auto con = BuildTnsConnect("(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=1))");
    con[27] = 10; // connect data inside the fixed fields
    EXPECT_FALSE(ParseTns(con.data(), con.size(), false, t));
    TnsAddress a;
    for (const char* bad : {"(ADDRESS=(PROTOCOL=UDP)(HOST=h)(PORT=1))",
                            "(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=70000))",
                            "(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=0))",
                            "(ADDRESS=(PROTOCOL=TCP)(HOST=h)",
                            "(ADDRESS=(PROTOCOL=TCP)(PORT=1))",
                            "(ADDRESS_LIST=(PROTOCOL=TCP)(HOST=h)(PORT=1))",
                            "((((",
                            ""})
    {
        EXPECT_FALSE(FindTnsAddress(bad, a)) << bad;
    }
    // The second ADDRESS is taken when the first is not TCP.
    ASSERT_TRUE(
        FindTnsAddress("(ADDRESS=(PROTOCOL=IPC)(KEY=x))(address=(protocol=tcp)(host=b)(port=2))",
                       a));
    EXPECT_EQ(a.host, "b");
    EXPECT_EQ(a.port, 2);
}

TEST(TnsParser, RandomBytesNeverCrash)
{
    std::mt19937 rng(3);
    const auto seed = BuildTnsRedirect(TnsAddressText("10.0.0.5", 40001));
    std::vector<uint8_t> b;
    for (int i = 0; i < 3000; ++i)
    {
        b = seed;
        for (int k = 0; k < 3; ++k)
        {
            b[rng() % b.size()] = static_cast<uint8_t>(rng());
        }
        b.resize(rng() % (b.size() + 1));
        FuzzTns(b.data(), b.size());
    }
    SUCCEED();
}
