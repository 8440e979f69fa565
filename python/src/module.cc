/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// fortigate._core: the C++ side of the Python package `fortigate` (python/fortigate). The
// package wraps these functions in the documented Python API (snake_case, exceptions such as
// fortigate.ConfigError); nothing here aborts the interpreter on bad input: C++ exceptions
// become Python exceptions (std::invalid_argument -> ValueError).

#include "bindings.h"

#include "ns3/fortigate-config.h"
#include "ns3/fortios-cli.h"

#include <pybind11/stl.h>

namespace py = pybind11;
using namespace ns3;

namespace
{

/**
 * Run CLI text on the factory configuration with \p interfaces (restore: as a backup restore)
 * and report the
 * outcome as a dict: ok, show (of the result, or ""), output, error, line, return_code. The
 * caller turns a failure into fortigate.ConfigError.
 */
py::dict
CheckConfig(const std::string& text,
            bool full,
            bool restore,
            const std::vector<std::string>& interfaces)
{
    FortiGateConfig config;
    for (const auto& name : interfaces)
    {
        InterfaceConfig intf;
        intf.name = name;
        config.AddInterface(intf); // throws ConfigError (ValueError) for a bad or repeated name
    }
    FortiOsCli::Result r;
    std::string show;
    {
        py::gil_scoped_release release;
        const FortiOsCli cli;
        r = restore ? cli.Load(config, text) : cli.Execute(config, text);
        if (r.ok)
        {
            show = FortiOsCli::Show(config, full);
        }
    }
    py::dict d;
    d["ok"] = r.ok;
    d["show"] = show;
    d["output"] = r.output;
    d["error"] = r.error;
    d["line"] = r.errorLine;
    d["return_code"] = r.returnCode;
    return d;
}

} // namespace

PYBIND11_MODULE(_core, m)
{
    m.doc() = "C++ core of the fortigate package (ns-3 FortiGate module); use `fortigate`.";
    m.def("check_config",
          &CheckConfig,
          py::arg("text"),
          py::arg("full") = false,
          py::arg("restore") = false,
          py::arg("interfaces") = std::vector<std::string>(),
          "Run FortiOS CLI text on a factory-default configuration; dict with ok, show, "
          "output, error, line, return_code.");
    m.def("table_paths",
          &FortiOsCli::TablePaths,
          "Every configuration table path the CLI knows, in `show` order.");
    fortigate_python::BindParsers(m);
    fortigate_python::BindScenario(m);
}
