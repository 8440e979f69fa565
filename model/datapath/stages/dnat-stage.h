/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_DNAT_STAGE_H
#define FORTIGATE_DNAT_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage "DNAT" of a packet that starts a session: the VIP it matches (destination
 * after DNAT), else whether it is local-in traffic for the unit itself (the arrival interface's
 * allowaccess decides), and the TCP segments that cannot start a session.
 */
class DnatStage
{
  public:
    /// \param dp the unit's shared parts
    explicit DnatStage(DatapathParts& dp);

    /// \return NEXT with c.target and c.dnat set; NOT_MINE for allowed local-in traffic (ns-3
    ///         delivers it); DONE when denied or dropped
    StageResult Run(PacketContext& c) const;

  private:
    /// \return true when local-in packet \p c may reach the unit's stack (else denied, counted)
    bool LocalInAllowed(const PacketContext& c) const;

    DatapathParts& m_dp; //!< shared parts
};

} // namespace ns3

#endif // FORTIGATE_DNAT_STAGE_H
