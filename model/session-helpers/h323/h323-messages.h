/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_H323_MESSAGES_H
#define FORTIGATE_H323_MESSAGES_H

#include "h323-asn1.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup fortigate
/// H.323 well-known ports.
constexpr uint16_t H323_Q931_PORT = 1720;
/// \ingroup fortigate
constexpr uint16_t H323_RAS_PORT = 1719;

/// \ingroup fortigate
/// One IPv4 transport address found in a message (offsets into the decoded buffer).
struct H323Address
{
    uint8_t role{0};           //!< H323Role
    uint32_t ip{0};            //!< address
    uint16_t port{0};          //!< port
    std::size_t ipOffset{0};   //!< offset of the 4 address octets
    std::size_t portOffset{0}; //!< offset of the 2 port octets
};

/// \ingroup fortigate
/// What the PER decoding of one message found. Fixed-size: no allocation.
struct H323Decoded
{
    static constexpr std::size_t MAX_ADDRESSES = 32; //!< addresses kept

    PerResult result{PerResult::MALFORMED}; //!< outcome
    int32_t type{-1};    //!< first CHOICE index (RAS message, H.245 request/response)
    int32_t subtype{-1}; //!< second CHOICE index (UUIE body, H.245 message)
    H323Address addresses[MAX_ADDRESSES]; //!< the IPv4 addresses, in message order
    uint8_t count{0};                     //!< how many
    bool overflow{false};                 //!< more than MAX_ADDRESSES were found

    /// \return true when the decoding is usable (OK or STOPPED)
    bool Usable() const
    {
        return result == PerResult::OK || result == PerResult::STOPPED;
    }

    /// \return the number of addresses of role \p role
    std::size_t CountRole(uint8_t role) const;
};

/// \ingroup fortigate
/// RasMessage CHOICE indexes used here.
enum H225RasType : int32_t
{
    RAS_GRQ = 0,
    RAS_GCF = 1,
    RAS_GRJ = 2,
    RAS_RRQ = 3,
    RAS_RCF = 4,
    RAS_RRJ = 5,
    RAS_URQ = 6,
    RAS_ARQ = 9,
    RAS_ACF = 10,
    RAS_ARJ = 11,
    RAS_DRQ = 15,
    RAS_LRQ = 18,
    RAS_LCF = 19,
};

/// \ingroup fortigate
/// \return the RAS message name of CHOICE index \p type (e.g. "GCF")
std::string H225RasName(int32_t type);

/// \ingroup fortigate
/// Decode a RAS message (a UDP payload).
H323Decoded DecodeRas(const uint8_t* data, std::size_t len);

/// \ingroup fortigate
/// Decode an H.245 MultimediaSystemControlMessage in bytes [\p begin, \p end) of \p data.
H323Decoded DecodeH245(const uint8_t* data, std::size_t begin, std::size_t end);

/// \ingroup fortigate
/// Q.931 message types of H.225.0 call signalling.
enum Q931Type : uint8_t
{
    Q931_ALERTING = 0x01,
    Q931_CALL_PROCEEDING = 0x02,
    Q931_PROGRESS = 0x03,
    Q931_SETUP = 0x05,
    Q931_CONNECT = 0x07,
    Q931_RELEASE_COMPLETE = 0x5a,
    Q931_FACILITY = 0x62,
    Q931_STATUS = 0x7d,
};

/// \ingroup fortigate
/// \return the name of Q.931 message type \p t ("Setup", ...)
std::string Q931Name(uint8_t t);

/// \ingroup fortigate
/// How a TPKT (RFC 1006) frame at the start of a byte range stands.
enum class TpktState : uint8_t
{
    COMPLETE,   //!< a whole frame is there
    INCOMPLETE, //!< a frame starts but continues past the range (or the header is cut)
    MALFORMED,  //!< not a TPKT header (version 3, reserved 0, length >= 4)
};

/**
 * \ingroup fortigate
 * Look at the TPKT frame at \p data. \p frameLen gets its length (header included) when the
 * header is readable.
 */
TpktState ReadTpkt(const uint8_t* data, std::size_t len, std::size_t& frameLen);

/// \ingroup fortigate
/// One Q.931 message carried in a TPKT frame.
struct Q931Message
{
    uint8_t type{0};           //!< Q931Type
    uint16_t callReference{0}; //!< call reference value (flag bit included)
    bool hasUuie{false};       //!< a user-user IE with protocol discriminator 5 was found
    std::size_t uuieOffset{0}; //!< offset of the H323-UserInformation PER bytes
    std::size_t uuieLength{0}; //!< their length
    H323Decoded uuie;          //!< their decoding
};

