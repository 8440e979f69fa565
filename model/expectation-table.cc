/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "expectation-table.h"

#include <sstream>

namespace ns3
{

ExpectationTable::ExpectationTable(uint32_t maxPerParent, uint32_t maxTotal)
    : m_maxPerParent(maxPerParent)
    , m_maxTotal(maxTotal)
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
        if (x.proto == e.proto && x.src == e.src && x.sport == e.sport && x.dst == e.dst
            && x.dport == e.dport)
        {
            x = e; // refresh (same pinhole announced again)
            return ADDED;
        }
    }
    AddResult result = ADDED;
    if (m_maxPerParent && CountForParent(e.parentSerial) >= m_maxPerParent)
    {
        for (auto it = m_list.begin(); it != m_list.end(); ++it)
        {
            if (it->parentSerial == e.parentSerial)
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
        return REFUSED_GLOBAL;
    }
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

uint32_t
ExpectationTable::RemoveByParent(uint32_t parentSerial)
{
    return RemoveIf(
        [parentSerial](const Expectation& e)
        {
            return e.parentSerial == parentSerial;
        });
}

uint32_t
ExpectationTable::Expire(int64_t nowNs)
{
    uint32_t n = RemoveIf(
        [nowNs](const Expectation& e)
        {
            return e.expiresNs <= nowNs;
        });
    m_expired += n;
    return n;
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

std::string
ExpectationTable::Format(const Expectation& e, int64_t nowNs)
{
    int64_t left = e.expiresNs > nowNs ? (e.expiresNs - nowNs) / 1000000000LL : 0;
    std::ostringstream os;
    os << "session info: proto=" << unsigned(e.proto)
       << " proto_state=00 duration=0 expire=" << left
       << " timeout=0 flags=00000000 sockflag=00000000 sockport=0 av_idx=0 use=3\n"
       << "origin-shaper=\nreply-shaper=\nper_ip_shaper=\n"
       << "class_id=0 ha_id=0 policy_dir=0 tunnel=/ helper=" << e.helper << " vlan_cos=255/255\n"
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

} // namespace ns3
