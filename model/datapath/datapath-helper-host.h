/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DATAPATH_HELPER_HOST_H
#define DATAPATH_HELPER_HOST_H

#include "expectation-table.h"
#include "helper-host.h"
#include "pinhole-ports.h"
#include "session-table.h"

#include "ns3/ipv4-routing-protocol.h"
#include "ns3/net-device.h"
#include "ns3/session-helper.h"

#include <functional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * How a packet a helper inspects arrived (HelperContext::arrival in the datapath): where an
 * answer to it goes back through.
 */
struct PacketArrival
{
    Ptr<const NetDevice> idev;                              //!< the device it arrived on
    const Ipv4RoutingProtocol::UnicastForwardCallback* ucb; //!< how the unit forwards
};

/**
 * \ingroup fortigate
 * The datapath's SessionHelperHost (architecture §6): one per unit, bound to the unit's tables
 * when the unit is built. Pinholes and NAT reservations go to the unit's ExpectationTable,
 * ports come from its PinholePorts, children to close are queued for after the packet is
 * forwarded, and answers go out through the unit's reply sender.
 */
class DatapathHelperHost : public SessionHelperHost
{
  public:
    /**
     * Sends a helper's answer \p payload back to the sender of a packet that arrived with tuple
     * \p arrived, through \p how. \return false when it cannot be sent
     */
    using ReplySender = std::function<
        bool(const FlowTuple& arrived, const std::string& payload, const PacketArrival& how)>;

    /**
     * \param sessions the unit's session table
     * \param pinholes the unit's pinholes and NAT reservations
     * \param ports the unit's public port chooser
     * \param closeAfterForward where serials of sessions to close after the packet go
     * \param reply the unit's reply sender
     * \param helpers the unit's helper instances (their per-session pinhole limits)
     */
    DatapathHelperHost(SessionTable& sessions,
                       ExpectationTable& pinholes,
                       const PinholePorts& ports,
                       std::vector<uint32_t>& closeAfterForward,
                       ReplySender reply,
                       const HelperHost& helpers);

    bool OpenPinhole(const Session& s, const Expectation& e) override;
    uint16_t AllocatePort(uint8_t proto, uint32_t ip, uint16_t preferred) override;
    uint16_t AllocatePortFor(uint8_t proto,
                             uint32_t pubIp,
                             uint16_t preferred,
                             uint32_t privIp,
                             uint16_t privPort) override;
    uint16_t MappedPort(uint8_t proto, uint32_t privIp, uint16_t privPort, uint32_t pubIp) override;
    bool ReserveNat(const Session& s, const NatReservation& r) override;
    uint32_t RemoveReservations(const Session& s,
                                const std::function<bool(const NatReservation&)>& pred) override;
    uint32_t RemovePinholes(const Session& s,
                            const std::function<bool(const Expectation&)>& pred) override;
    uint32_t CloseChildren(const Session& s,
                           const std::function<bool(const Session&)>& pred) override;
    bool SendReply(const HelperContext& ctx, const std::string& payload) override;
    bool WithSession(uint32_t serial,
                     int64_t nowNs,
                     const std::function<void(HelperContext&)>& fn) override;

  private:
    SessionTable& m_sessions;                   //!< the unit's sessions
    ExpectationTable& m_pinholes;               //!< the unit's pinholes and reservations
    const PinholePorts& m_ports;                //!< public port choice
    std::vector<uint32_t>& m_closeAfterForward; //!< sessions to close after the packet
    const HelperHost& m_helpers;                //!< the unit's helper instances
    ReplySender m_reply;                        //!< answers go out here
};

} // namespace ns3

#endif // DATAPATH_HELPER_HOST_H
