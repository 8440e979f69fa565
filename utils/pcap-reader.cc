/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pcap-reader.h"

#include <boost/endian/conversion.hpp>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <limits>
#include <sstream>

namespace ns3
{

using boost::endian::load_big_u16;

namespace
{

constexpr uint32_t PCAP_MAGIC_US = 0xa1b2c3d4;
constexpr uint32_t PCAP_MAGIC_NS = 0xa1b23c4d;
constexpr uint32_t PCAPNG_SHB = 0x0a0d0d0a;
constexpr uint32_t PCAPNG_BOM = 0x1a2b3c4d;
constexpr uint32_t PCAPNG_IDB = 1;
constexpr uint32_t PCAPNG_OPB = 2;
constexpr uint32_t PCAPNG_SPB = 3;
constexpr uint32_t PCAPNG_EPB = 6;
constexpr uint32_t MAX_RECORD = 256 * 1024 * 1024; //!< larger captured lengths are corrupt

uint32_t
Swap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

/// Little/big-endian reader over a byte range that never reads past its end.
class Bytes
{
  public:
    Bytes(const uint8_t* p, std::size_t n, bool swap)
        : m_p(p)
        , m_n(n)
        , m_swap(swap)
    {
    }

    uint16_t U16(std::size_t at) const
    {
        uint16_t v;
        std::memcpy(&v, m_p + at, 2);
        return m_swap ? static_cast<uint16_t>((v >> 8) | (v << 8)) : v;
    }

    uint32_t U32(std::size_t at) const
    {
        uint32_t v;
        std::memcpy(&v, m_p + at, 4);
        return m_swap ? Swap32(v) : v;
    }

    bool Has(std::size_t at, std::size_t n) const
    {
        return at <= m_n && n <= m_n - at;
    }

