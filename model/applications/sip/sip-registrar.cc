/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sip-registrar.h"

#include "ns3/boolean.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/text-util.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipRegistrar");
NS_OBJECT_ENSURE_REGISTERED(SipRegistrar);

namespace
{

/// FNV-1a, for branches derived from the incoming branch (stateless proxy, RFC 3261 16.11).
uint64_t
Fnv1a(std::string_view s)
{
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s)
    {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

std::string
AddressText(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

} // namespace

bool
SipBinding::BehindNat() const
{
    return !contactIsIpv4 || contactAddress != sourceAddress || (!tcp && contactPort != sourcePort);
}

TypeId
SipRegistrar::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SipRegistrar")
            .SetParent<Application>()
            .SetGroupName("Fortigate")
            .AddConstructor<SipRegistrar>()
            .AddAttribute("Port",
                          "SIP port (UDP and TCP).",
                          UintegerValue(5060),
                          MakeUintegerAccessor(&SipRegistrar::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("Domain",
                          "The domain users register in (Request-URI host of calls to "
                          "registered users); empty means the registrar's address.",
                          StringValue(""),
                          MakeStringAccessor(&SipRegistrar::m_domain),
                          MakeStringChecker())
            .AddAttribute("Address",
                          "Address written into Via and Record-Route; 0.0.0.0 means the node's "
                          "first interface address.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&SipRegistrar::m_address),
                          MakeIpv4AddressChecker())
            .AddAttribute("UseSourceAddress",
                          "Send requests for a registered user to the address:port its REGISTER "
                          "came from instead of its Contact (provider-side NAT handling). Off "
                          "by default: without a SIP helper/ALG on the NAT, calls to a phone "
                          "behind it then fail, which is what the NAT scenarios show.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&SipRegistrar::m_useSource),
                          MakeBooleanChecker())
            .AddAttribute("RecordRoute",
                          "Add Record-Route to dialog-creating INVITEs so in-dialog requests "
                          "(ACK, BYE, re-INVITE) pass through the proxy.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&SipRegistrar::m_recordRoute),
                          MakeBooleanChecker())
            .AddAttribute("MinExpires",
                          "Shortest registration accepted (else 423).",
                          UintegerValue(60),
                          MakeUintegerAccessor(&SipRegistrar::m_minExpires),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("MaxExpires",
                          "Longest registration granted.",
                          UintegerValue(7200),
                          MakeUintegerAccessor(&SipRegistrar::m_maxExpires),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("DefaultExpires",
                          "Expiry when the REGISTER names none.",
                          UintegerValue(3600),
                          MakeUintegerAccessor(&SipRegistrar::m_defaultExpires),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("SipTx",
                            "A SIP message was sent (text, destination, port).",
                            MakeTraceSourceAccessor(&SipRegistrar::m_txTrace),
                            "ns3::SipUserAgent::MessageCallback")
            .AddTraceSource("SipRx",
                            "A SIP message was received (text, source, port).",
                            MakeTraceSourceAccessor(&SipRegistrar::m_rxTrace),
                            "ns3::SipUserAgent::MessageCallback")
            .AddTraceSource("Binding",
                            "A REGISTER created, refreshed or removed a binding.",
                            MakeTraceSourceAccessor(&SipRegistrar::m_bindingTrace),
                            "ns3::SipRegistrar::BindingCallback");
    return tid;
}

SipRegistrar::SipRegistrar()
    : m_port(5060),
      m_useSource(false),
      m_recordRoute(true),
      m_minExpires(60),
      m_maxExpires(7200),
      m_defaultExpires(3600)
{
    NS_LOG_FUNCTION(this);
}

SipRegistrar::~SipRegistrar()
{
    NS_LOG_FUNCTION(this);
}

void
SipRegistrar::DoDispose()
{
    if (m_sip)
    {
        m_sip->Dispose();
        m_sip = nullptr;
    }
    m_bindingConns.clear();
    Application::DoDispose();
}

void
SipRegistrar::StartApplication()
{
    NS_LOG_FUNCTION(this);
    m_self = m_address;
    if (m_self == Ipv4Address::GetAny())
    {
        Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
        for (uint32_t i = 0; ipv4 && i < ipv4->GetNInterfaces(); ++i)
        {
            if (ipv4->GetNAddresses(i) &&
                ipv4->GetAddress(i, 0).GetLocal() != Ipv4Address::GetLoopback())
            {
                m_self = ipv4->GetAddress(i, 0).GetLocal();
                break;
            }
        }
    }
    m_sip = CreateObject<SipTransport>();
    m_sip->Open(GetNode(),
                m_port,
                true,
                true,
                MakeCallback(&SipRegistrar::Receive, this),
                "SipRegistrar");
}

void
SipRegistrar::StopApplication()
{
    if (m_sip)
    {
        m_sip->Close();
    }
}

// ---- queries -----------------------------------------------------------------------------------

void
SipRegistrar::Purge()
{
    Time now = Simulator::Now();
    for (std::size_t i = 0; i < m_bindings.size();)
    {
        if (m_bindings[i].expiresAt <= now)
        {
            m_bindings.erase(m_bindings.begin() + i);
            m_bindingConns.erase(m_bindingConns.begin() + i);
        }
        else
        {
            ++i;
        }
    }
}

std::vector<SipBinding>
SipRegistrar::GetBindings() const
{
    std::vector<SipBinding> out;
    for (const SipBinding& b : m_bindings)
    {
        if (b.expiresAt > Simulator::Now())
        {
            out.push_back(b);
        }
    }
    return out;
}

int
SipRegistrar::FindBinding(std::string_view user) const
{
    int best = -1;
    for (std::size_t i = 0; i < m_bindings.size(); ++i)
    {
        const SipBinding& b = m_bindings[i];
        if (b.user == user && b.expiresAt > Simulator::Now() &&
            (best < 0 || b.updatedAt >= m_bindings[best].updatedAt))
        {
            best = static_cast<int>(i);
        }
    }
    return best;
}

int
SipRegistrar::FindBindingByContact(Ipv4Address a, uint16_t port) const
{
    for (std::size_t i = 0; i < m_bindings.size(); ++i)
    {
        const SipBinding& b = m_bindings[i];
        if (b.contactIsIpv4 && b.contactAddress == a && b.contactPort == port &&
            b.expiresAt > Simulator::Now())
        {
            return static_cast<int>(i);
        }
    }
    return -1;
}

bool
SipRegistrar::LookupBinding(const std::string& user, SipBinding& out) const
{
    int i = FindBinding(user);
    if (i < 0)
    {
        return false;
    }
    out = m_bindings[i];
    return true;
}

bool
SipRegistrar::IsRegistered(const std::string& user) const
{
    return FindBinding(user) >= 0;
}

const SipRegistrarStats&
SipRegistrar::GetStats() const
{
    return m_stats;
}

Ipv4Address
SipRegistrar::GetAddress() const
{
    return m_self;
}

Ptr<SipTransport>
SipRegistrar::GetTransport() const
{
    return m_sip;
}

bool
SipRegistrar::IsSelf(const SipUri& uri) const
{
    return uri.hostIsIpv4 && Ipv4Address(uri.ipv4) == m_self && uri.EffectivePort() == m_port;
}

bool
SipRegistrar::IsOurDomain(std::string_view host) const
{
    if (host == AddressText(m_self))
    {
        return true;
    }
    if (m_domain.empty())
    {
        // no Domain configured: every host name (not an address) is ours
        return host.find_first_not_of("0123456789.") != std::string::npos;
    }
    return AsciiLowerCopy(host) == AsciiLowerCopy(m_domain);
}

// ---- sending -----------------------------------------------------------------------------------

void
SipRegistrar::Send(const std::string& text,
                   Ipv4Address to,
                   uint16_t port,
                   bool tcp,
                   Ptr<Socket> conn)
{
    m_txTrace(text, to, port);
    NS_LOG_INFO("registrar -> " << to << ":" << port << (tcp ? "/tcp " : " ")
                                << text.substr(0, text.find('\r')));
    m_sip->Send(text, to, port, tcp, conn);
}

void
SipRegistrar::Respond(const SipMessage& msg,
                      const std::string& text,
                      Ipv4Address from,
                      uint16_t port,
                      Ptr<Socket> conn,
                      uint32_t code,
                      const std::vector<std::pair<std::string, std::string>>& extra)
{
    SipTextMessage r = SipTextMessage::Response(code);
    for (const SipVia& v : msg.vias)
    {
        r.AddHeader("Via", v.span.Text(text));
    }
    r.AddHeader("From",
                msg.FindHeader(SipHeaderId::FROM) ? msg.FindHeader(SipHeaderId::FROM)->value
                                                  : std::string_view());
    std::string to(msg.FindHeader(SipHeaderId::TO) ? msg.FindHeader(SipHeaderId::TO)->value
                                                   : std::string_view());
    if (code > 100 && !msg.to.hasTag)
    {
        to += ";tag=" + std::to_string(Fnv1a(msg.callId) & 0xffffffffu);
    }
    r.AddHeader("To", to);
    r.AddHeader("Call-ID", msg.callId);
    r.AddHeader("CSeq",
                msg.FindHeader(SipHeaderId::CSEQ) ? msg.FindHeader(SipHeaderId::CSEQ)->value : "");
    for (const auto& h : extra)
    {
        r.AddHeader(h.first, h.second);
    }
    r.AddHeader("Server", "ns-3 SipRegistrar");
    if (conn)
    {
        Send(r.ToString(), from, port, true, conn);
        return;
    }
    // RFC 3261 18.2.2 + RFC 3581: the source address; the source port if rport was asked for.
    const SipVia& v = msg.vias[0];
    Send(r.ToString(), from, v.hasRport ? port : v.EffectivePort(), false, nullptr);
}

// ---- receiving ---------------------------------------------------------------------------------

void
SipRegistrar::Receive(const std::string& text,
                      const SipMessage& msg,
                      Ipv4Address from,
                      uint16_t port,
                      Ptr<Socket> conn)
{
    m_rxTrace(text, from, port);
    NS_LOG_INFO("registrar <- " << from << ":" << port << " " << text.substr(0, text.find('\r')));
    if (msg.vias.empty() || !msg.hasCallId || !msg.hasCSeq)
    {
        ++m_stats.dropped;
        return;
    }
    if (!msg.isRequest)
    {
        ProxyResponse(msg, text);
        return;
    }
    if (msg.methodId == SipMethod::REGISTER)
    {
        HandleRegister(msg, text, from, port, conn);
        return;
    }
    ProxyRequest(msg, text, from, port, conn);
}

void
SipRegistrar::HandleRegister(const SipMessage& msg,
                             const std::string& text,
                             Ipv4Address from,
                             uint16_t port,
                             Ptr<Socket> conn)
{
    ++m_stats.registers;
    Purge();
    if (!msg.hasTo || !msg.to.uri.hasUser)
    {
        ++m_stats.registerRejected;
        Respond(msg, text, from, port, conn, 400);
        return;
    }
    std::string user(msg.to.uri.user);
    uint32_t dflt = msg.hasExpires ? msg.expires : m_defaultExpires;
    Time now = Simulator::Now();
    if (msg.contactStar)
    {
        if (dflt != 0)
        {
            ++m_stats.registerRejected;
            Respond(msg, text, from, port, conn, 400);
            return;
        }
        for (std::size_t i = 0; i < m_bindings.size();)
        {
            if (m_bindings[i].user == user)
            {
                SipBinding gone = m_bindings[i];
                gone.expires = 0;
                m_bindings.erase(m_bindings.begin() + i);
                m_bindingConns.erase(m_bindingConns.begin() + i);
                ++m_stats.unregisters;
                m_bindingTrace(gone);
            }
            else
            {
                ++i;
            }
        }
    }
    // Check every expiry first (423 changes nothing).
    for (std::size_t i = 0; i < msg.contacts.size(); ++i)
    {
        uint32_t e = msg.ContactExpires(i, dflt);
        if (e != 0 && e < m_minExpires)
        {
            ++m_stats.registerRejected;
            Respond(msg,
                    text,
                    from,
                    port,
                    conn,
                    423,
                    {{"Min-Expires", std::to_string(m_minExpires)}});
            return;
        }
    }
    for (std::size_t i = 0; i < msg.contacts.size() && !msg.contactStar; ++i)
    {
        const SipNameAddr& c = msg.contacts[i];
        std::string contact = c.uri.span.Text(text);
        uint32_t e = std::min(msg.ContactExpires(i, dflt), m_maxExpires);
        auto it = std::find_if(m_bindings.begin(), m_bindings.end(), [&](const SipBinding& b) {
            return b.user == user && b.contact == contact;
        });
        if (e == 0)
        {
            if (it != m_bindings.end())
            {
                SipBinding gone = *it;
                gone.expires = 0;
                std::size_t idx = static_cast<std::size_t>(it - m_bindings.begin());
                m_bindings.erase(it);
                m_bindingConns.erase(m_bindingConns.begin() + idx);
                ++m_stats.unregisters;
                m_bindingTrace(gone);
            }
            continue;
        }
        if (it == m_bindings.end())
        {
            SipBinding b;
            b.user = user;
            b.registeredAt = now;
            m_bindings.push_back(b);
            m_bindingConns.push_back(nullptr);
            it = m_bindings.end() - 1;
        }
        else
        {
            ++it->refreshes;
        }
        SipBinding& b = *it;
        b.aor = msg.to.uri.span.Text(text);
        b.contact = contact;
        b.contactIsIpv4 = c.uri.hostIsIpv4;
        b.contactAddress = c.uri.hostIsIpv4 ? Ipv4Address(c.uri.ipv4) : Ipv4Address();
        b.contactPort = c.uri.EffectivePort();
        b.sourceAddress = from;
        b.sourcePort = port;
        b.tcp = conn != nullptr;
        b.expires = e;
        b.updatedAt = now;
        b.expiresAt = now + Seconds(e);
        b.callId = msg.callId;
        b.cseq = msg.cseq;
        m_bindingConns[it - m_bindings.begin()] = conn;
        m_bindingTrace(b);
    }
    ++m_stats.registerOk;
    std::vector<std::pair<std::string, std::string>> extra;
    for (const SipBinding& b : m_bindings)
    {
        if (b.user == user && b.expiresAt > now)
        {
            extra.emplace_back(
                "Contact",
                "<" + b.contact + ">;expires=" +
                    std::to_string(static_cast<uint32_t>((b.expiresAt - now).GetSeconds() + 0.5)));
        }
    }
    Respond(msg, text, from, port, conn, 200, extra);
}

void
SipRegistrar::ProxyRequest(const SipMessage& msg,
                           const std::string& text,
                           Ipv4Address from,
                           uint16_t port,
                           Ptr<Socket> conn)
{
    bool ack = msg.methodId == SipMethod::ACK;
    if (msg.hasMaxForwards && msg.maxForwards == 0)
    {
        if (!ack)
        {
            ++m_stats.tooManyHops;
            Respond(msg, text, from, port, conn, 483);
        }
        return;
    }
    // A request the proxy already handled (its own Via is on it): a loop.
    for (const SipVia& v : msg.vias)
    {
        if (v.hostIsIpv4 && Ipv4Address(v.ipv4) == m_self && v.EffectivePort() == m_port &&
            v.branch.compare(0, 11, "z9hG4bKprx.") == 0)
        {
            if (!ack)
            {
                Respond(msg, text, from, port, conn, 482);
            }
            ++m_stats.dropped;
            return;
        }
    }
    SipTextMessage out = SipTextMessage::FromParsed(msg, SipBytes(text));
    // Loose routing: drop our own Route entry.
    std::size_t routeIndex = 0;
    if (!msg.routes.empty() && IsSelf(msg.routes[0].uri))
    {
        out.RemoveFirstHeader("Route");
        routeIndex = 1;
    }
    // Where to: a remaining Route, a registered user, or the Request-URI host.
    std::string requestUri = msg.requestUriSpan.Text(text);
    Ipv4Address to;
    uint16_t toPort = 5060;
    bool tcp = false;
    Ptr<Socket> toConn;
    int binding = -1;
    const SipUri& ruri = msg.requestUri;
    if (routeIndex >= msg.routes.size() && !ruri.hasUser &&
        (IsSelf(ruri) || IsOurDomain(ruri.host)))
    {
        // addressed to the proxy itself
        if (msg.methodId == SipMethod::OPTIONS)
        {
            ++m_stats.optionsAnswered;
            Respond(msg,
                    text,
                    from,
                    port,
                    conn,
                    200,
                    {{"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER"}});
        }
        else if (!ack)
        {
            ++m_stats.notFound;
            Respond(msg, text, from, port, conn, 404);
        }
        return;
    }
    if (routeIndex < msg.routes.size())
    {
        const SipUri& r = msg.routes[routeIndex].uri;
        if (!r.hostIsIpv4)
        {
            ++m_stats.dropped;
            return;
        }
        to = Ipv4Address(r.ipv4);
        toPort = r.EffectivePort();
        const SipParam* t = FindSipParam(r.params, "transport");
        tcp = t && AsciiLowerCopy(t->value) == "tcp";
    }
    else if (ruri.hasUser && IsOurDomain(ruri.host))
    {
        binding = FindBinding(ruri.user);
        if (binding < 0)
        {
            if (!ack)
            {
                ++m_stats.notFound;
                Respond(msg, text, from, port, conn, 404);
            }
            else
            {
                ++m_stats.dropped;
            }
            return;
        }
        const SipBinding& b = m_bindings[binding];
        requestUri = b.contact;
    }
    else if (ruri.hostIsIpv4 && !IsSelf(ruri))
    {
        to = Ipv4Address(ruri.ipv4);
        toPort = ruri.EffectivePort();
        const SipParam* t = FindSipParam(ruri.params, "transport");
        tcp = t && AsciiLowerCopy(t->value) == "tcp";
        binding = FindBindingByContact(to, toPort);
    }
    else
    {
        if (!ack)
        {
            ++m_stats.notFound;
            Respond(msg, text, from, port, conn, 404);
        }
        else
        {
            ++m_stats.dropped;
        }
        return;
    }
    if (binding >= 0 && routeIndex >= msg.routes.size())
    {
        const SipBinding& b = m_bindings[binding];
        tcp = b.tcp;
        if (b.tcp && m_sip->IsConnected(m_bindingConns[binding]))
        {
            toConn = m_bindingConns[binding];
            auto remote = m_sip->GetRemote(toConn);
            to = remote.first;
            toPort = remote.second;
        }
        else if (m_useSource)
        {
            to = b.sourceAddress;
            toPort = b.sourcePort;
        }
        else if (b.contactIsIpv4)
        {
            to = b.contactAddress;
            toPort = b.contactPort;
        }
        else
        {
            ++m_stats.dropped;
            return;
        }
    }
    // Start line with the (possibly new) Request-URI.
    out.SetStartLine(std::string(msg.method) + " " + requestUri + " SIP/2.0");
    // received / rport on the Via of the previous hop (RFC 3261 18.2.1, RFC 3581).
    {
        const SipVia& v = msg.vias[0];
        std::string via = v.span.Text(text);
        std::size_t base = v.span.offset;
        if (v.hasRport && !v.rportHasValue && v.rportSpan.offset >= base)
        {
            via.insert(v.rportSpan.offset - base, "=" + std::to_string(port));
        }
        bool sameHost = v.hostIsIpv4 && Ipv4Address(v.ipv4) == from;
        if (!sameHost && !v.hasReceived)
        {
            via += ";received=" + AddressText(from);
        }
        out.SetHeader("Via", via); // the first Via is the previous hop's
    }
    // Max-Forwards
    out.SetHeader("Max-Forwards", std::to_string(msg.hasMaxForwards ? msg.maxForwards - 1 : 70));
    // Our Via, with a branch derived from the incoming one (RFC 3261 16.11).
    std::string inBranch(msg.vias[0].branch);
    if (ack && msg.vias[0].branch.empty())
    {
        inBranch = std::string(msg.callId) + std::to_string(msg.cseq);
    }
    SipMethod txMethod =
        (msg.methodId == SipMethod::CANCEL || ack) ? SipMethod::INVITE : msg.methodId;
    std::ostringstream via;
    via << "SIP/2.0/" << (tcp ? "TCP" : "UDP") << " " << m_self << ":" << m_port
        << ";branch=z9hG4bKprx." << std::hex
        << Fnv1a(
               inBranch + "|" +
               std::string(txMethod == SipMethod::UNKNOWN ? msg.method : SipMethodName(txMethod)));
    out.PrependHeader("Via", via.str());
    if (m_recordRoute && msg.methodId == SipMethod::INVITE && !msg.to.hasTag)
    {
        std::ostringstream rr;
        rr << "<sip:" << m_self << ":" << m_port << (tcp || conn ? ";transport=tcp" : "") << ";lr>";
        out.PrependHeader("Record-Route", rr.str());
    }
    ++m_stats.requestsForwarded;
    if (msg.methodId == SipMethod::INVITE)
    {
        ++m_stats.invitesForwarded;
    }
    Send(out.ToString(), to, toPort, tcp, toConn);
}

void
SipRegistrar::ProxyResponse(const SipMessage& msg, const std::string& text)
{
    const SipVia& top = msg.vias[0];
    if (!top.hostIsIpv4 || Ipv4Address(top.ipv4) != m_self || top.EffectivePort() != m_port ||
        msg.vias.size() < 2)
    {
        ++m_stats.dropped; // not ours: RFC 3261 16.7 says drop
        return;
    }
    SipTextMessage out = SipTextMessage::FromParsed(msg, SipBytes(text));
    out.RemoveFirstHeader("Via");
    const SipVia& next = msg.vias[1];
    Ipv4Address to;
    if (next.hasReceived)
    {
        to = Ipv4Address(std::string(next.received).c_str());
    }
    else if (next.hostIsIpv4)
    {
        to = Ipv4Address(next.ipv4);
    }
    else
    {
        ++m_stats.dropped;
        return;
    }
    uint16_t port = next.rportHasValue ? next.rport : next.EffectivePort();
    bool tcp = AsciiLowerCopy(next.transport) == "tcp";
    Ptr<Socket> conn;
    if (tcp)
    {
        conn = m_sip->FindConnection(to, port);
        if (!conn)
        {
            conn = m_sip->FindConnectionTo(to);
        }
    }
    ++m_stats.responsesForwarded;
    Send(out.ToString(), to, port, tcp, conn);
}

} // namespace ns3
