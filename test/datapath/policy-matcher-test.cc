/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of PolicyMatcher: first match by list position, disabled policies, "any"
 * interfaces, groups, services (ports, source ports, ICMP), schedules, VIPs, implicit deny, and
 * a randomised equivalence test against the linear reference lookup.
 */
#include "ns3/flow-tuple.h"
#include "ns3/policy-matcher.h"

#include <gtest/gtest.h>
#include <random>
#include <string>

using namespace ns3;

namespace
{

uint32_t
Ip(const char* text)
{
    uint32_t a = 0;
    EXPECT_TRUE(ParseIpv4(text, a)) << text;
    return a;
}

InterfaceConfig
Intf(const std::string& name)
{
    InterfaceConfig i;
    i.name = name;
    return i;
}

FirewallPolicy
Policy(uint32_t id,
       const std::string& src = "all",
       const std::string& dst = "all",
       const std::string& svc = "ALL",
       const std::string& in = "port1",
       const std::string& out = "port2")
{
    FirewallPolicy p;
    p.id = id;
    p.srcintf = {in};
    p.dstintf = {out};
    p.srcaddr = {src};
    p.dstaddr = {dst};
    p.service = {svc};
    p.action = FirewallPolicy::ACCEPT;
    return p;
}

/// port1 (0), port2 (1), port3 (2); lan 10.0.1.0/24, host 10.0.1.5, servers 198.51.100.0/24.
FortiGateConfig
Base()
{
    FortiGateConfig c;
    c.AddInterface(Intf("port1"));
    c.AddInterface(Intf("port2"));
    c.AddInterface(Intf("port3"));
    c.AddAddress(FirewallAddress::FromSubnet("lan", "10.0.1.0/24"));
    c.AddAddress(FirewallAddress::FromSubnet("host5", "10.0.1.5/32"));
    c.AddAddress(FirewallAddress::FromSubnet("servers", "198.51.100.0/24"));
    return c;
}

PolicyQuery
Tcp(uint8_t in, uint8_t out, const char* src, const char* dst, uint16_t dport, double t = 0)
{
    PolicyQuery q;
    q.inIf = in;
    q.outIf = out;
    q.src = Ip(src);
    q.dst = Ip(dst);
    q.proto = 6;
    q.sport = 40000;
    q.dport = dport;
    q.simSeconds = t;
    return q;
}

/// Id of the policy the compiled matcher finds, after checking it against the reference.
uint32_t
Match(const FortiGateConfig& c, const PolicyQuery& q)
{
    PolicyMatcher m(c);
    const FirewallPolicy* p = m.Lookup(q);
    const FirewallPolicy* ref = LinearPolicyLookup(c, q);
    EXPECT_EQ(p ? p->id : 0, ref ? ref->id : 0) << "matcher and reference disagree";
    return p ? p->id : 0;
}

} // namespace

TEST(PolicyMatcherTest, ImplicitDeny)
{
    FortiGateConfig c = Base();
    PolicyMatcher empty(c);
    EXPECT_EQ(empty.Size(), 0u);
    EXPECT_EQ(empty.Lookup(Tcp(0, 1, "10.0.1.5", "198.51.100.7", 80)), nullptr);
    c.AddPolicy(Policy(1, "lan", "servers", "HTTP"));
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "198.51.100.7", 80)), 1u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.2.5", "198.51.100.7", 80)), 0u);  // source
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "198.51.101.7", 80)), 0u);  // destination
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "198.51.100.7", 443)), 0u); // service
    EXPECT_EQ(Match(c, Tcp(1, 0, "10.0.1.5", "198.51.100.7", 80)), 0u);  // interfaces swapped
    EXPECT_EQ(Match(c, Tcp(0, 2, "10.0.1.5", "198.51.100.7", 80)), 0u);  // other egress
}

TEST(PolicyMatcherTest, FirstMatchByPositionNotId)
{
    FortiGateConfig c = Base();
    FirewallPolicy deny = Policy(1, "host5", "all", "ALL");
    deny.action = FirewallPolicy::DENY;
    c.AddPolicy(Policy(10, "lan"));
    c.AddPolicy(deny);
    const PolicyQuery q = Tcp(0, 1, "10.0.1.5", "198.51.100.7", 80);
    EXPECT_EQ(Match(c, q), 10u); // policy 10 is first in the list despite the higher id
    c.MovePolicy(1, FortiGateConfig::BEFORE, 10);
    EXPECT_EQ(Match(c, q), 1u);
    PolicyMatcher m(c);
    EXPECT_EQ(m.Lookup(q)->action, FirewallPolicy::DENY);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.6", "198.51.100.7", 80)), 10u);
    c.MovePolicy(1, FortiGateConfig::AFTER, 10);
    EXPECT_EQ(Match(c, q), 10u);
}

