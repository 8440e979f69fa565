/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The offline replay tool (utils/fgsim-replay.cc, `./fgsim replay`) and its capture reader
 * (utils/pcap-reader.h: libpcap plus the link-layer unwrapping):
 *  - reader: pcap in both byte orders and both time resolutions, pcapng (time-stamp
 *    resolutions, several sections, simple packet blocks), truncated files, garbage; link
 *    layers (VLAN, PPPoE, Linux cooked); agreement with ns-3's PcapFile; what PcapFile writes
 *    reads back;
 *  - tool: the corpus captures ftp.pcap, tftp.pcap and pptp.pcap through the sample
 *    configurations (SNAT, helpers, pinholes, the translated packets in the written pcap, byte
 *    for byte); an active FTP capture built here, whose PORT rewrite changes the payload length
 *    (sequence and acknowledgement corrections both ways); built rsh starts (only the stream's
 *    first segment counts); bad input gives clear errors and exit codes.
 */

#include "corpus.h"
#include "pcap-reader.h"

#include "ns3/dcerpc-parser.h"
#include "ns3/flow-tuple.h"
#include "ns3/h323-messages.h"
#include "ns3/onc-rpc-parser.h"
#include "ns3/packet-view.h"
#include "ns3/pptp-parser.h"
#include "ns3/tns-parser.h"

#include <boost/endian/conversion.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ns3;
using boost::endian::store_big_u16;
using boost::endian::store_big_u32;

