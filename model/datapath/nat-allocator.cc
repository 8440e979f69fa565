/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nat-allocator.h"

#include "ns3/log.h"

#include <cstdio>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateNatAllocator");

namespace
{

/// Fixed 32-bit mixer (MurmurHash3 finaliser): the same client always gets the same value.
/// Not ns3::Hash32: its value picks the pool address and PBA block of every client, which the
/// tests and the determinism pcaps pin, and it runs for every new session; ns-3's Murmur3 over
/// the address bytes would move clients to other addresses and cost several times more.
uint32_t
Mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x85ebca6bU;
    x ^= x >> 13;
    x *= 0xc2b2ae35U;
    x ^= x >> 16;
    return x;
}

uint32_t
Draw(const NatAllocator::Rng& rng, uint32_t n)
{
    return rng ? rng(n) % n : 0;
}

std::string
PoolPrefix(const IpPoolConfig& pool)
{
    return "ippool \"" + pool.name + "\": ";
}

} // namespace

bool
NatAllocator::TranslatesPort(uint8_t proto)
{
    return proto == 6 || proto == 17 || proto == 132 || proto == 1;
}

FlowTuple
NatAllocator::ReplyTuple(const Request& req, uint32_t ip, uint16_t port)
{
    FlowTuple t;
    t.proto = req.proto;
    t.src = req.dst;
    t.dst = ip;
    if (req.proto == 1)
    {
        t.sport = port; // ICMP: both "ports" carry the echo id
        t.dport = port;
    }
    else if (TranslatesPort(req.proto))
    {
        t.sport = req.dport;
        t.dport = port;
    }
    else
    {
        t.sport = req.dport;
        t.dport = req.sport;
    }
    return t;
}

bool
NatAllocator::PickPort(const Request& req,
                       uint32_t ip,
                       uint32_t lo,
                       uint32_t hi,
                       bool keepSportAnywhere,
                       const InUse& inUse,
                       const Rng& rng,
                       const std::function<bool(uint16_t)>& extraFree,
                       uint16_t& port)
{
    auto isFree = [&](uint16_t p) {
        if (extraFree && !extraFree(p))
        {
            return false;
        }
        return !inUse || !inUse(ReplyTuple(req, ip, p));
    };
    if ((keepSportAnywhere || (req.sport >= lo && req.sport <= hi)) && isFree(req.sport))
    {
        port = req.sport;
        return true;
    }
    const uint32_t n = hi - lo + 1;
    if (rng)
    {
        for (uint32_t a = 0; a < kRandomAttempts; ++a)
        {
            const uint16_t p = static_cast<uint16_t>(lo + Draw(rng, n));
            if (isFree(p))
            {
                port = p;
                return true;
            }
        }
    }
    const uint32_t start = Draw(rng, n);
    for (uint32_t i = 0; i < n; ++i)
    {
        const uint16_t p = static_cast<uint16_t>(lo + (start + i) % n);
        if (isFree(p))
        {
            port = p;
            return true;
        }
    }
    return false;
}

NatAllocator::Result
NatAllocator::AllocateInterface(uint32_t egressIp,
                                const Request& req,
                                const InUse& inUse,
                                const Rng& rng)
{
    NS_LOG_FUNCTION(this << egressIp << unsigned(req.proto) << req.sport);
    Result r;
    if (!TranslatesPort(req.proto))
    {
        if (inUse && inUse(ReplyTuple(req, egressIp, req.sport)))
        {
            r.error = "interface SNAT to " + Ipv4ToString(egressIp) + ": protocol " +
                      std::to_string(req.proto) + " tuple already in use";
            return r;
        }
        r.ok = true;
        r.ip = egressIp;
        r.port = req.sport;
        return r;
    }
    uint16_t port = 0;
    if (!PickPort(req,
                  egressIp,
                  kInterfaceMinPort,
                  kInterfaceMaxPort,
                  true,
                  inUse,
                  rng,
                  nullptr,
                  port))
    {
        r.error = "interface SNAT to " + Ipv4ToString(egressIp) + ": no free port in " +
                  std::to_string(kInterfaceMinPort) + "-" + std::to_string(kInterfaceMaxPort) +
                  " towards " + Ipv4ToString(req.dst) + ":" + std::to_string(req.dport);
        return r;
    }
    r.ok = true;
    r.ip = egressIp;
    r.port = port;
    return r;
}

