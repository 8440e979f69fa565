/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * End-to-end simulations through a FortiGate (issue 2): traffic arrives translated and replies
 * come back (TCP, UDP, ICMP through SNAT; static and port-forward VIPs; IP pools; hairpin;
 * proxy-ARP), denied traffic is dropped and counted, ICMP errors are translated, checksums verify
 * (also with fragments), and the session commands reflect the traffic.
 *
 * Topology and endpoints: e2e-topology.h.
 */
#include "e2e-topology.h"

#include "ns3/fortios-cli.h"
#include "ns3/internet-apps-module.h"

#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

using RxAddrCallback = Callback<void, Ptr<const Packet>, const Address&, const Address&>;

/// What the PolicyDenied trace reported, in order.
struct DenyLog
{
    explicit DenyLog(Ptr<FortiGateNode> fgt)
    {
        fgt->TraceConnectWithoutContext(
            "PolicyDenied",
            Callback<void, Ptr<const Packet>, const Ipv4Header&, uint32_t>(
                [this](Ptr<const Packet>, const Ipv4Header& h, uint32_t id) {
                    ids.push_back(id);
                    sources.push_back(h.GetSource());
                }));
    }

    DenyLog(const DenyLog&) = delete;
    DenyLog& operator=(const DenyLog&) = delete;

    std::vector<uint32_t> ids;        //!< policy id per denied packet (0 = implicit deny)
    std::vector<Ipv4Address> sources; //!< its source address
};

/// A PacketSink on \p node:\p port that records the source address of everything it receives.
struct Sink
{
    Sink(Ptr<Node> node, uint16_t port)
    {
        PacketSinkHelper h("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), port));
        app = DynamicCast<PacketSink>(h.Install(node).Get(0));
        app->TraceConnectWithoutContext(
            "RxWithAddresses",
            RxAddrCallback([this](Ptr<const Packet>, const Address& from, const Address&) {
                sources.insert(InetSocketAddress::ConvertFrom(from).GetIpv4().Get());
            }));
    }

    uint64_t Bytes() const
    {
        return app->GetTotalRx();
    }

    Ptr<PacketSink> app;
    std::set<uint32_t> sources; //!< host-order source addresses seen
};

/// BulkSend of \p bytes from \p node to \p dst:\p port starting at \p start.
void
Bulk(Ptr<Node> node, Ipv4Address dst, uint16_t port, uint32_t bytes, double start)
{
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(dst, port));
    bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
    bulk.Install(node).Start(Seconds(start));
}

/// \return "a.b.c.d:port"
std::string
AddrPort(Ipv4Address a, uint16_t port)
{
    std::ostringstream os;
    a.Print(os);
    os << ":" << port;
    return os.str();
}

/// \return the port of an "a.b.c.d:port" text
uint16_t
PortOf(const std::string& addrPort)
{
    return static_cast<uint16_t>(std::stoi(addrPort.substr(addrPort.find(':') + 1)));
}

/// \return the address part of an "a.b.c.d:port" text
std::string
AddrOf(const std::string& addrPort)
{
    return addrPort.substr(0, addrPort.find(':'));
}

VipConfig
StaticVip(const std::string& name, const char* ext, const char* mapped, const std::string& intf)
{
    VipConfig v;
    v.name = name;
    v.extipLo = Ip(ext);
    v.mappedipLo = Ip(mapped);
    v.extintf = intf;
    return v;
}

VipConfig
PortForwardVip(const std::string& name,
               const char* ext,
               uint16_t extPort,
               const char* mapped,
               uint16_t mappedPort,
               uint8_t proto)
{
    VipConfig v = StaticVip(name, ext, mapped, "port2");
    v.portforward = true;
    v.protocol = proto;
    v.extportLo = extPort;
    v.mappedportLo = mappedPort;
    return v;
}

/// The usual outbound rule: port1 -> port2, everything, NAT to port2's address.
FortiGateConfig
SnatConfig()
{
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    return cfg;
}

} // namespace

// ---- 1. traffic arrives translated and replies come back -------------------------------------

TEST(DatapathE2eTest, TcpThroughSnatDeliversEveryByteFromTheWanAddress)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    Sink sink(topo.server, 80);
    Bulk(topo.clients.Get(0), Ipv4Address(SERVER), 80, 300000, 1.0);
    std::vector<SessionListRow> rows;
    E2eTopology::At(1.02,
                    [&]() { rows = ParseSessionList(fgt->Diagnose("get system session list")); });
    topo.RunUntil(4.0);

    EXPECT_EQ(sink.Bytes(), 300000u);
    EXPECT_EQ(sink.sources, std::set<uint32_t>{Ip(FGT_WAN)})
        << "the server must only see the FortiGate's WAN address";
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].proto, "tcp");
    EXPECT_EQ(AddrOf(rows[0].source), "10.0.1.10");
    EXPECT_EQ(rows[0].snat, AddrPort(Ipv4Address(FGT_WAN), PortOf(rows[0].source)))
        << "SNAT to port2's address, source port kept when free";
    EXPECT_EQ(rows[0].dest, "198.51.100.7:80");
    EXPECT_EQ(rows[0].dnat, "-");
    EXPECT_GT(fgt->GetForwardedCount(), 200u);
}

TEST(DatapathE2eTest, UdpEchoThroughSnatAndBack)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendEvery(1.0, 0.2, 1.8, 100); // 5 datagrams
    topo.RunUntil(3.0);

    ASSERT_EQ(srv.rx.size(), 5u);
    for (const auto& r : srv.rx)
    {
        EXPECT_EQ(r.from, Ipv4Address(FGT_WAN));
        EXPECT_EQ(r.port, 4000) << "free source port kept";
    }
    ASSERT_EQ(cli.rx.size(), 5u) << "every echo reply must come back through the reverse NAT";
    for (const auto& r : cli.rx)
    {
        EXPECT_EQ(r.from, Ipv4Address(SERVER));
        EXPECT_EQ(r.port, 7);
        EXPECT_EQ(r.size, 100u);
    }
    const Session* s = topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address(SERVER), 7);
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->IsSnat());
    EXPECT_EQ(s->reply.tuple.dst, Ip(FGT_WAN));
    EXPECT_EQ(s->counters[0].packets, 5u);
    EXPECT_EQ(s->counters[1].packets, 5u);
    EXPECT_EQ(s->counters[0].bytes, 5u * (100 + 8 + 20));
    EXPECT_EQ(s->tcpState[0], 1) << "proto_state=01 once a reply was seen";
    EXPECT_EQ(s->policyId, 1u);
}

TEST(DatapathE2eTest, PingThroughSnat)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    DeliveryLog serverLog(topo.server);
    V4PingHelper ping{Ipv4Address(SERVER)};
    ping.SetAttribute("Interval", TimeValue(Seconds(0.5)));
    ApplicationContainer app = ping.Install(topo.clients.Get(0));
    app.Start(Seconds(1.0));
    app.Stop(Seconds(2.9)); // pings at 1.0 1.5 2.0 2.5
    uint32_t replies = 0;
    app.Get(0)->TraceConnectWithoutContext("Rtt",
                                           Callback<void, Time>([&replies](Time) { ++replies; }));
    topo.RunUntil(4.0);

    EXPECT_EQ(replies, 4u);
    auto icmp = serverLog.OfProto(1);
    ASSERT_EQ(icmp.size(), 4u);
    for (const Delivered* d : icmp)
    {
        EXPECT_EQ(d->ip.GetSource(), Ipv4Address(FGT_WAN));
        EXPECT_EQ(d->l4[0], 8) << "echo request";
    }
    auto rows = ParseSessionList(fgt->Diagnose("get system session list"));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].proto, "icmp");
    EXPECT_EQ(AddrOf(rows[0].snat), FGT_WAN);
}

