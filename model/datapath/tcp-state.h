/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TCP_STATE_H
#define FORTIGATE_TCP_STATE_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * FortiOS TCP session states, with the numbers `proto_state` prints (fortios.md §2).
 *
 * States are seen from the side that opened the connection (the original direction):
 * FIN_WAIT means the original side closed first, CLOSE_WAIT means the reply side did.
 */
enum TcpSessionState : uint8_t
{
    TCP_S_NONE = 0,        //!< no handshake seen (or a mid-stream packet not yet classified)
    TCP_S_ESTABLISHED = 1, //!< handshake completed (or picked up mid-stream)
    TCP_S_SYN_SENT = 2,    //!< SYN from the original side seen
    TCP_S_SYN_SYNACK = 3,  //!< SYN and the reply's SYN/ACK seen
    TCP_S_FIN_WAIT = 4,    //!< the original side sent FIN first
    TCP_S_TIME_WAIT = 5,   //!< both sides sent FIN (and the last one was acknowledged)
    TCP_S_CLOSE = 6,       //!< RST seen
    TCP_S_CLOSE_WAIT = 7,  //!< the reply side sent FIN first
    TCP_S_LAST_ACK = 8,    //!< reply FIN, then original FIN: waiting for the reply's last ACK
    TCP_S_LISTEN = 9,      //!< kept for the numbering; the model never enters it
};

/// Number of TcpSessionState values (for per-state counters).
constexpr uint8_t TCP_S_COUNT = 10;

/// Timeout of the LAST_ACK state, seconds (FortiOS's session table; no CLI timer sets it).
constexpr uint32_t TCP_LAST_ACK_TIMEOUT = 30;

/// TCP header flag bits (byte 13 of the TCP header).
enum TcpFlagBits : uint8_t
{
    TCP_FLAG_FIN = 0x01,
    TCP_FLAG_SYN = 0x02,
    TCP_FLAG_RST = 0x04,
    TCP_FLAG_PSH = 0x08,
    TCP_FLAG_ACK = 0x10,
};

/**
 * \ingroup fortigate
 * FortiOS session timers in seconds: `config system global` (tcp-*-timer, udp-idle-timer,
 * block-session-timer) and `config system session-ttl` (`default`). Defaults as FortiOS.
 */
struct TcpUdpTimers
{
    uint32_t sessionTtl = 3600;  //!< session-ttl default (300..604800)
    uint32_t tcpHalfopen = 10;   //!< tcp-halfopen-timer
    uint32_t tcpHalfclose = 120; //!< tcp-halfclose-timer
    uint32_t tcpTimewait = 1;    //!< tcp-timewait-timer (0..300)
    uint32_t tcpRst = 5;         //!< tcp-rst-timer
    uint32_t udpIdle = 180;      //!< udp-idle-timer
    uint32_t blockSession = 30;  //!< block-session-timer

    bool operator==(const TcpUdpTimers& o) const
    {
        return sessionTtl == o.sessionTtl && tcpHalfopen == o.tcpHalfopen &&
               tcpHalfclose == o.tcpHalfclose && tcpTimewait == o.tcpTimewait &&
               tcpRst == o.tcpRst && udpIdle == o.udpIdle && blockSession == o.blockSession;
    }

    bool operator!=(const TcpUdpTimers& o) const
    {
        return !(*this == o);
    }
};

/**
 * \ingroup fortigate
 * Apply one TCP packet to a session's TCP state (pure function).
 *
 * \p states is the session's `tcpState[2]` (index 0 = original side, 1 = reply side).
 * The connection state lives in states[0] (the digit `proto_state` prints second); states[1]
 * (printed first) stays TCP_S_NONE as on a FortiGate in flow mode, which only fills it when a
 * proxy terminates the reply side. \p fromReply tells the packet's direction, \p tcpFlags are
 * the header flag bits (TcpFlagBits).
 *
 * Transitions (anything not listed leaves the state unchanged):
 * - RST from either side, any state -> CLOSE
 * - NONE, CLOSE, TIME_WAIT + SYN without ACK from the original side -> SYN_SENT (new or reused
 *   connection)
 * - SYN_SENT + SYN/ACK from the reply side -> SYN_SYNACK
 * - SYN_SYNACK + ACK (no SYN) from the original side -> ESTABLISHED
 * - NONE + ACK without SYN/FIN (session picked up mid-stream) -> ESTABLISHED
 * - ESTABLISHED or SYN_SYNACK + FIN from the original side -> FIN_WAIT, from the reply
 *   side -> CLOSE_WAIT
 * - FIN_WAIT + FIN from the reply side -> TIME_WAIT
 * - CLOSE_WAIT + FIN from the original side -> LAST_ACK
 * - LAST_ACK + ACK without FIN from the reply side -> TIME_WAIT
 *
 * Retransmissions (a second SYN, a repeated FIN) leave the state where it is.
 *
 * \return true when states[0] changed (the caller then re-reads the timeout).
 */
bool TcpStateUpdate(uint8_t (&states)[2], bool fromReply, uint8_t tcpFlags);

/**
 * \ingroup fortigate
 * Timeout (seconds) of a TCP session in \p state.
 *
 * | state | timer |
 * |---|---|
 * | NONE | 10 |
 * | SYN_SENT, SYN_SYNACK | tcp-halfopen-timer (10) |
 * | ESTABLISHED | \p sessionTtl (session-ttl default or matching `config port` entry) |
 * | FIN_WAIT, CLOSE_WAIT | tcp-halfclose-timer (120) |
 * | LAST_ACK | 30 (TCP_LAST_ACK_TIMEOUT; fortios.md's table, no CLI timer) |
 * | TIME_WAIT | tcp-timewait-timer (1) |
 * | CLOSE (after RST) | tcp-rst-timer (5) |
 * | LISTEN | tcp-halfclose-timer (120) |
 *
 * (fortios.md's table lists other defaults for SYN_SENT (120), SYN_SYNACK (60) and CLOSE (10);
 * the model uses the configurable timers those states obey instead: tcp-halfopen-timer, whose
 * default 10 s the issue and `config system global` give, and tcp-rst-timer, 5 s.)
 */
uint32_t TcpStateTimeout(uint8_t state, const TcpUdpTimers& timers, uint32_t sessionTtl);

/**
 * \ingroup fortigate
 * Timeout (seconds) of a UDP session: udp-idle-timer, or \p portTtl when a session-ttl
 * `config port` entry (or a service's session-ttl) matches (pass 0 when none does).
 */
uint32_t UdpTimeout(const TcpUdpTimers& timers, uint32_t portTtl = 0);

/// \return upper-case state name, e.g. "ESTABLISHED" ("UNKNOWN" for values above 9).
const char* TcpSessionStateName(uint8_t state);

/**
 * \ingroup fortigate
 * Two-digit `proto_state` text of a session: reply-side digit, then original-side digit.
 *
 * - TCP: the two TcpSessionState values, e.g. "01" when established, "05" in TIME_WAIT.
 * - UDP: "00" until a reply was seen, then "01" (states[0] = 1 once replied).
 * - ICMP and anything else: always "00".
 *
 * \param proto IP protocol number
 * \param states the session's tcpState[2]
 */
std::string ProtoStateText(uint8_t proto, const uint8_t (&states)[2]);

} // namespace ns3

#endif // FORTIGATE_TCP_STATE_H
