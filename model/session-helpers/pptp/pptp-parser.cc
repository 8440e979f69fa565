/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pptp-parser.h"

#include <algorithm>
#include <boost/endian/conversion.hpp>
#include <cstring>

namespace ns3
{

using boost::endian::load_big_u16;
using boost::endian::load_big_u32;
using boost::endian::store_big_u16;
using boost::endian::store_big_u32;

namespace
{

/// A NUL-padded text field (stops at the first NUL).
std::string
GetText(const uint8_t* p, std::size_t n)
{
    const uint8_t* end = std::find(p, p + n, 0);
    return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p));
}

void
PutText(uint8_t* p, std::size_t n, const std::string& s)
{
    std::memcpy(p, s.data(), std::min(n, s.size()));
}

/// Read the fields of a message whose bytes \p b (Length bytes) are known to be complete.
/// \return true when bytes 14-15 of control message type \p type are a reserved field
bool
HasReserved1(uint16_t type)
{
    switch (type)
    {
    case PPTP_START_CONTROL_REQUEST:
    case PPTP_STOP_CONTROL_REQUEST:
    case PPTP_STOP_CONTROL_REPLY:
    case PPTP_INCOMING_CALL_CONNECTED:
    case PPTP_CALL_CLEAR_REQUEST:
    case PPTP_WAN_ERROR_NOTIFY:
    case PPTP_SET_LINK_INFO:
        return true;
    default:
        return false;
    }
}

void
ReadFields(const uint8_t* b, PptpMessage& m)
{
    m.reserved0 = load_big_u16(b + 10);
    if (HasReserved1(m.type))
    {
        m.reserved1 = load_big_u16(b + 14);
    }
    switch (m.type)
    {
    case PPTP_START_CONTROL_REQUEST:
    case PPTP_START_CONTROL_REPLY:
        m.protocolVersion = load_big_u16(b + 12);
        if (m.type == PPTP_START_CONTROL_REPLY)
        {
            m.resultCode = b[14];
            m.errorCode = b[15];
        }
        m.framingCapabilities = load_big_u32(b + 16);
        m.bearerCapabilities = load_big_u32(b + 20);
        m.maxChannels = load_big_u16(b + 24);
        m.firmwareRevision = load_big_u16(b + 26);
        m.hostName = GetText(b + 28, 64);
        m.vendor = GetText(b + 92, 64);
        break;
    case PPTP_STOP_CONTROL_REQUEST:
        m.reason = b[12];
        break;
    case PPTP_STOP_CONTROL_REPLY:
        m.resultCode = b[12];
        m.errorCode = b[13];
        break;
    case PPTP_ECHO_REQUEST:
        m.identifier = load_big_u32(b + 12);
        break;
    case PPTP_ECHO_REPLY:
        m.identifier = load_big_u32(b + 12);
        m.resultCode = b[16];
        m.errorCode = b[17];
        break;
    case PPTP_OUTGOING_CALL_REQUEST: {
        m.callId = load_big_u16(b + 12);
        m.callSerial = load_big_u16(b + 14);
        m.minBps = load_big_u32(b + 16);
        m.maxBps = load_big_u32(b + 20);
        m.bearerType = load_big_u32(b + 24);
        m.framingType = load_big_u32(b + 28);
        m.recvWindow = load_big_u16(b + 32);
        m.processingDelay = load_big_u16(b + 34);
        std::size_t phoneLen = std::min<std::size_t>(load_big_u16(b + 36), 64);
        m.phoneNumber = GetText(b + 40, phoneLen);
        m.subaddress = GetText(b + 104, 64);
        break;
    }
    case PPTP_OUTGOING_CALL_REPLY:
        m.callId = load_big_u16(b + 12);
        m.peerCallId = load_big_u16(b + 14);
        m.resultCode = b[16];
        m.errorCode = b[17];
        m.causeCode = load_big_u16(b + 18);
        m.connectSpeed = load_big_u32(b + 20);
        m.recvWindow = load_big_u16(b + 24);
        m.processingDelay = load_big_u16(b + 26);
        m.physicalChannelId = load_big_u32(b + 28);
        break;
    case PPTP_INCOMING_CALL_REQUEST: {
        m.callId = load_big_u16(b + 12);
        m.callSerial = load_big_u16(b + 14);
        m.bearerType = load_big_u32(b + 16);
        m.physicalChannelId = load_big_u32(b + 20);
        std::size_t dialedLen = std::min<std::size_t>(load_big_u16(b + 24), 64);
        std::size_t dialingLen = std::min<std::size_t>(load_big_u16(b + 26), 64);
        m.phoneNumber = GetText(b + 28, dialedLen);
        m.dialingNumber = GetText(b + 92, dialingLen);
        m.subaddress = GetText(b + 156, 64);
        break;
    }
    case PPTP_INCOMING_CALL_REPLY:
        m.callId = load_big_u16(b + 12);
        m.peerCallId = load_big_u16(b + 14);
        m.resultCode = b[16];
        m.errorCode = b[17];
        m.recvWindow = load_big_u16(b + 18);
        m.processingDelay = load_big_u16(b + 20);
        break;
    case PPTP_INCOMING_CALL_CONNECTED:
        m.peerCallId = load_big_u16(b + 12);
        m.connectSpeed = load_big_u32(b + 16);
        m.recvWindow = load_big_u16(b + 20);
        m.processingDelay = load_big_u16(b + 22);
        m.framingType = load_big_u32(b + 24);
        break;
    case PPTP_CALL_CLEAR_REQUEST:
        m.callId = load_big_u16(b + 12);
        break;
    case PPTP_CALL_DISCONNECT_NOTIFY:
        m.callId = load_big_u16(b + 12);
        m.resultCode = b[14];
        m.errorCode = b[15];
        m.causeCode = load_big_u16(b + 16);
        m.callStatistics = GetText(b + 20, 128);
        break;
    case PPTP_WAN_ERROR_NOTIFY:
        m.peerCallId = load_big_u16(b + 12);
        for (int i = 0; i < 6; ++i)
        {
            m.errors[i] = load_big_u32(b + 16 + 4 * i);
        }
        break;
    case PPTP_SET_LINK_INFO:
        m.peerCallId = load_big_u16(b + 12);
        m.sendAccm = load_big_u32(b + 16);
        m.recvAccm = load_big_u32(b + 20);
        break;
    default:
        break;
    }
}

