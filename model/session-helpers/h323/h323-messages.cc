/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * H.225.0 RAS, Q.931 over TPKT with the H.225.0 user-user information, and H.245: decoding
 * through the PER tables (h323-asn1.cc), and an encoder for what the model's endpoints send.
 */
#include "h323-messages.h"

#include <cstring>

namespace ns3
{

std::size_t
H323Decoded::CountRole(uint8_t role) const
{
    std::size_t n = 0;
    for (uint8_t i = 0; i < count; ++i)
    {
        n += addresses[i].role == role ? 1 : 0;
    }
    return n;
}

namespace
{
/// Collects addresses and the first two choices into an H323Decoded.
class Collect : public PerVisitor
{
  public:
    explicit Collect(H323Decoded& out)
        : m_out(out)
    {
    }

    void Address(uint8_t role,
                 uint32_t ip,
                 uint16_t port,
                 std::size_t ipOffset,
                 std::size_t portOffset) override
    {
        if (role == H323_ROLE_NONE)
        {
            return; // an address the tables do not ask for (e.g. inside an ipSourceRoute)
        }
        if (m_out.count >= H323Decoded::MAX_ADDRESSES)
        {
            m_out.overflow = true;
            return;
        }
        m_out.addresses[m_out.count++] = {role, ip, port, ipOffset, portOffset};
    }

    void Choice(unsigned depth, uint32_t index) override
    {
        (void)depth;
        if (m_choices == 0)
        {
            m_out.type = static_cast<int32_t>(index);
        }
        else if (m_choices == 1)
        {
            m_out.subtype = static_cast<int32_t>(index);
        }
        ++m_choices;
    }

