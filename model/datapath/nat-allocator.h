/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_NAT_ALLOCATOR_H
#define FORTIGATE_NAT_ALLOCATOR_H

#include "flow-tuple.h"
#include "ip-pool.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Chooses the translated source (address, port) of a NEW session: interface SNAT and the four
 * FortiOS IP pool types. Pure C++; the datapath supplies the session table's "tuple in use"
 * test and a random stream.
 *
 * Port-translating protocols are TCP (6), UDP (17) and SCTP (132); for ICMP (1) the echo id
 * plays the port (both ports of the tuple carry it). For other protocols (keyed ones too) the port
 * is never changed: only the address is chosen, and the allocation fails if that reply tuple
 * is already in use.
 *
 * Port choice everywhere: keep the client's source port when it is inside the allowed range
 * and free, else try up to kRandomAttempts random ports of the range, else probe linearly from
 * a random start; fail when every port is taken. "Free" means the reply tuple the session would
 * get (src = dst:dport, dst = nat address:port) is not used by another session (endpoint-
 * dependent mapping, as Linux and FortiOS do), and for port-block-allocation additionally that
 * the port is not held by another session of the block (each PBA session owns its port).
 *
 * Per pool type (the pool's port range is startport..endport, 5117..65533 by default):
 * - overload: the pool address is a fixed hash of the client address modulo the pool size
 *   (a client always uses the same address); the client's port is kept when free, else a
 *   random free port of the pool range. When that address has no free port for this
 *   destination the allocation fails (the client is not moved to another address).
 * - one-to-one: each client gets an address of its own (the lowest free one) for as long as it
 *   has sessions (reference counted); ports are never translated. No free address: fails with
 *   "ippool exhausted".
 * - fixed-port-range: the FortiOS arithmetic mapping: with S = source-startip..source-endip
 *   (nS addresses) and E = startip..endip (nE addresses), factor = ceil(nS / nE); the client
 *   at offset k in S uses address E[k / factor] and the port slice number k % factor of
 *   floor((endport - startport + 1) / factor) ports starting at startport. A client outside S
 *   fails.
 * - port-block-allocation: blocks of block-size ports per client, at most num-blocks-per-user
 *   blocks; the first block's address is the client-address hash modulo the pool size (or the
 *   next address with a free block), later blocks prefer the same address (paired pooling);
 *   within an address the lowest free block is taken. A block is reused while it has a free
 *   port and given back when its last session is released (pba-timeout = 0). Fails when the
 *   client has all its blocks full or no address has a free block.
 *
 * Deterministic: the only randomness is the Rng callback; containers are ordered.
 */
class NatAllocator
{
  public:
    /// The new session as it arrived (before source NAT; after DNAT if any).
    struct Request
    {
        uint8_t proto{0};  //!< IP protocol
        uint32_t src{0};   //!< client address (host order)
        uint16_t sport{0}; //!< client port / ICMP echo id
        uint32_t dst{0};   //!< destination address
        uint16_t dport{0}; //!< destination port / ICMP echo id
    };

    /// Outcome of an allocation.
    struct Result
    {
        bool ok{false};    //!< true when an address/port was chosen
        uint32_t ip{0};    //!< translated source address
        uint16_t port{0};  //!< translated source port / ICMP id
        std::string error; //!< why not, when !ok
    };

    /// True when the reply-direction tuple (as it would arrive back) is used by a session.
    using InUse = std::function<bool(const FlowTuple& replyTuple)>;
    /// Uniform integer in [0, n), n >= 1. An empty function means "no randomness": the port
    /// search then starts at the range start (deterministic, used by unit tests).
    using Rng = std::function<uint32_t(uint32_t n)>;

    /// Counters of one pool, for diagnose output and tests.
    struct PoolStats
    {
        std::string name;                                //!< pool name
        IpPoolConfig::Type type{IpPoolConfig::OVERLOAD}; //!< pool type
        uint64_t allocations{0};                         //!< successful allocations
        uint64_t failures{0};                            //!< failed allocations
        uint64_t releases{0};                            //!< releases that matched an allocation
        uint64_t activeSessions{0};                      //!< allocations not yet released
        uint32_t clients{0};                             //!< client addresses with sessions
        uint32_t usedIps{0};                             //!< pool addresses with sessions
        uint64_t totalIps{0};                            //!< pool addresses
        uint64_t usedBlocks{0};                          //!< PBA: blocks held
        uint64_t totalBlocks{0};                         //!< PBA: blocks in the pool
        uint64_t blockAllocations{0};                    //!< PBA: blocks handed out
    };

    /// Random ports tried before the linear probe.
    static constexpr uint32_t kRandomAttempts = 32;
    /// Port range of interface SNAT.
    static constexpr uint16_t kInterfaceMinPort = 1024;
    static constexpr uint16_t kInterfaceMaxPort = 65535; //!< see kInterfaceMinPort

    /// \return true when the protocol's port (or ICMP id) can be translated.
    static bool TranslatesPort(uint8_t proto);

    /// \return the reply tuple a session created by \p req with source \p ip:\p port would
    ///         have (what InUse is asked about).
    static FlowTuple ReplyTuple(const Request& req, uint32_t ip, uint16_t port);

    /**
     * SNAT to the egress interface address (policy `nat enable` without pool).
     * Keeps the source port when free, else a random free port in 1024..65535.
     * Keeps no state (Release is not needed).
     */
    Result AllocateInterface(uint32_t egressIp,
                             const Request& req,
                             const InUse& inUse,
                             const Rng& rng);

