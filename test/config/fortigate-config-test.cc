/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the FortiGate configuration model: defaults, validation (exact messages, no
 * change on error), references and deletion rules, parsers, schedules in simulated time.
 */
#include "ns3/flow-tuple.h"
#include "ns3/fortigate-config.h"
#include "ns3/text-util.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;

namespace
{

uint32_t
Ip(const char* text)
{
    uint32_t a = 0;
    EXPECT_TRUE(ParseIpv4(text, a)) << text;
    return a;
}

/// Expect \p fn to throw ConfigError with exactly \p msg and leave \p cfg unchanged.
template <typename Fn>
void
ExpectRejected(FortiGateConfig& cfg, const std::string& msg, Fn fn)
{
    const FortiGateConfig before = cfg;
    const uint64_t version = cfg.Version();
    try
    {
        fn();
        ADD_FAILURE() << "no ConfigError, expected: " << msg;
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(std::string(e.what()), msg);
    }
    EXPECT_TRUE(cfg == before) << "configuration changed by a rejected call: " << msg;
    EXPECT_EQ(cfg.Version(), version) << msg;
}

/// Expect \p fn to throw ConfigError with exactly \p msg.
template <typename Fn>
void
ExpectError(const std::string& msg, Fn fn)
{
    try
    {
        fn();
        ADD_FAILURE() << "no ConfigError, expected: " << msg;
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(std::string(e.what()), msg);
    }
}

InterfaceConfig
Intf(const std::string& name, const char* ip, const char* mask, const std::string& role = "lan")
{
    InterfaceConfig i;
    i.name = name;
    i.ip = Ip(ip);
    i.mask = Ip(mask);
    i.role = role;
    i.allowaccess = {"ping"};
    return i;
}

FirewallPolicy
Policy(uint32_t id,
       const std::string& src = "all",
       const std::string& dst = "all",
       const std::string& svc = "ALL")
{
    FirewallPolicy p;
    p.id = id;
    p.srcintf = {"port1"};
    p.dstintf = {"port2"};
    p.srcaddr = {src};
    p.dstaddr = {dst};
    p.service = {svc};
    p.action = FirewallPolicy::ACCEPT;
    return p;
}

/// Two interfaces, a few objects.
FortiGateConfig
BaseConfig()
{
    FortiGateConfig c;
    c.AddInterface(Intf("port1", "10.0.1.1", "255.255.255.0"));
    c.AddInterface(Intf("port2", "203.0.113.1", "255.255.255.0", "wan"));
    c.AddAddress(FirewallAddress::FromSubnet("lan-net", "10.0.1.0/24"));
    c.AddAddress(FirewallAddress::FromRange("srv-range", "198.51.100.10", "198.51.100.20"));
    return c;
}

IpPoolConfig
Pool(const std::string& name, const char* lo, const char* hi)
{
    IpPoolConfig p;
    p.name = name;
    p.startip = Ip(lo);
    p.endip = Ip(hi);
    return p;
}

VipConfig
Vip(const std::string& name, const char* ext, const char* mapped)
{
    VipConfig v;
    v.name = name;
    v.extipLo = Ip(ext);
    v.mappedipLo = Ip(mapped);
    v.extintf = "port2";
    return v;
}

} // namespace

// ---- defaults -----------------------------------------------------------------------------

TEST(TextUtilTest, DecimalsAndAsciiCase)
{
    uint64_t v = 7;
    EXPECT_TRUE(ParseDecimal("0", 10, v));
    EXPECT_EQ(v, 0u);
    EXPECT_TRUE(ParseDecimal("65535", 65535, v));
    EXPECT_EQ(v, 65535u);
    for (const char* bad :
         {"", "65536", "+1", "-1", " 1", "1 ", "1a", "0x10", "99999999999999999999"})
    {
        v = 7;
        EXPECT_FALSE(ParseDecimal(bad, 65535, v)) << bad;
        EXPECT_EQ(v, 7u) << bad;
    }
    EXPECT_TRUE(AsciiIEquals("Content-Length", "content-LENGTH"));
    EXPECT_FALSE(AsciiIEquals("Via", "Vias"));
    EXPECT_FALSE(AsciiIEquals("[", "{")); // only letters fold
    EXPECT_EQ(AsciiLowerCopy("SIP/2.0 Ok-\xC9"), "sip/2.0 ok-\xC9");
}

TEST(FortiGateConfigTest, DefaultSessionHelperTable)
{
    FortiGateConfig c;
    const auto& h = c.SessionHelpers();
    ASSERT_EQ(h.size(), 20u);
    EXPECT_EQ(h, DefaultSessionHelpers());

    const struct
    {
        uint32_t id;
        const char* name;
        uint8_t proto;
        uint16_t port;
    } expected[] = {{1, "pptp", 6, 1723},   {2, "h323", 6, 1720},    {3, "ras", 17, 1719},
                    {4, "tns", 6, 1521},    {5, "tftp", 17, 69},     {6, "rtsp", 6, 554},
                    {7, "rtsp", 6, 7070},   {8, "rtsp", 6, 8554},    {9, "ftp", 6, 21},
                    {10, "mms", 6, 1863},   {11, "pmap", 6, 111},    {12, "pmap", 17, 111},
                    {13, "sip", 17, 5060},  {14, "dns-udp", 17, 53}, {15, "rsh", 6, 514},
                    {16, "rsh", 6, 512},    {17, "dcerpc", 6, 135},  {18, "dcerpc", 17, 135},
                    {19, "mgcp", 17, 2427}, {20, "mgcp", 17, 2727}};

    for (size_t i = 0; i < 20; ++i)
    {
        EXPECT_EQ(h[i].id, expected[i].id);
        EXPECT_EQ(h[i].name, expected[i].name);
        EXPECT_EQ(h[i].protocol, expected[i].proto);
        EXPECT_EQ(h[i].port, expected[i].port);
    }
    ASSERT_NE(c.FindHelperEntry(17, 5060), nullptr);
    EXPECT_EQ(c.FindHelperEntry(17, 5060)->name, "sip");
    EXPECT_EQ(c.FindHelperEntry(6, 7070)->id, 7u);
    EXPECT_EQ(c.FindHelperEntry(6, 5060), nullptr); // sip default is UDP only
    EXPECT_EQ(c.FindHelperEntry(17, 1723), nullptr);
    EXPECT_EQ(SessionHelperNames().size(), 17u);
    EXPECT_TRUE(IsValidSessionHelperName("dns-tcp"));
    EXPECT_TRUE(IsValidSessionHelperName("h245I"));
    EXPECT_FALSE(IsValidSessionHelperName("http"));
}

