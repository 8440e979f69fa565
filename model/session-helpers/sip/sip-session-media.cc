/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The SIP session helper's media work: SDP rewriting, the RTP/RTCP port pairs it allocates,
 * NAT reservations and media pinholes of a call (split from sip-session-helper.cc: one job
 * per file).
 */
#include "sip-session-helper.h"

#include "ns3/log.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipSessionMedia");

namespace
{
using Key = SipSessionState::PinholeKey;
} // namespace

// ---- SDP -----------------------------------------------------------------------------------

uint16_t
SipSessionHelper::AllocateMediaPair(HelperContext& ctx,
                                    const SipNatOptions& o,
                                    uint32_t addr,
                                    uint16_t preferred,
                                    bool needRtcp,
                                    uint32_t privAddr,
                                    uint16_t privPort,
                                    uint16_t privRtcp)
{
    // Ports held only by this endpoint (its own earlier call's media) are free for it.
    auto take = [&](uint32_t p, uint16_t priv) {
        return ctx.AllocatePortFor(IPPROTO_NUM_UDP, addr, static_cast<uint16_t>(p), privAddr, priv);
    };
    auto free = [&](uint32_t p) {
        if (p == 0 || p < o.portLow || p > o.portHigh || (needRtcp && p + 1 > o.portHigh))
        {
            return false;
        }
        if (take(p, privPort) != p)
        {
            return false;
        }
        return !needRtcp || take(p + 1, privRtcp) == p + 1;
    };
    // The endpoint already has a public port (a reservation, or media it sends now): announce
    // that one, so its own packets and the peer's meet in one mapping.
    const uint16_t current = ctx.MappedPort(IPPROTO_NUM_UDP, privAddr, privPort, addr);
    if (current != 0 && free(current))
    {
        return current;
    }
    if (free(preferred))
    {
        return preferred;
    }
    // Deterministic walk upwards from the preferred port (RTP ports stay even).
    const uint32_t step = needRtcp ? 2 : 1;
    const uint32_t span = static_cast<uint32_t>(o.portHigh) - o.portLow + 1;
    uint32_t p = preferred;
    if (needRtcp)
    {
        p &= ~1u;
    }
    for (uint32_t attempt = 0; attempt < 256; ++attempt)
    {
        p += step;
        if (p > o.portHigh)
        {
            p = o.portLow + ((o.portLow & 1u) && needRtcp ? 1 : 0);
        }
        if (free(p))
        {
            return static_cast<uint16_t>(p);
        }
        if (attempt > span)
        {
            break;
        }
    }
    return 0;
}

void
SipSessionHelper::SyncCallMappings(HelperContext& ctx,
                                   SipSessionState& st,
                                   SipSessionState::Call& call)
{
    std::vector<SipSessionState::Mapping> keep;
    for (int x = 0; x < 2; ++x)
    {
        if (!call.haveMedia[x])
        {
            continue;
        }
        for (const SipSessionState::Media& md : call.media[x])
        {
            if (!md.handled || md.pubPort == 0 || md.sdpAddr == md.pubAddr)
            {
                continue; // not translated here: nothing to reserve
            }
            for (int rtcp = 0; rtcp < 2; ++rtcp)
            {
                SipSessionState::Mapping mp{md.sdpAddr,
                                            rtcp ? md.sdpRtcp : md.sdpPort,
                                            md.pubAddr,
                                            rtcp ? md.pubRtcp : md.pubPort};
                if (mp.privPort == 0 || mp.pubPort == 0 ||
                    std::find(keep.begin(), keep.end(), mp) != keep.end())
                {
                    continue;
                }
                NatReservation r =
                    ctx.MakeReservation(IPPROTO_NUM_UDP, m_mediaPinholeTimeout, GetName());
                r.privIp = mp.privIp;
                r.privPort = mp.privPort;
                r.pubIp = mp.pubIp;
                r.pubPort = mp.pubPort;
                if (!ctx.ReserveNat(r))
                {
                    ++m_stats.natReservationsRefused;
                    NS_LOG_WARN("sip: NAT reservation "
                                << Ipv4ToString(r.privIp) << ":" << r.privPort << " -> "
                                << Ipv4ToString(r.pubIp) << ":" << r.pubPort << " refused");
                    continue;
                }
                if (std::find(call.mappings.begin(), call.mappings.end(), mp) ==
                    call.mappings.end())
                {
                    ++m_stats.natReservations;
                }
                keep.push_back(mp);
            }
        }
    }
    std::vector<SipSessionState::Mapping> stale;
    for (const auto& mp : call.mappings)
    {
        if (std::find(keep.begin(), keep.end(), mp) == keep.end())
        {
            stale.push_back(mp);
        }
    }
    call.mappings = std::move(keep);
    ReleaseCallMappings(ctx, st, call, stale);
}

