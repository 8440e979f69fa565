/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dns-server.h"

#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/config-error.h"
#include "ns3/dns-parser.h"
#include "ns3/flow-tuple.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DnsServer");
NS_OBJECT_ENSURE_REGISTERED(DnsServer);
NS_OBJECT_ENSURE_REGISTERED(DnsResolver);

TypeId
DnsServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DnsServer")
            .SetParent<Application>()
            .SetGroupName("FortiGate")
            .AddConstructor<DnsServer>()
            .AddAttribute("Port",
                          "UDP and TCP port",
                          UintegerValue(DNS_PORT),
                          MakeUintegerAccessor(&DnsServer::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("Records",
                          "Zone: name=a.b.c.d | name=cname:target, separated by ';'",
                          StringValue(""),
                          MakeStringAccessor(&DnsServer::m_records),
                          MakeStringChecker());
    return tid;
}

DnsServer::~DnsServer() = default;

void
DnsServer::LoadZone()
{
    m_zone.clear();
    std::stringstream in(m_records);
    std::string item;
    while (std::getline(in, item, ';'))
    {
        if (item.empty())
        {
            continue;
        }
        const std::size_t eq = item.find('=');
        if (eq == std::string::npos || eq == 0)
        {
            throw ConfigError("DnsServer: Records: '" + item + "' is not name=value");
        }
        const std::string name = item.substr(0, eq);
        const std::string value = item.substr(eq + 1);
        uint32_t a = 0;
        if (value.rfind("cname:", 0) == 0 && !EncodeDnsName(value.substr(6)).empty())
        {
            m_zone.emplace(name, std::make_pair(uint16_t(DNS_TYPE_CNAME), value.substr(6)));
        }
        else if (ParseIpv4(value, a))
        {
            const std::string rd = {static_cast<char>(a >> 24),
                                    static_cast<char>(a >> 16),
                                    static_cast<char>(a >> 8),
                                    static_cast<char>(a)};
            m_zone.emplace(name, std::make_pair(uint16_t(DNS_TYPE_A), rd));
        }
        else
        {
            throw ConfigError("DnsServer: Records: '" + item +
                              "': value is neither an IPv4 address nor cname:<name>");
        }
        if (EncodeDnsName(name).empty())
        {
            throw ConfigError("DnsServer: Records: '" + name + "' is not a valid name");
        }
    }
}

std::vector<uint8_t>
DnsServer::Answer(const uint8_t* query, std::size_t len)
{
    DnsMessage q;
    if (!ParseDns(query, len, q) || q.response || q.questions != 1)
    {
        NS_LOG_INFO("DnsServer: malformed query ignored");
        return {};
    }
    std::vector<DnsAnswer> answers;
    std::string name = q.qname;
    for (int hops = 0; hops < 8; ++hops)
    {
        auto [b, e] = m_zone.equal_range(name);
        std::string next;
        for (auto it = b; it != e; ++it)
        {
            const auto& [type, rdata] = it->second;
            if (type == DNS_TYPE_CNAME)
            {
                answers.push_back(DnsAnswer{name, type, 60, rdata});
                next = rdata;
            }
            else if (type == q.qtype)
            {
                answers.push_back(DnsAnswer{name, type, 60, rdata});
            }
        }
        if (next.empty())
        {
            break;
        }
        name = next;
    }
    ++m_answered;
    const bool known = m_zone.count(q.qname) != 0;
    return BuildDnsResponse(q.id, q.qname, q.qtype, answers, known ? 0 : 3);
}

void
DnsServer::StartApplication()
{
    LoadZone();
    m_udp = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_udp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    m_udp->SetRecvCallback(MakeCallback(&DnsServer::HandleUdp, this));
    m_tcp = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_tcp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    m_tcp->Listen();
    m_tcp->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                             MakeCallback(&DnsServer::HandleAccept, this));
}

void
DnsServer::StopApplication()
{
    CloseAppSocket(m_udp);
    CloseAppSocket(m_tcp);
    for (auto& [s, b] : m_streams)
    {
        CloseAppSocket(s);
    }
    m_udp = nullptr;
    m_tcp = nullptr;
    m_streams.clear();
}

void
DnsServer::DoDispose()
{
    StopApplication();
    Application::DoDispose();
}

void
DnsServer::HandleUdp(Ptr<Socket> s)
{
    Address from;
    while (Ptr<Packet> p = s->RecvFrom(from))
    {
        const auto b = PacketBytes(p);
        const auto r = Answer(b.data(), b.size());
        if (!r.empty())
        {
            SendBytes(s, r, &from);
        }
    }
}

void
DnsServer::HandleAccept(Ptr<Socket> s, const Address&)
{
    m_streams[s];
    s->SetRecvCallback(MakeCallback(&DnsServer::HandleTcp, this));
}

void
DnsServer::HandleTcp(Ptr<Socket> s)
{
    auto& buf = m_streams[s];
    while (Ptr<Packet> p = s->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        const auto b = PacketBytes(p);
        buf.insert(buf.end(), b.begin(), b.end());
    }
    std::size_t consumed = 0;
    for (const auto& [off, n] : SplitDnsTcp(buf.data(), buf.size(), consumed))
    {
        const auto r = Answer(buf.data() + off, n);
        if (!r.empty())
        {
            SendBytes(s, AddDnsTcpLength(r));
        }
    }
    buf.erase(buf.begin(), buf.begin() + consumed);
}

// ---- resolver ----------------------------------------------------------------------------

