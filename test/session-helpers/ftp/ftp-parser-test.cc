/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the FTP control-line parser: the corpus capture (ftp.pcap), every accepted
 * form, the offsets contract used for NAT rewriting, malformed input and a random-input loop.
 */
#include "corpus.h"

#include "ns3/ftp-parser.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint32_t
Addr(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    return a << 24 | b << 16 | c << 8 | d;
}

std::vector<FtpAddressCommand>
Find(const std::string& s, bool fromClient)
{
    // Exactly-sized heap copy so that a read past the end is caught by sanitizers.
    std::vector<uint8_t> buf(s.begin(), s.end());
    return FindFtpAddressCommands(buf.data(), buf.size(), fromClient);
}

std::string
Text(const std::string& s, const FtpAddressCommand& c)
{
    return s.substr(c.textOffset, c.textLength);
}

std::string
Rewrite(const std::string& s, const FtpAddressCommand& c, uint32_t addr, uint16_t port)
{
    std::string out = s;
    out.replace(c.textOffset, c.textLength, FormatFtpAddress(c.kind, addr, port, c.delimiter));
    return out;
}

} // namespace

// ---- The corpus capture -------------------------------------------------------------------

TEST(FtpParserCorpus, PasvRepliesMatchTheDataConnectionsThatFollow)
{
    auto segs = CorpusPackets("ftp.pcap", IPPROTO_NUM_TCP);
    ASSERT_GT(segs.size(), 100u);

    std::vector<std::pair<std::size_t, FtpAddressCommand>> replies;
    std::size_t clientLines = 0;
    for (std::size_t i = 0; i < segs.size(); ++i)
    {
        const auto& s = segs[i];
        if (s.payload.empty())
        {
            continue;
        }
        if (s.view.tuple.sport == 21)
        {
            for (const auto& c : FindFtpAddressCommands(s.payload.data(), s.payload.size(), false))
            {
                replies.emplace_back(i, c);
            }
        }
        else if (s.view.tuple.dport == 21)
        {
            ++clientLines;
            // The client only used PASV: no PORT/EPRT anywhere.
            EXPECT_TRUE(FindFtpAddressCommands(s.payload.data(), s.payload.size(), true).empty());
        }
    }
    EXPECT_GE(clientLines, 15u);
    ASSERT_EQ(replies.size(), 2u);

    const uint32_t server = Addr(90, 130, 70, 73);
    const uint16_t expectedPorts[] = {100 * 256 + 85, 95 * 256 + 203};
    for (std::size_t r = 0; r < replies.size(); ++r)
    {
        const auto& [index, c] = replies[r];
        EXPECT_EQ(c.kind, FtpAddressCommand::PASV_227);
        EXPECT_EQ(c.addr, server);
        EXPECT_EQ(c.port, expectedPorts[r]);
        const auto& payload = segs[index].payload;
        std::string text(payload.begin() + c.textOffset,
                         payload.begin() + c.textOffset + c.textLength);
        EXPECT_EQ(text, FormatFtpAddress(c.kind, c.addr, c.port));
        EXPECT_EQ(c.lineEnd, payload.size());

        // The next SYN after the reply goes to the announced address and port.
        bool seen = false;
        for (std::size_t k = index + 1; k < segs.size() && !seen; ++k)
        {
            const auto& v = segs[k].view;
            if ((v.tcpFlags & 0x12) == 0x02)
            {
                EXPECT_EQ(v.tuple.dst, c.addr);
                EXPECT_EQ(v.tuple.dport, c.port);
                EXPECT_EQ(v.tuple.src, segs[index].view.tuple.dst);
                seen = true;
            }
        }
        EXPECT_TRUE(seen) << "no data connection after reply " << r;
    }
}

TEST(FtpParserCorpus, RewrittenCorpusReplyParsesToTheNewAddress)
{
    auto segs = CorpusPackets("ftp.pcap", IPPROTO_NUM_TCP);
    bool done = false;
    for (const auto& s : segs)
    {
        if (s.view.tuple.sport != 21 || s.payload.empty())
        {
            continue;
        }
        std::string line(s.payload.begin(), s.payload.end());
        auto found = Find(line, false);
        if (found.empty())
        {
            continue;
        }
        std::string out = Rewrite(line, found[0], Addr(203, 0, 113, 10), 40000);
        EXPECT_EQ(out, "227 Entering Passive Mode (203,0,113,10,156,64).\r\n");
        auto again = Find(out, false);
        ASSERT_EQ(again.size(), 1u);
        EXPECT_EQ(again[0].addr, Addr(203, 0, 113, 10));
        EXPECT_EQ(again[0].port, 40000);
        done = true;
        break;
    }
    EXPECT_TRUE(done);
}

