/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of IP pools, the NAT allocator (interface SNAT and the four pool types) and the
 * VIP table.
 */
#include "ns3/config-error.h"
#include "ns3/flow-tuple.h"
#include "ns3/ip-pool.h"
#include "ns3/nat-allocator.h"
#include "ns3/virtual-ip.h"

#include <gtest/gtest.h>
#include <memory>
#include <random>
#include <set>

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

/// Sessions known to the fake session table: reply tuples in use.
struct FakeTable
{
    std::set<FlowTuple> replies;

    NatAllocator::InUse InUse()
    {
        return [this](const FlowTuple& t) { return replies.count(t) != 0; };
    }

    /// Forget a closed session.
    void Remove(const NatAllocator::Request& req, const NatAllocator::Result& r)
    {
        ASSERT_EQ(replies.erase(NatAllocator::ReplyTuple(req, r.ip, r.port)), 1u);
    }

    /// Record the session a successful allocation creates.
    void Add(const NatAllocator::Request& req, const NatAllocator::Result& r)
    {
        ASSERT_TRUE(r.ok) << r.error;
        auto ins = replies.insert(NatAllocator::ReplyTuple(req, r.ip, r.port));
        ASSERT_TRUE(ins.second) << "allocator returned a tuple already in use";
    }
};

NatAllocator::Rng
MakeRng(uint32_t seed)
{
    auto gen = std::make_shared<std::mt19937>(seed);
    return [gen](uint32_t n) { return static_cast<uint32_t>((*gen)() % n); };
}

NatAllocator::Request
Tcp(const char* src, uint16_t sport, const char* dst, uint16_t dport)
{
    return NatAllocator::Request{6, Ip(src), sport, Ip(dst), dport};
}

IpPoolConfig
Pool(const char* name, IpPoolConfig::Type type, const char* start, const char* end)
{
    IpPoolConfig p;
    p.name = name;
    p.type = type;
    p.startip = Ip(start);
    p.endip = Ip(end);
    return p;
}

std::string
ErrorOf(const std::function<void()>& f)
{
    try
    {
        f();
    }
    catch (const ConfigError& e)
    {
        return e.what();
    }
    return "";
}

} // namespace

// ---- IP pool configuration -------------------------------------------------------------------

TEST(IpPoolConfigTest, TypeKeywordsRoundTrip)
{
    for (auto t : {IpPoolConfig::OVERLOAD,
                   IpPoolConfig::ONE_TO_ONE,
                   IpPoolConfig::FIXED_PORT_RANGE,
                   IpPoolConfig::PORT_BLOCK_ALLOCATION})
    {
        IpPoolConfig::Type parsed = IpPoolConfig::OVERLOAD;
        ASSERT_TRUE(ParseIpPoolType(IpPoolTypeName(t), parsed));
        EXPECT_EQ(parsed, t);
    }
    EXPECT_STREQ(IpPoolTypeName(IpPoolConfig::PORT_BLOCK_ALLOCATION), "port-block-allocation");
    EXPECT_STREQ(IpPoolTypeName(IpPoolConfig::ONE_TO_ONE), "one-to-one");
    IpPoolConfig::Type t = IpPoolConfig::ONE_TO_ONE;
    EXPECT_FALSE(ParseIpPoolType("Overload", t));
    EXPECT_FALSE(ParseIpPoolType("pba", t));
    EXPECT_EQ(t, IpPoolConfig::ONE_TO_ONE);
}

TEST(IpPoolConfigTest, ValidateMessages)
{
    IpPoolConfig p = Pool("p1", IpPoolConfig::OVERLOAD, "203.0.113.20", "203.0.113.9");
    EXPECT_EQ(ErrorOf([&] { ValidateIpPool(p); }),
              "firewall ippool \"p1\": endip: 203.0.113.9 is below startip 203.0.113.20");

    p.endip = Ip("203.0.113.30");
    EXPECT_NO_THROW(ValidateIpPool(p));

    p.blockSize = 100;
    EXPECT_EQ(ErrorOf([&] { ValidateIpPool(p); }),
              "firewall ippool \"p1\": block-size: 100 is not a multiple of 64 in 64..4096");
    p.blockSize = 8192;
    EXPECT_NE(ErrorOf([&] { ValidateIpPool(p); }).find("block-size"), std::string::npos);
    p.blockSize = 4096;
    EXPECT_NO_THROW(ValidateIpPool(p));

    p.numBlocksPerUser = 0;
    EXPECT_EQ(ErrorOf([&] { ValidateIpPool(p); }),
              "firewall ippool \"p1\": num-blocks-per-user: 0 is outside 1..128");
    p.numBlocksPerUser = 129;
    EXPECT_NE(ErrorOf([&] { ValidateIpPool(p); }).find("num-blocks-per-user"), std::string::npos);
    p.numBlocksPerUser = 8;

    p.startip = 0;
    EXPECT_NE(ErrorOf([&] { ValidateIpPool(p); }).find("\"p1\": startip: must be set"),
              std::string::npos);
    p.startip = Ip("203.0.113.20");

    p.type = IpPoolConfig::FIXED_PORT_RANGE;
    EXPECT_EQ(ErrorOf([&] { ValidateIpPool(p); }),
              "firewall ippool \"p1\": source-startip: must be set for type fixed-port-range");
    p.sourceStartip = Ip("10.0.0.10");
    p.sourceEndip = Ip("10.0.0.1");
    EXPECT_EQ(ErrorOf([&] { ValidateIpPool(p); }),
              "firewall ippool \"p1\": source-endip: 10.0.0.1 is below source-startip 10.0.0.10");
    p.sourceEndip = Ip("10.0.255.255");
    EXPECT_NO_THROW(ValidateIpPool(p));
    // 16M clients over 11 addresses leave no port per client.
    p.sourceStartip = Ip("10.0.0.0");
    p.sourceEndip = Ip("10.255.255.255");
    EXPECT_NE(ErrorOf([&] { ValidateIpPool(p); }).find("leave no port"), std::string::npos);

    p.type = IpPoolConfig::PORT_BLOCK_ALLOCATION;
    p.startport = 6000;
    p.endport = 6063;
    p.blockSize = 128;
    EXPECT_NE(ErrorOf([&] { ValidateIpPool(p); }).find("block-size: 128 is larger"),
              std::string::npos);
    p.endport = 5999;
    EXPECT_EQ(ErrorOf([&] { ValidateIpPool(p); }),
              "firewall ippool \"p1\": endport: 5999 is below startport 6000");

    IpPoolConfig unnamed;
    EXPECT_EQ(ErrorOf([&] { ValidateIpPool(unnamed); }),
              "firewall ippool: name: must not be empty");
}

