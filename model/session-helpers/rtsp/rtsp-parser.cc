/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rtsp-parser.h"

#include "ns3/reason-phrase.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

namespace ns3
{

namespace
{

/// \return false after storing \p why in \p error (when given)
bool
Fail(std::string* error, const std::string& why)
{
    if (error)
    {
        *error = why;
    }
    return false;
}

/// \return true for an RFC 2616 token character
bool
IsTokenChar(char c)
{
    auto u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127)
    {
        return false;
    }
    return std::string_view("()<>@,;:\\\"/[]?={}").find(c) == std::string_view::npos;
}

/// \return true when \p s is a non-empty token
bool
IsToken(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

/// \return true for space or tab
bool
IsWs(char c)
{
    return c == ' ' || c == '\t';
}

/// A piece of text and where it starts in the message.
struct Piece
{
    std::string_view text; //!< the bytes
    std::size_t offset;    //!< offset of text[0] in the message
};

/// \return \p p without leading and trailing spaces/tabs
Piece
Trim(Piece p)
{
    std::size_t b = 0;
    std::size_t e = p.text.size();
    while (b < e && IsWs(p.text[b]))
    {
        ++b;
    }
    while (e > b && IsWs(p.text[e - 1]))
    {
        --e;
    }
    return Piece{p.text.substr(b, e - b), p.offset + b};
}

/// Split \p p at \p sep outside double quotes. \return false on an unterminated quote
bool
SplitOutsideQuotes(Piece p, char sep, std::vector<Piece>& parts)
{
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < p.text.size(); ++i)
    {
        char c = p.text[i];
        if (c == '"')
        {
            quoted = !quoted;
        }
        else if (c == sep && !quoted)
        {
            parts.push_back(Piece{p.text.substr(start, i - start), p.offset + start});
            start = i + 1;
        }
    }
    if (quoted)
    {
        return false;
    }
    parts.push_back(Piece{p.text.substr(start), p.offset + start});
    return true;
}

/// Strict port: 1..5 digits, 1..65535.
bool
ParsePort(std::string_view s, uint16_t& port)
{
    uint64_t v = 0;
    if (s.size() > 5 || !ParseDecimal(s, 65535, v) || v == 0)
    {
        return false;
    }
    port = static_cast<uint16_t>(v);
    return true;
}

/// \return true for characters allowed in a host name or address value
bool
IsHostChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
           c == ':' || c == '[' || c == ']';
}

