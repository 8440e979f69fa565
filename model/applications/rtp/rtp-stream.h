/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RTP_STREAM_H
#define FORTIGATE_RTP_STREAM_H

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * One source address:port that RTP (or RTCP) packets came from, with its count.
 */
struct RtpSource
{
    Ipv4Address address; //!< source address as seen by the receiver (after any NAT)
    uint16_t port{0};    //!< source port as seen by the receiver
    uint64_t packets{0}; //!< packets from this source
};

/**
 * \ingroup fortigate
 * What an RtpStream sent and received (RFC 3550 counters plus where the media came from).
 */
struct RtpStreamStats
{
    uint64_t packetsSent{0};     //!< RTP packets sent
    uint64_t bytesSent{0};       //!< RTP payload bytes sent (RFC 3550 "sender's octet count")
    uint64_t rtcpSent{0};        //!< RTCP compound packets sent
    uint64_t packetsReceived{0}; //!< RTP packets received (any SSRC, valid version 2 header)
    uint64_t bytesReceived{0};   //!< RTP payload bytes received
    uint64_t invalidReceived{0}; //!< datagrams on the RTP port that were not RTP v2
    uint64_t duplicates{0};      //!< packets whose sequence number was already seen (main SSRC)
    uint64_t reordered{0};       //!< packets older than the highest sequence seen (main SSRC)
    /// Lost packets of the main (first seen) SSRC: expected (highest - first + 1) minus received.
    int64_t lost{0};
    uint32_t ssrcCount{0};          //!< distinct SSRCs received
    uint32_t remoteSsrc{0};         //!< the first SSRC received (the "main" one)
    double jitter{0};               //!< RFC 3550 interarrival jitter of the main SSRC, in seconds
    Time firstRx;                   //!< arrival of the first RTP packet (zero if none)
    Time lastRx;                    //!< arrival of the last RTP packet (zero if none)
    std::vector<RtpSource> sources; //!< where RTP came from, in order of first arrival
    uint64_t rtcpReceived{0};       //!< RTCP compound packets received
    std::vector<RtpSource> rtcpSources; //!< where RTCP came from
    /// From the peer's RTCP report block about our SSRC: packets of ours the peer received
    /// (highest sequence - our first sequence + 1 - cumulative lost). -1: no RTCP from the
    /// peer yet; 0: the peer's RTCP arrived but reports nothing (or nothing) of ours.
    int64_t peerReportedReceived{-1};
    Time peerReportTime; //!< arrival of the last RTCP packet from the peer
};

/**
 * \ingroup fortigate
 * An RTP stream with RTCP, G.711 timing by default: one packet of PayloadSize (160) bytes with
 * payload type 0 (PCMU) every Interval (20 ms), RTP timestamp advancing by 8000 Hz x Interval
 * (160 per packet), sequence number and SSRC random at start (RFC 3550 §5.1).
 *
 * Media is symmetric: the stream sends from the port it receives on (LocalPort) and RTCP from
 * LocalPort + 1, as phones do, so a NAT keeps one mapping per direction pair.
 *
 * RTCP (RFC 3550 §6): while sending, a compound SR + SDES(CNAME) packet goes to the remote
 * RTCP port (RemoteRtcpPort, or RemotePort + 1 when 0) first after RtcpInterval / 2 and then
 * every RtcpInterval (5 s); when nothing is being sent, an RR. Report blocks describe the
 * main received SSRC. Stopping sends an RTCP BYE. Received RTCP is counted, and a peer's report
 * block about our SSRC tells how many of our packets reached it
 * (RtpStreamStats::peerReportedReceived).
 *
 * With Latching (symmetric RTP, "comedia"), the first RTP packet received moves the remote
 * RTP address:port to its source (and RTCP to the source + 1), as NAT-aware servers do.
 *
 * Two ways to use it:
 * - as an Application (RtpStreamHelper): StartApplication opens the sockets and starts sending
 *   to RemoteAddress:RemotePort; StopApplication stops and closes;
 * - driven by an owner (SipUserAgent): SetNode(), then Open() (receive), SetRemote(),
 *   StartSending() / StopSending(), Close(); the owner never adds it to the node.
 */