TEST(FortiGateConfigTest, DefaultObjects)
{
    FortiGateConfig c;
    EXPECT_EQ(c.Version(), 0u);
    EXPECT_NO_THROW(c.Validate());

    const FirewallAddress* all = c.FindAddress("all");
    ASSERT_NE(all, nullptr);
    EXPECT_EQ(all->start, 0u);
    EXPECT_EQ(all->end, 0xffffffffu);
    EXPECT_TRUE(c.AddressMatches("all", Ip("8.8.8.8")));

    const FirewallSchedule* always = c.FindSchedule("always");
    ASSERT_NE(always, nullptr);
    EXPECT_TRUE(always->IsAlways());
    EXPECT_EQ(always->dayMask, 0x7f);

    ASSERT_NE(c.FindVoipProfile("default"), nullptr);
    EXPECT_TRUE(c.FindVoipProfile("default")->sipStatus);

    EXPECT_EQ(c.Settings().defaultVoipAlgMode, "proxy-based");
    EXPECT_EQ(c.Settings().sipUdpPort, std::vector<uint16_t>{5060});
    EXPECT_EQ(c.Settings().sipSslPort, 5061);
    EXPECT_FALSE(c.Settings().sipExpectation);
    EXPECT_TRUE(c.Settings().sipNatTrace);
    EXPECT_TRUE(c.Settings().snatHairpinTraffic);
    EXPECT_FALSE(c.Settings().sesDeniedTraffic);
    EXPECT_FALSE(c.Settings().centralNat);
    EXPECT_EQ(c.Timers().tcpHalfclose, 120u);
    EXPECT_EQ(c.Timers().udpIdle, 180u);
    EXPECT_EQ(c.Timers().sessionTtl, 3600u);
    EXPECT_EQ(c.GetSessionTtl().defaultTtl, 3600u);
    EXPECT_EQ(c.SimEpoch(), CivilToUnixSeconds(2026, 1, 5));
    EXPECT_TRUE(c.Policies().empty());
    EXPECT_TRUE(c.Interfaces().empty());
}

TEST(FortiGateConfigTest, PredefinedServices)
{
    FortiGateConfig c;
    auto svc = [&](const char* n) {
        const FirewallService* s = c.FindService(n);
        EXPECT_NE(s, nullptr) << n;
        if (s)
        {
            EXPECT_TRUE(s->predefined) << n;
        }
        return s;
    };
    ASSERT_NE(svc("ALL"), nullptr);
    EXPECT_EQ(svc("ALL")->protocol, FirewallService::IP);
    EXPECT_EQ(svc("ALL")->protocolNumber, 0);
    EXPECT_TRUE(c.ServiceMatches("ALL", 47, 0, 0));
    EXPECT_TRUE(c.ServiceMatches("ALL_TCP", 6, 1234, 65535));
    EXPECT_FALSE(c.ServiceMatches("ALL_TCP", 17, 1234, 53));
    EXPECT_TRUE(c.ServiceMatches("ALL_UDP", 17, 1234, 53));
    EXPECT_TRUE(c.ServiceMatches("ALL_ICMP", 1, 0, 0, 0));
    EXPECT_TRUE(c.ServiceMatches("PING", 1, 0, 0, 8));
    EXPECT_FALSE(c.ServiceMatches("PING", 1, 0, 0, 0));
    EXPECT_TRUE(c.ServiceMatches("HTTP", 6, 40000, 80));
    EXPECT_FALSE(c.ServiceMatches("HTTP", 6, 40000, 8080));
    EXPECT_TRUE(c.ServiceMatches("HTTPS", 6, 40000, 443));
    EXPECT_TRUE(c.ServiceMatches("DNS", 6, 40000, 53));
    EXPECT_TRUE(c.ServiceMatches("DNS", 17, 40000, 53));
    EXPECT_TRUE(c.ServiceMatches("FTP", 6, 40000, 21));
    EXPECT_TRUE(c.ServiceMatches("SIP", 17, 5060, 5060));
    EXPECT_FALSE(c.ServiceMatches("SIP", 6, 5060, 5060));
    EXPECT_TRUE(c.ServiceMatches("PPTP", 6, 1, 1723));
    for (uint16_t p : {554, 7070, 8554})
    {
        EXPECT_TRUE(c.ServiceMatches("RTSP", 6, 1, p)) << p;
    }
    EXPECT_TRUE(c.ServiceMatches("TFTP", 17, 1, 69));
    EXPECT_TRUE(c.ServiceMatches("H323", 6, 1, 1720));
    EXPECT_TRUE(c.ServiceMatches("H323", 6, 1, 1503));
    EXPECT_TRUE(c.ServiceMatches("H323", 17, 1, 1719));
    EXPECT_TRUE(c.ServiceMatches("MGCP", 17, 1, 2427));
    EXPECT_TRUE(c.ServiceMatches("MGCP", 17, 1, 2727));
    EXPECT_TRUE(c.ServiceMatches("SSH", 6, 1, 22));
    EXPECT_TRUE(c.ServiceMatches("TELNET", 6, 1, 23));
    EXPECT_TRUE(c.ServiceMatches("SMTP", 6, 1, 25));
    EXPECT_TRUE(c.ServiceMatches("NTP", 17, 123, 123));
    EXPECT_TRUE(c.ServiceMatches("NTP", 6, 1, 123));
    EXPECT_TRUE(c.ServiceMatches("SNMP", 17, 1, 162));
    EXPECT_TRUE(c.ServiceMatches("IMAP", 6, 1, 143));
    EXPECT_TRUE(c.ServiceMatches("POP3", 6, 1, 110));
    EXPECT_TRUE(c.ServiceMatches("SAMBA", 6, 1, 139));
    EXPECT_TRUE(c.ServiceMatches("RDP", 6, 1, 3389));
    EXPECT_TRUE(c.ServiceMatches("GRE", 47, 0, 0));
    // RLOGIN restricts source ports 512-1023.
    EXPECT_TRUE(c.ServiceMatches("RLOGIN", 6, 1000, 513));
    EXPECT_FALSE(c.ServiceMatches("RLOGIN", 6, 40000, 513));
    EXPECT_FALSE(c.ServiceMatches("NO-SUCH", 6, 1, 80));
}

// ---- session helpers ----------------------------------------------------------------------

TEST(FortiGateConfigTest, SessionHelperEdits)
{
    FortiGateConfig c;
    EXPECT_EQ(c.AddSessionHelper({0, "sip", 17, 5070}), 21u);
    EXPECT_EQ(c.Version(), 1u);
    EXPECT_EQ(c.FindHelperEntry(17, 5070)->id, 21u);

    ExpectRejected(c, "system session-helper 22: name: invalid value 'http'", [&] {
        c.AddSessionHelper({22, "http", 6, 80});
    });
    ExpectRejected(c, "system session-helper 22: port: 0 is out of range (1..65535)", [&] {
        c.AddSessionHelper({22, "ftp", 6, 0});
    });
    ExpectRejected(c, "system session-helper 9: id: already exists", [&] {
        c.AddSessionHelper({9, "ftp", 6, 2121});
    });
    ExpectRejected(c, "system session-helper 99 does not exist", [&] {
        c.DeleteSessionHelper(99);
    });
    ExpectRejected(c, "system session-helper 99 does not exist", [&] {
        c.SetSessionHelper({99, "ftp", 6, 21});
    });

    // Several entries may match: the first by id wins; deleting it exposes the next.
    c.AddSessionHelper({30, "sip", 17, 5060});
    EXPECT_EQ(c.FindHelperEntry(17, 5060)->id, 13u);
    c.DeleteSessionHelper(13);
    EXPECT_EQ(c.FindHelperEntry(17, 5060)->id, 30u);
    c.DeleteSessionHelper(30);
    EXPECT_EQ(c.FindHelperEntry(17, 5060), nullptr);

    // Entries stay sorted by id; edit 0 uses the highest id + 1.
    c.AddSessionHelper({25, "ftp", 6, 2121});
    EXPECT_EQ(c.AddSessionHelper({0, "ftp", 6, 2122}), 26u); // 30 was deleted
    for (size_t i = 1; i < c.SessionHelpers().size(); ++i)
    {
        EXPECT_LT(c.SessionHelpers()[i - 1].id, c.SessionHelpers()[i].id);
    }
    c.SetSessionHelper({9, "ftp", 6, 2021});
    EXPECT_EQ(c.FindHelperEntry(6, 21), nullptr);
    EXPECT_EQ(c.FindHelperEntry(6, 2021)->id, 9u);
    EXPECT_NO_THROW(c.Validate());
}

