/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rsh-server.h"

#include "rsh-client.h"

#include "ns3/app-socket.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RshServer");

NS_OBJECT_ENSURE_REGISTERED(RshServer);

namespace
{
/// Longest start the server buffers (port, two users, command and their NULs).
constexpr std::size_t MAX_START = 6 + 2 * (RSH_MAX_USER_LENGTH + 1) + RSH_MAX_COMMAND_LENGTH + 1;
/// Largest chunk handed to a socket at once.
constexpr uint64_t CHUNK = 65536;
} // namespace

TypeId
RshServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RshServer")
            .SetParent<Application>()
            .SetGroupName("Fortigate")
            .AddConstructor<RshServer>()
            .AddAttribute("Port",
                          "TCP port the server listens on.",
                          UintegerValue(RSH_PORT),
                          MakeUintegerAccessor(&RshServer::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("FirstReservedPort",
                          "First source port tried for the stderr back-connection; the "
                          "search goes down to 512 (as rresvport does).",
                          UintegerValue(1023),
                          MakeUintegerAccessor(&RshServer::m_firstReservedPort),
                          MakeUintegerChecker<uint16_t>(512, 1023))
            .AddTraceSource("Start",
                            "A complete start was received (client address, start).",
                            MakeTraceSourceAccessor(&RshServer::m_startTrace),
                            "ns3::RshServer::StartCallback");
    return tid;
}

RshServer::RshServer()
    : m_port(RSH_PORT),
      m_firstReservedPort(1023)
{
    NS_LOG_FUNCTION(this);
}

RshServer::~RshServer()
{
    NS_LOG_FUNCTION(this);
}

uint32_t
RshServer::GetSessionsAccepted() const
{
    return m_accepted;
}

uint32_t
RshServer::GetSessionsServed() const
{
    return m_served;
}

uint32_t
RshServer::GetSessionsFailed() const
{
    return m_failed;
}

uint32_t
RshServer::GetBackConnections() const
{
    return m_backs;
}

void
RshServer::DoDispose()
{
    NS_LOG_FUNCTION(this);
    while (!m_conns.empty())
    {
        Drop(m_conns.begin()->first, false);
    }
    m_socket = nullptr;
    m_ports = nullptr;
    Application::DoDispose();
}

void
RshServer::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        return;
    }
    m_socket = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    if (m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) == -1)
    {
        NS_FATAL_ERROR("RshServer: cannot bind TCP port " << m_port);
    }
    m_socket->Listen();
    m_socket->SetAcceptCallback(MakeCallback(&RshServer::HandleConnectionRequest, this),
                                MakeCallback(&RshServer::HandleAccept, this));
}

void
RshServer::StopApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        CloseAppSocket(m_socket);
        m_socket = nullptr;
    }
    while (!m_conns.empty())
    {
        Drop(m_conns.begin()->first, !m_conns.begin()->second.responded);
    }
}

bool
RshServer::HandleConnectionRequest(Ptr<Socket>, const Address&)
{
    return true;
}

void
RshServer::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    Conn c;
    c.id = m_nextId++;
    c.main = socket;
    c.peer = from;
    uint32_t id = c.id;
    m_conns.emplace(id, std::move(c));
    ++m_accepted;
    socket->SetRecvCallback(MakeCallback(&RshServer::HandleRead, this, id));
    socket->SetSendCallback(MakeCallback(&RshServer::HandleSend, this, id));
    socket->SetCloseCallbacks(MakeCallback(&RshServer::HandlePeerClose, this, id),
                              MakeCallback(&RshServer::HandlePeerClose, this, id));
}

void
RshServer::HandleRead(uint32_t id, Ptr<Socket> socket)
{
    Ptr<Packet> p;
    // ns-3 TCP returns an empty packet (not null) at end of stream: stop there too.
    while ((p = socket->Recv()) && p->GetSize() > 0)
    {
        auto it = m_conns.find(id);
        if (it == m_conns.end() || it->second.startDone)
        {
            continue; // stdin after the start is read and discarded
        }
        Conn& c = it->second;
        std::size_t old = c.buf.size();
        c.buf.resize(old + p->GetSize());
        p->CopyData(c.buf.data() + old, p->GetSize());
    }
    Advance(id);
}

