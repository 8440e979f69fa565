/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "h323-terminal.h"

#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/h323-messages.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("H323Terminal");
NS_OBJECT_ENSURE_REGISTERED(H323Terminal);

TypeId
H323Terminal::GetTypeId()
{
    static TypeId tid = TypeId("ns3::H323Terminal")
                            .SetParent<Application>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<H323Terminal>()
                            .AddAttribute("Role",
                                          "caller or callee",
                                          StringValue("caller"),
                                          MakeStringAccessor(&H323Terminal::m_role),
                                          MakeStringChecker())
                            .AddAttribute("Peer",
                                          "The callee's address (a caller without gatekeeper)",
                                          Ipv4AddressValue(),
                                          MakeIpv4AddressAccessor(&H323Terminal::m_peer),
                                          MakeIpv4AddressChecker())
                            .AddAttribute("Gatekeeper",
                                          "The gatekeeper's address (0.0.0.0: none)",
                                          Ipv4AddressValue(),
                                          MakeIpv4AddressAccessor(&H323Terminal::m_gatekeeper),
                                          MakeIpv4AddressChecker())
                            .AddAttribute("FastStart",
                                          "Offer fast start in the Setup (else a separate H.245)",
                                          BooleanValue(true),
                                          MakeBooleanAccessor(&H323Terminal::m_fastStart),
                                          MakeBooleanChecker())
                            .AddAttribute("RtpPort",
                                          "Local RTP port (RTCP: the next one)",
                                          UintegerValue(16384),
                                          MakeUintegerAccessor(&H323Terminal::m_rtpPort),
                                          MakeUintegerChecker<uint16_t>(1, 65534))
                            .AddAttribute("H245Port",
                                          "The callee's H.245 listening port",
                                          UintegerValue(1300),
                                          MakeUintegerAccessor(&H323Terminal::m_h245Port),
                                          MakeUintegerChecker<uint16_t>(1))
                            .AddAttribute("CallDuration",
                                          "How long the caller keeps the call",
                                          TimeValue(Seconds(2)),
                                          MakeTimeAccessor(&H323Terminal::m_duration),
                                          MakeTimeChecker());
    return tid;
}

H323Terminal::H323Terminal() = default;

H323Terminal::~H323Terminal() = default;

void
H323Terminal::DoDispose()
{
    m_rtp = nullptr;
    m_buffers.clear();
    Application::DoDispose();
}

uint32_t
H323Terminal::LocalIp() const
{
    Ptr<Ipv4> ip = GetNode()->GetObject<Ipv4>();
    return ip->GetAddress(1, 0).GetLocal().Get();
}

void
H323Terminal::StartApplication()
{
    m_rtp = CreateObject<RtpStream>();
    m_rtp->SetNode(GetNode());
    m_rtp->SetAttribute("LocalPort", UintegerValue(m_rtpPort));
    m_rtp->Open();
    if (m_role == "callee")
    {
        m_listen = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
        m_listen->Bind(InetSocketAddress(Ipv4Address::GetAny(), H323_Q931_PORT));
        m_listen->Listen();
        m_listen->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                    MakeCallback(&H323Terminal::Accepted, this));
    }
    if (m_gatekeeper != Ipv4Address())
    {
        m_ras = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
        m_ras->Bind(InetSocketAddress(Ipv4Address::GetAny(), H323_RAS_PORT));
        m_ras->SetRecvCallback(MakeCallback(&H323Terminal::RasReceive, this));
        Register();
    }
    else if (m_role == "caller")
    {
        Call(m_peer.Get(), H323_Q931_PORT);
    }
}

void
H323Terminal::StopApplication()
{
    for (Ptr<Socket> s : {m_ras, m_listen, m_h245Listen, m_signal, m_h245})
    {
        CloseAppSocket(s);
    }
    if (m_rtp)
    {
        m_rtp->Close();
    }
}

void
H323Terminal::Register()
{
    H225Ras rrq;
    rrq.type = RAS_RRQ;
    rrq.seq = m_seq++;
    rrq.ras = {LocalIp(), H323_RAS_PORT};
    rrq.callSignal = {LocalIp(), H323_Q931_PORT};
    const Address gk = InetSocketAddress(m_gatekeeper, H323_RAS_PORT);
    SendBytes(m_ras, EncodeRas(rrq), &gk);
}

