/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rtsp-server.h"

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

#include <boost/endian/conversion.hpp>
#include <cstdio>
#include <sstream>
#include <vector>

namespace ns3
{

using boost::endian::store_big_u32;

NS_LOG_COMPONENT_DEFINE("RtspServer");
NS_OBJECT_ENSURE_REGISTERED(RtspServer);

namespace
{

/// Largest unparsed request text kept per connection.
constexpr std::size_t MAX_PENDING = RTSP_MAX_BODY + 16384;

/// \return \p v as \p digits hex digits (upper case)
std::string
Hex(uint32_t v, int digits = 8)
{
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%0*X", digits, v);
    return buf;
}

/// \return the path of an rtsp:// URL ("/media/trackID=0"), or the text itself
std::string
UrlPath(const std::string& uri)
{
    std::size_t scheme = uri.find("://");
    if (scheme == std::string::npos)
    {
        return uri;
    }
    std::size_t slash = uri.find('/', scheme + 3);
    return slash == std::string::npos ? "/" : uri.substr(slash);
}

} // namespace

TypeId
RtspServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RtspServer")
            .SetParent<Application>()
            .SetGroupName("FortiGate")
            .AddConstructor<RtspServer>()
            .AddAttribute("Port",
                          "TCP port of the RTSP control connection",
                          UintegerValue(RTSP_DEFAULT_PORT),
                          MakeUintegerAccessor(&RtspServer::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("ServerPort",
                          "First server RTP port (even); each SETUP takes the next pair",
                          UintegerValue(6970),
                          MakeUintegerAccessor(&RtspServer::m_serverPort),
                          MakeUintegerChecker<uint16_t>(1024, 65000))
            .AddAttribute("PacketInterval",
                          "Time between RTP packets",
                          TimeValue(MilliSeconds(20)),
                          MakeTimeAccessor(&RtspServer::m_interval),
                          MakeTimeChecker(MicroSeconds(100)))
            .AddAttribute("PayloadSize",
                          "RTP payload bytes per packet",
                          UintegerValue(160),
                          MakeUintegerAccessor(&RtspServer::m_payloadSize),
                          MakeUintegerChecker<uint32_t>(1, 1400))
            .AddAttribute("StreamDuration",
                          "How long a PLAY streams",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&RtspServer::m_duration),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("RtcpInterval",
                          "Time between RTCP sender reports (0 = none)",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&RtspServer::m_rtcpInterval),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("PayloadType",
                          "RTP payload type (0 = PCMU, 96.. dynamic)",
                          UintegerValue(0),
                          MakeUintegerAccessor(&RtspServer::m_payloadType),
                          MakeUintegerChecker<uint8_t>(0, 127))
            .AddAttribute("ClockRate",
                          "RTP clock rate (Hz)",
                          UintegerValue(8000),
                          MakeUintegerAccessor(&RtspServer::m_clockRate),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("Path",
                          "Presentation path in the URL",
                          StringValue("/media"),
                          MakeStringAccessor(&RtspServer::m_path),
                          MakeStringChecker())
            .AddAttribute("AnnounceSource",
                          "Add source=<own address> to the SETUP reply's Transport",
                          BooleanValue(false),
                          MakeBooleanAccessor(&RtspServer::m_announceSource),
                          MakeBooleanChecker())
            .AddTraceSource("Request",
                            "An RTSP request arrived (method, whole message)",
                            MakeTraceSourceAccessor(&RtspServer::m_requestTrace),
                            "ns3::RtspServer::RequestCallback")
            .AddTraceSource("RtpTx",
                            "An RTP packet was sent",
                            MakeTraceSourceAccessor(&RtspServer::m_rtpTxTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

RtspServer::RtspServer()
    : m_rng(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

RtspServer::~RtspServer()
{
    NS_LOG_FUNCTION(this);
}

int64_t
RtspServer::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

uint32_t
RtspServer::GetRequests() const
{
    return m_requests;
}

uint32_t
RtspServer::GetErrorReplies() const
{
    return m_errors;
}

uint32_t
RtspServer::GetSessionsCreated() const
{
    return m_sessionsCreated;
}

uint64_t
RtspServer::GetRtpPacketsSent() const
{
    return m_rtpPackets;
}

uint64_t
RtspServer::GetRtpBytesSent() const
{
    return m_rtpBytes;
}

uint64_t
RtspServer::GetRtcpPacketsSent() const
{
    return m_rtcpSent;
}

uint64_t
RtspServer::GetRtcpPacketsReceived() const
{
    return m_rtcpReceived;
}

std::string
RtspServer::GetLastSetupTransport() const
{
    return m_lastTransport;
}

uint32_t
RtspServer::GetActiveStreams() const
{
    uint32_t n = 0;
    for (const auto& [id, m] : m_media)
    {
        n += m.playing ? 1 : 0;
    }
    return n;
}

void
RtspServer::DoDispose()
{
    NS_LOG_FUNCTION(this);
    StopApplication();
    m_rng = nullptr;
    Application::DoDispose();
}

void
RtspServer::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_listen)
    {
        return;
    }
    m_nextServerPort = static_cast<uint16_t>(m_serverPort & ~1u);
    m_listen = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    if (m_listen->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) == -1)
    {
        NS_FATAL_ERROR("RtspServer: cannot bind TCP port " << m_port);
    }
    m_listen->Listen();
    m_listen->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                MakeCallback(&RtspServer::HandleAccept, this));
}

void
RtspServer::StopApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_listen)
    {
        CloseAppSocket(m_listen);
        m_listen = nullptr;
    }
    while (!m_media.empty())
    {
        EndSession(m_media.begin()->first);
    }
    while (!m_connections.empty())
    {
        CloseConnection(m_connections.begin()->first);
    }
}

void
RtspServer::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    uint32_t id = m_nextConnection++;
    Connection c;
    c.socket = socket;
    c.peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
    m_connections[id] = c;
    NS_LOG_INFO("RtspServer: connection " << id << " from " << c.peer);
    socket->SetRecvCallback(MakeCallback(&RtspServer::HandleRead, this, id));
    socket->SetCloseCallbacks(MakeCallback(&RtspServer::HandleClose, this, id),
                              MakeCallback(&RtspServer::HandleClose, this, id));
}

