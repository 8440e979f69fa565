/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "reason-phrase.h"

#include <algorithm>
#include <iterator>

namespace ns3
{

namespace
{

constexpr uint8_t S = static_cast<uint8_t>(StatusProtocol::SIP);
constexpr uint8_t R = static_cast<uint8_t>(StatusProtocol::RTSP);

/// One status code: its phrase and the protocols (bit mask) that use that phrase.
struct Reason
{
    uint16_t code;
    uint8_t protocols;
    const char* phrase;
};

/// Sorted by code, then protocol. RFC 3261 §21 (SIP), RFC 2326 §7.1.1 (RTSP).
constexpr Reason REASONS[] = {
    {100, S, "Trying"},
    {100, R, "Continue"},
    {180, S, "Ringing"},
    {181, S, "Call Is Being Forwarded"},
    {182, S, "Queued"},
    {183, S, "Session Progress"},
    {200, S | R, "OK"},
    {201, R, "Created"},
    {202, S, "Accepted"},
    {250, R, "Low on Storage Space"},
    {300, R, "Multiple Choices"},
    {301, S | R, "Moved Permanently"},
    {302, S | R, "Moved Temporarily"},
    {304, R, "Not Modified"},
    {400, S | R, "Bad Request"},
    {401, S | R, "Unauthorized"},
    {403, S | R, "Forbidden"},
    {404, S | R, "Not Found"},
    {405, S | R, "Method Not Allowed"},
    {406, R, "Not Acceptable"},
    {408, S, "Request Timeout"},
    {408, R, "Request Time-out"},
    {415, R, "Unsupported Media Type"},
    {423, S, "Interval Too Brief"},
    {451, R, "Parameter Not Understood"},
    {453, R, "Not Enough Bandwidth"},
    {454, R, "Session Not Found"},
    {455, R, "Method Not Valid in This State"},
    {457, R, "Invalid Range"},
    {459, R, "Aggregate operation not allowed"},
    {460, R, "Only aggregate operation allowed"},
    {461, R, "Unsupported transport"},
    {480, S, "Temporarily Unavailable"},
    {481, S, "Call/Transaction Does Not Exist"},
    {482, S, "Loop Detected"},
    {483, S, "Too Many Hops"},
    {486, S, "Busy Here"},
    {487, S, "Request Terminated"},
    {488, S, "Not Acceptable Here"},
    {491, S, "Request Pending"},
    {500, S, "Server Internal Error"},
    {500, R, "Internal Server Error"},
    {501, S | R, "Not Implemented"},
    {503, S | R, "Service Unavailable"},
    {505, R, "RTSP Version not supported"},
    {551, R, "Option not supported"},
    {603, S, "Decline"},
};

} // namespace

const char*
ReasonPhrase(StatusProtocol protocol, uint32_t code)
{
    const auto* it = std::lower_bound(std::begin(REASONS),
                                      std::end(REASONS),
                                      code,
                                      [](const Reason& r, uint32_t c) { return r.code < c; });
    for (; it != std::end(REASONS) && it->code == code; ++it)
    {
        if (it->protocols & static_cast<uint8_t>(protocol))
        {
            return it->phrase;
        }
    }
    return "Unknown";
}

} // namespace ns3
