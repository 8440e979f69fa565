/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sip-message.h"

#include "sip-syntax.h"

#include "ns3/flow-tuple.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <cstring>
#include <string_view>
#include <unordered_map>

// The SIP message parser (RFC 3261 and the FortiOS checks) and the name tables of
// sip-message.h; the grammar below the message level is in sip-syntax.h, the rewriter in
// sip-rewriter.cc, what a parsed message answers (SipMessage's accessors) in
// sip-message-access.cc.

namespace ns3
{

using namespace sipsyntax;

namespace
{

// ---------------------------------------------------------------- header name table

struct HeaderName
{
    SipHeaderId id;
    const char* name;
    char compact;
};

const HeaderName kHeaders[] = {
    {SipHeaderId::UNKNOWN, "", 0},
    {SipHeaderId::ACCEPT, "Accept", 0},
    {SipHeaderId::ACCEPT_CONTACT, "Accept-Contact", 'a'},
    {SipHeaderId::ACCEPT_ENCODING, "Accept-Encoding", 0},
    {SipHeaderId::ACCEPT_LANGUAGE, "Accept-Language", 0},
    {SipHeaderId::ALERT_INFO, "Alert-Info", 0},
    {SipHeaderId::ALLOW, "Allow", 0},
    {SipHeaderId::ALLOW_EVENTS, "Allow-Events", 'u'},
    {SipHeaderId::AUTHENTICATION_INFO, "Authentication-Info", 0},
    {SipHeaderId::AUTHORIZATION, "Authorization", 0},
    {SipHeaderId::CALL_ID, "Call-ID", 'i'},
    {SipHeaderId::CALL_INFO, "Call-Info", 0},
    {SipHeaderId::CONTACT, "Contact", 'm'},
    {SipHeaderId::CONTENT_DISPOSITION, "Content-Disposition", 0},
    {SipHeaderId::CONTENT_ENCODING, "Content-Encoding", 'e'},
    {SipHeaderId::CONTENT_LANGUAGE, "Content-Language", 0},
    {SipHeaderId::CONTENT_LENGTH, "Content-Length", 'l'},
    {SipHeaderId::CONTENT_TYPE, "Content-Type", 'c'},
    {SipHeaderId::CSEQ, "CSeq", 0},
    {SipHeaderId::DATE, "Date", 0},
    {SipHeaderId::ERROR_INFO, "Error-Info", 0},
    {SipHeaderId::EVENT, "Event", 'o'},
    {SipHeaderId::EXPIRES, "Expires", 0},
    {SipHeaderId::FROM, "From", 'f'},
    {SipHeaderId::IDENTITY, "Identity", 'y'},
    {SipHeaderId::IDENTITY_INFO, "Identity-Info", 'n'},
    {SipHeaderId::IN_REPLY_TO, "In-Reply-To", 0},
    {SipHeaderId::MAX_FORWARDS, "Max-Forwards", 0},
    {SipHeaderId::MIME_VERSION, "MIME-Version", 0},
    {SipHeaderId::MIN_EXPIRES, "Min-Expires", 0},
    {SipHeaderId::MIN_SE, "Min-SE", 0},
    {SipHeaderId::ORGANIZATION, "Organization", 0},
    {SipHeaderId::P_ASSERTED_IDENTITY, "P-Asserted-Identity", 0},
    {SipHeaderId::P_PREFERRED_IDENTITY, "P-Preferred-Identity", 0},
    {SipHeaderId::PATH, "Path", 0},
    {SipHeaderId::PRIORITY, "Priority", 0},
    {SipHeaderId::PRIVACY, "Privacy", 0},
    {SipHeaderId::PROXY_AUTHENTICATE, "Proxy-Authenticate", 0},
    {SipHeaderId::PROXY_AUTHORIZATION, "Proxy-Authorization", 0},
    {SipHeaderId::PROXY_REQUIRE, "Proxy-Require", 0},
    {SipHeaderId::RACK, "RAck", 0},
    {SipHeaderId::RECORD_ROUTE, "Record-Route", 0},
    {SipHeaderId::REFER_TO, "Refer-To", 'r'},
    {SipHeaderId::REFERRED_BY, "Referred-By", 'b'},
    {SipHeaderId::REJECT_CONTACT, "Reject-Contact", 'j'},
    {SipHeaderId::REPLACES, "Replaces", 0},
    {SipHeaderId::REPLY_TO, "Reply-To", 0},
    {SipHeaderId::REQUEST_DISPOSITION, "Request-Disposition", 'd'},
    {SipHeaderId::REQUIRE, "Require", 0},
    {SipHeaderId::RETRY_AFTER, "Retry-After", 0},
    {SipHeaderId::ROUTE, "Route", 0},
    {SipHeaderId::RSEQ, "RSeq", 0},
    {SipHeaderId::SERVER, "Server", 0},
    {SipHeaderId::SERVICE_ROUTE, "Service-Route", 0},
    {SipHeaderId::SESSION_EXPIRES, "Session-Expires", 'x'},
    {SipHeaderId::SUBJECT, "Subject", 's'},
    {SipHeaderId::SUBSCRIPTION_STATE, "Subscription-State", 0},
    {SipHeaderId::SUPPORTED, "Supported", 'k'},
    {SipHeaderId::TIMESTAMP, "Timestamp", 0},
    {SipHeaderId::TO, "To", 't'},
    {SipHeaderId::UNSUPPORTED, "Unsupported", 0},
    {SipHeaderId::USER_AGENT, "User-Agent", 0},
    {SipHeaderId::VIA, "Via", 'v'},
    {SipHeaderId::WARNING, "Warning", 0},
    {SipHeaderId::WWW_AUTHENTICATE, "WWW-Authenticate", 0},
};

static_assert(sizeof(kHeaders) / sizeof(kHeaders[0]) ==
                  static_cast<std::size_t>(SipHeaderId::COUNT_),
              "header table out of step with SipHeaderId");

const char* const kMethods[] = {"UNKNOWN",
                                "INVITE",
                                "ACK",
                                "BYE",
                                "CANCEL",
                                "REGISTER",
                                "OPTIONS",
                                "PRACK",
                                "UPDATE",
                                "INFO",
                                "MESSAGE",
                                "NOTIFY",
                                "SUBSCRIBE",
                                "REFER",
                                "PUBLISH"};

const char* const kCheckNames[] = {
    "malformed-request-line",
    "malformed-header-via",
    "malformed-header-from",
    "malformed-header-to",
    "malformed-header-call-id",
    "malformed-header-cseq",
    "malformed-header-rack",
    "malformed-header-rseq",
    "malformed-header-contact",
    "malformed-header-record-route",
    "malformed-header-route",
    "malformed-header-expires",
    "malformed-header-content-type",
    "malformed-header-content-length",
    "malformed-header-max-forwards",
    "malformed-header-allow",
    "malformed-header-p-asserted-identity",
    "malformed-header-no-require",
    "malformed-header-no-proxy-require",
    "malformed-header-sdp-v",
    "malformed-header-sdp-o",
    "malformed-header-sdp-s",
    "malformed-header-sdp-i",
    "malformed-header-sdp-c",
    "malformed-header-sdp-b",
    "malformed-header-sdp-z",
    "malformed-header-sdp-k",
    "malformed-header-sdp-a",
    "malformed-header-sdp-t",
    "malformed-header-sdp-r",
    "malformed-header-sdp-m",
};

static_assert(sizeof(kCheckNames) / sizeof(kCheckNames[0]) ==
                  static_cast<std::size_t>(SipCheck::COUNT_),
              "check names out of step with SipCheck");

/// The check covering a malformed header, or COUNT_ when none does.
SipCheck
CheckFor(SipHeaderId id)
{
    switch (id)
    {
    case SipHeaderId::VIA:
        return SipCheck::VIA;
    case SipHeaderId::FROM:
        return SipCheck::FROM;
    case SipHeaderId::TO:
        return SipCheck::TO;
    case SipHeaderId::CALL_ID:
        return SipCheck::CALL_ID;
    case SipHeaderId::CSEQ:
        return SipCheck::CSEQ;
    case SipHeaderId::RACK:
        return SipCheck::RACK;
    case SipHeaderId::RSEQ:
        return SipCheck::RSEQ;
    case SipHeaderId::CONTACT:
        return SipCheck::CONTACT;
    case SipHeaderId::RECORD_ROUTE:
        return SipCheck::RECORD_ROUTE;
    case SipHeaderId::ROUTE:
        return SipCheck::ROUTE;
    case SipHeaderId::EXPIRES:
        return SipCheck::EXPIRES;
    case SipHeaderId::CONTENT_TYPE:
        return SipCheck::CONTENT_TYPE;
    case SipHeaderId::CONTENT_LENGTH:
        return SipCheck::CONTENT_LENGTH;
    case SipHeaderId::MAX_FORWARDS:
        return SipCheck::MAX_FORWARDS;
    case SipHeaderId::ALLOW:
        return SipCheck::ALLOW;
    case SipHeaderId::P_ASSERTED_IDENTITY:
        return SipCheck::P_ASSERTED_IDENTITY;
    case SipHeaderId::REQUIRE:
        return SipCheck::REQUIRE;
    case SipHeaderId::PROXY_REQUIRE:
        return SipCheck::PROXY_REQUIRE;
    default:
        return SipCheck::COUNT_;
    }
}

/// Header id of \p name (any letter case, compact forms): lower-cased into a stack buffer and
/// looked up in a table built once, so a parse allocates nothing for it.
SipHeaderId
HeaderIdOf(std::string_view name)
{
    static const std::unordered_map<std::string, SipHeaderId> byName = [] {
        std::unordered_map<std::string, SipHeaderId> m;
        for (const auto& h : kHeaders)
        {
            if (h.id != SipHeaderId::UNKNOWN)
            {
                m.emplace(AsciiLowerCopy(h.name), h.id);
                if (h.compact != 0)
                {
                    m.emplace(std::string(1, h.compact), h.id);
                }
            }
        }
        return m;
    }();
    static const std::unordered_map<std::string_view, SipHeaderId> byView = [] {
        std::unordered_map<std::string_view, SipHeaderId> m;
        for (const auto& [k, v] : byName)
        {
            m.emplace(k, v);
        }
        return m;
    }();
    char lower[32];
    if (name.empty() || name.size() > sizeof(lower))
    {
        return SipHeaderId::UNKNOWN; // the longest known name has 20 characters
    }
    for (std::size_t i = 0; i < name.size(); ++i)
    {
        const char c = name[i];
        lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    auto it = byView.find(std::string_view(lower, name.size()));
    return it == byView.end() ? SipHeaderId::UNKNOWN : it->second;
}

// ---------------------------------------------------------------- message parser

/// Append a default element to \p v (a message's lists are inline up to two elements; past
/// that, room for eight is reserved at once).
template <typename V>
typename V::value_type&
Append(V& v)
{
    if (v.size() == v.capacity() && v.capacity() < 8)
    {
        v.reserve(8);
    }
    return v.emplace_back();
}

/// One physical line: [b, ce) content, next = offset after the LF.
struct Line
{
    std::size_t b;
    std::size_t ce;
};

/// The lines of one header field seen so far: its first line, its last (continuation) line.
struct HeaderLines
{
    Line first;
    Line last;
    std::size_t lineNumber;    //!< of the first line
    std::size_t lineCount;     //!< physical lines
    std::size_t maxLineLength; //!< longest of them
};

class MessageParser
{
  public:
    MessageParser(const uint8_t* d,
                  std::size_t begin,
                  std::size_t len,
                  SipMessage& m,
                  SipMessageStorage& st,
                  const SipParseOptions& o)
        : m_d(d),
          m_begin(begin),
          m_len(len),
          m_m(m),
          m_st(st),
          m_o(o)
    {
    }

    SipParseStatus Run();

  private:
    void Violation(SipCheck c, std::size_t line, const std::string& reason)
    {
        m_m.violations.push_back({c, line, reason});
    }

    /// Mark header \p i malformed and record a violation when a check covers it.
    void Bad(std::size_t i, const std::string& reason)
    {
        SipHeader& h = m_m.headers[i];
        std::string what = std::string(h.canonical) + ": " + reason;
        if (!h.malformed)
        {
            h.malformed = true;
            h.error = what;
        }
        SipCheck c = CheckFor(h.id);
        if (c != SipCheck::COUNT_)
        {
            Violation(c, h.lineNumber, what);
        }
    }

    void StartLine(const Line& l);
    /// Add the header field on lines \p hl to the message and parse its value.
    void AddHeader(const HeaderLines& hl);
    void Header(std::size_t i);
    void Checks();
    void Body();
    /// Line number of offset \p off (1 = start line).
    std::size_t LineOf(std::size_t off) const;

    const uint8_t* m_d;
    std::size_t m_begin;
    std::size_t m_len;
    SipMessage& m_m;
    SipMessageStorage& m_st;
    const SipParseOptions& m_o;
};

std::size_t
MessageParser::LineOf(std::size_t off) const
{
    std::size_t n = 1;
    for (std::size_t p = m_m.start; p < off && p < m_len; ++p)
    {
        n += m_d[p] == '\n';
    }
    return n;
}

void
MessageParser::AddHeader(const HeaderLines& hl)
{
    const uint8_t* d = m_d;
    const Line& l = hl.first;
    SipHeader& h = m_m.headers.emplace_back();
    const std::size_t index = m_m.headers.size() - 1;
    h.lineNumber = hl.lineNumber;
    h.lineCount = hl.lineCount;
    h.maxLineLength = hl.maxLineLength;
    std::size_t hend = hl.last.ce;
    std::size_t q = l.b;
    while (q < l.ce && IsToken(d[q]))
    {
        ++q;
    }
    std::size_t ne = q;
    while (q < l.ce && IsWsp(d[q]))
    {
        ++q;
    }
    h.name = View(d, l.b, ne);
    h.nameSpan = Span(l.b, ne);
    if (ne == l.b || q >= l.ce || d[q] != ':')
    {
        h.id = SipHeaderId::UNKNOWN;
        h.canonical = h.name;
        h.valueSpan = Span(l.b, hend);
        h.value = View(d, l.b, hend);
        h.malformed = true;
        h.error = ne == l.b
                      ? (IsWsp(d[l.b])
                             ? "line " + std::to_string(h.lineNumber) + " starts with whitespace"
                             : "line " + std::to_string(h.lineNumber) + ": bad character " +
                                   Show(d[l.b]) + " in header name")
                      : "line " + std::to_string(h.lineNumber) + ": header line without ':' " +
                            Quote(d, l.b, l.ce);
        return;
    }
    h.id = HeaderIdOf(h.name);
    h.compact = h.name.size() == 1 && h.id != SipHeaderId::UNKNOWN;
    h.canonical = h.id == SipHeaderId::UNKNOWN ? h.name : std::string_view(SipHeaderName(h.id));
    std::size_t vb = SkipLws(d, q + 1, hend);
    std::size_t ve = hend;
    while (ve > vb && IsLws(d[ve - 1]))
    {
        --ve;
    }
    h.valueSpan = Span(vb, ve);
    if (hl.last.b <= vb)
    {
        h.value = View(d, vb, ve); // on one line: the bytes themselves
    }
    else
    {
        // folded: every fold and the whitespace around it becomes one space, in a kept copy
        std::string value;
        for (std::size_t r = vb; r < ve;)
        {
            if (IsLws(d[r]))
            {
                std::size_t s = r;
                bool fold = false;
                while (r < ve && IsLws(d[r]))
                {
                    fold = fold || d[r] == '\r' || d[r] == '\n';
                    ++r;
                }
                if (fold)
                {
                    while (!value.empty() && IsWsp(static_cast<uint8_t>(value.back())))
                    {
                        value.pop_back();
                    }
                    value.push_back(' ');
                }
                else
                {
                    value.append(reinterpret_cast<const char*>(d) + s, r - s);
                }
                continue;
            }
            value.push_back(static_cast<char>(d[r]));
            ++r;
        }
        h.value = m_st.Keep(std::move(value));
    }
    Header(index);
}

void
MessageParser::StartLine(const Line& l)
{
    const uint8_t* d = m_d;
    std::size_t b = l.b;
    std::size_t e = l.ce;
    m_m.startLineSpan = Span(b, e);
    // lenient split at runs of SP/HT, strict checks afterwards
    boost::container::small_vector<Range, 8> f;
    for (std::size_t p = b; p < e;)
    {
        while (p < e && IsWsp(d[p]))
        {
            ++p;
        }
        if (p >= e)
        {
            break;
        }
        std::size_t s = p;
        while (p < e && !IsWsp(d[p]))
        {
            ++p;
        }
        f.push_back({s, p});
    }
    auto bad = [this](const std::string& why) { Violation(SipCheck::REQUEST_LINE, 1, why); };
    bool response = e - b >= 4 && AsciiIEquals(View(d, b, b + 4), "SIP/");
    if (response)
    {
        m_m.isRequest = false;
        m_m.version = View(d, f[0].b, f[0].e);
        if (f.size() >= 2)
        {
            uint64_t code = 0;
            if (Number(d, f[1].b, f[1].e, 0xffffffffULL, code))
            {
                m_m.statusCode = static_cast<uint32_t>(code);
            }
            if (f[1].e - f[1].b != 3 || !AllDigits(d, f[1].b, f[1].e) || code < 100 || code > 699)
            {
                bad("status code " + Quote(d, f[1].b, f[1].e) + " is not 3 digits 100..699");
            }
            // reason phrase: everything after the single SP following the code
            std::size_t rb = f[1].e < e ? f[1].e + 1 : e;
            m_m.reason = View(d, rb, e);
        }
        else
        {
            bad("status line without status code");
        }
        if (!AsciiIEquals(m_m.version, "SIP/2.0"))
        {
            bad("unsupported version \"" + std::string(m_m.version) + "\"");
        }
        if (f.size() >= 2 && (f[0].e + 1 != f[1].b || d[f[0].e] != ' '))
        {
            bad("status line elements must be separated by one SP");
        }
        for (std::size_t p = b; p < e; ++p)
        {
            if (d[p] < 0x20 && d[p] != '\t')
            {
                bad("control character in status line");
                break;
            }
        }
        return;
    }
    m_m.isRequest = true;
    if (f.empty())
    {
        bad("empty request line");
        return;
    }
    m_m.method = View(d, f[0].b, f[0].e);
    m_m.methodSpan = Span(f[0].b, f[0].e);
    m_m.methodId = SipMethodFromName(m_m.method);
    for (std::size_t p = f[0].b; p < f[0].e; ++p)
    {
        if (!IsToken(d[p]))
        {
            bad("bad character " + Show(d[p]) + " in method");
            break;
        }
    }
    if (f.size() != 3)
    {
        bad("request line has " + std::to_string(f.size()) +
            " elements instead of Method SP Request-URI SP SIP-Version");
    }
    if (f.size() >= 2)
    {
        // With extra elements the URI is all but the last one (LWS inside the URI).
        std::size_t ue = f.size() > 3 ? f[f.size() - 2].e : f[1].e;
        m_m.requestUriSpan = Span(f[1].b, ue);
        std::string err;
        if (!UriAt(d, f[1].b, ue, m_m.requestUri, err, true))
        {
            bad("Request-URI: " + err);
        }
        else if (!m_m.requestUri.headers.empty())
        {
            bad("Request-URI carries headers (\"?" + std::string(m_m.requestUri.headers) + "\")");
        }
    }
    if (f.size() >= 3)
    {
        const Range& v = f.back();
        m_m.version = View(d, v.b, v.e);
        if (!AsciiIEquals(m_m.version, "SIP/2.0"))
        {
            bad("unsupported version \"" + std::string(m_m.version) + "\"");
        }
    }
    if (f.size() == 3 && (f[0].b != b || f[0].e + 1 != f[1].b || f[1].e + 1 != f[2].b ||
                          f[2].e != e || d[f[0].e] != ' ' || d[f[1].e] != ' '))
    {
        bad("request line elements must be separated by exactly one SP, with none at the "
            "ends");
    }
}

/// Content-Type media type check: type "/" subtype *(; param). \p type is lower case: a view
/// of the bytes when they are written so (no whitespace around '/', no capital), else kept in
/// \p st.
bool
MediaType(const uint8_t* d,
          std::size_t b,
          std::size_t e,
          std::string_view& type,
          SipParamList& params,
          SipMessageStorage& st,
          std::string& err)
{
    std::size_t p = b;
    while (p < e && IsToken(d[p]))
    {
        ++p;
    }
    std::size_t t1 = p;
    p = SkipLws(d, p, e);
    if (t1 == b || p >= e || d[p] != '/')
    {
        err = "expected type/subtype, found " + Quote(d, b, e);
        return false;
    }
    p = SkipLws(d, p + 1, e);
    std::size_t sb = p;
    while (p < e && IsToken(d[p]))
    {
        ++p;
    }
    if (p == sb)
    {
        err = "expected type/subtype, found " + Quote(d, b, e);
        return false;
    }
    bool plain = sb == t1 + 1;
    for (std::size_t k = b; plain && k < p; ++k)
    {
        plain = AsciiLower(static_cast<char>(d[k])) == static_cast<char>(d[k]);
    }
    type = plain ? View(d, b, p)
                 : st.Keep(AsciiLowerCopy(View(d, b, t1)) + "/" + AsciiLowerCopy(View(d, sb, p)));
    return HeaderParams(d, p, e, params, st, err);
}

void
MessageParser::Header(std::size_t i)
{
    SipHeader& h = m_m.headers[i];
    const uint8_t* d = m_d;
    std::size_t b = h.valueSpan.offset;
    std::size_t e = h.valueSpan.End();
    std::string err;
    switch (h.id)
    {
    case SipHeaderId::VIA: {
        ForEachComma(d, b, e, [&](const Range& r) {
            SipVia& v = Append(m_m.vias);
            v.headerIndex = i;
            if (!ViaParm(d, r.b, r.e, v, m_st, err))
            {
                m_m.vias.pop_back();
                Bad(i, err);
                return false;
            }
            return true;
        });
        break;
    }
    case SipHeaderId::CONTACT: {
        if (e - b == 1 && d[b] == '*')
        {
            m_m.contactStar = true;
            break;
        }
        ForEachComma(d, b, e, [&](const Range& r) {
            if (r.e - r.b == 1 && d[r.b] == '*')
            {
                Bad(i, "'*' combined with other contacts");
                return false;
            }
            SipNameAddr& na = Append(m_m.contacts);
            na.headerIndex = i;
            if (!NameAddr(d, r.b, r.e, na, m_st, err, false))
            {
                m_m.contacts.pop_back();
                Bad(i, err);
                return false;
            }
            return true;
        });
        break;
    }
    case SipHeaderId::FROM:
    case SipHeaderId::TO: {
        bool from = h.id == SipHeaderId::FROM;
        bool first = !(from ? m_m.hasFrom : m_m.hasTo);
        SipNameAddr second; // a repeated From or To is checked, not kept
        SipNameAddr& na = first ? (from ? m_m.from : m_m.to) : second;
        na.headerIndex = i;
        if (!NameAddr(d, b, e, na, m_st, err, false))
        {
            if (first)
            {
                na = SipNameAddr();
            }
            Bad(i, err);
            return;
        }
        if (first)
        {
            (from ? m_m.hasFrom : m_m.hasTo) = true;
        }
        break;
    }
    case SipHeaderId::RECORD_ROUTE:
    case SipHeaderId::ROUTE:
    case SipHeaderId::P_ASSERTED_IDENTITY:
    case SipHeaderId::PATH:
    case SipHeaderId::SERVICE_ROUTE: {
        bool angle = h.id != SipHeaderId::P_ASSERTED_IDENTITY;
        // Path and Service-Route are checked, not kept; a header with a bad element adds none.
        SipNameAddrList* dst = h.id == SipHeaderId::RECORD_ROUTE          ? &m_m.recordRoutes
                               : h.id == SipHeaderId::ROUTE               ? &m_m.routes
                               : h.id == SipHeaderId::P_ASSERTED_IDENTITY ? &m_m.pAssertedIdentities
                                                                          : nullptr;
        const std::size_t before = dst ? dst->size() : 0;
        SipNameAddr scratch;
        ForEachComma(d, b, e, [&](const Range& r) {
            if (!dst)
            {
                scratch = SipNameAddr(); // its parameters from the previous element go
            }
            SipNameAddr& na = dst ? Append(*dst) : scratch;
            na.headerIndex = i;
            if (!NameAddr(d, r.b, r.e, na, m_st, err, angle))
            {
                if (dst)
                {
                    dst->resize(before);
                }
                Bad(i, err);
                return false;
            }
            return true;
        });
        break;
    }
    case SipHeaderId::CALL_ID: {
        std::size_t at = e;
        for (std::size_t p = b; p < e; ++p)
        {
            if (d[p] == '@' && at == e)
            {
                at = p;
                continue;
            }
            if (!IsWord(d[p]))
            {
                Bad(i, "bad character " + Show(d[p]) + " in Call-ID");
                return;
            }
        }
        if (b == e || at == b || (at < e && at + 1 == e))
        {
            Bad(i, "empty Call-ID or word around '@'");
            return;
        }
        if (!m_m.hasCallId)
        {
            m_m.hasCallId = true;
            m_m.callId = View(d, b, e);
            m_m.callIdSpan = Span(b, e);
        }
        break;
    }
    case SipHeaderId::CSEQ:
    case SipHeaderId::RACK: {
        // CSeq: 1*DIGIT LWS Method; RAck: 1*DIGIT LWS 1*DIGIT LWS Method
        int numbers = h.id == SipHeaderId::CSEQ ? 1 : 2;
        std::size_t p = b;
        uint64_t first = 0;
        for (int k = 0; k < numbers; ++k)
        {
            std::size_t nb = p;
            while (p < e && IsDigit(d[p]))
            {
                ++p;
            }
            uint64_t v = 0;
            if (!Number(d, nb, p, 0x7fffffffULL, v))
            {
                Bad(i,
                    nb < p ? "sequence number " + Quote(d, nb, p) + " is not below 2**31"
                           : "missing sequence number");
                return;
            }
            if (k == 0)
            {
                first = v;
            }
            if (p >= e || !IsLws(d[p]))
            {
                Bad(i, "missing whitespace after the number");
                return;
            }
            p = SkipLws(d, p, e);
        }
        std::size_t mb = p;
        while (p < e && IsToken(d[p]))
        {
            ++p;
        }
        if (p == mb || p != e)
        {
            Bad(i, "bad method " + Quote(d, mb, e));
            return;
        }
        if (h.id == SipHeaderId::CSEQ && !m_m.hasCSeq)
        {
            m_m.hasCSeq = true;
            m_m.cseq = static_cast<uint32_t>(first);
            m_m.cseqMethod = View(d, mb, p);
            m_m.cseqMethodId = SipMethodFromName(m_m.cseqMethod);
        }
        break;
    }
    case SipHeaderId::RSEQ: {
        uint64_t v = 0;
        if (!Number(d, b, e, 0x7fffffffULL, v) || v == 0)
        {
            Bad(i, "not a number 1..2**31-1: " + Quote(d, b, e));
        }
        break;
    }
    case SipHeaderId::EXPIRES: {
        uint64_t v = 0;
        if (!Number(d, b, e, 0xffffffffULL, v))
        {
            Bad(i, "not a number of seconds below 2**32: " + Quote(d, b, e));
            return;
        }
        if (!m_m.hasExpires)
        {
            m_m.hasExpires = true;
            m_m.expires = static_cast<uint32_t>(v);
        }
        break;
    }
    case SipHeaderId::MAX_FORWARDS: {
        uint64_t v = 0;
        if (!Number(d, b, e, 255, v))
        {
            Bad(i, "not a number 0..255: " + Quote(d, b, e));
            return;
        }
        if (!m_m.hasMaxForwards)
        {
            m_m.hasMaxForwards = true;
            m_m.maxForwards = static_cast<uint32_t>(v);
        }
        break;
    }
    case SipHeaderId::CONTENT_LENGTH: {
        uint64_t v = 0;
        if (!Number(d, b, e, 0xffffffffULL, v))
        {
            Bad(i, "not a number: " + Quote(d, b, e));
            return;
        }
        if (!m_m.hasContentLength)
        {
            m_m.hasContentLength = true;
            m_m.contentLength = static_cast<std::size_t>(v);
            m_m.contentLengthSpan = Span(b, e);
        }
        else if (v != m_m.contentLength)
        {
            Bad(i,
                "second Content-Length with another value (" + std::to_string(v) + " vs " +
                    std::to_string(m_m.contentLength) + ")");
        }
        break;
    }
    case SipHeaderId::CONTENT_TYPE: {
        std::string_view type;
        SipParamList params;
        if (!MediaType(d, b, e, type, params, m_st, err))
        {
            Bad(i, err);
            return;
        }
        if (m_m.contentType.empty())
        {
            m_m.contentType = type;
        }
        break;
    }
    case SipHeaderId::ALLOW:
    case SipHeaderId::REQUIRE:
    case SipHeaderId::PROXY_REQUIRE:
    case SipHeaderId::SUPPORTED:
    case SipHeaderId::UNSUPPORTED: {
        if (b == e)
        {
            if (h.id == SipHeaderId::REQUIRE || h.id == SipHeaderId::PROXY_REQUIRE)
            {
                Bad(i, "empty option-tag list");
            }
            return;
        }
        ForEachComma(d, b, e, [&](const Range& r) {
            if (r.b == r.e)
            {
                Bad(i, "empty element in list");
                return false;
            }
            for (std::size_t p = r.b; p < r.e; ++p)
            {
                if (!IsToken(d[p]))
                {
                    Bad(i, "bad character " + Show(d[p]) + " in " + Quote(d, r.b, r.e));
                    return false;
                }
            }
            return true;
        });
        break;
    }
    case SipHeaderId::DATE: {
        // rfc1123-date: wkday "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT:2DIGIT:2DIGIT SP "GMT"
        std::string_view v = h.value;
        static const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        static const char* months[] =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        bool ok = v.size() == 29 && v[3] == ',' && v[4] == ' ' && v[7] == ' ' && v[11] == ' ' &&
                  v[16] == ' ' && v[19] == ':' && v[22] == ':' && v[25] == ' ' &&
                  v.compare(26, 3, "GMT") == 0;
        auto digits = [&v](std::size_t at, std::size_t n) {
            for (std::size_t k = at; k < at + n; ++k)
            {
                if (!IsDigit(static_cast<uint8_t>(v[k])))
                {
                    return false;
                }
            }
            return true;
        };
        ok = ok && digits(5, 2) && digits(12, 4) && digits(17, 2) && digits(20, 2) &&
             digits(23, 2) &&
             std::any_of(std::begin(days),
                         std::end(days),
                         [&v](const char* s) { return v.compare(0, 3, s) == 0; }) &&
             std::any_of(std::begin(months), std::end(months), [&v](const char* s) {
                 return v.compare(8, 3, s) == 0;
             });
        if (!ok)
        {
            Bad(i, "not an RFC 1123 date in GMT: " + Quote(d, b, e));
        }
        break;
    }
    default:
        break;
    }
}

void
MessageParser::Checks()
{
    struct Single
    {
        SipHeaderId id;
        bool mandatory;
    };

    const Single singles[] = {
        {SipHeaderId::FROM, true},
        {SipHeaderId::TO, true},
        {SipHeaderId::CALL_ID, true},
        {SipHeaderId::CSEQ, true},
        {SipHeaderId::MAX_FORWARDS, false},
        {SipHeaderId::CONTENT_TYPE, false},
        {SipHeaderId::EXPIRES, false},
        {SipHeaderId::RSEQ, false},
        {SipHeaderId::RACK, false},
    };
    // Headers per id and the line of each id's second occurrence, in one pass.
    std::size_t count[static_cast<std::size_t>(SipHeaderId::COUNT_)] = {};
    std::size_t secondLine[static_cast<std::size_t>(SipHeaderId::COUNT_)] = {};
    for (const auto& h : m_m.headers)
    {
        const auto k = static_cast<std::size_t>(h.id);
        if (++count[k] == 2)
        {
            secondLine[k] = h.lineNumber;
        }
    }
    for (const auto& s : singles)
    {
        std::size_t n = count[static_cast<std::size_t>(s.id)];
        SipCheck c = CheckFor(s.id);
        if (n == 0 && s.mandatory)
        {
            Violation(c, 0, std::string("missing ") + SipHeaderName(s.id) + " header");
        }
        if (n > 1)
        {
            Violation(c,
                      secondLine[static_cast<std::size_t>(s.id)],
                      std::string("more than one ") + SipHeaderName(s.id) + " header");
        }
    }
    if (count[static_cast<std::size_t>(SipHeaderId::VIA)] == 0)
    {
        Violation(SipCheck::VIA, 0, "missing Via header");
    }
    if (m_m.isRequest && m_m.hasCSeq && !m_m.method.empty() && m_m.cseqMethod != m_m.method)
    {
        const SipHeader* h = m_m.FindHeader(SipHeaderId::CSEQ);
        Violation(SipCheck::CSEQ,
                  h ? h->lineNumber : 0,
                  "CSeq: method \"" + std::string(m_m.cseqMethod) +
                      "\" does not match request method \"" + std::string(m_m.method) + "\"");
    }
}

/// Find the first application/sdp part of a multipart body [b, e). \return false if none.
bool
MultipartSdp(const uint8_t* d,
             std::size_t b,
             std::size_t e,
             std::string_view boundary,
             SipMessageStorage& st,
             std::size_t& pb,
             std::size_t& pe)
{
    if (boundary.empty())
    {
        return false;
    }
    const std::string delim = "--" + std::string(boundary);
    // collect delimiter line starts
    std::vector<std::size_t> starts; // offset of "--boundary" at a line start
    std::size_t p = b;
    while (p + delim.size() <= e)
    {
        if ((p == b || d[p - 1] == '\n') && std::memcmp(d + p, delim.data(), delim.size()) == 0)
        {
            starts.push_back(p);
        }
        while (p < e && d[p] != '\n')
        {
            ++p;
        }
        ++p;
    }
    for (std::size_t k = 0; k + 1 < starts.size(); ++k)
    {
        std::size_t q = starts[k] + delim.size();
        while (q < e && d[q] != '\n')
        {
            ++q;
        }
        ++q; // first line of the part's headers
        std::size_t partEnd = starts[k + 1];
        // the CRLF before the next delimiter belongs to it
        if (partEnd > q && d[partEnd - 1] == '\n')
        {
            --partEnd;
            if (partEnd > q && d[partEnd - 1] == '\r')
            {
                --partEnd;
            }
        }
        bool sdp = false;
        std::size_t h = q;
        while (h < partEnd)
        {
            std::size_t le = h;
            while (le < partEnd && d[le] != '\n')
            {
                ++le;
            }
            std::size_t ce = le > h && d[le - 1] == '\r' ? le - 1 : le;
            if (ce == h)
            {
                h = le + 1;
                break;
            }
            std::size_t colon = h;
            while (colon < ce && d[colon] != ':')
            {
                ++colon;
            }
            std::size_t nb = h;
            std::size_t ne = colon;
            Trim(d, nb, ne);
            std::string_view name = View(d, nb, ne);
            if (colon < ce && (AsciiIEquals(name, "Content-Type") || AsciiIEquals(name, "c")))
            {
                std::size_t vb = SkipLws(d, colon + 1, ce);
                std::string_view type;
                SipParamList params;
                std::string err;
                sdp = MediaType(d, vb, ce, type, params, st, err) && type == "application/sdp";
            }
            h = le + 1;
        }
        if (sdp && h <= partEnd)
        {
            pb = h;
            pe = partEnd;
            return true;
        }
    }
    return false;
}

void
MessageParser::Body()
{
    if (!m_o.parseSdp || m_m.bodyLength == 0)
    {
        return;
    }
    std::size_t b = m_m.bodyOffset;
    std::size_t e = m_m.bodyOffset + m_m.bodyLength;
    if (m_m.contentType == "application/sdp")
    {
        m_m.hasSdp = true;
    }
    else if (m_m.contentType.substr(0, 10) == "multipart/")
    {
        const SipHeader* h = m_m.FindHeader(SipHeaderId::CONTENT_TYPE);
        std::string_view type;
        SipParamList params;
        std::string err;
        if (h && MediaType(m_d, h->valueSpan.offset, h->valueSpan.End(), type, params, m_st, err))
        {
            const SipParam* bd = FindSipParam(params, "boundary");
            std::size_t pb = 0;
            std::size_t pe = 0;
            if (bd && MultipartSdp(m_d, b, e, bd->value, m_st, pb, pe))
            {
                b = pb;
                e = pe;
                m_m.hasSdp = true;
            }
        }
    }
    if (!m_m.hasSdp)
    {
        return;
    }
    m_m.sdpSpan = Span(b, e);
    ParseSdp(m_d + b, e - b, m_m.sdp, b);
    // Message line number of the first SDP line (start line = 1, then the header lines and the
    // empty line); counted only for a multipart part.
    std::size_t first = b == m_m.bodyOffset ? m_m.headerLineCount + 2 : LineOf(b);
    for (const auto& v : m_m.sdp.violations)
    {
        Violation(SipCheckForSdpLine(v.type),
                  v.lineNumber ? first + v.lineNumber - 1 : 0,
                  "SDP " + v.reason);
    }
}

SipParseStatus
MessageParser::Run()
{
    const uint8_t* d = m_d;
    std::size_t p = m_begin;
    while (p < m_len && (d[p] == '\r' || d[p] == '\n'))
    {
        ++p;
    }
    m_m.skipped = p - m_begin;
    m_m.start = p;
    if (p >= m_len)
    {
        if (m_o.stream)
        {
            m_m.error = "no message yet";
            return SipParseStatus::INCOMPLETE;
        }
        m_m.error = "empty datagram";
        return SipParseStatus::ERROR;
    }
    // One pass over the start line and the header section: each line is found once
    // (memchr); a header field is parsed as soon as the next line shows it is not folded onto
    // it. Nothing is allocated per header (the header vector is reserved once).
    m_m.headers.reserve(16);
    bool ended = false;
    std::size_t lineCount = 0;
    HeaderLines pending{};
    bool havePending = false;
    while (p < m_len)
    {
        const void* nl = std::memchr(d + p, '\n', m_len - p);
        if (nl == nullptr)
        {
            break;
        }
        std::size_t le = static_cast<const uint8_t*>(nl) - d;
        std::size_t ce = le > p && d[le - 1] == '\r' ? le - 1 : le;
        if (ce == p)
        {
            m_m.headerEnd = le + 1;
            ended = true;
            break;
        }
        const Line l{p, ce};
        ++lineCount;
        m_m.maxLineLength = std::max(m_m.maxLineLength, ce - p);
        if (lineCount == 1)
        {
            StartLine(l);
        }
        else if (havePending && IsWsp(d[p]))
        {
            pending.last = l; // a continuation line (folded value)
            ++pending.lineCount;
            pending.maxLineLength = std::max(pending.maxLineLength, ce - p);
        }
        else
        {
            if (havePending)
            {
                AddHeader(pending);
            }
            pending = HeaderLines{l, l, lineCount, 1, ce - p};
            havePending = true;
        }
        p = le + 1;
    }
    if (!ended)
    {
        if (m_o.stream && m_len - m_m.start <= m_o.maxHeaderBytes)
        {
            m_m.error = "header section not complete";
            return SipParseStatus::INCOMPLETE;
        }
        m_m.error = m_o.stream ? "no end of header section within " +
                                     std::to_string(m_o.maxHeaderBytes) + " bytes"
                               : "no empty line ending the header section";
        return SipParseStatus::ERROR;
    }
    if (havePending)
    {
        AddHeader(pending);
    }
    if (m_o.stream && m_m.headerEnd - m_m.start > m_o.maxHeaderBytes)
    {
        m_m.error = "header section longer than " + std::to_string(m_o.maxHeaderBytes) + " bytes";
        return SipParseStatus::ERROR;
    }
    m_m.bodyOffset = m_m.headerEnd;
    m_m.headerLineCount = lineCount;
    Checks();

    // Framing.
    std::size_t avail = m_len - m_m.bodyOffset;
    std::size_t clCount = m_m.CountHeaders(SipHeaderId::CONTENT_LENGTH);
    bool clConflict = false;
    bool clBad = false;
    for (const auto& h : m_m.headers)
    {
        if (h.id == SipHeaderId::CONTENT_LENGTH && h.malformed)
        {
            clConflict = clConflict || m_m.hasContentLength;
            clBad = true;
        }
    }
    if (clCount > 1)
    {
        const SipHeader* h = m_m.FindHeader(SipHeaderId::CONTENT_LENGTH);
        if (!m_m.HasViolation(SipCheck::CONTENT_LENGTH))
        {
            Violation(SipCheck::CONTENT_LENGTH,
                      h ? h->lineNumber : 0,
                      "more than one Content-Length header");
        }
    }
    if (m_o.stream)
    {
        if (clBad)
        {
            m_m.error =
                clConflict ? "conflicting Content-Length values" : "Content-Length is not a number";
            return SipParseStatus::ERROR;
        }
        if (!m_m.hasContentLength)
        {
            Violation(SipCheck::CONTENT_LENGTH, 0, "missing Content-Length header (stream)");
        }
        m_m.bodyLength = m_m.hasContentLength ? m_m.contentLength : 0;
        if (m_m.bodyLength > avail)
        {
            m_m.error = "body not complete (" + std::to_string(avail) + " of " +
                        std::to_string(m_m.bodyLength) + " bytes)";
            return SipParseStatus::INCOMPLETE;
        }
        m_m.end = m_m.bodyOffset + m_m.bodyLength;
        m_m.consumed = m_m.end - m_begin;
    }
    else
    {
        if (m_m.hasContentLength)
        {
            if (m_m.contentLength > avail)
            {
                m_m.error = "Content-Length " + std::to_string(m_m.contentLength) +
                            " larger than the " + std::to_string(avail) +
                            " body bytes of the datagram";
                return SipParseStatus::ERROR;
            }
            m_m.bodyLength = m_m.contentLength;
        }
        else
        {
            m_m.bodyLength = avail;
        }
        m_m.end = m_m.bodyOffset + m_m.bodyLength;
        m_m.consumed = m_len - m_begin;
    }
    Body();
    std::stable_sort(
        m_m.violations.begin(),
        m_m.violations.end(),
        [](const SipViolation& a, const SipViolation& b) { return a.lineNumber < b.lineNumber; });
    return SipParseStatus::OK;
}

SipParseStatus
ParseAt(std::size_t begin,
        std::size_t len,
        SipMessage& msg,
        const std::shared_ptr<SipMessageStorage>& storage,
        const SipParseOptions& options)
{
    {
        // Default-initialised, not SipMessage(): value-initialisation would zero all ~11 KB
        // (the inline lists) byte by byte before the member initialisers run.
        SipMessage fresh;
        msg = std::move(fresh);
    }
    msg.storage = storage;
    static const uint8_t empty = 0;
    const uint8_t* data = storage->bytes.empty() ? &empty : storage->bytes.data();
    return MessageParser(data, begin, len, msg, *storage, options).Run();
}

/// A storage holding a copy of data[0, len).
std::shared_ptr<SipMessageStorage>
StorageOf(const uint8_t* data, std::size_t len)
{
    auto st = std::make_shared<SipMessageStorage>();
    if (data != nullptr && len > 0)
    {
        st->bytes.assign(data, data + len);
    }
    return st;
}

} // namespace

// ---------------------------------------------------------------- public functions

const char*
SipMethodName(SipMethod m)
{
    auto i = static_cast<std::size_t>(m);
    return i < sizeof(kMethods) / sizeof(kMethods[0]) ? kMethods[i] : "UNKNOWN";
}

SipMethod
SipMethodFromName(std::string_view name)
{
    for (std::size_t i = 1; i < sizeof(kMethods) / sizeof(kMethods[0]); ++i)
    {
        if (name == kMethods[i])
        {
            return static_cast<SipMethod>(i);
        }
    }
    return SipMethod::UNKNOWN;
}

const char*
SipHeaderName(SipHeaderId id)
{
    auto i = static_cast<std::size_t>(id);
    return i < sizeof(kHeaders) / sizeof(kHeaders[0]) ? kHeaders[i].name : "";
}

SipHeaderId
SipHeaderIdFromName(std::string_view name)
{
    return HeaderIdOf(name);
}

const char*
SipCheckOptionName(SipCheck c)
{
    auto i = static_cast<std::size_t>(c);
    return i < sizeof(kCheckNames) / sizeof(kCheckNames[0]) ? kCheckNames[i] : "";
}

SipCheck
SipCheckForSdpLine(char type)
{
    switch (type)
    {
    case 'v':
        return SipCheck::SDP_V;
    case 'o':
        return SipCheck::SDP_O;
    case 's':
        return SipCheck::SDP_S;
    case 'i':
        return SipCheck::SDP_I;
    case 'c':
        return SipCheck::SDP_C;
    case 'b':
        return SipCheck::SDP_B;
    case 'z':
        return SipCheck::SDP_Z;
    case 'k':
        return SipCheck::SDP_K;
    case 't':
        return SipCheck::SDP_T;
    case 'r':
        return SipCheck::SDP_R;
    case 'm':
        return SipCheck::SDP_M;
    default:
        return SipCheck::SDP_A;
    }
}

bool
ParseSipUri(const uint8_t* data,
            std::size_t len,
            SipUri& uri,
            std::string& error,
            std::size_t baseOffset)
{
    static const uint8_t empty = 0;
    if (data == nullptr)
    {
        data = &empty;
        len = 0;
    }
    error.clear();
    bool ok = UriAt(data, 0, len, uri, error, true);
    ShiftUri(uri, baseOffset);
    return ok;
}

SipParseStatus
ParseSipMessage(const uint8_t* data,
                std::size_t len,
                SipMessage& msg,
                const SipParseOptions& options)
{
    if (data == nullptr)
    {
        len = 0;
    }
    return ParseAt(0, len, msg, StorageOf(data, len), options);
}

SipStreamResult
ParseSipStream(const uint8_t* data, std::size_t len, const SipParseOptions& options)
{
    SipStreamResult r;
    SipParseOptions o = options;
    o.stream = true;
    if (data == nullptr)
    {
        len = 0;
    }
    const auto storage = StorageOf(data, len); // one copy, shared by every message
    while (r.consumed < len)
    {
        SipMessage m;
        SipParseStatus s = ParseAt(r.consumed, len, m, storage, o);
        if (s == SipParseStatus::INCOMPLETE)
        {
            break;
        }
        if (s == SipParseStatus::ERROR)
        {
            r.error = true;
            r.errorText = m.error;
            break;
        }
        r.consumed += m.consumed;
        r.messages.push_back(std::move(m));
    }
    return r;
}

} // namespace ns3
