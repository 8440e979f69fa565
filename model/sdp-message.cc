/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sdp-message.h"

namespace ns3
{

const char*
SdpDirectionName(SdpDirection d)
{
    switch (d)
    {
        case SdpDirection::SENDRECV:
            return "sendrecv";
        case SdpDirection::SENDONLY:
            return "sendonly";
        case SdpDirection::RECVONLY:
            return "recvonly";
        case SdpDirection::INACTIVE:
            return "inactive";
    }
    return "sendrecv";
}

bool
SdpMessage::HasViolation(char type) const
{
    for (const auto& v : violations)
    {
        if (v.type == type)
        {
            return true;
        }
    }
    return false;
}

const SdpAddress*
SdpMessage::ConnectionFor(std::size_t index) const
{
    if (index >= media.size())
    {
        return nullptr;
    }
    if (!media[index].connections.empty())
    {
        return &media[index].connections.front();
    }
    return connections.empty() ? nullptr : &connections.front();
}

bool
ParseSdp(const uint8_t* /*data*/, std::size_t /*len*/, SdpMessage& out, std::size_t /*baseOffset*/)
{
    out = SdpMessage();
    out.violations.push_back({'v', 0, "not implemented yet"});
    return false;
}

} // namespace ns3