TEST(DatapathE2eTest, TwoClientsOnTheSameSourcePortShareTheWanAddress)
{
    // ns-3 gives both clients the same first ephemeral port: the second TCP flow and the second
    // ping (both echo id 0) must be translated to another port / id to stay apart.
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    Sink sink(topo.server, 80);
    Bulk(topo.clients.Get(0), Ipv4Address(SERVER), 80, 200000, 1.0);
    Bulk(topo.clients.Get(1), Ipv4Address(SERVER), 80, 200000, 1.0);
    uint32_t replies[2] = {0, 0};
    for (uint32_t i = 0; i < 2; ++i)
    {
        V4PingHelper ping{Ipv4Address(SERVER)};
        ping.SetAttribute("Interval", TimeValue(Seconds(0.5)));
        ApplicationContainer app = ping.Install(topo.clients.Get(i));
        app.Start(Seconds(1.0));
        app.Stop(Seconds(2.9));
        uint32_t* n = &replies[i];
        app.Get(0)->TraceConnectWithoutContext("Rtt", Callback<void, Time>([n](Time) { ++*n; }));
    }
    std::vector<SessionListRow> rows;
    E2eTopology::At(1.05,
                    [&]() { rows = ParseSessionList(fgt->Diagnose("get system session list")); });
    topo.RunUntil(4.0);

    EXPECT_EQ(sink.Bytes(), 400000u) << "both TCP flows complete";
    EXPECT_EQ(replies[0], 4u);
    EXPECT_EQ(replies[1], 4u);
    std::map<std::string, std::set<std::string>> snatByProto;
    for (const auto& r : rows)
    {
        EXPECT_EQ(AddrOf(r.snat), FGT_WAN) << r.source;
        snatByProto[r.proto].insert(r.snat);
    }
    EXPECT_EQ(snatByProto["tcp"].size(), 2u) << "two distinct translated TCP ports";
    EXPECT_EQ(snatByProto["icmp"].size(), 2u) << "two distinct translated echo ids";
}

TEST(DatapathE2eTest, TheUnitAnswersPingsToItsOwnAddressesWhenAllowaccessSaysPing)
{
    // Local-in: the arrival interface's allowaccess decides. With ping the unit answers; without
    // it (allowaccess https ssh) the echo requests are denied by the implicit local-in policy 0.
    for (const char* access : {"ping https", "https ssh"})
    {
        SCOPED_TRACE(access);
        E2eTopology topo;
        FortiGateConfig cfg = SnatConfig();
        auto r = FortiOsCli().Execute(cfg,
                                      std::string("config system interface\nedit port1\n"
                                                  "set allowaccess ") +
                                          access + "\nnext\nend\n");
        ASSERT_TRUE(r.ok) << r.error;
        Ptr<FortiGateNode> fgt = topo.Install(cfg);
        DenyLog denied(fgt);
        uint32_t replies = 0;
        V4PingHelper ping{Ipv4Address(FGT_LAN)};
        ping.SetAttribute("Interval", TimeValue(Seconds(0.5)));
        ApplicationContainer app = ping.Install(topo.clients.Get(0));
        app.Start(Seconds(1.0));
        app.Stop(Seconds(2.9));
        app.Get(0)->TraceConnectWithoutContext("Rtt", Callback<void, Time>([&replies](Time) {
                                                   ++replies;
                                               }));
        topo.RunUntil(4.0);
        const bool allowed = std::string(access).find("ping") != std::string::npos;
        EXPECT_EQ(replies, allowed ? 4u : 0u);
        EXPECT_EQ(denied.ids, std::vector<uint32_t>(allowed ? 0 : 4, 0u));
    }
}

TEST(DatapathE2eTest, IcmpServiceWithTypeAndCodeMatchesEchoRequests)
{
    // A custom service "icmptype 8, icmpcode 0" accepts echo requests (the query carries the
    // packet's ICMP code); one for code 1 matches nothing, so the implicit deny drops them.
    for (const char* code : {"0", "1"})
    {
        SCOPED_TRACE(code);
        E2eTopology topo;
        FortiGateConfig cfg = E2eTopology::BaseConfig();
        auto r = FortiOsCli().Execute(cfg,
                                      std::string("config firewall service custom\n"
                                                  "edit ECHO\nset protocol ICMP\n"
                                                  "set icmptype 8\nset icmpcode ") +
                                          code + "\nnext\nend\n");
        ASSERT_TRUE(r.ok) << r.error;
        cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ECHO"));
        Ptr<FortiGateNode> fgt = topo.Install(cfg);
        DenyLog denied(fgt);
        uint32_t replies = 0;
        V4PingHelper ping{Ipv4Address(SERVER)};
        ping.SetAttribute("Interval", TimeValue(Seconds(0.5)));
        ApplicationContainer app = ping.Install(topo.clients.Get(0));
        app.Start(Seconds(1.0));
        app.Stop(Seconds(2.9));
        app.Get(0)->TraceConnectWithoutContext("Rtt", Callback<void, Time>([&replies](Time) {
                                                   ++replies;
                                               }));
        topo.RunUntil(4.0);
        const bool match = std::string(code) == "0";
        EXPECT_EQ(replies, match ? 4u : 0u);
        EXPECT_EQ(denied.ids, std::vector<uint32_t>(match ? 0 : 4, 0u));
    }
}