TEST(PolicyMatcherTest, DisabledPoliciesSkipped)
{
    FortiGateConfig c = Base();
    FirewallPolicy p1 = Policy(1, "lan");
    p1.status = false;
    c.AddPolicy(p1);
    c.AddPolicy(Policy(2, "all"));
    const PolicyQuery q = Tcp(0, 1, "10.0.1.5", "198.51.100.7", 80);
    EXPECT_EQ(Match(c, q), 2u);
    PolicyMatcher m(c);
    EXPECT_EQ(m.Size(), 1u);
    p1.status = true;
    c.SetPolicy(p1);
    EXPECT_EQ(Match(c, q), 1u);
}

TEST(PolicyMatcherTest, AnyInterfaces)
{
    FortiGateConfig c = Base();
    c.AddPolicy(Policy(1, "all", "all", "ALL", "port3", "any"));
    c.AddPolicy(Policy(2, "all", "all", "ALL", "any", "port3"));
    FirewallPolicy multi = Policy(3);
    multi.srcintf = {"port1", "port2"};
    c.AddPolicy(multi);
    EXPECT_EQ(Match(c, Tcp(2, 0, "1.1.1.1", "2.2.2.2", 1)), 1u);
    EXPECT_EQ(Match(c, Tcp(2, 2, "1.1.1.1", "2.2.2.2", 1)), 1u);
    EXPECT_EQ(Match(c, Tcp(0, 2, "1.1.1.1", "2.2.2.2", 1)), 2u);
    EXPECT_EQ(Match(c, Tcp(1, 2, "1.1.1.1", "2.2.2.2", 1)), 2u);
    EXPECT_EQ(Match(c, Tcp(1, 1, "1.1.1.1", "2.2.2.2", 1)), 3u);
    EXPECT_EQ(Match(c, Tcp(0, 0, "1.1.1.1", "2.2.2.2", 1)), 0u);
    // An interface index the configuration does not have matches only "any".
    EXPECT_EQ(Match(c, Tcp(9, 2, "1.1.1.1", "2.2.2.2", 1)), 2u);
    EXPECT_EQ(Match(c, Tcp(9, 9, "1.1.1.1", "2.2.2.2", 1)), 0u);
}

TEST(PolicyMatcherTest, GroupsRangesAndMultipleObjects)
{
    FortiGateConfig c = Base();
    c.AddAddress(FirewallAddress::FromRange("r", "172.16.0.10", "172.16.0.19"));
    c.AddAddressGroup({"inner", {"host5", "r"}, ""});
    c.AddAddressGroup({"outer", {"inner", "servers"}, ""});
    c.AddServiceGroup({"web", {"HTTP", "HTTPS"}, ""});
    FirewallPolicy p = Policy(1, "outer", "outer", "web");
    p.service.push_back("SSH");
    c.AddPolicy(p);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "172.16.0.19", 443)), 1u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "172.16.0.10", "198.51.100.1", 22)), 1u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "172.16.0.20", "198.51.100.1", 22)), 0u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.6", "198.51.100.1", 22)), 0u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "198.51.100.1", 23)), 0u);
    // Changing a group changes the compiled result after recompiling.
    c.SetAddressGroup({"inner", {"lan"}, ""});
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.6", "198.51.100.1", 22)), 1u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "172.16.0.10", "198.51.100.1", 22)), 0u);
}

TEST(PolicyMatcherTest, ServicesIcmpAndSourcePorts)
{
    FortiGateConfig c = Base();
    FirewallService unreach;
    unreach.name = "port-unreach";
    unreach.protocol = FirewallService::ICMP;
    unreach.icmpType = 3;
    unreach.icmpCode = 3;
    c.AddService(unreach);
    c.AddPolicy(Policy(1, "all", "all", "PING"));
    c.AddPolicy(Policy(2, "all", "all", "port-unreach"));
    c.AddPolicy(Policy(3, "all", "all", "RLOGIN"));
    c.AddPolicy(Policy(4, "all", "all", "GRE"));
    c.AddPolicy(Policy(5, "all", "all", "ALL_ICMP"));
    PolicyQuery q = Tcp(0, 1, "10.0.1.5", "198.51.100.7", 0);
    q.proto = 1;
    q.icmpType = 8;
    EXPECT_EQ(Match(c, q), 1u);
    q.icmpType = 3;
    q.icmpCode = 3;
    EXPECT_EQ(Match(c, q), 2u);
    q.icmpCode = 1;
    EXPECT_EQ(Match(c, q), 5u); // code does not match policy 2
    q.icmpType = -1;
    q.icmpCode = -1;
    EXPECT_EQ(Match(c, q), 5u); // unknown type: only "any type" services
    PolicyQuery r = Tcp(0, 1, "10.0.1.5", "198.51.100.7", 513);
    r.sport = 1000;
    EXPECT_EQ(Match(c, r), 3u);
    r.sport = 40000; // RLOGIN needs source ports 512-1023
    EXPECT_EQ(Match(c, r), 0u);
    PolicyQuery g = Tcp(0, 1, "10.0.1.5", "198.51.100.7", 0);
    g.proto = 47;
    g.dport = 1234; // a GRE call id does not matter
    EXPECT_EQ(Match(c, g), 4u);
    g.proto = 17;
    g.dport = 53;
    EXPECT_EQ(Match(c, g), 0u);
}

