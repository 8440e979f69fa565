/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fragment-table.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FragmentTable");

namespace
{
constexpr int64_t kFragmentLifetimeNs = 30 * 1000000000LL; // like ip_frag_time
} // namespace

void
FragmentTable::Remember(const PacketView& v, const FlowTuple& tuple, int64_t nowNs)
{
    m_entries[KeyOf(v)] = Entry{tuple, nowNs};
}

const FlowTuple*
FragmentTable::Find(const PacketView& v) const
{
    auto it = m_entries.find(KeyOf(v));
    return it != m_entries.end() ? &it->second.tuple : nullptr;
}

void
FragmentTable::Forget(const PacketView& v)
{
    m_entries.erase(KeyOf(v));
}

void
FragmentTable::Expire(int64_t nowNs)
{
    for (auto it = m_entries.begin(); it != m_entries.end();)
    {
        it = nowNs - it->second.seenNs > kFragmentLifetimeNs ? m_entries.erase(it) : std::next(it);
    }
}

} // namespace ns3
