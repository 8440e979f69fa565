/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The h323, ras and h245 session helpers driven through HelperContext (no simulation): what
 * they rewrite, which pinholes they open, and that malformed input opens nothing.
 */
#include "fake-helper-host.h"

#include "ns3/h323-messages.h"
#include "ns3/h323-session-helper.h"
#include "ns3/session-table.h"
#include "ns3/text-util.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <memory>
#include <random>

using namespace ns3;

namespace
{

uint32_t
Ip(const char* s)
{
    uint32_t a = 0;
    EXPECT_TRUE(ParseIpv4(s, a)) << s;
    return a;
}

const char* CLIENT = "10.0.1.2";
const char* SERVER = "198.51.100.7";
const char* PUBLIC = "203.0.113.10";

/// A session from CLIENT:cport to SERVER:dport, source-NATed to PUBLIC (same port).
/// A host that accepts every pinhole and reservation; ports from nextPort up (0: preferred).
struct H323Host : FakeHelperHost
{
    uint16_t nextPort{0}; //!< AllocatePort answer (0: the preferred port)

    bool OpenPinhole(const Session&, const Expectation& e) override
    {
        opened.push_back(e);
        return true;
    }

    uint16_t AllocatePort(uint8_t, uint32_t, uint16_t preferred) override
    {
        return nextPort ? nextPort++ : preferred;
    }
};

struct Fixture
{
    SessionTable table;
    Session* s{nullptr};
    H323Host host;
    std::vector<Expectation>& opened{host.opened};
    std::vector<NatReservation>& reserved{host.reservations};
    uint16_t& nextPort{host.nextPort}; //!< AllocatePort answer (0: the preferred port)

    Fixture(uint8_t proto, uint16_t dport, uint16_t cport = 40000, bool snat = true)
    {
        FlowTuple org{Ip(CLIENT), Ip(SERVER), cport, dport, proto};
        FlowTuple leaving = org;
        if (snat)
        {
            leaving.src = Ip(PUBLIC);
        }
        s = table.Insert(org, leaving.Reversed(), 0, 10);
        s->policyId = 3;
        s->helperId = 5;
        s->inIf[0] = 0;
        s->inIf[1] = 1;
    }

    /// Run \p h over \p bytes in direction \p dir. \return the bytes as forwarded
    std::vector<uint8_t> Run(SessionHelper& h,
                             SessionDir dir,
                             const std::vector<uint8_t>& bytes,
                             bool mayHold = false,
                             bool* held = nullptr)
    {
        PacketView v;
        v.tuple = s->Tuple(dir);
        v.l4Valid = true;
        const FlowTuple leaving = s->Translated(dir);
        HelperContext ctx(host, *s, dir, v, bytes.data(), bytes.size(), leaving, 0);
        ctx.mayHold = mayHold;
        h.Inspect(ctx);
        if (held)
        {
            *held = ctx.hold;
        }
        return ctx.editor.Apply(bytes.data(), bytes.size());
    }
};

/// \return the addresses of the Q.931 frame \p f as "role ip:port;" text
std::string
Q931Addresses(const std::vector<uint8_t>& f)
{
    Q931Message m;
    EXPECT_TRUE(ParseQ931(f.data(), f.size(), m));
    std::string out;
    for (uint8_t i = 0; i < m.uuie.count; ++i)
    {
        const H323Address& a = m.uuie.addresses[i];
        out += std::string(H323RoleName(a.role)) + " " + Ipv4ToString(a.ip) + ":" +
               std::to_string(a.port) + ";";
    }
    return out;
}

/// A Setup from CLIENT: H.245 at 5000, fast start RTP 6000 / RTCP 6001, call signalling 40000.
H225Uuie
ClientSetup()
{
    H225Uuie u;
    u.q931Type = Q931_SETUP;
    u.h245 = {Ip(CLIENT), 5000};
    u.sourceCsa = {Ip(CLIENT), 40000};
    u.destCsa = {Ip(SERVER), 1720};
    H245Channel ch;
    ch.reverse = true;
    ch.rtp = {Ip(CLIENT), 6000};
    ch.rtcp = {Ip(CLIENT), 6001};
    u.fastStart.push_back(EncodeOpenLogicalChannel(ch));
    return u;
}

} // namespace

