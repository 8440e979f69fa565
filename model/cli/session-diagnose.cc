/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session-diagnose.h"

#include "ns3/log.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SessionDiagnose");

namespace
{

constexpr int64_t NS_PER_S = 1000000000LL;

std::string
AddrPort(uint32_t addr, uint16_t port)
{
    return Ipv4ToString(addr) + ":" + std::to_string(port);
}

std::string
ParseError(const std::string& word)
{
    return "command parse error before '" + word + "'\nCommand fail. Return code -61\n";
}

std::string
MissingArgument()
{
    return "Command fail. Return code -1\n";
}

/// Parse an unsigned decimal number (digits only) no larger than \p max.
bool
ParseNumber(const std::string& text, uint64_t max, int64_t& value)
{
    uint64_t v = 0;
    if (!ParseDecimal(text, max, v))
    {
        return false;
    }
    value = static_cast<int64_t>(v);
    return true;
}

int64_t
DurationSec(const Session& s, const DiagnoseContext& ctx)
{
    int64_t age = ctx.nowNs - s.createdNs;
    return age > 0 ? age / NS_PER_S : 0;
}

int64_t
ExpireSec(const Session& s, const DiagnoseContext& ctx)
{
    int64_t left = s.lastSeenNs + static_cast<int64_t>(s.timeout) * NS_PER_S - ctx.nowNs;
    return left > 0 ? left / NS_PER_S : 0;
}

uint32_t
DevOf(const DiagnoseContext& ctx, uint8_t ifIndex)
{
    return ifIndex < ctx.ifDevIndex.size() ? ctx.ifDevIndex[ifIndex] : 0;
}

const std::string&
IfNameOf(const DiagnoseContext& ctx, uint8_t ifIndex)
{
    static const std::string none;
    return ifIndex < ctx.ifNames.size() ? ctx.ifNames[ifIndex] : none;
}

/// Local session inbound to the unit (rather than originated by it): its real destination
/// (where replies come from, after any DNAT) is the unit. A session arriving at the unit's
/// address and translated to a host behind it (a pinhole's child, a VIP) is not.
bool
IsLocalIn(const Session& s, const DiagnoseContext& ctx)
{
    return (s.flags & SES_LOCAL) && ctx.isLocalAddress &&
           ctx.isLocalAddress(s.Tuple(SessionDir::REPLY).src);
}

int
ProtoStateNumber(const Session& s)
{
    std::string text = ProtoStateText(s.Tuple(SessionDir::ORIGINAL).proto, s.tcpState);
    return (text[0] - '0') * 10 + (text[1] - '0');
}

/// Keyword, `filter` label and value kind of each filter field (SessionDiagnose::Field order).
enum FieldKind
{
    K_VD,
    K_IFNAME,
    K_IP,
    K_PORT,
    K_PROTO,
    K_PROTO_STATE,
    K_U32,
};

struct FieldInfo
{
    const char* keyword;
    const char* label;
    FieldKind kind;
};

const FieldInfo FIELDS[] = {
    {"vd", "vd", K_VD},
    {"sintf", "sintf", K_IFNAME},
    {"dintf", "dintf", K_IFNAME},
    {"proto", "proto", K_PROTO},
    {"proto-state", "proto-state", K_PROTO_STATE},
    {"src", "source ip", K_IP},
    {"nsrc", "NAT'd source ip", K_IP},
    {"dst", "dest ip", K_IP},
    {"sport", "source port", K_PORT},
    {"nport", "NAT'd source port", K_PORT},
    {"dport", "dest port", K_PORT},
    {"policy", "policy id", K_U32},
    {"expire", "expire", K_U32},
    {"duration", "duration", K_U32},
};

int
FindField(const std::string& keyword)
{
    for (size_t i = 0; i < sizeof(FIELDS) / sizeof(FIELDS[0]); ++i)
    {
        if (keyword == FIELDS[i].keyword)
        {
            return static_cast<int>(i);
        }
    }
    return -1;
}

/// Parse one value of a numeric field kind.
bool
ParseValue(FieldKind kind, const std::string& text, int64_t& value)
{
    switch (kind)
    {
    case K_IP: {
        uint32_t addr = 0;
        if (!ParseIpv4(text, addr))
        {
            return false;
        }
        value = addr;
        return true;
    }
    case K_PORT:
        return ParseNumber(text, 65535, value);
    case K_PROTO:
        return ParseNumber(text, 255, value);
    case K_PROTO_STATE:
        return ParseNumber(text, 99, value);
    case K_U32:
        return ParseNumber(text, UINT32_MAX, value);
    case K_VD:
        return ParseNumber(text, 255, value);
    case K_IFNAME:
        return false;
    }
    return false;
}

std::string
ValueText(FieldKind kind, int64_t v)
{
    if (kind == K_IP)
    {
        return Ipv4ToString(static_cast<uint32_t>(v));
    }
    return std::to_string(v);
}

/// The hook lines of a session (fortios.md §2), each ending in '\n'.
std::vector<std::string>
HookLines(const Session& s, bool localOut)
{
    const FlowTuple& o = s.Tuple(SessionDir::ORIGINAL);
    const FlowTuple& r = s.Tuple(SessionDir::REPLY);
    const std::string a = AddrPort(o.src, o.sport); // client as it arrives
    const std::string v = AddrPort(o.dst, o.dport); // destination it asked for (VIP)
    const std::string m = AddrPort(r.src, r.sport); // real (mapped) server
    const std::string n = AddrPort(r.dst, r.dport); // address replies come to (SNAT)
    const bool snat = s.IsSnat();
    const bool dnat = s.IsDnat();
    std::vector<std::string> lines;
    if (!snat && !dnat)
    {
        lines.push_back(std::string("hook=") + (localOut ? "out" : "pre") + " dir=org act=noop " +
                        a + "->" + v + "(0.0.0.0:0)\n");
        lines.push_back(std::string("hook=") + (localOut ? "in" : "post") + " dir=reply act=noop " +
                        m + "->" + n + "(0.0.0.0:0)\n");
        return lines;
    }
    if (dnat)
    {
        lines.push_back("hook=pre dir=org act=dnat " + a + "->" + v + "(" + m + ")\n");
    }
    if (snat)
    {
        lines.push_back("hook=post dir=org act=snat " + a + "->" + (dnat ? m : v) + "(" + n +
                        ")\n");
        lines.push_back("hook=pre dir=reply act=dnat " + m + "->" + n + "(" + a + ")\n");
    }
    if (dnat)
    {
        lines.push_back("hook=post dir=reply act=snat " + m + "->" + a + "(" + v + ")\n");
    }
    return lines;
}

/// Firewall error counters FortiOS always prints, in its order.
const char* const STANDARD_ERRORS[] = {"error1",
                                       "error2",
                                       "error3",
                                       "error4",
                                       "tt",
                                       "cont",
                                       "ids_recv",
                                       "url_recv",
                                       "av_recv",
                                       "fqdn_count",
                                       "fqdn6_count"};

} // namespace