  private:
    const uint8_t* m_p;
    std::size_t m_n;
    bool m_swap;
};

uint32_t
NativeU32(const uint8_t* p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

std::string
Hex32(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof(buf), "0x%08x", v);
    return buf;
}

std::string
Prefix(const std::string& name)
{
    return name.empty() ? std::string() : name + ": ";
}

/// Interface state of a pcapng section.
struct NgInterface
{
    uint32_t linkType{0};
    uint32_t snapLen{0};
    bool decimal{true}; //!< if_tsresol base 10 (else base 2)
    uint8_t exponent{6};
    int64_t offsetSec{0};
    std::string name;
};

int64_t
NgTimeNs(const NgInterface& i, uint64_t ts)
{
    unsigned __int128 t = ts;
    unsigned __int128 ns;
    if (i.decimal)
    {
        if (i.exponent <= 9)
        {
            unsigned __int128 mul = 1;
            for (int k = i.exponent; k < 9; ++k)
            {
                mul *= 10;
            }
            ns = t * mul;
        }
        else
        {
            unsigned __int128 div = 1;
            for (int k = 9; k < i.exponent && k < 40; ++k)
            {
                div *= 10;
            }
            ns = t / div;
        }
    }
    else
    {
        const int e = i.exponent > 63 ? 63 : i.exponent;
        ns = ((t >> e) * 1000000000u)
             + (((t & ((static_cast<unsigned __int128>(1) << e) - 1)) * 1000000000u) >> e);
    }
    if (ns > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max()))
    {
        ns = std::numeric_limits<int64_t>::max();
    }
    return static_cast<int64_t>(ns) + i.offsetSec * 1000000000;
}

void
ParsePcap(const uint8_t* b, std::size_t len, const std::string& name, CaptureFile& f)
{
    const uint32_t magic = NativeU32(b);
    const bool swap = magic == Swap32(PCAP_MAGIC_US) || magic == Swap32(PCAP_MAGIC_NS);
    const bool nano = magic == PCAP_MAGIC_NS || magic == Swap32(PCAP_MAGIC_NS);
    Bytes r(b, len, swap);
    if (!r.Has(0, 24))
    {
        throw CaptureError(Prefix(name) + "pcap file header truncated (" + std::to_string(len)
                           + " bytes, 24 needed)");
    }
    f.format = CaptureFile::PCAP;
    const uint16_t major = r.U16(4);
    if (major != 2)
    {
        throw CaptureError(Prefix(name) + "pcap version " + std::to_string(major) + "."
                           + std::to_string(r.U16(6)) + " is not supported (2.4 expected)");
    }
    const uint32_t linkType = r.U32(20) & 0x0fffffff; // upper bits: FCS length
    f.linkTypes.push_back(linkType);
    f.interfaceNames.emplace_back();
    std::size_t at = 24;
    while (at < len)
    {
        if (!r.Has(at, 16))
        {
            f.warning = "file ends inside the header of record "
                        + std::to_string(f.records.size() + 1) + " (offset " + std::to_string(at)
                        + ")";
            return;
        }
        const uint32_t sec = r.U32(at);
        const uint32_t frac = r.U32(at + 4);
        const uint32_t incl = r.U32(at + 8);
        const uint32_t orig = r.U32(at + 12);
        if (incl > MAX_RECORD)
        {
            f.warning = "record " + std::to_string(f.records.size() + 1) + " at offset "
                        + std::to_string(at) + " claims " + std::to_string(incl)
                        + " captured bytes: corrupt file, stopping there";
            return;
        }
        if (!r.Has(at + 16, incl))
        {
            f.warning = "file ends inside record " + std::to_string(f.records.size() + 1)
                        + " (offset " + std::to_string(at) + ")";
            return;
        }
        CaptureRecord rec;
        rec.timeNs = static_cast<int64_t>(sec) * 1000000000
                     + static_cast<int64_t>(frac) * (nano ? 1 : 1000);
        rec.linkType = linkType;
        rec.originalLength = orig;
        rec.data.assign(b + at + 16, b + at + 16 + incl);
        f.records.push_back(std::move(rec));
        at += 16 + static_cast<std::size_t>(incl);
    }
}

void
ParsePcapng(const uint8_t* b, std::size_t len, const std::string& name, CaptureFile& f)
{
    f.format = CaptureFile::PCAPNG;
    std::vector<NgInterface> intfs;
    bool swap = false;
    bool sawShb = false;
    std::size_t at = 0;
    uint32_t blockNo = 0;
    auto stop = [&f, &blockNo](std::size_t off, const std::string& why)
    {
        f.warning = "block " + std::to_string(blockNo) + " at offset " + std::to_string(off) + ": "
                    + why + "; stopping there";
    };
    while (at < len)
    {
        ++blockNo;
        if (len - at < 12)
        {
            stop(at, "file ends inside a block header");
            return;
        }
        uint32_t type = NativeU32(b + at);
        if (type == PCAPNG_SHB)
        {
            if (len - at < 28)
            {
                if (!sawShb)
                {
                    throw CaptureError(Prefix(name) + "pcapng section header truncated");
                }
                stop(at, "section header truncated");
                return;
            }
            const uint32_t bom = NativeU32(b + at + 8);
            if (bom == PCAPNG_BOM)
            {
                swap = false;
            }
            else if (bom == Swap32(PCAPNG_BOM))
            {
                swap = true;
            }
            else
            {
                if (!sawShb)
                {
                    throw CaptureError(Prefix(name)
                                       + "pcapng section header has a bad byte-order "
                                         "magic "
                                       + Hex32(bom));
                }
                stop(at, "bad byte-order magic " + Hex32(bom));
                return;
            }
            sawShb = true;
            intfs.clear();
        }
        else if (!sawShb)
        {
            throw CaptureError(Prefix(name) + "pcapng file does not start with a section header");
        }
        Bytes r(b, len, swap);
        const uint32_t total = r.U32(at + 4);
        if (total < 12 || total % 4 != 0)
        {
            if (blockNo == 1)
            {
                throw CaptureError(Prefix(name) + "pcapng section header has a bad length "
                                   + std::to_string(total));
            }
            stop(at, "bad block length " + std::to_string(total));
            return;
        }
        if (!r.Has(at, total))
        {
            if (blockNo == 1)
            {
                throw CaptureError(Prefix(name)
                                   + "pcapng section header runs past the end of "
                                     "the file");
            }
            stop(at, "file ends inside the block (" + std::to_string(total) + " bytes)");
            return;
        }
        if (r.U32(at + total - 4) != total)
        {
            if (blockNo == 1)
            {
                throw CaptureError(Prefix(name)
                                   + "pcapng section header: trailing length "
                                     "differs from the leading one");
            }
            stop(at, "trailing block length differs from the leading one");
            return;
        }
        const std::size_t body = at + 8;
        const std::size_t end = at + total - 4; // end of body
        type = r.U32(at);
        if (type == PCAPNG_IDB && end - body >= 8)
        {
            NgInterface i;
            i.linkType = r.U16(body);
            i.snapLen = r.U32(body + 4);
            std::size_t o = body + 8;
            while (o + 4 <= end)
            {
                const uint16_t code = r.U16(o);
                const uint16_t olen = r.U16(o + 2);
                if (code == 0 || o + 4 + olen > end)
                {
                    break;
                }
                const uint8_t* v = b + o + 4;
                if (code == 2) // if_name
                {
                    i.name.assign(reinterpret_cast<const char*>(v),
                                  strnlen(reinterpret_cast<const char*>(v), olen));
                }
                else if (code == 9 && olen >= 1) // if_tsresol
                {
                    i.decimal = (v[0] & 0x80) == 0;
                    i.exponent = v[0] & 0x7f;
                }
                else if (code == 14 && olen >= 8) // if_tsoffset (seconds)
                {
                    uint64_t off = 0;
                    std::memcpy(&off, v, 8);
                    if (swap)
                    {
                        off = (static_cast<uint64_t>(Swap32(static_cast<uint32_t>(off))) << 32)
                              | Swap32(static_cast<uint32_t>(off >> 32));
                    }
                    i.offsetSec = static_cast<int64_t>(off);
                }
                o += 4 + ((olen + 3u) & ~3u);
            }
            intfs.push_back(i);
            f.linkTypes.push_back(i.linkType);
            f.interfaceNames.push_back(i.name);
        }
        else if (type == PCAPNG_EPB || type == PCAPNG_OPB)
        {
            if (end - body < 20)
            {
                stop(at, "packet block too short");
                return;
            }
            const uint32_t ifId = type == PCAPNG_EPB ? r.U32(body) : r.U16(body);
            const uint64_t ts = (static_cast<uint64_t>(r.U32(body + 4)) << 32) | r.U32(body + 8);
            const uint32_t cap = r.U32(body + 12);
            const uint32_t orig = r.U32(body + 16);
            if (cap > end - body - 20)
            {
                stop(at, "captured length " + std::to_string(cap) + " exceeds the block");
                return;
            }
            if (ifId >= intfs.size())
            {
                stop(at, "packet names interface " + std::to_string(ifId) + " of "
                             + std::to_string(intfs.size()) + " described");
                return;
            }
            CaptureRecord rec;
            rec.timeNs = NgTimeNs(intfs[ifId], ts);
            rec.linkType = intfs[ifId].linkType;
            rec.interfaceId = ifId;
            rec.originalLength = orig;
            rec.data.assign(b + body + 20, b + body + 20 + cap);
            f.records.push_back(std::move(rec));
        }
        else if (type == PCAPNG_SPB)
        {
            if (intfs.empty() || end - body < 4)
            {
                stop(at, "simple packet block without an interface");
                return;
            }
            const uint32_t orig = r.U32(body);
            std::size_t cap = std::min<std::size_t>(orig, end - body - 4);
            if (intfs[0].snapLen != 0)
            {
                cap = std::min<std::size_t>(cap, intfs[0].snapLen);
            }
            CaptureRecord rec;
            // A simple packet block has no time stamp: keep the previous packet's.
            rec.timeNs = f.records.empty() ? 0 : f.records.back().timeNs;
            rec.linkType = intfs[0].linkType;
            rec.originalLength = orig;
            rec.data.assign(b + body + 4, b + body + 4 + cap);
            f.records.push_back(std::move(rec));
        }
        at += total;
    }
}

} // namespace

