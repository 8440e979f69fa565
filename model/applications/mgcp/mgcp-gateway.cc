/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "mgcp-gateway.h"

#include "ns3/config-error.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/mgcp-message.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/text-util.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MgcpGateway");
NS_OBJECT_ENSURE_REGISTERED(MgcpGateway);

TypeId
MgcpGateway::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MgcpGateway")
                            .SetParent<MgcpApplication>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<MgcpGateway>()
                            .AddAttribute("CallAgentAddress",
                                          "The call agent's address.",
                                          Ipv4AddressValue(),
                                          MakeIpv4AddressAccessor(&MgcpGateway::m_caAddress),
                                          MakeIpv4AddressChecker())
                            .AddAttribute("CallAgentPort",
                                          "The call agent's UDP port.",
                                          UintegerValue(2727),
                                          MakeUintegerAccessor(&MgcpGateway::m_caPort),
                                          MakeUintegerChecker<uint16_t>(1))
                            .AddAttribute("LocalPort",
                                          "The gateway's UDP port.",
                                          UintegerValue(2427),
                                          MakeUintegerAccessor(&MgcpGateway::m_localPort),
                                          MakeUintegerChecker<uint16_t>(1))
                            .AddAttribute("EndpointName",
                                          "The endpoint name (empty: aaln/1@[own address]).",
                                          StringValue(""),
                                          MakeStringAccessor(&MgcpGateway::m_endpoint),
                                          MakeStringChecker())
                            .AddAttribute("RtpPort",
                                          "First RTP port tried for a connection (RTCP: +1).",
                                          UintegerValue(16384),
                                          MakeUintegerAccessor(&MgcpGateway::m_rtpPort),
                                          MakeUintegerChecker<uint16_t>(1024, 65534))
                            .AddAttribute("OffHookTime",
                                          "When the line goes off-hook after the start (0: never).",
                                          TimeValue(Seconds(0)),
                                          MakeTimeAccessor(&MgcpGateway::m_offHook),
                                          MakeTimeChecker());
    return tid;
}

MgcpGateway::MgcpGateway()
    : m_caPort(2727),
      m_localPort(2427),
      m_rtpPort(16384)
{
}

MgcpGateway::~MgcpGateway() = default;

void
MgcpGateway::DoDispose()
{
    for (Connection& c : m_connections)
    {
        c.rtp->Dispose();
    }
    m_connections.clear();
    MgcpApplication::DoDispose();
}

Ipv4Address
MgcpGateway::OwnAddress() const
{
    Ptr<Ipv4> ip = GetNode()->GetObject<Ipv4>();
    for (uint32_t i = 0; ip && i < ip->GetNInterfaces(); ++i)
    {
        for (uint32_t j = 0; j < ip->GetNAddresses(i); ++j)
        {
            Ipv4Address a = ip->GetAddress(i, j).GetLocal();
            if (!a.IsLocalhost())
            {
                return a;
            }
        }
    }
    return Ipv4Address::GetAny();
}

std::string
MgcpGateway::GetEndpointName() const
{
    if (!m_endpoint.empty())
    {
        return m_endpoint;
    }
    std::ostringstream os;
    os << "aaln/1@[" << OwnAddress() << "]";
    return os.str();
}

std::vector<RtpStreamStats>
MgcpGateway::GetMediaStats() const
{
    std::vector<RtpStreamStats> all = m_finished;
    for (const Connection& c : m_connections)
    {
        all.push_back(c.rtp->GetStats());
    }
    return all;
}

void
MgcpGateway::StartApplication()
{
    OpenSocket(m_localPort);
    m_nextTx = 1000 + m_rng->GetInteger(0, 100000);
    SendCommand("RSIP %TX% %EP% MGCP 1.0\r\nRM: restart\r\n");
    if (m_offHook.IsStrictlyPositive())
    {
        m_offHookEvent = Simulator::Schedule(m_offHook, &MgcpGateway::OffHook, this);
    }
}

void
MgcpGateway::StopApplication()
{
    m_offHookEvent.Cancel();
    for (Connection& c : m_connections)
    {
        c.rtp->Close();
    }
    CloseSocket();
}

void
MgcpGateway::SendCommand(const std::string& tmpl)
{
    std::string text = tmpl;
    auto put = [&text](const std::string& key, const std::string& value) {
        const auto at = text.find(key);
        if (at != std::string::npos)
        {
            text.replace(at, key.size(), value);
        }
    };
    put("%TX%", std::to_string(m_nextTx++));
    put("%EP%", GetEndpointName());
    Send(text, m_haveCa ? m_caSeen : Address(InetSocketAddress(m_caAddress, m_caPort)));
}

void
MgcpGateway::OffHook()
{
    NS_LOG_INFO(GetEndpointName() << ": off-hook");
    SendCommand("NTFY %TX% %EP% MGCP 1.0\r\nX: " + m_requestId + "\r\nO: L/hd\r\n");
}

