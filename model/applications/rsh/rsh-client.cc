/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rsh-client.h"

#include "ns3/address-utils.h"
#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RshClient");

NS_OBJECT_ENSURE_REGISTERED(RshClient);

namespace
{
/// Bytes of stdout/stderr text kept for inspection.
constexpr std::size_t KEEP_TEXT = 65536;
/// Bytes of an error message kept.
constexpr std::size_t KEEP_ERROR = 1024;
} // namespace

NS_OBJECT_ENSURE_REGISTERED(RshReservedPorts);

TypeId
RshReservedPorts::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RshReservedPorts")
            .SetParent<Object>()
            .SetGroupName("Fortigate")
            .AddConstructor<RshReservedPorts>()
            .AddAttribute("Quarantine",
                          "How long a released port rests before it is handed out again.",
                          TimeValue(Seconds(240)),
                          MakeTimeAccessor(&RshReservedPorts::m_quarantine),
                          MakeTimeChecker(Time(0)));
    return tid;
}

Ptr<RshReservedPorts>
RshReservedPorts::Get(Ptr<Node> node)
{
    Ptr<RshReservedPorts> table = node->GetObject<RshReservedPorts>();
    if (!table)
    {
        table = CreateObject<RshReservedPorts>();
        node->AggregateObject(table);
    }
    return table;
}

uint16_t
RshReservedPorts::BindReserved(Ptr<Socket> socket, uint16_t first)
{
    if (first > 1023 || first < 512)
    {
        first = 1023;
    }
    Time now = Simulator::Now();
    // First pass: ports neither held nor resting; second pass: resting ones too.
    for (int pass = 0; pass < 2; ++pass)
    {
        for (int p = first; p >= 512; --p)
        {
            uint16_t port = static_cast<uint16_t>(p);
            if (m_held.count(port) != 0)
            {
                continue;
            }
            auto r = m_resting.find(port);
            if (pass == 0 && r != m_resting.end() && now - r->second < m_quarantine)
            {
                continue;
            }
            if (socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) == 0)
            {
                m_held.insert(port);
                m_resting.erase(port);
                return port;
            }
        }
    }
    return 0;
}

void
RshReservedPorts::Hold(uint16_t port)
{
    m_held.insert(port);
    m_resting.erase(port);
}

void
RshReservedPorts::Release(uint16_t port)
{
    if (m_held.erase(port) != 0)
    {
        m_resting[port] = Simulator::Now();
    }
}

