/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PCAP_READER_H
#define FORTIGATE_PCAP_READER_H

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

// The capture files of the offline tools and tests: libpcap reads them (pcap and pcapng);
// this file adds only what libpcap lacks, finding the IPv4 packet inside a link-layer frame
// (VLAN/QinQ tags, PPPoE, Linux cooked, loopback). Captures are written with ns-3's PcapFile.

/// \ingroup fortigate
/// Link-layer types (tcpdump.org LINKTYPE_* values) the capture code knows.
enum CaptureLinkType : uint32_t
{
    LINKTYPE_NULL = 0,         //!< BSD loopback: 4-byte address family in host byte order
    LINKTYPE_ETHERNET = 1,     //!< Ethernet II (802.1Q/802.1ad tags and PPPoE are unwrapped)
    LINKTYPE_RAW = 101,        //!< raw IP (version from the first nibble)
    LINKTYPE_LOOP = 108,       //!< OpenBSD loopback: 4-byte address family in network order
    LINKTYPE_LINUX_SLL = 113,  //!< Linux "cooked" capture v1 (16-byte header)
    LINKTYPE_IPV4 = 228,       //!< raw IPv4
    LINKTYPE_LINUX_SLL2 = 276, //!< Linux "cooked" capture v2 (20-byte header)
};

/**
 * \ingroup fortigate
 * A capture file that cannot be read: not a pcap/pcapng file, or a malformed header. The
 * message names the file (when known), the byte offset and what is wrong.
 */
class CaptureError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

/**
 * \ingroup fortigate
 * One packet of a capture file. Pure data.
 */
struct CaptureRecord
{
    int64_t timeNs{0};          //!< capture time, nanoseconds since 1970-01-01 UTC
    uint32_t linkType{0};       //!< LINKTYPE_* of the packet
    uint32_t originalLength{0}; //!< length on the wire (may exceed data.size() with a snaplen)
    std::vector<uint8_t> data;  //!< captured bytes, starting at the link-layer header
};

/// \ingroup fortigate
/// What ParseCapture() read.
struct CaptureFile
{
    /// File format.
    enum Format
    {
        PCAP,   //!< classic libpcap (microsecond or nanosecond)
        PCAPNG, //!< pcapng
    };

    Format format{PCAP};                //!< the format found
    uint32_t linkType{0};               //!< LINKTYPE_* of every packet (libpcap: one per file)
    std::vector<CaptureRecord> records; //!< packets in file order
    std::string warning; //!< non-fatal problem (e.g. the file ends inside a record: the complete
                         //!< records before it are kept)
};

/**
 * Parse a whole pcap or pcapng capture held in memory, with libpcap (both byte orders,
 * microsecond or nanosecond pcap, pcapng sections with their interface time-stamp resolutions
 * and offsets). libpcap reads one link type per file: a pcapng file whose interfaces have
 * different link types is refused. A packet without a time stamp (pcapng simple packet block)
 * gets the time of the packet before it.
 *
 * A file that ends or breaks inside a record keeps the records before it and sets
 * CaptureFile::warning (libpcap's message).
 * \param bytes the file contents
 * \param len number of bytes
 * \param name file name for error messages
 * \throws CaptureError when the data is not a capture file (the message gives the magic
 *         number found) or libpcap cannot read its header (libpcap's message)
 */
CaptureFile ParseCapture(const uint8_t* bytes, std::size_t len, const std::string& name = "");

/**
 * Read and parse a capture file (ParseCapture on its contents).
 * \throws CaptureError when the file cannot be read or parsed
 */
CaptureFile ReadCaptureFile(const std::string& path);

/// \ingroup fortigate
/// Where the IPv4 packet is inside a link-layer frame (FindIpv4()).
struct LinkPayload
{
    /// Result of the search.
    enum Kind
    {
        IPV4,             //!< an IPv4 packet starts at offset
        NOT_IPV4,         //!< another network protocol (see etherType)
        TRUNCATED,        //!< the frame ends inside a link-layer header
        UNSUPPORTED_LINK, //!< a link type FindIpv4 does not decode
    };

    Kind kind{UNSUPPORTED_LINK}; //!< result
    std::size_t offset{0};       //!< IPV4: first byte of the IPv4 header
    uint16_t etherType{0};       //!< NOT_IPV4: the EtherType (or PPP protocol / address family)
    std::string what;            //!< short description for NOT_IPV4, e.g. "ARP", "IPv6"
};

/**
 * Find the IPv4 packet in a captured frame: Ethernet II with any number of 802.1Q / 802.1ad
 * tags and PPPoE session frames, Linux cooked v1/v2, BSD/OpenBSD loopback, raw IP.
 * Never reads past \p len.
 */
LinkPayload FindIpv4(uint32_t linkType, const uint8_t* frame, std::size_t len);

/// \return a name for a link type ("Ethernet", "Linux cooked", ...) or "LINKTYPE <n>".
std::string LinkTypeName(uint32_t linkType);

} // namespace ns3

#endif // FORTIGATE_PCAP_READER_H
