/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sip-alg.h"

#include "ns3/fortigate-config.h"
#include "ns3/log.h"
#include "ns3/reason-phrase.h"

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <memory>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipAlg");
NS_OBJECT_ENSURE_REGISTERED(SipAlg);
FORTIGATE_REGISTER_SESSION_HELPER(SipAlg, "sip-alg");

namespace
{

constexpr int64_t kNs = 1000000000LL;

/// \return the VoipSipMethod index of a parsed method, or -1 (unknown / not in the profile)
int
VoipMethodOf(SipMethod m)
{
    static const std::map<SipMethod, int> table = [] {
        std::map<SipMethod, int> t;
        const auto& names = VoipSipMethodNames();
        for (std::size_t i = 0; i < names.size(); ++i)
        {
            std::string upper = names[i];
            for (char& c : upper)
            {
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
            SipMethod id = SipMethodFromName(upper);
            if (id != SipMethod::UNKNOWN)
            {
                t[id] = static_cast<int>(i);
            }
        }
        return t;
    }();
    auto it = table.find(m);
    return it == table.end() ? -1 : it->second;
}

/// \return the VoipSipHeader index of a parser check (`malformed-header-<name>`), or -1
int
HeaderIndexOf(SipCheck c)
{
    static const std::map<SipCheck, int> table = [] {
        std::map<SipCheck, int> t;
        const auto& names = VoipSipHeaderNames();
        for (int k = 0; k < static_cast<int>(SipCheck::COUNT_); ++k)
        {
            const std::string option = SipCheckOptionName(static_cast<SipCheck>(k));
            for (std::size_t i = 0; i < names.size(); ++i)
            {
                if (option == "malformed-header-" + names[i])
                {
                    t[static_cast<SipCheck>(k)] = static_cast<int>(i);
                }
            }
        }
        return t;
    }();
    auto it = table.find(c);
    return it == table.end() ? -1 : it->second;
}

/// "12.345" seconds
std::string
Seconds(int64_t ns)
{
    char b[32];
    std::snprintf(b, sizeof(b), "%.3f", static_cast<double>(ns) / 1e9);
    return b;
}

} // namespace

TypeId
SipAlg::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SipAlg")
                            .SetParent<SipSessionHelper>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<SipAlg>();
    return tid;
}

SipAlg::SipAlg() = default;

SipAlg::~SipAlg() = default;

std::string
SipAlg::GetName() const
{
    return "sip-alg";
}

void
SipAlg::SetProfileResolver(ProfileResolver resolver)
{
    m_profiles = std::move(resolver);
}

const VoipSipOptions&
SipAlg::SipOptionsOf(const SipSessionState& st) const
{
    return ProfileOptions(st.profile);
}

const VoipSipOptions&
SipAlg::ProfileOptions(const std::string& profile) const
{
    if (m_profiles)
    {
        if (const VoipProfileConfig* p = m_profiles(profile))
        {
            return p->sip;
        }
    }
    return m_defaults;
}

void
SipAlg::BindSession(Session& s, const std::string& profile, bool ips)
{
    SessionExtension& ext = s.Ext();
    auto st = std::make_unique<SipSessionState>();
    st->alg = true;
    st->profile = profile;
    st->ips = ips;
    ext.state = std::move(st);
    m_bindings[s.serial] = std::make_tuple(profile, ips);
    s.flags |= SES_REDIR | SES_LOCAL | (ips ? SES_NDR : 0);
}

SipSessionState&
SipAlg::Bind(HelperContext& ctx)
{
    SipSessionState& st = StateOf(ctx);
    if (!st.alg)
    {
        // A session a pinhole of an ALG session let in (an inbound INVITE through the
        // REGISTER pinhole): the parent's profile.
        st.alg = true;
        st.profile = "default";
        auto it = m_bindings.find(ctx.session.serial);
        if (it == m_bindings.end() && ctx.session.ExtOrNull())
        {
            it = m_bindings.find(ctx.session.ExtOrNull()->parentSerial);
        }
        if (it != m_bindings.end())
        {
            st.profile = std::get<0>(it->second);
            st.ips = std::get<1>(it->second);
        }
        m_bindings[ctx.session.serial] = std::make_tuple(st.profile, st.ips);
    }
    ctx.session.flags |= SES_REDIR | SES_LOCAL | (st.ips ? SES_NDR : 0);
    return st;
}

