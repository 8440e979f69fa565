/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_USER_AGENT_H
#define FORTIGATE_SIP_USER_AGENT_H

#include "sip-call-record.h"
#include "sip-transport.h"

#include "ns3/application.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rtp-stream.h"
#include "ns3/sdp-message.h"
#include "ns3/sip-message.h"
#include "ns3/sip-text-message.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

class Node;

/**
 * \ingroup fortigate
 * A SIP phone: UAC and UAS in one ns-3 Application, over UDP or TCP (RFC 3261), with an
 * RtpStream per call (G.711 timing) and SDP offer/answer (RFC 3264).
 *
 * - Registration: REGISTER to RegistrarAddress:RegistrarPort at start, refreshed after
 *   RegisterRefreshRatio x the granted expiry; after a failure, retried every
 *   RegisterRetryInterval. 423 is retried with Min-Expires.
 * - Calls: Call(target, at, duration) sends an INVITE with an SDP offer at time \p at (the
 *   target is a user name at Domain, sent through the registrar as outbound proxy, or a full
 *   `sip:` URI); on 200 OK it ACKs, starts RTP, and sends BYE \p duration after the answer.
 *   A call not answered after NoAnswerTimeout (or Call's cancelAfter) is CANCELled (487).
 *   Hold()/Resume() send re-INVITEs whose SDP says sendonly / sendrecv (RFC 3264 §8.4).
 * - Incoming calls: 100 Trying, 180 Ringing, and after RingTime 200 OK with the SDP answer
 *   when AutoAnswer (otherwise it rings until CANCEL); the 200 is retransmitted until the ACK
 *   (T1 doubling to T2, BYE after 64 x T1 without ACK); BYE / CANCEL / re-INVITE handled;
 *   OPTIONS answered 200; other methods 405/501.
 * - Transactions (RFC 3261 §17): Via branch `z9hG4bK...` with `;rport`, tags, CSeq, Call-ID;
 *   over UDP requests are retransmitted from T1 (500 ms) doubling (INVITE) or capped at T2
 *   (non-INVITE) until a response, and time out after 64 x T1 (timers B/F); retransmitted
 *   requests get the last response again.
 * - Addresses: Via, Contact and SDP carry ContactAddress when set (e.g. a public address a PBX
 *   writes itself), else the node's own interface address (a private one behind NAT).
 *
 * Every message sent or received is reported (SipTx / SipRx, raw text), every call state
 * change (CallStateChanged), every registration change (RegistrationChanged).
 */
class SipUserAgent : public Application
{
  public:
    /// SIP transport.
    enum Transport
    {
        UDP, //!< SIP over UDP
        TCP  //!< SIP over TCP
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SipUserAgent();
    ~SipUserAgent() override;

    /**
     * Schedule an outgoing call.
     * \param target a user name ("bob": sip:bob@<Domain>, through the registrar/proxy) or a
     *        SIP URI ("sip:bob@198.51.100.7:5060": straight there unless a registrar is set,
     *        which is then the outbound proxy)
     * \param at absolute simulation time of the INVITE (earlier than now: now)
     * \param duration talk time: BYE this long after the answer (zero: never hang up)
     * \param cancelAfter CANCEL when not answered this long after the INVITE (zero: use
     *        NoAnswerTimeout)
     * \return the call's index (GetCall)
     * Throws ConfigError for an empty target or a negative duration.
     */
    uint32_t Call(const std::string& target, Time at, Time duration, Time cancelAfter = Seconds(0));

    /// Put call \p index on hold at absolute time \p at (re-INVITE with a=sendonly).
    void Hold(uint32_t index, Time at);
    /// Resume call \p index at absolute time \p at (re-INVITE with a=sendrecv).
    void Resume(uint32_t index, Time at);
    /// Hang up call \p index at absolute time \p at (BYE if established, CANCEL if ringing).
    void Hangup(uint32_t index, Time at);
    /// Send an OPTIONS request to \p target (as Call's target) at absolute time \p at.
    void SendOptions(const std::string& target, Time at);

    /**
     * Open the SIP port now (the application's start does it otherwise). Throws ConfigError
     * naming this phone when the port is in use, and then leaves nothing open. Lets a
     * scenario check its ports before Simulator::Run: an exception thrown out of an event
     * leaks that event inside the simulator.
     */
    void Open();

