/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The SIP kernel helper (`sip`) and the SIP ALG driven through HelperContext, no simulation:
 * NAT rewriting as netfilter.md observed it, pinholes (media, REGISTER), closing them, two
 * phones offering the same RTP port, SIP over TCP framing, and each VoIP profile action.
 */
#include "fake-helper-host.h"

#include "ns3/expectation-table.h"
#include "ns3/fortigate-config.h"
#include "ns3/session-table.h"
#include "ns3/sip-alg.h"
#include "ns3/sip-session-helper.h"

#include <gtest/gtest.h>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr int64_t kSec = 1000000000LL;

uint32_t
Ip(const char* s)
{
    uint32_t a = 0;
    EXPECT_TRUE(ParseIpv4(s, a)) << s;
    return a;
}

/// Replace every "\n" by "\r\n".
std::string
Crlf(const std::string& text)
{
    std::string out;
    for (char c : text)
    {
        if (c == '\n')
        {
            out += "\r\n";
        }
        else
        {
            out += c;
        }
    }
    return out;
}

/// sipp's uac INVITE from 10.0.1.2 to 192.0.2.2 (the body is sipp's 127-byte SDP).
std::string
SippInvite(const std::string& phone = "10.0.1.2",
           uint16_t rtp = 6000,
           const std::string& callId = "1-6119@10.0.1.2",
           uint32_t cseq = 1)
{
    std::string sdp = Crlf("v=0\n"
                           "o=user1 53655765 2353687637 IN IP4 " +
                           phone +
                           "\n"
                           "s=-\n"
                           "c=IN IP4 " +
                           phone +
                           "\n"
                           "t=0 0\n"
                           "m=audio " +
                           std::to_string(rtp) +
                           " RTP/AVP 0\n"
                           "a=rtpmap:0 PCMU/8000\n");
    return Crlf("INVITE sip:service@192.0.2.2:5060 SIP/2.0\n"
                "Via: SIP/2.0/UDP " +
                phone +
                ":5060;branch=z9hG4bK-6119-1-0\n"
                "From: sipp <sip:sipp@" +
                phone +
                ":5060>;tag=6119SIPpTag001\n"
                "To: service <sip:service@192.0.2.2:5060>\n"
                "Call-ID: " +
                callId +
                "\n"
                "CSeq: " +
                std::to_string(cseq) +
                " INVITE\n"
                "Contact: sip:sipp@" +
                phone +
                ":5060\n"
                "Max-Forwards: 70\n"
                "Subject: Performance Test\n"
                "Content-Type: application/sdp\n"
                "Content-Length:   " +
                std::to_string(sdp.size()) +
                "\n"
                "\n") +
           sdp;
}

/// The UAS's answer (as it arrives from 192.0.2.2, addressed to the public 192.0.2.1).
std::string
Answer200(uint32_t code = 200,
          const std::string& reason = "OK",
          bool sdp = true,
          const std::string& callId = "1-6119@10.0.1.2",
          uint16_t rtp = 7000,
          const std::string& cseqMethod = "INVITE",
          uint32_t cseq = 1)
{
    std::string body = sdp ? Crlf("v=0\n"
                                  "o=uas 1 1 IN IP4 192.0.2.2\n"
                                  "s=-\n"
                                  "c=IN IP4 192.0.2.2\n"
                                  "t=0 0\n"
                                  "m=audio " +
                                  std::to_string(rtp) + " RTP/AVP 0\n")
                           : std::string();
    return Crlf("SIP/2.0 " + std::to_string(code) + " " + reason +
                "\n"
                "Via: SIP/2.0/UDP "
                "192.0.2.1:5060;branch=z9hG4bK-6119-1-0;received=192.0.2.1;rport=5060\n"
                "From: sipp <sip:sipp@192.0.2.1:5060>;tag=6119SIPpTag001\n"
                "To: service <sip:service@192.0.2.2:5060>;tag=uas1\n"
                "Call-ID: " +
                callId +
                "\n"
                "CSeq: " +
                std::to_string(cseq) + " " + cseqMethod +
                "\n"
                "Contact: <sip:service@192.0.2.2:5060>\n" +
                (sdp ? "Content-Type: application/sdp\n" : "") +
                "Content-Length: " + std::to_string(body.size()) +
                "\n"
                "\n") +
           body;
}

std::string
Bye(const std::string& phone = "10.0.1.2", const std::string& callId = "1-6119@10.0.1.2")
{
    return Crlf("BYE sip:service@192.0.2.2:5060 SIP/2.0\n"
                "Via: SIP/2.0/UDP " +
                phone +
                ":5060;branch=z9hG4bK-6119-1-7\n"
                "From: sipp <sip:sipp@" +
                phone +
                ":5060>;tag=6119SIPpTag001\n"
                "To: service <sip:service@192.0.2.2:5060>;tag=uas1\n"
                "Call-ID: " +
                callId +
                "\n"
                "CSeq: 2 BYE\n"
                "Max-Forwards: 70\n"
                "Content-Length: 0\n\n");
}

std::string
Register(uint32_t expires, const std::string& callId = "reg-1")
{
    return Crlf("REGISTER sip:192.0.2.2 SIP/2.0\n"
                "Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK-r1\n"
                "From: <sip:alice@192.0.2.2>;tag=r1\n"
                "To: <sip:alice@192.0.2.2>\n"
                "Call-ID: " +
                callId +
                "\n"
                "CSeq: 1 REGISTER\n"
                "Contact: <sip:alice@10.0.1.2:5060>\n"
                "Expires: " +
                std::to_string(expires) +
                "\n"
                "Max-Forwards: 70\n"
                "Content-Length: 0\n\n");
}

/**
 * The unit in miniature: one session table and one pinhole table shared by the sessions, a
 * helper, and the HelperContext plumbing the datapath gives (pinholes, ports, replies).
 */
struct Unit
{
    SessionTable table;

    /// What the datapath gives: pinholes default to the reply interface, reservations live in
    /// the pinhole table, ports are free unless a pinhole holds them, UDP answers are sent.
    struct Host : FakeHelperHost
    {
        Host()
            : FakeHelperHost(64)
        {
            acceptReplies = true;
        }

        bool OpenPinhole(const Session& s, const Expectation& e) override
        {
            Expectation x = e;
            x.inIf = x.inIf ? x.inIf : s.inIf[1];
            return pins.Add(x) != ExpectationTable::REFUSED_GLOBAL;
        }

        uint16_t AllocatePort(uint8_t proto, uint32_t ip, uint16_t preferred) override
        {
            for (const auto& e : pins.List())
            {
                if (e.proto == proto && e.dst == ip && e.dport == preferred)
                {
                    return 0;
                }
            }
            return preferred;
        }

        bool ReserveNat(const Session& s, const NatReservation& r) override
        {
            NatReservation x = r;
            x.parentSerial = s.serial;
            return pins.Reserve(x);
        }

        uint32_t RemoveReservations(const Session& s,
                                    const std::function<bool(const NatReservation&)>& p) override
        {
            const uint32_t serial = s.serial;
            return pins.RemoveReservationsIf(
                [serial, &p](const NatReservation& r) { return r.parentSerial == serial && p(r); });
        }

        bool SendReply(const HelperContext& ctx, const std::string& payload) override
        {
            return ctx.view.tuple.proto == 17 && FakeHelperHost::SendReply(ctx, payload);
        }
    } host;

    ExpectationTable& pinholes{host.pins};
    std::vector<std::string>& replies{host.replies};
    int64_t nowNs{0};

    Unit()
    {
        host.sessions = &table;
    }

    /// A UDP (or TCP) session phone:5060 -> 192.0.2.2:5060 leaving from 192.0.2.1:\p natPort.
    Session* AddSession(const char* phone,
                        uint16_t natPort = 5060,
                        uint8_t proto = 17,
                        uint8_t helperId = 1)
    {
        FlowTuple org{Ip(phone), Ip("192.0.2.2"), 5060, 5060, proto};
        FlowTuple leaving{Ip("192.0.2.1"), Ip("192.0.2.2"), natPort, 5060, proto};
        Session* s = table.Insert(org, leaving.Reversed(), nowNs, 10);
        s->policyId = 1;
        s->helperId = helperId;
        s->inIf[0] = 0;
        s->inIf[1] = 1;
        return s;
    }

    struct Result
    {
        std::string bytes; //!< payload as forwarded
        bool drop{false};  //!< the helper dropped it
    };

    /// Run \p helper over \p text sent in \p dir of \p s.
    Result Run(SessionHelper& helper,
               Session* s,
               SessionDir dir,
               const std::string& text,
               uint32_t seq = 1000,
               uint8_t tcpFlags = 0x18)
    {
        PacketView v;
        v.tuple = s->Tuple(dir);
        v.tcpSeq = seq;
        v.tcpFlags = tcpFlags;
        v.l4Valid = true;
        auto bytes = reinterpret_cast<const uint8_t*>(text.data());
        HelperContext ctx(host, *s, dir, v, bytes, text.size(), s->Translated(dir), nowNs);
        helper.Inspect(ctx);
        Result r;
        r.drop = ctx.drop;
        auto out = ctx.editor.Apply(bytes, text.size());
        r.bytes.assign(out.begin(), out.end());
        return r;
    }

