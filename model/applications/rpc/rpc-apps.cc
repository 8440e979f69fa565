/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rpc-apps.h"

#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/config-error.h"
#include "ns3/dcerpc-parser.h"
#include "ns3/flow-tuple.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/onc-rpc-parser.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RpcApps");
NS_OBJECT_ENSURE_REGISTERED(RpcServerHost);
NS_OBJECT_ENSURE_REGISTERED(RpcClient);

namespace
{
/// \return the local port of \p s
uint16_t
LocalPort(Ptr<Socket> s)
{
    Address a;
    s->GetSockName(a);
    return InetSocketAddress::ConvertFrom(a).GetPort();
}

/// \return \p text as a UUID, or a ConfigError naming \p what
DceUuid
Uuid(const std::string& text, const std::string& what)
{
    DceUuid u;
    if (!ParseDceUuid(text, u))
    {
        throw ConfigError(what + ": Interface: '" + text + "' is not a UUID");
    }
    return u;
}

/// The activity UUID of the client's connectionless calls.
DceUuid
Activity()
{
    DceUuid u;
    ParseDceUuid("6a28d1c0-0b71-4c47-9a5f-4f0a8b1c2d3e", u);
    return u;
}

/// The interface UUID the examples register.
const char* DEFAULT_INTERFACE = "12345778-1234-abcd-ef00-0123456789ac";

/// \return the split TCP messages of \p buf (records for ONC, PDUs for DCE), consumed bytes
std::vector<std::pair<std::size_t, std::size_t>>
Messages(bool dce, const std::vector<uint8_t>& buf, std::size_t& consumed)
{
    std::vector<std::pair<std::size_t, std::size_t>> out;
    consumed = 0;
    if (!dce)
    {
        bool bad = false;
        for (const OncRpcRecord& r : SplitOncRpcRecords(buf.data(), buf.size(), bad))
        {
            out.emplace_back(r.offset, r.length);
            consumed = r.offset + r.length;
        }
        return out;
    }
    DceRpcPdu pdu;
    while (consumed < buf.size() && ParseDceRpc(buf.data() + consumed, buf.size() - consumed, pdu))
    {
        out.emplace_back(consumed, pdu.length);
        consumed += pdu.length;
    }
    return out;
}
} // namespace

// ---- server -------------------------------------------------------------------------------

TypeId
RpcServerHost::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RpcServerHost")
                            .SetParent<Application>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<RpcServerHost>()
                            .AddAttribute("Host",
                                          "Address written in universal addresses and towers",
                                          Ipv4AddressValue(),
                                          MakeIpv4AddressAccessor(&RpcServerHost::m_host),
                                          MakeIpv4AddressChecker())
                            .AddAttribute("Program",
                                          "Registered ONC-RPC program",
                                          UintegerValue(100005),
                                          MakeUintegerAccessor(&RpcServerHost::m_program),
                                          MakeUintegerChecker<uint32_t>())
                            .AddAttribute("ProgramPort",
                                          "Its port (TCP and UDP)",
                                          UintegerValue(2049),
                                          MakeUintegerAccessor(&RpcServerHost::m_programPort),
                                          MakeUintegerChecker<uint16_t>(1))
                            .AddAttribute("Interface",
                                          "Registered DCE-RPC interface UUID",
                                          StringValue(DEFAULT_INTERFACE),
                                          MakeStringAccessor(&RpcServerHost::m_interface),
                                          MakeStringChecker())
                            .AddAttribute("InterfacePort",
                                          "Its port (TCP and UDP)",
                                          UintegerValue(49152),
                                          MakeUintegerAccessor(&RpcServerHost::m_interfacePort),
                                          MakeUintegerChecker<uint16_t>(1));
    return tid;
}

RpcServerHost::~RpcServerHost() = default;

void
RpcServerHost::Listen(bool tcp, uint16_t port)
{
    Ptr<Socket> s =
        Socket::CreateSocket(GetNode(),
                             tcp ? TcpSocketFactory::GetTypeId() : UdpSocketFactory::GetTypeId());
    s->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    if (tcp)
    {
        s->Listen();
        s->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                             MakeCallback(&RpcServerHost::Accept, this));
    }
    else
    {
        s->SetRecvCallback(MakeCallback(&RpcServerHost::Read, this));
    }
    m_sockets.push_back(s);
}

