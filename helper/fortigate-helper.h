/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_HELPER_H
#define FORTIGATE_HELPER_H

#include "ns3/application-container.h"
#include "ns3/event-id.h"
#include "ns3/fortigate-config.h"
#include "ns3/fortigate-node.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"

#include <functional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Turns ns-3 nodes into FortiGates.
 *
 * Install() needs a node with the internet stack. It puts a FortiGateRouting in front of the
 * node's routing (keeping the static and global routing that were there), creates the
 * FortiGateNode application, names the node's IPv4 interfaces (`port1`, `port2`, ... in ns-3
 * interface order, or the names given with SetInterfaceNames) and applies the configuration
 * given with SetConfig (validated: a bad configuration throws ConfigError and installs nothing).
 *
 * \code
 *   FortiGateHelper fgt;
 *   fgt.SetInterfaceNames({"internal", "wan1"});
 *   FortiGateConfig cfg = FortiGateConfig();  // then add policies, pools, VIPs
 *   fgt.SetConfig(cfg);
 *   Ptr<FortiGateNode> fg = fgt.Install(node);
 * \endcode
 */
class FortiGateHelper
{
  public:
    FortiGateHelper();

    /// Set an attribute of every FortiGateNode created (e.g. "MaxSessions").
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /// Set an attribute of every FortiGate's CpuModel (e.g. "FastPathCost").
    void SetCpuAttribute(const std::string& name, const AttributeValue& value);

    /// Names for the node's IPv4 interfaces with a device, in ns-3 interface order (loopback
    /// excluded). Interfaces beyond the list are named portN.
    void SetInterfaceNames(const std::vector<std::string>& names);

    /// Configuration applied at install (interfaces are added to it from the devices).
    void SetConfig(const FortiGateConfig& config);

    /// Install on one node. \return the FortiGate
    Ptr<FortiGateNode> Install(Ptr<Node> node) const;

    /// Install on several nodes.
    ApplicationContainer Install(NodeContainer nodes) const;

    /// \return the FortiGate installed on \p node, or nullptr
    static Ptr<FortiGateNode> Get(Ptr<Node> node);

    /**
     * Assign fixed random variable stream numbers to the FortiGates on \p nodes.
     * \return the number of streams used
     */
    int64_t AssignStreams(NodeContainer nodes, int64_t stream) const;

  private:
    ObjectFactory m_factory;          //!< FortiGateNode factory
    ObjectFactory m_cpuFactory;       //!< CpuModel factory
    std::vector<std::string> m_names; //!< interface names
    FortiGateConfig m_config;         //!< configuration applied at install

  public:
    // ---- FortiOS CLI --------------------------------------------------------------------------

    /**
     * FortiOS CLI text to run on every FortiGate this helper installs, after SetConfig and the
     * interface mapping (so it can use `port1`, `wan1`, ...). Several texts run in order, each
     * as one atomic batch; a rejected batch makes Install throw ConfigError with the error and
     * its line number.
     */
    void AddCliConfig(const std::string& text);

    /// AddCliConfig with the contents of a file. \throws ConfigError when it cannot be read
    void AddCliConfigFile(const std::string& path);

    /**
     * Run FortiOS CLI text on \p fortigate at simulated time \p at (absolute; not before
     * Now()), e.g. delete the SIP helper at 30 s, or `diagnose sys session clear`.
     * \param done called with the result; when empty, a rejected batch stops the simulation
     *        with NS_FATAL_ERROR (a change that silently did not happen would spoil a study)
     * \return the scheduled event
     * \throws ConfigError when \p at is in the past
     */
    static EventId ScheduleCli(Ptr<FortiGateNode> fortigate,
                               Time at,
                               const std::string& text,
                               std::function<void(const FortiOsCli::Result&)> done = {});

  private:
    std::vector<std::string> m_cliTexts; //!< CLI batches run at install
};

} // namespace ns3

#endif // FORTIGATE_HELPER_H