    /// Run \p helper's timer housekeeping now, as the datapath's tick does.
    void Housekeep(SessionHelper& helper)
    {
        HousekeepContext hk(host, nowNs);
        helper.Housekeep(hk);
    }

    /// \return the public port private \p ip:\p port is reserved at on 192.0.2.1 (0: none)
    uint16_t Reserved(const char* ip, uint16_t port) const
    {
        const NatReservation* r =
            pinholes.FindReservation(17, Ip(ip), port, Ip("192.0.2.1"), nowNs);
        return r ? r->pubPort : 0;
    }

    /// \return the pinhole whose destination is \p dst:\p dport, or nullptr
    const Expectation* Find(const char* dst, uint16_t dport) const
    {
        for (const auto& e : pinholes.List())
        {
            if (e.dst == Ip(dst) && e.dport == dport)
            {
                return &e;
            }
        }
        return nullptr;
    }
};

/// \return a line of \p text starting with \p prefix (without CRLF), or ""
std::string
Line(const std::string& text, const std::string& prefix)
{
    std::size_t p = 0;
    while (p < text.size())
    {
        std::size_t e = text.find("\r\n", p);
        if (e == std::string::npos)
        {
            e = text.size();
        }
        std::string line = text.substr(p, e - p);
        if (line.compare(0, prefix.size(), prefix) == 0)
        {
            return line;
        }
        p = e + 2;
    }
    return "";
}

/// A kernel helper with `sip-nat-trace disable` (Linux has no such feature).
Ptr<SipSessionHelper>
LinuxLikeHelper()
{
    auto h = CreateObject<SipSessionHelper>();
    static SystemSettings settings;
    settings.sipNatTrace = false;
    h->SetSettingsSource([] { return &settings; });
    return h;
}

/// An ALG whose profile "p" is \p sip (and "default" the FortiOS defaults).
struct AlgFixture
{
    Ptr<SipAlg> alg = CreateObject<SipAlg>();
    std::map<std::string, VoipProfileConfig> profiles;

    explicit AlgFixture(const VoipSipOptions& sip = VoipSipOptions())
    {
        VoipProfileConfig p;
        p.name = "p";
        p.sip = sip;
        profiles["p"] = p;
        VoipProfileConfig d;
        d.name = "default";
        profiles["default"] = d;
        alg->SetProfileResolver([this](const std::string& n) -> const VoipProfileConfig* {
            auto it = profiles.find(n);
            return it == profiles.end() ? nullptr : &it->second;
        });
    }

    Session* Bind(Unit& u,
                  const char* phone = "10.0.1.2",
                  uint16_t natPort = 5060,
                  uint8_t proto = 17,
                  bool ips = false)
    {
        Session* s = u.AddSession(phone, natPort, proto);
        alg->BindSession(*s, "p", ips);
        return s;
    }
};

} // namespace

// ---- kernel helper: NAT rewriting --------------------------------------------------------------

TEST(SipKernelHelper, InviteRewrittenAsLinuxDid)
{
    Unit u;
    Ptr<SipSessionHelper> h = LinuxLikeHelper();
    Session* s = u.AddSession("10.0.1.2");
    const std::string invite = SippInvite();
    ASSERT_NE(invite.find("Content-Length:   127"), std::string::npos);
    Unit::Result r = u.Run(*h, s, SessionDir::ORIGINAL, invite);
    ASSERT_FALSE(r.drop);
    // netfilter.md's observed table, field by field.
    EXPECT_EQ(Line(r.bytes, "INVITE "), "INVITE sip:service@192.0.2.2:5060 SIP/2.0");
    EXPECT_EQ(Line(r.bytes, "Via: "), "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-6119-1-0");
    EXPECT_EQ(Line(r.bytes, "From: "), "From: sipp <sip:sipp@192.0.2.1:5060>;tag=6119SIPpTag001");
    EXPECT_EQ(Line(r.bytes, "To: "), "To: service <sip:service@192.0.2.2:5060>");
    EXPECT_EQ(Line(r.bytes, "Contact: "), "Contact: sip:sipp@192.0.2.1:5060");
    EXPECT_EQ(Line(r.bytes, "Call-ID: "), "Call-ID: 1-6119@10.0.1.2");
    EXPECT_EQ(Line(r.bytes, "o="), "o=user1 53655765 2353687637 IN IP4 192.0.2.1");
    EXPECT_EQ(Line(r.bytes, "c="), "c=IN IP4 192.0.2.1");
    EXPECT_EQ(Line(r.bytes, "m="), "m=audio 6000 RTP/AVP 0");
    EXPECT_EQ(Line(r.bytes, "Content-Length:"), "Content-Length:   129");
    std::size_t body = r.bytes.find("\r\n\r\n");
    ASSERT_NE(body, std::string::npos);
    EXPECT_EQ(r.bytes.size() - body - 4, 129u);
    EXPECT_EQ(r.bytes.find("i="), std::string::npos); // sip-nat-trace disabled
    // Only what had to change changed: each of Via, From, Contact, o=, c= grew by one byte.
    EXPECT_EQ(invite.size() + 5, r.bytes.size());

    // The offer opened RTP and RTCP towards the phone's media: 192.0.2.1:6000/6001 from anyone,
    // translated to 10.0.1.2:6000/6001, 180 s, one-shot.
    ASSERT_EQ(u.pinholes.Size(), 2u);
    const Expectation* rtp = u.Find("192.0.2.1", 6000);
    ASSERT_NE(rtp, nullptr);
    EXPECT_EQ(rtp->proto, 17);
    EXPECT_EQ(rtp->src, 0u);
    EXPECT_EQ(rtp->natDst, Ip("10.0.1.2"));
    EXPECT_EQ(rtp->natDport, 0); // port unchanged
    EXPECT_EQ(rtp->expiresNs, 180 * kSec);
    EXPECT_TRUE(rtp->oneShot);
    EXPECT_EQ(rtp->parentSerial, s->serial);
    EXPECT_NE(u.Find("192.0.2.1", 6001), nullptr);

    // The answer: its Via, From go back to the phone's own address; RTP/RTCP pinholes for the
    // phone's media towards the UAS, leaving from the public ports its SDP announced.
    Unit::Result a = u.Run(*h, s, SessionDir::REPLY, Answer200());
    EXPECT_EQ(
        Line(a.bytes, "Via: "),
        "Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK-6119-1-0;received=10.0.1.2;rport=5060");
    EXPECT_EQ(Line(a.bytes, "From: "), "From: sipp <sip:sipp@10.0.1.2:5060>;tag=6119SIPpTag001");
    EXPECT_EQ(Line(a.bytes, "Contact: "), "Contact: <sip:service@192.0.2.2:5060>");
    EXPECT_EQ(Line(a.bytes, "c="), "c=IN IP4 192.0.2.2");
    ASSERT_EQ(u.pinholes.Size(), 4u); // RTP/RTCP each way
    const Expectation* out = u.Find("192.0.2.2", 7000);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->src, Ip("10.0.1.2"));
    EXPECT_EQ(out->sport, 6000);
    EXPECT_EQ(out->natSrc, Ip("192.0.2.1"));
    EXPECT_EQ(out->natSport, 0); // 6000 kept
    const Expectation* outRtcp = u.Find("192.0.2.2", 7001);
    ASSERT_NE(outRtcp, nullptr);
    EXPECT_EQ(outRtcp->sport, 6001);
    EXPECT_EQ(h->GetStats().calls, 1u);
    EXPECT_EQ(h->GetActiveCalls(), 1u);
}

TEST(SipKernelHelper, ByeClosesTheCallsPinholes)
{
    Unit u;
    Ptr<SipSessionHelper> h = LinuxLikeHelper();
    Session* s = u.AddSession("10.0.1.2");
    u.Run(*h, s, SessionDir::ORIGINAL, SippInvite());
    u.Run(*h, s, SessionDir::REPLY, Answer200());
    ASSERT_EQ(u.pinholes.Size(), 4u);
    u.nowNs = 5 * kSec;
    Unit::Result r = u.Run(*h, s, SessionDir::ORIGINAL, Bye());
    EXPECT_FALSE(r.drop);
    EXPECT_EQ(Line(r.bytes, "Via: "), "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-6119-1-7");
    EXPECT_EQ(u.pinholes.Size(), 0u);
    EXPECT_EQ(h->GetStats().pinholesClosed, 4u);
    EXPECT_EQ(h->GetStats().callsEnded, 1u);
    EXPECT_EQ(h->GetActiveCalls(), 0u);
}