void
H323Terminal::RasReceive(Ptr<Socket> s)
{
    Address from;
    while (Ptr<Packet> p = s->RecvFrom(from))
    {
        const std::vector<uint8_t> b = PacketBytes(p);
        const H323Decoded d = DecodeRas(b.data(), b.size());
        if (!d.Usable())
        {
            continue;
        }
        const Address gk = InetSocketAddress(m_gatekeeper, H323_RAS_PORT);
        if (d.type == RAS_RCF && !m_registered)
        {
            m_registered = true;
            m_alternates += static_cast<uint32_t>(d.CountRole(H323_ALTERNATE_GK));
            NS_LOG_INFO("registered; " << m_alternates << " alternate gatekeeper(s)");
            if (m_role == "caller")
            {
                H225Ras arq;
                arq.type = RAS_ARQ;
                arq.seq = m_seq++;
                arq.alias = "callee";
                SendBytes(m_ras, EncodeRas(arq), &gk);
            }
        }
        else if (d.type == RAS_ACF && m_role == "caller" && !m_signal)
        {
            for (uint8_t i = 0; i < d.count; ++i)
            {
                if (d.addresses[i].role == H323_DEST_CSA)
                {
                    Call(d.addresses[i].ip, d.addresses[i].port);
                    break;
                }
            }
        }
    }
}

void
H323Terminal::Call(uint32_t ip, uint16_t port)
{
    m_signal = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_signal->Bind();
    m_signal->SetConnectCallback(MakeCallback(&H323Terminal::Connected, this),
                                 MakeNullCallback<void, Ptr<Socket>>());
    m_signal->SetRecvCallback(MakeCallback(&H323Terminal::Receive, this));
    m_signal->Connect(InetSocketAddress(Ipv4Address(ip), port));
}

void
H323Terminal::Connected(Ptr<Socket> s)
{
    if (s == m_h245)
    {
        SendOlc();
        return;
    }
    H225Uuie setup;
    setup.q931Type = Q931_SETUP;
    setup.conferenceId[0] = static_cast<uint8_t>(GetNode()->GetId());
    if (m_fastStart)
    {
        H245Channel ch;
        ch.reverse = true;
        ch.rtp = {LocalIp(), m_rtpPort};
        ch.rtcp = {LocalIp(), static_cast<uint16_t>(m_rtpPort + 1)};
        setup.fastStart = {EncodeOpenLogicalChannel(ch)};
    }
    SendBytes(s, EncodeQ931(setup, 1));
    Simulator::Schedule(m_duration, &H323Terminal::Release, this);
}

void
H323Terminal::Accepted(Ptr<Socket> s, const Address& from)
{
    (void)from;
    s->SetRecvCallback(MakeCallback(&H323Terminal::Receive, this));
    m_signal = s;
}

void
H323Terminal::AcceptedH245(Ptr<Socket> s, const Address& from)
{
    (void)from;
    s->SetRecvCallback(MakeCallback(&H323Terminal::Receive, this));
    m_h245 = s;
}

void
H323Terminal::Receive(Ptr<Socket> s)
{
    std::vector<uint8_t>& buf = m_buffers[s];
    AppendReceived(s, buf);
    while (true)
    {
        std::size_t frame = 0;
        const TpktState st = ReadTpkt(buf.data(), buf.size(), frame);
        if (st != TpktState::COMPLETE)
        {
            if (st == TpktState::MALFORMED)
            {
                buf.clear();
            }
            return;
        }
        const std::vector<uint8_t> f(buf.begin(), buf.begin() + frame);
        buf.erase(buf.begin(), buf.begin() + frame);
        if (s == m_h245)
        {
            OnH245(s, f);
        }
        else
        {
            OnQ931(s, f);
        }
    }
}

bool
H323Terminal::StartMedia(const H323Decoded& d)
{
    uint32_t ip = 0;
    uint16_t rtp = 0;
    uint16_t rtcp = 0;
    for (uint8_t i = 0; i < d.count; ++i)
    {
        const H323Address& a = d.addresses[i];
        if (a.role == H323_MEDIA && rtp == 0)
        {
            ip = a.ip;
            rtp = a.port;
        }
        else if (a.role == H323_MEDIA_CONTROL && a.ip != LocalIp() && rtcp == 0)
        {
            rtcp = a.port;
        }
    }
    if (rtp == 0)
    {
        return false;
    }
    m_rtp->SetRemote(Ipv4Address(ip), rtp, rtcp);
    m_rtp->StartSending();
    NS_LOG_INFO(m_role << ": media to " << Ipv4Address(ip) << ":" << rtp);
    return true;
}

