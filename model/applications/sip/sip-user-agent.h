/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_USER_AGENT_H
#define FORTIGATE_SIP_USER_AGENT_H

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
 * An outgoing SIP message as text: start line, header fields in order, body. ToString() writes
 * `Name: value` lines with CRLF and a Content-Length equal to the body (any Content-Length
 * header set by hand is dropped). Used by SipUserAgent and SipRegistrar to build what they send;
 * parsing is SipMessage's job.
 */
class SipTextMessage
{
  public:
    /// \return a request `<method> <uri> SIP/2.0`
    static SipTextMessage Request(const std::string& method, const std::string& uri);
    /// \return a response `SIP/2.0 <code> <reason>` (reason empty: ReasonPhrase())
    static SipTextMessage Response(uint32_t code, const std::string& reason = "");
    /**
     * A copy of a parsed message: its start line, every header (compact names expanded, folded
     * values joined; each Via and Route value as a header field of its own so one can be
     * removed) and its body. Content-Length is dropped (ToString writes it).
     * \param msg the parsed message
     * \param data the bytes it was parsed from
     */
    static SipTextMessage FromParsed(const SipMessage& msg, const uint8_t* data);

    /// Replace the start line.
    void SetStartLine(const std::string& line);
    /// \return the start line
    const std::string& GetStartLine() const;
    /// Append a header field.
    void AddHeader(const std::string& name, const std::string& value);
    /// Insert a header field before every other one (a proxy's Via).
    void PrependHeader(const std::string& name, const std::string& value);
    /// Insert a header field before the first one named \p before (append if none).
    void InsertHeaderBefore(const std::string& before, const std::string& name,
                            const std::string& value);
    /// Set the first header named \p name (case-insensitive), or append it.
    void SetHeader(const std::string& name, const std::string& value);
    /// Remove every header named \p name. \return how many
    std::size_t RemoveHeaders(const std::string& name);
    /// Remove the first header named \p name. \return true when one was removed
    bool RemoveFirstHeader(const std::string& name);
    /// \return the value of the first header named \p name ("" when none)
    std::string GetHeader(const std::string& name) const;
    /// \return every header field in order
    const std::vector<std::pair<std::string, std::string>>& GetHeaders() const;
    /// Set the body and its Content-Type (empty type: no Content-Type header).
    void SetBody(const std::string& body, const std::string& contentType);
    /// \return the body
    const std::string& GetBody() const;
    /// \return the message text (Content-Length last among the headers)
    std::string ToString() const;

  private:
    std::string m_startLine;                                    //!< without CRLF
    std::vector<std::pair<std::string, std::string>> m_headers; //!< name, value
    std::string m_body;                                         //!< body bytes
};

/**
 * \ingroup fortigate
 * SIP transport for one node: a UDP socket and a TCP listener on one port, TCP connections
 * (accepted or opened, reused per remote address:port) with RFC 3261 §18.3 stream framing
 * (ParseSipMessage in stream mode: several messages in one segment are split, a message over
 * several segments is joined), and CRLF keep-alives skipped. Every complete message goes to the
 * receive callback with its exact text and where it came from.
 *
 * Used by SipUserAgent and SipRegistrar; over UDP everything is sent from the bound port (so a
 * NAT sees one mapping per peer).
 */
