/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fortigate-helper.h"

#include "ns3/adopted-routing.h"
#include "ns3/application-container.h"
#include "ns3/config-error.h"
#include "ns3/fortigate-routing.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <fstream>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateHelper");

FortiGateHelper::FortiGateHelper()
{
    m_factory.SetTypeId(FortiGateNode::GetTypeId());
    m_cpuFactory.SetTypeId(CpuModel::GetTypeId());
}

void
FortiGateHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
FortiGateHelper::SetCpuAttribute(const std::string& name, const AttributeValue& value)
{
    m_cpuFactory.Set(name, value);
}

void
FortiGateHelper::SetInterfaceNames(const std::vector<std::string>& names)
{
    m_names = names;
}

void
FortiGateHelper::SetConfig(const FortiGateConfig& config)
{
    config.Validate();
    m_config = config;
}

namespace
{

/// Put a FortiGateRouting in front of the node's routing, keeping its protocols.
Ptr<FortiGateRouting>
InstallRouting(Ptr<Ipv4> ipv4)
{
    Ptr<Ipv4RoutingProtocol> current = ipv4->GetRoutingProtocol();
    Ptr<FortiGateRouting> fg = DynamicCast<FortiGateRouting>(current);
    if (fg)
    {
        return fg;
    }
    fg = CreateObject<FortiGateRouting>();
    Ptr<Ipv4ListRouting> list = DynamicCast<Ipv4ListRouting>(current);
    std::vector<std::pair<Ptr<Ipv4RoutingProtocol>, int16_t>> keep;
    if (list)
    {
        for (uint32_t i = 0; i < list->GetNRoutingProtocols(); ++i)
        {
            int16_t prio;
            Ptr<Ipv4RoutingProtocol> p = list->GetRoutingProtocol(i, prio);
            keep.emplace_back(p, prio);
        }
    }
    else if (current)
    {
        keep.emplace_back(current, 0);
    }
    ipv4->SetRoutingProtocol(fg);
    for (auto& [proto, prio] : keep)
    {
        Ptr<Ipv4StaticRouting> st = DynamicCast<Ipv4StaticRouting>(proto);
        if (st)
        {
            // A fresh static routing learns the interface routes itself; copy the others.
            Ptr<Ipv4StaticRouting> copy = CreateObject<Ipv4StaticRouting>();
            fg->AddRoutingProtocol(copy, prio);
            for (uint32_t r = 0; r < st->GetNRoutes(); ++r)
            {
                Ipv4RoutingTableEntry e = st->GetRoute(r);
                if (e.GetGateway() == Ipv4Address::GetZero() && !e.IsDefault())
                {
                    continue; // interface (connected) route, re-created by the copy
                }
                copy->AddNetworkRouteTo(e.GetDestNetwork(),
                                        e.GetDestNetworkMask(),
                                        e.GetGateway(),
                                        e.GetInterface(),
                                        st->GetMetric(r));
            }
        }
        else
        {
            // Already bound to this IPv4 (global routing, OLSR, ...): ns-3 binds a protocol
            // once (Ipv4GlobalRouting::SetIpv4 asserts it), and the list binds what it is given.
            fg->AddRoutingProtocol(CreateObject<AdoptedRouting>(proto, ipv4), prio);
        }
    }
    return fg;
}

} // namespace

Ptr<FortiGateNode>
FortiGateHelper::Install(Ptr<Node> node) const
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    if (!ipv4)
    {
        throw ConfigError("FortiGateHelper::Install: node " + std::to_string(node->GetId()) +
                          " has no internet stack");
    }
    Ptr<FortiGateNode> fg = m_factory.Create<FortiGateNode>();
    Ptr<CpuModel> cpu = m_cpuFactory.Create<CpuModel>();
    fg->SetCpuModel(cpu);
    fg->SetConfig(m_config);
    node->AddApplication(fg);
    Ptr<FortiGateRouting> routing = InstallRouting(ipv4);
    size_t n = 0;
    for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
    {
        Ptr<NetDevice> dev = ipv4->GetNetDevice(i);
        if (!dev || ipv4->GetNAddresses(i) == 0 ||
            ipv4->GetAddress(i, 0).GetLocal() == Ipv4Address::GetLoopback())
        {
            continue;
        }
        std::string name = n < m_names.size() ? m_names[n] : "port" + std::to_string(n + 1);
        ++n;
        fg->AddInterface(name, dev);
    }
    routing->SetPreRoutingHook(PeekPointer(fg));
    fg->SetRouting(routing);
    for (const auto& text : m_cliTexts)
    {
        const FortiOsCli::Result r = fg->Execute(text);
        if (!r.ok)
        {
            throw ConfigError("FortiGateHelper: CLI configuration rejected: " + r.error);
        }
    }
    return fg;
}

ApplicationContainer
FortiGateHelper::Install(NodeContainer nodes) const
{
    ApplicationContainer apps;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        apps.Add(Install(*it));
    }
    return apps;
}

Ptr<FortiGateNode>
FortiGateHelper::Get(Ptr<Node> node)
{
    for (uint32_t i = 0; i < node->GetNApplications(); ++i)
    {
        Ptr<FortiGateNode> fg = DynamicCast<FortiGateNode>(node->GetApplication(i));
        if (fg)
        {
            return fg;
        }
    }
    return nullptr;
}

int64_t
FortiGateHelper::AssignStreams(NodeContainer nodes, int64_t stream) const
{
    int64_t used = 0;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<FortiGateNode> fg = Get(*it);
        if (fg)
        {
            used += fg->AssignStreams(stream + used);
        }
    }
    return used;
}

// ---- FortiOS CLI -------------------------------------------------------------------------------

void
FortiGateHelper::AddCliConfig(const std::string& text)
{
    m_cliTexts.push_back(text);
}

void
FortiGateHelper::AddCliConfigFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw ConfigError("FortiGateHelper: cannot read CLI configuration file '" + path + "'");
    }
    std::stringstream text;
    text << in.rdbuf();
    m_cliTexts.push_back(text.str());
}

EventId
FortiGateHelper::ScheduleCli(Ptr<FortiGateNode> fortigate,
                             Time at,
                             const std::string& text,
                             std::function<void(const FortiOsCli::Result&)> done)
{
    if (!fortigate)
    {
        throw ConfigError("FortiGateHelper::ScheduleCli: no FortiGate");
    }
    if (at < Simulator::Now())
    {
        throw ConfigError("FortiGateHelper::ScheduleCli: time " + std::to_string(at.GetSeconds()) +
                          " s is in the past");
    }
    return Simulator::Schedule(at - Simulator::Now(), [fortigate, text, done]() {
        const FortiOsCli::Result r = fortigate->Execute(text);
        NS_LOG_INFO("CLI batch at " << Simulator::Now().GetSeconds()
                                    << " s: " << (r.ok ? "applied" : r.error));
        if (done)
        {
            done(r);
        }
        else if (!r.ok)
        {
            NS_FATAL_ERROR("scheduled FortiOS CLI batch rejected at "
                           << Simulator::Now().GetSeconds() << " s:\n"
                           << r.error);
        }
    });
}

} // namespace ns3
