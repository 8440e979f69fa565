/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pptp-session-helper.h"

#include "gre-header.h"
#include "pptp-parser.h"

#include "ns3/keyed-protocol.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <memory>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PptpSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(PptpSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(PptpSessionHelper, "pptp");

namespace
{

/**
 * PPTP's GRE (RFC 2637 §4.1) is keyed by the receiver's Call ID: the datapath keeps GRE sessions
 * by it, one key per direction, and rewrites it when the Call ID is translated. Timeouts of a
 * GRE session that no PPTP call made (Linux's: FortiOS documents none; a call's own GRE session
 * takes the helper's GreUnrepliedTimeout / GreStreamTimeout).
 */
const bool g_greKeyed = [] {
    KeyedProtocol gre;
    gre.name = "gre";
    gre.readKey = &ReadGreKey;
    gre.writeKey = &TranslateGreKey;
    gre.unrepliedTimeout = 30; // until the other direction is seen
    gre.streamTimeout = 180;   // once both directions were seen
    KeyedProtocols::Declare(GRE_IP_PROTOCOL, std::move(gre));
    return true;
}();

} // namespace

/// One call of a control connection.
struct PptpCall
{
    uint16_t clientCid{0};   //!< the client's own Call ID
    uint16_t publicCid{0};   //!< its value on the translated address (what the server sees)
    uint16_t serverCid{0};   //!< the server's Call ID (once known)
    bool serverKnown{false}; //!< serverCid is valid
    bool clearing{false};    //!< Call-Clear-Request seen (torn down; kept for the reply)
};

namespace
{

/**
 * Per control connection: where messages start in each direction (the recent message
 * boundaries, as sequence numbers) and the calls.
 */
class PptpControlState : public HelperState
{
  public:
    static constexpr int REMEMBER = 4; //!< boundaries remembered per direction

    StreamMarks<REMEMBER> boundaries[2]; //!< where messages start (none known: any segment)
    std::vector<PptpCall> calls;         //!< calls of this control connection

    /// \return true when a segment at \p seq starts a message (or nothing is known yet)
    bool AtBoundary(int d, uint32_t seq) const
    {
        return boundaries[d].Empty() || boundaries[d].Contains(seq);
    }

    /// \return the call with the client's Call ID \p cid (a clearing one only when asked)
    PptpCall* ByClient(uint16_t cid, bool clearingToo = false)
    {
        for (auto& c : calls)
        {
            if (c.clientCid == cid && (clearingToo || !c.clearing))
            {
                return &c;
            }
        }
        return nullptr;
    }

    PptpCall* ByPublic(uint16_t cid)
    {
        for (auto& c : calls)
        {
            if (c.publicCid == cid)
            {
                return &c;
            }
        }
        return nullptr;
    }

    PptpCall* ByServer(uint16_t cid)
    {
        for (auto& c : calls)
        {
            if (c.serverKnown && c.serverCid == cid)
            {
                return &c;
            }
        }
        return nullptr;
    }

    void Erase(const PptpCall* call)
    {
        for (auto it = calls.begin(); it != calls.end(); ++it)
        {
            if (&*it == call)
            {
                calls.erase(it);
                return;
            }
        }
    }
};

/// The addresses of a control session: client, its translated address, server as the client
/// addresses it, server's real address.
struct Addresses
{
    uint32_t client;
    uint32_t clientPublic;
    uint32_t serverPublic;
    uint32_t server;

    explicit Addresses(const Session& s)
        : client(s.org.tuple.src),
          clientPublic(s.reply.tuple.dst),
          serverPublic(s.org.tuple.dst),
          server(s.reply.tuple.src)
    {
    }
};

std::string
Bytes16(uint16_t v)
{
    return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xff)};
}

/// The GRE tuple the server's packets of \p call arrive with.
FlowTuple
ServerToClientTuple(const Addresses& a, const PptpCall& call)
{
    return FlowTuple{a.server, a.clientPublic, 0, call.publicCid, GRE_IP_PROTOCOL};
}

