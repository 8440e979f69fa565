/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "onc-rpc-parser.h"

#include "ns3/text-util.h"

#include <boost/endian/conversion.hpp>

namespace ns3
{

using boost::endian::load_big_u32;

namespace
{
/// Largest opaque_auth body (RFC 5531 section 8.2).
constexpr uint32_t MAX_AUTH = 400;

/// Bounds-checked XDR reader over a byte range.
struct XdrReader
{
    const uint8_t* p;   //!< bytes
    std::size_t len;    //!< their number
    std::size_t pos{0}; //!< next byte

    /// Read one unsigned int. \return false when cut
    bool U32(uint32_t& v)
    {
        if (len - pos < 4)
        {
            return false;
        }
        v = load_big_u32(p + pos);
        pos += 4;
        return true;
    }

    /// Skip \p n bytes padded to 4. \return false when cut
    bool Skip(uint32_t n)
    {
        const std::size_t padded = (static_cast<std::size_t>(n) + 3) & ~static_cast<std::size_t>(3);
        if (padded > len - pos)
        {
            return false;
        }
        pos += padded;
        return true;
    }

    /// Read an XDR string of at most \p max bytes. \return false when cut or longer
    bool String(std::string& s, uint32_t max)
    {
        uint32_t n = 0;
        if (!U32(n) || n > max)
        {
            return false;
        }
        const std::size_t at = pos;
        if (!Skip(n))
        {
            return false;
        }
        s.assign(reinterpret_cast<const char*>(p + at), n);
        return true;
    }

    /// Skip an opaque_auth (flavor, body of at most 400 bytes). \return false when it lies
    bool Auth()
    {
        uint32_t flavor = 0;
        uint32_t n = 0;
        return U32(flavor) && U32(n) && n <= MAX_AUTH && Skip(n);
    }
};
} // namespace

bool
ParseOncRpc(const uint8_t* data, std::size_t len, OncRpcMessage& out)
{
    out = OncRpcMessage();
    XdrReader r{data, len};
    uint32_t type = 0;
    if (!r.U32(out.xid) || !r.U32(type))
    {
        return false;
    }
    if (type == 0)
    {
        uint32_t rpcvers = 0;
        out.call = true;
        if (!r.U32(rpcvers) || rpcvers != 2 || !r.U32(out.prog) || !r.U32(out.vers) ||
            !r.U32(out.proc) || !r.Auth() || !r.Auth())
        {
            return false;
        }
        out.bodyOffset = r.pos;
        return true;
    }
    if (type != 1)
    {
        return false;
    }
    uint32_t replyStat = 0;
    if (!r.U32(replyStat) || replyStat > 1)
    {
        return false;
    }
    out.accepted = replyStat == 0;
    if (out.accepted && (!r.Auth() || !r.U32(out.acceptStat)))
    {
        return false;
    }
    out.bodyOffset = r.pos;
    return true;
}

std::vector<OncRpcRecord>
SplitOncRpcRecords(const uint8_t* data, std::size_t len, bool& bad)
{
    bad = false;
    std::vector<OncRpcRecord> out;
    std::size_t pos = 0;
    while (len - pos >= 4)
    {
        const uint32_t mark = load_big_u32(data + pos);
        const uint32_t n = mark & 0x7fffffffu;
        if ((mark & 0x80000000u) == 0 || n == 0 || n > ONC_RPC_MAX_RECORD)
        {
            bad = true; // several fragments, an empty fragment, or a length that lies
            break;
        }
        if (n > len - pos - 4)
        {
            break; // the rest of the record is in a later segment
        }
        out.push_back(OncRpcRecord{pos + 4, n});
        pos += 4 + n;
    }
    return out;
}

bool
ParsePmapRequest(const uint8_t* data, std::size_t len, uint32_t vers, PmapRequest& out)
{
    out = PmapRequest();
    XdrReader r{data, len};
    if (!r.U32(out.prog) || !r.U32(out.vers))
    {
        return false;
    }
    if (vers == 2)
    {
        uint32_t prot = 0;
        uint32_t port = 0;
        if (!r.U32(prot) || !r.U32(port) || (prot != 6 && prot != 17))
        {
            return false;
        }
        out.proto = static_cast<uint8_t>(prot);
        return true;
    }
    if (vers != 3 && vers != 4)
    {
        return false;
    }
    std::string owner;
    if (!r.String(out.netid, 64) || !r.String(out.addr, 128) || !r.String(owner, 256))
    {
        return false;
    }
    if (out.netid == "tcp")
    {
        out.proto = 6;
    }
    else if (out.netid == "udp")
    {
        out.proto = 17;
    }
    else
    {
        return false; // tcp6, udp6, local: not IPv4
    }
    return true;
}

bool
ParsePmapReply(const uint8_t* data, std::size_t len, uint32_t vers, PmapReply& out)
{
    out = PmapReply();
    XdrReader r{data, len};
    if (vers == 2)
    {
        uint32_t port = 0;
        if (!r.U32(port) || port > 65535)
        {
            return false;
        }
        out.port = static_cast<uint16_t>(port);
        return true;
    }
    if (vers != 3 && vers != 4)
    {
        return false;
    }
    if (!r.String(out.uaddr, 128))
    {
        return false;
    }
    if (out.uaddr.empty())
    {
        return true; // not registered
    }
    return ParseUniversalAddress(out.uaddr, out.addr, out.port);
}

bool
ParseUniversalAddress(const std::string& s, uint32_t& addr, uint16_t& port)
{
    uint32_t parts[6];
    std::size_t start = 0;
    for (int i = 0; i < 6; ++i)
    {
        const std::size_t dot = i < 5 ? s.find('.', start) : s.size();
        if (dot == std::string::npos || dot == start || dot - start > 3)
        {
            return false;
        }
        uint64_t v = 0;
        if (!ParseDecimal(std::string_view(s).substr(start, dot - start), 255, v))
        {
            return false;
        }
        parts[i] = static_cast<uint32_t>(v);
        start = dot + 1;
    }
    addr = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3];
    port = static_cast<uint16_t>(parts[4] << 8 | parts[5]);
    return true;
}

