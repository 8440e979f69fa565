/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nat-translator.h"

#include "keyed-protocol.h"

#include "ns3/buffer.h"
#include "ns3/icmpv4.h"
#include "ns3/log.h"
#include "ns3/tag.h"
#include "ns3/tcp-header.h"
#include "ns3/udp-header.h"

#include <functional>
#include <memory>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateNatTranslator");

uint16_t
ChecksumAdjust(uint16_t oldSum, const uint16_t* oldWords, const uint16_t* newWords, std::size_t n)
{
    // HC' = ~(~HC + ~m + m')   (RFC 1624, eqn. 3), in one's complement arithmetic.
    uint32_t sum = static_cast<uint16_t>(~oldSum);
    for (std::size_t i = 0; i < n; ++i)
    {
        sum += static_cast<uint16_t>(~oldWords[i]);
        sum += newWords[i];
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(~sum);
}

void
CopyTags(Ptr<const Packet> from, Ptr<Packet> to)
{
    // A tag is copied through its TypeId's constructor, as Packet::Print reads them; a tag
    // type without a registered constructor cannot be copied (ns-3 cannot make one either).
    auto copy = [](const TypeId& tid, const std::function<void(Tag&)>& use) {
        Callback<ObjectBase*> ctor = tid.GetConstructor();
        if (ctor.IsNull())
        {
            NS_LOG_WARN("tag " << tid.GetName() << " has no constructor: not kept");
            return;
        }
        std::unique_ptr<ObjectBase> inst(ctor());
        if (Tag* tag = dynamic_cast<Tag*>(inst.get()))
        {
            use(*tag);
        }
    };
    PacketTagIterator pi = from->GetPacketTagIterator();
    while (pi.HasNext())
    {
        PacketTagIterator::Item item = pi.Next();
        copy(item.GetTypeId(), [&item, &to](Tag& tag) {
            item.GetTag(tag);
            to->ReplacePacketTag(tag); // adds it when absent
        });
    }
    ByteTagIterator bi = from->GetByteTagIterator();
    while (bi.HasNext())
    {
        ByteTagIterator::Item item = bi.Next();
        copy(item.GetTypeId(), [&item, &to](Tag& tag) {
            item.GetTag(tag);
            to->AddByteTag(tag); // over the whole rewritten payload
        });
    }
}

namespace
{

/// The 16-bit words of a tuple that enter the TCP/UDP checksum (pseudo header + ports).
void
TupleWords(const FlowTuple& t, uint16_t w[6])
{
    w[0] = static_cast<uint16_t>(t.src >> 16);
    w[1] = static_cast<uint16_t>(t.src);
    w[2] = static_cast<uint16_t>(t.dst >> 16);
    w[3] = static_cast<uint16_t>(t.dst);
    w[4] = t.sport;
    w[5] = t.dport;
}

Ptr<const Packet>
TranslateUdp(Ptr<const Packet> p, const PacketView& v, const FlowTuple& to)
{
    uint8_t raw[8];
    if (p->CopyData(raw, 8) != 8)
    {
        return p;
    }
    uint16_t length = static_cast<uint16_t>(raw[4] << 8 | raw[5]);
    uint16_t sum = static_cast<uint16_t>(raw[6] << 8 | raw[7]);
    if (sum != 0)
    {
        uint16_t ow[6];
        uint16_t nw[6];
        TupleWords(v.tuple, ow);
        TupleWords(to, nw);
        sum = ChecksumAdjust(sum, ow, nw, 6);
        if (sum == 0)
        {
            sum = 0xffff;
        }
    }
    raw[0] = static_cast<uint8_t>(to.sport >> 8);
    raw[1] = static_cast<uint8_t>(to.sport);
    raw[2] = static_cast<uint8_t>(to.dport >> 8);
    raw[3] = static_cast<uint8_t>(to.dport);
    raw[6] = static_cast<uint8_t>(sum >> 8);
    raw[7] = static_cast<uint8_t>(sum);
    // ns-3's UdpHeader keeps a deserialized checksum verbatim, so building the header from the
    // rewritten bytes writes exactly these bytes back (ForcePayloadSize keeps the length field,
    // which ns-3.37 would otherwise write 8 bytes short).
    Buffer buf;
    buf.AddAtStart(8);
    buf.Begin().Write(raw, 8);
    UdpHeader udp;
    udp.Deserialize(buf.Begin());
    udp.ForcePayloadSize(length);
    Ptr<Packet> q = p->Copy();
    UdpHeader old;
    q->RemoveHeader(old);
    q->AddHeader(udp);
    return q;
}

/**
 * The bytes of a TCP header, options included, taken off a packet and put back unparsed.
 *
 * A TcpHeader round trip creates and destroys an ns-3 Object per option (timestamps, SACK) on
 * every packet, which dominated the cost of port translation on the fast path. This header
 * presents itself as a TcpHeader (same TypeId, same size), so packet metadata, printing and the
 * receiver's RemoveHeader(TcpHeader) still see a TCP header; the options stay byte for byte as
 * the sender wrote them, as on a real NAT.
 */
class RawTcpHeader : public Header
{
  public:
    /// \param size bytes of the TCP header (data offset * 4, 20..60)
    explicit RawTcpHeader(uint32_t size)
        : m_size(size)
    {
    }

    TypeId GetInstanceTypeId() const override
    {
        return TcpHeader::GetTypeId();
    }

    uint32_t GetSerializedSize() const override
    {
        return m_size;
    }

    void Serialize(Buffer::Iterator start) const override
    {
        start.Write(m_bytes, m_size);
    }

    uint32_t Deserialize(Buffer::Iterator start) override
    {
        start.Read(m_bytes, m_size);
        return m_size;
    }

    void Print(std::ostream& os) const override
    {
        os << "TCP header, " << m_size << " bytes";
    }

    uint8_t m_bytes[60]; //!< the header
    uint32_t m_size;     //!< bytes used in m_bytes
};

Ptr<const Packet>
TranslateTcp(Ptr<const Packet> p, const PacketView& v, const FlowTuple& to, bool checksums)
{
    if (v.l4HeaderSize < 20 || v.l4HeaderSize > 60 || p->GetSize() < v.l4HeaderSize)
    {
        return p;
    }
    Ptr<Packet> q = p->Copy();
    RawTcpHeader tcp(v.l4HeaderSize);
    q->RemoveHeader(tcp);
    uint8_t* b = tcp.m_bytes;
    if (checksums)
    {
        // The checksum covers the pseudo header and the ports: adjust it (RFC 1624) rather than
        // summing the whole segment again.
        uint16_t ow[6];
        uint16_t nw[6];
        TupleWords(v.tuple, ow);
        TupleWords(to, nw);
        uint16_t sum = ChecksumAdjust(static_cast<uint16_t>(b[16] << 8 | b[17]), ow, nw, 6);
        b[16] = static_cast<uint8_t>(sum >> 8);
        b[17] = static_cast<uint8_t>(sum);
    }
    b[0] = static_cast<uint8_t>(to.sport >> 8);
    b[1] = static_cast<uint8_t>(to.sport);
    b[2] = static_cast<uint8_t>(to.dport >> 8);
    b[3] = static_cast<uint8_t>(to.dport);
    q->AddHeader(tcp);
    return q;
}

Ptr<const Packet>
TranslateIcmpEcho(Ptr<const Packet> p, const FlowTuple& to, bool checksums)
{
    Ptr<Packet> q = p->Copy();
    Icmpv4Header icmp;
    q->RemoveHeader(icmp);
    Icmpv4Echo echo;
    q->RemoveHeader(echo);
    echo.SetIdentifier(to.sport);
    q->AddHeader(echo);
    if (checksums)
    {
        icmp.EnableChecksum();
    }
    q->AddHeader(icmp);
    return q;
}

} // namespace

Ptr<const Packet>
TranslatePacket(Ptr<const Packet> p,
                Ipv4Header& ip,
                const PacketView& v,
                const FlowTuple& to,
                bool checksums)
{
    ip.SetSource(Ipv4Address(to.src));
    ip.SetDestination(Ipv4Address(to.dst));
    if (v.IsLaterFragment() || !v.l4Valid)
    {
        return p;
    }
    bool portsChange = to.sport != v.tuple.sport || to.dport != v.tuple.dport;
    switch (v.tuple.proto)
    {
    case IPPROTO_NUM_TCP:
        // The TCP checksum covers the addresses (pseudo header): recompute when it is in use.
        return (portsChange || checksums) ? TranslateTcp(p, v, to, checksums) : p;
    case IPPROTO_NUM_UDP:
        return (portsChange || checksums) ? TranslateUdp(p, v, to) : p;
    case IPPROTO_NUM_ICMP:
        // No pseudo header: only an echo id change touches the ICMP bytes.
        return (v.IsIcmpEcho() && portsChange) ? TranslateIcmpEcho(p, to, checksums) : p;
    default:
        if (const KeyedProtocol* k = KeyedProtocols::Find(v.tuple.proto))
        {
            // A keyed protocol: its key is the "port" (no pseudo header either).
            return to.dport != v.tuple.dport ? k->writeKey(p, to.dport) : p;
        }
        return p;
    }
}

uint16_t
InternetChecksum(const uint8_t* data, std::size_t len, uint32_t initial)
{
    uint64_t sum = initial;
    std::size_t i = 0;
    for (; i + 1 < len; i += 2)
    {
        sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
    }
    if (i < len)
    {
        sum += static_cast<uint32_t>(data[i] << 8);
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(~sum);
}

Ptr<const Packet>
RewritePacket(Ptr<const Packet> p,
              Ipv4Header& ip,
              const PacketView& v,
              const FlowTuple& to,
              bool checksums,
              const std::vector<uint8_t>* payload,
              int32_t seqDelta,
              int32_t ackDelta)
{
    if (!payload && seqDelta == 0 && ackDelta == 0)
    {
        return TranslatePacket(p, ip, v, to, checksums);
    }
    ip.SetSource(Ipv4Address(to.src));
    ip.SetDestination(Ipv4Address(to.dst));
    if (v.IsLaterFragment() || !v.l4Valid)
    {
        return p;
    }
    Ptr<Packet> q = p->Copy();
    if (v.tuple.proto == IPPROTO_NUM_TCP)
    {
        TcpHeader tcp;
        q->RemoveHeader(tcp);
        if (payload)
        {
            q = Create<Packet>(payload->data(), payload->size());
            CopyTags(p, q); // FlowMonitor's byte tag and the user's tags go on
        }
        tcp.SetSourcePort(to.sport);
        tcp.SetDestinationPort(to.dport);
        tcp.SetSequenceNumber(tcp.GetSequenceNumber() + seqDelta);
        if (tcp.GetFlags() & TcpHeader::ACK)
        {
            tcp.SetAckNumber(
                SequenceNumber32(tcp.GetAckNumber().GetValue() - static_cast<uint32_t>(ackDelta)));
        }
        if (checksums)
        {
            tcp.EnableChecksums();
            tcp.InitializeChecksum(Ipv4Address(to.src), Ipv4Address(to.dst), IPPROTO_NUM_TCP);
        }
        q->AddHeader(tcp);
        return q;
    }
    if (v.tuple.proto == IPPROTO_NUM_UDP && payload)
    {
        // A new datagram: ns-3's UdpHeader writes the length and the checksum.
        UdpHeader udp;
        udp.SetSourcePort(to.sport);
        udp.SetDestinationPort(to.dport);
        if (checksums)
        {
            udp.EnableChecksums();
            udp.InitializeChecksum(Ipv4Address(to.src), Ipv4Address(to.dst), IPPROTO_NUM_UDP);
        }
        q = Create<Packet>(payload->data(), payload->size());
        CopyTags(p, q); // FlowMonitor's byte tag and the user's tags go on
        q->AddHeader(udp);
        return q;
    }
    return TranslatePacket(p, ip, v, to, checksums);
}

namespace
{

/// Rewrites the embedded header and the first 8 payload bytes of an ICMP error body.
template <class ErrorHeader>
Ptr<const Packet>
RewriteIcmpErrorBody(Ptr<Packet> q,
                     Icmpv4Header icmp,
                     const PacketView& v,
                     const FlowTuple& to,
                     bool checksums)
{
    ErrorHeader err;
    q->RemoveHeader(err);
    Ipv4Header inner = err.GetHeader();
    inner.SetSource(Ipv4Address(to.src));
    inner.SetDestination(Ipv4Address(to.dst));
    if (checksums)
    {
        inner.EnableChecksum();
    }
    err.SetHeader(inner);
    uint8_t data[8];
    err.GetData(data);
    if (v.inner.proto == IPPROTO_NUM_TCP || v.inner.proto == IPPROTO_NUM_UDP)
    {
        if (v.inner.proto == IPPROTO_NUM_UDP && (data[6] || data[7]))
        {
            uint16_t ow[6];
            uint16_t nw[6];
            TupleWords(v.inner, ow);
            TupleWords(to, nw);
            uint16_t sum = ChecksumAdjust(static_cast<uint16_t>(data[6] << 8 | data[7]), ow, nw, 6);
            data[6] = static_cast<uint8_t>(sum >> 8);
            data[7] = static_cast<uint8_t>(sum);
        }
        data[0] = static_cast<uint8_t>(to.sport >> 8);
        data[1] = static_cast<uint8_t>(to.sport);
        data[2] = static_cast<uint8_t>(to.dport >> 8);
        data[3] = static_cast<uint8_t>(to.dport);
    }
    else if (v.inner.proto == IPPROTO_NUM_ICMP)
    {
        data[4] = static_cast<uint8_t>(to.sport >> 8);
        data[5] = static_cast<uint8_t>(to.sport);
    }
    err.SetData(Create<Packet>(data, 8));
    q->AddHeader(err);
    if (checksums)
    {
        icmp.EnableChecksum();
    }
    q->AddHeader(icmp);
    return q;
}

} // namespace

Ptr<const Packet>
TranslateIcmpError(Ptr<const Packet> p,
                   Ipv4Header& ip,
                   const PacketView& v,
                   const FlowTuple& innerTo,
                   uint32_t outerSrc,
                   uint32_t outerDst,
                   bool checksums)
{
    ip.SetSource(Ipv4Address(outerSrc));
    ip.SetDestination(Ipv4Address(outerDst));
    Ptr<Packet> q = p->Copy();
    Icmpv4Header icmp;
    q->RemoveHeader(icmp);
    switch (icmp.GetType())
    {
    case Icmpv4Header::ICMPV4_DEST_UNREACH:
        return RewriteIcmpErrorBody<Icmpv4DestinationUnreachable>(q, icmp, v, innerTo, checksums);
    case Icmpv4Header::ICMPV4_TIME_EXCEEDED:
        return RewriteIcmpErrorBody<Icmpv4TimeExceeded>(q, icmp, v, innerTo, checksums);
    default:
        return nullptr;
    }
}

} // namespace ns3
