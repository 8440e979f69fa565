/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_POLICY_STAGE_H
#define FORTIGATE_POLICY_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage "policy": the first policy that matches a new session (interface pair and
 * tuple after DNAT); a deny (or no match: implicit deny, policy 0) drops, logs and, with
 * `ses-denied-traffic enable`, leaves a blocked session. Also the re-evaluation of a dirty
 * session's policy after a configuration or routing change.
 */
class PolicyStage
{
  public:
    /// \param dp the unit's shared parts
    explicit PolicyStage(DatapathParts& dp);

    /// \return NEXT with c.policy (an accept policy) set; DONE when denied
    StageResult Run(PacketContext& c) const;

    /// Look session \p s's policy up again. \return true when it is still accepted; else the
    /// session is blocked until it expires (FortiOS: block-session-timer)
    bool Reevaluate(Session* s) const;

  private:
    /// The policy query of a flow: \p target is its tuple after DNAT (source as it arrived);
    /// the ICMP type and code count for ICMP only.
    static PolicyQuery MakePolicyQuery(uint8_t inIf,
                                       uint8_t outIf,
                                       const FlowTuple& target,
                                       uint8_t icmpType,
                                       uint8_t icmpCode);

    DatapathParts& m_dp; //!< shared parts
};

} // namespace ns3

#endif // FORTIGATE_POLICY_STAGE_H
