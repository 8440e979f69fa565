/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mgcp-nat-call: MGCP residential gateways behind a FortiGate, their call agent on the WAN,
 * with and without the FortiGate's mgcp session helper, each in a fresh simulation.
 *
 *   gw1 10.0.1.10 (aaln/1) \                              ISP router
 *                           CSMA 10.0.1.0/24 -- port1 [FortiGate] port2 -- 203.0.113.0/24 -- r
 *   gw2 10.0.1.11 (aaln/2) /          (.1)      NAT to 203.0.113.1 (.1)          (.2) | (.1)
 *                                                                 CSMA 198.51.100.0/24 --+
 *                                  call agent 198.51.100.7:2727 -------------------------+
 *                                  gw3 198.51.100.20 (aaln/3) ---------------------------+
 *
 * Policy 1 (port1 -> port2, ALL, NAT) is the only policy. Each gateway announces itself with
 * RSIP (its endpoint name carries its own address as a literal, `aaln/1@[10.0.1.10]`); the
 * call agent answers on the NAT mapping and sends RQNT. Then:
 * - call 1: gw1 goes off-hook (NTFY), the agent calls gw3: CRCX gw1 (its SDP), CRCX gw3 (with
 *   gw1's SDP), MDCX gw1 (with gw3's SDP), media both ways for --talk s, DLCX both;
 * - call 2: gw3 goes off-hook and the agent calls gw2 the same way (gw2's CRCX reaches it on
 *   the mapping of its RSIP).
 * With the helper, the endpoint literals and the SDP of the gateways behind the NAT carry the
 * public address 203.0.113.1 at the agent (and their own again on the way back), and the CRCX
 * responses open RTP/RTCP pinholes: media flows both ways. Without it (session-helper entries
 * 19 and 20 deleted) the agent sees the private addresses: gw3 sends its media to 10.0.1.x,
 * which the ISP router cannot route, while the gateway behind the NAT reaches gw3: one-way.
 *
 * The report gives per run and call: MGCP steps completed, RTP packets each way, the verdict
 * (two-way / one-way / not-connected, as sip-nat-call), the endpoint names the agent learnt,
 * and the helper's diagnose output and pinholes mid-call.
 */

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/mgcp-helper.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MgcpNatCallExample");

