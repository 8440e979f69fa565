/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pcap-reader.h"

#include <boost/endian/conversion.hpp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <pcap/pcap.h>

namespace ns3
{

using boost::endian::load_big_u16;

namespace
{

constexpr uint32_t PCAP_MAGIC_US = 0xa1b2c3d4;
constexpr uint32_t PCAP_MAGIC_NS = 0xa1b23c4d;
constexpr uint32_t PCAPNG_SHB = 0x0a0d0d0a;

uint32_t
Swap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

uint32_t
NativeU32(const uint8_t* p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

std::string
Prefix(const std::string& name)
{
    return name.empty() ? std::string() : name + ": ";
}

/// libpcap names link types by DLT_* value; files (and this code) by LINKTYPE_* value. The two
/// differ, among the link types FindIpv4 decodes, only for raw IP.
uint32_t
LinkTypeOf(int dlt)
{
    return dlt == DLT_RAW ? static_cast<uint32_t>(LINKTYPE_RAW) : static_cast<uint32_t>(dlt);
}

struct PcapClose
{
    void operator()(pcap_t* p) const
    {
        pcap_close(p);
    }
};

} // namespace

CaptureFile
ParseCapture(const uint8_t* bytes, std::size_t len, const std::string& name)
{
    if (len < 4)
    {
        throw CaptureError(Prefix(name) + "not a pcap or pcapng file: only " + std::to_string(len) +
                           " bytes");
    }
    const uint32_t magic = NativeU32(bytes);
    const bool pcap = magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS ||
                      magic == Swap32(PCAP_MAGIC_US) || magic == Swap32(PCAP_MAGIC_NS);
    if (!pcap && magic != PCAPNG_SHB)
    {
        char hex[16];
        const uint32_t be =
            (static_cast<uint32_t>(bytes[0]) << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
        std::snprintf(hex, sizeof(hex), "0x%08x", be);
        throw CaptureError(Prefix(name) + "not a pcap or pcapng file (starts with " + hex +
                           "; expected a1b2c3d4/a1b23c4d (pcap) or 0a0d0d0a (pcapng))");
    }
    // libpcap reads from a FILE: a read-only stream over the caller's bytes.
    FILE* fp = fmemopen(const_cast<uint8_t*>(bytes), len, "rb");
    if (!fp)
    {
        throw CaptureError(Prefix(name) + "cannot open the capture in memory");
    }
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    std::unique_ptr<pcap_t, PcapClose> p(
        pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf));
    if (!p)
    {
        std::fclose(fp);
        throw CaptureError(Prefix(name) + (pcap ? "pcap: " : "pcapng: ") + errbuf);
    }
    CaptureFile f;
    f.format = pcap ? CaptureFile::PCAP : CaptureFile::PCAPNG;
    f.linkType = LinkTypeOf(pcap_datalink(p.get()));
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    int rc;
    while ((rc = pcap_next_ex(p.get(), &hdr, &data)) == 1)
    {
        CaptureRecord rec;
        // A pcapng time stamp is 64 bits in any resolution: seconds past year 2262 do not fit
        // in int64 nanoseconds (found by the capture fuzz target). Say so; never overflow.
        if (__builtin_mul_overflow(static_cast<int64_t>(hdr->ts.tv_sec),
                                   int64_t{1000000000},
                                   &rec.timeNs) ||
            __builtin_add_overflow(rec.timeNs, static_cast<int64_t>(hdr->ts.tv_usec), &rec.timeNs))
        {
            throw CaptureError(Prefix(name) + (pcap ? "pcap: " : "pcapng: ") + "record " +
                               std::to_string(f.records.size() + 1) + ": time stamp " +
                               std::to_string(hdr->ts.tv_sec) +
                               " s is out of range (nanoseconds since 1970 in 64 bits)");
        }
        if (rec.timeNs == 0 && !f.records.empty())
        {
            rec.timeNs = f.records.back().timeNs; // a simple packet block has no time stamp
        }
        rec.linkType = f.linkType;
        rec.originalLength = hdr->len;
        rec.data.assign(data, data + hdr->caplen);
        f.records.push_back(std::move(rec));
    }
    if (rc == PCAP_ERROR)
    {
        f.warning = "record " + std::to_string(f.records.size() + 1) + ": " + pcap_geterr(p.get()) +
                    "; the records before it are kept";
    }
    return f;
}

CaptureFile
ReadCaptureFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw CaptureError(path + ": cannot open");
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    if (in.bad())
    {
        throw CaptureError(path + ": read error");
    }
    return ParseCapture(bytes.data(), bytes.size(), path);
}

namespace
{

const char*
EtherTypeName(uint16_t t)
{
    switch (t)
    {
    case 0x0806:
        return "ARP";
    case 0x86dd:
        return "IPv6";
    case 0x8035:
        return "RARP";
    case 0x88cc:
        return "LLDP";
    case 0x8863:
        return "PPPoE discovery";
    case 0x8847:
    case 0x8848:
        return "MPLS";
    default:
        return nullptr;
    }
}

LinkPayload
NotIpv4(uint16_t type, const std::string& what)
{
    LinkPayload r;
    r.kind = LinkPayload::NOT_IPV4;
    r.etherType = type;
    r.what = what;
    return r;
}

LinkPayload
Truncated()
{
    LinkPayload r;
    r.kind = LinkPayload::TRUNCATED;
    return r;
}

LinkPayload
Ipv4At(std::size_t off)
{
    LinkPayload r;
    r.kind = LinkPayload::IPV4;
    r.offset = off;
    return r;
}

LinkPayload
FromRawIp(const uint8_t* frame, std::size_t len, std::size_t off)
{
    if (len <= off)
    {
        return Truncated();
    }
    const uint8_t version = frame[off] >> 4;
    if (version == 4)
    {
        return Ipv4At(off);
    }
    if (version == 6)
    {
        return NotIpv4(0x86dd, "IPv6");
    }
    return NotIpv4(0, "IP version " + std::to_string(version));
}

/// Continue from an EtherType at \p typeAt whose payload starts at \p next.
LinkPayload
FromEtherType(const uint8_t* frame, std::size_t len, std::size_t typeAt, std::size_t next)
{
    for (int depth = 0; depth < 8; ++depth)
    {
        if (len < typeAt + 2)
        {
            return Truncated();
        }
        uint16_t type = load_big_u16(frame + typeAt);
        if (type == 0x0800)
        {
            return next < len ? Ipv4At(next) : Truncated();
        }
        if (type == 0x8100 || type == 0x88a8 || type == 0x9100)
        {
            // VLAN tag: 2 bytes TCI, then the inner EtherType.
            typeAt = next + 2;
            next += 4;
            continue;
        }
        if (type == 0x8864)
        {
            // PPPoE session: ver/type, code, session id, length (6 bytes), then PPP protocol.
            if (len < next + 8)
            {
                return Truncated();
            }
            const uint16_t ppp = load_big_u16(frame + next + 6);
            if (ppp == 0x0021)
            {
                return next + 8 < len ? Ipv4At(next + 8) : Truncated();
            }
            if (ppp == 0x0057)
            {
                return NotIpv4(ppp, "IPv6 over PPPoE");
            }
            char buf[48];
            std::snprintf(buf, sizeof(buf), "PPPoE (PPP protocol 0x%04x)", ppp);
            return NotIpv4(ppp, buf);
        }
        if (type < 0x0600)
        {
            // 802.3 length field: LLC, maybe with a SNAP header carrying an EtherType.
            if (len >= next + 8 && frame[next] == 0xaa && frame[next + 1] == 0xaa &&
                frame[next + 2] == 0x03)
            {
                typeAt = next + 6;
                next += 8;
                continue;
            }
            return NotIpv4(type, "802.3/LLC");
        }
        const char* n = EtherTypeName(type);
        char buf[32];
        std::snprintf(buf, sizeof(buf), "EtherType 0x%04x", type);
        return NotIpv4(type, n ? n : buf);
    }
    return NotIpv4(0, "too many nested tags");
}

} // namespace

LinkPayload
FindIpv4(uint32_t linkType, const uint8_t* frame, std::size_t len)
{
    switch (linkType)
    {
    case LINKTYPE_ETHERNET:
        if (len < 14)
        {
            return Truncated();
        }
        return FromEtherType(frame, len, 12, 14);
    case LINKTYPE_LINUX_SLL:
        if (len < 16)
        {
            return Truncated();
        }
        return FromEtherType(frame, len, 14, 16);
    case LINKTYPE_LINUX_SLL2:
        if (len < 20)
        {
            return Truncated();
        }
        return FromEtherType(frame, len, 0, 20);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
        if (len < 4)
        {
            return Truncated();
        }
        // AF_INET is 2 everywhere; the byte order depends on the capturing host.
        const uint32_t fam = NativeU32(frame);
        if (fam == 2 || fam == Swap32(2))
        {
            return FromRawIp(frame, len, 4);
        }
        return NotIpv4(0, "address family " + std::to_string(fam > 0xffff ? Swap32(fam) : fam));
    }
    case LINKTYPE_RAW:
    case 12: // LINKTYPE_RAW on OpenBSD
    case 14: // LINKTYPE_RAW on some BSDs
        return FromRawIp(frame, len, 0);
    case LINKTYPE_IPV4:
        return len > 0 ? Ipv4At(0) : Truncated();
    default: {
        LinkPayload r;
        r.kind = LinkPayload::UNSUPPORTED_LINK;
        r.what = LinkTypeName(linkType);
        return r;
    }
    }
}

std::string
LinkTypeName(uint32_t linkType)
{
    switch (linkType)
    {
    case LINKTYPE_NULL:
        return "BSD loopback";
    case LINKTYPE_ETHERNET:
        return "Ethernet";
    case LINKTYPE_RAW:
        return "raw IP";
    case LINKTYPE_LOOP:
        return "OpenBSD loopback";
    case LINKTYPE_LINUX_SLL:
        return "Linux cooked";
    case LINKTYPE_IPV4:
        return "raw IPv4";
    case LINKTYPE_LINUX_SLL2:
        return "Linux cooked v2";
    default:
        return "LINKTYPE " + std::to_string(linkType);
    }
}

} // namespace ns3
