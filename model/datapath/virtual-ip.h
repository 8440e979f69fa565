/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_VIRTUAL_IP_H
#define FORTIGATE_VIRTUAL_IP_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * One `config firewall vip` entry (destination NAT). Pure value type, host byte order.
 *
 * A range whose `...Hi` field is 0 is a single value (`...Lo`), so `extipLo = X` alone means
 * `set extip X`. Two kinds of VIP:
 * - static NAT (`portforward disable`): every protocol and port to extip is sent to mappedip,
 *   ports unchanged;
 * - port forwarding (`portforward enable`): only `protocol` to extip:extport, sent to
 *   mappedip:mappedport (port offset kept inside a port range).
 * The external range maps address by address onto the mapped range (same size), or, when the
 * mapped range is one address, every external address maps to it. Port ranges follow the same
 * rule.
 */
struct VipConfig
{
    std::string name;           //!< `edit <name>`
    uint32_t extipLo{0};        //!< `set extip` first address
    uint32_t extipHi{0};        //!< `set extip` last address (0 = same as extipLo)
    uint32_t mappedipLo{0};     //!< `set mappedip` first address
    uint32_t mappedipHi{0};     //!< `set mappedip` last address (0 = same as mappedipLo)
    std::string extintf{"any"}; //!< `set extintf` (interface name or "any")
    bool portforward{false};    //!< `set portforward enable|disable`
    uint8_t protocol{6};        //!< `set protocol tcp|udp|sctp|icmp` (6, 17, 132, 1)
    uint16_t extportLo{0};      //!< `set extport` first port (port forwarding)
    uint16_t extportHi{0};      //!< `set extport` last port (0 = same as extportLo)
    uint16_t mappedportLo{0};   //!< `set mappedport` first port (port forwarding)
    uint16_t mappedportHi{0};   //!< `set mappedport` last port (0 = same as mappedportLo)
    bool arpReply{true};        //!< `set arp-reply enable|disable`
    bool natSourceVip{false};   //!< `set nat-source-vip enable|disable` (see VipTable)
    std::string comment;        //!< `set comment`

    bool operator==(const VipConfig& o) const;

    bool operator!=(const VipConfig& o) const
    {
        return !(*this == o);
    }

    /// \return the last external address (extipHi, or extipLo when extipHi is 0)
    uint32_t ExtIpHi() const
    {
        return extipHi == 0 ? extipLo : extipHi;
    }

    /// \return the last mapped address
    uint32_t MappedIpHi() const
    {
        return mappedipHi == 0 ? mappedipLo : mappedipHi;
    }

    /// \return the last external port
    uint16_t ExtPortHi() const
    {
        return extportHi == 0 ? extportLo : extportHi;
    }

    /// \return the last mapped port
    uint16_t MappedPortHi() const
    {
        return mappedportHi == 0 ? mappedportLo : mappedportHi;
    }

    /// \return true when this port-forward VIP translates ports (TCP, UDP or SCTP)
    bool HasPorts() const
    {
        return portforward && protocol != 1;
    }
};

/// \return the FortiOS keyword of a VIP protocol number ("tcp", "udp", "sctp", "icmp"), or
///         nullptr when the number is none of them.
const char* VipProtocolName(uint8_t proto);

/// Parse `tcp|udp|sctp|icmp`. \return false (and leave \p proto) when the keyword is unknown.
bool ParseVipProtocol(const std::string& text, uint8_t& proto);

/**
 * Check one VIP on its own.
 *
 * Rules: a name; extip and mappedip set, each range ordered; the mapped range as large as the
 * external one or a single address; an extintf; for port forwarding a protocol of tcp, udp,
 * sctp or icmp and, except for icmp, extport and mappedport in 1..65535, ordered, and the
 * mapped port range as large as the external one or a single port; without port forwarding no
 * extport/mappedport.
 *
 * \throws ConfigError naming the VIP and the field, e.g.
 *   `firewall vip "web": mappedip: 10.0.0.1-10.0.0.3 has 3 addresses, extip has 2`
 */
void ValidateVip(const VipConfig& vip);

/**
 * \return true when two VIPs cannot both exist: their external interfaces intersect (same name,
 * or either is "any"), their external ranges overlap, and they are both static NAT, or both port
 * forwarding of the same protocol with overlapping external port ranges.
 *
 * A static-NAT VIP and a port-forwarding VIP may share an external address: the port-forwarding
 * VIP, being more specific, wins for its protocol and ports (VipTable::Lookup).
 */
bool VipsConflict(const VipConfig& a, const VipConfig& b);

/**
 * \ingroup fortigate
 * The VIP configuration compiled for the datapath.
 *
 * Lookups are O(log n) in the number of VIPs: external (and mapped) ranges are cut into
 * elementary intervals, each holding only the VIPs that cover it; port-forward VIPs inside an
 * interval are indexed the same way by protocol and port. Results point into the table's own
 * copy of the configuration and stay valid until the next Build().
 */
class VipTable
{
  public:
    /// Callback giving the ifIndex of an interface name (negative when unknown).
    using IfIndexOfName = std::function<int(const std::string&)>;

    /// Result of a DNAT lookup.
    struct Match
    {
        const VipConfig* vip{nullptr}; //!< the matching VIP
        uint32_t mappedIp{0};          //!< destination address after DNAT
        uint16_t mappedPort{0};        //!< destination port after DNAT
    };

    /// Result of a reverse (source NAT) lookup.
    struct ReverseMatch
    {
        const VipConfig* vip{nullptr}; //!< the VIP whose mapped range holds the source
        uint32_t extIp{0};             //!< source address to use (the VIP's external address)
        bool forced{false}; //!< true when the VIP has nat-source-vip enable (applies even to
                            //!< policies with nat disable and before an IP pool)
    };

