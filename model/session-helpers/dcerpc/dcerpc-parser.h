/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_DCERPC_PARSER_H
#define FORTIGATE_DCERPC_PARSER_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup fortigate
/// DCE-RPC endpoint mapper port, TCP and UDP.
constexpr uint16_t DCERPC_EPM_PORT = 135;

/// \ingroup fortigate
/// Endpoint-mapper operation ept_map.
constexpr uint16_t EPM_OPNUM_MAP = 3;

/**
 * \ingroup fortigate
 * A DCE UUID in its text byte order (the order "e1af8308-5d1f-..." is written in), whatever
 * the data representation it travelled in.
 */
using DceUuid = std::array<uint8_t, 16>;

/// \return the endpoint mapper's interface UUID e1af8308-5d1f-11c9-91a4-08002b14a0fa
DceUuid EpmInterfaceUuid();

/// \return the NDR transfer syntax UUID 8a885d04-1ceb-11c9-9fe8-08002b104860
DceUuid NdrTransferSyntaxUuid();

/// \return \p u as "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lower case)
std::string DceUuidToString(const DceUuid& u);

/// Parse "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (either case). \return false when malformed
bool ParseDceUuid(const std::string& s, DceUuid& out);

/// DCE-RPC packet types used here (C706 chapter 12).
enum DceRpcType : uint8_t
{
    DCERPC_REQUEST = 0,   //!< request (CO and CL)
    DCERPC_RESPONSE = 2,  //!< response (CO and CL)
    DCERPC_FAULT = 3,     //!< fault
    DCERPC_BIND = 11,     //!< CO bind
    DCERPC_BIND_ACK = 12, //!< CO bind_ack
    DCERPC_ALTER = 14,    //!< CO alter_context
};

/**
 * \ingroup fortigate
 * One DCE-RPC PDU, connection-oriented (version 5, over TCP) or connectionless (version 4,
 * over UDP), parsed from bytes. Pure C++ (no ns-3 types).
 */
struct DceRpcPdu
{
    bool connectionless{false}; //!< version 4 (CL) rather than 5 (CO)
    uint8_t type{0};            //!< packet type (DceRpcType)
    uint8_t flags{0};           //!< CO pfc_flags, CL flags1
    bool littleEndian{false};   //!< integer representation (drep)
    bool fragmented{false};     //!< part of an RPC-layer fragmented call (not parsed further)
    std::size_t length{0};      //!< bytes of the whole PDU (CO frag_length; CL 80 + body)
    uint32_t callId{0};         //!< CO call_id; CL sequence number
    uint16_t contextId{0};      //!< CO request/response: presentation context
    uint16_t opnum{0};          //!< request: operation number
    DceUuid interfaceUuid{};    //!< CL: interface; CO: not in the PDU (see contexts)
    DceUuid activity{};         //!< CL: activity UUID
    std::size_t stubOffset{0};  //!< offset of the stub data (request/response)
    std::size_t stubLength{0};  //!< its length (without authentication trailer)
    /// CO bind / alter_context: (context id, abstract syntax) of each presentation context
    std::vector<std::pair<uint16_t, DceUuid>> contexts;
};

/**
 * \ingroup fortigate
 * Parse one DCE-RPC PDU at the start of \p data: CO (version 5.0/5.1; \p len may hold more
 * PDUs after it, the PDU must be complete) or CL (version 4, 80-byte header and its body).
 * Every length (frag_length, auth_length, body length, context counts) is checked against
 * \p len. Never reads past \p len. \return true for a complete, well-formed PDU
 */
bool ParseDceRpc(const uint8_t* data, std::size_t len, DceRpcPdu& out);

/**
 * \ingroup fortigate
 * An NDR protocol tower (C706 appendix L) of the TCP/IP or UDP/IP family: floor 1 the
 * interface, floor 3 the RPC protocol, floor 4 the port, floor 5 the IPv4 address. Tower
 * floors are little-endian; port and address big-endian.
 */
struct DceTower
{
    DceUuid interfaceUuid{};  //!< floor 1 UUID
    uint16_t versionMajor{0}; //!< floor 1 major version
    uint8_t proto{0};         //!< 6 (floor 4 id 0x07) or 17 (0x08); 0 when absent
    uint16_t port{0};         //!< floor 4 port
    uint32_t ip{0};           //!< floor 5 address (host order); 0 when absent
    std::size_t ipOffset{0};  //!< offset of the four address bytes in the parsed buffer (0: none)
};

/**
 * \ingroup fortigate
 * Parse a tower's floors (floor count first). \p base is added to ipOffset (the tower's
 * offset in the enclosing buffer). \return false when a floor count or length lies
 */
bool ParseDceTower(const uint8_t* data, std::size_t len, std::size_t base, DceTower& out);

/// \return the tower bytes for \p iface version \p major over \p proto (6/17) at \p ip:\p port
std::string BuildDceTower(const DceUuid& iface,
                          uint16_t major,
                          uint8_t proto,
                          uint32_t ip,
                          uint16_t port);

/**
 * \ingroup fortigate
 * Parse the stub of an ept_map request: the tower asked for (its interface). \return false
 * when the NDR lies (tower length past the stub, null tower)
 */
bool ParseEptMapRequest(const uint8_t* stub, std::size_t len, bool littleEndian, DceTower& out);

/**
 * \ingroup fortigate
 * Parse the stub of an ept_map response: its towers (ipOffset relative to \p stub) and the
 * status. \return false when the NDR lies (counts past the stub, more than 64 towers)
 */
bool ParseEptMapResponse(const uint8_t* stub,
                         std::size_t len,
                         bool littleEndian,
                         std::vector<DceTower>& towers,
                         uint32_t& status);

/// \return an ept_map request stub (little-endian NDR) asking for \p tower
std::string BuildEptMapRequestStub(const std::string& tower);

/// \return an ept_map response stub (little-endian NDR) with \p towers and \p status
std::string BuildEptMapResponseStub(const std::vector<std::string>& towers, uint32_t status);

/// \return a CO bind (little-endian) of context 0 to \p iface version \p major, call \p callId
std::vector<uint8_t> BuildDceBind(uint32_t callId, const DceUuid& iface, uint16_t major);

/// \return a CO bind_ack (little-endian) accepting context 0, call \p callId
std::vector<uint8_t> BuildDceBindAck(uint32_t callId);

/**
 * \ingroup fortigate
 * \return a CO request (type DCERPC_REQUEST) or response (DCERPC_RESPONSE), little-endian,
 * single fragment, context 0, with \p stub
 */
std::vector<uint8_t> BuildDceCo(uint8_t type,
                                uint32_t callId,
                                uint16_t opnum,
                                const std::string& stub);

/**
 * \ingroup fortigate
 * \return a CL request or response (little-endian, single fragment) of \p iface, activity
 * \p activity, sequence \p seq, with \p stub
 */
std::vector<uint8_t> BuildDceCl(uint8_t type,
                                const DceUuid& iface,
                                const DceUuid& activity,
                                uint32_t seq,
                                uint16_t opnum,
                                const std::string& stub);

/**
 * \ingroup fortigate
 * Fuzzing entry point: runs every DCE-RPC parser over \p data. \return 0
 */
int FuzzDceRpc(const uint8_t* data, std::size_t len);

} // namespace ns3

#endif // FORTIGATE_DCERPC_PARSER_H