void
SipSessionHelper::ReleaseCallMappings(HelperContext& ctx,
                                      SipSessionState& st,
                                      SipSessionState::Call& call,
                                      const std::vector<SipSessionState::Mapping>& gone)
{
    if (gone.empty())
    {
        return;
    }
    std::vector<SipSessionState::Mapping> drop;
    for (const auto& mp : gone)
    {
        // A phone's media port announced by another live call of this session stays reserved.
        bool shared = false;
        for (const auto& [id, other] : st.calls)
        {
            shared = shared || (&other != &call && other.phase != SipSessionState::ENDED &&
                                std::find(other.mappings.begin(), other.mappings.end(), mp) !=
                                    other.mappings.end());
        }
        if (!shared)
        {
            drop.push_back(mp);
        }
    }
    if (drop.empty())
    {
        return;
    }
    ctx.RemoveReservations([&drop](const NatReservation& r) {
        for (const auto& mp : drop)
        {
            if (r.proto == IPPROTO_NUM_UDP && r.privIp == mp.privIp && r.privPort == mp.privPort &&
                r.pubIp == mp.pubIp && r.pubPort == mp.pubPort)
            {
                return true;
            }
        }
        return false;
    });
}

void
SipSessionHelper::ProcessSdp(Message& m,
                             const SipNatOptions& o,
                             SipRewriter& rw,
                             SipSessionState::Call& call)
{
    HelperContext& ctx = *m.ctx;
    const SipMessage& msg = *m.msg;
    const SdpMessage& sdp = msg.sdp;
    const FlowTuple& in = ctx.view.tuple;
    const FlowTuple& out = ctx.leaving;
    const bool natted = in.src != out.src;
    const int side = m.side;
    std::vector<SipSessionState::Media> before = call.media[side];
    std::vector<SipSessionState::Media> list;
    bool hntUsed = false;
    bool sdpChanged = false;
    // The public address the sender's media gets: its translated address, or (hosted NAT
    // traversal, not translated here) the address its packets come from.
    const uint32_t publicAddr = natted ? out.src : in.src;
    auto eligible = [&](uint32_t a) {
        return a != 0 && (o.sdpAnyAddress || a == in.src || o.hostedNatTraversal);
    };
    for (std::size_t i = 0; i < sdp.media.size(); ++i)
    {
        const SdpMedia& media = sdp.media[i];
        SipSessionState::Media md;
        const SdpAddress* c = sdp.ConnectionFor(i);
        if (!c || !c->isIpv4 || c->ipv4 == 0 || media.port == 0)
        {
            list.push_back(md); // no address, on hold or rejected: nothing to do
            continue;
        }
        const uint32_t written = c->ipv4;
        uint32_t target = written;
        if (o.hostedNatTraversal && written != in.src)
        {
            target = in.src;
            hntUsed = true;
        }
        if (!o.sdpAnyAddress && target != in.src)
        {
            list.push_back(md); // Linux's direct media: not the sender's own address
            continue;
        }
        md.handled = true;
        md.sdpPort = media.port;
        md.sdpRtcp = media.RtcpPort();
        if (natted && o.sdpFixup)
        {
            md.pubAddr = out.src;
            // A re-offer (or a retransmission) of the same media keeps its public ports.
            const SipSessionState::Media* prev = nullptr;
            for (const auto& b : before)
            {
                if (b.handled && b.sdpAddr == target && b.sdpPort == md.sdpPort &&
                    b.pubAddr == md.pubAddr)
                {
                    prev = &b;
                    break;
                }
            }
            if (prev)
            {
                md.pubPort = prev->pubPort;
                md.pubRtcp = prev->pubRtcp;
            }
            else
            {
                md.pubPort = AllocateMediaPair(ctx,
                                               o,
                                               out.src,
                                               md.sdpPort,
                                               !media.hasRtcp,
                                               target,
                                               md.sdpPort,
                                               md.sdpRtcp);
                if (md.pubPort != 0 && media.hasRtcp)
                {
                    md.pubRtcp = media.rtcpPort == md.sdpPort + 1 && md.pubPort != md.sdpPort
                                     ? static_cast<uint16_t>(md.pubPort + 1)
                                     : AllocateMediaPair(ctx,
                                                         o,
                                                         out.src,
                                                         media.rtcpPort,
                                                         false,
                                                         target,
                                                         media.rtcpPort,
                                                         0);
                }
                else
                {
                    md.pubRtcp = static_cast<uint16_t>(md.pubPort + 1);
                }
                if (md.pubPort == 0 || md.pubRtcp == 0)
                {
                    ++m_stats.noPortForMedia;
                    NS_LOG_WARN("sip: no free port on " << Ipv4ToString(out.src) << " for media "
                                                        << md.sdpPort);
                    list.push_back(SipSessionState::Media());
                    continue;
                }
                if (md.pubPort != md.sdpPort || md.pubRtcp != md.sdpRtcp)
                {
                    ++m_stats.mediaPortsTranslated;
                }
            }
        }
        else if (natted)
        {
            // no-sdp-fixup: the SDP stays as written. When it already names the sender's
            // public address (a PBX that knows it), the pinhole leads there to the sender.
            md.pubAddr = out.src;
            md.pubPort = md.sdpPort;
            md.pubRtcp = md.sdpRtcp;
            if (written == out.src)
            {
                target = in.src;
            }
        }
        else
        {
            md.pubAddr = target;
            md.pubPort = md.sdpPort;
            md.pubRtcp = md.sdpRtcp;
        }
        md.sdpAddr = target;
        md.natted = md.pubAddr != md.sdpAddr || md.pubPort != md.sdpPort;
        if (o.sdpFixup)
        {
            if (md.pubPort != media.port && rw.Replace(media.portSpan, std::to_string(md.pubPort)))
            {
                ++m_stats.fieldsRewritten;
                sdpChanged = true;
            }
            if (media.hasRtcp && md.pubRtcp != media.rtcpPort &&
                rw.Replace(media.rtcpPortSpan, std::to_string(md.pubRtcp)))
            {
                ++m_stats.fieldsRewritten;
                sdpChanged = true;
            }
            if (media.hasRtcp && media.rtcpHasAddress && media.rtcpAddress.isIpv4 &&
                eligible(media.rtcpAddress.ipv4) && media.rtcpAddress.ipv4 != md.pubAddr &&
                rw.Replace(media.rtcpAddress.addressSpan, Ipv4ToString(md.pubAddr)))
            {
                ++m_stats.fieldsRewritten;
                sdpChanged = true;
            }
            for (const SdpAddress& mc : media.connections)
            {
                if (mc.isIpv4 && eligible(mc.ipv4) && mc.ipv4 != md.pubAddr &&
                    rw.Replace(mc.addressSpan, Ipv4ToString(md.pubAddr)))
                {
                    ++m_stats.fieldsRewritten;
                    sdpChanged = true;
                }
            }
        }
        list.push_back(md);
    }
    if (o.sdpFixup && (natted || hntUsed))
    {
        // Session-level c= and o=: the sender's public address.
        for (const SdpAddress& sc : sdp.connections)
        {
            if (sc.isIpv4 && eligible(sc.ipv4) && sc.ipv4 != publicAddr &&
                rw.Replace(sc.addressSpan, Ipv4ToString(publicAddr)))
            {
                ++m_stats.fieldsRewritten;
                sdpChanged = true;
            }
        }
        const SdpAddress& oa = sdp.origin.address;
        uint32_t original = oa.isIpv4 ? oa.ipv4 : in.src;
        if (sdp.hasOrigin && oa.isIpv4 && eligible(oa.ipv4) && oa.ipv4 != publicAddr &&
            rw.Replace(oa.addressSpan, Ipv4ToString(publicAddr)))
        {
            ++m_stats.fieldsRewritten;
            sdpChanged = true;
        }
        if (sdpChanged && o.natTrace && natted)
        {
            NatTrace(m, o, rw, original);
        }
    }
    call.media[side] = std::move(list);
    call.haveMedia[side] = true;
    call.hntSource[side] = hntUsed ? in.src : 0;
}