TEST(SipKernelHelper, FailedInviteClosesItsPinholes)
{
    Unit u;
    Ptr<SipSessionHelper> h = LinuxLikeHelper();
    Session* s = u.AddSession("10.0.1.2");
    u.Run(*h, s, SessionDir::ORIGINAL, SippInvite());
    ASSERT_EQ(u.pinholes.Size(), 2u);
    u.Run(*h, s, SessionDir::REPLY, Answer200(180, "Ringing", false));
    EXPECT_EQ(u.pinholes.Size(), 2u);
    u.Run(*h, s, SessionDir::REPLY, Answer200(486, "Busy Here", false));
    EXPECT_EQ(u.pinholes.Size(), 0u);
    EXPECT_EQ(h->GetStats().callsFailed, 1u);
    // A second call on the same session still gets its pinholes.
    u.Run(*h, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6000, "call-2"));
    EXPECT_EQ(u.pinholes.Size(), 2u);
}

TEST(SipKernelHelper, RegisterOpensContactPinholeForItsExpiresTime)
{
    Unit u;
    Ptr<SipSessionHelper> h = LinuxLikeHelper();
    Session* s = u.AddSession("10.0.1.2");
    Unit::Result r = u.Run(*h, s, SessionDir::ORIGINAL, Register(3600));
    EXPECT_EQ(Line(r.bytes, "Contact: "), "Contact: <sip:alice@192.0.2.1:5060>");
    ASSERT_EQ(u.pinholes.Size(), 1u);
    const Expectation& e = u.pinholes.List().front();
    EXPECT_EQ(e.proto, 17);
    EXPECT_EQ(e.src, Ip("192.0.2.2")); // from the registrar (Linux's default)
    EXPECT_EQ(e.sport, 0);
    EXPECT_EQ(e.dst, Ip("192.0.2.1"));
    EXPECT_EQ(e.dport, 5060);
    EXPECT_EQ(e.natDst, Ip("10.0.1.2"));
    EXPECT_FALSE(e.oneShot);
    EXPECT_EQ(e.expiresNs, 3600 * kSec);
    EXPECT_EQ(e.childHelper, s->helperId); // an inbound INVITE is a SIP session too
    // The inbound INVITE from the registrar's other port would match it.
    FlowTuple inbound{Ip("192.0.2.2"), Ip("192.0.2.1"), 5080, 5060, 17};
    EXPECT_TRUE(e.Matches(inbound));

    // The registrar grants 600 s: the pinhole follows.
    u.nowNs = 1 * kSec;
    std::string ok = Crlf("SIP/2.0 200 OK\n"
                          "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-r1\n"
                          "From: <sip:alice@192.0.2.2>;tag=r1\n"
                          "To: <sip:alice@192.0.2.2>;tag=reg\n"
                          "Call-ID: reg-1\n"
                          "CSeq: 1 REGISTER\n"
                          "Contact: <sip:alice@192.0.2.1:5060>;expires=600\n"
                          "Content-Length: 0\n\n");
    Unit::Result r2 = u.Run(*h, s, SessionDir::REPLY, ok);
    EXPECT_EQ(Line(r2.bytes, "Contact: "), "Contact: <sip:alice@10.0.1.2:5060>;expires=600");
    ASSERT_EQ(u.pinholes.Size(), 1u);
    EXPECT_EQ(u.pinholes.List().front().expiresNs, 601 * kSec);

    // Unregistering removes it.
    u.Run(*h, s, SessionDir::ORIGINAL, Register(0));
    EXPECT_EQ(u.pinholes.Size(), 0u);
}

TEST(SipKernelHelper, SecondPhoneSameRtpPortGetsAnotherPortAndRewrittenM)
{
    Unit u;
    Ptr<SipSessionHelper> h = LinuxLikeHelper();
    Session* s1 = u.AddSession("10.0.1.2", 5060);
    Session* s2 = u.AddSession("10.0.1.3", 5062); // 5060 taken: SNAT moved the port
    Unit::Result r1 = u.Run(*h, s1, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6000, "a"));
    EXPECT_EQ(Line(r1.bytes, "m="), "m=audio 6000 RTP/AVP 0");
    Unit::Result r2 = u.Run(*h, s2, SessionDir::ORIGINAL, SippInvite("10.0.1.3", 6000, "b"));
    // The second phone's media moved to 6002 (6000/6001 are the first phone's).
    EXPECT_EQ(Line(r2.bytes, "m="), "m=audio 6002 RTP/AVP 0");
    EXPECT_EQ(Line(r2.bytes, "c="), "c=IN IP4 192.0.2.1");
    EXPECT_EQ(Line(r2.bytes, "Via: "), "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-6119-1-0");
    const Expectation* p2 = u.Find("192.0.2.1", 6002);
    ASSERT_NE(p2, nullptr);
    EXPECT_EQ(p2->natDst, Ip("10.0.1.3"));
    EXPECT_EQ(p2->natDport, 6000);
    const Expectation* p2c = u.Find("192.0.2.1", 6003);
    ASSERT_NE(p2c, nullptr);
    EXPECT_EQ(p2c->natDport, 6001);
    const Expectation* p1 = u.Find("192.0.2.1", 6000);
    ASSERT_NE(p1, nullptr);
    EXPECT_EQ(p1->natDst, Ip("10.0.1.2"));
    EXPECT_EQ(h->GetStats().mediaPortsTranslated, 1u);
    // A retransmitted INVITE of the second phone is rewritten the same way.
    Unit::Result again = u.Run(*h, s2, SessionDir::ORIGINAL, SippInvite("10.0.1.3", 6000, "b"));
    EXPECT_EQ(again.bytes, r2.bytes);
    // Its answer: the phone's RTP leaves from the announced public port 6002.
    Unit::Result a = u.Run(*h, s2, SessionDir::REPLY, Answer200(200, "OK", true, "b", 7002));
    (void)a;
    const Expectation* out = u.Find("192.0.2.2", 7002);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->src, Ip("10.0.1.3"));
    EXPECT_EQ(out->sport, 6000);
    EXPECT_EQ(out->natSrc, Ip("192.0.2.1"));
    EXPECT_EQ(out->natSport, 6002);
}

TEST(SipKernelHelper, AnnouncedMediaPortsAreReservedForThePhoneUntilItsCallEnds)
{
    // The NAT reservation makes each phone's own RTP leave from the port its SDP announced,
    // whichever packet comes first (FortiGateNode's SNAT honours it).
    Unit u;
    Ptr<SipSessionHelper> h = LinuxLikeHelper();
    Session* s1 = u.AddSession("10.0.1.2", 5060);
    Session* s2 = u.AddSession("10.0.1.3", 5062);
    u.Run(*h, s1, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6000, "a"));
    u.Run(*h, s2, SessionDir::ORIGINAL, SippInvite("10.0.1.3", 6000, "b"));
    EXPECT_EQ(u.Reserved("10.0.1.2", 6000), 6000);
    EXPECT_EQ(u.Reserved("10.0.1.2", 6001), 6001);
    EXPECT_EQ(u.Reserved("10.0.1.3", 6000), 6002); // moved
    EXPECT_EQ(u.Reserved("10.0.1.3", 6001), 6003);
    ASSERT_EQ(u.pinholes.ReservationCount(), 4u);
    for (const NatReservation& r : u.pinholes.Reservations())
    {
        EXPECT_EQ(r.helper, "sip");
        EXPECT_EQ(r.expiresNs, SipSessionHelper::MEDIA_PINHOLE_TIMEOUT * kSec);
        EXPECT_EQ(r.parentSerial, r.privIp == Ip("10.0.1.2") ? s1->serial : s2->serial);
    }
    EXPECT_EQ(h->GetStats().natReservations, 4u);
    // Nobody else gets a reserved port: another endpoint is refused it.
    NatReservation other;
    other.proto = 17;
    other.privIp = Ip("10.0.1.9");
    other.privPort = 7000;
    other.pubIp = Ip("192.0.2.1");
    other.pubPort = 6002;
    other.expiresNs = 100 * kSec;
    EXPECT_FALSE(u.pinholes.Reserve(other));
    // The second phone's BYE releases its reservations only.
    u.Run(*h, s2, SessionDir::ORIGINAL, Bye("10.0.1.3", "b"));
    EXPECT_EQ(u.Reserved("10.0.1.3", 6000), 0);
    EXPECT_EQ(u.Reserved("10.0.1.2", 6000), 6000);
    EXPECT_TRUE(u.pinholes.Reserve(other));
    // The rest go with their session (the datapath removes a closed session's pinholes and
    // reservations together), or expire with the media pinholes.
    EXPECT_EQ(u.pinholes.RemoveByParent(s1->serial), 2u);
    EXPECT_EQ(u.Reserved("10.0.1.2", 6000), 0);
    u.pinholes.Expire(100 * kSec);
    EXPECT_EQ(u.pinholes.ReservationCount(), 0u);
}

