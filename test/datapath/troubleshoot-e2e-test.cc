/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Troubleshooting as on a real FortiGate (issue 13): `diagnose debug flow` traces, forward
 * traffic logs and `execute log display`, `| grep`, checked against real FortiOS samples
 * (cited at each test) and end to end through the shared topology.
 */
#include "e2e-topology.h"

#include "ns3/cli-grep.h"
#include "ns3/flow-trace.h"
#include "ns3/ftp-helper.h"
#include "ns3/traffic-log.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

/// Records the unit's FlowTrace and TrafficLog trace sources.
struct Recorder
{
    std::vector<FlowTraceRecord> records;
    std::vector<std::string> logs;

    explicit Recorder(Ptr<FortiGateNode> fgt)
    {
        fgt->TraceConnectWithoutContext(
            "FlowTrace",
            Callback<void, const FlowTraceRecord&>(
                [this](const FlowTraceRecord& r) { records.push_back(r); }));
        fgt->TraceConnectWithoutContext("TrafficLog",
                                        Callback<void, const std::string&>(
                                            [this](const std::string& l) { logs.push_back(l); }));
    }

    /// \return the messages of trace \p id, in order
    std::vector<std::string> Messages(uint32_t id) const
    {
        std::vector<std::string> out;
        for (const auto& r : records)
        {
            if (r.traceId == id)
            {
                out.push_back(r.msg);
            }
        }
        return out;
    }

    /// \return the trace id of the first record whose message contains \p text (0: none)
    uint32_t FindTrace(const std::string& text) const
    {
        for (const auto& r : records)
        {
            if (r.msg.find(text) != std::string::npos)
            {
                return r.traceId;
            }
        }
        return 0;
    }
};

/// Run CLI text on the unit; the test fails on a CLI error.
std::string
Cli(Ptr<FortiGateNode> fgt, const std::string& text)
{
    FortiOsCli::Result r = fgt->Execute(text);
    EXPECT_TRUE(r.ok) << text << "\n" << r.error;
    return r.output;
}

/// The session with this original protocol, source, destination and port (any source port).
const Session*
FindBy(Ptr<FortiGateNode> fgt, uint8_t proto, uint32_t src, uint32_t dst, uint16_t dport)
{
    const Session* found = nullptr;
    const SessionTable& table = fgt->GetSessionTable();
    table.ForEach([&](const Session& s) {
        const FlowTuple& o = s.Tuple(SessionDir::ORIGINAL);
        if (!found && o.proto == proto && o.src == src && o.dst == dst && o.dport == dport)
        {
            found = &s;
        }
    });
    return found;
}

std::string
Hex8(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%08x", v);
    return buf;
}

} // namespace

// ---- formats against real samples ------------------------------------------------------------

TEST(FlowTraceFormatTest, ReceivedTcpLineMatchesARealFortiOs72Trace)
{
    // community.fortinet.com ta-p/382950 (FortiOS 7.2):
    const std::string real =
        "id=65308 trace_id=571 func=print_pkt_detail line=5942 msg=\"vd-root:0 received a "
        "packet(proto=6, 192.168.20.2:63611->63.137.229.1:443) tun_id=0.0.0.0 from port6. flag "
        "[S], seq 3839416144, ack 0, win 64240\"";
    FlowTrace t;
    std::vector<FlowTraceRecord> got;
    t.SetSink([&got](const FlowTraceRecord& r) { got.push_back(r); });
    ASSERT_EQ(t.Command({"trace", "start", "1"}), "");
    PacketView v;
    v.tuple = FlowTuple{Ip("192.168.20.2"), Ip("63.137.229.1"), 63611, 443, 6};
    v.tcpFlags = 0x02;
    v.tcpSeq = 3839416144u;
    v.tcpWindow = 64240;
    ASSERT_TRUE(t.Begin(v, "port6"));
    t.End();
    ASSERT_EQ(got.size(), 1u);
    // The model's `id=` is 20085 (the id of the other samples) and this is its trace 1; the
    // rest is the real line.
    std::string expected = real;
    expected.replace(0, std::string("id=65308 trace_id=571").size(), "id=20085 trace_id=1");
    EXPECT_EQ(FlowTrace::Format(got[0], true), expected);
}

