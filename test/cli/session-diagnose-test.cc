/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of `diagnose sys session ...` / `get system session ...` (SessionDiagnose).
 */
#include "ns3/session-diagnose.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr int64_t SEC = 1000000000LL;

uint32_t
Ip(const char* text)
{
    uint32_t a = 0;
    EXPECT_TRUE(ParseIpv4(text, a)) << text;
    return a;
}

FlowTuple
T(uint8_t proto, const char* src, uint16_t sport, const char* dst, uint16_t dport)
{
    return FlowTuple{Ip(src), Ip(dst), sport, dport, proto};
}

const std::string PARSE_ERROR_TAIL = "'\nCommand fail. Return code -61\n";

/// A unit with three interfaces and five sessions of different kinds.
class SessionDiagnoseTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        ctx.nowNs = 142 * SEC;
        ctx.ifNames = {"port1", "port2", "port3"};
        ctx.ifDevIndex = {3, 5, 4};
        ctx.helperName = [](uint8_t id) { return id == 9 ? std::string("ftp") : std::string(); };

        table.SetNextSerial(0xa1b2);
        // 1: SNAT (outgoing FTP control), the fortios.md §2 sample.
        snat = table.Insert(T(6, "10.0.1.2", 40000, "198.51.100.7", 21),
                            T(6, "198.51.100.7", 21, "203.0.113.10", 40000),
                            0,
                            3600);
        snat->lastSeenNs = 138 * SEC;
        snat->counters[0] = {1024, 12, 1};
        snat->counters[1] = {2048, 10, 1};
        snat->tcpState[0] = TCP_S_ESTABLISHED;
        snat->helperId = 9;
        snat->flags = SES_LOG | SES_MAY_DIRTY;
        snat->gateway[0] = Ip("203.0.113.1");
        snat->gateway[1] = Ip("10.0.1.2");
        snat->inIf[0] = 0;
        snat->inIf[1] = 1;
        snat->policyId = 1;

        // 2: VIP (DNAT) UDP DNS from the internet to a DMZ server, replied.
        vip = table.Insert(T(17, "198.51.100.9", 5000, "203.0.113.20", 53),
                           T(17, "10.0.2.5", 53, "198.51.100.9", 5000),
                           100 * SEC,
                           180);
        vip->lastSeenNs = 130 * SEC;
        vip->tcpState[0] = 1;
        vip->counters[0] = {840, 12, 0};
        vip->counters[1] = {4200, 12, 0};
        vip->flags = SES_MAY_DIRTY;
        vip->inIf[0] = 1;
        vip->inIf[1] = 2;
        vip->policyId = 2;

        // 3: VIP plus SNAT (hairpin-style), TCP in SYN_SENT.
        both = table.Insert(T(6, "198.51.100.9", 6000, "203.0.113.21", 8080),
                            T(6, "10.0.2.6", 80, "10.0.2.1", 6001),
                            140 * SEC,
                            10);
        both->tcpState[0] = TCP_S_SYN_SENT;
        both->flags = SES_MAY_DIRTY;
        both->inIf[0] = 1;
        both->inIf[1] = 2;
        both->policyId = 3;

        // 4: no translation, ICMP echo between inside and DMZ.
        plain = table.Insert(T(1, "10.0.1.2", 77, "10.0.2.5", 77),
                             T(1, "10.0.2.5", 77, "10.0.1.2", 77),
                             141 * SEC,
                             60);
        plain->flags = SES_MAY_DIRTY;
        plain->inIf[0] = 0;
        plain->inIf[1] = 2;
        plain->policyId = 4;

        // 5: originated by the unit itself (local-out), established.
        local = table.Insert(T(6, "203.0.113.10", 1025, "198.51.100.53", 443),
                             T(6, "198.51.100.53", 443, "203.0.113.10", 1025),
                             42 * SEC,
                             3600);
        local->lastSeenNs = 142 * SEC;
        local->tcpState[0] = TCP_S_ESTABLISHED;
        local->flags = SES_LOCAL;
        local->inIf[0] = 1;
        local->inIf[1] = 1;
        local->gateway[1] = Ip("203.0.113.1");
        local->policyId = 0;

        ASSERT_NE(snat, nullptr);
        ASSERT_NE(vip, nullptr);
        ASSERT_NE(both, nullptr);
        ASSERT_NE(plain, nullptr);
        ASSERT_NE(local, nullptr);
        table.SetCloseCallback([this](Session& s, SessionCloseReason why) {
            closed.push_back(s.serial);
            reasons.push_back(why);
        });
    }

    std::string Diag(const std::vector<std::string>& words)
    {
        return diag.Diagnose(words, table, ctx);
    }

    /// Serials of the sessions `diagnose sys session list` prints.
    std::vector<uint32_t> Listed()
    {
        std::vector<uint32_t> serials;
        table.ForEach([&](const Session& s) {
            if (diag.Matches(s, ctx))
            {
                serials.push_back(s.serial);
            }
        });
        return serials;
    }

    SessionTable table;
    DiagnoseContext ctx;
    SessionDiagnose diag;
    Session* snat{nullptr};
    Session* vip{nullptr};
    Session* both{nullptr};
    Session* plain{nullptr};
    Session* local{nullptr};
    std::vector<uint32_t> closed;
    std::vector<SessionCloseReason> reasons;
};

