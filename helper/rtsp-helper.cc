/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rtsp-helper.h"

#include "ns3/names.h"
#include "ns3/uinteger.h"

namespace ns3
{

RtspServerHelper::RtspServerHelper(uint16_t port)
{
    m_factory.SetTypeId(RtspServer::GetTypeId());
    m_factory.Set("Port", UintegerValue(port));
}

void
RtspServerHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
RtspServerHelper::Install(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<RtspServer>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
RtspServerHelper::Install(const std::string& nodeName) const
{
    return Install(Names::Find<Node>(nodeName));
}

ApplicationContainer
RtspServerHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

RtspClientHelper::RtspClientHelper(Ipv4Address server, uint16_t port)
{
    m_factory.SetTypeId(RtspClient::GetTypeId());
    m_factory.Set("RemoteAddress", Ipv4AddressValue(server));
    m_factory.Set("RemotePort", UintegerValue(port));
}

void
RtspClientHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
RtspClientHelper::Install(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<RtspClient>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
RtspClientHelper::Install(const std::string& nodeName) const
{
    return Install(Names::Find<Node>(nodeName));
}

ApplicationContainer
RtspClientHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

} // namespace ns3
