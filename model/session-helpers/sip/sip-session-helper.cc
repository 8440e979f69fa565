/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sip-session-helper.h"

#include "ns3/fortigate-config.h"
#include "ns3/log.h"
#include "ns3/sequence-number.h"

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

/// \return the key of a pinhole
Key
KeyOf(const Expectation& e)
{
    return Key{e.proto, e.src, e.sport, e.dst, e.dport};
}

/// \return true when \p keys holds \p k
bool
Has(const std::vector<Key>& keys, const Key& k)
{
    return std::find(keys.begin(), keys.end(), k) != keys.end();
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
    static TypeId tid = TypeId("ns3::SipSessionHelper")
                            .SetParent<SessionHelper>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<SipSessionHelper>();
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
        bool blank = std::all_of(ctx.payload, ctx.payload + ctx.payloadLen,
                                 [](uint8_t c)
                                 {
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
    if (ctx.mayHold && ReassemblesTcp() && s.pending.empty() && (!s.init || seq == s.nextSeq)
        && len < MAX_PENDING)
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
                                           joined.size(), msg, opt);
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
    std::size_t used = ProcessSegmentMessages(ctx, st, offset, false, error,
                                              framed && offset == 0 ? &*framed : nullptr);
    if (!error && offset + used < ctx.payloadLen && !ctx.drop)
    {
        s.pending.assign(reinterpret_cast<const char*>(ctx.payload) + offset + used,
                         ctx.payloadLen - offset - used);
    }
}

std::size_t
SipSessionHelper::ProcessSegmentMessages(HelperContext& ctx, SipSessionState& st,
                                         std::size_t offsetInPayload, bool retransmission,
                                         bool& error, SipStreamResult* framed)
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
        if (v == Verdict::RESPOND && !m.response.empty() && ctx.sendReply)
        {
            if (!ctx.sendReply(m.response))
            {
                NS_LOG_INFO("sip: the answer could not be sent (tcp): message discarded");
            }
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
    if (call && call->phase == SipSessionState::ENDED)
    {
        m.st->calls.erase(msg.callId);
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
            np = ctx.allocatePort ? ctx.allocatePort(IPPROTO_NUM_TCP, out.src, p) : p;
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
    auto fixUri = [&](const SipUri& uri, bool hnt)
    {
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
        bool matched
            = mapped || forced || (a == in.src && p == in.sport) || (a == in.dst && p == in.dport);
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
            if (via.hasRport && via.rportHasValue && via.rport == in.dport
                && via.rport != out.dport)
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
        else if ((msg.cseqMethodId == SipMethod::UPDATE || msg.cseqMethodId == SipMethod::PRACK)
                 && code >= 200 && code < 300)
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
SipSessionHelper::EndCall(HelperContext& ctx, SipSessionState& st, SipSessionState::Call& call,
                          const char* reason)
{
    std::vector<Key> keys = call.pinholes;
    for (const Key& k : call.contacts)
    {
        // A phone's contact pinhole serves each of its calls: it stays while another uses it.
        bool shared = false;
        for (const auto& [id, other] : st.calls)
        {
            shared = shared
                     || (&other != &call && other.phase != SipSessionState::ENDED
                         && Has(other.contacts, k));
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
    NS_LOG_INFO("sip: call " << call.callId << " ended (" << reason << ")");
    OnCallEnded(ctx.session, call, reason);
}

uint32_t
SipSessionHelper::RemovePinholes(HelperContext& ctx, const std::vector<Key>& keys)
{
    if (keys.empty() || !ctx.removePinholes)
    {
        return 0;
    }
    return ctx.removePinholes(
        [&keys](const Expectation& e)
        {
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
            OnCallEnded(s, call, "closed");
        }
    }
}

// ---- SDP -----------------------------------------------------------------------------------

uint16_t
SipSessionHelper::AllocateMediaPair(HelperContext& ctx, const SipNatOptions& o, uint32_t addr,
                                    uint16_t preferred, bool needRtcp, uint32_t privAddr,
                                    uint16_t privPort, uint16_t privRtcp)
{
    if (!ctx.allocatePort && !ctx.allocatePortFor)
    {
        return preferred;
    }
    // Ports held only by this endpoint (its own earlier call's media) are free for it.
    auto take = [&](uint32_t p, uint16_t priv)
    {
        return ctx.allocatePortFor
                   ? ctx.allocatePortFor(IPPROTO_NUM_UDP, addr, static_cast<uint16_t>(p), privAddr,
                                         priv)
                   : ctx.allocatePort(IPPROTO_NUM_UDP, addr, static_cast<uint16_t>(p));
    };
    auto free = [&](uint32_t p)
    {
        if (p == 0 || p < o.portLow || p > o.portHigh || (needRtcp && p + 1 > o.portHigh))
        {
            return false;
        }
        if (take(p, privPort) != p)
        {
            return false;
        }
        return !needRtcp || take(p + 1, privRtcp) == p + 1;
    };
    // The endpoint already has a public port (a reservation, or media it sends now): announce
    // that one, so its own packets and the peer's meet in one mapping.
    const uint16_t current
        = ctx.mappedPort ? ctx.mappedPort(IPPROTO_NUM_UDP, privAddr, privPort, addr) : 0;
    if (current != 0 && free(current))
    {
        return current;
    }
    if (free(preferred))
    {
        return preferred;
    }
    // Deterministic walk upwards from the preferred port (RTP ports stay even).
    const uint32_t step = needRtcp ? 2 : 1;
    const uint32_t span = static_cast<uint32_t>(o.portHigh) - o.portLow + 1;
    uint32_t p = preferred;
    if (needRtcp)
    {
        p &= ~1u;
    }
    for (uint32_t attempt = 0; attempt < 256; ++attempt)
    {
        p += step;
        if (p > o.portHigh)
        {
            p = o.portLow + ((o.portLow & 1u) && needRtcp ? 1 : 0);
        }
        if (free(p))
        {
            return static_cast<uint16_t>(p);
        }
        if (attempt > span)
        {
            break;
        }
    }
    return 0;
}

void
SipSessionHelper::SyncCallMappings(HelperContext& ctx, SipSessionState& st,
                                   SipSessionState::Call& call)
{
    std::vector<SipSessionState::Mapping> keep;
    for (int x = 0; x < 2; ++x)
    {
        if (!call.haveMedia[x])
        {
            continue;
        }
        for (const SipSessionState::Media& md : call.media[x])
        {
            if (!md.handled || md.pubPort == 0 || md.sdpAddr == md.pubAddr)
            {
                continue; // not translated here: nothing to reserve
            }
            for (int rtcp = 0; rtcp < 2; ++rtcp)
            {
                SipSessionState::Mapping mp{md.sdpAddr, rtcp ? md.sdpRtcp : md.sdpPort, md.pubAddr,
                                            rtcp ? md.pubRtcp : md.pubPort};
                if (mp.privPort == 0 || mp.pubPort == 0
                    || std::find(keep.begin(), keep.end(), mp) != keep.end())
                {
                    continue;
                }
                if (!ctx.reserveNat)
                {
                    continue;
                }
                NatReservation r
                    = ctx.MakeReservation(IPPROTO_NUM_UDP, MEDIA_PINHOLE_TIMEOUT, GetName());
                r.privIp = mp.privIp;
                r.privPort = mp.privPort;
                r.pubIp = mp.pubIp;
                r.pubPort = mp.pubPort;
                if (!ctx.reserveNat(r))
                {
                    ++m_stats.natReservationsRefused;
                    NS_LOG_WARN("sip: NAT reservation "
                                << Ipv4ToString(r.privIp) << ":" << r.privPort << " -> "
                                << Ipv4ToString(r.pubIp) << ":" << r.pubPort << " refused");
                    continue;
                }
                if (std::find(call.mappings.begin(), call.mappings.end(), mp)
                    == call.mappings.end())
                {
                    ++m_stats.natReservations;
                }
                keep.push_back(mp);
            }
        }
    }
    std::vector<SipSessionState::Mapping> stale;
    for (const auto& mp : call.mappings)
    {
        if (std::find(keep.begin(), keep.end(), mp) == keep.end())
        {
            stale.push_back(mp);
        }
    }
    call.mappings = std::move(keep);
    ReleaseCallMappings(ctx, st, call, stale);
}

void
SipSessionHelper::ReleaseCallMappings(HelperContext& ctx, SipSessionState& st,
                                      SipSessionState::Call& call,
                                      const std::vector<SipSessionState::Mapping>& gone)
{
    if (gone.empty() || !ctx.removeReservations)
    {
        return;
    }
    std::vector<SipSessionState::Mapping> drop;
    for (const auto& mp : gone)
    {
        // A phone's media port announced by another live call of this session stays reserved.
        bool shared = false;
        for (const auto& [id, other] : st.calls)
        {
            shared = shared
                     || (&other != &call && other.phase != SipSessionState::ENDED
                         && std::find(other.mappings.begin(), other.mappings.end(), mp)
                                != other.mappings.end());
        }
        if (!shared)
        {
            drop.push_back(mp);
        }
    }
    if (drop.empty())
    {
        return;
    }
    ctx.removeReservations(
        [&drop](const NatReservation& r)
        {
            for (const auto& mp : drop)
            {
                if (r.proto == IPPROTO_NUM_UDP && r.privIp == mp.privIp && r.privPort == mp.privPort
                    && r.pubIp == mp.pubIp && r.pubPort == mp.pubPort)
                {
                    return true;
                }
            }
            return false;
        });
}

void
SipSessionHelper::ProcessSdp(Message& m, const SipNatOptions& o, SipRewriter& rw,
                             SipSessionState::Call& call)
{
    HelperContext& ctx = *m.ctx;
    const SipMessage& msg = *m.msg;
    const SdpMessage& sdp = msg.sdp;
    const FlowTuple& in = ctx.view.tuple;
    const FlowTuple& out = ctx.leaving;
    const bool natted = in.src != out.src;
    const int side = m.side;
    std::vector<SipSessionState::Media> before = call.media[side];
    std::vector<SipSessionState::Media> list;
    bool hntUsed = false;
    bool sdpChanged = false;
    // The public address the sender's media gets: its translated address, or (hosted NAT
    // traversal, not translated here) the address its packets come from.
    const uint32_t publicAddr = natted ? out.src : in.src;
    auto eligible = [&](uint32_t a)
    {
        return a != 0 && (o.sdpAnyAddress || a == in.src || o.hostedNatTraversal);
    };
    for (std::size_t i = 0; i < sdp.media.size(); ++i)
    {
        const SdpMedia& media = sdp.media[i];
        SipSessionState::Media md;
        const SdpAddress* c = sdp.ConnectionFor(i);
        if (!c || !c->isIpv4 || c->ipv4 == 0 || media.port == 0)
        {
            list.push_back(md); // no address, on hold or rejected: nothing to do
            continue;
        }
        const uint32_t written = c->ipv4;
        uint32_t target = written;
        if (o.hostedNatTraversal && written != in.src)
        {
            target = in.src;
            hntUsed = true;
        }
        if (!o.sdpAnyAddress && target != in.src)
        {
            list.push_back(md); // Linux's direct media: not the sender's own address
            continue;
        }
        md.handled = true;
        md.sdpPort = media.port;
        md.sdpRtcp = media.RtcpPort();
        if (natted && o.sdpFixup)
        {
            md.pubAddr = out.src;
            // A re-offer (or a retransmission) of the same media keeps its public ports.
            const SipSessionState::Media* prev = nullptr;
            for (const auto& b : before)
            {
                if (b.handled && b.sdpAddr == target && b.sdpPort == md.sdpPort
                    && b.pubAddr == md.pubAddr)
                {
                    prev = &b;
                    break;
                }
            }
            if (prev)
            {
                md.pubPort = prev->pubPort;
                md.pubRtcp = prev->pubRtcp;
            }
            else
            {
                md.pubPort = AllocateMediaPair(ctx, o, out.src, md.sdpPort, !media.hasRtcp, target,
                                               md.sdpPort, md.sdpRtcp);
                if (md.pubPort != 0 && media.hasRtcp)
                {
                    md.pubRtcp = media.rtcpPort == md.sdpPort + 1 && md.pubPort != md.sdpPort
                                     ? static_cast<uint16_t>(md.pubPort + 1)
                                     : AllocateMediaPair(ctx, o, out.src, media.rtcpPort, false,
                                                         target, media.rtcpPort, 0);
                }
                else
                {
                    md.pubRtcp = static_cast<uint16_t>(md.pubPort + 1);
                }
                if (md.pubPort == 0 || md.pubRtcp == 0)
                {
                    ++m_stats.noPortForMedia;
                    NS_LOG_WARN("sip: no free port on " << Ipv4ToString(out.src) << " for media "
                                                        << md.sdpPort);
                    list.push_back(SipSessionState::Media());
                    continue;
                }
                if (md.pubPort != md.sdpPort || md.pubRtcp != md.sdpRtcp)
                {
                    ++m_stats.mediaPortsTranslated;
                }
            }
        }
        else if (natted)
        {
            // no-sdp-fixup: the SDP stays as written. When it already names the sender's
            // public address (a PBX that knows it), the pinhole leads there to the sender.
            md.pubAddr = out.src;
            md.pubPort = md.sdpPort;
            md.pubRtcp = md.sdpRtcp;
            if (written == out.src)
            {
                target = in.src;
            }
        }
        else
        {
            md.pubAddr = target;
            md.pubPort = md.sdpPort;
            md.pubRtcp = md.sdpRtcp;
        }
        md.sdpAddr = target;
        md.natted = md.pubAddr != md.sdpAddr || md.pubPort != md.sdpPort;
        if (o.sdpFixup)
        {
            if (md.pubPort != media.port && rw.Replace(media.portSpan, std::to_string(md.pubPort)))
            {
                ++m_stats.fieldsRewritten;
                sdpChanged = true;
            }
            if (media.hasRtcp && md.pubRtcp != media.rtcpPort
                && rw.Replace(media.rtcpPortSpan, std::to_string(md.pubRtcp)))
            {
                ++m_stats.fieldsRewritten;
                sdpChanged = true;
            }
            if (media.hasRtcp && media.rtcpHasAddress && media.rtcpAddress.isIpv4
                && eligible(media.rtcpAddress.ipv4) && media.rtcpAddress.ipv4 != md.pubAddr
                && rw.Replace(media.rtcpAddress.addressSpan, Ipv4ToString(md.pubAddr)))
            {
                ++m_stats.fieldsRewritten;
                sdpChanged = true;
            }
            for (const SdpAddress& mc : media.connections)
            {
                if (mc.isIpv4 && eligible(mc.ipv4) && mc.ipv4 != md.pubAddr
                    && rw.Replace(mc.addressSpan, Ipv4ToString(md.pubAddr)))
                {
                    ++m_stats.fieldsRewritten;
                    sdpChanged = true;
                }
            }
        }
        list.push_back(md);
    }
    if (o.sdpFixup && (natted || hntUsed))
    {
        // Session-level c= and o=: the sender's public address.
        for (const SdpAddress& sc : sdp.connections)
        {
            if (sc.isIpv4 && eligible(sc.ipv4) && sc.ipv4 != publicAddr
                && rw.Replace(sc.addressSpan, Ipv4ToString(publicAddr)))
            {
                ++m_stats.fieldsRewritten;
                sdpChanged = true;
            }
        }
        const SdpAddress& oa = sdp.origin.address;
        uint32_t original = oa.isIpv4 ? oa.ipv4 : in.src;
        if (sdp.hasOrigin && oa.isIpv4 && eligible(oa.ipv4) && oa.ipv4 != publicAddr
            && rw.Replace(oa.addressSpan, Ipv4ToString(publicAddr)))
        {
            ++m_stats.fieldsRewritten;
            sdpChanged = true;
        }
        if (sdpChanged && o.natTrace && natted)
        {
            NatTrace(m, o, rw, original);
        }
    }
    call.media[side] = std::move(list);
    call.haveMedia[side] = true;
    call.hntSource[side] = hntUsed ? in.src : 0;
}

void
SipSessionHelper::NatTrace(Message& m, const SipNatOptions& o, SipRewriter& rw, uint32_t original)
{
    // Find the session-level s= and i= lines (before the first m=).
    const SipMessage& msg = *m.msg;
    const uint8_t* b = m.buf;
    const std::size_t begin = msg.sdpSpan.offset;
    const std::size_t end = msg.sdpSpan.End();
    std::size_t sLineNext = 0; // start of the line after s=
    bool haveS = false;
    std::size_t iValueEnd = 0; // end of the i= line text
    std::size_t iValueStart = 0;
    bool haveI = false;
    std::string eol = "\r\n";
    for (std::size_t p = begin; p < end;)
    {
        std::size_t e = p;
        while (e < end && b[e] != '\n')
        {
            ++e;
        }
        std::size_t textEnd = e > p && b[e - 1] == '\r' ? e - 1 : e;
        if (e < end && textEnd == e)
        {
            eol = "\n";
        }
        std::size_t next = e < end ? e + 1 : end;
        if (textEnd - p >= 2 && b[p + 1] == '=')
        {
            if (b[p] == 'm')
            {
                break;
            }
            if (b[p] == 's')
            {
                haveS = true;
                sLineNext = next;
            }
            if (b[p] == 'i' && !haveI)
            {
                haveI = true;
                iValueStart = p + 2;
                iValueEnd = textEnd;
            }
        }
        p = next;
    }
    const std::string trace = "(o=IN IP4 " + Ipv4ToString(original) + ")";
    bool ok = false;
    if (haveI)
    {
        ok = o.preserveOverride ? rw.Replace(iValueStart, iValueEnd - iValueStart, trace)
                                : rw.Insert(iValueEnd, trace);
    }
    else if (haveS && sLineNext <= end)
    {
        ok = rw.Insert(sLineNext, "i=" + trace + eol);
    }
    if (ok)
    {
        ++m_stats.natTraces;
    }
}

void
SipSessionHelper::SyncCallPinholes(HelperContext& ctx, const SipNatOptions& o,
                                   SipSessionState::Call& call)
{
    std::vector<Key> keep;
    if (o.rtpPinholes)
    {
        const Session& s = ctx.session;
        for (int x = 0; x < 2; ++x)
        {
            if (!call.haveMedia[x])
            {
                continue;
            }
            const int y = 1 - x;
            const SessionDir ydir = static_cast<SessionDir>(y);
            const uint32_t yReal = s.Tuple(ydir).src;
            const uint32_t yPub = s.Translated(ydir).src;
            const bool yNat = yReal != yPub;
            for (std::size_t i = 0; i < call.media[x].size(); ++i)
            {
                const SipSessionState::Media& md = call.media[x][i];
                if (!md.handled || md.pubPort == 0)
                {
                    continue;
                }
                const SipSessionState::Media* ym = nullptr;
                if (call.haveMedia[y] && i < call.media[y].size() && call.media[y][i].handled)
                {
                    ym = &call.media[y][i];
                }
                for (int rtcp = 0; rtcp < 2; ++rtcp)
                {
                    Expectation e
                        = ctx.MakePinhole(IPPROTO_NUM_UDP, MEDIA_PINHOLE_TIMEOUT, GetName());
                    e.expectClass = CLASS_MEDIA;
                    e.dst = md.pubAddr;
                    e.dport = rtcp ? md.pubRtcp : md.pubPort;
                    const uint16_t priv = rtcp ? md.sdpRtcp : md.sdpPort;
                    if (md.sdpAddr != md.pubAddr)
                    {
                        e.natDst = md.sdpAddr;
                    }
                    if (priv != e.dport)
                    {
                        e.natDport = priv;
                    }
                    if (!md.natted && yNat)
                    {
                        // Media towards an untranslated sender from the translated side: only
                        // that side's media (its own address and port), leaving translated as
                        // its SDP announced.
                        e.src = ym ? ym->sdpAddr : yReal;
                        e.sport = ym ? (rtcp ? ym->sdpRtcp : ym->sdpPort) : 0;
                        e.natSrc = ym ? ym->pubAddr : yPub;
                        e.natSport = ym ? (rtcp ? ym->pubRtcp : ym->pubPort) : 0;
                        if (e.natSport == e.sport)
                        {
                            e.natSport = 0;
                        }
                    }
                    else if (o.hntRestrictSourceIp && call.hntSource[y] != 0)
                    {
                        e.src = call.hntSource[y];
                    }
                    Key k = KeyOf(e);
                    if (Has(keep, k))
                    {
                        continue;
                    }
                    if (OpenPinhole(ctx, e))
                    {
                        keep.push_back(k);
                    }
                }
            }
        }
    }
    std::vector<Key> stale;
    for (const Key& k : call.pinholes)
    {
        if (!Has(keep, k))
        {
            stale.push_back(k);
        }
    }
    m_stats.pinholesClosed += RemovePinholes(ctx, stale);
    call.pinholes = std::move(keep);
}

bool
SipSessionHelper::OpenPinhole(HelperContext& ctx, const Expectation& e)
{
    if (!ctx.openPinhole || !ctx.openPinhole(e))
    {
        ++m_stats.pinholesRefused;
        return false;
    }
    ++m_stats.pinholesOpened;
    NS_LOG_INFO("sip: pinhole " << Ipv4ToString(e.src) << ":" << e.sport << " -> "
                                << Ipv4ToString(e.dst) << ":" << e.dport << " ("
                                << Ipv4ToString(e.natDst) << ":" << e.natDport << ")");
    return true;
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
    auto removeWhere = [&](auto pred)
    {
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
    auto open = [&](SipSessionState::Registration& r, uint32_t expires)
    {
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
            removeWhere(
                [](const SipSessionState::Registration&)
                {
                    return true;
                });
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
                removeWhere(
                    [a, p](const SipSessionState::Registration& r)
                    {
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
                    if (uri.hostIsIpv4
                        && ((uri.ipv4 == r.key.dst && uri.EffectivePort() == r.key.dport)
                            || (uri.ipv4 == r.privAddr && uri.EffectivePort() == r.privPort)))
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
            removeWhere(
                [](const SipSessionState::Registration& r)
                {
                    return !r.confirmed;
                });
        }
    }
}

void
SipSessionHelper::OpenSignallingPinholes(Message& m, const SipNatOptions& o,
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
    auto open = [&](const SipUri& uri, uint32_t timeout, std::vector<Key>* into)
    {
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
        if (OpenPinhole(ctx, e) && into && !Has(*into, KeyOf(e)))
        {
            into->push_back(KeyOf(e));
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
        open(u, TRANSACTION_PINHOLE_TIMEOUT, &m.st->signalling);
    }
}

// ---- answers and diagnose ---------------------------------------------------------------------

std::string
SipSessionHelper::BuildResponse(const SipMessage& msg, const uint8_t* buf, uint32_t code,
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
            case SipHeaderId::TO:
            {
                std::string to = h.valueSpan.Text(buf);
                if (msg.hasTo && !msg.to.hasTag)
                {
                    to += ";tag=fgt"
                          + std::to_string(static_cast<uint32_t>(msg.cseq) * 2654435761u);
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

std::string
SipSessionHelper::StatusText(uint64_t activePinholes) const
{
    char line[160];
    std::string out;
    std::snprintf(line, sizeof(line), "dialogs: max=131072, used=%llu\n",
                  static_cast<unsigned long long>(m_activeCalls));
    out += line;
    std::snprintf(line, sizeof(line), "mapping: max=65536, used=%llu\n",
                  static_cast<unsigned long long>(activePinholes));
    out += line;
    auto put = [&out, &line](const char* name, uint64_t v)
    {
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

} // namespace ns3
