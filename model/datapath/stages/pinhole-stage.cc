/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pinhole-stage.h"

#include "session-janitor.h"

#include "ns3/keyed-protocol.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGatePinholeStage");

PinholeStage::PinholeStage(DatapathParts& dp)
    : m_dp(dp),
      m_expectations(dp.expectations),
      m_ifs(dp.ifs),
      m_flow(dp.flow),
      m_logger(dp.logger),
      m_sessions(&dp.sessions),
      m_helperHost(dp.helperHost),
      m_timers(dp.timers),
      m_icmpTimeout(dp.icmpTimeout),
      m_sessionCreatedTrace(dp.sessionCreated)
{
}

bool
PinholeStage::Matches(const PacketContext& c) const
{
    return m_expectations.Size() > 0 &&
           m_expectations.WouldMatch(c.v.tuple, Simulator::Now().GetNanoSeconds());
}

StageResult
PinholeStage::Run(PacketContext& c)
{
    Expectation pinhole;
    m_expectations.Match(c.v.tuple, Simulator::Now().GetNanoSeconds(), &pinhole);
    m_flow.ExpSession(pinhole.parentSerial);                // flow trace
    m_flow.AllocateNewSession(m_sessions->GetNextSerial()); // flow trace
    m_ctx = &c;
    c.s = nullptr;
    CreateChild(pinhole, c.p, c.h, c.v, c.inIf, c.idev, c.ucb);
    m_ctx = nullptr;
    return c.s ? StageResult::NEXT : StageResult::DONE;
}

void
PinholeStage::Established(Session* s,
                          SessionDir dir,
                          Ptr<const Packet>,
                          const Ipv4Header&,
                          const PacketView&,
                          Ptr<const NetDevice>,
                          const Ipv4RoutingProtocol::UnicastForwardCallback&,
                          CpuModel::Work work,
                          Ptr<Ipv4Route> knownRoute)
{
    m_ctx->s = s;
    m_ctx->dir = dir;
    m_ctx->work = work;
    m_ctx->route = knownRoute;
}

void
PinholeStage::Drop(Ptr<const Packet> p, const Ipv4Header& h, DropReason r)
{
    m_dp.drops.Drop(p, h, r);
}

PinholeStage::RouteResult
PinholeStage::LookupRoute(const Ipv4Header& h, Ptr<const NetDevice> idev) const
{
    return m_dp.routing->Lookup(h, idev);
}

void
PinholeStage::ScheduleTick()
{
    m_dp.janitor->ScheduleTick();
}

// CreateChild moved from FortiGateNode unchanged (issue 10 item 2); its Established() hands the
// child to the next stages through the packet's context.

bool
PinholeStage::CreateChild(const Expectation& e,
                          Ptr<const Packet> p,
                          const Ipv4Header& h,
                          const PacketView& v,
                          int inIf,
                          Ptr<const NetDevice> idev,
                          const Ipv4RoutingProtocol::UnicastForwardCallback& ucb)
{
    FlowTuple leaving = v.tuple;
    leaving.src = e.natSrc ? e.natSrc : leaving.src;
    leaving.sport = e.natSport ? e.natSport : leaving.sport;
    leaving.dst = e.natDst ? e.natDst : leaving.dst;
    leaving.dport = e.natDport ? e.natDport : leaving.dport;
    FlowTuple replyTuple = leaving.Reversed();
    const bool keyed = KeyedProtocols::IsKeyed(v.tuple.proto);
    uint16_t replyKey = 0;
    if (keyed)
    {
        // Pinholes of a keyed protocol come in pairs, one per direction, each keyed by the key
        // its packets carry. 0 being a valid key, such a pinhole's natDport is always the key
        // the child leaves with. The first packet through either pinhole makes one session for
        // both directions: its reply tuple and the key replies leave with come from the sibling
        // pinhole, which is used up.
        leaving.sport = 0;
        leaving.dport = e.natDport;
        replyTuple = FlowTuple{leaving.dst, leaving.src, 0, 0, v.tuple.proto};
        const uint32_t from = v.tuple.src;
        auto sibling = [&e, &leaving, from](const Expectation& x) {
            return x.proto == e.proto && x.parentSerial == e.parentSerial && x.src == leaving.dst &&
                   x.dst == leaving.src && (x.natDst ? x.natDst : x.dst) == from;
        };
        for (const auto& x : m_expectations.List())
        {
            if (sibling(x))
            {
                replyTuple.dport = x.dport;
                replyKey = x.natDport;
                m_expectations.RemoveIf(sibling);
                break;
            }
        }
    }
    Ipv4Header routed = h;
    routed.SetDestination(Ipv4Address(leaving.dst));
    RouteResult rr = LookupRoute(routed, idev);
    if (!rr.route)
    {
        Drop(p, h, DROP_NO_ROUTE);
        return true;
    }
    int32_t outIpIf = m_ifs.GetIpv4()->GetInterfaceForDevice(rr.route->GetOutputDevice());
    int outIf = outIpIf >= 0 ? m_ifs.IfIndexOfIpv4(outIpIf) : -1;
    if (m_flow.Active()) // flow trace
    {
        m_flow.Route(rr.route->GetGateway().Get() ? rr.route->GetGateway().Get() : leaving.dst,
                     m_logger.IfName(outIf)); // flow trace
    }
    int64_t now = Simulator::Now().GetNanoSeconds();
    SessionTable::InsertResult ir;
    Session* s = m_sessions->Insert(v.tuple, replyTuple, now, 10, &ir);
    if (!s)
    {
        Drop(p, h, ir == SessionTable::InsertResult::FULL ? DROP_SESSION_LIMIT : DROP_NO_SESSION);
        return true;
    }
    m_flow.NewSessionId(s->serial); // flow trace
    // The child inherits the parent's policy (no policy lookup) and shows the helper's name.
    s->policyId = e.policyId;
    s->flags |= SES_MAY_DIRTY;
    s->inIf[0] = static_cast<uint8_t>(inIf);
    s->inIf[1] = static_cast<uint8_t>(outIf >= 0 ? outIf : 0);
    s->Ext().parentSerial = e.parentSerial;
    s->Ext().parentHelper = m_helperHost.IdFor(e.helper);
    s->helperId = e.childHelper;
    if (keyed)
    {
        s->key[0] = leaving.dport;
        s->key[1] = replyKey;
        s->keySet = true;
    }
    m_timers.Apply(*s, v.tuple.proto, leaving.dport, nullptr, m_icmpTimeout);
    // The helper's own timeouts for its children (e.g. a tunnel's: longer than the protocol's).
    m_timers.SetChildTimeouts(*s, e.childTtl, e.childUnrepliedTtl);
    NS_LOG_INFO("session " << s->serial << " created by pinhole of " << e.helper << " (parent "
                           << e.parentSerial << "): " << v.tuple.ToString());
    m_sessionCreatedTrace(*s);
    ScheduleTick();
    Established(s, SessionDir::ORIGINAL, p, h, v, idev, ucb, CpuModel::SESSION_SETUP, rr.route);
    return true;
}

} // namespace ns3