TEST(IpPoolConfigTest, Overlap)
{
    auto a = Pool("a", IpPoolConfig::OVERLOAD, "203.0.113.10", "203.0.113.20");
    auto b = Pool("b", IpPoolConfig::ONE_TO_ONE, "203.0.113.20", "203.0.113.30");
    auto c = Pool("c", IpPoolConfig::OVERLOAD, "203.0.113.21", "203.0.113.30");
    auto d = Pool("d", IpPoolConfig::OVERLOAD, "203.0.113.12", "203.0.113.12");
    EXPECT_TRUE(IpPoolsOverlap(a, b));
    EXPECT_TRUE(IpPoolsOverlap(b, a));
    EXPECT_FALSE(IpPoolsOverlap(a, c));
    EXPECT_TRUE(IpPoolsOverlap(b, c));
    EXPECT_TRUE(IpPoolsOverlap(a, d)); // contained
    EXPECT_FALSE(IpPoolsOverlap(c, d));
    EXPECT_EQ(a, a);
    EXPECT_NE(a, b);
}

// ---- Interface SNAT --------------------------------------------------------------------------

TEST(NatAllocatorTest, InterfaceKeepsPortWhenFree)
{
    NatAllocator nat;
    FakeTable tbl;
    auto req = Tcp("10.0.1.2", 40000, "198.51.100.7", 21);
    auto r = nat.AllocateInterface(Ip("203.0.113.1"), req, tbl.InUse(), MakeRng(1));
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.ip, Ip("203.0.113.1"));
    EXPECT_EQ(r.port, 40000);
    // Privileged ports are kept too when free.
    auto req2 = Tcp("10.0.1.2", 514, "198.51.100.7", 22);
    auto r2 = nat.AllocateInterface(Ip("203.0.113.1"), req2, tbl.InUse(), MakeRng(1));
    EXPECT_EQ(r2.port, 514);
}

TEST(NatAllocatorTest, InterfaceChangesPortWhenTaken)
{
    NatAllocator nat;
    FakeTable tbl;
    const uint32_t wan = Ip("203.0.113.1");
    auto a = Tcp("10.0.1.2", 40000, "198.51.100.7", 80);
    auto ra = nat.AllocateInterface(wan, a, tbl.InUse(), MakeRng(1));
    tbl.Add(a, ra);
    EXPECT_EQ(ra.port, 40000);
    // Another client, same source port, same server: the port must change.
    auto b = Tcp("10.0.1.3", 40000, "198.51.100.7", 80);
    auto rb = nat.AllocateInterface(wan, b, tbl.InUse(), MakeRng(1));
    tbl.Add(b, rb);
    EXPECT_NE(rb.port, 40000);
    EXPECT_GE(rb.port, 1024);
    // Same source port towards another server: no clash, port kept (endpoint-dependent).
    auto c = Tcp("10.0.1.3", 40000, "198.51.100.8", 80);
    auto rc = nat.AllocateInterface(wan, c, tbl.InUse(), MakeRng(1));
    EXPECT_EQ(rc.port, 40000);
}

TEST(NatAllocatorTest, InterfaceExhaustionAndLastFreePort)
{
    NatAllocator nat;
    const uint32_t wan = Ip("203.0.113.1");
    auto req = Tcp("10.0.1.2", 40000, "198.51.100.7", 80);
    // Everything taken: fails with a message.
    auto all = [](const FlowTuple&) { return true; };
    auto r = nat.AllocateInterface(wan, req, all, MakeRng(7));
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("no free port"), std::string::npos) << r.error;
    // Only port 1024 free: the linear probe finds it after the random attempts miss.
    auto onlyLow = [](const FlowTuple& t) { return t.dport != 1024; };
    r = nat.AllocateInterface(wan, req, onlyLow, MakeRng(7));
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.port, 1024);
    // Only 65535 free, no RNG: deterministic probe from 1024 up.
    auto onlyHigh = [](const FlowTuple& t) { return t.dport != 65535; };
    r = nat.AllocateInterface(wan, req, onlyHigh, nullptr);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.port, 65535);
}

TEST(NatAllocatorTest, InterfaceIcmpIdAndGre)
{
    NatAllocator nat;
    FakeTable tbl;
    const uint32_t wan = Ip("203.0.113.1");
    NatAllocator::Request ping{1, Ip("10.0.1.2"), 77, Ip("198.51.100.7"), 77};
    auto r = nat.AllocateInterface(wan, ping, tbl.InUse(), MakeRng(3));
    tbl.Add(ping, r);
    EXPECT_EQ(r.port, 77);
    FlowTuple reply = NatAllocator::ReplyTuple(ping, r.ip, r.port);
    EXPECT_EQ(reply.sport, 77);
    EXPECT_EQ(reply.dport, 77);
    NatAllocator::Request ping2{1, Ip("10.0.1.3"), 77, Ip("198.51.100.7"), 77};
    auto r2 = nat.AllocateInterface(wan, ping2, tbl.InUse(), MakeRng(3));
    ASSERT_TRUE(r2.ok);
    EXPECT_NE(r2.port, 77);

    // GRE: no port to translate; a second identical tuple fails.
    NatAllocator::Request gre{47, Ip("10.0.1.2"), 0, Ip("198.51.100.7"), 5};
    auto g = nat.AllocateInterface(wan, gre, tbl.InUse(), MakeRng(3));
    tbl.Add(gre, g);
    EXPECT_EQ(g.port, 0);
    NatAllocator::Request gre2{47, Ip("10.0.1.3"), 0, Ip("198.51.100.7"), 5};
    auto g2 = nat.AllocateInterface(wan, gre2, tbl.InUse(), MakeRng(3));
    EXPECT_FALSE(g2.ok);
}