class SipTransport : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SipTransport();
    ~SipTransport() override;

    /**
     * A received message.
     * \param text the message bytes (keep-alive CRLFs removed)
     * \param msg the parsed message (spans are offsets in \p text)
     * \param from source address
     * \param port source port
     * \param conn the TCP connection it came on (null for UDP)
     */
    typedef Callback<void, const std::string&, const SipMessage&, Ipv4Address, uint16_t,
                     Ptr<Socket>>
        ReceiveCallback;

    /**
     * Open the UDP socket and/or TCP listener on \p port (any address).
     * Throws ConfigError naming \p owner when the port is in use.
     */
    void Open(Ptr<Node> node, uint16_t port, bool udp, bool tcp, ReceiveCallback cb,
              const std::string& owner);

    /**
     * Send a message.
     * \param text the message
     * \param to destination address
     * \param port destination port
     * \param tcp send over TCP (else UDP)
     * \param conn TCP: this connection when still open; else one to to:port (reused or opened)
     * \return the TCP connection used (null for UDP or when sending failed)
     */
    Ptr<Socket> Send(const std::string& text, Ipv4Address to, uint16_t port, bool tcp,
                     Ptr<Socket> conn = nullptr);

    /// \return the open TCP connection to \p to:\p port, or null
    Ptr<Socket> FindConnection(Ipv4Address to, uint16_t port) const;
    /// \return an open TCP connection whose remote address is \p to (any port), or null
    Ptr<Socket> FindConnectionTo(Ipv4Address to) const;
    /// \return true while \p conn is an open connection of this transport
    bool IsConnected(Ptr<Socket> conn) const;
    /// \return the remote address:port of \p conn (zero when unknown)
    std::pair<Ipv4Address, uint16_t> GetRemote(Ptr<Socket> conn) const;
    /// Close every socket.
    void Close();
    /// \return datagrams or stream bytes that could not be framed as SIP
    uint64_t GetFramingErrors() const;
    /// \return TCP connections opened or accepted so far
    uint32_t GetConnectionCount() const;

  protected:
    void DoDispose() override;

  private:
    /// One TCP connection.
    struct Conn
    {
        Ipv4Address remote;    //!< peer address
        uint16_t port{0};      //!< peer port
        bool connected{false}; //!< established
        std::string rx;        //!< bytes not yet framed
        std::string tx;        //!< bytes waiting for room or for the connection
    };

    void HandleUdp(Ptr<Socket> s);
    bool HandleAcceptRequest(Ptr<Socket> s, const Address& from);
    void HandleAccept(Ptr<Socket> s, const Address& from);
    void HandleConnected(Ptr<Socket> s);
    void HandleConnectFailed(Ptr<Socket> s);
    void HandleTcpRead(Ptr<Socket> s);
    void HandleSend(Ptr<Socket> s, uint32_t available);
    void HandleClosed(Ptr<Socket> s);
    void Attach(Ptr<Socket> s);
    void Flush(Ptr<Socket> s);
    void Deliver(const std::string& text, bool stream, Ipv4Address from, uint16_t port,
                 Ptr<Socket> conn);

    Ptr<Node> m_node;                    //!< owner node
    uint16_t m_port{0};                  //!< bound port
    Ptr<Socket> m_udp;                   //!< UDP socket
    Ptr<Socket> m_listener;              //!< TCP listener
    std::map<Ptr<Socket>, Conn> m_conns; //!< TCP connections
    ReceiveCallback m_cb;                //!< receiver
    uint64_t m_framingErrors{0};         //!< unframeable input
    uint32_t m_connectionCount{0};       //!< connections made
    uint32_t m_maxMessage{65536};        //!< largest accepted header section
};

/// \ingroup fortigate
/// State of a call in SipUserAgent (UAC and UAS).
enum SipCallState
{
    SIP_CALL_IDLE,        //!< scheduled, INVITE not sent yet
    SIP_CALL_CALLING,     //!< UAC: INVITE sent, no response yet
    SIP_CALL_PROCEEDING,  //!< UAC: 100 received; UAS: INVITE received, 100 sent
    SIP_CALL_RINGING,     //!< 180/183 received (UAC) or sent (UAS)
    SIP_CALL_ANSWERED,    //!< UAS: 200 sent, waiting for the ACK
    SIP_CALL_CONFIRMED,   //!< ACK sent (UAC) or received (UAS): media flows
    SIP_CALL_TERMINATING, //!< BYE sent, waiting for its response
    SIP_CALL_TERMINATED,  //!< ended after being established (BYE)
    SIP_CALL_CANCELLED,   //!< ended before answer by CANCEL (487)
    SIP_CALL_FAILED       //!< ended before answer otherwise (error response, timeout)
};

/// \return "idle", "calling", "proceeding", "ringing", "answered", "confirmed",
///         "terminating", "terminated", "cancelled", "failed"
const char* SipCallStateName(SipCallState s);