void
SipAlg::Inspect(HelperContext& ctx)
{
    Bind(ctx);
    SipSessionHelper::Inspect(ctx);
}

void
SipAlg::OnSessionClosed(Session& s)
{
    SipSessionHelper::OnSessionClosed(s);
    m_bindings.erase(s.serial);
}

bool
SipAlg::ReassemblesTcp() const
{
    return true;
}

SipNatOptions
SipAlg::OptionsFor(const SipSessionState& st) const
{
    const VoipSipOptions& sip = SipOptionsOf(st);
    SipNatOptions o;
    o.headerFixup = true;
    o.contactFixup = sip.contactFixup;
    o.recordRouteFixup = true;
    o.sdpFixup = !sip.noSdpFixup;
    o.sdpAnyAddress = true;
    o.natTrace = sip.natTrace;
    o.preserveOverride = sip.preserveOverride;
    o.hostedNatTraversal = sip.hostedNatTraversal;
    o.hntRestrictSourceIp = sip.hntRestrictSourceIp;
    o.rtpPinholes = sip.rtp;
    o.registerPinhole = sip.openRegisterPinhole;
    o.strictRegister = sip.strictRegister;
    o.contactPinhole = sip.openContactPinhole;
    o.viaPinhole = sip.openViaPinhole;
    o.recordRoutePinhole = sip.openRecordRoutePinhole;
    o.registerContactTrace = sip.registerContactTrace;
    o.portLow = sip.natPortLow;
    o.portHigh = sip.natPortHigh;
    return o;
}

// ---- checks --------------------------------------------------------------------------------

void
SipAlg::Log(Message& m,
            const std::string& option,
            const std::string& action,
            const std::string& reason)
{
    ++m_alg.violations;
    NS_LOG_INFO("sip-alg: " << option << " (" << action << "): " << reason);
    if (!SipOptionsOf(*m.st).logViolations)
    {
        return;
    }
    const FlowTuple& in = m.ctx->view.tuple;
    Violation v;
    v.nowNs = m.ctx->nowNs;
    v.source = Ipv4ToString(in.src) + ":" + std::to_string(in.sport);
    v.option = option;
    v.action = action;
    v.reason = reason;
    if (m_voipLog)
    {
        // VoIP log (44033 LOGID_EVENT_VOIP_SIP_BLOCK when dropped, else 44032): the profile
        // option is the status, the action taken the action (doc/troubleshooting.md).
        VoipLogEntry e;
        e.voipProto = "sip";
        e.nowNs = m.ctx->nowNs;
        e.sessionId = m.ctx->session.serial;
        e.srcip = in.src;
        e.srcport = in.sport;
        e.dstip = in.dst;
        e.dstport = in.dport;
        e.proto = in.proto;
        e.policyId = m.ctx->session.policyId;
        e.profile = m.st->profile;
        e.kind = "call";
        e.action = action == "pass" ? "permit" : "block";
        e.status = option;
        e.reply = m.ctx->dir == SessionDir::REPLY;
        e.reason = reason;
        if (m.msg)
        {
            e.callId = m.msg->callId;
            e.requestName = m.msg->isRequest ? m.msg->method : std::string();
        }
        m_voipLog(e);
    }
    m_violationLog.push_back(std::move(v));
    while (m_violationLog.size() > MAX_VIOLATION_LOG)
    {
        m_violationLog.pop_front();
    }
}

SipSessionHelper::Verdict
SipAlg::Act(Message& m, VoipSipAction action, const std::string& option, const std::string& reason)
{
    switch (action)
    {
    case VOIP_ACTION_PASS:
        ++m_alg.passed;
        Log(m, option, "pass", reason);
        return Verdict::PASS;
    case VOIP_ACTION_RESPOND:
        if (m.msg && m.msg->isRequest && m.msg->methodId != SipMethod::ACK &&
            m.ctx->view.tuple.proto == IPPROTO_NUM_UDP)
        {
            m.response = BuildResponse(*m.msg, m.buf, 400, ReasonPhrase(StatusProtocol::SIP, 400));
            ++m_alg.responded;
            Log(m, option, "respond", reason);
            return Verdict::RESPOND;
        }
        // No answer to a response, an ACK, a non-message, or over TCP: discarded.
        ++m_alg.discarded;
        Log(m, option, "respond(discard)", reason);
        return Verdict::DISCARD;
    case VOIP_ACTION_DISCARD:
    default:
        ++m_alg.discarded;
        Log(m, option, "discard", reason);
        return Verdict::DISCARD;
    }
}

