/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RSH_CLIENT_H
#define FORTIGATE_RSH_CLIENT_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/rsh-parser.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <set>
#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * The reserved ports (512..1023) the rsh applications of one node use, aggregated to the node.
 *
 * rresvport picks the first free reserved port from the top down. In ns-3, binding a port to
 * the any-address succeeds even while a connected socket (whose local address is no longer the
 * any-address) or a socket in TIME_WAIT still holds it, and two connections with the same four
 * tuple abort the simulation; so the rsh applications keep their own account: a port is held
 * from bind until the application closes the socket, and then rests for Quarantine (longer than
 * TIME_WAIT) before it is handed out again, unless every other port is taken.
 */
class RshReservedPorts : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// \return the table of \p node (created and aggregated on first use)
    static Ptr<RshReservedPorts> Get(Ptr<Node> node);

    /**
     * Bind \p socket to the any-address and the first usable reserved port from \p first down
     * to 512. \return the port, or 0 when none could be bound
     */
    uint16_t BindReserved(Ptr<Socket> socket, uint16_t first);

    /// Mark \p port held (a socket bound to it by other means).
    void Hold(uint16_t port);

    /// The socket on \p port was closed: the port rests for Quarantine.
    void Release(uint16_t port);

  private:
    Time m_quarantine;                  //!< rest after release
    std::set<uint16_t> m_held;          //!< ports bound by an rsh application
    std::map<uint16_t, Time> m_resting; //!< released ports and when
};

/**
 * \ingroup fortigate
 * A minimal rsh client (what BSD rcmd does), one command per start.
 *
 * Connects from a reserved port (LocalPort, or the first free one from 1023 down, see
 * RshReservedPorts) to
 * RemoteAddress:RemotePort and sends the stderr-port field. With UseStderr it first listens on
 * the stderr port (StderrPort, or the first free reserved port below the main one) and, as
 * rcmd does, waits for the server's connection back before sending local user, remote user and
 * command; the back-connection must come from the server's address and a reserved port
 * (512..1023), else the session fails ("protocol failure in circuit setup"). Without UseStderr
 * it announces "0" and sends everything at once.
 *
 * The first byte on the main connection is the server's status: 0, then the command's stdout;
 * 1, then an error message (the session fails with that message). The session completes when
 * the server has closed the main connection (and the stderr connection, if any). For a
 * "generate <n>" command, stdout must be exactly n bytes of RshOutputByte(), else the session
 * fails ("stdout mismatch").
 */
class RshClient : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RshClient();
    ~RshClient() override;

    /// \return true when the session ended normally (status 0, output as expected)
    bool IsCompleted() const;
    /// \return true when the session failed
    bool IsFailed() const;
    /// \return why it failed (empty when it did not)
    std::string GetFailureReason() const;
    /// \return stdout bytes received (after the status byte)
    uint64_t GetStdoutBytes() const;
    /// \return stderr bytes received on the back-connection
    uint64_t GetStderrBytes() const;
    /// \return the first 64 KiB of stdout
    std::string GetStdoutText() const;
    /// \return the first 64 KiB of stderr
    std::string GetStderrText() const;
    /// \return true when the server connected back to the stderr port
    bool HasStderrConnection() const;
    /// \return the stderr port announced (0 = none; valid after start)
    uint16_t GetAnnouncedStderrPort() const;
    /// \return the local port of the main connection (valid after start)
    uint16_t GetLocalPort() const;
    /// \return the server's source port of the back-connection (0 when none)
    uint16_t GetBackConnectionPort() const;
    /// \return start to end of the session (zero until it ends)
    Time GetSessionTime() const;

    /**
     * TracedCallback signature of a completed session.
     * \param stdoutBytes stdout bytes
     * \param stderrBytes stderr bytes
     * \param duration start to end
     */
    typedef void (*CompleteCallback)(uint64_t stdoutBytes, uint64_t stderrBytes, Time duration);

    /**
     * TracedCallback signature of a failed session.
     * \param reason why
     */
    typedef void (*FailedCallback)(const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// Main connection established.
    void HandleConnected(Ptr<Socket> socket);
    /// Main connection failed.
    void HandleConnectFailed(Ptr<Socket> socket);
    /// Back-connection request on the stderr listener.
    bool HandleBackRequest(Ptr<Socket> socket, const Address& from);
    /// Back-connection accepted.
    void HandleBackAccept(Ptr<Socket> socket, const Address& from);
    /// Bytes on the main connection.
    void HandleMainRead(Ptr<Socket> socket);
    /// Bytes on the stderr connection.
    void HandleErrRead(Ptr<Socket> socket);
    /// The server closed the main connection.
    void HandleMainClose(Ptr<Socket> socket);
    /// The main connection was reset.
    void HandleMainError(Ptr<Socket> socket);
    /// The server closed the stderr connection.
    void HandleErrClose(Ptr<Socket> socket);
    /// Session timeout.
    void HandleTimeout();
    /// Send local user, remote user and command.
    void SendRest();
    /// End when both connections are closed.
    void CheckDone();
    /// Finish (reason empty = success) and close everything.
    void Finish(const std::string& reason);
    /// Close every socket.
    void CloseAll();

    Address m_remote;         //!< server address (Ipv4Address or InetSocketAddress)
    uint16_t m_remotePort;    //!< server port
    uint16_t m_localPort;     //!< main connection source port (0 = first free reserved)
    bool m_useStderr;         //!< ask for a stderr channel
    uint16_t m_stderrPort;    //!< stderr port (0 = first free reserved below the main one)
    std::string m_localUser;  //!< local user
    std::string m_remoteUser; //!< remote user
    std::string m_command;    //!< command
    Time m_timeout;           //!< whole-session timeout (0 = none)

    Ptr<Socket> m_main;            //!< main connection
    Ptr<Socket> m_listener;        //!< stderr listener
    Ptr<Socket> m_err;             //!< stderr connection
    Ptr<RshReservedPorts> m_ports; //!< the node's reserved-port table
    uint16_t m_listenPort{0};      //!< stderr listener port (held until the session ends)
    Ipv4Address m_serverIp;        //!< server address
    uint16_t m_boundPort{0};       //!< main source port
    uint16_t m_announced{0};       //!< announced stderr port
    uint16_t m_backPort{0};        //!< server's back-connection source port
    bool m_running{false};         //!< session in progress
    bool m_restSent{false};        //!< users and command sent
    bool m_statusKnown{false};     //!< first byte received
    uint8_t m_status{0};           //!< first byte
    std::string m_errorMessage;    //!< text after a status 1
    bool m_mainDone{false};        //!< server closed the main connection
    bool m_errDone{false};         //!< server closed the stderr connection
    uint64_t m_stdoutBytes{0};     //!< stdout bytes
    uint64_t m_stderrBytes{0};     //!< stderr bytes
    std::string m_stdoutText;      //!< first 64 KiB of stdout
    std::string m_stderrText;      //!< first 64 KiB of stderr
    bool m_checkOutput{false};     //!< command is "generate <n>"
    uint64_t m_expectedOut{0};     //!< n
    bool m_mismatch{false};        //!< a stdout byte differed
    EventId m_timer;               //!< session timeout
    Time m_startTime;              //!< start
    Time m_duration;               //!< session time
    bool m_completed{false};       //!< success
    bool m_failed{false};          //!< failure
    std::string m_reason;          //!< failure reason

    TracedCallback<uint64_t, uint64_t, Time> m_completeTrace; //!< SessionComplete
    TracedCallback<const std::string&> m_failedTrace;         //!< SessionFailed
};

} // namespace ns3

#endif // FORTIGATE_RSH_CLIENT_H
