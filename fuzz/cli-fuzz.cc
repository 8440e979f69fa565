/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the FortiOS CLI engine on arbitrary text (tokenizer, tables, config
 * objects). A rejected script must leave the configuration as it was (nothing half-applied);
 * an accepted one must print (`show`) as text the engine accepts again.
 */
#include "fuzz-check.h"

#include "ns3/fortigate-config.h"
#include "ns3/fortios-cli.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    const std::string text(reinterpret_cast<const char*>(data), len);
    try
    {
        TokenizeFortiOs(text);
    }
    catch (const CliSyntaxError&)
    {
    }
    FortiOsCli cli;
    FortiGateConfig config;
    const std::string before = FortiOsCli::Show(config);
    const FortiOsCli::Result result = cli.Execute(config, text);
    if (!result.ok)
    {
        FUZZ_CHECK(!result.error.empty() && result.errorLine > 0);
        FUZZ_CHECK(FortiOsCli::Show(config) == before); // nothing half-applied
        return 0;
    }
    // What `show` prints restores the same configuration (FortiOsCli::Load's contract).
    const std::string shown = FortiOsCli::Show(config);
    FortiGateConfig again;
    const FortiOsCli::Result restored = cli.Load(again, shown);
    if (!restored.ok || FortiOsCli::Show(again) != shown)
    {
        std::fprintf(stderr,
                     "show output does not restore:\n%s\n%s\n",
                     shown.c_str(),
                     restored.error.c_str());
        FUZZ_CHECK(false);
    }
    return 0;
}
