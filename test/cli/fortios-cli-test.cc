/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// FortiOS CLI: tokenizer, every `config` example of the seed handbook pages
// (../shared/seeds), the language, each error class (exact FortiOS-style message, configuration
// unchanged), and the show/load round trip over generated configurations.

#include "ns3/fortios-cli.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <sstream>
#include <sys/wait.h>

using namespace ns3;

namespace
{

/// Execute \p text on \p c and fail the test (with the CLI's error) when it is rejected.
FortiOsCli::Result
Ok(FortiGateConfig& c, const std::string& text, const FortiOsCli& cli = FortiOsCli())
{
    auto r = cli.Execute(c, text);
    EXPECT_TRUE(r.ok) << r.error << "\n--- text ---\n" << text;
    return r;
}

/// Execute \p text, expect it to fail with exactly \p error, and \p c to be unchanged.
void
Rejected(FortiGateConfig& c, const std::string& text, const std::string& error, int line)
{
    FortiGateConfig before = c;
    auto r = FortiOsCli().Execute(c, text);
    EXPECT_FALSE(r.ok) << text;
    EXPECT_EQ(r.error, error) << text;
    EXPECT_EQ(r.errorLine, line) << text;
    EXPECT_TRUE(c == before) << "configuration changed by a rejected batch:\n" << text;
}

/// The seed pages' lab: port1 (LAN) and wan1 (WAN).
FortiGateConfig
Lab()
{
    FortiGateConfig c;
    Ok(c,
       "config system interface\n"
       "    edit \"port1\"\n"
       "        set ip 10.0.1.1 255.255.255.0\n"
       "    next\n"
       "    edit \"wan1\"\n"
       "        set ip 203.0.113.10 255.255.255.0\n"
       "    next\n"
       "end\n");
    return c;
}

const SessionHelperEntry*
Helper(const FortiGateConfig& c, uint32_t id)
{
    return c.FindSessionHelper(id);
}

} // namespace

// ---- tokenizer ----------------------------------------------------------------------------------

TEST(FortiOsCliTokenizer, WordsQuotesEscapesComments)
{
    auto lines = TokenizeFortiOs("#config-version=FGT60F-7.2\n"
                                 "  config   firewall address  \n"
                                 "\n"
                                 "edit \"my net\"  # trailing comment\n"
                                 "set comment 'it''s' \"say \\\"hi\\\" \\\\ ok\" a\\ b c#d\n"
                                 "set x \"\"\n");
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0].line, 2);
    ASSERT_EQ(lines[0].words.size(), 3u);
    EXPECT_EQ(lines[0].words[2].text, "address");
    EXPECT_EQ(lines[1].line, 4);
    ASSERT_EQ(lines[1].words.size(), 2u);
    EXPECT_EQ(lines[1].words[1].text, "my net");
    EXPECT_TRUE(lines[1].words[1].quoted);
    ASSERT_EQ(lines[2].words.size(), 6u);
    EXPECT_EQ(lines[2].words[2].text, "its"); // 'it''s' = two adjacent quoted parts
    EXPECT_EQ(lines[2].words[3].text, "say \"hi\" \\ ok");
    EXPECT_EQ(lines[2].words[4].text, "a b");
    EXPECT_FALSE(lines[2].words[4].quoted);
    EXPECT_EQ(lines[2].words[5].text, "c#d");
    ASSERT_EQ(lines[3].words.size(), 3u);
    EXPECT_EQ(lines[3].words[2].text, "");
    EXPECT_TRUE(lines[3].words[2].quoted);
}

TEST(FortiOsCliTokenizer, ContinuationAndMultiLineQuote)
{
    auto lines = TokenizeFortiOs("set member a \\\n  b c\nset comment \"two\nlines\"\nend\n");
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].line, 1);
    ASSERT_EQ(lines[0].words.size(), 5u);
    EXPECT_EQ(lines[0].words[4].text, "c");
    EXPECT_EQ(lines[1].line, 3);
    EXPECT_EQ(lines[1].words[2].text, "two\nlines");
    EXPECT_EQ(lines[2].line, 5);
}

TEST(FortiOsCliTokenizer, UnterminatedQuote)
{
    try
    {
        TokenizeFortiOs("config firewall address\nedit \"abc\nnext\n");
        FAIL() << "no exception";
    }
    catch (const CliSyntaxError& e)
    {
        EXPECT_EQ(e.Line(), 2);
        EXPECT_EQ(e.Token(), "\"abc");
    }
}

TEST(FortiOsCliTokenizer, QuoteRoundTrip)
{
    for (const std::string s :
         {"plain", "with space", "q\"uote", "back\\slash", "", "'single'", "#hash", "multi\nline"})
    {
        auto lines = TokenizeFortiOs("set x " + QuoteFortiOs(s) + "\n");
        ASSERT_EQ(lines.size(), 1u) << s;
        ASSERT_EQ(lines[0].words.size(), 3u) << s;
        EXPECT_EQ(lines[0].words[2].text, s);
    }
}

// ---- seed pages: 002 (session helpers handbook) -------------------------------------------------

TEST(FortiOsCliSeed, ShowSessionHelperOutputsParseAndChangeNothing)
{
    // The `show system session-helper N` outputs quoted on the page are valid input that
    // restates the defaults (one of them without `next`: `end` saves the entry).
    FortiGateConfig c;
    const FortiGateConfig factory;
    Ok(c,
       "config system session-helper\nedit 11\nset name pmap\nset port 111\nset protocol 6\n"
       "next\nend\n");
    Ok(c,
       "config system session-helper\nedit 12\nset name pmap\nset port 111\nset protocol 17\n"
       "end\n");
    Ok(c,
       "config system session-helper\nedit 2\nset name h323\nset port 1720\nset protocol 6\n"
       "next\nend\n");
    EXPECT_TRUE(c == factory);
    // The page's first listing lost its `edit 2` line; a FortiGate rejects it as we do
    // (`set` at table level), and with the line restored it restates the defaults.
    const std::string listing = "config system session-helper\nedit 1\nset name pptp\n"
                                "set port 1723\nset protocol 6\nnext\n%EDIT%set name h323\n"
                                "set port 1720\nset protocol 6\nend\n";
    std::string broken = listing;
    broken.replace(broken.find("%EDIT%"), 6, "");
    Rejected(c,
             broken,
             "line 7: command parse error before 'set'\nCommand fail. Return code -61",
             7);
    std::string fixed = listing;
    fixed.replace(fixed.find("%EDIT%"), 6, "edit 2\n");
    Ok(c, fixed);
    EXPECT_TRUE(c == factory);
}

TEST(FortiOsCliSeed, ChangePmapPortsTo112)
{
    FortiGateConfig c;
    Ok(c, "config system session-helper\nedit 11\nset port 112\nend\n");
    EXPECT_EQ(Helper(c, 11)->port, 112);
    EXPECT_EQ(Helper(c, 11)->protocol, 6);
    EXPECT_EQ(Helper(c, 11)->name, "pmap");
    EXPECT_EQ(c.FindHelperEntry(6, 112)->id, 11u);
    EXPECT_EQ(c.FindHelperEntry(6, 111), nullptr);
    Ok(c, "config system session-helper\nedit 12\nset port 112\nend\n");
    EXPECT_EQ(c.FindHelperEntry(17, 112)->id, 12u);
    EXPECT_EQ(c.FindHelperEntry(17, 111), nullptr);
}

TEST(FortiOsCliSeed, H323OverUdpWithDoubleEnd)
{
    FortiGateConfig c;
    // As on the page: `end` inside the entry saves it and leaves the table; the second `end`
    // at the top level is harmless.
    Ok(c, "config system session-helper\nedit 2\nset protocol 17\nend\nend\n");
    EXPECT_EQ(Helper(c, 2)->protocol, 17);
    EXPECT_EQ(Helper(c, 2)->port, 1720);
    EXPECT_EQ(c.FindHelperEntry(17, 1720)->name, "h323");
}

TEST(FortiOsCliSeed, RtspOnNewPort6677)
{
    FortiGateConfig c;
    Ok(c,
       "config system session-helper\nedit 0\nset name rtsp\nset port 6677\nset protocol 6\n"
       "end\n");
    ASSERT_EQ(c.SessionHelpers().size(), 21u);
    EXPECT_EQ(Helper(c, 21)->name, "rtsp");
    EXPECT_EQ(c.FindHelperEntry(6, 6677)->id, 21u);
}