/**
 * \ingroup fortigate
 * Parse the Q.931 message in the TPKT frame \p frame (\p len = the whole frame, header
 * included) and decode its H.225.0 UUIE. Offsets are from \p frame. \return false when the
 * Q.931 framing is broken (bad discriminator, an information element running past the frame)
 */
bool ParseQ931(const uint8_t* frame, std::size_t len, Q931Message& out);

/// \ingroup fortigate
/// An IPv4 transport address for the encoders.
struct H323Endpoint
{
    uint32_t ip{0};   //!< address
    uint16_t port{0}; //!< port
};

/// \ingroup fortigate
/// What an OpenLogicalChannel (or its Ack) announces: an audio channel's addresses.
struct H245Channel
{
    uint16_t number{1};   //!< logical channel number
    uint8_t sessionId{1}; //!< RTP session (1: audio)
    H323Endpoint rtp;     //!< mediaChannel (port 0: absent)
    H323Endpoint rtcp;    //!< mediaControlChannel (port 0: absent)
    bool reverse{false};  //!< OLC: the addresses go in reverseLogicalChannelParameters
};

/// \ingroup fortigate
/// \return an OpenLogicalChannel (G.711 u-law audio; a fastStart element)
std::vector<uint8_t> EncodeOpenLogicalChannel(const H245Channel& ch);

/// \ingroup fortigate
/// \return an H.245 request carrying the OpenLogicalChannel of \p ch
std::vector<uint8_t> EncodeH245Olc(const H245Channel& ch);

/// \ingroup fortigate
/// \return an H.245 response OpenLogicalChannelAck for \p ch (its rtp/rtcp: the acker's)
std::vector<uint8_t> EncodeH245OlcAck(const H245Channel& ch);

/// \ingroup fortigate
/// The H.225.0 part of a call-signalling message the encoder writes.
struct H225Uuie
{
    uint8_t q931Type{Q931_SETUP};                //!< which message (Setup, CallProceeding, ...)
    H323Endpoint h245;                           //!< h245Address (port 0: absent)
    H323Endpoint sourceCsa;                      //!< Setup sourceCallSignalAddress (port 0: absent)
    H323Endpoint destCsa;                        //!< Setup destCallSignalAddress (port 0: absent)
    H323Endpoint alternative;                    //!< Facility alternativeAddress (port 0: absent)
    std::vector<std::vector<uint8_t>> fastStart; //!< OpenLogicalChannel encodings
    std::vector<std::vector<uint8_t>> h245Control; //!< tunnelled H.245 messages
    uint8_t conferenceId[16]{};                    //!< conference and call identifier
};

/// \ingroup fortigate
/// \return the H323-UserInformation PER encoding of \p u
std::vector<uint8_t> EncodeUuie(const H225Uuie& u);

/// \ingroup fortigate
/// \return a TPKT frame holding a Q.931 message of \p u's type with \p u as user-user IE
std::vector<uint8_t> EncodeQ931(const H225Uuie& u, uint16_t callReference);

/// \ingroup fortigate
/// \return \p payload in a TPKT frame
std::vector<uint8_t> EncodeTpkt(const std::vector<uint8_t>& payload);

/// \ingroup fortigate
/// The RAS message the encoder writes.
struct H225Ras
{
    int32_t type{RAS_GRQ};   //!< GRQ, GCF, RRQ, RCF, ARQ, ACF, LRQ, LCF
    uint16_t seq{1};         //!< requestSeqNum
    H323Endpoint ras;        //!< rasAddress (GRQ, GCF, RRQ, LCF)
    H323Endpoint callSignal; //!< callSignalAddress (RRQ, RCF, LCF) / ACF, ARQ dest
    H323Endpoint reply;      //!< LRQ replyAddress
    std::vector<H323Endpoint> alternateGatekeepers; //!< GCF/RCF alternateGatekeeper
    std::string alias{"ep"}; //!< the endpoint's h323-ID (RRQ, ARQ, LRQ destination)
};

/// \ingroup fortigate
/// \return the RasMessage PER encoding of \p m
std::vector<uint8_t> EncodeRas(const H225Ras& m);

/**
 * \ingroup fortigate
 * Fuzzing entry point (libFuzzer's LLVMFuzzerTestOneInput body): runs the RAS, TPKT/Q.931
 * and H.245 decoders over \p data. \return 0
 */
int FuzzH323(const uint8_t* data, std::size_t len);

} // namespace ns3

#endif // FORTIGATE_H323_MESSAGES_H
