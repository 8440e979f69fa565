/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rtp-stream.h"

#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/config-error.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <boost/endian/conversion.hpp>
#include <cmath>
#include <sstream>

namespace ns3
{

using boost::endian::load_big_u16;
using boost::endian::load_big_u32;

NS_LOG_COMPONENT_DEFINE("RtpStream");
NS_OBJECT_ENSURE_REGISTERED(RtpStream);

namespace
{

constexpr uint8_t RTCP_SR = 200;   //!< sender report
constexpr uint8_t RTCP_RR = 201;   //!< receiver report
constexpr uint8_t RTCP_SDES = 202; //!< source description
constexpr uint8_t RTCP_BYE = 203;  //!< goodbye

void
Put16(std::vector<uint8_t>& b, uint16_t v)
{
    b.push_back(static_cast<uint8_t>(v >> 8));
    b.push_back(static_cast<uint8_t>(v));
}

void
Put32(std::vector<uint8_t>& b, uint32_t v)
{
    Put16(b, static_cast<uint16_t>(v >> 16));
    Put16(b, static_cast<uint16_t>(v));
}

/// Set the 16-bit length word of the RTCP packet starting at \p start (RFC 3550: words - 1).
void
FixLength(std::vector<uint8_t>& b, std::size_t start)
{
    while ((b.size() - start) % 4 != 0)
    {
        b.push_back(0);
    }
    uint16_t words = static_cast<uint16_t>((b.size() - start) / 4 - 1);
    b[start + 2] = static_cast<uint8_t>(words >> 8);
    b[start + 3] = static_cast<uint8_t>(words);
}

/// NTP-format timestamp of the simulation clock (seconds since start, 32.32 fixed point).
uint64_t
NtpNow()
{
    double t = Simulator::Now().GetSeconds();
    auto sec = static_cast<uint64_t>(t);
    auto frac = static_cast<uint64_t>((t - static_cast<double>(sec)) * 4294967296.0);
    return (sec << 32) | (frac & 0xffffffffu);
}

} // namespace

std::string
RtpDescribeSources(const std::vector<RtpSource>& sources)
{
    if (sources.empty())
    {
        return "none";
    }
    std::ostringstream os;
    for (std::size_t i = 0; i < sources.size(); ++i)
    {
        os << (i ? ", " : "") << sources[i].address << ":" << sources[i].port << " ("
           << sources[i].packets << ")";
    }
    return os.str();
}

TypeId
RtpStream::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RtpStream")
            .SetParent<Application>()
            .SetGroupName("Fortigate")
            .AddConstructor<RtpStream>()
            .AddAttribute("LocalPort",
                          "Local RTP port (RTCP uses LocalPort + 1).",
                          UintegerValue(16384),
                          MakeUintegerAccessor(&RtpStream::m_localPort),
                          MakeUintegerChecker<uint16_t>(1, 65534))
            .AddAttribute("RemoteAddress",
                          "Remote media address.",
                          Ipv4AddressValue(),
                          MakeIpv4AddressAccessor(&RtpStream::m_remote),
                          MakeIpv4AddressChecker())
            .AddAttribute("RemotePort",
                          "Remote RTP port.",
                          UintegerValue(16384),
                          MakeUintegerAccessor(&RtpStream::m_remotePort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("RemoteRtcpPort",
                          "Remote RTCP port; 0 means RemotePort + 1.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&RtpStream::m_remoteRtcp),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("PayloadType",
                          "RTP payload type (0 = PCMU / G.711 mu-law).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&RtpStream::m_payloadType),
                          MakeUintegerChecker<uint8_t>(0, 127))
            .AddAttribute("PayloadSize",
                          "Payload bytes per packet (160 = 20 ms of G.711).",
                          UintegerValue(160),
                          MakeUintegerAccessor(&RtpStream::m_payloadSize),
                          MakeUintegerChecker<uint32_t>(1, 1400))
            .AddAttribute("Interval",
                          "Packetisation interval.",
                          TimeValue(MilliSeconds(20)),
                          MakeTimeAccessor(&RtpStream::m_interval),
                          MakeTimeChecker(MicroSeconds(100)))
            .AddAttribute("ClockRate",
                          "RTP timestamp clock rate in Hz.",
                          UintegerValue(8000),
                          MakeUintegerAccessor(&RtpStream::m_clockRate),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("EnableRtcp",
                          "Send RTCP reports while sending.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&RtpStream::m_rtcpEnabled),
                          MakeBooleanChecker())
            .AddAttribute("RtcpInterval",
                          "RTCP report interval (the first report after half of it).",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&RtpStream::m_rtcpInterval),
                          MakeTimeChecker(MilliSeconds(10)))
            .AddAttribute("Cname",
                          "RTCP SDES CNAME; empty means ns3@<node id>.",
                          StringValue(""),
                          MakeStringAccessor(&RtpStream::m_cname),
                          MakeStringChecker())
            .AddAttribute("Latching",
                          "Symmetric RTP: once RTP arrives, send to its source address:port "
                          "instead of the configured remote.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&RtpStream::m_latching),
                          MakeBooleanChecker())
            .AddTraceSource("Rx",
                            "An RTP packet arrived.",
                            MakeTraceSourceAccessor(&RtpStream::m_rxTrace),
                            "ns3::RtpStream::RxCallback")
            .AddTraceSource("Tx",
                            "An RTP packet was sent.",
                            MakeTraceSourceAccessor(&RtpStream::m_txTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

RtpStream::RtpStream()
    : m_localPort(16384),
      m_remotePort(16384),
      m_remoteRtcp(0),
      m_payloadType(0),
      m_payloadSize(160),
      m_interval(MilliSeconds(20)),
      m_clockRate(8000),
      m_rtcpEnabled(true),
      m_rtcpInterval(Seconds(5)),
      m_latching(false)
{
    NS_LOG_FUNCTION(this);
    m_rng = CreateObject<UniformRandomVariable>();
}

RtpStream::~RtpStream()
{
    NS_LOG_FUNCTION(this);
}

void
RtpStream::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Close();
    m_rng = nullptr;
    Application::DoDispose();
}

int64_t
RtpStream::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
RtpStream::StartApplication()
{
    NS_LOG_FUNCTION(this);
    Open();
    StartSending();
}

void
RtpStream::StopApplication()
{
    NS_LOG_FUNCTION(this);
    Close();
}

void
RtpStream::Open()
{
    NS_LOG_FUNCTION(this);
    if (m_rtpSocket)
    {
        return;
    }
    Ptr<Node> node = GetNode();
    if (!node)
    {
        throw ConfigError("RtpStream: node not set (SetNode before Open)");
    }
    if (m_localPort == 0 || m_localPort == 65535)
    {
        throw ConfigError("RtpStream: LocalPort " + std::to_string(m_localPort) +
                          " leaves no room for RTCP on LocalPort + 1");
    }
    Ptr<Socket> rtp = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    if (rtp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_localPort)) != 0)
    {
        rtp->Close();
        throw ConfigError("RtpStream: LocalPort " + std::to_string(m_localPort) +
                          " is in use on node " + std::to_string(node->GetId()));
    }
    Ptr<Socket> rtcp = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    if (rtcp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_localPort + 1)) != 0)
    {
        rtp->Close();
        rtcp->Close();
        throw ConfigError("RtpStream: RTCP port " + std::to_string(m_localPort + 1) +
                          " (LocalPort + 1) is in use on node " + std::to_string(node->GetId()));
    }
    m_rtpSocket = rtp;
    m_rtcpSocket = rtcp;
    m_rtpSocket->SetRecvCallback(MakeCallback(&RtpStream::HandleRtp, this));
    m_rtcpSocket->SetRecvCallback(MakeCallback(&RtpStream::HandleRtcp, this));
    if (m_cname.empty())
    {
        m_cname = "ns3@" + std::to_string(node->GetId());
    }
}

