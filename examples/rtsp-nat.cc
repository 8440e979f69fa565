/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * rtsp-nat: RTSP media streams through a FortiGate, with and without its rtsp session helper.
 *
 *   clients 10.0.1.10..                                         ISP router        server
 *   CSMA 10.0.1.0/24 -- port1 [FortiGate] port2 -- 203.0.113.0/24 -- r -- 198.51.100.0/24
 *                                  port3                                          (.7)
 *                                    | 10.0.2.0/24
 *                             inside RTSP server 10.0.2.2 (VIP 203.0.113.100)
 *
 * Cases, each in a fresh simulation:
 * - snat:   one client behind the FortiGate (policy 1, port1 -> port2, NAT to the port2
 *           address 203.0.113.1) plays rtsp://198.51.100.7/media: OPTIONS, DESCRIBE, SETUP
 *           (client_port=5000-5001), PLAY, TEARDOWN; the server streams RTP (160-byte
 *           payload every 20 ms) and RTCP sender reports to the client's ports;
 * - snat2:  two clients that both announce client_port=5000-5001 through the same NAT
 *           address: the helper moves the second one to another pair;
 * - rtsp8554: as snat on TCP 8554 (session-helper entry 8);
 * - vip:    the WAN host 198.51.100.7 plays from the inside server through the VIP
 *           203.0.113.100 (policy 2, port2 -> port3).
 * Every case runs with the default session-helper table and with entries 6, 7 and 8 (rtsp on
 * 554, 7070, 8554) deleted.
 *
 * What to expect: with the helper every stream carries data (the SETUP opened the RTP/RTCP
 * pinholes; the second snat2 client's client_port is translated to another free pair on the
 * NAT address). Without it the RTSP dialogue still completes but no media arrives: the
 * server's UDP packets to the NAT address match no session, and as that address is the
 * FortiGate's own port2 address they go to its local stack, where nothing listens; for the VIP
 * the inside server's packets to the WAN match no policy (port3 -> port2) and are denied.
 */

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/rtsp-helper.h"

#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("RtspNatExample");

