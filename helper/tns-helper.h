/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TNS_HELPER_H
#define FORTIGATE_TNS_HELPER_H

#include "ns3/fortigate-app-helper.h"
#include "ns3/tns-apps.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs TnsListener applications (listener on 1521 redirecting to a dedicated port).
 *
 * \code
 *   TnsListenerHelper db(Ipv4Address("10.0.2.2"));
 *   db.Install(dbNode).Start(Seconds(0));
 * \endcode
 */
class TnsListenerHelper : public FortiGateAppHelper<TnsListener>
{
  public:
    /// \param host the HOST its REDIRECT names (usually its own address)
    /// \param dedicatedPort the dedicated server's port
    explicit TnsListenerHelper(Ipv4Address host, uint16_t dedicatedPort = 40001);
};

/**
 * \ingroup fortigate
 * Installs TnsClient applications (CONNECT, follow the REDIRECT, one DATA echo).
 */
class TnsClientHelper : public FortiGateAppHelper<TnsClient>
{
  public:
    /// \param listener the listener's address \param port its port
    explicit TnsClientHelper(const Address& listener, uint16_t port = TNS_PORT);
};

} // namespace ns3

#endif // FORTIGATE_TNS_HELPER_H