// ---- Accepted forms and the offsets contract ----------------------------------------------

TEST(FtpParserForms, PortCommand)
{
    std::string s = "PORT 10,0,1,2,234,231\r\n";
    auto f = Find(s, true);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, FtpAddressCommand::PORT);
    EXPECT_EQ(f[0].addr, Addr(10, 0, 1, 2));
    EXPECT_EQ(f[0].port, 234 * 256 + 231);
    EXPECT_EQ(f[0].textOffset, 5u);
    EXPECT_EQ(Text(s, f[0]), "10,0,1,2,234,231");
    EXPECT_EQ(f[0].lineStart, 0u);
    EXPECT_EQ(f[0].lineEnd, s.size());
    // What Linux's NAT produced for this very line (netfilter.md): one byte longer.
    std::string out = Rewrite(s, f[0], Addr(192, 0, 2, 1), f[0].port);
    EXPECT_EQ(out, "PORT 192,0,2,1,234,231\r\n");
    EXPECT_EQ(out.size(), s.size() + 1);
}

TEST(FtpParserForms, PortIsCaseInsensitiveAndAllowsSeveralSpaces)
{
    auto f = Find("port   1,2,3,4,0,21  \n", true);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].addr, Addr(1, 2, 3, 4));
    EXPECT_EQ(f[0].port, 21);
    EXPECT_EQ(f[0].textOffset, 7u);
    EXPECT_EQ(f[0].textLength, 12u);
    EXPECT_EQ(Find("PoRt 1,2,3,4,0,21\r\n", true).size(), 1u);
}

TEST(FtpParserForms, EprtCommand)
{
    std::string s = "EPRT |1|10.0.1.2|56581|\r\n";
    auto f = Find(s, true);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, FtpAddressCommand::EPRT);
    EXPECT_EQ(f[0].addr, Addr(10, 0, 1, 2));
    EXPECT_EQ(f[0].port, 56581);
    EXPECT_EQ(f[0].delimiter, '|');
    EXPECT_EQ(Text(s, f[0]), "|1|10.0.1.2|56581|");
    EXPECT_EQ(Rewrite(s, f[0], Addr(192, 0, 2, 1), 56581), "EPRT |1|192.0.2.1|56581|\r\n");
}

TEST(FtpParserForms, EprtWithOtherDelimitersKeepsThem)
{
    for (char d : std::string("!#$%&*+/:;=?@^~"))
    {
        std::string s =
            std::string("eprt ") + d + "1" + d + "192.168.0.7" + d + "1025" + d + "\r\n";
        auto f = Find(s, true);
        ASSERT_EQ(f.size(), 1u) << s;
        EXPECT_EQ(f[0].addr, Addr(192, 168, 0, 7));
        EXPECT_EQ(f[0].port, 1025);
        EXPECT_EQ(f[0].delimiter, d);
        EXPECT_EQ(Text(s, f[0]), FormatFtpAddress(FtpAddressCommand::EPRT, f[0].addr, 1025, d));
    }
}

TEST(FtpParserForms, EprtIpv6AndBadDelimitersAreIgnored)
{
    EXPECT_TRUE(Find("EPRT |2|::1|5282|\r\n", true).empty());
    EXPECT_TRUE(Find("EPRT |2|1080::8:800:200C:417A|5282|\r\n", true).empty());
    EXPECT_TRUE(Find("EPRT 515101.2.3.45100005\r\n", true).empty()); // digit delimiter
    EXPECT_TRUE(Find("EPRT .1.1.2.3.4.5000.\r\n", true).empty());    // '.' delimiter
    EXPECT_TRUE(Find("EPRT |1|1.2.3.4!5000|\r\n", true).empty());    // mixed delimiters
    EXPECT_TRUE(Find("EPRT  \r\n", true).empty());
}

TEST(FtpParserForms, Pasv227)
{
    std::string s = "227 Entering Passive Mode (10,0,1,2,4,1).\r\n";
    auto f = Find(s, false);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, FtpAddressCommand::PASV_227);
    EXPECT_EQ(f[0].addr, Addr(10, 0, 1, 2));
    EXPECT_EQ(f[0].port, 1025);
    EXPECT_EQ(Text(s, f[0]), "10,0,1,2,4,1");
    EXPECT_EQ(Rewrite(s, f[0], Addr(198, 51, 100, 7), 1025),
              "227 Entering Passive Mode (198,51,100,7,4,1).\r\n");
}

