/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FRAGMENT_TABLE_H
#define FRAGMENT_TABLE_H

#include "flow-tuple.h"
#include "packet-view.h"

#include <cstdint>
#include <map>
#include <tuple>

namespace ns3
{

/**
 * \ingroup fortigate
 * Which session the later fragments of an IPv4 datagram belong to (architecture §3): a later
 * fragment has no transport header, so it follows the session its first fragment passed
 * through. Entries leave with the datagram's last fragment or after 30 s (Linux's
 * ip_frag_time).
 */
class FragmentTable
{
  public:
    /// Remember that the first fragment \p v passed through the session whose tuple (in the
    /// direction it arrived) is \p tuple, at \p nowNs.
    void Remember(const PacketView& v, const FlowTuple& tuple, int64_t nowNs);

    /// \return the tuple later fragment \p v's first fragment arrived with, or nullptr
    const FlowTuple* Find(const PacketView& v) const;

    /// Forget the datagram of fragment \p v (its last one passed).
    void Forget(const PacketView& v);

    /// Forget the datagrams whose first fragment passed more than 30 s before \p nowNs.
    void Expire(int64_t nowNs);

  private:
    /// Identifies the fragments of one datagram.
    struct Key
    {
        uint32_t src;  //!< source address
        uint32_t dst;  //!< destination address
        uint16_t id;   //!< IP identification
        uint8_t proto; //!< IP protocol

        /// \return the strict weak order of the map
        bool operator<(const Key& o) const
        {
            return std::tie(src, dst, id, proto) < std::tie(o.src, o.dst, o.id, o.proto);
        }
    };

    /// The session a datagram's first fragment belonged to.
    struct Entry
    {
        FlowTuple tuple; //!< the first fragment's arriving tuple
        int64_t seenNs;  //!< when it passed
    };

    /// \return the key of \p v's datagram
    static Key KeyOf(const PacketView& v)
    {
        return Key{v.tuple.src, v.tuple.dst, v.ipId, v.tuple.proto};
    }

    std::map<Key, Entry> m_entries; //!< by datagram
};

} // namespace ns3

#endif // FRAGMENT_TABLE_H
