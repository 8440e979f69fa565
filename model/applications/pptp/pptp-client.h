/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PPTP_CLIENT_H
#define FORTIGATE_PPTP_CLIENT_H

#include "pptp-server.h"

#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * A PPTP client (PNS, RFC 2637) that makes one call per start, like `pptp` dialling a VPN.
 *
 * Sequence: connect to RemoteAddress:RemotePort (1723), Start-Control-Connection-Request,
 * Outgoing-Call-Request with CallId, then on a "Connected" Outgoing-Call-Reply (whose Peer's
 * Call ID must be CallId) Set-Link-Info and GRE data from DataStartDelay on: PacketSize PPP
 * bytes at DataRate to the server keyed by its Call ID, while frames keyed by CallId are counted
 * (from the request on: the server may send as soon as it has answered). After CallDuration
 * the call ends the Teardown way:
 * - CALL_CLEAR: Call-Clear-Request, wait for Call-Disconnect-Notify, LingerTime later
 *   Stop-Control-Connection-Request, wait for the Reply, close;
 * - STOP_CONTROL: Stop-Control-Connection-Request, wait for the Reply, close;
 * - CLOSE: close the control connection (no PPTP message).
 *
 * Failure reasons (GetFailureReason()): "control connection refused", "control connection
 * closed", "timeout waiting for <message>" (no reply within ReplyTimeout), "call refused
 * (result <n>)", "start refused (result <n>)", "malformed message: <why>".
 */
class PptpClient : public Application
{
  public:
    /// How the call ends.
    enum Teardown
    {
        CALL_CLEAR,   //!< Call-Clear-Request, then Stop-Control-Connection
        STOP_CONTROL, //!< Stop-Control-Connection only
        CLOSE,        //!< close the TCP connection only
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PptpClient();
    ~PptpClient() override;

    /// \return true once the Outgoing-Call-Reply said "Connected"
    bool IsCallEstablished() const;
    /// \return true once the call ended and the control connection closed as planned
    bool IsFinished() const;
    /// \return true once something went wrong
    bool IsFailed() const;
    /// \return why (empty unless IsFailed())
    std::string GetFailureReason() const;
    /// \return the call's GRE counters (zero until the call is set up)
    PptpCallStats GetStats() const;
    /// \return the server's Call ID (from the Outgoing-Call-Reply)
    uint16_t GetServerCallId() const;
    /// \return the Peer's Call ID of the Outgoing-Call-Reply as received (should be CallId)
    uint16_t GetReplyPeerCallId() const;
    /// \return the Call ID of the Call-Disconnect-Notify as received (-1 when none came)
    int32_t GetDisconnectCallId() const;
    /// \return time from the connection attempt to the "Connected" reply (zero until then)
    Time GetSetupTime() const;
    /// \return control messages received, by type (index 1..15)
    const std::vector<uint32_t>& GetMessageCounts() const;
    /// \return GRE packets that arrived with another Call ID than ours
    uint64_t GetForeignGre() const;
    /// \return one line: call ids, state, tx/rx, throughput, loss
    std::string GetSummary() const;

    /**
     * TracedCallback signature of call setup.
     * \param setupTime connection attempt to "Connected"
     */
    typedef void (*EstablishedCallback)(Time setupTime);

    /**
     * TracedCallback signature of a failure.
     * \param reason why
     */
    typedef void (*FailedCallback)(const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    /// Where the dialogue is.
    enum State
    {
        ST_IDLE,      //!< not started
        ST_CONNECT,   //!< TCP connecting
        ST_START,     //!< Start-Control-Connection-Request sent
        ST_CALL,      //!< Outgoing-Call-Request sent
        ST_CONNECTED, //!< call up, GRE flowing
        ST_CLEARING,  //!< Call-Clear-Request sent
        ST_LINGER,    //!< call cleared, control still up
        ST_STOPPING,  //!< Stop-Control-Connection-Request sent
        ST_DONE,      //!< finished (or failed)
    };

    void StartApplication() override;
    void StopApplication() override;
    void HandleConnected(Ptr<Socket> socket);
    void HandleConnectFailed(Ptr<Socket> socket);
    void HandleRead(Ptr<Socket> socket);
    void HandleClose(Ptr<Socket> socket);
    void HandleGre(Ptr<Socket> socket);
    void HandleMessage(const PptpMessage& m);
    void Send(const PptpMessage& m);
    void EndCall();
    void StopControl();
    void Arm(const std::string& waitingFor);
    void HandleTimeout();
    void Fail(const std::string& reason);
    void Finish();
    void CloseAll();

    // Attributes
    Ipv4Address m_remote;  //!< server address
    uint16_t m_remotePort; //!< control port
    uint16_t m_callId;     //!< our Call ID
    uint16_t m_callSerial; //!< Call Serial Number
    uint32_t m_packetSize; //!< PPP bytes per GRE frame
    DataRate m_rate;       //!< GRE sending rate
    Time m_callDuration;   //!< how long the call carries data
    Time m_dataStartDelay; //!< "Connected" -> first GRE frame
    Teardown m_teardown;   //!< how it ends
    Time m_linger;         //!< call cleared -> Stop-Control-Connection
    Time m_replyTimeout;   //!< longest wait for a reply

    // Run state
    State m_state{ST_IDLE};                //!< dialogue state
    Ptr<Socket> m_control;                 //!< control connection
    Ptr<Socket> m_gre;                     //!< raw GRE socket
    std::vector<uint8_t> m_rx;             //!< incomplete message bytes
    std::unique_ptr<PptpGreCall> m_call;   //!< the call's GRE data
    uint16_t m_serverCallId{0};            //!< server's Call ID
    uint16_t m_replyPeerCallId{0};         //!< Peer's Call ID in the reply
    int32_t m_disconnectCallId{-1};        //!< Call ID in Call-Disconnect-Notify
    Time m_startTime;                      //!< connection attempt
    Time m_setupTime;                      //!< to "Connected"
    EventId m_timer;                       //!< reply timeout
    EventId m_action;                      //!< call end / linger
    std::string m_waitingFor;              //!< what the timer waits for
    std::vector<uint32_t> m_messageCounts; //!< received, by type
    uint64_t m_foreignGre{0};              //!< GRE with another Call ID
    bool m_established{false};             //!< call was connected
    bool m_finished{false};                //!< ended as planned
    bool m_failed{false};                  //!< failed
    std::string m_reason;                  //!< failure reason

    TracedCallback<Time> m_establishedTrace;               //!< CallEstablished
    TracedCallback<const PptpCallStats&> m_callEndedTrace; //!< CallEnded
    TracedCallback<const std::string&> m_failedTrace;      //!< Failed
};

} // namespace ns3

#endif // FORTIGATE_PPTP_CLIENT_H
