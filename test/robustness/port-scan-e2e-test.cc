/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A port scan from the WAN of every port of the unit's public address during active SIP, FTP,
 * RTSP and PPTP sessions (issue 16). Nothing reaches the inside except what a pinhole the
 * inside opened allows: every probe that arrives at an inside host matches a pinhole that
 * existed during the scan, from its announced peer to its announced port. A probe from
 * another host to the same ports gets nowhere. After the calls end and the pinholes expire,
 * the same scan delivers nothing at all.
 */
#include "e2e-topology.h"
#include "robustness-util.h"

#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::e2e;
using namespace ns3::robust;

namespace
{

/// A probe that reached an inside host.
struct Arrival
{
    int host;       //!< index into the inside hosts
    uint8_t proto;  //!< 6 or 17
    uint16_t port;  //!< the public port it was sent to
    Ipv4Address to; //!< the address it arrived at
    double t;       //!< when
};

/// \return the probes among what \p logs delivered after \p since
std::vector<Arrival>
Probes(const std::vector<std::unique_ptr<DeliveryLog>>& logs, double since)
{
    std::vector<Arrival> out;
    for (size_t i = 0; i < logs.size(); ++i)
    {
        for (const auto& d : logs[i]->log)
        {
            const int port = ProbedPort(d.ip.GetProtocol(), d.l4);
            if (d.t >= since && port >= 0)
            {
                out.push_back(Arrival{static_cast<int>(i),
                                      d.ip.GetProtocol(),
                                      static_cast<uint16_t>(port),
                                      d.ip.GetDestination(),
                                      d.t});
            }
        }
    }
    return out;
}

} // namespace