std::string
FormatSession(const Session& s, const DiagnoseContext& ctx)
{
    const FlowTuple& o = s.Tuple(SessionDir::ORIGINAL);
    const int64_t duration = DurationSec(s, ctx);
    const int64_t expire = ExpireSec(s, ctx);
    const bool local = (s.flags & SES_LOCAL) != 0;
    const bool localIn = local && IsLocalIn(s, ctx);
    // A redirected (proxied) session, e.g. the SIP ALG's, carries `local` because the unit's
    // proxy terminates it, but unless one of its ends is the unit it crosses the unit: FortiOS
    // then prints it as forwarded traffic, with the devices it really uses
    // (`state=redir local may_dirty ...` / `orgin->sink: org pre->post, reply pre->post
    // dev=25->26/26->25` in a FortiOS proxied-session listing). Only a session the unit itself
    // originates prints `org out->post, reply pre->in`.
    const bool redirCrossing =
        local && !localIn && (s.flags & SES_REDIR) != 0 &&
        !(ctx.isLocalAddress && ctx.isLocalAddress(s.Tuple(SessionDir::ORIGINAL).src));
    const bool localOut = local && !localIn && !redirCrossing;

    std::string out;
    out += StrFormat("session info: proto=%u proto_state=%s duration=%" PRId64 " expire=%" PRId64
                     " timeout=%u%s sockport=0 av_idx=0 use=3\n",
                     o.proto,
                     ProtoStateText(o.proto, s.tcpState).c_str(),
                     duration,
                     expire,
                     s.timeout,
                     ctx.fortiOs6 ? " flags=00000000 sockflag=00000000"
                                  : " refresh_dir=both flags=00000000 socktype=0");
    out += "origin-shaper=\nreply-shaper=\nper_ip_shaper=\n";

    std::string helper;
    // A child session a helper's pinhole let in shows that helper even when it is not
    // inspected itself (an FTP data connection).
    uint8_t helperId = s.helperId;
    if (helperId == 0 && s.ExtOrNull())
    {
        helperId = s.ExtOrNull()->parentHelper;
    }
    if (helperId != 0 && ctx.helperName)
    {
        helper = ctx.helperName(helperId);
    }
    out += "class_id=0 ha_id=0 policy_dir=0 tunnel=/"; // no reply-direction policy in the model
    if (!helper.empty())
    {
        out += " helper=" + helper;
    }
    out += " vlan_cos=255/255\n";
    out += "state=" + SessionStateFlagsToString(s.flags) + "\n";

    std::vector<std::string> hooks = HookLines(s, localOut);
    const SessionCounters& co = s.counters[0];
    const SessionCounters& cr = s.counters[1];
    out += StrFormat("statistic(bytes/packets/allow_err): org=%" PRIu64 "/%u/%u reply=%" PRIu64
                     "/%u/%u tuples=%zu\n",
                     co.bytes,
                     co.packets,
                     co.allowErr,
                     cr.bytes,
                     cr.packets,
                     cr.allowErr,
                     hooks.size());
    uint64_t tx = duration > 0 ? co.bytes / static_cast<uint64_t>(duration) : 0;
    uint64_t rx = duration > 0 ? cr.bytes / static_cast<uint64_t>(duration) : 0;
    out += StrFormat("tx speed(Bps/kbps): %" PRIu64 "/%" PRIu64 " rx speed(Bps/kbps): %" PRIu64
                     "/%" PRIu64 "\n",
                     tx,
                     tx * 8 / 1000,
                     rx,
                     rx * 8 / 1000);

    // Devices: in->out of the original direction / in->out of the reply direction.
    uint32_t devOrg = DevOf(ctx, s.inIf[0]);
    uint32_t devReply = DevOf(ctx, s.inIf[1]);
    const char* path = "org pre->post, reply pre->post";
    if (localOut)
    {
        path = "org out->post, reply pre->in";
        devOrg = 0;
    }
    else if (localIn)
    {
        path = "org pre->in, reply out->post";
        devReply = 0;
    }
    out += StrFormat("orgin->sink: %s dev=%u->%u/%u->%u gwy=%s/%s\n",
                     path,
                     devOrg,
                     devReply,
                     devReply,
                     devOrg,
                     Ipv4ToString(s.gateway[0]).c_str(),
                     Ipv4ToString(s.gateway[1]).c_str());
    for (const auto& line : hooks)
    {
        out += line;
    }
    out += "pos/(before,after) 0/(0,0), 0/(0,0)\n";
    if (ctx.fortiOs6)
    {
        out += StrFormat("misc=0 policy_id=%u auth_info=0 chk_client_info=0 vd=0\n", s.policyId);
        out += StrFormat("serial=%08x tos=ff/ff app_list=0 app=0 url_cat=0\n", s.serial);
        out += "dd_type=0 dd_mode=0\n";
        return out;
    }
    out += StrFormat("misc=0 policy_id=%u pol_uuid_idx=%u auth_info=0 chk_client_info=0 vd=0\n",
                     s.policyId,
                     s.policyId);
    out += StrFormat("serial=%08x tos=ff/ff app_list=0 app=0 url_cat=0\n", s.serial);
    out += "rpdb_link_id=00000000 ngfwid=n/a\n";
    out += "npu_state=0x000000\n";
    out += std::string("no_ofld_reason:  ") + (local ? "local" : "non-npu-intf") + "\n";
    return out;
}