void
RpcServerHost::StartApplication()
{
    Uuid(m_interface, "RpcServerHost");
    if (m_programPort == m_interfacePort || m_programPort == PMAP_PORT ||
        m_interfacePort == DCERPC_EPM_PORT)
    {
        throw ConfigError("RpcServerHost: ProgramPort and InterfacePort must differ from each "
                          "other and from 111 and 135");
    }
    for (uint16_t port : {PMAP_PORT, m_programPort, DCERPC_EPM_PORT, m_interfacePort})
    {
        Listen(true, port);
        Listen(false, port);
    }
}

void
RpcServerHost::StopApplication()
{
    for (auto& s : m_sockets)
    {
        CloseAppSocket(s);
    }
    for (auto& [s, b] : m_streams)
    {
        CloseAppSocket(s);
    }
    m_sockets.clear();
    m_streams.clear();
}

void
RpcServerHost::DoDispose()
{
    StopApplication();
    Application::DoDispose();
}

void
RpcServerHost::Accept(Ptr<Socket> s, const Address&)
{
    m_streams[s];
    s->SetRecvCallback(MakeCallback(&RpcServerHost::Read, this));
}

void
RpcServerHost::Read(Ptr<Socket> s)
{
    const uint16_t port = LocalPort(s);
    const bool dce = port == DCERPC_EPM_PORT || port == m_interfacePort;
    auto it = m_streams.find(s);
    if (it == m_streams.end())
    {
        Address from;
        while (Ptr<Packet> p = s->RecvFrom(from))
        {
            const std::vector<uint8_t> b = PacketBytes(p);
            const auto r = Answer(port, false, b.data(), b.size());
            if (!r.empty())
            {
                SendBytes(s, r, &from);
            }
        }
        return;
    }
    auto& buf = it->second;
    AppendReceived(s, buf);
    std::size_t consumed = 0;
    for (const auto& [off, n] : Messages(dce, buf, consumed))
    {
        const auto r = Answer(port, true, buf.data() + off, n);
        if (!r.empty())
        {
            SendBytes(s, dce ? r : AddRecordMark(r));
        }
    }
    buf.erase(buf.begin(), buf.begin() + consumed);
}

std::vector<uint8_t>
RpcServerHost::Answer(uint16_t port, bool tcp, const uint8_t* msg, std::size_t len)
{
    if (port == PMAP_PORT || port == m_programPort)
    {
        OncRpcMessage m;
        if (!ParseOncRpc(msg, len, m) || !m.call)
        {
            return {};
        }
        if (port == m_programPort)
        {
            ++m_calls;
            return BuildOncRpcReply(m.xid, 0, "");
        }
        PmapRequest q;
        if (m.prog != PMAP_PROGRAM || m.proc != PMAP_PROC_GETPORT ||
            !ParsePmapRequest(msg + m.bodyOffset, len - m.bodyOffset, m.vers, q))
        {
            return BuildOncRpcReply(m.xid, 1, ""); // PROG_UNAVAIL
        }
        const bool known = q.prog == m_program;
        if (m.vers == 2)
        {
            return BuildOncRpcReply(m.xid, 0, XdrUint(known ? m_programPort : 0));
        }
        return BuildOncRpcReply(
            m.xid,
            0,
            XdrString(known ? FormatUniversalAddress(m_host.Get(), m_programPort) : ""));
    }
    DceRpcPdu pdu;
    if (!ParseDceRpc(msg, len, pdu))
    {
        return {};
    }
    if (pdu.type == DCERPC_BIND)
    {
        return BuildDceBindAck(pdu.callId);
    }
    if (pdu.type != DCERPC_REQUEST)
    {
        return {};
    }
    std::string stub(reinterpret_cast<const char*>(msg + pdu.stubOffset), pdu.stubLength);
    const DceUuid iface = Uuid(m_interface, "RpcServerHost");
    if (port == m_interfacePort)
    {
        ++m_calls;
    }
    else
    {
        DceTower asked;
        if (pdu.opnum != EPM_OPNUM_MAP ||
            !ParseEptMapRequest(msg + pdu.stubOffset, pdu.stubLength, pdu.littleEndian, asked))
        {
            return {};
        }
        std::vector<std::string> towers;
        if (asked.interfaceUuid == iface)
        {
            towers.push_back(BuildDceTower(iface, 1, tcp ? 6 : 17, m_host.Get(), m_interfacePort));
        }
        stub = BuildEptMapResponseStub(towers, towers.empty() ? 0x16c9a0d6 : 0);
    }
    return pdu.connectionless
               ? BuildDceCl(DCERPC_RESPONSE, pdu.interfaceUuid, pdu.activity, pdu.callId, 0, stub)
               : BuildDceCo(DCERPC_RESPONSE, pdu.callId, 0, stub);
}

