/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fortios-cli.h"

#include "cli-grep.h"
#include "fortios-cli-printer.h"
#include "fortios-cli-schema.h"

#include "ns3/log.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiOsCli");

namespace
{

using namespace fortios;

/// A command failure (the engine adds the line number).
struct CmdError
{
    int code;
    std::string primary;
    std::string detail;
};

[[noreturn]] void
ParseError(const std::string& token, const std::string& detail = "")
{
    throw CmdError{FortiOsCli::RC_PARSE, "command parse error before '" + token + "'", detail};
}

[[noreturn]] void
ValueParseError(const std::string& token,
                const std::string& detail,
                int code = FortiOsCli::RC_VALUE)
{
    throw CmdError{code, "value parse error before '" + token + "'", detail};
}

[[noreturn]] void
EntryNotFound(const std::string& token, const std::string& detail = "")
{
    throw CmdError{FortiOsCli::RC_NOT_FOUND,
                   "entry not found in datasource",
                   "value parse error before '" + token + "'" +
                       (detail.empty() ? "" : "\n" + detail)};
}

/// A ConfigError raised when an object is saved, as FortiOS reports it.
[[noreturn]] void
CommitError(const std::string& token, const ConfigError& e)
{
    const std::string msg = e.what();
    const std::string suffix = ": must be set";
    if (msg.size() > suffix.size() &&
        msg.compare(msg.size() - suffix.size(), suffix.size(), suffix) == 0)
    {
        const std::string head = msg.substr(0, msg.size() - suffix.size());
        const auto colon = head.rfind(": ");
        const std::string field = colon == std::string::npos ? head : head.substr(colon + 2);
        throw CmdError{FortiOsCli::RC_MUST_SET, "Attribute '" + field + "' MUST be set.", msg};
    }
    throw CmdError{FortiOsCli::RC_VALUE, "value parse error before '" + token + "'", msg};
}

std::vector<std::string>
SplitWords(const std::string& s)
{
    std::istringstream is(s);
    std::vector<std::string> out;
    std::string w;
    while (is >> w)
    {
        out.push_back(w);
    }
    return out;
}

/// Resolve a table path from words[start..]; returns nullptr when the words do not name a
/// table (then *bad is the offending word and *badIndex its position).
const Table*
ResolvePath(const std::vector<CliWord>& w, size_t start, size_t& next, size_t* badIndex)
{
    std::vector<const Table*> cands(AllTables().begin(), AllTables().end());
    size_t level = 0;
    size_t i = start;
    while (true)
    {
        for (const Table* t : cands)
        {
            if (SplitWords(t->Path()).size() == level)
            {
                next = i;
                return t;
            }
        }
        if (i >= w.size())
        {
            *badIndex = i;
            return nullptr;
        }
        std::vector<std::string> options;
        for (const Table* t : cands)
        {
            const auto pw = SplitWords(t->Path());
            if (std::find(options.begin(), options.end(), pw[level]) == options.end())
            {
                options.push_back(pw[level]);
            }
        }
        const int m = MatchKeyword(w[i].text, options);
        if (m < 0)
        {
            *badIndex = i;
            return nullptr;
        }
        std::vector<const Table*> keep;
        for (const Table* t : cands)
        {
            if (SplitWords(t->Path())[level] == options[m])
            {
                keep.push_back(t);
            }
        }
        cands = keep;
        ++level;
        ++i;
    }
}

/// One level of the command context.
struct Frame
{
    enum Type
    {
        TABLE,    //!< inside `config <table>`
        OBJECT,   //!< inside a settings object or a table entry (edit)
        GROUP,    //!< inside a nested field group (config sip)
        SUBTABLE, //!< inside a nested table (config port)
        SUBENTRY, //!< inside an entry of a nested table
    };

    Type type{TABLE};
    const Table* table{nullptr};      //!< the top-level table
    const SubTable* sub{nullptr};     //!< SUBTABLE/SUBENTRY: the nested table
    const Schema* schema{nullptr};    //!< OBJECT/GROUP/SUBENTRY: the fields
    std::unique_ptr<Object> obj;      //!< OBJECT/SUBENTRY: working copy
    std::unique_ptr<Object> def;      //!< OBJECT/SUBENTRY: defaults (unset)
    Object* target{nullptr};          //!< GROUP: the object the fields belong to;
                                      //!< SUBTABLE/SUBENTRY: the parent object
    const Object* targetDef{nullptr}; //!< GROUP: its defaults
    std::unique_ptr<Object> snapshot; //!< GROUP: state on entry (abort)
    std::string key;                  //!< entry key
    bool isNew{false};                //!< entry does not exist yet
    bool isEntry{false};              //!< OBJECT: a table entry (not a settings object)
    std::string name;                 //!< GROUP/SUBTABLE: the nested block name
    int line{0};                      //!< line of the command that opened it
};

class Engine
{
  public:
    Engine(FortiGateConfig& cfg, const FortiOsCli::CommandHandler& handler, bool restore)
        : m_cfg(cfg),
          m_handler(handler),
          m_restore(restore)
    {
    }

