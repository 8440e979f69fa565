/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "reply-pinhole.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AnnouncedPinhole");

AnnouncedPinhole
OpenAnnouncedPinhole(HelperContext& ctx,
                     uint8_t proto,
                     uint32_t announcedIp,
                     uint16_t port,
                     uint32_t timeoutSec,
                     const std::string& helper,
                     uint8_t childHelper)
{
    AnnouncedPinhole out;
    const uint32_t real = ctx.view.tuple.src; // the server as it sent this answer
    const uint32_t known = ctx.leaving.src;   // the server as the client knows it
    const bool self = announcedIp == 0 || announcedIp == real || announcedIp == known;
    out.publicIp = self ? known : announcedIp;
    Expectation e = ctx.MakePinhole(proto, timeoutSec, helper);
    e.src = ctx.leaving.dst; // the client, as its packets arrive
    e.dst = out.publicIp;
    e.dport = port;
    if (self && known != real)
    {
        e.natDst = real; // behind a VIP: to the server's real address
        e.natDport = port;
    }
    if (ctx.session.IsSnat())
    {
        e.natSrc = ctx.session.reply.tuple.dst; // the client's translated address
    }
    e.inIf = ctx.session.inIf[0];
    e.childHelper = childHelper;
    out.opened = ctx.OpenPinhole(e);
    NS_LOG_INFO(helper << ": pinhole " << (proto == 6 ? "tcp " : "udp ") << Ipv4ToString(e.src)
                       << " -> " << Ipv4ToString(e.dst) << ":" << port
                       << (out.opened ? "" : " refused"));
    return out;
}

} // namespace ns3
