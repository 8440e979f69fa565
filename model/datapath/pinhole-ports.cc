/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pinhole-ports.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PinholePorts");

PinholePorts::PinholePorts(const SessionTable& sessions,
                           const ExpectationTable& pinholes,
                           Ptr<UniformRandomVariable> rng)
    : m_sessions(sessions),
      m_pinholes(pinholes),
      m_rng(rng)
{
}

std::vector<bool>
PinholePorts::HeldPorts(uint8_t proto, uint32_t ip, uint32_t ownerIp, uint16_t ownerPort) const
{
    // ownerIp != 0: what leads to (or comes from) ownerIp:ownerPort itself does not count.
    auto owner = [ownerIp, ownerPort](uint32_t a, uint16_t p) {
        return ownerIp != 0 && a == ownerIp && p == ownerPort;
    };
    std::vector<bool> held(65536, false);
    for (const auto& e : m_pinholes.List())
    {
        if (e.proto == proto && e.dst == ip &&
            !owner(e.natDst ? e.natDst : e.dst, e.natDport ? e.natDport : e.dport))
        {
            held[e.dport] = true;
        }
    }
    m_sessions.ForEach([&held, &owner, proto, ip](const Session& s) {
        const FlowTuple& r = s.reply.tuple;
        const FlowTuple& o = s.org.tuple;
        if (r.proto == proto && r.dst == ip && !owner(o.src, o.sport))
        {
            held[r.dport] = true;
        }
        // A flow of another protocol arriving at ip:port holds it too (a media stream the
        // server sends, a keyed session the server opened). A TCP port may serve several inbound
        // connections (a listener announced again, e.g. a signalling Contact over TCP).
        if (proto != IPPROTO_NUM_TCP && o.proto == proto && o.dst == ip && !owner(r.src, r.sport))
        {
            held[o.dport] = true;
        }
    });
    return held;
}

uint16_t
PinholePorts::Allocate(uint8_t proto,
                       uint32_t ip,
                       uint16_t preferred,
                       uint32_t privIp,
                       uint16_t privPort) const
{
    // One walk over the pinholes and sessions, then each candidate port is a lookup.
    const std::vector<bool> held = HeldPorts(proto, ip, privIp, privPort);
    const int64_t now = Simulator::Now().GetNanoSeconds();
    auto free = [&](uint16_t port) {
        if (held[port])
        {
            return false;
        }
        const NatReservation* r = m_pinholes.ReservationCount() > 0
                                      ? m_pinholes.ReservationOf(proto, ip, port, now)
                                      : nullptr;
        return !r || (privIp != 0 && r->privIp == privIp && r->privPort == privPort);
    };
    if (preferred != 0 && free(preferred))
    {
        return preferred;
    }
    for (uint32_t attempt = 0; attempt < 64; ++attempt)
    {
        const uint16_t port = static_cast<uint16_t>(m_rng->GetInteger(1024, 65535));
        if (free(port))
        {
            return port;
        }
    }
    return 0;
}

uint16_t
PinholePorts::Mapped(uint8_t proto, uint32_t privIp, uint16_t privPort, uint32_t ip) const
{
    // The endpoint's reservation on ip, else its newest session translated to ip.
    const NatReservation* r =
        m_pinholes.FindReservation(proto, privIp, privPort, ip, Simulator::Now().GetNanoSeconds());
    if (r)
    {
        return r->pubPort;
    }
    uint32_t newest = 0;
    uint16_t mapped = 0;
    m_sessions.ForEach([&](const Session& s) {
        const FlowTuple& o = s.org.tuple;
        const FlowTuple& rp = s.reply.tuple;
        uint16_t port = 0;
        if (o.proto == proto && o.src == privIp && o.sport == privPort && rp.dst == ip)
        {
            port = rp.dport; // the endpoint's own flow, translated to ip
        }
        else if (o.proto == proto && rp.src == privIp && rp.sport == privPort && o.dst == ip)
        {
            port = o.dport; // a flow arriving at ip for the endpoint
        }
        if (port != 0 && (mapped == 0 || s.serial > newest))
        {
            newest = s.serial;
            mapped = port;
        }
    });
    return mapped;
}

} // namespace ns3