void
SipSessionHelper::NatTrace(Message& m, const SipNatOptions& o, SipRewriter& rw, uint32_t original)
{
    // Find the session-level s= and i= lines (before the first m=).
    const SipMessage& msg = *m.msg;
    const uint8_t* b = m.buf;
    const std::size_t begin = msg.sdpSpan.offset;
    const std::size_t end = msg.sdpSpan.End();
    std::size_t sLineNext = 0; // start of the line after s=
    bool haveS = false;
    std::size_t iValueEnd = 0; // end of the i= line text
    std::size_t iValueStart = 0;
    bool haveI = false;
    std::string eol = "\r\n";
    for (std::size_t p = begin; p < end;)
    {
        std::size_t e = p;
        while (e < end && b[e] != '\n')
        {
            ++e;
        }
        std::size_t textEnd = e > p && b[e - 1] == '\r' ? e - 1 : e;
        if (e < end && textEnd == e)
        {
            eol = "\n";
        }
        std::size_t next = e < end ? e + 1 : end;
        if (textEnd - p >= 2 && b[p + 1] == '=')
        {
            if (b[p] == 'm')
            {
                break;
            }
            if (b[p] == 's')
            {
                haveS = true;
                sLineNext = next;
            }
            if (b[p] == 'i' && !haveI)
            {
                haveI = true;
                iValueStart = p + 2;
                iValueEnd = textEnd;
            }
        }
        p = next;
    }
    const std::string trace = "(o=IN IP4 " + Ipv4ToString(original) + ")";
    bool ok = false;
    if (haveI)
    {
        ok = o.preserveOverride ? rw.Replace(iValueStart, iValueEnd - iValueStart, trace)
                                : rw.Insert(iValueEnd, trace);
    }
    else if (haveS && sLineNext <= end)
    {
        ok = rw.Insert(sLineNext, "i=" + trace + eol);
    }
    if (ok)
    {
        ++m_stats.natTraces;
    }
}

