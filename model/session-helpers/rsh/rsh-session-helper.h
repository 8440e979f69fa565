/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RSH_SESSION_HELPER_H
#define FORTIGATE_RSH_SESSION_HELPER_H

#include "ns3/session-helper.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * The FortiOS `rsh` session helper (TCP 514 and 512 by default).
 *
 * The client's first bytes carry the port of its stderr channel (ASCII, NUL-terminated); the
 * server connects back to it. The helper opens a one-shot pinhole for that connection to the
 * client's translated address, translating the port when it is taken (and rewriting the text).
 * Only the segment that begins the client's stream (ISN + 1, from the SYN) is parsed, once: a
 * start that is incomplete in that segment (split over segments) or invalid opens nothing, and
 * no later data is read as a port. A retransmission of the start is rewritten alike.
 */
class RshSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;

    /// Pinhole lifetime, seconds.
    static constexpr uint32_t PINHOLE_TIMEOUT = 60;

  private:
    uint32_t m_pinholeTimeout{PINHOLE_TIMEOUT}; //!< attribute PinholeTimeout, s
};

} // namespace ns3

#endif // FORTIGATE_RSH_SESSION_HELPER_H