void
RtspServer::HandleRead(uint32_t id, Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break; // end of stream
        }
        auto it = m_connections.find(id);
        if (it == m_connections.end())
        {
            return;
        }
        std::string chunk(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(&chunk[0]), chunk.size());
        it->second.rx += chunk;
    }
    while (true)
    {
        auto it = m_connections.find(id);
        if (it == m_connections.end())
        {
            return;
        }
        std::string& rx = it->second.rx;
        if (rx.empty())
        {
            return;
        }
        RtspMessage msg;
        std::string error;
        auto bytes = reinterpret_cast<const uint8_t*>(rx.data());
        RtspParseStatus st = ParseRtspMessage(bytes, rx.size(), msg, &error);
        if (st == RtspParseStatus::INCOMPLETE)
        {
            if (rx.size() > MAX_PENDING)
            {
                Reply(id, 400, 0, {});
                CloseConnection(id);
            }
            return;
        }
        if (st == RtspParseStatus::INVALID || (!msg.interleavedFrame && !msg.request))
        {
            NS_LOG_INFO("RtspServer: bad message on connection " << id << ": " << error);
            Reply(id, 400, msg.hasCSeq ? msg.cseq : 0, {});
            CloseConnection(id);
            return;
        }
        std::string text = rx.substr(0, msg.length);
        rx.erase(0, msg.length);
        if (!msg.interleavedFrame)
        {
            HandleRequest(id, msg, text);
        }
    }
}