namespace
{

const std::string kCorpus = FORTIGATE_SOURCE_DIR "/../shared/corpus/pcap/";
const std::string kConfigs = FORTIGATE_SOURCE_DIR "/examples/configs/";
const std::string kTool = FORTIGATE_BINARY_DIR "/utils/fgsim-replay";

/// Run a command; \return its exit status (-1 when killed) with stdout and stderr apart.
int
RunTool(const std::string& cmd, std::string& out, std::string& err)
{
    // One file per test process: CTest runs the cases in parallel.
    const std::string errFile =
        ::testing::TempDir() + "/replay-test-stderr-" + std::to_string(getpid()) + ".txt";
    out.clear();
    FILE* p = popen((cmd + " 2>" + errFile).c_str(), "r");
    if (!p)
    {
        return -1;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
    {
        out.append(buf, n);
    }
    const int status = pclose(p);
    std::ifstream in(errFile);
    std::stringstream ss;
    ss << in.rdbuf();
    err = ss.str();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// \return the value of `key=` on the summary line, or -1.
long
Summary(const std::string& out, const std::string& key)
{
    const auto line = out.rfind("\nsummary: ");
    if (line == std::string::npos)
    {
        return -1;
    }
    const auto at = out.find(" " + key + "=", line);
    if (at == std::string::npos || out.find('\n', line + 1) < at)
    {
        return -1;
    }
    return std::stol(out.substr(at + key.size() + 2));
}

size_t
Count(const std::string& hay, const std::string& needle)
{
    size_t n = 0;
    for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1))
    {
        ++n;
    }
    return n;
}

uint32_t
Ip(const char* s)
{
    unsigned a, b, c, d;
    EXPECT_EQ(std::sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
    return (a << 24) | (b << 16) | (c << 8) | d;
}

uint16_t
Sum16(const uint8_t* p, size_t n, uint32_t sum)
{
    for (size_t i = 0; i + 1 < n; i += 2)
    {
        sum += (p[i] << 8) | p[i + 1];
    }
    if (n & 1)
    {
        sum += p[n - 1] << 8;
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(sum);
}

/// \return true when the IPv4 header checksum and the TCP/UDP checksum of \p ip are right.
bool
ChecksumsOk(const std::vector<uint8_t>& ip)
{
    const size_t ihl = (ip[0] & 0x0f) * 4u;
    if (Sum16(ip.data(), ihl, 0) != 0xffff)
    {
        return false;
    }
    const uint8_t proto = ip[9];
    if (proto != 6 && proto != 17)
    {
        return true;
    }
    const size_t l4 = ip.size() - ihl;
    uint32_t pseudo = Sum16(ip.data() + 12, 8, 0) + proto + static_cast<uint32_t>(l4);
    return Sum16(ip.data() + ihl, l4, pseudo) == 0xffff;
}

/// The IPv4 packets of a capture (link layer removed), in file order.
std::vector<std::vector<uint8_t>>
Ipv4Packets(const CaptureFile& f)
{
    std::vector<std::vector<uint8_t>> v;
    for (const auto& r : f.records)
    {
        const LinkPayload lp = FindIpv4(r.linkType, r.data.data(), r.data.size());
        if (lp.kind == LinkPayload::IPV4)
        {
            std::vector<uint8_t> ip(r.data.begin() + lp.offset, r.data.end());
            const size_t total = (ip[2] << 8) | ip[3];
            ip.resize(std::min(ip.size(), total));
            v.push_back(std::move(ip));
        }
    }
    return v;
}

/// A packet with TTL and IP checksum zeroed (what a hop changes).
std::vector<uint8_t>
WithoutTtl(std::vector<uint8_t> ip)
{
    ip[8] = ip[10] = ip[11] = 0;
    return ip;
}

// ---- building packets ------------------------------------------------------------------------

/// An IPv4/TCP packet with correct checksums.
std::vector<uint8_t>
Tcp(const char* src,
    uint16_t sport,
    const char* dst,
    uint16_t dport,
    uint32_t seq,
    uint32_t ack,
    uint8_t flags,
    const std::string& payload = "")
{
    std::vector<uint8_t> b(40 + payload.size(), 0);
    b[0] = 0x45;
    store_big_u16(b.data() + 2, static_cast<uint16_t>(b.size()));
    store_big_u16(b.data() + 4, 0x1234);
    b[8] = 64;
    b[9] = 6;
    store_big_u32(b.data() + 12, Ip(src));
    store_big_u32(b.data() + 16, Ip(dst));
    store_big_u16(b.data() + 20, sport);
    store_big_u16(b.data() + 22, dport);
    store_big_u32(b.data() + 24, seq);
    store_big_u32(b.data() + 28, ack);
    b[32] = 0x50;
    b[33] = flags;
    store_big_u16(b.data() + 34, 65535);
    std::memcpy(b.data() + 40, payload.data(), payload.size());
    store_big_u16(b.data() + 10, static_cast<uint16_t>(~Sum16(b.data(), 20, 0)));
    uint32_t pseudo = Sum16(b.data() + 12, 8, 0) + 6 + static_cast<uint32_t>(b.size() - 20);
    store_big_u16(b.data() + 36,
                  static_cast<uint16_t>(~Sum16(b.data() + 20, b.size() - 20, pseudo)));
    return b;
}

/// An IPv4/UDP packet with correct checksums.
std::vector<uint8_t>
Udp(const char* src, uint16_t sport, const char* dst, uint16_t dport, const std::string& payload)
{
    std::vector<uint8_t> b(28 + payload.size(), 0);
    b[0] = 0x45;
    store_big_u16(b.data() + 2, static_cast<uint16_t>(b.size()));
    store_big_u16(b.data() + 4, 0x4321);
    b[8] = 64;
    b[9] = 17;
    store_big_u32(b.data() + 12, Ip(src));
    store_big_u32(b.data() + 16, Ip(dst));
    store_big_u16(b.data() + 20, sport);
    store_big_u16(b.data() + 22, dport);
    store_big_u16(b.data() + 24, static_cast<uint16_t>(b.size() - 20));
    std::memcpy(b.data() + 28, payload.data(), payload.size());
    store_big_u16(b.data() + 10, static_cast<uint16_t>(~Sum16(b.data(), 20, 0)));
    uint32_t pseudo = Sum16(b.data() + 12, 8, 0) + 17 + static_cast<uint32_t>(b.size() - 20);
    store_big_u16(b.data() + 26,
                  static_cast<uint16_t>(~Sum16(b.data() + 20, b.size() - 20, pseudo)));
    return b;
}

/// An IPv4/enhanced GRE packet (RFC 2637: K and S set, version 1, PPP) with Call ID \p callId.
std::vector<uint8_t>
Gre(const char* src, const char* dst, uint16_t callId, uint32_t seq, const std::string& payload)
{
    std::vector<uint8_t> b(32 + payload.size(), 0);
    b[0] = 0x45;
    store_big_u16(b.data() + 2, static_cast<uint16_t>(b.size()));
    store_big_u16(b.data() + 4, static_cast<uint16_t>(0x2000 + seq));
    b[8] = 64;
    b[9] = 47;
    store_big_u32(b.data() + 12, Ip(src));
    store_big_u32(b.data() + 16, Ip(dst));
    b[20] = 0x30; // K, S
    b[21] = 0x01; // version 1
    store_big_u16(b.data() + 22, 0x880b);
    store_big_u16(b.data() + 24, static_cast<uint16_t>(payload.size()));
    store_big_u16(b.data() + 26, callId);
    store_big_u32(b.data() + 28, seq);
    std::memcpy(b.data() + 32, payload.data(), payload.size());
    store_big_u16(b.data() + 10, static_cast<uint16_t>(~Sum16(b.data(), 20, 0)));
    return b;
}

PacketView
View(const std::vector<uint8_t>& ip)
{
    PacketView v;
    EXPECT_TRUE(ParseIpv4Packet(ip.data(), ip.size(), v));
    return v;
}

std::string
Payload(const std::vector<uint8_t>& ip)
{
    const PacketView v = View(ip);
    const size_t off = (ip[0] & 0x0f) * 4u + v.l4HeaderSize;
    return std::string(ip.begin() + off, ip.end());
}

/// Write raw IPv4 packets to a classic pcap with ns-3's PcapFile, the first at \p t0Ns, then
/// \p stepNs apart.
void
WriteRawPcap(const std::string& path,
             const std::vector<std::vector<uint8_t>>& pkts,
             int64_t t0Ns,
             int64_t stepNs = 1000000)
{
    PcapFile w;
    w.Open(path, std::ios::out);
    ASSERT_FALSE(w.Fail()) << path;
    w.Init(LINKTYPE_RAW);
    int64_t t = t0Ns;
    for (const auto& p : pkts)
    {
        w.Write(static_cast<uint32_t>(t / 1000000000),
                static_cast<uint32_t>(t % 1000000000 / 1000),
                p.data(),
                static_cast<uint32_t>(p.size()));
        t += stepNs;
    }
    w.Close();
    ASSERT_FALSE(w.Fail()) << path;
}

std::vector<uint8_t>
FileBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
}

} // namespace

// ---- reader and writer -------------------------------------------------------------------------

TEST(ReplayToolReader, ReadsEveryCorpusCaptureWithItsLinkLayer)
{
    // Expected counts from tshark: packets, IPv4 packets, format.
    struct Case
    {
        const char* file;
        size_t packets;
        size_t ipv4;
        CaptureFile::Format format;
        uint32_t link;
    };

    const Case cases[] = {
        {"ftp.pcap", 209, 209, CaptureFile::PCAP, LINKTYPE_ETHERNET},
        {"tftp.pcap", 109, 109, CaptureFile::PCAPNG, LINKTYPE_ETHERNET}, // pcapng named .pcap
        {"rtsp.pcap", 568, 568, CaptureFile::PCAPNG, LINKTYPE_LINUX_SLL},
        {"dns.pcap", 5, 5, CaptureFile::PCAPNG, LINKTYPE_ETHERNET},   // two in VLAN+VLAN+PPPoE
        {"mgcp.pcap", 29, 23, CaptureFile::PCAP, LINKTYPE_ETHERNET},  // six ARP
        {"gre.pcapng", 1, 1, CaptureFile::PCAPNG, LINKTYPE_ETHERNET}, // VLAN tagged
        {"oracle12.pcapng", 20, 20, CaptureFile::PCAPNG, LINKTYPE_ETHERNET},
        {"rtp.pcapng", 112, 112, CaptureFile::PCAPNG, LINKTYPE_ETHERNET},
    };
    for (const auto& c : cases)
    {
        SCOPED_TRACE(c.file);
        const CaptureFile f = ReadCaptureFile(kCorpus + c.file);
        EXPECT_EQ(f.format, c.format);
        EXPECT_EQ(f.records.size(), c.packets);
        EXPECT_EQ(Ipv4Packets(f).size(), c.ipv4);
        EXPECT_TRUE(f.warning.empty()) << f.warning;
        ASSERT_FALSE(f.records.empty());
        EXPECT_EQ(f.records[0].linkType, c.link);
    }
    // Time stamps: tshark's frame.time_epoch of the first packets.
    EXPECT_EQ(ReadCaptureFile(kCorpus + "oracle12.pcapng").records[0].timeNs,
              1481291750025382575LL); // nanosecond if_tsresol
    EXPECT_EQ(ReadCaptureFile(kCorpus + "ftp.pcap").records[0].timeNs, 1552590234892296000LL);
    // The PPPoE-in-QinQ DNS query: IPv4 after 14 + 4 + 4 + 6 + 2 bytes.
    const CaptureFile dns = ReadCaptureFile(kCorpus + "dns.pcap");
    size_t pppoe = 0;
    for (const auto& r : dns.records)
    {
        const LinkPayload lp = FindIpv4(r.linkType, r.data.data(), r.data.size());
        pppoe += lp.offset == 30;
    }
    EXPECT_EQ(pppoe, 2u);
    // ARP is reported by name.
    const CaptureFile mgcp = ReadCaptureFile(kCorpus + "mgcp.pcap");
    const auto& arp = mgcp.records[0];
    const LinkPayload lp = FindIpv4(arp.linkType, arp.data.data(), arp.data.size());
    EXPECT_EQ(lp.kind, LinkPayload::NOT_IPV4);
    EXPECT_EQ(lp.what, "ARP");
}

TEST(ReplayToolReader, AgreesWithNs3PcapFileOnEveryClassicCorpusPcap)
{
    // The module's reader and ns-3's PcapFile give the same frames, byte for byte, with the same
    // link types, lengths and time stamps (PcapFile reads classic pcap only).
    const char* classic[] =
        {"ftp.pcap", "rsh.pcap", "pptp.pcap", "sip.pcap", "mgcp.pcap", "h323.pcap", "dcerpc.pcap"};
    for (const char* name : classic)
    {
        SCOPED_TRACE(name);
        const std::string path = kCorpus + name;
        ASSERT_TRUE(IsClassicPcap(path));
        const std::vector<CaptureRecord> ns3 = ReadWithNs3PcapFile(path);
        const CaptureFile ours = ReadCaptureFile(path);
        ASSERT_EQ(ours.records.size(), ns3.size());
        ASSERT_FALSE(ns3.empty());
        for (std::size_t i = 0; i < ns3.size(); ++i)
        {
            SCOPED_TRACE("frame " + std::to_string(i + 1));
            EXPECT_EQ(ours.records[i].linkType, ns3[i].linkType);
            EXPECT_EQ(ours.records[i].originalLength, ns3[i].originalLength);
            EXPECT_EQ(ours.records[i].timeNs, ns3[i].timeNs);
            ASSERT_EQ(ours.records[i].data, ns3[i].data);
        }
    }
    // pcapng files are not classic pcap; CorpusPackets reads them with the module's reader.
    EXPECT_FALSE(IsClassicPcap(kCorpus + "tftp.pcap"));
    EXPECT_FALSE(IsClassicPcap(kCorpus + "rtsp.pcap"));
    EXPECT_FALSE(CorpusPackets("tftp.pcap", IPPROTO_NUM_UDP).empty());
}

TEST(ReplayToolReader, ClassicPcapBothByteOrdersAndResolutions)
{
    const std::vector<uint8_t> pkt = Tcp("10.0.0.1", 1, "10.0.0.2", 2, 0, 0, 0x02);
    auto le32 = [](std::vector<uint8_t>& b, uint32_t v) {
        for (int i = 0; i < 4; ++i)
        {
            b.push_back(static_cast<uint8_t>(v >> (8 * i)));
        }
    };
    auto be32 = [](std::vector<uint8_t>& b, uint32_t v) {
        for (int i = 3; i >= 0; --i)
        {
            b.push_back(static_cast<uint8_t>(v >> (8 * i)));
        }
    };
    for (bool big : {false, true})
    {
        for (bool nano : {false, true})
        {
            SCOPED_TRACE(std::string(big ? "big" : "little") + (nano ? " ns" : " us"));
            std::vector<uint8_t> f;
            auto w32 = [&](uint32_t v) { big ? be32(f, v) : le32(f, v); };
            auto w16 = [&](uint16_t v) {
                if (big)
                {
                    f.push_back(static_cast<uint8_t>(v >> 8));
                    f.push_back(static_cast<uint8_t>(v));
                }
                else
                {
                    f.push_back(static_cast<uint8_t>(v));
                    f.push_back(static_cast<uint8_t>(v >> 8));
                }
            };
            w32(nano ? 0xa1b23c4d : 0xa1b2c3d4);
            w16(2);
            w16(4);
            w32(0);
            w32(0);
            w32(65535);
            w32(LINKTYPE_RAW);
            w32(1000);   // seconds
            w32(123456); // fraction
            w32(static_cast<uint32_t>(pkt.size()));
            w32(static_cast<uint32_t>(pkt.size()));
            f.insert(f.end(), pkt.begin(), pkt.end());
            const CaptureFile c = ParseCapture(f.data(), f.size(), "mem");
            ASSERT_EQ(c.records.size(), 1u);
            EXPECT_EQ(c.records[0].timeNs, 1000000000000LL + (nano ? 123456 : 123456000));
            EXPECT_EQ(c.records[0].linkType, uint32_t(LINKTYPE_RAW));
            EXPECT_EQ(c.records[0].data, pkt);
            // Cut inside the record: the header survives, the record is dropped with a warning.
            const CaptureFile cut = ParseCapture(f.data(), f.size() - 3, "mem");
            EXPECT_TRUE(cut.records.empty());
            EXPECT_NE(cut.warning.find("record 1: truncated"), std::string::npos) << cut.warning;
        }
    }
}

TEST(ReplayToolReader, ReadsWhatPcapFileWritesAndPcapngSectionsAndSimplePackets)
{
    const std::vector<uint8_t> a = Tcp("10.0.0.1", 1, "10.0.0.2", 2, 7, 0, 0x02);
    const std::vector<uint8_t> b = Tcp("10.0.0.2", 2, "10.0.0.1", 1, 9, 8, 0x12, "odd");
    const std::string dir = ::testing::TempDir();
    WriteRawPcap(dir + "/rt.pcap", {a, b}, 1500000000123456000LL, 1000);
    const CaptureFile p = ReadCaptureFile(dir + "/rt.pcap");
    ASSERT_EQ(p.records.size(), 2u);
    EXPECT_EQ(p.format, CaptureFile::PCAP);
    EXPECT_EQ(p.linkType, uint32_t(LINKTYPE_RAW)); // libpcap's DLT_RAW mapped back
    EXPECT_EQ(p.records[1].timeNs, 1500000000123457000LL);
    EXPECT_EQ(p.records[1].data, b);
    // Two pcapng sections back to back (as `cat a.pcapng b.pcapng` makes): both are read.
    const std::vector<uint8_t> one = FileBytes(kCorpus + "gre.pcapng");
    std::vector<uint8_t> twice = one;
    twice.insert(twice.end(), one.begin(), one.end());
    const CaptureFile two = ParseCapture(twice.data(), twice.size());
    ASSERT_EQ(two.records.size(), 2u);
    EXPECT_EQ(two.records[1].data, two.records[0].data);
    // A simple packet block after the section's IDB: no time stamp (the previous packet's is
    // kept), data kept.
    std::vector<uint8_t> spb = one;
    const uint32_t len = 16 + 44;
    const uint32_t words[] = {3, len, static_cast<uint32_t>(a.size())};
    spb.insert(spb.end(),
               reinterpret_cast<const uint8_t*>(words),
               reinterpret_cast<const uint8_t*>(words) + 12);
    spb.insert(spb.end(), a.begin(), a.end());
    spb.resize(spb.size() + (44 - a.size()), 0);
    spb.insert(spb.end(),
               reinterpret_cast<const uint8_t*>(&len),
               reinterpret_cast<const uint8_t*>(&len) + 4);
    const CaptureFile s = ParseCapture(spb.data(), spb.size());
    ASSERT_EQ(s.records.size(), 2u);
    EXPECT_EQ(s.records[1].data, a);
    EXPECT_EQ(s.records[1].timeNs, s.records[0].timeNs);
}

TEST(ReplayToolReader, ATimeStampPastInt64NanosecondsIsAClearError)
{
    // Found by the capture fuzz target (UBSan: signed overflow in the seconds-to-nanoseconds
    // product): a pcapng enhanced packet block whose 64-bit microsecond time stamp is
    // 0xffffffff00000000 (about 1.8e13 s).
    const std::vector<uint8_t> a = Tcp("10.0.0.1", 1, "10.0.0.2", 2, 7, 0, 0x02);
    ASSERT_EQ(a.size() % 4, 0u);
    const uint32_t epbLen = 32 + static_cast<uint32_t>(a.size());
    std::vector<uint32_t> w{0x0a0d0d0a,
                            28,
                            0x1a2b3c4d,
                            1,
                            0xffffffff,
                            0xffffffff,
                            28, // SHB
                            1,
                            20,
                            101,
                            65535,
                            20, // IDB: LINKTYPE_RAW
                            6,
                            epbLen,
                            0,
                            0xffffffff,
                            0,
                            static_cast<uint32_t>(a.size()),
                            static_cast<uint32_t>(a.size())}; // EPB head
    std::vector<uint8_t> bytes(reinterpret_cast<const uint8_t*>(w.data()),
                               reinterpret_cast<const uint8_t*>(w.data() + w.size()));
    bytes.insert(bytes.end(), a.begin(), a.end());
    bytes.insert(bytes.end(),
                 reinterpret_cast<const uint8_t*>(&epbLen),
                 reinterpret_cast<const uint8_t*>(&epbLen) + 4);
    try
    {
        ParseCapture(bytes.data(), bytes.size(), "big.pcapng");
        FAIL() << "no error";
    }
    catch (const CaptureError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "big.pcapng: pcapng: record 1: time stamp 18446744069414 s is out of range "
                  "(nanoseconds since 1970 in 64 bits)");
    }
    // The same block with a time stamp in range reads.
    bytes[28 + 20 + 12] = 0;
    bytes[28 + 20 + 13] = 0;
    bytes[28 + 20 + 14] = 0;
    bytes[28 + 20 + 15] = 0;
    const CaptureFile ok = ParseCapture(bytes.data(), bytes.size(), "ok.pcapng");
    ASSERT_EQ(ok.records.size(), 1u);
    EXPECT_EQ(ok.records[0].data, a);
}