    /// Run every line; throws CmdError (m_line tells where).
    void Run(const std::vector<CliLine>& lines)
    {
        for (const auto& l : lines)
        {
            m_line = l.line;
            Command(l.words);
        }
        if (!m_stack.empty())
        {
            const Frame& f = m_stack.front();
            m_line = f.line;
            throw CmdError{FortiOsCli::RC_PARSE,
                           "missing 'end' for 'config " + f.table->Path() + "'",
                           "command parse error before 'end of input'"};
        }
        if (m_restore)
        {
            FinishRestore();
        }
    }

    std::string output; //!< accumulated show/get/handler output
    int m_line{0};      //!< line being executed

  private:
    // ---- dispatch ------------------------------------------------------------------------

    void Command(const std::vector<CliWord>& w)
    {
        // `COMMAND | grep [-invcABC] PATTERN` (an unquoted `|` word) filters what COMMAND prints.
        const bool prints = MatchKeyword(w[0].text, {"show", "get", "diagnose", "execute"}) >= 0;
        for (size_t i = 1; prints && i < w.size(); ++i)
        {
            if (w[i].quoted || w[i].text != "|")
            {
                continue;
            }
            if (i + 1 >= w.size() || MatchKeyword(w[i + 1].text, {"grep"}) != 0)
            {
                ParseError(i + 1 < w.size() ? w[i + 1].text : w[i].text);
            }
            std::vector<std::string> args;
            for (size_t k = i + 2; k < w.size(); ++k)
            {
                args.push_back(w[k].text);
            }
            std::string before;
            before.swap(output);
            Command(std::vector<CliWord>(w.begin(), w.begin() + static_cast<long>(i)));
            std::string error;
            std::string selected = CliGrep(output, args, error);
            output = before + selected;
            if (!error.empty())
            {
                const auto nl = error.find('\n');
                throw CmdError{error.find("-61") != std::string::npos ? FortiOsCli::RC_PARSE
                                                                      : FortiOsCli::RC_COMMAND_FAIL,
                               error.substr(0, nl),
                               ""};
            }
            return;
        }
        const Frame* top = m_stack.empty() ? nullptr : &m_stack.back();
        std::vector<std::string> cmds;
        if (!top)
        {
            cmds = {"config", "show", "get", "diagnose", "execute", "end", "abort"};
        }
        else if (top->type == Frame::TABLE || top->type == Frame::SUBTABLE)
        {
            cmds = {"edit",
                    "delete",
                    "rename",
                    "purge",
                    "move",
                    "show",
                    "get",
                    "end",
                    "abort",
                    "next"};
        }
        else
        {
            cmds = {"set",
                    "unset",
                    "append",
                    "select",
                    "unselect",
                    "config",
                    "show",
                    "get",
                    "next",
                    "end",
                    "abort"};
        }
        const int m = MatchKeyword(w[0].text, cmds);
        if (m < 0)
        {
            ParseError(w[0].text);
        }
        const std::string& cmd = cmds[m];
        if (cmd == "config")
        {
            top ? ConfigSub(w) : ConfigRoot(w);
        }
        else if (cmd == "show" || cmd == "get")
        {
            Show(w, cmd == "get");
        }
        else if (cmd == "diagnose" || cmd == "execute")
        {
            Forward(w, cmd);
        }
        else if (cmd == "end")
        {
            NoArgs(w);
            End();
        }
        else if (cmd == "abort")
        {
            NoArgs(w);
            Abort();
        }
        else if (cmd == "next")
        {
            NoArgs(w);
            Next();
        }
        else if (cmd == "edit")
        {
            Edit(w);
        }
        else if (cmd == "delete")
        {
            Delete(w);
        }
        else if (cmd == "rename")
        {
            Rename(w);
        }
        else if (cmd == "purge")
        {
            NoArgs(w);
            Purge();
        }
        else if (cmd == "move")
        {
            Move(w);
        }
        else
        {
            SetLike(w, cmd);
        }
    }