TEST(FortiOsCliSeed, DisableMgcpByDeleting19And20)
{
    FortiGateConfig c;
    // The page omits the final `end`: without it the batch is rejected (missing end) ...
    Rejected(c,
             "config system session-helper\ndelete 19\n",
             "line 1: missing 'end' for 'config system session-helper'\n"
             "command parse error before 'end of input'\nCommand fail. Return code -61",
             1);
    // ... with it, entry 19 goes, then 20: mgcp no longer listens anywhere.
    Ok(c, "config system session-helper\ndelete 19\nend\n");
    EXPECT_EQ(Helper(c, 19), nullptr);
    EXPECT_EQ(c.FindHelperEntry(17, 2427), nullptr);
    EXPECT_NE(c.FindHelperEntry(17, 2727), nullptr);
    Ok(c, "config system session-helper\ndelete 20\nend\n");
    for (const auto& e : c.SessionHelpers())
    {
        EXPECT_NE(e.name, "mgcp");
    }
}

TEST(FortiOsCliSeed, EnableDnsTcp)
{
    FortiGateConfig c;
    Ok(c,
       "config system session-helper\nedit 0\nset name dns-tcp\nset port 53\nset protocol 6\n"
       "end\n");
    EXPECT_EQ(c.FindHelperEntry(6, 53)->name, "dns-tcp");
}

// ---- seed pages: 003 (SIP ALG and SIP session helper) -------------------------------------------

TEST(FortiOsCliSeed, DefaultVoipAlgMode)
{
    FortiGateConfig c;
    // The page's syntax line `{proxy-based | kernel-helper-based}` is a template, not input:
    Rejected(c,
             "config system settings\n    set default-voip-alg-mode {proxy-based | "
             "kernel-helper-based}\nend \n",
             "line 2: value parse error before '|'\ndefault-voip-alg-mode: at most 1 value\n"
             "Command fail. Return code -651",
             2);
    Ok(c, "config system settings\n    set default-voip-alg-mode kernel-helper-based\nend\n");
    EXPECT_EQ(c.Settings().defaultVoipAlgMode, "kernel-helper-based");
    Ok(c, "config system settings\n    set default-voip-alg-mode proxy-based\nend\n");
    EXPECT_EQ(c.Settings().defaultVoipAlgMode, "proxy-based");
}

TEST(FortiOsCliSeed, VoipProfiles)
{
    FortiGateConfig c;
    Ok(c,
       "config voip profile\n    edit \"sip-alg-profile\"\n        set feature-set voipd\n"
       "        config sip\n            set status enable\n        end\n    next\nend\n");
    Ok(c,
       "config voip profile\n    edit \"sip-disabled-profile\"\n        set feature-set voipd\n"
       "        config sip\n            set status disable\n        end\n    next\nend\n");
    ASSERT_NE(c.FindVoipProfile("sip-alg-profile"), nullptr);
    EXPECT_TRUE(c.FindVoipProfile("sip-alg-profile")->sipStatus);
    EXPECT_EQ(c.FindVoipProfile("sip-alg-profile")->featureSet, "voipd");
    EXPECT_FALSE(c.FindVoipProfile("sip-disabled-profile")->sipStatus);
    // Example 3 step 5: disable the ALG in the default profile (unquoted name).
    Ok(c,
       "config voip profile\n    edit default\n        config sip\n"
       "            set status disable\n            set rtp disable\n        end\n    next\n"
       "end\n");
    EXPECT_FALSE(c.FindVoipProfile("default")->sipStatus);
    EXPECT_FALSE(c.FindVoipProfile("default")->sip.rtp);
    EXPECT_TRUE(c.FindVoipProfile("default")->sip.openRegisterPinhole); // untouched
}

TEST(FortiOsCliSeed, PolicyFragmentsNeedTheirMandatoryFields)
{
    // The page's `edit 0` policy fragments set only name/utm-status/voip-profile. A FortiGate
    // refuses to save a policy without interfaces, addresses and service, and so do we:
    FortiGateConfig c = Lab();
    Ok(c,
       "config voip profile\n    edit \"sip-alg-profile\"\n        set feature-set voipd\n"
       "    next\nend\n");
    const std::string fragment = "config firewall policy\n    edit 0\n"
                                 "        set name \"VoIP-Proxy\"\n"
                                 "        set utm-status enable\n"
                                 "        set voip-profile \"sip-alg-profile\"\n%MORE%"
                                 "    next\nend\n";
    std::string asPrinted = fragment;
    asPrinted.replace(asPrinted.find("%MORE%"), 6, "");
    Rejected(c,
             asPrinted,
             "line 6: Attribute 'srcintf' MUST be set.\n"
             "firewall policy 1: srcintf: must be set\nCommand fail. Return code -56",
             6);
    // With the fields the fragment leaves out, it has its documented effect.
    std::string complete = fragment;
    complete.replace(complete.find("%MORE%"),
                     6,
                     "        set srcintf \"port1\"\n        set dstintf \"wan1\"\n"
                     "        set srcaddr \"all\"\n        set dstaddr \"all\"\n"
                     "        set action accept\n        set service \"ALL\"\n");
    Ok(c, complete);
    ASSERT_EQ(c.Policies().size(), 1u);
    const auto& p = c.Policies()[0];
    EXPECT_EQ(p.id, 1u);
    EXPECT_EQ(p.name, "VoIP-Proxy");
    EXPECT_TRUE(p.utmStatus);
    EXPECT_EQ(p.voipProfile, "sip-alg-profile");
    // `set voip-profile ""` (session-helper examples) clears the profile.
    Ok(c, "config firewall policy\n    edit 1\n        set voip-profile \"\"\n    next\nend\n");
    EXPECT_EQ(c.FindPolicy(1)->voipProfile, "");
}

TEST(FortiOsCliSeed, Example3DisableAlgAndHelper)
{
    FortiGateConfig c = Lab();
    // step 1-2: the SIP helper entry, then remove it
    Ok(c,
       "config system session-helper\n    edit 13\n        set name sip\n"
       "        set protocol 17\n        set port 5060\n    next\nend\n");
    EXPECT_EQ(c.FindHelperEntry(17, 5060)->name, "sip");
    Ok(c, "config system session-helper\n    delete 13\nend\n");
    EXPECT_EQ(Helper(c, 13), nullptr);
    EXPECT_EQ(c.FindHelperEntry(17, 5060), nullptr);
    // step 3
    Ok(c, "config system settings\n    set default-voip-alg-mode kernel-helper-based\nend\n");
    // step 4: the `show firewall policy 1` output (with its trailing blank) is valid input
    const std::string policy = "config firewall policy\n"
                               "    edit 1\n"
                               "        set name \"voip to internet\"\n"
                               "        set srcintf \"port1\" \n"
                               "        set dstintf \"wan1\"\n"
                               "        set action accept\n"
                               "        set srcaddr \"all\"\n"
                               "        set dstaddr \"all\"\n"
                               "        set schedule \"always\"\n"
                               "        set service \"ALL\"\n"
                               "        set utm-status enable\n"
                               "        set voip-profile \"default\"\n"
                               "        set logtraffic all\n"
                               "        set nat enable\n"
                               "    next\n"
                               "end\n";
    Ok(c, policy);
    const FirewallPolicy* p = c.FindPolicy(1);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->name, "voip to internet");
    EXPECT_EQ(p->srcintf, std::vector<std::string>{"port1"});
    EXPECT_EQ(p->action, FirewallPolicy::ACCEPT);
    EXPECT_TRUE(p->nat);
    EXPECT_EQ(p->logtraffic, "all");
    EXPECT_EQ(p->voipProfile, "default");
    // show prints it back exactly as the page does (without the trailing blank)
    std::string expected = policy;
    expected.replace(expected.find("\"port1\" \n"), 9, "\"port1\"\n");
    EXPECT_EQ(FortiOsCli::ShowPath(c, "firewall policy", "1"), expected);
    // step 5: disable the ALG in the profile, then remove the profile from the policy
    Ok(c,
       "config voip profile\n    edit default\n        config sip\n"
       "            set status disable\n            set rtp disable\n        end\n"
       "    next\nend\n");
    Ok(c, "config firewall policy\n    edit 1\n        unset voip-profile \n    next\nend\n");
    EXPECT_EQ(c.FindPolicy(1)->voipProfile, "");
}

