/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * TFTP and RSH parser tests: the corpus captures (tftp.pcap, rsh.pcap from ntop/nDPI, see
 * ../shared/corpus/SOURCES.md), hand-made malformed input and random bytes.
 */
#include "corpus.h"

#include "ns3/config-error.h"
#include "ns3/rsh-parser.h"
#include "ns3/tftp-parser.h"

#include <gtest/gtest.h>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

bool
ParseTftpBytes(const std::vector<uint8_t>& b, TftpPacket& out)
{
    return ParseTftp(b.data(), b.size(), out);
}

/// The bytes of a string literal without its final NUL (embedded NULs kept).
template <std::size_t N>
std::vector<uint8_t>
R(const char (&s)[N])
{
    return std::vector<uint8_t>(s, s + N - 1);
}

int
RshPort(const std::string& s)
{
    return ParseRshStderrPort(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

} // namespace

// ---------------------------------------------------------------------------------------------
// TFTP against the corpus capture
// ---------------------------------------------------------------------------------------------

class TftpParserCorpus : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        m_udp = CorpusPackets("tftp.pcap", IPPROTO_NUM_UDP);
    }

    /// The payload of frame \p number.
    const CorpusPacket& Frame(uint32_t number) const
    {
        for (const auto& p : m_udp)
        {
            if (p.number == number)
            {
                return p;
            }
        }
        static CorpusPacket none;
        ADD_FAILURE() << "no UDP frame " << number;
        return none;
    }

    std::vector<CorpusPacket> m_udp;
};

TEST_F(TftpParserCorpus, EveryPacketParsesExceptTheEmptyModeProbe)
{
    // 109 frames, all TFTP over UDP.
    ASSERT_EQ(m_udp.size(), 109u);
    std::map<uint16_t, int> ops;
    for (const auto& p : m_udp)
    {
        TftpPacket pkt;
        bool ok = ParseTftpBytes(p.payload, pkt);
        if (p.number == 1)
        {
            // Frame 1 is "RRQ, filename "", mode "", then empty strings, then "octet"": the mode
            // field is empty, which RFC 1350 does not allow; Wireshark shows it garbled too.
            EXPECT_FALSE(ok) << "frame 1 has an empty mode and must be rejected";
            continue;
        }
        EXPECT_TRUE(ok) << "frame " << p.number << " does not parse";
        ops[pkt.op]++;
    }
    // Counted per opcode (frame 1 excluded).
    EXPECT_EQ(ops[TftpPacket::RRQ], 3);   // frames 2, 3, 102
    EXPECT_EQ(ops[TftpPacket::WRQ], 2);   // frames 103, 108
    EXPECT_EQ(ops[TftpPacket::DATA], 51); // 49 blocks of rfc1350.txt + block 1 of zz.bin twice
    EXPECT_EQ(ops[TftpPacket::ACK], 51);  // 49 + ACK 0 and ACK 1 of zz.bin
    EXPECT_EQ(ops[TftpPacket::OACK], 1);  // frame 109
    EXPECT_EQ(ops[TftpPacket::ERROR], 0);
}

