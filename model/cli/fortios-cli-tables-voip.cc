/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// FortiOS CLI tables, family "VoIP profiles": `config voip profile` (+ `config sip`).

#include "fortios-cli-fields.h"

namespace ns3
{
namespace fortios
{

// ---- voip profile (+ config sip) --------------------------------------------------------------

Table*
MakeVoipProfile()
{
    using T = VoipProfileConfig;
    using S = VoipSipOptions;
    // Field on the nested VoipSipOptions member.
    auto sipBool = [](const std::string& name, bool S::*m) {
        Field<T> f;
        f.info.name = name;
        f.info.options = {"enable", "disable"};
        f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
            o.sip.*m = ParseOption(name, v, 0, {"enable", "disable"}) == "enable";
        };
        f.get = [=](const T& o) { return Values{o.sip.*m ? "enable" : "disable"}; };
        f.reset = [=](T& o, const T& d) { o.sip.*m = d.sip.*m; };
        return f;
    };
    auto sipUInt = [](const std::string& name, uint32_t S::*m, uint64_t lo, uint64_t hi) {
        Field<T> f;
        f.info.name = name;
        f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
            o.sip.*m = static_cast<uint32_t>(ParseRange(name, v, 0, lo, hi));
        };
        f.get = [=](const T& o) { return Values{std::to_string(o.sip.*m)}; };
        f.reset = [=](T& o, const T& d) { o.sip.*m = d.sip.*m; };
        return f;
    };
    const Values actions{"discard", "pass", "respond"};
    auto sipAction = [actions](const std::string& name, std::function<VoipSipAction&(T&)> ref) {
        Field<T> f;
        f.info.name = name;
        f.info.options = actions;
        f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
            const std::string w = ParseOption(name, v, 0, actions);
            ref(o) = static_cast<VoipSipAction>(std::find(actions.begin(), actions.end(), w) -
                                                actions.begin());
        };
        f.get = [=](const T& o) { return Values{VoipSipActionName(ref(const_cast<T&>(o)))}; };
        f.reset = [=](T& o, const T& d) { ref(o) = ref(const_cast<T&>(d)); };
        return f;
    };

    auto* sip = Own<SchemaT<T>>();
    sip->Add(Bool<T>("status", &T::sipStatus));
    sip->Add(sipBool("rtp", &S::rtp));
    sip->Add(sipBool("open-register-pinhole", &S::openRegisterPinhole));
    sip->Add(sipBool("open-contact-pinhole", &S::openContactPinhole));
    sip->Add(sipBool("open-via-pinhole", &S::openViaPinhole));
    sip->Add(sipBool("open-record-route-pinhole", &S::openRecordRoutePinhole));
    sip->Add(sipBool("strict-register", &S::strictRegister));
    sip->Add(sipBool("register-contact-trace", &S::registerContactTrace));
    sip->Add(sipBool("rfc2543-branch", &S::rfc2543Branch));
    sip->Add(sipBool("log-violations", &S::logViolations));
    sip->Add(sipBool("log-call-summary", &S::logCallSummary));
    sip->Add(sipBool("nat-trace", &S::natTrace));
    sip->Add(sipBool("contact-fixup", &S::contactFixup));
    sip->Add(sipBool("no-sdp-fixup", &S::noSdpFixup));
    sip->Add(sipBool("preserve-override", &S::preserveOverride));
    sip->Add(sipBool("hosted-nat-traversal", &S::hostedNatTraversal));
    sip->Add(sipBool("hnt-restrict-source-ip", &S::hntRestrictSourceIp));
    Field<T> natPorts;
    natPorts.info.name = "nat-port-range";
    natPorts.set = [](T& o, const Values& v, const FortiGateConfig&) {
        uint16_t lo = 0;
        uint16_t hi = 0;
        ParsePortPair("nat-port-range", v, 0, lo, hi);
        if (v[0].find('-') == std::string::npos)
        {
            Bad(0, "nat-port-range: '" + v[0] + "' is not a port range <low>-<high>");
        }
        if (lo < 5117 || hi > 65533)
        {
            Bad(0, "nat-port-range: '" + v[0] + "' is out of range (5117-65533)");
        }
        o.sip.natPortLow = lo;
        o.sip.natPortHigh = hi;
    };
    natPorts.get = [](const T& o) {
        return Values{std::to_string(o.sip.natPortLow) + "-" + std::to_string(o.sip.natPortHigh)};
    };
    natPorts.reset = [](T& o, const T& d) {
        o.sip.natPortLow = d.sip.natPortLow;
        o.sip.natPortHigh = d.sip.natPortHigh;
    };
    sip->Add(natPorts);
    sip->Add(sipUInt("max-line-length", &S::maxLineLength, 78, 4096));
    sip->Add(sipBool("block-long-lines", &S::blockLongLines));
    sip->Add(sipBool("block-unknown", &S::blockUnknown));
    sip->Add(sipUInt("max-dialogs", &S::maxDialogs, 0, 4294967295u));
    sip->Add(sipUInt("max-idle-dialogs", &S::maxIdleDialogs, 0, 4294967295u));
    sip->Add(sipUInt("max-body-length", &S::maxBodyLength, 0, 4294967295u));
    sip->Add(sipUInt("call-keepalive", &S::callKeepalive, 0, 10080));
    sip->Add(sipUInt("provisional-invite-expiry-time", &S::provisionalInviteExpiryTime, 10, 3600));
    const Values tracks{"none", "src-ip", "dest-ip"};
    for (size_t i = 0; i < VOIP_METHOD_COUNT; ++i)
    {
        const std::string m = VoipSipMethodNames()[i];
        Field<T> block;
        block.info.name = "block-" + m;
        block.info.options = {"enable", "disable"};
        block.set = [i, m](T& o, const Values& v, const FortiGateConfig&) {
            o.sip.method[i].block =
                ParseOption("block-" + m, v, 0, {"enable", "disable"}) == "enable";
        };
        block.get = [i](const T& o) {
            return Values{o.sip.method[i].block ? "enable" : "disable"};
        };
        block.reset = [i](T& o, const T& d) { o.sip.method[i].block = d.sip.method[i].block; };
        sip->Add(block);
    }
    for (size_t i = 0; i < VOIP_METHOD_COUNT; ++i)
    {
        const std::string m = VoipSipMethodNames()[i];
        Field<T> rate;
        rate.info.name = m + "-rate";
        rate.set = [i, m](T& o, const Values& v, const FortiGateConfig&) {
            o.sip.method[i].rate =
                static_cast<uint32_t>(ParseRange(m + "-rate", v, 0, 0, 4294967295u));
        };
        rate.get = [i](const T& o) { return Values{std::to_string(o.sip.method[i].rate)}; };
        rate.reset = [i](T& o, const T& d) { o.sip.method[i].rate = d.sip.method[i].rate; };
        sip->Add(rate);
        Field<T> track;
        track.info.name = m + "-rate-track";
        track.info.options = tracks;
        track.set = [i, m, tracks](T& o, const Values& v, const FortiGateConfig&) {
            const std::string w = ParseOption(m + "-rate-track", v, 0, tracks);
            o.sip.method[i].rateTrack = static_cast<VoipSipRateTrack>(
                std::find(tracks.begin(), tracks.end(), w) - tracks.begin());
        };
        track.get = [i](const T& o) {
            return Values{VoipSipRateTrackName(o.sip.method[i].rateTrack)};
        };
        track.reset = [i](T& o, const T& d) {
            o.sip.method[i].rateTrack = d.sip.method[i].rateTrack;
        };
        sip->Add(track);
    }
    sip->Add(
        sipAction("unknown-header", [](T& o) -> VoipSipAction& { return o.sip.unknownHeader; }));
    sip->Add(sipAction("malformed-request-line",
                       [](T& o) -> VoipSipAction& { return o.sip.malformedRequestLine; }));
    for (size_t i = 0; i < VOIP_HDR_COUNT; ++i)
    {
        sip->Add(sipAction("malformed-header-" + VoipSipHeaderNames()[i],
                           [i](T& o) -> VoipSipAction& { return o.sip.malformedHeader[i]; }));
    }

    auto* s = Own<SchemaT<T>>();
    s->Add(Option<T>("feature-set", &T::featureSet, {"voipd", "ips"}));
    s->Add(Str<T>("comment", &T::comment, 255));
    s->AddSub({"sip", sip, nullptr});

    auto* t = ConfigTable("voip profile",
                          s,
                          &Cfg::VoipProfiles,
                          &Cfg::FindVoipProfile,
                          &Cfg::AddVoipProfile,
                          &Cfg::SetVoipProfile,
                          &Cfg::DeleteVoipProfile);
    ReferencedAs(t, FortiGateConfig::NameKind::VOIP_PROFILE);
    return t;
}

} // namespace fortios
} // namespace ns3
