/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The VoIP-mode decision (fortios.md §5): every row of the mode table, a profile with SIP
 * disabled, the session-helper entry deleted, and the ALG's listening ports.
 */
#include "ns3/fortigate-config.h"
#include "ns3/voip-mode.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

const std::string kProxy = "proxy-based";
const std::string kKernel = "kernel-helper-based";

VoipProfileConfig
Profile(const std::string& name, bool sipStatus)
{
    VoipProfileConfig p;
    p.name = name;
    p.sipStatus = sipStatus;
    return p;
}

/// Decide for a policy against a whole configuration, as the datapath does (UDP 5060).
VoipEngine
DecideFor(const FortiGateConfig& cfg,
          const FirewallPolicy& pol,
          uint8_t proto = 17,
          uint16_t dport = 5060)
{
    const SessionHelperEntry* e = cfg.FindHelperEntry(proto, dport);
    bool covers = e && e->name == "sip";
    const auto& ports = proto == 6 ? cfg.Settings().sipTcpPort : cfg.Settings().sipUdpPort;
    bool alg = std::find(ports.begin(), ports.end(), dport) != ports.end();
    return DecideVoipEngine(cfg.Settings().defaultVoipAlgMode,
                            pol.voipProfile,
                            pol.ipsVoipFilter,
                            cfg.FindVoipProfile(ResolveVoipProfileName(pol.voipProfile)),
                            covers,
                            alg);
}

} // namespace

// ---- the table of fortios.md §5, row by row, both modes ------------------------------------

TEST(VoipModeDecision, Row1ProfileAndIpsFilterGiveAlgPlusIpsInBothModes)
{
    VoipProfileConfig p = Profile("sip-alg-profile", true);
    EXPECT_EQ(DecideVoipEngine(kKernel, "sip-alg-profile", "ips-prof", &p, true),
              VoipEngine::ALG_IPS);
    EXPECT_EQ(DecideVoipEngine(kProxy, "sip-alg-profile", "ips-prof", &p, true),
              VoipEngine::ALG_IPS);
    // The helper table does not matter to the ALG.
    EXPECT_EQ(DecideVoipEngine(kKernel, "sip-alg-profile", "ips-prof", &p, false),
              VoipEngine::ALG_IPS);
}

TEST(VoipModeDecision, Row2ProfileAloneGivesAlgInBothModes)
{
    VoipProfileConfig p = Profile("sip-alg-profile", true);
    EXPECT_EQ(DecideVoipEngine(kKernel, "sip-alg-profile", "", &p, true), VoipEngine::ALG);
    EXPECT_EQ(DecideVoipEngine(kProxy, "sip-alg-profile", "", &p, true), VoipEngine::ALG);
    EXPECT_EQ(DecideVoipEngine(kProxy, "sip-alg-profile", "", &p, false), VoipEngine::ALG);
}

TEST(VoipModeDecision, Row3IpsFilterAloneGivesAlgPlusIpsInBothModes)
{
    VoipProfileConfig dflt = Profile("default", true);
    EXPECT_EQ(DecideVoipEngine(kKernel, "", "ips-prof", &dflt, true), VoipEngine::ALG_IPS);
    EXPECT_EQ(DecideVoipEngine(kProxy, "", "ips-prof", &dflt, true), VoipEngine::ALG_IPS);
}

TEST(VoipModeDecision, Row4NeitherGivesHelperInKernelModeAndDefaultProfileAlgInProxyMode)
{
    VoipProfileConfig dflt = Profile("default", true);
    EXPECT_EQ(DecideVoipEngine(kKernel, "", "", &dflt, true), VoipEngine::KERNEL_HELPER);
    EXPECT_EQ(DecideVoipEngine(kProxy, "", "", &dflt, true), VoipEngine::ALG);
    EXPECT_EQ(ResolveVoipProfileName(""), "default");
    EXPECT_EQ(ResolveVoipProfileName("p1"), "p1");
    // Unknown mode text counts as the FortiOS default (proxy-based).
    EXPECT_EQ(DecideVoipEngine("", "", "", &dflt, true), VoipEngine::ALG);
}

// ---- beyond the table ------------------------------------------------------------------------