TEST(FlowTraceFormatTest, ReceivedIcmpLineMatchesARealFortiOs7Trace)
{
    // community.fortinet.com ta-p/332273: msg="vd-root:0 received a packet(proto=1,
    // 192.168.100.10:1->200.0.0.1:2048) tun_id=0.0.0.0 from port2. type=8, code=0, id=1, seq=16."
    FlowTrace t;
    std::vector<FlowTraceRecord> got;
    t.SetSink([&got](const FlowTraceRecord& r) { got.push_back(r); });
    t.Command({"trace", "start", "5"});
    PacketView v;
    v.tuple = FlowTuple{Ip("192.168.100.10"), Ip("200.0.0.1"), 1, 1, 1};
    v.icmpType = 8;
    v.icmpSeq = 16;
    t.Begin(v, "port2");
    t.Route(Ip("14.0.0.2"), "vw2");
    t.PolicyAllowed(1, false);
    t.End();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].msg,
              "vd-root:0 received a packet(proto=1, 192.168.100.10:1->200.0.0.1:2048) "
              "tun_id=0.0.0.0 from port2. type=8, code=0, id=1, seq=16.");
    // Same sample: "find a route: flag=04000000 gw-14.0.0.2 via vw2", "Allowed by Policy-1:".
    EXPECT_EQ(FlowTrace::Format(got[1], true),
              "id=20085 trace_id=1 func=vf_ip_route_input_common line=2611 msg=\"find a route: "
              "flag=04000000 gw-14.0.0.2 via vw2\"");
    EXPECT_EQ(FlowTrace::Format(got[2], true),
              "id=20085 trace_id=1 func=fw_forward_handler line=881 msg=\"Allowed by Policy-1:\"");
    EXPECT_EQ(FlowTrace::Format(got[2], false), "id=20085 trace_id=1 msg=\"Allowed by Policy-1:\"");
}

TEST(FlowTraceFormatTest, FilterAndCountAreHonoured)
{
    FlowTrace t;
    std::vector<FlowTraceRecord> got;
    t.SetSink([&got](const FlowTraceRecord& r) { got.push_back(r); });
    EXPECT_EQ(t.Command({"filter", "daddr", "198.51.100.7"}), "");
    EXPECT_EQ(t.Command({"filter", "dport", "80", "90"}), "");
    EXPECT_EQ(t.Command({"trace", "start", "2"}), "");
    auto packet = [&t](const char* dst, uint16_t dport) {
        PacketView v;
        v.tuple = FlowTuple{Ip("10.0.1.10"), Ip(dst), 40000, dport, 17};
        bool traced = t.Begin(v, "port1");
        t.End();
        return traced;
    };
    EXPECT_FALSE(packet("198.51.100.8", 80)) << "other destination";
    EXPECT_FALSE(packet("198.51.100.7", 91)) << "port outside the range";
    EXPECT_TRUE(packet("198.51.100.7", 85));
    EXPECT_TRUE(packet("198.51.100.7", 80));
    EXPECT_FALSE(packet("198.51.100.7", 80)) << "trace start 2: two packets only";
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].traceId, 1u);
    EXPECT_EQ(got[1].traceId, 2u);
    EXPECT_NE(t.FilterText().find("Host daddr: 198.51.100.7\n"), std::string::npos);
    EXPECT_NE(t.FilterText().find("dport: 80-90\n"), std::string::npos);
    EXPECT_EQ(t.Command({"filter", "negate"}), "");
    EXPECT_EQ(t.Command({"trace", "start", "1"}), "");
    EXPECT_FALSE(packet("198.51.100.7", 80)) << "negated";
    EXPECT_TRUE(packet("198.51.100.8", 80));
    EXPECT_NE(t.Command({"filter", "daddr", "1.2.3"}).find("command parse error before '1.2.3'"),
              std::string::npos);
    EXPECT_NE(t.Command({"trace", "start", "x"}).find("Return code -61"), std::string::npos);
}

