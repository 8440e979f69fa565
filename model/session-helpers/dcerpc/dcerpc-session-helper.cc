/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dcerpc-session-helper.h"

#include "dcerpc-parser.h"

#include "ns3/log.h"
#include "ns3/reply-pinhole.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DceRpcSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(DceRpcSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(DceRpcSessionHelper, "dcerpc");

namespace
{
/// An ept_map request waiting for its response.
struct PendingMap
{
    bool used{false};   //!< slot in use
    uint32_t call{0};   //!< CO call id / CL sequence number
    DceUuid activity{}; //!< CL: activity
};

/// Endpoint-mapper state of one session.
class DceRpcState : public HelperState
{
  public:
    uint32_t epmContexts{0}; //!< bit i: presentation context i is bound to the endpoint mapper
    PendingMap pending[8];   //!< requests waiting (ring)
    uint8_t next{0};         //!< next slot

    /// Take the request (\p call, \p activity) out. \return false when none
    bool Take(uint32_t call, const DceUuid& activity)
    {
        for (auto& p : pending)
        {
            if (p.used && p.call == call && p.activity == activity)
            {
                p = PendingMap();
                return true;
            }
        }
        return false;
    }
};
} // namespace

TypeId
DceRpcSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DceRpcSessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<DceRpcSessionHelper>()
            .AddAttribute("PinholeTimeout",
                          "Seconds a pinhole to an endpoint-mapper answer's port waits for its "
                          "first packet (FortiOS does not document it)",
                          UintegerValue(60),
                          MakeUintegerAccessor(&DceRpcSessionHelper::m_pinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

std::string
DceRpcSessionHelper::GetName() const
{
    return "dcerpc";
}

void
DceRpcSessionHelper::Inspect(HelperContext& ctx)
{
    if (ctx.payloadLen == 0)
    {
        return;
    }
    if (ctx.view.tuple.proto == IPPROTO_NUM_UDP)
    {
        InspectPdu(ctx, 0);
        return;
    }
    // TCP: the PDUs of the segment, back to back (frag_length each).
    std::size_t pos = 0;
    while (pos < ctx.payloadLen)
    {
        DceRpcPdu pdu;
        if (!ParseDceRpc(ctx.payload + pos, ctx.payloadLen - pos, pdu))
        {
            // A CO PDU whose frag_length runs past the segment continues in the next one.
            const std::size_t left = ctx.payloadLen - pos;
            const uint8_t* b = ctx.payload + pos;
            const bool cut =
                b[0] == 5 &&
                (left < 10 || ((b[4] & 0x10) ? (b[8] | b[9] << 8) : (b[8] << 8 | b[9])) >
                                  static_cast<int>(left));
            if (cut && ctx.mayHold && ctx.editor.Empty())
            {
                ctx.hold = true;
            }
            else
            {
                ++m_malformed;
            }
            return;
        }
        InspectPdu(ctx, pos);
        pos += pdu.length;
    }
}

void
DceRpcSessionHelper::InspectPdu(HelperContext& ctx, std::size_t offset)
{
    DceRpcPdu pdu;
    if (!ParseDceRpc(ctx.payload + offset, ctx.payloadLen - offset, pdu))
    {
        ++m_malformed;
        return;
    }
    auto& st = ctx.Data().State<DceRpcState>();
    if (pdu.type == DCERPC_BIND || pdu.type == DCERPC_ALTER)
    {
        for (const auto& [id, uuid] : pdu.contexts)
        {
            if (id < 32)
            {
                st.epmContexts = uuid == EpmInterfaceUuid() ? (st.epmContexts | (1u << id))
                                                            : (st.epmContexts & ~(1u << id));
            }
        }
        return;
    }
    if (pdu.type != DCERPC_REQUEST && pdu.type != DCERPC_RESPONSE)
    {
        return;
    }
    if (pdu.fragmented)
    {
        ++m_fragmented; // FortiOS: RPC-layer fragments are not parsed
        NS_LOG_INFO("dcerpc: fragmented PDU (call " << pdu.callId << "): passed unparsed");
        return;
    }
    const uint8_t* stub = ctx.payload + offset + pdu.stubOffset;
    if (pdu.type == DCERPC_REQUEST)
    {
        const bool epm = pdu.connectionless
                             ? pdu.interfaceUuid == EpmInterfaceUuid()
                             : pdu.contextId < 32 && (st.epmContexts >> pdu.contextId & 1u);
        if (ctx.dir != SessionDir::ORIGINAL || !epm || pdu.opnum != EPM_OPNUM_MAP)
        {
            return;
        }
        DceTower asked;
        if (!ParseEptMapRequest(stub, pdu.stubLength, pdu.littleEndian, asked))
        {
            ++m_malformed;
            return;
        }
        st.pending[st.next] = PendingMap{true, pdu.callId, pdu.activity};
        st.next = static_cast<uint8_t>((st.next + 1) % 8);
        NS_LOG_INFO("dcerpc: ept_map for " << DceUuidToString(asked.interfaceUuid) << " v"
                                           << asked.versionMajor << " call " << pdu.callId);
        return;
    }
    if (ctx.dir != SessionDir::REPLY || !st.Take(pdu.callId, pdu.activity))
    {
        return;
    }
    std::vector<DceTower> towers;
    uint32_t status = 0;
    if (!ParseEptMapResponse(stub, pdu.stubLength, pdu.littleEndian, towers, status))
    {
        ++m_malformed;
        return;
    }
    for (const DceTower& t : towers)
    {
        if (t.proto == 0 || t.port == 0)
        {
            continue;
        }
        const AnnouncedPinhole p =
            OpenAnnouncedPinhole(ctx, t.proto, t.ip, t.port, m_pinholeTimeout, GetName());
        if (!p.opened)
        {
            continue;
        }
        ++m_pinholes;
        NS_LOG_INFO("dcerpc: " << DceUuidToString(t.interfaceUuid) << " at " << Ipv4ToString(t.ip)
                               << ":" << t.port);
        if (t.ipOffset != 0 && p.publicIp != t.ip)
        {
            const std::string ip = {static_cast<char>(p.publicIp >> 24),
                                    static_cast<char>(p.publicIp >> 16),
                                    static_cast<char>(p.publicIp >> 8),
                                    static_cast<char>(p.publicIp)};
            ctx.editor.Replace(offset + pdu.stubOffset + t.ipOffset, 4, ip, ctx.payloadLen);
        }
    }
}

} // namespace ns3