TEST(FtpParserForms, Pasv227NumbersAnywhereAfterTheCode)
{
    // No parentheses (RFC 1123 warns clients to scan for the numbers).
    auto f = Find("227 =10,0,1,2,4,1\r\n", false);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].textOffset, 5u);
    // Earlier digits that are not the address are skipped.
    std::string s = "227 Entering Passive Mode 2 (10,0,1,2,4,1)\r\n";
    f = Find(s, false);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(Text(s, f[0]), "10,0,1,2,4,1");
    // Not a 227 reply, or multi-line form: ignored.
    EXPECT_TRUE(Find("200 (10,0,1,2,4,1)\r\n", false).empty());
    EXPECT_TRUE(Find("227-Entering Passive Mode (10,0,1,2,4,1)\r\n", false).empty());
    // Seven numbers are not an address.
    EXPECT_TRUE(Find("227 (10,0,1,2,4,1,7)\r\n", false).empty());
}

TEST(FtpParserForms, Epsv229)
{
    std::string s = "229 Entering Extended Passive Mode (|||6446|)\r\n";
    auto f = Find(s, false);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, FtpAddressCommand::EPSV_229);
    EXPECT_EQ(f[0].addr, 0u);
    EXPECT_EQ(f[0].port, 6446);
    EXPECT_EQ(Text(s, f[0]), "|||6446|");
    EXPECT_EQ(Rewrite(s, f[0], 0, 56581), "229 Entering Extended Passive Mode (|||56581|)\r\n");
    EXPECT_EQ(FormatFtpAddress(FtpAddressCommand::EPSV_229, 0, 56581), "|||56581|");
    // Other delimiter kept.
    std::string t = "229 ok (!!!2000!)\r\n";
    f = Find(t, false);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].delimiter, '!');
    EXPECT_EQ(Rewrite(t, f[0], 0, 3000), "229 ok (!!!3000!)\r\n");
    // Missing closing parenthesis or delimiter.
    EXPECT_TRUE(Find("229 Entering Extended Passive Mode (|||6446|\r\n", false).empty());
    EXPECT_TRUE(Find("229 Entering Extended Passive Mode (|||6446)\r\n", false).empty());
    EXPECT_TRUE(Find("229 Entering Extended Passive Mode (||6446|)\r\n", false).empty());
}

TEST(FtpParserForms, FormatFtpAddress)
{
    EXPECT_EQ(FormatFtpAddress(FtpAddressCommand::PORT, Addr(192, 0, 2, 1), 60135),
              "192,0,2,1,234,231");
    EXPECT_EQ(FormatFtpAddress(FtpAddressCommand::PASV_227, Addr(0, 0, 0, 0), 1), "0,0,0,0,0,1");
    EXPECT_EQ(FormatFtpAddress(FtpAddressCommand::EPRT, Addr(192, 0, 2, 1), 56581),
              "|1|192.0.2.1|56581|");
    EXPECT_EQ(FormatFtpAddress(FtpAddressCommand::EPRT, Addr(255, 255, 255, 255), 65535, '!'),
              "!1!255.255.255.255!65535!");
    EXPECT_STREQ(FtpAddressKindName(FtpAddressCommand::EPSV_229), "229");
}

TEST(FtpParserForms, DirectionMatters)
{
    EXPECT_TRUE(Find("PORT 10,0,1,2,4,1\r\n", false).empty());
    EXPECT_TRUE(Find("EPRT |1|10.0.1.2|1025|\r\n", false).empty());
    EXPECT_TRUE(Find("227 Entering Passive Mode (10,0,1,2,4,1).\r\n", true).empty());
    EXPECT_TRUE(Find("229 Entering Extended Passive Mode (|||6446|)\r\n", true).empty());
}

TEST(FtpParserForms, SeveralLinesInOneBuffer)
{
    std::string s = "USER anonymous\r\nPORT 10,0,1,2,4,1\r\nNOOP\r\nEPRT |1|10.0.1.2|2000|\n";
    auto f = Find(s, true);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].kind, FtpAddressCommand::PORT);
    EXPECT_EQ(f[0].lineStart, 16u);
    EXPECT_EQ(f[0].lineEnd, 16u + 19u);
    EXPECT_EQ(f[1].kind, FtpAddressCommand::EPRT);
    EXPECT_EQ(f[1].port, 2000);
    EXPECT_EQ(f[1].lineEnd, s.size());
    EXPECT_EQ(Text(s, f[1]), "|1|10.0.1.2|2000|");
}

