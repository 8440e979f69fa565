/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_NAMED_TABLE_H
#define FORTIGATE_NAMED_TABLE_H

#include "config-error.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * The entries of one named configuration table (`config firewall address`, `addrgrp`,
 * `service custom`, ...) in creation order, which `show` prints, with an index by name. T has a
 * `name` member. The table checks nothing about the entries themselves: FortiGateConfig does
 * (names free in their namespace, fields, references) before it calls Insert, Replace, Erase or
 * Rename, so nothing is half-applied when a check fails.
 */
template <class T>
class NamedTable
{
  public:
    /// \return the entries in creation order
    const std::vector<T>& All() const
    {
        return m_entries;
    }

    /// \return the entry \p name, or nullptr
    const T* Find(const std::string& name) const
    {
        auto it = m_index.find(name);
        return it == m_index.end() ? nullptr : &m_entries[it->second];
    }

    /// \return the position of entry \p name. Throws ConfigError "<label> does not exist"
    std::size_t PositionOf(const std::string& name, const std::string& label) const
    {
        auto it = m_index.find(name);
        if (it == m_index.end())
        {
            throw ConfigError(label + " does not exist");
        }
        return it->second;
    }

    /// Add \p entry at position \p pos (default: the end).
    void Insert(const T& entry, std::size_t pos = static_cast<std::size_t>(-1))
    {
        if (pos >= m_entries.size())
        {
            m_index.emplace(entry.name, m_entries.size());
            m_entries.push_back(entry);
            return;
        }
        m_entries.insert(m_entries.begin() + pos, entry);
        Reindex();
    }

    /// Replace the entry named as \p entry (it must exist: see PositionOf).
    void Replace(const T& entry, const std::string& label)
    {
        m_entries[PositionOf(entry.name, label)] = entry;
    }

    /// Remove entry \p name (it must exist: see PositionOf).
    void Erase(const std::string& name, const std::string& label)
    {
        m_entries.erase(m_entries.begin() + PositionOf(name, label));
        Reindex();
    }

    /// Give entry \p from the name \p to in place (its position is kept).
    void Rename(const std::string& from, const std::string& to, const std::string& label)
    {
        m_entries[PositionOf(from, label)].name = to;
        Reindex();
    }

    /// \return the first entry (for range-for over the entries)
    typename std::vector<T>::const_iterator begin() const
    {
        return m_entries.begin();
    }

    /// \return past the last entry
    typename std::vector<T>::const_iterator end() const
    {
        return m_entries.end();
    }

    /// Call \p f on every entry, in order.
    template <class F>
    void ForEach(F f) const
    {
        for (const T& e : m_entries)
        {
            f(e);
        }
    }

    /// Call \p f on every entry, in order; \p f may change an entry but not its name.
    template <class F>
    void ForEach(F f)
    {
        for (T& e : m_entries)
        {
            f(e);
        }
    }

    /// Content equality (creation order included).
    bool operator==(const NamedTable& o) const
    {
        return m_entries == o.m_entries;
    }

    /// Content inequality.
    bool operator!=(const NamedTable& o) const
    {
        return !(*this == o);
    }

  private:
    void Reindex()
    {
        m_index.clear();
        for (std::size_t i = 0; i < m_entries.size(); ++i)
        {
            m_index.emplace(m_entries[i].name, i);
        }
    }

    std::vector<T> m_entries;                   //!< creation order
    std::map<std::string, std::size_t> m_index; //!< name -> position
};

} // namespace ns3

#endif // FORTIGATE_NAMED_TABLE_H
