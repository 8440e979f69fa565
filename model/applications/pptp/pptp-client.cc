/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pptp-client.h"

#include "ns3/app-socket.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PptpClient");
NS_OBJECT_ENSURE_REGISTERED(PptpClient);

TypeId
PptpClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PptpClient")
            .SetParent<Application>()
            .SetGroupName("FortiGate")
            .AddConstructor<PptpClient>()
            .AddAttribute("RemoteAddress",
                          "The server's address.",
                          Ipv4AddressValue(Ipv4Address("127.0.0.1")),
                          MakeIpv4AddressAccessor(&PptpClient::m_remote),
                          MakeIpv4AddressChecker())
            .AddAttribute("RemotePort",
                          "The server's control port.",
                          UintegerValue(PPTP_CONTROL_PORT),
                          MakeUintegerAccessor(&PptpClient::m_remotePort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("CallId",
                          "The client's Call ID (the key of the GRE it receives).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&PptpClient::m_callId),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("CallSerial",
                          "Call Serial Number of the Outgoing-Call-Request.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&PptpClient::m_callSerial),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("PacketSize",
                          "PPP bytes per GRE data packet.",
                          UintegerValue(1400),
                          MakeUintegerAccessor(&PptpClient::m_packetSize),
                          MakeUintegerChecker<uint32_t>(0, 65000))
            .AddAttribute("DataRate",
                          "GRE sending rate (0 = send nothing).",
                          DataRateValue(DataRate("1Mbps")),
                          MakeDataRateAccessor(&PptpClient::m_rate),
                          MakeDataRateChecker())
            .AddAttribute("CallDuration",
                          "How long the call carries data before it ends.",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&PptpClient::m_callDuration),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("DataStartDelay",
                          "Time from the \"Connected\" reply to the first GRE frame.",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&PptpClient::m_dataStartDelay),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("Teardown",
                          "How the call ends.",
                          EnumValue(CALL_CLEAR),
                          MakeEnumAccessor(&PptpClient::m_teardown),
                          MakeEnumChecker(CALL_CLEAR,
                                          "CallClear",
                                          STOP_CONTROL,
                                          "StopControl",
                                          CLOSE,
                                          "Close"))
            .AddAttribute("LingerTime",
                          "CallClear: time from Call-Disconnect-Notify to "
                          "Stop-Control-Connection-Request.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&PptpClient::m_linger),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("ReplyTimeout",
                          "Longest wait for a connection or a reply.",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&PptpClient::m_replyTimeout),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("CallEstablished",
                            "The call was connected (with the setup time).",
                            MakeTraceSourceAccessor(&PptpClient::m_establishedTrace),
                            "ns3::PptpClient::EstablishedCallback")
            .AddTraceSource("CallEnded",
                            "The call ended.",
                            MakeTraceSourceAccessor(&PptpClient::m_callEndedTrace),
                            "ns3::PptpServer::CallCallback")
            .AddTraceSource("Failed",
                            "The client failed (with the reason).",
                            MakeTraceSourceAccessor(&PptpClient::m_failedTrace),
                            "ns3::PptpClient::FailedCallback");
    return tid;
}

PptpClient::PptpClient()
    : m_remotePort(PPTP_CONTROL_PORT),
      m_callId(1),
      m_callSerial(1),
      m_packetSize(1400),
      m_rate("1Mbps"),
      m_callDuration(Seconds(5)),
      m_dataStartDelay(Time(0)),
      m_teardown(CALL_CLEAR),
      m_linger(Seconds(1)),
      m_replyTimeout(Seconds(10)),
      m_messageCounts(16, 0)
{
}

PptpClient::~PptpClient() = default;

void
PptpClient::DoDispose()
{
    Simulator::Cancel(m_timer);
    Simulator::Cancel(m_action);
    m_call.reset();
    m_control = nullptr;
    m_gre = nullptr;
    Application::DoDispose();
}

bool
PptpClient::IsCallEstablished() const
{
    return m_established;
}

bool
PptpClient::IsFinished() const
{
    return m_finished;
}

bool
PptpClient::IsFailed() const
{
    return m_failed;
}

std::string
PptpClient::GetFailureReason() const
{
    return m_reason;
}

PptpCallStats
PptpClient::GetStats() const
{
    return m_call && m_established ? m_call->GetStats() : PptpCallStats{};
}

uint16_t
PptpClient::GetServerCallId() const
{
    return m_serverCallId;
}

uint16_t
PptpClient::GetReplyPeerCallId() const
{
    return m_replyPeerCallId;
}

int32_t
PptpClient::GetDisconnectCallId() const
{
    return m_disconnectCallId;
}

Time
PptpClient::GetSetupTime() const
{
    return m_setupTime;
}

const std::vector<uint32_t>&
PptpClient::GetMessageCounts() const
{
    return m_messageCounts;
}

uint64_t
PptpClient::GetForeignGre() const
{
    return m_foreignGre;
}

std::string
PptpClient::GetSummary() const
{
    std::ostringstream os;
    os << "pptp client call " << m_callId << " server call " << m_serverCallId << ": "
       << (m_failed ? "failed (" + m_reason + ")"
                    : (m_finished ? "finished" : (m_established ? "connected" : "setting up")));
    if (m_call)
    {
        os << "; " << m_call->GetStats().ToString();
    }
    return os.str();
}

void
PptpClient::StartApplication()
{
    m_state = ST_CONNECT;
    m_startTime = Simulator::Now();
    m_gre = Socket::CreateSocket(GetNode(), Ipv4RawSocketFactory::GetTypeId());
    m_gre->SetAttribute("Protocol", UintegerValue(GRE_IP_PROTOCOL));
    m_gre->Bind(InetSocketAddress(Ipv4Address::GetAny(), 0));
    m_gre->SetRecvCallback(MakeCallback(&PptpClient::HandleGre, this));
    m_control = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_control->Bind();
    m_control->SetConnectCallback(MakeCallback(&PptpClient::HandleConnected, this),
                                  MakeCallback(&PptpClient::HandleConnectFailed, this));
    m_control->SetRecvCallback(MakeCallback(&PptpClient::HandleRead, this));
    m_control->SetCloseCallbacks(MakeCallback(&PptpClient::HandleClose, this),
                                 MakeCallback(&PptpClient::HandleClose, this));
    m_control->Connect(InetSocketAddress(m_remote, m_remotePort));
    Arm("connection");
}

void
PptpClient::StopApplication()
{
    if (m_state != ST_DONE)
    {
        if (m_call)
        {
            m_call->Stop();
        }
        m_state = ST_DONE;
        CloseAll();
    }
}

void
PptpClient::Arm(const std::string& waitingFor)
{
    Simulator::Cancel(m_timer);
    m_waitingFor = waitingFor;
    if (!m_replyTimeout.IsZero())
    {
        m_timer = Simulator::Schedule(m_replyTimeout, &PptpClient::HandleTimeout, this);
    }
}

void
PptpClient::HandleTimeout()
{
    Fail("timeout waiting for " + m_waitingFor);
}

void
PptpClient::Send(const PptpMessage& m)
{
    std::vector<uint8_t> bytes = SerializePptpMessage(m);
    m_control->Send(Create<Packet>(bytes.data(), bytes.size()));
}

void
PptpClient::HandleConnected(Ptr<Socket>)
{
    PptpMessage m = MakePptpMessage(PPTP_START_CONTROL_REQUEST);
    m.framingCapabilities = 1;
    m.bearerCapabilities = 1;
    m.firmwareRevision = 1;
    m.hostName = "ns3-pptp-client";
    m.vendor = "ns-3 fortigate";
    Send(m);
    m_state = ST_START;
    Arm("Start-Control-Connection-Reply");
}

void
PptpClient::HandleConnectFailed(Ptr<Socket>)
{
    Fail("control connection refused");
}

void
PptpClient::HandleRead(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        size_t at = m_rx.size();
        m_rx.resize(at + p->GetSize());
        p->CopyData(m_rx.data() + at, p->GetSize());
    }
    PptpParseResult r = ParsePptpMessages(m_rx.data(), m_rx.size());
    m_rx.erase(m_rx.begin(), m_rx.begin() + static_cast<std::ptrdiff_t>(r.consumed));
    for (const auto& m : r.messages)
    {
        if (m_state == ST_DONE)
        {
            return;
        }
        HandleMessage(m);
    }
    if (r.status == PptpParseResult::MALFORMED && m_state != ST_DONE)
    {
        Fail("malformed message: " + r.error);
    }
}

