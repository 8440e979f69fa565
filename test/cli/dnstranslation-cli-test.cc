/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * `config firewall dnstranslation` (FortiOS CLI reference): set, show round trip, defaults,
 * bad netmask rejected with nothing applied, delete.
 */
#include "ns3/fortigate-config.h"
#include "ns3/fortios-cli.h"

#include <gtest/gtest.h>

using namespace ns3;

TEST(FortiOsCliDnsTranslation, SetShowRoundTripAndErrors)
{
    FortiGateConfig c;
    const FortiOsCli cli;
    auto r = cli.Execute(c,
                         "config firewall dnstranslation\n"
                         "    edit 1\n"
                         "        set src 10.0.2.0\n"
                         "        set dst 203.0.113.0\n"
                         "        set netmask 255.255.255.0\n"
                         "    next\n"
                         "    edit 0\n"
                         "        set src 10.0.3.7\n"
                         "        set dst 203.0.113.77\n"
                         "    next\n"
                         "end\n");
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(c.DnsTranslations().size(), 2u);
    EXPECT_EQ(c.DnsTranslations()[0].netmask, 0xffffff00u);
    EXPECT_EQ(c.DnsTranslations()[1].id, 2u);
    EXPECT_EQ(c.DnsTranslations()[1].netmask, 0xffffffffu); // the default
    const std::string shown = FortiOsCli::Show(c);
    EXPECT_NE(shown.find("config firewall dnstranslation\n    edit 1\n        set src 10.0.2.0\n"
                         "        set dst 203.0.113.0\n        set netmask 255.255.255.0\n"
                         "    next\n"),
              std::string::npos)
        << shown;
    FortiGateConfig back;
    r = cli.Execute(back, shown);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(back == c);
    EXPECT_EQ(FortiOsCli::Show(back), shown);

    // A netmask that is not contiguous: rejected, nothing applied.
    const FortiGateConfig before = c;
    r = cli.Execute(c,
                    "config firewall dnstranslation\nedit 1\nset netmask 255.0.255.0\nnext\nend\n");
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("netmask"), std::string::npos) << r.error;
    EXPECT_TRUE(c == before);
    r = cli.Execute(c, "config firewall dnstranslation\ndelete 1\nend\n");
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(c.DnsTranslations().size(), 1u);
    EXPECT_EQ(c.DnsTranslations()[0].id, 2u);
}