TEST(TrafficLogFormatTest, CloseLineHasTheFieldsOfARealForwardLogInOrder)
{
    // docs.fortinet.com fortigate/7.2.13/administration-guide/986892 "Sample logs by log type":
    // date=2019-05-10 time=11:37:47 logid="0000000013" type="traffic" subtype="forward"
    // level="notice" vd="vdom1" eventtime=1557513467369913239 srcip=10.1.100.11 srcport=58012
    // srcintf="port12" srcintfrole="undefined" dstip=23.59.154.35 dstport=80 dstintf="port11"
    // dstintfrole="undefined" ... sessionid=105048 proto=6 action="close" policyid=1
    // policytype="policy" service="HTTP" ... trandisp="snat" transip=172.16.200.2
    // transport=58012 ... duration=116 sentbyte=1188 rcvdbyte=1224 sentpkt=17 rcvdpkt=16
    TrafficLog log;
    log.SetEpoch(1557513467 - 116); // the session started 116 s before the sample's time
    TrafficLogEntry e;
    e.nowNs = 116LL * 1000000000LL;
    e.srcip = Ip("10.1.100.11");
    e.srcport = 58012;
    e.srcintf = "port12";
    e.dstip = Ip("23.59.154.35");
    e.dstport = 80;
    e.dstintf = "port11";
    e.sessionid = 105048;
    e.proto = 6;
    e.action = "close";
    e.policyid = 1;
    e.service = "HTTP";
    e.snat = true;
    e.transip = Ip("172.16.200.2");
    e.transport = 58012;
    e.duration = 116;
    e.sentbyte = 1188;
    e.rcvdbyte = 1224;
    e.sentpkt = 17;
    e.rcvdpkt = 16;
    EXPECT_EQ(log.FormatTraffic(e),
              "date=2019-05-10 time=18:37:47 logid=\"0000000013\" type=\"traffic\" "
              "subtype=\"forward\" level=\"notice\" vd=\"root\" eventtime=1557513467000000000 "
              "tz=\"+0000\" srcip=10.1.100.11 srcport=58012 srcintf=\"port12\" "
              "srcintfrole=\"undefined\" dstip=23.59.154.35 dstport=80 dstintf=\"port11\" "
              "dstintfrole=\"undefined\" sessionid=105048 proto=6 action=\"close\" policyid=1 "
              "policytype=\"policy\" service=\"HTTP\" trandisp=\"snat\" transip=172.16.200.2 "
              "transport=58012 duration=116 sentbyte=1188 rcvdbyte=1224 sentpkt=17 rcvdpkt=16");
}

TEST(TrafficLogFormatTest, VoipLineFollowsARealVoipLog)
{
    // docs.fortinet.com fortigate/7.0.5/fortios-log-message-reference/43785:
    // date=2018-12-27 time=16:47:09 logid="0814044032" type="utm" subtype="voip"
    // eventtype="voip" level="information" vd="vdom1" eventtime=1545958028 session_id=18975
    // epoch=0 event_id=6857 srcip=10.1.100.11 src_port=5060 dstip=172.16.200.55 dst_port=5060
    // proto=17 src_int="port12" dst_int="port11" policy_id=1 profile="default"
    // voip_proto="sip" kind="call" action="permit" status="start" duration=0
    // dir="session_origin" call_id="3444-13134@127.0.0.1" from="sip:sipp@127.0.0.1:5060"
    // to="sip:service@172.16.200.55:5060"
    TrafficLog log;
    log.SetEpoch(1545929229); // 2018-12-27 16:47:09 UTC
    VoipLogEntry e;
    e.sessionId = 18975;
    e.srcip = Ip("10.1.100.11");
    e.srcport = 5060;
    e.dstip = Ip("172.16.200.55");
    e.dstport = 5060;
    e.srcintf = "port12";
    e.dstintf = "port11";
    e.policyId = 1;
    e.profile = "default";
    e.voipProto = "sip";
    e.kind = "call";
    e.action = "permit";
    e.status = "start";
    e.callId = "3444-13134@127.0.0.1";
    e.from = "sip:sipp@127.0.0.1:5060";
    e.to = "sip:service@172.16.200.55:5060";
    log.Voip(e);
    ASSERT_EQ(log.Lines().size(), 1u);
    EXPECT_EQ(log.Lines()[0].text,
              "date=2018-12-27 time=16:47:09 logid=\"0814044032\" type=\"utm\" subtype=\"voip\" "
              "eventtype=\"voip\" level=\"information\" vd=\"root\" "
              "eventtime=1545929229000000000 tz=\"+0000\" session_id=18975 epoch=0 event_id=0 "
              "srcip=10.1.100.11 src_port=5060 dstip=172.16.200.55 dst_port=5060 proto=17 "
              "src_int=\"port12\" dst_int=\"port11\" policy_id=1 profile=\"default\" "
              "voip_proto=\"sip\" kind=\"call\" action=\"permit\" status=\"start\" duration=0 "
              "dir=\"session_origin\" call_id=\"3444-13134@127.0.0.1\" "
              "from=\"sip:sipp@127.0.0.1:5060\" to=\"sip:service@172.16.200.55:5060\"");
}