// ---- Overload --------------------------------------------------------------------------------

TEST(NatAllocatorTest, OverloadAddressFollowsClientAndPortRules)
{
    NatAllocator nat;
    FakeTable tbl;
    auto pool = Pool("ov", IpPoolConfig::OVERLOAD, "203.0.113.10", "203.0.113.13");
    std::set<uint32_t> used;
    for (int i = 0; i < 64; ++i)
    {
        const std::string src = "10.0.1." + std::to_string(i + 1);
        auto req = Tcp(src.c_str(), 40000, "198.51.100.7", 443);
        auto r = nat.AllocatePool(pool, req, tbl.InUse(), MakeRng(i));
        ASSERT_TRUE(r.ok) << r.error;
        EXPECT_TRUE(pool.Contains(r.ip));
        used.insert(r.ip);
        // The same client always gets the same address.
        auto again = Tcp(src.c_str(), 40001, "198.51.100.9", 443);
        auto r2 = nat.AllocatePool(pool, again, tbl.InUse(), MakeRng(i + 100));
        EXPECT_EQ(r2.ip, r.ip);
        tbl.Add(req, r);
        tbl.Add(again, r2);
    }
    EXPECT_EQ(used.size(), 4u) << "64 clients should spread over all 4 addresses";

    // Port kept when free, changed inside startport..endport when taken.
    NatAllocator nat2;
    FakeTable t2;
    auto one = Pool("one", IpPoolConfig::OVERLOAD, "203.0.113.10", "203.0.113.10");
    auto a = Tcp("10.0.1.2", 1000, "198.51.100.7", 80);
    auto ra = nat2.AllocatePool(one, a, t2.InUse(), MakeRng(1));
    t2.Add(a, ra);
    EXPECT_EQ(ra.port, 1000);
    auto b = Tcp("10.0.1.3", 1000, "198.51.100.7", 80);
    auto rb = nat2.AllocatePool(one, b, t2.InUse(), MakeRng(1));
    t2.Add(b, rb);
    EXPECT_EQ(rb.ip, ra.ip);
    EXPECT_GE(rb.port, 5117);
    EXPECT_LE(rb.port, 65533);

    auto st = nat2.GetPoolStats("one");
    EXPECT_EQ(st.allocations, 2u);
    EXPECT_EQ(st.clients, 2u);
    EXPECT_EQ(st.usedIps, 1u);
    nat2.Release(6, a.src, ra.ip, ra.port, "one");
    nat2.Release(6, b.src, rb.ip, rb.port, "one");
    st = nat2.GetPoolStats("one");
    EXPECT_EQ(st.activeSessions, 0u);
    EXPECT_EQ(st.usedIps, 0u);
    EXPECT_EQ(st.releases, 2u);
}

TEST(NatAllocatorTest, OverloadExhaustsPortRange)
{
    NatAllocator nat;
    FakeTable tbl;
    auto pool = Pool("small", IpPoolConfig::OVERLOAD, "203.0.113.10", "203.0.113.10");
    pool.startport = 6000;
    pool.endport = 6009;
    // Twelve clients with the same source port to the same server: the first keeps its port,
    // the next ten take 6000..6009, the last finds nothing.
    int ok = 0;
    for (int i = 0; i < 12; ++i)
    {
        const std::string src = "10.0.1." + std::to_string(i + 1);
        auto req = Tcp(src.c_str(), 50000, "198.51.100.7", 80);
        auto r = nat.AllocatePool(pool, req, tbl.InUse(), MakeRng(i));
        if (!r.ok)
        {
            EXPECT_EQ(i, 11);
            EXPECT_NE(r.error.find("ippool \"small\": ippool exhausted"), std::string::npos)
                << r.error;
            continue;
        }
        if (i == 0)
        {
            EXPECT_EQ(r.port, 50000);
        }
        else
        {
            EXPECT_GE(r.port, 6000);
            EXPECT_LE(r.port, 6009);
        }
        tbl.Add(req, r);
        ++ok;
    }
    EXPECT_EQ(ok, 11);
    EXPECT_EQ(nat.GetPoolStats("small").failures, 1u);
}

// ---- One-to-one ------------------------------------------------------------------------------

