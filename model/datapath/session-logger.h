/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SESSION_LOGGER_H
#define SESSION_LOGGER_H

#include "packet-view.h"
#include "session-table.h"
#include "traffic-log.h"

#include "ns3/fortigate-config.h"

#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * Writes a unit's log lines from its datapath events (architecture §3, troubleshooting): the
 * traffic log of a session (start, close, timeout, RST) and of a packet a policy denied, and
 * the interfaces and addresses of a session helper's VoIP log entry. It names interfaces and
 * services as FortiOS's logs do; TrafficLog formats and stores the lines.
 */
class SessionLogger
{
  public:
    /**
     * \param config the unit's running configuration (interface and service names)
     * \param sessions the unit's session table (serials, signalling sessions)
     * \param log where the lines go
     */
    SessionLogger(const FortiGateConfig& config, const SessionTable& sessions, TrafficLog& log);

    /// \return the name of configuration interface \p ifIndex ("" when none)
    std::string IfName(int ifIndex) const;

    /// \return the FortiOS service name a log shows for a flow ("HTTP", "udp/5060")
    std::string ServiceName(uint8_t proto, uint16_t dport, int icmpType) const;

    /// Write the traffic log line of session \p s with \p action (the caller checks SES_LOG).
    void LogSession(const Session& s, const char* action);

    /// Note a RST of logged TCP session \p s in direction \p d (0 original, 1 reply): the
    /// first one names who reset it in the session's close line.
    void NoteRst(const Session& s, int d)
    {
        m_rstSeen.emplace(s.serial, d == 0 ? 1 : 2);
    }

    /// Write the close line of logged session \p s, which left the table for \p why:
    /// client-rst / server-rst, TCP timeout / close, else accept.
    void LogClose(const Session& s, SessionCloseReason why);

    /// Write the deny log line of a packet denied by policy \p policyId.
    void LogDeny(const PacketView& v, int inIf, int outIf, uint32_t policyId);

    /// Complete a helper's VoIP log entry from its signalling session (interfaces; addresses
    /// for an event without a packet) and write it.
    void LogVoip(VoipLogEntry& e);

  private:
    const FortiGateConfig& m_config;       //!< the unit's configuration
    const SessionTable& m_sessions;        //!< the unit's sessions
    TrafficLog& m_log;                     //!< the unit's log
    std::map<uint32_t, uint8_t> m_rstSeen; //!< session serial -> 1 client / 2 server RST
};

} // namespace ns3

#endif // SESSION_LOGGER_H
