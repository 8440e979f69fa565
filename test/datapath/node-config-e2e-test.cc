/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The running configuration acting on the ns-3 node: `config router static` installs real
 * routes, physical ports cannot be deleted, diagnose commands accept FortiOS abbreviations.
 */
#include "e2e-topology.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

/// Number of routes of the FortiGate's static routing towards \p net/\p prefix.
uint32_t
RoutesTo(Ptr<Node> node, const char* net, uint32_t mask)
{
    Ipv4StaticRoutingHelper h;
    Ptr<Ipv4StaticRouting> st = h.GetStaticRouting(node->GetObject<Ipv4>());
    uint32_t n = 0;
    for (uint32_t i = 0; st && i < st->GetNRoutes(); ++i)
    {
        Ipv4RoutingTableEntry e = st->GetRoute(i);
        n += e.GetDestNetwork() == Ipv4Address(net) && e.GetDestNetworkMask().Get() == mask;
    }
    return n;
}

} // namespace

TEST(NodeConfigE2e, RouterStaticInstallsAndRemovesRealRoutes)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "any", true));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    UdpEndpoint server(topo.server, 7000);
    UdpEndpoint client(topo.clients.Get(0), 7001);
    client.Connect(Ipv4Address(SERVER), 7000);
    client.SendEvery(1.0, 0.1, 5.95, 100); // 50 datagrams, 1.0 .. 5.9 s

    // t = 2 s: send the server's network to the DMZ host (which does not forward): the flow
    // follows the new route and stops arriving. t = 4 s: delete it, the flow comes back.
    bool installed = false;
    Simulator::Schedule(Seconds(2.0), [&]() {
        auto r = fgt->Execute("config router static\n edit 1\n  set dst 198.51.100.0 "
                              "255.255.255.0\n  set gateway 10.0.2.2\n  set device port3\n "
                              "next\nend\n");
        EXPECT_TRUE(r.ok) << r.error;
        installed = RoutesTo(topo.fgtNode, "198.51.100.0", 0xffffff00) == 1;
    });
    Simulator::Schedule(Seconds(4.0), [&]() {
        auto r = fgt->Execute("config router static\n delete 1\nend\n");
        EXPECT_TRUE(r.ok) << r.error;
    });
    Simulator::Stop(Seconds(7));
    Simulator::Run();
    EXPECT_TRUE(installed);
    EXPECT_EQ(RoutesTo(topo.fgtNode, "198.51.100.0", 0xffffff00), 0u);
    uint32_t before = 0, during = 0, after = 0;
    for (const auto& r : server.rx)
    {
        (r.t < 2.0 ? before : r.t < 4.0 ? during : after)++;
    }
    EXPECT_EQ(before, 10u);
    EXPECT_EQ(during, 0u);
    EXPECT_GE(after, 19u); // 4.0 .. 5.9 s, the first one may race the change
}

TEST(NodeConfigE2e, PhysicalPortCannotBeDeletedAndNothingChanges)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    FortiGateConfig before = fgt->GetConfig();
    auto r = fgt->Execute("config firewall address\n edit \"x\"\n set subnet 10.9.0.0 "
                          "255.255.0.0\n next\nend\nconfig system interface\n delete port3\nend\n");
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("port3"), std::string::npos) << r.error;
    EXPECT_TRUE(fgt->GetConfig() == before);
    EXPECT_EQ(fgt->GetConfig().FindAddress("x"), nullptr);
    Simulator::Destroy();
}

