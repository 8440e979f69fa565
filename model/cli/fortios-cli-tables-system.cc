/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// FortiOS CLI tables, family "system" and "router": `config system
// global|settings|interface|session-ttl|session-helper`, `config router static`.

#include "fortios-cli-fields.h"

namespace ns3
{
namespace fortios
{

// ---- system global ------------------------------------------------------------------------

Table*
MakeSystemGlobal()
{
    auto* s = Own<SchemaT<TcpUdpTimers>>();
    using T = TcpUdpTimers;
    s->Add(UInt<T>("tcp-halfclose-timer", &T::tcpHalfclose, 1, 86400));
    s->Add(UInt<T>("tcp-halfopen-timer", &T::tcpHalfopen, 1, 86400));
    s->Add(UInt<T>("tcp-timewait-timer", &T::tcpTimewait, 0, 300));
    s->Add(UInt<T>("tcp-rst-timer", &T::tcpRst, 5, 300));
    s->Add(UInt<T>("udp-idle-timer", &T::udpIdle, 1, 86400));
    s->Add(UInt<T>("block-session-timer", &T::blockSession, 1, 300));
    return Own<SingletonTable<T>>(
        "system global",
        [](const FortiGateConfig& c) { return c.Timers(); },
        [](FortiGateConfig& c, const T& t) {
            T copy = t;
            copy.sessionTtl = c.GetSessionTtl().defaultTtl; // set by system session-ttl
            c.SetTimers(copy);
        },
        s);
}

// ---- system settings ----------------------------------------------------------------------

namespace
{

Field<SystemSettings>
SipPorts(const std::string& name, std::vector<uint16_t> SystemSettings::*m)
{
    Field<SystemSettings> f;
    f.info.name = name;
    f.info.multi = true;
    f.info.maxValues = 2;
    f.set = [=](SystemSettings& o, const Values& v, const FortiGateConfig&) {
        if (v.empty())
        {
            Bad(0, name + ": needs one or two ports");
        }
        std::vector<uint16_t> ports;
        for (size_t i = 0; i < v.size(); ++i)
        {
            ports.push_back(static_cast<uint16_t>(ParseRange(name, v, i, 1, 65535)));
        }
        o.*m = ports;
    };
    f.get = [=](const SystemSettings& o) {
        Values out;
        for (auto p : o.*m)
        {
            out.push_back(std::to_string(p));
        }
        return out;
    };
    f.reset = ResetMember(m);
    return f;
}

} // namespace

Table*
MakeSystemSettings()
{
    using T = SystemSettings;
    auto* s = Own<SchemaT<T>>();
    s->Add(Bool<T>("central-nat", &T::centralNat));
    s->Add(Option<T>("default-voip-alg-mode",
                     &T::defaultVoipAlgMode,
                     {"proxy-based", "kernel-helper-based"}));
    s->Add(Bool<T>("ses-denied-traffic", &T::sesDeniedTraffic));
    s->Add(Bool<T>("snat-hairpin-traffic", &T::snatHairpinTraffic));
    s->Add(Bool<T>("sip-expectation", &T::sipExpectation));
    s->Add(Bool<T>("sip-nat-trace", &T::sipNatTrace));
    s->Add(SipPorts("sip-tcp-port", &T::sipTcpPort));
    s->Add(SipPorts("sip-udp-port", &T::sipUdpPort));
    s->Add(UInt<T>("sip-ssl-port", &T::sipSslPort, 1, 65535));
    return Own<SingletonTable<T>>(
        "system settings",
        [](const FortiGateConfig& c) { return c.Settings(); },
        [](FortiGateConfig& c, const T& t) { c.SetSettings(t); },
        s);
}

// ---- system interface ---------------------------------------------------------------------

namespace
{

} // namespace

Table*
MakeSystemInterface()
{
    using T = InterfaceConfig;
    auto* s = Own<SchemaT<T>>();
    Field<T> ip;
    ip.info.name = "ip";
    ip.info.maxValues = 2;
    ip.set = [](T& o, const Values& v, const FortiGateConfig&) {
        ParseIpMask("ip", v, o.ip, o.mask);
    };
    ip.get = [](const T& o) { return Values{Ipv4ToString(o.ip), Ipv4ToString(o.mask)}; };
    ip.reset = [](T& o, const T& d) {
        o.ip = d.ip;
        o.mask = d.mask;
    };
    s->Add(ip);
    s->Add(OptionList<T>("allowaccess", &T::allowaccess, AllowAccessNames()));
    s->Add(Str<T>("alias", &T::alias, 25));
    s->Add(Option<T>("role", &T::role, {"lan", "wan", "dmz", "undefined"}));
    s->Add(Ignored<T>(
        "vdom",
        [](const std::string& v) { return v == "root"; },
        "the only VDOM, \"root\""));

    auto* t = ConfigTable("system interface",
                          s,
                          &Cfg::Interfaces,
                          &Cfg::FindInterfaceConfig,
                          &Cfg::AddInterface,
                          &Cfg::SetInterface,
                          &Cfg::DeleteInterface);
    t->setKey = nullptr; // no rename
    ReferencedAs(t, FortiGateConfig::NameKind::INTERFACE);
    // FortiOS cannot rename an interface (its position is the datapath's interface index).
    return t;
}

// ---- system session-ttl (+ config port) -----------------------------------------------------

namespace
{

class SessionTtlPortTable : public SubTable
{
  public:
    explicit SessionTtlPortTable(const Schema* s)
        : m_schema(s)
    {
    }