TEST_F(TftpParserCorpus, RequestsCarryTheCapturedFileNameAndMode)
{
    struct Want
    {
        uint32_t frame;
        TftpPacket::Op op;
        const char* file;
        const char* mode;
    };

    const Want wants[] = {
        {2, TftpPacket::RRQ, "", "octet"},
        {3, TftpPacket::RRQ, "rfc1350.txt", "octet"},
        {102, TftpPacket::RRQ, "sysman.lis", "octet"},
        {103, TftpPacket::WRQ, "zz.bin", "netascii"},
        {108, TftpPacket::WRQ, "empty100KB", "octet"},
    };
    for (const Want& w : wants)
    {
        const CorpusPacket& p = Frame(w.frame);
        EXPECT_EQ(p.view.tuple.dport, TFTP_PORT) << "frame " << w.frame;
        TftpPacket pkt;
        ASSERT_TRUE(ParseTftpBytes(p.payload, pkt)) << "frame " << w.frame;
        EXPECT_EQ(pkt.op, w.op) << "frame " << w.frame;
        EXPECT_EQ(pkt.filename, w.file) << "frame " << w.frame;
        EXPECT_EQ(pkt.mode, w.mode) << "frame " << w.frame;
    }
    // RFC 2347/2348/2349 options of frame 108 and the server's OACK (frame 109).
    TftpPacket wrq;
    ASSERT_TRUE(ParseTftpBytes(Frame(108).payload, wrq));
    ASSERT_EQ(wrq.options.size(), 2u);
    EXPECT_EQ(wrq.options[0], std::make_pair(std::string("blksize"), std::string("1468")));
    EXPECT_EQ(wrq.options[1], std::make_pair(std::string("tsize"), std::string("100000")));
    TftpPacket oack;
    ASSERT_TRUE(ParseTftpBytes(Frame(109).payload, oack));
    EXPECT_EQ(oack.op, TftpPacket::OACK);
    EXPECT_EQ(oack.options, wrq.options);
    // The server answered from a new port (47649), not 69: what the helper's pinhole is for.
    EXPECT_EQ(Frame(109).view.tuple.dport, Frame(108).view.tuple.sport);
    EXPECT_NE(Frame(109).view.tuple.sport, TFTP_PORT);
}

TEST_F(TftpParserCorpus, DataBlocksCountUpAndRebuildTheFile)
{
    // rfc1350.txt: RRQ in frame 3 from 192.168.0.253:50618; the server answers from port 3445.
    const FlowTuple rrq = Frame(3).view.tuple;
    uint16_t serverPort = Frame(4).view.tuple.sport;
    EXPECT_EQ(serverPort, 3445);
    EXPECT_NE(serverPort, TFTP_PORT);
    std::string file;
    uint16_t nextData = 1;
    uint16_t nextAck = 1;
    bool last = false;
    for (const auto& p : m_udp)
    {
        TftpPacket pkt;
        if (p.view.tuple.src == rrq.dst && p.view.tuple.sport == serverPort)
        {
            ASSERT_TRUE(ParseTftpBytes(p.payload, pkt)) << "frame " << p.number;
            ASSERT_EQ(pkt.op, TftpPacket::DATA) << "frame " << p.number;
            EXPECT_EQ(p.view.tuple.dport, rrq.sport);
            EXPECT_FALSE(last) << "DATA after the last block, frame " << p.number;
            EXPECT_EQ(pkt.block, nextData) << "frame " << p.number;
            nextData = pkt.block + 1;
            file.append(p.payload.begin() + pkt.dataOffset, p.payload.end());
            EXPECT_EQ(pkt.dataLength, p.payload.size() - 4);
            last = pkt.dataLength < TFTP_BLOCK_SIZE;
        }
        else if (p.view.tuple.src == rrq.src && p.view.tuple.dport == serverPort)
        {
            ASSERT_TRUE(ParseTftpBytes(p.payload, pkt)) << "frame " << p.number;
            ASSERT_EQ(pkt.op, TftpPacket::ACK);
            EXPECT_EQ(pkt.block, nextAck) << "frame " << p.number;
            ++nextAck;
        }
    }
    EXPECT_TRUE(last);
    EXPECT_EQ(nextData, 50); // blocks 1..49
    EXPECT_EQ(nextAck, 50);
    EXPECT_EQ(file.size(), 48u * 512 + 23);
    EXPECT_EQ(file.compare(0, 6, "\n\n\n\n\n\n"), 0);
    EXPECT_NE(file.find("THE TFTP PROTOCOL (REVISION 2)"), std::string::npos);

    // zz.bin (WRQ, frame 103): ACK 0 from the new port 62058, DATA 1 sent twice (the second a
    // retransmission with the same block number and bytes), ACK 1.
    TftpPacket a0;
    TftpPacket d1;
    TftpPacket d1again;
    TftpPacket a1;
    ASSERT_TRUE(ParseTftpBytes(Frame(104).payload, a0));
    ASSERT_TRUE(ParseTftpBytes(Frame(105).payload, d1));
    ASSERT_TRUE(ParseTftpBytes(Frame(106).payload, d1again));
    ASSERT_TRUE(ParseTftpBytes(Frame(107).payload, a1));
    EXPECT_EQ(a0.op, TftpPacket::ACK);
    EXPECT_EQ(a0.block, 0);
    EXPECT_EQ(d1.op, TftpPacket::DATA);
    EXPECT_EQ(d1.block, 1);
    EXPECT_EQ(d1.dataLength, 512u);
    EXPECT_EQ(d1again.block, 1);
    EXPECT_EQ(Frame(105).payload, Frame(106).payload);
    EXPECT_EQ(a1.block, 1);
    EXPECT_EQ(Frame(104).view.tuple.sport, 62058);
}

