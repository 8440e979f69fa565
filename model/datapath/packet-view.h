/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PACKET_VIEW_H
#define FORTIGATE_PACKET_VIEW_H

#include "flow-tuple.h"

#include <cstddef>
#include <cstdint>

namespace ns3
{

/**
 * \ingroup fortigate
 * What the datapath needs to know about one IPv4 packet, parsed once on arrival.
 *
 * Pure data parsed from bytes (no ns-3 types), so the offline replay tool and the tests use the
 * same parser as the simulation.
 */
struct PacketView
{
    FlowTuple tuple;        //!< addresses, ports (ICMP echo id, a keyed protocol's key), protocol
    uint16_t ipId{0};       //!< IPv4 identification
    uint16_t fragOffset{0}; //!< fragment offset in 8-byte units
    bool moreFragments{false}; //!< MF bit
    bool l4Valid{false};       //!< the transport header was complete and understood
    uint8_t tcpFlags{0};       //!< TCP flags (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10)
    uint32_t tcpSeq{0};        //!< TCP sequence number
    uint32_t tcpAck{0};        //!< TCP acknowledgement number
    uint16_t tcpWindow{0};     //!< TCP window (as sent, unscaled)
    uint8_t icmpType{0};       //!< ICMP type
    uint8_t icmpCode{0};       //!< ICMP code
    uint16_t icmpSeq{0};       //!< ICMP echo sequence number
    bool icmpError{false};     //!< ICMP error (3, 4, 5, 11, 12) carrying an inner header
    FlowTuple inner;           //!< for ICMP errors: the embedded packet's tuple as it was sent
    uint16_t l4HeaderSize{0};  //!< bytes of the transport header
    uint32_t l4Size{0};        //!< bytes from the transport header to the end of this packet
    uint16_t ipTotalLength{0}; //!< IPv4 total length (header + payload)

    /// \return true for a fragment that is not the first (carries no transport header)
    bool IsLaterFragment() const
    {
        return fragOffset != 0;
    }

    /// \return true for any fragment of a fragmented datagram
    bool IsFragment() const
    {
        return fragOffset != 0 || moreFragments;
    }

    /// \return true for ICMP echo request / reply (id-keyed sessions)
    bool IsIcmpEcho() const
    {
        return tuple.proto == IPPROTO_NUM_ICMP && (icmpType == 8 || icmpType == 0);
    }
};

/**
 * Parse the transport part of a packet.
 *
 * \param l4 bytes starting at the transport header (may be truncated)
 * \param len number of bytes available at \p l4
 * \param v the view, whose tuple src/dst/proto and fragment fields are already set; this fills
 *          ports, flags and ICMP fields and sets l4Valid when the header was complete.
 * Never reads past \p len.
 */
void ParseTransport(const uint8_t* l4, std::size_t len, PacketView& v);

/**
 * Parse a whole IPv4 packet (header included), e.g. from a capture file.
 * \return false when the bytes are not an IPv4 packet with a sane header.
 */
bool ParseIpv4Packet(const uint8_t* ip, std::size_t len, PacketView& v);

} // namespace ns3

#endif // FORTIGATE_PACKET_VIEW_H
