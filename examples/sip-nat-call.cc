/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * sip-nat-call (the flagship): SIP phones behind a FortiGate register with a provider and call,
 * once per VoIP mode, each in a fresh simulation:
 *   alg     the SIP ALG (default-voip-alg-mode proxy-based, the FortiOS default; no voip-profile
 *           on the policy, so the ALG applies the profile "default");
 *   kernel  the SIP session helper (default-voip-alg-mode kernel-helper-based, no voip-profile:
 *           session-helper entry 13, sip UDP 5060, handles SIP);
 *   none    neither (kernel-helper-based and entry 13 deleted): SIP passes as plain traffic.
 *
 *   alice 10.0.1.10 \                                   ISP router
 *                    CSMA 10.0.1.0/24 -- port1 [FortiGate] port2 -- 203.0.113.0/24 -- r (.2)
 *   carol 10.0.1.11 /          (.1)      NAT to 203.0.113.1 (.1)                       | (.1)
 *                                                              CSMA 198.51.100.0/24 --+
 *                          provider 198.51.100.7: registrar/proxy :5060, IVR :5080 --+
 *                                                       bob 198.51.100.20:5060 ----+
 *
 * Policy 1 (port1 -> port2, ALL, NAT) is the only policy: nothing from the WAN may open a
 * session except through a pinhole or as the reply of a session.
 *
 * What happens (alice, carol and bob are registered at the provider):
 * - alice calls bob through the provider's proxy (it Record-Routes, so the BYE crosses it);
 * - bob calls carol through the proxy: the proxy sends the INVITE to the Contact carol
 *   registered, from 198.51.100.7:5060, i.e. on the NAT mapping of carol's REGISTER session;
 * - the provider's IVR (on the registrar's host, port 5080) calls alice straight at the Contact
 *   the registrar holds for her: a new flow that only the REGISTER pinhole (from the registrar's
 *   address, any port, for the registration's lifetime) lets in.
 * Callees answer at once (no ringing time), so the setup delay (INVITE to 200 OK at the
 * caller) is network and FortiGate processing only. The FortiGate's CPU model has its default
 * costs: the ALG's proxy work per SIP message shows in the setup delay.
 *
 * The report gives per mode: registrations (and the Contact the provider stored), setup delay,
 * audio (two-way / one-way / none, from both ends' RTP counters), RTP packets each way, and the
 * SIP sessions and pinholes mid-call in `diagnose sys session list` / `diagnose sys session
 * list expectation` format (RTP media sessions left out of the session list). It writes
 * sip-nat-call-setup-delay.plt (ns3::Gnuplot) and, when gnuplot is installed, the PNG.
 *
 * Load (for sweeps, e.g. examples/python/voip-mode-sweep.py): --callRate=R adds calls from
 * alice to bob through the proxy at R calls per second for --loadSeconds (each talks
 * --loadTalk seconds), after the three calls above are up; --cores sets the FortiGate's CPU
 * cores (the ALG's proxy work per SIP message queues there); --modes runs some modes only.
 * Each load call's setup delay is printed as a time series line
 *   series: <mode>_setup_ms <INVITE time, s> <setup delay, ms>
 * and the summary gets <mode>_load_calls, _load_answered, _load_setup_ms_mean and _p95.
 */

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/gnuplot.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("SipNatCallExample");

namespace
{

const char* const kFgtLan = "10.0.1.1";
const char* const kFgtWan = "203.0.113.1";
const char* const kRouterWan = "203.0.113.2";
const char* const kRouterIsp = "198.51.100.1";
const char* const kProvider = "198.51.100.7";
const char* const kBob = "198.51.100.20";
const uint16_t kIvrPort = 5080;

/// One VoIP mode.
struct Mode
{
    std::string key;   //!< summary prefix: alg, kernel, none
    std::string title; //!< report heading
    std::string cli;   //!< FortiOS CLI applied on top of the base configuration
};

/// The base FortiOS configuration: one outbound policy with NAT.
const char* const kBaseCli = "config firewall policy\n"
                             "    edit 1\n"
                             "        set name \"phones-out\"\n"
                             "        set srcintf \"port1\"\n"
                             "        set dstintf \"port2\"\n"
                             "        set action accept\n"
                             "        set srcaddr \"all\"\n"
                             "        set dstaddr \"all\"\n"
                             "        set schedule \"always\"\n"
                             "        set service \"ALL\"\n"
                             "        set nat enable\n"
                             "    next\n"
                             "end\n";

std::vector<Mode>
Modes()
{
    return {
        {"alg",
         "SIP ALG (proxy-based, the default; policy without voip-profile: profile \"default\")",
         "config system settings\n"
         "    set default-voip-alg-mode proxy-based\n"
         "end\n"},
        {"kernel",
         "SIP session helper (kernel-helper-based, no voip-profile)",
         "config system settings\n"
         "    set default-voip-alg-mode kernel-helper-based\n"
         "end\n"},
        {"none",
         "neither (kernel-helper-based, session-helper entry 13 deleted)",
         "config system settings\n"
         "    set default-voip-alg-mode kernel-helper-based\n"
         "end\n"
         "config system session-helper\n"
         "    delete 13\n"
         "end\n"},
    };
}

/// What one call did, from both ends.
struct CallResult
{
    bool placed{false};   //!< the caller had a target (the callee was reachable on paper)
    bool answered{false}; //!< the caller got a 200
    double setupMs{-1};   //!< INVITE to 200 OK at the caller, ms (-1: not answered)
    SipAudioVerdict verdict{SIP_AUDIO_NOT_CONNECTED}; //!< from the caller's side
    uint64_t callerToCallee{0};                       //!< RTP packets the callee received
    uint64_t calleeToCaller{0};                       //!< RTP packets the caller received
    std::string state;                                //!< caller's final call state and reason
};

/// What one mode's run produced.
struct ModeResult
{
    bool registered[3]{false, false, false};     //!< alice, carol, bob have a binding
    std::string contact[3];                      //!< the Contact the provider stored for each
    CallResult out;                              //!< alice -> bob through the proxy
    CallResult inProxy;                          //!< bob -> carol through the proxy
    CallResult inPinhole;                        //!< IVR -> alice through the REGISTER pinhole
    std::string sessions;                        //!< SIP session blocks mid-call
    uint32_t mediaSessions{0};                   //!< sessions left out of \c sessions
    std::string expectations;                    //!< diagnose sys session list expectation mid-call
    uint64_t pinholesUsed{0};                    //!< pinholes matched by a packet
    std::vector<std::pair<double, double>> load; //!< load calls: (INVITE time s, setup ms or -1)
    std::string drops;                           //!< FortiGate drops by reason ("none" when none)
    std::string inviteTrace;                     //!< diagnose debug flow of alice's INVITE
    std::string voipLog;                         //!< execute log display, category voip

    /// \return true when the three phones registered
    bool AllRegistered() const
    {
        return registered[0] && registered[1] && registered[2];
    }
};

/// \return a short token for a verdict: two-way, one-way, none, not-connected
std::string
AudioToken(SipAudioVerdict v)
{
    switch (v)
    {
    case SIP_AUDIO_TWO_WAY:
        return "two-way";
    case SIP_AUDIO_ONE_WAY_IN:
    case SIP_AUDIO_ONE_WAY_OUT:
        return "one-way";
    case SIP_AUDIO_NONE:
        return "none";
    default:
        return "not-connected";
    }
}

/// \return the caller-side result of call \p index of \p caller, using \p callee's record
CallResult
Collect(Ptr<SipUserAgent> caller, uint32_t index, Ptr<SipUserAgent> callee)
{
    CallResult r;
    if (index >= caller->GetCallCount())
    {
        return r;
    }
    r.placed = true;
    SipCallRecord c = caller->GetCall(index);
    r.answered = c.WasAnswered();
    r.setupMs = r.answered ? c.SetupDelay().GetSeconds() * 1000.0 : -1;
    r.calleeToCaller = c.PacketsReceived();
    SipCallRecord peer;
    if (callee->FindCall(c.callId, peer))
    {
        r.verdict = SipCombinedVerdict(c, peer);
        r.callerToCallee = peer.PacketsReceived();
    }
    else
    {
        r.verdict = r.answered ? c.Verdict() : SIP_AUDIO_NOT_CONNECTED;
    }
    r.state = std::string(SipCallStateName(c.state)) +
              (c.endReason.empty() ? "" : " (" + c.endReason + ")");
    return r;
}

/// Keep the session blocks of \p list that carry SIP (a :5060 or :5080 address); count others.
std::string
SipBlocks(const std::string& list, uint32_t& others)
{
    std::vector<std::string> blocks;
    std::size_t pos = 0;
    const std::string head = "session info:";
    std::string tail;
    while (true)
    {
        std::size_t start = list.find(head, pos);
        if (start == std::string::npos)
        {
            break;
        }
        std::size_t next = list.find(head, start + head.size());
        std::size_t end = next == std::string::npos ? list.size() : next;
        blocks.push_back(list.substr(start, end - start));
        pos = end;
    }
    std::string out;
    others = 0;
    for (const std::string& b : blocks)
    {
        if (b.find(":5060") != std::string::npos || b.find(":5080") != std::string::npos)
        {
            out += b;
        }
        else
        {
            ++others;
        }
    }
    // The list ends with a `total session N` line (outside the last block's text or in it).
    std::size_t total = list.rfind("total session");
    if (total != std::string::npos && out.find("total session") == std::string::npos)
    {
        out += list.substr(total);
    }
    return out;
}

void
Assign(Ptr<NetDevice> dev, const char* a)
{
    Ptr<Ipv4> ipv4 = dev->GetNode()->GetObject<Ipv4>();
    int32_t i = ipv4->GetInterfaceForDevice(dev);
    if (i < 0)
    {
        i = ipv4->AddInterface(dev);
    }
    ipv4->AddAddress(i, Ipv4InterfaceAddress(Ipv4Address(a), Ipv4Mask("255.255.255.0")));
    ipv4->SetUp(i);
}

void
DefaultRoute(Ptr<Node> n, const char* gw)
{
    Ptr<Ipv4> ipv4 = n->GetObject<Ipv4>();
    int32_t i = ipv4->GetInterfaceForPrefix(Ipv4Address(gw), Ipv4Mask("255.255.255.0"));
    Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->SetDefaultRoute(Ipv4Address(gw), i);
}

/// The extra calls of a sweep (all zero: none).
struct Load
{
    double rate{0};      //!< calls per second
    double seconds{2.0}; //!< how long calls keep being placed
    double talk{1.0};    //!< seconds of conversation per call
    uint32_t cores{0};   //!< FortiGate CPU cores (0: the model's default)
};

/// Run one mode in a fresh simulation.
ModeResult
RunMode(const Mode& mode, bool quick, bool fullList, const Load& load)
{
    const double talk = quick ? 2.0 : 10.0; // seconds of conversation per call
    const double outAt = 2.0;               // alice calls bob
    const double inProxyAt = 2.2;           // bob calls carol
    const double inPinholeAt = 2.4;         // the IVR calls alice
    const double snapshotAt = 3.5;          // all three calls up
    const double loadAt = 3.6;              // load calls start after the snapshot
    const uint32_t loadCalls = static_cast<uint32_t>(load.rate * load.seconds + 0.5);
    const double stopAt = std::max(2.4 + talk, loadAt + load.seconds + load.talk) + 3.0;

    NodeContainer phones(2);
    Ptr<Node> fgtNode = CreateObject<Node>();
    Ptr<Node> router = CreateObject<Node>();
    Ptr<Node> provider = CreateObject<Node>();
    Ptr<Node> bobNode = CreateObject<Node>();

    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("1Gbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    NodeContainer lanNodes(phones);
    lanNodes.Add(fgtNode);
    NetDeviceContainer lan = csma.Install(lanNodes);
    NetDeviceContainer isp = csma.Install(NodeContainer(router, provider, bobNode));
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer wan = p2p.Install(fgtNode, router);

    InternetStackHelper stack;
    NodeContainer all(phones, fgtNode, router, provider);
    all.Add(bobNode);
    stack.Install(all);
    Assign(lan.Get(2), kFgtLan); // port1
    Assign(wan.Get(0), kFgtWan); // port2
    Assign(lan.Get(0), "10.0.1.10");
    Assign(lan.Get(1), "10.0.1.11");
    Assign(wan.Get(1), kRouterWan);
    Assign(isp.Get(0), kRouterIsp);
    Assign(isp.Get(1), kProvider);
    Assign(isp.Get(2), kBob);
    DefaultRoute(phones.Get(0), kFgtLan);
    DefaultRoute(phones.Get(1), kFgtLan);
    DefaultRoute(provider, kRouterIsp);
    DefaultRoute(bobNode, kRouterIsp);
    DefaultRoute(fgtNode, kRouterWan);
    // The ISP router knows 203.0.113.0/24 and 198.51.100.0/24 only: private addresses that
    // leak into SIP/SDP lead nowhere.
    stack.AssignStreams(all, 1);
    csma.AssignStreams(lan, 50);
    csma.AssignStreams(isp, 60);

    FortiGateConfig cfg;
    for (const char* name : {"port1", "port2"})
    {
        InterfaceConfig intf;
        intf.name = name;
        cfg.AddInterface(intf);
    }
    FortiGateHelper fgtHelper;
    fgtHelper.SetConfig(cfg);
    fgtHelper.AddCliConfig(kBaseCli);
    fgtHelper.AddCliConfig(mode.cli);
    if (load.cores)
    {
        fgtHelper.SetCpuAttribute("Cores", UintegerValue(load.cores));
    }
    Ptr<FortiGateNode> fgt = fgtHelper.Install(fgtNode);
    fgtHelper.AssignStreams(NodeContainer(fgtNode), 100);

    // The provider: registrar + Record-Routing proxy on 5060.
    SipRegistrarHelper registrarHelper(5060);
    registrarHelper.SetAttribute("RecordRoute", BooleanValue(true));
    ApplicationContainer regApps = registrarHelper.Install(provider);
    regApps.Start(Seconds(0));
    Ptr<SipRegistrar> registrar = DynamicCast<SipRegistrar>(regApps.Get(0));

    // The provider's subscribers: alice and carol behind the FortiGate, bob on the WAN.
    SipUserAgentHelper subscribers{Ipv4Address(kProvider), 5060};
    subscribers.SetAttribute("RingTime", TimeValue(Seconds(0)));
    ApplicationContainer lanApps =
        subscribers.Install(phones, std::vector<std::string>{"alice", "carol"});
    lanApps.Start(Seconds(0.5));
    SipUserAgentHelper::AssignStreams(lanApps, 500);
    Ptr<SipUserAgent> alice = DynamicCast<SipUserAgent>(lanApps.Get(0));
    Ptr<SipUserAgent> carol = DynamicCast<SipUserAgent>(lanApps.Get(1));
    ApplicationContainer bobApps = subscribers.Install(bobNode, "bob");
    bobApps.Start(Seconds(0.5));
    SipUserAgentHelper::AssignStreams(bobApps, 600);
    Ptr<SipUserAgent> bob = DynamicCast<SipUserAgent>(bobApps.Get(0));

    // The provider's IVR, on the registrar's host: no outbound proxy, calls go straight out.
    SipUserAgentHelper ivrHelper;
    ivrHelper.SetAttribute("LocalPort", UintegerValue(kIvrPort));
    ivrHelper.SetAttribute("RtpPort", UintegerValue(30000));
    ApplicationContainer ivrApps = ivrHelper.Install(provider, "ivr");
    ivrApps.Start(Seconds(0.5));
    SipUserAgentHelper::AssignStreams(ivrApps, 700);
    Ptr<SipUserAgent> ivr = DynamicCast<SipUserAgent>(ivrApps.Get(0));

    alice->Call("bob", Seconds(outAt), Seconds(talk));
    for (uint32_t i = 0; i < loadCalls; ++i)
    {
        alice->Call("bob", Seconds(loadAt + i / load.rate), Seconds(load.talk));
    }
    bob->Call("carol", Seconds(inProxyAt), Seconds(talk));
    // The IVR calls alice where the provider's location service says she is.
    Simulator::Schedule(Seconds(inPinholeAt), [registrar, ivr, talk]() {
        SipBinding b;
        if (registrar->LookupBinding("alice", b))
        {
            ivr->Call(b.contact, Simulator::Now(), Seconds(talk));
        }
    });

    ModeResult res;
    Simulator::Schedule(Seconds(snapshotAt), [fgt, &res, fullList]() {
        const std::string list = fgt->Diagnose("diagnose sys session list");
        res.sessions = fullList ? list : SipBlocks(list, res.mediaSessions);
        res.expectations = fgt->Diagnose("diagnose sys session list expectation");
    });

    // The flow trace of alice's INVITE (her first packet to port 5060 after outAt): how the
    // ALG, the kernel helper or nothing handles it.
    Simulator::Schedule(Seconds(outAt) - MilliSeconds(1), [fgt]() {
        fgt->Execute("diagnose debug reset\n"
                     "diagnose debug flow filter saddr 10.0.1.10\n"
                     "diagnose debug flow filter dport 5060\n"
                     "diagnose debug flow show function-name enable\n"
                     "diagnose debug flow trace start 1\n"
                     "diagnose debug enable\n");
    });
    Simulator::Schedule(Seconds(outAt + 0.5), [fgt, &res]() {
        res.inviteTrace = fgt->ReadDebugConsole();
        fgt->Execute("diagnose debug disable\n");
    });

    Simulator::Stop(Seconds(stopAt));
    Simulator::Run();
    res.voipLog = fgt->Execute("execute log filter category voip\n"
                               "execute log filter view-lines 3\n"
                               "execute log display\n")
                      .output;

    const char* users[3] = {"alice", "carol", "bob"};
    for (int i = 0; i < 3; ++i)
    {
        SipBinding b;
        res.registered[i] = registrar->LookupBinding(users[i], b);
        res.contact[i] = res.registered[i] ? b.contact : "-";
    }
    res.out = Collect(alice, 0, bob);
    for (uint32_t i = 1; i <= loadCalls && i < alice->GetCallCount(); ++i)
    {
        const SipCallRecord c = alice->GetCall(i);
        res.load.emplace_back(c.scheduled.GetSeconds(),
                              c.WasAnswered() ? c.SetupDelay().GetSeconds() * 1000.0 : -1.0);
    }
    res.inProxy = Collect(bob, 0, carol);
    res.inPinhole = Collect(ivr, 0, alice);
    res.pinholesUsed = fgt->GetExpectations().GetMatched();
    for (int d = 0; d < FortiGateNode::DROP_REASON_COUNT; ++d)
    {
        const auto reason = static_cast<FortiGateNode::DropReason>(d);
        if (uint64_t n = fgt->GetDropCount(reason))
        {
            res.drops += std::string(res.drops.empty() ? "" : ", ") +
                         FortiGateNode::DropReasonName(reason) + " " + std::to_string(n);
        }
    }
    res.drops = res.drops.empty() ? "none" : res.drops;
    Simulator::Destroy();
    return res;
}

std::string
Ms(double ms)
{
    if (ms < 0)
    {
        return "-";
    }
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << ms;
    return os.str();
}

void
PrintCall(const char* what, const CallResult& c)
{
    std::cout << "  " << what << ": ";
    if (!c.placed)
    {
        std::cout << "not placed (the callee had no registration)\n";
        return;
    }
    std::cout << (c.answered ? "answered" : "NOT answered") << ", setup delay "
              << (c.answered ? Ms(c.setupMs) + " ms" : std::string("-")) << ", audio "
              << SipAudioVerdictName(c.verdict) << "\n"
              << "      RTP packets caller->callee " << c.callerToCallee << ", callee->caller "
              << c.calleeToCaller << "; caller's call: " << c.state << "\n";
}

/// Write the gnuplot script (ns3::Gnuplot, data inline); run gnuplot when it is installed.
void
WritePlot(const std::vector<Mode>& modes, const std::vector<ModeResult>& results)
{
    const std::string base = "sip-nat-call-setup-delay";
    Gnuplot plot(base + ".png", "SIP call setup delay through a FortiGate, by VoIP mode");
    plot.SetTerminal("png size 800,500");
    plot.SetLegend("VoIP mode", "INVITE to 200 OK (ms)");
    std::string tics = "set xtics (";
    for (std::size_t i = 0; i < modes.size(); ++i)
    {
        tics += (i ? ", '" : "'") + modes[i].key + "' " + std::to_string(i);
    }
    plot.SetExtra(tics + ")\nset xrange [-0.5:" + std::to_string(modes.size() - 0.5) +
                  "]\nset yrange [0:*]\nset grid ytics\nset key below");
    const std::pair<const char*, CallResult ModeResult::*> calls[] = {
        {"alice -> bob (via the proxy)", &ModeResult::out},
        {"bob -> carol (via the proxy)", &ModeResult::inProxy},
        {"IVR -> alice (REGISTER pinhole)", &ModeResult::inPinhole},
    };
    for (const auto& [title, call] : calls)
    {
        Gnuplot2dDataset d(title);
        d.SetStyle(Gnuplot2dDataset::LINES_POINTS);
        for (std::size_t i = 0; i < results.size(); ++i)
        {
            const double ms = (results[i].*call).setupMs;
            if (ms >= 0) // a call that was not answered has no point
            {
                d.Add(static_cast<double>(i), ms);
            }
        }
        plot.AddDataset(d);
    }
    std::ofstream plt(base + ".plt");
    plot.GenerateOutput(plt);
    plt.close();
    std::cout << "wrote " << base << ".plt";
    if (std::system("command -v gnuplot >/dev/null 2>&1") == 0)
    {
        if (std::system(("gnuplot " + base + ".plt 2>/dev/null").c_str()) == 0)
        {
            std::cout << " and " << base << ".png";
        }
        else
        {
            std::cout << " (gnuplot failed; the PNG was not made)";
        }
    }
    else
    {
        std::cout << " (gnuplot not installed: run `gnuplot " << base << ".plt` for the PNG)";
    }
    std::cout << "\n";
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    bool plot = true;
    bool fullList = false;
    std::string modeList = "alg,kernel,none";
    Load load;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short calls (for tests); everything still exercised", quick);
    cmd.AddValue("plot", "Write the gnuplot files (and the PNG when gnuplot is installed)", plot);
    cmd.AddValue("fullList", "Print the whole session list mid-call (RTP sessions too)", fullList);
    cmd.AddValue("modes", "Comma-separated VoIP modes to run (alg, kernel, none)", modeList);
    cmd.AddValue("callRate", "Load: calls per second from alice to bob (0: none)", load.rate);
    cmd.AddValue("loadSeconds", "Load: seconds during which load calls are placed", load.seconds);
    cmd.AddValue("loadTalk", "Load: seconds of conversation per load call", load.talk);
    cmd.AddValue("cores", "FortiGate CPU cores (0: the CPU model's default)", load.cores);
    cmd.Parse(argc, argv);
    if (load.rate < 0 || load.rate > 10000 || load.seconds < 0 || load.talk <= 0)
    {
        std::cerr << "sip-nat-call: --callRate must be 0..10000, --loadSeconds >= 0 and "
                     "--loadTalk > 0\n";
        return 2;
    }

    std::vector<Mode> modes;
    std::istringstream modeWords(modeList);
    for (std::string key; std::getline(modeWords, key, ',');)
    {
        bool found = false;
        for (const Mode& m : Modes())
        {
            if (m.key == key)
            {
                modes.push_back(m);
                found = true;
            }
        }
        if (!found)
        {
            std::cerr << "sip-nat-call: unknown mode '" << key << "' (modes: alg, kernel, none)\n";
            return 2;
        }
    }
    std::vector<ModeResult> results;
    std::cout << "sip-nat-call: alice 10.0.1.10 and carol 10.0.1.11 behind a FortiGate (NAT to "
              << kFgtWan << "),\nbob " << kBob << " on the WAN, all registered with the provider "
              << kProvider << ":5060.\nalice calls bob and bob calls carol through the "
              << "provider's proxy; the provider's IVR (" << kProvider << ":" << kIvrPort
              << ")\ncalls alice straight at her registered Contact. Each mode in a fresh "
              << "simulation.\n";
    for (const Mode& m : modes)
    {
        ModeResult r = RunMode(m, quick, fullList, load);
        std::cout << "\n=== mode " << m.key << ": " << m.title << "\nFortiOS CLI (on top of "
                  << "policy 1 port1 -> port2 ALL, nat enable):\n"
                  << m.cli;
        std::cout << "  registration: alice " << (r.registered[0] ? "ok" : "FAILED") << ", carol "
                  << (r.registered[1] ? "ok" : "FAILED") << ", bob "
                  << (r.registered[2] ? "ok" : "FAILED") << "\n"
                  << "  Contacts the provider stored: alice " << r.contact[0] << ", carol "
                  << r.contact[1] << "\n";
        PrintCall("outbound alice -> bob (via the proxy)", r.out);
        PrintCall("inbound  bob -> carol (via the proxy, on carol's REGISTER mapping)", r.inProxy);
        PrintCall("inbound  IVR -> alice (direct, through the REGISTER pinhole)", r.inPinhole);
        std::cout << "  pinholes used: " << r.pinholesUsed
                  << "; packets the FortiGate dropped: " << r.drops << "\n";
        std::cout << "--- t=3.5s, all calls up: FGT # diagnose sys session list\n"
                  << (fullList ? std::string()
                               : "    (SIP sessions only; " + std::to_string(r.mediaSessions) +
                                     " RTP/RTCP media sessions not shown: --fullList shows them)\n")
                  << r.sessions << "--- t=3.5s: FGT # diagnose sys session list expectation\n"
                  << r.expectations
                  << "--- alice's INVITE: FGT # diagnose debug flow trace start 1 (filter saddr "
                     "10.0.1.10, dport 5060)\n"
                  << r.inviteTrace
                  << "--- end: FGT # execute log filter category voip / execute log display\n"
                  << r.voipLog;
        results.push_back(r);
    }

    std::cout << "\n"
              << std::left << std::setw(8) << "mode" << std::setw(10) << "register" << std::setw(11)
              << "setup(ms)" << std::setw(15) << "alice<->bob" << std::setw(11) << "a->b pkts"
              << std::setw(11) << "b->a pkts" << std::setw(15) << "bob->carol" << std::setw(15)
              << "IVR->alice"
              << "\n";
    for (std::size_t i = 0; i < modes.size(); ++i)
    {
        const ModeResult& r = results[i];
        std::cout << std::left << std::setw(8) << modes[i].key << std::setw(10)
                  << (r.AllRegistered() ? "ok" : "failed") << std::setw(11) << Ms(r.out.setupMs)
                  << std::setw(15) << AudioToken(r.out.verdict) << std::setw(11)
                  << r.out.callerToCallee << std::setw(11) << r.out.calleeToCaller << std::setw(15)
                  << AudioToken(r.inProxy.verdict) << std::setw(15)
                  << AudioToken(r.inPinhole.verdict) << "\n";
    }
    if (plot)
    {
        WritePlot(modes, results);
    }

    std::ostringstream summary;
    for (std::size_t i = 0; i < modes.size(); ++i)
    {
        const ModeResult& r = results[i];
        const std::string k = " " + modes[i].key;
        summary << k << "_register=" << (r.AllRegistered() ? "ok" : "fail") << k
                << "_audio=" << AudioToken(r.out.verdict) << k << "_setup_ms=" << Ms(r.out.setupMs)
                << k << "_a2b_pkts=" << r.out.callerToCallee << k
                << "_b2a_pkts=" << r.out.calleeToCaller << k
                << "_in_proxy=" << AudioToken(r.inProxy.verdict) << k
                << "_in_pinhole=" << AudioToken(r.inPinhole.verdict);
        if (load.rate > 0)
        {
            std::vector<double> delays;
            for (const auto& [t, ms] : r.load)
            {
                std::cout << "series: " << modes[i].key << "_setup_ms " << std::fixed
                          << std::setprecision(4) << t << " " << Ms(ms) << "\n";
                if (ms >= 0)
                {
                    delays.push_back(ms);
                }
            }
            std::sort(delays.begin(), delays.end());
            double mean = -1;
            double p95 = -1;
            if (!delays.empty())
            {
                mean = std::accumulate(delays.begin(), delays.end(), 0.0) / delays.size();
                p95 = delays[std::min(delays.size() - 1, delays.size() * 95 / 100)];
            }
            summary << k << "_load_calls=" << r.load.size() << k
                    << "_load_answered=" << delays.size() << k << "_load_setup_ms_mean=" << Ms(mean)
                    << k << "_load_setup_ms_p95=" << Ms(p95);
        }
    }
    std::cout << "summary:" << summary.str() << std::endl;
    return 0;
}
