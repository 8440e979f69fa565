/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "h323-session-helper.h"

#include "h323-messages.h"

#include "ns3/fortigate-config.h"
#include "ns3/log.h"
#include "ns3/text-util.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("H323SessionHelper");
NS_OBJECT_ENSURE_REGISTERED(H323SessionHelper);
NS_OBJECT_ENSURE_REGISTERED(H245InSessionHelper);
NS_OBJECT_ENSURE_REGISTERED(H245OutSessionHelper);
NS_OBJECT_ENSURE_REGISTERED(RasSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(H323SessionHelper, "h323");
FORTIGATE_REGISTER_SESSION_HELPER(H245InSessionHelper, "h245I");
FORTIGATE_REGISTER_SESSION_HELPER(H245OutSessionHelper, "h245O");
FORTIGATE_REGISTER_SESSION_HELPER(RasSessionHelper, "ras");

namespace
{
/// One address this session already announced translated (kept across messages).
struct Mapping
{
    uint8_t proto{0}; //!< protocol
    uint32_t ip{0};   //!< the sender's own address
    uint16_t port{0}; //!< its port
    uint16_t pub{0};  //!< the translated port announced instead
};

/// H.323 state of one session.
class H323State : public HelperState
{
  public:
    static constexpr std::size_t MAX = 32; //!< mappings kept
    Mapping map[MAX];                      //!< announced addresses
    std::size_t count{0};                  //!< how many

    /// \return the mapping of \p proto \p ip:\p port, or nullptr
    const Mapping* Find(uint8_t proto, uint32_t ip, uint16_t port) const
    {
        for (std::size_t i = 0; i < count; ++i)
        {
            if (map[i].proto == proto && map[i].ip == ip && map[i].port == port)
            {
                return &map[i];
            }
        }
        return nullptr;
    }
};

/// \return the two big-endian octets of \p v
std::string
Be16(uint16_t v)
{
    return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xff)};
}

/// \return the four big-endian octets of \p v
std::string
Be32(uint32_t v)
{
    return Be16(static_cast<uint16_t>(v >> 16)) + Be16(static_cast<uint16_t>(v));
}
} // namespace

