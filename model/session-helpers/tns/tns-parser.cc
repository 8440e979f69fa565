/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tns-parser.h"

#include "ns3/text-util.h"

#include <boost/endian/conversion.hpp>

namespace ns3
{

using boost::endian::load_big_u16;
using boost::endian::load_big_u32;
using boost::endian::store_big_u16;

namespace
{
/// Header bytes of every TNS packet.
constexpr std::size_t TNS_HEADER = 8;

/// Skip blanks from \p i. \return the first non-blank position
std::size_t
SkipBlanks(const std::string& t, std::size_t i)
{
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
    {
        ++i;
    }
    return i;
}

/**
 * Find "(KEY =" from \p from up to \p end (case-insensitive). \return the value's start and
 * its end (the ')' that closes it) or npos
 */
std::size_t
FindValue(const std::string& t,
          const std::string& key,
          std::size_t from,
          std::size_t end,
          std::size_t& valueEnd)
{
    for (std::size_t i = t.find('(', from); i != std::string::npos && i < end;
         i = t.find('(', i + 1))
    {
        std::size_t k = SkipBlanks(t, i + 1);
        if (k + key.size() > end || !AsciiIEquals(std::string_view(t).substr(k, key.size()), key))
        {
            continue;
        }
        k = SkipBlanks(t, k + key.size());
        if (k >= end || t[k] != '=')
        {
            continue;
        }
        k = SkipBlanks(t, k + 1);
        const std::size_t close = t.find(')', k);
        if (close == std::string::npos || close > end)
        {
            return std::string::npos;
        }
        std::size_t e = close;
        while (e > k && (t[e - 1] == ' ' || t[e - 1] == '\t'))
        {
            --e;
        }
        valueEnd = e;
        return k;
    }
    return std::string::npos;
}

/// Write the 8-byte header of a \p type packet of \p total bytes (16-bit length).
std::vector<uint8_t>
TnsHeader(uint8_t type, std::size_t total)
{
    std::vector<uint8_t> h(TNS_HEADER, 0);
    store_big_u16(h.data(), static_cast<uint16_t>(total));
    h[4] = type;
    return h;
}
} // namespace

bool
ParseTns(const uint8_t* data, std::size_t len, bool largeLength, TnsPacket& out)
{
    out = TnsPacket();
    if (len < TNS_HEADER)
    {
        return false;
    }
    out.length = largeLength ? load_big_u32(data) : load_big_u16(data);
    out.type = data[4];
    if (out.length < TNS_HEADER || out.length > len || out.type == 0 || out.type > 19)
    {
        return false; // cut, or a length past the segment
    }
    const std::size_t n = out.length;
    std::size_t lenAt = 0;
    std::size_t offAt = 0;
    switch (out.type)
    {
    case TNS_CONNECT:
        if (n < 34)
        {
            return false;
        }
        out.version = load_big_u16(data + 8);
        lenAt = 24;
        offAt = 26;
        break;
    case TNS_ACCEPT:
        if (n < 24)
        {
            return false;
        }
        out.version = load_big_u16(data + 8);
        lenAt = 18;
        offAt = 20;
        break;
    case TNS_REDIRECT:
        if (n < 10)
        {
            return false;
        }
        out.dataLength = load_big_u16(data + 8);
        out.dataOffset = 10;
        break;
    case TNS_REFUSE:
        if (n < 12)
        {
            return false;
        }
        out.dataLength = load_big_u16(data + 10);
        out.dataOffset = 12;
        break;
    default:
        return true;
    }
    if (lenAt != 0)
    {
        out.dataLength = load_big_u16(data + lenAt);
        out.dataOffset = out.dataLength ? load_big_u16(data + offAt) : 0;
        if (out.dataLength && out.dataOffset < offAt + 2)
        {
            return false; // connect data inside the fixed fields
        }
    }
    if (out.dataLength && (out.dataOffset > n || out.dataLength > n - out.dataOffset))
    {
        return false; // connect data past the packet
    }
    return true;
}

bool
FindTnsAddress(const std::string& text, TnsAddress& out)
{
    std::size_t from = 0;
    while (true)
    {
        std::size_t vend = 0;
        const std::size_t a = FindValue(text, "ADDRESS", from, text.size(), vend);
        if (a == std::string::npos)
        {
            return false;
        }
        // The ADDRESS's parenthesised list ends where its depth returns to zero.
        int depth = 1;
        std::size_t end = a;
        for (; end < text.size() && depth > 0; ++end)
        {
            depth += text[end] == '(' ? 1 : text[end] == ')' ? -1 : 0;
        }
        std::size_t pe = 0;
        std::size_t he = 0;
        std::size_t poe = 0;
        const std::size_t p = FindValue(text, "PROTOCOL", a, end, pe);
        const std::size_t h = FindValue(text, "HOST", a, end, he);
        const std::size_t po = FindValue(text, "PORT", a, end, poe);
        uint64_t port = 0;
        if (p != std::string::npos &&
            AsciiIEquals(std::string_view(text).substr(p, pe - p), "tcp") &&
            h != std::string::npos && he > h && po != std::string::npos &&
            ParseDecimal(std::string_view(text).substr(po, poe - po), 65535, port) && port > 0)
        {
            out.host = text.substr(h, he - h);
            out.hostOffset = h;
            out.hostLength = he - h;
            out.port = static_cast<uint16_t>(port);
            out.portOffset = po;
            out.portLength = poe - po;
            return true;
        }
        from = a;
    }
}

std::vector<uint8_t>
ReplaceTnsConnectData(const uint8_t* packet, const TnsPacket& parsed, const std::string& data)
{
    const std::size_t total = parsed.length - parsed.dataLength + data.size();
    if (total > 65535 || data.size() > 65535)
    {
        return {};
    }
    std::vector<uint8_t> out(packet, packet + parsed.dataOffset);
    out.insert(out.end(), data.begin(), data.end());
    out.insert(out.end(), packet + parsed.dataOffset + parsed.dataLength, packet + parsed.length);
    store_big_u16(out.data(), static_cast<uint16_t>(total));
    const std::size_t lenAt = parsed.type == TNS_CONNECT  ? 24
                              : parsed.type == TNS_ACCEPT ? 18
                              : parsed.type == TNS_REFUSE ? 10
                                                          : 8;
    store_big_u16(out.data() + lenAt, static_cast<uint16_t>(data.size()));
    return out;
}

std::vector<uint8_t>
BuildTnsConnect(const std::string& connectData)
{
    const std::size_t fixed = 58; // header + fixed CONNECT fields, as sqlplus sends (offset 58)
    std::vector<uint8_t> p = TnsHeader(TNS_CONNECT, fixed + connectData.size());
    p.resize(fixed, 0);
    store_big_u16(p.data() + 8, 314);    // version
    store_big_u16(p.data() + 10, 300);   // compatible version
    store_big_u16(p.data() + 14, 8192);  // SDU
    store_big_u16(p.data() + 16, 32767); // TDU
    store_big_u16(p.data() + 22, 1);     // value of one
    store_big_u16(p.data() + 24, static_cast<uint16_t>(connectData.size()));
    store_big_u16(p.data() + 26, static_cast<uint16_t>(fixed));
    p.insert(p.end(), connectData.begin(), connectData.end());
    return p;
}

std::vector<uint8_t>
BuildTnsAccept(uint16_t version)
{
    std::vector<uint8_t> p = TnsHeader(TNS_ACCEPT, 32);
    p.resize(32, 0);
    store_big_u16(p.data() + 8, version);
    store_big_u16(p.data() + 12, 8192);
    store_big_u16(p.data() + 14, 32767);
    store_big_u16(p.data() + 16, 1);
    store_big_u16(p.data() + 20, 32);
    return p;
}

std::vector<uint8_t>
BuildTnsRedirect(const std::string& connectData)
{
    std::vector<uint8_t> p = TnsHeader(TNS_REDIRECT, 10 + connectData.size());
    p.resize(10, 0);
    store_big_u16(p.data() + 8, static_cast<uint16_t>(connectData.size()));
    p.insert(p.end(), connectData.begin(), connectData.end());
    return p;
}

std::vector<uint8_t>
BuildTnsResend()
{
    return TnsHeader(TNS_RESEND, TNS_HEADER);
}

std::vector<uint8_t>
BuildTnsData(const std::string& payload)
{
    std::vector<uint8_t> p = TnsHeader(TNS_DATA, TNS_HEADER + 2 + payload.size());
    p.resize(TNS_HEADER + 2, 0);
    p.insert(p.end(), payload.begin(), payload.end());
    return p;
}

std::string
TnsAddressText(const std::string& host, uint16_t port)
{
    return "(ADDRESS=(PROTOCOL=TCP)(HOST=" + host + ")(PORT=" + std::to_string(port) + "))";
}

int
FuzzTns(const uint8_t* data, std::size_t len)
{
    for (bool large : {false, true})
    {
        TnsPacket p;
        if (ParseTns(data, len, large, p) && p.dataLength)
        {
            const std::string text(reinterpret_cast<const char*>(data + p.dataOffset),
                                   p.dataLength);
            TnsAddress a;
            if (FindTnsAddress(text, a) && !large)
            {
                ReplaceTnsConnectData(data, p, text + "x");
            }
        }
    }
    return 0;
}

} // namespace ns3