SipSessionHelper::Verdict
SipAlg::Check(Message& m)
{
    const Verdict v = CheckProfile(m);
    if (!m.msg || m.retransmission)
    {
        return v;
    }
    // The stats table: one row per method (a response counts in its CSeq method's row).
    const SipMessage& msg = *m.msg;
    const SipMethod id = msg.isRequest ? msg.methodId : msg.cseqMethodId;
    const std::string_view name = msg.isRequest ? msg.method : msg.cseqMethod;
    std::size_t row = 0; // UNKNOWN
    if (id != SipMethod::UNKNOWN && VoipMethodOf(id) >= 0)
    {
        row = static_cast<std::size_t>(VoipMethodOf(id)) + 1;
    }
    else if (name == "PING")
    {
        row = STATS_ROWS - 1;
    }
    const int k = msg.isRequest ? 0 : 1;
    StatsRow& r = m_alg.rows[row];
    ++r.received[k];
    if (v != Verdict::PASS)
    {
        ++r.blocked[k];
    }
    if (!msg.violations.empty() || msg.HasUnknownHeader() ||
        (msg.isRequest && msg.methodId == SipMethod::UNKNOWN))
    {
        ++r.unknownForm[k];
    }
    if (msg.maxLineLength > SipOptionsOf(*m.st).maxLineLength)
    {
        ++r.longHeaders[k];
    }
    return v;
}

