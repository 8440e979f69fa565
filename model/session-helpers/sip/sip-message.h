/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_MESSAGE_H
#define FORTIGATE_SIP_MESSAGE_H

#include "sdp-message.h"

#include "ns3/payload-editor.h"

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>
#include <forward_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * SIP request methods (RFC 3261 and extensions). Method names are case-sensitive.
 */
enum class SipMethod
{
    UNKNOWN,   //!< any other token (extension method)
    INVITE,    //!< RFC 3261
    ACK,       //!< RFC 3261
    BYE,       //!< RFC 3261
    CANCEL,    //!< RFC 3261
    REGISTER,  //!< RFC 3261
    OPTIONS,   //!< RFC 3261
    PRACK,     //!< RFC 3262
    UPDATE,    //!< RFC 3311
    INFO,      //!< RFC 6086
    MESSAGE,   //!< RFC 3428
    NOTIFY,    //!< RFC 6665
    SUBSCRIBE, //!< RFC 6665
    REFER,     //!< RFC 3515
    PUBLISH    //!< RFC 3903
};

/// \return the method's name ("INVITE", ...; "UNKNOWN" for SipMethod::UNKNOWN)
const char* SipMethodName(SipMethod m);

/// \return the method named exactly (case-sensitive) \p name, SipMethod::UNKNOWN otherwise
SipMethod SipMethodFromName(std::string_view name);

/**
 * \ingroup fortigate
 * Header fields the parser knows. A header not listed is SipHeaderId::UNKNOWN (what FortiOS'
 * `unknown-header` acts on).
 */
enum class SipHeaderId
{
    UNKNOWN,
    ACCEPT,
    ACCEPT_CONTACT, //!< compact a
    ACCEPT_ENCODING,
    ACCEPT_LANGUAGE,
    ALERT_INFO,
    ALLOW,
    ALLOW_EVENTS, //!< compact u
    AUTHENTICATION_INFO,
    AUTHORIZATION,
    CALL_ID, //!< compact i
    CALL_INFO,
    CONTACT, //!< compact m
    CONTENT_DISPOSITION,
    CONTENT_ENCODING, //!< compact e
    CONTENT_LANGUAGE,
    CONTENT_LENGTH, //!< compact l
    CONTENT_TYPE,   //!< compact c
    CSEQ,
    DATE,
    ERROR_INFO,
    EVENT, //!< compact o
    EXPIRES,
    FROM,          //!< compact f
    IDENTITY,      //!< compact y
    IDENTITY_INFO, //!< compact n
    IN_REPLY_TO,
    MAX_FORWARDS,
    MIME_VERSION,
    MIN_EXPIRES,
    MIN_SE,
    ORGANIZATION,
    P_ASSERTED_IDENTITY,
    P_PREFERRED_IDENTITY,
    PATH,
    PRIORITY,
    PRIVACY,
    PROXY_AUTHENTICATE,
    PROXY_AUTHORIZATION,
    PROXY_REQUIRE,
    RACK,
    RECORD_ROUTE,
    REFER_TO,       //!< compact r
    REFERRED_BY,    //!< compact b
    REJECT_CONTACT, //!< compact j
    REPLACES,
    REPLY_TO,
    REQUEST_DISPOSITION, //!< compact d
    REQUIRE,
    RETRY_AFTER,
    ROUTE,
    RSEQ,
    SERVER,
    SERVICE_ROUTE,
    SESSION_EXPIRES, //!< compact x
    SUBJECT,         //!< compact s
    SUBSCRIPTION_STATE,
    SUPPORTED, //!< compact k
    TIMESTAMP,
    TO, //!< compact t
    UNSUPPORTED,
    USER_AGENT,
    VIA, //!< compact v
    WARNING,
    WWW_AUTHENTICATE,
    COUNT_ //!< number of ids (not a header)
};

/// \return the canonical name ("Call-ID", "CSeq", "WWW-Authenticate", ...; "" for UNKNOWN)
const char* SipHeaderName(SipHeaderId id);

/**
 * \return the id of a header name as written: long form, any letter case, or a one-letter
 * compact form (RFC 3261 §7.3.3 and the IANA registry: a b c d e f i j k l m n o r s t u v x y)
 */
