/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session-table.h"

#include "ns3/log.h"

#include <algorithm>
#include <boost/intrusive/parent_from_member.hpp>
#include <new>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateSessionTable");

// ---- Pool -----------------------------------------------------------------------------------

Session*
SessionTable::Pool::Allocate()
{
    if (m_free == nullptr)
    {
        std::unique_ptr<Slot[]> chunk(new Slot[CHUNK]);
        for (size_t i = CHUNK; i-- > 0;)
        {
            chunk[i].next = m_free;
            m_free = &chunk[i];
        }
        m_chunks.push_back(std::move(chunk));
    }
    Slot* slot = m_free;
    m_free = slot->next;
    return new (slot->storage) Session();
}

void
SessionTable::Pool::Free(Session* s)
{
    s->~Session();
    Slot* slot = reinterpret_cast<Slot*>(s);
    slot->next = m_free;
    m_free = slot;
}

// ---- Table ----------------------------------------------------------------------------------

SessionTable::CursorGuard::CursorGuard(std::vector<AllList::const_iterator*>& cursors,
                                       AllList::const_iterator* it)
    : m_cursors(cursors)
{
    m_cursors.push_back(it);
}

SessionTable::CursorGuard::~CursorGuard()
{
    m_cursors.pop_back();
}

SessionTable::SessionTable(uint32_t maxSessions)
    : m_maxSessions(maxSessions),
      m_buckets(new Index::bucket_type[INITIAL_BUCKETS]),
      m_bucketCount(INITIAL_BUCKETS),
      m_index(Index::bucket_traits(m_buckets.get(), m_bucketCount))
{
}

SessionTable::~SessionTable()
{
    while (!m_all.empty())
    {
        Session& s = m_all.front();
        m_all.pop_front();
        m_index.erase(m_index.iterator_to(s.org));
        m_index.erase(m_index.iterator_to(s.reply));
        if (TimerWheel::IsFiled(s))
        {
            m_wheel.Remove(s);
        }
        m_pool.Free(&s);
    }
}

void
SessionTable::SetMaxSessions(uint32_t maxSessions)
{
    m_maxSessions = maxSessions;
}

uint32_t
SessionTable::GetMaxSessions() const
{
    return m_maxSessions;
}

void
SessionTable::SetNextSerial(uint32_t serial)
{
    m_nextSerial = serial == 0 ? 1 : serial;
}

uint32_t
SessionTable::GetNextSerial() const
{
    return m_nextSerial;
}

Session*
SessionTable::SessionOf(const Session::Key& k)
{
    auto& key = const_cast<Session::Key&>(k);
    return key.dir == static_cast<uint8_t>(SessionDir::ORIGINAL)
               ? boost::intrusive::get_parent_from_member<Session>(&key, &Session::org)
               : boost::intrusive::get_parent_from_member<Session>(&key, &Session::reply);
}

Session*
SessionTable::Find(const FlowTuple& t, SessionDir* dir) const
{
    auto it = m_index.find(t, KeyHash(), KeyEqual());
    if (it == m_index.end())
    {
        return nullptr;
    }
    if (dir != nullptr)
    {
        *dir = static_cast<SessionDir>(it->dir);
    }
    return SessionOf(*it);
}

bool
SessionTable::TupleInUse(const FlowTuple& t) const
{
    return m_index.find(t, KeyHash(), KeyEqual()) != m_index.end();
}

void
SessionTable::GrowIndexFor(size_t keys)
{
    if (keys <= m_bucketCount)
    {
        return;
    }
    size_t n = m_bucketCount;
    while (n < keys)
    {
        n *= 2;
    }
    std::unique_ptr<Index::bucket_type[]> buckets(new Index::bucket_type[n]);
    m_index.rehash(Index::bucket_traits(buckets.get(), n));
    m_buckets = std::move(buckets);
    m_bucketCount = n;
}

void
SessionTable::RollSetupRate(int64_t nowNs)
{
    const int64_t second = nowNs / TimerWheel::TICK_NS;
    if (second > m_rateSecond)
    {
        m_stats.setupRate = second == m_rateSecond + 1 ? m_rateCount : 0;
        m_rateSecond = second;
        m_rateCount = 0;
    }
}

Session*
SessionTable::Insert(const FlowTuple& org,
                     const FlowTuple& reply,
                     int64_t nowNs,
                     uint32_t timeoutSec,
                     InsertResult* result)
{
    if (org == reply || TupleInUse(org) || TupleInUse(reply))
    {
        ++m_stats.clash;
        if (result != nullptr)
        {
            *result = InsertResult::CLASH;
        }
        return nullptr;
    }
    if (m_maxSessions != 0 && m_all.size() >= m_maxSessions)
    {
        NS_LOG_LOGIC("table full (" << m_maxSessions << "): " << org.ToString());
        ++m_stats.memoryTensionDrop;
        if (result != nullptr)
        {
            *result = InsertResult::FULL;
        }
        return nullptr;
    }

    GrowIndexFor(m_index.size() + 2);
    Session* s = m_pool.Allocate();
    s->org.tuple = org;
    s->reply.tuple = reply;
    s->serial = m_nextSerial;
    m_nextSerial = m_nextSerial == UINT32_MAX ? 1 : m_nextSerial + 1;
    s->createdNs = nowNs;
    s->lastSeenNs = nowNs;
    s->timeout = timeoutSec;
    m_index.insert(s->org);
    m_index.insert(s->reply);
    m_all.push_back(*s);
    m_wheel.Add(*s);

    ++m_stats.created;
    NS_LOG_LOGIC("insert " << s->serial << ": " << org.ToString() << " / " << reply.ToString());
    RollSetupRate(nowNs);
    ++m_rateCount;
    if (result != nullptr)
    {
        *result = InsertResult::OK;
    }
    return s;
}

