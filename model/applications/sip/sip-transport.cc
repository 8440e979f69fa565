/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SipTransport: SIP over UDP and TCP (RFC 3261 §18) for the applications.

#include "sip-transport.h"

#include "ns3/app-socket.h"
#include "ns3/config-error.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipTransport");
NS_OBJECT_ENSURE_REGISTERED(SipTransport);

// ---------------------------------------------------------------------------------------------
// SipTransport

TypeId
SipTransport::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SipTransport")
                            .SetParent<Object>()
                            .SetGroupName("Fortigate")
                            .AddConstructor<SipTransport>();
    return tid;
}

SipTransport::SipTransport()
{
    NS_LOG_FUNCTION(this);
}

SipTransport::~SipTransport()
{
    NS_LOG_FUNCTION(this);
}

void
SipTransport::DoDispose()
{
    Close();
    m_node = nullptr;
    m_cb = ReceiveCallback();
    Object::DoDispose();
}

void
SipTransport::Open(Ptr<Node> node,
                   uint16_t port,
                   bool udp,
                   bool tcp,
                   ReceiveCallback cb,
                   const std::string& owner)
{
    NS_LOG_FUNCTION(this << port << udp << tcp);
    m_node = node;
    m_port = port;
    m_cb = cb;
    if (udp)
    {
        Ptr<Socket> s = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        if (s->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0)
        {
            s->Close();
            throw ConfigError(owner + ": UDP port " + std::to_string(port) + " is in use on node " +
                              std::to_string(node->GetId()));
        }
        s->SetRecvCallback(MakeCallback(&SipTransport::HandleUdp, this));
        m_udp = s;
    }
    if (tcp)
    {
        Ptr<Socket> s = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
        if (s->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0)
        {
            s->Close();
            throw ConfigError(owner + ": TCP port " + std::to_string(port) + " is in use on node " +
                              std::to_string(node->GetId()));
        }
        s->Listen();
        s->SetAcceptCallback(MakeCallback(&SipTransport::HandleAcceptRequest, this),
                             MakeCallback(&SipTransport::HandleAccept, this));
        m_listener = s;
    }
}

void
SipTransport::Close()
{
    NS_LOG_FUNCTION(this);
    if (m_udp)
    {
        CloseAppSocket(m_udp);
        m_udp = nullptr;
    }
    if (m_listener)
    {
        CloseAppSocket(m_listener);
        m_listener = nullptr;
    }
    std::map<Ptr<Socket>, Conn> conns;
    conns.swap(m_conns);
    for (auto& c : conns)
    {
        Ptr<Socket> s = c.first;
        CloseAppSocket(s);
    }
}

uint64_t
SipTransport::GetFramingErrors() const
{
    return m_framingErrors;
}

uint32_t
SipTransport::GetConnectionCount() const
{
    return m_connectionCount;
}

void
SipTransport::Deliver(const std::string& text,
                      bool stream,
                      Ipv4Address from,
                      uint16_t port,
                      Ptr<Socket> conn)
{
    SipParseOptions opt;
    opt.stream = stream;
    SipMessage msg;
    SipParseStatus st = ParseSipMessage(SipBytes(text), text.size(), msg, opt);
    if (st != SipParseStatus::OK)
    {
        ++m_framingErrors;
        NS_LOG_WARN("unframeable SIP from " << from << ":" << port << ": " << msg.error);
        return;
    }
    if (!m_cb.IsNull())
    {
        m_cb(text, msg, from, port, conn);
    }
}

void
SipTransport::HandleUdp(Ptr<Socket> s)
{
    Address from;
    while (Ptr<Packet> p = s->RecvFrom(from))
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        std::string text(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(&text[0]), p->GetSize());
        std::size_t skip = 0;
        while (skip < text.size() && (text[skip] == '\r' || text[skip] == '\n'))
        {
            ++skip;
        }
        if (skip == text.size())
        {
            continue; // keep-alive
        }
        InetSocketAddress a = InetSocketAddress::ConvertFrom(from);
        Deliver(text.substr(skip), false, a.GetIpv4(), a.GetPort(), nullptr);
    }
}

bool
SipTransport::HandleAcceptRequest(Ptr<Socket>, const Address&)
{
    return true;
}

void
SipTransport::Attach(Ptr<Socket> s)
{
    s->SetRecvCallback(MakeCallback(&SipTransport::HandleTcpRead, this));
    s->SetSendCallback(MakeCallback(&SipTransport::HandleSend, this));
    s->SetCloseCallbacks(MakeCallback(&SipTransport::HandleClosed, this),
                         MakeCallback(&SipTransport::HandleClosed, this));
}

void
SipTransport::HandleAccept(Ptr<Socket> s, const Address& from)
{
    InetSocketAddress a = InetSocketAddress::ConvertFrom(from);
    Conn c;
    c.remote = a.GetIpv4();
    c.port = a.GetPort();
    c.connected = true;
    m_conns[s] = c;
    ++m_connectionCount;
    Attach(s);
    NS_LOG_INFO("accepted SIP/TCP from " << c.remote << ":" << c.port);
}

void
SipTransport::HandleConnected(Ptr<Socket> s)
{
    auto it = m_conns.find(s);
    if (it == m_conns.end())
    {
        return;
    }
    it->second.connected = true;
    Flush(s);
}