TEST(DatapathE2eTest, LocalInServicesFollowAllowaccessAndVipAddressesAreNotTheUnits)
{
    // allowaccess ssh on port1: a TCP SYN to port 22 of the unit reaches its ns-3 stack (which
    // answers RST: nothing listens), one to port 80 is denied (policy 0). A UDP datagram to the
    // address of a VIP whose extintf is port2, sent from the LAN (no VIP match), is not the
    // unit's either: denied, not delivered to the unit's own stack.
    E2eTopology topo;
    FortiGateConfig cfg = SnatConfig();
    cfg.AddVip(StaticVip("web", "203.0.113.80", INSIDE, "port2"));
    auto r = FortiOsCli().Execute(cfg,
                                  "config system interface\nedit port1\n"
                                  "set allowaccess ssh\nnext\nend\n");
    ASSERT_TRUE(r.ok) << r.error;
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    DenyLog denied(fgt);
    // RSTs from the unit's own address reaching the LAN clients.
    uint32_t rsts = 0;
    auto countRst = [&rsts](Ptr<const Packet> pkt, Ptr<Ipv4>, uint32_t) {
        Ptr<Packet> c = pkt->Copy();
        Ipv4Header ip;
        c->RemoveHeader(ip);
        TcpHeader tcp;
        if (ip.GetProtocol() == 6 && ip.GetSource() == Ipv4Address(FGT_LAN) && c->GetSize() >= 20)
        {
            c->PeekHeader(tcp);
            rsts += (tcp.GetFlags() & TcpHeader::RST) != 0;
        }
    };
    for (uint32_t i = 0; i < 2; ++i)
    {
        topo.clients.Get(i)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Rx",
            Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(countRst));
    }
    TcpClientEndpoint ssh(topo.clients.Get(0));
    TcpClientEndpoint web(topo.clients.Get(1));
    ssh.ConnectAt(1.0, Ipv4Address(FGT_LAN), 22);
    web.ConnectAt(1.0, Ipv4Address(FGT_LAN), 80);
    UdpEndpoint toVip(topo.clients.Get(0), 4000);
    toVip.Connect(Ipv4Address("203.0.113.80"), 53);
    toVip.SendAt(1.0, 40);
    topo.RunUntil(1.5); // before the SYN's first retransmission
    EXPECT_FALSE(ssh.connected);
    EXPECT_FALSE(web.connected);
    EXPECT_EQ(rsts, 1u) << "the unit's stack answered the SYN to 22; the one to 80 was dropped";
    EXPECT_EQ(denied.ids, std::vector<uint32_t>(2, 0u))
        << "the SYN to 80 and the datagram to the VIP address";
    EXPECT_EQ(toVip.rx.size(), 0u) << "no ICMP or answer from the unit's own UDP";
}

TEST(DatapathE2eTest, StaticVipReachesTheInsideServerAndRepliesReturn)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddVip(StaticVip("web", "203.0.113.100", INSIDE, "port2"));
    cfg.AddPolicy(E2eTopology::Accept(1, "port2", "port3", false, "web"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);

    Sink sink(topo.inside, 80);
    Bulk(topo.server, Ipv4Address("203.0.113.100"), 80, 250000, 1.0);
    UdpEndpoint dns(topo.inside, 53, true);
    UdpEndpoint asker(topo.server, 5353);
    asker.Connect(Ipv4Address("203.0.113.100"), 53);
    asker.SendEvery(1.0, 0.5, 2.0, 60);
    topo.RunUntil(4.0);

    EXPECT_EQ(sink.Bytes(), 250000u);
    EXPECT_EQ(sink.sources, std::set<uint32_t>{Ip(SERVER)}) << "no SNAT on this policy";
    ASSERT_EQ(dns.rx.size(), 3u);
    EXPECT_EQ(dns.rx[0].from, Ipv4Address(SERVER));
    EXPECT_EQ(dns.rx[0].port, 5353);
    ASSERT_EQ(asker.rx.size(), 3u);
    for (const auto& r : asker.rx)
    {
        EXPECT_EQ(r.from, Ipv4Address("203.0.113.100")) << "replies leave as the VIP address";
        EXPECT_EQ(r.port, 53);
    }
    const Session* s =
        topo.FindSession(17, Ipv4Address(SERVER), 5353, Ipv4Address("203.0.113.100"), 53);
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->IsDnat());
    EXPECT_FALSE(s->IsSnat());
    EXPECT_EQ(s->reply.tuple.src, Ip(INSIDE));
    std::string list = fgt->Diagnose("diagnose sys session list");
    EXPECT_NE(
        list.find("hook=pre dir=org act=dnat 198.51.100.7:5353->203.0.113.100:53(10.0.2.2:53)"),
        std::string::npos)
        << list;
}

TEST(DatapathE2eTest, PortForwardVipTranslatesAddressAndPort)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddVip(PortForwardVip("web-pf", "203.0.113.101", 8080, INSIDE, 80, 6));
    cfg.AddVip(PortForwardVip("dns-pf", "203.0.113.103", 5353, INSIDE, 53, 17));
    FirewallPolicy in = E2eTopology::Accept(1, "port2", "port3", false, "web-pf");
    in.dstaddr.push_back("dns-pf");
    cfg.AddPolicy(in);
    Ptr<FortiGateNode> fgt = topo.Install(cfg);

    Sink sink(topo.inside, 80);
    Bulk(topo.server, Ipv4Address("203.0.113.101"), 8080, 120000, 1.0);
    UdpEndpoint dns(topo.inside, 53, true);
    UdpEndpoint asker(topo.server, 6000);
    asker.Connect(Ipv4Address("203.0.113.103"), 5353);
    asker.SendEvery(1.0, 0.5, 2.0, 60);
    std::vector<SessionListRow> rows;
    E2eTopology::At(1.05,
                    [&]() { rows = ParseSessionList(fgt->Diagnose("get system session list")); });
    topo.RunUntil(4.0);

    EXPECT_EQ(sink.Bytes(), 120000u);
    EXPECT_EQ(sink.sources, std::set<uint32_t>{Ip(SERVER)});
    ASSERT_EQ(dns.rx.size(), 3u);
    ASSERT_EQ(asker.rx.size(), 3u);
    for (const auto& r : asker.rx)
    {
        EXPECT_EQ(r.from, Ipv4Address("203.0.113.103"));
        EXPECT_EQ(r.port, 5353) << "the reply's source port is the external port again";
    }
    bool sawTcp = false;
    for (const auto& r : rows)
    {
        if (r.proto == "tcp")
        {
            sawTcp = true;
            EXPECT_EQ(r.dest, "203.0.113.101:8080");
            EXPECT_EQ(r.dnat, "10.0.2.2:80");
            EXPECT_EQ(r.snat, "-");
        }
    }
    EXPECT_TRUE(sawTcp);
}

TEST(DatapathE2eTest, OverloadPoolIsTheAddressTheWanSees)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    IpPoolConfig pool;
    pool.name = "ovl";
    pool.type = IpPoolConfig::OVERLOAD;
    pool.startip = Ip("203.0.113.50");
    pool.endip = Ip("203.0.113.50");
    cfg.AddIpPool(pool);
    FirewallPolicy out = E2eTopology::Accept(1, "port1", "port2", true);
    out.ippool = true;
    out.poolname = {"ovl"};
    cfg.AddPolicy(out);
    Ptr<FortiGateNode> fgt = topo.Install(cfg);

    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint c0(topo.clients.Get(0), 4000);
    UdpEndpoint c1(topo.clients.Get(1), 4000); // same source port: the pool must translate one
    c0.Connect(Ipv4Address(SERVER), 7);
    c1.Connect(Ipv4Address(SERVER), 7);
    c0.SendEvery(1.0, 0.5, 2.0, 50);
    c1.SendEvery(1.1, 0.5, 2.1, 50);
    Sink sink(topo.server, 80);
    Bulk(topo.clients.Get(0), Ipv4Address(SERVER), 80, 50000, 1.2);
    topo.RunUntil(4.0);

    ASSERT_EQ(srv.rx.size(), 6u);
    std::set<uint16_t> ports;
    for (const auto& r : srv.rx)
    {
        EXPECT_EQ(r.from, Ipv4Address("203.0.113.50"));
        ports.insert(r.port);
    }
    EXPECT_EQ(ports.size(), 2u) << "two clients behind one pool address need two ports";
    EXPECT_EQ(c0.rx.size(), 3u);
    EXPECT_EQ(c1.rx.size(), 3u);
    EXPECT_EQ(sink.Bytes(), 50000u);
    EXPECT_EQ(sink.sources, std::set<uint32_t>{Ip("203.0.113.50")});
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_NAT_EXHAUSTED), 0u);
}

