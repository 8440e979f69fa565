/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_DNS_SERVER_H
#define FORTIGATE_DNS_SERVER_H

#include "ns3/application.h"
#include "ns3/dns-parser.h"
#include "ns3/socket.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * A small authoritative DNS server over UDP and TCP (RFC 1035; TCP with two-byte framing,
 * several queries per connection). Its zone is the attribute Records: `name=a.b.c.d` (A),
 * `name=cname:target` (CNAME, followed within the zone),
 * separated by `;`. Unknown names get NXDOMAIN; malformed queries are counted and ignored.
 */
class DnsServer : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    ~DnsServer() override;

    /// \return queries answered
    uint32_t GetAnswered() const
    {
        return m_answered;
    }

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    /// Parse Records into m_zone. Throws ConfigError naming the bad entry
    void LoadZone();
    /// \return the response to \p query (empty when it is not a query that parses)
    std::vector<uint8_t> Answer(const uint8_t* query, std::size_t len);
    /// UDP datagrams.
    void HandleUdp(Ptr<Socket> s);
    /// A TCP connection was accepted.
    void HandleAccept(Ptr<Socket> s, const Address& from);
    /// TCP bytes.
    void HandleTcp(Ptr<Socket> s);

    uint16_t m_port{53};   //!< port (attribute Port)
    std::string m_records; //!< zone text (attribute Records)
    std::multimap<std::string, std::pair<uint16_t, std::string>> m_zone; //!< name -> (type, rdata)
    Ptr<Socket> m_udp;                                                   //!< UDP socket
    Ptr<Socket> m_tcp;                                                   //!< TCP listening socket
    std::map<Ptr<Socket>, std::vector<uint8_t>> m_streams; //!< bytes of each TCP connection
    uint32_t m_answered{0};                                //!< queries answered
};

/**
 * \ingroup fortigate
 * A DNS stub resolver: asks RemoteAddress for each name of Names (comma separated) with
 * QTYPE Type, over UDP (one datagram each, one retry after Timeout) or TCP (one connection,
 * the queries pipelined). GetAddresses gives the A/AAAA addresses of each answered name.
 */
class DnsResolver : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    ~DnsResolver() override;

    /// \return name -> dotted IPv4 addresses of the A records of its answer (names answered)
    const std::map<std::string, std::vector<std::string>>& GetAddresses() const
    {
        return m_addresses;
    }

    /// \return the number of names answered (any RCODE)
    uint32_t GetAnswered() const
    {
        return m_answered;
    }

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    /// Send every unanswered query (UDP).
    void SendUdp();
    /// Handle a response message.
    void HandleResponse(const uint8_t* msg, std::size_t len);
    /// Socket receive.
    void HandleRead(Ptr<Socket> s);
    /// TCP connected.
    void Connected(Ptr<Socket> s);

    Address m_remote;                   //!< server (attribute RemoteAddress)
    uint16_t m_port{53};                //!< server port (attribute RemotePort)
    std::string m_names;                //!< names (attribute Names)
    uint16_t m_type{1};                 //!< QTYPE (attribute Type)
    bool m_useTcp{false};               //!< TCP (attribute UseTcp)
    Time m_timeout;                     //!< retry time (attribute Timeout)
    std::vector<std::string> m_queries; //!< names in order (id = index + base)
    std::vector<bool> m_done;           //!< answered
    uint16_t m_idBase{0x1000};          //!< id of the first query
    Ptr<Socket> m_socket;               //!< socket
    std::vector<uint8_t> m_stream;      //!< TCP bytes received
    EventId m_retry;                    //!< UDP retry
    int m_tries{0};                     //!< UDP rounds sent
    std::map<std::string, std::vector<std::string>> m_addresses; //!< answers
    uint32_t m_answered{0};                                      //!< names answered
};

} // namespace ns3

#endif // FORTIGATE_DNS_SERVER_H
