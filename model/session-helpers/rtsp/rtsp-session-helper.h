/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RTSP_SESSION_HELPER_H
#define FORTIGATE_RTSP_SESSION_HELPER_H

#include "ns3/session-helper.h"

#include <cstddef>
#include <cstdint>

namespace ns3
{

/**
 * \ingroup fortigate
 * The FortiOS `rtsp` session helper (TCP 554, 7070 and 8554 by default: session-helper table
 * entries 6, 7 and 8).
 *
 * It follows the RTSP control connection message by message (requests client -> server,
 * replies server -> client; Content-Length bodies such as DESCRIBE's SDP and `$` interleaved
 * frames are skipped), parsing only complete messages that start a segment or follow a
 * complete one in the same segment. A message whose header is split over segments is let
 * through unchanged and opens nothing (the stream is resynchronised on the next segment that
 * starts with a request or status line); an invalid message (RtspParseStatus::INVALID, e.g.
 * `client_port=70000-70001` or `5000-4000`) is let through unchanged and opens nothing.
 *
 * - SETUP (client -> server, with CSeq): for every RTP-over-UDP unicast transport
 *   specification with `client_port=` (and a `destination=` that is absent or the client's own
 *   address) it picks the client's translated ports (the announced ones when free on the
 *   translated address, else another free block of the same width and parity), rewrites
 *   `client_port=` (and `destination=`) when the client is behind SNAT, and opens one UDP
 *   pinhole per port for the media from the server (its real address, any source port) to the
 *   translated address and port, translated back to the client's real address and port. A
 *   server behind a VIP appears as the VIP address in the media (natSrc).
 * - The SETUP reply (matched by CSeq): a 2xx with a Transport picks the specification the
 *   server chose, rewrites its `client_port=`/`destination=` back to the client's own values,
 *   records the Session id and, with `server_port=`, narrows the pinholes to the server's
 *   source ports. Behind a VIP the server's ports are kept when free on the VIP address (else
 *   translated, `server_port=` rewritten), `source=` is rewritten to the VIP address and
 *   pinholes for the client's packets to the server's ports (RTCP receiver reports) are
 *   opened. Pinholes of specifications the server did not choose, or of a failed SETUP
 *   (status >= 300), are removed.
 * - TEARDOWN (client -> server) with a Session id removes the pinholes of every stream of
 *   that RTSP session. The datapath removes the rest when the control session closes.
 *
 * Limits: MAX_STREAMS streams per control connection; pinholes live PINHOLE_TIMEOUT seconds
 * unused and are one-shot (the first media packet creates the child session).
 */
class RtspSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;

    /// Pinhole lifetime, seconds (netfilter.md: 300 s).
    static constexpr uint32_t PINHOLE_TIMEOUT = 300;
    /// Streams remembered per control connection.
    static constexpr std::size_t MAX_STREAMS = 8;

  private:
    uint32_t m_pinholeTimeout{PINHOLE_TIMEOUT}; //!< attribute PinholeTimeout, s
};

} // namespace ns3

#endif // FORTIGATE_RTSP_SESSION_HELPER_H
