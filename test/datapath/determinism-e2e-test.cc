/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * End-to-end determinism (issue 2): two runs of the same scenario with the same seed give
 * byte-identical pcaps on every FortiGate device and identical `diagnose sys session list` text;
 * another run number changes the random NAT port choice.
 */
#include "e2e-topology.h"

#include "ns3/internet-apps-module.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <string>
#include <sys/stat.h>
#include <vector>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

/// What one run leaves behind.
struct RunOutput
{
    std::vector<std::string> pcaps; //!< pcap file paths (complete once the run is destroyed)
    std::string listMid;            //!< `diagnose sys session list` at 1.6 s
    std::string getMid;             //!< `get system session list` at 1.6 s
    std::string listEnd;            //!< `diagnose sys session list` at the end
    uint64_t bytes{0};              //!< TCP bytes delivered
};

std::string
OutputDir()
{
    std::string dir = std::string(FORTIGATE_BINARY_DIR) + "/test-output";
    ::mkdir(dir.c_str(), 0755);
    return dir;
}

/// Overload pool with two clients on the same source port (one port is drawn at random), a
/// VIP, TCP, UDP and ICMP; pcaps on the three FortiGate devices.
RunOutput
RunScenario(uint32_t seed, uint64_t run, const std::string& tag)
{
    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(run);
    RunOutput out;
    E2eTopology topo;
    topo.AssignStreams(0);
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    IpPoolConfig pool;
    pool.name = "ovl";
    pool.startip = Ip("203.0.113.50");
    pool.endip = Ip("203.0.113.50");
    cfg.AddIpPool(pool);
    FirewallPolicy p = E2eTopology::Accept(1, "port1", "port2", true);
    p.ippool = true;
    p.poolname = {"ovl"};
    cfg.AddPolicy(p);
    VipConfig vip;
    vip.name = "web";
    vip.extipLo = Ip("203.0.113.100");
    vip.mappedipLo = Ip(INSIDE);
    vip.extintf = "port2";
    cfg.AddVip(vip);
    cfg.AddPolicy(E2eTopology::Accept(2, "port2", "port3", false, "web"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);

    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint c0(topo.clients.Get(0), 4000);
    UdpEndpoint c1(topo.clients.Get(1), 4000);
    c0.Connect(Ipv4Address(SERVER), 7);
    c1.Connect(Ipv4Address(SERVER), 7);
    c0.SendEvery(1.0, 0.1, 1.5, 90);
    c1.SendEvery(1.05, 0.1, 1.55, 90);
    PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), 80));
    Ptr<PacketSink> sink = DynamicCast<PacketSink>(sinkHelper.Install(topo.inside).Get(0));
    BulkSendHelper bulk("ns3::TcpSocketFactory",
                        InetSocketAddress(Ipv4Address("203.0.113.100"), 80));
    bulk.SetAttribute("MaxBytes", UintegerValue(100000));
    bulk.Install(topo.server).Start(Seconds(1.1));
    V4PingHelper ping{Ipv4Address(SERVER)};
    ping.SetAttribute("Interval", TimeValue(Seconds(0.25)));
    ApplicationContainer pingApp = ping.Install(topo.clients.Get(1));
    pingApp.Start(Seconds(1.0));
    pingApp.Stop(Seconds(2.0));

    std::string base = OutputDir() + "/determinism-" + tag;
    out.pcaps = {base + "-port1.pcap", base + "-port2.pcap", base + "-port3.pcap"};
    topo.csma.EnablePcap(out.pcaps[0], topo.lanDevs.Get(topo.options.clients), true, true);
    topo.p2p.EnablePcap(out.pcaps[1], topo.wanDevs.Get(0), true, true);
    topo.p2p.EnablePcap(out.pcaps[2], topo.dmzDevs.Get(0), true, true);

    E2eTopology::At(1.6, [&]() {
        out.listMid = fgt->Diagnose("diagnose sys session list");
        out.getMid = fgt->Diagnose("get system session list");
    });
    topo.RunUntil(3.0);
    out.listEnd = fgt->Diagnose("diagnose sys session list");
    out.bytes = sink->GetTotalRx();
    return out; // the topology's destruction closes the pcap files
}

