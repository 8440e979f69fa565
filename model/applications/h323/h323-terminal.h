/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_H323_TERMINAL_H
#define FORTIGATE_H323_TERMINAL_H

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/rtp-stream.h"
#include "ns3/socket.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

struct H323Decoded;

/**
 * \ingroup fortigate
 * An H.323 terminal, caller or callee (attribute Role), encoding with the module's PER encoder
 * (h323-messages.h).
 *
 * With a Gatekeeper it registers (RRQ, its RAS and call-signalling addresses) and, as caller,
 * asks admission (ARQ) and calls the destCallSignalAddress of the ACF; without one the caller
 * calls Peer:1720. The Setup offers fast start (an OpenLogicalChannel whose reverse parameters
 * carry its RTP/RTCP addresses) when FastStart is set; the callee answers with its own channel
 * in Alerting/Connect and both send RTP (RtpStream). Without fast start the callee's Connect
 * carries an h245Address (H245Port); the caller opens the H.245 connection and each side sends
 * an OpenLogicalChannel (its RTCP address) and acknowledges the other's with its RTP/RTCP
 * addresses; media starts on the Ack. The caller releases the call (ReleaseComplete) after
 * CallDuration. Addresses written are the node's own: under NAT only a session helper makes
 * them reachable.
 */
class H323Terminal : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    H323Terminal();
    ~H323Terminal() override;

    /// \return true once the call was connected (Connect sent or received)
    bool IsConnected() const
    {
        return m_connected;
    }

    /// \return true once a RCF arrived
    bool IsRegistered() const
    {
        return m_registered;
    }

    /// \return the alternate gatekeepers the GCF/RCF named
    uint32_t GetAlternateGatekeepers() const
    {
        return m_alternates;
    }

    /// \return the media stream (nullptr before the start)
    Ptr<RtpStream> GetRtp() const
    {
        return m_rtp;
    }

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// \return the node's first IPv4 address
    uint32_t LocalIp() const;
    /// Send an RRQ.
    void Register();
    /// A RAS datagram arrived.
    void RasReceive(Ptr<Socket> s);
    /// Call \p ip:\p port.
    void Call(uint32_t ip, uint16_t port);
    /// The call-signalling connection is up (caller).
    void Connected(Ptr<Socket> s);
    /// The call-signalling connection was accepted (callee).
    void Accepted(Ptr<Socket> s, const Address& from);
    /// The H.245 connection was accepted (callee).
    void AcceptedH245(Ptr<Socket> s, const Address& from);
    /// Bytes arrived on a TCP socket.
    void Receive(Ptr<Socket> s);
    /// Handle one Q.931 frame.
    void OnQ931(Ptr<Socket> s, const std::vector<uint8_t>& frame);
    /// Handle one H.245 frame.
    void OnH245(Ptr<Socket> s, const std::vector<uint8_t>& frame);
    /// Start media towards the first mediaChannel of \p d (RTCP: its mediaControlChannel).
    bool StartMedia(const H323Decoded& d);
    /// Send our OpenLogicalChannel on H.245.
    void SendOlc();
    /// Caller: end the call.
    void Release();

    std::string m_role{"caller"}; //!< caller or callee
    Ipv4Address m_peer;           //!< callee address (direct calls)
    Ipv4Address m_gatekeeper;     //!< gatekeeper (0.0.0.0: none)
    bool m_fastStart{true};       //!< offer fast start
    uint16_t m_rtpPort{16384};    //!< RTP port (RTCP + 1)
    uint16_t m_h245Port{1300};    //!< H.245 listening port (callee, no fast start)
    Time m_duration{Seconds(2)};  //!< call length (caller)
    Ptr<RtpStream> m_rtp;         //!< media
    Ptr<Socket> m_ras;            //!< RAS socket
    Ptr<Socket> m_listen;         //!< callee: call signalling listener
    Ptr<Socket> m_h245Listen;     //!< callee: H.245 listener
    Ptr<Socket> m_signal;         //!< the call-signalling connection
    Ptr<Socket> m_h245;           //!< the H.245 connection
    std::map<Ptr<Socket>, std::vector<uint8_t>> m_buffers; //!< partial TPKT frames
    bool m_connected{false};                               //!< the call was connected
    bool m_registered{false};                              //!< RCF seen
    bool m_olcSent{false};                                 //!< our OpenLogicalChannel went out
    uint32_t m_alternates{0};                              //!< alternate gatekeepers named
    uint16_t m_seq{1};                                     //!< RAS sequence number
};

} // namespace ns3

#endif // FORTIGATE_H323_TERMINAL_H
