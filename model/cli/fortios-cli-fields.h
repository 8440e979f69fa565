/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FORTIOS_CLI_FIELDS_H
#define FORTIGATE_FORTIOS_CLI_FIELDS_H

// Internal to the FortiOS CLI tables (fortios-cli-tables*.cc): value parsing, the field
// builders every table uses, the generic table implementations and the table makers. Not
// installed.

#include "fortios-cli-schema.h"

#include "ns3/flow-tuple.h"
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

using Values = std::vector<std::string>;
using Exists = std::function<bool(const FortiGateConfig&, const std::string&)>;
using Cfg = FortiGateConfig; //!< short for the member pointers given to ConfigTable

// ---- value parsing ----------------------------------------------------------------------------

[[noreturn]] inline void
Bad(size_t index, const std::string& detail, int code = -651)
{
    ValueError e;
    e.index = index;
    e.code = code;
    e.detail = detail;
    throw e;
}

[[noreturn]] inline void
NotFound(size_t index, const std::string& detail)
{
    ValueError e;
    e.index = index;
    e.code = -3;
    e.detail = detail;
    e.notFound = true;
    throw e;
}

inline uint64_t
ParseRange(const std::string& field, const Values& v, size_t i, uint64_t lo, uint64_t hi)
{
    uint64_t x = 0;
    if (!ParseDecimal(v[i], 9999999999ULL, x)) // more than ten digits: not a FortiOS number
    {
        Bad(i, field + ": '" + v[i] + "' is not a number");
    }
    if (x < lo || x > hi)
    {
        Bad(i,
            field + ": " + v[i] + " is out of range (" + std::to_string(lo) + ".." +
                std::to_string(hi) + ")");
    }
    return x;
}

inline uint32_t
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
inline void
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

inline std::string
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
inline void
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

inline std::string
IpRangeText(uint32_t lo, uint32_t hi)
{
    return hi == 0 ? Ipv4ToString(lo) : Ipv4ToString(lo) + "-" + Ipv4ToString(hi);
}

inline void
ParsePortPair(const std::string& field, const Values& v, size_t i, uint16_t& lo, uint16_t& hi)
{
    const auto dash = v[i].find('-');
    uint64_t a = 0;
    uint64_t b = 0;
    const bool ok = dash == std::string::npos ? ParseDecimal(v[i], 65535, a)
                                              : ParseDecimal(v[i].substr(0, dash), 65535, a) &&
                                                    ParseDecimal(v[i].substr(dash + 1), 65535, b);
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

inline std::string
PortPairText(uint16_t lo, uint16_t hi)
{
    return hi == 0 ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
}

inline Values
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

/// \return a Field::reset that copies member \p m from the default (what `unset` does)
template <class T, class M>
std::function<void(T&, const T&)>
ResetMember(M T::*m)
{
    return [m](T& o, const T& d) { o.*m = d.*m; };
}

/// \return a Field::get of a list member \p m, printed as it is stored
template <class T>
std::function<Values(const T&)>
GetList(std::vector<std::string> T::*m)
{
    return [m](const T& o) { return o.*m; };
}

template <class T, class M>
Field<T>
UInt(const std::string& name, M T::*m, uint64_t lo, uint64_t hi)
{
    Field<T> f;
    f.info.name = name;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
        o.*m = static_cast<M>(ParseRange(name, v, 0, lo, hi));
    };
    f.get = [=](const T& o) { return Values{std::to_string(static_cast<uint64_t>(o.*m))}; };
    f.reset = ResetMember(m);
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
    f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
        o.*m = ParseOption(name, v, 0, opts) == "enable";
    };
    f.get = [=](const T& o) { return Values{o.*m ? "enable" : "disable"}; };
    f.reset = ResetMember(m);
    return f;
}

template <class T>
Field<T>
Option(const std::string& name, std::string T::*m, const Values& opts)
{
    Field<T> f;
    f.info.name = name;
    f.info.options = opts;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
        o.*m = ParseOption(name, v, 0, opts);
    };
    f.get = [=](const T& o) { return Values{o.*m}; };
    f.reset = ResetMember(m);
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
    f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
        const std::string word = ParseOption(name, v, 0, names);
        o.*m = values[std::find(names.begin(), names.end(), word) - names.begin()];
    };
    f.get = [=](const T& o) {
        for (size_t i = 0; i < values.size(); ++i)
        {
            if (values[i] == o.*m)
            {
                return Values{names[i]};
            }
        }
        return Values{std::to_string(static_cast<int>(o.*m))};
    };
    f.reset = ResetMember(m);
    return f;
}

template <class T>
Field<T>
Str(const std::string& name, std::string T::*m, size_t maxLen)
{
    Field<T> f;
    f.info.name = name;
    f.info.quoted = true;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
        if (v[0].size() > maxLen)
        {
            Bad(0, name + ": longer than " + std::to_string(maxLen) + " characters");
        }
        o.*m = v[0];
    };
    f.get = [=](const T& o) { return Values{o.*m}; };
    f.reset = ResetMember(m);
    return f;
}

template <class T>
Field<T>
Ip(const std::string& name, uint32_t T::*m)
{
    Field<T> f;
    f.info.name = name;
    f.set = [=](T& o, const Values& v, const FortiGateConfig&) { o.*m = ParseIp(name, v, 0); };
    f.get = [=](const T& o) { return Values{Ipv4ToString(o.*m)}; };
    f.reset = ResetMember(m);
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
    f.set = [=](T& o, const Values& v, const FortiGateConfig& c) {
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
    f.get = [=](const T& o) { return Values{o.*m}; };
    f.reset = ResetMember(m);
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
    f.set = [=](T& o, const Values& v, const FortiGateConfig& c) {
        for (size_t i = 0; i < v.size(); ++i)
        {
            if (!exists(c, v[i]))
            {
                NotFound(i, name + ": '" + v[i] + "' does not exist");
            }
        }
        o.*m = Dedup(v);
    };
    f.get = GetList<T>(m);
    f.reset = ResetMember(m);
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
    f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
        Values out;
        for (size_t i = 0; i < v.size(); ++i)
        {
            out.push_back(ParseOption(name, v, i, opts));
        }
        o.*m = Dedup(out);
    };
    f.get = GetList<T>(m);
    f.reset = ResetMember(m);
    return f;
}

