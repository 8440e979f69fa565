/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RPC_APPS_H
#define FORTIGATE_RPC_APPS_H

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/socket.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * An RPC server host: the ONC-RPC portmapper/rpcbind (TCP and UDP 111: GETPORT v2, GETADDR
 * v3/v4, answering for one registered program), the DCE-RPC endpoint mapper (TCP and UDP 135:
 * bind and ept_map, answering for one registered interface), and the registered program and
 * interface themselves on their ports (any ONC-RPC CALL gets an accepted SUCCESS reply; any
 * DCE-RPC request a response with its stub echoed). Universal addresses and towers carry the
 * attribute Host (its own address).
 */
class RpcServerHost : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    ~RpcServerHost() override;

    /// \return calls answered by the registered program / interface (not the mappers)
    uint32_t GetCalls() const
    {
        return m_calls;
    }

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    /// Open a socket of \p tcp kind on \p port.
    void Listen(bool tcp, uint16_t port);
    /// TCP accept.
    void Accept(Ptr<Socket> s, const Address& from);
    /// Bytes on a socket (TCP stream or UDP datagrams).
    void Read(Ptr<Socket> s);
    /// \return the answer to \p msg arriving on local \p port (\p tcp), empty for none
    std::vector<uint8_t> Answer(uint16_t port, bool tcp, const uint8_t* msg, std::size_t len);

    Ipv4Address m_host;                 //!< address announced (attribute Host)
    uint32_t m_program{100005};         //!< registered ONC-RPC program (attribute Program)
    uint16_t m_programPort{2049};       //!< its port (attribute ProgramPort)
    std::string m_interface;            //!< registered DCE-RPC interface UUID (attribute Interface)
    uint16_t m_interfacePort{49152};    //!< its TCP/UDP port (attribute InterfacePort)
    std::vector<Ptr<Socket>> m_sockets; //!< listening / UDP sockets
    std::map<Ptr<Socket>, std::vector<uint8_t>> m_streams; //!< TCP bytes
    uint32_t m_calls{0};                                   //!< calls answered
};

/**
 * \ingroup fortigate
 * An RPC client. Kind ONC: asks the portmapper at RemoteAddress (GETPORT v2 over UDP, or
 * GETADDR v4 over TCP when UseTcp) for Program over UseTcp's protocol, then calls procedure
 * 0 of the program at the returned address and port. Kind DCE: binds the endpoint mapper at
 * RemoteAddress:135 (TCP when UseTcp, else connectionless UDP), asks ept_map for Interface,
 * then sends a request to the returned endpoint. Done when that call is answered.
 */
class RpcClient : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    ~RpcClient() override;

    /// \return true when the program / interface answered
    bool IsCompleted() const
    {
        return m_completed;
    }

    /// \return the address the mapper's answer named ("" when none or only a port)
    const std::string& GetAnnouncedAddress() const
    {
        return m_announced;
    }

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    /// Open \p tcp socket to \p addr:\p port, send \p first once connected.
    void Open(Ipv4Address addr, uint16_t port, const std::vector<uint8_t>& first);
    /// Connected.
    void Connected(Ptr<Socket> s);
    /// Bytes.
    void Read(Ptr<Socket> s);
    /// Handle one message (record, PDU or datagram).
    void Handle(const uint8_t* msg, std::size_t len);
    /// Call the endpoint the mapper named.
    void Call(Ipv4Address addr, uint16_t port);

    bool m_dce{false};               //!< DCE-RPC (attribute Kind)
    bool m_useTcp{false};            //!< TCP (attribute UseTcp)
    Address m_remote;                //!< server (attribute RemoteAddress)
    uint32_t m_program{100005};      //!< program asked for (attribute Program)
    std::string m_interface;         //!< interface asked for (attribute Interface)
    Ipv4Address m_mapper;            //!< the mapper's address as dialled
    Ptr<Socket> m_socket;            //!< current socket
    std::vector<uint8_t> m_pending;  //!< DCE over TCP: the request to send after bind_ack
    std::vector<uint8_t> m_firstTcp; //!< TCP: bytes to send once connected
    std::vector<uint8_t> m_stream;   //!< TCP bytes received
    int m_stage{0};                  //!< 0 bind, 1 mapping asked, 2 call sent
    bool m_completed{false};         //!< the call was answered
    std::string m_announced;         //!< address from the mapper
};

} // namespace ns3

#endif // FORTIGATE_RPC_APPS_H
