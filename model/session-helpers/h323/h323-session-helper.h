/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_H323_SESSION_HELPER_H
#define FORTIGATE_H323_SESSION_HELPER_H

#include "ns3/session-helper.h"

#include <string>

namespace ns3
{

struct H323Decoded;

/**
 * \ingroup fortigate
 * What the H.323 family of helpers (h323, ras, h245I, h245O) counted.
 */
struct H323Counters
{
    uint64_t messages{0};  //!< messages decoded (OK or stopped at an undescribed member)
    uint64_t malformed{0}; //!< messages whose PER or Q.931 framing is broken (passed unchanged)
    uint64_t notTpkt{0};   //!< TCP payloads that do not start a TPKT frame (passed)
    uint64_t rewritten{0}; //!< transport addresses rewritten under NAT
    uint64_t pinholes{0};  //!< pinholes opened
    uint64_t refused{0};   //!< pinholes the table refused
    uint64_t alternateGatekeepers{0}; //!< alternate gatekeepers seen in GCF/RCF
};

/**
 * \ingroup fortigate
 * The FortiOS H.323 session helpers: `h323` (Q.931 / H.225.0 call signalling over TPKT, TCP
 * 1720), `h245I` and `h245O` (H.245 on a configured port) and `ras` (H.225.0 RAS, UDP 1719).
 *
 * Every message is decoded with the table-driven PER decoder (h323-asn1.h). As Linux's
 * nf_conntrack_h323 does, only the transport addresses that are the sender's own address are
 * acted on: under NAT they are rewritten in place to the translated address and a port the
 * unit allocates (IPv4 addresses and ports have a fixed size in PER: the message length never
 * changes), and a pinhole is opened for the connection the peer will make to them: H.245
 * (h245Address; the child is bound to this helper so its OpenLogicalChannel messages are
 * seen), RTP and RTCP (mediaChannel, mediaControlChannel of fastStart, tunnelled h245Control
 * and H.245 OpenLogicalChannel / Ack), call signalling (sourceCallSignalAddress, RAS
 * callSignalAddress). A gatekeeper's ACF opens the call-signalling pinhole to the
 * destCallSignalAddress it announces, and the alternateGatekeeper list of GCF/RCF opens a RAS
 * pinhole to each alternate gatekeeper (and is translated when it names the gatekeeper
 * itself). Malformed messages are passed unchanged, open nothing and are counted.
 */
class H323SessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    /// Make the helper of FortiOS name \p name (h323, h245I, h245O or ras).
    explicit H323SessionHelper(const std::string& name = "h323");
    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;

    /// \return what was counted
    const H323Counters& GetCounters() const
    {
        return m_counters;
    }

    /// \return the model's `diagnose` text of the counters
    std::string CountersText() const;

    /// Apply the decoded message \p d (offsets relative to \p base of the payload).
    void Apply(HelperContext& ctx, const H323Decoded& d, std::size_t base, bool ras);

  private:
    /// Handle a TCP payload (Q.931 or H.245 in TPKT frames).
    void InspectStream(HelperContext& ctx);

    std::string m_name;             //!< FortiOS name
    uint32_t m_pinholeTimeout{120}; //!< pinhole lifetime, s (attribute PinholeTimeout)
    H323Counters m_counters;        //!< counters
};

/// \ingroup fortigate
/// The `h245I` helper (H.245 calls in).
class H245InSessionHelper : public H323SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    H245InSessionHelper();
};

/// \ingroup fortigate
/// The `h245O` helper (H.245 calls out).
class H245OutSessionHelper : public H323SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    H245OutSessionHelper();
};

/// \ingroup fortigate
/// The `ras` helper (H.225.0 RAS, UDP 1719).
class RasSessionHelper : public H323SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    RasSessionHelper();
};

} // namespace ns3

#endif // FORTIGATE_H323_SESSION_HELPER_H
