/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_VOIP_PROFILE_CONFIG_H
#define FORTIGATE_VOIP_PROFILE_CONFIG_H

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3 {

/**
 * \ingroup fortigate
 * The SIP request methods a VoIP profile can block or rate-limit (`block-<method>`,
 * `<method>-rate`, `<method>-rate-track`), in FortiOS's order.
 */
enum SipMethod : uint8_t
{
    SIP_METHOD_ACK = 0,
    SIP_METHOD_BYE,
    SIP_METHOD_CANCEL,
    SIP_METHOD_INFO,
    SIP_METHOD_INVITE,
    SIP_METHOD_MESSAGE,
    SIP_METHOD_NOTIFY,
    SIP_METHOD_OPTIONS,
    SIP_METHOD_PRACK,
    SIP_METHOD_PUBLISH,
    SIP_METHOD_REFER,
    SIP_METHOD_REGISTER,
    SIP_METHOD_SUBSCRIBE,
    SIP_METHOD_UPDATE,
    SIP_METHOD_COUNT
};

/// \return the lower-case FortiOS names of the SipMethod values ("ack" .. "update"), by value.
const std::vector<std::string>& SipMethodNames();

/**
 * The SIP headers (and SDP lines) a VoIP profile checks for malformation
 * (`malformed-header-<name>`), in FortiOS's order.
 */
enum SipMalformedHeader : uint8_t
{
    SIP_HDR_VIA = 0,
    SIP_HDR_FROM,
    SIP_HDR_TO,
    SIP_HDR_CALL_ID,
    SIP_HDR_CSEQ,
    SIP_HDR_RACK,
    SIP_HDR_RSEQ,
    SIP_HDR_CONTACT,
    SIP_HDR_RECORD_ROUTE,
    SIP_HDR_ROUTE,
    SIP_HDR_EXPIRES,
    SIP_HDR_CONTENT_TYPE,
    SIP_HDR_CONTENT_LENGTH,
    SIP_HDR_MAX_FORWARDS,
    SIP_HDR_ALLOW,
    SIP_HDR_P_ASSERTED_IDENTITY,
    SIP_HDR_NO_REQUIRE,
    SIP_HDR_NO_PROXY_REQUIRE,
    SIP_HDR_SDP_V,
    SIP_HDR_SDP_O,
    SIP_HDR_SDP_S,
    SIP_HDR_SDP_I,
    SIP_HDR_SDP_C,
    SIP_HDR_SDP_B,
    SIP_HDR_SDP_Z,
    SIP_HDR_SDP_K,
    SIP_HDR_SDP_A,
    SIP_HDR_SDP_T,
    SIP_HDR_SDP_R,
    SIP_HDR_SDP_M,
    SIP_HDR_COUNT
};

/// \return the FortiOS suffixes of `malformed-header-<name>` ("via" .. "sdp-m"), by value.
const std::vector<std::string>& SipMalformedHeaderNames();

/// What the SIP ALG does with a malformed line (`discard|pass|respond`).
enum SipMalformedAction : uint8_t
{
    SIP_ACTION_DISCARD = 0, //!< drop the message
    SIP_ACTION_PASS = 1,    //!< forward it unchanged (FortiOS default)
    SIP_ACTION_RESPOND = 2, //!< answer the sender with a SIP error response
};

/// \return "discard", "pass" or "respond".
const char* SipMalformedActionName(SipMalformedAction a);

/// What a `<method>-rate` limit counts per (`none|src-ip|dest-ip`).
enum SipRateTrack : uint8_t
{
    SIP_RATE_TRACK_NONE = 0,    //!< one counter per policy (default)
    SIP_RATE_TRACK_SRC_IP = 1,  //!< one counter per source address
    SIP_RATE_TRACK_DEST_IP = 2, //!< one counter per destination address
};

/// \return "none", "src-ip" or "dest-ip".
const char* SipRateTrackName(SipRateTrack t);

/**
 * \ingroup fortigate
 * Per-method SIP settings of a VoIP profile.
 */
struct SipMethodOptions
{
    bool block{false};                           //!< `block-<method>` (default disable)
    uint32_t rate{0};                            //!< `<method>-rate` messages/s (0 = unlimited)
    SipRateTrack rateTrack{SIP_RATE_TRACK_NONE}; //!< `<method>-rate-track`

    bool operator==(const SipMethodOptions& o) const
    {
        return block == o.block && rate == o.rate && rateTrack == o.rateTrack;
    }

    bool operator!=(const SipMethodOptions& o) const
    {
        return !(*this == o);
    }
};

/**
 * \ingroup fortigate
 * The `config sip` block of a `config voip profile` entry: every field of fortios.md §5 with
 * FortiOS's default. (`set status` is VoipProfileConfig::sipStatus.) Pure value type; the SIP
 * ALG reads it, the CLI stores and shows it.
 */
struct VoipSipOptions
{
    // enabled by default
    bool rtp{true};                    //!< `rtp`
    bool openRegisterPinhole{true};    //!< `open-register-pinhole`
    bool openContactPinhole{true};     //!< `open-contact-pinhole`
    bool openRecordRoutePinhole{true}; //!< `open-record-route-pinhole`
    bool strictRegister{true};         //!< `strict-register`
    bool natTrace{true};               //!< `nat-trace`
    bool logCallSummary{true};         //!< `log-call-summary`
    bool contactFixup{true};           //!< `contact-fixup`
    bool blockLongLines{true};         //!< `block-long-lines`
    bool blockUnknown{true};           //!< `block-unknown`
    // disabled by default
    bool openViaPinhole{false};       //!< `open-via-pinhole`
    bool logViolations{false};        //!< `log-violations`
    bool registerContactTrace{false}; //!< `register-contact-trace`
    bool rfc2543Branch{false};        //!< `rfc2543-branch`
    bool preserveOverride{false};     //!< `preserve-override`
    bool noSdpFixup{false};           //!< `no-sdp-fixup`
    bool hostedNatTraversal{false};   //!< `hosted-nat-traversal`
    bool hntRestrictSourceIp{false};  //!< `hnt-restrict-source-ip`
    // numbers
    uint16_t natPortLow{5117};                 //!< `nat-port-range <low>-<high>`
    uint16_t natPortHigh{65533};               //!< `nat-port-range <low>-<high>`
    uint32_t maxLineLength{998};               //!< `max-line-length` (78..4096)
    uint32_t maxDialogs{0};                    //!< `max-dialogs` (0 = unlimited)
    uint32_t maxIdleDialogs{0};                //!< `max-idle-dialogs` (0 = unlimited)
    uint32_t maxBodyLength{0};                 //!< `max-body-length` (0 = unlimited)
    uint32_t callKeepalive{0};                 //!< `call-keepalive` minutes (0 = off)
    uint32_t provisionalInviteExpiryTime{210}; //!< `provisional-invite-expiry-time` (10..3600)
    // malformed-message actions
    SipMalformedAction unknownHeader{SIP_ACTION_PASS};        //!< `unknown-header`
    SipMalformedAction malformedRequestLine{SIP_ACTION_PASS}; //!< `malformed-request-line`
    /// `malformed-header-<name>`, indexed by SipMalformedHeader
    std::array<SipMalformedAction, SIP_HDR_COUNT> malformedHeader;
    /// `block-<method>`, `<method>-rate`, `<method>-rate-track`, indexed by SipMethod
    std::array<SipMethodOptions, SIP_METHOD_COUNT> method;

    VoipSipOptions()
    {
        malformedHeader.fill(SIP_ACTION_PASS);
        method.fill(SipMethodOptions());
    }

    bool operator==(const VoipSipOptions& o) const;

    bool operator!=(const VoipSipOptions& o) const
    {
        return !(*this == o);
    }
};

/**
 * Check the ranges of a `config sip` block.
 * \param owner prefix for the message, e.g. `voip profile "p1"`
 * \throws ConfigError e.g. `voip profile "p1": sip: max-line-length: 10 is out of range (78..4096)`
 */
void ValidateVoipSipOptions(const VoipSipOptions& sip, const std::string& owner);

} // namespace ns3

#endif // FORTIGATE_VOIP_PROFILE_CONFIG_H
