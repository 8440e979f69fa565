/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RSH_SERVER_H
#define FORTIGATE_RSH_SERVER_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/ptr.h"
#include "ns3/rsh-parser.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

class RshReservedPorts;

/**
 * \ingroup fortigate
 * A minimal rshd on TCP port 514.
 *
 * Per connection, as rshd does: read the stderr-port field; if it is not 0, connect BACK to the
 * client at that port from a reserved port (the first free one from FirstReservedPort down to
 * 512, see RshReservedPorts) — the connection the RSH session helper's pinhole lets through a
 * firewall; read local user, remote user and command; then answer on the main connection with a 0
 * byte followed by the command's standard output, write the standard error text on the
 * back-connection, and close both.
 *
 * Commands: "generate <n>" writes n bytes of RshOutputByte() to stdout and
 * "generate: <n> bytes\n" to stderr; "echo <text>" writes "<text>\n" to stdout; anything else
 * writes "rsh: <command>: command not found\n" to stderr. Without a stderr channel the stderr
 * text is discarded (real rshd would mix it into stdout; the model keeps stdout exact).
 *
 * Failures answered with a 1 byte and a message on the main connection, as rshd does: empty
 * remote user ("Login incorrect."), back-connection failed ("can't connect to stderr port").
 * A start that is not rsh (bad port field, overlong fields) closes the connection.
 */
class RshServer : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RshServer();
    ~RshServer() override;

    /// \return connections accepted
    uint32_t GetSessionsAccepted() const;
    /// \return sessions answered with a 0 byte (command run)
    uint32_t GetSessionsServed() const;
    /// \return sessions refused or broken (bad start, back-connection failed, ...)
    uint32_t GetSessionsFailed() const;
    /// \return back-connections established
    uint32_t GetBackConnections() const;

    /**
     * TracedCallback signature of a start received.
     * \param client the client's address and port
     * \param start the parsed start
     */
    typedef void (*StartCallback)(const Address& client, const RshStart& start);

  protected:
    void DoDispose() override;

  private:
    /// State of one session.
    struct Conn
    {
        uint32_t id{0};            //!< key
        Ptr<Socket> main;          //!< the client's connection
        Ptr<Socket> back;          //!< the stderr back-connection
        uint16_t backPort{0};      //!< its reserved source port (0 = none)
        Address peer;              //!< client address:port
        std::vector<uint8_t> buf;  //!< bytes of the start received so far
        bool portKnown{false};     //!< stderr-port field complete
        uint16_t stderrPort{0};    //!< announced port
        bool startDone{false};     //!< whole start received
        RshStart start;            //!< the start
        bool backConnected{false}; //!< back-connection up
        bool responded{false};     //!< answer begun
        std::string header;        //!< status byte (+ error text) to send first
        std::string outText;       //!< stdout text (when not generated)
        uint64_t outGenerated{0};  //!< generated stdout bytes
        uint64_t outQueued{0};     //!< stdout bytes handed to the socket (incl. header)
        uint64_t outTotal{0};      //!< header + stdout bytes
        std::string errText;       //!< stderr text
        std::size_t errQueued{0};  //!< stderr bytes handed to the socket
        bool mainClosed{false};    //!< Close() called on main
        bool backClosed{false};    //!< Close() called on back
    };

    void StartApplication() override;
    void StopApplication() override;

    /// Accept every connection request.
    bool HandleConnectionRequest(Ptr<Socket> socket, const Address& from);
    /// A new session.
    void HandleAccept(Ptr<Socket> socket, const Address& from);
    /// Bytes on a main connection.
    void HandleRead(uint32_t id, Ptr<Socket> socket);
    /// Progress the session (back-connect, answer).
    void Advance(uint32_t id);
    /// Back-connection established.
    void HandleBackConnected(uint32_t id, Ptr<Socket> socket);
    /// Back-connection failed.
    void HandleBackFailed(uint32_t id, Ptr<Socket> socket);
    /// Room in a send buffer.
    void HandleSend(uint32_t id, Ptr<Socket> socket, uint32_t available);
    /// The client closed or reset a connection.
    void HandlePeerClose(uint32_t id, Ptr<Socket> socket);
    /// Run the command: fill header/out/err of the session.
    void PrepareAnswer(Conn& c);
    /// Answer with status 1 and \p message, then close.
    void Refuse(Conn& c, const std::string& message);
    /// Push pending bytes into the sockets; close them when everything is queued.
    void Pump(Conn& c);
    /// Close and forget a session (\p failed counts it as failed).
    void Drop(uint32_t id, bool failed);
    /// Forget the session when both sockets are closed.
    void MaybeForget(uint32_t id);

    uint16_t m_port;                  //!< listening port
    uint16_t m_firstReservedPort;     //!< back-connection source port search start
    Ptr<Socket> m_socket;             //!< listening socket
    Ptr<RshReservedPorts> m_ports;    //!< the node's reserved-port table
    std::map<uint32_t, Conn> m_conns; //!< sessions by id
    uint32_t m_nextId{1};             //!< next session id

    uint32_t m_accepted{0}; //!< connections accepted
    uint32_t m_served{0};   //!< sessions answered with 0
    uint32_t m_failed{0};   //!< failed sessions
    uint32_t m_backs{0};    //!< back-connections established

    TracedCallback<const Address&, const RshStart&> m_startTrace; //!< Start
};

} // namespace ns3

#endif // FORTIGATE_RSH_SERVER_H
