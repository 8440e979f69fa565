/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SESSION_DIAGNOSE_H
#define FORTIGATE_SESSION_DIAGNOSE_H

#include "ns3/session-table.h"
#include "ns3/session.h"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * What the session diagnostics need to know about the unit besides its session table.
 * Plain data filled by the FortiGate node for each command; no ns-3 types.
 */
struct DiagnoseContext
{
    /// Simulated now (ns): `duration`, `expire`, speeds and the expire/duration filters use it.
    int64_t nowNs{0};

    /// Interface name per configuration interface index (the values of Session::inIf).
    /// Used by the sintf/dintf filters; a filter naming an interface not listed here is refused.
    std::vector<std::string> ifNames;

    /// ns-3 device number per configuration interface index, printed by `dev=A->B/C->D`
    /// (an index outside the vector prints 0).
    std::vector<uint32_t> ifDevIndex;

    /// Name of a session helper id ("ftp", "sip", ...). The `helper=` token is printed only when
    /// the session has a helper (helperId != 0) and this returns a non-empty name; FortiOS
    /// omits the token for sessions without a helper (`tunnel=/ vlan_cos=255/255`).
    std::function<std::string(uint8_t helperId)> helperName;

    /// True for the unit's own addresses. Only used for sessions flagged `local`: when the
    /// original destination is local the session is shown as inbound to the unit
    /// (`org pre->in, reply out->post`), otherwise as originated by it
    /// (`org out->post, reply pre->in`). Unset = every local session is unit-originated.
    std::function<bool(uint32_t addr)> isLocalAddress;

    /// `firewall error stat:` counters. FortiOS always prints error1, error2, error3, error4,
    /// tt, cont, ids_recv, url_recv, av_recv, fqdn_count, fqdn6_count (as `name=%08x`); an
    /// entry with one of those names sets that value, entries with other names are printed
    /// after them, in this order. Suggested mapping for the model's drop counters:
    /// error1 = no policy matched (implicit deny), error2 = session table full,
    /// error3 = malformed/unsupported packet, error4 = helper/ALG drop.
    std::vector<std::pair<std::string, uint64_t>> firewallErrors;

    /// Output of `diagnose sys session list expectation` (the pinhole table, filled by the
    /// session-helper framework). Unset = no expectations: prints `total session 0`.
    std::function<std::string()> expectationLister;

    /// `exp_count` of `diagnose sys session stat`: FortiOS counts the current expectations
    /// (pinholes) there, not expired sessions.
    uint64_t expectationCount{0};

    /// Model limit printed as the second number of `ephemeral=N/LIMIT` (0 = none set).
    uint32_t ephemeralLimit{0};

    /// Print the FortiOS 6.x session block (FortiGateNode attribute FortiOsVersion = 6) instead
    /// of the 7.x one.
    bool fortiOs6{false};
};

/**
 * \ingroup fortigate
 * One FortiOS `session info:` block (fortios.md §2), every line ending in '\n'.
 *
 * Choices where FortiOS output varies:
 * - `use=3`, `flags`/`sockflag` 00000000, `vlan_cos=255/255`, `tos=ff/ff`: constants.
 * - speeds are bytes / whole seconds of age (0 while duration is 0); kbps = Bps * 8 / 1000.
 * - `tuples=` is the number of `hook=` lines.
 * - hook lines show the packet as it is at that hook and, in parentheses, the address:port the
 *   hook writes. SNAT: `post org snat` + `pre reply dnat`; DNAT (VIP): `pre org dnat` + `post
 *   reply snat`; both: the four lines in the order pre org, post org, pre reply, post reply.
 *   Without translation: `act=noop ...(0.0.0.0:0)` at the first hook of the original
 *   direction (`pre`, or `out` for a unit-originated session) and the last hook of the reply
 *   direction (`post`, or `in`).
 * - `dev=`: in->out device of each direction; the unit's own stack side of a local session
 *   prints 0.
 * - ports are printed as stored (ICMP: the echo id on both sides).
 *
 * FortiOS 7.x layout (the default; DiagnoseContext::fortiOs6 keeps the 6.x one above), from
 * real 7.x output (community.fortinet.com ta-p/230607 "Explaining the NPU Offload field",
 * FortiOS 7.0/7.2, and ta-p/223190 for `refresh_dir=`):
 * - first line `... timeout=T refresh_dir=both flags=00000000 socktype=0 sockport=0 av_idx=0
 *   use=3` (`socktype` replaces 6.x's `sockflag`);
 * - `misc=0 policy_id=N pol_uuid_idx=N auth_info=0 chk_client_info=0 vd=0` (the model has no
 *   policy UUID table: it prints the policy id as the index);
 * - `serial=... url_cat=0`, then `rpdb_link_id=00000000 ngfwid=n/a`, then
 *   `npu_state=0x000000` and `no_ofld_reason:  non-npu-intf` (the model has no NPU; a local
 *   session shows `local`, reasons from docs.fortinet.com 7.2.1 hardware-acceleration 201316);
 *   no `dd_type` line. `src_mac=` lines are not modelled.
 */