    /// \return the number of calls (outgoing scheduled and incoming received)
    uint32_t GetCallCount() const;
    /// \return call \p index (RTP counters as of now). Throws ConfigError when out of range
    SipCallRecord GetCall(uint32_t index) const;
    /// \return every call
    std::vector<SipCallRecord> GetCalls() const;
    /// \return true and the call with Call-ID \p callId in \p out, false when none
    bool FindCall(const std::string& callId, SipCallRecord& out) const;
    /// \return the registration state and counters
    SipRegistrationInfo GetRegistration() const;
    /// \return true while registered
    bool IsRegistered() const;
    /// \return our address-of-record, sip:<User>@<Domain>
    std::string GetAor() const;
    /// \return the address written into Via, Contact and SDP
    Ipv4Address GetContactAddress() const;
    /// \return responses received for OPTIONS requests sent with SendOptions (status codes)
    std::vector<uint32_t> GetOptionsResponses() const;
    /// \return the underlying transport
    Ptr<SipTransport> GetTransport() const;

    /**
     * Assign a fixed random variable stream number (branches, tags, Call-IDs, CSeq, RTP SSRCs).
     * \param stream first stream index
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * TracedCallback signature for SIP messages.
     * \param text the whole message
     * \param peer where it went to / came from
     * \param port the peer's port
     */
    typedef void (*MessageCallback)(const std::string& text, Ipv4Address peer, uint16_t port);

    /**
     * TracedCallback signature for call state changes.
     * \param index call index
     * \param callId Call-ID
     * \param from old state
     * \param to new state
     */
    typedef void (*CallStateCallback)(uint32_t index,
                                      const std::string& callId,
                                      SipCallState from,
                                      SipCallState to);

