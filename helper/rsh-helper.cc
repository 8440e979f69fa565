/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rsh-helper.h"

#include "ns3/uinteger.h"

namespace ns3
{

RshServerHelper::RshServerHelper(uint16_t port)
    : FortiGateAppHelper("RshServerHelper")
{
    m_factory.Set("Port", UintegerValue(port));
}

RshClientHelper::RshClientHelper(const Address& server, uint16_t port)
    : FortiGateAppHelper("RshClientHelper")
{
    m_factory.Set("RemoteAddress", AddressValue(server));
    m_factory.Set("RemotePort", UintegerValue(port));
}

} // namespace ns3
