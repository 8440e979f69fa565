/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * End-to-end simulations of the session table's life cycle (issue 2): sessions expire at the
 * FortiOS times (UDP 180 s idle, TCP half-open 10 s, TIME_WAIT 1 s, established 3600 s), the
 * session limit drops new sessions while existing ones keep passing, and a policy change marks
 * sessions dirty and then blocks them (or clears dirty when they are still allowed).
 *
 * Long idle periods cost nothing: the FortiGate's 1 s tick is the only event in between.
 */
#include "e2e-topology.h"

#include "ns3/fortios-cli.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

constexpr double NS = 1e-9;

/// Records the FortiGate's SessionClosed trace.
class CloseLog
{
  public:
    struct Entry
    {
        double t;         //!< when it closed (s)
        FlowTuple org;    //!< original tuple
        std::string why;  //!< reason
        double lastSeen;  //!< its last packet (s)
        uint32_t timeout; //!< its timeout then
    };

    explicit CloseLog(Ptr<FortiGateNode> fgt)
    {
        fgt->TraceConnectWithoutContext("SessionClosed",
                                        Callback<void, const Session&, const std::string&>(
                                            [this](const Session& s, const std::string& why) {
                                                entries.push_back(
                                                    Entry{Simulator::Now().GetSeconds(),
                                                          s.org.tuple,
                                                          why,
                                                          s.lastSeenNs * NS,
                                                          s.timeout});
                                            }));
    }

    std::vector<Entry> entries; //!< closed sessions, in order
};

FortiGateConfig
SnatConfig()
{
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    return cfg;
}

/// The first line of a `diagnose sys session list` that starts with "session info:".
std::string
InfoLine(const std::string& list)
{
    size_t a = list.find("session info:");
    if (a == std::string::npos)
    {
        return "";
    }
    return list.substr(a, list.find('\n', a) - a);
}

/// Checks at \p lastSeen + \p ttl - 1 (present) and + \p ttl + 1 (gone), scheduled from now.
struct PresenceProbe
{
    bool presentBefore{false};
    bool goneAfter{false};
    size_t sizeBefore{0};
    size_t sizeAfter{0};

    void Schedule(E2eTopology& topo, const FlowTuple& t, double lastSeen, double ttl)
    {
        auto find = [&topo, t]() {
            SessionDir d;
            return topo.fgt->GetSessionTable().Find(t, &d) != nullptr;
        };
        E2eTopology::At(lastSeen + ttl - 1, [this, find, &topo]() {
            presentBefore = find();
            sizeBefore = topo.fgt->GetSessionTable().Size();
        });
        E2eTopology::At(lastSeen + ttl + 1, [this, find, &topo]() {
            goneAfter = !find();
            sizeAfter = topo.fgt->GetSessionTable().Size();
        });
    }
};

} // namespace

// ---- 3. sessions expire at FortiOS times -------------------------------------------------------

TEST(SessionE2eTest, UdpSessionExpiresAfter180sIdle)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    CloseLog closed(fgt);
    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendAt(1.0, 50);
    cli.SendAt(2.0, 50); // its echo (about 2.02 s) is the last packet of the session

    const FlowTuple t{ClientAddr(0).Get(), Ip(SERVER), 4000, 7, 17};
    PresenceProbe probe;
    double lastSeen = 0;
    std::string at102;
    E2eTopology::At(3.0, [&]() {
        SessionDir d;
        const Session* s = fgt->GetSessionTable().Find(t, &d);
        ASSERT_NE(s, nullptr);
        lastSeen = s->lastSeenNs * NS;
        probe.Schedule(topo, t, lastSeen, 180);
    });
    E2eTopology::At(102.0, [&]() { at102 = InfoLine(fgt->Diagnose("diagnose sys session list")); });
    topo.RunUntil(190.0);

    EXPECT_EQ(srv.rx.size(), 2u);
    EXPECT_EQ(cli.rx.size(), 2u);
    EXPECT_GT(lastSeen, 2.0);
    EXPECT_LT(lastSeen, 2.1);
    EXPECT_TRUE(probe.presentBefore) << "still there 179 s after the last packet";
    EXPECT_TRUE(probe.goneAfter) << "gone 181 s after the last packet";
    EXPECT_EQ(probe.sizeAfter, 0u);
    // At 102 s: created at ~1.0 s, last packet at ~2.02 s.
    EXPECT_NE(at102.find("proto=17 proto_state=01 duration=100 expire=80 timeout=180 "),
              std::string::npos)
        << at102;
    ASSERT_EQ(closed.entries.size(), 1u);
    EXPECT_EQ(closed.entries[0].why, "expired");
    EXPECT_EQ(closed.entries[0].org, t);
    EXPECT_GE(closed.entries[0].t - closed.entries[0].lastSeen, 180.0);
    EXPECT_LE(closed.entries[0].t - closed.entries[0].lastSeen, 181.0);
}

