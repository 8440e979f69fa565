/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the FTP control-channel scanner (PORT/EPRT from the client, 227/229 from
 * the server) and the replacement text it formats.
 */
#include "fuzz-check.h"

#include "ns3/ftp-parser.h"

#include <cstddef>
#include <cstdint>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    for (bool fromClient : {true, false})
    {
        for (const auto& c : FindFtpAddressCommands(data, len, fromClient))
        {
            FUZZ_CHECK(c.textOffset <= len && c.textLength <= len - c.textOffset);
            FUZZ_CHECK(!FormatFtpAddress(c.kind, c.addr, c.port, c.delimiter).empty());
            FtpAddressKindName(c.kind);
        }
    }
    return 0;
}