TEST(ReplayToolReader, GarbageIsAClearErrorNotACrash)
{
    const std::string text = "config system interface\n    edit port1\nend\n";
    try
    {
        ParseCapture(reinterpret_cast<const uint8_t*>(text.data()), text.size(), "x.conf");
        FAIL() << "no error";
    }
    catch (const CaptureError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "x.conf: not a pcap or pcapng file (starts with 0x636f6e66; expected "
                  "a1b2c3d4/a1b23c4d (pcap) or 0a0d0d0a (pcapng))");
    }
    const uint8_t two[] = {0xd4, 0xc3};
    EXPECT_THROW(ParseCapture(two, sizeof(two)), CaptureError);
    // A pcap header alone, and a pcapng section header with a bad byte-order magic.
    const uint8_t hdr[] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0};
    EXPECT_THROW(ParseCapture(hdr, sizeof(hdr)), CaptureError);
    const uint32_t shb[] = {0x0a0d0d0a, 28, 0x11223344, 1, 0, 0, 28};
    EXPECT_THROW(ParseCapture(reinterpret_cast<const uint8_t*>(shb), sizeof(shb)), CaptureError);
    // Random bytes after a valid pcapng header: whatever they say, no crash, no exception
    // beyond CaptureError, and never a record larger than the input.
    std::vector<uint8_t> f = FileBytes(kCorpus + "gre.pcapng");
    uint32_t x = 12345;
    for (int round = 0; round < 200; ++round)
    {
        std::vector<uint8_t> g = f;
        for (int k = 0; k < 8; ++k)
        {
            x = x * 1103515245 + 12345;
            g[(x >> 8) % g.size()] = static_cast<uint8_t>(x >> 24);
        }
        try
        {
            for (const auto& r : ParseCapture(g.data(), g.size()).records)
            {
                EXPECT_LE(r.data.size(), g.size());
                FindIpv4(r.linkType, r.data.data(), r.data.size());
            }
        }
        catch (const CaptureError&)
        {
        }
    }
}

// ---- the tool ----------------------------------------------------------------------------------

TEST(ReplayTool, FtpCaptureThroughSnatReproducesTheClientSide)
{
    ASSERT_TRUE(std::filesystem::exists(kTool)) << kTool;
    const std::string outPcap = ::testing::TempDir() + "/replay-ftp-out.pcap";
    std::string out, err;
    ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-ftp.conf --write " + outPcap + " " +
                          kCorpus + "ftp.pcap",
                      out,
                      err),
              0)
        << err << out;
    EXPECT_EQ(Summary(out, "packets"), 209);
    EXPECT_EQ(Summary(out, "forwarded"), 209);
    EXPECT_EQ(Summary(out, "dropped"), 0);
    // The control connection and the two passive data connections (the 227 replies' pinholes).
    EXPECT_EQ(Summary(out, "sessions"), 3);
    EXPECT_EQ(Summary(out, "pinholes"), 2);
    EXPECT_NE(out.find("session 00000001 created: tcp 192.168.1.212:50694 -> 90.130.70.73:21 "
                       "policy 1 snat 203.0.113.10:50694 helper=ftp"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("  pinhole ftp: tcp 192.168.1.212:0 -> 90.130.70.73:25685 (from "
                       "203.0.113.10:0) parent 00000001"),
              std::string::npos)
        << out;
    EXPECT_EQ(Count(out, "child of 00000001 (pinhole of ftp)"), 2u) << out;
    EXPECT_NE(out.find("# diagnose sys session list\n"), std::string::npos);
    EXPECT_NE(out.find("# diagnose sys session list expectation\n"), std::string::npos);
    EXPECT_NE(out.find("hook=post dir=org act=snat 192.168.1.212:50696->90.130.70.73:24523"
                       "(203.0.113.10:50696)"),
              std::string::npos)
        << out;

    // The written pcap: raw IPv4, one packet per input packet, at the input's time stamps.
    const CaptureFile in = ReadCaptureFile(kCorpus + "ftp.pcap");
    const CaptureFile res = ReadCaptureFile(outPcap);
    ASSERT_EQ(res.records.size(), 209u);
    EXPECT_EQ(res.linkType, uint32_t(LINKTYPE_RAW));
    const auto inIp = Ipv4Packets(in);
    const auto outIp = Ipv4Packets(res);
    ASSERT_EQ(outIp.size(), inIp.size());
    size_t toClient = 0;
    size_t toServer = 0;
    for (size_t i = 0; i < outIp.size(); ++i)
    {
        SCOPED_TRACE("packet " + std::to_string(i + 1));
        EXPECT_EQ(res.records[i].timeNs / 1000, in.records[i].timeNs / 1000);
        EXPECT_TRUE(ChecksumsOk(outIp[i]));
        const PacketView o = View(outIp[i]);
        const PacketView c = View(inIp[i]);
        EXPECT_EQ(outIp[i][8] + 1, inIp[i][8]) << "TTL decremented once";
        if (c.tuple.src == Ip("192.168.1.212"))
        {
            // Client to server: source translated, nothing else but checksums.
            ++toServer;
            EXPECT_EQ(o.tuple.src, Ip("203.0.113.10"));
            EXPECT_EQ(o.tuple.dst, c.tuple.dst);
            EXPECT_EQ(o.tuple.sport, c.tuple.sport);
            EXPECT_EQ(o.tcpSeq, c.tcpSeq);
            EXPECT_EQ(o.tcpAck, c.tcpAck);
            EXPECT_EQ(Payload(outIp[i]), Payload(inIp[i]));
        }
        else
        {
            // Server to client: the replay maps the captured reply to the NAT address and the
            // FortiGate translates it back: byte for byte what the client captured.
            ++toClient;
            EXPECT_EQ(WithoutTtl(outIp[i]), WithoutTtl(inIp[i]));
        }
    }
    EXPECT_EQ(toServer, 100u);
    EXPECT_EQ(toClient, 109u);
}