bool
NatAllocator::SameDefinition(const IpPoolConfig& a, const IpPoolConfig& b)
{
    return a.type == b.type && a.startip == b.startip && a.endip == b.endip &&
           a.sourceStartip == b.sourceStartip && a.sourceEndip == b.sourceEndip &&
           a.blockSize == b.blockSize && a.numBlocksPerUser == b.numBlocksPerUser &&
           a.startport == b.startport && a.endport == b.endport;
}

NatAllocator::Result
NatAllocator::Fail(PoolState& st, const std::string& why)
{
    ++st.stats.failures;
    Result r;
    r.error = PoolPrefix(st.config) + why;
    return r;
}

void
NatAllocator::Account(PoolState& st, uint32_t client, uint32_t ip)
{
    ++st.ipSessions[ip];
    ++st.clientSessions[client];
    ++st.stats.allocations;
    ++st.stats.activeSessions;
}

void
NatAllocator::Unaccount(PoolState& st, uint32_t client, uint32_t ip)
{
    auto ipIt = st.ipSessions.find(ip);
    if (ipIt != st.ipSessions.end() && --ipIt->second == 0)
    {
        st.ipSessions.erase(ipIt);
    }
    auto cIt = st.clientSessions.find(client);
    if (cIt != st.clientSessions.end() && --cIt->second == 0)
    {
        st.clientSessions.erase(cIt);
    }
    ++st.stats.releases;
    --st.stats.activeSessions;
}

NatAllocator::Result
NatAllocator::AllocatePool(const IpPoolConfig& pool,
                           const Request& req,
                           const InUse& inUse,
                           const Rng& rng)
{
    NS_LOG_FUNCTION(this << pool.name << unsigned(req.proto) << req.sport);
    PoolState& st = m_pools[pool.name];
    if (st.stats.name.empty() || !SameDefinition(st.config, pool))
    {
        st = PoolState();
        st.config = pool;
        st.stats.name = pool.name;
        st.stats.type = pool.type;
    }
    st.config.comments = pool.comments;
    st.config.arpReply = pool.arpReply;
    if (pool.NumAddresses() == 0 || pool.endport < pool.startport)
    {
        return Fail(st, "invalid address or port range");
    }
    switch (pool.type)
    {
    case IpPoolConfig::OVERLOAD:
        return AllocOverload(st, req, inUse, rng);
    case IpPoolConfig::ONE_TO_ONE:
        return AllocOneToOne(st, req, inUse);
    case IpPoolConfig::FIXED_PORT_RANGE:
        return AllocFixedPortRange(st, req, inUse, rng);
    case IpPoolConfig::PORT_BLOCK_ALLOCATION:
        return AllocPba(st, req, inUse, rng);
    }
    return Fail(st, "unknown pool type");
}

NatAllocator::Result
NatAllocator::AllocOverload(PoolState& st, const Request& req, const InUse& inUse, const Rng& rng)
{
    const IpPoolConfig& p = st.config;
    const uint32_t ip = p.startip + static_cast<uint32_t>(Mix32(req.src) % p.NumAddresses());
    uint16_t port = req.sport;
    if (!TranslatesPort(req.proto))
    {
        if (inUse && inUse(ReplyTuple(req, ip, port)))
        {
            return Fail(st, "protocol " + std::to_string(req.proto) + " tuple already in use");
        }
    }
    else if (!PickPort(req, ip, p.startport, p.endport, true, inUse, rng, nullptr, port))
    {
        return Fail(st,
                    "ippool exhausted: no free port on " + Ipv4ToString(ip) + " towards " +
                        Ipv4ToString(req.dst) + ":" + std::to_string(req.dport));
    }
    Account(st, req.src, ip);
    return Result{true, ip, port, {}};
}

NatAllocator::Result
NatAllocator::AllocOneToOne(PoolState& st, const Request& req, const InUse& inUse)
{
    const IpPoolConfig& p = st.config;
    auto it = st.clientToIp.find(req.src);
    bool fresh = false;
    uint32_t ip;
    if (it != st.clientToIp.end())
    {
        ip = it->second;
    }
    else
    {
        uint32_t offset;
        if (!st.freedOffsets.empty())
        {
            offset = *st.freedOffsets.begin();
            st.freedOffsets.erase(st.freedOffsets.begin());
        }
        else if (st.nextOffset < p.NumAddresses())
        {
            offset = st.nextOffset++;
        }
        else
        {
            return Fail(st,
                        "ippool exhausted: all " + std::to_string(p.NumAddresses()) +
                            " one-to-one addresses are in use, none for " + Ipv4ToString(req.src));
        }
        ip = p.startip + offset;
        st.clientToIp.emplace(req.src, ip);
        fresh = true;
    }
    if (inUse && inUse(ReplyTuple(req, ip, req.sport)))
    {
        if (fresh)
        {
            st.clientToIp.erase(req.src);
            st.freedOffsets.insert(ip - p.startip);
        }
        return Fail(st,
                    "one-to-one: " + Ipv4ToString(ip) + ":" + std::to_string(req.sport) +
                        " is already in use towards " + Ipv4ToString(req.dst));
    }
    Account(st, req.src, ip);
    return Result{true, ip, req.sport, {}};
}

