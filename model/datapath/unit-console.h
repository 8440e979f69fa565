/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef UNIT_CONSOLE_H
#define UNIT_CONSOLE_H

#include "flow-trace.h"
#include "interface-sync.h"
#include "traffic-log.h"

#include "ns3/fortios-cli.h"
#include "ns3/session-diagnose.h"

#include <string>
#include <vector>

namespace ns3
{

class FortiGateNode;
class SessionHelper;

/**
 * \ingroup fortigate
 * The console of one FortiGate unit (architecture §3, "diagnose"): it parses what is typed on
 * it and dispatches it. FortiOS CLI text (`config ... end`, `show`, `get`) goes to the CLI
 * engine on a copy of the running configuration; `diagnose sys session ...` and `get system
 * session ...` to SessionDiagnose (which keeps the session filter); `diagnose debug ...` to the
 * flow trace and the debug console; `execute log ...` to the traffic log; the helper families'
 * own commands (SessionHelperRegistry::DiagnoseCommands) to their folders.
 *
 * It holds the console's own state (the session filter, `diagnose debug enable`, the debug
 * output not read yet, the FortiOS version whose layout it prints) and reads the unit's state
 * through FortiGateNode's public API; it changes the configuration only through SetConfig.
 */
class UnitConsole
{
  public:
    /**
     * \param node the unit (its configuration, tables and counters)
     * \param ifs the unit's interface mapping (device indexes, local addresses)
     * \param flow the unit's flow trace (`diagnose debug flow`)
     * \param log the unit's traffic log (`execute log`)
     * \param helpers the unit's session helper instances (by Session::helperId - 1)
     */
    UnitConsole(FortiGateNode& node,
                const InterfaceSync& ifs,
                FlowTrace& flow,
                TrafficLog& log,
                const std::vector<Ptr<SessionHelper>>& helpers);

    /// FortiGateNode::Diagnose: run one diagnose/get/execute command and return its output.
    std::string Diagnose(const std::string& command);

    /// FortiGateNode::Execute: run CLI text (configuration changes are applied atomically).
    FortiOsCli::Result Execute(const std::string& text);

    /// \return the debug console's text since the last call (then cleared)
    std::string ReadDebugConsole();

    /// Write flow-trace record \p r to the debug console when `diagnose debug enable` is on.
    void OnFlowRecord(const FlowTraceRecord& r);

    /// Print FortiOS 6 (true) or 7 (false) layouts.
    void SetFortiOs6(bool six)
    {
        m_fortiOs6 = six;
    }

    /// \return true when the console prints FortiOS 6 layouts
    bool IsFortiOs6() const
    {
        return m_fortiOs6;
    }

  private:
    /// `diagnose debug ...` commands (the words after "diagnose debug").
    std::string DebugCommand(const std::vector<std::string>& words);
    /// `execute log ...` / `execute ...` commands (the words after "execute").
    std::string ExecuteCommand(const std::vector<std::string>& words);
    /// The unit's state as SessionDiagnose prints it.
    DiagnoseContext MakeDiagnoseContext() const;

    FortiGateNode& m_node;                            //!< the unit
    const InterfaceSync& m_ifs;                       //!< its interface mapping
    FlowTrace& m_flow;                                //!< its flow trace
    TrafficLog& m_log;                                //!< its traffic log
    const std::vector<Ptr<SessionHelper>>& m_helpers; //!< its helper instances
    SessionDiagnose m_diagnose;                       //!< `diagnose sys session` state (filter)
    bool m_debugEnabled{false};                       //!< `diagnose debug enable`
    std::string m_debugConsole;                       //!< debug output not read yet
    bool m_fortiOs6{false};                           //!< print FortiOS 6 layouts
};

} // namespace ns3

#endif // UNIT_CONSOLE_H
