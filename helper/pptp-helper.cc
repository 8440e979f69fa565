/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pptp-helper.h"

#include "ns3/uinteger.h"

namespace ns3
{

PptpServerHelper::PptpServerHelper(uint16_t port)
    : FortiGateAppHelper("PptpServerHelper")
{
    m_factory.Set("Port", UintegerValue(port));
}

PptpClientHelper::PptpClientHelper(Ipv4Address server, uint16_t port)
    : FortiGateAppHelper("PptpClientHelper")
{
    m_factory.Set("RemoteAddress", Ipv4AddressValue(server));
    m_factory.Set("RemotePort", UintegerValue(port));
}

} // namespace ns3
