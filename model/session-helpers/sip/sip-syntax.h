/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_SYNTAX_H
#define FORTIGATE_SIP_SYNTAX_H

// Internal to the SIP parser (sip-message.cc): the RFC 3261 grammar below the message level
// (character classes, URIs, header parameters, name-addr, Via). Inline so the parser keeps
// them inlined. Not installed.

#include "sip-message.h"

#include "ns3/flow-tuple.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace ns3
{
namespace sipsyntax
{

// ---------------------------------------------------------------- character classes

inline bool
IsDigit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

inline bool
IsAlpha(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool
IsAlnum(uint8_t c)
{
    return IsDigit(c) || IsAlpha(c);
}

inline bool
IsHex(uint8_t c)
{
    return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

inline bool
In(uint8_t c, const char* set)
{
    return c != 0 && std::strchr(set, c) != nullptr;
}

/// Character-class bits of kClass.
enum CharClass : uint8_t
{
    CC_TOKEN = 1,      //!< token
    CC_WORD = 2,       //!< word (Call-ID)
    CC_UNRESERVED = 4, //!< unreserved (alphanum / mark)
    CC_PARAM = 8,      //!< URI paramchar (without escapes)
    CC_HEADER = 16,    //!< URI hnv-unreserved / unreserved
    CC_USER = 32,      //!< URI user (without escapes)
    CC_PASSWORD = 64,  //!< URI password (without escapes)
};

/// 256-entry character-class table (RFC 3261 §25.1).
struct CharTable
{
    uint8_t bits[256];

    constexpr CharTable()
        : bits{}
    {
        for (int c = 0; c < 256; ++c)
        {
            bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (alnum)
            {
                bits[c] = CC_TOKEN | CC_WORD | CC_UNRESERVED | CC_PARAM | CC_HEADER | CC_USER |
                          CC_PASSWORD;
            }
        }
        Add("-.!%*_+`'~", CC_TOKEN);
        Add("-.!%*_+`'~()<>:\\\"/[]?{}", CC_WORD);
        Add("-_.!~*'()", CC_UNRESERVED | CC_PARAM | CC_HEADER | CC_USER | CC_PASSWORD);
        Add("[]/:&+$", CC_PARAM);
        Add("[]/?:+$", CC_HEADER);
        Add("&=+$,;?/", CC_USER);
        Add("&=+$,", CC_PASSWORD);
    }

    constexpr void Add(const char* set, uint8_t bit)
    {
        for (const char* p = set; *p != 0; ++p)
        {
            bits[static_cast<uint8_t>(*p)] |= bit;
        }
    }
};

inline constexpr CharTable kClass;

/// RFC 3261 token character.
inline bool
IsToken(uint8_t c)
{
    return kClass.bits[c] & CC_TOKEN;
}

/// RFC 3261 word character (Call-ID).
inline bool
IsWord(uint8_t c)
{
    return kClass.bits[c] & CC_WORD;
}

inline bool
IsWsp(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/// Whitespace inside a header value: SP, HT and the CR LF of folded lines.
inline bool
IsLws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/// A view of [b, e) of \p d (what the text fields of a parsed message hold).
inline std::string_view
View(const uint8_t* d, std::size_t b, std::size_t e)
{
    return e > b ? std::string_view(reinterpret_cast<const char*>(d) + b, e - b)
                 : std::string_view();
}

/// Printable rendering of a byte for error messages.
inline std::string
Show(uint8_t c)
{
    if (c >= 0x21 && c < 0x7f)
    {
        return std::string("'") + static_cast<char>(c) + "'";
    }
    static const char* hex = "0123456789abcdef";
    return std::string("0x") + hex[c >> 4] + hex[c & 15];
}

/// Shortened text for error messages.
inline std::string
Quote(const uint8_t* d, std::size_t b, std::size_t e)
{
    std::string s;
    for (std::size_t p = b; p < e && s.size() < 60; ++p)
    {
        s += (d[p] >= 0x20 && d[p] < 0x7f) ? static_cast<char>(d[p]) : '?';
    }
    if (e > b && e - b > 60)
    {
        s += "...";
    }
    return "\"" + s + "\"";
}

inline SipSpan
Span(std::size_t b, std::size_t e)
{
    return SipSpan{b, e - b};
}

inline std::size_t
SkipLws(const uint8_t* d, std::size_t p, std::size_t e)
{
    while (p < e && IsLws(d[p]))
    {
        ++p;
    }
    return p;
}

/// Trim whitespace on both ends of [b, e).
inline void
Trim(const uint8_t* d, std::size_t& b, std::size_t& e)
{
    while (b < e && IsLws(d[b]))
    {
        ++b;
    }
    while (e > b && IsLws(d[e - 1]))
    {
        --e;
    }
}

/// Digits [b, e) (1 to 20 of them) into v, failing above max.
inline bool
Number(const uint8_t* d, std::size_t b, std::size_t e, uint64_t max, uint64_t& v)
{
    if (b >= e)
    {
        return false;
    }
    v = 0;
    for (std::size_t p = b; p < e; ++p)
    {
        if (!IsDigit(d[p]))
        {
            return false;
        }
        if (v > (max - (d[p] - '0')) / 10)
        {
            return false;
        }
        v = v * 10 + (d[p] - '0');
    }
    return true;
}

inline bool
AllDigits(const uint8_t* d, std::size_t b, std::size_t e)
{
    if (b >= e)
    {
        return false;
    }
    for (std::size_t p = b; p < e; ++p)
    {
        if (!IsDigit(d[p]))
        {
            return false;
        }
    }
    return true;
}

/// Scan a quoted string starting at d[p] == '"'. \return the offset after the closing quote,
/// or 0 (never a valid end) when unterminated. \p text receives the unescaped content.
inline std::size_t
QuotedString(const uint8_t* d, std::size_t p, std::size_t e, std::string* text)
{
    ++p;
    while (p < e)
    {
        uint8_t c = d[p];
        if (c == '"')
        {
            return p + 1;
        }
        if (c == '\\')
        {
            if (p + 1 >= e || d[p + 1] == '\r' || d[p + 1] == '\n')
            {
                return 0;
            }
            if (text)
            {
                text->push_back(static_cast<char>(d[p + 1]));
            }
            p += 2;
            continue;
        }
        if (text)
        {
            text->push_back(static_cast<char>(IsLws(c) ? ' ' : c));
        }
        ++p;
    }
    return 0;
}

/// Scan a quoted string starting at d[p] == '"' into \p text: a view of the bytes between the
/// quotes, or (only when it has a quoted-pair or a whitespace other than SP) its unescaped copy
/// kept in \p st. \return as QuotedString.
inline std::size_t
QuotedView(const uint8_t* d,
           std::size_t p,
           std::size_t e,
           SipMessageStorage& st,
           std::string_view& text)
{
    std::size_t q = QuotedString(d, p, e, nullptr);
    if (q == 0)
    {
        return 0;
    }
    bool plain = true;
    for (std::size_t i = p + 1; plain && i + 1 < q; ++i)
    {
        plain = d[i] != '\\' && (d[i] == ' ' || !IsLws(d[i]));
    }
    if (plain)
    {
        text = View(d, p + 1, q - 1);
        return q;
    }
    std::string copy;
    QuotedString(d, p, e, &copy);
    text = st.Keep(std::move(copy));
    return q;
}

/// Find the first byte in [p, e) equal to \p stop outside quoted strings and (optionally)
/// angle brackets. \return e when none.
inline std::size_t
FindOutside(const uint8_t* d, std::size_t p, std::size_t e, uint8_t stop, bool angles)
{
    bool inAngle = false;
    while (p < e)
    {
        uint8_t c = d[p];
        if (c == '"' && !inAngle)
        {
            std::size_t q = QuotedString(d, p, e, nullptr);
            if (q == 0)
            {
                return e;
            }
            p = q;
            continue;
        }
        if (angles && c == '<')
        {
            inAngle = true;
        }
        else if (angles && c == '>')
        {
            inAngle = false;
        }
        else if (c == stop && !inAngle)
        {
            return p;
        }
        ++p;
    }
    return e;
}

/// A [b, e) range.
struct Range
{
    std::size_t b;
    std::size_t e;
};

/// Call \p f(Range) for each element of [b, e) split at commas outside quoted strings and <...>,
/// each element trimmed, until \p f returns false.
template <typename F>
void
ForEachComma(const uint8_t* d, std::size_t b, std::size_t e, F f)
{
    std::size_t p = b;
    while (true)
    {
        std::size_t q = FindOutside(d, p, e, ',', true);
        std::size_t s = p;
        std::size_t t = q;
        Trim(d, s, t);
        if (!f(Range{s, t}) || q >= e)
        {
            return;
        }
        p = q + 1;
    }
}

// ---------------------------------------------------------------- URIs

inline bool
ParamChar(uint8_t c)
{
    return kClass.bits[c] & CC_PARAM;
}

inline bool
HeaderChar(uint8_t c)
{
    return kClass.bits[c] & CC_HEADER;
}

inline bool
UserChar(uint8_t c)
{
    return kClass.bits[c] & CC_USER;
}

inline bool
PasswordChar(uint8_t c)
{
    return kClass.bits[c] & CC_PASSWORD;
}

/// Check [b, e) made of chars accepted by \p ok or %HH escapes.
inline bool
Escaped(const uint8_t* d, std::size_t b, std::size_t e, bool (*ok)(uint8_t), std::size_t& bad)
{
    for (std::size_t p = b; p < e; ++p)
    {
        if (d[p] == '%')
        {
            if (p + 2 >= e || !IsHex(d[p + 1]) || !IsHex(d[p + 2]))
            {
                bad = p;
                return false;
            }
            p += 2;
            continue;
        }
        if (!ok(d[p]))
        {
            bad = p;
            return false;
        }
    }
    return true;
}

/// Parse host [":" port] at [p, e); stops at the first byte that cannot belong to it.
/// Fills the host fields of \p u (SipUri or SipVia share the names). \return the end offset.
template <typename T>
bool
HostPort(const uint8_t* d,
         std::size_t& p,
         std::size_t e,
         T& u,
         bool lwsAroundColon,
         std::string& err)
{
    std::size_t hb = p;
    if (p < e && d[p] == '[')
    {
        std::size_t q = p + 1;
        bool colon = false;
        while (q < e && (IsHex(d[q]) || d[q] == ':' || d[q] == '.'))
        {
            colon = colon || d[q] == ':';
            ++q;
        }
        if (q >= e || d[q] != ']' || !colon)
        {
            err = "bad IPv6 reference " + Quote(d, hb, std::min(e, q + 1));
            return false;
        }
        u.host = View(d, hb + 1, q);
        p = q + 1;
        u.hostSpan = Span(hb, p);
        u.hostIsIpv6 = true;
    }
    else
    {
        std::size_t q = p;
        while (q < e && (IsAlnum(d[q]) || d[q] == '-' || d[q] == '.' || d[q] == '_'))
        {
            ++q;
        }
        if (q == p)
        {
            err = p < e ? "expected a host, found " + Show(d[p]) : "missing host";
            return false;
        }
        bool numeric = true;
        for (std::size_t i = p; i < q; ++i)
        {
            numeric = numeric && (IsDigit(d[i]) || d[i] == '.');
        }
        u.host = View(d, p, q);
        if (numeric)
        {
            uint32_t a = 0;
            if (!ParseIpv4(u.host, a))
            {
                err = "bad IPv4 address \"" + std::string(u.host) + "\"";
                return false;
            }
            u.hostIsIpv4 = true;
            u.ipv4 = a;
        }
        else if (d[p] == '-' || d[p] == '.' || d[q - 1] == '-')
        {
            err = "bad host name \"" + std::string(u.host) + "\"";
            return false;
        }
        u.hostSpan = Span(p, q);
        p = q;
    }
    std::size_t after = p;
    std::size_t c = lwsAroundColon ? SkipLws(d, p, e) : p;
    if (c < e && d[c] == ':')
    {
        std::size_t pb = lwsAroundColon ? SkipLws(d, c + 1, e) : c + 1;
        std::size_t pe = pb;
        while (pe < e && IsDigit(d[pe]))
        {
            ++pe;
        }
        uint64_t port = 0;
        if (!Number(d, pb, pe, 65535, port))
        {
            err = "bad port after host \"" + std::string(u.host) + "\"";
            return false;
        }
        u.hasPort = true;
        u.port = static_cast<uint16_t>(port);
        u.portSpan = Span(pb, pe);
        p = pe;
    }
    else
    {
        u.portSpan = Span(after, after);
    }
    return true;
}

/// Parse `;name[=value]` URI parameters at [p, e) (no whitespace), stopping at '?' or e.
inline bool
UriParams(const uint8_t* d, std::size_t& p, std::size_t e, SipParamList& out, std::string& err)
{
    while (p < e && d[p] == ';')
    {
        ++p;
        SipParam prm;
        std::size_t nb = p;
        while (p < e && d[p] != '=' && d[p] != ';' && d[p] != '?')
        {
            ++p;
        }
        std::size_t bad = 0;
        if (p == nb || !Escaped(d, nb, p, ParamChar, bad))
        {
            err = p == nb
                      ? "empty URI parameter"
                      : "bad character " + Show(d[bad]) + " in URI parameter " + Quote(d, nb, p);
            return false;
        }
        prm.name = View(d, nb, p);
        prm.nameSpan = Span(nb, p);
        prm.valueSpan = Span(p, p);
        if (p < e && d[p] == '=')
        {
            std::size_t vb = ++p;
            while (p < e && d[p] != ';' && d[p] != '?')
            {
                ++p;
            }
            if (p == vb || !Escaped(d, vb, p, ParamChar, bad))
            {
                err = p == vb ? "empty value of URI parameter " + Quote(d, nb, vb - 1)
                              : "bad character " + Show(d[bad]) + " in URI parameter " +
                                    Quote(d, nb, vb - 1);
                return false;
            }
            prm.hasValue = true;
            prm.value = View(d, vb, p);
            prm.valueSpan = Span(vb, p);
        }
        out.push_back(prm);
    }
    return true;
}

inline void
ShiftSpan(SipSpan& s, std::size_t by)
{
    s.offset += by;
}

inline void
ShiftUri(SipUri& u, std::size_t by)
{
    ShiftSpan(u.userSpan, by);
    ShiftSpan(u.hostSpan, by);
    ShiftSpan(u.portSpan, by);
    ShiftSpan(u.hostPortSpan, by);
    ShiftSpan(u.span, by);
    for (auto& p : u.params)
    {
        ShiftSpan(p.nameSpan, by);
        ShiftSpan(p.valueSpan, by);
    }
}

/// Parse a URI at [b, e) (absolute offsets in d).
inline bool
UriAt(const uint8_t* d,
      std::size_t b,
      std::size_t e,
      SipUri& u,
      std::string& err,
      bool allowHeaders)
{
    u = SipUri();
    u.span = Span(b, e);
    std::size_t p = b;
    if (p >= e)
    {
        err = "empty URI";
        return false;
    }
    if (!IsAlpha(d[p]))
    {
        err = "URI does not start with a scheme: " + Quote(d, b, e);
        return false;
    }
    while (p < e && (IsAlnum(d[p]) || In(d[p], "+-.")))
    {
        ++p;
    }
    if (p >= e || d[p] != ':')
    {
        err = "URI without scheme: " + Quote(d, b, e);
        return false;
    }
    u.scheme = View(d, b, p);
    ++p;
    for (std::size_t q = p; q < e; ++q)
    {
        if (d[q] <= 0x20 || d[q] >= 0x7f || d[q] == '<' || d[q] == '>' || d[q] == '"')
        {
            err = "bad character " + Show(d[q]) + " in URI " + Quote(d, b, e);
            return false;
        }
    }
    if (AsciiIEquals(u.scheme, "sip") || AsciiIEquals(u.scheme, "sips"))
    {
        u.kind = AsciiIEquals(u.scheme, "sip") ? SipUri::SIP : SipUri::SIPS;
        std::size_t at = p;
        while (at < e && d[at] != '@')
        {
            ++at;
        }
        std::size_t bad = 0;
        if (at < e)
        {
            std::size_t colon = p;
            while (colon < at && d[colon] != ':')
            {
                ++colon;
            }
            if (colon == p || !Escaped(d, p, colon, UserChar, bad))
            {
                err = colon == p ? "empty user part in URI " + Quote(d, b, e)
                                 : "bad character " + Show(d[bad]) + " in user part of URI " +
                                       Quote(d, b, e);
                return false;
            }
            if (colon < at && !Escaped(d, colon + 1, at, PasswordChar, bad))
            {
                err = "bad character " + Show(d[bad]) + " in password of URI " + Quote(d, b, e);
                return false;
            }
            u.hasUser = true;
            u.user = View(d, p, colon);
            u.userSpan = Span(p, colon);
            if (colon < at)
            {
                u.password = View(d, colon + 1, at);
            }
            p = at + 1;
        }
        else
        {
            u.userSpan = Span(p, p);
        }
        std::size_t hb = p;
        if (!HostPort(d, p, e, u, false, err))
        {
            err += " in URI " + Quote(d, b, e);
            return false;
        }
        u.hostPortSpan = Span(hb, p);
        if (!UriParams(d, p, e, u.params, err))
        {
            err += " in URI " + Quote(d, b, e);
            return false;
        }
        if (p < e && d[p] == '?')
        {
            if (!allowHeaders)
            {
                err = "URI with headers (\"?\") must be enclosed in <>: " + Quote(d, b, e);
                return false;
            }
            std::size_t hb2 = p + 1;
            // hname "=" hvalue *( "&" hname "=" hvalue )
            std::size_t q = hb2;
            while (true)
            {
                std::size_t nb = q;
                while (q < e && d[q] != '=' && d[q] != '&')
                {
                    ++q;
                }
                if (q == nb || q >= e || d[q] != '=' || !Escaped(d, nb, q, HeaderChar, bad))
                {
                    err = "bad header in URI " + Quote(d, b, e);
                    return false;
                }
                std::size_t vb = ++q;
                while (q < e && d[q] != '&')
                {
                    ++q;
                }
                if (!Escaped(d, vb, q, HeaderChar, bad))
                {
                    err = "bad character " + Show(d[bad]) + " in URI header of " + Quote(d, b, e);
                    return false;
                }
                if (q >= e)
                {
                    break;
                }
                ++q;
            }
            u.headers = View(d, hb2, e);
            p = e;
        }
        if (p < e)
        {
            err = "unexpected character " + Show(d[p]) + " in URI " + Quote(d, b, e);
            return false;
        }
        return true;
    }
    if (AsciiIEquals(u.scheme, "tel"))
    {
        u.kind = SipUri::TEL;
        std::size_t nb = p;
        while (p < e && d[p] != ';')
        {
            if (!(IsHex(d[p]) || In(d[p], "+-.()*#pwPW")))
            {
                err = "bad character " + Show(d[p]) + " in telephone number " + Quote(d, b, e);
                return false;
            }
            ++p;
        }
        if (p == nb)
        {
            err = "empty telephone number in " + Quote(d, b, e);
            return false;
        }
        u.hasUser = true;
        u.user = View(d, nb, p);
        u.userSpan = Span(nb, p);
        u.hostSpan = Span(p, p);
        u.portSpan = Span(p, p);
        u.hostPortSpan = Span(p, p);
        if (!UriParams(d, p, e, u.params, err) || p < e)
        {
            if (err.empty())
            {
                err = "unexpected character in " + Quote(d, b, e);
            }
            return false;
        }
        return true;
    }
    u.kind = SipUri::OTHER;
    if (p >= e)
    {
        err = "empty URI after scheme \"" + std::string(u.scheme) + "\"";
        return false;
    }
    u.hostSpan = Span(e, e);
    u.portSpan = Span(e, e);
    u.hostPortSpan = Span(e, e);
    u.userSpan = Span(e, e);
    return true;
}

// ---------------------------------------------------------------- header parameters

/// Parse *( SEMI generic-param ) at [p, e); SEMI and EQUAL may carry LWS.
inline bool
HeaderParams(const uint8_t* d,
             std::size_t p,
             std::size_t e,
             SipParamList& out,
             SipMessageStorage& st,
             std::string& err)
{
    while (true)
    {
        p = SkipLws(d, p, e);
        if (p >= e)
        {
            return true;
        }
        if (d[p] != ';')
        {
            err = "expected ';' before parameter, found " + Show(d[p]);
            return false;
        }
        p = SkipLws(d, p + 1, e);
        std::size_t nb = p;
        while (p < e && IsToken(d[p]))
        {
            ++p;
        }
        if (p == nb)
        {
            err = p < e ? "bad parameter name starting with " + Show(d[p]) : "empty parameter";
            return false;
        }
        SipParam prm;
        prm.name = View(d, nb, p);
        prm.nameSpan = Span(nb, p);
        prm.valueSpan = Span(p, p);
        std::size_t q = SkipLws(d, p, e);
        if (q < e && d[q] == '=')
        {
            q = SkipLws(d, q + 1, e);
            std::size_t vb = q;
            if (q < e && d[q] == '"')
            {
                std::size_t qe = QuotedView(d, q, e, st, prm.value);
                if (qe == 0)
                {
                    err =
                        "unterminated quoted value of parameter \"" + std::string(prm.name) + "\"";
                    return false;
                }
                prm.quoted = true;
                q = qe;
            }
            else
            {
                while (q < e && (IsToken(d[q]) || In(d[q], "[]:")))
                {
                    ++q;
                }
                if (q == vb)
                {
                    err = "empty value of parameter \"" + std::string(prm.name) + "\"";
                    return false;
                }
                prm.value = View(d, vb, q);
            }
            prm.hasValue = true;
            prm.valueSpan = Span(vb, q);
            p = q;
        }
        out.push_back(prm);
    }
}

/// Display name: quoted-string or *(token LWS). [b, e) is trimmed.
inline bool
DisplayName(const uint8_t* d,
            std::size_t b,
            std::size_t e,
            std::string_view& out,
            SipMessageStorage& st,
            std::string& err)
{
    if (b >= e)
    {
        return true;
    }
    if (d[b] == '"')
    {
        std::size_t q = QuotedView(d, b, e, st, out);
        if (q == 0)
        {
            err = "unterminated quoted display name";
            return false;
        }
        if (SkipLws(d, q, e) != e)
        {
            err = "text after the quoted display name";
            return false;
        }
        return true;
    }
    // A view when the whitespace between the tokens is single spaces already (the usual case).
    bool plain = true;
    for (std::size_t p = b; p < e; ++p)
    {
        if (!IsLws(d[p]) && !IsToken(d[p]))
        {
            err = "bad character " + Show(d[p]) + " in unquoted display name " + Quote(d, b, e);
            return false;
        }
        plain = plain && (!IsLws(d[p]) || (d[p] == ' ' && p + 1 < e && !IsLws(d[p + 1])));
    }
    if (plain)
    {
        out = View(d, b, e);
        return true;
    }
    std::string name;
    for (std::size_t p = b; p < e; ++p)
    {
        if (IsLws(d[p]))
        {
            if (name.empty() || name.back() != ' ')
            {
                name.push_back(' ');
            }
            continue;
        }
        name.push_back(static_cast<char>(d[p]));
    }
    out = st.Keep(std::move(name));
    return true;
}

/// Parse a name-addr / addr-spec with header parameters at [b, e) (trimmed).
inline bool
NameAddr(const uint8_t* d,
         std::size_t b,
         std::size_t e,
         SipNameAddr& na,
         SipMessageStorage& st,
         std::string& err,
         bool requireAngle)
{
    na.span = Span(b, e);
    if (b >= e)
    {
        err = "empty value";
        return false;
    }
    std::size_t lt = FindOutside(d, b, e, '<', false);
    // a '<' after the first ';' outside quotes belongs to a parameter (not valid anyway)
    std::size_t semi = FindOutside(d, b, e, ';', false);
    std::size_t p;
    if (lt < e && lt < semi)
    {
        std::size_t db = b;
        std::size_t de = lt;
        Trim(d, db, de);
        if (!DisplayName(d, db, de, na.displayName, st, err))
        {
            return false;
        }
        std::size_t gt = lt + 1;
        while (gt < e && d[gt] != '>')
        {
            ++gt;
        }
        if (gt >= e)
        {
            err = "missing '>'";
            return false;
        }
        if (gt > lt + 1 && (IsLws(d[lt + 1]) || IsLws(d[gt - 1])))
        {
            err = "whitespace inside <> around the URI";
            return false;
        }
        na.angle = true;
        if (!UriAt(d, lt + 1, gt, na.uri, err, true))
        {
            return false;
        }
        p = gt + 1;
    }
    else
    {
        if (requireAngle)
        {
            err = "URI must be enclosed in <>";
            return false;
        }
        if (d[b] == '"')
        {
            err = "display name without <URI>";
            return false;
        }
        std::size_t q = b;
        while (q < e && d[q] != ';' && !IsLws(d[q]) && d[q] != ',')
        {
            ++q;
        }
        if (!UriAt(d, b, q, na.uri, err, false))
        {
            return false;
        }
        p = q;
    }
    if (!HeaderParams(d, p, e, na.params, st, err))
    {
        return false;
    }
    for (const auto& prm : na.params)
    {
        if (AsciiIEquals(prm.name, "tag") && !na.hasTag)
        {
            if (!prm.hasValue || prm.quoted)
            {
                err = "tag parameter without token value";
                return false;
            }
            na.hasTag = true;
            na.tag = prm.value;
        }
        else if (AsciiIEquals(prm.name, "expires"))
        {
            uint64_t v = 0;
            if (!prm.hasValue ||
                !Number(d, prm.valueSpan.offset, prm.valueSpan.End(), 0xffffffffULL, v))
            {
                err = "expires parameter is not a number of seconds below 2**32: \"" +
                      std::string(prm.value) + "\"";
                return false;
            }
            na.hasExpires = true;
            na.expires = static_cast<uint32_t>(v);
        }
        else if (AsciiIEquals(prm.name, "q"))
        {
            std::string_view v = prm.value;
            bool ok = !v.empty() && (v[0] == '0' || v[0] == '1');
            if (ok && v.size() > 1)
            {
                ok = v[1] == '.' && v.size() <= 5;
                for (std::size_t i = 2; ok && i < v.size(); ++i)
                {
                    ok = IsDigit(static_cast<uint8_t>(v[i])) && (v[0] == '0' || v[i] == '0');
                }
            }
            if (!ok)
            {
                err = "bad q value \"" + std::string(v) + "\"";
                return false;
            }
        }
    }
    return true;
}

/// Parse one via-parm at [b, e) (trimmed).
inline bool
ViaParm(const uint8_t* d,
        std::size_t b,
        std::size_t e,
        SipVia& v,
        SipMessageStorage& st,
        std::string& err)
{
    v.span = Span(b, e);
    if (b >= e)
    {
        err = "empty Via value";
        return false;
    }
    std::size_t p = b;
    std::string_view parts[3];
    std::size_t protocolBegin = SkipLws(d, p, e);
    for (int i = 0; i < 3; ++i)
    {
        p = SkipLws(d, p, e);
        std::size_t tb = p;
        while (p < e && IsToken(d[p]))
        {
            ++p;
        }
        if (p == tb)
        {
            err = "bad sent-protocol " + Quote(d, b, e);
            return false;
        }
        parts[i] = View(d, tb, p);
        if (i < 2)
        {
            p = SkipLws(d, p, e);
            if (p >= e || d[p] != '/')
            {
                err = "bad sent-protocol " + Quote(d, b, e);
                return false;
            }
            ++p;
        }
    }
    // As written when it has no whitespace inside (the usual case), else joined without it.
    const std::size_t written = p - protocolBegin;
    v.protocol = written == parts[0].size() + parts[1].size() + parts[2].size() + 2
                     ? View(d, protocolBegin, p)
                     : st.Keep(std::string(parts[0]) + "/" + std::string(parts[1]) + "/" +
                               std::string(parts[2]));
    v.transport = parts[2];
    if (p >= e || !IsLws(d[p]))
    {
        err = "missing whitespace before sent-by";
        return false;
    }
    p = SkipLws(d, p, e);
    std::size_t hb = p;
    if (!HostPort(d, p, e, v, true, err))
    {
        err = "sent-by: " + err;
        return false;
    }
    v.sentBySpan = Span(hb, p);
    if (!AsciiIEquals(parts[0], "SIP") || parts[1] != "2.0")
    {
        err =
            "unsupported protocol \"" + std::string(parts[0]) + "/" + std::string(parts[1]) + "\"";
        return false;
    }
    if (!HeaderParams(d, p, e, v.params, st, err))
    {
        return false;
    }
    for (const auto& prm : v.params)
    {
        if (AsciiIEquals(prm.name, "branch") && !v.hasBranch)
        {
            if (!prm.hasValue || prm.quoted)
            {
                err = "branch parameter without token value";
                return false;
            }
            v.hasBranch = true;
            v.branch = prm.value;
        }
        else if (AsciiIEquals(prm.name, "received") && !v.hasReceived)
        {
            uint32_t a = 0;
            bool ip6 = prm.value.find(':') != std::string_view::npos;
            if (!prm.hasValue || prm.quoted || (!ip6 && !ParseIpv4(prm.value, a)))
            {
                err = "received parameter is not an IP address: \"" + std::string(prm.value) + "\"";
                return false;
            }
            v.hasReceived = true;
            v.received = prm.value;
            v.receivedSpan = prm.valueSpan;
        }
        else if (AsciiIEquals(prm.name, "rport") && !v.hasRport)
        {
            v.hasRport = true;
            v.rportSpan = prm.valueSpan;
            if (prm.hasValue)
            {
                uint64_t port = 0;
                if (prm.quoted ||
                    !Number(d, prm.valueSpan.offset, prm.valueSpan.End(), 65535, port))
                {
                    err = "rport parameter is not a port: \"" + std::string(prm.value) + "\"";
                    return false;
                }
                v.rportHasValue = true;
                v.rport = static_cast<uint16_t>(port);
            }
        }
        else if (AsciiIEquals(prm.name, "maddr") && !v.hasMaddr)
        {
            if (!prm.hasValue || prm.quoted)
            {
                err = "maddr parameter without host";
                return false;
            }
            v.hasMaddr = true;
            v.maddr = prm.value;
            v.maddrSpan = prm.valueSpan;
        }
        else if (AsciiIEquals(prm.name, "ttl"))
        {
            uint64_t t = 0;
            if (!prm.hasValue || !Number(d, prm.valueSpan.offset, prm.valueSpan.End(), 255, t))
            {
                err = "ttl parameter is not 0..255";
                return false;
            }
        }
    }
    return true;
}

} // namespace sipsyntax
} // namespace ns3

#endif // FORTIGATE_SIP_SYNTAX_H
