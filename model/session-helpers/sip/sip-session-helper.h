/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_SESSION_HELPER_H
#define FORTIGATE_SIP_SESSION_HELPER_H

#include "sip-message.h"

#include "ns3/session-helper.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

struct SystemSettings;

/**
 * \ingroup fortigate
 * Counters of one SIP engine, printed by `diagnose sys sip status` (kernel helper) and
 * `diagnose sys sip-proxy stats` (ALG).
 */
struct SipEngineStats
{
    uint64_t messages{0};               //!< SIP messages seen
    uint64_t requests{0};               //!< of which requests
    uint64_t responses{0};              //!< of which responses
    uint64_t parseErrors{0};            //!< payloads that could not be framed as SIP
    uint64_t spanning{0};               //!< TCP messages over several segments (not rewritten)
    uint64_t held{0};                   //!< TCP segments held back to reassemble a message
    uint64_t rewritten{0};              //!< messages whose bytes were changed
    uint64_t fieldsRewritten{0};        //!< header fields and SDP lines changed
    uint64_t mediaPortsTranslated{0};   //!< `m=` (or a=rtcp) ports moved to a free port
    uint64_t natTraces{0};              //!< SDP i= lines written by nat-trace
    uint64_t pinholesOpened{0};         //!< pinholes opened (refreshes included)
    uint64_t pinholesRefused{0};        //!< pinholes the table refused
    uint64_t pinholesClosed{0};         //!< pinholes removed by BYE, failure, CANCEL, expiry
    uint64_t registerPinholes{0};       //!< REGISTER contact pinholes opened
    uint64_t calls{0};                  //!< INVITE dialogs started
    uint64_t callsAnswered{0};          //!< that got a 2xx
    uint64_t callsFailed{0};            //!< that got a final 3xx-6xx (CANCEL included)
    uint64_t callsEnded{0};             //!< ended by BYE
    uint64_t noPortForMedia{0};         //!< media left untranslated: no free port
    uint64_t natReservations{0};        //!< media NAT reservations made (refreshes excluded)
    uint64_t natReservationsRefused{0}; //!< media NAT reservations the datapath refused
};

/**
 * \ingroup fortigate
 * What the shared SIP NAT engine does (the kernel helper uses fixed values from
 * `config system settings`, the ALG derives them from its VoIP profile).
 */
struct SipNatOptions
{
    bool headerFixup{true};       //!< translate Request-URI, Via, From, To (always on)
    bool contactFixup{true};      //!< translate Contact (`contact-fixup`)
    bool recordRouteFixup{false}; //!< translate Record-Route (the ALG; Linux does not)
    bool sdpFixup{true};          //!< translate SDP (`no-sdp-fixup` disables)
    /// true: every IPv4 SDP address is the sender's media address and is translated (the ALG,
    /// as FortiOS does: the cause of one-way audio when a PBX already wrote its public address);
    /// false: only media whose address equals the sender's own signalling address are handled
    /// (Linux's sip_direct_media), others are left alone without pinholes.
    bool sdpAnyAddress{false};
    bool natTrace{false};             //!< SDP `i=(o=IN IP4 <original>)` (`nat-trace`)
    bool preserveOverride{false};     //!< nat-trace replaces an existing i= line
    bool hostedNatTraversal{false};   //!< `hosted-nat-traversal`
    bool hntRestrictSourceIp{false};  //!< `hnt-restrict-source-ip`
    bool rtpPinholes{true};           //!< open RTP/RTCP pinholes (`rtp`)
    bool registerPinhole{true};       //!< REGISTER contact pinhole (`open-register-pinhole`)
    bool strictRegister{true};        //!< only the registrar may use it (`strict-register`)
    bool contactPinhole{false};       //!< non-REGISTER Contact pinholes (`open-contact-pinhole`)
    bool viaPinhole{false};           //!< top Via pinholes (`open-via-pinhole`)
    bool recordRoutePinhole{false};   //!< Record-Route pinholes (`open-record-route-pinhole`)
    bool registerContactTrace{false}; //!< `register-contact-trace`
    uint16_t portLow{1024};           //!< lowest translated media port (`nat-port-range`)
    uint16_t portHigh{65535};         //!< highest translated media port
};

/**
 * \ingroup fortigate
 * Per-session state of the SIP engines (kernel helper and ALG): TCP stream framing, calls
 * with their media mappings and pinholes, registrations. Internal; public for the ALG and
 * tests.
 */
