/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "payload-editor.h"

#include "ns3/log.h"
#include "ns3/sequence-number.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGatePayloadEditor");

bool
PayloadEditor::Replace(std::size_t offset,
                       std::size_t length,
                       const std::string& bytes,
                       std::size_t payloadLen)
{
    if (offset > payloadLen || length > payloadLen - offset)
    {
        return false;
    }
    auto pos =
        std::lower_bound(m_edits.begin(), m_edits.end(), offset, [](const Edit& e, std::size_t o) {
            return e.offset < o;
        });
    if (pos != m_edits.end() && pos->offset < offset + length)
    {
        return false;
    }
    if (pos != m_edits.begin())
    {
        auto prev = pos - 1;
        if (prev->offset + prev->length > offset || prev->offset == offset)
        {
            return false;
        }
    }
    m_edits.insert(pos, Edit{offset, length, bytes});
    return true;
}

long
PayloadEditor::Delta() const
{
    long d = 0;
    for (const auto& e : m_edits)
    {
        d += static_cast<long>(e.bytes.size()) - static_cast<long>(e.length);
    }
    return d;
}

std::vector<uint8_t>
PayloadEditor::Apply(const uint8_t* payload, std::size_t len) const
{
    std::vector<uint8_t> out;
    out.reserve(static_cast<std::size_t>(static_cast<long>(len) + Delta()));
    std::size_t at = 0;
    for (const auto& e : m_edits)
    {
        out.insert(out.end(), payload + at, payload + e.offset);
        out.insert(out.end(), e.bytes.begin(), e.bytes.end());
        at = e.offset + e.length;
    }
    out.insert(out.end(), payload + at, payload + len);
    return out;
}

void
TcpSeqAdjust::Record(uint32_t seq, int32_t delta)
{
    if (active && !(SequenceNumber32(seq) > SequenceNumber32(position)))
    {
        return; // a retransmission of an already corrected segment: offsets stand
    }
    before = after;
    position = seq;
    after += delta;
    active = true;
}

int32_t
TcpSeqAdjust::OffsetFor(uint32_t seq) const
{
    if (!active)
    {
        return 0;
    }
    return (SequenceNumber32(seq) > SequenceNumber32(position)) ? after : before;
}

int32_t
TcpSeqAdjust::OffsetForAck(uint32_t ack) const
{
    if (!active)
    {
        return 0;
    }
    // The peer acknowledges translated numbers: compare against the translated position.
    return (SequenceNumber32(ack - static_cast<uint32_t>(before)) > SequenceNumber32(position))
               ? after
               : before;
}

} // namespace ns3
