/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_ALG_H
#define FORTIGATE_SIP_ALG_H

#include "sip-session-helper.h"

#include "ns3/timer-wheel.h"
#include "ns3/traffic-log.h"
#include "ns3/voip-profile-config.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

namespace ns3
{

struct VoipProfileConfig;

/**
 * \ingroup fortigate
 * The FortiOS SIP ALG (proxy-based, `voipd`): everything the kernel helper does (it is built on
 * the same NAT engine, SipSessionHelper) plus dialog and transaction state and the checks of a
 * VoIP profile's `config sip` (fortios.md §5). One instance per FortiGate holds the dialogs, call
 * records and counters of every session it handles. Sessions it handles show
 * `state=... redir local` (`ndr` too with an `ips-voip-filter`); the datapath charges the CPU
 * model's PROXY cost for each of their packets.
 *
 * Differences from the kernel helper, as FortiOS documents: every IPv4 SDP address is taken as
 * the sender's media address and translated (`no-sdp-fixup` leaves the SDP alone; when the SDP
 * already names the sender's public address, the pinhole then leads to the sender), Contact only
 * with `contact-fixup`, Record-Route too, pinholes per the `open-*-pinhole` options, the
 * REGISTER pinhole from the registrar only with `strict-register`, media ports within
 * `nat-port-range`, `nat-trace` (SDP `i=(o=IN IP4 <original>)`, appended to an existing i= line,
 * or replacing it with `preserve-override`), `hosted-nat-traversal` (Contact, top Via and SDP
 * addresses of a request's sender become the address its packets come from;
 * `hnt-restrict-source-ip` then accepts media towards the other side only from that address),
 * `register-contact-trace` (the REGISTER's Contact carries the original address as URI parameter
 * `;o=<ip>:<port>`, a format of the model).
 *
 * Checks, in this order, each counted (and logged with `log-violations`):
 * `malformed-request-line` (also a payload that is no SIP message), `block-unknown` (a request
 * with an unknown method is dropped), `max-line-length` / `block-long-lines`, `max-body-length`,
 * every `malformed-header-*` (the parser's violations), `unknown-header`, `block-<method>`,
 * `<method>-rate` with `<method>-rate-track` (token bucket per policy, and per source or
 * destination address; capacity one second of messages), `max-dialogs` (new INVITE dialogs per
 * policy). Actions: pass; discard (drop: a UDP datagram is dropped, a TCP message is cut out of
 * the stream and the sequence numbers follow); respond (a `400 Bad Request` built from the
 * request's Via, From, To, Call-ID and CSeq is sent back to the sender from the address it
 * sent to, and the request is dropped; over TCP, or for an ACK or a response, respond acts as
 * discard). A blocked method and a rate limit drop silently (FortiOS blocks = drop).
 *
 * Dialogs: INVITE / provisional / 2xx / ACK / BYE / CANCEL / re-INVITE; a dialog with only
 * provisional answers ends after `provisional-invite-expiry-time`; at most `max-idle-dialogs`
 * established dialogs without SIP activity for IDLE_DIALOG_SECONDS are kept per policy (the
 * oldest idle ones end first). Both run on the unit's 1 s tick (Housekeep) as well as when a
 * message arrives, so a silent dialog ends on time and its pinholes go with it.
 * Cost: a message costs the same however many dialogs are open. Each dialog waits in a timer
 * wheel (BasicTimerWheel, the session table's) for its next deadline: the provisional expiry
 * while unanswered, the start of idleness (IDLE_DIALOG_SECONDS after its last message) once
 * established; an idle dialog sits in its policy's idle set ordered by last activity, and a
 * dialog ended by expiry or eviction is indexed by its signalling session until its calls end.
 * Nothing walks all the dialogs except the `diagnose` text.
 * `log-call-summary` keeps a call record per call (from, to, start, ringing, answer, end,
 * duration, setup delay, final status, end reason).
 *
 * SIP over TCP: a message over several segments is reassembled (ReassemblesTcp: the datapath
 * holds a segment that ends inside a message until the rest arrives, at most
 * FortiGateNode::HelperHoldTime) and handled whole, as a proxy reads it.
 *
 * Not modelled: `call-keepalive` (the ALG does not see RTP), `rfc2543-branch` (accepted and
 * stored), SCCP / MSRP.
 */
class SipAlg : public SipSessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    SipAlg();
    ~SipAlg() override;