TEST(FortiOsCliSeed, SipPorts)
{
    FortiGateConfig c;
    Ok(c,
       "config system settings\n    set sip-tcp-port 5064\n    set sip-udp-port 5065\n"
       "    set sip-ssl-port 5066\nend\n");
    EXPECT_EQ(c.Settings().sipTcpPort, std::vector<uint16_t>{5064});
    EXPECT_EQ(c.Settings().sipUdpPort, std::vector<uint16_t>{5065});
    EXPECT_EQ(c.Settings().sipSslPort, 5066);
    Ok(c,
       "config system settings\n    set sip-tcp-port 5060 5064\n"
       "    set sip-udp-port 5061 5065\nend\n");
    EXPECT_EQ(c.Settings().sipTcpPort, (std::vector<uint16_t>{5060, 5064}));
    EXPECT_EQ(c.Settings().sipUdpPort, (std::vector<uint16_t>{5061, 5065}));
    Ok(c,
       "config system session-helper\n    edit 13\n        set name sip\n"
       "        set protocol 17\n        set port 5065\n    next\nend\n");
    EXPECT_EQ(c.FindHelperEntry(17, 5065)->id, 13u);
    EXPECT_EQ(c.FindHelperEntry(17, 5060), nullptr);
    // "a new session helper to listen on UDP and TCP 5064": no protocol is given; the entry
    // keeps protocol 0, which serves both.
    Ok(c,
       "config system session-helper\n    edit 0\n        set name sip\n"
       "        set port 5064\n    next\nend\n");
    ASSERT_NE(Helper(c, 21), nullptr);
    EXPECT_EQ(Helper(c, 21)->name, "sip");
    EXPECT_EQ(Helper(c, 21)->port, 5064);
    EXPECT_EQ(Helper(c, 21)->protocol, 0);
    EXPECT_EQ(c.FindHelperEntry(6, 5064)->id, 21u);
    EXPECT_EQ(c.FindHelperEntry(17, 5064)->id, 21u);
    EXPECT_EQ(c.FindHelperEntry(132, 5064), nullptr);
}

TEST(FortiOsCliSeed, DiagnoseLinesGoToTheHandler)
{
    std::vector<std::string> seen;
    FortiOsCli cli([&](const std::string& line) {
        seen.push_back(line);
        return "ok " + line + "\n";
    });
    FortiGateConfig c;
    auto r = cli.Execute(c,
                         "# diagnose sys session filter dport 5060\n"
                         "diagnose sys session filter dport 5060\n"
                         "diagnose sys session clear\n"
                         "diag sys session filter sport 5060\n"
                         "get system session list\n"
                         "get system status\n");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(seen,
              (std::vector<std::string>{"diagnose sys session filter dport 5060",
                                        "diagnose sys session clear",
                                        "diagnose sys session filter sport 5060",
                                        "get system session list",
                                        "get system status"}));
    EXPECT_EQ(r.output.substr(0, 42), "ok diagnose sys session filter dport 5060\n");
    // Without a handler (offline checking) they are errors.
    Rejected(c,
             "diagnose sys session clear\n",
             "line 1: command parse error before 'diagnose'\n'diagnose' needs a running "
             "FortiGate (no command handler)\nCommand fail. Return code -61",
             1);
}

// ---- language -----------------------------------------------------------------------------------

TEST(FortiOsCliLanguage, AbbreviationsAndCase)
{
    FortiGateConfig c;
    Ok(c, "conf sys session-h\ned 11\nset po 112\nen\n");
    EXPECT_EQ(Helper(c, 11)->port, 112);
    // ambiguous: `s` = set/select, `p` = protocol/port
    Rejected(c,
             "config system session-helper\nedit 11\nset p 1\nend\n",
             "line 3: command parse error before 'p'\nCommand fail. Return code -61",
             3);
    // keywords are case-sensitive, as are names (h245I, h245O)
    Rejected(c,
             "CONFIG system global\nend\n",
             "line 1: command parse error before 'CONFIG'\nCommand fail. Return code -61",
             1);
    Ok(c,
       "config system session-helper\nedit 0\nset name h245I\nset protocol 6\nset port 1300\n"
       "next\nend\n");
    EXPECT_EQ(c.FindHelperEntry(6, 1300)->name, "h245I");
    // option values may be abbreviated too
    Ok(c, "config system settings\nset default-voip-alg-mode kernel\nset sip-exp en\nend\n");
    EXPECT_EQ(c.Settings().defaultVoipAlgMode, "kernel-helper-based");
    EXPECT_TRUE(c.Settings().sipExpectation);
}

TEST(FortiOsCliLanguage, UnsetAppendSelectUnselect)
{
    FortiGateConfig c = Lab();
    Ok(c,
       "config firewall address\nedit a1\nset subnet 10.1.0.0/16\nnext\nedit a2\n"
       "set subnet 10.2.0.0 255.255.0.0\nnext\nedit a3\nset type iprange\n"
       "set start-ip 10.3.0.1\nset end-ip 10.3.0.9\nnext\nend\n"
       "config firewall addrgrp\nedit g\nset member a1\nappend member a2 a3 a1\nnext\nend\n");
    EXPECT_EQ(c.FindAddressGroup("g")->members, (std::vector<std::string>{"a1", "a2", "a3"}));
    Ok(c, "config firewall addrgrp\nedit g\nunselect member a2\nnext\nend\n");
    EXPECT_EQ(c.FindAddressGroup("g")->members, (std::vector<std::string>{"a1", "a3"}));
    Ok(c, "config firewall addrgrp\nedit g\nselect member a2\nnext\nend\n");
    EXPECT_EQ(c.FindAddressGroup("g")->members, (std::vector<std::string>{"a2"}));
    const FirewallAddress* a3 = c.FindAddress("a3");
    EXPECT_EQ(a3->type, FirewallAddress::IPRANGE);
    EXPECT_EQ(a3->start, 0x0a030001u);
    EXPECT_EQ(a3->end, 0x0a030009u);
    Ok(c, "config system global\nset tcp-timewait-timer 30\nset udp-idle-timer 600\nend\n");
    EXPECT_EQ(c.Timers().tcpTimewait, 30u);
    Ok(c, "config system global\nunset tcp-timewait-timer\nend\n");
    EXPECT_EQ(c.Timers().tcpTimewait, 1u);
    EXPECT_EQ(c.Timers().udpIdle, 600u);
    // append on a single-value field is a parse error
    Rejected(c,
             "config system global\nappend udp-idle-timer 5\nend\n",
             "line 2: command parse error before 'udp-idle-timer'\n"
             "udp-idle-timer holds a single value\nCommand fail. Return code -61",
             2);
}

TEST(FortiOsCliLanguage, AbortNextEndAndShowInside)
{
    FortiGateConfig c = Lab();
    FortiOsCli cli;
    auto r = cli.Execute(c,
                         "config firewall address\n"
                         "edit keep\nset subnet 10.9.0.0/16\nnext\n"
                         "edit gone\nset subnet 10.8.0.0/16\nshow\nabort\n");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_NE(c.FindAddress("keep"), nullptr);
    EXPECT_EQ(c.FindAddress("gone"), nullptr); // abort discarded the entry and left the table
    EXPECT_EQ(r.output,
              "config firewall address\n    edit \"gone\"\n        set subnet 10.8.0.0 "
              "255.255.0.0\n    next\nend\n");
    // abort in config sip restores the sub-block only
    Ok(c,
       "config voip profile\nedit default\nconfig sip\nset rtp disable\nabort\n"
       "set comment \"x\"\nnext\nend\n");
    EXPECT_TRUE(c.FindVoipProfile("default")->sip.rtp);
    EXPECT_EQ(c.FindVoipProfile("default")->comment, "x");
}

TEST(FortiOsCliLanguage, RenameMovesReferences)
{
    FortiGateConfig c = Lab();
    Ok(c,
       "config firewall address\nedit web\nset subnet 10.0.1.80/32\nnext\nend\n"
       "config firewall addrgrp\nedit servers\nset member web\nnext\nend\n"
       "config firewall policy\nedit 5\nset srcintf port1\nset dstintf wan1\n"
       "set srcaddr servers\nset dstaddr web\nset service HTTP\nset action accept\nnext\n"
       "edit 6\nset srcintf port1\nset dstintf wan1\nset srcaddr all\nset dstaddr all\n"
       "set service ALL\nnext\nend\n");
    Ok(c,
       "config firewall address\nrename web to www\nend\n"
       "config firewall service custom\nrename HTTP to WEB\nend\n"
       "config firewall policy\nrename 5 to 50\nend\n");
    EXPECT_EQ(c.FindAddress("web"), nullptr);
    EXPECT_EQ(c.FindAddressGroup("servers")->members, std::vector<std::string>{"www"});
    ASSERT_NE(c.FindPolicy(50), nullptr);
    EXPECT_EQ(c.FindPolicy(50)->dstaddr, std::vector<std::string>{"www"});
    EXPECT_EQ(c.FindPolicy(50)->service, std::vector<std::string>{"WEB"});
    EXPECT_EQ(c.PolicyPosition(50), 0); // kept its place ahead of policy 6
    Ok(c, "config firewall policy\nmove 50 after 6\nend\n");
    EXPECT_EQ(c.PolicyPosition(50), 1);
}

