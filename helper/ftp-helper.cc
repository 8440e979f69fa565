/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ftp-helper.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FtpHelper");

FtpServerHelper::FtpServerHelper(uint16_t port)
    : FortiGateAppHelper("FtpServerHelper")
{
    m_factory.Set("Port", UintegerValue(port));
}

void
FtpServerHelper::AddFile(const std::string& name, uint64_t size)
{
    NS_LOG_FUNCTION(this << name << size);
    // Validate now, so a bad name fails here rather than at Install.
    CreateObject<FtpServer>()->AddFile(name, size);
    m_files.emplace_back(name, size);
}

void
FtpServerHelper::Configure(Ptr<FtpServer> app) const
{
    for (const auto& [name, size] : m_files)
    {
        app->AddFile(name, size);
    }
}

FtpClientHelper::FtpClientHelper(Ipv4Address server, uint16_t port)
    : FortiGateAppHelper("FtpClientHelper")
{
    m_factory.Set("RemoteAddress", Ipv4AddressValue(server));
    m_factory.Set("RemotePort", UintegerValue(port));
}

} // namespace ns3
