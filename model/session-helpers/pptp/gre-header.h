/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_GRE_HEADER_H
#define FORTIGATE_GRE_HEADER_H

#include "pptp-parser.h"

#include "ns3/header.h"
#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

/// \ingroup fortigate
/// GRE protocol type of PPP, carried by PPTP's enhanced GRE (RFC 2637 §4.1).
constexpr uint16_t GRE_PROTOCOL_PPP = 0x880B;

/**
 * \ingroup fortigate
 * A GRE header, built for the enhanced GRE of PPTP (RFC 2637 §4.1) and able to carry the
 * optional fields of RFC 1701/2890 as well.
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |      Checksum (optional)      |       Offset (optional)       |   C or R
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |    Key (HW) Payload Length    |       Key (LW) Call ID        |   K
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                 Sequence Number (Optional)                    |   S
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |               Acknowledgment Number (Optional)                |   A
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   \endverbatim
 *
 * The default header is PPTP's: K set, version 1, protocol 0x880B, no sequence or
 * acknowledgement number. The two flag bytes are kept as they were read (reserved bits
 * included), so Deserialize followed by Serialize gives back the same bytes; only the
 * checksum/offset, key, sequence and acknowledgement fields are understood. Source routing
 * (R set) is not supported: its routing entries are not part of this header.
 */
class GreHeader : public Header
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /// PPTP's enhanced GRE header: K, version 1, protocol PPP, key 0/0.
    GreHeader();

    /// \return the version (1 for enhanced GRE, 0 for RFC 1701/2784)
    uint8_t GetVersion() const;
    /// \param version the version (0..7)
    void SetVersion(uint8_t version);

    /// \return the protocol type (0x880B for PPP)
    uint16_t GetProtocolType() const;
    /// \param protocol the protocol type
    void SetProtocolType(uint16_t protocol);

    /// \return true when the key field is present (K bit)
    bool HasKey() const;
    /// Add or remove the key field (K bit).
    void SetKeyPresent(bool present);

    /// \return the payload length (high half of the key)
    uint16_t GetPayloadLength() const;
    /// Set the payload length (high half of the key; sets K).
    void SetPayloadLength(uint16_t length);

    /// \return the Call ID (low half of the key)
    uint16_t GetCallId() const;
    /// Set the Call ID (low half of the key; sets K).
    void SetCallId(uint16_t callId);

    /// \return true when a sequence number is present (S bit)
    bool HasSequenceNumber() const;
    /// \return the sequence number (0 when absent)
    uint32_t GetSequenceNumber() const;
    /// Set the sequence number (sets S).
    void SetSequenceNumber(uint32_t seq);
    /// Remove the sequence number (clears S).
    void ClearSequenceNumber();

    /// \return true when an acknowledgement number is present (A bit)
    bool HasAcknowledgment() const;
    /// \return the acknowledgement number (0 when absent)
    uint32_t GetAcknowledgment() const;
    /// Set the acknowledgement number (sets A).
    void SetAcknowledgment(uint32_t ack);
    /// Remove the acknowledgement number (clears A).
    void ClearAcknowledgment();

    /// \return true when the checksum and offset fields are present (C or R bit)
    bool HasChecksumField() const;
    /// \return true when the C bit is set
    bool HasChecksum() const;
    /// \return the checksum field as read (0 when absent)
    uint16_t GetChecksum() const;
    /// Set the checksum field (sets C). The caller computes it (GRE header and payload).
    void SetChecksum(uint16_t checksum);

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    /**
     * \return the bytes GetSerializedSize() would give for the two flag bytes \p b0 and \p b1
     * (4 plus 4 for each of checksum/offset, key, sequence and acknowledgement)
     */
    static uint32_t SizeFromFlags(uint8_t b0, uint8_t b1);

    /// \return the offset of the key field from the start of a header with flag byte \p b0
    static uint32_t KeyOffset(uint8_t b0);

    /// Flag bits of the first byte.
    static constexpr uint8_t FLAG_C = 0x80; //!< checksum present
    static constexpr uint8_t FLAG_R = 0x40; //!< routing present
    static constexpr uint8_t FLAG_K = 0x20; //!< key present
    static constexpr uint8_t FLAG_S = 0x10; //!< sequence number present
    /// Flag bit of the second byte.
    static constexpr uint8_t FLAG_A = 0x80; //!< acknowledgement number present

  private:
    uint8_t m_flags0{FLAG_K};              //!< C R K S s Recur
    uint8_t m_flags1{1};                   //!< A, flags, version
    uint16_t m_protocol{GRE_PROTOCOL_PPP}; //!< protocol type
    uint16_t m_checksum{0};                //!< checksum (C or R)
    uint16_t m_offset{0};                  //!< offset (C or R)
    uint16_t m_payloadLength{0};           //!< key, high half
    uint16_t m_callId{0};                  //!< key, low half
    uint32_t m_seq{0};                     //!< sequence number (S)
    uint32_t m_ack{0};                     //!< acknowledgement number (A)
};

/**
 * \ingroup fortigate
 * \return GRE packet \p p (from its header on) with Call ID \p callId in its key (low half),
 * the checksum adjusted when present; \p p itself when it has no key or uses source routing
 */
Ptr<const Packet> TranslateGreKey(Ptr<const Packet> p, uint16_t callId);

} // namespace ns3

#endif // FORTIGATE_GRE_HEADER_H