TypeId
H323SessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::H323SessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<H323SessionHelper>()
            .AddAttribute("PinholeTimeout",
                          "Seconds a pinhole of an announced H.245, media or call-signalling "
                          "address waits for its connection (FortiOS does not document it)",
                          UintegerValue(120),
                          MakeUintegerAccessor(&H323SessionHelper::m_pinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

H323SessionHelper::H323SessionHelper(const std::string& name)
    : m_name(name)
{
}

std::string
H323SessionHelper::GetName() const
{
    return m_name;
}

TypeId
H245InSessionHelper::GetTypeId()
{
    static TypeId tid = TypeId("ns3::H245InSessionHelper")
                            .SetParent<H323SessionHelper>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<H245InSessionHelper>();
    return tid;
}

H245InSessionHelper::H245InSessionHelper()
    : H323SessionHelper("h245I")
{
}

TypeId
H245OutSessionHelper::GetTypeId()
{
    static TypeId tid = TypeId("ns3::H245OutSessionHelper")
                            .SetParent<H323SessionHelper>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<H245OutSessionHelper>();
    return tid;
}

H245OutSessionHelper::H245OutSessionHelper()
    : H323SessionHelper("h245O")
{
}

TypeId
RasSessionHelper::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RasSessionHelper")
                            .SetParent<H323SessionHelper>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<RasSessionHelper>();
    return tid;
}

RasSessionHelper::RasSessionHelper()
    : H323SessionHelper("ras")
{
}

void
H323SessionHelper::Inspect(HelperContext& ctx)
{
    if (ctx.payloadLen == 0)
    {
        return;
    }
    if (ctx.view.tuple.proto == IPPROTO_NUM_TCP)
    {
        InspectStream(ctx);
        return;
    }
    if (ctx.view.tuple.proto != IPPROTO_NUM_UDP)
    {
        return;
    }
    // UDP: RAS (h323 set to UDP, or h245 over UDP, are decoded as RAS too: FortiOS lets the
    // protocol of an entry change, and RAS is what runs over UDP)
    const H323Decoded d = DecodeRas(ctx.payload, ctx.payloadLen);
    if (!d.Usable())
    {
        ++m_counters.malformed;
        NS_LOG_INFO(m_name << ": malformed RAS message (" << PerResultName(d.result)
                           << "), passed unchanged");
        return;
    }
    ++m_counters.messages;
    NS_LOG_INFO(m_name << ": RAS " << H225RasName(d.type) << " with " << unsigned(d.count)
                       << " address(es)");
    Apply(ctx, d, 0, true);
}

void
H323SessionHelper::InspectStream(HelperContext& ctx)
{
    const bool q931 = ctx.session.org.tuple.dport == H323_Q931_PORT ||
                      (m_name == "h323" && ctx.session.org.tuple.dport != 0 && ctx.payloadLen > 4 &&
                       ctx.payload[4] == 0x08);
    std::size_t pos = 0;
    while (pos < ctx.payloadLen)
    {
        std::size_t frame = 0;
        const TpktState st = ReadTpkt(ctx.payload + pos, ctx.payloadLen - pos, frame);
        if (st == TpktState::MALFORMED)
        {
            ++m_counters.notTpkt;
            return;
        }
        if (st == TpktState::INCOMPLETE)
        {
            if (pos == 0 && ctx.mayHold)
            {
                ctx.hold = true; // the frame continues in the next segment
            }
            else
            {
                ++m_counters.malformed; // a cut frame: passed, nothing opened
            }
            return;
        }
        if (q931)
        {
            Q931Message m;
            if (!ParseQ931(ctx.payload + pos, frame, m) || (m.hasUuie && !m.uuie.Usable()))
            {
                ++m_counters.malformed;
                NS_LOG_INFO(m_name << ": malformed Q.931/H.225.0 message, passed unchanged");
            }
            else
            {
                ++m_counters.messages;
                NS_LOG_INFO(m_name << ": Q.931 " << Q931Name(m.type) << " with "
                                   << unsigned(m.uuie.count) << " address(es)");
                if (m.hasUuie)
                {
                    Apply(ctx, m.uuie, pos, false);
                }
            }
        }
        else
        {
            const H323Decoded d = DecodeH245(ctx.payload + pos, 4, frame);
            if (!d.Usable())
            {
                ++m_counters.malformed;
                NS_LOG_INFO(m_name << ": malformed H.245 message, passed unchanged");
            }
            else
            {
                ++m_counters.messages;
                Apply(ctx, d, pos, false);
            }
        }
        pos += frame;
    }
}

void
H323SessionHelper::Apply(HelperContext& ctx, const H323Decoded& d, std::size_t base, bool ras)
{
    auto& st = ctx.Data().State<H323State>();
    const uint32_t sender = ctx.view.tuple.src; // as it sent this message
    const uint32_t known = ctx.leaving.src;     // as the peer knows it
    const uint32_t peer = ctx.leaving.dst;      // the peer, as its packets arrive
    for (uint8_t i = 0; i < d.count; ++i)
    {
        const H323Address& a = d.addresses[i];
        if (a.port == 0)
        {
            continue;
        }
        if (a.ip != sender)
        {
            // a third party: the gatekeeper names where to call (ACF) or its alternates
            if (a.role == H323_ALTERNATE_GK)
            {
                ++m_counters.alternateGatekeepers;
            }
            if (a.role != H323_ALTERNATE_GK &&
                !(ras && a.role == H323_DEST_CSA && d.type == RAS_ACF))
            {
                continue;
            }
            const uint8_t proto = a.role == H323_ALTERNATE_GK ? IPPROTO_NUM_UDP : IPPROTO_NUM_TCP;
            if (st.Find(proto, a.ip, a.port) != nullptr)
            {
                continue; // already allowed by an earlier message (a repeated RCF)
            }
            Expectation e = ctx.MakePinhole(proto, m_pinholeTimeout, m_name);
            e.src = peer;
            e.dst = a.ip;
            e.dport = a.port;
            if (ctx.session.IsSnat() && ctx.dir == SessionDir::REPLY)
            {
                e.natSrc = ctx.session.reply.tuple.dst;
            }
            e.inIf = ctx.session.inIf[ctx.dir == SessionDir::ORIGINAL ? 1 : 0];
            e.childHelper = proto == IPPROTO_NUM_TCP ? ctx.session.helperId : 0;
            const bool ok = ctx.OpenPinhole(e);
            ++(ok ? m_counters.pinholes : m_counters.refused);
            NS_LOG_INFO(m_name << ": " << H323RoleName(a.role) << " " << Ipv4ToString(a.ip) << ":"
                               << a.port << (ok ? " allowed" : " refused"));
            if (ok && st.count < H323State::MAX)
            {
                st.map[st.count++] = {proto, a.ip, a.port, a.port};
            }
            continue;
        }
        // the sender's own address: the peer (or, for a registration, anyone) will come to it
        uint8_t proto = IPPROTO_NUM_TCP;
        uint8_t child = 0;
        bool anySource = false;
        switch (a.role)
        {
        case H323_H245_ADDRESS:
            child = ctx.session.helperId; // the H.245 connection is inspected too
            break;
        case H323_SOURCE_CSA:
            // the caller's own call-signalling address: nobody connects to it; translated only
            if (known != sender)
            {
                ctx.editor.Replace(base + a.ipOffset, 4, Be32(known), ctx.payloadLen);
                if (a.port == ctx.view.tuple.sport && ctx.leaving.sport != a.port)
                {
                    ctx.editor.Replace(base + a.portOffset,
                                       2,
                                       Be16(ctx.leaving.sport),
                                       ctx.payloadLen);
                }
                ++m_counters.rewritten;
            }
            continue;
        case H323_CALL_SIGNAL:
        case H323_ALTERNATIVE:
            // A registration (RRQ) announces where anyone may call the endpoint. The call is
            // inspected by this helper instance: the datapath gives a helper no way to name
            // another helper's id, and h323 and ras share this class.
            child = ctx.session.helperId;
            anySource = ras && d.type == RAS_RRQ;
            break;
        case H323_MEDIA:
        case H323_MEDIA_CONTROL:
        case H323_RAS_ADDRESS:
        case H323_REPLY_ADDRESS:
        case H323_ALTERNATE_GK:
            proto = IPPROTO_NUM_UDP;
            break;
        default:
            continue;
        }
        if (a.role == H323_RAS_ADDRESS && proto == IPPROTO_NUM_UDP &&
            a.port == ctx.view.tuple.sport && ctx.view.tuple.proto == IPPROTO_NUM_UDP)
        {
            // the RAS address is this very flow: its answers come back on the session
            if (known != sender || ctx.leaving.sport != a.port)
            {
                ctx.editor.Replace(base + a.ipOffset, 4, Be32(known), ctx.payloadLen);
                ctx.editor.Replace(base + a.portOffset, 2, Be16(ctx.leaving.sport), ctx.payloadLen);
                ++m_counters.rewritten;
            }
            continue;
        }
        uint16_t pub = a.port;
        const Mapping* m = st.Find(proto, a.ip, a.port);
        bool fresh = m == nullptr;
        if (m != nullptr)
        {
            pub = m->pub;
        }
        else if (known != sender && ctx.dir == SessionDir::ORIGINAL)
        {
            // source NAT: a port of the translated address (a server behind a VIP keeps its
            // port: the pinhole translates the VIP address back, as OpenAnnouncedPinhole does)
            const uint16_t p = ctx.AllocatePortFor(proto, known, a.port, a.ip, a.port);
            if (p == 0)
            {
                ++m_counters.refused;
                continue;
            }
            pub = p;
        }
        if (fresh)
        {
            Expectation e = ctx.MakePinhole(proto, m_pinholeTimeout, m_name);
            e.src = anySource ? 0 : peer;
            e.dst = known;
            e.dport = pub;
            if (known != sender || pub != a.port)
            {
                e.natDst = sender;
                e.natDport = a.port;
            }
            if (ctx.session.IsSnat() && ctx.dir == SessionDir::REPLY && !anySource)
            {
                e.natSrc = ctx.session.reply.tuple.dst; // the peer is source-NATed
            }
            e.inIf = ctx.session.inIf[ctx.dir == SessionDir::ORIGINAL ? 1 : 0];
            e.childHelper = child;
            e.oneShot = !anySource;
            const bool ok = ctx.OpenPinhole(e);
            ++(ok ? m_counters.pinholes : m_counters.refused);
            NS_LOG_INFO(m_name << ": " << H323RoleName(a.role) << " " << Ipv4ToString(a.ip) << ":"
                               << a.port << " -> pinhole " << Ipv4ToString(known) << ":" << pub
                               << (ok ? "" : " refused"));
            if (!ok)
            {
                continue;
            }
            if (proto == IPPROTO_NUM_UDP && known != sender && ctx.dir == SessionDir::ORIGINAL)
            {
                NatReservation r = ctx.MakeReservation(proto, m_pinholeTimeout, m_name);
                r.privIp = sender;
                r.privPort = a.port;
                r.pubIp = known;
                r.pubPort = pub;
                ctx.ReserveNat(r);
            }
            if (st.count < H323State::MAX)
            {
                st.map[st.count++] = {proto, a.ip, a.port, pub};
            }
        }
        if (known != sender || pub != a.port)
        {
            ctx.editor.Replace(base + a.ipOffset, 4, Be32(known), ctx.payloadLen);
            ctx.editor.Replace(base + a.portOffset, 2, Be16(pub), ctx.payloadLen);
            ++m_counters.rewritten;
        }
    }
}

std::string
H323SessionHelper::CountersText() const
{
    std::ostringstream os;
    os << m_name << ": messages=" << m_counters.messages << " malformed=" << m_counters.malformed
       << " not-tpkt=" << m_counters.notTpkt << " rewritten=" << m_counters.rewritten
       << " pinholes=" << m_counters.pinholes << " refused=" << m_counters.refused
       << " alternate-gatekeepers=" << m_counters.alternateGatekeepers << "\n";
    return os.str();
}

namespace
{
const bool g_h323Diagnose = [] {
    // FortiOS documents no diagnose command for these helpers: this one is the model's own.
    SessionHelperRegistry::RegisterDiagnose(
        {"diagnose", "sys", "h323-model", "counters"},
        [](const HelperDiagnoseUnit& unit) {
            std::string out = "ns-3 model counters (no FortiOS equivalent is documented)\n";
            for (const char* n : {"h323", "ras", "h245I", "h245O"})
            {
                Ptr<H323SessionHelper> h = DynamicCast<H323SessionHelper>(unit.helper(n));
                if (h)
                {
                    out += h->CountersText();
                }
            }
            return out;
        });
    return true;
}();
} // namespace

} // namespace ns3