// ---- settings, timers, session-ttl --------------------------------------------------------

TEST(FortiGateConfigTest, SettingsAndTimers)
{
    FortiGateConfig c;
    SystemSettings s = c.Settings();
    s.defaultVoipAlgMode = "flow";
    ExpectRejected(c,
                   "system settings: default-voip-alg-mode: invalid value 'flow' "
                   "(proxy-based|kernel-helper-based)",
                   [&] { c.SetSettings(s); });
    s.defaultVoipAlgMode = "kernel-helper-based";
    s.sipUdpPort = {5060, 5070, 5080};
    ExpectRejected(c, "system settings: sip-udp-port: needs one or two ports, got 3", [&] {
        c.SetSettings(s);
    });
    s.sipUdpPort = {5060, 5070};
    c.SetSettings(s);
    EXPECT_EQ(c.Settings().defaultVoipAlgMode, "kernel-helper-based");

    TcpUdpTimers t = c.Timers();
    t.tcpTimewait = 301;
    ExpectRejected(c, "system global: tcp-timewait-timer: 301 is out of range (0..300)", [&] {
        c.SetTimers(t);
    });
    t.tcpTimewait = 0;
    t.sessionTtl = 299;
    ExpectRejected(c, "system session-ttl: default: 299 is out of range (300..604800)", [&] {
        c.SetTimers(t);
    });
    t.sessionTtl = 7200;
    t.udpIdle = 60;
    c.SetTimers(t);
    EXPECT_EQ(c.Timers().udpIdle, 60u);
    EXPECT_EQ(c.GetSessionTtl().defaultTtl, 7200u); // kept in step
    EXPECT_NO_THROW(c.Validate());
}

TEST(FortiGateConfigTest, SessionTtlPorts)
{
    FortiGateConfig c;
    SessionTtlPort p;
    p.protocol = 17;
    p.startPort = 5060;
    p.endPort = 5061;
    p.timeout = 600;
    EXPECT_EQ(c.SetSessionTtlPort(p), 1u);
    p.protocol = 6;
    p.startPort = 1;
    p.endPort = 65535;
    p.timeout = 7200;
    EXPECT_EQ(c.SetSessionTtlPort(p), 2u);
    const SessionTtl& t = c.GetSessionTtl();
    EXPECT_EQ(t.TtlFor(17, 5061), 600u);
    EXPECT_EQ(t.TtlFor(17, 5062), 3600u);
    EXPECT_EQ(t.TtlFor(6, 80), 7200u);
    EXPECT_EQ(t.TtlFor(1, 0), 3600u);

    SessionTtlPort bad = p;
    bad.id = 3;
    bad.startPort = 100;
    bad.endPort = 90;
    ExpectRejected(c, "system session-ttl port 3: end-port: 90 is below start-port 100", [&] {
        c.SetSessionTtlPort(bad);
    });
    bad.endPort = 200;
    bad.refreshDirection = "sideways";
    ExpectRejected(c,
                   "system session-ttl port 3: refresh-direction: invalid value 'sideways' "
                   "(both|outgoing|incoming)",
                   [&] { c.SetSessionTtlPort(bad); });
    ExpectRejected(c, "system session-ttl port 9 does not exist", [&] {
        c.DeleteSessionTtlPort(9);
    });

    SessionTtl all = c.GetSessionTtl();
    all.defaultTtl = 100;
    ExpectRejected(c, "system session-ttl: default: 100 is out of range (300..604800)", [&] {
        c.SetSessionTtl(all);
    });
    all.defaultTtl = 900;
    c.SetSessionTtl(all);
    EXPECT_EQ(c.Timers().sessionTtl, 900u);
    EXPECT_EQ(c.GetSessionTtl().TtlFor(1, 0), 900u);
    c.DeleteSessionTtlPort(1);
    EXPECT_EQ(c.GetSessionTtl().TtlFor(17, 5060), 900u);
    EXPECT_NO_THROW(c.Validate());
}

// ---- interfaces ---------------------------------------------------------------------------

TEST(FortiGateConfigTest, Interfaces)
{
    FortiGateConfig c;
    EXPECT_EQ(c.AddInterface(Intf("port1", "10.0.1.1", "255.255.255.0")), 0);
    EXPECT_EQ(c.AddInterface(Intf("port2", "203.0.113.1", "255.255.255.0", "wan")), 1);
    EXPECT_EQ(c.FindInterface("port2"), 1);
    EXPECT_EQ(c.FindInterface("port3"), -1);

    ExpectRejected(c, "system interface \"port1\": name: already exists", [&] {
        c.AddInterface(Intf("port1", "10.0.9.1", "255.255.255.0"));
    });
    ExpectRejected(c, "system interface \"port3\": ip: mask 255.0.255.0 is not contiguous", [&] {
        c.AddInterface(Intf("port3", "10.0.9.1", "255.0.255.0"));
    });
    ExpectRejected(c,
                   "system interface \"port3\": role: invalid value 'core' (lan|wan|dmz|undefined)",
                   [&] { c.AddInterface(Intf("port3", "10.0.9.1", "255.255.255.0", "core")); });
    ExpectRejected(c, "system interface \"any\": name: \"any\" is reserved", [&] {
        c.AddInterface(Intf("any", "10.0.9.1", "255.255.255.0"));
    });
    InterfaceConfig bad = Intf("port3", "10.0.9.1", "255.255.255.0");
    bad.allowaccess = {"ping", "rdp"};
    ExpectRejected(c, "system interface \"port3\": allowaccess: invalid value 'rdp'", [&] {
        c.AddInterface(bad);
    });
    ExpectRejected(
        c,
        "system interface \"a-very-long-interface\": name: longer than 15 characters",
        [&] { c.AddInterface(Intf("a-very-long-interface", "10.0.9.1", "255.255.255.0")); });

    c.AddAddress(FirewallAddress::FromSubnet("x", "10.0.1.0/24"));
    c.AddPolicy(Policy(3));
    ExpectRejected(c, "system interface \"port1\" is used by firewall policy 3", [&] {
        c.DeleteInterface("port1");
    });
    c.AddInterface(Intf("port3", "10.0.3.1", "255.255.255.0"));
    c.DeleteInterface("port3");
    EXPECT_EQ(c.FindInterface("port3"), -1);
    InterfaceConfig changed = Intf("port1", "10.0.1.254", "255.255.255.0");
    c.SetInterface(changed);
    EXPECT_EQ(c.FindInterfaceConfig("port1")->ip, Ip("10.0.1.254"));
    EXPECT_EQ(c.FindInterface("port1"), 0); // index kept
}

// ---- addresses ----------------------------------------------------------------------------

