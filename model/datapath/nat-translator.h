/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_NAT_TRANSLATOR_H
#define FORTIGATE_NAT_TRANSLATOR_H

#include "flow-tuple.h"
#include "packet-view.h"

#include "ns3/ipv4-header.h"
#include "ns3/packet.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * RFC 1624 incremental update of an Internet checksum: \p oldSum covered \p oldWords, which are
 * replaced by \p newWords (16-bit words in host order). Pure function.
 */
uint16_t ChecksumAdjust(uint16_t oldSum,
                        const uint16_t* oldWords,
                        const uint16_t* newWords,
                        std::size_t n);

/**
 * \ingroup fortigate
 * Rewrites a packet from the tuple it arrived with (\p v) to \p to.
 *
 * The IPv4 header \p ip (already removed from the packet by ns-3) gets the new addresses; the
 * transport header gets the new ports / ICMP echo id, with its checksum fixed when ns-3
 * checksums are enabled. Uses ns-3's own header classes, so packet metadata stays consistent.
 * UDP checksums are updated incrementally, which keeps them right for the first fragment of a
 * fragmented datagram too; later fragments only get the IP-header change.
 *
 * \return the packet to forward: \p p itself when its bytes do not change, else a new one.
 */
/**
 * \ingroup fortigate
 * Copy the packet tags and byte tags of \p from onto \p to (a packet rebuilt from a rewritten
 * payload), so FlowMonitor's byte tag and a user's tags survive a session helper's rewrite.
 * Byte tags cover all of \p to; a packet tag \p to already has is replaced.
 */
void CopyTags(Ptr<const Packet> from, Ptr<Packet> to);

Ptr<const Packet> TranslatePacket(Ptr<const Packet> p,
                                  Ipv4Header& ip,
                                  const PacketView& v,
                                  const FlowTuple& to,
                                  bool checksums);

/**
 * \ingroup fortigate
 * Rewrites a packet of a session-helper session: like TranslatePacket, and also replaces the
 * transport payload with \p payload (when not nullptr; the IP and UDP lengths follow) and
 * shifts the TCP sequence number by \p seqDelta and the acknowledgement by -\p ackDelta.
 * Checksums are recomputed when ns-3 checksums are enabled.
 */
Ptr<const Packet> RewritePacket(Ptr<const Packet> p,
                                Ipv4Header& ip,
                                const PacketView& v,
                                const FlowTuple& to,
                                bool checksums,
                                const std::vector<uint8_t>* payload,
                                int32_t seqDelta,
                                int32_t ackDelta);

/// \return the Internet checksum (one's complement sum, complemented) of \p len bytes,
///         starting from the partial sum \p initial.
uint16_t InternetChecksum(const uint8_t* data, std::size_t len, uint32_t initial = 0);

/**
 * \ingroup fortigate
 * Rewrites an ICMP error (destination unreachable, time exceeded) of a translated session: the
 * outer addresses become \p outerSrc / \p outerDst, the embedded header and ports become
 * \p innerTo. \return the new packet, or nullptr when the error cannot be rewritten.
 */
Ptr<const Packet> TranslateIcmpError(Ptr<const Packet> p,
                                     Ipv4Header& ip,
                                     const PacketView& v,
                                     const FlowTuple& innerTo,
                                     uint32_t outerSrc,
                                     uint32_t outerDst,
                                     bool checksums);

} // namespace ns3

#endif // FORTIGATE_NAT_TRANSLATOR_H
