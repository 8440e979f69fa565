/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rtsp-session-helper.h"

#include "rtsp-parser.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <memory>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RtspSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(RtspSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(RtspSessionHelper, "rtsp");

namespace
{

/// One media stream announced by a SETUP.
struct RtspStream
{
    uint32_t setupCseq{0};   //!< CSeq of the SETUP that announced it
    bool replied{false};     //!< the 2xx reply was handled
    std::string sessionId;   //!< RTSP Session id (from the reply or a later request)
    uint32_t clientIp{0};    //!< the client's real address
    uint16_t clientLo{0};    //!< its first media port
    uint16_t span{0};        //!< ports - 1
    uint32_t publicIp{0};    //!< the client as the server sees it
    uint16_t publicLo{0};    //!< its first translated port
    uint32_t serverIp{0};    //!< the server's real address (media source as it arrives)
    uint32_t serverPubIp{0}; //!< the server as the client sees it (VIP)
    uint16_t serverLo{0};    //!< the server's first media port (0 = not known yet)
    uint16_t serverSpan{0};  //!< its ports - 1
    uint16_t serverPubLo{0}; //!< the server's first port as the client sees it
};

/**
 * Per control connection: where messages start in each direction, the streams announced.
 */
class RtspControlState : public HelperState
{
  public:
    static constexpr int REMEMBER = 4; //!< message starts remembered per direction

