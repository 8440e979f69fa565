/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_PYTHON_BINDINGS_H
#define FORTIGATE_PYTHON_BINDINGS_H

// The parts of the extension module fortigate._core, each defined in its own file.

#include <pybind11/pybind11.h>

namespace fortigate_python
{

/// The pure parsers (parse_sip, parse_sdp, find_ftp_address_commands, ...): parsers.cc.
void BindParsers(pybind11::module_& m);

/// run_scenario(spec) (the scenario builder's engine): scenario.cc.
void BindScenario(pybind11::module_& m);

} // namespace fortigate_python

#endif // FORTIGATE_PYTHON_BINDINGS_H
