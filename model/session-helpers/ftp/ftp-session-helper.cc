/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ftp-session-helper.h"

#include "ftp-parser.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <memory>

namespace ns3
{

namespace
{

/**
 * Per control connection: where lines start in each direction (Linux's seq_aft_nl: only a
 * segment that begins right after a newline is parsed, so the tail of a line split over
 * segments never looks like a command), and the recent announcements with the public port
 * each got (a retransmitted PORT is rewritten the same way again).
 */
class FtpControlState : public HelperState
{
  public:
    static constexpr int REMEMBER = 2; //!< line starts remembered per direction (as Linux)

    /// One announcement already handled.
    struct Announced
    {
        uint32_t addr{0};       //!< announced address
        uint16_t port{0};       //!< announced port
        uint16_t publicPort{0}; //!< the port it was rewritten to
    };

    StreamMarks<REMEMBER> lineStarts[2]; //!< sequence numbers right after a LF, per direction
    Announced recent[2][4]{};            //!< last announcements per direction (ring)
    uint8_t recentNext[2]{0, 0};         //!< next ring slot

    /// \return true when a segment starting at \p seq starts a line (the first segment does
    ///         when the stream start was not seen)
    bool AtLineStart(int d, uint32_t seq) const
    {
        return lineStarts[d].Empty() || lineStarts[d].Contains(seq);
    }

    /// \return the public port an earlier identical announcement got, or 0
    uint16_t Find(int d, uint32_t addr, uint16_t port) const
    {
        for (const auto& a : recent[d])
        {
            if (a.port == port && a.addr == addr && a.publicPort != 0)
            {
                return a.publicPort;
            }
        }
        return 0;
    }

    /// Remember an announcement.
    void Remember(int d, uint32_t addr, uint16_t port, uint16_t publicPort)
    {
        recent[d][recentNext[d]] = Announced{addr, port, publicPort};
        recentNext[d] = static_cast<uint8_t>((recentNext[d] + 1) % 4);
    }
};

} // namespace

NS_LOG_COMPONENT_DEFINE("FtpSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(FtpSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(FtpSessionHelper, "ftp");

TypeId
FtpSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FtpSessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<FtpSessionHelper>()
            .AddAttribute("PinholeTimeout",
                          "Seconds the pinhole of an announced data connection waits for it "
                          "(Linux: 300; FortiOS does not document it).",
                          UintegerValue(PINHOLE_TIMEOUT),
                          MakeUintegerAccessor(&FtpSessionHelper::m_pinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1));
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
    if (ctx.view.tuple.proto != IPPROTO_NUM_TCP)
    {
        return;
    }
    const int d = static_cast<int>(ctx.dir);
    if (ctx.view.tcpFlags & 0x02)
    {
        // SYN: the stream of this direction starts (with a line) at ISN + 1.
        ctx.Data().State<FtpControlState>().lineStarts[d].Add(ctx.view.tcpSeq + 1);
    }
    if (ctx.payloadLen == 0)
    {
        return;
    }
    auto& st = ctx.Data().State<FtpControlState>();
    const uint32_t seq = ctx.view.tcpSeq;
    const bool atLineStart = st.AtLineStart(d, seq);
    if (ctx.payload[ctx.payloadLen - 1] == '\n')
    {
        st.lineStarts[d].Add(seq + static_cast<uint32_t>(ctx.payloadLen));
    }
    if (!atLineStart)
    {
        // The segment continues a line begun in an earlier one: whatever it holds is not a
        // command at a line start (Linux: "wrong seq pos"). Nothing is parsed or rewritten.
        NS_LOG_LOGIC("ftp: segment at seq " << seq << " does not start a line: not parsed");
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
            // A retransmitted announcement keeps the port it got the first time (its pinhole
            // is refreshed), so both copies of the segment are rewritten alike.
            publicPort = st.Find(d, announced, cmd.port);
            if (publicPort == 0)
            {
                publicPort = ctx.AllocatePort(IPPROTO_NUM_TCP, publicIp, cmd.port);
            }
            if (publicPort == 0)
            {
                continue; // no free port: leave the line alone, no pinhole
            }
        }
        Expectation e = ctx.MakePinhole(IPPROTO_NUM_TCP, m_pinholeTimeout, GetName());
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
        // One data pinhole per control connection (Linux's FTP expectation policy: at most one
        // expected): a new PORT/PASV replaces the previous one.
        e.classMax = 1;
        if (!ctx.OpenPinhole(e))
        {
            continue;
        }
        st.Remember(d, announced, cmd.port, publicPort);
        if (publicIp != announced || publicPort != cmd.port)
        {
            ctx.editor.Replace(cmd.textOffset,
                               cmd.textLength,
                               FormatFtpAddress(cmd.kind, publicIp, publicPort, cmd.delimiter),
                               ctx.payloadLen);
        }
        NS_LOG_INFO("ftp: " << FtpAddressKindName(cmd.kind) << " " << Ipv4ToString(announced) << ":"
                            << cmd.port << " -> " << Ipv4ToString(publicIp) << ":" << publicPort);
    }
}

} // namespace ns3
