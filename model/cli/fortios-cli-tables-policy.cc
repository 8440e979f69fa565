/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// FortiOS CLI tables, family "policies": `config firewall policy`.

#include "fortios-cli-fields.h"

namespace ns3
{
namespace fortios
{

// ---- firewall policy ----------------------------------------------------------------------

Table*
MakePolicy()
{
    using T = FirewallPolicy;
    auto* s = Own<SchemaT<T>>();
    s->Add(Str<T>("name", &T::name, 35));
    s->Add(RefList<T>("srcintf", &T::srcintf, IsInterfaceOrAny));
    s->Add(RefList<T>("dstintf", &T::dstintf, IsInterfaceOrAny));
    s->Add(OptionMap<T, T::Action>("action", &T::action, {"accept", "deny"}, {T::ACCEPT, T::DENY}));
    s->Add(RefList<T>("srcaddr", &T::srcaddr, IsAddress));
    s->Add(RefList<T>("dstaddr", &T::dstaddr, IsDstAddress));
    s->Add(Bool<T>("status", &T::status));
    s->Add(Always<T>(Ref<T>("schedule", &T::schedule, IsSchedule, false)));
    s->Add(RefList<T>("service", &T::service, IsService));
    s->Add(Bool<T>("utm-status", &T::utmStatus));
    s->Add(Ref<T>("voip-profile", &T::voipProfile, IsVoipProfile, true));
    s->Add(Ref<T>("ips-voip-filter", &T::ipsVoipFilter, IsVoipProfile, true));
    s->Add(Option<T>("logtraffic", &T::logtraffic, {"all", "utm", "disable"}));
    s->Add(Bool<T>("logtraffic-start", &T::logtrafficStart));
    s->Add(Bool<T>("ippool", &T::ippool));
    s->Add(RefList<T>("poolname", &T::poolname, IsPool));
    s->Add(Bool<T>("nat", &T::nat));
    s->Add(Str<T>("comments", &T::comments, 1023));
    s->Add(Uuid<T>());

    auto* t = ConfigTable("firewall policy",
                          s,
                          &Cfg::Policies,
                          &Cfg::FindPolicy,
                          &Cfg::AddPolicy,
                          &Cfg::SetPolicy,
                          &Cfg::DeletePolicy);
    t->move = [](FortiGateConfig& c, const std::string& k, bool before, const std::string& o) {
        c.MovePolicy(Id(k), before ? FortiGateConfig::BEFORE : FortiGateConfig::AFTER, Id(o));
    };
    // A renamed policy keeps its list position.
    auto* table = t;
    t->renameRefs = [table](FortiGateConfig& c, const std::string& from, const std::string& to) {
        (void)table;
        c.MovePolicy(Id(to), FortiGateConfig::AFTER, Id(from));
    };
    return t;
}

} // namespace fortios
} // namespace ns3
