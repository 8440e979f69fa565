/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The FortiOS CLI tables: how every `config <path>` maps its fields onto FortiGateConfig, with
// FortiOS's names, value syntax, ranges and defaults. The engine (fortios-cli.cc) is generic.

#include "ns3/flow-tuple.h"
#include "fortios-cli-schema.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <type_traits>

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

namespace
{

using Values = std::vector<std::string>;
using Exists = std::function<bool(const FortiGateConfig&, const std::string&)>;
using Cfg = FortiGateConfig; //!< short for the member pointers given to ConfigTable

// ---- value parsing ----------------------------------------------------------------------------

[[noreturn]] void
Bad(size_t index, const std::string& detail, int code = -651)
{
    ValueError e;
    e.index = index;
    e.code = code;
    e.detail = detail;
    throw e;
}

[[noreturn]] void
NotFound(size_t index, const std::string& detail)
{
    ValueError e;
    e.index = index;
    e.code = -3;
    e.detail = detail;
    e.notFound = true;
    throw e;
}

uint64_t
ParseRange(const std::string& field, const Values& v, size_t i, uint64_t lo, uint64_t hi)
{
    uint64_t x = 0;
    if (!ParseDecimal(v[i], 9999999999ULL, x)) // more than ten digits: not a FortiOS number
    {
        Bad(i, field + ": '" + v[i] + "' is not a number");
    }
    if (x < lo || x > hi)
    {
        Bad(i, field + ": " + v[i] + " is out of range (" + std::to_string(lo) + ".."
                   + std::to_string(hi) + ")");
    }
    return x;
}

uint32_t
ParseIp(const std::string& field, const Values& v, size_t i)
{
    uint32_t ip = 0;
    if (!ParseIpv4(v[i], ip))
    {
        Bad(i, field + ": '" + v[i] + "' is not an IPv4 address");
    }
    return ip;
}

/// "a.b.c.d/len", "a.b.c.d m.m.m.m" (two values) or "a.b.c.d" (/32). Host bits are kept.
void
ParseIpMask(const std::string& field, const Values& v, uint32_t& ip, uint32_t& mask)
{
    if (v.size() == 1)
    {
        if (!ParseSubnet(v[0], ip, mask))
        {
            Bad(0, field + ": '" + v[0] + "' is not an address/mask");
        }
        return;
    }
    ip = ParseIp(field, v, 0);
    mask = ParseIp(field, v, 1);
    if (!IsContiguousMask(mask))
    {
        Bad(1, field + ": mask " + v[1] + " is not contiguous");
    }
}

std::string
ParseOption(const std::string& field, const Values& v, size_t i, const Values& options)
{
    const int m = MatchKeyword(v[i], options);
    if (m < 0)
    {
        std::string all;
        for (const auto& o : options)
        {
            all += (all.empty() ? "" : "|") + o;
        }
        Bad(i, field + ": '" + v[i] + "' is not one of " + all);
    }
    return options[m];
}

/// "lo-hi" or "lo" (hi = 0 then) for addresses.
void
ParseIpRange(const std::string& field, const Values& v, size_t i, uint32_t& lo, uint32_t& hi)
{
    const auto dash = v[i].find('-');
    Values parts{v[i].substr(0, dash)};
    if (dash != std::string::npos)
    {
        parts.push_back(v[i].substr(dash + 1));
    }
    if (!ParseIpv4(parts[0], lo) || (parts.size() == 2 && !ParseIpv4(parts[1], hi)))
    {
        Bad(i, field + ": '" + v[i] + "' is not an address or address range");
    }
    if (parts.size() == 1)
    {
        hi = 0;
    }
    else if (hi < lo)
    {
        Bad(i, field + ": '" + v[i] + "' ends below its start");
    }
}

std::string
IpRangeText(uint32_t lo, uint32_t hi)
{
    return hi == 0 ? Ipv4ToString(lo) : Ipv4ToString(lo) + "-" + Ipv4ToString(hi);
}

void
ParsePortPair(const std::string& field, const Values& v, size_t i, uint16_t& lo, uint16_t& hi)
{
    const auto dash = v[i].find('-');
    uint64_t a = 0;
    uint64_t b = 0;
    const bool ok = dash == std::string::npos
                        ? ParseDecimal(v[i], 65535, a)
                        : ParseDecimal(v[i].substr(0, dash), 65535, a)
                              && ParseDecimal(v[i].substr(dash + 1), 65535, b);
    if (!ok)
    {
        Bad(i, field + ": '" + v[i] + "' is not a port or port range (0..65535)");
    }
    if (dash != std::string::npos && b < a)
    {
        Bad(i, field + ": '" + v[i] + "' ends below its start");
    }
    lo = static_cast<uint16_t>(a);
    hi = static_cast<uint16_t>(dash == std::string::npos ? 0 : b);
}

std::string
PortPairText(uint16_t lo, uint16_t hi)
{
    return hi == 0 ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
}

Values
Dedup(const Values& v)
{
    Values out;
    for (const auto& s : v)
    {
        if (std::find(out.begin(), out.end(), s) == out.end())
        {
            out.push_back(s);
        }
    }
    return out;
}

// ---- field builders ---------------------------------------------------------------------------

template <class T>
using Field = typename SchemaT<T>::Field;

template <class T, class M>
Field<T>
UInt(const std::string& name, M T::*m, uint64_t lo, uint64_t hi)
{
    Field<T> f;
    f.info.name = name;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&)
    {
        o.*m = static_cast<M>(ParseRange(name, v, 0, lo, hi));
    };
    f.get = [=](const T& o)
    {
        return Values{std::to_string(static_cast<uint64_t>(o.*m))};
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    return f;
}

template <class T>
Field<T>
Bool(const std::string& name, bool T::*m)
{
    static const Values opts{"enable", "disable"};
    Field<T> f;
    f.info.name = name;
    f.info.options = opts;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&)
    {
        o.*m = ParseOption(name, v, 0, opts) == "enable";
    };
    f.get = [=](const T& o)
    {
        return Values{o.*m ? "enable" : "disable"};
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    return f;
}

template <class T>
Field<T>
Option(const std::string& name, std::string T::*m, const Values& opts)
{
    Field<T> f;
    f.info.name = name;
    f.info.options = opts;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&)
    {
        o.*m = ParseOption(name, v, 0, opts);
    };
    f.get = [=](const T& o)
    {
        return Values{o.*m};
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    return f;
}

/// An option stored as a number/enum: \p names[i] is the keyword of value \p values[i].
template <class T, class M>
Field<T>
OptionMap(const std::string& name, M T::*m, const Values& names, const std::vector<M>& values)
{
    Field<T> f;
    f.info.name = name;
    f.info.options = names;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&)
    {
        const std::string word = ParseOption(name, v, 0, names);
        o.*m = values[std::find(names.begin(), names.end(), word) - names.begin()];
    };
    f.get = [=](const T& o)
    {
        for (size_t i = 0; i < values.size(); ++i)
        {
            if (values[i] == o.*m)
            {
                return Values{names[i]};
            }
        }
        return Values{std::to_string(static_cast<int>(o.*m))};
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    return f;
}

template <class T>
Field<T>
Str(const std::string& name, std::string T::*m, size_t maxLen)
{
    Field<T> f;
    f.info.name = name;
    f.info.quoted = true;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&)
    {
        if (v[0].size() > maxLen)
        {
            Bad(0, name + ": longer than " + std::to_string(maxLen) + " characters");
        }
        o.*m = v[0];
    };
    f.get = [=](const T& o)
    {
        return Values{o.*m};
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    return f;
}

template <class T>
Field<T>
Ip(const std::string& name, uint32_t T::*m)
{
    Field<T> f;
    f.info.name = name;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&)
    {
        o.*m = ParseIp(name, v, 0);
    };
    f.get = [=](const T& o)
    {
        return Values{Ipv4ToString(o.*m)};
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    return f;
}

/// One reference (quoted). Empty is allowed when \p allowEmpty (`set voip-profile ""`).
template <class T>
Field<T>
Ref(const std::string& name, std::string T::*m, Exists exists, bool allowEmpty)
{
    Field<T> f;
    f.info.name = name;
    f.info.quoted = true;
    f.set = [=](T& o, const Values& v, const FortiGateConfig& c)
    {
        if (v[0].empty() && allowEmpty)
        {
            (o.*m).clear();
            return;
        }
        if (!exists(c, v[0]))
        {
            NotFound(0, name + ": '" + v[0] + "' does not exist");
        }
        o.*m = v[0];
    };
    f.get = [=](const T& o)
    {
        return Values{o.*m};
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    return f;
}

/// Several references (quoted); duplicates are dropped.
template <class T>
Field<T>
RefList(const std::string& name, std::vector<std::string> T::*m, Exists exists)
{
    Field<T> f;
    f.info.name = name;
    f.info.quoted = true;
    f.info.multi = true;
    f.info.maxValues = 0;
    f.set = [=](T& o, const Values& v, const FortiGateConfig& c)
    {
        for (size_t i = 0; i < v.size(); ++i)
        {
            if (!exists(c, v[i]))
            {
                NotFound(i, name + ": '" + v[i] + "' does not exist");
            }
        }
        o.*m = Dedup(v);
    };
    f.get = [=](const T& o)
    {
        return o.*m;
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    return f;
}

/// Several keywords (unquoted), e.g. allowaccess.
template <class T>
Field<T>
OptionList(const std::string& name, std::vector<std::string> T::*m, const Values& opts)
{
    Field<T> f;
    f.info.name = name;
    f.info.multi = true;
    f.info.maxValues = 0;
    f.info.options = opts;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&)
    {
        Values out;
        for (size_t i = 0; i < v.size(); ++i)
        {
            out.push_back(ParseOption(name, v, i, opts));
        }
        o.*m = Dedup(out);
    };
    f.get = [=](const T& o)
    {
        return o.*m;
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    return f;
}

/**
 * A field real FortiGates print that the model has no use for (`set uuid ...` of a policy or
 * address, `set vdom "root"` of an interface): accepted when its value is well formed, so pasted
 * `show` output loads, and never printed back.
 */
template <class T>
Field<T>
Ignored(const std::string& name, std::function<bool(const std::string&)> valid,
        const std::string& what)
{
    Field<T> f;
    f.info.name = name;
    f.set = [=](T&, const Values& v, const FortiGateConfig&)
    {
        if (!valid(v[0]))
        {
            Bad(0, name + ": '" + v[0] + "' is not " + what);
        }
    };
    f.get = [](const T&)
    {
        return Values{};
    };
    f.reset = [](T&, const T&) {};
    return f;
}

bool
IsUuid(const std::string& s)
{
    if (s.size() != 36)
    {
        return false;
    }
    for (size_t i = 0; i < s.size(); ++i)
    {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i])))
        {
            return false;
        }
    }
    return true;
}