TEST(SipKernelHelper, RegisterPinholeIsNotEvictedByTheCallsOfItsSession)
{
    // FortiOS's per-parent pinhole limit counts each pinhole class apart (as Linux's SIP
    // expectation classes): three calls' media pinholes on the phone's REGISTER session (an
    // inbound call arrives on its mapping) fill the media class, not the REGISTER pinhole's.
    for (bool alg : {false, true})
    {
        SCOPED_TRACE(alg ? "alg" : "kernel helper");
        Unit u;
        u.pinholes.SetLimits(8, 4096); // FortiGateNode's default
        AlgFixture f;
        Ptr<SipSessionHelper> h = alg ? Ptr<SipSessionHelper>(f.alg) : LinuxLikeHelper();
        Session* s = alg ? f.Bind(u) : u.AddSession("10.0.1.2");
        u.Run(*h, s, SessionDir::ORIGINAL, Register(3600));
        ASSERT_NE(u.Find("192.0.2.1", 5060), nullptr);
        for (int call = 0; call < 3; ++call)
        {
            const std::string id = "call-" + std::to_string(call);
            u.Run(*h,
                  s,
                  SessionDir::ORIGINAL,
                  SippInvite("10.0.1.2", static_cast<uint16_t>(6000 + 2 * call), id));
            u.Run(*h,
                  s,
                  SessionDir::REPLY,
                  Answer200(200, "OK", true, id, static_cast<uint16_t>(7000 + 2 * call)));
        }
        EXPECT_GT(u.pinholes.GetPerParentLimitHits(), 0u); // the media class was full
        const Expectation* reg = u.Find("192.0.2.1", 5060);
        ASSERT_NE(reg, nullptr);
        EXPECT_FALSE(reg->oneShot);
        EXPECT_EQ(reg->expectClass, SipSessionHelper::CLASS_REGISTER);
        EXPECT_EQ(reg->natDst, Ip("10.0.1.2"));
        EXPECT_EQ(u.pinholes.CountForParent(s->serial, SipSessionHelper::CLASS_MEDIA), 8u);
        // The newest call's media pinholes are all there.
        EXPECT_NE(u.Find("192.0.2.1", 6004), nullptr);
        EXPECT_NE(u.Find("192.0.2.1", 6005), nullptr);
    }
}

TEST(SipPinholeClasses, PerParentLimitEvictsOnlyWithinAClassAndHonoursAClassOwnLimit)
{
    ExpectationTable t(2, 100);
    auto pin = [](uint16_t dport, uint8_t cls, uint16_t classMax = 0) {
        Expectation e;
        e.proto = 17;
        e.dst = Ip("192.0.2.1");
        e.dport = dport;
        e.parentSerial = 7;
        e.expiresNs = 100 * kSec;
        e.expectClass = cls;
        e.classMax = classMax;
        return e;
    };
    EXPECT_EQ(t.Add(pin(5060, 1)), ExpectationTable::ADDED); // a long-lived one
    EXPECT_EQ(t.Add(pin(6000, 0)), ExpectationTable::ADDED);
    EXPECT_EQ(t.Add(pin(6001, 0)), ExpectationTable::ADDED);
    EXPECT_EQ(t.Add(pin(6002, 0)), ExpectationTable::REPLACED); // evicts 6000, not 5060
    EXPECT_EQ(t.Size(), 3u);
    EXPECT_EQ(t.CountForParent(7), 3u);
    EXPECT_EQ(t.CountForParent(7, 0), 2u);
    EXPECT_EQ(t.CountForParent(7, 1), 1u);
    EXPECT_EQ(t.List().front().dport, 5060);
    // A class with its own limit (classMax) ignores the table's.
    EXPECT_EQ(t.Add(pin(7000, 2, 3)), ExpectationTable::ADDED);
    EXPECT_EQ(t.Add(pin(7001, 2, 3)), ExpectationTable::ADDED);
    EXPECT_EQ(t.Add(pin(7002, 2, 3)), ExpectationTable::ADDED);
    EXPECT_EQ(t.Add(pin(7003, 2, 3)), ExpectationTable::REPLACED);
    EXPECT_EQ(t.CountForParent(7, 2), 3u);
    EXPECT_EQ(t.GetPerParentLimitHits(), 2u);
}

TEST(SipKernelHelper, SipNatTraceAddsTheOriginalAddressToSdp)
{
    Unit u;
    Ptr<SipSessionHelper> h = CreateObject<SipSessionHelper>(); // FortiOS default: enabled
    Session* s = u.AddSession("10.0.1.2");
    Unit::Result r = u.Run(*h, s, SessionDir::ORIGINAL, SippInvite());
    EXPECT_EQ(Line(r.bytes, "i="), "i=(o=IN IP4 10.0.1.2)");
    // i= right after s=, Content-Length counts it.
    EXPECT_NE(r.bytes.find("s=-\r\ni=(o=IN IP4 10.0.1.2)\r\nc="), std::string::npos);
    EXPECT_EQ(Line(r.bytes, "Content-Length:"), "Content-Length:   152");
}

TEST(SipKernelHelper, MediaNotAtTheSendersAddressIsLeftAloneAsLinuxDirectMedia)
{
    Unit u;
    Ptr<SipSessionHelper> h = LinuxLikeHelper();
    Session* s = u.AddSession("10.0.1.2");
    std::string inv = SippInvite();
    // A PBX that already writes its public address: the kernel helper leaves it alone.
    std::string pub = inv;
    for (std::size_t p; (p = pub.find("IN IP4 10.0.1.2")) != std::string::npos;)
    {
        pub.replace(p, 15, "IN IP4 192.0.2.1");
    }
    pub.replace(pub.find("Content-Length:   127"), 21, "Content-Length:   129");
    Unit::Result r = u.Run(*h, s, SessionDir::ORIGINAL, pub);
    EXPECT_EQ(Line(r.bytes, "c="), "c=IN IP4 192.0.2.1");
    EXPECT_EQ(Line(r.bytes, "Content-Length:"), "Content-Length:   129");
    EXPECT_EQ(u.pinholes.Size(), 0u);
}

// ---- kernel helper: TCP framing
// -------------------------------------------------------------------

TEST(SipKernelHelper, TcpTwoMessagesInOneSegmentAreBothRewritten)
{
    Unit u;
    Ptr<SipSessionHelper> h = LinuxLikeHelper();
    Session* s = u.AddSession("10.0.1.2", 5060, 6);
    u.Run(*h, s, SessionDir::ORIGINAL, "", 999, 0x02); // SYN
    std::string two = Register(3600, "r-a") + SippInvite();
    Unit::Result r = u.Run(*h, s, SessionDir::ORIGINAL, two, 1000);
    EXPECT_EQ(Line(r.bytes, "Contact: <"), "Contact: <sip:alice@192.0.2.1:5060>");
    EXPECT_EQ(Line(r.bytes, "Contact: sip"), "Contact: sip:sipp@192.0.2.1:5060");
    EXPECT_NE(r.bytes.find("Content-Length:   129"), std::string::npos);
    EXPECT_EQ(r.bytes.size(), two.size() + 7);
    EXPECT_EQ(u.pinholes.Size(), 3u); // register + RTP/RTCP
    EXPECT_EQ(h->GetStats().messages, 2u);
}

TEST(SipKernelHelper, TcpMessageOverTwoSegmentsPassesUnchangedAndTheNextIsRewritten)
{
    Unit u;
    Ptr<SipSessionHelper> h = LinuxLikeHelper();
    Session* s = u.AddSession("10.0.1.2", 5060, 6);
    u.Run(*h, s, SessionDir::ORIGINAL, "", 999, 0x02);
    std::string inv = SippInvite();
    std::string bye = Bye();
    std::string a = inv.substr(0, 200);
    std::string b = inv.substr(200) + bye;
    Unit::Result ra = u.Run(*h, s, SessionDir::ORIGINAL, a, 1000);
    EXPECT_EQ(ra.bytes, a);
    Unit::Result rb = u.Run(*h, s, SessionDir::ORIGINAL, b, 1000 + static_cast<uint32_t>(a.size()));
    // The INVITE's tail is untouched; the BYE that follows in the segment is rewritten.
    EXPECT_EQ(rb.bytes.substr(0, inv.size() - 200), inv.substr(200));
    EXPECT_EQ(Line(rb.bytes.substr(inv.size() - 200), "Via: "),
              "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-6119-1-7");
    EXPECT_EQ(h->GetStats().spanning, 1u);
    EXPECT_EQ(u.pinholes.Size(), 0u);   // not rewritten: no pinholes (Linux passes it as is)
    EXPECT_EQ(h->GetStats().calls, 1u); // tracked all the same
    EXPECT_EQ(h->GetStats().callsEnded, 1u);
    // A retransmission of the second segment is rewritten the same way again.
    Unit::Result again =
        u.Run(*h, s, SessionDir::ORIGINAL, b, 1000 + static_cast<uint32_t>(a.size()));
    EXPECT_EQ(again.bytes, rb.bytes);
}

// ---- the ALG
// -------------------------------------------------------------------------------------

TEST(SipAlgProfile, SessionsShowRedirLocalAndNdrWithIps)
{
    AlgFixture f;
    Unit u;
    Session* s = f.Bind(u);
    EXPECT_EQ(SessionStateFlagsToString(s->flags), "redir local");
    Session* s2 = f.Bind(u, "10.0.1.3", 5062, 17, true);
    EXPECT_NE(s2->flags & SES_NDR, 0);
    EXPECT_EQ(f.alg->GetName(), "sip-alg");
}

