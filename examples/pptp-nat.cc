/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * pptp-nat: PPTP tunnels from several clients behind one FortiGate to one server, with and
 * without the FortiGate's pptp session helper.
 *
 *   clients 10.0.1.10, .11, ...                              ISP router         server
 *     CSMA 10.0.1.0/24 -- port1 [FortiGate] port2 -- 203.0.113.0/24 -- r -- 198.51.100.0/24
 *                                                   (NAT 203.0.113.1)                (.7)
 *
 * Every client dials the server (PPTP control connection on TCP 1723, policy 1 port1 -> port2
 * with NAT) with the SAME Call ID (1), starts a call, and sends GRE frames of PPP size at a
 * constant rate while the server sends the same way back; after the call duration the client
 * clears the call (Call-Clear-Request / Call-Disconnect-Notify) and stops the control
 * connection. The whole run is done twice in fresh simulations: with the default
 * session-helper table (entry 1: pptp on TCP 1723) and with entry 1 deleted.
 *
 * What to expect: with the helper, the colliding Call IDs are translated (the server sees a
 * distinct Call ID for each client on the one NAT address), the Outgoing-Call-Reply is put
 * back to Call ID 1 for each client, the two GRE pinholes per call make one GRE session each,
 * and every tunnel carries data both ways without loss. Without the helper the control
 * connections work and the clients' GRE reaches the server (a policy GRE session), but the
 * server's GRE to the NAT address finds no session and no pinhole: no tunnel carries data
 * back.
 *
 * The FortiGate's `diagnose sys session list` (GRE and control sessions) and
 * `diagnose sys session list expectation` are printed in the middle of the calls (helper run).
 */

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/pptp-helper.h"

#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("PptpNatExample");

namespace
{

/// What to run.
struct Options
{
    uint32_t clients{3};       //!< PPTP clients behind the FortiGate
    uint16_t callId{1};        //!< Call ID every client uses
    bool distinct{false};      //!< give each client its own Call ID instead
    uint32_t packetSize{1400}; //!< PPP bytes per GRE frame
    std::string rate{"2Mbps"}; //!< GRE rate per direction per tunnel
    double duration{10};       //!< seconds of data per call
};

/// One tunnel's outcome.
struct Tunnel
{
    uint16_t clientCallId{0};    //!< the client's own Call ID
    uint16_t serverSawCallId{0}; //!< the client's Call ID as the server received it
    uint16_t serverCallId{0};    //!< the server's Call ID
    uint16_t replyPeerCallId{0}; //!< Peer's Call ID of the reply as the client received it
    bool finished{false};        //!< the client finished its dialogue
    std::string failure;         //!< the client's failure reason
    PptpCallStats client;        //!< client side
    PptpCallStats server;        //!< server side
    double setupMs{0};           //!< call setup time

    bool Up() const
    {
        return client.txPackets > 0 && server.rxPackets > 0;
    }

    bool Down() const
    {
        return server.txPackets > 0 && client.rxPackets > 0;
    }