/**
 * A field real FortiGates print that the model has no use for (`set uuid ...` of a policy or
 * address, `set vdom "root"` of an interface): accepted when its value is well formed, so pasted
 * `show` output loads, and never printed back.
 */
template <class T>
Field<T>
Ignored(const std::string& name,
        std::function<bool(const std::string&)> valid,
        const std::string& what)
{
    Field<T> f;
    f.info.name = name;
    f.set = [=](T&, const Values& v, const FortiGateConfig&) {
        if (!valid(v[0]))
        {
            Bad(0, name + ": '" + v[0] + "' is not " + what);
        }
    };
    f.get = [](const T&) { return Values{}; };
    f.reset = [](T&, const T&) {};
    return f;
}

inline bool
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

inline bool
IsInterface(const FortiGateConfig& c, const std::string& n)
{
    return c.FindInterface(n) >= 0;
}

inline bool
IsInterfaceOrAny(const FortiGateConfig& c, const std::string& n)
{
    return n == "any" || IsInterface(c, n);
}

inline bool
IsAddress(const FortiGateConfig& c, const std::string& n)
{
    return c.FindAddress(n) || c.FindAddressGroup(n);
}

inline bool
IsDstAddress(const FortiGateConfig& c, const std::string& n)
{
    return IsAddress(c, n) || c.FindVip(n);
}

inline bool
IsService(const FortiGateConfig& c, const std::string& n)
{
    return c.FindService(n) || c.FindServiceGroup(n);
}

inline bool
IsSchedule(const FortiGateConfig& c, const std::string& n)
{
    return c.FindSchedule(n) != nullptr;
}

inline bool
IsPool(const FortiGateConfig& c, const std::string& n)
{
    return c.FindIpPool(n) != nullptr;
}

inline bool
IsVoipProfile(const FortiGateConfig& c, const std::string& n)
{
    return c.FindVoipProfile(n) != nullptr;
}

// ---- generic table implementations ------------------------------------------------------------

/// A settings object (config system global, ...).
template <class T>
class SingletonTable : public Table
{
  public:
    SingletonTable(std::string path,
                   std::function<T(const FortiGateConfig&)> get,
                   std::function<void(FortiGateConfig&, const T&)> store,
                   SchemaT<T>* schema)
        : m_path(std::move(path)),
          m_get(std::move(get)),
          m_store(std::move(store)),
          m_schema(schema)
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

    void Move(FortiGateConfig& c,
              const std::string& key,
              bool before,
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

inline uint32_t
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
ConfigTable(const std::string& path,
            SchemaT<T>* schema,
            List list,
            Find find,
            Add add,
            Set set,
            Del del)
{
    constexpr bool numbered = std::is_invocable_v<Find, const FortiGateConfig&, uint32_t>;
    auto key = [](const std::string& k) {
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
    t->keys = [list](const FortiGateConfig& c) {
        if constexpr (numbered)
        {
            return IdsOf((c.*list)());
        }
        else
        {
            return NamesOf((c.*list)());
        }
    };
    t->find = [find, key](const FortiGateConfig& c, const std::string& k) {
        return (c.*find)(key(k));
    };
    t->setKey = [key](T& e, const std::string& k) {
        if constexpr (numbered)
        {
            e.id = key(k);
        }
        else
        {
            e.name = k;
        }
    };
    t->fresh = [setKey = t->setKey](const FortiGateConfig&, const std::string& k) {
        T e;
        setKey(e, k);
        return e;
    };
    t->save = [add, set](FortiGateConfig& c, const T& e, bool isNew) {
        if (isNew)
        {
            (c.*add)(e);
        }
        else
        {
            (c.*set)(e);
        }
    };
    t->del = [del, key](FortiGateConfig& c, const std::string& k) { (c.*del)(key(k)); };
    return t;
}

// ---- references -----------------------------------------------------------------------------

/// The users of \p t's entries, and the references a rename moves, are the configuration's
/// references of kind \p kind (FortiGateConfig::UsersOf, RenameReferences).
template <class T>
void
ReferencedAs(EntryTable<T>* t, FortiGateConfig::NameKind kind)
{
    t->users = [kind](const FortiGateConfig& c, const std::string& k) {
        return c.UsersOf(kind, k);
    };
    t->renameRefs = [kind](FortiGateConfig& c, const std::string& from, const std::string& to) {
        c.RenameReferences(kind, from, to);
    };
}

// ---- the tables (one function per `config` path, in fortios-cli-tables-<family>.cc) ------------

Table* MakeSystemGlobal();
Table* MakeSystemSettings();
Table* MakeSystemInterface();
Table* MakeSessionTtl();
Table* MakeSessionHelper();
Table* MakeRouterStatic();
Table* MakeFirewallAddress();
Table* MakeAddrGrp();
Table* MakeServiceCustom();
Table* MakeServiceGroup();
Table* MakeSchedule(FirewallSchedule::Kind kind);
Table* MakeIpPool();
Table* MakeVip();
Table* MakeDnsTranslation();
Table* MakeVoipProfile();
Table* MakePolicy();

} // namespace fortios
} // namespace ns3

#endif // FORTIGATE_FORTIOS_CLI_FIELDS_H
