/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rsh-helper.h"

#include "ns3/names.h"
#include "ns3/uinteger.h"

namespace ns3
{

RshServerHelper::RshServerHelper(uint16_t port)
{
    m_factory.SetTypeId(RshServer::GetTypeId());
    m_factory.Set("Port", UintegerValue(port));
}

void
RshServerHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
RshServerHelper::Install(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<RshServer>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
RshServerHelper::Install(const std::string& nodeName) const
{
    return Install(Names::Find<Node>(nodeName));
}

ApplicationContainer
RshServerHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

RshClientHelper::RshClientHelper(const Address& server, uint16_t port)
{
    m_factory.SetTypeId(RshClient::GetTypeId());
    m_factory.Set("RemoteAddress", AddressValue(server));
    m_factory.Set("RemotePort", UintegerValue(port));
}

void
RshClientHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
RshClientHelper::Install(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<RshClient>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
RshClientHelper::Install(const std::string& nodeName) const
{
    return Install(Names::Find<Node>(nodeName));
}

ApplicationContainer
RshClientHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

} // namespace ns3
