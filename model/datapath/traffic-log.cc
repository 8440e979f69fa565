/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "traffic-log.h"

#include "flow-tuple.h"

#include "ns3/log.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TrafficLog");

namespace
{

constexpr int64_t kNsPerS = 1000000000LL;

std::string
Quoted(const std::string& v)
{
    std::string out = "\"";
    for (char c : v)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

std::string
ParseError(const std::string& word)
{
    return "command parse error before '" + word + "'\nCommand fail. Return code -61\n";
}

/// `name=value` pairs of a log line (values unquoted), for `execute log filter field`.
std::string
FieldValue(const std::string& line, const std::string& name)
{
    const std::string key = name + "=";
    size_t at = 0;
    while ((at = line.find(key, at)) != std::string::npos)
    {
        if (at == 0 || line[at - 1] == ' ')
        {
            size_t v = at + key.size();
            if (v < line.size() && line[v] == '"')
            {
                const size_t end = line.find('"', v + 1);
                return line.substr(v + 1, end == std::string::npos ? end : end - v - 1);
            }
            const size_t end = line.find(' ', v);
            return line.substr(v, end == std::string::npos ? end : end - v);
        }
        at += key.size();
    }
    return std::string();
}

} // namespace

TrafficLog::TrafficLog()
    : m_epoch(1704067200) // 2024-01-01 00:00:00 UTC
{
}

void
TrafficLog::SetEpoch(int64_t epochSeconds)
{
    m_epoch = epochSeconds;
}

bool
TrafficLog::SetFile(const std::string& path)
{
    m_file.reset();
    if (path.empty())
    {
        return true;
    }
    auto f = std::make_unique<std::ofstream>(path, std::ios::out | std::ios::trunc);
    if (!*f)
    {
        return false;
    }
    m_file = std::move(f);
    return true;
}

void
TrafficLog::SetSink(Sink sink)
{
    m_sink = std::move(sink);
}

void
TrafficLog::SetCapacity(size_t n)
{
    m_capacity = n;
    while (m_lines.size() > m_capacity)
    {
        m_lines.pop_front();
    }
}

std::string
TrafficLog::Header(int64_t nowNs,
                   const char* logid,
                   const char* type,
                   const char* subtype,
                   const char* eventtype,
                   const char* level) const
{
    const int64_t ns = static_cast<int64_t>(m_epoch) * kNsPerS + nowNs;
    const std::time_t sec = static_cast<std::time_t>(ns / kNsPerS);
    std::tm tm{};
    gmtime_r(&sec, &tm);
    char date[64];
    std::snprintf(date,
                  sizeof(date),
                  "date=%04d-%02d-%02d time=%02d:%02d:%02d",
                  tm.tm_year + 1900,
                  tm.tm_mon + 1,
                  tm.tm_mday,
                  tm.tm_hour,
                  tm.tm_min,
                  tm.tm_sec);
    std::string out = date;
    out +=
        std::string(" logid=\"") + logid + "\" type=\"" + type + "\" subtype=\"" + subtype + "\"";
    if (eventtype)
    {
        out += std::string(" eventtype=\"") + eventtype + "\"";
    }
    out += std::string(" level=\"") + level + "\" vd=\"root\" eventtime=" + std::to_string(ns) +
           " tz=\"+0000\"";
    return out;
}

std::string
TrafficLog::FormatTraffic(const TrafficLogEntry& e) const
{
    const bool deny = e.action == "deny";
    std::string out =
        Header(e.nowNs, "0000000013", "traffic", "forward", nullptr, deny ? "warning" : "notice");
    out += " srcip=" + Ipv4ToString(e.srcip) + " srcport=" + std::to_string(e.srcport) +
           " srcintf=" + Quoted(e.srcintf) + " srcintfrole=\"undefined\"";
    out += " dstip=" + Ipv4ToString(e.dstip) + " dstport=" + std::to_string(e.dstport) +
           " dstintf=" + Quoted(e.dstintf) + " dstintfrole=\"undefined\"";
    out += " sessionid=" + std::to_string(e.sessionid) + " proto=" + std::to_string(e.proto) +
           " action=" + Quoted(e.action) + " policyid=" + std::to_string(e.policyid) +
           " policytype=\"policy\" service=" + Quoted(e.service);
    const char* trandisp = e.snat && e.dnat ? "snat+dnat"
                           : e.snat         ? "snat"
                           : e.dnat         ? "dnat"
                                            : "noop";
    out += std::string(" trandisp=\"") + trandisp + "\"";
    if (e.snat)
    {
        out += " transip=" + Ipv4ToString(e.transip) + " transport=" + std::to_string(e.transport);
    }
    if (e.dnat)
    {
        out += " tranip=" + Ipv4ToString(e.tranip) + " tranport=" + std::to_string(e.tranport);
    }
    out += " duration=" + std::to_string(e.duration) + " sentbyte=" + std::to_string(e.sentbyte) +
           " rcvdbyte=" + std::to_string(e.rcvdbyte) + " sentpkt=" + std::to_string(e.sentpkt);
    if (!deny)
    {
        out += " rcvdpkt=" + std::to_string(e.rcvdpkt);
    }
    return out;
}

std::string
TrafficLog::FormatVoip(const VoipLogEntry& e) const
{
    // Field order of a FortiOS VoIP log (docs.fortinet.com fortigate/7.0.5/
    // fortios-log-message-reference/43785 "VoIP log support for CEF"):
    // date= time= logid="0814044032" type="utm" subtype="voip" eventtype="voip"
    // level="information" vd= eventtime= session_id= epoch=0 event_id= srcip= src_port= dstip=
    // dst_port= proto=17 src_int= dst_int= policy_id= profile= voip_proto="sip" kind="call"
    // action="permit" status="start" duration=0 dir="session_origin" call_id= from= to=
    // A blocked message (44033 LOGID_EVENT_VOIP_SIP_BLOCK, level notice) adds reason= and
    // request_name= (field list of the 6.2 log reference, 44033).
    const bool block = e.action == "block";
    std::string out = Header(e.nowNs,
                             block ? "0814044033" : "0814044032",
                             "utm",
                             "voip",
                             "voip",
                             block ? "notice" : "information");
    out += " session_id=" + std::to_string(e.sessionId) +
           " epoch=0 event_id=" + std::to_string(e.eventId);
    out += " srcip=" + Ipv4ToString(e.srcip) + " src_port=" + std::to_string(e.srcport) +
           " dstip=" + Ipv4ToString(e.dstip) + " dst_port=" + std::to_string(e.dstport) +
           " proto=" + std::to_string(e.proto) + " src_int=" + Quoted(e.srcintf) +
           " dst_int=" + Quoted(e.dstintf) + " policy_id=" + std::to_string(e.policyId) +
           " profile=" + Quoted(e.profile) + " voip_proto=" + Quoted(e.voipProto) +
           " kind=" + Quoted(e.kind) + " action=" + Quoted(e.action) +
           " status=" + Quoted(e.status) + " duration=" + std::to_string(e.duration) +
           " dir=" + Quoted(e.reply ? "session_reply" : "session_origin") +
           " call_id=" + Quoted(e.callId) + " from=" + Quoted(e.from) + " to=" + Quoted(e.to);
    if (block)
    {
        out += " reason=" + Quoted(e.reason) + " request_name=" + Quoted(e.requestName);
    }
    return out;
}

void
TrafficLog::Write(Category c, std::string text)
{
    NS_LOG_INFO(text);
    if (m_file)
    {
        *m_file << text << '\n';
        m_file->flush();
    }
    if (m_sink)
    {
        m_sink(c, text);
    }
    m_lines.push_back(Line{c, std::move(text)});
    while (m_lines.size() > m_capacity)
    {
        m_lines.pop_front();
    }
}

void
TrafficLog::Traffic(const TrafficLogEntry& e)
{
    Write(TRAFFIC, FormatTraffic(e));
}

void
TrafficLog::Voip(const VoipLogEntry& e)
{
    VoipLogEntry numbered = e;
    numbered.eventId = m_voipEventId++;
    Write(VOIP, FormatVoip(numbered));
}

std::string
TrafficLog::Execute(const std::vector<std::string>& words)
{
    // `execute log filter category|field|view-lines|start-line|reset|device ...` and
    // `execute log display` (docs.fortinet.com fortigate administration-guide 668197
    // "Log-related diagnostic commands").
    if (words.empty())
    {
        return "Command fail. Return code -1\n";
    }
    if (words[0] == "display")
    {
        if (words.size() > 1)
        {
            return ParseError(words[1]);
        }
        std::vector<const Line*> found;
        for (auto it = m_lines.rbegin(); it != m_lines.rend(); ++it) // newest first
        {
            if (it->category != m_filterCategory)
            {
                continue;
            }
            bool ok = true;
            for (const auto& f : m_fieldFilters)
            {
                ok = ok && FieldValue(it->text, f.first) == f.second;
            }
            if (ok)
            {
                found.push_back(&*it);
            }
        }
        std::string out = std::to_string(found.size()) + " logs found.\n";
        const size_t first = m_startLine - 1;
        const size_t n =
            first >= found.size() ? 0 : std::min<size_t>(m_viewLines, found.size() - first);
        out += std::to_string(n) + " logs returned.\n";
        for (size_t i = 0; i < n; ++i)
        {
            out += "\n" + std::to_string(first + i + 1) + ": " + found[first + i]->text + "\n";
        }
        return out;
    }
    if (words[0] != "filter")
    {
        return ParseError(words[0]);
    }
    if (words.size() < 2)
    {
        return "Command fail. Return code -1\n";
    }
    const std::string& what = words[1];
    if (what == "reset")
    {
        if (words.size() > 2)
        {
            return ParseError(words[2]);
        }
        m_filterCategory = TRAFFIC;
        m_viewLines = 10;
        m_startLine = 1;
        m_fieldFilters.clear();
        return "";
    }
    if (words.size() < 3)
    {
        return "Command fail. Return code -1\n";
    }
    if (what == "category")
    {
        if (words.size() > 3)
        {
            return ParseError(words[3]);
        }
        const std::string& c = words[2];
        if (c == "0" || c == "traffic")
        {
            m_filterCategory = TRAFFIC;
        }
        else if (c == "8" || c == "voip" || c == "utm-voip")
        {
            m_filterCategory = VOIP;
        }
        else
        {
            return ParseError(c);
        }
        return "";
    }
    if (what == "view-lines" || what == "start-line")
    {
        uint64_t v = 0;
        if (words.size() > 3 || !ParseDecimal(words[2], 1000, v) || v == 0)
        {
            return ParseError(words.size() > 3 ? words[3] : words[2]);
        }
        (what == "view-lines" ? m_viewLines : m_startLine) = static_cast<uint32_t>(v);
        return "";
    }
    if (what == "device")
    {
        // One log device in the model (memory/disk alike).
        if (words.size() > 3 ||
            (words[2] != "memory" && words[2] != "disk" && words[2] != "0" && words[2] != "1"))
        {
            return ParseError(words.size() > 3 ? words[3] : words[2]);
        }
        return "";
    }
    if (what == "field")
    {
        if (words.size() == 3)
        {
            // `field NAME` alone clears that field's filter.
            for (auto it = m_fieldFilters.begin(); it != m_fieldFilters.end();)
            {
                it = it->first == words[2] ? m_fieldFilters.erase(it) : std::next(it);
            }
            return "";
        }
        if (words.size() > 4)
        {
            return ParseError(words[4]);
        }
        m_fieldFilters.emplace_back(words[2], words[3]);
        return "";
    }
    return ParseError(what);
}

} // namespace ns3
