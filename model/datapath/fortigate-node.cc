/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fortigate-node.h"

#include "fortigate-routing.h"

#include "ns3/boolean.h"
#include "ns3/config-error.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/object-map.h"
#include "ns3/pointer.h"
#include "ns3/session-helper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateNode");
NS_OBJECT_ENSURE_REGISTERED(FortiGateNode);

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
            .AddAttribute("SessionHelpers",
                          "The unit's session helpers, one per registered FortiOS name in name "
                          "order (created on first use), so their attributes are reachable, e.g. "
                          "/NodeList/*/ApplicationList/*/$ns3::FortiGateNode/SessionHelpers/*/"
                          "$ns3::FtpSessionHelper/PinholeTimeout.",
                          ObjectMapValue(),
                          MakeObjectMapAccessor(&FortiGateNode::GetSessionHelperCount,
                                                &FortiGateNode::GetSessionHelperAt),
                          MakeObjectMapChecker<SessionHelper>())
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

FortiGateNode::FortiGateNode()
    : m_sessions(std::make_unique<SessionTable>()),
      m_routeCache(*m_sessions),
      m_cpu(CreateObject<CpuModel>()),
      m_rng(CreateObject<UniformRandomVariable>()),
      m_maxSessions(0),
      m_dropTcpWithoutSyn(true),
      m_icmpTimeout(60),
      m_timers(m_config),
      m_logger(m_config, *m_sessions, m_log),
      m_helperHost(m_config, m_logger),
      m_ports(*m_sessions, m_expectations, m_rng),
      m_console(*this, m_ifs, m_flow, m_log, m_helperHost.All()),
      m_drops(m_flow, m_dropTrace, m_policyDeniedTrace),
      m_dp{m_config,
           *m_sessions,
           m_expectations,
           m_fragments,
           m_policies,
           m_vips,
           m_nat,
           m_rng,
           m_cpu,
           m_routing,
           m_routeCache,
           m_ifs,
           m_timers,
           m_logger,
           m_helperHost,
           m_flow,
           m_drops,
           m_sessionCreatedTrace,
           m_dropTcpWithoutSyn,
           m_icmpTimeout,
           m_logImplicitDeny},
      m_parse(m_dp),
      m_lookup(m_dp),
      m_icmpErrors(m_dp),
      m_pinholes(m_dp),
      m_dnat(m_dp),
      m_policy(m_dp),
      m_route(m_dp, m_policy),
      m_admission(m_dp),
      m_snat(m_dp),
      m_setup(m_dp, m_snat),
      m_binding(m_dp),
      m_update(m_dp, m_policy),
      m_forward(m_dp),
      m_held(m_dp),
      m_helpers(m_dp, m_ports, m_forward, m_held, m_helperHoldTime),
      m_janitor(m_dp, m_snat, m_held, m_helpers, m_sessionClosedTrace)
{
    m_dp.janitor = &m_janitor;
    m_held.SetStages(&m_helpers, &m_route, &m_forward);
    m_sessions->SetCloseCallback(
        [this](Session& s, SessionCloseReason why) { m_janitor.OnSessionClosed(s, why); });
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
    m_janitor.Cancel();
    m_held.Clear();
    m_sessions->SetCloseCallback(nullptr);
    if (m_routing)
    {
        m_routing->SetPreRoutingHook(nullptr);
    }
    m_routing = nullptr;
    m_routeCache.Clear();
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
    m_routeCache.SetRouting(routing);
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

// ---- datapath: the order of the stages (architecture §3) -----------------------------------

bool
FortiGateNode::PreRouting(Ptr<const Packet> p,
                          const Ipv4Header& header,
                          Ptr<const NetDevice> idev,
                          const Ipv4RoutingProtocol::UnicastForwardCallback& ucb)
{
    PacketContext c(p, header, idev, ucb);
    StageResult r = m_parse.Run(c);
    if (r != StageResult::NEXT)
    {
        return r == StageResult::DONE;
    }
    FlowTrace::Scope traced(m_flow, c.v, m_logger.IfName(c.inIf)); // flow trace (issue 13)
    m_janitor.AdvanceIfDue();
    if (c.v.IsLaterFragment())
    {
        if (!m_lookup.FindFragment(c))
        {
            m_drops.Drop(p, header, DROP_FRAGMENT);
            return true;
        }
        Established(c);
        return true;
    }
    if (!c.v.l4Valid)
    {
        m_drops.Drop(p, header, DROP_MALFORMED);
        return true;
    }
    if (c.v.icmpError)
    {
        if (m_icmpErrors.Run(c) == StageResult::NEXT)
        {
            m_forward.Run(c);
        }
        return true;
    }
    if (m_lookup.Find(c))
    {
        Established(c);
        return true;
    }
    if (m_pinholes.Matches(c))
    {
        // Admission first: a refused packet leaves the pinhole for a later one.
        if (m_admission.Run(c) == StageResult::NEXT && m_pinholes.Run(c) == StageResult::NEXT)
        {
            Established(c);
        }
        return true;
    }
    return NewSession(c);
}

bool
FortiGateNode::NewSession(PacketContext& c)
{
    StageResult r = m_dnat.Run(c);
    if (r != StageResult::NEXT)
    {
        return r == StageResult::DONE;
    }
    m_flow.AllocateNewSession(m_sessions->GetNextSerial()); // flow trace
    r = m_route.ForNewSession(c);
    if (r != StageResult::NEXT)
    {
        return r == StageResult::DONE;
    }
    if (m_policy.Run(c) == StageResult::NEXT && m_admission.Run(c) == StageResult::NEXT &&
        m_snat.Run(c) == StageResult::NEXT && m_setup.Insert(c) == StageResult::NEXT)
    {
        m_binding.Run(c);
        m_setup.Announce(c);
        Established(c);
    }
    return true;
}

void
FortiGateNode::Established(PacketContext& c)
{
    if (m_update.Run(c) != StageResult::NEXT)
    {
        return;
    }
    if (c.s->helperId != 0 && !c.v.IsLaterFragment())
    {
        if (m_helpers.Run(c) != StageResult::NEXT)
        {
            return; // dropped or held
        }
    }
    else
    {
        m_rewrite.Run(c);
    }
    if (m_route.ForSession(c) == StageResult::NEXT)
    {
        m_forward.Run(c);
    }
}

Ptr<SessionHelper>
FortiGateNode::GetSessionHelper(const std::string& name)
{
    return m_helperHost.Get(name);
}

size_t
FortiGateNode::GetHeldSegmentCount() const
{
    return m_held.Size();
}

std::size_t
FortiGateNode::GetSessionHelperCount() const
{
    return SessionHelperRegistry::Names().size();
}

Ptr<SessionHelper>
FortiGateNode::GetSessionHelperAt(std::size_t i) const
{
    // Reading the attribute creates the unit's instance of each helper it reaches, as a
    // session bound to it would (the unit's configuration and behaviour do not change).
    const std::vector<std::string> names = SessionHelperRegistry::Names();
    return i < names.size() ? const_cast<HelperHost&>(m_helperHost).Get(names[i]) : nullptr;
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

// ---- FortiOS CLI -------------------------------------------------------------------------------

FortiOsCli::Result
FortiGateNode::Execute(const std::string& text)
{
    return m_console.Execute(text);
}

} // namespace ns3
