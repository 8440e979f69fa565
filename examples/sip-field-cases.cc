/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * sip-field-cases: the SIP field reports of fortios.md §5, each reproduced ("broken") and then
 * fixed, every run in a fresh simulation.
 *
 *   phone/PBX 10.0.1.10 \                                                         (5 ms)
 *   alice     10.0.1.11  CSMA 10.0.1.0/24 -- port1 [FortiGate] port2 -- 203.0.113.0/24 --+
 *                                     (.1)      NAT to 203.0.113.1   (.1)         router (.2)
 *                                                       CSMA 198.51.100.0/24 -----+ (.1)
 *                       provider 198.51.100.7: registrar/proxy (Record-Route) --+
 *                                                  bob 198.51.100.20:5060 -----+
 *
 * Policy 1 (port1 -> port2, ALL, NAT) is the only policy. The LAN phones and bob register with
 * the provider; calls go through the provider's proxy. Callees answer at once.
 *
 * (a) A PBX (10.0.1.10) that already writes its public address (203.0.113.1) into Via, Contact
 *     and SDP, behind the SIP ALG (proxy-based, the FortiOS default), while an ordinary phone
 *     (alice, 10.0.1.11) of the same office is in a call with bob. The ALG takes every SDP
 *     address for the sender's media address and translates it again: alice's call already
 *     holds RTP port 16384 on 203.0.113.1, so the ALG moves the PBX's media to another public
 *     port, writes it into the SDP, and opens the pinhole for it towards the address the SDP
 *     named, 203.0.113.1 itself, not the PBX: bob's audio to the PBX is lost (one-way audio),
 *     while the PBX's own RTP leaves through an ordinary mapping on its original port.
 *     Fix: a VoIP profile with `set no-sdp-fixup enable` on the policy (the SDP is left as the
 *     PBX wrote it; the pinhole leads to the PBX). The run "a_pbx_alone" shows the PBX without
 *     the other phone: the ALG keeps the port, and the PBX's own outgoing RTP opens the mapping
 *     bob's audio comes back on, so the model shows no breakage there (only a packet or two of
 *     bob's that reach the misdirected pinhole first are lost).
 * (b) The UDP idle timer (udp-idle-timer, 180 s) is shorter than the REGISTER refresh interval
 *     (RegisterExpires 3600: the phone refreshes after 1800 s). An inbound call right after
 *     registering works; one at 240 s fails: the REGISTER session expired after 180 s idle,
 *     and its contact pinhole went with it, so the provider's INVITE hits no session and no
 *     policy. Fixes: the phone registers every 150 s (RegisterExpires 300), or the FortiGate
 *     keeps SIP sessions for an hour (`config system session-ttl / config port` UDP 5060).
 * (c) A provider on port 5065: neither the ALG (`sip-udp-port` 5060) nor the kernel helper
 *     (session-helper entry 13, UDP 5060) inspects it, so the private Contact and SDP reach the
 *     provider: outbound audio is one-way and inbound calls never arrive. Fixes: a
 *     session-helper entry for UDP 5065 (`edit 0 / set name sip / set protocol 17 / set port
 *     5065`: the kernel helper handles it, even in proxy-based mode, since the ALG does not
 *     listen on 5065), or `set sip-udp-port 5060 5065` (the ALG handles it).
 *
 * For each run the report shows the CLI, the registration, the calls (setup delay, audio,
 * RTP packets each way), FortiGate drops, and the SIP sessions and pinholes at a chosen moment
 * in `diagnose sys session list` / `diagnose sys session list expectation` format (SIP
 * signalling sessions only). It ends with a `summary:` line; `reproduced_*` says whether the
 * model reproduced each field report and `fixed_*` whether each fix works.
 */

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("SipFieldCasesExample");