void
RtpStream::SetRemote(Ipv4Address address, uint16_t rtpPort, uint16_t rtcpPort)
{
    NS_LOG_FUNCTION(this << address << rtpPort << rtcpPort);
    if (m_latched)
    {
        return; // symmetric RTP: the source we latched onto wins over signalled addresses
    }
    m_remote = address;
    m_remotePort = rtpPort;
    m_remoteRtcp = rtcpPort;
}

uint16_t
RtpStream::RemoteRtcp() const
{
    return m_remoteRtcp ? m_remoteRtcp : static_cast<uint16_t>(m_remotePort + 1);
}

void
RtpStream::StartSending()
{
    NS_LOG_FUNCTION(this);
    if (m_sending)
    {
        return;
    }
    Open();
    if (!m_ssrcChosen)
    {
        m_ssrc = m_rng->GetInteger(1, 0xfffffffeu);
        m_seq = static_cast<uint16_t>(m_rng->GetInteger(0, 65535));
        m_timestamp = m_rng->GetInteger(0, 0xffffffffu);
        m_ssrcChosen = true;
    }
    m_sending = true;
    SendRtp();
    if (m_rtcpEnabled && !m_rtcpEvent.IsRunning())
    {
        m_rtcpEvent = Simulator::Schedule(m_rtcpInterval / 2, &RtpStream::RtcpTimer, this);
    }
}

