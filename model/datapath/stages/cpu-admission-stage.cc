/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "cpu-admission-stage.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateCpuAdmissionStage");

CpuAdmissionStage::CpuAdmissionStage(DatapathParts& dp)
    : m_dp(dp)
{
}

StageResult
CpuAdmissionStage::Run(const PacketContext& c) const
{
    // On a FortiGate a packet the CPUs cannot take is lost before the kernel sees it (NP6
    // PDQ_OSW_HRX, NP7 "SSE -> HRX" drops, community.fortinet.com article 274637), so
    // `diagnose sys session stat` counts nothing for it; the unit counts it as cpu-backlog.
    if (m_dp.cpu->Admit())
    {
        return StageResult::NEXT;
    }
    m_dp.drops.Drop(c.p, c.h, DropReasons::DROP_CPU_BACKLOG);
    return StageResult::DONE;
}

} // namespace ns3