TEST(FtpParserForms, OnlyAtLineStart)
{
    EXPECT_TRUE(Find(" PORT 10,0,1,2,4,1\r\n", true).empty());
    EXPECT_TRUE(Find("NOOP PORT 10,0,1,2,4,1\r\n", true).empty());
    EXPECT_TRUE(Find("PORTS 10,0,1,2,4,1\r\n", true).empty());
    EXPECT_TRUE(Find("PORT10,0,1,2,4,1\r\n", true).empty());
    EXPECT_TRUE(Find("150 227 Entering Passive Mode (10,0,1,2,4,1)\r\n", false).empty());
}

// ---- Malformed input -----------------------------------------------------------------------

TEST(FtpParserMalformed, PartialLineYieldsNothingUntilComplete)
{
    std::string s = "PORT 10,0,1,2,4,1";
    EXPECT_TRUE(Find(s, true).empty());
    EXPECT_TRUE(Find(s + "\r", true).empty());
    EXPECT_EQ(Find(s + "\r\n", true).size(), 1u);
    // A complete line followed by a partial one: only the complete one.
    auto f = Find("PORT 10,0,1,2,4,1\r\nPORT 10,0,1,3,4,2", true);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].addr, Addr(10, 0, 1, 2));
    EXPECT_TRUE(Find("227 Entering Passive Mode (10,0,1,2,4,1).", false).empty());
}

TEST(FtpParserMalformed, NeverReadsPastLen)
{
    // The terminator lies just beyond len: the line must count as incomplete.
    std::string s = "PORT 10,0,1,2,4,1\r\n";
    std::vector<uint8_t> buf(s.begin(), s.end());
    EXPECT_TRUE(FindFtpAddressCommands(buf.data(), buf.size() - 1, true).empty());
    EXPECT_TRUE(FindFtpAddressCommands(buf.data(), 0, true).empty());
    EXPECT_TRUE(FindFtpAddressCommands(nullptr, 0, true).empty());
}

TEST(FtpParserMalformed, OverlongLinesAreIgnored)
{
    // Padding with spaces is otherwise accepted after the numbers.
    std::string head = "PORT 10,0,1,2,4,1";
    std::string ok = head + std::string(FTP_MAX_LINE_LENGTH - head.size() - 2, ' ') + "\r\n";
    ASSERT_EQ(ok.size(), FTP_MAX_LINE_LENGTH);
    EXPECT_EQ(Find(ok, true).size(), 1u);
    std::string tooLong = head + std::string(FTP_MAX_LINE_LENGTH - head.size() - 1, ' ') + "\r\n";
    EXPECT_TRUE(Find(tooLong, true).empty());
    std::string reply = "227 " + std::string(600, 'x') + " (10,0,1,2,4,1)\r\n";
    EXPECT_TRUE(Find(reply, false).empty());
    // The line after an overlong one is still parsed.
    auto f = Find(tooLong + "PORT 1,2,3,4,5,6\r\n", true);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].addr, Addr(1, 2, 3, 4));
}