std::string
FormatUniversalAddress(uint32_t addr, uint16_t port)
{
    return std::to_string(addr >> 24) + "." + std::to_string((addr >> 16) & 0xff) + "." +
           std::to_string((addr >> 8) & 0xff) + "." + std::to_string(addr & 0xff) + "." +
           std::to_string(port >> 8) + "." + std::to_string(port & 0xff);
}

std::string
XdrUint(uint32_t v)
{
    std::string s(4, '\0');
    boost::endian::store_big_u32(reinterpret_cast<uint8_t*>(&s[0]), v);
    return s;
}

std::string
XdrString(const std::string& s)
{
    std::string out = XdrUint(static_cast<uint32_t>(s.size())) + s;
    out.append((4 - s.size() % 4) % 4, '\0');
    return out;
}

std::vector<uint8_t>
BuildOncRpcCall(uint32_t xid, uint32_t prog, uint32_t vers, uint32_t proc, const std::string& args)
{
    const std::string s = XdrUint(xid) + XdrUint(0) + XdrUint(2) + XdrUint(prog) + XdrUint(vers) +
                          XdrUint(proc) + XdrUint(0) + XdrUint(0) + XdrUint(0) + XdrUint(0) + args;
    return std::vector<uint8_t>(s.begin(), s.end());
}

std::vector<uint8_t>
BuildOncRpcReply(uint32_t xid, uint32_t acceptStat, const std::string& results)
{
    const std::string s = XdrUint(xid) + XdrUint(1) + XdrUint(0) + XdrUint(0) + XdrUint(0) +
                          XdrUint(acceptStat) + results;
    return std::vector<uint8_t>(s.begin(), s.end());
}

std::string
PmapGetportArgs(uint32_t prog, uint32_t vers, uint8_t proto)
{
    return XdrUint(prog) + XdrUint(vers) + XdrUint(proto) + XdrUint(0);
}

std::string
RpcbGetaddrArgs(uint32_t prog, uint32_t vers, const std::string& netid)
{
    return XdrUint(prog) + XdrUint(vers) + XdrString(netid) + XdrString("") + XdrString("");
}

std::vector<uint8_t>
AddRecordMark(const std::vector<uint8_t>& record)
{
    const std::string mark = XdrUint(0x80000000u | static_cast<uint32_t>(record.size()));
    std::vector<uint8_t> out(mark.begin(), mark.end());
    out.insert(out.end(), record.begin(), record.end());
    return out;
}

int
FuzzOncRpc(const uint8_t* data, std::size_t len)
{
    bool bad = false;
    for (const OncRpcRecord& rec : SplitOncRpcRecords(data, len, bad))
    {
        OncRpcMessage m;
        ParseOncRpc(data + rec.offset, rec.length, m);
    }
    OncRpcMessage m;
    if (ParseOncRpc(data, len, m))
    {
        for (uint32_t vers = 2; vers <= 4; ++vers)
        {
            PmapRequest q;
            PmapReply a;
            ParsePmapRequest(data + m.bodyOffset, len - m.bodyOffset, vers, q);
            ParsePmapReply(data + m.bodyOffset, len - m.bodyOffset, vers, a);
        }
    }
    return 0;
}

} // namespace ns3
