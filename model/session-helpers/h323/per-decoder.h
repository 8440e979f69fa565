/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PER_DECODER_H
#define FORTIGATE_PER_DECODER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * A bounded reader of ASN.1 PER (aligned variant, X.691) bits over a byte window. Pure C++
 * (no ns-3 types). Every read is checked against the window: a read past it sets the error
 * flag and returns 0, and every later read fails too. Positions are absolute bit offsets in
 * the buffer the reader was made from, so offsets found in a nested window (an open type, an
 * OCTET STRING holding an encoding) are offsets in the whole message.
 */
class PerReader
{
  public:
    /// Read bytes [\p begin, \p end) of \p data (end <= the buffer's length).
    PerReader(const uint8_t* data, std::size_t begin, std::size_t end)
        : m_data(data),
          m_pos(begin * 8),
          m_end(end * 8)
    {
    }

    /// \return true once a read ran past the window or a value broke its constraint
    bool Failed() const
    {
        return m_failed;
    }

    /// Mark the encoding as malformed.
    void Fail()
    {
        m_failed = true;
    }

    /// \return the bit position
    std::size_t BitPos() const
    {
        return m_pos;
    }

    /// \return the byte position (after AlignOctet)
    std::size_t BytePos() const
    {
        return m_pos / 8;
    }

    /// \return bits left in the window
    std::size_t BitsLeft() const
    {
        return m_failed || m_pos > m_end ? 0 : m_end - m_pos;
    }

    /// \return \p n bits (n <= 32) as an unsigned number, MSB first
    uint32_t Bits(unsigned n);

    /// \return one bit
    bool Bit()
    {
        return Bits(1) != 0;
    }

    /// Move to the next octet boundary.
    void AlignOctet()
    {
        m_pos = (m_pos + 7) & ~static_cast<std::size_t>(7);
        if (m_pos > m_end)
        {
            m_failed = true;
        }
    }

    /// Skip \p n octets (after aligning). \return the byte offset they start at
    std::size_t SkipOctets(std::size_t n);

    /**
     * A length determinant of an unconstrained or semi-constrained count (X.691 10.9.3.5-8):
     * aligned, one octet below 128, two octets below 16384. Fragmented lengths (16K and more)
     * are refused: nothing of H.323 is that long.
     */
    uint32_t Length();

    /// \return a number in [\p lb, \p ub] (X.691 10.5.7, aligned variant)
    int64_t Constrained(int64_t lb, int64_t ub);

    /// \return a normally small non-negative whole number (X.691 10.6)
    uint32_t NormallySmall();

    /// \return an unconstrained or semi-constrained number with lower bound \p lb (10.8, 10.7)
    int64_t Unconstrained(int64_t lb, bool hasLowerBound);

  private:
    const uint8_t* m_data; //!< the buffer
    std::size_t m_pos;     //!< bit position
    std::size_t m_end;     //!< end of the window, bits
    bool m_failed{false};  //!< a read failed
};

/**
 * \ingroup fortigate
 * A writer of ASN.1 PER (aligned) bits, the mirror of PerReader, for the subset the H.323
 * endpoints encode.
 */
class PerWriter
{
  public:
    /// Append the low \p n bits of \p v (n <= 32), MSB first.
    void Bits(uint32_t v, unsigned n);

    /// Append one bit.
    void Bit(bool b)
    {
        Bits(b ? 1 : 0, 1);
    }

    /// Pad with zero bits to the next octet boundary.
    void AlignOctet();

    /// Append octets (after aligning).
    void Octets(const uint8_t* p, std::size_t n);

    /// Append octets (after aligning).
    void Octets(const std::vector<uint8_t>& v)
    {
        Octets(v.data(), v.size());
    }

    /// A length determinant (n < 16384).
    void Length(uint32_t n);

    /// A number in [\p lb, \p ub].
    void Constrained(int64_t v, int64_t lb, int64_t ub);

    /// A normally small non-negative whole number (< 64 here).
    void NormallySmall(uint32_t v);

    /// A semi-constrained number >= \p lb (length + octets).
    void SemiConstrained(int64_t v, int64_t lb);

    /// An open type: \p inner's bytes (octet-aligned) behind a length determinant.
    void OpenType(const PerWriter& inner);

    /// \return the bytes written (the last octet padded with zero bits)
    const std::vector<uint8_t>& Bytes() const
    {
        return m_bytes;
    }

  private:
    std::vector<uint8_t> m_bytes; //!< octets
    unsigned m_bit{0};            //!< bits used in the last octet (0: none open)
};

