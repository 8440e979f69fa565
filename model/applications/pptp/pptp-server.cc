/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pptp-server.h"

#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

#include <cstdio>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PptpServer");
NS_OBJECT_ENSURE_REGISTERED(PptpServer);

// ---- PptpCallStats -------------------------------------------------------------------------

double
PptpCallStats::RxThroughputBps() const
{
    double span = (lastRx - firstRx).GetSeconds();
    if (rxPackets < 2 || span <= 0)
    {
        return 0;
    }
    // Bytes after the first packet arrived over the time between first and last.
    return static_cast<double>(rxBytes) * 8.0 * (rxPackets - 1) / rxPackets / span;
}

double
PptpCallStats::TxRateBps() const
{
    double span = (lastTx - firstTx).GetSeconds();
    if (txPackets < 2 || span <= 0)
    {
        return 0;
    }
    return static_cast<double>(txBytes) * 8.0 * (txPackets - 1) / txPackets / span;
}

std::string
PptpCallStats::ToString() const
{
    std::ostringstream os;
    os << "call " << localCallId << "<->" << peerCallId << " peer " << peer << " tx " << txPackets
       << " pkts/" << txBytes << " B rx " << rxPackets << " pkts/" << rxBytes << " B lost "
       << rxLost;
    char buf[64];
    std::snprintf(buf, sizeof(buf), " rx %.3f Mbit/s", RxThroughputBps() / 1e6);
    os << buf;
    return os.str();
}

// ---- PptpGreCall ---------------------------------------------------------------------------

PptpGreCall::PptpGreCall(Ptr<Socket> socket,
                         Ipv4Address peer,
                         uint16_t localCallId,
                         uint16_t peerCallId,
                         uint32_t packetSize,
                         DataRate rate)
    : m_socket(socket),
      m_packetSize(packetSize),
      m_rate(rate)
{
    m_stats.peer = peer;
    m_stats.localCallId = localCallId;
    m_stats.peerCallId = peerCallId;
}

PptpGreCall::~PptpGreCall()
{
    Simulator::Cancel(m_sendEvent);
}

void
PptpGreCall::Start(Time delay)
{
    m_stats.active = true;
    m_stats.established = Simulator::Now();
    if (m_rate.GetBitRate() > 0 && m_packetSize > 0 && m_socket)
    {
        Simulator::Cancel(m_sendEvent);
        if (delay.IsZero())
        {
            SendNext();
        }
        else
        {
            m_sendEvent = Simulator::Schedule(delay, &PptpGreCall::SendNext, this);
        }
    }
}

void
PptpGreCall::SetPeerCallId(uint16_t peerCallId)
{
    m_stats.peerCallId = peerCallId;
}

void
PptpGreCall::Stop()
{
    if (m_stats.active)
    {
        m_stats.active = false;
        m_stats.ended = Simulator::Now();
    }
    Simulator::Cancel(m_sendEvent);
}

const PptpCallStats&
PptpGreCall::GetStats() const
{
    return m_stats;
}

Ptr<Packet>
PptpGreCall::MakeDataPacket(uint16_t callId,
                            uint32_t seq,
                            bool withAck,
                            uint32_t ack,
                            uint32_t size)
{
    std::vector<uint8_t> ppp(size, 0);
    const uint8_t head[4] = {0xff, 0x03, 0x00, 0x21}; // PPP address, control, protocol IPv4
    for (uint32_t i = 0; i < 4 && i < size; ++i)
    {
        ppp[i] = head[i];
    }
    Ptr<Packet> p = Create<Packet>(ppp.data(), ppp.size());
    GreHeader gre;
    gre.SetPayloadLength(static_cast<uint16_t>(size));
    gre.SetCallId(callId);
    gre.SetSequenceNumber(seq);
    if (withAck)
    {
        gre.SetAcknowledgment(ack);
    }
    p->AddHeader(gre);
    return p;
}

bool
PptpGreCall::ParseReceived(Ptr<Packet> p, Ipv4Address& from, GreHeader& gre, uint32_t& payloadBytes)
{
    Ipv4Header ip;
    if (p->RemoveHeader(ip) == 0 || ip.GetProtocol() != GRE_IP_PROTOCOL || p->GetSize() < 4)
    {
        return false;
    }
    from = ip.GetSource();
    uint8_t flags[2];
    p->CopyData(flags, 2);
    if (p->GetSize() < GreHeader::SizeFromFlags(flags[0], flags[1]))
    {
        return false;
    }
    p->RemoveHeader(gre);
    if (gre.GetVersion() != 1 || gre.GetProtocolType() != GRE_PROTOCOL_PPP || !gre.HasKey())
    {
        return false;
    }
    payloadBytes = p->GetSize();
    return true;
}

