/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_MGCP_HELPER_H
#define FORTIGATE_MGCP_HELPER_H

#include "fortigate-app-helper.h"

#include "ns3/ipv4-address.h"
#include "ns3/mgcp-call-agent.h"
#include "ns3/mgcp-gateway.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs MgcpCallAgent applications. Attributes: Port, NotifiedEntity, TalkTime,
 * ResponseTimeout. Calls are added on the application (MgcpCallAgent::AddCall).
 *
 * \code
 *   MgcpCallAgentHelper agent;                               // UDP 2727
 *   agent.SetAttribute("TalkTime", TimeValue(Seconds(3)));
 *   Ptr<MgcpCallAgent> ca = agent.Install(caNode).Get(0)->GetObject<MgcpCallAgent>();
 *   ca->AddCall("aaln/1", "aaln/2");
 * \endcode
 */
class MgcpCallAgentHelper : public FortiGateAppHelper<MgcpCallAgent>
{
  public:
    /// \param port the call agent's UDP port
    explicit MgcpCallAgentHelper(uint16_t port = 2727);

    /**
     * Assign fixed random variable stream numbers to the call agents of \p apps.
     * \param apps applications installed by this helper
     * \param stream first stream index
     * \return the number of streams used
     */
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);
};

/**
 * \ingroup fortigate
 * Installs MgcpGateway applications (one line each). Attributes: CallAgentAddress,
 * CallAgentPort, LocalPort, EndpointName, RtpPort, OffHookTime.
 *
 * \code
 *   MgcpGatewayHelper gw(Ipv4Address("198.51.100.7"));
 *   gw.SetAttribute("EndpointName", StringValue("aaln/1@[10.0.1.10]"));
 *   gw.SetAttribute("OffHookTime", TimeValue(Seconds(2)));
 *   gw.Install(gatewayNode);
 * \endcode
 */
class MgcpGatewayHelper : public FortiGateAppHelper<MgcpGateway>
{
  public:
    /**
     * \param callAgent the call agent's address
     * \param port its UDP port
     */
    explicit MgcpGatewayHelper(Ipv4Address callAgent, uint16_t port = 2727);

    /**
     * Assign fixed random variable stream numbers to the gateways of \p apps.
     * \param apps applications installed by this helper
     * \param stream first stream index
     * \return the number of streams used
     */
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);
};

} // namespace ns3

#endif // FORTIGATE_MGCP_HELPER_H
