/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_EXPECTATION_TABLE_H
#define FORTIGATE_EXPECTATION_TABLE_H

#include "flow-tuple.h"

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <string>
#include <tuple>
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
 * natDst:natDport), each 0 meaning "unchanged". A keyed protocol (KeyedProtocol) is the
 * exception for natDport: the key takes the port's place and 0 is a valid key, so such a
 * pinhole's natDport is always the key the child leaves with; its pinholes come in pairs, one
 * per direction, and the first packet through either makes one session for both
 * (FortiGateNode::CreateChild).
 *
 * Each pinhole belongs to a class (as Linux's expectation classes): the per-parent limit is
 * applied per class, so pinholes of one class (e.g. a call's media) never evict those of
 * another (e.g. a phone's registration pinhole on the same signalling session).
 */
struct Expectation
{
    uint8_t proto{0};              //!< IP protocol of the child
    uint32_t src{0};               //!< source address the child comes from (0 = any)
    uint16_t sport{0};             //!< its source port (0 = any)
    uint32_t dst{0};               //!< destination address the child arrives at
    uint16_t dport{0};             //!< destination port it arrives at
    uint32_t natSrc{0};            //!< the child's source after translation (0 = unchanged)
    uint16_t natSport{0};          //!< its source port after translation (0 = unchanged)
    uint32_t natDst{0};            //!< the child's destination after translation (0 = unchanged)
    uint16_t natDport{0};          //!< its destination port after translation (0 = unchanged)
    int64_t expiresNs{0};          //!< when the pinhole closes unused
    int64_t createdNs{0};          //!< when it was opened (its `duration=`)
    bool oneShot{true};            //!< removed by the first child
    uint32_t parentSerial{0};      //!< serial of the session whose helper opened it
    uint32_t policyId{0};          //!< the parent's policy (the child inherits it)
    uint8_t inIf{0};               //!< interface the child is expected on (the parent's side)
    uint8_t childHelper{0};        //!< session helper id the child gets (0 = none)
    uint8_t expectClass{0};        //!< class the per-parent limit counts it in (helper-defined)
    uint16_t classMax{0};          //!< per-parent limit of its class (0 = the table's limit)
    uint32_t childTtl{0};          //!< the child's TTL once replied, s (0 = its protocol's)
    uint32_t childUnrepliedTtl{0}; //!< its TTL until a reply is seen, s (0 = its protocol's)
    std::string helper;            //!< name of the helper that opened it

    /// \return true when the arriving tuple \p t matches
    bool Matches(const FlowTuple& t) const
    {
        return t.proto == proto && t.dst == dst && t.dport == dport && (src == 0 || t.src == src) &&
               (sport == 0 || t.sport == sport);
    }
};

/**
 * \ingroup fortigate
 * A NAT reservation: a session helper announced that private endpoint privIp:privPort is
 * reachable at pubIp:pubPort (e.g. a phone's media port written into a call set-up, moved when
 * another phone holds it). The datapath's source NAT gives the endpoint's own new sessions exactly
 * that public port, whatever the order of first packets (so the media the peer sends to the
 * announced port and the media the endpoint sends share one mapping), and no other endpoint
 * gets that port. Removed with its parent session, by its helper, or when it expires. Pure data.
 */
struct NatReservation
{
    uint8_t proto{0};         //!< IP protocol (UDP for media)
    uint32_t privIp{0};       //!< the endpoint's own address
    uint16_t privPort{0};     //!< its port
    uint32_t pubIp{0};        //!< translated address it is announced at
    uint16_t pubPort{0};      //!< translated port it is announced at
    int64_t expiresNs{0};     //!< when it lapses unless renewed
    uint32_t parentSerial{0}; //!< the session whose helper made it
    std::string helper;       //!< name of that helper
};

/**
 * \ingroup fortigate
 * The pinholes of one FortiGate: limits per parent (per class) and overall (hits counted),
 * expiry, removal with the parent, deterministic order (oldest first). It also holds the
 * helpers' NAT reservations (NatReservation), which share the pinholes' life cycle.
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
     * instead. When the parent holds its class's limit already (e.classMax, else maxPerParent)
     * the parent's oldest pinhole of that class is replaced (as Linux does per expectation
     * class); when the table holds maxTotal the new one is refused. Both are counted.
     */
    AddResult Add(const Expectation& e);

    /**
     * Find the pinhole an arriving tuple opens (oldest match first); a one-shot pinhole is
     * removed. \return true and the pinhole in \p out when found.
     */
    bool Match(const FlowTuple& t, int64_t nowNs, Expectation* out);

    /// \return true when an arriving tuple \p t would match a pinhole (Match without using it)
    bool WouldMatch(const FlowTuple& t, int64_t nowNs) const;

    /// Remove every pinhole (and NAT reservation) of a parent. \return how many pinholes
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

    /// Drop pinholes (and NAT reservations) whose time is up. \return how many pinholes
    uint32_t Expire(int64_t nowNs);

    // ---- NAT reservations ----------------------------------------------------------------

    /**
     * Reserve pubIp:pubPort for private endpoint privIp:privPort. The endpoint's reservation on
     * the same public address is replaced (refreshed when equal: expiry and parent follow the
     * newest). \return false, changing nothing, when another endpoint holds that public port,
     * or when the table holds maxTotal reservations
     */
    bool Reserve(const NatReservation& r);

    /// \return the reservation of private endpoint \p ip:\p port on public address \p pubIp
    ///         that is not expired at \p nowNs, or nullptr
    const NatReservation* FindReservation(uint8_t proto,
                                          uint32_t ip,
                                          uint16_t port,
                                          uint32_t pubIp,
                                          int64_t nowNs) const;

    /// \return the first reservation of private endpoint \p ip:\p port on a public address in
    ///         \p pubLo..\p pubHi (an IP pool) that is not expired at \p nowNs, or nullptr
    const NatReservation* FindReservation(uint8_t proto,
                                          uint32_t ip,
                                          uint16_t port,
                                          uint32_t pubLo,
                                          uint32_t pubHi,
                                          int64_t nowNs) const;

    /// \return the reservation holding public \p pubIp:\p pubPort not expired at \p nowNs,
    ///         or nullptr
    const NatReservation* ReservationOf(uint8_t proto,
                                        uint32_t pubIp,
                                        uint16_t pubPort,
                                        int64_t nowNs) const;

    /// Remove the reservations \p pred selects. \return how many
    uint32_t RemoveReservationsIf(const std::function<bool(const NatReservation&)>& pred);

    /// \return the reservations, by (proto, public address, public port)
    std::vector<NatReservation> Reservations() const;

    /// \return number of reservations
    std::size_t ReservationCount() const
    {
        return m_reserved.size();
    }

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

    /// \return pinholes of one parent in class \p expectClass
    uint32_t CountForParent(uint32_t parentSerial, uint8_t expectClass) const;

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
     * (wildcards print as 0) and the remaining seconds as expire. \p shownHelper is the
     * helper name printed (`helper=`; none when empty): the datapath shows FortiOS's names,
     * e.g. none for a proxy helper (an ALG), whose sessions show `redir local` instead.
     */
    static std::string Format(const Expectation& e, int64_t nowNs, const std::string& shownHelper);

    /**
     * The FortiOS 7.x block of one pinhole (community.fortinet.com ta-p/223190, `diagnose sys
     * session list expectation` on FortiOS 7): its age as `duration=`, the seconds left as
     * `expire=` (negative when the unit is late removing it), `refresh_dir=both ... socktype=0
     * ... use=2`, the devices it is expected on and leaves by (\p devIn, \p devOut), the second
     * hook `hook=pre dir=org act=noop 0.0.0.0:0->0.0.0.0:0(0.0.0.0:0)` (when there is no SNAT
     * hook), `pol_uuid_idx=` and no `dd_type` line.
     */
    static std::string Format7(const Expectation& e,
                               int64_t nowNs,
                               const std::string& shownHelper,
                               uint32_t devIn,
                               uint32_t devOut);

    /// Format() showing the pinhole's own helper name.
    static std::string Format(const Expectation& e, int64_t nowNs)
    {
        return Format(e, nowNs, e.helper);
    }

  private:
    /// (proto, public address, public port)
    using PubKey = std::tuple<uint8_t, uint32_t, uint16_t>;
    /// (proto, private address, private port, public address)
    using PrivKey = std::tuple<uint8_t, uint32_t, uint16_t, uint32_t>;

    std::list<Expectation> m_list;               //!< oldest first
    std::map<PubKey, NatReservation> m_reserved; //!< NAT reservations by public port
    std::map<PrivKey, uint16_t> m_reservedBy;    //!< their public port by private endpoint
    uint32_t m_maxPerParent;                     //!< per-parent limit
    uint32_t m_maxTotal;                         //!< overall limit
    uint64_t m_perParentHits{0};                 //!< per-parent limit hits
    uint64_t m_totalHits{0};                     //!< overall limit hits
    uint64_t m_matched{0};                       //!< matched pinholes
    uint64_t m_expired{0};                       //!< expired pinholes
};

} // namespace ns3

#endif // FORTIGATE_EXPECTATION_TABLE_H
