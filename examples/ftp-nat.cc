/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ftp-nat: FTP through a FortiGate, with and without its FTP session helper.
 *
 *   client                                                     ISP router        server
 *  10.0.1.2 -- 10.0.1.0/24 -- port1 [FortiGate] port2 -- 203.0.113.0/24 -- r -- 198.51.100.0/24
 *                                        port3                                (.7)
 *                                          | 10.0.2.0/24
 *                                   inside FTP server 10.0.2.2 (VIP 203.0.113.100)
 *
 * Two situations, four data-connection modes each (active PORT and EPRT, passive PASV and
 * EPSV):
 * - snat: the client behind the FortiGate (policy 1, port1 -> port2, NAT to 203.0.113.10)
 *   downloads from the server on the WAN;
 * - vip:  the WAN host 198.51.100.7 downloads from the inside server published through the VIP
 *   203.0.113.100 -> 10.0.2.2 (policy 2, port2 -> port3, service ALL).
 * Every case runs twice, each time in a fresh simulation: with the default session-helper
 * table (entry 9: ftp on TCP 21) and with entry 9 deleted. The FortiGate's
 * `diagnose sys session list` and `diagnose sys session list expectation` are printed at the
 * moment the server has received the client's PORT (the pinhole exists, the data connection
 * does not yet).
 *
 * What to expect: with the helper every transfer completes. Without it, active mode under SNAT
 * fails (the server sees the private address 10.0.1.2 and refuses it), active mode to the VIP
 * fails (the server's connection back is denied: no policy port3 -> port2), PASV to the VIP
 * fails (the client is told to connect to 10.0.2.2), while passive mode under SNAT and EPSV to
 * the VIP work (they carry no private address).
 */

#include "ns3/core-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/ftp-helper.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("FtpNatExample");

namespace
{

/// One transfer to run.
struct Case
{
    std::string nat;      //!< "snat" or "vip"
    FtpClient::Mode mode; //!< active or passive
    bool extended;        //!< EPRT/EPSV
    bool helper;          //!< FTP helper in the session-helper table

    /// \return e.g. "snat_active", "vip_epsv"
    std::string Name() const
    {
        std::string m = mode == FtpClient::ACTIVE ? (extended ? "eprt" : "active")
                                                  : (extended ? "epsv" : "passive");
        return nat + "_" + m;
    }
};

/// What one transfer did.
struct Outcome
{
    bool completed{false};   //!< transfer completed, bytes verified
    std::string reason;      //!< failure reason
    uint64_t bytes{0};       //!< data bytes
    double seconds{0};       //!< transfer time
    uint32_t pinholes{0};    //!< pinholes the data connection used
    uint64_t denied{0};      //!< packets denied by policy
    std::string sessionList; //!< diagnose output at PORT time (when asked)
    std::string expectList;  //!< diagnose list expectation at PORT time (when asked)
};

uint32_t
Ip(const char* text)
{
    return Ipv4Address(text).Get();
}

/// Run one case in a fresh simulation.
Outcome
RunCase(const Case& c, uint64_t fileSize, bool snapshot)
{
    Outcome out;
    Ptr<Node> client = CreateObject<Node>();
    Ptr<Node> fgtNode = CreateObject<Node>();
    Ptr<Node> isp = CreateObject<Node>();
    Ptr<Node> server = CreateObject<Node>();
    Ptr<Node> inside = CreateObject<Node>();

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer lanDevs = p2p.Install(client, fgtNode);
    p2p.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer wanDevs = p2p.Install(fgtNode, isp);
    NetDeviceContainer srvDevs = p2p.Install(isp, server);
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer dmzDevs = p2p.Install(fgtNode, inside);

    InternetStackHelper stack;
    NodeContainer all(client, fgtNode, isp, server, inside);
    stack.Install(all);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0", "0.0.0.2");
    Ipv4InterfaceContainer lanIf = addr.Assign(lanDevs); // client .2, FortiGate .3
    addr.SetBase("203.0.113.0", "255.255.255.0", "0.0.0.10");
    Ipv4InterfaceContainer wanIf = addr.Assign(wanDevs); // FortiGate .10, ISP .11
    addr.SetBase("198.51.100.0", "255.255.255.0", "0.0.0.6");
    Ipv4InterfaceContainer srvIf = addr.Assign(srvDevs); // ISP .6, server .7
    addr.SetBase("10.0.2.0", "255.255.255.0");
    Ipv4InterfaceContainer dmzIf = addr.Assign(dmzDevs); // FortiGate .1, inside .2
    stack.AssignStreams(all, 1);

    Ipv4StaticRoutingHelper srh;
    srh.GetStaticRouting(client->GetObject<Ipv4>())->SetDefaultRoute(lanIf.GetAddress(1), 1);
    srh.GetStaticRouting(server->GetObject<Ipv4>())->SetDefaultRoute(srvIf.GetAddress(0), 1);
    srh.GetStaticRouting(inside->GetObject<Ipv4>())->SetDefaultRoute(dmzIf.GetAddress(0), 1);
    srh.GetStaticRouting(fgtNode->GetObject<Ipv4>())->SetDefaultRoute(wanIf.GetAddress(1), 2);
    // The ISP routes 203.0.113.0/24 and 198.51.100.0/24 only (connected); 10/8 is unknown there.

    FortiGateConfig cfg;
    for (const char* name : {"port1", "port2", "port3"})
    {
        InterfaceConfig intf;
        intf.name = name;
        cfg.AddInterface(intf);
    }
    cfg.AddAddress(FirewallAddress::FromSubnet("lan", "10.0.1.0/24"));
    VipConfig vip;
    vip.name = "ftp-vip";
    vip.extipLo = Ip("203.0.113.100");
    vip.mappedipLo = Ip("10.0.2.2");
    vip.extintf = "port2";
    cfg.AddVip(vip);
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
    FirewallPolicy in;
    in.id = 2;
    in.name = "wan-to-ftp";
    in.srcintf = {"port2"};
    in.dstintf = {"port3"};
    in.srcaddr = {"all"};
    in.dstaddr = {"ftp-vip"};
    in.service = {"ALL"};
    in.action = FirewallPolicy::ACCEPT;
    cfg.AddPolicy(in);
    if (!c.helper)
    {
        cfg.DeleteSessionHelper(9); // `config system session-helper` / `delete 9`
    }

    FortiGateHelper fgtHelper;
    fgtHelper.SetConfig(cfg);
    Ptr<FortiGateNode> fgt = fgtHelper.Install(fgtNode);
    fgtHelper.AssignStreams(NodeContainer(fgtNode), 100);

    const bool snat = c.nat == "snat";
    Ptr<Node> serverNode = snat ? server : inside;
    Ptr<Node> clientNode = snat ? client : server;
    Ipv4Address dial = snat ? srvIf.GetAddress(1) : Ipv4Address("203.0.113.100");

    FtpServerHelper serverHelper;
    Ptr<FtpServer> ftpd = DynamicCast<FtpServer>(serverHelper.Install(serverNode).Get(0));
    ftpd->SetStartTime(Seconds(0));
    FtpClientHelper clientHelper(dial);
    clientHelper.SetAttribute("Mode", EnumValue(c.mode));
    clientHelper.SetAttribute("UseExtended", BooleanValue(c.extended));
    clientHelper.SetAttribute("Command", EnumValue(FtpClient::RETR));
    clientHelper.SetAttribute("FileSize", UintegerValue(fileSize));
    clientHelper.SetAttribute("Timeout", TimeValue(Seconds(8)));
    Ptr<FtpClient> ftp = DynamicCast<FtpClient>(clientHelper.Install(clientNode).Get(0));
    ftp->SetStartTime(Seconds(1));

    if (snapshot)
    {
        // When the server has the PORT/EPRT, the helper has opened the pinhole and the server
        // has not connected yet.
        ftpd->TraceConnectWithoutContext(
            "Command",
            Callback<void, const std::string&>([fgt, &out](const std::string& line) {
                if (line.rfind("PORT", 0) == 0 || line.rfind("EPRT", 0) == 0)
                {
                    out.sessionList = fgt->Diagnose("diagnose sys session list");
                    out.expectList = fgt->Diagnose("diagnose sys session list expectation");
                }
            }));
    }

    Simulator::Stop(Seconds(30));
    Simulator::Run();

    out.completed = ftp->IsCompleted();
    out.reason = ftp->IsFailed() ? ftp->GetFailureReason() : (out.completed ? "" : "unfinished");
    out.bytes = ftp->GetBytesTransferred();
    out.seconds = ftp->GetTransferTime().GetSeconds();
    out.pinholes = static_cast<uint32_t>(fgt->GetExpectations().GetMatched());
    out.denied = fgt->GetDropCount(FortiGateNode::DROP_POLICY_DENY);
    Simulator::Destroy();
    return out;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    uint64_t fileSize = 2000000;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short run (for tests): small files", quick);
    cmd.AddValue("fileSize", "Bytes per download", fileSize);
    cmd.Parse(argc, argv);
    if (quick)
    {
        fileSize = 100000;
    }

    std::vector<Case> cases;
    for (const char* nat : {"snat", "vip"})
    {
        for (auto mode : {FtpClient::ACTIVE, FtpClient::PASSIVE})
        {
            for (bool ext : {false, true})
            {
                for (bool helper : {true, false})
                {
                    cases.push_back(Case{nat, mode, ext, helper});
                }
            }
        }
    }

    std::ostringstream summary;
    uint32_t okHelper = 0;
    uint32_t okNoHelper = 0;
    uint32_t runsPerSetting = 0;
    std::cout << "ftp-nat: RETR of " << fileSize << " bytes per case, each in a fresh simulation\n"
              << "  snat: client 10.0.1.2 -> server 198.51.100.7 (NAT 203.0.113.10)\n"
              << "  vip:  client 198.51.100.7 -> VIP 203.0.113.100 -> server 10.0.2.2\n\n";
    std::cout << std::left << std::setw(14) << "case" << std::setw(8) << "helper" << std::setw(11)
              << "result" << std::right << std::setw(10) << "bytes" << std::setw(11) << "time(s)"
              << std::setw(9) << "pinhole" << std::setw(8) << "denied"
              << "  reason\n";
    std::string sessionList;
    std::string expectList;
    for (const Case& c : cases)
    {
        bool snap = c.nat == "snat" && c.mode == FtpClient::ACTIVE && !c.extended && c.helper;
        Outcome o = RunCase(c, fileSize, snap);
        if (snap)
        {
            sessionList = o.sessionList;
            expectList = o.expectList;
        }
        (c.helper ? okHelper : okNoHelper) += o.completed ? 1 : 0;
        runsPerSetting += c.helper ? 1 : 0;
        std::cout << std::left << std::setw(14) << c.Name() << std::setw(8)
                  << (c.helper ? "on" : "off") << std::setw(11)
                  << (o.completed ? "completed" : "FAILED") << std::right << std::setw(10)
                  << o.bytes << std::setw(11) << std::fixed << std::setprecision(3) << o.seconds
                  << std::setw(9) << o.pinholes << std::setw(8) << o.denied << "  " << o.reason
                  << "\n";
        summary << " " << c.Name() << "_" << (c.helper ? "helper" : "nohelper") << "="
                << (o.completed ? "ok" : "fail");
    }

    std::cout << "\n=== snat_active with the helper, when the server received PORT\n"
              << "FGT # diagnose sys session list\n"
              << sessionList << "\nFGT # diagnose sys session list expectation\n"
              << expectList << "\n";
    std::cout << "summary:" << summary.str() << " completed_helper=" << okHelper << "/"
              << runsPerSetting << " completed_nohelper=" << okNoHelper << "/" << runsPerSetting
              << " file_bytes=" << fileSize << std::endl;
    return 0;
}
