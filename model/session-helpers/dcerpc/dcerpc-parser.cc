/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dcerpc-parser.h"

#include <boost/endian/conversion.hpp>

namespace ns3
{

using namespace boost::endian;

namespace
{
/// Most towers an ept_map response may carry before it is taken for a lie.
constexpr uint32_t MAX_TOWERS = 64;

/// A bounds-checked reader with the PDU's integer representation.
struct NdrReader
{
    const uint8_t* p;   //!< bytes
    std::size_t len;    //!< their number
    bool le;            //!< little-endian integers
    std::size_t pos{0}; //!< next byte

    /// \return true when \p n more bytes are there
    bool Has(std::size_t n) const
    {
        return n <= len - pos;
    }

    /// Read a 16-bit integer. \return false when cut
    bool U16(uint16_t& v)
    {
        if (!Has(2))
        {
            return false;
        }
        v = le ? load_little_u16(p + pos) : load_big_u16(p + pos);
        pos += 2;
        return true;
    }

    /// Read a 32-bit integer. \return false when cut
    bool U32(uint32_t& v)
    {
        if (!Has(4))
        {
            return false;
        }
        v = le ? load_little_u32(p + pos) : load_big_u32(p + pos);
        pos += 4;
        return true;
    }

    /// Read a UUID (first three fields in the representation). \return false when cut
    bool Uuid(DceUuid& u)
    {
        if (!Has(16))
        {
            return false;
        }
        const uint8_t* b = p + pos;
        for (int i = 0; i < 16; ++i)
        {
            u[i] = b[i];
        }
        if (le)
        {
            std::swap(u[0], u[3]);
            std::swap(u[1], u[2]);
            std::swap(u[4], u[5]);
            std::swap(u[6], u[7]);
        }
        pos += 16;
        return true;
    }