    static void NoArgs(const std::vector<CliWord>& w)
    {
        if (w.size() > 1)
        {
            ParseError(w[1].text);
        }
    }

    // ---- config ------------------------------------------------------------------------

    void ConfigRoot(const std::vector<CliWord>& w)
    {
        size_t next = 0;
        size_t bad = 0;
        const Table* t = ResolvePath(w, 1, next, &bad);
        if (!t)
        {
            ParseError(bad < w.size() ? w[bad].text : w[0].text);
        }
        if (next < w.size())
        {
            ParseError(w[next].text);
        }
        Frame f;
        f.table = t;
        f.line = m_line;
        if (t->Kind() == TableKind::SINGLETON)
        {
            f.type = Frame::OBJECT;
            f.schema = &t->EntrySchema();
            f.def = t->Fresh(m_cfg, "");
            f.obj = m_restore ? f.def->Clone() : t->Current(m_cfg);
        }
        else
        {
            f.type = Frame::TABLE;
            if (m_restore)
            {
                m_restored[t];
                if (!m_restoreLine.count(t))
                {
                    m_restoreLine[t] = m_line;
                }
            }
        }
        m_stack.push_back(std::move(f));
    }

    void ConfigSub(const std::vector<CliWord>& w)
    {
        Frame& top = m_stack.back();
        if (top.type != Frame::OBJECT && top.type != Frame::SUBENTRY && top.type != Frame::GROUP)
        {
            ParseError(w[0].text);
        }
        if (w.size() < 2)
        {
            ParseError(w[0].text);
        }
        if (w.size() > 2)
        {
            ParseError(w[2].text);
        }
        std::vector<std::string> names;
        for (const auto& s : top.schema->Subs())
        {
            names.push_back(s.name);
        }
        const int m = MatchKeyword(w[1].text, names);
        if (m < 0)
        {
            ParseError(w[1].text);
        }
        const auto& sub = top.schema->Subs()[m];
        Frame f;
        f.table = top.table;
        f.line = m_line;
        f.name = sub.name;
        f.target = CurrentObject();
        if (sub.group)
        {
            f.type = Frame::GROUP;
            f.schema = sub.group;
            f.targetDef = CurrentDefaults();
            f.snapshot = f.target->Clone();
        }
        else
        {
            f.type = Frame::SUBTABLE;
            f.sub = sub.table;
        }
        m_stack.push_back(std::move(f));
    }

    Object* CurrentObject()
    {
        Frame& top = m_stack.back();
        return top.type == Frame::GROUP ? top.target : top.obj.get();
    }

    const Object* CurrentDefaults()
    {
        Frame& top = m_stack.back();
        return top.type == Frame::GROUP ? top.targetDef : top.def.get();
    }

    // ---- edit / delete / rename / purge / move ------------------------------------------

    /// Parse an entry key of a table of \p kind.
    static std::string Key(const CliWord& w, TableKind kind)
    {
        if (kind == TableKind::NUMBERED)
        {
            uint64_t id = 0;
            if (!ParseDecimal(w.text, 4294967294ull, id))
            {
                ValueParseError(w.text, "the id must be a number (0..4294967294)");
            }
            return std::to_string(id);
        }
        if (w.text.empty())
        {
            ValueParseError(w.text, "the name must not be empty");
        }
        return w.text;
    }

    void Edit(const std::vector<CliWord>& w)
    {
        if (w.size() < 2)
        {
            ParseError(w[0].text);
        }
        NoArgs(std::vector<CliWord>(w.begin() + 1, w.end()));
        Frame& top = m_stack.back();
        Frame f;
        f.table = top.table;
        f.line = m_line;
        f.isEntry = true;
        if (top.type == Frame::SUBTABLE)
        {
            std::string key = Key(w[1], TableKind::NUMBERED);
            if (key == "0")
            {
                key = top.sub->NextFreeKey(top.target->Ptr());
            }
            f.type = Frame::SUBENTRY;
            f.sub = top.sub;
            f.target = top.target;
            f.schema = &top.sub->EntrySchema();
            f.key = key;
            f.def = top.sub->Fresh(key);
            f.obj = top.sub->Get(top.target->Ptr(), key);
            f.isNew = !f.obj;
            if (!f.obj)
            {
                f.obj = f.def->Clone();
            }
        }
        else
        {
            const Table* t = top.table;
            std::string key = Key(w[1], t->Kind());
            if (t->Kind() == TableKind::NUMBERED && key == "0")
            {
                key = t->NextFreeKey(m_cfg);
            }
            f.type = Frame::OBJECT;
            f.schema = &t->EntrySchema();
            f.key = key;
            f.def = t->Fresh(m_cfg, key);
            f.obj = t->Get(m_cfg, key);
            f.isNew = !f.obj;
            if (!f.obj || m_restore)
            {
                f.obj = f.def->Clone();
            }
            if (m_restore)
            {
                m_restored[t].insert(key);
            }
        }
        m_stack.push_back(std::move(f));
    }