TEST(NodeConfigE2e, DiagnoseAcceptsAbbreviations)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    UdpEndpoint server(topo.server, 7000, true);
    UdpEndpoint client(topo.clients.Get(0), 7001);
    client.Connect(Ipv4Address(SERVER), 7000);
    client.SendAt(1.0, 100);
    std::string full, abbreviated, status;
    Simulator::Schedule(Seconds(2.0), [&]() {
        full = fgt->Diagnose("diagnose sys session list");
        abbreviated = fgt->Diagnose("diag sys sess list");
        status = fgt->Diagnose("get sys sess status");
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_NE(full.find("session info: proto=17"), std::string::npos) << full;
    EXPECT_EQ(full, abbreviated);
    EXPECT_NE(status.find("The total number of sessions for the current VDOM: 1\n"),
              std::string::npos)
        << status;
}

TEST(NodeConfigE2e, CpuModelIsReachableThroughAConfigPath)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "any", true));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    UintegerValue cores;
    fgt->GetCpuModel()->GetAttribute("Cores", cores);
    ASSERT_NE(cores.Get(), 7u);
    EXPECT_TRUE(
        Config::SetFailSafe("/NodeList/*/ApplicationList/*/$ns3::FortiGateNode/CpuModel/Cores",
                            UintegerValue(7)));
    fgt->GetCpuModel()->GetAttribute("Cores", cores);
    EXPECT_EQ(cores.Get(), 7u);
    // The attribute hands out the model itself; ns-3.37's pointer attribute refuses a null
    // value, and SetCpuModel(nullptr) keeps the model.
    PointerValue cpu;
    fgt->GetAttribute("CpuModel", cpu);
    EXPECT_EQ(cpu.Get<CpuModel>(), fgt->GetCpuModel());
    EXPECT_FALSE(fgt->SetAttributeFailSafe("CpuModel", PointerValue(nullptr)));
    fgt->SetCpuModel(nullptr);
    EXPECT_EQ(cpu.Get<CpuModel>(), fgt->GetCpuModel());
    Simulator::Destroy();
}

namespace
{

/// A user's packet tag (must survive the datapath's rewrite).
class UserMarkTag : public Tag
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::FortiGateTestUserMarkTag")
                                .SetParent<Tag>()
                                .SetGroupName("FortiGate")
                                .AddConstructor<UserMarkTag>();
        return tid;
    }

    TypeId GetInstanceTypeId() const override
    {
        return GetTypeId();
    }

    uint32_t GetSerializedSize() const override
    {
        return 4;
    }

    void Serialize(TagBuffer i) const override
    {
        i.WriteU32(value);
    }

    void Deserialize(TagBuffer i) override
    {
        value = i.ReadU32();
    }

    void Print(std::ostream& os) const override
    {
        os << value;
    }

    uint32_t value{0}; //!< the mark
};

} // namespace

TEST(NodeConfigE2e, RewrittenPayloadKeepsPacketAndByteTags)
{
    // A UDP datagram whose payload a helper rewrote is rebuilt: its tags go with it.
    const std::string text = "hello";
    Ptr<Packet> p = Create<Packet>(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    UserMarkTag mark;
    mark.value = 42;
    p->AddPacketTag(mark);
    UserMarkTag byteMark;
    byteMark.value = 7;
    p->AddByteTag(byteMark);
    UdpHeader udp;
    udp.SetSourcePort(1000);
    udp.SetDestinationPort(2000);
    p->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(Ipv4Address("10.0.1.2"));
    ip.SetDestination(Ipv4Address("203.0.113.2"));
    ip.SetProtocol(17);
    PacketView v;
    v.tuple =
        FlowTuple{Ipv4Address("10.0.1.2").Get(), Ipv4Address("203.0.113.2").Get(), 1000, 2000, 17};
    v.l4Valid = true;
    v.l4Size = p->GetSize();
    v.l4HeaderSize = 8;
    FlowTuple to = v.tuple;
    to.src = Ipv4Address("203.0.113.1").Get();
    to.sport = 3000;
    const std::vector<uint8_t> edited = {'h', 'e', 'l', 'l', 'o', '!', '!'};
    Ptr<const Packet> q = RewritePacket(p, ip, v, to, false, &edited, 0, 0);
    ASSERT_NE(q, p);
    EXPECT_EQ(q->GetSize(), 8u + edited.size());
    UserMarkTag got;
    ASSERT_TRUE(q->PeekPacketTag(got));
    EXPECT_EQ(got.value, 42u);
    UserMarkTag gotByte;
    ASSERT_TRUE(q->FindFirstMatchingByteTag(gotByte));
    EXPECT_EQ(gotByte.value, 7u);
}
