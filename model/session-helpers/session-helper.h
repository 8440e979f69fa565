/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SESSION_HELPER_H
#define FORTIGATE_SESSION_HELPER_H

#include "session-helper-host.h"

#include "ns3/expectation-table.h"
#include "ns3/object.h"
#include "ns3/packet-view.h"
#include "ns3/payload-editor.h"
#include "ns3/ptr.h"
#include "ns3/sequence-number.h"
#include "ns3/session.h"
#include "ns3/traffic-log.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class FortiGateConfig;
struct FirewallPolicy;
class SessionHelper;

/**
 * \ingroup fortigate
 * Recent positions in one direction of a TCP stream where a message or line starts, as
 * sequence numbers: the newest \p N are kept (a position older than all of them, e.g. a
 * retransmission, is not remembered). Helpers parse only segments that start at one
 * (Linux's seq_aft_nl for FTP).
 */
template <int N>
class StreamMarks
{
  public:
    /// \return true when no position is known (the stream start was not seen)
    bool Empty() const
    {
        return m_count == 0;
    }

    /// \return true when \p seq is a known position
    bool Contains(uint32_t seq) const
    {
        for (int i = 0; i < m_count; ++i)
        {
            if (m_seq[i] == seq)
            {
                return true;
            }
        }
        return false;
    }

    /// Remember \p seq (when full, it replaces the oldest position if it is newer).
    void Add(uint32_t seq)
    {
        if (Contains(seq))
        {
            return;
        }
        if (m_count < N)
        {
            m_seq[m_count++] = seq;
            return;
        }
        int oldest = 0;
        for (int i = 1; i < N; ++i)
        {
            if (SequenceNumber32(m_seq[oldest]) > SequenceNumber32(m_seq[i]))
            {
                oldest = i;
            }
        }
        if (SequenceNumber32(seq) > SequenceNumber32(m_seq[oldest]))
        {
            m_seq[oldest] = seq;
        }
    }

    /// \return the offset of the first known position in [\p seq, \p seq + \p len), or -1
    long FirstIn(uint32_t seq, std::size_t len) const
    {
        long best = -1;
        for (int i = 0; i < m_count; ++i)
        {
            const uint32_t off = m_seq[i] - seq;
            if (off < len && (best < 0 || off < static_cast<uint32_t>(best)))
            {
                best = static_cast<long>(off);
            }
        }
        return best;
    }

    /// Forget every position (the next segment that parses resynchronises).
    void Clear()
    {
        m_count = 0;
    }

  private:
    uint32_t m_seq[N]{}; //!< positions
    uint8_t m_count{0};  //!< how many are valid
};

/**
 * \ingroup fortigate
 * What a session helper sees of one packet and what it may do about it (architecture §6): the
 * per-packet data (session, direction, headers, payload, editor, verdicts) and the unit that
 * hosts the helper (SessionHelperHost), which its methods (OpenPinhole, AllocatePort, ...)
 * forward to for this packet's session. Free of ns-3 packet types, so tests drive helpers the
 * same way with a host of their own.
 */
struct HelperContext
{
    /// Context of one packet of session \p s, hosted by \p h.
    HelperContext(SessionHelperHost& h,
                  Session& s,
                  SessionDir d,
                  const PacketView& v,
                  const uint8_t* bytes,
                  std::size_t len,
                  const FlowTuple& out,
                  int64_t now)
        : host(h),
          session(s),
          dir(d),
          view(v),
          payload(bytes),
          payloadLen(len),
          leaving(out),
          nowNs(now)
    {
    }

    SessionHelperHost& host; //!< the unit hosting the helper
    Session& session;        //!< the session
    SessionDir dir;          //!< direction of this packet
    const PacketView& view;  //!< parsed headers (view.tuple = as it arrived)
    const uint8_t* payload;  //!< transport payload bytes of this packet
    std::size_t payloadLen;  //!< their number
    FlowTuple leaving;       //!< the packet's tuple after the session's NAT
    int64_t nowNs;           //!< simulated now
    PayloadEditor editor;    //!< replacements to apply to this packet's payload
    bool drop{false};        //!< set to drop the packet
    bool close{false};       //!< set to close the session after this packet

