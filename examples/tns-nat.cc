/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * tns-nat: an Oracle TNS client outside, the database behind a VIP, the listener's REDIRECT
 * followed with and without the tns session helper.
 *
 *   outside client                 ISP router                          database
 *   198.51.100.6 -- 198.51.100.0/24 -- r -- 203.0.113.0/24 -- port1 [FortiGate] port2 -- 10.0.2.2
 *                                                    VIP 203.0.113.100 -> 10.0.2.2
 *
 * The only policy lets the service TNS (custom, TCP 1521) through to the VIP. The client
 * connects to 203.0.113.100:1521; the listener answers with a REDIRECT to its dedicated server
 * port 40001, naming as HOST either its own address 10.0.2.2 ("real") or the VIP address
 * 203.0.113.100 ("vip", a listener configured with the public name). The client follows the
 * redirect, connects again, and sends one DATA packet that the dedicated server echoes.
 * Every case runs in a fresh simulation, with the tns helper (default entry 4) and without it
 * (entry 4 deleted).
 *
 * What to expect: with the helper both cases complete: HOST 10.0.2.2 is rewritten to the VIP
 * address (packet and connect-data lengths fixed) and a temporary pinhole lets the connection
 * to port 40001 in. Without it neither does: the client is told the private 10.0.2.2 (not
 * routed outside), or it reaches the VIP on port 40001, which no policy allows.
 */
#include "vip-scenario.h"

#include <iostream>
#include <sstream>
#include <string>

using namespace ns3;

namespace
{

/// What one run gave.
struct Outcome
{
    bool completed{false};    //!< the echo came back from the dedicated server
    std::string redirectHost; //!< HOST as the client received it
    uint64_t pinholes{0};     //!< pinholes used
    uint64_t denied{0};       //!< packets denied by policy
};

/// Run one case in a fresh simulation.
Outcome
RunCase(bool hostIsVip, bool helper)
{
    VipScenario sc({"TNS"});
    FortiGateConfig& cfg = sc.cfg;
    FirewallService tns;
    tns.name = "TNS";
    tns.tcp = {PortRange{1521, 1521, 0, 65535}};
    cfg.AddService(tns);
    if (!helper)
    {
        cfg.DeleteSessionHelper(4); // tns
    }
    Ptr<FortiGateNode> fgt = sc.Install();
    Ptr<Node> client = sc.client;

    TnsListenerHelper listener(Ipv4Address(hostIsVip ? "203.0.113.100" : "10.0.2.2"));
    listener.Install(sc.server).Start(Seconds(0));
    TnsClientHelper clientHelper(Ipv4Address("203.0.113.100"));
    Ptr<TnsClient> c = DynamicCast<TnsClient>(clientHelper.Install(client).Get(0));
    c->SetStartTime(Seconds(1));

    Simulator::Stop(Seconds(10));
    Simulator::Run();
    Outcome out;
    out.completed = c->IsCompleted();
    out.redirectHost = c->GetRedirectHost();
    out.pinholes = fgt->GetExpectations().GetMatched();
    out.denied = fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY);
    Simulator::Destroy();
    return out;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short run (for tests; the runs are short anyway)", quick);
    cmd.Parse(argc, argv);

    std::cout << "tns-nat: client 198.51.100.6 -> listener VIP 203.0.113.100:1521 -> 10.0.2.2, "
                 "REDIRECT to port 40001; policy service TNS (tcp/1521) only\n\n";
    std::ostringstream summary;
    uint32_t okHelper = 0;
    uint32_t okNoHelper = 0;
    for (bool helper : {true, false})
    {
        for (bool hostIsVip : {false, true})
        {
            const Outcome o = RunCase(hostIsVip, helper);
            (helper ? okHelper : okNoHelper) += o.completed ? 1 : 0;
            std::cout << "redirect_host=" << (hostIsVip ? "vip " : "real")
                      << " helper=" << (helper ? "on " : "off")
                      << " result=" << (o.completed ? "completed" : "FAILED")
                      << " client_saw_host=" << (o.redirectHost.empty() ? "none" : o.redirectHost)
                      << " pinholes_used=" << o.pinholes << " denied=" << o.denied << "\n";
            summary << " " << (hostIsVip ? "vip" : "real") << "_"
                    << (helper ? "helper" : "nohelper") << "=" << (o.completed ? "ok" : "fail");
        }
    }
    std::cout << "summary:" << summary.str() << " completed_helper=" << okHelper
              << "/2 completed_nohelper=" << okNoHelper << "/2" << std::endl;
    return 0;
}
