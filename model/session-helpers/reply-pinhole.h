/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_REPLY_PINHOLE_H
#define FORTIGATE_REPLY_PINHOLE_H

#include "session-helper.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * The pinhole a server's answer announces to its client (portmapper GETPORT/GETADDR, DCE-RPC
 * ept_map, TNS REDIRECT): the client will connect to \p announcedIp:\p port.
 */
struct AnnouncedPinhole
{
    uint32_t publicIp{0}; //!< the address the client must be told (rewrite when it differs)
    bool opened{false};   //!< the pinhole was opened
};

/**
 * \ingroup fortigate
 * Open the pinhole for the connection the server's answer (this packet, REPLY direction)
 * announces: from the client (as its packets arrive) to \p announcedIp:\p port over \p proto.
 * When \p announcedIp is 0 or the server's own address, the client reaches it at the address
 * it already uses (a VIP's external address when the server sits behind one): the pinhole
 * then translates to the server's real address. A client whose session is source-NATed gets
 * the same translation for the new connection. Its child session gets helper \p childHelper.
 */
AnnouncedPinhole OpenAnnouncedPinhole(HelperContext& ctx,
                                      uint8_t proto,
                                      uint32_t announcedIp,
                                      uint16_t port,
                                      uint32_t timeoutSec,
                                      const std::string& helper,
                                      uint8_t childHelper = 0);

} // namespace ns3

#endif // FORTIGATE_REPLY_PINHOLE_H