TEST(SessionE2eTest, TcpHalfOpenSessionExpiresAfter10s)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    CloseLog closed(fgt);
    TcpClientEndpoint cli(topo.clients.Get(0));
    cli.GetSocket()->SetAttribute("ConnCount", UintegerValue(1)); // one SYN, no retransmission
    cli.ConnectAt(1.0, Ipv4Address(SILENT), 80);                  // nobody answers

    PresenceProbe probe;
    const Session* s = nullptr;
    FlowTuple t;
    double lastSeen = 0;
    std::string at6;
    uint32_t synPackets = 0;
    E2eTopology::At(1.5, [&]() {
        ASSERT_EQ(fgt->GetSessionTable().Size(), 1u);
        fgt->GetSessionTable().ForEach([&](const Session& x) { s = &x; });
        t = s->org.tuple;
        lastSeen = s->lastSeenNs * NS;
        probe.Schedule(topo, t, lastSeen, 10);
    });
    E2eTopology::At(6.0, [&]() {
        at6 = InfoLine(fgt->Diagnose("diagnose sys session list"));
        SessionDir d;
        const Session* x = fgt->GetSessionTable().Find(t, &d);
        synPackets = x ? x->counters[0].packets : 0;
    });
    topo.RunUntil(20.0);

    EXPECT_FALSE(cli.connected);
    EXPECT_EQ(t.dst, Ip(SILENT));
    EXPECT_EQ(synPackets, 1u) << "a single SYN (ConnCount=1): nothing refreshed the session";
    EXPECT_NE(at6.find("proto=6 proto_state=02 "), std::string::npos) << "SYN_SENT: " << at6;
    EXPECT_NE(at6.find(" expire=5 timeout=10 "), std::string::npos) << at6;
    EXPECT_TRUE(probe.presentBefore) << "still there 9 s after the SYN";
    EXPECT_TRUE(probe.goneAfter) << "gone 11 s after the SYN";
    ASSERT_EQ(closed.entries.size(), 1u);
    EXPECT_EQ(closed.entries[0].why, "expired");
    EXPECT_EQ(closed.entries[0].timeout, 10u);
    EXPECT_GE(closed.entries[0].t - closed.entries[0].lastSeen, 10.0);
    EXPECT_LE(closed.entries[0].t - closed.entries[0].lastSeen, 11.0);
}