bool
SessionDiagnose::FilterIsSet() const
{
    if (!m_extSrc.empty() || !m_extDst.empty() || !m_extSrcNeg.empty() || !m_extDstNeg.empty() ||
        m_state1 || m_state2)
    {
        return true;
    }
    for (const auto& f : m_filter)
    {
        if (f.set)
        {
            return true;
        }
    }
    return false;
}

void
SessionDiagnose::ClearFilter()
{
    NS_LOG_FUNCTION(this);
    m_filter = {};
    m_extSrc.clear();
    m_extDst.clear();
    m_extSrcNeg.clear();
    m_extDstNeg.clear();
    m_state1 = m_state2 = 0;
}

std::string
SessionDiagnose::FilterText() const
{
    std::string out = "session filter:\n";
    std::string negated;
    for (int f = 0; f < F_COUNT; ++f)
    {
        const FieldValue& v = m_filter[f];
        const FieldInfo& info = FIELDS[f];
        std::string value = "any";
        if (v.set)
        {
            if (info.kind == K_IFNAME)
            {
                value = v.name;
            }
            else if (info.kind == K_VD)
            {
                value = std::to_string(v.lo);
            }
            else
            {
                value = ValueText(info.kind, v.lo) + "-" + ValueText(info.kind, v.hi);
            }
        }
        out += std::string("\t") + info.label + ": " + value + "\n";
        if (v.negate)
        {
            negated += negated.empty() ? "" : " ";
            negated += info.keyword;
        }
    }
    if (!negated.empty())
    {
        out += "\tnegate: " + negated + "\n";
    }
    return out;
}