SipHeaderId SipHeaderIdFromName(std::string_view name);

/**
 * \ingroup fortigate
 * The checks behind FortiOS' `malformed-request-line` and `malformed-header-<name>` VoIP
 * profile options (fortios.md §5), one per option.
 */
enum class SipCheck
{
    REQUEST_LINE,        //!< malformed-request-line (request or status line)
    VIA,                 //!< malformed-header-via
    FROM,                //!< malformed-header-from
    TO,                  //!< malformed-header-to
    CALL_ID,             //!< malformed-header-call-id
    CSEQ,                //!< malformed-header-cseq
    RACK,                //!< malformed-header-rack
    RSEQ,                //!< malformed-header-rseq
    CONTACT,             //!< malformed-header-contact
    RECORD_ROUTE,        //!< malformed-header-record-route
    ROUTE,               //!< malformed-header-route
    EXPIRES,             //!< malformed-header-expires
    CONTENT_TYPE,        //!< malformed-header-content-type
    CONTENT_LENGTH,      //!< malformed-header-content-length
    MAX_FORWARDS,        //!< malformed-header-max-forwards
    ALLOW,               //!< malformed-header-allow
    P_ASSERTED_IDENTITY, //!< malformed-header-p-asserted-identity
    REQUIRE,             //!< malformed-header-no-require (the Require header)
    PROXY_REQUIRE,       //!< malformed-header-no-proxy-require (the Proxy-Require header)
    SDP_V,               //!< malformed-header-sdp-v
    SDP_O,               //!< malformed-header-sdp-o
    SDP_S,               //!< malformed-header-sdp-s
    SDP_I,               //!< malformed-header-sdp-i
    SDP_C,               //!< malformed-header-sdp-c
    SDP_B,               //!< malformed-header-sdp-b
    SDP_Z,               //!< malformed-header-sdp-z
    SDP_K,               //!< malformed-header-sdp-k
    SDP_A,               //!< malformed-header-sdp-a
    SDP_T,               //!< malformed-header-sdp-t
    SDP_R,               //!< malformed-header-sdp-r
    SDP_M,               //!< malformed-header-sdp-m
    COUNT_               //!< number of checks (not a check)
};

/**
 * \return the FortiOS option name of a check: "malformed-request-line",
 * "malformed-header-via", ..., "malformed-header-no-require", "malformed-header-sdp-v", ...
 */
const char* SipCheckOptionName(SipCheck c);

/// \return the check for an SDP line type letter ('v' -> SDP_V ...); SDP_A for unknown letters
SipCheck SipCheckForSdpLine(char type);

/**
 * \ingroup fortigate
 * One problem found in a SIP message.
 */
struct SipViolation
{
    SipCheck check{SipCheck::REQUEST_LINE}; //!< which FortiOS option covers it
    std::size_t lineNumber{0}; //!< 1-based line number in the message (start line = 1); SDP
                               //!< problems give the line number in the message too
    std::string reason;        //!< e.g. "Via: missing sent-by host", "CSeq: method \"ACK\"
                               //!< does not match request method \"INVITE\""
};

/**
 * \ingroup fortigate
 * Storage behind the text fields (std::string_view) of a parsed message: a copy of the bytes it
 * was parsed from, and the few values the parser had to rewrite (a folded header value, a quoted
 * string with escapes, a Via protocol with whitespace inside). Shared by the copies of a
 * message, so its text fields stay valid as long as one copy lives.
 */
struct SipMessageStorage
{
    std::vector<uint8_t> bytes;             //!< the buffer given to the parser
    std::forward_list<std::string> derived; //!< rewritten values (nodes never move)

    /// Keep \p text. \return a view of the kept copy
    std::string_view Keep(std::string text)
    {
        derived.push_front(std::move(text));
        return derived.front();
    }
};

/**
 * \ingroup fortigate
 * A generic parameter: `;name`, `;name=value` or `;name="quoted value"` (URI parameter or
 * header parameter).
 *
 * Its text fields view the parsed bytes (SipMessageStorage; for ParseSipUri, the caller's
 * buffer).
 */
