/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tns-apps.h"

#include "ns3/app-socket.h"
#include "ns3/flow-tuple.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/tns-parser.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TnsApps");
NS_OBJECT_ENSURE_REGISTERED(TnsListener);
NS_OBJECT_ENSURE_REGISTERED(TnsClient);

namespace
{
/// The connect data a client sends to \p host:\p port.
std::string
ConnectData(const std::string& host, uint16_t port)
{
    return "(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=orcl)(CID=(PROGRAM=ns3)(HOST=client)))" +
           TnsAddressText(host, port) + ")";
}
} // namespace

TypeId
TnsListener::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TnsListener")
                            .SetParent<Application>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<TnsListener>()
                            .AddAttribute("Port",
                                          "Listener port",
                                          UintegerValue(TNS_PORT),
                                          MakeUintegerAccessor(&TnsListener::m_port),
                                          MakeUintegerChecker<uint16_t>())
                            .AddAttribute("DedicatedPort",
                                          "Port of the dedicated server the REDIRECT names",
                                          UintegerValue(40001),
                                          MakeUintegerAccessor(&TnsListener::m_dedicated),
                                          MakeUintegerChecker<uint16_t>(1))
                            .AddAttribute("Host",
                                          "HOST written in the REDIRECT (the server's own address)",
                                          Ipv4AddressValue(),
                                          MakeIpv4AddressAccessor(&TnsListener::m_host),
                                          MakeIpv4AddressChecker());
    return tid;
}

TnsListener::~TnsListener() = default;

void
TnsListener::StartApplication()
{
    for (auto [sock, port] :
         {std::make_pair(&m_listener, m_port), std::make_pair(&m_server, m_dedicated)})
    {
        *sock = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
        (*sock)->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        (*sock)->Listen();
        (*sock)->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                   MakeCallback(&TnsListener::Accept, this));
    }
}

void
TnsListener::StopApplication()
{
    CloseAppSocket(m_listener);
    CloseAppSocket(m_server);
    for (auto& [s, b] : m_streams)
    {
        CloseAppSocket(s);
    }
    m_streams.clear();
    m_listener = nullptr;
    m_server = nullptr;
}

void
TnsListener::DoDispose()
{
    StopApplication();
    Application::DoDispose();
}

void
TnsListener::Accept(Ptr<Socket> s, const Address&)
{
    m_streams[s];
    s->SetRecvCallback(MakeCallback(&TnsListener::Read, this));
}

void
TnsListener::Read(Ptr<Socket> s)
{
    auto& buf = m_streams[s];
    AppendReceived(s, buf);
    Address local;
    s->GetSockName(local);
    const bool dedicated = InetSocketAddress::ConvertFrom(local).GetPort() == m_dedicated;
    TnsPacket p;
    while (ParseTns(buf.data(), buf.size(), false, p))
    {
        if (p.type == TNS_CONNECT && !dedicated)
        {
            SendBytes(s,
                      BuildTnsRedirect("(DESCRIPTION=" +
                                       TnsAddressText(Ipv4ToString(m_host.Get()), m_dedicated) +
                                       ")"));
        }
        else if (p.type == TNS_CONNECT)
        {
            ++m_accepted;
            SendBytes(s, BuildTnsAccept(314));
        }
        else if (p.type == TNS_DATA && dedicated)
        {
            SendBytes(s, std::vector<uint8_t>(buf.begin(), buf.begin() + p.length)); // echo
        }
        buf.erase(buf.begin(), buf.begin() + p.length);
    }
}

TypeId
TnsClient::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TnsClient")
                            .SetParent<Application>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<TnsClient>()
                            .AddAttribute("RemoteAddress",
                                          "The listener's address",
                                          AddressValue(),
                                          MakeAddressAccessor(&TnsClient::m_remote),
                                          MakeAddressChecker())
                            .AddAttribute("RemotePort",
                                          "The listener's port",
                                          UintegerValue(TNS_PORT),
                                          MakeUintegerAccessor(&TnsClient::m_port),
                                          MakeUintegerChecker<uint16_t>());
    return tid;
}

TnsClient::~TnsClient() = default;

void
TnsClient::StartApplication()
{
    const Ipv4Address a = InetSocketAddress::IsMatchingType(m_remote)
                              ? InetSocketAddress::ConvertFrom(m_remote).GetIpv4()
                              : Ipv4Address::ConvertFrom(m_remote);
    Open(a, m_port);
}

void
TnsClient::Open(Ipv4Address addr, uint16_t port)
{
    CloseAppSocket(m_socket);
    m_stream.clear();
    m_target = addr;
    m_targetPort = port;
    m_socket = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_socket->Bind();
    m_socket->SetConnectCallback(MakeCallback(&TnsClient::Connected, this),
                                 MakeNullCallback<void, Ptr<Socket>>());
    m_socket->SetRecvCallback(MakeCallback(&TnsClient::Read, this));
    m_socket->Connect(InetSocketAddress(addr, port));
}

void
TnsClient::StopApplication()
{
    CloseAppSocket(m_socket);
    m_socket = nullptr;
}

void
TnsClient::DoDispose()
{
    StopApplication();
    Application::DoDispose();
}

void
TnsClient::Connected(Ptr<Socket> s)
{
    SendBytes(s, BuildTnsConnect(ConnectData(Ipv4ToString(m_target.Get()), m_targetPort)));
}

void
TnsClient::Read(Ptr<Socket> s)
{
    AppendReceived(s, m_stream);
    TnsPacket p;
    while (ParseTns(m_stream.data(), m_stream.size(), false, p))
    {
        const std::vector<uint8_t> pkt(m_stream.begin(), m_stream.begin() + p.length);
        m_stream.erase(m_stream.begin(), m_stream.begin() + p.length);
        if (p.type == TNS_REDIRECT)
        {
            TnsAddress a;
            uint32_t host = 0;
            if (FindTnsAddress(std::string(pkt.begin() + p.dataOffset,
                                           pkt.begin() + p.dataOffset + p.dataLength),
                               a) &&
                ParseIpv4(a.host, host))
            {
                m_redirectHost = a.host;
                NS_LOG_INFO("TnsClient: redirected to " << a.host << ":" << a.port);
                Simulator::ScheduleNow(&TnsClient::Open, this, Ipv4Address(host), a.port);
            }
            return;
        }
        if (p.type == TNS_ACCEPT)
        {
            SendBytes(s, BuildTnsData("SELECT 1 FROM DUAL"));
        }
        else if (p.type == TNS_DATA)
        {
            m_completed = true;
            NS_LOG_INFO("TnsClient: echo received");
        }
    }
}

} // namespace ns3
