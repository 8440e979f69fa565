/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "held-segments.h"

#include "forward-stage.h"
#include "helper-stage.h"
#include "route-stage.h"

#include "ns3/log.h"
#include "ns3/tcp-state.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateHeldSegments");

HeldSegments::HeldSegments(DatapathParts& dp)
    : m_dp(dp),
      m_cpu(dp.cpu)
{
}

void
HeldSegments::SetStages(HelperStage* helper, RouteStage* route, ForwardStage* forward)
{
    m_helper = helper;
    m_route = route;
    m_forward = forward;
}

void
HeldSegments::Forget(uint32_t serial)
{
    if (!m_held.empty())
    {
        for (int d = 0; d < 2; ++d)
        {
            auto it = m_held.find({serial, d});
            if (it != m_held.end())
            {
                it->second.timer.Cancel(); // the session ends: its held bytes go with it
                m_held.erase(it);
            }
        }
    }
}

void
HeldSegments::Clear()
{
    for (auto& [key, held] : m_held)
    {
        held.timer.Cancel(); // held segments keep forwarding callbacks: drop them with the unit
    }
    m_held.clear();
}

// TakeHeld and ReleaseHeld moved from FortiGateNode unchanged (issue 10 item 2).

void
HeldSegments::TakeHeld(Session* s,
                       int d,
                       const PacketView& v,
                       std::vector<uint8_t>& prefix,
                       uint32_t& startSeq)
{
    auto it = m_held.find({s->serial, d});
    if (it == m_held.end())
    {
        return;
    }
    const uint8_t endOrReset = TCP_FLAG_FIN | TCP_FLAG_RST | TCP_FLAG_SYN;
    if (v.l4Size <= v.l4HeaderSize && !(v.tcpFlags & endOrReset))
    {
        return; // a bare ACK goes past the held bytes
    }
    HeldSegment& held = it->second;
    // The merged segment goes out as one IPv4 packet: its total length is 16 bits, with room
    // for the largest IP and TCP headers and for the helper's edits. When the held bytes and
    // this segment would not fit, the held bytes go on first, as they are (issue 16: an
    // endless header section of a text protocol made a 66,000-byte segment whose total length
    // wrapped).
    constexpr uint32_t MAX_MERGED_PAYLOAD = 65535 - 60 - 60 - 1024;
    const uint32_t ownLen = v.l4Size > v.l4HeaderSize ? v.l4Size - v.l4HeaderSize : 0;
    if (v.tcpSeq != held.seq + held.length || (v.tcpFlags & (TCP_FLAG_RST | TCP_FLAG_SYN)) ||
        held.length + ownLen > MAX_MERGED_PAYLOAD)
    {
        // The stream goes on out of order (a gap, a retransmission), or there is no room to
        // merge: the held bytes go first.
        ReleaseHeld(s->serial, d);
        return;
    }
    // The next segment: it is inspected with the held bytes in front.
    prefix = std::move(held.prefix);
    std::vector<uint8_t> l4(held.view.l4Size); // its TCP header and payload
    held.packet->CopyData(l4.data(), held.view.l4Size);
    prefix.insert(prefix.end(), l4.begin() + held.view.l4HeaderSize, l4.end());
    startSeq = held.seq;
    held.timer.Cancel();
    m_held.erase(it);
}

void
HeldSegments::ReleaseHeld(uint32_t serial, int d)
{
    auto it = m_held.find({serial, d});
    if (it == m_held.end())
    {
        return;
    }
    HeldSegment held = std::move(it->second);
    m_held.erase(it);
    held.timer.Cancel();
    NS_LOG_LOGIC("session " << serial << " dir " << d << ": releasing " << held.length
                            << " held bytes at seq " << held.seq);
    PacketContext c(held.packet, held.header, held.idev, held.ucb);
    c.s = held.session;
    c.dir = static_cast<SessionDir>(d);
    c.v = held.view;
    c.cost = m_cpu->GetCost(CpuModel::FAST_PATH);
    if (m_helper->RunHelper(c, std::move(held.prefix), held.seq, false) &&
        m_route->ForSession(c) == StageResult::NEXT)
    {
        m_forward->Run(c); // the session's route, as any packet of the session
    }
}

} // namespace ns3
