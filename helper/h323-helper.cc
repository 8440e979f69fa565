/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "h323-helper.h"

#include "ns3/string.h"

namespace ns3
{

H323TerminalHelper::H323TerminalHelper(const std::string& role, Ipv4Address peer)
    : FortiGateAppHelper("H323TerminalHelper")
{
    m_factory.Set("Role", StringValue(role));
    m_factory.Set("Peer", Ipv4AddressValue(peer));
}

H323GatekeeperHelper::H323GatekeeperHelper()
    : FortiGateAppHelper("H323GatekeeperHelper")
{
}

} // namespace ns3
