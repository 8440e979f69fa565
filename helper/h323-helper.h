/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_H323_HELPER_H
#define FORTIGATE_H323_HELPER_H

#include "ns3/fortigate-app-helper.h"
#include "ns3/h323-gatekeeper.h"
#include "ns3/h323-terminal.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs H323Terminal applications.
 */
class H323TerminalHelper : public FortiGateAppHelper<H323Terminal>
{
  public:
    /// A \p role ("caller" or "callee") terminal; a caller without gatekeeper calls \p peer.
    explicit H323TerminalHelper(const std::string& role, Ipv4Address peer = Ipv4Address());
};

/**
 * \ingroup fortigate
 * Installs H323Gatekeeper applications.
 */
class H323GatekeeperHelper : public FortiGateAppHelper<H323Gatekeeper>
{
  public:
    H323GatekeeperHelper();
};

} // namespace ns3

#endif // FORTIGATE_H323_HELPER_H
