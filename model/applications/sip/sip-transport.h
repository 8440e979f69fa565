/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_TRANSPORT_H
#define FORTIGATE_SIP_TRANSPORT_H

#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/sip-message.h"
#include "ns3/socket.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace ns3
{

class Node;

/**
 * \ingroup fortigate
 * SIP transport for one node: a UDP socket and a TCP listener on one port, TCP connections
 * (accepted or opened, reused per remote address:port) with RFC 3261 §18.3 stream framing
 * (ParseSipMessage in stream mode: several messages in one segment are split, a message over
 * several segments is joined), and CRLF keep-alives skipped. Every complete message goes to the
 * receive callback with its exact text and where it came from.
 *
 * Used by SipUserAgent and SipRegistrar; over UDP everything is sent from the bound port (so a
 * NAT sees one mapping per peer).
 */
class SipTransport : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SipTransport();
    ~SipTransport() override;

    /**
     * A received message.
     * \param text the message bytes (keep-alive CRLFs removed)
     * \param msg the parsed message (spans are offsets in \p text)
     * \param from source address
     * \param port source port
     * \param conn the TCP connection it came on (null for UDP)
     */
    typedef Callback<void,
                     const std::string&,
                     const SipMessage&,
                     Ipv4Address,
                     uint16_t,
                     Ptr<Socket>>
        ReceiveCallback;

    /**
     * Open the UDP socket and/or TCP listener on \p port (any address).
     * Throws ConfigError naming \p owner when the port is in use.
     */
    void Open(Ptr<Node> node,
              uint16_t port,
              bool udp,
              bool tcp,
              ReceiveCallback cb,
              const std::string& owner);

    /**
     * Send a message.
     * \param text the message
     * \param to destination address
     * \param port destination port
     * \param tcp send over TCP (else UDP)
     * \param conn TCP: this connection when still open; else one to to:port (reused or opened)
     * \return the TCP connection used (null for UDP or when sending failed)
     */
    Ptr<Socket> Send(const std::string& text,
                     Ipv4Address to,
                     uint16_t port,
                     bool tcp,
                     Ptr<Socket> conn = nullptr);

    /// \return the open TCP connection to \p to:\p port, or null
    Ptr<Socket> FindConnection(Ipv4Address to, uint16_t port) const;
    /// \return an open TCP connection whose remote address is \p to (any port), or null
    Ptr<Socket> FindConnectionTo(Ipv4Address to) const;
    /// \return true while \p conn is an open connection of this transport
    bool IsConnected(Ptr<Socket> conn) const;
    /// \return the remote address:port of \p conn (zero when unknown)
    std::pair<Ipv4Address, uint16_t> GetRemote(Ptr<Socket> conn) const;
    /// Close every socket.
    void Close();
    /// \return datagrams or stream bytes that could not be framed as SIP
    uint64_t GetFramingErrors() const;
    /// \return TCP connections opened or accepted so far
    uint32_t GetConnectionCount() const;

  protected:
    void DoDispose() override;

  private:
    /// One TCP connection.
    struct Conn
    {
        Ipv4Address remote;    //!< peer address
        uint16_t port{0};      //!< peer port
        bool connected{false}; //!< established
        std::string rx;        //!< bytes not yet framed
        std::string tx;        //!< bytes waiting for room or for the connection
    };

    void HandleUdp(Ptr<Socket> s);
    bool HandleAcceptRequest(Ptr<Socket> s, const Address& from);
    void HandleAccept(Ptr<Socket> s, const Address& from);
    void HandleConnected(Ptr<Socket> s);
    void HandleConnectFailed(Ptr<Socket> s);
    void HandleTcpRead(Ptr<Socket> s);
    void HandleSend(Ptr<Socket> s, uint32_t available);
    void HandleClosed(Ptr<Socket> s);
    void Attach(Ptr<Socket> s);
    void Flush(Ptr<Socket> s);
    void Deliver(const std::string& text,
                 bool stream,
                 Ipv4Address from,
                 uint16_t port,
                 Ptr<Socket> conn);

    Ptr<Node> m_node;                    //!< owner node
    uint16_t m_port{0};                  //!< bound port
    Ptr<Socket> m_udp;                   //!< UDP socket
    Ptr<Socket> m_listener;              //!< TCP listener
    std::map<Ptr<Socket>, Conn> m_conns; //!< TCP connections
    ReceiveCallback m_cb;                //!< receiver
    uint64_t m_framingErrors{0};         //!< unframeable input
    uint32_t m_connectionCount{0};       //!< connections made
    uint32_t m_maxMessage{65536};        //!< largest accepted header section
};

} // namespace ns3

#endif // FORTIGATE_SIP_TRANSPORT_H
