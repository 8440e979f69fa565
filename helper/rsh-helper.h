/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RSH_HELPER_H
#define FORTIGATE_RSH_HELPER_H

#include "ns3/address.h"
#include "ns3/application-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/rsh-client.h"
#include "ns3/rsh-server.h"

#include <string>

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
class RshServerHelper
{
public:
    /**
     * \param port the port the server listens on
     */
    explicit RshServerHelper(uint16_t port = RSH_PORT);

    /**
     * Set an attribute of every server this helper creates.
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
 * Installs RshClient applications (one command per start, with or without a stderr connection).
 *
 * \code
 *   RshClientHelper client(serverAddress);
 *   client.SetAttribute("Command", StringValue("generate 100000"));
 *   ApplicationContainer apps = client.Install(clientNode);
 *   apps.Start(Seconds(1));
 * \endcode
 */
class RshClientHelper
{
public:
    /**
     * \param server the server's address (Ipv4Address or InetSocketAddress)
     * \param port the server's port (used when \p server carries none)
     */
    explicit RshClientHelper(const Address& server, uint16_t port = RSH_PORT);

    /**
     * Set an attribute of every client this helper creates.
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

#endif // FORTIGATE_RSH_HELPER_H