TypeId
RshClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RshClient")
            .SetParent<Application>()
            .SetGroupName("Fortigate")
            .AddConstructor<RshClient>()
            .AddAttribute("RemoteAddress",
                          "The server's address (Ipv4Address or InetSocketAddress).",
                          AddressValue(),
                          MakeAddressAccessor(&RshClient::m_remote),
                          MakeAddressChecker())
            .AddAttribute("RemotePort",
                          "The server's port (ignored when RemoteAddress carries one).",
                          UintegerValue(RSH_PORT),
                          MakeUintegerAccessor(&RshClient::m_remotePort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("LocalPort",
                          "Source port of the main connection (0 = first free reserved port "
                          "from 1023 down).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&RshClient::m_localPort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("UseStderr",
                          "Ask for a separate stderr connection (announce a port).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&RshClient::m_useStderr),
                          MakeBooleanChecker())
            .AddAttribute("StderrPort",
                          "Local port the client listens on for the stderr connection (0 = "
                          "first free reserved port below the main connection's port).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&RshClient::m_stderrPort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("LocalUser",
                          "Client-side user name.",
                          StringValue("user"),
                          MakeStringAccessor(&RshClient::m_localUser),
                          MakeStringChecker())
            .AddAttribute("RemoteUser",
                          "Server-side user name (empty: the server refuses).",
                          StringValue("user"),
                          MakeStringAccessor(&RshClient::m_remoteUser),
                          MakeStringChecker())
            .AddAttribute("Command",
                          "Command line (\"generate <n>\", \"echo <text>\", ...).",
                          StringValue("generate 10000"),
                          MakeStringAccessor(&RshClient::m_command),
                          MakeStringChecker())
            .AddAttribute("Timeout",
                          "Whole-session timeout (0 = none).",
                          TimeValue(Seconds(60)),
                          MakeTimeAccessor(&RshClient::m_timeout),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("SessionComplete",
                            "The session ended normally (stdout bytes, stderr bytes, time).",
                            MakeTraceSourceAccessor(&RshClient::m_completeTrace),
                            "ns3::RshClient::CompleteCallback")
            .AddTraceSource("SessionFailed",
                            "The session failed (reason).",
                            MakeTraceSourceAccessor(&RshClient::m_failedTrace),
                            "ns3::RshClient::FailedCallback");
    return tid;
}

RshClient::RshClient()
    : m_remotePort(RSH_PORT),
      m_localPort(0),
      m_useStderr(true),
      m_stderrPort(0),
      m_localUser("user"),
      m_remoteUser("user"),
      m_command("generate 10000"),
      m_timeout(Seconds(60))
{
    NS_LOG_FUNCTION(this);
}

RshClient::~RshClient()
{
    NS_LOG_FUNCTION(this);
}

bool
RshClient::IsCompleted() const
{
    return m_completed;
}

bool
RshClient::IsFailed() const
{
    return m_failed;
}

std::string
RshClient::GetFailureReason() const
{
    return m_reason;
}

uint64_t
RshClient::GetStdoutBytes() const
{
    return m_stdoutBytes;
}

uint64_t
RshClient::GetStderrBytes() const
{
    return m_stderrBytes;
}

std::string
RshClient::GetStdoutText() const
{
    return m_stdoutText;
}

std::string
RshClient::GetStderrText() const
{
    return m_stderrText;
}

bool
RshClient::HasStderrConnection() const
{
    return m_backPort != 0;
}

uint16_t
RshClient::GetAnnouncedStderrPort() const
{
    return m_announced;
}

uint16_t
RshClient::GetLocalPort() const
{
    return m_boundPort;
}

uint16_t
RshClient::GetBackConnectionPort() const
{
    return m_backPort;
}

Time
RshClient::GetSessionTime() const
{
    return m_duration;
}

void
RshClient::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_timer.Cancel();
    CloseAll();
    m_ports = nullptr;
    Application::DoDispose();
}

void
RshClient::StartApplication()
{
    NS_LOG_FUNCTION(this);
    uint16_t port = m_remotePort;
    if (InetSocketAddress::IsMatchingType(m_remote))
    {
        m_serverIp = InetSocketAddress::ConvertFrom(m_remote).GetIpv4();
        port = InetSocketAddress::ConvertFrom(m_remote).GetPort();
    }
    else if (Ipv4Address::IsMatchingType(m_remote))
    {
        m_serverIp = Ipv4Address::ConvertFrom(m_remote);
    }
    else
    {
        NS_FATAL_ERROR("RshClient: RemoteAddress is not an IPv4 address");
    }
    // Validate the fields before anything is opened (throws ConfigError).
    BuildRshStart(0, m_localUser, m_remoteUser, m_command);

    m_running = true;
    m_restSent = m_statusKnown = m_mainDone = m_errDone = false;
    m_completed = m_failed = m_mismatch = false;
    m_status = 0;
    m_stdoutBytes = m_stderrBytes = 0;
    m_stdoutText.clear();
    m_stderrText.clear();
    m_errorMessage.clear();
    m_reason.clear();
    m_backPort = 0;
    m_announced = 0;
    m_duration = Time(0);
    m_checkOutput = ParseRshGenerateCommand(m_command, m_expectedOut);
    m_startTime = Simulator::Now();

    // Main connection from a reserved port (as rresvport does).
    m_ports = RshReservedPorts::Get(GetNode());
    m_main = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    if (m_localPort != 0)
    {
        if (m_main->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_localPort)) == -1)
        {
            NS_FATAL_ERROR("RshClient: cannot bind TCP port " << m_localPort);
        }
        m_ports->Hold(m_localPort);
        m_boundPort = m_localPort;
    }
    else
    {
        m_boundPort = m_ports->BindReserved(m_main, 1023);
        if (m_boundPort == 0)
        {
            Finish("no free reserved port for the connection");
            return;
        }
    }

    if (m_useStderr)
    {
        m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
        if (m_stderrPort != 0)
        {
            if (m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_stderrPort)) == -1)
            {
                NS_FATAL_ERROR("RshClient: cannot bind stderr port " << m_stderrPort);
            }
            m_ports->Hold(m_stderrPort);
            m_announced = m_stderrPort;
        }
        else
        {
            // rcmd asks for the reserved port just below the one it connected from.
            uint16_t first = (m_boundPort > 512 && m_boundPort <= 1024) ? m_boundPort - 1 : 1023;
            m_announced = m_ports->BindReserved(m_listener, first);
            if (m_announced == 0)
            {
                Finish("no free reserved port for the stderr connection");
                return;
            }
        }
        m_listenPort = m_announced;
        m_listener->Listen();
        m_listener->SetAcceptCallback(MakeCallback(&RshClient::HandleBackRequest, this),
                                      MakeCallback(&RshClient::HandleBackAccept, this));
    }

    m_main->SetConnectCallback(MakeCallback(&RshClient::HandleConnected, this),
                               MakeCallback(&RshClient::HandleConnectFailed, this));
    m_main->SetRecvCallback(MakeCallback(&RshClient::HandleMainRead, this));
    m_main->SetCloseCallbacks(MakeCallback(&RshClient::HandleMainClose, this),
                              MakeCallback(&RshClient::HandleMainError, this));
    if (!m_timeout.IsZero())
    {
        m_timer = Simulator::Schedule(m_timeout, &RshClient::HandleTimeout, this);
    }
    NS_LOG_INFO("RshClient: connecting from port " << m_boundPort << " to " << m_serverIp << ":"
                                                   << port << ", stderr port " << m_announced);
    m_main->Connect(InetSocketAddress(m_serverIp, port));
}

