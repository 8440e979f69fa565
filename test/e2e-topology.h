/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared fixture of the end-to-end GoogleTest suites: a small ns-3 topology with a FortiGate.
 *
 *   client0 (10.0.1.10) \
 *   client1 (10.0.1.11)  CSMA 10.0.1.0/24 -- port1 [FortiGate] port2 -- 203.0.113.0/24 p2p --
 * router
 *   ...                 /       (.1)            |        (.1)                        (.2)     |
 *                                            port3 10.0.2.1                   198.51.100.0/24 p2p
 *                                               | p2p                                         |
 *                                     inside (10.0.2.2)                          server (.7)
 *
 * The router knows nothing of 10.0.0.0/8, so only translated traffic can reach the server and
 * find its way back. The LAN is CSMA (ARP, so proxy-ARP for VIP/pool addresses matters), the other
 * links point-to-point. End hosts do not forward (a packet for an absent address on the server's
 * link, 198.51.100.99, vanishes silently). The FortiGate's CPU model costs nothing unless a test
 * asks otherwise.
 */
#ifndef FORTIGATE_TEST_E2E_TOPOLOGY_H
#define FORTIGATE_TEST_E2E_TOPOLOGY_H

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace ns3
{
namespace e2e
{

// ---- addresses -------------------------------------------------------------------------------

constexpr const char* FGT_LAN = "10.0.1.1";    //!< port1
constexpr const char* FGT_WAN = "203.0.113.1"; //!< port2
constexpr const char* FGT_DMZ = "10.0.2.1";    //!< port3
constexpr const char* ROUTER_WAN = "203.0.113.2";
constexpr const char* ROUTER_SRV = "198.51.100.1";
constexpr const char* SERVER = "198.51.100.7";
constexpr const char* INSIDE = "10.0.2.2";
constexpr const char* SILENT = "198.51.100.99"; //!< routed to the server's link, no host

/// \return the LAN address of client \p i (10.0.1.10 + i)
inline Ipv4Address
ClientAddr(uint32_t i)
{
    return Ipv4Address(Ipv4Address("10.0.1.10").Get() + i);
}

/// \return host-order value of a dotted quad
inline uint32_t
Ip(const char* text)
{
    return Ipv4Address(text).Get();
}

/// \return the number of times \p needle occurs in \p hay
inline size_t
CountOf(const std::string& hay, const std::string& needle)
{
    size_t n = 0;
    for (size_t pos = hay.find(needle); pos != std::string::npos;
         pos = hay.find(needle, pos + needle.size()))
    {
        ++n;
    }
    return n;
}

/// \return the whole content of a file ("" when it cannot be read)
inline std::string
ReadFileBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ---- small traffic endpoints ----------------------------------------------------------------

/// One datagram (or ICMP error) seen by an endpoint.
struct RxRecord
{
    double t{0};      //!< simulated seconds
    Ipv4Address from; //!< source address
    uint16_t port{0}; //!< source port
    uint32_t size{0}; //!< payload bytes
};

/// One ICMP error reported to a UDP socket (through its IcmpCallback).
struct IcmpRecord
{
    double t{0};        //!< simulated seconds
    Ipv4Address source; //!< the ICMP packet's source address
    uint8_t type{0};    //!< ICMP type
    uint8_t code{0};    //!< ICMP code
};

/**
 * A UDP socket on a node: bound to a port, optionally connected to a peer, records what it
 * receives (and the ICMP errors the stack matches to it), optionally echoes every datagram back.
 */
class UdpEndpoint
{
  public:
    UdpEndpoint(Ptr<Node> node, uint16_t port, bool echo = false)
        : m_echo(echo)
    {
        m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        m_socket->SetRecvCallback(
            Callback<void, Ptr<Socket>>([this](Ptr<Socket> s) { OnRecv(s); }));
        m_socket->SetAttribute(
            "IcmpCallback",
            CallbackValue(Callback<void, Ipv4Address, uint8_t, uint8_t, uint8_t, uint32_t>(
                [this](Ipv4Address src, uint8_t, uint8_t type, uint8_t code, uint32_t) {
                    icmp.push_back(IcmpRecord{Simulator::Now().GetSeconds(), src, type, code});
                })));
    }

    ~UdpEndpoint()
    {
        if (m_socket)
        {
            m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
            m_socket->SetAttribute(
                "IcmpCallback",
                CallbackValue(
                    MakeNullCallback<void, Ipv4Address, uint8_t, uint8_t, uint8_t, uint32_t>()));
            m_socket->Close();
        }
    }

    UdpEndpoint(const UdpEndpoint&) = delete;
    UdpEndpoint& operator=(const UdpEndpoint&) = delete;

    /// Connect to \p peer:\p port (Send() then goes there).
    void Connect(Ipv4Address peer, uint16_t port)
    {
        m_socket->Connect(InetSocketAddress(peer, port));
    }

    /// Send \p size bytes to the connected peer at simulated time \p at.
    void SendAt(double at, uint32_t size)
    {
        Simulator::Schedule(Seconds(at) - Simulator::Now(), [this, size]() { Send(size); });
    }

    /// Send \p size bytes to the connected peer now.
    void Send(uint32_t size)
    {
        if (m_socket->Send(Create<Packet>(size)) >= 0)
        {
            ++sent;
        }
    }

    /// Send every \p interval seconds from \p start to \p stop (inclusive, within 1 us).
    void SendEvery(double start, double interval, double stop, uint32_t size)
    {
        for (double t = start; t <= stop + 1e-6; t += interval)
        {
            SendAt(t, size);
        }
    }

    /// \return the socket (e.g. to set its TTL)
    Ptr<Socket> GetSocket() const
    {
        return m_socket;
    }

    /// \return datagrams received after simulated time \p t
    size_t ReceivedAfter(double t) const
    {
        size_t n = 0;
        for (const auto& r : rx)
        {
            n += r.t > t ? 1 : 0;
        }
        return n;
    }

    std::vector<RxRecord> rx;     //!< datagrams received
    std::vector<IcmpRecord> icmp; //!< ICMP errors reported to this socket
    uint32_t sent{0};             //!< datagrams handed to the socket

  private:
    void OnRecv(Ptr<Socket> s)
    {
        Address from;
        while (Ptr<Packet> p = s->RecvFrom(from))
        {
            InetSocketAddress a = InetSocketAddress::ConvertFrom(from);
            rx.push_back(
                RxRecord{Simulator::Now().GetSeconds(), a.GetIpv4(), a.GetPort(), p->GetSize()});
            if (m_echo)
            {
                s->SendTo(Create<Packet>(p->GetSize()), 0, from);
            }
        }
    }

    Ptr<Socket> m_socket;
    bool m_echo;
};

/**
 * A TCP listener that accepts connections, counts the bytes and sources it receives and closes
 * its side as soon as the peer closes (a clean four-way close, unlike PacketSink which stays in
 * CLOSE_WAIT).
 */
class TcpServerEndpoint
{
  public:
    TcpServerEndpoint(Ptr<Node> node, uint16_t port)
    {
        m_listener = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
        m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        m_listener->Listen();
        m_listener->SetAcceptCallback(
            MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
            Callback<void, Ptr<Socket>, const Address&>([this](Ptr<Socket> s, const Address& from) {
                peers.push_back(InetSocketAddress::ConvertFrom(from).GetIpv4());
                s->SetRecvCallback(
                    Callback<void, Ptr<Socket>>([this](Ptr<Socket> c) { OnRecv(c); }));
                s->SetCloseCallbacks(Callback<void, Ptr<Socket>>([this](Ptr<Socket> c) {
                                         ++peerCloses;
                                         c->Close();
                                     }),
                                     MakeNullCallback<void, Ptr<Socket>>());
                m_accepted.push_back(s);
            }));
    }

    ~TcpServerEndpoint()
    {
        m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                      MakeNullCallback<void, Ptr<Socket>, const Address&>());
        for (auto& s : m_accepted)
        {
            s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
            s->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                 MakeNullCallback<void, Ptr<Socket>>());
        }
    }

    TcpServerEndpoint(const TcpServerEndpoint&) = delete;
    TcpServerEndpoint& operator=(const TcpServerEndpoint&) = delete;

    std::vector<Ipv4Address> peers; //!< source address of every accepted connection
    uint64_t bytes{0};              //!< bytes received on all connections
    uint32_t peerCloses{0};         //!< connections the peer closed (we closed in turn)

  private:
    void OnRecv(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            bytes += p->GetSize();
        }
    }

    Ptr<Socket> m_listener;
    std::vector<Ptr<Socket>> m_accepted;
};

