/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ASN.1 PER, aligned variant (ITU-T X.691), as far as H.225.0 and H.245 need it. The shape
 * (a constant table of types walked by one small decoder; members the table does not describe
 * end the decoding unless PER says how long they are) follows what Linux's
 * nf_conntrack_h323_asn1.c does; the code and the tables are this module's own.
 */
#include "per-decoder.h"

namespace ns3
{

uint32_t
PerReader::Bits(unsigned n)
{
    if (n == 0)
    {
        return 0;
    }
    if (m_failed || n > 32 || m_pos + n > m_end)
    {
        m_failed = true;
        return 0;
    }
    uint32_t v = 0;
    for (unsigned i = 0; i < n; ++i)
    {
        const std::size_t p = m_pos + i;
        v = (v << 1) | ((m_data[p / 8] >> (7 - p % 8)) & 1U);
    }
    m_pos += n;
    return v;
}

std::size_t
PerReader::SkipOctets(std::size_t n)
{
    AlignOctet();
    const std::size_t at = BytePos();
    if (m_failed || n > (m_end - m_pos) / 8)
    {
        m_failed = true;
        return at;
    }
    m_pos += n * 8;
    return at;
}

uint32_t
PerReader::Length()
{
    AlignOctet();
    const uint32_t first = Bits(8);
    if ((first & 0x80) == 0)
    {
        return first;
    }
    if ((first & 0xc0) == 0x80)
    {
        return ((first & 0x3f) << 8) | Bits(8);
    }
    m_failed = true; // fragmented: not in H.323
    return 0;
}

namespace
{
/// \return bits needed for a number in [0, range - 1]
unsigned
BitsFor(uint64_t range)
{
    unsigned b = 0;
    while (b < 64 && (uint64_t{1} << b) < range)
    {
        ++b;
    }
    return b;
}

/// \return octets needed for \p v (at least 1)
unsigned
OctetsFor(uint64_t v)
{
    unsigned n = 1;
    while (n < 8 && (v >> (8 * n)) != 0)
    {
        ++n;
    }
    return n;
}
} // namespace

int64_t
PerReader::Constrained(int64_t lb, int64_t ub)
{
    if (ub < lb)
    {
        m_failed = true;
        return lb;
    }
    const uint64_t range = static_cast<uint64_t>(ub - lb) + 1;
    if (range == 1)
    {
        return lb;
    }
    if (range <= 255)
    {
        return lb + Bits(BitsFor(range));
    }
    if (range == 256)
    {
        AlignOctet();
        return lb + Bits(8);
    }
    if (range <= 65536)
    {
        AlignOctet();
        return lb + Bits(16);
    }
    // X.691 10.5.7.4: the octet count (1..n) as a bit-field, then the octets
    const unsigned maxOctets = OctetsFor(range - 1);
    const unsigned n = 1 + Bits(BitsFor(maxOctets));
    if (n > 4)
    {
        m_failed = true; // wider than anything H.323 constrains
        return lb;
    }
    AlignOctet();
    const uint64_t v = Bits(8 * n);
    if (v > range - 1)
    {
        m_failed = true;
    }
    return lb + static_cast<int64_t>(v);
}

uint32_t
PerReader::NormallySmall()
{
    if (!Bit())
    {
        return Bits(6);
    }
    const uint32_t n = Length();
    if (n == 0 || n > 4)
    {
        m_failed = true;
        return 0;
    }
    return Bits(8 * n);
}

int64_t
PerReader::Unconstrained(int64_t lb, bool hasLowerBound)
{
    const uint32_t n = Length();
    if (n == 0 || n > 4)
    {
        m_failed = true;
        return 0;
    }
    const uint32_t v = Bits(8 * n);
    if (hasLowerBound)
    {
        return lb + v;
    }
    const uint32_t sign = uint32_t{1} << (8 * n - 1);
    return (v & sign) ? static_cast<int64_t>(v) - (int64_t{1} << (8 * n)) : v;
}

void
PerWriter::Bits(uint32_t v, unsigned n)
{
    for (unsigned i = n; i-- > 0;)
    {
        if (m_bit == 0)
        {
            m_bytes.push_back(0);
        }
        if ((v >> i) & 1U)
        {
            m_bytes.back() |= static_cast<uint8_t>(0x80 >> m_bit);
        }
        m_bit = (m_bit + 1) % 8;
    }
}

void
PerWriter::AlignOctet()
{
    m_bit = 0;
}

void
PerWriter::Octets(const uint8_t* p, std::size_t n)
{
    AlignOctet();
    m_bytes.insert(m_bytes.end(), p, p + n);
}

void
PerWriter::Length(uint32_t n)
{
    AlignOctet();
    if (n < 128)
    {
        Bits(n, 8);
    }
    else
    {
        Bits(0x8000 | (n & 0x3fff), 16);
    }
}

void
PerWriter::Constrained(int64_t v, int64_t lb, int64_t ub)
{
    const uint64_t range = static_cast<uint64_t>(ub - lb) + 1;
    const uint64_t x = static_cast<uint64_t>(v - lb);
    if (range == 1)
    {
        return;
    }
    if (range <= 255)
    {
        Bits(static_cast<uint32_t>(x), BitsFor(range));
    }
    else if (range == 256)
    {
        AlignOctet();
        Bits(static_cast<uint32_t>(x), 8);
    }
    else if (range <= 65536)
    {
        AlignOctet();
        Bits(static_cast<uint32_t>(x), 16);
    }
    else
    {
        const unsigned maxOctets = OctetsFor(range - 1);
        const unsigned n = OctetsFor(x);
        Bits(n - 1, BitsFor(maxOctets));
        AlignOctet();
        Bits(static_cast<uint32_t>(x), 8 * n);
    }
}

void
PerWriter::NormallySmall(uint32_t v)
{
    Bit(false);
    Bits(v, 6);
}

void
PerWriter::SemiConstrained(int64_t v, int64_t lb)
{
    const uint64_t x = static_cast<uint64_t>(v - lb);
    const unsigned n = OctetsFor(x);
    Length(n);
    Bits(static_cast<uint32_t>(x), 8 * n);
}

void
PerWriter::OpenType(const PerWriter& inner)
{
    const std::vector<uint8_t>& b = inner.Bytes();
    if (b.empty())
    {
        Length(1);
        Bits(0, 8);
        return;
    }
    Length(static_cast<uint32_t>(b.size()));
    Octets(b);
}

const char*
PerResultName(PerResult r)
{
    switch (r)
    {
    case PerResult::OK:
        return "ok";
    case PerResult::STOPPED:
        return "stopped";
    case PerResult::MALFORMED:
        return "malformed";
    case PerResult::TOO_DEEP:
        return "too-deep";
    }
    return "?";
}

namespace
{
/// The walk of one message: the visitor, the nesting bound and the address being read.
class Walk
{
  public:
    Walk(const uint8_t* data, PerVisitor& v, unsigned maxDepth)
        : m_data(data),
          m_visitor(v),
          m_maxDepth(maxDepth)
    {
    }

