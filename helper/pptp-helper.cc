/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pptp-helper.h"

#include "ns3/names.h"
#include "ns3/uinteger.h"

namespace ns3
{

PptpServerHelper::PptpServerHelper(uint16_t port)
{
    m_factory.SetTypeId(PptpServer::GetTypeId());
    m_factory.Set("Port", UintegerValue(port));
}

void
PptpServerHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
PptpServerHelper::Install(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<PptpServer>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
PptpServerHelper::Install(const std::string& nodeName) const
{
    return Install(Names::Find<Node>(nodeName));
}

ApplicationContainer
PptpServerHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

PptpClientHelper::PptpClientHelper(Ipv4Address server, uint16_t port)
{
    m_factory.SetTypeId(PptpClient::GetTypeId());
    m_factory.Set("RemoteAddress", Ipv4AddressValue(server));
    m_factory.Set("RemotePort", UintegerValue(port));
}

void
PptpClientHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
PptpClientHelper::Install(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<PptpClient>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
PptpClientHelper::Install(const std::string& nodeName) const
{
    return Install(Names::Find<Node>(nodeName));
}

ApplicationContainer
PptpClientHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

} // namespace ns3