    void Delete(const std::vector<CliWord>& w)
    {
        if (w.size() < 2)
        {
            ParseError(w[0].text);
        }
        NoArgs(std::vector<CliWord>(w.begin() + 1, w.end()));
        Frame& top = m_stack.back();
        if (top.type == Frame::SUBTABLE)
        {
            const std::string key = Key(w[1], TableKind::NUMBERED);
            if (!top.sub->Get(top.target->Ptr(), key))
            {
                EntryNotFound(w[1].text);
            }
            top.sub->Erase(top.target->Ptr(), key);
            return;
        }
        const Table* t = top.table;
        const std::string key = Key(w[1], t->Kind());
        DeleteEntry(*t, key, w[1].text);
    }

    void DeleteEntry(const Table& t, const std::string& key, const std::string& token)
    {
        if (!t.Get(m_cfg, key))
        {
            EntryNotFound(token);
        }
        InUseCheck(t, key);
        try
        {
            t.Delete(m_cfg, key);
        }
        catch (const ConfigError& e)
        {
            ValueParseError(token, e.what());
        }
    }

    void InUseCheck(const Table& t, const std::string& key)
    {
        const auto users = t.Users(m_cfg, key);
        if (!users.empty())
        {
            std::string list;
            for (const auto& u : users)
            {
                list += (list.empty() ? "" : ", ") + u;
            }
            throw CmdError{FortiOsCli::RC_IN_USE,
                           "The entry is used by other " + std::to_string(users.size()) +
                               " entries",
                           "used by: " + list};
        }
    }

    void Rename(const std::vector<CliWord>& w)
    {
        Frame& top = m_stack.back();
        if (top.type != Frame::TABLE || !top.table->CanRename())
        {
            ParseError(w[0].text);
        }
        if (w.size() < 4 || MatchKeyword(w[2].text, {"to"}) != 0)
        {
            ParseError(w.size() < 3 ? w.back().text : w[2].text);
        }
        NoArgs(std::vector<CliWord>(w.begin() + 3, w.end()));
        const Table* t = top.table;
        const std::string from = Key(w[1], t->Kind());
        const std::string to = Key(w[3], t->Kind());
        if (!t->Get(m_cfg, from))
        {
            EntryNotFound(w[1].text);
        }
        if (from == to)
        {
            return;
        }
        if (t->Get(m_cfg, to) || to == "0")
        {
            throw CmdError{FortiOsCli::RC_DUPLICATE,
                           "A duplicate entry already exists.",
                           "value parse error before '" + w[3].text + "'"};
        }
        try
        {
            t->Rename(m_cfg, from, to);
        }
        catch (const ConfigError& e)
        {
            ValueParseError(w[3].text, e.what());
        }
        if (m_restore)
        {
            m_restored[t].erase(from);
            m_restored[t].insert(to);
        }
    }

    void Purge()
    {
        Frame& top = m_stack.back();
        if (top.type == Frame::SUBTABLE)
        {
            for (const auto& k : top.sub->Keys(top.target->Ptr()))
            {
                top.sub->Erase(top.target->Ptr(), k);
            }
            return;
        }
        const Table* t = top.table;
        auto keys = t->Keys(m_cfg);
        for (auto it = keys.rbegin(); it != keys.rend(); ++it)
        {
            InUseCheck(*t, *it);
            try
            {
                t->Delete(m_cfg, *it);
            }
            catch (const ConfigError& e)
            {
                // predefined entries (address "all", schedule "always", voip profile "default")
                // survive a purge
                if (std::string(e.what()).find("predefined") == std::string::npos)
                {
                    ValueParseError(*it, e.what());
                }
            }
        }
    }

