/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FORTIOS_CLI_H
#define FORTIGATE_FORTIOS_CLI_H

#include "ns3/fortigate-config.h"

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * One word of a FortiOS command line, after quote and escape processing.
 */
struct CliWord
{
    std::string text;   //!< the word without its quotes and escapes
    bool quoted{false}; //!< true when any part of it was quoted (so `""` is an empty word)

    bool operator==(const CliWord& o) const
    {
        return text == o.text && quoted == o.quoted;
    }
};

/**
 * \ingroup fortigate
 * One command (a line, or several lines joined by a trailing backslash or a quoted newline).
 */
struct CliLine
{
    int line{0};                //!< 1-based line number where the command starts
    std::vector<CliWord> words; //!< the words (never empty)
};

/**
 * \ingroup fortigate
 * Thrown by TokenizeFortiOs() for text that cannot be split into words (an unterminated
 * quote).
 */
class CliSyntaxError : public std::runtime_error
{
  public:
    /**
     * \param line 1-based line number
     * \param token the text from the offending quote to the end of its line
     */
    CliSyntaxError(int line, const std::string& token)
        : std::runtime_error("unterminated quoted string"),
          m_line(line),
          m_token(token)
    {
    }

    /// \return the 1-based line number where the problem starts
    int Line() const
    {
        return m_line;
    }

    /// \return the offending text (from the opening quote to the end of that line)
    const std::string& Token() const
    {
        return m_token;
    }

  private:
    int m_line;
    std::string m_token;
};

/**
 * Split FortiOS CLI text into commands and words, as the FortiOS console does:
 * - words are separated by blanks; a command ends at the end of a line;
 * - `"..."` and `'...'` quote (a quoted newline is part of the word); inside them `\"`, `\'`
 *   and `\\` stand for the character itself (any other backslash is kept as is);
 * - outside quotes a backslash makes the next character literal (`my\ name`), and a backslash
 *   at the end of a line continues the command on the next line;
 * - `#` at the start of a word (outside quotes) starts a comment up to the end of the line;
 * - empty lines and comment lines produce no command.
 * \throws CliSyntaxError for an unterminated quote
 */
std::vector<CliLine> TokenizeFortiOs(const std::string& text);

/**
 * Quote a value the way `show` prints strings: `"` + value + `"` with `"` and `\` escaped by a
 * backslash. TokenizeFortiOs() reads it back as the same word.
 */
std::string QuoteFortiOs(const std::string& value);

/**
 * \ingroup fortigate
 * The FortiOS CLI: runs `config ... end` batches on a FortiGateConfig and prints it back.
 *
 * Language (FortiOS 7.x as documented in fortios.md and the seed handbook pages):
 * - `config <path>` enters a table or a settings object; `edit <id|name>` enters (or creates) an
 *   entry, `edit 0` in a numbered table takes the next free id (highest + 1); `set <field>
 *   <value...>`, `unset <field>` (back to the default), `append`, `select` (= set) and
 *   `unselect` on multi-value fields; `delete <id|name>`, `rename <old> to <new>` (references
 *   follow), `purge`, `move <id> before|after <id>` (firewall policy); `next` saves the entry;
 *   `end` saves and leaves the level (`end` inside an entry saves it and leaves the table);
 *   `abort` leaves the level discarding the unsaved entry/settings; nested `config sip` (voip
 *   profile) and `config port` (system session-ttl).
 * - `show [full-configuration] [<path> [<id|name>]]` prints canonical text (only values that
 *   differ from the default, or every value with full-configuration); inside a table or an
 *   entry `show` prints that table or entry. `get <path> [<id|name>]` prints `field : value`
 *   lines. Other `get`, `diagnose` and `execute` commands go to the command handler.
 * - Keywords (commands, paths, field names, option values) may be abbreviated to any unique
 *   prefix (`config sys session-helper`); matching is case-sensitive, as are object names.
 *
 * Tables: system global, system settings, system interface, system session-ttl (+ config port),
 * system session-helper, router static, firewall address, firewall addrgrp, firewall service
 * custom, firewall service group, firewall schedule recurring, firewall schedule onetime,
 * firewall ippool, firewall vip, firewall policy, voip profile (+ config sip).
 *
 * Errors: the first bad command stops the batch; Result::error holds `line N: <FortiOS
 * message>` lines ending with `Command fail. Return code -N`, and the configuration passed to
 * Execute() is left unchanged (the batch runs on a copy that replaces it only when every line
 * and FortiGateConfig::Validate() succeed).
 *
 * The class holds no ns-3 types: commands that are not about the configuration (`diagnose ...`,
 * `execute ...`, `get system session list`, ...) are passed to a CommandHandler, which the
 * FortiGate node supplies.
 */