TEST(SipAlgProfile, DefaultProfileRewritesLikeTheHelperAndKeepsACallRecord)
{
    AlgFixture f;
    Unit u;
    Session* s = f.Bind(u);
    Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite());
    EXPECT_FALSE(r.drop);
    EXPECT_EQ(Line(r.bytes, "Via: "), "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-6119-1-0");
    EXPECT_EQ(Line(r.bytes, "c="), "c=IN IP4 192.0.2.1");
    EXPECT_EQ(Line(r.bytes, "i="), "i=(o=IN IP4 10.0.1.2)"); // nat-trace (default enable)
    // RTP, RTCP, and the Contact's pinhole (open-contact-pinhole, default enable).
    EXPECT_EQ(u.pinholes.Size(), 3u);
    const Expectation* contact = u.Find("192.0.2.1", 5060);
    ASSERT_NE(contact, nullptr);
    EXPECT_EQ(contact->natDst, Ip("10.0.1.2"));
    EXPECT_FALSE(contact->oneShot);
    EXPECT_EQ(f.alg->GetDialogCount(1), 1u);
    u.nowNs = 1 * kSec;
    u.Run(*f.alg, s, SessionDir::REPLY, Answer200(180, "Ringing", false));
    u.nowNs = 2 * kSec;
    u.Run(*f.alg, s, SessionDir::REPLY, Answer200());
    EXPECT_EQ(u.pinholes.Size(), 5u);
    u.nowNs = 12 * kSec;
    u.Run(*f.alg, s, SessionDir::ORIGINAL, Bye());
    EXPECT_EQ(u.pinholes.Size(), 0u);
    EXPECT_EQ(f.alg->GetDialogCount(1), 0u);
    ASSERT_EQ(f.alg->GetCallRecords().size(), 1u);
    const SipAlg::CallRecord& c = f.alg->GetCallRecords().front();
    EXPECT_EQ(c.callId, "1-6119@10.0.1.2");
    EXPECT_EQ(c.from, "sip:sipp@10.0.1.2:5060");
    EXPECT_EQ(c.to, "sip:service@192.0.2.2:5060");
    EXPECT_EQ(c.SetupDelayNs(), 2 * kSec);
    EXPECT_EQ(c.ringNs, 1 * kSec);
    EXPECT_EQ(c.DurationNs(), 10 * kSec);
    EXPECT_EQ(c.finalCode, 200u);
    EXPECT_EQ(c.reason, "bye");
    std::string calls = f.alg->CallsText(u.nowNs);
    EXPECT_NE(calls.find("setup-delay=2.000"), std::string::npos) << calls;
}

TEST(SipAlgProfile, BlockInviteDropsTheInvite)
{
    VoipSipOptions sip;
    sip.method[VOIP_METHOD_INVITE].block = true;
    AlgFixture f(sip);
    Unit u;
    Session* s = f.Bind(u);
    EXPECT_TRUE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite()).drop);
    EXPECT_EQ(u.pinholes.Size(), 0u);
    EXPECT_EQ(f.alg->GetAlgCounters().method[VOIP_METHOD_INVITE].blocked, 1u);
    EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, Register(60)).drop); // others pass
}

TEST(SipAlgProfile, InviteRateLimitsPerSecond)
{
    VoipSipOptions sip;
    sip.method[VOIP_METHOD_INVITE].rate = 2;
    AlgFixture f(sip);
    Unit u;
    Session* s = f.Bind(u);
    EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6000, "c1")).drop);
    EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6010, "c2")).drop);
    EXPECT_TRUE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6020, "c3")).drop);
    u.nowNs = kSec / 2; // half a second refills one
    EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6030, "c4")).drop);
    EXPECT_TRUE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6040, "c5")).drop);
    EXPECT_EQ(f.alg->GetAlgCounters().method[VOIP_METHOD_INVITE].rateLimited, 2u);
}

TEST(SipAlgProfile, InviteRateTrackSrcIpCountsEachSource)
{
    VoipSipOptions sip;
    sip.method[VOIP_METHOD_INVITE].rate = 1;
    sip.method[VOIP_METHOD_INVITE].rateTrack = VOIP_RATE_TRACK_SRC_IP;
    AlgFixture f(sip);
    Unit u;
    Session* a = f.Bind(u, "10.0.1.2", 5060);
    Session* b = f.Bind(u, "10.0.1.3", 5062);
    EXPECT_FALSE(u.Run(*f.alg, a, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6000, "a1")).drop);
    EXPECT_FALSE(u.Run(*f.alg, b, SessionDir::ORIGINAL, SippInvite("10.0.1.3", 6000, "b1")).drop);
    EXPECT_TRUE(u.Run(*f.alg, a, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6010, "a2")).drop);
}

TEST(SipAlgProfile, MaxDialogsDropsTheNextInviteUntilACallEnds)
{
    VoipSipOptions sip;
    sip.maxDialogs = 1;
    AlgFixture f(sip);
    Unit u;
    Session* s = f.Bind(u);
    EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite()).drop);
    EXPECT_TRUE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6010, "c2")).drop);
    // A retransmission of the first call's INVITE is no new dialog.
    EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite()).drop);
    u.Run(*f.alg, s, SessionDir::REPLY, Answer200());
    u.Run(*f.alg, s, SessionDir::ORIGINAL, Bye());
    EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6010, "c2")).drop);
    EXPECT_EQ(f.alg->GetAlgCounters().maxDialogs, 1u);
}

/// An INVITE whose Via has no sent-by host.
std::string
BadViaInvite()
{
    std::string inv = SippInvite();
    inv.replace(inv.find("Via: SIP/2.0/UDP 10.0.1.2:5060"), 30, "Via: SIP/2.0/UDP ");
    return inv;
}

TEST(SipAlgProfile, MalformedViaDiscardRespondPass)
{
    {
        VoipSipOptions sip;
        sip.malformedHeader[VOIP_HDR_VIA] = VOIP_ACTION_DISCARD;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, BadViaInvite());
        EXPECT_TRUE(r.drop);
        EXPECT_TRUE(u.replies.empty());
        EXPECT_EQ(f.alg->GetAlgCounters().discarded, 1u);
    }
    {
        VoipSipOptions sip;
        sip.malformedHeader[VOIP_HDR_VIA] = VOIP_ACTION_RESPOND;
        sip.logViolations = true;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, BadViaInvite());
        EXPECT_TRUE(r.drop);
        ASSERT_EQ(u.replies.size(), 1u);
        const std::string& a = u.replies[0];
        EXPECT_EQ(a.compare(0, 25, "SIP/2.0 400 Bad Request\r\n"), 0) << a;
        EXPECT_NE(a.find("\r\nCall-ID: 1-6119@10.0.1.2\r\n"), std::string::npos) << a;
        EXPECT_NE(a.find("\r\nCSeq: 1 INVITE\r\n"), std::string::npos) << a;
        EXPECT_NE(a.find("\r\nFrom: sipp <sip:sipp@10.0.1.2:5060>;tag=6119SIPpTag001\r\n"),
                  std::string::npos)
            << a;
        EXPECT_NE(a.find("\r\nTo: service <sip:service@192.0.2.2:5060>;tag="), std::string::npos)
            << a;
        EXPECT_NE(a.find("\r\nVia: SIP/2.0/UDP"), std::string::npos) << a;
        EXPECT_NE(a.find("Content-Length: 0\r\n\r\n"), std::string::npos);
        ASSERT_EQ(f.alg->GetViolationLog().size(), 1u);
        EXPECT_EQ(f.alg->GetViolationLog().front().option, "malformed-header-via");
        EXPECT_EQ(f.alg->GetViolationLog().front().action, "respond");
    }
    {
        VoipSipOptions sip; // pass (the default)
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, BadViaInvite());
        EXPECT_FALSE(r.drop);
        EXPECT_EQ(Line(r.bytes, "c="), "c=IN IP4 192.0.2.1");
        EXPECT_EQ(f.alg->GetAlgCounters().passed, 1u);
        EXPECT_TRUE(f.alg->GetViolationLog().empty()); // log-violations disabled by default
    }
}

TEST(SipAlgProfile, RespondOverTcpCutsTheMessageOutOfTheStream)
{
    VoipSipOptions sip;
    sip.malformedHeader[VOIP_HDR_VIA] = VOIP_ACTION_RESPOND;
    AlgFixture f(sip);
    Unit u;
    Session* s = f.Bind(u, "10.0.1.2", 5060, 6);
    u.Run(*f.alg, s, SessionDir::ORIGINAL, "", 999, 0x02);
    std::string seg = BadViaInvite() + Register(60);
    Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, seg, 1000);
    EXPECT_FALSE(r.drop);
    EXPECT_TRUE(u.replies.empty());
    EXPECT_EQ(r.bytes.compare(0, 9, "REGISTER "), 0) << r.bytes;
}