/**
 * A TCP client socket that connects at a given time, sends some bytes and optionally closes
 * (or stays idle). Records whether the connection succeeded.
 */
class TcpClientEndpoint
{
  public:
    explicit TcpClientEndpoint(Ptr<Node> node)
    {
        m_socket = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
        m_socket->Bind();
        m_socket->SetConnectCallback(
            Callback<void, Ptr<Socket>>([this](Ptr<Socket>) {
                connected = true;
                connectedAt = Simulator::Now().GetSeconds();
            }),
            Callback<void, Ptr<Socket>>([this](Ptr<Socket>) { failed = true; }));
        m_socket->SetCloseCallbacks(
            Callback<void, Ptr<Socket>>([this](Ptr<Socket>) { closed = true; }),
            Callback<void, Ptr<Socket>>([this](Ptr<Socket>) { closed = true; }));
    }

    ~TcpClientEndpoint()
    {
        m_socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                                     MakeNullCallback<void, Ptr<Socket>>());
        m_socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                    MakeNullCallback<void, Ptr<Socket>>());
    }

    TcpClientEndpoint(const TcpClientEndpoint&) = delete;
    TcpClientEndpoint& operator=(const TcpClientEndpoint&) = delete;

    /// \return the socket (set attributes such as ConnCount before ConnectAt fires)
    Ptr<Socket> GetSocket() const
    {
        return m_socket;
    }

    /// Connect to \p peer:\p port at \p at.
    void ConnectAt(double at, Ipv4Address peer, uint16_t port)
    {
        Simulator::Schedule(Seconds(at) - Simulator::Now(), [this, peer, port]() {
            m_socket->Connect(InetSocketAddress(peer, port));
        });
    }

    /// Send \p bytes at \p at.
    void SendAt(double at, uint32_t bytes)
    {
        Simulator::Schedule(Seconds(at) - Simulator::Now(),
                            [this, bytes]() { m_socket->Send(Create<Packet>(bytes)); });
    }

    /// Close at \p at.
    void CloseAt(double at)
    {
        Simulator::Schedule(Seconds(at) - Simulator::Now(), [this]() { m_socket->Close(); });
    }

    bool connected{false};  //!< the handshake completed
    double connectedAt{-1}; //!< when
    bool failed{false};     //!< the connection attempt failed
    bool closed{false};     //!< the connection closed

  private:
    Ptr<Socket> m_socket;
};

