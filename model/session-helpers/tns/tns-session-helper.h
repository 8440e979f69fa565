/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TNS_SESSION_HELPER_H
#define FORTIGATE_TNS_SESSION_HELPER_H

#include "ns3/session-helper.h"

namespace ns3
{

struct TnsPacket;

/**
 * \ingroup fortigate
 * The FortiOS `tns` session helper (Oracle TNS listener, TCP 1521).
 *
 * The listener's REDIRECT (packet type 5) carries `(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=p))`:
 * the helper opens a temporary pinhole from the client to h:p (the handbook's "temporary
 * firewall policy"), and when h is the listener's own address and the client knows the
 * listener by another (a VIP), rewrites HOST to that address and fixes the TNS packet length
 * and connect-data length. The new connection is bound to this helper too (it may redirect
 * again). CONNECT (and the CONNECT sent again after a RESEND) is parsed for its ADDRESS and
 * counted; an ACCEPT of version 315 or later switches the connection to 32-bit packet lengths.
 * Packets whose lengths run past the segment or lie open nothing and are counted.
 */
class TnsSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;

    /// \return packets that did not parse
    uint64_t GetMalformed() const
    {
        return m_malformed;
    }

    /// \return REDIRECTs that opened a pinhole
    uint64_t GetRedirects() const
    {
        return m_redirects;
    }

    /// \return CONNECT packets seen
    uint64_t GetConnects() const
    {
        return m_connects;
    }

  private:
    /// Handle the REDIRECT \p p at \p offset of the payload.
    void Redirect(HelperContext& ctx, std::size_t offset, const TnsPacket& p);

    uint32_t m_pinholeTimeout{30}; //!< pinhole lifetime, s (attribute PinholeTimeout)
    uint64_t m_malformed{0};       //!< malformed packets
    uint64_t m_redirects{0};       //!< redirects followed
    uint64_t m_connects{0};        //!< CONNECTs seen
};

} // namespace ns3

#endif // FORTIGATE_TNS_SESSION_HELPER_H
