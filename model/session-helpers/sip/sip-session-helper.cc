/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sip-session-helper.h"

#include "ns3/fortigate-config.h"
#include "ns3/log.h"
#include "ns3/sequence-number.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(SipSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(SipSessionHelper, "sip");

namespace
{

using Key = SipSessionState::PinholeKey;

/// "a.b.c.d" or "a.b.c.d:port" (the port when it was written or differs from the default).
std::string
HostPort(uint32_t addr, uint16_t port, bool hadPort, uint16_t defaultPort)
{
    std::string s = Ipv4ToString(addr);
    if (hadPort || port != defaultPort)
    {
        s += ":" + std::to_string(port);
    }
    return s;
}

/**
 * The translation a packet applies to an address:port it carries, as Linux's map_addr: the
 * packet's own source becomes its translated source, its destination its translated
 * destination; anything else is left alone. \return true when it changes
 */
bool
MapExact(const HelperContext& ctx, uint32_t a, uint16_t p, uint32_t& na, uint16_t& np)
{
    const FlowTuple& in = ctx.view.tuple;
    const FlowTuple& out = ctx.leaving;
    if (a == in.src && p == in.sport)
    {
        na = out.src;
        np = out.sport;
    }
    else if (a == in.dst && p == in.dport)
    {
        na = out.dst;
        np = out.dport;
    }
    else
    {
        return false;
    }
    return na != a || np != p;
}

/// \return the URI text of a name-addr (for call records)
std::string
UriText(const SipNameAddr& na, const uint8_t* buf)
{
    return na.uri.span.Text(buf);
}

} // namespace

// ---- object --------------------------------------------------------------------------------