TEST(ReplayTool, TftpCaptureOpensPinholesForTheServersNewPort)
{
    const std::string outPcap = ::testing::TempDir() + "/replay-tftp-out.pcap";
    std::string out, err;
    ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-tftp.conf --write " + outPcap +
                          " " + kCorpus + "tftp.pcap",
                      out,
                      err),
              0)
        << err << out;
    EXPECT_NE(out.find("replaying in time-stamp order"), std::string::npos) << out;
    EXPECT_EQ(Summary(out, "packets"), 109);
    EXPECT_EQ(Summary(out, "forwarded"), 109);
    EXPECT_EQ(Summary(out, "dropped"), 0);
    // Five requests with a session each (one RRQ is malformed: the helper opens nothing for
    // it), four replies from a new server port through a pinhole.
    EXPECT_EQ(Summary(out, "sessions"), 9);
    EXPECT_EQ(Summary(out, "pinholes"), 5);
    EXPECT_EQ(Count(out, "(pinhole of tftp)"), 3u) << out;
    EXPECT_NE(out.find("session 00000001 created: udp 192.168.0.253:50618 -> 192.168.0.10:69 "
                       "policy 1 snat 192.168.0.1:50618 helper=tftp"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("pinhole tftp: udp 192.168.0.10:0 -> 192.168.0.1:50618 (to "
                       "192.168.0.253:50618) parent 00000001"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("#4 0.104391 port2 udp 192.168.0.10:3445 -> 192.168.0.253:50618: "
                       "forwarded -> port1 udp 192.168.0.10:3445 -> 192.168.0.253:50618\n"
                       "  arrives as udp 192.168.0.10:3445 -> 192.168.0.1:50618 (pinhole of tftp "
                       "(parent 00000001))\n"
                       "  session 00000002 created: udp 192.168.0.10:3445 -> 192.168.0.1:50618 "
                       "policy 1 dnat 192.168.0.253:50618 child of 00000001 (pinhole of tftp)"),
              std::string::npos)
        << out;
    // The helper closes the data session when the last (short) block is acknowledged.
    EXPECT_NE(out.find("session 00000002 closed (helper)"), std::string::npos) << out;

    // The written pcap: the 49 data blocks reach the client from the server's port 3445, the 49
    // acknowledgements leave from the NAT address.
    const CaptureFile res = ReadCaptureFile(outPcap);
    EXPECT_EQ(res.format, CaptureFile::PCAP);
    size_t blocks = 0;
    size_t acks = 0;
    for (const auto& r : res.records)
    {
        PacketView v;
        ASSERT_TRUE(ParseIpv4Packet(r.data.data(), r.data.size(), v));
        blocks +=
            v.tuple.sport == 3445 && v.tuple.dst == Ip("192.168.0.253") && v.tuple.dport == 50618;
        acks += v.tuple.src == Ip("192.168.0.1") && v.tuple.dport == 3445;
    }
    EXPECT_EQ(blocks, 49u);
    EXPECT_EQ(acks, 49u);
}

TEST(ReplayTool, ActiveFtpPortRewriteCorrectsSequenceNumbersBothWays)
{
    // A client-side capture of active FTP: the client announces 192.168.1.212:50000 with PORT;
    // the FortiGate rewrites it to 203,0,113,10 (a byte shorter). The server's replies in the
    // capture acknowledge the client's own numbers; the replay maps them to what the server
    // sends (acknowledging the shorter stream) and the FortiGate corrects them back.
    const char* C = "192.168.1.212";
    const char* S = "90.130.70.73";
    const std::string port = "PORT 192,168,1,212,195,80\r\n"; // 195 * 256 + 80 = 50000
    const std::string ok = "200 PORT command successful\r\n";
    const std::string retr = "RETR f\r\n";
    const uint32_t c0 = 1000;
    const uint32_t s0 = 5000;
    const uint32_t cp = c0 + 1;                     // client seq at PORT
    const uint32_t cr = cp + uint32_t(port.size()); // at RETR
    std::vector<std::vector<uint8_t>> pkts = {
        Tcp(C, 40000, S, 21, c0, 0, 0x02),
        Tcp(S, 21, C, 40000, s0, c0 + 1, 0x12),
        Tcp(C, 40000, S, 21, cp, s0 + 1, 0x10),
        Tcp(C, 40000, S, 21, cp, s0 + 1, 0x18, port),
        Tcp(S, 21, C, 40000, s0 + 1, cr, 0x18, ok),
        Tcp(C, 40000, S, 21, cr, s0 + 1 + uint32_t(ok.size()), 0x18, retr),
        Tcp(S, 20, C, 50000, 9000, 0, 0x02),
        Tcp(C, 50000, S, 20, 7000, 9001, 0x12),
        Tcp(S, 21, C, 40000, s0 + 1 + uint32_t(ok.size()), cr + uint32_t(retr.size()), 0x10),
    };
    const std::string in = ::testing::TempDir() + "/replay-active.pcap";
    const std::string outPcap = ::testing::TempDir() + "/replay-active-out.pcap";
    WriteRawPcap(in, pkts, 1700000000001000000LL);
    std::string out, err;
    ASSERT_EQ(
        RunTool(kTool + " --config " + kConfigs + "replay-ftp.conf --write " + outPcap + " " + in,
                out,
                err),
        0)
        << err << out;
    EXPECT_EQ(Summary(out, "forwarded"), 9) << out;
    EXPECT_EQ(Summary(out, "sessions"), 2);
    EXPECT_EQ(Summary(out, "pinholes"), 1);
    EXPECT_NE(out.find("arrives as tcp 90.130.70.73:20 -> 203.0.113.10:"), std::string::npos)
        << out;
    EXPECT_NE(out.find("child of 00000001 (pinhole of ftp)"), std::string::npos) << out;

    const auto res = Ipv4Packets(ReadCaptureFile(outPcap));
    ASSERT_EQ(res.size(), pkts.size());
    for (const auto& p : res)
    {
        EXPECT_TRUE(ChecksumsOk(p));
    }
    // PORT leaves rewritten, a byte shorter, at the same sequence number.
    EXPECT_EQ(Payload(res[3]), "PORT 203,0,113,10,195,80\r\n");
    EXPECT_EQ(View(res[3]).tcpSeq, cp);
    // The server's 200 reaches the client exactly as captured (ack back in the client's space).
    EXPECT_EQ(WithoutTtl(res[4]), WithoutTtl(pkts[4]));
    // RETR leaves one lower; the server's last ACK (of RETR) reaches the client as captured.
    EXPECT_EQ(View(res[5]).tcpSeq, cr - 1);
    EXPECT_EQ(WithoutTtl(res[8]), WithoutTtl(pkts[8]));
    // The data connection: the server's SYN to the announced port reaches the client's real
    // port, the client's SYN-ACK leaves from the NAT address and the announced port.
    const PacketView syn = View(res[6]);
    EXPECT_EQ(syn.tuple.dst, Ip(C));
    EXPECT_EQ(syn.tuple.dport, 50000);
    const PacketView synAck = View(res[7]);
    EXPECT_EQ(synAck.tuple.src, Ip("203.0.113.10"));
    const std::string announced = Payload(res[3]);
    unsigned a, b, c, d, p1, p2;
    ASSERT_EQ(std::sscanf(announced.c_str(), "PORT %u,%u,%u,%u,%u,%u", &a, &b, &c, &d, &p1, &p2),
              6);
    EXPECT_EQ(synAck.tuple.sport, p1 * 256 + p2);

    // Without the reply mapping the server's packets miss the NATed session (no-session) and the
    // pinhole (policy deny), and the client's SYN-ACK has no session either.
    ASSERT_EQ(
        RunTool(kTool + " --no-reply-map --config " + kConfigs + "replay-ftp.conf " + in, out, err),
        0)
        << err;
    EXPECT_EQ(Summary(out, "mapped"), 0);
    EXPECT_EQ(Summary(out, "dropped"), 5) << out;
}

TEST(ReplayTool, LoopbackCaptureMappedByTheConfigsReplayLine)
{
    // rsh.pcap was captured on loopback (127.0.0.1 both ends): replay-rsh.conf's `#replay:`
    // line moves the two sides apart. Two rsh sessions, each announcing a stderr port.
    std::string out, err;
    ASSERT_EQ(
        RunTool(kTool + " --quiet --config " + kConfigs + "replay-rsh.conf " + kCorpus + "rsh.pcap",
                out,
                err),
        0)
        << err << out;
    EXPECT_EQ(Summary(out, "forwarded"), 24);
    EXPECT_EQ(Summary(out, "sessions"), 2);
    EXPECT_EQ(Summary(out, "pinholes"), 2);
    EXPECT_EQ(out.find("\n#1 "), std::string::npos) << "--quiet prints no packet lines";
    EXPECT_NE(out.find("hook=post dir=org act=snat 10.0.1.14:1021->198.51.100.14:514"
                       "(198.51.100.1:1021)"),
              std::string::npos)
        << out;
}

TEST(ReplayTool, PptpCaptureKeepsCallIdZeroAndOpensBothGrePinholes)
{
    // pptp.pcap's client uses Call ID 0, free on the NAT address towards its server: the helper
    // keeps it, so the server's captured Outgoing-Call-Reply (Peer's Call ID 0) matches the call
    // and both GRE pinholes open (the capture holds no GRE packet to use them).
    std::string out, err;
    ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-pptp.conf " + kCorpus + "pptp.pcap",
                      out,
                      err),
              0)
        << err << out;
    EXPECT_EQ(Summary(out, "packets"), 24) << out;
    EXPECT_EQ(Summary(out, "forwarded"), 24) << out;
    EXPECT_EQ(Summary(out, "sessions"), 1) << out;
    EXPECT_EQ(Summary(out, "pinholes"), 2) << out;
    EXPECT_EQ(Count(out, "  pinhole pptp: gre "), 2u) << out;
    // Server -> client keyed by Call ID 0 on the NAT address, leaving to the client with 0.
    EXPECT_NE(out.find("  pinhole pptp: gre 191.101.61.1:0 -> 203.0.113.10:0 (to "
                       "192.168.43.22:0) parent 00000001 expires in 300s one-shot"),
              std::string::npos)
        << out;
    // Client -> server keyed by the server's Call ID 11755, leaving from the NAT address.
    EXPECT_NE(out.find("  pinhole pptp: gre 192.168.43.22:0 -> 191.101.61.1:11755 (to "
                       "191.101.61.1:11755) (from 203.0.113.10:0) parent 00000001"),
              std::string::npos)
        << out;
}

