/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TRAFFIC_LOG_H
#define FORTIGATE_TRAFFIC_LOG_H

#include <cstdint>
#include <deque>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * What a forward traffic log line says about one session (or one denied packet).
 */
struct TrafficLogEntry
{
    int64_t nowNs{0};      //!< simulated time of the event
    uint32_t srcip{0};     //!< original source
    uint16_t srcport{0};   //!< original source port
    std::string srcintf;   //!< arrival interface
    uint32_t dstip{0};     //!< original destination (as the client asked, before DNAT)
    uint16_t dstport{0};   //!< original destination port
    std::string dstintf;   //!< interface the session leaves through
    uint32_t sessionid{0}; //!< session serial (a denied packet: the serial it would get)
    uint8_t proto{0};      //!< IP protocol
    std::string action;    //!< accept, close, timeout, deny, start, client-rst, server-rst
    uint32_t policyid{0};  //!< policy (0 = implicit deny)
    std::string service;   //!< FortiOS service name ("HTTP", "SIP", "udp/5060")
    bool snat{false};      //!< source translated
    uint32_t transip{0};   //!< SNAT address
    uint16_t transport{0}; //!< SNAT port
    bool dnat{false};      //!< destination translated (VIP, pinhole)
    uint32_t tranip{0};    //!< DNAT address
    uint16_t tranport{0};  //!< DNAT port
    uint32_t duration{0};  //!< session age, s
    uint64_t sentbyte{0};  //!< original-direction bytes
    uint64_t rcvdbyte{0};  //!< reply-direction bytes
    uint32_t sentpkt{0};   //!< original-direction packets
    uint32_t rcvdpkt{0};   //!< reply-direction packets
};

/**
 * \ingroup fortigate
 * What a VoIP (SIP) log line says (FortiOS log id 44032 LOGID_EVENT_VOIP_SIP and 44033
 * LOGID_EVENT_VOIP_SIP_BLOCK).
 */
struct VoipLogEntry
{
    int64_t nowNs{0};        //!< simulated time
    uint32_t sessionId{0};   //!< the signalling session's serial
    uint32_t eventId{0};     //!< `event_id=` (Voip() numbers the lines)
    uint32_t srcip{0};       //!< source of the signalling message
    uint16_t srcport{0};     //!< its port
    uint32_t dstip{0};       //!< destination
    uint16_t dstport{0};     //!< its port
    uint8_t proto{17};       //!< 17 UDP, 6 TCP
    std::string srcintf;     //!< arrival interface
    std::string dstintf;     //!< leaving interface
    uint32_t policyId{0};    //!< policy
    std::string profile;     //!< VoIP profile name
    std::string voipProto;   //!< `voip_proto=`: the helper family writing the line ("sip")
    std::string kind;        //!< call, register, ...
    std::string action;      //!< permit, block
    std::string status;      //!< start, end, succeeded, malformed, ...
    uint32_t duration{0};    //!< call duration, s
    bool reply{false};       //!< message in the reply direction (dir="session_reply")
    std::string callId;      //!< Call-ID
    std::string from;        //!< From URI
    std::string to;          //!< To URI
    std::string reason;      //!< block: why (malformed header, unknown request, ...)
    std::string requestName; //!< block: the request method
};

/**
 * \ingroup fortigate
 * The log of one FortiGate unit: forward traffic and VoIP log lines in FortiOS's format, kept in
 * memory (for `execute log display`), appended to a file, and handed to a callback. Pure C++.
 *
 * Traffic line (field order of a FortiOS 7.2 forward traffic log, docs.fortinet.com
 * fortigate/7.2.13/administration-guide/986892 "Sample logs by log type", with the `tz`
 * field after `eventtime` as in FortiOS 6.4+ event logs):
 * ```
 * date=2024-01-01 time=00:00:05 logid="0000000013" type="traffic" subtype="forward"
 * level="notice" vd="root" eventtime=1704067205000000000 tz="+0000" srcip=10.0.1.10
 * srcport=40000 srcintf="port1" srcintfrole="undefined" dstip=198.51.100.7 dstport=80
 * dstintf="port2" dstintfrole="undefined" sessionid=1 proto=6 action="close" policyid=1
 * policytype="policy" service="HTTP" trandisp="snat" transip=203.0.113.1 transport=40000
 * duration=5 sentbyte=1188 rcvdbyte=1224 sentpkt=17 rcvdpkt=16
 * ```
 * Fields not modelled (uuids, countries, application control, UTM) are left out; a denied
 * packet's line has level="warning" and no rcvdpkt.
 */
class TrafficLog
{
  public:
    /// Log categories of `execute log filter category`.
    enum Category
    {
        TRAFFIC = 0, //!< forward traffic
        VOIP = 8,    //!< utm-voip
    };

    /// One stored line.
    struct Line
    {
        Category category; //!< its category
        std::string text;  //!< the line without newline
    };

    /// Receives each line as it is written.
    using Sink = std::function<void(Category, const std::string&)>;

    TrafficLog();

    /// Seconds since 1970 at simulated time 0 (the log's `date`, `time` and `eventtime`).
    void SetEpoch(int64_t epochSeconds);
    /// Append lines to \p path (empty: no file). \return false when the file cannot be opened
    bool SetFile(const std::string& path);
    /// Set the callback.
    void SetSink(Sink sink);
    /// Keep at most \p n lines in memory (oldest dropped).
    void SetCapacity(size_t n);

    /// Write a forward traffic line.
    void Traffic(const TrafficLogEntry& e);
    /// Write a VoIP line.
    void Voip(const VoipLogEntry& e);

    /// \return the text of a traffic line (no newline)
    std::string FormatTraffic(const TrafficLogEntry& e) const;
    /// \return the text of a VoIP line (no newline)
    std::string FormatVoip(const VoipLogEntry& e) const;

    /**
     * `execute log filter ...` and `execute log display`.
     * \param words the words after "execute log"
     * \return what FortiOS prints
     */
    std::string Execute(const std::vector<std::string>& words);

    /// \return every stored line, oldest first
    const std::deque<Line>& Lines() const
    {
        return m_lines;
    }

  private:
    void Write(Category c, std::string text);
    std::string Header(int64_t nowNs,
                       const char* logid,
                       const char* type,
                       const char* subtype,
                       const char* eventtype,
                       const char* level) const;

    int64_t m_epoch;
    std::unique_ptr<std::ofstream> m_file;
    Sink m_sink;
    size_t m_capacity{100000};
    std::deque<Line> m_lines;
    uint32_t m_voipEventId{0};

    // `execute log filter` state
    Category m_filterCategory{TRAFFIC};
    uint32_t m_viewLines{10};
    uint32_t m_startLine{1};
    std::vector<std::pair<std::string, std::string>> m_fieldFilters;
};

} // namespace ns3

#endif // FORTIGATE_TRAFFIC_LOG_H
