/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_NODE_H
#define FORTIGATE_NODE_H

#include "cpu-model.h"
#include "expectation-table.h"
#include "flow-trace.h"
#include "fortigate-routing.h"
#include "fragment-table.h"
#include "helper-host.h"
#include "interface-sync.h"
#include "nat-allocator.h"
#include "packet-view.h"
#include "pinhole-ports.h"
#include "policy-matcher.h"
#include "route-cache.h"
#include "session-logger.h"
#include "session-table.h"
#include "session-timers.h"
#include "traffic-log.h"
#include "unit-console.h"
#include "virtual-ip.h"

#include "ns3/application.h"
#include "ns3/cpu-admission-stage.h"
#include "ns3/datapath-drops.h"
#include "ns3/datapath-parts.h"
#include "ns3/dnat-stage.h"
#include "ns3/fortigate-config.h"
#include "ns3/fortios-cli.h"
#include "ns3/forward-stage.h"
#include "ns3/held-segments.h"
#include "ns3/helper-binding-stage.h"
#include "ns3/helper-stage.h"
#include "ns3/icmp-error-stage.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/net-device.h"
#include "ns3/packet-context.h"
#include "ns3/parse-stage.h"
#include "ns3/pinhole-stage.h"
#include "ns3/policy-stage.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rewrite-stage.h"
#include "ns3/route-stage.h"
#include "ns3/session-diagnose.h"
#include "ns3/session-janitor.h"
#include "ns3/session-lookup-stage.h"
#include "ns3/session-setup-stage.h"
#include "ns3/session-update-stage.h"
#include "ns3/snat-stage.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

struct HelperContext;
class SessionHelper;

/**
 * \ingroup fortigate
 * A FortiGate: the application that owns the configuration, the session table and the
 * datapath of one ns-3 node (architecture §2-3).
 *
 * FortiGateRouting (the node's Ipv4 routing protocol) hands every received packet to
 * PreRouting(), which runs it through the datapath stages in FortiOS's order (architecture §3):
 * parse, session lookup, pinhole/child session, DNAT, route, policy, CPU admission, SNAT
 * decision, session creation and helper binding, then per packet session update, helper
 * running or rewrite, route (the session's cached route) and forward through the CPU model.
 * One PacketContext carries the packet through them; each stage is its own class.
 *
 * Configuration changes go through SetConfig() / Configure(), which validate first and change
 * nothing on error; sessions created by accept policies are then marked dirty and re-evaluated
 * on their next packet, as FortiOS does.
 */