void
SessionTable::Touch(Session* s, int64_t nowNs, uint32_t timeoutSec)
{
    s->lastSeenNs = nowNs;
    s->timeout = timeoutSec;
    if (TimerWheel::IsFiled(*s))
    {
        m_wheel.Refresh(*s);
    }
}

void
SessionTable::Unlink(Session* s)
{
    for (AllList::const_iterator* cursor : m_cursors)
    {
        if (*cursor != m_all.end() && &**cursor == s)
        {
            ++*cursor;
        }
    }
    m_all.erase(m_all.iterator_to(*s));
    m_index.erase(m_index.iterator_to(s->org));
    m_index.erase(m_index.iterator_to(s->reply));
    m_pool.Free(s);
}

void
SessionTable::Remove(Session* s, SessionCloseReason why)
{
    if (s->wheelDeadlineNs == REMOVING)
    {
        return; // already closing (re-entrant call from the close callback)
    }
    if (TimerWheel::IsFiled(*s))
    {
        m_wheel.Remove(*s);
    }
    s->wheelDeadlineNs = REMOVING;
    NS_LOG_LOGIC("remove " << s->serial << ": " << SessionCloseReasonName(why));
    switch (why)
    {
    case SessionCloseReason::EXPIRED:
    case SessionCloseReason::TCP_CLOSE:
        ++m_stats.expired;
        break;
    case SessionCloseReason::FLUSH:
        ++m_stats.flushed;
        break;
    default:
        ++m_stats.deleted;
        break;
    }
    ++m_stats.removed;
    if (m_closeCb)
    {
        m_closeCb(*s, why);
    }
    Unlink(s);
}

void
SessionTable::SetCloseCallback(CloseCallback cb)
{
    m_closeCb = std::move(cb);
}

uint32_t
SessionTable::Advance(int64_t nowNs)
{
    RollSetupRate(nowNs);
    if (m_advancing)
    {
        return 0; // called from a close callback: the outer call finishes the work
    }
    m_advancing = true;

    struct Reset
    {
        bool& flag;

        ~Reset()
        {
            flag = false;
        }
    } reset{m_advancing};

    return m_wheel.Advance(nowNs, [this](Session& s) {
        const bool tcpClosed = s.org.tuple.proto == IPPROTO_NUM_TCP &&
                               (s.tcpState[0] == TCP_S_TIME_WAIT || s.tcpState[0] == TCP_S_CLOSE);
        Remove(&s, tcpClosed ? SessionCloseReason::TCP_CLOSE : SessionCloseReason::EXPIRED);
    });
}

int64_t
SessionTable::NextDeadlineNs() const
{
    return m_wheel.NextTickNs();
}

uint32_t
SessionTable::Clear(const std::function<bool(const Session&)>& pred, SessionCloseReason why)
{
    uint32_t removed = 0;
    AllList::const_iterator it = m_all.cbegin();
    CursorGuard guard(m_cursors, &it);
    while (it != m_all.cend())
    {
        auto& s = const_cast<Session&>(*it);
        ++it;
        if (s.wheelDeadlineNs != REMOVING && pred(s))
        {
            Remove(&s, why);
            ++removed;
        }
    }
    return removed;
}

void
SessionTable::ForEach(const std::function<void(Session&)>& fn)
{
    AllList::const_iterator it = m_all.cbegin();
    CursorGuard guard(m_cursors, &it);
    while (it != m_all.cend())
    {
        auto& s = const_cast<Session&>(*it);
        ++it;
        fn(s);
    }
}

void
SessionTable::ForEach(const std::function<void(const Session&)>& fn) const
{
    AllList::const_iterator it = m_all.cbegin();
    CursorGuard guard(m_cursors, &it);
    while (it != m_all.cend())
    {
        const Session& s = *it;
        ++it;
        fn(s);
    }
}

size_t
SessionTable::Size() const
{
    return m_all.size();
}

const SessionTable::Stats&
SessionTable::GetStats() const
{
    return m_stats;
}

std::array<uint32_t, TCP_S_COUNT>
SessionTable::TcpStateCounts() const
{
    std::array<uint32_t, TCP_S_COUNT> counts{};
    for (const Session& s : m_all)
    {
        if (s.org.tuple.proto == IPPROTO_NUM_TCP && s.tcpState[0] < TCP_S_COUNT)
        {
            ++counts[s.tcpState[0]];
        }
    }
    return counts;
}

size_t
SessionTable::BucketCount() const
{
    return m_bucketCount;
}

} // namespace ns3