TEST(DatapathE2eTest, OneToOnePoolExhaustionDropsTheThirdClient)
{
    TopologyOptions o;
    o.clients = 3;
    E2eTopology topo(o);
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    IpPoolConfig pool;
    pool.name = "o2o";
    pool.type = IpPoolConfig::ONE_TO_ONE;
    pool.startip = Ip("203.0.113.60");
    pool.endip = Ip("203.0.113.61");
    cfg.AddIpPool(pool);
    FirewallPolicy out = E2eTopology::Accept(1, "port1", "port2", true);
    out.ippool = true;
    out.poolname = {"o2o"};
    cfg.AddPolicy(out);
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    std::vector<std::string> dropReasons;
    fgt->TraceConnectWithoutContext(
        "Drop",
        Callback<void, Ptr<const Packet>, const Ipv4Header&, const std::string&>(
            [&](Ptr<const Packet>, const Ipv4Header&, const std::string& why) {
                dropReasons.push_back(why);
            }));

    UdpEndpoint srv(topo.server, 7, true);
    std::vector<std::unique_ptr<UdpEndpoint>> cl;
    for (uint32_t i = 0; i < 3; ++i)
    {
        cl.push_back(std::make_unique<UdpEndpoint>(topo.clients.Get(i), 4000));
        cl[i]->Connect(Ipv4Address(SERVER), 7);
        cl[i]->SendEvery(1.0 + 0.1 * i, 0.5, 2.0 + 0.1 * i, 50); // 3 each
    }
    topo.RunUntil(4.0);

    std::set<uint32_t> sources;
    for (const auto& r : srv.rx)
    {
        sources.insert(r.from.Get());
    }
    EXPECT_EQ(sources, (std::set<uint32_t>{Ip("203.0.113.60"), Ip("203.0.113.61")}));
    EXPECT_EQ(srv.rx.size(), 6u);
    EXPECT_EQ(cl[0]->rx.size(), 3u);
    EXPECT_EQ(cl[1]->rx.size(), 3u);
    EXPECT_EQ(cl[2]->rx.size(), 0u) << "no address left for the third client";
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_NAT_EXHAUSTED), 3u);
    EXPECT_EQ(dropReasons, std::vector<std::string>(3, "nat-exhausted"));
    EXPECT_NE(fgt->Diagnose("diagnose sys session stat").find("nat-exhausted=00000003"),
              std::string::npos);
    EXPECT_EQ(fgt->GetSessionTable().Size(), 2u);
}

TEST(DatapathE2eTest, HairpinToTheVipIsSourceNatted)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddVip(StaticVip("hp", "203.0.113.102", "10.0.1.11", "any"));
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port1", false, "hp"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);

    UdpEndpoint lanServer(topo.clients.Get(1), 5000, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address("203.0.113.102"), 5000);
    cli.SendEvery(1.0, 0.5, 2.0, 80);
    topo.RunUntil(3.0);

    ASSERT_EQ(lanServer.rx.size(), 3u);
    for (const auto& r : lanServer.rx)
    {
        EXPECT_EQ(r.from, Ipv4Address(FGT_LAN))
            << "snat-hairpin-traffic: the server must answer through the FortiGate";
    }
    ASSERT_EQ(cli.rx.size(), 3u);
    for (const auto& r : cli.rx)
    {
        EXPECT_EQ(r.from, Ipv4Address("203.0.113.102"));
        EXPECT_EQ(r.port, 5000);
    }
    const Session* s =
        topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address("203.0.113.102"), 5000);
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->IsDnat());
    EXPECT_TRUE(s->IsSnat());
}

TEST(DatapathE2eTest, HairpinWithoutSnatLetsRepliesBypassTheUnit)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    SystemSettings st = cfg.Settings();
    st.snatHairpinTraffic = false;
    cfg.SetSettings(st);
    cfg.AddVip(StaticVip("hp", "203.0.113.102", "10.0.1.11", "any"));
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port1", false, "hp"));
    topo.Install(cfg);

    UdpEndpoint lanServer(topo.clients.Get(1), 5000, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address("203.0.113.102"), 5000);
    cli.SendEvery(1.0, 0.5, 2.0, 80);
    topo.RunUntil(3.0);

    ASSERT_EQ(lanServer.rx.size(), 3u);
    EXPECT_EQ(lanServer.rx[0].from, ClientAddr(0)) << "no hairpin SNAT: the client's own address";
    // The reply goes straight back from 10.0.1.11, bypassing the FortiGate: never from the VIP
    // address the client talked to (a TCP client would reset such a reply).
    EXPECT_EQ(cli.rx.size(), 3u);
    for (const auto& r : cli.rx)
    {
        EXPECT_EQ(r.from, Ipv4Address("10.0.1.11"));
    }
    const Session* s =
        topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address("203.0.113.102"), 5000);
    ASSERT_NE(s, nullptr);
    EXPECT_FALSE(s->IsSnat());
    EXPECT_EQ(s->counters[1].packets, 0u) << "no reply crossed the FortiGate";
}

TEST(DatapathE2eTest, ProxyArpAnswersForALanSideVip)
{
    for (bool arpReply : {true, false})
    {
        SCOPED_TRACE(arpReply ? "arp-reply enable" : "arp-reply disable");
        E2eTopology topo;
        FortiGateConfig cfg = E2eTopology::BaseConfig();
        VipConfig v = StaticVip("lanvip", "10.0.1.200", INSIDE, "port1");
        v.arpReply = arpReply;
        cfg.AddVip(v);
        cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port3", false, "lanvip"));
        topo.Install(cfg);

        UdpEndpoint dns(topo.inside, 53, true);
        UdpEndpoint cli(topo.clients.Get(0), 4000);
        cli.Connect(Ipv4Address("10.0.1.200"), 53); // on-link: the client ARPs for it
        cli.SendEvery(1.0, 0.5, 2.0, 40);
        topo.RunUntil(4.0);

        if (arpReply)
        {
            ASSERT_EQ(dns.rx.size(), 3u);
            EXPECT_EQ(dns.rx[0].from, ClientAddr(0));
            ASSERT_EQ(cli.rx.size(), 3u);
            EXPECT_EQ(cli.rx[0].from, Ipv4Address("10.0.1.200"));
        }
        else
        {
            EXPECT_EQ(dns.rx.size(), 0u) << "nobody answers ARP for the VIP address";
            EXPECT_EQ(cli.rx.size(), 0u);
        }
    }
}

// ---- 2. denied traffic is dropped and counted -------------------------------------------------

