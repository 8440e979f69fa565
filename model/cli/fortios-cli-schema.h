/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FORTIOS_CLI_SCHEMA_H
#define FORTIGATE_FORTIOS_CLI_SCHEMA_H

// Internal to the FortiOS CLI (fortios-cli.cc, fortios-cli-tables.cc): the type-erased schema
// of every configuration table. Not installed.

#include "ns3/fortigate-config.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace fortios
{

/**
 * A failed value in a `set`: which value (index into the values; the engine quotes it in
 * "value parse error before '...'") and why.
 */
struct ValueError
{
    size_t index{0};      //!< index of the bad value (== count for "missing value")
    int code{-651};       //!< FortiOsCli::ReturnCode
    std::string detail;   //!< human explanation (second line of the error)
    bool notFound{false}; //!< a reference to an object that does not exist
};

/// Static description of one field.
struct FieldInfo
{
    std::string name;                 //!< CLI name (`tcp-portrange`)
    bool multi{false};                //!< several values (append/select/unselect allowed)
    size_t maxValues{1};              //!< most values accepted (0 = unlimited)
    bool quoted{false};               //!< show prints the values in double quotes
    bool alwaysShow{false};           //!< show prints it even at its default
    std::vector<std::string> options; //!< the keywords of an option field (for abbreviation)
};

/// A type-erased value (an entry or a settings object being edited).
class Object
{
  public:
    virtual ~Object() = default;
    /// \return the value
    virtual void* Ptr() = 0;
    /// \return the value
    virtual const void* Ptr() const = 0;
    /// \return a copy
    virtual std::unique_ptr<Object> Clone() const = 0;
    /// Copy \p o (same type) into this.
    virtual void Assign(const Object& o) = 0;
    /// \return true when \p o (same type) is equal
    virtual bool Equals(const Object& o) const = 0;
};

/// Object holding a T.
template <class T>
class ObjectT : public Object
{
  public:
    explicit ObjectT(T v)
        : value(std::move(v))
    {
    }

    void* Ptr() override
    {
        return &value;
    }

    const void* Ptr() const override
    {
        return &value;
    }

    std::unique_ptr<Object> Clone() const override
    {
        return std::make_unique<ObjectT<T>>(value);
    }

    void Assign(const Object& o) override
    {
        value = static_cast<const ObjectT<T>&>(o).value;
    }

    bool Equals(const Object& o) const override
    {
        return value == static_cast<const ObjectT<T>&>(o).value;
    }

    T value; //!< the value
};

class SubTable;

/// The fields (and nested blocks) of one object type.
class Schema
{
  public:
    virtual ~Schema() = default;

    /// \return the fields in show order
    const std::vector<FieldInfo>& Fields() const
    {
        return m_info;
    }

    /// \return the index of an exact field name, or -1
    int FieldIndex(const std::string& name) const;

    /// Parse \p values into field \p f of \p obj. \throws ValueError
    virtual void Set(void* obj,
                     size_t f,
                     const std::vector<std::string>& values,
                     const FortiGateConfig& cfg) const = 0;
    /// \return the values of field \p f (unquoted)
    virtual std::vector<std::string> Get(const void* obj, size_t f) const = 0;
    /// Copy field \p f from \p def into \p obj (unset).
    virtual void Reset(void* obj, size_t f, const void* def) const = 0;
    /// \return false when field \p f does not apply to \p obj (e.g. subnet of an iprange)
    virtual bool Applies(const void* obj, size_t f) const = 0;

    /// A nested `config <name>` block.
    struct Sub
    {
        std::string name;               //!< `config <name>`
        const Schema* group{nullptr};   //!< fields of the same object (config sip)
        const SubTable* table{nullptr}; //!< a nested table (config port)
    };

    /// \return the nested blocks
    const std::vector<Sub>& Subs() const
    {
        return m_subs;
    }

    /// Add a nested block.
    void AddSub(const Sub& s)
    {
        m_subs.push_back(s);
    }

  protected:
    std::vector<FieldInfo> m_info; //!< field descriptions
    std::vector<Sub> m_subs;       //!< nested blocks
};

/// Schema of a T built from per-field functions.
template <class T>
class SchemaT : public Schema
{
  public:
    /// One field's behaviour.
    struct Field
    {
        FieldInfo info;
        std::function<void(T&, const std::vector<std::string>&, const FortiGateConfig&)> set;
        std::function<std::vector<std::string>(const T&)> get;
        std::function<void(T&, const T&)> reset;
        std::function<bool(const T&)> applies; //!< empty = always
    };

    /// Append a field.
    void Add(Field f)
    {
        m_info.push_back(f.info);
        m_fields.push_back(std::move(f));
    }

    void Set(void* obj,
             size_t f,
             const std::vector<std::string>& values,
             const FortiGateConfig& cfg) const override
    {
        m_fields[f].set(*static_cast<T*>(obj), values, cfg);
    }

    std::vector<std::string> Get(const void* obj, size_t f) const override
    {
        return m_fields[f].get(*static_cast<const T*>(obj));
    }

    void Reset(void* obj, size_t f, const void* def) const override
    {
        m_fields[f].reset(*static_cast<T*>(obj), *static_cast<const T*>(def));
    }

    bool Applies(const void* obj, size_t f) const override
    {
        return !m_fields[f].applies || m_fields[f].applies(*static_cast<const T*>(obj));
    }

  private:
    std::vector<Field> m_fields;
};

/// Kind of table.
enum class TableKind
{
    SINGLETON, //!< settings object (config system global)
    NAMED,     //!< entries keyed by name (edit "port1")
    NUMBERED,  //!< entries keyed by number (edit 1; edit 0 = next free)
};

/// A nested table inside an object (config port inside system session-ttl).
class SubTable
{
  public:
    virtual ~SubTable() = default;
    /// \return the entry schema
    virtual const Schema& EntrySchema() const = 0;
    /// \return the keys in show order
    virtual std::vector<std::string> Keys(const void* parent) const = 0;
    /// \return a copy of an entry, or nullptr
    virtual std::unique_ptr<Object> Get(const void* parent, const std::string& key) const = 0;
    /// \return a new entry with its defaults
    virtual std::unique_ptr<Object> Fresh(const std::string& key) const = 0;
    /// Insert or replace an entry.
    virtual void Put(void* parent, const Object& entry) const = 0;
    /// Remove an entry (must exist).
    virtual void Erase(void* parent, const std::string& key) const = 0;
    /// \return the key `edit 0` uses
    virtual std::string NextFreeKey(const void* parent) const = 0;
};

/// A top-level configuration table or settings object.
class Table
{
  public:
    virtual ~Table() = default;

    /// \return the path (`firewall service custom`)
    virtual const std::string& Path() const = 0;
    /// \return singleton, named or numbered
    virtual TableKind Kind() const = 0;
    /// \return the schema of the settings object / entries
    virtual const Schema& EntrySchema() const = 0;

    // --- singleton ---
    /// \return a copy of the settings object
    virtual std::unique_ptr<Object> Current(const FortiGateConfig& cfg) const;
    /// Store the settings object. \throws ConfigError
    virtual void Store(FortiGateConfig& cfg, const Object& obj) const;

    // --- tables ---
    /// \return the keys in show order
    virtual std::vector<std::string> Keys(const FortiGateConfig& cfg) const;
    /// \return a copy of an entry, or nullptr
    virtual std::unique_ptr<Object> Get(const FortiGateConfig& cfg, const std::string& key) const;
    /// \return the defaults of a new entry (for an existing entry: what `unset` goes back to)
    virtual std::unique_ptr<Object> Fresh(const FortiGateConfig& cfg, const std::string& key) const;
    /// Add (\p isNew) or replace an entry. \throws ConfigError
    virtual void Save(FortiGateConfig& cfg, const Object& entry, bool isNew) const;
    /// Delete an entry. \throws ConfigError
    virtual void Delete(FortiGateConfig& cfg, const std::string& key) const;
    /// \return labels of the objects that use entry \p key (empty: unused)
    virtual std::vector<std::string> Users(const FortiGateConfig& cfg,
                                           const std::string& key) const;
    /// Rename an entry and every reference to it. \throws ConfigError
    virtual void Rename(FortiGateConfig& cfg, const std::string& from, const std::string& to) const;
    /// \return the key `edit 0` uses (numbered tables)
    virtual std::string NextFreeKey(const FortiGateConfig& cfg) const;
    /// \return true when `rename` is allowed
    virtual bool CanRename() const;
    /// Move an entry (firewall policy only). \throws ConfigError
    virtual void Move(FortiGateConfig& cfg,
                      const std::string& key,
                      bool before,
                      const std::string& other) const;
    /// \return true when `move` is allowed
    virtual bool CanMove() const;
};

/// \return every table, in show (dependency) order.
const std::vector<const Table*>& AllTables();

/// Keep \p object until the program exits (see Own).
void KeepForever(std::shared_ptr<const void> object);

/**
 * Make an X that lives until the program exits. The table builders allocate their schemas,
 * nested tables and tables through this: they point at one another, so one function-local
 * static owns them all and frees them at exit (nothing leaks for LeakSanitizer).
 * \return the object
 */
template <class X, class... A>
X*
Own(A&&... args)
{
    auto object = std::make_shared<X>(std::forward<A>(args)...);
    X* raw = object.get();
    KeepForever(std::move(object));
    return raw;
}

/// \return the index of the unique match of \p word in \p options (exact match first, else the
/// unique prefix), -1 when none matches, -2 when the prefix is ambiguous.
int MatchKeyword(const std::string& word, const std::vector<std::string>& options);

} // namespace fortios
} // namespace ns3

#endif // FORTIGATE_FORTIOS_CLI_SCHEMA_H
