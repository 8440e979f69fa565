/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ftp-helper.h"

#include "ns3/names.h"
#include "ns3/uinteger.h"

namespace ns3
{

FtpServerHelper::FtpServerHelper(uint16_t port)
{
    m_factory.SetTypeId(FtpServer::GetTypeId());
    m_factory.Set("Port", UintegerValue(port));
}

void
FtpServerHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
FtpServerHelper::AddFile(const std::string& name, uint64_t size)
{
    // Validate now, so a bad name fails here rather than at Install.
    CreateObject<FtpServer>()->AddFile(name, size);
    m_files.emplace_back(name, size);
}

ApplicationContainer
FtpServerHelper::Install(Ptr<Node> node) const
{
    Ptr<FtpServer> app = m_factory.Create<FtpServer>();
    for (const auto& [name, size] : m_files)
    {
        app->AddFile(name, size);
    }
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
FtpServerHelper::Install(const std::string& nodeName) const
{
    return Install(Names::Find<Node>(nodeName));
}

ApplicationContainer
FtpServerHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

FtpClientHelper::FtpClientHelper(Ipv4Address server, uint16_t port)
{
    m_factory.SetTypeId(FtpClient::GetTypeId());
    m_factory.Set("RemoteAddress", Ipv4AddressValue(server));
    m_factory.Set("RemotePort", UintegerValue(port));
}

void
FtpClientHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
FtpClientHelper::Install(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<FtpClient>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
FtpClientHelper::Install(const std::string& nodeName) const
{
    return Install(Names::Find<Node>(nodeName));
}

ApplicationContainer
FtpClientHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

} // namespace ns3