    void Move(const std::vector<CliWord>& w)
    {
        Frame& top = m_stack.back();
        if (top.type != Frame::TABLE || !top.table->CanMove())
        {
            ParseError(w[0].text);
        }
        if (w.size() != 4)
        {
            ParseError(w.size() < 4 ? w.back().text : w[4].text);
        }
        const int where = MatchKeyword(w[2].text, {"before", "after"});
        if (where < 0)
        {
            ParseError(w[2].text);
        }
        const Table* t = top.table;
        const std::string key = Key(w[1], t->Kind());
        const std::string other = Key(w[3], t->Kind());
        if (!t->Get(m_cfg, key))
        {
            EntryNotFound(w[1].text);
        }
        if (!t->Get(m_cfg, other))
        {
            EntryNotFound(w[3].text);
        }
        try
        {
            t->Move(m_cfg, key, where == 0, other);
        }
        catch (const ConfigError& e)
        {
            ValueParseError(w[3].text, e.what());
        }
    }

    // ---- set / unset / append / select / unselect ---------------------------------------

    void SetLike(const std::vector<CliWord>& w, const std::string& cmd)
    {
        if (w.size() < 2)
        {
            ParseError(w[0].text);
        }
        Frame& top = m_stack.back();
        Object* obj = CurrentObject();
        const Object* def = CurrentDefaults();
        const Schema& s = *top.schema;
        std::vector<std::string> names;
        std::vector<size_t> index;
        for (size_t f = 0; f < s.Fields().size(); ++f)
        {
            if (s.Applies(obj->Ptr(), f))
            {
                names.push_back(s.Fields()[f].name);
                index.push_back(f);
            }
        }
        const int m = MatchKeyword(w[1].text, names);
        if (m < 0)
        {
            ParseError(w[1].text);
        }
        const size_t f = index[m];
        const FieldInfo& info = s.Fields()[f];
        std::vector<std::string> vals;
        for (size_t i = 2; i < w.size(); ++i)
        {
            vals.push_back(w[i].text);
        }
        if (cmd == "unset")
        {
            if (!vals.empty())
            {
                ParseError(w[2].text);
            }
            s.Reset(obj->Ptr(), f, def->Ptr());
            return;
        }
        if (vals.empty())
        {
            ParseError(w[1].text, info.name + ": a value is required");
        }
        if ((cmd == "append" || cmd == "unselect") && !info.multi)
        {
            ParseError(w[1].text, info.name + " holds a single value");
        }
        std::vector<std::string> all = vals;
        size_t offset = 0; // index of vals[0] in `all`
        if (cmd == "append")
        {
            all = s.Get(obj->Ptr(), f);
            offset = all.size();
            for (const auto& v : vals)
            {
                all.push_back(v);
            }
        }
        else if (cmd == "unselect")
        {
            all = s.Get(obj->Ptr(), f);
            for (size_t i = 0; i < vals.size(); ++i)
            {
                auto it = std::find(all.begin(), all.end(), vals[i]);
                if (it == all.end())
                {
                    ValueParseError(vals[i], info.name + ": '" + vals[i] + "' is not selected");
                }
                all.erase(it);
            }
        }
        if (info.maxValues > 0 && all.size() > info.maxValues)
        {
            const size_t bad = info.maxValues >= offset ? info.maxValues - offset : 0;
            ValueParseError(bad < vals.size() ? vals[bad] : vals.back(),
                            info.name + ": at most " + std::to_string(info.maxValues) + " value" +
                                (info.maxValues > 1 ? "s" : ""));
        }
        auto tokenAt = [&](size_t i) {
            if (cmd == "unselect")
            {
                return vals.front();
            }
            if (i >= offset && i - offset < vals.size())
            {
                return vals[i - offset];
            }
            return i < all.size() ? all[i] : w[1].text;
        };
        try
        {
            s.Set(obj->Ptr(), f, all, m_cfg);
        }
        catch (const ValueError& e)
        {
            if (e.notFound)
            {
                EntryNotFound(tokenAt(e.index), e.detail);
            }
            ValueParseError(tokenAt(e.index), e.detail, e.code);
        }
        catch (const ConfigError& e)
        {
            ValueParseError(tokenAt(0), e.what());
        }
    }

    // ---- next / end / abort -----------------------------------------------------------

    /// Save the entry or settings object of the top frame.
    void Commit(Frame& f)
    {
        if (f.type == Frame::OBJECT)
        {
            try
            {
                if (f.isEntry)
                {
                    f.table->Save(m_cfg, *f.obj, f.isNew);
                }
                else
                {
                    f.table->Store(m_cfg, *f.obj);
                }
            }
            catch (const ConfigError& e)
            {
                CommitError(f.isEntry ? f.key : f.table->Path(), e);
            }
        }
        else if (f.type == Frame::SUBENTRY)
        {
            std::unique_ptr<Object> before = f.target->Clone();
            f.sub->Put(f.target->Ptr(), *f.obj);
            // Check the parent with the new entry now, for a useful line number.
            const Frame* owner = nullptr;
            for (const auto& g : m_stack)
            {
                if (g.type == Frame::OBJECT && g.obj.get() == f.target)
                {
                    owner = &g;
                }
            }
            if (owner && !owner->isEntry)
            {
                FortiGateConfig trial = m_cfg;
                try
                {
                    owner->table->Store(trial, *f.target);
                }
                catch (const ConfigError& e)
                {
                    f.target->Assign(*before);
                    CommitError(f.key, e);
                }
            }
        }
    }