TEST(ReplayTool, PptpInsideCaptureMapsGreKeysAsTheUnitTranslatedThem)
{
    // A capture taken on the inside: PPTP clients behind the NAT (Call IDs 256, 257) and the
    // server's replies, GRE both ways. The server's GRE reaches the clients keyed by their own
    // Call IDs, the reply direction of a GRE session is keyed by the receiver's Call ID, not the
    // original direction's key reversed: the replay must map each key as the unit translated
    // it. Every packet passes (before, the second and later server-to-client GRE packets of
    // each call missed the session and were dropped as policy-deny: 2 of 3 with one client, 5 of
    // 6 with two). (Clients whose Call IDs collide on the NAT address get new IDs in their
    // Outgoing-Call-Requests; an inside capture's server replies name the old ones in their
    // payload, which a tuple mapping cannot fix: not replayable open-loop.)
    const char* S = "191.101.61.1";
    const char* clients[] = {"192.168.43.22", "192.168.43.23"};
    for (int n = 1; n <= 2; ++n)
    {
        std::vector<std::vector<uint8_t>> pkts;
        for (int c = 0; c < n; ++c)
        {
            const char* C = clients[c];
            const uint16_t sport = static_cast<uint16_t>(40000 + c);
            const auto sccrq = SerializePptpMessage(MakePptpMessage(PPTP_START_CONTROL_REQUEST));
            PptpMessage reply = MakePptpMessage(PPTP_START_CONTROL_REPLY);
            reply.resultCode = 1;
            const auto sccrp = SerializePptpMessage(reply);
            PptpMessage ocrq = MakePptpMessage(PPTP_OUTGOING_CALL_REQUEST);
            ocrq.callId = static_cast<uint16_t>(256 + c);
            ocrq.callSerial = 1;
            const auto ocrqB = SerializePptpMessage(ocrq);
            PptpMessage ocrp = MakePptpMessage(PPTP_OUTGOING_CALL_REPLY);
            ocrp.callId = static_cast<uint16_t>(512 + c);
            ocrp.peerCallId = static_cast<uint16_t>(256 + c);
            ocrp.resultCode = 1;
            const auto ocrpB = SerializePptpMessage(ocrp);
            const std::string a(sccrq.begin(), sccrq.end());
            const std::string b(sccrp.begin(), sccrp.end());
            const std::string q(ocrqB.begin(), ocrqB.end());
            const std::string r(ocrpB.begin(), ocrpB.end());
            const uint32_t c0 = 1000;
            const uint32_t s0 = 9000;
            pkts.push_back(Tcp(C, sport, S, 1723, c0, 0, 0x02));
            pkts.push_back(Tcp(S, 1723, C, sport, s0, c0 + 1, 0x12));
            pkts.push_back(Tcp(C, sport, S, 1723, c0 + 1, s0 + 1, 0x10));
            pkts.push_back(Tcp(C, sport, S, 1723, c0 + 1, s0 + 1, 0x18, a));
            pkts.push_back(Tcp(S, 1723, C, sport, s0 + 1, c0 + 1 + a.size(), 0x18, b));
            pkts.push_back(Tcp(C, sport, S, 1723, c0 + 1 + a.size(), s0 + 1 + b.size(), 0x18, q));
            pkts.push_back(
                Tcp(S, 1723, C, sport, s0 + 1 + b.size(), c0 + 1 + a.size() + q.size(), 0x18, r));
        }
        for (uint32_t seq = 1; seq <= 3; ++seq)
        {
            for (int c = 0; c < n; ++c)
            {
                pkts.push_back(Gre(clients[c], S, static_cast<uint16_t>(512 + c), seq, "ppp-up"));
                pkts.push_back(Gre(S, clients[c], static_cast<uint16_t>(256 + c), seq, "ppp-down"));
            }
        }
        const std::string in = ::testing::TempDir() + "/replay-pptp-gre.pcap";
        const std::string outPcap = ::testing::TempDir() + "/replay-pptp-gre-out.pcap";
        WriteRawPcap(in, pkts, 1700000000001000000LL);
        std::string out, err;
        ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-pptp.conf --write " + outPcap +
                              " " + in,
                          out,
                          err),
                  0)
            << err << out;
        EXPECT_EQ(Summary(out, "dropped"), 0) << n << " client(s)\n" << out;
        EXPECT_EQ(Summary(out, "forwarded"), static_cast<long>(pkts.size())) << out;
        EXPECT_EQ(Count(out, "policy-deny"), 0u) << out;
        // What the unit sends: the server's GRE reaches each client with its own Call ID,
        // the clients' GRE leaves from the NAT address with the server's Call IDs.
        const auto res = Ipv4Packets(ReadCaptureFile(outPcap));
        std::map<uint32_t, int> toClient;
        int fromNat = 0;
        for (const auto& p : res)
        {
            const PacketView v = View(p);
            if (v.tuple.proto != GRE_IP_PROTOCOL)
            {
                continue;
            }
            if (v.tuple.src == Ip(S))
            {
                EXPECT_EQ(v.tuple.dport, v.tuple.dst == Ip(clients[0]) ? 256 : 257);
                ++toClient[v.tuple.dst];
            }
            else
            {
                EXPECT_EQ(v.tuple.src, Ip("203.0.113.10"));
                ++fromNat;
            }
        }
        EXPECT_EQ(fromNat, 3 * n);
        for (int c = 0; c < n; ++c)
        {
            EXPECT_EQ(toClient[Ip(clients[c])], 3) << clients[c] << "\n" << out;
        }
    }
}

TEST(ReplayTool, RshStartOnlyInTheStreamsFirstSegmentOpensAPinhole)
{
    // Built rsh sessions (client 10.0.1.14:1021 -> 198.51.100.14:514 through replay-rsh.conf's
    // SNAT): only a complete start in the segment that begins the client's stream announces
    // the stderr port. A start split over two segments ("10" + "23\0...": parsing the second
    // would open port 23) and port-like data after an invalid start open nothing, and every
    // payload leaves as it came.
    const char* C = "10.0.1.14";
    const char* S = "198.51.100.14";

    struct Case
    {
        const char* name;
        std::vector<std::string> segments;
        long pinholes;
    };

    const std::vector<Case> cases = {
        {"whole", {std::string("1023\0luser\0ruser\0ls\0", 20)}, 1},
        {"split", {"10", std::string("23\0luser\0ruser\0ls\0", 18)}, 0},
        {"bad-then-data",
         {std::string("abc\0luser\0ruser\0ls\0", 19), std::string("6000\0", 5)},
         0},
    };
    for (const Case& c : cases)
    {
        SCOPED_TRACE(c.name);
        std::vector<std::vector<uint8_t>> pkts = {
            Tcp(C, 1021, S, 514, 1000, 0, 0x02),
            Tcp(S, 514, C, 1021, 5000, 1001, 0x12),
            Tcp(C, 1021, S, 514, 1001, 5001, 0x10),
        };
        uint32_t seq = 1001;
        for (const auto& seg : c.segments)
        {
            pkts.push_back(Tcp(C, 1021, S, 514, seq, 5001, 0x18, seg));
            seq += static_cast<uint32_t>(seg.size());
            pkts.push_back(Tcp(S, 514, C, 1021, 5001, seq, 0x10));
        }
        const std::string in = ::testing::TempDir() + "/replay-rsh-" + c.name + ".pcap";
        const std::string outPcap = ::testing::TempDir() + "/replay-rsh-" + c.name + "-out.pcap";
        WriteRawPcap(in, pkts, 1700000000001000000LL);
        std::string out, err;
        ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-rsh.conf --write " + outPcap +
                              " " + in,
                          out,
                          err),
                  0)
            << err << out;
        EXPECT_EQ(Summary(out, "forwarded"), static_cast<long>(pkts.size())) << out;
        EXPECT_EQ(Summary(out, "sessions"), 1) << out;
        EXPECT_EQ(Summary(out, "pinholes"), c.pinholes) << out;
        const auto res = Ipv4Packets(ReadCaptureFile(outPcap));
        ASSERT_EQ(res.size(), pkts.size());
        // The whole start announces 1023 (free on the NAT address: kept).
        EXPECT_EQ(out.find("  pinhole rsh: tcp 198.51.100.14:0 -> 198.51.100.1:1023 (to "
                           "10.0.1.14:1023)") != std::string::npos,
                  c.pinholes == 1)
            << out;
        for (size_t i = 0; i < pkts.size(); ++i)
        {
            EXPECT_EQ(Payload(res[i]), Payload(pkts[i])) << "packet " << i;
        }
    }
}

