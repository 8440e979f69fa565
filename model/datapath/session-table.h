/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SESSION_TABLE_H
#define FORTIGATE_SESSION_TABLE_H

#include "session.h"
#include "timer-wheel.h"

#include <array>
#include <boost/intrusive/list.hpp>
#include <boost/intrusive/unordered_set.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * The FortiOS session table: sessions indexed by both direction tuples, expired by a 1 s timer
 * wheel, limited in number. Pure C++ (no ns-3 types); times are simulated nanoseconds.
 *
 * - Index: one Boost.Intrusive hash set holding both keys of every session (no allocation per
 *   entry); power-of-two buckets, grown so the load factor stays <= 1.
 * - Sessions come from a chunked free-list pool (one allocation per 1024 sessions).
 * - Expiry: TimerWheel; Touch() is O(1) and schedules nothing. The owner calls Advance() once
 *   per second while Size() > 0 (NextDeadlineNs() tells when something may expire).
 * - Deterministic: walks (ForEach, Clear) follow creation order; nothing depends on hash order.
 *
 * The close callback runs before a session is unlinked and freed; it may Remove, Insert or
 * Touch other sessions (e.g. close children). While it runs, Touch and Remove of the closing
 * session itself are ignored.
 */
class SessionTable
{
  public:
    /// Outcome of Insert().
    enum class InsertResult
    {
        OK,    //!< inserted
        CLASH, //!< one of the tuples is already in the table (counted as `clash`)
        FULL,  //!< the session limit is reached (counted as `memory_tension_drop`)
    };

    /// Counters for `diagnose sys session stat`.
    struct Stats
    {
        uint64_t created{0};           //!< sessions inserted
        uint64_t expired{0};           //!< `exp_count`: removed by their timer (Advance)
        uint64_t deleted{0};           //!< `delete`: removed by Remove/Clear (not flush/timer)
        uint64_t flushed{0};           //!< `flush`: removed with reason FLUSH
        uint64_t removed{0};           //!< all removals (expired + deleted + flushed)
        uint64_t clash{0};             //!< `clash`: inserts refused because a tuple existed
        uint64_t memoryTensionDrop{0}; //!< `memory_tension_drop`: inserts refused, table full
        uint64_t setupRate{0};         //!< `setup_rate`: sessions created in the last second
    };

    /// Called for every session that leaves the table, before it is freed.
    using CloseCallback = std::function<void(Session&, SessionCloseReason)>;

    /// \param maxSessions session limit, 0 = unlimited
    explicit SessionTable(uint32_t maxSessions = 0);
    /// Frees all sessions without calling the close callback.
    ~SessionTable();
    SessionTable(const SessionTable&) = delete;
    SessionTable& operator=(const SessionTable&) = delete;

    /// Set the session limit (0 = unlimited). Lowering it below Size() removes nothing; new
    /// sessions are refused until the table is below the limit.
    void SetMaxSessions(uint32_t maxSessions);
    /// \return the session limit (0 = unlimited)
    uint32_t GetMaxSessions() const;

    /// Serial number the next session gets (default 1; 0 is skipped).
    void SetNextSerial(uint32_t serial);
    /// \return the serial number the next session gets
    uint32_t GetNextSerial() const;

    /**
     * Look a packet's tuple up in either direction.
     * \param t the packet's tuple as it arrives
     * \param dir set to the direction \p t belongs to (may be nullptr)
     * \return the session or nullptr
     */
    Session* Find(const FlowTuple& t, SessionDir* dir) const;

    /// \return true when some session uses \p t as its original or reply tuple.
    bool TupleInUse(const FlowTuple& t) const;

    /**
     * Create a session. serial = next serial, createdNs = lastSeenNs = \p nowNs,
     * timeout = \p timeoutSec. Nothing changes on failure except the clash or
     * memory_tension_drop counter.
     * \param org original tuple (as the first packet arrives)
     * \param reply reply tuple (as replies arrive, i.e. after NAT)
     * \param nowNs current simulated time
     * \param timeoutSec initial timeout
     * \param result set to the outcome (may be nullptr); CLASH is checked before FULL, and
     *        org == reply is a CLASH
     * \return the new session, or nullptr on CLASH/FULL
     */
    Session* Insert(const FlowTuple& org,
                    const FlowTuple& reply,
                    int64_t nowNs,
                    uint32_t timeoutSec,
                    InsertResult* result = nullptr);

    /// A packet was seen: lastSeenNs = \p nowNs, timeout = \p timeoutSec. O(1).
    void Touch(Session* s, int64_t nowNs, uint32_t timeoutSec);

    /// Remove a session: calls the close callback, then unlinks and frees it.
    void Remove(Session* s, SessionCloseReason why);

