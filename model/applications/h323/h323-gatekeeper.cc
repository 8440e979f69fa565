/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "h323-gatekeeper.h"

#include "ns3/app-socket.h"
#include "ns3/flow-tuple.h"
#include "ns3/h323-messages.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/udp-socket-factory.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("H323Gatekeeper");
NS_OBJECT_ENSURE_REGISTERED(H323Gatekeeper);

TypeId
H323Gatekeeper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::H323Gatekeeper")
            .SetParent<Application>()
            .SetGroupName("FortiGate")
            .AddConstructor<H323Gatekeeper>()
            .AddAttribute("AlternateGatekeepers",
                          "Comma-separated IPv4 addresses the GCF/RCF name as alternates",
                          StringValue(""),
                          MakeStringAccessor(&H323Gatekeeper::m_alternates),
                          MakeStringChecker());
    return tid;
}

H323Gatekeeper::H323Gatekeeper() = default;

H323Gatekeeper::~H323Gatekeeper() = default;

void
H323Gatekeeper::StartApplication()
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), H323_RAS_PORT));
    m_socket->SetRecvCallback(MakeCallback(&H323Gatekeeper::Receive, this));
}

void
H323Gatekeeper::StopApplication()
{
    CloseAppSocket(m_socket);
    m_socket = nullptr;
}

void
H323Gatekeeper::Receive(Ptr<Socket> s)
{
    Address from;
    while (Ptr<Packet> p = s->RecvFrom(from))
    {
        const std::vector<uint8_t> b = PacketBytes(p);
        const H323Decoded d = DecodeRas(b.data(), b.size());
        if (!d.Usable())
        {
            continue;
        }
        H225Ras answer;
        const uint32_t self = GetNode()->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal().Get();
        answer.ras = {self, H323_RAS_PORT};
        std::istringstream alts(m_alternates);
        for (std::string a; std::getline(alts, a, ',');)
        {
            uint32_t ip = 0;
            if (ParseIpv4(a, ip))
            {
                answer.alternateGatekeepers.push_back({ip, H323_RAS_PORT});
            }
        }
        if (d.type == RAS_GRQ)
        {
            answer.type = RAS_GCF;
        }
        else if (d.type == RAS_RRQ)
        {
            answer.type = RAS_RCF;
            for (uint8_t i = 0; i < d.count; ++i)
            {
                if (d.addresses[i].role == H323_CALL_SIGNAL)
                {
                    answer.callSignal = {d.addresses[i].ip, d.addresses[i].port};
                    m_registered.push_back({from, d.addresses[i].ip, d.addresses[i].port});
                    break;
                }
            }
            ++m_registrations;
        }
        else if (d.type == RAS_ARQ)
        {
            const Registration* other = nullptr;
            for (const Registration& r : m_registered)
            {
                if (!(r.from == from))
                {
                    other = &r;
                }
            }
            if (other == nullptr)
            {
                continue; // nobody to call: no answer (a real gatekeeper sends ARJ)
            }
            answer.type = RAS_ACF;
            answer.callSignal = {other->csaIp, other->csaPort};
            ++m_admissions;
        }
        else
        {
            continue;
        }
        NS_LOG_INFO("gatekeeper: " << H225RasName(d.type) << " -> " << H225RasName(answer.type));
        SendBytes(s, EncodeRas(answer), &from);
    }
}

} // namespace ns3