class SipSessionState : public HelperState
{
  public:
    /// One direction of a TCP stream.
    struct Stream
    {
        bool init{false};          //!< nextSeq is valid
        uint32_t nextSeq{0};       //!< sequence number of the next byte expected
        std::string pending;       //!< bytes of a message begun in earlier segments
        uint32_t starts[4]{};      //!< recent segments parsed for whole messages (retransmits)
        uint16_t startOffset[4]{}; //!< where in each of them the first whole message began
        uint8_t nStarts{0};        //!< valid entries of starts
        uint8_t nextStart{0};      //!< ring position
    };

    /// A pinhole, as the expectation table keys it.
    struct PinholeKey
    {
        uint8_t proto{0};  //!< protocol
        uint32_t src{0};   //!< source (0 = any)
        uint16_t sport{0}; //!< source port (0 = any)
        uint32_t dst{0};   //!< destination
        uint16_t dport{0}; //!< destination port

        /// \return true when equal
        bool operator==(const PinholeKey& o) const
        {
            return proto == o.proto && src == o.src && sport == o.sport && dst == o.dst &&
                   dport == o.dport;
        }

        /// \return true when \p e has this key
        bool Matches(const Expectation& e) const
        {
            return proto == e.proto && src == e.src && sport == e.sport && dst == e.dst &&
                   dport == e.dport;
        }

        /// \return the key of pinhole \p e
        static PinholeKey Of(const Expectation& e)
        {
            return PinholeKey{e.proto, e.src, e.sport, e.dst, e.dport};
        }

        /// \return true when \p keys holds this key
        bool In(const std::vector<PinholeKey>& keys) const
        {
            return std::find(keys.begin(), keys.end(), *this) != keys.end();
        }
    };

    /// A NAT reservation (NatReservation) as the engine keys it.
    struct Mapping
    {
        uint32_t privIp{0};   //!< the phone's media address
        uint16_t privPort{0}; //!< its port
        uint32_t pubIp{0};    //!< announced address
        uint16_t pubPort{0};  //!< announced port

        /// \return true when equal
        bool operator==(const Mapping& o) const
        {
            return privIp == o.privIp && privPort == o.privPort && pubIp == o.pubIp &&
                   pubPort == o.pubPort;
        }
    };

    /// One media description of one side's SDP, with its translation.
    struct Media
    {
        bool handled{false}; //!< translated / given pinholes (else left alone)
        bool natted{false};  //!< the public address differs from the written one
        uint32_t sdpAddr{0}; //!< address as the sender wrote it
        uint16_t sdpPort{0}; //!< RTP port as written
        uint16_t sdpRtcp{0}; //!< RTCP port as written (a=rtcp, else port + 1)
        uint32_t pubAddr{0}; //!< address the far side sends to
        uint16_t pubPort{0}; //!< RTP port the far side sends to
        uint16_t pubRtcp{0}; //!< RTCP port the far side sends to
    };

    /// Where a call is.
    enum Phase : uint8_t
    {
        CALLING,   //!< INVITE sent, no response
        EARLY,     //!< provisional response seen
        ANSWERED,  //!< 2xx seen
        CONFIRMED, //!< ACK seen
        ENDED,     //!< BYE / failure / CANCEL / expiry
    };

    /// One call (Call-ID) on this signalling session.
    struct Call
    {
        std::string callId;               //!< Call-ID
        std::vector<Media> media[2];      //!< per SDP sender (SessionDir index)
        bool haveMedia[2]{false, false};  //!< an SDP of that side was seen
        std::vector<PinholeKey> pinholes; //!< media pinholes of the call
        std::vector<PinholeKey> contacts; //!< contact / record-route pinholes of the call
        std::vector<Mapping> mappings;    //!< NAT reservations of the call's translated media
        uint32_t hntSource[2]{0, 0};      //!< per side: source address HNT wrote (0: none)
        Phase phase{CALLING};             //!< state
        bool invite{false};               //!< started by an INVITE (a dialog)
        uint8_t callerSide{0};            //!< SessionDir of the INVITE's sender
        uint32_t inviteCseq{0};           //!< CSeq of the initial INVITE
        int64_t startNs{0};               //!< initial INVITE seen
        int64_t ringNs{-1};               //!< first 180/183
        int64_t answerNs{-1};             //!< first 2xx to the INVITE
        int64_t endNs{-1};                //!< ended
        int64_t lastNs{0};                //!< last message of the call
        std::string from;                 //!< From URI of the INVITE
        std::string to;                   //!< To URI of the INVITE
        uint32_t finalCode{0};            //!< final response to the initial INVITE
        bool cancelled{false};            //!< a CANCEL was seen
        uint64_t dialogId{0};             //!< ALG dialog number (0 = not counted)
    };

