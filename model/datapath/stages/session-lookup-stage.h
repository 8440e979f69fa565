/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SESSION_LOOKUP_STAGE_H
#define FORTIGATE_SESSION_LOOKUP_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage "session lookup": the session a packet belongs to, in either direction, or
 * for a later fragment the session its first fragment found.
 */
class SessionLookupStage
{
  public:
    /// \param dp the unit's shared parts
    explicit SessionLookupStage(DatapathParts& dp);

    /// A later fragment: \return true with c.s and c.dir set, false when no first fragment of
    /// it went through (the caller drops it)
    bool FindFragment(PacketContext& c) const;

    /// \return true with c.s and c.dir set when c.v's tuple belongs to a session
    bool Find(PacketContext& c) const;

  private:
    DatapathParts& m_dp; //!< shared parts
};

} // namespace ns3

#endif // FORTIGATE_SESSION_LOOKUP_STAGE_H
