/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ftp-session-helper.h"

#include "ftp-parser.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FtpSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(FtpSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(FtpSessionHelper, "ftp");

TypeId
FtpSessionHelper::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FtpSessionHelper")
                            .SetParent<SessionHelper>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<FtpSessionHelper>();
    return tid;
}

std::string
FtpSessionHelper::GetName() const
{
    return "ftp";
}

void
FtpSessionHelper::Inspect(HelperContext& ctx)
{
    if (ctx.view.tuple.proto != IPPROTO_NUM_TCP || ctx.payloadLen == 0)
    {
        return;
    }
    bool fromClient = ctx.dir == SessionDir::ORIGINAL;
    const FlowTuple& in = ctx.view.tuple;
    for (const auto& cmd : FindFtpAddressCommands(ctx.payload, ctx.payloadLen, fromClient))
    {
        uint32_t announced = cmd.kind == FtpAddressCommand::EPSV_229 ? in.src : cmd.addr;
        if (announced != in.src)
        {
            NS_LOG_INFO("ftp: " << FtpAddressKindName(cmd.kind) << " announces "
                                << Ipv4ToString(announced) << ", not the sender "
                                << Ipv4ToString(in.src) << ": ignored");
            continue;
        }
        // The peer reaches the sender at its translated address.
        uint32_t publicIp = ctx.leaving.src;
        uint16_t publicPort = cmd.port;
        if (publicIp != announced)
        {
            publicPort = ctx.allocatePort(IPPROTO_NUM_TCP, publicIp, cmd.port);
            if (publicPort == 0)
            {
                continue; // no free port: leave the line alone, no pinhole
            }
        }
        Expectation e = ctx.MakePinhole(IPPROTO_NUM_TCP, PINHOLE_TIMEOUT, GetName());
        e.src = ctx.leaving.dst; // the peer, as its packets arrive
        e.dst = publicIp;
        e.dport = publicPort;
        if (publicIp != announced || publicPort != cmd.port)
        {
            e.natDst = announced;
            e.natDport = cmd.port;
        }
        if (!fromClient && ctx.session.IsSnat())
        {
            // Passive mode: the client's data connection gets the control session's SNAT.
            e.natSrc = ctx.session.reply.tuple.dst;
        }
        else if (fromClient && ctx.session.IsDnat())
        {
            // Active mode to a server behind a VIP: its data connection must leave from the
            // VIP's external address, the one the client talks to.
            e.natSrc = ctx.session.org.tuple.dst;
        }
        e.inIf = ctx.session.inIf[fromClient ? 1 : 0];
        if (!ctx.openPinhole(e))
        {
            continue;
        }
        if (publicIp != announced || publicPort != cmd.port)
        {
            ctx.editor.Replace(cmd.textOffset, cmd.textLength,
                               FormatFtpAddress(cmd.kind, publicIp, publicPort, cmd.delimiter),
                               ctx.payloadLen);
        }
        NS_LOG_INFO("ftp: " << FtpAddressKindName(cmd.kind) << " " << Ipv4ToString(announced) << ":"
                            << cmd.port << " -> " << Ipv4ToString(publicIp) << ":" << publicPort);
    }
}

} // namespace ns3
