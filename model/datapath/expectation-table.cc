/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "expectation-table.h"

#include "ns3/log.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateExpectationTable");

ExpectationTable::ExpectationTable(uint32_t maxPerParent, uint32_t maxTotal)
    : m_maxPerParent(maxPerParent),
      m_maxTotal(maxTotal)
{
}

void
ExpectationTable::SetLimits(uint32_t maxPerParent, uint32_t maxTotal)
{
    m_maxPerParent = maxPerParent;
    m_maxTotal = maxTotal;
}

ExpectationTable::AddResult
ExpectationTable::Add(const Expectation& e)
{
    for (auto& x : m_list)
    {
        if (x.proto == e.proto && x.src == e.src && x.sport == e.sport && x.dst == e.dst &&
            x.dport == e.dport)
        {
            x = e; // refresh (same pinhole announced again)
            return ADDED;
        }
    }
    AddResult result = ADDED;
    const uint32_t classLimit = e.classMax ? e.classMax : m_maxPerParent;
    if (classLimit && CountForParent(e.parentSerial, e.expectClass) >= classLimit)
    {
        for (auto it = m_list.begin(); it != m_list.end(); ++it)
        {
            if (it->parentSerial == e.parentSerial && it->expectClass == e.expectClass)
            {
                m_list.erase(it);
                break;
            }
        }
        ++m_perParentHits;
        result = REPLACED;
    }
    else if (m_maxTotal && m_list.size() >= m_maxTotal)
    {
        ++m_totalHits;
        NS_LOG_LOGIC("pinhole refused (" << m_maxTotal << " in the table), parent "
                                         << e.parentSerial);
        return REFUSED_GLOBAL;
    }
    NS_LOG_LOGIC("pinhole of " << e.helper << " (parent " << e.parentSerial << ") "
                               << unsigned(e.proto) << " -> port " << e.dport);
    m_list.push_back(e);
    return result;
}

bool
ExpectationTable::Match(const FlowTuple& t, int64_t nowNs, Expectation* out)
{
    for (auto it = m_list.begin(); it != m_list.end(); ++it)
    {
        if (it->expiresNs <= nowNs || !it->Matches(t))
        {
            continue;
        }
        *out = *it;
        ++m_matched;
        if (it->oneShot)
        {
            m_list.erase(it);
        }
        return true;
    }
    return false;
}

bool
ExpectationTable::WouldMatch(const FlowTuple& t, int64_t nowNs) const
{
    for (const Expectation& e : m_list)
    {
        if (e.expiresNs > nowNs && e.Matches(t))
        {
            return true;
        }
    }
    return false;
}

uint32_t
ExpectationTable::RemoveByParent(uint32_t parentSerial)
{
    if (!m_reserved.empty())
    {
        RemoveReservationsIf(
            [parentSerial](const NatReservation& r) { return r.parentSerial == parentSerial; });
    }
    return RemoveIf(
        [parentSerial](const Expectation& e) { return e.parentSerial == parentSerial; });
}

uint32_t
ExpectationTable::Expire(int64_t nowNs)
{
    if (!m_reserved.empty())
    {
        RemoveReservationsIf([nowNs](const NatReservation& r) { return r.expiresNs <= nowNs; });
    }
    uint32_t n = RemoveIf([nowNs](const Expectation& e) { return e.expiresNs <= nowNs; });
    m_expired += n;
    return n;
}

bool
ExpectationTable::Reserve(const NatReservation& r)
{
    const PubKey pub{r.proto, r.pubIp, r.pubPort};
    auto held = m_reserved.find(pub);
    if (held != m_reserved.end() &&
        (held->second.privIp != r.privIp || held->second.privPort != r.privPort))
    {
        return false; // another endpoint is announced at that port
    }
    const PrivKey priv{r.proto, r.privIp, r.privPort, r.pubIp};
    auto mine = m_reservedBy.find(priv);
    if (mine != m_reservedBy.end() && mine->second != r.pubPort)
    {
        m_reserved.erase(PubKey{r.proto, r.pubIp, mine->second}); // the endpoint moved
    }
    else if (mine == m_reservedBy.end() && m_maxTotal && m_reserved.size() >= m_maxTotal)
    {
        ++m_totalHits;
        return false;
    }
    m_reserved[pub] = r;
    m_reservedBy[priv] = r.pubPort;
    return true;
}