    /// A REGISTER contact pinhole.
    struct Registration
    {
        PinholeKey key;        //!< the pinhole
        uint32_t privAddr{0};  //!< the phone's own contact address
        uint16_t privPort{0};  //!< its port
        bool confirmed{false}; //!< a 2xx to REGISTER was seen
    };

    Stream stream[2];                               //!< TCP framing per direction
    std::map<std::string, Call, std::less<>> calls; //!< by Call-ID (found by a string_view)
    std::vector<Registration> registrations;        //!< REGISTER pinholes
    std::vector<PinholeKey> signalling;             //!< via / record-route pinholes
    /// SIP over TCP: (phone address, listening port) -> port on the translated address
    std::map<std::pair<uint32_t, uint16_t>, uint16_t> tcpPorts;
    // ---- ALG binding
    bool alg{false};     //!< bound to the ALG
    bool ips{false};     //!< ALG + IPS SIP
    std::string profile; //!< VoIP profile the ALG applies
};

/**
 * \ingroup fortigate
 * The FortiOS `sip` session helper (kernel helper, `helper=sip`): UDP 5060 by default (the
 * `sip` session-helper entries), SIP over UDP and TCP. It is also the NAT engine the SIP ALG
 * (SipAlg) builds on.
 *
 * NAT rewriting, as Linux's nf_nat_sip does (netfilter.md), each only where the address:port
 * equals the packet's source (then replaced by its translated source) or its destination
 * (replaced by the translated destination): the Request-URI, the top Via, every Contact, From
 * and To. In the top Via, existing `received=`, `rport=` and `maddr=` parameters are adjusted
 * the way Linux does (a response's `received=`/`rport=` naming the public address are turned
 * back into the phone's own, a request's `maddr=` naming the sender into its public address);
 * none is added. Call-ID, Route and Record-Route are not touched. SDP: `o=`, session and media
 * `c=` when they carry the sender's address (Linux's direct-media rule), `m=` (and `a=rtcp`)
 * ports only when the port is taken on the public address: then a free port is chosen and
 * written (two phones behind one NAT offering the same RTP port both get media, where Linux
 * drops the second call). A port the phone's own media already holds on the public address
 * counts as free for it (a repeat call keeps its port). Every translated media port announced is
 * reserved for the phone (HelperContext::ReserveNat, NatReservation, 180 s, renewed by each SDP,
 * released by the call's end or with the session): the phone's own RTP/RTCP then leaves from
 * exactly the announced public port whichever side sends first, so the peer's media and the
 * phone's meet in one mapping. Content-Length follows (SipRewriter).
 * `config system settings / sip-nat-trace` (default enable, as FortiOS) adds the original
 * address to the SDP as `i=(o=IN IP4 <address>)` when the SDP was translated.
 *
 * Pinholes (180 s, one-shot, as Linux): per SDP media, RTP and RTCP towards the sender's
 * media, from anyone (address and port wildcards: the media peer is often not the signalling
 * peer), translated to the address the sender wrote; when the sender is not translated but the
 * other side is, from the other side's media address and port with that side's translation
 * (so its media leaves from the port its SDP announced). An offer and its answer thus give four
 * pinholes (RTP/RTCP each way). A REGISTER opens a pinhole for its Contact (the phone's own
 * address only) for the Expires time, not one-shot, from the registrar (Linux's default), when
 * the request passes (as Linux; the 2xx sets the granted time, Expires 0 removes it); its
 * child sessions are SIP sessions too. A call's pinholes are removed by BYE and by a failed
 * (3xx-6xx) final response to the initial INVITE; all of a session's pinholes go with it.
 * Pinholes carry a class (PinholeClass: media, REGISTER, other signalling) and the per-parent
 * limit counts each class apart, so the calls on a phone's REGISTER session never evict its
 * REGISTER pinhole.
 *
 * TCP: messages are framed per direction (several in one segment, or one over several
 * segments). A message inside one segment is rewritten; one that spans segments is passed
 * unchanged as Linux does (it still ends a call on BYE). Retransmitted segments are rewritten
 * again the same way.
 */
class SipSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    SipSessionHelper();
    ~SipSessionHelper() override;

    std::string GetName() const override;
    void Inspect(HelperContext& ctx) override;
    void OnSessionClosed(Session& s) override;

    /// Where `config system settings` comes from (sip-nat-trace); without it FortiOS defaults.
    void SetSettingsSource(std::function<const SystemSettings*()> source);

    /// \return true when a settings source was given
    bool HasSettingsSource() const
    {
        return static_cast<bool>(m_settings);
    }

    /// \return the counters
    const SipEngineStats& GetStats() const
    {
        return m_stats;
    }

    /// \return calls in progress over every session of this engine
    uint64_t GetActiveCalls() const
    {
        return m_activeCalls;
    }

    /**
     * The `diagnose sys sip status` text: FortiOS's dialog / mapping usage lines (layout of a
     * real sample, see the .cc) followed by the model's counters.
     * \param pinholes this engine's pinholes in the unit's table now (the mappings)
     */
    std::string StatusText(const std::vector<Expectation>& pinholes) const;

    /// The `diagnose sys sip dialog list` text (the model's format: no real sample found).
    std::string DialogListText(int64_t nowNs) const;

    /// One dialog (INVITE call) in progress, as `diagnose sys sip dialog list` prints it.
    struct DialogEntry
    {
        uint32_t serial{0};                                     //!< signalling session
        std::string callId;                                     //!< Call-ID
        std::string from;                                       //!< From URI
        std::string to;                                         //!< To URI
        SipSessionState::Phase phase{SipSessionState::CALLING}; //!< state
        int64_t startNs{0};                                     //!< INVITE seen
        int64_t lastNs{0};                                      //!< last message
        std::size_t mediaPinholes{0};                           //!< media pinholes open
    };

    /// \return the dialogs in progress, by (session serial, Call-ID)
    const std::map<std::pair<uint32_t, std::string>, DialogEntry>& GetDialogs() const
    {
        return m_dialogIndex;
    }

    /// Media pinhole lifetime, seconds (Linux: 180); also that of media NAT reservations.
    static constexpr uint32_t MEDIA_PINHOLE_TIMEOUT = 180;

    /**
     * Pinhole classes (Expectation::expectClass), as Linux's SIP expectation classes: the
     * per-parent pinhole limit counts each class apart, so a call's pinholes never evict the
     * phone's REGISTER pinhole on the same signalling session (nor another class's).
     */
    enum PinholeClass : uint8_t
    {
        CLASS_MEDIA = 0,      //!< RTP / RTCP of calls
        CLASS_REGISTER = 1,   //!< REGISTER contact pinholes (long-lived)
        CLASS_SIGNALLING = 2, //!< Contact / Record-Route / Via pinholes of calls and transactions
    };

    /// Lifetime of Via / contact pinholes of a transaction, seconds (64 * T1).
    static constexpr uint32_t TRANSACTION_PINHOLE_TIMEOUT = 32;
    /// Default REGISTER expiry, seconds (RFC 3261).
    static constexpr uint32_t DEFAULT_REGISTER_EXPIRES = 3600;
    /// Most bytes buffered for one TCP message.
    static constexpr std::size_t MAX_PENDING = 65536;

  protected:
    /// What to do with one message.
    enum class Verdict
    {
        PASS,    //!< forward (after NAT)
        DISCARD, //!< drop it
        RESPOND, //!< drop it and answer the sender (\c response holds the answer)
    };

    /// Everything the engine knows about one message being processed.
    struct Message
    {
        HelperContext* ctx{nullptr};    //!< the packet
        SipSessionState* st{nullptr};   //!< the session's state
        const SipMessage* msg{nullptr}; //!< parsed message (nullptr: could not be framed)
        const uint8_t* buf{nullptr};    //!< buffer the spans refer to
        std::size_t base{0};            //!< the buffer's offset in the payload (editable)
        std::size_t length{0};          //!< bytes of the message in the buffer
        bool editable{false};           //!< inside this segment: may be rewritten
        bool retransmission{false};     //!< a TCP segment seen before
        int side{0};                    //!< SessionDir index of the sender
        std::string response;           //!< RESPOND: the answer
    };

    /// \return the options for a session (the kernel helper: settings)
    virtual SipNatOptions OptionsFor(const SipSessionState& st) const;

    /**
     * \return true when a TCP message over several segments is reassembled (the segments are
     * held back, see HelperContext::hold) and handled whole, as a proxy does; false to pass
     * it unchanged, as Linux does (the kernel helper).
     */
    virtual bool ReassemblesTcp() const;

    /// Check a message before NAT (the ALG's profile). \return the verdict
    virtual Verdict Check(Message& m);

    /// A message passed (after NAT and call tracking).
    virtual void AfterMessage(Message& m, SipSessionState::Call* call);

    /// A call ended (\p reason: "bye", "failed", "cancel", "expired", "idle", "closed").
    virtual void OnCallEnded(const Session& s, SipSessionState::Call& call, const char* reason);

    /// \return the session's state (created on first use)
    SipSessionState& StateOf(HelperContext& ctx);

    /// End a call: remove its pinholes, count, report. Leaves it in the table as ENDED.
    void EndCall(HelperContext& ctx,
                 SipSessionState& st,
                 SipSessionState::Call& call,
                 const char* reason);

    /// Remove pinholes by key. \return how many were removed
    uint32_t RemovePinholes(HelperContext& ctx, const std::vector<SipSessionState::PinholeKey>& k);

    /// Build a SIP response to request \p msg in \p buf (status line, Via, From, To with a
    /// tag, Call-ID, CSeq, Content-Length 0).
    static std::string BuildResponse(const SipMessage& msg,
                                     const uint8_t* buf,
                                     uint32_t code,
                                     const std::string& reason);

    SipEngineStats m_stats;    //!< counters
    uint64_t m_activeCalls{0}; //!< calls not ended

    /// Keep the dialog list in step with \p call of session \p serial (an ended call leaves it).
    void NoteDialog(uint32_t serial, const SipSessionState::Call& call);

    /// Dialogs in progress (`diagnose sys sip dialog list`), by (session serial, Call-ID).
    std::map<std::pair<uint32_t, std::string>, DialogEntry> m_dialogIndex;

  private:
    uint32_t m_mediaPinholeTimeout{MEDIA_PINHOLE_TIMEOUT}; //!< attribute MediaPinholeTimeout, s
    /// attribute TransactionPinholeTimeout, s
    uint32_t m_transactionPinholeTimeout{TRANSACTION_PINHOLE_TIMEOUT};
    void ProcessDatagram(HelperContext& ctx, SipSessionState& st);
    void ProcessStream(HelperContext& ctx, SipSessionState& st);
    /// Parse complete messages of \p data (a segment from \p offsetInPayload; \p framed, when
    /// given, is that parse already done). \return bytes used; sets \p error on a framing error
    std::size_t ProcessSegmentMessages(HelperContext& ctx,
                                       SipSessionState& st,
                                       std::size_t offsetInPayload,
                                       bool retransmission,
                                       bool& error,
                                       SipStreamResult* framed = nullptr);
    /// Run one parsed message. \return false when the packet was dropped
    bool HandleMessage(Message& m);
    /// The translation of an address:port the message carries (Linux's map_addr; over TCP
    /// also the sender's address with its listening port). \return true when it changes
    bool MapAddr(Message& m, uint32_t a, uint16_t p, uint32_t& na, uint16_t& np);
    void RewriteHeaders(Message& m, const SipNatOptions& o, SipRewriter& rw);
    void ProcessSdp(Message& m,
                    const SipNatOptions& o,
                    SipRewriter& rw,
                    SipSessionState::Call& call);
    void NatTrace(Message& m, const SipNatOptions& o, SipRewriter& rw, uint32_t original);
    void SyncCallPinholes(HelperContext& ctx, const SipNatOptions& o, SipSessionState::Call& call);
    void TrackCall(Message& m, const SipNatOptions& o, SipRewriter* rw);
    void HandleRegister(Message& m, const SipNatOptions& o);
    void OpenSignallingPinholes(Message& m, const SipNatOptions& o, SipSessionState::Call* call);
    bool OpenPinhole(HelperContext& ctx, const Expectation& e);
    /// A port on \p addr for the media of \p privAddr:\p privPort (and its RTCP port
    /// \p privRtcp, next to it, when \p needRtcp): the endpoint's current mapping, else
    /// \p preferred, else a walk upwards. \return 0 when none
    uint16_t AllocateMediaPair(HelperContext& ctx,
                               const SipNatOptions& o,
                               uint32_t addr,
                               uint16_t preferred,
                               bool needRtcp,
                               uint32_t privAddr,
                               uint16_t privPort,
                               uint16_t privRtcp);
    /// Reserve the public ports of the call's translated media (NatReservation); drop the
    /// reservations the call no longer announces.
    void SyncCallMappings(HelperContext& ctx, SipSessionState& st, SipSessionState::Call& call);
    /// Remove reservations of \p call that no other live call of \p st announces.
    void ReleaseCallMappings(HelperContext& ctx,
                             SipSessionState& st,
                             SipSessionState::Call& call,
                             const std::vector<SipSessionState::Mapping>& gone);

    std::function<const SystemSettings*()> m_settings; //!< settings source
};

} // namespace ns3

#endif // FORTIGATE_SIP_SESSION_HELPER_H
