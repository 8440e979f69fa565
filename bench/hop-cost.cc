/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * fortigate-hopcost: one traffic case through one middle node, for callgrind instruction counts
 * (utils/hop-cost.sh runs it; `./fgsim bench` prints ir_hop_ratio_<case>).
 *
 *   client --p2p 1Gbps-- [middle: plain ns-3 router | FortiGate] --p2p 1Gbps-- server
 *
 * The client sends --packets UDP datagrams, 1 ms apart, to the server; the server counts them.
 * Cases:
 *   established   one UDP flow (one session through the FortiGate)
 *   new_session   each datagram from its own source port (a new session each)
 *   sip_kernel    each datagram a SIP INVITE with SDP (new Call-ID, new media port) to UDP 5060,
 *                 through the SIP session helper (default-voip-alg-mode kernel-helper-based)
 *   sip_alg       the same INVITEs through the SIP ALG (proxy-based, the FortiOS default)
 *   h323_ras      each datagram an H.225.0 RAS RRQ (PER) to UDP 1719 announcing a new
 *                 call-signalling port, through the ras session helper (decode, rewrite under
 *                 NAT, a pinhole each)
 *   mgcp_crcx     each datagram an MGCP CRCX with SDP (new transaction and call id, the
 *                 sender's own address in c=/o=, rewritten under NAT) from the call agent port
 *                 2727 to UDP 2427, through the mgcp session helper (one session; no pinhole:
 *                 those open on a CRCX response, which this one-way bench does not send)
 * The FortiGate has one accept policy with NAT. Everything the run does besides the datagrams
 * (ns-3 start-up, topology, configuration, ARP) does not depend on --packets, so the difference of
 * two runs' instruction counts divided by the difference of their packet counts is the cost of one
 * packet, end to end. ir_hop_ratio = that cost with the FortiGate / that cost with the router.
 *
 * Prints `delivered: N` (exit status 1 when not every datagram arrived).
 */

#include "ns3/core-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <cstdio>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("FortiGateHopCost");

namespace
{

const char* const kPolicyCli = "config firewall policy\n"
                               "    edit 1\n"
                               "        set name \"bench\"\n"
                               "        set srcintf \"port1\"\n"
                               "        set dstintf \"wan1\"\n"
                               "        set action accept\n"
                               "        set srcaddr \"all\"\n"
                               "        set dstaddr \"all\"\n"
                               "        set schedule \"always\"\n"
                               "        set service \"ALL\"\n"
                               "        set nat enable\n"
                               "    next\n"
                               "end\n";

/// A SIP INVITE with SDP, call \p i (own Call-ID, branch, tag and media port).
std::string
Invite(uint32_t i)
{
    const std::string n = std::to_string(i);
    const std::string media = std::to_string(20000 + 2 * (i % 10000));
    std::string sdp = "v=0\r\n"
                      "o=alice 2890844526 2890844526 IN IP4 10.0.1.2\r\n"
                      "s=-\r\n"
                      "c=IN IP4 10.0.1.2\r\n"
                      "t=0 0\r\n"
                      "m=audio " +
                      media +
                      " RTP/AVP 0\r\n"
                      "a=rtpmap:0 PCMU/8000\r\n";
    return "INVITE sip:bob@203.0.113.2 SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK" +
           n +
           "\r\n"
           "Max-Forwards: 70\r\n"
           "From: <sip:alice@10.0.1.2>;tag=a" +
           n +
           "\r\n"
           "To: <sip:bob@203.0.113.2>\r\n"
           "Call-ID: call" +
           n +
           "@10.0.1.2\r\n"
           "CSeq: 1 INVITE\r\n"
           "Contact: <sip:alice@10.0.1.2:5060>\r\n"
           "Content-Type: application/sdp\r\n"
           "Content-Length: " +
           std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
}

/// \return RAS RRQ number \p i (PER): RAS address 10.0.1.2:1719, a new call-signalling port
std::string
Rrq(uint32_t i)
{
    H225Ras m;
    m.type = RAS_RRQ;
    m.seq = static_cast<uint16_t>(1 + i % 65535);
    m.ras = {0x0a000102, 1719};
    m.callSignal = {0x0a000102, static_cast<uint16_t>(20000 + 2 * (i % 10000))};
    const std::vector<uint8_t> b = EncodeRas(m);
    return std::string(b.begin(), b.end());
}

/// An MGCP CRCX with SDP, transaction \p i (own call id, media port).
std::string
Crcx(uint32_t i)
{
    const std::string n = std::to_string(1000 + i);
    return "CRCX " + n + " aaln/1@[203.0.113.2] MGCP 1.0\r\n"
           "C: " + n + "\r\n"
           "L: p:20, a:PCMU\r\n"
           "M: sendrecv\r\n"
           "\r\n"
           "v=0\r\n"
           "o=- " + n + " 1 IN IP4 10.0.1.2\r\n"
           "s=-\r\n"
           "c=IN IP4 10.0.1.2\r\n"
           "t=0 0\r\n"
           "m=audio " + std::to_string(20000 + 2 * (i % 10000)) + " RTP/AVP 0\r\n";
}

uint32_t g_delivered = 0; //!< datagrams the server received

void
Receive(Ptr<Socket> socket)
{
    while (socket->Recv())
    {
        ++g_delivered;
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string middle = "router";
    std::string kase = "established";
    uint32_t packets = 100;
    CommandLine cmd(__FILE__);
    cmd.AddValue("middle", "router or fortigate", middle);
    cmd.AddValue("case", "established, new_session, sip_kernel, sip_alg, h323_ras or mgcp_crcx",
                 kase);
    cmd.AddValue("packets", "datagrams to send", packets);
    cmd.Parse(argc, argv);
    const bool ras = kase == "h323_ras";
    const bool mgcp = kase == "mgcp_crcx";
    const bool sip = kase == "sip_kernel" || kase == "sip_alg" || ras || mgcp;
    if ((middle != "router" && middle != "fortigate") ||
        (kase != "established" && kase != "new_session" && !sip) || packets > 50000)
    {
        std::fprintf(stderr, "fortigate-hopcost: bad arguments (see --help)\n");
        return 2;
    }

    NodeContainer nodes(3); // client, middle, server
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("100us"));
    NetDeviceContainer lan = p2p.Install(nodes.Get(0), nodes.Get(1));
    NetDeviceContainer wan = p2p.Install(nodes.Get(1), nodes.Get(2));
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.1.0", "255.255.255.0", "0.0.0.1");
    Ipv4InterfaceContainer lanIf = addr.Assign(NetDeviceContainer(lan.Get(1), lan.Get(0)));
    addr.SetBase("203.0.113.0", "255.255.255.0", "0.0.0.1");
    Ipv4InterfaceContainer wanIf = addr.Assign(wan);
    // No queue discs (Ipv4AddressHelper::Assign installs FqCoDel, which creates a queue per new
    // flow on every node: a cost of ns-3's traffic control, not of the hop).
    TrafficControlHelper tch;
    tch.Uninstall(lan);
    tch.Uninstall(wan);
    Ipv4StaticRoutingHelper srh;
    srh.GetStaticRouting(nodes.Get(0)->GetObject<Ipv4>())->SetDefaultRoute(lanIf.GetAddress(0), 1);
    srh.GetStaticRouting(nodes.Get(2)->GetObject<Ipv4>())->SetDefaultRoute(wanIf.GetAddress(0), 1);

    if (middle == "fortigate")
    {
        FortiGateHelper helper;
        helper.SetInterfaceNames({"port1", "wan1"});
        helper.AddCliConfig(kPolicyCli);
        if (kase == "sip_kernel")
        {
            helper.AddCliConfig("config system settings\n"
                                "    set default-voip-alg-mode kernel-helper-based\n"
                                "end\n");
        }
        helper.Install(nodes.Get(1));
        helper.AssignStreams(NodeContainer(nodes.Get(1)), 100);
    }

    const uint16_t dport = ras ? 1719 : mgcp ? 2427 : sip ? 5060 : 9000;
    TypeId udp = UdpSocketFactory::GetTypeId();
    Ptr<Socket> sink = Socket::CreateSocket(nodes.Get(2), udp);
    sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), dport));
    sink->SetRecvCallback(MakeCallback(&Receive));

    // The UDP cases send through a raw socket with their own UDP header, so that a new source
    // port per datagram costs the client nothing more than the same port every time.
    Ptr<Socket> sender;
    if (sip)
    {
        sender = Socket::CreateSocket(nodes.Get(0), udp);
        sender->Bind(InetSocketAddress(Ipv4Address::GetAny(), mgcp ? 2727 : dport));
    }
    else
    {
        sender = Socket::CreateSocket(nodes.Get(0), Ipv4RawSocketFactory::GetTypeId());
        sender->SetAttribute("Protocol", UintegerValue(UdpL4Protocol::PROT_NUMBER));
    }
    const Ipv4Address server = wanIf.GetAddress(1);
    for (uint32_t i = 0; i < packets; ++i)
    {
        const uint16_t sport = static_cast<uint16_t>(kase == "new_session" ? 10000 + i : 10000);
        Simulator::Schedule(MilliSeconds(100 + i), [sender, sip, ras, mgcp, i, sport, server, dport]() {
            if (sip)
            {
                const std::string m = ras ? Rrq(i) : mgcp ? Crcx(i) : Invite(i);
                sender->SendTo(reinterpret_cast<const uint8_t*>(m.data()),
                               static_cast<uint32_t>(m.size()),
                               0,
                               InetSocketAddress(server, dport));
                return;
            }
            Ptr<Packet> p = Create<Packet>(200);
            UdpHeader h;
            h.SetSourcePort(sport);
            h.SetDestinationPort(dport);
            p->AddHeader(h);
            sender->SendTo(p, 0, InetSocketAddress(server, 0));
        });
    }
    Simulator::Stop(MilliSeconds(100 + packets + 50));
    Simulator::Run();
    Simulator::Destroy();
    std::printf("delivered: %u\n", g_delivered);
    return g_delivered == packets ? 0 : 1;
}
