/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ASCII text helpers shared by the protocol parsers and the configuration: protocol tokens
 * (SIP and RTSP header names, TFTP modes, FortiOS keywords) compare without regard to ASCII
 * case, whatever the C++ locale; numbers are plain decimal digits. Pure functions, no ns-3
 * types.
 */
#ifndef FORTIGATE_TEXT_UTIL_H
#define FORTIGATE_TEXT_UTIL_H

#include <charconv>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace ns3
{

/// \return \p c in lower case when it is an ASCII capital letter, else \p c
constexpr char
AsciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// \return true when \p a equals \p b ignoring ASCII case
inline bool
AsciiIEquals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
    {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        if (AsciiLower(a[i]) != AsciiLower(b[i]))
        {
            return false;
        }
    }
    return true;
}

/// \return \p s with its ASCII capital letters in lower case
inline std::string
AsciiLowerCopy(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
    {
        c = AsciiLower(c);
    }
    return out;
}

/**
 * Parse an unsigned decimal number: digits only (no sign, no blanks), its value at most \p max.
 * \return false (and \p out unchanged) otherwise
 */
inline bool
ParseDecimal(std::string_view s, uint64_t max, uint64_t& out)
{
    uint64_t v = 0;
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, v);
    if (s.empty() || ec != std::errc() || ptr != end || v > max)
    {
        return false;
    }
    out = v;
    return true;
}

/// printf into a std::string (any length).
inline std::string StrFormat(const char* format, ...) __attribute__((format(printf, 1, 2)));

inline std::string
StrFormat(const char* format, ...)
{
    char buf[512];
    va_list args;
    va_start(args, format);
    int n = std::vsnprintf(buf, sizeof(buf), format, args);
    va_end(args);
    if (n < 0)
    {
        return std::string();
    }
    if (static_cast<size_t>(n) < sizeof(buf))
    {
        return std::string(buf, static_cast<size_t>(n));
    }
    std::string out(static_cast<size_t>(n) + 1, '\0');
    va_start(args, format);
    std::vsnprintf(&out[0], out.size(), format, args);
    va_end(args);
    out.resize(static_cast<size_t>(n));
    return out;
}

} // namespace ns3

#endif // FORTIGATE_TEXT_UTIL_H
