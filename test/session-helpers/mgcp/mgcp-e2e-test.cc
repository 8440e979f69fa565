/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MGCP end to end (test/e2e-topology.h): gateways 10.0.1.10 (aaln/1) and 10.0.1.11 (aaln/2)
 * behind the FortiGate (policy 1, port1 -> port2, NAT to 203.0.113.1), the call agent and a
 * third gateway (aaln/3, port 2428) on the WAN server 198.51.100.7. Calls aaln/1 -> aaln/3 and
 * aaln/3 -> aaln/2, with and without the mgcp session helper; malformed and out-of-transaction
 * datagrams through the FortiGate.
 */
#include "e2e-topology.h"

#include "ns3/mgcp-helper.h"
#include "ns3/mgcp-session-helper.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

/// What one run of the two calls gave.
struct CallsOutcome
{
    std::vector<MgcpCallRecord> calls;        //!< the agent's records
    uint64_t rx[3]{0, 0, 0};                  //!< RTP packets received per gateway, all calls
    std::vector<RtpStreamStats> gw3;          //!< gw3's connections (call 1, call 2)
    std::map<std::string, std::string> names; //!< endpoint names at the agent
    uint64_t pinholesMatched{0};              //!< pinholes that created a session
    std::string diagnose;                     //!< diagnose sys mgcp-model counters at the end
    MgcpStats stats;                          //!< the helper's counters
    uint64_t unknownEndpoint{0};              //!< 500 answers over the gateways
};

CallsOutcome
RunCalls(bool helper)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true));
    if (!helper)
    {
        cfg.DeleteSessionHelper(19);
        cfg.DeleteSessionHelper(20);
    }
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    topo.AssignStreams(10);

    MgcpCallAgentHelper agentHelper;
    agentHelper.SetAttribute("TalkTime", TimeValue(Seconds(1)));
    agentHelper.SetAttribute("NotifiedEntity", StringValue("ca@[198.51.100.7]:2727"));
    ApplicationContainer a = agentHelper.Install(topo.server);
    MgcpCallAgentHelper::AssignStreams(a, 1);
    Ptr<MgcpCallAgent> agent = DynamicCast<MgcpCallAgent>(a.Get(0));
    agent->AddCall("aaln/1", "aaln/3");
    agent->AddCall("aaln/3", "aaln/2");

    MgcpGatewayHelper gwHelper{Ipv4Address(SERVER)};
    std::vector<Ptr<MgcpGateway>> gws;
    for (uint32_t i = 0; i < 3; ++i)
    {
        gwHelper.SetAttribute("EndpointName",
                              StringValue(i == 0   ? "aaln/1@[10.0.1.10]"
                                          : i == 1 ? "aaln/2@[10.0.1.11]"
                                                   : "aaln/3@[198.51.100.7]"));
        gwHelper.SetAttribute("LocalPort", UintegerValue(i == 2 ? 2428 : 2427));
        gwHelper.SetAttribute("RtpPort", UintegerValue(i == 2 ? 20000 : 16384));
        gwHelper.SetAttribute("OffHookTime", TimeValue(Seconds(i == 0 ? 1 : i == 2 ? 4 : 0)));
        ApplicationContainer g = gwHelper.Install(i < 2 ? topo.clients.Get(i) : topo.server);
        g.Start(Seconds(0.2 + 0.1 * i));
        MgcpGatewayHelper::AssignStreams(g, 10 + i);
        gws.push_back(DynamicCast<MgcpGateway>(g.Get(0)));
    }
    topo.RunUntil(9);

    CallsOutcome o;
    o.calls = agent->GetCalls();
    for (uint32_t i = 0; i < 3; ++i)
    {
        for (const RtpStreamStats& s : gws[i]->GetMediaStats())
        {
            o.rx[i] += s.packetsReceived;
        }
        o.unknownEndpoint += gws[i]->GetUnknownEndpoint();
    }
    o.gw3 = gws[2]->GetMediaStats();
    o.names = agent->GetEndpoints();
    o.pinholesMatched = fgt->GetExpectations().GetMatched();
    o.diagnose = fgt->Diagnose("diagnose sys mgcp-model counters");
    if (Ptr<MgcpSessionHelper> h = DynamicCast<MgcpSessionHelper>(fgt->GetSessionHelper("mgcp")))
    {
        o.stats = h->GetStats();
    }
    return o;
}

