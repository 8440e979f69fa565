/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_ONC_RPC_PARSER_H
#define FORTIGATE_ONC_RPC_PARSER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup fortigate
/// Portmapper / rpcbind port (RFC 1833), TCP and UDP.
constexpr uint16_t PMAP_PORT = 111;

/// \ingroup fortigate
/// Portmapper / rpcbind program number (RFC 1833).
constexpr uint32_t PMAP_PROGRAM = 100000;

/// \ingroup fortigate
/// PMAPPROC_GETPORT (v2) and RPCBPROC_GETADDR (v3, v4) share procedure number 3.
constexpr uint32_t PMAP_PROC_GETPORT = 3;

/// \ingroup fortigate
/// Largest record (or record fragment) accepted over TCP, bytes: larger marks are refused as
/// lies (a portmapper message is a few hundred bytes).
constexpr uint32_t ONC_RPC_MAX_RECORD = 65536;

/**
 * \ingroup fortigate
 * The header of one ONC-RPC message (RFC 5531 section 9), parsed from bytes. Pure C++ (no ns-3
 * types): used by the pmap session helper, the portmapper applications, the tests and the
 * replay tool.
 */
struct OncRpcMessage
{
    uint32_t xid{0};           //!< transaction id
    bool call{false};          //!< CALL (true) or REPLY (false)
    uint32_t prog{0};          //!< CALL: program
    uint32_t vers{0};          //!< CALL: program version
    uint32_t proc{0};          //!< CALL: procedure
    bool accepted{false};      //!< REPLY: MSG_ACCEPTED
    uint32_t acceptStat{0};    //!< REPLY accepted: accept_stat (0 = SUCCESS)
    std::size_t bodyOffset{0}; //!< offset of the procedure arguments / results
};

/**
 * \ingroup fortigate
 * Parse one ONC-RPC message (a UDP payload, or one complete TCP record without its mark).
 * Checks rpcvers 2, opaque_auth lengths (at most 400 bytes each, RFC 5531) inside the
 * message, and that every field read lies within \p len. Never reads past \p len.
 * \return true when the bytes hold a CALL, or a REPLY with MSG_ACCEPTED or MSG_DENIED
 */
bool ParseOncRpc(const uint8_t* data, std::size_t len, OncRpcMessage& out);

/**
 * \ingroup fortigate
 * The complete records at the start of a TCP payload (RFC 5531 section 11 record marking):
 * each a single last fragment (mark with the top bit set) of 1..ONC_RPC_MAX_RECORD bytes.
 * A record of several fragments, a mark of 0 or 2^31 (empty fragment), or a length over the
 * maximum stops the walk (\p bad set); a record cut at the end of the payload stops it too
 * (\p bad clear: the rest follows in a later segment).
 */
struct OncRpcRecord
{
    std::size_t offset{0}; //!< offset of the record's first byte (after its mark)
    std::size_t length{0}; //!< its length
};

/**
 * \ingroup fortigate
 * Split a TCP payload into complete records (see OncRpcRecord).
 * \param bad set when a mark is invalid (0, 2^31, too long, not the last fragment)
 * \return the complete records, in order
 */
std::vector<OncRpcRecord> SplitOncRpcRecords(const uint8_t* data, std::size_t len, bool& bad);

/**
 * \ingroup fortigate
 * Arguments of PMAPPROC_GETPORT (v2) or RPCBPROC_GETADDR (v3/v4), parsed from a CALL's body.
 */
struct PmapRequest
{
    uint32_t prog{0};  //!< program asked for
    uint32_t vers{0};  //!< its version
    uint8_t proto{0};  //!< IP protocol asked for (6 or 17; from netid "tcp"/"udp" for v3/v4)
    std::string netid; //!< v3/v4: netid as sent
    std::string addr;  //!< v3/v4: universal address as sent (usually empty)
};

/**
 * \ingroup fortigate
 * Parse the arguments of a portmapper GETPORT (\p vers 2) or rpcbind GETADDR (\p vers 3, 4)
 * CALL body at \p data. \return false when they are cut or lie about a string length
 */
bool ParsePmapRequest(const uint8_t* data, std::size_t len, uint32_t vers, PmapRequest& out);

/**
 * \ingroup fortigate
 * The answer of a GETPORT (port) or GETADDR (universal address) REPLY body.
 */
struct PmapReply
{
    uint16_t port{0};           //!< the program's port (0 = not registered)
    uint32_t addr{0};           //!< v3/v4: the address of the universal address (host order)
    std::string uaddr;          //!< v3/v4: the universal address as sent
    std::size_t uaddrOffset{0}; //!< v3/v4: offset of its XDR string (the length word) in the body
};

/**
 * \ingroup fortigate
 * Parse a GETPORT (\p vers 2: one unsigned int, at most 65535) or GETADDR (\p vers 3/4: an XDR
 * string holding a universal address, or empty for "not registered") REPLY body.
 */
bool ParsePmapReply(const uint8_t* data, std::size_t len, uint32_t vers, PmapReply& out);

/**
 * \ingroup fortigate
 * Parse an IPv4 universal address "h1.h2.h3.h4.p1.p2" (RFC 5665 section 5.2.3.3).
 * \return false when it is not six decimal numbers 0..255 separated by dots
 */
bool ParseUniversalAddress(const std::string& s, uint32_t& addr, uint16_t& port);

/// \return the universal address of \p addr (host order) and \p port
std::string FormatUniversalAddress(uint32_t addr, uint16_t port);

/// \return \p s as an XDR string (length word, bytes, zero padding to 4)
std::string XdrString(const std::string& s);

/**
 * \ingroup fortigate
 * Build a CALL with AUTH_NONE credentials and verifier and the XDR arguments \p args.
 */
std::vector<uint8_t> BuildOncRpcCall(uint32_t xid,
                                     uint32_t prog,
                                     uint32_t vers,
                                     uint32_t proc,
                                     const std::string& args);

/**
 * \ingroup fortigate
 * Build an accepted REPLY (AUTH_NONE verifier) with accept_stat \p acceptStat and results
 * \p results.
 */
std::vector<uint8_t> BuildOncRpcReply(uint32_t xid,
                                      uint32_t acceptStat,
                                      const std::string& results);

/// \return GETPORT (v2) arguments: prog, vers, prot, port 0
std::string PmapGetportArgs(uint32_t prog, uint32_t vers, uint8_t proto);

/// \return GETADDR (v3/v4) arguments: prog, vers, netid, empty addr, empty owner
std::string RpcbGetaddrArgs(uint32_t prog, uint32_t vers, const std::string& netid);

/// \return \p record with its TCP record mark (one last fragment) in front
std::vector<uint8_t> AddRecordMark(const std::vector<uint8_t>& record);

/// \return a 32-bit big-endian XDR unsigned int
std::string XdrUint(uint32_t v);

/**
 * \ingroup fortigate
 * Fuzzing entry point (libFuzzer's LLVMFuzzerTestOneInput body): runs every ONC-RPC parser
 * over \p data. \return 0
 */
int FuzzOncRpc(const uint8_t* data, std::size_t len);

} // namespace ns3

#endif // FORTIGATE_ONC_RPC_PARSER_H