TEST(NatAllocatorTest, OneToOneTwoAddressesThirdClientFails)
{
    NatAllocator nat;
    FakeTable tbl;
    auto pool = Pool("o2o", IpPoolConfig::ONE_TO_ONE, "203.0.113.10", "203.0.113.11");
    auto a1 = Tcp("10.0.1.1", 40000, "198.51.100.7", 80);
    auto a2 = Tcp("10.0.1.1", 40001, "198.51.100.8", 80);
    auto b = Tcp("10.0.1.2", 40000, "198.51.100.7", 80);
    auto c = Tcp("10.0.1.3", 40000, "198.51.100.7", 80);

    auto ra1 = nat.AllocatePool(pool, a1, tbl.InUse(), MakeRng(1));
    tbl.Add(a1, ra1);
    auto ra2 = nat.AllocatePool(pool, a2, tbl.InUse(), MakeRng(1));
    tbl.Add(a2, ra2);
    auto rb = nat.AllocatePool(pool, b, tbl.InUse(), MakeRng(1));
    tbl.Add(b, rb);
    EXPECT_EQ(ra1.ip, Ip("203.0.113.10")); // lowest free
    EXPECT_EQ(ra2.ip, ra1.ip);             // same client, same address
    EXPECT_EQ(rb.ip, Ip("203.0.113.11"));
    EXPECT_EQ(ra1.port, 40000); // no port translation
    EXPECT_EQ(rb.port, 40000);

    auto rc = nat.AllocatePool(pool, c, tbl.InUse(), MakeRng(1));
    EXPECT_FALSE(rc.ok);
    EXPECT_NE(rc.error.find("ippool exhausted"), std::string::npos) << rc.error;

    // Client A keeps its address until its LAST session closes.
    nat.Release(6, a1.src, ra1.ip, ra1.port, "o2o");
    tbl.Remove(a1, ra1);
    EXPECT_FALSE(nat.AllocatePool(pool, c, tbl.InUse(), MakeRng(1)).ok);
    nat.Release(6, a2.src, ra2.ip, ra2.port, "o2o");
    tbl.Remove(a2, ra2);
    auto rc2 = nat.AllocatePool(pool, c, tbl.InUse(), MakeRng(1));
    ASSERT_TRUE(rc2.ok) << rc2.error;
    EXPECT_EQ(rc2.ip, Ip("203.0.113.10"));

    auto st = nat.GetPoolStats("o2o");
    EXPECT_EQ(st.failures, 2u);
    EXPECT_EQ(st.usedIps, 2u);
    EXPECT_EQ(st.clients, 2u);
}

// ---- Fixed port range ------------------------------------------------------------------------

TEST(NatAllocatorTest, FixedPortRangeArithmetic)
{
    NatAllocator nat;
    FakeTable tbl;
    auto pool = Pool("fpr", IpPoolConfig::FIXED_PORT_RANGE, "203.0.113.10", "203.0.113.11");
    pool.sourceStartip = Ip("10.0.0.0");
    pool.sourceEndip = Ip("10.0.0.255");
    ValidateIpPool(pool);

    // 256 clients over 2 addresses: factor 128, slice (65533-5117+1)/128 = 472 ports.
    struct Case
    {
        const char* src;
        const char* ip;
        uint16_t lo;
    };

    const Case cases[] = {
        {"10.0.0.0", "203.0.113.10", 5117},
        {"10.0.0.1", "203.0.113.10", 5117 + 472},
        {"10.0.0.127", "203.0.113.10", 5117 + 127 * 472},
        {"10.0.0.128", "203.0.113.11", 5117},
        {"10.0.0.255", "203.0.113.11", 5117 + 127 * 472},
    };
    for (const auto& c : cases)
    {
        auto req = Tcp(c.src, 40000, "198.51.100.7", 80);
        auto r = nat.AllocatePool(pool, req, tbl.InUse(), MakeRng(5));
        ASSERT_TRUE(r.ok) << r.error;
        EXPECT_EQ(r.ip, Ip(c.ip)) << c.src;
        EXPECT_GE(r.port, c.lo) << c.src;
        EXPECT_LE(r.port, c.lo + 471) << c.src;
        // A source port already inside the client's own slice is kept.
        auto inside = Tcp(c.src, c.lo + 5, "198.51.100.9", 80);
        auto ri = nat.AllocatePool(pool, inside, tbl.InUse(), MakeRng(5));
        EXPECT_EQ(ri.port, c.lo + 5);
    }
    // Outside the source range.
    auto out = Tcp("10.0.1.0", 40000, "198.51.100.7", 80);
    auto ro = nat.AllocatePool(pool, out, tbl.InUse(), MakeRng(5));
    EXPECT_FALSE(ro.ok);
    EXPECT_NE(ro.error.find("outside source-startip"), std::string::npos) << ro.error;

    // FortiOS cookbook scenario: 1022 clients over 64 addresses -> factor 16.
    auto cb = Pool("cb", IpPoolConfig::FIXED_PORT_RANGE, "198.18.0.1", "198.18.0.64");
    cb.sourceStartip = Ip("172.16.4.1");
    cb.sourceEndip = Ip("172.16.7.254");
    auto last = Tcp("172.16.7.254", 40000, "198.51.100.7", 80);
    auto rl = nat.AllocatePool(cb, last, tbl.InUse(), MakeRng(5));
    ASSERT_TRUE(rl.ok) << rl.error;
    EXPECT_EQ(rl.ip, Ip("198.18.0.1") + 1021 / 16);
    const uint16_t slice = 60417 / 16;
    EXPECT_GE(rl.port, 5117 + (1021 % 16) * slice);
    EXPECT_LT(rl.port, 5117 + (1021 % 16 + 1) * slice);
}

TEST(NatAllocatorTest, FixedPortRangeSliceExhaustion)
{
    NatAllocator nat;
    FakeTable tbl;
    auto pool = Pool("fpr", IpPoolConfig::FIXED_PORT_RANGE, "203.0.113.10", "203.0.113.10");
    pool.sourceStartip = Ip("10.0.0.0");
    pool.sourceEndip = Ip("10.0.0.255"); // 256 clients on one address: slice of 236 ports
    const uint32_t slice = 60417 / 256;
    uint32_t ok = 0;
    for (uint32_t i = 0; i <= slice; ++i)
    {
        auto req = Tcp("10.0.0.3", 30000 + i, "198.51.100.7", 80);
        auto r = nat.AllocatePool(pool, req, tbl.InUse(), MakeRng(i));
        if (r.ok)
        {
            EXPECT_GE(r.port, 5117 + 3 * slice);
            EXPECT_LT(r.port, 5117 + 4 * slice);
            tbl.Add(req, r);
            ++ok;
        }
        else
        {
            EXPECT_EQ(i, slice);
        }
    }
    EXPECT_EQ(ok, slice);
}

// ---- Port block allocation -------------------------------------------------------------------