/// Source and destination (host order) of every IPv4 packet in a pcap file (Ethernet or PPP).
std::vector<std::pair<uint32_t, uint32_t>>
PcapIpv4Addresses(const std::string& bytes)
{
    std::vector<std::pair<uint32_t, uint32_t>> out;
    auto u8 = [&bytes](size_t i) { return static_cast<uint8_t>(bytes[i]); };
    auto le32 = [&u8](size_t i) {
        return uint32_t(u8(i)) | (uint32_t(u8(i + 1)) << 8) | (uint32_t(u8(i + 2)) << 16) |
               (uint32_t(u8(i + 3)) << 24);
    };
    auto be32 = [&u8](size_t i) {
        return (uint32_t(u8(i)) << 24) | (uint32_t(u8(i + 1)) << 16) | (uint32_t(u8(i + 2)) << 8) |
               uint32_t(u8(i + 3));
    };
    if (bytes.size() < 24 || le32(0) != 0xa1b2c3d4)
    {
        return out;
    }
    uint32_t linkType = le32(20);
    for (size_t pos = 24; pos + 16 <= bytes.size();)
    {
        uint32_t len = le32(pos + 8);
        size_t frame = pos + 16;
        pos = frame + len;
        if (pos > bytes.size())
        {
            break;
        }
        size_t ip = 0;
        if (linkType == 1 && len >= 14 + 20 && u8(frame + 12) == 0x08 && u8(frame + 13) == 0x00)
        {
            ip = frame + 14;
        }
        else if (linkType == 9 && len >= 2 + 20 && u8(frame) == 0x00 && u8(frame + 1) == 0x21)
        {
            ip = frame + 2;
        }
        if (ip)
        {
            out.emplace_back(be32(ip + 12), be32(ip + 16));
        }
    }
    return out;
}

/// \return true when \p a is in 10.0.0.0/8
bool
IsPrivate10(uint32_t a)
{
    return (a >> 24) == 10;
}

/// Restores the global seed and run after a test.
class SeedGuard
{
  public:
    SeedGuard()
        : m_seed(RngSeedManager::GetSeed()),
          m_run(RngSeedManager::GetRun())
    {
    }

    ~SeedGuard()
    {
        RngSeedManager::SetSeed(m_seed);
        RngSeedManager::SetRun(m_run);
    }

    SeedGuard(const SeedGuard&) = delete;
    SeedGuard& operator=(const SeedGuard&) = delete;

  private:
    uint32_t m_seed;
    uint64_t m_run;
};

} // namespace

// ---- 8. determinism ------------------------------------------------------------------------

TEST(DeterminismE2eTest, SameSeedGivesByteIdenticalPcapsAndSessionLists)
{
    SeedGuard guard;
    RunOutput a = RunScenario(7, 3, "a");
    RunOutput b = RunScenario(7, 3, "b");

    EXPECT_EQ(a.bytes, 100000u);
    EXPECT_EQ(b.bytes, 100000u);
    ASSERT_EQ(a.pcaps.size(), b.pcaps.size());
    for (size_t i = 0; i < a.pcaps.size(); ++i)
    {
        std::string x = ReadFileBytes(a.pcaps[i]);
        std::string y = ReadFileBytes(b.pcaps[i]);
        EXPECT_GT(x.size(), 2000u) << a.pcaps[i] << " holds the traffic";
        EXPECT_TRUE(x == y) << a.pcaps[i] << " and " << b.pcaps[i] << " differ (" << x.size()
                            << " vs " << y.size() << " bytes)";
    }
    EXPECT_EQ(CountOf(a.listMid, "session info: "), 4u) << a.listMid;

    // The pcaps show the translated packets: on port2 (WAN) nothing of 10.0.0.0/8, the pool
    // address as the LAN clients' source; on port1 (LAN) the clients' own addresses.
    auto wan = PcapIpv4Addresses(ReadFileBytes(a.pcaps[1]));
    auto lan = PcapIpv4Addresses(ReadFileBytes(a.pcaps[0]));
    ASSERT_GT(wan.size(), 20u);
    size_t fromPool = 0;
    for (const auto& [src, dst] : wan)
    {
        EXPECT_FALSE(IsPrivate10(src) || IsPrivate10(dst))
            << Ipv4Address(src) << " -> " << Ipv4Address(dst);
        fromPool += src == Ip("203.0.113.50") ? 1 : 0;
    }
    EXPECT_GT(fromPool, 10u);
    size_t clientToServer = 0;
    for (const auto& [src, dst] : lan)
    {
        EXPECT_NE(dst, Ip("203.0.113.50")) << "replies leave port1 translated back";
        clientToServer += IsPrivate10(src) && dst == Ip(SERVER) ? 1 : 0;
    }
    EXPECT_GT(clientToServer, 10u);
    EXPECT_EQ(a.listMid, b.listMid);
    EXPECT_EQ(a.getMid, b.getMid);
    EXPECT_EQ(a.listEnd, b.listEnd);
}

TEST(DeterminismE2eTest, AnotherRunNumberDrawsAnotherNatPort)
{
    SeedGuard guard;
    RunOutput a = RunScenario(7, 3, "run3");
    RunOutput c = RunScenario(7, 4, "run4");
    // The second client's source port collides and is drawn from the FortiGate's random
    // stream: another run number, another port (1 chance in tens of thousands to coincide).
    EXPECT_NE(a.getMid, c.getMid) << a.getMid;
    EXPECT_EQ(a.bytes, c.bytes);
}
