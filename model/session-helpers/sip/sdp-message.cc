/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sdp-message.h"

#include "ns3/flow-tuple.h"
#include "ns3/text-util.h"

#include <boost/container/small_vector.hpp>
#include <cstring>

namespace ns3
{

namespace
{

/// One field of an SDP line: [b, e) offsets in the body.
struct Field
{
    std::size_t b;
    std::size_t e;
};

bool
IsDigit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

bool
IsAlpha(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// RFC 4566 token character.
bool
IsTokenChar(uint8_t c)
{
    return IsAlpha(c) || IsDigit(c) || std::strchr("!#$%&'*+-.^_`{|}~", c) != nullptr;
}

/// The fields of one line: inline up to 16 (an `m=` line with more formats allocates).
using Fields = boost::container::small_vector<Field, 16>;

/// Split [b, e) at runs of spaces.
Fields
SplitSpaces(const uint8_t* d, std::size_t b, std::size_t e)
{
    Fields out;
    std::size_t p = b;
    while (p < e)
    {
        while (p < e && (d[p] == ' ' || d[p] == '\t'))
        {
            ++p;
        }
        if (p >= e)
        {
            break;
        }
        std::size_t s = p;
        while (p < e && d[p] != ' ' && d[p] != '\t')
        {
            ++p;
        }
        out.push_back({s, p});
    }
    return out;
}

std::string
Str(const uint8_t* d, const Field& f)
{
    return std::string(reinterpret_cast<const char*>(d) + f.b, f.e - f.b);
}

/// Parse 1..10 digits into a value <= max. \return false otherwise.
bool
ParseNumber(const uint8_t* d, std::size_t b, std::size_t e, uint64_t max, uint64_t& v)
{
    return b < e &&
           ParseDecimal(std::string_view(reinterpret_cast<const char*>(d) + b, e - b), max, v);
}

bool
AllDigits(const uint8_t* d, const Field& f)
{
    if (f.b >= f.e)
    {
        return false;
    }
    for (std::size_t p = f.b; p < f.e; ++p)
    {
        if (!IsDigit(d[p]))
        {
            return false;
        }
    }
    return true;
}

/// typed-time: digits with an optional d/h/m/s unit (and an optional '-' when \p sign).
bool
TypedTime(const uint8_t* d, const Field& f, bool sign)
{
    std::size_t b = f.b;
    std::size_t e = f.e;
    if (sign && b < e && d[b] == '-')
    {
        ++b;
    }
    if (b < e && std::strchr("dhms", d[e - 1]) != nullptr && d[e - 1] != 0)
    {
        --e;
    }
    return AllDigits(d, {b, e});
}

/// Host name or address text allowed in SDP address fields.
bool
AddressChars(const uint8_t* d, std::size_t b, std::size_t e)
{
    if (b >= e)
    {
        return false;
    }
    for (std::size_t p = b; p < e; ++p)
    {
        uint8_t c = d[p];
        if (!(IsAlpha(c) || IsDigit(c) || c == '.' || c == '-' || c == ':' || c == '_'))
        {
            return false;
        }
    }
    return true;
}

/// Looks like a dotted quad (digits and dots only).
bool
LooksNumeric(const uint8_t* d, std::size_t b, std::size_t e)
{
    for (std::size_t p = b; p < e; ++p)
    {
        if (!IsDigit(d[p]) && d[p] != '.')
        {
            return false;
        }
    }
    return b < e;
}

class SdpParser
{
  public:
    SdpParser(const uint8_t* d, std::size_t len, SdpMessage& out, std::size_t base)
        : m_d(d),
          m_len(len),
          m_out(out),
          m_base(base)
    {
    }

    void Run();

  private:
    void Violation(char type, const std::string& reason)
    {
        m_out.violations.push_back({type, m_line, reason});
    }

    SipSpan Span(std::size_t b, std::size_t e) const
    {
        return SipSpan{m_base + b, e - b};
    }

    /// Parse `<nettype> <addrtype> <address>[/ttl[/n]]` from three fields.
    bool Address(const Field& net,
                 const Field& type,
                 const Field& addr,
                 bool allowSlash,
                 SdpAddress& a,
                 std::string& why);
    void Line(char type, std::size_t vb, std::size_t ve, std::size_t lb);
    void Attribute(std::size_t vb, std::size_t ve);

    const uint8_t* m_d;
    std::size_t m_len;
    SdpMessage& m_out;
    std::size_t m_base;
    std::size_t m_line{0};
    bool m_seenV{false};
    bool m_seenS{false};
    bool m_seenT{false};
    std::size_t m_lineStart{0};
    std::size_t m_lineEnd{0};
};

bool
SdpParser::Address(const Field& net,
                   const Field& type,
                   const Field& addr,
                   bool allowSlash,
                   SdpAddress& a,
                   std::string& why)
{
    a.netType = Str(m_d, net);
    a.addrType = Str(m_d, type);
    a.lineNumber = m_line;
    a.lineSpan = Span(m_lineStart, m_lineEnd);
    std::size_t ae = addr.e;
    for (std::size_t p = addr.b; p < addr.e; ++p)
    {
        if (m_d[p] == '/')
        {
            ae = p;
            break;
        }
    }
    a.address = std::string(reinterpret_cast<const char*>(m_d) + addr.b, ae - addr.b);
    a.addressSpan = Span(addr.b, ae);
    for (std::size_t p = net.b; p < net.e; ++p)
    {
        if (!IsTokenChar(m_d[p]))
        {
            why = "bad network type \"" + a.netType + "\"";
            return false;
        }
    }
    for (std::size_t p = type.b; p < type.e; ++p)
    {
        if (!IsTokenChar(m_d[p]))
        {
            why = "bad address type \"" + a.addrType + "\"";
            return false;
        }
    }
    if (!AddressChars(m_d, addr.b, ae))
    {
        why = "bad address \"" + Str(m_d, addr) + "\"";
        return false;
    }
    if (a.netType == "IN" && a.addrType == "IP4")
    {
        if (LooksNumeric(m_d, addr.b, ae))
        {
            if (!ParseIpv4(a.address, a.ipv4))
            {
                why = "bad IPv4 address \"" + a.address + "\"";
                return false;
            }
            a.isIpv4 = true;
        }
    }
    else if (a.netType == "IN" && a.addrType == "IP6")
    {
        bool colon = false;
        for (std::size_t p = addr.b; p < ae; ++p)
        {
            colon = colon || m_d[p] == ':';
        }
        if (!colon && LooksNumeric(m_d, addr.b, ae))
        {
            why = "bad IPv6 address \"" + a.address + "\"";
            return false;
        }
    }
    if (ae < addr.e)
    {
        if (!allowSlash)
        {
            why = "unexpected '/' in address \"" + Str(m_d, addr) + "\"";
            return false;
        }
        // /ttl[/count] (IP4 multicast) or /count (IP6)
        std::size_t p = ae + 1;
        std::size_t q = p;
        while (q < addr.e && m_d[q] != '/')
        {
            ++q;
        }
        uint64_t v = 0;
        if (!ParseNumber(m_d, p, q, 0xffffffffULL, v))
        {
            why = "bad /ttl in address \"" + Str(m_d, addr) + "\"";
            return false;
        }
        bool ip6 = a.addrType == "IP6";
        if (ip6)
        {
            a.count = static_cast<uint32_t>(v);
        }
        else
        {
            if (v > 255)
            {
                why = "TTL over 255 in address \"" + Str(m_d, addr) + "\"";
                return false;
            }
            a.ttl = static_cast<uint32_t>(v);
        }
        if (q < addr.e)
        {
            if (ip6 || !ParseNumber(m_d, q + 1, addr.e, 0xffffffffULL, v))
            {
                why = "bad /count in address \"" + Str(m_d, addr) + "\"";
                return false;
            }
            a.count = static_cast<uint32_t>(v);
        }
    }
    return true;
}

void
SdpParser::Attribute(std::size_t vb, std::size_t ve)
{
    SdpAttribute at;
    at.lineNumber = m_line;
    std::size_t p = vb;
    while (p < ve && m_d[p] != ':')
    {
        ++p;
    }
    at.name = std::string(reinterpret_cast<const char*>(m_d) + vb, p - vb);
    at.hasValue = p < ve;
    if (at.hasValue)
    {
        at.value = std::string(reinterpret_cast<const char*>(m_d) + p + 1, ve - p - 1);
        at.valueSpan = Span(p + 1, ve);
    }
    else
    {
        at.valueSpan = Span(p, p);
    }
    if (at.name.empty())
    {
        Violation('a', "a= line without attribute name");
        return;
    }
    for (std::size_t q = vb; q < p; ++q)
    {
        if (!IsTokenChar(m_d[q]))
        {
            Violation('a', "a= line: bad attribute name \"" + at.name + "\"");
            return;
        }
    }
    bool media = !m_out.media.empty();
    SdpDirection dir{};
    bool isDir = !at.hasValue;
    if (at.name == "sendrecv")
    {
        dir = SdpDirection::SENDRECV;
    }
    else if (at.name == "sendonly")
    {
        dir = SdpDirection::SENDONLY;
    }
    else if (at.name == "recvonly")
    {
        dir = SdpDirection::RECVONLY;
    }
    else if (at.name == "inactive")
    {
        dir = SdpDirection::INACTIVE;
    }
    else
    {
        isDir = false;
    }
    if (isDir)
    {
        if (media)
        {
            m_out.media.back().direction = dir;
            m_out.media.back().directionExplicit = true;
        }
        else
        {
            m_out.direction = dir;
            m_out.directionExplicit = true;
        }
    }
    if (at.name == "rtcp" && media)
    {
        // a=rtcp:<port> [<nettype> <addrtype> <address>]
        SdpMedia& m = m_out.media.back();
        if (!at.hasValue)
        {
            Violation('a', "a=rtcp without port");
            m.attributes.push_back(at);
            return;
        }
        auto f = SplitSpaces(m_d, p + 1, ve);
        uint64_t port = 0;
        if (f.empty() || !ParseNumber(m_d, f[0].b, f[0].e, 65535, port))
        {
            Violation('a', "a=rtcp: bad port \"" + at.value + "\"");
        }
        else if (f.size() != 1 && f.size() != 4)
        {
            Violation('a', "a=rtcp: expected <port> [IN IP4 <address>]");
        }
        else
        {
            m.hasRtcp = true;
            m.rtcpPort = static_cast<uint16_t>(port);
            m.rtcpPortSpan = Span(f[0].b, f[0].e);
            if (f.size() == 4)
            {
                std::string why;
                if (Address(f[1], f[2], f[3], false, m.rtcpAddress, why))
                {
                    m.rtcpHasAddress = true;
                }
                else
                {
                    Violation('a', "a=rtcp: " + why);
                }
            }
        }
    }
    if (media)
    {
        m_out.media.back().attributes.push_back(at);
    }
    else
    {
        m_out.attributes.push_back(at);
    }
}

void
SdpParser::Line(char type, std::size_t vb, std::size_t ve, std::size_t lb)
{
    const std::string t(1, type);
    if (!m_seenV && type != 'v')
    {
        Violation('v', "first line is \"" + t + "=\", not \"v=\"");
        m_seenV = true; // report once
    }
    if (vb < ve && (m_d[vb] == ' ' || m_d[ve - 1] == ' '))
    {
        // RFC 4566 §5: no whitespace either side of '='; trailing space tolerated in s= / i=
        if (m_d[vb] == ' ' && type != 's' && type != 'i')
        {
            Violation(type, t + "= line: space after '='");
        }
    }
    auto f = SplitSpaces(m_d, vb, ve);
    (void)lb;
    switch (type)
    {
    case 'v': {
        if (m_out.hasVersion)
        {
            Violation('v', "second v= line");
            break;
        }
        m_seenV = true;
        uint64_t v = 0;
        if (f.size() != 1 || !ParseNumber(m_d, f[0].b, f[0].e, 0xffffffffULL, v) || v != 0)
        {
            Violation('v', "v= line: version must be 0");
            break;
        }
        m_out.hasVersion = true;
        m_out.version = 0;
        break;
    }
    case 'o': {
        if (m_out.hasOrigin || !m_out.media.empty())
        {
            Violation('o', "o= line out of place");
            break;
        }
        if (f.size() != 6)
        {
            Violation('o', "o= line: expected 6 fields, found " + std::to_string(f.size()));
            break;
        }
        if (!AllDigits(m_d, f[1]) || !AllDigits(m_d, f[2]))
        {
            Violation('o', "o= line: session id and version must be numeric");
            break;
        }
        std::string why;
        SdpOrigin o;
        o.username = Str(m_d, f[0]);
        o.sessionId = Str(m_d, f[1]);
        o.sessionVersion = Str(m_d, f[2]);
        if (!Address(f[3], f[4], f[5], false, o.address, why))
        {
            Violation('o', "o= line: " + why);
            break;
        }
        m_out.origin = o;
        m_out.hasOrigin = true;
        break;
    }
    case 's':
        if (m_seenS || !m_out.media.empty())
        {
            Violation('s', "s= line out of place");
            break;
        }
        m_seenS = true;
        if (vb == ve)
        {
            Violation('s', "s= line: empty session name");
            break;
        }
        m_out.sessionName = std::string(reinterpret_cast<const char*>(m_d) + vb, ve - vb);
        break;
    case 'i':
        if (vb == ve)
        {
            Violation('i', "i= line: empty");
        }
        break;
    case 'u':
    case 'e':
    case 'p':
        if (vb == ve)
        {
            Violation(type, t + "= line: empty");
        }
        break;
    case 'c': {
        SdpAddress a;
        std::string why;
        if (f.size() != 3)
        {
            Violation('c', "c= line: expected 3 fields, found " + std::to_string(f.size()));
            break;
        }
        if (!Address(f[0], f[1], f[2], true, a, why))
        {
            Violation('c', "c= line: " + why);
            break;
        }
        if (m_out.media.empty())
        {
            m_out.connections.push_back(a);
        }
        else
        {
            m_out.media.back().connections.push_back(a);
        }
        break;
    }
    case 'b': {
        std::size_t p = vb;
        while (p < ve && m_d[p] != ':')
        {
            ++p;
        }
        bool ok = p > vb && p < ve && AllDigits(m_d, {p + 1, ve});
        for (std::size_t q = vb; ok && q < p; ++q)
        {
            ok = IsTokenChar(m_d[q]);
        }
        if (!ok)
        {
            Violation('b', "b= line: expected <bwtype>:<bandwidth>");
        }
        break;
    }
    case 'z': {
        bool ok = !f.empty() && f.size() % 2 == 0;
        for (std::size_t i = 0; ok && i < f.size(); ++i)
        {
            ok = i % 2 == 0 ? AllDigits(m_d, f[i]) : TypedTime(m_d, f[i], true);
        }
        if (!ok)
        {
            Violation('z', "z= line: expected <adjustment time> <offset> pairs");
        }
        break;
    }
    case 'k': {
        std::size_t p = vb;
        while (p < ve && m_d[p] != ':')
        {
            ++p;
        }
        bool ok = p > vb;
        for (std::size_t q = vb; ok && q < p; ++q)
        {
            ok = IsTokenChar(m_d[q]);
        }
        if (!ok)
        {
            Violation('k', "k= line: expected <method>[:<key>]");
        }
        break;
    }
    case 'a':
        Attribute(vb, ve);
        break;
    case 't':
        if (!m_out.media.empty())
        {
            Violation('t', "t= line inside a media description");
            break;
        }
        m_seenT = true;
        if (f.size() != 2 || !AllDigits(m_d, f[0]) || !AllDigits(m_d, f[1]))
        {
            Violation('t', "t= line: expected <start> <stop>");
        }
        break;
    case 'r': {
        bool ok = f.size() >= 3 && m_seenT && m_out.media.empty();
        for (std::size_t i = 0; ok && i < f.size(); ++i)
        {
            ok = TypedTime(m_d, f[i], false);
        }
        if (!ok)
        {
            Violation('r', "r= line: expected <interval> <duration> <offsets> after t=");
        }
        break;
    }
    case 'm': {
        SdpMedia m;
        m.lineNumber = m_line;
        m.lineSpan = Span(m_lineStart, m_lineEnd);
        if (f.size() < 4)
        {
            Violation('m', "m= line: expected <media> <port> <proto> <fmt> ...");
            // still open a media section so that its lines are attributed to it; its port
            // (0: none) is an empty span at the line's end, inside the body (a default span
            // would point before it: found by fuzz/sdp-fuzz.cc)
            m.portSpan = Span(m_lineEnd, m_lineEnd);
            if (!f.empty())
            {
                m.media = Str(m_d, f[0]);
            }
            m_out.media.push_back(m);
            break;
        }
        m.media = Str(m_d, f[0]);
        std::size_t pe = f[1].e;
        for (std::size_t p = f[1].b; p < f[1].e; ++p)
        {
            if (m_d[p] == '/')
            {
                pe = p;
                break;
            }
        }
        uint64_t port = 0;
        uint64_t count = 1;
        bool ok = ParseNumber(m_d, f[1].b, pe, 65535, port);
        if (ok && pe < f[1].e)
        {
            ok = ParseNumber(m_d, pe + 1, f[1].e, 65535, count) && count > 0;
        }
        for (std::size_t p = f[0].b; ok && p < f[0].e; ++p)
        {
            ok = IsTokenChar(m_d[p]);
        }
        if (!ok)
        {
            Violation('m',
                      "m= line: bad media or port \"" + Str(m_d, f[0]) + " " + Str(m_d, f[1]) +
                          "\"");
        }
        m.port = static_cast<uint16_t>(port);
        m.portSpan = Span(f[1].b, pe);
        m.portCount = static_cast<uint32_t>(count);
        m.proto = Str(m_d, f[2]);
        for (std::size_t i = 3; i < f.size(); ++i)
        {
            m.formats.push_back(Str(m_d, f[i]));
        }
        m.direction = m_out.direction;
        m.directionExplicit = m_out.directionExplicit;
        m_out.media.push_back(m);
        break;
    }
    default:
        Violation('?', "unknown line type \"" + t + "=\"");
        break;
    }
}

void
SdpParser::Run()
{
    std::size_t p = 0;
    std::size_t emptyLine = 0; // line number of a pending empty line
    while (p < m_len)
    {
        std::size_t lb = p;
        while (p < m_len && m_d[p] != '\n')
        {
            ++p;
        }
        std::size_t le = p;
        if (le > lb && m_d[le - 1] == '\r')
        {
            --le;
        }
        if (p < m_len)
        {
            ++p; // past LF
        }
        ++m_line;
        m_out.lineCount = m_line;
        if (le - lb > m_out.maxLineLength)
        {
            m_out.maxLineLength = le - lb;
        }
        m_lineStart = lb;
        m_lineEnd = le;
        if (le == lb)
        {
            if (emptyLine == 0)
            {
                emptyLine = m_line;
            }
            continue;
        }
        if (emptyLine != 0)
        {
            m_out.violations.push_back({'?', emptyLine, "empty line inside the description"});
            emptyLine = 0;
        }
        uint8_t type = m_d[lb];
        if (le - lb < 2 || m_d[lb + 1] != '=' || !(type >= 'a' && type <= 'z'))
        {
            char tc = (type >= 'a' && type <= 'z' && std::strchr("vosiuepcbzkatrm", type) &&
                       le - lb >= 2 && m_d[lb + 1] == '=')
                          ? static_cast<char>(type)
                          : '?';
            Violation(tc, "line is not <type>=<value>");
            continue;
        }
        Line(static_cast<char>(type), lb + 2, le, lb);
    }
    m_line = 0;
    if (!m_out.hasVersion && !m_out.HasViolation('v'))
    {
        Violation('v', "no v= line");
    }
    if (!m_out.hasOrigin && !m_out.HasViolation('o'))
    {
        Violation('o', "no o= line");
    }
    if (!m_seenS)
    {
        Violation('s', "no s= line");
    }
    if (!m_seenT)
    {
        Violation('t', "no t= line");
    }
}

} // namespace

const char*
SdpDirectionName(SdpDirection d)
{
    switch (d)
    {
    case SdpDirection::SENDRECV:
        return "sendrecv";
    case SdpDirection::SENDONLY:
        return "sendonly";
    case SdpDirection::RECVONLY:
        return "recvonly";
    case SdpDirection::INACTIVE:
        return "inactive";
    }
    return "sendrecv";
}

bool
SdpMessage::HasViolation(char type) const
{
    for (const auto& v : violations)
    {
        if (v.type == type)
        {
            return true;
        }
    }
    return false;
}

const SdpAddress*
SdpMessage::ConnectionFor(std::size_t index) const
{
    if (index >= media.size())
    {
        return nullptr;
    }
    if (!media[index].connections.empty())
    {
        return &media[index].connections.front();
    }
    return connections.empty() ? nullptr : &connections.front();
}

bool
ParseSdp(const uint8_t* data, std::size_t len, SdpMessage& out, std::size_t baseOffset)
{
    out = SdpMessage();
    if (data == nullptr)
    {
        len = 0;
    }
    static const uint8_t empty = 0;
    SdpParser(data != nullptr ? data : &empty, len, out, baseOffset).Run();
    return out.Valid();
}

} // namespace ns3