NatAllocator::Result
NatAllocator::AllocFixedPortRange(PoolState& st,
                                  const Request& req,
                                  const InUse& inUse,
                                  const Rng& rng)
{
    const IpPoolConfig& p = st.config;
    if (req.src < p.sourceStartip || req.src > p.sourceEndip)
    {
        return Fail(st,
                    "source " + Ipv4ToString(req.src) + " is outside source-startip.." +
                        "source-endip (" + Ipv4ToString(p.sourceStartip) + "-" +
                        Ipv4ToString(p.sourceEndip) + ")");
    }
    const uint64_t nS = uint64_t(p.sourceEndip) - p.sourceStartip + 1;
    const uint64_t nE = p.NumAddresses();
    const uint64_t factor = (nS + nE - 1) / nE;
    const uint64_t k = req.src - p.sourceStartip;
    const uint32_t ip = p.startip + static_cast<uint32_t>(k / factor);
    const uint32_t slice = static_cast<uint32_t>((uint32_t(p.endport) - p.startport + 1) / factor);
    if (slice == 0)
    {
        return Fail(st, "no port per client (source range too large for the pool)");
    }
    const uint32_t lo = p.startport + static_cast<uint32_t>(k % factor) * slice;
    const uint32_t hi = lo + slice - 1;
    uint16_t port = req.sport;
    if (!TranslatesPort(req.proto))
    {
        if (inUse && inUse(ReplyTuple(req, ip, port)))
        {
            return Fail(st, "protocol " + std::to_string(req.proto) + " tuple already in use");
        }
    }
    else if (!PickPort(req, ip, lo, hi, false, inUse, rng, nullptr, port))
    {
        return Fail(st,
                    "ippool exhausted: " + Ipv4ToString(req.src) + " has no free port in its " +
                        "range " + Ipv4ToString(ip) + ":" + std::to_string(lo) + "-" +
                        std::to_string(hi));
    }
    Account(st, req.src, ip);
    return Result{true, ip, port, {}};
}

bool
NatAllocator::TakePortInBlock(Block& b,
                              uint32_t blockSize,
                              const Request& req,
                              const InUse& inUse,
                              const Rng& rng,
                              uint16_t& port)
{
    if (b.used >= blockSize)
    {
        return false;
    }
    auto notHeld = [&b](uint16_t p) {
        const uint32_t i = p - b.firstPort;
        return (b.bits[i / 64] & (uint64_t(1) << (i % 64))) == 0;
    };
    if (!PickPort(req,
                  b.ip,
                  b.firstPort,
                  uint32_t(b.firstPort) + blockSize - 1,
                  false,
                  inUse,
                  rng,
                  notHeld,
                  port))
    {
        return false;
    }
    const uint32_t i = port - b.firstPort;
    b.bits[i / 64] |= uint64_t(1) << (i % 64);
    ++b.used;
    return true;
}

bool
NatAllocator::NewBlock(PoolState& st, uint32_t offset, Block& out)
{
    const IpPoolConfig& p = st.config;
    const uint32_t perIp = (uint32_t(p.endport) - p.startport + 1) / p.blockSize;
    auto found = st.pbaAddrs.find(offset);
    if (found != st.pbaAddrs.end() && found->second.freed.empty() &&
        found->second.nextFresh >= perIp)
    {
        return false; // every block of this address is held
    }
    AddrBlocks& a = st.pbaAddrs[offset];
    uint32_t index;
    if (!a.freed.empty())
    {
        index = *a.freed.begin();
        a.freed.erase(a.freed.begin());
    }
    else
    {
        index = a.nextFresh++;
    }
    ++a.used;
    out.ip = p.startip + offset;
    out.index = index;
    out.firstPort = static_cast<uint16_t>(p.startport + index * p.blockSize);
    out.used = 0;
    out.bits.assign(p.blockSize / 64, 0);
    ++st.stats.usedBlocks;
    ++st.stats.blockAllocations;
    return true;
}

