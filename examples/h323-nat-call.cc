/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * h323-nat-call: an H.323 terminal behind a source-NATing FortiGate calls a terminal on the
 * WAN, with fast start, with a separate H.245 channel, and through a gatekeeper (RAS
 * registration and admission; the gatekeeper names two alternate gatekeepers), each with the
 * h323 and ras session helpers (entries 2 and 3) and without them (deleted).
 *
 *   caller 10.0.1.2 -- port1 [FortiGate, NAT] port2 203.0.113.1 -- isp -- 198.51.100.0/24
 *                                                          callee 198.51.100.2, gatekeeper .5
 *
 * The only policy is port1 -> port2 with NAT; nothing from the WAN is allowed but what a
 * helper's pinhole lets in. The caller's messages carry its private address (Setup fast start
 * RTP/RTCP, H.245 OpenLogicalChannel(Ack), RAS RRQ call-signalling address).
 *
 * What to expect: with the helpers every call has two-way media: the addresses are rewritten
 * to 203.0.113.1 and pinholes let the callee's RTP in. Without them the caller still reaches
 * the callee (the callee's addresses are public) but the callee sends its RTP to 10.0.1.2,
 * which the WAN does not route: one-way.
 */
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iostream>
#include <sstream>

using namespace ns3;

namespace
{

/// What one call gave.
struct Outcome
{
    uint64_t callerRx{0};   //!< RTP packets the caller received
    uint64_t calleeRx{0};   //!< RTP packets the callee received
    bool connected{false};  //!< the callee saw the Setup and answered
    uint32_t alternates{0}; //!< alternate gatekeepers the caller learned
    uint64_t pinholes{0};   //!< pinholes used

    /// \return two-way, one-way or not-connected
    std::string Media() const
    {
        if (callerRx > 0 && calleeRx > 0)
        {
            return "two-way";
        }
        return callerRx > 0 || calleeRx > 0 ? "one-way" : "not-connected";
    }
};

/// Run one call in a fresh simulation: \p mode "faststart", "h245" or "gatekeeper".
Outcome
RunCall(const std::string& mode, bool helper)
{
    Ptr<Node> caller = CreateObject<Node>();
    Ptr<Node> fgtNode = CreateObject<Node>();
    Ptr<Node> isp = CreateObject<Node>();
    Ptr<Node> callee = CreateObject<Node>();
    Ptr<Node> gk = CreateObject<Node>();
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    NetDeviceContainer lanDevs = p2p.Install(caller, fgtNode);
    NetDeviceContainer wanDevs = p2p.Install(fgtNode, isp);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    NetDeviceContainer farDevs = csma.Install(NodeContainer(isp, callee, gk));
    InternetStackHelper stack;
    NodeContainer all(caller, fgtNode, isp, callee, gk);
    stack.Install(all);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0", "0.0.0.2");
    Ipv4InterfaceContainer lanIf = addr.Assign(lanDevs); // caller .2, FortiGate .3
    addr.SetBase("203.0.113.0", "255.255.255.0");
    Ipv4InterfaceContainer wanIf = addr.Assign(wanDevs); // FortiGate .1, isp .2
    addr.SetBase("198.51.100.0", "255.255.255.0");
    Ipv4InterfaceContainer farIf = addr.Assign(NetDeviceContainer(farDevs.Get(0)));
    addr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.2");
    addr.Assign(NetDeviceContainer(farDevs.Get(1))); // callee .2
    addr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.5");
    addr.Assign(NetDeviceContainer(farDevs.Get(2))); // gatekeeper .5
    stack.AssignStreams(all, 1);
    Ipv4StaticRoutingHelper srh;
    srh.GetStaticRouting(caller->GetObject<Ipv4>())->SetDefaultRoute(lanIf.GetAddress(1), 1);
    srh.GetStaticRouting(fgtNode->GetObject<Ipv4>())->SetDefaultRoute(wanIf.GetAddress(1), 2);
    for (Ptr<Node> n : {callee, gk})
    {
        srh.GetStaticRouting(n->GetObject<Ipv4>())->SetDefaultRoute(farIf.GetAddress(0), 1);
    }
    srh.GetStaticRouting(isp->GetObject<Ipv4>())
        ->AddNetworkRouteTo(Ipv4Address("203.0.113.0"), Ipv4Mask("255.255.255.0"), 1);

    FortiGateConfig cfg;
    for (const char* name : {"port1", "port2"})
    {
        InterfaceConfig intf;
        intf.name = name;
        cfg.AddInterface(intf);
    }
    FirewallPolicy out;
    out.id = 1;
    out.name = "lan-to-wan";
    out.srcintf = {"port1"};
    out.dstintf = {"port2"};
    out.srcaddr = {"all"};
    out.dstaddr = {"all"};
    out.service = {"ALL"};
    out.action = FirewallPolicy::ACCEPT;
    out.nat = true;
    cfg.AddPolicy(out);
    if (!helper)
    {
        cfg.DeleteSessionHelper(2); // h323
        cfg.DeleteSessionHelper(3); // ras
    }
    FortiGateHelper fgtHelper;
    fgtHelper.SetConfig(cfg);
    Ptr<FortiGateNode> fgt = fgtHelper.Install(fgtNode);
    fgtHelper.AssignStreams(NodeContainer(fgtNode), 100);

    const Ipv4Address gkAddr("198.51.100.5");
    const bool viaGk = mode == "gatekeeper";
    if (viaGk)
    {
        H323GatekeeperHelper gkHelper;
        gkHelper.SetAttribute("AlternateGatekeepers", StringValue("198.51.100.6,198.51.100.7"));
        gkHelper.Install(gk).Start(Seconds(0));
    }
    H323TerminalHelper calleeHelper("callee");
    calleeHelper.SetAttribute("RtpPort", UintegerValue(20000));
    if (viaGk)
    {
        calleeHelper.SetAttribute("Gatekeeper", Ipv4AddressValue(gkAddr));
    }
    Ptr<H323Terminal> b = DynamicCast<H323Terminal>(calleeHelper.Install(callee).Get(0));
    b->SetStartTime(Seconds(0.5));
    H323TerminalHelper callerHelper("caller", Ipv4Address("198.51.100.2"));
    callerHelper.SetAttribute("FastStart", BooleanValue(mode != "h245"));
    callerHelper.SetAttribute("CallDuration", TimeValue(Seconds(2)));
    if (viaGk)
    {
        callerHelper.SetAttribute("Gatekeeper", Ipv4AddressValue(gkAddr));
    }
    Ptr<H323Terminal> a = DynamicCast<H323Terminal>(callerHelper.Install(caller).Get(0));
    a->SetStartTime(Seconds(1));

    Simulator::Stop(Seconds(5));
    Simulator::Run();
    Outcome o;
    o.callerRx = a->GetRtp() ? a->GetRtp()->GetStats().packetsReceived : 0;
    o.calleeRx = b->GetRtp() ? b->GetRtp()->GetStats().packetsReceived : 0;
    o.connected = b->IsConnected();
    o.alternates = a->GetAlternateGatekeepers();
    o.pinholes = fgt->GetExpectations().GetMatched();
    Simulator::Destroy();
    return o;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short run (for tests; the runs are short anyway)", quick);
    cmd.Parse(argc, argv);

    std::cout << "h323-nat-call: caller 10.0.1.2 behind a NATing FortiGate (203.0.113.1) calls "
                 "198.51.100.2; gatekeeper 198.51.100.5\n\n";
    std::ostringstream summary;
    for (bool helper : {true, false})
    {
        for (const char* mode : {"faststart", "h245", "gatekeeper"})
        {
            const Outcome o = RunCall(mode, helper);
            std::cout << "call=" << mode << " helpers=" << (helper ? "on " : "off")
                      << " connected=" << (o.connected ? "yes" : "no")
                      << " caller_rtp_rx=" << o.callerRx << " callee_rtp_rx=" << o.calleeRx
                      << " media=" << o.Media() << " alternate_gatekeepers=" << o.alternates
                      << " pinholes_used=" << o.pinholes << "\n";
            summary << " " << mode << "_" << (helper ? "helper" : "nohelper") << "=" << o.Media();
        }
    }
    std::cout << "summary:" << summary.str() << std::endl;
    return 0;
}