// ---- FormatSession ---------------------------------------------------------------------------

TEST_F(SessionDiagnoseTest, SnatBlockEqualsReferenceSample)
{
    ctx.fortiOs6 = true; // fortios.md §2's sample is a FortiOS 6.x block
    const std::string expected =
        "session info: proto=6 proto_state=01 duration=142 expire=3596 timeout=3600 "
        "flags=00000000 sockflag=00000000 sockport=0 av_idx=0 use=3\n"
        "origin-shaper=\n"
        "reply-shaper=\n"
        "per_ip_shaper=\n"
        "class_id=0 ha_id=0 policy_dir=0 tunnel=/ helper=ftp vlan_cos=255/255\n"
        "state=log may_dirty\n"
        "statistic(bytes/packets/allow_err): org=1024/12/1 reply=2048/10/1 tuples=2\n"
        "tx speed(Bps/kbps): 7/0 rx speed(Bps/kbps): 14/0\n"
        "orgin->sink: org pre->post, reply pre->post dev=3->5/5->3 gwy=203.0.113.1/10.0.1.2\n"
        "hook=post dir=org act=snat 10.0.1.2:40000->198.51.100.7:21(203.0.113.10:40000)\n"
        "hook=pre dir=reply act=dnat 198.51.100.7:21->203.0.113.10:40000(10.0.1.2:40000)\n"
        "pos/(before,after) 0/(0,0), 0/(0,0)\n"
        "misc=0 policy_id=1 auth_info=0 chk_client_info=0 vd=0\n"
        "serial=0000a1b2 tos=ff/ff app_list=0 app=0 url_cat=0\n"
        "dd_type=0 dd_mode=0\n";
    EXPECT_EQ(FormatSession(*snat, ctx), expected);
}

TEST_F(SessionDiagnoseTest, SnatBlockInTheFortiOs7Layout)
{
    // FortiOS 7.x block (community.fortinet.com ta-p/230607, ta-p/223190): refresh_dir= and
    // socktype= on the first line, pol_uuid_idx=, rpdb_link_id/npu_state/no_ofld_reason lines,
    // no dd_type line.
    const std::string expected =
        "session info: proto=6 proto_state=01 duration=142 expire=3596 timeout=3600 "
        "refresh_dir=both flags=00000000 socktype=0 sockport=0 av_idx=0 use=3\n"
        "origin-shaper=\n"
        "reply-shaper=\n"
        "per_ip_shaper=\n"
        "class_id=0 ha_id=0 policy_dir=0 tunnel=/ helper=ftp vlan_cos=255/255\n"
        "state=log may_dirty\n"
        "statistic(bytes/packets/allow_err): org=1024/12/1 reply=2048/10/1 tuples=2\n"
        "tx speed(Bps/kbps): 7/0 rx speed(Bps/kbps): 14/0\n"
        "orgin->sink: org pre->post, reply pre->post dev=3->5/5->3 gwy=203.0.113.1/10.0.1.2\n"
        "hook=post dir=org act=snat 10.0.1.2:40000->198.51.100.7:21(203.0.113.10:40000)\n"
        "hook=pre dir=reply act=dnat 198.51.100.7:21->203.0.113.10:40000(10.0.1.2:40000)\n"
        "pos/(before,after) 0/(0,0), 0/(0,0)\n"
        "misc=0 policy_id=1 pol_uuid_idx=1 auth_info=0 chk_client_info=0 vd=0\n"
        "serial=0000a1b2 tos=ff/ff app_list=0 app=0 url_cat=0\n"
        "rpdb_link_id=00000000 ngfwid=n/a\n"
        "npu_state=0x000000\n"
        "no_ofld_reason:  non-npu-intf\n";
    EXPECT_EQ(FormatSession(*snat, ctx), expected);
    EXPECT_NE(FormatSession(*local, ctx).find("\nno_ofld_reason:  local\n"), std::string::npos);
}