TypeId
SipSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SipSessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<SipSessionHelper>()
            .AddAttribute("MediaPinholeTimeout",
                          "Seconds a media (RTP/RTCP) pinhole waits for its first packet; also the "
                          "lifetime of media NAT reservations (Linux: 180).",
                          UintegerValue(MEDIA_PINHOLE_TIMEOUT),
                          MakeUintegerAccessor(&SipSessionHelper::m_mediaPinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("TransactionPinholeTimeout",
                          "Seconds a Via / contact pinhole of a transaction lives (64 * T1).",
                          UintegerValue(TRANSACTION_PINHOLE_TIMEOUT),
                          MakeUintegerAccessor(&SipSessionHelper::m_transactionPinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

SipSessionHelper::SipSessionHelper() = default;

SipSessionHelper::~SipSessionHelper() = default;

std::string
SipSessionHelper::GetName() const
{
    return "sip";
}

void
SipSessionHelper::SetSettingsSource(std::function<const SystemSettings*()> source)
{
    m_settings = std::move(source);
}

SipNatOptions
SipSessionHelper::OptionsFor(const SipSessionState&) const
{
    SipNatOptions o;
    const SystemSettings* st = m_settings ? m_settings() : nullptr;
    o.natTrace = st ? st->sipNatTrace : SystemSettings().sipNatTrace;
    return o; // Linux-like defaults otherwise: direct media, register pinhole from the registrar
}

SipSessionHelper::Verdict
SipSessionHelper::Check(Message&)
{
    return Verdict::PASS;
}

void
SipSessionHelper::AfterMessage(Message&, SipSessionState::Call*)
{
}

void
SipSessionHelper::OnCallEnded(const Session&, SipSessionState::Call&, const char*)
{
}

SipSessionState&
SipSessionHelper::StateOf(HelperContext& ctx)
{
    return ctx.Data().State<SipSessionState>();
}

// ---- packets -------------------------------------------------------------------------------

void
SipSessionHelper::Inspect(HelperContext& ctx)
{
    const uint8_t proto = ctx.view.tuple.proto;
    if (proto == IPPROTO_NUM_UDP)
    {
        if (ctx.payloadLen > 0)
        {
            ProcessDatagram(ctx, StateOf(ctx));
        }
    }
    else if (proto == IPPROTO_NUM_TCP)
    {
        SipSessionState& st = StateOf(ctx);
        SipSessionState::Stream& s = st.stream[static_cast<int>(ctx.dir)];
        if (ctx.view.tcpFlags & 0x02)
        {
            s.init = true; // SYN: the stream starts at ISN + 1
            s.nextSeq = ctx.view.tcpSeq + 1;
            s.pending.clear();
        }
        if (ctx.payloadLen > 0)
        {
            ProcessStream(ctx, st);
        }
    }
}

void
SipSessionHelper::ProcessDatagram(HelperContext& ctx, SipSessionState& st)
{
    SipMessage msg;
    SipParseOptions opt;
    opt.stream = false;
    Message m;
    m.ctx = &ctx;
    m.st = &st;
    m.buf = ctx.payload;
    m.base = 0;
    m.length = ctx.payloadLen;
    m.editable = true;
    m.side = static_cast<int>(ctx.dir);
    if (ParseSipMessage(ctx.payload, ctx.payloadLen, msg, opt) != SipParseStatus::OK)
    {
        ++m_stats.parseErrors;
        NS_LOG_LOGIC("sip: datagram is no SIP message: " << msg.error);
        // Keep-alives (CRLF, or empty) are not errors worth a verdict.
        bool blank = std::all_of(ctx.payload, ctx.payload + ctx.payloadLen, [](uint8_t c) {
            return c == '\r' || c == '\n' || c == 0;
        });
        if (!blank)
        {
            Verdict v = Check(m); // m.msg == nullptr: the ALG's malformed-request-line
            if (v != Verdict::PASS)
            {
                ctx.drop = true;
            }
        }
        return;
    }
    m.msg = &msg;
    HandleMessage(m);
}

bool
SipSessionHelper::ReassemblesTcp() const
{
    return false;
}

void
SipSessionHelper::ProcessStream(HelperContext& ctx, SipSessionState& st)
{
    const int d = static_cast<int>(ctx.dir);
    SipSessionState::Stream& s = st.stream[d];
    const uint32_t seq = ctx.view.tcpSeq;
    const uint32_t len = static_cast<uint32_t>(ctx.payloadLen);
    NS_LOG_LOGIC("sip: tcp dir " << d << " seq " << seq << " len " << len << " next " << s.nextSeq
                                 << " pending " << s.pending.size());
    // The framing of the whole segment, when the hold check below did it (used once more).
    std::optional<SipStreamResult> framed;
    if (ctx.mayHold && ReassemblesTcp() && s.pending.empty() && (!s.init || seq == s.nextSeq) &&
        len < MAX_PENDING)
    {
        // A proxy reads whole messages: a segment ending inside one waits for the rest.
        SipParseOptions opt;
        opt.stream = true;
        framed = ParseSipStream(ctx.payload, ctx.payloadLen, opt);
        if (!framed->error && framed->consumed < ctx.payloadLen)
        {
            ctx.hold = true;
            ++m_stats.held;
            NS_LOG_LOGIC("sip: tcp segment at " << seq << " ends inside a message: held");
            return;
        }
    }
    if (!s.init)
    {
        s.init = true; // joined mid-stream: take this segment as a message start
        s.nextSeq = seq;
    }
    if (seq != s.nextSeq)
    {
        if (SequenceNumber32(seq) < SequenceNumber32(s.nextSeq))
        {
            // A retransmission: rewrite it again, the same way, when parsing began at its
            // start the first time (its call state already exists: nothing new is counted).
            for (uint8_t i = 0; i < s.nStarts; ++i)
            {
                if (s.starts[i] == seq && s.startOffset[i] < ctx.payloadLen)
                {
                    bool error = false;
                    ProcessSegmentMessages(ctx, st, s.startOffset[i], true, error);
                    return;
                }
            }
            return;
        }
        // A gap (a segment we never saw): resynchronise at this segment.
        NS_LOG_LOGIC("sip: tcp gap, resynchronising at " << seq);
        s.pending.clear();
        s.nextSeq = seq;
    }
    s.nextSeq = seq + len;
    std::size_t offset = 0;
    if (!s.pending.empty())
    {
        // Finish the message begun in earlier segments: it is passed as it is (Linux does not
        // rewrite a message that is not inside one segment), but still tracked.
        std::string joined = s.pending;
        joined.append(reinterpret_cast<const char*>(ctx.payload), ctx.payloadLen);
        SipMessage msg;
        SipParseOptions opt;
        opt.stream = true;
        SipParseStatus r = ParseSipMessage(reinterpret_cast<const uint8_t*>(joined.data()),
                                           joined.size(),
                                           msg,
                                           opt);
        if (r == SipParseStatus::INCOMPLETE)
        {
            if (joined.size() > MAX_PENDING)
            {
                s.pending.clear(); // give up on this message; resynchronise later
                ++m_stats.parseErrors;
            }
            else
            {
                s.pending = std::move(joined);
            }
            return;
        }
        std::size_t before = s.pending.size();
        s.pending.clear();
        if (r == SipParseStatus::ERROR)
        {
            ++m_stats.parseErrors;
            return; // not SIP where a message should continue: wait for a clean start
        }
        ++m_stats.spanning;
        Message m;
        m.ctx = &ctx;
        m.st = &st;
        m.msg = &msg;
        m.buf = reinterpret_cast<const uint8_t*>(joined.data());
        m.length = msg.consumed;
        m.editable = false;
        m.side = d;
        if (!HandleMessage(m))
        {
            return;
        }
        offset = msg.consumed - before;
    }
    if (offset >= ctx.payloadLen)
    {
        return;
    }
    s.starts[s.nextStart] = seq;
    s.startOffset[s.nextStart] = static_cast<uint16_t>(std::min<std::size_t>(offset, 65535));
    s.nextStart = static_cast<uint8_t>((s.nextStart + 1) % 4);
    s.nStarts = std::min<uint8_t>(4, s.nStarts + 1);
    bool error = false;
    // The hold check parsed this segment from its start with nothing pending: offset is 0.
    std::size_t used = ProcessSegmentMessages(ctx,
                                              st,
                                              offset,
                                              false,
                                              error,
                                              framed && offset == 0 ? &*framed : nullptr);
    if (!error && offset + used < ctx.payloadLen && !ctx.drop)
    {
        s.pending.assign(reinterpret_cast<const char*>(ctx.payload) + offset + used,
                         ctx.payloadLen - offset - used);
    }
}

std::size_t
SipSessionHelper::ProcessSegmentMessages(HelperContext& ctx,
                                         SipSessionState& st,
                                         std::size_t offsetInPayload,
                                         bool retransmission,
                                         bool& error,
                                         SipStreamResult* framed)
{
    const uint8_t* data = ctx.payload + offsetInPayload;
    const std::size_t len = ctx.payloadLen - offsetInPayload;
    SipStreamResult r;
    if (framed)
    {
        r = std::move(*framed);
    }
    else
    {
        SipParseOptions opt;
        opt.stream = true;
        r = ParseSipStream(data, len, opt);
    }
    for (const SipMessage& msg : r.messages)
    {
        Message m;
        m.ctx = &ctx;
        m.st = &st;
        m.msg = &msg;
        m.buf = data;
        m.base = offsetInPayload;
        m.length = msg.consumed;
        m.editable = true;
        m.retransmission = retransmission;
        m.side = static_cast<int>(ctx.dir);
        if (!HandleMessage(m))
        {
            break;
        }
    }
    if (r.error)
    {
        ++m_stats.parseErrors;
        error = true;
        NS_LOG_LOGIC("sip: tcp framing error: " << r.errorText);
    }
    return r.consumed;
}

// ---- one message ---------------------------------------------------------------------------

bool
SipSessionHelper::HandleMessage(Message& m)
{
    HelperContext& ctx = *m.ctx;
    const SipMessage& msg = *m.msg;
    if (!m.retransmission)
    {
        ++m_stats.messages;
        ++(msg.isRequest ? m_stats.requests : m_stats.responses);
    }
    Verdict v = Check(m);
    if (v != Verdict::PASS)
    {
        const bool udp = ctx.view.tuple.proto == IPPROTO_NUM_UDP;
        if (v == Verdict::RESPOND && !m.response.empty() && !ctx.SendReply(m.response))
        {
            NS_LOG_INFO("sip: the answer could not be sent (tcp): message discarded");
        }
        if (udp)
        {
            ctx.drop = true;
            return false;
        }
        if (m.editable)
        {
            // TCP: the message is cut out of the stream (sequence numbers follow).
            ctx.editor.Replace(m.base + msg.start - msg.skipped, msg.consumed, "", ctx.payloadLen);
        }
        return true;
    }
    const SipNatOptions o = OptionsFor(*m.st);
    SipRewriter rw(msg);
    if (m.editable)
    {
        RewriteHeaders(m, o, rw);
    }
    TrackCall(m, o, m.editable ? &rw : nullptr);
    SipSessionState::Call* call = nullptr;
    if (msg.hasCallId)
    {
        auto it = m.st->calls.find(msg.callId);
        call = it == m.st->calls.end() ? nullptr : &it->second;
    }
    if (m.editable)
    {
        if (msg.cseqMethodId == SipMethod::REGISTER)
        {
            HandleRegister(m, o);
        }
        OpenSignallingPinholes(m, o, call);
        if (!rw.Empty())
        {
            if (rw.ExportTo(ctx.editor, m.base, ctx.payloadLen))
            {
                if (!m.retransmission)
                {
                    ++m_stats.rewritten;
                }
            }
            else
            {
                NS_LOG_WARN("sip: rewrite rejected by the payload editor");
            }
        }
    }
    AfterMessage(m, call);
    if (call && call->invite)
    {
        NoteDialog(ctx.session.serial, *call);
    }
    if (call && call->phase == SipSessionState::ENDED)
    {
        m.st->calls.erase(m.st->calls.find(msg.callId));
    }
    return true;
}

bool
SipSessionHelper::MapAddr(Message& m, uint32_t a, uint16_t p, uint32_t& na, uint16_t& np)
{
    HelperContext& ctx = *m.ctx;
    const FlowTuple& in = ctx.view.tuple;
    const FlowTuple& out = ctx.leaving;
    if ((a == in.src && p == in.sport) || (a == in.dst && p == in.dport))
    {
        return MapExact(ctx, a, p, na, np);
    }
    if (in.proto != IPPROTO_NUM_TCP)
    {
        return false;
    }
    // SIP over TCP: a phone connects from an ephemeral port, and its Contact / Via name the port
    // it listens on. Its address with another port is given a port on the translated address
    // (the same one when free), kept per session; a pinhole (REGISTER, contact) leads back.
    auto& ports = m.st->tcpPorts;
    if (a == in.src && in.src != out.src)
    {
        auto it = ports.find({a, p});
        if (it != ports.end())
        {
            np = it->second;
        }
        else
        {
            np = ctx.AllocatePort(IPPROTO_NUM_TCP, out.src, p);
            if (np == 0)
            {
                return false;
            }
            ports[{a, p}] = np;
        }
        na = out.src;
        return true;
    }
    if (a == in.dst && in.dst != out.dst)
    {
        na = out.dst;
        np = p;
        for (const auto& [priv, pub] : ports)
        {
            if (priv.first == out.dst && pub == p)
            {
                np = priv.second;
                break;
            }
        }
        return true;
    }
    return false;
}

void
SipSessionHelper::RewriteHeaders(Message& m, const SipNatOptions& o, SipRewriter& rw)
{
    HelperContext& ctx = *m.ctx;
    const SipMessage& msg = *m.msg;
    const FlowTuple& in = ctx.view.tuple;
    const FlowTuple& out = ctx.leaving;
    auto fixUri = [&](const SipUri& uri, bool hnt) {
        if (!uri.hostIsIpv4)
        {
            return;
        }
        uint32_t a = uri.ipv4;
        uint16_t p = uri.EffectivePort();
        bool forced = false;
        if (hnt && o.hostedNatTraversal && !(a == in.src && p == in.sport))
        {
            // Hosted NAT traversal: the phone is behind some other NAT; what it wrote is
            // replaced by where its packets really come from.
            a = in.src;
            p = in.sport;
            forced = true;
        }
        uint32_t na = a;
        uint16_t np = p;
        if (!MapAddr(m, a, p, na, np) && !forced)
        {
            return;
        }
        const uint16_t dflt = uri.kind == SipUri::SIPS ? 5061 : 5060;
        std::string text = HostPort(na, np, uri.hasPort, dflt);
        if (o.registerContactTrace && hnt && msg.isRequest && msg.methodId == SipMethod::REGISTER)
        {
            // register-contact-trace: the original contact travels along as a URI parameter
            // (format of the model; FortiOS does not document it).
            text += ";o=" + Ipv4ToString(uri.ipv4) + ":" + std::to_string(uri.EffectivePort());
        }
        if (rw.Replace(uri.hostPortSpan, text))
        {
            ++m_stats.fieldsRewritten;
        }
    };
    if (msg.isRequest)
    {
        fixUri(msg.requestUri, false);
    }
    if (!msg.vias.empty() && msg.vias[0].hostIsIpv4)
    {
        const SipVia& via = msg.vias[0];
        const uint16_t dflt = via.EffectivePort();
        uint32_t a = via.ipv4;
        uint16_t p = dflt;
        bool forced = false;
        if (o.hostedNatTraversal && msg.isRequest && !(a == in.src && p == in.sport))
        {
            a = in.src;
            p = in.sport;
            forced = true;
        }
        uint32_t na = a;
        uint16_t np = p;
        bool mapped = MapAddr(m, a, p, na, np);
        bool matched =
            mapped || forced || (a == in.src && p == in.sport) || (a == in.dst && p == in.dport);
        if (mapped || forced)
        {
            uint16_t viaDefault = via.transport == "TLS" ? 5061 : 5060;
            if (rw.Replace(via.sentBySpan, HostPort(na, np, via.hasPort, viaDefault)))
            {
                ++m_stats.fieldsRewritten;
            }
        }
        if (matched)
        {
            // Parameters, as Linux adjusts them (none is added).
            uint32_t x = 0;
            if (via.hasMaddr && ParseIpv4(via.maddr, x) && x == in.src && x != out.src)
            {
                if (rw.Replace(via.maddrSpan, Ipv4ToString(out.src)))
                {
                    ++m_stats.fieldsRewritten;
                }
            }
            if (via.hasReceived && ParseIpv4(via.received, x) && x == in.dst && x != out.dst)
            {
                if (rw.Replace(via.receivedSpan, Ipv4ToString(out.dst)))
                {
                    ++m_stats.fieldsRewritten;
                }
            }
            if (via.hasRport && via.rportHasValue && via.rport == in.dport &&
                via.rport != out.dport)
            {
                if (rw.Replace(via.rportSpan, std::to_string(out.dport)))
                {
                    ++m_stats.fieldsRewritten;
                }
            }
        }
    }
    if (o.contactFixup)
    {
        for (const SipNameAddr& c : msg.contacts)
        {
            if (!c.star)
            {
                fixUri(c.uri, true);
            }
        }
    }
    if (o.headerFixup)
    {
        if (msg.hasFrom)
        {
            fixUri(msg.from.uri, false);
        }
        if (msg.hasTo)
        {
            fixUri(msg.to.uri, false);
        }
    }
    if (o.recordRouteFixup)
    {
        for (const SipNameAddr& rr : msg.recordRoutes)
        {
            fixUri(rr.uri, false);
        }
    }
}

// ---- calls ---------------------------------------------------------------------------------

void
SipSessionHelper::TrackCall(Message& m, const SipNatOptions& o, SipRewriter* rw)
{
    HelperContext& ctx = *m.ctx;
    const SipMessage& msg = *m.msg;
    if (!msg.hasCallId)
    {
        return;
    }
    auto& calls = m.st->calls;
    auto it = calls.find(msg.callId);
    SipSessionState::Call* call = it == calls.end() ? nullptr : &it->second;
    bool sdp = false; // this message's SDP belongs to the call
    if (msg.isRequest)
    {
        switch (msg.methodId)
        {
        case SipMethod::INVITE:
            if (!call)
            {
                SipSessionState::Call c;
                c.callId = msg.callId;
                c.invite = true;
                c.callerSide = static_cast<uint8_t>(m.side);
                c.inviteCseq = msg.cseq;
                c.startNs = ctx.nowNs;
                c.from = msg.hasFrom ? UriText(msg.from, m.buf) : std::string();
                c.to = msg.hasTo ? UriText(msg.to, m.buf) : std::string();
                call = &calls.emplace(msg.callId, std::move(c)).first->second;
                ++m_stats.calls;
                ++m_activeCalls;
            }
            sdp = true;
            break;
        case SipMethod::ACK:
            if (call && call->phase == SipSessionState::ANSWERED)
            {
                call->phase = SipSessionState::CONFIRMED;
            }
            sdp = true;
            break;
        case SipMethod::PRACK:
        case SipMethod::UPDATE:
            sdp = true;
            break;
        case SipMethod::BYE:
            if (call && call->phase != SipSessionState::ENDED)
            {
                ++m_stats.callsEnded;
                EndCall(ctx, *m.st, *call, "bye");
            }
            break;
        case SipMethod::CANCEL:
            if (call)
            {
                call->cancelled = true;
            }
            break;
        default:
            break;
        }
    }
    else if (call)
    {
        const uint32_t code = msg.statusCode;
        if (msg.cseqMethodId == SipMethod::INVITE)
        {
            const bool initial = msg.cseq == call->inviteCseq;
            if (code >= 100 && code < 200)
            {
                if (code >= 180 && call->ringNs < 0)
                {
                    call->ringNs = ctx.nowNs;
                }
                if (call->phase == SipSessionState::CALLING)
                {
                    call->phase = SipSessionState::EARLY;
                }
                sdp = true;
            }
            else if (code >= 200 && code < 300)
            {
                if (initial && call->answerNs < 0)
                {
                    call->answerNs = ctx.nowNs;
                    ++m_stats.callsAnswered;
                }
                if (call->phase < SipSessionState::ANSWERED)
                {
                    call->phase = SipSessionState::ANSWERED;
                }
                sdp = true;
            }
            else if (code >= 300 && initial && call->phase < SipSessionState::ANSWERED)
            {
                // The call failed (a failed re-INVITE leaves the established call alone,
                // where Linux flushes every pinhole of the session).
                call->finalCode = code;
                ++m_stats.callsFailed;
                EndCall(ctx, *m.st, *call, call->cancelled ? "cancel" : "failed");
            }
        }
        else if ((msg.cseqMethodId == SipMethod::UPDATE || msg.cseqMethodId == SipMethod::PRACK) &&
                 code >= 200 && code < 300)
        {
            sdp = true;
        }
    }
    if (call)
    {
        call->lastNs = ctx.nowNs;
    }
    if (sdp && call && call->phase != SipSessionState::ENDED && msg.hasSdp && rw && m.editable)
    {
        ProcessSdp(m, o, *rw, *call);
        SyncCallPinholes(ctx, o, *call);
        SyncCallMappings(ctx, *m.st, *call);
    }
}

void
SipSessionHelper::EndCall(HelperContext& ctx,
                          SipSessionState& st,
                          SipSessionState::Call& call,
                          const char* reason)
{
    std::vector<Key> keys = call.pinholes;
    for (const Key& k : call.contacts)
    {
        // A phone's contact pinhole serves each of its calls: it stays while another uses it.
        bool shared = false;
        for (const auto& [id, other] : st.calls)
        {
            shared = shared || (&other != &call && other.phase != SipSessionState::ENDED &&
                                k.In(other.contacts));
        }
        if (!shared)
        {
            keys.push_back(k);
        }
    }
    m_stats.pinholesClosed += RemovePinholes(ctx, keys);
    call.pinholes.clear();
    call.contacts.clear();
    std::vector<SipSessionState::Mapping> mappings;
    mappings.swap(call.mappings);
    ReleaseCallMappings(ctx, st, call, mappings);
    if (call.phase != SipSessionState::ENDED && m_activeCalls > 0)
    {
        --m_activeCalls;
    }
    call.phase = SipSessionState::ENDED;
    call.endNs = ctx.nowNs;
    NoteDialog(ctx.session.serial, call);
    NS_LOG_INFO("sip: call " << call.callId << " ended (" << reason << ")");
    OnCallEnded(ctx.session, call, reason);
}

uint32_t
SipSessionHelper::RemovePinholes(HelperContext& ctx, const std::vector<Key>& keys)
{
    if (keys.empty())
    {
        return 0;
    }
    return ctx.RemovePinholes([&keys](const Expectation& e) {
        for (const Key& k : keys)
        {
            if (k.Matches(e))
            {
                return true;
            }
        }
        return false;
    });
}

void
SipSessionHelper::OnSessionClosed(Session& s)
{
    SessionExtension* ext = s.ExtOrNull();
    if (!ext || !ext->state)
    {
        return;
    }
    auto* st = dynamic_cast<SipSessionState*>(ext->state.get());
    if (!st)
    {
        return;
    }
    for (auto& [id, call] : st->calls)
    {
        if (call.phase != SipSessionState::ENDED)
        {
            if (m_activeCalls > 0)
            {
                --m_activeCalls;
            }
            call.phase = SipSessionState::ENDED;
            NoteDialog(s.serial, call);
            OnCallEnded(s, call, "closed");
        }
    }
}

// ---- REGISTER and signalling pinholes ---------------------------------------------------------

void
SipSessionHelper::HandleRegister(Message& m, const SipNatOptions& o)
{
    HelperContext& ctx = *m.ctx;
    const SipMessage& msg = *m.msg;
    SipSessionState& st = *m.st;
    const FlowTuple& in = ctx.view.tuple;
    const uint8_t proto = in.proto;
    if (!o.registerPinhole)
    {
        return;
    }
    auto removeWhere = [&](auto pred) {
        std::vector<Key> gone;
        for (auto it = st.registrations.begin(); it != st.registrations.end();)
        {
            if (pred(*it))
            {
                gone.push_back(it->key);
                it = st.registrations.erase(it);
            }
            else
            {
                ++it;
            }
        }
        m_stats.pinholesClosed += RemovePinholes(ctx, gone);
    };
    auto open = [&](SipSessionState::Registration& r, uint32_t expires) {
        Expectation e = ctx.MakePinhole(proto, expires, GetName());
        e.src = r.key.src;
        e.sport = r.key.sport;
        e.dst = r.key.dst;
        e.dport = r.key.dport;
        if (r.privAddr != e.dst)
        {
            e.natDst = r.privAddr;
        }
        if (r.privPort != e.dport)
        {
            e.natDport = r.privPort;
        }
        e.oneShot = false;
        e.childHelper = ctx.session.helperId;
        e.expectClass = CLASS_REGISTER; // never evicted by the pinholes of calls
        if (OpenPinhole(ctx, e))
        {
            ++m_stats.registerPinholes;
        }
    };
    if (msg.isRequest && msg.methodId == SipMethod::REGISTER)
    {
        if (msg.contactStar)
        {
            removeWhere([](const SipSessionState::Registration&) { return true; });
            return;
        }
        const SessionDir peer = static_cast<SessionDir>(1 - m.side);
        for (std::size_t i = 0; i < msg.contacts.size(); ++i)
        {
            const SipUri& uri = msg.contacts[i].uri;
            if (!uri.hostIsIpv4)
            {
                continue;
            }
            uint32_t a = uri.ipv4;
            uint16_t p = uri.EffectivePort();
            if (!(a == in.src && (p == in.sport || proto == IPPROTO_NUM_TCP)))
            {
                if (!o.hostedNatTraversal)
                {
                    continue; // a third-party registration: not ours to open
                }
                a = in.src;
                p = in.sport;
            }
            uint32_t pa = a;
            uint16_t pp = p;
            MapAddr(m, a, p, pa, pp);
            uint32_t expires = msg.ContactExpires(i, DEFAULT_REGISTER_EXPIRES);
            if (expires == 0)
            {
                removeWhere([a, p](const SipSessionState::Registration& r) {
                    return r.privAddr == a && r.privPort == p;
                });
                continue;
            }
            SipSessionState::Registration r;
            r.key = Key{proto, o.strictRegister ? ctx.session.Tuple(peer).src : 0u, 0, pa, pp};
            r.privAddr = a;
            r.privPort = p;
            bool found = false;
            for (auto& x : st.registrations)
            {
                if (x.key == r.key)
                {
                    x.privAddr = a;
                    x.privPort = p;
                    found = true;
                }
            }
            if (!found)
            {
                st.registrations.push_back(r);
            }
            open(r, expires);
        }
        return;
    }
    if (!msg.isRequest && msg.cseqMethodId == SipMethod::REGISTER && !st.registrations.empty())
    {
        const uint32_t code = msg.statusCode;
        if (code >= 200 && code < 300)
        {
            std::vector<SipSessionState::Registration> keep;
            for (auto& r : st.registrations)
            {
                bool have = false;
                uint32_t expires = 0;
                for (std::size_t i = 0; i < msg.contacts.size(); ++i)
                {
                    const SipUri& uri = msg.contacts[i].uri;
                    if (uri.hostIsIpv4 &&
                        ((uri.ipv4 == r.key.dst && uri.EffectivePort() == r.key.dport) ||
                         (uri.ipv4 == r.privAddr && uri.EffectivePort() == r.privPort)))
                    {
                        have = true;
                        expires = msg.ContactExpires(i, DEFAULT_REGISTER_EXPIRES);
                        break;
                    }
                }
                if (!have && msg.hasExpires)
                {
                    have = true;
                    expires = msg.expires;
                }
                if (have && expires == 0)
                {
                    m_stats.pinholesClosed += RemovePinholes(ctx, {r.key});
                    continue;
                }
                r.confirmed = true;
                if (have)
                {
                    open(r, expires); // the granted time
                }
                keep.push_back(r);
            }
            st.registrations = std::move(keep);
        }
        else if (code >= 300 && code != 401 && code != 407)
        {
            removeWhere([](const SipSessionState::Registration& r) { return !r.confirmed; });
        }
    }
}

void
SipSessionHelper::OpenSignallingPinholes(Message& m,
                                         const SipNatOptions& o,
                                         SipSessionState::Call* call)
{
    if (!o.contactPinhole && !o.viaPinhole && !o.recordRoutePinhole)
    {
        return;
    }
    HelperContext& ctx = *m.ctx;
    const SipMessage& msg = *m.msg;
    const FlowTuple& in = ctx.view.tuple;
    const FlowTuple& out = ctx.leaving;
    if (in.src == out.src && in.sport == out.sport)
    {
        return; // the sender is not translated: its addresses need no pinhole
    }
    auto open = [&](const SipUri& uri, uint32_t timeout, std::vector<Key>* into) {
        if (!uri.hostIsIpv4 || uri.ipv4 != in.src)
        {
            return;
        }
        const uint16_t p = uri.EffectivePort();
        uint32_t pa = 0;
        uint16_t pp = 0;
        if (!MapAddr(m, uri.ipv4, p, pa, pp))
        {
            return;
        }
        Expectation e = ctx.MakePinhole(in.proto, timeout, GetName());
        e.dst = pa;
        e.dport = pp;
        e.natDst = in.src;
        if (e.dport != p)
        {
            e.natDport = p;
        }
        e.oneShot = false;
        e.childHelper = ctx.session.helperId;
        e.expectClass = CLASS_SIGNALLING;
        if (OpenPinhole(ctx, e) && into && !Key::Of(e).In(*into))
        {
            into->push_back(Key::Of(e));
        }
    };
    const bool isRegister = msg.cseqMethodId == SipMethod::REGISTER;
    if (o.contactPinhole && !isRegister && call && call->phase != SipSessionState::ENDED)
    {
        for (const SipNameAddr& c : msg.contacts)
        {
            if (!c.star)
            {
                open(c.uri, DEFAULT_REGISTER_EXPIRES, &call->contacts);
            }
        }
    }
    if (o.recordRoutePinhole && msg.isRequest && call && call->phase != SipSessionState::ENDED)
    {
        for (const SipNameAddr& rr : msg.recordRoutes)
        {
            open(rr.uri, DEFAULT_REGISTER_EXPIRES, &call->contacts);
        }
    }
    if (o.viaPinhole && msg.isRequest && !msg.vias.empty())
    {
        SipUri u;
        u.hostIsIpv4 = msg.vias[0].hostIsIpv4;
        u.ipv4 = msg.vias[0].ipv4;
        u.hasPort = true;
        u.port = msg.vias[0].EffectivePort();
        open(u, m_transactionPinholeTimeout, &m.st->signalling);
    }
}

// ---- answers and diagnose ---------------------------------------------------------------------

std::string
SipSessionHelper::BuildResponse(const SipMessage& msg,
                                const uint8_t* buf,
                                uint32_t code,
                                const std::string& reason)
{
    std::string r = "SIP/2.0 " + std::to_string(code) + " " + reason + "\r\n";
    for (const SipHeader& h : msg.headers)
    {
        switch (h.id)
        {
        case SipHeaderId::VIA:
        case SipHeaderId::FROM:
        case SipHeaderId::CALL_ID:
        case SipHeaderId::CSEQ:
            r += std::string(SipHeaderName(h.id)) + ": " + h.valueSpan.Text(buf) + "\r\n";
            break;
        case SipHeaderId::TO: {
            std::string to = h.valueSpan.Text(buf);
            if (msg.hasTo && !msg.to.hasTag)
            {
                to += ";tag=fgt" + std::to_string(static_cast<uint32_t>(msg.cseq) * 2654435761u);
            }
            r += "To: " + to + "\r\n";
            break;
        }
        default:
            break;
        }
    }
    r += "Content-Length: 0\r\n\r\n";
    return r;
}

void
SipSessionHelper::NoteDialog(uint32_t serial, const SipSessionState::Call& call)
{
    const auto key = std::make_pair(serial, call.callId);
    if (call.phase == SipSessionState::ENDED)
    {
        m_dialogIndex.erase(key);
        return;
    }
    DialogEntry& d = m_dialogIndex[key];
    d.serial = serial;
    d.callId = call.callId;
    d.from = call.from;
    d.to = call.to;
    d.phase = call.phase;
    d.startNs = call.startNs;
    d.lastNs = call.lastNs;
    d.mediaPinholes = call.pinholes.size();
}

namespace
{

/// Buckets of a FortiOS SIP hash table (`size=8192` in the sample).
constexpr std::size_t SIP_HASH_SIZE = 8192;

/// `used=` (buckets holding an entry) and `depth=` (longest chain) of a hash table of
/// SIP_HASH_SIZE buckets holding \p keys.
std::pair<std::size_t, std::size_t>
HashUse(const std::vector<std::string>& keys)
{
    std::map<std::size_t, std::size_t> chains;
    std::size_t depth = 0;
    for (const std::string& k : keys)
    {
        depth = std::max(depth, ++chains[std::hash<std::string>{}(k) % SIP_HASH_SIZE]);
    }
    return {chains.size(), depth};
}

const char*
PhaseName(SipSessionState::Phase p)
{
    switch (p)
    {
    case SipSessionState::CALLING:
        return "calling";
    case SipSessionState::EARLY:
        return "early";
    case SipSessionState::ANSWERED:
        return "answered";
    case SipSessionState::CONFIRMED:
        return "confirmed";
    case SipSessionState::ENDED:
        return "ended";
    }
    return "?";
}

} // namespace

std::string
SipSessionHelper::StatusText(const std::vector<Expectation>& pinholes) const
{
    // Layout of a real `diagnose sys sip status` (FortiOS 6.x/7.x, session helper in use):
    // https://community.fortinet.com/t5/FortiGate/Technical-Tip-How-to-confirm-if-FortiGate-is-using-SIP-Session/ta-p/190757
    //   dialogs: max=131072, used=0
    //   mappings: used=0
    //   dialog hash by ID: size=8192, used=0, depth=0
    //   dialog hash by RTP: size=8192, used=0, depth=0
    //   mapping hash: size=8192, used=0, depth=0
    //   count0: 0  ...  count4: 0
    // The model's dialogs are its INVITE calls in progress, its mappings this helper's pinholes;
    // the hashes are filled with the Call-IDs, the media pinholes and all pinholes. What
    // count0..count4 count is undocumented: the model prints 0 (doc/troubleshooting.md).
    std::vector<std::string> ids;
    for (const auto& [key, d] : m_dialogIndex)
    {
        ids.push_back(d.callId);
    }
    std::vector<std::string> rtp;
    std::vector<std::string> maps;
    for (const Expectation& e : pinholes)
    {
        const std::string k =
            std::to_string(e.proto) + ":" + std::to_string(e.dst) + ":" + std::to_string(e.dport);
        if (e.expectClass == CLASS_MEDIA)
        {
            rtp.push_back(k);
        }
        maps.push_back(k);
    }
    char line[160];
    std::string out;
    auto hashLine = [&out, &line](const char* name, const std::vector<std::string>& keys) {
        const auto [used, depth] = HashUse(keys);
        std::snprintf(line,
                      sizeof(line),
                      "%s: size=%zu, used=%zu, depth=%zu\n",
                      name,
                      SIP_HASH_SIZE,
                      used,
                      depth);
        out += line;
    };
    std::snprintf(line, sizeof(line), "dialogs: max=131072, used=%zu\n", m_dialogIndex.size());
    out += line;
    std::snprintf(line, sizeof(line), "mappings: used=%zu\n", pinholes.size());
    out += line;
    hashLine("dialog hash by ID", ids);
    hashLine("dialog hash by RTP", rtp);
    hashLine("mapping hash", maps);
    for (int i = 0; i < 5; ++i)
    {
        out += "count" + std::to_string(i) + ": 0\n";
    }
    // The model's own counters (not in FortiOS's output).
    out += "\n";
    auto put = [&out, &line](const char* name, uint64_t v) {
        std::snprintf(line, sizeof(line), "%s: %llu\n", name, static_cast<unsigned long long>(v));
        out += line;
    };
    put("messages", m_stats.messages);
    put("requests", m_stats.requests);
    put("responses", m_stats.responses);
    put("parse-errors", m_stats.parseErrors);
    put("tcp-spanning-unchanged", m_stats.spanning);
    put("tcp-segments-held", m_stats.held);
    put("messages-rewritten", m_stats.rewritten);
    put("fields-rewritten", m_stats.fieldsRewritten);
    put("media-ports-translated", m_stats.mediaPortsTranslated);
    put("media-no-free-port", m_stats.noPortForMedia);
    put("media-nat-reservations", m_stats.natReservations);
    put("media-nat-reservations-refused", m_stats.natReservationsRefused);
    put("nat-trace", m_stats.natTraces);
    put("pinholes-opened", m_stats.pinholesOpened);
    put("pinholes-refused", m_stats.pinholesRefused);
    put("pinholes-closed", m_stats.pinholesClosed);
    put("register-pinholes", m_stats.registerPinholes);
    put("calls", m_stats.calls);
    put("calls-answered", m_stats.callsAnswered);
    put("calls-failed", m_stats.callsFailed);
    put("calls-ended", m_stats.callsEnded);
    put("calls-active", m_activeCalls);
    return out;
}

std::string
SipSessionHelper::DialogListText(int64_t nowNs) const
{
    // No real `diagnose sys sip dialog list` output was found (doc/troubleshooting.md, "SIP"):
    // the model's format, one dialog a line, FortiOS's key=value style.
    std::string out = "dialogs: " + std::to_string(m_dialogIndex.size()) + "\n";
    char serial[16];
    for (const auto& [key, d] : m_dialogIndex)
    {
        std::snprintf(serial, sizeof(serial), "%08x", d.serial);
        out += std::string("session=") + serial + " call-id=" + d.callId + " from=" + d.from +
               " to=" + d.to + " state=" + PhaseName(d.phase) +
               " media-pinholes=" + std::to_string(d.mediaPinholes) +
               " age=" + std::to_string((nowNs - d.startNs) / 1000000000) + "s" +
               " idle=" + std::to_string((nowNs - d.lastNs) / 1000000000) + "s\n";
    }
    return out;
}

} // namespace ns3
