/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "helper-stage.h"

#include "forward-stage.h"

#include "ns3/log.h"
#include "ns3/nat-translator.h"
#include "ns3/node.h"
#include "ns3/session-helper.h"
#include "ns3/simulator.h"
#include "ns3/tcp-state.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateHelperStage");

HelperStage::HelperStage(DatapathParts& dp,
                         PinholePorts& ports,
                         ForwardStage& forward,
                         HeldSegments& held,
                         const Time& holdTime)
    : m_dp(dp),
      m_helperHost(dp.helperHost),
      m_flow(dp.flow),
      m_cpu(dp.cpu),
      m_forward(forward),
      m_closeAfterForward(forward.PendingCloses()),
      m_heldSegments(held),
      m_held(held.Segments()),
      m_helperHoldTime(holdTime),
      m_host(
          dp.sessions,
          dp.expectations,
          ports,
          m_closeAfterForward,
          [this](const FlowTuple& arrived, const std::string& payload, const PacketArrival& how) {
              return SendHelperReply(arrived, payload, how.idev, *how.ucb);
          },
          dp.helperHost)
{
}

StageResult
HelperStage::Run(PacketContext& c)
{
    std::vector<uint8_t> prefix;
    uint32_t startSeq = c.v.tcpSeq;
    if (!m_heldSegments.Empty() && c.v.tuple.proto == IPPROTO_NUM_TCP)
    {
        m_heldSegments.TakeHeld(c.s, c.D(), c.v, prefix, startSeq);
    }
    return RunHelper(c, std::move(prefix), startSeq, true) ? StageResult::NEXT
                                                           : StageResult::DONE; // dropped or held
}

void
HelperStage::Drop(Ptr<const Packet> p, const Ipv4Header& h, DropReasons::DropReason r)
{
    m_dp.drops.Drop(p, h, r);
}

void
HelperStage::Forward(const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                     Ptr<Ipv4Route> route,
                     Ptr<const Packet> p,
                     const Ipv4Header& h,
                     Time cost)
{
    m_forward.Forward(ucb, route, p, h, cost);
}

HelperStage::RouteResult
HelperStage::LookupRoute(const Ipv4Header& h, Ptr<const NetDevice> idev) const
{
    return m_dp.routing->Lookup(h, idev);
}

// RunHelper and SendHelperReply moved from FortiGateNode (issue 10 item 2); RunHelper's hold
// timer calls HeldSegments::ReleaseHeld.

