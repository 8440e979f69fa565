/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// fgsim-replay: run a packet capture through a FortiGate configured by FortiOS CLI files
// (what `./fgsim replay` runs).
//
//   fgsim-replay --config FILE [--config FILE...] [--write OUT.pcap]
//                [--map ADDR[:PORT]=ADDR ...] [--no-reply-map] [--file-order]
//                [--tcp-without-syn] [--keep-duplicates] [--quiet] [--exec CMD ...]
//                [--after CMD ...] [--log FILE] IN.pcap|IN.pcapng
//
// The tool builds a one-node ns-3 simulation: the FortiGate gets one point-to-point device per
// configured interface (`config system interface` / `set ip`), with the static routes of
// `config router static` (and 0.0.0.0/0 through the WAN interface when the configuration has
// no default route). Every IPv4 packet of the capture is handed to the FortiGate at its capture
// time, on the interface whose subnet (or route) holds its source, and runs through the real
// datapath: sessions, policies, NAT, session helpers and their pinholes. What the FortiGate
// sends is written to OUT (raw IPv4 pcap, written by ns-3's PcapFile; the per-packet lines name
// the port) with the simulated time stamps, which equal the capture's (the CPU model costs
// nothing here). Options are parsed by ns-3's CommandLine (`--name VALUE` or `--name=VALUE`).
//
// A capture records each connection on one side of the firewall: the initiator's. Replies and
// pinhole connections in it carry the addresses the FortiGate *sent*, not those it would have
// received after NAT. Unless --no-reply-map is given, a packet whose tuple is the translated
// form of a live session's direction (or of a pinhole) is mapped back to what the FortiGate
// receives (addresses, ports, TCP sequence/acknowledgement corrections of payload rewrites;
// checksums adjusted), so the replies of NATed sessions find their session as they would.
//
// Lines `#replay: OPTIONS` in a configuration file add options (e.g. `--map`), so a sample
// configuration can carry what its capture needs.
//
// Output: one line per packet (verdict: forwarded as ..., dropped: reason, ...), the sessions
// and pinholes as they are created, `diagnose sys session list` and `diagnose sys session list
// expectation` at the end, and a summary line
//   summary: packets=N forwarded=N dropped=N sessions=N pinholes=N ...
// Exit status: 0 after a replay (whatever the verdicts), 1 when a configuration is rejected,
// 2 for bad arguments or an unreadable capture.

#include "pcap-reader.h"
#include "tool-options.h"

#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/expectation-table.h"
#include "ns3/fortigate-config.h"
#include "ns3/fortigate-helper.h"
#include "ns3/fortigate-node.h"
#include "ns3/fortios-cli.h"
#include "ns3/global-value.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/log.h"
#include "ns3/nat-translator.h"
#include "ns3/node-container.h"
#include "ns3/packet-view.h"
#include "ns3/pcap-file.h"
#include "ns3/pptp-parser.h"
#include "ns3/session.h"
#include "ns3/simple-channel.h"
#include "ns3/simple-net-device-helper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <boost/endian/conversion.hpp>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
using boost::endian::load_big_u16;
using boost::endian::load_big_u32;
using boost::endian::store_big_u16;
using boost::endian::store_big_u32;

NS_LOG_COMPONENT_DEFINE("FgsimReplay");

