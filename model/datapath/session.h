/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SESSION_H
#define FORTIGATE_SESSION_H

#include "flow-tuple.h"
#include "keyed-protocol.h"
#include "payload-editor.h"
#include "tcp-state.h"

#include <boost/intrusive/list_hook.hpp>
#include <boost/intrusive/unordered_set_hook.hpp>
#include <cstdint>
#include <memory>
#include <string>

namespace ns3
{

class SessionExtension;

/// Direction of a packet relative to its session.
enum class SessionDir : uint8_t
{
    ORIGINAL = 0, //!< same direction as the packet that created the session
    REPLY = 1,    //!< the opposite direction
};

/// Why a session left the table (reported by the session-closed trace).
enum class SessionCloseReason : uint8_t
{
    EXPIRED,   //!< its timer ran out
    TCP_CLOSE, //!< TCP finished (TIME_WAIT/CLOSE timer ran out after FIN/RST)
    CLEARED,   //!< `diagnose sys session clear`
    PARENT,    //!< closed with its parent (session helpers)
    HELPER,    //!< closed by a session helper (e.g. end of a TFTP transfer)
    FLUSH,     //!< whole table flushed (unit stopped)
};

/// \return lower-case name of a close reason ("expired", "tcp-close", ...).
const char* SessionCloseReasonName(SessionCloseReason r);

/// FortiOS `state=` flags of a session (bit values are internal).
enum SessionStateFlag : uint16_t
{
    SES_LOG = 1 << 0,       //!< logged (policy logtraffic all)
    SES_LOCAL = 1 << 1,     //!< to or from the unit's own IP stack
    SES_EXT = 1 << 2,       //!< handled by a session helper (legacy flag)
    SES_MAY_DIRTY = 1 << 3, //!< created by an accept policy
    SES_DIRTY = 1 << 4,     //!< configuration changed: re-evaluate on the next packet
    SES_NPU = 1 << 5,       //!< offloaded (never set by the model, kept for the format)
    SES_REDIR = 1 << 6,     //!< redirected to a proxy helper (an ALG)
    SES_NDR = 1 << 7,       //!< inspected by IPS
    SES_REM = 1 << 8,       //!< may be removed under memory pressure
    SES_BLOCK = 1 << 9,     //!< blocked after re-evaluation; stays until it expires
};

/// \return the FortiOS `state=` text for a flag set, e.g. "log may_dirty" (FortiOS order).
std::string SessionStateFlagsToString(uint16_t flags);

/// Per-direction counters, printed by `statistic(bytes/packets/allow_err)`.
struct SessionCounters
{
    uint64_t bytes{0};    //!< IP bytes seen in this direction
    uint32_t packets{0};  //!< packets seen in this direction
    uint32_t allowErr{0}; //!< packets that passed with an error (kept for the format)
};

/**
 * \ingroup fortigate
 * One FortiOS session: both direction tuples and everything `diagnose sys session list` shows.
 *
 * The two tuples are the packets as they *arrive* at the FortiGate in each direction (before
 * any translation), so the NAT a direction needs is derived from them: a packet of the original
 * direction leaves as `reply.Reversed()`, a reply leaves as `org.Reversed()`.
 *
 * Kept small (the memory target is <= 256 bytes per session including its index share):
 * anything only session helpers need lives in the out-of-line SessionExtension.
 * Plain data: the SessionTable owns sessions and keeps its hooks consistent.
 */
class Session
{
  public:
    using HashHook = boost::intrusive::unordered_set_member_hook<
        boost::intrusive::link_mode<boost::intrusive::normal_link>,
        boost::intrusive::store_hash<false>>;
    using ListHook = boost::intrusive::list_member_hook<
        boost::intrusive::link_mode<boost::intrusive::normal_link>>;

    /// One index entry: a tuple plus the hook that links it into the table's hash index.
    struct Key
    {
        FlowTuple tuple; //!< the tuple of this direction
        HashHook hook;   //!< index hook
        uint8_t dir{0};  //!< SessionDir of this key (set by the Session constructor)
    };

    Session();
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// \return the tuple a packet of direction \p d carries on arrival.
    const FlowTuple& Tuple(SessionDir d) const
    {
        return d == SessionDir::ORIGINAL ? org.tuple : reply.tuple;
    }

    /**
     * \return the tuple a packet of direction \p d must carry when it leaves (after NAT).
     *
     * A keyed protocol (KeyedProtocol) carries the receiver's key, so its two directions carry
     * different keys and neither is the other tuple's port: the addresses come from the other
     * tuple reversed, the key is key[d] (set by the datapath for pinhole-made sessions) or,
     * without keySet, the key the packet arrived with; sport stays 0.
     */
    FlowTuple Translated(SessionDir d) const
    {
        FlowTuple t = d == SessionDir::ORIGINAL ? reply.tuple.Reversed() : org.tuple.Reversed();
        if (KeyedProtocols::IsKeyed(t.proto))
        {
            t.sport = 0;
            t.dport = keySet ? key[static_cast<int>(d)] : Tuple(d).dport;
        }
        return t;
    }

