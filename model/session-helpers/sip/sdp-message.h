/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SDP_MESSAGE_H
#define FORTIGATE_SDP_MESSAGE_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * A byte range [offset, offset + length) of a buffer given to a SIP or SDP parser (pure C++).
 *
 * Every field a NAT rewrite may change carries one. A span with length 0 is an insertion point
 * (e.g. where a missing `:port` or an `=value` of `rport` would go).
 */
struct SipSpan
{
    std::size_t offset{0}; //!< first byte
    std::size_t length{0}; //!< number of bytes

    /// \return one past the last byte
    std::size_t End() const
    {
        return offset + length;
    }

    /// \return the bytes of the span in \p buf (the buffer the parser saw)
    std::string Text(const uint8_t* buf) const
    {
        return std::string(reinterpret_cast<const char*>(buf) + offset, length);
    }

    /// \return the bytes of the span in \p text ("" when it starts past its end)
    std::string Text(const std::string& text) const
    {
        return offset < text.size() ? text.substr(offset, length) : std::string();
    }
};

/**
 * \ingroup fortigate
 * An address in an SDP line: `c=`, `o=` or the address part of `a=rtcp:`.
 *
 * Form: `<nettype> <addrtype> <address>[/ttl[/count]]`, e.g. `IN IP4 10.0.1.2`.
 * addressSpan covers only `<address>` (not `/ttl` or `/count`), so replacing it with another
 * address keeps the rest of the line.
 */
struct SdpAddress
{
    std::string netType;       //!< "IN" as written
    std::string addrType;      //!< "IP4" or "IP6" as written
    std::string address;       //!< the address as written (IPv4, IPv6 or a host name)
    SipSpan addressSpan;       //!< where \c address is
    bool isIpv4{false};        //!< \c address is a dotted quad
    uint32_t ipv4{0};          //!< the IPv4 address, host order (when isIpv4)
    uint32_t ttl{0};           //!< multicast TTL (`/ttl`), 0 when absent
    uint32_t count{1};         //!< number of addresses (`/count`), 1 when absent
    std::size_t lineNumber{0}; //!< 1-based line number inside the SDP body
    SipSpan lineSpan;          //!< the whole line without its terminator
};

/**
 * \ingroup fortigate
 * The `o=` line: `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>`.
 */
struct SdpOrigin
{
    std::string username;       //!< user name ("-" when none)
    std::string sessionId;      //!< session id (digits)
    std::string sessionVersion; //!< session version (digits)
    SdpAddress address;         //!< the unicast address of the originator
};

/**
 * \ingroup fortigate
 * One `a=` line: `a=<name>` or `a=<name>:<value>`.
 */
struct SdpAttribute
{
    std::string name;          //!< attribute name as written (e.g. "rtpmap", "sendrecv")
    std::string value;         //!< text after the first ':' ("" when none)
    bool hasValue{false};      //!< a ':' was present
    SipSpan valueSpan;         //!< where \c value is (insertion point after the name if none)
    std::size_t lineNumber{0}; //!< 1-based line number inside the SDP body
};

/// \ingroup fortigate
/// Media direction attribute (RFC 4566 §6).
enum class SdpDirection
{
    SENDRECV, //!< a=sendrecv (also the default when no direction attribute is given)
    SENDONLY, //!< a=sendonly
    RECVONLY, //!< a=recvonly
    INACTIVE  //!< a=inactive
};

/// \return "sendrecv", "sendonly", "recvonly" or "inactive"
const char* SdpDirectionName(SdpDirection d);

/**
 * \ingroup fortigate
 * One media description: the `m=` line and the lines up to the next `m=`.
 */
struct SdpMedia
{
    std::string media;                    //!< "audio", "video", "image", "application", ...
    uint16_t port{0};                     //!< transport port from `m=`
    SipSpan portSpan;                     //!< where the port digits are
    uint32_t portCount{1};                //!< `/<number of ports>` (1 when absent)
    std::string proto;                    //!< "RTP/AVP", "udptl", "RTP/SAVP", ...
    std::vector<std::string> formats;     //!< payload formats (e.g. "0", "8", "101", "t38")
    std::vector<SdpAddress> connections;  //!< media-level `c=` lines
    std::vector<SdpAttribute> attributes; //!< media-level `a=` lines
    bool hasRtcp{false};                  //!< an `a=rtcp:` attribute was given
    uint16_t rtcpPort{0};                 //!< `a=rtcp:<port>` (when hasRtcp)
    SipSpan rtcpPortSpan;                 //!< where the a=rtcp port digits are
    bool rtcpHasAddress{false};           //!< `a=rtcp:<port> IN IP4 <addr>` form
    SdpAddress rtcpAddress;               //!< the address part (when rtcpHasAddress)
    SdpDirection direction{SdpDirection::SENDRECV}; //!< media-level, else session-level, else
                                                    //!< sendrecv
    bool directionExplicit{false};                  //!< set by an attribute (media or session)
    std::size_t lineNumber{0};                      //!< 1-based line number of the `m=` line
    SipSpan lineSpan;                               //!< the `m=` line without its terminator

