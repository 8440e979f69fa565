/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PPTP_PARSER_H
#define FORTIGATE_PPTP_PARSER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup fortigate
/// IP protocol number of GRE.
constexpr uint8_t GRE_IP_PROTOCOL = 47;

/**
 * \ingroup fortigate
 * Read the key of an enhanced GRE packet (RFC 2637 §4.1: flags/version, protocol, payload
 * length, Call ID), the PPTP Call ID in the key's low half, from its bytes \p l4 (\p len).
 * \param callId set to the Call ID when the key is present (else left alone)
 * \param headerSize set to the header size up to the key (4 without one)
 * \return false when the packet is shorter than the fixed 4 bytes
 */
bool ReadGreKey(const uint8_t* l4, std::size_t len, uint16_t& callId, uint16_t& headerSize);

/// \ingroup fortigate
/// TCP port of the PPTP control connection (RFC 2637).
constexpr uint16_t PPTP_CONTROL_PORT = 1723;

/// \ingroup fortigate
/// Magic cookie every PPTP message carries at bytes 4-7.
constexpr uint32_t PPTP_MAGIC_COOKIE = 0x1A2B3C4D;

/// \ingroup fortigate
/// Bytes of the header common to all control messages (length, PPTP message type, magic
/// cookie, control message type, reserved).
constexpr std::size_t PPTP_HEADER_SIZE = 12;

/// \ingroup fortigate
/// PPTP control message types (RFC 2637 §2).
enum PptpControlType : uint16_t
{
    PPTP_START_CONTROL_REQUEST = 1,    //!< Start-Control-Connection-Request
    PPTP_START_CONTROL_REPLY = 2,      //!< Start-Control-Connection-Reply
    PPTP_STOP_CONTROL_REQUEST = 3,     //!< Stop-Control-Connection-Request
    PPTP_STOP_CONTROL_REPLY = 4,       //!< Stop-Control-Connection-Reply
    PPTP_ECHO_REQUEST = 5,             //!< Echo-Request
    PPTP_ECHO_REPLY = 6,               //!< Echo-Reply
    PPTP_OUTGOING_CALL_REQUEST = 7,    //!< Outgoing-Call-Request (PNS -> PAC)
    PPTP_OUTGOING_CALL_REPLY = 8,      //!< Outgoing-Call-Reply (PAC -> PNS)
    PPTP_INCOMING_CALL_REQUEST = 9,    //!< Incoming-Call-Request (PAC -> PNS)
    PPTP_INCOMING_CALL_REPLY = 10,     //!< Incoming-Call-Reply (PNS -> PAC)
    PPTP_INCOMING_CALL_CONNECTED = 11, //!< Incoming-Call-Connected (PAC -> PNS)
    PPTP_CALL_CLEAR_REQUEST = 12,      //!< Call-Clear-Request (PNS -> PAC)
    PPTP_CALL_DISCONNECT_NOTIFY = 13,  //!< Call-Disconnect-Notify (PAC -> PNS)
    PPTP_WAN_ERROR_NOTIFY = 14,        //!< WAN-Error-Notify (PAC -> PNS)
    PPTP_SET_LINK_INFO = 15,           //!< Set-Link-Info
};

/// \ingroup fortigate
/// \return the RFC 2637 name of control message type \p type ("Outgoing-Call-Request"), or
///         "unknown"
const char* PptpMessageName(uint16_t type);

/// \ingroup fortigate
/// \return the size RFC 2637 fixes for control message type \p type (Length field), or 0 when
///         \p type is not 1..15
uint16_t PptpMessageSize(uint16_t type);

/**
 * \ingroup fortigate
 * One PPTP control message (RFC 2637 §2), parsed from or to be written as bytes.
 *
 * Every field of every message type is here; a field a type does not carry stays 0 / empty and
 * is neither read nor written. Byte offsets below count from the start of the message.
 *
 * The Call IDs, which a NAT rewrites:
 * | type | Call ID (own) | Peer's Call ID |
 * |---|---|---|
 * | 7 Outgoing-Call-Request | 12-13 | |
 * | 8 Outgoing-Call-Reply | 12-13 | 14-15 |
 * | 9 Incoming-Call-Request | 12-13 | |
 * | 10 Incoming-Call-Reply | 12-13 | 14-15 |
 * | 11 Incoming-Call-Connected | | 12-13 |
 * | 12 Call-Clear-Request | 12-13 | |
 * | 13 Call-Disconnect-Notify | 12-13 | |
 * | 14 WAN-Error-Notify | | 12-13 |
 * | 15 Set-Link-Info | | 12-13 |
 *
 * Pure C++ (no ns-3 types): the PPTP session helper, the PPTP applications, the tests and the
 * offline replay tool share it.
 */
struct PptpMessage
{
    uint16_t type{0};      //!< control message type (PptpControlType)
    uint16_t length{0};    //!< Length field (parsed) / written from the type
    std::size_t offset{0}; //!< where the message starts in the parsed buffer
    uint16_t reserved0{0}; //!< bytes 10-11 (should be 0; kept as read)
    uint16_t reserved1{0}; //!< bytes 14-15 of types 1, 3, 4, 11, 12, 14, 15 (kept as read)