TEST_F(SessionDiagnoseTest, VipBlockShowsDnatOnOriginalAndSnatOnReply)
{
    ctx.fortiOs6 = true; // the hooks are the point; the block is compared in the 6.x layout
    const std::string expected =
        "session info: proto=17 proto_state=01 duration=42 expire=168 timeout=180 "
        "flags=00000000 sockflag=00000000 sockport=0 av_idx=0 use=3\n"
        "origin-shaper=\n"
        "reply-shaper=\n"
        "per_ip_shaper=\n"
        "class_id=0 ha_id=0 policy_dir=0 tunnel=/ vlan_cos=255/255\n"
        "state=may_dirty\n"
        "statistic(bytes/packets/allow_err): org=840/12/0 reply=4200/12/0 tuples=2\n"
        "tx speed(Bps/kbps): 20/0 rx speed(Bps/kbps): 100/0\n"
        "orgin->sink: org pre->post, reply pre->post dev=5->4/4->5 gwy=0.0.0.0/0.0.0.0\n"
        "hook=pre dir=org act=dnat 198.51.100.9:5000->203.0.113.20:53(10.0.2.5:53)\n"
        "hook=post dir=reply act=snat 10.0.2.5:53->198.51.100.9:5000(203.0.113.20:53)\n"
        "pos/(before,after) 0/(0,0), 0/(0,0)\n"
        "misc=0 policy_id=2 auth_info=0 chk_client_info=0 vd=0\n"
        "serial=0000a1b3 tos=ff/ff app_list=0 app=0 url_cat=0\n"
        "dd_type=0 dd_mode=0\n";
    EXPECT_EQ(FormatSession(*vip, ctx), expected);
}

