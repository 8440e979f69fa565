/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_HELPER_BINDING_STAGE_H
#define FORTIGATE_HELPER_BINDING_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage "helper binding": the session helper a new session gets, from the
 * session-helper table by protocol and port (or the engine a helper family's hook selects, as
 * the VoIP-mode decision does for SIP).
 */
class HelperBindingStage
{
  public:
    /// \param dp the unit's shared parts
    explicit HelperBindingStage(DatapathParts& dp);

    /// Bind the helper of new session c.s.
    void Run(const PacketContext& c) const;

  private:
    DatapathParts& m_dp; //!< shared parts
};

} // namespace ns3

#endif // FORTIGATE_HELPER_BINDING_STAGE_H
