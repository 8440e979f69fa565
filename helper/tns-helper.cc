/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tns-helper.h"

#include "ns3/tns-parser.h"
#include "ns3/uinteger.h"

namespace ns3
{

TnsListenerHelper::TnsListenerHelper(Ipv4Address host, uint16_t dedicatedPort)
    : FortiGateAppHelper("TnsListenerHelper")
{
    m_factory.Set("Host", Ipv4AddressValue(host));
    m_factory.Set("DedicatedPort", UintegerValue(dedicatedPort));
}

TnsClientHelper::TnsClientHelper(const Address& listener, uint16_t port)
    : FortiGateAppHelper("TnsClientHelper")
{
    m_factory.Set("RemoteAddress", AddressValue(listener));
    m_factory.Set("RemotePort", UintegerValue(port));
}

} // namespace ns3
