/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// FortiOS CLI tables, family "addresses and groups": `config firewall address|addrgrp`.

#include "fortios-cli-fields.h"

namespace ns3
{
namespace fortios
{

// ---- firewall address -----------------------------------------------------------------------

Table*
MakeFirewallAddress()
{
    using T = FirewallAddress;
    auto* s = Own<SchemaT<T>>();
    Field<T> type;
    type.info.name = "type";
    type.info.options = {"ipmask", "iprange"};
    type.set = [](T& o, const Values& v, const FortiGateConfig&) {
        const std::string w = ParseOption("type", v, 0, {"ipmask", "iprange"});
        const T::Type t = w == "ipmask" ? T::IPMASK : T::IPRANGE;
        if (t == o.type)
        {
            return;
        }
        o.type = t;
        if (t == T::IPRANGE)
        {
            o.mask = 0; // keep start/end
        }
        else
        {
            o.start = 0; // back to 0.0.0.0 0.0.0.0
            o.end = 0xffffffffu;
            o.mask = 0;
        }
    };
    type.get = [](const T& o) { return Values{o.type == T::IPMASK ? "ipmask" : "iprange"}; };
    type.reset = [](T& o, const T& d) {
        o.type = d.type;
        o.start = d.start;
        o.end = d.end;
        o.mask = d.mask;
    };
    s->Add(type);

    Field<T> subnet;
    subnet.info.name = "subnet";
    subnet.info.maxValues = 2;
    subnet.set = [](T& o, const Values& v, const FortiGateConfig&) {
        uint32_t ip = 0;
        uint32_t mask = 0;
        ParseIpMask("subnet", v, ip, mask);
        o.start = ip & mask;
        o.end = (ip & mask) | ~mask;
        o.mask = mask;
    };
    subnet.get = [](const T& o) { return Values{Ipv4ToString(o.start), Ipv4ToString(o.mask)}; };
    subnet.reset = [](T& o, const T& d) {
        o.start = d.start;
        o.end = d.end;
        o.mask = d.mask;
    };
    subnet.applies = [](const T& o) { return o.type == T::IPMASK; };
    s->Add(subnet);
    s->Add(When<T>(Ip<T>("start-ip", &T::start), [](const T& o) { return o.type == T::IPRANGE; }));
    s->Add(When<T>(Ip<T>("end-ip", &T::end), [](const T& o) { return o.type == T::IPRANGE; }));
    s->Add(Str<T>("comment", &T::comment, 255));
    s->Add(Uuid<T>());

    auto* t = ConfigTable("firewall address",
                          s,
                          &Cfg::Addresses,
                          &Cfg::FindAddress,
                          &Cfg::AddAddress,
                          &Cfg::SetAddress,
                          &Cfg::DeleteAddress);
    t->fresh = [](const FortiGateConfig&, const std::string& k) { return T::Subnet(k, 0, 0); };
    t->save = [](FortiGateConfig& c, const T& e, bool isNew) {
        if (isNew)
        {
            c.AddAddress(e);
        }
        else if (!(*c.FindAddress(e.name) == e))
        {
            c.SetAddress(e);
        }
    };
    ReferencedAs(t, FortiGateConfig::NameKind::ADDRESS);
    return t;
}

// ---- firewall addrgrp -----------------------------------------------------------------------

Table*
MakeAddrGrp()
{
    using T = AddressGroup;
    auto* s = Own<SchemaT<T>>();
    s->Add(RefList<T>("member", &T::members, IsAddress));
    s->Add(Str<T>("comment", &T::comment, 255));
    s->Add(Uuid<T>());
    auto* t = ConfigTable("firewall addrgrp",
                          s,
                          &Cfg::AddressGroups,
                          &Cfg::FindAddressGroup,
                          &Cfg::AddAddressGroup,
                          &Cfg::SetAddressGroup,
                          &Cfg::DeleteAddressGroup);
    ReferencedAs(t, FortiGateConfig::NameKind::ADDRESS);
    return t;
}

} // namespace fortios
} // namespace ns3
