/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "mgcp-helper.h"

#include "ns3/uinteger.h"

namespace ns3
{

namespace
{
/// AssignStreams of every \p App of \p apps. \return streams used
template <class App>
int64_t
AssignAppStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (auto i = apps.Begin(); i != apps.End(); ++i)
    {
        if (Ptr<App> a = DynamicCast<App>(*i))
        {
            used += a->AssignStreams(stream + used);
        }
    }
    return used;
}
} // namespace

MgcpCallAgentHelper::MgcpCallAgentHelper(uint16_t port)
    : FortiGateAppHelper("MgcpCallAgentHelper")
{
    m_factory.Set("Port", UintegerValue(port));
}

int64_t
MgcpCallAgentHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    return AssignAppStreams<MgcpCallAgent>(apps, stream);
}

MgcpGatewayHelper::MgcpGatewayHelper(Ipv4Address callAgent, uint16_t port)
    : FortiGateAppHelper("MgcpGatewayHelper")
{
    m_factory.Set("CallAgentAddress", Ipv4AddressValue(callAgent));
    m_factory.Set("CallAgentPort", UintegerValue(port));
}

int64_t
MgcpGatewayHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    return AssignAppStreams<MgcpGateway>(apps, stream);
}

} // namespace ns3