NatAllocator::Result
NatAllocator::AllocPba(PoolState& st, const Request& req, const InUse& inUse, const Rng& rng)
{
    const IpPoolConfig& p = st.config;
    const uint64_t n = p.NumAddresses();
    const uint32_t perIp = (uint32_t(p.endport) - p.startport + 1) / p.blockSize;
    if (perIp == 0 || p.blockSize % 64 != 0)
    {
        return Fail(st, "block-size does not fit the port range");
    }
    auto cIt = st.pbaClients.find(req.src);
    const uint32_t hashOffset = static_cast<uint32_t>(Mix32(req.src) % n);

    if (!TranslatesPort(req.proto))
    {
        // No port to take from a block: use the client's address (or its hash address).
        const uint32_t ip = (cIt != st.pbaClients.end() && !cIt->second.empty())
                                ? cIt->second.front().ip
                                : p.startip + hashOffset;
        if (inUse && inUse(ReplyTuple(req, ip, req.sport)))
        {
            return Fail(st, "protocol " + std::to_string(req.proto) + " tuple already in use");
        }
        Account(st, req.src, ip);
        return Result{true, ip, req.sport, {}};
    }

    uint16_t port = 0;
    if (cIt != st.pbaClients.end())
    {
        for (Block& b : cIt->second)
        {
            if (TakePortInBlock(b, p.blockSize, req, inUse, rng, port))
            {
                Account(st, req.src, b.ip);
                return Result{true, b.ip, port, {}};
            }
        }
        if (cIt->second.size() >= p.numBlocksPerUser)
        {
            return Fail(st,
                        "ippool exhausted: " + Ipv4ToString(req.src) + " holds " +
                            std::to_string(cIt->second.size()) +
                            " full blocks (num-blocks-per-user " +
                            std::to_string(p.numBlocksPerUser) + ")");
        }
    }

    Block block;
    bool got = false;
    if (cIt != st.pbaClients.end() && !cIt->second.empty())
    {
        got = NewBlock(st, cIt->second.front().ip - p.startip, block); // paired pooling
    }
    for (uint64_t i = 0; !got && i < n; ++i)
    {
        got = NewBlock(st, static_cast<uint32_t>((hashOffset + i) % n), block);
    }
    if (!got)
    {
        return Fail(st,
                    "ippool exhausted: no free port block (" + std::to_string(n * perIp) +
                        " blocks of " + std::to_string(p.blockSize) + " ports all held)");
    }
    if (!TakePortInBlock(block, p.blockSize, req, inUse, rng, port))
    {
        // Every port of a fresh block is used by sessions not from this pool: give it back.
        AddrBlocks& a = st.pbaAddrs[block.ip - p.startip];
        a.freed.insert(block.index);
        if (--a.used == 0)
        {
            st.pbaAddrs.erase(block.ip - p.startip);
        }
        --st.stats.usedBlocks;
        return Fail(st,
                    "no free port in new block " + Ipv4ToString(block.ip) + ":" +
                        std::to_string(block.firstPort));
    }
    const uint32_t ip = block.ip;
    st.pbaClients[req.src].push_back(std::move(block));
    Account(st, req.src, ip);
    return Result{true, ip, port, {}};
}

void
NatAllocator::Release(uint8_t proto,
                      uint32_t origSrc,
                      uint32_t natIp,
                      uint16_t natPort,
                      const std::string& poolName)
{
    if (poolName.empty())
    {
        return;
    }
    auto pIt = m_pools.find(poolName);
    if (pIt == m_pools.end())
    {
        return;
    }
    PoolState& st = pIt->second;
    const IpPoolConfig& p = st.config;
    auto ipIt = st.ipSessions.find(natIp);
    auto cIt = st.clientSessions.find(origSrc);
    if (ipIt == st.ipSessions.end() || cIt == st.clientSessions.end())
    {
        return; // not an allocation of this pool's current state
    }
    switch (p.type)
    {
    case IpPoolConfig::ONE_TO_ONE: {
        auto m = st.clientToIp.find(origSrc);
        if (m == st.clientToIp.end() || m->second != natIp)
        {
            return;
        }
        Unaccount(st, origSrc, natIp);
        if (st.clientSessions.count(origSrc) == 0)
        {
            st.freedOffsets.insert(natIp - p.startip);
            st.clientToIp.erase(m);
        }
        return;
    }
    case IpPoolConfig::PORT_BLOCK_ALLOCATION: {
        auto u = st.pbaClients.find(origSrc);
        if (TranslatesPort(proto))
        {
            if (u == st.pbaClients.end())
            {
                return;
            }
            bool held = false;
            std::vector<Block>& blocks = u->second;
            for (auto b = blocks.begin(); b != blocks.end(); ++b)
            {
                if (b->ip != natIp || natPort < b->firstPort ||
                    uint32_t(natPort) >= uint32_t(b->firstPort) + p.blockSize)
                {
                    continue;
                }
                const uint32_t i = natPort - b->firstPort;
                const uint64_t bit = uint64_t(1) << (i % 64);
                if ((b->bits[i / 64] & bit) == 0)
                {
                    return; // port not held: not ours
                }
                b->bits[i / 64] &= ~bit;
                held = true;
                if (--b->used == 0)
                {
                    const uint32_t offset = b->ip - p.startip;
                    AddrBlocks& a = st.pbaAddrs[offset];
                    a.freed.insert(b->index);
                    if (--a.used == 0)
                    {
                        st.pbaAddrs.erase(offset);
                    }
                    --st.stats.usedBlocks;
                    blocks.erase(b);
                    if (blocks.empty())
                    {
                        st.pbaClients.erase(u);
                    }
                }
                break;
            }
            if (!held)
            {
                return; // no block of this client holds that port: not ours
            }
        }
        Unaccount(st, origSrc, natIp);
        return;
    }
    case IpPoolConfig::OVERLOAD:
    case IpPoolConfig::FIXED_PORT_RANGE:
        Unaccount(st, origSrc, natIp);
        return;
    }
}