    /**
     * SNAT through an IP pool (policy `nat enable` + `ippool enable` + `poolname`).
     * The pool is expected valid (ValidateIpPool). Per-pool state is keyed by name; when a pool
     * of the same name comes with a different address/port/type definition its state is reset
     * (the datapath should flush or re-evaluate the pool's sessions on such a change).
     * Every successful allocation must be matched by one Release().
     */
    Result AllocatePool(const IpPoolConfig& pool,
                        const Request& req,
                        const InUse& inUse,
                        const Rng& rng);

    /**
     * A session that used pool \p poolName closed: give back what its allocation held
     * (one-to-one address reference, PBA port and block, counters). Unknown pools or
     * allocations are ignored. An empty \p poolName (interface SNAT) does nothing.
     * \param proto IP protocol of the session
     * \param origSrc the client address (original source)
     * \param natIp translated source address
     * \param natPort translated source port
     * \param poolName the pool's name
     */
    void Release(uint8_t proto,
                 uint32_t origSrc,
                 uint32_t natIp,
                 uint16_t natPort,
                 const std::string& poolName);

    /// \return counters of a pool (zeroes, name set, when the pool was never used).
    PoolStats GetPoolStats(const std::string& name) const;

    /**
     * \return the `diagnose firewall ippool-all list` block of one pool, e.g.
     * \code
     * ippool pba1: type=port-block-allocation, ip-range=203.0.113.10-203.0.113.11
     *     start-port=5117, end-port=65533, block-sz=64, num-block=1, num-pba-per-ip=943
     *     clients=1, inuse-NAT-IPs=1, total-NAT-IPs=2
     *     total-PBAs=1886, inuse-PBAs=1, free-PBAs=99.95%, allocate-PBA-times=1
     *     sessions=64, allocations=64, failures=1, releases=0
     * \endcode
     * (layout modelled on FortiOS; the exact FortiOS text varies by release). Empty string
     * when the pool was never used.
     */
    std::string DiagnosePool(const std::string& name) const;

    /// \return `list ippool info:` followed by DiagnosePool() of every used pool (name order).
    std::string DiagnoseAll() const;

    /// Forget every pool's state.
    void Clear();

  private:
    /// One PBA block held by a client.
    struct Block
    {
        uint32_t ip{0};             //!< pool address
        uint32_t index{0};          //!< block number on that address
        uint16_t firstPort{0};      //!< first port of the block
        uint32_t used{0};           //!< ports held by sessions
        std::vector<uint64_t> bits; //!< one bit per port of the block (1 = held)
    };

    /// Blocks in use on one PBA address.
    struct AddrBlocks
    {
        uint32_t nextFresh{0};    //!< blocks below this were handed out at least once
        std::set<uint32_t> freed; //!< blocks below nextFresh that are free again
        uint32_t used{0};         //!< blocks held
    };

    /// Per-pool allocation state.
    struct PoolState
    {
        IpPoolConfig config;                         //!< definition the state belongs to
        PoolStats stats;                             //!< counters
        std::map<uint32_t, uint32_t> ipSessions;     //!< pool address -> sessions
        std::map<uint32_t, uint32_t> clientSessions; //!< client address -> sessions
        // one-to-one
        std::map<uint32_t, uint32_t> clientToIp; //!< client -> its pool address
        std::set<uint32_t> freedOffsets;         //!< freed address offsets below nextOffset
        uint32_t nextOffset{0};                  //!< offsets below were handed out
        // port-block-allocation
        std::map<uint32_t, std::vector<Block>> pbaClients; //!< client -> its blocks
        std::map<uint32_t, AddrBlocks> pbaAddrs;           //!< address offset -> blocks
    };

    /// \return true when the allocation-relevant fields of two definitions are equal.
    static bool SameDefinition(const IpPoolConfig& a, const IpPoolConfig& b);

    /**
     * Find a free port in lo..hi for \p ip. Tries \p req.sport first when inside the range
     * and \p keepSport, then random ports, then a linear probe.
     * \param extraFree optional additional test (PBA: port not held in the block)
     * \return true and \p port when found
     */
    static bool PickPort(const Request& req,
                         uint32_t ip,
                         uint32_t lo,
                         uint32_t hi,
                         bool keepSport,
                         const InUse& inUse,
                         const Rng& rng,
                         const std::function<bool(uint16_t)>& extraFree,
                         uint16_t& port);

    Result Fail(PoolState& st, const std::string& why);
    void Account(PoolState& st, uint32_t client, uint32_t ip);
    void Unaccount(PoolState& st, uint32_t client, uint32_t ip);

    Result AllocOverload(PoolState& st, const Request& req, const InUse& inUse, const Rng& rng);
    Result AllocOneToOne(PoolState& st, const Request& req, const InUse& inUse);
    Result AllocFixedPortRange(PoolState& st,
                               const Request& req,
                               const InUse& inUse,
                               const Rng& rng);
    Result AllocPba(PoolState& st, const Request& req, const InUse& inUse, const Rng& rng);

    /// PBA: take a port from \p b if one is free; \return true and the port.
    static bool TakePortInBlock(Block& b,
                                uint32_t blockSize,
                                const Request& req,
                                const InUse& inUse,
                                const Rng& rng,
                                uint16_t& port);
    /// PBA: hand out a new block on the address at \p offset; false if it has none free.
    bool NewBlock(PoolState& st, uint32_t offset, Block& out);

    std::map<std::string, PoolState> m_pools; //!< by pool name
};

} // namespace ns3

#endif // FORTIGATE_NAT_ALLOCATOR_H