TEST(CliGrepTest, OptionsSelectTheLines)
{
    const std::string text = "alpha\nbeta sip\ngamma\nSIP delta\nepsilon\n";
    std::string err;
    EXPECT_EQ(CliGrep(text, {"sip"}, err), "beta sip\n");
    EXPECT_EQ(CliGrep(text, {"-i", "sip"}, err), "beta sip\nSIP delta\n");
    EXPECT_EQ(CliGrep(text, {"-c", "-i", "sip"}, err), "2\n");
    EXPECT_EQ(CliGrep(text, {"-v", "a"}, err), "epsilon\n");
    EXPECT_EQ(CliGrep(text, {"-vi", "sip"}, err), "alpha\ngamma\nepsilon\n");
    EXPECT_EQ(CliGrep(text, {"-n", "gamma"}, err), "3:gamma\n");
    EXPECT_EQ(CliGrep(text, {"-A", "1", "alpha"}, err), "alpha\nbeta sip\n");
    EXPECT_EQ(CliGrep(text, {"-B1", "epsilon"}, err), "SIP delta\nepsilon\n");
    EXPECT_EQ(CliGrep(text, {"-A", "0", "-i", "^[ab]"}, err), "alpha\nbeta sip\n");
    EXPECT_TRUE(err.empty());
    EXPECT_EQ(CliGrep(text, {}, err), "");
    EXPECT_EQ(err, "Command fail. Return code -1\n");
    err.clear();
    CliGrep(text, {"-q", "x"}, err);
    EXPECT_EQ(err, "command parse error before '-q'\nCommand fail. Return code -61\n");
}

// ---- end to end: flow traces of the datapath stages ---------------------------------------------

TEST(FlowTraceE2eTest, DeniedPacketShowsPolicyZero)
{
    // Order of a real denied trace (handbook.fortinet.com.cn debug_flow_example, 7.x):
    // received a packet / allocate a new session / find a route / Denied by forward policy
    // check (policy 0).
    E2eTopology topo;
    Ptr<FortiGateNode> fgt = topo.Install(E2eTopology::BaseConfig()); // no policy
    Recorder rec(fgt);
    Cli(fgt,
        "diagnose debug flow filter dport 7\ndiagnose debug flow show function-name "
        "enable\ndiagnose debug flow trace start 10\ndiagnose debug enable\n");
    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendAt(1.0, 50);
    topo.RunUntil(2.0);

    EXPECT_EQ(srv.rx.size(), 0u);
    const uint32_t serial = fgt->GetSessionTable().GetNextSerial();
    const std::vector<std::string> want = {
        "vd-root:0 received a packet(proto=17, 10.0.1.10:4000->198.51.100.7:7) tun_id=0.0.0.0 "
        "from port1. ",
        "allocate a new session-" + Hex8(serial) + ", tun_id=0.0.0.0",
        "find a route: flag=04000000 gw-203.0.113.2 via port2",
        "Denied by forward policy check (policy 0)",
    };
    EXPECT_EQ(rec.Messages(1), want);
    const std::string console = fgt->ReadDebugConsole();
    EXPECT_NE(console.find("id=20085 trace_id=1 func=fw_forward_handler line=719 "
                           "msg=\"Denied by forward policy check (policy 0)\"\n"),
              std::string::npos)
        << console;
    EXPECT_EQ(fgt->ReadDebugConsole(), "") << "the console was read";
    EXPECT_TRUE(rec.logs.empty()) << "implicit deny is not logged unless LogImplicitDeny";
}