    StreamMarks<REMEMBER> starts[2]; //!< sequence numbers where a message starts
    bool lost[2]{false, false};      //!< a message boundary is unknown (split header)
    std::vector<RtspStream> streams; //!< announced streams, oldest first
    uint32_t pinholeTimeout{0};      //!< the helper's PinholeTimeout at this packet, s
};

/// \return true when \p p begins like an RTSP request line, status line or `$` frame
bool
LooksLikeMessageStart(const uint8_t* p, std::size_t len)
{
    if (len >= 1 && p[0] == '$')
    {
        return true;
    }
    if (len >= 9 && std::equal(p, p + 9, reinterpret_cast<const uint8_t*>("RTSP/1.0 ")))
    {
        return true;
    }
    std::size_t i = 0;
    while (i < len && i < 32 && p[i] >= 'A' && p[i] <= 'Z')
    {
        ++i;
    }
    return i > 0 && i < len && p[i] == ' ';
}

/// Free block of span + 1 ports on \p ip, \p lo when free (same parity otherwise). 0 = none
uint16_t
AllocateBlock(HelperContext& ctx, uint32_t ip, uint16_t lo, uint16_t span)
{
    uint16_t want = lo;
    for (int attempt = 0; attempt < 16; ++attempt)
    {
        uint16_t p = ctx.AllocatePort(IPPROTO_NUM_UDP, ip, want);
        if (p == 0)
        {
            return 0;
        }
        if ((p & 1) != (lo & 1))
        {
            p = p < 65535 ? static_cast<uint16_t>(p + 1) : static_cast<uint16_t>(p - 1);
        }
        bool free = static_cast<uint32_t>(p) + span <= 65535;
        for (uint16_t k = 0; free && k <= span; ++k)
        {
            uint16_t q = static_cast<uint16_t>(p + k);
            free = ctx.AllocatePort(IPPROTO_NUM_UDP, ip, q) == q;
        }
        if (free)
        {
            return p;
        }
        // Try the next block of the same parity (the datapath picks a random free port
        // when that one is taken too).
        uint32_t next = static_cast<uint32_t>(p) + span + 1;
        next += (next & 1) != (lo & 1u) ? 1 : 0;
        want = static_cast<uint16_t>(next + span <= 65535 ? next : 1024u + (lo & 1u));
    }
    return 0;
}

/// Remove every pinhole of stream \p s. \return how many
uint32_t
RemoveStreamPinholes(HelperContext& ctx, const RtspStream& s)
{
    return ctx.RemovePinholes([&s](const Expectation& e) {
        if (e.proto != IPPROTO_NUM_UDP || e.helper != "rtsp")
        {
            return false;
        }
        if (e.dst == s.publicIp && e.dport >= s.publicLo && e.dport <= s.publicLo + s.span)
        {
            return true; // server -> client media
        }
        return s.serverPubLo != 0 && e.dst == s.serverPubIp && e.dport >= s.serverPubLo &&
               e.dport <= s.serverPubLo + s.serverSpan; // client -> server (VIP)
    });
}

/**
 * Open the server -> client pinholes of \p s (precise source ports when the server's ports
 * are known and as many as the client's), and behind a VIP the client -> server ones.
 * \return false (and nothing left open) when one was refused
 */
bool
OpenStreamPinholes(HelperContext& ctx, const RtspStream& s, uint32_t timeout)
{
    const bool preciseSport = s.serverLo != 0 && s.serverSpan == s.span;
    std::vector<Expectation> pins;
    for (uint16_t k = 0; k <= s.span; ++k)
    {
        Expectation e = ctx.MakePinhole(IPPROTO_NUM_UDP, timeout, "rtsp");
        e.src = s.serverIp;
        e.sport = preciseSport ? static_cast<uint16_t>(s.serverLo + k) : 0;
        e.dst = s.publicIp;
        e.dport = static_cast<uint16_t>(s.publicLo + k);
        if (s.publicIp != s.clientIp)
        {
            e.natDst = s.clientIp;
        }
        if (s.publicLo != s.clientLo)
        {
            e.natDport = static_cast<uint16_t>(s.clientLo + k);
        }
        if (s.serverPubIp != s.serverIp)
        {
            e.natSrc = s.serverPubIp;
            if (preciseSport && s.serverPubLo != s.serverLo)
            {
                e.natSport = static_cast<uint16_t>(s.serverPubLo + k);
            }
        }
        e.inIf = ctx.session.inIf[1];
        pins.push_back(e);
    }
    if (s.serverPubIp != s.serverIp && s.serverLo != 0)
    {
        // Server behind a VIP: the client's RTCP (and RTP) to the server's ports needs a way in.
        for (uint16_t k = 0; k <= s.serverSpan; ++k)
        {
            Expectation e = ctx.MakePinhole(IPPROTO_NUM_UDP, timeout, "rtsp");
            e.src = ctx.session.org.tuple.src;
            e.dst = s.serverPubIp;
            e.dport = static_cast<uint16_t>(s.serverPubLo + k);
            e.natDst = s.serverIp;
            if (s.serverPubLo != s.serverLo)
            {
                e.natDport = static_cast<uint16_t>(s.serverLo + k);
            }
            if (s.publicIp != s.clientIp)
            {
                e.natSrc = s.publicIp;
            }
            e.inIf = ctx.session.inIf[0];
            pins.push_back(e);
        }
    }
    for (const Expectation& e : pins)
    {
        if (!ctx.OpenPinhole(e))
        {
            NS_LOG_INFO("rtsp: pinhole to " << Ipv4ToString(e.dst) << ":" << e.dport << " refused");
            RemoveStreamPinholes(ctx, s);
            return false;
        }
    }
    return true;
}

/// \return the IPv4 value of \p text, or 0 when it is not a dotted quad
uint32_t
AddressOf(const std::string& text)
{
    uint32_t a = 0;
    return ParseIpv4(text, a) ? a : 0;
}

/// Handle a SETUP request (client -> server); \p base = the message's offset in the payload.
void
HandleSetup(HelperContext& ctx, RtspControlState& st, const RtspMessage& msg, std::size_t base)
{
    if (!msg.hasCSeq)
    {
        NS_LOG_INFO("rtsp: SETUP without CSeq: not handled");
        return;
    }
    const Session& s = ctx.session;
    const uint32_t clientIp = s.org.tuple.src;
    const uint32_t publicIp = s.reply.tuple.dst;
    const uint32_t serverIp = s.reply.tuple.src;
    const uint32_t serverPubIp = s.org.tuple.dst;
    for (const RtspTransportSpec& t : msg.transports)
    {
        if (!t.IsUdpUnicast() || !t.clientPort.present)
        {
            continue;
        }
        uint32_t dest = t.hasDestination ? AddressOf(t.destination) : clientIp;
        if (dest != clientIp && dest != publicIp)
        {
            NS_LOG_INFO("rtsp: SETUP asks for media to " << t.destination
                                                         << ", not the client: not handled");
            continue;
        }
        const uint16_t lo = t.clientPort.lo;
        const uint16_t span = static_cast<uint16_t>(t.clientPort.hi - t.clientPort.lo);
        auto it = std::find_if(st.streams.begin(), st.streams.end(), [&](const RtspStream& x) {
            return x.clientIp == clientIp && x.clientLo == lo && x.span == span;
        });
        if (it != st.streams.end() && it->setupCseq != msg.cseq)
        {
            // The same ports set up again (a new SETUP): start over with that stream.
            RemoveStreamPinholes(ctx, *it);
            RtspStream again = *it;
            st.streams.erase(it);
            again.setupCseq = msg.cseq;
            again.replied = false;
            again.serverLo = again.serverSpan = again.serverPubLo = 0;
            if (!OpenStreamPinholes(ctx, again, st.pinholeTimeout))
            {
                continue;
            }
            st.streams.push_back(again);
            it = st.streams.end() - 1;
        }
        else if (it == st.streams.end())
        {
            if (st.streams.size() >= RtspSessionHelper::MAX_STREAMS)
            {
                NS_LOG_INFO("rtsp: " << st.streams.size() << " streams already: SETUP ignored");
                continue;
            }
            RtspStream n;
            n.setupCseq = msg.cseq;
            n.sessionId = msg.session;
            n.clientIp = clientIp;
            n.clientLo = lo;
            n.span = span;
            n.publicIp = publicIp;
            n.publicLo = publicIp == clientIp ? lo : AllocateBlock(ctx, publicIp, lo, span);
            n.serverIp = serverIp;
            n.serverPubIp = serverPubIp;
            if (n.publicLo == 0)
            {
                NS_LOG_INFO("rtsp: no free port block on " << Ipv4ToString(publicIp));
                continue;
            }
            if (!OpenStreamPinholes(ctx, n, st.pinholeTimeout))
            {
                continue;
            }
            st.streams.push_back(n);
            it = st.streams.end() - 1;
        }
        // (else: a retransmitted SETUP: rewritten the same way, pinholes as they are)
        if (it->publicLo != lo)
        {
            ctx.editor.Replace(base + t.clientPort.text.offset,
                               t.clientPort.text.length,
                               FormatRtspPortRange(it->publicLo,
                                                   static_cast<uint16_t>(it->publicLo + span),
                                                   t.clientPort.hasHi),
                               ctx.payloadLen);
        }
        if (t.hasDestination && dest == clientIp && publicIp != clientIp)
        {
            ctx.editor.Replace(base + t.destinationText.offset,
                               t.destinationText.length,
                               Ipv4ToString(publicIp),
                               ctx.payloadLen);
        }
        NS_LOG_INFO("rtsp: SETUP CSeq " << msg.cseq << " client_port " << Ipv4ToString(clientIp)
                                        << ":" << lo << "-" << lo + span << " -> "
                                        << Ipv4ToString(publicIp) << ":" << it->publicLo);
    }
}

/// Handle the reply to a SETUP (server -> client).
void
HandleSetupReply(HelperContext& ctx, RtspControlState& st, const RtspMessage& msg, std::size_t base)
{
    std::vector<std::size_t> cand;
    for (std::size_t i = 0; i < st.streams.size(); ++i)
    {
        if (st.streams[i].setupCseq == msg.cseq)
        {
            cand.push_back(i);
        }
    }
    if (cand.empty() || msg.statusCode < 200)
    {
        return;
    }
    auto dropStreams = [&](const std::vector<std::size_t>& which) {
        for (auto i = which.rbegin(); i != which.rend(); ++i)
        {
            RemoveStreamPinholes(ctx, st.streams[*i]);
            st.streams.erase(st.streams.begin() + static_cast<long>(*i));
        }
    };
    if (msg.statusCode >= 300)
    {
        std::vector<std::size_t> pending;
        for (std::size_t i : cand)
        {
            if (!st.streams[i].replied)
            {
                pending.push_back(i);
            }
        }
        NS_LOG_INFO("rtsp: SETUP CSeq " << msg.cseq << " failed (" << msg.statusCode
                                        << "): pinholes removed");
        dropStreams(pending);
        return;
    }
    const RtspTransportSpec* t = nullptr;
    for (const RtspTransportSpec& x : msg.transports)
    {
        if (x.IsUdpUnicast())
        {
            t = &x;
            break;
        }
    }
    if (!t)
    {
        return; // no UDP transport chosen (e.g. interleaved): the pinholes expire unused
    }
    std::size_t chosen = cand.size();
    for (std::size_t j = 0; j < cand.size(); ++j)
    {
        if (t->clientPort.present && st.streams[cand[j]].publicLo == t->clientPort.lo)
        {
            chosen = j;
        }
    }
    if (chosen == cand.size() && cand.size() == 1)
    {
        chosen = 0; // one offer: the server's echo of client_port is not needed to match it
    }
    if (chosen == cand.size())
    {
        NS_LOG_INFO("rtsp: SETUP reply CSeq " << msg.cseq << " names no announced client_port");
        return;
    }
    std::vector<std::size_t> others;
    for (std::size_t j = 0; j < cand.size(); ++j)
    {
        if (j != chosen && !st.streams[cand[j]].replied)
        {
            others.push_back(cand[j]);
        }
    }
    std::size_t idx = cand[chosen];
    for (std::size_t o : others)
    {
        idx -= o < idx ? 1 : 0;
    }
    dropStreams(others);
    RtspStream& s = st.streams[idx];
    if (!msg.session.empty())
    {
        s.sessionId = msg.session;
    }
    // The client sees its own ports and address again.
    if (t->clientPort.present && t->clientPort.lo == s.publicLo && s.publicLo != s.clientLo)
    {
        ctx.editor.Replace(base + t->clientPort.text.offset,
                           t->clientPort.text.length,
                           FormatRtspPortRange(s.clientLo,
                                               static_cast<uint16_t>(s.clientLo + s.span),
                                               t->clientPort.hasHi),
                           ctx.payloadLen);
    }
    if (t->hasDestination && AddressOf(t->destination) == s.publicIp && s.publicIp != s.clientIp)
    {
        ctx.editor.Replace(base + t->destinationText.offset,
                           t->destinationText.length,
                           Ipv4ToString(s.clientIp),
                           ctx.payloadLen);
    }
    const bool vip = s.serverPubIp != s.serverIp;
    if (t->hasSource && vip && AddressOf(t->source) == s.serverIp)
    {
        ctx.editor.Replace(base + t->sourceText.offset,
                           t->sourceText.length,
                           Ipv4ToString(s.serverPubIp),
                           ctx.payloadLen);
    }
    if (!s.replied && t->serverPort.present)
    {
        s.serverLo = t->serverPort.lo;
        s.serverSpan = static_cast<uint16_t>(t->serverPort.hi - t->serverPort.lo);
        s.serverPubLo = s.serverLo;
        if (vip)
        {
            uint16_t p = AllocateBlock(ctx, s.serverPubIp, s.serverLo, s.serverSpan);
            s.serverPubLo = p != 0 ? p : s.serverLo;
        }
        // Narrow the wildcard pinholes to the server's ports (and open the VIP's inbound ones).
        RemoveStreamPinholes(ctx, s);
        if (!OpenStreamPinholes(ctx, s, st.pinholeTimeout))
        {
            st.streams.erase(st.streams.begin() + static_cast<long>(idx));
            return;
        }
    }
    if (t->serverPort.present && s.serverPubLo != 0 && s.serverPubLo != s.serverLo)
    {
        ctx.editor.Replace(base + t->serverPort.text.offset,
                           t->serverPort.text.length,
                           FormatRtspPortRange(s.serverPubLo,
                                               static_cast<uint16_t>(s.serverPubLo + s.serverSpan),
                                               t->serverPort.hasHi),
                           ctx.payloadLen);
    }
    s.replied = true;
    NS_LOG_INFO("rtsp: SETUP reply CSeq " << msg.cseq << " session " << s.sessionId
                                          << " server_port " << s.serverLo << " -> client "
                                          << Ipv4ToString(s.clientIp) << ":" << s.clientLo);
}

/// Handle a TEARDOWN request.
void
HandleTeardown(HelperContext& ctx, RtspControlState& st, const RtspMessage& msg)
{
    if (msg.session.empty())
    {
        NS_LOG_INFO("rtsp: TEARDOWN without Session: nothing removed");
        return;
    }
    uint32_t removed = 0;
    for (auto it = st.streams.begin(); it != st.streams.end();)
    {
        if (it->sessionId == msg.session)
        {
            removed += RemoveStreamPinholes(ctx, *it);
            it = st.streams.erase(it);
        }
        else
        {
            ++it;
        }
    }
    NS_LOG_INFO("rtsp: TEARDOWN session " << msg.session << ": " << removed << " pinholes removed");
}

} // namespace