/// Internet checksum (RFC 1071) of \p n bytes: 0 when the data holds a correct checksum.
inline uint16_t
InternetChecksum(const uint8_t* data, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
    {
        sum += (static_cast<uint32_t>(data[i]) << 8) | data[i + 1];
    }
    if (n & 1)
    {
        sum += static_cast<uint32_t>(data[n - 1]) << 8;
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(~sum & 0xffff);
}

/// One packet delivered to a node's own stack (after reassembly), with its IP header.
struct Delivered
{
    double t{0};              //!< simulated seconds
    Ipv4Header ip;            //!< the IP header
    std::vector<uint8_t> l4;  //!< the IP payload (transport header and data)
    Ptr<const Packet> packet; //!< the IP payload as a packet
};

/**
 * Records every packet a node delivers locally (Ipv4L3Protocol "LocalDeliver": before the
 * transport protocol checks it), so tests can look at addresses, ICMP errors and checksums.
 */
class DeliveryLog
{
  public:
    explicit DeliveryLog(Ptr<Node> node)
    {
        node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver",
            Callback<void, const Ipv4Header&, Ptr<const Packet>, uint32_t>(
                [this](const Ipv4Header& h, Ptr<const Packet> p, uint32_t) {
                    Delivered d;
                    d.t = Simulator::Now().GetSeconds();
                    d.ip = h;
                    d.l4.resize(p->GetSize());
                    p->CopyData(d.l4.data(), d.l4.size());
                    d.packet = p->Copy();
                    log.push_back(std::move(d));
                }));
    }

    /// \return the delivered packets of IP protocol \p proto
    std::vector<const Delivered*> OfProto(uint8_t proto) const
    {
        std::vector<const Delivered*> out;
        for (const auto& d : log)
        {
            if (d.ip.GetProtocol() == proto)
            {
                out.push_back(&d);
            }
        }
        return out;
    }

    /// \return true when the TCP or UDP checksum of \p d verifies (pseudo header included)
    static bool L4ChecksumOk(const Delivered& d)
    {
        Ptr<Packet> p = d.packet->Copy();
        if (d.ip.GetProtocol() == 17)
        {
            UdpHeader u;
            u.EnableChecksums();
            u.InitializeChecksum(d.ip.GetSource(), d.ip.GetDestination(), 17);
            p->RemoveHeader(u);
            return u.IsChecksumOk();
        }
        if (d.ip.GetProtocol() == 6)
        {
            TcpHeader t;
            t.EnableChecksums();
            t.InitializeChecksum(d.ip.GetSource(), d.ip.GetDestination(), 6);
            p->RemoveHeader(t);
            return t.IsChecksumOk();
        }
        return false;
    }

    std::vector<Delivered> log; //!< everything delivered, in order
};