SipSessionHelper::Verdict
SipAlg::CheckProfile(Message& m)
{
    HelperContext& ctx = *m.ctx;
    SipSessionState& st = *m.st;
    Expire(ctx.nowNs);
    // Calls of this session whose dialog expired (or was evicted as idle) end now, in Call-ID
    // order: their pinholes go with them.
    auto ended = m_endedBySerial.find(ctx.session.serial);
    if (ended != m_endedBySerial.end())
    {
        using CallIt = std::map<std::string, SipSessionState::Call, std::less<>>::iterator;
        std::vector<std::pair<CallIt, const char*>> ends;
        for (uint64_t id : ended->second)
        {
            auto d = m_dialogs.find(id);
            if (d == m_dialogs.end())
            {
                continue;
            }
            auto c = st.calls.find(d->second.callId);
            if (c != st.calls.end() && c->second.dialogId == id)
            {
                ends.emplace_back(c, d->second.endReason);
            }
        }
        std::sort(ends.begin(), ends.end(), [](const auto& a, const auto& b) {
            return a.first->first < b.first->first;
        });
        for (auto& [c, reason] : ends)
        {
            EndCall(ctx, st, c->second, reason);
            st.calls.erase(c);
        }
    }
    const VoipSipOptions& o = SipOptionsOf(st);
    if (!m.msg)
    {
        return Act(m, o.malformedRequestLine, "malformed-request-line", "not a SIP message");
    }
    const SipMessage& msg = *m.msg;
    const bool counting = !m.retransmission;
    if (const SipViolation* v = msg.FindViolation(SipCheck::REQUEST_LINE))
    {
        if (counting)
        {
            ++m_alg.malformed;
        }
        Verdict r = Act(m, o.malformedRequestLine, "malformed-request-line", v->reason);
        if (r != Verdict::PASS)
        {
            return r;
        }
    }
    if (msg.isRequest && msg.methodId == SipMethod::UNKNOWN)
    {
        ++m_alg.unknownMethod;
        if (o.blockUnknown)
        {
            ++m_alg.blockedUnknown;
            Log(m, "block-unknown", "block", "unknown method " + std::string(msg.method));
            return Verdict::DISCARD;
        }
    }
    if (msg.maxLineLength > o.maxLineLength)
    {
        ++m_alg.longLines;
        const std::string why = "line of " + std::to_string(msg.maxLineLength) + " bytes";
        if (o.blockLongLines)
        {
            Log(m, "block-long-lines", "block", why);
            return Verdict::DISCARD;
        }
        Log(m, "max-line-length", "pass", why);
    }
    if (o.maxBodyLength != 0 && msg.bodyLength > o.maxBodyLength)
    {
        ++m_alg.bodyTooLong;
        Log(m, "max-body-length", "block", "body of " + std::to_string(msg.bodyLength) + " bytes");
        return Verdict::DISCARD;
    }
    bool malformedCounted = false;
    for (const SipViolation& v : msg.violations)
    {
        if (v.check == SipCheck::REQUEST_LINE)
        {
            continue;
        }
        int idx = HeaderIndexOf(v.check);
        if (idx < 0)
        {
            continue;
        }
        if (!malformedCounted && counting)
        {
            ++m_alg.malformed;
            malformedCounted = true;
        }
        Verdict r = Act(m, o.malformedHeader[idx], SipCheckOptionName(v.check), v.reason);
        if (r != Verdict::PASS)
        {
            return r;
        }
    }
    if (msg.HasUnknownHeader())
    {
        std::string name;
        for (const SipHeader& h : msg.headers)
        {
            if (h.id == SipHeaderId::UNKNOWN)
            {
                name = h.name;
                break;
            }
        }
        if (counting)
        {
            ++m_alg.unknownHeader;
        }
        Verdict r = Act(m, o.unknownHeader, "unknown-header", "header " + name);
        if (r != Verdict::PASS)
        {
            return r;
        }
    }
    if (!msg.isRequest)
    {
        return Verdict::PASS;
    }
    const int vm = VoipMethodOf(msg.methodId);
    if (vm >= 0)
    {
        const VoipSipMethodOptions& mo = o.method[vm];
        const std::string name = VoipSipMethodNames()[vm];
        if (counting)
        {
            ++m_alg.method[vm].received;
        }
        if (mo.block)
        {
            ++m_alg.method[vm].blocked;
            Log(m, "block-" + std::string(name), "block", std::string(msg.method) + " blocked");
            return Verdict::DISCARD;
        }
        if (mo.rate != 0 && counting)
        {
            const FlowTuple& in = ctx.view.tuple;
            uint32_t who = mo.rateTrack == VOIP_RATE_TRACK_SRC_IP    ? in.src
                           : mo.rateTrack == VOIP_RATE_TRACK_DEST_IP ? in.dst
                                                                     : 0;
            Bucket& b =
                m_buckets[std::make_tuple(ctx.session.policyId, static_cast<uint8_t>(vm), who)];
            const double rate = mo.rate;
            if (!b.init)
            {
                b.init = true;
                b.tokens = rate;
                b.lastNs = ctx.nowNs;
            }
            b.tokens = std::min(rate,
                                b.tokens + static_cast<double>(ctx.nowNs - b.lastNs) /
                                               static_cast<double>(kNs) * rate);
            b.lastNs = ctx.nowNs;
            if (b.tokens < 1.0)
            {
                ++m_alg.method[vm].rateLimited;
                Log(m,
                    std::string(name) + "-rate",
                    "block",
                    std::string(msg.method) + " over " + std::to_string(mo.rate) + "/s (" +
                        VoipSipRateTrackName(mo.rateTrack) + ")");
                return Verdict::DISCARD;
            }
            b.tokens -= 1.0;
        }
    }
    if (msg.methodId == SipMethod::INVITE && o.maxDialogs != 0 && counting &&
        !(msg.hasTo && msg.to.hasTag) && st.calls.find(msg.callId) == st.calls.end())
    {
        if (GetDialogCount(ctx.session.policyId) >= o.maxDialogs)
        {
            ++m_alg.maxDialogs;
            Log(m,
                "max-dialogs",
                "block",
                "policy " + std::to_string(ctx.session.policyId) + " has " +
                    std::to_string(o.maxDialogs) + " dialogs");
            return Verdict::DISCARD;
        }
    }
    return Verdict::PASS;
}

// ---- dialogs -------------------------------------------------------------------------------

uint32_t
SipAlg::GetDialogCount(uint32_t policyId) const
{
    auto it = m_dialogCount.find(policyId);
    return it == m_dialogCount.end() ? 0 : it->second;
}

