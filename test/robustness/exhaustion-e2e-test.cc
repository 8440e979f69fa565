/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Exhaustion, end to end (issue 16): the session table full, a pool's NAT ports exhausted, the
 * pinhole limits reached, the CPU backlog full. In each case new work is dropped and counted
 * (FortiOS's counters: `memory_tension_drop` in `diagnose sys session stat`, the pool's
 * `failures` in `diagnose firewall ippool-all list`, the pinhole limit hits), the sessions
 * that exist keep forwarding, and everything recovers when the load falls.
 */
#include "e2e-topology.h"
#include "robustness-util.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

FortiGateConfig
SnatConfig()
{
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    return cfg;
}

/// \return the value of `name=` in a diagnose text (decimal or FortiOS's zero-padded hex
///         counters are both read as written: the caller compares with the text's base)
std::string
Field(const std::string& text, const std::string& name)
{
    const auto at = text.find(name + "=");
    if (at == std::string::npos)
    {
        return "";
    }
    const auto start = at + name.size() + 1;
    return text.substr(start, text.find_first_of(" \n,\t", start) - start);
}

} // namespace

TEST(ExhaustionE2e, FullSessionTableDropsNewFlowsKeepsOldOnesAndRecovers)
{
    TopologyOptions o;
    o.maxSessions = 4;
    E2eTopology topo(o);
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    UdpEndpoint echo(topo.server, 7, true);
    // An established flow, before the table fills: it keeps its echoes all along.
    UdpEndpoint old(topo.clients.Get(1), 3000);
    old.Connect(Ipv4Address(SERVER), 7);
    old.SendEvery(0.5, 1.0, 300.0, 60);
    // 12 new flows at 2 s: 3 fit (4 - the old one), 9 are refused.
    std::vector<std::unique_ptr<UdpEndpoint>> burst;
    for (uint16_t i = 0; i < 12; ++i)
    {
        burst.push_back(std::make_unique<UdpEndpoint>(topo.clients.Get(0), 5000 + i));
        burst.back()->Connect(Ipv4Address(SERVER), 7);
        burst.back()->SendAt(2.0 + 0.01 * i, 40);
    }
    topo.RunUntil(5.0);
    EXPECT_EQ(fgt->GetSessionTable().Size(), 4u);
    size_t answered = 0;
    for (const auto& b : burst)
    {
        answered += b->rx.size();
    }
    EXPECT_EQ(answered, 3u);
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_SESSION_LIMIT), 9u);
    const std::string stat = fgt->Diagnose("diagnose sys session stat");
    EXPECT_NE(stat.find("memory_tension_drop=9"), std::string::npos) << stat;
    EXPECT_EQ(old.ReceivedAfter(0), 5u) << "the old flow keeps forwarding while the table is full";

    // The burst's sessions idle out (UDP: 180 s); the old flow's keeps being refreshed. New
    // flows then get in again.
    UdpEndpoint late(topo.clients.Get(0), 6000);
    late.Connect(Ipv4Address(SERVER), 7);
    late.SendAt(250.0, 40);
    topo.RunUntil(260.0);
    EXPECT_EQ(late.rx.size(), 1u) << "recovered once the load fell";
    EXPECT_EQ(old.ReceivedAfter(0), old.sent) << "every echo of the old flow came back";
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_SESSION_LIMIT), 9u);
}

TEST(ExhaustionE2e, ExhaustedPoolDropsNewClientsKeepsOldOnesAndRecovers)
{
    // A one-to-one pool of one address: client 0 holds it while its flow runs; client 1's
    // flows fail (the pool's failures counted), client 0 keeps forwarding; once client 0's
    // session idles out, client 1 gets the address.
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    IpPoolConfig pool;
    pool.name = "one";
    pool.type = IpPoolConfig::ONE_TO_ONE;
    pool.startip = Ip("203.0.113.70");
    pool.endip = Ip("203.0.113.70");
    cfg.AddIpPool(pool);
    FirewallPolicy out = E2eTopology::Accept(1, "port1", "port2", true);
    out.ippool = true;
    out.poolname = {"one"};
    cfg.AddPolicy(out);
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    UdpEndpoint echo(topo.server, 7, true);
    UdpEndpoint holder(topo.clients.Get(0), 7000);
    holder.Connect(Ipv4Address(SERVER), 7);
    holder.SendEvery(1.0, 1.0, 10.0, 50);
    UdpEndpoint refused(topo.clients.Get(1), 7001);
    refused.Connect(Ipv4Address(SERVER), 7);
    refused.SendAt(2.5, 50);
    refused.SendAt(3.5, 50);
    topo.RunUntil(12.0);
    EXPECT_EQ(holder.rx.size(), holder.sent) << "the old client keeps forwarding";
    EXPECT_EQ(refused.rx.size(), 0u);
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_NAT_EXHAUSTED), 2u);
    const std::string pools = fgt->Diagnose("diagnose firewall ippool-all list");
    EXPECT_EQ(Field(pools, "failures"), "2") << pools;

    // Client 0 stops at 10 s; its session idles out (UDP 180 s); then client 1 gets in.
    refused.SendAt(200.0, 50);
    topo.RunUntil(201.0);
    EXPECT_EQ(refused.rx.size(), 1u) << "recovered";
    for (const auto& r : echo.rx)
    {
        EXPECT_EQ(r.from, Ipv4Address("203.0.113.70"));
    }
}