TEST(H323SessionHelper, SetupUnderSnatIsRewrittenInPlaceAndOpensH245AndMedia)
{
    Fixture f(IPPROTO_NUM_TCP, 1720);
    f.nextPort = 31000;
    H323SessionHelper h;
    const std::vector<uint8_t> in = EncodeQ931(ClientSetup(), 1);
    const std::vector<uint8_t> out = f.Run(h, SessionDir::ORIGINAL, in);
    ASSERT_EQ(out.size(), in.size()); // addresses have a fixed size in PER
    EXPECT_EQ(Q931Addresses(in),
              "h245Address 10.0.1.2:5000;destCallSignalAddress 198.51.100.7:1720;"
              "sourceCallSignalAddress 10.0.1.2:40000;mediaControlChannel 10.0.1.2:6001;"
              "mediaChannel 10.0.1.2:6000;mediaControlChannel 10.0.1.2:6001;");
    EXPECT_EQ(Q931Addresses(out),
              "h245Address 203.0.113.10:31000;destCallSignalAddress 198.51.100.7:1720;"
              "sourceCallSignalAddress 203.0.113.10:40000;mediaControlChannel "
              "203.0.113.10:31001;mediaChannel 203.0.113.10:31002;mediaControlChannel "
              "203.0.113.10:31001;");
    // H.245, RTCP, RTP (RTCP once); the caller's own call-signalling address is only translated
    ASSERT_EQ(f.opened.size(), 3u);
    const Expectation& h245 = f.opened[0];
    EXPECT_EQ(h245.proto, IPPROTO_NUM_TCP);
    EXPECT_EQ(h245.src, Ip(SERVER));
    EXPECT_EQ(h245.dst, Ip(PUBLIC));
    EXPECT_EQ(h245.dport, 31000);
    EXPECT_EQ(h245.natDst, Ip(CLIENT));
    EXPECT_EQ(h245.natDport, 5000);
    EXPECT_EQ(h245.childHelper, 5); // the H.245 connection is inspected by this helper
    EXPECT_EQ(h245.helper, "h323");
    const Expectation& rtp = f.opened[2];
    EXPECT_EQ(rtp.proto, IPPROTO_NUM_UDP);
    EXPECT_EQ(rtp.dport, 31002);
    EXPECT_EQ(rtp.natDport, 6000);
    ASSERT_EQ(f.reserved.size(), 2u); // the phone's own RTP/RTCP leave from the announced ports
    EXPECT_EQ(f.reserved[1].privPort, 6000);
    EXPECT_EQ(f.reserved[1].pubPort, 31002);
    EXPECT_EQ(h.GetCounters().rewritten, 5u); // destCallSignalAddress is the callee's
    // the Connect repeating the same addresses reuses the same translation, opens nothing new
    const std::vector<uint8_t> again = f.Run(h, SessionDir::ORIGINAL, in);
    EXPECT_EQ(again, out);
    EXPECT_EQ(f.opened.size(), 3u);
}

TEST(H323SessionHelper, ConnectFromThePublicCalleeOpensH245AndMediaForTheNatedCaller)
{
    Fixture f(IPPROTO_NUM_TCP, 1720);
    H323SessionHelper h;
    H225Uuie u;
    u.q931Type = Q931_CONNECT;
    u.h245 = {Ip(SERVER), 1300};
    H245Channel ch;
    ch.rtp = {Ip(SERVER), 7000};
    ch.rtcp = {Ip(SERVER), 7001};
    u.fastStart.push_back(EncodeOpenLogicalChannel(ch));
    const std::vector<uint8_t> in = EncodeQ931(u, 0x8001);
    EXPECT_EQ(f.Run(h, SessionDir::REPLY, in), in); // the callee is not translated
    ASSERT_EQ(f.opened.size(), 3u);
    for (const Expectation& e : f.opened)
    {
        EXPECT_EQ(e.src, Ip(CLIENT)); // from the caller, as its packets arrive
        EXPECT_EQ(e.dst, Ip(SERVER));
        EXPECT_EQ(e.natSrc, Ip(PUBLIC)); // translated as the caller's call is
        EXPECT_EQ(e.natDst, 0u);
    }
    EXPECT_EQ(f.opened[0].dport, 1300);
    EXPECT_EQ(f.opened[1].dport, 7000);
    EXPECT_EQ(f.opened[2].dport, 7001);
}