TEST(FlowTraceE2eTest, SnatPacketAndItsReply)
{
    // Real order (FortiOS 5.0 handbook HTTP example; 7.2 ta-p/382950 for the first lines):
    // SYN: received / allocate / find a route / Allowed by Policy-N: SNAT / SNAT a->b:p;
    // SYN-ACK: received / Find an existing session, reply direction / DNAT / find a route.
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    Recorder rec(fgt);
    Cli(fgt, "diagnose debug flow filter addr 198.51.100.7\ndiagnose debug flow trace start 3\n");
    TcpServerEndpoint srv(topo.server, 80);
    TcpClientEndpoint cli(topo.clients.Get(0));
    cli.ConnectAt(1.0, Ipv4Address(SERVER), 80);
    cli.SendAt(1.5, 100);
    topo.RunUntil(3.0);

    const Session* s = FindBy(fgt, 6, ClientAddr(0).Get(), Ip(SERVER), 80);
    ASSERT_NE(s, nullptr);
    const FlowTuple& o = s->Tuple(SessionDir::ORIGINAL);
    const FlowTuple& r = s->Tuple(SessionDir::REPLY);
    const std::string client = "10.0.1.10:" + std::to_string(o.sport);
    const std::string nat = "203.0.113.1:" + std::to_string(r.dport);
    std::vector<std::string> syn = rec.Messages(1);
    ASSERT_EQ(syn.size(), 5u);
    EXPECT_EQ(syn[0].rfind("vd-root:0 received a packet(proto=6, " + client +
                               "->198.51.100.7:80) tun_id=0.0.0.0 from port1. flag [S], seq ",
                           0),
              0u)
        << syn[0];
    EXPECT_NE(syn[0].find("from port1. flag [S], seq "), std::string::npos) << syn[0];
    EXPECT_EQ(syn[1], "allocate a new session-" + Hex8(s->serial) + ", tun_id=0.0.0.0");
    EXPECT_EQ(syn[2], "find a route: flag=04000000 gw-203.0.113.2 via port2");
    EXPECT_EQ(syn[3], "Allowed by Policy-1: SNAT");
    EXPECT_EQ(syn[4], "SNAT 10.0.1.10->" + nat);
    std::vector<std::string> synack = rec.Messages(2);
    ASSERT_EQ(synack.size(), 4u);
    EXPECT_NE(synack[0].find("received a packet(proto=6, 198.51.100.7:80->" + nat +
                             ") tun_id=0.0.0.0 from port2. flag [S.], seq "),
              std::string::npos)
        << synack[0];
    EXPECT_EQ(synack[1], "Find an existing session, id-" + Hex8(s->serial) + ", reply direction");
    EXPECT_EQ(synack[2], "DNAT " + nat + "->" + client);
    EXPECT_EQ(synack[3], "find a route: flag=04000000 gw-10.0.1.10 via port1");
    std::vector<std::string> ack = rec.Messages(3);
    ASSERT_EQ(ack.size(), 3u);
    EXPECT_NE(ack[0].find("flag [.], seq "), std::string::npos) << ack[0];
    EXPECT_EQ(ack[1], "Find an existing session, id-" + Hex8(s->serial) + ", original direction");
    EXPECT_EQ(rec.FindTrace("received a packet"), 1u);
    EXPECT_EQ(rec.Messages(4).size(), 0u) << "trace start 3 traces three packets";
}