struct SipParam
{
    std::string_view name;  //!< name as written (parameter names are case-insensitive:
                            //!< compare with AsciiIEquals, or use FindSipParam)
    std::string_view value; //!< value without quotes and unescaped quoting ("" when none)
    bool hasValue{false};   //!< an '=' was present
    bool quoted{false};     //!< the value was a quoted-string
    SipSpan nameSpan;       //!< the name as written
    SipSpan valueSpan;      //!< the value as written (quotes included); when !hasValue, the
                            //!< insertion point right after the name
};

/**
 * \ingroup fortigate
 * The parameters of one URI or header value, in order. Inline up to four (no heap allocation
 * for the usual `;branch=...;rport`, `;tag=...`, `;transport=udp;lr`).
 */
using SipParamList = boost::container::small_vector<SipParam, 4>;

/// \return the first parameter named \p name (any letter case) in \p params, or nullptr
const SipParam* FindSipParam(const SipParamList& params, std::string_view name);

/**
 * \ingroup fortigate
 * A SIP, SIPS or TEL URI (RFC 3261 §19.1, RFC 3966), or another absoluteURI (scheme only).
 *
 * `sip:user:password@host:port;uri-params?headers`. For IPv6 references hostSpan includes the
 * brackets and \c host does not. When there is no port, portSpan is the zero-length insertion
 * point right after the host (insert ":5060" there to add one).
 */
struct SipUri
{
    /// URI scheme.
    enum Scheme
    {
        NONE, //!< not parsed / absent
        SIP,  //!< sip:
        SIPS, //!< sips:
        TEL,  //!< tel:
        OTHER //!< any other scheme (only \c scheme and span are set)
    };

    Scheme kind{NONE};         //!< scheme
    std::string_view scheme;   //!< scheme as written (e.g. "sip", "SIP", "tel", "http")
    bool hasUser{false};       //!< a userinfo part with '@' (sip/sips); tel: always has user
    std::string_view user;     //!< user part as written (still %-escaped); tel: the number
    SipSpan userSpan;          //!< where \c user is
    std::string_view password; //!< `:password` of the userinfo ("" when none)
    std::string_view host;     //!< host as written (IPv6 without brackets)
    SipSpan hostSpan;          //!< where the host is (IPv6: brackets included)
    bool hostIsIpv4{false};    //!< host is a dotted quad
    bool hostIsIpv6{false};    //!< host is a bracketed IPv6 reference
    uint32_t ipv4{0};          //!< host order (when hostIsIpv4)
    bool hasPort{false};       //!< an explicit `:port`
    uint16_t port{0};          //!< the explicit port, 0 when none
    SipSpan portSpan;          //!< the port digits, or insertion point after the host
    SipSpan hostPortSpan;      //!< host[:port]
    SipParamList params;       //!< uri-parameters (`;transport=tcp`, `;maddr=`, `;lr`, ...)
    std::string_view headers;  //!< the `?h=v&...` part without '?' ("" when none)
    SipSpan span;              //!< the whole URI

    /// \return the port to use: the explicit one, else 5061 for sips, else 5060
    uint16_t EffectivePort() const
    {
        return hasPort ? port : (kind == SIPS ? 5061 : 5060);
    }
};

/**
 * \ingroup fortigate
 * Parse one URI (no surrounding '<' '>') from \p data[0, len). Spans are offsets in \p data
 * plus \p baseOffset; the text fields view \p data (keep it alive while using them).
 *
 * \param error set to what is wrong when false is returned
 * \return true for a well-formed sip/sips/tel URI or another `scheme:...` absoluteURI
 */
bool ParseSipUri(const uint8_t* data,
                 std::size_t len,
                 SipUri& uri,
                 std::string& error,
                 std::size_t baseOffset = 0);

/**
 * \ingroup fortigate
 * One name-addr or addr-spec value with header parameters: an element of From, To, Contact,
 * Route, Record-Route, P-Asserted-Identity, Reply-To, ...
 * e.g. `"Alice" <sip:alice@10.0.1.2:5060;transport=udp>;tag=1234;expires=3600`.
 */
