/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * fortigate-soak [HOURS] [SEED]: the soak scenario of test/robustness/soak.h over a simulated
 * day by default (HOURS=24; FGSIM_SOAK_HOURS overrides): 150 SIP calls, 60 FTP downloads and
 * 2,000 short flows an hour, a policy change every hour, then idling until every timer ran
 * out. Prints the process's resident memory (VmRSS) at the start of every simulated hour with
 * the session table size and the lines in the unit's memory log (a ring of 100,000 lines, the
 * one thing that grows by design until it is full), and at the end the totals, whether the counters
 * add up and whether the unit is back to its baseline (no session, pinhole, reservation or SIP call
 * left): soak_rss_kb_h<N>: <kB>  (sessions=<n>) soak_rss_kb_end: <kB>, soak_counters_add_up:
 * yes|no, soak_baseline_ok: yes|no, ...
 */
#include "robustness/soak.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace ns3;
using namespace ns3::soak;

namespace
{

long
RssKb()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
    {
        if (line.rfind("VmRSS:", 0) == 0)
        {
            return std::strtol(line.c_str() + 6, nullptr, 10);
        }
    }
    return -1;
}

} // namespace

int
main(int argc, char** argv)
{
    SoakOptions o;
    o.hours = 24;
    if (const char* env = std::getenv("FGSIM_SOAK_HOURS"))
    {
        o.hours = static_cast<uint32_t>(std::atoi(env));
    }
    if (argc > 1)
    {
        o.hours = static_cast<uint32_t>(std::atoi(argv[1]));
    }
    o.seed = argc > 2 ? static_cast<uint32_t>(std::atoi(argv[2])) : 1;
    o.callsPerHour = 150;
    o.ftpPerHour = 60;
    o.flowsPerHour = 2000;
    std::printf("soak_rss_kb_before: %ld\n", RssKb());
    o.onHour = [](uint32_t h, FortiGateNode& fgt) {
        std::printf("soak_rss_kb_h%u: %ld (sessions=%zu pinholes=%zu log_lines=%zu)\n",
                    h,
                    RssKb(),
                    fgt.GetSessionTable().Size(),
                    fgt.GetExpectations().Size(),
                    fgt.GetTrafficLog().Lines().size());
        std::fflush(stdout);
    };
    const auto t0 = std::chrono::steady_clock::now();
    const SoakResult r = RunSoak(o);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const bool adds = r.received == r.forwarded + r.Dropped() + r.local + r.ipDrops;
    const bool baseline = r.sessions == 0 && r.pinholes == 0 && r.reservations == 0 &&
                          r.heldSegments == 0 &&
                          r.sipCalls.find("active calls: 0\n") != std::string::npos;
    std::printf("soak_rss_kb_end: %ld\n", RssKb());
    std::printf("soak_hours: %u\nsoak_wall_s: %.1f\n", o.hours, wall);
    std::printf("soak_packets_in: %llu\nsoak_forwarded: %llu\nsoak_dropped: %llu\n",
                static_cast<unsigned long long>(r.received),
                static_cast<unsigned long long>(r.forwarded),
                static_cast<unsigned long long>(r.Dropped()));
    std::printf("soak_calls: %u/%u\nsoak_ftp: %u/%u\nsoak_flows: %u/%u\n",
                r.callsAnswered,
                r.callsPlaced,
                r.ftpCompleted,
                r.ftpPlaced,
                r.flowsEchoed,
                r.flowsSent);
    std::printf("soak_left: sessions=%zu pinholes=%zu reservations=%zu held_segments=%zu\n",
                r.sessions,
                r.pinholes,
                r.reservations,
                r.heldSegments);
    std::printf("soak_counters_add_up: %s\nsoak_baseline_ok: %s\n",
                adds ? "yes" : "no",
                baseline ? "yes" : "no");
    if (!baseline)
    {
        std::printf("%s", r.sipCalls.c_str());
    }
    return adds && baseline ? 0 : 1;
}