bool
SessionDiagnose::FieldMatches(int f, const Session& s, const DiagnoseContext& ctx) const
{
    const FieldValue& v = m_filter[f];
    const FlowTuple& o = s.Tuple(SessionDir::ORIGINAL);
    const FlowTuple& r = s.Tuple(SessionDir::REPLY);
    int64_t x = 0;
    switch (f)
    {
    case F_VD:
        x = 0;
        break;
    case F_SINTF:
        return IfNameOf(ctx, s.inIf[0]) == v.name;
    case F_DINTF:
        return IfNameOf(ctx, s.inIf[1]) == v.name;
    case F_PROTO:
        x = o.proto;
        break;
    case F_PROTO_STATE:
        x = ProtoStateNumber(s);
        break;
    case F_SRC:
        x = o.src;
        break;
    case F_NSRC:
        x = s.IsSnat() ? r.dst : 0;
        break;
    case F_DST:
        x = o.dst;
        break;
    case F_SPORT:
        x = o.sport;
        break;
    case F_NPORT:
        x = s.IsSnat() ? r.dport : 0;
        break;
    case F_DPORT:
        x = o.dport;
        break;
    case F_POLICY:
        x = s.policyId;
        break;
    case F_EXPIRE:
        x = ExpireSec(s, ctx);
        break;
    case F_DURATION:
        x = DurationSec(s, ctx);
        break;
    default:
        return true;
    }
    return x >= v.lo && x <= v.hi;
}

namespace
{

bool
Listed(const std::vector<uint32_t>& list, uint32_t a)
{
    return std::find(list.begin(), list.end(), a) != list.end();
}

/// A `state=` flag name ("log", "redir", ...) or a hex mask (0x...) as flag bits; 0 = bad.
uint16_t
StateFlagValue(const std::string& text)
{
    for (int b = 0; b < 16; ++b)
    {
        const uint16_t bit = static_cast<uint16_t>(1u << b);
        if (SessionStateFlagsToString(bit) == text)
        {
            return bit;
        }
    }
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    {
        try
        {
            size_t used = 0;
            const unsigned long v = std::stoul(text.substr(2), &used, 16);
            return used == text.size() - 2 && v <= 0xffff ? static_cast<uint16_t>(v) : 0;
        }
        catch (const std::exception&)
        {
            return 0;
        }
    }
    return 0;
}

} // namespace

bool
SessionDiagnose::ExtraMatches(const Session& s) const
{
    const FlowTuple& o = s.Tuple(SessionDir::ORIGINAL);
    return (m_extSrc.empty() || Listed(m_extSrc, o.src)) &&
           (m_extDst.empty() || Listed(m_extDst, o.dst)) && !Listed(m_extSrcNeg, o.src) &&
           !Listed(m_extDstNeg, o.dst) && (s.flags & m_state1) == m_state1 &&
           (s.flags & m_state2) == m_state2;
}