TEST(SessionE2eTest, TcpTimeWaitLasts1sAfterACleanClose)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    CloseLog closed(fgt);
    TcpServerEndpoint srv(topo.server, 80);
    TcpClientEndpoint cli(topo.clients.Get(0));
    cli.ConnectAt(1.0, Ipv4Address(SERVER), 80);
    cli.SendAt(1.1, 2000);
    cli.CloseAt(1.5);
    std::string at17;
    size_t sizeAt17 = 0;
    E2eTopology::At(1.7, [&]() {
        at17 = InfoLine(fgt->Diagnose("diagnose sys session list"));
        sizeAt17 = fgt->GetSessionTable().Size();
    });
    size_t sizeAt4 = 99;
    E2eTopology::At(4.0, [&]() { sizeAt4 = fgt->GetSessionTable().Size(); });
    topo.RunUntil(5.0);

    EXPECT_TRUE(cli.connected);
    EXPECT_EQ(srv.bytes, 2000u);
    EXPECT_EQ(srv.peerCloses, 1u);
    EXPECT_EQ(sizeAt17, 1u);
    EXPECT_NE(at17.find("proto=6 proto_state=05 "), std::string::npos) << "TIME_WAIT: " << at17;
    EXPECT_NE(at17.find(" timeout=1 "), std::string::npos) << at17;
    EXPECT_EQ(sizeAt4, 0u);
    ASSERT_EQ(closed.entries.size(), 1u);
    EXPECT_EQ(closed.entries[0].why, "tcp-close");
    EXPECT_GE(closed.entries[0].t - closed.entries[0].lastSeen, 1.0);
    EXPECT_LE(closed.entries[0].t - closed.entries[0].lastSeen, 2.0);
    EXPECT_LE(closed.entries[0].t, 3.0) << "closed at the first whole-second tick after 1 s";
}

