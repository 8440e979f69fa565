/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_CALL_RECORD_H
#define FORTIGATE_SIP_CALL_RECORD_H

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/rtp-stream.h"

#include <cstdint>
#include <string>

namespace ns3
{

/// \ingroup fortigate
/// State of a call in SipUserAgent (UAC and UAS).
enum SipCallState
{
    SIP_CALL_IDLE,        //!< scheduled, INVITE not sent yet
    SIP_CALL_CALLING,     //!< UAC: INVITE sent, no response yet
    SIP_CALL_PROCEEDING,  //!< UAC: 100 received; UAS: INVITE received, 100 sent
    SIP_CALL_RINGING,     //!< 180/183 received (UAC) or sent (UAS)
    SIP_CALL_ANSWERED,    //!< UAS: 200 sent, waiting for the ACK
    SIP_CALL_CONFIRMED,   //!< ACK sent (UAC) or received (UAS): media flows
    SIP_CALL_TERMINATING, //!< BYE sent, waiting for its response
    SIP_CALL_TERMINATED,  //!< ended after being established (BYE)
    SIP_CALL_CANCELLED,   //!< ended before answer by CANCEL (487)
    SIP_CALL_FAILED       //!< ended before answer otherwise (error response, timeout)
};

/// \return "idle", "calling", "proceeding", "ringing", "answered", "confirmed",
///         "terminating", "terminated", "cancelled", "failed"
const char* SipCallStateName(SipCallState s);

/// \ingroup fortigate
/// Whether audio flowed, seen from one end of a call.
enum SipAudioVerdict
{
    SIP_AUDIO_NOT_CONNECTED, //!< the call never reached the answered state
    SIP_AUDIO_NONE,          //!< answered, but no media either way
    SIP_AUDIO_TWO_WAY,       //!< both ways
    SIP_AUDIO_ONE_WAY_IN,    //!< only the peer's audio arrives here (the peer hears nothing)
    SIP_AUDIO_ONE_WAY_OUT    //!< only our audio reaches the peer (we hear nothing)
};

/// \return "not connected", "none", "two-way", "one-way (peer->local only)",
///         "one-way (local->peer only)"
const char* SipAudioVerdictName(SipAudioVerdict v);

/**
 * \ingroup fortigate
 * Everything one SipUserAgent knows about one call. Times are zero when the event did not
 * happen.
 */
struct SipCallRecord
{
    uint32_t index{0};                 //!< index in the user agent's call list
    bool outgoing{true};               //!< this end sent the INVITE
    std::string target;                //!< UAC: the Call() target as given
    std::string callId;                //!< Call-ID ("" until the INVITE)
    std::string localUri;              //!< our AOR (From for UAC, To for UAS)
    std::string remoteUri;             //!< the peer's URI (To for UAC, From for UAS)
    std::string remoteContact;         //!< the peer's Contact URI (remote target)
    SipCallState state{SIP_CALL_IDLE}; //!< current state

    Time scheduled;          //!< UAC: when Call() asked the INVITE to go out
    Time inviteSent;         //!< UAC: first INVITE transmission; UAS: INVITE arrival
    Time firstResponse;      //!< UAC: first response of any kind
    Time ringing;            //!< 180/183 received (UAC) or sent (UAS)
    Time answered;           //!< UAC: 200 received; UAS: 200 sent
    Time confirmed;          //!< ACK sent (UAC) or received (UAS)
    Time ended;              //!< BYE sent/received, CANCEL, failure
    uint32_t finalStatus{0}; //!< final response code of the INVITE (0 when none)
    std::string endReason;   //!< e.g. "BYE sent", "BYE received", "cancelled", "486 Busy Here"
    uint32_t inviteTransmissions{0}; //!< UAC: INVITE copies sent (1 + retransmissions)
    uint32_t reInvites{0};           //!< re-INVITEs completed (sent or received)
    bool onHold{false};              //!< our last offer/answer put the media on hold

    Ipv4Address localMediaAddress;  //!< c= we wrote
    uint16_t localRtpPort{0};       //!< m= port we wrote (the RtpStream's local port)
    Ipv4Address remoteMediaAddress; //!< c= the peer wrote (as received)
    uint16_t remoteRtpPort{0};      //!< m= port the peer wrote
    uint16_t remoteRtcpPort{0};     //!< RTCP port of the peer (a=rtcp or m= + 1)
    std::string remoteDirection;    //!< the peer's last media direction ("sendrecv", ...)

    RtpStreamStats rtp; //!< the call's RTP counters (live while the call runs)

    /// \return answered - inviteSent for an answered outgoing call, zero otherwise
    Time SetupDelay() const;
    /// \return true once the call was answered
    bool WasAnswered() const;
    /// \return RTP packets this end sent
    uint64_t PacketsSent() const;
    /// \return RTP packets this end received
    uint64_t PacketsReceived() const;
    /**
     * The verdict from this end only: we heard the peer when RTP arrived; the peer heard us
     * when its RTCP report block about our SSRC says so (RTCP from the peer that never arrives
     * counts as "the peer heard nothing"). With both ends in the simulation, prefer
     * SipCombinedVerdict().
     */
    SipAudioVerdict Verdict() const;
    /// \return one line: target, state, setup delay, packets each way, verdict
    std::string Summary() const;
};

/**
 * \ingroup fortigate
 * The verdict of a call from both ends' records, seen from \p a: audio a->b flowed when b
 * received RTP, b->a when a received RTP.
 * \return SIP_AUDIO_NOT_CONNECTED unless both records were answered
 */
SipAudioVerdict SipCombinedVerdict(const SipCallRecord& a, const SipCallRecord& b);

/// \ingroup fortigate
/// Registration state of a SipUserAgent.
enum SipRegistrationState
{
    SIP_REG_NONE,        //!< not registering (no registrar or Register false)
    SIP_REG_REGISTERING, //!< first REGISTER sent, no final response yet
    SIP_REG_REGISTERED,  //!< a 200 OK arrived and the binding has not expired
    SIP_REG_FAILED       //!< the last REGISTER failed (error response or timeout)
};

/// \return "none", "registering", "registered", "failed"
const char* SipRegistrationStateName(SipRegistrationState s);

/**
 * \ingroup fortigate
 * What a SipUserAgent knows about its registration.
 */
struct SipRegistrationInfo
{
    SipRegistrationState state{SIP_REG_NONE}; //!< current state
    Time firstRequest;                        //!< first REGISTER sent
    Time firstSuccess;                        //!< first 200 OK
    Time lastSuccess;                         //!< last 200 OK
    Time registrationDelay;                   //!< first REGISTER to first 200 OK
    Time expiresAt;                //!< when the current binding ends (lastSuccess + granted)
    uint32_t grantedExpires{0};    //!< expiry the registrar granted (seconds)
    uint32_t requests{0};          //!< REGISTER transactions started (first + refreshes + retries)
    uint32_t transmissions{0};     //!< REGISTER copies sent (with retransmissions)
    uint32_t successes{0};         //!< 200 OK responses
    uint32_t failures{0};          //!< failed transactions
    std::string lastFailure;       //!< e.g. "timeout (no response to REGISTER)", "403 Forbidden"
    std::string registeredContact; //!< the Contact the registrar echoed in its last 200
};

} // namespace ns3

#endif // FORTIGATE_SIP_CALL_RECORD_H