// ---------------------------------------------------------------------------------------------
// TFTP builders, malformed input, random bytes
// ---------------------------------------------------------------------------------------------

TEST(TftpParser, BuildersRoundTrip)
{
    TftpPacket p;
    auto rrq = BuildTftpRequest(TftpPacket::RRQ, "dir/boot.img", "OcTeT");
    EXPECT_EQ(rrq,
              R("\0\x01"
                "dir/boot.img\0OcTeT\0"));
    ASSERT_TRUE(ParseTftpBytes(rrq, p));
    EXPECT_EQ(p.op, TftpPacket::RRQ);
    EXPECT_EQ(p.filename, "dir/boot.img");
    EXPECT_EQ(p.mode, "OcTeT");
    EXPECT_TRUE(p.options.empty());

    auto wrq = BuildTftpRequest(TftpPacket::WRQ, "x", "mail");
    ASSERT_TRUE(ParseTftpBytes(wrq, p));
    EXPECT_EQ(p.op, TftpPacket::WRQ);
    EXPECT_EQ(p.mode, "mail");

    std::vector<uint8_t> block(512);
    TftpFileBytes(1024, block.size(), block.data());
    auto data = BuildTftpData(3, block);
    ASSERT_EQ(data.size(), 516u);
    ASSERT_TRUE(ParseTftpBytes(data, p));
    EXPECT_EQ(p.op, TftpPacket::DATA);
    EXPECT_EQ(p.block, 3);
    EXPECT_EQ(p.dataOffset, 4u);
    EXPECT_EQ(p.dataLength, 512u);
    EXPECT_TRUE(std::equal(block.begin(), block.end(), data.begin() + 4));

    auto empty = BuildTftpData(65535, nullptr, 0);
    ASSERT_TRUE(ParseTftpBytes(empty, p));
    EXPECT_EQ(p.block, 65535);
    EXPECT_EQ(p.dataLength, 0u);

    auto ack = BuildTftpAck(0x1234);
    EXPECT_EQ(ack, (std::vector<uint8_t>{0, 4, 0x12, 0x34}));
    ASSERT_TRUE(ParseTftpBytes(ack, p));
    EXPECT_EQ(p.op, TftpPacket::ACK);
    EXPECT_EQ(p.block, 0x1234);

    auto err = BuildTftpError(TFTP_ERR_NOT_FOUND, "File not found");
    ASSERT_TRUE(ParseTftpBytes(err, p));
    EXPECT_EQ(p.op, TftpPacket::ERROR);
    EXPECT_EQ(p.errorCode, 1);
    EXPECT_EQ(p.errorMsg, "File not found");
    auto err0 = BuildTftpError(0, "");
    ASSERT_TRUE(ParseTftpBytes(err0, p));
    EXPECT_EQ(p.errorMsg, "");

    EXPECT_STREQ(TftpOpName(TftpPacket::OACK), "OACK");
    EXPECT_STREQ(TftpOpName(9), "?");
}

TEST(TftpParser, BuilderRejectsBadArguments)
{
    EXPECT_THROW(BuildTftpRequest(TftpPacket::DATA, "f", "octet"), ConfigError);
    EXPECT_THROW(BuildTftpRequest(TftpPacket::RRQ, std::string("a\0b", 3), "octet"), ConfigError);
    EXPECT_THROW(BuildTftpRequest(TftpPacket::RRQ, "f", "binary"), ConfigError);
    EXPECT_THROW(BuildTftpRequest(TftpPacket::RRQ, "f", ""), ConfigError);
    std::vector<uint8_t> big(TFTP_MAX_BLOCK_SIZE + 1);
    EXPECT_THROW(BuildTftpData(1, big), ConfigError);
    EXPECT_THROW(BuildTftpError(0, std::string("a\0", 2)), ConfigError);
    try
    {
        BuildTftpRequest(TftpPacket::RRQ, "f", "binary");
    }
    catch (const ConfigError& e)
    {
        EXPECT_NE(std::string(e.what()).find("mode"), std::string::npos) << e.what();
    }
}