template <class T>
Field<T>
Uuid()
{
    return Ignored<T>("uuid", IsUuid, "a UUID");
}

template <class T>
Field<T>
When(Field<T> f, std::function<bool(const T&)> applies)
{
    f.applies = std::move(applies);
    return f;
}

template <class T>
Field<T>
Always(Field<T> f)
{
    f.info.alwaysShow = true;
    return f;
}

// ---- reference checks -------------------------------------------------------------------------

bool
IsInterface(const FortiGateConfig& c, const std::string& n)
{
    return c.FindInterface(n) >= 0;
}

bool
IsInterfaceOrAny(const FortiGateConfig& c, const std::string& n)
{
    return n == "any" || IsInterface(c, n);
}

bool
IsAddress(const FortiGateConfig& c, const std::string& n)
{
    return c.FindAddress(n) || c.FindAddressGroup(n);
}

bool
IsDstAddress(const FortiGateConfig& c, const std::string& n)
{
    return IsAddress(c, n) || c.FindVip(n);
}

bool
IsService(const FortiGateConfig& c, const std::string& n)
{
    return c.FindService(n) || c.FindServiceGroup(n);
}

bool
IsSchedule(const FortiGateConfig& c, const std::string& n)
{
    return c.FindSchedule(n) != nullptr;
}

bool
IsPool(const FortiGateConfig& c, const std::string& n)
{
    return c.FindIpPool(n) != nullptr;
}

bool
IsVoipProfile(const FortiGateConfig& c, const std::string& n)
{
    return c.FindVoipProfile(n) != nullptr;
}

bool
Has(const std::vector<std::string>& v, const std::string& s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}

void
Replace(std::vector<std::string>& v, const std::string& from, const std::string& to)
{
    for (auto& s : v)
    {
        if (s == from)
        {
            s = to;
        }
    }
}

std::string
PolicyUser(uint32_t id)
{
    return "firewall policy " + std::to_string(id);
}

// ---- generic table implementations ------------------------------------------------------------

/// A settings object (config system global, ...).
template <class T>
class SingletonTable : public Table
{
  public:
    SingletonTable(std::string path, std::function<T(const FortiGateConfig&)> get,
                   std::function<void(FortiGateConfig&, const T&)> store, SchemaT<T>* schema)
        : m_path(std::move(path))
        , m_get(std::move(get))
        , m_store(std::move(store))
        , m_schema(schema)
    {
    }

    const std::string& Path() const override
    {
        return m_path;
    }

    TableKind Kind() const override
    {
        return TableKind::SINGLETON;
    }

    const Schema& EntrySchema() const override
    {
        return *m_schema;
    }

    std::unique_ptr<Object> Current(const FortiGateConfig& c) const override
    {
        return std::make_unique<ObjectT<T>>(m_get(c));
    }

    std::unique_ptr<Object> Fresh(const FortiGateConfig&, const std::string&) const override
    {
        return std::make_unique<ObjectT<T>>(T());
    }

    void Store(FortiGateConfig& c, const Object& o) const override
    {
        m_store(c, static_cast<const ObjectT<T>&>(o).value);
    }

  private:
    std::string m_path;
    std::function<T(const FortiGateConfig&)> m_get;
    std::function<void(FortiGateConfig&, const T&)> m_store;
    SchemaT<T>* m_schema;
};

/// A table of entries; every behaviour is a function so each table is a few lines.
template <class T>
class EntryTable : public Table
{
  public:
    std::string path;
    TableKind kind{TableKind::NAMED};
    SchemaT<T>* schema{nullptr};
    std::function<std::vector<std::string>(const FortiGateConfig&)> keys;
    std::function<const T*(const FortiGateConfig&, const std::string&)> find;
    std::function<T(const FortiGateConfig&, const std::string&)> fresh;
    std::function<void(FortiGateConfig&, const T&, bool)> save;
    std::function<void(FortiGateConfig&, const std::string&)> del;
    std::function<std::vector<std::string>(const FortiGateConfig&, const std::string&)> users;
    /// Rename: give the entry its new key.
    std::function<void(T&, const std::string&)> setKey;
    /// Rename: change every reference from one key to another.
    std::function<void(FortiGateConfig&, const std::string&, const std::string&)> renameRefs;
    /// Rename done by the configuration itself, in place with its references (used instead of
    /// setKey/renameRefs where a copy under the new key would clash with the original).
    std::function<void(FortiGateConfig&, const std::string&, const std::string&)> renameInPlace;
    std::function<void(FortiGateConfig&, const std::string&, bool, const std::string&)> move;

    const std::string& Path() const override
    {
        return path;
    }

    TableKind Kind() const override
    {
        return kind;
    }

    const Schema& EntrySchema() const override
    {
        return *schema;
    }

    std::vector<std::string> Keys(const FortiGateConfig& c) const override
    {
        return keys(c);
    }

    std::unique_ptr<Object> Get(const FortiGateConfig& c, const std::string& key) const override
    {
        const T* e = find(c, key);
        return e ? std::make_unique<ObjectT<T>>(*e) : nullptr;
    }

    std::unique_ptr<Object> Fresh(const FortiGateConfig& c, const std::string& key) const override
    {
        return std::make_unique<ObjectT<T>>(fresh(c, key));
    }

    void Save(FortiGateConfig& c, const Object& o, bool isNew) const override
    {
        save(c, static_cast<const ObjectT<T>&>(o).value, isNew);
    }

    void Delete(FortiGateConfig& c, const std::string& key) const override
    {
        del(c, key);
    }

    std::vector<std::string> Users(const FortiGateConfig& c, const std::string& key) const override
    {
        return users ? users(c, key) : std::vector<std::string>{};
    }

    bool CanRename() const override
    {
        return setKey || renameInPlace;
    }

    void Rename(FortiGateConfig& c, const std::string& from, const std::string& to) const override
    {
        if (renameInPlace)
        {
            renameInPlace(c, from, to);
            return;
        }
        const T* e = find(c, from);
        if (!e)
        {
            throw ConfigError(path + " " + from + " does not exist");
        }
        T copy = *e;
        setKey(copy, to);
        save(c, copy, true);
        if (renameRefs)
        {
            renameRefs(c, from, to);
        }
        del(c, from);
    }

