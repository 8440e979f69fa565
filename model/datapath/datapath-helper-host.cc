/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "datapath-helper-host.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DatapathHelperHost");

DatapathHelperHost::DatapathHelperHost(SessionTable& sessions,
                                       ExpectationTable& pinholes,
                                       const PinholePorts& ports,
                                       std::vector<uint32_t>& closeAfterForward,
                                       ReplySender reply,
                                       const HelperHost& helpers)
    : m_sessions(sessions),
      m_pinholes(pinholes),
      m_ports(ports),
      m_closeAfterForward(closeAfterForward),
      m_helpers(helpers),
      m_reply(std::move(reply))
{
}

bool
DatapathHelperHost::OpenPinhole(const Session& s, const Expectation& e)
{
    Expectation x = e;
    x.inIf = x.inIf ? x.inIf : s.inIf[1];
    x.createdNs = Simulator::Now().GetNanoSeconds();
    if (x.classMax == 0 && m_helpers.Has(s.helperId))
    {
        x.classMax = m_helpers.At(s.helperId)->GetMaxPinholesPerSession(); // 0: the unit's
    }
    return m_pinholes.Add(x) != ExpectationTable::REFUSED_GLOBAL;
}

uint16_t
DatapathHelperHost::AllocatePort(uint8_t proto, uint32_t ip, uint16_t preferred)
{
    return m_ports.Allocate(proto, ip, preferred);
}

uint16_t
DatapathHelperHost::AllocatePortFor(uint8_t proto,
                                    uint32_t pubIp,
                                    uint16_t preferred,
                                    uint32_t privIp,
                                    uint16_t privPort)
{
    return m_ports.Allocate(proto, pubIp, preferred, privIp, privPort);
}

uint16_t
DatapathHelperHost::MappedPort(uint8_t proto, uint32_t privIp, uint16_t privPort, uint32_t pubIp)
{
    return m_ports.Mapped(proto, privIp, privPort, pubIp);
}

bool
DatapathHelperHost::ReserveNat(const Session& s, const NatReservation& r)
{
    NatReservation x = r;
    x.parentSerial = s.serial;
    return m_pinholes.Reserve(x);
}

uint32_t
DatapathHelperHost::RemoveReservations(const Session& s,
                                       const std::function<bool(const NatReservation&)>& pred)
{
    const uint32_t serial = s.serial;
    return m_pinholes.RemoveReservationsIf(
        [serial, &pred](const NatReservation& r) { return r.parentSerial == serial && pred(r); });
}

uint32_t
DatapathHelperHost::RemovePinholes(const Session& s,
                                   const std::function<bool(const Expectation&)>& pred)
{
    const uint32_t serial = s.serial;
    return m_pinholes.RemoveIf(
        [serial, &pred](const Expectation& e) { return e.parentSerial == serial && pred(e); });
}

uint32_t
DatapathHelperHost::CloseChildren(const Session& s, const std::function<bool(const Session&)>& pred)
{
    const uint32_t serial = s.serial;
    uint32_t n = 0;
    m_sessions.ForEach([this, serial, &pred, &n](const Session& x) {
        const SessionExtension* e = x.ExtOrNull();
        if (e && e->parentSerial == serial && pred(x))
        {
            m_closeAfterForward.push_back(x.serial);
            ++n;
        }
    });
    return n;
}

bool
DatapathHelperHost::SendReply(const HelperContext& ctx, const std::string& payload)
{
    if (!ctx.arrival || !m_reply)
    {
        return false; // no packet to answer (housekeeping)
    }
    return m_reply(ctx.view.tuple, payload, *static_cast<const PacketArrival*>(ctx.arrival));
}

bool
DatapathHelperHost::WithSession(uint32_t serial,
                                int64_t nowNs,
                                const std::function<void(HelperContext&)>& fn)
{
    Session* s = nullptr;
    m_sessions.ForEach([serial, &s](Session& x) {
        if (!s && x.serial == serial)
        {
            s = &x;
        }
    });
    if (!s)
    {
        return false;
    }
    PacketView v;
    v.tuple = s->org.tuple;
    HelperContext ctx{*this,
                      *s,
                      SessionDir::ORIGINAL,
                      v,
                      nullptr,
                      0,
                      s->Translated(SessionDir::ORIGINAL),
                      nowNs};
    fn(ctx);
    return true;
}

} // namespace ns3