void
H323Terminal::OnQ931(Ptr<Socket> s, const std::vector<uint8_t>& frame)
{
    Q931Message m;
    if (!ParseQ931(frame.data(), frame.size(), m))
    {
        return;
    }
    NS_LOG_INFO(m_role << ": Q.931 " << Q931Name(m.type));
    if (m.type == Q931_RELEASE_COMPLETE)
    {
        m_rtp->StopSending();
        return;
    }
    if (m_role == "callee" && m.type == Q931_SETUP)
    {
        H225Uuie answer;
        answer.q931Type = Q931_CONNECT;
        if (m.uuie.Usable() && StartMedia(m.uuie))
        {
            H245Channel ch;
            ch.rtp = {LocalIp(), m_rtpPort};
            ch.rtcp = {LocalIp(), static_cast<uint16_t>(m_rtpPort + 1)};
            answer.fastStart = {EncodeOpenLogicalChannel(ch)};
        }
        else
        {
            m_h245Listen = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
            m_h245Listen->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_h245Port));
            m_h245Listen->Listen();
            m_h245Listen->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                            MakeCallback(&H323Terminal::AcceptedH245, this));
            answer.h245 = {LocalIp(), m_h245Port};
        }
        H225Uuie alerting = answer;
        alerting.q931Type = Q931_ALERTING;
        alerting.fastStart.clear();
        alerting.h245 = {};
        SendBytes(s, EncodeQ931(alerting, 0x8001));
        SendBytes(s, EncodeQ931(answer, 0x8001));
        m_connected = true;
        return;
    }
    if (m_role == "caller" && m.type == Q931_CONNECT && m.uuie.Usable())
    {
        m_connected = true;
        if (StartMedia(m.uuie))
        {
            return;
        }
        for (uint8_t i = 0; i < m.uuie.count; ++i)
        {
            if (m.uuie.addresses[i].role == H323_H245_ADDRESS && !m_h245)
            {
                m_h245 = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
                m_h245->Bind();
                m_h245->SetConnectCallback(MakeCallback(&H323Terminal::Connected, this),
                                           MakeNullCallback<void, Ptr<Socket>>());
                m_h245->SetRecvCallback(MakeCallback(&H323Terminal::Receive, this));
                m_h245->Connect(InetSocketAddress(Ipv4Address(m.uuie.addresses[i].ip),
                                                  m.uuie.addresses[i].port));
            }
        }
    }
}

void
H323Terminal::SendOlc()
{
    if (m_olcSent || !m_h245)
    {
        return;
    }
    m_olcSent = true;
    H245Channel ch;
    ch.number = m_role == "caller" ? 1 : 2;
    ch.rtcp = {LocalIp(), static_cast<uint16_t>(m_rtpPort + 1)};
    SendBytes(m_h245, EncodeTpkt(EncodeH245Olc(ch)));
}

void
H323Terminal::OnH245(Ptr<Socket> s, const std::vector<uint8_t>& frame)
{
    const H323Decoded d = DecodeH245(frame.data(), 4, frame.size());
    if (!d.Usable())
    {
        return;
    }
    if (d.type == 0 && d.subtype == 3) // OpenLogicalChannel: acknowledge with our RTP
    {
        H245Channel ack;
        ack.number = 1;
        ack.rtp = {LocalIp(), m_rtpPort};
        ack.rtcp = {LocalIp(), static_cast<uint16_t>(m_rtpPort + 1)};
        SendBytes(s, EncodeTpkt(EncodeH245OlcAck(ack)));
        SendOlc();
    }
    else if (d.type == 1 && d.subtype == 5) // OpenLogicalChannelAck: send there
    {
        StartMedia(d);
    }
}

void
H323Terminal::Release()
{
    if (m_signal)
    {
        SendBytes(m_signal, EncodeTpkt({0x08, 0x02, 0x00, 0x01, Q931_RELEASE_COMPLETE}));
    }
    if (m_rtp)
    {
        m_rtp->StopSending();
    }
}

} // namespace ns3
