/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// What a SipUserAgent reports: call records, states, audio verdicts.

#include "sip-call-record.h"

#include <sstream>

namespace ns3
{

const char*
SipCallStateName(SipCallState s)
{
    switch (s)
    {
    case SIP_CALL_IDLE:
        return "idle";
    case SIP_CALL_CALLING:
        return "calling";
    case SIP_CALL_PROCEEDING:
        return "proceeding";
    case SIP_CALL_RINGING:
        return "ringing";
    case SIP_CALL_ANSWERED:
        return "answered";
    case SIP_CALL_CONFIRMED:
        return "confirmed";
    case SIP_CALL_TERMINATING:
        return "terminating";
    case SIP_CALL_TERMINATED:
        return "terminated";
    case SIP_CALL_CANCELLED:
        return "cancelled";
    case SIP_CALL_FAILED:
        return "failed";
    }
    return "?";
}

const char*
SipAudioVerdictName(SipAudioVerdict v)
{
    switch (v)
    {
    case SIP_AUDIO_NOT_CONNECTED:
        return "not connected";
    case SIP_AUDIO_NONE:
        return "none";
    case SIP_AUDIO_TWO_WAY:
        return "two-way";
    case SIP_AUDIO_ONE_WAY_IN:
        return "one-way (peer->local only)";
    case SIP_AUDIO_ONE_WAY_OUT:
        return "one-way (local->peer only)";
    }
    return "?";
}

const char*
SipRegistrationStateName(SipRegistrationState s)
{
    switch (s)
    {
    case SIP_REG_NONE:
        return "none";
    case SIP_REG_REGISTERING:
        return "registering";
    case SIP_REG_REGISTERED:
        return "registered";
    case SIP_REG_FAILED:
        return "failed";
    }
    return "?";
}

// ---------------------------------------------------------------------------------------------
// SipCallRecord

Time
SipCallRecord::SetupDelay() const
{
    if (!outgoing || answered.IsZero())
    {
        return Seconds(0);
    }
    return answered - inviteSent;
}

bool
SipCallRecord::WasAnswered() const
{
    return !answered.IsZero();
}

uint64_t
SipCallRecord::PacketsSent() const
{
    return rtp.packetsSent;
}

uint64_t
SipCallRecord::PacketsReceived() const
{
    return rtp.packetsReceived;
}

namespace
{
SipAudioVerdict
VerdictOf(bool answered, bool in, bool out)
{
    if (!answered)
    {
        return SIP_AUDIO_NOT_CONNECTED;
    }
    if (in && out)
    {
        return SIP_AUDIO_TWO_WAY;
    }
    if (in)
    {
        return SIP_AUDIO_ONE_WAY_IN;
    }
    if (out)
    {
        return SIP_AUDIO_ONE_WAY_OUT;
    }
    return SIP_AUDIO_NONE;
}
} // namespace

SipAudioVerdict
SipCallRecord::Verdict() const
{
    return VerdictOf(WasAnswered(), rtp.packetsReceived > 0, rtp.peerReportedReceived > 0);
}

SipAudioVerdict
SipCombinedVerdict(const SipCallRecord& a, const SipCallRecord& b)
{
    return VerdictOf(a.WasAnswered() && b.WasAnswered(),
                     a.rtp.packetsReceived > 0,
                     b.rtp.packetsReceived > 0);
}

std::string
SipCallRecord::Summary() const
{
    std::ostringstream os;
    os << "call " << index << (outgoing ? " to " : " from ")
       << (outgoing ? (target.empty() ? remoteUri : target) : remoteUri) << ": "
       << SipCallStateName(state);
    if (finalStatus)
    {
        os << " (" << finalStatus << ")";
    }
    if (outgoing && WasAnswered())
    {
        os << " setup " << SetupDelay().GetMilliSeconds() << " ms";
    }
    os << " rtp sent " << rtp.packetsSent << " received " << rtp.packetsReceived << " audio "
       << SipAudioVerdictName(Verdict());
    if (!endReason.empty())
    {
        os << " [" << endReason << "]";
    }
    return os.str();
}

} // namespace ns3