/// The GRE tuple the client's packets of \p call arrive with.
FlowTuple
ClientToServerTuple(const Addresses& a, const PptpCall& call)
{
    return FlowTuple{a.client, a.serverPublic, 0, call.serverCid, GRE_IP_PROTOCOL};
}

/// A GRE pinhole of the control session; its child GRE session lasts 600 s until both
/// directions are seen and 5 h after (Linux's PPTP GRE timeouts).
Expectation
GrePinhole(const HelperContext& ctx, const PptpSessionHelper::Timeouts& t)
{
    Expectation e = ctx.MakePinhole(GRE_IP_PROTOCOL, t.pinhole, "pptp");
    e.childUnrepliedTtl = t.greUnreplied;
    e.childTtl = t.greStream;
    return e;
}

/// Open the server -> client pinhole of \p call (reserves its translated Call ID).
bool
OpenServerToClient(HelperContext& ctx,
                   const PptpSessionHelper::Timeouts& t,
                   const Addresses& a,
                   const PptpCall& call)
{
    Expectation e = GrePinhole(ctx, t);
    e.src = a.server;
    e.dst = a.clientPublic;
    e.dport = call.publicCid;
    e.natDst = a.client != a.clientPublic ? a.client : 0;
    e.natDport = call.clientCid; // GRE: always the key the child leaves with
    e.natSrc = a.serverPublic != a.server ? a.serverPublic : 0;
    e.inIf = ctx.session.inIf[1];
    return ctx.OpenPinhole(e);
}

/// Open the client -> server pinhole of \p call.
bool
OpenClientToServer(HelperContext& ctx,
                   const PptpSessionHelper::Timeouts& t,
                   const Addresses& a,
                   const PptpCall& call)
{
    Expectation e = GrePinhole(ctx, t);
    e.src = a.client;
    e.dst = a.serverPublic;
    e.dport = call.serverCid;
    e.natSrc = a.clientPublic != a.client ? a.clientPublic : 0;
    e.natDst = a.server != a.serverPublic ? a.server : 0;
    e.natDport = call.serverCid; // GRE: always the key the child leaves with
    e.inIf = ctx.session.inIf[0];
    return ctx.OpenPinhole(e);
}

/// Remove the pinholes of \p call and, with \p closeGre, close its GRE session.
/// \return sessions closing
uint32_t
TearDown(HelperContext& ctx, const Addresses& a, const PptpCall& call, bool closeGre)
{
    const FlowTuple s2c = ServerToClientTuple(a, call);
    const FlowTuple c2s = ClientToServerTuple(a, call);
    const bool serverKnown = call.serverKnown;
    ctx.RemovePinholes([&](const Expectation& e) {
        if (e.proto != GRE_IP_PROTOCOL)
        {
            return false;
        }
        return (e.src == s2c.src && e.dst == s2c.dst && e.dport == s2c.dport) ||
               (serverKnown && e.src == c2s.src && e.dst == c2s.dst && e.dport == c2s.dport);
    });
    uint32_t closing = 0;
    if (closeGre)
    {
        closing = ctx.CloseChildren([&](const Session& x) {
            return x.org.tuple.proto == GRE_IP_PROTOCOL &&
                   (x.org.tuple == s2c || x.reply.tuple == s2c ||
                    (serverKnown && (x.org.tuple == c2s || x.reply.tuple == c2s)));
        });
    }
    return closing;
}

} // namespace

