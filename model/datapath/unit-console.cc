/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "unit-console.h"

#include "fortigate-node.h"

#include "ns3/cli-grep.h"
#include "ns3/config-error.h"
#include "ns3/log.h"
#include "ns3/session-helper.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("UnitConsole");

UnitConsole::UnitConsole(FortiGateNode& node,
                         const InterfaceSync& ifs,
                         FlowTrace& flow,
                         TrafficLog& log,
                         const std::vector<Ptr<SessionHelper>>& helpers)
    : m_node(node),
      m_ifs(ifs),
      m_flow(flow),
      m_log(log),
      m_helpers(helpers)
{
}

void
UnitConsole::OnFlowRecord(const FlowTraceRecord& r)
{
    if (m_debugEnabled)
    {
        m_debugConsole += FlowTrace::Format(r, m_flow.ShowFunctionName()) + "\n";
    }
}

DiagnoseContext
UnitConsole::MakeDiagnoseContext() const
{
    DiagnoseContext ctx;
    ctx.nowNs = Simulator::Now().GetNanoSeconds();
    Ptr<Ipv4> ipv4 = m_ifs.GetIpv4();
    for (size_t i = 0; i < m_node.GetConfig().Interfaces().size(); ++i)
    {
        ctx.ifNames.push_back(m_node.GetConfig().Interfaces()[i].name);
        Ptr<NetDevice> dev = m_ifs.GetInterfaceDevice(static_cast<int>(i));
        ctx.ifDevIndex.push_back(dev && ipv4 ? ipv4->GetInterfaceForDevice(dev) : 0);
    }
    ctx.isLocalAddress = [ipv4](uint32_t a) {
        return ipv4 && ipv4->GetInterfaceForAddress(Ipv4Address(a)) >= 0;
    };
    for (int r = 0; r < FortiGateNode::DROP_REASON_COUNT; ++r)
    {
        const auto reason = static_cast<FortiGateNode::DropReason>(r);
        ctx.firewallErrors.emplace_back(FortiGateNode::DropReasonName(reason),
                                        m_node.GetDropCount(reason));
    }
    // Pinholes the limits turned away (the model's counters: FortiOS documents none; see
    // doc/robustness.md): refused at the overall limit, and a parent's oldest replaced at the
    // per-parent limit.
    ctx.firewallErrors.emplace_back("exp-limit-refused",
                                    m_node.GetExpectations().GetTotalLimitHits());
    ctx.firewallErrors.emplace_back("exp-limit-replaced",
                                    m_node.GetExpectations().GetPerParentLimitHits());
    ctx.ephemeralLimit = m_node.GetSessionTable().GetMaxSessions();
    ctx.fortiOs6 = m_fortiOs6;
    ctx.helperName = [this](uint8_t id) {
        if (id == 0 || id > m_helpers.size())
        {
            return std::string();
        }
        // A proxy's sessions show `redir local`; FortiOS 7 also prints a numeric helper for
        // them (seed 003: "helper=20 or helper=24: SIP ALG handles the traffic"; which of the
        // two a unit prints is not documented: the model prints 20). 6.x: no helper name.
        if (m_helpers[id - 1]->IsProxy())
        {
            return m_fortiOs6 ? std::string() : std::string("20");
        }
        return m_helpers[id - 1]->GetName();
    };
    ctx.expectationCount = m_node.GetExpectations().Size();
    const ExpectationTable* pinholes = &m_node.GetExpectations();
    const SessionTable* sessions = &m_node.GetSessionTable();
    std::set<std::string> proxies;
    for (const auto& h : m_helpers)
    {
        if (h->IsProxy())
        {
            proxies.insert(h->GetName());
        }
    }
    ctx.expectationLister =
        [pinholes, sessions, proxies, devs = ctx.ifDevIndex, six = m_fortiOs6, now = ctx.nowNs]() {
            std::string out;
            for (const auto& e : pinholes->List())
            {
                // A proxy is not a kernel session helper: its pinholes show no helper name, like
                // its sessions (which show `redir local`).
                const std::string helper = proxies.count(e.helper) ? std::string() : e.helper;
                if (six)
                {
                    out += "\n" + ExpectationTable::Format(e, now, helper);
                    continue;
                }
                // FortiOS 7: the devices it is expected on and leaves by (towards the parent's
                // original side).
                uint8_t outIf = e.inIf;
                sessions->ForEach([&e, &outIf](const Session& p) {
                    outIf = p.serial == e.parentSerial ? p.inIf[0] : outIf;
                });
                auto dev = [&devs](uint8_t i) { return i < devs.size() ? devs[i] : 0u; };
                out += "\n" + ExpectationTable::Format7(e, now, helper, dev(e.inIf), dev(outIf));
            }
            return out + "total session " + std::to_string(pinholes->Size()) + "\n";
        };
    return ctx;
}