namespace
{

const char* const kFgtLan = "10.0.1.1";
const char* const kFgtWan = "203.0.113.1";
const char* const kRouterWan = "203.0.113.2";
const char* const kRouterIsp = "198.51.100.1";
const char* const kProvider = "198.51.100.7";
const char* const kBob = "198.51.100.20";

/// The base FortiOS configuration: one outbound policy with NAT.
const char* const kBaseCli = "config firewall policy\n"
                             "    edit 1\n"
                             "        set name \"lan-out\"\n"
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

/// One call of a run.
struct CallSpec
{
    std::string caller; //!< user name ("bob" is the WAN phone)
    std::string callee; //!< user name, called through the provider's proxy
    double at{0};       //!< INVITE time, s
    std::string label;  //!< how the report names it
};

/// One run.
struct Run
{
    std::string key;                       //!< summary prefix, e.g. "a_broken"
    std::string title;                     //!< report heading
    std::string cli;                       //!< FortiOS CLI on top of the base configuration
    std::vector<std::string> lan{"alice"}; //!< LAN users, on 10.0.1.10, .11, ...
    std::string pbx;                       //!< the LAN user writing 203.0.113.1 itself ("" none)
    uint32_t registerExpires{3600};        //!< RegisterExpires of the LAN users
    uint16_t providerPort{5060};           //!< the provider's SIP port
    std::vector<CallSpec> calls;           //!< calls
    double snapshotAt{0};                  //!< diagnose output at this time
    std::string snapshotWhat;              //!< what the snapshot shows
};

/// What one call did.
struct CallResult
{
    bool placed{false};                               //!< the call was made
    bool answered{false};                             //!< the caller got a 200
    double setupMs{-1};                               //!< INVITE to 200 OK at the caller, ms
    SipAudioVerdict verdict{SIP_AUDIO_NOT_CONNECTED}; //!< from the caller's side
    uint64_t callerToCallee{0};                       //!< RTP packets the callee received
    uint64_t calleeToCaller{0};                       //!< RTP packets the caller received
    std::string state;                                //!< caller's call state and reason
    std::string calleeSaw;                            //!< media address:port the callee got
    std::string callerSaw;                            //!< media address:port the caller got
};

/// What one run produced.
struct RunResult
{
    std::vector<bool> registered;     //!< per LAN user: a 200 OK to REGISTER
    std::vector<uint32_t> registers;  //!< per LAN user: REGISTER transactions
    std::vector<std::string> binding; //!< per LAN user: the provider's binding at the end
    std::vector<bool> believes;       //!< per LAN user: the phone thinks it is registered
    std::vector<CallResult> calls;    //!< per call
    std::string engine;               //!< engine on the first LAN user's REGISTER session
    std::string sessions;             //!< SIP session blocks at the snapshot
    std::string expectations;         //!< pinholes at the snapshot
    std::string drops;                //!< FortiGate drops by reason
};

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

std::string
Media(Ipv4Address a, uint16_t port)
{
    std::ostringstream os;
    os << a << ":" << port;
    return os.str();
}

/// \return call \p index of \p caller, with \p callee's record of it
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
    r.callerSaw = c.remoteRtpPort ? Media(c.remoteMediaAddress, c.remoteRtpPort) : "-";
    SipCallRecord peer;
    if (callee->FindCall(c.callId, peer))
    {
        r.verdict = SipCombinedVerdict(c, peer);
        r.callerToCallee = peer.PacketsReceived();
        r.calleeSaw = peer.remoteRtpPort ? Media(peer.remoteMediaAddress, peer.remoteRtpPort) : "-";
    }
    else
    {
        r.verdict = SIP_AUDIO_NOT_CONNECTED;
        r.calleeSaw = "(the INVITE never arrived)";
    }
    r.state = std::string(SipCallStateName(c.state)) +
              (c.endReason.empty() ? "" : " (" + c.endReason + ")");
    return r;
}

