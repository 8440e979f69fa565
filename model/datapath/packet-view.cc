/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "packet-view.h"

#include "keyed-protocol.h"

#include "ns3/log.h"

#include <boost/endian/conversion.hpp>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGatePacketView");

using boost::endian::load_big_u16;
using boost::endian::load_big_u32;

namespace
{

/// \return true when the \p n option bytes at \p o are a well-formed TCP option list
bool
TcpOptionsWellFormed(const uint8_t* o, std::size_t n)
{
    std::size_t i = 0;
    while (i < n)
    {
        if (o[i] == 0)
        {
            return true; // end of option list: the rest is padding
        }
        if (o[i] == 1)
        {
            ++i; // no-operation
            continue;
        }
        if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
        {
            return false;
        }
        i += o[i + 1];
    }
    return true;
}

bool
IsIcmpErrorType(uint8_t type)
{
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

} // namespace

void
ParseTransport(const uint8_t* l4, std::size_t len, PacketView& v)
{
    v.l4Valid = false;
    if (v.IsLaterFragment())
    {
        return;
    }
    switch (v.tuple.proto)
    {
    case IPPROTO_NUM_TCP:
        if (len >= 20)
        {
            v.tuple.sport = load_big_u16(l4);
            v.tuple.dport = load_big_u16(l4 + 2);
            v.tcpSeq = load_big_u32(l4 + 4);
            v.tcpAck = load_big_u32(l4 + 8);
            v.tcpWindow = load_big_u16(l4 + 14);
            v.l4HeaderSize = static_cast<uint16_t>((l4[12] >> 4) * 4);
            v.tcpFlags = l4[13] & 0x3f;
            // The whole header must be there, with options that walk to its end (a
            // length below 2 or past the header is malformed).
            v.l4Valid = v.l4HeaderSize >= 20 && len >= v.l4HeaderSize &&
                        TcpOptionsWellFormed(l4 + 20, v.l4HeaderSize - 20u);
        }
        break;
    case IPPROTO_NUM_UDP:
        if (len >= 8)
        {
            v.tuple.sport = load_big_u16(l4);
            v.tuple.dport = load_big_u16(l4 + 2);
            v.l4HeaderSize = 8;
            v.l4Valid = true;
        }
        break;
    case IPPROTO_NUM_ICMP:
        if (len >= 8)
        {
            v.icmpType = l4[0];
            v.icmpCode = l4[1];
            v.l4HeaderSize = 8;
            if (v.icmpType == 8 || v.icmpType == 0)
            {
                v.tuple.sport = v.tuple.dport = load_big_u16(l4 + 4);
                v.icmpSeq = load_big_u16(l4 + 6);
                v.l4Valid = true;
            }
            else if (IsIcmpErrorType(v.icmpType))
            {
                // Inner IPv4 header + at least 8 bytes of its payload.
                const uint8_t* in = l4 + 8;
                std::size_t inLen = len - 8;
                if (inLen >= 20 && (in[0] >> 4) == 4)
                {
                    std::size_t ihl = (in[0] & 0x0f) * 4u;
                    if (ihl >= 20 && inLen >= ihl)
                    {
                        v.inner = FlowTuple{};
                        v.inner.proto = in[9];
                        v.inner.src = load_big_u32(in + 12);
                        v.inner.dst = load_big_u32(in + 16);
                        const uint8_t* il4 = in + ihl;
                        std::size_t il4Len = inLen - ihl;
                        if ((v.inner.proto == IPPROTO_NUM_TCP ||
                             v.inner.proto == IPPROTO_NUM_UDP) &&
                            il4Len >= 4)
                        {
                            v.inner.sport = load_big_u16(il4);
                            v.inner.dport = load_big_u16(il4 + 2);
                            v.icmpError = true;
                        }
                        else if (v.inner.proto == IPPROTO_NUM_ICMP && il4Len >= 8 &&
                                 (il4[0] == 8 || il4[0] == 0))
                        {
                            v.inner.sport = v.inner.dport = load_big_u16(il4 + 4);
                            v.icmpError = true;
                        }
                        else if (v.inner.proto != IPPROTO_NUM_TCP &&
                                 v.inner.proto != IPPROTO_NUM_UDP &&
                                 v.inner.proto != IPPROTO_NUM_ICMP)
                        {
                            v.icmpError = true;
                        }
                    }
                }
                v.l4Valid = v.icmpError;
            }
            else
            {
                v.l4Valid = true; // other ICMP: a session keyed by addresses only
            }
        }
        break;
    default:
        if (const KeyedProtocol* k = KeyedProtocols::Find(v.tuple.proto))
        {
            // A keyed protocol (a helper declared it): its key plays the destination port.
            v.l4Valid = k->readKey(l4, len, v.tuple.dport, v.l4HeaderSize);
            break;
        }
        v.l4Valid = true; // other protocols: address-only sessions
        break;
    }
}

bool
ParseIpv4Packet(const uint8_t* ip, std::size_t len, PacketView& v)
{
    if (len < 20 || (ip[0] >> 4) != 4)
    {
        return false;
    }
    std::size_t ihl = (ip[0] & 0x0f) * 4u;
    uint16_t total = load_big_u16(ip + 2);
    if (ihl < 20 || len < ihl || total < ihl)
    {
        return false;
    }
    v = PacketView{};
    v.ipTotalLength = total;
    v.ipId = load_big_u16(ip + 4);
    uint16_t frag = load_big_u16(ip + 6);
    v.moreFragments = (frag & 0x2000) != 0;
    v.fragOffset = frag & 0x1fff;
    v.tuple.proto = ip[9];
    v.tuple.src = load_big_u32(ip + 12);
    v.tuple.dst = load_big_u32(ip + 16);
    std::size_t avail = (total < len ? total : len) - ihl;
    v.l4Size = static_cast<uint32_t>(avail);
    ParseTransport(ip + ihl, avail, v);
    return true;
}

} // namespace ns3