void
PptpGreCall::SendNext()
{
    bool withAck = m_ackPending;
    Ptr<Packet> p =
        MakeDataPacket(m_stats.peerCallId, m_nextSeq, withAck, m_highestRx, m_packetSize);
    if (m_socket->SendTo(p, 0, InetSocketAddress(m_stats.peer, 0)) >= 0)
    {
        if (m_stats.txPackets == 0)
        {
            m_stats.firstTx = Simulator::Now();
        }
        m_stats.lastTx = Simulator::Now();
        ++m_stats.txPackets;
        m_stats.txBytes += m_packetSize;
        ++m_nextSeq;
        if (withAck)
        {
            m_ackPending = false;
            m_lastAckSent = m_highestRx;
        }
    }
    Time gap = m_rate.CalculateBytesTxTime(m_packetSize);
    m_sendEvent = Simulator::Schedule(gap, &PptpGreCall::SendNext, this);
}

void
PptpGreCall::Receive(const GreHeader& gre, uint32_t payloadBytes)
{
    if (gre.HasAcknowledgment())
    {
        ++m_stats.acksReceived;
        m_stats.lastAck = gre.GetAcknowledgment();
    }
    if (!gre.HasSequenceNumber() || payloadBytes == 0)
    {
        return; // acknowledgement only
    }
    uint32_t seq = gre.GetSequenceNumber();
    if (m_stats.rxPackets == 0)
    {
        m_stats.firstRx = Simulator::Now();
    }
    m_stats.lastRx = Simulator::Now();
    ++m_stats.rxPackets;
    m_stats.rxBytes += payloadBytes;
    if (!m_haveRx)
    {
        m_haveRx = true;
        m_stats.rxLost += seq; // the peer starts at 0: earlier ones were lost
        m_highestRx = seq;
    }
    else if (static_cast<int32_t>(seq - m_highestRx) > 0)
    {
        m_stats.rxLost += seq - m_highestRx - 1;
        m_highestRx = seq;
    }
    else
    {
        ++m_stats.rxLate;
        if (m_stats.rxLost > 0)
        {
            --m_stats.rxLost; // a late packet was counted lost when the gap appeared
        }
        return;
    }
    m_ackPending = m_highestRx != m_lastAckSent || m_stats.rxPackets == 1;
}

// ---- PptpServer ----------------------------------------------------------------------------