TEST(FlowTraceE2eTest, FtpPortRunsTheHelperAndTheDataConnectionFindsTheExpSession)
{
    // "run helper-ftp(dir=original)" and "Find an EXP session, id 00016f90":
    // community.fortinet.com ta-p/211669.
    E2eTopology topo;
    topo.AssignStreams(1);
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    Recorder rec(fgt);
    Cli(fgt, "diagnose debug flow trace start 1000\n");
    FtpServerHelper sh;
    Ptr<Application> server = sh.Install(topo.server).Get(0);
    server->SetStartTime(Seconds(0));
    FtpClientHelper ch{Ipv4Address(SERVER)};
    ch.SetAttribute("Mode", EnumValue(FtpClient::ACTIVE));
    ch.SetAttribute("Command", EnumValue(FtpClient::RETR));
    ch.SetAttribute("FileSize", UintegerValue(2000));
    Ptr<Application> client = ch.Install(topo.clients.Get(0)).Get(0);
    client->SetStartTime(Seconds(1));
    topo.RunUntil(10.0);

    // The PORT command's packet: the helper runs on it (original direction) after the lookup
    // found the control session.
    const uint32_t port = rec.FindTrace("run helper-ftp(dir=original)");
    ASSERT_NE(port, 0u);
    std::vector<std::string> portLines = rec.Messages(port);
    ASSERT_GE(portLines.size(), 3u);
    // The first packet the helper inspects is the control connection's SYN (new session).
    const std::string prefix = "allocate a new session-";
    ASSERT_EQ(portLines[1].rfind(prefix, 0), 0u) << portLines[1];
    const std::string control = portLines[1].substr(prefix.size(), 8);
    EXPECT_EQ(portLines.back(), "run helper-ftp(dir=original)");
    EXPECT_NE(rec.FindTrace("run helper-ftp(dir=reply)"), 0u) << "the replies are inspected too";
    // The server's data connection (from port 20) matches the pinhole the PORT opened.
    const uint32_t data = rec.FindTrace("Find an EXP session, id " + control);
    ASSERT_NE(data, 0u);
    std::vector<std::string> dataLines = rec.Messages(data);
    ASSERT_GE(dataLines.size(), 4u);
    EXPECT_NE(dataLines[0].find("198.51.100.7:20->203.0.113.1:"), std::string::npos)
        << dataLines[0];
    EXPECT_EQ(dataLines[1], "Find an EXP session, id " + control);
    EXPECT_EQ(dataLines[2].rfind("allocate a new session-", 0), 0u) << dataLines[2];
    EXPECT_EQ(dataLines[3], "find a route: flag=04000000 gw-10.0.1.10 via port1");
    bool dnat = false;
    for (const auto& l : dataLines)
    {
        dnat = dnat || l.rfind("DNAT 203.0.113.1:", 0) == 0;
    }
    EXPECT_TRUE(dnat) << "the child is translated back to the client";
}

// ---- end to end: traffic logs ---------------------------------------------------------------

TEST(TrafficLogE2eTest, AcceptCloseTimeoutAndDenyLinesWithCounters)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    Cli(fgt,
        "config firewall policy\nedit 2\nset srcintf port3\nset dstintf port2\n"
        "set srcaddr all\nset dstaddr all\nset service ALL\nset schedule always\n"
        "set action deny\nset logtraffic all\nnext\nend\n"
        "config firewall policy\nedit 1\nset logtraffic-start enable\nnext\nend\n");
    EXPECT_NE(Cli(fgt, "show firewall policy 1\n").find("set logtraffic-start enable"),
              std::string::npos);
    Recorder rec(fgt);
    // UDP: 2 datagrams each way, then idle: accept at 180 s.
    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendAt(1.0, 50);
    cli.SendAt(2.0, 50);
    // TCP closed cleanly.
    TcpServerEndpoint tsrv(topo.server, 80);
    TcpClientEndpoint tcli(topo.clients.Get(1));
    tcli.ConnectAt(1.0, Ipv4Address(SERVER), 80);
    tcli.SendAt(1.2, 300);
    tcli.CloseAt(1.5);
    // Denied by policy 2 (from the DMZ).
    UdpEndpoint denied(topo.inside, 5000);
    denied.Connect(Ipv4Address(SERVER), 7);
    denied.SendAt(1.0, 40);
    topo.RunUntil(200.0);

    auto find = [&rec](const std::string& a, const std::string& b) {
        for (const auto& l : rec.logs)
        {
            if (l.find(a) != std::string::npos && l.find(b) != std::string::npos)
            {
                return l;
            }
        }
        return std::string();
    };
    const std::string deny = find("action=\"deny\"", "policyid=2");
    EXPECT_NE(deny.find("level=\"warning\" vd=\"root\""), std::string::npos) << deny;
    EXPECT_NE(deny.find("srcip=10.0.2.2 srcport=5000 srcintf=\"port3\""), std::string::npos)
        << deny;
    EXPECT_NE(deny.find("dstip=198.51.100.7 dstport=7 dstintf=\"port2\""), std::string::npos);
    EXPECT_NE(deny.find("trandisp=\"noop\" duration=0 sentbyte=68 rcvdbyte=0 sentpkt=1"),
              std::string::npos)
        << deny;

    const std::string start = find("action=\"start\"", "srcport=4000");
    EXPECT_NE(start.find("sentbyte=0 rcvdbyte=0 sentpkt=0 rcvdpkt=0"), std::string::npos) << start;
    const std::string udp = find("action=\"accept\"", "srcport=4000");
    EXPECT_NE(udp.find("proto=17 action=\"accept\" policyid=1 policytype=\"policy\""),
              std::string::npos)
        << udp;
    EXPECT_NE(udp.find("trandisp=\"snat\" transip=203.0.113.1 transport="), std::string::npos);
    // 2 x (20 + 8 + 50) bytes each way.
    EXPECT_NE(udp.find("sentbyte=156 rcvdbyte=156 sentpkt=2 rcvdpkt=2"), std::string::npos) << udp;
    EXPECT_NE(udp.find("duration=18"), std::string::npos) << "closed 180 s after ~2 s: " << udp;
    // The client's close ends the TCP session (TIME_WAIT then removed): close; a clear logs
    // what is left (nothing here) the same way.
    Cli(fgt, "diagnose sys session clear\n");
    const std::string tcp = find("proto=6 action=\"close\"", "dstport=80");
    EXPECT_NE(tcp.find("action=\"close\""), std::string::npos) << tcp;
    EXPECT_NE(tcp.find("service=\"HTTP\""), std::string::npos) << tcp;

    // execute log display: newest first, with the filter.
    const std::string shown =
        Cli(fgt,
            "execute log filter category traffic\nexecute log filter field action deny\n"
            "execute log display\n");
    EXPECT_EQ(shown.rfind("1 logs found.\n1 logs returned.\n\n1: date=", 0), 0u) << shown;
    EXPECT_NE(shown.find("action=\"deny\""), std::string::npos);
    const std::string all = Cli(fgt, "execute log filter reset\nexecute log display\n");
    EXPECT_EQ(all.rfind(std::to_string(rec.logs.size()) + " logs found.\n", 0), 0u) << all;
    // `| grep` on execute output.
    // (the CLI takes the quotes off a word: `.` stands for them in the pattern)
    EXPECT_EQ(Cli(fgt, "execute log display | grep -c action=.close.\n"), "1\n");
}

