/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_MGCP_GATEWAY_H
#define FORTIGATE_MGCP_GATEWAY_H

#include "mgcp-application.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/rtp-stream.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * An MGCP residential gateway with one analog line (RFC 3435 §2.1.1: endpoint `aaln/1`).
 *
 * On start it binds LocalPort (2427) and announces itself with RSIP (`RM: restart`) to the
 * call agent (CallAgentAddress:CallAgentPort, 2727). It answers the call agent's commands
 * (sent to whatever address and port its datagrams came from, so through a NAT too):
 * - RQNT: remembers the request id (X:) and the events asked for; 200;
 * - CRCX: opens an RtpStream on the first free even port from RtpPort, answers 200 with the
 *   connection id (I:) and its LocalConnectionDescriptor (SDP: its own address and port); with
 *   a RemoteConnectionDescriptor (SDP in the command) and mode sendrecv it sends media at once;
 * - MDCX: takes the new remote SDP and mode, sends media when sendrecv; 200;
 * - DLCX: stops and closes the connection's media (its counters are kept); 250;
 * - AUEP, AUCX, EPCF: 200.
 * A command for another endpoint (local name or domain not its own) gets 500 ("endpoint
 * unknown"): under NAT the domain literal it sees must be its own address again.
 * At OffHookTime (when positive) the line goes off-hook: NTFY `O: L/hd` to the call agent.
 *
 * Trace sources (MgcpApplication): Rx, Tx.
 */
class MgcpGateway : public MgcpApplication
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    MgcpGateway();
    ~MgcpGateway() override;

    /// \return the endpoint name as the gateway writes it (`aaln/1@[own address]` by default)
    std::string GetEndpointName() const;

    /// \return the counters of every connection's media, in creation order
    std::vector<RtpStreamStats> GetMediaStats() const;

    /// \return commands answered with 500 (not this endpoint)
    uint64_t GetUnknownEndpoint() const
    {
        return m_unknownEndpoint;
    }

    /// \return commands received, by verb
    const std::map<std::string, uint64_t>& GetCommandsReceived() const
    {
        return m_commands;
    }

    /// \return true once the call agent answered the RSIP
    bool IsRegistered() const
    {
        return m_registered;
    }

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// One connection (CRCX).
    struct Connection
    {
        std::string id;     //!< connection id
        std::string callId; //!< C:
        Ptr<RtpStream> rtp; //!< its media
    };

    void HandleMessage(const MgcpMessage& m, const std::string& text, const Address& from) override;
    void HandleCommand(const MgcpMessage& m, const Address& from);
    void SendCommand(const std::string& verbAndParams);
    void OffHook();
    /// Apply \p m's mode and remote SDP to connection \p c.
    void ApplyRemote(Connection& c, const MgcpMessage& m);
    /// \return the local SDP of \p c
    std::string LocalSdp(const Connection& c) const;
    Ipv4Address OwnAddress() const;

    // Attributes
    Ipv4Address m_caAddress; //!< call agent
    uint16_t m_caPort;       //!< its port (2727)
    uint16_t m_localPort;    //!< ours (2427)
    std::string m_endpoint;  //!< endpoint name ("" = aaln/1@[own address])
    uint16_t m_rtpPort;      //!< first RTP port tried
    Time m_offHook;          //!< when the line goes off-hook (0 = never)

    uint32_t m_nextTx{0};                       //!< next transaction id
    std::string m_requestId{"0"};               //!< X: of the last RQNT
    std::string m_notifiedEntity;               //!< N: of the last RQNT ("" = call agent)
    Address m_caSeen;                           //!< where commands came from (answers go there)
    bool m_haveCa{false};                       //!< m_caSeen is valid
    bool m_registered{false};                   //!< RSIP answered
    uint32_t m_nextConnection{1};               //!< next connection id
    std::vector<Connection> m_connections;      //!< open connections
    std::vector<RtpStreamStats> m_finished;     //!< counters of closed connections
    std::map<std::string, uint64_t> m_commands; //!< received, by verb
    uint64_t m_unknownEndpoint{0};              //!< 500 answers
    EventId m_offHookEvent;                     //!< pending off-hook
};

} // namespace ns3

#endif // FORTIGATE_MGCP_GATEWAY_H