TEST(SessionE2eTest, AServicesOwnTcpTimersOverrideTheUnits)
{
    // A custom service with tcp-timewait-timer 30: its sessions stay 30 s in TIME_WAIT (the
    // unit's timer is 1 s); a session of another service keeps the unit's timer.
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    auto r = FortiOsCli().Execute(cfg,
                                  "config firewall service custom\n"
                                  "edit WEB80\nset tcp-portrange 80\n"
                                  "set tcp-timewait-timer 30\nnext\nend\n");
    ASSERT_TRUE(r.ok) << r.error;
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "WEB80", "lan"));
    cfg.AddPolicy(E2eTopology::Accept(2, "port1", "port2", true, "all", "ALL", "lan"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    TcpServerEndpoint web(topo.server, 80);
    TcpServerEndpoint other(topo.server, 81);
    TcpClientEndpoint c80(topo.clients.Get(0));
    TcpClientEndpoint c81(topo.clients.Get(1));
    c80.ConnectAt(1.0, Ipv4Address(SERVER), 80);
    c81.ConnectAt(1.0, Ipv4Address(SERVER), 81);
    c80.SendAt(1.1, 1000);
    c81.SendAt(1.1, 1000);
    c80.CloseAt(1.5);
    c81.CloseAt(1.5);
    std::string at17;
    E2eTopology::At(1.7, [&]() {
        fgt->Diagnose("diagnose sys session filter dport 80");
        at17 = InfoLine(fgt->Diagnose("diagnose sys session list"));
        fgt->Diagnose("diagnose sys session filter clear");
    });
    auto sessionsTo = [&fgt](uint16_t dport) {
        size_t n = 0;
        fgt->GetSessionTable().ForEach(
            [&n, dport](const Session& x) { n += x.org.tuple.dport == dport; });
        return n;
    };
    topo.RunUntil(10.0);
    EXPECT_NE(at17.find("proto=6 proto_state=05 "), std::string::npos) << "TIME_WAIT: " << at17;
    EXPECT_NE(at17.find(" timeout=30 "), std::string::npos) << at17;
    EXPECT_EQ(web.bytes, 1000u);
    EXPECT_EQ(other.bytes, 1000u);
    EXPECT_EQ(sessionsTo(80), 1u) << "WEB80: 30 s in TIME_WAIT";
    EXPECT_EQ(sessionsTo(81), 0u) << "ALL: the unit's 1 s";
    topo.RunUntil(34.0);
    EXPECT_EQ(sessionsTo(80), 0u);
}

TEST(SessionE2eTest, RefreshDirectionOutgoingIgnoresTheServersPackets)
{
    // session-ttl port entry: UDP 7, 58 s. The client sends once at 1 s; the server sends every
    // 10 s from 15 s to 200 s. With refresh-direction outgoing only the client's packets (and
    // the first reply, which changes the state) set the timer: the session ends near 73 s and
    // the server's later packets reach nobody. With both, it lives on.
    for (const char* dir : {"outgoing", "both"})
    {
        SCOPED_TRACE(dir);
        E2eTopology topo;
        FortiGateConfig cfg = SnatConfig();
        auto r = FortiOsCli().Execute(cfg,
                                      std::string("config system session-ttl\n"
                                                  "config port\nedit 1\nset protocol 17\n"
                                                  "set start-port 7\nset end-port 7\n"
                                                  "set timeout 58\nset refresh-direction ") +
                                          dir + "\nnext\nend\nend\n");
        ASSERT_TRUE(r.ok) << r.error;
        Ptr<FortiGateNode> fgt = topo.Install(cfg);
        UdpEndpoint srv(topo.server, 7);
        UdpEndpoint cli(topo.clients.Get(0), 4000);
        cli.Connect(Ipv4Address(SERVER), 7);
        cli.SendAt(1.0, 50);
        srv.Connect(Ipv4Address(FGT_WAN), 4000); // the client's port is kept
        srv.SendEvery(15.0, 10.0, 200.0, 50);
        bool aliveAt150 = false;
        E2eTopology::At(150.0, [&]() {
            aliveAt150 =
                topo.FindSession(17, ClientAddr(0), 4000, Ipv4Address(SERVER), 7) != nullptr;
        });
        topo.RunUntil(205.0);
        ASSERT_EQ(srv.rx.size(), 1u);
        if (std::string(dir) == "outgoing")
        {
            EXPECT_FALSE(aliveAt150);
            EXPECT_EQ(cli.rx.size(), 6u) << "15, 25, ..., 65 s: before the 73 s expiry";
        }
        else
        {
            EXPECT_TRUE(aliveAt150);
            EXPECT_EQ(cli.rx.size(), 19u); // 15, 25, ..., 195 s
        }
    }
}

TEST(SessionE2eTest, IdleEstablishedTcpExpiresAfter3600s)
{
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    CloseLog closed(fgt);
    TcpServerEndpoint srv(topo.server, 80);
    TcpClientEndpoint cli(topo.clients.Get(0));
    cli.ConnectAt(1.0, Ipv4Address(SERVER), 80);
    cli.SendAt(1.1, 1000);

    PresenceProbe probe;
    double lastSeen = 0;
    std::string at2;
    E2eTopology::At(2.0, [&]() {
        ASSERT_EQ(fgt->GetSessionTable().Size(), 1u);
        const Session* s = nullptr;
        fgt->GetSessionTable().ForEach([&](const Session& x) { s = &x; });
        lastSeen = s->lastSeenNs * NS;
        probe.Schedule(topo, s->org.tuple, lastSeen, 3600);
        at2 = InfoLine(fgt->Diagnose("diagnose sys session list"));
        // After it expired: more data on the connection has no session (no SYN) and
        // is dropped.
        cli.SendAt(lastSeen + 3605, 500);
    });
    topo.RunUntil(3612.0);

    EXPECT_TRUE(cli.connected);
    EXPECT_NE(at2.find("proto=6 proto_state=01 "), std::string::npos) << at2;
    EXPECT_NE(at2.find(" expire=3599 timeout=3600 "), std::string::npos) << at2;
    EXPECT_TRUE(probe.presentBefore) << "still there 3599 s after the last packet";
    EXPECT_TRUE(probe.goneAfter) << "gone 3601 s after the last packet";
    ASSERT_GE(closed.entries.size(), 1u);
    EXPECT_EQ(closed.entries[0].why, "expired");
    EXPECT_EQ(closed.entries[0].timeout, 3600u);
    EXPECT_GE(closed.entries[0].t - closed.entries[0].lastSeen, 3600.0);
    EXPECT_LE(closed.entries[0].t - closed.entries[0].lastSeen, 3601.0);
    EXPECT_EQ(srv.bytes, 1000u) << "the late segment found no session";
    EXPECT_GE(fgt->GetDropCount(FortiGateNode::DROP_NO_SESSION), 1u);
}

// ---- 4. session limit --------------------------------------------------------------------------

TEST(SessionE2eTest, SessionLimitDropsNewFlowsWhileExistingOnesKeepPassing)
{
    TopologyOptions o;
    o.clients = 4;
    o.maxSessions = 3;
    E2eTopology topo(o);
    Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
    std::vector<std::string> reasons;
    fgt->TraceConnectWithoutContext(
        "Drop",
        Callback<void, Ptr<const Packet>, const Ipv4Header&, const std::string&>(
            [&](Ptr<const Packet>, const Ipv4Header& h, const std::string& why) {
                EXPECT_EQ(h.GetSource(), ClientAddr(3));
                reasons.push_back(why);
            }));
    UdpEndpoint srv(topo.server, 7, true);
    std::vector<std::unique_ptr<UdpEndpoint>> cl;
    for (uint32_t i = 0; i < 4; ++i)
    {
        cl.push_back(std::make_unique<UdpEndpoint>(topo.clients.Get(i), 4000));
        cl[i]->Connect(Ipv4Address(SERVER), 7);
        cl[i]->SendEvery(1.0 + 0.1 * i, 0.5, 4.0 + 0.1 * i, 64); // 7 each
    }
    std::string stat;
    E2eTopology::At(5.0, [&]() { stat = fgt->Diagnose("diagnose sys session stat"); });
    topo.RunUntil(5.0);

    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(cl[i]->rx.size(), 7u) << "client " << i;
        EXPECT_EQ(cl[i]->ReceivedAfter(1.35), 6u)
            << "client " << i << " kept passing after the drops";
    }
    EXPECT_EQ(cl[3]->rx.size(), 0u);
    EXPECT_EQ(srv.rx.size(), 21u);
    EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_SESSION_LIMIT), 7u);
    EXPECT_EQ(reasons, std::vector<std::string>(7, "session-limit"));
    EXPECT_EQ(fgt->GetSessionTable().Size(), 3u);
    EXPECT_NE(stat.find("session_count=3 "), std::string::npos) << stat;
    EXPECT_NE(stat.find("memory_tension_drop=7 "), std::string::npos) << stat;
    EXPECT_NE(stat.find("session-limit=00000007"), std::string::npos) << stat;
}