void
RshClient::StopApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_running)
    {
        Finish("application stopped");
    }
    m_timer.Cancel();
    CloseAll();
}

void
RshClient::HandleConnected(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    if (!m_running)
    {
        return;
    }
    std::string port = std::to_string(m_announced);
    std::vector<uint8_t> field(port.begin(), port.end());
    field.push_back(0);
    socket->Send(field.data(), static_cast<uint32_t>(field.size()), 0);
    if (!m_useStderr)
    {
        SendRest();
    }
}

void
RshClient::SendRest()
{
    std::vector<uint8_t> all = BuildRshStart(m_announced, m_localUser, m_remoteUser, m_command);
    std::size_t skip = std::to_string(m_announced).size() + 1;
    m_main->Send(all.data() + skip, static_cast<uint32_t>(all.size() - skip), 0);
    m_restSent = true;
}

void
RshClient::HandleConnectFailed(Ptr<Socket>)
{
    if (m_running)
    {
        Finish("connection to the server failed");
    }
}

bool
RshClient::HandleBackRequest(Ptr<Socket>, const Address& from)
{
    if (!m_running || m_err)
    {
        return false;
    }
    InetSocketAddress src = InetSocketAddress::ConvertFrom(from);
    if (src.GetIpv4() != m_serverIp || src.GetPort() < 512 || src.GetPort() > 1023)
    {
        NS_LOG_INFO("RshClient: refusing stderr connection from " << src.GetIpv4() << ":"
                                                                  << src.GetPort());
        Simulator::ScheduleNow(&RshClient::Finish,
                               this,
                               std::string("protocol failure in circuit setup"));
        return false;
    }
    return true;
}

void
RshClient::HandleBackAccept(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    if (!m_running || m_err)
    {
        socket->Close();
        return;
    }
    m_err = socket;
    m_backPort = InetSocketAddress::ConvertFrom(from).GetPort();
    NS_LOG_INFO("RshClient: stderr connection from port " << m_backPort);
    socket->SetRecvCallback(MakeCallback(&RshClient::HandleErrRead, this));
    socket->SetCloseCallbacks(MakeCallback(&RshClient::HandleErrClose, this),
                              MakeCallback(&RshClient::HandleErrClose, this));
    // rcmd stops listening once the stderr connection is there.
    if (m_listener)
    {
        CloseAppSocket(m_listener);
        m_listener = nullptr;
    }
    if (!m_restSent)
    {
        SendRest();
    }
}

