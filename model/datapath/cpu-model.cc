/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "cpu-model.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateCpuModel");
NS_OBJECT_ENSURE_REGISTERED(CpuModel);

TypeId
CpuModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::CpuModel")
            .SetParent<Object>()
            .SetGroupName("FortiGate")
            .AddConstructor<CpuModel>()
            .AddAttribute("Cores",
                          "Number of cores processing packets.",
                          UintegerValue(4),
                          MakeUintegerAccessor(&CpuModel::m_cores),
                          MakeUintegerChecker<uint32_t>(1, 1024))
            .AddAttribute(
                "Backlog",
                "Most packets in the CPU at once (being processed or waiting for a core); more "
                "are dropped and counted.",
                UintegerValue(1024),
                MakeUintegerAccessor(&CpuModel::m_backlog),
                MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("FastPathCost",
                          "Processing time of a packet of an established session. "
                          "Default: 2 us (about 2 Mpps on 4 cores).",
                          TimeValue(MicroSeconds(2)),
                          MakeTimeAccessor(&CpuModel::m_fastPathCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("SessionSetupCost",
                          "Processing time of the first packet of a session (policy lookup, "
                          "NAT, insert). Default 110 us: about 35,000 new sessions/s on 4 cores, "
                          "a FortiGate 60F's datasheet rate.",
                          TimeValue(MicroSeconds(110)),
                          MakeTimeAccessor(&CpuModel::m_setupCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("HelperCost",
                          "Extra time of a kernel session-helper inspection.",
                          TimeValue(MicroSeconds(15)),
                          MakeTimeAccessor(&CpuModel::m_helperCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("ProxyCost",
                          "Extra time of a message handled by a proxy helper (an ALG).",
                          TimeValue(MicroSeconds(250)),
                          MakeTimeAccessor(&CpuModel::m_proxyCost),
                          MakeTimeChecker(Time(0)));
    return tid;
}

CpuModel::CpuModel()
    : m_cores(4),
      m_backlog(1024)
{
}

Time
CpuModel::GetCost(Work w) const
{
    switch (w)
    {
    case FAST_PATH:
        return m_fastPathCost;
    case SESSION_SETUP:
        return m_setupCost;
    case HELPER:
        return m_helperCost;
    default:
        return m_proxyCost;
    }
}

bool
CpuModel::Admit()
{
    if (m_pending < m_backlog)
    {
        return true;
    }
    ++m_dropped;
    NS_LOG_LOGIC("backlog full (" << m_pending << "), not admitted");
    return false;
}

bool
CpuModel::Submit(Time cost, std::function<void()> done)
{
    if (cost.IsZero() && m_pending == 0)
    {
        done();
        return true;
    }
    if (m_pending >= m_backlog)
    {
        ++m_dropped;
        NS_LOG_LOGIC("backlog full (" << m_pending << "), dropping");
        return false;
    }
    if (m_freeAt.size() != m_cores)
    {
        m_freeAt.assign(m_cores, Time(0));
    }
    Time now = Simulator::Now();
    auto core = std::min_element(m_freeAt.begin(), m_freeAt.end());
    Time start = std::max(now, *core);
    *core = start + cost;
    m_busy += cost;
    ++m_pending;
    Simulator::Schedule(*core - now, &CpuModel::Finish, this, std::move(done));
    return true;
}

void
CpuModel::Finish(const std::function<void()>& done)
{
    --m_pending;
    done();
}

} // namespace ns3