TEST(FortiOsCliLanguage, RenameIpPoolAndVipInPlaceWithTheirReferences)
{
    // A pool or VIP copied under its new name would overlap itself; rename works in place.
    FortiGateConfig c = Lab();
    Ok(c,
       "config firewall ippool\nedit pool1\nset startip 203.0.113.20\n"
       "set endip 203.0.113.29\nnext\nend\n"
       "config firewall vip\nedit web\nset extip 203.0.113.80\nset mappedip 10.0.1.80\n"
       "set extintf wan1\nnext\nend\n"
       "config firewall address\nedit a\nset subnet 10.0.1.0/24\nnext\nend\n"
       "config firewall policy\nedit 1\nset srcintf port1\nset dstintf wan1\n"
       "set srcaddr all\nset dstaddr all\nset service ALL\nset nat enable\n"
       "set ippool enable\nset poolname pool1\nnext\n"
       "edit 2\nset srcintf wan1\nset dstintf port1\nset srcaddr all\nset dstaddr web\n"
       "set service HTTP\nnext\nend\n");
    Ok(c,
       "config firewall ippool\nrename pool1 to pool2\nend\n"
       "config firewall vip\nrename web to www\nend\n");
    EXPECT_EQ(c.FindIpPool("pool1"), nullptr);
    ASSERT_NE(c.FindIpPool("pool2"), nullptr);
    EXPECT_EQ(c.FindIpPool("pool2")->startip, 0xcb007114u);
    EXPECT_EQ(c.FindVip("web"), nullptr);
    ASSERT_NE(c.FindVip("www"), nullptr);
    EXPECT_EQ(c.FindPolicy(1)->poolname, std::vector<std::string>{"pool2"});
    EXPECT_EQ(c.FindPolicy(2)->dstaddr, std::vector<std::string>{"www"});
    EXPECT_EQ(c.IpPools().size(), 1u);
    EXPECT_EQ(c.Vips().size(), 1u);
    // The renamed objects are the ones in use: deleting them is refused.
    FortiGateConfig before = c;
    FortiOsCli cli;
    EXPECT_FALSE(cli.Execute(c, "config firewall ippool\ndelete pool2\nend\n").ok);
    EXPECT_FALSE(cli.Execute(c, "config firewall vip\ndelete www\nend\n").ok);
    // A VIP cannot take a name the address namespace already uses; nothing changes.
    auto r = cli.Execute(c, "config firewall vip\nrename www to a\nend\n");
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("already used by firewall address \"a\""), std::string::npos) << r.error;
    EXPECT_EQ(cli.Execute(c, "show full-configuration").output,
              cli.Execute(before, "show full-configuration").output);
    // The C++ API does the same.
    c.RenameIpPool("pool2", "pool3");
    EXPECT_EQ(c.FindPolicy(1)->poolname, std::vector<std::string>{"pool3"});
    EXPECT_THROW(c.RenameVip("nosuch", "x"), ConfigError);
}

TEST(FortiOsCliLanguage, SessionTtlPortsAndInterfaces)
{
    FortiGateConfig c = Lab();
    Ok(c,
       "config system session-ttl\nset default 7200\nconfig port\nedit 0\nset protocol 17\n"
       "set start-port 5060\nset end-port 5061\nset timeout 300\nnext\nend\nend\n");
    EXPECT_EQ(c.GetSessionTtl().defaultTtl, 7200u);
    EXPECT_EQ(c.Timers().sessionTtl, 7200u);
    ASSERT_EQ(c.GetSessionTtl().ports.size(), 1u);
    EXPECT_EQ(c.GetSessionTtl().TtlFor(17, 5061), 300u);
    Ok(c,
       "config system interface\nedit port1\nset ip 192.168.7.1/24\nset alias \"lan side\"\n"
       "set allowaccess ping ssh\nset role lan\nnext\nend\n");
    const InterfaceConfig* i = c.FindInterfaceConfig("port1");
    EXPECT_EQ(i->ip, 0xc0a80701u);
    EXPECT_EQ(i->mask, 0xffffff00u);
    EXPECT_EQ(i->alias, "lan side");
    EXPECT_EQ(i->role, "lan");
    EXPECT_EQ(i->allowaccess, (std::vector<std::string>{"ping", "ssh"}));
    EXPECT_EQ(c.FindInterface("port1"), 0); // index kept
    Ok(c,
       "config router static\nedit 0\nset dst 198.51.100.0 255.255.255.0\n"
       "set gateway 203.0.113.1\nset device wan1\nset distance 5\nnext\nend\n");
    ASSERT_EQ(c.StaticRoutes().size(), 1u);
    EXPECT_EQ(c.StaticRoutes()[0].dst, 0xc6336400u);
    EXPECT_EQ(c.StaticRoutes()[0].gateway, 0xcb007101u);
    EXPECT_EQ(c.StaticRoutes()[0].distance, 5u);
}

TEST(FortiOsCliLanguage, ServicesSchedulesPoolsVips)
{
    FortiGateConfig c = Lab();
    Ok(c,
       "config firewall service custom\n"
       "edit sip-alt\nset tcp-portrange 5060-5061:1024-65535 5080\nset udp-portrange 5060\n"
       "set udp-idle-timer 600\nnext\n"
       "edit echo\nset protocol ICMP\nset icmptype 8\nset icmpcode 0\nnext\n"
       "edit ospf2\nset protocol IP\nset protocol-number 89\nnext\nend\n"
       "config firewall service group\nedit voice\nset member sip-alt SIP\nnext\nend\n"
       "config firewall schedule recurring\nedit office\nset start 08:00\nset end 18:30\n"
       "set day monday tuesday wednesday thursday friday\nnext\nend\n"
       "config firewall schedule onetime\nedit window\nset start \"08:00 2026/01/05\"\n"
       "set end 10:00 2026/01/05\nnext\nend\n"
       "config firewall ippool\nedit pool1\nset startip 203.0.113.20\nset endip 203.0.113.29\n"
       "set type port-block-allocation\nset block-size 256\nnext\nend\n"
       "config firewall vip\nedit web\nset extip 203.0.113.80\nset mappedip \"10.0.1.80\"\n"
       "set extintf wan1\nset portforward enable\nset extport 8080\nset mappedport 80\nnext\n"
       "end\n");
    const FirewallService* s = c.FindService("sip-alt");
    ASSERT_EQ(s->tcp.size(), 2u);
    EXPECT_TRUE(s->tcp[0].Matches(2000, 5061));
    EXPECT_FALSE(s->tcp[0].Matches(80, 5061)); // source range 1024-65535
    EXPECT_EQ(s->udpIdleTimer, 600u);
    EXPECT_EQ(c.FindService("echo")->icmpType, 8);
    EXPECT_EQ(c.FindService("ospf2")->protocolNumber, 89);
    EXPECT_EQ(c.FindServiceGroup("voice")->members.size(), 2u);
    const FirewallSchedule* office = c.FindSchedule("office");
    EXPECT_EQ(office->startMinute, 480);
    EXPECT_EQ(office->endMinute, 1110);
    EXPECT_EQ(office->dayMask, 0x3e);
    EXPECT_EQ(c.FindSchedule("window")->endTime - c.FindSchedule("window")->startTime, 7200);
    EXPECT_EQ(c.FindIpPool("pool1")->blockSize, 256u);
    EXPECT_EQ(c.FindIpPool("pool1")->type, IpPoolConfig::PORT_BLOCK_ALLOCATION);
    const VipConfig* v = c.FindVip("web");
    EXPECT_EQ(v->extportLo, 8080);
    EXPECT_EQ(v->mappedportLo, 80);
    EXPECT_EQ(v->mappedipLo, 0x0a000150u);
    // show prints FortiOS's port-range syntax back
    EXPECT_NE(FortiOsCli::ShowPath(c, "firewall service custom", "sip-alt")
                  .find("set tcp-portrange 5060-5061:1024-65535 5080\n"),
              std::string::npos);
}