TEST(NatAllocatorTest, PbaOneBlockOf64)
{
    NatAllocator nat;
    FakeTable tbl;
    auto pool = Pool("pba", IpPoolConfig::PORT_BLOCK_ALLOCATION, "203.0.113.10", "203.0.113.11");
    pool.blockSize = 64;
    pool.numBlocksPerUser = 1;
    ValidateIpPool(pool);
    std::vector<std::pair<NatAllocator::Request, NatAllocator::Result>> sessions;
    uint16_t blockLo = 0;
    for (int i = 0; i < 64; ++i)
    {
        // Different destinations: the port is still exclusive to the session.
        const std::string dst = "198.51.100." + std::to_string(i + 1);
        auto req = Tcp("10.0.1.2", 40000 + i, dst.c_str(), 80);
        auto r = nat.AllocatePool(pool, req, tbl.InUse(), MakeRng(i));
        ASSERT_TRUE(r.ok) << i << ": " << r.error;
        if (i == 0)
        {
            blockLo = r.port - (r.port - 5117) % 64;
        }
        EXPECT_GE(r.port, blockLo);
        EXPECT_LT(r.port, blockLo + 64);
        EXPECT_EQ(r.ip, sessions.empty() ? r.ip : sessions.front().second.ip);
        tbl.Add(req, r);
        sessions.emplace_back(req, r);
    }
    std::set<uint16_t> ports;
    for (const auto& s : sessions)
    {
        ports.insert(s.second.port);
    }
    EXPECT_EQ(ports.size(), 64u);

    auto st = nat.GetPoolStats("pba");
    EXPECT_EQ(st.usedBlocks, 1u);
    EXPECT_EQ(st.totalBlocks, 2u * (60417 / 64));

    auto extra = Tcp("10.0.1.2", 41000, "198.51.100.200", 80);
    auto rx = nat.AllocatePool(pool, extra, tbl.InUse(), MakeRng(99));
    EXPECT_FALSE(rx.ok) << "65th concurrent session must fail";
    EXPECT_NE(rx.error.find("num-blocks-per-user 1"), std::string::npos) << rx.error;

    // Another client is unaffected: it gets its own block.
    auto other = Tcp("10.0.1.3", 40000, "198.51.100.1", 80);
    auto ro = nat.AllocatePool(pool, other, tbl.InUse(), MakeRng(1));
    ASSERT_TRUE(ro.ok) << ro.error;
    EXPECT_EQ(nat.GetPoolStats("pba").usedBlocks, 2u);

    // Releasing one session frees its port for the next one.
    const auto freed = sessions[10];
    nat.Release(6, freed.first.src, freed.second.ip, freed.second.port, "pba");
    tbl.replies.erase(NatAllocator::ReplyTuple(freed.first, freed.second.ip, freed.second.port));
    auto ry = nat.AllocatePool(pool, extra, tbl.InUse(), MakeRng(99));
    ASSERT_TRUE(ry.ok) << ry.error;
    EXPECT_EQ(ry.port, freed.second.port);
    EXPECT_EQ(ry.ip, freed.second.ip);
    sessions[10] = {extra, ry};

    // Releasing everything gives the block back; a double release changes nothing.
    for (const auto& s : sessions)
    {
        nat.Release(6, s.first.src, s.second.ip, s.second.port, "pba");
    }
    nat.Release(6, sessions[0].first.src, sessions[0].second.ip, sessions[0].second.port, "pba");
    st = nat.GetPoolStats("pba");
    EXPECT_EQ(st.usedBlocks, 1u); // the other client's
    EXPECT_EQ(st.activeSessions, 1u);
    EXPECT_EQ(st.clients, 1u);
    EXPECT_EQ(st.blockAllocations, 2u);
}

TEST(NatAllocatorTest, PbaSecondBlockSameAddressAndPoolExhaustion)
{
    NatAllocator nat;
    FakeTable tbl;
    // One address, 4 blocks of 64 (startport..endport = 256 ports).
    auto pool = Pool("pba", IpPoolConfig::PORT_BLOCK_ALLOCATION, "203.0.113.10", "203.0.113.10");
    pool.blockSize = 64;
    pool.numBlocksPerUser = 2;
    pool.startport = 10000;
    pool.endport = 10255;
    ValidateIpPool(pool);
    std::set<uint16_t> blocksOfA;
    for (int i = 0; i < 128; ++i)
    {
        auto req = Tcp("10.0.1.2", 40000 + i, "198.51.100.7", 80);
        auto r = nat.AllocatePool(pool, req, tbl.InUse(), MakeRng(i));
        ASSERT_TRUE(r.ok) << i << ": " << r.error;
        blocksOfA.insert((r.port - 10000) / 64);
        tbl.Add(req, r);
    }
    EXPECT_EQ(blocksOfA, (std::set<uint16_t>{0, 1})); // lowest free blocks, same address
    EXPECT_FALSE(
        nat.AllocatePool(pool, Tcp("10.0.1.2", 1, "198.51.100.7", 80), tbl.InUse(), MakeRng(1)).ok);
    // Client B takes blocks 2 and 3 (one session each), client C finds none.
    auto b1 = Tcp("10.0.1.3", 40000, "198.51.100.7", 80);
    auto rb1 = nat.AllocatePool(pool, b1, tbl.InUse(), MakeRng(1));
    ASSERT_TRUE(rb1.ok);
    EXPECT_EQ((rb1.port - 10000) / 64, 2);
    auto c = Tcp("10.0.1.4", 40000, "198.51.100.7", 80);
    auto d = Tcp("10.0.1.5", 40000, "198.51.100.7", 80);
    auto rc = nat.AllocatePool(pool, c, tbl.InUse(), MakeRng(1));
    ASSERT_TRUE(rc.ok);
    EXPECT_EQ((rc.port - 10000) / 64, 3);
    auto rd = nat.AllocatePool(pool, d, tbl.InUse(), MakeRng(1));
    EXPECT_FALSE(rd.ok);
    EXPECT_NE(rd.error.find("no free port block"), std::string::npos) << rd.error;
    // C leaves: its block goes back and D gets it.
    nat.Release(6, c.src, rc.ip, rc.port, "pba");
    auto rd2 = nat.AllocatePool(pool, d, tbl.InUse(), MakeRng(1));
    ASSERT_TRUE(rd2.ok) << rd2.error;
    EXPECT_EQ((rd2.port - 10000) / 64, 3);

    const std::string diag = nat.DiagnosePool("pba");
    EXPECT_NE(
        diag.find("ippool pba: type=port-block-allocation, ip-range=203.0.113.10-203.0.113.10"),
        std::string::npos)
        << diag;
    EXPECT_NE(diag.find("num-pba-per-ip=4"), std::string::npos) << diag;
    EXPECT_NE(diag.find("total-PBAs=4, inuse-PBAs=4, free-PBAs=0.00%"), std::string::npos) << diag;
    EXPECT_NE(diag.find("clients=3, inuse-NAT-IPs=1"), std::string::npos) << diag;
    EXPECT_NE(nat.DiagnoseAll().find("list ippool info:\nippool pba:"), std::string::npos);
}

