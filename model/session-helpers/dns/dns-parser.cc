/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dns-parser.h"

#include <boost/endian/conversion.hpp>

namespace ns3
{

using boost::endian::load_big_u16;
using boost::endian::load_big_u32;
using boost::endian::store_big_u16;

namespace
{
/// Most questions and records a message may announce before it is taken for a lie.
constexpr uint16_t MAX_QUESTIONS = 16;
constexpr uint32_t MAX_RECORDS = 256;

/// Append a big-endian 16-bit value.
void
Put16(std::vector<uint8_t>& v, uint16_t x)
{
    v.push_back(static_cast<uint8_t>(x >> 8));
    v.push_back(static_cast<uint8_t>(x & 0xff));
}
} // namespace

bool
ReadDnsName(const uint8_t* msg,
            std::size_t len,
            std::size_t offset,
            std::string& name,
            std::size_t& next)
{
    name.clear();
    std::size_t pos = offset;
    bool jumped = false;
    std::size_t limit = len; // every pointer must point before the previous jump's target
    std::size_t wire = 1;    // the root label
    while (true)
    {
        if (pos >= len)
        {
            return false;
        }
        const uint8_t l = msg[pos];
        if ((l & 0xc0) == 0xc0)
        {
            if (pos + 1 >= len)
            {
                return false;
            }
            const std::size_t target = static_cast<std::size_t>(l & 0x3f) << 8 | msg[pos + 1];
            if (target >= pos || target >= limit)
            {
                return false; // forward, to itself, or not before the last target: a loop
            }
            limit = target;
            if (!jumped)
            {
                next = pos + 2;
                jumped = true;
            }
            pos = target;
            continue;
        }
        if (l & 0xc0)
        {
            return false; // 0x40 / 0x80: reserved label types (labels over 63 bytes)
        }
        if (l == 0)
        {
            if (!jumped)
            {
                next = pos + 1;
            }
            return true;
        }
        wire += 1 + l;
        if (pos + 1 + l > len || wire > 255)
        {
            return false;
        }
        if (!name.empty())
        {
            name.push_back('.');
        }
        name.append(reinterpret_cast<const char*>(msg + pos + 1), l);
        pos += 1 + l;
    }
}

bool
ParseDns(const uint8_t* data, std::size_t len, DnsMessage& out)
{
    out = DnsMessage();
    if (len < 12)
    {
        return false;
    }
    out.id = load_big_u16(data);
    const uint16_t flags = load_big_u16(data + 2);
    out.response = (flags & 0x8000) != 0;
    out.opcode = static_cast<uint8_t>((flags >> 11) & 0x0f);
    out.rcode = static_cast<uint8_t>(flags & 0x0f);
    out.questions = load_big_u16(data + 4);
    out.answers = load_big_u16(data + 6);
    const uint32_t records =
        static_cast<uint32_t>(out.answers) + load_big_u16(data + 8) + load_big_u16(data + 10);
    if (out.questions > MAX_QUESTIONS || records > MAX_RECORDS)
    {
        return false;
    }
    std::size_t pos = 12;
    for (uint16_t q = 0; q < out.questions; ++q)
    {
        std::string name;
        if (!ReadDnsName(data, len, pos, name, pos) || len - pos < 4)
        {
            return false;
        }
        if (q == 0)
        {
            out.qname = name;
            out.qtype = load_big_u16(data + pos);
            out.qclass = load_big_u16(data + pos + 2);
        }
        pos += 4;
    }
    out.records.reserve(records);
    for (uint32_t i = 0; i < records; ++i)
    {
        DnsRecord r;
        if (!ReadDnsName(data, len, pos, r.name, pos) || len - pos < 10)
        {
            return false;
        }
        r.type = load_big_u16(data + pos);
        r.klass = load_big_u16(data + pos + 2);
        r.ttl = load_big_u32(data + pos + 4);
        r.rdataLength = load_big_u16(data + pos + 8);
        r.rdataOffset = pos + 10;
        if (r.rdataLength > len - r.rdataOffset)
        {
            return false; // RDATA past the message
        }
        if (r.type == DNS_TYPE_A && r.rdataLength != 4)
        {
            return false;
        }
        if (r.type == DNS_TYPE_CNAME)
        {
            std::size_t after = 0;
            if (!ReadDnsName(data, r.rdataOffset + r.rdataLength, r.rdataOffset, r.target, after) ||
                after != r.rdataOffset + r.rdataLength)
            {
                return false;
            }
        }
        pos = r.rdataOffset + r.rdataLength;
        out.records.push_back(std::move(r));
    }
    return pos == len;
}

std::vector<std::pair<std::size_t, std::size_t>>
SplitDnsTcp(const uint8_t* data, std::size_t len, std::size_t& consumed)
{
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t pos = 0;
    while (len - pos >= 2)
    {
        const std::size_t n = load_big_u16(data + pos);
        if (n > len - pos - 2)
        {
            break;
        }
        out.emplace_back(pos + 2, n);
        pos += 2 + n;
    }
    consumed = pos;
    return out;
}

std::string
EncodeDnsName(const std::string& name)
{
    std::string out;
    std::size_t start = 0;
    while (start < name.size())
    {
        std::size_t dot = name.find('.', start);
        if (dot == std::string::npos)
        {
            dot = name.size();
        }
        const std::size_t l = dot - start;
        if (l == 0 || l > 63)
        {
            return {};
        }
        out.push_back(static_cast<char>(l));
        out.append(name, start, l);
        start = dot + 1;
    }
    out.push_back('\0');
    return out;
}

std::vector<uint8_t>
BuildDnsQuery(uint16_t id, const std::string& name, uint16_t type)
{
    std::vector<uint8_t> m;
    Put16(m, id);
    Put16(m, 0x0100); // RD
    Put16(m, 1);
    Put16(m, 0);
    Put16(m, 0);
    Put16(m, 0);
    const std::string n = EncodeDnsName(name);
    m.insert(m.end(), n.begin(), n.end());
    Put16(m, type);
    Put16(m, 1);
    return m;
}

std::vector<uint8_t>
BuildDnsResponse(uint16_t id,
                 const std::string& name,
                 uint16_t type,
                 const std::vector<DnsAnswer>& answers,
                 uint8_t rcode)
{
    std::vector<uint8_t> m = BuildDnsQuery(id, name, type);
    store_big_u16(m.data() + 2, static_cast<uint16_t>(0x8180 | (rcode & 0x0f))); // QR RD RA
    store_big_u16(m.data() + 6, static_cast<uint16_t>(answers.size()));
    for (const DnsAnswer& a : answers)
    {
        if (a.name == name)
        {
            Put16(m, 0xc00c); // the question's name
        }
        else
        {
            const std::string n = EncodeDnsName(a.name);
            m.insert(m.end(), n.begin(), n.end());
        }
        Put16(m, a.type);
        Put16(m, 1);
        Put16(m, static_cast<uint16_t>(a.ttl >> 16));
        Put16(m, static_cast<uint16_t>(a.ttl & 0xffff));
        const std::string rd = a.type == DNS_TYPE_CNAME ? EncodeDnsName(a.rdata) : a.rdata;
        Put16(m, static_cast<uint16_t>(rd.size()));
        m.insert(m.end(), rd.begin(), rd.end());
    }
    return m;
}

std::vector<uint8_t>
AddDnsTcpLength(const std::vector<uint8_t>& msg)
{
    std::vector<uint8_t> out;
    Put16(out, static_cast<uint16_t>(msg.size()));
    out.insert(out.end(), msg.begin(), msg.end());
    return out;
}

std::vector<std::pair<std::size_t, uint32_t>>
DnsTranslations(const DnsMessage& m,
                const uint8_t* msg,
                const std::vector<DnsTranslationRule>& rules)
{
    std::vector<std::pair<std::size_t, uint32_t>> out;
    for (std::size_t i = 0; i < m.answers && i < m.records.size(); ++i)
    {
        const DnsRecord& r = m.records[i];
        if (r.type != DNS_TYPE_A || r.klass != 1 || r.rdataLength != 4)
        {
            continue;
        }
        const uint32_t addr = load_big_u32(msg + r.rdataOffset);
        for (const DnsTranslationRule& rule : rules)
        {
            if ((addr & rule.netmask) == (rule.src & rule.netmask))
            {
                out.emplace_back(r.rdataOffset, (rule.dst & rule.netmask) | (addr & ~rule.netmask));
                break;
            }
        }
    }
    return out;
}

int
FuzzDns(const uint8_t* data, std::size_t len)
{
    DnsMessage m;
    ParseDns(data, len, m);
    std::size_t consumed = 0;
    for (const auto& [off, n] : SplitDnsTcp(data, len, consumed))
    {
        ParseDns(data + off, n, m);
    }
    return 0;
}

} // namespace ns3
