/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rsh-parser.h"

#include "ns3/config-error.h"
#include "ns3/text-util.h"

#include <cstring>

namespace ns3
{

namespace
{

/// Read a NUL-terminated field of at most \p max bytes at \p pos.
bool
ReadField(const uint8_t* data, std::size_t len, std::size_t& pos, std::size_t max, std::string& out)
{
    if (pos >= len)
    {
        return false;
    }
    std::size_t limit = len - pos;
    if (limit > max + 1)
    {
        limit = max + 1;
    }
    const void* nul = std::memchr(data + pos, 0, limit);
    if (nul == nullptr)
    {
        return false;
    }
    std::size_t end = static_cast<const uint8_t*>(nul) - data;
    out.assign(reinterpret_cast<const char*>(data + pos), end - pos);
    pos = end + 1;
    return true;
}

} // namespace

RshScan
ScanRshStderrPort(const uint8_t* data, std::size_t len, uint16_t& port, std::size_t& textLength)
{
    uint32_t value = 0;
    for (std::size_t i = 0; i < len; ++i)
    {
        uint8_t c = data[i];
        if (c == 0)
        {
            port = static_cast<uint16_t>(value);
            textLength = i;
            return RshScan::COMPLETE;
        }
        if (c < '0' || c > '9' || i >= 5)
        {
            return RshScan::INVALID;
        }
        value = value * 10 + (c - '0');
        if (value > 65535)
        {
            return RshScan::INVALID;
        }
    }
    return RshScan::INCOMPLETE;
}

int
ParseRshStderrPort(const uint8_t* data, std::size_t len)
{
    uint16_t port = 0;
    std::size_t text = 0;
    if (data == nullptr || ScanRshStderrPort(data, len, port, text) != RshScan::COMPLETE)
    {
        return -1;
    }
    return port;
}

bool
ParseRshStart(const uint8_t* data, std::size_t len, RshStart& out)
{
    out = RshStart{};
    if (data == nullptr ||
        ScanRshStderrPort(data, len, out.stderrPort, out.portTextLength) != RshScan::COMPLETE)
    {
        return false;
    }
    out.hasStderr = out.stderrPort != 0;
    std::size_t pos = out.portTextLength + 1;
    if (!ReadField(data, len, pos, RSH_MAX_USER_LENGTH, out.localUser) ||
        !ReadField(data, len, pos, RSH_MAX_USER_LENGTH, out.remoteUser) ||
        !ReadField(data, len, pos, RSH_MAX_COMMAND_LENGTH, out.command))
    {
        return false;
    }
    out.length = pos;
    return true;
}

std::vector<uint8_t>
BuildRshStart(uint16_t stderrPort,
              const std::string& localUser,
              const std::string& remoteUser,
              const std::string& command)
{
    auto check = [](const std::string& v, const char* field, std::size_t max) {
        if (v.find('\0') != std::string::npos)
        {
            throw ConfigError(std::string("RSH start: ") + field + " contains a NUL byte");
        }
        if (v.size() > max)
        {
            throw ConfigError(std::string("RSH start: ") + field + " longer than " +
                              std::to_string(max) + " bytes");
        }
    };
    check(localUser, "localUser", RSH_MAX_USER_LENGTH);
    check(remoteUser, "remoteUser", RSH_MAX_USER_LENGTH);
    check(command, "command", RSH_MAX_COMMAND_LENGTH);
    const std::string port = std::to_string(stderrPort);
    std::vector<uint8_t> v;
    v.reserve(port.size() + localUser.size() + remoteUser.size() + command.size() + 4);
    for (const std::string* s : {&port, &localUser, &remoteUser, &command})
    {
        v.insert(v.end(), s->begin(), s->end());
        v.push_back(0);
    }
    return v;
}

uint8_t
RshOutputByte(uint64_t offset)
{
    // Printable, position-dependent: 'a'..'z' cycling, a newline every 64 bytes.
    if (offset % 64 == 63)
    {
        return '\n';
    }
    return static_cast<uint8_t>('a' + (offset + offset / 64) % 26);
}

bool
ParseRshGenerateCommand(const std::string& command, uint64_t& size)
{
    static const char prefix[] = "generate ";
    constexpr std::size_t plen = sizeof(prefix) - 1;
    if (command.size() <= plen || command.compare(0, plen, prefix) != 0 ||
        command.size() > plen + 12)
    {
        return false;
    }
    return ParseDecimal(std::string_view(command).substr(plen), UINT64_MAX, size);
}

} // namespace ns3