TEST(NatAllocatorTest, ReleaseIsRobustAndRedefinitionResets)
{
    NatAllocator nat;
    FakeTable tbl;
    nat.Release(6, 1, 2, 3, "nope"); // unknown pool
    nat.Release(6, 1, 2, 3, "");     // interface SNAT
    auto pool = Pool("o2o", IpPoolConfig::ONE_TO_ONE, "203.0.113.10", "203.0.113.10");
    auto a = Tcp("10.0.1.1", 40000, "198.51.100.7", 80);
    auto ra = nat.AllocatePool(pool, a, tbl.InUse(), MakeRng(1));
    ASSERT_TRUE(ra.ok);
    nat.Release(6, Ip("10.0.1.9"), ra.ip, ra.port, "o2o"); // wrong client: ignored
    EXPECT_EQ(nat.GetPoolStats("o2o").activeSessions, 1u);
    // Comments change: state kept. Range change: state reset, the address is free again.
    pool.comments = "x";
    EXPECT_FALSE(
        nat.AllocatePool(pool, Tcp("10.0.1.2", 1, "198.51.100.7", 80), tbl.InUse(), MakeRng(1)).ok);
    pool.endip = Ip("203.0.113.11");
    auto rb =
        nat.AllocatePool(pool, Tcp("10.0.1.2", 1, "198.51.100.7", 80), tbl.InUse(), MakeRng(1));
    ASSERT_TRUE(rb.ok);
    EXPECT_EQ(rb.ip, Ip("203.0.113.10"));
    EXPECT_EQ(nat.GetPoolStats("o2o").failures, 0u);
    nat.Release(6, a.src, ra.ip, ra.port, "o2o"); // stale: ignored
    EXPECT_EQ(nat.GetPoolStats("o2o").activeSessions, 1u);
    EXPECT_EQ(nat.DiagnosePool("never"), "");
}

// ---- VIPs ------------------------------------------------------------------------------------

namespace
{

VipConfig
StaticVip(const char* name, const char* ext, const char* mapped)
{
    VipConfig v;
    v.name = name;
    v.extipLo = Ip(ext);
    v.mappedipLo = Ip(mapped);
    return v;
}

VipConfig
PortForward(const char* name,
            const char* ext,
            uint8_t proto,
            uint16_t extport,
            const char* mapped,
            uint16_t mappedport)
{
    VipConfig v = StaticVip(name, ext, mapped);
    v.portforward = true;
    v.protocol = proto;
    v.extportLo = extport;
    v.mappedportLo = mappedport;
    return v;
}

int
IfIndex(const std::string& name)
{
    if (name == "port1")
    {
        return 1;
    }
    if (name == "port2")
    {
        return 2;
    }
    return -1;
}

} // namespace

TEST(VirtualIpTest, StaticAndPortForwardMapping)
{
    VipTable t;
    std::vector<VipConfig> vips{
        StaticVip("srv", "203.0.113.50", "10.0.0.50"),
        PortForward("web", "203.0.113.60", 6, 8080, "10.0.0.60", 80),
        PortForward("dns", "203.0.113.60", 17, 53, "10.0.0.61", 5353),
    };
    t.Build(vips, IfIndex);
    EXPECT_EQ(t.Size(), 3u);
    VipTable::Match m;
    // Static: every protocol and port, port unchanged.
    ASSERT_TRUE(t.Lookup(1, 6, Ip("203.0.113.50"), 22, &m));
    EXPECT_EQ(m.vip->name, "srv");
    EXPECT_EQ(m.mappedIp, Ip("10.0.0.50"));
    EXPECT_EQ(m.mappedPort, 22);
    ASSERT_TRUE(t.Lookup(2, 1, Ip("203.0.113.50"), 99, &m));
    EXPECT_EQ(m.mappedPort, 99);
    // Port forward: only its protocol and port.
    ASSERT_TRUE(t.Lookup(1, 6, Ip("203.0.113.60"), 8080, &m));
    EXPECT_EQ(m.vip->name, "web");
    EXPECT_EQ(m.mappedIp, Ip("10.0.0.60"));
    EXPECT_EQ(m.mappedPort, 80);
    EXPECT_FALSE(t.Lookup(1, 6, Ip("203.0.113.60"), 8081, &m));
    EXPECT_FALSE(t.Lookup(1, 17, Ip("203.0.113.60"), 8080, &m));
    ASSERT_TRUE(t.Lookup(1, 17, Ip("203.0.113.60"), 53, &m));
    EXPECT_EQ(m.vip->name, "dns");
    EXPECT_EQ(m.mappedPort, 5353);
    EXPECT_FALSE(t.Lookup(1, 6, Ip("203.0.113.61"), 8080, &m));
    EXPECT_FALSE(t.Lookup(1, 6, Ip("203.0.113.49"), 8080, &m));
}

