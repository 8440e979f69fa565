/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Issue 15's datapath features, end to end: admission before session creation (a packet the CPU
 * backlog refuses creates no session and no NAT binding) and the route cache in the session (an
 * established packet takes its session's route; a routing or interface change makes the next
 * packet look its route up again).
 *
 * Topology and endpoints: e2e-topology.h.
 */
#include "e2e-topology.h"

#include <gtest/gtest.h>
#include <memory>
#include <vector>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

/// port1 -> port2 and port1 -> port3, both with SNAT to the egress interface.
FortiGateConfig
TwoWayConfig()
{
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    cfg.AddPolicy(E2eTopology::Accept(2, "port1", "port3", true, "all", "ALL", "lan"));
    return cfg;
}

/// Counts the UDP datagrams an IPv4 node receives from its devices (Ipv4L3Protocol "Rx"),
/// with the time of each: the inside host does not forward, so this is where a rerouted
/// packet ends.
struct RxCounter
{
    explicit RxCounter(Ptr<Node> node)
    {
        node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Rx",
            Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
                [this](Ptr<const Packet> p, Ptr<Ipv4>, uint32_t) {
                    Ipv4Header h;
                    p->PeekHeader(h);
                    if (h.GetProtocol() == 17)
                    {
                        times.push_back(Simulator::Now().GetSeconds());
                    }
                }));
    }

    /// \return datagrams received in (from, to]
    size_t Between(double from, double to) const
    {
        size_t n = 0;
        for (double t : times)
        {
            n += t > from && t <= to ? 1 : 0;
        }
        return n;
    }

    std::vector<double> times; //!< when each datagram arrived
};

/// A client flow to the server (one datagram every 100 ms from 0.5 s to 3.0 s, 26 in all).
struct Flow
{
    explicit Flow(E2eTopology& topo)
        : srv(topo.server, 7),
          cli(topo.clients.Get(0), 4000)
    {
        cli.Connect(Ipv4Address(SERVER), 7);
        cli.SendEvery(0.5, 0.1, 3.0, 100);
    }

    /// \return datagrams the server received in (from, to]
    size_t ServerBetween(double from, double to) const
    {
        size_t n = 0;
        for (const auto& r : srv.rx)
        {
            n += r.t > from && r.t <= to ? 1 : 0;
        }
        return n;
    }

    UdpEndpoint srv; //!< the server's socket
    UdpEndpoint cli; //!< the client's socket
};

} // namespace

// ---- admission before session creation ---------------------------------------------------------

TEST(AdmissionE2eTest, AFloodCreatesSessionsOnlyForAdmittedPackets)
{
    // One core, backlog 4, 2 ms per new session: of 40 new-session datagrams sent at once, 4 wait
    // in the CPU (one at a time on the core) and the rest are refused. Refused datagrams must not
    // have created a session or taken a NAT port.
    TopologyOptions o;
    o.zeroCpu = false;
    E2eTopology topo(o);
    Ptr<FortiGateNode> fgt = topo.Install(TwoWayConfig(), [](FortiGateHelper& h) {
        h.SetCpuAttribute("Cores", UintegerValue(1));
        h.SetCpuAttribute("Backlog", UintegerValue(4));
        h.SetCpuAttribute("SessionSetupCost", TimeValue(MilliSeconds(2)));
        h.SetCpuAttribute("FastPathCost", TimeValue(MicroSeconds(10)));
    });
    UdpEndpoint srv(topo.server, 7);
    UdpEndpoint warm(topo.clients.Get(0), 3999);
    warm.Connect(Ipv4Address(SERVER), 7);
    warm.SendAt(0.5, 100); // resolves ARP; its session is admitted
    std::vector<std::unique_ptr<UdpEndpoint>> flood;
    for (uint16_t i = 0; i < 40; ++i)
    {
        flood.push_back(std::make_unique<UdpEndpoint>(topo.clients.Get(0), 4000 + i));
        flood.back()->Connect(Ipv4Address(SERVER), 7);
        flood.back()->SendAt(1.0, 100);
    }
    topo.RunUntil(2.0);

    const uint64_t backlogDrops = fgt->GetDropCount(FortiGateNode::DROP_CPU_BACKLOG);
    const SessionTable::Stats& st = fgt->GetSessionTable().GetStats();
    ASSERT_EQ(srv.rx.size() + backlogDrops, 41u) << "every datagram delivered or refused";
    EXPECT_GT(backlogDrops, 30u) << "the burst overflows a backlog of 4";
    EXPECT_EQ(fgt->GetCpuModel()->GetDropped(), backlogDrops);
    // Sessions created == datagrams admitted (each delivered one needed its own session).
    EXPECT_EQ(st.created, srv.rx.size());
    EXPECT_EQ(fgt->GetSessionTable().Size(), srv.rx.size());
    // Each session took one NAT port; the refused datagrams took none: the server saw as many
    // distinct translated source ports as sessions.
    std::set<uint16_t> ports;
    for (const auto& r : srv.rx)
    {
        EXPECT_EQ(r.from, Ipv4Address(FGT_WAN));
        ports.insert(r.port);
    }
    EXPECT_EQ(ports.size(), srv.rx.size());
}

