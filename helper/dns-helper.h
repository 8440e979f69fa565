/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_DNS_HELPER_H
#define FORTIGATE_DNS_HELPER_H

#include "ns3/dns-server.h"
#include "ns3/fortigate-app-helper.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs DnsServer applications (UDP and TCP).
 *
 * \code
 *   DnsServerHelper server("db.example.com=10.0.2.5;www.example.com=cname:db.example.com");
 *   server.Install(serverNode).Start(Seconds(0));
 * \endcode
 */
class DnsServerHelper : public FortiGateAppHelper<DnsServer>
{
  public:
    /// \param records the zone (see DnsServer's Records attribute)
    /// \param port the port
    explicit DnsServerHelper(const std::string& records, uint16_t port = DNS_PORT);
};

/**
 * \ingroup fortigate
 * Installs DnsResolver applications.
 *
 * \code
 *   DnsResolverHelper resolver(serverAddress, "www.example.com,db.example.com");
 *   resolver.SetAttribute("UseTcp", BooleanValue(true));
 *   resolver.Install(clientNode).Start(Seconds(1));
 * \endcode
 */
class DnsResolverHelper : public FortiGateAppHelper<DnsResolver>
{
  public:
    /// \param server the server's address \param names the names, comma separated
    DnsResolverHelper(const Address& server, const std::string& names);
};

} // namespace ns3

#endif // FORTIGATE_DNS_HELPER_H
