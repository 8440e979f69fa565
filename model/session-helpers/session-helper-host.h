/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SESSION_HELPER_HOST_H
#define FORTIGATE_SESSION_HELPER_HOST_H

#include "ns3/expectation-table.h"
#include "ns3/session.h"

#include <cstdint>
#include <functional>
#include <string>

namespace ns3
{

struct HelperContext;

/**
 * \ingroup fortigate
 * What a session helper may ask of the unit that hosts it (architecture §6): open and remove
 * pinholes, find and reserve public ports, close the sessions its pinholes created, answer a
 * packet, and reach a session by serial from its timer housekeeping. The datapath implements
 * it once per unit (DatapathHelperHost, bound to the unit's tables when the unit is built);
 * tests implement it with fakes that record what a helper asked.
 *
 * The session a call acts for is passed explicitly: a helper reaches these through its
 * HelperContext (ctx.OpenPinhole(e) etc.), which passes its own session.
 */
class SessionHelperHost
{
  public:
    virtual ~SessionHelperHost() = default;

    /**
     * Open pinhole (expectation) \p e for session \p s (e.inIf 0: the interface \p s's
     * replies arrive on). \return false when refused
     */
    virtual bool OpenPinhole(const Session& s, const Expectation& e) = 0;

    /**
     * \return a free port on translated address \p ip for a pinhole of \p proto, \p preferred
     * when free (Linux and FortiOS keep the announced port when they can); 0 when none is free
     */
    virtual uint16_t AllocatePort(uint8_t proto, uint32_t ip, uint16_t preferred) = 0;

    /**
     * AllocatePort for media of private endpoint \p privIp:\p privPort the helper is about to
     * announce at \p pubIp: ports held only by that endpoint itself (its own sessions, a
     * pinhole or reservation leading to it) count as free, so a phone calling again within the
     * UDP idle time keeps its port.
     */
    virtual uint16_t AllocatePortFor(uint8_t proto,
                                     uint32_t pubIp,
                                     uint16_t preferred,
                                     uint32_t privIp,
                                     uint16_t privPort) = 0;

    /**
     * \return the port private endpoint \p privIp:\p privPort is mapped to on translated
     * address \p pubIp now (its NAT reservation, else its newest session translated to
     * \p pubIp), 0 when none. Announcing that port keeps one mapping per endpoint.
     */
    virtual uint16_t MappedPort(uint8_t proto,
                                uint32_t privIp,
                                uint16_t privPort,
                                uint32_t pubIp) = 0;

    /**
     * Register NAT reservation \p r for session \p s (see NatReservation): the endpoint's new
     * sessions leave from exactly the announced public port, and no one else gets it. It goes
     * with \p s, with RemoveReservations, or at its expiry.
     * \return false when refused (another endpoint holds the port; the table is full)
     */
    virtual bool ReserveNat(const Session& s, const NatReservation& r) = 0;

    /// Remove the reservations session \p s made that \p pred selects. \return how many
    virtual uint32_t RemoveReservations(const Session& s,
                                        const std::function<bool(const NatReservation&)>& pred) = 0;

    /// Remove the pinholes session \p s opened that \p pred selects (e.g. RTSP TEARDOWN, or a
    /// wildcard pinhole replaced by a precise one). \return how many
    virtual uint32_t RemovePinholes(const Session& s,
                                    const std::function<bool(const Expectation&)>& pred) = 0;

    /**
     * Close the sessions \p s's pinholes created that \p pred selects (e.g. the GRE session of
     * a cleared PPTP call), right after the packet being inspected is forwarded.
     * \return how many will close
     */
    virtual uint32_t CloseChildren(const Session& s,
                                   const std::function<bool(const Session&)>& pred) = 0;

    /**
     * Send \p payload back to the sender of the packet \p ctx inspects, from the address and
     * port it was sent to (the unit answers in the peer's name, as a proxy does; the SIP ALG's
     * `respond` action). \return false when it cannot be sent (no packet; TCP: a stream cannot
     * take bytes the peer did not send; no route)
     */
    virtual bool SendReply(const HelperContext& ctx, const std::string& payload) = 0;

    /**
     * Run \p fn with a context of session \p serial and no packet (empty payload, view.tuple =
     * the session's original tuple, dir ORIGINAL): its RemovePinholes / RemoveReservations act
     * on that session's pinholes and reservations; nothing is forwarded, so drop, close, hold
     * and the editor are ignored, and SendReply fails.
     * \return false when no such session exists (fn is not called)
     */
    virtual bool WithSession(uint32_t serial,
                             int64_t nowNs,
                             const std::function<void(HelperContext&)>& fn) = 0;
};

} // namespace ns3

#endif // FORTIGATE_SESSION_HELPER_HOST_H
