/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target, end to end: arbitrary packet bytes through a configured FortiGate's
 * datapath (ns-3's IPv4 input, routing hook, packet view, sessions, policies, NAT, VIP, every
 * default session helper with its parser and pinholes, ICMP error matching, fragments).
 *
 * The unit: port1 10.0.1.1/24 (LAN), wan1 203.0.113.10/24 (Internet, default route); policy 1
 * LAN -> Internet with source NAT through an IP pool, policy 2 Internet -> VIP 203.0.113.80
 * (10.0.1.80, every service), the factory session helpers (SIP, FTP, TFTP, RSH, PPTP, RTSP...).
 * A fresh simulation is built for every input, so an input always does the same thing.
 *
 * Input: records of [ctl][length high][length low][IPv4 packet bytes...] (at most 64; a short
 * last record takes what is left). ctl bit 0: arrives on wan1 (1) or port1 (0); bits 1-3: time
 * to let pass before it (0, 1 ms, 100 ms, 1 s, 10 s, 60 s, 300 s, 3600 s), so timers, pinhole
 * expiry and the held-segment timeout run too.
 */
#include "fuzz-check.h"

#include "ns3/core-module.h"
#include "ns3/fortigate-config.h"
#include "ns3/fortigate-helper.h"
#include "ns3/fortigate-node.h"
#include "ns3/fortios-cli.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/simple-channel.h"
#include "ns3/simple-net-device-helper.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

using namespace ns3;

namespace
{

const char* const CONFIG = R"(
config system interface
    edit "port1"
        set ip 10.0.1.1 255.255.255.0
        set allowaccess ping
        set role lan
    next
    edit "wan1"
        set ip 203.0.113.10 255.255.255.0
        set allowaccess ping
        set role wan
    next
end
config firewall ippool
    edit "pool"
        set startip 203.0.113.20
        set endip 203.0.113.21
    next
end
config firewall vip
    edit "inside"
        set extip 203.0.113.80
        set mappedip "10.0.1.80"
        set extintf "wan1"
    next
end
config firewall policy
    edit 1
        set srcintf "port1"
        set dstintf "wan1"
        set action accept
        set srcaddr "all"
        set dstaddr "all"
        set schedule "always"
        set service "ALL"
        set nat enable
        set ippool enable
        set poolname "pool"
    next
    edit 2
        set srcintf "wan1"
        set dstintf "port1"
        set action accept
        set srcaddr "all"
        set dstaddr "inside"
        set schedule "always"
        set service "ALL"
    next
end
)";

const FortiGateConfig&
UnitConfig()
{
    static const FortiGateConfig config = [] {
        FortiGateConfig c;
        const auto r = FortiOsCli().Execute(c, CONFIG);
        if (!r.ok)
        {
            std::fprintf(stderr, "datapath-fuzz: configuration rejected: %s\n", r.error.c_str());
            std::abort();
        }
        return c;
    }();
    return config;
}

const int64_t ADVANCE_NS[8] =
    {0, 1000000, 100000000, 1000000000, 10000000000, 60000000000, 300000000000, 3600000000000};

void
RunFor(int64_t ns)
{
    Simulator::Stop(NanoSeconds(ns));
    Simulator::Run();
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int*, char***)
{
    UnitConfig();
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    const FortiGateConfig& cfg = UnitConfig();
    Ptr<Node> fgNode = CreateObject<Node>();
    InternetStackHelper().Install(fgNode);
    Ptr<Ipv4> ipv4 = fgNode->GetObject<Ipv4>();
    SimpleNetDeviceHelper simple;
    simple.SetNetDevicePointToPointMode(true);
    simple.SetChannelAttribute("Delay", TimeValue(Seconds(0)));
    Ptr<NetDevice> fgDevs[2];
    Ptr<NetDevice> peerDevs[2];
    uint64_t sent[2] = {0, 0};
    for (int i = 0; i < 2; ++i)
    {
        const auto& intf = cfg.Interfaces()[cfg.FindInterface(i == 0 ? "port1" : "wan1")];
        Ptr<Node> peer = CreateObject<Node>();
        Ptr<SimpleChannel> ch = CreateObject<SimpleChannel>();
        fgDevs[i] = simple.Install(fgNode, ch).Get(0);
        peerDevs[i] = simple.Install(peer, ch).Get(0);
        fgDevs[i]->SetMtu(65535);
        peerDevs[i]->SetMtu(65535);
        const int32_t ipIf = ipv4->AddInterface(fgDevs[i]);
        ipv4->AddAddress(ipIf, Ipv4InterfaceAddress(Ipv4Address(intf.ip), Ipv4Mask(intf.mask)));
        ipv4->SetUp(ipIf);
        peerDevs[i]->SetReceiveCallback(
            [&sent, i](Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&) {
                ++sent[i];
                return true;
            });
    }
    Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->AddNetworkRouteTo(
        Ipv4Address::GetZero(),
        Ipv4Mask::GetZero(),
        ipv4->GetInterfaceForDevice(fgDevs[1]));
    FortiGateHelper fgt;
    fgt.SetInterfaceNames({"port1", "wan1"});
    for (const char* a : {"FastPathCost", "SessionSetupCost", "HelperCost", "ProxyCost"})
    {
        fgt.SetCpuAttribute(a, TimeValue(Seconds(0)));
    }
    fgt.SetConfig(cfg);
    Ptr<FortiGateNode> fg = fgt.Install(fgNode);
    fgt.AssignStreams(NodeContainer(fgNode), 1);
    RunFor(1);

    std::size_t pos = 0;
    for (int records = 0; records < 64 && pos < len; ++records)
    {
        const uint8_t ctl = data[pos++];
        std::size_t n = 0;
        if (pos + 2 <= len)
        {
            n = static_cast<std::size_t>(data[pos]) << 8 | data[pos + 1];
            pos += 2;
        }
        n = std::min(n, len - pos);
        if (ADVANCE_NS[(ctl >> 1) & 7] > 0)
        {
            RunFor(ADVANCE_NS[(ctl >> 1) & 7]);
        }
        const int port = ctl & 1;
        peerDevs[port]->Send(Create<Packet>(data + pos, n),
                             fgDevs[port]->GetAddress(),
                             Ipv4L3Protocol::PROT_NUMBER);
        pos += n;
        RunFor(1000000);
    }
    RunFor(1000000000);
    FUZZ_CHECK(fg->GetSessionTable().Size() <= 64 * 4);
    Simulator::Destroy();
    return 0;
}