TEST(FtpParserMalformed, BadNumbers)
{
    const char* bad[] = {
        "PORT 256,0,1,2,4,1\r\n",
        "PORT 10,256,1,2,4,1\r\n",
        "PORT 10,0,1,256,4,1\r\n",
        "PORT 10,0,1,2,256,1\r\n",
        "PORT 10,0,1,2,4,256\r\n",
        "PORT 10,0,1,2,0,0\r\n",
        "PORT 10,0,1,2,4\r\n",
        "PORT 10,0,1,2,4,\r\n",
        "PORT 10,0,1,2,,4,1\r\n",
        "PORT 10,0,1,2,4,a\r\n",
        "PORT 10,0,1,2,4,1x\r\n",
        "PORT 10,0,1,2,4,-1\r\n",
        "PORT 0010,0,1,2,4,1\r\n",
        "PORT 10,0,1,2,4,1,9\r\n",
        "PORT 10.0.1.2,4,1\r\n",
        "PORT \r\n",
        "PORT\r\n",
    };
    for (const char* s : bad)
    {
        EXPECT_TRUE(Find(s, true).empty()) << s;
    }
    const char* badEprt[] = {
        "EPRT |1|10.0.1.2|0|\r\n",
        "EPRT |1|10.0.1.2|65536|\r\n",
        "EPRT |1|10.0.1.256|80|\r\n",
        "EPRT |1|10.0.1|80|\r\n",
        "EPRT |1|10.0.1.2.3|80|\r\n",
        "EPRT |1|10.0.1.2||\r\n",
        "EPRT |1|10.0.1.2|80\r\n",
        "EPRT |1|10.0.1.2|80|x\r\n",
        "EPRT |3|10.0.1.2|80|\r\n",
        "EPRT |1|10.0.1.2|999999|\r\n",
    };
    for (const char* s : badEprt)
    {
        EXPECT_TRUE(Find(s, true).empty()) << s;
    }
    const char* badReply[] = {
        "227 Entering Passive Mode (256,0,1,2,4,1).\r\n",
        "227 Entering Passive Mode (10,0,1,2,0,0).\r\n",
        "227 Entering Passive Mode (10,0,1,2,4).\r\n",
        "227 Entering Passive Mode.\r\n",
        "229 Entering Extended Passive Mode (|||0|)\r\n",
        "229 Entering Extended Passive Mode (|||65536|)\r\n",
        "229 Entering Extended Passive Mode (|||x|)\r\n",
        "229 Entering Extended Passive Mode (1116461)\r\n",
    };
    for (const char* s : badReply)
    {
        EXPECT_TRUE(Find(s, false).empty()) << s;
    }
    // Boundaries that are valid.
    EXPECT_EQ(Find("EPRT |1|255.255.255.255|65535|\r\n", true).size(), 1u);
    EXPECT_EQ(Find("PORT 255,255,255,255,255,255\r\n", true)[0].port, 65535);
    EXPECT_EQ(Find("229 (|||1|)\r\n", false)[0].port, 1);
}

TEST(FtpParserMalformed, RandomBytesNeverBreakTheContract)
{
    std::mt19937 rng(20240601);
    const std::string alphabet = "PORTEPRTeprtport227 229(|)!,.0123456789\r\n\r\nx";
    const std::string seeds[] = {"PORT 10,0,1,2,4,1\r\n",
                                 "EPRT |1|10.0.1.2|56581|\r\n",
                                 "227 Entering Passive Mode (10,0,1,2,4,1).\r\n",
                                 "229 Entering Extended Passive Mode (|||6446|)\r\n"};
    std::size_t found = 0;
    for (int iter = 0; iter < 20000; ++iter)
    {
        std::vector<uint8_t> buf;
        int mode = iter % 3;
        if (mode == 0)
        {
            buf.resize(rng() % 700);
            for (auto& b : buf)
            {
                b = static_cast<uint8_t>(rng());
            }
        }
        else if (mode == 1)
        {
            buf.resize(rng() % 120);
            for (auto& b : buf)
            {
                b = static_cast<uint8_t>(alphabet[rng() % alphabet.size()]);
            }
        }
        else
        {
            // A valid line with a few bytes flipped, possibly truncated.
            const std::string& s = seeds[rng() % 4];
            buf.assign(s.begin(), s.end());
            for (int k = rng() % 3; k >= 0; --k)
            {
                buf[rng() % buf.size()] = static_cast<uint8_t>(alphabet[rng() % alphabet.size()]);
            }
            buf.resize(buf.size() - rng() % 3);
        }
        for (bool fromClient : {true, false})
        {
            auto cmds = FindFtpAddressCommands(buf.data(), buf.size(), fromClient);
            for (const auto& c : cmds)
            {
                ++found;
                ASSERT_LE(c.lineStart, c.textOffset);
                ASSERT_LE(c.textOffset + c.textLength, c.lineEnd);
                ASSERT_LE(c.lineEnd, buf.size());
                ASSERT_EQ(buf[c.lineEnd - 1], '\n');
                ASSERT_LE(c.lineEnd - c.lineStart, FTP_MAX_LINE_LENGTH);
                ASSERT_NE(c.port, 0);
                ASSERT_EQ(fromClient,
                          c.kind == FtpAddressCommand::PORT || c.kind == FtpAddressCommand::EPRT);
                // Rewriting with the parsed values gives a line that parses the same.
                std::string line(buf.begin() + c.lineStart, buf.begin() + c.lineEnd);
                FtpAddressCommand local = c;
                local.textOffset -= c.lineStart;
                std::string again = Rewrite(line, local, c.addr, c.port);
                auto re = Find(again, fromClient);
                ASSERT_EQ(re.size(), 1u) << again;
                ASSERT_EQ(re[0].addr, c.addr);
                ASSERT_EQ(re[0].port, c.port);
                ASSERT_EQ(re[0].kind, c.kind);
            }
        }
    }
    EXPECT_GT(found, 100u); // the loop really exercised the accepting paths
}