TEST(PolicyMatcherTest, GroupsByAddressWildcardsKeepListOrder)
{
    // One policy per (source wildcard, destination wildcard) combination, plus rules that are
    // wildcards in every dimension: the first in list order must win whatever group it is in.
    FortiGateConfig c = Base();
    FirewallSchedule never;
    never.name = "never";
    never.kind = FirewallSchedule::ONETIME; // start == end: never active
    c.AddSchedule(never);
    FirewallPolicy full = Policy(1, "all", "all", "ALL", "any", "any");
    full.schedule = "never";
    c.AddPolicy(full);                                         // all wildcards, inactive
    c.AddPolicy(Policy(2, "all", "servers", "HTTP"));          // src wildcard
    c.AddPolicy(Policy(3, "lan", "all", "HTTP"));              // dst wildcard
    c.AddPolicy(Policy(4, "host5", "servers", "ALL"));         // both specific
    c.AddPolicy(Policy(5, "all", "all", "ALL", "any", "any")); // all wildcards, active
    c.AddPolicy(Policy(6, "lan", "servers", "HTTPS"));
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "198.51.100.7", 80)), 2u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "8.8.8.8", 80)), 3u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "198.51.100.7", 22)), 4u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.6", "198.51.100.7", 443)), 5u);
    EXPECT_EQ(Match(c, Tcp(2, 2, "1.2.3.4", "5.6.7.8", 9)), 5u);
    c.MovePolicy(6, FortiGateConfig::BEFORE, 1);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.6", "198.51.100.7", 443)), 6u);
    c.MovePolicy(5, FortiGateConfig::BEFORE, 6);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "198.51.100.7", 80)), 5u);
    c.DeletePolicy(5);
    EXPECT_EQ(Match(c, Tcp(2, 2, "1.2.3.4", "5.6.7.8", 9)), 0u);
}

TEST(PolicyMatcherTest, ScheduleInactiveFallsThrough)
{
    FortiGateConfig c = Base();
    FirewallSchedule office;
    office.name = "office";
    office.dayMask = ParseScheduleDays({"monday", "tuesday", "wednesday", "thursday", "friday"});
    office.startMinute = 8 * 60;
    office.endMinute = 18 * 60;
    c.AddSchedule(office);
    FirewallPolicy p = Policy(1, "lan");
    p.schedule = "office";
    c.AddPolicy(p);
    FirewallPolicy d = Policy(2, "lan");
    d.action = FirewallPolicy::DENY;
    c.AddPolicy(d);
    PolicyMatcher m(c);
    // t = 0 is Monday 00:00.
    EXPECT_EQ(m.Lookup(Tcp(0, 1, "10.0.1.5", "1.1.1.1", 80, 9 * 3600))->id, 1u);
    EXPECT_EQ(m.Lookup(Tcp(0, 1, "10.0.1.5", "1.1.1.1", 80, 19 * 3600))->id, 2u);
    EXPECT_EQ(m.Lookup(Tcp(0, 1, "10.0.1.5", "1.1.1.1", 80, 5 * 86400 + 9 * 3600))->id, 2u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "1.1.1.1", 80, 9 * 3600)), 1u);
    EXPECT_EQ(Match(c, Tcp(0, 1, "10.0.1.5", "1.1.1.1", 80, 19 * 3600)), 2u);
}