// ---- 5. a policy change dirties and then blocks a session --------------------------------------

TEST(SessionE2eTest, PolicyChangeDirtiesThenBlocksTheSession)
{
    struct Variant
    {
        const char* name;
        std::function<void(FortiGateConfig&)> edit;
        uint32_t blockedBy; //!< policy_id shown once blocked
    };

    std::vector<Variant> variants{
        {"action deny",
         [](FortiGateConfig& c) {
             FirewallPolicy p = *c.FindPolicy(1);
             p.action = FirewallPolicy::DENY;
             c.SetPolicy(p);
         },
         1},
        {"status disable",
         [](FortiGateConfig& c) {
             FirewallPolicy p = *c.FindPolicy(1);
             p.status = false;
             c.SetPolicy(p);
         },
         0},
        {"delete", [](FortiGateConfig& c) { c.DeletePolicy(1); }, 0},
    };
    for (const auto& v : variants)
    {
        SCOPED_TRACE(v.name);
        E2eTopology topo;
        Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
        UdpEndpoint srv(topo.server, 7, true);
        UdpEndpoint cli(topo.clients.Get(0), 4000);
        cli.Connect(Ipv4Address(SERVER), 7);
        cli.SendEvery(1.0, 1.0, 40.0, 80); // 1, 2, ..., 40
        std::vector<uint32_t> deniedBy;
        fgt->TraceConnectWithoutContext(
            "PolicyDenied",
            Callback<void, Ptr<const Packet>, const Ipv4Header&, uint32_t>(
                [&](Ptr<const Packet>, const Ipv4Header&, uint32_t id) {
                    deniedBy.push_back(id);
                }));
        CloseLog closed(fgt);

        std::vector<std::string> before;
        std::vector<std::string> after;
        std::string blockedList;
        size_t sizeAt10 = 0;
        size_t sizeAt34 = 0;
        size_t sizeAt36 = 0;
        E2eTopology::At(4.5, [&]() {
            fgt->Configure(v.edit);
            auto flags = StateFlags(fgt->Diagnose("diagnose sys session list"));
            ASSERT_EQ(flags.size(), 1u);
            before = flags[0];
        });
        E2eTopology::At(5.5, [&]() {
            blockedList = fgt->Diagnose("diagnose sys session list");
            auto flags = StateFlags(blockedList);
            ASSERT_EQ(flags.size(), 1u);
            after = flags[0];
        });
        E2eTopology::At(10.5, [&]() { sizeAt10 = fgt->GetSessionTable().Size(); });
        E2eTopology::At(34.5, [&]() { sizeAt34 = fgt->GetSessionTable().Size(); });
        E2eTopology::At(36.5, [&]() { sizeAt36 = fgt->GetSessionTable().Size(); });
        topo.RunUntil(41.0);

        EXPECT_TRUE(Has(before, "dirty")) << "right after the change";
        EXPECT_TRUE(Has(before, "may_dirty"));
        EXPECT_FALSE(Has(before, "block"));
        EXPECT_TRUE(Has(after, "block")) << "after the next packet";
        EXPECT_FALSE(Has(after, "dirty"));
        EXPECT_NE(blockedList.find("policy_id=" + std::to_string(v.blockedBy) + " "),
                  std::string::npos)
            << blockedList;
        EXPECT_NE(blockedList.find(" timeout=30 "), std::string::npos) << "block-session-timer\n"
                                                                       << blockedList;
        EXPECT_EQ(srv.rx.size(), 4u) << "nothing passes after the change";
        EXPECT_EQ(srv.ReceivedAfter(4.5), 0u);
        EXPECT_EQ(cli.rx.size(), 4u);
        EXPECT_EQ(sizeAt10, 1u) << "a blocked session stays until it expires";
        // block-session-timer (30 s) from the packet that blocked it (5 s).
        EXPECT_EQ(sizeAt34, 1u);
        EXPECT_EQ(sizeAt36, 0u);
        ASSERT_EQ(closed.entries.size(), 1u);
        EXPECT_EQ(closed.entries[0].why, "expired");
        // Packets at 5..35 s met the blocked session; later ones are new flows the (changed)
        // policies deny.
        uint64_t blocked = fgt->GetDropCount(FortiGateNode::DROP_BLOCKED_SESSION);
        EXPECT_GE(blocked, 30u);
        EXPECT_LE(blocked, 31u);
        EXPECT_EQ(blocked + deniedBy.size(), 36u);
        EXPECT_EQ(deniedBy, std::vector<uint32_t>(deniedBy.size(), v.blockedBy));
    }
}