TEST(FortiGateConfigTest, AddressParsing)
{
    FirewallAddress a = FirewallAddress::FromSubnet("n", "10.1.2.3/24");
    EXPECT_EQ(a.type, FirewallAddress::IPMASK);
    EXPECT_EQ(a.start, Ip("10.1.2.0"));
    EXPECT_EQ(a.end, Ip("10.1.2.255"));
    EXPECT_EQ(a.mask, Ip("255.255.255.0"));
    a = FirewallAddress::FromSubnet("n", "192.168.0.0 255.255.0.0");
    EXPECT_EQ(a.end, Ip("192.168.255.255"));
    a = FirewallAddress::FromSubnet("h", "192.0.2.7");
    EXPECT_EQ(a.start, a.end);
    EXPECT_EQ(a.mask, 0xffffffffu);
    a = FirewallAddress::FromRange("r", "10.0.0.5", "10.0.0.9");
    EXPECT_EQ(a.type, FirewallAddress::IPRANGE);
    EXPECT_TRUE(a.Contains(Ip("10.0.0.9")));
    EXPECT_FALSE(a.Contains(Ip("10.0.0.10")));

    ExpectError("firewall address \"x\": subnet: malformed address '10.0.0.300/24'",
                [] { FirewallAddress::FromSubnet("x", "10.0.0.300/24"); });
    ExpectError("firewall address \"x\": subnet: malformed address '10.0.0.0/33'",
                [] { FirewallAddress::FromSubnet("x", "10.0.0.0/33"); });
    ExpectError("firewall address \"x\": subnet: malformed address '10.0.0.0 255.0.255.0'",
                [] { FirewallAddress::FromSubnet("x", "10.0.0.0 255.0.255.0"); });
    ExpectError("firewall address \"x\": start-ip: malformed address '1.2.3'",
                [] { FirewallAddress::FromRange("x", "1.2.3", "1.2.3.4"); });
    ExpectError("firewall address \"x\": subnet: mask 255.0.255.0 is not contiguous",
                [] { FirewallAddress::Subnet("x", 0, Ip("255.0.255.0")); });
    EXPECT_EQ(MaskPrefixLength(Ip("255.255.240.0")), 20);
    EXPECT_EQ(PrefixLengthToMask(20), Ip("255.255.240.0"));
    EXPECT_EQ(PrefixLengthToMask(0), 0u);
    EXPECT_EQ(PrefixLengthToMask(32), 0xffffffffu);
}

TEST(FortiGateConfigTest, AddressValidationAndDeletion)
{
    FortiGateConfig c = BaseConfig();
    ExpectRejected(
        c,
        "firewall address \"lan-net\": name: already used by firewall address \"lan-net\"",
        [&] { c.AddAddress(FirewallAddress::FromSubnet("lan-net", "10.9.0.0/16")); });
    ExpectRejected(c, "firewall address \"r\": end-ip: 10.0.0.1 is below start-ip 10.0.0.5", [&] {
        c.AddAddress(FirewallAddress::FromRange("r", "10.0.0.5", "10.0.0.1"));
    });
    FirewallAddress inconsistent = FirewallAddress::FromSubnet("bad", "10.0.0.0/24");
    inconsistent.start = Ip("10.0.0.1");
    ExpectRejected(c,
                   "firewall address \"bad\": subnet: range 10.0.0.1-10.0.0.255 does not match "
                   "mask 255.255.255.0",
                   [&] { c.AddAddress(inconsistent); });
    ExpectRejected(c, "firewall address \"\": name: must be set", [&] {
        c.AddAddress(FirewallAddress::FromSubnet("", "10.0.0.0/24"));
    });
    ExpectRejected(c, "firewall address \"all\": predefined address cannot be deleted", [&] {
        c.DeleteAddress("all");
    });
    ExpectRejected(c, "firewall address \"nope\" does not exist", [&] { c.DeleteAddress("nope"); });

    c.AddAddressGroup({"grp", {"lan-net"}, ""});
    ExpectRejected(c, "firewall address \"lan-net\" is used by firewall addrgrp \"grp\"", [&] {
        c.DeleteAddress("lan-net");
    });
    c.AddPolicy(Policy(3, "all", "srv-range"));
    ExpectRejected(c, "firewall address \"srv-range\" is used by firewall policy 3", [&] {
        c.DeleteAddress("srv-range");
    });
    ExpectRejected(c,
                   "firewall addrgrp \"grp\": name: already used by firewall addrgrp \"grp\"",
                   [&] {
                       c.AddAddressGroup({"grp", {"all"}, ""});
                   });
    ExpectRejected(c,
                   "firewall address \"grp\": name: already used by firewall addrgrp \"grp\"",
                   [&] { c.AddAddress(FirewallAddress::FromSubnet("grp", "10.0.0.0/8")); });

    // Changing an address keeps references.
    c.SetAddress(FirewallAddress::FromSubnet("srv-range", "198.51.100.0/24"));
    EXPECT_TRUE(c.AddressMatches("srv-range", Ip("198.51.100.200")));
    c.DeletePolicy(3);
    c.DeleteAddress("srv-range");
    EXPECT_EQ(c.FindAddress("srv-range"), nullptr);
    EXPECT_NE(c.FindAddress("lan-net"), nullptr); // index rebuilt
    EXPECT_NO_THROW(c.Validate());
}

TEST(FortiGateConfigTest, AddressGroups)
{
    FortiGateConfig c = BaseConfig();
    c.AddAddress(FirewallAddress::FromSubnet("h1", "192.0.2.1/32"));
    c.AddAddressGroup({"inner", {"h1", "srv-range"}, ""});
    c.AddAddressGroup({"outer", {"inner", "lan-net"}, ""});
    EXPECT_TRUE(c.AddressMatches("outer", Ip("192.0.2.1")));
    EXPECT_TRUE(c.AddressMatches("outer", Ip("198.51.100.15")));
    EXPECT_TRUE(c.AddressMatches("outer", Ip("10.0.1.77")));
    EXPECT_FALSE(c.AddressMatches("outer", Ip("192.0.2.2")));
    EXPECT_FALSE(c.AddressMatches("inner", Ip("10.0.1.77")));
    const Ipv4RangeList r = c.AddressRanges("outer");
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0], std::make_pair(Ip("10.0.1.0"), Ip("10.0.1.255")));
    EXPECT_EQ(r[1], std::make_pair(Ip("192.0.2.1"), Ip("192.0.2.1")));
    EXPECT_EQ(r[2], std::make_pair(Ip("198.51.100.10"), Ip("198.51.100.20")));

    ExpectRejected(c, "firewall addrgrp \"g\": member: address \"ghost\" does not exist", [&] {
        c.AddAddressGroup({"g", {"lan-net", "ghost"}, ""});
    });
    ExpectRejected(c, "firewall addrgrp \"g\": member: must be set", [&] {
        c.AddAddressGroup({"g", {}, ""});
    });
    ExpectRejected(c,
                   "firewall addrgrp \"inner\": member: addrgrp \"outer\" would create a loop",
                   [&] {
                       c.SetAddressGroup({"inner", {"h1", "outer"}, ""});
                   });
    ExpectRejected(c, "firewall addrgrp \"inner\": member: a group cannot contain itself", [&] {
        c.SetAddressGroup({"inner", {"inner"}, ""});
    });
    ExpectRejected(c, "firewall addrgrp \"inner\" is used by firewall addrgrp \"outer\"", [&] {
        c.DeleteAddressGroup("inner");
    });
    c.SetAddressGroup({"inner", {"h1"}, ""});
    EXPECT_FALSE(c.AddressMatches("outer", Ip("198.51.100.15")));
    c.DeleteAddressGroup("outer");
    c.DeleteAddressGroup("inner");
    EXPECT_NO_THROW(c.Validate());
}

