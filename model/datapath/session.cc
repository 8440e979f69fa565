/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateSession");

const char*
SessionCloseReasonName(SessionCloseReason r)
{
    switch (r)
    {
    case SessionCloseReason::EXPIRED:
        return "expired";
    case SessionCloseReason::TCP_CLOSE:
        return "tcp-close";
    case SessionCloseReason::CLEARED:
        return "cleared";
    case SessionCloseReason::PARENT:
        return "parent";
    case SessionCloseReason::HELPER:
        return "helper";
    case SessionCloseReason::FLUSH:
        return "flush";
    }
    return "unknown";
}

std::string
SessionStateFlagsToString(uint16_t flags)
{
    // Order in which FortiOS prints the flags it shares with the model: `log` first, a proxied
    // session's `redir local` next (FortiOS: "state=log redir local may_dirty ...", and
    // "state=redir local may_dirty ndr ..." without log), then the others.
    static const struct
    {
        uint16_t bit;
        const char* name;
    } order[] = {
        {SES_LOG, "log"},
        {SES_REDIR, "redir"},
        {SES_LOCAL, "local"},
        {SES_EXT, "ext"},
        {SES_MAY_DIRTY, "may_dirty"},
        {SES_NDR, "ndr"},
        {SES_NPU, "npu"},
        {SES_DIRTY, "dirty"},
        {SES_REM, "rem"},
        {SES_BLOCK, "block"},
    };

    std::string text;
    for (const auto& f : order)
    {
        if (flags & f.bit)
        {
            if (!text.empty())
            {
                text += ' ';
            }
            text += f.name;
        }
    }
    return text;
}

Session::Session()
{
    org.dir = static_cast<uint8_t>(SessionDir::ORIGINAL);
    reply.dir = static_cast<uint8_t>(SessionDir::REPLY);
}

Session::~Session() = default;

SessionExtension&
Session::Ext()
{
    if (!m_ext)
    {
        m_ext = std::make_unique<SessionExtension>();
    }
    return *m_ext;
}

} // namespace ns3