TEST(SessionE2eTest, PolicyChangeThatStillAllowsClearsDirty)
{
    struct Variant
    {
        const char* name;
        std::function<void(FortiGateConfig&)> edit;
        uint32_t policyAfter; //!< policy_id shown after re-evaluation
    };

    std::vector<Variant> variants{
        {"unrelated address added",
         [](FortiGateConfig& c) {
             c.AddAddress(FirewallAddress::FromSubnet("unused", "192.0.2.0/24"));
         },
         1},
        {"new accept policy in front",
         [](FortiGateConfig& c) {
             FirewallPolicy p = E2eTopology::Accept(7, "port1", "port2", true);
             c.AddPolicy(p);
             c.MovePolicy(7, FortiGateConfig::BEFORE, 1);
         },
         7},
    };
    for (const auto& v : variants)
    {
        SCOPED_TRACE(v.name);
        E2eTopology topo;
        Ptr<FortiGateNode> fgt = topo.Install(SnatConfig());
        UdpEndpoint srv(topo.server, 7, true);
        UdpEndpoint cli(topo.clients.Get(0), 4000);
        cli.Connect(Ipv4Address(SERVER), 7);
        cli.SendEvery(1.0, 1.0, 10.0, 80);

        std::vector<std::string> before;
        std::vector<std::string> after;
        std::string list;
        E2eTopology::At(4.5, [&]() {
            fgt->Configure(v.edit);
            auto flags = StateFlags(fgt->Diagnose("diagnose sys session list"));
            ASSERT_EQ(flags.size(), 1u);
            before = flags[0];
        });
        E2eTopology::At(5.5, [&]() {
            list = fgt->Diagnose("diagnose sys session list");
            auto flags = StateFlags(list);
            ASSERT_EQ(flags.size(), 1u);
            after = flags[0];
        });
        topo.RunUntil(11.0);

        EXPECT_TRUE(Has(before, "dirty"));
        EXPECT_FALSE(Has(after, "dirty")) << "re-evaluated and still allowed";
        EXPECT_FALSE(Has(after, "block"));
        EXPECT_TRUE(Has(after, "may_dirty"));
        EXPECT_NE(list.find("policy_id=" + std::to_string(v.policyAfter) + " "), std::string::npos)
            << list;
        EXPECT_EQ(srv.rx.size(), 10u);
        EXPECT_EQ(cli.rx.size(), 10u);
        EXPECT_EQ(fgt->GetDropCount(FortiGateNode::DROP_BLOCKED_SESSION), 0u);
    }
}

