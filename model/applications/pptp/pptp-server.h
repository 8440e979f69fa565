/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PPTP_SERVER_H
#define FORTIGATE_PPTP_SERVER_H

#include "ns3/application.h"
#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/gre-header.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/pptp-parser.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class Packet;

/**
 * \ingroup fortigate
 * What one end of a PPTP call sent and received over GRE.
 */
struct PptpCallStats
{
    uint16_t localCallId{0};  //!< our Call ID: the key of the GRE packets we receive
    uint16_t peerCallId{0};   //!< the peer's Call ID as we learned it: the key we send with
    Ipv4Address peer;         //!< where we send GRE (the address we talk to)
    uint64_t txPackets{0};    //!< GRE data packets sent
    uint64_t txBytes{0};      //!< PPP bytes sent (GRE payload)
    uint64_t rxPackets{0};    //!< GRE data packets received
    uint64_t rxBytes{0};      //!< PPP bytes received
    uint64_t rxLost{0};       //!< sequence numbers skipped by the peer's packets (lost so far)
    uint64_t rxLate{0};       //!< packets older than one already received (late or duplicate)
    uint64_t acksReceived{0}; //!< acknowledgement numbers received
    uint32_t lastAck{0};      //!< last acknowledgement number received
    Time firstTx;             //!< first data packet sent
    Time lastTx;              //!< last data packet sent
    Time firstRx;             //!< first data packet received
    Time lastRx;              //!< last data packet received
    Time established;         //!< when the call was set up (reply sent or received)
    Time ended;               //!< when the call ended (zero while it lasts)
    bool active{false};       //!< the call lasts

    /// \return received bits per second between the first and the last data packet (0 with
    ///         fewer than two packets)
    double RxThroughputBps() const;
    /// \return sent bits per second between the first and the last data packet
    double TxRateBps() const;
    /// \return one line: call ids, peer, tx/rx packets and bytes, rx throughput and loss
    std::string ToString() const;
};

/**
 * \ingroup fortigate
 * The GRE data of one PPTP call (enhanced GRE, RFC 2637 §4): sends PPP-sized frames at a
 * constant rate with sequence numbers (and the acknowledgement of the last one received when it
 * is new) to the peer, keyed by the peer's Call ID, and counts the frames that arrive with our
 * Call ID. No sliding window: the rate is the sender's. Shared by PptpServer and PptpClient.
 */
class PptpGreCall
{
  public:
    /**
     * \param socket raw IPv4 socket of protocol 47 to send with
     * \param peer address to send to
     * \param localCallId our Call ID
     * \param peerCallId the peer's Call ID (the key our packets carry)
     * \param packetSize PPP bytes per frame
     * \param rate sending rate (0: send nothing)
     */
    PptpGreCall(Ptr<Socket> socket,
                Ipv4Address peer,
                uint16_t localCallId,
                uint16_t peerCallId,
                uint32_t packetSize,
                DataRate rate);
    ~PptpGreCall();
    PptpGreCall(const PptpGreCall&) = delete;
    PptpGreCall& operator=(const PptpGreCall&) = delete;

    /// Start sending, the first frame after \p delay (the call is set up).
    void Start(Time delay = Time(0));
    /// Set the peer's Call ID (a client learns it from the reply; frames may arrive before).
    void SetPeerCallId(uint16_t peerCallId);
    /// Stop sending (the call ends).
    void Stop();
    /// A GRE packet with our Call ID arrived with \p payloadBytes PPP bytes.
    void Receive(const GreHeader& gre, uint32_t payloadBytes);
    /// \return the counters
    const PptpCallStats& GetStats() const;

    /**
     * Build a GRE data packet: PPP frame of \p size bytes (address/control FF 03, protocol
     * 0x0021, zero filler) after an enhanced GRE header with \p callId, sequence \p seq and,
     * when \p withAck, acknowledgement \p ack.
     */
    static Ptr<Packet> MakeDataPacket(uint16_t callId,
                                      uint32_t seq,
                                      bool withAck,
                                      uint32_t ack,
                                      uint32_t size);

    /**
     * Take apart what a raw protocol-47 socket delivered (IPv4 header, GRE header, payload).
     * \return false when it is not PPTP's enhanced GRE (version 1, protocol 0x880B, key)
     */
    static bool ParseReceived(Ptr<Packet> p,
                              Ipv4Address& from,
                              GreHeader& gre,
                              uint32_t& payloadBytes);

  private:
    void SendNext();