TEST(TrafficLogE2eTest, TimeoutAndFileOutput)
{
    const std::string path = ::testing::TempDir() + "fgsim-traffic-log-test.log";
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    fgt->SetAttribute("TrafficLogFile", StringValue(path));
    TcpServerEndpoint tsrv(topo.server, 8080);
    TcpClientEndpoint tcli(topo.clients.Get(0));
    tcli.ConnectAt(1.0, Ipv4Address(SERVER), 8080);
    topo.RunUntil(2.0);
    // Idle established TCP: cleared by the unit after `session-ttl`? Shorten it: a clear is a
    // close, an idle expiry a timeout. Here the session expires: 3600 s default TTL.
    topo.RunUntil(3700.0);
    const std::string file = ReadFileBytes(path);
    EXPECT_NE(file.find("action=\"timeout\""), std::string::npos) << file;
    EXPECT_NE(file.find("service=\"tcp/8080\""), std::string::npos) << file; // no ALL_TCP
    EXPECT_EQ(file.back(), '\n');
    std::remove(path.c_str());
}

// ---- `| grep` through Execute and the 7.x session list ----------------------------------------

TEST(CliGrepE2eTest, GrepAfterDiagnoseGetAndShow)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    UdpEndpoint srv(topo.server, 5060, true);
    UdpEndpoint cli(topo.clients.Get(0), 5060);
    cli.Connect(Ipv4Address(SERVER), 5060);
    cli.SendAt(1.0, 50);
    topo.RunUntil(2.0);

    // The seeds: `diagnose sys session list | grep sip`.
    const std::string list = Cli(fgt, "diagnose sys session list\n");
    const std::string helper = Cli(fgt, "diagnose sys session list | grep helper=\n");
    EXPECT_EQ(helper, "class_id=0 ha_id=0 policy_dir=0 tunnel=/ helper=20 vlan_cos=255/255\n")
        << list;
    EXPECT_EQ(Cli(fgt, "diag sys session list | grep -c session\n"), "2\n"); // info + total
    EXPECT_EQ(Cli(fgt, "get system session status | grep total\n"),
              "The total number of sessions for the current VDOM: 1\n");
    EXPECT_EQ(Cli(fgt, "show firewall policy | grep nat\n"), "        set nat enable\n");
    EXPECT_EQ(Cli(fgt, "diagnose debug flow filter | grep dport\n"), "dport: any\n");
    EXPECT_EQ(fgt->Diagnose("diagnose sys session stat | grep flush"),
              "delete=0, flush=0, dev_down=0/0 ses_flush_filters=0\nflush_work_num=0\n");
    FortiOsCli::Result bad = fgt->Execute("diagnose sys session list | grip sip\n");
    EXPECT_FALSE(bad.ok);
}