TEST(AdmissionE2eTest, EstablishedPacketsStillQueueBehindTheBacklog)
{
    // Admission is for packets that would start a session: an established session's burst is
    // queued and dropped at the backlog exactly as before (one core, backlog 4: 5 of 20 + 1).
    TopologyOptions o;
    o.zeroCpu = false;
    E2eTopology topo(o);
    Ptr<FortiGateNode> fgt = topo.Install(TwoWayConfig(), [](FortiGateHelper& h) {
        h.SetCpuAttribute("Cores", UintegerValue(1));
        h.SetCpuAttribute("Backlog", UintegerValue(4));
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
    EXPECT_EQ(srv.rx.size(), 5u);
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_CPU_BACKLOG), 16u);
    EXPECT_EQ(fgt->GetSessionTable().GetStats().created, 1u);
}

// ---- the route cache in the session -------------------------------------------------------------

TEST(RouteCacheE2eTest, AStaticRouteChangeReroutesTheNextPacketOfASession)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(TwoWayConfig());
    Flow flow(topo);
    RxCounter inside(topo.inside);
    // At 1.55 s the server's network moves behind port3 (the inside host, which does not
    // forward); at 2.55 s the route is deleted again.
    E2eTopology::At(1.55, [fgt]() {
        auto r = fgt->Execute("config router static\nedit 1\nset dst 198.51.100.0 "
                              "255.255.255.0\nset gateway 10.0.2.2\nset device port3\nnext\nend\n");
        ASSERT_TRUE(r.ok) << r.error;
    });
    const Session* during = nullptr;
    E2eTopology::At(2.5, [&topo, &during]() {
        during = topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address(SERVER), 7);
        ASSERT_NE(during, nullptr);
        EXPECT_EQ(during->policyId, 2u) << "leaving through port3, the policy is looked up again";
        EXPECT_EQ(during->inIf[1], 2u);
        EXPECT_EQ(during->gateway[0], Ip(INSIDE));
    });
    E2eTopology::At(2.55, [fgt]() {
        auto r = fgt->Execute("config router static\ndelete 1\nend\n");
        ASSERT_TRUE(r.ok) << r.error;
    });
    topo.RunUntil(3.5);

    EXPECT_EQ(flow.cli.sent, 26u);
    EXPECT_EQ(flow.ServerBetween(0, 1.55), 11u) << "0.5 .. 1.5 s through port2";
    EXPECT_EQ(inside.Between(1.55, 2.55), 10u) << "1.6 .. 2.5 s through port3";
    EXPECT_EQ(flow.ServerBetween(2.55, 3.5), 5u) << "2.6 .. 3.0 s through port2 again";
    EXPECT_EQ(fgt->GetSessionTable().GetStats().created, 1u) << "one session all along";
    const Session* s = topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address(SERVER), 7);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->policyId, 1u);
    EXPECT_EQ(s->gateway[0], Ip(ROUTER_WAN));
}

TEST(RouteCacheE2eTest, EstablishedPacketsKeepTheSessionsRouteUntilRoutesAreInvalidated)
{
    // A route added to ns-3's static routing behind the unit's back (ns-3 tells no one) does
    // not move an established session: its packets take the route kept in the session. After
    // FortiGateRouting::InvalidateRoutes() the next packet looks its route up and follows it.
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(TwoWayConfig());
    Flow flow(topo);
    RxCounter inside(topo.inside);
    Ptr<Ipv4> ipv4 = topo.fgtNode->GetObject<Ipv4>();
    Ptr<FortiGateRouting> routing = DynamicCast<FortiGateRouting>(ipv4->GetRoutingProtocol());
    ASSERT_NE(routing, nullptr);
    E2eTopology::At(1.55, [ipv4]() {
        Ipv4StaticRoutingHelper srh;
        srh.GetStaticRouting(ipv4)->AddNetworkRouteTo(
            Ipv4Address("198.51.100.0"),
            Ipv4Mask("255.255.255.0"),
            Ipv4Address(INSIDE),
            ipv4->GetInterfaceForDevice(ipv4->GetNetDevice(3)));
    });
    uint32_t genBefore = 0;
    E2eTopology::At(2.05, [routing, &genBefore]() {
        genBefore = routing->GetGeneration();
        routing->InvalidateRoutes();
    });
    topo.RunUntil(3.5);

    EXPECT_NE(routing->GetGeneration(), genBefore);
    EXPECT_EQ(flow.ServerBetween(0, 2.05), 16u) << "0.5 .. 2.0 s on the session's route";
    EXPECT_EQ(inside.Between(0, 2.05), 0u);
    EXPECT_EQ(inside.Between(2.05, 3.5), 10u) << "2.1 .. 3.0 s on the looked-up route";
    EXPECT_EQ(flow.ServerBetween(2.05, 3.5), 0u);
}