void
RshServer::Advance(uint32_t id)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
    {
        return;
    }
    Conn& c = it->second;
    if (!c.portKnown)
    {
        std::size_t text = 0;
        RshScan r = ScanRshStderrPort(c.buf.data(), c.buf.size(), c.stderrPort, text);
        if (r == RshScan::INVALID)
        {
            NS_LOG_INFO("RshServer: not an rsh start, closing");
            Drop(id, true);
            return;
        }
        if (r == RshScan::INCOMPLETE)
        {
            return;
        }
        c.portKnown = true;
        if (c.stderrPort != 0)
        {
            InetSocketAddress peer = InetSocketAddress::ConvertFrom(c.peer);
            Ptr<Socket> back = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
            if (!m_ports)
            {
                m_ports = RshReservedPorts::Get(GetNode());
            }
            uint16_t port = m_ports->BindReserved(back, m_firstReservedPort);
            if (port == 0)
            {
                back->Close();
                Refuse(c, "rshd: can't get stderr port: all reserved ports in use\n");
                return;
            }
            c.backPort = port;
            c.back = back;
            back->SetConnectCallback(MakeCallback(&RshServer::HandleBackConnected, this, id),
                                     MakeCallback(&RshServer::HandleBackFailed, this, id));
            back->SetSendCallback(MakeCallback(&RshServer::HandleSend, this, id));
            back->SetCloseCallbacks(MakeCallback(&RshServer::HandlePeerClose, this, id),
                                    MakeCallback(&RshServer::HandlePeerClose, this, id));
            NS_LOG_INFO("RshServer: connecting back from port " << port << " to " << peer.GetIpv4()
                                                                << ":" << c.stderrPort);
            back->Connect(InetSocketAddress(peer.GetIpv4(), c.stderrPort));
        }
    }
    if (!c.startDone)
    {
        if (ParseRshStart(c.buf.data(), c.buf.size(), c.start))
        {
            c.startDone = true;
            c.buf.clear();
            NS_LOG_INFO("RshServer: start: stderr port " << c.start.stderrPort << ", user '"
                                                         << c.start.remoteUser << "', command '"
                                                         << c.start.command << "'");
            m_startTrace(c.peer, c.start);
        }
        else if (c.buf.size() > MAX_START)
        {
            NS_LOG_INFO("RshServer: start too long, closing");
            Drop(id, true);
            return;
        }
    }
    if (c.startDone && !c.responded && (c.stderrPort == 0 || c.backConnected))
    {
        PrepareAnswer(c);
        Pump(c);
        MaybeForget(id);
    }
}

void
RshServer::PrepareAnswer(Conn& c)
{
    c.responded = true;
    if (c.start.remoteUser.empty())
    {
        c.header = std::string("\x01") + "Login incorrect.\n";
        c.outTotal = c.header.size();
        ++m_failed;
        return;
    }
    c.header = std::string(1, '\0');
    uint64_t n = 0;
    const std::string& cmd = c.start.command;
    if (ParseRshGenerateCommand(cmd, n))
    {
        c.outGenerated = n;
        c.errText = "generate: " + std::to_string(n) + " bytes\n";
    }
    else if (cmd.compare(0, 5, "echo ") == 0)
    {
        c.outText = cmd.substr(5) + "\n";
    }
    else
    {
        c.errText = "rsh: " + cmd + ": command not found\n";
    }
    c.outTotal = c.header.size() + c.outText.size() + c.outGenerated;
    if (!c.back)
    {
        c.errText.clear();
    }
    ++m_served;
}

void
RshServer::Refuse(Conn& c, const std::string& message)
{
    c.responded = true;
    c.header = "\x01" + message;
    c.outText.clear();
    c.outGenerated = 0;
    c.outTotal = c.header.size();
    c.errText.clear();
    ++m_failed;
    if (c.back && !c.backClosed)
    {
        c.back->Close();
        c.backClosed = true;
    }
    Pump(c);
}