TEST(H323SessionHelper, CalleeBehindAVipGetsItsAddressesTranslatedToTheVip)
{
    // client 198.51.100.7 calls VIP 203.0.113.100:1720 -> 10.0.2.2:1720
    SessionTable table;
    const FlowTuple org{Ip(SERVER), Ip("203.0.113.100"), 40000, 1720, IPPROTO_NUM_TCP};
    const FlowTuple reply{Ip("10.0.2.2"), Ip(SERVER), 1720, 40000, IPPROTO_NUM_TCP};
    Session* s = table.Insert(org, reply, 0, 10);
    s->helperId = 5;
    H323SessionHelper h;
    H225Uuie u;
    u.q931Type = Q931_CONNECT;
    u.h245 = {Ip("10.0.2.2"), 1300};
    const std::vector<uint8_t> in = EncodeQ931(u, 0x8001);
    PacketView v;
    v.tuple = s->Tuple(SessionDir::REPLY);
    v.l4Valid = true;
    H323Host host;
    const std::vector<Expectation>& opened = host.opened;
    HelperContext ctx(host,
                      *s,
                      SessionDir::REPLY,
                      v,
                      in.data(),
                      in.size(),
                      s->Translated(SessionDir::REPLY),
                      0);
    h.Inspect(ctx);
    const std::vector<uint8_t> out = ctx.editor.Apply(in.data(), in.size());
    EXPECT_EQ(Q931Addresses(out), "h245Address 203.0.113.100:1300;");
    ASSERT_EQ(opened.size(), 1u);
    EXPECT_EQ(opened[0].src, Ip(SERVER));
    EXPECT_EQ(opened[0].dst, Ip("203.0.113.100"));
    EXPECT_EQ(opened[0].dport, 1300);
    EXPECT_EQ(opened[0].natDst, Ip("10.0.2.2"));
    EXPECT_EQ(opened[0].natDport, 1300);
}

TEST(H323SessionHelper, SeparateH245ChannelOlcAndAckOpenMedia)
{
    Fixture f(IPPROTO_NUM_TCP, 1300); // the H.245 connection the h245Address pinhole let in
    H245InSessionHelper h;
    EXPECT_EQ(h.GetName(), "h245I");
    H245Channel olc;
    olc.rtcp = {Ip(CLIENT), 6001};
    olc.number = 1;
    const std::vector<uint8_t> in = EncodeTpkt(EncodeH245Olc(olc));
    const std::vector<uint8_t> out = f.Run(h, SessionDir::ORIGINAL, in);
    ASSERT_EQ(out.size(), in.size());
    const H323Decoded d = DecodeH245(out.data(), 4, out.size());
    ASSERT_TRUE(d.Usable());
    EXPECT_EQ(d.type, 0);    // request
    EXPECT_EQ(d.subtype, 3); // openLogicalChannel
    ASSERT_EQ(d.count, 1);
    EXPECT_EQ(d.addresses[0].role, H323_MEDIA_CONTROL);
    EXPECT_EQ(d.addresses[0].ip, Ip(PUBLIC));
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].natDport, 6001);

    H245Channel ack;
    ack.rtp = {Ip(SERVER), 7000};
    ack.rtcp = {Ip(SERVER), 7001};
    const std::vector<uint8_t> a = EncodeTpkt(EncodeH245OlcAck(ack));
    const H323Decoded da = DecodeH245(a.data(), 4, a.size());
    EXPECT_EQ(da.type, 1);    // response
    EXPECT_EQ(da.subtype, 5); // openLogicalChannelAck
    EXPECT_EQ(f.Run(h, SessionDir::REPLY, a), a);
    ASSERT_EQ(f.opened.size(), 3u);
    EXPECT_EQ(f.opened[1].dport, 7000);
    EXPECT_EQ(f.opened[1].src, Ip(CLIENT));
}

