/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "voip-mode.h"

#include "ns3/fortigate-config.h"

namespace ns3
{

const char*
VoipEngineName(VoipEngine e)
{
    switch (e)
    {
    case VoipEngine::NONE:
        return "none";
    case VoipEngine::KERNEL_HELPER:
        return "kernel-helper";
    case VoipEngine::ALG:
        return "alg";
    case VoipEngine::ALG_IPS:
        return "alg+ips";
    }
    return "none";
}

std::string
ResolveVoipProfileName(const std::string& policyVoipProfile)
{
    return policyVoipProfile.empty() ? std::string("default") : policyVoipProfile;
}

VoipEngine
DecideVoipEngine(const std::string& defaultVoipAlgMode,
                 const std::string& policyVoipProfile,
                 const std::string& policyIpsVoipFilter,
                 const VoipProfileConfig* profile,
                 bool sipHelperEntryCovers,
                 bool algPortCovers)
{
    const VoipEngine helper = sipHelperEntryCovers ? VoipEngine::KERNEL_HELPER : VoipEngine::NONE;
    const bool hasProfile = !policyVoipProfile.empty();
    const bool hasIps = !policyIpsVoipFilter.empty();
    const bool kernelMode = defaultVoipAlgMode == "kernel-helper-based";
    VoipEngine alg;
    if (hasIps)
    {
        alg = VoipEngine::ALG_IPS; // rows 1 and 3, either mode
    }
    else if (hasProfile || !kernelMode)
    {
        alg = VoipEngine::ALG; // row 2 either mode; row 4 proxy-based (profile "default")
    }
    else
    {
        return helper; // row 4, kernel-helper-based
    }
    if (profile && !profile->sipStatus)
    {
        return helper; // `config sip / set status disable`: SIP left to the session helper
    }
    if (!algPortCovers)
    {
        return helper; // the proxy does not listen on this port
    }
    return alg;
}

} // namespace ns3
