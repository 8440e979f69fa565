/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_MMS_SESSION_HELPER_H
#define FORTIGATE_MMS_SESSION_HELPER_H

#include "ns3/session-helper.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * The FortiOS `mms` session helper (TCP 1863, entry 10).
 *
 * FortiOS documents nothing beyond its name and port (the handbook's session-helper list
 * gives "Multimedia message service"; TCP 1863 is also the MSN Messenger port, and the
 * FortiOS Carrier MMS scanning of MM1/MM3/MM4/MM7 runs in the proxy over HTTP and SMTP, not in
 * this helper). So the helper binds sessions (`helper=mms` in the session list), counts the
 * sessions and packets it sees, and changes nothing: see doc/fortigate.md.
 */
class MmsSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    std::string GetName() const override;
    void OnSessionCreated(Session& s) override;
    void Inspect(HelperContext& ctx) override;

    /// \return sessions bound
    uint64_t GetSessions() const
    {
        return m_sessions;
    }

    /// \return packets seen
    uint64_t GetPackets() const
    {
        return m_packets;
    }

  private:
    uint64_t m_sessions{0}; //!< sessions bound
    uint64_t m_packets{0};  //!< packets seen
};

} // namespace ns3

#endif // FORTIGATE_MMS_SESSION_HELPER_H
