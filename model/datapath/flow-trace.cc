/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "flow-trace.h"

#include "packet-view.h"

#include "ns3/log.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FlowTrace");

namespace
{

/*
 * Functions and source lines of the records, from real FortiOS traces (the line numbers
 * differ between builds; the model prints one build's):
 * - print_pkt_detail 5942, "vd-root:0 received a packet(proto=6, a:p->b:p) tun_id=0.0.0.0 from
 *   port6. flag [S], seq N, ack N, win N": FortiOS 7.2, community.fortinet.com ta-p/382950;
 *   ICMP "... from port2. type=8, code=0, id=1, seq=16." with the tuple `src:id->dst:2048`
 *   (type<<8|code): community.fortinet.com ta-p/332273 (policy route lookup scenario).
 * - init_ip_session_common 6046 "allocate a new session-0000ceaa, tun_id=0.0.0.0",
 *   vf_ip_route_input_common 2611 "find a route: flag=04000000 gw-14.0.0.2 via vw2",
 *   fw_forward_handler 881 "Allowed by Policy-1:": ta-p/332273 (FortiOS 7.x).
 * - fw_forward_handler 719 "Denied by forward policy check (policy 0)":
 *   handbook.fortinet.com.cn troubleshooting/debug_flow_tool/debug_flow_example (7.x build).
 * - __ip_session_run_tuple 3474 "SNAT 192.168.20.2->10.9.10.51:63611": ta-p/382950.
 *   "DNAT 192.168.11.59:31925->192.168.3.221:1487" and "Find an existing session,
 *   id-00000e90, reply direction" (resolve_ip_tuple_fast): FortiOS 5.0 handbook "Flow trace
 *   output example - HTTP" (help.fortinet.com troubleshooting_tools.173.17); their 7.x line
 *   numbers were not found: the model uses 3488 (DNAT, next to SNAT) and 5963.
 * - "run helper-ftp(dir=original)" and "Find an EXP session, id 00016f90":
 *   community.fortinet.com ta-p/211669 (How SIP ALG and Session helper works); the functions
 *   printing them were not in the sample: the model uses ip_session_run_all_tuple and
 *   resolve_ip_tuple (undocumented, see doc/troubleshooting.md).
 * - "no session matched" (a TCP packet that is no SYN and matches no session) and the other
 *   drop messages are the model's wording where no real sample was found (doc lists them).
 */
constexpr const char* kId = "id=20085";

std::string
ParseError(const std::string& word)
{
    return "command parse error before '" + word + "'\nCommand fail. Return code -61\n";
}

/// tcpdump-style flags as FortiOS prints them: [S], [S.], [.], [F.], [R], [P.] ...
std::string
TcpFlagText(uint8_t f)
{
    std::string s;
    if (f & 0x01)
    {
        s += 'F';
    }
    if (f & 0x02)
    {
        s += 'S';
    }
    if (f & 0x04)
    {
        s += 'R';
    }
    if (f & 0x08)
    {
        s += 'P';
    }
    if (f & 0x20)
    {
        s += 'U';
    }
    if (f & 0x10)
    {
        s += '.';
    }
    return s;
}

std::string
AddrPort(uint32_t a, uint16_t p)
{
    return Ipv4ToString(a) + ":" + std::to_string(p);
}

bool
ParseU32(const std::string& text, uint32_t max, uint32_t& out)
{
    uint64_t v = 0;
    if (!ParseDecimal(text, max, v))
    {
        return false;
    }
    out = static_cast<uint32_t>(v);
    return true;
}

} // namespace

FlowTrace::FlowTrace() = default;

void
FlowTrace::SetSink(Sink sink)
{
    m_sink = std::move(sink);
}

void
FlowTrace::Reset()
{
    m_addr = m_saddr = m_daddr = m_port = m_sport = m_dport = m_proto = Range{};
    m_negate = false;
    m_showFunc = true;
    m_remaining = 0;
}

