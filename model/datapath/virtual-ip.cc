/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "virtual-ip.h"

#include "flow-tuple.h"

#include "ns3/config-error.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateVirtualIp");

bool
VipConfig::operator==(const VipConfig& o) const
{
    return name == o.name && extipLo == o.extipLo && extipHi == o.extipHi &&
           mappedipLo == o.mappedipLo && mappedipHi == o.mappedipHi && extintf == o.extintf &&
           portforward == o.portforward && protocol == o.protocol && extportLo == o.extportLo &&
           extportHi == o.extportHi && mappedportLo == o.mappedportLo &&
           mappedportHi == o.mappedportHi && arpReply == o.arpReply &&
           natSourceVip == o.natSourceVip && comment == o.comment;
}

const char*
VipProtocolName(uint8_t proto)
{
    switch (proto)
    {
    case 6:
        return "tcp";
    case 17:
        return "udp";
    case 132:
        return "sctp";
    case 1:
        return "icmp";
    default:
        return nullptr;
    }
}

bool
ParseVipProtocol(const std::string& text, uint8_t& proto)
{
    static const uint8_t all[] = {6, 17, 132, 1};
    for (uint8_t p : all)
    {
        if (text == VipProtocolName(p))
        {
            proto = p;
            return true;
        }
    }
    return false;
}

namespace
{

[[noreturn]] void
Fail(const VipConfig& vip, const char* field, const std::string& what)
{
    throw ConfigError("firewall vip \"" + vip.name + "\": " + field + ": " + what);
}

std::string
RangeText(uint32_t lo, uint32_t hi)
{
    return lo == hi ? Ipv4ToString(lo) : Ipv4ToString(lo) + "-" + Ipv4ToString(hi);
}

std::string
PortRangeText(uint16_t lo, uint16_t hi)
{
    return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
}

bool
RangesOverlap(uint32_t aLo, uint32_t aHi, uint32_t bLo, uint32_t bHi)
{
    return aLo <= bHi && bLo <= aHi;
}

bool
IfScopesIntersect(const VipConfig& a, const VipConfig& b)
{
    return a.extintf == "any" || b.extintf == "any" || a.extintf == b.extintf;
}

} // namespace

void
ValidateVip(const VipConfig& vip)
{
    if (vip.name.empty())
    {
        throw ConfigError("firewall vip: name: must not be empty");
    }
    if (vip.extipLo == 0)
    {
        Fail(vip, "extip", "must be set");
    }
    if (vip.ExtIpHi() < vip.extipLo)
    {
        Fail(vip,
             "extip",
             "range end " + Ipv4ToString(vip.extipHi) + " is below its start " +
                 Ipv4ToString(vip.extipLo));
    }
    if (vip.mappedipLo == 0)
    {
        Fail(vip, "mappedip", "must be set");
    }
    if (vip.MappedIpHi() < vip.mappedipLo)
    {
        Fail(vip,
             "mappedip",
             "range end " + Ipv4ToString(vip.mappedipHi) + " is below its start " +
                 Ipv4ToString(vip.mappedipLo));
    }
    const uint64_t nExt = uint64_t(vip.ExtIpHi()) - vip.extipLo + 1;
    const uint64_t nMapped = uint64_t(vip.MappedIpHi()) - vip.mappedipLo + 1;
    if (nMapped != 1 && nMapped != nExt)
    {
        Fail(vip,
             "mappedip",
             RangeText(vip.mappedipLo, vip.MappedIpHi()) + " has " + std::to_string(nMapped) +
                 " addresses, extip has " + std::to_string(nExt));
    }
    if (vip.extintf.empty())
    {
        Fail(vip, "extintf", "must name an interface or \"any\"");
    }
    if (!vip.portforward)
    {
        if (vip.extportLo != 0 || vip.extportHi != 0)
        {
            Fail(vip, "extport", "needs portforward enable");
        }
        if (vip.mappedportLo != 0 || vip.mappedportHi != 0)
        {
            Fail(vip, "mappedport", "needs portforward enable");
        }
        return;
    }
    if (VipProtocolName(vip.protocol) == nullptr)
    {
        Fail(vip,
             "protocol",
             std::to_string(vip.protocol) + " is not tcp(6), udp(17), sctp(132) or icmp(1)");
    }
    if (vip.protocol == 1)
    {
        if (vip.extportLo != 0 || vip.extportHi != 0 || vip.mappedportLo != 0 ||
            vip.mappedportHi != 0)
        {
            Fail(vip, "extport", "protocol icmp has no ports");
        }
        return;
    }
    if (vip.extportLo == 0)
    {
        Fail(vip, "extport", "must be set (1-65535) with portforward enable");
    }
    if (vip.ExtPortHi() < vip.extportLo)
    {
        Fail(vip,
             "extport",
             "range end " + std::to_string(vip.extportHi) + " is below its start " +
                 std::to_string(vip.extportLo));
    }
    if (vip.mappedportLo == 0)
    {
        Fail(vip, "mappedport", "must be set (1-65535) with portforward enable");
    }
    if (vip.MappedPortHi() < vip.mappedportLo)
    {
        Fail(vip,
             "mappedport",
             "range end " + std::to_string(vip.mappedportHi) + " is below its start " +
                 std::to_string(vip.mappedportLo));
    }
    const uint32_t nExtPorts = uint32_t(vip.ExtPortHi()) - vip.extportLo + 1;
    const uint32_t nMappedPorts = uint32_t(vip.MappedPortHi()) - vip.mappedportLo + 1;
    if (nMappedPorts != 1 && nMappedPorts != nExtPorts)
    {
        Fail(vip,
             "mappedport",
             PortRangeText(vip.mappedportLo, vip.MappedPortHi()) + " has " +
                 std::to_string(nMappedPorts) + " ports, extport has " + std::to_string(nExtPorts));
    }
}

