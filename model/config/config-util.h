/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_CONFIG_UTIL_H
#define FORTIGATE_CONFIG_UTIL_H

// Internal to model/config (not installed): the labels, checks and lookups the configuration
// families share.

#include "fortigate-config.h"

#include "ns3/flow-tuple.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace ns3
{
namespace config
{

inline constexpr std::size_t MAX_NAME = 79;        //!< FortiOS object names
inline constexpr std::size_t MAX_IF_NAME = 15;     //!< FortiOS interface names
inline constexpr std::size_t MAX_INTERFACES = 256; //!< interface index is a uint8_t
inline constexpr int MAX_GROUP_DEPTH = 64;         //!< guard against loops while expanding

inline std::string
Q(const std::string& s)
{
    return "\"" + s + "\"";
}

[[noreturn]] inline void
Fail(const std::string& msg)
{
    throw ConfigError(msg);
}

inline void
CheckName(const std::string& obj, const std::string& name, std::size_t maxLen = MAX_NAME)
{
    if (name.empty())
    {
        Fail(obj + ": name: must be set");
    }
    if (name.size() > maxLen)
    {
        Fail(obj + ": name: longer than " + std::to_string(maxLen) + " characters");
    }
}

inline std::string
AddrLabel(const std::string& name)
{
    return "firewall address " + Q(name);
}

inline std::string
AddrGrpLabel(const std::string& name)
{
    return "firewall addrgrp " + Q(name);
}

inline std::string
SvcLabel(const std::string& name)
{
    return "firewall service custom " + Q(name);
}

inline std::string
SvcGrpLabel(const std::string& name)
{
    return "firewall service group " + Q(name);
}

inline std::string
SchedLabel(const FirewallSchedule& s)
{
    return std::string("firewall schedule ") +
           (s.kind == FirewallSchedule::ONETIME ? "onetime " : "recurring ") + Q(s.name);
}

inline std::string
PoolLabel(const std::string& name)
{
    return "firewall ippool " + Q(name);
}

inline std::string
VipLabel(const std::string& name)
{
    return "firewall vip " + Q(name);
}

inline std::string
VoipLabel(const std::string& name)
{
    return "voip profile " + Q(name);
}

inline std::string
PolicyLabel(uint32_t id)
{
    return "firewall policy " + std::to_string(id);
}

inline std::string
IfLabel(const std::string& name)
{
    return "system interface " + Q(name);
}

inline std::string
HelperLabel(uint32_t id)
{
    return "system session-helper " + std::to_string(id);
}

inline std::string
RouteLabel(uint32_t id)
{
    return "router static " + std::to_string(id);
}

inline std::string
DnsTranslationLabel(uint32_t id)
{
    return "firewall dnstranslation " + std::to_string(id);
}

/// \return the position \p idx (a name or id index) holds for \p key; fails with
///         "<label> does not exist" when it holds none
template <typename Key>
size_t
PositionOf(const std::map<Key, size_t>& idx, const Key& key, const std::string& label)
{
    auto it = idx.find(key);
    if (it == idx.end())
    {
        Fail(label + " does not exist");
    }
    return it->second;
}

/// \return the position of the entry with id \p id in \p v; fails with "<label> does not exist"
///         when there is none
template <typename T>
size_t
PositionOf(const std::vector<T>& v, uint32_t id, const std::string& label)
{
    for (size_t i = 0; i < v.size(); ++i)
    {
        if (v[i].id == id)
        {
            return i;
        }
    }
    Fail(label + " does not exist");
}

/// \return the entry with id \p id in \p v, or nullptr
template <typename T>
const T*
FindById(const std::vector<T>& v, uint32_t id)
{
    for (const auto& e : v)
    {
        if (e.id == id)
        {
            return &e;
        }
    }
    return nullptr;
}

/// Insert \p e into \p v, which is sorted by id.
template <typename T>
void
InsertById(std::vector<T>& v, const T& e)
{
    auto it = std::lower_bound(v.begin(), v.end(), e.id, [](const T& a, uint32_t id) {
        return a.id < id;
    });
    v.insert(it, e);
}

/**
 * \return true when \p target is a member of group \p from or of a group reachable from it
 * \param findGroup the group (with a `members` list) of a name, or nullptr
 */
template <typename FindGroup>
bool
GroupReaches(const std::string& from, const std::string& target, FindGroup findGroup)
{
    // Iterative DFS over groups reachable from `from`.
    std::vector<std::string> stack{from};
    std::set<std::string> seen;
    while (!stack.empty())
    {
        const std::string cur = stack.back();
        stack.pop_back();
        if (!seen.insert(cur).second)
        {
            continue;
        }
        const auto* g = findGroup(cur);
        if (!g)
        {
            continue;
        }
        for (const auto& m : g->members)
        {
            if (m == target)
            {
                return true;
            }
            stack.push_back(m);
        }
    }
    return false;
}

/**
 * Check the members of group \p g (labelled \p obj): at least one, not the group itself, and
 * each an object (\p isObject) or a group (\p findGroup: the group of a name, or nullptr) that
 * does not lead back to \p g ("<obj>: member: <groupKind> \"m\" would create a loop").
 * \p unknown(m) fails for any other member.
 */
template <class Group, class IsObject, class FindGroup, class Unknown>
void
CheckGroupMembers(const std::string& obj,
                  const Group& g,
                  const std::string& groupKind,
                  IsObject isObject,
                  FindGroup findGroup,
                  Unknown unknown)
{
    if (g.members.empty())
    {
        Fail(obj + ": member: must be set");
    }
    for (const auto& m : g.members)
    {
        if (m == g.name)
        {
            Fail(obj + ": member: a group cannot contain itself");
        }
        if (isObject(m))
        {
            continue;
        }
        if (findGroup(m))
        {
            if (GroupReaches(m, g.name, findGroup))
            {
                Fail(obj + ": member: " + groupKind + " " + Q(m) + " would create a loop");
            }
            continue;
        }
        unknown(m);
    }
}

inline bool
Contains(const std::vector<std::string>& v, const std::string& s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}

inline std::string
Where(const std::string& where)
{
    return where.empty() ? std::string() : where + ": ";
}

/// Days since 1970-01-01 of a proleptic Gregorian date.

} // namespace config

// ---- FortiGateConfig's generic add / set / delete of named entries -----------------------------

template <class T>
void
FortiGateConfig::AddNamed(NamedTable<T>& table,
                          const T& entry,
                          const std::string& label,
                          NameKind space,
                          const std::string& kind,
                          Check<T> check)
{
    config::CheckName(label, entry.name);
    CheckNameFree(space, kind, entry.name);
    (this->*check)(entry);
    table.Insert(entry);
    Changed();
}

template <class T>
void
FortiGateConfig::SetNamed(NamedTable<T>& table,
                          const T& entry,
                          const std::string& label,
                          Check<T> check)
{
    table.PositionOf(entry.name, label); // fails when it does not exist
    (this->*check)(entry);
    table.Replace(entry, label);
    Changed();
}

template <class T>
void
FortiGateConfig::DeleteNamed(NamedTable<T>& table,
                             const std::string& name,
                             const std::string& label,
                             NameKind users)
{
    table.PositionOf(name, label); // fails when it does not exist
    FailIfUsed(users, name, label);
    table.Erase(name, label);
    Changed();
}

// ---- FortiGateConfig's generic add / set / delete of entries keyed by id ------------------------

template <class T>
uint32_t
FortiGateConfig::AddById(std::vector<T>& table,
                         T entry,
                         std::string (*label)(uint32_t),
                         Check<T> check)
{
    if (entry.id == 0)
    {
        entry.id = table.empty() ? 1 : table.back().id + 1;
    }
    if (config::FindById(table, entry.id))
    {
        config::Fail(label(entry.id) + ": id: already exists");
    }
    (this->*check)(entry);
    config::InsertById(table, entry);
    Changed();
    return entry.id;
}

template <class T>
void
FortiGateConfig::SetById(std::vector<T>& table,
                         const T& entry,
                         std::string (*label)(uint32_t),
                         Check<T> check)
{
    const size_t pos = config::PositionOf(table, entry.id, label(entry.id));
    (this->*check)(entry);
    table[pos] = entry;
    Changed();
}

template <class T>
void
FortiGateConfig::DeleteById(std::vector<T>& table, uint32_t id, std::string (*label)(uint32_t))
{
    table.erase(table.begin() + config::PositionOf(table, id, label(id)));
    Changed();
}

} // namespace ns3

#endif // FORTIGATE_CONFIG_UTIL_H