std::string FormatSession(const Session& s, const DiagnoseContext& ctx);

/**
 * \ingroup fortigate
 * `diagnose sys session ...` and `get system session ...` of one FortiGate unit, with the
 * unit's session filter (one SessionDiagnose object per unit). Pure C++.
 *
 * Commands (the words after `session`):
 * - `filter` prints the filter; `filter clear` resets it; `filter negate <field>` inverts that
 *   field; `filter <field> <value> [<to>]` sets a field: src, dst, nsrc (IPv4), sport, dport,
 *   nport (0-65535), proto (0-255), policy (0-4294967295), proto-state (0-99, the two-digit
 *   `proto_state` read as a number), expire, duration (seconds), vd (-1/any or an index; the
 *   model is VDOM 0), sintf, dintf (an interface name, no range). One value matches exactly,
 *   two give an inclusive range (from <= to).
 *   FortiOS 7.2+ options: `vd-name root|any|-1` (one VDOM), `session-state1 FLAG` /
 *   `session-state2 FLAG` (also spelled `state1`/`state2`; FLAG is a `state=` flag name such as
 *   `log`, `local`, `redir`, `dirty`, or a hex mask of the model's flag bits: the sessions
 *   carrying it), `ext-src ADDR` / `ext-dst ADDR` (add to an extended list: the source /
 *   destination must be one of the listed addresses) and `ext-src-negate` / `ext-dst-negate`
 *   (must be none of them). How FortiOS reads the state values is not documented (doc/).
 *   Matching uses the original direction's arriving tuple (src, dst, sport, dport, proto), the
 *   SNAT address/port for nsrc/nport (0 when not SNATed), the arrival interface of each
 *   direction for sintf (original) and dintf (reply). A negated field matches what it would
 *   not; negating a field that is not set has no effect until the field is set.
 * - `list` prints the matching sessions, each preceded by an empty line, then
 *   `total session N` (N = sessions printed).
 * - `list expectation` prints DiagnoseContext::expectationLister's text.
 * - `clear` removes the matching sessions (all when no filter is set) with
 *   SessionCloseReason::CLEARED and prints nothing.
 * - `stat` prints the counters (see Diagnose()).
 * - `get system session list`: the compact table (all sessions; FortiOS filters it with
 *   `execute set system session filter`, which the model does not have).
 * - `get system session status`: `The total number of sessions for the current VDOM: N`.
 *
 * Errors change nothing: an unknown or invalid word gives
 * `command parse error before '<word>'` + `Command fail. Return code -61`; a missing argument
 * gives `Command fail. Return code -1`.
 */
