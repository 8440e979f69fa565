/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "cli-grep.h"

#include "ns3/log.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <cstdint>
#include <regex>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CliGrep");

std::string
CliGrep(const std::string& text, const std::vector<std::string>& args, std::string& error)
{
    auto fail = [&error](const std::string& w) {
        error = "command parse error before '" + w + "'\nCommand fail. Return code -61\n";
        return std::string();
    };
    bool icase = false;
    bool invert = false;
    bool numbers = false;
    bool count = false;
    uint64_t after = 0;
    uint64_t before = 0;
    std::string pattern;
    bool havePattern = false;
    for (size_t i = 0; i < args.size(); ++i)
    {
        const std::string& a = args[i];
        if (!havePattern && a.size() > 1 && a[0] == '-')
        {
            for (size_t k = 1; k < a.size(); ++k)
            {
                const char c = a[k];
                if (c == 'i' || c == 'v' || c == 'n' || c == 'c')
                {
                    (c == 'i' ? icase : c == 'v' ? invert : c == 'n' ? numbers : count) = true;
                    continue;
                }
                if (c == 'A' || c == 'B' || c == 'C')
                {
                    std::string num = a.substr(k + 1);
                    if (num.empty())
                    {
                        if (++i >= args.size())
                        {
                            return fail(a);
                        }
                        num = args[i];
                    }
                    uint64_t n = 0;
                    if (!ParseDecimal(num, 1000000, n))
                    {
                        return fail(num);
                    }
                    if (c != 'B')
                    {
                        after = n;
                    }
                    if (c != 'A')
                    {
                        before = n;
                    }
                    break;
                }
                return fail(a);
            }
            continue;
        }
        if (havePattern)
        {
            return fail(a);
        }
        pattern = a;
        havePattern = true;
    }
    if (!havePattern)
    {
        error = "Command fail. Return code -1\n";
        return std::string();
    }
    std::regex re;
    try
    {
        re = std::regex(pattern, icase ? std::regex::basic | std::regex::icase : std::regex::basic);
    }
    catch (const std::regex_error&)
    {
        return fail(pattern);
    }

    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
    {
        lines.push_back(l);
    }
    std::vector<bool> hit(lines.size());
    size_t hits = 0;
    for (size_t i = 0; i < lines.size(); ++i)
    {
        hit[i] = std::regex_search(lines[i], re) != invert;
        hits += hit[i] ? 1 : 0;
    }
    if (count)
    {
        return std::to_string(hits) + "\n";
    }
    std::string out;
    size_t lastPrinted = SIZE_MAX;
    for (size_t i = 0; i < lines.size(); ++i)
    {
        if (!hit[i])
        {
            continue;
        }
        const size_t from = i >= before ? i - before : 0;
        const size_t to = std::min(lines.size() - 1, i + static_cast<size_t>(after));
        size_t start = from;
        if (lastPrinted != SIZE_MAX && start <= lastPrinted)
        {
            start = lastPrinted + 1;
        }
        else if (lastPrinted != SIZE_MAX && (before || after))
        {
            out += "--\n";
        }
        for (size_t k = start; k <= to; ++k)
        {
            out += (numbers ? std::to_string(k + 1) + ":" : std::string()) + lines[k] + "\n";
            lastPrinted = k;
        }
    }
    return out;
}

} // namespace ns3
