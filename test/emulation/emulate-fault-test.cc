/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * fgsim-emulate's bad input and faults: names in use that are not ours are never deleted, a
 * killed run leaves nothing behind, no privilege gives one clear error, bad arguments are
 * named, and garbage at line rate from a real peer neither crashes the unit nor stops it
 * forwarding (the lag it causes is reported).
 */

#include "netns-harness.h"

using namespace fgsim_test;

namespace
{

const std::string kBase = kConfigs + "emulate-nat.conf";

bool
NetnsExists(const std::string& ns)
{
    return Sh("test -e /run/netns/" + ns) == 0;
}

/// Links in the root namespace marked as created by run \p pid.
std::string
MarkedLinks(pid_t pid)
{
    std::string out;
    Sh("ip -o link show | grep 'alias fgsim-emulate:" + std::to_string(pid) + "$' || true", &out);
    return out;
}

} // namespace

TEST(EmulateFaults, NamesInUseThatAreNotOursAreNeverDeleted)
{
    FGSIM_REQUIRE("ethtool");
    const std::string in = NsName("own-in");
    const std::string out = NsName("own-out");

    struct Remove
    {
        std::string ns;

        ~Remove()
        {
            Sh("ip netns del " + ns + " 2>/dev/null");
        }
    } remove{in};

    // Someone else's namespace that already has a link named like ours inside.
    ASSERT_EQ(Sh("ip netns add " + in + " && ip -n " + in +
                 " link add fgsim0 type veth peer name x0 && ip -n " + in +
                 " link add other0 type veth peer name x1"),
              0);
    std::string text;
    const int rc = Sh(kEmulate + " --config " + kBase + " --inside " + in + " --outside " + out +
                          " --duration 1",
                      &text);
    EXPECT_EQ(rc, 3) << text;
    EXPECT_NE(text.find("already has a link 'fgsim0' (not ours: left alone"), std::string::npos)
        << text;
    EXPECT_TRUE(NetnsExists(in));
    EXPECT_EQ(Sh("ip -n " + in + " link show fgsim0 >/dev/null"), 0);
    EXPECT_FALSE(NetnsExists(out)) << "the outside namespace was not created (setup stopped)";

    // An existing namespace without our link: used, its veth end removed, the namespace kept.
    Sh("ip -n " + in + " link del fgsim0");
    ASSERT_EQ(Sh(kEmulate + " --config " + kBase + " --inside " + in + ":10.11.1.10/24" +
                     " --outside " + out + " --duration 2",
                 &text),
              0)
        << text;
    EXPECT_NE(text.find("removed namespace " + out), std::string::npos) << text;
    EXPECT_EQ(text.find("removed namespace " + in), std::string::npos) << text;
    EXPECT_TRUE(NetnsExists(in));
    EXPECT_FALSE(NetnsExists(out));
    EXPECT_NE(Sh("ip -n " + in + " link show fgsim0 >/dev/null 2>&1"), 0);
    EXPECT_EQ(Sh("ip -n " + in + " link show other0 >/dev/null"), 0);
    Sh("ip netns del " + in);
}

TEST(EmulateFaults, KilledRunLeavesNothingBehind)
{
    FGSIM_REQUIRE("ethtool");
    const std::string in = NsName("kill-in");
    const std::string out = NsName("kill-out");
    Emulation emu;
    emu.Start({kBase}, in, out, "");
    ASSERT_TRUE(NetnsExists(in) && NetnsExists(out));
    const pid_t pid = emu.Process().Pid();
    EXPECT_NE(MarkedLinks(pid), "");
    // SIGKILL to the whole process group: no handler runs; the watchdog (own session) cleans.
    emu.Process().Stop(SIGKILL, 30);
    EXPECT_TRUE(WaitFor(
        [&] {
            return !NetnsExists(in) && !NetnsExists(out) && MarkedLinks(pid).empty() &&
                   Sh("test -e /run/fgsim-emulate/" + std::to_string(pid) + ".state") != 0;
        },
        60))
        << MarkedLinks(pid);
}

TEST(EmulateFaults, StaleStateOfADeadRunIsCleanedAtTheNextStart)
{
    // A run and its watchdog both killed: the next start (or --cleanup) removes what the state
    // file lists and still carries the dead run's mark, and nothing else.
    FGSIM_REQUIRE("ethtool");
    const std::string ns = NsName("stale");
    const std::string other = NsName("stale-other");
    const pid_t dead = 4194303; // above any pid_max default: never a live process
    const std::string mark = "fgsim-emulate:" + std::to_string(dead);
    ASSERT_EQ(Sh("mkdir -p /run/fgsim-emulate && ip netns add " + ns + " && ip -n " + ns +
                 " link set lo alias " + mark + " && ip netns add " + other + " && printf 'netns " +
                 ns + "\\nnetns " + other + "\\n' > /run/fgsim-emulate/" + std::to_string(dead) +
                 ".state"),
              0);
    std::string text;
    EXPECT_EQ(Sh(kEmulate + " --cleanup", &text), 0) << text;
    EXPECT_FALSE(NetnsExists(ns)) << text;
    EXPECT_TRUE(NetnsExists(other)) << text; // listed but not marked: not ours
    EXPECT_NE(text.find("left namespace " + other + " alone (not ours)"), std::string::npos)
        << text;
    Sh("ip netns del " + other);
}

