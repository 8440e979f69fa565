/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tftp-parser.h"

#include "ns3/config-error.h"
#include "ns3/text-util.h"

#include <boost/endian/conversion.hpp>
#include <cstring>

namespace ns3
{

using boost::endian::load_big_u16;

namespace
{

void
Put16(std::vector<uint8_t>& v, uint16_t x)
{
    v.push_back(static_cast<uint8_t>(x >> 8));
    v.push_back(static_cast<uint8_t>(x & 0xff));
}

/**
 * Read a NUL-terminated string starting at \p pos.
 * \return false when no NUL lies before \p len; else the string and \p pos past the NUL
 */
bool
ReadString(const uint8_t* data, std::size_t len, std::size_t& pos, std::string& out)
{
    if (pos >= len)
    {
        return false;
    }
    const void* nul = std::memchr(data + pos, 0, len - pos);
    if (nul == nullptr)
    {
        return false;
    }
    std::size_t end = static_cast<const uint8_t*>(nul) - data;
    out.assign(reinterpret_cast<const char*>(data + pos), end - pos);
    pos = end + 1;
    return true;
}

/// Read option pairs until \p len; \return false on an incomplete pair or an empty name.
bool
ReadOptions(const uint8_t* data,
            std::size_t len,
            std::size_t pos,
            std::vector<std::pair<std::string, std::string>>& options)
{
    while (pos < len)
    {
        std::string name;
        std::string value;
        if (!ReadString(data, len, pos, name) || name.empty() || !ReadString(data, len, pos, value))
        {
            return false;
        }
        options.emplace_back(std::move(name), std::move(value));
    }
    return true;
}

} // namespace

bool
IsTftpMode(const std::string& mode)
{
    return AsciiIEquals(mode, "netascii") || AsciiIEquals(mode, "octet") ||
           AsciiIEquals(mode, "mail");
}

const char*
TftpOpName(uint16_t op)
{
    switch (op)
    {
    case TftpPacket::RRQ:
        return "RRQ";
    case TftpPacket::WRQ:
        return "WRQ";
    case TftpPacket::DATA:
        return "DATA";
    case TftpPacket::ACK:
        return "ACK";
    case TftpPacket::ERROR:
        return "ERROR";
    case TftpPacket::OACK:
        return "OACK";
    default:
        return "?";
    }
}

bool
ParseTftp(const uint8_t* data, std::size_t len, TftpPacket& out)
{
    out = TftpPacket{};
    if (data == nullptr || len < 2)
    {
        return false;
    }
    uint16_t op = load_big_u16(data);
    std::size_t pos = 2;
    switch (op)
    {
    case TftpPacket::RRQ:
    case TftpPacket::WRQ:
        out.op = static_cast<TftpPacket::Op>(op);
        if (!ReadString(data, len, pos, out.filename) || !ReadString(data, len, pos, out.mode) ||
            !IsTftpMode(out.mode))
        {
            return false;
        }
        return ReadOptions(data, len, pos, out.options);
    case TftpPacket::DATA:
        if (len < 4 || len - 4 > TFTP_MAX_BLOCK_SIZE)
        {
            return false;
        }
        out.op = TftpPacket::DATA;
        out.block = load_big_u16(data + 2);
        out.dataOffset = 4;
        out.dataLength = len - 4;
        return true;
    case TftpPacket::ACK:
        if (len != 4)
        {
            return false;
        }
        out.op = TftpPacket::ACK;
        out.block = load_big_u16(data + 2);
        return true;
    case TftpPacket::ERROR:
        if (len < 5)
        {
            return false;
        }
        out.op = TftpPacket::ERROR;
        out.errorCode = load_big_u16(data + 2);
        pos = 4;
        return ReadString(data, len, pos, out.errorMsg) && pos == len;
    case TftpPacket::OACK:
        out.op = TftpPacket::OACK;
        return len > 2 && ReadOptions(data, len, pos, out.options);
    default:
        return false;
    }
}

std::vector<uint8_t>
BuildTftpRequest(TftpPacket::Op op, const std::string& filename, const std::string& mode)
{
    if (op != TftpPacket::RRQ && op != TftpPacket::WRQ)
    {
        throw ConfigError("TFTP request: op must be RRQ (1) or WRQ (2), not " +
                          std::to_string(static_cast<unsigned>(op)));
    }
    if (filename.find('\0') != std::string::npos)
    {
        throw ConfigError("TFTP request: filename contains a NUL byte");
    }
    if (!IsTftpMode(mode))
    {
        throw ConfigError("TFTP request: mode '" + mode + "' is not netascii, octet or mail");
    }
    std::vector<uint8_t> v;
    v.reserve(4 + filename.size() + mode.size());
    Put16(v, op);
    v.insert(v.end(), filename.begin(), filename.end());
    v.push_back(0);
    v.insert(v.end(), mode.begin(), mode.end());
    v.push_back(0);
    return v;
}

std::vector<uint8_t>
BuildTftpData(uint16_t block, const uint8_t* bytes, std::size_t len)
{
    if (len > TFTP_MAX_BLOCK_SIZE)
    {
        throw ConfigError("TFTP DATA: length " + std::to_string(len) + " exceeds " +
                          std::to_string(TFTP_MAX_BLOCK_SIZE));
    }
    std::vector<uint8_t> v;
    v.reserve(4 + len);
    Put16(v, TftpPacket::DATA);
    Put16(v, block);
    if (len > 0)
    {
        v.insert(v.end(), bytes, bytes + len);
    }
    return v;
}

std::vector<uint8_t>
BuildTftpData(uint16_t block, const std::vector<uint8_t>& bytes)
{
    return BuildTftpData(block, bytes.data(), bytes.size());
}

std::vector<uint8_t>
BuildTftpAck(uint16_t block)
{
    std::vector<uint8_t> v;
    Put16(v, TftpPacket::ACK);
    Put16(v, block);
    return v;
}

std::vector<uint8_t>
BuildTftpError(uint16_t code, const std::string& msg)
{
    if (msg.find('\0') != std::string::npos)
    {
        throw ConfigError("TFTP ERROR: message contains a NUL byte");
    }
    std::vector<uint8_t> v;
    Put16(v, TftpPacket::ERROR);
    Put16(v, code);
    v.insert(v.end(), msg.begin(), msg.end());
    v.push_back(0);
    return v;
}

uint8_t
TftpFileByte(uint64_t offset)
{
    uint64_t x = (offset + 1) * 0x9E3779B97F4A7C15ULL;
    return static_cast<uint8_t>(x >> 56);
}

void
TftpFileBytes(uint64_t offset, std::size_t len, uint8_t* out)
{
    for (std::size_t i = 0; i < len; ++i)
    {
        out[i] = TftpFileByte(offset + i);
    }
}

bool
ParseTftpGeneratedName(const std::string& name, uint64_t& size)
{
    static const char prefix[] = "file-";
    constexpr std::size_t plen = sizeof(prefix) - 1;
    if (name.size() <= plen || name.compare(0, plen, prefix) != 0 || name.size() > plen + 12)
    {
        return false;
    }
    if (name[plen] == '0' && name.size() != plen + 1)
    {
        return false;
    }
    return ParseDecimal(std::string_view(name).substr(plen), UINT64_MAX, size);
}

} // namespace ns3