void
RtpStream::StopSending()
{
    NS_LOG_FUNCTION(this);
    if (!m_sending)
    {
        return;
    }
    m_sending = false;
    m_sendEvent.Cancel();
    if (m_rtcpEvent.IsRunning())
    {
        m_rtcpEvent.Cancel();
        SendRtcp(true);
    }
}

void
RtpStream::Close()
{
    NS_LOG_FUNCTION(this);
    StopSending();
    m_rtcpEvent.Cancel();
    for (Ptr<Socket>* s : {&m_rtpSocket, &m_rtcpSocket})
    {
        if (*s)
        {
            CloseAppSocket(*s);
            *s = nullptr;
        }
    }
}

void
RtpStream::SetRandom(Ptr<UniformRandomVariable> rng)
{
    if (rng)
    {
        m_rng = rng;
    }
}

bool
RtpStream::IsSending() const
{
    return m_sending;
}

bool
RtpStream::IsOpen() const
{
    return m_rtpSocket != nullptr;
}

bool
RtpStream::MediaReceived() const
{
    return m_stats.packetsReceived > 0;
}

const RtpStreamStats&
RtpStream::GetStats() const
{
    return m_stats;
}

uint16_t
RtpStream::GetLocalPort() const
{
    return m_localPort;
}

uint32_t
RtpStream::GetSsrc() const
{
    return m_ssrc;
}

Ipv4Address
RtpStream::GetRemoteAddress() const
{
    return m_remote;
}

uint16_t
RtpStream::GetRemotePort() const
{
    return m_remotePort;
}

std::string
RtpStream::GetSummary() const
{
    std::ostringstream os;
    os << "rtp :" << m_localPort << " -> " << m_remote << ":" << m_remotePort << " sent "
       << m_stats.packetsSent << " received " << m_stats.packetsReceived << " from "
       << RtpDescribeSources(m_stats.sources) << " lost " << m_stats.lost;
    if (m_stats.packetsReceived)
    {
        os << " first " << m_stats.firstRx.GetSeconds() << " s last " << m_stats.lastRx.GetSeconds()
           << " s";
    }
    os << " rtcp sent " << m_stats.rtcpSent << " received " << m_stats.rtcpReceived;
    return os.str();
}