/// \ingroup fortigate
/// Kinds of ASN.1 types the table-driven decoder knows.
enum class PerKind : uint8_t
{
    NUL,      //!< NULL: no bits
    BOOL,     //!< BOOLEAN: one bit
    INT,      //!< INTEGER: constrained (lb..ub), semi-constrained (ub < lb) or unconstrained
    ENUM,     //!< ENUMERATED with lb = 0, ub = root count - 1
    OCTETS,   //!< OCTET STRING of size lb..ub (ub < 0: unbounded); `contained`: its encoding
    BITS,     //!< BIT STRING of size lb..ub (ub < 0: unbounded)
    CHARS,    //!< a known-multiplier character string: size lb..ub, `charBits` bits a char
    OID,      //!< OBJECT IDENTIFIER: length + octets
    SEQUENCE, //!< SEQUENCE: fields (root, then extension additions)
    SEQOF,    //!< SEQUENCE OF / SET OF `element`, size lb..ub (ub < 0: unbounded)
    CHOICE,   //!< CHOICE: fields are the alternatives (root, then extension additions)
};

struct PerField;

/**
 * \ingroup fortigate
 * One ASN.1 type of the decoder's table. Tables are constant data (the H.225.0 and H.245
 * subset lives in h323-messages.cc); a type the table does not describe is decoded only where
 * its length is known (an extension addition or an extension alternative, which PER wraps in
 * an open type) and otherwise stops the decoding (see PerField::type).
 */
struct PerType
{
    PerKind kind;                    //!< kind
    bool extensible;                 //!< has an extension marker
    int64_t lb;                      //!< INT: lower bound; sizes: lower bound
    int64_t ub;                      //!< INT: upper bound (< lb: none); sizes: (< 0: none)
    const PerField* fields;          //!< SEQUENCE/CHOICE members
    uint16_t rootCount;              //!< members in the root
    uint16_t totalCount;             //!< members described (root + extension additions)
    const PerType* element{nullptr}; //!< SEQOF: the element; OCTETS: contained encoding
    uint8_t charBits{0};             //!< CHARS: bits per character (aligned PER)
};

/**
 * \ingroup fortigate
 * A member of a SEQUENCE or an alternative of a CHOICE. \p type nullptr: the table does not
 * describe it; it is skipped when it sits in an open type, and stops the decoding of the whole
 * message (a partial but correct result) when it is met in the root of a SEQUENCE or chosen in
 * the root of a CHOICE, as Linux's decoder does with its STOP fields.
 */
struct PerField
{
    const char* name;    //!< ASN.1 name (for the log)
    const PerType* type; //!< its type (nullptr: not described)
    bool optional;       //!< OPTIONAL or DEFAULT in the root
    uint8_t role;        //!< non-zero: the role its transport addresses play (PerVisitor)
};

/**
 * \ingroup fortigate
 * What the decoder reports: IPv4 addresses (a 4-octet OCTET STRING followed by a port) met
 * under a field with a role, and choices taken. Offsets are byte offsets in the decoded buffer.
 */
class PerVisitor
{
  public:
    virtual ~PerVisitor() = default;

    /// An address \p ip:\p port at \p ipOffset (4 octets) and \p portOffset (2 octets).
    virtual void Address(uint8_t role,
                         uint32_t ip,
                         uint16_t port,
                         std::size_t ipOffset,
                         std::size_t portOffset) = 0;

    /// Alternative \p index of a CHOICE was taken at nesting \p depth.
    virtual void Choice(unsigned depth, uint32_t index)
    {
        (void)depth;
        (void)index;
    }

    /// Entering (\p enter) or leaving a field with role \p role.
    virtual void Scope(uint8_t role, bool enter)
    {
        (void)role;
        (void)enter;
    }
};

/// \ingroup fortigate
/// Roles of the two members of an IPv4 transport address (TransportAddress.ipAddress in
/// H.225.0, UnicastAddress.iPAddress in H.245).
enum PerAddressPart : uint8_t
{
    PER_IP = 250,   //!< the 4-octet address
    PER_PORT = 251, //!< the port that follows it
};

/// \ingroup fortigate
/// The outcome of a decoding.
enum class PerResult : uint8_t
{
    OK,        //!< the whole value decoded
    STOPPED,   //!< stopped at a member the table does not describe (what came before is valid)
    MALFORMED, //!< a length or value broke the encoding or its constraints
    TOO_DEEP,  //!< nesting beyond the bound
};

/// \ingroup fortigate
/// \return a name for \p r
const char* PerResultName(PerResult r);

/**
 * \ingroup fortigate
 * Decode one value of \p type from \p data bytes [\p begin, \p end), reporting to \p visitor.
 * Bounded: nesting at most \p maxDepth, SEQUENCE OF counts checked against the bits left (and
 * at most 1024 elements), no allocation.
 */
PerResult PerDecode(const PerType& type,
                    const uint8_t* data,
                    std::size_t begin,
                    std::size_t end,
                    PerVisitor& visitor,
                    unsigned maxDepth = 32);

} // namespace ns3

#endif // FORTIGATE_PER_DECODER_H
