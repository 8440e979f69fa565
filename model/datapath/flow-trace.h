/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FLOW_TRACE_H
#define FORTIGATE_FLOW_TRACE_H

#include "flow-tuple.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{

struct PacketView;

/**
 * \ingroup fortigate
 * One line of `diagnose debug flow` output: which traced packet, the FortiOS function and
 * source line that prints it, and its message (without the quotes).
 */
struct FlowTraceRecord
{
    uint32_t traceId{0}; //!< `trace_id=`: the traced packet's number (1, 2, ...)
    std::string func;    //!< `func=`
    uint32_t line{0};    //!< `line=`
    std::string msg;     //!< `msg="..."`

    bool operator==(const FlowTraceRecord& o) const
    {
        return traceId == o.traceId && func == o.func && line == o.line && msg == o.msg;
    }
};

/**
 * \ingroup fortigate
 * `diagnose debug flow` of one FortiGate unit: the filter, the trace count, and the records the
 * datapath stages write for each traced packet. Pure C++ (no ns-3 types).
 *
 * Line layout, from real FortiOS 7.x traces (each line is one record):
 * ```
 * id=20085 trace_id=571 func=print_pkt_detail line=5942 msg="vd-root:0 received a packet(
 *   proto=6, 192.168.20.2:63611->63.137.229.1:443) tun_id=0.0.0.0 from port6. flag [S], seq
 *   3839416144, ack 0, win 64240"
 * ```
 * (community.fortinet.com "Technical Tip: How to Interpret FortiGate debug flow output",
 * ta-p/382950, FortiOS 7.2). With `show function-name disable` the `func=` and `line=` fields
 * are left out (FortiOS 5.x output without them: `id=36870 pri=emergency trace_id=1 msg="..."`,
 * KB FD31702; the model prints `id=20085 trace_id=N msg="..."`).
 *
 * The datapath calls Begin() when a packet arrives; when the packet passes the filter and the
 * trace count is not used up it gets the next trace_id and every Emit() until End() becomes a
 * record of it. Records of a packet are handed to the sink in order at End() (so that the
 * "allocate a new session" line, which FortiOS prints before the route and policy lines, can
 * carry the serial the session only gets after the policy check: see NewSessionId()).
 */
class FlowTrace
{
  public:
    /// Receives each record of a traced packet.
    using Sink = std::function<void(const FlowTraceRecord&)>;

    FlowTrace();

    /// Set where records go (the node's console and trace source).
    void SetSink(Sink sink);

    /**
     * Run a `diagnose debug flow` command.
     * \param words the words after "diagnose debug flow", e.g. {"filter", "addr", "10.0.0.1"}
     * \return the text FortiOS prints ("" for commands that print nothing); errors give
     *         `command parse error before '<word>'` + `Command fail. Return code -61`
     */
    std::string Command(const std::vector<std::string>& words);

    /// `diagnose debug reset`: filter cleared, trace stopped, function names shown.
    void Reset();

    /// \return true while `trace start N` still has packets to trace
    bool Running() const
    {
        return m_remaining > 0;
    }

    /// \return true when `show function-name` is enabled
    bool ShowFunctionName() const
    {
        return m_showFunc;
    }

    /**
     * A packet arrived. When it passes the filter and the count allows, it becomes the current
     * traced packet and its `received a packet` record is written.
     * \param v the packet as it arrived
     * \param inIfName the interface it arrived on
     * \return true when the packet is traced
     */
    bool Begin(const PacketView& v, const std::string& inIfName);

    /// The current packet is done: its records go to the sink.
    void End();

    /// \return true while a traced packet is being handled (Emit() writes records)
    bool Active() const
    {
        return m_current != 0;
    }

    /// Write one record of the current packet (nothing when no packet is traced).
    void Emit(const char* func, uint32_t line, std::string msg);

    /**
     * Write the `allocate a new session-XXXXXXXX` record now; its serial is set later by
     * NewSessionId() (a packet denied before it got a session shows \p provisional).
     */
    void AllocateNewSession(uint32_t provisional);

    /// The serial of the session allocated for the current packet.
    void NewSessionId(uint32_t serial);

    // ---- the stages' records (wording and func/line: see flow-trace.cc) -----------------------

    /// `find a route: flag=04000000 gw-G via IF`
    void Route(uint32_t gateway, const std::string& outIfName);
    /// `Allowed by Policy-N: SNAT` (or `Allowed by Policy-N:` without SNAT)
    void PolicyAllowed(uint32_t policyId, bool snat);
    /// `Denied by forward policy check (policy N)`
    void PolicyDenied(uint32_t policyId);
    /// `SNAT a->b:port` and/or `DNAT a:p->b:p` for a packet rewritten from \p from to \p to
    void Translate(const FlowTuple& from, const FlowTuple& to);
    /// `Find an existing session, id-XXXXXXXX, original|reply direction`
    void ExistingSession(uint32_t serial, bool reply);
    /// `Find an EXP session, id XXXXXXXX` (a helper's pinhole let the packet in)
    void ExpSession(uint32_t parentSerial);
    /// `run helper-NAME(dir=original|reply)` (a kernel session helper inspects the packet)
    void Helper(const std::string& name, bool reply);
    /// `send to application layer` (the packet goes to a proxy helper, an ALG)
    void ToProxy();
    /// A drop with its reason (the model's DropReason name, e.g. "no-route")
    void Dropped(const std::string& reason);

    /// \return the text of one record as FortiOS prints it (no newline)
    static std::string Format(const FlowTraceRecord& r, bool showFunctionName);

    /// \return the `diagnose debug flow filter` listing of the current filter
    std::string FilterText() const;

    /// \return true when a packet with tuple \p t passes the filter
    bool Matches(const FlowTuple& t) const;

    /// RAII: Begin() on construction, End() on destruction.
    class Scope
    {
      public:
        /**
         * \param t the unit's flow trace
         * \param v the arriving packet
         * \param inIfName its interface
         */
        Scope(FlowTrace& t, const PacketView& v, const std::string& inIfName)
            : m_t(t)
        {
            m_t.Begin(v, inIfName);
        }

        ~Scope()
        {
            m_t.End();
        }

        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

      private:
        FlowTrace& m_t; //!< the unit's flow trace
    };

  private:
    /// An inclusive range filter field.
    struct Range
    {
        bool set{false};
        uint32_t lo{0};
        uint32_t hi{0};

        bool Has(uint32_t x) const
        {
            return !set || (x >= lo && x <= hi);
        }
    };

    std::string FilterCommand(const std::vector<std::string>& words);

    Sink m_sink;
    Range m_addr, m_saddr, m_daddr, m_port, m_sport, m_dport, m_proto;
    bool m_negate{false};
    bool m_showFunc{true};
    uint32_t m_remaining{0};                //!< packets still to trace
    uint32_t m_nextTraceId{1};              //!< trace_id of the next traced packet
    uint32_t m_current{0};                  //!< trace_id of the packet being handled (0 = none)
    std::vector<FlowTraceRecord> m_pending; //!< records of the current packet
    int m_allocateIndex{-1};                //!< index in m_pending of its allocate record
};

} // namespace ns3

#endif // FORTIGATE_FLOW_TRACE_H
