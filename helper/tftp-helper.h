/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TFTP_HELPER_H
#define FORTIGATE_TFTP_HELPER_H

#include "fortigate-app-helper.h"

#include "ns3/address.h"
#include "ns3/tftp-client.h"
#include "ns3/tftp-server.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs TftpServer applications (RFC 1350 server on UDP 69).
 *
 * \code
 *   TftpServerHelper server;
 *   ApplicationContainer apps = server.Install(serverNode);
 *   apps.Start(Seconds(0));
 * \endcode
 */
class TftpServerHelper : public FortiGateAppHelper<TftpServer>
{
  public:
    /**
     * \param port the port the server listens on
     */
    explicit TftpServerHelper(uint16_t port = TFTP_PORT);
};

/**
 * \ingroup fortigate
 * Installs TftpClient applications (one RRQ or WRQ per start).
 *
 * \code
 *   TftpClientHelper client(serverAddress);
 *   client.SetAttribute("Operation", EnumValue(TftpClient::READ));
 *   client.SetAttribute("FileName", StringValue("file-100000"));
 *   ApplicationContainer apps = client.Install(clientNode);
 *   apps.Start(Seconds(1));
 * \endcode
 */
class TftpClientHelper : public FortiGateAppHelper<TftpClient>
{
  public:
    /**
     * \param server the server's address (Ipv4Address or InetSocketAddress)
     * \param port the server's port (used when \p server carries none)
     */
    explicit TftpClientHelper(const Address& server, uint16_t port = TFTP_PORT);
};

} // namespace ns3

#endif // FORTIGATE_TFTP_HELPER_H