TEST(PortScanE2e, DISABLED_OnlyPinholesOfTheInsideLetProbesInAndNothingAfterTheyExpire)
{
    TopologyOptions o;
    o.clients = 4;
    E2eTopology topo(o);
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    topo.AssignStreams(1);

    // SIP: alice (client 0) calls bob at the provider; both registered there.
    ApplicationContainer reg = SipRegistrarHelper().Install(topo.server);
    reg.Start(Seconds(0));
    SipUserAgentHelper phones{Ipv4Address(SERVER)};
    Ptr<SipUserAgent> alice =
        DynamicCast<SipUserAgent>(phones.Install(topo.clients.Get(0), "alice").Get(0));
    phones.SetAttribute("LocalPort", UintegerValue(5070));
    Ptr<SipUserAgent> bob = DynamicCast<SipUserAgent>(phones.Install(topo.server, "bob").Get(0));
    alice->SetStartTime(Seconds(0.5));
    bob->SetStartTime(Seconds(0.5));
    alice->Call("bob", Seconds(2), Seconds(20));
    // FTP, active mode: the server connects back to client 1 through a pinhole.
    Ptr<FtpServer> ftpd = DynamicCast<FtpServer>(FtpServerHelper().Install(topo.server).Get(0));
    ftpd->SetStartTime(Seconds(0));
    FtpClientHelper ftpc{Ipv4Address(SERVER)};
    ftpc.SetAttribute("Mode", EnumValue(FtpClient::ACTIVE));
    ftpc.SetAttribute("FileSize", UintegerValue(2000000));
    Ptr<FtpClient> ftp = DynamicCast<FtpClient>(ftpc.Install(topo.clients.Get(1)).Get(0));
    ftp->SetStartTime(Seconds(4.9));
    // RTSP: client 2 plays a stream; RTP comes back through pinholes.
    Ptr<RtspServer> rtspd = DynamicCast<RtspServer>(RtspServerHelper().Install(topo.server).Get(0));
    rtspd->SetAttribute("StreamDuration", TimeValue(Seconds(40)));
    rtspd->SetStartTime(Seconds(0));
    rtspd->AssignStreams(7);
    RtspClientHelper rtspc{Ipv4Address(SERVER)};
    rtspc.SetAttribute("ClientPort", UintegerValue(5000));
    rtspc.SetAttribute("PlayDuration", TimeValue(Seconds(20)));
    Ptr<RtspClient> player = DynamicCast<RtspClient>(rtspc.Install(topo.clients.Get(2)).Get(0));
    player->SetStartTime(Seconds(1.5));
    // PPTP: client 3 holds a call; GRE comes back through the call's pinhole.
    Ptr<PptpServer> pptpd = DynamicCast<PptpServer>(PptpServerHelper().Install(topo.server).Get(0));
    pptpd->SetStartTime(Seconds(0));
    PptpClientHelper pptpc{Ipv4Address(SERVER)};
    pptpc.SetAttribute("CallDuration", TimeValue(Seconds(20)));
    pptpc.SetAttribute("LingerTime", TimeValue(Seconds(0.5)));
    Ptr<PptpClient> vpn = DynamicCast<PptpClient>(pptpc.Install(topo.clients.Get(3)).Get(0));
    vpn->SetStartTime(Seconds(1.0));

    std::vector<std::unique_ptr<DeliveryLog>> logs;
    for (uint32_t i = 0; i < topo.clients.GetN(); ++i)
    {
        logs.push_back(std::make_unique<DeliveryLog>(topo.clients.Get(i)));
    }
    logs.push_back(std::make_unique<DeliveryLog>(topo.inside));

    // Every pinhole that exists while the scans run (sampled every 10 ms).
    std::vector<Expectation> pinholes;
    std::set<std::string> helpers;
    std::function<void()> sample = [&]() {
        for (const auto& e : fgt->GetExpectations().List())
        {
            pinholes.push_back(e);
            helpers.insert(e.helper);
        }
        if (Simulator::Now() < Seconds(6.5))
        {
            Simulator::Schedule(MilliSeconds(10), sample);
        }
    };
    E2eTopology::At(4.99, sample);

    // The scan from the provider (the peer every pinhole names): 65,535 TCP SYNs and UDP
    // datagrams, one probe every 4 us (5.0 s to 5.53 s).
    PortScanner fromPeer(topo.server, Ipv4Address(FGT_WAN));
    E2eTopology::At(5.0, [&]() { fromPeer.Start(1, 65535); });
    // The same ports as the pinholes, from the WAN router (another host).
    PortScanner fromOther(topo.router, Ipv4Address(FGT_WAN));
    E2eTopology::At(6.0, [&]() {
        std::vector<uint16_t> ports;
        for (const auto& e : fgt->GetExpectations().List())
        {
            ports.push_back(e.dport);
        }
        ports.push_back(5000);
        fromOther.Start(0, 0, ports);
    });
    topo.RunUntil(7.0);

    EXPECT_EQ(fromPeer.sent, 2u * 65535u);
    EXPECT_TRUE(helpers.count("sip") || helpers.count("sip-alg")) << "a SIP call was up";
    EXPECT_TRUE(helpers.count("rtsp")) << "an RTSP stream was up";
    EXPECT_TRUE(helpers.count("pptp")) << "a PPTP call was up";
    for (const auto& e : pinholes)
    {
        EXPECT_TRUE(e.src == 0 || e.src == Ip(SERVER)) << ExpectationTable::Format(e, 0);
        EXPECT_EQ(e.dst, Ip(FGT_WAN)) << ExpectationTable::Format(e, 0);
    }
    const auto during = Probes(logs, 0);
    for (const auto& a : during)
    {
        bool allowed = false;
        for (const auto& e : pinholes)
        {
            const FlowTuple t{Ip(SERVER), Ip(FGT_WAN), SCAN_SPORT, a.port, a.proto};
            if (e.Matches(t) && (e.natDst == 0 || e.natDst == a.to.Get()) &&
                (e.natDst != 0 || a.to == Ipv4Address(FGT_WAN)))
            {
                allowed = true;
            }
        }
        EXPECT_TRUE(allowed) << "probe " << int(a.proto) << "/" << a.port << " reached host "
                             << a.host << " at " << a.t << " without a pinhole";
        EXPECT_LT(a.t, 6.0) << "no probe of the other host gets in";
    }
    EXPECT_LE(during.size(), pinholes.size());

    // The calls end by 25 s; the pinholes expire; the same scan then finds nothing.
    topo.RunUntil(400.0);
    EXPECT_EQ(fgt->GetExpectations().Size(), 0u);
    EXPECT_TRUE(ftp->IsCompleted()) << ftp->GetFailureReason();
    EXPECT_TRUE(player->HasReceivedMedia());
    EXPECT_GT(alice->GetCallCount(), 0u);
    PortScanner again(topo.server, Ipv4Address(FGT_WAN));
    E2eTopology::At(400.0, [&]() { again.Start(1, 65535); });
    topo.RunUntil(401.0);
    EXPECT_EQ(again.sent, 2u * 65535u);
    EXPECT_TRUE(Probes(logs, 399.0).empty()) << "nothing at all once the pinholes are gone";
}
