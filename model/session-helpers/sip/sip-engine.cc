/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * How SIP plugs into the datapath (architecture §6): the engine selector the datapath consults
 * when it binds a new session (the VoIP-mode decision between the kernel helper and the ALG),
 * the SIP `diagnose` commands, and the accessors of a unit's SIP engines. The datapath knows
 * none of this: it only runs what the session-helper registry holds.
 */
#include "sip-engine.h"

#include "sip-alg.h"
#include "sip-session-helper.h"
#include "voip-mode.h"

#include "ns3/fortigate-config.h"
#include "ns3/fortigate-node.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipEngine");

namespace
{

/// Give the kernel helper the unit's settings (once).
void
AttachSettings(SipSessionHelper& h, const FortiGateConfig& config)
{
    if (!h.HasSettingsSource())
    {
        h.SetSettingsSource([&config]() { return &config.Settings(); });
    }
}

/// Give the ALG the unit's VoIP profiles (once).
void
AttachProfiles(SipAlg& alg, const FortiGateConfig& config)
{
    if (!alg.HasProfileResolver())
    {
        alg.SetProfileResolver(
            [&config](const std::string& name) { return config.FindVoipProfile(name); });
    }
}

/// SIP ports: the VoIP-mode decision picks the kernel helper, the ALG, or nothing.
bool
SelectSipEngine(const FortiGateConfig& config,
                const FirewallPolicy& policy,
                uint8_t proto,
                uint16_t dport,
                HelperBinding& binding)
{
    if (proto != IPPROTO_NUM_UDP && proto != IPPROTO_NUM_TCP)
    {
        return false;
    }
    const SystemSettings& st = config.Settings();
    const SessionHelperEntry* entry = config.FindHelperEntry(proto, dport);
    const bool helperCovers = entry && entry->name == "sip";
    const auto& algPorts = proto == IPPROTO_NUM_TCP ? st.sipTcpPort : st.sipUdpPort;
    const bool algCovers = std::find(algPorts.begin(), algPorts.end(), dport) != algPorts.end();
    if (!helperCovers && !algCovers)
    {
        return false; // not a SIP port: the session-helper table decides as for any protocol
    }
    const std::string profileName = ResolveVoipProfileName(policy.voipProfile);
    const VoipEngine engine = DecideVoipEngine(st.defaultVoipAlgMode,
                                               policy.voipProfile,
                                               policy.ipsVoipFilter,
                                               config.FindVoipProfile(profileName),
                                               helperCovers,
                                               algCovers);
    binding.note = std::string("SIP engine ") + VoipEngineName(engine);
    switch (engine)
    {
    case VoipEngine::KERNEL_HELPER:
        binding.helper = "sip";
        binding.prepare = [&config](SessionHelper& h, Session&) {
            if (auto* sip = dynamic_cast<SipSessionHelper*>(&h))
            {
                AttachSettings(*sip, config);
            }
        };
        break;
    case VoipEngine::ALG:
    case VoipEngine::ALG_IPS: {
        const bool ips = engine == VoipEngine::ALG_IPS;
        binding.helper = "sip-alg";
        binding.prepare = [&config, profileName, ips](SessionHelper& h, Session& s) {
            if (auto* alg = dynamic_cast<SipAlg*>(&h))
            {
                AttachProfiles(*alg, config);
                alg->BindSession(s, profileName, ips);
            }
        };
        break;
    }
    case VoipEngine::NONE:
        break;
    }
    return true;
}

/// The unit's kernel SIP helper (settings attached), or nullptr.
Ptr<SipSessionHelper>
KernelHelper(const HelperDiagnoseUnit& unit)
{
    Ptr<SipSessionHelper> h = DynamicCast<SipSessionHelper>(unit.helper("sip"));
    if (h)
    {
        AttachSettings(*h, *unit.config);
    }
    return h;
}

/// The unit's SIP ALG (profiles attached), or nullptr.
Ptr<SipAlg>
Alg(const HelperDiagnoseUnit& unit)
{
    Ptr<SipAlg> alg = DynamicCast<SipAlg>(unit.helper("sip-alg"));
    if (alg)
    {
        AttachProfiles(*alg, *unit.config);
    }
    return alg;
}

/// The kernel helper's pinholes in the unit's table (its mappings).
std::vector<Expectation>
HelperPinholes(const HelperDiagnoseUnit& unit)
{
    std::vector<Expectation> out;
    for (const auto& e : unit.pinholes->List())
    {
        if (e.helper == "sip")
        {
            out.push_back(e);
        }
    }
    return out;
}

/// `diagnose sys sip mapping list`: no real output was found (doc/troubleshooting.md, "SIP"),
/// so the model's format: one pinhole a line, FortiOS's key=value style.
std::string
MappingListText(const std::vector<Expectation>& pinholes, int64_t nowNs)
{
    static const char* const kClass[] = {"media", "register", "signalling"};
    std::string out = "mappings: " + std::to_string(pinholes.size()) + "\n";
    for (const Expectation& e : pinholes)
    {
        auto addr = [](uint32_t a, uint16_t p) {
            std::ostringstream os;
            os << Ipv4Address(a);
            if (p != 0) // 0: any port, or the port unchanged
            {
                os << ":" << p;
            }
            return os.str();
        };
        char serial[16];
        std::snprintf(serial, sizeof(serial), "%08x", e.parentSerial);
        out += "proto=" + std::to_string(e.proto) + " " + (e.src ? addr(e.src, e.sport) : "any") +
               "->" + addr(e.dst, e.dport) +
               (e.natDst ? "(" + addr(e.natDst, e.natDport) + ")" : std::string()) +
               " class=" + (e.expectClass < 3 ? kClass[e.expectClass] : "other") +
               " session=" + serial + " policy=" + std::to_string(e.policyId) +
               " expire=" + std::to_string((e.expiresNs - nowNs) / 1000000000) + "\n";
    }
    return out;
}

const bool g_sipRegistered = [] {
    SessionHelperRegistry::RegisterSelector("sip", &SelectSipEngine);
    SessionHelperRegistry::RegisterDiagnose({"diagnose", "sys", "sip", "status"},
                                            [](const HelperDiagnoseUnit& unit) {
                                                Ptr<SipSessionHelper> h = KernelHelper(unit);
                                                return h ? h->StatusText(HelperPinholes(unit))
                                                         : std::string();
                                            });
    SessionHelperRegistry::RegisterDiagnose({"diagnose", "sys", "sip", "dialog", "list"},
                                            [](const HelperDiagnoseUnit& unit) {
                                                Ptr<SipSessionHelper> h = KernelHelper(unit);
                                                return h ? h->DialogListText(unit.nowNs)
                                                         : std::string();
                                            });
    SessionHelperRegistry::RegisterDiagnose({"diagnose", "sys", "sip", "mapping", "list"},
                                            [](const HelperDiagnoseUnit& unit) {
                                                return MappingListText(HelperPinholes(unit),
                                                                       unit.nowNs);
                                            });
    SessionHelperRegistry::RegisterDiagnose({"diagnose", "sys", "sip-proxy", "dialog", "list"},
                                            [](const HelperDiagnoseUnit& unit) {
                                                Ptr<SipAlg> alg = Alg(unit);
                                                return alg ? alg->DialogListText(unit.nowNs)
                                                           : std::string();
                                            });
    // `stats clear` before `stats`: the unit runs the first registered command that prefixes
    // what was typed.
    SessionHelperRegistry::RegisterDiagnose({"diagnose", "sys", "sip-proxy", "stats", "clear"},
                                            [](const HelperDiagnoseUnit& unit) {
                                                Ptr<SipAlg> alg =
                                                    DynamicCast<SipAlg>(unit.helper("sip-alg"));
                                                if (alg)
                                                {
                                                    alg->ClearAlgCounters();
                                                }
                                                return std::string();
                                            });
    SessionHelperRegistry::RegisterDiagnose(
        {"diagnose", "sys", "sip-proxy", "stats"},
        [](const HelperDiagnoseUnit& unit) {
            Ptr<SipAlg> alg = Alg(unit);
            if (!alg)
            {
                return std::string();
            }
            uint64_t registers = 0;
            for (const auto& e : unit.pinholes->List())
            {
                registers +=
                    e.helper == "sip-alg" && e.expectClass == SipSessionHelper::CLASS_REGISTER;
            }
            return alg->StatsText(registers);
        });
    SessionHelperRegistry::RegisterDiagnose({"diagnose", "sys", "sip-proxy", "calls", "list"},
                                            [](const HelperDiagnoseUnit& unit) {
                                                Ptr<SipAlg> alg = Alg(unit);
                                                return alg ? alg->CallsText(unit.nowNs)
                                                           : std::string();
                                            });
    return true;
}();

} // namespace

Ptr<SipSessionHelper>
GetSipHelper(Ptr<FortiGateNode> unit)
{
    if (!unit)
    {
        return nullptr;
    }
    Ptr<SipSessionHelper> h = DynamicCast<SipSessionHelper>(unit->GetSessionHelper("sip"));
    if (h)
    {
        AttachSettings(*h, unit->GetConfig());
    }
    return h;
}

Ptr<SipAlg>
GetSipAlg(Ptr<FortiGateNode> unit)
{
    if (!unit)
    {
        return nullptr;
    }
    Ptr<SipAlg> alg = DynamicCast<SipAlg>(unit->GetSessionHelper("sip-alg"));
    if (alg)
    {
        AttachProfiles(*alg, unit->GetConfig());
    }
    return alg;
}

} // namespace ns3