/// What an ICMP error carries, parsed from its bytes (ICMP header + inner IP header + 8 bytes).
struct IcmpErrorView
{
    bool ok{false};                //!< long enough to parse
    uint8_t type{0};               //!< ICMP type
    uint8_t code{0};               //!< ICMP code
    bool icmpChecksumOk{false};    //!< ICMP checksum over the whole message verifies
    bool innerIpChecksumOk{false}; //!< the embedded IP header's checksum verifies
    uint8_t innerProto{0};         //!< embedded protocol
    Ipv4Address innerSrc;          //!< embedded source
    Ipv4Address innerDst;          //!< embedded destination
    uint16_t innerSport{0};        //!< embedded source port
    uint16_t innerDport{0};        //!< embedded destination port
};

/// Parse an ICMP error message (the IP payload).
inline IcmpErrorView
ParseIcmpError(const std::vector<uint8_t>& b)
{
    IcmpErrorView v;
    if (b.size() < 8 + 20 + 4)
    {
        return v;
    }
    v.type = b[0];
    v.code = b[1];
    v.icmpChecksumOk = InternetChecksum(b.data(), b.size()) == 0;
    const uint8_t* ip = b.data() + 8;
    size_t ihl = (ip[0] & 0x0f) * 4u;
    if (b.size() < 8 + ihl + 4)
    {
        return v;
    }
    v.innerIpChecksumOk = InternetChecksum(ip, ihl) == 0;
    v.innerProto = ip[9];
    v.innerSrc = Ipv4Address((uint32_t(ip[12]) << 24) | (uint32_t(ip[13]) << 16) |
                             (uint32_t(ip[14]) << 8) | ip[15]);
    v.innerDst = Ipv4Address((uint32_t(ip[16]) << 24) | (uint32_t(ip[17]) << 16) |
                             (uint32_t(ip[18]) << 8) | ip[19]);
    const uint8_t* l4 = ip + ihl;
    v.innerSport = static_cast<uint16_t>((l4[0] << 8) | l4[1]);
    v.innerDport = static_cast<uint16_t>((l4[2] << 8) | l4[3]);
    v.ok = true;
    return v;
}