    /**
     * The host's own record of how this packet arrived (where an answer goes back through);
     * opaque to helpers, null when there is no packet (housekeeping, tests).
     */
    const void* arrival{nullptr};

    /**
     * TCP only, set by the datapath: the helper may hold this segment back (see hold). False
     * for UDP, SYN/FIN/RST segments, and a held segment the datapath is releasing.
     */
    bool mayHold{false};

    /**
     * Set (when mayHold) to keep this segment instead of forwarding it: it ends in the middle
     * of a message. The datapath forwards nothing now, and inspects it again together with the
     * next segment in sequence (payload = both, view.tcpSeq = this segment's start), the way a
     * proxy reassembles the stream. When no such segment comes within FortiGateNode's
     * HelperHoldTime, or the stream goes on out of order, it is inspected again with mayHold
     * false and forwarded.
     */
    bool hold{false};

    /// Open pinhole \p e for this session (SessionHelperHost::OpenPinhole). \return false
    /// when refused
    bool OpenPinhole(const Expectation& e)
    {
        return host.OpenPinhole(session, e);
    }

    /// \return a free port on \p ip for a pinhole of \p proto, \p preferred when free
    ///         (SessionHelperHost::AllocatePort)
    uint16_t AllocatePort(uint8_t proto, uint32_t ip, uint16_t preferred)
    {
        return host.AllocatePort(proto, ip, preferred);
    }

    /// \return a free port on \p pubIp for media of private endpoint \p privIp:\p privPort
    ///         (SessionHelperHost::AllocatePortFor)
    uint16_t AllocatePortFor(uint8_t proto,
                             uint32_t pubIp,
                             uint16_t preferred,
                             uint32_t privIp,
                             uint16_t privPort)
    {
        return host.AllocatePortFor(proto, pubIp, preferred, privIp, privPort);
    }

    /// \return the port \p privIp:\p privPort is mapped to on \p pubIp now, 0 when none
    ///         (SessionHelperHost::MappedPort)
    uint16_t MappedPort(uint8_t proto, uint32_t privIp, uint16_t privPort, uint32_t pubIp)
    {
        return host.MappedPort(proto, privIp, privPort, pubIp);
    }

    /// Register NAT reservation \p r for this session (SessionHelperHost::ReserveNat).
    /// \return false when refused
    bool ReserveNat(const NatReservation& r)
    {
        return host.ReserveNat(session, r);
    }

    /// Remove this session's reservations that \p pred selects. \return how many
    uint32_t RemoveReservations(const std::function<bool(const NatReservation&)>& pred)
    {
        return host.RemoveReservations(session, pred);
    }

    /// Remove this session's pinholes that \p pred selects. \return how many
    uint32_t RemovePinholes(const std::function<bool(const Expectation&)>& pred)
    {
        return host.RemovePinholes(session, pred);
    }

    /// Close the sessions this session's pinholes created that \p pred selects, after this
    /// packet is forwarded (SessionHelperHost::CloseChildren). \return how many will close
    uint32_t CloseChildren(const std::function<bool(const Session&)>& pred)
    {
        return host.CloseChildren(session, pred);
    }

    /// Send \p answer back to the sender of this packet (SessionHelperHost::SendReply).
    /// \return false when it cannot be sent
    bool SendReply(const std::string& answer)
    {
        return host.SendReply(*this, answer);
    }

    /// \return a pinhole pre-filled from the session: parent serial, policy, interface,
    ///         protocol \p proto, expiry \p timeoutSec from now, one-shot.
    Expectation MakePinhole(uint8_t proto, uint32_t timeoutSec, const std::string& helper) const;

