/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_EXPECTATION_TABLE_H
#define FORTIGATE_EXPECTATION_TABLE_H

#include "flow-tuple.h"

#include <cstdint>
#include <list>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * A pinhole (FortiOS "expectation", Linux "expectation"): a session a helper announced and the
 * firewall lets in before any policy. Pure data.
 *
 * The first packet of the child arrives with (proto, src, sport, dst, dport); src and sport may
 * be wildcards (0). The child session then leaves translated to (natSrc:natSport ->
 * natDst:natDport), each 0 meaning "unchanged". GRE (PPTP) is the exception for natDport: the
 * key (Call ID) takes the port's place and 0 is a valid Call ID, so a GRE pinhole's natDport is
 * always the key the child leaves with; GRE pinholes come in pairs, one per direction, and the
 * first packet through either makes one session for both (FortiGateNode::CreateChild).
 */
struct Expectation
{
    uint8_t proto{0};         //!< IP protocol of the child
    uint32_t src{0};          //!< source address the child comes from (0 = any)
    uint16_t sport{0};        //!< its source port (0 = any)
    uint32_t dst{0};          //!< destination address the child arrives at
    uint16_t dport{0};        //!< destination port it arrives at
    uint32_t natSrc{0};       //!< the child's source after translation (0 = unchanged)
    uint16_t natSport{0};     //!< its source port after translation (0 = unchanged)
    uint32_t natDst{0};       //!< the child's destination after translation (0 = unchanged)
    uint16_t natDport{0};     //!< its destination port after translation (0 = unchanged)
    int64_t expiresNs{0};     //!< when the pinhole closes unused
    bool oneShot{true};       //!< removed by the first child
    uint32_t parentSerial{0}; //!< serial of the session whose helper opened it
    uint32_t policyId{0};     //!< the parent's policy (the child inherits it)
    uint8_t inIf{0};          //!< interface the child is expected on (the parent's side)
    uint8_t childHelper{0};   //!< session helper id the child gets (0 = none)
    std::string helper;       //!< name of the helper that opened it

    /// \return true when the arriving tuple \p t matches
    bool Matches(const FlowTuple& t) const
    {
        return t.proto == proto && t.dst == dst && t.dport == dport && (src == 0 || t.src == src)
               && (sport == 0 || t.sport == sport);
    }
};

/**
 * \ingroup fortigate
 * The pinholes of one FortiGate: limits per parent and overall (hits counted), expiry, removal
 * with the parent, deterministic order (oldest first).
 */
class ExpectationTable
{
public:
    /// Why Add refused.
    enum AddResult
    {
        ADDED,          //!< new pinhole
        REPLACED,       //!< the parent's oldest pinhole made room (per-parent limit)
        REFUSED_GLOBAL, //!< the overall limit was reached
    };

    /// \param maxPerParent most pinholes one parent may hold (0 = no limit)
    /// \param maxTotal most pinholes overall (0 = no limit)
    explicit ExpectationTable(uint32_t maxPerParent = 8, uint32_t maxTotal = 4096);

    /// Set the limits.
    void SetLimits(uint32_t maxPerParent, uint32_t maxTotal);

    /**
     * Open a pinhole. An identical pinhole (same proto/src/sport/dst/dport) is refreshed
     * instead. When the parent holds maxPerParent already its oldest is replaced (as Linux
     * does); when the table holds maxTotal the new one is refused. Both are counted.
     */
    AddResult Add(const Expectation& e);

    /**
     * Find the pinhole an arriving tuple opens (oldest match first); a one-shot pinhole is
     * removed. \return true and the pinhole in \p out when found.
     */
    bool Match(const FlowTuple& t, int64_t nowNs, Expectation* out);

    /// Remove every pinhole of a parent. \return how many
    uint32_t RemoveByParent(uint32_t parentSerial);

    /// Remove the pinholes matching \p pred. \return how many
    template <class Pred>
    uint32_t RemoveIf(Pred pred)
    {
        uint32_t n = 0;
        for (auto it = m_list.begin(); it != m_list.end();)
        {
            if (pred(*it))
            {
                it = m_list.erase(it);
                ++n;
            }
            else
            {
                ++it;
            }
        }
        return n;
    }

    /// Drop pinholes whose time is up. \return how many
    uint32_t Expire(int64_t nowNs);

    /// \return the pinholes, oldest first
    const std::list<Expectation>& List() const
    {
        return m_list;
    }

    /// \return number of pinholes
    std::size_t Size() const
    {
        return m_list.size();
    }

    /// \return pinholes of one parent
    uint32_t CountForParent(uint32_t parentSerial) const;

    /// \return times the per-parent limit replaced a pinhole
    uint64_t GetPerParentLimitHits() const
    {
        return m_perParentHits;
    }

    /// \return times the overall limit refused a pinhole
    uint64_t GetTotalLimitHits() const
    {
        return m_totalHits;
    }

    /// \return pinholes that opened a child session
    uint64_t GetMatched() const
    {
        return m_matched;
    }

    /// \return pinholes that expired unused
    uint64_t GetExpired() const
    {
        return m_expired;
    }

    /**
     * The `diagnose sys session list expectation` text of one pinhole, FortiOS style: a
     * `session info:` block with `hook=pre dir=org act=dnat src:sport->dst:dport(natDst:natDport)`
     * (wildcards print as 0) and the remaining seconds as expire.
     */
    static std::string Format(const Expectation& e, int64_t nowNs);

private:
    std::list<Expectation> m_list; //!< oldest first
    uint32_t m_maxPerParent;       //!< per-parent limit
    uint32_t m_maxTotal;           //!< overall limit
    uint64_t m_perParentHits{0};   //!< per-parent limit hits
    uint64_t m_totalHits{0};       //!< overall limit hits
    uint64_t m_matched{0};         //!< matched pinholes
    uint64_t m_expired{0};         //!< expired pinholes
};

} // namespace ns3

#endif // FORTIGATE_EXPECTATION_TABLE_H