TEST(ReplayTool, BadInputGivesClearErrorsAndExitCodes)
{
    const std::string dir = ::testing::TempDir();
    const std::string garbage = dir + "/replay-garbage.pcap";
    std::ofstream(garbage) << "this is not a capture\n";
    std::string out, err;
    EXPECT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-ftp.conf " + garbage, out, err), 2);
    EXPECT_NE(err.find("fgsim-replay: " + garbage +
                       ": not a pcap or pcapng file (starts with 0x74686973"),
              std::string::npos)
        << err;
    EXPECT_EQ(out.find("summary:"), std::string::npos);

    // A capture cut inside a record: the complete records are replayed, with a warning.
    std::vector<uint8_t> ftp = FileBytes(kCorpus + "ftp.pcap");
    ftp.resize(3000);
    const std::string cut = dir + "/replay-cut.pcap";
    std::ofstream(cut, std::ios::binary)
        .write(reinterpret_cast<const char*>(ftp.data()), static_cast<std::streamsize>(ftp.size()));
    ASSERT_EQ(RunTool(kTool + " --quiet --config " + kConfigs + "replay-ftp.conf " + cut, out, err),
              0)
        << err;
    EXPECT_NE(out.find("warning: " + cut + ": record 29: truncated dump file"), std::string::npos)
        << out;
    EXPECT_NE(out.find("(pcap, 28 packets, Ethernet)"), std::string::npos) << out;
    EXPECT_GT(Summary(out, "forwarded"), 10);

    // A rejected configuration: the CLI's error with its line number, exit 1.
    const std::string bad = dir + "/replay-bad.conf";
    std::ofstream(bad) << "config system interface\n    edit \"port1\"\n        set ip 10.0.0.300 "
                          "255.255.255.0\n    next\nend\n";
    EXPECT_EQ(RunTool(kTool + " --config " + bad + " " + kCorpus + "ftp.pcap", out, err), 1);
    EXPECT_NE(err.find(bad + ": line 3: "), std::string::npos) << err;
    // No interface with an address.
    const std::string empty = dir + "/replay-empty.conf";
    std::ofstream(empty) << "config system settings\nend\n";
    EXPECT_EQ(RunTool(kTool + " --config " + empty + " " + kCorpus + "ftp.pcap", out, err), 1);
    EXPECT_NE(err.find("no interface with an address"), std::string::npos) << err;
    // Usage errors.
    EXPECT_EQ(RunTool(kTool + " " + kCorpus + "ftp.pcap", out, err), 2);
    EXPECT_NE(err.find("no --config FILE given"), std::string::npos) << err;
    EXPECT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-ftp.conf --map 1.2.3=4.5.6.7 " +
                          kCorpus + "ftp.pcap",
                      out,
                      err),
              2);
    EXPECT_NE(err.find("--map 1.2.3=4.5.6.7: bad address"), std::string::npos) << err;
    EXPECT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-ftp.conf --map", out, err), 2);
    EXPECT_NE(err.find("--map needs ADDR[:PORT]=ADDR"), std::string::npos) << err;
    EXPECT_EQ(
        RunTool(kTool + " --config " + kConfigs + "replay-ftp.conf --bogus " + kCorpus + "ftp.pcap",
                out,
                err),
        2);
    EXPECT_NE(err.find("fgsim-replay: unknown option --bogus"), std::string::npos) << err;
    // PcapFile writes classic pcap: a .pcapng output name is refused rather than mislabelled.
    EXPECT_EQ(RunTool(kTool + " -c " + kConfigs + "replay-ftp.conf -w " + dir + "/x.pcapng " +
                          kCorpus + "ftp.pcap",
                      out,
                      err),
              2);
    EXPECT_NE(err.find("name it .pcap"), std::string::npos) << err;
    EXPECT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-ftp.conf " + dir + "/absent.pcap",
                      out,
                      err),
              2);
    EXPECT_NE(err.find("absent.pcap: cannot open"), std::string::npos) << err;
}

TEST(ReplayTool, ExecAfterAndLogShowTheFlowTraceAndTheTrafficLog)
{
    // Issue 13: --exec before the capture (with the debug output it enables printed after each
    // packet), --after after it, --log FILE with the unit's traffic log lines.
    ASSERT_TRUE(std::filesystem::exists(kTool)) << kTool;
    const std::string log = ::testing::TempDir() + "/replay-ftp-traffic.log";
    std::remove(log.c_str());
    // The replay configuration with the policy logging all its sessions.
    const std::string logAll = ::testing::TempDir() + "/replay-logtraffic-all.conf";
    {
        std::ofstream c(logAll);
        c << "config firewall policy\n    edit 1\n        set logtraffic all\n    next\nend\n";
    }
    std::string out, err;
    ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-ftp.conf --config " + logAll +
                          " --exec 'diagnose debug flow filter dport 21'" +
                          " --exec 'diagnose debug flow trace start 2'" +
                          " --exec 'diagnose debug enable'" +
                          " --exec 'diagnose debug flow filter | grep dport'" +
                          " --after 'diagnose sys session list | grep total'" +
                          " --after 'diagnose sys session clear'" +
                          " --after 'execute log display'" + " --log " + log + " " + kCorpus +
                          "ftp.pcap",
                      out,
                      err),
              0)
        << err << out;
    EXPECT_NE(out.find("# exec: diagnose debug flow filter | grep dport\ndport: 21\n"),
              std::string::npos)
        << out;
    // The first packet (the SYN to port 21) and its trace lines right after its own line.
    const size_t first = out.find("id=20085 trace_id=1 func=print_pkt_detail line=5942 "
                                  "msg=\"vd-root:0 received a packet(proto=6, "
                                  "192.168.1.212:50694->90.130.70.73:21) tun_id=0.0.0.0 from ");
    ASSERT_NE(first, std::string::npos) << out;
    EXPECT_NE(out.find("id=20085 trace_id=1 func=fw_forward_handler line=881 "
                       "msg=\"Allowed by Policy-1: SNAT\"\n"),
              std::string::npos);
    EXPECT_NE(out.find("id=20085 trace_id=2 "), std::string::npos);
    EXPECT_EQ(out.find("id=20085 trace_id=3 "), std::string::npos) << "trace start 2";
    EXPECT_NE(out.find("# exec: diagnose sys session list | grep total\ntotal session "),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("# exec: execute log display\n"), std::string::npos);
    // The sessions left at the end, cleared by --after: their close lines, in the file and in
    // `execute log display`.
    std::ifstream in(log);
    ASSERT_TRUE(in.good()) << log;
    size_t closes = 0;
    for (std::string line; std::getline(in, line);)
    {
        closes += line.find(" proto=6 action=\"close\" policyid=1 ") != std::string::npos;
        EXPECT_EQ(line.rfind("date=", 0), 0u) << line;
        EXPECT_NE(line.find(" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" "),
                  std::string::npos)
            << line;
    }
    EXPECT_GE(closes, 1u);
    EXPECT_NE(out.find("\n1: date="), std::string::npos) << out;
    std::string out2, err2;
    EXPECT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-ftp.conf --exec", out2, err2), 2);
    EXPECT_NE(err2.find("--exec needs a CLI command"), std::string::npos) << err2;
}

TEST(ReplayTool, DnsCaptureBindsDnsUdpAndEndsEachSessionOnItsAnswer)
{
    std::string out, err;
    ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-dns.conf " + kCorpus + "dns.pcap",
                      out,
                      err),
              0)
        << err << out;
    EXPECT_EQ(Count(out, "helper=dns-udp"), 2u) << out;
    // The answers pair with their queries: the helper ends both UDP sessions on them.
    EXPECT_NE(out.find("session 00000001 closed (helper)"), std::string::npos) << out;
    EXPECT_NE(out.find("session 00000002 closed (helper)"), std::string::npos) << out;
    EXPECT_EQ(Summary(out, "sessions"), 2);
    EXPECT_EQ(Summary(out, "forwarded"), 4);
    EXPECT_NE(out.find("# diagnose sys session list\ntotal session 0\n"), std::string::npos) << out;
}

TEST(ReplayTool, OracleCaptureIsBoundToTnsAndPassesUnchanged)
{
    std::string out, err;
    ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-oracle.conf " + kCorpus +
                          "oracle12.pcapng",
                      out,
                      err),
              0)
        << err << out;
    EXPECT_NE(out.find("session 00000001 created: tcp 10.0.2.15:40226 -> 10.0.72.139:1521 "
                       "policy 1 snat 10.0.72.1:40226 helper=tns"),
              std::string::npos)
        << out;
    // CONNECT, RESEND, CONNECT, ACCEPT (315), then 32-bit-length data: no REDIRECT, no pinhole.
    EXPECT_EQ(Summary(out, "pinholes"), 0);
    EXPECT_EQ(Summary(out, "dropped"), 0);
}

TEST(ReplayTool, MgcpCaptureIsBoundToMgcpAndBlocksTheBareCrDatagrams)
{
    std::string out, err;
    ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-mgcp.conf " + kCorpus + "mgcp.pcap",
                      out,
                      err),
              0)
        << err << out;
    // The two gateway <-> call agent conversations and the three single RQNTs from Internet
    // hosts are mgcp sessions (UDP 2427: session-helper entry 19).
    EXPECT_NE(out.find("udp 172.16.1.116:2427 -> 172.16.1.119:2427 policy 1 helper=mgcp"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("udp 10.10.228.72:2427 -> 10.10.244.2:2427 policy 1 helper=mgcp"),
              std::string::npos)
        << out;
    EXPECT_EQ(Count(out, "policy 1 helper=mgcp"), 5u) << out;
    EXPECT_NE(out.find("drops: helper=3"), std::string::npos) << out;
    // Their RQNTs end lines in a bare CR (RFC 3435: CRLF or LF): malformed, blocked. Every
    // response matched its command (RSIP, RQNT, AUEP, NTFY), so nothing else is dropped.
    EXPECT_EQ(Summary(out, "dropped"), 3) << out;
    EXPECT_EQ(Summary(out, "forwarded"), 20) << out;
    // No CRCX in the capture: no media pinhole.
    EXPECT_EQ(Summary(out, "pinholes"), 0) << out;
}