TEST(TftpParser, MalformedIsRejected)
{
    TftpPacket p;
    EXPECT_FALSE(ParseTftp(nullptr, 4, p));
    EXPECT_FALSE(ParseTftpBytes({}, p));
    EXPECT_FALSE(ParseTftpBytes({0}, p));
    // opcodes out of range
    EXPECT_FALSE(ParseTftpBytes({0, 0, 0, 1}, p));
    EXPECT_FALSE(ParseTftpBytes({0, 7, 0, 1}, p));
    EXPECT_FALSE(ParseTftpBytes({0xff, 0xff, 0, 1}, p));
    EXPECT_FALSE(ParseTftpBytes({1, 3, 0, 1}, p)); // 0x0103
    // requests: no NUL, missing mode, unknown mode, empty mode, trailing junk, bad options
    EXPECT_FALSE(ParseTftpBytes(R("\0\1file"), p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\1file\0"), p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\1file\0octet"), p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\1file\0binary\0"), p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\2file\0\0"), p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\1file\0octets\0"), p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\1file\0octet\0junk"), p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\1file\0octet\0blksize\0"), p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\1file\0octet\0\0"
                                  "512\0"),
                                p));
    EXPECT_TRUE(ParseTftpBytes(R("\0\1file\0NETASCII\0"), p));
    EXPECT_TRUE(ParseTftpBytes(R("\0\1file\0octet\0blksize\0"
                                 "1024\0"),
                               p));
    ASSERT_EQ(p.options.size(), 1u);
    EXPECT_EQ(p.options[0].second, "1024");
    // DATA / ACK / ERROR / OACK shapes
    EXPECT_FALSE(ParseTftpBytes({0, 3, 0}, p));
    EXPECT_FALSE(ParseTftpBytes({0, 4, 0}, p));
    EXPECT_FALSE(ParseTftpBytes({0, 4, 0, 1, 0}, p));
    EXPECT_FALSE(ParseTftpBytes({0, 5, 0, 1}, p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\5\0\1oops"), p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\5\0\1oops\0x"), p));
    EXPECT_FALSE(ParseTftpBytes({0, 6}, p));
    EXPECT_FALSE(ParseTftpBytes(R("\0\6tsize\0"), p));
    std::vector<uint8_t> huge(4 + TFTP_MAX_BLOCK_SIZE + 1, 0);
    huge[1] = 3;
    EXPECT_FALSE(ParseTftpBytes(huge, p));
    huge.pop_back();
    EXPECT_TRUE(ParseTftpBytes(huge, p));

    // Every truncation of a valid request (with an option) is rejected.
    std::vector<uint8_t> full = R("\0\2up.bin\0octet\0tsize\0"
                                  "100\0");
    ASSERT_TRUE(ParseTftpBytes(full, p));
    for (std::size_t n = 0; n < full.size(); ++n)
    {
        if (n == 15) // "...octet\0": a complete request without options
        {
            EXPECT_TRUE(ParseTftp(full.data(), n, p));
            continue;
        }
        EXPECT_FALSE(ParseTftp(full.data(), n, p)) << "truncated at " << n;
    }
}

TEST(TftpParser, RandomBytesNeverCrashAndParsedRequestsRebuild)
{
    std::mt19937 rng(1350);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> len(0, 64);
    int parsed = 0;
    for (int i = 0; i < 200000; ++i)
    {
        std::vector<uint8_t> b(len(rng));
        for (auto& x : b)
        {
            x = static_cast<uint8_t>(byte(rng));
        }
        if (b.size() >= 2 && (i & 1))
        {
            b[0] = 0;
            b[1] = static_cast<uint8_t>(1 + (i / 2) % 6); // valid opcode half the time
        }
        TftpPacket p;
        if (!ParseTftpBytes(b, p))
        {
            continue;
        }
        ++parsed;
        ASSERT_GE(p.op, 1);
        ASSERT_LE(p.op, 6);
        if ((p.op == TftpPacket::RRQ || p.op == TftpPacket::WRQ) && p.options.empty())
        {
            ASSERT_EQ(BuildTftpRequest(p.op, p.filename, p.mode), b);
        }
        if (p.op == TftpPacket::DATA)
        {
            ASSERT_EQ(p.dataLength + 4, b.size());
        }
    }
    EXPECT_GT(parsed, 1000); // DATA and ACK shapes are common enough
}