void
SipSessionHelper::SyncCallPinholes(HelperContext& ctx,
                                   const SipNatOptions& o,
                                   SipSessionState::Call& call)
{
    std::vector<Key> keep;
    if (o.rtpPinholes)
    {
        const Session& s = ctx.session;
        for (int x = 0; x < 2; ++x)
        {
            if (!call.haveMedia[x])
            {
                continue;
            }
            const int y = 1 - x;
            const SessionDir ydir = static_cast<SessionDir>(y);
            const uint32_t yReal = s.Tuple(ydir).src;
            const uint32_t yPub = s.Translated(ydir).src;
            const bool yNat = yReal != yPub;
            for (std::size_t i = 0; i < call.media[x].size(); ++i)
            {
                const SipSessionState::Media& md = call.media[x][i];
                if (!md.handled || md.pubPort == 0)
                {
                    continue;
                }
                const SipSessionState::Media* ym = nullptr;
                if (call.haveMedia[y] && i < call.media[y].size() && call.media[y][i].handled)
                {
                    ym = &call.media[y][i];
                }
                for (int rtcp = 0; rtcp < 2; ++rtcp)
                {
                    Expectation e =
                        ctx.MakePinhole(IPPROTO_NUM_UDP, m_mediaPinholeTimeout, GetName());
                    e.expectClass = CLASS_MEDIA;
                    e.dst = md.pubAddr;
                    e.dport = rtcp ? md.pubRtcp : md.pubPort;
                    const uint16_t priv = rtcp ? md.sdpRtcp : md.sdpPort;
                    if (md.sdpAddr != md.pubAddr)
                    {
                        e.natDst = md.sdpAddr;
                    }
                    if (priv != e.dport)
                    {
                        e.natDport = priv;
                    }
                    if (!md.natted && yNat)
                    {
                        // Media towards an untranslated sender from the translated side: only
                        // that side's media (its own address and port), leaving translated as
                        // its SDP announced.
                        e.src = ym ? ym->sdpAddr : yReal;
                        e.sport = ym ? (rtcp ? ym->sdpRtcp : ym->sdpPort) : 0;
                        e.natSrc = ym ? ym->pubAddr : yPub;
                        e.natSport = ym ? (rtcp ? ym->pubRtcp : ym->pubPort) : 0;
                        if (e.natSport == e.sport)
                        {
                            e.natSport = 0;
                        }
                    }
                    else if (o.hntRestrictSourceIp && call.hntSource[y] != 0)
                    {
                        e.src = call.hntSource[y];
                    }
                    Key k = Key::Of(e);
                    if (k.In(keep))
                    {
                        continue;
                    }
                    if (OpenPinhole(ctx, e))
                    {
                        keep.push_back(k);
                    }
                }
            }
        }
    }
    std::vector<Key> stale;
    for (const Key& k : call.pinholes)
    {
        if (!k.In(keep))
        {
            stale.push_back(k);
        }
    }
    m_stats.pinholesClosed += RemovePinholes(ctx, stale);
    call.pinholes = std::move(keep);
}

bool
SipSessionHelper::OpenPinhole(HelperContext& ctx, const Expectation& e)
{
    if (!ctx.OpenPinhole(e))
    {
        ++m_stats.pinholesRefused;
        return false;
    }
    ++m_stats.pinholesOpened;
    NS_LOG_INFO("sip: pinhole " << Ipv4ToString(e.src) << ":" << e.sport << " -> "
                                << Ipv4ToString(e.dst) << ":" << e.dport << " ("
                                << Ipv4ToString(e.natDst) << ":" << e.natDport << ")");
    return true;
}

} // namespace ns3