TEST(SipAlgProfile, MaxLineLengthWithAndWithoutBlockLongLines)
{
    std::string inv = SippInvite();
    inv.insert(inv.find("Max-Forwards"), "Subject: " + std::string(100, 'x') + "\r\n");
    {
        VoipSipOptions sip;
        sip.maxLineLength = 78;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        EXPECT_TRUE(u.Run(*f.alg, s, SessionDir::ORIGINAL, inv).drop);
        EXPECT_EQ(f.alg->GetAlgCounters().longLines, 1u);
    }
    {
        VoipSipOptions sip;
        sip.maxLineLength = 78;
        sip.blockLongLines = false;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, inv).drop);
    }
    {
        AlgFixture f; // 998 by default
        Unit u;
        Session* s = f.Bind(u);
        EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, inv).drop);
    }
}

TEST(SipAlgProfile, MaxBodyLengthAndUnknownMethodAndUnknownHeader)
{
    {
        VoipSipOptions sip;
        sip.maxBodyLength = 100;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        EXPECT_TRUE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite()).drop); // 127 > 100
    }
    {
        AlgFixture f; // block-unknown: enabled by default
        Unit u;
        Session* s = f.Bind(u);
        std::string foo = Crlf("FOO sip:x@192.0.2.2 SIP/2.0\n"
                               "Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK-f\n"
                               "From: <sip:a@10.0.1.2>;tag=1\nTo: <sip:x@192.0.2.2>\n"
                               "Call-ID: foo\nCSeq: 1 FOO\nMax-Forwards: 70\n"
                               "Content-Length: 0\n\n");
        EXPECT_TRUE(u.Run(*f.alg, s, SessionDir::ORIGINAL, foo).drop);
        EXPECT_EQ(f.alg->GetAlgCounters().blockedUnknown, 1u);
    }
    {
        VoipSipOptions sip;
        sip.unknownHeader = VOIP_ACTION_DISCARD;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        std::string inv = SippInvite();
        inv.insert(inv.find("Max-Forwards"), "X-Custom: 1\r\n");
        EXPECT_TRUE(u.Run(*f.alg, s, SessionDir::ORIGINAL, inv).drop);
        EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite()).drop);
    }
}

TEST(SipAlgProfile, NoSdpFixupLeavesSdpAlone)
{
    VoipSipOptions sip;
    sip.noSdpFixup = true;
    AlgFixture f(sip);
    Unit u;
    Session* s = f.Bind(u);
    std::string inv = SippInvite();
    Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, inv);
    EXPECT_EQ(Line(r.bytes, "c="), "c=IN IP4 10.0.1.2");
    EXPECT_EQ(Line(r.bytes, "o="), "o=user1 53655765 2353687637 IN IP4 10.0.1.2");
    EXPECT_EQ(Line(r.bytes, "Content-Length:"), "Content-Length:   127");
    EXPECT_EQ(r.bytes.find("i=("), std::string::npos);
    EXPECT_EQ(Line(r.bytes, "Via: "), "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-6119-1-0");
}

TEST(SipAlgProfile, PbxWritingItsPublicAddressOneWayAudioAndTheNoSdpFixupFix)
{
    // The PBX (10.0.1.2, public 192.0.2.1) already writes 192.0.2.1 into its SDP.
    std::string inv = SippInvite();
    for (std::size_t p; (p = inv.find("IN IP4 10.0.1.2")) != std::string::npos;)
    {
        inv.replace(p, 15, "IN IP4 192.0.2.1");
    }
    inv.replace(inv.find("Content-Length:   127"), 21, "Content-Length:   129");
    {
        VoipSipOptions sip;
        sip.natTrace = false;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        u.Run(*f.alg, s, SessionDir::ORIGINAL, inv);
        // The ALG takes the written address for the media's own: the pinhole leads to the
        // unit's public address itself, not to the PBX (one-way audio).
        const Expectation* e = u.Find("192.0.2.1", 6000);
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->natDst, 0u);
    }
    {
        VoipSipOptions sip;
        sip.noSdpFixup = true;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        u.Run(*f.alg, s, SessionDir::ORIGINAL, inv);
        const Expectation* e = u.Find("192.0.2.1", 6000);
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->natDst, Ip("10.0.1.2")); // to the PBX
    }
}

TEST(SipAlgProfile, ContactFixupDisabledLeavesContactAlone)
{
    VoipSipOptions sip;
    sip.contactFixup = false;
    AlgFixture f(sip);
    Unit u;
    Session* s = f.Bind(u);
    Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite());
    EXPECT_EQ(Line(r.bytes, "Contact: "), "Contact: sip:sipp@10.0.1.2:5060");
    EXPECT_EQ(Line(r.bytes, "From: "), "From: sipp <sip:sipp@192.0.2.1:5060>;tag=6119SIPpTag001");
}

TEST(SipAlgProfile, RtpDisableOpensNoMediaPinholes)
{
    VoipSipOptions sip;
    sip.rtp = false;
    AlgFixture f(sip);
    Unit u;
    Session* s = f.Bind(u);
    Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite());
    EXPECT_EQ(Line(r.bytes, "c="), "c=IN IP4 192.0.2.1");
    EXPECT_EQ(u.Find("192.0.2.1", 6000), nullptr);
    EXPECT_EQ(u.Find("192.0.2.1", 6001), nullptr);
    EXPECT_EQ(u.pinholes.Size(), 1u); // the Contact's only
}

TEST(SipAlgProfile, StrictRegisterAndOpenRegisterPinhole)
{
    {
        VoipSipOptions sip;
        sip.strictRegister = false;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        u.Run(*f.alg, s, SessionDir::ORIGINAL, Register(300));
        ASSERT_EQ(u.pinholes.Size(), 1u);
        EXPECT_EQ(u.pinholes.List().front().src, 0u); // from anyone
        EXPECT_EQ(u.pinholes.List().front().expiresNs, 300 * kSec);
    }
    {
        VoipSipOptions sip;
        sip.openRegisterPinhole = false;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        u.Run(*f.alg, s, SessionDir::ORIGINAL, Register(300));
        EXPECT_EQ(u.pinholes.Size(), 0u);
    }
}

TEST(SipAlgProfile, ProvisionalInviteExpiryEndsTheDialog)
{
    VoipSipOptions sip;
    sip.provisionalInviteExpiryTime = 30;
    AlgFixture f(sip);
    Unit u;
    Session* s = f.Bind(u);
    u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite());
    u.Run(*f.alg, s, SessionDir::REPLY, Answer200(180, "Ringing", false));
    EXPECT_EQ(f.alg->GetDialogCount(1), 1u);
    EXPECT_NE(u.Find("192.0.2.1", 6000), nullptr);
    u.nowNs = 31 * kSec;
    u.Run(*f.alg, s, SessionDir::ORIGINAL, Register(60, "other"));
    EXPECT_EQ(f.alg->GetDialogCount(1), 0u);
    EXPECT_EQ(f.alg->GetAlgCounters().expired, 1u);
    EXPECT_EQ(u.Find("192.0.2.1", 6000), nullptr); // its pinholes went with it
    // The Contact's pinhole went too; what is left is the REGISTER's (from the registrar).
    ASSERT_EQ(u.pinholes.Size(), 1u);
    EXPECT_EQ(u.pinholes.List().front().src, Ip("192.0.2.2"));
    ASSERT_EQ(f.alg->GetCallRecords().size(), 1u);
    EXPECT_EQ(f.alg->GetCallRecords().front().reason, "expired");
}

TEST(SipAlgProfile, HousekeepEndsAnExpiredDialogWithoutTraffic)
{
    VoipSipOptions sip;
    sip.provisionalInviteExpiryTime = 30;
    AlgFixture f(sip);
    Unit u;
    Session* s = f.Bind(u);
    u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite());
    u.Run(*f.alg, s, SessionDir::REPLY, Answer200(180, "Ringing", false));
    ASSERT_NE(u.Find("192.0.2.1", 6000), nullptr);
    ASSERT_GT(u.Reserved("10.0.1.2", 6000), 0u);
    u.nowNs = 29 * kSec;
    u.Housekeep(*f.alg);
    EXPECT_EQ(f.alg->GetDialogCount(1), 1u); // not yet
    EXPECT_NE(u.Find("192.0.2.1", 6000), nullptr);
    u.nowNs = 30 * kSec;
    u.Housekeep(*f.alg);
    EXPECT_EQ(f.alg->GetDialogCount(1), 0u);
    EXPECT_EQ(f.alg->GetAlgCounters().expired, 1u);
    EXPECT_EQ(f.alg->GetActiveCalls(), 0u);
    EXPECT_EQ(u.Find("192.0.2.1", 6000), nullptr); // media pinholes gone, no message needed
    EXPECT_EQ(u.Reserved("10.0.1.2", 6000), 0u);   // and the media NAT reservation
    EXPECT_EQ(u.pinholes.Size(), 0u);              // the Contact pinhole too
    ASSERT_EQ(f.alg->GetCallRecords().size(), 1u);
    EXPECT_EQ(f.alg->GetCallRecords().front().reason, "expired");
    std::string calls = f.alg->CallsText(u.nowNs);
    EXPECT_NE(calls.find("active calls: 0\n"), std::string::npos) << calls;
    EXPECT_NE(calls.find("reason=expired"), std::string::npos) << calls;
    // A late 200 finds no call: nothing reopens.
    u.Run(*f.alg, s, SessionDir::REPLY, Answer200());
    EXPECT_EQ(u.Find("192.0.2.1", 6000), nullptr);
    u.Housekeep(*f.alg); // nothing left to do, nothing breaks
    EXPECT_EQ(f.alg->GetCallRecords().size(), 1u);
}