    std::string NextFreeKey(const FortiGateConfig& c) const override
    {
        uint64_t next = 1;
        for (const auto& k : keys(c))
        {
            next = std::max<uint64_t>(next, std::stoull(k) + 1);
        }
        return std::to_string(next);
    }

    bool CanMove() const override
    {
        return static_cast<bool>(move);
    }

    void Move(FortiGateConfig& c, const std::string& key, bool before,
              const std::string& other) const override
    {
        move(c, key, before, other);
    }
};

template <class V>
std::vector<std::string>
NamesOf(const V& v)
{
    std::vector<std::string> out;
    for (const auto& e : v)
    {
        out.push_back(e.name);
    }
    return out;
}

/// The keys of a map by name.
template <class V>
std::vector<std::string>
NamesOf(const std::map<std::string, V>& m)
{
    std::vector<std::string> out;
    for (const auto& kv : m)
    {
        out.push_back(kv.first);
    }
    return out;
}

template <class V>
std::vector<std::string>
IdsOf(const V& v)
{
    std::vector<std::string> out;
    for (const auto& e : v)
    {
        out.push_back(std::to_string(e.id));
    }
    return out;
}

uint32_t
Id(const std::string& key)
{
    return static_cast<uint32_t>(std::stoul(key));
}

/**
 * An EntryTable over one kind of FortiGateConfig object, through its members: \p list (every
 * entry, for the keys), \p find, \p add (a new entry), \p set (a changed one) and \p del.
 * Entries are keyed by id when \p find takes a uint32_t (a NUMBERED table), else by name; a
 * fresh entry is a default T with its key, and a rename gives the entry its new key. The caller
 * adds users, renameRefs and move, or replaces any behaviour.
 */
template <class T, class List, class Find, class Add, class Set, class Del>
EntryTable<T>*
ConfigTable(const std::string& path, SchemaT<T>* schema, List list, Find find, Add add, Set set,
            Del del)
{
    constexpr bool numbered = std::is_invocable_v<Find, const FortiGateConfig&, uint32_t>;
    auto key = [](const std::string& k)
    {
        if constexpr (numbered)
        {
            return Id(k);
        }
        else
        {
            return k;
        }
    };
    auto* t = Own<EntryTable<T>>();
    t->path = path;
    t->kind = numbered ? TableKind::NUMBERED : TableKind::NAMED;
    t->schema = schema;
    t->keys = [list](const FortiGateConfig& c)
    {
        if constexpr (numbered)
        {
            return IdsOf((c.*list)());
        }
        else
        {
            return NamesOf((c.*list)());
        }
    };
    t->find = [find, key](const FortiGateConfig& c, const std::string& k)
    {
        return (c.*find)(key(k));
    };
    t->setKey = [key](T& e, const std::string& k)
    {
        if constexpr (numbered)
        {
            e.id = key(k);
        }
        else
        {
            e.name = k;
        }
    };
    t->fresh = [setKey = t->setKey](const FortiGateConfig&, const std::string& k)
    {
        T e;
        setKey(e, k);
        return e;
    };
    t->save = [add, set](FortiGateConfig& c, const T& e, bool isNew)
    {
        if (isNew)
        {
            (c.*add)(e);
        }
        else
        {
            (c.*set)(e);
        }
    };
    t->del = [del, key](FortiGateConfig& c, const std::string& k)
    {
        (c.*del)(key(k));
    };
    return t;
}

// ---- references to address-like and service-like names ------------------------------------

std::vector<std::string>
AddressUsers(const FortiGateConfig& c, const std::string& name)
{
    std::vector<std::string> out;
    for (const auto& g : c.AddressGroups())
    {
        if (Has(g.members, name))
        {
            out.push_back("firewall addrgrp \"" + g.name + "\"");
        }
    }
    for (const auto& p : c.Policies())
    {
        if (Has(p.srcaddr, name) || Has(p.dstaddr, name))
        {
            out.push_back(PolicyUser(p.id));
        }
    }
    return out;
}

void
RenameAddressRefs(FortiGateConfig& c, const std::string& from, const std::string& to)
{
    for (auto g : c.AddressGroups())
    {
        if (Has(g.members, from))
        {
            Replace(g.members, from, to);
            c.SetAddressGroup(g);
        }
    }
    for (auto p : c.Policies())
    {
        if (Has(p.srcaddr, from) || Has(p.dstaddr, from))
        {
            Replace(p.srcaddr, from, to);
            Replace(p.dstaddr, from, to);
            c.SetPolicy(p);
        }
    }
}

std::vector<std::string>
ServiceUsers(const FortiGateConfig& c, const std::string& name)
{
    std::vector<std::string> out;
    for (const auto& g : c.ServiceGroups())
    {
        if (Has(g.members, name))
        {
            out.push_back("firewall service group \"" + g.name + "\"");
        }
    }
    for (const auto& p : c.Policies())
    {
        if (Has(p.service, name))
        {
            out.push_back(PolicyUser(p.id));
        }
    }
    return out;
}

void
RenameServiceRefs(FortiGateConfig& c, const std::string& from, const std::string& to)
{
    for (auto g : c.ServiceGroups())
    {
        if (Has(g.members, from))
        {
            Replace(g.members, from, to);
            c.SetServiceGroup(g);
        }
    }
    for (auto p : c.Policies())
    {
        if (Has(p.service, from))
        {
            Replace(p.service, from, to);
            c.SetPolicy(p);
        }
    }
}

// ---- system global ------------------------------------------------------------------------

Table*
MakeSystemGlobal()
{
    auto* s = Own<SchemaT<TcpUdpTimers>>();
    using T = TcpUdpTimers;
    s->Add(UInt<T>("tcp-halfclose-timer", &T::tcpHalfclose, 1, 86400));
    s->Add(UInt<T>("tcp-halfopen-timer", &T::tcpHalfopen, 1, 86400));
    s->Add(UInt<T>("tcp-timewait-timer", &T::tcpTimewait, 0, 300));
    s->Add(UInt<T>("tcp-rst-timer", &T::tcpRst, 5, 300));
    s->Add(UInt<T>("udp-idle-timer", &T::udpIdle, 1, 86400));
    s->Add(UInt<T>("block-session-timer", &T::blockSession, 1, 300));
    return Own<SingletonTable<T>>(
        "system global",
        [](const FortiGateConfig& c)
        {
            return c.Timers();
        },
        [](FortiGateConfig& c, const T& t)
        {
            T copy = t;
            copy.sessionTtl = c.GetSessionTtl().defaultTtl; // set by system session-ttl
            c.SetTimers(copy);
        },
        s);
}

// ---- system settings ----------------------------------------------------------------------

Field<SystemSettings>
SipPorts(const std::string& name, std::vector<uint16_t> SystemSettings::*m)
{
    Field<SystemSettings> f;
    f.info.name = name;
    f.info.multi = true;
    f.info.maxValues = 2;
    f.set = [=](SystemSettings& o, const Values& v, const FortiGateConfig&)
    {
        if (v.empty())
        {
            Bad(0, name + ": needs one or two ports");
        }
        std::vector<uint16_t> ports;
        for (size_t i = 0; i < v.size(); ++i)
        {
            ports.push_back(static_cast<uint16_t>(ParseRange(name, v, i, 1, 65535)));
        }
        o.*m = ports;
    };
    f.get = [=](const SystemSettings& o)
    {
        Values out;
        for (auto p : o.*m)
        {
            out.push_back(std::to_string(p));
        }
        return out;
    };
    f.reset = [=](SystemSettings& o, const SystemSettings& d)
    {
        o.*m = d.*m;
    };
    return f;
}

