/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "voip-profile-config.h"

#include "config-error.h"
#include "config-util.h"
#include "fortigate-config.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateConfigVoip");

using namespace config;

const std::vector<std::string>&
VoipSipMethodNames()
{
    static const std::vector<std::string> names{"ack",
                                                "bye",
                                                "cancel",
                                                "info",
                                                "invite",
                                                "message",
                                                "notify",
                                                "options",
                                                "prack",
                                                "publish",
                                                "refer",
                                                "register",
                                                "subscribe",
                                                "update"};
    return names;
}

const std::vector<std::string>&
VoipSipHeaderNames()
{
    static const std::vector<std::string> names{"via",
                                                "from",
                                                "to",
                                                "call-id",
                                                "cseq",
                                                "rack",
                                                "rseq",
                                                "contact",
                                                "record-route",
                                                "route",
                                                "expires",
                                                "content-type",
                                                "content-length",
                                                "max-forwards",
                                                "allow",
                                                "p-asserted-identity",
                                                "no-require",
                                                "no-proxy-require",
                                                "sdp-v",
                                                "sdp-o",
                                                "sdp-s",
                                                "sdp-i",
                                                "sdp-c",
                                                "sdp-b",
                                                "sdp-z",
                                                "sdp-k",
                                                "sdp-a",
                                                "sdp-t",
                                                "sdp-r",
                                                "sdp-m"};
    return names;
}

const char*
VoipSipActionName(VoipSipAction a)
{
    switch (a)
    {
    case VOIP_ACTION_DISCARD:
        return "discard";
    case VOIP_ACTION_PASS:
        return "pass";
    case VOIP_ACTION_RESPOND:
        return "respond";
    }
    return "pass";
}

const char*
VoipSipRateTrackName(VoipSipRateTrack t)
{
    switch (t)
    {
    case VOIP_RATE_TRACK_NONE:
        return "none";
    case VOIP_RATE_TRACK_SRC_IP:
        return "src-ip";
    case VOIP_RATE_TRACK_DEST_IP:
        return "dest-ip";
    }
    return "none";
}

bool
VoipSipOptions::operator==(const VoipSipOptions& o) const
{
    return rtp == o.rtp && openRegisterPinhole == o.openRegisterPinhole &&
           openContactPinhole == o.openContactPinhole &&
           openRecordRoutePinhole == o.openRecordRoutePinhole &&
           strictRegister == o.strictRegister && natTrace == o.natTrace &&
           logCallSummary == o.logCallSummary && contactFixup == o.contactFixup &&
           blockLongLines == o.blockLongLines && blockUnknown == o.blockUnknown &&
           openViaPinhole == o.openViaPinhole && logViolations == o.logViolations &&
           registerContactTrace == o.registerContactTrace && rfc2543Branch == o.rfc2543Branch &&
           preserveOverride == o.preserveOverride && noSdpFixup == o.noSdpFixup &&
           hostedNatTraversal == o.hostedNatTraversal &&
           hntRestrictSourceIp == o.hntRestrictSourceIp && natPortLow == o.natPortLow &&
           natPortHigh == o.natPortHigh && maxLineLength == o.maxLineLength &&
           maxDialogs == o.maxDialogs && maxIdleDialogs == o.maxIdleDialogs &&
           maxBodyLength == o.maxBodyLength && callKeepalive == o.callKeepalive &&
           provisionalInviteExpiryTime == o.provisionalInviteExpiryTime &&
           unknownHeader == o.unknownHeader && malformedRequestLine == o.malformedRequestLine &&
           malformedHeader == o.malformedHeader && method == o.method;
}

