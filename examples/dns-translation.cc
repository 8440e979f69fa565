/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * dns-translation: an inside DNS server published through a VIP, its A records translated for
 * outside clients by `config firewall dnstranslation` (the dns-udp / dns-tcp session helpers).
 *
 *   outside client                 ISP router                          DNS server
 *   198.51.100.6 -- 198.51.100.0/24 -- r -- 203.0.113.0/24 -- port2 [FortiGate] port3 -- 10.0.2.2
 *                                                    VIP 203.0.113.100 -> 10.0.2.2
 *
 * The zone: db.example.com A 10.0.2.5 (an inside host), www.example.com CNAME db.example.com,
 * ext.example.com A 198.51.100.50 (outside). DNS translation entry 1: src 10.0.2.0, dst
 * 203.0.113.0, netmask 255.255.255.0. The outside client asks for the three names over UDP and
 * over TCP, each in a fresh simulation, with the helpers bound (dns-udp: default entry 14;
 * dns-tcp: added with `edit 0 / set name dns-tcp / set port 53 / set protocol 6`) and without
 * (entry 14 deleted, dns-tcp not added).
 *
 * What to expect: with the helper db and www resolve to 203.0.113.5 (the host part kept), ext
 * is untouched, and the UDP session ends with the answer (no UDP session left); without the
 * helper the client is told the private 10.0.2.5.
 */
#include "vip-scenario.h"

#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// What one run gave.
struct Outcome
{
    std::map<std::string, std::vector<std::string>> addresses; //!< per name
    uint32_t answered{0};                                      //!< names answered
    size_t sessionsLeft{0};                                    //!< sessions in the table at the end
    uint64_t helperDrops{0};                                   //!< packets dropped by a helper
};

/// Run one case in a fresh simulation.
Outcome
RunCase(bool tcp, bool helper)
{
    VipScenario sc({"DNS"});
    FortiGateConfig& cfg = sc.cfg;
    DnsTranslationConfig tr;
    tr.src = Ipv4Address("10.0.2.0").Get();
    tr.dst = Ipv4Address("203.0.113.0").Get();
    tr.netmask = Ipv4Address("255.255.255.0").Get();
    cfg.AddDnsTranslation(tr);
    if (!helper)
    {
        cfg.DeleteSessionHelper(14); // dns-udp
    }
    else if (tcp)
    {
        SessionHelperEntry e;
        e.name = "dns-tcp";
        e.port = 53;
        e.protocol = 6;
        cfg.AddSessionHelper(e); // edit 0 / set name dns-tcp / set port 53 / set protocol 6
    }
    Ptr<FortiGateNode> fgt = sc.Install();
    Ptr<Node> client = sc.client;

    DnsServerHelper server("db.example.com=10.0.2.5;www.example.com=cname:db.example.com;ext."
                           "example.com=198.51.100.50");
    server.Install(sc.server).Start(Seconds(0));
    DnsResolverHelper resolver(Ipv4Address("203.0.113.100"),
                               "db.example.com,www.example.com,ext.example.com");
    resolver.SetAttribute("UseTcp", BooleanValue(tcp));
    Ptr<DnsResolver> r = DynamicCast<DnsResolver>(resolver.Install(client).Get(0));
    r->SetStartTime(Seconds(1));
    r->SetStopTime(Seconds(8));

    Simulator::Stop(Seconds(10));
    Simulator::Run();
    Outcome out;
    out.addresses = r->GetAddresses();
    out.answered = r->GetAnswered();
    out.sessionsLeft = fgt->GetSessionTable().Size();
    out.helperDrops = fgt->GetDropCount(FortiGateNode::DROP_HELPER);
    Simulator::Destroy();
    return out;
}

/// \return the addresses of \p name in \p o, joined by '/'
std::string
Addrs(const Outcome& o, const std::string& name)
{
    auto it = o.addresses.find(name);
    if (it == o.addresses.end() || it->second.empty())
    {
        return "none";
    }
    std::string s;
    for (const auto& a : it->second)
    {
        s += (s.empty() ? "" : "/") + a;
    }
    return s;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("quick", "Short run (for tests; the runs are short anyway)", quick);
    cmd.Parse(argc, argv);

    std::cout << "dns-translation: outside client 198.51.100.6 asks the DNS server behind VIP "
                 "203.0.113.100 -> 10.0.2.2;\n  dnstranslation 10.0.2.0 -> 203.0.113.0/24\n\n";
    std::ostringstream summary;
    uint32_t translatedHelper = 0;
    uint32_t translatedNoHelper = 0;
    bool extUntouched = true;
    size_t udpSessionsLeft = 0;
    for (bool helper : {true, false})
    {
        for (bool tcp : {false, true})
        {
            const Outcome o = RunCase(tcp, helper);
            const std::string db = Addrs(o, "db.example.com");
            const std::string www = Addrs(o, "www.example.com");
            const std::string ext = Addrs(o, "ext.example.com");
            const uint32_t translated = (db == "203.0.113.5") + (www == "203.0.113.5");
            (helper ? translatedHelper : translatedNoHelper) += translated;
            extUntouched = extUntouched && ext == "198.51.100.50";
            if (helper && !tcp)
            {
                udpSessionsLeft = o.sessionsLeft;
            }
            std::cout << (tcp ? "tcp" : "udp") << " helper=" << (helper ? "on " : "off")
                      << " answered=" << o.answered << "/3 db=" << db << " www=" << www
                      << " ext=" << ext << " sessions_left=" << o.sessionsLeft << "\n";
        }
    }
    std::cout << "summary: translated_helper=" << translatedHelper
              << "/4 translated_nohelper=" << translatedNoHelper
              << "/4 ext_untouched=" << (extUntouched ? "yes" : "no")
              << " udp_sessions_left_helper=" << udpSessionsLeft << std::endl;
    return 0;
}
