/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FTP_HELPER_H
#define FORTIGATE_FTP_HELPER_H

#include "ns3/application-container.h"
#include "ns3/ftp-client.h"
#include "ns3/ftp-server.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs FtpServer applications.
 *
 * \code
 *   FtpServerHelper server;                 // TCP 21
 *   server.AddFile("report.pdf", 250000);   // besides the generated file-<n> names
 *   ApplicationContainer apps = server.Install(serverNode);
 *   apps.Start(Seconds(0));
 * \endcode
 */
class FtpServerHelper
{
public:
    /**
     * \param port the control port the servers listen on
     */
    explicit FtpServerHelper(uint16_t port = FTP_CONTROL_PORT);

    /**
     * Set an attribute of every server this helper creates (Port, DataPort, CheckDataAddress,
     * Greeting).
     * \param name attribute name
     * \param value attribute value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Add a retrievable file to every server installed afterwards (FtpServer::AddFile).
     * Throws ConfigError on a bad name.
     */
    void AddFile(const std::string& name, uint64_t size);

    /// \return one server on \p node
    ApplicationContainer Install(Ptr<Node> node) const;
    /// \return one server on the node named \p nodeName
    ApplicationContainer Install(const std::string& nodeName) const;
    /// \return one server on each node of \p c
    ApplicationContainer Install(NodeContainer c) const;

private:
    ObjectFactory m_factory;                               //!< creates the servers
    std::vector<std::pair<std::string, uint64_t>> m_files; //!< AddFile() entries
};

/**
 * \ingroup fortigate
 * Installs FtpClient applications (one transfer per start).
 *
 * \code
 *   FtpClientHelper client(serverAddress);
 *   client.SetAttribute("Mode", EnumValue(FtpClient::ACTIVE));
 *   client.SetAttribute("UseExtended", BooleanValue(true));   // EPRT instead of PORT
 *   client.SetAttribute("Command", EnumValue(FtpClient::STOR));
 *   client.SetAttribute("FileSize", UintegerValue(1048576));
 *   ApplicationContainer apps = client.Install(clientNode);
 *   apps.Start(Seconds(1));
 * \endcode
 */
class FtpClientHelper
{
public:
    /**
     * \param server the server's address
     * \param port the server's control port
     */
    explicit FtpClientHelper(Ipv4Address server, uint16_t port = FTP_CONTROL_PORT);

    /**
     * Set an attribute of every client this helper creates (RemoteAddress, RemotePort, Mode,
     * UseExtended, Command, FileSize, FileName, User, Password, Timeout).
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

#endif // FORTIGATE_FTP_HELPER_H