TEST(TftpParser, GeneratedFileNames)
{
    uint64_t n = 1;
    EXPECT_TRUE(ParseTftpGeneratedName("file-0", n));
    EXPECT_EQ(n, 0u);
    EXPECT_TRUE(ParseTftpGeneratedName("file-100000", n));
    EXPECT_EQ(n, 100000u);
    EXPECT_FALSE(ParseTftpGeneratedName("file-", n));
    EXPECT_FALSE(ParseTftpGeneratedName("file-01", n));
    EXPECT_FALSE(ParseTftpGeneratedName("file-1k", n));
    EXPECT_FALSE(ParseTftpGeneratedName("file--1", n));
    EXPECT_FALSE(ParseTftpGeneratedName("File-1", n));
    EXPECT_FALSE(ParseTftpGeneratedName("file-1234567890123", n));
    // content depends on the position: a block delivered one block off differs
    int same = 0;
    for (uint64_t i = 0; i < 512; ++i)
    {
        same += TftpFileByte(i) == TftpFileByte(i + 512);
    }
    EXPECT_LT(same, 16);
}

// ---------------------------------------------------------------------------------------------
// RSH against the corpus capture
// ---------------------------------------------------------------------------------------------

TEST(RshParserCorpus, StartsGiveTheAnnouncedStderrPort)
{
    auto tcp = CorpusPackets("rsh.pcap", IPPROTO_NUM_TCP);
    ASSERT_EQ(tcp.size(), 24u);
    // Client byte streams to port 514, by client port, in capture order.
    std::map<uint16_t, std::vector<uint8_t>> toServer;
    std::map<uint16_t, std::vector<uint8_t>> firstSegment;
    std::map<uint16_t, std::vector<uint8_t>> fromServer;
    int synsToOtherPorts = 0;
    for (const auto& p : tcp)
    {
        if (p.view.tuple.dport == RSH_PORT && !p.payload.empty())
        {
            auto& s = toServer[p.view.tuple.sport];
            if (s.empty())
            {
                firstSegment[p.view.tuple.sport] = p.payload;
            }
            s.insert(s.end(), p.payload.begin(), p.payload.end());
        }
        else if (p.view.tuple.sport == RSH_PORT && !p.payload.empty())
        {
            auto& s = fromServer[p.view.tuple.dport];
            s.insert(s.end(), p.payload.begin(), p.payload.end());
        }
        if ((p.view.tcpFlags & 0x12) == 0x02 && p.view.tuple.dport != RSH_PORT)
        {
            ++synsToOtherPorts;
        }
    }
    ASSERT_EQ(toServer.size(), 2u); // two rsh sessions, from ports 1023 and 1021

    // The first segment of each session is exactly the stderr-port field; rcmd announces the
    // reserved port just below the one it connects from (1023 -> 1022, 1021 -> 1020).
    for (auto& [clientPort, seg] : firstSegment)
    {
        int port = ParseRshStderrPort(seg.data(), seg.size());
        EXPECT_EQ(port, clientPort - 1) << "session from port " << clientPort;
        RshStart st;
        EXPECT_FALSE(ParseRshStart(seg.data(), seg.size(), st)) << "only the port field so far";
    }
    EXPECT_EQ(ParseRshStderrPort(firstSegment[1023].data(), firstSegment[1023].size()), 1022);
    EXPECT_EQ(ParseRshStderrPort(firstSegment[1021].data(), firstSegment[1021].size()), 1020);

    RshStart a;
    ASSERT_TRUE(ParseRshStart(toServer[1023].data(), toServer[1023].size(), a));
    EXPECT_EQ(a.stderrPort, 1022);
    EXPECT_TRUE(a.hasStderr);
    EXPECT_EQ(a.portTextLength, 4u);
    EXPECT_EQ(a.localUser, "lns");
    EXPECT_EQ(a.remoteUser, "root");
    EXPECT_EQ(a.command, "mkdir testdir");
    EXPECT_EQ(a.length, toServer[1023].size());

    RshStart b;
    ASSERT_TRUE(ParseRshStart(toServer[1021].data(), toServer[1021].size(), b));
    EXPECT_EQ(b.stderrPort, 1020);
    EXPECT_EQ(b.localUser, "lns");
    EXPECT_EQ(b.remoteUser, "someuser");
    EXPECT_EQ(b.command, "some random command");

    // Both were refused by rshd: status byte 1 and a message on the main connection.
    EXPECT_EQ(std::string(fromServer[1023].begin(), fromServer[1023].end()),
              "\x01Password incorrect.\n");
    EXPECT_EQ(std::string(fromServer[1021].begin(), fromServer[1021].end()),
              "\x01Login incorrect.\n");
    // This capture holds only port-514 traffic: the back-connection to 1022/1020 is not in it
    // (the session helper's end-to-end tests check the back-connection in simulation).
    EXPECT_EQ(synsToOtherPorts, 0);
}