void
SipAlg::AfterMessage(Message& m, SipSessionState::Call* call)
{
    if (!call || !call->invite)
    {
        return;
    }
    HelperContext& ctx = *m.ctx;
    const VoipSipOptions& o = SipOptionsOf(*m.st);
    const uint32_t policy = ctx.session.policyId;
    Expire(ctx.nowNs);
    if (call->dialogId == 0)
    {
        if (call->phase == SipSessionState::ENDED)
        {
            return;
        }
        Dialog d;
        d.policyId = policy;
        d.serial = ctx.session.serial;
        d.callId = call->callId;
        d.from = call->from;
        d.to = call->to;
        d.profile = m.st->profile;
        d.startNs = call->startNs;
        d.lastNs = ctx.nowNs;
        d.expirySec = o.provisionalInviteExpiryTime;
        call->dialogId = m_nextDialog++;
        d.id = call->dialogId;
        Dialog& filed = m_dialogs.emplace(call->dialogId, std::move(d)).first->second;
        m_wheel.Add(filed);
        ++m_dialogCount[policy];
        if (m_voipLog)
        {
            // VoIP log "call start" (44032, docs.fortinet.com 7.0.5 log reference 43785).
            const FlowTuple& in = ctx.view.tuple;
            VoipLogEntry e;
            e.voipProto = "sip";
            e.nowNs = ctx.nowNs;
            e.sessionId = ctx.session.serial;
            e.srcip = in.src;
            e.srcport = in.sport;
            e.dstip = in.dst;
            e.dstport = in.dport;
            e.proto = in.proto;
            e.policyId = policy;
            e.profile = filed.profile;
            e.kind = "call";
            e.action = "permit";
            e.status = "start";
            e.reply = ctx.dir == SessionDir::REPLY;
            e.callId = filed.callId;
            e.from = filed.from;
            e.to = filed.to;
            m_voipLog(e);
        }
    }
    auto it = m_dialogs.find(call->dialogId);
    if (it == m_dialogs.end() || it->second.ended)
    {
        return;
    }
    Dialog& d = it->second;
    if (d.idle)
    {
        // Active again: out of its policy's idle set, back into the wheel.
        auto idle = m_idle.find(d.policyId);
        idle->second.erase({d.lastNs, d.id});
        if (idle->second.empty())
        {
            m_idle.erase(idle);
        }
        d.idle = false;
    }
    d.lastNs = ctx.nowNs;
    if (call->phase >= SipSessionState::ANSWERED && !d.established)
    {
        d.established = true;
        d.answerNs = call->answerNs;
        m_established[d.policyId].insert(d.id);
    }
    d.confirmed = call->phase == SipSessionState::CONFIRMED;
    if (decltype(m_wheel)::IsFiled(d))
    {
        m_wheel.Refresh(d); // moves only when the next deadline came earlier
    }
    else
    {
        m_wheel.Add(d);
    }
    if (o.maxIdleDialogs != 0)
    {
        EvictIdle(policy, o.maxIdleDialogs, ctx.nowNs);
    }
}

void
SipAlg::EvictIdle(uint32_t policyId, uint32_t maxIdle, int64_t nowNs)
{
    // Keep at most max-idle-dialogs established dialogs without SIP activity for
    // IDLE_DIALOG_SECONDS on this policy; the longest idle ones (then the oldest) end first.
    auto it = m_idle.find(policyId);
    if (it == m_idle.end() || it->second.size() <= maxIdle)
    {
        return;
    }
    std::vector<uint64_t> evict;
    for (auto e = it->second.begin(); it->second.size() - evict.size() > maxIdle; ++e)
    {
        evict.push_back(e->second);
    }
    for (uint64_t id : evict)
    {
        ++m_alg.idleEvicted;
        EndDialog(m_dialogs.at(id), nowNs, "idle", 0);
    }
}

void
SipAlg::Housekeep(HousekeepContext& hk)
{
    if (m_dialogs.empty())
    {
        return;
    }
    Expire(hk.nowNs);
    // Policies with idle dialogs, each with the max-idle-dialogs of the profile of its oldest
    // established dialog.
    std::vector<std::pair<uint32_t, uint32_t>> limits;
    for (const auto& [policy, idle] : m_idle)
    {
        auto est = m_established.find(policy);
        if (est != m_established.end() && !est->second.empty())
        {
            limits.emplace_back(
                policy,
                ProfileOptions(m_dialogs.at(*est->second.begin()).profile).maxIdleDialogs);
        }
    }
    for (const auto& [policy, maxIdle] : limits)
    {
        if (maxIdle != 0)
        {
            EvictIdle(policy, maxIdle, hk.nowNs);
        }
    }
    if (m_ended.empty())
    {
        return; // the next message of each session ends its calls (Check)
    }
    std::vector<std::pair<uint64_t, uint32_t>> ended; // dialog id, signalling session
    for (uint64_t id : m_ended)
    {
        ended.emplace_back(id, m_dialogs.at(id).serial);
    }
    for (const auto& [id, serial] : ended)
    {
        auto d = m_dialogs.find(id);
        if (d == m_dialogs.end())
        {
            continue;
        }
        const char* reason = d->second.endReason;
        const std::string callId = d->second.callId;
        hk.WithSession(serial, [this, id = id, reason, &callId](HelperContext& ctx) {
            SessionExtension* ext = ctx.session.ExtOrNull();
            auto* st = ext ? dynamic_cast<SipSessionState*>(ext->state.get()) : nullptr;
            if (!st)
            {
                return;
            }
            auto it = st->calls.find(callId);
            if (it != st->calls.end() && it->second.dialogId == id)
            {
                // Its pinholes and reservations go; the record was taken.
                EndCall(ctx, *st, it->second, reason);
                st->calls.erase(it);
            }
        });
        // Nothing refers to it any more (EndCall erased it already when the call was found).
        EraseDialog(id);
    }
}