struct SipNameAddr
{
    std::string_view displayName; //!< display name (quotes removed), "" when none
    bool angle{false};            //!< the URI was enclosed in '<' '>' (name-addr form)
    bool star{false};             //!< Contact: `*` (the URI is empty)
    SipUri uri;                   //!< the URI
    SipParamList params;          //!< header parameters after the URI (`;tag=`, `;expires=`,
                                  //!< `;q=`, `;lr` outside '<>' ...)
    std::string_view tag;         //!< `tag=` value ("" when none)
    bool hasTag{false};           //!< a tag parameter was present
    bool hasExpires{false};       //!< an `expires=` header parameter was present and numeric
    uint32_t expires{0};          //!< its value in seconds
    SipSpan span;                 //!< the whole element (display name to last parameter)
    std::size_t headerIndex{0};   //!< index in SipMessage::headers of the header it came from
};

/**
 * \ingroup fortigate
 * The values of a list header (Contact, Route, Record-Route, P-Asserted-Identity), in order.
 * Inline up to two, so a message's lists allocate nothing in the usual case.
 */
using SipNameAddrList = boost::container::small_vector<SipNameAddr, 2>;

/**
 * \ingroup fortigate
 * One Via value: `SIP/2.0/UDP host[:port];branch=...;received=...;rport[=port];maddr=...`.
 *
 * For `rport` without value, rportSpan is the insertion point right after "rport" (insert
 * "=5060" there). To add a parameter, insert ";received=a.b.c.d" at span.End().
 */
struct SipVia
{
    std::string_view protocol;  //!< "SIP/2.0/UDP" with the whitespace removed
    std::string_view transport; //!< "UDP", "TCP", "TLS", "SCTP", ... as written
    std::string_view host;      //!< sent-by host as written (IPv6 without brackets)
    SipSpan hostSpan;           //!< where the host is (IPv6: brackets included)
    bool hostIsIpv4{false};     //!< host is a dotted quad
    bool hostIsIpv6{false};     //!< host is a bracketed IPv6 reference
    uint32_t ipv4{0};           //!< host order (when hostIsIpv4)
    bool hasPort{false};        //!< explicit sent-by port
    uint16_t port{0};           //!< the port, 0 when none
    SipSpan portSpan;           //!< port digits, or insertion point after the host
    SipSpan sentBySpan;         //!< host[:port]
    SipParamList params;        //!< via-params in order
    std::string_view branch;    //!< `branch=` value ("" when none)
    bool hasBranch{false};      //!< a branch parameter was present
    bool hasReceived{false};    //!< a received parameter was present
    std::string_view received;  //!< its value
    SipSpan receivedSpan;       //!< where its value is
    bool hasRport{false};       //!< an rport parameter was present (with or without value)
    bool rportHasValue{false};  //!< `rport=<port>`
    uint16_t rport{0};          //!< the value (when rportHasValue)
    SipSpan rportSpan;          //!< its value, or insertion point after "rport"
    bool hasMaddr{false};       //!< a maddr parameter was present
    std::string_view maddr;     //!< its value
    SipSpan maddrSpan;          //!< where its value is
    SipSpan span;               //!< the whole via-parm
    std::size_t headerIndex{0}; //!< index in SipMessage::headers

    /// \return the port to use: the explicit one, else 5061 for TLS, else 5060
    uint16_t EffectivePort() const;
};

/// \ingroup fortigate
/// The Via values of a message, top first. Inline up to two (a request through one proxy).
using SipViaList = boost::container::small_vector<SipVia, 2>;

/**
 * \ingroup fortigate
 * One header field as it appears in the message, in order.
 */
struct SipHeader
{
    std::string_view name;                //!< name as written (e.g. "v", "MaX-fOrWaRdS")
    SipHeaderId id{SipHeaderId::UNKNOWN}; //!< what it is (compact forms resolved)
    std::string_view canonical;   //!< canonical name ("Via", ...; the written name if unknown)
    bool compact{false};          //!< written in compact form
    SipSpan nameSpan;             //!< the name
    SipSpan valueSpan;            //!< value: first to last non-whitespace byte after ':'
                                  //!< (may contain folded line breaks)
    std::string_view value;       //!< the value with every line fold (CRLF + WSP) and run of
                                  //!< whitespace around it replaced by one space
    std::size_t lineNumber{0};    //!< 1-based line number of its first line
    std::size_t lineCount{1};     //!< physical lines (1 + continuation lines)
    std::size_t maxLineLength{0}; //!< its longest physical line, terminator excluded
    bool malformed{false};        //!< the value failed this header's syntax check
    std::string error;            //!< why (when malformed)
};