TEST(FortiOsCliLanguage, VoipProfileEveryFieldAndDefault)
{
    FortiGateConfig c;
    const VoipProfileConfig* d = c.FindVoipProfile("default");
    // defaults of fortios.md §5
    EXPECT_EQ(d->sip.natPortLow, 5117);
    EXPECT_EQ(d->sip.natPortHigh, 65533);
    EXPECT_EQ(d->sip.maxLineLength, 998u);
    EXPECT_EQ(d->sip.provisionalInviteExpiryTime, 210u);
    EXPECT_TRUE(d->sip.blockUnknown);
    EXPECT_FALSE(d->sip.noSdpFixup);
    EXPECT_EQ(d->sip.malformedHeader[VOIP_HDR_SDP_M], VOIP_ACTION_PASS);
    // full-configuration lists every field of config sip
    const std::string full = FortiOsCli::ShowPath(c, "voip profile", "default", true);
    for (const std::string f : {"set status enable",
                                "set rtp enable",
                                "set open-register-pinhole enable",
                                "set open-contact-pinhole enable",
                                "set open-record-route-pinhole enable",
                                "set open-via-pinhole disable",
                                "set strict-register enable",
                                "set register-contact-trace disable",
                                "set rfc2543-branch disable",
                                "set log-violations disable",
                                "set log-call-summary enable",
                                "set nat-trace enable",
                                "set contact-fixup enable",
                                "set no-sdp-fixup disable",
                                "set preserve-override disable",
                                "set hosted-nat-traversal disable",
                                "set hnt-restrict-source-ip disable",
                                "set nat-port-range 5117-65533",
                                "set max-line-length 998",
                                "set block-long-lines enable",
                                "set block-unknown enable",
                                "set max-dialogs 0",
                                "set max-idle-dialogs 0",
                                "set max-body-length 0",
                                "set call-keepalive 0",
                                "set provisional-invite-expiry-time 210",
                                "set unknown-header pass",
                                "set malformed-request-line pass",
                                "set malformed-header-p-asserted-identity pass",
                                "set malformed-header-sdp-r pass",
                                "set feature-set voipd"})
    {
        EXPECT_NE(full.find("        " + f + "\n"), std::string::npos) << f << "\n" << full;
    }
    for (const auto& m : VoipSipMethodNames())
    {
        EXPECT_NE(full.find("set block-" + m + " disable\n"), std::string::npos) << m;
        EXPECT_NE(full.find("set " + m + "-rate 0\n"), std::string::npos) << m;
        EXPECT_NE(full.find("set " + m + "-rate-track none\n"), std::string::npos) << m;
    }
    for (const auto& h : VoipSipHeaderNames())
    {
        EXPECT_NE(full.find("set malformed-header-" + h + " pass\n"), std::string::npos) << h;
    }
    Ok(c,
       "config voip profile\nedit strict\nconfig sip\nset block-invite enable\n"
       "set invite-rate 20\nset invite-rate-track src-ip\nset malformed-header-via discard\n"
       "set nat-port-range 20000-30000\nset max-dialogs 100\nend\nnext\nend\n");
    const VoipProfileConfig* s = c.FindVoipProfile("strict");
    EXPECT_TRUE(s->sip.method[VOIP_METHOD_INVITE].block);
    EXPECT_EQ(s->sip.method[VOIP_METHOD_INVITE].rate, 20u);
    EXPECT_EQ(s->sip.method[VOIP_METHOD_INVITE].rateTrack, VOIP_RATE_TRACK_SRC_IP);
    EXPECT_EQ(s->sip.malformedHeader[VOIP_HDR_VIA], VOIP_ACTION_DISCARD);
    EXPECT_EQ(s->sip.natPortLow, 20000);
    EXPECT_EQ(s->sip.maxDialogs, 100u);
}

TEST(FortiOsCliLanguage, PastedShowOutputWithUuidAndVdomLoads)
{
    // What `show` on a real unit prints includes uuid and vdom lines the model has no use for.
    FortiGateConfig c;
    Ok(c,
       "config system interface\n    edit \"port1\"\n        set vdom \"root\"\n"
       "        set ip 192.168.1.99 255.255.255.0\n    next\nend\n"
       "config firewall address\n    edit \"srv\"\n"
       "        set uuid 6f1b8c36-4c1e-51ee-3a2b-9d0c1f2e3a4b\n"
       "        set subnet 10.1.1.1 255.255.255.255\n    next\nend\n"
       "config firewall policy\n    edit 4\n        set uuid 0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9\n"
       "        set srcintf \"port1\"\n        set dstintf \"port1\"\n"
       "        set srcaddr \"all\"\n        set dstaddr \"srv\"\n"
       "        set service \"PING\"\n    next\nend\n");
    EXPECT_EQ(c.FindAddress("srv")->start, 0x0a010101u);
    EXPECT_NE(c.FindPolicy(4), nullptr);
    EXPECT_EQ(FortiOsCli::Show(c, true).find("uuid"), std::string::npos);
    Rejected(c,
             "config firewall address\n    edit \"srv\"\n        set uuid 1234\n    next\nend\n",
             "line 3: value parse error before '1234'\nuuid: '1234' is not a UUID\n"
             "Command fail. Return code -651",
             3);
    Rejected(c,
             "config system interface\n    edit \"port1\"\n        set vdom \"dmz\"\n"
             "    next\nend\n",
             "line 3: value parse error before 'dmz'\nvdom: 'dmz' is not the only VDOM, "
             "\"root\"\nCommand fail. Return code -651",
             3);
}

TEST(FortiOsCliLanguage, ShowAndGet)
{
    FortiGateConfig c;
    FortiOsCli cli;
    auto r = cli.Execute(c,
                         "config system global\nset udp-idle-timer 300\nend\n"
                         "show system global\nshow full-configuration system global\n"
                         "get system global\nshow system session-helper 13\n");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.output,
              "config system global\n    set udp-idle-timer 300\nend\n"
              "config system global\n    set tcp-halfclose-timer 120\n"
              "    set tcp-halfopen-timer 10\n    set tcp-timewait-timer 1\n"
              "    set tcp-rst-timer 5\n    set udp-idle-timer 300\n"
              "    set block-session-timer 30\nend\n"
              "tcp-halfclose-timer : 120\ntcp-halfopen-timer  : 10\n"
              "tcp-timewait-timer  : 1\ntcp-rst-timer       : 5\nudp-idle-timer      : 300\n"
              "block-session-timer : 30\n"
              "config system session-helper\n    edit 13\n        set name sip\n"
              "        set protocol 17\n        set port 5060\n    next\nend\n");
    // the whole configuration starts with the changed settings object
    EXPECT_EQ(FortiOsCli::Show(c).substr(0, 50),
              "config system global\n    set udp-idle-timer 300\nen");
}

// ---- errors -------------------------------------------------------------------------------------

TEST(FortiOsCliErrors, EachClassHasItsMessageAndChangesNothing)
{
    FortiGateConfig c = Lab();
    Ok(c,
       "config firewall address\nedit web\nset subnet 10.0.1.80/32\nnext\nend\n"
       "config firewall policy\nedit 1\nset srcintf port1\nset dstintf wan1\nset srcaddr all\n"
       "set dstaddr web\nset service HTTP\nset action accept\nnext\nend\n");
    // every batch below first makes a valid change, so "unchanged" means really rolled back
    const std::string pre = "config system global\nset udp-idle-timer 999\nend\n";
    // unknown path
    Rejected(c,
             pre + "config firewall adress\nend\n",
             "line 4: command parse error before 'adress'\nCommand fail. Return code -61",
             4);
    // unknown command / field
    Rejected(c,
             pre + "config system settings\nset sip-foo 1\nend\n",
             "line 5: command parse error before 'sip-foo'\nCommand fail. Return code -61",
             5);
    // unknown value
    Rejected(c,
             pre + "config system settings\nset default-voip-alg-mode fast\nend\n",
             "line 5: value parse error before 'fast'\ndefault-voip-alg-mode: 'fast' is not one "
             "of proxy-based|kernel-helper-based\nCommand fail. Return code -651",
             5);
    // value out of range
    Rejected(c,
             pre + "config system global\nset tcp-timewait-timer 301\nend\n",
             "line 5: value parse error before '301'\ntcp-timewait-timer: 301 is out of range "
             "(0..300)\nCommand fail. Return code -651",
             5);
    // bad address
    Rejected(c,
             pre + "config firewall address\nedit x\nset subnet 10.0.0.300/24\nnext\nend\n",
             "line 6: value parse error before '10.0.0.300/24'\nsubnet: '10.0.0.300/24' is not "
             "an address/mask\nCommand fail. Return code -651",
             6);
    // bad port range
    Rejected(c,
             pre + "config firewall service custom\nedit x\nset tcp-portrange 80 90-85\nnext\n"
                   "end\n",
             "line 6: value parse error before '90-85'\ntcp-portrange: port range '90-85': low "
             "port 90 is above high port 85\nCommand fail. Return code -651",
             6);
    // delete of a missing entry
    Rejected(c,
             pre + "config system session-helper\ndelete 99\nend\n",
             "line 5: entry not found in datasource\nvalue parse error before '99'\n"
             "Command fail. Return code -3",
             5);
    // missing end
    Rejected(c,
             pre + "config system session-helper\ndelete 13\n",
             "line 4: missing 'end' for 'config system session-helper'\ncommand parse error "
             "before 'end of input'\nCommand fail. Return code -61",
             4);
    // reference to an object that does not exist
    Rejected(c,
             pre + "config firewall policy\nedit 1\nset dstaddr web nosuch\nnext\nend\n",
             "line 6: entry not found in datasource\nvalue parse error before 'nosuch'\n"
             "dstaddr: 'nosuch' does not exist\nCommand fail. Return code -3",
             6);
    // deleting an object still referenced
    Rejected(c,
             pre + "config firewall address\ndelete web\nend\n",
             "line 5: The entry is used by other 1 entries\nused by: firewall policy 1\n"
             "Command fail. Return code -23",
             5);
    // an entry the configuration model refuses when it is saved
    Rejected(c,
             pre + "config firewall address\nedit r\nset type iprange\nset start-ip 10.0.0.9\n"
                   "set end-ip 10.0.0.1\nnext\nend\n",
             "line 9: value parse error before 'r'\nfirewall address \"r\": end-ip: 10.0.0.1 is "
             "below start-ip 10.0.0.9\nCommand fail. Return code -651",
             9);
    // an unterminated quote
    Rejected(c,
             pre + "config firewall address\nedit \"x\nnext\nend\n",
             "line 5: command parse error before '\"x'\nunterminated quoted string\n"
             "Command fail. Return code -61",
             5);
    // rename onto an existing name
    Rejected(c,
             pre + "config firewall address\nrename web to all\nend\n",
             "line 5: A duplicate entry already exists.\nvalue parse error before 'all'\n"
             "Command fail. Return code -5",
             5);
    // next outside an entry
    Rejected(c,
             pre + "config system global\nnext\nend\n",
             "line 5: command parse error before 'next'\nCommand fail. Return code -61",
             5);
    EXPECT_EQ(c.Timers().udpIdle, 180u);
}

