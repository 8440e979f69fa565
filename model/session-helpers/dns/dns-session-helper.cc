/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dns-session-helper.h"

#include "ns3/fortigate-config.h"
#include "ns3/log.h"
#include "ns3/text-util.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DnsSessionHelper");
NS_OBJECT_ENSURE_REGISTERED(DnsSessionHelper);
NS_OBJECT_ENSURE_REGISTERED(DnsUdpSessionHelper);
NS_OBJECT_ENSURE_REGISTERED(DnsTcpSessionHelper);
FORTIGATE_REGISTER_SESSION_HELPER(DnsUdpSessionHelper, "dns-udp");
FORTIGATE_REGISTER_SESSION_HELPER(DnsTcpSessionHelper, "dns-tcp");

namespace
{
/// A query waiting for its answer.
struct PendingQuery
{
    bool used{false};   //!< slot in use
    uint16_t id{0};     //!< transaction id
    uint16_t qtype{0};  //!< question type
    uint16_t qclass{0}; //!< question class
    std::string qname;  //!< question name (compared case-insensitively)
};

/// Queries of one DNS session.
class DnsState : public HelperState
{
  public:
    PendingQuery queries[16]; //!< ring of pending queries
    uint8_t next{0};          //!< next slot

    /// \return the number of queries waiting
    int Pending() const
    {
        int n = 0;
        for (const auto& q : queries)
        {
            n += q.used ? 1 : 0;
        }
        return n;
    }
};

} // namespace

TypeId
DnsSessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DnsSessionHelper").SetParent<SessionHelper>().SetGroupName("FortiGate");
    return tid;
}

TypeId
DnsUdpSessionHelper::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DnsUdpSessionHelper")
                            .SetParent<DnsSessionHelper>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<DnsUdpSessionHelper>();
    return tid;
}

std::string
DnsUdpSessionHelper::GetName() const
{
    return "dns-udp";
}

TypeId
DnsTcpSessionHelper::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DnsTcpSessionHelper")
                            .SetParent<DnsSessionHelper>()
                            .SetGroupName("FortiGate")
                            .AddConstructor<DnsTcpSessionHelper>();
    return tid;
}

std::string
DnsTcpSessionHelper::GetName() const
{
    return "dns-tcp";
}

void
DnsSessionHelper::ApplyConfig(const FortiGateConfig& config)
{
    std::vector<DnsTranslationRule> rules;
    for (const DnsTranslationConfig& t : config.DnsTranslations())
    {
        rules.push_back(DnsTranslationRule{t.src, t.dst, t.netmask});
    }
    SetTranslations(rules);
}

void
DnsSessionHelper::SetTranslations(const std::vector<DnsTranslationRule>& rules)
{
    m_rules = rules;
}

void
DnsSessionHelper::Inspect(HelperContext& ctx)
{
    if (ctx.payloadLen == 0)
    {
        return;
    }
    bool close = false;
    if (ctx.view.tuple.proto == IPPROTO_NUM_UDP)
    {
        if (!InspectMessage(ctx, 0, ctx.payloadLen, close))
        {
            ctx.drop = true;
            return;
        }
        ctx.close = close;
        return;
    }
    std::size_t consumed = 0;
    const auto msgs = SplitDnsTcp(ctx.payload, ctx.payloadLen, consumed);
    if (consumed < ctx.payloadLen && ctx.mayHold)
    {
        ctx.hold = true; // the last message continues in the next segment
        return;
    }
    for (const auto& [off, n] : msgs)
    {
        if (!InspectMessage(ctx, off, n, close))
        {
            // TCP cannot lose bytes: the unmatched answer is counted and passes.
            NS_LOG_INFO(GetName() << ": unmatched answer on a TCP stream passed");
        }
    }
}

bool
DnsSessionHelper::InspectMessage(HelperContext& ctx,
                                 std::size_t offset,
                                 std::size_t len,
                                 bool& close)
{
    const uint8_t* msg = ctx.payload + offset;
    DnsMessage m;
    if (!ParseDns(msg, len, m))
    {
        ++m_malformed;
        NS_LOG_INFO(GetName() << ": malformed message passed");
        return true;
    }
    auto& st = ctx.Data().State<DnsState>();
    if (!m.response)
    {
        if (ctx.dir == SessionDir::ORIGINAL && m.questions > 0)
        {
            st.queries[st.next] = PendingQuery{true, m.id, m.qtype, m.qclass, m.qname};
            st.next = static_cast<uint8_t>((st.next + 1) % 16);
        }
        return true;
    }
    bool matched = false;
    for (auto& q : st.queries)
    {
        if (q.used && q.id == m.id && q.qtype == m.qtype && q.qclass == m.qclass &&
            AsciiIEquals(q.qname, m.qname))
        {
            q = PendingQuery();
            matched = true;
            break;
        }
    }
    if (!matched || ctx.dir != SessionDir::REPLY)
    {
        ++m_unmatched;
        NS_LOG_INFO(GetName() << ": answer id " << m.id << " for " << m.qname
                              << " matches no query: dropped");
        return false;
    }
    for (const auto& [at, addr] : DnsTranslations(m, msg, m_rules))
    {
        const std::string b = {static_cast<char>(addr >> 24),
                               static_cast<char>(addr >> 16),
                               static_cast<char>(addr >> 8),
                               static_cast<char>(addr)};
        if (ctx.editor.Replace(offset + at, 4, b, ctx.payloadLen))
        {
            ++m_translated;
            NS_LOG_INFO(GetName() << ": " << m.qname << " A translated to " << Ipv4ToString(addr));
        }
    }
    close = st.Pending() == 0 && GetName() == "dns-udp";
    return true;
}

} // namespace ns3