/// \ingroup fortigate
/// Outcome of ParseSipMessage.
enum class SipParseStatus
{
    OK,         //!< one message parsed; SipMessage::consumed says where it ends
    INCOMPLETE, //!< stream mode: the message is not complete yet; buffer and retry with more
    ERROR       //!< the bytes cannot be framed as a SIP message; SipMessage::error says why
};

/// \return "OK", "INCOMPLETE" or "ERROR"
const char* SipParseStatusName(SipParseStatus s);

/**
 * \ingroup fortigate
 * How ParseSipMessage frames a message.
 */
struct SipParseOptions
{
    /**
     * false (datagram, UDP): the buffer is one datagram; the body is Content-Length bytes, or
     * the rest of the datagram when there is no Content-Length; bytes after the body are
     * ignored (RFC 3261 §18.3) and still counted in \c consumed; a Content-Length larger than
     * what remains is an ERROR.
     * true (stream, TCP): Content-Length is required (a missing one means 0, and is recorded as
     * a CONTENT_LENGTH violation); the message ends after the body; a short buffer is
     * INCOMPLETE.
     */
    bool stream{false};
    /// Parse a non-empty application/sdp body (or the first application/sdp part of a
    /// multipart body) into SipMessage::sdp.
    bool parseSdp{true};
    /// Stream mode: a header section longer than this without its empty line is an ERROR
    /// rather than INCOMPLETE (protects the caller's buffer).
    std::size_t maxHeaderBytes{65536};
};

/**
 * \ingroup fortigate
 * A parsed SIP message (RFC 3261). Pure data; every span is an offset in the buffer given to
 * ParseSipMessage. The text fields (std::string_view) view \c storage: the message keeps a copy
 * of the bytes it was parsed from, so they stay valid as long as the message (or a copy) lives;
 * copy one into a std::string to keep it longer.
 *
 * Framing problems make the parse fail (SipParseStatus::ERROR); everything else (a bad request
 * line, a malformed header value, a missing mandatory header, bad SDP) is recorded in
 * \c violations with the FortiOS check that covers it, and the message is still returned so an
 * ALG can pass, discard or respond.
 */
struct SipMessage
{
    /// What the text fields view (null before a parse)
    std::shared_ptr<SipMessageStorage> storage;

    // ---- framing
    std::size_t skipped{0};    //!< CRLF keep-alive bytes before the start line
    std::size_t start{0};      //!< offset of the start line (== skipped)
    std::size_t headerEnd{0};  //!< offset just after the empty line that ends the headers
    std::size_t bodyOffset{0}; //!< == headerEnd
    std::size_t bodyLength{0}; //!< body bytes (Content-Length, or the datagram's rest)
    std::size_t end{0};        //!< one past the body
    std::size_t consumed{0};   //!< bytes this message uses counted from where parsing began
                               //!< (start - skipped): keep-alives + message in a stream;
                               //!< the whole datagram otherwise. ParseSipMessage: == end
                               //!< (stream) or len (datagram)

    // ---- start line
    bool isRequest{false};                  //!< request (else response)
    std::string_view method;                //!< request method as written
    SipMethod methodId{SipMethod::UNKNOWN}; //!< request method
    SipSpan methodSpan;                     //!< where the method is
    SipUri requestUri;                      //!< Request-URI (requests)
    SipSpan requestUriSpan;                 //!< where the Request-URI is
    std::string_view version;               //!< "SIP/2.0" as written
    uint32_t statusCode{0};                 //!< response status code
    std::string_view reason;                //!< response reason phrase (may be empty)
    SipSpan startLineSpan;                  //!< the start line without its terminator

    // ---- headers in order
    std::vector<SipHeader> headers; //!< every header field in order
    std::size_t maxLineLength{0};   //!< longest line of the start line and header section,
                                    //!< terminator excluded
    std::size_t headerLineCount{0}; //!< physical lines from start line to the empty line

