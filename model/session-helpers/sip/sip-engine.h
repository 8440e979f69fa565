/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_ENGINE_H
#define FORTIGATE_SIP_ENGINE_H

#include "ns3/ptr.h"

namespace ns3
{

class FortiGateNode;
class SipAlg;
class SipSessionHelper;

/**
 * \ingroup fortigate
 * \return the SIP kernel helper of \p unit (`helper=sip`; created on first use, reading the
 *         unit's `config system settings`), or nullptr when \p unit is null
 */
Ptr<SipSessionHelper> GetSipHelper(Ptr<FortiGateNode> unit);

/**
 * \ingroup fortigate
 * \return the SIP ALG of \p unit (dialogs, call records, counters; created on first use,
 *         resolving the unit's VoIP profiles), or nullptr when \p unit is null
 */
Ptr<SipAlg> GetSipAlg(Ptr<FortiGateNode> unit);

} // namespace ns3

#endif // FORTIGATE_SIP_ENGINE_H
