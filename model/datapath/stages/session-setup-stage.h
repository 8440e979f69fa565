/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SESSION_SETUP_STAGE_H
#define FORTIGATE_SESSION_SETUP_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

class SnatStage;

/**
 * \ingroup fortigate
 * Datapath stage "create session": inserts the session the earlier stages decided (tuples as
 * they arrive in both directions, policy, interfaces, IP pool, timers) and, once its helper is
 * bound, announces it (SessionCreated trace, the log's start line, the expiry tick).
 */
class SessionSetupStage
{
  public:
    /// \param dp the unit's shared parts \param snat pool ids and the release of unused ports
    SessionSetupStage(DatapathParts& dp, SnatStage& snat);

    /// \return NEXT with c.s set (direction original); DONE when the table refused it
    StageResult Insert(PacketContext& c);

    /// Announce the new session c.s (after helper binding).
    void Announce(const PacketContext& c);

  private:
    DatapathParts& m_dp; //!< shared parts
    SnatStage& m_snat;   //!< IP pool names
};

} // namespace ns3

#endif // FORTIGATE_SESSION_SETUP_STAGE_H
