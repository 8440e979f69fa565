/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PPTP_HELPER_H
#define FORTIGATE_PPTP_HELPER_H

#include "fortigate-app-helper.h"

#include "ns3/ipv4-address.h"
#include "ns3/pptp-client.h"
#include "ns3/pptp-server.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs PptpServer applications. Attributes: Port, FirstCallId, PacketSize, DataRate,
 * RefuseCalls, DisconnectNamesPeer.
 *
 * \code
 *   PptpServerHelper server;                          // TCP 1723
 *   server.SetAttribute("DataRate", DataRateValue(DataRate("2Mbps")));
 *   ApplicationContainer apps = server.Install(serverNode);
 *   apps.Start(Seconds(0));
 * \endcode
 */
class PptpServerHelper : public FortiGateAppHelper<PptpServer>
{
  public:
    /// \param port the control port the servers listen on
    explicit PptpServerHelper(uint16_t port = PPTP_CONTROL_PORT);
};

/**
 * \ingroup fortigate
 * Installs PptpClient applications (one call per start). Attributes: RemoteAddress, RemotePort,
 * CallId, CallSerial, PacketSize, DataRate, CallDuration, Teardown, LingerTime, ReplyTimeout.
 *
 * \code
 *   PptpClientHelper client(serverAddress);
 *   client.SetAttribute("CallId", UintegerValue(1));
 *   client.SetAttribute("CallDuration", TimeValue(Seconds(10)));
 *   ApplicationContainer apps = client.Install(clientNodes);
 *   apps.Start(Seconds(1));
 * \endcode
 */
class PptpClientHelper : public FortiGateAppHelper<PptpClient>
{
  public:
    /**
     * \param server the server's address
     * \param port the server's control port
     */
    explicit PptpClientHelper(Ipv4Address server, uint16_t port = PPTP_CONTROL_PORT);
};

} // namespace ns3

#endif // FORTIGATE_PPTP_HELPER_H
