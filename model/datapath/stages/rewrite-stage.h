/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_REWRITE_STAGE_H
#define FORTIGATE_REWRITE_STAGE_H

#include "packet-context.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage "rewrite" of a packet no session helper inspects: the session's translation
 * for its direction (addresses, ports, ICMP id, a keyed protocol's key; checksums fixed when ns-3
 * checksums are on). A session helper's packets are rewritten with its payload edits by the helper
 * stage.
 */
class RewriteStage
{
  public:
    /// Set c.q and c.out to the packet as it leaves.
    void Run(PacketContext& c) const;
};

} // namespace ns3

#endif // FORTIGATE_REWRITE_STAGE_H
