/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tftp-helper.h"

#include "ns3/names.h"
#include "ns3/uinteger.h"

namespace ns3
{

TftpServerHelper::TftpServerHelper(uint16_t port)
{
    m_factory.SetTypeId(TftpServer::GetTypeId());
    m_factory.Set("Port", UintegerValue(port));
}

void
TftpServerHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
TftpServerHelper::Install(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<TftpServer>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
TftpServerHelper::Install(const std::string& nodeName) const
{
    return Install(Names::Find<Node>(nodeName));
}

ApplicationContainer
TftpServerHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

TftpClientHelper::TftpClientHelper(const Address& server, uint16_t port)
{
    m_factory.SetTypeId(TftpClient::GetTypeId());
    m_factory.Set("RemoteAddress", AddressValue(server));
    m_factory.Set("RemotePort", UintegerValue(port));
}

void
TftpClientHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
TftpClientHelper::Install(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<TftpClient>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
TftpClientHelper::Install(const std::string& nodeName) const
{
    return Install(Names::Find<Node>(nodeName));
}

ApplicationContainer
TftpClientHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

} // namespace ns3