TEST(PolicyMatcherTest, VipInDstaddrMatchesMappedRange)
{
    FortiGateConfig c = Base();
    VipConfig v;
    v.name = "web-vip";
    v.extipLo = Ip("203.0.113.10");
    v.mappedipLo = Ip("10.0.1.80");
    c.AddVip(v);
    c.AddPolicy(Policy(1, "all", "web-vip", "HTTP", "port2", "port1"));
    // The query carries the post-DNAT destination.
    EXPECT_EQ(Match(c, Tcp(1, 0, "8.8.8.8", "10.0.1.80", 80)), 1u);
    EXPECT_EQ(Match(c, Tcp(1, 0, "8.8.8.8", "203.0.113.10", 80)), 0u);
    EXPECT_EQ(Match(c, Tcp(1, 0, "8.8.8.8", "10.0.1.81", 80)), 0u);
}

TEST(PolicyMatcherTest, VersionTracking)
{
    FortiGateConfig c = Base();
    c.AddPolicy(Policy(1, "lan"));
    PolicyMatcher m(c);
    EXPECT_TRUE(m.IsCurrent(c));
    EXPECT_EQ(m.ConfigVersion(), c.Version());
    const PolicyQuery q = Tcp(0, 1, "10.0.1.5", "1.1.1.1", 80);
    EXPECT_EQ(m.Lookup(q)->id, 1u);
    c.DeletePolicy(1);
    EXPECT_FALSE(m.IsCurrent(c));
    EXPECT_EQ(m.Lookup(q)->id, 1u); // still the compiled (old) configuration
    m.Compile(c);
    EXPECT_TRUE(m.IsCurrent(c));
    EXPECT_EQ(m.Lookup(q), nullptr);
    EXPECT_FALSE(PolicyMatcher().IsCurrent(c));
}

TEST(PolicyMatcherTest, TenThousandHostPolicies)
{
    // Policy i allows 10.(i/256).(i%256).1 only; the last one allows everything. Covers
    // several summary words (4096 policies each) and every bit position.
    FortiGateConfig c;
    c.AddInterface(Intf("port1"));
    c.AddInterface(Intf("port2"));
    const uint32_t n = 10000;
    for (uint32_t i = 0; i < n; ++i)
    {
        const uint32_t ip = (10u << 24) | (i << 8) | 1;
        const std::string name = "h" + std::to_string(i);
        c.AddAddress(FirewallAddress::Subnet(name, ip, 0xffffffffu));
        c.AddPolicy(Policy(i + 1, "all", name));
    }
    c.AddPolicy(Policy(n + 1, "all", "all"));
    PolicyMatcher m(c);
    for (uint32_t i = 0; i < n; i += 7)
    {
        PolicyQuery q;
        q.inIf = 0;
        q.outIf = 1;
        q.proto = 17;
        q.dst = (10u << 24) | (i << 8) | 1;
        ASSERT_NE(m.Lookup(q), nullptr);
        ASSERT_EQ(m.Lookup(q)->id, i + 1) << i;
        q.dst += 1;
        ASSERT_EQ(m.Lookup(q)->id, n + 1) << i;
    }
    PolicyQuery last;
    last.inIf = 0;
    last.outIf = 1;
    last.dst = (10u << 24) | ((n - 1) << 8) | 1;
    EXPECT_EQ(m.Lookup(last)->id, n);
}

