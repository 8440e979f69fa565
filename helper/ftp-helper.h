/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FTP_HELPER_H
#define FORTIGATE_FTP_HELPER_H

#include "fortigate-app-helper.h"

#include "ns3/ftp-client.h"
#include "ns3/ftp-server.h"
#include "ns3/ipv4-address.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs FtpServer applications. Attributes: Port, DataPort, CheckDataAddress, Greeting.
 *
 * \code
 *   FtpServerHelper server;                 // TCP 21
 *   server.AddFile("report.pdf", 250000);   // besides the generated file-<n> names
 *   ApplicationContainer apps = server.Install(serverNode);
 *   apps.Start(Seconds(0));
 * \endcode
 */
class FtpServerHelper : public FortiGateAppHelper<FtpServer>
{
  public:
    /**
     * \param port the control port the servers listen on
     */
    explicit FtpServerHelper(uint16_t port = FTP_CONTROL_PORT);

    /**
     * Add a retrievable file to every server installed afterwards (FtpServer::AddFile).
     * Throws ConfigError on a bad name.
     */
    void AddFile(const std::string& name, uint64_t size);

  private:
    /// Adds the AddFile() entries to a new server.
    void Configure(Ptr<FtpServer> app) const override;

    std::vector<std::pair<std::string, uint64_t>> m_files; //!< AddFile() entries
};

/**
 * \ingroup fortigate
 * Installs FtpClient applications (one transfer per start). Attributes: RemoteAddress,
 * RemotePort, Mode, UseExtended, Command, FileSize, FileName, User, Password, Timeout.
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
class FtpClientHelper : public FortiGateAppHelper<FtpClient>
{
  public:
    /**
     * \param server the server's address
     * \param port the server's control port
     */
    explicit FtpClientHelper(Ipv4Address server, uint16_t port = FTP_CONTROL_PORT);
};

} // namespace ns3

#endif // FORTIGATE_FTP_HELPER_H