    /// \return a NAT reservation pre-filled from the session: parent serial, protocol
    ///         \p proto, expiry \p timeoutSec from now, helper name
    NatReservation MakeReservation(uint8_t proto,
                                   uint32_t timeoutSec,
                                   const std::string& helper) const;

    /// \return the session's extension (created on first use): TCP sequence corrections,
    ///         the helper's own state
    SessionExtension& Data() const
    {
        return session.Ext();
    }
};

/**
 * \ingroup fortigate
 * What a session helper may do from its timer housekeeping (SessionHelper::Housekeep), with
 * no packet to hand: reach a session it is bound to by serial.
 */
struct HousekeepContext
{
    /// Housekeeping at \p now, hosted by \p h.
    HousekeepContext(SessionHelperHost& h, int64_t now)
        : host(h),
          nowNs(now)
    {
    }

    SessionHelperHost& host; //!< the unit hosting the helper
    int64_t nowNs;           //!< simulated now

    /// Run \p fn with a packet-less context of session \p serial
    /// (SessionHelperHost::WithSession). \return false when no such session exists
    bool WithSession(uint32_t serial, const std::function<void(HelperContext&)>& fn)
    {
        return host.WithSession(serial, nowNs, fn);
    }
};

/**
 * \ingroup fortigate
 * A FortiOS session helper: one per protocol, bound to sessions by the session-helper table
 * (`config system session-helper`: name, protocol, port). Stateless about sessions: per-session
 * state lives in HelperSessionData::state.
 */
class SessionHelper : public Object
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    ~SessionHelper() override;

    /// \return the FortiOS name (`ftp`, `tftp`, `rsh`, ...)
    virtual std::string GetName() const = 0;

    /// A session was bound to this helper (its first packet follows).
    virtual void OnSessionCreated(Session& s);

    /// Inspect (and possibly rewrite) one packet of a bound session.
    virtual void Inspect(HelperContext& ctx) = 0;

    /// A bound session closes (its pinholes are removed by the datapath).
    virtual void OnSessionClosed(Session& s);

    /**
     * The FortiGate's configuration, given when the helper is created and whenever a new one is
     * applied: a helper that reads a configuration table (dns-udp / dns-tcp: `config firewall
     * dnstranslation`) takes it here. Default: nothing.
     */
    virtual void ApplyConfig(const FortiGateConfig& config);

    /// Receives a helper's VoIP log events (call start and end, violations); the unit fills in
    /// the interfaces and writes the FortiOS VoIP log line.
    using VoipLogSink = std::function<void(VoipLogEntry&)>;

    /**
     * Where this helper's VoIP log events go: set by the datapath when it creates the instance
     * (the unit's log). Default: ignored (a helper that logs nothing).
     */
    virtual void SetVoipLogSink(VoipLogSink sink)
    {
        (void)sink;
    }

    /**
     * Timer work without traffic, called by the datapath once a second (FortiGateNode's
     * tick) for each helper instance: e.g. the SIP ALG ends dialogs whose
     * provisional-invite-expiry-time passed and evicts idle ones, removing their pinholes.
     * Default: nothing.
     */
    virtual void Housekeep(HousekeepContext& hk)
    {
        (void)hk;
    }

    /**
     * \return true when the sessions this helper's pinholes created close with the session
     * that opened them (PPTP: the GRE sessions follow the control connection). Default false:
     * an FTP data connection outlives its control connection, as in Linux.
     */
    virtual bool ChildrenFollowParent() const;

    /**
     * \return true when this helper is a proxy rather than a kernel session helper (the SIP
     * ALG): its sessions show `redir local` and no helper name in `diagnose sys session list`,
     * and neither do its pinholes. Default false.
     */
    virtual bool IsProxy() const
    {
        return false;
    }

    /// \return the pinholes one session of this helper may have open at once (attribute
    ///         MaxPinholesPerSession; 0: the unit's limit)
    uint16_t GetMaxPinholesPerSession() const
    {
        return m_maxPinholesPerSession;
    }

  private:
    uint16_t m_maxPinholesPerSession{0}; //!< attribute MaxPinholesPerSession
};