// ---------------------------------------------------------------------------------------------
// RSH malformed input, builders, random bytes
// ---------------------------------------------------------------------------------------------

TEST(RshParser, StderrPortField)
{
    EXPECT_EQ(RshPort(std::string("1022\0", 5)), 1022);
    EXPECT_EQ(RshPort(std::string("0\0", 2)), 0);
    EXPECT_EQ(RshPort(std::string("\0", 1)), 0); // BSD rcmd without stderr sends an empty field
    EXPECT_EQ(RshPort(std::string("65535\0", 6)), 65535);
    EXPECT_EQ(RshPort(std::string("00514\0", 6)), 514);
    EXPECT_EQ(RshPort(std::string("1\0user\0", 7)), 1); // only the port field matters
    // invalid
    EXPECT_EQ(RshPort(std::string("65536\0", 6)), -1);
    EXPECT_EQ(RshPort(std::string("99999\0", 6)), -1);
    EXPECT_EQ(RshPort(std::string("123456\0", 7)), -1);
    EXPECT_EQ(RshPort(std::string("000000\0", 7)), -1);
    EXPECT_EQ(RshPort(std::string("12a\0", 4)), -1);
    EXPECT_EQ(RshPort(std::string("abc\0", 4)), -1);
    EXPECT_EQ(RshPort(std::string(" 12\0", 4)), -1);
    EXPECT_EQ(RshPort(std::string("-1\0", 3)), -1);
    EXPECT_EQ(RshPort(std::string("+1\0", 3)), -1);
    // incomplete
    EXPECT_EQ(RshPort(""), -1);
    EXPECT_EQ(RshPort("1022"), -1);
    EXPECT_EQ(ParseRshStderrPort(nullptr, 0), -1);

    uint16_t port = 7;
    std::size_t text = 9;
    const uint8_t partial[] = {'1', '0', '2'};
    EXPECT_EQ(ScanRshStderrPort(partial, 3, port, text), RshScan::INCOMPLETE);
    const uint8_t six[] = {'1', '0', '2', '2', '0', '0'};
    EXPECT_EQ(ScanRshStderrPort(six, 6, port, text), RshScan::INVALID); // no need to wait
    const uint8_t big[] = {'7', '0', '0', '0', '0'};
    EXPECT_EQ(ScanRshStderrPort(big, 5, port, text), RshScan::INVALID);
    const uint8_t ok[] = {'5', '1', '2', 0};
    EXPECT_EQ(ScanRshStderrPort(ok, 4, port, text), RshScan::COMPLETE);
    EXPECT_EQ(port, 512);
    EXPECT_EQ(text, 3u);
}