/// One row of `get system session list`.
struct SessionListRow
{
    std::string proto;  //!< tcp, udp, icmp, ...
    int expire{-1};     //!< EXPIRE column
    std::string source; //!< SOURCE
    std::string snat;   //!< SOURCE-NAT ("-" when none)
    std::string dest;   //!< DESTINATION
    std::string dnat;   //!< DESTINATION-NAT ("-" when none)
};

/// Parse the output of `get system session list` (header line skipped).
inline std::vector<SessionListRow>
ParseSessionList(const std::string& text)
{
    std::vector<SessionListRow> rows;
    std::istringstream in(text);
    std::string line;
    bool header = true;
    while (std::getline(in, line))
    {
        if (header)
        {
            header = false;
            continue;
        }
        std::istringstream ls(line);
        SessionListRow r;
        std::string expire;
        if (ls >> r.proto >> expire >> r.source >> r.snat >> r.dest >> r.dnat)
        {
            r.expire = std::stoi(expire);
            rows.push_back(r);
        }
    }
    return rows;
}

/// \return the `state=` words of the session blocks of a `diagnose sys session list` output
inline std::vector<std::vector<std::string>>
StateFlags(const std::string& diagnoseList)
{
    std::vector<std::vector<std::string>> out;
    std::istringstream in(diagnoseList);
    std::string line;
    while (std::getline(in, line))
    {
        if (line.rfind("state=", 0) == 0)
        {
            std::istringstream ls(line.substr(6));
            std::vector<std::string> words;
            for (std::string w; ls >> w;)
            {
                words.push_back(w);
            }
            out.push_back(words);
        }
    }
    return out;
}

/// \return true when \p words holds \p w
inline bool
Has(const std::vector<std::string>& words, const std::string& w)
{
    return std::find(words.begin(), words.end(), w) != words.end();
}

// ---- the topology ----------------------------------------------------------------------------

/// What E2eTopology builds.
struct TopologyOptions
{
    uint32_t clients{2};            //!< LAN hosts
    bool zeroCpu{true};             //!< CPU model costs nothing
    uint32_t maxSessions{0};        //!< FortiGate MaxSessions attribute (0 = unlimited)
    std::string lanRate{"1Gbps"};   //!< CSMA data rate
    std::string wanRate{"100Mbps"}; //!< p2p data rate
};

/**
 * Builds the topology of this file's header (nodes, devices, stacks, addresses, routes) in its
 * constructor; Install() then turns the FortiGate node into a FortiGate with a configuration.
 * The destructor runs Simulator::Destroy().
 */
class E2eTopology
{
  public:
    explicit E2eTopology(const TopologyOptions& o = TopologyOptions())
        : options(o)
    {
        clients.Create(o.clients);
        fgtNode = CreateObject<Node>();
        router = CreateObject<Node>();
        server = CreateObject<Node>();
        inside = CreateObject<Node>();

        csma.SetChannelAttribute("DataRate", StringValue(o.lanRate));
        csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
        NodeContainer lanNodes(clients);
        lanNodes.Add(fgtNode);
        lanDevs = csma.Install(lanNodes);

        p2p.SetDeviceAttribute("DataRate", StringValue(o.wanRate));
        p2p.SetChannelAttribute("Delay", StringValue("5ms"));
        wanDevs = p2p.Install(fgtNode, router);
        srvDevs = p2p.Install(router, server);
        p2p.SetChannelAttribute("Delay", StringValue("1ms"));
        dmzDevs = p2p.Install(fgtNode, inside);

        InternetStackHelper stack;
        stack.Install(clients);
        stack.Install(fgtNode);
        stack.Install(router);
        stack.Install(server);
        stack.Install(inside);

        // FortiGate: port1 (LAN), port2 (WAN), port3 (DMZ), in this ns-3 interface order.
        Assign(lanDevs.Get(o.clients), FGT_LAN, 24);
        Assign(wanDevs.Get(0), FGT_WAN, 24);
        Assign(dmzDevs.Get(0), FGT_DMZ, 24);
        for (uint32_t i = 0; i < o.clients; ++i)
        {
            Assign(lanDevs.Get(i), ClientAddr(i), 24);
        }
        Assign(wanDevs.Get(1), ROUTER_WAN, 24);
        Assign(srvDevs.Get(0), ROUTER_SRV, 24);
        Assign(srvDevs.Get(1), SERVER, 24);
        Assign(dmzDevs.Get(1), INSIDE, 24);

        Ipv4StaticRoutingHelper srh;
        for (uint32_t i = 0; i < o.clients; ++i)
        {
            DefaultRoute(clients.Get(i), FGT_LAN);
        }
        DefaultRoute(server, ROUTER_SRV);
        DefaultRoute(inside, FGT_DMZ);
        DefaultRoute(fgtNode, ROUTER_WAN);
        // Hosts do not forward.
        for (Ptr<Node> n : {server, inside})
        {
            n->GetObject<Ipv4>()->SetAttribute("IpForward", BooleanValue(false));
        }
        for (uint32_t i = 0; i < o.clients; ++i)
        {
            clients.Get(i)->GetObject<Ipv4>()->SetAttribute("IpForward", BooleanValue(false));
        }
    }