void
PptpClient::HandleMessage(const PptpMessage& m)
{
    ++m_messageCounts[m.type];
    NS_LOG_INFO("pptp client " << m_callId << ": " << PptpMessageName(m.type) << " call "
                               << m.callId << " peer " << m.peerCallId);
    switch (m.type)
    {
    case PPTP_START_CONTROL_REPLY: {
        if (m_state != ST_START)
        {
            break;
        }
        if (m.resultCode != 1)
        {
            Fail("start refused (result " + std::to_string(m.resultCode) + ")");
            break;
        }
        PptpMessage req = MakePptpMessage(PPTP_OUTGOING_CALL_REQUEST);
        req.callId = m_callId;
        req.callSerial = m_callSerial;
        req.minBps = 300;
        req.maxBps = 100000000;
        req.bearerType = 3;
        req.framingType = 3;
        req.recvWindow = 64;
        Send(req);
        // Frames keyed by our Call ID may come as soon as the server has answered, before
        // its reply is read here: count them from now on.
        m_call = std::make_unique<PptpGreCall>(m_gre, m_remote, m_callId, 0, m_packetSize, m_rate);
        m_state = ST_CALL;
        Arm("Outgoing-Call-Reply");
        break;
    }
    case PPTP_OUTGOING_CALL_REPLY: {
        if (m_state != ST_CALL)
        {
            break;
        }
        m_replyPeerCallId = m.peerCallId;
        if (m.peerCallId != m_callId)
        {
            Fail("Outgoing-Call-Reply names Call ID " + std::to_string(m.peerCallId) +
                 ", not ours (" + std::to_string(m_callId) + ")");
            break;
        }
        if (m.resultCode != 1)
        {
            Fail("call refused (result " + std::to_string(m.resultCode) + ")");
            break;
        }
        Simulator::Cancel(m_timer);
        m_serverCallId = m.callId;
        m_established = true;
        m_setupTime = Simulator::Now() - m_startTime;
        PptpMessage link = MakePptpMessage(PPTP_SET_LINK_INFO);
        link.peerCallId = m_serverCallId;
        link.sendAccm = 0xffffffff;
        link.recvAccm = 0xffffffff;
        Send(link);
        m_call->SetPeerCallId(m_serverCallId);
        m_call->Start(m_dataStartDelay);
        m_state = ST_CONNECTED;
        m_establishedTrace(m_setupTime);
        m_action = Simulator::Schedule(m_callDuration, &PptpClient::EndCall, this);
        break;
    }
    case PPTP_CALL_DISCONNECT_NOTIFY: {
        if (m_state != ST_CLEARING && m_state != ST_CONNECTED)
        {
            break;
        }
        m_disconnectCallId = m.callId;
        Simulator::Cancel(m_timer);
        Simulator::Cancel(m_action);
        if (m_call && m_call->GetStats().active)
        {
            m_call->Stop();
            m_callEndedTrace(m_call->GetStats());
        }
        m_state = ST_LINGER;
        m_action = Simulator::Schedule(m_linger, &PptpClient::StopControl, this);
        break;
    }
    case PPTP_STOP_CONTROL_REPLY:
        if (m_state == ST_STOPPING)
        {
            Finish();
        }
        break;
    case PPTP_STOP_CONTROL_REQUEST: {
        PptpMessage reply = MakePptpMessage(PPTP_STOP_CONTROL_REPLY);
        reply.resultCode = 1;
        Send(reply);
        if (m_call && m_call->GetStats().active)
        {
            m_call->Stop();
            m_callEndedTrace(m_call->GetStats());
        }
        Finish();
        break;
    }
    case PPTP_ECHO_REQUEST: {
        PptpMessage reply = MakePptpMessage(PPTP_ECHO_REPLY);
        reply.identifier = m.identifier;
        reply.resultCode = 1;
        Send(reply);
        break;
    }
    default:
        break;
    }
}

