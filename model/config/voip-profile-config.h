/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_VOIP_PROFILE_CONFIG_H
#define FORTIGATE_VOIP_PROFILE_CONFIG_H

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * The SIP request methods a VoIP profile can block or rate-limit (`block-<method>`,
 * `<method>-rate`, `<method>-rate-track`), in FortiOS's order.
 */
enum VoipSipMethod : uint8_t
{
    VOIP_METHOD_ACK = 0,
    VOIP_METHOD_BYE,
    VOIP_METHOD_CANCEL,
    VOIP_METHOD_INFO,
    VOIP_METHOD_INVITE,
    VOIP_METHOD_MESSAGE,
    VOIP_METHOD_NOTIFY,
    VOIP_METHOD_OPTIONS,
    VOIP_METHOD_PRACK,
    VOIP_METHOD_PUBLISH,
    VOIP_METHOD_REFER,
    VOIP_METHOD_REGISTER,
    VOIP_METHOD_SUBSCRIBE,
    VOIP_METHOD_UPDATE,
    VOIP_METHOD_COUNT
};

/// \return the lower-case FortiOS names of the VoipSipMethod values ("ack" .. "update"), by value.
const std::vector<std::string>& VoipSipMethodNames();

/**
 * The SIP headers (and SDP lines) a VoIP profile checks for malformation
 * (`malformed-header-<name>`), in FortiOS's order.
 */
enum VoipSipHeader : uint8_t
{
    VOIP_HDR_VIA = 0,
    VOIP_HDR_FROM,
    VOIP_HDR_TO,
    VOIP_HDR_CALL_ID,
    VOIP_HDR_CSEQ,
    VOIP_HDR_RACK,
    VOIP_HDR_RSEQ,
    VOIP_HDR_CONTACT,
    VOIP_HDR_RECORD_ROUTE,
    VOIP_HDR_ROUTE,
    VOIP_HDR_EXPIRES,
    VOIP_HDR_CONTENT_TYPE,
    VOIP_HDR_CONTENT_LENGTH,
    VOIP_HDR_MAX_FORWARDS,
    VOIP_HDR_ALLOW,
    VOIP_HDR_P_ASSERTED_IDENTITY,
    VOIP_HDR_NO_REQUIRE,
    VOIP_HDR_NO_PROXY_REQUIRE,
    VOIP_HDR_SDP_V,
    VOIP_HDR_SDP_O,
    VOIP_HDR_SDP_S,
    VOIP_HDR_SDP_I,
    VOIP_HDR_SDP_C,
    VOIP_HDR_SDP_B,
    VOIP_HDR_SDP_Z,
    VOIP_HDR_SDP_K,
    VOIP_HDR_SDP_A,
    VOIP_HDR_SDP_T,
    VOIP_HDR_SDP_R,
    VOIP_HDR_SDP_M,
    VOIP_HDR_COUNT
};

/// \return the FortiOS suffixes of `malformed-header-<name>` ("via" .. "sdp-m"), by value.
const std::vector<std::string>& VoipSipHeaderNames();

/// What the SIP ALG does with a malformed line (`discard|pass|respond`).
enum VoipSipAction : uint8_t
{
    VOIP_ACTION_DISCARD = 0, //!< drop the message
    VOIP_ACTION_PASS = 1,    //!< forward it unchanged (FortiOS default)
    VOIP_ACTION_RESPOND = 2, //!< answer the sender with a SIP error response
};

/// \return "discard", "pass" or "respond".
const char* VoipSipActionName(VoipSipAction a);

/// What a `<method>-rate` limit counts per (`none|src-ip|dest-ip`).
enum VoipSipRateTrack : uint8_t
{
    VOIP_RATE_TRACK_NONE = 0,    //!< one counter per policy (default)
    VOIP_RATE_TRACK_SRC_IP = 1,  //!< one counter per source address
    VOIP_RATE_TRACK_DEST_IP = 2, //!< one counter per destination address
};

/// \return "none", "src-ip" or "dest-ip".
const char* VoipSipRateTrackName(VoipSipRateTrack t);

/**
 * \ingroup fortigate
 * Per-method SIP settings of a VoIP profile.
 */
struct VoipSipMethodOptions
{
    bool block{false}; //!< `block-<method>` (default disable)
    uint32_t rate{0};  //!< `<method>-rate` messages/s (0 = unlimited)
    VoipSipRateTrack rateTrack{VOIP_RATE_TRACK_NONE}; //!< `<method>-rate-track`

    bool operator==(const VoipSipMethodOptions& o) const
    {
        return block == o.block && rate == o.rate && rateTrack == o.rateTrack;
    }

    bool operator!=(const VoipSipMethodOptions& o) const
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
    VoipSipAction unknownHeader{VOIP_ACTION_PASS};        //!< `unknown-header`
    VoipSipAction malformedRequestLine{VOIP_ACTION_PASS}; //!< `malformed-request-line`
    /// `malformed-header-<name>`, indexed by VoipSipHeader
    std::array<VoipSipAction, VOIP_HDR_COUNT> malformedHeader;
    /// `block-<method>`, `<method>-rate`, `<method>-rate-track`, indexed by VoipSipMethod
    std::array<VoipSipMethodOptions, VOIP_METHOD_COUNT> method;

    VoipSipOptions()
    {
        malformedHeader.fill(VOIP_ACTION_PASS);
        method.fill(VoipSipMethodOptions());
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

/**
 * \ingroup fortigate
 * `config voip profile` entry (placeholder: the SIP work extends it).
 */
struct VoipProfileConfig
{
    std::string name;                //!< `edit <name>`
    bool sipStatus{true};            //!< `config sip / set status`
    std::string featureSet{"voipd"}; //!< `set feature-set voipd|ips`
    std::string comment;             //!< `set comment`
    VoipSipOptions sip;              //!< the other `config sip` fields (fortios.md §5)

    bool operator==(const VoipProfileConfig& o) const;

    bool operator!=(const VoipProfileConfig& o) const
    {
        return !(*this == o);
    }
};

} // namespace ns3

#endif // FORTIGATE_VOIP_PROFILE_CONFIG_H