// ---- client -------------------------------------------------------------------------------

TypeId
RpcClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RpcClient")
            .SetParent<Application>()
            .SetGroupName("FortiGate")
            .AddConstructor<RpcClient>()
            .AddAttribute("Dce",
                          "DCE-RPC (endpoint mapper) instead of ONC-RPC (portmapper)",
                          BooleanValue(false),
                          MakeBooleanAccessor(&RpcClient::m_dce),
                          MakeBooleanChecker())
            .AddAttribute("UseTcp",
                          "TCP (else UDP)",
                          BooleanValue(false),
                          MakeBooleanAccessor(&RpcClient::m_useTcp),
                          MakeBooleanChecker())
            .AddAttribute("RemoteAddress",
                          "The server host's address",
                          AddressValue(),
                          MakeAddressAccessor(&RpcClient::m_remote),
                          MakeAddressChecker())
            .AddAttribute("Program",
                          "ONC-RPC program to call",
                          UintegerValue(100005),
                          MakeUintegerAccessor(&RpcClient::m_program),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Interface",
                          "DCE-RPC interface to call",
                          StringValue(DEFAULT_INTERFACE),
                          MakeStringAccessor(&RpcClient::m_interface),
                          MakeStringChecker());
    return tid;
}

RpcClient::~RpcClient() = default;

void
RpcClient::StartApplication()
{
    const DceUuid iface = Uuid(m_interface, "RpcClient");
    m_mapper = InetSocketAddress::IsMatchingType(m_remote)
                   ? InetSocketAddress::ConvertFrom(m_remote).GetIpv4()
                   : Ipv4Address::ConvertFrom(m_remote);
    m_stage = 0;
    const uint8_t proto = m_useTcp ? 6 : 17;
    if (!m_dce)
    {
        m_stage = 1;
        const auto call = m_useTcp ? BuildOncRpcCall(1,
                                                     PMAP_PROGRAM,
                                                     4,
                                                     PMAP_PROC_GETPORT,
                                                     RpcbGetaddrArgs(m_program, 1, "tcp"))
                                   : BuildOncRpcCall(1,
                                                     PMAP_PROGRAM,
                                                     2,
                                                     PMAP_PROC_GETPORT,
                                                     PmapGetportArgs(m_program, 1, proto));
        Open(m_mapper, PMAP_PORT, m_useTcp ? AddRecordMark(call) : call);
        return;
    }
    const std::string ask = BuildEptMapRequestStub(BuildDceTower(iface, 1, proto, 0, 0));
    if (m_useTcp)
    {
        Open(m_mapper, DCERPC_EPM_PORT, BuildDceBind(1, EpmInterfaceUuid(), 3));
        m_pending = BuildDceCo(DCERPC_REQUEST, 2, EPM_OPNUM_MAP, ask); // after the bind_ack
        return;
    }
    m_stage = 1;
    Open(m_mapper,
         DCERPC_EPM_PORT,
         BuildDceCl(DCERPC_REQUEST, EpmInterfaceUuid(), Activity(), 0, EPM_OPNUM_MAP, ask));
}