    /// "both", "c2s", "s2c" or "none"
    std::string Carried() const
    {
        return Up() && Down() ? "both" : (Up() ? "c2s" : (Down() ? "s2c" : "none"));
    }
};

/// One run.
struct Run
{
    std::vector<Tunnel> tunnels;    //!< per client
    std::string sessionList;        //!< diagnose output mid-call
    std::string expectList;         //!< diagnose list expectation mid-call
    uint64_t greSessionsMidCall{0}; //!< GRE sessions mid-call
    uint64_t pinholesMatched{0};    //!< pinholes that opened a session
    uint64_t denied{0};             //!< packets denied by policy
    uint64_t serverUnknownGre{0};   //!< GRE the server could not match to a call
};

/// Frames of one direction never received: gaps in the sequence (lost during the call) plus
/// the tail (sent after the last one received, e.g. still on the way when the call cleared).
uint64_t
Missing(const PptpCallStats& tx, const PptpCallStats& rx)
{
    return tx.txPackets > rx.rxPackets ? tx.txPackets - rx.rxPackets : 0;
}

Run
RunOnce(const Options& o, bool helper)
{
    Run out;
    NodeContainer clients;
    clients.Create(o.clients);
    Ptr<Node> fgtNode = CreateObject<Node>();
    Ptr<Node> isp = CreateObject<Node>();
    Ptr<Node> server = CreateObject<Node>();

    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("1Gbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    NodeContainer lan(clients);
    lan.Add(fgtNode);
    NetDeviceContainer lanDevs = csma.Install(lan);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer wanDevs = p2p.Install(fgtNode, isp);
    NetDeviceContainer srvDevs = p2p.Install(isp, server);

    InternetStackHelper stack;
    NodeContainer all(clients);
    all.Add(fgtNode);
    all.Add(isp);
    all.Add(server);
    stack.Install(all);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0", "0.0.0.10");
    NetDeviceContainer clientDevs;
    for (uint32_t i = 0; i < o.clients; ++i)
    {
        clientDevs.Add(lanDevs.Get(i));
    }
    addr.Assign(clientDevs); // clients .10, .11, ...
    addr.SetBase("10.0.1.0", "255.255.255.0", "0.0.0.1");
    addr.Assign(NetDeviceContainer(lanDevs.Get(o.clients))); // FortiGate port1 .1
    addr.SetBase("203.0.113.0", "255.255.255.0", "0.0.0.1");
    Ipv4InterfaceContainer wanIf = addr.Assign(wanDevs); // FortiGate .1, ISP .2
    addr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.6");
    Ipv4InterfaceContainer srvIf = addr.Assign(srvDevs); // ISP .6, server .7
    stack.AssignStreams(all, 1);
    csma.AssignStreams(lanDevs, 50);

    Ipv4StaticRoutingHelper srh;
    for (uint32_t i = 0; i < o.clients; ++i)
    {
        srh.GetStaticRouting(clients.Get(i)->GetObject<Ipv4>())
            ->SetDefaultRoute(Ipv4Address("10.0.1.1"), 1);
    }
    srh.GetStaticRouting(server->GetObject<Ipv4>())->SetDefaultRoute(srvIf.GetAddress(0), 1);
    srh.GetStaticRouting(fgtNode->GetObject<Ipv4>())->SetDefaultRoute(wanIf.GetAddress(1), 2);
    // The ISP knows 203.0.113.0/24 and 198.51.100.0/24 only: 10/8 never comes back.

    FortiGateConfig cfg;
    for (const char* name : {"port1", "port2"})
    {
        InterfaceConfig intf;
        intf.name = name;
        cfg.AddInterface(intf);
    }
    cfg.AddAddress(FirewallAddress::FromSubnet("lan", "10.0.1.0/24"));
    FirewallPolicy lanToWan;
    lanToWan.id = 1;
    lanToWan.name = "lan-to-wan";
    lanToWan.srcintf = {"port1"};
    lanToWan.dstintf = {"port2"};
    lanToWan.srcaddr = {"lan"};
    lanToWan.dstaddr = {"all"};
    lanToWan.service = {"ALL"};
    lanToWan.action = FirewallPolicy::ACCEPT;
    lanToWan.nat = true;
    cfg.AddPolicy(lanToWan);
    if (!helper)
    {
        cfg.DeleteSessionHelper(1); // `config system session-helper` / `delete 1` (pptp)
    }
    FortiGateHelper fgtHelper;
    fgtHelper.SetConfig(cfg);
    Ptr<FortiGateNode> fgt = fgtHelper.Install(fgtNode);
    fgtHelper.AssignStreams(NodeContainer(fgtNode), 100);

    const Ipv4Address serverAddr = srvIf.GetAddress(1);
    PptpServerHelper sh;
    sh.SetAttribute("PacketSize", UintegerValue(o.packetSize));
    sh.SetAttribute("DataRate", DataRateValue(DataRate(o.rate)));
    Ptr<PptpServer> pptpd = DynamicCast<PptpServer>(sh.Install(server).Get(0));
    pptpd->SetStartTime(Seconds(0));
    std::vector<Ptr<PptpClient>> pptp;
    for (uint32_t i = 0; i < o.clients; ++i)
    {
        PptpClientHelper ch(serverAddr);
        ch.SetAttribute("CallId", UintegerValue(o.distinct ? o.callId + i : o.callId));
        ch.SetAttribute("CallSerial", UintegerValue(i + 1));
        ch.SetAttribute("PacketSize", UintegerValue(o.packetSize));
        ch.SetAttribute("DataRate", DataRateValue(DataRate(o.rate)));
        ch.SetAttribute("CallDuration", TimeValue(Seconds(o.duration)));
        ch.SetAttribute("LingerTime", TimeValue(Seconds(0.5)));
        Ptr<PptpClient> c = DynamicCast<PptpClient>(ch.Install(clients.Get(i)).Get(0));
        c->SetStartTime(Seconds(1.0 + 0.25 * i));
        pptp.push_back(c);
    }

    const double mid = 1.0 + 0.25 * o.clients + o.duration / 2;
    Simulator::Schedule(Seconds(mid), [&out, fgt]() {
        out.sessionList = fgt->Diagnose("diagnose sys session list");
        out.expectList = fgt->Diagnose("diagnose sys session list expectation");
        fgt->GetSessionTable().ForEach([&out](const Session& s) {
            out.greSessionsMidCall += s.org.tuple.proto == 47 ? 1 : 0;
        });
    });
    Simulator::Stop(Seconds(mid + o.duration / 2 + 10));
    Simulator::Run();

    std::vector<PptpCallStats> calls = pptpd->GetCalls();
    for (uint32_t i = 0; i < o.clients; ++i)
    {
        Tunnel t;
        Ptr<PptpClient> c = pptp[i];
        t.clientCallId = o.distinct ? o.callId + i : o.callId;
        t.serverCallId = c->GetServerCallId();
        t.replyPeerCallId = c->GetReplyPeerCallId();
        t.finished = c->IsFinished();
        t.failure = c->GetFailureReason();
        t.client = c->GetStats();
        t.setupMs = c->GetSetupTime().GetSeconds() * 1000;
        for (const auto& call : calls)
        {
            if (c->IsCallEstablished() && call.localCallId == t.serverCallId)
            {
                t.server = call;
                t.serverSawCallId = call.peerCallId;
            }
        }
        out.tunnels.push_back(t);
    }
    out.pinholesMatched = fgt->GetExpectations().GetMatched();
    out.denied = fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY);
    out.serverUnknownGre = pptpd->GetUnknownGre();
    Simulator::Destroy();
    return out;
}

/// Keep the session blocks of a diagnose output that mention \p a or \p b.
std::string
Blocks(const std::string& text, const std::string& a, const std::string& b)
{
    std::ostringstream out;
    const std::string marker = "session info:";
    size_t pos = text.find(marker);
    while (pos != std::string::npos)
    {
        size_t next = text.find(marker, pos + marker.size());
        std::string block =
            text.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        size_t total = block.find("total session");
        if (total != std::string::npos)
        {
            block.erase(total);
        }
        if (block.find(a) != std::string::npos || block.find(b) != std::string::npos)
        {
            out << block;
        }
        pos = next;
    }
    size_t total = text.find("total session");
    if (total != std::string::npos)
    {
        out << text.substr(total);
    }
    return out.str();
}

std::string
Mbps(double bps)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << bps / 1e6;
    return os.str();
}

} // namespace

