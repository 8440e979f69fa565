/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TNS_APPS_H
#define FORTIGATE_TNS_APPS_H

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/socket.h"
#include "ns3/tns-parser.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * An Oracle-style TNS listener with one dedicated server. A CONNECT on the listener port
 * (Port, 1521) is answered with a REDIRECT to `(ADDRESS=(PROTOCOL=TCP)(HOST=<Host>)
 * (PORT=<DedicatedPort>))`; a CONNECT on the dedicated port is accepted (ACCEPT, version 314,
 * 16-bit lengths) and every DATA packet after it is echoed back.
 */
class TnsListener : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    ~TnsListener() override;

    /// \return sessions accepted on the dedicated port
    uint32_t GetAccepted() const
    {
        return m_accepted;
    }

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    /// A connection on either port.
    void Accept(Ptr<Socket> s, const Address& from);
    /// Bytes of a connection.
    void Read(Ptr<Socket> s);

    uint16_t m_port{1521};       //!< listener port (attribute Port)
    uint16_t m_dedicated{40001}; //!< dedicated server port (attribute DedicatedPort)
    Ipv4Address m_host;          //!< HOST written in the REDIRECT (attribute Host)
    Ptr<Socket> m_listener;      //!< listener socket
    Ptr<Socket> m_server;        //!< dedicated server socket
    std::map<Ptr<Socket>, std::vector<uint8_t>> m_streams; //!< bytes per connection
    uint32_t m_accepted{0};                                //!< sessions accepted
};

/**
 * \ingroup fortigate
 * A TNS client: CONNECT to RemoteAddress:RemotePort; on REDIRECT, connect to the ADDRESS it
 * names and CONNECT again; on ACCEPT, send one DATA packet and wait for its echo. Done when
 * the echo came back (IsCompleted); GetRedirectHost gives the HOST the listener sent (as it
 * arrived).
 */
class TnsClient : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    ~TnsClient() override;

    /// \return true when the echo of the DATA packet came back from the dedicated server
    bool IsCompleted() const
    {
        return m_completed;
    }

    /// \return the HOST of the REDIRECT as the client received it (empty when none)
    const std::string& GetRedirectHost() const
    {
        return m_redirectHost;
    }

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    /// Connect to \p addr:\p port and send a CONNECT.
    void Open(Ipv4Address addr, uint16_t port);
    /// Connected.
    void Connected(Ptr<Socket> s);
    /// Bytes.
    void Read(Ptr<Socket> s);

    Address m_remote;              //!< listener address (attribute RemoteAddress)
    uint16_t m_port{1521};         //!< listener port (attribute RemotePort)
    Ptr<Socket> m_socket;          //!< current connection
    std::vector<uint8_t> m_stream; //!< bytes received on it
    Ipv4Address m_target;          //!< where the current connection goes
    uint16_t m_targetPort{0};      //!< its port
    bool m_completed{false};       //!< echo received
    std::string m_redirectHost;    //!< HOST of the REDIRECT
};

} // namespace ns3

#endif // FORTIGATE_TNS_APPS_H