std::string
SessionDiagnose::ExtraFilter(const std::vector<std::string>& words)
{
    // Options of `diagnose sys session filter ?` on FortiOS 7.2+ (miaokee.com/2790394 and
    // jishuzhan.net/article/1866452880764964866, copies of the Fortinet "session table"
    // article): vd-name, session-state1, session-state2, ext-src, ext-dst, ext-src-negate,
    // ext-dst-negate. words[0] is the option.
    const std::string& what = words[0];
    if (words.size() < 2)
    {
        return MissingArgument();
    }
    if (words.size() > 2)
    {
        return ParseError(words[2]);
    }
    const std::string& value = words[1];
    if (what == "vd-name")
    {
        return value == "root" || value == "any" || value == "-1" ? "" : ParseError(value);
    }
    if (what == "session-state1" || what == "session-state2" || what == "state1" ||
        what == "state2")
    {
        const uint16_t v = StateFlagValue(value);
        if (v == 0)
        {
            return ParseError(value);
        }
        (what.back() == '1' ? m_state1 : m_state2) = v;
        return "";
    }
    uint32_t addr = 0;
    if (!ParseIpv4(value, addr))
    {
        return ParseError(value);
    }
    std::vector<uint32_t>& list = what == "ext-src"          ? m_extSrc
                                  : what == "ext-dst"        ? m_extDst
                                  : what == "ext-src-negate" ? m_extSrcNeg
                                                             : m_extDstNeg;
    if (!Listed(list, addr))
    {
        list.push_back(addr);
    }
    return "";
}

bool
SessionDiagnose::Matches(const Session& s, const DiagnoseContext& ctx) const
{
    if (!ExtraMatches(s))
    {
        return false;
    }
    for (int f = 0; f < F_COUNT; ++f)
    {
        const FieldValue& v = m_filter[f];
        if (v.set && FieldMatches(f, s, ctx) == v.negate)
        {
            return false;
        }
    }
    return true;
}

std::string
SessionDiagnose::Filter(const std::vector<std::string>& words, const DiagnoseContext& ctx)
{
    // words[0] == "filter"
    if (words.size() == 1)
    {
        return FilterText();
    }
    const std::string& what = words[1];
    if (what == "clear")
    {
        if (words.size() > 2)
        {
            return ParseError(words[2]);
        }
        ClearFilter();
        return "";
    }
    if (what == "negate")
    {
        if (words.size() < 3)
        {
            return MissingArgument();
        }
        int f = FindField(words[2]);
        if (f < 0)
        {
            return ParseError(words[2]);
        }
        if (words.size() > 3)
        {
            return ParseError(words[3]);
        }
        m_filter[f].negate = !m_filter[f].negate;
        return "";
    }
    static const char* extra[] = {"vd-name",
                                  "session-state1",
                                  "session-state2",
                                  "state1",
                                  "state2",
                                  "ext-src",
                                  "ext-dst",
                                  "ext-src-negate",
                                  "ext-dst-negate"};
    for (const char* e : extra)
    {
        if (what == e)
        {
            return ExtraFilter(std::vector<std::string>(words.begin() + 1, words.end()));
        }
    }
    int f = FindField(what);
    if (f < 0)
    {
        return ParseError(what);
    }
    if (words.size() < 3)
    {
        return MissingArgument();
    }
    const FieldKind kind = FIELDS[f].kind;
    FieldValue v = m_filter[f]; // keeps the negate flag
    if (kind == K_IFNAME)
    {
        bool known = false;
        for (const auto& name : ctx.ifNames)
        {
            known = known || name == words[2];
        }
        if (!known)
        {
            return ParseError(words[2]);
        }
        if (words.size() > 3)
        {
            return ParseError(words[3]);
        }
        v.set = true;
        v.name = words[2];
        m_filter[f] = v;
        return "";
    }
    if (kind == K_VD && (words[2] == "-1" || words[2] == "any"))
    {
        if (words.size() > 3)
        {
            return ParseError(words[3]);
        }
        v.set = false;
        m_filter[f] = v;
        return "";
    }
    int64_t lo = 0;
    if (!ParseValue(kind, words[2], lo))
    {
        return ParseError(words[2]);
    }
    int64_t hi = lo;
    if (words.size() > 3)
    {
        if (kind == K_VD || !ParseValue(kind, words[3], hi) || hi < lo)
        {
            return ParseError(words[3]);
        }
    }
    if (words.size() > 4)
    {
        return ParseError(words[4]);
    }
    v.set = true;
    v.lo = lo;
    v.hi = hi;
    m_filter[f] = v;
    return "";
}