void
RtpStream::SendRtp()
{
    if (!m_sending || !m_rtpSocket)
    {
        return;
    }
    std::vector<uint8_t> b;
    b.reserve(12 + m_payloadSize);
    b.push_back(0x80); // V=2, no padding, no extension, CC=0
    b.push_back(static_cast<uint8_t>((m_payloadType & 0x7f) | (m_sentAny ? 0 : 0x80))); // M
    Put16(b, m_seq);
    Put32(b, m_timestamp);
    Put32(b, m_ssrc);
    b.resize(12 + m_payloadSize, 0xff); // mu-law silence
    if (!m_sentAny)
    {
        m_firstSeq = m_seq;
        m_sentAny = true;
    }
    Ptr<Packet> p = Create<Packet>(b.data(), static_cast<uint32_t>(b.size()));
    m_txTrace(p);
    if (m_rtpSocket->SendTo(p, 0, InetSocketAddress(m_remote, m_remotePort)) >= 0)
    {
        ++m_stats.packetsSent;
        m_stats.bytesSent += m_payloadSize;
    }
    ++m_seq;
    m_timestamp += static_cast<uint32_t>(
        std::llround(m_interval.GetSeconds() * static_cast<double>(m_clockRate)));
    m_sendEvent = Simulator::Schedule(m_interval, &RtpStream::SendRtp, this);
}

void
RtpStream::RtcpTimer()
{
    if (!m_sending)
    {
        return;
    }
    SendRtcp(false);
    m_rtcpEvent = Simulator::Schedule(m_rtcpInterval, &RtpStream::RtcpTimer, this);
}

void
RtpStream::SendRtcp(bool bye)
{
    if (!m_rtcpSocket || !m_rtcpEnabled)
    {
        return;
    }
    std::vector<uint8_t> b;
    bool haveBlock = m_rxStarted;
    uint8_t rc = haveBlock ? 1 : 0;
    std::size_t start = b.size();
    b.push_back(static_cast<uint8_t>(0x80 | rc));
    b.push_back(m_sentAny ? RTCP_SR : RTCP_RR);
    Put16(b, 0);
    Put32(b, m_ssrc);
    if (m_sentAny)
    {
        uint64_t ntp = NtpNow();
        Put32(b, static_cast<uint32_t>(ntp >> 32));
        Put32(b, static_cast<uint32_t>(ntp));
        Put32(b, m_timestamp);
        Put32(b, static_cast<uint32_t>(m_stats.packetsSent));
        Put32(b, static_cast<uint32_t>(m_stats.bytesSent));
    }
    if (haveBlock)
    {
        uint32_t extMax = m_cycles + m_maxSeq;
        uint32_t expected = extMax - m_baseSeq + 1;
        int64_t lost = static_cast<int64_t>(expected) - static_cast<int64_t>(m_mainReceived);
        lost = std::max<int64_t>(-0x800000, std::min<int64_t>(0x7fffff, lost));
        uint32_t expectedInterval = expected - m_expectedPrior;
        uint64_t receivedInterval = m_mainReceived - m_receivedPrior;
        m_expectedPrior = expected;
        m_receivedPrior = m_mainReceived;
        int64_t lostInterval =
            static_cast<int64_t>(expectedInterval) - static_cast<int64_t>(receivedInterval);
        uint8_t fraction = 0;
        if (expectedInterval != 0 && lostInterval > 0)
        {
            fraction = static_cast<uint8_t>((lostInterval << 8) / expectedInterval);
        }
        Put32(b, m_stats.remoteSsrc);
        Put32(b, (uint32_t(fraction) << 24) | (static_cast<uint32_t>(lost) & 0xffffff));
        Put32(b, extMax);
        Put32(b, static_cast<uint32_t>(m_stats.jitter * m_clockRate));
        Put32(b, m_lastSrNtpMiddle);
        uint32_t dlsr = 0;
        if (m_lastSrNtpMiddle != 0)
        {
            dlsr = static_cast<uint32_t>((Simulator::Now() - m_lastSrArrival).GetSeconds() * 65536);
        }
        Put32(b, dlsr);
    }
    FixLength(b, start);
    // SDES with CNAME
    start = b.size();
    b.push_back(0x81);
    b.push_back(RTCP_SDES);
    Put16(b, 0);
    Put32(b, m_ssrc);
    b.push_back(1); // CNAME
    std::string cname = m_cname.substr(0, 255);
    b.push_back(static_cast<uint8_t>(cname.size()));
    b.insert(b.end(), cname.begin(), cname.end());
    b.push_back(0); // END
    FixLength(b, start);
    if (bye)
    {
        start = b.size();
        b.push_back(0x81);
        b.push_back(RTCP_BYE);
        Put16(b, 0);
        Put32(b, m_ssrc);
        FixLength(b, start);
    }
    Ptr<Packet> p = Create<Packet>(b.data(), static_cast<uint32_t>(b.size()));
    if (m_rtcpSocket->SendTo(p, 0, InetSocketAddress(m_remote, RemoteRtcp())) >= 0)
    {
        ++m_stats.rtcpSent;
    }
}

