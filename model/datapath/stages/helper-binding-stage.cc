/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "helper-binding-stage.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateHelperBindingStage");

HelperBindingStage::HelperBindingStage(DatapathParts& dp)
    : m_dp(dp)
{
}

void
HelperBindingStage::Run(const PacketContext& c) const
{
    m_dp.helperHost.Bind(*c.s, *c.policy, c.target.proto, c.target.dport);
}

} // namespace ns3