    void Next()
    {
        if (m_stack.empty())
        {
            ParseError("next");
        }
        Frame& top = m_stack.back();
        if (!((top.type == Frame::OBJECT && top.isEntry) || top.type == Frame::SUBENTRY))
        {
            ParseError("next");
        }
        Commit(top);
        m_stack.pop_back();
    }

    void End()
    {
        if (m_stack.empty())
        {
            return; // a stray `end` at the top level (as in the seed pages) does nothing
        }
        Frame& top = m_stack.back();
        switch (top.type)
        {
        case Frame::TABLE:
        case Frame::SUBTABLE:
        case Frame::GROUP:
            m_stack.pop_back();
            break;
        case Frame::OBJECT:
            Commit(top);
            m_stack.pop_back();
            if (!m_stack.empty() && m_stack.back().type == Frame::TABLE)
            {
                m_stack.pop_back(); // `end` inside an entry also leaves the table
            }
            break;
        case Frame::SUBENTRY:
            Commit(top);
            m_stack.pop_back();
            m_stack.pop_back();
            break;
        }
    }

    void Abort()
    {
        if (m_stack.empty())
        {
            return;
        }
        Frame& top = m_stack.back();
        switch (top.type)
        {
        case Frame::GROUP:
            top.target->Assign(*top.snapshot);
            m_stack.pop_back();
            break;
        case Frame::OBJECT:
        case Frame::SUBENTRY: {
            const bool leaveTable = top.isEntry;
            m_stack.pop_back();
            if (leaveTable && !m_stack.empty() &&
                (m_stack.back().type == Frame::TABLE || m_stack.back().type == Frame::SUBTABLE))
            {
                m_stack.pop_back();
            }
            break;
        }
        case Frame::TABLE:
        case Frame::SUBTABLE:
            m_stack.pop_back();
            break;
        }
    }

    // ---- show / get / handler -----------------------------------------------------------

    void Show(const std::vector<CliWord>& w, bool get)
    {
        size_t i = 1;
        bool full = false;
        if (!get && i < w.size() && MatchKeyword(w[i].text, {"full-configuration"}) == 0)
        {
            full = true;
            ++i;
        }
        if (!m_stack.empty())
        {
            ShowHere(w, i, full, get);
            return;
        }
        if (i >= w.size())
        {
            if (get)
            {
                Forward(w, "get");
                return;
            }
            output += PrintWhole(m_cfg, full);
            return;
        }
        size_t next = 0;
        size_t bad = 0;
        const Table* t = ResolvePath(w, i, next, &bad);
        if (!t)
        {
            if (get)
            {
                Forward(w, "get");
                return;
            }
            ParseError(bad < w.size() ? w[bad].text : w.back().text);
        }
        if (next + 1 < w.size())
        {
            ParseError(w[next + 1].text);
        }
        if (next < w.size() && t->Kind() == TableKind::SINGLETON)
        {
            ParseError(w[next].text);
        }
        if (next < w.size())
        {
            const std::string key = Key(w[next], t->Kind());
            auto e = t->Get(m_cfg, key);
            if (!e)
            {
                EntryNotFound(w[next].text);
            }
            if (get)
            {
                GetObject(output, t->EntrySchema(), e->Ptr(), 0);
            }
            else
            {
                output += "config " + t->Path() + "\n";
                PrintEntry(output, *t, key, *e, *t->Fresh(m_cfg, key), 4, full);
                output += "end\n";
            }
            return;
        }
        if (get)
        {
            GetTable(*t);
        }
        else
        {
            output += PrintTable(m_cfg, *t, full);
        }
    }

    void GetTable(const Table& t)
    {
        if (t.Kind() == TableKind::SINGLETON)
        {
            GetObject(output, t.EntrySchema(), t.Current(m_cfg)->Ptr(), 0);
            return;
        }
        for (const auto& k : t.Keys(m_cfg))
        {
            output += "== [ " + k + " ]\n";
        }
    }

