/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sip-message.h"

namespace ns3
{

// Stub: implementation follows.

SipParseStatus
ParseSipMessage(const uint8_t* /*data*/, std::size_t /*len*/, SipMessage& msg,
                const SipParseOptions& /*options*/)
{
    msg = SipMessage();
    msg.error = "not implemented yet";
    return SipParseStatus::ERROR;
}

} // namespace ns3
