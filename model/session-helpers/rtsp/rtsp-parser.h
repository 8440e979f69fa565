/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RTSP_PARSER_H
#define FORTIGATE_RTSP_PARSER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Longest RTSP header line (terminator included) the parser accepts; a longer line makes the
 * message INVALID.
 */
constexpr std::size_t RTSP_MAX_LINE_LENGTH = 2048;

/// \ingroup fortigate
/// Most header lines in one message.
constexpr std::size_t RTSP_MAX_HEADERS = 64;

/// \ingroup fortigate
/// Largest Content-Length accepted.
constexpr std::size_t RTSP_MAX_BODY = 65536;

/**
 * \ingroup fortigate
 * Widest port range of `client_port=` / `server_port=` / `port=`: hi - lo may be at most this
 * (an RTP/RTCP pair is 1). Wider ranges make the Transport header INVALID.
 */
constexpr uint16_t RTSP_MAX_PORT_SPAN = 3;

/// \ingroup fortigate
/// Default RTSP port (RFC 2326); FortiOS also binds 7070 and 8554.
constexpr uint16_t RTSP_DEFAULT_PORT = 554;

/**
 * \ingroup fortigate
 * A byte range of a message, relative to the first byte given to ParseRtspMessage.
 */
struct RtspTextRef
{
    std::size_t offset{0}; //!< first byte
    std::size_t length{0}; //!< number of bytes
};

/**
 * \ingroup fortigate
 * A port or port range of a Transport parameter (`client_port=5000-5001`, `server_port=6970`).
 */
struct RtspPortRange
{
    bool present{false}; //!< the parameter was there
    uint16_t lo{0};      //!< first port (1..65535)
    uint16_t hi{0};      //!< last port (lo..lo+RTSP_MAX_PORT_SPAN); lo when no range was given
    bool hasHi{false};   //!< the text had the "-hi" part
    RtspTextRef text;    //!< the value text ("5000-5001"), for rewriting

    /// \return number of ports (0 when absent)
    uint32_t Count() const
    {
        return present ? static_cast<uint32_t>(hi - lo) + 1 : 0;
    }
};

/**
 * \ingroup fortigate
 * One transport specification of a Transport header (RFC 2326 §12.39), e.g.
 * `RTP/AVP;unicast;client_port=5000-5001`. Several are separated by commas.
 */
struct RtspTransportSpec
{
    std::string protocol;        //!< transport protocol, e.g. "RTP"
    std::string profile;         //!< profile, e.g. "AVP"
    std::string lowerTransport;  //!< "UDP" (the default when absent) or "TCP", upper case
    bool multicast{false};       //!< `multicast` given (unicast is the default)
    bool unicastGiven{false};    //!< `unicast` given
    RtspPortRange clientPort;    //!< `client_port=`
    RtspPortRange serverPort;    //!< `server_port=`
    RtspPortRange port;          //!< `port=` (multicast)
    bool hasDestination{false};  //!< `destination=` given with a value
    std::string destination;     //!< its value
    RtspTextRef destinationText; //!< where the value is
    bool hasSource{false};       //!< `source=` given
    std::string source;          //!< its value
    RtspTextRef sourceText;      //!< where the value is
    bool hasInterleaved{false};  //!< `interleaved=` given
    uint8_t interleavedLo{0};    //!< first channel
    uint8_t interleavedHi{0};    //!< last channel
    int ttl{-1};                 //!< `ttl=` (-1 when absent)
    std::string ssrc;            //!< `ssrc=` (hex text)
    std::string mode;            //!< `mode=` without quotes, e.g. "PLAY"
    bool append{false};          //!< `append`
    /// other parameters, (name, value), in order
    std::vector<std::pair<std::string, std::string>> otherParams;
    RtspTextRef text; //!< the whole specification

    /// \return true for RTP over UDP unicast (the case that needs pinholes)
    bool IsUdpUnicast() const
    {
        return lowerTransport == "UDP" && !multicast;
    }
};

/**
 * \ingroup fortigate
 * One header line: name as sent, value position (leading and trailing white space excluded).
 */
struct RtspHeaderField
{
    std::string name;  //!< header name as it appeared
    std::string value; //!< its value
    RtspTextRef text;  //!< where the value is
};

/**
 * \ingroup fortigate
 * A parsed RTSP/1.0 request or reply (RFC 2326), or an interleaved binary frame
 * (`$`, channel, 16-bit length, data: RFC 2326 §10.12).
 */
