/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PARSE_STAGE_H
#define FORTIGATE_PARSE_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage "parse": which FortiGate port the packet arrived on, whether the unit handles
 * it at all (unicast, a FortiGate port, a sane IPv4 header, a TTL that does not expire here),
 * and its headers parsed once into the context's PacketView.
 */
class ParseStage
{
  public:
    /// \param dp the unit's shared parts
    explicit ParseStage(DatapathParts& dp);

    /// \return NEXT with c.ipIf, c.inIf and c.v set; DONE when dropped as malformed;
    ///         NOT_MINE for what ns-3 handles (multicast, broadcast, other devices, TTL expiry)
    StageResult Run(PacketContext& c) const;

    /// Parse \p p with IPv4 header \p h into \p v (transport header and UDP length checks).
    static void ParseView(Ptr<const Packet> p, const Ipv4Header& h, PacketView& v);

  private:
    DatapathParts& m_dp; //!< shared parts
};

} // namespace ns3

#endif // FORTIGATE_PARSE_STAGE_H
