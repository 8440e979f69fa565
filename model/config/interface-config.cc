/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Configuration family "interfaces and routes": `config system interface`.

#include "config-util.h"
#include "fortigate-config.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateConfigInterface");

using namespace config;

const std::vector<std::string>&
AllowAccessNames()
{
    static const std::vector<std::string> names{"ping",
                                                "https",
                                                "ssh",
                                                "http",
                                                "telnet",
                                                "snmp",
                                                "fgfm",
                                                "radius-acct",
                                                "probe-response",
                                                "fabric",
                                                "ftm",
                                                "speed-test",
                                                "capwap"};
    return names;
}

bool
InterfaceConfig::operator==(const InterfaceConfig& o) const
{
    return name == o.name && ip == o.ip && mask == o.mask && alias == o.alias && role == o.role &&
           allowaccess == o.allowaccess;
}

bool
AllowAccessCovers(const std::vector<std::string>& allowaccess, uint8_t proto, uint16_t port)
{
    struct Access
    {
        const char* name;
        uint8_t proto;
        uint16_t lo;
        uint16_t hi;
    };

    static const Access table[] = {
        {"ping", 1, 0, 65535},
        {"http", 6, 80, 80},
        {"https", 6, 443, 443},
        {"ssh", 6, 22, 22},
        {"telnet", 6, 23, 23},
        {"snmp", 17, 161, 161},
        {"fgfm", 6, 541, 541},
        {"radius-acct", 17, 1813, 1813},
        {"probe-response", 17, 8008, 8008},
        {"fabric", 6, 8013, 8013},
        {"ftm", 6, 4433, 4433},
        {"speed-test", 6, 5201, 5201},
        {"capwap", 17, 5246, 5247},
    };
    for (const Access& a : table)
    {
        if (a.proto == proto && port >= a.lo && port <= a.hi && Contains(allowaccess, a.name))
        {
            return true;
        }
    }
    return false;
}

// ---- interfaces -----------------------------------------------------------------------------

void
FortiGateConfig::CheckInterface(const InterfaceConfig& i) const
{
    const std::string obj = IfLabel(i.name);
    CheckName(obj, i.name, MAX_IF_NAME);
    if (i.name == "any")
    {
        Fail(obj + ": name: \"any\" is reserved");
    }
    if (!IsContiguousMask(i.mask))
    {
        Fail(obj + ": ip: mask " + Ipv4ToString(i.mask) + " is not contiguous");
    }
    if (i.role != "lan" && i.role != "wan" && i.role != "dmz" && i.role != "undefined")
    {
        Fail(obj + ": role: invalid value '" + i.role + "' (lan|wan|dmz|undefined)");
    }
    for (const auto& a : i.allowaccess)
    {
        if (!Contains(AllowAccessNames(), a))
        {
            Fail(obj + ": allowaccess: invalid value '" + a + "'");
        }
    }
}

uint8_t
FortiGateConfig::AddInterface(const InterfaceConfig& intf)
{
    NS_LOG_FUNCTION(this);
    CheckInterface(intf);
    if (FindInterface(intf.name) >= 0)
    {
        Fail(IfLabel(intf.name) + ": name: already exists");
    }
    if (m_interfaces.size() >= MAX_INTERFACES)
    {
        Fail(IfLabel(intf.name) + ": too many interfaces (at most 256)");
    }
    m_interfaces.push_back(intf);
    Changed();
    return static_cast<uint8_t>(m_interfaces.size() - 1);
}

void
FortiGateConfig::SetInterface(const InterfaceConfig& intf)
{
    NS_LOG_FUNCTION(this);
    const int idx = FindInterface(intf.name);
    if (idx < 0)
    {
        Fail(IfLabel(intf.name) + " does not exist");
    }
    CheckInterface(intf);
    m_interfaces[idx] = intf;
    Changed();
}

void
FortiGateConfig::DeleteInterface(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    const int idx = FindInterface(name);
    if (idx < 0)
    {
        Fail(IfLabel(name) + " does not exist");
    }
    FailIfUsed(NameKind::INTERFACE, name, IfLabel(name));
    m_interfaces.erase(m_interfaces.begin() + idx);
    Changed();
}

int
FortiGateConfig::FindInterface(const std::string& name) const
{
    for (size_t i = 0; i < m_interfaces.size(); ++i)
    {
        if (m_interfaces[i].name == name)
        {
            return static_cast<int>(i);
        }
    }
    return -1;
}

const InterfaceConfig*
FortiGateConfig::FindInterfaceConfig(const std::string& name) const
{
    const int idx = FindInterface(name);
    return idx < 0 ? nullptr : &m_interfaces[idx];
}

} // namespace ns3
