/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PMAP_SESSION_HELPER_H
#define FORTIGATE_PMAP_SESSION_HELPER_H

#include "ns3/session-helper.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * The FortiOS `pmap` session helper (ONC-RPC portmapper, TCP and UDP 111).
 *
 * A client's portmapper v2 GETPORT or rpcbind v3/v4 GETADDR CALL is remembered by its xid; the
 * accepted REPLY with the same xid opens a pinhole from that client to the returned port over
 * the protocol asked for (GETPORT's prot, GETADDR's netid "tcp"/"udp"). Under NAT a GETADDR
 * universal address naming the server is rewritten to the address the client knows it by (a
 * VIP's external address), fixing the XDR string length (and, over TCP, the record mark). TCP
 * segments are parsed as whole records (RFC 5531 record marking); a record cut at the end of a
 * segment is held for the next one. Messages that do not parse, lying XDR lengths and
 * record marks of 0 or 2^31 open nothing and are counted (GetMalformed).
 */
class PmapSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;

    /// \return messages that did not parse (counted, passed unchanged)
    uint64_t GetMalformed() const
    {
        return m_malformed;
    }

    /// \return pinholes opened
    uint64_t GetPinholes() const
    {
        return m_pinholes;
    }

  private:
    /// Inspect one RPC message at \p offset of the payload.
    void InspectMessage(HelperContext& ctx, std::size_t offset, std::size_t len, bool tcp);

    uint32_t m_pinholeTimeout{60}; //!< pinhole lifetime, s (attribute PinholeTimeout)
    uint64_t m_malformed{0};       //!< malformed messages
    uint64_t m_pinholes{0};        //!< pinholes opened
};

} // namespace ns3

#endif // FORTIGATE_PMAP_SESSION_HELPER_H