TypeId
PptpServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PptpServer")
            .SetParent<Application>()
            .SetGroupName("FortiGate")
            .AddConstructor<PptpServer>()
            .AddAttribute("Port",
                          "TCP port of the control connection.",
                          UintegerValue(PPTP_CONTROL_PORT),
                          MakeUintegerAccessor(&PptpServer::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("FirstCallId",
                          "First Call ID the server hands out (then upwards).",
                          UintegerValue(0x4000),
                          MakeUintegerAccessor(&PptpServer::m_firstCallId),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("PacketSize",
                          "PPP bytes per GRE data packet.",
                          UintegerValue(1400),
                          MakeUintegerAccessor(&PptpServer::m_packetSize),
                          MakeUintegerChecker<uint32_t>(0, 65000))
            .AddAttribute("DataRate",
                          "GRE sending rate of each call (0 = send nothing).",
                          DataRateValue(DataRate("1Mbps")),
                          MakeDataRateAccessor(&PptpServer::m_rate),
                          MakeDataRateChecker())
            .AddAttribute("RefuseCalls",
                          "Answer every Outgoing-Call-Request with result 2 (General Error).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&PptpServer::m_refuseCalls),
                          MakeBooleanChecker())
            .AddAttribute("DisconnectNamesPeer",
                          "Call-Disconnect-Notify carries the client's Call ID (as real servers "
                          "send it) rather than the server's own.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&PptpServer::m_disconnectNamesPeer),
                          MakeBooleanChecker())
            .AddAttribute("DataStartDelay",
                          "Time from the Outgoing-Call-Reply to the call's first GRE frame.",
                          TimeValue(MilliSeconds(10)),
                          MakeTimeAccessor(&PptpServer::m_dataStartDelay),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("CallStarted",
                            "A call was connected.",
                            MakeTraceSourceAccessor(&PptpServer::m_callStartedTrace),
                            "ns3::PptpServer::CallCallback")
            .AddTraceSource("CallEnded",
                            "A call ended.",
                            MakeTraceSourceAccessor(&PptpServer::m_callEndedTrace),
                            "ns3::PptpServer::CallCallback");
    return tid;
}

PptpServer::PptpServer()
    : m_port(PPTP_CONTROL_PORT),
      m_firstCallId(0x4000),
      m_packetSize(1400),
      m_rate("1Mbps"),
      m_refuseCalls(false),
      m_disconnectNamesPeer(true),
      m_dataStartDelay(MilliSeconds(10)),
      m_messageCounts(16, 0)
{
}

PptpServer::~PptpServer() = default;

void
PptpServer::DoDispose()
{
    m_calls.clear();
    m_controls.clear();
    m_listener = nullptr;
    m_gre = nullptr;
    Application::DoDispose();
}

std::vector<PptpCallStats>
PptpServer::GetCalls() const
{
    std::vector<PptpCallStats> out;
    for (uint16_t id : m_callOrder)
    {
        auto it = m_calls.find(id);
        if (it != m_calls.end())
        {
            out.push_back(it->second->GetStats());
        }
    }
    return out;
}

uint32_t
PptpServer::GetControlConnections() const
{
    return static_cast<uint32_t>(m_controls.size());
}

const std::vector<uint32_t>&
PptpServer::GetMessageCounts() const
{
    return m_messageCounts;
}

uint64_t
PptpServer::GetUnknownGre() const
{
    return m_unknownGre;
}

uint32_t
PptpServer::GetMalformed() const
{
    return m_malformed;
}

void
PptpServer::StartApplication()
{
    m_nextCallId = m_firstCallId;
    m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&PptpServer::HandleAccept, this));
    m_gre = Socket::CreateSocket(GetNode(), Ipv4RawSocketFactory::GetTypeId());
    m_gre->SetAttribute("Protocol", UintegerValue(GRE_IP_PROTOCOL));
    m_gre->Bind(InetSocketAddress(Ipv4Address::GetAny(), 0));
    m_gre->SetRecvCallback(MakeCallback(&PptpServer::HandleGre, this));
}

void
PptpServer::StopApplication()
{
    for (auto& c : m_controls)
    {
        EndControl(*c);
    }
    if (m_listener)
    {
        CloseAppSocket(m_listener);
    }
    if (m_gre)
    {
        CloseAppSocket(m_gre);
    }
}

void
PptpServer::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    auto c = std::make_unique<Control>();
    c->socket = socket;
    c->peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
    socket->SetRecvCallback(MakeCallback(&PptpServer::HandleRead, this));
    socket->SetCloseCallbacks(MakeCallback(&PptpServer::HandleClose, this),
                              MakeCallback(&PptpServer::HandleClose, this));
    NS_LOG_INFO("pptp server: control connection from " << c->peer);
    m_controls.push_back(std::move(c));
}

PptpServer::Control*
PptpServer::Find(Ptr<Socket> socket)
{
    for (auto& c : m_controls)
    {
        if (c->socket == socket)
        {
            return c.get();
        }
    }
    return nullptr;
}

void
PptpServer::HandleRead(Ptr<Socket> socket)
{
    Control* c = Find(socket);
    if (!c)
    {
        return;
    }
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        size_t at = c->rx.size();
        c->rx.resize(at + p->GetSize());
        p->CopyData(c->rx.data() + at, p->GetSize());
    }
    PptpParseResult r = ParsePptpMessages(c->rx.data(), c->rx.size());
    c->rx.erase(c->rx.begin(), c->rx.begin() + static_cast<std::ptrdiff_t>(r.consumed));
    for (const auto& m : r.messages)
    {
        if (c->closed)
        {
            return;
        }
        HandleMessage(*c, m);
    }
    if (r.status == PptpParseResult::MALFORMED && !c->closed)
    {
        ++m_malformed;
        NS_LOG_INFO("pptp server: " << r.error << ": closing the control connection");
        EndControl(*c);
    }
}

void
PptpServer::HandleClose(Ptr<Socket> socket)
{
    if (Control* c = Find(socket))
    {
        EndControl(*c);
    }
}

