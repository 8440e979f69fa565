/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A port scan from the WAN of every port of the unit's public address during active SIP, FTP,
 * RTSP and PPTP sessions (issue 16). Nothing reaches the inside except what a pinhole the
 * inside opened allows: every probe that arrives at an inside host matches a pinhole that
 * existed during the scan, from its announced peer to its announced port and inside address.
 * The same ports probed from another host get in only where the pinhole names no peer (the
 * SIP ALG's media and non-REGISTER contact pinholes accept any source, as FortiOS's do unless
 * `hnt-restrict-source-ip` or `open-contact-pinhole disable`; FTP, RTSP, PPTP and the REGISTER
 * contact pinhole name the server). After the calls end and the pinholes expire, the same scan
 * delivers nothing at all.
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
    int host;         //!< index into the inside hosts
    uint8_t proto;    //!< 6 or 17
    uint16_t port;    //!< the public port it was sent to
    Ipv4Address from; //!< the scanner
    Ipv4Address to;   //!< the address it arrived at
    double t;         //!< when
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
                                      d.ip.GetSource(),
                                      d.ip.GetDestination(),
                                      d.t});
            }
        }
    }
    return out;
}

} // namespace

TEST(PortScanE2e, OnlyPinholesOfTheInsideLetProbesInAndNothingAfterTheyExpire)
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

    // Every pinhole that exists until the scans end, however briefly: sampled whenever a
    // packet arrives at the unit (before the unit handles it, so a pinhole is seen by the
    // packet that uses it).
    std::vector<Expectation> pinholes;
    std::set<std::string> seen;
    std::set<std::string> helpers;
    topo.fgtNode->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Rx",
        Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
            [&](Ptr<const Packet>, Ptr<Ipv4>, uint32_t) {
                if (Simulator::Now() > Seconds(7))
                {
                    return;
                }
                for (const auto& e : fgt->GetExpectations().List())
                {
                    if (seen.insert(std::to_string(e.createdNs) + ExpectationTable::Format(e, 0))
                            .second)
                    {
                        pinholes.push_back(e);
                        helpers.insert(e.helper);
                    }
                }
            }));

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
    EXPECT_GT(fromOther.sent, 2u);
    EXPECT_TRUE(helpers.count("sip-alg")) << "a SIP call was up";
    EXPECT_TRUE(helpers.count("ftp")) << "an active-mode FTP transfer was up";
    EXPECT_TRUE(helpers.count("rtsp")) << "an RTSP stream was up";
    EXPECT_TRUE(helpers.count("pptp")) << "a PPTP call was up";
    // Every pinhole towards the public address names the peer the inside talked to (or no
    // peer: the SIP media and contact pinholes); the others (outgoing media, the PPTP client's
    // GRE) go from an inside host to the peer, where the scan cannot use them.
    const uint32_t lan = Ip("10.0.1.0");
    for (const auto& e : pinholes)
    {
        if (e.dst == Ip(FGT_WAN))
        {
            EXPECT_TRUE(e.src == 0 || e.src == Ip(SERVER)) << ExpectationTable::Format(e, 0);
            EXPECT_EQ(e.natDst & 0xffffff00u, lan) << ExpectationTable::Format(e, 0);
        }
        else
        {
            EXPECT_EQ(e.dst, Ip(SERVER)) << ExpectationTable::Format(e, 0);
            EXPECT_EQ(e.src & 0xffffff00u, lan) << ExpectationTable::Format(e, 0);
        }
    }
    // Every probe that got in went through a pinhole: from its peer (or any peer when it names
    // none), to its port, to the inside address it announced.
    const auto during = Probes(logs, 0);
    std::set<std::pair<uint8_t, uint16_t>> fromPeerIn;
    size_t fromOtherIn = 0;
    for (const auto& a : during)
    {
        const bool peer = a.from == Ipv4Address(SERVER);
        EXPECT_TRUE(peer || a.from == Ipv4Address(ROUTER_WAN)) << a.from;
        EXPECT_TRUE(fromPeerIn.insert({a.proto, a.port}).second || !peer)
            << "one probe per port and protocol";
        fromOtherIn += peer ? 0 : 1;
        bool allowed = false;
        for (const auto& e : pinholes)
        {
            const FlowTuple t{a.from.Get(), Ip(FGT_WAN), SCAN_SPORT, a.port, a.proto};
            allowed |= e.Matches(t) && (peer || e.src == 0) && e.natDst == a.to.Get();
        }
        EXPECT_TRUE(allowed) << "probe " << int(a.proto) << "/" << a.port << " from " << a.from
                             << " reached host " << a.host << " (" << a.to << ") at " << a.t
                             << " without a pinhole";
    }
    EXPECT_FALSE(fromPeerIn.empty()) << "the pinholes let their peer in";
    EXPECT_LT(fromOtherIn, fromOther.sent) << "the other host gets in where a peer is named";

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