namespace
{

/// Random configuration with overlapping objects of every kind; \p anyPercent of the
/// interface lists are "any".
FortiGateConfig
RandomConfig(std::mt19937& rng, uint32_t numPolicies, uint32_t anyPercent = 25)
{
    auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
    auto chance = [&](uint32_t percent) { return pick(100) < percent; };
    FortiGateConfig c;
    for (int i = 1; i <= 6; ++i)
    {
        c.AddInterface(Intf("port" + std::to_string(i)));
    }
    // Addresses concentrated in 10.0.0.0/14 so that they overlap.
    std::vector<std::string> addrs{"all"};
    for (int i = 0; i < 150; ++i)
    {
        const std::string name = "a" + std::to_string(i);
        const uint32_t base = (10u << 24) | (pick(4) << 16) | (pick(16) << 8) | pick(256);
        const uint32_t kind = pick(10);
        if (kind < 3)
        {
            c.AddAddress(FirewallAddress::Subnet(name, base, 0xffffffffu));
        }
        else if (kind < 7)
        {
            c.AddAddress(FirewallAddress::Subnet(name, base, PrefixLengthToMask(24)));
        }
        else if (kind < 8)
        {
            c.AddAddress(FirewallAddress::Subnet(name, base, PrefixLengthToMask(16 + pick(8))));
        }
        else
        {
            c.AddAddress(FirewallAddress::Range(name, base, base + pick(600)));
        }
        addrs.push_back(name);
    }
    for (int i = 0; i < 30; ++i)
    {
        AddressGroup g;
        g.name = "g" + std::to_string(i);
        const uint32_t n = 1 + pick(4);
        for (uint32_t k = 0; k < n; ++k)
        {
            g.members.push_back(addrs[1 + pick(addrs.size() - 1)]);
        }
        c.AddAddressGroup(g);
        addrs.push_back(g.name); // later groups may contain this one
    }
    std::vector<std::string> vips;
    for (int i = 0; i < 5; ++i)
    {
        VipConfig v;
        v.name = "vip" + std::to_string(i);
        v.extipLo = (203u << 24) | (113u << 8) | static_cast<uint32_t>(10 + i);
        v.mappedipLo = (10u << 24) | (pick(4) << 16) | (pick(16) << 8) | pick(256);
        c.AddVip(v);
        vips.push_back(v.name);
    }
    // Services over a small port universe (1..200) so that they overlap.
    std::vector<std::string>
        svcs{"ALL", "ALL_TCP", "ALL_UDP", "ALL_ICMP", "PING", "RLOGIN", "GRE", "HTTP", "DNS"};
    for (int i = 0; i < 25; ++i)
    {
        FirewallService s;
        s.name = "s" + std::to_string(i);
        const uint32_t kind = pick(10);
        if (kind < 7)
        {
            auto range = [&]() {
                PortRange r;
                r.dstLo = static_cast<uint16_t>(1 + pick(200));
                r.dstHi = static_cast<uint16_t>(r.dstLo + pick(30));
                if (chance(20))
                {
                    r.srcLo = static_cast<uint16_t>(pick(300));
                    r.srcHi = static_cast<uint16_t>(r.srcLo + pick(300));
                }
                return r;
            };
            const uint32_t nr = 1 + pick(3);
            for (uint32_t k = 0; k < nr; ++k)
            {
                const uint32_t which = pick(3);
                (which == 0 ? s.tcp : which == 1 ? s.udp : s.sctp).push_back(range());
            }
        }
        else if (kind < 9)
        {
            s.protocol = FirewallService::ICMP;
            s.icmpType = chance(20) ? -1 : static_cast<int>(pick(12));
            s.icmpCode = (s.icmpType >= 0 && chance(40)) ? static_cast<int>(pick(4)) : -1;
        }
        else
        {
            s.protocol = FirewallService::IP;
            s.protocolNumber = static_cast<uint8_t>(chance(50) ? 47 : 89);
        }
        c.AddService(s);
        svcs.push_back(s.name);
    }
    for (int i = 0; i < 8; ++i)
    {
        ServiceGroup g;
        g.name = "sg" + std::to_string(i);
        const uint32_t n = 1 + pick(3);
        for (uint32_t k = 0; k < n; ++k)
        {
            g.members.push_back(svcs[pick(svcs.size())]);
        }
        c.AddServiceGroup(g);
        svcs.push_back(g.name);
    }
    std::vector<std::string> scheds{"always"};
    for (int i = 0; i < 6; ++i)
    {
        FirewallSchedule s;
        s.name = "r" + std::to_string(i);
        s.dayMask = static_cast<uint8_t>(pick(128));
        s.startMinute = static_cast<uint16_t>(pick(1440));
        s.endMinute = chance(20) ? s.startMinute : static_cast<uint16_t>(pick(1440));
        c.AddSchedule(s);
        scheds.push_back(s.name);
    }
    for (int i = 0; i < 2; ++i)
    {
        FirewallSchedule s;
        s.name = "o" + std::to_string(i);
        s.kind = FirewallSchedule::ONETIME;
        s.startTime = c.SimEpoch() + pick(7 * 86400);
        s.endTime = s.startTime + pick(5 * 86400);
        c.AddSchedule(s);
        scheds.push_back(s.name);
    }
    auto intfs = [&]() {
        std::vector<std::string> v;
        if (chance(anyPercent))
        {
            v.push_back("any");
            return v;
        }
        const uint32_t n = 1 + pick(2);
        for (uint32_t k = 0; k < n; ++k)
        {
            v.push_back("port" + std::to_string(1 + pick(6)));
        }
        return v;
    };
    auto names = [&](const std::vector<std::string>& pool, uint32_t allPercent, bool withVips) {
        std::vector<std::string> v;
        if (chance(allPercent))
        {
            v.push_back(pool[0]);
            return v;
        }
        const uint32_t n = 1 + pick(3);
        for (uint32_t k = 0; k < n; ++k)
        {
            if (withVips && chance(10))
            {
                v.push_back(vips[pick(vips.size())]);
            }
            else
            {
                v.push_back(pool[1 + pick(pool.size() - 1)]);
            }
        }
        return v;
    };
    for (uint32_t i = 0; i < numPolicies; ++i)
    {
        FirewallPolicy p;
        p.id = 0;
        p.srcintf = intfs();
        p.dstintf = intfs();
        p.srcaddr = names(addrs, 10, false);
        p.dstaddr = names(addrs, 10, true);
        p.service = names(svcs, 5, false);
        p.schedule = chance(70) ? "always" : scheds[1 + pick(scheds.size() - 1)];
        p.action = chance(50) ? FirewallPolicy::ACCEPT : FirewallPolicy::DENY;
        p.status = !chance(10);
        c.AddPolicy(p);
    }
    // Shuffle the list order a little so ids and positions differ.
    for (uint32_t k = 0; k < numPolicies / 10; ++k)
    {
        const auto& ps = c.Policies();
        const uint32_t a = ps[pick(ps.size())].id;
        const uint32_t b = ps[pick(ps.size())].id;
        c.MovePolicy(a, chance(50) ? FortiGateConfig::BEFORE : FortiGateConfig::AFTER, b);
    }
    return c;
}

PolicyQuery
RandomQuery(std::mt19937& rng, const FortiGateConfig& c)
{
    auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
    auto addr = [&]() -> uint32_t {
        const uint32_t kind = pick(10);
        if (kind < 6)
        {
            // Inside (or just next to) a configured address.
            const auto& a = c.Addresses()[pick(c.Addresses().size())];
            const uint64_t span = static_cast<uint64_t>(a.end) - a.start + 1;
            const uint32_t ip = a.start + static_cast<uint32_t>(rng() % span);
            return pick(10) == 0 ? ip + 1 : ip;
        }
        if (kind < 7)
        {
            const auto& v = c.Vips()[pick(c.Vips().size())];
            return v.mappedipLo;
        }
        if (kind < 9)
        {
            return (10u << 24) | (pick(4) << 16) | (pick(16) << 8) | pick(256);
        }
        if (pick(8) == 0)
        {
            return pick(2) == 0 ? 0u : 0xffffffffu; // the ends of the key space
        }
        return static_cast<uint32_t>(rng());
    };
    static const uint8_t protos[] = {6, 6, 17, 17, 1, 132, 47, 89, 50};
    PolicyQuery q;
    q.inIf = static_cast<uint8_t>(pick(7)); // 6 = not configured
    q.outIf = static_cast<uint8_t>(pick(7));
    q.src = addr();
    q.dst = addr();
    q.proto = protos[pick(sizeof(protos))];
    q.sport = static_cast<uint16_t>(pick(10) < 3 ? pick(600) : 1024 + pick(64000));
    q.dport = static_cast<uint16_t>(pick(10) < 8 ? pick(240) : pick(65536));
    q.icmpType = static_cast<int16_t>(static_cast<int>(pick(14)) - 1);
    q.icmpCode = static_cast<int16_t>(static_cast<int>(pick(6)) - 1);
    q.simSeconds = static_cast<double>(pick(14 * 86400)) + 0.25;
    return q;
}

} // namespace

