/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_MGCP_SESSION_HELPER_H
#define FORTIGATE_MGCP_SESSION_HELPER_H

#include "ns3/session-helper.h"

#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * Counters of the mgcp session helper (the model's `diagnose sys mgcp-model counters`).
 */
struct MgcpStats
{
    uint64_t datagrams{0};           //!< UDP payloads inspected
    uint64_t commands{0};            //!< commands passed
    uint64_t responses{0};           //!< responses passed
    uint64_t blocked{0};             //!< datagrams dropped (every reason)
    uint64_t malformed{0};           //!< ... because they did not parse (RFC 3435)
    uint64_t noTransaction{0};       //!< ... a response matching no command of the session
    uint64_t wrongRole{0};           //!< ... a command its sender's role may not send
    uint64_t rewritten{0};           //!< datagrams whose bytes were changed
    uint64_t addressesRewritten{0};  //!< endpoint literals, N:, SDP o=/c= addresses changed
    uint64_t mediaPortsMoved{0};     //!< SDP m= ports moved to another free port
    uint64_t mediaNotHandled{0};     //!< SDP media at another address than the sender's
    uint64_t noPortForMedia{0};      //!< media left untranslated: no free port
    uint64_t connectionsCreated{0};  //!< CRCX answered with 2xx and SDP
    uint64_t connectionsModified{0}; //!< MDCX answered with a new SDP
    uint64_t connectionsDeleted{0};  //!< by DLCX, RSIP forced, or the session's end
    uint64_t pinholesOpened{0};      //!< RTP/RTCP pinholes opened
    uint64_t pinholesRefused{0};     //!< pinholes the table refused
    uint64_t pinholesClosed{0};      //!< pinholes removed by MDCX, DLCX, RSIP forced
};

/**
 * \ingroup fortigate
 * The FortiOS `mgcp` session helper (UDP 2427, gateways, and 2727, call agents: session-helper
 * table entries 19 and 20), after RFC 3435 and what FortiOS documents: "RFC 3435 parsing,
 * malformed packets blocked, stateful, NATs embedded addresses (SDP), pinholes opened and
 * closed with the call" (../shared/reference/fortios.md §session helpers).
 *
 * Every datagram is parsed (ParseMgcpDatagram, piggy-backed messages included). It is dropped
 * and counted, with its reason kept for the diagnose command, when:
 * - it does not parse (malformed: a line without CRLF/LF, a wrong version, a bad transaction
 *   id or endpoint name, a parameter line without a name, a bad SDP o=/c=/m= line, ...);
 * - a response matches no command of the session sent the other way (no-transaction; a
 *   retransmitted response to an answered command within TRANSACTION_HISTORY passes);
 * - a command contradicts its sender's role (wrong-role): the side that sent RSIP or NTFY is
 *   a gateway and may send only NTFY, RSIP and DLCX; the side that sent a call agent's command
 *   (EPCF, CRCX, MDCX, RQNT, AUEP, AUCX) may send no RSIP or NTFY.
 *
 * NAT (each only where the address is the packet's source, replaced by its translated source,
 * or its destination, replaced by the translated destination, as the SIP helper's map_addr):
 * endpoint names with an IPv4 literal (`aaln/1@[10.0.1.10]`, the command line, Z:, Z2:), the
 * NotifiedEntity N: (address and port). SDP (`o=`, `c=`, `m=`, `a=rtcp`) only where its
 * address is the sender's own (Linux's direct-media rule for SIP).
 *
 * Media: a 2xx response to CRCX with SDP (the gateway's LocalConnectionDescriptor) opens, per
 * media line, RTP and RTCP pinholes (one-shot, MEDIA_PINHOLE_TIMEOUT) from anyone to the
 * announced address and port, translated to the gateway's own, and reserves that public port
 * for the gateway's own media (NatReservation), the port kept when free. A 2xx to MDCX with a
 * new SDP replaces them; DLCX (either way; by endpoint, call id and connection id, or a
 * wildcard endpoint) and RSIP with restart method `forced` remove them, and close the media
 * sessions they created. SDP in commands (the RemoteConnectionDescriptor) opens nothing.
 *
 * Not modelled: TCP transport, MGCP over IPv6, endpoint names with a host name (they pass
 * unchanged: only literals can be translated), SDP media at an address other than the
 * sender's (counted as mediaNotHandled), the second SDP of a CRCX with a second endpoint,
 * hairpin calls between two gateways behind the same NAT address.
 */
class MgcpSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    MgcpSessionHelper();
    ~MgcpSessionHelper() override;

    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;
    void OnSessionClosed(Session& s) override;

    /// \return the counters
    const MgcpStats& GetStats() const
    {
        return m_stats;
    }

    /// \return connections with pinholes now, over every session
    uint64_t GetActiveConnections() const
    {
        return m_activeConnections;
    }

    /**
     * The model's `diagnose sys mgcp-model counters` text (FortiOS documents no MGCP diagnose
     * command: the output says it is the model's): counters, blocked datagrams by reason and
     * the last few with their reason.
     * \param activePinholes pinholes of this helper in the unit's table now
     */
    std::string StatusText(uint64_t activePinholes) const;

    /// Media pinhole and reservation lifetime, seconds (as the SIP helper's).
    static constexpr uint32_t MEDIA_PINHOLE_TIMEOUT = 180;
    /// How long an answered transaction is remembered (RFC 3435 T-hist), seconds.
    static constexpr uint32_t TRANSACTION_HISTORY = 30;
    /// How long a command waits for its response, seconds (RFC 3435: T-max 20 s, plus margin).
    static constexpr uint32_t TRANSACTION_TIMEOUT = 30;
    /// Transactions remembered per session (oldest forgotten first).
    static constexpr std::size_t MAX_TRANSACTIONS = 64;
    /// Connections per session.
    static constexpr std::size_t MAX_CONNECTIONS = 64;
    /// Blocked datagrams remembered for the diagnose output.
    static constexpr std::size_t BLOCKED_HISTORY = 8;

  private:
    /// Drop the packet, count \p kind ("malformed", "no-transaction", "wrong-role").
    void Block(HelperContext& ctx, const char* kind, const std::string& reason);

    MgcpStats m_stats;                                     //!< counters
    uint64_t m_activeConnections{0};                       //!< connections with pinholes
    std::deque<std::string> m_lastBlocked;                 //!< newest last
    uint32_t m_mediaPinholeTimeout{MEDIA_PINHOLE_TIMEOUT}; //!< attribute MediaPinholeTimeout, s
};

} // namespace ns3

#endif // FORTIGATE_MGCP_SESSION_HELPER_H