void
PptpServer::Send(Control& c, const PptpMessage& m)
{
    std::vector<uint8_t> bytes = SerializePptpMessage(m);
    c.socket->Send(Create<Packet>(bytes.data(), bytes.size()));
}

void
PptpServer::HandleMessage(Control& c, const PptpMessage& m)
{
    ++m_messageCounts[m.type];
    NS_LOG_INFO("pptp server: " << PptpMessageName(m.type) << " from " << c.peer << " call "
                                << m.callId);
    switch (m.type)
    {
    case PPTP_START_CONTROL_REQUEST: {
        PptpMessage reply = MakePptpMessage(PPTP_START_CONTROL_REPLY);
        reply.resultCode = 1;
        reply.framingCapabilities = 3;
        reply.bearerCapabilities = 3;
        reply.maxChannels = 0;
        reply.firmwareRevision = 1;
        reply.hostName = "ns3-pptp-server";
        reply.vendor = "ns-3 fortigate";
        Send(c, reply);
        break;
    }
    case PPTP_ECHO_REQUEST: {
        PptpMessage reply = MakePptpMessage(PPTP_ECHO_REPLY);
        reply.identifier = m.identifier;
        reply.resultCode = 1;
        Send(c, reply);
        break;
    }
    case PPTP_OUTGOING_CALL_REQUEST: {
        PptpMessage reply = MakePptpMessage(PPTP_OUTGOING_CALL_REPLY);
        reply.peerCallId = m.callId;
        reply.connectSpeed = 100000000;
        reply.recvWindow = 64;
        if (m_refuseCalls)
        {
            reply.resultCode = 2; // General Error
            Send(c, reply);
            break;
        }
        uint16_t id = m_nextCallId++;
        while (m_calls.count(id))
        {
            id = m_nextCallId++;
        }
        reply.callId = id;
        reply.resultCode = 1; // Connected
        Send(c, reply);
        auto call =
            std::make_unique<PptpGreCall>(m_gre, c.peer, id, m.callId, m_packetSize, m_rate);
        call->Start(m_dataStartDelay);
        c.callIds.push_back(id);
        m_callOrder.push_back(id);
        m_callStartedTrace(call->GetStats());
        m_calls[id] = std::move(call);
        break;
    }
    case PPTP_CALL_CLEAR_REQUEST: {
        // The client names its own Call ID: find the call of this connection it belongs to.
        for (uint16_t id : c.callIds)
        {
            auto it = m_calls.find(id);
            if (it == m_calls.end() || !it->second->GetStats().active ||
                it->second->GetStats().peerCallId != m.callId)
            {
                continue;
            }
            PptpMessage notify = MakePptpMessage(PPTP_CALL_DISCONNECT_NOTIFY);
            notify.callId = m_disconnectNamesPeer ? m.callId : id;
            notify.resultCode = 4; // Request (Call-Clear-Request received)
            EndCall(id);
            Send(c, notify);
            break;
        }
        break;
    }
    case PPTP_STOP_CONTROL_REQUEST: {
        for (uint16_t id : c.callIds)
        {
            EndCall(id);
        }
        PptpMessage reply = MakePptpMessage(PPTP_STOP_CONTROL_REPLY);
        reply.resultCode = 1;
        Send(c, reply);
        break;
    }
    default:
        break; // Set-Link-Info, replies: nothing to answer
    }
}

void
PptpServer::EndCall(uint16_t callId)
{
    auto it = m_calls.find(callId);
    if (it == m_calls.end() || !it->second->GetStats().active)
    {
        return;
    }
    it->second->Stop();
    NS_LOG_INFO("pptp server: call " << callId << " ended: " << it->second->GetStats().ToString());
    m_callEndedTrace(it->second->GetStats());
}

void
PptpServer::EndControl(Control& c)
{
    for (uint16_t id : c.callIds)
    {
        EndCall(id);
    }
    if (!c.closed)
    {
        c.closed = true;
        CloseAppSocket(c.socket);
    }
}

void
PptpServer::HandleGre(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        Ipv4Address src;
        GreHeader gre;
        uint32_t bytes = 0;
        if (!PptpGreCall::ParseReceived(p, src, gre, bytes))
        {
            ++m_unknownGre;
            continue;
        }
        auto it = m_calls.find(gre.GetCallId());
        if (it == m_calls.end())
        {
            ++m_unknownGre;
            continue;
        }
        it->second->Receive(gre, bytes);
    }
}

} // namespace ns3
