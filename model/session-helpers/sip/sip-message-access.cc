/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sip-message.h"

#include "ns3/text-util.h"

#include <algorithm>

// What a parsed SIP message answers (the accessors of SipMessage, SipVia and SipParam lists, and
// the parse status names); the parser is in sip-message.cc.

namespace ns3
{

const SipParam*
FindSipParam(const SipParamList& params, std::string_view name)
{
    for (const auto& p : params)
    {
        if (AsciiIEquals(p.name, name))
        {
            return &p;
        }
    }
    return nullptr;
}

uint16_t
SipVia::EffectivePort() const
{
    return hasPort ? port : (AsciiIEquals(transport, "TLS") ? 5061 : 5060);
}

const char*
SipParseStatusName(SipParseStatus s)
{
    switch (s)
    {
    case SipParseStatus::OK:
        return "OK";
    case SipParseStatus::INCOMPLETE:
        return "INCOMPLETE";
    case SipParseStatus::ERROR:
        return "ERROR";
    }
    return "ERROR";
}

bool
SipMessage::HasViolation(SipCheck c) const
{
    return FindViolation(c) != nullptr;
}

const SipViolation*
SipMessage::FindViolation(SipCheck c) const
{
    for (const auto& v : violations)
    {
        if (v.check == c)
        {
            return &v;
        }
    }
    return nullptr;
}

const SipHeader*
SipMessage::FindHeader(SipHeaderId id) const
{
    for (const auto& h : headers)
    {
        if (h.id == id)
        {
            return &h;
        }
    }
    return nullptr;
}

const SipHeader*
SipMessage::FindHeader(std::string_view name) const
{
    SipHeaderId id = SipHeaderIdFromName(name);
    for (const auto& h : headers)
    {
        if (id != SipHeaderId::UNKNOWN
                ? h.id == id
                : (h.id == SipHeaderId::UNKNOWN && AsciiIEquals(h.name, name)))
        {
            return &h;
        }
    }
    return nullptr;
}

std::size_t
SipMessage::CountHeaders(SipHeaderId id) const
{
    std::size_t n = 0;
    for (const auto& h : headers)
    {
        n += h.id == id;
    }
    return n;
}

bool
SipMessage::HasUnknownHeader() const
{
    return CountHeaders(SipHeaderId::UNKNOWN) > 0;
}

bool
SipMessage::WellFormed() const
{
    if (!violations.empty())
    {
        return false;
    }
    for (const auto& h : headers)
    {
        if (h.malformed)
        {
            return false;
        }
    }
    return true;
}

uint32_t
SipMessage::ContactExpires(std::size_t index, uint32_t dflt) const
{
    if (index < contacts.size() && contacts[index].hasExpires)
    {
        return contacts[index].expires;
    }
    return hasExpires ? expires : dflt;
}

} // namespace ns3
