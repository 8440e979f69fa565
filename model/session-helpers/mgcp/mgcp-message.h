/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_MGCP_MESSAGE_H
#define FORTIGATE_MGCP_MESSAGE_H

#include "ns3/sdp-message.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * MGCP command verbs (RFC 3435 §2.3, §3.2.1).
 */
enum class MgcpVerb : uint8_t
{
    EPCF, //!< EndpointConfiguration
    CRCX, //!< CreateConnection
    MDCX, //!< ModifyConnection
    DLCX, //!< DeleteConnection
    RQNT, //!< NotificationRequest
    NTFY, //!< Notify
    AUEP, //!< AuditEndpoint
    AUCX, //!< AuditConnection
    RSIP, //!< RestartInProgress
};

/// \return the four-letter name of \p v ("CRCX", ...)
const char* MgcpVerbName(MgcpVerb v);

/**
 * \ingroup fortigate
 * An endpoint name (`local@domain`, RFC 3435 §2.1.1) or a NotifiedEntity
 * (`[local@]domain[:port]`, §3.2.2.3). The domain is a host name or an IPv4 literal in square
 * brackets (`aaln/1@[10.0.1.10]`); only a literal can be translated.
 */
struct MgcpEndpoint
{
    std::string local;   //!< part before '@' (empty when there is none)
    std::string domain;  //!< domain as written (brackets included for a literal)
    bool literal{false}; //!< the domain is `[a.b.c.d]`
    uint32_t ipv4{0};    //!< the literal's address, host order
    SipSpan addressSpan; //!< where `a.b.c.d` (inside the brackets) is
    bool hasPort{false}; //!< a `:port` follows the domain
    uint16_t port{0};    //!< that port
    SipSpan portSpan;    //!< where its digits are
    SipSpan span;        //!< the whole name
};

/**
 * \ingroup fortigate
 * One parameter line `<name>: <value>` (RFC 3435 §3.2.2). The name is kept upper-case.
 */
struct MgcpParameter
{
    std::string name;  //!< e.g. "C", "I", "M", "N", "Z2", "X-FOO" (upper-case)
    std::string value; //!< the value, blanks around it removed (may be empty: `O: `)
    SipSpan valueSpan; //!< where the value is
};

/**
 * \ingroup fortigate
 * One MGCP command or response (RFC 3435 §3). Spans are offsets in the datagram given to
 * ParseMgcpDatagram.
 */
struct MgcpMessage
{
    bool response{false};               //!< a response line (3-digit code) rather than a command
    MgcpVerb verb{MgcpVerb::EPCF};      //!< the command's verb (commands)
    uint32_t transactionId{0};          //!< transaction id (1..999999999)
    MgcpEndpoint endpoint;              //!< the command's endpoint name (commands)
    std::string version;                //!< "1.0", "0.1" (commands)
    std::string profile;                //!< what follows the version, e.g. "NCS 1.0" ("" if none)
    uint16_t code{0};                   //!< response code (responses)
    std::string commentary;             //!< response text after the transaction id
    std::vector<MgcpParameter> params;  //!< parameter lines in order
    std::vector<MgcpEndpoint> entities; //!< endpoint names in N:, Z:, Z2: values, in order
    bool hasSdp{false};                 //!< a non-empty session description follows
    SdpMessage sdp;                     //!< it (spans in datagram offsets)
    std::size_t offset{0};              //!< first byte of the message in the datagram
    std::size_t length{0};              //!< bytes, up to and including the `.` separator line

    /// \return the value of parameter \p name (upper-case), or nullptr when absent
    const MgcpParameter* Find(const char* name) const;

    /// \return the value of parameter \p name, "" when absent
    std::string Value(const char* name) const;
};

/**
 * \ingroup fortigate
 * Parse one UDP payload: one MGCP message, or several piggy-backed ones separated by a line
 * holding a single `.` (RFC 3435 §3.5.5). Never reads past \p len; never throws.
 *
 * A message is rejected (false, \p error says why, \p out holds the messages before it) when:
 * a line does not end in CRLF or LF (a bare CR, or a last line without end of line), a NUL
 * byte appears, the first line is neither `<verb> <txid> <endpoint> MGCP <version>` nor
 * `<code> <txid> [commentary]`, the verb is unknown, the transaction id is not 1..999999999,
 * the version is not `<digits>.<digits>` with major 0 or 1 (RFC 3435 is 1.0; 0.1 is the
 * pre-RFC version that Cisco gateways still send), the endpoint name is not `local@domain`, a
 * parameter line has no `:` or a bad name, an N:/Z:/Z2: value is no endpoint name, or the SDP
 * has a bad `o=`, `c=` or `m=` line (those are what a NAT rewrites). More than MAX_MESSAGES
 * messages or a line over MAX_LINE bytes are rejected too.
 *
 * \return true when every message parsed
 */
bool ParseMgcpDatagram(const uint8_t* data,
                       std::size_t len,
                       std::vector<MgcpMessage>& out,
                       std::string* error = nullptr);

/**
 * \ingroup fortigate
 * Parse \p text as an endpoint name or NotifiedEntity; spans are \p base + offsets in it.
 * \param needLocal the `local@` part is required (endpoint names)
 * \return false when it is not one
 */
bool ParseMgcpEndpoint(const std::string& text,
                       std::size_t base,
                       bool needLocal,
                       MgcpEndpoint& out);

/// Most messages in one datagram.
constexpr std::size_t MGCP_MAX_MESSAGES = 16;
/// Longest line, bytes (the end of line excluded).
constexpr std::size_t MGCP_MAX_LINE = 2048;

/**
 * \ingroup fortigate
 * Fuzzing entry point (libFuzzer's LLVMFuzzerTestOneInput body): runs the MGCP parsers over
 * \p data. \return 0
 */
int FuzzMgcp(const uint8_t* data, std::size_t len);

} // namespace ns3

#endif // FORTIGATE_MGCP_MESSAGE_H