std::string
UnitConsole::Diagnose(const std::string& command)
{
    std::istringstream in(command);
    std::vector<std::string> words;
    // FortiOS accepts any unique prefix of a keyword ("diag sys sess list").
    std::vector<std::string> keywords = {
        "diagnose", "get",   "sys",     "system", "session",     "firewall", "ippool-all", "list",
        "filter",   "clear", "stat",    "status", "expectation", "negate",   "proto",      "policy",
        "sport",    "dport", "src",     "dst",    "sintf",       "dintf",    "duration",   "expire",
        "debug",    "flow",  "execute", "trace",  "display",     "full-stat"};
    // The helper families' commands (registered by their folders) add their keywords.
    for (const auto& [cmdWords, cmd] : SessionHelperRegistry::DiagnoseCommands())
    {
        for (const auto& w : cmdWords)
        {
            if (std::find(keywords.begin(), keywords.end(), w) == keywords.end())
            {
                keywords.push_back(w);
            }
        }
    }
    bool piped = false; // words after `|` (grep's) are kept as typed
    for (std::string w; in >> w;)
    {
        piped = piped || w == "|";
        std::string match;
        int n = 0;
        for (const auto& k : piped ? std::vector<std::string>() : keywords)
        {
            if (k == w)
            {
                match = k;
                n = 1;
                break;
            }
            if (k.compare(0, w.size(), w) == 0)
            {
                match = k;
                ++n;
            }
        }
        words.push_back(n == 1 ? match : w);
    }
    // `COMMAND | grep ...` (as in Execute(): the same CliGrep).
    for (size_t i = 1; i < words.size(); ++i)
    {
        if (words[i] == "|")
        {
            std::string head;
            for (size_t k = 0; k < i; ++k)
            {
                head += (k ? " " : "") + words[k];
            }
            if (i + 1 >= words.size() || words[i + 1] != "grep")
            {
                return "command parse error before '" +
                       (i + 1 < words.size() ? words[i + 1] : words[i]) +
                       "'\nCommand fail. Return code -61\n";
            }
            std::string error;
            std::string out = CliGrep(Diagnose(head),
                                      std::vector<std::string>(words.begin() + i + 2, words.end()),
                                      error);
            return error.empty() ? out : error;
        }
    }
    // `diagnose sys ...` and `get system ...` each accept the other spelling.
    if (words.size() > 1 && words[0] == "diagnose" && words[1] == "system")
    {
        words[1] = "sys";
    }
    if (words.size() > 1 && words[0] == "get" && words[1] == "sys")
    {
        words[1] = "system";
    }

    auto starts = [&words](std::initializer_list<const char*> prefix) {
        size_t i = 0;
        for (const char* p : prefix)
        {
            if (i >= words.size() || words[i] != p)
            {
                return false;
            }
            ++i;
        }
        return true;
    };
    if (starts({"diagnose", "debug"}))
    {
        return DebugCommand(std::vector<std::string>(words.begin() + 2, words.end()));
    }
    if (starts({"execute"}))
    {
        return ExecuteCommand(std::vector<std::string>(words.begin() + 1, words.end()));
    }
    DiagnoseContext ctx = MakeDiagnoseContext();
    if (starts({"diagnose", "sys", "session"}))
    {
        return m_diagnose.Diagnose(std::vector<std::string>(words.begin() + 3, words.end()),
                                   m_node.GetSessionTable(),
                                   ctx);
    }
    if (starts({"get", "system", "session"}))
    {
        return m_diagnose.Get(std::vector<std::string>(words.begin() + 3, words.end()),
                              m_node.GetSessionTable(),
                              ctx);
    }
    for (const auto& [cmdWords, cmd] : SessionHelperRegistry::DiagnoseCommands())
    {
        if (words.size() >= cmdWords.size() &&
            std::equal(cmdWords.begin(), cmdWords.end(), words.begin()))
        {
            HelperDiagnoseUnit unit;
            unit.config = &m_node.GetConfig();
            unit.pinholes = &m_node.GetExpectations();
            unit.nowNs = Simulator::Now().GetNanoSeconds();
            unit.helper = [this](const std::string& name) { return m_node.GetSessionHelper(name); };
            return cmd(unit);
        }
    }
    if (starts({"diagnose", "firewall", "ippool-all", "list"}))
    {
        return m_node.GetNatAllocator().DiagnoseAll();
    }
    std::string last = words.empty() ? std::string() : words.back();
    return "command parse error before '" + last + "'\nCommand fail. Return code -61\n";
}

