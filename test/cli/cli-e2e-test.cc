/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * End-to-end: the FortiOS CLI on a running FortiGate (issue 3, "Ways in"): a configuration
 * loaded as CLI text at install, batches scheduled at simulated times taking effect exactly
 * then, rejected batches leaving the unit untouched, `set ip` moving the ns-3 address, and the
 * diagnose commands (with their per-unit filter) reached through Execute().
 *
 * Topology: e2e-topology.h (client 10.0.1.10 -- port1 [FortiGate] port2 -- router -- server).
 */
#include "e2e-topology.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

/// The outbound rule as FortiOS text: port1 -> port2, everything, NAT.
const char* const kSnatPolicy = "config firewall policy\n"
                                "    edit 1\n"
                                "        set name \"lan out\"\n"
                                "        set srcintf \"port1\"\n"
                                "        set dstintf \"port2\"\n"
                                "        set action accept\n"
                                "        set srcaddr \"all\"\n"
                                "        set dstaddr \"all\"\n"
                                "        set schedule \"always\"\n"
                                "        set service \"ALL\"\n"
                                "        set nat enable\n"
                                "    next\n"
                                "end\n";

/// Install with the base configuration (port1..3, no policy) plus \p cli run at install.
Ptr<FortiGateNode>
InstallWithCli(E2eTopology& topo, const std::string& cli)
{
    return topo.Install(E2eTopology::BaseConfig(),
                        [&cli](FortiGateHelper& h) { h.AddCliConfig(cli); });
}

} // namespace

TEST(CliE2eTest, ConfigurationLoadedAsCliAtInstallCarriesTraffic)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = InstallWithCli(topo, kSnatPolicy);
    ASSERT_NE(fgt->GetConfig().FindPolicy(1), nullptr);
    EXPECT_EQ(fgt->GetConfig().FindPolicy(1)->name, "lan out");
    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendEvery(1.0, 0.5, 2.0, 100);
    topo.RunUntil(3.0);
    ASSERT_EQ(srv.rx.size(), 3u);
    EXPECT_EQ(srv.rx[0].from, Ipv4Address(FGT_WAN));
    EXPECT_EQ(cli.rx.size(), 3u);
}

TEST(CliE2eTest, BadCliAtInstallThrowsWithTheLine)
{
    E2eTopology topo;
    try
    {
        InstallWithCli(topo, "config firewall policy\nedit 1\nset srcintf port9\nnext\nend\n");
        FAIL() << "no exception";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "FortiGateHelper: CLI configuration rejected: line 3: entry not found in "
                  "datasource\nvalue parse error before 'port9'\nsrcintf: 'port9' does not "
                  "exist\nCommand fail. Return code -3");
    }
}

TEST(CliE2eTest, ScheduledPolicyChangeTakesEffectAtItsTime)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = InstallWithCli(topo, kSnatPolicy);
    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendEvery(1.0, 0.25, 6.0, 100); // 21 datagrams, one every 250 ms
    // At t = 3.1 s the policy becomes a deny: the established session is dirty, re-evaluated on
    // its next packet and blocked.
    FortiOsCli::Result result;
    double appliedAt = -1;
    FortiGateHelper::ScheduleCli(fgt,
                                 Seconds(3.1),
                                 "config firewall policy\n    edit 1\n"
                                 "        set action deny\n    next\nend\n",
                                 [&](const FortiOsCli::Result& r) {
                                     result = r;
                                     appliedAt = Simulator::Now().GetSeconds();
                                 });
    uint8_t actionBefore = 255;
    E2eTopology::At(3.0, [&]() { actionBefore = fgt->GetConfig().FindPolicy(1)->action; });
    topo.RunUntil(7.0);

    EXPECT_TRUE(result.ok) << result.error;
    EXPECT_DOUBLE_EQ(appliedAt, 3.1);
    EXPECT_EQ(actionBefore, FirewallPolicy::ACCEPT);
    EXPECT_EQ(fgt->GetConfig().FindPolicy(1)->action, FirewallPolicy::DENY);
    // sent at 1.00 .. 3.00 (9 datagrams) pass; 3.25 .. 6.00 are blocked
    EXPECT_EQ(srv.rx.size(), 9u);
    for (const auto& r : srv.rx)
    {
        EXPECT_LT(r.t, 3.1);
    }
    EXPECT_EQ(srv.ReceivedAfter(3.1), 0u);
}