/// Check the header of a message at \p b with \p avail bytes (>= 12). \return "" or why not.
std::string
CheckHeader(const uint8_t* b, std::size_t at)
{
    uint16_t length = load_big_u16(b);
    uint16_t pptpType = load_big_u16(b + 2);
    uint32_t cookie = load_big_u32(b + 4);
    uint16_t type = load_big_u16(b + 8);
    std::string where = " at byte " + std::to_string(at);
    if (pptpType != 1)
    {
        return "PPTP message type " + std::to_string(pptpType) + " is not 1 (control)" + where;
    }
    if (cookie != PPTP_MAGIC_COOKIE)
    {
        return "bad magic cookie" + where;
    }
    uint16_t size = PptpMessageSize(type);
    if (size == 0)
    {
        return "unknown control message type " + std::to_string(type) + where;
    }
    if (length != size)
    {
        return std::string(PptpMessageName(type)) + " Length " + std::to_string(length) +
               " is not " + std::to_string(size) + where;
    }
    return "";
}

} // namespace

const char*
PptpMessageName(uint16_t type)
{
    switch (type)
    {
    case PPTP_START_CONTROL_REQUEST:
        return "Start-Control-Connection-Request";
    case PPTP_START_CONTROL_REPLY:
        return "Start-Control-Connection-Reply";
    case PPTP_STOP_CONTROL_REQUEST:
        return "Stop-Control-Connection-Request";
    case PPTP_STOP_CONTROL_REPLY:
        return "Stop-Control-Connection-Reply";
    case PPTP_ECHO_REQUEST:
        return "Echo-Request";
    case PPTP_ECHO_REPLY:
        return "Echo-Reply";
    case PPTP_OUTGOING_CALL_REQUEST:
        return "Outgoing-Call-Request";
    case PPTP_OUTGOING_CALL_REPLY:
        return "Outgoing-Call-Reply";
    case PPTP_INCOMING_CALL_REQUEST:
        return "Incoming-Call-Request";
    case PPTP_INCOMING_CALL_REPLY:
        return "Incoming-Call-Reply";
    case PPTP_INCOMING_CALL_CONNECTED:
        return "Incoming-Call-Connected";
    case PPTP_CALL_CLEAR_REQUEST:
        return "Call-Clear-Request";
    case PPTP_CALL_DISCONNECT_NOTIFY:
        return "Call-Disconnect-Notify";
    case PPTP_WAN_ERROR_NOTIFY:
        return "WAN-Error-Notify";
    case PPTP_SET_LINK_INFO:
        return "Set-Link-Info";
    default:
        return "unknown";
    }
}

uint16_t
PptpMessageSize(uint16_t type)
{
    static const uint16_t sizes[16] =
        {0, 156, 156, 16, 16, 16, 20, 168, 32, 220, 24, 28, 16, 148, 40, 24};
    return type < 16 ? sizes[type] : 0;
}

