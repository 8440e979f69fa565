/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sip-user-agent.h"

#include "ns3/app-socket.h"
#include "ns3/reason-phrase.h"
#include "ns3/config-error.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipUserAgent");
NS_OBJECT_ENSURE_REGISTERED(SipTransport);
NS_OBJECT_ENSURE_REGISTERED(SipUserAgent);

namespace
{

const uint8_t*
Bytes(const std::string& s)
{
    return reinterpret_cast<const uint8_t*>(s.data());
}

std::string
HeaderValue(const SipMessage& m, SipHeaderId id)
{
    const SipHeader* h = m.FindHeader(id);
    return h ? h->value : std::string();
}

/// A From/To value without its tag parameter.
std::string
StripTag(const std::string& value)
{
    std::string lower = value;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c)
                   {
                       return static_cast<char>(std::tolower(c));
                   });
    // only look after the closing '>' (a tag inside the URI is a URI parameter)
    std::size_t from = lower.find('>');
    std::size_t p = lower.find(";tag=", from == std::string::npos ? 0 : from);
    if (p == std::string::npos)
    {
        return value;
    }
    std::size_t e = value.find(';', p + 1);
    return value.substr(0, p) + (e == std::string::npos ? "" : value.substr(e));
}

std::string
Hex(uint64_t v, int digits)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%0*llx", digits, static_cast<unsigned long long>(v));
    return buf;
}

/// Whether a direction lets this end send / receive.
bool
DirSends(SdpDirection d)
{
    return d == SdpDirection::SENDRECV || d == SdpDirection::SENDONLY;
}

bool
DirReceives(SdpDirection d)
{
    return d == SdpDirection::SENDRECV || d == SdpDirection::RECVONLY;
}

SdpDirection
MakeDir(bool send, bool recv)
{
    if (send && recv)
    {
        return SdpDirection::SENDRECV;
    }
    if (send)
    {
        return SdpDirection::SENDONLY;
    }
    if (recv)
    {
        return SdpDirection::RECVONLY;
    }
    return SdpDirection::INACTIVE;
}

std::string
ServerKey(const SipMessage& msg)
{
    std::string branch = msg.vias.empty() ? std::string() : msg.vias[0].branch;
    if (branch.empty())
    {
        branch = msg.callId + "/" + std::to_string(msg.cseq);
    }
    SipMethod m = msg.methodId == SipMethod::ACK ? SipMethod::INVITE : msg.methodId;
    return branch + "|" + (m == SipMethod::UNKNOWN ? msg.method : SipMethodName(m));
}

