/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SNAT_STAGE_H
#define FORTIGATE_SNAT_STAGE_H

#include "datapath-parts.h"
#include "packet-context.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Datapath stage "SNAT decision" of a new session, in FortiOS's order: a VIP's reverse
 * (nat-source-vip / static VIP), the policy's IP pools, the egress interface's address
 * (policy nat, or hairpin traffic); the address and port come from the NAT allocator, keeping a
 * session helper's NAT reservation for the endpoint. Also the IP pool names sessions refer to
 * (Session::natPool) and the release of their ports when sessions close.
 */
class SnatStage
{
  public:
    /// \param dp the unit's shared parts
    explicit SnatStage(DatapathParts& dp);

    /// \return NEXT with c.nat, c.poolName and c.leaving set; DONE when NAT is exhausted
    StageResult Run(PacketContext& c);

    /// Give back the pool port of a new session that could not be inserted.
    void ReleaseUnused(const PacketContext& c);

    /// \return the id (Session::natPool) of IP pool \p name, 0 for none
    uint16_t InternPool(const std::string& name);

    /// Release the pool port of session \p s (it is closing).
    void ReleaseSession(const Session& s);

  private:
    DatapathParts& m_dp;                  //!< shared parts
    std::vector<std::string> m_poolNames; //!< interned IP pool names (Session::natPool - 1)
};

} // namespace ns3

#endif // FORTIGATE_SNAT_STAGE_H
