/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gre-header.h"

#include "ns3/log.h"
#include "ns3/nat-translator.h"

#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateGreHeader");

NS_OBJECT_ENSURE_REGISTERED(GreHeader);

TypeId
GreHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GreHeader")
                            .SetParent<Header>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<GreHeader>();
    return tid;
}

TypeId
GreHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

GreHeader::GreHeader() = default;

uint8_t
GreHeader::GetVersion() const
{
    return m_flags1 & 0x07;
}

void
GreHeader::SetVersion(uint8_t version)
{
    m_flags1 = static_cast<uint8_t>((m_flags1 & ~0x07) | (version & 0x07));
}

uint16_t
GreHeader::GetProtocolType() const
{
    return m_protocol;
}

void
GreHeader::SetProtocolType(uint16_t protocol)
{
    m_protocol = protocol;
}

bool
GreHeader::HasKey() const
{
    return (m_flags0 & FLAG_K) != 0;
}

void
GreHeader::SetKeyPresent(bool present)
{
    m_flags0 = present ? (m_flags0 | FLAG_K) : (m_flags0 & ~FLAG_K);
}

uint16_t
GreHeader::GetPayloadLength() const
{
    return m_payloadLength;
}

void
GreHeader::SetPayloadLength(uint16_t length)
{
    m_flags0 |= FLAG_K;
    m_payloadLength = length;
}

uint16_t
GreHeader::GetCallId() const
{
    return m_callId;
}

void
GreHeader::SetCallId(uint16_t callId)
{
    m_flags0 |= FLAG_K;
    m_callId = callId;
}

bool
GreHeader::HasSequenceNumber() const
{
    return (m_flags0 & FLAG_S) != 0;
}

uint32_t
GreHeader::GetSequenceNumber() const
{
    return HasSequenceNumber() ? m_seq : 0;
}

void
GreHeader::SetSequenceNumber(uint32_t seq)
{
    m_flags0 |= FLAG_S;
    m_seq = seq;
}

void
GreHeader::ClearSequenceNumber()
{
    m_flags0 &= ~FLAG_S;
    m_seq = 0;
}

bool
GreHeader::HasAcknowledgment() const
{
    return (m_flags1 & FLAG_A) != 0;
}

uint32_t
GreHeader::GetAcknowledgment() const
{
    return HasAcknowledgment() ? m_ack : 0;
}

void
GreHeader::SetAcknowledgment(uint32_t ack)
{
    m_flags1 |= FLAG_A;
    m_ack = ack;
}

void
GreHeader::ClearAcknowledgment()
{
    m_flags1 &= ~FLAG_A;
    m_ack = 0;
}

bool
GreHeader::HasChecksumField() const
{
    return (m_flags0 & (FLAG_C | FLAG_R)) != 0;
}

bool
GreHeader::HasChecksum() const
{
    return (m_flags0 & FLAG_C) != 0;
}

uint16_t
GreHeader::GetChecksum() const
{
    return HasChecksumField() ? m_checksum : 0;
}

void
GreHeader::SetChecksum(uint16_t checksum)
{
    m_flags0 |= FLAG_C;
    m_checksum = checksum;
}

uint32_t
GreHeader::SizeFromFlags(uint8_t b0, uint8_t b1)
{
    uint32_t n = 4;
    n += (b0 & (FLAG_C | FLAG_R)) ? 4 : 0;
    n += (b0 & FLAG_K) ? 4 : 0;
    n += (b0 & FLAG_S) ? 4 : 0;
    n += (b1 & FLAG_A) ? 4 : 0;
    return n;
}

uint32_t
GreHeader::KeyOffset(uint8_t b0)
{
    return (b0 & (FLAG_C | FLAG_R)) ? 8 : 4;
}

uint32_t
GreHeader::GetSerializedSize() const
{
    return SizeFromFlags(m_flags0, m_flags1);
}

void
GreHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    i.WriteU8(m_flags0);
    i.WriteU8(m_flags1);
    i.WriteHtonU16(m_protocol);
    if (HasChecksumField())
    {
        i.WriteHtonU16(m_checksum);
        i.WriteHtonU16(m_offset);
    }
    if (HasKey())
    {
        i.WriteHtonU16(m_payloadLength);
        i.WriteHtonU16(m_callId);
    }
    if (HasSequenceNumber())
    {
        i.WriteHtonU32(m_seq);
    }
    if (HasAcknowledgment())
    {
        i.WriteHtonU32(m_ack);
    }
}

uint32_t
GreHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_flags0 = i.ReadU8();
    m_flags1 = i.ReadU8();
    m_protocol = i.ReadNtohU16();
    m_checksum = m_offset = m_payloadLength = m_callId = 0;
    m_seq = m_ack = 0;
    if (HasChecksumField())
    {
        m_checksum = i.ReadNtohU16();
        m_offset = i.ReadNtohU16();
    }
    if (HasKey())
    {
        m_payloadLength = i.ReadNtohU16();
        m_callId = i.ReadNtohU16();
    }
    if (HasSequenceNumber())
    {
        m_seq = i.ReadNtohU32();
    }
    if (HasAcknowledgment())
    {
        m_ack = i.ReadNtohU32();
    }
    return i.GetDistanceFrom(start);
}

void
GreHeader::Print(std::ostream& os) const
{
    os << "GRE v" << static_cast<int>(GetVersion()) << " proto=0x" << std::hex << std::setw(4)
       << std::setfill('0') << m_protocol << std::dec << std::setfill(' ');
    if (HasChecksum())
    {
        os << " csum=0x" << std::hex << m_checksum << std::dec;
    }
    if (HasKey())
    {
        os << " len=" << m_payloadLength << " callid=" << m_callId;
    }
    if (HasSequenceNumber())
    {
        os << " seq=" << m_seq;
    }
    if (HasAcknowledgment())
    {
        os << " ack=" << m_ack;
    }
}

Ptr<const Packet>
TranslateGreKey(Ptr<const Packet> p, uint16_t callId)
{
    uint8_t b[2];
    if (p->CopyData(b, 2) != 2 || !(b[0] & GreHeader::FLAG_K) || (b[0] & GreHeader::FLAG_R) ||
        p->GetSize() < GreHeader::SizeFromFlags(b[0], b[1]))
    {
        return p; // no key, or source routing (not modelled): nothing to rewrite
    }
    Ptr<Packet> q = p->Copy();
    GreHeader gre;
    q->RemoveHeader(gre);
    if (gre.HasChecksum())
    {
        // The GRE checksum covers header and payload: adjust it for the one word (RFC 1624).
        uint16_t oldWord = gre.GetCallId();
        gre.SetChecksum(ChecksumAdjust(gre.GetChecksum(), &oldWord, &callId, 1));
    }
    gre.SetCallId(callId);
    q->AddHeader(gre);
    return q;
}

} // namespace ns3
