/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIOS_CLI_PRINTER_H
#define FORTIOS_CLI_PRINTER_H

#include "fortios-cli-schema.h"

#include <string>

namespace ns3
{
namespace fortios
{

/**
 * \ingroup fortigate
 * \return \p v as `show` writes a value: quoted when the field is quoted (\p quoted) or the
 *         value would not read back as one word
 */
std::string ShowValue(const std::string& v, bool quoted);

/// \return the key of an entry of \p t as `show` writes it (named tables quote it)
std::string ShowKey(const Table& t, const std::string& key);

/// \return \p n blanks
std::string Indent(int n);

/**
 * Append the `set` lines (and nested `config` blocks) of one object to \p out: the fields of
 * \p obj that differ from \p def, or all of them when \p full (`show full-configuration`).
 */
void PrintObject(std::string& out,
                 const Schema& s,
                 const void* obj,
                 const void* def,
                 int indent,
                 bool full);

/// Append one table entry (`edit KEY` ... `next`) to \p out.
void PrintEntry(std::string& out,
                const Table& t,
                const std::string& key,
                const Object& e,
                const Object& def,
                int indent,
                bool full);

/// \return the `config <table>` ... `end` block of \p t in configuration \p c
std::string PrintTable(const FortiGateConfig& c, const Table& t, bool full);

/// \return every table of \p c (`show` / `show full-configuration`)
std::string PrintWhole(const FortiGateConfig& c, bool full);

/// Append the `get` form of one object ("name                : value") to \p out.
void GetObject(std::string& out, const Schema& s, const void* obj, int indent);

} // namespace fortios
} // namespace ns3

#endif /* FORTIOS_CLI_PRINTER_H */
