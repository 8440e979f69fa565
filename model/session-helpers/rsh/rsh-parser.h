/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_RSH_PARSER_H
#define FORTIGATE_RSH_PARSER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup fortigate
/// rshd (remote shell) TCP port.
constexpr uint16_t RSH_PORT = 514;

/// \ingroup fortigate
/// rexecd (remote execution) TCP port; its start also begins with the stderr port.
constexpr uint16_t REXEC_PORT = 512;

/// \ingroup fortigate
/// Longest user name ParseRshStart accepts (bytes, without the NUL).
constexpr std::size_t RSH_MAX_USER_LENGTH = 255;

/// \ingroup fortigate
/// Longest command ParseRshStart accepts (bytes, without the NUL).
constexpr std::size_t RSH_MAX_COMMAND_LENGTH = 65535;

/**
 * \ingroup fortigate
 * The start of an rsh session, as the client sends it on the TCP connection to port 514:
 * the stderr port in ASCII decimal, NUL ("0" or "" = no stderr channel), local user, NUL,
 * remote user, NUL, command, NUL. (rexec on 512 sends port, user, password, command: the same
 * four fields, with localUser holding the user and remoteUser the password.)
 *
 * Pure C++ (no ns-3 types).
 */
struct RshStart
{
    uint16_t stderrPort{0};        //!< the port the server connects back to (0 = none)
    bool hasStderr{false};         //!< stderrPort != 0
    std::string localUser;         //!< client-side user name
    std::string remoteUser;        //!< server-side user name
    std::string command;           //!< the command line
    std::size_t portTextLength{0}; //!< digits of the port field (without its NUL)
    std::size_t length{0};         //!< bytes of the whole start (all four fields and NULs)
};

/**
 * \ingroup fortigate
 * Outcome of scanning the stderr-port field.
 */
enum class RshScan
{
    COMPLETE,   //!< the field is complete and valid
    INCOMPLETE, //!< valid so far, the NUL has not arrived yet
    INVALID,    //!< not an rsh start (non-digit, more than 5 digits, value > 65535)
};

/**
 * \ingroup fortigate
 * Scan the stderr-port field at the start of an rsh stream: at most 5 ASCII digits then NUL;
 * value 0..65535 (an empty field counts as 0, as BSD rcmd sends it).
 * \param data the first bytes the client sent
 * \param len how many
 * \param port the port on COMPLETE (0 = no stderr channel)
 * \param textLength the digits on COMPLETE (without the NUL)
 */
RshScan ScanRshStderrPort(const uint8_t* data,
                          std::size_t len,
                          uint16_t& port,
                          std::size_t& textLength);

/**
 * \ingroup fortigate
 * The stderr port the client announces: what the RSH session helper needs.
 * \return -1 when the field is incomplete or invalid, 0 when there is no stderr channel, else
 *         the port (1..65535)
 */
int ParseRshStderrPort(const uint8_t* data, std::size_t len);

/**
 * \ingroup fortigate
 * Parse the whole start (all four NUL-terminated fields). Bytes after the command's NUL (stdin
 * data) are allowed and not consumed (see RshStart::length).
 * \return false when incomplete or invalid (bad port field, user longer than
 *         RSH_MAX_USER_LENGTH, command longer than RSH_MAX_COMMAND_LENGTH)
 */
bool ParseRshStart(const uint8_t* data, std::size_t len, RshStart& out);

/**
 * \ingroup fortigate
 * Build a start.
 * \throws ConfigError when a field contains a NUL byte or is too long
 */
std::vector<uint8_t> BuildRshStart(uint16_t stderrPort,
                                   const std::string& localUser,
                                   const std::string& remoteUser,
                                   const std::string& command);

/**
 * \ingroup fortigate
 * Byte \p offset of the deterministic output of the "generate <n>" command of the RSH server.
 */
uint8_t RshOutputByte(uint64_t offset);

/**
 * \ingroup fortigate
 * Recognise "generate <n>" (n decimal, at most 12 digits).
 * \return true and n in \p size
 */
bool ParseRshGenerateCommand(const std::string& command, uint64_t& size);

} // namespace ns3

#endif // FORTIGATE_RSH_PARSER_H