    /**
     * Replace the table. Validates every VIP (ValidateVip), resolves extintf names and rejects
     * conflicting pairs (VipsConflict). On error the previous table is kept unchanged.
     * \param vips the `config firewall vip` entries, in configuration order
     * \param ifIndexOfName maps an extintf name to its ifIndex (not called for "any")
     * \throws ConfigError naming the VIP and the field
     */
    void Build(const std::vector<VipConfig>& vips, const IfIndexOfName& ifIndexOfName);

    /// Remove all VIPs.
    void Clear();

    /// \return number of VIPs in the table
    std::size_t Size() const
    {
        return m_vips.size();
    }

    /**
     * DNAT lookup for the first packet of a session (before routing and policy).
     *
     * A port-forward VIP matches only its protocol and external port range (the offset inside
     * the range is kept in the mapped range; ICMP port forwards match any ICMP and keep the id);
     * a static-NAT VIP matches every protocol and port and keeps the port. A port-forward VIP
     * wins over a static-NAT VIP on the same address. VIPs bound to an interface match only
     * packets arriving on it; "any" matches every interface.
     *
     * \param inIf arrival interface index
     * \param proto IP protocol
     * \param dst destination address (host order)
     * \param dport destination port (ICMP: echo id)
     * \param[out] out the translation when found
     * \return true when a VIP matches
     */
    bool Lookup(uint8_t inIf, uint8_t proto, uint32_t dst, uint16_t dport, Match* out) const;

    /**
     * Reverse VIP source NAT for a new session started by a mapped server.
     *
     * FortiOS (policy NAT mode) translates the source of outgoing sessions from a static-NAT
     * VIP's mapped address to its external address ("reverse SNAT"). The order FortiOS applies
     * for a new outgoing session, which the datapath implements with this lookup:
     *  1. a VIP with `nat-source-vip enable` (ReverseMatch::forced): always its external address,
     *     whatever the policy's nat setting;
     *  2. policy `nat enable` with an IP pool: the pool;
     *  3. policy `nat enable` without pool: the static VIP's external address if this lookup
     *     finds one, else the egress interface address;
     *  4. policy `nat disable`: no source NAT.
     * Candidates are static-NAT VIPs, and port-forward VIPs only when they have nat-source-vip
     * enabled. The source port is kept. When several VIPs map the address, the first in
     * configuration order wins.
     *
     * \param mappedIp source address of the new session (host order)
     * \param srcPort its source port (kept; reserved for protocol-specific rules)
     * \param proto IP protocol (port-forward candidates must match it)
     * \param outIf egress interface index, or -1 for any; VIPs bound to another interface
     *        do not apply
     * \param[out] out the translation when found
     * \return true when a VIP applies
     */
    bool ReverseLookup(uint32_t mappedIp,
                       uint16_t srcPort,
                       uint8_t proto,
                       int outIf,
                       ReverseMatch* out) const;

    /// \return true when some VIP with arp-reply enabled has \p ip in its external range
    ///         (the FortiGate answers ARP for it: proxy-ARP).
    bool OwnsAddress(uint32_t ip) const;

    /// \return true when a VIP with arp-reply enabled bound to \p ifIndex (or to "any") has
    ///         \p ip in its external range.
    bool OwnsAddress(uint32_t ip, uint8_t ifIndex) const;

  private:
    /// Elementary-interval index: maps a point to the ids of the intervals covering it.
    class IntervalIndex
    {
      public:
        struct Item
        {
            uint32_t lo;
            uint32_t hi;
            uint32_t id;
        };

        /// Build from items (ids are appended in the order given).
        void Build(const std::vector<Item>& items);
        /// \return the segment holding \p x, or -1 when no interval covers it.
        int64_t Segment(uint32_t x) const;

        /// \return the ids covering segment \p seg (in insertion order).
        const std::vector<uint32_t>& IdsOf(std::size_t seg) const
        {
            return m_ids[seg];
        }

        /// \return the ids covering \p x (in insertion order), or nullptr.
        const std::vector<uint32_t>* Find(uint32_t x) const;

        /// \return number of segments
        std::size_t NumSegments() const
        {
            return m_starts.size();
        }

      private:
        std::vector<uint32_t> m_starts;           //!< segment start points, sorted
        std::vector<std::vector<uint32_t>> m_ids; //!< ids per segment
    };

    /// Port-forward index of one protocol inside one external-address segment.
    struct ProtoPorts
    {
        uint8_t proto{0};
        IntervalIndex ports;
    };

    /// What covers one elementary external-address segment.
    struct ExtSegment
    {
        std::vector<uint32_t> statics; //!< static-NAT VIPs
        std::vector<ProtoPorts> pf;    //!< port-forward VIPs by protocol (sorted by proto)
        std::vector<int> arpIfs;       //!< ifIndex of arp-reply VIPs (-1 = any), unique
    };

    bool IfMatches(uint32_t vipIdx, int ifIndex) const;

    std::vector<VipConfig> m_vips;      //!< configuration copy (Match points here)
    std::vector<int> m_ifIndex;         //!< resolved extintf per VIP (-1 = any)
    IntervalIndex m_ext;                //!< external ranges -> segment id
    std::vector<ExtSegment> m_segments; //!< per external segment id
    IntervalIndex m_reverse;            //!< mapped ranges of reverse-SNAT candidates -> VIP ids
};

} // namespace ns3

#endif // FORTIGATE_VIRTUAL_IP_H
