/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The reason phrases of SIP (RFC 3261 §21) and RTSP (RFC 2326 §7.1.1) status codes: one table
 * for both protocols, which share most codes and differ in a few phrases (408, 500). Pure, no
 * ns-3 types.
 */
#ifndef FORTIGATE_REASON_PHRASE_H
#define FORTIGATE_REASON_PHRASE_H

#include <cstdint>

namespace ns3
{

/// \ingroup fortigate
/// The protocols whose status lines ReasonPhrase() knows.
enum class StatusProtocol : uint8_t
{
    SIP = 1,  //!< RFC 3261
    RTSP = 2, //!< RFC 2326
};

/**
 * \ingroup fortigate
 * \param protocol SIP or RTSP
 * \param code status code (100 to 699)
 * \return the RFC reason phrase of \p code ("OK", "Ringing", "Session Not Found", ...), or
 *         "Unknown" for a code the protocol does not define here
 */
const char* ReasonPhrase(StatusProtocol protocol, uint32_t code);

} // namespace ns3

#endif // FORTIGATE_REASON_PHRASE_H