class FortiOsCli
{
  public:
    /// Return codes (FortiOS's numbers where FortiOS has one for the case).
    enum ReturnCode
    {
        RC_OK = 0,            //!< success
        RC_COMMAND_FAIL = -1, //!< a handler (diagnose/execute) command failed
        RC_NOT_FOUND = -3,    //!< entry not found (delete/rename/move/reference)
        RC_DUPLICATE = -5,    //!< rename target already exists
        RC_IN_USE = -23,      //!< delete/rename of an entry other objects still use
        RC_MUST_SET = -56,    //!< a mandatory attribute is not set when the entry is saved
        RC_PARSE = -61,       //!< command parse error (unknown command/path/field, missing end)
        RC_VALUE = -651,      //!< value parse error (bad value, out of range, rejected entry)
    };

    /// Outcome of Execute() / Load().
    struct Result
    {
        bool ok{true};      //!< true when every command succeeded and the config was applied
        std::string output; //!< what show/get/handler commands printed (also on error, up to
                            //!< the failing line)
        std::string error;  //!< empty when ok, else `line N: ...\nCommand fail. Return code -N`
        int errorLine{0};   //!< 1-based line of the failing command (0 when ok)
        int returnCode{0};  //!< ReturnCode of the failure (0 when ok)
    };

    /**
     * Runs one non-configuration command (`diagnose ...`, `execute ...`, or a `get` that is not
     * a configuration path) and returns its output. The line is the command's words joined by
     * single spaces (words with blanks or quotes are quoted). Throwing std::exception fails
     * the command: the message becomes the error text.
     */
    using CommandHandler = std::function<std::string(const std::string& line)>;

    /// A CLI without a command handler (diagnose/execute commands then fail).
    FortiOsCli() = default;

    /// \param handler the handler for non-configuration commands
    explicit FortiOsCli(CommandHandler handler);

    /// Set (or clear, with an empty function) the handler for non-configuration commands.
    void SetCommandHandler(CommandHandler handler);

    /**
     * Run a batch of commands on a copy of \p config; replace \p config with the copy only when
     * every command succeeds, every `config` block is closed with `end`, and the result passes
     * FortiGateConfig::Validate(). Handler commands run when they are reached.
     */
    Result Execute(FortiGateConfig& config, const std::string& text) const;

    /**
     * Restore a configuration from text, as FortiOS restores a backup: start from the factory
     * configuration (keeping \p config's SimEpoch()), run the batch, and make every table the
     * text configures hold exactly the entries the text edits (the others are deleted; an entry
     * the text edits starts from its defaults). On success \p config is replaced; on error it
     * is unchanged. Load(c, Show(x)) gives c == x.
     */
    Result Load(FortiGateConfig& config, const std::string& text) const;

    /**
     * The canonical text of a whole configuration (what `show` prints at the root): every
     * table in dependency order, values that differ from their defaults only (all values with
     * \p full). A settings object is printed when it has a non-default value, a table when it
     * has entries or its factory default has entries.
     */
    static std::string Show(const FortiGateConfig& config, bool full = false);

    /**
     * The canonical text of one table or entry, e.g. ShowPath(c, "firewall policy", "1").
     * \param path a full table path (abbreviations allowed)
     * \param key entry id or name; empty for the whole table
     * \param full print every value (show full-configuration)
     * \throws ConfigError for an unknown path or entry
     */
    static std::string ShowPath(const FortiGateConfig& config,
                                const std::string& path,
                                const std::string& key = "",
                                bool full = false);

    /// \return every table path the CLI knows, in `show` order.
    static std::vector<std::string> TablePaths();

  private:
    Result Run(FortiGateConfig& config, const std::string& text, bool restore) const;

    CommandHandler m_handler; //!< handler for non-configuration commands (may be empty)
};

} // namespace ns3

#endif // FORTIGATE_FORTIOS_CLI_H