/**
 * \ingroup fortigate
 * What a helper family's engine selector decides for a new session (SessionHelperRegistry::
 * RegisterSelector).
 */
struct HelperBinding
{
    std::string helper; //!< name of the helper instance to bind (empty: none)
    std::string note;   //!< what was decided, for the log
    /// Run on the unit's instance of \p helper before its OnSessionCreated (may be empty).
    std::function<void(SessionHelper& helper, Session& s)> prepare;
};

/**
 * \ingroup fortigate
 * What a helper family's `diagnose` command reads of a unit (SessionHelperRegistry::
 * RegisterDiagnose).
 */
struct HelperDiagnoseUnit
{
    const FortiGateConfig* config{nullptr};    //!< the unit's running configuration
    const ExpectationTable* pinholes{nullptr}; //!< the unit's pinholes
    int64_t nowNs{0};                          //!< simulated now
    /// The unit's instance of a helper by FortiOS name (created on first use), or nullptr.
    std::function<Ptr<SessionHelper>(const std::string& name)> helper;
};

/**
 * \ingroup fortigate
 * Registry of session-helper implementations by FortiOS name. Each helper registers itself
 * (FORTIGATE_REGISTER_SESSION_HELPER in its .cc); a FortiGate creates its own instances.
 */
class SessionHelperRegistry
{
  public:
    /// Factory of one helper.
    using Factory = std::function<Ptr<SessionHelper>()>;

    /// Register \p name (a later registration of the same name replaces the earlier).
    static void Register(const std::string& name, Factory factory);

    /// \return a new instance, or nullptr when no helper of that name is implemented
    static Ptr<SessionHelper> Create(const std::string& name);

    /// \return the implemented names, sorted
    static std::vector<std::string> Names();

    /**
     * An engine selector: a helper family's say about a new session the datapath is about to
     * bind (SIP: the VoIP-mode decision between the kernel helper and the ALG). It sees the
     * unit's configuration, the accepting policy and the session's protocol and destination
     * port after DNAT. \return true to claim the session (binding.helper empty: no helper at
     * all), false to leave it to the session-helper table
     */
    using Selector = std::function<bool(const FortiGateConfig& config,
                                        const FirewallPolicy& policy,
                                        uint8_t proto,
                                        uint16_t dport,
                                        HelperBinding& binding)>;

    /// Register the selector of helper family \p family (replaces an earlier one).
    static void RegisterSelector(const std::string& family, Selector selector);

    /// \return the selectors by family name (the datapath asks them in this order)
    static const std::map<std::string, Selector>& Selectors();

    /// A `diagnose` command of a helper family: \return its output.
    using DiagnoseCommand = std::function<std::string(const HelperDiagnoseUnit& unit)>;

    /// Register a `diagnose` command by its full keywords (e.g. {"diagnose", "sys", "sip",
    /// "status"}); the unit accepts any unique prefix of each keyword, as FortiOS does.
    static void RegisterDiagnose(const std::vector<std::string>& words, DiagnoseCommand command);

    /// \return the registered diagnose commands, in registration order
    static const std::vector<std::pair<std::vector<std::string>, DiagnoseCommand>>&
    DiagnoseCommands();

  private:
    static std::map<std::string, Factory>& Table();
    static std::map<std::string, Selector>& SelectorTable();
    static std::vector<std::pair<std::vector<std::string>, DiagnoseCommand>>& DiagnoseTable();
};

/// Registers helper class \p cls under FortiOS name \p name at load time.
#define FORTIGATE_REGISTER_SESSION_HELPER(cls, name)                                               \
    static const bool g_fortigateHelperRegistered_##cls = [] {                                     \
        ::ns3::SessionHelperRegistry::Register(name, [] { return ::ns3::CreateObject<cls>(); });   \
        return true;                                                                               \
    }()

} // namespace ns3

#endif // FORTIGATE_SESSION_HELPER_H
