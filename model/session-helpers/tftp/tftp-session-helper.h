/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TFTP_SESSION_HELPER_H
#define FORTIGATE_TFTP_SESSION_HELPER_H

#include "ns3/session-helper.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * The FortiOS `tftp` session helper (UDP 69 by default).
 *
 * A client's RRQ or WRQ opens a one-shot pinhole for the server's answer, which comes from a
 * new port (RFC 1350). The data session it creates is watched by the same helper and closed
 * when the transfer ends: after the acknowledgement of the last (short) data block, or on an
 * ERROR packet. A pinhole nobody uses closes after PINHOLE_TIMEOUT.
 */
class TftpSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;

    /// Pinhole lifetime, seconds (Linux: 300).
    static constexpr uint32_t PINHOLE_TIMEOUT = 300;

  private:
    uint32_t m_pinholeTimeout{PINHOLE_TIMEOUT}; //!< attribute PinholeTimeout, s
};

} // namespace ns3

#endif // FORTIGATE_TFTP_SESSION_HELPER_H
