/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// run_scenario(spec): the engine of fortigate.Scenario (python/fortigate/scenario.py). The
// Python builder validates and resolves a plain description (hosts, links, CLI, applications,
// snapshots); this file builds it as one ns-3 simulation and returns what happened as dicts:
//
//   hosts on the LAN (10.0.1.0/24, CSMA) -- port1 [FortiGate] port2 -- hosts on the WAN
//   (203.0.113.0/24, CSMA); the unit is .1 on both, hosts route through it.
//
// ns-3's simulator is global: the Python package runs this in a child process by default
// (fortigate/_child.py), so an ns-3 abort ends that process and not the interpreter.

#include "bindings.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/fortigate-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <map>
#include <pybind11/stl.h>
#include <string>
#include <vector>

namespace py = pybind11;
using namespace ns3;

NS_LOG_COMPONENT_DEFINE("FortiGatePythonScenario");

namespace
{

/// Read \p key of \p d as T, or \p dflt when absent; a wrong type is a TypeError naming it.
template <class T>
T
Get(const py::dict& d, const char* key, const T& dflt, const std::string& where)
{
    if (!d.contains(key) || d[key].is_none())
    {
        return dflt;
    }
    try
    {
        return d[key].cast<T>();
    }
    catch (const py::cast_error&)
    {
        throw py::type_error(where + ": '" + key + "' has the wrong type (" +
                             std::string(py::str(py::type::of(d[key]))) + ")");
    }
}

/// One application of the spec, installed.
struct App
{
    std::string kind;
    std::string name;
    std::string host;
    Ptr<Application> app;
    Ptr<Application> peer; //!< the sink / echo server of bulk-tcp and udp-echo
};

/// The simulation built from a spec.
class Scenario
{
  public:
    explicit Scenario(const py::dict& spec);
    py::dict Run();

  private:
    void BuildTopology();
    void InstallApps();
    Ptr<Node> HostNode(const std::string& name, const std::string& where) const;
    Ipv4Address Resolve(const py::dict& a, const char* key, const std::string& where) const;
    py::dict AppResult(const App& a) const;

    void OnCreated(const Session& s);
    void OnClosed(const Session& s, const std::string& reason);
    void OnDrop(Ptr<const Packet>, const Ipv4Header& h, const std::string& reason);
    void OnDenied(Ptr<const Packet>, const Ipv4Header& h, uint32_t policy);
    void Event(const char* kind, py::dict d);