TEST(DatapathE2eTest, DenyPolicyDropsAndCounts)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Deny(1, "port1", "port2", "DNS"));
    cfg.AddPolicy(E2eTopology::Accept(2, "port1", "port2", true));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    DenyLog denied(fgt);
    uint32_t created = 0;
    fgt->TraceConnectWithoutContext(
        "SessionCreated",
        Callback<void, const Session&>([&](const Session&) { ++created; }));

    UdpEndpoint dns(topo.server, 53, true);
    UdpEndpoint echo(topo.server, 5000, true);
    UdpEndpoint c53(topo.clients.Get(0), 4000);
    UdpEndpoint c5000(topo.clients.Get(0), 4001);
    c53.Connect(Ipv4Address(SERVER), 53);
    c5000.Connect(Ipv4Address(SERVER), 5000);
    c53.SendEvery(1.0, 0.25, 1.75, 40);   // 4, denied
    c5000.SendEvery(1.0, 0.25, 1.75, 40); // 4, allowed
    topo.RunUntil(3.0);

    EXPECT_EQ(dns.rx.size(), 0u);
    EXPECT_EQ(c53.rx.size(), 0u);
    EXPECT_EQ(echo.rx.size(), 4u);
    EXPECT_EQ(c5000.rx.size(), 4u);
    EXPECT_EQ(denied.ids, std::vector<uint32_t>(4, 1u));
    EXPECT_EQ(denied.sources, std::vector<Ipv4Address>(4, ClientAddr(0)));
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY), 4u);
    EXPECT_EQ(created, 1u) << "ses-denied-traffic disable: denied packets create no session";
    EXPECT_EQ(topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address(SERVER), 53), nullptr);
    EXPECT_NE(fgt->Diagnose("diagnose sys session stat").find("policy-deny=00000004"),
              std::string::npos);
}

TEST(DatapathE2eTest, SesDeniedTrafficEnableKeepsABlockedSession)
{
    // ses-denied-traffic enable: the first denied packet creates a blocked session; the next
    // ones are dropped by it (no policy lookup) until block-session-timer (30 s) runs out.
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    SystemSettings st = cfg.Settings();
    st.sesDeniedTraffic = true;
    cfg.SetSettings(st);
    cfg.AddPolicy(E2eTopology::Deny(1, "port1", "port2", "DNS"));
    cfg.AddPolicy(E2eTopology::Accept(2, "port1", "port2", true));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    DenyLog denied(fgt);
    UdpEndpoint dns(topo.server, 53, true);
    UdpEndpoint c53(topo.clients.Get(0), 4000);
    c53.Connect(Ipv4Address(SERVER), 53);
    c53.SendEvery(1.0, 0.25, 1.75, 40); // 4 packets
    topo.RunUntil(3.0);

    EXPECT_EQ(dns.rx.size(), 0u);
    EXPECT_EQ(denied.ids, std::vector<uint32_t>{1u});
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY), 1u);
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_BLOCKED_SESSION), 3u);
    const Session* s = topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address(SERVER), 53);
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->flags & SES_BLOCK);
    EXPECT_EQ(s->policyId, 1u);
    fgt->Diagnose("diagnose sys session filter dport 53");
    const std::string list = fgt->Diagnose("diagnose sys session list");
    EXPECT_NE(list.find("state=block"), std::string::npos) << list;
    EXPECT_NE(list.find("policy_id=1 "), std::string::npos) << list;
    // Created at 1.0 s, not refreshed by the blocked packets: gone after 30 s.
    topo.RunUntil(30.5);
    EXPECT_NE(topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address(SERVER), 53), nullptr);
    topo.RunUntil(32.5);
    EXPECT_EQ(topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address(SERVER), 53), nullptr);
}

TEST(DatapathE2eTest, ImplicitDenyIsPolicyZero)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    DenyLog denied(fgt);

    // DMZ -> LAN and LAN -> DMZ: no policy for either direction.
    UdpEndpoint lanRx(topo.clients.Get(0), 5000, true);
    UdpEndpoint dmzTx(topo.inside, 4000);
    dmzTx.Connect(ClientAddr(0), 5000);
    dmzTx.SendEvery(1.0, 0.5, 2.0, 30); // 3
    UdpEndpoint dmzRx(topo.inside, 53, true);
    UdpEndpoint lanTx(topo.clients.Get(1), 4000);
    lanTx.Connect(Ipv4Address(INSIDE), 53);
    lanTx.SendEvery(1.0, 0.5, 1.5, 30); // 2
    topo.RunUntil(3.0);

    EXPECT_EQ(lanRx.rx.size(), 0u);
    EXPECT_EQ(dmzRx.rx.size(), 0u);
    EXPECT_EQ(denied.ids, std::vector<uint32_t>(5, 0u));
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY), 5u);
    EXPECT_EQ(fgt->GetSessionTable().Size(), 0u);
}

// ---- 6. ICMP errors are translated ------------------------------------------------------------

TEST(DatapathE2eTest, PortUnreachableReachesTheClientWithItsOwnAddressesInside)
{
    ChecksumGuard checksums(true);
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    DeliveryLog serverLog(topo.server);
    DeliveryLog log0(topo.clients.Get(0));
    DeliveryLog log1(topo.clients.Get(1));
    UdpEndpoint c0(topo.clients.Get(0), 4000);
    UdpEndpoint c1(topo.clients.Get(1), 4000); // same port: its SNAT port is translated
    c0.Connect(Ipv4Address(SERVER), 9999);     // nothing listens there
    c1.Connect(Ipv4Address(SERVER), 9999);
    c0.SendAt(1.0, 20);
    c1.SendAt(1.1, 20);
    topo.RunUntil(2.0);

    // What the server saw: both from the WAN address, the second one on another port.
    auto udp = serverLog.OfProto(17);
    ASSERT_EQ(udp.size(), 2u);
    std::set<uint16_t> natPorts;
    for (const Delivered* d : udp)
    {
        EXPECT_EQ(d->ip.GetSource(), Ipv4Address(FGT_WAN));
        natPorts.insert(static_cast<uint16_t>((d->l4[0] << 8) | d->l4[1]));
    }
    EXPECT_EQ(natPorts.size(), 2u);

    DeliveryLog* logs[2] = {&log0, &log1};
    UdpEndpoint* eps[2] = {&c0, &c1};
    for (int i = 0; i < 2; ++i)
    {
        SCOPED_TRACE("client" + std::to_string(i));
        auto icmp = logs[i]->OfProto(1);
        ASSERT_EQ(icmp.size(), 1u);
        EXPECT_EQ(icmp[0]->ip.GetSource(), Ipv4Address(SERVER));
        EXPECT_EQ(icmp[0]->ip.GetDestination(), ClientAddr(i));
        IcmpErrorView v = ParseIcmpError(icmp[0]->l4);
        ASSERT_TRUE(v.ok);
        EXPECT_EQ(v.type, 3);
        EXPECT_EQ(v.code, 3);
        EXPECT_EQ(v.innerProto, 17);
        EXPECT_EQ(v.innerSrc, ClientAddr(i)) << "inner source rewritten back to the client";
        EXPECT_EQ(v.innerSport, 4000) << "inner source port rewritten back";
        EXPECT_EQ(v.innerDst, Ipv4Address(SERVER));
        EXPECT_EQ(v.innerDport, 9999);
        EXPECT_TRUE(v.icmpChecksumOk) << "ICMP checksum after the inner rewrite";
        EXPECT_TRUE(v.innerIpChecksumOk) << "embedded IP header checksum after the rewrite";
        // The client's stack matched the error to its socket (needs the inner tuple right).
        ASSERT_EQ(eps[i]->icmp.size(), 1u);
        EXPECT_EQ(eps[i]->icmp[0].type, 3);
        EXPECT_EQ(eps[i]->icmp[0].code, 3);
        EXPECT_EQ(eps[i]->icmp[0].source, Ipv4Address(SERVER));
    }
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_ICMP_ERROR), 0u);
}