TEST(PolicyMatcherTest, RandomisedEquivalenceWithLinearReference)
{
    std::mt19937 rng(20260105);
    FortiGateConfig c = RandomConfig(rng, 1500);
    ASSERT_NO_THROW(c.Validate());
    PolicyMatcher m(c);
    uint32_t matched = 0;
    uint32_t denied = 0;
    uint32_t deep = 0; // matches beyond the first 100 positions
    for (int i = 0; i < 5000; ++i)
    {
        const PolicyQuery q = RandomQuery(rng, c);
        const FirewallPolicy* got = m.Lookup(q);
        const FirewallPolicy* ref = LinearPolicyLookup(c, q);
        ASSERT_EQ(got ? got->id : 0, ref ? ref->id : 0)
            << "query " << i << ": in=" << int(q.inIf) << " out=" << int(q.outIf)
            << " src=" << Ipv4ToString(q.src) << " dst=" << Ipv4ToString(q.dst)
            << " proto=" << int(q.proto) << " sport=" << q.sport << " dport=" << q.dport
            << " icmp=" << q.icmpType << "/" << q.icmpCode << " t=" << q.simSeconds;
        if (ref)
        {
            ++matched;
            deep += c.PolicyPosition(ref->id) >= 100 ? 1 : 0;
            EXPECT_EQ(*got, *ref);
        }
        else
        {
            ++denied;
        }
    }
    // The test is only meaningful with a mix of outcomes.
    RecordProperty("matched", static_cast<int>(matched));
    RecordProperty("denied", static_cast<int>(denied));
    RecordProperty("deep", static_cast<int>(deep));
    EXPECT_GT(matched, 1000u);
    EXPECT_GT(denied, 1000u);
    EXPECT_GT(deep, 100u);

    // Edit the configuration (move, disable, delete) and check again after recompiling.
    std::mt19937 rng2(7);
    for (int k = 0; k < 200; ++k)
    {
        const auto& ps = c.Policies();
        FirewallPolicy p = ps[rng2() % ps.size()];
        switch (rng2() % 3)
        {
        case 0:
            p.status = !p.status;
            c.SetPolicy(p);
            break;
        case 1:
            c.MovePolicy(p.id, FortiGateConfig::BEFORE, ps[rng2() % ps.size()].id);
            break;
        default:
            c.DeletePolicy(p.id);
            break;
        }
    }
    EXPECT_FALSE(m.IsCurrent(c));
    m.Compile(c);
    for (int i = 0; i < 1500; ++i)
    {
        const PolicyQuery q = RandomQuery(rng, c);
        const FirewallPolicy* got = m.Lookup(q);
        const FirewallPolicy* ref = LinearPolicyLookup(c, q);
        ASSERT_EQ(got ? got->id : 0, ref ? ref->id : 0) << "after edits, query " << i;
    }
}

