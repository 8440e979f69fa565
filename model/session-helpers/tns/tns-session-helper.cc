/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tns-session-helper.h"

#include "tns-parser.h"

#include "ns3/log.h"
#include "ns3/reply-pinhole.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TnsSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(TnsSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(TnsSessionHelper, "tns");

namespace
{
/// TNS state of one connection.
class TnsState : public HelperState
{
  public:
    bool largeLength{false}; //!< a version >= 315 ACCEPT went by: 32-bit packet lengths
};
} // namespace

TypeId
TnsSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TnsSessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<TnsSessionHelper>()
            .AddAttribute("PinholeTimeout",
                          "Seconds the temporary pinhole of a REDIRECT waits for the client's "
                          "new connection (FortiOS does not document it)",
                          UintegerValue(30),
                          MakeUintegerAccessor(&TnsSessionHelper::m_pinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

std::string
TnsSessionHelper::GetName() const
{
    return "tns";
}

void
TnsSessionHelper::Inspect(HelperContext& ctx)
{
    if (ctx.payloadLen == 0 || ctx.view.tuple.proto != IPPROTO_NUM_TCP)
    {
        return;
    }
    auto& st = ctx.Data().State<TnsState>();
    std::size_t pos = 0;
    while (ctx.payloadLen - pos >= 8)
    {
        TnsPacket p;
        if (!ParseTns(ctx.payload + pos, ctx.payloadLen - pos, st.largeLength, p))
        {
            const uint32_t claimed =
                st.largeLength
                    ? (uint32_t(ctx.payload[pos]) << 24 | uint32_t(ctx.payload[pos + 1]) << 16 |
                       uint32_t(ctx.payload[pos + 2]) << 8 | ctx.payload[pos + 3])
                    : (uint32_t(ctx.payload[pos]) << 8 | ctx.payload[pos + 1]);
            if (claimed > ctx.payloadLen - pos && claimed <= 65535 && pos == 0 && ctx.mayHold &&
                !st.largeLength)
            {
                ctx.hold = true; // a connect-phase packet continues in the next segment
            }
            else if (!st.largeLength || pos == 0)
            {
                ++m_malformed;
            }
            return;
        }
        switch (p.type)
        {
        case TNS_REDIRECT:
            if (ctx.dir == SessionDir::REPLY)
            {
                Redirect(ctx, pos, p);
            }
            break;
        case TNS_ACCEPT:
            if (ctx.dir == SessionDir::REPLY && p.version >= 315)
            {
                st.largeLength = true;
            }
            break;
        case TNS_CONNECT:
            if (ctx.dir == SessionDir::ORIGINAL)
            {
                ++m_connects;
                TnsAddress a;
                const std::string cd(
                    reinterpret_cast<const char*>(ctx.payload + pos + p.dataOffset),
                    p.dataLength);
                if (FindTnsAddress(cd, a))
                {
                    NS_LOG_INFO("tns: CONNECT to " << a.host << ":" << a.port);
                }
            }
            break;
        default:
            break;
        }
        pos += p.length;
        if (st.largeLength)
        {
            return; // data phase: nothing more to look at
        }
    }
}

void
TnsSessionHelper::Redirect(HelperContext& ctx, std::size_t offset, const TnsPacket& p)
{
    const std::string cd(reinterpret_cast<const char*>(ctx.payload + offset + p.dataOffset),
                         p.dataLength);
    TnsAddress a;
    uint32_t host = 0;
    if (!FindTnsAddress(cd, a) || !ParseIpv4(a.host, host))
    {
        ++m_malformed;
        NS_LOG_INFO("tns: REDIRECT without a TCP ADDRESS with a numeric HOST: nothing opened");
        return;
    }
    const AnnouncedPinhole ph = OpenAnnouncedPinhole(ctx,
                                                     IPPROTO_NUM_TCP,
                                                     host,
                                                     a.port,
                                                     m_pinholeTimeout,
                                                     GetName(),
                                                     ctx.session.helperId);
    if (!ph.opened)
    {
        return;
    }
    ++m_redirects;
    NS_LOG_INFO("tns: REDIRECT to " << a.host << ":" << a.port);
    if (ph.publicIp == host)
    {
        return;
    }
    std::string text = cd;
    text.replace(a.hostOffset, a.hostLength, Ipv4ToString(ph.publicIp));
    const std::vector<uint8_t> rebuilt = ReplaceTnsConnectData(ctx.payload + offset, p, text);
    if (!rebuilt.empty())
    {
        ctx.editor.Replace(offset,
                           p.length,
                           std::string(rebuilt.begin(), rebuilt.end()),
                           ctx.payloadLen);
        NS_LOG_INFO("tns: HOST " << a.host << " rewritten to " << Ipv4ToString(ph.publicIp));
    }
}

} // namespace ns3
