/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_NODE_H
#define FORTIGATE_NODE_H

#include "cpu-model.h"
#include "datapath-helper-host.h"
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
#include "session-logger.h"
#include "session-table.h"
#include "session-timers.h"
#include "traffic-log.h"
#include "unit-console.h"
#include "virtual-ip.h"

#include "ns3/application.h"
#include "ns3/fortigate-config.h"
#include "ns3/fortios-cli.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/net-device.h"
#include "ns3/random-variable-stream.h"
#include "ns3/session-diagnose.h"
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
 * RouteInput(); the node looks the session up, or creates one through VIP, routing, policy and
 * SNAT, translates the packet and forwards it after the CPU model's processing delay.
 *
 * Configuration changes go through SetConfig() / Configure(), which validate first and change
 * nothing on error; sessions created by accept policies are then marked dirty and re-evaluated
 * on their next packet, as FortiOS does.
 */
class FortiGateNode : public Application, public PreRoutingHook
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    FortiGateNode();
    ~FortiGateNode() override;

    /// Why a packet was dropped (the Drop trace and `diagnose sys session stat` report these).
    enum DropReason
    {
        DROP_POLICY_DENY,     //!< matched a deny policy or no policy (policy 0)
        DROP_NO_SESSION,      //!< TCP packet other than SYN without a session
        DROP_SESSION_LIMIT,   //!< session table full
        DROP_NAT_EXHAUSTED,   //!< no free translated address/port
        DROP_NO_ROUTE,        //!< no route to the destination
        DROP_BLOCKED_SESSION, //!< session blocked after a policy change
        DROP_MALFORMED,       //!< truncated or unparsable transport header
        DROP_FRAGMENT,        //!< later fragment without a known first fragment
        DROP_ICMP_ERROR,      //!< ICMP error that matches no session
        DROP_CPU_BACKLOG,     //!< CPU backlog full
        DROP_HELPER,          //!< dropped by a session helper
        DROP_REASON_COUNT
    };

    /// \return FortiOS-like lower-case name of a drop reason
    static const char* DropReasonName(DropReason r);

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

    /**
     * \return this unit's instance of the session helper FortiOS calls \p name (created on
     * first use), or nullptr when no helper of that name is registered. Helper families offer
     * typed accessors in their own folders.
     */
    Ptr<SessionHelper> GetSessionHelper(const std::string& name);

    /// \return the NAT allocator (IP pools)
    NatAllocator& GetNatAllocator()
    {
        return m_nat;
    }

    /// \return packets dropped for \p r
    uint64_t GetDropCount(DropReason r) const
    {
        return m_drops[r];
    }

    /// \return packets forwarded (after translation)
    uint64_t GetForwardedCount() const
    {
        return m_forwarded;
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

    /// Write a VoIP log line (the SIP ALG's call, registration and block events).
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

    /// Result of the inner route lookup.
    using RouteResult = FortiGateRouting::Route;

    RouteResult LookupRoute(const Ipv4Header& h, Ptr<const NetDevice> idev) const;
    void ParseView(Ptr<const Packet> p, const Ipv4Header& h, PacketView& v) const;
    void Drop(Ptr<const Packet> p, const Ipv4Header& h, DropReason r);
    bool NewSession(Ptr<const Packet> p,
                    const Ipv4Header& h,
                    const PacketView& v,
                    int inIf,
                    Ptr<const NetDevice> idev,
                    const Ipv4RoutingProtocol::UnicastForwardCallback& ucb);
    void Established(Session* s,
                     SessionDir dir,
                     Ptr<const Packet> p,
                     const Ipv4Header& h,
                     const PacketView& v,
                     Ptr<const NetDevice> idev,
                     const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                     CpuModel::Work work,
                     Ptr<Ipv4Route> knownRoute);
    bool RunHelper(Session* s,
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
                   Ipv4Header& out);
    void TakeHeld(Session* s,
                  int d,
                  const PacketView& v,
                  std::vector<uint8_t>& prefix,
                  uint32_t& startSeq);
    void ReleaseHeld(uint32_t serial, int d);
    void RouteAndForward(Session* s,
                         int d,
                         Ptr<const Packet> p,
                         const Ipv4Header& h,
                         Ptr<const Packet> q,
                         const Ipv4Header& out,
                         Ptr<const NetDevice> idev,
                         const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                         Time cost,
                         Ptr<Ipv4Route> knownRoute);
    bool HandleIcmpError(Ptr<const Packet> p,
                         const Ipv4Header& h,
                         const PacketView& v,
                         Ptr<const NetDevice> idev,
                         const Ipv4RoutingProtocol::UnicastForwardCallback& ucb);
    /// The policy query of a flow: \p target is its tuple after DNAT (source as it arrived);
    /// the ICMP type and code count for ICMP only.
    PolicyQuery MakePolicyQuery(uint8_t inIf,
                                uint8_t outIf,
                                const FlowTuple& target,
                                uint8_t icmpType,
                                uint8_t icmpCode) const;
    bool Reevaluate(Session* s);
    void OnSessionClosed(Session& s, SessionCloseReason why);
    void ScheduleTick();
    void Tick();
    void Forward(const Ipv4RoutingProtocol::UnicastForwardCallback& ucb,
                 Ptr<Ipv4Route> route,
                 Ptr<const Packet> p,
                 const Ipv4Header& h,
                 Time cost);
    void Rebuild();
    uint32_t InterfaceAddress(int ifIndex) const;
    uint16_t InternPool(const std::string& name);
    void DenyByPolicy(Ptr<const Packet> p, const Ipv4Header& h, uint32_t policyId);
    bool LocalInAllowed(Ptr<const Packet> p, const Ipv4Header& h, const PacketView& v, int inIf);
    /// Send a session helper's answer back to the sender of \p arrived (UDP only).
    bool SendHelperReply(const FlowTuple& arrived,
                         const std::string& payload,
                         Ptr<const NetDevice> idev,
                         const Ipv4RoutingProtocol::UnicastForwardCallback& ucb);
    bool CreateChild(const Expectation& e,
                     Ptr<const Packet> p,
                     const Ipv4Header& h,
                     const PacketView& v,
                     int inIf,
                     Ptr<const NetDevice> idev,
                     const Ipv4RoutingProtocol::UnicastForwardCallback& ucb);

    FortiGateConfig m_config;                  //!< running configuration
    std::unique_ptr<SessionTable> m_sessions;  //!< session table
    PolicyMatcher m_policies;                  //!< compiled policy list
    VipTable m_vips;                           //!< compiled VIPs
    NatAllocator m_nat;                        //!< SNAT address/port allocation
    Ptr<CpuModel> m_cpu;                       //!< processing-time model
    Ptr<FortiGateRouting> m_routing;           //!< the routing shim
    InterfaceSync m_ifs;                       //!< ports, addresses, proxy-ARP, static routes
    Ptr<UniformRandomVariable> m_rng;          //!< NAT port choice
    uint32_t m_maxSessions;                    //!< attribute
    bool m_dropTcpWithoutSyn;                  //!< attribute
    uint32_t m_icmpTimeout;                    //!< attribute (s)
    EventId m_tick;                            //!< 1 s expiry tick
    uint64_t m_drops[DROP_REASON_COUNT]{};     //!< per-reason drop counters
    uint64_t m_forwarded{0};                   //!< forwarded packets
    FragmentTable m_fragments;                 //!< later fragments follow their session
    std::vector<std::string> m_poolNames;      //!< interned IP pool names (Session::natPool)
    ExpectationTable m_expectations;           //!< pinholes opened by session helpers
    std::vector<uint32_t> m_closeAfterForward; //!< sessions a helper asked to close

    /// A TCP segment a session helper held back (HelperContext::hold), with the bytes before it.
    struct HeldSegment
    {
        Session* session{nullptr};                       //!< its session (removed on close)
        Ptr<const Packet> packet;                        //!< the last segment, as it arrived
        Ipv4Header header;                               //!< its IPv4 header
        PacketView view;                                 //!< its view
        std::vector<uint8_t> prefix;                     //!< held bytes before its payload
        uint32_t seq{0};                                 //!< sequence number of the first
        uint32_t length{0};                              //!< prefix + its payload
        Ptr<const NetDevice> idev;                       //!< where it arrived
        Ipv4RoutingProtocol::UnicastForwardCallback ucb; //!< how to forward it
        EventId timer;                                   //!< HelperHoldTime expiry
    };

    std::map<std::pair<uint32_t, int>, HeldSegment> m_held; //!< by (session serial, direction)
    Time m_helperHoldTime;                                  //!< attribute

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
    DatapathHelperHost m_sessionHelperHost; //!< what helpers ask of the unit (after m_ports)
    UnitConsole m_console; //!< CLI, `diagnose`, `execute` (after the state it reads)

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