int
main(int argc, char* argv[])
{
    Options o;
    bool quick = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short run (for tests): 2 s calls at 1 Mbit/s", quick);
    cmd.AddValue("clients", "PPTP clients behind the FortiGate", o.clients);
    cmd.AddValue("callId", "Call ID the clients use", o.callId);
    cmd.AddValue("distinct", "Give each client its own Call ID (callId + i)", o.distinct);
    cmd.AddValue("packetSize", "PPP bytes per GRE frame", o.packetSize);
    cmd.AddValue("rate", "GRE rate per tunnel and direction", o.rate);
    cmd.AddValue("duration", "Seconds of data per call", o.duration);
    cmd.Parse(argc, argv);
    if (quick)
    {
        o.duration = 2;
        o.rate = "1Mbps";
    }
    if (o.clients == 0 || o.clients > 200)
    {
        std::cerr << "pptp-nat: --clients must be 1..200\n";
        return 1;
    }

    std::cout << "pptp-nat: " << o.clients << " PPTP clients (Call ID "
              << (o.distinct ? "distinct" : std::to_string(o.callId) + " for all")
              << ") -> NAT 203.0.113.1 -> server 198.51.100.7, " << o.packetSize
              << "-byte PPP frames at " << o.rate << " each way for " << o.duration
              << " s per call\n";
    std::ostringstream summary;
    summary << " clients=" << o.clients;
    for (bool helper : {true, false})
    {
        Run r = RunOnce(o, helper);
        const std::string tag = helper ? "helper" : "nohelper";
        std::cout << "\n=== pptp session helper " << (helper ? "on" : "off (entry 1 deleted)")
                  << "\n";
        std::cout << std::left << std::setw(8) << "tunnel" << std::setw(9) << "callid"
                  << std::setw(11) << "server-saw" << std::setw(9) << "srv-cid" << std::setw(9)
                  << "reply" << std::setw(8) << "setup" << std::right << std::setw(9) << "c2s-tx"
                  << std::setw(9) << "c2s-rx" << std::setw(6) << "lost" << std::setw(6) << "tail"
                  << std::setw(9) << "Mbit/s" << std::setw(9) << "s2c-tx" << std::setw(9)
                  << "s2c-rx" << std::setw(6) << "lost" << std::setw(6) << "tail" << std::setw(9)
                  << "Mbit/s"
                  << "  carried\n";
        uint32_t both = 0;
        uint32_t oneWay = 0;
        uint32_t none = 0;
        std::set<uint16_t> seen;
        for (size_t i = 0; i < r.tunnels.size(); ++i)
        {
            const Tunnel& t = r.tunnels[i];
            std::string carried = t.Carried();
            both += carried == "both" ? 1 : 0;
            oneWay += carried == "c2s" || carried == "s2c" ? 1 : 0;
            none += carried == "none" ? 1 : 0;
            if (t.server.rxPackets > 0)
            {
                seen.insert(t.serverSawCallId);
            }
            std::ostringstream setup;
            setup << std::fixed << std::setprecision(1) << t.setupMs;
            std::cout << std::left << std::setw(8) << ("t" + std::to_string(i + 1)) << std::setw(9)
                      << t.clientCallId << std::setw(11) << t.serverSawCallId << std::setw(9)
                      << t.serverCallId << std::setw(9) << t.replyPeerCallId << std::setw(8)
                      << setup.str() << std::right << std::setw(9) << t.client.txPackets
                      << std::setw(9) << t.server.rxPackets << std::setw(6) << t.server.rxLost
                      << std::setw(6) << Missing(t.client, t.server) - t.server.rxLost
                      << std::setw(9) << Mbps(t.server.RxThroughputBps()) << std::setw(9)
                      << t.server.txPackets << std::setw(9) << t.client.rxPackets << std::setw(6)
                      << t.client.rxLost << std::setw(6)
                      << Missing(t.server, t.client) - t.client.rxLost << std::setw(9)
                      << Mbps(t.client.RxThroughputBps()) << "  " << carried
                      << (t.finished ? "" : "  (client: " + t.failure + ")") << "\n";
            summary << " " << tag << "_t" << (i + 1) << "=" << carried;
        }
        std::cout << "(lost: gaps in the GRE sequence numbers; tail: sent after the last frame "
                     "received, e.g. on the way when the call was cleared)\n"
                  << "GRE sessions mid-call: " << r.greSessionsMidCall
                  << ", pinholes used: " << r.pinholesMatched << ", policy denials: " << r.denied
                  << ", GRE the server could not place: " << r.serverUnknownGre << "\n";
        if (helper)
        {
            std::cout << "\n--- mid-call, helper on\nFGT # diagnose sys session list"
                      << " (GRE and PPTP control sessions)\n"
                      << Blocks(r.sessionList, "proto=47", ":1723")
                      << "\nFGT # diagnose sys session list expectation\n"
                      << r.expectList;
        }
        summary << " " << tag << "_both_ways=" << both << " " << tag << "_one_way=" << oneWay << " "
                << tag << "_none=" << none << " " << tag
                << "_distinct_call_ids_at_server=" << seen.size();
    }
    std::cout << "\nsummary:" << summary.str() << std::endl;
    return 0;
}