Table*
MakeSystemSettings()
{
    using T = SystemSettings;
    auto* s = Own<SchemaT<T>>();
    s->Add(Bool<T>("central-nat", &T::centralNat));
    s->Add(Option<T>("default-voip-alg-mode", &T::defaultVoipAlgMode,
                     {"proxy-based", "kernel-helper-based"}));
    s->Add(Bool<T>("ses-denied-traffic", &T::sesDeniedTraffic));
    s->Add(Bool<T>("snat-hairpin-traffic", &T::snatHairpinTraffic));
    s->Add(Bool<T>("sip-expectation", &T::sipExpectation));
    s->Add(Bool<T>("sip-nat-trace", &T::sipNatTrace));
    s->Add(SipPorts("sip-tcp-port", &T::sipTcpPort));
    s->Add(SipPorts("sip-udp-port", &T::sipUdpPort));
    s->Add(UInt<T>("sip-ssl-port", &T::sipSslPort, 1, 65535));
    return Own<SingletonTable<T>>(
        "system settings",
        [](const FortiGateConfig& c)
        {
            return c.Settings();
        },
        [](FortiGateConfig& c, const T& t)
        {
            c.SetSettings(t);
        },
        s);
}

// ---- system interface ---------------------------------------------------------------------

const Values&
AllowAccessOptions()
{
    static const Values v{"ping", "https",      "ssh",         "http",           "telnet",
                          "snmp", "fgfm",       "radius-acct", "probe-response", "fabric",
                          "ftm",  "speed-test", "capwap"};
    return v;
}

Table*
MakeSystemInterface()
{
    using T = InterfaceConfig;
    auto* s = Own<SchemaT<T>>();
    Field<T> ip;
    ip.info.name = "ip";
    ip.info.maxValues = 2;
    ip.set = [](T& o, const Values& v, const FortiGateConfig&)
    {
        ParseIpMask("ip", v, o.ip, o.mask);
    };
    ip.get = [](const T& o)
    {
        return Values{Ipv4ToString(o.ip), Ipv4ToString(o.mask)};
    };
    ip.reset = [](T& o, const T& d)
    {
        o.ip = d.ip;
        o.mask = d.mask;
    };
    s->Add(ip);
    s->Add(OptionList<T>("allowaccess", &T::allowaccess, AllowAccessOptions()));
    s->Add(Str<T>("alias", &T::alias, 25));
    s->Add(Option<T>("role", &T::role, {"lan", "wan", "dmz", "undefined"}));
    s->Add(Ignored<T>(
        "vdom",
        [](const std::string& v)
        {
            return v == "root";
        },
        "the only VDOM, \"root\""));

    auto* t = ConfigTable("system interface", s, &Cfg::Interfaces, &Cfg::FindInterfaceConfig,
                          &Cfg::AddInterface, &Cfg::SetInterface, &Cfg::DeleteInterface);
    t->setKey = nullptr; // no rename
    t->users = [](const FortiGateConfig& c, const std::string& k)
    {
        std::vector<std::string> out;
        for (const auto& p : c.Policies())
        {
            if (Has(p.srcintf, k) || Has(p.dstintf, k))
            {
                out.push_back(PolicyUser(p.id));
            }
        }
        for (const auto& v : c.Vips())
        {
            if (v.extintf == k)
            {
                out.push_back("firewall vip \"" + v.name + "\"");
            }
        }
        for (const auto& r : c.StaticRoutes())
        {
            if (r.device == k)
            {
                out.push_back("router static " + std::to_string(r.id));
            }
        }
        return out;
    };
    // FortiOS cannot rename an interface (its position is the datapath's interface index).
    return t;
}

// ---- system session-ttl (+ config port) -----------------------------------------------------

class SessionTtlPortTable : public SubTable
{
  public:
    explicit SessionTtlPortTable(const Schema* s)
        : m_schema(s)
    {
    }

    const Schema& EntrySchema() const override
    {
        return *m_schema;
    }

    std::vector<std::string> Keys(const void* parent) const override
    {
        return IdsOf(static_cast<const SessionTtl*>(parent)->ports);
    }

    std::unique_ptr<Object> Get(const void* parent, const std::string& key) const override
    {
        for (const auto& p : static_cast<const SessionTtl*>(parent)->ports)
        {
            if (p.id == Id(key))
            {
                return std::make_unique<ObjectT<SessionTtlPort>>(p);
            }
        }
        return nullptr;
    }

    std::unique_ptr<Object> Fresh(const std::string& key) const override
    {
        SessionTtlPort p;
        p.id = Id(key);
        return std::make_unique<ObjectT<SessionTtlPort>>(p);
    }

    void Put(void* parent, const Object& entry) const override
    {
        auto& ports = static_cast<SessionTtl*>(parent)->ports;
        const auto& e = static_cast<const ObjectT<SessionTtlPort>&>(entry).value;
        auto it = std::lower_bound(ports.begin(), ports.end(), e.id,
                                   [](const SessionTtlPort& a, uint32_t id)
                                   {
                                       return a.id < id;
                                   });
        if (it != ports.end() && it->id == e.id)
        {
            *it = e;
        }
        else
        {
            ports.insert(it, e);
        }
    }

    void Erase(void* parent, const std::string& key) const override
    {
        auto& ports = static_cast<SessionTtl*>(parent)->ports;
        ports.erase(std::remove_if(ports.begin(), ports.end(),
                                   [&](const SessionTtlPort& p)
                                   {
                                       return p.id == Id(key);
                                   }),
                    ports.end());
    }

    std::string NextFreeKey(const void* parent) const override
    {
        uint32_t next = 1;
        for (const auto& p : static_cast<const SessionTtl*>(parent)->ports)
        {
            next = std::max(next, p.id + 1);
        }
        return std::to_string(next);
    }

  private:
    const Schema* m_schema;
};

Table*
MakeSessionTtl()
{
    using P = SessionTtlPort;
    auto* ps = Own<SchemaT<P>>();
    ps->Add(UInt<P>("protocol", &P::protocol, 0, 255));
    ps->Add(UInt<P>("start-port", &P::startPort, 0, 65535));
    ps->Add(UInt<P>("end-port", &P::endPort, 0, 65535));
    ps->Add(UInt<P>("timeout", &P::timeout, 1, 604800));
    ps->Add(Option<P>("refresh-direction", &P::refreshDirection, {"both", "outgoing", "incoming"}));

    using T = SessionTtl;
    auto* s = Own<SchemaT<T>>();
    s->Add(UInt<T>("default", &T::defaultTtl, 300, 604800));
    s->AddSub({"port", nullptr, Own<SessionTtlPortTable>(ps)});
    return Own<SingletonTable<T>>(
        "system session-ttl",
        [](const FortiGateConfig& c)
        {
            return c.GetSessionTtl();
        },
        [](FortiGateConfig& c, const T& t)
        {
            c.SetSessionTtl(t);
        },
        s);
}

// ---- system session-helper ----------------------------------------------------------------

Table*
MakeSessionHelper()
{
    using T = SessionHelperEntry;
    auto* s = Own<SchemaT<T>>();
    s->Add(Option<T>("name", &T::name, SessionHelperNames()));
    s->Add(UInt<T>("protocol", &T::protocol, 0, 255));
    s->Add(UInt<T>("port", &T::port, 1, 65535));

    return ConfigTable("system session-helper", s, &Cfg::SessionHelpers, &Cfg::FindSessionHelper,
                       &Cfg::AddSessionHelper, &Cfg::SetSessionHelper, &Cfg::DeleteSessionHelper);
}

// ---- router static ------------------------------------------------------------------------

Table*
MakeRouterStatic()
{
    using T = StaticRoute;
    auto* s = Own<SchemaT<T>>();
    Field<T> dst;
    dst.info.name = "dst";
    dst.info.maxValues = 2;
    dst.set = [](T& o, const Values& v, const FortiGateConfig&)
    {
        uint32_t ip = 0;
        uint32_t mask = 0;
        ParseIpMask("dst", v, ip, mask);
        o.dst = ip & mask;
        o.mask = mask;
    };
    dst.get = [](const T& o)
    {
        return Values{Ipv4ToString(o.dst), Ipv4ToString(o.mask)};
    };
    dst.reset = [](T& o, const T& d)
    {
        o.dst = d.dst;
        o.mask = d.mask;
    };
    s->Add(dst);
    s->Add(Ip<T>("gateway", &T::gateway));
    s->Add(UInt<T>("distance", &T::distance, 1, 255));
    s->Add(Ref<T>("device", &T::device, IsInterface, false));
    s->Add(Str<T>("comment", &T::comment, 255));

    return ConfigTable("router static", s, &Cfg::StaticRoutes, &Cfg::FindStaticRoute,
                       &Cfg::AddStaticRoute, &Cfg::SetStaticRoute, &Cfg::DeleteStaticRoute);
}

// ---- firewall address -----------------------------------------------------------------------