TEST(DatapathE2eTest, TtlExceededFromTheWanRouterIsTranslated)
{
    ChecksumGuard checksums(true);
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    DeliveryLog log0(topo.clients.Get(0));
    UdpEndpoint srv(topo.server, 5000, true);
    UdpEndpoint cli(topo.clients.Get(0), 4100);
    cli.GetSocket()->SetIpTtl(2); // 1 after the FortiGate, 0 at the router
    cli.Connect(Ipv4Address(SERVER), 5000);
    cli.SendAt(1.0, 20);
    topo.RunUntil(2.0);

    EXPECT_EQ(srv.rx.size(), 0u);
    auto icmp = log0.OfProto(1);
    ASSERT_EQ(icmp.size(), 1u);
    EXPECT_EQ(icmp[0]->ip.GetSource(), Ipv4Address(ROUTER_WAN));
    EXPECT_EQ(icmp[0]->ip.GetDestination(), ClientAddr(0));
    IcmpErrorView v = ParseIcmpError(icmp[0]->l4);
    ASSERT_TRUE(v.ok);
    EXPECT_EQ(v.type, 11);
    EXPECT_EQ(v.innerSrc, ClientAddr(0));
    EXPECT_EQ(v.innerSport, 4100);
    EXPECT_EQ(v.innerDst, Ipv4Address(SERVER));
    EXPECT_EQ(v.innerDport, 5000);
    EXPECT_TRUE(v.icmpChecksumOk);
    EXPECT_TRUE(v.innerIpChecksumOk);
    ASSERT_EQ(cli.icmp.size(), 1u);
    EXPECT_EQ(cli.icmp[0].type, 11);
    EXPECT_EQ(cli.icmp[0].source, Ipv4Address(ROUTER_WAN));
}

TEST(DatapathE2eTest, PortUnreachableFromAVipServerShowsTheVipAddress)
{
    ChecksumGuard checksums(true);
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddVip(StaticVip("web", "203.0.113.100", INSIDE, "port2"));
    cfg.AddPolicy(E2eTopology::Accept(1, "port2", "port3", false, "web"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    DeliveryLog serverLog(topo.server);
    UdpEndpoint asker(topo.server, 5353);
    asker.Connect(Ipv4Address("203.0.113.100"), 9999); // closed on the inside server
    asker.SendAt(1.0, 20);
    topo.RunUntil(2.0);

    auto icmp = serverLog.OfProto(1);
    ASSERT_EQ(icmp.size(), 1u);
    EXPECT_EQ(icmp[0]->ip.GetSource(), Ipv4Address("203.0.113.100"))
        << "the mapped server reports as the VIP address";
    IcmpErrorView v = ParseIcmpError(icmp[0]->l4);
    ASSERT_TRUE(v.ok);
    EXPECT_EQ(v.type, 3);
    EXPECT_EQ(v.code, 3);
    EXPECT_EQ(v.innerSrc, Ipv4Address(SERVER));
    EXPECT_EQ(v.innerSport, 5353);
    EXPECT_EQ(v.innerDst, Ipv4Address("203.0.113.100")) << "inner destination back to the VIP";
    EXPECT_EQ(v.innerDport, 9999);
    EXPECT_TRUE(v.icmpChecksumOk);
    EXPECT_TRUE(v.innerIpChecksumOk);
    ASSERT_EQ(asker.icmp.size(), 1u);
    EXPECT_EQ(asker.icmp[0].source, Ipv4Address("203.0.113.100"));
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_ICMP_ERROR), 0u);
}

TEST(DatapathE2eTest, TtlExpiringAtTheUnitIsReportedToTheClient)
{
    // TTL 1 on arrival: the FortiGate itself must report time exceeded to the client (about the
    // packet as the client sent it), as a router does for traceroute's first hop.
    ChecksumGuard checksums(true);
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    DeliveryLog log0(topo.clients.Get(0));
    UdpEndpoint srv(topo.server, 5000, true);
    UdpEndpoint cli(topo.clients.Get(0), 4200);
    cli.GetSocket()->SetIpTtl(1);
    cli.Connect(Ipv4Address(SERVER), 5000);
    cli.SendAt(1.0, 20);
    topo.RunUntil(2.0);

    EXPECT_EQ(srv.rx.size(), 0u);
    auto icmp = log0.OfProto(1);
    ASSERT_EQ(icmp.size(), 1u) << "no time-exceeded reached the client";
    EXPECT_EQ(icmp[0]->ip.GetSource(), Ipv4Address(FGT_LAN));
    IcmpErrorView v = ParseIcmpError(icmp[0]->l4);
    ASSERT_TRUE(v.ok);
    EXPECT_EQ(v.type, 11);
    EXPECT_EQ(v.innerSrc, ClientAddr(0));
    EXPECT_EQ(v.innerSport, 4200);
    EXPECT_EQ(v.innerDst, Ipv4Address(SERVER));
    EXPECT_TRUE(v.icmpChecksumOk);
    ASSERT_EQ(cli.icmp.size(), 1u);
    EXPECT_EQ(cli.icmp[0].type, 11);
    EXPECT_EQ(fgt->GetSessionTable().Size(), 0u) << "a packet that expires here opens no session";
}

// ---- 7. checksums verify ------------------------------------------------------------------------

