/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rtsp-client.h"

#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/rtsp-parser.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RtspClient");
NS_OBJECT_ENSURE_REGISTERED(RtspClient);

TypeId
RtspClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RtspClient")
            .SetParent<Application>()
            .SetGroupName("FortiGate")
            .AddConstructor<RtspClient>()
            .AddAttribute("RemoteAddress",
                          "The server's address",
                          Ipv4AddressValue(),
                          MakeIpv4AddressAccessor(&RtspClient::m_remote),
                          MakeIpv4AddressChecker())
            .AddAttribute("RemotePort",
                          "The server's RTSP port",
                          UintegerValue(RTSP_DEFAULT_PORT),
                          MakeUintegerAccessor(&RtspClient::m_remotePort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("Path",
                          "Presentation path in the URL",
                          StringValue("/media"),
                          MakeStringAccessor(&RtspClient::m_path),
                          MakeStringChecker())
            .AddAttribute("ClientPort",
                          "Local RTP port announced in client_port (RTCP is the next one)",
                          UintegerValue(5000),
                          MakeUintegerAccessor(&RtspClient::m_clientPort),
                          MakeUintegerChecker<uint16_t>(1, 65534))
            .AddAttribute("PlayDuration",
                          "How long to watch after the PLAY reply (or the SETUP reply when "
                          "Play is false) before TEARDOWN",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&RtspClient::m_playDuration),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("Teardown",
                          "Send TEARDOWN at the end (else just close the connection)",
                          BooleanValue(true),
                          MakeBooleanAccessor(&RtspClient::m_teardown),
                          MakeBooleanChecker())
            .AddAttribute("Play",
                          "Send PLAY after SETUP",
                          BooleanValue(true),
                          MakeBooleanAccessor(&RtspClient::m_play),
                          MakeBooleanChecker())
            .AddAttribute("Timeout",
                          "Longest wait for a reply",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&RtspClient::m_timeout),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddTraceSource("Reply",
                            "A reply arrived (method it answers, status code)",
                            MakeTraceSourceAccessor(&RtspClient::m_replyTrace),
                            "ns3::RtspClient::ReplyCallback")
            .AddTraceSource("RtpRx",
                            "An RTP packet arrived",
                            MakeTraceSourceAccessor(&RtspClient::m_rtpRxTrace),
                            "ns3::Packet::AddressTracedCallback");
    return tid;
}

RtspClient::RtspClient()
{
    NS_LOG_FUNCTION(this);
}

RtspClient::~RtspClient()
{
    NS_LOG_FUNCTION(this);
}

bool
RtspClient::IsCompleted() const
{
    return m_completed;
}

bool
RtspClient::IsFailed() const
{
    return m_failed;
}

std::string
RtspClient::GetFailureReason() const
{
    return m_reason;
}

uint64_t
RtspClient::GetRtpPackets() const
{
    return m_rtpPackets;
}

uint64_t
RtspClient::GetRtpBytes() const
{
    return m_rtpBytes;
}

uint64_t
RtspClient::GetRtpLost() const
{
    if (m_rtpPackets == 0)
    {
        return 0;
    }
    uint64_t expected = static_cast<uint64_t>(m_highestSeq - m_firstSeq) + 1;
    return expected > m_rtpPackets ? expected - m_rtpPackets : 0;
}

uint64_t
RtspClient::GetRtcpPackets() const
{
    return m_rtcpPackets;
}

bool
RtspClient::HasReceivedMedia() const
{
    return m_rtpPackets > 0;
}

Time
RtspClient::GetFirstRtpTime() const
{
    return m_firstRtp;
}

Time
RtspClient::GetSetupDelay() const
{
    return m_setupDelay;
}

std::string
RtspClient::GetSessionId() const
{
    return m_session;
}

std::string
RtspClient::GetReplyTransport() const
{
    return m_transport;
}

uint16_t
RtspClient::GetServerPort() const
{
    return m_serverPort;
}

std::string
RtspClient::GetSdp() const
{
    return m_sdp;
}

Ipv4Address
RtspClient::GetMediaSource() const
{
    return m_mediaSource;
}

std::string
RtspClient::GetSummary() const
{
    std::ostringstream os;
    os << (m_failed ? "failed: " + m_reason : (m_completed ? "ok" : "unfinished"))
       << " rtp_packets=" << m_rtpPackets << " rtp_bytes=" << m_rtpBytes
       << " rtp_lost=" << GetRtpLost() << " rtcp_packets=" << m_rtcpPackets;
    return os.str();
}

void
RtspClient::DoDispose()
{
    NS_LOG_FUNCTION(this);
    CloseAll();
    Application::DoDispose();
}

std::string
RtspClient::BaseUrl() const
{
    std::ostringstream os;
    os << "rtsp://";
    m_remote.Print(os);
    if (m_remotePort != RTSP_DEFAULT_PORT)
    {
        os << ":" << m_remotePort;
    }
    os << m_path;
    return os.str();
}

void
RtspClient::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_state != ST_IDLE)
    {
        return;
    }
    m_start = Simulator::Now();
    m_rtp = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_rtcp = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    if (m_rtp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_clientPort)) == -1 ||
        m_rtcp->Bind(InetSocketAddress(Ipv4Address::GetAny(),
                                       static_cast<uint16_t>(m_clientPort + 1))) == -1)
    {
        Finish("cannot bind client_port " + std::to_string(m_clientPort));
        return;
    }
    m_rtp->SetRecvCallback(MakeCallback(&RtspClient::HandleRtp, this));
    m_rtcp->SetRecvCallback(MakeCallback(&RtspClient::HandleRtcp, this));
    m_control = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_control->Bind();
    m_control->SetConnectCallback(MakeCallback(&RtspClient::HandleConnected, this),
                                  MakeCallback(&RtspClient::HandleConnectFailed, this));
    m_control->SetRecvCallback(MakeCallback(&RtspClient::HandleRead, this));
    m_control->SetCloseCallbacks(MakeCallback(&RtspClient::HandleClose, this),
                                 MakeCallback(&RtspClient::HandleClose, this));
    m_state = ST_CONNECT;
    m_control->Connect(InetSocketAddress(m_remote, m_remotePort));
    m_timer = Simulator::Schedule(m_timeout, &RtspClient::HandleTimeout, this);
}

