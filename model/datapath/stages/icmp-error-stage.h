/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_ICMP_ERROR_STAGE_H
#define FORTIGATE_ICMP_ERROR_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage for ICMP errors: the session of the embedded packet, the outer and inner
 * headers translated back, the route towards the embedded packet's sender.
 */
class IcmpErrorStage
{
  public:
    /// \param dp the unit's shared parts
    explicit IcmpErrorStage(DatapathParts& dp);

    /// \return NEXT with c.q, c.out, c.route and c.cost ready to forward; DONE when dropped
    StageResult Run(PacketContext& c) const;

  private:
    DatapathParts& m_dp; //!< shared parts
};

} // namespace ns3

#endif // FORTIGATE_ICMP_ERROR_STAGE_H
