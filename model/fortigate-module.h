/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
/**
 * \defgroup fortigate FortiGate firewall model
 * A Fortinet FortiGate: session table, policies, NAT, session helpers, SIP ALG.
 */
#ifndef FORTIGATE_MODULE_H
#define FORTIGATE_MODULE_H

#include "ns3/config-error.h"
#include "ns3/cpu-model.h"
#include "ns3/flow-tuple.h"
#include "ns3/fortigate-config.h"
#include "ns3/fortigate-helper.h"
#include "ns3/fortigate-node.h"
#include "ns3/fortigate-routing.h"
#include "ns3/ip-pool.h"
#include "ns3/nat-allocator.h"
#include "ns3/packet-view.h"
#include "ns3/policy-matcher.h"
#include "ns3/session-diagnose.h"
#include "ns3/session-table.h"
#include "ns3/session.h"
#include "ns3/virtual-ip.h"

#endif // FORTIGATE_MODULE_H