TEST(ReplayTool, MgcpCrcxUnderSnatOpensRtpRtcpPinholesForTheGateway)
{
    // A gateway (10.0.2.15) behind SNAT (10.0.72.1) and its call agent (10.0.72.139), captured
    // on the gateway's side: RSIP, CRCX with the gateway's SDP in the response, then the far
    // side's RTP, which only the pinhole lets in.
    const char* G = "10.0.2.15";
    const char* A = "10.0.72.139";
    const std::string sdp = "v=0\r\no=- 1 1 IN IP4 10.0.2.15\r\ns=-\r\nc=IN IP4 10.0.2.15\r\n"
                            "t=0 0\r\nm=audio 16384 RTP/AVP 0\r\n";
    const std::vector<std::vector<uint8_t>> pkts = {
        Udp(G, 2427, A, 2727, "RSIP 1 aaln/1@[10.0.2.15] MGCP 1.0\r\nRM: restart\r\n"),
        Udp(A, 2727, G, 2427, "200 1 OK\r\n"),
        Udp(A, 2727, G, 2427, "CRCX 500 aaln/1@[10.0.72.1] MGCP 1.0\r\nC: 9\r\nM: recvonly\r\n"),
        Udp(G, 2427, A, 2727, "200 500 OK\r\nI: 1\r\n\r\n" + sdp),
        Udp(A, 20000, G, 16384, std::string(172, 'r')),
        Udp(A, 2727, G, 2427, "200 77 OK\r\n"), // answers nothing: blocked
    };
    const std::string in = ::testing::TempDir() + "/replay-mgcp-crcx.pcap";
    const std::string outPcap = ::testing::TempDir() + "/replay-mgcp-crcx-out.pcap";
    WriteRawPcap(in, pkts, 1700000000001000000LL);
    std::string out, err;
    ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-oracle.conf --write " + outPcap +
                          " " + in,
                      out,
                      err),
              0)
        << err << out;
    EXPECT_NE(out.find("pinhole mgcp: udp 0.0.0.0:0 -> 10.0.72.1:16384 (to 10.0.2.15:16384) "
                       "parent 00000001 expires in 180s one-shot"),
              std::string::npos)
        << out;
    // As they left: the RSIP names the public address, the CRCX the gateway's own, the
    // response's SDP the public address.
    const auto sent = Ipv4Packets(ReadCaptureFile(outPcap));
    ASSERT_EQ(sent.size(), 5u);
    EXPECT_NE(Payload(sent[0]).find("aaln/1@[10.0.72.1]"), std::string::npos);
    EXPECT_NE(Payload(sent[2]).find("CRCX 500 aaln/1@[10.0.2.15]"), std::string::npos);
    EXPECT_NE(Payload(sent[3]).find("c=IN IP4 10.0.72.1\r\n"), std::string::npos)
        << Payload(sent[3]);
    EXPECT_EQ(Payload(sent[3]).find("10.0.2.15"), std::string::npos) << Payload(sent[3]);
    EXPECT_NE(out.find("udp 10.0.2.15:2427 -> 10.0.72.139:2727 policy 1 snat 10.0.72.1:2427 "
                       "helper=mgcp"),
              std::string::npos)
        << out;
    EXPECT_EQ(Summary(out, "pinholes"), 2) << out; // RTP and RTCP
    EXPECT_EQ(Count(out, "(pinhole of mgcp)"), 1u) << out;
    EXPECT_EQ(Summary(out, "dropped"), 1) << out;
    EXPECT_EQ(Summary(out, "forwarded"), 5) << out;
}

namespace
{
/// Replay an H.323 call from 10.0.2.15 (source-NATed to 10.0.72.1 by replay-oracle.conf) to
/// 10.0.72.139: Setup with h245Address :5000 and fast start (RTP :6000, RTCP :6001), Connect
/// with the callee's fast start answer, then the callee's RTP to the caller's announced
/// (translated) RTP port and the callee's H.245 connection to the announced H.245 port.
/// \p extraConfig: more CLI appended to the configuration. \return the tool's output
std::string
ReplayH323NatCall(const std::string& name, const std::string& extraConfig)
{
    const char* C = "10.0.2.15";
    const char* S = "10.0.72.139";
    auto ip = [](const char* a) {
        uint32_t v = 0;
        ParseIpv4(a, v);
        return v;
    };
    H225Uuie setup;
    setup.q931Type = Q931_SETUP;
    setup.h245 = {ip(C), 5000};
    H245Channel mine;
    mine.reverse = true;
    mine.rtp = {ip(C), 6000};
    mine.rtcp = {ip(C), 6001};
    setup.fastStart = {EncodeOpenLogicalChannel(mine)};
    H225Uuie connect;
    connect.q931Type = Q931_CONNECT;
    H245Channel theirs;
    theirs.rtp = {ip(S), 7000};
    theirs.rtcp = {ip(S), 7001};
    connect.fastStart = {EncodeOpenLogicalChannel(theirs)};
    const std::vector<uint8_t> a = EncodeQ931(setup, 1);
    const std::vector<uint8_t> b = EncodeQ931(connect, 0x8001);
    const std::string sa(a.begin(), a.end());
    const std::string sb(b.begin(), b.end());
    std::vector<std::vector<uint8_t>> pkts = {
        Tcp(C, 40100, S, 1720, 1000, 0, 0x02),
        Tcp(S, 1720, C, 40100, 5000, 1001, 0x12),
        Tcp(C, 40100, S, 1720, 1001, 5001, 0x10),
        Tcp(C, 40100, S, 1720, 1001, 5001, 0x18, sa),
        Tcp(S, 1720, C, 40100, 5001, 1001 + static_cast<uint32_t>(sa.size()), 0x18, sb),
        Udp(S, 7000, "10.0.72.1", 6000, std::string(20, '\x80')),
        Tcp(S, 41000, "10.0.72.1", 5000, 9000, 0, 0x02),
    };
    const std::string in = ::testing::TempDir() + "/replay-" + name + ".pcap";
    WriteRawPcap(in, pkts, 1700000000001000000LL);
    const std::string conf = ::testing::TempDir() + "/replay-" + name + ".conf";
    {
        std::ifstream src(kConfigs + "replay-oracle.conf");
        std::ofstream dst(conf);
        dst << src.rdbuf() << extraConfig;
    }
    std::string out, err;
    EXPECT_EQ(RunTool(kTool + " --config " + conf + " " + in, out, err), 0) << err << out;
    return out;
}
} // namespace

TEST(ReplayTool, H323CallUnderSourceNatGetsItsAddressesTranslatedAndMediaIn)
{
    const std::string out = ReplayH323NatCall("h323-nat", "");
    for (const char* line : {"pinhole h323: tcp 10.0.72.139:0 -> 10.0.72.1:5000",
                             "pinhole h323: udp 10.0.72.139:0 -> 10.0.72.1:6001",
                             "pinhole h323: udp 10.0.72.139:0 -> 10.0.72.1:6000",
                             "pinhole h323: udp 10.0.2.15:0 -> 10.0.72.139:7000",
                             "udp 10.0.72.139:7000 -> 10.0.72.1:6000: forwarded -> port1 udp "
                             "10.0.72.139:7000 -> 10.0.2.15:6000",
                             "tcp 10.0.72.139:41000 -> 10.0.72.1:5000 [S]: forwarded -> port1 tcp "
                             "10.0.72.139:41000 -> 10.0.2.15:5000"})
    {
        EXPECT_NE(out.find(line), std::string::npos) << line << "\n" << out;
    }
    EXPECT_EQ(Summary(out, "dropped"), 0);
}

TEST(ReplayTool, H323CallUnderSourceNatWithoutTheHelperGetsNoMedia)
{
    const std::string out =
        ReplayH323NatCall("h323-nat-nohelper", "config system session-helper\n    delete 2\nend\n");
    EXPECT_EQ(out.find("helper=h323"), std::string::npos) << out;
    EXPECT_EQ(Summary(out, "pinholes"), 0);
    EXPECT_EQ(Summary(out, "dropped"), 2) << out; // the callee's RTP and H.245 connection
}

TEST(ReplayTool, H245IOnAConfiguredPortTranslatesAnOpenLogicalChannel)
{
    // h245I has no default entry: `edit 0`, `set name h245I`, `set port 1300` binds it.
    const char* C = "10.0.2.15";
    const char* S = "10.0.72.139";
    uint32_t c = 0;
    ParseIpv4(C, c);
    H245Channel olc;
    olc.rtcp = {c, 6001};
    const std::vector<uint8_t> m = EncodeTpkt(EncodeH245Olc(olc));
    const std::string sm(m.begin(), m.end());
    const std::vector<std::vector<uint8_t>> pkts = {
        Tcp(C, 40100, S, 1300, 1000, 0, 0x02),
        Tcp(S, 1300, C, 40100, 5000, 1001, 0x12),
        Tcp(C, 40100, S, 1300, 1001, 5001, 0x10),
        Tcp(C, 40100, S, 1300, 1001, 5001, 0x18, sm),
        Udp(S, 7001, "10.0.72.1", 6001, std::string(8, '\x80')),
    };
    const std::string in = ::testing::TempDir() + "/replay-h245i.pcap";
    WriteRawPcap(in, pkts, 1700000000001000000LL);
    const std::string conf = ::testing::TempDir() + "/replay-h245i.conf";
    {
        std::ifstream src(kConfigs + "replay-oracle.conf");
        std::ofstream dst(conf);
        dst << src.rdbuf()
            << "config system session-helper\n    edit 0\n        set name h245I\n"
               "        set protocol 6\n        set port 1300\n    next\nend\n";
    }
    std::string out, err;
    ASSERT_EQ(RunTool(kTool + " --config " + conf + " " + in, out, err), 0) << err << out;
    for (const char* line :
         {"session 00000001 created: tcp 10.0.2.15:40100 -> 10.0.72.139:1300 policy 1 snat "
          "10.0.72.1:40100 helper=h245I",
          "pinhole h245I: udp 10.0.72.139:0 -> 10.0.72.1:6001 (to 10.0.2.15:6001)",
          "udp 10.0.72.139:7001 -> 10.0.72.1:6001: forwarded -> port1 udp 10.0.72.139:7001 -> "
          "10.0.2.15:6001"})
    {
        EXPECT_NE(out.find(line), std::string::npos) << line << "\n" << out;
    }
    EXPECT_EQ(Summary(out, "dropped"), 0);
}

