/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FORWARD_STAGE_H
#define FORTIGATE_FORWARD_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage "forward": hands the packet as it leaves to ns-3's forwarding through the CPU
 * model (after its processing time, or dropped when the backlog is full), then closes the
 * sessions a session helper asked to close once this packet has gone.
 */
class ForwardStage
{
  public:
    /// \param dp the unit's shared parts
    explicit ForwardStage(DatapathParts& dp);

    /// Forward c.q / c.out along c.route after c.cost, then the pending closes.
    void Run(PacketContext& c);

    /// Forward \p p with header \p h along \p route through \p ucb after \p cost.
    void Forward(const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                 Ptr<Ipv4Route> route,
                 Ptr<const Packet> p,
                 const Ipv4Header& h,
                 Time cost);

    /// Close session \p serial once the packet being handled has been forwarded.
    void CloseAfterForward(uint32_t serial)
    {
        m_closeAfterForward.push_back(serial);
    }

    /// \return the sessions to close once the packet being handled has been forwarded
    std::vector<uint32_t>& PendingCloses()
    {
        return m_closeAfterForward;
    }

    /// \return packets forwarded
    uint64_t GetForwardedCount() const
    {
        return m_forwarded;
    }

  private:
    DatapathParts& m_dp;                       //!< shared parts
    uint64_t m_forwarded{0};                   //!< forwarded packets
    std::vector<uint32_t> m_closeAfterForward; //!< sessions a helper asked to close
};

} // namespace ns3

#endif // FORTIGATE_FORWARD_STAGE_H
