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

#include "ns3/fortios-cli.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

int
main(int argc, char** argv)
{
    bool full = false;
    bool restore = false;
    bool quiet = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i)
    {
        const std::string a = argv[i];
        if (a == "--full")
        {
            full = true;
        }
        else if (a == "--restore")
        {
            restore = true;
        }
        else if (a == "--quiet" || a == "-q")
        {
            quiet = true;
        }
        else if (a == "-h" || a == "--help")
        {
            std::cout << "usage: fgsim-cli [--full] [--restore] [--quiet] FILE...\n"
                         "Runs FortiOS CLI files on a factory-default FortiGate configuration\n"
                         "and prints `show` of the result, or the errors with line numbers.\n";
            return 0;
        }
        else if (a.size() > 1 && a[0] == '-' && a != "-")
        {
            std::cerr << "fgsim-cli: unknown option " << a << "\n";
            return 2;
        }
        else
        {
            files.push_back(a);
        }
    }
    if (files.empty())
    {
        std::cerr << "usage: fgsim-cli [--full] [--restore] [--quiet] FILE...\n";
        return 2;
    }

    ns3::FortiGateConfig config;
    ns3::FortiOsCli cli;
    for (const auto& f : files)
    {
        std::stringstream text;
        if (f == "-")
        {
            text << std::cin.rdbuf();
        }
        else
        {
            std::ifstream in(f);
            if (!in)
            {
                std::cerr << f << ": cannot open\n";
                return 2;
            }
            text << in.rdbuf();
        }
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