TEST(SessionList7Test, SevenLayoutByDefaultSixOnRequest)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint cli(topo.clients.Get(0), 4000);
    cli.Connect(Ipv4Address(SERVER), 7);
    cli.SendAt(1.0, 50);
    topo.RunUntil(2.0);
    // FortiOS 7.x lines (community.fortinet.com ta-p/230607 and ta-p/223190).
    const std::string seven = fgt->Diagnose("diagnose sys session list");
    EXPECT_NE(seven.find(" timeout=180 refresh_dir=both flags=00000000 socktype=0 sockport=0 "
                         "av_idx=0 use=3\n"),
              std::string::npos)
        << seven;
    EXPECT_NE(seven.find("misc=0 policy_id=1 pol_uuid_idx=1 auth_info=0 chk_client_info=0 vd=0\n"),
              std::string::npos);
    EXPECT_NE(seven.find("url_cat=0\nrpdb_link_id=00000000 ngfwid=n/a\nnpu_state=0x000000\n"
                         "no_ofld_reason:  non-npu-intf\ntotal session 1\n"),
              std::string::npos)
        << seven;
    EXPECT_EQ(seven.find("dd_type"), std::string::npos);
    fgt->SetAttribute("FortiOsVersion", UintegerValue(6));
    const std::string six = fgt->Diagnose("diagnose sys session list");
    EXPECT_NE(six.find(" timeout=180 flags=00000000 sockflag=00000000 sockport=0 av_idx=0 "
                       "use=3\n"),
              std::string::npos)
        << six;
    EXPECT_NE(six.find("url_cat=0\ndd_type=0 dd_mode=0\ntotal session 1\n"), std::string::npos);
}

TEST(SessionFilter7Test, ExtendedAndStateFilters)
{
    E2eTopology topo;
    FortiGateConfig cfg = E2eTopology::BaseConfig();
    cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
    Ptr<FortiGateNode> fgt = topo.Install(cfg);
    UdpEndpoint srv(topo.server, 7, true);
    UdpEndpoint c0(topo.clients.Get(0), 4000);
    UdpEndpoint c1(topo.clients.Get(1), 4001);
    c0.Connect(Ipv4Address(SERVER), 7);
    c1.Connect(Ipv4Address(SERVER), 7);
    c0.SendAt(1.0, 50);
    c1.SendAt(1.0, 50);
    topo.RunUntil(2.0);
    auto count = [&fgt]() { return fgt->Diagnose("diagnose sys session list | grep total"); };
    EXPECT_EQ(count(), "total session 2\n");
    EXPECT_EQ(fgt->Diagnose("diagnose sys session filter ext-src 10.0.1.11"), "");
    EXPECT_EQ(count(), "total session 1\n");
    EXPECT_EQ(fgt->Diagnose("diagnose sys session filter ext-src 10.0.1.10"), "");
    EXPECT_EQ(count(), "total session 2\n") << "the extended list is a union";
    EXPECT_EQ(fgt->Diagnose("diagnose sys session filter ext-dst-negate 198.51.100.7"), "");
    EXPECT_EQ(count(), "total session 0\n");
    fgt->Diagnose("diagnose sys session filter clear");
    EXPECT_EQ(fgt->Diagnose("diagnose sys session filter session-state1 log"), "");
    EXPECT_EQ(count(), "total session 2\n") << "logtraffic all: state=log";
    EXPECT_EQ(fgt->Diagnose("diagnose sys session filter state2 local"), "");
    EXPECT_EQ(count(), "total session 0\n");
    fgt->Diagnose("diagnose sys session filter clear");
    EXPECT_EQ(fgt->Diagnose("diagnose sys session filter vd-name root"), "");
    EXPECT_NE(fgt->Diagnose("diagnose sys session filter vd-name vdom2").find("Return code -61"),
              std::string::npos);
    EXPECT_NE(fgt->Diagnose("diagnose sys session filter ext-src 10.0.1"),
              std::string("")); // bad address
    const std::string full = fgt->Diagnose("diagnose sys session full-stat");
    EXPECT_EQ(full.rfind("session table:   table_size=0 max_depth=1 used=2\nmisc info:", 0), 0u)
        << full;
}