TEST(SipAlgProfile, HousekeepEvictsIdleDialogsBeyondMaxIdleDialogs)
{
    VoipSipOptions sip;
    sip.maxIdleDialogs = 1;
    AlgFixture f(sip);
    Unit u;
    Session* s = f.Bind(u);
    u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6000, "one"));
    u.Run(*f.alg, s, SessionDir::REPLY, Answer200(200, "OK", true, "one", 7000));
    u.nowNs = 5 * kSec;
    u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6010, "two", 1));
    u.Run(*f.alg, s, SessionDir::REPLY, Answer200(200, "OK", true, "two", 7010));
    ASSERT_EQ(f.alg->GetDialogCount(1), 2u);
    ASSERT_NE(u.Find("192.0.2.1", 6000), nullptr);
    ASSERT_NE(u.Find("192.0.2.1", 6010), nullptr);
    u.nowNs = 70 * kSec; // both idle (60 s), one too many
    u.Housekeep(*f.alg);
    EXPECT_EQ(f.alg->GetAlgCounters().idleEvicted, 1u);
    EXPECT_EQ(f.alg->GetDialogCount(1), 1u);
    EXPECT_EQ(u.Find("192.0.2.1", 6000), nullptr); // the longest idle ("one") ended
    EXPECT_NE(u.Find("192.0.2.1", 6010), nullptr);
    ASSERT_EQ(f.alg->GetCallRecords().size(), 1u);
    EXPECT_EQ(f.alg->GetCallRecords().front().callId, "one");
    EXPECT_EQ(f.alg->GetCallRecords().front().reason, "idle");
    EXPECT_NE(f.alg->StatsText(0).find("idle-dialogs-evicted: 1\n"), std::string::npos);
    u.nowNs = 200 * kSec;
    u.Housekeep(*f.alg);
    EXPECT_EQ(f.alg->GetDialogCount(1), 1u); // max-idle-dialogs 1 keeps the last one
}

TEST(SipAlgProfile, OpenViaPinholeOpensTheTopViaForTheTransaction)
{
    for (bool via : {false, true})
    {
        SCOPED_TRACE(via ? "open-via-pinhole enable" : "disable");
        VoipSipOptions sip;
        sip.openViaPinhole = via;
        sip.openContactPinhole = false; // the Contact is the same address: keep it apart
        sip.openRecordRoutePinhole = false;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite());
        const Expectation* e = u.Find("192.0.2.1", 5060);
        if (!via)
        {
            EXPECT_EQ(e, nullptr);
            continue;
        }
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->natDst, Ip("10.0.1.2"));
        EXPECT_EQ(e->src, 0u); // from anyone
        EXPECT_EQ(e->expiresNs, int64_t{SipSessionHelper::TRANSACTION_PINHOLE_TIMEOUT} * kSec);
        EXPECT_EQ(e->expectClass, SipSessionHelper::CLASS_SIGNALLING);
        EXPECT_FALSE(e->oneShot);
    }
}

TEST(SipAlgProfile, OpenRecordRoutePinholeOpensTheSendersRecordRoute)
{
    // A phone acting as a proxy (it record-routes itself) sends an INVITE.
    std::string inv = SippInvite();
    inv.insert(inv.find("Max-Forwards"), "Record-Route: <sip:10.0.1.2:5060;lr>\r\n");
    for (bool rr : {false, true})
    {
        SCOPED_TRACE(rr ? "open-record-route-pinhole enable" : "disable");
        VoipSipOptions sip;
        sip.openRecordRoutePinhole = rr;
        sip.openContactPinhole = false;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, inv);
        EXPECT_EQ(Line(r.bytes, "Record-Route: "), "Record-Route: <sip:192.0.2.1:5060;lr>");
        const Expectation* e = u.Find("192.0.2.1", 5060);
        if (!rr)
        {
            EXPECT_EQ(e, nullptr);
            continue;
        }
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->natDst, Ip("10.0.1.2"));
        EXPECT_EQ(e->expectClass, SipSessionHelper::CLASS_SIGNALLING);
        // It belongs to the call: the BYE removes it.
        u.Run(*f.alg, s, SessionDir::ORIGINAL, Bye());
        EXPECT_EQ(u.Find("192.0.2.1", 5060), nullptr);
    }
}

TEST(SipAlgProfile, RegisterContactTraceCarriesTheOriginalContact)
{
    for (bool trace : {false, true})
    {
        SCOPED_TRACE(trace ? "register-contact-trace enable" : "disable");
        VoipSipOptions sip;
        sip.registerContactTrace = trace;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, Register(60));
        EXPECT_EQ(Line(r.bytes, "Contact: "),
                  trace ? "Contact: <sip:alice@192.0.2.1:5060;o=10.0.1.2:5060>"
                        : "Contact: <sip:alice@192.0.2.1:5060>");
        // Only REGISTER: an INVITE's Contact is translated without it.
        r = u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite());
        EXPECT_EQ(Line(r.bytes, "Contact: "), "Contact: sip:sipp@192.0.2.1:5060");
    }
}

TEST(SipAlgProfile, MalformedRequestLineRespondAndPass)
{
    std::string inv = SippInvite();
    const std::size_t v = inv.find(" SIP/2.0\r\n");
    inv.replace(v, 8, " SIP/3.0");
    {
        VoipSipOptions sip;
        sip.malformedRequestLine = VOIP_ACTION_RESPOND;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, inv);
        EXPECT_TRUE(r.drop);
        ASSERT_EQ(u.replies.size(), 1u);
        EXPECT_EQ(u.replies[0].compare(0, 25, "SIP/2.0 400 Bad Request\r\n"), 0) << u.replies[0];
        EXPECT_NE(u.replies[0].find("\r\nCall-ID: 1-6119@10.0.1.2\r\n"), std::string::npos);
        EXPECT_EQ(f.alg->GetAlgCounters().malformed, 1u);
        EXPECT_EQ(f.alg->GetAlgCounters().responded, 1u);
        EXPECT_EQ(u.pinholes.Size(), 0u); // the INVITE never counted
        // A response cannot be answered: respond discards it.
        std::string ring = Answer200(180, "Ringing", false);
        ring.replace(0, 7, "SIP/3.0");
        r = u.Run(*f.alg, s, SessionDir::REPLY, ring);
        EXPECT_TRUE(r.drop);
        EXPECT_EQ(u.replies.size(), 1u);
        EXPECT_EQ(f.alg->GetAlgCounters().discarded, 1u);
    }
    {
        AlgFixture f; // pass (the default)
        Unit u;
        Session* s = f.Bind(u);
        Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, inv);
        EXPECT_FALSE(r.drop);
        EXPECT_TRUE(u.replies.empty());
        EXPECT_EQ(Line(r.bytes, "c="), "c=IN IP4 192.0.2.1"); // handled as usual
        EXPECT_EQ(f.alg->GetAlgCounters().malformed, 1u);
        EXPECT_EQ(f.alg->GetAlgCounters().passed, 1u);
    }
}

TEST(SipAlgProfile, UnknownHeaderRespondAndPass)
{
    std::string inv = SippInvite();
    inv.insert(inv.find("Max-Forwards"), "X-Custom: 1\r\n");
    {
        VoipSipOptions sip;
        sip.unknownHeader = VOIP_ACTION_RESPOND;
        AlgFixture f(sip);
        Unit u;
        Session* s = f.Bind(u);
        Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, inv);
        EXPECT_TRUE(r.drop);
        ASSERT_EQ(u.replies.size(), 1u);
        EXPECT_EQ(u.replies[0].compare(0, 25, "SIP/2.0 400 Bad Request\r\n"), 0) << u.replies[0];
        EXPECT_EQ(f.alg->GetAlgCounters().unknownHeader, 1u);
        EXPECT_EQ(f.alg->GetAlgCounters().responded, 1u);
        EXPECT_EQ(f.alg->GetDialogCount(1), 0u);
        // Without the header the same INVITE passes.
        EXPECT_FALSE(u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite()).drop);
        EXPECT_EQ(u.replies.size(), 1u);
    }
    {
        AlgFixture f; // pass (the default)
        Unit u;
        Session* s = f.Bind(u);
        Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, inv);
        EXPECT_FALSE(r.drop);
        EXPECT_TRUE(u.replies.empty());
        EXPECT_EQ(Line(r.bytes, "X-Custom: "), "X-Custom: 1"); // kept
        EXPECT_EQ(f.alg->GetAlgCounters().unknownHeader, 1u);
        EXPECT_EQ(f.alg->GetAlgCounters().passed, 1u);
        EXPECT_EQ(f.alg->GetDialogCount(1), 1u);
    }
}