/// Parse one transport specification.
bool
ParseSpec(Piece spec, RtspTransportSpec& out, std::string* error)
{
    out.text = RtspTextRef{spec.offset, spec.text.size()};
    std::vector<Piece> params;
    if (!SplitOutsideQuotes(spec, ';', params))
    {
        return Fail(error, "unterminated quote in Transport");
    }
    // transport-protocol/profile[/lower-transport]
    Piece id = Trim(params[0]);
    std::vector<Piece> ids;
    SplitOutsideQuotes(id, '/', ids);
    if (ids.size() < 2 || ids.size() > 3)
    {
        return Fail(error,
                    "Transport specification '" + std::string(id.text) +
                        "' is not protocol/profile[/lower-transport]");
    }
    for (const Piece& p : ids)
    {
        if (!IsToken(p.text))
        {
            return Fail(error, "bad transport protocol '" + std::string(id.text) + "'");
        }
    }
    out.protocol = std::string(ids[0].text);
    out.profile = std::string(ids[1].text);
    out.lowerTransport = "UDP";
    if (ids.size() == 3)
    {
        if (AsciiIEquals(ids[2].text, "UDP"))
        {
            out.lowerTransport = "UDP";
        }
        else if (AsciiIEquals(ids[2].text, "TCP"))
        {
            out.lowerTransport = "TCP";
        }
        else
        {
            return Fail(error, "unknown lower transport '" + std::string(ids[2].text) + "'");
        }
    }
    for (std::size_t i = 1; i < params.size(); ++i)
    {
        Piece p = Trim(params[i]);
        if (p.text.empty())
        {
            continue; // "RTP/AVP;unicast;" (a trailing separator) is harmless
        }
        std::size_t eq = p.text.find('=');
        Piece name = Trim(Piece{p.text.substr(0, eq), p.offset});
        bool hasValue = eq != std::string_view::npos;
        Piece value{std::string_view(), p.offset + p.text.size()};
        if (hasValue)
        {
            value = Trim(Piece{p.text.substr(eq + 1), p.offset + eq + 1});
        }
        if (!IsToken(name.text))
        {
            return Fail(error, "bad Transport parameter name '" + std::string(name.text) + "'");
        }
        std::string lname = AsciiLowerCopy(name.text);
        const std::string shown(p.text);
        if (hasValue && value.text.empty())
        {
            return Fail(error, "Transport parameter '" + lname + "' has an empty value");
        }
        auto needValue = [&]() {
            return hasValue || Fail(error, "Transport parameter '" + lname + "' needs a value");
        };
        auto noValue = [&]() {
            return !hasValue || Fail(error, "Transport parameter '" + lname + "' takes no value");
        };
        if (lname == "unicast" || lname == "multicast")
        {
            if (!noValue())
            {
                return false;
            }
            bool multi = lname == "multicast";
            if ((multi && out.unicastGiven) || (!multi && out.multicast))
            {
                return Fail(error, "Transport has both unicast and multicast");
            }
            (multi ? out.multicast : out.unicastGiven) = true;
        }
        else if (lname == "client_port" || lname == "server_port" || lname == "port")
        {
            RtspPortRange& r = lname == "client_port"   ? out.clientPort
                               : lname == "server_port" ? out.serverPort
                                                        : out.port;
            if (!needValue())
            {
                return false;
            }
            if (r.present)
            {
                return Fail(error, "Transport parameter '" + lname + "' given twice");
            }
            if (!ParseRtspPortRange(std::string(value.text), r.lo, r.hi, r.hasHi))
            {
                return Fail(error, "bad port range in '" + shown + "'");
            }
            r.present = true;
            r.text = RtspTextRef{value.offset, value.text.size()};
        }
        else if (lname == "destination")
        {
            if (!hasValue)
            {
                continue; // "destination" alone: the client's own address
            }
            if (!std::all_of(value.text.begin(), value.text.end(), IsHostChar))
            {
                return Fail(error, "bad destination '" + std::string(value.text) + "'");
            }
            out.hasDestination = true;
            out.destination = std::string(value.text);
            out.destinationText = RtspTextRef{value.offset, value.text.size()};
        }
        else if (lname == "source")
        {
            if (!needValue())
            {
                return false;
            }
            if (!std::all_of(value.text.begin(), value.text.end(), IsHostChar))
            {
                return Fail(error, "bad source '" + std::string(value.text) + "'");
            }
            out.hasSource = true;
            out.source = std::string(value.text);
            out.sourceText = RtspTextRef{value.offset, value.text.size()};
        }
        else if (lname == "interleaved")
        {
            if (!needValue())
            {
                return false;
            }
            std::string_view v = value.text;
            std::size_t dash = v.find('-');
            uint64_t lo = 0;
            uint64_t hi = 0;
            if (!ParseDecimal(v.substr(0, dash), 255, lo) ||
                (dash != std::string_view::npos && !ParseDecimal(v.substr(dash + 1), 255, hi)))
            {
                return Fail(error, "bad interleaved channels '" + std::string(v) + "'");
            }
            if (dash == std::string_view::npos)
            {
                hi = lo;
            }
            if (hi < lo)
            {
                return Fail(error, "interleaved channels out of order '" + std::string(v) + "'");
            }
            out.hasInterleaved = true;
            out.interleavedLo = static_cast<uint8_t>(lo);
            out.interleavedHi = static_cast<uint8_t>(hi);
        }
        else if (lname == "ttl")
        {
            uint64_t ttl = 0;
            if (!needValue())
            {
                return false;
            }
            if (!ParseDecimal(value.text, 255, ttl) || ttl == 0)
            {
                return Fail(error, "bad ttl '" + std::string(value.text) + "'");
            }
            out.ttl = static_cast<int>(ttl);
        }
        else if (lname == "ssrc")
        {
            if (!needValue())
            {
                return false;
            }
            if (value.text.size() > 8 ||
                !std::all_of(value.text.begin(), value.text.end(), [](char c) {
                    return std::isxdigit(static_cast<unsigned char>(c));
                }))
            {
                return Fail(error, "bad ssrc '" + std::string(value.text) + "'");
            }
            out.ssrc = std::string(value.text);
        }
        else if (lname == "mode")
        {
            if (!needValue())
            {
                return false;
            }
            std::string_view m = value.text;
            if (m.size() >= 2 && m.front() == '"' && m.back() == '"')
            {
                m = m.substr(1, m.size() - 2);
            }
            if (m.empty() || m.find('"') != std::string_view::npos)
            {
                return Fail(error, "bad mode '" + std::string(value.text) + "'");
            }
            out.mode = std::string(m);
        }
        else if (lname == "append")
        {
            if (!noValue())
            {
                return false;
            }
            out.append = true;
        }
        else
        {
            out.otherParams.emplace_back(std::string(name.text), std::string(value.text));
        }
    }
    return true;
}