std::string
FlowTrace::FilterText() const
{
    auto addr = [](const Range& r) {
        if (!r.set)
        {
            return std::string("any");
        }
        return r.lo == r.hi ? Ipv4ToString(r.lo) : Ipv4ToString(r.lo) + "-" + Ipv4ToString(r.hi);
    };
    auto num = [](const Range& r) {
        if (!r.set)
        {
            return std::string("any");
        }
        return r.lo == r.hi ? std::to_string(r.lo)
                            : std::to_string(r.lo) + "-" + std::to_string(r.hi);
    };
    // Layout of the FortiOS 7.x listing as the model prints it (no real sample was found:
    // doc/troubleshooting.md).
    std::string out = "vf: any\n";
    out += "proto: " + num(m_proto) + "\n";
    out += "Host addr: " + addr(m_addr) + "\n";
    out += "Host saddr: " + addr(m_saddr) + "\n";
    out += "Host daddr: " + addr(m_daddr) + "\n";
    out += "port: " + num(m_port) + "\n";
    out += "sport: " + num(m_sport) + "\n";
    out += "dport: " + num(m_dport) + "\n";
    if (m_negate)
    {
        out += "negate: yes\n";
    }
    return out;
}

std::string
FlowTrace::FilterCommand(const std::vector<std::string>& words)
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
        const bool showFunc = m_showFunc;
        const uint32_t remaining = m_remaining;
        Reset();
        m_showFunc = showFunc;
        m_remaining = remaining;
        return "";
    }
    if (what == "negate")
    {
        if (words.size() > 2)
        {
            return ParseError(words[2]);
        }
        m_negate = !m_negate;
        return "";
    }
    if (what == "vd")
    {
        // One VDOM (root = 0): -1 (all) and 0 are accepted.
        if (words.size() != 3 || (words[2] != "-1" && words[2] != "0"))
        {
            return ParseError(words.size() < 3 ? what : words[2]);
        }
        return "";
    }

    struct Field
    {
        const char* name;
        Range FlowTrace::*range;
        bool ip;
        uint32_t max;
    };

    static const Field fields[] = {
        {"addr", &FlowTrace::m_addr, true, UINT32_MAX},
        {"saddr", &FlowTrace::m_saddr, true, UINT32_MAX},
        {"daddr", &FlowTrace::m_daddr, true, UINT32_MAX},
        {"port", &FlowTrace::m_port, false, 65535},
        {"sport", &FlowTrace::m_sport, false, 65535},
        {"dport", &FlowTrace::m_dport, false, 65535},
        {"proto", &FlowTrace::m_proto, false, 255},
    };
    for (const Field& f : fields)
    {
        if (what != f.name)
        {
            continue;
        }
        if (words.size() < 3)
        {
            return "Command fail. Return code -1\n";
        }
        if (words.size() > 4 || (!f.ip && f.max == 255 && words.size() > 3))
        {
            return ParseError(words.back());
        }
        Range r;
        r.set = true;
        for (size_t i = 2; i < words.size(); ++i)
        {
            uint32_t v = 0;
            const bool ok = f.ip ? ParseIpv4(words[i], v) : ParseU32(words[i], f.max, v);
            if (!ok)
            {
                return ParseError(words[i]);
            }
            (i == 2 ? r.lo : r.hi) = v;
        }
        if (words.size() == 3)
        {
            r.hi = r.lo;
        }
        if (r.hi < r.lo)
        {
            return ParseError(words[3]);
        }
        this->*(f.range) = r;
        return "";
    }
    return ParseError(what);
}

std::string
FlowTrace::Command(const std::vector<std::string>& words)
{
    if (words.empty())
    {
        return "Command fail. Return code -1\n";
    }
    const std::string& cmd = words[0];
    if (cmd == "filter")
    {
        return FilterCommand(words);
    }
    if (cmd == "show")
    {
        // show function-name|iprope enable|disable (iprope lines are not modelled: accepted).
        if (words.size() != 3 || (words[1] != "function-name" && words[1] != "iprope") ||
            (words[2] != "enable" && words[2] != "disable"))
        {
            return ParseError(words.size() < 2 ? cmd : words.size() < 3 ? words[1] : words[2]);
        }
        if (words[1] == "function-name")
        {
            m_showFunc = words[2] == "enable";
        }
        return "";
    }
    if (cmd == "trace")
    {
        if (words.size() >= 2 && words[1] == "stop" && words.size() == 2)
        {
            m_remaining = 0;
            return "";
        }
        if (words.size() >= 2 && words[1] == "start")
        {
            uint32_t n = 0;
            if (words.size() == 2)
            {
                n = 1; // FortiOS: `trace start` alone traces one packet (unverified)
            }
            else if (words.size() != 3 || !ParseU32(words[2], UINT32_MAX, n) || n == 0)
            {
                return ParseError(words.size() > 3 ? words[3] : words[2]);
            }
            m_remaining = n;
            return "";
        }
        return ParseError(words.size() < 2 ? cmd : words[1]);
    }
    return ParseError(cmd);
}

