/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fortigate-node.h"

#include "fortigate-routing.h"
#include "nat-translator.h"
#include "tcp-state.h"

#include "ns3/boolean.h"
#include "ns3/cli-grep.h"
#include "ns3/config-error.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/session-helper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/udp-header.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateNode");
NS_OBJECT_ENSURE_REGISTERED(FortiGateNode);

namespace
{
constexpr int64_t kNsPerSecond = 1000000000LL;
} // namespace

TypeId
FortiGateNode::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FortiGateNode")
            .SetParent<Application>()
            .SetGroupName("FortiGate")
            .AddConstructor<FortiGateNode>()
            .AddAttribute("MaxSessions",
                          "Session limit (0 = unlimited). When full, new sessions are dropped "
                          "and counted (memory_tension_drop); existing sessions keep working.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&FortiGateNode::m_maxSessions),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("DropTcpWithoutSyn",
                          "Drop TCP packets that start no session (not a SYN) and match none, "
                          "as FortiOS does with tcp-session-without-syn disabled.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FortiGateNode::m_dropTcpWithoutSyn),
                          MakeBooleanChecker())
            .AddAttribute("IcmpTimeout",
                          "Idle timeout of ICMP sessions, seconds (FortiOS: 60, unverified).",
                          UintegerValue(60),
                          MakeUintegerAccessor(&FortiGateNode::m_icmpTimeout),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("HelperHoldTime",
                          "Longest a session helper that reassembles TCP (a proxy such as a "
                          "VoIP ALG) holds a segment ending inside a message while it waits for "
                          "the rest; then the segment goes on as it is. 0 disables holding.",
                          TimeValue(MilliSeconds(500)),
                          MakeTimeAccessor(&FortiGateNode::m_helperHoldTime),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("TrafficLogFile",
                          "File the unit's traffic and VoIP log lines are written to, one per "
                          "line in FortiOS's format (empty: none; the lines are kept in memory "
                          "for `execute log display` and go to the TrafficLog trace source).",
                          StringValue(""),
                          MakeStringAccessor(&FortiGateNode::SetTrafficLogFile,
                                             &FortiGateNode::GetTrafficLogFile),
                          MakeStringChecker())
            .AddAttribute("LogImplicitDeny",
                          "Log packets denied by the implicit deny policy 0 (FortiOS: `config "
                          "log setting` / `set fwpolicy-implicit-log enable`).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&FortiGateNode::m_logImplicitDeny),
                          MakeBooleanChecker())
            .AddAttribute("FortiOsVersion",
                          "Major FortiOS version whose `diagnose sys session list` layout the "
                          "unit prints: 7 (default) or 6.",
                          UintegerValue(7),
                          MakeUintegerAccessor(&FortiGateNode::SetFortiOsVersion,
                                               &FortiGateNode::GetFortiOsVersion),
                          MakeUintegerChecker<uint32_t>(6, 7))
            .AddTraceSource("FlowTrace",
                            "One `diagnose debug flow` record of a traced packet (runs while "
                            "`diagnose debug flow trace start N` has packets left).",
                            MakeTraceSourceAccessor(&FortiGateNode::m_flowTraceTrace),
                            "ns3::FortiGateNode::FlowTraceTracedCallback")
            .AddTraceSource("TrafficLog",
                            "One traffic or VoIP log line.",
                            MakeTraceSourceAccessor(&FortiGateNode::m_logTrace),
                            "ns3::FortiGateNode::LogTracedCallback")
            .AddAttribute(
                "CpuModel",
                "The processing-time model (cores, backlog, per-packet costs), e.g. "
                "/NodeList/*/ApplicationList/*/$ns3::FortiGateNode/CpuModel/Cores.",
                PointerValue(),
                MakePointerAccessor(&FortiGateNode::SetCpuModel, &FortiGateNode::GetCpuModel),
                MakePointerChecker<CpuModel>())
            .AddTraceSource("SessionCreated",
                            "A session was created.",
                            MakeTraceSourceAccessor(&FortiGateNode::m_sessionCreatedTrace),
                            "ns3::FortiGateNode::SessionTracedCallback")
            .AddTraceSource("SessionClosed",
                            "A session left the table (with the reason).",
                            MakeTraceSourceAccessor(&FortiGateNode::m_sessionClosedTrace),
                            "ns3::FortiGateNode::SessionClosedTracedCallback")
            .AddTraceSource("PolicyDenied",
                            "A packet was denied by a policy (0 = implicit deny).",
                            MakeTraceSourceAccessor(&FortiGateNode::m_policyDeniedTrace),
                            "ns3::FortiGateNode::PolicyDeniedTracedCallback")
            .AddTraceSource("Drop",
                            "A packet was dropped (with the reason).",
                            MakeTraceSourceAccessor(&FortiGateNode::m_dropTrace),
                            "ns3::FortiGateNode::DropTracedCallback");
    return tid;
}

const char*
FortiGateNode::DropReasonName(DropReason r)
{
    switch (r)
    {
    case DROP_POLICY_DENY:
        return "policy-deny";
    case DROP_NO_SESSION:
        return "no-session";
    case DROP_SESSION_LIMIT:
        return "session-limit";
    case DROP_NAT_EXHAUSTED:
        return "nat-exhausted";
    case DROP_NO_ROUTE:
        return "no-route";
    case DROP_BLOCKED_SESSION:
        return "blocked-session";
    case DROP_MALFORMED:
        return "malformed";
    case DROP_FRAGMENT:
        return "fragment-no-session";
    case DROP_ICMP_ERROR:
        return "icmp-error-no-session";
    case DROP_CPU_BACKLOG:
        return "cpu-backlog";
    case DROP_HELPER:
        return "helper";
    default:
        return "unknown";
    }
}

FortiGateNode::FortiGateNode()
    : m_sessions(std::make_unique<SessionTable>()),
      m_cpu(CreateObject<CpuModel>()),
      m_rng(CreateObject<UniformRandomVariable>()),
      m_maxSessions(0),
      m_dropTcpWithoutSyn(true),
      m_icmpTimeout(60),
      m_timers(m_config),
      m_logger(m_config, *m_sessions, m_log),
      m_helperHost(m_config, m_logger),
      m_ports(*m_sessions, m_expectations, m_rng),
      m_sessionHelperHost(
          *m_sessions,
          m_expectations,
          m_ports,
          m_closeAfterForward,
          [this](const FlowTuple& arrived, const std::string& payload, const PacketArrival& how) {
              return SendHelperReply(arrived, payload, how.idev, *how.ucb);
          }),
      m_console(*this, m_ifs, m_flow, m_log, m_helperHost.All())
{
    m_sessions->SetCloseCallback(
        [this](Session& s, SessionCloseReason why) { OnSessionClosed(s, why); });
    m_flow.SetSink([this](const FlowTraceRecord& r) {
        m_console.OnFlowRecord(r);
        m_flowTraceTrace(r);
    });
    m_log.SetSink([this](TrafficLog::Category, const std::string& line) { m_logTrace(line); });
    Rebuild();
}

FortiGateNode::~FortiGateNode() = default;

void
FortiGateNode::DoInitialize()
{
    m_sessions->SetMaxSessions(m_maxSessions);
    Application::DoInitialize();
}

void
FortiGateNode::DoDispose()
{
    Simulator::Cancel(m_tick);
    for (auto& [key, held] : m_held)
    {
        held.timer.Cancel(); // held segments keep forwarding callbacks: drop them with the unit
    }
    m_held.clear();
    m_sessions->SetCloseCallback(nullptr);
    if (m_routing)
    {
        m_routing->SetPreRoutingHook(nullptr);
    }
    m_routing = nullptr;
    m_ifs.Clear();
    m_cpu = nullptr;
    m_rng = nullptr;
    Application::DoDispose();
}

void
FortiGateNode::StartApplication()
{
}

void
FortiGateNode::StopApplication()
{
}

int64_t
FortiGateNode::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
FortiGateNode::SetRouting(Ptr<FortiGateRouting> routing)
{
    m_routing = routing;
    m_ifs.SetRouting(routing);
    m_ifs.ApplyStaticRoutes(m_config);
}

// ---- configuration -------------------------------------------------------------------------

void
FortiGateNode::SetConfig(const FortiGateConfig& config)
{
    config.Validate();
    // Compile everything that can fail before touching the running state.
    PolicyMatcher policies;
    policies.Compile(config);
    VipTable vips;
    vips.Build(config.Vips(), [&config](const std::string& n) { return config.FindInterface(n); });
    for (const auto& [name, dev] : m_ifs.Ports())
    {
        if (config.FindInterface(name) < 0)
        {
            throw ConfigError("system interface \"" + name +
                              "\": a physical port (mapped to an ns-3 device) cannot be deleted");
        }
    }
    bool changed = config != m_config;
    m_config = config;
    m_log.SetEpoch(m_config.SimEpoch()); // log dates follow the configuration's epoch
    m_policies = std::move(policies);
    m_vips = std::move(vips);
    m_helperHost.ApplyConfig(m_config);
    m_ifs.Apply(m_config);

    if (changed)
    {
        // FortiOS: sessions created by an accept policy are re-evaluated on their next packet.
        m_sessions->ForEach([](Session& s) {
            if (s.flags & SES_MAY_DIRTY)
            {
                s.flags |= SES_DIRTY;
            }
        });
    }
}

void
FortiGateNode::Rebuild()
{
    m_policies.Compile(m_config);
    m_vips.Build(m_config.Vips(),
                 [this](const std::string& n) { return m_config.FindInterface(n); });
}

void
FortiGateNode::AddInterface(const std::string& name, Ptr<NetDevice> device)
{
    Ptr<Ipv4> ipv4 = m_ifs.CheckPort(name, device, m_config);
    int32_t ipIf = ipv4->GetInterfaceForDevice(device);
    FortiGateConfig copy = m_config;
    int idx = copy.FindInterface(name);
    InterfaceConfig intf;
    if (idx >= 0)
    {
        intf = copy.Interfaces()[idx];
    }
    intf.name = name;
    if (intf.ip == 0 && ipv4->GetNAddresses(ipIf) > 0)
    {
        // The device's address fills an interface the configuration left without one.
        Ipv4InterfaceAddress a = ipv4->GetAddress(ipIf, 0);
        intf.ip = a.GetLocal().Get();
        intf.mask = a.GetMask().Get();
    }
    if (idx < 0)
    {
        idx = copy.AddInterface(intf);
    }
    else
    {
        copy.SetInterface(intf);
    }
    SetConfig(copy);
    m_ifs.AddPort(name, device, ipv4);
    m_ifs.Apply(m_config);
}

int
FortiGateNode::GetInterfaceIndex(Ptr<const NetDevice> device) const
{
    return m_ifs.GetInterfaceIndex(device);
}

Ptr<NetDevice>
FortiGateNode::GetInterfaceDevice(int ifIndex) const
{
    return m_ifs.GetInterfaceDevice(ifIndex);
}

uint32_t
FortiGateNode::InterfaceAddress(int ifIndex) const
{
    const auto& intfs = m_config.Interfaces();
    if (ifIndex < 0 || static_cast<size_t>(ifIndex) >= intfs.size())
    {
        return 0;
    }
    return intfs[ifIndex].ip;
}

// ---- route lookup --------------------------------------------------------------------------

FortiGateNode::RouteResult
FortiGateNode::LookupRoute(const Ipv4Header& h, Ptr<const NetDevice> idev) const
{
    return m_routing->Lookup(h, idev);
}

// ---- datapath --------------------------------------------------------------------------------

void
FortiGateNode::ParseView(Ptr<const Packet> p, const Ipv4Header& h, PacketView& v) const
{
    v = PacketView{};
    v.tuple.src = h.GetSource().Get();
    v.tuple.dst = h.GetDestination().Get();
    v.tuple.proto = h.GetProtocol();
    v.ipId = h.GetIdentification();
    v.fragOffset = static_cast<uint16_t>(h.GetFragmentOffset() / 8);
    v.moreFragments = !h.IsLastFragment();
    v.ipTotalLength = static_cast<uint16_t>(h.GetSerializedSize() + p->GetSize());
    v.l4Size = p->GetSize();
    // Enough for a TCP header with options, or an ICMP error's embedded header + 8 bytes.
    uint8_t buf[96];
    uint32_t n = p->CopyData(buf, sizeof(buf));
    ParseTransport(buf, n, v);
    // A UDP length below its header, or past a whole (unfragmented) datagram, is malformed, as
    // Linux conntrack's udp_error finds it (issue 16); a shorter one only means padding.
    if (v.l4Valid && v.tuple.proto == IPPROTO_NUM_UDP && !v.IsFragment())
    {
        const uint32_t udpLen = static_cast<uint32_t>(buf[4]) << 8 | buf[5];
        if (udpLen < 8 || udpLen > v.l4Size)
        {
            v.l4Valid = false;
        }
    }
}

void
FortiGateNode::Drop(Ptr<const Packet> p, const Ipv4Header& h, DropReason r)
{
    ++m_drops[r];
    m_flow.Dropped(DropReasonName(r)); // flow trace (issue 13)
    NS_LOG_LOGIC("drop " << DropReasonName(r) << " " << h);
    m_dropTrace(p, h, DropReasonName(r));
}

bool
FortiGateNode::PreRouting(Ptr<const Packet> p,
                          const Ipv4Header& header,
                          Ptr<const NetDevice> idev,
                          const Ipv4RoutingProtocol::UnicastForwardCallback& ucb)
{
    const Ptr<Ipv4>& ipv4 = m_ifs.GetIpv4();
    if (!ipv4 || header.GetDestination().IsMulticast() || header.GetDestination().IsBroadcast())
    {
        return false;
    }
    int32_t ipIf = ipv4->GetInterfaceForDevice(idev);
    int inIf = ipIf >= 0 ? m_ifs.IfIndexOfIpv4(ipIf) : -1;
    if (inIf < 0)
    {
        return false; // not a FortiGate port (e.g. loopback): plain ns-3 behaviour
    }
    if (header.GetSerializedSize() < 20 || header.GetPayloadSize() != p->GetSize())
    {
        // ns-3's IPv4 input takes an IHL below 5 and a total length past the frame (or below
        // the header, which wraps) as they come; the unit refuses them (issue 16).
        Drop(p, header, DROP_MALFORMED);
        return true;
    }
    if (header.GetTtl() <= 1 && !ipv4->IsDestinationAddress(header.GetDestination(), ipIf))
    {
        // Expires here: ns-3's forwarding drops it and reports time exceeded to the sender about
        // the packet as it arrived (untranslated), from the interface facing the sender.
        return false;
    }
    PacketView v;
    ParseView(p, header, v);
    // The flow trace of this packet (issue 13).
    FlowTrace::Scope traced(m_flow, v, m_logger.IfName(inIf));
    if (m_sessions->Size() > 0 && m_sessions->NextDeadlineNs() <= Simulator::Now().GetNanoSeconds())
    {
        m_sessions->Advance(Simulator::Now().GetNanoSeconds());
    }

    if (v.IsLaterFragment())
    {
        const FlowTuple* first = m_fragments.Find(v);
        SessionDir dir;
        Session* s = first ? m_sessions->Find(*first, &dir) : nullptr;
        if (!s)
        {
            Drop(p, header, DROP_FRAGMENT);
            return true;
        }
        if (!v.moreFragments)
        {
            m_fragments.Forget(v);
        }
        Established(s, dir, p, header, v, idev, ucb, CpuModel::FAST_PATH, nullptr);
        return true;
    }
    if (!v.l4Valid)
    {
        Drop(p, header, DROP_MALFORMED);
        return true;
    }
    if (v.icmpError)
    {
        return HandleIcmpError(p, header, v, idev, ucb);
    }
    SessionDir dir;
    Session* s = m_sessions->Find(v.tuple, &dir);
    if (s)
    {
        m_flow.ExistingSession(s->serial, dir == SessionDir::REPLY); // flow trace
        Established(s, dir, p, header, v, idev, ucb, CpuModel::FAST_PATH, nullptr);
        return true;
    }
    Expectation pinhole;
    if (m_expectations.Size() > 0 &&
        m_expectations.Match(v.tuple, Simulator::Now().GetNanoSeconds(), &pinhole))
    {
        m_flow.ExpSession(pinhole.parentSerial);                // flow trace
        m_flow.AllocateNewSession(m_sessions->GetNextSerial()); // flow trace
        return CreateChild(pinhole, p, header, v, inIf, idev, ucb);
    }
    return NewSession(p, header, v, inIf, idev, ucb);
}

bool
FortiGateNode::NewSession(Ptr<const Packet> p,
                          const Ipv4Header& h,
                          const PacketView& v,
                          int inIf,
                          Ptr<const NetDevice> idev,
                          const Ipv4RoutingProtocol::UnicastForwardCallback& ucb)
{
    // DNAT (VIP) before routing.
    FlowTuple target = v.tuple;
    VipTable::Match vip;
    bool dnat =
        m_vips.Lookup(static_cast<uint8_t>(inIf), v.tuple.proto, v.tuple.dst, v.tuple.dport, &vip);
    if (dnat)
    {
        target.dst = vip.mappedIp;
        target.dport = vip.mappedPort;
    }
    else if (m_ifs.GetIpv4()->IsDestinationAddress(h.GetDestination(),
                                                   m_ifs.GetIpv4()->GetInterfaceForDevice(idev)))
    {
        return !LocalInAllowed(p, h, v, inIf); // allowed: ns-3 delivers it to the unit's stack
    }
    if (v.tuple.proto == IPPROTO_NUM_TCP && m_dropTcpWithoutSyn && (v.tcpFlags & 0x12) != 0x02)
    {
        Drop(p, h, DROP_NO_SESSION);
        return true;
    }
    m_flow.AllocateNewSession(m_sessions->GetNextSerial()); // flow trace

    Ipv4Header routed = h;
    routed.SetDestination(Ipv4Address(target.dst));
    RouteResult rr = LookupRoute(routed, idev);
    if (rr.local)
    {
        return false;
    }
    if (!rr.route)
    {
        Drop(p, h, DROP_NO_ROUTE);
        return true;
    }
    int32_t outIpIf = m_ifs.GetIpv4()->GetInterfaceForDevice(rr.route->GetOutputDevice());
    int outIf = outIpIf >= 0 ? m_ifs.IfIndexOfIpv4(outIpIf) : -1;
    if (outIf < 0)
    {
        return false; // leaves through a device that is not a FortiGate port
    }
    m_flow.Route(rr.route->GetGateway().Get() ? rr.route->GetGateway().Get() : target.dst,
                 m_logger.IfName(outIf)); // a connected route shows the host as gateway

    const FirewallPolicy* policy = m_policies.Lookup(MakePolicyQuery(static_cast<uint8_t>(inIf),
                                                                     static_cast<uint8_t>(outIf),
                                                                     target,
                                                                     v.icmpType,
                                                                     v.icmpCode));
    if (!policy || policy->action != FirewallPolicy::ACCEPT)
    {
        uint32_t id = policy ? policy->id : 0;
        m_flow.PolicyDenied(id); // flow trace
        if (policy ? policy->logtraffic != "disable" : m_logImplicitDeny)
        {
            m_logger.LogDeny(v, inIf, outIf, id);
        }
        DenyByPolicy(p, h, id);
        NS_LOG_LOGIC("denied by policy " << id << ": " << v.tuple.ToString());
        if (m_config.Settings().sesDeniedTraffic)
        {
            // ses-denied-traffic enable: a blocked session drops the flow's next packets
            // without a policy lookup until block-session-timer runs out.
            const int64_t now = Simulator::Now().GetNanoSeconds();
            const uint32_t ttl = m_config.Timers().blockSession;
            if (Session* s = m_sessions->Insert(v.tuple, target.Reversed(), now, ttl))
            {
                s->policyId = id;
                s->flags |= SES_BLOCK;
                s->inIf[0] = static_cast<uint8_t>(inIf);
                s->inIf[1] = static_cast<uint8_t>(outIf);
                s->establishedTtl = ttl;
                s->timeout = ttl;
                m_sessionCreatedTrace(*s);
                ScheduleTick();
            }
        }
        return true;
    }

    // SNAT decision (FortiOS order: VIP nat-source-vip, pool, static VIP, interface).
    NatAllocator::Request req;
    req.proto = target.proto;
    req.src = target.src;
    req.sport = target.sport;
    req.dst = target.dst;
    req.dport = target.dport;
    const int64_t nowNs = Simulator::Now().GetNanoSeconds();
    const bool reservations = m_expectations.ReservationCount() > 0;
    auto inUse = [this, &target, reservations, nowNs](const FlowTuple& t) {
        if (m_sessions->TupleInUse(t))
        {
            return true;
        }
        // A public port a session helper announced for another endpoint (NatReservation).
        const NatReservation* r =
            reservations ? m_expectations.ReservationOf(t.proto, t.dst, t.dport, nowNs) : nullptr;
        return r && (r->privIp != target.src || r->privPort != target.sport);
    };
    // A session helper's NAT reservation for this endpoint on the address NAT picks: the
    // endpoint leaves from exactly the port its signalling announced (the allocator keeps the
    // requested port when its tuple is free).
    auto reserved = [this, &target, reservations, nowNs](uint32_t lo, uint32_t hi, uint16_t& port) {
        const NatReservation* r = reservations ? m_expectations.FindReservation(target.proto,
                                                                                target.src,
                                                                                target.sport,
                                                                                lo,
                                                                                hi,
                                                                                nowNs)
                                               : nullptr;
        if (r)
        {
            port = r->pubPort;
        }
        return r != nullptr;
    };
    auto rng = [this](uint32_t n) { return m_rng->GetInteger(0, n - 1); };
    NatAllocator::Result nat;
    nat.ok = true;
    nat.ip = target.src;
    nat.port = target.sport;
    std::string poolName;
    VipTable::ReverseMatch rev;
    bool hasRev =
        !dnat && m_vips.ReverseLookup(target.src, target.sport, target.proto, outIf, &rev);
    bool hairpin = dnat && outIf == inIf && m_config.Settings().snatHairpinTraffic;
    if (hasRev && (rev.forced || (policy->nat && !policy->ippool)))
    {
        nat.ip = rev.extIp;
    }
    else if (policy->nat && policy->ippool && !policy->poolname.empty())
    {
        nat.ok = false;
        for (const auto& name : policy->poolname)
        {
            const IpPoolConfig* pool = m_config.FindIpPool(name);
            if (!pool)
            {
                continue;
            }
            NatAllocator::Request preq = req;
            reserved(pool->startip, pool->endip, preq.sport);
            nat = m_nat.AllocatePool(*pool, preq, inUse, rng);
            if (nat.ok)
            {
                poolName = name;
                break;
            }
        }
    }
    else if (policy->nat || hairpin)
    {
        const uint32_t egress = InterfaceAddress(outIf);
        NatAllocator::Request ireq = req;
        reserved(egress, egress, ireq.sport);
        nat = m_nat.AllocateInterface(egress, ireq, inUse, rng);
    }
    if (!nat.ok)
    {
        Drop(p, h, DROP_NAT_EXHAUSTED);
        return true;
    }

    FlowTuple leaving{nat.ip, target.dst, nat.port, target.dport, target.proto};
    if (v.tuple.proto == IPPROTO_NUM_ICMP)
    {
        leaving.dport = leaving.sport; // echo id on both sides
    }
    int64_t now = Simulator::Now().GetNanoSeconds();
    SessionTable::InsertResult ir;
    Session* s = m_sessions->Insert(v.tuple, leaving.Reversed(), now, 10, &ir);
    if (!s)
    {
        if (!poolName.empty())
        {
            m_nat.Release(target.proto, target.src, nat.ip, nat.port, poolName);
        }
        Drop(p, h, ir == SessionTable::InsertResult::FULL ? DROP_SESSION_LIMIT : DROP_NO_SESSION);
        return true;
    }
    s->policyId = policy->id;
    s->flags |= SES_MAY_DIRTY;
    if (policy->logtraffic == "all")
    {
        s->flags |= SES_LOG;
    }
    m_flow.NewSessionId(s->serial);                              // flow trace
    m_flow.PolicyAllowed(policy->id, leaving.src != target.src); // flow trace
    s->inIf[0] = static_cast<uint8_t>(inIf);
    s->inIf[1] = static_cast<uint8_t>(outIf);
    s->natPool = InternPool(poolName);
    m_timers.Apply(*s, target.proto, target.dport, policy, m_icmpTimeout);
    NS_LOG_INFO("session " << s->serial << " created by policy " << policy->id << ": "
                           << v.tuple.ToString() << " -> " << leaving.ToString());
    m_helperHost.Bind(*s, *policy, target.proto, target.dport);
    m_sessionCreatedTrace(*s);
    if ((s->flags & SES_LOG) && policy->logtrafficStart)
    {
        m_logger.LogSession(*s, "start");
    }
    ScheduleTick();
    Established(s, SessionDir::ORIGINAL, p, h, v, idev, ucb, CpuModel::SESSION_SETUP, rr.route);
    return true;
}

void
FortiGateNode::DenyByPolicy(Ptr<const Packet> p, const Ipv4Header& h, uint32_t policyId)
{
    ++m_drops[DROP_POLICY_DENY];
    m_policyDeniedTrace(p, h, policyId);
    m_dropTrace(p, h, DropReasonName(DROP_POLICY_DENY));
}

bool
FortiGateNode::LocalInAllowed(Ptr<const Packet> p,
                              const Ipv4Header& h,
                              const PacketView& v,
                              int inIf)
{
    // A VIP or IP-pool address the unit answers ARP for is not one of its own: with no VIP
    // match and no session, nothing accepts the packet (implicit deny).
    if (m_ifs.IsProxyArpAddress(v.tuple.dst))
    {
        NS_LOG_LOGIC("to VIP/pool address, no VIP or session: denied " << v.tuple.ToString());
        DenyByPolicy(p, h, 0);
        return false;
    }
    // The unit's own address: the arrival interface's allowaccess decides (local-in).
    const auto& access = m_config.Interfaces()[inIf].allowaccess;
    bool allowed = false;
    switch (v.tuple.proto)
    {
    case IPPROTO_NUM_ICMP:
        allowed = v.icmpType != 8 || AllowAccessCovers(access, IPPROTO_NUM_ICMP, 0);
        break;
    case IPPROTO_NUM_TCP:
        // A segment of a connection the unit's stack owns passes; a new one needs a service.
        allowed = (v.tcpFlags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) != TCP_FLAG_SYN ||
                  AllowAccessCovers(access, IPPROTO_NUM_TCP, v.tuple.dport);
        break;
    case IPPROTO_NUM_UDP:
        allowed = AllowAccessCovers(access, IPPROTO_NUM_UDP, v.tuple.dport);
        break;
    default:
        break;
    }
    if (!allowed)
    {
        NS_LOG_LOGIC("local-in denied by allowaccess: " << v.tuple.ToString());
        DenyByPolicy(p, h, 0);
    }
    return allowed;
}

uint16_t
FortiGateNode::InternPool(const std::string& name)
{
    if (name.empty())
    {
        return 0;
    }
    for (size_t i = 0; i < m_poolNames.size(); ++i)
    {
        if (m_poolNames[i] == name)
        {
            return static_cast<uint16_t>(i + 1);
        }
    }
    m_poolNames.push_back(name);
    return static_cast<uint16_t>(m_poolNames.size());
}

PolicyQuery
FortiGateNode::MakePolicyQuery(uint8_t inIf,
                               uint8_t outIf,
                               const FlowTuple& target,
                               uint8_t icmpType,
                               uint8_t icmpCode) const
{
    PolicyQuery q;
    q.inIf = inIf;
    q.outIf = outIf;
    q.src = target.src;
    q.dst = target.dst;
    q.proto = target.proto;
    q.sport = target.sport;
    q.dport = target.dport;
    if (target.proto == IPPROTO_NUM_ICMP)
    {
        q.icmpType = icmpType;
        q.icmpCode = icmpCode;
    }
    q.simSeconds = Simulator::Now().GetSeconds();
    return q;
}

bool
FortiGateNode::Reevaluate(Session* s)
{
    // The original direction after DNAT, before SNAT: the source as it arrived.
    FlowTuple target = s->Translated(SessionDir::ORIGINAL);
    target.src = s->org.tuple.src;
    target.sport = s->org.tuple.sport;
    // ICMP sessions are echo sessions: their first packet was an echo request (type 8, code 0).
    const FirewallPolicy* policy =
        m_policies.Lookup(MakePolicyQuery(s->inIf[0], s->inIf[1], target, 8, 0));
    s->flags &= ~SES_DIRTY;
    if (policy && policy->action == FirewallPolicy::ACCEPT)
    {
        s->policyId = policy->id;
        return true;
    }
    // No longer allowed: FortiOS blocks the session and keeps it until it expires.
    s->flags |= SES_BLOCK;
    s->policyId = policy ? policy->id : 0;
    s->establishedTtl = m_config.Timers().blockSession;
    // block-session-timer runs from now; blocked packets do not refresh it.
    m_sessions->Touch(s, Simulator::Now().GetNanoSeconds(), s->establishedTtl);
    return false;
}

void
FortiGateNode::Established(Session* s,
                           SessionDir dir,
                           Ptr<const Packet> p,
                           const Ipv4Header& h,
                           const PacketView& v,
                           Ptr<const NetDevice> idev,
                           const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                           CpuModel::Work work,
                           Ptr<Ipv4Route> knownRoute)
{
    int64_t now = Simulator::Now().GetNanoSeconds();
    if ((s->flags & SES_DIRTY) && !(s->flags & SES_BLOCK))
    {
        Reevaluate(s);
    }
    if (s->flags & SES_BLOCK)
    {
        // A blocked session drops its packets without being refreshed: it expires on its own.
        Drop(p, h, DROP_BLOCKED_SESSION);
        return;
    }
    int d = static_cast<int>(dir);
    bool stateChanged = false;
    if (!v.IsLaterFragment())
    {
        if (v.tuple.proto == IPPROTO_NUM_TCP)
        {
            stateChanged = TcpStateUpdate(s->tcpState, dir == SessionDir::REPLY, v.tcpFlags);
        }
        else if (dir == SessionDir::REPLY && s->tcpState[0] == 0)
        {
            s->tcpState[0] = 1; // UDP/other: a reply was seen (proto_state 01)
            stateChanged = true;
        }
    }
    s->counters[d].bytes += v.ipTotalLength;
    s->counters[d].packets += 1;
    // refresh-direction outgoing (1) / incoming (2): only that direction's packets refresh the
    // timer; a state change always sets the new state's timer.
    if (stateChanged || m_timers.Refreshes(*s, d))
    {
        m_sessions->Touch(s, now, m_timers.StateTimeout(*s));
    }
    if (v.moreFragments && v.fragOffset == 0)
    {
        m_fragments.Remember(v, s->Tuple(dir), now);
    }

    if ((v.tcpFlags & TCP_FLAG_RST) && v.tuple.proto == IPPROTO_NUM_TCP && (s->flags & SES_LOG))
    {
        m_logger.NoteRst(*s, d);
    }
    if (m_flow.Active())
    {
        m_flow.Translate(v.tuple, s->Translated(dir)); // flow trace: SNAT/DNAT lines
    }

    Ipv4Header out = h;
    Ptr<const Packet> q = p;
    Time cost = m_cpu->GetCost(work);
    if (s->helperId != 0 && !v.IsLaterFragment())
    {
        std::vector<uint8_t> prefix;
        uint32_t startSeq = v.tcpSeq;
        if (!m_held.empty() && v.tuple.proto == IPPROTO_NUM_TCP)
        {
            TakeHeld(s, d, v, prefix, startSeq);
        }
        if (!RunHelper(s, dir, p, h, v, idev, ucb, std::move(prefix), startSeq, true, cost, q, out))
        {
            return; // dropped or held
        }
    }
    else
    {
        const FlowTuple to = s->Translated(dir);
        if (to != v.tuple)
        {
            q = TranslatePacket(p, out, v, to, Node::ChecksumEnabled());
        }
    }
    RouteAndForward(s, d, p, h, q, out, idev, ucb, cost, knownRoute);
}

void
FortiGateNode::RouteAndForward(Session* s,
                               int d,
                               Ptr<const Packet> p,
                               const Ipv4Header& h,
                               Ptr<const Packet> q,
                               const Ipv4Header& out,
                               Ptr<const NetDevice> idev,
                               const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                               Time cost,
                               Ptr<Ipv4Route> knownRoute)
{
    Ptr<Ipv4Route> route = knownRoute;
    if (!route)
    {
        RouteResult rr = LookupRoute(out, idev);
        route = rr.route;
        if (!route)
        {
            Drop(p, h, DROP_NO_ROUTE);
            return;
        }
    }
    s->gateway[d] = route->GetGateway().Get();
    if (d == 1 && s->counters[1].packets == 1 && m_flow.Active())
    {
        // flow trace: the first reply packet looks its route up
        const uint32_t gw = route->GetGateway().Get();
        m_flow.Route(gw ? gw : out.GetDestination().Get(),
                     m_logger.IfName(GetInterfaceIndex(route->GetOutputDevice())));
    }
    Forward(ucb, route, q, out, cost);
    if (!m_closeAfterForward.empty())
    {
        std::vector<uint32_t> serials;
        serials.swap(m_closeAfterForward);
        m_sessions->Clear(
            [&serials](const Session& x) {
                return std::find(serials.begin(), serials.end(), x.serial) != serials.end();
            },
            SessionCloseReason::HELPER);
    }
}

void
FortiGateNode::TakeHeld(Session* s,
                        int d,
                        const PacketView& v,
                        std::vector<uint8_t>& prefix,
                        uint32_t& startSeq)
{
    auto it = m_held.find({s->serial, d});
    if (it == m_held.end())
    {
        return;
    }
    const uint8_t endOrReset = TCP_FLAG_FIN | TCP_FLAG_RST | TCP_FLAG_SYN;
    if (v.l4Size <= v.l4HeaderSize && !(v.tcpFlags & endOrReset))
    {
        return; // a bare ACK goes past the held bytes
    }
    HeldSegment& held = it->second;
    // The merged segment goes out as one IPv4 packet: its total length is 16 bits, with room
    // for the largest IP and TCP headers and for the helper's edits. When the held bytes and
    // this segment would not fit, the held bytes go on first, as they are (issue 16: an
    // endless SIP header section made a 66,000-byte segment whose total length wrapped).
    constexpr uint32_t MAX_MERGED_PAYLOAD = 65535 - 60 - 60 - 1024;
    const uint32_t ownLen = v.l4Size > v.l4HeaderSize ? v.l4Size - v.l4HeaderSize : 0;
    if (v.tcpSeq != held.seq + held.length || (v.tcpFlags & (TCP_FLAG_RST | TCP_FLAG_SYN)) ||
        held.length + ownLen > MAX_MERGED_PAYLOAD)
    {
        // The stream goes on out of order (a gap, a retransmission), or there is no room to
        // merge: the held bytes go first.
        ReleaseHeld(s->serial, d);
        return;
    }
    // The next segment: it is inspected with the held bytes in front.
    prefix = std::move(held.prefix);
    std::vector<uint8_t> l4(held.view.l4Size); // its TCP header and payload
    held.packet->CopyData(l4.data(), held.view.l4Size);
    prefix.insert(prefix.end(), l4.begin() + held.view.l4HeaderSize, l4.end());
    startSeq = held.seq;
    held.timer.Cancel();
    m_held.erase(it);
}

void
FortiGateNode::ReleaseHeld(uint32_t serial, int d)
{
    auto it = m_held.find({serial, d});
    if (it == m_held.end())
    {
        return;
    }
    HeldSegment held = std::move(it->second);
    m_held.erase(it);
    held.timer.Cancel();
    NS_LOG_LOGIC("session " << serial << " dir " << d << ": releasing " << held.length
                            << " held bytes at seq " << held.seq);
    Ptr<const Packet> q = held.packet;
    Ipv4Header out = held.header;
    Time cost = m_cpu->GetCost(CpuModel::FAST_PATH);
    if (RunHelper(held.session,
                  static_cast<SessionDir>(d),
                  held.packet,
                  held.header,
                  held.view,
                  held.idev,
                  held.ucb,
                  std::move(held.prefix),
                  held.seq,
                  false,
                  cost,
                  q,
                  out))
    {
        RouteAndForward(held.session,
                        d,
                        held.packet,
                        held.header,
                        q,
                        out,
                        held.idev,
                        held.ucb,
                        cost,
                        nullptr);
    }
}

bool
FortiGateNode::RunHelper(Session* s,
                         SessionDir dir,
                         Ptr<const Packet> p,
                         const Ipv4Header& h,
                         const PacketView& v,
                         Ptr<const NetDevice> idev,
                         const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                         std::vector<uint8_t> prefix,
                         uint32_t startSeq,
                         bool mayHold,
                         Time& cost,
                         Ptr<const Packet>& q,
                         Ipv4Header& out)
{
    const int d = static_cast<int>(dir);
    const int64_t now = Simulator::Now().GetNanoSeconds();
    const FlowTuple to = s->Translated(dir);
    const bool tcp = v.tuple.proto == IPPROTO_NUM_TCP;
    // The session helper sees the payload (after any bytes it held back), may edit it, open
    // pinholes, drop, hold or close.
    const uint32_t ownLen = v.l4Size > v.l4HeaderSize ? v.l4Size - v.l4HeaderSize : 0;
    std::vector<uint8_t> bytes(v.l4Size);
    p->CopyData(bytes.data(), v.l4Size);
    const uint8_t* payload = bytes.data() + v.l4HeaderSize;
    const bool merged = !prefix.empty();
    if (merged)
    {
        prefix.insert(prefix.end(), payload, payload + ownLen);
        payload = prefix.data();
    }
    const uint32_t payloadLen = merged ? static_cast<uint32_t>(prefix.size()) : ownLen;
    PacketView hv = v;
    hv.tcpSeq = startSeq;
    hv.l4Size = hv.l4HeaderSize + payloadLen;
    SessionExtension* ext = s->ExtOrNull();
    HelperContext ctx{m_sessionHelperHost, *s, dir, hv, payload, payloadLen, to, now};
    const PacketArrival arrival{idev, &ucb};
    ctx.arrival = &arrival;
    ctx.mayHold = mayHold && tcp && payloadLen > 0 && !m_helperHoldTime.IsZero() &&
                  !(v.tcpFlags & (TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST));
    Ptr<SessionHelper> helper = m_helperHost.At(s->helperId);
    if (m_flow.Active()) // flow trace: the proxy (ALG) or the kernel helper gets the packet
    {
        (s->flags & SES_REDIR) ? m_flow.ToProxy()
                               : m_flow.Helper(helper->GetName(), dir == SessionDir::REPLY);
    }
    helper->Inspect(ctx);
    // A proxy helper: each message costs the CPU model's PROXY work (more than a
    // kernel helper inspection), which shows in call-setup time.
    cost += m_cpu->GetCost((s->flags & SES_REDIR) ? CpuModel::PROXY : CpuModel::HELPER);
    if (ctx.drop)
    {
        Drop(p, h, DROP_HELPER);
        return false;
    }
    if (ctx.hold && ctx.mayHold)
    {
        HeldSegment& held = m_held[{s->serial, d}];
        held.session = s;
        held.packet = p;
        held.header = h;
        held.view = v;
        held.prefix.assign(payload, payload + (payloadLen - ownLen));
        held.seq = startSeq;
        held.length = payloadLen;
        held.idev = idev;
        held.ucb = ucb;
        held.timer =
            Simulator::Schedule(m_helperHoldTime, &FortiGateNode::ReleaseHeld, this, s->serial, d);
        NS_LOG_LOGIC("session " << s->serial << " dir " << d << ": helper holds " << payloadLen
                                << " bytes at seq " << startSeq);
        return false;
    }
    std::vector<uint8_t> edited;
    const bool rewrite = !ctx.editor.Empty() || merged;
    if (!ctx.editor.Empty())
    {
        edited = ctx.editor.Apply(ctx.payload, ctx.payloadLen);
        if (tcp && ctx.editor.Delta() != 0)
        {
            s->Ext().seq[d].Record(startSeq, static_cast<int32_t>(ctx.editor.Delta()));
        }
        ext = s->ExtOrNull();
    }
    else if (merged)
    {
        edited.assign(payload, payload + payloadLen);
    }
    // A merged segment starts where the held bytes did.
    int32_t seqDelta = static_cast<int32_t>(startSeq - v.tcpSeq);
    int32_t ackDelta = 0;
    if (ext && tcp)
    {
        seqDelta += ext->seq[d].OffsetFor(startSeq);
        ackDelta = ext->seq[1 - d].OffsetForAck(v.tcpAck);
    }
    q = RewritePacket(p,
                      out,
                      v,
                      to,
                      Node::ChecksumEnabled(),
                      rewrite ? &edited : nullptr,
                      seqDelta,
                      ackDelta);
    if (rewrite)
    {
        // The payload changed length: the IP total length must follow, or the receiver
        // trims the segment to the old length (its tail lost, TCP heals it only by
        // retransmitting).
        out.SetPayloadSize(q->GetSize());
    }
    if (ctx.close)
    {
        m_closeAfterForward.push_back(s->serial);
    }
    return true;
}

bool
FortiGateNode::CreateChild(const Expectation& e,
                           Ptr<const Packet> p,
                           const Ipv4Header& h,
                           const PacketView& v,
                           int inIf,
                           Ptr<const NetDevice> idev,
                           const Ipv4RoutingProtocol::UnicastForwardCallback& ucb)
{
    FlowTuple leaving = v.tuple;
    leaving.src = e.natSrc ? e.natSrc : leaving.src;
    leaving.sport = e.natSport ? e.natSport : leaving.sport;
    leaving.dst = e.natDst ? e.natDst : leaving.dst;
    leaving.dport = e.natDport ? e.natDport : leaving.dport;
    FlowTuple replyTuple = leaving.Reversed();
    const bool gre = v.tuple.proto == IPPROTO_NUM_GRE;
    uint16_t greReplyKey = 0;
    if (gre)
    {
        // GRE (PPTP) pinholes come in pairs, one per direction, each keyed by the Call ID its
        // packets carry. 0 being a valid Call ID, a GRE pinhole's natDport is always the key
        // the child leaves with. The first packet through either pinhole makes one session for
        // both directions: its reply tuple and the key replies leave with come from the sibling
        // pinhole, which is used up.
        leaving.sport = 0;
        leaving.dport = e.natDport;
        replyTuple = FlowTuple{leaving.dst, leaving.src, 0, 0, IPPROTO_NUM_GRE};
        const uint32_t from = v.tuple.src;
        auto sibling = [&e, &leaving, from](const Expectation& x) {
            return x.proto == IPPROTO_NUM_GRE && x.parentSerial == e.parentSerial &&
                   x.src == leaving.dst && x.dst == leaving.src &&
                   (x.natDst ? x.natDst : x.dst) == from;
        };
        for (const auto& x : m_expectations.List())
        {
            if (sibling(x))
            {
                replyTuple.dport = x.dport;
                greReplyKey = x.natDport;
                m_expectations.RemoveIf(sibling);
                break;
            }
        }
    }
    Ipv4Header routed = h;
    routed.SetDestination(Ipv4Address(leaving.dst));
    RouteResult rr = LookupRoute(routed, idev);
    if (!rr.route)
    {
        Drop(p, h, DROP_NO_ROUTE);
        return true;
    }
    int32_t outIpIf = m_ifs.GetIpv4()->GetInterfaceForDevice(rr.route->GetOutputDevice());
    int outIf = outIpIf >= 0 ? m_ifs.IfIndexOfIpv4(outIpIf) : -1;
    m_flow.Route(rr.route->GetGateway().Get() ? rr.route->GetGateway().Get() : leaving.dst,
                 m_logger.IfName(outIf)); // flow trace
    int64_t now = Simulator::Now().GetNanoSeconds();
    SessionTable::InsertResult ir;
    Session* s = m_sessions->Insert(v.tuple, replyTuple, now, 10, &ir);
    if (!s)
    {
        Drop(p, h, ir == SessionTable::InsertResult::FULL ? DROP_SESSION_LIMIT : DROP_NO_SESSION);
        return true;
    }
    m_flow.NewSessionId(s->serial); // flow trace
    // The child inherits the parent's policy (no policy lookup) and shows the helper's name.
    s->policyId = e.policyId;
    s->flags |= SES_MAY_DIRTY;
    s->inIf[0] = static_cast<uint8_t>(inIf);
    s->inIf[1] = static_cast<uint8_t>(outIf >= 0 ? outIf : 0);
    s->Ext().parentSerial = e.parentSerial;
    s->Ext().parentHelper = m_helperHost.IdFor(e.helper);
    s->helperId = e.childHelper;
    if (gre)
    {
        s->greKey[0] = leaving.dport;
        s->greKey[1] = greReplyKey;
        s->greKeySet = true;
    }
    m_timers.Apply(*s, v.tuple.proto, leaving.dport, nullptr, m_icmpTimeout);
    // The helper's own timeouts for its children (PPTP's GRE: 600 s / 5 h, as Linux).
    m_timers.SetChildTimeouts(*s, e.childTtl, e.childUnrepliedTtl);
    NS_LOG_INFO("session " << s->serial << " created by pinhole of " << e.helper << " (parent "
                           << e.parentSerial << "): " << v.tuple.ToString());
    m_sessionCreatedTrace(*s);
    ScheduleTick();
    Established(s, SessionDir::ORIGINAL, p, h, v, idev, ucb, CpuModel::SESSION_SETUP, rr.route);
    return true;
}

Ptr<SessionHelper>
FortiGateNode::GetSessionHelper(const std::string& name)
{
    return m_helperHost.Get(name);
}

bool
FortiGateNode::SendHelperReply(const FlowTuple& arrived,
                               const std::string& payload,
                               Ptr<const NetDevice> idev,
                               const Ipv4RoutingProtocol::UnicastForwardCallback& ucb)
{
    if (arrived.proto != IPPROTO_NUM_UDP)
    {
        return false; // a TCP stream cannot take bytes the peer did not send
    }
    Ipv4Header h;
    Ptr<Packet> p = HelperHost::MakeUdpReply(arrived, payload, h);
    RouteResult rr = LookupRoute(h, idev);
    if (!rr.route)
    {
        return false;
    }
    NS_LOG_INFO("helper reply " << Ipv4ToString(arrived.dst) << ":" << arrived.dport << " -> "
                                << Ipv4ToString(arrived.src) << ":" << arrived.sport << " ("
                                << payload.size() << " bytes)");
    Forward(ucb, rr.route, p, h, m_cpu->GetCost(CpuModel::PROXY));
    return true;
}

bool
FortiGateNode::HandleIcmpError(Ptr<const Packet> p,
                               const Ipv4Header& h,
                               const PacketView& v,
                               Ptr<const NetDevice> idev,
                               const Ipv4RoutingProtocol::UnicastForwardCallback& ucb)
{
    // The embedded packet left the FortiGate translated; the error travels back towards its
    // sender, so the embedded tuple reversed is what a packet of the other direction carries.
    SessionDir dir;
    Session* s = m_sessions->Find(v.inner.Reversed(), &dir);
    if (!s)
    {
        Drop(p, h, DROP_ICMP_ERROR);
        return true;
    }
    // dir = direction of the error; the embedded packet belonged to the other direction.
    SessionDir innerDir = dir == SessionDir::ORIGINAL ? SessionDir::REPLY : SessionDir::ORIGINAL;
    FlowTuple innerOrig = s->Tuple(innerDir); // as its sender sent it, before translation
    uint32_t outerSrc = v.tuple.src;
    if (outerSrc == v.inner.dst)
    {
        outerSrc = innerOrig.dst; // the peer itself reports: show its pre-translation address
    }
    Ipv4Header out = h;
    Ptr<const Packet> q =
        TranslateIcmpError(p, out, v, innerOrig, outerSrc, innerOrig.src, Node::ChecksumEnabled());
    if (!q)
    {
        Drop(p, h, DROP_MALFORMED);
        return true;
    }
    RouteResult rr = LookupRoute(out, idev);
    if (!rr.route)
    {
        Drop(p, h, DROP_NO_ROUTE);
        return true;
    }
    s->counters[static_cast<int>(dir)].bytes += v.ipTotalLength;
    s->counters[static_cast<int>(dir)].packets += 1;
    Forward(ucb, rr.route, q, out, m_cpu->GetCost(CpuModel::FAST_PATH));
    return true;
}

void
FortiGateNode::Forward(const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                       Ptr<Ipv4Route> route,
                       Ptr<const Packet> p,
                       const Ipv4Header& h,
                       Time cost)
{
    ++m_forwarded;
    if (cost.IsZero() && m_cpu->GetPending() == 0)
    {
        ucb(route, p, h); // idealised unit: no processing delay, nothing queued before it
        return;
    }
    Ipv4RoutingProtocol::UnicastForwardCallback cb = ucb;
    bool ok = m_cpu->Submit(cost, [cb, route, p, h]() { cb(route, p, h); });
    if (!ok)
    {
        --m_forwarded;
        Drop(p, h, DROP_CPU_BACKLOG);
    }
}

// ---- diagnostics ---------------------------------------------------------------------------

std::string
FortiGateNode::Diagnose(const std::string& command)
{
    return m_console.Diagnose(command);
}

std::string
FortiGateNode::ReadDebugConsole()
{
    return m_console.ReadDebugConsole();
}

// ---- troubleshooting: flow trace and logs (issue 13; doc/troubleshooting.md) ---------------

void
FortiGateNode::SetTrafficLogFile(std::string path)
{
    if (!m_log.SetFile(path))
    {
        NS_FATAL_ERROR("TrafficLogFile: cannot open '" << path << "' for writing");
    }
    m_logFile = path;
}

std::string
FortiGateNode::GetTrafficLogFile() const
{
    return m_logFile;
}

void
FortiGateNode::SetFortiOsVersion(uint32_t major)
{
    m_console.SetFortiOs6(major == 6);
}

uint32_t
FortiGateNode::GetFortiOsVersion() const
{
    return m_console.IsFortiOs6() ? 6 : 7;
}

void
FortiGateNode::LogVoip(const VoipLogEntry& e)
{
    m_log.Voip(e);
}

// ---- expiry ----------------------------------------------------------------------------------

void
FortiGateNode::OnSessionClosed(Session& s, SessionCloseReason why)
{
    if (!m_held.empty())
    {
        for (int d = 0; d < 2; ++d)
        {
            auto it = m_held.find({s.serial, d});
            if (it != m_held.end())
            {
                it->second.timer.Cancel(); // the session ends: its held bytes go with it
                m_held.erase(it);
            }
        }
    }
    if (s.natPool > 0 && s.natPool <= m_poolNames.size())
    {
        m_nat.Release(s.org.tuple.proto,
                      s.org.tuple.src,
                      s.reply.tuple.dst,
                      s.reply.tuple.dport,
                      m_poolNames[s.natPool - 1]);
    }
    if (m_expectations.Size() > 0 || m_expectations.ReservationCount() > 0)
    {
        m_expectations.RemoveByParent(s.serial); // its pinholes and NAT reservations
    }
    if (m_helperHost.Has(s.helperId))
    {
        m_helperHost.At(s.helperId)->OnSessionClosed(s);
        if (m_helperHost.At(s.helperId)->ChildrenFollowParent())
        {
            const uint32_t serial = s.serial;
            m_sessions->Clear(
                [serial](const Session& x) {
                    const SessionExtension* e = x.ExtOrNull();
                    return e && e->parentSerial == serial;
                },
                SessionCloseReason::PARENT);
        }
    }
    if (s.flags & SES_LOG)
    {
        m_logger.LogClose(s, why);
    }
    NS_LOG_INFO("session " << s.serial << " closed: " << SessionCloseReasonName(why));
    m_sessionClosedTrace(s, SessionCloseReasonName(why));
}

void
FortiGateNode::ScheduleTick()
{
    if (m_tick.IsRunning() || (m_sessions->Size() == 0 && m_expectations.Size() == 0))
    {
        return;
    }
    // Tick on whole simulated seconds: FortiOS timers are whole seconds.
    int64_t now = Simulator::Now().GetNanoSeconds();
    int64_t next = (now / kNsPerSecond + 1) * kNsPerSecond;
    m_tick = Simulator::Schedule(NanoSeconds(next - now), &FortiGateNode::Tick, this);
}

void
FortiGateNode::Tick()
{
    int64_t now = Simulator::Now().GetNanoSeconds();
    m_sessions->Advance(now);
    m_expectations.Expire(now);
    m_fragments.Expire(now);
    // Helper timers that need no traffic (a proxy's dialog expiry and idle eviction): a
    // helper reaches a session by serial and removes that session's pinholes and reservations.
    HousekeepContext hk(m_sessionHelperHost, now);
    for (const Ptr<SessionHelper>& helper : m_helperHost.All())
    {
        helper->Housekeep(hk);
    }
    ScheduleTick();
}

// ---- FortiOS CLI -------------------------------------------------------------------------------

FortiOsCli::Result
FortiGateNode::Execute(const std::string& text)
{
    return m_console.Execute(text);
}

} // namespace ns3