    ~E2eTopology()
    {
        Simulator::Destroy();
    }

    E2eTopology(const E2eTopology&) = delete;
    E2eTopology& operator=(const E2eTopology&) = delete;

    /// A configuration with port1..port3 and the addresses "lan" (10.0.1.0/24) and "dmz"
    /// (10.0.2.0/24), no policies.
    static FortiGateConfig BaseConfig()
    {
        FortiGateConfig cfg;
        for (const char* name : {"port1", "port2", "port3"})
        {
            InterfaceConfig intf;
            intf.name = name;
            cfg.AddInterface(intf);
        }
        cfg.AddAddress(FirewallAddress::FromSubnet("lan", "10.0.1.0/24"));
        cfg.AddAddress(FirewallAddress::FromSubnet("dmz", "10.0.2.0/24"));
        return cfg;
    }

    /// An accept policy \p src -> \p dst (interface names) for \p service to \p dstaddr.
    static FirewallPolicy Accept(uint32_t id,
                                 const std::string& src,
                                 const std::string& dst,
                                 bool nat,
                                 const std::string& dstaddr = "all",
                                 const std::string& service = "ALL",
                                 const std::string& srcaddr = "all")
    {
        FirewallPolicy p;
        p.id = id;
        p.srcintf = {src};
        p.dstintf = {dst};
        p.srcaddr = {srcaddr};
        p.dstaddr = {dstaddr};
        p.service = {service};
        p.action = FirewallPolicy::ACCEPT;
        p.nat = nat;
        p.logtraffic = "all";
        return p;
    }

    /// A deny policy \p src -> \p dst for \p service.
    static FirewallPolicy Deny(uint32_t id,
                               const std::string& src,
                               const std::string& dst,
                               const std::string& service)
    {
        FirewallPolicy p = Accept(id, src, dst, false, "all", service);
        p.action = FirewallPolicy::DENY;
        return p;
    }

    /// Install the FortiGate with \p cfg (plus the options' attributes); \p tweak may set more
    /// helper attributes first.
    Ptr<FortiGateNode> Install(const FortiGateConfig& cfg,
                               const std::function<void(FortiGateHelper&)>& tweak = nullptr)
    {
        FortiGateHelper helper;
        if (options.zeroCpu)
        {
            helper.SetCpuAttribute("FastPathCost", TimeValue(Time(0)));
            helper.SetCpuAttribute("SessionSetupCost", TimeValue(Time(0)));
            helper.SetCpuAttribute("HelperCost", TimeValue(Time(0)));
            helper.SetCpuAttribute("ProxyCost", TimeValue(Time(0)));
        }
        helper.SetAttribute("MaxSessions", UintegerValue(options.maxSessions));
        if (tweak)
        {
            tweak(helper);
        }
        helper.SetConfig(cfg);
        fgt = helper.Install(fgtNode);
        helper.AssignStreams(NodeContainer(fgtNode), 1000);
        return fgt;
    }

