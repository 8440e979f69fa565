/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session-lookup-stage.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateSessionLookupStage");

SessionLookupStage::SessionLookupStage(DatapathParts& dp)
    : m_dp(dp)
{
}

bool
SessionLookupStage::FindFragment(PacketContext& c) const
{
    const FlowTuple* first = m_dp.fragments.Find(c.v);
    c.s = first ? m_dp.sessions.Find(*first, &c.dir) : nullptr;
    if (!c.s)
    {
        return false;
    }
    if (!c.v.moreFragments)
    {
        m_dp.fragments.Forget(c.v);
    }
    return true;
}

bool
SessionLookupStage::Find(PacketContext& c) const
{
    c.s = m_dp.sessions.Find(c.v.tuple, &c.dir);
    if (c.s)
    {
        m_dp.flow.ExistingSession(c.s->serial, c.dir == SessionDir::REPLY); // flow trace
    }
    return c.s != nullptr;
}

} // namespace ns3