struct RtspMessage
{
    bool interleavedFrame{false}; //!< a `$` frame, not a message
    uint8_t channel{0};           //!< its channel
    bool request{false};          //!< request (else reply)
    std::string method;           //!< request method, e.g. "SETUP"
    std::string uri;              //!< request URI
    uint16_t statusCode{0};       //!< reply status code (100..999)
    std::string reason;           //!< reply reason phrase
    std::string version;          //!< "RTSP/1.0"
    bool hasCSeq{false};          //!< CSeq present
    uint32_t cseq{0};             //!< its value
    std::string session;          //!< Session id (without `;timeout=`), empty when absent
    uint32_t sessionTimeout{0};   //!< `;timeout=` of the Session header (0 when absent)
    bool hasTransport{false};     //!< Transport header present
    std::vector<RtspTransportSpec> transports; //!< its specifications, in order
    std::vector<RtspHeaderField> headers;      //!< every header, in order
    std::size_t headerLength{0};               //!< bytes of start line + headers + empty line
    std::size_t contentLength{0};              //!< Content-Length (0 when absent)
    std::size_t length{0};       //!< whole message (headers + body); see ParseRtspMessage
    bool headersComplete{false}; //!< the empty line was seen (length is known)

    /// \return the first header named \p name (case-insensitive), or nullptr
    const RtspHeaderField* Find(const std::string& name) const;

    /// \return the body as text (from \p data, the buffer the message was parsed from)
    std::string Body(const uint8_t* data) const;
};

/// \ingroup fortigate
/// Outcome of ParseRtspMessage.
enum class RtspParseStatus
{
    COMPLETE,   //!< a whole message (and its body) was parsed
    INCOMPLETE, //!< the bytes end inside the message: wait for more
    INVALID,    //!< not a valid RTSP message
};

/**
 * \ingroup fortigate
 * Parse one RTSP message at the start of \p data.
 *
 * Lines end with CRLF or LF. Header names are case-insensitive; folded (continuation) lines,
 * control characters, lines longer than RTSP_MAX_LINE_LENGTH, more than RTSP_MAX_HEADERS
 * headers, a bad CSeq, Session or Content-Length, conflicting Content-Length headers and a
 * malformed Transport header make the message INVALID. Transport rules: each specification is
 * `protocol/profile[/UDP|/TCP]` then `;`-separated parameters; `client_port`, `server_port` and
 * `port` need a value `lo[-hi]` of decimal ports 1..65535 with lo <= hi and hi - lo <=
 * RTSP_MAX_PORT_SPAN, at most once per specification; `source`, `interleaved` (0..255), `ttl`
 * (1..255), `ssrc` (1..8 hex digits) and `mode` need a value; `unicast`/`multicast` exclude each
 * other; unknown parameters are kept.
 *
 * Never reads past \p len. On COMPLETE, \p out.length is the number of bytes the message
 * takes (the next message starts there). On INCOMPLETE with out.headersComplete, out.length
 * is what the whole message will take (the body is missing).
 *
 * \param data the bytes
 * \param len their number
 * \param out the message
 * \param error when not null, why the message is INVALID
 * \return the status
 */
RtspParseStatus ParseRtspMessage(const uint8_t* data,
                                 std::size_t len,
                                 RtspMessage& out,
                                 std::string* error = nullptr);

/**
 * \ingroup fortigate
 * Parse the value of a Transport header (see ParseRtspMessage for the rules).
 * \param value the header value
 * \param base added to every RtspTextRef (the value's offset in the message)
 * \param out the specifications
 * \param error when not null, why the value is invalid
 * \return false when invalid
 */
bool ParseRtspTransport(const std::string& value,
                        std::size_t base,
                        std::vector<RtspTransportSpec>& out,
                        std::string* error = nullptr);

/**
 * \ingroup fortigate
 * Strict `lo[-hi]` port range (see ParseRtspMessage).
 * \return false when invalid
 */
bool ParseRtspPortRange(const std::string& text, uint16_t& lo, uint16_t& hi, bool& hasHi);

/// \ingroup fortigate
/// \return "lo-hi", or "lo" when \p withHi is false
std::string FormatRtspPortRange(uint16_t lo, uint16_t hi, bool withHi = true);

/**
 * \ingroup fortigate
 * Build a request: `METHOD uri RTSP/1.0`, `CSeq`, the given headers, Content-Length when
 * \p body is not empty, the empty line, the body.
 */
std::string BuildRtspRequest(const std::string& method,
                             const std::string& uri,
                             uint32_t cseq,
                             const std::vector<std::pair<std::string, std::string>>& headers,
                             const std::string& body = "");

/**
 * \ingroup fortigate
 * Build a reply: `RTSP/1.0 code reason`, `CSeq`, the given headers, Content-Length when
 * \p body is not empty, the empty line, the body.
 */
std::string BuildRtspReply(uint16_t code,
                           uint32_t cseq,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           const std::string& body = "");

} // namespace ns3

#endif // FORTIGATE_RTSP_PARSER_H