TEST(FortiOsCliErrors, OutputUpToTheErrorIsKept)
{
    FortiGateConfig c;
    auto r = FortiOsCli().Execute(c, "show system global\nconfig system global\nset x 1\nend\n");
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.output, "config system global\nend\n");
    EXPECT_EQ(r.returnCode, FortiOsCli::RC_PARSE);
}

// ---- round trip ---------------------------------------------------------------------------------

namespace
{

/// \return the names of the parts of two configurations that differ (for failure messages).
std::string
Diff(const FortiGateConfig& a, const FortiGateConfig& b)
{
    std::string d;
    auto part = [&](const char* name, bool same) {
        if (!same)
        {
            d += std::string(d.empty() ? "" : ", ") + name;
        }
    };
    part("settings", a.Settings() == b.Settings());
    part("timers", a.Timers() == b.Timers());
    part("session-ttl", a.GetSessionTtl() == b.GetSessionTtl());
    part("epoch", a.SimEpoch() == b.SimEpoch());
    part("interfaces", a.Interfaces() == b.Interfaces());
    part("session-helpers", a.SessionHelpers() == b.SessionHelpers());
    part("addresses", a.Addresses() == b.Addresses());
    part("addrgrps", a.AddressGroups() == b.AddressGroups());
    part("services", a.Services() == b.Services());
    part("service groups", a.ServiceGroups() == b.ServiceGroups());
    part("schedules", a.Schedules() == b.Schedules());
    part("ippools", a.IpPools() == b.IpPools());
    part("vips", a.Vips() == b.Vips());
    part("voip profiles", a.VoipProfiles() == b.VoipProfiles());
    part("policies", a.Policies() == b.Policies());
    part("static routes", a.StaticRoutes() == b.StaticRoutes());
    return d.empty() ? "no visible difference" : "differs in: " + d;
}

/// Builds random valid configurations through the C++ API (every object checked by the model;
/// rejected ones are skipped).
class Generator
{
  public:
    explicit Generator(uint32_t seed)
        : m_rng(seed)
    {
    }

