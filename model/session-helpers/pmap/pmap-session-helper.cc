/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pmap-session-helper.h"

#include "onc-rpc-parser.h"

#include "ns3/log.h"
#include "ns3/reply-pinhole.h"
#include "ns3/uinteger.h"

#include <boost/endian/conversion.hpp>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PmapSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(PmapSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(PmapSessionHelper, "pmap");

namespace
{
/// A GETPORT/GETADDR call waiting for its reply.
struct PendingCall
{
    uint32_t xid{0};  //!< transaction id
    uint32_t vers{0}; //!< 2 (GETPORT) or 3/4 (GETADDR)
    uint8_t proto{0}; //!< protocol asked for
    uint32_t prog{0}; //!< program asked for
};

/// Calls of one portmapper session (the newest eight).
class PmapState : public HelperState
{
  public:
    PendingCall calls[8]; //!< ring of pending calls
    uint8_t next{0};      //!< next slot

    /// Take the call \p xid out. \return false when none
    bool Take(uint32_t xid, PendingCall& out)
    {
        for (auto& c : calls)
        {
            if (c.vers != 0 && c.xid == xid)
            {
                out = c;
                c = PendingCall();
                return true;
            }
        }
        return false;
    }
};
} // namespace

TypeId
PmapSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PmapSessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<PmapSessionHelper>()
            .AddAttribute("PinholeTimeout",
                          "Seconds a pinhole to a returned RPC port waits for its first packet "
                          "(FortiOS does not document it)",
                          UintegerValue(60),
                          MakeUintegerAccessor(&PmapSessionHelper::m_pinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

std::string
PmapSessionHelper::GetName() const
{
    return "pmap";
}

void
PmapSessionHelper::Inspect(HelperContext& ctx)
{
    if (ctx.payloadLen == 0)
    {
        return;
    }
    if (ctx.view.tuple.proto == IPPROTO_NUM_UDP)
    {
        InspectMessage(ctx, 0, ctx.payloadLen, false);
        return;
    }
    bool bad = false;
    const auto records = SplitOncRpcRecords(ctx.payload, ctx.payloadLen, bad);
    if (bad)
    {
        ++m_malformed;
        NS_LOG_INFO("pmap: invalid record mark: not parsed");
    }
    std::size_t end = 0;
    for (const OncRpcRecord& r : records)
    {
        InspectMessage(ctx, r.offset, r.length, true);
        end = r.offset + r.length;
    }
    if (!bad && end < ctx.payloadLen && ctx.mayHold && ctx.editor.Empty())
    {
        ctx.hold = true; // a record continues in the next segment
    }
}

void
PmapSessionHelper::InspectMessage(HelperContext& ctx, std::size_t offset, std::size_t len, bool tcp)
{
    const uint8_t* msg = ctx.payload + offset;
    OncRpcMessage m;
    if (!ParseOncRpc(msg, len, m))
    {
        ++m_malformed;
        return;
    }
    auto& st = ctx.Data().State<PmapState>();
    const uint8_t* body = msg + m.bodyOffset;
    const std::size_t bodyLen = len - m.bodyOffset;
    if (m.call)
    {
        if (ctx.dir != SessionDir::ORIGINAL || m.prog != PMAP_PROGRAM ||
            m.proc != PMAP_PROC_GETPORT || m.vers < 2 || m.vers > 4)
        {
            return;
        }
        PmapRequest q;
        if (!ParsePmapRequest(body, bodyLen, m.vers, q))
        {
            ++m_malformed;
            return;
        }
        st.calls[st.next] = PendingCall{m.xid, m.vers, q.proto, q.prog};
        st.next = static_cast<uint8_t>((st.next + 1) % 8);
        NS_LOG_INFO("pmap: " << (m.vers == 2 ? "GETPORT" : "GETADDR") << " program " << q.prog
                             << " version " << q.vers << " xid " << m.xid);
        return;
    }
    PendingCall call;
    if (ctx.dir != SessionDir::REPLY || !st.Take(m.xid, call))
    {
        return; // not an answer to a call we saw
    }
    if (!m.accepted || m.acceptStat != 0)
    {
        return;
    }
    PmapReply a;
    if (!ParsePmapReply(body, bodyLen, call.vers, a))
    {
        ++m_malformed;
        return;
    }
    if (a.port == 0)
    {
        return; // program not registered
    }
    const AnnouncedPinhole p =
        OpenAnnouncedPinhole(ctx, call.proto, a.addr, a.port, m_pinholeTimeout, GetName());
    if (!p.opened)
    {
        return;
    }
    ++m_pinholes;
    if (call.vers == 2 || a.addr == 0 || p.publicIp == a.addr)
    {
        return;
    }
    // GETADDR under NAT: tell the client the address it reaches the server at.
    const std::string ua = XdrString(FormatUniversalAddress(p.publicIp, a.port));
    const std::size_t at = offset + m.bodyOffset + a.uaddrOffset;
    const std::size_t oldLen = bodyLen - a.uaddrOffset;
    ctx.editor.Replace(at, oldLen, ua, ctx.payloadLen);
    if (tcp && ua.size() != oldLen)
    {
        const uint32_t mark = 0x80000000u | static_cast<uint32_t>(len - oldLen + ua.size());
        std::string m4(4, '\0');
        boost::endian::store_big_u32(reinterpret_cast<uint8_t*>(&m4[0]), mark);
        ctx.editor.Replace(offset - 4, 4, m4, ctx.payloadLen);
    }
    NS_LOG_INFO("pmap: GETADDR answer " << a.uaddr << " rewritten to "
                                        << FormatUniversalAddress(p.publicIp, a.port));
}

} // namespace ns3
