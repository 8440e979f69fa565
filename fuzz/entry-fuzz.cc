/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target over a parser's own pure entry point, `int FUZZ_ENTRY(const uint8_t*,
 * std::size_t)` declared in FUZZ_HEADER (FuzzOncRpc, FuzzDceRpc, FuzzTns, FuzzDns...: each runs
 * every parse function of its protocol on the bytes). fuzz/CMakeLists.txt builds one executable
 * per line of fortigate_fuzz_entries with the two macros set.
 */
#include FUZZ_HEADER

#include <cstddef>
#include <cstdint>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t len)
{
    return ns3::FUZZ_ENTRY(data, len);
}
