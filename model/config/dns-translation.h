/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_DNS_TRANSLATION_H
#define FORTIGATE_DNS_TRANSLATION_H

#include <cstdint>

namespace ns3
{

/**
 * \ingroup fortigate
 * One `config firewall dnstranslation` entry: the dns-udp / dns-tcp helpers rewrite a resolved
 * address in src/netmask to the same host in dst/netmask in DNS answers (FortiOS CLI
 * reference, "config firewall dnstranslation"; defaults 0.0.0.0, 0.0.0.0, 255.255.255.255).
 */
struct DnsTranslationConfig
{
    uint32_t id{0};               //!< `edit <id>` (0 in AddDnsTranslation = next free)
    uint32_t src{0};              //!< `set src`
    uint32_t dst{0};              //!< `set dst`
    uint32_t netmask{0xffffffff}; //!< `set netmask` (contiguous)

    bool operator==(const DnsTranslationConfig& o) const
    {
        return id == o.id && src == o.src && dst == o.dst && netmask == o.netmask;
    }
};

} // namespace ns3

#endif // FORTIGATE_DNS_TRANSLATION_H