// ---- services -----------------------------------------------------------------------------

TEST(FortiGateConfigTest, PortRangeParser)
{
    PortRange r = ParsePortRange("80");
    EXPECT_EQ(r, (PortRange{80, 80, 0, 65535}));
    r = ParsePortRange("5060-5061:1024-65535");
    EXPECT_EQ(r, (PortRange{5060, 5061, 1024, 65535}));
    r = ParsePortRange("53:1000");
    EXPECT_EQ(r, (PortRange{53, 53, 1000, 1000}));
    r = ParsePortRange("0-65535");
    EXPECT_EQ(r, (PortRange{0, 65535, 0, 65535}));
    EXPECT_EQ(PortRangeToString(ParsePortRange("5060-5061:1024-65535")), "5060-5061:1024-65535");
    EXPECT_EQ(PortRangeToString(ParsePortRange("80")), "80");
    EXPECT_EQ(PortRangeToString(ParsePortRange("80-80:0-65535")), "80");
    EXPECT_TRUE(r.Matches(1, 2));

    for (const char* bad :
         {"", "abc", "70000", "80-", "-80", ":80", "1-2:3-4:5", "1-2-3", "8 0", "+80", "80:"})
    {
        ExpectError(std::string("malformed port range '") + bad + "'",
                    [&] { ParsePortRange(bad); });
    }
    ExpectError("firewall service custom \"s\": tcp-portrange: port range '90-80': low port 90 is "
                "above high port 80",
                [] { ParsePortRange("90-80", "firewall service custom \"s\": tcp-portrange"); });
    ExpectError("x: port range '1:2-1': low port 2 is above high port 1",
                [] { ParsePortRange("1:2-1", "x"); });
}

TEST(FortiGateConfigTest, ServicesAndGroups)
{
    FortiGateConfig c = BaseConfig();
    FirewallService s;
    s.name = "web-alt";
    s.tcp = {ParsePortRange("8080-8081"), ParsePortRange("8443:1024-65535")};
    c.AddService(s);
    EXPECT_TRUE(c.ServiceMatches("web-alt", 6, 1, 8081));
    EXPECT_FALSE(c.ServiceMatches("web-alt", 6, 1000, 8443));
    EXPECT_TRUE(c.ServiceMatches("web-alt", 6, 1024, 8443));
    EXPECT_FALSE(c.ServiceMatches("web-alt", 17, 1, 8080));

    FirewallService icmp;
    icmp.name = "unreach-port";
    icmp.protocol = FirewallService::ICMP;
    icmp.icmpType = 3;
    icmp.icmpCode = 3;
    c.AddService(icmp);
    EXPECT_TRUE(c.ServiceMatches("unreach-port", 1, 0, 0, 3, 3));
    EXPECT_FALSE(c.ServiceMatches("unreach-port", 1, 0, 0, 3, 1));
    EXPECT_FALSE(c.ServiceMatches("unreach-port", 6, 0, 0, 3, 3));

    FirewallService ospf;
    ospf.name = "proto-89";
    ospf.protocol = FirewallService::IP;
    ospf.protocolNumber = 89;
    c.AddService(ospf);
    EXPECT_TRUE(c.ServiceMatches("proto-89", 89, 0, 0));
    EXPECT_FALSE(c.ServiceMatches("proto-89", 6, 0, 89));

    FirewallService bad;
    bad.name = "empty";
    ExpectRejected(c,
                   "firewall service custom \"empty\": tcp-portrange: a TCP/UDP/SCTP service needs "
                   "at least one of tcp-portrange, udp-portrange, sctp-portrange",
                   [&] { c.AddService(bad); });
    bad.udp = {PortRange{100, 90, 0, 65535}};
    ExpectRejected(c,
                   "firewall service custom \"empty\": udp-portrange: range 100-90:0-65535 has a "
                   "low port above its high port",
                   [&] { c.AddService(bad); });
    bad.udp = {ParsePortRange("100")};
    bad.sessionTtl = 100;
    ExpectRejected(c,
                   "firewall service custom \"empty\": session-ttl: 100 is out of range "
                   "(300..604800, 0 = global)",
                   [&] { c.AddService(bad); });
    bad.sessionTtl = 0;
    bad.tcpTimewaitTimer = 301;
    ExpectRejected(c,
                   "firewall service custom \"empty\": tcp-timewait-timer: 301 is out of range "
                   "(0...300, 0 = global)",
                   [&] { c.AddService(bad); });
    FirewallService badIcmp = icmp;
    badIcmp.name = "i2";
    badIcmp.icmpType = -1;
    ExpectRejected(c, "firewall service custom \"i2\": icmpcode: needs icmptype", [&] {
        c.AddService(badIcmp);
    });
    badIcmp.icmpType = 256;
    ExpectRejected(c,
                   "firewall service custom \"i2\": icmptype: 256 is out of range (0..255, unset "
                   "= any)",
                   [&] { c.AddService(badIcmp); });
    ExpectRejected(c,
                   "firewall service custom \"HTTP\": name: already used by firewall service "
                   "custom \"HTTP\"",
                   [&] {
                       FirewallService dup = s;
                       dup.name = "HTTP";
                       c.AddService(dup);
                   });

    c.AddServiceGroup({"web", {"HTTP", "HTTPS", "web-alt"}, ""});
    c.AddServiceGroup({"mixed", {"web", "DNS"}, ""});
    EXPECT_TRUE(c.ServiceMatches("mixed", 17, 1, 53));
    EXPECT_TRUE(c.ServiceMatches("mixed", 6, 1, 8080));
    EXPECT_FALSE(c.ServiceMatches("mixed", 6, 1, 22));
    EXPECT_EQ(c.ExpandServices("mixed").size(), 4u);
    ExpectRejected(c, "firewall service group \"g\": member: service \"nope\" does not exist", [&] {
        c.AddServiceGroup({"g", {"nope"}, ""});
    });
    ExpectRejected(c,
                   "firewall service group \"web\": member: service group \"mixed\" would "
                   "create a loop",
                   [&] {
                       c.SetServiceGroup({"web", {"HTTP", "mixed"}, ""});
                   });
    ExpectRejected(c,
                   "firewall service custom \"web-alt\" is used by firewall service group "
                   "\"web\"",
                   [&] { c.DeleteService("web-alt"); });
    ExpectRejected(c,
                   "firewall service group \"web\": name: already used by firewall service "
                   "group \"web\"",
                   [&] {
                       c.AddServiceGroup({"web", {"SSH"}, ""});
                   });

    FirewallPolicy p = Policy(7, "all", "all", "mixed");
    p.service.push_back("SSH");
    c.AddPolicy(p);
    ExpectRejected(c, "firewall service group \"mixed\" is used by firewall policy 7", [&] {
        c.DeleteServiceGroup("mixed");
    });
    const FirewallService* m = c.MatchingService(*c.FindPolicy(7), 6, 1, 443);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->name, "HTTPS");
    EXPECT_EQ(c.MatchingService(*c.FindPolicy(7), 6, 1, 22)->name, "SSH");
    EXPECT_EQ(c.MatchingService(*c.FindPolicy(7), 6, 1, 23), nullptr);

    // Unreferenced predefined services can be deleted.
    c.DeleteService("TELNET");
    EXPECT_EQ(c.FindService("TELNET"), nullptr);
    EXPECT_NE(c.FindService("SSH"), nullptr);
    EXPECT_NO_THROW(c.Validate());
}