TEST(VirtualIpTest, RangesKeepOffsets)
{
    VipTable t;
    VipConfig range = StaticVip("range", "203.0.113.10", "10.0.0.100");
    range.extipHi = Ip("203.0.113.19");
    range.mappedipHi = Ip("10.0.0.109");
    VipConfig ports = PortForward("ports", "203.0.113.30", 6, 8000, "10.0.0.30", 80);
    ports.extportHi = 8010;
    ports.mappedportHi = 90;
    VipConfig manyToOne = PortForward("m2o", "203.0.113.31", 6, 9000, "10.0.0.31", 443);
    manyToOne.extportHi = 9009; // every ext port to the one mapped port
    t.Build({range, ports, manyToOne}, IfIndex);
    VipTable::Match m;
    ASSERT_TRUE(t.Lookup(1, 17, Ip("203.0.113.17"), 5000, &m));
    EXPECT_EQ(m.mappedIp, Ip("10.0.0.107"));
    EXPECT_FALSE(t.Lookup(1, 17, Ip("203.0.113.20"), 5000, &m));
    ASSERT_TRUE(t.Lookup(1, 6, Ip("203.0.113.30"), 8007, &m));
    EXPECT_EQ(m.mappedPort, 87);
    ASSERT_TRUE(t.Lookup(1, 6, Ip("203.0.113.30"), 8010, &m));
    EXPECT_EQ(m.mappedPort, 90);
    EXPECT_FALSE(t.Lookup(1, 6, Ip("203.0.113.30"), 8011, &m));
    ASSERT_TRUE(t.Lookup(1, 6, Ip("203.0.113.31"), 9005, &m));
    EXPECT_EQ(m.mappedPort, 443);
}

TEST(VirtualIpTest, InterfaceBindingPrecedenceAndConflicts)
{
    VipTable t;
    VipConfig onPort1 = StaticVip("p1", "203.0.113.50", "10.0.0.50");
    onPort1.extintf = "port1";
    VipConfig onPort2 = StaticVip("p2", "203.0.113.50", "10.0.0.51");
    onPort2.extintf = "port2";
    VipConfig pf = PortForward("pf", "203.0.113.50", 6, 443, "10.0.0.52", 8443);
    t.Build({onPort1, onPort2, pf}, IfIndex);
    VipTable::Match m;
    ASSERT_TRUE(t.Lookup(1, 6, Ip("203.0.113.50"), 80, &m));
    EXPECT_EQ(m.vip->name, "p1");
    ASSERT_TRUE(t.Lookup(2, 6, Ip("203.0.113.50"), 80, &m));
    EXPECT_EQ(m.vip->name, "p2");
    EXPECT_FALSE(t.Lookup(3, 6, Ip("203.0.113.50"), 80, &m));
    // The port forward (extintf any) wins over the static VIPs for tcp/443 on any interface.
    ASSERT_TRUE(t.Lookup(1, 6, Ip("203.0.113.50"), 443, &m));
    EXPECT_EQ(m.vip->name, "pf");
    EXPECT_EQ(m.mappedPort, 8443);
    ASSERT_TRUE(t.Lookup(3, 6, Ip("203.0.113.50"), 443, &m));
    EXPECT_EQ(m.vip->name, "pf");

    // Conflicts are rejected and leave the table as it was.
    VipConfig anyStatic = StaticVip("any", "203.0.113.40", "10.0.0.1");
    anyStatic.extipHi = Ip("203.0.113.55");
    EXPECT_EQ(ErrorOf([&] {
                  t.Build({onPort1, anyStatic}, IfIndex);
              }),
              "firewall vip \"any\": extip: conflicts with vip \"p1\" (203.0.113.50 on port1)");
    VipConfig pf2 = PortForward("pf2", "203.0.113.50", 6, 400, "10.0.0.53", 400);
    pf2.extportHi = 500;
    EXPECT_NE(ErrorOf([&] {
                  t.Build({pf, pf2}, IfIndex);
              }).find("conflicts with vip \"pf\""),
              std::string::npos);
    pf2.protocol = 17; // other protocol: fine
    EXPECT_FALSE(VipsConflict(pf, pf2));
    VipConfig unknownIf = StaticVip("bad", "203.0.113.90", "10.0.0.90");
    unknownIf.extintf = "wan9";
    EXPECT_EQ(ErrorOf([&] { t.Build({unknownIf}, IfIndex); }),
              "firewall vip \"bad\": extintf: unknown interface \"wan9\"");
    EXPECT_NE(ErrorOf([&] {
                  t.Build({pf, pf}, IfIndex);
              }).find("defined twice"),
              std::string::npos);
    EXPECT_EQ(t.Size(), 3u);
    ASSERT_TRUE(t.Lookup(2, 6, Ip("203.0.113.50"), 80, &m));
    EXPECT_EQ(m.vip->name, "p2");
}

TEST(VirtualIpTest, ValidateMessages)
{
    VipConfig v = StaticVip("web", "203.0.113.10", "10.0.0.1");
    EXPECT_NO_THROW(ValidateVip(v));
    v.extipHi = Ip("203.0.113.11");
    v.mappedipHi = Ip("10.0.0.3");
    EXPECT_EQ(ErrorOf([&] { ValidateVip(v); }),
              "firewall vip \"web\": mappedip: 10.0.0.1-10.0.0.3 has 3 addresses, extip has 2");
    v.mappedipHi = 0; // many-to-one
    EXPECT_NO_THROW(ValidateVip(v));
    v.extipHi = Ip("203.0.113.9");
    EXPECT_EQ(ErrorOf([&] { ValidateVip(v); }),
              "firewall vip \"web\": extip: range end 203.0.113.9 is below its start "
              "203.0.113.10");
    v.extipHi = 0;
    v.extportLo = 80;
    EXPECT_EQ(ErrorOf([&] { ValidateVip(v); }),
              "firewall vip \"web\": extport: needs portforward enable");
    v.portforward = true;
    EXPECT_EQ(ErrorOf([&] { ValidateVip(v); }),
              "firewall vip \"web\": mappedport: must be set (1-65535) with portforward enable");
    v.mappedportLo = 8080;
    EXPECT_NO_THROW(ValidateVip(v));
    v.extportHi = 89;
    v.mappedportHi = 8085;
    EXPECT_EQ(ErrorOf([&] { ValidateVip(v); }),
              "firewall vip \"web\": mappedport: 8080-8085 has 6 ports, extport has 10");
    v.mappedportHi = 0;
    v.protocol = 47;
    EXPECT_EQ(ErrorOf([&] { ValidateVip(v); }),
              "firewall vip \"web\": protocol: 47 is not tcp(6), udp(17), sctp(132) or icmp(1)");
    v.protocol = 1;
    EXPECT_NE(ErrorOf([&] { ValidateVip(v); }).find("icmp has no ports"), std::string::npos);
    v.mappedipLo = 0;
    EXPECT_EQ(ErrorOf([&] { ValidateVip(v); }), "firewall vip \"web\": mappedip: must be set");

    uint8_t proto = 0;
    EXPECT_TRUE(ParseVipProtocol("sctp", proto));
    EXPECT_EQ(proto, 132);
    EXPECT_FALSE(ParseVipProtocol("gre", proto));
    EXPECT_STREQ(VipProtocolName(17), "udp");
}

