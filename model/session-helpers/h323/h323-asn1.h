/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_H323_ASN1_H
#define FORTIGATE_H323_ASN1_H

#include "per-decoder.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Roles of the IPv4 transport addresses the H.323 tables mark (PerField::role).
 */
enum H323Role : uint8_t
{
    H323_ROLE_NONE = 0,
    H323_H245_ADDRESS = 1,   //!< UUIE h245Address: where the sender listens for H.245
    H323_SOURCE_CSA = 2,     //!< Setup sourceCallSignalAddress, ARQ srcCallSignalAddress
    H323_DEST_CSA = 3,       //!< Setup/ARQ/ACF destCallSignalAddress
    H323_ALTERNATIVE = 4,    //!< Facility alternativeAddress
    H323_RAS_ADDRESS = 5,    //!< RAS rasAddress
    H323_CALL_SIGNAL = 6,    //!< RAS callSignalAddress (RRQ, RCF, LCF)
    H323_ALTERNATE_GK = 7,   //!< GCF/RCF alternateGatekeeper rasAddress
    H323_REPLY_ADDRESS = 8,  //!< LRQ replyAddress
    H323_MEDIA = 9,          //!< H.245 mediaChannel (RTP)
    H323_MEDIA_CONTROL = 10, //!< H.245 mediaControlChannel (RTCP)
};

/// \ingroup fortigate
/// \return the ASN.1-ish name of \p role
const char* H323RoleName(uint8_t role);

/// \ingroup fortigate
/// H.225.0 RasMessage (UDP 1719).
extern const PerType H225_RAS_MESSAGE;
/// \ingroup fortigate
/// H.225.0 H323-UserInformation (the Q.931 user-user information element).
extern const PerType H225_USER_INFORMATION;
/// \ingroup fortigate
/// H.245 MultimediaSystemControlMessage.
extern const PerType H245_MESSAGE;
/// \ingroup fortigate
/// H.245 OpenLogicalChannel (a fastStart element).
extern const PerType H245_OPEN_LOGICAL_CHANNEL;

} // namespace ns3

#endif // FORTIGATE_H323_ASN1_H
