/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SESSION_TIMERS_H
#define SESSION_TIMERS_H

#include "session.h"

#include "ns3/fortigate-config.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Chooses the timers of a unit's sessions (architecture §3, expiry): the established TTL of a
 * new session (a matching service's own timer, a `config system session-ttl` port entry, the
 * protocol's default), the state timers a session has of its own (a service's TCP timers, a
 * helper's child timeouts, a session-ttl entry's refresh direction), and the timeout of a
 * session's current state.
 *
 * The sets of own timers are interned: Session::timerSet indexes them (0 = the unit's).
 */
class SessionTimers
{
  public:
    /// \param config the unit's running configuration (timers, session-ttl, services)
    explicit SessionTimers(const FortiGateConfig& config);

    /**
     * Set new session \p s's established TTL, own timers and timeout.
     * \param proto IP protocol after DNAT
     * \param dport destination port after DNAT
     * \param policy the policy that created it (nullptr: a helper's child session)
     * \param icmpTimeout the unit's ICMP idle timeout (s)
     */
    void Apply(Session& s,
               uint8_t proto,
               uint16_t dport,
               const FirewallPolicy* policy,
               uint32_t icmpTimeout);

    /// A helper's timeouts for its child session \p s (0: keep): established TTL, and the TTL
    /// until a reply is seen.
    void SetChildTimeouts(Session& s, uint32_t ttl, uint32_t unreplied);

    /// \return the timeout (s) of \p s in its current state
    uint32_t StateTimeout(const Session& s) const;

    /// \return true when a packet in direction \p d (0 original, 1 reply) refreshes the timer
    ///         of \p s (a session-ttl entry's refresh-direction may limit it to one direction)
    bool Refreshes(const Session& s, int d) const
    {
        return s.timerSet == 0 || m_sets[s.timerSet].refreshDir == 0 ||
               m_sets[s.timerSet].refreshDir == d + 1;
    }

  private:
    /// State timers a session has of its own; 0 = the unit's.
    struct TimerSet
    {
        uint32_t tcpHalfopen{0};  //!< tcp-halfopen-timer (0 = the unit's)
        uint32_t tcpHalfclose{0}; //!< tcp-halfclose-timer (0 = the unit's)
        uint32_t tcpTimewait{0};  //!< tcp-timewait-timer (0 = the unit's)
        uint32_t unreplied{0}; //!< TTL until a reply is seen, keyed protocols (0 = the protocol's)
        uint8_t refreshDir{0}; //!< packets that refresh the timer: 0 both, 1 original, 2 reply

        /// \return true when every field matches
        bool operator==(const TimerSet& o) const
        {
            return tcpHalfopen == o.tcpHalfopen && tcpHalfclose == o.tcpHalfclose &&
                   tcpTimewait == o.tcpTimewait && unreplied == o.unreplied &&
                   refreshDir == o.refreshDir;
        }
    };

    /// \return the index of \p t (interned on first use; 0 when 255 sets exist)
    uint8_t IndexOf(const TimerSet& t);

    const FortiGateConfig& m_config;          //!< the unit's configuration
    std::vector<TimerSet> m_sets{TimerSet{}}; //!< append-only; [0] = none
};

} // namespace ns3

#endif // SESSION_TIMERS_H