void
RtspServer::HandleClose(uint32_t id, Ptr<Socket>)
{
    NS_LOG_INFO("RtspServer: connection " << id << " closed by the peer");
    CloseConnection(id);
}

void
RtspServer::CloseConnection(uint32_t id)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end())
    {
        return;
    }
    Ptr<Socket> s = it->second.socket;
    m_connections.erase(it);
    CloseAppSocket(s);
    // The streams set up on this connection end with it.
    std::vector<std::string> ids;
    for (const auto& [sid, m] : m_media)
    {
        if (m.connection == id)
        {
            ids.push_back(sid);
        }
    }
    for (const auto& sid : ids)
    {
        EndSession(sid);
    }
}

void
RtspServer::Reply(uint32_t id,
                  uint16_t code,
                  uint32_t cseq,
                  const std::vector<std::pair<std::string, std::string>>& headers,
                  const std::string& body)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end())
    {
        return;
    }
    std::vector<std::pair<std::string, std::string>> h{{"Server", "ns-3 RtspServer"}};
    h.insert(h.end(), headers.begin(), headers.end());
    std::string text = BuildRtspReply(code, cseq, h, body);
    if (code >= 400)
    {
        ++m_errors;
    }
    it->second.socket->Send(reinterpret_cast<const uint8_t*>(text.data()),
                            static_cast<uint32_t>(text.size()),
                            0);
}

std::string
RtspServer::Sdp(const std::string& hostAddress) const
{
    std::string encoding = m_payloadType == 0 ? "PCMU" : "L16";
    return "v=0\r\n"
           "o=- 1 1 IN IP4 " +
           hostAddress +
           "\r\n"
           "s=ns-3 RTSP stream\r\n"
           "c=IN IP4 0.0.0.0\r\n"
           "t=0 0\r\n"
           "a=control:*\r\n"
           "m=audio 0 RTP/AVP " +
           std::to_string(m_payloadType) + "\r\na=rtpmap:" + std::to_string(m_payloadType) + " " +
           encoding + "/" + std::to_string(m_clockRate) + "\r\na=control:trackID=0\r\n";
}

