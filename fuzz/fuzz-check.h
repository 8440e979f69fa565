/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared by the libFuzzer targets of fuzz/: FUZZ_CHECK, an invariant that must hold for every
 * input (a parser's spans inside the bytes it saw, a rewrite's size equal to its announced
 * delta). A broken invariant aborts, so libFuzzer keeps the input like any other crash.
 */
#ifndef FORTIGATE_FUZZ_CHECK_H
#define FORTIGATE_FUZZ_CHECK_H

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                           \
    do                                                                                             \
    {                                                                                              \
        if (!(cond))                                                                               \
        {                                                                                          \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);      \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

#endif // FORTIGATE_FUZZ_CHECK_H