bool
FlowTrace::Matches(const FlowTuple& t) const
{
    const bool any = m_addr.set || m_saddr.set || m_daddr.set || m_port.set || m_sport.set ||
                     m_dport.set || m_proto.set;
    bool ok = (!m_addr.set || m_addr.Has(t.src) || m_addr.Has(t.dst)) && m_saddr.Has(t.src) &&
              m_daddr.Has(t.dst) && (!m_port.set || m_port.Has(t.sport) || m_port.Has(t.dport)) &&
              m_sport.Has(t.sport) && m_dport.Has(t.dport) && m_proto.Has(t.proto);
    return m_negate && any ? !ok : ok;
}

bool
FlowTrace::Begin(const PacketView& v, const std::string& inIfName)
{
    m_current = 0;
    m_pending.clear();
    m_allocateIndex = -1;
    if (m_remaining == 0 || !Matches(v.tuple))
    {
        return false;
    }
    --m_remaining;
    m_current = m_nextTraceId++;
    const FlowTuple& t = v.tuple;
    std::string msg;
    if (t.proto == IPPROTO_NUM_ICMP)
    {
        const uint16_t typeCode = static_cast<uint16_t>((v.icmpType << 8) | v.icmpCode);
        msg = StrFormat("vd-root:0 received a packet(proto=1, %s->%s) tun_id=0.0.0.0 from %s. "
                        "type=%u, code=%u, id=%u, seq=%u.",
                        AddrPort(t.src, t.sport).c_str(),
                        AddrPort(t.dst, typeCode).c_str(),
                        inIfName.c_str(),
                        v.icmpType,
                        v.icmpCode,
                        t.sport,
                        v.icmpSeq);
    }
    else
    {
        msg = StrFormat("vd-root:0 received a packet(proto=%u, %s->%s) tun_id=0.0.0.0 from %s. ",
                        t.proto,
                        AddrPort(t.src, t.sport).c_str(),
                        AddrPort(t.dst, t.dport).c_str(),
                        inIfName.c_str());
        if (t.proto == IPPROTO_NUM_TCP)
        {
            msg += StrFormat("flag [%s], seq %u, ack %u, win %u",
                             TcpFlagText(v.tcpFlags).c_str(),
                             v.tcpSeq,
                             v.tcpAck,
                             v.tcpWindow);
        }
    }
    Emit("print_pkt_detail", 5942, std::move(msg));
    return true;
}

void
FlowTrace::End()
{
    if (m_current == 0)
    {
        return;
    }
    m_current = 0;
    std::vector<FlowTraceRecord> records;
    records.swap(m_pending);
    for (const auto& r : records)
    {
        NS_LOG_INFO(Format(r, true));
        if (m_sink)
        {
            m_sink(r);
        }
    }
}

void
FlowTrace::Emit(const char* func, uint32_t line, std::string msg)
{
    if (m_current == 0)
    {
        return;
    }
    m_pending.push_back(FlowTraceRecord{m_current, func, line, std::move(msg)});
}

void
FlowTrace::AllocateNewSession(uint32_t provisional)
{
    if (m_current == 0)
    {
        return;
    }
    m_allocateIndex = static_cast<int>(m_pending.size());
    Emit("init_ip_session_common",
         6046,
         StrFormat("allocate a new session-%08x, tun_id=0.0.0.0", provisional));
}

void
FlowTrace::NewSessionId(uint32_t serial)
{
    if (m_current == 0 || m_allocateIndex < 0)
    {
        return;
    }
    m_pending[m_allocateIndex].msg =
        StrFormat("allocate a new session-%08x, tun_id=0.0.0.0", serial);
}

void
FlowTrace::Route(uint32_t gateway, const std::string& outIfName)
{
    if (m_current == 0)
    {
        return; // not tracing: format nothing
    }
    Emit("vf_ip_route_input_common",
         2611,
         StrFormat("find a route: flag=04000000 gw-%s via %s",
                   Ipv4ToString(gateway).c_str(),
                   outIfName.c_str()));
}