// ---- schedules ----------------------------------------------------------------------------

TEST(FortiGateConfigTest, ScheduleParsers)
{
    EXPECT_EQ(ParseScheduleMinutes("00:00"), 0);
    EXPECT_EQ(ParseScheduleMinutes("23:59"), 1439);
    EXPECT_EQ(ParseScheduleMinutes("7:05"), 425);
    for (const char* bad : {"24:00", "12:60", "1200", "12:5", ":30", "aa:bb", ""})
    {
        ExpectError(std::string("start: malformed time '") + bad + "'",
                    [&] { ParseScheduleMinutes(bad, "start"); });
    }
    EXPECT_EQ(ScheduleMinutesToString(425), "07:05");

    EXPECT_EQ(ParseScheduleDateTime("00:00 1970/01/01"), 0);
    EXPECT_EQ(ParseScheduleDateTime("00:00 2026/01/05"), FortiGateConfig::DEFAULT_SIM_EPOCH);
    EXPECT_EQ(ParseScheduleDateTime("12:30 2024/02/29"), 1709209800);
    for (const char* bad : {"12:30 2023/02/29",
                            "12:30 2024/13/01",
                            "12:30",
                            "2024/01/01 12:30",
                            "12:30 2024-01-01",
                            "25:00 2024/01/01",
                            "12:30 1969/12/31"})
    {
        ExpectError(std::string("end: malformed date '") + bad + "'",
                    [&] { ParseScheduleDateTime(bad, "end"); });
    }
    EXPECT_EQ(ScheduleDateTimeToString(1709209800), "12:30 2024/02/29");

    EXPECT_EQ(ParseScheduleDays({"sunday", "saturday"}), 0x41);
    EXPECT_EQ(ParseScheduleDays({"none"}), 0);
    ExpectError("day: invalid day 'funday'", [] {
        ParseScheduleDays({"monday", "funday"}, "day");
    });
    EXPECT_EQ(ScheduleDaysToStrings(0x41), (std::vector<std::string>{"sunday", "saturday"}));
    EXPECT_EQ(ScheduleDaysToStrings(0), std::vector<std::string>{"none"});
}

TEST(FortiGateConfigTest, ScheduleActivityInSimulatedTime)
{
    FortiGateConfig c;
    // Simulated t = 0 is Monday 2026-01-05 00:00 UTC.
    const double H = 3600;
    const double D = 86400;
    FirewallSchedule office;
    office.name = "office";
    office.dayMask = ParseScheduleDays({"monday", "tuesday", "wednesday", "thursday", "friday"});
    office.startMinute = ParseScheduleMinutes("08:00");
    office.endMinute = ParseScheduleMinutes("17:30");
    c.AddSchedule(office);
    EXPECT_FALSE(c.IsScheduleActive("office", 7 * H + 3599));
    EXPECT_TRUE(c.IsScheduleActive("office", 8 * H));
    EXPECT_TRUE(c.IsScheduleActive("office", 17 * H + 1799));
    EXPECT_FALSE(c.IsScheduleActive("office", 17 * H + 1800));  // end exclusive
    EXPECT_TRUE(c.IsScheduleActive("office", 4 * D + 12 * H));  // Friday
    EXPECT_FALSE(c.IsScheduleActive("office", 5 * D + 12 * H)); // Saturday
    EXPECT_FALSE(c.IsScheduleActive("office", 6 * D + 12 * H)); // Sunday
    EXPECT_TRUE(c.IsScheduleActive("office", 7 * D + 12 * H));  // next Monday

    // Friday 22:00 -> Saturday 06:00 (wraps past midnight).
    FirewallSchedule night;
    night.name = "fri-night";
    night.dayMask = ParseScheduleDays({"friday"});
    night.startMinute = ParseScheduleMinutes("22:00");
    night.endMinute = ParseScheduleMinutes("06:00");
    c.AddSchedule(night);
    EXPECT_FALSE(c.IsScheduleActive("fri-night", 4 * D + 21 * H));
    EXPECT_TRUE(c.IsScheduleActive("fri-night", 4 * D + 23 * H));
    EXPECT_TRUE(c.IsScheduleActive("fri-night", 5 * D + 5 * H)); // Saturday morning
    EXPECT_FALSE(c.IsScheduleActive("fri-night", 5 * D + 6 * H));
    EXPECT_FALSE(c.IsScheduleActive("fri-night", 5 * D + 23 * H)); // Saturday night: no
    EXPECT_FALSE(c.IsScheduleActive("fri-night", 3 * D + 23 * H)); // Thursday night: no
    EXPECT_FALSE(c.IsScheduleActive("fri-night", 0 * D + 1 * H));  // Monday early: no

    // start == end: the whole selected days.
    FirewallSchedule weekend;
    weekend.name = "weekend";
    weekend.dayMask = ParseScheduleDays({"saturday", "sunday"});
    c.AddSchedule(weekend);
    EXPECT_TRUE(c.IsScheduleActive("weekend", 5 * D));
    EXPECT_TRUE(c.IsScheduleActive("weekend", 7 * D - 1));
    EXPECT_FALSE(c.IsScheduleActive("weekend", 7 * D));

    FirewallSchedule once;
    once.name = "maint";
    once.kind = FirewallSchedule::ONETIME;
    once.startTime = ParseScheduleDateTime("01:00 2026/01/06");
    once.endTime = ParseScheduleDateTime("03:00 2026/01/06");
    c.AddSchedule(once);
    EXPECT_FALSE(c.IsScheduleActive("maint", D + 1 * H - 1));
    EXPECT_TRUE(c.IsScheduleActive("maint", D + 1 * H));
    EXPECT_TRUE(c.IsScheduleActive("maint", D + 3 * H - 0.5));
    EXPECT_FALSE(c.IsScheduleActive("maint", D + 3 * H));
    EXPECT_FALSE(c.IsScheduleActive("nope", 0));
    EXPECT_TRUE(c.IsScheduleActive("always", 123456.7));

    // Moving the epoch moves the wall clock: 2026-01-10 is a Saturday.
    c.SetSimEpoch(CivilToUnixSeconds(2026, 1, 10));
    EXPECT_TRUE(c.IsScheduleActive("weekend", 0));
    EXPECT_FALSE(c.IsScheduleActive("office", 12 * H));

    FirewallSchedule bad = once;
    bad.name = "bad";
    bad.endTime = bad.startTime - 60;
    ExpectRejected(c,
                   "firewall schedule onetime \"bad\": end: 00:59 2026/01/06 is before start "
                   "01:00 2026/01/06",
                   [&] { c.AddSchedule(bad); });
    FirewallSchedule badRec = office;
    badRec.name = "bad";
    badRec.endMinute = 1440;
    ExpectRejected(c,
                   "firewall schedule recurring \"bad\": end: 1440 minutes is out of range "
                   "(00:00..23:59)",
                   [&] { c.AddSchedule(badRec); });
    ExpectRejected(c,
                   "firewall schedule onetime \"office\": name: already used by firewall "
                   "schedule recurring \"office\"",
                   [&] {
                       FirewallSchedule dup = once;
                       dup.name = "office";
                       c.AddSchedule(dup);
                   });
    ExpectRejected(c,
                   "firewall schedule recurring \"always\": predefined schedule cannot be deleted",
                   [&] { c.DeleteSchedule("always"); });
}