void
RtspServer::HandleRequest(uint32_t id, const RtspMessage& msg, const std::string& text)
{
    ++m_requests;
    m_requestTrace(msg.method, text);
    NS_LOG_INFO("RtspServer: " << msg.method << " " << msg.uri << " CSeq " << msg.cseq);
    Connection& conn = m_connections[id];
    if (!msg.hasCSeq)
    {
        Reply(id, 400, 0, {});
        return;
    }
    const uint32_t cseq = msg.cseq;
    const std::string path = UrlPath(msg.uri);
    const bool known =
        path == m_path || path == m_path + "/" || path == m_path + "/trackID=0" || msg.uri == "*";
    MediaSession* media = nullptr;
    if (!msg.session.empty())
    {
        auto m = m_media.find(msg.session);
        if (m == m_media.end())
        {
            Reply(id, 454, cseq, {});
            return;
        }
        media = &m->second;
    }
    const std::string& method = msg.method;
    if (method == "OPTIONS")
    {
        Reply(id,
              200,
              cseq,
              {{"Public", "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER"}});
        return;
    }
    if (!known)
    {
        Reply(id, 404, cseq, {});
        return;
    }
    if (method == "DESCRIBE")
    {
        Address local;
        conn.socket->GetSockName(local);
        std::string host = "0.0.0.0";
        if (InetSocketAddress::IsMatchingType(local))
        {
            std::ostringstream os;
            InetSocketAddress::ConvertFrom(local).GetIpv4().Print(os);
            host = os.str();
        }
        std::string base = msg.uri;
        if (base.empty() || base.back() != '/')
        {
            base += "/";
        }
        Reply(id,
              200,
              cseq,
              {{"Content-Base", base}, {"Content-Type", "application/sdp"}},
              Sdp(host));
        return;
    }
    if (method == "SETUP")
    {
        const RtspTransportSpec* t = nullptr;
        for (const auto& x : msg.transports)
        {
            if (x.IsUdpUnicast() && x.clientPort.present && x.protocol == "RTP" &&
                x.profile == "AVP")
            {
                t = &x;
                break;
            }
        }
        m_lastTransport = msg.Find("Transport") ? msg.Find("Transport")->value : "";
        if (!t)
        {
            Reply(id, 461, cseq, {});
            return;
        }
        if (!media)
        {
            std::string sid =
                Hex(m_rng->GetInteger(0, 0xffffffffu)) + Hex(m_rng->GetInteger(0, 0xffffffffu));
            MediaSession m;
            m.id = sid;
            m.connection = id;
            m.serverRtp = m_nextServerPort;
            m_nextServerPort = static_cast<uint16_t>(m_nextServerPort + 2);
            m.ssrc = m_rng->GetInteger(1, 0xffffffffu);
            m.seq = static_cast<uint16_t>(m_rng->GetInteger(0, 65535));
            m.timestamp = m_rng->GetInteger(0, 0xffffffffu);
            m.rtp = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
            m.rtcp = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
            if (m.rtp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m.serverRtp)) == -1 ||
                m.rtcp->Bind(InetSocketAddress(Ipv4Address::GetAny(),
                                               static_cast<uint16_t>(m.serverRtp + 1))) == -1)
            {
                m.rtp->Close();
                m.rtcp->Close();
                Reply(id, 453, cseq, {});
                return;
            }
            m.rtcp->SetRecvCallback(MakeCallback(&RtspServer::HandleRtcpRead, this));
            m_media[sid] = m;
            media = &m_media[sid];
            ++m_sessionsCreated;
        }
        StopStream(*media);
        media->client = conn.peer;
        media->clientRtp = t->clientPort.lo;
        media->clientRtcp =
            t->clientPort.hi > t->clientPort.lo ? t->clientPort.hi : t->clientPort.lo + 1;
        std::string transport =
            "RTP/AVP/UDP;unicast;client_port=" +
            FormatRtspPortRange(t->clientPort.lo, t->clientPort.hi) + ";server_port=" +
            FormatRtspPortRange(media->serverRtp, static_cast<uint16_t>(media->serverRtp + 1));
        if (m_announceSource)
        {
            Address local;
            conn.socket->GetSockName(local);
            std::ostringstream os;
            InetSocketAddress::ConvertFrom(local).GetIpv4().Print(os);
            transport += ";source=" + os.str();
        }
        transport += ";ssrc=" + Hex(media->ssrc) + ";mode=play";
        Reply(id, 200, cseq, {{"Transport", transport}, {"Session", media->id + ";timeout=60"}});
        return;
    }
    if (method == "PLAY" || method == "PAUSE" || method == "TEARDOWN")
    {
        if (!media)
        {
            Reply(id, 454, cseq, {});
            return;
        }
        if (method == "PLAY")
        {
            StopStream(*media);
            media->playing = true;
            media->playEnd = Simulator::Now() + m_duration;
            std::string info = "url=" + msg.uri + ";seq=" + std::to_string(media->seq) +
                               ";rtptime=" + std::to_string(media->timestamp);
            Reply(id,
                  200,
                  cseq,
                  {{"Range", "npt=0.000-"}, {"RTP-Info", info}, {"Session", media->id}});
            std::string sid = media->id;
            media->sendEvent = Simulator::ScheduleNow(&RtspServer::SendRtp, this, sid);
            if (m_rtcpInterval.IsStrictlyPositive())
            {
                media->rtcpEvent = Simulator::ScheduleNow(&RtspServer::SendRtcp, this, sid);
            }
            return;
        }
        if (method == "PAUSE")
        {
            StopStream(*media);
            Reply(id, 200, cseq, {{"Session", media->id}});
            return;
        }
        std::string sid = media->id;
        EndSession(sid);
        Reply(id, 200, cseq, {});
        return;
    }
    if (method == "GET_PARAMETER" || method == "SET_PARAMETER")
    {
        std::vector<std::pair<std::string, std::string>> h;
        if (media)
        {
            h.emplace_back("Session", media->id);
        }
        Reply(id, 200, cseq, h);
        return;
    }
    Reply(id, 501, cseq, {});
}