TEST(H323SessionHelper, TunnelledH245InTheCallSignallingIsHandled)
{
    Fixture f(IPPROTO_NUM_TCP, 1720);
    H323SessionHelper h;
    H225Uuie u;
    u.q931Type = Q931_FACILITY;
    H245Channel olc;
    olc.rtcp = {Ip(CLIENT), 6001};
    u.h245Control.push_back(EncodeH245Olc(olc));
    const std::vector<uint8_t> in = EncodeQ931(u, 1);
    const std::vector<uint8_t> out = f.Run(h, SessionDir::ORIGINAL, in);
    EXPECT_EQ(Q931Addresses(out), "mediaControlChannel 203.0.113.10:6001;");
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].proto, IPPROTO_NUM_UDP);
}

TEST(RasSessionHelper, RegistrationUnderSnatRewritesRasAndCallSignalling)
{
    Fixture f(IPPROTO_NUM_UDP, 1719, 1719);
    RasSessionHelper h;
    H225Ras rrq;
    rrq.type = RAS_RRQ;
    rrq.ras = {Ip(CLIENT), 1719};
    rrq.callSignal = {Ip(CLIENT), 1720};
    const std::vector<uint8_t> in = EncodeRas(rrq);
    const std::vector<uint8_t> out = f.Run(h, SessionDir::ORIGINAL, in);
    const H323Decoded d = DecodeRas(out.data(), out.size());
    ASSERT_TRUE(d.Usable()) << PerResultName(d.result);
    EXPECT_EQ(d.type, RAS_RRQ);
    ASSERT_EQ(d.count, 2);
    EXPECT_EQ(d.addresses[0].role, H323_CALL_SIGNAL);
    EXPECT_EQ(d.addresses[0].ip, Ip(PUBLIC));
    EXPECT_EQ(d.addresses[1].role, H323_RAS_ADDRESS);
    EXPECT_EQ(d.addresses[1].ip, Ip(PUBLIC));
    EXPECT_EQ(d.addresses[1].port, 1719); // this very flow, as translated
    ASSERT_EQ(f.opened.size(), 1u);       // incoming calls to the registered endpoint
    EXPECT_EQ(f.opened[0].proto, IPPROTO_NUM_TCP);
    EXPECT_EQ(f.opened[0].src, 0u);
    EXPECT_FALSE(f.opened[0].oneShot);
    EXPECT_EQ(f.opened[0].natDst, Ip(CLIENT));
    EXPECT_EQ(f.opened[0].natDport, 1720);
}

TEST(RasSessionHelper, AlternateGatekeepersOfGcfAndRcfAreAllowed)
{
    Fixture f(IPPROTO_NUM_UDP, 1719, 1719);
    RasSessionHelper h;
    for (int32_t type : {RAS_GCF, RAS_RCF})
    {
        H225Ras m;
        m.type = type;
        m.ras = {Ip(SERVER), 1719};
        m.callSignal = {Ip(CLIENT), 1720};
        m.alternateGatekeepers = {{Ip("198.51.100.8"), 1719}, {Ip("198.51.100.9"), 1719}};
        const std::vector<uint8_t> in = EncodeRas(m);
        const H323Decoded d = DecodeRas(in.data(), in.size());
        ASSERT_TRUE(d.Usable()) << H225RasName(type) << " " << PerResultName(d.result);
        EXPECT_EQ(d.CountRole(H323_ALTERNATE_GK), 2u) << H225RasName(type);
        EXPECT_EQ(f.Run(h, SessionDir::REPLY, in), in);
    }
    ASSERT_EQ(f.opened.size(), 2u); // the RCF repeating the GCF's list allows nothing new
    EXPECT_EQ(f.opened[0].dst, Ip("198.51.100.8"));
    EXPECT_EQ(f.opened[1].dst, Ip("198.51.100.9"));
    EXPECT_EQ(f.opened[0].src, Ip(CLIENT));
    EXPECT_EQ(f.opened[0].natSrc, Ip(PUBLIC));
    EXPECT_EQ(f.opened[0].proto, IPPROTO_NUM_UDP);
    EXPECT_EQ(h.GetCounters().alternateGatekeepers, 4u);
}