namespace
{

/// One situation to run.
struct Case
{
    std::string name; //!< "snat", "snat2", "rtsp8554", "vip"
    bool helper;      //!< rtsp entries in the session-helper table
};

/// What one client got.
struct ClientOutcome
{
    bool completed{false};       //!< RTSP dialogue completed
    std::string reason;          //!< failure reason
    uint64_t rtp{0};             //!< RTP packets received
    uint64_t bytes{0};           //!< RTP bytes received
    uint64_t lost{0};            //!< RTP packets lost
    uint64_t rtcp{0};            //!< RTCP packets received
    Time setupDelay;             //!< start -> PLAY reply
    std::string serverTransport; //!< the SETUP's Transport as the server got it
};

/// What one case did.
struct Outcome
{
    std::vector<ClientOutcome> clients; //!< per client
    uint64_t serverRtp{0};              //!< RTP packets the server sent
    uint64_t pinholesUsed{0};           //!< pinholes that opened a child session
    uint64_t denied{0};                 //!< packets denied by policy
    std::string expectList;             //!< diagnose list expectation at the first SETUP reply
    std::string sessionList;            //!< diagnose sys session list during the stream
};

uint32_t
Ip(const char* text)
{
    return Ipv4Address(text).Get();
}

/// Run one case in a fresh simulation.
Outcome
RunCase(const Case& c, double playSeconds)
{
    Outcome out;
    const bool vip = c.name == "vip";
    const uint32_t nClients = c.name == "snat2" ? 2 : 1;
    const uint16_t rtspPort = c.name == "rtsp8554" ? 8554 : 554;

    NodeContainer clients;
    clients.Create(nClients);
    Ptr<Node> fgtNode = CreateObject<Node>();
    Ptr<Node> isp = CreateObject<Node>();
    Ptr<Node> server = CreateObject<Node>();
    Ptr<Node> inside = CreateObject<Node>();

    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    NodeContainer lanNodes(clients);
    lanNodes.Add(fgtNode);
    NetDeviceContainer lanDevs = csma.Install(lanNodes);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer wanDevs = p2p.Install(fgtNode, isp);
    NetDeviceContainer srvDevs = p2p.Install(isp, server);
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer dmzDevs = p2p.Install(fgtNode, inside);

    InternetStackHelper stack;
    NodeContainer all(clients);
    all.Add(fgtNode);
    all.Add(isp);
    all.Add(server);
    all.Add(inside);
    stack.Install(all);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0", "0.0.0.10");
    Ipv4InterfaceContainer lanIf = addr.Assign(lanDevs); // clients .10.., FortiGate last
    addr.SetBase("203.0.113.0", "255.255.255.0", "0.0.0.1");
    Ipv4InterfaceContainer wanIf = addr.Assign(wanDevs); // FortiGate .1, ISP .2
    addr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.6");
    Ipv4InterfaceContainer srvIf = addr.Assign(srvDevs); // ISP .6, server .7
    addr.SetBase("10.0.2.0", "255.255.255.0");
    Ipv4InterfaceContainer dmzIf = addr.Assign(dmzDevs); // FortiGate .1, inside .2
    stack.AssignStreams(all, 1);

    Ipv4StaticRoutingHelper srh;
    for (uint32_t i = 0; i < nClients; ++i)
    {
        srh.GetStaticRouting(clients.Get(i)->GetObject<Ipv4>())
            ->SetDefaultRoute(lanIf.GetAddress(nClients), 1);
    }
    srh.GetStaticRouting(server->GetObject<Ipv4>())->SetDefaultRoute(srvIf.GetAddress(0), 1);
    srh.GetStaticRouting(inside->GetObject<Ipv4>())->SetDefaultRoute(dmzIf.GetAddress(0), 1);
    srh.GetStaticRouting(fgtNode->GetObject<Ipv4>())->SetDefaultRoute(wanIf.GetAddress(1), 2);

    FortiGateConfig cfg;
    for (const char* name : {"port1", "port2", "port3"})
    {
        InterfaceConfig intf;
        intf.name = name;
        cfg.AddInterface(intf);
    }
    cfg.AddAddress(FirewallAddress::FromSubnet("lan", "10.0.1.0/24"));
    VipConfig v;
    v.name = "rtsp-vip";
    v.extipLo = Ip("203.0.113.100");
    v.mappedipLo = Ip("10.0.2.2");
    v.extintf = "port2";
    cfg.AddVip(v);
    FirewallPolicy out1;
    out1.id = 1;
    out1.name = "lan-to-wan";
    out1.srcintf = {"port1"};
    out1.dstintf = {"port2"};
    out1.srcaddr = {"lan"};
    out1.dstaddr = {"all"};
    out1.service = {"ALL"};
    out1.action = FirewallPolicy::ACCEPT;
    out1.nat = true;
    cfg.AddPolicy(out1);
    FirewallPolicy in2;
    in2.id = 2;
    in2.name = "wan-to-rtsp";
    in2.srcintf = {"port2"};
    in2.dstintf = {"port3"};
    in2.srcaddr = {"all"};
    in2.dstaddr = {"rtsp-vip"};
    in2.service = {"ALL"};
    in2.action = FirewallPolicy::ACCEPT;
    cfg.AddPolicy(in2);
    if (!c.helper)
    {
        // config system session-helper / delete 6 / delete 7 / delete 8
        for (uint32_t id : {6u, 7u, 8u})
        {
            cfg.DeleteSessionHelper(id);
        }
    }
    FortiGateHelper fgtHelper;
    fgtHelper.SetConfig(cfg);
    Ptr<FortiGateNode> fgt = fgtHelper.Install(fgtNode);
    fgtHelper.AssignStreams(NodeContainer(fgtNode), 100);

    RtspServerHelper serverHelper(rtspPort);
    serverHelper.SetAttribute("StreamDuration", TimeValue(Seconds(playSeconds + 30)));
    serverHelper.SetAttribute("AnnounceSource", BooleanValue(vip));
    Ptr<RtspServer> rtspd =
        DynamicCast<RtspServer>(serverHelper.Install(vip ? inside : server).Get(0));
    rtspd->AssignStreams(7);

    std::vector<Ptr<RtspClient>> players;
    for (uint32_t i = 0; i < nClients; ++i)
    {
        RtspClientHelper clientHelper(vip ? Ipv4Address("203.0.113.100") : srvIf.GetAddress(1),
                                      rtspPort);
        clientHelper.SetAttribute("ClientPort", UintegerValue(5000));
        clientHelper.SetAttribute("PlayDuration", TimeValue(Seconds(playSeconds)));
        Ptr<RtspClient> player =
            DynamicCast<RtspClient>(clientHelper.Install(vip ? server : clients.Get(i)).Get(0));
        player->SetStartTime(Seconds(1 + 0.25 * i));
        players.push_back(player);
    }
    players[0]->TraceConnectWithoutContext("Reply",
                                           Callback<void, const std::string&, uint16_t>(
                                               [fgt, &out](const std::string& method, uint16_t) {
                                                   if (method == "SETUP")
                                                   {
                                                       out.expectList = fgt->Diagnose(
                                                           "diagnose sys session list expectation");
                                                   }
                                               }));
    Simulator::Schedule(Seconds(1.5 + playSeconds / 2), [fgt, &out]() {
        out.sessionList = fgt->Diagnose("diagnose sys session list");
    });
    std::vector<std::string> transports;
    rtspd->TraceConnectWithoutContext(
        "Request",
        Callback<void, const std::string&, const std::string&>(
            [&transports](const std::string& method, const std::string& text) {
                if (method == "SETUP")
                {
                    RtspMessage m;
                    ParseRtspMessage(reinterpret_cast<const uint8_t*>(text.data()), text.size(), m);
                    const RtspHeaderField* t = m.Find("Transport");
                    transports.push_back(t ? t->value : "");
                }
            }));

    Simulator::Stop(Seconds(playSeconds + 8));
    Simulator::Run();

    for (uint32_t i = 0; i < nClients; ++i)
    {
        ClientOutcome co;
        co.completed = players[i]->IsCompleted();
        co.reason = players[i]->GetFailureReason();
        co.rtp = players[i]->GetRtpPackets();
        co.bytes = players[i]->GetRtpBytes();
        co.lost = players[i]->GetRtpLost();
        co.rtcp = players[i]->GetRtcpPackets();
        co.setupDelay = players[i]->GetSetupDelay();
        co.serverTransport = i < transports.size() ? transports[i] : "";
        out.clients.push_back(co);
    }
    out.serverRtp = rtspd->GetRtpPacketsSent();
    out.pinholesUsed = fgt->GetExpectations().GetMatched();
    out.denied = fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY);
    Simulator::Destroy();
    return out;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    double playSeconds = 10;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short run (for tests): 2 s of media per client", quick);
    cmd.AddValue("play", "Seconds each client watches the stream", playSeconds);
    cmd.Parse(argc, argv);
    if (quick)
    {
        playSeconds = 2;
    }

