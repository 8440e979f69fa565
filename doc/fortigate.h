/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Doxygen only (as ns-3's src/<module>/doc/<module>.h): the group every `\ingroup fortigate`
 * block of the module belongs to. Not compiled, not installed.
 */
#ifndef FORTIGATE_DOC_H
#define FORTIGATE_DOC_H

/**
 * \defgroup fortigate FortiGate firewall
 *
 * A Fortinet FortiGate firewall for ns-3: a FortiOS-style session table, firewall policies,
 * NAT (interface SNAT, IP pools, VIPs), FortiOS session helpers and the SIP ALG, configured with
 * FortiOS CLI text and printing FortiOS `diagnose` output. The model chapter is
 * doc/fortigate.rst; FortiGateHelper installs the model on a node.
 */

#endif /* FORTIGATE_DOC_H */