/// \ingroup fortigate
/// Whether audio flowed, seen from one end of a call.
enum SipAudioVerdict
{
    SIP_AUDIO_NOT_CONNECTED, //!< the call never reached the answered state
    SIP_AUDIO_NONE,          //!< answered, but no media either way
    SIP_AUDIO_TWO_WAY,       //!< both ways
    SIP_AUDIO_ONE_WAY_IN,    //!< only the peer's audio arrives here (the peer hears nothing)
    SIP_AUDIO_ONE_WAY_OUT    //!< only our audio reaches the peer (we hear nothing)
};

/// \return "not connected", "none", "two-way", "one-way (peer->local only)",
///         "one-way (local->peer only)"
const char* SipAudioVerdictName(SipAudioVerdict v);

/**
 * \ingroup fortigate
 * Everything one SipUserAgent knows about one call. Times are zero when the event did not
 * happen.
 */
struct SipCallRecord
{
    uint32_t index{0};                 //!< index in the user agent's call list
    bool outgoing{true};               //!< this end sent the INVITE
    std::string target;                //!< UAC: the Call() target as given
    std::string callId;                //!< Call-ID ("" until the INVITE)
    std::string localUri;              //!< our AOR (From for UAC, To for UAS)
    std::string remoteUri;             //!< the peer's URI (To for UAC, From for UAS)
    std::string remoteContact;         //!< the peer's Contact URI (remote target)
    SipCallState state{SIP_CALL_IDLE}; //!< current state

    Time scheduled;          //!< UAC: when Call() asked the INVITE to go out
    Time inviteSent;         //!< UAC: first INVITE transmission; UAS: INVITE arrival
    Time firstResponse;      //!< UAC: first response of any kind
    Time ringing;            //!< 180/183 received (UAC) or sent (UAS)
    Time answered;           //!< UAC: 200 received; UAS: 200 sent
    Time confirmed;          //!< ACK sent (UAC) or received (UAS)
    Time ended;              //!< BYE sent/received, CANCEL, failure
    uint32_t finalStatus{0}; //!< final response code of the INVITE (0 when none)
    std::string endReason;   //!< e.g. "BYE sent", "BYE received", "cancelled", "486 Busy Here"
    uint32_t inviteTransmissions{0}; //!< UAC: INVITE copies sent (1 + retransmissions)
    uint32_t reInvites{0};           //!< re-INVITEs completed (sent or received)
    bool onHold{false};              //!< our last offer/answer put the media on hold

    Ipv4Address localMediaAddress;  //!< c= we wrote
    uint16_t localRtpPort{0};       //!< m= port we wrote (the RtpStream's local port)
    Ipv4Address remoteMediaAddress; //!< c= the peer wrote (as received)
    uint16_t remoteRtpPort{0};      //!< m= port the peer wrote
    uint16_t remoteRtcpPort{0};     //!< RTCP port of the peer (a=rtcp or m= + 1)
    std::string remoteDirection;    //!< the peer's last media direction ("sendrecv", ...)

    RtpStreamStats rtp; //!< the call's RTP counters (live while the call runs)

    /// \return answered - inviteSent for an answered outgoing call, zero otherwise
    Time SetupDelay() const;
    /// \return true once the call was answered
    bool WasAnswered() const;
    /// \return RTP packets this end sent
    uint64_t PacketsSent() const;
    /// \return RTP packets this end received
    uint64_t PacketsReceived() const;
    /**
     * The verdict from this end only: we heard the peer when RTP arrived; the peer heard us
     * when its RTCP report block about our SSRC says so (RTCP from the peer that never arrives
     * counts as "the peer heard nothing"). With both ends in the simulation, prefer
     * SipCombinedVerdict().
     */
    SipAudioVerdict Verdict() const;
    /// \return one line: target, state, setup delay, packets each way, verdict
    std::string Summary() const;
};

/**
 * \ingroup fortigate
 * The verdict of a call from both ends' records, seen from \p a: audio a->b flowed when b
 * received RTP, b->a when a received RTP.
 * \return SIP_AUDIO_NOT_CONNECTED unless both records were answered
 */
SipAudioVerdict SipCombinedVerdict(const SipCallRecord& a, const SipCallRecord& b);