    /// Decode \p t from \p r at nesting \p depth; \p part: PER_IP / PER_PORT or 0.
    PerResult Value(const PerType& t, PerReader& r, unsigned depth, uint8_t part);

    /// Decode \p t in the window [begin, end) (an open type or contained encoding).
    PerResult Window(const PerType* t, std::size_t begin, std::size_t end, unsigned depth)
    {
        if (t == nullptr)
        {
            return PerResult::OK; // not described: skipped, its length is known
        }
        PerReader inner(m_data, begin, end);
        const PerResult res = Value(*t, inner, depth, 0);
        return res == PerResult::STOPPED ? PerResult::OK : res;
    }

  private:
    /// Decode member \p f (type may be null: stop).
    PerResult Member(const PerField& f, PerReader& r, unsigned depth);
    /// Decode an open type holding member \p f.
    PerResult OpenMember(const PerField& f, PerReader& r, unsigned depth);
    /// A size in [lb, ub] (ub < 0: unbounded).
    uint32_t Size(PerReader& r, const PerType& t);

    const uint8_t* m_data;   //!< the buffer
    PerVisitor& m_visitor;   //!< who is told
    unsigned m_maxDepth;     //!< nesting bound
    uint8_t m_roles[40]{};   //!< roles of the enclosing members
    unsigned m_roleCount{0}; //!< how many
    uint32_t m_ip{0};        //!< the address just read
    std::size_t m_ipAt{0};   //!< its offset
    bool m_haveIp{false};    //!< an address waits for its port
};

uint32_t
Walk::Size(PerReader& r, const PerType& t)
{
    if (t.ub >= 0 && t.ub < 65536)
    {
        return static_cast<uint32_t>(r.Constrained(t.lb, t.ub));
    }
    const uint32_t n = r.Length();
    if (n < t.lb)
    {
        r.Fail();
    }
    return n;
}

PerResult
Walk::Member(const PerField& f, PerReader& r, unsigned depth)
{
    if (f.type == nullptr)
    {
        return PerResult::STOPPED;
    }
    const bool scoped = f.role != 0 && f.role < PER_IP;
    if (scoped)
    {
        if (m_roleCount >= sizeof(m_roles))
        {
            return PerResult::TOO_DEEP;
        }
        m_roles[m_roleCount++] = f.role;
        m_visitor.Scope(f.role, true);
    }
    const PerResult res = Value(*f.type, r, depth + 1, f.role >= PER_IP ? f.role : 0);
    if (scoped)
    {
        --m_roleCount;
        m_visitor.Scope(f.role, false);
    }
    return res;
}

PerResult
Walk::OpenMember(const PerField& f, PerReader& r, unsigned depth)
{
    const uint32_t len = r.Length();
    const std::size_t at = r.SkipOctets(len);
    if (r.Failed())
    {
        return PerResult::MALFORMED;
    }
    if (f.type == nullptr)
    {
        return PerResult::OK;
    }
    PerReader inner(m_data, at, at + len);
    const PerResult res = Member(f, inner, depth);
    return res == PerResult::STOPPED ? PerResult::OK : res;
}

PerResult
Walk::Value(const PerType& t, PerReader& r, unsigned depth, uint8_t part)
{
    if (depth > m_maxDepth)
    {
        return PerResult::TOO_DEEP;
    }
    switch (t.kind)
    {
    case PerKind::NUL:
        break;
    case PerKind::BOOL:
        r.Bit();
        break;
    case PerKind::INT: {
        if (t.ub >= t.lb)
        {
            const bool twoOctets = t.ub - t.lb + 1 > 256 && t.ub - t.lb + 1 <= 65536;
            if (part == PER_PORT && twoOctets)
            {
                r.AlignOctet();
                const std::size_t at = r.BytePos();
                const int64_t v = r.Constrained(t.lb, t.ub);
                if (!r.Failed() && m_haveIp)
                {
                    m_haveIp = false;
                    const uint8_t role = m_roleCount ? m_roles[m_roleCount - 1] : 0;
                    m_visitor.Address(role, m_ip, static_cast<uint16_t>(v), m_ipAt, at);
                }
            }
            else
            {
                if (t.extensible && r.Bit())
                {
                    r.Unconstrained(0, false);
                }
                else
                {
                    r.Constrained(t.lb, t.ub);
                }
            }
        }
        else
        {
            r.Unconstrained(t.lb, t.lb != INT64_MIN);
        }
        break;
    }
    case PerKind::ENUM:
        if (t.extensible && r.Bit())
        {
            r.NormallySmall();
        }
        else
        {
            r.Constrained(0, t.rootCount - 1);
        }
        break;
    case PerKind::OCTETS: {
        uint32_t n = 0;
        if (t.ub >= 0 && t.lb == t.ub)
        {
            n = static_cast<uint32_t>(t.lb);
            if (n <= 2)
            {
                r.Bits(8 * n); // fixed and short: not aligned
                break;
            }
        }
        else
        {
            n = Size(r, t);
        }
        const std::size_t at = r.SkipOctets(n);
        if (r.Failed())
        {
            return PerResult::MALFORMED;
        }
        if (part == PER_IP && n == 4)
        {
            m_ip = uint32_t(m_data[at]) << 24 | uint32_t(m_data[at + 1]) << 16 |
                   uint32_t(m_data[at + 2]) << 8 | m_data[at + 3];
            m_ipAt = at;
            m_haveIp = true;
        }
        if (t.element != nullptr)
        {
            const PerResult res = Window(t.element, at, at + n, depth + 1);
            if (res != PerResult::OK)
            {
                return res;
            }
        }
        break;
    }
    case PerKind::BITS: {
        if (t.ub >= 0 && t.lb == t.ub && t.lb <= 16)
        {
            r.Bits(static_cast<unsigned>(t.lb));
            break;
        }
        const uint32_t n = t.ub >= 0 && t.lb == t.ub ? static_cast<uint32_t>(t.lb) : Size(r, t);
        r.AlignOctet();
        if (n > r.BitsLeft())
        {
            return PerResult::MALFORMED;
        }
        for (uint32_t done = 0; done < n;)
        {
            const unsigned chunk = n - done > 32 ? 32 : n - done;
            r.Bits(chunk);
            done += chunk;
        }
        break;
    }
    case PerKind::CHARS: {
        const uint32_t n = t.ub >= 0 && t.lb == t.ub ? static_cast<uint32_t>(t.lb) : Size(r, t);
        if (!(t.ub >= 0 && t.ub * t.charBits <= 16))
        {
            r.AlignOctet();
        }
        const uint64_t bits = uint64_t{n} * t.charBits;
        if (bits > r.BitsLeft())
        {
            return PerResult::MALFORMED;
        }
        for (uint64_t done = 0; done < bits;)
        {
            const unsigned chunk = bits - done > 32 ? 32 : static_cast<unsigned>(bits - done);
            r.Bits(chunk);
            done += chunk;
        }
        break;
    }
    case PerKind::OID: {
        const uint32_t n = r.Length();
        r.SkipOctets(n);
        break;
    }
    case PerKind::SEQUENCE: {
        const bool ext = t.extensible && r.Bit();
        bool present[64];
        for (uint16_t i = 0; i < t.rootCount && i < 64 && i < t.totalCount; ++i)
        {
            present[i] = t.fields[i].optional ? r.Bit() : true;
        }
        if (t.rootCount > 64)
        {
            return PerResult::MALFORMED;
        }
        for (uint16_t i = 0; i < t.rootCount; ++i)
        {
            if (r.Failed())
            {
                return PerResult::MALFORMED;
            }
            if (i >= t.totalCount)
            {
                return PerResult::STOPPED; // the table stops describing the root here
            }
            if (!present[i])
            {
                continue;
            }
            const PerResult res = Member(t.fields[i], r, depth);
            if (res != PerResult::OK)
            {
                return res;
            }
        }
        if (ext)
        {
            const uint32_t count = r.NormallySmall() + 1;
            if (r.Failed() || count > 64)
            {
                return PerResult::MALFORMED;
            }
            bool added[64];
            for (uint32_t i = 0; i < count; ++i)
            {
                added[i] = r.Bit();
            }
            for (uint32_t i = 0; i < count; ++i)
            {
                if (!added[i])
                {
                    continue;
                }
                static const PerField unknown{"extension", nullptr, false, 0};
                const uint32_t k = t.rootCount + i;
                const PerField& f = k < t.totalCount ? t.fields[k] : unknown;
                const PerResult res = OpenMember(f, r, depth);
                if (res != PerResult::OK)
                {
                    return res;
                }
            }
        }
        break;
    }
    case PerKind::SEQOF: {
        const uint32_t n = Size(r, t);
        if (r.Failed() || n > 1024)
        {
            return PerResult::MALFORMED;
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            if (t.element == nullptr)
            {
                return PerResult::STOPPED;
            }
            const PerResult res = Value(*t.element, r, depth + 1, 0);
            if (res != PerResult::OK)
            {
                return res;
            }
            if (r.Failed())
            {
                return PerResult::MALFORMED;
            }
        }
        break;
    }
    case PerKind::CHOICE: {
        if (t.extensible && r.Bit())
        {
            const uint32_t k = r.NormallySmall() + t.rootCount;
            if (r.Failed())
            {
                return PerResult::MALFORMED;
            }
            m_visitor.Choice(depth, k);
            static const PerField unknown{"extension", nullptr, false, 0};
            return OpenMember(k < t.totalCount ? t.fields[k] : unknown, r, depth);
        }
        const uint32_t k = static_cast<uint32_t>(r.Constrained(0, t.rootCount - 1));
        if (r.Failed() || k >= t.rootCount)
        {
            return PerResult::MALFORMED;
        }
        m_visitor.Choice(depth, k);
        if (k >= t.totalCount)
        {
            return PerResult::STOPPED; // an alternative the table does not describe
        }
        return Member(t.fields[k], r, depth);
    }
    }
    return r.Failed() ? PerResult::MALFORMED : PerResult::OK;
}
} // namespace

PerResult
PerDecode(const PerType& type,
          const uint8_t* data,
          std::size_t begin,
          std::size_t end,
          PerVisitor& visitor,
          unsigned maxDepth)
{
    if (data == nullptr || end < begin)
    {
        return PerResult::MALFORMED;
    }
    Walk w(data, visitor, maxDepth);
    PerReader r(data, begin, end);
    return w.Value(type, r, 0, 0);
}

} // namespace ns3
