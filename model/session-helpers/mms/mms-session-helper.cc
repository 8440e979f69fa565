/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "mms-session-helper.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MmsSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(MmsSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(MmsSessionHelper, "mms");

TypeId
MmsSessionHelper::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MmsSessionHelper")
                            .SetParent<SessionHelper>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<MmsSessionHelper>();
    return tid;
}

std::string
MmsSessionHelper::GetName() const
{
    return "mms";
}

void
MmsSessionHelper::OnSessionCreated(Session&)
{
    ++m_sessions;
}

void
MmsSessionHelper::Inspect(HelperContext& ctx)
{
    ++m_packets;
    NS_LOG_LOGIC("mms: " << ctx.payloadLen << " payload bytes, nothing documented to do");
}

} // namespace ns3
