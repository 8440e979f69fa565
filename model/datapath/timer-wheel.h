/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TIMER_WHEEL_H
#define FORTIGATE_TIMER_WHEEL_H

#include "session.h"

#include <array>
#include <boost/intrusive/list.hpp>
#include <cstdint>
#include <limits>

namespace ns3
{

/**
 * \ingroup fortigate
 * What TimerWheel needs from a session: its hook, where it is filed, its real deadline.
 *
 * Another user of BasicTimerWheel (a proxy helper's dialogs) supplies the same four members:
 * `Hook` (the boost::intrusive member hook type), `FiledNs(T&)` (an int64_t the wheel keeps the
 * filed tick in, < 0 = not filed), `DeadlineNs(const T&)` (the real deadline) and
 * `StartNs(const T&)` (when the element was last touched: lets Add() skip idle ticks).
 */
struct SessionWheelTraits
{
    /// The slot-list hook.
    using Hook = boost::intrusive::member_hook<Session, Session::ListHook, &Session::wheelHook>;

    /// \return where the filed tick is kept
    static int64_t& FiledNs(Session& s)
    {
        return s.wheelDeadlineNs;
    }

    /// \return the filed tick (ns), < 0 = not filed
    static int64_t FiledNs(const Session& s)
    {
        return s.wheelDeadlineNs;
    }

    /// \return the real deadline of \p s in ns (lastSeenNs + timeout seconds).
    static int64_t DeadlineNs(const Session& s)
    {
        return s.lastSeenNs + static_cast<int64_t>(s.timeout) * 1000000000LL;
    }

    /// \return the last time \p s was seen
    static int64_t StartNs(const Session& s)
    {
        return s.lastSeenNs;
    }
};

/**
 * \ingroup fortigate
 * Hashed timer wheel with 1 s slots over an intrusive hook of T (no allocation per timer);
 * TimerWheel is the one of the session table (Traits: SessionWheelTraits); helpers use others
 * (a proxy helper's dialogs).
 *
 * A session's real deadline is `lastSeenNs + timeout * 1 s`; it expires at the first
 * whole-second tick (k * 1 s of simulated time) at or after that deadline. The session is
 * *filed* under one tick (kept in Session::wheelDeadlineNs as tick * 1 s) that is never later
 * than the tick it expires at:
 * - Refresh() after a packet is O(1): when the new deadline is later nothing moves (lazy); when
 *   it is earlier the session moves to the earlier slot.
 * - Advance() visits the due slots; a session whose real deadline is still in the future is
 *   filed again, the others are handed to the expiry callback.
 * - Deadlines further away than the wheel spans (SLOTS - 1 s) are filed at the far end and
 *   re-filed when reached, so any uint32 timeout works.
 *
 * Invariant: every filed tick F satisfies m_tick < F <= m_tick + SLOTS - 1, so all sessions in
 * one slot share one tick. A bitmap of non-empty slots makes NextTickNs() and skipping idle
 * stretches cheap.
 *
 * Session::wheelDeadlineNs < 0 means "not filed".
 */
template <class T, class Traits>
class BasicTimerWheel
{
  public:
    static constexpr uint32_t SLOTS = 4096;          //!< slots (power of two), 1 s each
    static constexpr int64_t TICK_NS = 1000000000LL; //!< slot width

    /// Element list of one slot.
    using SlotList = boost::intrusive::
        list<T, typename Traits::Hook, boost::intrusive::constant_time_size<false>>;

    BasicTimerWheel()
    {
        m_bits.fill(0);
    }

    BasicTimerWheel(const BasicTimerWheel&) = delete;
    BasicTimerWheel& operator=(const BasicTimerWheel&) = delete;

    /// \return the real deadline of \p s in ns (for a session: lastSeenNs + timeout seconds).
    static int64_t DeadlineNs(const T& s)
    {
        return Traits::DeadlineNs(s);
    }

    /// \return the first tick (in whole seconds) at or after \p ns.
    static int64_t CeilTick(int64_t ns)
    {
        int64_t q = ns / TICK_NS;
        if (q * TICK_NS < ns)
        {
            ++q;
        }
        return q;
    }

    /// File a session that is not in the wheel (uses its lastSeenNs and timeout).
    void Add(T& s)
    {
        if (m_count == 0)
        {
            // Nothing is filed: skip the idle ticks before this session's time in O(1).
            const int64_t before = CeilTick(Traits::StartNs(s)) - 1;
            if (before > m_tick)
            {
                m_tick = before;
            }
        }
        File(s, FiledTickFor(DeadlineNs(s)));
        ++m_count;
    }

    /// Re-file after lastSeenNs/timeout changed: moves the session only when it became due
    /// earlier than the tick it is filed under.
    void Refresh(T& s)
    {
        const int64_t tick = FiledTickFor(DeadlineNs(s));
        if (tick * TICK_NS < Traits::FiledNs(s))
        {
            Unfile(s);
            File(s, tick);
        }
    }

    /// Take a filed session out of the wheel.
    void Remove(T& s)
    {
        Unfile(s);
        Traits::FiledNs(s) = -1;
        --m_count;
    }

    /// \return whether \p s is filed in the wheel.
    static bool IsFiled(const T& s)
    {
        return Traits::FiledNs(s) >= 0;
    }

