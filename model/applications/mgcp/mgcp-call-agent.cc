/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "mgcp-call-agent.h"

#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/mgcp-message.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/text-util.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MgcpCallAgent");
NS_OBJECT_ENSURE_REGISTERED(MgcpCallAgent);

namespace
{
enum Step
{
    STEP_NONE = 0,
    STEP_CRCX_CALLER = 1,
    STEP_CRCX_CALLEE = 2,
    STEP_MDCX_CALLER = 3,
    STEP_DLCX = 4,
};
} // namespace

TypeId
MgcpCallAgent::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MgcpCallAgent")
            .SetParent<MgcpApplication>()
            .SetGroupName("FortiGate")
            .AddConstructor<MgcpCallAgent>()
            .AddAttribute("Port",
                          "The call agent's UDP port.",
                          UintegerValue(2727),
                          MakeUintegerAccessor(&MgcpCallAgent::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("NotifiedEntity",
                          "N: value of RQNT and CRCX (the agent itself, e.g. "
                          "ca@[198.51.100.7]:2727; empty: no N: line).",
                          StringValue(""),
                          MakeStringAccessor(&MgcpCallAgent::m_name),
                          MakeStringChecker())
            .AddAttribute("TalkTime",
                          "How long a call lasts once both sides have media.",
                          TimeValue(Seconds(2)),
                          MakeTimeAccessor(&MgcpCallAgent::m_talk),
                          MakeTimeChecker())
            .AddAttribute("ResponseTimeout",
                          "Retransmission interval of a command (two retransmissions).",
                          TimeValue(MilliSeconds(500)),
                          MakeTimeAccessor(&MgcpCallAgent::m_timeout),
                          MakeTimeChecker());
    return tid;
}

MgcpCallAgent::MgcpCallAgent()
    : m_port(2727)
{
}

MgcpCallAgent::~MgcpCallAgent() = default;

void
MgcpCallAgent::DoDispose()
{
    for (auto& [tx, p] : m_pending)
    {
        p.timer.Cancel();
    }
    m_pending.clear();
    MgcpApplication::DoDispose();
}

void
MgcpCallAgent::AddCall(const std::string& caller, const std::string& callee)
{
    MgcpCallRecord r;
    r.caller = AsciiLowerCopy(caller);
    r.callee = AsciiLowerCopy(callee);
    m_calls.push_back(r);
    m_connCaller.emplace_back();
    m_connCallee.emplace_back();
    m_dlcxLeft.push_back(0);
}

std::map<std::string, std::string>
MgcpCallAgent::GetEndpoints() const
{
    std::map<std::string, std::string> out;
    for (const auto& [local, e] : m_endpoints)
    {
        out[local] = e.name;
    }
    return out;
}

void
MgcpCallAgent::StartApplication()
{
    OpenSocket(m_port);
    m_nextTx = 500000 + m_rng->GetInteger(0, 100000);
}

void
MgcpCallAgent::StopApplication()
{
    for (auto& [tx, p] : m_pending)
    {
        p.timer.Cancel();
    }
    CloseSocket();
}

std::string
MgcpCallAgent::SdpOf(const std::string& text) const
{
    auto at = text.find("\r\n\r\n");
    if (at != std::string::npos)
    {
        return text.substr(at + 4);
    }
    at = text.find("\n\n");
    return at == std::string::npos ? std::string() : text.substr(at + 2);
}

bool
MgcpCallAgent::Command(const std::string& verb,
                       const std::string& local,
                       const std::string& params,
                       int call,
                       int step)
{
    auto it = m_endpoints.find(local);
    if (it == m_endpoints.end())
    {
        return false;
    }
    const uint32_t tx = m_nextTx++;
    Pending p;
    p.call = call;
    p.step = step;
    p.text = verb + " " + std::to_string(tx) + " " + it->second.name + " MGCP 1.0\r\n" + params;
    p.to = it->second.where;
    p.timer = Simulator::Schedule(m_timeout, &MgcpCallAgent::Retransmit, this, tx);
    m_pending[tx] = p;
    Send(p.text, p.to); // last: a response may arrive within (a gateway on this node)
    return true;
}

void
MgcpCallAgent::Retransmit(uint32_t tx)
{
    auto it = m_pending.find(tx);
    if (it == m_pending.end())
    {
        return;
    }
    if (it->second.retries >= 2)
    {
        const int call = it->second.call;
        m_pending.erase(it);
        if (call >= 0)
        {
            Fail(call, "no response to transaction " + std::to_string(tx));
        }
        return;
    }
    ++it->second.retries;
    it->second.timer = Simulator::Schedule(m_timeout, &MgcpCallAgent::Retransmit, this, tx);
    const std::string text = it->second.text;
    const Address to = it->second.to;
    Send(text, to); // last: the response may arrive within and end the transaction
}

void
MgcpCallAgent::Fail(int call, const std::string& why)
{
    MgcpCallRecord& r = m_calls[call];
    if (r.failure.empty())
    {
        r.failure = why;
        NS_LOG_INFO("call " << r.caller << " -> " << r.callee << " failed: " << why);
    }
    EndCall(call);
}

void
MgcpCallAgent::EndCall(int call)
{
    MgcpCallRecord& r = m_calls[call];
    if (m_dlcxLeft[call] > 0 || r.deleted)
    {
        return;
    }
    const std::string c = "C: " + r.callId + "\r\n";
    if (!m_connCaller[call].empty() &&
        Command("DLCX", r.caller, c + "I: " + m_connCaller[call] + "\r\n", call, STEP_DLCX))
    {
        ++m_dlcxLeft[call];
    }
    if (!m_connCallee[call].empty() &&
        Command("DLCX", r.callee, c + "I: " + m_connCallee[call] + "\r\n", call, STEP_DLCX))
    {
        ++m_dlcxLeft[call];
    }
}

void
MgcpCallAgent::HandleMessage(const MgcpMessage& m, const std::string& text, const Address& from)
{
    if (m.response)
    {
        HandleResponse(m, text);
    }
    else
    {
        HandleCommand(m, from);
    }
}

void
MgcpCallAgent::HandleCommand(const MgcpMessage& m, const Address& from)
{
    const std::string local = AsciiLowerCopy(m.endpoint.local);
    m_endpoints[local] = Endpoint{m.endpoint.local + "@" + m.endpoint.domain, from};
    const std::string tx = std::to_string(m.transactionId);
    Send("200 " + tx + " OK\r\n", from);
    const std::string n = m_name.empty() ? std::string() : "N: " + m_name + "\r\n";
    if (m.verb == MgcpVerb::RSIP)
    {
        Command("RQNT", local, n + "X: 1\r\nR: L/hd(N)\r\n", -1, STEP_NONE);
        return;
    }
    if (m.verb != MgcpVerb::NTFY || AsciiLowerCopy(m.Value("O")).find("l/hd") == std::string::npos)
    {
        return;
    }
    for (std::size_t i = 0; i < m_calls.size(); ++i)
    {
        MgcpCallRecord& r = m_calls[i];
        if (r.caller != local || r.offHook)
        {
            continue;
        }
        r.offHook = true;
        r.offHookAt = Simulator::Now();
        std::ostringstream id;
        id << std::hex << std::uppercase << (0x10000000u + m_rng->GetInteger(0, 0x0fffffff));
        r.callId = id.str();
        if (!Command("CRCX",
                     r.caller,
                     "C: " + r.callId + "\r\n" + n + "L: p:20, a:PCMU\r\nM: recvonly\r\n",
                     static_cast<int>(i),
                     STEP_CRCX_CALLER))
        {
            Fail(static_cast<int>(i), "caller unknown");
        }
        return;
    }
}

void
MgcpCallAgent::HandleResponse(const MgcpMessage& m, const std::string& text)
{
    auto it = m_pending.find(m.transactionId);
    if (it == m_pending.end() || m.code < 200)
    {
        return;
    }
    Pending p = it->second;
    p.timer.Cancel();
    m_pending.erase(it);
    if (p.call < 0)
    {
        return;
    }
    const int call = p.call;
    MgcpCallRecord& r = m_calls[call];
    if (p.step == STEP_DLCX)
    {
        if (--m_dlcxLeft[call] == 0)
        {
            r.deleted = true;
        }
        return;
    }
    if (m.code >= 300)
    {
        Fail(call, std::to_string(m.code) + " to step " + std::to_string(p.step));
        return;
    }
    const std::string n = m_name.empty() ? std::string() : "N: " + m_name + "\r\n";
    switch (p.step)
    {
    case STEP_CRCX_CALLER:
        r.callerCreated = true;
        m_connCaller[call] = m.Value("I");
        if (!Command("CRCX",
                     r.callee,
                     "C: " + r.callId + "\r\n" + n + "L: p:20, a:PCMU\r\nM: sendrecv\r\n\r\n" +
                         SdpOf(text),
                     call,
                     STEP_CRCX_CALLEE))
        {
            Fail(call, "callee unknown");
        }
        return;
    case STEP_CRCX_CALLEE:
        r.calleeCreated = true;
        m_connCallee[call] = m.Value("I");
        Command("MDCX",
                r.caller,
                "C: " + r.callId + "\r\nI: " + m_connCaller[call] + "\r\nM: sendrecv\r\n\r\n" +
                    SdpOf(text),
                call,
                STEP_MDCX_CALLER);
        return;
    case STEP_MDCX_CALLER:
        r.modified = true;
        r.connectedAt = Simulator::Now();
        Simulator::Schedule(m_talk, &MgcpCallAgent::EndCall, this, call);
        return;
    default:
        return;
    }
}

} // namespace ns3
