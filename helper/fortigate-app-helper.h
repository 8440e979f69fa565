/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_APP_HELPER_H
#define FORTIGATE_APP_HELPER_H

#include "ns3/application-container.h"
#include "ns3/config-error.h"
#include "ns3/names.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>

namespace ns3
{

/**
 * \ingroup fortigate
 * The common part of this module's application helpers (ns-3.37 has no ApplicationHelper): an
 * ObjectFactory creating \p App, SetAttribute(), and Install() on a node, a named node or each
 * node of a container. A protocol's helper derives from it, sets the attributes its constructor
 * takes, and overrides Configure() when an application needs more than attributes.
 *
 * \tparam App the Application subclass installed
 */
template <class App>
class FortiGateAppHelper
{
  public:
    virtual ~FortiGateAppHelper() = default;

    /**
     * Set an attribute of every application this helper creates afterwards.
     * \param name attribute name
     * \param value attribute value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value)
    {
        m_factory.Set(name, value);
    }

    /// \return one application on \p node. Throws ConfigError for a null node
    ApplicationContainer Install(Ptr<Node> node) const
    {
        if (!node)
        {
            throw ConfigError(m_name + ": Install: node is null");
        }
        Ptr<App> app = m_factory.Create<App>();
        Configure(app);
        node->AddApplication(app);
        return ApplicationContainer(app);
    }

    /// \return one application on the node named \p nodeName (ns3::Names). Throws ConfigError
    ///         when no node has that name
    ApplicationContainer Install(const std::string& nodeName) const
    {
        Ptr<Node> node = Names::Find<Node>(nodeName);
        if (!node)
        {
            throw ConfigError(m_name + ": Install: no node named \"" + nodeName + "\"");
        }
        return Install(node);
    }

    /// \return one application on each node of \p c
    ApplicationContainer Install(NodeContainer c) const
    {
        ApplicationContainer apps;
        for (auto i = c.Begin(); i != c.End(); ++i)
        {
            apps.Add(Install(*i));
        }
        return apps;
    }

  protected:
    /// \param name the helper's class name, for error messages
    explicit FortiGateAppHelper(const std::string& name)
        : m_name(name)
    {
        m_factory.SetTypeId(App::GetTypeId());
    }

    /// Called on each new application before it is added to its node (nothing by default).
    virtual void Configure(Ptr<App> /* app */) const
    {
    }

    ObjectFactory m_factory; //!< creates the applications
    std::string m_name;      //!< the helper's class name (messages)
};

} // namespace ns3

#endif // FORTIGATE_APP_HELPER_H