    /// show/get inside a config level: the level being edited, with unsaved changes.
    void ShowHere(const std::vector<CliWord>& w, size_t i, bool full, bool get)
    {
        Frame& top = m_stack.back();
        if (top.type == Frame::TABLE && i < w.size())
        {
            NoArgs(std::vector<CliWord>(w.begin() + i, w.end()));
            const std::string key = Key(w[i], top.table->Kind());
            auto e = top.table->Get(m_cfg, key);
            if (!e)
            {
                EntryNotFound(w[i].text);
            }
            if (get)
            {
                GetObject(output, top.table->EntrySchema(), e->Ptr(), 0);
                return;
            }
            output += "config " + top.table->Path() + "\n";
            PrintEntry(output, *top.table, key, *e, *top.table->Fresh(m_cfg, key), 4, full);
            output += "end\n";
            return;
        }
        if (i < w.size())
        {
            ParseError(w[i].text);
        }
        switch (top.type)
        {
        case Frame::TABLE:
            if (get)
            {
                GetTable(*top.table);
            }
            else
            {
                output += PrintTable(m_cfg, *top.table, full);
            }
            break;
        case Frame::OBJECT:
            if (get)
            {
                GetObject(output, *top.schema, top.obj->Ptr(), 0);
            }
            else if (top.isEntry)
            {
                output += "config " + top.table->Path() + "\n";
                PrintEntry(output, *top.table, top.key, *top.obj, *top.def, 4, full);
                output += "end\n";
            }
            else
            {
                output += "config " + top.table->Path() + "\n";
                PrintObject(output, *top.schema, top.obj->Ptr(), top.def->Ptr(), 4, full);
                output += "end\n";
            }
            break;
        case Frame::GROUP:
            if (get)
            {
                GetObject(output, *top.schema, top.target->Ptr(), 0);
            }
            else
            {
                output += "config " + top.name + "\n";
                PrintObject(output, *top.schema, top.target->Ptr(), top.targetDef->Ptr(), 4, full);
                output += "end\n";
            }
            break;
        case Frame::SUBTABLE:
            for (const auto& k : top.sub->Keys(top.target->Ptr()))
            {
                if (get)
                {
                    output += "== [ " + k + " ]\n";
                    continue;
                }
                output += "edit " + k + "\n";
                PrintObject(output,
                            top.sub->EntrySchema(),
                            top.sub->Get(top.target->Ptr(), k)->Ptr(),
                            top.sub->Fresh(k)->Ptr(),
                            4,
                            full);
                output += "next\n";
            }
            break;
        case Frame::SUBENTRY:
            if (get)
            {
                GetObject(output, *top.schema, top.obj->Ptr(), 0);
            }
            else
            {
                output += "edit " + top.key + "\n";
                PrintObject(output, *top.schema, top.obj->Ptr(), top.def->Ptr(), 4, full);
                output += "next\n";
            }
            break;
        }
    }

    void Forward(const std::vector<CliWord>& w, const std::string& cmd)
    {
        std::string line = cmd;
        for (size_t i = 1; i < w.size(); ++i)
        {
            line += " " + ShowValue(w[i].text, false);
        }
        if (!m_handler)
        {
            ParseError(w[0].text, "'" + cmd + "' needs a running FortiGate (no command handler)");
        }
        try
        {
            output += m_handler(line);
        }
        catch (const std::exception& e)
        {
            // A handler may fail with FortiOS text of its own ("...\nCommand fail. Return
            // code -61"): keep its lines and its code.
            std::string msg = e.what();
            while (!msg.empty() && msg.back() == '\n')
            {
                msg.pop_back();
            }
            int code = FortiOsCli::RC_COMMAND_FAIL;
            const std::string tag = "Command fail. Return code ";
            const auto at = msg.rfind(tag);
            if (at != std::string::npos && (at == 0 || msg[at - 1] == '\n'))
            {
                try
                {
                    code = std::stoi(msg.substr(at + tag.size()));
                }
                catch (const std::exception&)
                {
                }
                msg.erase(at == 0 ? 0 : at - 1);
            }
            const auto nl = msg.find('\n');
            throw CmdError{code,
                           nl == std::string::npos ? msg : msg.substr(0, nl),
                           nl == std::string::npos ? "" : msg.substr(nl + 1)};
        }
    }

    // ---- restore ---------------------------------------------------------------------

