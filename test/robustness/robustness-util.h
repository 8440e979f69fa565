/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared by the robustness tests (test/robustness/) and the soak benchmark: crafted IPv4
 * packets sent with a raw socket (IpHeaderInclude), and a scanner that probes every port of an
 * address with marked TCP SYNs and UDP datagrams (the mark carries the probed port, so a probe
 * that reaches a host after NAT still says which public port it was sent to).
 */
#ifndef FORTIGATE_TEST_ROBUSTNESS_UTIL_H
#define FORTIGATE_TEST_ROBUSTNESS_UTIL_H

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

namespace ns3
{
namespace robust
{

/// A raw IPv4 socket on \p node that sends whole packets (the caller writes the header).
inline Ptr<Socket>
RawSender(Ptr<Node> node)
{
    Ptr<Socket> raw = Socket::CreateSocket(node, Ipv4RawSocketFactory::GetTypeId());
    raw->SetAttribute("IpHeaderInclude", BooleanValue(true));
    return raw;
}

/// A packet of \p l4 bytes under an IPv4 header \p src -> \p dst, protocol \p proto.
inline Ptr<Packet>
MakeIpPacket(Ipv4Address src,
             Ipv4Address dst,
             uint8_t proto,
             const std::vector<uint8_t>& l4,
             uint8_t ttl = 64)
{
    Ipv4Header h;
    h.SetSource(src);
    h.SetDestination(dst);
    h.SetProtocol(proto);
    h.SetTtl(ttl);
    h.SetPayloadSize(static_cast<uint16_t>(l4.size()));
    Ptr<Packet> p = Create<Packet>(l4.data(), l4.size());
    p->AddHeader(h);
    return p;
}

inline void
Put16(std::vector<uint8_t>& b, std::size_t at, uint16_t v)
{
    b[at] = static_cast<uint8_t>(v >> 8);
    b[at + 1] = static_cast<uint8_t>(v);
}

inline void
Put32(std::vector<uint8_t>& b, std::size_t at, uint32_t v)
{
    Put16(b, at, static_cast<uint16_t>(v >> 16));
    Put16(b, at + 2, static_cast<uint16_t>(v));
}

inline uint16_t
Get16(const std::vector<uint8_t>& b, std::size_t at)
{
    return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}

/// A TCP header (20 bytes + \p options, no payload).
inline std::vector<uint8_t>
TcpBytes(uint16_t sport,
         uint16_t dport,
         uint32_t seq,
         uint8_t flags,
         const std::vector<uint8_t>& options = {},
         std::size_t payload = 0)
{
    std::vector<uint8_t> b(20 + options.size() + payload, 0);
    Put16(b, 0, sport);
    Put16(b, 2, dport);
    Put32(b, 4, seq);
    b[12] = static_cast<uint8_t>(((20 + options.size()) / 4) << 4);
    b[13] = flags;
    Put16(b, 14, 65535);
    std::copy(options.begin(), options.end(), b.begin() + 20);
    return b;
}

/// A UDP header and \p payload.
inline std::vector<uint8_t>
UdpBytes(uint16_t sport, uint16_t dport, const std::vector<uint8_t>& payload)
{
    std::vector<uint8_t> b(8 + payload.size(), 0);
    Put16(b, 0, sport);
    Put16(b, 2, dport);
    Put16(b, 4, static_cast<uint16_t>(b.size()));
    std::copy(payload.begin(), payload.end(), b.begin() + 8);
    return b;
}

/// Source port of every probe.
constexpr uint16_t SCAN_SPORT = 40000;
/// High half of a TCP probe's sequence number (the low half is the probed port).
constexpr uint32_t SCAN_TCP_MARK = 0x5CA1u << 16;

/// \return the port a delivered probe (transport header at \p l4) was sent to, or -1 when the
///         bytes are no probe
inline int
ProbedPort(uint8_t proto, const std::vector<uint8_t>& l4)
{
    if (proto == 6 && l4.size() >= 20 && (Get16(l4, 4) << 16) == static_cast<int>(SCAN_TCP_MARK))
    {
        return Get16(l4, 6);
    }
    if (proto == 17 && l4.size() == 14 && l4[8] == 'S' && l4[9] == 'C' && l4[10] == 'A' &&
        l4[11] == 'N')
    {
        return Get16(l4, 12);
    }
    return -1;
}

/**
 * Probes ports [lo, hi] of \p target from \p node: a TCP SYN and a UDP datagram per port, one
 * probe every \p gap (self-rescheduling, so the event queue stays small). The TCP SYN carries
 * SCAN_TCP_MARK | port as its sequence number, the UDP payload "SCAN" and the port.
 */
class PortScanner
{
  public:
    PortScanner(Ptr<Node> node, Ipv4Address target, Time gap = MicroSeconds(4))
        : m_raw(RawSender(node)),
          m_src(node->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal()),
          m_target(target),
          m_gap(gap)
    {
    }

    /// Scan every port in [lo, hi] (or only \p ports when not empty), starting now.
    void Start(uint16_t lo, uint16_t hi, const std::vector<uint16_t>& ports = {})
    {
        m_ports = ports;
        if (m_ports.empty())
        {
            for (uint32_t p = lo; p <= hi; ++p)
            {
                m_ports.push_back(static_cast<uint16_t>(p));
            }
        }
        m_next = 0;
        Simulator::ScheduleNow(&PortScanner::Step, this);
    }

    uint64_t sent{0}; //!< probes sent

  private:
    void Step()
    {
        if (m_next >= 2 * m_ports.size())
        {
            return;
        }
        const uint16_t port = m_ports[m_next / 2];
        if (m_next % 2 == 0)
        {
            m_raw->Send(MakeIpPacket(m_src,
                                     m_target,
                                     6,
                                     TcpBytes(SCAN_SPORT, port, SCAN_TCP_MARK | port, 0x02)));
        }
        else
        {
            m_raw->Send(MakeIpPacket(m_src,
                                     m_target,
                                     17,
                                     UdpBytes(SCAN_SPORT,
                                              port,
                                              {'S',
                                               'C',
                                               'A',
                                               'N',
                                               static_cast<uint8_t>(port >> 8),
                                               static_cast<uint8_t>(port)})));
        }
        ++sent;
        ++m_next;
        Simulator::Schedule(m_gap, &PortScanner::Step, this);
    }

    Ptr<Socket> m_raw;
    Ipv4Address m_src;
    Ipv4Address m_target;
    Time m_gap;
    std::vector<uint16_t> m_ports;
    std::size_t m_next{0};
};

/// \return the sum of the FortiGate's drop counters
template <class Fgt>
uint64_t
TotalDrops(const Fgt& fgt)
{
    uint64_t n = 0;
    for (int r = 0; r < Fgt::DROP_REASON_COUNT; ++r)
    {
        n += fgt.GetDropCount(static_cast<typename Fgt::DropReason>(r));
    }
    return n;
}

} // namespace robust
} // namespace ns3

#endif // FORTIGATE_TEST_ROBUSTNESS_UTIL_H
