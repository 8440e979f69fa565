/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// FortiOS CLI tables, family "NAT objects": `config firewall ippool|vip|dnstranslation`.

#include "fortios-cli-fields.h"

namespace ns3
{
namespace fortios
{

// ---- firewall ippool ----------------------------------------------------------------------

Table*
MakeIpPool()
{
    using T = IpPoolConfig;
    auto* s = Own<SchemaT<T>>();
    Field<T> type;
    const Values typeNames{"overload", "one-to-one", "fixed-port-range", "port-block-allocation"};
    type.info.name = "type";
    type.info.options = typeNames;
    type.set = [typeNames](T& o, const Values& v, const FortiGateConfig&) {
        T::Type t = T::OVERLOAD;
        ParseIpPoolType(ParseOption("type", v, 0, typeNames), t);
        const T d;
        if (t != T::FIXED_PORT_RANGE)
        {
            o.sourceStartip = d.sourceStartip;
            o.sourceEndip = d.sourceEndip;
        }
        if (t != T::PORT_BLOCK_ALLOCATION)
        {
            o.blockSize = d.blockSize;
            o.numBlocksPerUser = d.numBlocksPerUser;
        }
        o.type = t;
    };
    type.get = [](const T& o) { return Values{IpPoolTypeName(o.type)}; };
    type.reset = [](T& o, const T& d) {
        o.type = d.type;
        o.sourceStartip = d.sourceStartip;
        o.sourceEndip = d.sourceEndip;
        o.blockSize = d.blockSize;
        o.numBlocksPerUser = d.numBlocksPerUser;
    };
    s->Add(type);
    s->Add(Ip<T>("startip", &T::startip));
    s->Add(Ip<T>("endip", &T::endip));
    s->Add(UInt<T>("startport", &T::startport, 1024, 65535));
    s->Add(UInt<T>("endport", &T::endport, 1024, 65535));
    auto fpr = [](const T& o) { return o.type == T::FIXED_PORT_RANGE; };
    auto pba = [](const T& o) { return o.type == T::PORT_BLOCK_ALLOCATION; };
    s->Add(When<T>(Ip<T>("source-startip", &T::sourceStartip), fpr));
    s->Add(When<T>(Ip<T>("source-endip", &T::sourceEndip), fpr));
    s->Add(When<T>(UInt<T>("block-size", &T::blockSize, 64, 4096), pba));
    s->Add(When<T>(UInt<T>("num-blocks-per-user", &T::numBlocksPerUser, 1, 128), pba));
    s->Add(Bool<T>("arp-reply", &T::arpReply));
    s->Add(Str<T>("comments", &T::comments, 255));

    auto* t = ConfigTable("firewall ippool",
                          s,
                          &Cfg::IpPools,
                          &Cfg::FindIpPool,
                          &Cfg::AddIpPool,
                          &Cfg::SetIpPool,
                          &Cfg::DeleteIpPool);
    ReferencedAs(t, FortiGateConfig::NameKind::IPPOOL);
    t->renameInPlace = &Cfg::RenameIpPool; // a copy under the new name would overlap the pool
    return t;
}

// ---- firewall vip -------------------------------------------------------------------------

Table*
MakeVip()
{
    using T = VipConfig;
    auto* s = Own<SchemaT<T>>();
    auto ipRange = [](const std::string& name, uint32_t T::*lo, uint32_t T::*hi, bool quoted) {
        Field<T> f;
        f.info.name = name;
        f.info.quoted = quoted;
        f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
            ParseIpRange(name, v, 0, o.*lo, o.*hi);
        };
        f.get = [=](const T& o) { return Values{IpRangeText(o.*lo, o.*hi)}; };
        f.reset = [=](T& o, const T& d) {
            o.*lo = d.*lo;
            o.*hi = d.*hi;
        };
        return f;
    };
    auto portRange = [](const std::string& name, uint16_t T::*lo, uint16_t T::*hi) {
        Field<T> f;
        f.info.name = name;
        f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
            ParsePortPair(name, v, 0, o.*lo, o.*hi);
        };
        f.get = [=](const T& o) { return Values{PortPairText(o.*lo, o.*hi)}; };
        f.reset = [=](T& o, const T& d) {
            o.*lo = d.*lo;
            o.*hi = d.*hi;
        };
        f.applies = [](const T& o) { return o.HasPorts(); };
        return f;
    };
    s->Add(ipRange("extip", &T::extipLo, &T::extipHi, false));
    s->Add(ipRange("mappedip", &T::mappedipLo, &T::mappedipHi, true));
    s->Add(Ref<T>("extintf", &T::extintf, IsInterfaceOrAny, false));
    Field<T> pf = Bool<T>("portforward", &T::portforward);
    pf.set = [](T& o, const Values& v, const FortiGateConfig&) {
        const bool on = ParseOption("portforward", v, 0, {"enable", "disable"}) == "enable";
        if (!on)
        {
            const T d; // protocol and ports only exist with port forwarding
            o.protocol = d.protocol;
            o.extportLo = d.extportLo;
            o.extportHi = d.extportHi;
            o.mappedportLo = d.mappedportLo;
            o.mappedportHi = d.mappedportHi;
        }
        o.portforward = on;
    };
    pf.reset = [](T& o, const T& d) {
        o.portforward = d.portforward;
        o.protocol = d.protocol;
        o.extportLo = d.extportLo;
        o.extportHi = d.extportHi;
        o.mappedportLo = d.mappedportLo;
        o.mappedportHi = d.mappedportHi;
    };
    s->Add(pf);
    Field<T> proto = OptionMap<T, uint8_t>("protocol",
                                           &T::protocol,
                                           {"tcp", "udp", "sctp", "icmp"},
                                           {6, 17, 132, 1});
    proto.applies = [](const T& o) { return o.portforward; };
    auto protoSet = proto.set;
    proto.set = [protoSet](T& o, const Values& v, const FortiGateConfig& c) {
        protoSet(o, v, c);
        if (o.protocol == 1)
        {
            const T d; // icmp forwarding has no ports
            o.extportLo = d.extportLo;
            o.extportHi = d.extportHi;
            o.mappedportLo = d.mappedportLo;
            o.mappedportHi = d.mappedportHi;
        }
    };
    s->Add(proto);
    s->Add(portRange("extport", &T::extportLo, &T::extportHi));
    s->Add(portRange("mappedport", &T::mappedportLo, &T::mappedportHi));
    s->Add(Bool<T>("nat-source-vip", &T::natSourceVip));
    s->Add(Bool<T>("arp-reply", &T::arpReply));
    s->Add(Str<T>("comment", &T::comment, 255));
    s->Add(Uuid<T>());

    auto* t = ConfigTable("firewall vip",
                          s,
                          &Cfg::Vips,
                          &Cfg::FindVip,
                          &Cfg::AddVip,
                          &Cfg::SetVip,
                          &Cfg::DeleteVip);
    ReferencedAs(t, FortiGateConfig::NameKind::ADDRESS);
    t->renameInPlace = &Cfg::RenameVip; // a copy under the new name would clash with the VIP
    return t;
}

// ---- firewall dnstranslation --------------------------------------------------------------

Table*
MakeDnsTranslation()
{
    using T = DnsTranslationConfig;
    auto* s = Own<SchemaT<T>>();
    s->Add(Ip<T>("src", &T::src));
    s->Add(Ip<T>("dst", &T::dst));
    s->Add(Ip<T>("netmask", &T::netmask));
    return ConfigTable("firewall dnstranslation",
                       s,
                       &Cfg::DnsTranslations,
                       &Cfg::FindDnsTranslation,
                       &Cfg::AddDnsTranslation,
                       &Cfg::SetDnsTranslation,
                       &Cfg::DeleteDnsTranslation);
}

} // namespace fortios
} // namespace ns3