TEST(RasSessionHelper, AdmissionConfirmOpensTheCallSignallingPinhole)
{
    Fixture f(IPPROTO_NUM_UDP, 1719, 1719);
    RasSessionHelper h;
    H225Ras acf;
    acf.type = RAS_ACF;
    acf.callSignal = {Ip("198.51.100.20"), 1720};
    const std::vector<uint8_t> in = EncodeRas(acf);
    EXPECT_EQ(f.Run(h, SessionDir::REPLY, in), in);
    ASSERT_EQ(f.opened.size(), 1u);
    EXPECT_EQ(f.opened[0].proto, IPPROTO_NUM_TCP);
    EXPECT_EQ(f.opened[0].dst, Ip("198.51.100.20"));
    EXPECT_EQ(f.opened[0].dport, 1720);
}

TEST(H323SessionHelper, LyingLengthsAndCutFramesOpenNothingAndPassUnchanged)
{
    Fixture f(IPPROTO_NUM_TCP, 1720);
    H323SessionHelper h;
    std::vector<uint8_t> setup = EncodeQ931(ClientSetup(), 1);
    // 1. the fastStart element's length claims more than the UUIE holds
    const std::vector<uint8_t> olc = ClientSetup().fastStart[0];
    std::vector<uint8_t> lie = setup;
    const auto at = std::search(lie.begin(), lie.end(), olc.begin(), olc.end());
    ASSERT_NE(at, lie.end());
    ASSERT_EQ(*(at - 1), olc.size()); // its length octet
    *(at - 1) = 0x7f;
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, lie), lie);
    // 2. a TPKT whose length runs past the segment (not held: the datapath forwards it)
    std::vector<uint8_t> cut(setup.begin(), setup.begin() + 30);
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, cut), cut);
    // 3. the same, when the datapath may hold it: held for the next segment
    bool held = false;
    f.Run(h, SessionDir::ORIGINAL, cut, true, &held);
    EXPECT_TRUE(held);
    // 4. a user-user IE whose length runs past the frame
    std::vector<uint8_t> ie = setup;
    ie[4 + 5 + 5 + 1] = 0xff;
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, ie), ie);
    // 5. not TPKT at all
    const std::vector<uint8_t> junk{0x00};
    EXPECT_EQ(f.Run(h, SessionDir::ORIGINAL, junk), junk);
    EXPECT_TRUE(f.opened.empty());
    EXPECT_EQ(h.GetCounters().malformed, 3u);
    EXPECT_EQ(h.GetCounters().notTpkt, 1u);
    EXPECT_EQ(h.GetCounters().messages, 0u);
}

TEST(H323SessionHelper, RandomAndMutatedInputNeverCrashes)
{
    std::mt19937 rng(1720);
    H323SessionHelper h;
    RasSessionHelper ras;
    const std::vector<uint8_t> seeds[] = {EncodeQ931(ClientSetup(), 1),
                                          EncodeTpkt(EncodeH245Olc(H245Channel{})),
                                          EncodeRas(H225Ras{})};
    for (int i = 0; i < 3000; ++i)
    {
        std::vector<uint8_t> b = seeds[i % 3];
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int k = 0; k < flips; ++k)
        {
            b[rng() % b.size()] = static_cast<uint8_t>(rng());
        }
        if (rng() % 4 == 0)
        {
            b.resize(rng() % b.size());
        }
        FuzzH323(b.data(), b.size());
        Fixture f(i % 3 == 2 ? IPPROTO_NUM_UDP : IPPROTO_NUM_TCP, i % 3 == 2 ? 1719 : 1720);
        const std::vector<uint8_t> out =
            f.Run(i % 3 == 2 ? static_cast<SessionHelper&>(ras) : h, SessionDir::ORIGINAL, b);
        EXPECT_EQ(out.size(), b.size()); // rewrites never change the length
    }
}
