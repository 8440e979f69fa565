/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SipUserAgent: attributes, API, start/stop, transactions, registration, SDP and media.

#include "sip-user-agent.h"

#include "sip-user-agent-util.h"

#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/config-error.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/text-util.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipUserAgent");
NS_OBJECT_ENSURE_REGISTERED(SipUserAgent);

using namespace sipua;

// ---------------------------------------------------------------------------------------------
// SipUserAgent

TypeId
SipUserAgent::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SipUserAgent")
            .SetParent<Application>()
            .SetGroupName("Fortigate")
            .AddConstructor<SipUserAgent>()
            .AddAttribute("Transport",
                          "SIP transport: UDP or TCP.",
                          EnumValue(UDP),
                          MakeEnumAccessor(&SipUserAgent::m_transport),
                          MakeEnumChecker(UDP, "UDP", TCP, "TCP"))
            .AddAttribute("LocalPort",
                          "Local SIP port (UDP socket and TCP listener).",
                          UintegerValue(5060),
                          MakeUintegerAccessor(&SipUserAgent::m_localPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("User",
                          "User part of the address-of-record.",
                          StringValue("user"),
                          MakeStringAccessor(&SipUserAgent::m_user),
                          MakeStringChecker())
            .AddAttribute("Domain",
                          "Host part of the address-of-record; empty means the registrar's "
                          "address (or our own without a registrar).",
                          StringValue(""),
                          MakeStringAccessor(&SipUserAgent::m_domain),
                          MakeStringChecker())
            .AddAttribute("DisplayName",
                          "Display name in From.",
                          StringValue(""),
                          MakeStringAccessor(&SipUserAgent::m_displayName),
                          MakeStringChecker())
            .AddAttribute("RegistrarAddress",
                          "Registrar and outbound proxy; 0.0.0.0 for none (calls go straight "
                          "to the target URI's host).",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&SipUserAgent::m_registrar),
                          MakeIpv4AddressChecker())
            .AddAttribute("RegistrarPort",
                          "Registrar / proxy port.",
                          UintegerValue(5060),
                          MakeUintegerAccessor(&SipUserAgent::m_registrarPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("Register",
                          "Send REGISTER at start when a registrar is set.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&SipUserAgent::m_register),
                          MakeBooleanChecker())
            .AddAttribute("RegisterExpires",
                          "Expiry asked for in REGISTER (seconds).",
                          UintegerValue(3600),
                          MakeUintegerAccessor(&SipUserAgent::m_registerExpires),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("RegisterRefreshRatio",
                          "Re-register after this fraction of the granted expiry.",
                          DoubleValue(0.5),
                          MakeDoubleAccessor(&SipUserAgent::m_refreshRatio),
                          MakeDoubleChecker<double>(0.05, 0.99))
            .AddAttribute("RegisterRetryInterval",
                          "Retry a failed registration after this.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&SipUserAgent::m_registerRetry),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("ContactAddress",
                          "Address written into Via, Contact and SDP; 0.0.0.0 means the node's "
                          "own interface address (a private address behind NAT). Set a public "
                          "address to model a PBX that writes its public address itself.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&SipUserAgent::m_contactAddress),
                          MakeIpv4AddressChecker())
            .AddAttribute("RtpPort",
                          "Local RTP port of the first call (RTCP +1); concurrent calls use the "
                          "next free even port.",
                          UintegerValue(16384),
                          MakeUintegerAccessor(&SipUserAgent::m_rtpPort),
                          MakeUintegerChecker<uint16_t>(1, 65534))
            .AddAttribute("SdpRtcpAttribute",
                          "Write a=rtcp:<port> into the SDP.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&SipUserAgent::m_sdpRtcpAttribute),
                          MakeBooleanChecker())
            .AddAttribute("AutoAnswer",
                          "Answer incoming calls after RingTime (else ring).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&SipUserAgent::m_autoAnswer),
                          MakeBooleanChecker())
            .AddAttribute("RingTime",
                          "Time between 180 Ringing and the final response.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&SipUserAgent::m_ringTime),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("AnswerCode",
                          "Final response to incoming INVITEs: 200 answers, 4xx-6xx rejects "
                          "(e.g. 486 Busy Here).",
                          UintegerValue(200),
                          MakeUintegerAccessor(&SipUserAgent::m_answerCode),
                          MakeUintegerChecker<uint32_t>(200, 699))
            .AddAttribute("CalleeHangupAfter",
                          "Incoming calls: send BYE this long after the ACK (0: never).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&SipUserAgent::m_calleeHangup),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("NoAnswerTimeout",
                          "Outgoing calls: CANCEL when not answered after this (0: never).",
                          TimeValue(Seconds(60)),
                          MakeTimeAccessor(&SipUserAgent::m_noAnswerTimeout),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("T1",
                          "RFC 3261 T1 (RTT estimate).",
                          TimeValue(MilliSeconds(500)),
                          MakeTimeAccessor(&SipUserAgent::m_t1),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("T2",
                          "RFC 3261 T2 (non-INVITE retransmission cap).",
                          TimeValue(Seconds(4)),
                          MakeTimeAccessor(&SipUserAgent::m_t2),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("Rport",
                          "Put ;rport (RFC 3581) into Via.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&SipUserAgent::m_rport),
                          MakeBooleanChecker())
            .AddAttribute("SymmetricRtp",
                          "Send RTP to the address:port the peer's RTP comes from once it "
                          "arrives (comedia), instead of the SDP address.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&SipUserAgent::m_symmetricRtp),
                          MakeBooleanChecker())
            .AddAttribute("UserAgentName",
                          "User-Agent header value.",
                          StringValue("ns-3 SipUserAgent"),
                          MakeStringAccessor(&SipUserAgent::m_userAgentName),
                          MakeStringChecker())
            .AddTraceSource("SipTx",
                            "A SIP message was sent (text, destination, port).",
                            MakeTraceSourceAccessor(&SipUserAgent::m_txTrace),
                            "ns3::SipUserAgent::MessageCallback")
            .AddTraceSource("SipRx",
                            "A SIP message was received (text, source, port).",
                            MakeTraceSourceAccessor(&SipUserAgent::m_rxTrace),
                            "ns3::SipUserAgent::MessageCallback")
            .AddTraceSource("CallStateChanged",
                            "A call changed state.",
                            MakeTraceSourceAccessor(&SipUserAgent::m_stateTrace),
                            "ns3::SipUserAgent::CallStateCallback")
            .AddTraceSource("RegistrationChanged",
                            "The registration changed state.",
                            MakeTraceSourceAccessor(&SipUserAgent::m_regTrace),
                            "ns3::SipUserAgent::RegistrationCallback");
    return tid;
}

SipUserAgent::SipUserAgent()
    : m_transport(UDP),
      m_localPort(5060),
      m_user("user"),
      m_registrarPort(5060),
      m_register(true),
      m_registerExpires(3600),
      m_refreshRatio(0.5),
      m_registerRetry(Seconds(30)),
      m_rtpPort(16384),
      m_sdpRtcpAttribute(false),
      m_autoAnswer(true),
      m_ringTime(Seconds(1)),
      m_answerCode(200),
      m_calleeHangup(Seconds(0)),
      m_noAnswerTimeout(Seconds(60)),
      m_t1(MilliSeconds(500)),
      m_t2(Seconds(4)),
      m_rport(true),
      m_symmetricRtp(false),
      m_userAgentName("ns-3 SipUserAgent")
{
    NS_LOG_FUNCTION(this);
    m_rng = CreateObject<UniformRandomVariable>();
}

SipUserAgent::~SipUserAgent()
{
    NS_LOG_FUNCTION(this);
}

void
SipUserAgent::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (CallData& c : m_calls)
    {
        if (c.rtp)
        {
            Snapshot(c);
            c.rtp->Dispose();
            c.rtp = nullptr;
        }
    }
    for (auto& t : m_clientTx)
    {
        t.second.retransmit.Cancel();
        t.second.timeout.Cancel();
    }
    m_clientTx.clear();
    for (auto& t : m_serverTx)
    {
        t.second.expire.Cancel();
    }
    m_serverTx.clear();
    if (m_sip)
    {
        m_sip->Dispose();
        m_sip = nullptr;
        m_sipOpen = false;
    }
    m_rng = nullptr;
    Application::DoDispose();
}

int64_t
SipUserAgent::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

// ---- public API ------------------------------------------------------------------------------

uint32_t
SipUserAgent::Call(const std::string& target, Time at, Time duration, Time cancelAfter)
{
    if (target.empty())
    {
        throw ConfigError("SipUserAgent " + m_user + ": Call target is empty");
    }
    if (duration.IsStrictlyNegative() || cancelAfter.IsStrictlyNegative())
    {
        throw ConfigError("SipUserAgent " + m_user + ": Call duration/cancelAfter is negative");
    }
    CallData c;
    c.rec.index = static_cast<uint32_t>(m_calls.size());
    c.rec.outgoing = true;
    c.rec.target = target;
    c.rec.scheduled = at;
    c.duration = duration;
    c.cancelAfter = cancelAfter;
    m_calls.push_back(c);
    uint32_t index = c.rec.index;
    if (m_running)
    {
        Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
        Simulator::Schedule(delay, &SipUserAgent::StartCall, this, index);
    }
    return index;
}

void
SipUserAgent::Hold(uint32_t index, Time at)
{
    if (index >= m_calls.size())
    {
        throw ConfigError("SipUserAgent " + m_user + ": Hold: no call " + std::to_string(index));
    }
    Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
    Simulator::Schedule(delay, &SipUserAgent::SendReInvite, this, index, SdpDirection::SENDONLY);
}

void
SipUserAgent::Resume(uint32_t index, Time at)
{
    if (index >= m_calls.size())
    {
        throw ConfigError("SipUserAgent " + m_user + ": Resume: no call " + std::to_string(index));
    }
    Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
    Simulator::Schedule(delay, &SipUserAgent::SendReInvite, this, index, SdpDirection::SENDRECV);
}

void
SipUserAgent::Hangup(uint32_t index, Time at)
{
    if (index >= m_calls.size())
    {
        throw ConfigError("SipUserAgent " + m_user + ": Hangup: no call " + std::to_string(index));
    }
    Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
    Simulator::Schedule(delay, &SipUserAgent::DoHangup, this, index);
}

void
SipUserAgent::SendOptions(const std::string& target, Time at)
{
    if (target.empty())
    {
        throw ConfigError("SipUserAgent " + m_user + ": SendOptions target is empty");
    }
    m_pendingOptions.emplace_back(target, at);
    if (m_running)
    {
        Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
        Simulator::Schedule(delay, [this, target]() {
            std::string uri = TargetUri(target);
            Ipv4Address to;
            uint16_t port;
            bool tcp;
            if (!Resolve(uri, false, to, port, tcp))
            {
                m_optionsResponses.push_back(0);
                return;
            }
            std::string branch = NewBranch();
            SipTextMessage req = SipTextMessage::Request("OPTIONS", uri);
            req.AddHeader("Via", Via(branch));
            req.AddHeader("Max-Forwards", "70");
            req.AddHeader("From", "<" + GetAor() + ">;tag=" + NewTag());
            req.AddHeader("To", "<" + uri + ">");
            req.AddHeader("Call-ID", NewCallId());
            req.AddHeader("CSeq", "1 OPTIONS");
            req.AddHeader("Contact", ContactValue());
            req.AddHeader("Accept", "application/sdp");
            req.AddHeader("User-Agent", m_userAgentName);
            SendRequest(req, SipMethod::OPTIONS, branch, to, port, tcp, nullptr, -1);
        });
    }
}

uint32_t
SipUserAgent::GetCallCount() const
{
    return static_cast<uint32_t>(m_calls.size());
}

SipCallRecord
SipUserAgent::GetCall(uint32_t index) const
{
    if (index >= m_calls.size())
    {
        throw ConfigError("SipUserAgent " + m_user + ": GetCall: no call " + std::to_string(index) +
                          " (" + std::to_string(m_calls.size()) + " calls)");
    }
    SipCallRecord r = m_calls[index].rec;
    if (m_calls[index].rtp)
    {
        r.rtp = m_calls[index].rtp->GetStats();
    }
    return r;
}

std::vector<SipCallRecord>
SipUserAgent::GetCalls() const
{
    std::vector<SipCallRecord> out;
    for (uint32_t i = 0; i < m_calls.size(); ++i)
    {
        out.push_back(GetCall(i));
    }
    return out;
}

bool
SipUserAgent::FindCall(const std::string& callId, SipCallRecord& out) const
{
    for (uint32_t i = 0; i < m_calls.size(); ++i)
    {
        if (m_calls[i].rec.callId == callId)
        {
            out = GetCall(i);
            return true;
        }
    }
    return false;
}

SipRegistrationInfo
SipUserAgent::GetRegistration() const
{
    return m_reg;
}

bool
SipUserAgent::IsRegistered() const
{
    return m_reg.state == SIP_REG_REGISTERED;
}

std::string
SipUserAgent::Domain() const
{
    if (!m_domain.empty())
    {
        return m_domain;
    }
    std::ostringstream os;
    if (m_registrar != Ipv4Address::GetAny())
    {
        os << m_registrar;
    }
    else
    {
        os << m_ownAddress;
    }
    return os.str();
}

std::string
SipUserAgent::GetAor() const
{
    return "sip:" + m_user + "@" + Domain();
}

Ipv4Address
SipUserAgent::GetContactAddress() const
{
    return m_ownAddress;
}

std::vector<uint32_t>
SipUserAgent::GetOptionsResponses() const
{
    return m_optionsResponses;
}

Ptr<SipTransport>
SipUserAgent::GetTransport() const
{
    return m_sip;
}

// ---- start / stop ----------------------------------------------------------------------------

void
SipUserAgent::Open()
{
    NS_LOG_FUNCTION(this);
    if (m_sipOpen)
    {
        return;
    }
    Ptr<SipTransport> sip = CreateObject<SipTransport>();
    sip->Open(GetNode(),
              m_localPort,
              m_transport == UDP,
              true,
              MakeCallback(&SipUserAgent::Receive, this),
              "SipUserAgent " + m_user);
    m_sip = sip;
    m_sipOpen = true;
}

void
SipUserAgent::StartApplication()
{
    NS_LOG_FUNCTION(this);
    m_ownAddress = m_contactAddress;
    if (m_ownAddress == Ipv4Address::GetAny())
    {
        Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
        for (uint32_t i = 0; ipv4 && i < ipv4->GetNInterfaces(); ++i)
        {
            if (ipv4->GetNAddresses(i) == 0)
            {
                continue;
            }
            Ipv4Address a = ipv4->GetAddress(i, 0).GetLocal();
            if (a != Ipv4Address::GetLoopback())
            {
                m_ownAddress = a;
                break;
            }
        }
    }
    Open(); // unless the scenario opened it already
    m_running = true;
    if (m_register && m_registrar != Ipv4Address::GetAny())
    {
        m_regCallId = NewCallId();
        m_regTag = NewTag();
        m_regCseq = 0;
        SendRegister();
    }
    for (CallData& c : m_calls)
    {
        if (c.rec.outgoing && c.rec.state == SIP_CALL_IDLE)
        {
            Time delay = c.rec.scheduled > Simulator::Now() ? c.rec.scheduled - Simulator::Now()
                                                            : Seconds(0);
            Simulator::Schedule(delay, &SipUserAgent::StartCall, this, c.rec.index);
        }
    }
    std::vector<std::pair<std::string, Time>> opts;
    opts.swap(m_pendingOptions);
    for (const auto& o : opts)
    {
        SendOptions(o.first, o.second);
    }
}

void
SipUserAgent::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    m_regEvent.Cancel();
    m_regExpiry.Cancel();
    for (CallData& c : m_calls)
    {
        for (EventId* e :
             {&c.answerEvent, &c.hangupEvent, &c.cancelEvent, &c.retransmit2xx, &c.ackTimeout})
        {
            e->Cancel();
        }
        if (c.rtp)
        {
            Snapshot(c);
            c.rtp->Close();
        }
    }
    for (auto& t : m_clientTx)
    {
        t.second.retransmit.Cancel();
        t.second.timeout.Cancel();
    }
    m_clientTx.clear();
    if (m_sip)
    {
        m_sip->Close();
    }
    m_sipOpen = false;
}

// ---- small builders ---------------------------------------------------------------------------

std::string
SipUserAgent::NewBranch()
{
    return "z9hG4bK" + Hex(m_rng->GetInteger(0, 0xffffffffu), 8) +
           Hex(m_rng->GetInteger(0, 0xffffffffu), 8);
}

std::string
SipUserAgent::NewTag()
{
    return Hex(m_rng->GetInteger(0, 0xffffffffu), 8);
}

std::string
SipUserAgent::NewCallId()
{
    std::ostringstream os;
    os << Hex(m_rng->GetInteger(0, 0xffffffffu), 8) << Hex(m_rng->GetInteger(0, 0xffffffffu), 8)
       << "@" << m_ownAddress;
    return os.str();
}

std::string
SipUserAgent::Via(const std::string& branch) const
{
    std::ostringstream os;
    os << "SIP/2.0/" << (m_transport == TCP ? "TCP" : "UDP") << " " << m_ownAddress << ":"
       << m_localPort << ";branch=" << branch << (m_rport ? ";rport" : "");
    return os.str();
}

std::string
SipUserAgent::ContactValue() const
{
    std::ostringstream os;
    os << "<sip:" << m_user << "@" << m_ownAddress << ":" << m_localPort
       << (m_transport == TCP ? ";transport=tcp" : "") << ">";
    return os.str();
}

std::string
SipUserAgent::TargetUri(const std::string& target) const
{
    if (target.compare(0, 4, "sip:") == 0 || target.compare(0, 5, "sips:") == 0)
    {
        return target;
    }
    if (target.find('@') != std::string::npos)
    {
        return "sip:" + target;
    }
    return "sip:" + target + "@" + Domain();
}

bool
SipUserAgent::Resolve(const std::string& uriText,
                      bool inDialog,
                      Ipv4Address& to,
                      uint16_t& port,
                      bool& tcp) const
{
    SipUri uri;
    std::string error;
    bool parsed = ParseSipUri(SipBytes(uriText), uriText.size(), uri, error);
    const SipParam* transport = parsed ? FindSipParam(uri.params, "transport") : nullptr;
    tcp = m_transport == TCP || (transport && AsciiIEquals(transport->value, "tcp"));
    if (!inDialog && m_registrar != Ipv4Address::GetAny())
    {
        to = m_registrar;
        port = m_registrarPort;
        tcp = m_transport == TCP;
        return true;
    }
    if (parsed && uri.hostIsIpv4)
    {
        to = Ipv4Address(uri.ipv4);
        port = uri.EffectivePort();
        return true;
    }
    if (m_registrar != Ipv4Address::GetAny())
    {
        to = m_registrar;
        port = m_registrarPort;
        return true;
    }
    return false;
}

Ptr<Socket>
SipUserAgent::SendRaw(std::string text, Ipv4Address to, uint16_t port, bool tcp, Ptr<Socket> conn)
{
    if (!m_sip)
    {
        return nullptr;
    }
    m_txTrace(text, to, port);
    NS_LOG_INFO(m_user << " -> " << to << ":" << port << (tcp ? "/tcp" : "") << " "
                       << text.substr(0, text.find('\r')));
    return m_sip->Send(text, to, port, tcp, conn);
}

// ---- client transactions ---------------------------------------------------------------------

std::string
SipUserAgent::SendRequest(SipTextMessage req,
                          SipMethod method,
                          const std::string& branch,
                          Ipv4Address to,
                          uint16_t port,
                          bool tcp,
                          Ptr<Socket> conn,
                          int64_t call,
                          bool reinvite)
{
    if (req.GetHeader("User-Agent").empty())
    {
        req.AddHeader("User-Agent", m_userAgentName);
    }
    std::string key = ClientKey(branch, method);
    ClientTx& tx = m_clientTx[key];
    tx.retransmit.Cancel();
    tx.timeout.Cancel();
    tx.branch = branch;
    tx.method = method;
    tx.text = req.ToString();
    tx.to = to;
    tx.port = port;
    tx.tcp = tcp;
    tx.conn = conn;
    tx.call = call;
    tx.provisional = false;
    tx.reinvite = reinvite;
    tx.interval = m_t1;
    Ptr<Socket> used = SendRaw(tx.text, to, port, tcp, conn);
    // The answer may have arrived during the send (UDP on the same node) and ended the
    // transaction: look it up again rather than keep a reference across the send.
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return key;
    }
    it->second.conn = used;
    if (!tcp)
    {
        it->second.retransmit =
            Simulator::Schedule(it->second.interval, &SipUserAgent::RetransmitRequest, this, key);
    }
    it->second.timeout =
        Simulator::Schedule(m_t1 * 64, &SipUserAgent::TransactionTimeout, this, key);
    return key;
}

void
SipUserAgent::RetransmitRequest(std::string key)
{
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    ClientTx& tx = it->second;
    if (tx.method == SipMethod::INVITE && tx.provisional)
    {
        return; // RFC 3261 17.1.1.2: a provisional response stops INVITE retransmissions
    }
    if (tx.method == SipMethod::REGISTER)
    {
        ++m_reg.transmissions;
    }
    if (tx.method == SipMethod::INVITE && tx.call >= 0 && !tx.reinvite)
    {
        ++m_calls[tx.call].rec.inviteTransmissions;
    }
    Ptr<Socket> used = SendRaw(tx.text, tx.to, tx.port, tx.tcp, tx.conn);
    // The send may deliver the answer at once and end the transaction (see SendRequest).
    it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    ClientTx& again = it->second;
    again.conn = used;
    if (again.method == SipMethod::INVITE)
    {
        again.interval = again.interval * 2; // timer A doubles
    }
    else
    {
        // timer E: doubles up to T2; T2 once a provisional response arrived
        again.interval = again.provisional ? m_t2 : std::min(again.interval * 2, m_t2);
    }
    again.retransmit =
        Simulator::Schedule(again.interval, &SipUserAgent::RetransmitRequest, this, key);
}

void
SipUserAgent::EndTransaction(const std::string& key)
{
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    it->second.retransmit.Cancel();
    it->second.timeout.Cancel();
    m_clientTx.erase(it);
}

void
SipUserAgent::TransactionTimeout(std::string key)
{
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    ClientTx tx = it->second;
    if (tx.method == SipMethod::INVITE && tx.provisional)
    {
        return; // timer B only runs in the calling state; keep the transaction
    }
    EndTransaction(key);
    NS_LOG_INFO(m_user << ": " << SipMethodName(tx.method) << " timed out");
    switch (tx.method)
    {
    case SipMethod::REGISTER:
        RegisterTimeout();
        break;
    case SipMethod::INVITE:
        if (tx.call >= 0 && !tx.reinvite)
        {
            CallData& c = m_calls[tx.call];
            if (c.rec.state == SIP_CALL_CALLING || c.rec.state == SIP_CALL_PROCEEDING ||
                c.rec.state == SIP_CALL_RINGING)
            {
                c.rec.finalStatus = 408;
                EndCall(c,
                        c.cancelSent ? SIP_CALL_CANCELLED : SIP_CALL_FAILED,
                        "timeout (no response to INVITE)");
            }
        }
        else if (tx.call >= 0)
        {
            m_calls[tx.call].reinviteOutstanding = false;
        }
        break;
    case SipMethod::BYE:
        if (tx.call >= 0)
        {
            CallData& c = m_calls[tx.call];
            if (c.rec.state == SIP_CALL_TERMINATING)
            {
                c.rec.endReason += " (no response to BYE)";
                EndCall(c, SIP_CALL_TERMINATED, c.rec.endReason);
            }
        }
        break;
    case SipMethod::OPTIONS:
        m_optionsResponses.push_back(408);
        break;
    default:
        break;
    }
}

// ---- registration ----------------------------------------------------------------------------

void
SipUserAgent::SetRegState(SipRegistrationState s, const std::string& reason)
{
    if (m_reg.state != s || !reason.empty())
    {
        m_reg.state = s;
        m_regTrace(s, reason);
    }
}

void
SipUserAgent::SendRegister()
{
    if (!m_running)
    {
        return;
    }
    m_regEvent.Cancel();
    if (!m_regBranch.empty())
    {
        EndTransaction(m_regBranch);
    }
    if (m_regExpires == 0)
    {
        m_regExpires = m_registerExpires;
    }
    ++m_regCseq;
    std::string branch = NewBranch();
    std::ostringstream ruri;
    ruri << "sip:" << Domain();
    SipTextMessage req = SipTextMessage::Request("REGISTER", ruri.str());
    req.AddHeader("Via", Via(branch));
    req.AddHeader("Max-Forwards", "70");
    req.AddHeader("From", "<" + GetAor() + ">;tag=" + m_regTag);
    req.AddHeader("To", "<" + GetAor() + ">");
    req.AddHeader("Call-ID", m_regCallId);
    req.AddHeader("CSeq", std::to_string(m_regCseq) + " REGISTER");
    req.AddHeader("Contact", ContactValue());
    req.AddHeader("Expires", std::to_string(m_regExpires));
    req.AddHeader("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS");
    if (m_reg.requests == 0)
    {
        m_reg.firstRequest = Simulator::Now();
    }
    ++m_reg.requests;
    ++m_reg.transmissions;
    if (m_reg.state != SIP_REG_REGISTERED)
    {
        SetRegState(SIP_REG_REGISTERING, "");
    }
    // The key is known before the send: the answer may arrive during it (see SendRequest).
    m_regBranch = ClientKey(branch, SipMethod::REGISTER);
    SendRequest(req,
                SipMethod::REGISTER,
                branch,
                m_registrar,
                m_registrarPort,
                m_transport == TCP,
                nullptr,
                -1);
}

void
SipUserAgent::RegisterResponse(const SipMessage& msg, const std::string& text)
{
    if (msg.statusCode < 200)
    {
        return;
    }
    EndTransaction(m_regBranch);
    m_regBranch.clear();
    if (msg.statusCode >= 200 && msg.statusCode < 300)
    {
        // The expiry granted for our binding: the Contact matching ours (or the only one),
        // else the Expires header, else what we asked for.
        uint32_t granted = msg.hasExpires ? msg.expires : m_regExpires;
        const SipNameAddr* mine = nullptr;
        for (const SipNameAddr& c : msg.contacts)
        {
            if (c.uri.hostIsIpv4 && Ipv4Address(c.uri.ipv4) == m_ownAddress &&
                c.uri.EffectivePort() == m_localPort)
            {
                mine = &c;
            }
        }
        if (!mine && msg.contacts.size() == 1)
        {
            mine = &msg.contacts[0];
        }
        if (mine)
        {
            granted = mine->hasExpires ? mine->expires : granted;
            m_reg.registeredContact = mine->uri.span.Text(text);
        }
        Time now = Simulator::Now();
        if (m_reg.successes == 0)
        {
            m_reg.firstSuccess = now;
            m_reg.registrationDelay = now - m_reg.firstRequest;
        }
        ++m_reg.successes;
        m_reg.lastSuccess = now;
        m_reg.grantedExpires = granted;
        m_reg.expiresAt = now + Seconds(granted);
        m_regExpiry.Cancel();
        if (granted == 0)
        {
            SetRegState(SIP_REG_NONE, "");
            return;
        }
        SetRegState(SIP_REG_REGISTERED, "");
        m_regExpiry = Simulator::Schedule(Seconds(granted), [this]() {
            if (m_reg.state == SIP_REG_REGISTERED)
            {
                m_reg.lastFailure = "binding expired";
                SetRegState(SIP_REG_FAILED, "binding expired");
            }
        });
        m_regEvent = Simulator::Schedule(Seconds(granted * m_refreshRatio),
                                         &SipUserAgent::SendRegister,
                                         this);
        return;
    }
    if (msg.statusCode == 423)
    {
        const SipHeader* min = msg.FindHeader(SipHeaderId::MIN_EXPIRES);
        uint32_t v =
            min ? static_cast<uint32_t>(std::strtoul(std::string(min->value).c_str(), nullptr, 10))
                : 0;
        if (v > m_regExpires)
        {
            m_regExpires = v;
            SendRegister();
            return;
        }
    }
    ++m_reg.failures;
    m_reg.lastFailure = std::to_string(msg.statusCode) + " " + std::string(msg.reason);
    SetRegState(SIP_REG_FAILED, m_reg.lastFailure);
    m_regEvent = Simulator::Schedule(m_registerRetry, &SipUserAgent::SendRegister, this);
}

void
SipUserAgent::RegisterTimeout()
{
    m_regBranch.clear();
    ++m_reg.failures;
    m_reg.lastFailure = "timeout (no response to REGISTER)";
    SetRegState(SIP_REG_FAILED, m_reg.lastFailure);
    m_regEvent = Simulator::Schedule(m_registerRetry, &SipUserAgent::SendRegister, this);
}

// ---- SDP and media ---------------------------------------------------------------------------

std::string
SipUserAgent::BuildSdp(CallData& c) const
{
    std::ostringstream a;
    a << m_ownAddress;
    std::ostringstream os;
    os << "v=0\r\n"
       << "o=" << m_user << " " << c.sdpSessionId << " " << c.sdpVersion << " IN IP4 " << a.str()
       << "\r\n"
       << "s=ns-3 SipUserAgent\r\n"
       << "c=IN IP4 " << a.str() << "\r\n"
       << "t=0 0\r\n"
       << "m=audio " << c.rec.localRtpPort << " RTP/AVP 0\r\n"
       << "a=rtpmap:0 PCMU/8000\r\n"
       << "a=ptime:20\r\n";
    if (m_sdpRtcpAttribute)
    {
        os << "a=rtcp:" << (c.rec.localRtpPort + 1) << "\r\n";
    }
    os << "a=" << SdpDirectionName(c.answeredDirection) << "\r\n";
    return os.str();
}

bool
SipUserAgent::ApplyRemoteSdp(CallData& c, const SipMessage& msg)
{
    if (!msg.hasSdp)
    {
        return false;
    }
    const SdpMessage& sdp = msg.sdp;
    for (std::size_t i = 0; i < sdp.media.size(); ++i)
    {
        const SdpMedia& m = sdp.media[i];
        if (m.media != "audio")
        {
            continue;
        }
        const SdpAddress* conn = sdp.ConnectionFor(i);
        c.rec.remoteMediaAddress =
            conn && conn->isIpv4 ? Ipv4Address(conn->ipv4) : Ipv4Address::GetAny();
        c.rec.remoteRtpPort = m.port;
        c.rec.remoteRtcpPort = m.RtcpPort();
        c.remoteDir = m.direction;
        c.rec.remoteDirection = SdpDirectionName(m.direction);
        return true;
    }
    return false;
}

void
SipUserAgent::OpenMedia(CallData& c)
{
    if (c.rtp)
    {
        return;
    }
    // The first free even port from RtpPort (a second concurrent call needs another).
    for (uint32_t port = m_rtpPort; port + 1 <= 65535; port += 2)
    {
        Ptr<RtpStream> s = CreateObject<RtpStream>();
        s->SetNode(GetNode());
        s->SetAttribute("LocalPort", UintegerValue(port));
        s->SetAttribute("Cname", StringValue(m_user + "@" + Domain()));
        s->SetAttribute("Latching", BooleanValue(m_symmetricRtp));
        s->SetRandom(m_rng);
        try
        {
            s->Open();
        }
        catch (const ConfigError&)
        {
            s->Dispose();
            continue;
        }
        c.rtp = s;
        c.rec.localRtpPort = static_cast<uint16_t>(port);
        c.rec.localMediaAddress = m_ownAddress;
        return;
    }
}

void
SipUserAgent::UpdateMedia(CallData& c)
{
    if (!c.rtp)
    {
        return;
    }
    bool live = c.rec.state == SIP_CALL_ANSWERED || c.rec.state == SIP_CALL_CONFIRMED;
    bool haveRemote = c.rec.remoteMediaAddress != Ipv4Address::GetAny() && c.rec.remoteRtpPort;
    bool send = live && haveRemote && DirSends(c.answeredDirection) && DirReceives(c.remoteDir);
    if (send)
    {
        c.rtp->SetRemote(c.rec.remoteMediaAddress, c.rec.remoteRtpPort, c.rec.remoteRtcpPort);
        c.rtp->StartSending();
    }
    else
    {
        c.rtp->StopSending();
    }
}

void
SipUserAgent::Snapshot(CallData& c) const
{
    if (c.rtp)
    {
        c.rec.rtp = c.rtp->GetStats();
    }
}

void
SipUserAgent::SetState(CallData& c, SipCallState s)
{
    if (c.rec.state == s)
    {
        return;
    }
    SipCallState old = c.rec.state;
    c.rec.state = s;
    NS_LOG_INFO(m_user << " call " << c.rec.index << ": " << SipCallStateName(old) << " -> "
                       << SipCallStateName(s));
    m_stateTrace(c.rec.index, c.rec.callId, old, s);
}

void
SipUserAgent::EndCall(CallData& c, SipCallState s, const std::string& reason)
{
    for (EventId* e :
         {&c.answerEvent, &c.hangupEvent, &c.cancelEvent, &c.retransmit2xx, &c.ackTimeout})
    {
        e->Cancel();
    }
    if (c.rec.ended.IsZero())
    {
        c.rec.ended = Simulator::Now();
    }
    c.rec.endReason = reason;
    if (c.rtp)
    {
        c.rtp->StopSending();
        Snapshot(c);
        c.rtp->Close();
    }
    SetState(c, s);
}

} // namespace ns3
