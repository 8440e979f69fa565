/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PPTP_HELPER_H
#define FORTIGATE_PPTP_HELPER_H

#include "ns3/application-container.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/pptp-client.h"
#include "ns3/pptp-server.h"

#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs PptpServer applications.
 *
 * \code
 *   PptpServerHelper server;                          // TCP 1723
 *   server.SetAttribute("DataRate", DataRateValue(DataRate("2Mbps")));
 *   ApplicationContainer apps = server.Install(serverNode);
 *   apps.Start(Seconds(0));
 * \endcode
 */
class PptpServerHelper
{
public:
    /// \param port the control port the servers listen on
    explicit PptpServerHelper(uint16_t port = PPTP_CONTROL_PORT);

    /**
     * Set an attribute of every server this helper creates (Port, FirstCallId, PacketSize,
     * DataRate, RefuseCalls, DisconnectNamesPeer).
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
 * Installs PptpClient applications (one call per start).
 *
 * \code
 *   PptpClientHelper client(serverAddress);
 *   client.SetAttribute("CallId", UintegerValue(1));
 *   client.SetAttribute("CallDuration", TimeValue(Seconds(10)));
 *   ApplicationContainer apps = client.Install(clientNodes);
 *   apps.Start(Seconds(1));
 * \endcode
 */
class PptpClientHelper
{
public:
    /**
     * \param server the server's address
     * \param port the server's control port
     */
    explicit PptpClientHelper(Ipv4Address server, uint16_t port = PPTP_CONTROL_PORT);

    /**
     * Set an attribute of every client this helper creates (RemoteAddress, RemotePort, CallId,
     * CallSerial, PacketSize, DataRate, CallDuration, Teardown, LingerTime, ReplyTimeout).
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

#endif // FORTIGATE_PPTP_HELPER_H