    /// \return "sip-alg" (internal name; FortiOS shows no helper name for ALG sessions)
    /// \return true: the ALG is a proxy (`redir local`, no helper name in diagnose output)
    bool IsProxy() const override
    {
        return true;
    }

    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;
    void OnSessionClosed(Session& s) override;

    /**
     * Once a second with no traffic needed: dialogs with only provisional answers for longer
     * than `provisional-invite-expiry-time` end ("expired"), established dialogs beyond
     * `max-idle-dialogs` idle ones per policy end ("idle"), and the calls of such dialogs end
     * on their signalling session (pinholes and NAT reservations removed, call record taken).
     */
    void Housekeep(HousekeepContext& hk) override;

    /// Finds a VoIP profile by name (the unit's running configuration).
    using ProfileResolver = std::function<const VoipProfileConfig*(const std::string& name)>;

    /// Set where profiles come from (without one, every profile has FortiOS defaults).
    void SetProfileResolver(ProfileResolver resolver);

    /// Set where VoIP log events go (none: not logged).
    void SetVoipLogSink(VoipLogSink sink) override
    {
        m_voipLog = std::move(sink);
    }

    /// \return true when a resolver was set
    bool HasProfileResolver() const
    {
        return static_cast<bool>(m_profiles);
    }

    /**
     * Bind a new session to the ALG with VoIP profile \p profile (the policy's `voip-profile`,
     * or "default"); \p ips for ALG + IPS SIP. Sets `redir local` (and `ndr`).
     */
    void BindSession(Session& s, const std::string& profile, bool ips);

    /// One finished call (`log-call-summary`).
    struct CallRecord
    {
        std::string callId;    //!< Call-ID
        std::string from;      //!< From URI of the INVITE
        std::string to;        //!< To URI of the INVITE
        std::string profile;   //!< VoIP profile
        uint32_t policyId{0};  //!< policy of the signalling session
        int64_t startNs{0};    //!< INVITE seen
        int64_t ringNs{-1};    //!< first 180/183 (-1: none)
        int64_t answerNs{-1};  //!< 2xx (-1: not answered)
        int64_t endNs{0};      //!< end
        uint32_t finalCode{0}; //!< final response to the INVITE (200, 486, 487...)
        std::string reason;    //!< "bye", "failed", "cancel", "expired", "idle", "closed"

        /// \return answer - start in ns, -1 when not answered
        int64_t SetupDelayNs() const
        {
            return answerNs >= 0 ? answerNs - startNs : -1;
        }

        /// \return end - answer in ns, 0 when not answered
        int64_t DurationNs() const
        {
            return answerNs >= 0 ? endNs - answerNs : 0;
        }
    };

    /// One logged violation (`log-violations`).
    struct Violation
    {
        int64_t nowNs{0};   //!< when
        std::string source; //!< sender address:port
        std::string option; //!< profile option, e.g. "malformed-header-via", "invite-rate"
        std::string action; //!< "pass", "discard", "respond", "block"
        std::string reason; //!< detail
    };

    /// Per-method counters (`diagnose sys sip-proxy stats`), indexed by VoipSipMethod.
    struct MethodCounters
    {
        uint64_t received{0};    //!< requests seen
        uint64_t blocked{0};     //!< dropped by block-<method>
        uint64_t rateLimited{0}; //!< dropped by <method>-rate
    };

    /// Rows of FortiOS's `diagnose sys sip-proxy stats` table: UNKNOWN, the VoipSipMethod
    /// values in order, then PING.
    static constexpr std::size_t STATS_ROWS = VOIP_METHOD_COUNT + 2;

    /// One row of that table; index 0 counts requests, 1 responses (by their CSeq method).
    struct StatsRow
    {
        uint64_t received[2]{0, 0};    //!< messages seen
        uint64_t blocked[2]{0, 0};     //!< of which dropped or answered by the ALG
        uint64_t unknownForm[2]{0, 0}; //!< with a malformed line or an unknown header / method
        uint64_t longHeaders[2]{0, 0}; //!< with a line over max-line-length
    };