namespace
{

const char* const USAGE =
    "usage: fgsim-replay --config FILE [--config FILE...] [--write OUT.pcap]\n"
    "                    [--map ADDR[:PORT]=ADDR ...] [--no-reply-map] [--file-order]\n"
    "                    [--tcp-without-syn] [--keep-duplicates] [--quiet] [--exec CMD ...]\n"
    "                    [--after CMD ...] [--log FILE] IN.pcap|IN.pcapng\n"
    "Runs every IPv4 packet of a capture (pcap or pcapng; Ethernet, VLAN, PPPoE, Linux cooked,\n"
    "loopback or raw IP) through a FortiGate configured by FortiOS CLI files. Packets arrive on\n"
    "the interface whose subnet (or static route) holds their source.\n"
    "  --config FILE     FortiOS CLI (config system interface / router static / firewall ...);\n"
    "                    lines '#replay: OPTIONS' in it add options\n"
    "  --write OUT       write what the FortiGate sends (raw IPv4 pcap, all ports)\n"
    "  --map A[:P]=B     rewrite address A (only the endpoint with port P) to B before replay\n"
    "                    (e.g. a loopback capture: --map 127.0.0.1:514=10.0.2.10 --map "
    "127.0.0.1=10.0.1.10)\n"
    "  --no-reply-map    inject replies as captured (by default a packet carrying the "
    "translated\n"
    "                    form of a live session or pinhole is mapped back to what the FortiGate\n"
    "                    would receive)\n"
    "  --file-order      replay in file order (default: time-stamp order)\n"
    "  --tcp-without-syn let TCP packets without a session start one (captures that begin\n"
    "                    inside a connection)\n"
    "  --keep-duplicates replay every copy of a packet (by default a packet identical to one of\n"
    "                    the last 100 ms but for TTL and checksum, as captures on several\n"
    "                    interfaces or on 'any' hold, is skipped)\n"
    "  --quiet           no per-packet lines\n"
    "  --exec 'CMD'      (-e) run a FortiOS CLI command on the unit before the capture\n"
    "                    (repeatable; e.g. --exec 'diagnose debug flow trace start 100' --exec\n"
    "                    'diagnose debug enable'): '# exec: CMD' and its output are printed, and\n"
    "                    after each packet's line the debug output it enabled\n"
    "  --after 'CMD'     run a CLI command on the unit after the replay (repeatable; show, get,\n"
    "                    diagnose ...): '# exec: CMD' and its output are printed\n"
    "  --log FILE        write the unit's traffic and VoIP log lines to FILE\n";

// ---- small byte helpers ------------------------------------------------------------------------

/// ChecksumAdjust (RFC 1624) for a 32-bit field changing from \p oldV to \p newV.
uint16_t
ChecksumAdjust32(uint16_t csum, uint32_t oldV, uint32_t newV)
{
    const uint16_t oldWords[2] = {static_cast<uint16_t>(oldV >> 16), static_cast<uint16_t>(oldV)};
    const uint16_t newWords[2] = {static_cast<uint16_t>(newV >> 16), static_cast<uint16_t>(newV)};
    return ChecksumAdjust(csum, oldWords, newWords, 2);
}

/// Recompute the IPv4 header checksum in place.
void
FixIpChecksum(uint8_t* ip)
{
    ip[10] = ip[11] = 0;
    store_big_u16(ip + 10, InternetChecksum(ip, (ip[0] & 0x0f) * 4u));
}

/**
 * Recompute the TCP, UDP (unless it carries none) or ICMP checksum of a whole, unfragmented
 * packet. Captures taken on the sending host often hold checksums the NIC was to fill in
 * (offload); the FortiGate receives them computed. \return true when the checksum changed.
 */
bool
FixL4Checksum(std::vector<uint8_t>& pkt, const PacketView& v)
{
    const std::size_t ihl = (pkt[0] & 0x0f) * 4u;
    if (v.IsFragment() || pkt.size() < ihl)
    {
        return false;
    }
    const std::size_t l4len = pkt.size() - ihl;
    uint8_t* l4 = pkt.data() + ihl;
    std::size_t at;
    bool pseudo = true;
    switch (v.tuple.proto)
    {
    case IPPROTO_NUM_TCP:
        at = 16;
        break;
    case IPPROTO_NUM_UDP:
        at = 6;
        if (l4len >= 8 && load_big_u16(l4 + 6) == 0)
        {
            return false; // no checksum
        }
        break;
    case IPPROTO_NUM_ICMP:
        at = 2;
        pseudo = false;
        break;
    default:
        return false;
    }
    if (l4len < at + 2)
    {
        return false;
    }
    const uint16_t old = load_big_u16(l4 + at);
    l4[at] = l4[at + 1] = 0;
    uint32_t sum = 0; // the pseudo header: addresses, protocol, length
    if (pseudo)
    {
        for (std::size_t i = 12; i < 20; i += 2)
        {
            sum += load_big_u16(pkt.data() + i);
        }
        sum += v.tuple.proto + static_cast<uint32_t>(l4len);
    }
    uint16_t cs = InternetChecksum(l4, l4len, sum);
    if (v.tuple.proto == IPPROTO_NUM_UDP && cs == 0)
    {
        cs = 0xffff;
    }
    store_big_u16(l4 + at, cs);
    return cs != old;
}

/**
 * Where the L4 checksum of a packet is (offset from the IP header), or 0 when it has none the
 * rewrite must keep right. UDP checksum 0 (none) is left alone.
 */
std::size_t
L4ChecksumOffset(const std::vector<uint8_t>& pkt, const PacketView& v)
{
    const std::size_t ihl = (pkt[0] & 0x0f) * 4u;
    if (v.IsLaterFragment())
    {
        return 0;
    }
    switch (v.tuple.proto)
    {
    case IPPROTO_NUM_TCP:
        return pkt.size() >= ihl + 18 ? ihl + 16 : 0;
    case IPPROTO_NUM_UDP:
        return pkt.size() >= ihl + 8 && load_big_u16(&pkt[ihl + 6]) != 0 ? ihl + 6 : 0;
    default:
        return 0;
    }
}

/// Set an address of the packet (src: offset 12, dst: 16), adjusting the L4 checksum.
void
SetAddress(std::vector<uint8_t>& pkt, const PacketView& v, std::size_t at, uint32_t addr)
{
    const uint32_t old = load_big_u32(&pkt[at]);
    if (old == addr)
    {
        return;
    }
    store_big_u32(&pkt[at], addr);
    if (std::size_t c = L4ChecksumOffset(pkt, v))
    {
        uint16_t cs = ChecksumAdjust32(load_big_u16(&pkt[c]), old, addr);
        if (v.tuple.proto == IPPROTO_NUM_UDP && cs == 0)
        {
            cs = 0xffff;
        }
        store_big_u16(&pkt[c], cs);
    }
}

/// Set a 16-bit transport field (port, ICMP id, GRE call id) at \p at, adjusting checksums.
void
SetL4Word(std::vector<uint8_t>& pkt, const PacketView& v, std::size_t at, uint16_t value)
{
    const uint16_t old = load_big_u16(&pkt[at]);
    if (old == value)
    {
        return;
    }
    store_big_u16(&pkt[at], value);
    const std::size_t ihl = (pkt[0] & 0x0f) * 4u;
    std::size_t c = L4ChecksumOffset(pkt, v);
    if (v.tuple.proto == IPPROTO_NUM_ICMP && pkt.size() >= ihl + 4)
    {
        c = ihl + 2;
    }
    if (c)
    {
        uint16_t cs = ChecksumAdjust(load_big_u16(&pkt[c]), &old, &value, 1);
        if (v.tuple.proto == IPPROTO_NUM_UDP && cs == 0)
        {
            cs = 0xffff;
        }
        store_big_u16(&pkt[c], cs);
    }
}

void
SetTcp32(std::vector<uint8_t>& pkt, const PacketView& v, std::size_t at, uint32_t value)
{
    const uint32_t old = load_big_u32(&pkt[at]);
    store_big_u32(&pkt[at], value);
    if (std::size_t c = L4ChecksumOffset(pkt, v))
    {
        store_big_u16(&pkt[c], ChecksumAdjust32(load_big_u16(&pkt[c]), old, value));
    }
}

/**
 * Rewrite a parsed packet so its tuple becomes \p to. Ports are rewritten for TCP, UDP, ICMP
 * echo (id) and GRE with a key (call id). \return false (packet unchanged) when a port change
 * is needed that the protocol cannot carry.
 */
bool
RewriteTuple(std::vector<uint8_t>& pkt, const PacketView& v, const FlowTuple& to)
{
    const std::size_t ihl = (pkt[0] & 0x0f) * 4u;
    const bool portsDiffer = to.sport != v.tuple.sport || to.dport != v.tuple.dport;
    if (portsDiffer)
    {
        const bool ok = !v.IsLaterFragment() &&
                        ((v.tuple.proto == IPPROTO_NUM_TCP || v.tuple.proto == IPPROTO_NUM_UDP) ||
                         (v.IsIcmpEcho() && to.sport == to.dport) ||
                         (v.tuple.proto == GRE_IP_PROTOCOL && v.l4HeaderSize == 8 &&
                          to.sport == v.tuple.sport));
        if (!ok)
        {
            return false;
        }
    }
    SetAddress(pkt, v, 12, to.src);
    SetAddress(pkt, v, 16, to.dst);
    if (portsDiffer)
    {
        switch (v.tuple.proto)
        {
        case IPPROTO_NUM_TCP:
        case IPPROTO_NUM_UDP:
            SetL4Word(pkt, v, ihl, to.sport);
            SetL4Word(pkt, v, ihl + 2, to.dport);
            break;
        case IPPROTO_NUM_ICMP:
            SetL4Word(pkt, v, ihl + 4, to.sport);
            break;
        case GRE_IP_PROTOCOL:
            SetL4Word(pkt, v, ihl + 6, to.dport);
            break;
        default:
            break;
        }
    }
    FixIpChecksum(pkt.data());
    return true;
}

// ---- text helpers --------------------------------------------------------------------------

std::string
Ip(uint32_t a)
{
    return Ipv4ToString(a);
}

std::string
Hex8(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%08x", v);
    return buf;
}

std::string
TcpFlags(uint8_t f)
{
    std::string s;
    if (f & 0x02)
    {
        s += 'S';
    }
    if (f & 0x01)
    {
        s += 'F';
    }
    if (f & 0x04)
    {
        s += 'R';
    }
    if (f & 0x08)
    {
        s += 'P';
    }
    if (f & 0x10)
    {
        s += '.';
    }
    return "[" + s + "]";
}

std::string
ProtoName(uint8_t p)
{
    const char* name = IpProtoName(p);
    return name ? name : "proto " + std::to_string(p);
}

std::string
TupleText(const FlowTuple& t)
{
    std::ostringstream os;
    os << ProtoName(t.proto) << " ";
    if (t.proto == IPPROTO_NUM_TCP || t.proto == IPPROTO_NUM_UDP)
    {
        os << Ip(t.src) << ":" << t.sport << " -> " << Ip(t.dst) << ":" << t.dport;
    }
    else
    {
        os << Ip(t.src) << " -> " << Ip(t.dst);
        if (t.proto == IPPROTO_NUM_ICMP && (t.sport || t.dport))
        {
            os << " id " << t.sport;
        }
        else if (t.proto == GRE_IP_PROTOCOL && t.dport)
        {
            os << " call " << t.dport;
        }
    }
    return os.str();
}

/// Packet summary: tuple plus TCP flags / ICMP type / fragment.
std::string
PacketText(const PacketView& v)
{
    std::ostringstream os;
    os << TupleText(v.tuple);
    if (v.tuple.proto == IPPROTO_NUM_TCP && v.l4Valid)
    {
        os << " " << TcpFlags(v.tcpFlags);
        const uint32_t payload = v.l4Size > v.l4HeaderSize ? v.l4Size - v.l4HeaderSize : 0;
        if (payload)
        {
            os << " len " << payload;
        }
    }
    else if (v.tuple.proto == IPPROTO_NUM_ICMP && !v.IsLaterFragment())
    {
        os << " type " << unsigned(v.icmpType) << "/" << unsigned(v.icmpCode);
    }
    if (v.IsFragment())
    {
        os << " frag off " << v.fragOffset * 8 << (v.moreFragments ? " +" : "");
    }
    return os.str();
}

// ---- options -----------------------------------------------------------------------------------

/// `--map A[:P]=B`.
struct AddressMap
{
    uint32_t from{0};
    int port{-1}; //!< -1 = any
    uint32_t to{0};
};

struct Options
{
    std::vector<std::string> configs;
    std::string write;
    std::string input;
    std::vector<AddressMap> maps;
    bool replyMap{true};
    bool fileOrder{false};
    bool tcpWithoutSyn{false};
    bool keepDuplicates{false};
    bool quiet{false};
    std::vector<std::string> exec;  //!< --exec: CLI commands before the capture
    std::vector<std::string> after; //!< --after: CLI commands after it
    std::string log;                //!< --log: traffic log file
};

bool
ParseMap(const std::string& s, AddressMap& m, std::string& err)
{
    const auto eq = s.find('=');
    if (eq == std::string::npos)
    {
        err = "--map " + s + ": expected ADDR[:PORT]=ADDR";
        return false;
    }
    std::string left = s.substr(0, eq);
    const std::string right = s.substr(eq + 1);
    const auto colon = left.find(':');
    if (colon != std::string::npos)
    {
        const std::string port = left.substr(colon + 1);
        char* end = nullptr;
        const long p = std::strtol(port.c_str(), &end, 10);
        if (port.empty() || *end || p < 0 || p > 65535)
        {
            err = "--map " + s + ": bad port '" + port + "'";
            return false;
        }
        m.port = static_cast<int>(p);
        left = left.substr(0, colon);
    }
    if (!ParseIpv4(left, m.from) || !ParseIpv4(right, m.to))
    {
        err = "--map " + s + ": bad address";
        return false;
    }
    return true;
}

/// A CommandLine callback appending each value to \p v (a repeatable option; the whole value,
/// blanks included).
Callback<bool, std::string>
AppendTo(std::vector<std::string>& v)
{
    return Callback<bool, std::string>([&v](std::string s) {
        v.push_back(s);
        return true;
    });
}

/**
 * Parse arguments into \p o with ns3::CommandLine (after PrepareToolArguments, which accepts the
 * documented `--name VALUE` forms). \p fromConfig: the words of `#replay:` lines, which may set
 * only the options that describe the capture. \return "" or the error.
 */
std::string
ParseArgs(const std::vector<std::string>& args, Options& o, bool fromConfig)
{
    std::vector<ToolOption> known{{"map", 0, "ADDR[:PORT]=ADDR"},
                                  {"no-reply-map"},
                                  {"file-order"},
                                  {"tcp-without-syn"},
                                  {"keep-duplicates"}};
    if (!fromConfig)
    {
        known.push_back({"config", 'c', "a file"});
        known.push_back({"write", 'w', "a file"});
        known.push_back({"quiet", 'q'});
        known.push_back({"exec", 'e', "a CLI command"});
        known.push_back({"after", 0, "a CLI command"});
        known.push_back({"log", 0, "a file"});
    }
    std::vector<std::string> argv;
    std::string err = PrepareToolArguments("fgsim-replay", args, known, argv);
    const std::string unknown = "unknown option ";
    if (fromConfig && err.compare(0, unknown.size(), unknown) == 0)
    {
        return "option " + err.substr(unknown.size()) + " is not allowed in a '#replay:' line";
    }
    if (!err.empty())
    {
        return err;
    }

    bool noReplyMap = !o.replyMap;
    CommandLine cmd(__FILE__);
    cmd.Usage(USAGE);
    cmd.AddValue("map",
                 "rewrite address A (only the endpoint with port P) to B before replay: A[:P]=B",
                 Callback<bool, std::string>([&o, &err](std::string v) {
                     AddressMap m;
                     if (err.empty() && ParseMap(v, m, err))
                     {
                         o.maps.push_back(m);
                     }
                     return true; // the error is reported by the caller, with status 2
                 }));
    cmd.AddValue("no-reply-map", "inject replies as captured", noReplyMap);
    cmd.AddValue("file-order", "replay in file order (default: time-stamp order)", o.fileOrder);
    cmd.AddValue("tcp-without-syn", "let TCP packets without a session start one", o.tcpWithoutSyn);
    cmd.AddValue("keep-duplicates", "replay every copy of a packet", o.keepDuplicates);
    if (!fromConfig)
    {
        cmd.AddValue("config", "FortiOS CLI file (repeatable; -c)", AppendTo(o.configs));
        // A callback, not a std::string: CommandLine reads strings up to the first blank.
        cmd.AddValue("write",
                     "write what the FortiGate sends to this pcap (-w)",
                     Callback<bool, std::string>([&o](std::string v) {
                         o.write = v;
                         return true;
                     }));
        cmd.AddValue("quiet", "no per-packet lines (-q)", o.quiet);
        cmd.AddValue("exec",
                     "before the capture, run this FortiOS CLI command on the unit (repeatable; "
                     "-e); debug output it enables is printed after each packet",
                     AppendTo(o.exec));
        cmd.AddValue("after",
                     "after the capture, run this FortiOS CLI command on the unit (repeatable)",
                     AppendTo(o.after));
        cmd.AddValue("log",
                     "write the unit's traffic and VoIP log lines to this file",
                     Callback<bool, std::string>([&o](std::string v) {
                         o.log = v;
                         return true;
                     }));
    }
    cmd.Parse(argv);
    o.replyMap = !noReplyMap;
    if (!err.empty())
    {
        return err;
    }
    for (std::size_t i = 0; i < cmd.GetNExtraNonOptions(); ++i)
    {
        const std::string a = cmd.GetExtraNonOption(i);
        if (fromConfig)
        {
            return "option " + a + " is not allowed in a '#replay:' line";
        }
        if (!o.input.empty())
        {
            return "more than one input capture (" + o.input + ", " + a + ")";
        }
        o.input = a;
    }
    return "";
}

// ---- the replay ------------------------------------------------------------------------------

/// One packet the FortiGate sent.
struct OutPacket
{
    int64_t timeNs;
    int port; //!< configuration interface index
    std::vector<uint8_t> bytes;
};

/// Translation index entry: a captured tuple that is a session direction after translation.
struct TranslatedEntry
{
    uint32_t serial;
    FlowTuple org;    //!< the session's original arriving tuple (to find it)
    FlowTuple target; //!< the arriving tuple to map to
    SessionDir dir;   //!< direction of the arriving tuple
};

class Replay
{
  public:
    Replay(const Options& o, const FortiGateConfig& cfg)
        : m_opt(o),
          m_cfg(cfg)
    {
    }

