/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The soak scenario of issue 16, shared by the soak test (test/robustness/soak-e2e-test.cc: a
 * short run in CI) and the soak benchmark (bench/soak.cc: a simulated day, RSS over time):
 * simulated hours of churn through the e2e topology's FortiGate: SIP calls (two LAN phones
 * calling a provider phone, with RTP), FTP downloads (active and passive in turn), short UDP
 * flows, and a configuration change every simulated hour (policy 2, which covers the flows to
 * 198.51.100.99, flips between accept and deny). Then the traffic stops and the unit idles
 * until every timer has run out.
 *
 * Every random choice comes from one std::mt19937 seeded with SoakOptions::seed, and ns-3's
 * streams are fixed: a seed gives one run.
 */
#ifndef FORTIGATE_TEST_SOAK_H
#define FORTIGATE_TEST_SOAK_H

#include "e2e-topology.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace ns3
{
namespace soak
{

using namespace ns3::e2e;

/// What a soak run does.
struct SoakOptions
{
    uint32_t hours{2};          //!< simulated hours of traffic
    uint32_t callsPerHour{20};  //!< SIP calls per hour
    double callSeconds{4};      //!< talk time of each call
    uint32_t ftpPerHour{10};    //!< FTP downloads per hour
    uint32_t ftpBytes{20000};   //!< size of each download
    uint32_t flowsPerHour{200}; //!< short UDP flows per hour (one datagram and its echo)
    uint32_t seed{1};           //!< the run's seed
    double idleAfter{7300};     //!< seconds of idling after the traffic (TCP ttl 3600 + slack)
    /// Called at the start of every hour (0..hours) and once after the idle time (hours + 1)
    std::function<void(uint32_t hour, FortiGateNode& fgt)> onHour;
};

/// What a soak run saw.
struct SoakResult
{
    // Packets at the unit's IPv4 layer.
    uint64_t received{0};  //!< IPv4 packets that arrived on its interfaces
    uint64_t forwarded{0}; //!< FortiGateNode::GetForwardedCount
    uint64_t local{0};     //!< delivered to the unit itself (ping, ARP-less local-in)
    uint64_t ipDrops{0};   //!< dropped by ns-3's IPv4 layer before the routing hook
    std::map<std::string, uint64_t> drops; //!< the unit's drops by reason
    // Traffic.
    uint32_t callsPlaced{0};
    uint32_t callsAnswered{0};
    uint32_t ftpPlaced{0};
    uint32_t ftpCompleted{0};
    uint32_t flowsSent{0};
    uint32_t flowsEchoed{0};
    std::vector<size_t> sessionsPerHour; //!< session table size at each hour
    // State when the idling is over.
    size_t sessions{0};
    size_t pinholes{0};
    size_t reservations{0};
    size_t heldSegments{0}; //!< TCP segments helpers still hold
    std::string sipCalls;   //!< `diagnose sys sip-proxy calls list`
    std::string stat;       //!< `diagnose sys session stat`

    /// \return the sum of the drops
    uint64_t Dropped() const
    {
        uint64_t n = 0;
        for (const auto& [r, c] : drops)
        {
            n += c;
        }
        return n;
    }

    /// \return everything above as text (equal texts: equal runs)
    std::string Digest() const
    {
        std::ostringstream os;
        os << received << " " << forwarded << " " << local << " " << ipDrops;
        for (const auto& [r, c] : drops)
        {
            os << " " << r << "=" << c;
        }
        os << " calls=" << callsPlaced << "/" << callsAnswered << " ftp=" << ftpPlaced << "/"
           << ftpCompleted << " flows=" << flowsSent << "/" << flowsEchoed << " sessions:";
        for (size_t s : sessionsPerHour)
        {
            os << " " << s;
        }
        os << "\n" << stat << sipCalls;
        return os.str();
    }
};

/// Run the soak scenario of \p o (builds and destroys its own simulation).
inline SoakResult
RunSoak(const SoakOptions& o)
{
    SoakResult r;
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(o.seed);
    std::mt19937 rng(o.seed);
    TopologyOptions to;
    to.clients = 4;
    E2eTopology topo(to);
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddAddress(FirewallAddress::FromSubnet("sink", "198.51.100.99/32"));
    FirewallPolicy sink = E2eTopology::Accept(2, "port1", "port2", true, "sink");
    cfg.AddPolicy(sink);
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    topo.AssignStreams(1);

    Ptr<Ipv4L3Protocol> l3 = topo.fgtNode->GetObject<Ipv4L3Protocol>();
    l3->TraceConnectWithoutContext(
        "Rx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [&r](Ptr<const Packet>, Ptr<Ipv4>, uint32_t) { ++r.received; }));
    l3->TraceConnectWithoutContext(
        "LocalDeliver",
        Callback<void, const Ipv4Header&, Ptr<const Packet>, uint32_t>(
            [&r](const Ipv4Header&, Ptr<const Packet>, uint32_t) { ++r.local; }));
    l3->TraceConnectWithoutContext("Drop",
                                   Callback<void,
                                            const Ipv4Header&,
                                            Ptr<const Packet>,
                                            Ipv4L3Protocol::DropReason,
                                            Ptr<Ipv4>,
                                            uint32_t>([&r](const Ipv4Header&,
                                                           Ptr<const Packet>,
                                                           Ipv4L3Protocol::DropReason,
                                                           Ptr<Ipv4>,
                                                           uint32_t) { ++r.ipDrops; }));
    fgt->TraceConnectWithoutContext(
        "Drop",
        Callback<void, Ptr<const Packet>, const Ipv4Header&, const std::string&>(
            [&r](Ptr<const Packet>, const Ipv4Header&, const std::string& why) {
                ++r.drops[why];
            }));

    const double end = 3600.0 * o.hours;
    std::uniform_real_distribution<double> inHour(1.0, 3590.0);

    // SIP: alice and carol on the LAN call bob at the provider.
    ApplicationContainer reg = SipRegistrarHelper().Install(topo.server);
    reg.Start(Seconds(0));
    SipUserAgentHelper phones{Ipv4Address(SERVER)};
    std::vector<Ptr<SipUserAgent>> callers;
    callers.push_back(
        DynamicCast<SipUserAgent>(phones.Install(topo.clients.Get(0), "alice").Get(0)));
    callers.push_back(
        DynamicCast<SipUserAgent>(phones.Install(topo.clients.Get(1), "carol").Get(0)));
    phones.SetAttribute("LocalPort", UintegerValue(5070));
    Ptr<SipUserAgent> bob = DynamicCast<SipUserAgent>(phones.Install(topo.server, "bob").Get(0));
    ApplicationContainer sipApps;
    sipApps.Add(callers[0]);
    sipApps.Add(callers[1]);
    sipApps.Add(bob);
    sipApps.Start(Seconds(0.5));
    sipApps.Stop(Seconds(end + 60));
    SipUserAgentHelper::AssignStreams(sipApps, 700);

    // FTP server and one client application per download.
    Ptr<FtpServer> ftpd = DynamicCast<FtpServer>(FtpServerHelper().Install(topo.server).Get(0));
    ftpd->SetStartTime(Seconds(0));
    std::vector<Ptr<FtpClient>> downloads;

    // Short flows: one datagram each from client 3 to the echo server (or to the sink). A flow's
    // socket is opened when it sends and closed kFlowSeconds later, as a client's would be.
    // (Sockets opened up front for the whole day left client 3 with tens of thousands of bound
    // ports: once the flow ports wrapped round, binds failed, the sends took ephemeral ports,
    // and when ns-3's ephemeral range (49152-65535) was nearly full in hour 22, every new
    // allocation scanned it against every endpoint: the run seemed to stall.)
    constexpr double kFlowSeconds = 60;
    UdpEndpoint echo(topo.server, 7, true);
    std::map<uint32_t, std::unique_ptr<UdpEndpoint>> flows; // the open ones, by flow number
    auto closeFlow = [&r, &flows](uint32_t n) {
        auto it = flows.find(n);
        if (it != flows.end())
        {
            r.flowsEchoed += it->second->rx.empty() ? 0 : 1;
            flows.erase(it);
        }
    };
    for (uint32_t h = 0; h < o.hours; ++h)
    {
        const double base = 3600.0 * h;
        for (uint32_t i = 0; i < o.callsPerHour; ++i)
        {
            callers[rng() % 2]->Call("bob", Seconds(base + inHour(rng)), Seconds(o.callSeconds));
            ++r.callsPlaced;
        }
        for (uint32_t i = 0; i < o.ftpPerHour; ++i)
        {
            FtpClientHelper c{Ipv4Address(SERVER)};
            c.SetAttribute("Mode", EnumValue(rng() % 2 ? FtpClient::ACTIVE : FtpClient::PASSIVE));
            c.SetAttribute("FileSize", UintegerValue(o.ftpBytes));
            Ptr<FtpClient> f = DynamicCast<FtpClient>(c.Install(topo.clients.Get(2)).Get(0));
            f->SetStartTime(Seconds(base + inHour(rng)));
            downloads.push_back(f);
            ++r.ftpPlaced;
        }
        for (uint32_t i = 0; i < o.flowsPerHour; ++i)
        {
            const uint32_t n = r.flowsSent++;
            const uint16_t port = static_cast<uint16_t>(20000 + n % 30000);
            const Ipv4Address to(rng() % 4 == 0 ? SILENT : SERVER);
            const double at = base + inHour(rng);
            const uint32_t size = 20 + rng() % 200;
            Ptr<Node> client = topo.clients.Get(3);
            E2eTopology::At(at, [&flows, client, n, port, to, size]() {
                auto f = std::make_unique<UdpEndpoint>(client, port);
                f->Connect(to, 7);
                f->Send(size);
                flows[n] = std::move(f);
            });
            E2eTopology::At(at + kFlowSeconds, [closeFlow, n]() { closeFlow(n); });
        }
        // The hourly configuration change: policy 2 flips between accept and deny.
        E2eTopology::At(base + 0.25, [fgt, h]() {
            fgt->Configure([h](FortiGateConfig& c) {
                FirewallPolicy p = *c.FindPolicy(2);
                p.action = h % 2 ? FirewallPolicy::DENY : FirewallPolicy::ACCEPT;
                c.SetPolicy(p);
            });
        });
    }
    for (uint32_t h = 0; h <= o.hours; ++h)
    {
        E2eTopology::At(3600.0 * h + 0.2, [&r, fgt, &o, h]() {
            r.sessionsPerHour.push_back(fgt->GetSessionTable().Size());
            if (o.onHour)
            {
                o.onHour(h, *fgt);
            }
        });
    }
    topo.RunUntil(end + o.idleAfter);

    for (const auto& c : callers)
    {
        for (const auto& call : c->GetCalls())
        {
            r.callsAnswered += call.answered.IsStrictlyPositive() ? 1 : 0;
        }
    }
    for (const auto& d : downloads)
    {
        r.ftpCompleted += d->IsCompleted() ? 1 : 0;
    }
    while (!flows.empty())
    {
        closeFlow(flows.begin()->first);
    }
    r.forwarded = fgt->GetForwardedCount();
    r.sessions = fgt->GetSessionTable().Size();
    r.pinholes = fgt->GetExpectations().Size();
    r.reservations = fgt->GetExpectations().ReservationCount();
    r.heldSegments = fgt->GetHeldSegmentCount();
    r.sipCalls = fgt->Diagnose("diagnose sys sip-proxy calls list");
    r.stat = fgt->Diagnose("diagnose sys session stat");
    if (o.onHour)
    {
        o.onHour(o.hours + 1, *fgt);
    }
    return r;
}

} // namespace soak
} // namespace ns3

#endif // FORTIGATE_TEST_SOAK_H