TEST(SipAlgProfile, ReInviteWithANewMediaPortMovesThePinholesInBothEngines)
{
    for (bool alg : {false, true})
    {
        SCOPED_TRACE(alg ? "sip-alg" : "kernel helper");
        AlgFixture f;
        Ptr<SipSessionHelper> h = alg ? Ptr<SipSessionHelper>(f.alg) : LinuxLikeHelper();
        Unit u;
        Session* s = alg ? f.Bind(u) : u.AddSession("10.0.1.2");
        u.Run(*h, s, SessionDir::ORIGINAL, SippInvite());
        u.Run(*h, s, SessionDir::REPLY, Answer200());
        ASSERT_NE(u.Find("192.0.2.1", 6000), nullptr);
        // The phone moves its media to 6020 in a re-INVITE of the same call (CSeq 2).
        Unit::Result r =
            u.Run(*h, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6020, "1-6119@10.0.1.2", 2));
        EXPECT_FALSE(r.drop);
        EXPECT_EQ(Line(r.bytes, "c="), "c=IN IP4 192.0.2.1");
        EXPECT_EQ(Line(r.bytes, "m="), "m=audio 6020 RTP/AVP 0");
        const Expectation* e = u.Find("192.0.2.1", 6020);
        ASSERT_NE(e, nullptr); // the new port is let in
        EXPECT_EQ(e->natDst, Ip("10.0.1.2"));
        EXPECT_NE(u.Find("192.0.2.1", 6021), nullptr); // and its RTCP
        EXPECT_EQ(u.Find("192.0.2.1", 6000), nullptr); // the old port no longer
        u.Run(*h,
              s,
              SessionDir::REPLY,
              Answer200(200, "OK", true, "1-6119@10.0.1.2", 7000, "INVITE", 2));
        EXPECT_EQ(h->GetActiveCalls(), 1u); // still one call
        u.Run(*h, s, SessionDir::ORIGINAL, Bye());
        EXPECT_EQ(u.Find("192.0.2.1", 6020), nullptr);
    }
}

TEST(SipAlgProfile, HostedNatTraversalUsesThePacketSource)
{
    VoipSipOptions sip;
    sip.hostedNatTraversal = true;
    sip.natTrace = false;
    AlgFixture f(sip);
    Unit u;
    // A phone behind another NAT (its SDP and Contact say 192.168.1.10) reaching the unit from
    // 10.0.1.2 (which the unit translates to 192.0.2.1).
    Session* s = f.Bind(u);
    std::string inv = SippInvite();
    for (std::size_t p; (p = inv.find("10.0.1.2:5060")) != std::string::npos;)
    {
        inv.replace(p, 13, "192.168.1.10:5060");
    }
    for (std::size_t p; (p = inv.find("IN IP4 10.0.1.2")) != std::string::npos;)
    {
        inv.replace(p, 15, "IN IP4 192.168.1.10");
    }
    inv.replace(inv.find("Content-Length:   127"), 21, "Content-Length:   135");
    Unit::Result r = u.Run(*f.alg, s, SessionDir::ORIGINAL, inv);
    EXPECT_EQ(Line(r.bytes, "Contact: "), "Contact: sip:sipp@192.0.2.1:5060");
    EXPECT_EQ(Line(r.bytes, "Via: "), "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-6119-1-0");
    EXPECT_EQ(Line(r.bytes, "c="), "c=IN IP4 192.0.2.1");
    const Expectation* e = u.Find("192.0.2.1", 6000);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->natDst, Ip("10.0.1.2")); // where its packets come from
}

/// The words of the line of \p text that starts with \p first (empty when none).
std::vector<std::string>
RowWords(const std::string& text, const std::string& first)
{
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
    {
        std::istringstream ws(line);
        std::vector<std::string> words{std::istream_iterator<std::string>(ws),
                                       std::istream_iterator<std::string>()};
        if (!words.empty() && words[0] == first)
        {
            return words;
        }
    }
    return {};
}

TEST(SipAlgProfile, DiagnoseTexts)
{
    AlgFixture f;
    Unit u;
    Session* s = f.Bind(u);
    u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite());
    // FortiOS's sip-proxy stats layout (community article 190757): header, counters, table.
    std::string stats = f.alg->StatsText(3);
    EXPECT_EQ(stats.rfind("sip stats\nvdom name: root\n---------------------------\n"
                          "active-sessions: 1\ncalls-attempted: 1\ncalls-established: 0\n"
                          "calls-failed: 0\ncalls-active: 1\nregisters-active: 3\n",
                          0),
              0u)
        << stats;
    EXPECT_EQ(RowWords(stats, "INVITE"),
              (std::vector<std::string>{"INVITE", "1", "0", "0", "0", "0", "0", "0", "0"}))
        << stats;
    EXPECT_EQ(RowWords(stats, "req-type"),
              (std::vector<std::string>{"req-type",
                                        "|",
                                        "req",
                                        "resp",
                                        "|",
                                        "req",
                                        "resp",
                                        "|",
                                        "req",
                                        "resp",
                                        "|",
                                        "req",
                                        "resp"}));
    // Rows: UNKNOWN, the 14 methods in FortiOS's order, PING.
    const std::size_t unknown = stats.find("\nUNKNOWN ");
    const std::size_t ack = stats.find("\nACK ");
    const std::size_t update = stats.find("\nUPDATE ");
    const std::size_t ping = stats.find("\nPING ");
    ASSERT_NE(unknown, std::string::npos) << stats;
    EXPECT_LT(unknown, ack);
    EXPECT_LT(ack, update);
    EXPECT_LT(update, ping);
    std::string calls = f.alg->CallsText(u.nowNs);
    EXPECT_NE(calls.find("active calls: 1\n"), std::string::npos) << calls;
    const std::string dialogs = f.alg->DialogListText(u.nowNs);
    EXPECT_EQ(dialogs.rfind("dialogs: 1\nid=1 vd=root policy=1 ", 0), 0u) << dialogs;
    EXPECT_NE(dialogs.find(" state=setup "), std::string::npos) << dialogs;
    Ptr<SipSessionHelper> h = LinuxLikeHelper();
    Session* s2 = u.AddSession("10.0.1.3", 5062);
    u.Run(*h, s2, SessionDir::ORIGINAL, SippInvite("10.0.1.3", 7000, "k"));
    std::vector<Expectation> holes;
    for (const Expectation& e : u.pinholes.List())
    {
        if (e.helper == "sip")
        {
            holes.push_back(e);
        }
    }
    ASSERT_EQ(holes.size(), 2u); // RTP and RTCP
    // FortiOS's sip status layout (community article 190757).
    std::string status = h->StatusText(holes);
    EXPECT_EQ(status.rfind("dialogs: max=131072, used=1\nmappings: used=2\n"
                           "dialog hash by ID: size=8192, used=1, depth=1\n"
                           "dialog hash by RTP: size=8192, used=2, depth=1\n"
                           "mapping hash: size=8192, used=2, depth=1\n"
                           "count0: 0\ncount1: 0\ncount2: 0\ncount3: 0\ncount4: 0\n\n",
                           0),
              0u)
        << status;
    EXPECT_NE(status.find("pinholes-opened: 2\n"), std::string::npos) << status;
    const std::string hd = h->DialogListText(u.nowNs);
    EXPECT_EQ(hd.rfind("dialogs: 1\nsession=", 0), 0u) << hd;
    EXPECT_NE(hd.find(" call-id=k "), std::string::npos) << hd;
    EXPECT_NE(hd.find(" state=calling media-pinholes=2 "), std::string::npos) << hd;
}

TEST(SipAlgProfile, ContactPinholeStaysWhileAnotherCallOfThePhoneUsesIt)
{
    AlgFixture f;
    Unit u;
    Session* s = f.Bind(u);
    u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6000, "one"));
    u.Run(*f.alg, s, SessionDir::ORIGINAL, SippInvite("10.0.1.2", 6010, "two", 1));
    auto contactHoles = [&u]() {
        int n = 0;
        for (const auto& e : u.pinholes.List())
        {
            n += e.dport == 5060 && e.src == 0 ? 1 : 0;
        }
        return n;
    };
    EXPECT_EQ(contactHoles(), 1);
    u.Run(*f.alg, s, SessionDir::ORIGINAL, Bye("10.0.1.2", "one"));
    EXPECT_EQ(contactHoles(), 1); // call "two" still needs it
    EXPECT_EQ(u.Find("192.0.2.1", 6000), nullptr);
    EXPECT_NE(u.Find("192.0.2.1", 6010), nullptr);
    u.Run(*f.alg, s, SessionDir::ORIGINAL, Bye("10.0.1.2", "two"));
    EXPECT_EQ(contactHoles(), 0);
    EXPECT_EQ(u.pinholes.Size(), 0u);
}