TEST(PolicyMatcherTest, RandomisedEquivalenceWithoutSharedBucket)
{
    // Few "any" interfaces: the policies over more than kMaxPairs interface pairs fit
    // kReplicateBudget, so they are copied into every pair bucket they cover (no shared
    // bucket) and their records leave the interfaces out. Same answers as the linear scan,
    // also after edits.
    std::mt19937 rng(20261207);
    FortiGateConfig c = RandomConfig(rng, 3000, 3);
    ASSERT_NO_THROW(c.Validate());
    uint32_t anyBoth = 0;
    for (const auto& p : c.Policies())
    {
        anyBoth += p.srcintf[0] == "any" && p.dstintf[0] == "any" ? 1 : 0;
    }
    ASSERT_GT(anyBoth, 0u); // 7 x 7 interface classes: more than kMaxPairs
    PolicyMatcher m(c);
    uint32_t matched = 0;
    for (int round = 0; round < 2; ++round)
    {
        for (int i = 0; i < 4000; ++i)
        {
            const PolicyQuery q = RandomQuery(rng, c);
            const FirewallPolicy* got = m.Lookup(q);
            const FirewallPolicy* ref = LinearPolicyLookup(c, q);
            ASSERT_EQ(got ? got->id : 0, ref ? ref->id : 0)
                << "round " << round << " query " << i << ": in=" << int(q.inIf)
                << " out=" << int(q.outIf) << " src=" << Ipv4ToString(q.src)
                << " dst=" << Ipv4ToString(q.dst) << " proto=" << int(q.proto)
                << " dport=" << q.dport;
            matched += ref != nullptr;
        }
        // Disable a third of the policies and move some: recompiled, still exact.
        std::mt19937 rng2(11);
        for (int k = 0; k < 1000; ++k)
        {
            const auto& ps = c.Policies();
            FirewallPolicy p = ps[rng2() % ps.size()];
            if (k % 3 == 0)
            {
                c.MovePolicy(p.id, FortiGateConfig::AFTER, ps[rng2() % ps.size()].id);
            }
            else
            {
                p.status = false;
                c.SetPolicy(p);
            }
        }
        m.Compile(c);
    }
    EXPECT_GT(matched, 1000u);
}

TEST(PolicyMatcherTest, ServiceKey)
{
    EXPECT_EQ(PolicyServiceKey(6, 80, -1), (6u << 16) | 80);
    EXPECT_EQ(PolicyServiceKey(17, 53, 3), (17u << 16) | 53);
    EXPECT_EQ(PolicyServiceKey(1, 999, 8), (1u << 16) | 8);
    EXPECT_EQ(PolicyServiceKey(1, 0, -1), (1u << 16) | 0x100);
    EXPECT_EQ(PolicyServiceKey(47, 1234, -1), 47u << 16);
}