TEST(MgcpE2e, CallsThroughSnatWithTheHelperHaveTwoWayMedia)
{
    const CallsOutcome o = RunCalls(true);
    ASSERT_EQ(o.calls.size(), 2u);
    for (const MgcpCallRecord& c : o.calls)
    {
        SCOPED_TRACE(c.caller + " -> " + c.callee);
        EXPECT_TRUE(c.offHook);
        EXPECT_TRUE(c.callerCreated);
        EXPECT_TRUE(c.calleeCreated);
        EXPECT_TRUE(c.modified);
        EXPECT_TRUE(c.deleted);
        EXPECT_EQ(c.failure, "");
    }
    // The agent knows the gateways behind the NAT by their public address; the commands it
    // sends with it reach them translated back (no 500 "endpoint unknown").
    EXPECT_EQ(o.names.at("aaln/1"), "aaln/1@[203.0.113.1]");
    EXPECT_EQ(o.names.at("aaln/2"), "aaln/2@[203.0.113.1]");
    EXPECT_EQ(o.unknownEndpoint, 0u);
    // Media both ways in both calls: ~1 s of 50 packets/s each way.
    EXPECT_GT(o.rx[0], 30u);
    EXPECT_GT(o.rx[1], 30u);
    ASSERT_EQ(o.gw3.size(), 2u);
    EXPECT_GT(o.gw3[0].packetsReceived, 30u);
    EXPECT_GT(o.gw3[1].packetsReceived, 30u);
    // The WAN gateway's media came from the public address.
    EXPECT_EQ(o.gw3[0].sources.at(0).address, Ipv4Address(FGT_WAN));
    EXPECT_EQ(o.stats.connectionsCreated, 2u);
    EXPECT_EQ(o.stats.connectionsDeleted, 2u);
    EXPECT_EQ(o.stats.pinholesOpened, 4u);
    EXPECT_EQ(o.stats.blocked, 0u);
    EXPECT_GE(o.pinholesMatched, 2u);
    EXPECT_NE(o.diagnose.find("connections: active 0 created 2 modified 0 deleted 2"),
              std::string::npos)
        << o.diagnose;
}

TEST(MgcpE2e, WithoutTheHelperTheGatewaysBehindTheNatHearNothing)
{
    const CallsOutcome o = RunCalls(false);
    ASSERT_EQ(o.calls.size(), 2u);
    // Signalling still works (the agent answers on the NAT mapping) ...
    for (const MgcpCallRecord& c : o.calls)
    {
        EXPECT_TRUE(c.modified) << c.caller;
    }
    EXPECT_EQ(o.names.at("aaln/1"), "aaln/1@[10.0.1.10]");
    // ... but the private SDP sends gw3's media nowhere: one-way audio.
    EXPECT_EQ(o.rx[0], 0u);
    EXPECT_EQ(o.rx[1], 0u);
    ASSERT_EQ(o.gw3.size(), 2u);
    EXPECT_GT(o.gw3[0].packetsReceived, 30u);
    EXPECT_GT(o.gw3[1].packetsReceived, 30u);
    EXPECT_EQ(o.pinholesMatched, 0u);
}

TEST(MgcpE2e, MalformedAndUnmatchedDatagramsAreBlockedAtTheFortiGate)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    UdpEndpoint agent(topo.server, 2727);
    UdpEndpoint gw(topo.clients.Get(0), 2427);
    gw.Connect(Ipv4Address(SERVER), 2727);
    const std::string sdp = "v=0\r\no=- 1 1 IN IP4 10.0.1.10\r\ns=-\r\nc=IN IP4 10.0.1.10\r\n"
                            "t=0 0\r\nm=audio 16384 RTP/AVP 0\r\n";
    const std::vector<std::string> datagrams = {
        "RSIP 1 aaln/1@[10.0.1.10] MGCP 1.0\r\nRM: restart\r\n", // passes
        "NTFY 2 aaln/1@[10.0.1.10] MGCP 1.0\rO: L/hd\r",         // bare CR
        "NTFY 3 aaln/1@[10.0.1.10] MGCP 3.0\r\nO: L/hd\r\n",     // version
        "200 77 OK\r\nI: 1\r\n\r\n" + sdp,                       // no such command
        "200 4 OK\r\nI: 1\r\n\r\nv=0\r\nc=IN IP4 10.0.1.10\r\nm=audio 65536 RTP/AVP 0\r\n", // m=
        "NTFY 5 aaln/1@[10.0.1.10] MGCP 1.0\r\nO: L/hd\r\n", // passes
    };
    for (std::size_t i = 0; i < datagrams.size(); ++i)
    {
        const std::string d = datagrams[i];
        E2eTopology::At(1.0 + 0.1 * static_cast<double>(i), [&gw, d]() {
            gw.GetSocket()->Send(
                Create<Packet>(reinterpret_cast<const uint8_t*>(d.data()), d.size()));
        });
    }
    topo.RunUntil(3);
    ASSERT_EQ(agent.rx.size(), 2u);
    EXPECT_EQ(agent.rx[0].size, datagrams[0].size() + 2); // [10.0.1.10] -> [203.0.113.1]
    EXPECT_EQ(agent.rx[1].size, datagrams[5].size() + 2);
    EXPECT_EQ(fgt->GetExpectations().Size(), 0u);
    const std::string d = fgt->Diagnose("diagnose sys mgcp-model counters");
    EXPECT_NE(d.find("blocked: 4 malformed 3 no-transaction 1 wrong-role 0"), std::string::npos)
        << d;
    EXPECT_NE(d.find("malformed: line ends in a bare CR"), std::string::npos) << d;
    EXPECT_NE(d.find("malformed: unsupported MGCP version \"3.0\""), std::string::npos) << d;
    EXPECT_NE(d.find("no-transaction: response 200 to transaction 77"), std::string::npos) << d;
    // Unique prefixes of each keyword work, as in FortiOS's parser.
    EXPECT_EQ(fgt->Diagnose("diag sys mgcp-model count"), d);
}

} // namespace