    py::dict m_spec;
    std::map<std::string, Ptr<Node>> m_nodes;
    std::map<std::string, Ipv4Address> m_addr;
    Ptr<FortiGateNode> m_fg;
    std::vector<App> m_apps;
    py::list m_events;
    py::list m_snapshots;
    bool m_trace{true};
};

Scenario::Scenario(const py::dict& spec)
    : m_spec(spec)
{
}

Ptr<Node>
Scenario::HostNode(const std::string& name, const std::string& where) const
{
    auto it = m_nodes.find(name);
    if (it == m_nodes.end())
    {
        throw py::value_error(where + ": no host named '" + name + "'");
    }
    return it->second;
}

Ipv4Address
Scenario::Resolve(const py::dict& a, const char* key, const std::string& where) const
{
    const std::string v = Get<std::string>(a, key, "", where);
    if (v.empty())
    {
        throw py::value_error(where + ": '" + key + "' (a host name or IPv4 address) is missing");
    }
    auto it = m_addr.find(v);
    if (it != m_addr.end())
    {
        return it->second;
    }
    uint32_t ip = 0;
    if (!ParseIpv4(v, ip))
    {
        throw py::value_error(where + ": '" + key + "': '" + v +
                              "' is neither a host nor an IPv4 address");
    }
    return Ipv4Address(ip);
}

void
Scenario::BuildTopology()
{
    py::list hosts = Get<py::list>(m_spec, "hosts", py::list(), "scenario");
    NodeContainer side[2];
    std::vector<std::pair<std::string, std::string>> addrs[2];
    for (auto h : hosts)
    {
        py::dict hd = h.cast<py::dict>();
        const std::string name = Get<std::string>(hd, "name", "", "host");
        const std::string s = Get<std::string>(hd, "side", "lan", "host " + name);
        const int i = s == "wan" ? 1 : 0;
        Ptr<Node> n = CreateObject<Node>();
        m_nodes[name] = n;
        side[i].Add(n);
        addrs[i].emplace_back(name, Get<std::string>(hd, "address", "", "host " + name));
    }
    Ptr<Node> fgtNode = CreateObject<Node>();
    NetDeviceContainer dev[2];
    const char* linkKey[2] = {"lan", "wan"};
    for (int i = 0; i < 2; ++i)
    {
        py::dict link = Get<py::dict>(m_spec, linkKey[i], py::dict(), "scenario");
        CsmaHelper csma;
        csma.SetChannelAttribute(
            "DataRate",
            DataRateValue(DataRate(Get<std::string>(link, "rate", "1Gbps", linkKey[i]))));
        csma.SetChannelAttribute(
            "Delay",
            TimeValue(Time(Get<std::string>(link, "delay", i ? "5ms" : "50us", linkKey[i]))));
        NodeContainer nodes(side[i]);
        nodes.Add(fgtNode);
        dev[i] = csma.Install(nodes);
    }
    InternetStackHelper stack;
    NodeContainer all(side[0], side[1]);
    all.Add(fgtNode);
    stack.Install(all);
    const char* fgtAddr[2] = {"10.0.1.1", "203.0.113.1"};
    for (int i = 0; i < 2; ++i)
    {
        for (uint32_t k = 0; k < dev[i].GetN(); ++k)
        {
            Ptr<NetDevice> d = dev[i].Get(k);
            const bool isFgt = k == dev[i].GetN() - 1;
            const std::string a = isFgt ? fgtAddr[i] : addrs[i][k].second;
            Ptr<Ipv4> ipv4 = d->GetNode()->GetObject<Ipv4>();
            const int32_t ifi = ipv4->AddInterface(d);
            ipv4->AddAddress(
                ifi,
                Ipv4InterfaceAddress(Ipv4Address(a.c_str()), Ipv4Mask("255.255.255.0")));
            ipv4->SetUp(ifi);
            if (!isFgt)
            {
                m_addr[addrs[i][k].first] = Ipv4Address(a.c_str());
                Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->SetDefaultRoute(
                    Ipv4Address(fgtAddr[i]),
                    ifi);
            }
        }
    }
    const uint32_t seed = Get<uint32_t>(m_spec, "seed", 1, "scenario");
    stack.AssignStreams(all, 1);

    FortiGateHelper fgt; // the LAN device becomes port1, the WAN device port2
    py::dict cpu = Get<py::dict>(m_spec, "cpu", py::dict(), "scenario");
    for (auto [k, v] : cpu)
    {
        const std::string name = py::str(k);
        const std::string value = py::str(v);
        TypeId::AttributeInformation info;
        if (!CpuModel::GetTypeId().LookupAttributeByName(name, &info) ||
            !info.checker->CreateValidValue(StringValue(value)))
        {
            throw py::value_error("cpu: bad CpuModel attribute " + name + "=" + value);
        }
        fgt.SetCpuAttribute(name, StringValue(value));
    }
    for (auto c : Get<py::list>(m_spec, "cli", py::list(), "scenario"))
    {
        fgt.AddCliConfig(c.cast<std::string>());
    }
    m_fg = fgt.Install(fgtNode);
    fgt.AssignStreams(NodeContainer(fgtNode), 100);
    (void)seed;
}

void
Scenario::InstallApps()
{
    py::list apps = Get<py::list>(m_spec, "apps", py::list(), "scenario");
    int64_t stream = 1000;
    for (auto item : apps)
    {
        py::dict a = item.cast<py::dict>();
        App rec;
        rec.kind = Get<std::string>(a, "kind", "", "application");
        rec.name = Get<std::string>(a, "name", rec.kind, "application");
        rec.host = Get<std::string>(a, "host", "", rec.name);
        const std::string where = "application " + rec.name;
        Ptr<Node> node = HostNode(rec.host, where);
        const uint16_t port = Get<uint16_t>(a, "port", 0, where);
        ApplicationContainer c;
        if (rec.kind == "ftp-server")
        {
            FtpServerHelper h(port ? port : FTP_CONTROL_PORT);
            for (auto [f, size] : Get<py::dict>(a, "files", py::dict(), where))
            {
                h.AddFile(py::str(f), size.cast<uint64_t>());
            }
            c = h.Install(node);
        }
        else if (rec.kind == "ftp-client")
        {
            c = FtpClientHelper(Resolve(a, "server", where), port ? port : FTP_CONTROL_PORT)
                    .Install(node);
        }
        else if (rec.kind == "tftp-server")
        {
            c = TftpServerHelper(port ? port : TFTP_PORT).Install(node);
        }
        else if (rec.kind == "tftp-client")
        {
            c = TftpClientHelper(Resolve(a, "server", where), port ? port : TFTP_PORT)
                    .Install(node);
        }
        else if (rec.kind == "rtsp-server")
        {
            c = RtspServerHelper(port ? port : RTSP_DEFAULT_PORT).Install(node);
        }
        else if (rec.kind == "rtsp-client")
        {
            c = RtspClientHelper(Resolve(a, "server", where), port ? port : RTSP_DEFAULT_PORT)
                    .Install(node);
        }
        else if (rec.kind == "sip-registrar")
        {
            c = SipRegistrarHelper(port ? port : 5060).Install(node);
        }
        else if (rec.kind == "sip-phone")
        {
            const std::string user = Get<std::string>(a, "user", rec.name, where);
            const bool hasRegistrar = a.contains("server") && !a["server"].is_none();
            SipUserAgentHelper h =
                hasRegistrar ? SipUserAgentHelper(Resolve(a, "server", where),
                                                  Get<uint16_t>(a, "server_port", 5060, where))
                             : SipUserAgentHelper();
            c = h.Install(node, user);
            SipUserAgentHelper::AssignStreams(c, stream);
            stream += 10;
        }
        else if (rec.kind == "bulk-tcp")
        {
            const uint16_t p = port ? port : 5001;
            BulkSendHelper send("ns3::TcpSocketFactory",
                                InetSocketAddress(Resolve(a, "server", where), p));
            c = send.Install(node);
            PacketSinkHelper sink("ns3::TcpSocketFactory",
                                  InetSocketAddress(Ipv4Address::GetAny(), p));
            Ptr<Node> dst = HostNode(Get<std::string>(a, "sink_host", "", where), where);
            ApplicationContainer s = sink.Install(dst);
            s.Start(Seconds(0));
            rec.peer = s.Get(0);
        }
        else if (rec.kind == "udp-echo")
        {
            const uint16_t p = port ? port : 7;
            UdpEchoServerHelper server(p);
            Ptr<Node> dst = HostNode(Get<std::string>(a, "sink_host", "", where), where);
            ApplicationContainer s = server.Install(dst);
            s.Start(Seconds(0));
            rec.peer = s.Get(0);
            UdpEchoClientHelper client(Resolve(a, "server", where), p);
            c = client.Install(node);
        }
        else
        {
            throw py::value_error(where + ": unknown kind '" + rec.kind + "'");
        }
        rec.app = c.Get(0);
        for (auto [k, v] : Get<py::dict>(a, "attributes", py::dict(), where))
        {
            const std::string name = py::str(k);
            const std::string value = py::isinstance<py::bool_>(v)
                                          ? (v.cast<bool>() ? "true" : "false")
                                          : std::string(py::str(v));
            if (!rec.app->SetAttributeFailSafe(name, StringValue(value)))
            {
                throw py::value_error(where + ": " + rec.app->GetInstanceTypeId().GetName() +
                                      " has no attribute " + name + " taking '" + value + "'");
            }
        }
        rec.app->SetStartTime(Seconds(Get<double>(a, "start", 0.5, where)));
        if (a.contains("stop") && !a["stop"].is_none())
        {
            rec.app->SetStopTime(Seconds(Get<double>(a, "stop", 0.0, where)));
        }
        if (rec.kind == "sip-phone")
        {
            Ptr<SipUserAgent> ua = DynamicCast<SipUserAgent>(rec.app);
            for (auto call : Get<py::list>(a, "calls", py::list(), where))
            {
                py::dict cd = call.cast<py::dict>();
                ua->Call(Get<std::string>(cd, "to", "", where),
                         Seconds(Get<double>(cd, "at", 1.0, where)),
                         Seconds(Get<double>(cd, "duration", 5.0, where)));
            }
        }
        m_apps.push_back(rec);
    }
}

py::dict
Scenario::AppResult(const App& a) const
{
    py::dict d;
    d["name"] = a.name;
    d["kind"] = a.kind;
    d["host"] = a.host;
    if (auto f = DynamicCast<FtpClient>(a.app))
    {
        d["completed"] = f->IsCompleted();
        d["failed"] = f->IsFailed();
        d["failure"] = f->GetFailureReason();
        d["bytes"] = f->GetBytesTransferred();
        d["transfer_s"] = f->GetTransferTime().GetSeconds();
    }
    else if (auto t = DynamicCast<TftpClient>(a.app))
    {
        d["completed"] = t->IsCompleted();
        d["failed"] = t->IsFailed();
        d["verified"] = t->IsVerified();
        d["failure"] = t->GetFailureReason();
        d["bytes"] = t->GetBytesTransferred();
        d["transfer_s"] = t->GetTransferTime().GetSeconds();
        d["retransmissions"] = t->GetRetransmissions();
    }
    else if (auto r = DynamicCast<RtspClient>(a.app))
    {
        d["completed"] = r->IsCompleted();
        d["failed"] = r->IsFailed();
        d["failure"] = r->GetFailureReason();
        d["rtp_packets"] = r->GetRtpPackets();
        d["rtp_bytes"] = r->GetRtpBytes();
        d["rtp_lost"] = r->GetRtpLost();
        d["setup_ms"] = r->GetSetupDelay().GetSeconds() * 1000.0;
    }
    else if (auto ua = DynamicCast<SipUserAgent>(a.app))
    {
        d["registered"] = ua->IsRegistered();
        py::list calls;
        for (const SipCallRecord& c : ua->GetCalls())
        {
            py::dict cd;
            cd["outgoing"] = c.outgoing;
            cd["target"] = c.target;
            cd["call_id"] = c.callId;
            cd["state"] = SipCallStateName(c.state);
            cd["answered"] = c.WasAnswered();
            cd["invite_s"] = c.inviteSent.GetSeconds();
            cd["setup_ms"] = c.WasAnswered()
                                 ? py::object(py::float_(c.SetupDelay().GetSeconds() * 1000.0))
                                 : py::object(py::none());
            cd["final_status"] = c.finalStatus;
            cd["end_reason"] = c.endReason;
            cd["rtp_sent"] = c.PacketsSent();
            cd["rtp_received"] = c.PacketsReceived();
            cd["audio"] = SipAudioVerdictName(c.Verdict());
            calls.append(cd);
        }
        d["calls"] = calls;
    }
    else if (a.kind == "bulk-tcp")
    {
        d["rx_bytes"] = DynamicCast<PacketSink>(a.peer)->GetTotalRx();
    }
    else if (a.kind == "udp-echo")
    {
        // Replies are counted at the client through its Rx trace (Run connects it).
    }
    return d;
}

void
Scenario::Event(const char* kind, py::dict d)
{
    d["time"] = Simulator::Now().GetSeconds();
    d["event"] = kind;
    m_events.append(d);
}

py::str
Tuple(const FlowTuple& t)
{
    const char* p = IpProtoName(t.proto);
    return py::str(std::string(p ? p : std::to_string(t.proto)) + " " + Ipv4ToString(t.src) + ":" +
                   std::to_string(t.sport) + " -> " + Ipv4ToString(t.dst) + ":" +
                   std::to_string(t.dport));
}

void
Scenario::OnCreated(const Session& s)
{
    py::dict d;
    d["serial"] = s.serial;
    d["policy_id"] = s.policyId;
    d["org"] = Tuple(s.org.tuple);
    d["reply"] = Tuple(s.reply.tuple);
    Event("session-created", d);
}

void
Scenario::OnClosed(const Session& s, const std::string& reason)
{
    py::dict d;
    d["serial"] = s.serial;
    d["org"] = Tuple(s.org.tuple);
    d["reason"] = reason;
    Event("session-closed", d);
}

/// The addresses and protocol of a packet's header, for an event.
py::dict
HeaderEvent(const Ipv4Header& h)
{
    py::dict d;
    d["src"] = Ipv4ToString(h.GetSource().Get());
    d["dst"] = Ipv4ToString(h.GetDestination().Get());
    d["protocol"] = h.GetProtocol();
    return d;
}

void
Scenario::OnDrop(Ptr<const Packet>, const Ipv4Header& h, const std::string& reason)
{
    py::dict d = HeaderEvent(h);
    d["reason"] = reason;
    Event("drop", d);
}

void
Scenario::OnDenied(Ptr<const Packet>, const Ipv4Header& h, uint32_t policy)
{
    py::dict d = HeaderEvent(h);
    d["policy_id"] = policy;
    Event("policy-denied", d);
}

/// Counts the echo replies of a UdpEchoClient (its "Rx" trace).
void
CountRx(uint64_t* n, Ptr<const Packet>)
{
    ++*n;
}

py::dict
Scenario::Run()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(Get<uint64_t>(m_spec, "seed", 1, "scenario"));
    BuildTopology();
    InstallApps();
    m_trace = Get<bool>(m_spec, "trace", true, "scenario");
    if (m_trace)
    {
        m_fg->TraceConnectWithoutContext("SessionCreated",
                                         MakeCallback(&Scenario::OnCreated, this));
        m_fg->TraceConnectWithoutContext("SessionClosed", MakeCallback(&Scenario::OnClosed, this));
        m_fg->TraceConnectWithoutContext("Drop", MakeCallback(&Scenario::OnDrop, this));
        m_fg->TraceConnectWithoutContext("PolicyDenied", MakeCallback(&Scenario::OnDenied, this));
    }
    std::vector<uint64_t> echoes(m_apps.size(), 0);
    for (std::size_t i = 0; i < m_apps.size(); ++i)
    {
        if (m_apps[i].kind == "udp-echo")
        {
            m_apps[i].app->TraceConnectWithoutContext("Rx",
                                                      MakeBoundCallback(&CountRx, &echoes[i]));
        }
    }
    for (auto s : Get<py::list>(m_spec, "snapshots", py::list(), "scenario"))
    {
        py::dict sd = s.cast<py::dict>();
        const double at = Get<double>(sd, "at", 0.0, "snapshot");
        const std::string cmd = Get<std::string>(sd, "command", "", "snapshot");
        Simulator::Schedule(Seconds(at), [this, cmd, at]() {
            const FortiOsCli::Result r = m_fg->Execute(cmd);
            py::dict d;
            d["at"] = at;
            d["command"] = cmd;
            d["output"] = r.output + (r.ok ? "" : r.error + "\n");
            m_snapshots.append(d);
        });
    }
    const double duration = Get<double>(m_spec, "duration", 10.0, "scenario");
    Simulator::Stop(Seconds(duration));
    Simulator::Run();

