/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The corpus captures (../shared/corpus/pcap, see ../shared/corpus/SOURCES.md) for the tests,
 * read with the module's own capture reader (model/pcap-reader.h: pcap and pcapng, every link
 * layer FindIpv4 knows) and packet parser (model/packet-view.h).
 */
#ifndef FORTIGATE_TEST_CORPUS_H
#define FORTIGATE_TEST_CORPUS_H

#include "ns3/packet-view.h"
#include "ns3/pcap-reader.h"

#include <cstdint>
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

/**
 * The packets of protocol \p proto (IPPROTO_NUM_TCP, IPPROTO_NUM_UDP, ...) with a complete
 * transport header (so no later fragments) of corpus capture \p name, in capture order.
 * Throws CaptureError when the file cannot be read.
 */
inline std::vector<CorpusPacket>
CorpusPackets(const std::string& name, uint8_t proto)
{
    std::vector<CorpusPacket> out;
    const CaptureFile file = ReadCaptureFile(CorpusPath(name));
    for (std::size_t i = 0; i < file.records.size(); ++i)
    {
        const CaptureRecord& r = file.records[i];
        const LinkPayload lp = FindIpv4(r.linkType, r.data.data(), r.data.size());
        if (lp.kind != LinkPayload::IPV4)
        {
            continue;
        }
        const uint8_t* ip = r.data.data() + lp.offset;
        CorpusPacket p;
        p.number = static_cast<uint32_t>(i + 1);
        if (!ParseIpv4Packet(ip, r.data.size() - lp.offset, p.view) || !p.view.l4Valid
            || p.view.tuple.proto != proto)
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