    int Run(const CaptureFile& cap);

  private:
    void Build();
    int IngressFor(uint32_t src) const;
    void OnPeerRx(int port, Ptr<const Packet> p);
    void OnDrop(Ptr<const Packet>, const Ipv4Header& h, const std::string& reason);
    void OnPolicyDenied(Ptr<const Packet>, const Ipv4Header&, uint32_t policy);
    void OnIpDrop(const Ipv4Header& h,
                  Ptr<const Packet>,
                  Ipv4L3Protocol::DropReason r,
                  Ptr<Ipv4>,
                  uint32_t);
    void OnLocal(const Ipv4Header&, Ptr<const Packet>, uint32_t);
    void OnSessionCreated(const Session& s);
    void OnSessionClosed(const Session& s, const std::string& reason);
    bool MapToArrival(std::vector<uint8_t>& pkt, PacketView& v, std::string& note);
    void ApplyAddressMaps(std::vector<uint8_t>& pkt, PacketView& v);
    void AdvanceTo(int64_t simNs);
    void Inject(int port, const std::vector<uint8_t>& pkt);
    std::string Describe(const std::vector<uint8_t>& bytes) const;

    /// Run a CLI command on the unit: its output, or its error.
    std::string RunCli(const std::string& command)
    {
        const FortiOsCli::Result r = m_fg->Execute(command + "\n");
        return r.ok ? r.output : r.output + r.error + "\n";
    }