TEST(RouteCacheE2eTest, InterfaceDownOrAddressRemovalForgetsTheCachedRoute)
{
    // Taking port2 down (ns-3's Ipv4::SetDown) removes its routes: the session's cached route
    // through it is not used any more, the lookup finds none and the packets are dropped as
    // no-route instead of leaving through a dead interface.
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(TwoWayConfig());
    Flow flow(topo);
    Ptr<Ipv4> ipv4 = topo.fgtNode->GetObject<Ipv4>();
    const uint32_t port2 = ipv4->GetInterfaceForDevice(topo.wanDevs.Get(0));
    E2eTopology::At(1.55, [ipv4, port2]() { ipv4->SetDown(port2); });
    topo.RunUntil(3.5);
    EXPECT_EQ(flow.ServerBetween(0, 3.5), 11u);
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_NO_ROUTE), 15u);

    // Removing an address changes the routing generation too (the unit's routes are
    // forgotten), as does applying a configuration.
    Ptr<FortiGateRouting> routing = DynamicCast<FortiGateRouting>(ipv4->GetRoutingProtocol());
    const uint32_t port3 = ipv4->GetInterfaceForDevice(topo.dmzDevs.Get(0));
    uint32_t gen = routing->GetGeneration();
    ipv4->RemoveAddress(port3, 0);
    EXPECT_NE(routing->GetGeneration(), gen);
    gen = routing->GetGeneration();
    fgt->SetConfig(fgt->GetConfig());
    EXPECT_NE(routing->GetGeneration(), gen);
}

// ---- installing on a node with global routing
// ----------------------------------------------------

TEST(RoutingInstallE2eTest, GlobalRoutingIsAdoptedOnceAndStillRoutes)
{
    // InternetStackHelper gives every node static and global routing. FortiGateHelper puts
    // FortiGateRouting in their place: static routing is copied fresh, and the node's global
    // routing, already bound to the node's IPv4, is kept through an AdoptedRouting so that it is
    // not bound a second time (ns-3's Ipv4GlobalRouting::SetIpv4 asserts it is bound once: with
    // NS_ASSERT on, as in an ns-3 source tree, installing the unit aborted). The unit's only
    // way to the server is then a global route computed after the install.
    E2eTopology topo;
    Ptr<Ipv4> ipv4 = topo.fgtNode->GetObject<Ipv4>();
    Ipv4StaticRoutingHelper srh;
    Ptr<Ipv4StaticRouting> st = srh.GetStaticRouting(ipv4);
    for (uint32_t r = st->GetNRoutes(); r-- > 0;)
    {
        if (st->GetRoute(r).IsDefault())
        {
            st->RemoveRoute(r); // no static way out: global routing must carry the flow
        }
    }
    Ptr<FortiGateNode> fgt = topo.Install(TwoWayConfig());
    Ptr<FortiGateRouting> routing = DynamicCast<FortiGateRouting>(ipv4->GetRoutingProtocol());
    ASSERT_NE(routing, nullptr);
    Ptr<Ipv4GlobalRouting> global = topo.fgtNode->GetObject<GlobalRouter>()->GetRoutingProtocol();
    ASSERT_NE(global, nullptr);
    uint32_t adopted = 0;
    for (uint32_t i = 0; i < routing->GetNRoutingProtocols(); ++i)
    {
        int16_t prio;
        Ptr<Ipv4RoutingProtocol> p = routing->GetRoutingProtocol(i, prio);
        EXPECT_EQ(DynamicCast<Ipv4GlobalRouting>(p), nullptr)
            << "global routing must not be in the list bare (it would be bound twice)";
        Ptr<AdoptedRouting> a = DynamicCast<AdoptedRouting>(p);
        if (a)
        {
            EXPECT_EQ(a->GetInner(), Ptr<Ipv4RoutingProtocol>(global));
            EXPECT_EQ(prio, -10) << "InternetStackHelper's priority for global routing";
            ++adopted;
        }
    }
    EXPECT_EQ(adopted, 1u);
    // ns-3's global routing builds no link state for an interface that does not forward, and
    // its SPF then fails on the half-described links: let the (one-interface) hosts forward.
    for (uint32_t i = 0; i < NodeList::GetNNodes(); ++i)
    {
        NodeList::GetNode(i)->GetObject<Ipv4>()->SetAttribute("IpForward", BooleanValue(true));
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    Flow flow(topo);
    topo.RunUntil(3.5);
    EXPECT_EQ(flow.ServerBetween(0, 3.5), 26u) << "every datagram on the global route";
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_NO_ROUTE), 0u);
}