    // Start-Control-Connection-Request/Reply (1, 2)
    uint16_t protocolVersion{0x0100}; //!< bytes 12-13 (1.0 = 0x0100)
    uint32_t framingCapabilities{0};  //!< bytes 16-19
    uint32_t bearerCapabilities{0};   //!< bytes 20-23
    uint16_t maxChannels{0};          //!< bytes 24-25
    uint16_t firmwareRevision{0};     //!< bytes 26-27
    std::string hostName;             //!< bytes 28-91 (NUL padded)
    std::string vendor;               //!< bytes 92-155 (NUL padded)

    // Results (2: 14/15, 4: 12/13, 6: 16/17, 8: 16/17, 10: 16/17, 13: 14/15)
    uint8_t resultCode{0}; //!< Result Code
    uint8_t errorCode{0};  //!< Error Code
    uint16_t causeCode{0}; //!< Cause Code (8: 18-19, 13: 16-17)

    uint8_t reason{0};      //!< Stop-Control-Connection-Request (3): byte 12
    uint32_t identifier{0}; //!< Echo-Request/Reply (5, 6): bytes 12-15

    // Calls
    uint16_t callId{0};            //!< own Call ID (7, 8, 9, 10, 12, 13): bytes 12-13
    uint16_t peerCallId{0};        //!< Peer's Call ID (8, 10: 14-15; 11, 14, 15: 12-13)
    uint16_t callSerial{0};        //!< Call Serial Number (7, 9): bytes 14-15
    uint32_t minBps{0};            //!< 7: bytes 16-19
    uint32_t maxBps{0};            //!< 7: bytes 20-23
    uint32_t bearerType{0};        //!< 7: 24-27; 9: 16-19 (Call Bearer Type)
    uint32_t framingType{0};       //!< 7: 28-31; 11: 24-27
    uint16_t recvWindow{0};        //!< Packet Recv. Window Size (7: 32-33, 8: 24-25, 10: 18-19,
                                   //!< 11: 20-21)
    uint16_t processingDelay{0};   //!< Packet Processing / Transmit Delay (7: 34-35, 8: 26-27,
                                   //!< 10: 20-21, 11: 22-23)
    std::string phoneNumber;       //!< 7: 40-103 (length at 36-37); 9: dialed number 28-91
    std::string dialingNumber;     //!< 9: dialing number 92-155
    std::string subaddress;        //!< 7: 104-167; 9: 156-219
    uint32_t connectSpeed{0};      //!< 8: 20-23; 11: 16-19
    uint32_t physicalChannelId{0}; //!< 8: 28-31; 9: 20-23
    std::string callStatistics;    //!< 13: 20-147
    uint32_t errors[6]{};          //!< 14: CRC, framing, hardware overrun, buffer overrun,
                                   //!< time-out, alignment errors (16-39)
    uint32_t sendAccm{0};          //!< 15: 16-19
    uint32_t recvAccm{0};          //!< 15: 20-23

    /// \return true when the type carries its own Call ID (bytes 12-13)
    bool HasCallId() const;
    /// \return true when the type carries a Peer's Call ID
    bool HasPeerCallId() const;
    /// \return offset of the Peer's Call ID from the message start (14 or 12; 0 when absent)
    std::size_t PeerCallIdOffset() const;
    /// Offset of the own Call ID from the message start.
    static constexpr std::size_t CALL_ID_OFFSET = 12;
};

/**
 * \ingroup fortigate
 * What ParsePptpMessages found in a run of bytes.
 */
struct PptpParseResult
{
    /// How the bytes ended.
    enum Status
    {
        OK,         //!< the bytes held whole messages only
        INCOMPLETE, //!< the last message continues past the end (a split message)
        MALFORMED,  //!< a message is not PPTP or its Length lies (parsing stopped there)
    };

    Status status{OK};                 //!< outcome
    std::vector<PptpMessage> messages; //!< valid complete messages before any problem, in order
    std::size_t consumed{0};           //!< bytes those messages cover
    uint16_t pendingLength{0}; //!< INCOMPLETE: Length of the split message (0 when cut before it)
    std::string error;         //!< MALFORMED: why, with the byte offset
};

/**
 * \ingroup fortigate
 * Parse the PPTP control messages in \p len bytes (one TCP segment: several messages may
 * follow each other). Each message must have Length >= 12, PPTP Message Type 1 (control), the
 * magic cookie 0x1A2B3C4D, a control message type 1..15 and exactly the Length RFC 2637 gives
 * that type: anything else is MALFORMED (a Length that lies about the message is never
 * trusted). Never reads past \p len.
 */
PptpParseResult ParsePptpMessages(const uint8_t* data, std::size_t len);

/**
 * \ingroup fortigate
 * Parse exactly one message from \p data.
 * \return true when the bytes are one valid message (extra bytes after it are not an error);
 *         otherwise \p error says why
 */
bool ParsePptpMessage(const uint8_t* data,
                      std::size_t len,
                      PptpMessage& out,
                      std::string* error = nullptr);

/**
 * \ingroup fortigate
 * \return the bytes of \p m (header with the magic cookie, Length = PptpMessageSize(m.type));
 *         empty when the type is not 1..15. Strings longer than their field are cut.
 */
std::vector<uint8_t> SerializePptpMessage(const PptpMessage& m);

/// \ingroup fortigate
/// \return a message of type \p type with the other fields zero
PptpMessage MakePptpMessage(uint16_t type);

} // namespace ns3

#endif // FORTIGATE_PPTP_PARSER_H
