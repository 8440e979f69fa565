/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fortios-cli-printer.h"

#include "fortios-cli.h"

#include "ns3/text-util.h"

#include <sstream>

// The `show` and `get` output of the FortiOS CLI engine (fortios-cli.cc reads commands).

namespace ns3
{
namespace fortios
{

/// Quote a value for show when the field is quoted or the value would not read back.
std::string
ShowValue(const std::string& v, bool quoted)
{
    bool plain = !quoted && !v.empty();
    for (char c : v)
    {
        if (c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'' || c == '\\' || c == '#')
        {
            plain = false;
        }
    }
    return plain ? v : QuoteFortiOs(v);
}

std::string
ShowKey(const Table& t, const std::string& key)
{
    return t.Kind() == TableKind::NAMED ? QuoteFortiOs(key) : key;
}

std::string
Indent(int n)
{
    return std::string(static_cast<size_t>(n), ' ');
}

/// Print the fields (and nested blocks) of one object.
void
PrintObject(std::string& out,
            const Schema& s,
            const void* obj,
            const void* def,
            int indent,
            bool full)
{
    const auto& fields = s.Fields();
    for (size_t f = 0; f < fields.size(); ++f)
    {
        if (!s.Applies(obj, f))
        {
            continue;
        }
        const auto vals = s.Get(obj, f);
        if (!full && !fields[f].alwaysShow && vals == s.Get(def, f))
        {
            continue;
        }
        if (vals.empty())
        {
            continue; // an unset value (e.g. icmptype = any) has nothing to print
        }
        out += Indent(indent) + "set " + fields[f].name;
        for (const auto& v : vals)
        {
            out += " " + ShowValue(v, fields[f].quoted);
        }
        out += "\n";
    }
    for (const auto& sub : s.Subs())
    {
        if (sub.group)
        {
            std::string inner;
            PrintObject(inner, *sub.group, obj, def, indent + 4, full);
            if (!inner.empty())
            {
                out +=
                    Indent(indent) + "config " + sub.name + "\n" + inner + Indent(indent) + "end\n";
            }
        }
        else if (sub.table)
        {
            const auto keys = sub.table->Keys(obj);
            if (keys.empty())
            {
                continue;
            }
            out += Indent(indent) + "config " + sub.name + "\n";
            for (const auto& k : keys)
            {
                auto e = sub.table->Get(obj, k);
                auto d = sub.table->Fresh(k);
                out += Indent(indent + 4) + "edit " + k + "\n";
                PrintObject(out, sub.table->EntrySchema(), e->Ptr(), d->Ptr(), indent + 8, full);
                out += Indent(indent + 4) + "next\n";
            }
            out += Indent(indent) + "end\n";
        }
    }
}

void
PrintEntry(std::string& out,
           const Table& t,
           const std::string& key,
           const Object& e,
           const Object& def,
           int indent,
           bool full)
{
    out += Indent(indent) + "edit " + ShowKey(t, key) + "\n";
    PrintObject(out, t.EntrySchema(), e.Ptr(), def.Ptr(), indent + 4, full);
    out += Indent(indent) + "next\n";
}

/// `config <path>` ... `end` of a whole table or settings object.
std::string
PrintTable(const FortiGateConfig& c, const Table& t, bool full)
{
    std::string out = "config " + t.Path() + "\n";
    if (t.Kind() == TableKind::SINGLETON)
    {
        auto cur = t.Current(c);
        auto def = t.Fresh(c, "");
        PrintObject(out, t.EntrySchema(), cur->Ptr(), def->Ptr(), 4, full);
    }
    else
    {
        for (const auto& k : t.Keys(c))
        {
            PrintEntry(out, t, k, *t.Get(c, k), *t.Fresh(c, k), 4, full);
        }
    }
    return out + "end\n";
}

std::string
PrintWhole(const FortiGateConfig& c, bool full)
{
    static const FortiGateConfig factory;
    std::string out;
    for (const Table* t : AllTables())
    {
        if (t->Kind() == TableKind::SINGLETON)
        {
            std::string body;
            auto cur = t->Current(c);
            auto def = t->Fresh(c, "");
            PrintObject(body, t->EntrySchema(), cur->Ptr(), def->Ptr(), 4, full);
            if (!body.empty())
            {
                out += "config " + t->Path() + "\n" + body + "end\n";
            }
        }
        else if (!t->Keys(c).empty() || !t->Keys(factory).empty())
        {
            out += PrintTable(c, *t, full);
        }
    }
    return out;
}

/// `get` format: "name                : value".
void
GetObject(std::string& out, const Schema& s, const void* obj, int indent)
{
    const auto& fields = s.Fields();
    for (size_t f = 0; f < fields.size(); ++f)
    {
        if (!s.Applies(obj, f))
        {
            continue;
        }
        std::string name = Indent(indent) + fields[f].name;
        if (name.size() < 20)
        {
            name.resize(20, ' ');
        }
        std::string line = name + ": ";
        const auto vals = s.Get(obj, f);
        for (size_t i = 0; i < vals.size(); ++i)
        {
            line += (i ? " " : "") + vals[i];
        }
        out += line + "\n";
    }
    for (const auto& sub : s.Subs())
    {
        out += Indent(indent) + sub.name + ":\n";
        if (sub.group)
        {
            GetObject(out, *sub.group, obj, indent + 4);
        }
        else if (sub.table)
        {
            for (const auto& k : sub.table->Keys(obj))
            {
                out += Indent(indent + 4) + "== [ " + k + " ]\n";
                GetObject(out, sub.table->EntrySchema(), sub.table->Get(obj, k)->Ptr(), indent + 8);
            }
        }
    }
}

} // namespace fortios
} // namespace ns3