    void Line(const std::string& s)
    {
        if (!m_opt.quiet)
        {
            std::cout << s << "\n";
        }
    }

    const Options& m_opt;
    FortiGateConfig m_cfg;
    int64_t m_epochNs{0};
    Ptr<Node> m_fgNode;
    Ptr<FortiGateNode> m_fg;
    std::vector<int> m_ports;               //!< config interface indexes with a device
    std::vector<Ptr<NetDevice>> m_fgDevs;   //!< per config interface index
    std::vector<Ptr<NetDevice>> m_peerDevs; //!< per config interface index
    int m_defaultPort{-1};
    std::unique_ptr<PcapFile> m_writer; //!< --write: what the FortiGate sends (raw IPv4)

    // Per-packet observations.
    std::vector<OutPacket> m_out;
    std::vector<std::string> m_drops;
    std::vector<std::string> m_events;
    bool m_local{false};

    std::map<FlowTuple, TranslatedEntry> m_translated;
    std::map<uint32_t, std::string> m_pinholeHelper; //!< for child sessions' lines

    // Totals.
    uint64_t m_sessions{0};
    uint64_t m_pinholes{0};
};

void
Replay::Build()
{
    const auto& intfs = m_cfg.Interfaces();
    m_fgNode = CreateObject<Node>();
    InternetStackHelper stack;
    stack.Install(m_fgNode);
    Ptr<Ipv4> ipv4 = m_fgNode->GetObject<Ipv4>();
    m_fgDevs.assign(intfs.size(), nullptr);
    m_peerDevs.assign(intfs.size(), nullptr);
    SimpleNetDeviceHelper simple;
    simple.SetNetDevicePointToPointMode(true);
    simple.SetChannelAttribute("Delay", TimeValue(Seconds(0)));
    std::vector<std::string> names;
    for (size_t i = 0; i < intfs.size(); ++i)
    {
        if (intfs[i].ip == 0)
        {
            std::cout << "note: interface " << intfs[i].name
                      << " has no address (set ip): not connected\n";
            continue;
        }
        Ptr<Node> peer = CreateObject<Node>();
        Ptr<SimpleChannel> ch = CreateObject<SimpleChannel>();
        Ptr<NetDevice> fgDev = simple.Install(m_fgNode, ch).Get(0);
        Ptr<NetDevice> peerDev = simple.Install(peer, ch).Get(0);
        // Captures may hold segments larger than 1500 bytes (offloads): never fragment them.
        fgDev->SetMtu(65535);
        peerDev->SetMtu(65535);
        const int32_t ipIf = ipv4->AddInterface(fgDev);
        ipv4->AddAddress(ipIf,
                         Ipv4InterfaceAddress(Ipv4Address(intfs[i].ip), Ipv4Mask(intfs[i].mask)));
        ipv4->SetUp(ipIf);
        const int port = static_cast<int>(i);
        peerDev->SetReceiveCallback(
            [this, port](Ptr<NetDevice>, Ptr<const Packet> p, uint16_t, const Address&) {
                OnPeerRx(port, p);
                return true;
            });
        m_fgDevs[i] = fgDev;
        m_peerDevs[i] = peerDev;
        m_ports.push_back(port);
        names.push_back(intfs[i].name);
    }

    FortiGateHelper fgt;
    fgt.SetInterfaceNames(names);
    for (const char* a : {"FastPathCost", "SessionSetupCost", "HelperCost", "ProxyCost"})
    {
        fgt.SetCpuAttribute(a, TimeValue(Seconds(0)));
    }
    fgt.SetAttribute("DropTcpWithoutSyn", BooleanValue(!m_opt.tcpWithoutSyn));
    fgt.SetConfig(m_cfg);
    m_fg = fgt.Install(m_fgNode);
    fgt.AssignStreams(NodeContainer(m_fgNode), 1);

    // Static routes (config router static): the unit installs them itself
    // (FortiGateNode::ApplyStaticRoutes); ns-3 learns the connected ones.
    bool haveDefault = false;
    for (const auto& r : m_cfg.StaticRoutes())
    {
        const int idx = m_cfg.FindInterface(r.device);
        if (idx < 0 || !m_fgDevs[idx])
        {
            std::cout << "note: router static " << r.id << ": device " << r.device
                      << " is not connected; route ignored\n";
            continue;
        }
        if (r.mask == 0)
        {
            haveDefault = true;
            if (m_defaultPort < 0)
            {
                m_defaultPort = idx;
            }
        }
    }
    if (!haveDefault)
    {
        // The WAN: role wan, else a name starting with "wan", else the last interface.
        for (int i : m_ports)
        {
            if (intfs[i].role == "wan" && m_defaultPort < 0)
            {
                m_defaultPort = i;
            }
        }
        for (int i : m_ports)
        {
            if (intfs[i].name.rfind("wan", 0) == 0 && m_defaultPort < 0)
            {
                m_defaultPort = i;
            }
        }
        if (m_defaultPort < 0)
        {
            m_defaultPort = m_ports.back();
        }
        Ptr<Ipv4StaticRouting> routing = Ipv4StaticRoutingHelper().GetStaticRouting(ipv4);
        routing->AddNetworkRouteTo(Ipv4Address::GetZero(),
                                   Ipv4Mask::GetZero(),
                                   ipv4->GetInterfaceForDevice(m_fgDevs[m_defaultPort]));
        std::cout << "note: no default route in the configuration; using 0.0.0.0/0 via "
                  << intfs[m_defaultPort].name << "\n";
    }

    m_fg->TraceConnectWithoutContext("Drop", MakeCallback(&Replay::OnDrop, this));
    m_fg->TraceConnectWithoutContext("PolicyDenied", MakeCallback(&Replay::OnPolicyDenied, this));
    m_fg->TraceConnectWithoutContext("SessionCreated",
                                     MakeCallback(&Replay::OnSessionCreated, this));
    m_fg->TraceConnectWithoutContext("SessionClosed", MakeCallback(&Replay::OnSessionClosed, this));
    Ptr<Ipv4L3Protocol> l3 = m_fgNode->GetObject<Ipv4L3Protocol>();
    l3->TraceConnectWithoutContext("Drop", MakeCallback(&Replay::OnIpDrop, this));
    l3->TraceConnectWithoutContext("LocalDeliver", MakeCallback(&Replay::OnLocal, this));
}

int
Replay::IngressFor(uint32_t src) const
{
    // The reverse route: the longest prefix holding the source among the connected subnets and
    // the static routes (a connected subnet wins a tie); the default route's interface else.
    const auto& intfs = m_cfg.Interfaces();
    int best = -1;
    int bestLen = -1;
    for (int i : m_ports)
    {
        const int len = MaskPrefixLength(intfs[i].mask);
        if ((src & intfs[i].mask) == (intfs[i].ip & intfs[i].mask) && len > bestLen)
        {
            best = i;
            bestLen = len;
        }
    }
    uint32_t bestDistance = 0;
    for (const auto& r : m_cfg.StaticRoutes())
    {
        const int idx = m_cfg.FindInterface(r.device);
        const int len = MaskPrefixLength(r.mask);
        if (idx < 0 || !m_fgDevs[idx] || (src & r.mask) != r.dst || r.mask == 0)
        {
            continue;
        }
        if (len > bestLen ||
            (len == bestLen && best >= 0 && bestDistance && r.distance < bestDistance))
        {
            best = idx;
            bestLen = len;
            bestDistance = r.distance;
        }
    }
    return best >= 0 ? best : m_defaultPort;
}

void
Replay::OnPeerRx(int port, Ptr<const Packet> p)
{
    OutPacket o;
    o.timeNs = m_epochNs + Simulator::Now().GetNanoSeconds();
    o.port = port;
    o.bytes.resize(p->GetSize());
    p->CopyData(o.bytes.data(), o.bytes.size());
    if (m_writer)
    {
        m_writer->Write(static_cast<uint32_t>(o.timeNs / 1000000000),
                        static_cast<uint32_t>((o.timeNs % 1000000000) / 1000),
                        o.bytes.data(),
                        static_cast<uint32_t>(o.bytes.size()));
    }
    m_out.push_back(std::move(o));
}

void
Replay::OnDrop(Ptr<const Packet>, const Ipv4Header&, const std::string& reason)
{
    m_drops.push_back(reason);
}

void
Replay::OnPolicyDenied(Ptr<const Packet>, const Ipv4Header&, uint32_t policy)
{
    m_events.push_back("denied by policy " + std::to_string(policy) +
                       (policy == 0 ? " (implicit deny)" : ""));
}

void
Replay::OnIpDrop(const Ipv4Header&,
                 Ptr<const Packet>,
                 Ipv4L3Protocol::DropReason r,
                 Ptr<Ipv4>,
                 uint32_t)
{
    static const char* names[] = {"",
                                  "ip: ttl expired",
                                  "ip: no route",
                                  "ip: bad checksum",
                                  "ip: interface down",
                                  "ip: route error",
                                  "ip: fragment timeout",
                                  "ip: duplicate"};
    m_drops.push_back(r >= 1 && r <= 7 ? names[r] : "ip: drop " + std::to_string(int(r)));
}

void
Replay::OnLocal(const Ipv4Header&, Ptr<const Packet>, uint32_t)
{
    m_local = true;
}

void
Replay::OnSessionCreated(const Session& s)
{
    ++m_sessions;
    const FlowTuple& org = s.org.tuple;
    const FlowTuple& rep = s.reply.tuple;
    std::ostringstream os;
    os << "  session " << Hex8(s.serial) << " created: " << TupleText(org) << " policy "
       << s.policyId;
    if (s.IsSnat())
    {
        os << " snat " << Ip(rep.dst) << ":" << rep.dport;
    }
    if (s.IsDnat())
    {
        os << " dnat " << Ip(rep.src) << ":" << rep.sport;
    }
    const SessionExtension* ext = s.ExtOrNull();
    if (ext && ext->parentSerial)
    {
        auto it = m_pinholeHelper.find(ext->parentSerial);
        os << " child of " << Hex8(ext->parentSerial);
        if (it != m_pinholeHelper.end())
        {
            os << " (pinhole of " << it->second << ")";
        }
    }
    else if (s.helperId)
    {
        // The node picks the helper from the session-helper table by protocol and port.
        if (const SessionHelperEntry* e = m_cfg.FindHelperEntry(rep.proto, rep.sport))
        {
            os << " helper=" << e->name;
        }
    }
    m_events.push_back(os.str());
    if (m_opt.replyMap)
    {
        // Translated forms of both directions: how a capture on the other side shows them.
        // Session::Translated, not the other tuple reversed: GRE carries the receiver's Call ID
        // (the key the unit translated), so a reversed tuple is never what leaves.
        const FlowTuple orgOut = s.Translated(SessionDir::ORIGINAL); // original as it leaves
        const FlowTuple repOut = s.Translated(SessionDir::REPLY);    // reply as it leaves
        if (orgOut != org)
        {
            m_translated[orgOut] = TranslatedEntry{s.serial, org, org, SessionDir::ORIGINAL};
        }
        if (repOut != rep)
        {
            m_translated[repOut] = TranslatedEntry{s.serial, org, rep, SessionDir::REPLY};
        }
    }
}

void
Replay::OnSessionClosed(const Session& s, const std::string& reason)
{
    for (auto it = m_translated.begin(); it != m_translated.end();)
    {
        it = it->second.serial == s.serial ? m_translated.erase(it) : std::next(it);
    }
    if (reason != "flush")
    {
        m_events.push_back("  session " + Hex8(s.serial) + " closed (" + reason + ")");
    }
}

void
Replay::ApplyAddressMaps(std::vector<uint8_t>& pkt, PacketView& v)
{
    if (m_opt.maps.empty())
    {
        return;
    }
    const bool ports =
        (v.tuple.proto == IPPROTO_NUM_TCP || v.tuple.proto == IPPROTO_NUM_UDP) && v.l4Valid;
    auto pick = [&](uint32_t addr, uint16_t port) {
        // A port-specific map wins over an address-only one.
        const AddressMap* any = nullptr;
        for (const auto& m : m_opt.maps)
        {
            if (m.from != addr)
            {
                continue;
            }
            if (m.port >= 0 && ports && m.port == port)
            {
                return m.to;
            }
            if (m.port < 0 && !any)
            {
                any = &m;
            }
        }
        return any ? any->to : addr;
    };
    FlowTuple to = v.tuple;
    to.src = pick(v.tuple.src, v.tuple.sport);
    to.dst = pick(v.tuple.dst, v.tuple.dport);
    if (to != v.tuple)
    {
        RewriteTuple(pkt, v, to);
        ParseIpv4Packet(pkt.data(), pkt.size(), v);
    }
}

/**
 * Map a captured packet to what the FortiGate receives: a packet that carries the translated
 * tuple of a live session direction, or of a pinhole's child, gets the arriving tuple (and the
 * inverse TCP sequence corrections). \return true when the packet was changed.
 */
bool
Replay::MapToArrival(std::vector<uint8_t>& pkt, PacketView& v, std::string& note)
{
    if (!v.l4Valid || v.IsLaterFragment() || v.icmpError)
    {
        return false;
    }
    SessionDir dummy;
    SessionTable& table = m_fg->GetSessionTable();
    if (table.Find(v.tuple, &dummy))
    {
        return false; // arrives as captured
    }
    FlowTuple to;
    Session* s = nullptr;
    SessionDir dir = SessionDir::ORIGINAL;
    auto it = m_translated.find(v.tuple);
    if (it != m_translated.end())
    {
        to = it->second.target;
        dir = it->second.dir;
        SessionDir d;
        s = table.Find(it->second.org, &d);
        note = std::string(dir == SessionDir::REPLY ? "reply" : "original direction") +
               " of session " + Hex8(it->second.serial);
    }
    else
    {
        bool found = false;
        for (const auto& e : m_fg->GetExpectations().List())
        {
            if (!(e.natDst || e.natDport || e.natSrc || e.natSport) || e.proto != v.tuple.proto)
            {
                continue;
            }
            const uint32_t outDst = e.natDst ? e.natDst : e.dst;
            const uint16_t outDport = e.natDport ? e.natDport : e.dport;
            const bool srcOk =
                e.natSrc ? v.tuple.src == e.natSrc : (!e.src || v.tuple.src == e.src);
            const bool sportOk =
                e.natSport ? v.tuple.sport == e.natSport : (!e.sport || v.tuple.sport == e.sport);
            if (v.tuple.dst == outDst && v.tuple.dport == outDport && srcOk && sportOk)
            {
                to = v.tuple;
                to.dst = e.dst;
                to.dport = e.dport;
                if (e.natSrc && e.src)
                {
                    to.src = e.src;
                }
                if (e.natSport && e.sport)
                {
                    to.sport = e.sport;
                }
                note = "pinhole of " + e.helper + " (parent " + Hex8(e.parentSerial) + ")";
                found = true;
                break;
            }
        }
        if (!found)
        {
            return false;
        }
    }
    if (!RewriteTuple(pkt, v, to))
    {
        note.clear();
        return false;
    }
    // TCP: the capture shows sequence numbers after the FortiGate's payload-edit corrections.
    const SessionExtension* ext = s ? s->ExtOrNull() : nullptr;
    if (ext && v.tuple.proto == IPPROTO_NUM_TCP)
    {
        const std::size_t ihl = (pkt[0] & 0x0f) * 4u;
        const int d = static_cast<int>(dir);
        const TcpSeqAdjust& mine = ext->seq[d];
        const TcpSeqAdjust& peer = ext->seq[1 - d];
        if (mine.active)
        {
            for (int32_t off : {mine.after, mine.before})
            {
                const uint32_t cand = v.tcpSeq - static_cast<uint32_t>(off);
                if (cand + static_cast<uint32_t>(mine.OffsetFor(cand)) == v.tcpSeq)
                {
                    SetTcp32(pkt, v, ihl + 4, cand);
                    break;
                }
            }
        }
        if (peer.active && (v.tcpFlags & 0x10))
        {
            for (int32_t off : {peer.after, peer.before})
            {
                const uint32_t cand = v.tcpAck + static_cast<uint32_t>(off);
                if (cand - static_cast<uint32_t>(peer.OffsetForAck(cand)) == v.tcpAck)
                {
                    SetTcp32(pkt, v, ihl + 8, cand);
                    break;
                }
            }
        }
    }
    ParseIpv4Packet(pkt.data(), pkt.size(), v);
    note = "arrives as " + TupleText(v.tuple) + " (" + note + ")";
    return true;
}

void
Replay::AdvanceTo(int64_t simNs)
{
    const int64_t now = Simulator::Now().GetNanoSeconds();
    if (simNs > now)
    {
        Simulator::Stop(NanoSeconds(simNs - now));
        Simulator::Run();
    }
}

void
Replay::Inject(int port, const std::vector<uint8_t>& pkt)
{
    m_out.clear();
    m_drops.clear();
    m_local = false;
    Ptr<Packet> p = Create<Packet>(pkt.data(), pkt.size());
    m_peerDevs[port]->Send(p, m_fgDevs[port]->GetAddress(), Ipv4L3Protocol::PROT_NUMBER);
    // Zero-cost CPU and zero-delay links: everything this packet causes happens now.
    Simulator::Stop(NanoSeconds(1));
    Simulator::Run();
}

std::string
Replay::Describe(const std::vector<uint8_t>& bytes) const
{
    PacketView v;
    if (!ParseIpv4Packet(bytes.data(), bytes.size(), v))
    {
        return "(unparsable)";
    }
    return PacketText(v);
}

int
Replay::Run(const CaptureFile& cap)
{
    // Order: time stamps (stable), unless --file-order.
    std::vector<size_t> order(cap.records.size());
    for (size_t i = 0; i < order.size(); ++i)
    {
        order[i] = i;
    }
    size_t backwards = 0;
    for (size_t i = 1; i < cap.records.size(); ++i)
    {
        backwards += cap.records[i].timeNs < cap.records[i - 1].timeNs;
    }
    if (backwards && !m_opt.fileOrder)
    {
        std::stable_sort(order.begin(), order.end(), [&cap](size_t a, size_t b) {
            return cap.records[a].timeNs < cap.records[b].timeNs;
        });
        std::cout << "note: " << backwards << " packet(s) are earlier than the one before them in "
                  << "the file: replaying in time-stamp order (--file-order keeps file order)\n";
    }
    int64_t firstNs = 0;
    if (!cap.records.empty())
    {
        firstNs = cap.records[order[0]].timeNs;
    }
    // Simulated time 0 is one second before the first packet, on a whole second (SimEpoch).
    const int64_t epochSec = firstNs / 1000000000 - 1;
    m_epochNs = epochSec * 1000000000;
    m_cfg.SetSimEpoch(epochSec);

    Build();
    if (!m_opt.log.empty())
    {
        m_fg->SetAttribute("TrafficLogFile", StringValue(m_opt.log));
    }
    for (const auto& c : m_opt.exec)
    {
        std::cout << "# exec: " << c << "\n" << RunCli(c);
    }
    if (!m_opt.exec.empty())
    {
        std::cout << "\n";
    }
    if (!m_opt.write.empty())
    {
        m_writer = std::make_unique<PcapFile>();
        m_writer->Open(m_opt.write, std::ios::out);
        if (m_writer->Fail())
        {
            throw CaptureError(m_opt.write + ": cannot create");
        }
        m_writer->Init(LINKTYPE_RAW);
    }

    const auto& intfs = m_cfg.Interfaces();
    uint64_t forwarded = 0, dropped = 0, skipped = 0, local = 0, silent = 0, mapped = 0,
             fixedChecksum = 0;
    std::map<std::string, uint64_t> dropReasons;
    std::map<std::string, uint64_t> skipReasons;
    size_t peak = 0;
    uint64_t duplicates = 0;
    constexpr int64_t kDuplicateWindowNs = 100000000;
    std::map<std::string, std::pair<int64_t, size_t>> seen; //!< packet -> (time, number)
    std::deque<std::pair<int64_t, std::string>> recent;     //!< window, oldest first
    for (size_t n = 0; n < order.size(); ++n)
    {
        const CaptureRecord& rec = cap.records[order[n]];
        std::ostringstream line;
        line << "#" << (order[n] + 1) << " " << std::fixed << std::setprecision(6)
             << (rec.timeNs - firstNs) / 1e9 << " ";
        auto skip = [&](const std::string& why) {
            ++skipped;
            ++skipReasons[why];
            Line(line.str() + "skipped: " + why);
        };
        const LinkPayload lp = FindIpv4(rec.linkType, rec.data.data(), rec.data.size());
        if (lp.kind == LinkPayload::UNSUPPORTED_LINK)
        {
            skip("unsupported link type (" + lp.what + ")");
            continue;
        }
        if (lp.kind == LinkPayload::TRUNCATED)
        {
            skip("frame truncated in the link-layer header");
            continue;
        }
        if (lp.kind == LinkPayload::NOT_IPV4)
        {
            skip("not IPv4 (" + lp.what + ")");
            continue;
        }
        std::vector<uint8_t> pkt(rec.data.begin() + lp.offset, rec.data.end());
        PacketView v;
        if (!ParseIpv4Packet(pkt.data(), pkt.size(), v))
        {
            skip("malformed IPv4 header");
            continue;
        }
        if (v.ipTotalLength > pkt.size())
        {
            skip("truncated by the capture (" + std::to_string(pkt.size()) + " of " +
                 std::to_string(v.ipTotalLength) + " bytes)");
            continue;
        }
        pkt.resize(v.ipTotalLength); // link-layer padding
        if (!m_opt.keepDuplicates)
        {
            // The same IP packet captured again (another interface, in and out of a router,
            // promiscuous copies): identical but for TTL and header checksum.
            std::string key(pkt.begin(), pkt.end());
            key[8] = key[10] = key[11] = 0;
            while (!recent.empty() && recent.front().first < rec.timeNs - kDuplicateWindowNs)
            {
                auto it = seen.find(recent.front().second);
                if (it != seen.end() && it->second.first == recent.front().first)
                {
                    seen.erase(it);
                }
                recent.pop_front();
            }
            auto it = seen.find(key);
            if (it != seen.end() && rec.timeNs - it->second.first <= kDuplicateWindowNs &&
                rec.timeNs >= it->second.first)
            {
                ++duplicates;
                Line(line.str() + "skipped: duplicate of #" + std::to_string(it->second.second));
                continue;
            }
            seen[key] = {rec.timeNs, order[n] + 1};
            recent.emplace_back(rec.timeNs, std::move(key));
        }
        {
            const uint16_t before = load_big_u16(&pkt[10]);
            FixIpChecksum(pkt.data());
            const bool l4Fixed = FixL4Checksum(pkt, v);
            fixedChecksum += before != load_big_u16(&pkt[10]) || l4Fixed;
        }
        ApplyAddressMaps(pkt, v);
        const std::string captured = PacketText(v);

        // Timers run up to the packet's time (sessions and pinholes may expire meanwhile).
        m_events.clear();
        AdvanceTo(std::max<int64_t>(rec.timeNs - m_epochNs, Simulator::Now().GetNanoSeconds()));
        for (const auto& e : m_events)
        {
            Line(e);
        }
        m_events.clear();

        std::string note;
        if (m_opt.replyMap && MapToArrival(pkt, v, note))
        {
            ++mapped;
        }
        const int port = IngressFor(v.tuple.src);
        line << intfs[port].name << " " << captured << ": ";
        std::vector<Expectation> before(m_fg->GetExpectations().List().begin(),
                                        m_fg->GetExpectations().List().end());
        Inject(port, pkt);

        std::string verdict;
        if (!m_drops.empty())
        {
            ++dropped;
            ++dropReasons[m_drops.front()];
            verdict = "dropped: " + m_drops.front();
        }
        else if (!m_out.empty())
        {
            ++forwarded;
            verdict = "forwarded";
        }
        else if (m_local)
        {
            ++local;
            verdict = "delivered to the unit";
        }
        else
        {
            ++silent;
            verdict = "no output";
        }
        for (const auto& o : m_out)
        {
            verdict += (&o == &m_out.front() ? " " : "; ") + std::string("-> ") +
                       intfs[o.port].name + " " + Describe(o.bytes);
        }
        Line(line.str() + verdict);
        if (!note.empty())
        {
            Line("  " + note);
        }
        // Debug output the --exec commands enabled (diagnose debug flow ...), for this packet.
        std::cout << m_fg->ReadDebugConsole();
        for (const auto& e : m_events)
        {
            Line(e.rfind("  ", 0) == 0 ? e : "  " + e);
        }
        // Pinholes this packet opened (not in the table before it).
        for (const auto& e : m_fg->GetExpectations().List())
        {
            bool known = false;
            for (const auto& b : before)
            {
                known = known ||
                        (b.proto == e.proto && b.src == e.src && b.sport == e.sport &&
                         b.dst == e.dst && b.dport == e.dport && b.parentSerial == e.parentSerial);
            }
            if (known)
            {
                continue;
            }
            ++m_pinholes;
            m_pinholeHelper[e.parentSerial] = e.helper;
            std::ostringstream os;
            os << "  pinhole " << e.helper << ": " << ProtoName(e.proto) << " " << Ip(e.src) << ":"
               << e.sport << " -> " << Ip(e.dst) << ":" << e.dport;
            if (e.natDst || e.natDport)
            {
                os << " (to " << Ip(e.natDst ? e.natDst : e.dst) << ":"
                   << (e.natDport ? e.natDport : e.dport) << ")";
            }
            if (e.natSrc || e.natSport)
            {
                os << " (from " << Ip(e.natSrc ? e.natSrc : e.src) << ":"
                   << (e.natSport ? e.natSport : e.sport) << ")";
            }
            os << " parent " << Hex8(e.parentSerial) << " expires in "
               << (e.expiresNs - Simulator::Now().GetNanoSeconds() + 999999999) / 1000000000 << "s"
               << (e.oneShot ? " one-shot" : "");
            Line(os.str());
        }
        peak = std::max(peak, m_fg->GetSessionTable().Size());
    }

    std::cout << "\n# diagnose sys session list\n"
              << m_fg->Diagnose("diagnose sys session list") << "\n"
              << "# diagnose sys session list expectation\n"
              << m_fg->Diagnose("diagnose sys session list expectation") << "\n";
    for (const auto& command : m_opt.after)
    {
        // `# exec: CMD` then what the unit printed (its error when the command failed).
        std::cout << "# exec: " << command << "\n" << RunCli(command);
    }
    if (!dropReasons.empty())
    {
        std::cout << "drops:";
        for (const auto& [r, c] : dropReasons)
        {
            std::cout << " " << r << "=" << c;
        }
        std::cout << "\n";
    }
    if (!skipReasons.empty())
    {
        std::cout << "skipped:";
        for (const auto& [r, c] : skipReasons)
        {
            std::cout << " [" << r << "]=" << c;
        }
        std::cout << "\n";
    }
    std::cout << "summary: packets=" << cap.records.size() << " forwarded=" << forwarded
              << " dropped=" << dropped << " sessions=" << m_sessions << " pinholes=" << m_pinholes
              << " local=" << local << " no_output=" << silent << " skipped=" << skipped
              << " duplicates=" << duplicates << " mapped=" << mapped
              << " out_packets=" << m_fg->GetForwardedCount() << " peak_sessions=" << peak
              << " checksums_fixed=" << fixedChecksum << "\n";
    if (m_writer)
    {
        m_writer->Close();
        if (m_writer->Fail())
        {
            throw CaptureError(m_opt.write + ": write error");
        }
    }
    return 0;
}

std::string
ReadFile(const std::string& path, bool& ok)
{
    std::ifstream in(path);
    std::stringstream s;
    ok = static_cast<bool>(in);
    if (ok)
    {
        s << in.rdbuf();
    }
    return s.str();
}

/// The words of `#replay:` lines of a configuration text.
std::vector<std::string>
EmbeddedOptions(const std::string& text)
{
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
    {
        const auto start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line.compare(start, 8, "#replay:") != 0)
        {
            continue;
        }
        std::istringstream ws(line.substr(start + 8));
        for (std::string w; ws >> w;)
        {
            words.push_back(w);
        }
    }
    return words;
}

} // namespace

