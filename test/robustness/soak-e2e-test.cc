/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The soak scenario (soak.h), short enough for CI: 2 simulated hours of SIP calls, FTP
 * downloads, short flows and hourly policy changes, then idling until every timer ran out.
 * Memory goes back to its baseline (no session, pinhole, NAT reservation, held TCP segment or
 * SIP call state left), the counters add up (packets in = forwarded + dropped by reason + delivered
 * to the unit), the traffic worked, and the run is the same for the same seed. The long run (a
 * simulated day, RSS over time) is the benchmark bench/soak.cc (./fgsim bench).
 */
#include "soak.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::soak;

namespace
{

SoakOptions
Short(uint32_t seed)
{
    SoakOptions o;
    o.hours = 2;
    o.callsPerHour = 12;
    o.ftpPerHour = 8;
    o.flowsPerHour = 100;
    o.seed = seed;
    return o;
}

} // namespace

TEST(SoakE2e, TwoHoursOfChurnLeaveNothingBehindAndTheCountersAddUp)
{
    const SoakResult r = RunSoak(Short(7));
    // Baseline: the traffic stopped, every timer ran out.
    EXPECT_EQ(r.sessions, 0u);
    EXPECT_EQ(r.pinholes, 0u);
    EXPECT_EQ(r.reservations, 0u);
    EXPECT_EQ(r.heldSegments, 0u);
    EXPECT_NE(r.sipCalls.find("active calls: 0\n"), std::string::npos) << r.sipCalls;
    // Counters add up.
    EXPECT_EQ(r.received, r.forwarded + r.Dropped() + r.local + r.ipDrops) << r.Digest();
    // The traffic worked, and the hourly policy flips denied the sink flows of odd hours only.
    EXPECT_EQ(r.callsAnswered, r.callsPlaced) << r.Digest();
    EXPECT_EQ(r.ftpCompleted, r.ftpPlaced) << r.Digest();
    EXPECT_GT(r.flowsEchoed, r.flowsSent / 2) << r.Digest();
    EXPECT_GT(r.drops.count("policy-deny") ? r.drops.at("policy-deny") : 0u, 0u) << r.Digest();
    EXPECT_GT(r.sessionsPerHour.at(1), 0u);
}

TEST(SoakE2e, TheSameSeedGivesTheSameRunAndAnotherSeedAnother)
{
    SoakOptions o = Short(11);
    o.hours = 1;
    o.idleAfter = 600;
    const std::string a = RunSoak(o).Digest();
    const std::string b = RunSoak(o).Digest();
    EXPECT_EQ(a, b);
    o.seed = 12;
    EXPECT_NE(RunSoak(o).Digest(), a);
}