std::string
ClientKey(const std::string& branch, SipMethod m)
{
    return branch + "|" + SipMethodName(m);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Reason phrases, names

const char*
SipCallStateName(SipCallState s)
{
    switch (s)
    {
        case SIP_CALL_IDLE:
            return "idle";
        case SIP_CALL_CALLING:
            return "calling";
        case SIP_CALL_PROCEEDING:
            return "proceeding";
        case SIP_CALL_RINGING:
            return "ringing";
        case SIP_CALL_ANSWERED:
            return "answered";
        case SIP_CALL_CONFIRMED:
            return "confirmed";
        case SIP_CALL_TERMINATING:
            return "terminating";
        case SIP_CALL_TERMINATED:
            return "terminated";
        case SIP_CALL_CANCELLED:
            return "cancelled";
        case SIP_CALL_FAILED:
            return "failed";
    }
    return "?";
}

const char*
SipAudioVerdictName(SipAudioVerdict v)
{
    switch (v)
    {
        case SIP_AUDIO_NOT_CONNECTED:
            return "not connected";
        case SIP_AUDIO_NONE:
            return "none";
        case SIP_AUDIO_TWO_WAY:
            return "two-way";
        case SIP_AUDIO_ONE_WAY_IN:
            return "one-way (peer->local only)";
        case SIP_AUDIO_ONE_WAY_OUT:
            return "one-way (local->peer only)";
    }
    return "?";
}

const char*
SipRegistrationStateName(SipRegistrationState s)
{
    switch (s)
    {
        case SIP_REG_NONE:
            return "none";
        case SIP_REG_REGISTERING:
            return "registering";
        case SIP_REG_REGISTERED:
            return "registered";
        case SIP_REG_FAILED:
            return "failed";
    }
    return "?";
}

// ---------------------------------------------------------------------------------------------
// SipCallRecord

Time
SipCallRecord::SetupDelay() const
{
    if (!outgoing || answered.IsZero())
    {
        return Seconds(0);
    }
    return answered - inviteSent;
}

bool
SipCallRecord::WasAnswered() const
{
    return !answered.IsZero();
}

uint64_t
SipCallRecord::PacketsSent() const
{
    return rtp.packetsSent;
}

uint64_t
SipCallRecord::PacketsReceived() const
{
    return rtp.packetsReceived;
}

namespace
{
SipAudioVerdict
VerdictOf(bool answered, bool in, bool out)
{
    if (!answered)
    {
        return SIP_AUDIO_NOT_CONNECTED;
    }
    if (in && out)
    {
        return SIP_AUDIO_TWO_WAY;
    }
    if (in)
    {
        return SIP_AUDIO_ONE_WAY_IN;
    }
    if (out)
    {
        return SIP_AUDIO_ONE_WAY_OUT;
    }
    return SIP_AUDIO_NONE;
}
} // namespace

SipAudioVerdict
SipCallRecord::Verdict() const
{
    return VerdictOf(WasAnswered(), rtp.packetsReceived > 0, rtp.peerReportedReceived > 0);
}

SipAudioVerdict
SipCombinedVerdict(const SipCallRecord& a, const SipCallRecord& b)
{
    return VerdictOf(a.WasAnswered() && b.WasAnswered(), a.rtp.packetsReceived > 0,
                     b.rtp.packetsReceived > 0);
}

std::string
SipCallRecord::Summary() const
{
    std::ostringstream os;
    os << "call " << index << (outgoing ? " to " : " from ")
       << (outgoing ? (target.empty() ? remoteUri : target) : remoteUri) << ": "
       << SipCallStateName(state);
    if (finalStatus)
    {
        os << " (" << finalStatus << ")";
    }
    if (outgoing && WasAnswered())
    {
        os << " setup " << SetupDelay().GetMilliSeconds() << " ms";
    }
    os << " rtp sent " << rtp.packetsSent << " received " << rtp.packetsReceived << " audio "
       << SipAudioVerdictName(Verdict());
    if (!endReason.empty())
    {
        os << " [" << endReason << "]";
    }
    return os.str();
}

// ---------------------------------------------------------------------------------------------
// SipTextMessage

SipTextMessage
SipTextMessage::Request(const std::string& method, const std::string& uri)
{
    SipTextMessage m;
    m.m_startLine = method + " " + uri + " SIP/2.0";
    return m;
}

SipTextMessage
SipTextMessage::Response(uint32_t code, const std::string& reason)
{
    SipTextMessage m;
    m.m_startLine = "SIP/2.0 " + std::to_string(code) + " "
                    + (reason.empty() ? ReasonPhrase(StatusProtocol::SIP, code) : reason);
    return m;
}

SipTextMessage
SipTextMessage::FromParsed(const SipMessage& msg, const uint8_t* data)
{
    SipTextMessage m;
    m.m_startLine = msg.startLineSpan.Text(data);
    for (std::size_t i = 0; i < msg.headers.size(); ++i)
    {
        const SipHeader& h = msg.headers[i];
        std::string name = h.id == SipHeaderId::UNKNOWN ? h.name : h.canonical;
        if (h.id == SipHeaderId::CONTENT_LENGTH)
        {
            continue;
        }
        if (h.id == SipHeaderId::VIA || h.id == SipHeaderId::ROUTE)
        {
            bool any = false;
            if (h.id == SipHeaderId::VIA)
            {
                for (const SipVia& v : msg.vias)
                {
                    if (v.headerIndex == i)
                    {
                        m.m_headers.emplace_back(name, v.span.Text(data));
                        any = true;
                    }
                }
            }
            else
            {
                for (const SipNameAddr& r : msg.routes)
                {
                    if (r.headerIndex == i)
                    {
                        m.m_headers.emplace_back(name, r.span.Text(data));
                        any = true;
                    }
                }
            }
            if (any)
            {
                continue;
            }
        }
        m.m_headers.emplace_back(name, h.value);
    }
    if (msg.bodyLength > 0)
    {
        m.m_body.assign(reinterpret_cast<const char*>(data) + msg.bodyOffset, msg.bodyLength);
    }
    return m;
}

void
SipTextMessage::SetStartLine(const std::string& line)
{
    m_startLine = line;
}

const std::string&
SipTextMessage::GetStartLine() const
{
    return m_startLine;
}

void
SipTextMessage::AddHeader(const std::string& name, const std::string& value)
{
    m_headers.emplace_back(name, value);
}

void
SipTextMessage::PrependHeader(const std::string& name, const std::string& value)
{
    m_headers.insert(m_headers.begin(), std::make_pair(name, value));
}

void
SipTextMessage::InsertHeaderBefore(const std::string& before, const std::string& name,
                                   const std::string& value)
{
    for (auto it = m_headers.begin(); it != m_headers.end(); ++it)
    {
        if (AsciiIEquals(it->first, before))
        {
            m_headers.insert(it, std::make_pair(name, value));
            return;
        }
    }
    m_headers.emplace_back(name, value);
}

void
SipTextMessage::SetHeader(const std::string& name, const std::string& value)
{
    for (auto& h : m_headers)
    {
        if (AsciiIEquals(h.first, name))
        {
            h.second = value;
            return;
        }
    }
    m_headers.emplace_back(name, value);
}

std::size_t
SipTextMessage::RemoveHeaders(const std::string& name)
{
    std::size_t before = m_headers.size();
    m_headers.erase(std::remove_if(m_headers.begin(), m_headers.end(),
                                   [&name](const std::pair<std::string, std::string>& h)
                                   {
                                       return AsciiIEquals(h.first, name);
                                   }),
                    m_headers.end());
    return before - m_headers.size();
}

bool
SipTextMessage::RemoveFirstHeader(const std::string& name)
{
    for (auto it = m_headers.begin(); it != m_headers.end(); ++it)
    {
        if (AsciiIEquals(it->first, name))
        {
            m_headers.erase(it);
            return true;
        }
    }
    return false;
}

std::string
SipTextMessage::GetHeader(const std::string& name) const
{
    for (const auto& h : m_headers)
    {
        if (AsciiIEquals(h.first, name))
        {
            return h.second;
        }
    }
    return "";
}

const std::vector<std::pair<std::string, std::string>>&
SipTextMessage::GetHeaders() const
{
    return m_headers;
}

void
SipTextMessage::SetBody(const std::string& body, const std::string& contentType)
{
    m_body = body;
    RemoveHeaders("Content-Type");
    if (!contentType.empty())
    {
        m_headers.emplace_back("Content-Type", contentType);
    }
}

const std::string&
SipTextMessage::GetBody() const
{
    return m_body;
}

std::string
SipTextMessage::ToString() const
{
    std::string out = m_startLine + "\r\n";
    for (const auto& h : m_headers)
    {
        if (AsciiIEquals(h.first, "Content-Length") || AsciiIEquals(h.first, "l"))
        {
            continue;
        }
        out += h.first + ": " + h.second + "\r\n";
    }
    out += "Content-Length: " + std::to_string(m_body.size()) + "\r\n\r\n";
    out += m_body;
    return out;
}

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
SipTransport::Open(Ptr<Node> node, uint16_t port, bool udp, bool tcp, ReceiveCallback cb,
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
            throw ConfigError(owner + ": UDP port " + std::to_string(port) + " is in use on node "
                              + std::to_string(node->GetId()));
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
            throw ConfigError(owner + ": TCP port " + std::to_string(port) + " is in use on node "
                              + std::to_string(node->GetId()));
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
SipTransport::Deliver(const std::string& text, bool stream, Ipv4Address from, uint16_t port,
                      Ptr<Socket> conn)
{
    SipParseOptions opt;
    opt.stream = stream;
    SipMessage msg;
    SipParseStatus st = ParseSipMessage(Bytes(text), text.size(), msg, opt);
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
        Ptr<Packet> p = Create<Packet>(Bytes(c.tx), n);
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
        SipParseStatus st = ParseSipMessage(Bytes(rx), rx.size(), frame, opt);
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
SipTransport::Send(const std::string& text, Ipv4Address to, uint16_t port, bool tcp,
                   Ptr<Socket> conn)
{
    if (!tcp)
    {
        if (!m_udp)
        {
            return nullptr;
        }
        Ptr<Packet> p = Create<Packet>(Bytes(text), static_cast<uint32_t>(text.size()));
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

// ---------------------------------------------------------------------------------------------
// SipUserAgent

TypeId
SipUserAgent::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::SipUserAgent")
              .SetParent<Application>()
              .SetGroupName("Fortigate")
              .AddConstructor<SipUserAgent>()
              .AddAttribute("Transport", "SIP transport: UDP or TCP.", EnumValue(UDP),
                            MakeEnumAccessor(&SipUserAgent::m_transport),
                            MakeEnumChecker(UDP, "UDP", TCP, "TCP"))
              .AddAttribute("LocalPort", "Local SIP port (UDP socket and TCP listener).",
                            UintegerValue(5060), MakeUintegerAccessor(&SipUserAgent::m_localPort),
                            MakeUintegerChecker<uint16_t>(1))
              .AddAttribute("User", "User part of the address-of-record.", StringValue("user"),
                            MakeStringAccessor(&SipUserAgent::m_user), MakeStringChecker())
              .AddAttribute("Domain",
                            "Host part of the address-of-record; empty means the registrar's "
                            "address (or our own without a registrar).",
                            StringValue(""), MakeStringAccessor(&SipUserAgent::m_domain),
                            MakeStringChecker())
              .AddAttribute("DisplayName", "Display name in From.", StringValue(""),
                            MakeStringAccessor(&SipUserAgent::m_displayName), MakeStringChecker())
              .AddAttribute("RegistrarAddress",
                            "Registrar and outbound proxy; 0.0.0.0 for none (calls go straight "
                            "to the target URI's host).",
                            Ipv4AddressValue(Ipv4Address::GetAny()),
                            MakeIpv4AddressAccessor(&SipUserAgent::m_registrar),
                            MakeIpv4AddressChecker())
              .AddAttribute("RegistrarPort", "Registrar / proxy port.", UintegerValue(5060),
                            MakeUintegerAccessor(&SipUserAgent::m_registrarPort),
                            MakeUintegerChecker<uint16_t>(1))
              .AddAttribute("Register", "Send REGISTER at start when a registrar is set.",
                            BooleanValue(true), MakeBooleanAccessor(&SipUserAgent::m_register),
                            MakeBooleanChecker())
              .AddAttribute("RegisterExpires", "Expiry asked for in REGISTER (seconds).",
                            UintegerValue(3600),
                            MakeUintegerAccessor(&SipUserAgent::m_registerExpires),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("RegisterRefreshRatio",
                            "Re-register after this fraction of the granted expiry.",
                            DoubleValue(0.5), MakeDoubleAccessor(&SipUserAgent::m_refreshRatio),
                            MakeDoubleChecker<double>(0.05, 0.99))
              .AddAttribute("RegisterRetryInterval", "Retry a failed registration after this.",
                            TimeValue(Seconds(30)),
                            MakeTimeAccessor(&SipUserAgent::m_registerRetry),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("ContactAddress",
                            "Address written into Via, Contact and SDP; 0.0.0.0 means the node's "
                            "own interface address (a private address behind NAT). Set a public "
                            "address to model a PBX that writes its public address itself.",
                            Ipv4AddressValue(Ipv4Address::GetAny()),
                            MakeIpv4AddressAccessor(&SipUserAgent::m_contactAddress),
                            MakeIpv4AddressChecker())
              .AddAttribute("RtpPort",
                            "Local RTP port of the first call (RTCP +1); concurrent calls use the "
                            "next free even port.",
                            UintegerValue(16384), MakeUintegerAccessor(&SipUserAgent::m_rtpPort),
                            MakeUintegerChecker<uint16_t>(1, 65534))
              .AddAttribute(
                  "SdpRtcpAttribute", "Write a=rtcp:<port> into the SDP.", BooleanValue(false),
                  MakeBooleanAccessor(&SipUserAgent::m_sdpRtcpAttribute), MakeBooleanChecker())
              .AddAttribute("AutoAnswer", "Answer incoming calls after RingTime (else ring).",
                            BooleanValue(true), MakeBooleanAccessor(&SipUserAgent::m_autoAnswer),
                            MakeBooleanChecker())
              .AddAttribute("RingTime", "Time between 180 Ringing and the final response.",
                            TimeValue(Seconds(1)), MakeTimeAccessor(&SipUserAgent::m_ringTime),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("AnswerCode",
                            "Final response to incoming INVITEs: 200 answers, 4xx-6xx rejects "
                            "(e.g. 486 Busy Here).",
                            UintegerValue(200), MakeUintegerAccessor(&SipUserAgent::m_answerCode),
                            MakeUintegerChecker<uint32_t>(200, 699))
              .AddAttribute("CalleeHangupAfter",
                            "Incoming calls: send BYE this long after the ACK (0: never).",
                            TimeValue(Seconds(0)), MakeTimeAccessor(&SipUserAgent::m_calleeHangup),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("NoAnswerTimeout",
                            "Outgoing calls: CANCEL when not answered after this (0: never).",
                            TimeValue(Seconds(60)),
                            MakeTimeAccessor(&SipUserAgent::m_noAnswerTimeout),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("T1", "RFC 3261 T1 (RTT estimate).", TimeValue(MilliSeconds(500)),
                            MakeTimeAccessor(&SipUserAgent::m_t1), MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("T2", "RFC 3261 T2 (non-INVITE retransmission cap).",
                            TimeValue(Seconds(4)), MakeTimeAccessor(&SipUserAgent::m_t2),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("Rport", "Put ;rport (RFC 3581) into Via.", BooleanValue(true),
                            MakeBooleanAccessor(&SipUserAgent::m_rport), MakeBooleanChecker())
              .AddAttribute("SymmetricRtp",
                            "Send RTP to the address:port the peer's RTP comes from once it "
                            "arrives (comedia), instead of the SDP address.",
                            BooleanValue(false), MakeBooleanAccessor(&SipUserAgent::m_symmetricRtp),
                            MakeBooleanChecker())
              .AddAttribute("UserAgentName", "User-Agent header value.",
                            StringValue("ns-3 SipUserAgent"),
                            MakeStringAccessor(&SipUserAgent::m_userAgentName), MakeStringChecker())
              .AddTraceSource("SipTx", "A SIP message was sent (text, destination, port).",
                              MakeTraceSourceAccessor(&SipUserAgent::m_txTrace),
                              "ns3::SipUserAgent::MessageCallback")
              .AddTraceSource("SipRx", "A SIP message was received (text, source, port).",
                              MakeTraceSourceAccessor(&SipUserAgent::m_rxTrace),
                              "ns3::SipUserAgent::MessageCallback")
              .AddTraceSource("CallStateChanged", "A call changed state.",
                              MakeTraceSourceAccessor(&SipUserAgent::m_stateTrace),
                              "ns3::SipUserAgent::CallStateCallback")
              .AddTraceSource("RegistrationChanged", "The registration changed state.",
                              MakeTraceSourceAccessor(&SipUserAgent::m_regTrace),
                              "ns3::SipUserAgent::RegistrationCallback");
    return tid;
}

SipUserAgent::SipUserAgent()
    : m_transport(UDP)
    , m_localPort(5060)
    , m_user("user")
    , m_registrarPort(5060)
    , m_register(true)
    , m_registerExpires(3600)
    , m_refreshRatio(0.5)
    , m_registerRetry(Seconds(30))
    , m_rtpPort(16384)
    , m_sdpRtcpAttribute(false)
    , m_autoAnswer(true)
    , m_ringTime(Seconds(1))
    , m_answerCode(200)
    , m_calleeHangup(Seconds(0))
    , m_noAnswerTimeout(Seconds(60))
    , m_t1(MilliSeconds(500))
    , m_t2(Seconds(4))
    , m_rport(true)
    , m_symmetricRtp(false)
    , m_userAgentName("ns-3 SipUserAgent")
{
    NS_LOG_FUNCTION(this);
    m_rng = CreateObject<UniformRandomVariable>();
}

SipUserAgent::~SipUserAgent()
{
    NS_LOG_FUNCTION(this);
}

void
SipUserAgent::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (CallData& c : m_calls)
    {
        if (c.rtp)
        {
            Snapshot(c);
            c.rtp->Dispose();
            c.rtp = nullptr;
        }
    }
    for (auto& t : m_clientTx)
    {
        t.second.retransmit.Cancel();
        t.second.timeout.Cancel();
    }
    m_clientTx.clear();
    for (auto& t : m_serverTx)
    {
        t.second.expire.Cancel();
    }
    m_serverTx.clear();
    if (m_sip)
    {
        m_sip->Dispose();
        m_sip = nullptr;
        m_sipOpen = false;
    }
    m_rng = nullptr;
    Application::DoDispose();
}

int64_t
SipUserAgent::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

// ---- public API ------------------------------------------------------------------------------

uint32_t
SipUserAgent::Call(const std::string& target, Time at, Time duration, Time cancelAfter)
{
    if (target.empty())
    {
        throw ConfigError("SipUserAgent " + m_user + ": Call target is empty");
    }
    if (duration.IsStrictlyNegative() || cancelAfter.IsStrictlyNegative())
    {
        throw ConfigError("SipUserAgent " + m_user + ": Call duration/cancelAfter is negative");
    }
    CallData c;
    c.rec.index = static_cast<uint32_t>(m_calls.size());
    c.rec.outgoing = true;
    c.rec.target = target;
    c.rec.scheduled = at;
    c.duration = duration;
    c.cancelAfter = cancelAfter;
    m_calls.push_back(c);
    uint32_t index = c.rec.index;
    if (m_running)
    {
        Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
        Simulator::Schedule(delay, &SipUserAgent::StartCall, this, index);
    }
    return index;
}

void
SipUserAgent::Hold(uint32_t index, Time at)
{
    if (index >= m_calls.size())
    {
        throw ConfigError("SipUserAgent " + m_user + ": Hold: no call " + std::to_string(index));
    }
    Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
    Simulator::Schedule(delay, &SipUserAgent::SendReInvite, this, index, SdpDirection::SENDONLY);
}

void
SipUserAgent::Resume(uint32_t index, Time at)
{
    if (index >= m_calls.size())
    {
        throw ConfigError("SipUserAgent " + m_user + ": Resume: no call " + std::to_string(index));
    }
    Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
    Simulator::Schedule(delay, &SipUserAgent::SendReInvite, this, index, SdpDirection::SENDRECV);
}

void
SipUserAgent::Hangup(uint32_t index, Time at)
{
    if (index >= m_calls.size())
    {
        throw ConfigError("SipUserAgent " + m_user + ": Hangup: no call " + std::to_string(index));
    }
    Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
    Simulator::Schedule(delay, &SipUserAgent::DoHangup, this, index);
}

void
SipUserAgent::SendOptions(const std::string& target, Time at)
{
    if (target.empty())
    {
        throw ConfigError("SipUserAgent " + m_user + ": SendOptions target is empty");
    }
    m_pendingOptions.emplace_back(target, at);
    if (m_running)
    {
        Time delay = at > Simulator::Now() ? at - Simulator::Now() : Seconds(0);
        Simulator::Schedule(delay,
                            [this, target]()
                            {
                                std::string uri = TargetUri(target);
                                Ipv4Address to;
                                uint16_t port;
                                bool tcp;
                                if (!Resolve(uri, false, to, port, tcp))
                                {
                                    m_optionsResponses.push_back(0);
                                    return;
                                }
                                std::string branch = NewBranch();
                                SipTextMessage req = SipTextMessage::Request("OPTIONS", uri);
                                req.AddHeader("Via", Via(branch));
                                req.AddHeader("Max-Forwards", "70");
                                req.AddHeader("From", "<" + GetAor() + ">;tag=" + NewTag());
                                req.AddHeader("To", "<" + uri + ">");
                                req.AddHeader("Call-ID", NewCallId());
                                req.AddHeader("CSeq", "1 OPTIONS");
                                req.AddHeader("Contact", ContactValue());
                                req.AddHeader("Accept", "application/sdp");
                                req.AddHeader("User-Agent", m_userAgentName);
                                SendRequest(req, SipMethod::OPTIONS, branch, to, port, tcp, nullptr,
                                            -1);
                            });
    }
}

uint32_t
SipUserAgent::GetCallCount() const
{
    return static_cast<uint32_t>(m_calls.size());
}

SipCallRecord
SipUserAgent::GetCall(uint32_t index) const
{
    if (index >= m_calls.size())
    {
        throw ConfigError("SipUserAgent " + m_user + ": GetCall: no call " + std::to_string(index)
                          + " (" + std::to_string(m_calls.size()) + " calls)");
    }
    SipCallRecord r = m_calls[index].rec;
    if (m_calls[index].rtp)
    {
        r.rtp = m_calls[index].rtp->GetStats();
    }
    return r;
}

std::vector<SipCallRecord>
SipUserAgent::GetCalls() const
{
    std::vector<SipCallRecord> out;
    for (uint32_t i = 0; i < m_calls.size(); ++i)
    {
        out.push_back(GetCall(i));
    }
    return out;
}

bool
SipUserAgent::FindCall(const std::string& callId, SipCallRecord& out) const
{
    for (uint32_t i = 0; i < m_calls.size(); ++i)
    {
        if (m_calls[i].rec.callId == callId)
        {
            out = GetCall(i);
            return true;
        }
    }
    return false;
}

SipRegistrationInfo
SipUserAgent::GetRegistration() const
{
    return m_reg;
}

bool
SipUserAgent::IsRegistered() const
{
    return m_reg.state == SIP_REG_REGISTERED;
}

std::string
SipUserAgent::Domain() const
{
    if (!m_domain.empty())
    {
        return m_domain;
    }
    std::ostringstream os;
    if (m_registrar != Ipv4Address::GetAny())
    {
        os << m_registrar;
    }
    else
    {
        os << m_ownAddress;
    }
    return os.str();
}

std::string
SipUserAgent::GetAor() const
{
    return "sip:" + m_user + "@" + Domain();
}

Ipv4Address
SipUserAgent::GetContactAddress() const
{
    return m_ownAddress;
}

std::vector<uint32_t>
SipUserAgent::GetOptionsResponses() const
{
    return m_optionsResponses;
}

Ptr<SipTransport>
SipUserAgent::GetTransport() const
{
    return m_sip;
}

// ---- start / stop ----------------------------------------------------------------------------

void
SipUserAgent::Open()
{
    NS_LOG_FUNCTION(this);
    if (m_sipOpen)
    {
        return;
    }
    Ptr<SipTransport> sip = CreateObject<SipTransport>();
    sip->Open(GetNode(), m_localPort, m_transport == UDP, true,
              MakeCallback(&SipUserAgent::Receive, this), "SipUserAgent " + m_user);
    m_sip = sip;
    m_sipOpen = true;
}

void
SipUserAgent::StartApplication()
{
    NS_LOG_FUNCTION(this);
    m_ownAddress = m_contactAddress;
    if (m_ownAddress == Ipv4Address::GetAny())
    {
        Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
        for (uint32_t i = 0; ipv4 && i < ipv4->GetNInterfaces(); ++i)
        {
            if (ipv4->GetNAddresses(i) == 0)
            {
                continue;
            }
            Ipv4Address a = ipv4->GetAddress(i, 0).GetLocal();
            if (a != Ipv4Address::GetLoopback())
            {
                m_ownAddress = a;
                break;
            }
        }
    }
    Open(); // unless the scenario opened it already
    m_running = true;
    if (m_register && m_registrar != Ipv4Address::GetAny())
    {
        m_regCallId = NewCallId();
        m_regTag = NewTag();
        m_regCseq = 0;
        SendRegister();
    }
    for (CallData& c : m_calls)
    {
        if (c.rec.outgoing && c.rec.state == SIP_CALL_IDLE)
        {
            Time delay = c.rec.scheduled > Simulator::Now() ? c.rec.scheduled - Simulator::Now()
                                                            : Seconds(0);
            Simulator::Schedule(delay, &SipUserAgent::StartCall, this, c.rec.index);
        }
    }
    std::vector<std::pair<std::string, Time>> opts;
    opts.swap(m_pendingOptions);
    for (const auto& o : opts)
    {
        SendOptions(o.first, o.second);
    }
}

void
SipUserAgent::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    m_regEvent.Cancel();
    m_regExpiry.Cancel();
    for (CallData& c : m_calls)
    {
        for (EventId* e :
             {&c.answerEvent, &c.hangupEvent, &c.cancelEvent, &c.retransmit2xx, &c.ackTimeout})
        {
            e->Cancel();
        }
        if (c.rtp)
        {
            Snapshot(c);
            c.rtp->Close();
        }
    }
    for (auto& t : m_clientTx)
    {
        t.second.retransmit.Cancel();
        t.second.timeout.Cancel();
    }
    m_clientTx.clear();
    if (m_sip)
    {
        m_sip->Close();
    }
    m_sipOpen = false;
}

// ---- small builders ---------------------------------------------------------------------------

std::string
SipUserAgent::NewBranch()
{
    return "z9hG4bK" + Hex(m_rng->GetInteger(0, 0xffffffffu), 8)
           + Hex(m_rng->GetInteger(0, 0xffffffffu), 8);
}

std::string
SipUserAgent::NewTag()
{
    return Hex(m_rng->GetInteger(0, 0xffffffffu), 8);
}

std::string
SipUserAgent::NewCallId()
{
    std::ostringstream os;
    os << Hex(m_rng->GetInteger(0, 0xffffffffu), 8) << Hex(m_rng->GetInteger(0, 0xffffffffu), 8)
       << "@" << m_ownAddress;
    return os.str();
}

std::string
SipUserAgent::Via(const std::string& branch) const
{
    std::ostringstream os;
    os << "SIP/2.0/" << (m_transport == TCP ? "TCP" : "UDP") << " " << m_ownAddress << ":"
       << m_localPort << ";branch=" << branch << (m_rport ? ";rport" : "");
    return os.str();
}

std::string
SipUserAgent::ContactValue() const
{
    std::ostringstream os;
    os << "<sip:" << m_user << "@" << m_ownAddress << ":" << m_localPort
       << (m_transport == TCP ? ";transport=tcp" : "") << ">";
    return os.str();
}

std::string
SipUserAgent::TargetUri(const std::string& target) const
{
    if (target.compare(0, 4, "sip:") == 0 || target.compare(0, 5, "sips:") == 0)
    {
        return target;
    }
    if (target.find('@') != std::string::npos)
    {
        return "sip:" + target;
    }
    return "sip:" + target + "@" + Domain();
}

bool
SipUserAgent::Resolve(const std::string& uriText, bool inDialog, Ipv4Address& to, uint16_t& port,
                      bool& tcp) const
{
    SipUri uri;
    std::string error;
    bool parsed = ParseSipUri(Bytes(uriText), uriText.size(), uri, error);
    const SipParam* transport = parsed ? FindSipParam(uri.params, "transport") : nullptr;
    tcp = m_transport == TCP || (transport && AsciiIEquals(transport->value, "tcp"));
    if (!inDialog && m_registrar != Ipv4Address::GetAny())
    {
        to = m_registrar;
        port = m_registrarPort;
        tcp = m_transport == TCP;
        return true;
    }
    if (parsed && uri.hostIsIpv4)
    {
        to = Ipv4Address(uri.ipv4);
        port = uri.EffectivePort();
        return true;
    }
    if (m_registrar != Ipv4Address::GetAny())
    {
        to = m_registrar;
        port = m_registrarPort;
        return true;
    }
    return false;
}

Ptr<Socket>
SipUserAgent::SendRaw(std::string text, Ipv4Address to, uint16_t port, bool tcp,
                      Ptr<Socket> conn)
{
    if (!m_sip)
    {
        return nullptr;
    }
    m_txTrace(text, to, port);
    NS_LOG_INFO(m_user << " -> " << to << ":" << port << (tcp ? "/tcp" : "") << " "
                       << text.substr(0, text.find('\r')));
    return m_sip->Send(text, to, port, tcp, conn);
}

// ---- client transactions ---------------------------------------------------------------------

std::string
SipUserAgent::SendRequest(SipTextMessage req, SipMethod method, const std::string& branch,
                          Ipv4Address to, uint16_t port, bool tcp, Ptr<Socket> conn, int64_t call,
                          bool reinvite)
{
    if (req.GetHeader("User-Agent").empty())
    {
        req.AddHeader("User-Agent", m_userAgentName);
    }
    std::string key = ClientKey(branch, method);
    ClientTx& tx = m_clientTx[key];
    tx.retransmit.Cancel();
    tx.timeout.Cancel();
    tx.branch = branch;
    tx.method = method;
    tx.text = req.ToString();
    tx.to = to;
    tx.port = port;
    tx.tcp = tcp;
    tx.conn = conn;
    tx.call = call;
    tx.provisional = false;
    tx.reinvite = reinvite;
    tx.interval = m_t1;
    Ptr<Socket> used = SendRaw(tx.text, to, port, tcp, conn);
    // The answer may have arrived during the send (UDP on the same node) and ended the
    // transaction: look it up again rather than keep a reference across the send.
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return key;
    }
    it->second.conn = used;
    if (!tcp)
    {
        it->second.retransmit =
            Simulator::Schedule(it->second.interval, &SipUserAgent::RetransmitRequest, this, key);
    }
    it->second.timeout =
        Simulator::Schedule(m_t1 * 64, &SipUserAgent::TransactionTimeout, this, key);
    return key;
}

void
SipUserAgent::RetransmitRequest(std::string key)
{
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    ClientTx& tx = it->second;
    if (tx.method == SipMethod::INVITE && tx.provisional)
    {
        return; // RFC 3261 17.1.1.2: a provisional response stops INVITE retransmissions
    }
    if (tx.method == SipMethod::REGISTER)
    {
        ++m_reg.transmissions;
    }
    if (tx.method == SipMethod::INVITE && tx.call >= 0 && !tx.reinvite)
    {
        ++m_calls[tx.call].rec.inviteTransmissions;
    }
    Ptr<Socket> used = SendRaw(tx.text, tx.to, tx.port, tx.tcp, tx.conn);
    // The send may deliver the answer at once and end the transaction (see SendRequest).
    it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    ClientTx& again = it->second;
    again.conn = used;
    if (again.method == SipMethod::INVITE)
    {
        again.interval = again.interval * 2; // timer A doubles
    }
    else
    {
        // timer E: doubles up to T2; T2 once a provisional response arrived
        again.interval = again.provisional ? m_t2 : std::min(again.interval * 2, m_t2);
    }
    again.retransmit =
        Simulator::Schedule(again.interval, &SipUserAgent::RetransmitRequest, this, key);
}

void
SipUserAgent::EndTransaction(const std::string& key)
{
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    it->second.retransmit.Cancel();
    it->second.timeout.Cancel();
    m_clientTx.erase(it);
}

void
SipUserAgent::TransactionTimeout(std::string key)
{
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        return;
    }
    ClientTx tx = it->second;
    if (tx.method == SipMethod::INVITE && tx.provisional)
    {
        return; // timer B only runs in the calling state; keep the transaction
    }
    EndTransaction(key);
    NS_LOG_INFO(m_user << ": " << SipMethodName(tx.method) << " timed out");
    switch (tx.method)
    {
        case SipMethod::REGISTER:
            RegisterTimeout();
            break;
        case SipMethod::INVITE:
            if (tx.call >= 0 && !tx.reinvite)
            {
                CallData& c = m_calls[tx.call];
                if (c.rec.state == SIP_CALL_CALLING || c.rec.state == SIP_CALL_PROCEEDING
                    || c.rec.state == SIP_CALL_RINGING)
                {
                    c.rec.finalStatus = 408;
                    EndCall(c, c.cancelSent ? SIP_CALL_CANCELLED : SIP_CALL_FAILED,
                            "timeout (no response to INVITE)");
                }
            }
            else if (tx.call >= 0)
            {
                m_calls[tx.call].reinviteOutstanding = false;
            }
            break;
        case SipMethod::BYE:
            if (tx.call >= 0)
            {
                CallData& c = m_calls[tx.call];
                if (c.rec.state == SIP_CALL_TERMINATING)
                {
                    c.rec.endReason += " (no response to BYE)";
                    EndCall(c, SIP_CALL_TERMINATED, c.rec.endReason);
                }
            }
            break;
        case SipMethod::OPTIONS:
            m_optionsResponses.push_back(408);
            break;
        default:
            break;
    }
}

// ---- registration ----------------------------------------------------------------------------

void
SipUserAgent::SetRegState(SipRegistrationState s, const std::string& reason)
{
    if (m_reg.state != s || !reason.empty())
    {
        m_reg.state = s;
        m_regTrace(s, reason);
    }
}

void
SipUserAgent::SendRegister()
{
    if (!m_running)
    {
        return;
    }
    m_regEvent.Cancel();
    if (!m_regBranch.empty())
    {
        EndTransaction(m_regBranch);
    }
    if (m_regExpires == 0)
    {
        m_regExpires = m_registerExpires;
    }
    ++m_regCseq;
    std::string branch = NewBranch();
    std::ostringstream ruri;
    ruri << "sip:" << Domain();
    SipTextMessage req = SipTextMessage::Request("REGISTER", ruri.str());
    req.AddHeader("Via", Via(branch));
    req.AddHeader("Max-Forwards", "70");
    req.AddHeader("From", "<" + GetAor() + ">;tag=" + m_regTag);
    req.AddHeader("To", "<" + GetAor() + ">");
    req.AddHeader("Call-ID", m_regCallId);
    req.AddHeader("CSeq", std::to_string(m_regCseq) + " REGISTER");
    req.AddHeader("Contact", ContactValue());
    req.AddHeader("Expires", std::to_string(m_regExpires));
    req.AddHeader("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS");
    if (m_reg.requests == 0)
    {
        m_reg.firstRequest = Simulator::Now();
    }
    ++m_reg.requests;
    ++m_reg.transmissions;
    if (m_reg.state != SIP_REG_REGISTERED)
    {
        SetRegState(SIP_REG_REGISTERING, "");
    }
    // The key is known before the send: the answer may arrive during it (see SendRequest).
    m_regBranch = ClientKey(branch, SipMethod::REGISTER);
    SendRequest(req, SipMethod::REGISTER, branch, m_registrar, m_registrarPort, m_transport == TCP,
                nullptr, -1);
}

void
SipUserAgent::RegisterResponse(const SipMessage& msg, const std::string& text)
{
    if (msg.statusCode < 200)
    {
        return;
    }
    EndTransaction(m_regBranch);
    m_regBranch.clear();
    if (msg.statusCode >= 200 && msg.statusCode < 300)
    {
        // The expiry granted for our binding: the Contact matching ours (or the only one),
        // else the Expires header, else what we asked for.
        uint32_t granted = msg.hasExpires ? msg.expires : m_regExpires;
        const SipNameAddr* mine = nullptr;
        for (const SipNameAddr& c : msg.contacts)
        {
            if (c.uri.hostIsIpv4 && Ipv4Address(c.uri.ipv4) == m_ownAddress
                && c.uri.EffectivePort() == m_localPort)
            {
                mine = &c;
            }
        }
        if (!mine && msg.contacts.size() == 1)
        {
            mine = &msg.contacts[0];
        }
        if (mine)
        {
            granted = mine->hasExpires ? mine->expires : granted;
            m_reg.registeredContact = mine->uri.span.Text(text);
        }
        Time now = Simulator::Now();
        if (m_reg.successes == 0)
        {
            m_reg.firstSuccess = now;
            m_reg.registrationDelay = now - m_reg.firstRequest;
        }
        ++m_reg.successes;
        m_reg.lastSuccess = now;
        m_reg.grantedExpires = granted;
        m_reg.expiresAt = now + Seconds(granted);
        m_regExpiry.Cancel();
        if (granted == 0)
        {
            SetRegState(SIP_REG_NONE, "");
            return;
        }
        SetRegState(SIP_REG_REGISTERED, "");
        m_regExpiry = Simulator::Schedule(Seconds(granted),
                                          [this]()
                                          {
                                              if (m_reg.state == SIP_REG_REGISTERED)
                                              {
                                                  m_reg.lastFailure = "binding expired";
                                                  SetRegState(SIP_REG_FAILED, "binding expired");
                                              }
                                          });
        m_regEvent = Simulator::Schedule(Seconds(granted * m_refreshRatio),
                                         &SipUserAgent::SendRegister, this);
        return;
    }
    if (msg.statusCode == 423)
    {
        const SipHeader* min = msg.FindHeader(SipHeaderId::MIN_EXPIRES);
        uint32_t v = min ? static_cast<uint32_t>(std::strtoul(min->value.c_str(), nullptr, 10)) : 0;
        if (v > m_regExpires)
        {
            m_regExpires = v;
            SendRegister();
            return;
        }
    }
    ++m_reg.failures;
    m_reg.lastFailure = std::to_string(msg.statusCode) + " " + msg.reason;
    SetRegState(SIP_REG_FAILED, m_reg.lastFailure);
    m_regEvent = Simulator::Schedule(m_registerRetry, &SipUserAgent::SendRegister, this);
}

void
SipUserAgent::RegisterTimeout()
{
    m_regBranch.clear();
    ++m_reg.failures;
    m_reg.lastFailure = "timeout (no response to REGISTER)";
    SetRegState(SIP_REG_FAILED, m_reg.lastFailure);
    m_regEvent = Simulator::Schedule(m_registerRetry, &SipUserAgent::SendRegister, this);
}

// ---- SDP and media ---------------------------------------------------------------------------

std::string
SipUserAgent::BuildSdp(CallData& c) const
{
    std::ostringstream a;
    a << m_ownAddress;
    std::ostringstream os;
    os << "v=0\r\n"
       << "o=" << m_user << " " << c.sdpSessionId << " " << c.sdpVersion << " IN IP4 " << a.str()
       << "\r\n"
       << "s=ns-3 SipUserAgent\r\n"
       << "c=IN IP4 " << a.str() << "\r\n"
       << "t=0 0\r\n"
       << "m=audio " << c.rec.localRtpPort << " RTP/AVP 0\r\n"
       << "a=rtpmap:0 PCMU/8000\r\n"
       << "a=ptime:20\r\n";
    if (m_sdpRtcpAttribute)
    {
        os << "a=rtcp:" << (c.rec.localRtpPort + 1) << "\r\n";
    }
    os << "a=" << SdpDirectionName(c.answeredDirection) << "\r\n";
    return os.str();
}

bool
SipUserAgent::ApplyRemoteSdp(CallData& c, const SipMessage& msg)
{
    if (!msg.hasSdp)
    {
        return false;
    }
    const SdpMessage& sdp = msg.sdp;
    for (std::size_t i = 0; i < sdp.media.size(); ++i)
    {
        const SdpMedia& m = sdp.media[i];
        if (m.media != "audio")
        {
            continue;
        }
        const SdpAddress* conn = sdp.ConnectionFor(i);
        c.rec.remoteMediaAddress
            = conn && conn->isIpv4 ? Ipv4Address(conn->ipv4) : Ipv4Address::GetAny();
        c.rec.remoteRtpPort = m.port;
        c.rec.remoteRtcpPort = m.RtcpPort();
        c.remoteDir = m.direction;
        c.rec.remoteDirection = SdpDirectionName(m.direction);
        return true;
    }
    return false;
}

void
SipUserAgent::OpenMedia(CallData& c)
{
    if (c.rtp)
    {
        return;
    }
    // The first free even port from RtpPort (a second concurrent call needs another).
    for (uint32_t port = m_rtpPort; port + 1 <= 65535; port += 2)
    {
        Ptr<RtpStream> s = CreateObject<RtpStream>();
        s->SetNode(GetNode());
        s->SetAttribute("LocalPort", UintegerValue(port));
        s->SetAttribute("Cname", StringValue(m_user + "@" + Domain()));
        s->SetAttribute("Latching", BooleanValue(m_symmetricRtp));
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
        c.rec.localRtpPort = static_cast<uint16_t>(port);
        c.rec.localMediaAddress = m_ownAddress;
        return;
    }
}

void
SipUserAgent::UpdateMedia(CallData& c)
{
    if (!c.rtp)
    {
        return;
    }
    bool live = c.rec.state == SIP_CALL_ANSWERED || c.rec.state == SIP_CALL_CONFIRMED;
    bool haveRemote = c.rec.remoteMediaAddress != Ipv4Address::GetAny() && c.rec.remoteRtpPort;
    bool send = live && haveRemote && DirSends(c.answeredDirection) && DirReceives(c.remoteDir);
    if (send)
    {
        c.rtp->SetRemote(c.rec.remoteMediaAddress, c.rec.remoteRtpPort, c.rec.remoteRtcpPort);
        c.rtp->StartSending();
    }
    else
    {
        c.rtp->StopSending();
    }
}

void
SipUserAgent::Snapshot(CallData& c) const
{
    if (c.rtp)
    {
        c.rec.rtp = c.rtp->GetStats();
    }
}

void
SipUserAgent::SetState(CallData& c, SipCallState s)
{
    if (c.rec.state == s)
    {
        return;
    }
    SipCallState old = c.rec.state;
    c.rec.state = s;
    NS_LOG_INFO(m_user << " call " << c.rec.index << ": " << SipCallStateName(old) << " -> "
                       << SipCallStateName(s));
    m_stateTrace(c.rec.index, c.rec.callId, old, s);
}

void
SipUserAgent::EndCall(CallData& c, SipCallState s, const std::string& reason)
{
    for (EventId* e :
         {&c.answerEvent, &c.hangupEvent, &c.cancelEvent, &c.retransmit2xx, &c.ackTimeout})
    {
        e->Cancel();
    }
    if (c.rec.ended.IsZero())
    {
        c.rec.ended = Simulator::Now();
    }
    c.rec.endReason = reason;
    if (c.rtp)
    {
        c.rtp->StopSending();
        Snapshot(c);
        c.rtp->Close();
    }
    SetState(c, s);
}

// ---- calls: UAC ------------------------------------------------------------------------------

void
SipUserAgent::StartCall(uint32_t index)
{
    if (!m_running || index >= m_calls.size())
    {
        return;
    }
    CallData& c = m_calls[index];
    if (c.rec.state != SIP_CALL_IDLE)
    {
        return;
    }
    std::string uri = TargetUri(c.rec.target);
    c.requestUri = uri;
    c.rec.callId = NewCallId();
    c.localTag = NewTag();
    c.localNameAddr = (m_displayName.empty() ? std::string() : "\"" + m_displayName + "\" ") + "<"
                      + GetAor() + ">";
    c.remoteNameAddr = "<" + uri + ">";
    c.rec.localUri = GetAor();
    c.rec.remoteUri = uri;
    c.localCseq = 1 + m_rng->GetInteger(0, 9999);
    c.inviteCseq = c.localCseq;
    c.sdpSessionId = m_rng->GetInteger(1, 0x7fffffff);
    c.sdpVersion = 1;
    c.localDirection = SdpDirection::SENDRECV;
    c.answeredDirection = SdpDirection::SENDRECV;
    if (!Resolve(uri, false, c.inviteTo, c.invitePort, c.inviteTcp))
    {
        c.rec.finalStatus = 0;
        EndCall(c, SIP_CALL_FAILED, "cannot resolve " + uri);
        return;
    }
    OpenMedia(c);
    if (!c.rtp)
    {
        EndCall(c, SIP_CALL_FAILED, "no free RTP port");
        return;
    }
    c.inviteBranch = NewBranch();
    c.inviteVia = Via(c.inviteBranch);
    SipTextMessage req = SipTextMessage::Request("INVITE", uri);
    req.AddHeader("Via", c.inviteVia);
    req.AddHeader("Max-Forwards", "70");
    req.AddHeader("From", c.localNameAddr + ";tag=" + c.localTag);
    req.AddHeader("To", c.remoteNameAddr);
    req.AddHeader("Call-ID", c.rec.callId);
    req.AddHeader("CSeq", std::to_string(c.inviteCseq) + " INVITE");
    req.AddHeader("Contact", ContactValue());
    req.AddHeader("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS");
    req.SetBody(BuildSdp(c), "application/sdp");
    c.rec.inviteSent = Simulator::Now();
    c.rec.inviteTransmissions = 1;
    SetState(c, SIP_CALL_CALLING);
    SendRequest(req, SipMethod::INVITE, c.inviteBranch, c.inviteTo, c.invitePort, c.inviteTcp,
                nullptr, index);
    auto it = m_clientTx.find(ClientKey(c.inviteBranch, SipMethod::INVITE));
    if (it != m_clientTx.end())
    {
        c.inviteConn = it->second.conn;
    }
    Time limit = c.cancelAfter.IsStrictlyPositive() ? c.cancelAfter : m_noAnswerTimeout;
    if (limit.IsStrictlyPositive())
    {
        c.cancelEvent = Simulator::Schedule(limit, &SipUserAgent::NoAnswer, this, index);
    }
}

void
SipUserAgent::NoAnswer(uint32_t index)
{
    CallData& c = m_calls[index];
    if (c.rec.state == SIP_CALL_CALLING || c.rec.state == SIP_CALL_PROCEEDING
        || c.rec.state == SIP_CALL_RINGING)
    {
        SendCancel(index, "no answer");
    }
}

void
SipUserAgent::DoHangup(uint32_t index)
{
    CallData& c = m_calls[index];
    switch (c.rec.state)
    {
        case SIP_CALL_IDLE:
            EndCall(c, SIP_CALL_CANCELLED, "hung up before the INVITE");
            break;
        case SIP_CALL_CALLING:
        case SIP_CALL_PROCEEDING:
        case SIP_CALL_RINGING:
            if (c.rec.outgoing)
            {
                SendCancel(index, "hung up before answer");
            }
            else
            {
                // UAS declines a ringing call
                c.answerEvent.Cancel();
                SipMessage req;
                ParseSipMessage(Bytes(c.inviteRequest), c.inviteRequest.size(), req);
                c.rec.finalStatus = 603;
                SendResponse(c.serverKey, req, c.inviteRequest, 603, c.localTag, "");
                EndCall(c, SIP_CALL_FAILED, "declined (603)");
            }
            break;
        case SIP_CALL_ANSWERED:
        case SIP_CALL_CONFIRMED:
            SendBye(index, "BYE sent");
            break;
        default:
            break;
    }
}

void
SipUserAgent::SendCancel(uint32_t index, const std::string& reason)
{
    CallData& c = m_calls[index];
    if (c.cancelSent && !c.cancelPending)
    {
        return;
    }
    c.cancelSent = true;
    c.rec.endReason = reason;
    auto it = m_clientTx.find(ClientKey(c.inviteBranch, SipMethod::INVITE));
    if (it == m_clientTx.end() || !it->second.provisional)
    {
        // RFC 3261 9.1: no CANCEL before a provisional response; it goes out when one arrives
        // (or the INVITE times out).
        c.cancelPending = true;
        return;
    }
    c.cancelPending = false;
    SipTextMessage req = SipTextMessage::Request("CANCEL", c.requestUri);
    req.AddHeader("Via", c.inviteVia);
    req.AddHeader("Max-Forwards", "70");
    req.AddHeader("From", c.localNameAddr + ";tag=" + c.localTag);
    req.AddHeader("To", c.remoteNameAddr);
    req.AddHeader("Call-ID", c.rec.callId);
    req.AddHeader("CSeq", std::to_string(c.inviteCseq) + " CANCEL");
    SendRequest(req, SipMethod::CANCEL, c.inviteBranch, c.inviteTo, c.invitePort, c.inviteTcp,
                c.inviteConn, index);
    // RFC 3261 9.1: give up 64 x T1 after the CANCEL if the INVITE never completes.
    c.cancelEvent.Cancel();
    c.cancelEvent = Simulator::Schedule(
        m_t1 * 64,
        [this, index]()
        {
            CallData& cc = m_calls[index];
            if (cc.rec.state == SIP_CALL_CALLING || cc.rec.state == SIP_CALL_PROCEEDING
                || cc.rec.state == SIP_CALL_RINGING)
            {
                EndTransaction(ClientKey(cc.inviteBranch, SipMethod::INVITE));
                EndCall(cc, SIP_CALL_CANCELLED, cc.rec.endReason + " (no 487)");
            }
        });
}

SipTextMessage
SipUserAgent::InDialogRequest(CallData& c, const std::string& method, uint32_t cseq,
                              Ipv4Address& to, uint16_t& port, bool& tcp)
{
    std::string target = c.rec.remoteContact.empty() ? c.requestUri : c.rec.remoteContact;
    SipTextMessage req = SipTextMessage::Request(method, target);
    req.AddHeader("Max-Forwards", "70");
    // our side is From in requests we send, whichever end created the dialog
    req.AddHeader("From", c.localNameAddr + ";tag=" + c.localTag);
    req.AddHeader("To", c.remoteNameAddr + (c.remoteTag.empty() ? "" : ";tag=" + c.remoteTag));
    req.AddHeader("Call-ID", c.rec.callId);
    req.AddHeader("CSeq", std::to_string(cseq) + " " + method);
    for (const std::string& r : c.routeSet)
    {
        req.AddHeader("Route", r);
    }
    // First hop: the first Route (loose routing), else the remote target.
    std::string hop = target;
    if (!c.routeSet.empty())
    {
        std::string r = c.routeSet.front();
        std::size_t lt = r.find('<');
        std::size_t gt = r.find('>');
        hop = lt != std::string::npos && gt != std::string::npos ? r.substr(lt + 1, gt - lt - 1)
                                                                 : r;
    }
    if (!Resolve(hop, true, to, port, tcp))
    {
        to = c.inviteTo;
        port = c.invitePort;
    }
    return req;
}

void
SipUserAgent::SendAck(CallData& c, const std::string& sdp)
{
    Ipv4Address to;
    uint16_t port;
    bool tcp;
    SipTextMessage ack = InDialogRequest(c, "ACK", c.inviteCseq, to, port, tcp);
    ack.PrependHeader("Via", Via(NewBranch()));
    ack.AddHeader("User-Agent", m_userAgentName);
    if (!sdp.empty())
    {
        ack.SetBody(sdp, "application/sdp");
    }
    c.lastAck = ack.ToString();
    c.ackTo = to;
    c.ackPort = port;
    c.ackTcp = tcp;
    SendRaw(c.lastAck, to, port, tcp, nullptr);
}

void
SipUserAgent::SendBye(uint32_t index, const std::string& reason)
{
    CallData& c = m_calls[index];
    if (c.rec.state != SIP_CALL_ANSWERED && c.rec.state != SIP_CALL_CONFIRMED)
    {
        return;
    }
    c.hangupEvent.Cancel();
    c.retransmit2xx.Cancel();
    c.ackTimeout.Cancel();
    Ipv4Address to;
    uint16_t port;
    bool tcp;
    uint32_t cseq = ++c.localCseq;
    SipTextMessage bye = InDialogRequest(c, "BYE", cseq, to, port, tcp);
    std::string branch = NewBranch();
    bye.PrependHeader("Via", Via(branch));
    c.rec.ended = Simulator::Now();
    c.rec.endReason = reason;
    if (c.rtp)
    {
        c.rtp->StopSending(); // the RTCP BYE carries our last report; keep receiving until 200
    }
    SetState(c, SIP_CALL_TERMINATING);
    SendRequest(bye, SipMethod::BYE, branch, to, port, tcp, nullptr, index);
}

void
SipUserAgent::SendReInvite(uint32_t index, SdpDirection dir)
{
    CallData& c = m_calls[index];
    if (c.rec.state != SIP_CALL_CONFIRMED || c.reinviteOutstanding)
    {
        NS_LOG_WARN(m_user << ": re-INVITE on call " << index << " skipped (state "
                           << SipCallStateName(c.rec.state) << ")");
        return;
    }
    c.prevDirection = c.localDirection;
    c.localDirection = dir;
    c.answeredDirection = dir;
    c.rec.onHold = dir != SdpDirection::SENDRECV;
    ++c.sdpVersion;
    Ipv4Address to;
    uint16_t port;
    bool tcp;
    uint32_t cseq = ++c.localCseq;
    c.inviteCseq = cseq;
    SipTextMessage req = InDialogRequest(c, "INVITE", cseq, to, port, tcp);
    std::string branch = NewBranch();
    req.PrependHeader("Via", Via(branch));
    req.AddHeader("Contact", ContactValue());
    req.SetBody(BuildSdp(c), "application/sdp");
    c.reinviteOutstanding = true;
    SendRequest(req, SipMethod::INVITE, branch, to, port, tcp, nullptr, index, true);
}

void
SipUserAgent::InviteResponse(CallData& c, const SipMessage& msg, const std::string& text,
                             bool reinvite)
{
    uint32_t code = msg.statusCode;
    std::string key = ClientKey(msg.vias.empty() ? "" : msg.vias[0].branch, SipMethod::INVITE);
    if (reinvite)
    {
        if (code < 200)
        {
            return;
        }
        EndTransaction(key);
        c.reinviteOutstanding = false;
        if (code < 300)
        {
            ApplyRemoteSdp(c, msg);
            SendAck(c, "");
            ++c.rec.reInvites;
            UpdateMedia(c);
        }
        else
        {
            // non-2xx: ACK in the transaction, keep the old media state
            SipTextMessage ack = SipTextMessage::Request("ACK", c.rec.remoteContact);
            ack.AddHeader("Via", msg.vias.empty() ? Via(NewBranch()) : msg.vias[0].span.Text(text));
            ack.AddHeader("Max-Forwards", "70");
            ack.AddHeader("From", c.localNameAddr + ";tag=" + c.localTag);
            ack.AddHeader("To", HeaderValue(msg, SipHeaderId::TO));
            ack.AddHeader("Call-ID", c.rec.callId);
            ack.AddHeader("CSeq", std::to_string(msg.cseq) + " ACK");
            Ipv4Address to;
            uint16_t port;
            bool tcp;
            InDialogRequest(c, "ACK", msg.cseq, to, port, tcp);
            SendRaw(ack.ToString(), to, port, tcp, nullptr);
            c.localDirection = c.prevDirection;
            c.answeredDirection = c.prevDirection;
            c.rec.onHold = c.localDirection != SdpDirection::SENDRECV;
        }
        return;
    }
    if (c.rec.firstResponse.IsZero())
    {
        c.rec.firstResponse = Simulator::Now();
    }
    auto it = m_clientTx.find(key);
    if (code < 200)
    {
        if (it != m_clientTx.end())
        {
            it->second.provisional = true;
            it->second.retransmit.Cancel();
        }
        if (code == 100 && c.rec.state == SIP_CALL_CALLING)
        {
            SetState(c, SIP_CALL_PROCEEDING);
        }
        else if (code > 100
                 && (c.rec.state == SIP_CALL_CALLING || c.rec.state == SIP_CALL_PROCEEDING))
        {
            c.rec.ringing = Simulator::Now();
            SetState(c, SIP_CALL_RINGING);
        }
        if (c.cancelPending && it != m_clientTx.end())
        {
            // a CANCEL was waiting for this provisional response
            SendCancel(c.rec.index, c.rec.endReason);
        }
        return;
    }
    EndTransaction(key);
    if (code < 300)
    {
        if (c.rec.state == SIP_CALL_CONFIRMED || c.rec.state == SIP_CALL_TERMINATING
            || c.rec.state == SIP_CALL_TERMINATED)
        {
            // a retransmitted 200: our ACK was lost
            if (!c.lastAck.empty())
            {
                SendRaw(c.lastAck, c.ackTo, c.ackPort, c.ackTcp, nullptr);
            }
            return;
        }
        if (c.rec.state != SIP_CALL_CALLING && c.rec.state != SIP_CALL_PROCEEDING
            && c.rec.state != SIP_CALL_RINGING)
        {
            return;
        }
        c.cancelEvent.Cancel();
        c.rec.answered = Simulator::Now();
        c.rec.finalStatus = code;
        c.remoteTag = msg.to.tag;
        if (!msg.contacts.empty())
        {
            c.rec.remoteContact = msg.contacts[0].uri.span.Text(text);
        }
        c.routeSet.clear();
        for (auto r = msg.recordRoutes.rbegin(); r != msg.recordRoutes.rend(); ++r)
        {
            c.routeSet.push_back(r->span.Text(text));
        }
        ApplyRemoteSdp(c, msg);
        SendAck(c, "");
        c.rec.confirmed = Simulator::Now();
        SetState(c, SIP_CALL_CONFIRMED);
        UpdateMedia(c);
        if (c.cancelSent)
        {
            // answered while our CANCEL was under way: hang up (RFC 3261 9.1)
            SendBye(c.rec.index, c.rec.endReason + " (answered anyway)");
        }
        else if (c.duration.IsStrictlyPositive())
        {
            c.hangupEvent = Simulator::Schedule(c.duration, &SipUserAgent::SendBye, this,
                                                c.rec.index, std::string("BYE sent"));
        }
        return;
    }
    // 3xx-6xx: ACK within the INVITE transaction (same branch and Request-URI).
    SipTextMessage ack = SipTextMessage::Request("ACK", c.requestUri);
    ack.AddHeader("Via", c.inviteVia);
    ack.AddHeader("Max-Forwards", "70");
    ack.AddHeader("From", c.localNameAddr + ";tag=" + c.localTag);
    ack.AddHeader("To", HeaderValue(msg, SipHeaderId::TO));
    ack.AddHeader("Call-ID", c.rec.callId);
    ack.AddHeader("CSeq", std::to_string(c.inviteCseq) + " ACK");
    c.lastAck = ack.ToString();
    c.ackTo = c.inviteTo;
    c.ackPort = c.invitePort;
    c.ackTcp = c.inviteTcp;
    c.inviteConn = SendRaw(c.lastAck, c.inviteTo, c.invitePort, c.inviteTcp, c.inviteConn);
    if (c.rec.state == SIP_CALL_CANCELLED || c.rec.state == SIP_CALL_FAILED)
    {
        return; // a retransmitted final response
    }
    c.rec.finalStatus = code;
    std::string reason = std::to_string(code) + " " + msg.reason;
    if (code == 487 && c.cancelSent)
    {
        EndCall(c, SIP_CALL_CANCELLED, c.rec.endReason + " (CANCEL, 487)");
    }
    else
    {
        EndCall(c, SIP_CALL_FAILED, reason);
    }
}

// ---- server side -----------------------------------------------------------------------------

namespace
{
/// The direction to answer an offer with, given what we want.
SdpDirection
AnswerDirection(SdpDirection local, SdpDirection offer)
{
    return MakeDir(DirSends(local) && DirReceives(offer), DirReceives(local) && DirSends(offer));
}
} // namespace

std::string
SipUserAgent::OpenServerTx(const SipMessage& msg, const std::string&, Ipv4Address from,
                           uint16_t port, Ptr<Socket> conn)
{
    std::string key = ServerKey(msg);
    ServerTx& tx = m_serverTx[key];
    tx.expire.Cancel();
    tx.lastResponse.clear();
    if (conn)
    {
        tx.tcp = true;
        tx.conn = conn;
        tx.to = from;
        tx.port = port;
    }
    else
    {
        // RFC 3261 18.2.2 with RFC 3581: the source address (what `received` would say), and
        // the source port when the client asked for rport, else the sent-by port.
        const SipVia& v = msg.vias[0];
        tx.tcp = false;
        tx.to = from;
        tx.port = v.hasRport ? port : v.EffectivePort();
    }
    return key;
}

std::string
SipUserAgent::SendResponse(const std::string& key, const SipMessage& req,
                           const std::string& reqText, uint32_t code, const std::string& toTag,
                           const std::string& body,
                           const std::vector<std::pair<std::string, std::string>>& extra)
{
    SipTextMessage r = SipTextMessage::Response(code);
    for (const SipVia& v : req.vias)
    {
        r.AddHeader("Via", v.span.Text(reqText));
    }
    r.AddHeader("From", HeaderValue(req, SipHeaderId::FROM));
    std::string to = HeaderValue(req, SipHeaderId::TO);
    if (!toTag.empty() && !req.to.hasTag && code > 100)
    {
        to += ";tag=" + toTag;
    }
    r.AddHeader("To", to);
    r.AddHeader("Call-ID", req.callId);
    r.AddHeader("CSeq", HeaderValue(req, SipHeaderId::CSEQ));
    if (req.methodId == SipMethod::INVITE && code > 100 && code < 300)
    {
        // RFC 3261 12.1.1: dialog-creating responses carry the request's Record-Route
        for (const SipNameAddr& rr : req.recordRoutes)
        {
            r.AddHeader("Record-Route", rr.span.Text(reqText));
        }
    }
    for (const auto& h : extra)
    {
        r.AddHeader(h.first, h.second);
    }
    r.AddHeader("Server", m_userAgentName);
    if (!body.empty())
    {
        r.SetBody(body, "application/sdp");
    }
    std::string text = r.ToString();
    auto it = m_serverTx.find(key);
    if (it == m_serverTx.end())
    {
        return text;
    }
    it->second.lastResponse = text;
    if (!SendInServerTx(key, text))
    {
        return text;
    }
    it = m_serverTx.find(key);
    if (code >= 200 && !it->second.expire.IsRunning())
    {
        it->second.expire = Simulator::Schedule(m_t1 * 64,
                                                [this, key]()
                                                {
                                                    m_serverTx.erase(key);
                                                });
    }
    return text;
}

bool
SipUserAgent::SendInServerTx(const std::string& key, const std::string& text)
{
    auto it = m_serverTx.find(key);
    if (it == m_serverTx.end())
    {
        return false;
    }
    Ptr<Socket> used = SendRaw(text, it->second.to, it->second.port, it->second.tcp,
                               it->second.conn);
    // A reference into m_serverTx is not kept across the send: what the send delivers at once
    // may change the table.
    it = m_serverTx.find(key);
    if (it == m_serverTx.end())
    {
        return false;
    }
    it->second.conn = used;
    return true;
}

int64_t
SipUserAgent::FindCallIndex(const SipMessage& msg) const
{
    for (int64_t i = static_cast<int64_t>(m_calls.size()) - 1; i >= 0; --i)
    {
        const CallData& c = m_calls[i];
        if (c.rec.callId != msg.callId)
        {
            continue;
        }
        if (msg.isRequest && msg.to.hasTag && msg.to.tag != c.localTag)
        {
            continue;
        }
        return i;
    }
    return -1;
}

void
SipUserAgent::Receive(const std::string& text, const SipMessage& msg, Ipv4Address from,
                      uint16_t port, Ptr<Socket> conn)
{
    m_rxTrace(text, from, port);
    NS_LOG_INFO(m_user << " <- " << from << ":" << port << " " << text.substr(0, text.find('\r')));
    if (!m_running)
    {
        return;
    }
    if (msg.isRequest)
    {
        HandleRequest(msg, text, from, port, conn);
    }
    else
    {
        HandleResponse(msg, text);
    }
}

void
SipUserAgent::HandleRequest(const SipMessage& msg, const std::string& text, Ipv4Address from,
                            uint16_t port, Ptr<Socket> conn)
{
    if (msg.vias.empty() || !msg.hasCallId || !msg.hasCSeq || !msg.hasFrom || !msg.hasTo)
    {
        NS_LOG_WARN(m_user << ": request without Via/Call-ID/CSeq/From/To dropped");
        return;
    }
    if (msg.methodId == SipMethod::ACK)
    {
        HandleAck(msg, text);
        return;
    }
    std::string key = ServerKey(msg);
    auto it = m_serverTx.find(key);
    if (it != m_serverTx.end())
    {
        // a retransmission: answer with the last response again
        if (!it->second.lastResponse.empty())
        {
            SendInServerTx(key, it->second.lastResponse);
        }
        return;
    }
    key = OpenServerTx(msg, text, from, port, conn);
    switch (msg.methodId)
    {
        case SipMethod::INVITE:
            if (msg.to.hasTag)
            {
                int64_t idx = FindCallIndex(msg);
                if (idx < 0)
                {
                    SendResponse(key, msg, text, 481, "", "");
                    return;
                }
                HandleReInvite(m_calls[idx], msg, text, key);
                return;
            }
            IncomingInvite(msg, text, key);
            return;
        case SipMethod::BYE:
            HandleBye(msg, text, key);
            return;
        case SipMethod::CANCEL:
            HandleCancel(msg, text, key);
            return;
        case SipMethod::OPTIONS:
            SendResponse(key, msg, text, 200, NewTag(), "",
                         {{"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS"},
                          {"Accept", "application/sdp"},
                          {"Contact", ContactValue()}});
            return;
        case SipMethod::REGISTER:
            SendResponse(key, msg, text, 405, NewTag(), "",
                         {{"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS"}});
            return;
        default:
            SendResponse(key, msg, text, 501, NewTag(), "",
                         {{"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS"}});
            return;
    }
}

void
SipUserAgent::IncomingInvite(const SipMessage& msg, const std::string& text, const std::string& key)
{
    CallData fresh;
    fresh.rec.index = static_cast<uint32_t>(m_calls.size());
    m_calls.push_back(fresh);
    CallData& c = m_calls.back();
    uint32_t index = c.rec.index;
    c.rec.outgoing = false;
    c.rec.callId = msg.callId;
    c.rec.remoteUri = msg.from.uri.span.Text(text);
    c.rec.localUri = msg.to.uri.span.Text(text);
    c.localTag = NewTag();
    c.remoteTag = msg.from.tag;
    c.localNameAddr = HeaderValue(msg, SipHeaderId::TO);
    c.remoteNameAddr = StripTag(HeaderValue(msg, SipHeaderId::FROM));
    c.requestUri = msg.requestUriSpan.Text(text);
    if (!msg.contacts.empty())
    {
        c.rec.remoteContact = msg.contacts[0].uri.span.Text(text);
    }
    for (const SipNameAddr& r : msg.recordRoutes)
    {
        c.routeSet.push_back(r.span.Text(text));
    }
    c.remoteCseq = msg.cseq;
    c.inviteCseq = msg.cseq;
    c.localCseq = 1 + m_rng->GetInteger(0, 9999);
    c.inviteRequest = text;
    c.serverKey = key;
    c.serverBranch = msg.vias[0].branch;
    c.sdpSessionId = m_rng->GetInteger(1, 0x7fffffff);
    c.sdpVersion = 1;
    c.rec.inviteSent = Simulator::Now();
    SetState(c, SIP_CALL_PROCEEDING);
    SendResponse(key, msg, text, 100, "", "");
    OpenMedia(c);
    if (!c.rtp)
    {
        c.rec.finalStatus = 500;
        SendResponse(key, msg, text, 500, c.localTag, "");
        EndCall(c, SIP_CALL_FAILED, "no free RTP port");
        return;
    }
    c.localDirection = SdpDirection::SENDRECV;
    if (ApplyRemoteSdp(c, msg))
    {
        c.answeredDirection = AnswerDirection(c.localDirection, c.remoteDir);
    }
    else
    {
        c.offerInAck = true; // late offer: we offer in the 200, the answer comes in the ACK
        c.answeredDirection = c.localDirection;
    }
    SendResponse(key, msg, text, 180, c.localTag, "", {{"Contact", ContactValue()}});
    c.rec.ringing = Simulator::Now();
    SetState(c, SIP_CALL_RINGING);
    if (m_autoAnswer)
    {
        c.answerEvent = Simulator::Schedule(m_ringTime, &SipUserAgent::Answer, this, index);
    }
}

void
SipUserAgent::Answer(uint32_t index)
{
    CallData& c = m_calls[index];
    if (c.rec.state != SIP_CALL_RINGING && c.rec.state != SIP_CALL_PROCEEDING)
    {
        return;
    }
    SipMessage req;
    ParseSipMessage(Bytes(c.inviteRequest), c.inviteRequest.size(), req);
    if (m_answerCode >= 300)
    {
        c.rec.finalStatus = m_answerCode;
        SendResponse(c.serverKey, req, c.inviteRequest, m_answerCode, c.localTag, "");
        EndCall(c, SIP_CALL_FAILED, "rejected " + std::to_string(m_answerCode));
        return;
    }
    c.final2xx = SendResponse(
        c.serverKey, req, c.inviteRequest, 200, c.localTag, BuildSdp(c),
        {{"Contact", ContactValue()}, {"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS"}});
    c.rec.answered = Simulator::Now();
    c.rec.finalStatus = 200;
    SetState(c, SIP_CALL_ANSWERED);
    UpdateMedia(c);
    auto it = m_serverTx.find(c.serverKey);
    c.final2xxInterval = m_t1;
    if (it != m_serverTx.end() && !it->second.tcp)
    {
        c.retransmit2xx = Simulator::Schedule(m_t1, &SipUserAgent::Retransmit2xx, this, index);
    }
    c.ackTimeout = Simulator::Schedule(m_t1 * 64, &SipUserAgent::AckTimeout, this, index);
}

void
SipUserAgent::Retransmit2xx(uint32_t index)
{
    CallData& c = m_calls[index];
    auto it = m_serverTx.find(c.serverKey);
    if (c.final2xx.empty() || it == m_serverTx.end())
    {
        return;
    }
    SendInServerTx(c.serverKey, c.final2xx);
    c.final2xxInterval = std::min(c.final2xxInterval * 2, m_t2);
    c.retransmit2xx
        = Simulator::Schedule(c.final2xxInterval, &SipUserAgent::Retransmit2xx, this, index);
}

void
SipUserAgent::AckTimeout(uint32_t index)
{
    CallData& c = m_calls[index];
    c.retransmit2xx.Cancel();
    c.final2xx.clear();
    if (c.rec.state == SIP_CALL_ANSWERED)
    {
        // RFC 3261 13.3.1.4: no ACK for the 2xx: end the dialog with BYE
        SendBye(index, "no ACK (BYE sent)");
    }
}

void
SipUserAgent::HandleAck(const SipMessage& msg, const std::string& text)
{
    (void)text;
    int64_t idx = FindCallIndex(msg);
    if (idx < 0)
    {
        return;
    }
    CallData& c = m_calls[idx];
    if (c.final2xx.empty() || msg.cseq != c.remoteCseq)
    {
        return; // ACK of a non-2xx (absorbed) or a stale one
    }
    c.retransmit2xx.Cancel();
    c.ackTimeout.Cancel();
    c.final2xx.clear();
    if (c.offerInAck && ApplyRemoteSdp(c, msg))
    {
        c.offerInAck = false;
    }
    if (c.rec.state == SIP_CALL_ANSWERED)
    {
        c.rec.confirmed = Simulator::Now();
        SetState(c, SIP_CALL_CONFIRMED);
        if (!c.rec.outgoing && m_calleeHangup.IsStrictlyPositive())
        {
            c.hangupEvent = Simulator::Schedule(m_calleeHangup, &SipUserAgent::SendBye, this,
                                                c.rec.index, std::string("BYE sent"));
        }
    }
    UpdateMedia(c);
}

void
SipUserAgent::HandleBye(const SipMessage& msg, const std::string& text, const std::string& key)
{
    int64_t idx = FindCallIndex(msg);
    if (idx < 0)
    {
        SendResponse(key, msg, text, 481, NewTag(), "");
        return;
    }
    CallData& c = m_calls[idx];
    if (c.rec.state == SIP_CALL_ANSWERED || c.rec.state == SIP_CALL_CONFIRMED
        || c.rec.state == SIP_CALL_TERMINATING)
    {
        // media first: our RTCP BYE (with the last report) leaves before the 200
        EndCall(c, SIP_CALL_TERMINATED, "BYE received");
    }
    SendResponse(key, msg, text, 200, c.localTag, "");
}

void
SipUserAgent::HandleCancel(const SipMessage& msg, const std::string& text, const std::string& key)
{
    for (CallData& c : m_calls)
    {
        if (c.rec.outgoing || c.rec.callId != msg.callId || c.serverBranch != msg.vias[0].branch)
        {
            continue;
        }
        SendResponse(key, msg, text, 200, c.localTag, "");
        if (c.rec.state == SIP_CALL_PROCEEDING || c.rec.state == SIP_CALL_RINGING)
        {
            c.answerEvent.Cancel();
            SipMessage req;
            ParseSipMessage(Bytes(c.inviteRequest), c.inviteRequest.size(), req);
            c.rec.finalStatus = 487;
            SendResponse(c.serverKey, req, c.inviteRequest, 487, c.localTag, "");
            EndCall(c, SIP_CALL_CANCELLED, "CANCEL received");
        }
        return;
    }
    SendResponse(key, msg, text, 481, NewTag(), "");
}

void
SipUserAgent::HandleReInvite(CallData& c, const SipMessage& msg, const std::string& text,
                             const std::string& key)
{
    if (c.rec.state != SIP_CALL_CONFIRMED)
    {
        SendResponse(key, msg, text, c.rec.state == SIP_CALL_ANSWERED ? 491 : 481, c.localTag, "");
        return;
    }
    if (msg.cseq <= c.remoteCseq)
    {
        SendResponse(key, msg, text, 500, c.localTag, "");
        return;
    }
    if (c.reinviteOutstanding)
    {
        SendResponse(key, msg, text, 491, c.localTag, "");
        return;
    }
    c.remoteCseq = msg.cseq;
    if (!msg.contacts.empty())
    {
        c.rec.remoteContact = msg.contacts[0].uri.span.Text(text);
    }
    if (ApplyRemoteSdp(c, msg))
    {
        c.answeredDirection = AnswerDirection(c.localDirection, c.remoteDir);
        c.offerInAck = false;
    }
    else
    {
        c.answeredDirection = c.localDirection;
        c.offerInAck = true;
    }
    ++c.sdpVersion;
    c.serverKey = key;
    c.final2xx
        = SendResponse(key, msg, text, 200, c.localTag, BuildSdp(c), {{"Contact", ContactValue()}});
    ++c.rec.reInvites;
    UpdateMedia(c);
    auto it = m_serverTx.find(key);
    c.final2xxInterval = m_t1;
    c.retransmit2xx.Cancel();
    if (it != m_serverTx.end() && !it->second.tcp)
    {
        c.retransmit2xx
            = Simulator::Schedule(m_t1, &SipUserAgent::Retransmit2xx, this, c.rec.index);
    }
    c.ackTimeout.Cancel();
    c.ackTimeout = Simulator::Schedule(m_t1 * 64, &SipUserAgent::AckTimeout, this, c.rec.index);
}

void
SipUserAgent::HandleResponse(const SipMessage& msg, const std::string& text)
{
    if (msg.vias.empty() || !msg.hasCSeq)
    {
        return;
    }
    std::string key = ClientKey(msg.vias[0].branch, msg.cseqMethodId);
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        // A final response retransmitted after the transaction ended: re-send our ACK.
        if (msg.cseqMethodId == SipMethod::INVITE && msg.statusCode >= 200)
        {
            // by index: what the send delivers at once may add a call (deque iterators would
            // not survive it)
            for (std::size_t i = 0; i < m_calls.size(); ++i)
            {
                const CallData& c = m_calls[i];
                if (c.rec.outgoing && c.rec.callId == msg.callId && !c.lastAck.empty()
                    && msg.cseq == c.inviteCseq)
                {
                    SendRaw(c.lastAck, c.ackTo, c.ackPort, c.ackTcp, nullptr);
                }
            }
        }
        return;
    }
    ClientTx& tx = it->second;
    uint32_t code = msg.statusCode;
    switch (tx.method)
    {
        case SipMethod::REGISTER:
            RegisterResponse(msg, text);
            return;
        case SipMethod::INVITE:
            if (tx.call >= 0)
            {
                InviteResponse(m_calls[tx.call], msg, text, tx.reinvite);
            }
            else
            {
                EndTransaction(key);
            }
            return;
        default:
            break;
    }
    if (code < 200)
    {
        tx.provisional = true;
        return;
    }
    SipMethod method = tx.method;
    int64_t call = tx.call;
    EndTransaction(key);
    if (method == SipMethod::BYE && call >= 0)
    {
        CallData& c = m_calls[call];
        if (c.rec.state == SIP_CALL_TERMINATING)
        {
            EndCall(c, SIP_CALL_TERMINATED, c.rec.endReason);
        }
    }
    else if (method == SipMethod::OPTIONS)
    {
        m_optionsResponses.push_back(code);
    }
}

} // namespace ns3