void
ValidateVoipSipOptions(const VoipSipOptions& sip, const std::string& owner)
{
    const std::string obj = owner + ": sip: ";
    auto range = [&](const std::string& field, uint64_t v, uint64_t lo, uint64_t hi) {
        if (v < lo || v > hi)
        {
            throw ConfigError(obj + field + ": " + std::to_string(v) + " is out of range (" +
                              std::to_string(lo) + ".." + std::to_string(hi) + ")");
        }
    };
    range("nat-port-range", sip.natPortLow, 5117, 65533);
    range("nat-port-range", sip.natPortHigh, 5117, 65533);
    if (sip.natPortHigh < sip.natPortLow)
    {
        throw ConfigError(obj + "nat-port-range: " + std::to_string(sip.natPortHigh) +
                          " is below " + std::to_string(sip.natPortLow));
    }
    range("max-line-length", sip.maxLineLength, 78, 4096);
    range("max-dialogs", sip.maxDialogs, 0, 4294967295u);
    range("max-idle-dialogs", sip.maxIdleDialogs, 0, 4294967295u);
    range("max-body-length", sip.maxBodyLength, 0, 4294967295u);
    range("call-keepalive", sip.callKeepalive, 0, 10080);
    range("provisional-invite-expiry-time", sip.provisionalInviteExpiryTime, 10, 3600);
    for (size_t i = 0; i < sip.malformedHeader.size(); ++i)
    {
        if (sip.malformedHeader[i] > VOIP_ACTION_RESPOND)
        {
            throw ConfigError(obj + "malformed-header-" + VoipSipHeaderNames()[i] +
                              ": invalid value");
        }
    }
    for (size_t i = 0; i < sip.method.size(); ++i)
    {
        if (sip.method[i].rateTrack > VOIP_RATE_TRACK_DEST_IP)
        {
            throw ConfigError(obj + VoipSipMethodNames()[i] + "-rate-track: invalid value");
        }
    }
}

// ---- VoipProfileConfig and `config voip profile` in FortiGateConfig ----------------------------

bool
VoipProfileConfig::operator==(const VoipProfileConfig& o) const
{
    return name == o.name && sipStatus == o.sipStatus && featureSet == o.featureSet &&
           comment == o.comment && sip == o.sip;
}

void
FortiGateConfig::CheckVoipProfile(const VoipProfileConfig& p) const
{
    CheckName(VoipLabel(p.name), p.name);
    if (p.featureSet != "voipd" && p.featureSet != "ips")
    {
        Fail(VoipLabel(p.name) + ": feature-set: invalid value '" + p.featureSet + "' (voipd|ips)");
    }
    ValidateVoipSipOptions(p.sip, VoipLabel(p.name));
}

void
FortiGateConfig::AddVoipProfile(const VoipProfileConfig& profile)
{
    NS_LOG_FUNCTION(this);
    CheckVoipProfile(profile);
    if (FindVoipProfile(profile.name))
    {
        Fail(VoipLabel(profile.name) + ": name: already exists");
    }
    m_voipProfiles.emplace(profile.name, profile);
    Changed();
}

void
FortiGateConfig::SetVoipProfile(const VoipProfileConfig& profile)
{
    NS_LOG_FUNCTION(this);
    auto it = m_voipProfiles.find(profile.name);
    if (it == m_voipProfiles.end())
    {
        Fail(VoipLabel(profile.name) + " does not exist");
    }
    CheckVoipProfile(profile);
    it->second = profile;
    Changed();
}

void
FortiGateConfig::DeleteVoipProfile(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    auto it = m_voipProfiles.find(name);
    if (it == m_voipProfiles.end())
    {
        Fail(VoipLabel(name) + " does not exist");
    }
    if (name == "default")
    {
        Fail(VoipLabel(name) + ": predefined profile cannot be deleted");
    }
    FailIfUsed(NameKind::VOIP_PROFILE, name, VoipLabel(name));
    m_voipProfiles.erase(it);
    Changed();
}

const VoipProfileConfig*
FortiGateConfig::FindVoipProfile(const std::string& name) const
{
    auto it = m_voipProfiles.find(name);
    return it == m_voipProfiles.end() ? nullptr : &it->second;
}

} // namespace ns3