    // ---- well-known fields
    SipViaList vias;             //!< every Via value, top first (over all Via headers)
    SipNameAddrList contacts;    //!< every Contact value in order
    bool contactStar{false};     //!< `Contact: *`
    bool hasFrom{false};         //!< From present and parsed
    SipNameAddr from;            //!< From
    bool hasTo{false};           //!< To present and parsed
    SipNameAddr to;              //!< To
    bool hasCallId{false};       //!< Call-ID present
    std::string_view callId;     //!< Call-ID value
    SipSpan callIdSpan;          //!< where it is
    bool hasCSeq{false};         //!< CSeq present and parsed
    uint32_t cseq{0};            //!< CSeq number
    std::string_view cseqMethod; //!< CSeq method
    SipMethod cseqMethodId{SipMethod::UNKNOWN}; //!< CSeq method
    bool hasExpires{false};                     //!< Expires header present and numeric
    uint32_t expires{0};                        //!< Expires header value (seconds)
    bool hasMaxForwards{false};                 //!< Max-Forwards present and numeric
    uint32_t maxForwards{0};                    //!< its value
    std::string_view contentType;               //!< media type, lower case, no parameters ("" none)
    bool hasContentLength{false};               //!< Content-Length present and numeric
    std::size_t contentLength{0};               //!< its value
    SipSpan contentLengthSpan;                  //!< where the (first) Content-Length digits are
    SipNameAddrList recordRoutes;               //!< every Record-Route value in order
    SipNameAddrList routes;                     //!< every Route value in order
    SipNameAddrList pAssertedIdentities;        //!< every P-Asserted-Identity value

    // ---- body
    bool hasSdp{false}; //!< an SDP body (or multipart part) was parsed into \c sdp
    SdpMessage sdp;     //!< spans in message offsets
    SipSpan sdpSpan;    //!< where the SDP text is (the whole body, or the multipart part)

    // ---- problems
    std::vector<SipViolation> violations; //!< every problem found, in message order
    std::string error;                    //!< why the parse failed (status ERROR / INCOMPLETE)

    /// \return true when no violation was recorded
    bool Valid() const
    {
        return violations.empty();
    }

    /// \return true when no violation was recorded and no header is malformed (also those no
    ///         FortiOS check covers, e.g. a bad Date or a header line without ':')
    bool WellFormed() const;

    /// \return true when a violation of check \p c was recorded
    bool HasViolation(SipCheck c) const;

    /// \return the first violation of check \p c, or nullptr
    const SipViolation* FindViolation(SipCheck c) const;

    /// \return the first header with id \p id, or nullptr
    const SipHeader* FindHeader(SipHeaderId id) const;

    /// \return the first header whose canonical or written name equals \p name
    ///         (case-insensitive; compact names resolved), or nullptr
    const SipHeader* FindHeader(std::string_view name) const;

    /// \return how many header fields have id \p id
    std::size_t CountHeaders(SipHeaderId id) const;

    /// \return true when some header is SipHeaderId::UNKNOWN
    bool HasUnknownHeader() const;

    /// \return the expiry for Contact \p index: its `expires=` param, else the Expires header,
    ///         else \p dflt (3600 is RFC 3261's REGISTER default)
    uint32_t ContactExpires(std::size_t index, uint32_t dflt = 3600) const;
};

/// \return the bytes of \p text: what ParseSipMessage reads, and what the spans of a message
///         parsed from \p text are offsets into
inline const uint8_t*
SipBytes(const std::string& text)
{
    return reinterpret_cast<const uint8_t*>(text.data());
}

/**
 * \ingroup fortigate
 * Parse the SIP message at the start of \p data.
 *
 * - Leading CRLFs (keep-alives) are skipped (SipMessage::skipped).
 * - Header names are case-insensitive, compact forms resolved, folded lines (CRLF followed by
 *   SP/HT) joined; LF alone is accepted as a line end too.
 * - Comma-separated values of Via, Contact, Route, Record-Route, P-Asserted-Identity are split
 *   outside quoted strings and '<' '>'.
 * - The body length comes from Content-Length (see SipParseOptions::stream).
 *
 * Never reads past \p len and never throws on bad input.
 *
 * \param data the bytes (a datagram, or the start of a stream buffer)
 * \param len number of bytes at \p data
 * \param msg the result (reset first)
 * \param options framing options
 * \return OK (message in \p msg, \c consumed bytes used), INCOMPLETE (stream mode, wait for more
 *         bytes) or ERROR (\c error says why: no end of headers in a datagram, bad
 *         Content-Length that prevents framing, body shorter than Content-Length in a datagram,
 *         header section over maxHeaderBytes)
 */
