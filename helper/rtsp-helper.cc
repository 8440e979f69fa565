/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rtsp-helper.h"

#include "ns3/uinteger.h"

namespace ns3
{

RtspServerHelper::RtspServerHelper(uint16_t port)
    : FortiGateAppHelper("RtspServerHelper")
{
    m_factory.Set("Port", UintegerValue(port));
}

RtspClientHelper::RtspClientHelper(Ipv4Address server, uint16_t port)
    : FortiGateAppHelper("RtspClientHelper")
{
    m_factory.Set("RemoteAddress", Ipv4AddressValue(server));
    m_factory.Set("RemotePort", UintegerValue(port));
}

} // namespace ns3