void
RshServer::Pump(Conn& c)
{
    if (!c.responded)
    {
        return;
    }
    std::vector<uint8_t> chunk;
    while (!c.mainClosed && c.outQueued < c.outTotal)
    {
        uint64_t avail = c.main->GetTxAvailable();
        if (avail == 0)
        {
            break;
        }
        uint64_t n = std::min({avail, c.outTotal - c.outQueued, CHUNK});
        chunk.resize(n);
        for (uint64_t i = 0; i < n; ++i)
        {
            uint64_t pos = c.outQueued + i;
            if (pos < c.header.size())
            {
                chunk[i] = static_cast<uint8_t>(c.header[pos]);
            }
            else if (pos - c.header.size() < c.outText.size())
            {
                chunk[i] = static_cast<uint8_t>(c.outText[pos - c.header.size()]);
            }
            else
            {
                chunk[i] = RshOutputByte(pos - c.header.size() - c.outText.size());
            }
        }
        int sent = c.main->Send(chunk.data(), static_cast<uint32_t>(n), 0);
        if (sent <= 0)
        {
            break;
        }
        c.outQueued += static_cast<uint64_t>(sent);
    }
    if (!c.mainClosed && c.outQueued == c.outTotal)
    {
        c.main->Close(); // FIN once the queued bytes are sent
        c.mainClosed = true;
    }
    if (c.back && c.backConnected && !c.backClosed)
    {
        while (c.errQueued < c.errText.size())
        {
            uint32_t avail = c.back->GetTxAvailable();
            if (avail == 0)
            {
                break;
            }
            uint32_t n =
                std::min<uint32_t>(avail, static_cast<uint32_t>(c.errText.size() - c.errQueued));
            int sent =
                c.back->Send(reinterpret_cast<const uint8_t*>(c.errText.data()) + c.errQueued,
                             n,
                             0);
            if (sent <= 0)
            {
                break;
            }
            c.errQueued += static_cast<std::size_t>(sent);
        }
        if (c.errQueued == c.errText.size())
        {
            c.back->Close();
            c.backClosed = true;
        }
    }
}

void
RshServer::HandleBackConnected(uint32_t id, Ptr<Socket>)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
    {
        return;
    }
    NS_LOG_INFO("RshServer: stderr back-connection established");
    ++m_backs;
    it->second.backConnected = true;
    Advance(id);
}

void
RshServer::HandleBackFailed(uint32_t id, Ptr<Socket>)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
    {
        return;
    }
    Conn& c = it->second;
    NS_LOG_INFO("RshServer: stderr back-connection to port " << c.stderrPort << " failed");
    c.backClosed = true; // nothing to close: never connected
    if (!c.responded)
    {
        Refuse(c, "rshd: can't connect to stderr port.\n");
    }
    MaybeForget(id);
}

void
RshServer::HandleSend(uint32_t id, Ptr<Socket>, uint32_t)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
    {
        return;
    }
    Pump(it->second);
    MaybeForget(id);
}

void
RshServer::HandlePeerClose(uint32_t id, Ptr<Socket> socket)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
    {
        return;
    }
    Conn& c = it->second;
    if (socket == c.main && !c.mainClosed)
    {
        NS_LOG_INFO("RshServer: client closed the connection early");
        Drop(id, !c.responded);
        return;
    }
    if (socket == c.back && !c.backClosed)
    {
        c.back->Close();
        c.backClosed = true;
        MaybeForget(id);
    }
}

void
RshServer::Drop(uint32_t id, bool failed)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
    {
        return;
    }
    Conn& c = it->second;
    if (failed)
    {
        ++m_failed;
    }
    for (Ptr<Socket> s : {c.main, c.back})
    {
        if (s)
        {
            s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
            s->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
            s->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                 MakeNullCallback<void, Ptr<Socket>>());
            s->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                                  MakeNullCallback<void, Ptr<Socket>>());
        }
    }
    if (!c.mainClosed && c.main)
    {
        c.main->Close();
    }
    if (c.back && !c.backClosed)
    {
        c.back->Close();
    }
    if (c.backPort != 0 && m_ports)
    {
        m_ports->Release(c.backPort);
    }
    m_conns.erase(it);
}

void
RshServer::MaybeForget(uint32_t id)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
    {
        return;
    }
    const Conn& c = it->second;
    if (c.mainClosed && (!c.back || c.backClosed))
    {
        Drop(id, false);
    }
}

} // namespace ns3