class SessionDiagnose
{
  public:
    /**
     * Run a `diagnose sys session` command.
     *
     * `stat` prints:
     * ```
     * misc info:       session_count=N setup_rate=N exp_count=N clash=N
     * \tmemory_tension_drop=N ephemeral=N/LIMIT removeable=N
     * delete=N, flush=N, dev_down=0/0
     * TCP sessions:
     * \t N in ESTABLISHED state        (one line per non-empty state, "%10u in %s state")
     * firewall error stat:
     * error1=00000000 ...
     * global: ses_limit=MAX ses6_limit=0 rt_limit=0 rt6_limit=0
     * ```
     * ephemeral = TCP sessions in SYN_SENT or SYN & SYN/ACK plus UDP sessions without a reply;
     * removeable = sessions flagged `rem`; delete = sessions deleted other than by
     * `diagnose sys session clear`; flush = number of `clear` commands since the last `stat`
     * (FortiOS resets it when shown).
     *
     * \param words the words after "diagnose sys session", e.g. {"filter", "dport", "21"}
     * \param table the unit's session table (`clear` removes from it)
     * \param ctx the unit's state
     * \return the text FortiOS prints (lines end in '\n'; "" for commands that print nothing)
     */
    std::string Diagnose(const std::vector<std::string>& words,
                         SessionTable& table,
                         const DiagnoseContext& ctx);

    /**
     * Run a `get system session` command (`list` or `status`).
     * \param words the words after "get system session"
     * \param table the unit's session table
     * \param ctx the unit's state
     * \return the text FortiOS prints
     */
    std::string Get(const std::vector<std::string>& words,
                    const SessionTable& table,
                    const DiagnoseContext& ctx) const;

    /// \return true when \p s passes the current filter (always true when none is set).
    bool Matches(const Session& s, const DiagnoseContext& ctx) const;

    /// \return true when some filter field is set.
    bool FilterIsSet() const;

    /// Reset the filter (`diagnose sys session filter clear`).
    void ClearFilter();

    /// \return the `diagnose sys session filter` text for the current filter.
    std::string FilterText() const;

  private:
    /// Filter fields, in the order `filter` prints them.
    enum Field
    {
        F_VD,
        F_SINTF,
        F_DINTF,
        F_PROTO,
        F_PROTO_STATE,
        F_SRC,
        F_NSRC,
        F_DST,
        F_SPORT,
        F_NPORT,
        F_DPORT,
        F_POLICY,
        F_EXPIRE,
        F_DURATION,
        F_COUNT
    };

    /// One filter field: an inclusive range of numbers, or an interface name.
    struct FieldValue
    {
        bool set{false};    //!< field is set
        bool negate{false}; //!< `filter negate <field>` given
        int64_t lo{0};      //!< range start
        int64_t hi{0};      //!< range end (inclusive)
        std::string name;   //!< sintf/dintf interface name
    };

    std::string Filter(const std::vector<std::string>& words, const DiagnoseContext& ctx);
    std::string List(const SessionTable& table, const DiagnoseContext& ctx) const;
    std::string Stat(SessionTable& table, const DiagnoseContext& ctx);
    bool FieldMatches(int f, const Session& s, const DiagnoseContext& ctx) const;

    std::string ExtraFilter(const std::vector<std::string>& words);
    bool ExtraMatches(const Session& s) const;

    std::array<FieldValue, F_COUNT> m_filter; //!< current filter
    // FortiOS 7.2+ filter options (`diagnose sys session filter ?` on 7.2, see .cc)
    std::vector<uint32_t> m_extSrc;    //!< ext-src: source must be one of these (when any)
    std::vector<uint32_t> m_extDst;    //!< ext-dst: destination must be one of these
    std::vector<uint32_t> m_extSrcNeg; //!< ext-src-negate: source must be none of these
    std::vector<uint32_t> m_extDstNeg; //!< ext-dst-negate: destination must be none of these
    uint16_t m_state1{0};              //!< session-state1: flags the session must carry
    uint16_t m_state2{0};              //!< session-state2: further flags it must carry
    uint64_t m_flushRequests{0};       //!< `clear` commands since the last `stat`
    uint64_t m_clearedSessions{0};     //!< sessions removed by `clear` (kept out of `delete`)
};

} // namespace ns3

#endif // FORTIGATE_SESSION_DIAGNOSE_H
