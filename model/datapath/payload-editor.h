/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PAYLOAD_EDITOR_H
#define FORTIGATE_PAYLOAD_EDITOR_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Replacements a session helper wants in one packet's payload, applied once (pure C++).
 *
 * Replacements are (offset, old length, new bytes) over the original payload; they must not
 * overlap. Apply() builds the new payload in one pass.
 */
class PayloadEditor
{
  public:
    /// One replacement.
    struct Edit
    {
        std::size_t offset; //!< where in the original payload
        std::size_t length; //!< bytes replaced
        std::string bytes;  //!< replacement
    };

    /**
     * Record a replacement. \return false (and record nothing) when it falls outside the
     * payload of \p payloadLen bytes or overlaps an earlier one.
     */
    bool Replace(std::size_t offset,
                 std::size_t length,
                 const std::string& bytes,
                 std::size_t payloadLen);

    /// \return true when nothing is to change
    bool Empty() const
    {
        return m_edits.empty();
    }

    /// \return the size difference the edits make (new - old)
    long Delta() const;

    /// \return the recorded edits, by offset
    const std::vector<Edit>& Edits() const
    {
        return m_edits;
    }

    /// \return the payload with every edit applied
    std::vector<uint8_t> Apply(const uint8_t* payload, std::size_t len) const;

    /// Forget every edit.
    void Clear()
    {
        m_edits.clear();
    }

  private:
    std::vector<Edit> m_edits; //!< sorted by offset
};

/**
 * \ingroup fortigate
 * TCP sequence-number correction of one direction after payload edits changed its length
 * (what Linux calls seq-adjust): segments that start after the last edit's position are
 * shifted by \c after, earlier ones (retransmissions) by \c before.
 */
struct TcpSeqAdjust
{
    uint32_t position{0}; //!< sequence number of the segment with the last length change
    int32_t before{0};    //!< offset for segments starting before or at position
    int32_t after{0};     //!< offset for segments starting after position
    bool active{false};   //!< any change recorded

    /// Record that the segment starting at \p seq changed length by \p delta.
    void Record(uint32_t seq, int32_t delta);

    /// \return the offset to add to a sequence number \p seq of this direction
    int32_t OffsetFor(uint32_t seq) const;

    /// \return the offset to subtract from an acknowledgement \p ack of the other direction
    ///         (which acknowledges translated sequence numbers)
    int32_t OffsetForAck(uint32_t ack) const;
};

} // namespace ns3

#endif // FORTIGATE_PAYLOAD_EDITOR_H