// ---- policies -----------------------------------------------------------------------------

TEST(FortiGateConfigTest, PolicyValidation)
{
    FortiGateConfig c = BaseConfig();
    EXPECT_EQ(c.AddPolicy(Policy(3, "lan-net")), 3u);
    EXPECT_EQ(c.AddPolicy(Policy(0)), 4u);
    ExpectRejected(c, "firewall policy 3: id: already exists", [&] { c.AddPolicy(Policy(3)); });
    ExpectRejected(c, "firewall policy 5: srcaddr: address \"lan-nets\" does not exist", [&] {
        c.AddPolicy(Policy(5, "lan-nets"));
    });
    ExpectRejected(c, "firewall policy 5: dstaddr: address \"x\" does not exist", [&] {
        c.AddPolicy(Policy(5, "all", "x"));
    });
    ExpectRejected(c, "firewall policy 5: service: service \"WEB\" does not exist", [&] {
        c.AddPolicy(Policy(5, "all", "all", "WEB"));
    });
    FirewallPolicy p = Policy(5);
    p.srcintf = {"port9"};
    ExpectRejected(c, "firewall policy 5: srcintf: interface \"port9\" does not exist", [&] {
        c.AddPolicy(p);
    });
    p = Policy(5);
    p.dstintf.clear();
    ExpectRejected(c, "firewall policy 5: dstintf: must be set", [&] { c.AddPolicy(p); });
    p = Policy(5);
    p.srcaddr.clear();
    ExpectRejected(c, "firewall policy 5: srcaddr: must be set", [&] { c.AddPolicy(p); });
    p = Policy(5);
    p.service.clear();
    ExpectRejected(c, "firewall policy 5: service: must be set", [&] { c.AddPolicy(p); });
    p = Policy(5);
    p.schedule = "never";
    ExpectRejected(c, "firewall policy 5: schedule: schedule \"never\" does not exist", [&] {
        c.AddPolicy(p);
    });
    p = Policy(5);
    p.ippool = true;
    p.poolname = {"p0"};
    ExpectRejected(c, "firewall policy 5: poolname: ippool \"p0\" does not exist", [&] {
        c.AddPolicy(p);
    });
    c.AddIpPool(Pool("p0", "203.0.113.10", "203.0.113.20"));
    ExpectRejected(c, "firewall policy 5: ippool: needs nat enable", [&] { c.AddPolicy(p); });
    p.nat = true;
    p.poolname.clear();
    ExpectRejected(c, "firewall policy 5: poolname: must be set when ippool is enabled", [&] {
        c.AddPolicy(p);
    });
    p.poolname = {"p0"};
    p.logtraffic = "some";
    ExpectRejected(c, "firewall policy 5: logtraffic: invalid value 'some' (all|utm|disable)", [&] {
        c.AddPolicy(p);
    });
    p.logtraffic = "all";
    p.voipProfile = "strict";
    ExpectRejected(c,
                   "firewall policy 5: voip-profile: voip profile \"strict\" does not exist",
                   [&] { c.AddPolicy(p); });
    p.voipProfile = "default";
    p.name = "to-wan";
    EXPECT_EQ(c.AddPolicy(p), 5u);
    FirewallPolicy q = Policy(6);
    q.name = "to-wan";
    ExpectRejected(c,
                   "firewall policy 6: name: \"to-wan\" is already used by firewall policy 5",
                   [&] { c.AddPolicy(q); });

    ExpectRejected(c, "firewall ippool \"p0\" is used by firewall policy 5", [&] {
        c.DeleteIpPool("p0");
    });
    ExpectRejected(c, "voip profile \"default\": predefined profile cannot be deleted", [&] {
        c.DeleteVoipProfile("default");
    });
    VoipProfileConfig strict;
    strict.name = "strict";
    strict.sipStatus = false;
    c.AddVoipProfile(strict);
    p.voipProfile = "strict";
    c.SetPolicy(p);
    ExpectRejected(c, "voip profile \"strict\" is used by firewall policy 5", [&] {
        c.DeleteVoipProfile("strict");
    });
    ExpectRejected(c, "firewall address \"lan-net\" is used by firewall policy 3", [&] {
        c.DeleteAddress("lan-net");
    });
    ExpectRejected(c, "firewall policy 42 does not exist", [&] { c.DeletePolicy(42); });
    ExpectRejected(c, "firewall policy 42 does not exist", [&] { c.SetPolicy(Policy(42)); });

    FirewallSchedule office;
    office.name = "office";
    office.dayMask = 0x3e;
    c.AddSchedule(office);
    q.name.clear();
    q.schedule = "office";
    c.AddPolicy(q);
    ExpectRejected(c, "firewall schedule recurring \"office\" is used by firewall policy 6", [&] {
        c.DeleteSchedule("office");
    });

    // Deleting a policy releases its references.
    c.DeletePolicy(5);
    c.DeleteIpPool("p0");
    c.DeleteVoipProfile("strict");
    EXPECT_EQ(c.FindPolicy(5), nullptr);
    EXPECT_EQ(c.PolicyPosition(6), 2);
    // The freed name can be used again.
    FirewallPolicy r = Policy(0);
    r.name = "to-wan";
    EXPECT_EQ(c.AddPolicy(r), 7u);
    EXPECT_NO_THROW(c.Validate());
}

TEST(FortiGateConfigTest, PolicyOrderAndMove)
{
    FortiGateConfig c = BaseConfig();
    for (uint32_t id : {10, 20, 30, 40})
    {
        c.AddPolicy(Policy(id));
    }
    auto order = [&] {
        std::vector<uint32_t> ids;
        for (const auto& p : c.Policies())
        {
            ids.push_back(p.id);
        }
        return ids;
    };
    EXPECT_EQ(order(), (std::vector<uint32_t>{10, 20, 30, 40}));
    c.MovePolicy(40, FortiGateConfig::BEFORE, 10);
    EXPECT_EQ(order(), (std::vector<uint32_t>{40, 10, 20, 30}));
    c.MovePolicy(10, FortiGateConfig::AFTER, 30);
    EXPECT_EQ(order(), (std::vector<uint32_t>{40, 20, 30, 10}));
    c.MovePolicy(20, FortiGateConfig::AFTER, 10);
    EXPECT_EQ(order(), (std::vector<uint32_t>{40, 30, 10, 20}));
    EXPECT_EQ(c.PolicyPosition(10), 2);
    EXPECT_EQ(c.FindPolicy(20)->id, 20u);
    ExpectRejected(c, "firewall policy 20: move: policy 99 does not exist", [&] {
        c.MovePolicy(20, FortiGateConfig::BEFORE, 99);
    });
    ExpectRejected(c, "firewall policy 99 does not exist", [&] {
        c.MovePolicy(99, FortiGateConfig::BEFORE, 20);
    });
    // SetPolicy keeps the position.
    FirewallPolicy p = *c.FindPolicy(30);
    p.action = FirewallPolicy::DENY;
    c.SetPolicy(p);
    EXPECT_EQ(order(), (std::vector<uint32_t>{40, 30, 10, 20}));
    EXPECT_EQ(c.Policies()[1].action, FirewallPolicy::DENY);
    // id 0 = highest id + 1, not the count.
    EXPECT_EQ(c.AddPolicy(Policy(0)), 41u);
}

// ---- pools, VIPs ---------------------------------------------------------------------------