TEST(EmulateFaults, NoPrivilegeIsOneClearError)
{
    FGSIM_REQUIRE("setpriv");
    std::string text;
    const int rc = Sh("setpriv --reuid=65534 --regid=65534 --clear-groups " + kEmulate +
                          " --config " + kBase + " --inside a --outside b",
                      &text);
    EXPECT_EQ(rc, 3) << text;
    EXPECT_EQ(text,
              "fgsim-emulate: creating network namespaces and veth pairs needs root "
              "(CAP_NET_ADMIN and CAP_SYS_ADMIN): run it as root (sudo ./fgsim emulate ...)\n");
}

TEST(EmulateFaults, BadArgumentsAreNamed)
{
    FGSIM_REQUIRE("ethtool");

    struct Case
    {
        std::string args;
        int rc;
        std::string message;
    };

    const std::string c = " --config " + kBase;
    const Case cases[] = {
        {"--inside a --outside b", 2, "no --config FILE given"},
        {c + " --inside a", 2, "both --inside NAME[:ADDR/PREFIX] and --outside"},
        {c + " --inside a:10.99.0.5/24 --outside b",
         2,
         "10.99.0.5 is not a free host address on port1's subnet 10.11.1.0/24"},
        {c + " --inside a:10.11.1.1/24 --outside b", 2, "(the unit is 10.11.1.1)"},
        {c + " --inside a:10.11.1.5/16 --outside b", 2, "expected NAME:A.B.C.D/24"},
        {c + " --inside a --outside a", 2, "name the same namespace 'a'"},
        {c + " --inside 'a;rm' --outside b", 3, "bad namespace name 'a;rm'"},
        {c + " --inside a --outside b --duration x", 2, "--duration: 'x' is not a positive"},
        {c + " --inside a --outside b --inside-port port9", 1, "no interface 'port9'"},
        {"--config /nonexistent.conf --inside a --outside b", 2, "cannot open"},
        {"--bogus", 2, "unknown argument '--bogus'"},
    };
    for (const auto& k : cases)
    {
        std::string text;
        EXPECT_EQ(Sh(kEmulate + " " + k.args, &text), k.rc) << k.args << "\n" << text;
        EXPECT_NE(text.find(k.message), std::string::npos) << k.args << "\n" << text;
    }
    // A configuration the CLI rejects: the error with its line number, exit 1.
    TempDir dir("bad-config");
    {
        std::ofstream f(dir / "bad.conf");
        f << "config firewall policy\n    edit 1\n        set action maybe\n    next\nend\n";
    }
    std::string text;
    EXPECT_EQ(Sh(kEmulate + " --config " + dir / "bad.conf" + " --inside a --outside b", &text), 1)
        << text;
    EXPECT_NE(text.find("configuration rejected"), std::string::npos) << text;
    EXPECT_FALSE(NetnsExists("a"));
}

TEST(EmulateFaults, GarbageAtLineRateNeitherCrashesNorStopsForwarding)
{
    FGSIM_REQUIRE("ethtool", "ping");
    TempDir dir("garbage");
    const std::string in = NsName("g-in");
    const std::string out = NsName("g-out");
    Emulation emu;
    emu.Start({kBase}, in + ":10.11.1.10/24", out + ":10.22.2.20/24", dir / "fgt");
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    std::string text;
    EXPECT_EQ(Sh("ip netns exec " + in + " ping -c 2 -W 5 10.22.2.20", &text), 0) << text;
    // Random frames (half of them broadcast IPv4 with random headers) for 4 s from each side.
    Background a;
    Background b;
    a.Start({"ip",
             "netns",
             "exec",
             in,
             "/usr/bin/python3",
             kTestData + "flood.py",
             "garbage",
             "--link",
             "fgsim0",
             "--seconds",
             "4"},
            dir / "flood-in.log");
    b.Start({"ip",
             "netns",
             "exec",
             out,
             "/usr/bin/python3",
             kTestData + "flood.py",
             "garbage",
             "--link",
             "fgsim0",
             "--seconds",
             "4"},
            dir / "flood-out.log");
    EXPECT_EQ(a.Wait(60), 0) << a.Output();
    EXPECT_EQ(b.Wait(60), 0) << b.Output();
    EXPECT_TRUE(emu.Process().Running()) << emu.Output();
    // Still forwarding afterwards.
    EXPECT_EQ(Sh("ip netns exec " + in + " ping -c 3 -W 5 10.22.2.20", &text), 0) << text;
    const std::string report = emu.Stop();
    EXPECT_NE(report.find("summary: "), std::string::npos) << report;
    EXPECT_NE(report.find("lag: samples="), std::string::npos) << report;
    std::cout << "flood in: " << a.Output() << "flood out: " << b.Output()
              << report.substr(report.find("port port1")) << std::endl;
}
