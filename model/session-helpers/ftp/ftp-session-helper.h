/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FTP_SESSION_HELPER_H
#define FORTIGATE_FTP_SESSION_HELPER_H

#include "ns3/session-helper.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * The FortiOS `ftp` session helper (TCP 21 by default).
 *
 * Watches PORT and EPRT from the client and the 227 (PASV) and 229 (EPSV) replies of the
 * server, on complete lines only, and only in segments that begin a line (the sequence number
 * right after a newline, or the stream start): a command split over segments, or the tail of a
 * line that looks like one, is ignored, as Linux's seq_aft_nl tracking does. A retransmitted
 * announcement is rewritten to the same port as the first copy.
 * When the announced address is the sender's own address (Linux's loose=0 rule: anything else
 * is ignored) it rewrites the address/port text to the translated address and a free port on it
 * (the announced port when free) and opens a one-shot pinhole for the data connection, which
 * then needs no policy. Length changes are carried by the datapath's TCP sequence adjustment.
 */
class FtpSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;

    /// Pinhole lifetime, seconds (Linux: 300; FortiOS does not document it).
    static constexpr uint32_t PINHOLE_TIMEOUT = 300;

  private:
    uint32_t m_pinholeTimeout{PINHOLE_TIMEOUT}; //!< attribute PinholeTimeout, s
};

} // namespace ns3

#endif // FORTIGATE_FTP_SESSION_HELPER_H