    /// ALG counters beyond the engine's.
    struct AlgCounters
    {
        StatsRow rows[STATS_ROWS];                //!< the stats table
        MethodCounters method[VOIP_METHOD_COUNT]; //!< per method
        uint64_t unknownMethod{0};                //!< requests with an unknown method
        uint64_t blockedUnknown{0};               //!< of which dropped (block-unknown)
        uint64_t longLines{0};                    //!< messages over max-line-length
        uint64_t bodyTooLong{0};                  //!< dropped by max-body-length
        uint64_t malformed{0};                    //!< messages with a malformed line (any action)
        uint64_t unknownHeader{0};                //!< messages with an unknown header (any action)
        uint64_t passed{0};                       //!< passed although violating (action pass)
        uint64_t discarded{0};                    //!< dropped by a discard action
        uint64_t responded{0};                    //!< answered by a respond action
        uint64_t maxDialogs{0};                   //!< INVITEs dropped by max-dialogs
        uint64_t expired{0};     //!< dialogs ended by provisional-invite-expiry-time
        uint64_t idleEvicted{0}; //!< dialogs ended by max-idle-dialogs
        uint64_t violations{0};  //!< violations seen
    };

    /// \return the ALG counters
    const AlgCounters& GetAlgCounters() const
    {
        return m_alg;
    }

    /// `diagnose sys sip-proxy stats clear`: the ALG counters (per-method table, violations)
    /// start again from 0; the call and pinhole totals of the engine are kept.
    void ClearAlgCounters()
    {
        m_alg = AlgCounters{};
    }

    /// \return the finished calls, oldest first (at most MAX_CALL_RECORDS)
    const std::deque<CallRecord>& GetCallRecords() const
    {
        return m_records;
    }

    /// \return the logged violations, oldest first (at most MAX_VIOLATION_LOG)
    const std::deque<Violation>& GetViolationLog() const
    {
        return m_violationLog;
    }

    /// \return dialogs in progress counted against \p policyId's max-dialogs
    uint32_t GetDialogCount(uint32_t policyId) const;

    /**
     * `diagnose sys sip-proxy stats` text: FortiOS's layout (a real sample, see the .cc)
     * followed by the model's counters.
     * \param registersActive REGISTER contact pinholes of the ALG open now
     */
    std::string StatsText(uint64_t registersActive) const;

    /// `diagnose sys sip-proxy dialog list` text (the model's format: no real sample found)
    std::string DialogListText(int64_t nowNs) const;

    /// `diagnose sys sip-proxy calls list` text (active dialogs, then call records)
    std::string CallsText(int64_t nowNs) const;

    /// Seconds without SIP activity after which an established dialog counts as idle.
    static constexpr uint32_t IDLE_DIALOG_SECONDS = 60;
    /// Call records kept.
    static constexpr std::size_t MAX_CALL_RECORDS = 10000;
    /// Violations kept.
    static constexpr std::size_t MAX_VIOLATION_LOG = 1000;

  protected:
    SipNatOptions OptionsFor(const SipSessionState& st) const override;
    /// \return true: the ALG is a proxy and handles a message over several segments whole
    bool ReassemblesTcp() const override;
    Verdict Check(Message& m) override;
    /// The profile's checks of Check (before the stats table counts the message).
    Verdict CheckProfile(Message& m);
    void AfterMessage(Message& m, SipSessionState::Call* call) override;
    void OnCallEnded(const Session& s, SipSessionState::Call& call, const char* reason) override;

  private:
    /// A dialog, as the ALG counts it across sessions.
    struct Dialog
    {
        uint64_t id{0};            //!< dialog number (m_dialogs key)
        uint32_t policyId{0};      //!< policy
        uint32_t serial{0};        //!< signalling session
        std::string callId;        //!< Call-ID
        std::string from;          //!< From URI
        std::string to;            //!< To URI
        std::string profile;       //!< profile
        int64_t startNs{0};        //!< INVITE
        int64_t answerNs{-1};      //!< 2xx
        int64_t lastNs{0};         //!< last SIP message
        uint32_t expirySec{210};   //!< provisional-invite-expiry-time
        bool established{false};   //!< 2xx seen
        bool confirmed{false};     //!< ACK seen
        bool ended{false};         //!< ended by expiry or idle eviction (record taken)
        bool idle{false};          //!< in m_idle (established, idle >= IDLE_DIALOG_SECONDS)
        const char* endReason{""}; //!< "expired" or "idle" once ended
        /// Timer-wheel slot membership (not copied: a copy is not filed).
        boost::intrusive::list_member_hook<
            boost::intrusive::link_mode<boost::intrusive::normal_link>>
            wheelHook;
        int64_t wheelFiledNs{-1}; //!< tick the wheel filed it under (-1: not filed)
    };

