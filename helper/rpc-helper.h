/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RPC_HELPER_H
#define FORTIGATE_RPC_HELPER_H

#include "ns3/fortigate-app-helper.h"
#include "ns3/rpc-apps.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs RpcServerHost applications (portmapper, endpoint mapper, one program and one
 * interface).
 *
 * \code
 *   RpcServerHostHelper server(Ipv4Address("10.0.2.2"));
 *   server.Install(serverNode).Start(Seconds(0));
 * \endcode
 */
class RpcServerHostHelper : public FortiGateAppHelper<RpcServerHost>
{
  public:
    /// \param host the address its answers announce (usually its own)
    explicit RpcServerHostHelper(Ipv4Address host);
};

/**
 * \ingroup fortigate
 * Installs RpcClient applications.
 *
 * \code
 *   RpcClientHelper client(serverAddress, true); // DCE-RPC
 *   client.SetAttribute("UseTcp", BooleanValue(true));
 *   client.Install(clientNode).Start(Seconds(1));
 * \endcode
 */
class RpcClientHelper : public FortiGateAppHelper<RpcClient>
{
  public:
    /// \param server the server host's address \param dce DCE-RPC rather than ONC-RPC
    RpcClientHelper(const Address& server, bool dce);
};

} // namespace ns3

#endif // FORTIGATE_RPC_HELPER_H