void
RpcClient::Open(Ipv4Address addr, uint16_t port, const std::vector<uint8_t>& first)
{
    CloseAppSocket(m_socket);
    m_stream.clear();
    m_socket = Socket::CreateSocket(GetNode(),
                                    m_useTcp ? TcpSocketFactory::GetTypeId()
                                             : UdpSocketFactory::GetTypeId());
    m_socket->Bind();
    m_socket->SetRecvCallback(MakeCallback(&RpcClient::Read, this));
    if (m_useTcp)
    {
        m_firstTcp = first;
        m_socket->SetConnectCallback(MakeCallback(&RpcClient::Connected, this),
                                     MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Connect(InetSocketAddress(addr, port));
        return;
    }
    m_socket->Connect(InetSocketAddress(addr, port));
    SendBytes(m_socket, first);
}

void
RpcClient::Connected(Ptr<Socket> s)
{
    SendBytes(s, m_firstTcp);
}

void
RpcClient::StopApplication()
{
    CloseAppSocket(m_socket);
    m_socket = nullptr;
}

void
RpcClient::DoDispose()
{
    StopApplication();
    Application::DoDispose();
}

void
RpcClient::Read(Ptr<Socket> s)
{
    if (!m_useTcp)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            const std::vector<uint8_t> b = PacketBytes(p);
            Handle(b.data(), b.size());
        }
        return;
    }
    AppendReceived(s, m_stream);
    std::size_t consumed = 0;
    const auto msgs = Messages(m_dce, m_stream, consumed);
    const std::vector<uint8_t> buf(m_stream.begin(), m_stream.begin() + consumed);
    m_stream.erase(m_stream.begin(), m_stream.begin() + consumed);
    for (const auto& [off, n] : msgs)
    {
        Handle(buf.data() + off, n);
    }
}

void
RpcClient::Call(Ipv4Address addr, uint16_t port)
{
    m_stage = 2;
    if (!m_dce)
    {
        const auto call = BuildOncRpcCall(2, m_program, 1, 0, "");
        Simulator::ScheduleNow(&RpcClient::Open,
                               this,
                               addr,
                               port,
                               m_useTcp ? AddRecordMark(call) : call);
        return;
    }
    const DceUuid iface = Uuid(m_interface, "RpcClient");
    if (m_useTcp)
    {
        m_stage = 3; // bind first, then the request
        m_pending = BuildDceCo(DCERPC_REQUEST, 2, 0, "ping");
        Simulator::ScheduleNow(&RpcClient::Open, this, addr, port, BuildDceBind(1, iface, 1));
        return;
    }
    Simulator::ScheduleNow(&RpcClient::Open,
                           this,
                           addr,
                           port,
                           BuildDceCl(DCERPC_REQUEST, iface, Activity(), 0, 0, "ping"));
}

void
RpcClient::Handle(const uint8_t* msg, std::size_t len)
{
    if (!m_dce)
    {
        OncRpcMessage m;
        if (!ParseOncRpc(msg, len, m) || m.call || !m.accepted || m.acceptStat != 0)
        {
            return;
        }
        if (m_stage == 1 && m.xid == 1)
        {
            PmapReply a;
            if (!ParsePmapReply(msg + m.bodyOffset, len - m.bodyOffset, m_useTcp ? 4 : 2, a) ||
                a.port == 0)
            {
                return;
            }
            m_announced = a.addr ? Ipv4ToString(a.addr) : "";
            Call(a.addr ? Ipv4Address(a.addr) : m_mapper, a.port);
        }
        else if (m_stage == 2 && m.xid == 2)
        {
            m_completed = true;
        }
        return;
    }
    DceRpcPdu pdu;
    if (!ParseDceRpc(msg, len, pdu))
    {
        return;
    }
    if (pdu.type == DCERPC_BIND_ACK && (m_stage == 0 || m_stage == 3))
    {
        m_stage = m_stage == 0 ? 1 : 2;
        SendBytes(m_socket, m_pending);
        return;
    }
    if (pdu.type != DCERPC_RESPONSE)
    {
        return;
    }
    if (m_stage == 1)
    {
        std::vector<DceTower> towers;
        uint32_t status = 0;
        if (!ParseEptMapResponse(msg + pdu.stubOffset,
                                 pdu.stubLength,
                                 pdu.littleEndian,
                                 towers,
                                 status) ||
            towers.empty() || towers[0].port == 0)
        {
            return;
        }
        m_announced = towers[0].ip ? Ipv4ToString(towers[0].ip) : "";
        Call(towers[0].ip ? Ipv4Address(towers[0].ip) : m_mapper, towers[0].port);
    }
    else if (m_stage == 2)
    {
        m_completed = true;
    }
}

} // namespace ns3
