/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tftp-session-helper.h"

#include "tftp-parser.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TftpSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(TftpSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(TftpSessionHelper, "tftp");

namespace
{
/// State of a TFTP data session.
class TftpTransferState : public HelperState
{
  public:
    bool isData{false};    //!< a data session (child), not the request session
    bool lastSeen{false};  //!< the last (short) DATA block went by
    uint16_t lastBlock{0}; //!< its number
};
} // namespace

TypeId
TftpSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TftpSessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<TftpSessionHelper>()
            .AddAttribute("PinholeTimeout",
                          "Seconds the pinhole of a TFTP transfer waits for the server's first "
                          "packet (Linux: 300; FortiOS does not document it).",
                          UintegerValue(PINHOLE_TIMEOUT),
                          MakeUintegerAccessor(&TftpSessionHelper::m_pinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

std::string
TftpSessionHelper::GetName() const
{
    return "tftp";
}

void
TftpSessionHelper::Inspect(HelperContext& ctx)
{
    TftpPacket pkt;
    if (ctx.view.tuple.proto != IPPROTO_NUM_UDP || !ParseTftp(ctx.payload, ctx.payloadLen, pkt))
    {
        return;
    }
    SessionExtension& ext = ctx.Data();
    bool request = pkt.op == TftpPacket::RRQ || pkt.op == TftpPacket::WRQ;
    if (request && ctx.dir == SessionDir::ORIGINAL && ext.parentSerial == 0)
    {
        // The server answers from a new port to the client's (translated) address and port.
        Expectation e = ctx.MakePinhole(IPPROTO_NUM_UDP, m_pinholeTimeout, GetName());
        e.src = ctx.leaving.dst;
        e.dst = ctx.leaving.src;
        e.dport = ctx.leaving.sport;
        if (ctx.leaving.src != ctx.view.tuple.src || ctx.leaving.sport != ctx.view.tuple.sport)
        {
            e.natDst = ctx.view.tuple.src;
            e.natDport = ctx.view.tuple.sport;
        }
        e.inIf = ctx.session.inIf[1];
        e.childHelper = ctx.session.helperId; // the data session is watched too
        ctx.OpenPinhole(e);
        NS_LOG_INFO("tftp: " << TftpOpName(pkt.op) << " \"" << pkt.filename
                             << "\": pinhole for the server's reply to " << Ipv4ToString(e.dst)
                             << ":" << e.dport);
        return;
    }
    if (ext.parentSerial == 0)
    {
        return; // request session: nothing else to do
    }
    auto& st = ext.State<TftpTransferState>();
    if (pkt.op == TftpPacket::ERROR)
    {
        ctx.close = true;
    }
    else if (pkt.op == TftpPacket::DATA && pkt.dataLength < 512)
    {
        st.lastSeen = true;
        st.lastBlock = pkt.block;
    }
    else if (pkt.op == TftpPacket::ACK && st.lastSeen && pkt.block == st.lastBlock)
    {
        ctx.close = true; // transfer complete
    }
}

} // namespace ns3