TypeId
DnsResolver::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DnsResolver")
                            .SetParent<Application>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<DnsResolver>()
                            .AddAttribute("RemoteAddress",
                                          "The server's address",
                                          AddressValue(),
                                          MakeAddressAccessor(&DnsResolver::m_remote),
                                          MakeAddressChecker())
                            .AddAttribute("RemotePort",
                                          "The server's port",
                                          UintegerValue(DNS_PORT),
                                          MakeUintegerAccessor(&DnsResolver::m_port),
                                          MakeUintegerChecker<uint16_t>())
                            .AddAttribute("Names",
                                          "Names to resolve, comma separated",
                                          StringValue(""),
                                          MakeStringAccessor(&DnsResolver::m_names),
                                          MakeStringChecker())
                            .AddAttribute("Type",
                                          "QTYPE (1 = A, 28 = AAAA)",
                                          UintegerValue(DNS_TYPE_A),
                                          MakeUintegerAccessor(&DnsResolver::m_type),
                                          MakeUintegerChecker<uint16_t>())
                            .AddAttribute("UseTcp",
                                          "Ask over TCP (one connection, queries pipelined)",
                                          BooleanValue(false),
                                          MakeBooleanAccessor(&DnsResolver::m_useTcp),
                                          MakeBooleanChecker())
                            .AddAttribute("Timeout",
                                          "UDP: time before the one retry",
                                          TimeValue(Seconds(2)),
                                          MakeTimeAccessor(&DnsResolver::m_timeout),
                                          MakeTimeChecker());
    return tid;
}

DnsResolver::~DnsResolver() = default;

void
DnsResolver::StartApplication()
{
    m_queries.clear();
    std::stringstream in(m_names);
    std::string n;
    while (std::getline(in, n, ','))
    {
        if (EncodeDnsName(n).empty())
        {
            throw ConfigError("DnsResolver: Names: '" + n + "' is not a valid name");
        }
        m_queries.push_back(n);
    }
    m_done.assign(m_queries.size(), false);
    const Ipv4Address server = InetSocketAddress::IsMatchingType(m_remote)
                                   ? InetSocketAddress::ConvertFrom(m_remote).GetIpv4()
                                   : Ipv4Address::ConvertFrom(m_remote);
    m_socket = Socket::CreateSocket(GetNode(),
                                    m_useTcp ? TcpSocketFactory::GetTypeId()
                                             : UdpSocketFactory::GetTypeId());
    m_socket->Bind();
    m_socket->SetRecvCallback(MakeCallback(&DnsResolver::HandleRead, this));
    if (m_useTcp)
    {
        m_socket->SetConnectCallback(MakeCallback(&DnsResolver::Connected, this),
                                     MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Connect(InetSocketAddress(server, m_port));
        return;
    }
    m_socket->Connect(InetSocketAddress(server, m_port));
    SendUdp();
}

void
DnsResolver::StopApplication()
{
    m_retry.Cancel();
    CloseAppSocket(m_socket);
    m_socket = nullptr;
}

void
DnsResolver::DoDispose()
{
    StopApplication();
    Application::DoDispose();
}

void
DnsResolver::SendUdp()
{
    for (std::size_t i = 0; i < m_queries.size(); ++i)
    {
        if (!m_done[i])
        {
            SendBytes(m_socket,
                      BuildDnsQuery(static_cast<uint16_t>(m_idBase + i), m_queries[i], m_type));
        }
    }
    if (++m_tries < 2)
    {
        m_retry = Simulator::Schedule(m_timeout, &DnsResolver::SendUdp, this);
    }
}

void
DnsResolver::Connected(Ptr<Socket> s)
{
    std::vector<uint8_t> all;
    for (std::size_t i = 0; i < m_queries.size(); ++i)
    {
        const auto q = AddDnsTcpLength(
            BuildDnsQuery(static_cast<uint16_t>(m_idBase + i), m_queries[i], m_type));
        all.insert(all.end(), q.begin(), q.end());
    }
    SendBytes(s, all);
}

void
DnsResolver::HandleRead(Ptr<Socket> s)
{
    while (Ptr<Packet> p = s->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        const auto b = PacketBytes(p);
        if (!m_useTcp)
        {
            HandleResponse(b.data(), b.size());
            continue;
        }
        m_stream.insert(m_stream.end(), b.begin(), b.end());
    }
    if (m_useTcp)
    {
        std::size_t consumed = 0;
        for (const auto& [off, n] : SplitDnsTcp(m_stream.data(), m_stream.size(), consumed))
        {
            HandleResponse(m_stream.data() + off, n);
        }
        m_stream.erase(m_stream.begin(), m_stream.begin() + consumed);
    }
}

void
DnsResolver::HandleResponse(const uint8_t* msg, std::size_t len)
{
    DnsMessage m;
    if (!ParseDns(msg, len, m) || !m.response || m.id < m_idBase ||
        static_cast<std::size_t>(m.id - m_idBase) >= m_queries.size())
    {
        return;
    }
    const std::size_t i = m.id - m_idBase;
    if (m_done[i] || m.qname != m_queries[i])
    {
        return;
    }
    m_done[i] = true;
    ++m_answered;
    auto& out = m_addresses[m.qname];
    for (std::size_t k = 0; k < m.answers && k < m.records.size(); ++k)
    {
        const DnsRecord& r = m.records[k];
        if (r.type == DNS_TYPE_A && r.rdataLength == 4)
        {
            const uint8_t* a = msg + r.rdataOffset;
            out.push_back(Ipv4ToString(uint32_t(a[0]) << 24 | uint32_t(a[1]) << 16 |
                                       uint32_t(a[2]) << 8 | a[3]));
        }
    }
    NS_LOG_INFO("DnsResolver: " << m.qname << " answered (" << out.size() << " A)");
}

} // namespace ns3