std::string
SessionDiagnose::List(const SessionTable& table, const DiagnoseContext& ctx) const
{
    std::string out;
    uint64_t count = 0;
    table.ForEach([&](const Session& s) {
        if (Matches(s, ctx))
        {
            out += "\n";
            out += FormatSession(s, ctx);
            ++count;
        }
    });
    out += "total session " + std::to_string(count) + "\n";
    return out;
}

std::string
SessionDiagnose::Stat(SessionTable& table, const DiagnoseContext& ctx)
{
    const SessionTable::Stats& st = table.GetStats();
    uint64_t ephemeral = 0;
    uint64_t removeable = 0;
    static_cast<const SessionTable&>(table).ForEach([&](const Session& s) {
        const uint8_t proto = s.Tuple(SessionDir::ORIGINAL).proto;
        if ((proto == IPPROTO_NUM_TCP &&
             (s.tcpState[0] == TCP_S_SYN_SENT || s.tcpState[0] == TCP_S_SYN_SYNACK)) ||
            (proto == IPPROTO_NUM_UDP && s.tcpState[0] == 0))
        {
            ++ephemeral;
        }
        if (s.flags & SES_REM)
        {
            ++removeable;
        }
    });
    const uint64_t deleted = st.deleted > m_clearedSessions ? st.deleted - m_clearedSessions : 0;

    std::string out;
    out += StrFormat("misc info:       session_count=%zu setup_rate=%" PRIu64 " exp_count=%" PRIu64
                     " clash=%" PRIu64 "\n",
                     table.Size(),
                     st.setupRate,
                     ctx.expectationCount,
                     st.clash);
    out += StrFormat("\tmemory_tension_drop=%" PRIu64 " ephemeral=%" PRIu64
                     "/%u removeable=%" PRIu64 "\n",
                     st.memoryTensionDrop,
                     ephemeral,
                     ctx.ephemeralLimit,
                     removeable);
    if (ctx.fortiOs6)
    {
        out += StrFormat("delete=%" PRIu64 ", flush=%" PRIu64 ", dev_down=0/0\n",
                         deleted,
                         m_flushRequests);
    }
    else
    {
        // FortiOS 7.x (KB FD49210, community.fortinet.com "identify if 'diag sys session
        // clear' has been issued"): `ses_flush_filters=` and a `flush_work_num=` line. The
        // model flushes at once: no pending flush filters or work (both 0).
        out +=
            StrFormat("delete=%" PRIu64 ", flush=%" PRIu64 ", dev_down=0/0 ses_flush_filters=0\n",
                      deleted,
                      m_flushRequests);
        out += "flush_work_num=0\n";
    }
    m_flushRequests = 0;

    out += "TCP sessions:\n";
    auto counts = table.TcpStateCounts();
    for (uint8_t st2 = 0; st2 < TCP_S_COUNT; ++st2)
    {
        if (counts[st2] != 0)
        {
            out += StrFormat("%10u in %s state\n", counts[st2], TcpSessionStateName(st2));
        }
    }

    out += "firewall error stat:\n";
    std::vector<bool> used(ctx.firewallErrors.size(), false);
    for (const char* name : STANDARD_ERRORS)
    {
        uint64_t value = 0;
        for (size_t i = 0; i < ctx.firewallErrors.size(); ++i)
        {
            if (ctx.firewallErrors[i].first == name)
            {
                value = ctx.firewallErrors[i].second;
                used[i] = true;
            }
        }
        out += StrFormat("%s=%08" PRIx64 "\n", name, value);
    }
    for (size_t i = 0; i < ctx.firewallErrors.size(); ++i)
    {
        if (!used[i])
        {
            out += StrFormat("%s=%08" PRIx64 "\n",
                             ctx.firewallErrors[i].first.c_str(),
                             ctx.firewallErrors[i].second);
        }
    }
    out += StrFormat("global: ses_limit=%u ses6_limit=0 rt_limit=0 rt6_limit=0\n",
                     table.GetMaxSessions());
    return out;
}