    py::dict out;
    out["sessions"] = m_fg->Diagnose("diagnose sys session list");
    out["expectations"] = m_fg->Diagnose("diagnose sys session list expectation");
    out["snapshots"] = m_snapshots;
    py::list apps;
    for (std::size_t i = 0; i < m_apps.size(); ++i)
    {
        py::dict d = AppResult(m_apps[i]);
        if (m_apps[i].kind == "udp-echo")
        {
            d["replies"] = echoes[i];
        }
        apps.append(d);
    }
    out["apps"] = apps;
    out["events"] = m_events;
    py::dict drops;
    for (int r = 0; r < FortiGateNode::DROP_REASON_COUNT; ++r)
    {
        const auto reason = static_cast<FortiGateNode::DropReason>(r);
        if (uint64_t n = m_fg->GetDropCount(reason))
        {
            drops[py::str(FortiGateNode::DropReasonName(reason))] = n;
        }
    }
    out["drops"] = drops;
    out["forwarded"] = m_fg->GetForwardedCount();
    out["pinholes_used"] = m_fg->GetExpectations().GetMatched();
    out["duration"] = duration;
    return out;
}

py::dict
RunScenario(const py::dict& spec)
{
    Scenario s(spec);
    py::dict out;
    try
    {
        out = s.Run();
    }
    catch (...)
    {
        Simulator::Destroy();
        throw;
    }
    Simulator::Destroy();
    return out;
}

} // namespace

namespace fortigate_python
{

void
BindScenario(py::module_& m)
{
    m.def("run_scenario",
          &RunScenario,
          py::arg("spec"),
          "Build and run one scenario from its description (use fortigate.Scenario).");
}

} // namespace fortigate_python