TEST(FortiGateConfigTest, IpPoolsAndVips)
{
    FortiGateConfig c = BaseConfig();
    c.AddIpPool(Pool("p0", "203.0.113.10", "203.0.113.20"));
    ExpectRejected(c, "firewall ippool \"p1\": startip-endip overlaps ippool \"p0\"", [&] {
        c.AddIpPool(Pool("p1", "203.0.113.20", "203.0.113.30"));
    });
    ExpectRejected(c, "firewall ippool \"p0\": name: already exists", [&] {
        c.AddIpPool(Pool("p0", "203.0.113.50", "203.0.113.60"));
    });
    ExpectRejected(c,
                   "firewall ippool \"p1\": endip: 203.0.113.9 is below startip 203.0.113.20",
                   [&] { c.AddIpPool(Pool("p1", "203.0.113.20", "203.0.113.9")); });
    c.AddIpPool(Pool("p1", "203.0.113.21", "203.0.113.30"));
    // Growing p0 into p1 is rejected; changing it within its range is fine.
    ExpectRejected(c, "firewall ippool \"p0\": startip-endip overlaps ippool \"p1\"", [&] {
        c.SetIpPool(Pool("p0", "203.0.113.10", "203.0.113.25"));
    });
    c.SetIpPool(Pool("p0", "203.0.113.10", "203.0.113.15"));
    EXPECT_EQ(c.FindIpPool("p0")->endip, Ip("203.0.113.15"));

    c.AddVip(Vip("web", "203.0.113.100", "10.0.1.80"));
    ExpectRejected(c, "firewall address \"web\": name: already used by firewall vip \"web\"", [&] {
        c.AddAddress(FirewallAddress::FromSubnet("web", "10.0.0.0/8"));
    });
    ExpectRejected(c,
                   "firewall vip \"lan-net\": name: already used by firewall address \"lan-net\"",
                   [&] { c.AddVip(Vip("lan-net", "203.0.113.101", "10.0.1.81")); });
    VipConfig v = Vip("v2", "203.0.113.101", "10.0.1.81");
    v.extintf = "port7";
    ExpectRejected(c, "firewall vip \"v2\": extintf: interface \"port7\" does not exist", [&] {
        c.AddVip(v);
    });
    ExpectRejected(c, "firewall vip \"web2\": extip: conflicts with vip \"web\"", [&] {
        c.AddVip(Vip("web2", "203.0.113.100", "10.0.1.90"));
    });
    // VIP as dstaddr: matches the mapped address.
    EXPECT_TRUE(c.AddressMatches("web", Ip("10.0.1.80")));
    EXPECT_FALSE(c.AddressMatches("web", Ip("203.0.113.100")));
    c.AddPolicy(Policy(8, "all", "web", "HTTP"));
    FirewallPolicy bad = Policy(9, "web");
    ExpectRejected(c,
                   "firewall policy 9: srcaddr: \"web\" is a VIP (only allowed in dstaddr)",
                   [&] { c.AddPolicy(bad); });
    ExpectRejected(c,
                   "firewall addrgrp \"g\": member: \"web\" is a VIP (not allowed in an addrgrp)",
                   [&] {
                       c.AddAddressGroup({"g", {"web"}, ""});
                   });
    ExpectRejected(c, "firewall vip \"web\" is used by firewall policy 8", [&] {
        c.DeleteVip("web");
    });
    ExpectRejected(c, "system interface \"port2\" is used by firewall policy 8", [&] {
        c.DeleteInterface("port2");
    });
    c.DeletePolicy(8);
    ExpectRejected(c, "system interface \"port2\" is used by firewall vip \"web\"", [&] {
        c.DeleteInterface("port2");
    });
    c.DeleteVip("web");
    EXPECT_EQ(c.FindVip("web"), nullptr);
    EXPECT_NO_THROW(c.Validate());
}

// ---- value semantics ------------------------------------------------------------------------

TEST(FortiGateConfigTest, VersionCopyAndEquality)
{
    FortiGateConfig a = BaseConfig();
    const uint64_t v0 = a.Version();
    EXPECT_EQ(v0, 4u); // 2 interfaces + 2 addresses
    FortiGateConfig b = a;
    EXPECT_TRUE(a == b);
    EXPECT_EQ(b.Version(), v0);

    b.AddPolicy(Policy(1));
    EXPECT_EQ(b.Version(), v0 + 1);
    EXPECT_EQ(a.Version(), v0); // a copy is independent
    EXPECT_FALSE(a == b);
    EXPECT_TRUE(a.Policies().empty());

    // Equal content built in a different number of steps: equal, versions differ.
    FortiGateConfig c = BaseConfig();
    c.AddPolicy(Policy(1));
    c.AddPolicy(Policy(2));
    c.DeletePolicy(2);
    EXPECT_TRUE(c == b);
    EXPECT_NE(c.Version(), b.Version());

    // Order of creation is part of the content.
    FortiGateConfig d;
    d.AddAddress(FirewallAddress::FromSubnet("x", "10.0.0.0/8"));
    d.AddAddress(FirewallAddress::FromSubnet("y", "11.0.0.0/8"));
    FortiGateConfig e;
    e.AddAddress(FirewallAddress::FromSubnet("y", "11.0.0.0/8"));
    e.AddAddress(FirewallAddress::FromSubnet("x", "10.0.0.0/8"));
    EXPECT_FALSE(d == e);
    EXPECT_EQ(d.Addresses()[1].name, "x");

    // Batch apply pattern: copy, change, validate, swap.
    FortiGateConfig running = BaseConfig();
    FortiGateConfig candidate = running;
    candidate.AddAddressGroup({"g", {"lan-net"}, ""});
    candidate.AddPolicy(Policy(5, "g"));
    candidate.Validate();
    std::swap(running, candidate);
    EXPECT_EQ(running.FindPolicy(5)->srcaddr[0], "g");
    EXPECT_TRUE(running.AddressMatches("g", Ip("10.0.1.9")));
    EXPECT_GT(running.Version(), candidate.Version());
}

TEST(FortiGateConfigTest, ValidateRichConfiguration)
{
    FortiGateConfig c = BaseConfig();
    c.AddInterface(Intf("dmz", "172.16.0.1", "255.255.255.0", "dmz"));
    c.AddAddressGroup({"g1", {"lan-net", "srv-range"}, "c"});
    c.AddServiceGroup({"sg", {"HTTP", "DNS"}, ""});
    c.AddIpPool(Pool("p0", "203.0.113.10", "203.0.113.20"));
    c.AddVip(Vip("web", "203.0.113.100", "172.16.0.80"));
    FirewallSchedule s;
    s.name = "night";
    s.dayMask = 0x7f;
    s.startMinute = 22 * 60;
    s.endMinute = 6 * 60;
    c.AddSchedule(s);
    FirewallPolicy p = Policy(1, "g1", "all", "sg");
    p.nat = true;
    p.ippool = true;
    p.poolname = {"p0"};
    p.schedule = "night";
    c.AddPolicy(p);
    FirewallPolicy q = Policy(2, "all", "web", "HTTP");
    q.srcintf = {"port2"};
    q.dstintf = {"dmz"};
    c.AddPolicy(q);
    EXPECT_NO_THROW(c.Validate());
    const FortiGateConfig copy = c;
    EXPECT_NO_THROW(copy.Validate());
    EXPECT_TRUE(copy == c);
}