TEST(RshParser, StartRoundTripAndTruncation)
{
    auto start = BuildRshStart(1021, "alice", "bob", "generate 100");
    std::string want("1021\0alice\0bob\0generate 100\0", 28);
    ASSERT_EQ(std::string(start.begin(), start.end()), want);
    RshStart s;
    ASSERT_TRUE(ParseRshStart(start.data(), start.size(), s));
    EXPECT_EQ(s.stderrPort, 1021);
    EXPECT_TRUE(s.hasStderr);
    EXPECT_EQ(s.localUser, "alice");
    EXPECT_EQ(s.remoteUser, "bob");
    EXPECT_EQ(s.command, "generate 100");
    EXPECT_EQ(s.portTextLength, 4u);
    EXPECT_EQ(s.length, start.size());
    for (std::size_t n = 0; n < start.size(); ++n)
    {
        EXPECT_FALSE(ParseRshStart(start.data(), n, s)) << "truncated at " << n;
    }
    // stdin bytes after the start are not part of it
    auto more = start;
    more.push_back('x');
    ASSERT_TRUE(ParseRshStart(more.data(), more.size(), s));
    EXPECT_EQ(s.length, start.size());

    auto none = BuildRshStart(0, "", "u", "ls");
    ASSERT_TRUE(ParseRshStart(none.data(), none.size(), s));
    EXPECT_FALSE(s.hasStderr);
    EXPECT_EQ(s.stderrPort, 0);
    EXPECT_EQ(s.localUser, "");

    // bad port field or overlong user: not a start
    std::string badPort("65536\0a\0b\0c\0", 12);
    EXPECT_FALSE(
        ParseRshStart(reinterpret_cast<const uint8_t*>(badPort.data()), badPort.size(), s));
    std::string longUser = std::string("1\0", 2) + std::string(RSH_MAX_USER_LENGTH + 1, 'u') +
                           std::string("\0b\0c\0", 5);
    EXPECT_FALSE(
        ParseRshStart(reinterpret_cast<const uint8_t*>(longUser.data()), longUser.size(), s));
    std::string maxUser =
        std::string("1\0", 2) + std::string(RSH_MAX_USER_LENGTH, 'u') + std::string("\0b\0c\0", 5);
    EXPECT_TRUE(ParseRshStart(reinterpret_cast<const uint8_t*>(maxUser.data()), maxUser.size(), s));

    EXPECT_THROW(BuildRshStart(0, std::string("a\0", 2), "b", "c"), ConfigError);
    EXPECT_THROW(BuildRshStart(0, "a", "b", std::string("c\0d", 3)), ConfigError);
    EXPECT_THROW(BuildRshStart(0, std::string(RSH_MAX_USER_LENGTH + 1, 'a'), "b", "c"),
                 ConfigError);

    uint64_t n = 0;
    EXPECT_TRUE(ParseRshGenerateCommand("generate 100", n));
    EXPECT_EQ(n, 100u);
    EXPECT_FALSE(ParseRshGenerateCommand("generate", n));
    EXPECT_FALSE(ParseRshGenerateCommand("generate x", n));
    EXPECT_FALSE(ParseRshGenerateCommand("generate 1 2", n));
}

TEST(RshParser, RandomBytesNeverCrash)
{
    std::mt19937 rng(514);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> len(0, 40);
    std::uniform_int_distribution<int> digit('0', '9');
    int ports = 0;
    int starts = 0;
    for (int i = 0; i < 200000; ++i)
    {
        std::vector<uint8_t> b(len(rng));
        for (std::size_t k = 0; k < b.size(); ++k)
        {
            // mostly digits and NULs, so that valid shapes occur
            int r = byte(rng);
            b[k] = r < 100 ? static_cast<uint8_t>(digit(rng))
                           : (r < 160 ? 0 : static_cast<uint8_t>(byte(rng)));
        }
        int port = ParseRshStderrPort(b.data(), b.size());
        ASSERT_GE(port, -1);
        ASSERT_LE(port, 65535);
        RshStart s;
        bool ok = ParseRshStart(b.data(), b.size(), s);
        if (port >= 0)
        {
            ++ports;
        }
        if (ok)
        {
            ++starts;
            ASSERT_EQ(s.stderrPort, port);
            ASSERT_LE(s.length, b.size());
            ASSERT_EQ(BuildRshStart(s.stderrPort, s.localUser, s.remoteUser, s.command).size(),
                      s.length - s.portTextLength + std::to_string(s.stderrPort).size());
        }
    }
    EXPECT_GT(ports, 1000);
    EXPECT_GT(starts, 100);
}