    /// \return true when the original direction's source is translated (SNAT; a keyed
    ///         protocol: the address).
    bool IsSnat() const
    {
        if (KeyedProtocols::IsKeyed(org.tuple.proto))
        {
            return org.tuple.src != reply.tuple.dst;
        }
        return org.tuple.src != reply.tuple.dst || org.tuple.sport != reply.tuple.dport;
    }

    /// \return true when the original direction's destination is translated (DNAT / VIP; a
    ///         keyed protocol: the address).
    bool IsDnat() const
    {
        if (KeyedProtocols::IsKeyed(org.tuple.proto))
        {
            return org.tuple.dst != reply.tuple.src;
        }
        return org.tuple.dst != reply.tuple.src || org.tuple.dport != reply.tuple.sport;
    }

    /// \return the extension (session helpers), created on first use.
    SessionExtension& Ext();

    /// \return the extension or nullptr.
    SessionExtension* ExtOrNull() const
    {
        return m_ext.get();
    }

    Key org;   //!< original direction (as it arrives)
    Key reply; //!< reply direction (as it arrives)

    ListHook wheelHook; //!< timer-wheel slot membership (SessionTable internal)
    ListHook allHook;   //!< creation-order list (SessionTable internal, deterministic walks)

    int64_t createdNs{0};       //!< simulated time of creation (ns)
    int64_t lastSeenNs{0};      //!< simulated time of the last packet (ns)
    int64_t wheelDeadlineNs{0}; //!< deadline this session is filed under (SessionTable internal)

    SessionCounters counters[2]; //!< per direction (index = SessionDir)

    uint32_t serial{0};            //!< FortiOS serial, printed in hex
    uint32_t policyId{0};          //!< accepting policy id (0 = implicit deny / local)
    uint32_t timeout{0};           //!< TTL of the current state, seconds
    uint32_t establishedTtl{3600}; //!< TTL once established / UDP replied (session-ttl)
    uint32_t gateway[2]{0, 0};     //!< next hop per direction (host order), for `gwy=`

    uint16_t flags{0};         //!< SessionStateFlag bits
    uint8_t inIf[2]{0, 0};     //!< arrival interface index per direction
    uint8_t tcpState[2]{0, 0}; //!< FortiOS TCP state per direction (TcpSessionState), or
                               //!< UDP: [ORIGINAL] = 1 once a reply was seen
    uint8_t helperId{0};       //!< session helper (0 = none), see SessionHelper registry
    /**
     * Cached route per direction (RouteCache): ns-3 IPv4 interface + 1 of direction 0 in the
     * low nibble, of direction 1 in the high nibble (0 = none); with gateway[d], FortiOS's
     * `dev=`/`gwy=` of a session.
     */
    uint8_t routeIf{0};
    uint16_t natPool{0};   //!< IP pool the SNAT came from (FortiGateNode's id; 0 = none)
    uint16_t key[2]{0, 0}; //!< keyed protocol: the key a packet of direction d leaves with
    bool keySet{false};    //!< keyed protocol: key is set (0 is a valid key)
    uint8_t timerSet{0};   //!< timers / refresh direction of its own (FortiGateNode's; 0 = none)

  private:
    std::unique_ptr<SessionExtension> m_ext; //!< helper state, NAT seq offsets, parent links
};

/**
 * \ingroup fortigate
 * Per-session state a session helper keeps (held by the session's extension; derive from it).
 */
class HelperState
{
  public:
    virtual ~HelperState() = default;
};

/**
 * \ingroup fortigate
 * Rarely needed per-session state, allocated only for sessions that use it (session helpers):
 * the parent link, TCP sequence corrections after payload edits, the helper's own state.
 */
class SessionExtension
{
  public:
    Session* parent{nullptr}; //!< session that announced this one, or nullptr
    uint32_t parentSerial{0}; //!< serial of the parent (kept after the parent closes)
    uint8_t parentHelper{0};  //!< helper of the parent that opened this child (diagnose shows it)
    TcpSeqAdjust seq[2];      //!< per direction (index = SessionDir)
    std::unique_ptr<HelperState> state; //!< the helper's own state

    /// \return the helper's own state as a \p T, created on first use
    template <class T>
    T& State()
    {
        if (!state)
        {
            state = std::make_unique<T>();
        }
        return static_cast<T&>(*state);
    }
};

} // namespace ns3

#endif // FORTIGATE_SESSION_H