TEST(PolicyMatcherTest, RandomisedEquivalenceManyInterfacesAndWideRanges)
{
    // What the per-pair buckets and the per-policy index dimension must get right: 24
    // interfaces (policies with "any" on both sides go to the shared bucket, "any" on one side
    // into up to 25 pair buckets or the shared one), 3,000 host objects under a handful of wide
    // ranges (a policy spanning more than kMaxSegmentsPerPolicy segments in every dimension
    // goes to the plain list), exact ports next to port ranges, and every dimension chosen as
    // the index dimension by some policy.
    std::mt19937 rng(20261206);
    auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
    FortiGateConfig c;
    const uint32_t numIntf = 24;
    for (uint32_t i = 1; i <= numIntf; ++i)
    {
        c.AddInterface(Intf("port" + std::to_string(i)));
    }
    std::vector<std::string> hosts;
    for (int i = 0; i < 3000; ++i)
    {
        const std::string name = "h" + std::to_string(i);
        c.AddAddress(
            FirewallAddress::Subnet(name,
                                    (10u << 24) | (pick(16) << 16) | (pick(64) << 8) | pick(256),
                                    pick(4) == 0 ? PrefixLengthToMask(28) : 0xffffffffu));
        hosts.push_back(name);
    }
    const std::vector<std::string> wide{"all", "w8", "w12", "w14", "wr"};
    c.AddAddress(FirewallAddress::FromSubnet("w8", "10.0.0.0/8"));
    c.AddAddress(FirewallAddress::FromSubnet("w12", "10.0.0.0/12"));
    c.AddAddress(FirewallAddress::FromSubnet("w14", "10.4.0.0/14"));
    c.AddAddress(FirewallAddress::Range("wr", (10u << 24) | (2u << 16), (10u << 24) | (9u << 16)));
    std::vector<std::string> svcs{"ALL", "ALL_TCP", "ALL_UDP", "HTTP", "HTTPS", "DNS", "SSH"};
    for (int i = 0; i < 40; ++i)
    {
        FirewallService s;
        s.name = "p" + std::to_string(i);
        PortRange r;
        r.dstLo = static_cast<uint16_t>(1000 + pick(200));
        r.dstHi = static_cast<uint16_t>(r.dstLo + (pick(3) == 0 ? pick(2000) : 0));
        (pick(2) == 0 ? s.tcp : s.udp).push_back(r);
        c.AddService(s);
        svcs.push_back(s.name);
    }
    auto intf = [&]() -> std::vector<std::string> {
        if (pick(5) == 0)
        {
            return {"any"};
        }
        std::vector<std::string> v{"port" + std::to_string(1 + pick(numIntf))};
        if (pick(4) == 0)
        {
            v.push_back("port" + std::to_string(1 + pick(numIntf)));
        }
        return v;
    };
    auto addr = [&]() -> std::vector<std::string> {
        if (pick(3) == 0)
        {
            return {wide[pick(wide.size())]};
        }
        std::vector<std::string> v;
        for (uint32_t k = 1 + pick(3); k > 0; --k)
        {
            v.push_back(hosts[pick(hosts.size())]);
        }
        return v;
    };
    for (uint32_t i = 0; i < 6000; ++i)
    {
        FirewallPolicy p;
        p.srcintf = intf();
        p.dstintf = intf();
        p.srcaddr = addr();
        p.dstaddr = addr();
        p.service = {svcs[pick(svcs.size())]};
        p.action = pick(2) == 0 ? FirewallPolicy::ACCEPT : FirewallPolicy::DENY;
        p.status = pick(20) != 0;
        c.AddPolicy(p);
    }
    ASSERT_NO_THROW(c.Validate());
    PolicyMatcher m(c);
    auto near = [&]() -> uint32_t {
        if (pick(4) == 0)
        {
            return static_cast<uint32_t>(rng());
        }
        const FirewallAddress* a = c.FindAddress(hosts[pick(hosts.size())]);
        return a->start + pick(a->end - a->start + 2);
    };
    uint32_t matched = 0;
    uint32_t deep = 0;
    for (int i = 0; i < 6000; ++i)
    {
        PolicyQuery q;
        q.inIf = static_cast<uint8_t>(pick(numIntf + 1));
        q.outIf = static_cast<uint8_t>(pick(numIntf + 1));
        q.src = near();
        q.dst = near();
        q.proto = pick(2) == 0 ? 6 : 17;
        q.sport = static_cast<uint16_t>(1024 + pick(60000));
        q.dport = static_cast<uint16_t>(pick(3) == 0 ? 1000 + pick(2300) : pick(100));
        const FirewallPolicy* got = m.Lookup(q);
        const FirewallPolicy* ref = LinearPolicyLookup(c, q);
        ASSERT_EQ(got ? got->id : 0, ref ? ref->id : 0)
            << "query " << i << ": in=" << int(q.inIf) << " out=" << int(q.outIf)
            << " src=" << Ipv4ToString(q.src) << " dst=" << Ipv4ToString(q.dst)
            << " proto=" << int(q.proto) << " dport=" << q.dport;
        matched += ref != nullptr;
        deep += ref && c.PolicyPosition(ref->id) >= 1000 ? 1 : 0;
    }
    EXPECT_GT(matched, 1500u);
    EXPECT_GT(deep, 100u);
}