    /// Skip to a multiple of 4 from the start. \return false when cut
    bool Align4()
    {
        const std::size_t to = (pos + 3) & ~static_cast<std::size_t>(3);
        if (to > len)
        {
            return false;
        }
        pos = to;
        return true;
    }
};

/// Little-endian writers for the builders.
void
PutLe16(std::string& s, uint16_t v)
{
    s.push_back(static_cast<char>(v & 0xff));
    s.push_back(static_cast<char>(v >> 8));
}

void
PutLe32(std::string& s, uint32_t v)
{
    PutLe16(s, static_cast<uint16_t>(v & 0xffff));
    PutLe16(s, static_cast<uint16_t>(v >> 16));
}

/// Append \p u in little-endian representation.
void
PutUuidLe(std::string& s, const DceUuid& u)
{
    const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    for (int i : order)
    {
        s.push_back(static_cast<char>(u[i]));
    }
}

/// Pad \p s with zeros to a multiple of 4.
void
Pad4(std::string& s)
{
    s.append((4 - s.size() % 4) % 4, '\0');
}

/// \return the CO common header (little-endian) with frag_length set for \p body
std::vector<uint8_t>
CoPdu(uint8_t type, uint32_t callId, const std::string& body)
{
    std::string s = {5, 0, static_cast<char>(type), 0x03, 0x10, 0, 0, 0};
    PutLe16(s, static_cast<uint16_t>(16 + body.size()));
    PutLe16(s, 0);
    PutLe32(s, callId);
    s += body;
    return std::vector<uint8_t>(s.begin(), s.end());
}

/// Parse a CO PDU (version 5).
bool
ParseCo(const uint8_t* data, std::size_t len, DceRpcPdu& out)
{
    if (len < 16 || data[1] > 1)
    {
        return false;
    }
    out.type = data[2];
    out.flags = data[3];
    out.littleEndian = (data[4] & 0x10) != 0;
    NdrReader r{data, len, out.littleEndian, 8};
    uint16_t fragLen = 0;
    uint16_t authLen = 0;
    r.U16(fragLen);
    r.U16(authLen);
    r.U32(out.callId);
    if (fragLen < 16 || fragLen > len)
    {
        return false; // cut, or a frag_length that lies
    }
    out.length = fragLen;
    // The PDU ends at frag_length; an authentication trailer (8 bytes + auth_length) before it.
    const std::size_t trailer = authLen ? 8u + authLen : 0u;
    if (trailer > fragLen - 16u)
    {
        return false;
    }
    r.len = fragLen - trailer;
    out.fragmented = (out.flags & 0x03) != 0x03; // not both PFC_FIRST_FRAG and PFC_LAST_FRAG
    if (out.type == DCERPC_REQUEST || out.type == DCERPC_RESPONSE)
    {
        uint32_t allocHint = 0;
        if (!r.U32(allocHint) || !r.U16(out.contextId))
        {
            return false;
        }
        if (out.type == DCERPC_REQUEST)
        {
            if (!r.U16(out.opnum))
            {
                return false;
            }
            DceUuid object;
            if ((out.flags & 0x80) && !r.Uuid(object))
            {
                return false;
            }
        }
        else if (!r.Has(2))
        {
            return false;
        }
        else
        {
            r.pos += 2; // cancel_count, reserved
        }
        out.stubOffset = r.pos;
        out.stubLength = r.len - r.pos;
        return true;
    }
    if (out.type == DCERPC_BIND || out.type == DCERPC_ALTER)
    {
        uint16_t maxXmit = 0;
        uint16_t maxRecv = 0;
        uint32_t group = 0;
        if (!r.U16(maxXmit) || !r.U16(maxRecv) || !r.U32(group) || !r.Has(4))
        {
            return false;
        }
        const uint8_t n = data[r.pos];
        r.pos += 4;
        for (uint8_t i = 0; i < n; ++i)
        {
            uint16_t id = 0;
            DceUuid abstract;
            uint32_t ver = 0;
            if (!r.U16(id) || !r.Has(2))
            {
                return false; // a context count that lies
            }
            const uint8_t nTransfer = data[r.pos];
            r.pos += 2;
            if (!r.Uuid(abstract) || !r.U32(ver) || !r.Has(20u * nTransfer))
            {
                return false;
            }
            r.pos += 20u * nTransfer;
            out.contexts.emplace_back(id, abstract);
        }
    }
    return true;
}

/// Parse a CL PDU (version 4).
bool
ParseCl(const uint8_t* data, std::size_t len, DceRpcPdu& out)
{
    if (len < 80)
    {
        return false;
    }
    out.connectionless = true;
    out.type = data[1];
    out.flags = data[2];
    out.littleEndian = (data[4] & 0x10) != 0;
    out.fragmented = (out.flags & 0x04) != 0; // PF_FRAG
    NdrReader r{data, len, out.littleEndian, 8};
    DceUuid object;
    uint32_t boot = 0;
    uint32_t ifVers = 0;
    uint16_t ihint = 0;
    uint16_t ahint = 0;
    uint16_t bodyLen = 0;
    r.Uuid(object);
    r.Uuid(out.interfaceUuid);
    r.Uuid(out.activity);
    r.U32(boot);
    r.U32(ifVers);
    r.U32(out.callId);
    r.U16(out.opnum);
    r.U16(ihint);
    r.U16(ahint);
    r.U16(bodyLen);
    if (bodyLen > len - 80)
    {
        return false; // a body length that lies
    }
    out.length = 80u + bodyLen;
    out.stubOffset = 80;
    out.stubLength = bodyLen;
    return true;
}

/// Read a conformant octet string holding a tower (length, max count, bytes, pad).
bool
ReadTower(NdrReader& r, DceTower& out)
{
    uint32_t towerLen = 0;
    uint32_t maxCount = 0;
    if (!r.U32(towerLen) || !r.U32(maxCount) || towerLen > maxCount || !r.Has(towerLen))
    {
        return false;
    }
    if (!ParseDceTower(r.p + r.pos, towerLen, r.pos, out))
    {
        return false;
    }
    r.pos += towerLen;
    return r.Align4() || r.pos == r.len;
}
} // namespace

DceUuid
EpmInterfaceUuid()
{
    DceUuid u;
    ParseDceUuid("e1af8308-5d1f-11c9-91a4-08002b14a0fa", u);
    return u;
}

DceUuid
NdrTransferSyntaxUuid()
{
    DceUuid u;
    ParseDceUuid("8a885d04-1ceb-11c9-9fe8-08002b104860", u);
    return u;
}

std::string
DceUuidToString(const DceUuid& u)
{
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 16; ++i)
    {
        if (i == 4 || i == 6 || i == 8 || i == 10)
        {
            s.push_back('-');
        }
        s.push_back(hex[u[i] >> 4]);
        s.push_back(hex[u[i] & 15]);
    }
    return s;
}

bool
ParseDceUuid(const std::string& s, DceUuid& out)
{
    if (s.size() != 36)
    {
        return false;
    }
    int byte = 0;
    for (std::size_t i = 0; i < 36;)
    {
        if (i == 8 || i == 13 || i == 18 || i == 23)
        {
            if (s[i] != '-')
            {
                return false;
            }
            ++i;
            continue;
        }
        int v = 0;
        for (int k = 0; k < 2; ++k, ++i)
        {
            const char c = s[i];
            const int d = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
            if (d < 0)
            {
                return false;
            }
            v = v * 16 + d;
        }
        out[byte++] = static_cast<uint8_t>(v);
    }
    return true;
}

