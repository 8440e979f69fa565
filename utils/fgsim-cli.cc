/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// fgsim-cli: check FortiOS configuration files offline (what `./fgsim cli FILE` runs).
//
//   fgsim-cli [--full] [--restore] [--quiet] FILE...
//
// The files are run in order, as CLI batches, on a factory-default FortiGate configuration
// (each file is one batch: it applies completely or not at all). On success the tool prints
// `show` of the result (`show full-configuration` with --full) and exits 0; on the first error
// it prints `FILE: line N: ...` with the FortiOS error text on stderr and exits 1.
// --restore loads each file as a configuration backup (tables it configures are replaced).
// `diagnose`/`execute` commands need a running unit and are reported as errors.

#include "tool-options.h"

#include "ns3/command-line.h"
#include "ns3/fortios-cli.h"
#include "ns3/log.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

NS_LOG_COMPONENT_DEFINE("FgsimCli");

int
main(int argc, char** argv)
{
    const char* usage = "usage: fgsim-cli [--full] [--restore] [--quiet] FILE...\n";
    bool full = false;
    bool restore = false;
    bool quiet = false;
    ns3::CommandLine cmd(__FILE__);
    cmd.Usage("Runs FortiOS CLI files (\"-\": standard input) on a factory-default FortiGate\n"
              "configuration and prints `show` of the result, or the errors with line numbers.\n" +
              std::string(usage));
    cmd.AddValue("full", "print `show full-configuration`", full);
    cmd.AddValue("restore", "load each file as a configuration backup", restore);
    cmd.AddValue("quiet", "print nothing on success (-q)", quiet);
    std::vector<std::string> args;
    const std::string err = ns3::PrepareToolArguments(argv[0],
                                                      {argv + 1, argv + argc},
                                                      {{"full"}, {"restore"}, {"quiet", 'q'}},
                                                      args);
    if (!err.empty())
    {
        std::cerr << "fgsim-cli: " << err << "\n" << usage;
        return 2;
    }
    cmd.Parse(args);
    std::vector<std::string> files;
    for (std::size_t i = 0; i < cmd.GetNExtraNonOptions(); ++i)
    {
        files.push_back(cmd.GetExtraNonOption(i));
    }
    if (files.empty())
    {
        std::cerr << usage;
        return 2;
    }

    ns3::FortiGateConfig config;
    ns3::FortiOsCli cli;
    for (const auto& f : files)
    {
        std::stringstream text;
        std::ifstream in(f);
        if (!in)
        {
            std::cerr << f << ": cannot open\n";
            return 2;
        }
        text << in.rdbuf();
        const auto r = restore ? cli.Load(config, text.str()) : cli.Execute(config, text.str());
        if (!quiet)
        {
            std::cout << r.output;
        }
        if (!r.ok)
        {
            std::cerr << f << ": " << r.error << "\n";
            std::cerr << f << ": configuration rejected (nothing from this file was applied)\n";
            return 1;
        }
    }
    if (!quiet)
    {
        std::cout << ns3::FortiOsCli::Show(config, full);
    }
    return 0;
}