/// \ingroup fortigate
/// Registration state of a SipUserAgent.
enum SipRegistrationState
{
    SIP_REG_NONE,        //!< not registering (no registrar or Register false)
    SIP_REG_REGISTERING, //!< first REGISTER sent, no final response yet
    SIP_REG_REGISTERED,  //!< a 200 OK arrived and the binding has not expired
    SIP_REG_FAILED       //!< the last REGISTER failed (error response or timeout)
};

/// \return "none", "registering", "registered", "failed"
const char* SipRegistrationStateName(SipRegistrationState s);

/**
 * \ingroup fortigate
 * What a SipUserAgent knows about its registration.
 */
struct SipRegistrationInfo
{
    SipRegistrationState state{SIP_REG_NONE}; //!< current state
    Time firstRequest;                        //!< first REGISTER sent
    Time firstSuccess;                        //!< first 200 OK
    Time lastSuccess;                         //!< last 200 OK
    Time registrationDelay;                   //!< first REGISTER to first 200 OK
    Time expiresAt;                //!< when the current binding ends (lastSuccess + granted)
    uint32_t grantedExpires{0};    //!< expiry the registrar granted (seconds)
    uint32_t requests{0};          //!< REGISTER transactions started (first + refreshes + retries)
    uint32_t transmissions{0};     //!< REGISTER copies sent (with retransmissions)
    uint32_t successes{0};         //!< 200 OK responses
    uint32_t failures{0};          //!< failed transactions
    std::string lastFailure;       //!< e.g. "timeout (no response to REGISTER)", "403 Forbidden"
    std::string registeredContact; //!< the Contact the registrar echoed in its last 200
};

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
    typedef void (*CallStateCallback)(uint32_t index, const std::string& callId, SipCallState from,
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
    void HandleReInvite(CallData& c, const SipMessage& msg, const std::string& text,
                        const std::string& key);

    // ---- transport and transactions
    void Receive(const std::string& text, const SipMessage& msg, Ipv4Address from, uint16_t port,
                 Ptr<Socket> conn);
    void HandleRequest(const SipMessage& msg, const std::string& text, Ipv4Address from,
                       uint16_t port, Ptr<Socket> conn);
    void HandleResponse(const SipMessage& msg, const std::string& text);
    /**
     * Send a request in a new client transaction (\p reinvite: a re-INVITE). The answer may
     * arrive, and end the transaction, before this returns (UDP on the same node).
     * \return the transaction key
     */
    std::string SendRequest(SipTextMessage req, SipMethod method, const std::string& branch,
                            Ipv4Address to, uint16_t port, bool tcp, Ptr<Socket> conn,
                            int64_t call, bool reinvite = false);
    void RetransmitRequest(std::string branch);
    void TransactionTimeout(std::string branch);
    void EndTransaction(const std::string& branch);
    /// Send a response to the request \p req (server transaction \p key). \return its text
    std::string SendResponse(const std::string& key, const SipMessage& req,
                             const std::string& reqText, uint32_t code, const std::string& toTag,
                             const std::string& body,
                             const std::vector<std::pair<std::string, std::string>>& extra = {});
    /// Remember where responses to a request go. \return the transaction key
    std::string OpenServerTx(const SipMessage& msg, const std::string& text, Ipv4Address from,
                             uint16_t port, Ptr<Socket> conn);
    /**
     * Send \p text (a copy: the send may deliver an answer that changes the transaction tables
     * the caller took it from). \p conn: the TCP connection to reuse when still open.
     * \return the TCP connection used (null for UDP)
     */
    Ptr<Socket> SendRaw(std::string text, Ipv4Address to, uint16_t port, bool tcp,
                        Ptr<Socket> conn);
    /**
     * Send \p text in server transaction \p key (to its peer, on its connection), then record
     * the connection used. \return false when the transaction is gone (before or after the send)
     */
    bool SendInServerTx(const std::string& key, const std::string& text);
    /// Where a request to \p uri goes: (address, port, tcp). \p inDialog uses the URI host.
    bool Resolve(const std::string& uri, bool inDialog, Ipv4Address& to, uint16_t& port,
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
    SipTextMessage InDialogRequest(CallData& c, const std::string& method, uint32_t cseq,
                                   Ipv4Address& to, uint16_t& port, bool& tcp);
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
