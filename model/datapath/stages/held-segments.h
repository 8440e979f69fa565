/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_HELD_SEGMENTS_H
#define FORTIGATE_HELD_SEGMENTS_H

#include "datapath-parts.h"
#include "packet-context.h"

#include "ns3/event-id.h"

#include <map>
#include <utility>
#include <vector>

namespace ns3
{

class HelperStage;
class RouteStage;
class ForwardStage;

/**
 * \ingroup fortigate
 * The TCP segments session helpers hold back (HelperContext::hold: a proxy such as a VoIP ALG
 * reads whole messages): a held segment is inspected again with the next segment of its
 * direction in front (TakeHeld), or goes on as it is when the stream does not continue in
 * order or HelperHoldTime runs out (ReleaseHeld).
 */
class HeldSegments
{
  public:
    /// \param dp the unit's shared parts
    explicit HeldSegments(DatapathParts& dp);

    /// Attach the stages a released segment goes through.
    void SetStages(HelperStage* helper, RouteStage* route, ForwardStage* forward);

    /// A TCP segment a session helper held back, with the bytes before it.
    struct HeldSegment
    {
        Session* session{nullptr};                       //!< its session (removed on close)
        Ptr<const Packet> packet;                        //!< the last segment, as it arrived
        Ipv4Header header;                               //!< its IPv4 header
        PacketView view;                                 //!< its view
        std::vector<uint8_t> prefix;                     //!< held bytes before its payload
        uint32_t seq{0};                                 //!< sequence number of the first
        uint32_t length{0};                              //!< prefix + its payload
        Ptr<const NetDevice> idev;                       //!< where it arrived
        Ipv4RoutingProtocol::UnicastForwardCallback ucb; //!< how to forward it
        EventId timer;                                   //!< HelperHoldTime expiry
    };

    /// Held segments by (session serial, direction).
    using Map = std::map<std::pair<uint32_t, int>, HeldSegment>;

    /// \return true when nothing is held
    bool Empty() const
    {
        return m_held.empty();
    }

    /// \return how many segments are held (one per session direction at most)
    size_t Size() const
    {
        return m_held.size();
    }

    /// \return the held segments (the helper stage files a new one)
    Map& Segments()
    {
        return m_held;
    }

    /**
     * Take the bytes held on direction \p d of \p s in front of segment \p v: \p prefix gets
     * them and \p startSeq their first sequence number; or release them first when \p v does
     * not continue them.
     */
    void TakeHeld(Session* s,
                  int d,
                  const PacketView& v,
                  std::vector<uint8_t>& prefix,
                  uint32_t& startSeq);

    /// Send the bytes held on direction \p d of session \p serial on as they are.
    void ReleaseHeld(uint32_t serial, int d);

    /// Forget what session \p serial holds (it closes).
    void Forget(uint32_t serial);

    /// Forget everything (the unit is disposed: held segments keep forwarding callbacks).
    void Clear();

  private:
    DatapathParts& m_dp;              //!< shared parts
    const Ptr<CpuModel>& m_cpu;       //!< processing-time model
    HelperStage* m_helper{nullptr};   //!< inspects released segments
    RouteStage* m_route{nullptr};     //!< routes them
    ForwardStage* m_forward{nullptr}; //!< forwards them
    Map m_held;                       //!< by (session serial, direction)
};

} // namespace ns3

#endif // FORTIGATE_HELD_SEGMENTS_H
