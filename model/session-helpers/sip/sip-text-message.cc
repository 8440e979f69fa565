/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SipTextMessage: the one builder of SIP message text.

#include "sip-text-message.h"

#include "ns3/reason-phrase.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cctype>

namespace ns3
{

// ---------------------------------------------------------------------------------------------
// SipTextMessage

SipTextMessage
SipTextMessage::Request(std::string_view method, std::string_view uri)
{
    SipTextMessage m;
    m.m_startLine = std::string(method) + " " + std::string(uri) + " SIP/2.0";
    return m;
}

SipTextMessage
SipTextMessage::Response(uint32_t code, std::string_view reason)
{
    SipTextMessage m;
    m.m_startLine =
        "SIP/2.0 " + std::to_string(code) + " " +
        (reason.empty() ? ReasonPhrase(StatusProtocol::SIP, code) : std::string(reason));
    return m;
}

SipTextMessage
SipTextMessage::FromParsed(const SipMessage& msg, const uint8_t* data)
{
    SipTextMessage m;
    m.m_startLine = msg.startLineSpan.Text(data);
    for (std::size_t i = 0; i < msg.headers.size(); ++i)
    {
        const SipHeader& h = msg.headers[i];
        std::string name(h.id == SipHeaderId::UNKNOWN ? h.name : h.canonical);
        if (h.id == SipHeaderId::CONTENT_LENGTH)
        {
            continue;
        }
        if (h.id == SipHeaderId::VIA || h.id == SipHeaderId::ROUTE)
        {
            bool any = false;
            if (h.id == SipHeaderId::VIA)
            {
                for (const SipVia& v : msg.vias)
                {
                    if (v.headerIndex == i)
                    {
                        m.m_headers.emplace_back(name, v.span.Text(data));
                        any = true;
                    }
                }
            }
            else
            {
                for (const SipNameAddr& r : msg.routes)
                {
                    if (r.headerIndex == i)
                    {
                        m.m_headers.emplace_back(name, r.span.Text(data));
                        any = true;
                    }
                }
            }
            if (any)
            {
                continue;
            }
        }
        m.m_headers.emplace_back(name, h.value);
    }
    if (msg.bodyLength > 0)
    {
        m.m_body.assign(reinterpret_cast<const char*>(data) + msg.bodyOffset, msg.bodyLength);
    }
    return m;
}

void
SipTextMessage::SetStartLine(std::string_view line)
{
    m_startLine = line;
}

const std::string&
SipTextMessage::GetStartLine() const
{
    return m_startLine;
}

void
SipTextMessage::AddHeader(std::string_view name, std::string_view value)
{
    m_headers.emplace_back(name, value);
}

void
SipTextMessage::PrependHeader(std::string_view name, std::string_view value)
{
    m_headers.insert(m_headers.begin(), std::make_pair(std::string(name), std::string(value)));
}

void
SipTextMessage::InsertHeaderBefore(std::string_view before,
                                   std::string_view name,
                                   std::string_view value)
{
    for (auto it = m_headers.begin(); it != m_headers.end(); ++it)
    {
        if (AsciiIEquals(it->first, before))
        {
            m_headers.insert(it, std::make_pair(std::string(name), std::string(value)));
            return;
        }
    }
    m_headers.emplace_back(name, value);
}

void
SipTextMessage::SetHeader(std::string_view name, std::string_view value)
{
    for (auto& h : m_headers)
    {
        if (AsciiIEquals(h.first, name))
        {
            h.second = value;
            return;
        }
    }
    m_headers.emplace_back(name, value);
}

std::size_t
SipTextMessage::RemoveHeaders(std::string_view name)
{
    std::size_t before = m_headers.size();
    m_headers.erase(std::remove_if(m_headers.begin(),
                                   m_headers.end(),
                                   [&name](const std::pair<std::string, std::string>& h) {
                                       return AsciiIEquals(h.first, name);
                                   }),
                    m_headers.end());
    return before - m_headers.size();
}

bool
SipTextMessage::RemoveFirstHeader(std::string_view name)
{
    for (auto it = m_headers.begin(); it != m_headers.end(); ++it)
    {
        if (AsciiIEquals(it->first, name))
        {
            m_headers.erase(it);
            return true;
        }
    }
    return false;
}

std::string
SipTextMessage::GetHeader(std::string_view name) const
{
    for (const auto& h : m_headers)
    {
        if (AsciiIEquals(h.first, name))
        {
            return h.second;
        }
    }
    return "";
}

const std::vector<std::pair<std::string, std::string>>&
SipTextMessage::GetHeaders() const
{
    return m_headers;
}

void
SipTextMessage::SetBody(std::string_view body, std::string_view contentType)
{
    m_body = body;
    RemoveHeaders("Content-Type");
    if (!contentType.empty())
    {
        m_headers.emplace_back("Content-Type", contentType);
    }
}

const std::string&
SipTextMessage::GetBody() const
{
    return m_body;
}

std::string
SipTextMessage::ToString() const
{
    std::string out = m_startLine + "\r\n";
    for (const auto& h : m_headers)
    {
        if (AsciiIEquals(h.first, "Content-Length") || AsciiIEquals(h.first, "l"))
        {
            continue;
        }
        out += h.first + ": " + h.second + "\r\n";
    }
    out += "Content-Length: " + std::to_string(m_body.size()) + "\r\n\r\n";
    out += m_body;
    return out;
}

} // namespace ns3