Table*
MakeFirewallAddress()
{
    using T = FirewallAddress;
    auto* s = Own<SchemaT<T>>();
    Field<T> type;
    type.info.name = "type";
    type.info.options = {"ipmask", "iprange"};
    type.set = [](T& o, const Values& v, const FortiGateConfig&)
    {
        const std::string w = ParseOption("type", v, 0, {"ipmask", "iprange"});
        const T::Type t = w == "ipmask" ? T::IPMASK : T::IPRANGE;
        if (t == o.type)
        {
            return;
        }
        o.type = t;
        if (t == T::IPRANGE)
        {
            o.mask = 0; // keep start/end
        }
        else
        {
            o.start = 0; // back to 0.0.0.0 0.0.0.0
            o.end = 0xffffffffu;
            o.mask = 0;
        }
    };
    type.get = [](const T& o)
    {
        return Values{o.type == T::IPMASK ? "ipmask" : "iprange"};
    };
    type.reset = [](T& o, const T& d)
    {
        o.type = d.type;
        o.start = d.start;
        o.end = d.end;
        o.mask = d.mask;
    };
    s->Add(type);

    Field<T> subnet;
    subnet.info.name = "subnet";
    subnet.info.maxValues = 2;
    subnet.set = [](T& o, const Values& v, const FortiGateConfig&)
    {
        uint32_t ip = 0;
        uint32_t mask = 0;
        ParseIpMask("subnet", v, ip, mask);
        o.start = ip & mask;
        o.end = (ip & mask) | ~mask;
        o.mask = mask;
    };
    subnet.get = [](const T& o)
    {
        return Values{Ipv4ToString(o.start), Ipv4ToString(o.mask)};
    };
    subnet.reset = [](T& o, const T& d)
    {
        o.start = d.start;
        o.end = d.end;
        o.mask = d.mask;
    };
    subnet.applies = [](const T& o)
    {
        return o.type == T::IPMASK;
    };
    s->Add(subnet);
    s->Add(When<T>(Ip<T>("start-ip", &T::start),
                   [](const T& o)
                   {
                       return o.type == T::IPRANGE;
                   }));
    s->Add(When<T>(Ip<T>("end-ip", &T::end),
                   [](const T& o)
                   {
                       return o.type == T::IPRANGE;
                   }));
    s->Add(Str<T>("comment", &T::comment, 255));
    s->Add(Uuid<T>());

    auto* t = ConfigTable("firewall address", s, &Cfg::Addresses, &Cfg::FindAddress,
                          &Cfg::AddAddress, &Cfg::SetAddress, &Cfg::DeleteAddress);
    t->fresh = [](const FortiGateConfig&, const std::string& k)
    {
        return T::Subnet(k, 0, 0);
    };
    t->save = [](FortiGateConfig& c, const T& e, bool isNew)
    {
        if (isNew)
        {
            c.AddAddress(e);
        }
        else if (!(*c.FindAddress(e.name) == e))
        {
            c.SetAddress(e);
        }
    };
    t->users = AddressUsers;
    t->renameRefs = RenameAddressRefs;
    return t;
}

// ---- firewall addrgrp -----------------------------------------------------------------------

Table*
MakeAddrGrp()
{
    using T = AddressGroup;
    auto* s = Own<SchemaT<T>>();
    s->Add(RefList<T>("member", &T::members, IsAddress));
    s->Add(Str<T>("comment", &T::comment, 255));
    s->Add(Uuid<T>());
    auto* t = ConfigTable("firewall addrgrp", s, &Cfg::AddressGroups, &Cfg::FindAddressGroup,
                          &Cfg::AddAddressGroup, &Cfg::SetAddressGroup, &Cfg::DeleteAddressGroup);
    t->users = AddressUsers;
    t->renameRefs = RenameAddressRefs;
    return t;
}

// ---- firewall service custom ----------------------------------------------------------------

Field<FirewallService>
PortRanges(const std::string& name, std::vector<PortRange> FirewallService::*m)
{
    using T = FirewallService;
    Field<T> f;
    f.info.name = name;
    f.info.multi = true;
    f.info.maxValues = 0;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&)
    {
        std::vector<PortRange> out;
        for (size_t i = 0; i < v.size(); ++i)
        {
            try
            {
                out.push_back(ParsePortRange(v[i], name));
            }
            catch (const ConfigError& e)
            {
                Bad(i, e.what());
            }
        }
        o.*m = out;
    };
    f.get = [=](const T& o)
    {
        Values out;
        for (const auto& r : o.*m)
        {
            out.push_back(PortRangeToString(r));
        }
        return out;
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    f.applies = [](const T& o)
    {
        return o.protocol == T::TCP_UDP_SCTP;
    };
    return f;
}

Field<FirewallService>
IcmpValue(const std::string& name, int FirewallService::*m)
{
    using T = FirewallService;
    Field<T> f;
    f.info.name = name;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&)
    {
        o.*m = static_cast<int>(ParseRange(name, v, 0, 0, 255));
    };
    f.get = [=](const T& o)
    {
        return o.*m < 0 ? Values{} : Values{std::to_string(o.*m)};
    };
    f.reset = [=](T& o, const T& d)
    {
        o.*m = d.*m;
    };
    f.applies = [](const T& o)
    {
        return o.protocol == T::ICMP;
    };
    return f;
}

Table*
MakeServiceCustom()
{
    using T = FirewallService;
    auto* s = Own<SchemaT<T>>();
    s->Add(Str<T>("category", &T::category, 63));
    Field<T> proto;
    const Values protoNames{"TCP/UDP/SCTP", "ICMP", "IP"};
    proto.info.name = "protocol";
    proto.info.options = protoNames;
    proto.set = [protoNames](T& o, const Values& v, const FortiGateConfig&)
    {
        const std::string w = ParseOption("protocol", v, 0, protoNames);
        const T::Protocol p = w == "ICMP" ? T::ICMP : (w == "IP" ? T::IP : T::TCP_UDP_SCTP);
        if (p == o.protocol)
        {
            return;
        }
        // Fields of the other protocols do not exist any more (FortiOS hides them).
        const T d;
        o.protocol = p;
        o.tcp = d.tcp;
        o.udp = d.udp;
        o.sctp = d.sctp;
        o.icmpType = d.icmpType;
        o.icmpCode = d.icmpCode;
        o.protocolNumber = d.protocolNumber;
    };
    proto.get = [protoNames](const T& o)
    {
        return Values{protoNames[o.protocol]};
    };
    proto.reset = [](T& o, const T& d)
    {
        o.protocol = d.protocol;
        o.tcp = d.tcp;
        o.udp = d.udp;
        o.sctp = d.sctp;
        o.icmpType = d.icmpType;
        o.icmpCode = d.icmpCode;
        o.protocolNumber = d.protocolNumber;
    };
    s->Add(proto);
    s->Add(PortRanges("tcp-portrange", &T::tcp));
    s->Add(PortRanges("udp-portrange", &T::udp));
    s->Add(PortRanges("sctp-portrange", &T::sctp));
    s->Add(IcmpValue("icmptype", &T::icmpType));
    s->Add(IcmpValue("icmpcode", &T::icmpCode));
    s->Add(When<T>(UInt<T>("protocol-number", &T::protocolNumber, 0, 254),
                   [](const T& o)
                   {
                       return o.protocol == T::IP;
                   }));
    Field<T> ttl = UInt<T>("session-ttl", &T::sessionTtl, 0, 604800);
    ttl.set = [](T& o, const Values& v, const FortiGateConfig&)
    {
        const auto x = ParseRange("session-ttl", v, 0, 0, 604800);
        if (x != 0 && x < 300)
        {
            Bad(0, "session-ttl: " + v[0] + " is out of range (0 or 300..604800)");
        }
        o.sessionTtl = static_cast<uint32_t>(x);
    };
    s->Add(ttl);
    s->Add(UInt<T>("udp-idle-timer", &T::udpIdleTimer, 0, 86400));
    s->Add(UInt<T>("tcp-halfclose-timer", &T::tcpHalfcloseTimer, 0, 86400));
    s->Add(UInt<T>("tcp-halfopen-timer", &T::tcpHalfopenTimer, 0, 86400));
    s->Add(UInt<T>("tcp-timewait-timer", &T::tcpTimewaitTimer, 0, 300));
    s->Add(Str<T>("comment", &T::comment, 255));

    auto* t = ConfigTable("firewall service custom", s, &Cfg::Services, &Cfg::FindService,
                          &Cfg::AddService, &Cfg::SetService, &Cfg::DeleteService);
    t->fresh = [](const FortiGateConfig& c, const std::string& k)
    {
        T e;
        e.name = k;
        const T* cur = c.FindService(k);
        e.predefined = cur && cur->predefined; // shipped services stay shipped
        return e;
    };
    t->users = ServiceUsers;
    t->setKey = [](T& e, const std::string& k)
    {
        e.name = k;
        e.predefined = false;
    };
    t->renameRefs = RenameServiceRefs;
    return t;
}