int
main(int argc, char** argv)
{
    Options opt;
    std::string err = ParseArgs({argv + 1, argv + argc}, opt, false);
    if (err.empty() && opt.configs.empty())
    {
        err = "no --config FILE given";
    }
    if (err.empty() && opt.input.empty())
    {
        err = "no input capture given";
    }
    const std::string ng = ".pcapng";
    if (err.empty() && opt.write.size() >= ng.size() &&
        opt.write.compare(opt.write.size() - ng.size(), ng.size(), ng) == 0)
    {
        err = "--write " + opt.write +
              ": the output is classic pcap (ns-3's PcapFile); name it .pcap";
    }
    if (!err.empty())
    {
        std::cerr << "fgsim-replay: " << err << "\n" << USAGE;
        return 2;
    }

    // The configuration, offline first: the topology is built from its interfaces.
    FortiGateConfig cfg;
    FortiOsCli cli([](const std::string&) { return std::string(); });
    for (const auto& f : opt.configs)
    {
        bool ok = false;
        const std::string text = ReadFile(f, ok);
        if (!ok)
        {
            std::cerr << "fgsim-replay: " << f << ": cannot open\n";
            return 2;
        }
        err = ParseArgs(EmbeddedOptions(text), opt, true);
        if (!err.empty())
        {
            std::cerr << "fgsim-replay: " << f << ": #replay: " << err << "\n";
            return 2;
        }
        const FortiOsCli::Result r = cli.Execute(cfg, text);
        if (!r.ok)
        {
            std::cerr << f << ": " << r.error << "\n"
                      << "fgsim-replay: " << f << ": configuration rejected\n";
            return 1;
        }
    }
    bool anyAddress = false;
    for (const auto& i : cfg.Interfaces())
    {
        anyAddress = anyAddress || i.ip != 0;
    }
    if (!anyAddress)
    {
        std::cerr << "fgsim-replay: the configuration has no interface with an address "
                     "(config system interface / edit port1 / set ip A.B.C.D M.M.M.M)\n";
        return 1;
    }

    CaptureFile cap;
    try
    {
        cap = ReadCaptureFile(opt.input);
    }
    catch (const CaptureError& e)
    {
        std::cerr << "fgsim-replay: " << e.what() << "\n";
        return 2;
    }
    std::cout << "replay: " << opt.input << " ("
              << (cap.format == CaptureFile::PCAPNG ? "pcapng" : "pcap") << ", "
              << cap.records.size() << " packets";
    std::cout << ", " << LinkTypeName(cap.linkType) << ")";
    for (const auto& f : opt.configs)
    {
        std::cout << " config " << f;
    }
    std::cout << "\n";
    if (!cap.warning.empty())
    {
        std::cout << "warning: " << opt.input << ": " << cap.warning << "\n";
    }

    // Output pcaps carry correct IPv4 and L4 checksums for the packets the FortiGate rewrote.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    int rc;
    try
    {
        Replay replay(opt, cfg);
        rc = replay.Run(cap);
    }
    catch (const ConfigError& e)
    {
        std::cerr << "fgsim-replay: configuration: " << e.what() << "\n";
        rc = 1;
    }
    catch (const CaptureError& e)
    {
        std::cerr << "fgsim-replay: " << e.what() << "\n";
        rc = 2;
    }
    Simulator::Destroy();
    return rc;
}