TEST(DatapathE2eTest, ChecksumsVerifyThroughSnatAndVip)
{
    ChecksumGuard checksums(true);
    E2eTopology topo;
    FortiGateConfig cfg = SnatConfig();
    cfg.AddVip(StaticVip("web", "203.0.113.100", INSIDE, "port2"));
    cfg.AddPolicy(E2eTopology::Accept(2, "port2", "port3", false, "web"));
    topo.Install(cfg);
    DeliveryLog serverLog(topo.server);
    DeliveryLog insideLog(topo.inside);
    DeliveryLog clientLog(topo.clients.Get(1));

    Sink out(topo.server, 80);
    Bulk(topo.clients.Get(0), Ipv4Address(SERVER), 80, 400000, 1.0);
    Sink in(topo.inside, 80);
    Bulk(topo.server, Ipv4Address("203.0.113.100"), 80, 200000, 1.0);
    UdpEndpoint echo(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(1), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendEvery(1.0, 0.1, 1.4, 333);
    UdpEndpoint dns(topo.inside, 53, true);
    UdpEndpoint asker(topo.server, 5353);
    asker.Connect(Ipv4Address("203.0.113.100"), 53);
    asker.SendEvery(1.0, 0.1, 1.4, 77);
    topo.RunUntil(4.0);

    EXPECT_EQ(out.Bytes(), 400000u) << "ns-3 drops TCP segments with bad checksums";
    EXPECT_EQ(in.Bytes(), 200000u);
    EXPECT_EQ(echo.rx.size(), 5u);
    EXPECT_EQ(cli.rx.size(), 5u);
    EXPECT_EQ(dns.rx.size(), 5u);
    EXPECT_EQ(asker.rx.size(), 5u);
    for (DeliveryLog* log : {&serverLog, &insideLog, &clientLog})
    {
        size_t ok = 0;
        size_t bad = 0;
        for (const auto& d : log->log)
        {
            if (d.ip.GetProtocol() == 6 || d.ip.GetProtocol() == 17)
            {
                (DeliveryLog::L4ChecksumOk(d) ? ok : bad) += 1;
            }
        }
        EXPECT_GT(ok, 4u);
        EXPECT_EQ(bad, 0u);
    }
}

TEST(DatapathE2eTest, FragmentedUdpThroughSnatArrivesIntact)
{
    ChecksumGuard checksums(true);
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    DeliveryLog serverLog(topo.server);
    DeliveryLog clientLog(topo.clients.Get(0));
    UdpEndpoint echo(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendAt(1.0, 4000); // three fragments at MTU 1500
    cli.SendAt(1.5, 4000);
    topo.RunUntil(3.0);

    ASSERT_EQ(echo.rx.size(), 2u) << "the server reassembled both datagrams";
    EXPECT_EQ(echo.rx[0].size, 4000u);
    EXPECT_EQ(echo.rx[0].from, Ipv4Address(FGT_WAN));
    ASSERT_EQ(cli.rx.size(), 2u) << "the fragmented echo came back through the reverse NAT";
    EXPECT_EQ(cli.rx[0].size, 4000u);
    for (DeliveryLog* log : {&serverLog, &clientLog})
    {
        auto udp = log->OfProto(17);
        ASSERT_EQ(udp.size(), 2u);
        for (const Delivered* d : udp)
        {
            EXPECT_TRUE(DeliveryLog::L4ChecksumOk(*d)) << "checksum over the reassembled datagram";
        }
    }
    const Session* s = topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address(SERVER), 7);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->counters[0].packets, 6u) << "every fragment followed the session";
    EXPECT_EQ(s->counters[1].packets, 6u);
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_FRAGMENT), 0u);
}

TEST(DatapathE2eTest, ChecksumCheckOfTheTestsRejectsACorruptedHeader)
{
    // The checksum verification the tests above rely on must be able to fail.
    ChecksumGuard checksums(true);
    Ptr<Packet> p = Create<Packet>(100);
    UdpHeader u;
    u.EnableChecksums();
    u.InitializeChecksum(Ipv4Address(FGT_WAN), Ipv4Address(SERVER), 17);
    u.SetSourcePort(4000);
    u.SetDestinationPort(7);
    p->AddHeader(u);
    Delivered d;
    d.ip.SetSource(Ipv4Address(FGT_WAN));
    d.ip.SetDestination(Ipv4Address(SERVER));
    d.ip.SetProtocol(17);
    d.packet = p;
    EXPECT_TRUE(DeliveryLog::L4ChecksumOk(d));
    d.ip.SetSource(ClientAddr(0)); // as if SNAT had forgotten the pseudo header
    EXPECT_FALSE(DeliveryLog::L4ChecksumOk(d));
}

// ---- CPU model (the tests with a non-zero processing cost) -------------------------------------

TEST(DatapathE2eTest, CpuBacklogDropsAFloodAndQueuesTheRest)
{
    TopologyOptions o;
    o.zeroCpu = false;
    E2eTopology topo(o);
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig(), [](FortiGateHelper& h) {
        h.SetCpuAttribute("Cores", UintegerValue(1));
        h.SetCpuAttribute("Backlog", UintegerValue(4));
        h.SetCpuAttribute("SessionSetupCost", TimeValue(MilliSeconds(2)));
        h.SetCpuAttribute("FastPathCost", TimeValue(MilliSeconds(5)));
    });
    UdpEndpoint srv(topo.server, 7);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendAt(0.5, 100); // resolves ARP and creates the session (setup cost)
    for (int i = 0; i < 20; ++i)
    {
        cli.SendAt(1.0, 100); // a burst: the CSMA LAN delivers it within about 2 ms
    }
    topo.RunUntil(2.0);

    EXPECT_EQ(cli.sent, 21u);
    ASSERT_EQ(srv.rx.size(), 5u) << "one core, backlog 4: the rest of the burst is dropped";
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_CPU_BACKLOG), 16u);
    // The first packet paid the session setup (2 ms) on top of two 5 ms links (and ARP); the
    // burst leaves one fast-path packet per 5 ms from the single core.
    EXPECT_GT(srv.rx[0].t, 0.5 + 0.002 + 0.010);
    EXPECT_GT(srv.rx[1].t, 1.0 + 0.005 + 0.010);
    for (size_t i = 2; i < srv.rx.size(); ++i)
    {
        EXPECT_NEAR(srv.rx[i].t - srv.rx[i - 1].t, 0.005, 0.0002) << i;
    }
}

TEST(DatapathE2eTest, CpuCoresWorkInParallel)
{
    // A burst of 20 packets at 5 ms each: one core needs 19 x 5 ms between the first and the
    // last delivery, two cores 9 x 5 ms, four cores 4 x 5 ms (each packet takes the core that
    // is free first).
    for (uint32_t cores : {1u, 2u, 4u})
    {
        SCOPED_TRACE(cores);
        TopologyOptions o;
        o.zeroCpu = false;
        E2eTopology topo(o);
        Ptr<FortiGateNode> fgt = topo.Install(SnatConfig(), [cores](FortiGateHelper& h) {
            h.SetCpuAttribute("Cores", UintegerValue(cores));
            h.SetCpuAttribute("Backlog", UintegerValue(64));
            h.SetCpuAttribute("SessionSetupCost", TimeValue(MilliSeconds(2)));
            h.SetCpuAttribute("FastPathCost", TimeValue(MilliSeconds(5)));
        });
        UdpEndpoint srv(topo.server, 7);
        UdpEndpoint cli(topo.clients.Get(0), 4000);
        cli.Connect(Ipv4Address(SERVER), 7);
        cli.SendAt(0.5, 100);
        for (int i = 0; i < 20; ++i)
        {
            cli.SendAt(1.0, 100);
        }
        topo.RunUntil(2.0);
        ASSERT_EQ(srv.rx.size(), 21u);
        EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_CPU_BACKLOG), 0u);
        const double span = srv.rx.back().t - srv.rx[1].t;
        const double expected = ((20 + cores - 1) / cores - 1) * 0.005;
        EXPECT_NEAR(span, expected, 0.002);
    }
}

// ---- bad packets never crash the unit ---------------------------------------------------------