// ---- firewall service group -----------------------------------------------------------------

Table*
MakeServiceGroup()
{
    using T = ServiceGroup;
    auto* s = Own<SchemaT<T>>();
    s->Add(RefList<T>("member", &T::members, IsService));
    s->Add(Str<T>("comment", &T::comment, 255));
    auto* t = ConfigTable("firewall service group", s, &Cfg::ServiceGroups, &Cfg::FindServiceGroup,
                          &Cfg::AddServiceGroup, &Cfg::SetServiceGroup, &Cfg::DeleteServiceGroup);
    t->users = ServiceUsers;
    t->renameRefs = RenameServiceRefs;
    return t;
}

// ---- firewall schedule recurring / onetime --------------------------------------------------

Table*
MakeSchedule(FirewallSchedule::Kind kind)
{
    using T = FirewallSchedule;
    auto* s = Own<SchemaT<T>>();
    if (kind == T::RECURRING)
    {
        auto minutes = [](const std::string& name, uint16_t T::*m)
        {
            Field<T> f;
            f.info.name = name;
            f.set = [=](T& o, const Values& v, const FortiGateConfig&)
            {
                try
                {
                    o.*m = ParseScheduleMinutes(v[0], name);
                }
                catch (const ConfigError& e)
                {
                    Bad(0, e.what());
                }
            };
            f.get = [=](const T& o)
            {
                return Values{ScheduleMinutesToString(o.*m)};
            };
            f.reset = [=](T& o, const T& d)
            {
                o.*m = d.*m;
            };
            return f;
        };
        s->Add(minutes("start", &T::startMinute));
        s->Add(minutes("end", &T::endMinute));
        Field<T> day;
        const Values dayNames{"sunday",   "monday", "tuesday",  "wednesday",
                              "thursday", "friday", "saturday", "none"};
        day.info.name = "day";
        day.info.multi = true;
        day.info.maxValues = 0;
        day.info.options = dayNames;
        day.set = [dayNames](T& o, const Values& v, const FortiGateConfig&)
        {
            Values words;
            for (size_t i = 0; i < v.size(); ++i)
            {
                words.push_back(ParseOption("day", v, i, dayNames));
                if (words.back() == "none" && v.size() > 1)
                {
                    Bad(i, "day: 'none' cannot be combined with days");
                }
            }
            o.dayMask = words.empty() ? 0 : ParseScheduleDays(words, "day");
        };
        day.get = [](const T& o)
        {
            return ScheduleDaysToStrings(o.dayMask);
        };
        day.reset = [](T& o, const T& d)
        {
            o.dayMask = d.dayMask;
        };
        s->Add(day);
    }
    else
    {
        auto datetime = [](const std::string& name, int64_t T::*m)
        {
            Field<T> f;
            f.info.name = name;
            f.info.quoted = true;
            f.info.maxValues = 2; // `set start 08:00 2026/01/05` or `set start "08:00 2026/01/05"`
            f.set = [=](T& o, const Values& v, const FortiGateConfig&)
            {
                const std::string text = v.size() == 2 ? v[0] + " " + v[1] : v[0];
                try
                {
                    o.*m = ParseScheduleDateTime(text, name);
                }
                catch (const ConfigError& e)
                {
                    Bad(0, e.what());
                }
            };
            f.get = [=](const T& o)
            {
                return Values{ScheduleDateTimeToString(o.*m)};
            };
            f.reset = [=](T& o, const T& d)
            {
                o.*m = d.*m;
            };
            return f;
        };
        s->Add(datetime("start", &T::startTime));
        s->Add(datetime("end", &T::endTime));
    }
    s->Add(Str<T>("comment", &T::comment, 255));

    auto* t = Own<EntryTable<T>>();
    t->path = kind == T::RECURRING ? "firewall schedule recurring" : "firewall schedule onetime";
    t->schema = s;
    t->keys = [kind](const FortiGateConfig& c)
    {
        std::vector<std::string> out;
        for (const auto& e : c.Schedules())
        {
            if (e.kind == kind)
            {
                out.push_back(e.name);
            }
        }
        return out;
    };
    t->find = [kind](const FortiGateConfig& c, const std::string& k) -> const T*
    {
        const T* e = c.FindSchedule(k);
        return e && e->kind == kind ? e : nullptr;
    };
    t->fresh = [kind](const FortiGateConfig&, const std::string& k)
    {
        T e;
        e.name = k;
        e.kind = kind;
        return e;
    };
    t->save = [](FortiGateConfig& c, const T& e, bool isNew)
    {
        if (isNew)
        {
            c.AddSchedule(e);
        }
        else if (!(*c.FindSchedule(e.name) == e))
        {
            c.SetSchedule(e);
        }
    };
    t->del = [](FortiGateConfig& c, const std::string& k)
    {
        c.DeleteSchedule(k);
    };
    t->users = [](const FortiGateConfig& c, const std::string& k)
    {
        std::vector<std::string> out;
        for (const auto& p : c.Policies())
        {
            if (p.schedule == k)
            {
                out.push_back(PolicyUser(p.id));
            }
        }
        return out;
    };
    t->setKey = [](T& e, const std::string& k)
    {
        e.name = k;
    };
    t->renameRefs = [](FortiGateConfig& c, const std::string& from, const std::string& to)
    {
        for (auto p : c.Policies())
        {
            if (p.schedule == from)
            {
                p.schedule = to;
                c.SetPolicy(p);
            }
        }
    };
    return t;
}

// ---- firewall ippool ----------------------------------------------------------------------

Table*
MakeIpPool()
{
    using T = IpPoolConfig;
    auto* s = Own<SchemaT<T>>();
    Field<T> type;
    const Values typeNames{"overload", "one-to-one", "fixed-port-range", "port-block-allocation"};
    type.info.name = "type";
    type.info.options = typeNames;
    type.set = [typeNames](T& o, const Values& v, const FortiGateConfig&)
    {
        T::Type t = T::OVERLOAD;
        ParseIpPoolType(ParseOption("type", v, 0, typeNames), t);
        const T d;
        if (t != T::FIXED_PORT_RANGE)
        {
            o.sourceStartip = d.sourceStartip;
            o.sourceEndip = d.sourceEndip;
        }
        if (t != T::PORT_BLOCK_ALLOCATION)
        {
            o.blockSize = d.blockSize;
            o.numBlocksPerUser = d.numBlocksPerUser;
        }
        o.type = t;
    };
    type.get = [](const T& o)
    {
        return Values{IpPoolTypeName(o.type)};
    };
    type.reset = [](T& o, const T& d)
    {
        o.type = d.type;
        o.sourceStartip = d.sourceStartip;
        o.sourceEndip = d.sourceEndip;
        o.blockSize = d.blockSize;
        o.numBlocksPerUser = d.numBlocksPerUser;
    };
    s->Add(type);
    s->Add(Ip<T>("startip", &T::startip));
    s->Add(Ip<T>("endip", &T::endip));
    s->Add(UInt<T>("startport", &T::startport, 1024, 65535));
    s->Add(UInt<T>("endport", &T::endport, 1024, 65535));
    auto fpr = [](const T& o)
    {
        return o.type == T::FIXED_PORT_RANGE;
    };
    auto pba = [](const T& o)
    {
        return o.type == T::PORT_BLOCK_ALLOCATION;
    };
    s->Add(When<T>(Ip<T>("source-startip", &T::sourceStartip), fpr));
    s->Add(When<T>(Ip<T>("source-endip", &T::sourceEndip), fpr));
    s->Add(When<T>(UInt<T>("block-size", &T::blockSize, 64, 4096), pba));
    s->Add(When<T>(UInt<T>("num-blocks-per-user", &T::numBlocksPerUser, 1, 128), pba));
    s->Add(Bool<T>("arp-reply", &T::arpReply));
    s->Add(Str<T>("comments", &T::comments, 255));

    auto* t = ConfigTable("firewall ippool", s, &Cfg::IpPools, &Cfg::FindIpPool, &Cfg::AddIpPool,
                          &Cfg::SetIpPool, &Cfg::DeleteIpPool);
    t->users = [](const FortiGateConfig& c, const std::string& k)
    {
        std::vector<std::string> out;
        for (const auto& p : c.Policies())
        {
            if (Has(p.poolname, k))
            {
                out.push_back(PolicyUser(p.id));
            }
        }
        return out;
    };
    t->renameInPlace = &Cfg::RenameIpPool; // a copy under the new name would overlap the pool
    return t;
}