bool
PptpMessage::HasCallId() const
{
    switch (type)
    {
    case PPTP_OUTGOING_CALL_REQUEST:
    case PPTP_OUTGOING_CALL_REPLY:
    case PPTP_INCOMING_CALL_REQUEST:
    case PPTP_INCOMING_CALL_REPLY:
    case PPTP_CALL_CLEAR_REQUEST:
    case PPTP_CALL_DISCONNECT_NOTIFY:
        return true;
    default:
        return false;
    }
}

bool
PptpMessage::HasPeerCallId() const
{
    return PeerCallIdOffset() != 0;
}

std::size_t
PptpMessage::PeerCallIdOffset() const
{
    switch (type)
    {
    case PPTP_OUTGOING_CALL_REPLY:
    case PPTP_INCOMING_CALL_REPLY:
        return 14;
    case PPTP_INCOMING_CALL_CONNECTED:
    case PPTP_WAN_ERROR_NOTIFY:
    case PPTP_SET_LINK_INFO:
        return 12;
    default:
        return 0;
    }
}

PptpParseResult
ParsePptpMessages(const uint8_t* data, std::size_t len)
{
    PptpParseResult r;
    std::size_t at = 0;
    while (at < len)
    {
        std::size_t avail = len - at;
        const uint8_t* b = data + at;
        if (avail < 2)
        {
            r.status = PptpParseResult::INCOMPLETE;
            return r;
        }
        uint16_t length = load_big_u16(b);
        if (length < PPTP_HEADER_SIZE)
        {
            r.status = PptpParseResult::MALFORMED;
            r.error = "Length " + std::to_string(length) + " shorter than the header at byte " +
                      std::to_string(at);
            return r;
        }
        if (avail < PPTP_HEADER_SIZE)
        {
            r.status = PptpParseResult::INCOMPLETE;
            r.pendingLength = length;
            return r;
        }
        std::string why = CheckHeader(b, at);
        if (!why.empty())
        {
            r.status = PptpParseResult::MALFORMED;
            r.error = why;
            return r;
        }
        if (avail < length)
        {
            r.status = PptpParseResult::INCOMPLETE;
            r.pendingLength = length;
            return r;
        }
        PptpMessage m;
        m.type = load_big_u16(b + 8);
        m.length = length;
        m.offset = at;
        ReadFields(b, m);
        r.messages.push_back(std::move(m));
        at += length;
        r.consumed = at;
    }
    return r;
}

bool
ParsePptpMessage(const uint8_t* data, std::size_t len, PptpMessage& out, std::string* error)
{
    auto fail = [error](const std::string& why) {
        if (error)
        {
            *error = why;
        }
        return false;
    };
    if (len < PPTP_HEADER_SIZE)
    {
        return fail("short message: " + std::to_string(len) + " bytes");
    }
    if (load_big_u16(data) < PPTP_HEADER_SIZE)
    {
        return fail("Length " + std::to_string(load_big_u16(data)) + " shorter than the header");
    }
    std::string why = CheckHeader(data, 0);
    if (!why.empty())
    {
        return fail(why);
    }
    uint16_t length = load_big_u16(data);
    if (len < length)
    {
        return fail("short message: " + std::to_string(len) + " of " + std::to_string(length) +
                    " bytes");
    }
    out = PptpMessage{};
    out.type = load_big_u16(data + 8);
    out.length = length;
    ReadFields(data, out);
    return true;
}

PptpMessage
MakePptpMessage(uint16_t type)
{
    PptpMessage m;
    m.type = type;
    m.length = PptpMessageSize(type);
    return m;
}

