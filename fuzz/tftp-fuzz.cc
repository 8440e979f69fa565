/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the TFTP packet parser (RFC 1350 + RFC 2347 options); a parsed request
 * built again with BuildTftpRequest must parse to the same file name and mode.
 */
#include "fuzz-check.h"

#include "ns3/tftp-parser.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    TftpPacket p;
    if (ParseTftp(data, len, p))
    {
        if (p.op == TftpPacket::DATA)
        {
            FUZZ_CHECK(p.dataOffset <= len && p.dataLength <= len - p.dataOffset);
        }
        if (p.op == TftpPacket::RRQ || p.op == TftpPacket::WRQ)
        {
            IsTftpMode(p.mode);
            uint64_t size = 0;
            ParseTftpGeneratedName(p.filename, size);
            const auto again = BuildTftpRequest(p.op, p.filename, p.mode);
            TftpPacket q;
            FUZZ_CHECK(ParseTftp(again.data(), again.size(), q));
            FUZZ_CHECK(q.filename == p.filename && q.mode == p.mode);
        }
        TftpOpName(p.op);
    }
    return 0;
}