TEST(DatapathE2eTest, RandomTransportBytesAndFragmentsNeverCrashTheUnit)
{
    // 4,000 packets with random transport bytes (TCP, UDP, ICMP, GRE, another protocol), random
    // lengths from 0 to 120 bytes, random fragment offsets and MF flags; a third aimed at the
    // helpers' ports (FTP, TFTP, RSH, RTSP, PPTP, SIP). TTL 2: the WAN router answers with ICMP
    // time-exceeded errors that carry the random headers back through the unit's ICMP error
    // translation. Afterwards ordinary traffic still passes.
    E2eTopology topo;
    FortiGateConfig cfg = SnatConfig();
    cfg.AddVip(StaticVip("web", "203.0.113.80", "10.0.2.2", "port2"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    Ptr<Socket> raw = Socket::CreateSocket(topo.clients.Get(0), Ipv4RawSocketFactory::GetTypeId());
    raw->SetAttribute("IpHeaderInclude", BooleanValue(true));
    std::mt19937 rng(20261121);
    const uint8_t protos[] = {6, 17, 1, 47, 132};
    const uint16_t helperPorts[] = {21, 69, 514, 554, 1723, 5060, 7070, 8554};
    for (int i = 0; i < 4000; ++i)
    {
        const uint8_t proto = protos[rng() % 5];
        std::vector<uint8_t> l4(rng() % 121);
        for (auto& b : l4)
        {
            b = static_cast<uint8_t>(rng());
        }
        if (l4.size() >= 4 && rng() % 3 == 0)
        {
            const uint16_t port = helperPorts[rng() % 8];
            l4[2] = static_cast<uint8_t>(port >> 8);
            l4[3] = static_cast<uint8_t>(port);
        }
        Ipv4Header h;
        h.SetSource(ClientAddr(0));
        h.SetDestination(rng() % 4 ? Ipv4Address(SERVER) : Ipv4Address("203.0.113.80"));
        h.SetProtocol(proto);
        h.SetTtl(2);
        h.SetIdentification(static_cast<uint16_t>(rng()));
        h.SetPayloadSize(static_cast<uint16_t>(l4.size()));
        if (rng() % 4 == 0)
        {
            h.SetFragmentOffset(8 * (rng() % 64));
            if (rng() % 2)
            {
                h.SetMoreFragments();
            }
        }
        Ptr<Packet> p = Create<Packet>(l4.data(), l4.size());
        p->AddHeader(h);
        E2eTopology::At(1.0 + i * 0.0005, [raw, p]() { raw->Send(p->Copy()); });
    }
    UdpEndpoint echo(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(1), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendEvery(4.0, 0.5, 5.0, 100);
    topo.RunUntil(6.0);

    EXPECT_EQ(cli.rx.size(), 3u) << "ordinary traffic still passes";
    uint64_t drops = 0;
    for (int r = 0; r < FortiGateNode::DROP_REASON_COUNT; ++r)
    {
        drops += fgt->GetDropCount(static_cast<FortiGateNode::DropReason>(r));
    }
    EXPECT_GT(drops, 0u) << "TCP without SYN and other bad packets are dropped and counted";
    EXPECT_GT(fgt->GetSessionTable().Size(), 0u);
    const std::string list = fgt->Diagnose("diagnose sys session list");
    EXPECT_NE(list.find("total session"), std::string::npos);
}

// ---- 9. the session commands reflect the traffic ----------------------------------------------

TEST(DatapathE2eTest, SessionCommandsReflectTheTraffic)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    TcpServerEndpoint tcpSrv(topo.server, 80);
    TcpClientEndpoint tcpCli(topo.clients.Get(0));
    tcpCli.ConnectAt(1.0, Ipv4Address(SERVER), 80);
    tcpCli.SendAt(1.2, 5000);
    UdpEndpoint echo(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(1), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendEvery(1.0, 0.5, 2.0, 100); // 3 each way
    V4PingHelper ping{Ipv4Address(SERVER)};
    ApplicationContainer pingApp = ping.Install(topo.clients.Get(1));
    pingApp.Start(Seconds(1.0));
    pingApp.Stop(Seconds(1.5));

    std::string getList;
    std::string diagList;
    std::string stat;
    std::string status;
    std::string filtered;
    E2eTopology::At(3.0, [&]() {
        getList = fgt->Diagnose("get system session list");
        diagList = fgt->Diagnose("diagnose sys session list");
        stat = fgt->Diagnose("diagnose sys session stat");
        status = fgt->Diagnose("get system session status");
        fgt->Diagnose("diagnose sys session filter dport 7");
        filtered = fgt->Diagnose("diagnose sys session list");
        fgt->Diagnose("diagnose sys session filter clear");
    });
    topo.RunUntil(3.5);

    ASSERT_TRUE(tcpCli.connected);
    EXPECT_EQ(tcpSrv.bytes, 5000u);
    auto rows = ParseSessionList(getList);
    ASSERT_EQ(rows.size(), 3u) << getList;
    std::map<std::string, SessionListRow> byProto;
    for (const auto& r : rows)
    {
        byProto[r.proto] = r;
    }
    ASSERT_EQ(byProto.count("tcp"), 1u);
    ASSERT_EQ(byProto.count("udp"), 1u);
    ASSERT_EQ(byProto.count("icmp"), 1u);
    EXPECT_EQ(byProto["udp"].source, "10.0.1.11:4000");
    EXPECT_EQ(byProto["udp"].snat, "203.0.113.1:4000");
    EXPECT_EQ(byProto["udp"].dest, "198.51.100.7:7");
    EXPECT_EQ(byProto["udp"].dnat, "-");
    // Last UDP packet (the reply) passed at about 2.011 s: 180 - 0.99 s -> 179.
    EXPECT_EQ(byProto["udp"].expire, 179);
    EXPECT_EQ(AddrOf(byProto["tcp"].source), "10.0.1.10");
    EXPECT_EQ(AddrOf(byProto["tcp"].snat), FGT_WAN);
    EXPECT_EQ(byProto["tcp"].dest, "198.51.100.7:80");
    EXPECT_GE(byProto["tcp"].expire, 3597);
    EXPECT_LE(byProto["tcp"].expire, 3599);
    EXPECT_EQ(AddrOf(byProto["icmp"].source), "10.0.1.11");

    EXPECT_NE(diagList.find("total session 3\n"), std::string::npos) << diagList;
    EXPECT_EQ(CountOf(diagList, "session info: "), 3u);
    EXPECT_NE(diagList.find("statistic(bytes/packets/allow_err): org=384/3/0 reply=384/3/0"),
              std::string::npos)
        << "3 x (100 + 28) bytes each way for the UDP session\n"
        << diagList;
    EXPECT_NE(diagList.find(
                  "hook=post dir=org act=snat 10.0.1.11:4000->198.51.100.7:7(203.0.113.1:4000)"),
              std::string::npos)
        << diagList;
    EXPECT_NE(diagList.find(
                  "hook=pre dir=reply act=dnat 198.51.100.7:7->203.0.113.1:4000(10.0.1.11:4000)"),
              std::string::npos)
        << diagList;
    EXPECT_NE(diagList.find("proto=6 proto_state=01"), std::string::npos) << diagList;
    EXPECT_NE(diagList.find("proto=17 proto_state=01"), std::string::npos) << diagList;

    EXPECT_NE(stat.find("session_count=3 "), std::string::npos) << stat;
    EXPECT_NE(stat.find("1 in ESTABLISHED state"), std::string::npos) << stat;
    EXPECT_NE(status.find("The total number of sessions for the current VDOM: 3\n"),
              std::string::npos)
        << status;
    EXPECT_NE(filtered.find("total session 1\n"), std::string::npos) << filtered;
    EXPECT_NE(filtered.find("198.51.100.7:7"), std::string::npos) << filtered;
}