TEST(VirtualIpTest, ReverseLookupAndProxyArp)
{
    VipTable t;
    VipConfig range = StaticVip("range", "203.0.113.10", "10.0.0.100");
    range.extipHi = Ip("203.0.113.19");
    range.mappedipHi = Ip("10.0.0.109");
    VipConfig pf = PortForward("pf", "203.0.113.60", 6, 8080, "10.0.0.60", 80);
    VipConfig pfSrc = PortForward("pfsrc", "203.0.113.61", 6, 8080, "10.0.0.61", 80);
    pfSrc.natSourceVip = true;
    pfSrc.arpReply = false;
    VipConfig bound = StaticVip("bound", "203.0.113.70", "10.0.0.70");
    bound.extintf = "port2";
    t.Build({range, pf, pfSrc, bound}, IfIndex);

    VipTable::ReverseMatch r;
    ASSERT_TRUE(t.ReverseLookup(Ip("10.0.0.103"), 40000, 6, -1, &r));
    EXPECT_EQ(r.extIp, Ip("203.0.113.13"));
    EXPECT_EQ(r.vip->name, "range");
    EXPECT_FALSE(r.forced);
    EXPECT_FALSE(t.ReverseLookup(Ip("10.0.0.110"), 40000, 6, -1, &r));
    EXPECT_FALSE(t.ReverseLookup(Ip("10.0.0.60"), 40000, 6, -1, &r)) << "plain port forward";
    ASSERT_TRUE(t.ReverseLookup(Ip("10.0.0.61"), 40000, 6, -1, &r));
    EXPECT_TRUE(r.forced);
    EXPECT_EQ(r.extIp, Ip("203.0.113.61"));
    EXPECT_FALSE(t.ReverseLookup(Ip("10.0.0.61"), 40000, 17, -1, &r)) << "other protocol";
    EXPECT_TRUE(t.ReverseLookup(Ip("10.0.0.70"), 1, 17, 2, &r));
    EXPECT_FALSE(t.ReverseLookup(Ip("10.0.0.70"), 1, 17, 1, &r)) << "bound to port2";

    EXPECT_TRUE(t.OwnsAddress(Ip("203.0.113.15")));
    EXPECT_TRUE(t.OwnsAddress(Ip("203.0.113.60")));
    EXPECT_FALSE(t.OwnsAddress(Ip("203.0.113.61"))) << "arp-reply disable";
    EXPECT_FALSE(t.OwnsAddress(Ip("203.0.113.20")));
    EXPECT_TRUE(t.OwnsAddress(Ip("203.0.113.70"), 2));
    EXPECT_FALSE(t.OwnsAddress(Ip("203.0.113.70"), 1));
    EXPECT_TRUE(t.OwnsAddress(Ip("203.0.113.10"), 1));
    t.Clear();
    EXPECT_FALSE(t.OwnsAddress(Ip("203.0.113.15")));
    VipTable::Match m;
    EXPECT_FALSE(t.Lookup(1, 6, Ip("203.0.113.15"), 80, &m));
}

TEST(VirtualIpTest, ManyVipsLookup)
{
    // 4096 port forwards on one address plus 4096 static VIPs on consecutive addresses.
    std::vector<VipConfig> vips;
    for (uint32_t i = 0; i < 4096; ++i)
    {
        VipConfig v;
        v.name = "pf" + std::to_string(i);
        v.extipLo = Ip("198.18.0.1");
        v.mappedipLo = Ip("10.1.0.0") + i;
        v.portforward = true;
        v.protocol = 6;
        v.extportLo = static_cast<uint16_t>(10000 + i);
        v.mappedportLo = 80;
        vips.push_back(v);
        VipConfig s;
        s.name = "st" + std::to_string(i);
        s.extipLo = Ip("198.19.0.0") + i;
        s.mappedipLo = Ip("10.2.0.0") + i;
        vips.push_back(s);
    }
    VipTable t;
    t.Build(vips, IfIndex);
    VipTable::Match m;
    for (uint32_t i = 0; i < 4096; i += 97)
    {
        ASSERT_TRUE(t.Lookup(1, 6, Ip("198.18.0.1"), static_cast<uint16_t>(10000 + i), &m));
        EXPECT_EQ(m.mappedIp, Ip("10.1.0.0") + i);
        ASSERT_TRUE(t.Lookup(1, 17, Ip("198.19.0.0") + i, 53, &m));
        EXPECT_EQ(m.mappedIp, Ip("10.2.0.0") + i);
    }
    EXPECT_FALSE(t.Lookup(1, 6, Ip("198.18.0.1"), 9999, &m));
    EXPECT_FALSE(t.Lookup(1, 6, Ip("198.19.0.0") + 4096, 53, &m));
}
