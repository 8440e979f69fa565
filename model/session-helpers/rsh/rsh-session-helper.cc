/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rsh-session-helper.h"

#include "rsh-parser.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RshSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(RshSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(RshSessionHelper, "rsh");

namespace
{
/**
 * Where the client's byte stream starts, and what its start announced. Only the segment that
 * begins the stream is parsed, and only once (a complete start in that one segment, as Linux
 * parses only whole messages): a start split over segments, or an invalid one, opens nothing,
 * and no later data is ever read as a port.
 */
class RshState : public HelperState
{
  public:
    bool startKnown{false}; //!< startSeq is valid (SYN seen, or the first data segment)
    uint32_t startSeq{0};   //!< sequence number of the stream's first byte
    bool done{false};       //!< the start segment was inspected: nothing more to parse
    int port{-1};           //!< the announced stderr port (-1: none was accepted)
    uint16_t publicPort{0}; //!< the port it was rewritten to (0: not rewritten)
};
} // namespace

TypeId
RshSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RshSessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<RshSessionHelper>()
            .AddAttribute("PinholeTimeout",
                          "Seconds the pinhole of an rsh stderr connection waits for it.",
                          UintegerValue(PINHOLE_TIMEOUT),
                          MakeUintegerAccessor(&RshSessionHelper::m_pinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1));
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
    if (ctx.dir != SessionDir::ORIGINAL || ctx.view.tuple.proto != IPPROTO_NUM_TCP)
    {
        return;
    }
    auto& st = ctx.Data().State<RshState>();
    const bool syn = (ctx.view.tcpFlags & 0x02) != 0;
    // The first payload byte's sequence number (a SYN takes one before it).
    const uint32_t dataSeq = ctx.view.tcpSeq + (syn ? 1 : 0);
    if (syn)
    {
        // SYN: the client's stream starts at ISN + 1.
        st.startKnown = true;
        st.startSeq = dataSeq;
    }
    if (ctx.payloadLen == 0)
    {
        return;
    }
    if (!st.startKnown)
    {
        // The SYN was not seen: take the first data segment as the start.
        st.startKnown = true;
        st.startSeq = dataSeq;
    }
    if (dataSeq != st.startSeq)
    {
        NS_LOG_LOGIC("rsh: segment at seq " << dataSeq << " is not the stream start " << st.startSeq
                                            << ": not parsed");
        return; // only the start of the stream carries the port
    }
    int port = ParseRshStderrPort(ctx.payload, ctx.payloadLen);
    if (st.done)
    {
        // A retransmitted start is rewritten as the first copy was (its pinhole exists).
        if (port >= 0 && port == st.port && st.publicPort != 0)
        {
            std::string digits = std::to_string(port);
            ctx.editor.Replace(0, digits.size(), std::to_string(st.publicPort), ctx.payloadLen);
        }
        return;
    }
    st.done = true;
    if (port < 0)
    {
        NS_LOG_INFO("rsh: incomplete or invalid start in the first segment: no pinhole");
        return;
    }
    st.port = port;
    if (port == 0)
    {
        return; // no stderr channel
    }
    uint32_t publicIp = ctx.leaving.src;
    uint16_t publicPort = static_cast<uint16_t>(port);
    if (publicIp != ctx.view.tuple.src)
    {
        publicPort = ctx.AllocatePort(IPPROTO_NUM_TCP, publicIp, publicPort);
        if (publicPort == 0)
        {
            return;
        }
    }
    Expectation e = ctx.MakePinhole(IPPROTO_NUM_TCP, m_pinholeTimeout, GetName());
    e.src = ctx.leaving.dst;
    e.dst = publicIp;
    e.dport = publicPort;
    if (publicIp != ctx.view.tuple.src || publicPort != port)
    {
        e.natDst = ctx.view.tuple.src;
        e.natDport = static_cast<uint16_t>(port);
    }
    e.inIf = ctx.session.inIf[1];
    if (ctx.OpenPinhole(e) && publicPort != port)
    {
        st.publicPort = publicPort;
        std::string digits = std::to_string(port);
        ctx.editor.Replace(0, digits.size(), std::to_string(publicPort), ctx.payloadLen);
    }
}

} // namespace ns3