TEST(CliE2eTest, ScheduledSipHelperDeletionAndSessionClear)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = InstallWithCli(topo, kSnatPolicy);
    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendAt(1.0, 100);
    // delete the SIP helper at t = 30 s (fortios.md §5 / seed page 003, example 3)
    FortiGateHelper::ScheduleCli(fgt,
                                 Seconds(30),
                                 "config system session-helper\n    delete 13\nend\n");
    // and clear the session table at t = 20 s
    std::string clearOutput;
    FortiGateHelper::ScheduleCli(fgt,
                                 Seconds(20),
                                 "diagnose sys session clear\n",
                                 [&](const FortiOsCli::Result& r) {
                                     EXPECT_TRUE(r.ok) << r.error;
                                     clearOutput = r.output;
                                 });
    size_t sessionsAt19 = 0;
    size_t sessionsAt21 = 99;
    bool helperAt29 = false;
    bool helperAt31 = true;
    E2eTopology::At(19, [&]() { sessionsAt19 = fgt->GetSessionTable().Size(); });
    E2eTopology::At(21, [&]() { sessionsAt21 = fgt->GetSessionTable().Size(); });
    E2eTopology::At(29.9,
                    [&]() { helperAt29 = fgt->GetConfig().FindHelperEntry(17, 5060) != nullptr; });
    E2eTopology::At(30.1,
                    [&]() { helperAt31 = fgt->GetConfig().FindHelperEntry(17, 5060) != nullptr; });
    topo.RunUntil(31);
    EXPECT_EQ(sessionsAt19, 1u); // the UDP session (udp-idle-timer 180 s) is still there
    EXPECT_EQ(sessionsAt21, 0u);
    EXPECT_TRUE(helperAt29);
    EXPECT_FALSE(helperAt31);
}

TEST(CliE2eTest, RejectedBatchLeavesTheUnitUnchanged)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = InstallWithCli(topo, kSnatPolicy);
    const FortiGateConfig before = fgt->GetConfig();
    const FortiOsCli::Result r = fgt->Execute("config system global\n"
                                              "    set udp-idle-timer 60\n"
                                              "end\n"
                                              "config firewall policy\n"
                                              "    delete 7\n"
                                              "end\n");
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.errorLine, 5);
    EXPECT_EQ(r.error,
              "line 5: entry not found in datasource\nvalue parse error before '7'\n"
              "Command fail. Return code -3");
    EXPECT_TRUE(fgt->GetConfig() == before);
    EXPECT_EQ(fgt->GetConfig().Timers().udpIdle, 180u);
}

TEST(CliE2eTest, SetIpMovesTheNs3Address)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = InstallWithCli(topo, kSnatPolicy);
    const auto r = fgt->Execute("config system interface\n    edit \"port3\"\n"
                                "        set ip 10.0.2.254 255.255.255.0\n"
                                "        set alias \"dmz\"\n    next\nend\n"
                                "show system interface\n");
    ASSERT_TRUE(r.ok) << r.error;
    Ptr<Ipv4> ipv4 = topo.fgtNode->GetObject<Ipv4>();
    const int32_t ipIf = ipv4->GetInterfaceForDevice(topo.dmzDevs.Get(0));
    ASSERT_GE(ipIf, 0);
    EXPECT_EQ(ipv4->GetAddress(ipIf, 0).GetLocal(), Ipv4Address("10.0.2.254"));
    EXPECT_NE(r.output.find("    edit \"port3\"\n        set ip 10.0.2.254 255.255.255.0\n"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("    edit \"port2\"\n        set ip 203.0.113.1 255.255.255.0\n"),
              std::string::npos)
        << "the devices' addresses are in the configuration\n"
        << r.output;
}

TEST(CliE2eTest, DiagnoseThroughExecuteKeepsTheFilterPerUnit)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = InstallWithCli(topo, kSnatPolicy);
    UdpEndpoint srv7(topo.server, 7, true);
    UdpEndpoint srv9(topo.server, 9, true);
    UdpEndpoint a(topo.clients.Get(0), 4000);
    UdpEndpoint b(topo.clients.Get(0), 4001);
    a.Connect(Ipv4Address(SERVER), 7);
    b.Connect(Ipv4Address(SERVER), 9);
    a.SendAt(1.0, 100);
    b.SendAt(1.0, 100);
    std::string all;
    std::string filtered;
    std::string status;
    E2eTopology::At(2.0, [&]() {
        all = fgt->Execute("get system session list\n").output;
        EXPECT_TRUE(fgt->Execute("diagnose sys session filter dport 9\n").ok);
        // the filter set by the previous batch still applies in this one
        filtered = fgt->Execute("diagnose sys session list\n").output;
        status = fgt->Execute("get system session status\n").output;
    });
    topo.RunUntil(3.0);
    EXPECT_EQ(CountOf(all, "198.51.100.7:"), 2u) << all;
    EXPECT_EQ(CountOf(filtered, "session info:"), 1u) << filtered;
    EXPECT_NE(filtered.find("->198.51.100.7:9"), std::string::npos) << filtered;
    EXPECT_EQ(status, "The total number of sessions for the current VDOM: 2\n");
    // an unknown diagnose command fails the batch with the unit's own FortiOS text
    const auto bad = fgt->Execute("diagnose sys nonsense\n");
    EXPECT_FALSE(bad.ok);
    EXPECT_EQ(bad.error.substr(0, 8), "line 1: ");
    EXPECT_NE(bad.error.find("Command fail. Return code"), std::string::npos) << bad.error;
}
