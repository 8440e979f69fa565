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
 *   sip_alg       the same INVITEs through the SIP ALG (proxy-based, the FortiOS default);
 *                 with --open=N, N INVITEs (N dialogs left open: the server never answers) go
 *                 through the same session before the measured ones
 *   ftp_port      one FTP control connection (TCP to port 21, through the FTP session helper);
 *                 each measured packet is one `PORT h1,h2,h3,h4,p1,p2` command (a new data port
 *                 each, so a new expectation each); the server's ACKs cross the middle node too
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
 * Under valgrind, instrumentation starts 1 ms before the first measured packet (run callgrind with
 * --instr-atstart=no, as utils/hop-cost.sh does), so --open's set-up runs at full speed and is
 * counted by neither run.
 *
 * Prints `delivered: N` (exit status 1 when not every datagram arrived).
 */

#include "bench-topology.h"

#include "ns3/core-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#endif

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
    const std::string media = std::to_string(20000 + 2 * (i % 20000));
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
    return "CRCX " + n +
           " aaln/1@[203.0.113.2] MGCP 1.0\r\n"
           "C: " +
           n +
           "\r\n"
           "L: p:20, a:PCMU\r\n"
           "M: sendrecv\r\n"
           "\r\n"
           "v=0\r\n"
           "o=- " +
           n +
           " 1 IN IP4 10.0.1.2\r\n"
           "s=-\r\n"
           "c=IN IP4 10.0.1.2\r\n"
           "t=0 0\r\n"
           "m=audio " +
           std::to_string(20000 + 2 * (i % 10000)) + " RTP/AVP 0\r\n";
}

uint32_t g_delivered = 0; //!< datagrams the server received
uint64_t g_ftpLines = 0;  //!< command lines the FTP server received

void
Receive(Ptr<Socket> socket)
{
    while (socket->Recv())
    {
        ++g_delivered;
    }
}

void
ReceiveStream(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        // Count lines: the FortiGate rewrites each PORT command's address (its length changes).
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), b.size());
        g_ftpLines += static_cast<uint64_t>(std::count(b.begin(), b.end(), '\n'));
    }
}

void
Accept(Ptr<Socket> s, const Address&)
{
    s->SetRecvCallback(MakeCallback(&ReceiveStream));
}

/// FTP `PORT` command \p i: the client's address, data port 30000 + i % 20000 (21 bytes each).
std::string
PortCommand(uint32_t i)
{
    const uint32_t port = 30000 + i % 20000;
    char b[64];
    std::snprintf(b, sizeof(b), "PORT 10,0,1,2,%u,%u\r\n", port / 256, port % 256);
    return b;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string middle = "router";
    std::string kase = "established";
    uint32_t packets = 100;
    uint32_t open = 0;
    CommandLine cmd(__FILE__);
    cmd.AddValue("middle", "router or fortigate", middle);
    cmd.AddValue("case",
                 "established, new_session, sip_kernel, sip_alg, ftp_port, h323_ras or mgcp_crcx",
                 kase);
    cmd.AddValue("packets", "datagrams to send", packets);
    cmd.AddValue("open", "SIP cases: dialogs opened before the measured packets", open);
    cmd.Parse(argc, argv);
    const bool ras = kase == "h323_ras";
    const bool mgcp = kase == "mgcp_crcx";
    const bool sip = kase == "sip_kernel" || kase == "sip_alg" || ras || mgcp;
    const bool ftp = kase == "ftp_port";
    if ((middle != "router" && middle != "fortigate") ||
        (kase != "established" && kase != "new_session" && !sip && !ftp) || packets > 50000 ||
        open > 100000 || (open > 0 && !sip))
    {
        std::fprintf(stderr, "fortigate-hopcost: bad arguments (see --help)\n");
        return 2;
    }

    BenchLine line = MakeBenchLine("1Gbps");
    NodeContainer& nodes = line.nodes;
    Ipv4InterfaceContainer& wanIf = line.wanIf;

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

    // The set-up INVITEs (--open) 100 us apart from 10 ms on, the measured packets 50 ms later.
    const Time start = MilliSeconds(10) + MicroSeconds(100) * open + MilliSeconds(50);
    Simulator::Schedule(start - MilliSeconds(1), []() { CALLGRIND_START_INSTRUMENTATION; });
    const Ipv4Address server = wanIf.GetAddress(1);

    if (ftp)
    {
        Ptr<Socket> listener = Socket::CreateSocket(nodes.Get(2), TcpSocketFactory::GetTypeId());
        listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), 21));
        listener->Listen();
        listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                    MakeCallback(&Accept));
        Ptr<Socket> control = Socket::CreateSocket(nodes.Get(0), TcpSocketFactory::GetTypeId());
        control->Bind();
        Simulator::Schedule(MilliSeconds(10), [control, server]() {
            control->Connect(InetSocketAddress(server, 21));
        });
        for (uint32_t i = 0; i < packets; ++i)
        {
            Simulator::Schedule(start + MilliSeconds(i), [control, i]() {
                const std::string m = PortCommand(i);
                control->Send(reinterpret_cast<const uint8_t*>(m.data()),
                              static_cast<uint32_t>(m.size()),
                              0);
            });
        }
        Simulator::Stop(start + MilliSeconds(packets + 50));
        Simulator::Run();
        Simulator::Destroy();
        std::printf("delivered: %llu commands\n", static_cast<unsigned long long>(g_ftpLines));
        return g_ftpLines == packets ? 0 : 1;
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
    for (uint32_t i = 0; i < open; ++i)
    {
        Simulator::Schedule(MilliSeconds(10) + MicroSeconds(100) * i,
                            [sender, i, packets, server]() {
                                const std::string m =
                                    Invite(packets + i); // Call-IDs apart from the measured ones
                                sender->SendTo(reinterpret_cast<const uint8_t*>(m.data()),
                                               static_cast<uint32_t>(m.size()),
                                               0,
                                               InetSocketAddress(server, 5060));
                            });
    }
    for (uint32_t i = 0; i < packets; ++i)
    {
        const uint16_t sport = static_cast<uint16_t>(kase == "new_session" ? 10000 + i : 10000);
        Simulator::Schedule(start + MilliSeconds(i),
                            [sender, sip, ras, mgcp, i, sport, server, dport]() {
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
    Simulator::Stop(start + MilliSeconds(packets + 50));
    Simulator::Run();
    Simulator::Destroy();
    std::printf("delivered: %u\n", g_delivered);
    return g_delivered == packets + open ? 0 : 1;
}