std::string
UnitConsole::ReadDebugConsole()
{
    std::string out;
    out.swap(m_debugConsole);
    return out;
}

std::string
UnitConsole::DebugCommand(const std::vector<std::string>& words)
{
    // words: after "diagnose debug"
    auto parseError = [](const std::string& w) {
        return "command parse error before '" + w + "'\nCommand fail. Return code -61\n";
    };
    if (words.empty())
    {
        return "Command fail. Return code -1\n";
    }
    if (words[0] == "flow")
    {
        return m_flow.Command(std::vector<std::string>(words.begin() + 1, words.end()));
    }
    if (words.size() > 1)
    {
        return parseError(words[1]);
    }
    if (words[0] == "enable" || words[0] == "disable")
    {
        m_debugEnabled = words[0] == "enable";
        return "";
    }
    if (words[0] == "reset")
    {
        m_flow.Reset();
        return "";
    }
    return parseError(words[0]);
}

std::string
UnitConsole::ExecuteCommand(const std::vector<std::string>& words)
{
    // words: after "execute"
    if (!words.empty() && words[0] == "log")
    {
        return m_log.Execute(std::vector<std::string>(words.begin() + 1, words.end()));
    }
    return "Unknown action 0\n";
}

FortiOsCli::Result
UnitConsole::Execute(const std::string& text)
{
    FortiOsCli cli([this](const std::string& line) {
        std::string out = Diagnose(line);
        if (out.find("Command fail. Return code") != std::string::npos ||
            out.rfind("Unknown action", 0) == 0)
        {
            throw std::runtime_error(out);
        }
        return out;
    });
    FortiGateConfig copy = m_node.GetConfig();
    FortiOsCli::Result r = cli.Execute(copy, text);
    if (!r.ok || copy == m_node.GetConfig())
    {
        return r;
    }
    try
    {
        m_node.SetConfig(copy);
    }
    catch (const ConfigError& e)
    {
        const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
                          (text.empty() || text.back() == '\n' ? 0 : 1);
        r.ok = false;
        r.errorLine = lines;
        r.returnCode = FortiOsCli::RC_VALUE;
        r.error = "line " + std::to_string(lines) + ": " + e.what() +
                  "\nCommand fail. Return code " + std::to_string(FortiOsCli::RC_VALUE);
    }
    return r;
}

} // namespace ns3