TEST(ExhaustionE2e, PinholeLimitRefusesTheExcessAndFreesUpWithItsParent)
{
    // FTP active mode: each PORT opens a pinhole for the server's data connection. With room
    // for one pinhole in all, the second client's PORT is refused (counted); once the first
    // control connection is closed (FIN both ways at 4 s) and its session removed (TIME_WAIT,
    // tcp-timewait-timer 1 s), its pinhole goes with it and the second client's next PORT gets
    // one. A pinhole lives as long as its parent session, not its TCP connection.
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    fgt->GetExpectations().SetLimits(8, 1);
    TcpServerEndpoint ftpd(topo.server, 21);
    TcpClientEndpoint a(topo.clients.Get(0));
    TcpClientEndpoint b(topo.clients.Get(1));
    a.ConnectAt(1.0, Ipv4Address(SERVER), 21);
    b.ConnectAt(1.0, Ipv4Address(SERVER), 21);
    auto sendPort = [](TcpClientEndpoint& c, uint32_t host, uint16_t port, double at) {
        const std::string cmd = "PORT 10,0,1," + std::to_string(host) + "," +
                                std::to_string(port >> 8) + "," + std::to_string(port & 255) +
                                "\r\n";
        E2eTopology::At(at, [&c, cmd]() {
            c.GetSocket()->Send(
                Create<Packet>(reinterpret_cast<const uint8_t*>(cmd.data()), cmd.size()));
        });
    };
    sendPort(a, 10, 20000, 2.0);
    sendPort(b, 11, 20001, 3.0);
    a.CloseAt(4.0);
    sendPort(b, 11, 20002, 7.0);
    std::vector<size_t> sizes;
    std::vector<size_t> sessions;
    std::vector<uint64_t> hits;
    for (double t : {2.5, 3.5, 4.5, 6.5, 7.5})
    {
        E2eTopology::At(t, [&]() {
            sizes.push_back(fgt->GetExpectations().Size());
            sessions.push_back(fgt->GetSessionTable().Size());
            hits.push_back(fgt->GetExpectations().GetTotalLimitHits());
        });
    }
    topo.RunUntil(8.0);
    EXPECT_EQ(sessions, (std::vector<size_t>{2, 2, 2, 1, 1}))
        << "a's session: TIME_WAIT, then gone";
    EXPECT_EQ(sizes, (std::vector<size_t>{1, 1, 1, 0, 1})) << "a's pinhole lives with its session";
    EXPECT_EQ(hits, (std::vector<uint64_t>{0, 1, 1, 1, 1})) << "the refused pinhole is counted";
    const std::string stat = fgt->Diagnose("diagnose sys session stat");
    EXPECT_NE(stat.find("exp_count=1 "), std::string::npos) << stat;
    EXPECT_NE(stat.find("\nexp-limit-refused=00000001\n"), std::string::npos) << stat;
    ASSERT_EQ(fgt->GetExpectations().List().size(), 1u);
    EXPECT_EQ(fgt->GetExpectations().List().front().natDport, 20002) << "b's second PORT";
    EXPECT_GT(ftpd.bytes, 0u) << "the control connections kept forwarding";
}

TEST(ExhaustionE2e, FullCpuBacklogDropsTheBurstThenForwardsAgain)
{
    TopologyOptions o;
    o.zeroCpu = false;
    E2eTopology topo(o);
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig(), [](FortiGateHelper& h) {
        h.SetCpuAttribute("Cores", UintegerValue(1));
        h.SetCpuAttribute("Backlog", UintegerValue(4));
        h.SetCpuAttribute("FastPathCost", TimeValue(MilliSeconds(5)));
    });
    UdpEndpoint echo(topo.server, 7, true);
    UdpEndpoint steady(topo.clients.Get(1), 3000);
    steady.Connect(Ipv4Address(SERVER), 7);
    steady.SendEvery(0.5, 0.5, 6.0, 50);
    UdpEndpoint flood(topo.clients.Get(0), 4000);
    flood.Connect(Ipv4Address(SERVER), 7);
    flood.SendAt(0.5, 60); // resolves ARP (ns-3 queues only 3 packets while it waits)
    for (int i = 0; i < 50; ++i)
    {
        flood.SendAt(2.0, 60);
    }
    flood.SendAt(4.0, 60);
    topo.RunUntil(7.0);
    // The burst arrives within microseconds; the CPU holds 4 items (the one a core works on
    // included), 5 ms each: at most 4 of the 50 get through, the rest are dropped and counted.
    size_t burstAtServer = 0;
    for (const auto& r : echo.rx)
    {
        burstAtServer += r.size == 60 && r.t > 1.9 && r.t < 3.0 ? 1 : 0;
    }
    EXPECT_GE(burstAtServer, 1u);
    EXPECT_LE(burstAtServer, 4u);
    const uint64_t drops = fgt->GetDropCount(FortiGateNode::DROP_CPU_BACKLOG);
    EXPECT_GE(drops, 50u - burstAtServer);
    EXPECT_EQ(drops, fgt->GetCpuModel()->GetDropped()) << "every refusal of the CPU is counted";
    char hex[32];
    std::snprintf(hex,
                  sizeof(hex),
                  "\ncpu-backlog=%08llx\n",
                  static_cast<unsigned long long>(drops));
    const std::string stat = fgt->Diagnose("diagnose sys session stat");
    EXPECT_NE(stat.find(hex), std::string::npos) << stat;
    EXPECT_LE(flood.ReceivedAfter(1.9) - flood.ReceivedAfter(3.0), burstAtServer)
        << "an echo only for what the backlog took";
    EXPECT_EQ(flood.ReceivedAfter(3.0), 1u) << "forwards again once the backlog drained";
    EXPECT_EQ(flood.ReceivedAfter(0) - flood.ReceivedAfter(1.0), 1u) << "the ARP-resolving one";
    EXPECT_GE(steady.rx.size() + 1, steady.sent) << "the steady flow loses at most the one "
                                                    "datagram that met the full backlog";
}