    /**
     * Process every tick up to \p nowNs. For each session whose deadline has passed at its
     * tick, the session is taken out of the wheel and \p expire(Session&) is called; the
     * callback may remove, add or refresh other sessions.
     * \return number of sessions handed to \p expire
     */
    template <class F>
    uint32_t Advance(int64_t nowNs, F&& expire)
    {
        const int64_t nowTick = nowNs >= 0 ? nowNs / TICK_NS : -1;
        uint32_t expired = 0;
        while (m_tick < nowTick)
        {
            const int64_t next = NextFiledTick();
            if (next < 0 || next > nowTick)
            {
                m_tick = nowTick;
                break;
            }
            m_tick = next;
            SlotList& slot = m_slots[SlotOf(next)];
            while (!slot.empty())
            {
                T& s = slot.front();
                slot.pop_front();
                const int64_t deadline = DeadlineNs(s);
                if (deadline <= next * TICK_NS)
                {
                    Traits::FiledNs(s) = -1;
                    --m_count;
                    if (slot.empty())
                    {
                        ClearBit(SlotOf(next));
                    }
                    ++expired;
                    expire(s);
                }
                else
                {
                    File(s, FiledTickFor(deadline));
                }
            }
            ClearBit(SlotOf(next));
        }
        return expired;
    }

    /**
     * After Advance(\p nowNs): hand the elements whose real deadline lies between the last
     * whole-second tick and \p nowNs (all filed under the next tick) to \p expire, so that a
     * user that checks deadlines at any time, not only on ticks, sees every one that has
     * passed. Costs one slot's visit.
     * \return number of elements handed to \p expire
     */
    template <class F>
    uint32_t AdvanceExact(int64_t nowNs, F&& expire)
    {
        uint32_t expired = Advance(nowNs, expire);
        const int64_t tick = m_tick + 1;
        const uint32_t i = SlotOf(tick);
        if (m_count == 0 || (m_bits[i / 64] & (uint64_t{1} << (i % 64))) == 0)
        {
            return expired;
        }
        SlotList due;
        SlotList& slot = m_slots[i];
        for (auto it = slot.begin(); it != slot.end();)
        {
            if (DeadlineNs(*it) <= nowNs)
            {
                T& s = *it;
                it = slot.erase(it);
                due.push_back(s);
            }
            else
            {
                ++it;
            }
        }
        if (slot.empty())
        {
            ClearBit(i);
        }
        while (!due.empty())
        {
            T& s = due.front();
            due.pop_front();
            Traits::FiledNs(s) = -1;
            --m_count;
            ++expired;
            expire(s);
        }
        return expired;
    }

    /// \return the time of the earliest tick with a filed session (it may expire something
    /// then), or INT64_MAX when the wheel is empty.
    int64_t NextTickNs() const
    {
        const int64_t t = NextFiledTick();
        return t < 0 ? std::numeric_limits<int64_t>::max() : t * TICK_NS;
    }

    /// \return number of filed sessions.
    uint64_t Size() const
    {
        return m_count;
    }

  private:
    static uint32_t SlotOf(int64_t tick)
    {
        return static_cast<uint32_t>(tick) & (SLOTS - 1);
    }

    /// Tick to file a session under whose real deadline is \p deadlineNs.
    int64_t FiledTickFor(int64_t deadlineNs) const
    {
        int64_t t = CeilTick(deadlineNs);
        if (t <= m_tick)
        {
            t = m_tick + 1;
        }
        if (t > m_tick + SLOTS - 1)
        {
            t = m_tick + SLOTS - 1;
        }
        return t;
    }

    void File(T& s, int64_t tick)
    {
        const uint32_t i = SlotOf(tick);
        m_slots[i].push_back(s);
        m_bits[i / 64] |= (uint64_t{1} << (i % 64));
        Traits::FiledNs(s) = tick * TICK_NS;
    }

    void Unfile(T& s)
    {
        const uint32_t i = SlotOf(Traits::FiledNs(s) / TICK_NS);
        SlotList& slot = m_slots[i];
        slot.erase(slot.iterator_to(s));
        if (slot.empty())
        {
            ClearBit(i);
        }
    }

    void ClearBit(uint32_t i)
    {
        m_bits[i / 64] &= ~(uint64_t{1} << (i % 64));
    }

    /// \return the earliest filed tick, or -1 when nothing is filed.
    int64_t NextFiledTick() const
    {
        if (m_count == 0)
        {
            return -1;
        }
        const uint32_t start = SlotOf(m_tick + 1);
        constexpr uint32_t words = SLOTS / 64;
        // Scan words circularly starting at start's word; the first word is scanned twice
        // (high part first, low part last).
        for (uint32_t k = 0; k <= words; ++k)
        {
            const uint32_t w = (start / 64 + k) % words;
            uint64_t bits = m_bits[w];
            if (k == 0)
            {
                bits &= ~uint64_t{0} << (start % 64);
            }
            else if (k == words)
            {
                bits &= (start % 64) == 0 ? 0 : ~(~uint64_t{0} << (start % 64));
            }
            if (bits != 0)
            {
                const uint32_t slot = w * 64 + static_cast<uint32_t>(__builtin_ctzll(bits));
                const uint32_t dist = (slot - start) & (SLOTS - 1);
                return m_tick + 1 + dist;
            }
        }
        return -1;
    }

    std::array<SlotList, SLOTS> m_slots;     //!< one list per second
    std::array<uint64_t, SLOTS / 64> m_bits; //!< non-empty slots
    int64_t m_tick{-1};                      //!< last processed tick (whole seconds)
    uint64_t m_count{0};                     //!< filed sessions
};

/// The session table's timer wheel.
using TimerWheel = BasicTimerWheel<Session, SessionWheelTraits>;

} // namespace ns3

#endif // FORTIGATE_TIMER_WHEEL_H
