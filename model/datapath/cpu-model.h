/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_CPU_MODEL_H
#define FORTIGATE_CPU_MODEL_H

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * The FortiGate's packet-processing CPU (architecture §7).
 *
 * Work items (one per packet) carry a cost in time. Each goes to the core that frees up first,
 * waits there behind earlier work and runs to completion; the job's callback fires when it is
 * done. While \c Backlog items are already waiting, a new one is refused (the caller drops the
 * packet and counts it). With every cost zero the callback runs at once, synchronously.
 */
class CpuModel : public Object
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    CpuModel();

    /// Kinds of work, each with its own cost attribute.
    enum Work
    {
        FAST_PATH,     //!< a packet of an established session
        SESSION_SETUP, //!< the first packet of a new session (policy lookup, NAT, insert)
        HELPER,        //!< a kernel session-helper inspection
        PROXY,         //!< a message handled by a proxy helper (an ALG)
    };

    /// \return the cost of one item of \p w
    Time GetCost(Work w) const;

    /**
     * Submit one item whose total cost is \p cost.
     * \param cost processing time
     * \param done called when the item has been processed
     * \return false when the backlog is full (the item is dropped and counted)
     */
    bool Submit(Time cost, std::function<void()> done);

    /**
     * Admission before any work is done for a packet: the datapath asks before a packet that
     * would start a session creates anything (session, NAT port, pinhole child), so a packet
     * the backlog refuses costs nothing, as on a FortiGate whose CPU cannot keep up with the
     * NPU/NIC (the packet is lost before the kernel sees it).
     * \return true when Submit() would take one more item now; false (counted as dropped)
     * when the backlog is full
     */
    bool Admit();

    /// \return items dropped because the backlog was full
    uint64_t GetDropped() const
    {
        return m_dropped;
    }

    /// \return items waiting or in progress now
    uint32_t GetPending() const
    {
        return m_pending;
    }

    /// \return total busy time summed over cores
    Time GetBusyTime() const
    {
        return m_busy;
    }

  private:
    /// Runs a finished item.
    void Finish(const std::function<void()>& done);

    uint32_t m_cores;           //!< number of cores
    uint32_t m_backlog;         //!< most items waiting at once
    Time m_fastPathCost;        //!< FAST_PATH cost
    Time m_setupCost;           //!< SESSION_SETUP cost
    Time m_helperCost;          //!< HELPER cost
    Time m_proxyCost;           //!< PROXY cost
    std::vector<Time> m_freeAt; //!< per core: when it is free
    uint32_t m_pending{0};      //!< items submitted and not finished
    uint64_t m_dropped{0};      //!< refused items
    Time m_busy;                //!< accumulated busy time
};

} // namespace ns3

#endif // FORTIGATE_CPU_MODEL_H