void
RtpStream::CountSource(std::vector<RtpSource>& list, Ipv4Address a, uint16_t port)
{
    for (RtpSource& s : list)
    {
        if (s.address == a && s.port == port)
        {
            ++s.packets;
            return;
        }
    }
    list.push_back(RtpSource{a, port, 1});
}

void
RtpStream::HandleRtp(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        InetSocketAddress src = InetSocketAddress::ConvertFrom(from);
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), static_cast<uint32_t>(b.size()));
        if (b.size() < 12 || (b[0] >> 6) != 2)
        {
            ++m_stats.invalidReceived;
            continue;
        }
        std::size_t header = 12 + 4u * (b[0] & 0x0f);
        if (b[0] & 0x10) // extension
        {
            if (b.size() < header + 4)
            {
                ++m_stats.invalidReceived;
                continue;
            }
            header += 4 + 4u * load_big_u16(&b[header + 2]);
        }
        std::size_t padding = (b[0] & 0x20) ? b.back() : 0;
        if (b.size() < header + padding)
        {
            ++m_stats.invalidReceived;
            continue;
        }
        uint16_t seq = load_big_u16(&b[2]);
        uint32_t ts = load_big_u32(&b[4]);
        uint32_t ssrc = load_big_u32(&b[8]);
        Time now = Simulator::Now();
        ++m_stats.packetsReceived;
        m_stats.bytesReceived += b.size() - header - padding;
        if (m_stats.packetsReceived == 1)
        {
            m_stats.firstRx = now;
        }
        m_stats.lastRx = now;
        CountSource(m_stats.sources, src.GetIpv4(), src.GetPort());
        if (m_latching && !m_latched)
        {
            m_latched = true;
            if (src.GetIpv4() != m_remote || src.GetPort() != m_remotePort)
            {
                NS_LOG_INFO("latching RTP to " << src.GetIpv4() << ":" << src.GetPort());
                m_remote = src.GetIpv4();
                m_remotePort = src.GetPort();
                m_remoteRtcp = static_cast<uint16_t>(src.GetPort() + 1);
            }
        }
        if (std::find(m_ssrcs.begin(), m_ssrcs.end(), ssrc) == m_ssrcs.end())
        {
            m_ssrcs.push_back(ssrc);
            m_stats.ssrcCount = static_cast<uint32_t>(m_ssrcs.size());
        }
        m_rxTrace(seq, ssrc, src.GetIpv4(), src.GetPort());

        if (!m_rxStarted)
        {
            m_rxStarted = true;
            m_stats.remoteSsrc = ssrc;
            m_baseSeq = seq;
            m_maxSeq = seq;
            m_cycles = 0;
        }
        if (ssrc != m_stats.remoteSsrc)
        {
            continue; // counted above; loss statistics follow the main source only
        }
        // Extended sequence number (RFC 3550 A.1, without the probation/restart logic).
        uint16_t udelta = static_cast<uint16_t>(seq - m_maxSeq);
        uint32_t ext;
        if (m_mainReceived == 0)
        {
            ext = seq;
        }
        else if (udelta < 3000)
        {
            if (seq < m_maxSeq)
            {
                m_cycles += 65536;
            }
            m_maxSeq = seq;
            ext = m_cycles + seq;
        }
        else
        {
            // older than the highest seen (reordered or duplicate)
            ext = m_cycles + seq;
            if (seq > m_maxSeq && m_cycles >= 65536)
            {
                ext -= 65536;
            }
            ++m_stats.reordered;
        }
        if (ext >= m_baseSeq)
        {
            std::size_t idx = ext - m_baseSeq;
            if (idx >= m_seen.size())
            {
                m_seen.resize(idx + 1024, false);
            }
            if (m_seen[idx])
            {
                ++m_stats.duplicates;
                if (udelta >= 3000)
                {
                    --m_stats.reordered; // a duplicate, not a reordering
                }
                continue;
            }
            m_seen[idx] = true;
        }
        ++m_mainReceived;
        uint32_t expected = m_cycles + m_maxSeq - m_baseSeq + 1;
        m_stats.lost = static_cast<int64_t>(expected) - static_cast<int64_t>(m_mainReceived);
        // Interarrival jitter (RFC 3550 6.4.1), in seconds; timestamp differences are taken
        // modulo 2^32 so a wrapping timestamp does not disturb it.
        if (m_haveTransit)
        {
            double d = (now - m_lastArrival).GetSeconds() -
                       static_cast<double>(static_cast<int32_t>(ts - m_lastTs)) / m_clockRate;
            m_stats.jitter += (std::fabs(d) - m_stats.jitter) / 16.0;
        }
        m_lastArrival = now;
        m_lastTs = ts;
        m_haveTransit = true;
    }
}