/// Parse the start line into \p out.
bool
ParseStartLine(std::string_view line, RtspMessage& out, std::string* error)
{
    if (line.substr(0, 5) == "RTSP/")
    {
        out.request = false;
        std::size_t sp = line.find(' ');
        out.version = std::string(line.substr(0, sp));
        if (out.version != "RTSP/1.0")
        {
            return Fail(error, "unsupported version '" + out.version + "'");
        }
        if (sp == std::string_view::npos)
        {
            return Fail(error, "status line without a status code");
        }
        std::string_view rest = line.substr(sp + 1);
        std::string_view code = rest.substr(0, 3);
        uint64_t c = 0;
        if (code.size() != 3 || !ParseDecimal(code, 999, c) || c < 100 ||
            (rest.size() > 3 && rest[3] != ' '))
        {
            return Fail(error, "bad status code in '" + std::string(line) + "'");
        }
        out.statusCode = static_cast<uint16_t>(c);
        out.reason = rest.size() > 4 ? std::string(rest.substr(4)) : std::string();
        return true;
    }
    out.request = true;
    std::size_t sp1 = line.find(' ');
    std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
    {
        return Fail(error, "request line is not 'METHOD URI RTSP/1.0'");
    }
    std::string_view method = line.substr(0, sp1);
    std::string_view uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view version = line.substr(sp2 + 1);
    if (!IsToken(method) || method.size() > 32)
    {
        return Fail(error, "bad method '" + std::string(method) + "'");
    }
    if (uri.empty())
    {
        return Fail(error, "empty request URI");
    }
    if (version != "RTSP/1.0")
    {
        return Fail(error, "unsupported version '" + std::string(version) + "'");
    }
    out.method = std::string(method);
    out.uri = std::string(uri);
    out.version = std::string(version);
    return true;
}

/// Parse the Session header value.
bool
ParseSession(std::string_view v, RtspMessage& out, std::string* error)
{
    std::size_t semi = v.find(';');
    std::string_view id = v.substr(0, semi);
    while (!id.empty() && IsWs(id.back()))
    {
        id.remove_suffix(1);
    }
    auto idChar = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '$' || c == '-' || c == '_' ||
               c == '.' || c == '+';
    };
    if (id.empty() || id.size() > 255 || !std::all_of(id.begin(), id.end(), idChar))
    {
        return Fail(error, "bad Session id '" + std::string(id) + "'");
    }
    out.session = std::string(id);
    while (semi != std::string_view::npos)
    {
        std::size_t next = v.find(';', semi + 1);
        Piece param = Trim(
            Piece{v.substr(semi + 1, next == std::string_view::npos ? next : next - semi - 1), 0});
        semi = next;
        std::size_t eq = param.text.find('=');
        if (eq == std::string_view::npos)
        {
            continue;
        }
        if (AsciiIEquals(Trim(Piece{param.text.substr(0, eq), 0}).text, "timeout"))
        {
            uint64_t t = 0;
            if (!ParseDecimal(Trim(Piece{param.text.substr(eq + 1), 0}).text, 0xffffffffULL, t))
            {
                return Fail(error, "bad Session timeout '" + std::string(param.text) + "'");
            }
            out.sessionTimeout = static_cast<uint32_t>(t);
        }
    }
    return true;
}

} // namespace

const RtspHeaderField*
RtspMessage::Find(const std::string& name) const
{
    for (const auto& h : headers)
    {
        if (AsciiIEquals(h.name, name))
        {
            return &h;
        }
    }
    return nullptr;
}

