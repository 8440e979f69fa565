/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "keyed-protocol.h"

#include "ns3/log.h"

#include <map>
#include <memory>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("KeyedProtocols");

void
KeyedProtocols::Declare(uint8_t proto, KeyedProtocol kp)
{
    // Declarations live as long as the program (the table points into this store).
    static std::map<uint8_t, std::unique_ptr<KeyedProtocol>> store;
    NS_LOG_FUNCTION(unsigned(proto) << kp.name);
    auto& slot = store[proto];
    slot = std::make_unique<KeyedProtocol>(std::move(kp));
    s_table[proto] = slot.get();
}

} // namespace ns3
