/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RTSP_CLIENT_H
#define FORTIGATE_RTSP_CLIENT_H

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

struct RtspMessage;

/**
 * \ingroup fortigate
 * An RTSP/1.0 player (RFC 2326) that plays one presentation once per start.
 *
 * Sequence: connect to RemoteAddress:RemotePort, OPTIONS, DESCRIBE (the SDP's first media
 * `a=control:` gives the track URL), SETUP of that track with
 * `Transport: RTP/AVP;unicast;client_port=<ClientPort>-<ClientPort+1>` (UDP sockets bound to
 * both ports first), PLAY with the Session of the SETUP reply, then after PlayDuration
 * TEARDOWN (when Teardown is true) and the connection is closed. With Play false the PLAY is
 * skipped (SETUP, wait PlayDuration, TEARDOWN). Every request carries CSeq (1, 2, ...) and,
 * after SETUP, Session.
 *
 * The RTP socket counts RTP packets (version 2, at least 12 bytes) and bytes and derives the
 * loss from the sequence numbers; the RTCP socket counts RTCP packets. The stream "carried
 * data" when at least one RTP packet arrived (HasReceivedMedia()).
 *
 * Failure reasons: "connection refused", "connection closed", "timeout waiting for <METHOD>
 * reply", "<METHOD> reply <code>", "bad reply", "cannot bind client_port <n>".
 */
class RtspClient : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();

    RtspClient();
    ~RtspClient() override;

    /// \return true when the sequence finished (TEARDOWN answered, or the connection closed
    ///         after PlayDuration when Teardown is false)
    bool IsCompleted() const;
    /// \return true when it failed
    bool IsFailed() const;
    /// \return why it failed ("" when it did not)
    std::string GetFailureReason() const;
    /// \return RTP packets received
    uint64_t GetRtpPackets() const;
    /// \return RTP bytes received (headers included)
    uint64_t GetRtpBytes() const;
    /// \return RTP packets missing by sequence number (expected - received, >= 0)
    uint64_t GetRtpLost() const;
    /// \return RTCP packets received
    uint64_t GetRtcpPackets() const;
    /// \return true when at least one RTP packet arrived
    bool HasReceivedMedia() const;
    /// \return when the first RTP packet arrived (zero when none)
    Time GetFirstRtpTime() const;
    /// \return time from the start to the PLAY reply (zero when none)
    Time GetSetupDelay() const;
    /// \return the Session id of the SETUP reply
    std::string GetSessionId() const;
    /// \return the Transport header of the SETUP reply as received
    std::string GetReplyTransport() const;
    /// \return the server_port range's first port of the SETUP reply (0 when none)
    uint16_t GetServerPort() const;
    /// \return the SDP body of the DESCRIBE reply
    std::string GetSdp() const;
    /// \return the address the RTP packets came from (the first one)
    Ipv4Address GetMediaSource() const;
    /// \return "ok ..." or "failed: <reason> ..." with the counters
    std::string GetSummary() const;

    /**
     * TracedCallback signature of a reply.
     * \param method the request it answers
     * \param code its status code
     */
    typedef void (*ReplyCallback)(const std::string& method, uint16_t code);

  protected:
    void DoDispose() override;

  private:
    /// Dialogue state.
    enum State
    {
        ST_IDLE,
        ST_CONNECT,
        ST_OPTIONS,
        ST_DESCRIBE,
        ST_SETUP,
        ST_PLAY,
        ST_WATCH,
        ST_TEARDOWN,
        ST_DONE,
    };

    void StartApplication() override;
    void StopApplication() override;

    void HandleConnected(Ptr<Socket> socket);
    void HandleConnectFailed(Ptr<Socket> socket);
    void HandleRead(Ptr<Socket> socket);
    void HandleClose(Ptr<Socket> socket);
    void HandleReply(const RtspMessage& msg, const std::string& text);
    void HandleRtp(Ptr<Socket> socket);
    void HandleRtcp(Ptr<Socket> socket);
    void SendRequest(const std::string& method,
                     const std::string& uri,
                     const std::vector<std::pair<std::string, std::string>>& headers = {});
    void EndWatching();
    void HandleTimeout();
    void Finish(const std::string& reason);
    void CloseAll();
    std::string BaseUrl() const;

    Ipv4Address m_remote;  //!< server address
    uint16_t m_remotePort; //!< server port
    std::string m_path;    //!< presentation path
    uint16_t m_clientPort; //!< RTP port (RTCP = +1)
    Time m_playDuration;   //!< how long to watch
    bool m_teardown;       //!< send TEARDOWN at the end
    bool m_play;           //!< send PLAY
    Time m_timeout;        //!< longest wait for a reply

    State m_state{ST_IDLE};   //!< dialogue state
    Ptr<Socket> m_control;    //!< control connection
    Ptr<Socket> m_rtp;        //!< RTP socket
    Ptr<Socket> m_rtcp;       //!< RTCP socket
    std::string m_rx;         //!< unparsed reply bytes
    uint32_t m_cseq{0};       //!< last CSeq sent
    std::string m_pending;    //!< method awaiting its reply
    std::string m_trackUrl;   //!< URL of the track to SETUP
    std::string m_session;    //!< Session id
    std::string m_transport;  //!< SETUP reply Transport
    uint16_t m_serverPort{0}; //!< server_port lo
    std::string m_sdp;        //!< DESCRIBE body
    EventId m_timer;          //!< reply timeout
    EventId m_watchEvent;     //!< end of PlayDuration
    Time m_start;             //!< StartApplication time
    Time m_setupDelay;        //!< start -> PLAY reply
    bool m_completed{false};  //!< success
    bool m_failed{false};     //!< failure
    std::string m_reason;     //!< failure reason

    uint64_t m_rtpPackets{0};  //!< RTP packets received
    uint64_t m_rtpBytes{0};    //!< RTP bytes received
    uint64_t m_rtcpPackets{0}; //!< RTCP packets received
    uint32_t m_highestSeq{0};  //!< extended highest sequence number
    uint32_t m_firstSeq{0};    //!< first sequence number
    Time m_firstRtp;           //!< first RTP arrival
    Ipv4Address m_mediaSource; //!< first RTP source

    TracedCallback<const std::string&, uint16_t> m_replyTrace;      //!< Reply
    TracedCallback<Ptr<const Packet>, const Address&> m_rtpRxTrace; //!< RtpRx
};

} // namespace ns3

#endif // FORTIGATE_RTSP_CLIENT_H
