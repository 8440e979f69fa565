/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_MGCP_CALL_AGENT_H
#define FORTIGATE_MGCP_CALL_AGENT_H

#include "mgcp-application.h"

#include "ns3/address.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Where one call of an MgcpCallAgent got to.
 */
struct MgcpCallRecord
{
    std::string caller;        //!< caller's endpoint local name
    std::string callee;        //!< callee's endpoint local name
    std::string callId;        //!< C: of the call
    bool offHook{false};       //!< the caller's NTFY off-hook arrived
    bool callerCreated{false}; //!< CRCX to the caller answered 200
    bool calleeCreated{false}; //!< CRCX to the callee answered 200
    bool modified{false};      //!< MDCX to the caller answered 200
    bool deleted{false};       //!< both DLCX answered 250
    std::string failure;       //!< why it stopped ("" when it did not)
    Time offHookAt;            //!< NTFY off-hook arrival
    Time connectedAt;          //!< MDCX answered (both sides have the other's SDP)
};

/**
 * \ingroup fortigate
 * An MGCP call agent (RFC 3435) for MgcpGateway endpoints, on UDP Port (2727).
 *
 * A gateway's RSIP is answered 200 and followed by an RQNT (`N:` the agent itself, `R:
 * L/hd(N)`) to the endpoint. The agent remembers each endpoint by its local name (unique
 * over its gateways) with the full name and the address:port its datagrams came from (so
 * gateways behind a NAT are reached on their mapping), and sends commands there.
 *
 * Calls (AddCall): when the caller's NTFY `O: L/hd` arrives: CRCX to the caller (mode
 * recvonly, no SDP); with its SDP, CRCX to the callee (mode sendrecv, the caller's SDP); with
 * the callee's SDP, MDCX to the caller (sendrecv, the callee's SDP); after TalkTime, DLCX to
 * both. A command not answered in ResponseTimeout (after two retransmissions) or an error
 * answer ends the call (MgcpCallRecord::failure).
 *
 * Trace sources (MgcpApplication): Rx, Tx.
 */
class MgcpCallAgent : public MgcpApplication
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    MgcpCallAgent();
    ~MgcpCallAgent() override;

    /// A call from endpoint \p caller to \p callee (local names), placed at its off-hook.
    void AddCall(const std::string& caller, const std::string& callee);

    /// \return the calls, in AddCall order
    const std::vector<MgcpCallRecord>& GetCalls() const
    {
        return m_calls;
    }

    /// \return endpoint local name -> full name as last received
    std::map<std::string, std::string> GetEndpoints() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// A known endpoint.
    struct Endpoint
    {
        std::string name; //!< full name as received
        Address where;    //!< where its datagrams come from
    };

    /// What a pending command is for.
    struct Pending
    {
        int call{-1};     //!< index in m_calls (-1: none)
        int step{0};      //!< 1 CRCX caller, 2 CRCX callee, 3 MDCX caller, 4/5 DLCX
        std::string text; //!< the datagram (retransmissions)
        Address to;       //!< destination
        int retries{0};   //!< retransmissions sent
        EventId timer;    //!< retransmission timer
    };

    void HandleMessage(const MgcpMessage& m, const std::string& text, const Address& from) override;
    void HandleCommand(const MgcpMessage& m, const Address& from);
    void HandleResponse(const MgcpMessage& m, const std::string& text);
    /// Send a command to endpoint \p local for call \p call, step \p step; \p body after the
    /// verb line's endpoint and version. \return false when the endpoint is unknown
    bool Command(const std::string& verb,
                 const std::string& local,
                 const std::string& params,
                 int call,
                 int step);
    void Retransmit(uint32_t tx);
    void Fail(int call, const std::string& why);
    void EndCall(int call);
    std::string SdpOf(const std::string& text) const;

    // Attributes
    uint16_t m_port;    //!< UDP port (2727)
    Time m_talk;        //!< how long a call lasts once connected
    Time m_timeout;     //!< retransmission interval
    std::string m_name; //!< local name in N: (`ca`)

    uint32_t m_nextTx{0};                        //!< next transaction id
    std::map<std::string, Endpoint> m_endpoints; //!< by local name (lower-case)
    std::map<uint32_t, Pending> m_pending;       //!< by transaction id
    std::vector<MgcpCallRecord> m_calls;         //!< calls
    std::vector<std::string> m_connCaller;       //!< per call: caller's connection id
    std::vector<std::string> m_connCallee;       //!< per call: callee's connection id
    std::vector<int> m_dlcxLeft;                 //!< per call: DLCX not yet answered
};

} // namespace ns3

#endif // FORTIGATE_MGCP_CALL_AGENT_H