namespace
{

/// One call's outcome.
struct CallOutcome
{
    MgcpCallRecord record; //!< the agent's view
    uint64_t callerRx{0};  //!< RTP packets the caller's gateway received
    uint64_t calleeRx{0};  //!< RTP packets the callee's gateway received
    std::string verdict;   //!< two-way / one-way / not-connected
};

/// One run's outcome.
struct RunOutcome
{
    std::vector<CallOutcome> calls;           //!< per call
    std::map<std::string, std::string> names; //!< endpoint names at the agent
    std::string diagnose;                     //!< diagnose sys mgcp-model counters at the end
    std::string expectations;                 //!< pinholes mid-call 1
    uint64_t pinholesUsed{0};                 //!< pinholes that created a session
};

RunOutcome
Run(bool helper, double talk)
{
    RunOutcome out;
    NodeContainer lan;
    lan.Create(2);
    Ptr<Node> fgtNode = CreateObject<Node>();
    Ptr<Node> isp = CreateObject<Node>();
    NodeContainer wan; // call agent, gw3
    wan.Create(2);

    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    NodeContainer lanNodes(lan);
    lanNodes.Add(fgtNode);
    NetDeviceContainer lanDevs = csma.Install(lanNodes);
    NodeContainer wanNodes(isp);
    wanNodes.Add(wan);
    NetDeviceContainer wanLan = csma.Install(wanNodes);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer uplink = p2p.Install(fgtNode, isp);

    InternetStackHelper stack;
    NodeContainer all(lan);
    all.Add(fgtNode);
    all.Add(isp);
    all.Add(wan);
    stack.Install(all);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0", "0.0.0.10");
    Ipv4InterfaceContainer lanIf = addr.Assign(lanDevs); // gw1 .10, gw2 .11, FortiGate .12
    addr.SetBase("203.0.113.0", "255.255.255.0", "0.0.0.1");
    Ipv4InterfaceContainer upIf = addr.Assign(uplink); // FortiGate .1, ISP .2
    Ipv4AddressHelper wanAddr;
    wanAddr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.1");
    Ipv4InterfaceContainer ispIf = wanAddr.Assign(NetDeviceContainer(wanLan.Get(0)));
    Ipv4AddressHelper caAddr;
    caAddr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.7");
    Ipv4InterfaceContainer caIf = caAddr.Assign(NetDeviceContainer(wanLan.Get(1)));
    Ipv4AddressHelper gw3Addr;
    gw3Addr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.20");
    Ipv4InterfaceContainer gw3If = gw3Addr.Assign(NetDeviceContainer(wanLan.Get(2)));
    stack.AssignStreams(all, 1);

    Ipv4StaticRoutingHelper srh;
    for (uint32_t i = 0; i < 2; ++i)
    {
        srh.GetStaticRouting(lan.Get(i)->GetObject<Ipv4>())
            ->SetDefaultRoute(lanIf.GetAddress(2), 1);
        srh.GetStaticRouting(wan.Get(i)->GetObject<Ipv4>())
            ->SetDefaultRoute(ispIf.GetAddress(0), 1);
    }
    srh.GetStaticRouting(fgtNode->GetObject<Ipv4>())->SetDefaultRoute(upIf.GetAddress(1), 2);

    FortiGateConfig cfg;
    for (const char* name : {"port1", "port2"})
    {
        InterfaceConfig intf;
        intf.name = name;
        cfg.AddInterface(intf);
    }
    FirewallPolicy out1;
    out1.id = 1;
    out1.name = "lan-to-wan";
    out1.srcintf = {"port1"};
    out1.dstintf = {"port2"};
    out1.srcaddr = {"all"};
    out1.dstaddr = {"all"};
    out1.service = {"ALL"};
    out1.action = FirewallPolicy::ACCEPT;
    out1.nat = true;
    cfg.AddPolicy(out1);
    if (!helper)
    {
        // config system session-helper / delete 19 / delete 20 (the seed's procedure)
        cfg.DeleteSessionHelper(19);
        cfg.DeleteSessionHelper(20);
    }
    FortiGateHelper fgtHelper;
    fgtHelper.SetConfig(cfg);
    Ptr<FortiGateNode> fgt = fgtHelper.Install(fgtNode);
    fgtHelper.AssignStreams(NodeContainer(fgtNode), 100);

    const Ipv4Address ca = caIf.GetAddress(0);
    MgcpCallAgentHelper agentHelper;
    agentHelper.SetAttribute("TalkTime", TimeValue(Seconds(talk)));
    agentHelper.SetAttribute("NotifiedEntity", StringValue("ca@[198.51.100.7]:2727"));
    ApplicationContainer agentApp = agentHelper.Install(wan.Get(0));
    Ptr<MgcpCallAgent> agent = DynamicCast<MgcpCallAgent>(agentApp.Get(0));
    agent->AddCall("aaln/1", "aaln/3");
    agent->AddCall("aaln/3", "aaln/2");
    MgcpCallAgentHelper::AssignStreams(agentApp, 200);

    MgcpGatewayHelper gwHelper(ca);
    std::vector<Ptr<MgcpGateway>> gws;
    const char* names[] = {"aaln/1@[10.0.1.10]", "aaln/2@[10.0.1.11]", "aaln/3@[198.51.100.20]"};
    const double offHook[] = {2, 0, 2 + talk + 2};
    for (uint32_t i = 0; i < 3; ++i)
    {
        gwHelper.SetAttribute("EndpointName", StringValue(names[i]));
        gwHelper.SetAttribute("OffHookTime", TimeValue(Seconds(offHook[i])));
        ApplicationContainer a = gwHelper.Install(i < 2 ? lan.Get(i) : wan.Get(1));
        a.Start(Seconds(0.5 + 0.1 * i));
        MgcpGatewayHelper::AssignStreams(a, 300 + i);
        gws.push_back(DynamicCast<MgcpGateway>(a.Get(0)));
    }

    Simulator::Schedule(Seconds(2.5 + talk / 2), [fgt, &out]() {
        out.expectations = fgt->Diagnose("diagnose sys session list expectation");
    });
    Simulator::Stop(Seconds(2 * talk + 8));
    Simulator::Run();

    const std::vector<MgcpCallRecord>& records = agent->GetCalls();
    const int callers[] = {0, 2};
    const int callees[] = {2, 1};
    for (std::size_t i = 0; i < records.size(); ++i)
    {
        CallOutcome c;
        c.record = records[i];
        // Each gateway's connections in call order: gw3 takes part in both calls.
        const auto stats = [&](int gw, bool first) {
            const std::vector<RtpStreamStats> s = gws[gw]->GetMediaStats();
            if (s.empty())
            {
                return uint64_t{0};
            }
            return (first || s.size() < 2) ? s.front().packetsReceived : s.back().packetsReceived;
        };
        c.callerRx = stats(callers[i], i == 0);
        c.calleeRx = stats(callees[i], i == 0);
        c.verdict = c.callerRx > 0 && c.calleeRx > 0   ? "two-way"
                    : c.callerRx > 0 || c.calleeRx > 0 ? "one-way"
                                                       : "not-connected";
        out.calls.push_back(c);
    }
    out.names = agent->GetEndpoints();
    out.diagnose = fgt->Diagnose("diagnose sys mgcp-model counters");
    out.pinholesUsed = fgt->GetExpectations().GetMatched();
    Simulator::Destroy();
    return out;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    double talk = 5;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short run (for tests): 2 s of talk per call", quick);
    cmd.AddValue("talk", "Seconds of media per call", talk);
    cmd.Parse(argc, argv);
    if (quick)
    {
        talk = 2;
    }
    std::cout << "mgcp-nat-call: gw1 10.0.1.10 and gw2 10.0.1.11 behind a FortiGate (NAT "
                 "203.0.113.1), call agent 198.51.100.7, gw3 198.51.100.20\n"
              << "  call1: gw1 (aaln/1) -> gw3 (aaln/3); call2: gw3 (aaln/3) -> gw2 (aaln/2); "
              << talk << " s of G.711 each\n"
              << "  helper off = session-helper entries 19 and 20 (mgcp 2427/2727) deleted\n\n";
    std::ostringstream summary;
    for (bool helper : {true, false})
    {
        const RunOutcome o = Run(helper, talk);
        const std::string tag = helper ? "helper" : "nohelper";
        std::cout << "=== " << tag << "\n";
        std::cout << "  endpoints at the call agent:";
        for (const auto& [local, name] : o.names)
        {
            std::cout << " " << name;
        }
        std::cout << "\n";
        for (std::size_t i = 0; i < o.calls.size(); ++i)
        {
            const CallOutcome& c = o.calls[i];
            std::cout << "  call" << i + 1 << " " << c.record.caller << " -> " << c.record.callee
                      << ": off-hook " << (c.record.offHook ? "yes" : "no") << ", CRCX "
                      << (c.record.callerCreated ? "ok" : "-") << "/"
                      << (c.record.calleeCreated ? "ok" : "-") << ", MDCX "
                      << (c.record.modified ? "ok" : "-") << ", DLCX "
                      << (c.record.deleted ? "ok" : "-") << "; RTP received: caller " << c.callerRx
                      << ", callee " << c.calleeRx << " -> " << c.verdict
                      << (c.record.failure.empty() ? "" : " (" + c.record.failure + ")") << "\n";
            summary << " " << tag << "_call" << i + 1 << "=" << c.verdict;
        }
        std::cout << "  pinholes used: " << o.pinholesUsed << "\n";
        if (helper)
        {
            std::cout << "  mid-call 1: FGT # diagnose sys session list expectation\n"
                      << o.expectations << "  at the end: FGT # diagnose sys mgcp-model counters\n"
                      << o.diagnose;
        }
        std::cout << "\n";
    }
    std::cout << "summary:" << summary.str() << " talk_seconds=" << talk << std::endl;
    return 0;
}