    std::vector<Case> cases;
    for (const char* name : {"snat", "snat2", "rtsp8554", "vip"})
    {
        for (bool helper : {true, false})
        {
            cases.push_back(Case{name, helper});
        }
    }

    std::cout << "rtsp-nat: each client plays " << playSeconds
              << " s of RTP (160-byte payload every 20 ms, RTCP SR every 1 s); "
                 "each case in a fresh simulation\n"
              << "  snat:     client 10.0.1.10 -> rtsp://198.51.100.7/media (NAT 203.0.113.1)\n"
              << "  snat2:    clients 10.0.1.10 and .11, both client_port=5000-5001\n"
              << "  rtsp8554: as snat on TCP 8554\n"
              << "  vip:      client 198.51.100.7 -> rtsp://203.0.113.100/media -> 10.0.2.2\n"
              << "  helper off = session-helper entries 6, 7, 8 (rtsp 554/7070/8554) deleted\n\n";
    std::cout << std::left << std::setw(10) << "case" << std::setw(7) << "helper" << std::setw(8)
              << "client" << std::setw(11) << "rtsp" << std::right << std::setw(8) << "rtp_rx"
              << std::setw(8) << "sent" << std::setw(6) << "lost" << std::setw(6) << "rtcp"
              << std::setw(9) << "pinhole" << std::setw(8) << "denied"
              << "  client_port at the server\n"
              << "  (sent, pinhole and denied are per case: the server's RTP packets, pinholes "
                 "that opened a media session, packets denied by policy)\n";

    std::ostringstream summary;
    uint32_t dataHelper = 0;
    uint32_t dataNoHelper = 0;
    uint32_t streamsPerSetting = 0;
    std::string expectList;
    std::string sessionList;
    for (const Case& c : cases)
    {
        Outcome o = RunCase(c, playSeconds);
        if (c.name == "snat" && c.helper)
        {
            expectList = o.expectList;
            sessionList = o.sessionList;
        }
        for (std::size_t i = 0; i < o.clients.size(); ++i)
        {
            const ClientOutcome& co = o.clients[i];
            bool data = co.rtp > 0;
            (c.helper ? dataHelper : dataNoHelper) += data ? 1 : 0;
            streamsPerSetting += c.helper ? 1 : 0;
            std::string port = co.serverTransport;
            std::size_t at = port.find("client_port=");
            port = at == std::string::npos ? "-" : port.substr(at + 12);
            std::cout << std::left << std::setw(10) << c.name << std::setw(7)
                      << (c.helper ? "on" : "off") << std::setw(8) << i << std::setw(11)
                      << (co.completed ? "completed" : "FAILED") << std::right << std::setw(8)
                      << co.rtp << std::setw(8) << (i == 0 ? std::to_string(o.serverRtp) : "\"")
                      << std::setw(6) << co.lost << std::setw(6) << co.rtcp << std::setw(9)
                      << (i == 0 ? std::to_string(o.pinholesUsed) : "\"") << std::setw(8)
                      << (i == 0 ? std::to_string(o.denied) : "\"") << "  " << port
                      << (co.completed ? "" : "  (" + co.reason + ")") << "\n";
            summary << " " << c.name << (o.clients.size() > 1 ? "_c" + std::to_string(i) : "")
                    << "_" << (c.helper ? "helper" : "nohelper") << "=" << (data ? "data" : "none");
        }
    }

    std::cout << "\n=== snat with the helper, when the client had the SETUP reply\n"
              << "FGT # diagnose sys session list expectation\n"
              << expectList << "\n=== during the stream\nFGT # diagnose sys session list\n"
              << sessionList << "\n";
    std::cout << "summary:" << summary.str() << " streams_with_data_helper=" << dataHelper << "/"
              << streamsPerSetting << " streams_with_data_nohelper=" << dataNoHelper << "/"
              << streamsPerSetting << " play_seconds=" << playSeconds << std::endl;
    return 0;
}