SipParseStatus ParseSipMessage(const uint8_t* data,
                               std::size_t len,
                               SipMessage& msg,
                               const SipParseOptions& options = SipParseOptions());

/**
 * \ingroup fortigate
 * What ParseSipStream found in a stream buffer.
 */
struct SipStreamResult
{
    std::vector<SipMessage> messages; //!< complete messages in order; spans are offsets in the
                                      //!< whole buffer (each message's \c start included)
    std::size_t consumed{0};          //!< bytes used by them; the rest is an incomplete message
    bool error{false};                //!< framing failed at offset \c consumed
    std::string errorText;            //!< why (when error)
};

/**
 * \ingroup fortigate
 * Parse every complete message in a TCP stream buffer (stream framing). Stops at the first
 * incomplete message (keep the bytes from \c consumed on) or at a framing error.
 */
SipStreamResult ParseSipStream(const uint8_t* data,
                               std::size_t len,
                               const SipParseOptions& options = SipParseOptions());

/**
 * \ingroup fortigate
 * Collects the byte replacements for one parsed SIP message (headers and SDP body, offsets as
 * in the message's spans), keeps Content-Length equal to the body length, and applies them in
 * one pass. Built on PayloadEditor.
 *
 * Edits must not overlap each other, the Content-Length value, or the empty line between
 * headers and body. When any edit in the body changes its length and the message has a
 * Content-Length header, the (first) Content-Length value is replaced with the new body length.
 *
 * \code
 *   SipRewriter rw(msg);
 *   rw.Replace(msg.vias[0].hostSpan, "192.0.2.1");
 *   rw.Replace(msg.sdp.connections[0].addressSpan, "192.0.2.1");
 *   std::vector<uint8_t> out = rw.Apply(data);     // message bytes [0, msg.consumed)
 * \endcode
 */
class SipRewriter
{
  public:
    /// \param msg a message parsed with ParseSipMessage (status OK); it must outlive the rewriter
    explicit SipRewriter(const SipMessage& msg);

    /**
     * Record a replacement of [offset, offset + length) by \p text.
     * \return false (and record nothing) when the range is outside [0, msg.end), overlaps an
     *         earlier edit or the Content-Length value, or crosses the header/body boundary
     */
    bool Replace(std::size_t offset, std::size_t length, const std::string& text);

    /// Replace a span. \return as Replace(offset, length, text)
    bool Replace(const SipSpan& span, const std::string& text);

    /// Insert \p text at \p offset. \return as Replace(offset, 0, text)
    bool Insert(std::size_t offset, const std::string& text);

    /// \return true when nothing is to change
    bool Empty() const;

    /// \return the body length after the edits
    std::size_t NewBodyLength() const;

    /// \return the size change of the whole message (edits + Content-Length fix)
    long Delta() const;

    /// \return every edit including the Content-Length fix, by offset
    PayloadEditor Edits() const;

    /**
     * \param data the buffer the message was parsed from (at least msg.consumed bytes)
     * \return the new bytes of [msg.start - msg.skipped, msg.start - msg.skipped +
     *         msg.consumed) (i.e. [0, msg.consumed) for a ParseSipMessage result) with every
     *         edit applied
     */
    std::vector<uint8_t> Apply(const uint8_t* data) const;

    /**
     * Add every edit (including the Content-Length fix) to \p editor, shifted by
     * \p baseOffset: the offset, in the packet payload of \p payloadLen bytes, of the buffer the
     * message was parsed from (0 for ParseSipStream over the whole payload; k for
     * ParseSipMessage(payload + k, ...)).
     * \return false when some edit was rejected by \p editor (then the ones before it stay)
     */
    bool ExportTo(PayloadEditor& editor, std::size_t baseOffset, std::size_t payloadLen) const;

  private:
    const SipMessage& m_msg; //!< the message the edits refer to
    PayloadEditor m_edits;   //!< the caller's edits
};

} // namespace ns3

#endif // FORTIGATE_SIP_MESSAGE_H
