/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TOOL_OPTIONS_H
#define FORTIGATE_TOOL_OPTIONS_H

// The offline utilities (fgsim-cli, fgsim-replay) parse their options with ns3::CommandLine.
// CommandLine reads `--name=value` only, knows no one-letter aliases, takes "-" for an option
// and ends the program with status 1 on an unknown one; the utilities document `--name VALUE`,
// `-c`/`-w`/`-q`, "-" for standard input and status 2 for a usage error. PrepareToolArguments
// bridges the two: it rewrites the documented forms into CommandLine's and reports an unknown
// option to the caller, and nothing else (values are parsed by CommandLine).

#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/// \ingroup fortigate
/// One option of a utility, as its usage text documents it.
struct ToolOption
{
    /// An option: a flag unless \p valueNeeds says what its value is.
    ToolOption(std::string longName, char shortAlias = 0, std::string valueNeeds = "")
        : name(std::move(longName)),
          alias(shortAlias),
          value(std::move(valueNeeds))
    {
    }

    std::string name;  //!< long name without "--", as given to CommandLine::AddValue
    char alias;        //!< one-letter alias (-c), 0 for none
    std::string value; //!< what `--name VALUE` needs ("a file"); "" for a flag (`--name`)
};

/// \ingroup fortigate
/// Standard input as a file name ("-" on the command line).
constexpr const char* TOOL_STDIN = "/dev/stdin";

/**
 * \ingroup fortigate
 * Rewrite \p args (without the program name) for CommandLine::Parse: `--name VALUE` and
 * `-a VALUE` become `--name=VALUE`, a flag `--name` or `-a` becomes `--name=true` (given twice,
 * it stays set; CommandLine would toggle it back), `-h` becomes `--help`, "-" becomes
 * TOOL_STDIN; other words are left as they are (non-option arguments).
 * \param program the program name (the first element of \p out)
 * \param args the arguments
 * \param options the options the utility documents
 * \param out the arguments for CommandLine::Parse (program name first)
 * \return "" or the error: "unknown option X" or "--name needs <ToolOption::value>"
 */
inline std::string
PrepareToolArguments(const std::string& program,
                     const std::vector<std::string>& args,
                     const std::vector<ToolOption>& options,
                     std::vector<std::string>& out)
{
    out.assign(1, program);
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        const std::string& a = args[i];
        if (a == "-")
        {
            out.emplace_back(TOOL_STDIN);
            continue;
        }
        if (a.size() < 2 || a[0] != '-')
        {
            out.push_back(a);
            continue;
        }
        if (a == "-h" || a == "--help")
        {
            out.emplace_back("--help");
            continue;
        }
        const bool isLong = a[1] == '-';
        const std::string::size_type eq = a.find('=');
        const std::string name = isLong ? a.substr(2, eq == std::string::npos ? eq : eq - 2) : "";
        const ToolOption* match = nullptr;
        for (const auto& o : options)
        {
            if (isLong ? o.name == name : (a.size() == 2 && o.alias == a[1]))
            {
                match = &o;
            }
        }
        if (!match)
        {
            return "unknown option " + a;
        }
        if (isLong && eq != std::string::npos)
        {
            out.push_back(a); // already --name=value
        }
        else if (!match->value.empty())
        {
            if (i + 1 >= args.size())
            {
                return "--" + match->name + " needs " + match->value;
            }
            out.push_back("--" + match->name + "=" + args[++i]);
        }
        else
        {
            // "=true", not a bare flag: CommandLine toggles a bool given without a value.
            out.push_back("--" + match->name + "=true");
        }
    }
    return "";
}

} // namespace ns3

#endif // FORTIGATE_TOOL_OPTIONS_H