void
RtspClient::StopApplication()
{
    NS_LOG_FUNCTION(this);
    CloseAll();
}

void
RtspClient::CloseAll()
{
    m_timer.Cancel();
    m_watchEvent.Cancel();
    if (m_control)
    {
        CloseAppSocket(m_control);
        m_control = nullptr;
    }
    for (Ptr<Socket>* s : {&m_rtp, &m_rtcp})
    {
        if (*s)
        {
            CloseAppSocket(*s);
            *s = nullptr;
        }
    }
}

void
RtspClient::HandleConnected(Ptr<Socket>)
{
    SendRequest("OPTIONS", BaseUrl());
    m_state = ST_OPTIONS;
}

void
RtspClient::HandleConnectFailed(Ptr<Socket>)
{
    Finish("connection refused");
}

void
RtspClient::HandleClose(Ptr<Socket>)
{
    if (m_state != ST_DONE)
    {
        Finish("connection closed");
    }
}

void
RtspClient::SendRequest(const std::string& method,
                        const std::string& uri,
                        const std::vector<std::pair<std::string, std::string>>& headers)
{
    std::vector<std::pair<std::string, std::string>> h = headers;
    if (!m_session.empty())
    {
        h.emplace_back("Session", m_session);
    }
    h.emplace_back("User-Agent", "ns-3 RtspClient");
    std::string text = BuildRtspRequest(method, uri, ++m_cseq, h);
    m_pending = method;
    NS_LOG_INFO("RtspClient: " << method << " " << uri << " CSeq " << m_cseq);
    m_control->Send(reinterpret_cast<const uint8_t*>(text.data()),
                    static_cast<uint32_t>(text.size()),
                    0);
    m_timer.Cancel();
    m_timer = Simulator::Schedule(m_timeout, &RtspClient::HandleTimeout, this);
}

void
RtspClient::HandleRead(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        std::string chunk(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(&chunk[0]), chunk.size());
        m_rx += chunk;
    }
    while (!m_rx.empty() && m_state != ST_DONE)
    {
        RtspMessage msg;
        std::string error;
        auto st = ParseRtspMessage(reinterpret_cast<const uint8_t*>(m_rx.data()),
                                   m_rx.size(),
                                   msg,
                                   &error);
        if (st == RtspParseStatus::INCOMPLETE)
        {
            return;
        }
        if (st == RtspParseStatus::INVALID)
        {
            NS_LOG_INFO("RtspClient: bad reply: " << error);
            Finish("bad reply");
            return;
        }
        std::string text = m_rx.substr(0, msg.length);
        m_rx.erase(0, msg.length);
        if (!msg.interleavedFrame && !msg.request)
        {
            HandleReply(msg, text);
        }
    }
}