TEST_F(SessionDiagnoseTest, DnatPlusSnatPrintsFourHooksInHookOrder)
{
    std::string text = FormatSession(*both, ctx);
    const std::string hooks =
        "hook=pre dir=org act=dnat 198.51.100.9:6000->203.0.113.21:8080(10.0.2.6:80)\n"
        "hook=post dir=org act=snat 198.51.100.9:6000->10.0.2.6:80(10.0.2.1:6001)\n"
        "hook=pre dir=reply act=dnat 10.0.2.6:80->10.0.2.1:6001(198.51.100.9:6000)\n"
        "hook=post dir=reply act=snat 10.0.2.6:80->198.51.100.9:6000(203.0.113.21:8080)\n"
        "pos/";
    EXPECT_NE(text.find(hooks), std::string::npos) << text;
    EXPECT_NE(text.find("org=0/0/0 reply=0/0/0 tuples=4\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("session info: proto=6 proto_state=02 duration=2 expire=8 timeout=10 "), 0u)
        << text;
}

TEST_F(SessionDiagnoseTest, UntranslatedSessionPrintsNoopHooks)
{
    std::string text = FormatSession(*plain, ctx);
    EXPECT_NE(text.find("dev=3->4/4->3 gwy=0.0.0.0/0.0.0.0\n"
                        "hook=pre dir=org act=noop 10.0.1.2:77->10.0.2.5:77(0.0.0.0:0)\n"
                        "hook=post dir=reply act=noop 10.0.2.5:77->10.0.1.2:77(0.0.0.0:0)\n"
                        "pos/"),
              std::string::npos)
        << text;
    // ICMP: always 00, duration 1 s with no bytes.
    EXPECT_EQ(text.find("session info: proto=1 proto_state=00 duration=1 expire=59 timeout=60 "),
              0u)
        << text;
}

TEST_F(SessionDiagnoseTest, LocalSessionPathDependsOnDirection)
{
    std::string out = FormatSession(*local, ctx);
    EXPECT_NE(out.find("state=local\n"), std::string::npos) << out;
    EXPECT_NE(out.find("orgin->sink: org out->post, reply pre->in dev=0->5/5->0 "
                       "gwy=0.0.0.0/203.0.113.1\n"
                       "hook=out dir=org act=noop 203.0.113.10:1025->198.51.100.53:443(0.0.0.0:0)\n"
                       "hook=in dir=reply act=noop 198.51.100.53:443->203.0.113.10:1025"
                       "(0.0.0.0:0)\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("misc=0 policy_id=0 "), std::string::npos);
    EXPECT_NE(out.find("duration=100 expire=3600 timeout=3600 "), std::string::npos) << out;

    // Same flags, but the unit owns the destination: inbound to the unit.
    ctx.isLocalAddress = [](uint32_t a) { return a == Ip("198.51.100.53"); };
    std::string in = FormatSession(*local, ctx);
    EXPECT_NE(in.find("orgin->sink: org pre->in, reply out->post dev=5->0/0->5 "),
              std::string::npos)
        << in;
    EXPECT_NE(in.find("hook=pre dir=org act=noop "), std::string::npos) << in;
    EXPECT_NE(in.find("hook=post dir=reply act=noop "), std::string::npos) << in;
}

TEST_F(SessionDiagnoseTest, RedirectedSessionCrossingTheUnitPrintsItsRealDevices)
{
    // The SIP ALG's sessions are proxied: `redir local`, yet they cross the unit. FortiOS prints
    // such a session as forwarded traffic (org pre->post, reply pre->post) with its devices.
    snat->flags = SES_LOG | SES_MAY_DIRTY | SES_REDIR | SES_LOCAL;
    ctx.isLocalAddress = [](uint32_t a) { return a == Ip("203.0.113.10"); };
    std::string text = FormatSession(*snat, ctx);
    EXPECT_NE(text.find("state=log redir local may_dirty\n"), std::string::npos) << text;
    EXPECT_NE(text.find("orgin->sink: org pre->post, reply pre->post dev=3->5/5->3 "
                        "gwy=203.0.113.1/10.0.1.2\n"
                        "hook=post dir=org act=snat "
                        "10.0.1.2:40000->198.51.100.7:21(203.0.113.10:40000)\n"
                        "hook=pre dir=reply act=dnat "
                        "198.51.100.7:21->203.0.113.10:40000(10.0.1.2:40000)\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("out->post"), std::string::npos) << text;
    // Without an address oracle it is taken as crossing too.
    ctx.isLocalAddress = nullptr;
    EXPECT_NE(FormatSession(*snat, ctx).find("org pre->post, reply pre->post dev=3->5/5->3 "),
              std::string::npos);
    // A redirected session the unit itself originates (its source is the unit's) is local-out.
    local->flags = SES_LOCAL | SES_REDIR;
    ctx.isLocalAddress = [](uint32_t a) { return a == Ip("203.0.113.10"); };
    std::string out = FormatSession(*local, ctx);
    EXPECT_NE(out.find("state=redir local\n"), std::string::npos) << out;
    EXPECT_NE(out.find("orgin->sink: org out->post, reply pre->in dev=0->5/5->0 "),
              std::string::npos)
        << out;
    // A proxied session that arrived at the unit's address and was translated to a host behind
    // it (the SIP ALG's child of a REGISTER pinhole; here a VIP) crosses the unit as well.
    vip->flags = SES_MAY_DIRTY | SES_REDIR | SES_LOCAL;
    ctx.isLocalAddress = [](uint32_t a) { return a == Ip("203.0.113.20"); };
    EXPECT_NE(FormatSession(*vip, ctx).find("orgin->sink: org pre->post, reply pre->post "
                                            "dev=5->4/4->5 "),
              std::string::npos)
        << FormatSession(*vip, ctx);
    // ... and one addressed to the unit local-in.
    ctx.isLocalAddress = [](uint32_t a) { return a == Ip("198.51.100.53"); };
    EXPECT_NE(FormatSession(*local, ctx).find("orgin->sink: org pre->in, reply out->post "),
              std::string::npos);
}

TEST_F(SessionDiagnoseTest, ExpireNeverNegativeAndSpeedZeroAtAgeZero)
{
    ctx.nowNs = 200 * SEC; // `both` (timeout 10 from 140 s) is overdue
    std::string text = FormatSession(*both, ctx);
    EXPECT_NE(text.find(" duration=60 expire=0 timeout=10 "), std::string::npos) << text;

    ctx.nowNs = 140 * SEC + SEC / 2;
    both->counters[0] = {500, 1, 0};
    text = FormatSession(*both, ctx);
    EXPECT_NE(text.find(" duration=0 expire=9 "), std::string::npos) << text;
    EXPECT_NE(text.find("tx speed(Bps/kbps): 0/0 rx speed(Bps/kbps): 0/0\n"), std::string::npos)
        << text;

    ctx.nowNs = 141 * SEC;
    both->counters[0] = {4000, 10, 0};
    text = FormatSession(*both, ctx);
    EXPECT_NE(text.find("tx speed(Bps/kbps): 4000/32 "), std::string::npos) << text;
}

TEST_F(SessionDiagnoseTest, HelperWithoutNameAndUnknownDevicePrintNothingSpecial)
{
    plain->helperId = 13; // the name function has no name for it
    plain->inIf[1] = 7;   // beyond ifDevIndex
    std::string text = FormatSession(*plain, ctx);
    EXPECT_NE(text.find("tunnel=/ vlan_cos=255/255\n"), std::string::npos) << text;
    EXPECT_NE(text.find("dev=3->0/0->3 "), std::string::npos) << text;
    ctx.helperName = nullptr;
    EXPECT_EQ(FormatSession(*snat, ctx).find("helper="), std::string::npos);
}

// ---- list --------------------------------------------------------------------------------------

TEST_F(SessionDiagnoseTest, ListPrintsAllBlocksInSerialOrderThenTotal)
{
    std::string out = Diag({"list"});
    std::string expected;
    for (Session* s : {snat, vip, both, plain, local})
    {
        expected += "\n" + FormatSession(*s, ctx);
    }
    expected += "total session 5\n";
    EXPECT_EQ(out, expected);
}

TEST_F(SessionDiagnoseTest, ListHonoursTheFilter)
{
    EXPECT_EQ(Diag({"filter", "dport", "21"}), "");
    EXPECT_EQ(Diag({"list"}), "\n" + FormatSession(*snat, ctx) + "total session 1\n");
    EXPECT_EQ(Diag({"filter", "dport", "1"}), "");
    EXPECT_EQ(Diag({"list"}), "total session 0\n");
}

TEST_F(SessionDiagnoseTest, ListExpectationUsesTheHook)
{
    EXPECT_EQ(Diag({"list", "expectation"}), "total session 0\n");
    ctx.expectationLister = [] { return std::string("pinholes\ntotal session 1\n"); };
    EXPECT_EQ(Diag({"list", "expectation"}), "pinholes\ntotal session 1\n");
    EXPECT_EQ(Diag({"list", "expectations"}),
              "command parse error before 'expectations" + PARSE_ERROR_TAIL);
}

// ---- filter ------------------------------------------------------------------------------------

TEST_F(SessionDiagnoseTest, EmptyFilterPrintsAnyForEveryField)
{
    const std::string expected = "session filter:\n"
                                 "\tvd: any\n"
                                 "\tsintf: any\n"
                                 "\tdintf: any\n"
                                 "\tproto: any\n"
                                 "\tproto-state: any\n"
                                 "\tsource ip: any\n"
                                 "\tNAT'd source ip: any\n"
                                 "\tdest ip: any\n"
                                 "\tsource port: any\n"
                                 "\tNAT'd source port: any\n"
                                 "\tdest port: any\n"
                                 "\tpolicy id: any\n"
                                 "\texpire: any\n"
                                 "\tduration: any\n";
    EXPECT_EQ(Diag({"filter"}), expected);
    EXPECT_FALSE(diag.FilterIsSet());
}

TEST_F(SessionDiagnoseTest, FilterTextShowsSetFieldsAndNegation)
{
    EXPECT_EQ(Diag({"filter", "src", "10.0.1.2"}), "");
    EXPECT_EQ(Diag({"filter", "dport", "20", "25"}), "");
    EXPECT_EQ(Diag({"filter", "sintf", "port1"}), "");
    EXPECT_EQ(Diag({"filter", "vd", "0"}), "");
    EXPECT_EQ(Diag({"filter", "negate", "dport"}), "");
    const std::string expected = "session filter:\n"
                                 "\tvd: 0\n"
                                 "\tsintf: port1\n"
                                 "\tdintf: any\n"
                                 "\tproto: any\n"
                                 "\tproto-state: any\n"
                                 "\tsource ip: 10.0.1.2-10.0.1.2\n"
                                 "\tNAT'd source ip: any\n"
                                 "\tdest ip: any\n"
                                 "\tsource port: any\n"
                                 "\tNAT'd source port: any\n"
                                 "\tdest port: 20-25\n"
                                 "\tpolicy id: any\n"
                                 "\texpire: any\n"
                                 "\tduration: any\n"
                                 "\tnegate: dport\n";
    EXPECT_EQ(Diag({"filter"}), expected);
    // src 10.0.1.2 from port1, dport not in 20-25: the ICMP session only.
    EXPECT_EQ(Listed(), std::vector<uint32_t>{plain->serial});
    EXPECT_EQ(Diag({"filter", "vd", "any"}), "");
    EXPECT_NE(Diag({"filter"}).find("\tvd: any\n"), std::string::npos);
    EXPECT_EQ(Diag({"filter", "clear"}), "");
    EXPECT_FALSE(diag.FilterIsSet());
    EXPECT_EQ(Diag({"filter"}).find("negate"), std::string::npos);
}

TEST_F(SessionDiagnoseTest, EachFieldSelectsTheExpectedSessions)
{
    struct Case
    {
        std::vector<std::string> words;
        std::vector<uint32_t> serials;
    };

    const std::vector<Case> cases = {
        {{"src", "198.51.100.9"}, {vip->serial, both->serial}},
        {{"src", "10.0.0.0", "10.255.255.255"}, {snat->serial, plain->serial}},
        {{"dst", "203.0.113.20"}, {vip->serial}},
        {{"nsrc", "203.0.113.10"}, {snat->serial}},
        {{"nport", "6001"}, {both->serial}},
        {{"sport", "5000"}, {vip->serial}},
        {{"dport", "443"}, {local->serial}},
        {{"proto", "6"}, {snat->serial, both->serial, local->serial}},
        {{"proto", "17"}, {vip->serial}},
        {{"policy", "3"}, {both->serial}},
        {{"policy", "0"}, {local->serial}},
        {{"sintf", "port2"}, {vip->serial, both->serial, local->serial}},
        {{"dintf", "port3"}, {vip->serial, both->serial, plain->serial}},
        {{"proto-state", "1"}, {snat->serial, vip->serial, local->serial}},
        {{"proto-state", "2"}, {both->serial}},
        {{"expire", "0", "60"}, {both->serial, plain->serial}},
        {{"duration", "100", "200"}, {snat->serial, local->serial}},
        {{"duration", "42"}, {vip->serial}},
        {{"vd", "1"}, {}},
    };
    for (const auto& c : cases)
    {
        std::vector<std::string> words = {"filter"};
        words.insert(words.end(), c.words.begin(), c.words.end());
        ASSERT_EQ(Diag(words), "") << words[1];
        EXPECT_EQ(Listed(), c.serials) << words[1] << " " << words[2];
        EXPECT_EQ(Diag({"filter", "clear"}), "");
    }
}

TEST_F(SessionDiagnoseTest, NegateInvertsOneFieldAndTogglesBack)
{
    Diag({"filter", "proto", "6"});
    Diag({"filter", "negate", "proto"});
    EXPECT_EQ(Listed(), (std::vector<uint32_t>{vip->serial, plain->serial}));
    // Setting the value again keeps the negation.
    Diag({"filter", "proto", "17"});
    EXPECT_EQ(Listed(),
              (std::vector<uint32_t>{snat->serial, both->serial, plain->serial, local->serial}));
    Diag({"filter", "negate", "proto"});
    EXPECT_EQ(Listed(), std::vector<uint32_t>{vip->serial});
    // Negating a field that is not set changes nothing.
    Diag({"filter", "negate", "dport"});
    EXPECT_EQ(Listed(), std::vector<uint32_t>{vip->serial});
}

TEST_F(SessionDiagnoseTest, BadFilterArgumentsFailAndChangeNothing)
{
    Diag({"filter", "dport", "21"});
    const std::string before = Diag({"filter"});
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"filter", "dport", "abc"}, "command parse error before 'abc" + PARSE_ERROR_TAIL},
        {{"filter", "dport", "65536"}, "command parse error before '65536" + PARSE_ERROR_TAIL},
        {{"filter", "dport", "30", "20"}, "command parse error before '20" + PARSE_ERROR_TAIL},
        {{"filter", "dport", "1", "2", "3"}, "command parse error before '3" + PARSE_ERROR_TAIL},
        {{"filter", "src", "10.0.1"}, "command parse error before '10.0.1" + PARSE_ERROR_TAIL},
        {{"filter", "src", "10.0.1.256"},
         "command parse error before '10.0.1.256" + PARSE_ERROR_TAIL},
        {{"filter", "proto", "256"}, "command parse error before '256" + PARSE_ERROR_TAIL},
        {{"filter", "proto-state", "100"}, "command parse error before '100" + PARSE_ERROR_TAIL},
        {{"filter", "sintf", "wan9"}, "command parse error before 'wan9" + PARSE_ERROR_TAIL},
        {{"filter", "sintf", "port1", "port2"},
         "command parse error before 'port2" + PARSE_ERROR_TAIL},
        {{"filter", "vd", "-2"}, "command parse error before '-2" + PARSE_ERROR_TAIL},
        {{"filter", "policy", "-1"}, "command parse error before '-1" + PARSE_ERROR_TAIL},
        {{"filter", "colour", "red"}, "command parse error before 'colour" + PARSE_ERROR_TAIL},
        {{"filter", "negate", "colour"}, "command parse error before 'colour" + PARSE_ERROR_TAIL},
        {{"filter", "clear", "now"}, "command parse error before 'now" + PARSE_ERROR_TAIL},
        {{"filter", "dport"}, "Command fail. Return code -1\n"},
        {{"filter", "negate"}, "Command fail. Return code -1\n"},
    };
    for (const auto& c : cases)
    {
        EXPECT_EQ(Diag(c.first), c.second) << c.first[1];
        EXPECT_EQ(Diag({"filter"}), before) << c.first[1];
    }
    EXPECT_EQ(Listed(), std::vector<uint32_t>{snat->serial});
}

// ---- clear -------------------------------------------------------------------------------------

TEST_F(SessionDiagnoseTest, ClearRemovesOnlyFilteredSessions)
{
    const uint32_t snatSerial = snat->serial;
    Diag({"filter", "dport", "21"});
    EXPECT_EQ(Diag({"clear"}), "");
    EXPECT_EQ(table.Size(), 4u);
    EXPECT_EQ(closed, std::vector<uint32_t>{snatSerial});
    EXPECT_EQ(reasons, std::vector<SessionCloseReason>{SessionCloseReason::CLEARED});
    // The filter stays after clear.
    EXPECT_NE(Diag({"filter"}).find("\tdest port: 21-21\n"), std::string::npos);
    EXPECT_EQ(Diag({"list"}), "total session 0\n");

    // FortiOS: clearing port 5060 both ways (sport then dport) ends the SIP calls only.
    Diag({"filter", "clear"});
    Diag({"filter", "sport", "6000"});
    Diag({"clear"});
    EXPECT_EQ(table.Size(), 3u);
    EXPECT_EQ(table.Find(T(6, "198.51.100.9", 6000, "203.0.113.21", 8080), nullptr), nullptr);
    EXPECT_NE(table.Find(T(17, "198.51.100.9", 5000, "203.0.113.20", 53), nullptr), nullptr);
}

TEST_F(SessionDiagnoseTest, ClearWithoutFilterRemovesEverything)
{
    EXPECT_EQ(Diag({"clear"}), "");
    EXPECT_EQ(table.Size(), 0u);
    EXPECT_EQ(closed.size(), 5u);
    for (auto r : reasons)
    {
        EXPECT_EQ(r, SessionCloseReason::CLEARED);
    }
    EXPECT_EQ(Diag({"list"}), "total session 0\n");
    EXPECT_EQ(Diag({"clear", "all"}), "command parse error before 'all" + PARSE_ERROR_TAIL);
}

// ---- stat --------------------------------------------------------------------------------------

TEST_F(SessionDiagnoseTest, StatCountsSessionsStatesAndErrors)
{
    table.SetMaxSessions(1000);
    ctx.ephemeralLimit = 131062;
    ctx.expectationCount = 2;
    ctx.firewallErrors = {{"error2", 0x1f}, {"no_route", 3}, {"error1", 7}};
    vip->flags |= SES_REM;
    // A refused duplicate counts as a clash.
    EXPECT_EQ(table.Insert(T(6, "10.0.1.2", 40000, "198.51.100.7", 21),
                           T(6, "198.51.100.7", 21, "203.0.113.10", 40001),
                           142 * SEC,
                           10),
              nullptr);
    table.Remove(local, SessionCloseReason::HELPER); // one ordinary delete
    Diag({"filter", "proto", "1"});
    Diag({"clear"}); // one flush (the ICMP session)

    const std::string expected = "misc info:       session_count=3 setup_rate=" +
                                 std::to_string(table.GetStats().setupRate) +
                                 " exp_count=2 clash=1\n"
                                 "\tmemory_tension_drop=0 ephemeral=1/131062 removeable=1\n"
                                 "delete=1, flush=1, dev_down=0/0 ses_flush_filters=0\n"
                                 "flush_work_num=0\n"
                                 "TCP sessions:\n"
                                 "         1 in ESTABLISHED state\n"
                                 "         1 in SYN_SENT state\n"
                                 "firewall error stat:\n"
                                 "error1=00000007\n"
                                 "error2=0000001f\n"
                                 "error3=00000000\n"
                                 "error4=00000000\n"
                                 "tt=00000000\n"
                                 "cont=00000000\n"
                                 "ids_recv=00000000\n"
                                 "url_recv=00000000\n"
                                 "av_recv=00000000\n"
                                 "fqdn_count=00000000\n"
                                 "fqdn6_count=00000000\n"
                                 "no_route=00000003\n"
                                 "global: ses_limit=1000 ses6_limit=0 rt_limit=0 rt6_limit=0\n";
    EXPECT_EQ(Diag({"stat"}), expected);
    // FortiOS resets the flush counter once shown.
    EXPECT_NE(Diag({"stat"}).find("delete=1, flush=0, dev_down=0/0 ses_flush_filters=0\n"),
              std::string::npos);
    ctx.fortiOs6 = true; // FortiOS 6.x: no flush filter fields
    EXPECT_NE(Diag({"stat"}).find("delete=1, flush=0, dev_down=0/0\nTCP sessions:\n"),
              std::string::npos);
    EXPECT_EQ(Diag({"stat", "x"}), "command parse error before 'x" + PARSE_ERROR_TAIL);
}

TEST_F(SessionDiagnoseTest, StatEphemeralCountsHalfOpenTcpAndUnansweredUdp)
{
    vip->tcpState[0] = 0; // UDP without reply
    std::string out = Diag({"stat"});
    EXPECT_NE(out.find(" ephemeral=2/0 removeable=0\n"), std::string::npos) << out;
    both->tcpState[0] = TCP_S_ESTABLISHED;
    out = Diag({"stat"});
    EXPECT_NE(out.find(" ephemeral=1/0 "), std::string::npos) << out;
    EXPECT_NE(out.find("         3 in ESTABLISHED state\nfirewall"), std::string::npos) << out;
}

// ---- get system session ------------------------------------------------------------------------

TEST_F(SessionDiagnoseTest, GetListPrintsCompactTable)
{
    const std::string expected =
        "PROTO   EXPIRE SOURCE           SOURCE-NAT       DESTINATION      DESTINATION-NAT\n"
        "tcp     3596   10.0.1.2:40000   203.0.113.10:40000 198.51.100.7:21  -\n"
        "udp     168    198.51.100.9:5000 -                203.0.113.20:53  10.0.2.5:53\n"
        "tcp     8      198.51.100.9:6000 10.0.2.1:6001    203.0.113.21:8080 10.0.2.6:80\n"
        "icmp    59     10.0.1.2:77      -                10.0.2.5:77      -\n"
        "tcp     3600   203.0.113.10:1025 -                198.51.100.53:443 -\n";
    EXPECT_EQ(diag.Get({"list"}, table, ctx), expected);
}

TEST_F(SessionDiagnoseTest, GetStatusPrintsTotalAndErrorsAreReported)
{
    EXPECT_EQ(diag.Get({"status"}, table, ctx),
              "The total number of sessions for the current VDOM: 5\n");
    EXPECT_EQ(diag.Get({"state"}, table, ctx),
              "command parse error before 'state" + PARSE_ERROR_TAIL);
    EXPECT_EQ(diag.Get({"list", "all"}, table, ctx),
              "command parse error before 'all" + PARSE_ERROR_TAIL);
    EXPECT_EQ(diag.Get({}, table, ctx), "Command fail. Return code -1\n");
    EXPECT_EQ(Diag({"flush"}), "command parse error before 'flush" + PARSE_ERROR_TAIL);
    EXPECT_EQ(Diag({}), "Command fail. Return code -1\n");
    EXPECT_EQ(table.Size(), 5u);
}

} // namespace
