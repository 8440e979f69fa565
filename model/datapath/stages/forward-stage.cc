/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "forward-stage.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateForwardStage");

ForwardStage::ForwardStage(DatapathParts& dp)
    : m_dp(dp)
{
}

void
ForwardStage::Run(PacketContext& c)
{
    Forward(c.ucb, c.route, c.q, c.out, c.cost);
    if (!m_closeAfterForward.empty())
    {
        std::vector<uint32_t> serials;
        serials.swap(m_closeAfterForward);
        m_dp.sessions.Clear(
            [&serials](const Session& x) {
                return std::find(serials.begin(), serials.end(), x.serial) != serials.end();
            },
            SessionCloseReason::HELPER);
    }
}

void
ForwardStage::Forward(const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                      Ptr<Ipv4Route> route,
                      Ptr<const Packet> p,
                      const Ipv4Header& h,
                      Time cost)
{
    ++m_forwarded;
    const Ptr<CpuModel>& cpu = m_dp.cpu;
    if (cost.IsZero() && cpu->GetPending() == 0)
    {
        ucb(route, p, h); // idealised unit: no processing delay, nothing queued before it
        return;
    }
    Ipv4RoutingProtocol::UnicastForwardCallback cb = ucb;
    bool ok = cpu->Submit(cost, [cb, route, p, h]() { cb(route, p, h); });
    if (!ok)
    {
        --m_forwarded;
        m_dp.drops.Drop(p, h, DropReasons::DROP_CPU_BACKLOG);
    }
}

} // namespace ns3
