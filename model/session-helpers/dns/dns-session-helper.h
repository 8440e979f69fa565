/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_DNS_SESSION_HELPER_H
#define FORTIGATE_DNS_SESSION_HELPER_H

#include "dns-parser.h"

#include "ns3/session-helper.h"

namespace ns3
{

/**
 * \ingroup fortigate
 * The FortiOS DNS session helpers: `dns-udp` (UDP 53, entry 14) and `dns-tcp` (no default
 * entry; `edit 0 / set name dns-tcp / set port 53 / set protocol 6` adds it).
 *
 * Each query (QR clear, client to server) is remembered by id and question; an answer must
 * match one (id, name, type, class), else it is dropped and counted. An answer's A records are
 * rewritten by the DNS translation table (`config firewall dnstranslation`), in place (same
 * length). dns-udp ends the session on the answer that leaves no query pending, as the
 * handbook says ("close sessions if the DNS flag indicates the packet is a reply message");
 * dns-tcp keeps the connection (it may carry more queries, RFC 7766). Over TCP, messages are
 * framed by their two-byte length; several in a segment are each inspected, and a message
 * split across segments is held until it is complete. Messages that do not parse (compression
 * loops, pointers out of range, labels over 63 bytes) pass unchanged and are counted.
 */
class DnsSessionHelper : public SessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    void Inspect(HelperContext& ctx) override;
    void ApplyConfig(const FortiGateConfig& config) override;

    /// Set the DNS translation rules (what ApplyConfig takes from the configuration).
    void SetTranslations(const std::vector<DnsTranslationRule>& rules);

    /// \return messages that did not parse
    uint64_t GetMalformed() const
    {
        return m_malformed;
    }

    /// \return answers dropped because they matched no query
    uint64_t GetUnmatched() const
    {
        return m_unmatched;
    }

    /// \return A records rewritten by DNS translation
    uint64_t GetTranslated() const
    {
        return m_translated;
    }

  private:
    /// Inspect one message at \p offset (\p len bytes). \return false to drop the packet
    bool InspectMessage(HelperContext& ctx, std::size_t offset, std::size_t len, bool& close);

    std::vector<DnsTranslationRule> m_rules; //!< DNS translation
    uint64_t m_malformed{0};                 //!< malformed messages
    uint64_t m_unmatched{0};                 //!< unmatched answers dropped
    uint64_t m_translated{0};                //!< A records translated
};

/// \ingroup fortigate
/// `dns-udp`.
class DnsUdpSessionHelper : public DnsSessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    std::string GetName() const override;
};

/// \ingroup fortigate
/// `dns-tcp`.
class DnsTcpSessionHelper : public DnsSessionHelper
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    std::string GetName() const override;
};

} // namespace ns3

#endif // FORTIGATE_DNS_SESSION_HELPER_H