void
SipTransport::HandleConnectFailed(Ptr<Socket> s)
{
    auto it = m_conns.find(s);
    if (it != m_conns.end())
    {
        NS_LOG_INFO("SIP/TCP connection to " << it->second.remote << ":" << it->second.port
                                             << " failed");
        m_conns.erase(it);
    }
}

void
SipTransport::HandleClosed(Ptr<Socket> s)
{
    auto it = m_conns.find(s);
    if (it != m_conns.end())
    {
        m_conns.erase(it);
        // Inside its own close callback: only the data callbacks are detached.
        s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        s->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
        s->Close(); // the peer closed (or reset): close our half too
    }
}

void
SipTransport::HandleSend(Ptr<Socket> s, uint32_t)
{
    Flush(s);
}

void
SipTransport::Flush(Ptr<Socket> s)
{
    auto it = m_conns.find(s);
    if (it == m_conns.end() || !it->second.connected)
    {
        return;
    }
    Conn& c = it->second;
    while (!c.tx.empty())
    {
        uint32_t room = s->GetTxAvailable();
        if (room == 0)
        {
            return;
        }
        uint32_t n = std::min<uint32_t>(room, static_cast<uint32_t>(c.tx.size()));
        Ptr<Packet> p = Create<Packet>(SipBytes(c.tx), n);
        int sent = s->Send(p);
        if (sent <= 0)
        {
            return;
        }
        c.tx.erase(0, static_cast<std::size_t>(sent));
    }
}

void
SipTransport::HandleTcpRead(Ptr<Socket> s)
{
    auto it = m_conns.find(s);
    if (it == m_conns.end())
    {
        return;
    }
    while (Ptr<Packet> p = s->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        std::string chunk(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(&chunk[0]), p->GetSize());
        it->second.rx += chunk;
    }
    // Frame every complete message (RFC 3261 §18.3): Content-Length says where each ends.
    while (true)
    {
        it = m_conns.find(s); // the callback may have closed connections
        if (it == m_conns.end())
        {
            return;
        }
        std::string& rx = it->second.rx;
        std::size_t skip = 0;
        while (skip < rx.size() && (rx[skip] == '\r' || rx[skip] == '\n'))
        {
            ++skip;
        }
        rx.erase(0, skip);
        if (rx.empty())
        {
            return;
        }
        SipParseOptions opt;
        opt.stream = true;
        opt.parseSdp = false;
        opt.maxHeaderBytes = m_maxMessage;
        SipMessage frame;
        SipParseStatus st = ParseSipMessage(SipBytes(rx), rx.size(), frame, opt);
        if (st == SipParseStatus::INCOMPLETE)
        {
            return;
        }
        if (st == SipParseStatus::ERROR || frame.consumed == 0)
        {
            ++m_framingErrors;
            NS_LOG_WARN("SIP/TCP framing error from " << it->second.remote << ": " << frame.error);
            rx.clear();
            return;
        }
        std::string text = rx.substr(0, frame.consumed);
        rx.erase(0, frame.consumed);
        Deliver(text, true, it->second.remote, it->second.port, s);
    }
}

Ptr<Socket>
SipTransport::FindConnection(Ipv4Address to, uint16_t port) const
{
    for (const auto& c : m_conns)
    {
        if (c.second.remote == to && c.second.port == port)
        {
            return c.first;
        }
    }
    return nullptr;
}

Ptr<Socket>
SipTransport::FindConnectionTo(Ipv4Address to) const
{
    for (const auto& c : m_conns)
    {
        if (c.second.remote == to)
        {
            return c.first;
        }
    }
    return nullptr;
}

bool
SipTransport::IsConnected(Ptr<Socket> conn) const
{
    return conn && m_conns.count(conn) > 0;
}

std::pair<Ipv4Address, uint16_t>
SipTransport::GetRemote(Ptr<Socket> conn) const
{
    auto it = m_conns.find(conn);
    if (it == m_conns.end())
    {
        return {Ipv4Address(), 0};
    }
    return {it->second.remote, it->second.port};
}

Ptr<Socket>
SipTransport::Send(const std::string& text,
                   Ipv4Address to,
                   uint16_t port,
                   bool tcp,
                   Ptr<Socket> conn)
{
    if (!tcp)
    {
        if (!m_udp)
        {
            return nullptr;
        }
        Ptr<Packet> p = Create<Packet>(SipBytes(text), static_cast<uint32_t>(text.size()));
        m_udp->SendTo(p, 0, InetSocketAddress(to, port));
        return nullptr;
    }
    if (!IsConnected(conn))
    {
        conn = FindConnection(to, port);
    }
    if (!conn)
    {
        if (!m_node)
        {
            return nullptr;
        }
        conn = Socket::CreateSocket(m_node, TcpSocketFactory::GetTypeId());
        conn->Bind();
        Conn c;
        c.remote = to;
        c.port = port;
        m_conns[conn] = c;
        ++m_connectionCount;
        Attach(conn);
        conn->SetConnectCallback(MakeCallback(&SipTransport::HandleConnected, this),
                                 MakeCallback(&SipTransport::HandleConnectFailed, this));
        conn->Connect(InetSocketAddress(to, port));
    }
    m_conns[conn].tx += text;
    Flush(conn);
    return conn;
}

} // namespace ns3