    /// Fix every random stream of the topology (for reproducible runs).
    void AssignStreams(int64_t first)
    {
        InternetStackHelper stack;
        NodeContainer all(clients);
        all.Add(fgtNode);
        all.Add(router);
        all.Add(server);
        all.Add(inside);
        first += stack.AssignStreams(all, first);
        csma.AssignStreams(lanDevs, first);
    }

    /// Run until \p stop (simulated seconds).
    void RunUntil(double stop)
    {
        Simulator::Stop(Seconds(stop) - Simulator::Now());
        Simulator::Run();
    }

    /// Call \p fn at simulated time \p at.
    static void At(double at, std::function<void()> fn)
    {
        Simulator::Schedule(Seconds(at) - Simulator::Now(), fn);
    }

    /// \return the session whose original tuple (as it arrives) is given, or nullptr
    const Session* FindSession(uint8_t proto,
                               Ipv4Address src,
                               uint16_t sport,
                               Ipv4Address dst,
                               uint16_t dport) const
    {
        SessionDir d;
        return fgt->GetSessionTable().Find(FlowTuple{src.Get(), dst.Get(), sport, dport, proto},
                                           &d);
    }

    /// Ipv4 of a node
    static Ptr<Ipv4> Ip4(Ptr<Node> n)
    {
        return n->GetObject<Ipv4>();
    }

    TopologyOptions options;    //!< what was built
    NodeContainer clients;      //!< LAN hosts 10.0.1.10 + i
    Ptr<Node> fgtNode;          //!< the FortiGate's node
    Ptr<Node> router;           //!< WAN router
    Ptr<Node> server;           //!< WAN server 198.51.100.7
    Ptr<Node> inside;           //!< DMZ server 10.0.2.2
    NetDeviceContainer lanDevs; //!< clients..., FortiGate port1 (last)
    NetDeviceContainer wanDevs; //!< FortiGate port2, router
    NetDeviceContainer srvDevs; //!< router, server
    NetDeviceContainer dmzDevs; //!< FortiGate port3, inside
    CsmaHelper csma;            //!< LAN
    PointToPointHelper p2p;     //!< the other links
    Ptr<FortiGateNode> fgt;     //!< after Install()

  private:
    static void Assign(Ptr<NetDevice> dev, Ipv4Address a, uint8_t prefix)
    {
        Ptr<Ipv4> ipv4 = dev->GetNode()->GetObject<Ipv4>();
        int32_t i = ipv4->GetInterfaceForDevice(dev);
        if (i < 0)
        {
            i = ipv4->AddInterface(dev);
        }
        ipv4->AddAddress(i, Ipv4InterfaceAddress(a, Ipv4Mask(~0u << (32 - prefix))));
        ipv4->SetMetric(i, 1);
        ipv4->SetUp(i);
    }

    static void Assign(Ptr<NetDevice> dev, const char* a, uint8_t prefix)
    {
        Assign(dev, Ipv4Address(a), prefix);
    }

    static void DefaultRoute(Ptr<Node> n, const char* gw)
    {
        Ptr<Ipv4> ipv4 = n->GetObject<Ipv4>();
        Ipv4StaticRoutingHelper srh;
        int32_t i = ipv4->GetInterfaceForPrefix(Ipv4Address(gw), Ipv4Mask("255.255.255.0"));
        srh.GetStaticRouting(ipv4)->SetDefaultRoute(Ipv4Address(gw), i);
    }
};

/**
 * Keeps ChecksumEnabled set for one test and restores the previous value after it.
 */
class ChecksumGuard
{
  public:
    explicit ChecksumGuard(bool on)
    {
        BooleanValue v;
        GlobalValue::GetValueByName("ChecksumEnabled", v);
        m_old = v.Get();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(on));
    }

    ~ChecksumGuard()
    {
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(m_old));
    }

    ChecksumGuard(const ChecksumGuard&) = delete;
    ChecksumGuard& operator=(const ChecksumGuard&) = delete;

  private:
    bool m_old{false};
};

} // namespace e2e
} // namespace ns3

#endif // FORTIGATE_TEST_E2E_TOPOLOGY_H
