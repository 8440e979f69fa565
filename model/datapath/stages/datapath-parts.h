/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_DATAPATH_PARTS_H
#define FORTIGATE_DATAPATH_PARTS_H

#include "datapath-drops.h"

#include "ns3/cpu-model.h"
#include "ns3/expectation-table.h"
#include "ns3/flow-trace.h"
#include "ns3/fortigate-config.h"
#include "ns3/fortigate-routing.h"
#include "ns3/fragment-table.h"
#include "ns3/helper-host.h"
#include "ns3/interface-sync.h"
#include "ns3/nat-allocator.h"
#include "ns3/policy-matcher.h"
#include "ns3/random-variable-stream.h"
#include "ns3/route-cache.h"
#include "ns3/session-logger.h"
#include "ns3/session-table.h"
#include "ns3/session-timers.h"
#include "ns3/traced-callback.h"
#include "ns3/virtual-ip.h"

namespace ns3
{

class SessionJanitor;

/**
 * \ingroup fortigate
 * What the datapath stages share: the unit's tables and services, owned by FortiGateNode and
 * handed to each stage once (instead of a dozen parameters per call). References stay valid for
 * the unit's life: objects that a configuration replaces (policies, VIPs) are assigned in place.
 */
struct DatapathParts
{
    const FortiGateConfig& config;                  //!< running configuration
    SessionTable& sessions;                         //!< session table
    ExpectationTable& expectations;                 //!< pinholes and NAT reservations
    FragmentTable& fragments;                       //!< later fragments follow their session
    const PolicyMatcher& policies;                  //!< compiled policies
    const VipTable& vips;                           //!< compiled VIPs
    NatAllocator& nat;                              //!< SNAT address/port allocation
    const Ptr<UniformRandomVariable>& rng;          //!< NAT port choice
    const Ptr<CpuModel>& cpu;                       //!< processing-time model
    const Ptr<FortiGateRouting>& routing;           //!< the routing shim
    RouteCache& routeCache;                         //!< per-session routes
    InterfaceSync& ifs;                             //!< ports and the node's IPv4
    SessionTimers& timers;                          //!< session timers
    SessionLogger& logger;                          //!< traffic log lines of sessions
    HelperHost& helperHost;                         //!< session helper instances
    FlowTrace& flow;                                //!< `diagnose debug flow`
    DropCounter& drops;                             //!< drop counters and traces
    TracedCallback<const Session&>& sessionCreated; //!< SessionCreated trace source
    const bool& dropTcpWithoutSyn;                  //!< attribute DropTcpWithoutSyn
    const uint32_t& icmpTimeout;                    //!< attribute IcmpTimeout (s)
    const bool& logImplicitDeny;                    //!< attribute LogImplicitDeny
    SessionJanitor* janitor{nullptr};               //!< expiry tick (set once it exists)
};

} // namespace ns3

#endif // FORTIGATE_DATAPATH_PARTS_H