std::string
SessionDiagnose::Diagnose(const std::vector<std::string>& words,
                          SessionTable& table,
                          const DiagnoseContext& ctx)
{
    if (words.empty())
    {
        return MissingArgument();
    }
    const std::string& cmd = words[0];
    if (cmd == "filter")
    {
        return Filter(words, ctx);
    }
    if (cmd == "list")
    {
        if (words.size() == 1)
        {
            return List(table, ctx);
        }
        if (words[1] != "expectation")
        {
            return ParseError(words[1]);
        }
        if (words.size() > 2)
        {
            return ParseError(words[2]);
        }
        return ctx.expectationLister ? ctx.expectationLister() : "total session 0\n";
    }
    if (cmd == "clear")
    {
        if (words.size() > 1)
        {
            return ParseError(words[1]);
        }
        const uint64_t before = table.GetStats().deleted;
        if (FilterIsSet())
        {
            table.Clear([&](const Session& s) { return Matches(s, ctx); },
                        SessionCloseReason::CLEARED);
        }
        else
        {
            table.Clear([](const Session&) { return true; }, SessionCloseReason::CLEARED);
        }
        m_clearedSessions += table.GetStats().deleted - before;
        ++m_flushRequests;
        return "";
    }
    if (cmd == "full-stat")
    {
        // `diagnose sys session full-stat`: the session table's size and use, then the `stat`
        // counters (no real sample was found: layout documented in doc/troubleshooting.md).
        if (words.size() > 1)
        {
            return ParseError(words[1]);
        }
        const uint32_t size = table.GetMaxSessions() ? table.GetMaxSessions() : 0;
        return StrFormat("session table:   table_size=%u max_depth=1 used=%zu\n",
                         size,
                         table.Size()) +
               Stat(table, ctx);
    }
    if (cmd == "stat")
    {
        if (words.size() > 1)
        {
            return ParseError(words[1]);
        }
        return Stat(table, ctx);
    }
    return ParseError(cmd);
}

std::string
SessionDiagnose::Get(const std::vector<std::string>& words,
                     const SessionTable& table,
                     const DiagnoseContext& ctx) const
{
    if (words.empty())
    {
        return MissingArgument();
    }
    if (words.size() > 1)
    {
        return ParseError(words[1]);
    }
    if (words[0] == "status")
    {
        return "The total number of sessions for the current VDOM: " +
               std::to_string(table.Size()) + "\n";
    }
    if (words[0] != "list")
    {
        return ParseError(words[0]);
    }
    std::string out = StrFormat("%-7s %-6s %-16s %-16s %-16s %s\n",
                                "PROTO",
                                "EXPIRE",
                                "SOURCE",
                                "SOURCE-NAT",
                                "DESTINATION",
                                "DESTINATION-NAT");
    table.ForEach([&](const Session& s) {
        const FlowTuple& o = s.Tuple(SessionDir::ORIGINAL);
        const FlowTuple& r = s.Tuple(SessionDir::REPLY);
        const char* name = IpProtoName(o.proto);
        std::string proto = name ? name : std::to_string(o.proto);
        std::string snat = s.IsSnat() ? AddrPort(r.dst, r.dport) : "-";
        std::string dnat = s.IsDnat() ? AddrPort(r.src, r.sport) : "-";
        out += StrFormat("%-7s %-6" PRId64 " %-16s %-16s %-16s %s\n",
                         proto.c_str(),
                         ExpireSec(s, ctx),
                         AddrPort(o.src, o.sport).c_str(),
                         snat.c_str(),
                         AddrPort(o.dst, o.dport).c_str(),
                         dnat.c_str());
    });
    return out;
}

} // namespace ns3