std::string
RtspMessage::Body(const uint8_t* data) const
{
    if (!headersComplete || contentLength == 0)
    {
        return std::string();
    }
    return std::string(reinterpret_cast<const char*>(data) + headerLength, contentLength);
}

bool
ParseRtspPortRange(const std::string& text, uint16_t& lo, uint16_t& hi, bool& hasHi)
{
    std::string_view v(text);
    std::size_t dash = v.find('-');
    uint16_t a = 0;
    uint16_t b = 0;
    if (!ParsePort(v.substr(0, dash), a))
    {
        return false;
    }
    b = a;
    if (dash != std::string_view::npos && !ParsePort(v.substr(dash + 1), b))
    {
        return false;
    }
    if (b < a || b - a > RTSP_MAX_PORT_SPAN)
    {
        return false;
    }
    lo = a;
    hi = b;
    hasHi = dash != std::string_view::npos;
    return true;
}

std::string
FormatRtspPortRange(uint16_t lo, uint16_t hi, bool withHi)
{
    std::string s = std::to_string(lo);
    if (withHi)
    {
        s += "-" + std::to_string(hi);
    }
    return s;
}

bool
ParseRtspTransport(const std::string& value,
                   std::size_t base,
                   std::vector<RtspTransportSpec>& out,
                   std::string* error)
{
    std::vector<Piece> specs;
    if (!SplitOutsideQuotes(Piece{std::string_view(value), base}, ',', specs))
    {
        return Fail(error, "unterminated quote in Transport");
    }
    std::vector<RtspTransportSpec> parsed;
    for (const Piece& raw : specs)
    {
        Piece spec = Trim(raw);
        if (spec.text.empty())
        {
            return Fail(error, "empty Transport specification");
        }
        RtspTransportSpec t;
        if (!ParseSpec(spec, t, error))
        {
            return false;
        }
        parsed.push_back(std::move(t));
    }
    out.insert(out.end(), parsed.begin(), parsed.end());
    return true;
}

