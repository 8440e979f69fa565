/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PCAP_READER_H
#define FORTIGATE_PCAP_READER_H

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

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
    uint32_t linkType{0};       //!< LINKTYPE_* of the packet's interface
    uint32_t interfaceId{0};    //!< pcapng interface id (0 for pcap)
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
        PCAPNG, //!< pcapng (SHB, IDB, EPB, SPB, OPB; other blocks skipped)
    };

    Format format{PCAP};                     //!< the format found
    std::vector<CaptureRecord> records;      //!< packets in file order
    std::vector<uint32_t> linkTypes;         //!< pcap: the one link type; pcapng: per interface id
    std::vector<std::string> interfaceNames; //!< pcapng if_name per interface ("" when absent)
    std::string warning; //!< non-fatal problem (e.g. the file ends inside a record: the complete
                         //!< records before it are kept)
};

/**
 * Parse a whole pcap or pcapng capture held in memory. Both byte orders are accepted; pcap
 * with microsecond (0xa1b2c3d4) or nanosecond (0xa1b23c4d) time stamps; pcapng sections with
 * Section Header, Interface Description (if_tsresol, if_tsoffset, if_name), Enhanced Packet,
 * Simple Packet and the obsolete Packet block; any other block is skipped by its length.
 *
 * A file that ends inside a record keeps the records before it and sets CaptureFile::warning.
 * \param bytes the file contents
 * \param len number of bytes
 * \param name file name for error messages
 * \throws CaptureError when the data is not a capture file (the message gives the magic
 *         number found) or a header is malformed (the message gives the byte offset)
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

/**
 * \ingroup fortigate
 * Writes packets to a capture file: classic pcap (one link type, microsecond time stamps) or
 * pcapng (one interface per AddInterface(), named, nanosecond time stamps).
 */
class CaptureWriter
{
  public:
    /**
     * Create (truncate) \p path.
     * \param format PCAP or PCAPNG
     * \param linkType the link type of every packet (pcap) or the default for interfaces
     * \throws CaptureError when the file cannot be created
     */
    CaptureWriter(const std::string& path, CaptureFile::Format format,
                  uint32_t linkType = LINKTYPE_RAW);

    /**
     * Declare an interface (pcapng: an Interface Description Block with if_name; pcap: only
     * counted). Call before the first Write that uses it.
     * \return the interface id to pass to Write
     */
    uint32_t AddInterface(const std::string& name);

    /**
     * Write one packet.
     * \param timeNs nanoseconds since 1970-01-01 UTC
     * \param interfaceId id from AddInterface (ignored for pcap)
     * \param data the packet, starting at the link-layer header of the file's link type
     * \param len number of bytes
     * \throws CaptureError when the write fails
     */
    void Write(int64_t timeNs, uint32_t interfaceId, const uint8_t* data, std::size_t len);

    /// Flush and close (also done by the destructor). \throws CaptureError on a write error
    void Close();

    ~CaptureWriter();

    CaptureWriter(const CaptureWriter&) = delete;
    CaptureWriter& operator=(const CaptureWriter&) = delete;

  private:
    void Put(const void* p, std::size_t n);

    std::ofstream m_out;          //!< the file
    std::string m_path;           //!< its name (messages)
    CaptureFile::Format m_format; //!< format
    uint32_t m_linkType;          //!< link type
    uint32_t m_interfaces{0};     //!< interfaces declared
};

} // namespace ns3

#endif // FORTIGATE_PCAP_READER_H