void
PptpClient::EndCall()
{
    if (m_state != ST_CONNECTED)
    {
        return;
    }
    if (m_teardown == CALL_CLEAR)
    {
        // Stop sending; frames still on the way keep being counted until the disconnect.
        m_call->Stop();
        PptpMessage clear = MakePptpMessage(PPTP_CALL_CLEAR_REQUEST);
        clear.callId = m_callId;
        Send(clear);
        m_state = ST_CLEARING;
        Arm("Call-Disconnect-Notify");
        return;
    }
    m_call->Stop();
    m_callEndedTrace(m_call->GetStats());
    if (m_teardown == STOP_CONTROL)
    {
        StopControl();
        return;
    }
    Finish();
}

void
PptpClient::StopControl()
{
    PptpMessage stop = MakePptpMessage(PPTP_STOP_CONTROL_REQUEST);
    stop.reason = 1; // General Request
    Send(stop);
    m_state = ST_STOPPING;
    Arm("Stop-Control-Connection-Reply");
}

void
PptpClient::HandleClose(Ptr<Socket>)
{
    if (m_state == ST_DONE)
    {
        return;
    }
    Fail("control connection closed");
}

void
PptpClient::HandleGre(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        Ipv4Address src;
        GreHeader gre;
        uint32_t bytes = 0;
        if (!PptpGreCall::ParseReceived(p, src, gre, bytes) || gre.GetCallId() != m_callId ||
            !m_call)
        {
            ++m_foreignGre;
            continue;
        }
        m_call->Receive(gre, bytes);
    }
}

void
PptpClient::Fail(const std::string& reason)
{
    if (m_failed || m_finished)
    {
        return;
    }
    m_failed = true;
    m_reason = reason;
    NS_LOG_INFO("pptp client " << m_callId << " failed: " << reason);
    if (m_call && m_call->GetStats().active)
    {
        m_call->Stop();
    }
    m_state = ST_DONE;
    m_failedTrace(reason);
    CloseAll();
}

void
PptpClient::Finish()
{
    m_finished = true;
    m_state = ST_DONE;
    NS_LOG_INFO("pptp client " << m_callId << " finished: " << GetSummary());
    CloseAll();
}

void
PptpClient::CloseAll()
{
    Simulator::Cancel(m_timer);
    Simulator::Cancel(m_action);
    if (m_control)
    {
        CloseAppSocket(m_control);
    }
    // The GRE socket stays open: frames still on the way are counted (as foreign ones once
    // the call is over).
}

} // namespace ns3