const NatReservation*
ExpectationTable::FindReservation(uint8_t proto,
                                  uint32_t ip,
                                  uint16_t port,
                                  uint32_t pubIp,
                                  int64_t nowNs) const
{
    auto mine = m_reservedBy.find(PrivKey{proto, ip, port, pubIp});
    if (mine == m_reservedBy.end())
    {
        return nullptr;
    }
    return ReservationOf(proto, pubIp, mine->second, nowNs);
}

const NatReservation*
ExpectationTable::FindReservation(uint8_t proto,
                                  uint32_t ip,
                                  uint16_t port,
                                  uint32_t pubLo,
                                  uint32_t pubHi,
                                  int64_t nowNs) const
{
    for (auto it = m_reservedBy.lower_bound(PrivKey{proto, ip, port, pubLo});
         it != m_reservedBy.end() && std::get<0>(it->first) == proto &&
         std::get<1>(it->first) == ip && std::get<2>(it->first) == port &&
         std::get<3>(it->first) <= pubHi;
         ++it)
    {
        if (const NatReservation* r =
                ReservationOf(proto, std::get<3>(it->first), it->second, nowNs))
        {
            return r;
        }
    }
    return nullptr;
}

const NatReservation*
ExpectationTable::ReservationOf(uint8_t proto,
                                uint32_t pubIp,
                                uint16_t pubPort,
                                int64_t nowNs) const
{
    auto it = m_reserved.find(PubKey{proto, pubIp, pubPort});
    return it == m_reserved.end() || it->second.expiresNs <= nowNs ? nullptr : &it->second;
}

uint32_t
ExpectationTable::RemoveReservationsIf(const std::function<bool(const NatReservation&)>& pred)
{
    uint32_t n = 0;
    for (auto it = m_reserved.begin(); it != m_reserved.end();)
    {
        if (pred(it->second))
        {
            const NatReservation& r = it->second;
            m_reservedBy.erase(PrivKey{r.proto, r.privIp, r.privPort, r.pubIp});
            it = m_reserved.erase(it);
            ++n;
        }
        else
        {
            ++it;
        }
    }
    return n;
}

std::vector<NatReservation>
ExpectationTable::Reservations() const
{
    std::vector<NatReservation> out;
    out.reserve(m_reserved.size());
    for (const auto& [key, r] : m_reserved)
    {
        out.push_back(r);
    }
    return out;
}

uint32_t
ExpectationTable::CountForParent(uint32_t parentSerial) const
{
    uint32_t n = 0;
    for (const auto& e : m_list)
    {
        n += e.parentSerial == parentSerial ? 1 : 0;
    }
    return n;
}

uint32_t
ExpectationTable::CountForParent(uint32_t parentSerial, uint8_t expectClass) const
{
    uint32_t n = 0;
    for (const auto& e : m_list)
    {
        n += e.parentSerial == parentSerial && e.expectClass == expectClass ? 1 : 0;
    }
    return n;
}