    FortiGateConfig Make(bool deleteDefaults)
    {
        FortiGateConfig c;
        Try([&] { c.SetTimers(RandomTimers(c)); });
        Try([&] { c.SetSettings(RandomSettings()); });
        const int nIf = Int(1, 6);
        for (int i = 0; i < nIf; ++i)
        {
            InterfaceConfig f;
            f.name =
                i == 0 ? "wan1"
                       : (Int(0, 4) == 0 ? "dmz " + std::to_string(i) : "port" + std::to_string(i));
            f.mask = PrefixLengthToMask(static_cast<uint8_t>(Int(8, 30)));
            f.ip = Ip() & ~1u;
            f.alias = Pick({"", "LAN", "Wi-Fi \"guest\"", "back\\slash", "x y"});
            f.role = Pick({"lan", "wan", "dmz", "undefined"});
            for (const std::string a : {"ping", "https", "ssh", "http", "snmp"})
            {
                if (Int(0, 2) == 0)
                {
                    f.allowaccess.push_back(a);
                }
            }
            Try([&] { c.AddInterface(f); });
        }
        SessionTtl ttl = c.GetSessionTtl();
        ttl.defaultTtl = static_cast<uint32_t>(Int(300, 604800));
        for (int i = Int(0, 3); i > 0; --i)
        {
            SessionTtlPort p;
            p.id = static_cast<uint32_t>(Int(1, 50));
            p.protocol = static_cast<uint8_t>(Pick<int>({6, 17, 132, 47}));
            p.startPort = static_cast<uint16_t>(Int(1, 60000));
            p.endPort = static_cast<uint16_t>(p.startPort + Int(0, 100));
            p.timeout = static_cast<uint32_t>(Int(1, 604800));
            p.refreshDirection = Pick({"both", "outgoing", "incoming"});
            auto copy = ttl;
            copy.ports.push_back(p);
            Try([&] {
                c.SetSessionTtl(copy);
                ttl = c.GetSessionTtl();
            });
        }
        if (deleteDefaults)
        {
            for (uint32_t id : {13u, 19u, 20u, 7u})
            {
                if (Int(0, 1))
                {
                    c.DeleteSessionHelper(id);
                }
            }
            for (const std::string s : {"GOPHER", "QUAKE", "HTTP"})
            {
                if (Int(0, 1))
                {
                    c.DeleteService(s);
                }
            }
        }
        for (int i = Int(0, 3); i > 0; --i)
        {
            SessionHelperEntry e;
            e.name = Pick(SessionHelperNames());
            e.protocol = static_cast<uint8_t>(Pick<int>({6, 17}));
            e.port = static_cast<uint16_t>(Int(1, 65535));
            Try([&] { c.AddSessionHelper(e); });
        }
        if (Int(0, 1))
        {
            auto e = *c.FindSessionHelper(11);
            e.port = static_cast<uint16_t>(Int(1, 65535));
            c.SetSessionHelper(e);
        }
        std::vector<std::string> addrs{"all"};
        for (int i = Int(0, 6); i > 0; --i)
        {
            const std::string name = Name("addr");
            FirewallAddress a =
                Int(0, 1)
                    ? FirewallAddress::Subnet(name,
                                              Ip(),
                                              PrefixLengthToMask(static_cast<uint8_t>(Int(0, 32))))
                    : FirewallAddress::Range(name,
                                             0x0a000000u + Int(0, 100),
                                             0x0a000000u + Int(100, 200));
            a.comment = Pick({"", "web servers", "a \"quoted\" one"});
            if (Try([&] { c.AddAddress(a); }))
            {
                addrs.push_back(name);
            }
        }
        for (int i = Int(0, 3); i > 0; --i)
        {
            AddressGroup g;
            g.name = Name("grp");
            g.members = Some(addrs, 1);
            if (Try([&] { c.AddAddressGroup(g); }))
            {
                addrs.push_back(g.name);
            }
        }
        std::vector<std::string> svcs;
        for (const auto& s : c.Services())
        {
            svcs.push_back(s.name);
        }
        for (int i = Int(0, 5); i > 0; --i)
        {
            FirewallService s;
            s.name = Name("svc");
            const int kind = Int(0, 2);
            if (kind == 0)
            {
                s.protocol = FirewallService::TCP_UDP_SCTP;
                for (auto* v : {&s.tcp, &s.udp, &s.sctp})
                {
                    for (int k = Int(0, 2); k > 0; --k)
                    {
                        PortRange r;
                        r.dstLo = static_cast<uint16_t>(Int(1, 60000));
                        r.dstHi = static_cast<uint16_t>(r.dstLo + Int(0, 10));
                        if (Int(0, 1))
                        {
                            r.srcLo = static_cast<uint16_t>(Int(0, 1024));
                            r.srcHi = static_cast<uint16_t>(r.srcLo + Int(0, 60000));
                        }
                        v->push_back(r);
                    }
                }
                if (s.tcp.empty() && s.udp.empty() && s.sctp.empty())
                {
                    s.udp.push_back(ParsePortRange("5060"));
                }
                s.udpIdleTimer = static_cast<uint32_t>(Pick<int>({0, 0, 600}));
                s.tcpTimewaitTimer = static_cast<uint32_t>(Pick<int>({0, 0, 30}));
            }
            else if (kind == 1)
            {
                s.protocol = FirewallService::ICMP;
                s.icmpType = Pick<int>({-1, 0, 8});
                s.icmpCode = s.icmpType < 0 ? -1 : Pick<int>({-1, 0, 3});
            }
            else
            {
                s.protocol = FirewallService::IP;
                s.protocolNumber = static_cast<uint8_t>(Int(0, 254));
            }
            s.sessionTtl = static_cast<uint32_t>(Pick<int>({0, 0, 300, 7200}));
            s.category = Pick({"", "VoIP, Messaging & Other Applications"});
            s.comment = Pick({"", "custom"});
            if (Try([&] { c.AddService(s); }))
            {
                svcs.push_back(s.name);
            }
        }
        for (int i = Int(0, 2); i > 0; --i)
        {
            ServiceGroup g;
            g.name = Name("sgrp");
            g.members = Some(svcs, 1);
            if (Try([&] { c.AddServiceGroup(g); }))
            {
                svcs.push_back(g.name);
            }
        }
        std::vector<std::string> scheds{"always"};
        for (int i = Int(0, 3); i > 0; --i)
        {
            FirewallSchedule s;
            s.name = Name("sched");
            if (Int(0, 1))
            {
                s.kind = FirewallSchedule::RECURRING;
                s.dayMask = static_cast<uint8_t>(Int(0, 127));
                s.startMinute = static_cast<uint16_t>(Int(0, 1439));
                s.endMinute = static_cast<uint16_t>(Int(0, 1439));
            }
            else
            {
                s.kind = FirewallSchedule::ONETIME;
                s.startTime = FortiGateConfig::DEFAULT_SIM_EPOCH + 60 * Int(0, 100000);
                s.endTime = s.startTime + 60 * Int(0, 100000);
            }
            if (Try([&] { c.AddSchedule(s); }))
            {
                scheds.push_back(s.name);
            }
        }
        std::vector<std::string> pools;
        for (int i = Int(0, 3); i > 0; --i)
        {
            IpPoolConfig p;
            p.name = Name("pool");
            p.type = static_cast<IpPoolConfig::Type>(Int(0, 3));
            p.startip = 0xcb007100u + static_cast<uint32_t>(i * 16);
            p.endip = p.startip + static_cast<uint32_t>(Int(0, 15));
            if (p.type == IpPoolConfig::FIXED_PORT_RANGE)
            {
                p.sourceStartip = 0x0a000100u;
                p.sourceEndip = p.sourceStartip + static_cast<uint32_t>(Int(0, 50));
            }
            if (p.type == IpPoolConfig::PORT_BLOCK_ALLOCATION)
            {
                p.blockSize = static_cast<uint32_t>(64 * Int(1, 8));
                p.numBlocksPerUser = static_cast<uint32_t>(Int(1, 128));
            }
            p.arpReply = Int(0, 1);
            p.comments = Pick({"", "nat pool"});
            if (Try([&] { c.AddIpPool(p); }))
            {
                pools.push_back(p.name);
            }
        }
        std::vector<std::string> dst = addrs;
        for (int i = Int(0, 3); i > 0; --i)
        {
            VipConfig v;
            v.name = Name("vip");
            v.extipLo = 0xcb007150u + static_cast<uint32_t>(i * 4);
            v.extipHi = Int(0, 1) ? 0 : v.extipLo + 1;
            v.mappedipLo = 0x0a000a00u + static_cast<uint32_t>(i * 4);
            v.mappedipHi = v.extipHi ? v.mappedipLo + 1 : 0;
            v.extintf = Int(0, 1) ? "any" : c.Interfaces()[0].name;
            if (Int(0, 1))
            {
                v.portforward = true;
                v.protocol = static_cast<uint8_t>(Pick<int>({6, 17, 132}));
                v.extportLo = static_cast<uint16_t>(Int(1, 60000));
                v.mappedportLo = static_cast<uint16_t>(Int(1, 60000));
            }
            v.natSourceVip = Int(0, 1);
            v.comment = Pick({"", "web"});
            if (Try([&] { c.AddVip(v); }))
            {
                dst.push_back(v.name);
            }
        }
        std::vector<std::string> profiles{"default"};
        for (int i = Int(0, 2); i > 0; --i)
        {
            VoipProfileConfig p;
            p.name = Name("voip");
            p.sipStatus = Int(0, 1);
            p.featureSet = Pick({"voipd", "ips"});
            p.sip.rtp = Int(0, 1);
            p.sip.noSdpFixup = Int(0, 1);
            p.sip.natPortLow = static_cast<uint16_t>(Int(5117, 30000));
            p.sip.natPortHigh = static_cast<uint16_t>(Int(30000, 65533));
            p.sip.maxDialogs = static_cast<uint32_t>(Int(0, 1000));
            p.sip.method[static_cast<size_t>(Int(0, VOIP_METHOD_COUNT - 1))].block = true;
            auto& m = p.sip.method[static_cast<size_t>(Int(0, VOIP_METHOD_COUNT - 1))];
            m.rate = static_cast<uint32_t>(Int(0, 100));
            m.rateTrack = static_cast<VoipSipRateTrack>(Int(0, 2));
            p.sip.malformedHeader[static_cast<size_t>(Int(0, VOIP_HDR_COUNT - 1))] =
                static_cast<VoipSipAction>(Int(0, 2));
            if (Try([&] { c.AddVoipProfile(p); }))
            {
                profiles.push_back(p.name);
            }
        }
        std::vector<std::string> intfs{"any"};
        for (const auto& i : c.Interfaces())
        {
            intfs.push_back(i.name);
        }
        for (int i = Int(0, 8); i > 0; --i)
        {
            FirewallPolicy p;
            p.id = Int(0, 2) ? 0 : static_cast<uint32_t>(Int(1, 1000));
            p.name = Int(0, 1) ? Name("pol") : "";
            p.srcintf = Some(intfs, 1);
            p.dstintf = Some(intfs, 1);
            p.srcaddr = Some(addrs, 1);
            p.dstaddr = Some(dst, 1);
            p.service = Some(svcs, 1);
            p.schedule = Pick(scheds);
            p.action = Int(0, 1) ? FirewallPolicy::ACCEPT : FirewallPolicy::DENY;
            p.status = Int(0, 4) != 0;
            p.nat = Int(0, 1);
            if (p.nat && !pools.empty() && Int(0, 1))
            {
                p.ippool = true;
                p.poolname = Some(pools, 1);
            }
            p.logtraffic = Pick({"all", "utm", "disable"});
            p.voipProfile = Int(0, 1) ? Pick(profiles) : "";
            p.ipsVoipFilter = Int(0, 3) ? "" : Pick(profiles);
            p.utmStatus = Int(0, 1);
            p.comments = Pick({"", "allow it", "multi\nline"});
            Try([&] { c.AddPolicy(p); });
        }
        if (c.Policies().size() > 2)
        {
            const auto& ps = c.Policies();
            c.MovePolicy(ps.back().id, FortiGateConfig::BEFORE, ps.front().id);
        }
        for (int i = Int(0, 3); i > 0; --i)
        {
            StaticRoute r;
            r.mask = PrefixLengthToMask(static_cast<uint8_t>(Int(0, 32)));
            r.dst = Ip() & r.mask;
            r.gateway = Int(0, 3) ? Ip() : 0;
            r.device = c.Interfaces()[static_cast<size_t>(
                                          Int(0, static_cast<int>(c.Interfaces().size()) - 1))]
                           .name;
            r.distance = static_cast<uint32_t>(Int(1, 255));
            r.comment = Pick({"", "default via isp"});
            Try([&] { c.AddStaticRoute(r); });
        }
        return c;
    }

  private:
    int Int(int lo, int hi)
    {
        return std::uniform_int_distribution<int>(lo, hi)(m_rng);
    }

    uint32_t Ip()
    {
        return std::uniform_int_distribution<uint32_t>(0x01000000u, 0xdfffffffu)(m_rng);
    }

    template <class T>
    T Pick(const std::vector<T>& v)
    {
        return v[static_cast<size_t>(Int(0, static_cast<int>(v.size()) - 1))];
    }

