/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// FortiOS CLI tables, family "services and groups": `config firewall service custom|group`.

#include "fortios-cli-fields.h"

namespace ns3
{
namespace fortios
{

// ---- firewall service custom ----------------------------------------------------------------

namespace
{

Field<FirewallService>
PortRanges(const std::string& name, std::vector<PortRange> FirewallService::*m)
{
    using T = FirewallService;
    Field<T> f;
    f.info.name = name;
    f.info.multi = true;
    f.info.maxValues = 0;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
        std::vector<PortRange> out;
        for (size_t i = 0; i < v.size(); ++i)
        {
            try
            {
                out.push_back(ParsePortRange(v[i], name));
            }
            catch (const ConfigError& e)
            {
                Bad(i, e.what());
            }
        }
        o.*m = out;
    };
    f.get = [=](const T& o) {
        Values out;
        for (const auto& r : o.*m)
        {
            out.push_back(PortRangeToString(r));
        }
        return out;
    };
    f.reset = ResetMember(m);
    f.applies = [](const T& o) { return o.protocol == T::TCP_UDP_SCTP; };
    return f;
}

Field<FirewallService>
IcmpValue(const std::string& name, int FirewallService::*m)
{
    using T = FirewallService;
    Field<T> f;
    f.info.name = name;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
        o.*m = static_cast<int>(ParseRange(name, v, 0, 0, 255));
    };
    f.get = [=](const T& o) { return o.*m < 0 ? Values{} : Values{std::to_string(o.*m)}; };
    f.reset = ResetMember(m);
    f.applies = [](const T& o) { return o.protocol == T::ICMP; };
    return f;
}

} // namespace

Table*
MakeServiceCustom()
{
    using T = FirewallService;
    auto* s = Own<SchemaT<T>>();
    s->Add(Str<T>("category", &T::category, 63));
    Field<T> proto;
    const Values protoNames{"TCP/UDP/SCTP", "ICMP", "IP"};
    proto.info.name = "protocol";
    proto.info.options = protoNames;
    proto.set = [protoNames](T& o, const Values& v, const FortiGateConfig&) {
        const std::string w = ParseOption("protocol", v, 0, protoNames);
        const T::Protocol p = w == "ICMP" ? T::ICMP : (w == "IP" ? T::IP : T::TCP_UDP_SCTP);
        if (p == o.protocol)
        {
            return;
        }
        // Fields of the other protocols do not exist any more (FortiOS hides them).
        const T d;
        o.protocol = p;
        o.tcp = d.tcp;
        o.udp = d.udp;
        o.sctp = d.sctp;
        o.icmpType = d.icmpType;
        o.icmpCode = d.icmpCode;
        o.protocolNumber = d.protocolNumber;
    };
    proto.get = [protoNames](const T& o) { return Values{protoNames[o.protocol]}; };
    proto.reset = [](T& o, const T& d) {
        o.protocol = d.protocol;
        o.tcp = d.tcp;
        o.udp = d.udp;
        o.sctp = d.sctp;
        o.icmpType = d.icmpType;
        o.icmpCode = d.icmpCode;
        o.protocolNumber = d.protocolNumber;
    };
    s->Add(proto);
    s->Add(PortRanges("tcp-portrange", &T::tcp));
    s->Add(PortRanges("udp-portrange", &T::udp));
    s->Add(PortRanges("sctp-portrange", &T::sctp));
    s->Add(IcmpValue("icmptype", &T::icmpType));
    s->Add(IcmpValue("icmpcode", &T::icmpCode));
    s->Add(When<T>(UInt<T>("protocol-number", &T::protocolNumber, 0, 254),
                   [](const T& o) { return o.protocol == T::IP; }));
    Field<T> ttl = UInt<T>("session-ttl", &T::sessionTtl, 0, 604800);
    ttl.set = [](T& o, const Values& v, const FortiGateConfig&) {
        const auto x = ParseRange("session-ttl", v, 0, 0, 604800);
        if (x != 0 && x < 300)
        {
            Bad(0, "session-ttl: " + v[0] + " is out of range (0 or 300..604800)");
        }
        o.sessionTtl = static_cast<uint32_t>(x);
    };
    s->Add(ttl);
    s->Add(UInt<T>("udp-idle-timer", &T::udpIdleTimer, 0, 86400));
    s->Add(UInt<T>("tcp-halfclose-timer", &T::tcpHalfcloseTimer, 0, 86400));
    s->Add(UInt<T>("tcp-halfopen-timer", &T::tcpHalfopenTimer, 0, 86400));
    s->Add(UInt<T>("tcp-timewait-timer", &T::tcpTimewaitTimer, 0, 300));
    s->Add(Str<T>("comment", &T::comment, 255));

    auto* t = ConfigTable("firewall service custom",
                          s,
                          &Cfg::Services,
                          &Cfg::FindService,
                          &Cfg::AddService,
                          &Cfg::SetService,
                          &Cfg::DeleteService);
    t->fresh = [](const FortiGateConfig& c, const std::string& k) {
        T e;
        e.name = k;
        const T* cur = c.FindService(k);
        e.predefined = cur && cur->predefined; // shipped services stay shipped
        return e;
    };
    t->setKey = [](T& e, const std::string& k) {
        e.name = k;
        e.predefined = false;
    };
    ReferencedAs(t, FortiGateConfig::NameKind::SERVICE);
    return t;
}

// ---- firewall service group -----------------------------------------------------------------

Table*
MakeServiceGroup()
{
    using T = ServiceGroup;
    auto* s = Own<SchemaT<T>>();
    s->Add(RefList<T>("member", &T::members, IsService));
    s->Add(Str<T>("comment", &T::comment, 255));
    auto* t = ConfigTable("firewall service group",
                          s,
                          &Cfg::ServiceGroups,
                          &Cfg::FindServiceGroup,
                          &Cfg::AddServiceGroup,
                          &Cfg::SetServiceGroup,
                          &Cfg::DeleteServiceGroup);
    ReferencedAs(t, FortiGateConfig::NameKind::SERVICE);
    return t;
}

} // namespace fortios
} // namespace ns3
