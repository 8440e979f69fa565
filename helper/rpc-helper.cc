/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rpc-helper.h"

#include "ns3/boolean.h"

namespace ns3
{

RpcServerHostHelper::RpcServerHostHelper(Ipv4Address host)
    : FortiGateAppHelper("RpcServerHostHelper")
{
    m_factory.Set("Host", Ipv4AddressValue(host));
}

RpcClientHelper::RpcClientHelper(const Address& server, bool dce)
    : FortiGateAppHelper("RpcClientHelper")
{
    m_factory.Set("RemoteAddress", AddressValue(server));
    m_factory.Set("Dce", BooleanValue(dce));
}

} // namespace ns3
