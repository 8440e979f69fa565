/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * fuzz-make-seeds CORPUS_DIR CONFIG_DIR OUT_DIR: the starting inputs of every fuzz target,
 * generated from the shared corpus (../shared/corpus: SIP torture messages and captures; never
 * copied into the repository) and the sample configurations, into OUT_DIR/<target>/:
 *   sip       every RFC 4475 message and every SIP payload of sip.pcap
 *   sdp       the bodies of those messages
 *   ftp, tftp, rsh, pptp, rtsp   the transport payloads of the protocol's capture
 *   capture   every capture, cut at 16 KiB (the reader keeps the whole records before a cut)
 *   cli       every .conf file of examples/configs
 *   datapath  every capture's IPv4 packets as datapath-fuzz records (16 packets per input;
 *             private sources arrive on port1, others on wan1)
 *   packetview  every capture's IPv4 packets (at most MAX_SEEDS)
 *   pmap, dcerpc, tns, dns (and any target of ENTRY_SEEDS)   the transport payloads of the
 *             capture named there, or to or from its ports in any capture
 * Prints how many seeds each target got.
 */
#include "pcap-reader.h"

#include "ns3/packet-view.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

using namespace ns3;
namespace fs = std::filesystem;

namespace
{

std::map<std::string, int> g_counts;
fs::path g_out;

/// Seeds per target at most (the captures hold thousands of packets of a few kinds).
constexpr int MAX_SEEDS = 3000;

/// The targets of parsers with a Fuzz<Proto> entry point (fuzz/CMakeLists.txt): a payload is
/// a seed of TARGET when it comes from the capture CAPTURE (its file name without extension) or
/// goes to or from one of PORTS in any capture. One line per target.
struct EntrySeeds
{
    const char* target;
    const char* capture;
    std::vector<uint16_t> ports;
};

const std::vector<EntrySeeds> ENTRY_SEEDS = {
    {"pmap", "", {111}},
    {"dcerpc", "dcerpc", {135}},
    {"tns", "oracle12", {1521}},
    {"dns", "dns", {53}},
    {"h323", "h323", {1719, 1720}},
    {"mgcp", "mgcp", {2427, 2727}},
};

std::vector<uint8_t>
ReadBytes(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>());
}

void
Seed(const std::string& target, const uint8_t* data, std::size_t len)
{
    if (len == 0 || g_counts[target] >= MAX_SEEDS)
    {
        return;
    }
    fs::create_directories(g_out / target);
    const int n = ++g_counts[target];
    std::ofstream out(g_out / target / ("seed-" + std::to_string(n)), std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(len));
}

void
Seed(const std::string& target, const std::vector<uint8_t>& bytes)
{
    Seed(target, bytes.data(), bytes.size());
}

/// The SDP body of a SIP message (after the first empty line), if any.
void
SeedSdp(const std::vector<uint8_t>& msg)
{
    static const std::string sep = "\r\n\r\n";
    auto it = std::search(msg.begin(), msg.end(), sep.begin(), sep.end());
    if (it != msg.end() && it + 4 != msg.end())
    {
        Seed("sdp", std::vector<uint8_t>(it + 4, msg.end()));
    }
}

bool
IsPrivate(uint32_t a)
{
    return (a >> 24) == 10 || (a >> 20) == 0xac1 || (a >> 16) == 0xc0a8;
}

void
SeedCapture(const fs::path& path)
{
    const auto bytes = ReadBytes(path);
    Seed("capture", bytes.data(), std::min<std::size_t>(bytes.size(), 16384));
    CaptureFile file;
    try
    {
        file = ParseCapture(bytes.data(), bytes.size(), path.filename().string());
    }
    catch (const CaptureError& e)
    {
        std::fprintf(stderr, "fuzz-make-seeds: %s: %s\n", path.c_str(), e.what());
        return;
    }
    const std::string name = path.stem().string();
    std::vector<uint8_t> records;
    int inRecords = 0;
    for (const auto& r : file.records)
    {
        const LinkPayload lp = FindIpv4(r.linkType, r.data.data(), r.data.size());
        if (lp.kind != LinkPayload::IPV4)
        {
            continue;
        }
        const uint8_t* ip = r.data.data() + lp.offset;
        const std::size_t ipLen = std::min<std::size_t>(r.data.size() - lp.offset, 65535);
        PacketView v;
        if (!ParseIpv4Packet(ip, ipLen, v))
        {
            continue;
        }
        Seed("packetview", ip, ipLen);
        records.push_back(IsPrivate(v.tuple.src) ? 0 : 1);
        records.push_back(static_cast<uint8_t>(ipLen >> 8));
        records.push_back(static_cast<uint8_t>(ipLen));
        records.insert(records.end(), ip, ip + ipLen);
        if (++inRecords == 16)
        {
            Seed("datapath", records);
            records.clear();
            inRecords = 0;
        }
        const std::size_t ihl = static_cast<std::size_t>(ip[0] & 0x0f) * 4;
        const std::size_t off = ihl + v.l4HeaderSize;
        if (!v.l4Valid || v.IsLaterFragment() || off >= ipLen)
        {
            continue;
        }
        const std::vector<uint8_t> payload(ip + off, ip + ipLen);
        const uint16_t sp = v.tuple.sport;
        const uint16_t dp = v.tuple.dport;
        auto either = [&](uint16_t port) { return sp == port || dp == port; };
        for (const auto& e : ENTRY_SEEDS)
        {
            if (name == e.capture || std::any_of(e.ports.begin(), e.ports.end(), either))
            {
                Seed(e.target, payload);
            }
        }
        if (name == "sip" && either(5060))
        {
            Seed("sip", payload);
            SeedSdp(payload);
        }
        else if (name == "ftp" && either(21))
        {
            Seed("ftp", payload);
        }
        else if (name == "tftp" && v.tuple.proto == 17)
        {
            Seed("tftp", payload);
        }
        else if (name == "rsh" && v.tuple.proto == 6)
        {
            Seed("rsh", payload);
        }
        else if (name == "pptp" && either(1723))
        {
            Seed("pptp", payload);
        }
        else if (name == "rtsp" && either(554))
        {
            Seed("rtsp", payload);
        }
    }
    Seed("datapath", records);
}

} // namespace

int
main(int argc, char** argv)
{
    if (argc != 4)
    {
        std::fprintf(stderr, "usage: fuzz-make-seeds CORPUS_DIR CONFIG_DIR OUT_DIR\n");
        return 2;
    }
    const fs::path corpus = argv[1];
    g_out = argv[3];
    fs::remove_all(g_out);
    for (const auto& e : fs::directory_iterator(corpus / "sip-rfc4475"))
    {
        const auto msg = ReadBytes(e.path());
        Seed("sip", msg);
        SeedSdp(msg);
    }
    for (const auto& e : fs::directory_iterator(corpus / "pcap"))
    {
        SeedCapture(e.path());
    }
    for (const auto& e : fs::directory_iterator(argv[2]))
    {
        if (e.path().extension() == ".conf")
        {
            Seed("cli", ReadBytes(e.path()));
        }
    }
    for (const auto& [target, n] : g_counts)
    {
        std::printf("seeds %s: %d\n", target.c_str(), n);
    }
    return 0;
}
