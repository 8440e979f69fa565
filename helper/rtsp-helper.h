/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RTSP_HELPER_H
#define FORTIGATE_RTSP_HELPER_H

#include "fortigate-app-helper.h"

#include "ns3/ipv4-address.h"
#include "ns3/rtsp-client.h"
#include "ns3/rtsp-parser.h"
#include "ns3/rtsp-server.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs RtspServer applications. Attributes: Port, ServerPort, PacketInterval, PayloadSize,
 * StreamDuration, RtcpInterval, PayloadType, ClockRate, Path, AnnounceSource.
 *
 * \code
 *   RtspServerHelper server;                                   // TCP 554
 *   server.SetAttribute("StreamDuration", TimeValue(Seconds(5)));
 *   server.SetAttribute("PacketInterval", TimeValue(MilliSeconds(20)));
 *   ApplicationContainer apps = server.Install(serverNode);
 * \endcode
 */
class RtspServerHelper : public FortiGateAppHelper<RtspServer>
{
  public:
    /// \param port the RTSP port the servers listen on
    explicit RtspServerHelper(uint16_t port = RTSP_DEFAULT_PORT);
};

/**
 * \ingroup fortigate
 * Installs RtspClient applications (one presentation played per start). Attributes:
 * RemoteAddress, RemotePort, Path, ClientPort, PlayDuration, Teardown, Play, Timeout.
 *
 * \code
 *   RtspClientHelper client(serverAddress);
 *   client.SetAttribute("ClientPort", UintegerValue(5000));
 *   client.SetAttribute("PlayDuration", TimeValue(Seconds(3)));
 *   ApplicationContainer apps = client.Install(clientNode);
 *   apps.Start(Seconds(1));
 * \endcode
 */
class RtspClientHelper : public FortiGateAppHelper<RtspClient>
{
  public:
    /**
     * \param server the server's address
     * \param port its RTSP port
     */
    explicit RtspClientHelper(Ipv4Address server, uint16_t port = RTSP_DEFAULT_PORT);
};

} // namespace ns3

#endif // FORTIGATE_RTSP_HELPER_H