bool
VipsConflict(const VipConfig& a, const VipConfig& b)
{
    if (!IfScopesIntersect(a, b) || !RangesOverlap(a.extipLo, a.ExtIpHi(), b.extipLo, b.ExtIpHi()))
    {
        return false;
    }
    if (!a.portforward && !b.portforward)
    {
        return true;
    }
    if (a.portforward != b.portforward || a.protocol != b.protocol)
    {
        return false;
    }
    if (!a.HasPorts())
    {
        return true; // two ICMP port forwards on the same address
    }
    return RangesOverlap(a.extportLo, a.ExtPortHi(), b.extportLo, b.ExtPortHi());
}

// ---- IntervalIndex ---------------------------------------------------------------------------

void
VipTable::IntervalIndex::Build(const std::vector<Item>& items)
{
    std::vector<uint64_t> bounds;
    bounds.reserve(items.size() * 2);
    for (const auto& it : items)
    {
        bounds.push_back(it.lo);
        bounds.push_back(uint64_t(it.hi) + 1);
    }
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    m_starts.clear();
    for (uint64_t b : bounds)
    {
        if (b <= UINT32_MAX)
        {
            m_starts.push_back(static_cast<uint32_t>(b));
        }
    }
    m_ids.assign(m_starts.size(), {});
    for (const auto& it : items)
    {
        auto first = std::lower_bound(m_starts.begin(), m_starts.end(), it.lo);
        for (auto s = first; s != m_starts.end() && *s <= it.hi; ++s)
        {
            m_ids[s - m_starts.begin()].push_back(it.id);
        }
    }
}

int64_t
VipTable::IntervalIndex::Segment(uint32_t x) const
{
    auto it = std::upper_bound(m_starts.begin(), m_starts.end(), x);
    if (it == m_starts.begin())
    {
        return -1;
    }
    const std::size_t seg = (it - m_starts.begin()) - 1;
    return m_ids[seg].empty() ? -1 : static_cast<int64_t>(seg);
}

const std::vector<uint32_t>*
VipTable::IntervalIndex::Find(uint32_t x) const
{
    const int64_t seg = Segment(x);
    return seg < 0 ? nullptr : &m_ids[seg];
}

// ---- VipTable --------------------------------------------------------------------------------