    void FinishRestore()
    {
        const auto& tables = AllTables();
        for (auto it = tables.rbegin(); it != tables.rend(); ++it)
        {
            const Table* t = *it;
            auto r = m_restored.find(t);
            if (r == m_restored.end())
            {
                continue;
            }
            m_line = m_restoreLine[t];
            for (const auto& k : t->Keys(m_cfg))
            {
                if (r->second.count(k))
                {
                    continue;
                }
                InUseCheck(*t, k);
                try
                {
                    t->Delete(m_cfg, k);
                }
                catch (const ConfigError& e)
                {
                    if (std::string(e.what()).find("predefined") == std::string::npos)
                    {
                        ValueParseError(k, e.what());
                    }
                }
            }
        }
    }

    FortiGateConfig& m_cfg;
    const FortiOsCli::CommandHandler& m_handler;
    bool m_restore;
    std::vector<Frame> m_stack;
    std::map<const Table*, std::set<std::string>> m_restored; //!< restore: keys edited
    std::map<const Table*, int> m_restoreLine;                //!< restore: first config line
};

std::string
FormatError(int line, const CmdError& e)
{
    std::string s = "line " + std::to_string(line) + ": " + e.primary + "\n";
    if (!e.detail.empty())
    {
        s += e.detail + "\n";
    }
    return s + "Command fail. Return code " + std::to_string(e.code);
}

} // namespace

// ---- FortiOsCli -------------------------------------------------------------------------------

FortiOsCli::FortiOsCli(CommandHandler handler)
    : m_handler(std::move(handler))
{
}

void
FortiOsCli::SetCommandHandler(CommandHandler handler)
{
    NS_LOG_FUNCTION(this);
    m_handler = std::move(handler);
}

FortiOsCli::Result
FortiOsCli::Execute(FortiGateConfig& config, const std::string& text) const
{
    return Run(config, text, false);
}

FortiOsCli::Result
FortiOsCli::Load(FortiGateConfig& config, const std::string& text) const
{
    return Run(config, text, true);
}

FortiOsCli::Result
FortiOsCli::Run(FortiGateConfig& config, const std::string& text, bool restore) const
{
    Result r;
    std::vector<CliLine> lines;
    try
    {
        lines = TokenizeFortiOs(text);
    }
    catch (const CliSyntaxError& e)
    {
        r.ok = false;
        r.errorLine = e.Line();
        r.returnCode = RC_PARSE;
        r.error = FormatError(e.Line(),
                              CmdError{RC_PARSE,
                                       "command parse error before '" + e.Token() + "'",
                                       "unterminated quoted string"});
        return r;
    }
    FortiGateConfig work;
    if (restore)
    {
        work.SetSimEpoch(config.SimEpoch());
    }
    else
    {
        work = config;
    }
    Engine engine(work, m_handler, restore);
    try
    {
        engine.Run(lines);
        try
        {
            work.Validate();
        }
        catch (const ConfigError& e)
        {
            engine.m_line = lines.empty() ? 0 : lines.back().line;
            throw CmdError{RC_VALUE, e.what(), ""};
        }
    }
    catch (const CmdError& e)
    {
        r.ok = false;
        r.output = engine.output;
        r.errorLine = engine.m_line;
        r.returnCode = e.code;
        r.error = FormatError(engine.m_line, e);
        return r;
    }
    r.output = engine.output;
    config = work;
    return r;
}

std::string
FortiOsCli::Show(const FortiGateConfig& config, bool full)
{
    return PrintWhole(config, full);
}

std::string
FortiOsCli::ShowPath(const FortiGateConfig& config,
                     const std::string& path,
                     const std::string& key,
                     bool full)
{
    std::vector<CliWord> words;
    for (const auto& p : SplitWords(path))
    {
        words.push_back(CliWord{p, false});
    }
    size_t next = 0;
    size_t bad = 0;
    const Table* t = ResolvePath(words, 0, next, &bad);
    if (!t || next != words.size())
    {
        throw ConfigError("show: unknown path '" + path + "'");
    }
    if (key.empty())
    {
        return PrintTable(config, *t, full);
    }
    auto e = t->Kind() == TableKind::SINGLETON ? nullptr : t->Get(config, key);
    if (!e)
    {
        throw ConfigError("show " + t->Path() + ": entry '" + key + "' does not exist");
    }
    std::string out = "config " + t->Path() + "\n";
    PrintEntry(out, *t, key, *e, *t->Fresh(config, key), 4, full);
    return out + "end\n";
}

std::vector<std::string>
FortiOsCli::TablePaths()
{
    std::vector<std::string> out;
    for (const Table* t : AllTables())
    {
        out.push_back(t->Path());
    }
    return out;
}

} // namespace ns3
