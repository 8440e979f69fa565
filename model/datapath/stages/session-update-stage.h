/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SESSION_UPDATE_STAGE_H
#define FORTIGATE_SESSION_UPDATE_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

class PolicyStage;

/**
 * \ingroup fortigate
 * Datapath stage "session update" of every packet of a session: a dirty session's policy
 * re-evaluated, a blocked session's packet dropped, the TCP state machine, counters, the timer
 * refresh (O(1), no event), the first fragment remembered for the later ones.
 */
class SessionUpdateStage
{
  public:
    /// \param dp the unit's shared parts \param policy re-evaluates dirty sessions
    SessionUpdateStage(DatapathParts& dp, PolicyStage& policy);

    /// \return NEXT, or DONE when the session is blocked (dropped)
    StageResult Run(PacketContext& c) const;

  private:
    DatapathParts& m_dp;   //!< shared parts
    PolicyStage& m_policy; //!< re-evaluation of dirty sessions
};

} // namespace ns3

#endif // FORTIGATE_SESSION_UPDATE_STAGE_H