bool
HelperStage::RunHelper(PacketContext& c,
                       std::vector<uint8_t> prefix,
                       uint32_t startSeq,
                       bool mayHold)
{
    Session* s = c.s;
    const SessionDir dir = c.dir;
    const Ptr<const Packet>& p = c.p;
    const Ipv4Header& h = c.h;
    const PacketView& v = c.v;
    const int d = static_cast<int>(dir);
    const int64_t now = Simulator::Now().GetNanoSeconds();
    const FlowTuple to = s->Translated(dir);
    const bool tcp = v.tuple.proto == IPPROTO_NUM_TCP;
    // The session helper sees the payload (after any bytes it held back), may edit it, open
    // pinholes, drop, hold or close.
    const uint32_t ownLen = v.l4Size > v.l4HeaderSize ? v.l4Size - v.l4HeaderSize : 0;
    std::vector<uint8_t> bytes(v.l4Size);
    p->CopyData(bytes.data(), v.l4Size);
    const uint8_t* payload = bytes.data() + v.l4HeaderSize;
    const bool merged = !prefix.empty();
    if (merged)
    {
        prefix.insert(prefix.end(), payload, payload + ownLen);
        payload = prefix.data();
    }
    const uint32_t payloadLen = merged ? static_cast<uint32_t>(prefix.size()) : ownLen;
    PacketView hv = v;
    hv.tcpSeq = startSeq;
    hv.l4Size = hv.l4HeaderSize + payloadLen;
    SessionExtension* ext = s->ExtOrNull();
    HelperContext ctx{m_host, *s, dir, hv, payload, payloadLen, to, now};
    const PacketArrival arrival{c.idev, &c.ucb};
    ctx.arrival = &arrival;
    ctx.mayHold = mayHold && tcp && payloadLen > 0 && !m_helperHoldTime.IsZero() &&
                  !(v.tcpFlags & (TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST));
    Ptr<SessionHelper> helper = m_helperHost.At(s->helperId);
    if (m_flow.Active()) // flow trace: the proxy (ALG) or the kernel helper gets the packet
    {
        (s->flags & SES_REDIR) ? m_flow.ToProxy()
                               : m_flow.Helper(helper->GetName(), dir == SessionDir::REPLY);
    }
    helper->Inspect(ctx);
    // A proxy helper: each message costs the CPU model's PROXY work (more than a
    // kernel helper inspection), which shows in call-setup time.
    c.cost += m_cpu->GetCost((s->flags & SES_REDIR) ? CpuModel::PROXY : CpuModel::HELPER);
    if (ctx.drop)
    {
        Drop(p, h, DROP_HELPER);
        return false;
    }
    if (ctx.hold && ctx.mayHold)
    {
        HeldSegment& held = m_held[{s->serial, d}];
        held.session = s;
        held.packet = p;
        held.header = h;
        held.view = v;
        held.prefix.assign(payload, payload + (payloadLen - ownLen));
        held.seq = startSeq;
        held.length = payloadLen;
        held.idev = c.idev;
        held.ucb = c.ucb;
        held.timer = Simulator::Schedule(m_helperHoldTime,
                                         &HeldSegments::ReleaseHeld,
                                         &m_heldSegments,
                                         s->serial,
                                         d);
        NS_LOG_LOGIC("session " << s->serial << " dir " << d << ": helper holds " << payloadLen
                                << " bytes at seq " << startSeq);
        return false;
    }
    std::vector<uint8_t> edited;
    const bool rewrite = !ctx.editor.Empty() || merged;
    if (!ctx.editor.Empty())
    {
        edited = ctx.editor.Apply(ctx.payload, ctx.payloadLen);
        if (tcp && ctx.editor.Delta() != 0)
        {
            s->Ext().seq[d].Record(startSeq, static_cast<int32_t>(ctx.editor.Delta()));
        }
        ext = s->ExtOrNull();
    }
    else if (merged)
    {
        edited.assign(payload, payload + payloadLen);
    }
    // A merged segment starts where the held bytes did.
    int32_t seqDelta = static_cast<int32_t>(startSeq - v.tcpSeq);
    int32_t ackDelta = 0;
    if (ext && tcp)
    {
        seqDelta += ext->seq[d].OffsetFor(startSeq);
        ackDelta = ext->seq[1 - d].OffsetForAck(v.tcpAck);
    }
    c.q = RewritePacket(p,
                        c.out,
                        v,
                        to,
                        Node::ChecksumEnabled(),
                        rewrite ? &edited : nullptr,
                        seqDelta,
                        ackDelta);
    if (rewrite)
    {
        // The payload changed length: the IP total length must follow, or the receiver
        // trims the segment to the old length (its tail lost, TCP heals it only by
        // retransmitting).
        c.out.SetPayloadSize(c.q->GetSize());
    }
    if (ctx.close)
    {
        m_closeAfterForward.push_back(s->serial);
    }
    return true;
}

bool
HelperStage::SendHelperReply(const FlowTuple& arrived,
                             const std::string& payload,
                             Ptr<const NetDevice> idev,
                             const Ipv4RoutingProtocol::UnicastForwardCallback& ucb)
{
    if (arrived.proto != IPPROTO_NUM_UDP)
    {
        return false; // a TCP stream cannot take bytes the peer did not send
    }
    Ipv4Header h;
    Ptr<Packet> p = HelperHost::MakeUdpReply(arrived, payload, h);
    RouteResult rr = LookupRoute(h, idev);
    if (!rr.route)
    {
        return false;
    }
    NS_LOG_INFO("helper reply " << Ipv4ToString(arrived.dst) << ":" << arrived.dport << " -> "
                                << Ipv4ToString(arrived.src) << ":" << arrived.sport << " ("
                                << payload.size() << " bytes)");
    Forward(ucb, rr.route, p, h, m_cpu->GetCost(CpuModel::PROXY));
    return true;
}

} // namespace ns3
