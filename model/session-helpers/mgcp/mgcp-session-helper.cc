/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "mgcp-session-helper.h"

#include "mgcp-message.h"

#include "ns3/log.h"
#include "ns3/text-util.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MgcpSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(MgcpSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(MgcpSessionHelper, "mgcp");

namespace
{

constexpr int64_t kSecond = 1000000000LL;

/// One media line of a connection, with its translation.
struct Media
{
    uint32_t privAddr{0}; //!< address the gateway wrote
    uint16_t privPort{0}; //!< RTP port it wrote
    uint16_t privRtcp{0}; //!< its RTCP port (a=rtcp, else RTP + 1)
    uint32_t pubAddr{0};  //!< address the far side sends to
    uint16_t pubPort{0};  //!< RTP port the far side sends to
    uint16_t pubRtcp{0};  //!< RTCP port the far side sends to
};

/// A connection (CRCX answered with SDP) of one endpoint.
struct Connection
{
    std::string endpoint;     //!< the endpoint's local name, lower-case
    std::string connectionId; //!< I: of the response ("" when none)
    std::string callId;       //!< C: of the CRCX
    std::vector<Media> media; //!< translated media lines
};

/// A command waiting for (or recently given) its response.
struct Transaction
{
    uint32_t id{0}; //!< transaction id
    int side{0};    //!< SessionDir index of the command's sender
    MgcpVerb verb{MgcpVerb::EPCF};
    std::string endpoint;     //!< local name, lower-case
    std::string connectionId; //!< I: of the command
    std::string callId;       //!< C: of the command
    bool answered{false};     //!< a final response passed
    int64_t atNs{0};          //!< when sent (answered: when answered)
};

/// What a side of the session is, learnt from the commands it sends.
enum class Role : uint8_t
{
    UNKNOWN,
    GATEWAY,
    CALL_AGENT,
};

/// Per MGCP session (gateway <-> call agent).
class MgcpSessionState : public HelperState
{
  public:
    std::vector<Transaction> transactions;      //!< oldest first
    std::vector<Connection> connections;        //!< oldest first
    Role role[2]{Role::UNKNOWN, Role::UNKNOWN}; //!< per SessionDir
};

/// \return the role a command reveals of its sender (UNKNOWN for DLCX: both send it)
Role
RoleOf(MgcpVerb v)
{
    switch (v)
    {
    case MgcpVerb::NTFY:
    case MgcpVerb::RSIP:
        return Role::GATEWAY;
    case MgcpVerb::DLCX:
        return Role::UNKNOWN;
    default:
        return Role::CALL_AGENT;
    }
}

std::string
Lower(const std::string& s)
{
    return AsciiLowerCopy(s);
}

/// \return true when endpoint local name \p name is selected by \p pattern (`*` and `$`
/// wildcards end the pattern, RFC 3435 §2.1.2)
bool
EndpointMatches(const std::string& pattern, const std::string& name)
{
    const auto w = pattern.find_first_of("*$");
    if (w == std::string::npos)
    {
        return pattern == name;
    }
    return name.compare(0, w, pattern, 0, w) == 0;
}

/// The translation of address \p a (and port \p p when \p port) as the packet leaves.
/// \return true when it changes
bool
MapAddr(const HelperContext& ctx, uint32_t a, uint16_t p, bool port, uint32_t& na, uint16_t& np)
{
    na = a;
    np = p;
    if (a == ctx.view.tuple.src && (!port || p == ctx.view.tuple.sport))
    {
        na = ctx.leaving.src;
        np = port ? ctx.leaving.sport : p;
    }
    else if (a == ctx.view.tuple.dst && (!port || p == ctx.view.tuple.dport))
    {
        na = ctx.leaving.dst;
        np = port ? ctx.leaving.dport : p;
    }
    else if (a == ctx.view.tuple.src || a == ctx.view.tuple.dst)
    {
        na = a == ctx.view.tuple.src ? ctx.leaving.src : ctx.leaving.dst; // another port
    }
    return na != a || np != p;
}

/**
 * A port on \p pub for private endpoint \p priv:\p privPort: the port it is mapped to now
 * (its media may leave before the response announcing it passes), else \p want when free,
 * else the next free one \p step apart. \return 0 when none
 */
uint16_t
AllocateMediaPort(HelperContext& ctx,
                  uint32_t pub,
                  uint32_t priv,
                  uint16_t privPort,
                  uint16_t want,
                  uint16_t step)
{
    auto free = [&](uint32_t p) {
        const auto q = static_cast<uint16_t>(p);
        return p >= 1024 && p <= 65535 &&
               ctx.AllocatePortFor(IPPROTO_NUM_UDP, pub, q, priv, privPort) == q;
    };
    const uint16_t current = ctx.MappedPort(IPPROTO_NUM_UDP, priv, privPort, pub);
    if (current != 0 && free(current))
    {
        return current;
    }
    uint32_t p = want;
    for (int attempt = 0; attempt < 256; ++attempt, p += step)
    {
        if (p > 65535)
        {
            p = 1024 + (want & 1u);
        }
        if (free(p))
        {
            return static_cast<uint16_t>(p);
        }
    }
    return 0;
}

} // namespace

