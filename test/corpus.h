/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The corpus captures (../shared/corpus/pcap, see ../shared/corpus/SOURCES.md) for the tests.
 * They are read with libpcap (utils/pcap-reader.h: pcap and pcapng; tftp.pcap, rtsp.pcap,
 * dns.pcap, ... are pcapng). Frames go through FindIpv4 (every link layer it knows) and the
 * packet parser (model/datapath/packet-view.h). ReadWithNs3PcapFile reads classic pcap with
 * ns-3's PcapFile, to check the two agree.
 */
#ifndef FORTIGATE_TEST_CORPUS_H
#define FORTIGATE_TEST_CORPUS_H

#include "pcap-reader.h"

#include "ns3/packet-view.h"
#include "ns3/pcap-file.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace ns3
{

/// \return the path of corpus capture \p name (e.g. "ftp.pcap")
inline std::string
CorpusPath(const std::string& name)
{
    return std::string(FORTIGATE_SOURCE_DIR) + "/../shared/corpus/pcap/" + name;
}

/// One IPv4 packet of a corpus capture.
struct CorpusPacket
{
    uint32_t number{0};           //!< 1-based frame number, as Wireshark shows it
    PacketView view;              //!< the parsed IPv4 and transport headers
    std::vector<uint8_t> payload; //!< the transport payload, as far as captured
};

/// \return true when \p path starts with a classic pcap magic number (either byte order)
inline bool
IsClassicPcap(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    uint8_t m[4] = {0, 0, 0, 0};
    in.read(reinterpret_cast<char*>(m), sizeof(m));
    const uint32_t le = m[0] | m[1] << 8 | m[2] << 16 | static_cast<uint32_t>(m[3]) << 24;
    const uint32_t be = m[3] | m[2] << 8 | m[1] << 16 | static_cast<uint32_t>(m[0]) << 24;
    return le == 0xa1b2c3d4 || be == 0xa1b2c3d4 || le == 0xa1b23c4d || be == 0xa1b23c4d;
}

/**
 * Every frame of a classic pcap file, read with ns-3's PcapFile (link type, bytes as
 * captured). Throws CaptureError when PcapFile cannot open or read it.
 */
inline std::vector<CaptureRecord>
ReadWithNs3PcapFile(const std::string& path)
{
    PcapFile pcap;
    pcap.Open(path, std::ios::in);
    if (pcap.Fail())
    {
        throw CaptureError("ns-3 PcapFile cannot open " + path);
    }
    std::vector<CaptureRecord> out;
    std::vector<uint8_t> buf(pcap.GetSnapLen() + 1);
    while (true)
    {
        uint32_t sec = 0;
        uint32_t usec = 0;
        uint32_t incl = 0;
        uint32_t orig = 0;
        uint32_t readLen = 0;
        pcap.Read(buf.data(), buf.size(), sec, usec, incl, orig, readLen);
        if (pcap.Eof())
        {
            break;
        }
        if (pcap.Fail())
        {
            throw CaptureError("ns-3 PcapFile cannot read record " +
                               std::to_string(out.size() + 1) + " of " + path);
        }
        CaptureRecord r;
        r.timeNs = static_cast<int64_t>(sec) * 1000000000 +
                   static_cast<int64_t>(usec) * (pcap.IsNanoSecMode() ? 1 : 1000);
        r.linkType = pcap.GetDataLinkType();
        r.originalLength = orig;
        r.data.assign(buf.begin(), buf.begin() + readLen);
        out.push_back(std::move(r));
    }
    pcap.Close();
    return out;
}

/**
 * The packets of protocol \p proto (IPPROTO_NUM_TCP, IPPROTO_NUM_UDP, ...) with a complete
 * transport header (so no later fragments) of corpus capture \p name, in capture order.
 * Throws CaptureError when the file cannot be read.
 */
inline std::vector<CorpusPacket>
CorpusPackets(const std::string& name, uint8_t proto)
{
    const std::string path = CorpusPath(name);
    const std::vector<CaptureRecord> records = ReadCaptureFile(path).records;
    std::vector<CorpusPacket> out;
    for (std::size_t i = 0; i < records.size(); ++i)
    {
        const CaptureRecord& r = records[i];
        const LinkPayload lp = FindIpv4(r.linkType, r.data.data(), r.data.size());
        if (lp.kind != LinkPayload::IPV4)
        {
            continue;
        }
        const uint8_t* ip = r.data.data() + lp.offset;
        CorpusPacket p;
        p.number = static_cast<uint32_t>(i + 1);
        if (!ParseIpv4Packet(ip, r.data.size() - lp.offset, p.view) || !p.view.l4Valid ||
            p.view.tuple.proto != proto)
        {
            continue;
        }
        // l4Size ends at the IPv4 total length or the end of the capture, whichever is first.
        const std::size_t ihl = (ip[0] & 0x0f) * 4u;
        const std::size_t begin = ihl + p.view.l4HeaderSize;
        const std::size_t end = ihl + p.view.l4Size;
        if (begin < end)
        {
            p.payload.assign(ip + begin, ip + end);
        }
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace ns3

#endif // FORTIGATE_TEST_CORPUS_H