TypeId
RtspSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RtspSessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<RtspSessionHelper>()
            .AddAttribute("PinholeTimeout",
                          "Seconds a pinhole of an announced media stream waits for its first "
                          "packet (Linux: 300; FortiOS does not document it).",
                          UintegerValue(PINHOLE_TIMEOUT),
                          MakeUintegerAccessor(&RtspSessionHelper::m_pinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

std::string
RtspSessionHelper::GetName() const
{
    return "rtsp";
}

void
RtspSessionHelper::Inspect(HelperContext& ctx)
{
    if (ctx.view.tuple.proto != IPPROTO_NUM_TCP)
    {
        return;
    }
    const int d = static_cast<int>(ctx.dir);
    auto& st = ctx.Data().State<RtspControlState>();
    st.pinholeTimeout = m_pinholeTimeout;
    const uint32_t seq = ctx.view.tcpSeq;
    if (ctx.view.tcpFlags & 0x02)
    {
        st.starts[d].Add(seq + 1); // the stream of this direction starts at ISN + 1
    }
    if (ctx.payloadLen == 0)
    {
        return;
    }
    long start = st.starts[d].FirstIn(seq, ctx.payloadLen);
    if (start < 0)
    {
        if ((st.starts[d].Empty() || st.lost[d]) &&
            LooksLikeMessageStart(ctx.payload, ctx.payloadLen))
        {
            start = 0; // stream start not seen, or resynchronising after a split header
        }
        else
        {
            NS_LOG_LOGIC("rtsp: segment at seq " << seq << " continues a message: not parsed");
            return;
        }
    }
    st.lost[d] = false;
    std::size_t off = static_cast<std::size_t>(start);
    st.starts[d].Add(seq + static_cast<uint32_t>(off)); // a retransmission is parsed again
    while (off < ctx.payloadLen)
    {
        RtspMessage msg;
        std::string error;
        RtspParseStatus status =
            ParseRtspMessage(ctx.payload + off, ctx.payloadLen - off, msg, &error);
        if (status == RtspParseStatus::INVALID)
        {
            NS_LOG_INFO("rtsp: invalid message at seq " << seq + off << ": " << error);
            st.lost[d] = true;
            return;
        }
        if (status == RtspParseStatus::INCOMPLETE)
        {
            if (msg.headersComplete)
            {
                st.starts[d].Add(seq + static_cast<uint32_t>(off + msg.length)); // after the body
            }
            else
            {
                NS_LOG_INFO("rtsp: message header split over segments at seq " << seq + off
                                                                               << ": not parsed");
                st.lost[d] = true;
            }
            return;
        }
        st.starts[d].Add(seq + static_cast<uint32_t>(off + msg.length));
        if (!msg.interleavedFrame)
        {
            if (msg.request && ctx.dir == SessionDir::ORIGINAL)
            {
                if (msg.method == "SETUP")
                {
                    HandleSetup(ctx, st, msg, off);
                }
                else if (msg.method == "TEARDOWN")
                {
                    HandleTeardown(ctx, st, msg);
                }
                else if (!msg.session.empty())
                {
                    for (RtspStream& s : st.streams)
                    {
                        if (s.sessionId.empty() && s.replied)
                        {
                            s.sessionId = msg.session;
                        }
                    }
                }
            }
            else if (!msg.request && ctx.dir == SessionDir::REPLY && msg.hasCSeq)
            {
                HandleSetupReply(ctx, st, msg, off);
            }
        }
        off += msg.length;
    }
}

} // namespace ns3
