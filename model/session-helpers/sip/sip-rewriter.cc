/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SipRewriter: edits of a parsed SIP message (the SIP ALG's rewrites).

#include "sip-message.h"

#include "ns3/payload-editor.h"

#include <algorithm>
#include <cstring>

namespace ns3
{

// ---------------------------------------------------------------- rewriter

SipRewriter::SipRewriter(const SipMessage& msg)
    : m_msg(msg)
{
}

bool
SipRewriter::Replace(std::size_t offset, std::size_t length, const std::string& text)
{
    const std::size_t body = m_msg.bodyOffset;
    if (offset < m_msg.start || offset > m_msg.end || length > m_msg.end - offset)
    {
        return false;
    }
    if (offset < body && length > 0 && offset + length >= body)
    {
        return false; // reaches into the empty line or across the header/body boundary
    }
    if (m_msg.hasContentLength)
    {
        const SipSpan& cl = m_msg.contentLengthSpan;
        bool overlap = length == 0 ? (offset > cl.offset && offset < cl.End())
                                   : (offset < cl.End() && offset + length > cl.offset);
        if (overlap || (offset == cl.offset && length == 0))
        {
            return false;
        }
    }
    return m_edits.Replace(offset, length, text, m_msg.end);
}

bool
SipRewriter::Replace(const SipSpan& span, const std::string& text)
{
    return Replace(span.offset, span.length, text);
}

bool
SipRewriter::Insert(std::size_t offset, const std::string& text)
{
    return Replace(offset, 0, text);
}

bool
SipRewriter::Empty() const
{
    return m_edits.Empty();
}

std::size_t
SipRewriter::NewBodyLength() const
{
    long delta = 0;
    for (const auto& e : m_edits.Edits())
    {
        if (e.offset >= m_msg.bodyOffset)
        {
            delta += static_cast<long>(e.bytes.size()) - static_cast<long>(e.length);
        }
    }
    return static_cast<std::size_t>(static_cast<long>(m_msg.bodyLength) + delta);
}

PayloadEditor
SipRewriter::Edits() const
{
    PayloadEditor all = m_edits;
    std::size_t newBody = NewBodyLength();
    if (m_msg.hasContentLength && newBody != m_msg.bodyLength)
    {
        all.Replace(m_msg.contentLengthSpan.offset,
                    m_msg.contentLengthSpan.length,
                    std::to_string(newBody),
                    m_msg.end);
    }
    return all;
}

long
SipRewriter::Delta() const
{
    return Edits().Delta();
}

std::vector<uint8_t>
SipRewriter::Apply(const uint8_t* data) const
{
    const std::size_t from = m_msg.start - m_msg.skipped;
    PayloadEditor rel;
    const PayloadEditor all = Edits(); // keep the temporary alive for the loop
    for (const auto& e : all.Edits())
    {
        rel.Replace(e.offset - from, e.length, e.bytes, m_msg.consumed);
    }
    return rel.Apply(data + from, m_msg.consumed);
}

bool
SipRewriter::ExportTo(PayloadEditor& editor, std::size_t baseOffset, std::size_t payloadLen) const
{
    const PayloadEditor all = Edits(); // keep the temporary alive for the loop
    for (const auto& e : all.Edits())
    {
        if (!editor.Replace(baseOffset + e.offset, e.length, e.bytes, payloadLen))
        {
            return false;
        }
    }
    return true;
}

} // namespace ns3
