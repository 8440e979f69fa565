/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tftp-helper.h"

#include "ns3/uinteger.h"

namespace ns3
{

TftpServerHelper::TftpServerHelper(uint16_t port)
    : FortiGateAppHelper("TftpServerHelper")
{
    m_factory.Set("Port", UintegerValue(port));
}

TftpClientHelper::TftpClientHelper(const Address& server, uint16_t port)
    : FortiGateAppHelper("TftpClientHelper")
{
    m_factory.Set("RemoteAddress", AddressValue(server));
    m_factory.Set("RemotePort", UintegerValue(port));
}

} // namespace ns3