class FortiGateNode : public Application, public PreRoutingHook, public DropReasons
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    FortiGateNode();
    ~FortiGateNode() override;

    /// Session-created / session-closed trace signature.
    typedef void (*SessionTracedCallback)(const Session& s);
    /// Session-closed trace signature (with the reason name).
    typedef void (*SessionClosedTracedCallback)(const Session& s, const std::string& reason);
    /// Drop trace signature.
    typedef void (*DropTracedCallback)(Ptr<const Packet> p,
                                       const Ipv4Header& h,
                                       const std::string& reason);
    /// Policy-denied trace signature (policy 0 = implicit deny).
    typedef void (*PolicyDeniedTracedCallback)(Ptr<const Packet> p,
                                               const Ipv4Header& h,
                                               uint32_t policyId);
    /// Flow-trace signature: one `diagnose debug flow` record.
    typedef void (*FlowTraceTracedCallback)(const FlowTraceRecord& record);
    /// Log signature: one traffic or VoIP log line (FortiOS text, no newline).
    typedef void (*LogTracedCallback)(const std::string& line);

    // ---- configuration --------------------------------------------------------------------

    /// \return the running configuration (read only; change it with SetConfig/Configure)
    const FortiGateConfig& GetConfig() const
    {
        return m_config;
    }

    /**
     * Replace the running configuration. Validates \p config first: on error throws ConfigError
     * and changes nothing. Marks `may_dirty` sessions dirty.
     */
    void SetConfig(const FortiGateConfig& config);

    /**
     * Change the configuration in one atomic step: \p edit runs on a copy, which replaces the
     * running one only when \p edit and validation succeed (else ConfigError propagates and
     * nothing changed).
     */
    template <class F>
    void Configure(F edit)
    {
        FortiGateConfig copy = m_config;
        edit(copy);
        SetConfig(copy);
    }

    /**
     * Map a FortiGate interface name (`port1`, `wan1`, ...) to an ns-3 NetDevice of this node.
     * Adds the interface to the configuration with the device's IPv4 address when it is not
     * there yet. Throws ConfigError for a duplicate name or a device without IPv4.
     */
    void AddInterface(const std::string& name, Ptr<NetDevice> device);

    /// \return the interface index (position in the configuration) of an ns-3 device, or -1
    int GetInterfaceIndex(Ptr<const NetDevice> device) const;

    /// \return the device mapped to a configuration interface index, or nullptr
    Ptr<NetDevice> GetInterfaceDevice(int ifIndex) const;

    // ---- state and diagnostics -------------------------------------------------------------

    /// \return the session table
    SessionTable& GetSessionTable()
    {
        return *m_sessions;
    }

    /// Replace the CPU model (FortiGateHelper does this with its attributes; nullptr: keep).
    void SetCpuModel(Ptr<CpuModel> cpu)
    {
        if (cpu)
        {
            m_cpu = cpu;
        }
    }

    /// \return the CPU model
    Ptr<CpuModel> GetCpuModel() const
    {
        return m_cpu;
    }

    /// \return the pinholes (expectations) session helpers opened
    ExpectationTable& GetExpectations()
    {
        return m_expectations;
    }

    /// \return how many TCP segments session helpers hold back now (HelperHoldTime), one per
    ///         session direction at most
    size_t GetHeldSegmentCount() const;

    /**
     * \return this unit's instance of the session helper FortiOS calls \p name (created on
     * first use), or nullptr when no helper of that name is registered. Helper families offer
     * typed accessors in their own folders.
     */
    Ptr<SessionHelper> GetSessionHelper(const std::string& name);

    /// \return the number of registered session helpers (attribute SessionHelpers)
    std::size_t GetSessionHelperCount() const;

    /// \return the unit's instance of the \p i th registered helper in name order (created on
    ///         first use; attribute SessionHelpers), or nullptr
    Ptr<SessionHelper> GetSessionHelperAt(std::size_t i) const;

    /// \return the NAT allocator (IP pools)
    NatAllocator& GetNatAllocator()
    {
        return m_nat;
    }

    /// \return packets dropped for \p r
    uint64_t GetDropCount(DropReason r) const
    {
        return m_drops.Count(r);
    }

    /// \return packets forwarded (after translation)
    uint64_t GetForwardedCount() const
    {
        return m_forward.GetForwardedCount();
    }

    /**
     * Run a FortiOS diagnose/get command and return its output: `diagnose sys session list`,
     * `diagnose sys session filter ...`, `diagnose sys session clear`, `diagnose sys session
     * stat`, `get system session list`, `get system session status`. Unknown commands return
     * FortiOS's `Unknown action 0` / `command parse error` text.
     */
    std::string Diagnose(const std::string& command);

    /**
     * The unit's debug console: the `diagnose debug flow` lines written while
     * `diagnose debug enable` was on, since the last call (each line ends in '\n').
     * \return the text, which is then cleared
     */
    std::string ReadDebugConsole();

    /// \return the unit's traffic and VoIP log (its lines, `execute log` state)
    const TrafficLog& GetTrafficLog() const
    {
        return m_log;
    }

    /// Write a VoIP log line (a VoIP helper's call, registration and block events).
    void LogVoip(const VoipLogEntry& e);

    /**
     * Assign fixed random variable stream numbers.
     * \param stream first stream index
     * \return number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    // ---- datapath (called by FortiGateRouting) ---------------------------------------------

    /**
     * The PRE-ROUTING hook: process a received packet. Arguments as
     * Ipv4RoutingProtocol::RouteInput (the unit only forwards: it needs the unicast callback).
     * \return true when the packet was consumed (forwarded or dropped), false to let the inner
     * routing handle it as usual (local delivery, multicast, broadcast).
     */
    bool PreRouting(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    const Ipv4RoutingProtocol::UnicastForwardCallback& ucb) override;

    /// Attach the routing shim (FortiGateHelper does this).
    void SetRouting(Ptr<FortiGateRouting> routing);

  protected:
    void DoDispose() override;
    void DoInitialize() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// The stages of a packet that starts a session. \return as PreRouting
    bool NewSession(PacketContext& c);
    /// The stages of every packet of session c.s.
    void Established(PacketContext& c);
    void Rebuild();

    FortiGateConfig m_config;                 //!< running configuration
    std::unique_ptr<SessionTable> m_sessions; //!< session table
    RouteCache m_routeCache;                  //!< per-session routes (after m_sessions)
    PolicyMatcher m_policies;                 //!< compiled policy list
    VipTable m_vips;                          //!< compiled VIPs
    NatAllocator m_nat;                       //!< SNAT address/port allocation
    Ptr<CpuModel> m_cpu;                      //!< processing-time model
    Ptr<FortiGateRouting> m_routing;          //!< the routing shim
    InterfaceSync m_ifs;                      //!< ports, addresses, proxy-ARP, static routes
    Ptr<UniformRandomVariable> m_rng;         //!< NAT port choice
    uint32_t m_maxSessions;                   //!< attribute
    bool m_dropTcpWithoutSyn;                 //!< attribute
    uint32_t m_icmpTimeout;                   //!< attribute (s)
    FragmentTable m_fragments;                //!< later fragments follow their session
    ExpectationTable m_expectations;          //!< pinholes opened by session helpers

    Time m_helperHoldTime; //!< attribute

    TracedCallback<const Session&> m_sessionCreatedTrace;
    TracedCallback<const Session&, const std::string&> m_sessionClosedTrace;
    TracedCallback<Ptr<const Packet>, const Ipv4Header&, const std::string&> m_dropTrace;
    TracedCallback<Ptr<const Packet>, const Ipv4Header&, uint32_t> m_policyDeniedTrace;

    // ---- troubleshooting: flow trace and logs (doc/troubleshooting.md) ----------------------
    /// TrafficLogFile attribute setter (opens the file; fatal when it cannot be written).
    void SetTrafficLogFile(std::string path);
    /// TrafficLogFile attribute getter.
    std::string GetTrafficLogFile() const;
    /// FortiOsVersion attribute setter (6 or 7).
    void SetFortiOsVersion(uint32_t major);
    /// FortiOsVersion attribute getter.
    uint32_t GetFortiOsVersion() const;
    FlowTrace m_flow;              //!< `diagnose debug flow` filter, count and records
    TrafficLog m_log;              //!< traffic and VoIP logs
    std::string m_logFile;         //!< attribute TrafficLogFile
    bool m_logImplicitDeny{false}; //!< attribute LogImplicitDeny
    TracedCallback<const FlowTraceRecord&> m_flowTraceTrace;
    TracedCallback<const std::string&> m_logTrace;
    SessionTimers m_timers;  //!< session timers (after m_config)
    SessionLogger m_logger;  //!< traffic/VoIP log lines of sessions (after m_log, m_sessions)
    HelperHost m_helperHost; //!< session helper instances and binding (after m_logger)
    PinholePorts m_ports;    //!< public ports for helpers (after the tables it reads)
    UnitConsole m_console;   //!< CLI, `diagnose`, `execute` (after the state it reads)

    // ---- the datapath stages (after everything they share) ---------------------------------
    DropCounter m_drops;           //!< drop counters and traces
    DatapathParts m_dp;            //!< what the stages share
    ParseStage m_parse;            //!< parse
    SessionLookupStage m_lookup;   //!< session lookup
    IcmpErrorStage m_icmpErrors;   //!< ICMP errors
    PinholeStage m_pinholes;       //!< pinhole / child session
    DnatStage m_dnat;              //!< DNAT (VIP) and local-in
    PolicyStage m_policy;          //!< policy
    RouteStage m_route;            //!< route (with the session's cache)
    CpuAdmissionStage m_admission; //!< CPU admission
    SnatStage m_snat;              //!< SNAT decision
    SessionSetupStage m_setup;     //!< session creation
    HelperBindingStage m_binding;  //!< helper binding
    SessionUpdateStage m_update;   //!< session update (state, counters, timers)
    RewriteStage m_rewrite;        //!< rewrite
    ForwardStage m_forward;        //!< forward through the CPU model
    HeldSegments m_held;           //!< TCP hold/release
    HelperStage m_helpers;         //!< helper running
    SessionJanitor m_janitor;      //!< expiry tick and session close clean-up

  public:
    // ---- FortiOS CLI --------------------------------------------------------------------------

    /**
     * Run FortiOS CLI text on this unit, as typed on its console: `config ... end` blocks,
     * `show`, `get`, and the diagnose commands of Diagnose() (`diagnose sys session filter ...`
     * keeps its state in this unit). The configuration part runs on a copy of the running
     * configuration, which replaces it (SetConfig) only when every line and the final
     * validation succeed; otherwise the running configuration is unchanged and the result
     * holds the FortiOS-style error with its line number. Diagnose commands run when they are
     * reached (their effect, e.g. `diagnose sys session clear`, is not undone by a later error).
     * \param text CLI commands, one per line
     * \return output (show/get/diagnose text) and, on failure, the error
     */
    FortiOsCli::Result Execute(const std::string& text);
};

} // namespace ns3

#endif // FORTIGATE_NODE_H
