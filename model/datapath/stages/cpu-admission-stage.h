/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_CPU_ADMISSION_STAGE_H
#define FORTIGATE_CPU_ADMISSION_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage "CPU admission": before a packet that starts a session creates anything
 * (session, NAT binding, pinhole child), the CPU model must be able to take it; a packet the
 * backlog refuses is dropped as cpu-backlog and costs nothing (doc/fortigate.rst, "Admission").
 */
class CpuAdmissionStage
{
  public:
    /// \param dp the unit's shared parts
    explicit CpuAdmissionStage(DatapathParts& dp);

    /// \return NEXT when admitted; DONE when dropped at the backlog
    StageResult Run(const PacketContext& c) const;

  private:
    DatapathParts& m_dp; //!< shared parts
};

} // namespace ns3

#endif // FORTIGATE_CPU_ADMISSION_STAGE_H
