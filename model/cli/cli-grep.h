/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_CLI_GREP_H
#define FORTIGATE_CLI_GREP_H

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * FortiOS's `| grep` after a `diagnose`, `get`, `show` or `execute` command (the seeds:
 * `diagnose sys session list | grep sip`; FortiOS 7 `grep [-invcABC] PATTERN`, e.g.
 * docs.fortinet.com "Technical Tip: Using the grep command" / `show | grep -f`).
 *
 * Options: `-i` ignore case, `-v` lines that do not match, `-n` prefix line numbers (`N:`),
 * `-c` print the count of matching lines only, `-A N` / `-B N` / `-C N` lines of context after
 * / before / around each match (groups separated by `--`, as GNU grep). The pattern is a POSIX
 * basic regular expression. `-f` (whole configuration blocks) is not modelled.
 *
 * \param text the command's output (lines end in '\n')
 * \param args the words after `grep`
 * \param[out] error set to FortiOS's error text when the arguments are bad (then "" returned)
 * \return the selected lines
 */
std::string CliGrep(const std::string& text,
                    const std::vector<std::string>& args,
                    std::string& error);

} // namespace ns3

#endif // FORTIGATE_CLI_GREP_H