    /// How the timer wheel sees a dialog: due at its provisional expiry while unanswered, at
    /// the start of its idleness once established.
    struct DialogWheelTraits
    {
        /// The slot-list hook.
        using Hook = boost::intrusive::member_hook<
            Dialog,
            boost::intrusive::list_member_hook<
                boost::intrusive::link_mode<boost::intrusive::normal_link>>,
            &Dialog::wheelHook>;

        /// \return where the filed tick is kept
        static int64_t& FiledNs(Dialog& d)
        {
            return d.wheelFiledNs;
        }

        /// \return the filed tick, < 0 = not filed
        static int64_t FiledNs(const Dialog& d)
        {
            return d.wheelFiledNs;
        }

        /// \return the next deadline of \p d
        static int64_t DeadlineNs(const Dialog& d)
        {
            return d.established
                       ? d.lastNs + static_cast<int64_t>(IDLE_DIALOG_SECONDS) * 1000000000LL
                       : d.startNs + static_cast<int64_t>(d.expirySec) * 1000000000LL;
        }

        /// \return the last SIP activity of \p d
        static int64_t StartNs(const Dialog& d)
        {
            return d.lastNs;
        }
    };

    /// Token bucket of one rate limit.
    struct Bucket
    {
        double tokens{0};  //!< available messages
        int64_t lastNs{0}; //!< last refill
        bool init{false};  //!< filled once
    };

    const VoipSipOptions& SipOptionsOf(const SipSessionState& st) const;
    SipSessionState& Bind(HelperContext& ctx);
    Verdict Act(Message& m,
                VoipSipAction action,
                const std::string& option,
                const std::string& reason);
    void Log(Message& m,
             const std::string& option,
             const std::string& action,
             const std::string& reason);
    const VoipSipOptions& ProfileOptions(const std::string& profile) const;
    void Expire(int64_t nowNs);
    void EvictIdle(uint32_t policyId, uint32_t maxIdle, int64_t nowNs);
    void EndDialog(Dialog& d, int64_t nowNs, const char* reason, uint32_t code);
    void Unindex(Dialog& d);
    void EraseDialog(uint64_t id);
    void Record(const Dialog& d, int64_t endNs, uint32_t code, const char* reason, int64_t ringNs);

    ProfileResolver m_profiles; //!< profile source
    VoipLogSink m_voipLog;      //!< VoIP log events
    AlgCounters m_alg;          //!< counters
    std::map<uint32_t, std::tuple<std::string, bool>>
        m_bindings;                             //!< session serial -> profile, ips
    std::map<uint64_t, Dialog> m_dialogs;       //!< by dialog id (creation order)
    std::map<uint32_t, uint32_t> m_dialogCount; //!< active dialogs per policy
    /// Dialogs not ended, each filed under its next deadline (declared after m_dialogs: goes
    /// first).
    BasicTimerWheel<Dialog, DialogWheelTraits> m_wheel;
    /// Per policy: idle established dialogs as (last activity, id), the longest idle first.
    std::map<uint32_t, std::set<std::pair<int64_t, uint64_t>>> m_idle;
    std::map<uint32_t, std::set<uint64_t>> m_established; //!< per policy: established, not ended
    std::set<uint64_t> m_ended; //!< dialogs ended by expiry or eviction, their calls not yet
    std::map<uint32_t, std::set<uint64_t>> m_endedBySerial; //!< the same by signalling session
    uint64_t m_nextDialog{1};                               //!< next dialog id
    std::map<std::tuple<uint32_t, uint8_t, uint32_t>, Bucket> m_buckets; //!< rate limits
    std::deque<CallRecord> m_records;                                    //!< call records
    std::deque<Violation> m_violationLog;                                //!< violations
    mutable VoipSipOptions m_defaults;                                   //!< FortiOS defaults
};

} // namespace ns3

#endif // FORTIGATE_SIP_ALG_H
