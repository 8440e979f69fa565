/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_H323_GATEKEEPER_H
#define FORTIGATE_H323_GATEKEEPER_H

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/socket.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * An H.323 gatekeeper (RAS on UDP 1719), direct-routed: GRQ gets a GCF, RRQ a RCF (both listing
 * the AlternateGatekeepers), and ARQ an ACF whose destCallSignalAddress is the call-signalling
 * address the most recent other registration announced (as it arrived: translated when a
 * session helper translated it). Answers go to the datagram's source.
 */
class H323Gatekeeper : public Application
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    H323Gatekeeper();
    ~H323Gatekeeper() override;

    /// \return RRQs answered
    uint32_t GetRegistrations() const
    {
        return m_registrations;
    }

    /// \return ARQs admitted
    uint32_t GetAdmissions() const
    {
        return m_admissions;
    }

  private:
    void StartApplication() override;
    void StopApplication() override;
    /// A datagram arrived.
    void Receive(Ptr<Socket> s);

    std::string m_alternates; //!< comma-separated alternate gatekeeper addresses
    Ptr<Socket> m_socket;     //!< UDP 1719

    struct Registration
    {
        Address from;     //!< where the RRQ came from
        uint32_t csaIp;   //!< its callSignalAddress
        uint16_t csaPort; //!< its port
    };

    std::vector<Registration> m_registered; //!< registrations, oldest first
    uint32_t m_registrations{0};            //!< RRQs answered
    uint32_t m_admissions{0};               //!< ARQs admitted
};

} // namespace ns3

#endif // FORTIGATE_H323_GATEKEEPER_H
