/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_MGCP_APPLICATION_H
#define FORTIGATE_MGCP_APPLICATION_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>

namespace ns3
{

struct MgcpMessage;

/**
 * \ingroup fortigate
 * What MgcpGateway and MgcpCallAgent share: one UDP socket, every datagram received parsed
 * (ParseMgcpDatagram; a datagram that does not parse is logged and ignored) and its messages
 * handed to HandleMessage, sending with the Tx trace, a random variable for ids.
 *
 * Trace sources: Rx (every MGCP datagram received, its text), Tx (sent).
 */
class MgcpApplication : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    MgcpApplication();
    ~MgcpApplication() override;

    /**
     * Assign a fixed random variable stream number (transaction, call and connection ids,
     * media SSRCs).
     * \param stream first stream index
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * TracedCallback signature of an MGCP datagram sent or received.
     * \param text the datagram
     */
    typedef void (*TextCallback)(const std::string& text);

  protected:
    void DoDispose() override;

    /// Bind the socket to UDP \p port (throws ConfigError when it is in use).
    void OpenSocket(uint16_t port);
    /// Close the socket (nothing more is received or sent).
    void CloseSocket();
    /// Send \p text to \p to (nothing once the socket is closed).
    void Send(const std::string& text, const Address& to);

    /**
     * One message of a datagram received.
     * \param m the message
     * \param text its bytes
     * \param from where the datagram came from
     */
    virtual void HandleMessage(const MgcpMessage& m,
                               const std::string& text,
                               const Address& from) = 0;

    Ptr<UniformRandomVariable> m_rng; //!< ids

  private:
    void HandleRead(Ptr<Socket> socket);

    Ptr<Socket> m_socket;                         //!< MGCP socket
    TracedCallback<const std::string&> m_rxTrace; //!< datagrams received
    TracedCallback<const std::string&> m_txTrace; //!< datagrams sent
};

} // namespace ns3

#endif // FORTIGATE_MGCP_APPLICATION_H
