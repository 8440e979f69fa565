/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_DCERPC_SESSION_HELPER_H
#define FORTIGATE_DCERPC_SESSION_HELPER_H

#include "ns3/session-helper.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * The FortiOS `dcerpc` session helper (DCE-RPC endpoint mapper, TCP and UDP 135).
 *
 * Connection-oriented (TCP): a bind or alter_context naming the endpoint mapper's interface
 * (e1af8308-5d1f-11c9-91a4-08002b14a0fa) marks its presentation context; an ept_map request
 * on it is remembered by call id with the interface it asks for. Connectionless (UDP): an
 * ept_map request to the endpoint mapper's interface is remembered by activity and sequence
 * number. The response's towers (NDR, floors: interface, protocol, port, IPv4 address) each
 * open a pinhole from the client to the tower's port; under NAT an address floor naming the
 * server is rewritten to the address the client knows it by (same length: no other field
 * changes). As FortiOS documents, a PDU fragmented in the RPC layer is not parsed and passes
 * (GetFragmented counts them); malformed PDUs and NDR whose counts lie open nothing and are
 * counted (GetMalformed).
 */
class DceRpcSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;

    /// \return PDUs or stubs that did not parse
    uint64_t GetMalformed() const
    {
        return m_malformed;
    }

    /// \return RPC-layer fragments passed unparsed
    uint64_t GetFragmented() const
    {
        return m_fragmented;
    }

    /// \return pinholes opened
    uint64_t GetPinholes() const
    {
        return m_pinholes;
    }

  private:
    /// Inspect one PDU at \p offset of the payload.
    void InspectPdu(HelperContext& ctx, std::size_t offset);

    uint32_t m_pinholeTimeout{60}; //!< pinhole lifetime, s (attribute PinholeTimeout)
    uint64_t m_malformed{0};       //!< malformed PDUs or stubs
    uint64_t m_fragmented{0};      //!< fragmented PDUs passed
    uint64_t m_pinholes{0};        //!< pinholes opened
};

} // namespace ns3

#endif // FORTIGATE_DCERPC_SESSION_HELPER_H