bool
ParseDceRpc(const uint8_t* data, std::size_t len, DceRpcPdu& out)
{
    out = DceRpcPdu();
    if (len < 1)
    {
        return false;
    }
    if (data[0] == 5)
    {
        return ParseCo(data, len, out);
    }
    if (data[0] == 4)
    {
        return ParseCl(data, len, out);
    }
    return false;
}

bool
ParseDceTower(const uint8_t* data, std::size_t len, std::size_t base, DceTower& out)
{
    out = DceTower();
    NdrReader r{data, len, true};
    uint16_t floors = 0;
    if (!r.U16(floors) || floors == 0 || floors > 8)
    {
        return false;
    }
    for (uint16_t f = 0; f < floors; ++f)
    {
        uint16_t lhsLen = 0;
        if (!r.U16(lhsLen) || lhsLen == 0 || !r.Has(lhsLen))
        {
            return false; // a floor count or a length that lies
        }
        const uint8_t* lhs = data + r.pos;
        r.pos += lhsLen;
        uint16_t rhsLen = 0;
        if (!r.U16(rhsLen) || !r.Has(rhsLen))
        {
            return false;
        }
        const uint8_t* rhs = data + r.pos;
        const std::size_t rhsAt = r.pos;
        r.pos += rhsLen;
        if (f == 0)
        {
            NdrReader u{lhs, lhsLen, true};
            if (lhsLen != 19 || lhs[0] != 0x0d)
            {
                return false;
            }
            u.pos = 1;
            u.Uuid(out.interfaceUuid);
            u.U16(out.versionMajor);
        }
        else if (lhsLen == 1 && (lhs[0] == 0x07 || lhs[0] == 0x08) && rhsLen == 2)
        {
            out.proto = lhs[0] == 0x07 ? 6 : 17;
            out.port = load_big_u16(rhs);
        }
        else if (lhsLen == 1 && lhs[0] == 0x09 && rhsLen == 4)
        {
            out.ip = load_big_u32(rhs);
            out.ipOffset = base + rhsAt;
        }
    }
    return true;
}

std::string
BuildDceTower(const DceUuid& iface, uint16_t major, uint8_t proto, uint32_t ip, uint16_t port)
{
    std::string s;
    PutLe16(s, 5);
    PutLe16(s, 19);
    s.push_back(0x0d);
    PutUuidLe(s, iface);
    PutLe16(s, major);
    PutLe16(s, 2);
    PutLe16(s, 0);
    PutLe16(s, 19);
    s.push_back(0x0d);
    PutUuidLe(s, NdrTransferSyntaxUuid());
    PutLe16(s, 2);
    PutLe16(s, 2);
    PutLe16(s, 0);
    PutLe16(s, 1);
    s.push_back(proto == 6 ? 0x0b : 0x0a);
    PutLe16(s, 2);
    PutLe16(s, 0);
    PutLe16(s, 1);
    s.push_back(proto == 6 ? 0x07 : 0x08);
    PutLe16(s, 2);
    s.push_back(static_cast<char>(port >> 8));
    s.push_back(static_cast<char>(port & 0xff));
    PutLe16(s, 1);
    s.push_back(0x09);
    PutLe16(s, 4);
    for (int shift = 24; shift >= 0; shift -= 8)
    {
        s.push_back(static_cast<char>((ip >> shift) & 0xff));
    }
    return s;
}

bool
ParseEptMapRequest(const uint8_t* stub, std::size_t len, bool littleEndian, DceTower& out)
{
    NdrReader r{stub, len, littleEndian};
    uint32_t objRef = 0;
    uint32_t towerRef = 0;
    if (!r.U32(objRef))
    {
        return false;
    }
    DceUuid object;
    if (objRef != 0 && !r.Uuid(object))
    {
        return false;
    }
    if (!r.U32(towerRef) || towerRef == 0)
    {
        return false;
    }
    return ReadTower(r, out);
}

bool
ParseEptMapResponse(const uint8_t* stub,
                    std::size_t len,
                    bool littleEndian,
                    std::vector<DceTower>& towers,
                    uint32_t& status)
{
    towers.clear();
    NdrReader r{stub, len, littleEndian};
    uint32_t numTowers = 0;
    uint32_t maxCount = 0;
    uint32_t offset = 0;
    uint32_t actual = 0;
    if (!r.Has(20))
    {
        return false;
    }
    r.pos = 20; // entry_handle
    if (!r.U32(numTowers) || !r.U32(maxCount) || !r.U32(offset) || !r.U32(actual) ||
        actual > maxCount || actual > MAX_TOWERS || offset != 0 || actual != numTowers ||
        !r.Has(4u * actual))
    {
        return false; // counts that lie
    }
    std::vector<uint32_t> refs(actual);
    for (uint32_t i = 0; i < actual; ++i)
    {
        r.U32(refs[i]);
    }
    for (uint32_t i = 0; i < actual; ++i)
    {
        if (refs[i] == 0)
        {
            continue;
        }
        DceTower t;
        if (!ReadTower(r, t))
        {
            return false;
        }
        towers.push_back(t);
    }
    return r.U32(status);
}