TEST(ReplayTool, H323CaptureIsBoundToH323AndRasAndOpensTheAnnouncedPinholes)
{
    std::string out, err;
    ASSERT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-h323.conf --after \"diagnose sys " +
                          "h323-model counters\" " + kCorpus + "h323.pcap",
                      out,
                      err),
              0)
        << err << out;
    for (const char* line :
         {// call 1: Setup/Connect on 1720; the Connect's h245Address lets the H.245
          // connection in, bound to h323, whose OpenLogicalChannel(Ack)s open RTP/RTCP
          "session 00000001 created: tcp 10.1.3.143:32803 -> 10.1.6.18:1720 policy 1 "
          "helper=h323",
          "pinhole h323: tcp 10.1.3.143:0 -> 10.1.6.18:1232 parent 00000001",
          "session 00000002 created: tcp 10.1.3.143:32804 -> 10.1.6.18:1232 policy 1 child "
          "of 00000001 (pinhole of h323)",
          "pinhole h323: udp 10.1.6.18:0 -> 10.1.3.143:5001 parent 00000002",
          "pinhole h323: udp 10.1.3.143:0 -> 10.1.6.18:2007 parent 00000002",
          "pinhole h323: udp 10.1.6.18:0 -> 10.1.3.143:5000 parent 00000002",
          "pinhole h323: udp 10.1.3.143:0 -> 10.1.6.18:2006 parent 00000002",
          "session 00000003 created: tcp 192.168.0.208:56837 -> 192.168.0.1:1720 policy 1 "
          "helper=h323",
          // RAS: the RRQ's callSignalAddress, and the ACF's destCallSignalAddress which the
          // call then uses
          "session 00000004 created: udp 17.2.0.124:2034 -> 17.2.0.161:1719 policy 1 "
          "helper=ras",
          "pinhole ras: tcp 0.0.0.0:0 -> 17.2.0.124:1720 parent 00000004",
          "pinhole ras: tcp 17.2.0.124:0 -> 17.2.0.122:1720 parent 00000004",
          "session 00000005 created: tcp 17.2.0.124:3032 -> 17.2.0.122:1720 policy 1 child "
          "of 00000004 (pinhole of ras)",
          // the RCF's three alternate gatekeepers
          "pinhole ras: udp 10.47.208.204:0 -> 10.47.208.54:1719 parent 00000006",
          "pinhole ras: udp 10.47.208.204:0 -> 10.47.208.51:1719 parent 00000006",
          "pinhole ras: udp 10.47.208.204:0 -> 10.47.208.53:1719 parent 00000006"})
    {
        EXPECT_NE(out.find(line), std::string::npos) << line << "\n" << out;
    }
    EXPECT_EQ(Summary(out, "pinholes"), 12);
    EXPECT_EQ(Summary(out, "sessions"), 6);
    // the model's counters (FortiOS documents no such command): every message decoded; the
    // three 1-byte TCP keep-alives of the second call are not TPKT; the RCF was sent three
    // times with the same three alternate gatekeepers, allowed once
    EXPECT_NE(out.find("h323: messages=18 malformed=0 not-tpkt=3 rewritten=0 pinholes=5 "
                       "refused=0 alternate-gatekeepers=0\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("ras: messages=17 malformed=0 not-tpkt=0 rewritten=0 pinholes=7 "
                       "refused=0 alternate-gatekeepers=6\n"),
              std::string::npos)
        << out;
    EXPECT_EQ(Summary(out, "dropped"), 0);
}

namespace
{
/// Replay a built TCP conversation (client C:cport <-> server S:sport, three-way handshake
/// first) whose \p exchanges alternate client and server payloads, then a client SYN to
/// S:\p childPort, through replay-oracle.conf (SNAT). \return the tool's output
std::string
ReplayConversation(const std::string& name,
                   uint16_t sport,
                   const std::vector<std::string>& exchanges,
                   uint16_t childPort)
{
    const char* C = "10.0.2.15";
    const char* S = "10.0.72.139";
    std::vector<std::vector<uint8_t>> pkts = {
        Tcp(C, 40100, S, sport, 1000, 0, 0x02),
        Tcp(S, sport, C, 40100, 5000, 1001, 0x12),
        Tcp(C, 40100, S, sport, 1001, 5001, 0x10),
    };
    uint32_t cseq = 1001;
    uint32_t sseq = 5001;
    for (size_t i = 0; i < exchanges.size(); ++i)
    {
        const std::string& e = exchanges[i];
        if (i % 2 == 0)
        {
            pkts.push_back(Tcp(C, 40100, S, sport, cseq, sseq, 0x18, e));
            cseq += static_cast<uint32_t>(e.size());
        }
        else
        {
            pkts.push_back(Tcp(S, sport, C, 40100, sseq, cseq, 0x18, e));
            sseq += static_cast<uint32_t>(e.size());
        }
    }
    pkts.push_back(Tcp(C, 40101, S, childPort, 7000, 0, 0x02));
    const std::string in = ::testing::TempDir() + "/replay-" + name + ".pcap";
    WriteRawPcap(in, pkts, 1700000000001000000LL);
    std::string out, err;
    EXPECT_EQ(RunTool(kTool + " --config " + kConfigs + "replay-oracle.conf " + in, out, err), 0)
        << err << out;
    return out;
}

std::string
S(const std::vector<uint8_t>& v)
{
    return std::string(v.begin(), v.end());
}
} // namespace

TEST(ReplayTool, TnsRedirectOpensTheTemporaryPinhole)
{
    const std::string out = ReplayConversation(
        "tns-redirect",
        1521,
        {S(BuildTnsConnect("(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=10.0.72.139)(PORT=1521)))")),
         S(BuildTnsRedirect("(DESCRIPTION=" + TnsAddressText("10.0.72.139", 40001) + ")"))},
        40001);
    EXPECT_EQ(Summary(out, "pinholes"), 1) << out;
    EXPECT_EQ(Summary(out, "sessions"), 2) << out;
    // From the client, to the listener's address and the redirect's port, with the client's SNAT.
    EXPECT_NE(out.find("pinhole tns: tcp 10.0.2.15:0 -> 10.0.72.139:40001 (from 10.0.72.1:0) "
                       "parent 00000001"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("session 00000002 created: tcp 10.0.2.15:40101 -> 10.0.72.139:40001 "
                       "policy 1 snat 10.0.72.1:40101 child of 00000001 (pinhole of tns)"),
              std::string::npos)
        << out;
}

TEST(ReplayTool, PmapGetportOverTcpOpensAPinholeToTheReturnedPort)
{
    const std::string out =
        ReplayConversation("pmap-getport",
                           PMAP_PORT,
                           {S(AddRecordMark(BuildOncRpcCall(7,
                                                            PMAP_PROGRAM,
                                                            2,
                                                            PMAP_PROC_GETPORT,
                                                            PmapGetportArgs(100003, 3, 6)))),
                            S(AddRecordMark(BuildOncRpcReply(7, 0, XdrUint(2049))))},
                           2049);
    EXPECT_EQ(Summary(out, "pinholes"), 1) << out;
    EXPECT_NE(out.find("helper=pmap"), std::string::npos) << out;
    EXPECT_NE(out.find("pinhole pmap: tcp 10.0.2.15:0 -> 10.0.72.139:2049 (from 10.0.72.1:0)"),
              std::string::npos)
        << out;
    EXPECT_EQ(Count(out, "child of 00000001 (pinhole of pmap)"), 1u) << out;
}

TEST(ReplayTool, DcerpcEptMapOverTcpOpensAPinholePerTower)
{
    DceUuid iface;
    ASSERT_TRUE(ParseDceUuid("12345778-1234-abcd-ef00-0123456789ac", iface));
    const std::string out = ReplayConversation(
        "dcerpc-eptmap",
        DCERPC_EPM_PORT,
        {S(BuildDceBind(1, EpmInterfaceUuid(), 3)),
         S(BuildDceBindAck(1)),
         S(BuildDceCo(DCERPC_REQUEST,
                      2,
                      EPM_OPNUM_MAP,
                      BuildEptMapRequestStub(BuildDceTower(iface, 1, 6, 0, 0)))),
         S(BuildDceCo(
             DCERPC_RESPONSE,
             2,
             0,
             BuildEptMapResponseStub({BuildDceTower(iface, 1, 6, Ip("10.0.72.139"), 49152)}, 0)))},
        49152);
    EXPECT_EQ(Summary(out, "pinholes"), 1) << out;
    EXPECT_NE(out.find("helper=dcerpc"), std::string::npos) << out;
    EXPECT_NE(out.find("pinhole dcerpc: tcp 10.0.2.15:0 -> 10.0.72.139:49152 (from 10.0.72.1:0)"),
              std::string::npos)
        << out;
    EXPECT_EQ(Count(out, "child of 00000001 (pinhole of dcerpc)"), 1u) << out;
}
