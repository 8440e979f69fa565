/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_HELPER_STAGE_H
#define FORTIGATE_HELPER_STAGE_H

#include "datapath-parts.h"
#include "held-segments.h"
#include "packet-context.h"

#include "ns3/datapath-helper-host.h"
#include "ns3/pinhole-ports.h"

#include <vector>

namespace ns3
{

class ForwardStage;
struct HelperContext;

/**
 * \ingroup fortigate
 * Datapath stage "helper running": the session's helper inspects the payload (after the bytes
 * it held back before, HeldSegments), may edit it (the packet is rewritten with the edits and
 * the session's translation, TCP sequence offsets recorded), open pinholes, reserve NAT ports,
 * answer, drop, hold the segment or close sessions. The helper reaches the datapath through the
 * unit's one SessionHelperHost (DatapathHelperHost), named in the HelperContext.
 */
class HelperStage : public DropReasons
{
  public:
    /// \param dp the unit's shared parts \param ports public ports for helpers
    /// \param forward forwards helper replies and closes sessions after the packet
    /// \param held held TCP segments \param holdTime attribute HelperHoldTime
    HelperStage(DatapathParts& dp,
                PinholePorts& ports,
                ForwardStage& forward,
                HeldSegments& held,
                const Time& holdTime);

    /// \return NEXT with c.q / c.out rewritten; DONE when the helper dropped or held it
    StageResult Run(PacketContext& c);

    /// Inspect the packet of \p c (or a released held segment) with \p prefix held bytes in
    /// front, starting at TCP sequence number \p startSeq; \p mayHold: the helper may hold it.
    /// \return true when it goes on (c.q, c.out rewritten, c.cost added), false when dropped or
    /// held
    bool RunHelper(PacketContext& c, std::vector<uint8_t> prefix, uint32_t startSeq, bool mayHold);

    /// What the session helpers ask of the unit (pinholes, ports, replies), built once.
    DatapathHelperHost& Host()
    {
        return m_host;
    }

  private:
    using RouteResult = FortiGateRouting::Route;   //!< route lookup result
    using HeldSegment = HeldSegments::HeldSegment; //!< a held segment

    /// Send a session helper's answer back to the sender of \p arrived (UDP only).
    bool SendHelperReply(const FlowTuple& arrived,
                         const std::string& payload,
                         Ptr<const NetDevice> idev,
                         const Ipv4RoutingProtocol::UnicastForwardCallback& ucb);
    /// Count and trace a drop.
    void Drop(Ptr<const Packet> p, const Ipv4Header& h, DropReasons::DropReason r);
    /// Forward through the CPU model.
    void Forward(const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                 Ptr<Ipv4Route> route,
                 Ptr<const Packet> p,
                 const Ipv4Header& h,
                 Time cost);
    /// The route of \p h arriving on \p idev.
    RouteResult LookupRoute(const Ipv4Header& h, Ptr<const NetDevice> idev) const;

    DatapathParts& m_dp;                        //!< shared parts
    HelperHost& m_helperHost;                   //!< helper instances
    FlowTrace& m_flow;                          //!< flow trace
    const Ptr<CpuModel>& m_cpu;                 //!< processing-time model
    ForwardStage& m_forward;                    //!< forwarding
    std::vector<uint32_t>& m_closeAfterForward; //!< sessions to close after the packet
    HeldSegments& m_heldSegments;               //!< held segments
    HeldSegments::Map& m_held;                  //!< their map
    const Time& m_helperHoldTime;               //!< attribute HelperHoldTime
    DatapathHelperHost m_host;                  //!< what helpers ask of the unit
};

} // namespace ns3

#endif // FORTIGATE_HELPER_STAGE_H
