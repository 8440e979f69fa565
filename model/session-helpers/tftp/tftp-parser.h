/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TFTP_PARSER_H
#define FORTIGATE_TFTP_PARSER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/// \ingroup fortigate
/// Well-known TFTP server port (RFC 1350).
constexpr uint16_t TFTP_PORT = 69;

/// \ingroup fortigate
/// Data bytes per DATA packet without a negotiated blksize (RFC 1350).
constexpr std::size_t TFTP_BLOCK_SIZE = 512;

/// \ingroup fortigate
/// Largest data field a DATA packet may carry (RFC 2348 blksize upper bound).
constexpr std::size_t TFTP_MAX_BLOCK_SIZE = 65464;

/**
 * \ingroup fortigate
 * One TFTP packet (RFC 1350, with the option extension of RFC 2347), parsed from bytes.
 *
 * Pure C++ (no ns-3 types): used by the TFTP session helper, the TFTP applications, the tests
 * and the offline replay tool.
 */
struct TftpPacket
{
    /// TFTP opcodes.
    enum Op : uint16_t
    {
        RRQ = 1,   //!< read request
        WRQ = 2,   //!< write request
        DATA = 3,  //!< data block
        ACK = 4,   //!< acknowledgement
        ERROR = 5, //!< error
        OACK = 6,  //!< option acknowledgement (RFC 2347)
    };

    Op op{RRQ};                //!< opcode
    std::string filename;      //!< RRQ/WRQ: file name (may be empty; bytes as sent)
    std::string mode;          //!< RRQ/WRQ: transfer mode as sent (case preserved)
    uint16_t block{0};         //!< DATA/ACK: block number
    uint16_t errorCode{0};     //!< ERROR: error code
    std::string errorMsg;      //!< ERROR: message text
    std::size_t dataLength{0}; //!< DATA: bytes of data (starting at dataOffset)
    std::size_t dataOffset{0}; //!< DATA: offset of the data bytes in the packet (always 4)
    /// RRQ/WRQ/OACK: RFC 2347 options (name, value) in packet order, names as sent
    std::vector<std::pair<std::string, std::string>> options;
};

/**
 * \ingroup fortigate
 * Parse one TFTP packet (the UDP payload).
 *
 * Strict: the opcode must be 1..6; RRQ/WRQ need a NUL-terminated file name (may be empty) and a
 * NUL-terminated mode that is netascii, octet or mail (any case), optionally followed by
 * complete RFC 2347 option pairs (non-empty name, value; both NUL-terminated) and nothing else;
 * DATA needs at least the 4-byte header and at most TFTP_MAX_BLOCK_SIZE data bytes; ACK is
 * exactly 4 bytes; ERROR is code, message, NUL and nothing after; OACK is at least one complete
 * option pair. Never reads past \p len.
 *
 * \param data the bytes
 * \param len the number of bytes
 * \param out filled on success (reset first); unspecified on failure
 * \return true when the bytes are one well-formed TFTP packet
 */
bool ParseTftp(const uint8_t* data, std::size_t len, TftpPacket& out);

/// \return true when \p mode is netascii, octet or mail (case-insensitive)
bool IsTftpMode(const std::string& mode);

/// \return "RRQ", "WRQ", "DATA", "ACK", "ERROR", "OACK" or "?"
const char* TftpOpName(uint16_t op);

/**
 * Build an RRQ or WRQ.
 * \throws ConfigError when \p op is not RRQ/WRQ, \p filename contains a NUL byte or \p mode is
 *         not a TFTP mode
 */
std::vector<uint8_t> BuildTftpRequest(TftpPacket::Op op,
                                      const std::string& filename,
                                      const std::string& mode = "octet");

/**
 * Build a DATA packet.
 * \throws ConfigError when \p len exceeds TFTP_MAX_BLOCK_SIZE
 */
std::vector<uint8_t> BuildTftpData(uint16_t block, const uint8_t* bytes, std::size_t len);

/// Build a DATA packet (see the pointer overload).
std::vector<uint8_t> BuildTftpData(uint16_t block, const std::vector<uint8_t>& bytes);

/// Build an ACK packet.
std::vector<uint8_t> BuildTftpAck(uint16_t block);

/**
 * Build an ERROR packet.
 * \throws ConfigError when \p msg contains a NUL byte
 */
std::vector<uint8_t> BuildTftpError(uint16_t code, const std::string& msg);

/// \ingroup fortigate
/// RFC 1350 error codes.
enum TftpErrorCode : uint16_t
{
    TFTP_ERR_UNDEFINED = 0,    //!< not defined, see message
    TFTP_ERR_NOT_FOUND = 1,    //!< file not found
    TFTP_ERR_ACCESS = 2,       //!< access violation
    TFTP_ERR_DISK_FULL = 3,    //!< disk full or allocation exceeded
    TFTP_ERR_ILLEGAL_OP = 4,   //!< illegal TFTP operation
    TFTP_ERR_UNKNOWN_TID = 5,  //!< unknown transfer ID
    TFTP_ERR_FILE_EXISTS = 6,  //!< file already exists
    TFTP_ERR_NO_SUCH_USER = 7, //!< no such user
};

/**
 * \ingroup fortigate
 * Byte \p offset of the deterministic content of the generated files the TFTP server offers
 * ("file-<size>"). Position-dependent (a block delivered at the wrong place is detected).
 */
uint8_t TftpFileByte(uint64_t offset);

/**
 * Fill \p out with \p len bytes of generated content starting at \p offset.
 */
void TftpFileBytes(uint64_t offset, std::size_t len, uint8_t* out);

/**
 * Recognise a generated-file name "file-<size>" (size in decimal bytes, no sign, no leading
 * zeros except "file-0", at most 12 digits).
 * \return true and the size in \p size when \p name is such a name
 */
bool ParseTftpGeneratedName(const std::string& name, uint64_t& size);

} // namespace ns3

#endif // FORTIGATE_TFTP_PARSER_H
