/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the rsh/rexec start parser (stderr port field, users, command) and the
 * `generate` command parser of the rsh server.
 */
#include "fuzz-check.h"

#include "ns3/rsh-parser.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    uint16_t port = 0;
    std::size_t textLength = 0;
    if (ScanRshStderrPort(data, len, port, textLength) == RshScan::COMPLETE)
    {
        FUZZ_CHECK(textLength <= len);
    }
    const int p = ParseRshStderrPort(data, len);
    FUZZ_CHECK(p <= 65535);
    RshStart start;
    if (ParseRshStart(data, len, start))
    {
        FUZZ_CHECK(start.length <= len);
        FUZZ_CHECK(start.localUser.size() <= RSH_MAX_USER_LENGTH);
        uint64_t size = 0;
        ParseRshGenerateCommand(start.command, size);
        const auto again =
            BuildRshStart(start.stderrPort, start.localUser, start.remoteUser, start.command);
        RshStart back;
        FUZZ_CHECK(ParseRshStart(again.data(), again.size(), back));
        FUZZ_CHECK(back.command == start.command && back.stderrPort == start.stderrPort);
    }
    return 0;
}