void
FlowTrace::PolicyAllowed(uint32_t policyId, bool snat)
{
    if (m_current == 0)
    {
        return; // not tracing: format nothing
    }
    Emit("fw_forward_handler",
         881,
         StrFormat("Allowed by Policy-%u:%s", policyId, snat ? " SNAT" : ""));
}

void
FlowTrace::PolicyDenied(uint32_t policyId)
{
    if (m_current == 0)
    {
        return; // not tracing: format nothing
    }
    Emit("fw_forward_handler",
         719,
         StrFormat("Denied by forward policy check (policy %u)", policyId));
}

void
FlowTrace::Translate(const FlowTuple& from, const FlowTuple& to)
{
    if (m_current == 0)
    {
        return; // not tracing: format nothing
    }
    if (from.src != to.src || from.sport != to.sport)
    {
        Emit("__ip_session_run_tuple",
             3474,
             StrFormat("SNAT %s->%s",
                       Ipv4ToString(from.src).c_str(),
                       AddrPort(to.src, to.sport).c_str()));
    }
    if (from.dst != to.dst || from.dport != to.dport)
    {
        Emit("__ip_session_run_tuple",
             3488,
             StrFormat("DNAT %s->%s",
                       AddrPort(from.dst, from.dport).c_str(),
                       AddrPort(to.dst, to.dport).c_str()));
    }
}

void
FlowTrace::ExistingSession(uint32_t serial, bool reply)
{
    if (m_current == 0)
    {
        return; // not tracing: format nothing
    }
    Emit("resolve_ip_tuple_fast",
         5963,
         StrFormat("Find an existing session, id-%08x, %s direction",
                   serial,
                   reply ? "reply" : "original"));
}

void
FlowTrace::ExpSession(uint32_t parentSerial)
{
    if (m_current == 0)
    {
        return; // not tracing: format nothing
    }
    Emit("resolve_ip_tuple", 6009, StrFormat("Find an EXP session, id %08x", parentSerial));
}

void
FlowTrace::Helper(const std::string& name, bool reply)
{
    if (m_current == 0)
    {
        return; // not tracing: format nothing
    }
    Emit("ip_session_run_all_tuple",
         7365,
         StrFormat("run helper-%s(dir=%s)", name.c_str(), reply ? "reply" : "original"));
}

void
FlowTrace::ToProxy()
{
    if (m_current == 0)
    {
        return; // not tracing: format nothing
    }
    Emit("ip_session_run_all_tuple", 7398, "send to application layer");
}

void
FlowTrace::Dropped(const std::string& reason)
{
    if (m_current == 0)
    {
        return; // not tracing: format nothing
    }

    // Wording: FortiOS's where a sample was found ("no session matched"), else the model's.
    struct Entry
    {
        const char* reason;
        const char* func;
        uint32_t line;
        const char* msg;
    };

    static const Entry table[] = {
        {"no-session", "ip_session_handle_no_dst", 5998, "no session matched"},
        {"no-route", "vf_ip_route_input_common", 2611, "no route to host, drop"},
        {"session-limit", "init_ip_session_common", 6046, "session table full, drop"},
        {"nat-exhausted", "get_new_addr", 1219, "no available SNAT port, drop"},
        {"blocked-session", "fw_forward_handler", 719, "session blocked by policy, drop"},
        {"malformed", "ip_session_core_in", 6152, "invalid packet, drop"},
        {"fragment-no-session", "ip_session_core_in", 6152, "fragment without session, drop"},
        {"icmp-error-no-session", "ip_session_core_in", 6152, "ICMP error without session, drop"},
        {"cpu-backlog", "ip_session_core_in", 6152, "CPU backlog full, drop"},
        {"helper", "ip_session_run_all_tuple", 7365, "dropped by session helper"},
    };
    for (const Entry& e : table)
    {
        if (reason == e.reason)
        {
            Emit(e.func, e.line, e.msg);
            return;
        }
    }
    Emit("ip_session_core_in", 6152, reason + ", drop");
}

std::string
FlowTrace::Format(const FlowTraceRecord& r, bool showFunctionName)
{
    if (!showFunctionName)
    {
        return StrFormat("%s trace_id=%u msg=\"%s\"", kId, r.traceId, r.msg.c_str());
    }
    return StrFormat("%s trace_id=%u func=%s line=%u msg=\"%s\"",
                     kId,
                     r.traceId,
                     r.func.c_str(),
                     r.line,
                     r.msg.c_str());
}

} // namespace ns3
