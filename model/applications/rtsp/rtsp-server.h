/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RTSP_SERVER_H
#define FORTIGATE_RTSP_SERVER_H

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

struct RtspMessage;

/**
 * \ingroup fortigate
 * An RTSP/1.0 media server (RFC 2326) with one presentation of one RTP track, streamed over
 * UDP unicast.
 *
 * Listens on TCP Port and answers, with the request's CSeq:
 * - OPTIONS: 200 with `Public:`;
 * - DESCRIBE: 200 with an SDP body (`application/sdp`, `Content-Base`, one `m=` line of
 *   payload type PayloadType and `a=control:trackID=0`);
 * - SETUP: needs `RTP/AVP[/UDP];unicast;client_port=lo-hi` (else 461); creates the RTSP session
 *   (a random id; a SETUP with an unknown Session is 454), takes the next server port pair
 *   from ServerPort upwards, and answers `Transport: RTP/AVP/UDP;unicast;client_port=..;
 *   server_port=..;ssrc=..;mode=play` and `Session: <id>;timeout=60`;
 * - PLAY: starts the RTP stream (one packet of PayloadSize bytes + 12-byte RTP header every
 *   PacketInterval for StreamDuration) from server_port to the client's client_port at the
 *   address the control connection comes from (the `destination=` a client names is not
 *   trusted), plus an RTCP sender report every RtcpInterval from server_port + 1;
 * - PAUSE: stops the stream; TEARDOWN: stops it and ends the RTSP session; GET_PARAMETER and
 *   SET_PARAMETER: 200 (keep-alive);
 * - any other method: 501; a malformed message: 400, then the connection is closed.
 */
class RtspServer : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();

    RtspServer();
    ~RtspServer() override;

    /// \return requests answered
    uint32_t GetRequests() const;
    /// \return replies with a status >= 400
    uint32_t GetErrorReplies() const;
    /// \return RTSP sessions created by SETUP
    uint32_t GetSessionsCreated() const;
    /// \return RTP packets sent
    uint64_t GetRtpPacketsSent() const;
    /// \return RTP payload + header bytes sent
    uint64_t GetRtpBytesSent() const;
    /// \return RTCP sender reports sent
    uint64_t GetRtcpPacketsSent() const;
    /// \return RTCP packets received on server ports
    uint64_t GetRtcpPacketsReceived() const;
    /// \return the Transport header of the last SETUP as the server received it
    std::string GetLastSetupTransport() const;
    /// \return streams currently playing
    uint32_t GetActiveStreams() const;

    /**
     * Assign a fixed random variable stream number (session ids, SSRC, initial sequence
     * numbers). \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * TracedCallback signature of a request.
     * \param method the request method
     * \param message the whole message text
     */
    typedef void (*RequestCallback)(const std::string& method, const std::string& message);

  protected:
    void DoDispose() override;

  private:
    /// One control connection.
    struct Connection
    {
        Ptr<Socket> socket; //!< the connection
        Ipv4Address peer;   //!< where it comes from
        std::string rx;     //!< bytes not yet parsed
    };

    /// One RTSP session (one track).
    struct MediaSession
    {
        std::string id;         //!< Session id
        uint32_t connection{0}; //!< control connection it was set up on
        Ipv4Address client;     //!< media destination
        uint16_t clientRtp{0};  //!< client RTP port
        uint16_t clientRtcp{0}; //!< client RTCP port
        uint16_t serverRtp{0};  //!< server RTP port
        Ptr<Socket> rtp;        //!< RTP socket (bound to serverRtp)
        Ptr<Socket> rtcp;       //!< RTCP socket (bound to serverRtp + 1)
        uint32_t ssrc{0};       //!< SSRC
        uint16_t seq{0};        //!< next RTP sequence number
        uint32_t timestamp{0};  //!< next RTP timestamp
        uint32_t packets{0};    //!< RTP packets sent
        uint32_t octets{0};     //!< RTP payload octets sent
        bool playing{false};    //!< streaming
        Time playEnd;           //!< when the stream ends
        EventId sendEvent;      //!< next RTP packet
        EventId rtcpEvent;      //!< next sender report
    };

    void StartApplication() override;
    void StopApplication() override;

    void HandleAccept(Ptr<Socket> socket, const Address& from);
    void HandleRead(uint32_t id, Ptr<Socket> socket);
    void HandleClose(uint32_t id, Ptr<Socket> socket);
    void HandleRequest(uint32_t id, const RtspMessage& msg, const std::string& text);
    void Reply(uint32_t id,
               uint16_t code,
               uint32_t cseq,
               const std::vector<std::pair<std::string, std::string>>& headers,
               const std::string& body = "");
    void CloseConnection(uint32_t id);
    void SendRtp(std::string session);
    void SendRtcp(std::string session);
    void StopStream(MediaSession& m);
    void EndSession(const std::string& session);
    void HandleRtcpRead(Ptr<Socket> socket);
    std::string Sdp(const std::string& hostAddress) const;

    uint16_t m_port;        //!< RTSP port
    uint16_t m_serverPort;  //!< first server RTP port
    Time m_interval;        //!< RTP packet interval
    uint32_t m_payloadSize; //!< RTP payload bytes
    Time m_duration;        //!< stream duration
    Time m_rtcpInterval;    //!< RTCP SR interval (0 = none)
    uint8_t m_payloadType;  //!< RTP payload type
    uint32_t m_clockRate;   //!< RTP clock rate
    std::string m_path;     //!< presentation path ("/media")
    bool m_announceSource;  //!< source= in the SETUP reply

    Ptr<Socket> m_listen;                         //!< listening socket
    std::map<uint32_t, Connection> m_connections; //!< by id
    uint32_t m_nextConnection{1};                 //!< next connection id
    std::map<std::string, MediaSession> m_media;  //!< by Session id
    uint16_t m_nextServerPort{0};                 //!< next server port pair
    Ptr<UniformRandomVariable> m_rng;             //!< ids, SSRC, sequence numbers

    uint32_t m_requests{0};        //!< requests answered
    uint32_t m_errors{0};          //!< replies >= 400
    uint32_t m_sessionsCreated{0}; //!< SETUPs that created a session
    uint64_t m_rtpPackets{0};      //!< RTP packets sent
    uint64_t m_rtpBytes{0};        //!< RTP bytes sent
    uint64_t m_rtcpSent{0};        //!< RTCP SR sent
    uint64_t m_rtcpReceived{0};    //!< RTCP received
    std::string m_lastTransport;   //!< last SETUP Transport as received

    TracedCallback<const std::string&, const std::string&> m_requestTrace; //!< Request
    TracedCallback<Ptr<const Packet>> m_rtpTxTrace;                        //!< RtpTx
};

} // namespace ns3

#endif // FORTIGATE_RTSP_SERVER_H