  private:
    H323Decoded& m_out;    //!< the result
    unsigned m_choices{0}; //!< choices seen
};

/// The H.225.0 protocol identifier 0.0.8.2250.0.4 (version 4), BER contents octets.
const uint8_t PROTOCOL_ID[] = {0x00, 0x08, 0x91, 0x4a, 0x00, 0x04};

void
PutOid(PerWriter& w)
{
    w.Length(sizeof(PROTOCOL_ID));
    w.Octets(PROTOCOL_ID, sizeof(PROTOCOL_ID));
}

void
PutIpv4(PerWriter& w, const H323Endpoint& e)
{
    const uint8_t ip[4] = {static_cast<uint8_t>(e.ip >> 24),
                           static_cast<uint8_t>(e.ip >> 16),
                           static_cast<uint8_t>(e.ip >> 8),
                           static_cast<uint8_t>(e.ip)};
    w.Octets(ip, 4);
    w.Constrained(e.port, 0, 65535);
}

/// H.225.0 TransportAddress ipAddress.
void
PutTransportAddress(PerWriter& w, const H323Endpoint& e)
{
    w.Bit(false);           // extension
    w.Constrained(0, 0, 6); // ipAddress
    PutIpv4(w, e);
}

/// H.245 TransportAddress unicastAddress iPAddress.
void
PutH245Address(PerWriter& w, const H323Endpoint& e)
{
    w.Bit(false);           // TransportAddress extension
    w.Constrained(0, 0, 1); // unicastAddress
    w.Bit(false);           // UnicastAddress extension
    w.Constrained(0, 0, 4); // iPAddress
    w.Bit(false);           // iPAddress extension
    PutIpv4(w, e);
}

/// EndpointType with only `terminal`.
void
PutEndpointType(PerWriter& w)
{
    w.Bit(false); // extension
    for (int i = 0; i < 5; ++i)
    {
        w.Bit(false); // nonStandardData, vendor, gatekeeper, gateway, mcu
    }
    w.Bit(true);  // terminal
    w.Bit(false); // TerminalInfo extension
    w.Bit(false); // TerminalInfo nonStandardData
    w.Bit(false); // mc
    w.Bit(false); // undefinedNode
}

/// A BMPString of SIZE(lb..ub).
void
PutBmp(PerWriter& w, const std::string& s, int64_t lb, int64_t ub)
{
    const std::size_t n = s.empty() ? 1 : (s.size() > static_cast<std::size_t>(ub) ? ub : s.size());
    w.Constrained(static_cast<int64_t>(n), lb, ub);
    w.AlignOctet();
    for (std::size_t i = 0; i < n; ++i)
    {
        w.Bits(i < s.size() ? static_cast<uint8_t>(s[i]) : 'x', 16);
    }
}

/// A SEQUENCE OF AliasAddress with one h323-ID.
void
PutAliases(PerWriter& w, const std::string& alias)
{
    w.Length(1);
    w.Bit(false);           // AliasAddress extension
    w.Constrained(1, 0, 1); // h323-ID
    PutBmp(w, alias, 1, 256);
}

/// G.711 u-law DataType.
void
PutAudio(PerWriter& w)
{
    w.Bit(false);            // DataType extension
    w.Constrained(3, 0, 5);  // audioData
    w.Bit(false);            // AudioCapability extension
    w.Constrained(3, 0, 13); // g711Ulaw64k
    w.Constrained(20, 1, 256);
}

/// H2250LogicalChannelParameters with \p ch's addresses.
PerWriter
H2250Params(const H245Channel& ch)
{
    PerWriter p;
    p.Bit(false); // extension
    const bool opt[10] = {false,
                          false,
                          ch.rtp.port != 0,
                          false,
                          ch.rtcp.port != 0,
                          false,
                          false,
                          false,
                          false,
                          false};
    for (bool b : opt)
    {
        p.Bit(b);
    }
    p.Constrained(ch.sessionId, 0, 255);
    if (ch.rtp.port != 0)
    {
        PutH245Address(p, ch.rtp);
    }
    if (ch.rtcp.port != 0)
    {
        PutH245Address(p, ch.rtcp);
    }
    return p;
}

/// Extension additions: a bitmap of \p present, then the open types in order.
void
PutAdditions(PerWriter& w, const std::vector<const PerWriter*>& present)
{
    w.NormallySmall(static_cast<uint32_t>(present.size() - 1));
    for (const PerWriter* p : present)
    {
        w.Bit(p != nullptr);
    }
    for (const PerWriter* p : present)
    {
        if (p != nullptr)
        {
            w.OpenType(*p);
        }
    }
}

/// \return a one-bit value as an open type's contents
PerWriter
BoolValue(bool b)
{
    PerWriter w;
    w.Bit(b);
    return w;
}

/// \return the CallIdentifier of \p id
PerWriter
CallIdentifier(const uint8_t* id)
{
    PerWriter w;
    w.Bit(false);
    w.Octets(id, 16);
    return w;
}

/// \return SEQUENCE OF OCTET STRING of \p items (fastStart, h245Control)
PerWriter
OctetStrings(const std::vector<std::vector<uint8_t>>& items)
{
    PerWriter w;
    w.Length(static_cast<uint32_t>(items.size()));
    for (const auto& i : items)
    {
        w.Length(static_cast<uint32_t>(i.size()));
        w.Octets(i);
    }
    return w;
}
} // namespace

H323Decoded
DecodeRas(const uint8_t* data, std::size_t len)
{
    H323Decoded out;
    Collect c(out);
    out.result = PerDecode(H225_RAS_MESSAGE, data, 0, len, c);
    return out;
}

H323Decoded
DecodeH245(const uint8_t* data, std::size_t begin, std::size_t end)
{
    H323Decoded out;
    Collect c(out);
    out.result = PerDecode(H245_MESSAGE, data, begin, end, c);
    return out;
}

std::string
H225RasName(int32_t type)
{
    static const char* const names[] = {"GRQ",
                                        "GCF",
                                        "GRJ",
                                        "RRQ",
                                        "RCF",
                                        "RRJ",
                                        "URQ",
                                        "UCF",
                                        "URJ",
                                        "ARQ",
                                        "ACF",
                                        "ARJ",
                                        "BRQ",
                                        "BCF",
                                        "BRJ",
                                        "DRQ",
                                        "DCF",
                                        "DRJ",
                                        "LRQ",
                                        "LCF",
                                        "LRJ",
                                        "IRQ",
                                        "IRR",
                                        "NonStandardMessage",
                                        "UnknownMessageResponse"};
    if (type >= 0 && type < static_cast<int32_t>(sizeof(names) / sizeof(names[0])))
    {
        return names[type];
    }
    return "RAS-" + std::to_string(type);
}

std::string
Q931Name(uint8_t t)
{
    switch (t)
    {
    case Q931_ALERTING:
        return "Alerting";
    case Q931_CALL_PROCEEDING:
        return "CallProceeding";
    case Q931_PROGRESS:
        return "Progress";
    case Q931_SETUP:
        return "Setup";
    case Q931_CONNECT:
        return "Connect";
    case Q931_RELEASE_COMPLETE:
        return "ReleaseComplete";
    case Q931_FACILITY:
        return "Facility";
    case Q931_STATUS:
        return "Status";
    default:
        return "Q931-" + std::to_string(t);
    }
}

TpktState
ReadTpkt(const uint8_t* data, std::size_t len, std::size_t& frameLen)
{
    if (len == 0)
    {
        return TpktState::INCOMPLETE;
    }
    if (data[0] != 3 || (len >= 2 && data[1] != 0))
    {
        return TpktState::MALFORMED;
    }
    if (len < 4)
    {
        return TpktState::INCOMPLETE;
    }
    frameLen = static_cast<std::size_t>(data[2]) << 8 | data[3];
    if (frameLen < 4)
    {
        return TpktState::MALFORMED;
    }
    return frameLen <= len ? TpktState::COMPLETE : TpktState::INCOMPLETE;
}

bool
ParseQ931(const uint8_t* frame, std::size_t len, Q931Message& out)
{
    std::size_t p = 4; // after the TPKT header
    if (len < p + 3 || frame[p] != 0x08)
    {
        return false; // Q.931 protocol discriminator
    }
    const std::size_t crLen = frame[p + 1] & 0x0f;
    if (crLen > 2 || len < p + 2 + crLen + 1)
    {
        return false;
    }
    out.callReference = 0;
    for (std::size_t i = 0; i < crLen; ++i)
    {
        out.callReference = static_cast<uint16_t>(out.callReference << 8 | frame[p + 2 + i]);
    }
    out.type = frame[p + 2 + crLen];
    p += 3 + crLen;
    while (p < len)
    {
        const uint8_t id = frame[p];
        if (id & 0x80)
        {
            ++p; // single-octet information element
            continue;
        }
        if (id == 0x7e)
        {
            if (len < p + 3)
            {
                return false;
            }
            const std::size_t ieLen = static_cast<std::size_t>(frame[p + 1]) << 8 | frame[p + 2];
            if (ieLen < 1 || len - (p + 3) < ieLen)
            {
                return false;
            }
            if (frame[p + 3] == 0x05) // X.208 / X.209 coded user information: H.225.0
            {
                out.hasUuie = true;
                out.uuieOffset = p + 4;
                out.uuieLength = ieLen - 1;
                Collect c(out.uuie);
                out.uuie.result = PerDecode(H225_USER_INFORMATION,
                                            frame,
                                            out.uuieOffset,
                                            out.uuieOffset + out.uuieLength,
                                            c);
            }
            p += 3 + ieLen;
            continue;
        }
        if (len < p + 2 || len - (p + 2) < frame[p + 1])
        {
            return false;
        }
        p += 2 + frame[p + 1];
    }
    return true;
}

std::vector<uint8_t>
EncodeOpenLogicalChannel(const H245Channel& ch)
{
    PerWriter w;
    w.Bit(false);      // extension
    w.Bit(ch.reverse); // reverseLogicalChannelParameters
    w.Constrained(ch.number, 1, 65535);
    // forwardLogicalChannelParameters
    w.Bit(false); // extension
    w.Bit(false); // portNumber
    PutAudio(w);
    H245Channel fwd = ch;
    if (ch.reverse)
    {
        fwd.rtp = {}; // forward: only where the sender takes RTCP; reverse: where it takes RTP
    }
    w.Bit(true);        // multiplexParameters: an extension alternative
    w.NormallySmall(0); // h2250LogicalChannelParameters
    w.OpenType(H2250Params(fwd));
    if (ch.reverse)
    {
        w.Bit(false); // extension
        w.Bit(true);  // multiplexParameters
        PutAudio(w);
        w.Bit(true);        // an extension alternative
        w.NormallySmall(0); // h2250LogicalChannelParameters
        w.OpenType(H2250Params(ch));
    }
    return w.Bytes();
}

std::vector<uint8_t>
EncodeH245Olc(const H245Channel& ch)
{
    PerWriter w;
    w.Bit(false);            // MultimediaSystemControlMessage extension
    w.Constrained(0, 0, 3);  // request
    w.Bit(false);            // RequestMessage extension
    w.Constrained(3, 0, 10); // openLogicalChannel
    // those are 8 bits: the OpenLogicalChannel starts on an octet boundary
    std::vector<uint8_t> msg = w.Bytes();
    const std::vector<uint8_t> olc = EncodeOpenLogicalChannel(ch);
    msg.insert(msg.end(), olc.begin(), olc.end());
    return msg;
}

std::vector<uint8_t>
EncodeH245OlcAck(const H245Channel& ch)
{
    PerWriter w;
    w.Bit(false);            // extension
    w.Constrained(1, 0, 3);  // response
    w.Bit(false);            // extension
    w.Constrained(5, 0, 18); // openLogicalChannelAck
    // OpenLogicalChannelAck
    w.Bit(true);  // extension additions present
    w.Bit(false); // reverseLogicalChannelParameters
    w.Constrained(ch.number, 1, 65535);
    PerWriter ack;
    ack.Bit(false); // ForwardMultiplexAckParameters extension (single root alternative)
    ack.Bit(false); // H2250LogicalChannelAckParameters extension
    ack.Bit(false); // nonStandard
    ack.Bit(true);  // sessionID
    ack.Bit(ch.rtp.port != 0);
    ack.Bit(ch.rtcp.port != 0);
    ack.Bit(false); // dynamicRTPPayloadType
    ack.Constrained(ch.sessionId, 1, 255);
    if (ch.rtp.port != 0)
    {
        PutH245Address(ack, ch.rtp);
    }
    if (ch.rtcp.port != 0)
    {
        PutH245Address(ack, ch.rtcp);
    }
    PutAdditions(w, {nullptr, &ack}); // separateStack, forwardMultiplexAckParameters
    return w.Bytes();
}

std::vector<uint8_t>
EncodeUuie(const H225Uuie& u)
{
    PerWriter w;
    w.Bit(false); // H323-UserInformation extension
    w.Bit(false); // user-data
    w.Bit(true);  // H323-UU-PDU extension additions
    w.Bit(false); // nonStandardData
    const bool fs = !u.fastStart.empty();
    const PerWriter fastStart = OctetStrings(u.fastStart);
    const PerWriter callId = CallIdentifier(u.conferenceId);
    const PerWriter yes = BoolValue(true);
    const PerWriter no = BoolValue(false);
    switch (u.q931Type)
    {
    case Q931_SETUP:
        w.Bit(false);
        w.Constrained(0, 0, 6);
        w.Bit(true); // extension additions
        w.Bit(u.h245.port != 0);
        w.Bit(false); // sourceAddress
        w.Bit(false); // destinationAddress
        w.Bit(u.destCsa.port != 0);
        w.Bit(false); // destExtraCallInfo
        w.Bit(false); // destExtraCRV
        w.Bit(false); // callServices
        PutOid(w);
        if (u.h245.port != 0)
        {
            PutTransportAddress(w, u.h245);
        }
        PutEndpointType(w);
        if (u.destCsa.port != 0)
        {
            PutTransportAddress(w, u.destCsa);
        }
        w.Bit(false); // activeMC
        w.Octets(u.conferenceId, 16);
        w.Bit(false);
        w.Constrained(0, 0, 2); // create
        w.Bit(false);
        w.Constrained(0, 0, 3); // pointToPoint
        {
            PerWriter src;
            if (u.sourceCsa.port != 0)
            {
                PutTransportAddress(src, u.sourceCsa);
            }
            PutAdditions(w,
                         {u.sourceCsa.port != 0 ? &src : nullptr,
                          nullptr,
                          &callId,
                          nullptr,
                          nullptr,
                          nullptr,
                          fs ? &fastStart : nullptr,
                          &no,
                          &no});
        }
        break;
    case Q931_CALL_PROCEEDING:
    case Q931_ALERTING:
    case Q931_PROGRESS:
        w.Bit(u.q931Type == Q931_PROGRESS);
        if (u.q931Type == Q931_PROGRESS)
        {
            w.NormallySmall(0); // progress: the first extension alternative
            PerWriter body;
            body.Bit(false); // extension
            body.Bit(u.h245.port != 0);
            body.Bit(false); // h245SecurityMode
            body.Bit(false); // tokens
            body.Bit(false); // cryptoTokens
            body.Bit(fs);
            PutOid(body);
            PutEndpointType(body);
            if (u.h245.port != 0)
            {
                PutTransportAddress(body, u.h245);
            }
            body.Bit(false);
            body.Octets(u.conferenceId, 16);
            if (fs)
            {
                const std::vector<uint8_t>& b = fastStart.Bytes();
                body.Octets(b);
            }
            w.OpenType(body);
            break;
        }
        w.Constrained(u.q931Type == Q931_ALERTING ? 3 : 1, 0, 6);
        w.Bit(true);
        w.Bit(u.h245.port != 0);
        PutOid(w);
        PutEndpointType(w);
        if (u.h245.port != 0)
        {
            PutTransportAddress(w, u.h245);
        }
        PutAdditions(w, {&callId, nullptr, nullptr, nullptr, fs ? &fastStart : nullptr});
        break;
    case Q931_CONNECT:
        w.Bit(false);
        w.Constrained(2, 0, 6);
        w.Bit(true);
        w.Bit(u.h245.port != 0);
        PutOid(w);
        if (u.h245.port != 0)
        {
            PutTransportAddress(w, u.h245);
        }
        PutEndpointType(w);
        w.Octets(u.conferenceId, 16);
        PutAdditions(w, {&callId, nullptr, nullptr, nullptr, fs ? &fastStart : nullptr});
        break;
    case Q931_FACILITY:
    default: {
        w.Bit(false);
        w.Constrained(6, 0, 6);
        w.Bit(true);
        w.Bit(u.alternative.port != 0);
        w.Bit(false); // alternativeAliasAddress
        w.Bit(false); // conferenceID
        PutOid(w);
        if (u.alternative.port != 0)
        {
            PutTransportAddress(w, u.alternative);
        }
        w.Bit(false);
        w.Constrained(u.alternative.port != 0 ? 1 : 3, 0, 3); // callForwarded / undefined
        PerWriter h245;
        if (u.h245.port != 0)
        {
            PutTransportAddress(h245, u.h245);
        }
        PutAdditions(w,
                     {&callId,
                      nullptr,
                      nullptr,
                      nullptr,
                      nullptr,
                      nullptr,
                      u.h245.port != 0 ? &h245 : nullptr,
                      fs ? &fastStart : nullptr});
        break;
    }
    }
    // H323-UU-PDU additions: h4501SupplementaryService, h245Tunneling, h245Control
    const PerWriter control = OctetStrings(u.h245Control);
    PutAdditions(
        w,
        {nullptr, u.h245Control.empty() ? &no : &yes, u.h245Control.empty() ? nullptr : &control});
    return w.Bytes();
}

std::vector<uint8_t>
EncodeTpkt(const std::vector<uint8_t>& payload)
{
    std::vector<uint8_t> out{3,
                             0,
                             static_cast<uint8_t>((payload.size() + 4) >> 8),
                             static_cast<uint8_t>(payload.size() + 4)};
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

std::vector<uint8_t>
EncodeQ931(const H225Uuie& u, uint16_t callReference)
{
    std::vector<uint8_t> q{0x08,
                           0x02,
                           static_cast<uint8_t>(callReference >> 8),
                           static_cast<uint8_t>(callReference),
                           u.q931Type};
    if (u.q931Type == Q931_SETUP)
    {
        q.insert(q.end(), {0x04, 0x03, 0x88, 0x90, 0xa5}); // bearer capability
    }
    const std::vector<uint8_t> uuie = EncodeUuie(u);
    const std::size_t ieLen = uuie.size() + 1;
    q.insert(q.end(), {0x7e, static_cast<uint8_t>(ieLen >> 8), static_cast<uint8_t>(ieLen), 0x05});
    q.insert(q.end(), uuie.begin(), uuie.end());
    return EncodeTpkt(q);
}

std::vector<uint8_t>
EncodeRas(const H225Ras& m)
{
    PerWriter w;
    w.Bit(false);
    w.Constrained(m.type, 0, 24);
    const auto altGks = [&m]() {
        PerWriter a;
        a.Length(static_cast<uint32_t>(m.alternateGatekeepers.size()));
        uint8_t prio = 0;
        for (const H323Endpoint& e : m.alternateGatekeepers)
        {
            a.Bit(false); // extension
            a.Bit(false); // gatekeeperIdentifier
            PutTransportAddress(a, e);
            a.Bit(false); // needToRegister
            a.Constrained(prio++, 0, 127);
        }
        return a;
    };
    switch (m.type)
    {
    case RAS_GRQ:
        w.Bit(false); // extension
        w.Bits(0, 4); // no optional member
        w.Constrained(m.seq, 1, 65535);
        PutOid(w);
        PutTransportAddress(w, m.ras);
        PutEndpointType(w);
        break;
    case RAS_GCF: {
        const bool alt = !m.alternateGatekeepers.empty();
        w.Bit(alt);
        w.Bits(0, 2);
        w.Constrained(m.seq, 1, 65535);
        PutOid(w);
        PutTransportAddress(w, m.ras);
        if (alt)
        {
            const PerWriter a = altGks();
            PutAdditions(w, {&a});
        }
        break;
    }
    case RAS_RRQ:
        w.Bit(false);
        w.Bits(0, 3);
        w.Constrained(m.seq, 1, 65535);
        PutOid(w);
        w.Bit(true); // discoveryComplete
        w.Length(1);
        PutTransportAddress(w, m.callSignal);
        w.Length(1);
        PutTransportAddress(w, m.ras);
        PutEndpointType(w);
        w.Bit(false); // VendorIdentifier extension
        w.Bits(0, 2); // productId, versionId
        w.Bit(false); // H221NonStandard extension
        w.Constrained(9, 0, 255);
        w.Constrained(0, 0, 255);
        w.Constrained(61, 0, 65535);
        break;
    case RAS_RCF: {
        const bool alt = !m.alternateGatekeepers.empty();
        w.Bit(alt);
        w.Bits(0, 3);
        w.Constrained(m.seq, 1, 65535);
        PutOid(w);
        w.Length(1);
        PutTransportAddress(w, m.callSignal);
        PutBmp(w, m.alias, 1, 128); // endpointIdentifier
        if (alt)
        {
            const PerWriter a = altGks();
            PutAdditions(w, {&a});
        }
        break;
    }
    case RAS_ARQ:
        w.Bit(false);
        w.Bit(false); // callModel
        w.Bit(true);  // destinationInfo
        w.Bit(m.callSignal.port != 0);
        w.Bit(false); // destExtraCallInfo
        w.Bit(false); // srcCallSignalAddress
        w.Bit(false); // nonStandardData
        w.Bit(false); // callServices
        w.Constrained(m.seq, 1, 65535);
        w.Bit(false);
        w.Constrained(0, 0, 3); // pointToPoint
        PutBmp(w, m.alias, 1, 128);
        PutAliases(w, m.alias);
        if (m.callSignal.port != 0)
        {
            PutTransportAddress(w, m.callSignal);
        }
        PutAliases(w, m.alias);
        w.Constrained(640, 0, 4294967295LL);
        w.Constrained(m.seq, 0, 65535);
        {
            const uint8_t conf[16] = {};
            w.Octets(conf, 16);
        }
        w.Bit(false); // activeMC
        w.Bit(false); // answerCall
        break;
    case RAS_ACF:
        w.Bit(false);
        w.Bits(0, 2);
        w.Constrained(m.seq, 1, 65535);
        w.Constrained(640, 0, 4294967295LL);
        w.Bit(false);
        w.Constrained(0, 0, 1); // direct
        PutTransportAddress(w, m.callSignal);
        break;
    case RAS_LRQ:
        w.Bit(false);
        w.Bits(0, 2);
        w.Constrained(m.seq, 1, 65535);
        PutAliases(w, m.alias);
        PutTransportAddress(w, m.reply);
        break;
    case RAS_LCF:
    default:
        w.Bit(false);
        w.Bits(0, 1);
        w.Constrained(m.seq, 1, 65535);
        PutTransportAddress(w, m.callSignal);
        PutTransportAddress(w, m.ras);
        break;
    }
    return w.Bytes();
}

int
FuzzH323(const uint8_t* data, std::size_t len)
{
    if (data == nullptr)
    {
        return 0;
    }
    (void)DecodeRas(data, len);
    (void)DecodeH245(data, 0, len);
    std::size_t frame = 0;
    if (ReadTpkt(data, len, frame) == TpktState::COMPLETE)
    {
        Q931Message q;
        (void)ParseQ931(data, frame, q);
        (void)DecodeH245(data, 4, frame);
    }
    return 0;
}

} // namespace ns3