class RtpStream : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RtpStream();
    ~RtpStream() override;

    /**
     * Bind the RTP socket to LocalPort and the RTCP socket to LocalPort + 1 on any address, and
     * start counting what arrives. Idempotent. Throws ConfigError when the node is not set or a
     * port is in use.
     */
    void Open();

    /**
     * Where to send media.
     * \param address remote media address (SDP c=)
     * \param rtpPort remote RTP port (SDP m=)
     * \param rtcpPort remote RTCP port (SDP a=rtcp:), 0 for rtpPort + 1
     */
    void SetRemote(Ipv4Address address, uint16_t rtpPort, uint16_t rtcpPort = 0);

    /// Start sending RTP (and RTCP) to the remote; opens the sockets if needed. Idempotent.
    void StartSending();

    /// Stop sending RTP (an RTCP BYE goes out if RTCP was running). Receiving continues.
    void StopSending();

    /// Stop sending and close both sockets; counters stay readable.
    void Close();

    /**
     * Draw SSRC, initial sequence number and timestamp from \p rng instead of the stream's
     * own random variable (an owner with AssignStreams keeps its runs reproducible).
     */
    void SetRandom(Ptr<UniformRandomVariable> rng);

    /// \return true while RTP is being sent
    bool IsSending() const;
    /// \return true while the sockets are open
    bool IsOpen() const;
    /// \return true once at least one RTP packet arrived
    bool MediaReceived() const;
    /// \return the counters
    const RtpStreamStats& GetStats() const;
    /// \return the local RTP port
    uint16_t GetLocalPort() const;
    /// \return our SSRC
    uint32_t GetSsrc() const;
    /// \return the remote media address set by SetRemote / RemoteAddress
    Ipv4Address GetRemoteAddress() const;
    /// \return the remote RTP port
    uint16_t GetRemotePort() const;
    /// \return one line of counters: sent, received, from where, lost, first/last arrival
    std::string GetSummary() const;

    /**
     * Assign a fixed random variable stream number (SSRC, initial sequence and timestamp).
     * \param stream first stream index
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * TracedCallback signature of a received RTP packet.
     * \param seq sequence number
     * \param ssrc synchronisation source
     * \param from source address
     * \param port source port
     */
    typedef void (*RxCallback)(uint16_t seq, uint32_t ssrc, Ipv4Address from, uint16_t port);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// Send one RTP packet and schedule the next.
    void SendRtp();
    /// Send one RTCP compound packet (SR or RR, SDES, optionally BYE).
    void SendRtcp(bool bye);
    /// Periodic RTCP.
    void RtcpTimer();
    /// RTP socket readable.
    void HandleRtp(Ptr<Socket> socket);
    /// RTCP socket readable.
    void HandleRtcp(Ptr<Socket> socket);
    /// Parse a received RTCP compound packet.
    void ParseRtcp(const uint8_t* data, uint32_t size);
    /// Count a source in \p list.
    static void CountSource(std::vector<RtpSource>& list, Ipv4Address a, uint16_t port);
    /// RTCP destination port.
    uint16_t RemoteRtcp() const;

    // Attributes
    uint16_t m_localPort;             //!< RTP port (RTCP = +1)
    Ipv4Address m_remote;             //!< remote media address
    uint16_t m_remotePort;            //!< remote RTP port
    uint16_t m_remoteRtcp;            //!< remote RTCP port (0: remote RTP + 1)
    uint8_t m_payloadType;            //!< RTP payload type (0 = PCMU)
    uint32_t m_payloadSize;           //!< payload bytes per packet
    Time m_interval;                  //!< packetisation interval
    uint32_t m_clockRate;             //!< RTP clock rate (8000 for G.711)
    bool m_rtcpEnabled;               //!< send RTCP
    Time m_rtcpInterval;              //!< RTCP report interval
    std::string m_cname;              //!< SDES CNAME (empty: "ns3@<node id>")
    bool m_latching;                  //!< send to where the peer's RTP comes from (symmetric RTP)
    bool m_latched{false};            //!< the remote was moved to the first RTP source
    Ptr<UniformRandomVariable> m_rng; //!< SSRC, initial seq and timestamp

    // Sockets and timers
    Ptr<Socket> m_rtpSocket;  //!< RTP, bound to LocalPort
    Ptr<Socket> m_rtcpSocket; //!< RTCP, bound to LocalPort + 1
    EventId m_sendEvent;      //!< next RTP packet
    EventId m_rtcpEvent;      //!< next RTCP report
    bool m_sending{false};    //!< sending RTP

    // Sender state
    uint32_t m_ssrc{0};       //!< our SSRC
    uint16_t m_seq{0};        //!< next sequence number
    uint16_t m_firstSeq{0};   //!< first sequence number sent
    bool m_sentAny{false};    //!< at least one packet sent (m_firstSeq valid)
    uint32_t m_timestamp{0};  //!< next RTP timestamp
    bool m_ssrcChosen{false}; //!< SSRC/seq/timestamp drawn

    // Receiver state of the main SSRC (RFC 3550 A.1)
    bool m_rxStarted{false};       //!< main SSRC seen
    uint16_t m_maxSeq{0};          //!< highest sequence seen
    uint32_t m_cycles{0};          //!< sequence wrap count << 16
    uint32_t m_baseSeq{0};         //!< first sequence seen
    uint64_t m_mainReceived{0};    //!< packets of the main SSRC
    std::vector<uint32_t> m_ssrcs; //!< distinct SSRCs received
    std::vector<bool> m_seen;      //!< window of received extended sequence numbers (duplicates)
    Time m_lastArrival;            //!< arrival of the previous packet (jitter)
    uint32_t m_lastTs{0};          //!< its RTP timestamp
    bool m_haveTransit{false};     //!< m_lastArrival valid
    uint32_t m_lastSrNtpMiddle{0}; //!< middle 32 bits of the last SR's NTP timestamp (LSR)
    Time m_lastSrArrival;          //!< when the last SR arrived (DLSR)
    uint32_t m_expectedPrior{0};   //!< for the fraction lost
    uint64_t m_receivedPrior{0};   //!< for the fraction lost

    RtpStreamStats m_stats; //!< counters

    TracedCallback<uint16_t, uint32_t, Ipv4Address, uint16_t> m_rxTrace; //!< Rx
    TracedCallback<Ptr<const Packet>> m_txTrace;                         //!< Tx
};

/// \return "a.b.c.d:port (n packets), ..." for a source list; "none" when empty
std::string RtpDescribeSources(const std::vector<RtpSource>& sources);

} // namespace ns3

#endif // FORTIGATE_RTP_STREAM_H