void
SipAlg::Expire(int64_t nowNs)
{
    std::vector<Dialog*> due;
    m_wheel.AdvanceExact(nowNs, [&due](Dialog& d) { due.push_back(&d); });
    if (due.empty())
    {
        return;
    }
    std::sort(due.begin(), due.end(), [](const Dialog* a, const Dialog* b) {
        return a->id < b->id;
    });
    for (Dialog* d : due)
    {
        if (!d->established)
        {
            // Only provisional answers for provisional-invite-expiry-time.
            ++m_alg.expired;
            EndDialog(*d, nowNs, "expired", 0);
        }
        else
        {
            // No SIP activity for IDLE_DIALOG_SECONDS: idle (max-idle-dialogs may end it).
            d->idle = true;
            m_idle[d->policyId].emplace(d->lastNs, d->id);
        }
    }
}

void
SipAlg::Unindex(Dialog& d)
{
    if (decltype(m_wheel)::IsFiled(d))
    {
        m_wheel.Remove(d);
    }
    if (d.idle)
    {
        auto idle = m_idle.find(d.policyId);
        idle->second.erase({d.lastNs, d.id});
        if (idle->second.empty())
        {
            m_idle.erase(idle);
        }
        d.idle = false;
    }
    if (d.established)
    {
        auto est = m_established.find(d.policyId);
        if (est != m_established.end())
        {
            est->second.erase(d.id);
            if (est->second.empty())
            {
                m_established.erase(est);
            }
        }
    }
}

void
SipAlg::EraseDialog(uint64_t id)
{
    auto it = m_dialogs.find(id);
    if (it == m_dialogs.end())
    {
        return;
    }
    Dialog& d = it->second;
    Unindex(d);
    if (d.ended)
    {
        m_ended.erase(id);
        auto bySession = m_endedBySerial.find(d.serial);
        if (bySession != m_endedBySerial.end())
        {
            bySession->second.erase(id);
            if (bySession->second.empty())
            {
                m_endedBySerial.erase(bySession);
            }
        }
    }
    m_dialogs.erase(it);
}

void
SipAlg::EndDialog(Dialog& d, int64_t nowNs, const char* reason, uint32_t code)
{
    Unindex(d);
    d.ended = true;
    d.endReason = reason;
    m_ended.insert(d.id);
    m_endedBySerial[d.serial].insert(d.id);
    auto c = m_dialogCount.find(d.policyId);
    if (c != m_dialogCount.end() && c->second > 0)
    {
        --c->second;
    }
    Record(d, nowNs, code, reason, -1);
}

void
SipAlg::Record(const Dialog& d, int64_t endNs, uint32_t code, const char* reason, int64_t ringNs)
{
    if (m_voipLog)
    {
        // VoIP log "call end": the unit fills in the signalling session's addresses.
        VoipLogEntry e;
        e.voipProto = "sip";
        e.nowNs = endNs;
        e.sessionId = d.serial;
        e.policyId = d.policyId;
        e.profile = d.profile;
        e.kind = "call";
        e.action = "permit";
        e.status = "end";
        e.duration = d.established && d.answerNs >= 0
                         ? static_cast<uint32_t>((endNs - d.answerNs) / kNs)
                         : 0;
        e.callId = d.callId;
        e.from = d.from;
        e.to = d.to;
        m_voipLog(e);
    }
    bool summary = true;
    if (m_profiles)
    {
        if (const VoipProfileConfig* p = m_profiles(d.profile))
        {
            summary = p->sip.logCallSummary;
        }
    }
    if (!summary)
    {
        return;
    }
    CallRecord r;
    r.callId = d.callId;
    r.from = d.from;
    r.to = d.to;
    r.profile = d.profile;
    r.policyId = d.policyId;
    r.startNs = d.startNs;
    r.ringNs = ringNs;
    r.answerNs = d.answerNs;
    r.endNs = endNs;
    r.finalCode = code != 0 ? code : (d.established ? 200 : 0);
    r.reason = reason;
    m_records.push_back(std::move(r));
    while (m_records.size() > MAX_CALL_RECORDS)
    {
        m_records.pop_front();
    }
}

