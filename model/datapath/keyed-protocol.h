/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef KEYED_PROTOCOL_H
#define KEYED_PROTOCOL_H

#include "ns3/ptr.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace ns3
{

class Packet;

/**
 * \ingroup fortigate
 * A portless IP protocol whose flows a session helper declares keyed (architecture §6): the
 * datapath knows only that packets of protocol P carry a 16-bit key, where it is and how to
 * rewrite it. The key takes the place of the destination port in the flow tuple (sport is 0),
 * and the key is the receiver's, so the two directions of a session carry different keys
 * (Session::key). Pinholes of a keyed protocol come in pairs, one per direction; the first
 * packet through either makes one session for both. Without a declaration a protocol other
 * than TCP, UDP and ICMP makes address-only sessions.
 */
struct KeyedProtocol
{
    std::string name; //!< name in session lists and logs (e.g. `diagnose sys session list`)

    /**
     * Read the key of a packet whose transport bytes are \p l4 (\p len of them).
     * \param key set to the key when the packet carries one (else left alone)
     * \param headerSize set to the transport header size
     * \return false when the header is truncated (the packet is malformed)
     */
    std::function<bool(const uint8_t* l4, std::size_t len, uint16_t& key, uint16_t& headerSize)>
        readKey;

    /// \return transport packet \p p (from its header on) with key \p key (a copy when it
    ///         changes; \p p itself when it carries no key to rewrite)
    std::function<Ptr<const Packet>(Ptr<const Packet> p, uint16_t key)> writeKey;

    uint32_t unrepliedTimeout{30}; //!< session TTL until the other direction is seen, s
    uint32_t streamTimeout{180};   //!< session TTL once both directions were seen, s
};

/**
 * \ingroup fortigate
 * The keyed protocols declared by session helpers (KeyedProtocols::Declare in a helper's .cc,
 * at load time), by IP protocol number.
 */
class KeyedProtocols
{
  public:
    /// Declare protocol \p proto keyed as \p kp (replaces an earlier declaration).
    static void Declare(uint8_t proto, KeyedProtocol kp);

    /// \return the declaration of \p proto, or nullptr when it is not keyed
    static const KeyedProtocol* Find(uint8_t proto)
    {
        return s_table[proto];
    }

    /// \return true when \p proto is keyed
    static bool IsKeyed(uint8_t proto)
    {
        return s_table[proto] != nullptr;
    }

  private:
    static inline const KeyedProtocol* s_table[256]{}; //!< by protocol (declared ones live on)
};

} // namespace ns3

#endif // KEYED_PROTOCOL_H
