/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "mgcp-application.h"

#include "ns3/app-socket.h"
#include "ns3/config-error.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/mgcp-message.h"
#include "ns3/udp-socket-factory.h"

#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MgcpApplication");
NS_OBJECT_ENSURE_REGISTERED(MgcpApplication);

TypeId
MgcpApplication::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MgcpApplication")
                            .SetParent<Application>()
                            .SetGroupName("FortiGate")
                            .AddTraceSource("Rx",
                                            "An MGCP datagram received (its text).",
                                            MakeTraceSourceAccessor(&MgcpApplication::m_rxTrace),
                                            "ns3::MgcpApplication::TextCallback")
                            .AddTraceSource("Tx",
                                            "An MGCP datagram sent (its text).",
                                            MakeTraceSourceAccessor(&MgcpApplication::m_txTrace),
                                            "ns3::MgcpApplication::TextCallback");
    return tid;
}

MgcpApplication::MgcpApplication()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

MgcpApplication::~MgcpApplication() = default;

int64_t
MgcpApplication::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
MgcpApplication::DoDispose()
{
    m_socket = nullptr;
    Application::DoDispose();
}

void
MgcpApplication::OpenSocket(uint16_t port)
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    if (m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0)
    {
        throw ConfigError(GetInstanceTypeId().GetName() + ": UDP port " + std::to_string(port) +
                          " is in use");
    }
    m_socket->SetRecvCallback(MakeCallback(&MgcpApplication::HandleRead, this));
}

void
MgcpApplication::CloseSocket()
{
    CloseAppSocket(m_socket);
    m_socket = nullptr;
}

void
MgcpApplication::Send(const std::string& text, const Address& to)
{
    if (!m_socket)
    {
        return;
    }
    m_txTrace(text);
    SendBytes(m_socket, std::vector<uint8_t>(text.begin(), text.end()), &to);
}

void
MgcpApplication::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        const std::vector<uint8_t> bytes = PacketBytes(p);
        const std::string text(bytes.begin(), bytes.end());
        m_rxTrace(text);
        std::vector<MgcpMessage> msgs;
        std::string error;
        if (!ParseMgcpDatagram(bytes.data(), bytes.size(), msgs, &error))
        {
            NS_LOG_INFO(GetInstanceTypeId().GetName() << ": bad MGCP datagram: " << error);
            continue;
        }
        for (const MgcpMessage& m : msgs)
        {
            HandleMessage(m, text.substr(m.offset, m.length), from);
        }
    }
}

} // namespace ns3
