/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_USER_AGENT_UTIL_H
#define FORTIGATE_SIP_USER_AGENT_UTIL_H

// Internal to SipUserAgent (sip-user-agent.cc, sip-user-agent-calls.cc): small helpers. Not
// installed.

#include "ns3/sdp-message.h"
#include "ns3/sip-message.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

namespace ns3
{
namespace sipua
{

inline std::string
HeaderValue(const SipMessage& m, SipHeaderId id)
{
    const SipHeader* h = m.FindHeader(id);
    return h ? std::string(h->value) : std::string();
}

/// A From/To value without its tag parameter.
inline std::string
StripTag(const std::string& value)
{
    std::string lower = value;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    // only look after the closing '>' (a tag inside the URI is a URI parameter)
    std::size_t from = lower.find('>');
    std::size_t p = lower.find(";tag=", from == std::string::npos ? 0 : from);
    if (p == std::string::npos)
    {
        return value;
    }
    std::size_t e = value.find(';', p + 1);
    return value.substr(0, p) + (e == std::string::npos ? "" : value.substr(e));
}

inline std::string
Hex(uint64_t v, int digits)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%0*llx", digits, static_cast<unsigned long long>(v));
    return buf;
}

/// Whether a direction lets this end send / receive.
inline bool
DirSends(SdpDirection d)
{
    return d == SdpDirection::SENDRECV || d == SdpDirection::SENDONLY;
}

inline bool
DirReceives(SdpDirection d)
{
    return d == SdpDirection::SENDRECV || d == SdpDirection::RECVONLY;
}

inline SdpDirection
MakeDir(bool send, bool recv)
{
    if (send && recv)
    {
        return SdpDirection::SENDRECV;
    }
    if (send)
    {
        return SdpDirection::SENDONLY;
    }
    if (recv)
    {
        return SdpDirection::RECVONLY;
    }
    return SdpDirection::INACTIVE;
}

inline std::string
ServerKey(const SipMessage& msg)
{
    std::string branch(msg.vias.empty() ? std::string_view() : msg.vias[0].branch);
    if (branch.empty())
    {
        branch = std::string(msg.callId) + "/" + std::to_string(msg.cseq);
    }
    SipMethod m = msg.methodId == SipMethod::ACK ? SipMethod::INVITE : msg.methodId;
    return branch + "|" + std::string(m == SipMethod::UNKNOWN ? msg.method : SipMethodName(m));
}

inline std::string
ClientKey(std::string_view branch, SipMethod m)
{
    return std::string(branch) + "|" + SipMethodName(m);
}

} // namespace sipua
} // namespace ns3

#endif // FORTIGATE_SIP_USER_AGENT_UTIL_H