void
MgcpGateway::HandleMessage(const MgcpMessage& m, const std::string& text, const Address& from)
{
    (void)text;
    if (m.response)
    {
        m_registered = true; // (the RSIP's or the NTFY's answer)
        return;
    }
    HandleCommand(m, from);
}

void
MgcpGateway::ApplyRemote(Connection& c, const MgcpMessage& m)
{
    if (m.hasSdp && !m.sdp.media.empty())
    {
        const SdpAddress* a = m.sdp.ConnectionFor(0);
        if (a && a->isIpv4)
        {
            c.rtp->SetRemote(Ipv4Address(a->ipv4), m.sdp.media[0].port, m.sdp.media[0].RtcpPort());
        }
    }
    const std::string mode = AsciiLowerCopy(m.Value("M"));
    const bool haveRemote = c.rtp->GetRemotePort() != 0;
    if (mode == "sendrecv" && haveRemote)
    {
        c.rtp->StartSending();
    }
    else if (!mode.empty() && mode != "sendrecv")
    {
        c.rtp->StopSending();
    }
}

std::string
MgcpGateway::LocalSdp(const Connection& c) const
{
    std::ostringstream os;
    const Ipv4Address own = OwnAddress();
    os << "v=0\r\no=- " << std::stoul(c.id, nullptr, 16) << " 1 IN IP4 " << own
       << "\r\ns=-\r\nc=IN IP4 " << own << "\r\nt=0 0\r\nm=audio " << c.rtp->GetLocalPort()
       << " RTP/AVP 0\r\n";
    return os.str();
}

void
MgcpGateway::HandleCommand(const MgcpMessage& m, const Address& from)
{
    const std::string verb = MgcpVerbName(m.verb);
    ++m_commands[verb];
    m_caSeen = from;
    m_haveCa = true;
    const std::string tx = std::to_string(m.transactionId);
    const std::string own = GetEndpointName();
    const std::string named = m.endpoint.local + "@" + m.endpoint.domain;
    const bool wildcard = m.endpoint.local.find_first_of("*$") != std::string::npos;
    if (!AsciiIEquals(named, own) &&
        !(wildcard && AsciiIEquals(m.endpoint.domain, own.substr(own.find('@') + 1))))
    {
        ++m_unknownEndpoint;
        NS_LOG_INFO(own << ": " << verb << " for " << named << ": endpoint unknown");
        Send("500 " + tx + " Endpoint unknown\r\n", from);
        return;
    }
    switch (m.verb)
    {
    case MgcpVerb::RQNT:
        m_requestId = m.Value("X").empty() ? m_requestId : m.Value("X");
        m_notifiedEntity = m.Value("N");
        Send("200 " + tx + " OK\r\n", from);
        return;
    case MgcpVerb::CRCX: {
        Connection c;
        std::ostringstream id;
        id << std::hex << std::uppercase << (0xA000 + m_nextConnection++);
        c.id = id.str();
        c.callId = m.Value("C");
        for (uint32_t port = m_rtpPort; port + 1 <= 65535; port += 2)
        {
            Ptr<RtpStream> s = CreateObject<RtpStream>();
            s->SetNode(GetNode());
            s->SetAttribute("LocalPort", UintegerValue(port));
            s->SetAttribute("Cname", StringValue(own));
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
            break;
        }
        if (!c.rtp)
        {
            Send("403 " + tx + " No RTP port\r\n", from);
            return;
        }
        ApplyRemote(c, m);
        m_connections.push_back(c);
        Send("200 " + tx + " OK\r\nI: " + c.id + "\r\n\r\n" + LocalSdp(c), from);
        return;
    }
    case MgcpVerb::MDCX:
    case MgcpVerb::DLCX: {
        const std::string connId = m.Value("I");
        const std::string callId = m.Value("C");
        bool found = false;
        for (auto it = m_connections.begin(); it != m_connections.end();)
        {
            if ((!connId.empty() && !AsciiIEquals(connId, it->id)) ||
                (!callId.empty() && !AsciiIEquals(callId, it->callId)))
            {
                ++it;
                continue;
            }
            found = true;
            if (m.verb == MgcpVerb::MDCX)
            {
                ApplyRemote(*it, m);
                ++it;
                continue;
            }
            it->rtp->Close();
            m_finished.push_back(it->rtp->GetStats());
            it->rtp->Dispose();
            it = m_connections.erase(it);
        }
        if (!found)
        {
            Send("515 " + tx + " Incorrect connection-id\r\n", from);
            return;
        }
        Send(m.verb == MgcpVerb::MDCX ? "200 " + tx + " OK\r\n"
                                      : "250 " + tx + " Connection deleted\r\n",
             from);
        return;
    }
    default:
        Send("200 " + tx + " OK\r\n", from);
        return;
    }
}

} // namespace ns3