    Ptr<Socket> m_socket;      //!< raw GRE socket
    uint32_t m_packetSize;     //!< PPP bytes per frame
    DataRate m_rate;           //!< sending rate
    PptpCallStats m_stats;     //!< counters
    uint32_t m_nextSeq{0};     //!< next sequence number to send
    bool m_haveRx{false};      //!< a sequence number was received
    uint32_t m_highestRx{0};   //!< highest sequence number received
    uint32_t m_lastAckSent{0}; //!< last acknowledgement number sent
    bool m_ackPending{false};  //!< a new sequence number awaits acknowledgement
    EventId m_sendEvent;       //!< next frame
};

/**
 * \ingroup fortigate
 * A PPTP server (PAC, RFC 2637): accepts control connections on TCP Port (1723) and answers
 * Start-Control-Connection-Request, Outgoing-Call-Request (Outgoing-Call-Reply "Connected" with
 * a Call ID of its own, FirstCallId upwards, unless RefuseCalls), Echo-Request,
 * Call-Clear-Request (Call-Disconnect-Notify, whose Call ID is the client's, as real servers
 * send it, or the server's own with DisconnectNamesPeer false) and
 * Stop-Control-Connection-Request (Reply; all calls of the connection end). Set-Link-Info is
 * accepted. A malformed message closes the control connection.
 *
 * Each connected call sends GRE data (PacketSize PPP bytes at DataRate) to the address the
 * control connection comes from, keyed by the Call ID the client announced, from DataStartDelay
 * after the reply (PPP negotiation starts once the reply is through) until the call ends; GRE
 * arriving with one of the server's Call IDs is counted for that call. Calls stay in GetCalls()
 * after they end.
 */
class PptpServer : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PptpServer();
    ~PptpServer() override;

    /// \return every call so far (active and ended), in setup order
    std::vector<PptpCallStats> GetCalls() const;
    /// \return control connections accepted
    uint32_t GetControlConnections() const;
    /// \return control messages received, by type (index 1..15)
    const std::vector<uint32_t>& GetMessageCounts() const;
    /// \return GRE packets that arrived with a Call ID of no call
    uint64_t GetUnknownGre() const;
    /// \return malformed control messages received (each closed its connection)
    uint32_t GetMalformed() const;

    /**
     * TracedCallback signature of a call event.
     * \param stats the call
     */
    typedef void (*CallCallback)(const PptpCallStats& stats);

  protected:
    void DoDispose() override;

  private:
    /// One control connection.
    struct Control
    {
        Ptr<Socket> socket;            //!< the connection
        Ipv4Address peer;              //!< client address as seen
        std::vector<uint8_t> rx;       //!< bytes of an incomplete message
        std::vector<uint16_t> callIds; //!< our Call IDs of its calls
        bool closed{false};            //!< closed
    };

    void StartApplication() override;
    void StopApplication() override;
    void HandleAccept(Ptr<Socket> socket, const Address& from);
    void HandleRead(Ptr<Socket> socket);
    void HandleClose(Ptr<Socket> socket);
    void HandleGre(Ptr<Socket> socket);
    void HandleMessage(Control& c, const PptpMessage& m);
    void Send(Control& c, const PptpMessage& m);
    void EndCall(uint16_t callId);
    void EndControl(Control& c);
    Control* Find(Ptr<Socket> socket);

    // Attributes
    uint16_t m_port;            //!< control port
    uint16_t m_firstCallId;     //!< first Call ID handed out
    uint32_t m_packetSize;      //!< PPP bytes per GRE frame
    DataRate m_rate;            //!< GRE sending rate per call
    bool m_refuseCalls;         //!< answer Outgoing-Call-Request with "General Error"
    bool m_disconnectNamesPeer; //!< Call-Disconnect-Notify carries the client's Call ID
    Time m_dataStartDelay;      //!< reply sent -> first GRE frame

    Ptr<Socket> m_listener;                                   //!< TCP listener
    Ptr<Socket> m_gre;                                        //!< raw GRE socket
    std::vector<std::unique_ptr<Control>> m_controls;         //!< control connections
    std::map<uint16_t, std::unique_ptr<PptpGreCall>> m_calls; //!< by our Call ID
    std::vector<uint16_t> m_callOrder;                        //!< Call IDs in setup order
    uint16_t m_nextCallId{0};                                 //!< next Call ID
    std::vector<uint32_t> m_messageCounts;                    //!< received, by type
    uint64_t m_unknownGre{0};                                 //!< GRE for no call
    uint32_t m_malformed{0};                                  //!< malformed messages

    TracedCallback<const PptpCallStats&> m_callStartedTrace; //!< CallStarted
    TracedCallback<const PptpCallStats&> m_callEndedTrace;   //!< CallEnded
};

} // namespace ns3

#endif // FORTIGATE_PPTP_SERVER_H
