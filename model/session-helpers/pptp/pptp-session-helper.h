/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PPTP_SESSION_HELPER_H
#define FORTIGATE_PPTP_SESSION_HELPER_H

#include "ns3/session-helper.h"

#include <map>
#include <tuple>

namespace ns3
{

struct PptpCall;

/**
 * \ingroup fortigate
 * The FortiOS `pptp` session helper (TCP 1723 by default; fortios.md §6, RFC 2637).
 *
 * The control connection's originator is the client (PNS), the other side the server (PAC).
 * Every control message is parsed (ParsePptpMessages: Length, message type 1, magic cookie,
 * type 1..15, the RFC size of the type); several may share a segment. A segment that does not
 * start at a message boundary (the tail of a split message) is not inspected, as in Linux; a
 * malformed segment is forwarded untouched and opens nothing.
 *
 * Call ID translation: the client's Call ID (Outgoing-Call-Request 7 and Incoming-Call-Reply
 * 10, bytes 12-13; Call-Clear-Request 12) is kept when it is free, i.e. no other call through
 * this FortiGate holds it on the client's translated address towards the same server (as a
 * source port is kept when free; 0 is a Call ID like any other). Only on a collision is it
 * replaced by another value (free on the translated address), so several clients behind one
 * NAT may use the same Call ID towards the same server. In the server's messages the client's Call
 * ID is put back: Outgoing-Call-Reply's Peer's Call ID (bytes 14-15), Incoming-Call-Connected,
 * WAN-Error-Notify and Set-Link-Info's Peer's Call ID (12-13), and Call-Disconnect-Notify's Call ID
 * (servers put the client's Call ID there, as the corpus capture shows and Linux assumes; a Call ID
 * that is the server's own is accepted too, as RFC 2637 words it). All rewrites are 2 bytes, so no
 * TCP sequence adjustment follows.
 *
 * The Call ID the server sees is held from the request until the call ends (no other call of
 * the FortiGate gets it on that address towards that server), which covers the life of the
 * call's pinholes and GRE session.
 *
 * Pinholes (GRE, IP protocol 47, the Call ID as "port"; Linux's 300 s until used), both opened
 * by a successful Outgoing-Call-Reply (or Incoming-Call-Reply), when both Call IDs are known,
 * as Linux does:
 * - server -> client, keyed by the translated client Call ID, leaving with the original one;
 * - client -> server, keyed by the server's Call ID.
 * The first GRE packet through either one makes one GRE session for both directions (the
 * datapath pairs them; see FortiGateNode). A refused call frees its Call ID.
 * Call-Clear-Request removes the call's pinholes; Call-Disconnect-Notify (Linux's moment) and
 * Stop-Control-Connection also close its GRE session, so do a TCP reset and the end of the
 * control session (GRE sessions follow the control connection: ChildrenFollowParent()).
 *
 * The control session gets the PPTP control timeout (ControlTimeout, 30 minutes by default)
 * as its established TTL.
 */
class PptpSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    PptpSessionHelper();
    std::string GetName() const override;
    void OnSessionCreated(Session& s) override;
    void Inspect(HelperContext& ctx) override;
    void OnSessionClosed(Session& s) override;
    bool ChildrenFollowParent() const override;

    /// Pinhole lifetime until used, seconds (Linux: 300; FortiOS does not document it).
    static constexpr uint32_t PINHOLE_TIMEOUT = 300;
    /// TTL of a call's GRE session until both directions are seen, s (Linux: 10 min).
    static constexpr uint32_t GRE_UNREPLIED_TIMEOUT = 600;
    /// TTL of a call's GRE session once both directions were seen, s (Linux: 5 h).
    static constexpr uint32_t GRE_STREAM_TIMEOUT = 18000;

    /// FortiOS's PPTP control connection timeout, seconds (fortios.md §3).
    static constexpr uint32_t DEFAULT_CONTROL_TIMEOUT = 1800;

    /// The pinhole and GRE session timeouts of calls, s (attributes; defaults above).
    struct Timeouts
    {
        uint32_t pinhole;      //!< attribute PinholeTimeout
        uint32_t greUnreplied; //!< attribute GreUnrepliedTimeout
        uint32_t greStream;    //!< attribute GreStreamTimeout
    };

    /// \return segments with a malformed PPTP message (forwarded untouched, nothing opened)
    uint64_t GetMalformedCount() const;
    /// \return segments not inspected because they did not start at a message boundary
    uint64_t GetUnalignedCount() const;
    /// \return client Call IDs that were given another value on the translated address
    uint64_t GetTranslatedCallIdCount() const;
    /// \return calls set up (both pinholes opened)
    uint64_t GetCallsOpened() const;
    /// \return calls torn down (clear, disconnect, stop, reset)
    uint64_t GetCallsClosed() const;
    /// \return translated Call IDs held by calls (set up or being set up)
    uint32_t GetReservedCallIds() const;

  private:
    /**
     * Pick and hold the Call ID a client's \p callId gets on \p publicIp towards \p server:
     * the client's own when no other call of this FortiGate holds it there, else another one
     * free of pinholes, GRE sessions and calls on \p publicIp.
     * \param out the Call ID (0 is a valid one)
     * \return false when none is free on a translated address
     */
    bool ReserveCallId(HelperContext& ctx,
                       uint32_t publicIp,
                       uint32_t server,
                       uint16_t callId,
                       uint16_t& out);
    /// Give a held Call ID back (only the holder, control session \p serial, may).
    void ReleaseCallId(uint32_t publicIp, uint32_t server, uint16_t publicCid, uint32_t serial);
    /// A call ends: its pinholes and GRE session go when \p tearDown, its Call ID is freed.
    void EndCall(HelperContext& ctx, const PptpCall& call, bool tearDown);

    /// A held Call ID: translated client address, server address, Call ID.
    using CallIdKey = std::tuple<uint32_t, uint32_t, uint16_t>;
    /// Held Call IDs -> control session serial, from the request until the call ends (its
    /// pinholes and GRE session go with it): what makes a Call ID taken for the FortiGate.
    std::map<CallIdKey, uint32_t> m_reserved;
    uint32_t m_controlTimeout;                  //!< established TTL of the control session, seconds
    uint32_t m_pinholeTimeout{PINHOLE_TIMEOUT}; //!< attribute PinholeTimeout
    uint32_t m_greUnrepliedTimeout{GRE_UNREPLIED_TIMEOUT}; //!< attribute GreUnrepliedTimeout
    uint32_t m_greStreamTimeout{GRE_STREAM_TIMEOUT};       //!< attribute GreStreamTimeout
    uint64_t m_malformed{0};                               //!< malformed segments
    uint64_t m_unaligned{0};                               //!< segments not at a message boundary
    uint64_t m_translatedCallIds{0};                       //!< Call IDs translated to another value
    uint64_t m_callsOpened{0};                             //!< calls with both pinholes
    uint64_t m_callsClosed{0};                             //!< calls torn down
};

} // namespace ns3

#endif // FORTIGATE_PPTP_SESSION_HELPER_H