TypeId
MgcpSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MgcpSessionHelper")
            .SetParent<SessionHelper>()
            .SetGroupName("FortiGate")
            .AddConstructor<MgcpSessionHelper>()
            .AddAttribute("MediaPinholeTimeout",
                          "Seconds a media (RTP/RTCP) pinhole waits for its first packet; also the "
                          "lifetime of media NAT reservations (as the SIP helper's: 180).",
                          UintegerValue(MEDIA_PINHOLE_TIMEOUT),
                          MakeUintegerAccessor(&MgcpSessionHelper::m_mediaPinholeTimeout),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

MgcpSessionHelper::MgcpSessionHelper() = default;
MgcpSessionHelper::~MgcpSessionHelper() = default;

std::string
MgcpSessionHelper::GetName() const
{
    return "mgcp";
}

void
MgcpSessionHelper::Block(HelperContext& ctx, const char* kind, const std::string& reason)
{
    ctx.drop = true;
    ctx.editor.Clear();
    ++m_stats.blocked;
    std::ostringstream os;
    os << (ctx.nowNs / kSecond) << "s " << Ipv4ToString(ctx.view.tuple.src) << ":"
       << ctx.view.tuple.sport << "->" << Ipv4ToString(ctx.view.tuple.dst) << ":"
       << ctx.view.tuple.dport << " " << kind << ": " << reason;
    m_lastBlocked.push_back(os.str());
    if (m_lastBlocked.size() > BLOCKED_HISTORY)
    {
        m_lastBlocked.pop_front();
    }
    NS_LOG_INFO("mgcp: blocked " << os.str());
}

namespace
{

/// What Inspect does to one datagram (the helper's working set).
class MgcpPacket
{
  public:
    MgcpPacket(HelperContext& ctx,
               MgcpSessionState& st,
               MgcpStats& stats,
               uint64_t& active,
               uint32_t mediaTimeout)
        : m_ctx(ctx),
          m_st(st),
          m_stats(stats),
          m_active(active),
          m_mediaTimeout(mediaTimeout),
          m_side(static_cast<int>(ctx.dir))
    {
    }

    /// \return "" when every message may pass, else the reason; \p kind = its class
    std::string Check(const std::vector<MgcpMessage>& msgs, const char*& kind)
    {
        Role role[2] = {m_st.role[0], m_st.role[1]};
        for (const MgcpMessage& m : msgs)
        {
            if (m.response)
            {
                const int cmdSide = m.code == 0 ? m_side : 1 - m_side; // 000 acknowledges
                if (!FindTransaction(m.transactionId, cmdSide))
                {
                    kind = "no-transaction";
                    return "response " + std::to_string(m.code) + " to transaction " +
                           std::to_string(m.transactionId) + ", sent by no command";
                }
                continue;
            }
            const Role r = RoleOf(m.verb);
            if (r == Role::UNKNOWN)
            {
                continue;
            }
            const Role other = r == Role::GATEWAY ? Role::CALL_AGENT : Role::GATEWAY;
            if (role[m_side] == other || role[1 - m_side] == r)
            {
                kind = "wrong-role";
                return std::string(MgcpVerbName(m.verb)) + " from the " +
                       (role[m_side] == Role::GATEWAY || role[1 - m_side] == Role::CALL_AGENT
                            ? "gateway"
                            : "call agent") +
                       " side";
            }
            role[m_side] = r;
            role[1 - m_side] = other;
        }
        m_st.role[0] = role[0];
        m_st.role[1] = role[1];
        return std::string();
    }

    /// Translate and track \p m.
    void Handle(const MgcpMessage& m)
    {
        if (!m.response)
        {
            TranslateEndpoint(m.endpoint, false);
        }
        for (const MgcpEndpoint& e : m.entities)
        {
            TranslateEndpoint(e, true);
        }
        if (m.response)
        {
            HandleResponse(m);
        }
        else
        {
            HandleCommand(m);
        }
    }

    bool rewritten{false}; //!< some bytes changed

  private:
    Transaction* FindTransaction(uint32_t id, int side)
    {
        for (Transaction& t : m_st.transactions)
        {
            if (t.id == id && t.side == side)
            {
                return &t;
            }
        }
        return nullptr;
    }

    void Replace(const SipSpan& span, const std::string& text)
    {
        if (m_ctx.editor.Replace(span.offset, span.length, text, m_ctx.payloadLen))
        {
            rewritten = true;
        }
    }

    void TranslateEndpoint(const MgcpEndpoint& e, bool withPort)
    {
        if (!e.literal)
        {
            return;
        }
        uint32_t na = 0;
        uint16_t np = 0;
        const bool port = withPort && e.hasPort;
        if (!MapAddr(m_ctx, e.ipv4, e.port, port, na, np))
        {
            return;
        }
        if (na != e.ipv4)
        {
            Replace(e.addressSpan, Ipv4ToString(na));
            ++m_stats.addressesRewritten;
        }
        if (port && np != e.port)
        {
            Replace(e.portSpan, std::to_string(np));
        }
    }

    /// Translate the sender's own addresses in the SDP of \p m; \return its media lines
    /// (\p previous: the connection's media before, whose public ports are kept). A command's
    /// SDP (\p remote: the RemoteConnectionDescriptor, another party's media) has its
    /// addresses translated only.
    std::vector<Media> TranslateSdp(const MgcpMessage& m,
                                    const std::vector<Media>* previous,
                                    bool remote = false)
    {
        std::vector<Media> out;
        const uint32_t sender = m_ctx.view.tuple.src;
        const uint32_t pub = m_ctx.leaving.src;
        const bool nat = sender != pub;
        auto address = [&](const SdpAddress& a) {
            if (nat && a.isIpv4 && a.ipv4 == sender)
            {
                Replace(a.addressSpan, Ipv4ToString(pub));
                ++m_stats.addressesRewritten;
            }
        };
        if (m.sdp.hasOrigin)
        {
            address(m.sdp.origin.address);
        }
        for (const SdpAddress& c : m.sdp.connections)
        {
            address(c);
        }
        for (std::size_t i = 0; i < m.sdp.media.size(); ++i)
        {
            const SdpMedia& sm = m.sdp.media[i];
            for (const SdpAddress& c : sm.connections)
            {
                address(c);
            }
            const SdpAddress* c = m.sdp.ConnectionFor(i);
            if (remote || sm.port == 0 || !c || !c->isIpv4)
            {
                continue;
            }
            if (c->ipv4 != sender)
            {
                ++m_stats.mediaNotHandled;
                NS_LOG_INFO("mgcp: media at " << c->address << ", not the sender's: not handled");
                continue;
            }
            Media md;
            md.privAddr = sender;
            md.privPort = sm.port;
            md.privRtcp = sm.RtcpPort();
            md.pubAddr = pub;
            md.pubPort = sm.port;
            md.pubRtcp = md.privRtcp;
            if (nat)
            {
                uint16_t want = sm.port;
                if (previous)
                {
                    for (const Media& p : *previous)
                    {
                        want = p.privPort == sm.port && p.privAddr == sender ? p.pubPort : want;
                    }
                }
                md.pubPort = AllocateMediaPort(m_ctx, pub, sender, md.privPort, want, 2);
                md.pubRtcp = md.pubPort == 0 || md.pubPort == 65535
                                 ? 0
                                 : AllocateMediaPort(m_ctx,
                                                     pub,
                                                     sender,
                                                     md.privRtcp,
                                                     static_cast<uint16_t>(md.pubPort + 1),
                                                     1);
                if (md.pubPort == 0 || md.pubRtcp == 0)
                {
                    ++m_stats.noPortForMedia;
                    NS_LOG_INFO("mgcp: no free port on " << Ipv4ToString(pub));
                    continue;
                }
                if (md.pubPort != sm.port)
                {
                    Replace(sm.portSpan, std::to_string(md.pubPort));
                    ++m_stats.mediaPortsMoved;
                }
                if (sm.hasRtcp && sm.rtcpPort != md.pubRtcp)
                {
                    Replace(sm.rtcpPortSpan, std::to_string(md.pubRtcp));
                }
                else if (!sm.hasRtcp && md.pubRtcp != md.pubPort + 1)
                {
                    // RTCP cannot sit next to RTP on the public address: say where it is.
                    const std::size_t end = sm.lineSpan.End();
                    const bool crlf = end < m_ctx.payloadLen && m_ctx.payload[end] == '\r';
                    Replace(SipSpan{end, 0},
                            (crlf ? "\r\na=rtcp:" : "\na=rtcp:") + std::to_string(md.pubRtcp));
                }
                if (sm.hasRtcp && sm.rtcpHasAddress)
                {
                    address(sm.rtcpAddress);
                }
            }
            out.push_back(md);
        }
        return out;
    }

    void OpenMedia(const Connection& c)
    {
        for (const Media& md : c.media)
        {
            for (int rtcp = 0; rtcp < 2; ++rtcp)
            {
                Expectation e = m_ctx.MakePinhole(IPPROTO_NUM_UDP, m_mediaTimeout, "mgcp");
                e.dst = md.pubAddr;
                e.dport = rtcp ? md.pubRtcp : md.pubPort;
                const uint16_t priv = rtcp ? md.privRtcp : md.privPort;
                e.natDst = md.privAddr != md.pubAddr ? md.privAddr : 0;
                e.natDport = priv != e.dport ? priv : 0;
                if (!m_ctx.OpenPinhole(e))
                {
                    ++m_stats.pinholesRefused;
                    continue;
                }
                ++m_stats.pinholesOpened;
                NS_LOG_INFO("mgcp: pinhole -> " << Ipv4ToString(e.dst) << ":" << e.dport << " ("
                                                << Ipv4ToString(md.privAddr) << ":" << priv
                                                << ") endpoint " << c.endpoint << " connection "
                                                << c.connectionId);
                if (md.privAddr != md.pubAddr)
                {
                    NatReservation r =
                        m_ctx.MakeReservation(IPPROTO_NUM_UDP, m_mediaTimeout, "mgcp");
                    r.privIp = md.privAddr;
                    r.privPort = priv;
                    r.pubIp = md.pubAddr;
                    r.pubPort = e.dport;
                    m_ctx.ReserveNat(r);
                }
            }
        }
    }

    /// Remove the pinholes and reservations of \p c (and, when \p children, the media
    /// sessions they created).
    void CloseMedia(const Connection& c, bool children)
    {
        auto ours = [&c](uint32_t addr, uint16_t port) {
            for (const Media& md : c.media)
            {
                if (addr == md.pubAddr && (port == md.pubPort || port == md.pubRtcp))
                {
                    return true;
                }
            }
            return false;
        };
        m_stats.pinholesClosed += m_ctx.RemovePinholes([&](const Expectation& e) {
            return e.helper == "mgcp" && e.proto == IPPROTO_NUM_UDP && ours(e.dst, e.dport);
        });
        m_ctx.RemoveReservations([&](const NatReservation& r) {
            return r.helper == "mgcp" && ours(r.pubIp, r.pubPort);
        });
        if (children)
        {
            m_ctx.CloseChildren([&](const Session& s) {
                return s.org.tuple.proto == IPPROTO_NUM_UDP &&
                       ours(s.org.tuple.dst, s.org.tuple.dport);
            });
        }
    }

    /// Delete the connections of \p endpoint (a pattern), \p callId and \p connId ("" = any).
    void DeleteConnections(const std::string& endpoint,
                           const std::string& callId,
                           const std::string& connId,
                           const char* why)
    {
        auto& v = m_st.connections;
        for (auto it = v.begin(); it != v.end();)
        {
            if (EndpointMatches(endpoint, it->endpoint) &&
                (callId.empty() || AsciiIEquals(callId, it->callId)) &&
                (connId.empty() || AsciiIEquals(connId, it->connectionId)))
            {
                NS_LOG_INFO("mgcp: " << why << ": connection " << it->connectionId << " of "
                                     << it->endpoint << " deleted");
                CloseMedia(*it, true);
                ++m_stats.connectionsDeleted;
                --m_active;
                it = v.erase(it);
            }
            else
            {
                ++it;
            }
        }
    }

    void HandleCommand(const MgcpMessage& m)
    {
        ++m_stats.commands;
        const std::string ep = Lower(m.endpoint.local);
        Transaction* t = FindTransaction(m.transactionId, m_side);
        if (!t)
        {
            if (m_st.transactions.size() >= MgcpSessionHelper::MAX_TRANSACTIONS)
            {
                m_st.transactions.erase(m_st.transactions.begin());
            }
            m_st.transactions.push_back(Transaction{});
            t = &m_st.transactions.back();
        }
        t->id = m.transactionId;
        t->side = m_side;
        t->verb = m.verb;
        t->endpoint = ep;
        t->connectionId = m.Value("I");
        t->callId = m.Value("C");
        t->answered = false;
        t->atNs = m_ctx.nowNs;
        if (m.hasSdp)
        {
            TranslateSdp(m, nullptr, true); // the remote descriptor: addresses only
        }
        if (m.verb == MgcpVerb::DLCX)
        {
            DeleteConnections(ep, t->callId, t->connectionId, "DLCX");
        }
        else if (m.verb == MgcpVerb::RSIP)
        {
            const std::string method = Lower(m.Value("RM"));
            if (method == "forced" || method == "restart")
            {
                DeleteConnections(ep, "", "", "RSIP");
            }
        }
    }

    void HandleResponse(const MgcpMessage& m)
    {
        ++m_stats.responses;
        Transaction* t = FindTransaction(m.transactionId, m.code == 0 ? m_side : 1 - m_side);
        if (!t || m.code == 0 || m.code < 200)
        {
            return; // acknowledgement or provisional: the transaction goes on
        }
        t->answered = true;
        t->atNs = m_ctx.nowNs;
        if (m.code >= 300 || !m.hasSdp || (t->verb != MgcpVerb::CRCX && t->verb != MgcpVerb::MDCX))
        {
            if (m.hasSdp)
            {
                TranslateSdp(m, nullptr);
            }
            return;
        }
        std::string ep = t->endpoint;
        MgcpEndpoint chosen;
        if (const MgcpParameter* z = m.Find("Z"); z && ParseMgcpEndpoint(z->value, 0, true, chosen))
        {
            ep = Lower(chosen.local); // a wildcard CRCX names the endpoint it chose
        }
        const std::string connId = t->verb == MgcpVerb::CRCX ? m.Value("I") : t->connectionId;
        auto it = std::find_if(m_st.connections.begin(),
                               m_st.connections.end(),
                               [&](const Connection& c) {
                                   return c.endpoint == ep && AsciiIEquals(c.connectionId, connId);
                               });
        if (it != m_st.connections.end())
        {
            // MDCX with a new descriptor, or a retransmitted CRCX response: same public
            // ports when the gateway's are the same.
            const std::vector<Media> before = it->media;
            std::vector<Media> now = TranslateSdp(m, &before);
            const bool same =
                now.size() == before.size() && std::equal(now.begin(),
                                                          now.end(),
                                                          before.begin(),
                                                          [](const Media& a, const Media& b) {
                                                              return a.privAddr == b.privAddr &&
                                                                     a.privPort == b.privPort &&
                                                                     a.pubPort == b.pubPort;
                                                          });
            if (!same)
            {
                CloseMedia(*it, false);
                it->media = now;
                OpenMedia(*it);
                ++m_stats.connectionsModified;
            }
            return;
        }
        if (t->verb != MgcpVerb::CRCX)
        {
            TranslateSdp(m, nullptr); // MDCX of a connection not seen created: translate only
            return;
        }
        if (m_st.connections.size() >= MgcpSessionHelper::MAX_CONNECTIONS)
        {
            NS_LOG_INFO("mgcp: " << m_st.connections.size() << " connections: CRCX not tracked");
            TranslateSdp(m, nullptr);
            return;
        }
        Connection c;
        c.endpoint = ep;
        c.connectionId = connId;
        c.callId = t->callId;
        c.media = TranslateSdp(m, nullptr);
        OpenMedia(c);
        m_st.connections.push_back(c);
        ++m_stats.connectionsCreated;
        ++m_active;
    }

    HelperContext& m_ctx;
    MgcpSessionState& m_st;
    MgcpStats& m_stats;
    uint64_t& m_active;
    uint32_t m_mediaTimeout; //!< the helper's MediaPinholeTimeout, s
    int m_side;
};

/// Forget transactions past their time.
void
Expire(MgcpSessionState& st, int64_t nowNs)
{
    auto& v = st.transactions;
    v.erase(std::remove_if(v.begin(),
                           v.end(),
                           [nowNs](const Transaction& t) {
                               const int64_t keep = t.answered
                                                        ? MgcpSessionHelper::TRANSACTION_HISTORY
                                                        : MgcpSessionHelper::TRANSACTION_TIMEOUT;
                               return nowNs - t.atNs > keep * kSecond;
                           }),
            v.end());
}

} // namespace

void
MgcpSessionHelper::Inspect(HelperContext& ctx)
{
    if (ctx.view.tuple.proto != IPPROTO_NUM_UDP || ctx.payloadLen == 0)
    {
        return;
    }
    ++m_stats.datagrams;
    std::vector<MgcpMessage> msgs;
    std::string error;
    if (!ParseMgcpDatagram(ctx.payload, ctx.payloadLen, msgs, &error))
    {
        ++m_stats.malformed;
        Block(ctx, "malformed", error);
        return;
    }
    auto& st = ctx.Data().State<MgcpSessionState>();
    Expire(st, ctx.nowNs);
    MgcpPacket pkt(ctx, st, m_stats, m_activeConnections, m_mediaPinholeTimeout);
    const char* kind = "";
    const std::string why = pkt.Check(msgs, kind);
    if (!why.empty())
    {
        (std::string(kind) == "no-transaction" ? m_stats.noTransaction : m_stats.wrongRole)++;
        Block(ctx, kind, why);
        return;
    }
    for (const MgcpMessage& m : msgs)
    {
        pkt.Handle(m);
    }
    m_stats.rewritten += pkt.rewritten ? 1 : 0;
}

void
MgcpSessionHelper::OnSessionClosed(Session& s)
{
    SessionExtension* ext = s.ExtOrNull();
    auto* st = ext ? dynamic_cast<MgcpSessionState*>(ext->state.get()) : nullptr;
    if (!st)
    {
        return;
    }
    m_stats.connectionsDeleted += st->connections.size();
    m_activeConnections -= std::min<uint64_t>(m_activeConnections, st->connections.size());
    st->connections.clear();
}

std::string
MgcpSessionHelper::StatusText(uint64_t activePinholes) const
{
    std::ostringstream os;
    os << "mgcp session helper: model output (FortiOS documents no MGCP diagnose command)\n"
       << "datagrams: " << m_stats.datagrams << " commands: " << m_stats.commands
       << " responses: " << m_stats.responses << "\n"
       << "connections: active " << m_activeConnections << " created " << m_stats.connectionsCreated
       << " modified " << m_stats.connectionsModified << " deleted " << m_stats.connectionsDeleted
       << "\n"
       << "pinholes: active " << activePinholes << " opened " << m_stats.pinholesOpened
       << " refused " << m_stats.pinholesRefused << " closed " << m_stats.pinholesClosed << "\n"
       << "nat: rewritten " << m_stats.rewritten << " addresses " << m_stats.addressesRewritten
       << " ports-moved " << m_stats.mediaPortsMoved << " media-not-handled "
       << m_stats.mediaNotHandled << " no-port " << m_stats.noPortForMedia << "\n"
       << "blocked: " << m_stats.blocked << " malformed " << m_stats.malformed << " no-transaction "
       << m_stats.noTransaction << " wrong-role " << m_stats.wrongRole << "\n";
    for (const std::string& b : m_lastBlocked)
    {
        os << "  " << b << "\n";
    }
    return os.str();
}

namespace
{
const bool g_mgcpDiagnose = [] {
    SessionHelperRegistry::RegisterDiagnose(
        {"diagnose", "sys", "mgcp-model", "counters"},
        [](const HelperDiagnoseUnit& unit) {
            Ptr<MgcpSessionHelper> h = DynamicCast<MgcpSessionHelper>(unit.helper("mgcp"));
            if (!h)
            {
                return std::string();
            }
            uint64_t pinholes = 0;
            for (const auto& e : unit.pinholes->List())
            {
                pinholes += e.helper == "mgcp" ? 1 : 0;
            }
            return h->StatusText(pinholes);
        });
    return true;
}();
} // namespace

} // namespace ns3
