/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RTSP_HELPER_H
#define FORTIGATE_RTSP_HELPER_H

#include "ns3/application-container.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/rtsp-client.h"
#include "ns3/rtsp-parser.h"
#include "ns3/rtsp-server.h"

#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs RtspServer applications.
 *
 * \code
 *   RtspServerHelper server;                                   // TCP 554
 *   server.SetAttribute("StreamDuration", TimeValue(Seconds(5)));
 *   server.SetAttribute("PacketInterval", TimeValue(MilliSeconds(20)));
 *   ApplicationContainer apps = server.Install(serverNode);
 * \endcode
 */
class RtspServerHelper
{
public:
    /// \param port the RTSP port the servers listen on
    explicit RtspServerHelper(uint16_t port = RTSP_DEFAULT_PORT);

    /**
     * Set an attribute of every server this helper creates (Port, ServerPort, PacketInterval,
     * PayloadSize, StreamDuration, RtcpInterval, PayloadType, ClockRate, Path,
     * AnnounceSource).
     * \param name attribute name
     * \param value attribute value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /// \return one server on \p node
    ApplicationContainer Install(Ptr<Node> node) const;
    /// \return one server on the node named \p nodeName
    ApplicationContainer Install(const std::string& nodeName) const;
    /// \return one server on each node of \p c
    ApplicationContainer Install(NodeContainer c) const;

private:
    ObjectFactory m_factory; //!< creates the servers
};

/**
 * \ingroup fortigate
 * Installs RtspClient applications (one presentation played per start).
 *
 * \code
 *   RtspClientHelper client(serverAddress);
 *   client.SetAttribute("ClientPort", UintegerValue(5000));
 *   client.SetAttribute("PlayDuration", TimeValue(Seconds(3)));
 *   ApplicationContainer apps = client.Install(clientNode);
 *   apps.Start(Seconds(1));
 * \endcode
 */
class RtspClientHelper
{
public:
    /**
     * \param server the server's address
     * \param port its RTSP port
     */
    explicit RtspClientHelper(Ipv4Address server, uint16_t port = RTSP_DEFAULT_PORT);

    /**
     * Set an attribute of every client this helper creates (RemoteAddress, RemotePort, Path,
     * ClientPort, PlayDuration, Teardown, Play, Timeout).
     * \param name attribute name
     * \param value attribute value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /// \return one client on \p node
    ApplicationContainer Install(Ptr<Node> node) const;
    /// \return one client on the node named \p nodeName
    ApplicationContainer Install(const std::string& nodeName) const;
    /// \return one client on each node of \p c
    ApplicationContainer Install(NodeContainer c) const;

private:
    ObjectFactory m_factory; //!< creates the clients
};

} // namespace ns3

#endif // FORTIGATE_RTSP_HELPER_H
