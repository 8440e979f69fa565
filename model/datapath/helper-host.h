/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef HELPER_HOST_H
#define HELPER_HOST_H

#include "session-logger.h"

#include "ns3/fortigate-config.h"
#include "ns3/ipv4-header.h"
#include "ns3/packet.h"
#include "ns3/session-helper.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * The session helper instances of one unit (architecture §3, helper binding): it creates a
 * unit's instance of a helper the first time a session or a command names it (through
 * SessionHelperRegistry), keeps it configured, routes its VoIP log entries to the unit's log,
 * and binds a new session to a helper: the helper families' engine selectors first, then the
 * `config system session-helper` table. Session::helperId is an instance's position + 1.
 */
class HelperHost
{
  public:
    /**
     * \param config the unit's running configuration (helpers are configured from it)
     * \param logger where the helpers' VoIP log entries go
     */
    HelperHost(const FortiGateConfig& config, SessionLogger& logger);

    /// \return the id of the unit's instance of helper \p name (created on first use), or 0
    ///         when no helper of that name is registered (or 255 exist)
    uint8_t IdFor(const std::string& name);

    /// \return the unit's instance of helper \p name (created on first use), or nullptr
    Ptr<SessionHelper> Get(const std::string& name);

    /// \return the instance of a valid id (1..All().size())
    const Ptr<SessionHelper>& At(uint8_t id) const
    {
        return m_helpers[id - 1];
    }

    /// \return true when \p id names an instance
    bool Has(uint8_t id) const
    {
        return id != 0 && id <= m_helpers.size();
    }

    /// \return every instance (Session::helperId - 1)
    const std::vector<Ptr<SessionHelper>>& All() const
    {
        return m_helpers;
    }

    /// Hand the running configuration (changed) to every instance.
    void ApplyConfig(const FortiGateConfig& config);

    /**
     * Bind new session \p s (created by \p policy for \p proto / \p dport after DNAT) to a
     * helper: a helper family's engine selector decides first; else the session-helper table.
     * The bound helper is told (SessionHelper::OnSessionCreated).
     */
    void Bind(Session& s, const FirewallPolicy& policy, uint8_t proto, uint16_t dport);

    /**
     * Build a helper's UDP answer to a datagram that arrived with tuple \p arrived: from where
     * it was going, back where it came from (checksums when Node::ChecksumEnabled()).
     * \param arrived the tuple of the datagram answered
     * \param payload the answer
     * \param h set to the answer's IPv4 header
     * \return the answer's UDP datagram
     */
    static Ptr<Packet> MakeUdpReply(const FlowTuple& arrived,
                                    const std::string& payload,
                                    Ipv4Header& h);

  private:
    /// Ask the helper families' engine selectors (SessionHelperRegistry::Selectors) to bind
    /// \p s. \return false when none claims it (the session-helper table decides)
    bool BindBySelector(Session& s, const FirewallPolicy& policy, uint8_t proto, uint16_t dport);

    const FortiGateConfig& m_config;           //!< the unit's configuration
    SessionLogger& m_logger;                   //!< VoIP log entries go here
    std::vector<Ptr<SessionHelper>> m_helpers; //!< instances (Session::helperId - 1)
};

} // namespace ns3

#endif // HELPER_HOST_H
