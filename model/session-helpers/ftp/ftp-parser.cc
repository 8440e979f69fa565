/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ftp-parser.h"

#include "ns3/text-util.h"

#include <cstring>

namespace ns3
{

namespace
{

bool
IsDigit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/// A bounded view of one line's content (terminator excluded).
struct Line
{
    const uint8_t* data; //!< whole buffer
    std::size_t begin;   //!< first byte of the line
    std::size_t end;     //!< one past the last content byte (CR/LF excluded)
};

/// True when the line starts with \p word (case-insensitive, \p word in lower case).
bool
StartsWithNoCase(const Line& l, const char* word)
{
    std::size_t n = std::strlen(word);
    if (l.end - l.begin < n)
    {
        return false;
    }
    for (std::size_t k = 0; k < n; ++k)
    {
        if (AsciiLower(static_cast<char>(l.data[l.begin + k])) != word[k])
        {
            return false;
        }
    }
    return true;
}

/**
 * Read a decimal number of 1..maxDigits digits at \p i whose value is <= maxValue.
 * On success advances \p i past the digits. The run of digits must end there (a longer run
 * fails).
 */
bool
ReadNumber(const Line& l, std::size_t& i, unsigned maxDigits, uint32_t maxValue, uint32_t& out)
{
    std::size_t k = i;
    uint32_t v = 0;
    unsigned digits = 0;
    while (k < l.end && IsDigit(l.data[k]))
    {
        if (++digits > maxDigits)
        {
            return false;
        }
        v = v * 10 + (l.data[k] - '0');
        ++k;
    }
    if (digits == 0 || v > maxValue)
    {
        return false;
    }
    out = v;
    i = k;
    return true;
}

bool
Expect(const Line& l, std::size_t& i, uint8_t c)
{
    if (i < l.end && l.data[i] == c)
    {
        ++i;
        return true;
    }
    return false;
}

/// Only spaces (or tabs) until the end of the line.
bool
OnlyBlanksLeft(const Line& l, std::size_t i)
{
    for (; i < l.end; ++i)
    {
        if (l.data[i] != ' ' && l.data[i] != '\t')
        {
            return false;
        }
    }
    return true;
}

/// h1,h2,h3,h4,p1,p2 at \p i; on success \p i is just past p2.
bool
ReadRfc959(const Line& l, std::size_t& i, uint32_t& addr, uint16_t& port)
{
    std::size_t k = i;
    uint32_t n[6];
    for (int f = 0; f < 6; ++f)
    {
        if (f > 0 && !Expect(l, k, ','))
        {
            return false;
        }
        if (!ReadNumber(l, k, 3, 255, n[f]))
        {
            return false;
        }
    }
    uint32_t p = n[4] << 8 | n[5];
    if (p == 0)
    {
        return false;
    }
    addr = n[0] << 24 | n[1] << 16 | n[2] << 8 | n[3];
    port = static_cast<uint16_t>(p);
    i = k;
    return true;
}

/// RFC 2428 delimiter: printable ASCII that cannot be part of an IPv4 address or a port.
bool
ValidDelimiter(uint8_t c)
{
    return c >= 33 && c <= 126 && !IsDigit(c) && c != '.';
}

bool
ReadPort(const Line& l, std::size_t& i, uint16_t& port)
{
    uint32_t v = 0;
    if (!ReadNumber(l, i, 5, 65535, v) || v == 0)
    {
        return false;
    }
    port = static_cast<uint16_t>(v);
    return true;
}

/// Command word (4 letters), then one or more spaces; \p i is left at the argument.
bool
ReadCommand(const Line& l, const char* word, std::size_t& i)
{
    if (!StartsWithNoCase(l, word))
    {
        return false;
    }
    i = l.begin + std::strlen(word);
    if (!Expect(l, i, ' '))
    {
        return false;
    }
    while (i < l.end && l.data[i] == ' ')
    {
        ++i;
    }
    return true;
}

bool
ParsePort(const Line& l, FtpAddressCommand& c)
{
    std::size_t i = 0;
    if (!ReadCommand(l, "port", i))
    {
        return false;
    }
    std::size_t start = i;
    if (!ReadRfc959(l, i, c.addr, c.port) || !OnlyBlanksLeft(l, i))
    {
        return false;
    }
    c.kind = FtpAddressCommand::PORT;
    c.textOffset = start;
    c.textLength = i - start;
    c.delimiter = '|';
    return true;
}

bool
ParseEprt(const Line& l, FtpAddressCommand& c)
{
    std::size_t i = 0;
    if (!ReadCommand(l, "eprt", i) || i >= l.end)
    {
        return false;
    }
    std::size_t start = i;
    uint8_t d = l.data[i++];
    if (!ValidDelimiter(d) || !Expect(l, i, '1') || !Expect(l, i, d))
    {
        return false;
    }
    uint32_t addr = 0;
    for (int f = 0; f < 4; ++f)
    {
        uint32_t part = 0;
        if ((f > 0 && !Expect(l, i, '.')) || !ReadNumber(l, i, 3, 255, part))
        {
            return false;
        }
        addr = addr << 8 | part;
    }
    uint16_t port = 0;
    if (!Expect(l, i, d) || !ReadPort(l, i, port) || !Expect(l, i, d) || !OnlyBlanksLeft(l, i))
    {
        return false;
    }
    c.kind = FtpAddressCommand::EPRT;
    c.addr = addr;
    c.port = port;
    c.textOffset = start;
    c.textLength = i - start;
    c.delimiter = static_cast<char>(d);
    return true;
}

bool
Parse227(const Line& l, FtpAddressCommand& c)
{
    if (!StartsWithNoCase(l, "227 "))
    {
        return false;
    }
    std::size_t first = l.begin + 4;
    for (std::size_t i = first; i < l.end; ++i)
    {
        // A candidate starts a run of digits that is not part of a comma list already tried.
        if (!IsDigit(l.data[i]) || (i > first && (IsDigit(l.data[i - 1]) || l.data[i - 1] == ',')))
        {
            continue;
        }
        std::size_t k = i;
        uint32_t addr = 0;
        uint16_t port = 0;
        if (ReadRfc959(l, k, addr, port) && !(k < l.end && l.data[k] == ','))
        {
            c.kind = FtpAddressCommand::PASV_227;
            c.addr = addr;
            c.port = port;
            c.textOffset = i;
            c.textLength = k - i;
            c.delimiter = '|';
            return true;
        }
    }
    return false;
}

bool
Parse229(const Line& l, FtpAddressCommand& c)
{
    if (!StartsWithNoCase(l, "229 "))
    {
        return false;
    }
    for (std::size_t p = l.begin + 4; p < l.end; ++p)
    {
        if (l.data[p] != '(')
        {
            continue;
        }
        std::size_t i = p + 1;
        if (i >= l.end)
        {
            return false;
        }
        uint8_t d = l.data[i];
        uint16_t port = 0;
        if (ValidDelimiter(d) && Expect(l, i, d) && Expect(l, i, d) && Expect(l, i, d) &&
            ReadPort(l, i, port) && Expect(l, i, d))
        {
            std::size_t textEnd = i;
            if (Expect(l, i, ')'))
            {
                c.kind = FtpAddressCommand::EPSV_229;
                c.addr = 0;
                c.port = port;
                c.textOffset = p + 1;
                c.textLength = textEnd - (p + 1);
                c.delimiter = static_cast<char>(d);
                return true;
            }
        }
    }
    return false;
}

std::string
DottedQuad(uint32_t a, char sep)
{
    std::string s;
    for (int shift = 24; shift >= 0; shift -= 8)
    {
        s += std::to_string((a >> shift) & 0xff);
        if (shift > 0)
        {
            s += sep;
        }
    }
    return s;
}

} // namespace

std::vector<FtpAddressCommand>
FindFtpAddressCommands(const uint8_t* data, std::size_t len, bool fromClient)
{
    std::vector<FtpAddressCommand> found;
    if (data == nullptr)
    {
        return found;
    }
    std::size_t pos = 0;
    while (pos < len)
    {
        const void* nl = std::memchr(data + pos, '\n', len - pos);
        if (nl == nullptr)
        {
            break; // partial trailing line: wait for its end, as Linux does
        }
        std::size_t lf = static_cast<const uint8_t*>(nl) - data;
        std::size_t lineEnd = lf + 1;
        if (lineEnd - pos <= FTP_MAX_LINE_LENGTH)
        {
            Line l{data, pos, lf};
            if (l.end > l.begin && data[l.end - 1] == '\r')
            {
                --l.end;
            }
            FtpAddressCommand c;
            bool ok = fromClient ? (ParsePort(l, c) || ParseEprt(l, c))
                                 : (Parse227(l, c) || Parse229(l, c));
            if (ok)
            {
                c.lineStart = pos;
                c.lineEnd = lineEnd;
                found.push_back(c);
            }
        }
        pos = lineEnd;
    }
    return found;
}

std::string
FormatFtpAddress(FtpAddressCommand::Kind kind, uint32_t addr, uint16_t port, char delimiter)
{
    std::string d(1, delimiter);
    switch (kind)
    {
    case FtpAddressCommand::PORT:
    case FtpAddressCommand::PASV_227:
        return DottedQuad(addr, ',') + "," + std::to_string(port >> 8) + "," +
               std::to_string(port & 0xff);
    case FtpAddressCommand::EPRT:
        return d + "1" + d + DottedQuad(addr, '.') + d + std::to_string(port) + d;
    case FtpAddressCommand::EPSV_229:
        return d + d + d + std::to_string(port) + d;
    }
    return std::string();
}

const char*
FtpAddressKindName(FtpAddressCommand::Kind kind)
{
    switch (kind)
    {
    case FtpAddressCommand::PORT:
        return "PORT";
    case FtpAddressCommand::EPRT:
        return "EPRT";
    case FtpAddressCommand::PASV_227:
        return "227";
    case FtpAddressCommand::EPSV_229:
        return "229";
    }
    return "?";
}

} // namespace ns3