void
RshClient::HandleMainRead(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    // ns-3 TCP returns an empty packet (not null) at end of stream: stop there too.
    while ((p = socket->Recv()) && p->GetSize() > 0)
    {
        uint32_t n = p->GetSize();
        std::vector<uint8_t> b(n);
        p->CopyData(b.data(), n);
        std::size_t i = 0;
        if (!m_statusKnown)
        {
            m_statusKnown = true;
            m_status = b[0];
            i = 1;
        }
        if (m_status != 0)
        {
            for (; i < n && m_errorMessage.size() < KEEP_ERROR; ++i)
            {
                m_errorMessage.push_back(static_cast<char>(b[i]));
            }
            continue;
        }
        for (; i < n; ++i)
        {
            if (m_checkOutput && !m_mismatch &&
                (m_stdoutBytes >= m_expectedOut || b[i] != RshOutputByte(m_stdoutBytes)))
            {
                m_mismatch = true;
            }
            if (m_stdoutText.size() < KEEP_TEXT)
            {
                m_stdoutText.push_back(static_cast<char>(b[i]));
            }
            ++m_stdoutBytes;
        }
    }
}

void
RshClient::HandleErrRead(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    // ns-3 TCP returns an empty packet (not null) at end of stream: stop there too.
    while ((p = socket->Recv()) && p->GetSize() > 0)
    {
        uint32_t n = p->GetSize();
        std::vector<uint8_t> b(n);
        p->CopyData(b.data(), n);
        for (uint32_t i = 0; i < n && m_stderrText.size() < KEEP_TEXT; ++i)
        {
            m_stderrText.push_back(static_cast<char>(b[i]));
        }
        m_stderrBytes += n;
    }
}

void
RshClient::HandleMainClose(Ptr<Socket> socket)
{
    HandleMainRead(socket);
    m_mainDone = true;
    CheckDone();
}

void
RshClient::HandleMainError(Ptr<Socket>)
{
    if (m_running)
    {
        Finish("connection reset by the server");
    }
}

void
RshClient::HandleErrClose(Ptr<Socket> socket)
{
    HandleErrRead(socket);
    m_errDone = true;
    CheckDone();
}

void
RshClient::CheckDone()
{
    if (!m_running || !m_mainDone)
    {
        return;
    }
    if (!m_statusKnown)
    {
        Finish("connection closed by the server without an answer");
        return;
    }
    if (m_status != 0)
    {
        std::string msg = m_errorMessage;
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\r'))
        {
            msg.pop_back();
        }
        Finish("server refused: " + msg);
        return;
    }
    if (m_useStderr && !m_errDone)
    {
        return; // wait for the stderr connection to end as well
    }
    if (m_checkOutput && (m_mismatch || m_stdoutBytes != m_expectedOut))
    {
        Finish("stdout mismatch: " + std::to_string(m_stdoutBytes) + " bytes, expected " +
               std::to_string(m_expectedOut));
        return;
    }
    Finish("");
}

void
RshClient::HandleTimeout()
{
    if (!m_running)
    {
        return;
    }
    std::string stage = !m_statusKnown && m_useStderr && !m_err
                            ? "timeout waiting for the stderr connection"
                            : "timeout";
    Finish(stage);
}

void
RshClient::Finish(const std::string& reason)
{
    if (!m_running)
    {
        return;
    }
    m_running = false;
    m_duration = Simulator::Now() - m_startTime;
    m_timer.Cancel();
    CloseAll();
    if (reason.empty())
    {
        m_completed = true;
        NS_LOG_INFO("RshClient: session complete: stdout " << m_stdoutBytes << " B, stderr "
                                                           << m_stderrBytes << " B in "
                                                           << m_duration.As(Time::MS));
        m_completeTrace(m_stdoutBytes, m_stderrBytes, m_duration);
    }
    else
    {
        m_failed = true;
        m_reason = reason;
        NS_LOG_INFO("RshClient: session failed: " << reason);
        m_failedTrace(reason);
    }
}

void
RshClient::CloseAll()
{
    if (m_ports)
    {
        // The ports rest from now on (connections closing, TIME_WAIT).
        if (m_boundPort != 0)
        {
            m_ports->Release(m_boundPort);
        }
        if (m_listenPort != 0)
        {
            m_ports->Release(m_listenPort);
            m_listenPort = 0;
        }
    }
    if (m_listener)
    {
        CloseAppSocket(m_listener);
        m_listener = nullptr;
    }
    for (Ptr<Socket>* s : {&m_main, &m_err})
    {
        if (*s)
        {
            CloseAppSocket(*s);
            *s = nullptr;
        }
    }
}

} // namespace ns3