NatAllocator::PoolStats
NatAllocator::GetPoolStats(const std::string& name) const
{
    auto it = m_pools.find(name);
    if (it == m_pools.end())
    {
        PoolStats s;
        s.name = name;
        return s;
    }
    const PoolState& st = it->second;
    PoolStats s = st.stats;
    s.clients = static_cast<uint32_t>(st.clientSessions.size());
    s.usedIps = static_cast<uint32_t>(st.ipSessions.size());
    s.totalIps = st.config.NumAddresses();
    if (st.config.type == IpPoolConfig::PORT_BLOCK_ALLOCATION && st.config.blockSize > 0)
    {
        const uint32_t perIp =
            (uint32_t(st.config.endport) - st.config.startport + 1) / st.config.blockSize;
        s.totalBlocks = s.totalIps * perIp;
    }
    return s;
}

std::string
NatAllocator::DiagnosePool(const std::string& name) const
{
    auto it = m_pools.find(name);
    if (it == m_pools.end())
    {
        return {};
    }
    const IpPoolConfig& p = it->second.config;
    const PoolStats s = GetPoolStats(name);
    std::ostringstream os;
    os << "ippool " << p.name << ": type=" << IpPoolTypeName(p.type)
       << ", ip-range=" << Ipv4ToString(p.startip) << "-" << Ipv4ToString(p.endip) << "\n";
    os << "\tstart-port=" << p.startport << ", end-port=" << p.endport;
    if (p.type == IpPoolConfig::PORT_BLOCK_ALLOCATION)
    {
        const uint32_t perIp = (uint32_t(p.endport) - p.startport + 1) / p.blockSize;
        os << ", block-sz=" << p.blockSize << ", num-block=" << p.numBlocksPerUser
           << ", num-pba-per-ip=" << perIp;
    }
    if (p.type == IpPoolConfig::FIXED_PORT_RANGE)
    {
        os << ", source-ip-range=" << Ipv4ToString(p.sourceStartip) << "-"
           << Ipv4ToString(p.sourceEndip);
    }
    os << "\n";
    os << "\tclients=" << s.clients << ", inuse-NAT-IPs=" << s.usedIps
       << ", total-NAT-IPs=" << s.totalIps << "\n";
    if (p.type == IpPoolConfig::PORT_BLOCK_ALLOCATION)
    {
        char pct[32];
        const double freePct = s.totalBlocks == 0 ? 0.0
                                                  : 100.0 * double(s.totalBlocks - s.usedBlocks) /
                                                        double(s.totalBlocks);
        std::snprintf(pct, sizeof(pct), "%.2f%%", freePct);
        os << "\ttotal-PBAs=" << s.totalBlocks << ", inuse-PBAs=" << s.usedBlocks
           << ", free-PBAs=" << pct << ", allocate-PBA-times=" << s.blockAllocations << "\n";
    }
    os << "\tsessions=" << s.activeSessions << ", allocations=" << s.allocations
       << ", failures=" << s.failures << ", releases=" << s.releases << "\n";
    return os.str();
}

std::string
NatAllocator::DiagnoseAll() const
{
    std::string out = "list ippool info:\n";
    for (const auto& kv : m_pools)
    {
        out += DiagnosePool(kv.first);
    }
    return out;
}

void
NatAllocator::Clear()
{
    m_pools.clear();
}

} // namespace ns3
