/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_DATAPATH_DROPS_H
#define FORTIGATE_DATAPATH_DROPS_H

#include "ns3/flow-trace.h"
#include "ns3/ipv4-header.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * Why the datapath dropped a packet (FortiGateNode derives from this, so the names read
 * FortiGateNode::DROP_NO_ROUTE etc.).
 */
struct DropReasons
{
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
};

/**
 * \ingroup fortigate
 * The datapath's drop accounting: per-reason counters, the flow trace's drop line, the Drop
 * and PolicyDenied trace sources (owned by FortiGateNode, which registers them).
 */
class DropCounter : public DropReasons
{
  public:
    /// The Drop trace source.
    using DropTrace = TracedCallback<Ptr<const Packet>, const Ipv4Header&, const std::string&>;
    /// The PolicyDenied trace source.
    using DeniedTrace = TracedCallback<Ptr<const Packet>, const Ipv4Header&, uint32_t>;

    /// \param flow flow trace, \p drop and \p denied the node's trace sources
    DropCounter(FlowTrace& flow, DropTrace& drop, DeniedTrace& denied);

    /// Drop \p p (header \p h) for \p r: count it, trace it.
    void Drop(Ptr<const Packet> p, const Ipv4Header& h, DropReason r);

    /// Drop \p p because policy \p policyId (0 = implicit deny) denies it.
    void DenyByPolicy(Ptr<const Packet> p, const Ipv4Header& h, uint32_t policyId);

    /// \return packets dropped for \p r
    uint64_t Count(DropReason r) const
    {
        return m_drops[r];
    }

  private:
    FlowTrace& m_flow;                     //!< `diagnose debug flow`
    DropTrace& m_dropTrace;                //!< Drop trace source
    DeniedTrace& m_deniedTrace;            //!< PolicyDenied trace source
    uint64_t m_drops[DROP_REASON_COUNT]{}; //!< per-reason counters
};

} // namespace ns3

#endif // FORTIGATE_DATAPATH_DROPS_H