    /// Set the callback run for each session that leaves the table.
    void SetCloseCallback(CloseCallback cb);

    /**
     * Expire the sessions whose deadline has passed at a whole-second tick <= \p nowNs.
     * Reason TCP_CLOSE for TCP sessions in TIME_WAIT or CLOSE, EXPIRED otherwise.
     * \return number of sessions expired
     */
    uint32_t Advance(int64_t nowNs);

    /// \return the earliest time at which Advance may expire a session (a whole second; it
    /// can be <= now when Advance is overdue), or INT64_MAX when the table is empty.
    int64_t NextDeadlineNs() const;

    /// Remove every session for which \p pred is true, in creation order.
    /// \return number removed
    uint32_t Clear(const std::function<bool(const Session&)>& pred, SessionCloseReason why);

    /// Visit every session in creation (serial) order. \p fn may remove sessions.
    void ForEach(const std::function<void(Session&)>& fn);
    /// Visit every session in creation (serial) order.
    void ForEach(const std::function<void(const Session&)>& fn) const;

    /// \return number of sessions
    size_t Size() const;

    /// \return counters; setupRate is refreshed by Insert and Advance
    const Stats& GetStats() const;

    /// \return number of TCP sessions in each TcpSessionState (index = state), O(n)
    std::array<uint32_t, TCP_S_COUNT> TcpStateCounts() const;

    /// \return current number of hash buckets (for tests and memory accounting)
    size_t BucketCount() const;

  private:
    /// Hash and equality on Session::Key, also usable with a bare FlowTuple.
    struct KeyHash
    {
        std::size_t operator()(const Session::Key& k) const
        {
            return k.tuple.Hash();
        }

        std::size_t operator()(const FlowTuple& t) const
        {
            return t.Hash();
        }
    };

    struct KeyEqual
    {
        bool operator()(const Session::Key& a, const Session::Key& b) const
        {
            return a.tuple == b.tuple;
        }

        bool operator()(const FlowTuple& a, const Session::Key& b) const
        {
            return a == b.tuple;
        }

        bool operator()(const Session::Key& a, const FlowTuple& b) const
        {
            return a.tuple == b;
        }
    };

    using Index = boost::intrusive::unordered_set<
        Session::Key,
        boost::intrusive::member_hook<Session::Key, Session::HashHook, &Session::Key::hook>,
        boost::intrusive::hash<KeyHash>,
        boost::intrusive::equal<KeyEqual>,
        boost::intrusive::power_2_buckets<true>,
        boost::intrusive::constant_time_size<true>>;

    using AllList = boost::intrusive::list<
        Session,
        boost::intrusive::member_hook<Session, Session::ListHook, &Session::allHook>,
        boost::intrusive::constant_time_size<true>>;

    /// Chunked free-list allocator for Session objects.
    class Pool
    {
      public:
        Pool() = default;
        Pool(const Pool&) = delete;
        Pool& operator=(const Pool&) = delete;
        Session* Allocate();
        void Free(Session* s);

      private:
        static constexpr size_t CHUNK = 1024; //!< sessions per chunk

        union Slot {
            Slot* next;
            alignas(Session) unsigned char storage[sizeof(Session)];
        };

        std::vector<std::unique_ptr<Slot[]>> m_chunks;
        Slot* m_free{nullptr};
    };

    /// Registers a walk position in m_cursors for the lifetime of a walk.
    class CursorGuard
    {
      public:
        CursorGuard(std::vector<AllList::const_iterator*>& cursors, AllList::const_iterator* it);
        ~CursorGuard();
        CursorGuard(const CursorGuard&) = delete;
        CursorGuard& operator=(const CursorGuard&) = delete;

      private:
        std::vector<AllList::const_iterator*>& m_cursors;
    };

    static constexpr size_t INITIAL_BUCKETS = 64;
    static constexpr int64_t REMOVING = INT64_MIN; //!< wheelDeadlineNs while closing

    static Session* SessionOf(const Session::Key& k);
    void GrowIndexFor(size_t keys);
    void RollSetupRate(int64_t nowNs);
    void Unlink(Session* s);

    uint32_t m_maxSessions;
    uint32_t m_nextSerial{1};
    Pool m_pool;
    std::unique_ptr<Index::bucket_type[]> m_buckets;
    size_t m_bucketCount;
    Index m_index;
    AllList m_all;
    TimerWheel m_wheel;
    CloseCallback m_closeCb;
    Stats m_stats;
    int64_t m_rateSecond{0};
    uint64_t m_rateCount{0};
    bool m_advancing{false};
    /// Active ForEach/Clear positions: Remove() steps them past the session it unlinks.
    mutable std::vector<AllList::const_iterator*> m_cursors;
};

} // namespace ns3

#endif // FORTIGATE_SESSION_TABLE_H