RtspParseStatus
ParseRtspMessage(const uint8_t* data, std::size_t len, RtspMessage& out, std::string* error)
{
    out = RtspMessage{};
    if (len == 0)
    {
        return RtspParseStatus::INCOMPLETE;
    }
    if (data[0] == '$')
    {
        // Interleaved binary data: '$', channel, 16-bit length, data.
        out.interleavedFrame = true;
        if (len < 4)
        {
            return RtspParseStatus::INCOMPLETE;
        }
        out.channel = data[1];
        out.headersComplete = true;
        out.headerLength = 4;
        out.contentLength = static_cast<std::size_t>(data[2] << 8 | data[3]);
        out.length = 4 + out.contentLength;
        return len >= out.length ? RtspParseStatus::COMPLETE : RtspParseStatus::INCOMPLETE;
    }
    const char* text = reinterpret_cast<const char*>(data);
    std::size_t pos = 0;
    bool first = true;
    bool haveLength = false;
    while (true)
    {
        std::size_t limit = std::min(len, pos + RTSP_MAX_LINE_LENGTH);
        const void* nlp = std::memchr(text + pos, '\n', limit - pos);
        if (!nlp)
        {
            if (limit - pos >= RTSP_MAX_LINE_LENGTH)
            {
                Fail(error, "line longer than " + std::to_string(RTSP_MAX_LINE_LENGTH) + " bytes");
                return RtspParseStatus::INVALID;
            }
            // Check what there is of the line so far: garbage need not wait for more bytes.
            for (std::size_t i = pos; i < len; ++i)
            {
                auto c = static_cast<unsigned char>(text[i]);
                if ((c < 32 && c != '\t' && !(c == '\r' && i + 1 == len)) || c == 127)
                {
                    Fail(error, "control character in a header line");
                    return RtspParseStatus::INVALID;
                }
            }
            return RtspParseStatus::INCOMPLETE;
        }
        std::size_t nl = static_cast<const char*>(nlp) - text;
        std::size_t end = nl;
        if (end > pos && text[end - 1] == '\r')
        {
            --end;
        }
        std::string_view line(text + pos, end - pos);
        for (char ch : line)
        {
            auto c = static_cast<unsigned char>(ch);
            if ((c < 32 && c != '\t') || c == 127)
            {
                Fail(error, "control character in a header line");
                return RtspParseStatus::INVALID;
            }
        }
        if (first)
        {
            if (!ParseStartLine(line, out, error))
            {
                return RtspParseStatus::INVALID;
            }
            first = false;
        }
        else if (line.empty())
        {
            out.headerLength = nl + 1;
            break;
        }
        else if (IsWs(line[0]))
        {
            Fail(error, "folded header line");
            return RtspParseStatus::INVALID;
        }
        else
        {
            std::size_t colon = line.find(':');
            if (colon == std::string_view::npos || !IsToken(line.substr(0, colon)))
            {
                Fail(error, "bad header line '" + std::string(line.substr(0, 64)) + "'");
                return RtspParseStatus::INVALID;
            }
            if (out.headers.size() >= RTSP_MAX_HEADERS)
            {
                Fail(error, "more than " + std::to_string(RTSP_MAX_HEADERS) + " headers");
                return RtspParseStatus::INVALID;
            }
            Piece value = Trim(Piece{line.substr(colon + 1), pos + colon + 1});
            RtspHeaderField h;
            h.name = std::string(line.substr(0, colon));
            h.value = std::string(value.text);
            h.text = RtspTextRef{value.offset, value.text.size()};
            out.headers.push_back(std::move(h));
        }
        pos = nl + 1;
    }
    out.headersComplete = true;
    for (const RtspHeaderField& h : out.headers)
    {
        if (AsciiIEquals(h.name, "CSeq"))
        {
            uint64_t v = 0;
            if (!ParseDecimal(h.value, 0xffffffffULL, v))
            {
                Fail(error, "bad CSeq '" + h.value + "'");
                return RtspParseStatus::INVALID;
            }
            if (out.hasCSeq && out.cseq != v)
            {
                Fail(error, "conflicting CSeq headers");
                return RtspParseStatus::INVALID;
            }
            out.hasCSeq = true;
            out.cseq = static_cast<uint32_t>(v);
        }
        else if (AsciiIEquals(h.name, "Content-Length"))
        {
            uint64_t v = 0;
            if (!ParseDecimal(h.value, RTSP_MAX_BODY, v))
            {
                Fail(error, "bad Content-Length '" + h.value + "'");
                return RtspParseStatus::INVALID;
            }
            if (haveLength && out.contentLength != v)
            {
                Fail(error, "conflicting Content-Length headers");
                return RtspParseStatus::INVALID;
            }
            haveLength = true;
            out.contentLength = static_cast<std::size_t>(v);
        }
        else if (AsciiIEquals(h.name, "Session"))
        {
            if (!ParseSession(h.value, out, error))
            {
                return RtspParseStatus::INVALID;
            }
        }
        else if (AsciiIEquals(h.name, "Transport"))
        {
            out.hasTransport = true;
            if (!ParseRtspTransport(h.value, h.text.offset, out.transports, error))
            {
                return RtspParseStatus::INVALID;
            }
        }
    }
    out.length = out.headerLength + out.contentLength;
    return len >= out.length ? RtspParseStatus::COMPLETE : RtspParseStatus::INCOMPLETE;
}

namespace
{

/// Headers, Content-Length, empty line and body.
std::string
Finish(std::string msg,
       uint32_t cseq,
       const std::vector<std::pair<std::string, std::string>>& headers,
       const std::string& body)
{
    msg += "CSeq: " + std::to_string(cseq) + "\r\n";
    for (const auto& [name, value] : headers)
    {
        msg += name + ": " + value + "\r\n";
    }
    if (!body.empty())
    {
        msg += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    msg += "\r\n";
    msg += body;
    return msg;
}

} // namespace

std::string
BuildRtspRequest(const std::string& method,
                 const std::string& uri,
                 uint32_t cseq,
                 const std::vector<std::pair<std::string, std::string>>& headers,
                 const std::string& body)
{
    return Finish(method + " " + uri + " RTSP/1.0\r\n", cseq, headers, body);
}

std::string
BuildRtspReply(uint16_t code,
               uint32_t cseq,
               const std::vector<std::pair<std::string, std::string>>& headers,
               const std::string& body)
{
    return Finish("RTSP/1.0 " + std::to_string(code) + " " +
                      ReasonPhrase(StatusProtocol::RTSP, code) + "\r\n",
                  cseq,
                  headers,
                  body);
}

} // namespace ns3
