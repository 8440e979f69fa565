/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PINHOLE_PORTS_H
#define PINHOLE_PORTS_H

#include "expectation-table.h"
#include "session-table.h"

#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Chooses the public ports session helpers announce (architecture §3, helper hosting): a port
 * of a translated address that no pinhole, session or NAT reservation holds, and the port an
 * endpoint is already mapped to (SessionHelperHost::AllocatePort, AllocatePortFor, MappedPort).
 *
 * It reads the unit's session table and pinhole table and draws random ports from the unit's
 * random variable (FortiGateNode::AssignStreams fixes its stream).
 */
class PinholePorts
{
  public:
    /**
     * \param sessions the unit's session table
     * \param pinholes the unit's pinholes and NAT reservations
     * \param rng the unit's random variable for port choice
     */
    PinholePorts(const SessionTable& sessions,
                 const ExpectationTable& pinholes,
                 Ptr<UniformRandomVariable> rng);

    /**
     * A free port of \p ip for protocol \p proto: \p preferred when free, else a random one
     * of 1024-65535. privIp 0: held by nobody; else the endpoint \p privIp:\p privPort's own
     * flows and reservation do not count as holding a port.
     * \return the port, or 0 when none was found
     */
    uint16_t Allocate(uint8_t proto,
                      uint32_t ip,
                      uint16_t preferred,
                      uint32_t privIp = 0,
                      uint16_t privPort = 0) const;

    /**
     * \return the port of \p ip endpoint \p privIp:\p privPort is mapped to: its NAT
     * reservation, else its newest session translated to \p ip (0: none)
     */
    uint16_t Mapped(uint8_t proto, uint32_t privIp, uint16_t privPort, uint32_t ip) const;

  private:
    /// \return, per port of \p ip, whether a pinhole or session holds it for anything other
    ///         than endpoint \p ownerIp:\p ownerPort (0: anything holds it); NAT
    ///         reservations are looked up per port
    std::vector<bool> HeldPorts(uint8_t proto,
                                uint32_t ip,
                                uint32_t ownerIp,
                                uint16_t ownerPort) const;

    const SessionTable& m_sessions;     //!< the unit's sessions
    const ExpectationTable& m_pinholes; //!< the unit's pinholes and reservations
    Ptr<UniformRandomVariable> m_rng;   //!< port choice
};

} // namespace ns3

#endif // PINHOLE_PORTS_H
