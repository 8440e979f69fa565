/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The FortiOS CLI tables: how every `config <path>` maps its fields onto FortiGateConfig, with
// FortiOS's names, value syntax, ranges and defaults. The engine (fortios-cli.cc) is generic;
// the tables of each object family are in fortios-cli-tables-<family>.cc. This file holds the
// Table defaults and the list of every table.

#include "fortios-cli-fields.h"

namespace ns3
{
namespace fortios
{

// ---- keyword matching -------------------------------------------------------------------------

int
MatchKeyword(const std::string& word, const std::vector<std::string>& options)
{
    int found = -1;
    for (size_t i = 0; i < options.size(); ++i)
    {
        if (options[i] == word)
        {
            return static_cast<int>(i);
        }
    }
    if (word.empty())
    {
        return -1;
    }
    for (size_t i = 0; i < options.size(); ++i)
    {
        if (options[i].compare(0, word.size(), word) == 0)
        {
            if (found >= 0 && options[found] != options[i])
            {
                return -2;
            }
            found = static_cast<int>(i);
        }
    }
    return found;
}

int
Schema::FieldIndex(const std::string& name) const
{
    for (size_t i = 0; i < m_info.size(); ++i)
    {
        if (m_info[i].name == name)
        {
            return static_cast<int>(i);
        }
    }
    return -1;
}

// ---- Table defaults (overridden where they apply) ------------------------------------------

std::unique_ptr<Object>
Table::Current(const FortiGateConfig&) const
{
    return nullptr;
}

void
Table::Store(FortiGateConfig&, const Object&) const
{
}

std::vector<std::string>
Table::Keys(const FortiGateConfig&) const
{
    return {};
}

std::unique_ptr<Object>
Table::Get(const FortiGateConfig&, const std::string&) const
{
    return nullptr;
}

std::unique_ptr<Object>
Table::Fresh(const FortiGateConfig&, const std::string&) const
{
    return nullptr;
}

void
Table::Save(FortiGateConfig&, const Object&, bool) const
{
}

void
Table::Delete(FortiGateConfig&, const std::string&) const
{
}

std::vector<std::string>
Table::Users(const FortiGateConfig&, const std::string&) const
{
    return {};
}

void
Table::Rename(FortiGateConfig&, const std::string&, const std::string&) const
{
    throw ConfigError("rename is not supported here");
}

std::string
Table::NextFreeKey(const FortiGateConfig&) const
{
    return "";
}

bool
Table::CanRename() const
{
    return false;
}

void
Table::Move(FortiGateConfig&, const std::string&, bool, const std::string&) const
{
    throw ConfigError("move is not supported here");
}

bool
Table::CanMove() const
{
    return false;
}

void
KeepForever(std::shared_ptr<const void> object)
{
    // first used while AllTables builds its list, so destroyed after it
    static std::vector<std::shared_ptr<const void>> kept;
    kept.push_back(std::move(object));
}

const std::vector<const Table*>&
AllTables()
{
    static const std::vector<const Table*> tables{
        MakeSystemGlobal(),
        MakeSystemSettings(),
        MakeSystemInterface(),
        MakeSessionTtl(),
        MakeSessionHelper(),
        MakeFirewallAddress(),
        MakeAddrGrp(),
        MakeServiceCustom(),
        MakeServiceGroup(),
        MakeSchedule(FirewallSchedule::RECURRING),
        MakeSchedule(FirewallSchedule::ONETIME),
        MakeIpPool(),
        MakeVip(),
        MakeDnsTranslation(),
        MakeVoipProfile(),
        MakePolicy(),
        MakeRouterStatic(),
    };
    return tables;
}

} // namespace fortios
} // namespace ns3