void
VipTable::Build(const std::vector<VipConfig>& vips, const IfIndexOfName& ifIndexOfName)
{
    // Everything is built into locals first so that an error leaves the table unchanged.
    std::vector<int> ifIndex;
    ifIndex.reserve(vips.size());
    for (const auto& v : vips)
    {
        ValidateVip(v);
        if (v.extintf == "any")
        {
            ifIndex.push_back(-1);
            continue;
        }
        const int idx = ifIndexOfName ? ifIndexOfName(v.extintf) : -1;
        if (idx < 0)
        {
            Fail(v, "extintf", "unknown interface \"" + v.extintf + "\"");
        }
        ifIndex.push_back(idx);
    }

    // Duplicate names and conflicting pairs: sweep over VIPs sorted by external start address,
    // comparing each with the earlier ones whose range still reaches it.
    std::vector<uint32_t> order(vips.size());
    for (uint32_t i = 0; i < order.size(); ++i)
    {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&vips](uint32_t a, uint32_t b) {
        return vips[a].extipLo != vips[b].extipLo ? vips[a].extipLo < vips[b].extipLo : a < b;
    });
    {
        std::vector<std::string> names;
        names.reserve(vips.size());
        for (const auto& v : vips)
        {
            names.push_back(v.name);
        }
        std::sort(names.begin(), names.end());
        auto dup = std::adjacent_find(names.begin(), names.end());
        if (dup != names.end())
        {
            throw ConfigError("firewall vip \"" + *dup + "\": name: defined twice");
        }
    }
    std::vector<uint32_t> active; // indices into vips, ranges may still overlap later ones
    for (uint32_t i : order)
    {
        const VipConfig& v = vips[i];
        active.erase(std::remove_if(active.begin(),
                                    active.end(),
                                    [&](uint32_t j) { return vips[j].ExtIpHi() < v.extipLo; }),
                     active.end());
        for (uint32_t j : active)
        {
            if (VipsConflict(vips[j], v))
            {
                const VipConfig& first = j < i ? vips[j] : v;
                const VipConfig& second = j < i ? v : vips[j];
                Fail(second,
                     "extip",
                     "conflicts with vip \"" + first.name + "\" (" +
                         RangeText(first.extipLo, first.ExtIpHi()) + " on " + first.extintf + ")");
            }
        }
        active.push_back(i);
    }

    // External index: elementary segments of all external ranges.
    IntervalIndex ext;
    std::vector<IntervalIndex::Item> items;
    items.reserve(vips.size());
    for (uint32_t i = 0; i < vips.size(); ++i)
    {
        items.push_back({vips[i].extipLo, vips[i].ExtIpHi(), i});
    }
    ext.Build(items);
    std::vector<ExtSegment> segments(ext.NumSegments());
    for (std::size_t s = 0; s < segments.size(); ++s)
    {
        ExtSegment& seg = segments[s];
        std::vector<std::vector<IntervalIndex::Item>> pfItems; // parallel to seg.pf
        for (uint32_t id : ext.IdsOf(s))
        {
            const VipConfig& v = vips[id];
            if (v.arpReply &&
                std::find(seg.arpIfs.begin(), seg.arpIfs.end(), ifIndex[id]) == seg.arpIfs.end())
            {
                seg.arpIfs.push_back(ifIndex[id]);
            }
            if (!v.portforward)
            {
                seg.statics.push_back(id);
                continue;
            }
            std::size_t p = 0;
            while (p < seg.pf.size() && seg.pf[p].proto != v.protocol)
            {
                ++p;
            }
            if (p == seg.pf.size())
            {
                seg.pf.push_back(ProtoPorts{v.protocol, {}});
                pfItems.emplace_back();
            }
            if (v.HasPorts())
            {
                pfItems[p].push_back({v.extportLo, v.ExtPortHi(), id});
            }
            else
            {
                pfItems[p].push_back({0, 65535, id});
            }
        }
        for (std::size_t p = 0; p < seg.pf.size(); ++p)
        {
            seg.pf[p].ports.Build(pfItems[p]);
        }
    }

    // Reverse index: mapped ranges of static VIPs and of nat-source-vip port forwards.
    IntervalIndex reverse;
    std::vector<IntervalIndex::Item> revItems;
    for (uint32_t i = 0; i < vips.size(); ++i)
    {
        if (!vips[i].portforward || vips[i].natSourceVip)
        {
            revItems.push_back({vips[i].mappedipLo, vips[i].MappedIpHi(), i});
        }
    }
    reverse.Build(revItems);

    m_vips = vips;
    m_ifIndex = std::move(ifIndex);
    m_ext = std::move(ext);
    m_segments = std::move(segments);
    m_reverse = std::move(reverse);
}

