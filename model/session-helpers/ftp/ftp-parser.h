/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FTP_PARSER_H
#define FORTIGATE_FTP_PARSER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Longest FTP control line (terminator included) the parser looks at; longer lines are ignored.
 */
constexpr std::size_t FTP_MAX_LINE_LENGTH = 512;

/**
 * \ingroup fortigate
 * One FTP control line that announces a data-connection address (RFC 959 / RFC 2428).
 *
 * The address/port text that a NAT rewrite replaces is the byte range
 * [textOffset, textOffset + textLength) of the buffer given to FindFtpAddressCommands:
 *
 * | kind     | example line                                       | range covers            |
 * |----------|----------------------------------------------------|-------------------------|
 * | PORT     | `PORT 10,0,1,2,234,231\r\n`                        | `10,0,1,2,234,231`      |
 * | EPRT     | `EPRT |1|10.0.1.2|56581|\r\n`                      | `|1|10.0.1.2|56581|`    |
 * | PASV_227 | `227 Entering Passive Mode (10,0,1,2,4,1).\r\n`    | `10,0,1,2,4,1`          |
 * | EPSV_229 | `229 Entering Extended Passive Mode (|||6446|)\r\n`| `|||6446|`              |
 *
 * i.e. for PORT and 227 the six comma-separated numbers (first digit of h1 to last digit of
 * p2), for EPRT and 229 everything from the first delimiter to the last one, both included
 * (parentheses of 229 excluded). Replacing the range with FormatFtpAddress(kind, addr, port,
 * delimiter) yields a correct line; its length may differ from textLength.
 */
struct FtpAddressCommand
{
    /// What announced the address.
    enum Kind
    {
        PORT,     //!< client command PORT h1,h2,h3,h4,p1,p2 (active mode)
        EPRT,     //!< client command EPRT |1|a.b.c.d|port| (extended active mode)
        PASV_227, //!< server reply 227 to PASV (passive mode)
        EPSV_229  //!< server reply 229 to EPSV (extended passive mode, port only)
    };

    Kind kind{PORT};           //!< command or reply kind
    uint32_t addr{0};          //!< announced IPv4 address, host order; 0 for EPSV_229
    uint16_t port{0};          //!< announced port (1..65535)
    std::size_t textOffset{0}; //!< start of the address/port text (see the table above)
    std::size_t textLength{0}; //!< length of the address/port text
    std::size_t lineStart{0};  //!< offset of the first byte of the line
    std::size_t lineEnd{0};    //!< offset just past the line's LF
    char delimiter{'|'};       //!< EPRT / 229 delimiter character ('|' for PORT / 227)
};

/**
 * \ingroup fortigate
 * Find the data-connection announcements in a piece of an FTP control stream.
 *
 * Offset 0 is taken as the start of a line. Only complete lines (ended by LF, optionally
 * preceded by CR) are parsed, as Linux's helper does: a trailing partial line yields nothing.
 * Lines longer than FTP_MAX_LINE_LENGTH bytes (terminator included) are ignored.
 *
 * \param data the bytes (the TCP payload of one segment, or a reassembled run of lines)
 * \param len number of bytes at \p data; nothing past it is read
 * \param fromClient true for the client→server direction (looks for PORT and EPRT commands,
 *        case-insensitive, at a line start); false for server→client (looks for `227 ` and
 *        `229 ` replies at a line start).
 *
 * Accepted forms:
 * - `PORT h1,h2,h3,h4,p1,p2`: one or more spaces after PORT, each number 1–3 digits and
 *   <= 255, nothing but spaces after p2;
 * - `EPRT <d>1<d>a.b.c.d<d>port<d>`: <d> any printable ASCII character (33–126) except digits
 *   and '.', net-prt 1 only (IPv6 `|2|` is ignored), dotted quad with 1–3 digit parts <= 255;
 * - `227 ` followed by text in which the first run of digits (not preceded by a digit or a
 *   comma) that starts a valid `h1,h2,h3,h4,p1,p2` not followed by a comma is the address
 *   (e.g. `227 Entering Passive Mode (10,0,1,2,4,1).`);
 * - `229 ` followed by text containing `(<d><d><d>port<d>)`.
 * A port of 0 or > 65535 rejects the line.
 *
 * \return the announcements in buffer order (usually zero or one)
 */
std::vector<FtpAddressCommand> FindFtpAddressCommands(const uint8_t* data,
                                                      std::size_t len,
                                                      bool fromClient);

/**
 * \ingroup fortigate
 * The replacement text for a FtpAddressCommand's [textOffset, textOffset + textLength) range.
 *
 * - PORT, PASV_227: `h1,h2,h3,h4,p1,p2`, e.g. "192,0,2,1,234,231";
 * - EPRT: `<d>1<d>a.b.c.d<d>port<d>`, e.g. "|1|192.0.2.1|56581|";
 * - EPSV_229: `<d><d><d>port<d>`, e.g. "|||56581|" (\p addr is not used).
 *
 * \param kind the kind of line
 * \param addr IPv4 address, host order
 * \param port port
 * \param delimiter the EPRT / 229 delimiter (pass the parsed one to keep the line's style)
 */
std::string FormatFtpAddress(FtpAddressCommand::Kind kind,
                             uint32_t addr,
                             uint16_t port,
                             char delimiter = '|');

/// \return the kind's name: "PORT", "EPRT", "227" or "229"
const char* FtpAddressKindName(FtpAddressCommand::Kind kind);

} // namespace ns3

#endif // FORTIGATE_FTP_PARSER_H