std::vector<uint8_t>
SerializePptpMessage(const PptpMessage& m)
{
    uint16_t size = PptpMessageSize(m.type);
    if (size == 0)
    {
        return {};
    }
    std::vector<uint8_t> out(size, 0);
    uint8_t* b = out.data();
    store_big_u16(b, size);
    store_big_u16(b + 2, 1);
    store_big_u32(b + 4, PPTP_MAGIC_COOKIE);
    store_big_u16(b + 8, m.type);
    store_big_u16(b + 10, m.reserved0);
    if (HasReserved1(m.type))
    {
        store_big_u16(b + 14, m.reserved1);
    }
    switch (m.type)
    {
    case PPTP_START_CONTROL_REQUEST:
    case PPTP_START_CONTROL_REPLY:
        store_big_u16(b + 12, m.protocolVersion);
        if (m.type == PPTP_START_CONTROL_REPLY)
        {
            b[14] = m.resultCode;
            b[15] = m.errorCode;
        }
        store_big_u32(b + 16, m.framingCapabilities);
        store_big_u32(b + 20, m.bearerCapabilities);
        store_big_u16(b + 24, m.maxChannels);
        store_big_u16(b + 26, m.firmwareRevision);
        PutText(b + 28, 64, m.hostName);
        PutText(b + 92, 64, m.vendor);
        break;
    case PPTP_STOP_CONTROL_REQUEST:
        b[12] = m.reason;
        break;
    case PPTP_STOP_CONTROL_REPLY:
        b[12] = m.resultCode;
        b[13] = m.errorCode;
        break;
    case PPTP_ECHO_REQUEST:
        store_big_u32(b + 12, m.identifier);
        break;
    case PPTP_ECHO_REPLY:
        store_big_u32(b + 12, m.identifier);
        b[16] = m.resultCode;
        b[17] = m.errorCode;
        break;
    case PPTP_OUTGOING_CALL_REQUEST:
        store_big_u16(b + 12, m.callId);
        store_big_u16(b + 14, m.callSerial);
        store_big_u32(b + 16, m.minBps);
        store_big_u32(b + 20, m.maxBps);
        store_big_u32(b + 24, m.bearerType);
        store_big_u32(b + 28, m.framingType);
        store_big_u16(b + 32, m.recvWindow);
        store_big_u16(b + 34, m.processingDelay);
        store_big_u16(b + 36,
                      static_cast<uint16_t>(std::min<std::size_t>(m.phoneNumber.size(), 64)));
        PutText(b + 40, 64, m.phoneNumber);
        PutText(b + 104, 64, m.subaddress);
        break;
    case PPTP_OUTGOING_CALL_REPLY:
        store_big_u16(b + 12, m.callId);
        store_big_u16(b + 14, m.peerCallId);
        b[16] = m.resultCode;
        b[17] = m.errorCode;
        store_big_u16(b + 18, m.causeCode);
        store_big_u32(b + 20, m.connectSpeed);
        store_big_u16(b + 24, m.recvWindow);
        store_big_u16(b + 26, m.processingDelay);
        store_big_u32(b + 28, m.physicalChannelId);
        break;
    case PPTP_INCOMING_CALL_REQUEST:
        store_big_u16(b + 12, m.callId);
        store_big_u16(b + 14, m.callSerial);
        store_big_u32(b + 16, m.bearerType);
        store_big_u32(b + 20, m.physicalChannelId);
        store_big_u16(b + 24,
                      static_cast<uint16_t>(std::min<std::size_t>(m.phoneNumber.size(), 64)));
        store_big_u16(b + 26,
                      static_cast<uint16_t>(std::min<std::size_t>(m.dialingNumber.size(), 64)));
        PutText(b + 28, 64, m.phoneNumber);
        PutText(b + 92, 64, m.dialingNumber);
        PutText(b + 156, 64, m.subaddress);
        break;
    case PPTP_INCOMING_CALL_REPLY:
        store_big_u16(b + 12, m.callId);
        store_big_u16(b + 14, m.peerCallId);
        b[16] = m.resultCode;
        b[17] = m.errorCode;
        store_big_u16(b + 18, m.recvWindow);
        store_big_u16(b + 20, m.processingDelay);
        break;
    case PPTP_INCOMING_CALL_CONNECTED:
        store_big_u16(b + 12, m.peerCallId);
        store_big_u32(b + 16, m.connectSpeed);
        store_big_u16(b + 20, m.recvWindow);
        store_big_u16(b + 22, m.processingDelay);
        store_big_u32(b + 24, m.framingType);
        break;
    case PPTP_CALL_CLEAR_REQUEST:
        store_big_u16(b + 12, m.callId);
        break;
    case PPTP_CALL_DISCONNECT_NOTIFY:
        store_big_u16(b + 12, m.callId);
        b[14] = m.resultCode;
        b[15] = m.errorCode;
        store_big_u16(b + 16, m.causeCode);
        PutText(b + 20, 128, m.callStatistics);
        break;
    case PPTP_WAN_ERROR_NOTIFY:
        store_big_u16(b + 12, m.peerCallId);
        for (int i = 0; i < 6; ++i)
        {
            store_big_u32(b + 16 + 4 * i, m.errors[i]);
        }
        break;
    case PPTP_SET_LINK_INFO:
        store_big_u16(b + 12, m.peerCallId);
        store_big_u32(b + 16, m.sendAccm);
        store_big_u32(b + 20, m.recvAccm);
        break;
    default:
        break;
    }
    return out;
}

bool
ReadGreKey(const uint8_t* l4, std::size_t len, uint16_t& callId, uint16_t& headerSize)
{
    if (len < 4)
    {
        return false;
    }
    headerSize = 4;
    const bool keyPresent = (l4[0] & 0x20) != 0;
    const std::size_t keyAt = (l4[0] & 0xc0) ? 8 : 4; // after checksum/offset (C or R)
    if (keyPresent && len >= keyAt + 4)
    {
        callId = load_big_u16(l4 + keyAt + 2);
        headerSize = static_cast<uint16_t>(keyAt + 4);
    }
    return true;
}

} // namespace ns3