CaptureFile
ParseCapture(const uint8_t* bytes, std::size_t len, const std::string& name)
{
    CaptureFile f;
    if (len < 4)
    {
        throw CaptureError(Prefix(name) + "not a pcap or pcapng file: only " + std::to_string(len)
                           + " bytes");
    }
    const uint32_t magic = NativeU32(bytes);
    if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS || magic == Swap32(PCAP_MAGIC_US)
        || magic == Swap32(PCAP_MAGIC_NS))
    {
        ParsePcap(bytes, len, name, f);
    }
    else if (magic == PCAPNG_SHB)
    {
        ParsePcapng(bytes, len, name, f);
    }
    else
    {
        uint32_t be = (static_cast<uint32_t>(bytes[0]) << 24) | (bytes[1] << 16) | (bytes[2] << 8)
                      | bytes[3];
        throw CaptureError(Prefix(name) + "not a pcap or pcapng file (starts with " + Hex32(be)
                           + "; expected a1b2c3d4/a1b23c4d (pcap) or 0a0d0d0a (pcapng))");
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
            if (len >= next + 8 && frame[next] == 0xaa && frame[next + 1] == 0xaa
                && frame[next + 2] == 0x03)
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
        case LINKTYPE_LOOP:
        {
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
        default:
        {
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

// ---- writer ------------------------------------------------------------------------------------

CaptureWriter::CaptureWriter(const std::string& path, CaptureFile::Format format, uint32_t linkType)
    : m_out(path, std::ios::binary | std::ios::trunc)
    , m_path(path)
    , m_format(format)
    , m_linkType(linkType)
{
    if (!m_out)
    {
        throw CaptureError(path + ": cannot create");
    }
    if (m_format == CaptureFile::PCAP)
    {
        const uint32_t hdr[6] = {PCAP_MAGIC_US, 0x00040002u, 0, 0, 262144, linkType};
        Put(hdr, sizeof(hdr));
    }
    else
    {
        // Section header: type, length, byte-order magic, version 1.0, section length unknown.
        const uint32_t shb[7]
            = {PCAPNG_SHB, 28, PCAPNG_BOM, 0x00000001u, 0xffffffffu, 0xffffffffu, 28};
        Put(shb, sizeof(shb));
    }
}

uint32_t
CaptureWriter::AddInterface(const std::string& name)
{
    if (m_format == CaptureFile::PCAPNG)
    {
        // IDB: link type, snaplen 0, options if_name, if_tsresol = 9 (nanoseconds), end.
        const std::size_t nameLen = std::min<std::size_t>(name.size(), 0xfff0);
        const std::size_t namePad = (nameLen + 3) & ~std::size_t(3);
        const uint32_t total
            = static_cast<uint32_t>(8 + 8 + (nameLen ? 4 + namePad : 0) + 8 + 4 + 4);
        const uint32_t head[4] = {PCAPNG_IDB, total, m_linkType & 0xffff, 0};
        Put(head, sizeof(head));
        if (nameLen)
        {
            const uint16_t opt[2] = {2, static_cast<uint16_t>(nameLen)};
            Put(opt, sizeof(opt));
            Put(name.data(), nameLen);
            static const uint8_t zeros[4] = {0, 0, 0, 0};
            Put(zeros, namePad - nameLen);
        }
        const uint16_t res[2] = {9, 1};
        Put(res, sizeof(res));
        const uint8_t nine[4] = {9, 0, 0, 0};
        Put(nine, sizeof(nine));
        const uint32_t tail[2] = {0, total}; // opt_endofopt, trailing length
        Put(tail, sizeof(tail));
    }
    return m_interfaces++;
}

void
CaptureWriter::Write(int64_t timeNs, uint32_t interfaceId, const uint8_t* data, std::size_t len)
{
    if (timeNs < 0)
    {
        timeNs = 0;
    }
    const uint32_t caplen = static_cast<uint32_t>(std::min<std::size_t>(len, MAX_RECORD));
    if (m_format == CaptureFile::PCAP)
    {
        const uint32_t rec[4]
            = {static_cast<uint32_t>(timeNs / 1000000000),
               static_cast<uint32_t>((timeNs % 1000000000) / 1000), caplen, caplen};
        Put(rec, sizeof(rec));
        Put(data, caplen);
    }
    else
    {
        if (interfaceId >= m_interfaces)
        {
            throw CaptureError(m_path + ": packet for undeclared interface "
                               + std::to_string(interfaceId));
        }
        const std::size_t pad = ((caplen + 3u) & ~3u) - caplen;
        const uint32_t total = static_cast<uint32_t>(32 + caplen + pad);
        const uint64_t ts = static_cast<uint64_t>(timeNs);
        const uint32_t head[7] = {PCAPNG_EPB,
                                  total,
                                  interfaceId,
                                  static_cast<uint32_t>(ts >> 32),
                                  static_cast<uint32_t>(ts),
                                  caplen,
                                  caplen};
        Put(head, sizeof(head));
        Put(data, caplen);
        static const uint8_t zeros[4] = {0, 0, 0, 0};
        Put(zeros, pad);
        Put(&total, 4);
    }
}

void
CaptureWriter::Put(const void* p, std::size_t n)
{
    if (n)
    {
        m_out.write(static_cast<const char*>(p), static_cast<std::streamsize>(n));
    }
    if (!m_out)
    {
        throw CaptureError(m_path + ": write error");
    }
}

void
CaptureWriter::Close()
{
    if (m_out.is_open())
    {
        m_out.flush();
        const bool ok = static_cast<bool>(m_out);
        m_out.close();
        if (!ok)
        {
            throw CaptureError(m_path + ": write error");
        }
    }
}

CaptureWriter::~CaptureWriter()
{
    try
    {
        Close();
    }
    catch (const CaptureError&)
    {
        // Destructors do not throw; call Close() to see the error.
    }
}

} // namespace ns3