TypeId
PptpSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PptpSessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<PptpSessionHelper>()
            .AddAttribute("ControlTimeout",
                          "Established TTL of a PPTP control session, seconds (FortiOS: 30 min).",
                          UintegerValue(DEFAULT_CONTROL_TIMEOUT),
                          MakeUintegerAccessor(&PptpSessionHelper::m_controlTimeout),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("PinholeTimeout",
                          "Seconds a call's GRE pinhole waits for its first packet (Linux: 300; "
                          "FortiOS does not document it).",
                          UintegerValue(PINHOLE_TIMEOUT),
                          MakeUintegerAccessor(&PptpSessionHelper::m_pinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("GreUnrepliedTimeout",
                          "TTL of a call's GRE session until both directions are seen, seconds "
                          "(Linux: 10 min).",
                          UintegerValue(GRE_UNREPLIED_TIMEOUT),
                          MakeUintegerAccessor(&PptpSessionHelper::m_greUnrepliedTimeout),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("GreStreamTimeout",
                          "TTL of a call's GRE session once both directions were seen, seconds "
                          "(Linux: 5 h).",
                          UintegerValue(GRE_STREAM_TIMEOUT),
                          MakeUintegerAccessor(&PptpSessionHelper::m_greStreamTimeout),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

PptpSessionHelper::PptpSessionHelper()
    : m_controlTimeout(DEFAULT_CONTROL_TIMEOUT)
{
}

std::string
PptpSessionHelper::GetName() const
{
    return "pptp";
}

bool
PptpSessionHelper::ChildrenFollowParent() const
{
    return true;
}

void
PptpSessionHelper::OnSessionCreated(Session& s)
{
    s.establishedTtl = m_controlTimeout;
}

uint64_t
PptpSessionHelper::GetMalformedCount() const
{
    return m_malformed;
}

uint64_t
PptpSessionHelper::GetUnalignedCount() const
{
    return m_unaligned;
}

uint64_t
PptpSessionHelper::GetTranslatedCallIdCount() const
{
    return m_translatedCallIds;
}

uint64_t
PptpSessionHelper::GetCallsOpened() const
{
    return m_callsOpened;
}

uint64_t
PptpSessionHelper::GetCallsClosed() const
{
    return m_callsClosed;
}

void
PptpSessionHelper::OnSessionClosed(Session& s)
{
    for (auto it = m_reserved.begin(); it != m_reserved.end();)
    {
        it = it->second == s.serial ? m_reserved.erase(it) : std::next(it);
    }
}

uint32_t
PptpSessionHelper::GetReservedCallIds() const
{
    return static_cast<uint32_t>(m_reserved.size());
}

bool
PptpSessionHelper::ReserveCallId(HelperContext& ctx,
                                 uint32_t publicIp,
                                 uint32_t server,
                                 uint16_t callId,
                                 uint16_t& out)
{
    const bool translated = publicIp != ctx.session.org.tuple.src;
    const uint32_t serial = ctx.session.serial;
    // The client's own Call ID when no other call of this FortiGate holds it on the translated
    // address towards this server (as a source port is kept when free): the GRE tuples of
    // calls to different servers differ in the server's address.
    if (m_reserved.emplace(CallIdKey{publicIp, server, callId}, serial).second || !translated)
    {
        out = callId; // (on the client's own address: its own Call IDs, whatever they are)
        return true;
    }
    // Taken: another value, free of pinholes and GRE sessions on the translated address too.
    for (uint16_t attempt = 0; attempt < 64; ++attempt)
    {
        const uint16_t cid = ctx.AllocatePort(GRE_IP_PROTOCOL, publicIp, 0);
        if (cid == 0)
        {
            return false;
        }
        if (m_reserved.emplace(CallIdKey{publicIp, server, cid}, serial).second)
        {
            out = cid;
            return true;
        }
    }
    return false;
}

void
PptpSessionHelper::ReleaseCallId(uint32_t publicIp,
                                 uint32_t server,
                                 uint16_t publicCid,
                                 uint32_t serial)
{
    auto it = m_reserved.find(CallIdKey{publicIp, server, publicCid});
    if (it != m_reserved.end() && it->second == serial)
    {
        m_reserved.erase(it);
    }
}

void
PptpSessionHelper::EndCall(HelperContext& ctx, const PptpCall& call, bool tearDown)
{
    const Addresses addr(ctx.session);
    if (tearDown)
    {
        TearDown(ctx, addr, call, true);
        m_callsClosed += call.clearing ? 0 : 1; // a clearing call was counted at the request
    }
    ReleaseCallId(addr.clientPublic, addr.server, call.publicCid, ctx.session.serial);
}

void
PptpSessionHelper::Inspect(HelperContext& ctx)
{
    if (ctx.view.tuple.proto != IPPROTO_NUM_TCP)
    {
        return;
    }
    const int d = static_cast<int>(ctx.dir);
    auto& st = ctx.Data().State<PptpControlState>();
    const Addresses addr(ctx.session);
    if (ctx.view.tcpFlags & 0x02)
    {
        st.boundaries[d].Add(ctx.view.tcpSeq + 1); // the stream starts after the SYN
    }
    if (ctx.view.tcpFlags & 0x04)
    {
        // A reset ends the control connection and every call on it.
        for (const auto& call : st.calls)
        {
            EndCall(ctx, call, true);
        }
        st.calls.clear();
        return;
    }
    if (ctx.payloadLen == 0)
    {
        return;
    }
    const uint32_t seq = ctx.view.tcpSeq;
    if (!st.AtBoundary(d, seq))
    {
        ++m_unaligned;
        NS_LOG_LOGIC("pptp: segment at seq " << seq << " does not start a message: not parsed");
        return;
    }
    PptpParseResult r = ParsePptpMessages(ctx.payload, ctx.payloadLen);
    if (r.status == PptpParseResult::MALFORMED)
    {
        ++m_malformed;
        st.boundaries[d].Clear();
        NS_LOG_INFO("pptp: malformed segment (" << r.error << "): forwarded untouched");
        return;
    }
    if (r.status == PptpParseResult::OK)
    {
        st.boundaries[d].Add(seq + static_cast<uint32_t>(r.consumed));
    }
    else if (r.pendingLength != 0)
    {
        st.boundaries[d].Add(seq + static_cast<uint32_t>(r.consumed) + r.pendingLength);
    }
    else
    {
        st.boundaries[d].Clear(); // cut inside a Length field: the next boundary is unknown
    }

    const bool fromClient = ctx.dir == SessionDir::ORIGINAL;
    for (const PptpMessage& m : r.messages)
    {
        NS_LOG_LOGIC("pptp: " << (fromClient ? "client " : "server ") << PptpMessageName(m.type)
                              << " call " << m.callId << " peer " << m.peerCallId);
        auto rewrite = [&ctx, &m](std::size_t fieldOffset, uint16_t value) {
            ctx.editor.Replace(m.offset + fieldOffset, 2, Bytes16(value), ctx.payloadLen);
        };
        // Both pinholes open once both Call IDs are known (as in Linux): a GRE packet of the
        // server that overtook the reply must not make a session whose other key is unknown.
        auto openBoth = [&](PptpCall& call) {
            const Timeouts t{m_pinholeTimeout, m_greUnrepliedTimeout, m_greStreamTimeout};
            bool s2c = OpenServerToClient(ctx, t, addr, call);
            bool c2s = OpenClientToServer(ctx, t, addr, call);
            if (s2c && c2s)
            {
                ++m_callsOpened;
            }
        };
        auto endAll = [&]() {
            for (const auto& call : st.calls)
            {
                EndCall(ctx, call, true);
            }
            st.calls.clear();
        };
        if (fromClient)
        {
            switch (m.type)
            {
            case PPTP_OUTGOING_CALL_REQUEST:
            case PPTP_INCOMING_CALL_REPLY: {
                PptpCall* call = st.ByClient(m.callId);
                if (!call)
                {
                    PptpCall fresh;
                    fresh.clientCid = m.callId;
                    if (!ReserveCallId(ctx,
                                       addr.clientPublic,
                                       addr.server,
                                       m.callId,
                                       fresh.publicCid))
                    {
                        NS_LOG_INFO("pptp: no free Call ID on " << Ipv4ToString(addr.clientPublic)
                                                                << ": call not tracked");
                        break;
                    }
                    if (fresh.publicCid != fresh.clientCid)
                    {
                        ++m_translatedCallIds;
                    }
                    st.calls.push_back(fresh);
                    call = &st.calls.back();
                    NS_LOG_INFO("pptp: call " << call->clientCid << " from "
                                              << Ipv4ToString(addr.client) << " is "
                                              << call->publicCid << " on "
                                              << Ipv4ToString(addr.clientPublic));
                }
                if (call->publicCid != m.callId)
                {
                    rewrite(PptpMessage::CALL_ID_OFFSET, call->publicCid);
                }
                if (m.type == PPTP_INCOMING_CALL_REPLY && m.resultCode == 1 && !call->serverKnown)
                {
                    call->serverCid = m.peerCallId;
                    call->serverKnown = true;
                    openBoth(*call);
                }
                break;
            }
            case PPTP_CALL_CLEAR_REQUEST: {
                // (A retransmission finds the call clearing: rewritten the same way.)
                PptpCall* call = st.ByClient(m.callId, true);
                if (!call)
                {
                    break;
                }
                if (call->publicCid != m.callId)
                {
                    rewrite(PptpMessage::CALL_ID_OFFSET, call->publicCid);
                }
                if (!call->clearing)
                {
                    // No new GRE session from now on; the one carrying the call lasts until
                    // the server's Call-Disconnect-Notify (frames still on the way pass),
                    // as in Linux.
                    TearDown(ctx, addr, *call, false);
                    ++m_callsClosed;
                    call->clearing = true; // kept until Call-Disconnect-Notify names it
                }
                break;
            }
            case PPTP_STOP_CONTROL_REQUEST:
            case PPTP_STOP_CONTROL_REPLY:
                endAll();
                break;
            default:
                break; // Set-Link-Info from the client names the server's Call ID
            }
            continue;
        }
        switch (m.type)
        {
        case PPTP_OUTGOING_CALL_REPLY: {
            PptpCall* call = st.ByPublic(m.peerCallId);
            if (!call || call->clearing)
            {
                break;
            }
            if (call->clientCid != m.peerCallId)
            {
                rewrite(m.PeerCallIdOffset(), call->clientCid);
            }
            if (m.resultCode == 1)
            {
                call->serverCid = m.callId;
                call->serverKnown = true;
                openBoth(*call); // (a retransmitted reply refreshes them)
            }
            else
            {
                NS_LOG_INFO("pptp: call " << call->clientCid << " refused (result "
                                          << int(m.resultCode) << ")");
                EndCall(ctx, *call, false);
                st.Erase(call);
            }
            break;
        }
        case PPTP_INCOMING_CALL_CONNECTED:
        case PPTP_WAN_ERROR_NOTIFY:
        case PPTP_SET_LINK_INFO: {
            PptpCall* call = st.ByPublic(m.peerCallId);
            if (call && call->clientCid != m.peerCallId)
            {
                rewrite(m.PeerCallIdOffset(), call->clientCid);
            }
            break;
        }
        case PPTP_CALL_DISCONNECT_NOTIFY: {
            PptpCall* call = st.ByPublic(m.callId);
            if (call)
            {
                if (call->clientCid != m.callId)
                {
                    rewrite(PptpMessage::CALL_ID_OFFSET, call->clientCid);
                }
            }
            else
            {
                call = st.ByServer(m.callId); // RFC 2637's wording: the server's Call ID
            }
            if (!call)
            {
                break;
            }
            EndCall(ctx, *call, true);
            st.Erase(call);
            break;
        }
        case PPTP_STOP_CONTROL_REQUEST:
        case PPTP_STOP_CONTROL_REPLY:
            endAll();
            break;
        default:
            break; // Incoming-Call-Request names the server's own Call ID
        }
    }
}

} // namespace ns3