    /**
     * TracedCallback signature for registration changes.
     * \param state new state
     * \param reason failure reason ("" on success)
     */
    typedef void (*RegistrationCallback)(SipRegistrationState state, const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    /// A client transaction (RFC 3261 §17.1).
    struct ClientTx
    {
        std::string branch;                   //!< Via branch
        SipMethod method{SipMethod::UNKNOWN}; //!< request method
        std::string text;                     //!< request text
        Ipv4Address to;                       //!< destination
        uint16_t port{0};                     //!< destination port
        bool tcp{false};                      //!< over TCP
        Ptr<Socket> conn;                     //!< TCP connection
        int64_t call{-1};                     //!< call index, -1: none
        bool provisional{false};              //!< a 1xx arrived
        bool reinvite{false};                 //!< a re-INVITE (not the dialog-creating INVITE)
        Time interval;                        //!< current retransmission interval
        EventId retransmit;                   //!< timers A/E
        EventId timeout;                      //!< timers B/F
    };

    /// A server transaction (enough to answer retransmissions, RFC 3261 §17.2).
    struct ServerTx
    {
        std::string lastResponse; //!< text of the last response sent
        Ipv4Address to;           //!< where responses go
        uint16_t port{0};         //!< their port
        bool tcp{false};          //!< over TCP
        Ptr<Socket> conn;         //!< TCP connection
        EventId expire;           //!< forget it (64 x T1 after the final response)
    };

    /// One call and its dialog.
    struct CallData
    {
        SipCallRecord rec;                 //!< what is reported
        Time duration;                     //!< UAC talk time
        Time cancelAfter;                  //!< UAC no-answer limit
        std::string localTag;              //!< our tag
        std::string remoteTag;             //!< the peer's tag
        std::string localNameAddr;         //!< our From/To value without tag
        std::string remoteNameAddr;        //!< the peer's From/To value without tag
        std::string requestUri;            //!< initial INVITE's Request-URI
        std::vector<std::string> routeSet; //!< Route values for in-dialog requests
        uint32_t localCseq{0};             //!< last CSeq we used
        uint32_t remoteCseq{0};            //!< last CSeq the peer used
        uint32_t inviteCseq{0};            //!< CSeq of the current INVITE transaction
        std::string inviteBranch;          //!< branch of the INVITE we sent (CANCEL reuses it)
        std::string inviteVia;             //!< Via of the INVITE we sent
        Ipv4Address inviteTo;              //!< where the INVITE went
        uint16_t invitePort{0};            //!< its port
        bool inviteTcp{false};             //!< it went over TCP
        Ptr<Socket> inviteConn;            //!< its TCP connection
        bool cancelSent{false};            //!< UAC: CANCEL sent (or waiting for a 1xx)
        bool cancelPending{false};         //!< UAC: CANCEL waits for a provisional response
        bool byePending{false};            //!< UAC: hang up once the 200 arrives
        // UAS: the INVITE being answered
        std::string inviteRequest; //!< its text (responses are built from it)
        std::string serverKey;     //!< its server transaction key
        std::string serverBranch;  //!< its top Via branch (CANCEL matching)
        std::string lastAck;       //!< UAC: last ACK text (re-sent on a retransmitted final)
        Ipv4Address ackTo;         //!< where it went
        uint16_t ackPort{0};       //!< its port
        bool ackTcp{false};        //!< over TCP
        std::string final2xx;      //!< UAS: 200 text being retransmitted until the ACK
        Time final2xxInterval;     //!< its retransmission interval
        uint32_t sdpVersion{0};    //!< our o= version
        uint64_t sdpSessionId{0};  //!< our o= session id
        SdpDirection localDirection{SdpDirection::SENDRECV};    //!< what we offer/answer
        SdpDirection remoteDir{SdpDirection::SENDRECV};         //!< what the peer said
        SdpDirection prevDirection{SdpDirection::SENDRECV};     //!< before our re-INVITE
        SdpDirection answeredDirection{SdpDirection::SENDRECV}; //!< what our last SDP said
        bool reinviteOutstanding{false};                        //!< a re-INVITE of ours is pending
        bool offerInAck{false}; //!< UAS sent an offer in the 200 (late offer)
        Ptr<RtpStream> rtp;     //!< media
        EventId answerEvent;    //!< UAS: 200 after RingTime
        EventId hangupEvent;    //!< BYE after duration
        EventId cancelEvent;    //!< CANCEL after no answer
        EventId retransmit2xx;  //!< UAS: 200 retransmission
        EventId ackTimeout;     //!< UAS: no ACK after 64 x T1
    };

    void StartApplication() override;
    void StopApplication() override;

    // ---- registration
    void SendRegister();
    void RegisterResponse(const SipMessage& msg, const std::string& text);
    void RegisterTimeout();
    void SetRegState(SipRegistrationState s, const std::string& reason);

    // ---- calls (UAC)
    void StartCall(uint32_t index);
    void SendCancel(uint32_t index, const std::string& reason);
    void SendBye(uint32_t index, const std::string& reason);
    void SendReInvite(uint32_t index, SdpDirection dir);
    void SendAck(CallData& c, const std::string& sdp);
    void DoHangup(uint32_t index);
    void InviteResponse(CallData& c, const SipMessage& msg, const std::string& text, bool reinvite);
    void NoAnswer(uint32_t index);

    // ---- calls (UAS)
    void IncomingInvite(const SipMessage& msg, const std::string& text, const std::string& key);
    void Answer(uint32_t index);
    void Retransmit2xx(uint32_t index);
    void AckTimeout(uint32_t index);
    void HandleAck(const SipMessage& msg, const std::string& text);
    void HandleBye(const SipMessage& msg, const std::string& text, const std::string& key);
    void HandleCancel(const SipMessage& msg, const std::string& text, const std::string& key);
    void HandleReInvite(CallData& c,
                        const SipMessage& msg,
                        const std::string& text,
                        const std::string& key);

    // ---- transport and transactions
    void Receive(const std::string& text,
                 const SipMessage& msg,
                 Ipv4Address from,
                 uint16_t port,
                 Ptr<Socket> conn);
    void HandleRequest(const SipMessage& msg,
                       const std::string& text,
                       Ipv4Address from,
                       uint16_t port,
                       Ptr<Socket> conn);
    void HandleResponse(const SipMessage& msg, const std::string& text);
    /**
     * Send a request in a new client transaction (\p reinvite: a re-INVITE). The answer may
     * arrive, and end the transaction, before this returns (UDP on the same node).
     * \return the transaction key
     */
    std::string SendRequest(SipTextMessage req,
                            SipMethod method,
                            const std::string& branch,
                            Ipv4Address to,
                            uint16_t port,
                            bool tcp,
                            Ptr<Socket> conn,
                            int64_t call,
                            bool reinvite = false);
    void RetransmitRequest(std::string branch);
    void TransactionTimeout(std::string branch);
    void EndTransaction(const std::string& branch);
    /// Send a response to the request \p req (server transaction \p key). \return its text
    std::string SendResponse(const std::string& key,
                             const SipMessage& req,
                             const std::string& reqText,
                             uint32_t code,
                             const std::string& toTag,
                             const std::string& body,
                             const std::vector<std::pair<std::string, std::string>>& extra = {});
    /// \return the text of a response to \p req (SendResponse without the sending)
    std::string BuildResponse(const SipMessage& req,
                              const std::string& reqText,
                              uint32_t code,
                              const std::string& toTag,
                              const std::string& body,
                              const std::vector<std::pair<std::string, std::string>>& extra) const;
    /// Send response \p text (status \p code) in server transaction \p key and remember it.
    void SendResponseText(const std::string& key, const std::string& text, uint32_t code);
    /// Remember where responses to a request go. \return the transaction key
    std::string OpenServerTx(const SipMessage& msg,
                             const std::string& text,
                             Ipv4Address from,
                             uint16_t port,
                             Ptr<Socket> conn);
    /**
     * Send \p text (a copy: the send may deliver an answer that changes the transaction tables
     * the caller took it from). \p conn: the TCP connection to reuse when still open.
     * \return the TCP connection used (null for UDP)
     */
    Ptr<Socket> SendRaw(std::string text,
                        Ipv4Address to,
                        uint16_t port,
                        bool tcp,
                        Ptr<Socket> conn);
    /**
     * Send \p text in server transaction \p key (to its peer, on its connection), then record
     * the connection used. \return false when the transaction is gone (before or after the send)
     */
    bool SendInServerTx(const std::string& key, const std::string& text);
    /// Where a request to \p uri goes: (address, port, tcp). \p inDialog uses the URI host.
    bool Resolve(const std::string& uri,
                 bool inDialog,
                 Ipv4Address& to,
                 uint16_t& port,
                 bool& tcp) const;

    // ---- helpers
    std::string NewBranch();
    std::string NewTag();
    std::string NewCallId();
    std::string Via(const std::string& branch) const;
    std::string ContactValue() const;
    std::string Domain() const;
    std::string TargetUri(const std::string& target) const;
    std::string BuildSdp(CallData& c) const;
    bool ApplyRemoteSdp(CallData& c, const SipMessage& msg);
    void UpdateMedia(CallData& c);
    void OpenMedia(CallData& c);
    void EndCall(CallData& c, SipCallState s, const std::string& reason);
    void SetState(CallData& c, SipCallState s);
    SipTextMessage InDialogRequest(CallData& c,
                                   const std::string& method,
                                   uint32_t cseq,
                                   Ipv4Address& to,
                                   uint16_t& port,
                                   bool& tcp);
    int64_t FindCallIndex(const SipMessage& msg) const;
    void Snapshot(CallData& c) const;

    // Attributes
    Transport m_transport;        //!< UDP or TCP
    uint16_t m_localPort;         //!< SIP port
    std::string m_user;           //!< user part of the AOR
    std::string m_domain;         //!< host part of the AOR ("" = registrar address)
    std::string m_displayName;    //!< From display name
    Ipv4Address m_registrar;      //!< registrar / outbound proxy (0.0.0.0: none)
    uint16_t m_registrarPort;     //!< its port
    bool m_register;              //!< send REGISTER
    uint32_t m_registerExpires;   //!< requested expiry
    double m_refreshRatio;        //!< refresh after this fraction of the granted expiry
    Time m_registerRetry;         //!< retry after a failure
    Ipv4Address m_contactAddress; //!< written into Via/Contact/SDP (0: own address)
    uint16_t m_rtpPort;           //!< local RTP port of the first call
    bool m_sdpRtcpAttribute;      //!< write a=rtcp:
    bool m_autoAnswer;            //!< UAS answers
    Time m_ringTime;              //!< 180 to 200
    uint32_t m_answerCode;        //!< UAS final response (200, or e.g. 486 to reject)
    Time m_calleeHangup;          //!< UAS: BYE this long after the ACK (0 never)
    Time m_noAnswerTimeout;       //!< UAC: CANCEL after this
    Time m_t1;                    //!< RFC 3261 T1
    Time m_t2;                    //!< RFC 3261 T2
    bool m_rport;                 //!< ;rport in Via
    bool m_symmetricRtp;          //!< send RTP to where the peer's RTP comes from
    std::string m_userAgentName;  //!< User-Agent header

    // State
    Ptr<SipTransport> m_sip;                    //!< transport
    bool m_sipOpen{false};                      //!< m_sip is open (Open, until stopped)
    Ptr<UniformRandomVariable> m_rng;           //!< randomness
    Ipv4Address m_ownAddress;                   //!< resolved contact address
    std::deque<CallData> m_calls;               //!< calls by index (stable references)
    std::map<std::string, ClientTx> m_clientTx; //!< by branch + "|" + method
    std::map<std::string, ServerTx> m_serverTx; //!< by branch + method
    std::vector<std::pair<std::string, Time>> m_pendingOptions; //!< SendOptions before start
    std::vector<uint32_t> m_optionsResponses;                   //!< OPTIONS results
    bool m_running{false};                                      //!< between start and stop

    // Registration state
    SipRegistrationInfo m_reg; //!< reported
    std::string m_regCallId;   //!< Call-ID of every REGISTER
    std::string m_regTag;      //!< From tag of every REGISTER
    uint32_t m_regCseq{0};     //!< last REGISTER CSeq
    uint32_t m_regExpires{0};  //!< expiry asked in the current REGISTER
    std::string m_regBranch;   //!< current REGISTER transaction
    EventId m_regEvent;        //!< refresh or retry
    EventId m_regExpiry;       //!< binding end

    TracedCallback<const std::string&, Ipv4Address, uint16_t> m_txTrace; //!< SipTx
    TracedCallback<const std::string&, Ipv4Address, uint16_t> m_rxTrace; //!< SipRx
    TracedCallback<uint32_t, const std::string&, SipCallState, SipCallState>
        m_stateTrace;                                                    //!< CallStateChanged
    TracedCallback<SipRegistrationState, const std::string&> m_regTrace; //!< RegistrationChanged
};

} // namespace ns3

#endif // FORTIGATE_SIP_USER_AGENT_H