    const Schema& EntrySchema() const override
    {
        return *m_schema;
    }

    std::vector<std::string> Keys(const void* parent) const override
    {
        return IdsOf(static_cast<const SessionTtl*>(parent)->ports);
    }

    std::unique_ptr<Object> Get(const void* parent, const std::string& key) const override
    {
        for (const auto& p : static_cast<const SessionTtl*>(parent)->ports)
        {
            if (p.id == Id(key))
            {
                return std::make_unique<ObjectT<SessionTtlPort>>(p);
            }
        }
        return nullptr;
    }

    std::unique_ptr<Object> Fresh(const std::string& key) const override
    {
        SessionTtlPort p;
        p.id = Id(key);
        return std::make_unique<ObjectT<SessionTtlPort>>(p);
    }

    void Put(void* parent, const Object& entry) const override
    {
        auto& ports = static_cast<SessionTtl*>(parent)->ports;
        const auto& e = static_cast<const ObjectT<SessionTtlPort>&>(entry).value;
        auto it = std::lower_bound(ports.begin(),
                                   ports.end(),
                                   e.id,
                                   [](const SessionTtlPort& a, uint32_t id) { return a.id < id; });
        if (it != ports.end() && it->id == e.id)
        {
            *it = e;
        }
        else
        {
            ports.insert(it, e);
        }
    }

    void Erase(void* parent, const std::string& key) const override
    {
        auto& ports = static_cast<SessionTtl*>(parent)->ports;
        ports.erase(std::remove_if(ports.begin(),
                                   ports.end(),
                                   [&](const SessionTtlPort& p) { return p.id == Id(key); }),
                    ports.end());
    }

    std::string NextFreeKey(const void* parent) const override
    {
        uint32_t next = 1;
        for (const auto& p : static_cast<const SessionTtl*>(parent)->ports)
        {
            next = std::max(next, p.id + 1);
        }
        return std::to_string(next);
    }

  private:
    const Schema* m_schema;
};

} // namespace

Table*
MakeSessionTtl()
{
    using P = SessionTtlPort;
    auto* ps = Own<SchemaT<P>>();
    ps->Add(UInt<P>("protocol", &P::protocol, 0, 255));
    ps->Add(UInt<P>("start-port", &P::startPort, 0, 65535));
    ps->Add(UInt<P>("end-port", &P::endPort, 0, 65535));
    ps->Add(UInt<P>("timeout", &P::timeout, 1, 604800));
    ps->Add(Option<P>("refresh-direction", &P::refreshDirection, {"both", "outgoing", "incoming"}));

    using T = SessionTtl;
    auto* s = Own<SchemaT<T>>();
    s->Add(UInt<T>("default", &T::defaultTtl, 300, 604800));
    s->AddSub({"port", nullptr, Own<SessionTtlPortTable>(ps)});
    return Own<SingletonTable<T>>(
        "system session-ttl",
        [](const FortiGateConfig& c) { return c.GetSessionTtl(); },
        [](FortiGateConfig& c, const T& t) { c.SetSessionTtl(t); },
        s);
}

// ---- system session-helper ----------------------------------------------------------------

Table*
MakeSessionHelper()
{
    using T = SessionHelperEntry;
    auto* s = Own<SchemaT<T>>();
    s->Add(Option<T>("name", &T::name, SessionHelperNames()));
    s->Add(UInt<T>("protocol", &T::protocol, 0, 255));
    s->Add(UInt<T>("port", &T::port, 1, 65535));

    return ConfigTable("system session-helper",
                       s,
                       &Cfg::SessionHelpers,
                       &Cfg::FindSessionHelper,
                       &Cfg::AddSessionHelper,
                       &Cfg::SetSessionHelper,
                       &Cfg::DeleteSessionHelper);
}

// ---- router static ------------------------------------------------------------------------

Table*
MakeRouterStatic()
{
    using T = StaticRoute;
    auto* s = Own<SchemaT<T>>();
    Field<T> dst;
    dst.info.name = "dst";
    dst.info.maxValues = 2;
    dst.set = [](T& o, const Values& v, const FortiGateConfig&) {
        uint32_t ip = 0;
        uint32_t mask = 0;
        ParseIpMask("dst", v, ip, mask);
        o.dst = ip & mask;
        o.mask = mask;
    };
    dst.get = [](const T& o) { return Values{Ipv4ToString(o.dst), Ipv4ToString(o.mask)}; };
    dst.reset = [](T& o, const T& d) {
        o.dst = d.dst;
        o.mask = d.mask;
    };
    s->Add(dst);
    s->Add(Ip<T>("gateway", &T::gateway));
    s->Add(UInt<T>("distance", &T::distance, 1, 255));
    s->Add(Ref<T>("device", &T::device, IsInterface, false));
    s->Add(Str<T>("comment", &T::comment, 255));

    return ConfigTable("router static",
                       s,
                       &Cfg::StaticRoutes,
                       &Cfg::FindStaticRoute,
                       &Cfg::AddStaticRoute,
                       &Cfg::SetStaticRoute,
                       &Cfg::DeleteStaticRoute);
}

} // namespace fortios
} // namespace ns3