// ---- firewall vip -------------------------------------------------------------------------

Table*
MakeVip()
{
    using T = VipConfig;
    auto* s = Own<SchemaT<T>>();
    auto ipRange = [](const std::string& name, uint32_t T::*lo, uint32_t T::*hi, bool quoted)
    {
        Field<T> f;
        f.info.name = name;
        f.info.quoted = quoted;
        f.set = [=](T& o, const Values& v, const FortiGateConfig&)
        {
            ParseIpRange(name, v, 0, o.*lo, o.*hi);
        };
        f.get = [=](const T& o)
        {
            return Values{IpRangeText(o.*lo, o.*hi)};
        };
        f.reset = [=](T& o, const T& d)
        {
            o.*lo = d.*lo;
            o.*hi = d.*hi;
        };
        return f;
    };
    auto portRange = [](const std::string& name, uint16_t T::*lo, uint16_t T::*hi)
    {
        Field<T> f;
        f.info.name = name;
        f.set = [=](T& o, const Values& v, const FortiGateConfig&)
        {
            ParsePortPair(name, v, 0, o.*lo, o.*hi);
        };
        f.get = [=](const T& o)
        {
            return Values{PortPairText(o.*lo, o.*hi)};
        };
        f.reset = [=](T& o, const T& d)
        {
            o.*lo = d.*lo;
            o.*hi = d.*hi;
        };
        f.applies = [](const T& o)
        {
            return o.HasPorts();
        };
        return f;
    };
    s->Add(ipRange("extip", &T::extipLo, &T::extipHi, false));
    s->Add(ipRange("mappedip", &T::mappedipLo, &T::mappedipHi, true));
    s->Add(Ref<T>("extintf", &T::extintf, IsInterfaceOrAny, false));
    Field<T> pf = Bool<T>("portforward", &T::portforward);
    pf.set = [](T& o, const Values& v, const FortiGateConfig&)
    {
        const bool on = ParseOption("portforward", v, 0, {"enable", "disable"}) == "enable";
        if (!on)
        {
            const T d; // protocol and ports only exist with port forwarding
            o.protocol = d.protocol;
            o.extportLo = d.extportLo;
            o.extportHi = d.extportHi;
            o.mappedportLo = d.mappedportLo;
            o.mappedportHi = d.mappedportHi;
        }
        o.portforward = on;
    };
    pf.reset = [](T& o, const T& d)
    {
        o.portforward = d.portforward;
        o.protocol = d.protocol;
        o.extportLo = d.extportLo;
        o.extportHi = d.extportHi;
        o.mappedportLo = d.mappedportLo;
        o.mappedportHi = d.mappedportHi;
    };
    s->Add(pf);
    Field<T> proto = OptionMap<T, uint8_t>("protocol", &T::protocol, {"tcp", "udp", "sctp", "icmp"},
                                           {6, 17, 132, 1});
    proto.applies = [](const T& o)
    {
        return o.portforward;
    };
    auto protoSet = proto.set;
    proto.set = [protoSet](T& o, const Values& v, const FortiGateConfig& c)
    {
        protoSet(o, v, c);
        if (o.protocol == 1)
        {
            const T d; // icmp forwarding has no ports
            o.extportLo = d.extportLo;
            o.extportHi = d.extportHi;
            o.mappedportLo = d.mappedportLo;
            o.mappedportHi = d.mappedportHi;
        }
    };
    s->Add(proto);
    s->Add(portRange("extport", &T::extportLo, &T::extportHi));
    s->Add(portRange("mappedport", &T::mappedportLo, &T::mappedportHi));
    s->Add(Bool<T>("nat-source-vip", &T::natSourceVip));
    s->Add(Bool<T>("arp-reply", &T::arpReply));
    s->Add(Str<T>("comment", &T::comment, 255));
    s->Add(Uuid<T>());

    auto* t = ConfigTable("firewall vip", s, &Cfg::Vips, &Cfg::FindVip, &Cfg::AddVip, &Cfg::SetVip,
                          &Cfg::DeleteVip);
    t->users = AddressUsers;
    t->renameInPlace = &Cfg::RenameVip; // a copy under the new name would clash with the VIP
    return t;
}

// ---- voip profile (+ config sip) --------------------------------------------------------------