std::string
ExpectationTable::Format(const Expectation& e, int64_t nowNs, const std::string& shownHelper)
{
    int64_t left = e.expiresNs > nowNs ? (e.expiresNs - nowNs) / 1000000000LL : 0;
    std::ostringstream os;
    os << "session info: proto=" << unsigned(e.proto)
       << " proto_state=00 duration=0 expire=" << left
       << " timeout=0 flags=00000000 sockflag=00000000 sockport=0 av_idx=0 use=3\n"
       << "origin-shaper=\nreply-shaper=\nper_ip_shaper=\n"
       << "class_id=0 ha_id=0 policy_dir=0 tunnel=/"
       << (shownHelper.empty() ? std::string() : " helper=" + shownHelper) << " vlan_cos=255/255\n"
       << "state=new complex\n"
       << "statistic(bytes/packets/allow_err): org=0/0/0 reply=0/0/0 tuples=2\n"
       << "orgin->sink: org pre->post, reply pre->post dev=0->0/0->0 gwy=0.0.0.0/0.0.0.0\n";
    uint32_t toIp = e.natDst ? e.natDst : e.dst;
    uint16_t toPort = e.natDport ? e.natDport : e.dport;
    os << "hook=pre dir=org act=dnat " << Ipv4ToString(e.src) << ":" << e.sport << "->"
       << Ipv4ToString(e.dst) << ":" << e.dport << "(" << Ipv4ToString(toIp) << ":" << toPort
       << ")\n";
    if (e.natSrc)
    {
        os << "hook=post dir=org act=snat " << Ipv4ToString(e.src) << ":" << e.sport << "->"
           << Ipv4ToString(toIp) << ":" << toPort << "(" << Ipv4ToString(e.natSrc) << ":"
           << (e.natSport ? e.natSport : e.sport) << ")\n";
    }
    os << "misc=0 policy_id=" << e.policyId << " auth_info=0 chk_client_info=0 vd=0\n"
       << "serial=" << std::hex;
    os.width(8);
    os.fill('0');
    os << e.parentSerial << std::dec << " tos=ff/ff app_list=0 app=0 url_cat=0\n"
       << "dd_type=0 dd_mode=0\n";
    return os.str();
}

std::string
ExpectationTable::Format7(const Expectation& e,
                          int64_t nowNs,
                          const std::string& shownHelper,
                          uint32_t devIn,
                          uint32_t devOut)
{
    const int64_t age =
        e.createdNs && nowNs > e.createdNs ? (nowNs - e.createdNs) / 1000000000LL : 0;
    const int64_t diff = e.expiresNs - nowNs;
    // Whole seconds left, rounded towards minus infinity once late.
    const int64_t left = diff >= 0 ? diff / 1000000000LL : -((-diff + 999999999LL) / 1000000000LL);
    const uint32_t toIp = e.natDst ? e.natDst : e.dst;
    const uint16_t toPort = e.natDport ? e.natDport : e.dport;
    std::ostringstream os;
    os << "session info: proto=" << unsigned(e.proto) << " proto_state=00 duration=" << age
       << " expire=" << left
       << " timeout=0 refresh_dir=both flags=00000000 socktype=0 sockport=0 av_idx=0 use=2\n"
       << "origin-shaper=\nreply-shaper=\nper_ip_shaper=\n"
       << "class_id=0 ha_id=0 policy_dir=0 tunnel=/"
       << (shownHelper.empty() ? std::string() : " helper=" + shownHelper) << " vlan_cos=255/255\n"
       << "state=new complex\n"
       << "statistic(bytes/packets/allow_err): org=0/0/0 reply=0/0/0 tuples=2\n"
       << "tx speed(Bps/kbps): 0/0 rx speed(Bps/kbps): 0/0\n"
       << "orgin->sink: org pre->post, reply pre->post dev=" << devIn << "->" << devOut << "/"
       << devOut << "->" << devIn << " gwy=0.0.0.0/0.0.0.0\n"
       << "hook=pre dir=org act=dnat " << Ipv4ToString(e.src) << ":" << e.sport << "->"
       << Ipv4ToString(e.dst) << ":" << e.dport << "(" << Ipv4ToString(toIp) << ":" << toPort
       << ")\n";
    if (e.natSrc)
    {
        os << "hook=post dir=org act=snat " << Ipv4ToString(e.src) << ":" << e.sport << "->"
           << Ipv4ToString(toIp) << ":" << toPort << "(" << Ipv4ToString(e.natSrc) << ":"
           << (e.natSport ? e.natSport : e.sport) << ")\n";
    }
    else
    {
        os << "hook=pre dir=org act=noop 0.0.0.0:0->0.0.0.0:0(0.0.0.0:0)\n";
    }
    os << "misc=0 policy_id=" << e.policyId << " pol_uuid_idx=" << e.policyId
       << " auth_info=0 chk_client_info=0 vd=0\n"
       << "serial=" << std::hex;
    os.width(8);
    os.fill('0');
    os << e.parentSerial << std::dec << " tos=ff/ff app_list=0 app=0 url_cat=0\n"
       << "rpdb_link_id=00000000 ngfwid=n/a\n";
    return os.str();
}

} // namespace ns3