TEST(VoipModeDecision, ProfileWithSipDisabledLeavesSipToTheSessionHelper)
{
    VoipProfileConfig off = Profile("sip-disabled-profile", false);
    for (const auto& mode : {kKernel, kProxy})
    {
        EXPECT_EQ(DecideVoipEngine(mode, "sip-disabled-profile", "", &off, true),
                  VoipEngine::KERNEL_HELPER)
            << mode;
        // ... and with the helper entry deleted as well, SIP passes as plain traffic.
        EXPECT_EQ(DecideVoipEngine(mode, "sip-disabled-profile", "", &off, false), VoipEngine::NONE)
            << mode;
    }
    // The "default" profile with SIP disabled, proxy-based, no profile on the policy.
    VoipProfileConfig dfltOff = Profile("default", false);
    EXPECT_EQ(DecideVoipEngine(kProxy, "", "", &dfltOff, true), VoipEngine::KERNEL_HELPER);
    EXPECT_EQ(DecideVoipEngine(kProxy, "", "", &dfltOff, false), VoipEngine::NONE);
}

TEST(VoipModeDecision, KernelModeWithTheHelperEntryDeletedIsPlainTraffic)
{
    EXPECT_EQ(DecideVoipEngine(kKernel, "", "", nullptr, false), VoipEngine::NONE);
}

TEST(VoipModeDecision, AlgOnlySeesItsListeningPorts)
{
    VoipProfileConfig p = Profile("p", true);
    // A port the ALG does not listen on: the session-helper table decides.
    EXPECT_EQ(DecideVoipEngine(kProxy, "p", "", &p, true, false), VoipEngine::KERNEL_HELPER);
    EXPECT_EQ(DecideVoipEngine(kProxy, "p", "", &p, false, false), VoipEngine::NONE);
    // A missing profile object: the ALG runs with FortiOS defaults (status enable).
    EXPECT_EQ(DecideVoipEngine(kProxy, "", "", nullptr, false, true), VoipEngine::ALG);
    EXPECT_STREQ(VoipEngineName(VoipEngine::ALG_IPS), "alg+ips");
    EXPECT_STREQ(VoipEngineName(VoipEngine::KERNEL_HELPER), "kernel-helper");
}

TEST(VoipModeDecision, WholeConfigurationSeedExamples)
{
    FortiGateConfig cfg;
    FirewallPolicy pol;
    pol.voipProfile = "";
    // Defaults: proxy-based, profile "default" exists with SIP enabled -> ALG.
    ASSERT_NE(cfg.FindVoipProfile("default"), nullptr);
    EXPECT_EQ(DecideFor(cfg, pol), VoipEngine::ALG);
    // Session helper example 1: kernel-helper-based, no profile, entry 13 (sip 17/5060).
    SystemSettings st = cfg.Settings();
    st.defaultVoipAlgMode = kKernel;
    cfg.SetSettings(st);
    EXPECT_EQ(DecideFor(cfg, pol), VoipEngine::KERNEL_HELPER);
    // TCP 5060 has no default sip entry: plain traffic in kernel mode.
    EXPECT_EQ(DecideFor(cfg, pol, 6, 5060), VoipEngine::NONE);
    // Example 3: entry 13 deleted -> plain traffic.
    cfg.DeleteSessionHelper(13);
    EXPECT_EQ(DecideFor(cfg, pol), VoipEngine::NONE);
    // Provider on 5065: covered once a sip entry names it.
    SessionHelperEntry e;
    e.name = "sip";
    e.protocol = 17;
    e.port = 5065;
    cfg.AddSessionHelper(e);
    EXPECT_EQ(DecideFor(cfg, pol, 17, 5065), VoipEngine::KERNEL_HELPER);
    // A profile with SIP disabled on the policy, proxy-based.
    st.defaultVoipAlgMode = kProxy;
    cfg.SetSettings(st);
    cfg.AddVoipProfile(Profile("sip-disabled-profile", false));
    pol.voipProfile = "sip-disabled-profile";
    EXPECT_EQ(DecideFor(cfg, pol, 17, 5065), VoipEngine::KERNEL_HELPER);
    EXPECT_EQ(DecideFor(cfg, pol, 17, 5060), VoipEngine::NONE);
    // Proxy-based, 5065 not an ALG port and no profile: the ALG never sees it.
    pol.voipProfile = "";
    EXPECT_EQ(DecideFor(cfg, pol, 17, 5065), VoipEngine::KERNEL_HELPER);
    // ... until sip-udp-port covers it.
    st.sipUdpPort = {5060, 5065};
    cfg.SetSettings(st);
    EXPECT_EQ(DecideFor(cfg, pol, 17, 5065), VoipEngine::ALG);
}