void
VipTable::Clear()
{
    m_vips.clear();
    m_ifIndex.clear();
    m_ext = IntervalIndex();
    m_segments.clear();
    m_reverse = IntervalIndex();
}

bool
VipTable::IfMatches(uint32_t vipIdx, int ifIndex) const
{
    const int want = m_ifIndex[vipIdx];
    return want < 0 || ifIndex < 0 || want == ifIndex;
}

bool
VipTable::Lookup(uint8_t inIf, uint8_t proto, uint32_t dst, uint16_t dport, Match* out) const
{
    const int64_t s = m_ext.Segment(dst);
    if (s < 0)
    {
        return false;
    }
    const ExtSegment& seg = m_segments[s];
    for (const auto& pp : seg.pf)
    {
        if (pp.proto != proto)
        {
            continue;
        }
        const std::vector<uint32_t>* ids = pp.ports.Find(proto == 1 ? 0 : dport);
        if (ids == nullptr)
        {
            break;
        }
        for (uint32_t id : *ids)
        {
            if (!IfMatches(id, inIf))
            {
                continue;
            }
            const VipConfig& v = m_vips[id];
            const bool ipRange = v.MappedIpHi() != v.mappedipLo;
            out->vip = &v;
            out->mappedIp = ipRange ? v.mappedipLo + (dst - v.extipLo) : v.mappedipLo;
            if (v.HasPorts())
            {
                const bool portRange = v.MappedPortHi() != v.mappedportLo;
                out->mappedPort =
                    portRange ? uint16_t(v.mappedportLo + (dport - v.extportLo)) : v.mappedportLo;
            }
            else
            {
                out->mappedPort = dport;
            }
            return true;
        }
        break;
    }
    for (uint32_t id : seg.statics)
    {
        if (!IfMatches(id, inIf))
        {
            continue;
        }
        const VipConfig& v = m_vips[id];
        const bool ipRange = v.MappedIpHi() != v.mappedipLo;
        out->vip = &v;
        out->mappedIp = ipRange ? v.mappedipLo + (dst - v.extipLo) : v.mappedipLo;
        out->mappedPort = dport;
        return true;
    }
    return false;
}

bool
VipTable::ReverseLookup(uint32_t mappedIp,
                        uint16_t srcPort,
                        uint8_t proto,
                        int outIf,
                        ReverseMatch* out) const
{
    (void)srcPort;
    const std::vector<uint32_t>* ids = m_reverse.Find(mappedIp);
    if (ids == nullptr)
    {
        return false;
    }
    for (uint32_t id : *ids) // configuration order
    {
        const VipConfig& v = m_vips[id];
        if (!IfMatches(id, outIf))
        {
            continue;
        }
        if (v.portforward && v.protocol != proto)
        {
            continue;
        }
        const bool ipRange = v.MappedIpHi() != v.mappedipLo;
        out->vip = &v;
        out->extIp = ipRange ? v.extipLo + (mappedIp - v.mappedipLo) : v.extipLo;
        out->forced = v.natSourceVip;
        return true;
    }
    return false;
}

bool
VipTable::OwnsAddress(uint32_t ip) const
{
    const int64_t s = m_ext.Segment(ip);
    return s >= 0 && !m_segments[s].arpIfs.empty();
}

bool
VipTable::OwnsAddress(uint32_t ip, uint8_t ifIndex) const
{
    const int64_t s = m_ext.Segment(ip);
    if (s < 0)
    {
        return false;
    }
    for (int i : m_segments[s].arpIfs)
    {
        if (i < 0 || i == ifIndex)
        {
            return true;
        }
    }
    return false;
}

} // namespace ns3