Table*
MakeVoipProfile()
{
    using T = VoipProfileConfig;
    using S = VoipSipOptions;
    // Field on the nested VoipSipOptions member.
    auto sipBool = [](const std::string& name, bool S::*m)
    {
        Field<T> f;
        f.info.name = name;
        f.info.options = {"enable", "disable"};
        f.set = [=](T& o, const Values& v, const FortiGateConfig&)
        {
            o.sip.*m = ParseOption(name, v, 0, {"enable", "disable"}) == "enable";
        };
        f.get = [=](const T& o)
        {
            return Values{o.sip.*m ? "enable" : "disable"};
        };
        f.reset = [=](T& o, const T& d)
        {
            o.sip.*m = d.sip.*m;
        };
        return f;
    };
    auto sipUInt = [](const std::string& name, uint32_t S::*m, uint64_t lo, uint64_t hi)
    {
        Field<T> f;
        f.info.name = name;
        f.set = [=](T& o, const Values& v, const FortiGateConfig&)
        {
            o.sip.*m = static_cast<uint32_t>(ParseRange(name, v, 0, lo, hi));
        };
        f.get = [=](const T& o)
        {
            return Values{std::to_string(o.sip.*m)};
        };
        f.reset = [=](T& o, const T& d)
        {
            o.sip.*m = d.sip.*m;
        };
        return f;
    };
    const Values actions{"discard", "pass", "respond"};
    auto sipAction = [actions](const std::string& name, std::function<VoipSipAction&(T&)> ref)
    {
        Field<T> f;
        f.info.name = name;
        f.info.options = actions;
        f.set = [=](T& o, const Values& v, const FortiGateConfig&)
        {
            const std::string w = ParseOption(name, v, 0, actions);
            ref(o) = static_cast<VoipSipAction>(std::find(actions.begin(), actions.end(), w)
                                                - actions.begin());
        };
        f.get = [=](const T& o)
        {
            return Values{VoipSipActionName(ref(const_cast<T&>(o)))};
        };
        f.reset = [=](T& o, const T& d)
        {
            ref(o) = ref(const_cast<T&>(d));
        };
        return f;
    };

    auto* sip = Own<SchemaT<T>>();
    sip->Add(Bool<T>("status", &T::sipStatus));
    sip->Add(sipBool("rtp", &S::rtp));
    sip->Add(sipBool("open-register-pinhole", &S::openRegisterPinhole));
    sip->Add(sipBool("open-contact-pinhole", &S::openContactPinhole));
    sip->Add(sipBool("open-via-pinhole", &S::openViaPinhole));
    sip->Add(sipBool("open-record-route-pinhole", &S::openRecordRoutePinhole));
    sip->Add(sipBool("strict-register", &S::strictRegister));
    sip->Add(sipBool("register-contact-trace", &S::registerContactTrace));
    sip->Add(sipBool("rfc2543-branch", &S::rfc2543Branch));
    sip->Add(sipBool("log-violations", &S::logViolations));
    sip->Add(sipBool("log-call-summary", &S::logCallSummary));
    sip->Add(sipBool("nat-trace", &S::natTrace));
    sip->Add(sipBool("contact-fixup", &S::contactFixup));
    sip->Add(sipBool("no-sdp-fixup", &S::noSdpFixup));
    sip->Add(sipBool("preserve-override", &S::preserveOverride));
    sip->Add(sipBool("hosted-nat-traversal", &S::hostedNatTraversal));
    sip->Add(sipBool("hnt-restrict-source-ip", &S::hntRestrictSourceIp));
    Field<T> natPorts;
    natPorts.info.name = "nat-port-range";
    natPorts.set = [](T& o, const Values& v, const FortiGateConfig&)
    {
        uint16_t lo = 0;
        uint16_t hi = 0;
        ParsePortPair("nat-port-range", v, 0, lo, hi);
        if (v[0].find('-') == std::string::npos)
        {
            Bad(0, "nat-port-range: '" + v[0] + "' is not a port range <low>-<high>");
        }
        if (lo < 5117 || hi > 65533)
        {
            Bad(0, "nat-port-range: '" + v[0] + "' is out of range (5117-65533)");
        }
        o.sip.natPortLow = lo;
        o.sip.natPortHigh = hi;
    };
    natPorts.get = [](const T& o)
    {
        return Values{std::to_string(o.sip.natPortLow) + "-" + std::to_string(o.sip.natPortHigh)};
    };
    natPorts.reset = [](T& o, const T& d)
    {
        o.sip.natPortLow = d.sip.natPortLow;
        o.sip.natPortHigh = d.sip.natPortHigh;
    };
    sip->Add(natPorts);
    sip->Add(sipUInt("max-line-length", &S::maxLineLength, 78, 4096));
    sip->Add(sipBool("block-long-lines", &S::blockLongLines));
    sip->Add(sipBool("block-unknown", &S::blockUnknown));
    sip->Add(sipUInt("max-dialogs", &S::maxDialogs, 0, 4294967295u));
    sip->Add(sipUInt("max-idle-dialogs", &S::maxIdleDialogs, 0, 4294967295u));
    sip->Add(sipUInt("max-body-length", &S::maxBodyLength, 0, 4294967295u));
    sip->Add(sipUInt("call-keepalive", &S::callKeepalive, 0, 10080));
    sip->Add(sipUInt("provisional-invite-expiry-time", &S::provisionalInviteExpiryTime, 10, 3600));
    const Values tracks{"none", "src-ip", "dest-ip"};
    for (size_t i = 0; i < VOIP_METHOD_COUNT; ++i)
    {
        const std::string m = VoipSipMethodNames()[i];
        Field<T> block;
        block.info.name = "block-" + m;
        block.info.options = {"enable", "disable"};
        block.set = [i, m](T& o, const Values& v, const FortiGateConfig&)
        {
            o.sip.method[i].block
                = ParseOption("block-" + m, v, 0, {"enable", "disable"}) == "enable";
        };
        block.get = [i](const T& o)
        {
            return Values{o.sip.method[i].block ? "enable" : "disable"};
        };
        block.reset = [i](T& o, const T& d)
        {
            o.sip.method[i].block = d.sip.method[i].block;
        };
        sip->Add(block);
    }
    for (size_t i = 0; i < VOIP_METHOD_COUNT; ++i)
    {
        const std::string m = VoipSipMethodNames()[i];
        Field<T> rate;
        rate.info.name = m + "-rate";
        rate.set = [i, m](T& o, const Values& v, const FortiGateConfig&)
        {
            o.sip.method[i].rate
                = static_cast<uint32_t>(ParseRange(m + "-rate", v, 0, 0, 4294967295u));
        };
        rate.get = [i](const T& o)
        {
            return Values{std::to_string(o.sip.method[i].rate)};
        };
        rate.reset = [i](T& o, const T& d)
        {
            o.sip.method[i].rate = d.sip.method[i].rate;
        };
        sip->Add(rate);
        Field<T> track;
        track.info.name = m + "-rate-track";
        track.info.options = tracks;
        track.set = [i, m, tracks](T& o, const Values& v, const FortiGateConfig&)
        {
            const std::string w = ParseOption(m + "-rate-track", v, 0, tracks);
            o.sip.method[i].rateTrack = static_cast<VoipSipRateTrack>(
                std::find(tracks.begin(), tracks.end(), w) - tracks.begin());
        };
        track.get = [i](const T& o)
        {
            return Values{VoipSipRateTrackName(o.sip.method[i].rateTrack)};
        };
        track.reset = [i](T& o, const T& d)
        {
            o.sip.method[i].rateTrack = d.sip.method[i].rateTrack;
        };
        sip->Add(track);
    }
    sip->Add(sipAction("unknown-header",
                       [](T& o) -> VoipSipAction&
                       {
                           return o.sip.unknownHeader;
                       }));
    sip->Add(sipAction("malformed-request-line",
                       [](T& o) -> VoipSipAction&
                       {
                           return o.sip.malformedRequestLine;
                       }));
    for (size_t i = 0; i < VOIP_HDR_COUNT; ++i)
    {
        sip->Add(sipAction("malformed-header-" + VoipSipHeaderNames()[i],
                           [i](T& o) -> VoipSipAction&
                           {
                               return o.sip.malformedHeader[i];
                           }));
    }

    auto* s = Own<SchemaT<T>>();
    s->Add(Option<T>("feature-set", &T::featureSet, {"voipd", "ips"}));
    s->Add(Str<T>("comment", &T::comment, 255));
    s->AddSub({"sip", sip, nullptr});

    auto* t = ConfigTable("voip profile", s, &Cfg::VoipProfiles, &Cfg::FindVoipProfile,
                          &Cfg::AddVoipProfile, &Cfg::SetVoipProfile, &Cfg::DeleteVoipProfile);
    t->users = [](const FortiGateConfig& c, const std::string& k)
    {
        std::vector<std::string> out;
        for (const auto& p : c.Policies())
        {
            if (p.voipProfile == k || p.ipsVoipFilter == k)
            {
                out.push_back(PolicyUser(p.id));
            }
        }
        return out;
    };
    t->renameRefs = [](FortiGateConfig& c, const std::string& from, const std::string& to)
    {
        for (auto p : c.Policies())
        {
            if (p.voipProfile == from || p.ipsVoipFilter == from)
            {
                p.voipProfile = p.voipProfile == from ? to : p.voipProfile;
                p.ipsVoipFilter = p.ipsVoipFilter == from ? to : p.ipsVoipFilter;
                c.SetPolicy(p);
            }
        }
    };
    return t;
}

// ---- firewall policy ----------------------------------------------------------------------

Table*
MakePolicy()
{
    using T = FirewallPolicy;
    auto* s = Own<SchemaT<T>>();
    s->Add(Str<T>("name", &T::name, 35));
    s->Add(RefList<T>("srcintf", &T::srcintf, IsInterfaceOrAny));
    s->Add(RefList<T>("dstintf", &T::dstintf, IsInterfaceOrAny));
    s->Add(OptionMap<T, T::Action>("action", &T::action, {"accept", "deny"}, {T::ACCEPT, T::DENY}));
    s->Add(RefList<T>("srcaddr", &T::srcaddr, IsAddress));
    s->Add(RefList<T>("dstaddr", &T::dstaddr, IsDstAddress));
    s->Add(Bool<T>("status", &T::status));
    s->Add(Always<T>(Ref<T>("schedule", &T::schedule, IsSchedule, false)));
    s->Add(RefList<T>("service", &T::service, IsService));
    s->Add(Bool<T>("utm-status", &T::utmStatus));
    s->Add(Ref<T>("voip-profile", &T::voipProfile, IsVoipProfile, true));
    s->Add(Ref<T>("ips-voip-filter", &T::ipsVoipFilter, IsVoipProfile, true));
    s->Add(Option<T>("logtraffic", &T::logtraffic, {"all", "utm", "disable"}));
    s->Add(Bool<T>("ippool", &T::ippool));
    s->Add(RefList<T>("poolname", &T::poolname, IsPool));
    s->Add(Bool<T>("nat", &T::nat));
    s->Add(Str<T>("comments", &T::comments, 1023));
    s->Add(Uuid<T>());

    auto* t = ConfigTable("firewall policy", s, &Cfg::Policies, &Cfg::FindPolicy, &Cfg::AddPolicy,
                          &Cfg::SetPolicy, &Cfg::DeletePolicy);
    t->move = [](FortiGateConfig& c, const std::string& k, bool before, const std::string& o)
    {
        c.MovePolicy(Id(k), before ? FortiGateConfig::BEFORE : FortiGateConfig::AFTER, Id(o));
    };
    // A renamed policy keeps its list position.
    auto* table = t;
    t->renameRefs = [table](FortiGateConfig& c, const std::string& from, const std::string& to)
    {
        (void)table;
        c.MovePolicy(Id(to), FortiGateConfig::AFTER, Id(from));
    };
    return t;
}

} // namespace

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
        MakeVoipProfile(),
        MakePolicy(),
        MakeRouterStatic(),
    };
    return tables;
}

} // namespace fortios
} // namespace ns3