/// Keep the session blocks of \p list that name port \p a or \p b.
std::string
SipBlocks(const std::string& list, const std::string& a, const std::string& b)
{
    const std::string head = "session info:";
    std::string out;
    uint32_t kept = 0;
    for (std::size_t pos = list.find(head); pos != std::string::npos;)
    {
        std::size_t next = list.find(head, pos + head.size());
        std::string block =
            list.substr(pos, (next == std::string::npos ? list.size() : next) - pos);
        std::size_t total = block.find("total session");
        if (total != std::string::npos)
        {
            block.erase(total);
        }
        if (block.find(a) != std::string::npos || block.find(b) != std::string::npos)
        {
            out += block;
            ++kept;
        }
        pos = next;
    }
    std::size_t total = list.rfind("total session");
    out += "(" + std::to_string(kept) + " SIP sessions shown; " +
           (total == std::string::npos ? std::string("total session 0")
                                       : list.substr(total, list.find('\n', total) - total)) +
           ")\n";
    return out;
}

/// \return "alg", "kernel-helper" or "none" from a session block
std::string
EngineOf(const std::string& blocks)
{
    if (blocks.find("session info:") == std::string::npos)
    {
        return "no-session";
    }
    if (blocks.find("helper=sip ") != std::string::npos)
    {
        return "kernel-helper";
    }
    if (blocks.find("redir") != std::string::npos)
    {
        return "alg";
    }
    return "none";
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

/// Run one case in a fresh simulation.
RunResult
Execute(const Run& run, double talk)
{
    NodeContainer phones(run.lan.size());
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
    Assign(lan.Get(phones.GetN()), kFgtLan); // port1
    Assign(wan.Get(0), kFgtWan);             // port2
    for (uint32_t i = 0; i < phones.GetN(); ++i)
    {
        std::string a = "10.0.1." + std::to_string(10 + i);
        Assign(lan.Get(i), a.c_str());
        DefaultRoute(phones.Get(i), kFgtLan);
    }
    Assign(wan.Get(1), kRouterWan);
    Assign(isp.Get(0), kRouterIsp);
    Assign(isp.Get(1), kProvider);
    Assign(isp.Get(2), kBob);
    DefaultRoute(provider, kRouterIsp);
    DefaultRoute(bobNode, kRouterIsp);
    DefaultRoute(fgtNode, kRouterWan);
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
    if (!run.cli.empty())
    {
        fgtHelper.AddCliConfig(run.cli);
    }
    Ptr<FortiGateNode> fgt = fgtHelper.Install(fgtNode);
    fgtHelper.AssignStreams(NodeContainer(fgtNode), 100);

    SipRegistrarHelper registrarHelper(run.providerPort);
    registrarHelper.SetAttribute("RecordRoute", BooleanValue(true));
    ApplicationContainer regApps = registrarHelper.Install(provider);
    regApps.Start(Seconds(0));
    Ptr<SipRegistrar> registrar = DynamicCast<SipRegistrar>(regApps.Get(0));

    std::map<std::string, Ptr<SipUserAgent>> ua;
    for (uint32_t i = 0; i < run.lan.size(); ++i)
    {
        SipUserAgentHelper h{Ipv4Address(kProvider), run.providerPort};
        h.SetAttribute("RingTime", TimeValue(Seconds(0)));
        h.SetAttribute("RegisterExpires", UintegerValue(run.registerExpires));
        if (run.lan[i] == run.pbx)
        {
            h.SetAttribute("ContactAddress", Ipv4AddressValue(Ipv4Address(kFgtWan)));
        }
        ApplicationContainer apps = h.Install(phones.Get(i), run.lan[i]);
        apps.Start(Seconds(0.3 + 0.2 * i)); // the first one registers first (a PBX: gets 5060)
        SipUserAgentHelper::AssignStreams(apps, 500 + 10 * i);
        ua[run.lan[i]] = DynamicCast<SipUserAgent>(apps.Get(0));
    }
    {
        SipUserAgentHelper h{Ipv4Address(kProvider), run.providerPort};
        h.SetAttribute("RingTime", TimeValue(Seconds(0)));
        ApplicationContainer apps = h.Install(bobNode, "bob");
        apps.Start(Seconds(0.5));
        SipUserAgentHelper::AssignStreams(apps, 600);
        ua["bob"] = DynamicCast<SipUserAgent>(apps.Get(0));
    }

    double stopAt = run.snapshotAt + 1;
    std::vector<uint32_t> index;
    for (const CallSpec& c : run.calls)
    {
        index.push_back(ua.at(c.caller)->Call(c.callee, Seconds(c.at), Seconds(talk)));
        stopAt = std::max(stopAt, c.at + std::max(talk, 33.0) + 3); // room for INVITE timer B
    }

    RunResult res;
    const std::string port = ":" + std::to_string(run.providerPort);
    Simulator::Schedule(Seconds(run.snapshotAt), [fgt, &res, port]() {
        res.sessions = SipBlocks(fgt->Diagnose("diagnose sys session list"), port, ":5060");
        res.expectations = fgt->Diagnose("diagnose sys session list expectation");
    });
    // The engine handling the REGISTER sessions, right after registering.
    Simulator::Schedule(Seconds(1.5), [fgt, &res, port]() {
        res.engine = EngineOf(SipBlocks(fgt->Diagnose("diagnose sys session list"), port, port));
    });

    Simulator::Stop(Seconds(stopAt));
    Simulator::Run();

    for (const std::string& user : run.lan)
    {
        SipRegistrationInfo reg = ua.at(user)->GetRegistration();
        res.registered.push_back(reg.successes > 0);
        res.registers.push_back(reg.requests);
        res.believes.push_back(ua.at(user)->IsRegistered());
        SipBinding b;
        res.binding.push_back(registrar->LookupBinding(user, b) ? b.contact : "none");
    }
    for (std::size_t i = 0; i < run.calls.size(); ++i)
    {
        res.calls.push_back(
            Collect(ua.at(run.calls[i].caller), index[i], ua.at(run.calls[i].callee)));
    }
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

void
PrintCall(const std::string& what, const CallResult& c)
{
    std::cout << "  " << what << ": ";
    if (!c.placed)
    {
        std::cout << "not placed\n";
        return;
    }
    std::cout << (c.answered ? "answered" : "NOT answered") << ", setup "
              << (c.answered ? Ms(c.setupMs) + " ms" : std::string("-")) << ", audio "
              << SipAudioVerdictName(c.verdict) << "\n"
              << "      RTP caller->callee " << c.callerToCallee << ", callee->caller "
              << c.calleeToCaller << "; caller's call: " << c.state << "\n"
              << "      SDP media the caller got " << c.callerSaw << ", the callee got "
              << c.calleeSaw << "\n";
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short calls (for tests); every case still runs", quick);
    cmd.Parse(argc, argv);
    const double talk = quick ? 2.0 : 10.0;

    // The fix only for the PBX: a policy of its own, above policy 1, with the profile (on
    // policy 1 it would also stop the translation alice's SDP needs).
    const std::string noSdpFixup = "config firewall address\n"
                                   "    edit \"pbx\"\n"
                                   "        set subnet 10.0.1.10 255.255.255.255\n"
                                   "    next\n"
                                   "end\n"
                                   "config voip profile\n"
                                   "    edit \"pbx-trunk\"\n"
                                   "        config sip\n"
                                   "            set no-sdp-fixup enable\n"
                                   "        end\n"
                                   "    next\n"
                                   "end\n"
                                   "config firewall policy\n"
                                   "    edit 2\n"
                                   "        set name \"pbx-out\"\n"
                                   "        set srcintf \"port1\"\n"
                                   "        set dstintf \"port2\"\n"
                                   "        set action accept\n"
                                   "        set srcaddr \"pbx\"\n"
                                   "        set dstaddr \"all\"\n"
                                   "        set schedule \"always\"\n"
                                   "        set service \"ALL\"\n"
                                   "        set utm-status enable\n"
                                   "        set voip-profile \"pbx-trunk\"\n"
                                   "        set nat enable\n"
                                   "    next\n"
                                   "    move 2 before 1\n"
                                   "end\n";
    const std::string sessionTtl = "config system session-ttl\n"
                                   "    config port\n"
                                   "        edit 1\n"
                                   "            set protocol 17\n"
                                   "            set start-port 5060\n"
                                   "            set end-port 5060\n"
                                   "            set timeout 3600\n"
                                   "        next\n"
                                   "    end\n"
                                   "end\n";
    const std::string helper5065 = "config system session-helper\n"
                                   "    edit 0\n"
                                   "        set name sip\n"
                                   "        set protocol 17\n"
                                   "        set port 5065\n"
                                   "    next\n"
                                   "end\n";
    const std::string sipUdpPort = "config system settings\n"
                                   "    set sip-udp-port 5060 5065\n"
                                   "end\n";

    std::vector<Run> runs;
    {
        // bob calls the PBX, then the PBX calls bob, while alice talks to bob.
        Run r;
        r.key = "a_broken";
        r.title = "(a) PBX writing its public address 203.0.113.1 while alice is in a call; "
                  "SIP ALG with the default profile";
        r.lan = {"pbx", "alice"};
        r.pbx = "pbx";
        r.calls = {{"alice", "bob", 2.0, "alice -> bob (ordinary phone)"},
                   {"bob", "pbx", 2.5, "bob -> pbx"},
                   {"pbx", "bob", 3.0, "pbx -> bob"}};
        r.snapshotAt = 3.5;
        r.snapshotWhat = "every call up";
        runs.push_back(r);
        r.key = "a_fixed";
        r.title = "(a) fixed: a policy for the PBX with a VoIP profile, no-sdp-fixup enable";
        r.cli = noSdpFixup;
        runs.push_back(r);
        r.key = "a_pbx_alone";
        r.title = "(a) the PBX alone (no other phone holds its RTP port), default profile";
        r.cli = "";
        r.lan = {"pbx"};
        r.calls = {{"bob", "pbx", 2.5, "bob -> pbx"}, {"pbx", "bob", 3.0, "pbx -> bob"}};
        runs.push_back(r);
    }
    {
        Run r;
        r.key = "b_broken";
        r.title = "(b) udp-idle-timer 180 s, phone refreshing its registration every 1800 s "
                  "(RegisterExpires 3600)";
        r.calls = {{"bob", "alice", 5.0, "bob -> alice"}, {"bob", "alice", 240.0, "bob -> alice"}};
        r.snapshotAt = 239.0;
        r.snapshotWhat = "just before bob's second call";
        runs.push_back(r);
        r.key = "b_fixed_register";
        r.title = "(b) fixed on the phone: RegisterExpires 300 (refresh every 150 s)";
        r.registerExpires = 300;
        runs.push_back(r);
        r.key = "b_fixed_session_ttl";
        r.title = "(b) fixed on the FortiGate: session-ttl port entry UDP 5060, 3600 s";
        r.registerExpires = 3600;
        r.cli = sessionTtl;
        runs.push_back(r);
    }
    {
        // bob calls alice first, while her REGISTER session is young; she calls him once the
        // first call's RTP sessions have expired (UDP, 180 s), so the same RTP ports are free.
        const double later = 3.0 + talk + 185.0;
        Run r;
        r.key = "c_broken";
        r.title = "(c) provider on UDP 5065, default FortiGate (proxy-based, sip-udp-port 5060, "
                  "session-helper entry 13 on 5060)";
        r.providerPort = 5065;
        r.calls = {{"bob", "alice", 3.0, "bob -> alice"}, {"alice", "bob", later, "alice -> bob"}};
        r.snapshotAt = later + 1.0;
        r.snapshotWhat = "during alice's call to bob";
        runs.push_back(r);
        r.key = "c_fixed_helper";
        r.title = "(c) fixed: session-helper entry sip UDP 5065";
        r.cli = helper5065;
        runs.push_back(r);
        r.key = "c_fixed_sip_udp_port";
        r.title = "(c) fixed: sip-udp-port 5060 5065 (the ALG listens on 5065)";
        r.cli = sipUdpPort;
        runs.push_back(r);
    }

    std::cout << "sip-field-cases: the field reports of fortios.md section 5, broken then fixed, "
              << "each run in a fresh simulation.\nLAN phone 10.0.1.10 behind the FortiGate (NAT "
              << "to " << kFgtWan << "), bob " << kBob << " and the provider " << kProvider
              << " on the WAN.\n";
    std::vector<RunResult> results;
    for (const Run& run : runs)
    {
        RunResult r = Execute(run, talk);
        std::cout << "\n=== " << run.key << ": " << run.title << "\n";
        if (!run.cli.empty())
        {
            std::cout << "FortiOS CLI (on top of policy 1 port1 -> port2 ALL, nat enable):\n"
                      << run.cli;
        }
        for (std::size_t i = 0; i < run.lan.size(); ++i)
        {
            std::cout << "  " << run.lan[i]
                      << " registration: " << (r.registered[i] ? "ok" : "FAILED") << " ("
                      << r.registers[i] << " REGISTER transactions); at the end the phone "
                      << (r.believes[i] ? "believes it is registered" : "is not registered")
                      << ", the provider's binding: " << r.binding[i] << "\n";
        }
        std::cout << "  SIP engine on the REGISTER sessions: " << r.engine << "\n";
        for (std::size_t i = 0; i < run.calls.size(); ++i)
        {
            std::ostringstream what;
            what << run.calls[i].label << " at " << run.calls[i].at << " s";
            PrintCall(what.str(), r.calls[i]);
        }
        std::cout << "  packets the FortiGate dropped: " << r.drops << "\n";
        std::cout << "--- t=" << run.snapshotAt << "s (" << run.snapshotWhat
                  << "): FGT # diagnose sys session list\n"
                  << r.sessions << "--- FGT # diagnose sys session list expectation\n"
                  << r.expectations;
        results.push_back(r);
    }

    // Verdicts: index by key.
    auto find = [&runs, &results](const std::string& key) -> const RunResult& {
        for (std::size_t i = 0; i < runs.size(); ++i)
        {
            if (runs[i].key == key)
            {
                return results[i];
            }
        }
        return results.front();
    };
    auto twoWay = [](const CallResult& c) { return c.verdict == SIP_AUDIO_TWO_WAY; };
    auto answered = [](const CallResult& c) { return c.answered ? "answered" : "failed"; };
    const RunResult& aB = find("a_broken"); // calls: alice->bob, bob->pbx, pbx->bob
    const RunResult& aF = find("a_fixed");
    const RunResult& aA = find("a_pbx_alone"); // calls: bob->pbx, pbx->bob
    const bool aRepro = !twoWay(aB.calls[1]) || !twoWay(aB.calls[2]);
    const bool aFixed = twoWay(aF.calls[1]) && twoWay(aF.calls[2]);
    const RunResult& bB = find("b_broken"); // calls: bob->alice at 5 s and 240 s
    const RunResult& bR = find("b_fixed_register");
    const RunResult& bT = find("b_fixed_session_ttl");
    const bool bRepro = bB.calls[0].answered && !bB.calls[1].answered;
    const bool bFixed = bR.calls[1].answered && bT.calls[1].answered;
    const RunResult& cB = find("c_broken"); // calls: bob->alice, alice->bob
    const RunResult& cH = find("c_fixed_helper");
    const RunResult& cP = find("c_fixed_sip_udp_port");
    const bool cRepro = !cB.calls[0].answered && !twoWay(cB.calls[1]);
    auto cOk = [&twoWay](const RunResult& r) {
        return r.calls[0].answered && twoWay(r.calls[0]) && twoWay(r.calls[1]);
    };
    const bool cFixed = cOk(cH) && cOk(cP);

    std::cout << "\nverdicts:\n"
              << "  (a) PBX public address + ALG SDP fix-up: "
              << (aRepro ? "reproduced" : "NOT reproduced") << " (bob->pbx "
              << AudioToken(aB.calls[1].verdict) << ", pbx->bob " << AudioToken(aB.calls[2].verdict)
              << ", alice's call " << AudioToken(aB.calls[0].verdict)
              << "); no-sdp-fixup: " << (aFixed ? "fixed" : "NOT fixed") << " (bob->pbx "
              << AudioToken(aF.calls[1].verdict) << ", pbx->bob " << AudioToken(aF.calls[2].verdict)
              << ", alice's call " << AudioToken(aF.calls[0].verdict)
              << "); the PBX alone, default profile: bob->pbx " << AudioToken(aA.calls[0].verdict)
              << ", pbx->bob " << AudioToken(aA.calls[1].verdict)
              << (twoWay(aA.calls[0]) && twoWay(aA.calls[1])
                      ? " (the model shows no breakage while the PBX's RTP port is free on the "
                        "public address)"
                      : "")
              << "\n"
              << "  (b) udp-idle-timer < REGISTER refresh: "
              << (bRepro ? "reproduced" : "NOT reproduced") << " (call at 5 s "
              << answered(bB.calls[0]) << ", at 240 s " << answered(bB.calls[1])
              << "); RegisterExpires 300: " << (bR.calls[1].answered ? "fixed" : "NOT fixed")
              << "; session-ttl port 5060: " << (bT.calls[1].answered ? "fixed" : "NOT fixed")
              << "\n"
              << "  (c) provider on 5065: " << (cRepro ? "reproduced" : "NOT reproduced")
              << " (inbound " << answered(cB.calls[0]) << ", outbound "
              << AudioToken(cB.calls[1].verdict)
              << "); session-helper entry: " << (cOk(cH) ? "fixed" : "NOT fixed") << " (engine "
              << cH.engine << "); sip-udp-port: " << (cOk(cP) ? "fixed" : "NOT fixed")
              << " (engine " << cP.engine << ")\n";

    std::cout << "summary:"
              << " reproduced_a=" << (aRepro ? "yes" : "no")
              << " a_broken_in=" << AudioToken(aB.calls[1].verdict)
              << " a_broken_out=" << AudioToken(aB.calls[2].verdict)
              << " a_broken_alice=" << AudioToken(aB.calls[0].verdict)
              << " a_fixed_in=" << AudioToken(aF.calls[1].verdict)
              << " a_fixed_out=" << AudioToken(aF.calls[2].verdict)
              << " a_fixed_alice=" << AudioToken(aF.calls[0].verdict)
              << " a_pbx_alone_in=" << AudioToken(aA.calls[0].verdict)
              << " a_pbx_alone_out=" << AudioToken(aA.calls[1].verdict)
              << " fixed_a=" << (aFixed ? "yes" : "no")
              << " reproduced_b=" << (bRepro ? "yes" : "no")
              << " b_broken_in_5s=" << answered(bB.calls[0])
              << " b_broken_in_240s=" << answered(bB.calls[1])
              << " b_fixed_register_in_240s=" << answered(bR.calls[1])
              << " b_fixed_session_ttl_in_240s=" << answered(bT.calls[1])
              << " fixed_b=" << (bFixed ? "yes" : "no")
              << " reproduced_c=" << (cRepro ? "yes" : "no")
              << " c_broken_in=" << answered(cB.calls[0])
              << " c_broken_out=" << AudioToken(cB.calls[1].verdict)
              << " c_fixed_helper_in=" << AudioToken(cH.calls[0].verdict)
              << " c_fixed_helper_out=" << AudioToken(cH.calls[1].verdict)
              << " c_fixed_helper_engine=" << cH.engine
              << " c_fixed_sip_udp_port_in=" << AudioToken(cP.calls[0].verdict)
              << " c_fixed_sip_udp_port_out=" << AudioToken(cP.calls[1].verdict)
              << " c_fixed_sip_udp_port_engine=" << cP.engine
              << " fixed_c=" << (cFixed ? "yes" : "no") << std::endl;
    return 0;
}