TEST(SessionE2eTest, PolicyChangeReevaluatesVipSessionsOnTheMappedAddress)
{
    // A VIP session is re-evaluated like its first packet was matched: on the mapped address, so
    // an unrelated change keeps it, and removing the VIP policy blocks it.
    for (bool removeVipPolicy : {false, true})
    {
        SCOPED_TRACE(removeVipPolicy ? "VIP policy deleted" : "unrelated change");
        E2eTopology topo;
        FortiGateConfig cfg = E2eTopology::BaseConfig();
        VipConfig vip;
        vip.name = "dns-vip";
        vip.extipLo = Ip("203.0.113.100");
        vip.mappedipLo = Ip(INSIDE);
        vip.extintf = "port2";
        cfg.AddVip(vip);
        cfg.AddPolicy(E2eTopology::Accept(3, "port2", "port3", false, "dns-vip"));
        Ptr<FortiGateNode> fgt = topo.Install(cfg);
        UdpEndpoint dns(topo.inside, 53, true);
        UdpEndpoint asker(topo.server, 5353);
        asker.Connect(Ipv4Address("203.0.113.100"), 53);
        asker.SendEvery(1.0, 1.0, 8.0, 60);
        std::vector<std::string> after;
        E2eTopology::At(4.5, [&]() {
            fgt->Configure([removeVipPolicy](FortiGateConfig& c) {
                if (removeVipPolicy)
                {
                    c.DeletePolicy(3);
                }
                else
                {
                    c.AddAddress(FirewallAddress::FromSubnet("unused", "192.0.2.0/24"));
                }
            });
        });
        E2eTopology::At(5.5, [&]() {
            auto flags = StateFlags(fgt->Diagnose("diagnose sys session list"));
            ASSERT_EQ(flags.size(), 1u);
            after = flags[0];
        });
        topo.RunUntil(9.0);

        EXPECT_FALSE(Has(after, "dirty"));
        EXPECT_EQ(Has(after, "block"), removeVipPolicy);
        EXPECT_EQ(dns.rx.size(), removeVipPolicy ? 4u : 8u);
        EXPECT_EQ(asker.rx.size(), removeVipPolicy ? 4u : 8u);
    }
}
