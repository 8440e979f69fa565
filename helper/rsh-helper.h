/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RSH_HELPER_H
#define FORTIGATE_RSH_HELPER_H

#include "fortigate-app-helper.h"

#include "ns3/address.h"
#include "ns3/rsh-client.h"
#include "ns3/rsh-server.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs RshServer applications (minimal rshd on TCP 514).
 *
 * \code
 *   RshServerHelper server;
 *   ApplicationContainer apps = server.Install(serverNode);
 *   apps.Start(Seconds(0));
 * \endcode
 */
class RshServerHelper : public FortiGateAppHelper<RshServer>
{
  public:
    /**
     * \param port the port the server listens on
     */
    explicit RshServerHelper(uint16_t port = RSH_PORT);
};

/**
 * \ingroup fortigate
 * Installs RshClient applications (one command per start, with or without a stderr connection).
 *
 * \code
 *   RshClientHelper client(serverAddress);
 *   client.SetAttribute("Command", StringValue("generate 100000"));
 *   ApplicationContainer apps = client.Install(clientNode);
 *   apps.Start(Seconds(1));
 * \endcode
 */
class RshClientHelper : public FortiGateAppHelper<RshClient>
{
  public:
    /**
     * \param server the server's address (Ipv4Address or InetSocketAddress)
     * \param port the server's port (used when \p server carries none)
     */
    explicit RshClientHelper(const Address& server, uint16_t port = RSH_PORT);
};

} // namespace ns3

#endif // FORTIGATE_RSH_HELPER_H
