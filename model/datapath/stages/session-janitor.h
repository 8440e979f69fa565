/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SESSION_JANITOR_H
#define FORTIGATE_SESSION_JANITOR_H

#include "datapath-parts.h"

#include "ns3/event-id.h"

#include <string>

namespace ns3
{

class HeldSegments;
class HelperStage;
class SnatStage;

/**
 * \ingroup fortigate
 * Expiry and clean-up: one tick per whole simulated second while sessions or pinholes exist
 * (session timers, pinholes, fragments, the session helpers' own housekeeping), and what goes
 * with a session that leaves the table (its held bytes, IP pool port, pinholes and NAT
 * reservations, children that follow it, its close log line and trace).
 */
class SessionJanitor
{
  public:
    /// \param dp the unit's shared parts \param snat releases pool ports \param held held
    /// segments \param helper fills housekeeping contexts \param closed SessionClosed trace
    SessionJanitor(DatapathParts& dp,
                   SnatStage& snat,
                   HeldSegments& held,
                   HelperStage& helper,
                   TracedCallback<const Session&, const std::string&>& closed);

    /// Expire what is due before a packet is looked up (between ticks).
    void AdvanceIfDue();

    /// Keep the tick running while sessions or pinholes exist.
    void ScheduleTick();

    /// The session table's close callback.
    void OnSessionClosed(Session& s, SessionCloseReason why);

    /// Stop ticking (the unit is disposed).
    void Cancel();

  private:
    /// One tick: expire sessions, pinholes and fragments; run the helpers' housekeeping.
    void Tick();

    DatapathParts& m_dp;                                                      //!< shared parts
    SnatStage& m_snat;                                                        //!< pool ports
    HeldSegments& m_held;                                                     //!< held segments
    HelperStage& m_helper;                                                    //!< helper contexts
    SessionTable* m_sessions;                                                 //!< session table
    ExpectationTable& m_expectations;                                         //!< pinholes
    FragmentTable& m_fragments;                                               //!< fragments
    HelperHost& m_helperHost;                                                 //!< helper instances
    SessionLogger& m_logger;                                                  //!< close log lines
    TracedCallback<const Session&, const std::string&>& m_sessionClosedTrace; //!< trace
    EventId m_tick;                                                           //!< 1 s expiry tick
};

} // namespace ns3

#endif // FORTIGATE_SESSION_JANITOR_H
