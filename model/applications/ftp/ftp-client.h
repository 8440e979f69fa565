/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FTP_CLIENT_H
#define FORTIGATE_FTP_CLIENT_H

#include "ftp-server.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * An FTP client that makes one transfer per start, like a scripted `ftp` session.
 *
 * Sequence: connect to RemoteAddress:RemotePort, wait for 220, USER/PASS (a 230 to USER
 * skips PASS), TYPE I, then the data-connection setup of Mode and UseExtended:
 * - active: listen on an ephemeral port of the control connection's local address and
 *   announce it with PORT (or EPRT |1|...|); the server connects to it;
 * - passive: PASV (or EPSV), connect to the address and port of the 227 reply (EPSV: the
 *   address the control connection goes to, the port of the 229 reply);
 * then RETR or STOR of FileName (default "file-<FileSize>"), and QUIT once the transfer ended.
 * Every command is sent as one complete line.
 *
 * RETR: the received bytes are compared on the fly with FtpFileByte() and must be exactly
 * FileSize bytes. STOR: sends FileSize bytes of FtpFileByte() and closes the data connection.
 * The transfer completes when the 226 reply has arrived and (RETR) the server closed the data
 * connection; the transfer time runs from sending RETR/STOR to that moment.
 *
 * Failure reasons (GetFailureReason()):
 * - "timeout waiting for <what>": Timeout elapsed without progress (no reply line, no data
 *   byte received or acknowledged, no connection established), e.g. a blocked data
 *   connection;
 * - "control connection refused", "data connection refused": the connection attempt failed
 *   (ns-3 reports this after its SYN retries, or on a RST);
 * - "server reply: <line>": a 4xx/5xx reply (e.g. "server reply: 425 Failed to establish
 *   connection.");
 * - "data mismatch at byte <n>", "short transfer (<got> of <expected> bytes)",
 *   "data connection reset", "control connection closed".
 */
class FtpClient : public Application
{
  public:
    /// How the data connection is made.
    enum Mode
    {
        ACTIVE,  //!< PORT / EPRT: the server connects to the client
        PASSIVE, //!< PASV / EPSV: the client connects to the server
    };

    /// The transfer command.
    enum Command
    {
        RETR, //!< download
        STOR, //!< upload
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FtpClient();
    ~FtpClient() override;

    /// \return true once the transfer completed (and a RETR's bytes matched)
    bool IsCompleted() const;
    /// \return true once the transfer failed
    bool IsFailed() const;
    /// \return true once the transfer ended either way
    bool IsFinished() const;
    /// \return why the transfer failed (empty unless IsFailed())
    std::string GetFailureReason() const;
    /// \return data bytes received (RETR) or sent (STOR) so far
    uint64_t GetBytesTransferred() const;
    /// \return time from the RETR/STOR command to the end of the transfer (zero until completed)
    Time GetTransferTime() const;
    /// \return the data connection's server-side address announced or used
    Ipv4Address GetDataAddress() const;
    /// \return the data connection's port announced by the client (active) or server (passive)
    uint16_t GetDataPort() const;
    /// \return the file name used in RETR/STOR
    std::string GetFileName() const;
    /// \return the last reply line received
    std::string GetLastReply() const;
    /// \return one line: mode, command, file, outcome, bytes, time
    std::string GetSummary() const;

    /**
     * TracedCallback signature of a completed transfer.
     * \param bytes data bytes transferred
     * \param duration RETR/STOR to end of transfer
     */
    typedef void (*CompleteCallback)(uint64_t bytes, Time duration);

    /**
     * TracedCallback signature of a failed transfer.
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
        ST_CONNECT,   //!< control connection being established
        ST_GREETING,  //!< waiting for 220
        ST_USER,      //!< USER sent
        ST_PASS,      //!< PASS sent
        ST_TYPE,      //!< TYPE I sent
        ST_DATASETUP, //!< PORT/EPRT/PASV/EPSV sent
        ST_DATACONN,  //!< passive: connecting the data connection
        ST_TRANSFER,  //!< RETR/STOR sent
        ST_QUIT,      //!< QUIT sent
        ST_DONE,      //!< finished
    };

    void StartApplication() override;
    void StopApplication() override;

    /// Control connection established / failed.
    void HandleControlConnected(Ptr<Socket> socket);
    /// Control connection attempt failed.
    void HandleControlFailed(Ptr<Socket> socket);
    /// Control bytes.
    void HandleControlRead(Ptr<Socket> socket);
    /// Control connection closed or reset.
    void HandleControlClose(Ptr<Socket> socket);
    /// One complete reply (last line of a multi-line reply).
    void HandleReply(int code, const std::string& line);
    /// Send one command line (CRLF added).
    void SendCommand(const std::string& text);
    /// Send PORT/EPRT (after opening the listener) or PASV/EPSV.
    void SetupData();
    /// Send RETR/STOR.
    void SendTransferCommand();
    /// Active: the server's data connection arrived.
    void HandleDataAccept(Ptr<Socket> socket, const Address& from);
    /// Passive: data connection established.
    void HandleDataConnected(Ptr<Socket> socket);
    /// Passive: data connection failed.
    void HandleDataFailed(Ptr<Socket> socket);
    /// Data bytes (RETR).
    void HandleDataRead(Ptr<Socket> socket);
    /// Room in the send buffer (STOR).
    void HandleDataSend(Ptr<Socket> socket, uint32_t available);
    /// Data connection closed by the server.
    void HandleDataClose(Ptr<Socket> socket);
    /// Data connection reset.
    void HandleDataError(Ptr<Socket> socket);
    /// Set up callbacks on the data socket.
    void AttachData(Ptr<Socket> socket);
    /// STOR: start sending once both 150 and the connection are there.
    void MaybeStartUpload();
    /// Completion check: 226 received and data finished.
    void CheckComplete();
    /// Record progress (resets the inactivity timeout).
    void Progress();
    /// Inactivity timer.
    void HandleTimeout();
    /// End the transfer; empty \p reason means success. Then QUIT.
    void Finish(const std::string& reason);
    /// Close everything.
    void CloseAll();
    /// \return what the client is waiting for (for the timeout reason)
    std::string WaitingFor() const;

    // Attributes
    Ipv4Address m_remote;   //!< server address
    uint16_t m_remotePort;  //!< server control port
    Mode m_mode;            //!< active or passive
    bool m_extended;        //!< EPRT/EPSV instead of PORT/PASV
    Command m_command;      //!< RETR or STOR
    uint64_t m_fileSize;    //!< bytes
    std::string m_fileName; //!< empty: file-<size>
    std::string m_user;     //!< USER argument
    std::string m_password; //!< PASS argument
    Time m_timeout;         //!< longest time without progress

    // Run state
    State m_state{ST_IDLE};      //!< dialogue state
    Ptr<Socket> m_control;       //!< control connection
    std::string m_rx;            //!< incomplete reply bytes
    int m_multiCode{0};          //!< code of a multi-line reply in progress
    Ptr<Socket> m_listener;      //!< active-mode listener
    Ptr<Socket> m_data;          //!< data connection
    bool m_dataConnected{false}; //!< data connection established
    bool m_dataDone{false};      //!< RETR: server closed; STOR: all bytes queued + closed
    bool m_got150{false};        //!< preliminary reply seen
    bool m_got226{false};        //!< transfer-complete reply seen
    uint64_t m_bytes{0};         //!< bytes received or queued
    bool m_mismatch{false};      //!< RETR: a byte differed
    uint64_t m_mismatchAt{0};    //!< first differing byte
    Ipv4Address m_dataAddr;      //!< data address (announced or connected to)
    uint16_t m_dataPort{0};      //!< data port
    std::string m_lastReply;     //!< last reply line
    Time m_commandTime;          //!< RETR/STOR sent
    Time m_duration;             //!< transfer time
    Time m_lastProgress;         //!< for the inactivity timeout
    EventId m_timer;             //!< inactivity timer
    bool m_completed{false};     //!< success
    bool m_failed{false};        //!< failure
    std::string m_reason;        //!< failure reason

    TracedCallback<uint64_t, Time> m_completeTrace;   //!< TransferComplete
    TracedCallback<const std::string&> m_failedTrace; //!< TransferFailed
};

} // namespace ns3

#endif // FORTIGATE_FTP_CLIENT_H