std::string
BuildEptMapRequestStub(const std::string& tower)
{
    std::string s;
    PutLe32(s, 1); // object: referent
    s.append(16, '\0');
    PutLe32(s, 2); // map_tower: referent
    PutLe32(s, static_cast<uint32_t>(tower.size()));
    PutLe32(s, static_cast<uint32_t>(tower.size()));
    s += tower;
    Pad4(s);
    s.append(20, '\0'); // entry_handle
    PutLe32(s, 4);      // max_towers
    return s;
}

std::string
BuildEptMapResponseStub(const std::vector<std::string>& towers, uint32_t status)
{
    std::string s(20, '\0'); // entry_handle
    const auto n = static_cast<uint32_t>(towers.size());
    PutLe32(s, n);
    PutLe32(s, 4 > n ? 4 : n); // max count (the client's max_towers)
    PutLe32(s, 0);
    PutLe32(s, n);
    for (uint32_t i = 0; i < n; ++i)
    {
        PutLe32(s, 3 + i);
    }
    for (const auto& t : towers)
    {
        PutLe32(s, static_cast<uint32_t>(t.size()));
        PutLe32(s, static_cast<uint32_t>(t.size()));
        s += t;
        Pad4(s);
    }
    PutLe32(s, status);
    return s;
}

std::vector<uint8_t>
BuildDceBind(uint32_t callId, const DceUuid& iface, uint16_t major)
{
    std::string b;
    PutLe16(b, 4280);
    PutLe16(b, 4280);
    PutLe32(b, 0);
    b += std::string{1, 0, 0, 0}; // one context
    PutLe16(b, 0);
    b += std::string{1, 0};
    PutUuidLe(b, iface);
    PutLe32(b, major);
    PutUuidLe(b, NdrTransferSyntaxUuid());
    PutLe32(b, 2);
    return CoPdu(DCERPC_BIND, callId, b);
}

std::vector<uint8_t>
BuildDceBindAck(uint32_t callId)
{
    std::string b;
    PutLe16(b, 4280);
    PutLe16(b, 4280);
    PutLe32(b, 0x1234);
    PutLe16(b, 4); // secondary address "135"
    b += std::string("135", 4);
    Pad4(b);                      // the header is 16 bytes: b starts aligned
    b += std::string{1, 0, 0, 0}; // one result
    PutLe16(b, 0);                // acceptance
    PutLe16(b, 0);
    PutUuidLe(b, NdrTransferSyntaxUuid());
    PutLe32(b, 2);
    return CoPdu(DCERPC_BIND_ACK, callId, b);
}

std::vector<uint8_t>
BuildDceCo(uint8_t type, uint32_t callId, uint16_t opnum, const std::string& stub)
{
    std::string b;
    PutLe32(b, static_cast<uint32_t>(stub.size()));
    PutLe16(b, 0);
    PutLe16(b, type == DCERPC_REQUEST ? opnum : 0);
    b += stub;
    return CoPdu(type, callId, b);
}

std::vector<uint8_t>
BuildDceCl(uint8_t type,
           const DceUuid& iface,
           const DceUuid& activity,
           uint32_t seq,
           uint16_t opnum,
           const std::string& stub)
{
    std::string s = {4, static_cast<char>(type), 0x20, 0, 0x10, 0, 0, 0};
    s.append(16, '\0'); // object
    PutUuidLe(s, iface);
    PutUuidLe(s, activity);
    PutLe32(s, 0); // server boot
    PutLe32(s, 1); // interface version
    PutLe32(s, seq);
    PutLe16(s, opnum);
    PutLe16(s, 0xffff);
    PutLe16(s, 0xffff);
    PutLe16(s, static_cast<uint16_t>(stub.size()));
    PutLe16(s, 0); // fragment number
    s.push_back(0);
    s.push_back(0);
    s += stub;
    return std::vector<uint8_t>(s.begin(), s.end());
}

int
FuzzDceRpc(const uint8_t* data, std::size_t len)
{
    DceRpcPdu pdu;
    if (ParseDceRpc(data, len, pdu))
    {
        DceTower t;
        std::vector<DceTower> towers;
        uint32_t status = 0;
        ParseEptMapRequest(data + pdu.stubOffset, pdu.stubLength, pdu.littleEndian, t);
        ParseEptMapResponse(data + pdu.stubOffset,
                            pdu.stubLength,
                            pdu.littleEndian,
                            towers,
                            status);
    }
    DceTower t;
    ParseDceTower(data, len, 0, t);
    return 0;
}

} // namespace ns3
