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
 * Hashed timer wheel with 1 s slots over Session::wheelHook (no allocation per timer).
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
class TimerWheel
{
  public:
    static constexpr uint32_t SLOTS = 4096;          //!< slots (power of two), 1 s each
    static constexpr int64_t TICK_NS = 1000000000LL; //!< slot width

    /// Session list of one slot.
    using SlotList = boost::intrusive::list<
        Session, boost::intrusive::member_hook<Session, Session::ListHook, &Session::wheelHook>,
        boost::intrusive::constant_time_size<false>>;

    TimerWheel()
    {
        m_bits.fill(0);
    }

    TimerWheel(const TimerWheel&) = delete;
    TimerWheel& operator=(const TimerWheel&) = delete;

    /// \return the real deadline of \p s in ns (lastSeenNs + timeout seconds).
    static int64_t DeadlineNs(const Session& s)
    {
        return s.lastSeenNs + static_cast<int64_t>(s.timeout) * TICK_NS;
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
    void Add(Session& s)
    {
        if (m_count == 0)
        {
            // Nothing is filed: skip the idle ticks before this session's time in O(1).
            const int64_t before = CeilTick(s.lastSeenNs) - 1;
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
    void Refresh(Session& s)
    {
        const int64_t tick = FiledTickFor(DeadlineNs(s));
        if (tick * TICK_NS < s.wheelDeadlineNs)
        {
            Unfile(s);
            File(s, tick);
        }
    }

    /// Take a filed session out of the wheel.
    void Remove(Session& s)
    {
        Unfile(s);
        s.wheelDeadlineNs = -1;
        --m_count;
    }

    /// \return whether \p s is filed in the wheel.
    static bool IsFiled(const Session& s)
    {
        return s.wheelDeadlineNs >= 0;
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
                Session& s = slot.front();
                slot.pop_front();
                const int64_t deadline = DeadlineNs(s);
                if (deadline <= next * TICK_NS)
                {
                    s.wheelDeadlineNs = -1;
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

    void File(Session& s, int64_t tick)
    {
        const uint32_t i = SlotOf(tick);
        m_slots[i].push_back(s);
        m_bits[i / 64] |= (uint64_t{1} << (i % 64));
        s.wheelDeadlineNs = tick * TICK_NS;
    }

    void Unfile(Session& s)
    {
        const uint32_t i = SlotOf(s.wheelDeadlineNs / TICK_NS);
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

} // namespace ns3

#endif // FORTIGATE_TIMER_WHEEL_H
