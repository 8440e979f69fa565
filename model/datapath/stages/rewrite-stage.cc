/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rewrite-stage.h"

#include "ns3/log.h"
#include "ns3/nat-translator.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateRewriteStage");

void
RewriteStage::Run(PacketContext& c) const
{
    const FlowTuple to = c.s->Translated(c.dir);
    if (to != c.v.tuple)
    {
        c.q = TranslatePacket(c.p, c.out, c.v, to, Node::ChecksumEnabled());
    }
}

} // namespace ns3
