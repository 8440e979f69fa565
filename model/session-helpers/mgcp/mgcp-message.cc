/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MGCP message parser (RFC 3435 §3): command and response lines, parameter lines, endpoint
 * names, piggy-backed messages, the SDP body (the SIP helper's SDP parser). Pure C++.
 */
#include "mgcp-message.h"

#include "ns3/flow-tuple.h"
#include "ns3/text-util.h"

#include <cctype>
#include <cstring>
#include <string_view>

namespace ns3
{

namespace
{

constexpr const char* kVerbs[] =
    {"EPCF", "CRCX", "MDCX", "DLCX", "RQNT", "NTFY", "AUEP", "AUCX", "RSIP"};

/// One line of the datagram: [start, end) without its end of line; next = after it.
struct Line
{
    std::size_t start{0};
    std::size_t end{0};
    std::size_t next{0};
};

/// Set \p error (when given) to \p text. \return false
bool
Fail(std::string* error, const std::string& text)
{
    if (error)
    {
        *error = text;
    }
    return false;
}

/**
 * Read the line at \p pos. \return false (with \p error) when it has a bare CR or a NUL, is
 * too long, or has no end of line.
 */
bool
ReadLine(const uint8_t* d, std::size_t len, std::size_t pos, Line& l, std::string* error)
{
    l.start = pos;
    std::size_t i = pos;
    while (i < len && d[i] != '\n')
    {
        if (d[i] == 0)
        {
            return Fail(error, "NUL byte at offset " + std::to_string(i));
        }
        if (d[i] == '\r' && (i + 1 >= len || d[i + 1] != '\n'))
        {
            return Fail(error, "line ends in a bare CR at offset " + std::to_string(i));
        }
        ++i;
    }
    if (i >= len)
    {
        return Fail(error, "line without end of line at offset " + std::to_string(pos));
    }
    l.end = i > pos && d[i - 1] == '\r' ? i - 1 : i;
    l.next = i + 1;
    if (l.end - l.start > MGCP_MAX_LINE)
    {
        return Fail(error,
                    "line over " + std::to_string(MGCP_MAX_LINE) + " bytes at offset " +
                        std::to_string(pos));
    }
    return true;
}

/// A blank-separated word of a line.
struct Word
{
    std::string_view text;
    std::size_t offset{0};
};

/// Split [start, end) of \p d at runs of SP / HTAB.
std::vector<Word>
Words(const uint8_t* d, std::size_t start, std::size_t end)
{
    std::vector<Word> w;
    std::size_t i = start;
    while (i < end)
    {
        while (i < end && (d[i] == ' ' || d[i] == '\t'))
        {
            ++i;
        }
        const std::size_t b = i;
        while (i < end && d[i] != ' ' && d[i] != '\t')
        {
            ++i;
        }
        if (i > b)
        {
            w.push_back(Word{std::string_view(reinterpret_cast<const char*>(d) + b, i - b), b});
        }
    }
    return w;
}

bool
IsDigits(std::string_view s)
{
    if (s.empty())
    {
        return false;
    }
    for (char c : s)
    {
        if (c < '0' || c > '9')
        {
            return false;
        }
    }
    return true;
}

/// \return the transaction id of \p s (1..999999999), 0 when it is not one
uint32_t
TransactionId(std::string_view s)
{
    uint64_t v = 0;
    if (s.size() > 9 || !ParseDecimal(s, 999999999, v) || v == 0)
    {
        return 0;
    }
    return static_cast<uint32_t>(v);
}

/// Parse the first line of a message into \p m. \return false with \p error
bool
ParseStartLine(const uint8_t* d, const Line& l, MgcpMessage& m, std::string* error)
{
    const std::vector<Word> w = Words(d, l.start, l.end);
    if (w.size() < 2)
    {
        return Fail(error, "first line has fewer than two words");
    }
    if (w[0].text.size() == 3 && IsDigits(w[0].text))
    {
        m.response = true;
        m.code = static_cast<uint16_t>((w[0].text[0] - '0') * 100 + (w[0].text[1] - '0') * 10 +
                                       (w[0].text[2] - '0'));
        m.transactionId = TransactionId(w[1].text);
        if (m.transactionId == 0)
        {
            return Fail(error, "bad transaction id \"" + std::string(w[1].text) + "\"");
        }
        if (w.size() > 2)
        {
            m.commentary.assign(reinterpret_cast<const char*>(d) + w[2].offset,
                                l.end - w[2].offset);
        }
        return true;
    }
    if (w.size() < 5)
    {
        return Fail(error, "command line is not <verb> <txid> <endpoint> MGCP <version>");
    }
    bool known = false;
    for (std::size_t i = 0; i < sizeof(kVerbs) / sizeof(kVerbs[0]); ++i)
    {
        if (AsciiIEquals(w[0].text, kVerbs[i]))
        {
            m.verb = static_cast<MgcpVerb>(i);
            known = true;
        }
    }
    if (!known)
    {
        return Fail(error, "unknown verb \"" + std::string(w[0].text.substr(0, 16)) + "\"");
    }
    m.transactionId = TransactionId(w[1].text);
    if (m.transactionId == 0)
    {
        return Fail(error, "bad transaction id \"" + std::string(w[1].text.substr(0, 16)) + "\"");
    }
    if (!ParseMgcpEndpoint(std::string(w[2].text), w[2].offset, true, m.endpoint))
    {
        return Fail(error, "bad endpoint name \"" + std::string(w[2].text.substr(0, 64)) + "\"");
    }
    if (!AsciiIEquals(w[3].text, "MGCP"))
    {
        return Fail(error,
                    "protocol is \"" + std::string(w[3].text.substr(0, 16)) + "\", not MGCP");
    }
    const std::string_view v = w[4].text;
    const auto dot = v.find('.');
    if (dot == std::string_view::npos || !IsDigits(v.substr(0, dot)) ||
        !IsDigits(v.substr(dot + 1)) || v.size() > 8 ||
        !(v.substr(0, dot) == "0" || v.substr(0, dot) == "1"))
    {
        return Fail(error, "unsupported MGCP version \"" + std::string(v.substr(0, 16)) + "\"");
    }
    m.version = std::string(v);
    if (w.size() > 5)
    {
        m.profile.assign(reinterpret_cast<const char*>(d) + w[5].offset, l.end - w[5].offset);
    }
    return true;
}

/// Parse a parameter line. \return false with \p error
bool
ParseParameter(const uint8_t* d, const Line& l, MgcpMessage& m, std::string* error)
{
    std::size_t i = l.start;
    while (i < l.end && d[i] != ':')
    {
        const uint8_t c = d[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-'))
        {
            return Fail(error, "bad parameter line at offset " + std::to_string(l.start));
        }
        ++i;
    }
    if (i >= l.end || i == l.start || i - l.start > 32)
    {
        return Fail(error,
                    "parameter line without \"<name>:\" at offset " + std::to_string(l.start));
    }
    MgcpParameter p;
    p.name =
        AsciiLowerCopy(std::string_view(reinterpret_cast<const char*>(d) + l.start, i - l.start));
    for (char& c : p.name)
    {
        c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    std::size_t b = i + 1;
    std::size_t e = l.end;
    while (b < e && (d[b] == ' ' || d[b] == '\t'))
    {
        ++b;
    }
    while (e > b && (d[e - 1] == ' ' || d[e - 1] == '\t'))
    {
        --e;
    }
    p.value.assign(reinterpret_cast<const char*>(d) + b, e - b);
    p.valueSpan = SipSpan{b, e - b};
    if (p.name == "N" || p.name == "Z" || p.name == "Z2")
    {
        MgcpEndpoint ep;
        if (!ParseMgcpEndpoint(p.value, b, p.name != "N", ep))
        {
            return Fail(error,
                        p.name + ": value \"" + p.value.substr(0, 64) +
                            "\" is not an endpoint name");
        }
        m.entities.push_back(ep);
    }
    m.params.push_back(std::move(p));
    return true;
}

} // namespace

const char*
MgcpVerbName(MgcpVerb v)
{
    const auto i = static_cast<std::size_t>(v);
    return i < sizeof(kVerbs) / sizeof(kVerbs[0]) ? kVerbs[i] : "?";
}

const MgcpParameter*
MgcpMessage::Find(const char* name) const
{
    for (const MgcpParameter& p : params)
    {
        if (p.name == name)
        {
            return &p;
        }
    }
    return nullptr;
}

std::string
MgcpMessage::Value(const char* name) const
{
    const MgcpParameter* p = Find(name);
    return p ? p->value : std::string();
}

bool
ParseMgcpEndpoint(const std::string& text, std::size_t base, bool needLocal, MgcpEndpoint& out)
{
    out = MgcpEndpoint{};
    if (text.empty() || text.size() > 255)
    {
        return false;
    }
    out.span = SipSpan{base, text.size()};
    std::size_t at = text.find('@');
    std::size_t dom = 0;
    if (at != std::string::npos)
    {
        if (at == 0)
        {
            return false;
        }
        for (std::size_t i = 0; i < at; ++i)
        {
            const unsigned char c = static_cast<unsigned char>(text[i]);
            if (c <= 0x20 || c >= 0x7f)
            {
                return false;
            }
        }
        out.local = text.substr(0, at);
        dom = at + 1;
    }
    else if (needLocal)
    {
        return false;
    }
    std::size_t end = dom;
    if (dom < text.size() && text[dom] == '[')
    {
        const std::size_t close = text.find(']', dom);
        if (close == std::string::npos ||
            !ParseIpv4(text.substr(dom + 1, close - dom - 1), out.ipv4))
        {
            return false;
        }
        out.literal = true;
        out.addressSpan = SipSpan{base + dom + 1, close - dom - 1};
        end = close + 1;
    }
    else
    {
        while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                     text[end] == '.' || text[end] == '-' || text[end] == '_'))
        {
            ++end;
        }
        if (end == dom)
        {
            return false;
        }
    }
    out.domain = text.substr(dom, end - dom);
    if (end == text.size())
    {
        return true;
    }
    if (text[end] != ':')
    {
        return false;
    }
    uint64_t port = 0;
    if (!ParseDecimal(std::string_view(text).substr(end + 1), 65535, port) || port == 0)
    {
        return false;
    }
    out.hasPort = true;
    out.port = static_cast<uint16_t>(port);
    out.portSpan = SipSpan{base + end + 1, text.size() - end - 1};
    return true;
}

bool
ParseMgcpDatagram(const uint8_t* data,
                  std::size_t len,
                  std::vector<MgcpMessage>& out,
                  std::string* error)
{
    out.clear();
    if (len == 0)
    {
        return Fail(error, "empty datagram");
    }
    std::size_t pos = 0;
    while (pos < len)
    {
        if (out.size() >= MGCP_MAX_MESSAGES)
        {
            return Fail(error,
                        "more than " + std::to_string(MGCP_MAX_MESSAGES) +
                            " piggy-backed messages");
        }
        MgcpMessage m;
        m.offset = pos;
        Line l;
        if (!ReadLine(data, len, pos, l, error) || !ParseStartLine(data, l, m, error))
        {
            return false;
        }
        pos = l.next;
        bool body = false; // an empty line was seen: the SDP follows
        while (pos < len)
        {
            if (!ReadLine(data, len, pos, l, error))
            {
                return false;
            }
            pos = l.next;
            if (l.end == l.start + 1 && data[l.start] == '.')
            {
                break; // piggy-backed: the next message follows
            }
            if (l.end == l.start)
            {
                body = true;
                break;
            }
            if (!ParseParameter(data, l, m, error))
            {
                return false;
            }
        }
        if (body)
        {
            const std::size_t bodyStart = pos;
            std::size_t bodyEnd = len;
            bool nonBlank = false;
            while (pos < len)
            {
                if (!ReadLine(data, len, pos, l, error))
                {
                    return false;
                }
                if (l.end == l.start + 1 && data[l.start] == '.')
                {
                    bodyEnd = l.start;
                    pos = l.next;
                    break;
                }
                nonBlank = nonBlank || l.end > l.start;
                pos = l.next;
            }
            if (nonBlank)
            {
                m.hasSdp = true;
                ParseSdp(data + bodyStart, bodyEnd - bodyStart, m.sdp, bodyStart);
                for (const SdpViolation& v : m.sdp.violations)
                {
                    if (v.type == 'o' || v.type == 'c' || v.type == 'm')
                    {
                        return Fail(error, "SDP: " + v.reason);
                    }
                }
            }
        }
        m.length = pos - m.offset;
        out.push_back(std::move(m));
    }
    return true;
}

int
FuzzMgcp(const uint8_t* data, std::size_t len)
{
    std::vector<MgcpMessage> msgs;
    std::string error;
    ParseMgcpDatagram(data, len, msgs, &error);
    for (const MgcpMessage& m : msgs)
    {
        for (const MgcpEndpoint& e : m.entities)
        {
            if (e.span.End() > len || e.addressSpan.End() > len || e.portSpan.End() > len)
            {
                __builtin_trap(); // a span outside the datagram is a parser bug
            }
        }
    }
    MgcpEndpoint ep;
    ParseMgcpEndpoint(std::string(reinterpret_cast<const char*>(data), len), 0, false, ep);
    return 0;
}

} // namespace ns3
