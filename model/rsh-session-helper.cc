/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rsh-session-helper.h"

#include "ns3/log.h"
#include "rsh-parser.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RshSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(RshSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(RshSessionHelper, "rsh");

namespace
{
/// The client's start was handled.
class RshState : public HelperState
{
};
} // namespace

TypeId
RshSessionHelper::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RshSessionHelper")
                            .SetParent<SessionHelper>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<RshSessionHelper>();
    return tid;
}

std::string
RshSessionHelper::GetName() const
{
    return "rsh";
}

void
RshSessionHelper::Inspect(HelperContext& ctx)
{
    if (ctx.dir != SessionDir::ORIGINAL || ctx.payloadLen == 0
        || ctx.view.tuple.proto != IPPROTO_NUM_TCP)
    {
        return;
    }
    SessionExtension& ext = ctx.Data();
    if (ext.state)
    {
        return; // only the start of the stream carries the port
    }
    int port = ParseRshStderrPort(ctx.payload, ctx.payloadLen);
    if (port < 0)
    {
        return; // incomplete or invalid: wait for (or ignore) the rest, open nothing
    }
    ext.state = std::make_unique<RshState>();
    if (port == 0)
    {
        return; // no stderr channel
    }
    uint32_t publicIp = ctx.leaving.src;
    uint16_t publicPort = static_cast<uint16_t>(port);
    if (publicIp != ctx.view.tuple.src)
    {
        publicPort = ctx.allocatePort(IPPROTO_NUM_TCP, publicIp, publicPort);
        if (publicPort == 0)
        {
            return;
        }
    }
    Expectation e = ctx.MakePinhole(IPPROTO_NUM_TCP, PINHOLE_TIMEOUT, GetName());
    e.src = ctx.leaving.dst;
    e.dst = publicIp;
    e.dport = publicPort;
    if (publicIp != ctx.view.tuple.src || publicPort != port)
    {
        e.natDst = ctx.view.tuple.src;
        e.natDport = static_cast<uint16_t>(port);
    }
    e.inIf = ctx.session.inIf[1];
    if (ctx.openPinhole(e) && publicPort != port)
    {
        std::string digits = std::to_string(port);
        ctx.editor.Replace(0, digits.size(), std::to_string(publicPort), ctx.payloadLen);
    }
}

} // namespace ns3