void
RtspServer::SendRtp(std::string session)
{
    auto it = m_media.find(session);
    if (it == m_media.end() || !it->second.playing)
    {
        return;
    }
    MediaSession& m = it->second;
    if (Simulator::Now() >= m.playEnd)
    {
        StopStream(m);
        return;
    }
    std::vector<uint8_t> buf(12 + m_payloadSize);
    buf[0] = 0x80; // V=2
    buf[1] = m_payloadType;
    buf[2] = static_cast<uint8_t>(m.seq >> 8);
    buf[3] = static_cast<uint8_t>(m.seq);
    store_big_u32(&buf[4], m.timestamp);
    store_big_u32(&buf[8], m.ssrc);
    for (uint32_t i = 0; i < m_payloadSize; ++i)
    {
        buf[12 + i] = static_cast<uint8_t>(m.seq + i);
    }
    Ptr<Packet> p = Create<Packet>(buf.data(), static_cast<uint32_t>(buf.size()));
    if (m.rtp->SendTo(p, 0, InetSocketAddress(m.client, m.clientRtp)) >= 0)
    {
        ++m_rtpPackets;
        m_rtpBytes += buf.size();
        ++m.packets;
        m.octets += m_payloadSize;
        m_rtpTxTrace(p);
    }
    ++m.seq;
    m.timestamp += static_cast<uint32_t>(m_interval.GetSeconds() * m_clockRate + 0.5);
    m.sendEvent = Simulator::Schedule(m_interval, &RtspServer::SendRtp, this, session);
}

void
RtspServer::SendRtcp(std::string session)
{
    auto it = m_media.find(session);
    if (it == m_media.end() || !it->second.playing)
    {
        return;
    }
    MediaSession& m = it->second;
    // Sender report (RFC 3550 §6.4.1) without report blocks: 28 bytes.
    uint8_t sr[28] = {0x80, 200, 0, 6};
    store_big_u32(&sr[4], m.ssrc);
    double now = Simulator::Now().GetSeconds();
    store_big_u32(&sr[8], static_cast<uint32_t>(now) + 2208988800u); // NTP seconds
    store_big_u32(&sr[12],
                  static_cast<uint32_t>((now - static_cast<uint32_t>(now)) * 4294967296.0));
    store_big_u32(&sr[16], m.timestamp);
    store_big_u32(&sr[20], m.packets);
    store_big_u32(&sr[24], m.octets);
    Ptr<Packet> p = Create<Packet>(sr, sizeof(sr));
    if (m.rtcp->SendTo(p, 0, InetSocketAddress(m.client, m.clientRtcp)) >= 0)
    {
        ++m_rtcpSent;
    }
    m.rtcpEvent = Simulator::Schedule(m_rtcpInterval, &RtspServer::SendRtcp, this, session);
}

void
RtspServer::HandleRtcpRead(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        ++m_rtcpReceived;
    }
}

void
RtspServer::StopStream(MediaSession& m)
{
    m.playing = false;
    m.sendEvent.Cancel();
    m.rtcpEvent.Cancel();
}

void
RtspServer::EndSession(const std::string& session)
{
    auto it = m_media.find(session);
    if (it == m_media.end())
    {
        return;
    }
    StopStream(it->second);
    for (Ptr<Socket> s : {it->second.rtp, it->second.rtcp})
    {
        if (s)
        {
            CloseAppSocket(s);
        }
    }
    m_media.erase(it);
}

} // namespace ns3