void
SipAlg::OnCallEnded(const Session&, SipSessionState::Call& call, const char* reason)
{
    if (call.dialogId == 0)
    {
        return;
    }
    auto it = m_dialogs.find(call.dialogId);
    if (it == m_dialogs.end())
    {
        return;
    }
    Dialog& d = it->second;
    if (!d.ended)
    {
        if (call.answerNs >= 0)
        {
            d.answerNs = call.answerNs;
            d.established = true;
        }
        auto c = m_dialogCount.find(d.policyId);
        if (c != m_dialogCount.end() && c->second > 0)
        {
            --c->second;
        }
        Record(d, call.endNs >= 0 ? call.endNs : d.lastNs, call.finalCode, reason, call.ringNs);
    }
    EraseDialog(call.dialogId);
    call.dialogId = 0;
}

// ---- diagnose ------------------------------------------------------------------------------

std::string
SipAlg::StatsText(uint64_t registersActive) const
{
    // Layout of a real `diagnose sys sip-proxy stats` (FortiOS 6.x/7.x, SIP ALG in use):
    // https://community.fortinet.com/t5/FortiGate/Technical-Tip-How-to-confirm-if-FortiGate-is-using-SIP-Session/ta-p/190757
    //   sip stats
    //   vdom name: root
    //   ---------------------------
    //   active-sessions: 1
    //   calls-attempted: 57 ... registers-active: 1
    //   | received | blocked | unknown form | long headers
    //   req-type | req resp| req resp| req resp| req resp
    //   UNKNOWN 0 47227 0 47227 0 47227 0 0
    //   ACK 86 0 0 0 0 0 0 0  ...  PING 0 0 0 0 0 0 0 0
    // The page collapses runs of spaces, so the column widths below are the model's (the
    // words, their order and the rows are the sample's); see doc/troubleshooting.md.
    const SipEngineStats& s = GetStats();
    char line[200];
    std::string out = "sip stats\nvdom name: root\n---------------------------\n";
    auto put = [&out, &line](const char* name, uint64_t v) {
        std::snprintf(line, sizeof(line), "%s: %llu\n", name, static_cast<unsigned long long>(v));
        out += line;
    };
    put("active-sessions", m_bindings.size());
    put("calls-attempted", s.calls);
    put("calls-established", s.callsAnswered);
    put("calls-failed", s.callsFailed);
    put("calls-active", GetActiveCalls());
    put("registers-active", registersActive);
    out += "          |   received    |    blocked    | unknown form  | long headers\n";
    out += "req-type  |   req   resp  |   req   resp  |   req   resp  |   req   resp\n";
    const auto& names = VoipSipMethodNames();
    for (std::size_t i = 0; i < STATS_ROWS; ++i)
    {
        std::string row = i == 0 ? "UNKNOWN" : i == STATS_ROWS - 1 ? "PING" : names[i - 1];
        for (char& c : row)
        {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        const StatsRow& r = m_alg.rows[i];
        std::snprintf(line,
                      sizeof(line),
                      "%-10s %6llu %6llu  %6llu %6llu  %6llu %6llu  %6llu %6llu\n",
                      row.c_str(),
                      static_cast<unsigned long long>(r.received[0]),
                      static_cast<unsigned long long>(r.received[1]),
                      static_cast<unsigned long long>(r.blocked[0]),
                      static_cast<unsigned long long>(r.blocked[1]),
                      static_cast<unsigned long long>(r.unknownForm[0]),
                      static_cast<unsigned long long>(r.unknownForm[1]),
                      static_cast<unsigned long long>(r.longHeaders[0]),
                      static_cast<unsigned long long>(r.longHeaders[1]));
        out += line;
    }
    // The model's own counters (not in FortiOS's output).
    out += "\n";
    put("calls-ended", s.callsEnded);
    put("register-pinholes", s.registerPinholes);
    put("messages", s.messages);
    put("messages-rewritten", s.rewritten);
    put("tcp-segments-held", s.held);
    put("pinholes-opened", s.pinholesOpened);
    put("pinholes-closed", s.pinholesClosed);
    put("media-ports-translated", s.mediaPortsTranslated);
    put("media-nat-reservations", s.natReservations);
    for (std::size_t i = 0; i < names.size(); ++i)
    {
        if (m_alg.method[i].rateLimited != 0)
        {
            std::snprintf(line,
                          sizeof(line),
                          "rate-limited %s: %llu\n",
                          names[i].c_str(),
                          static_cast<unsigned long long>(m_alg.method[i].rateLimited));
            out += line;
        }
    }
    put("violations", m_alg.violations);
    put("malformed", m_alg.malformed);
    put("unknown-header", m_alg.unknownHeader);
    put("long-lines", m_alg.longLines);
    put("body-too-long", m_alg.bodyTooLong);
    put("passed-with-violation", m_alg.passed);
    put("discarded", m_alg.discarded);
    put("responded", m_alg.responded);
    put("max-dialogs-drops", m_alg.maxDialogs);
    put("provisional-expired", m_alg.expired);
    put("idle-dialogs-evicted", m_alg.idleEvicted);
    return out;
}

std::string
SipAlg::DialogListText(int64_t nowNs) const
{
    // No real `diagnose sys sip-proxy dialog list` output was found (doc/troubleshooting.md,
    // "SIP"): the model's format, one dialog a line, FortiOS's key=value style.
    uint64_t active = 0;
    for (const auto& [id, d] : m_dialogs)
    {
        active += d.ended ? 0 : 1;
    }
    std::string out = "dialogs: " + std::to_string(active) + "\n";
    char serial[16];
    for (const auto& [id, d] : m_dialogs)
    {
        if (d.ended)
        {
            continue;
        }
        std::snprintf(serial, sizeof(serial), "%08x", d.serial);
        out += "id=" + std::to_string(id) + " vd=root policy=" + std::to_string(d.policyId) +
               " profile=" + d.profile + " session=" + serial + " call-id=" + d.callId +
               " from=" + d.from + " to=" + d.to + " state=" +
               (d.confirmed     ? "confirmed"
                : d.established ? "answered"
                                : "setup") +
               " age=" + std::to_string((nowNs - d.startNs) / 1000000000) + "s" +
               " idle=" + std::to_string((nowNs - d.lastNs) / 1000000000) + "s\n";
    }
    return out;
}

std::string
SipAlg::CallsText(int64_t nowNs) const
{
    std::string out;
    uint64_t active = 0;
    for (const auto& [id, d] : m_dialogs)
    {
        active += d.ended ? 0 : 1;
    }
    out += "active calls: " + std::to_string(active) + "\n";
    for (const auto& [id, d] : m_dialogs)
    {
        if (d.ended)
        {
            continue;
        }
        out += "  id=" + std::to_string(id) + " policy=" + std::to_string(d.policyId) +
               " call-id=" + d.callId + " from=" + d.from + " to=" + d.to + " state=" +
               (d.confirmed     ? "confirmed"
                : d.established ? "answered"
                                : "setup") +
               " start=" + Seconds(d.startNs) +
               (d.established ? " answer=" + Seconds(d.answerNs) +
                                    " setup-delay=" + Seconds(d.answerNs - d.startNs) +
                                    " duration=" + Seconds(nowNs - d.answerNs)
                              : " waiting=" + Seconds(nowNs - d.startNs)) +
               "\n";
    }
    out += "call records: " + std::to_string(m_records.size()) + "\n";
    for (const CallRecord& r : m_records)
    {
        out += "  policy=" + std::to_string(r.policyId) + " call-id=" + r.callId +
               " from=" + r.from + " to=" + r.to + " start=" + Seconds(r.startNs) +
               " answer=" + (r.answerNs >= 0 ? Seconds(r.answerNs) : std::string("-")) +
               " end=" + Seconds(r.endNs) + " duration=" + Seconds(r.DurationNs()) +
               " setup-delay=" + (r.answerNs >= 0 ? Seconds(r.SetupDelayNs()) : std::string("-")) +
               " status=" + std::to_string(r.finalCode) + " reason=" + r.reason + "\n";
    }
    return out;
}

} // namespace ns3