    std::string Pick(std::initializer_list<const char*> v)
    {
        return Pick(std::vector<std::string>(v.begin(), v.end()));
    }

    std::vector<std::string> Some(const std::vector<std::string>& v, int atLeast)
    {
        std::vector<std::string> out;
        for (const auto& s : v)
        {
            if (Int(0, 3) == 0)
            {
                out.push_back(s);
            }
        }
        while (static_cast<int>(out.size()) < atLeast)
        {
            auto s = Pick(v);
            if (std::find(out.begin(), out.end(), s) == out.end())
            {
                out.push_back(s);
            }
        }
        return out;
    }

    std::string Name(const std::string& prefix)
    {
        static const std::vector<std::string> odd{"", " x", "-1", "_a", "\"q\"", "#h", "b\\s"};
        return prefix + std::to_string(++m_names) + Pick(odd);
    }

    TcpUdpTimers RandomTimers(const FortiGateConfig& c)
    {
        TcpUdpTimers t = c.Timers();
        t.tcpHalfclose = static_cast<uint32_t>(Int(1, 86400));
        t.tcpHalfopen = static_cast<uint32_t>(Int(1, 86400));
        t.tcpTimewait = static_cast<uint32_t>(Int(0, 300));
        t.tcpRst = static_cast<uint32_t>(Int(5, 300));
        t.udpIdle = static_cast<uint32_t>(Int(1, 86400));
        t.blockSession = static_cast<uint32_t>(Int(1, 300));
        return t;
    }

    SystemSettings RandomSettings()
    {
        SystemSettings s;
        s.defaultVoipAlgMode = Pick({"proxy-based", "kernel-helper-based"});
        s.sipTcpPort = {static_cast<uint16_t>(Int(1, 65535))};
        if (Int(0, 1))
        {
            s.sipUdpPort = {5060, static_cast<uint16_t>(Int(1, 65535))};
        }
        s.sipSslPort = static_cast<uint16_t>(Int(1, 65535));
        s.sipExpectation = Int(0, 1);
        s.sipNatTrace = Int(0, 1);
        s.snatHairpinTraffic = Int(0, 1);
        s.sesDeniedTraffic = Int(0, 1);
        s.centralNat = Int(0, 1);
        return s;
    }

    template <class F>
    bool Try(F f)
    {
        try
        {
            f();
            return true;
        }
        catch (const ConfigError&)
        {
            return false;
        }
    }

    std::mt19937 m_rng;
    int m_names{0};
};

} // namespace

TEST(FortiOsCliRoundTrip, LoadOfShowGivesTheSameConfiguration)
{
    FortiOsCli cli;
    size_t objects = 0;
    for (uint32_t seed = 1; seed <= 300; ++seed)
    {
        Generator g(seed);
        const FortiGateConfig c = g.Make(seed % 2 == 0);
        objects += c.Policies().size() + c.Addresses().size() + c.Interfaces().size();
        const std::string text = FortiOsCli::Show(c);
        FortiGateConfig back;
        auto r = cli.Load(back, text);
        ASSERT_TRUE(r.ok) << "seed " << seed << ": " << r.error << "\n" << text;
        ASSERT_TRUE(back == c) << "seed " << seed << " " << Diff(c, back) << "\n"
                               << text << "\n--- reloaded ---\n"
                               << FortiOsCli::Show(back);
        EXPECT_EQ(FortiOsCli::Show(back), text) << "seed " << seed;
        // show full-configuration loads back to the same configuration too
        FortiGateConfig full;
        r = cli.Load(full, FortiOsCli::Show(c, true));
        ASSERT_TRUE(r.ok) << "seed " << seed << ": " << r.error;
        EXPECT_TRUE(full == c) << "seed " << seed << " (full-configuration) " << Diff(c, full);
        if (seed % 2 == 1)
        {
            // nothing of the factory configuration was deleted: running show as an ordinary
            // batch on a factory configuration also rebuilds it
            FortiGateConfig incremental;
            r = cli.Execute(incremental, text);
            ASSERT_TRUE(r.ok) << "seed " << seed << ": " << r.error;
            EXPECT_TRUE(incremental == c)
                << "seed " << seed << " (incremental) " << Diff(c, incremental);
        }
    }
    EXPECT_GT(objects, 3000u); // the generator really builds non-trivial configurations
}

TEST(FortiOsCliRoundTrip, LoadReplacesConfiguredTablesOnly)
{
    FortiGateConfig c;
    c.SetSimEpoch(1000);
    auto r = FortiOsCli().Load(c,
                               "config system session-helper\nedit 13\nset name sip\n"
                               "set protocol 17\nset port 5060\nnext\nend\n");
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(c.SessionHelpers().size(), 1u);
    EXPECT_EQ(c.SessionHelpers()[0].id, 13u);
    EXPECT_EQ(c.Services().size(), FortiGateConfig().Services().size()); // untouched table
    EXPECT_EQ(c.SimEpoch(), 1000);
}

// ---- sample configurations and the offline checker ----------------------------------------------

namespace
{

std::string
ReadText(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Run a shell command; \return its exit status and (through \p out) stdout+stderr.
int
RunTool(const std::string& cmd, std::string& out)
{
    out.clear();
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p)
    {
        return -1;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
    {
        out.append(buf, n);
    }
    const int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST(FortiOsCliExamples, EverySampleConfigurationLoadsAndRoundTrips)
{
    namespace fs = std::filesystem;
    size_t n = 0;
    for (const auto& e :
         fs::directory_iterator(std::string(FORTIGATE_SOURCE_DIR) + "/examples/configs"))
    {
        if (e.path().extension() != ".conf")
        {
            continue;
        }
        ++n;
        SCOPED_TRACE(e.path().filename().string());
        FortiGateConfig c;
        Ok(c, ReadText(e.path().string()));
        EXPECT_FALSE(c == FortiGateConfig()) << "the sample changes nothing";
        FortiGateConfig back;
        auto r = FortiOsCli().Load(back, FortiOsCli::Show(c));
        EXPECT_TRUE(r.ok) << r.error;
        EXPECT_TRUE(back == c);
    }
    EXPECT_GE(n, 6u);
    // two documented effects
    FortiGateConfig pbx;
    Ok(pbx, ReadText(std::string(FORTIGATE_SOURCE_DIR) + "/examples/configs/sip-alg-pbx.conf"));
    EXPECT_TRUE(pbx.FindVoipProfile("strict-sip")->sip.noSdpFixup);
    EXPECT_EQ(pbx.Settings().sipUdpPort, (std::vector<uint16_t>{5060, 5080}));
    EXPECT_EQ(pbx.GetSessionTtl().TtlFor(17, 5070), 3600u);
    FortiGateConfig helpers;
    Ok(helpers,
       ReadText(std::string(FORTIGATE_SOURCE_DIR) + "/examples/configs/session-helpers.conf"));
    EXPECT_EQ(helpers.FindSessionHelper(19), nullptr);
    EXPECT_EQ(helpers.FindHelperEntry(6, 6677)->name, "rtsp");
    EXPECT_EQ(helpers.FindHelperEntry(17, 112)->name, "pmap");
}

TEST(FortiOsCliTool, PrintsShowOrErrorsWithLineNumbers)
{
    const std::string tool = std::string(FORTIGATE_BINARY_DIR) + "/utils/fgsim-cli";
    ASSERT_TRUE(std::filesystem::exists(tool)) << tool;
    const std::string dir = ::testing::TempDir();
    const std::string good = dir + "/fgsim-cli-good.conf";
    const std::string bad = dir + "/fgsim-cli-bad.conf";
    std::ofstream(good) << "config system settings\n    set sip-udp-port 5060 5065\nend\n";
    std::ofstream(bad) << "config firewall policy\n    edit 1\n        set srcintf \"port9\"\n"
                          "    next\nend\n";
    std::string out;
    EXPECT_EQ(RunTool(tool + " " + good, out), 0) << out;
    EXPECT_NE(out.find("config system settings\n    set sip-udp-port 5060 5065\nend\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("config system session-helper\n    edit 1\n"), std::string::npos);
    EXPECT_EQ(RunTool(tool + " " + bad, out), 1) << out;
    EXPECT_EQ(out,
              bad +
                  ": line 3: entry not found in datasource\nvalue parse error before 'port9'\n"
                  "srcintf: 'port9' does not exist\nCommand fail. Return code -3\n" +
                  bad + ": configuration rejected (nothing from this file was applied)\n");
    EXPECT_EQ(RunTool(tool + " --full " + good, out), 0) << out;
    EXPECT_NE(out.find("    set tcp-halfclose-timer 120\n"), std::string::npos);
    std::remove(good.c_str());
    std::remove(bad.c_str());
}