void
RtpStream::HandleRtcp(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        InetSocketAddress src = InetSocketAddress::ConvertFrom(from);
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), static_cast<uint32_t>(b.size()));
        if (b.size() < 8 || (b[0] >> 6) != 2 || (b[1] != RTCP_SR && b[1] != RTCP_RR))
        {
            continue; // RFC 3550 6.1: a compound packet starts with SR or RR
        }
        ++m_stats.rtcpReceived;
        CountSource(m_stats.rtcpSources, src.GetIpv4(), src.GetPort());
        ParseRtcp(b.data(), static_cast<uint32_t>(b.size()));
    }
}

void
RtpStream::ParseRtcp(const uint8_t* data, uint32_t size)
{
    Time now = Simulator::Now();
    m_stats.peerReportTime = now;
    bool aboutUs = false;
    uint32_t off = 0;
    while (off + 4 <= size)
    {
        const uint8_t* h = data + off;
        if ((h[0] >> 6) != 2)
        {
            break;
        }
        uint32_t len = (uint32_t(load_big_u16(h + 2)) + 1) * 4;
        if (off + len > size)
        {
            break;
        }
        uint8_t count = h[0] & 0x1f;
        uint8_t pt = h[1];
        uint32_t blocks = 0;
        if (pt == RTCP_SR && len >= 28)
        {
            m_lastSrNtpMiddle = (load_big_u32(h + 8) << 16) | (load_big_u32(h + 12) >> 16);
            m_lastSrArrival = now;
            blocks = 28;
        }
        else if (pt == RTCP_RR && len >= 8)
        {
            blocks = 8;
        }
        if (blocks)
        {
            for (uint8_t i = 0; i < count && blocks + 24 <= len; ++i, blocks += 24)
            {
                const uint8_t* rb = h + blocks;
                if (load_big_u32(rb) != m_ssrc || !m_sentAny)
                {
                    continue;
                }
                uint32_t cum = load_big_u32(rb + 4) & 0xffffff;
                int64_t cumLost = (cum & 0x800000) ? static_cast<int64_t>(cum) - 0x1000000
                                                   : static_cast<int64_t>(cum);
                uint32_t extMax = load_big_u32(rb + 8);
                int64_t received = static_cast<int64_t>(extMax - m_firstSeq) + 1 - cumLost;
                m_stats.peerReportedReceived = std::max<int64_t>(0, received);
                aboutUs = true;
            }
        }
        off += len;
    }
    if (!aboutUs && m_stats.peerReportedReceived < 0)
    {
        m_stats.peerReportedReceived = 0; // the peer reports, but has nothing of ours
    }
}

} // namespace ns3
