/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dns-helper.h"

#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{

DnsServerHelper::DnsServerHelper(const std::string& records, uint16_t port)
    : FortiGateAppHelper("DnsServerHelper")
{
    m_factory.Set("Records", StringValue(records));
    m_factory.Set("Port", UintegerValue(port));
}

DnsResolverHelper::DnsResolverHelper(const Address& server, const std::string& names)
    : FortiGateAppHelper("DnsResolverHelper")
{
    m_factory.Set("RemoteAddress", AddressValue(server));
    m_factory.Set("Names", StringValue(names));
}

} // namespace ns3
