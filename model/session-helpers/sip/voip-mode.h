/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_VOIP_MODE_H
#define FORTIGATE_VOIP_MODE_H

#include <cstdint>
#include <string>

namespace ns3
{

struct VoipProfileConfig;

/**
 * \ingroup fortigate
 * Which engine processes the SIP traffic of a session (fortios.md §5).
 */
enum class VoipEngine : uint8_t
{
    NONE,          //!< plain traffic: no pinholes, no translation inside SIP/SDP
    KERNEL_HELPER, //!< the `sip` session helper (`helper=sip`)
    ALG,           //!< the SIP ALG (proxy, `state=redir local`)
    ALG_IPS,       //!< the SIP ALG plus IPS SIP (`state=redir local ndr`)
};

/// \return "none", "kernel-helper", "alg" or "alg+ips"
const char* VoipEngineName(VoipEngine e);

/**
 * \ingroup fortigate
 * The VoIP-mode decision: one pure function of the settings, the accepting policy, the
 * resolved VoIP profile and the session-helper table, matching the table of fortios.md §5
 * (from the seed page "SIP ALG and SIP session helper") in every row:
 *
 * | voip-profile | ips-voip-filter | kernel-helper-based | proxy-based              |
 * |--------------|-----------------|---------------------|--------------------------|
 * | yes          | yes             | ALG_IPS             | ALG_IPS                  |
 * | yes          | no              | ALG                 | ALG                      |
 * | no           | yes             | ALG_IPS             | ALG_IPS                  |
 * | no           | no              | KERNEL_HELPER       | ALG (profile "default")  |
 *
 * plus:
 * - a resolved profile whose `config sip / set status disable` leaves SIP to the session
 *   helper: KERNEL_HELPER when a `sip` session-helper entry covers the session's protocol and
 *   port, else NONE (the seed's "SIP session helper configurations", example 2 and 3);
 * - KERNEL_HELPER needs a covering `sip` session-helper entry: with the entry deleted the
 *   result is NONE (plain traffic, the cause of one-way audio behind NAT);
 * - the ALG only sees what reaches its listening ports (`sip-tcp-port` / `sip-udp-port`):
 *   when an ALG result is decided but the session's port is not one of those, the packets
 *   never reach the proxy, and the kernel-helper table decides (KERNEL_HELPER when an entry
 *   covers the port, else NONE). This is a modelling choice for a case FortiOS does not
 *   document (a provider on a non-5060 port is not inspected until a session-helper entry or
 *   `sip-udp-port` covers it, fortios.md §5 field reports).
 *
 * \param defaultVoipAlgMode `config system settings / default-voip-alg-mode`
 *        ("proxy-based" or "kernel-helper-based"; anything else counts as proxy-based, the
 *        FortiOS default)
 * \param policyVoipProfile the policy's `voip-profile` ("" = none)
 * \param policyIpsVoipFilter the policy's `ips-voip-filter` ("" = none)
 * \param profile the VoIP profile the ALG would use, resolved by the caller (see
 *        ResolveVoipProfileName); nullptr when none exists (the ALG then uses FortiOS
 *        defaults, i.e. status enable)
 * \param sipHelperEntryCovers a session-helper entry named `sip` covers the session's
 *        protocol and destination port
 * \param algPortCovers the session's destination port is one of `sip-udp-port` (UDP) or
 *        `sip-tcp-port` (TCP)
 * \return the engine
 */
VoipEngine DecideVoipEngine(const std::string& defaultVoipAlgMode,
                            const std::string& policyVoipProfile,
                            const std::string& policyIpsVoipFilter,
                            const VoipProfileConfig* profile,
                            bool sipHelperEntryCovers,
                            bool algPortCovers = true);

/**
 * \ingroup fortigate
 * The name of the VoIP profile the SIP ALG applies on a policy: its `voip-profile`, else
 * "default" (proxy-based without a profile, or an `ips-voip-filter` alone: the ALG runs with
 * the default profile).
 */
std::string ResolveVoipProfileName(const std::string& policyVoipProfile);

} // namespace ns3

#endif // FORTIGATE_VOIP_MODE_H
