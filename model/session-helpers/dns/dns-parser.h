/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_DNS_PARSER_H
#define FORTIGATE_DNS_PARSER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup fortigate
/// DNS port, UDP and TCP.
constexpr uint16_t DNS_PORT = 53;

/// DNS record types used here.
enum DnsType : uint16_t
{
    DNS_TYPE_A = 1,     //!< IPv4 address
    DNS_TYPE_CNAME = 5, //!< canonical name
    DNS_TYPE_AAAA = 28, //!< IPv6 address
};

/**
 * \ingroup fortigate
 * One resource record of a DNS message (answer, authority or additional section).
 */
struct DnsRecord
{
    std::string name;           //!< owner name, dotted, lower case as sent
    uint16_t type{0};           //!< type
    uint16_t klass{0};          //!< class
    uint32_t ttl{0};            //!< TTL, s
    std::size_t rdataOffset{0}; //!< offset of the RDATA in the message
    uint16_t rdataLength{0};    //!< its length
    std::string target;         //!< CNAME: the name it points to (decompressed)
};

/**
 * \ingroup fortigate
 * One DNS message (RFC 1035 section 4), parsed from bytes. Pure C++ (no ns-3 types).
 */
struct DnsMessage
{
    uint16_t id{0};                 //!< transaction id
    bool response{false};           //!< QR flag
    uint8_t opcode{0};              //!< OPCODE
    uint8_t rcode{0};               //!< RCODE
    std::string qname;              //!< first question's name (dotted), empty when none
    uint16_t qtype{0};              //!< its type
    uint16_t qclass{0};             //!< its class
    uint16_t questions{0};          //!< QDCOUNT
    std::vector<DnsRecord> records; //!< answer, authority and additional records, in order
    uint16_t answers{0};            //!< ANCOUNT (the first \c answers records are answers)
};

/**
 * \ingroup fortigate
 * Read the (possibly compressed) name at \p offset of message \p msg. Safe against loops
 * (every pointer must point before the label that holds it), pointers out of range, labels
 * over 63 bytes, reserved label types (0x40, 0x80) and names over 255 bytes.
 * \param next set to the offset after the name where it starts (pointer: after the pointer)
 * \return false when the name is malformed
 */
bool ReadDnsName(const uint8_t* msg,
                 std::size_t len,
                 std::size_t offset,
                 std::string& name,
                 std::size_t& next);

/**
 * \ingroup fortigate
 * Parse one DNS message: header, every question (at most 16) and every record (at most
 * 256); all names and RDATA lengths checked against \p len. Never reads past \p len.
 * \return true when the whole message is well-formed
 */
bool ParseDns(const uint8_t* data, std::size_t len, DnsMessage& out);

/**
 * \ingroup fortigate
 * The messages of a DNS-over-TCP stream segment (RFC 1035 section 4.2.2: two-byte length,
 * then the message): (offset, length) of each complete message, in order.
 * \param consumed set to the bytes the complete messages take (the rest starts a message
 *        continued in a later segment)
 */
std::vector<std::pair<std::size_t, std::size_t>> SplitDnsTcp(const uint8_t* data,
                                                             std::size_t len,
                                                             std::size_t& consumed);

/// A record to build: name, type, TTL, and its RDATA (A: 4 bytes; CNAME: the target name).
struct DnsAnswer
{
    std::string name;  //!< owner name
    uint16_t type{0};  //!< DNS_TYPE_A, DNS_TYPE_AAAA or DNS_TYPE_CNAME
    uint32_t ttl{60};  //!< TTL
    std::string rdata; //!< A/AAAA: the address bytes; CNAME: the dotted target name
};

/// \return the wire form of dotted name \p name (uncompressed); empty when a label is over 63
std::string EncodeDnsName(const std::string& name);

/// \return a query (RD set) of \p name, \p type, class IN
std::vector<uint8_t> BuildDnsQuery(uint16_t id, const std::string& name, uint16_t type);

/**
 * \return a response to query \p id for \p name / \p type with \p answers (owner names
 * compressed to the question when equal), RCODE \p rcode
 */
std::vector<uint8_t> BuildDnsResponse(uint16_t id,
                                      const std::string& name,
                                      uint16_t type,
                                      const std::vector<DnsAnswer>& answers,
                                      uint8_t rcode = 0);

/// \return \p msg with its two-byte TCP length in front
std::vector<uint8_t> AddDnsTcpLength(const std::vector<uint8_t>& msg);

/**
 * \ingroup fortigate
 * One DNS translation rule (FortiOS `config firewall dnstranslation`): a resolved address in
 * src/netmask becomes the same host in dst/netmask. Addresses in host order.
 */
struct DnsTranslationRule
{
    uint32_t src{0};              //!< internal address or subnet
    uint32_t dst{0};              //!< external address or subnet
    uint32_t netmask{0xffffffff}; //!< mask of both
};

/**
 * \ingroup fortigate
 * The A-record rewrites DNS translation makes in answer \p m (parsed from \p msg): (offset
 * of the 4 RDATA bytes, new address) for each A record of the answer section whose address the
 * first matching rule of \p rules covers.
 */
std::vector<std::pair<std::size_t, uint32_t>> DnsTranslations(
    const DnsMessage& m,
    const uint8_t* msg,
    const std::vector<DnsTranslationRule>& rules);

/**
 * \ingroup fortigate
 * Fuzzing entry point: runs every DNS parser over \p data. \return 0
 */
int FuzzDns(const uint8_t* data, std::size_t len);

} // namespace ns3

#endif // FORTIGATE_DNS_PARSER_H
