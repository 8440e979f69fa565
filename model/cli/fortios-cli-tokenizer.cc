/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The FortiOS CLI tokenizer: lines of words (quoting, escapes, comments) and quoting for `show`.

#include "fortios-cli.h"

namespace ns3
{

// ---- tokenizer ----------------------------------------------------------------------------------

std::vector<CliLine>
TokenizeFortiOs(const std::string& text)
{
    std::vector<CliLine> out;
    CliLine cur;
    CliWord word;
    bool inWord = false;
    int line = 1;
    size_t i = 0;
    const size_t n = text.size();

    auto endWord = [&]() {
        if (inWord)
        {
            cur.words.push_back(word);
            word = CliWord();
            inWord = false;
        }
    };
    auto endLine = [&]() {
        endWord();
        if (!cur.words.empty())
        {
            out.push_back(cur);
        }
        cur = CliLine();
    };
    auto startWord = [&]() {
        if (!inWord)
        {
            inWord = true;
            if (cur.words.empty())
            {
                cur.line = line;
            }
        }
    };

    while (i < n)
    {
        const char c = text[i];
        if (c == '\n')
        {
            endLine();
            ++line;
            ++i;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r')
        {
            endWord();
            ++i;
            continue;
        }
        if (c == '#' && !inWord)
        {
            while (i < n && text[i] != '\n')
            {
                ++i;
            }
            continue;
        }
        if (c == '\\')
        {
            if (i + 1 < n && text[i + 1] == '\n')
            {
                // line continuation: the command goes on
                endWord();
                ++line;
                i += 2;
                continue;
            }
            if (i + 2 < n && text[i + 1] == '\r' && text[i + 2] == '\n')
            {
                endWord();
                ++line;
                i += 3;
                continue;
            }
            startWord();
            if (i + 1 < n)
            {
                word.text += text[i + 1];
                i += 2;
            }
            else
            {
                word.text += c;
                ++i;
            }
            continue;
        }
        if (c == '"' || c == '\'')
        {
            startWord();
            word.quoted = true;
            const int startLine = line;
            const size_t start = i;
            ++i;
            bool closed = false;
            while (i < n)
            {
                const char q = text[i];
                if (q == c)
                {
                    closed = true;
                    ++i;
                    break;
                }
                if (q == '\\' && i + 1 < n &&
                    (text[i + 1] == '"' || text[i + 1] == '\'' || text[i + 1] == '\\'))
                {
                    word.text += text[i + 1];
                    i += 2;
                    continue;
                }
                if (q == '\n')
                {
                    ++line;
                }
                word.text += q;
                ++i;
            }
            if (!closed)
            {
                const size_t eol = text.find('\n', start);
                throw CliSyntaxError(
                    startLine,
                    text.substr(start, eol == std::string::npos ? eol : eol - start));
            }
            continue;
        }
        startWord();
        word.text += c;
        ++i;
    }
    endLine();
    return out;
}

std::string
QuoteFortiOs(const std::string& value)
{
    std::string out = "\"";
    for (char c : value)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
        }
        out += c;
    }
    out += '"';
    return out;
}

} // namespace ns3