    /// \return the RTCP port: a=rtcp's port when given, else port + 1 (RFC 3550)
    uint16_t RtcpPort() const
    {
        return hasRtcp ? rtcpPort : static_cast<uint16_t>(port + 1);
    }
};

/**
 * \ingroup fortigate
 * A problem in one SDP line, named by the line's type letter as in FortiOS'
 * `malformed-header-sdp-<letter>` options.
 */
struct SdpViolation
{
    char type{'?'};            //!< 'v','o','s','i','c','b','z','k','a','t','r','m' (or '?' for a
                               //!< line that is no `<letter>=` line at all)
    std::size_t lineNumber{0}; //!< 1-based line number inside the SDP body (0: whole body)
    std::string reason;        //!< what is wrong, e.g. "c= line: bad IPv4 address \"10.0.1\""
};

/**
 * \ingroup fortigate
 * A parsed SDP session description (RFC 4566). Spans are offsets in the buffer given to
 * ParseSdp plus its \c baseOffset (so, when the body was parsed from a SIP message, offsets in
 * the SIP message).
 */
struct SdpMessage
{
    bool hasVersion{false};                         //!< a `v=` line was seen
    uint32_t version{0};                            //!< `v=` value (0)
    bool hasOrigin{false};                          //!< an `o=` line was seen and parsed
    SdpOrigin origin;                               //!< `o=`
    std::string sessionName;                        //!< `s=`
    std::vector<SdpAddress> connections;            //!< session-level `c=` lines
    std::vector<SdpAttribute> attributes;           //!< session-level `a=` lines
    SdpDirection direction{SdpDirection::SENDRECV}; //!< session-level direction attribute
    bool directionExplicit{false};                  //!< session level had one
    std::vector<SdpMedia> media;                    //!< `m=` descriptions in order
    std::vector<SdpViolation> violations;           //!< every problem found (empty: valid)
    std::size_t lineCount{0};                       //!< lines in the body
    std::size_t maxLineLength{0};                   //!< longest line, terminator excluded

    /// \return true when nothing was wrong
    bool Valid() const
    {
        return violations.empty();
    }

    /// \return true when some violation names line type \p type (e.g. 'c')
    bool HasViolation(char type) const;

    /**
     * \return the connection address in effect for media \p index: its first media-level
     * `c=`, else the first session-level `c=`; nullptr when neither exists or index is out of
     * range
     */
    const SdpAddress* ConnectionFor(std::size_t index) const;
};

/**
 * \ingroup fortigate
 * Parse an SDP body (RFC 4566). Lines end in CRLF or LF (a last line without terminator is
 * accepted). Never reads past \p len; never throws on bad input.
 *
 * Malformed lines are recorded in SdpMessage::violations (by line type) and parsing goes on
 * with the next line; a line type that cannot be understood leaves its fields at defaults.
 * Checks: `v=0` first; `o=` has 6 fields with a valid address for IN IP4; `s=` present;
 * `c=` is `IN IP4|IP6 <addr>[/ttl[/n]]`; `b=<type>:<digits>`; `t=<digits> <digits>`;
 * `r=` and `z=` fields; `k=<method>[:key]`; `a=<token>[:value]`, `a=rtcp:<port> [IN IP4 addr]`;
 * `m=<media> <port>[/n] <proto> <fmt>...` with port <= 65535; `v=`, `o=`, `s=`, `t=` present.
 *
 * \param data the body bytes
 * \param len number of bytes
 * \param out the result (reset first)
 * \param baseOffset added to every span (the body's offset in the enclosing message)
 * \return out.Valid()
 */
bool ParseSdp(const uint8_t* data, std::size_t len, SdpMessage& out, std::size_t baseOffset = 0);

} // namespace ns3

#endif // FORTIGATE_SDP_MESSAGE_H