void
RtspClient::HandleReply(const RtspMessage& msg, const std::string& text)
{
    if (!msg.hasCSeq || msg.cseq != m_cseq || m_pending.empty())
    {
        NS_LOG_INFO("RtspClient: reply with CSeq " << msg.cseq << " ignored");
        return;
    }
    std::string method = m_pending;
    m_pending.clear();
    m_timer.Cancel();
    m_replyTrace(method, msg.statusCode);
    if (msg.statusCode < 200 || msg.statusCode >= 300)
    {
        Finish(method + " reply " + std::to_string(msg.statusCode));
        return;
    }
    if (method == "OPTIONS")
    {
        m_state = ST_DESCRIBE;
        SendRequest("DESCRIBE", BaseUrl(), {{"Accept", "application/sdp"}});
        return;
    }
    if (method == "DESCRIBE")
    {
        m_sdp = msg.Body(reinterpret_cast<const uint8_t*>(text.data()));
        const RtspHeaderField* baseHeader = msg.Find("Content-Base");
        std::string base = baseHeader ? baseHeader->value : BaseUrl() + "/";
        // The first media's a=control: names the track.
        std::string control;
        std::size_t m = m_sdp.find("\nm=");
        if (m != std::string::npos)
        {
            std::size_t a = m_sdp.find("\na=control:", m);
            std::size_t next = m_sdp.find("\nm=", m + 1);
            if (a != std::string::npos && (next == std::string::npos || a < next))
            {
                std::size_t end = m_sdp.find_first_of("\r\n", a + 11);
                control = m_sdp.substr(a + 11, end == std::string::npos ? end : end - a - 11);
            }
        }
        if (control.rfind("rtsp://", 0) == 0)
        {
            m_trackUrl = control;
        }
        else if (!control.empty() && control != "*")
        {
            m_trackUrl = base + (base.empty() || base.back() == '/' ? "" : "/") + control;
        }
        else
        {
            m_trackUrl = BaseUrl();
        }
        m_state = ST_SETUP;
        SendRequest(
            "SETUP",
            m_trackUrl,
            {{"Transport",
              "RTP/AVP;unicast;client_port=" +
                  FormatRtspPortRange(m_clientPort, static_cast<uint16_t>(m_clientPort + 1))}});
        return;
    }
    if (method == "SETUP")
    {
        if (msg.session.empty())
        {
            Finish("bad reply");
            return;
        }
        m_session = msg.session;
        const RtspHeaderField* t = msg.Find("Transport");
        m_transport = t ? t->value : "";
        for (const auto& spec : msg.transports)
        {
            if (spec.serverPort.present)
            {
                m_serverPort = spec.serverPort.lo;
                break;
            }
        }
        if (m_play)
        {
            m_state = ST_PLAY;
            SendRequest("PLAY", BaseUrl(), {{"Range", "npt=0.000-"}});
        }
        else
        {
            m_state = ST_WATCH;
            m_watchEvent = Simulator::Schedule(m_playDuration, &RtspClient::EndWatching, this);
        }
        return;
    }
    if (method == "PLAY")
    {
        m_setupDelay = Simulator::Now() - m_start;
        m_state = ST_WATCH;
        m_watchEvent = Simulator::Schedule(m_playDuration, &RtspClient::EndWatching, this);
        return;
    }
    if (method == "TEARDOWN")
    {
        m_state = ST_DONE;
        m_completed = true;
        if (m_control)
        {
            m_control->Close();
        }
    }
}

void
RtspClient::EndWatching()
{
    if (m_teardown)
    {
        m_state = ST_TEARDOWN;
        SendRequest("TEARDOWN", BaseUrl());
        return;
    }
    m_state = ST_DONE;
    m_completed = true;
    m_timer.Cancel();
    if (m_control)
    {
        m_control->Close();
    }
}

void
RtspClient::HandleTimeout()
{
    std::string what = m_pending.empty() ? std::string("connection") : m_pending + " reply";
    Finish("timeout waiting for " + what);
}

void
RtspClient::Finish(const std::string& reason)
{
    if (m_state == ST_DONE)
    {
        return;
    }
    m_state = ST_DONE;
    m_failed = true;
    m_reason = reason;
    NS_LOG_INFO("RtspClient: failed: " << reason);
    m_timer.Cancel();
    m_watchEvent.Cancel();
    if (m_control)
    {
        CloseAppSocket(m_control);
        m_control = nullptr;
    }
}

void
RtspClient::HandleRtp(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        uint8_t h[12];
        if (p->GetSize() < 12 || p->CopyData(h, 12) != 12 || (h[0] >> 6) != 2)
        {
            continue;
        }
        uint16_t seq = static_cast<uint16_t>(h[2] << 8 | h[3]);
        if (m_rtpPackets == 0)
        {
            m_firstSeq = seq;
            m_highestSeq = seq;
            m_firstRtp = Simulator::Now();
            if (InetSocketAddress::IsMatchingType(from))
            {
                m_mediaSource = InetSocketAddress::ConvertFrom(from).GetIpv4();
            }
        }
        else
        {
            auto delta = static_cast<uint16_t>(seq - static_cast<uint16_t>(m_highestSeq));
            if (delta != 0 && delta < 0x8000)
            {
                m_highestSeq += delta;
            }
        }
        ++m_rtpPackets;
        m_rtpBytes += p->GetSize();
        m_rtpRxTrace(p, from);
    }
}

void
RtspClient::HandleRtcp(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        uint8_t h[2];
        if (p->GetSize() >= 8 && p->CopyData(h, 2) == 2 && (h[0] >> 6) == 2)
        {
            ++m_rtcpPackets;
        }
    }
}

} // namespace ns3
