/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ip-pool.h"

#include "flow-tuple.h"

#include "ns3/config-error.h"
#include "ns3/log.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateIpPool");

bool
IpPoolConfig::operator==(const IpPoolConfig& o) const
{
    return name == o.name && type == o.type && startip == o.startip && endip == o.endip &&
           sourceStartip == o.sourceStartip && sourceEndip == o.sourceEndip &&
           blockSize == o.blockSize && numBlocksPerUser == o.numBlocksPerUser &&
           startport == o.startport && endport == o.endport && arpReply == o.arpReply &&
           comments == o.comments;
}

uint64_t
IpPoolConfig::NumAddresses() const
{
    if (endip < startip)
    {
        return 0;
    }
    return static_cast<uint64_t>(endip) - startip + 1;
}

const char*
IpPoolTypeName(IpPoolConfig::Type t)
{
    switch (t)
    {
    case IpPoolConfig::OVERLOAD:
        return "overload";
    case IpPoolConfig::ONE_TO_ONE:
        return "one-to-one";
    case IpPoolConfig::FIXED_PORT_RANGE:
        return "fixed-port-range";
    case IpPoolConfig::PORT_BLOCK_ALLOCATION:
        return "port-block-allocation";
    }
    return "unknown";
}

bool
ParseIpPoolType(const std::string& text, IpPoolConfig::Type& t)
{
    static const IpPoolConfig::Type all[] = {IpPoolConfig::OVERLOAD,
                                             IpPoolConfig::ONE_TO_ONE,
                                             IpPoolConfig::FIXED_PORT_RANGE,
                                             IpPoolConfig::PORT_BLOCK_ALLOCATION};
    for (auto candidate : all)
    {
        if (text == IpPoolTypeName(candidate))
        {
            t = candidate;
            return true;
        }
    }
    return false;
}

namespace
{

[[noreturn]] void
Fail(const IpPoolConfig& pool, const char* field, const std::string& what)
{
    throw ConfigError("firewall ippool \"" + pool.name + "\": " + field + ": " + what);
}

} // namespace

void
ValidateIpPool(const IpPoolConfig& pool)
{
    if (pool.name.empty())
    {
        throw ConfigError("firewall ippool: name: must not be empty");
    }
    if (pool.startip == 0)
    {
        Fail(pool, "startip", "must be set (0.0.0.0 is not a pool address)");
    }
    if (pool.endip == 0)
    {
        Fail(pool, "endip", "must be set (0.0.0.0 is not a pool address)");
    }
    if (pool.endip < pool.startip)
    {
        Fail(pool,
             "endip",
             Ipv4ToString(pool.endip) + " is below startip " + Ipv4ToString(pool.startip));
    }
    if (pool.blockSize < 64 || pool.blockSize > 4096 || pool.blockSize % 64 != 0)
    {
        Fail(pool,
             "block-size",
             std::to_string(pool.blockSize) + " is not a multiple of 64 in 64..4096");
    }
    if (pool.numBlocksPerUser < 1 || pool.numBlocksPerUser > 128)
    {
        Fail(pool,
             "num-blocks-per-user",
             std::to_string(pool.numBlocksPerUser) + " is outside 1..128");
    }
    if (pool.startport < 1024)
    {
        Fail(pool, "startport", std::to_string(pool.startport) + " is outside 1024..65535");
    }
    if (pool.endport < pool.startport)
    {
        Fail(pool,
             "endport",
             std::to_string(pool.endport) + " is below startport " +
                 std::to_string(pool.startport));
    }
    const uint32_t numPorts = uint32_t(pool.endport) - pool.startport + 1;
    switch (pool.type)
    {
    case IpPoolConfig::OVERLOAD:
    case IpPoolConfig::ONE_TO_ONE:
        break;
    case IpPoolConfig::FIXED_PORT_RANGE: {
        if (pool.sourceStartip == 0)
        {
            Fail(pool, "source-startip", "must be set for type fixed-port-range");
        }
        if (pool.sourceEndip == 0)
        {
            Fail(pool, "source-endip", "must be set for type fixed-port-range");
        }
        if (pool.sourceEndip < pool.sourceStartip)
        {
            Fail(pool,
                 "source-endip",
                 Ipv4ToString(pool.sourceEndip) + " is below source-startip " +
                     Ipv4ToString(pool.sourceStartip));
        }
        const uint64_t nSrc = uint64_t(pool.sourceEndip) - pool.sourceStartip + 1;
        const uint64_t nExt = pool.NumAddresses();
        const uint64_t factor = (nSrc + nExt - 1) / nExt;
        if (numPorts / factor == 0)
        {
            std::ostringstream os;
            os << nSrc << " source addresses over " << nExt << " pool addresses leave no port"
               << " of " << pool.startport << ".." << pool.endport << " per client";
            Fail(pool, "source-endip", os.str());
        }
        break;
    }
    case IpPoolConfig::PORT_BLOCK_ALLOCATION:
        if (numPorts < pool.blockSize)
        {
            Fail(pool,
                 "block-size",
                 std::to_string(pool.blockSize) + " is larger than the port range " +
                     std::to_string(pool.startport) + ".." + std::to_string(pool.endport));
        }
        break;
    default:
        Fail(pool, "type", "unknown type " + std::to_string(int(pool.type)));
    }
}

bool
IpPoolsOverlap(const IpPoolConfig& a, const IpPoolConfig& b)
{
    if (a.endip < a.startip || b.endip < b.startip)
    {
        return false;
    }
    return a.startip <= b.endip && b.startip <= a.endip;
}

} // namespace ns3
