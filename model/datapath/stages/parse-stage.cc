/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "parse-stage.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateParseStage");

ParseStage::ParseStage(DatapathParts& dp)
    : m_dp(dp)
{
}

StageResult
ParseStage::Run(PacketContext& c) const
{
    const Ptr<Ipv4>& ipv4 = m_dp.ifs.GetIpv4();
    if (!ipv4 || c.h.GetDestination().IsMulticast() || c.h.GetDestination().IsBroadcast())
    {
        return StageResult::NOT_MINE;
    }
    c.ipIf = ipv4->GetInterfaceForDevice(c.idev);
    c.inIf = c.ipIf >= 0 ? m_dp.ifs.IfIndexOfIpv4(c.ipIf) : -1;
    if (c.inIf < 0)
    {
        return StageResult::NOT_MINE; // not a FortiGate port (e.g. loopback): plain ns-3
    }
    if (c.h.GetSerializedSize() < 20 || c.h.GetPayloadSize() != c.p->GetSize())
    {
        // ns-3's IPv4 input takes an IHL below 5 and a total length past the frame (or below
        // the header, which wraps) as they come; the unit refuses them (issue 16).
        m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_MALFORMED);
        return StageResult::DONE;
    }
    if (c.h.GetTtl() <= 1 && !ipv4->IsDestinationAddress(c.h.GetDestination(), c.ipIf))
    {
        // Expires here: ns-3's forwarding drops it and reports time exceeded to the sender about
        // the packet as it arrived (untranslated), from the interface facing the sender.
        return StageResult::NOT_MINE;
    }
    ParseView(c.p, c.h, c.v);
    return StageResult::NEXT;
}

void
ParseStage::ParseView(Ptr<const Packet> p, const Ipv4Header& h, PacketView& v)
{
    v = PacketView{};
    v.tuple.src = h.GetSource().Get();
    v.tuple.dst = h.GetDestination().Get();
    v.tuple.proto = h.GetProtocol();
    v.ipId = h.GetIdentification();
    v.fragOffset = static_cast<uint16_t>(h.GetFragmentOffset() / 8);
    v.moreFragments = !h.IsLastFragment();
    v.ipTotalLength = static_cast<uint16_t>(h.GetSerializedSize() + p->GetSize());
    v.l4Size = p->GetSize();
    // Enough for a TCP header with options, or an ICMP error's embedded header + 8 bytes.
    uint8_t buf[96];
    uint32_t n = p->CopyData(buf, sizeof(buf));
    ParseTransport(buf, n, v);
    // A UDP length below its header, or past a whole (unfragmented) datagram, is malformed, as
    // Linux conntrack's udp_error finds it (issue 16); a shorter one only means padding.
    if (v.l4Valid && v.tuple.proto == IPPROTO_NUM_UDP && !v.IsFragment())
    {
        const uint32_t udpLen = static_cast<uint32_t>(buf[4]) << 8 | buf[5];
        if (udpLen < 8 || udpLen > v.l4Size)
        {
            v.l4Valid = false;
        }
    }
}

} // namespace ns3
