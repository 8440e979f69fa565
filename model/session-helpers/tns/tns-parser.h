/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TNS_PARSER_H
#define FORTIGATE_TNS_PARSER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup fortigate
/// Oracle listener port.
constexpr uint16_t TNS_PORT = 1521;

/// TNS packet types (Wireshark's packet-tns.c names them).
enum TnsType : uint8_t
{
    TNS_CONNECT = 1,  //!< client: connect data
    TNS_ACCEPT = 2,   //!< listener/server: accepted
    TNS_REFUSE = 4,   //!< refused
    TNS_REDIRECT = 5, //!< listener: go to another address
    TNS_DATA = 6,     //!< data
    TNS_RESEND = 11,  //!< send the CONNECT again
};

/**
 * \ingroup fortigate
 * One TNS packet, parsed from bytes. Pure C++ (no ns-3 types).
 *
 * The header is 8 bytes: packet length (16 bits, or 32 bits once a version >= 315 ACCEPT has
 * been seen on the connection), checksum, type, flags, header checksum. CONNECT carries its
 * connect data at (length at 24, offset at 26), ACCEPT at (18, 20), REDIRECT right after a
 * length at 8, REFUSE after a length at 10.
 */
struct TnsPacket
{
    uint8_t type{0};           //!< TnsType
    uint32_t length{0};        //!< packet length from the header
    uint16_t version{0};       //!< CONNECT/ACCEPT: protocol version
    std::size_t dataOffset{0}; //!< connect data offset (CONNECT/ACCEPT/REDIRECT/REFUSE; 0: none)
    std::size_t dataLength{0}; //!< its length
};

/**
 * \ingroup fortigate
 * Parse the TNS packet at the start of \p data. \p largeLength: the connection uses 32-bit
 * packet lengths (a version >= 315 ACCEPT went by). The packet must be complete within \p len
 * and its connect data within the packet. Never reads past \p len.
 * \return true for a complete, well-formed packet
 */
bool ParseTns(const uint8_t* data, std::size_t len, bool largeLength, TnsPacket& out);

/**
 * \ingroup fortigate
 * An `(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=p))` found in connect data (keywords in any case,
 * blanks allowed around '=' and parentheses as Oracle's Net syntax allows).
 */
struct TnsAddress
{
    std::string host;          //!< HOST value as written
    uint16_t port{0};          //!< PORT value
    std::size_t hostOffset{0}; //!< offset of the HOST value in the text
    std::size_t hostLength{0}; //!< its length
    std::size_t portOffset{0}; //!< offset of the PORT value
    std::size_t portLength{0}; //!< its length
};

/**
 * \ingroup fortigate
 * Find the first TCP ADDRESS with a HOST and a PORT in \p text.
 * \return false when there is none (or its PORT is not 1..65535)
 */
bool FindTnsAddress(const std::string& text, TnsAddress& out);

/**
 * \ingroup fortigate
 * Rebuild \p packet (one complete REDIRECT, CONNECT or ACCEPT, 16-bit lengths) with its
 * connect data replaced by \p data, fixing the packet length and the connect-data length
 * fields. \return the new packet, or empty when \p data makes it longer than 65535 bytes
 */
std::vector<uint8_t> ReplaceTnsConnectData(const uint8_t* packet,
                                           const TnsPacket& parsed,
                                           const std::string& data);

/// \return a CONNECT (version 314) carrying \p connectData
std::vector<uint8_t> BuildTnsConnect(const std::string& connectData);

/// \return an ACCEPT of \p version (no connect data)
std::vector<uint8_t> BuildTnsAccept(uint16_t version);

/// \return a REDIRECT carrying \p connectData
std::vector<uint8_t> BuildTnsRedirect(const std::string& connectData);

/// \return a RESEND
std::vector<uint8_t> BuildTnsResend();

/// \return a DATA packet (16-bit length) carrying \p payload after the two data-flag bytes
std::vector<uint8_t> BuildTnsData(const std::string& payload);

/// \return "(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=p))"
std::string TnsAddressText(const std::string& host, uint16_t port);

/**
 * \ingroup fortigate
 * Fuzzing entry point: runs every TNS parser over \p data. \return 0
 */
int FuzzTns(const uint8_t* data, std::size_t len);

} // namespace ns3

#endif // FORTIGATE_TNS_PARSER_H
