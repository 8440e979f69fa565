/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * SIP phones, the provider's registrar/proxy and RTP streams on a plain routed topology (no
 * FortiGate): registration with refresh and failures, calls with two-way audio through the
 * proxy, CANCEL, a callee that never answers, unreachable callees, re-INVITE hold/resume, BYE
 * from either side, SIP over TCP with several messages in a segment and a message split over
 * segments, two phones with the same RTP port, and RTP/RTCP timing and loss.
 */
#include "ns3/config-error.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/error-model.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/ppp-header.h"
#include "ns3/rtp-stream.h"
#include "ns3/sip-helper.h"
#include "ns3/sip-message.h"
#include "ns3/sip-registrar.h"
#include "ns3/sip-user-agent.h"

#include <functional>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// One SIP message seen by a trace.
struct Seen
{
    Time at;          //!< when
    std::string text; //!< the message
    Ipv4Address peer; //!< destination (Tx) or source (Rx)
    uint16_t port;    //!< its port
};

/// Collects SipTx / SipRx of an application.
struct MessageLog
{
    std::vector<Seen> tx; //!< sent
    std::vector<Seen> rx; //!< received

    void Attach(Ptr<Object> app)
    {
        app->TraceConnectWithoutContext(
            "SipTx",
            Callback<void, const std::string&, Ipv4Address, uint16_t>(
                std::function<void(const std::string&, Ipv4Address, uint16_t)>(
                    [this](const std::string& t, Ipv4Address a, uint16_t p) {
                        tx.push_back({Simulator::Now(), t, a, p});
                    })));
        app->TraceConnectWithoutContext(
            "SipRx",
            Callback<void, const std::string&, Ipv4Address, uint16_t>(
                std::function<void(const std::string&, Ipv4Address, uint16_t)>(
                    [this](const std::string& t, Ipv4Address a, uint16_t p) {
                        rx.push_back({Simulator::Now(), t, a, p});
                    })));
    }

    /// \return messages whose start line begins with \p start ("INVITE", "SIP/2.0 487", ...)
    static std::vector<Seen> Starting(const std::vector<Seen>& v, const std::string& start)
    {
        std::vector<Seen> out;
        for (const Seen& s : v)
        {
            if (s.text.compare(0, start.size(), start) == 0)
            {
                out.push_back(s);
            }
        }
        return out;
    }

    std::size_t CountTx(const std::string& start) const
    {
        return Starting(tx, start).size();
    }

    std::size_t CountRx(const std::string& start) const
    {
        return Starting(rx, start).size();
    }
};

/// Parse a message (datagram framing) for assertions.
SipMessage
Parse(const std::string& text)
{
    SipMessage m;
    EXPECT_EQ(ParseSipMessage(reinterpret_cast<const uint8_t*>(text.data()), text.size(), m),
              SipParseStatus::OK)
        << text;
    return m;
}

/// Drops every n-th UDP packet to a given port on a device (RTP loss).
class EveryNthToPort : public ErrorModel
{
  public:
    uint16_t port{0};    //!< destination port to hit
    uint32_t n{10};      //!< drop one in n
    uint32_t seen{0};    //!< packets to the port
    uint32_t dropped{0}; //!< dropped

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        Ptr<Packet> c = p->Copy();
        PppHeader ppp;
        c->RemoveHeader(ppp);
        Ipv4Header ip;
        c->RemoveHeader(ip);
        if (ip.GetProtocol() != 17)
        {
            return false;
        }
        UdpHeader udp;
        c->PeekHeader(udp);
        if (udp.GetDestinationPort() != port)
        {
            return false;
        }
        if (++seen % n == 0)
        {
            ++dropped;
            return true;
        }
        return false;
    }

    void DoReset() override
    {
    }
};

/**
 * LAN (CSMA 10.0.1.0/24): alice .1, carol .2, router .254 -- p2p 5 ms (192.0.2.0/30) --
 * WAN router .1 on CSMA 198.51.100.0/24 with the provider's registrar .2 and bob .3.
 * Plain routing, no NAT.
 */
class SipNet : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        lan.Create(2);
        router = CreateObject<Node>();
        wanRouter = CreateObject<Node>();
        provider = CreateObject<Node>();
        bobNode = CreateObject<Node>();

        CsmaHelper csma;
        csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
        csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
        NodeContainer lanNodes(lan);
        lanNodes.Add(router);
        NetDeviceContainer lanDevs = csma.Install(lanNodes);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("5ms"));
        coreDevs = p2p.Install(router, wanRouter);
        NodeContainer wanNodes(wanRouter, provider, bobNode);
        NetDeviceContainer wanDevs = csma.Install(wanNodes);

        InternetStackHelper stack;
        stack.Install(lan);
        stack.Install(router);
        stack.Install(wanNodes);
        Ipv4AddressHelper addr;
        addr.SetBase("10.0.1.0", "255.255.255.0");
        Ipv4InterfaceContainer lanIf = addr.Assign(lanDevs);
        addr.SetBase("192.0.2.0", "255.255.255.252");
        addr.Assign(coreDevs);
        addr.SetBase("198.51.100.0", "255.255.255.0");
        Ipv4InterfaceContainer wanIf = addr.Assign(wanDevs);
        alice = lanIf.GetAddress(0);
        carol = lanIf.GetAddress(1);
        registrar = wanIf.GetAddress(1);
        bob = wanIf.GetAddress(2);
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    Ptr<SipRegistrar> InstallRegistrar(
        const std::vector<std::pair<std::string, Ptr<AttributeValue>>>& attrs = {})
    {
        SipRegistrarHelper h;
        for (const auto& a : attrs)
        {
            h.SetAttribute(a.first, *a.second);
        }
        ApplicationContainer apps = h.Install(provider);
        apps.Start(Seconds(0));
        return DynamicCast<SipRegistrar>(apps.Get(0));
    }

    /// A phone registered at the provider, started at \p start.
    Ptr<SipUserAgent> Phone(
        Ptr<Node> node,
        const std::string& user,
        double start = 0.5,
        const std::vector<std::pair<std::string, Ptr<AttributeValue>>>& attrs = {})
    {
        SipUserAgentHelper h(registrar);
        for (const auto& a : attrs)
        {
            h.SetAttribute(a.first, *a.second);
        }
        ApplicationContainer apps = h.Install(node, user);
        apps.Start(Seconds(start));
        SipUserAgentHelper::AssignStreams(apps, 1000 + streams++);
        return DynamicCast<SipUserAgent>(apps.Get(0));
    }

    /// Bob calls alice whose Contact is unreachable (see the tests using it).
    void CallToUnreachableContact(bool useSource);

    static Ptr<AttributeValue> V(const AttributeValue& v)
    {
        return v.Copy();
    }

    NodeContainer lan;
    Ptr<Node> router;
    Ptr<Node> wanRouter;
    Ptr<Node> provider;
    Ptr<Node> bobNode;
    NetDeviceContainer coreDevs;
    Ipv4Address alice;
    Ipv4Address carol;
    Ipv4Address registrar;
    Ipv4Address bob;
    int64_t streams{0};
};

using SipAppRegister = SipNet;

using SipAppCall = SipNet;
using SipAppTcp = SipNet;
using SipAppMedia = SipNet;
using SipAppApi = SipNet;

} // namespace

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

TEST_F(SipAppRegister, RegistersAndRefreshesBeforeExpiry)
{
    Ptr<SipRegistrar> reg = InstallRegistrar();
    Ptr<SipUserAgent> a =
        Phone(lan.Get(0), "alice", 0.5, {{"RegisterExpires", V(UintegerValue(120))}});
    MessageLog log;
    log.Attach(a);
    std::vector<std::pair<Time, SipRegistrationState>> changes;
    a->TraceConnectWithoutContext("RegistrationChanged",
                                  Callback<void, SipRegistrationState, const std::string&>(
                                      std::function<void(SipRegistrationState, const std::string&)>(
                                          [&](SipRegistrationState s, const std::string&) {
                                              changes.emplace_back(Simulator::Now(), s);
                                          })));
    Simulator::Stop(Seconds(200));
    Simulator::Run();

    SipRegistrationInfo r = a->GetRegistration();
    EXPECT_EQ(r.state, SIP_REG_REGISTERED);
    // 120 s granted, refreshed at half: REGISTERs at 0.5, 60.5, 120.5, 180.5
    EXPECT_EQ(r.successes, 4u);
    EXPECT_EQ(r.requests, 4u);
    EXPECT_EQ(r.transmissions, 4u); // no loss, no retransmission
    EXPECT_EQ(r.failures, 0u);
    EXPECT_EQ(r.grantedExpires, 120u);
    // a 5 ms link each way, plus ARP on both LANs for the first one (ns-3 ARP waits a random
    // 0-10 ms before each request)
    EXPECT_GT(r.registrationDelay, MilliSeconds(10));
    EXPECT_LT(r.registrationDelay, MilliSeconds(60));
    EXPECT_EQ(r.firstRequest, Seconds(0.5));
    EXPECT_NEAR(r.lastSuccess.GetSeconds(), 180.5, 0.1);
    ASSERT_GE(changes.size(), 2u);
    EXPECT_EQ(changes[0].second, SIP_REG_REGISTERING);
    EXPECT_EQ(changes[1].second, SIP_REG_REGISTERED);

    // Every REGISTER: same Call-ID, CSeq up by one, Expires 120, Contact our private address.
    std::vector<Seen> regs = MessageLog::Starting(log.tx, "REGISTER");
    ASSERT_EQ(regs.size(), 4u);
    SipMessage first = Parse(regs[0].text);
    for (std::size_t i = 0; i < regs.size(); ++i)
    {
        SipMessage m = Parse(regs[i].text);
        EXPECT_EQ(m.callId, first.callId);
        EXPECT_EQ(m.cseq, first.cseq + i);
        EXPECT_EQ(m.expires, 120u);
        ASSERT_EQ(m.contacts.size(), 1u);
        EXPECT_EQ(m.contacts[0].uri.host, "10.0.1.1");
        EXPECT_EQ(m.contacts[0].uri.port, 5060);
        ASSERT_EQ(m.vias.size(), 1u);
        EXPECT_EQ(m.vias[0].branch.compare(0, 7, "z9hG4bK"), 0);
        EXPECT_TRUE(m.vias[0].hasRport);
        EXPECT_EQ(regs[i].peer, registrar);
        EXPECT_EQ(regs[i].port, 5060);
        if (i > 0)
        {
            EXPECT_NE(m.vias[0].branch, first.vias[0].branch);
        }
    }

    SipBinding b;
    ASSERT_TRUE(reg->LookupBinding("alice", b));
    EXPECT_EQ(b.contact, "sip:alice@10.0.1.1:5060");
    EXPECT_EQ(b.contactAddress, alice);
    EXPECT_EQ(b.sourceAddress, alice);
    EXPECT_EQ(b.sourcePort, 5060);
    EXPECT_FALSE(b.BehindNat());
    EXPECT_EQ(b.refreshes, 3u);
    EXPECT_EQ(b.expires, 120u);
    EXPECT_EQ(reg->GetStats().registers, 4u);
    EXPECT_EQ(reg->GetStats().registerOk, 4u);
}

// Issue 16: UDP to an address of the node itself is answered while the request is still being
// sent. The transaction must be looked up again after the send (it may be over), and the
// REGISTER's key known before it: else the transaction outlived its answer and the REGISTER was
// retransmitted (writing into the freed transaction).
TEST_F(SipAppRegister, PhoneOnTheRegistrarsNodeIsAnsweredDuringTheSend)
{
    InstallRegistrar();
    Ptr<SipUserAgent> b = Phone(provider, "bob", 0.5, {{"LocalPort", V(UintegerValue(5070))}});
    Ptr<SipUserAgent> d = Phone(provider, "dave", 0.5, {{"LocalPort", V(UintegerValue(5080))}});
    b->Call("dave", Seconds(2), Seconds(6)); // answered at once, BYE at 8 s
    b->Hold(0, Seconds(4));                  // re-INVITEs answered during their send
    b->Resume(0, Seconds(6));
    Simulator::Stop(Seconds(12));
    Simulator::Run();
    for (Ptr<SipUserAgent> ua : {b, d})
    {
        SipRegistrationInfo r = ua->GetRegistration();
        EXPECT_TRUE(ua->IsRegistered()) << ua->GetAor();
        EXPECT_EQ(r.requests, 1u) << ua->GetAor();
        EXPECT_EQ(r.transmissions, 1u) << ua->GetAor(); // no retransmission of an answered one
    }
    SipCallRecord cb = b->GetCall(0);
    SipCallRecord cd;
    ASSERT_TRUE(d->FindCall(cb.callId, cd));
    EXPECT_EQ(cb.state, SIP_CALL_TERMINATED);
    EXPECT_EQ(cd.state, SIP_CALL_TERMINATED);
    EXPECT_EQ(cb.inviteTransmissions, 1u);
    EXPECT_EQ(cb.reInvites, 2u); // each answered as a re-INVITE, not as the dialog's INVITE
    EXPECT_EQ(cd.reInvites, 2u);
    EXPECT_FALSE(cb.onHold);
    // the ACK of each 200 arrived during its send: dave was answered when it came, so it
    // confirmed the call at once and retransmitted no 200
    EXPECT_EQ(cd.confirmed, cd.answered);
}

TEST_F(SipAppRegister, IntervalTooBriefIsRetriedWithMinExpires)
{
    Ptr<SipRegistrar> reg = InstallRegistrar({{"MinExpires", V(UintegerValue(90))}});
    Ptr<SipUserAgent> a =
        Phone(lan.Get(0), "alice", 0.5, {{"RegisterExpires", V(UintegerValue(30))}});
    MessageLog log;
    log.Attach(a);
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    EXPECT_EQ(log.CountRx("SIP/2.0 423"), 1u);
    EXPECT_EQ(a->GetRegistration().state, SIP_REG_REGISTERED);
    EXPECT_EQ(a->GetRegistration().grantedExpires, 90u);
    std::vector<Seen> regs = MessageLog::Starting(log.tx, "REGISTER");
    ASSERT_EQ(regs.size(), 2u);
    EXPECT_EQ(Parse(regs[1].text).expires, 90u);
    EXPECT_EQ(reg->GetStats().registerRejected, 1u);
}

TEST_F(SipAppRegister, NoRegistrarTimesOutAfter64T1AndRetries)
{
    // No registrar is installed: REGISTER goes unanswered.
    Ptr<SipUserAgent> a =
        Phone(lan.Get(0), "alice", 1.0, {{"RegisterRetryInterval", V(TimeValue(Seconds(60)))}});
    MessageLog log;
    log.Attach(a);
    std::string reason;
    a->TraceConnectWithoutContext("RegistrationChanged",
                                  Callback<void, SipRegistrationState, const std::string&>(
                                      std::function<void(SipRegistrationState, const std::string&)>(
                                          [&](SipRegistrationState s, const std::string& why) {
                                              if (s == SIP_REG_FAILED)
                                              {
                                                  reason = why;
                                              }
                                          })));
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    SipRegistrationInfo r = a->GetRegistration();
    EXPECT_EQ(r.state, SIP_REG_FAILED);
    EXPECT_EQ(r.lastFailure, "timeout (no response to REGISTER)");
    EXPECT_EQ(reason, r.lastFailure);
    EXPECT_EQ(r.failures, 1u);
    // Timer E over UDP: sent at 0, 0.5, 1.5, 3.5, 7.5 then every T2 = 4 s (11.5 ... 31.5),
    // timer F ends the transaction at 32 s: 11 copies, all the same text.
    std::vector<Seen> regs = MessageLog::Starting(log.tx, "REGISTER");
    ASSERT_EQ(regs.size(), 11u);
    EXPECT_EQ(r.transmissions, 11u);
    const double expected[] = {1.0, 1.5, 2.5, 4.5, 8.5, 12.5, 16.5, 20.5, 24.5, 28.5, 32.5};
    for (std::size_t i = 0; i < regs.size(); ++i)
    {
        EXPECT_NEAR(regs[i].at.GetSeconds(), expected[i], 1e-6) << i;
        EXPECT_EQ(regs[i].text, regs[0].text);
    }
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

TEST_F(SipAppCall, TwoWayAudioThroughTheProxy)
{
    Ptr<SipRegistrar> reg = InstallRegistrar();
    Ptr<SipUserAgent> a = Phone(lan.Get(0), "alice");
    Ptr<SipUserAgent> b = Phone(bobNode, "bob");
    MessageLog la;
    MessageLog lb;
    MessageLog lr;
    la.Attach(a);
    lb.Attach(b);
    lr.Attach(reg);
    std::vector<SipCallState> states;
    a->TraceConnectWithoutContext(
        "CallStateChanged",
        Callback<void, uint32_t, const std::string&, SipCallState, SipCallState>(
            std::function<void(uint32_t, const std::string&, SipCallState, SipCallState)>(
                [&](uint32_t, const std::string&, SipCallState, SipCallState to) {
                    states.push_back(to);
                })));
    uint32_t call = a->Call("bob", Seconds(2), Seconds(10));
    Simulator::Stop(Seconds(20));
    Simulator::Run();

    ASSERT_EQ(a->GetCallCount(), 1u);
    ASSERT_EQ(b->GetCallCount(), 1u);
    SipCallRecord ca = a->GetCall(call);
    SipCallRecord cb = b->GetCall(0);
    EXPECT_EQ(ca.state, SIP_CALL_TERMINATED);
    EXPECT_EQ(ca.endReason, "BYE sent");
    EXPECT_EQ(cb.state, SIP_CALL_TERMINATED);
    EXPECT_EQ(cb.endReason, "BYE received");
    EXPECT_EQ(ca.callId, cb.callId);
    EXPECT_TRUE(ca.outgoing);
    EXPECT_FALSE(cb.outgoing);
    EXPECT_EQ(ca.finalStatus, 200u);
    EXPECT_EQ(ca.inviteTransmissions, 1u);
    std::vector<SipCallState> want = {SIP_CALL_CALLING,
                                      SIP_CALL_PROCEEDING,
                                      SIP_CALL_RINGING,
                                      SIP_CALL_CONFIRMED,
                                      SIP_CALL_TERMINATING,
                                      SIP_CALL_TERMINATED};
    EXPECT_EQ(states, want);

    // Setup delay: bob rings 1 s; the INVITE and the 200 cross two 5 ms links each way.
    EXPECT_GT(ca.SetupDelay(), Seconds(1.01));
    EXPECT_LT(ca.SetupDelay(), Seconds(1.03));
    EXPECT_EQ(ca.SetupDelay(), ca.answered - ca.inviteSent);
    EXPECT_EQ(ca.inviteSent, Seconds(2));

    // 10 s of G.711: 500 packets each way, all arriving.
    EXPECT_NEAR(static_cast<double>(ca.PacketsSent()), 500.0, 3.0);
    EXPECT_NEAR(static_cast<double>(cb.PacketsSent()), 500.0, 3.0);
    EXPECT_EQ(cb.PacketsReceived(), ca.PacketsSent());
    EXPECT_NEAR(static_cast<double>(ca.PacketsReceived()),
                static_cast<double>(cb.PacketsSent()),
                2.0); // a few of bob's last packets may still fly when the BYE leaves
    EXPECT_EQ(ca.rtp.lost, 0);
    EXPECT_EQ(cb.rtp.lost, 0);
    EXPECT_EQ(ca.rtp.bytesReceived, 160u * ca.rtp.packetsReceived);
    ASSERT_EQ(cb.rtp.sources.size(), 1u);
    EXPECT_EQ(cb.rtp.sources[0].address, alice);
    EXPECT_EQ(cb.rtp.sources[0].port, 16384);
    ASSERT_EQ(ca.rtp.sources.size(), 1u);
    EXPECT_EQ(ca.rtp.sources[0].address, bob);
    EXPECT_EQ(ca.remoteMediaAddress, bob);
    EXPECT_EQ(cb.remoteMediaAddress, alice);
    EXPECT_EQ(ca.remoteRtpPort, 16384);
    EXPECT_EQ(ca.remoteRtcpPort, 16385);
    EXPECT_EQ(ca.Verdict(), SIP_AUDIO_TWO_WAY);
    EXPECT_EQ(cb.Verdict(), SIP_AUDIO_TWO_WAY);
    EXPECT_EQ(SipCombinedVerdict(ca, cb), SIP_AUDIO_TWO_WAY);
    EXPECT_EQ(SipUserAgentHelper::Verdict(a, call, b), SIP_AUDIO_TWO_WAY);
    EXPECT_GE(ca.rtp.rtcpReceived, 2u);
    EXPECT_GT(ca.rtp.peerReportedReceived, 400);
    // media started at the answer and stopped at the BYE
    EXPECT_GE(cb.rtp.firstRx, ca.answered);
    EXPECT_LE(cb.rtp.lastRx, ca.ended + MilliSeconds(20));

    // Signalling: INVITE, 100, 180, 200, ACK, BYE, 200 - everything through the proxy
    // (Record-Route), each message exactly once.
    EXPECT_EQ(la.CountTx("INVITE"), 1u);
    EXPECT_EQ(la.CountRx("SIP/2.0 100"), 1u);
    EXPECT_EQ(la.CountRx("SIP/2.0 180"), 1u);
    EXPECT_EQ(la.CountRx("SIP/2.0 200"), 3u); // REGISTER, INVITE, BYE
    EXPECT_EQ(la.CountTx("ACK"), 1u);
    EXPECT_EQ(la.CountTx("BYE"), 1u);
    EXPECT_EQ(lb.CountRx("INVITE"), 1u);
    EXPECT_EQ(lb.CountRx("ACK"), 1u);
    EXPECT_EQ(lb.CountRx("BYE"), 1u);
    for (const Seen& s : la.tx)
    {
        EXPECT_EQ(s.peer, registrar) << s.text;
    }
    SipMessage inviteAtBob = Parse(MessageLog::Starting(lb.rx, "INVITE")[0].text);
    EXPECT_EQ(inviteAtBob.requestUri.host, "198.51.100.3"); // the binding's Contact
    ASSERT_EQ(inviteAtBob.vias.size(), 2u);
    EXPECT_EQ(inviteAtBob.vias[0].host, "198.51.100.2");
    EXPECT_EQ(inviteAtBob.vias[1].host, "10.0.1.1");
    EXPECT_EQ(inviteAtBob.vias[1].rport, 5060); // the proxy filled rport in
    ASSERT_EQ(inviteAtBob.recordRoutes.size(), 1u);
    ASSERT_TRUE(inviteAtBob.hasSdp);
    EXPECT_EQ(inviteAtBob.sdp.connections[0].address, "10.0.1.1");
    EXPECT_EQ(inviteAtBob.sdp.media[0].port, 16384);
    EXPECT_EQ(inviteAtBob.maxForwards, 69u);
    SipMessage byeAtBob = Parse(MessageLog::Starting(lb.rx, "BYE")[0].text);
    EXPECT_EQ(byeAtBob.callId, ca.callId);
    EXPECT_EQ(reg->GetStats().invitesForwarded, 1u);
    EXPECT_EQ(reg->GetStats().requestsForwarded, 3u);  // INVITE, ACK, BYE
    EXPECT_EQ(reg->GetStats().responsesForwarded, 4u); // 100, 180, 200, 200
    EXPECT_NE(SipUserAgentHelper::Report(a).find("two-way"), std::string::npos);
}

TEST_F(SipAppCall, DirectCallWithoutRegistrarAndCalleeHangsUp)
{
    // Phones without registrar: the target is a full URI; bob hangs up 3 s after the ACK.
    SipUserAgentHelper h;
    h.SetAttribute("CalleeHangupAfter", TimeValue(Seconds(3)));
    h.SetAttribute("RingTime", TimeValue(Seconds(0.5)));
    ApplicationContainer apps = h.Install(lan.Get(0), "alice");
    apps.Add(h.Install(bobNode, "bob"));
    apps.Start(Seconds(0.1));
    Ptr<SipUserAgent> a = DynamicCast<SipUserAgent>(apps.Get(0));
    Ptr<SipUserAgent> b = DynamicCast<SipUserAgent>(apps.Get(1));
    MessageLog la;
    la.Attach(a);
    a->Call("sip:bob@198.51.100.3:5060", Seconds(1), Seconds(30));
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    SipCallRecord ca = a->GetCall(0);
    SipCallRecord cb = b->GetCall(0);
    EXPECT_EQ(a->GetRegistration().state, SIP_REG_NONE);
    EXPECT_EQ(ca.state, SIP_CALL_TERMINATED);
    EXPECT_EQ(ca.endReason, "BYE received");
    EXPECT_EQ(cb.state, SIP_CALL_TERMINATED);
    EXPECT_EQ(cb.endReason, "BYE sent");
    EXPECT_NEAR((cb.ended - cb.confirmed).GetSeconds(), 3.0, 1e-6);
    EXPECT_NEAR(static_cast<double>(ca.PacketsReceived()), 150.0, 3.0);
    EXPECT_EQ(SipCombinedVerdict(ca, cb), SIP_AUDIO_TWO_WAY);
    for (const Seen& s : la.tx)
    {
        EXPECT_EQ(s.peer, bob);
    }
    // the 200 for bob's BYE went from alice
    EXPECT_EQ(la.CountTx("SIP/2.0 200"), 1u);
}

TEST_F(SipAppCall, CancelBeforeAnswerGets487)
{
    InstallRegistrar();
    Ptr<SipUserAgent> a = Phone(lan.Get(0), "alice");
    Ptr<SipUserAgent> b = Phone(bobNode, "bob", 0.5, {{"RingTime", V(TimeValue(Seconds(5)))}});
    MessageLog la;
    MessageLog lb;
    la.Attach(a);
    lb.Attach(b);
    a->Call("bob", Seconds(2), Seconds(10), Seconds(2)); // gives up after 2 s of ringing
    Simulator::Stop(Seconds(15));
    Simulator::Run();
    SipCallRecord ca = a->GetCall(0);
    SipCallRecord cb = b->GetCall(0);
    EXPECT_EQ(ca.state, SIP_CALL_CANCELLED);
    EXPECT_EQ(ca.finalStatus, 487u);
    EXPECT_FALSE(ca.WasAnswered());
    EXPECT_EQ(ca.Verdict(), SIP_AUDIO_NOT_CONNECTED);
    EXPECT_EQ(ca.SetupDelay(), Seconds(0));
    EXPECT_EQ(cb.state, SIP_CALL_CANCELLED);
    EXPECT_EQ(cb.finalStatus, 487u);
    EXPECT_EQ(cb.endReason, "CANCEL received");
    EXPECT_EQ(la.CountTx("CANCEL"), 1u);
    EXPECT_EQ(la.CountRx("SIP/2.0 487"), 1u);
    EXPECT_EQ(la.CountTx("ACK"), 1u);
    EXPECT_EQ(lb.CountRx("CANCEL"), 1u);
    EXPECT_EQ(lb.CountRx("ACK"), 1u);         // the 487's ACK reached bob through the proxy
    EXPECT_EQ(lb.CountTx("SIP/2.0 200"), 1u); // for the CANCEL
    // The CANCEL matches the INVITE: same branch and CSeq number at both ends.
    SipMessage inv = Parse(MessageLog::Starting(la.tx, "INVITE")[0].text);
    SipMessage can = Parse(MessageLog::Starting(la.tx, "CANCEL")[0].text);
    EXPECT_EQ(inv.vias[0].branch, can.vias[0].branch);
    EXPECT_EQ(inv.cseq, can.cseq);
    SipMessage invB = Parse(MessageLog::Starting(lb.rx, "INVITE")[0].text);
    SipMessage canB = Parse(MessageLog::Starting(lb.rx, "CANCEL")[0].text);
    EXPECT_EQ(invB.vias[0].branch, canB.vias[0].branch);
    EXPECT_NEAR(MessageLog::Starting(la.tx, "CANCEL")[0].at.GetSeconds(), 4.0, 1e-6);
    EXPECT_EQ(ca.rtp.packetsSent, 0u);
    EXPECT_EQ(cb.rtp.packetsSent, 0u);
}

TEST_F(SipAppCall, HangupCancelsARingingCallEndsAnAnsweredOneAndDeclinesAnIncomingOne)
{
    InstallRegistrar();
    Ptr<SipUserAgent> a = Phone(lan.Get(0), "alice");
    Ptr<SipUserAgent> b = Phone(bobNode, "bob", 0.5, {{"RingTime", V(TimeValue(Seconds(3)))}});
    Ptr<SipUserAgent> c = Phone(lan.Get(1), "carol", 0.5, {{"AutoAnswer", V(BooleanValue(false))}});
    uint32_t ringing = a->Call("bob", Seconds(2), Seconds(0)); // hung up while ringing
    uint32_t talking = a->Call("bob", Seconds(6), Seconds(0)); // hung up 2 s after the answer
    a->Hangup(ringing, Seconds(3));
    a->Hangup(talking, Seconds(11));
    b->Call("carol", Seconds(4), Seconds(10));
    // carol declines the ringing call (her call 0, which exists once bob's INVITE arrived)
    Simulator::Schedule(Seconds(5), [c]() { c->Hangup(0, Simulator::Now()); });
    Simulator::Stop(Seconds(15));
    Simulator::Run();
    EXPECT_EQ(a->GetCall(ringing).state, SIP_CALL_CANCELLED);
    EXPECT_EQ(a->GetCall(ringing).finalStatus, 487u);
    EXPECT_EQ(a->GetCall(talking).state, SIP_CALL_TERMINATED);
    EXPECT_NEAR(a->GetCall(talking).ended.GetSeconds(), 11.0, 1e-9);
    EXPECT_EQ(SipUserAgentHelper::Verdict(a, talking, b), SIP_AUDIO_TWO_WAY);
    ASSERT_EQ(c->GetCallCount(), 1u);
    EXPECT_EQ(c->GetCall(0).state, SIP_CALL_FAILED);
    EXPECT_EQ(c->GetCall(0).finalStatus, 603u);
    SipCallRecord toCarol;
    ASSERT_TRUE(b->FindCall(c->GetCall(0).callId, toCarol));
    EXPECT_EQ(toCarol.state, SIP_CALL_FAILED);
    EXPECT_EQ(toCarol.finalStatus, 603u);
    EXPECT_EQ(toCarol.endReason, "603 Decline");
}

TEST_F(SipAppCall, CalleeThatNeverAnswersIsCancelledAfterNoAnswerTimeout)
{
    InstallRegistrar();
    Ptr<SipUserAgent> a =
        Phone(lan.Get(0), "alice", 0.5, {{"NoAnswerTimeout", V(TimeValue(Seconds(8)))}});
    Ptr<SipUserAgent> b = Phone(bobNode, "bob", 0.5, {{"AutoAnswer", V(BooleanValue(false))}});
    a->Call("bob", Seconds(2), Seconds(10));
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    SipCallRecord ca = a->GetCall(0);
    EXPECT_EQ(ca.state, SIP_CALL_CANCELLED);
    EXPECT_EQ(ca.finalStatus, 487u);
    EXPECT_EQ(ca.endReason, "no answer (CANCEL, 487)");
    EXPECT_NEAR(ca.ended.GetSeconds(), 10.0, 0.05);
    EXPECT_FALSE(ca.ringing.IsZero());
    EXPECT_EQ(b->GetCall(0).state, SIP_CALL_CANCELLED);
}

TEST_F(SipAppCall, UnreachableCalleeTimesOutWithInviteRetransmissions)
{
    // A direct call to an address nobody answers on: timer A doubles from T1, timer B ends it.
    SipUserAgentHelper h;
    ApplicationContainer apps = h.Install(lan.Get(0), "alice");
    apps.Start(Seconds(0.1));
    Ptr<SipUserAgent> a = DynamicCast<SipUserAgent>(apps.Get(0));
    MessageLog la;
    la.Attach(a);
    a->Call("sip:nobody@198.51.100.99", Seconds(1), Seconds(10));
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    SipCallRecord ca = a->GetCall(0);
    EXPECT_EQ(ca.state, SIP_CALL_FAILED);
    EXPECT_EQ(ca.finalStatus, 408u);
    EXPECT_EQ(ca.endReason, "timeout (no response to INVITE)");
    std::vector<Seen> inv = MessageLog::Starting(la.tx, "INVITE");
    const double expected[] = {1, 1.5, 2.5, 4.5, 8.5, 16.5, 32.5};
    ASSERT_EQ(inv.size(), 7u);
    for (std::size_t i = 0; i < inv.size(); ++i)
    {
        EXPECT_NEAR(inv[i].at.GetSeconds(), expected[i], 1e-6);
    }
    EXPECT_EQ(ca.inviteTransmissions, 7u);
    EXPECT_NEAR(ca.ended.GetSeconds(), 33.0, 1e-6); // 64 x T1 after the first INVITE
    EXPECT_EQ(la.CountTx("CANCEL"), 0u); // no provisional response: no CANCEL (RFC 3261 9.1)
}

TEST_F(SipAppCall, CancelWithoutProvisionalResponseWaitsForTimerB)
{
    SipUserAgentHelper h;
    ApplicationContainer apps = h.Install(lan.Get(0), "alice");
    apps.Start(Seconds(0.1));
    Ptr<SipUserAgent> a = DynamicCast<SipUserAgent>(apps.Get(0));
    MessageLog la;
    la.Attach(a);
    a->Call("sip:nobody@198.51.100.99", Seconds(1), Seconds(10), Seconds(2));
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    SipCallRecord ca = a->GetCall(0);
    EXPECT_EQ(ca.state, SIP_CALL_CANCELLED);
    EXPECT_EQ(ca.finalStatus, 408u);
    EXPECT_NEAR(ca.ended.GetSeconds(), 33.0, 1e-6);
    EXPECT_EQ(la.CountTx("CANCEL"), 0u);
}

TEST_F(SipAppCall, DomainNamesRouteThroughTheProxy)
{
    // Phones in domain voip.example.net; the registrar has no Domain set and takes any name.
    InstallRegistrar();
    Ptr<SipUserAgent> a =
        Phone(lan.Get(0), "alice", 0.5, {{"Domain", V(StringValue("voip.example.net"))}});
    Ptr<SipUserAgent> b =
        Phone(bobNode, "bob", 0.5, {{"Domain", V(StringValue("voip.example.net"))}});
    MessageLog la;
    la.Attach(a);
    a->Call("bob", Seconds(2), Seconds(3));
    Simulator::Stop(Seconds(8));
    Simulator::Run();
    EXPECT_EQ(a->GetAor(), "sip:alice@voip.example.net");
    SipMessage inv = Parse(MessageLog::Starting(la.tx, "INVITE")[0].text);
    EXPECT_EQ(inv.requestUri.host, "voip.example.net");
    EXPECT_EQ(MessageLog::Starting(la.tx, "REGISTER")[0]
                  .text.compare(0, 34, "REGISTER sip:voip.example.net SIP/"),
              0);
    EXPECT_EQ(SipUserAgentHelper::Verdict(a, 0, b), SIP_AUDIO_TWO_WAY);
}

// Alice's Contact names an address nobody routes to (like a private address behind a NAT
// without helper). Bob calls her: by default the proxy sends the INVITE to the Contact and it is
// lost; with UseSourceAddress it goes where her REGISTER came from.
void
SipNet::CallToUnreachableContact(bool useSource)
{
    Ptr<SipRegistrar> reg = InstallRegistrar({{"UseSourceAddress", V(BooleanValue(useSource))}});
    Ptr<SipUserAgent> a =
        Phone(lan.Get(0), "alice", 0.5, {{"ContactAddress", V(Ipv4AddressValue("172.16.9.9"))}});
    Ptr<SipUserAgent> b = Phone(bobNode, "bob");
    b->Call("alice", Seconds(2), Seconds(3));
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    SipBinding binding;
    ASSERT_TRUE(reg->LookupBinding("alice", binding));
    EXPECT_TRUE(binding.BehindNat());
    EXPECT_EQ(binding.contactAddress, Ipv4Address("172.16.9.9"));
    EXPECT_EQ(binding.sourceAddress, alice);
    SipCallRecord cb = b->GetCall(0);
    if (useSource)
    {
        EXPECT_EQ(cb.state, SIP_CALL_TERMINATED);
        ASSERT_EQ(a->GetCallCount(), 1u);
        // bob still sends media to the SDP's unreachable address: one-way
        EXPECT_EQ(SipCombinedVerdict(cb, a->GetCall(0)), SIP_AUDIO_ONE_WAY_IN);
    }
    else
    {
        EXPECT_EQ(cb.state, SIP_CALL_FAILED);
        EXPECT_EQ(cb.finalStatus, 408u);
        EXPECT_EQ(cb.endReason, "timeout (no response to INVITE)");
        EXPECT_EQ(a->GetCallCount(), 0u);
    }
}

TEST_F(SipAppCall, ProxySendsToTheRegisteredContactByDefault)
{
    CallToUnreachableContact(false);
}

TEST_F(SipAppCall, UseSourceAddressReachesAPhoneWhoseContactIsUnreachable)
{
    CallToUnreachableContact(true);
}

TEST_F(SipAppCall, UnknownUserGets404AndBusyCalleeRejects)
{
    Ptr<SipRegistrar> reg = InstallRegistrar();
    Ptr<SipUserAgent> a = Phone(lan.Get(0), "alice");
    Ptr<SipUserAgent> b = Phone(bobNode, "bob", 0.5, {{"AnswerCode", V(UintegerValue(486))}});
    a->Call("dave", Seconds(2), Seconds(5));
    a->Call("bob", Seconds(3), Seconds(5));
    Simulator::Stop(Seconds(8));
    Simulator::Run();
    EXPECT_EQ(a->GetCall(0).state, SIP_CALL_FAILED);
    EXPECT_EQ(a->GetCall(0).finalStatus, 404u);
    EXPECT_EQ(a->GetCall(0).endReason, "404 Not Found");
    EXPECT_EQ(a->GetCall(1).state, SIP_CALL_FAILED);
    EXPECT_EQ(a->GetCall(1).finalStatus, 486u);
    EXPECT_EQ(b->GetCall(0).state, SIP_CALL_FAILED);
    EXPECT_EQ(reg->GetStats().notFound, 1u);
}

TEST_F(SipAppCall, ReInviteHoldAndResumeChangeTheMedia)
{
    InstallRegistrar();
    Ptr<SipUserAgent> a = Phone(lan.Get(0), "alice");
    Ptr<SipUserAgent> b = Phone(bobNode, "bob");
    MessageLog la;
    MessageLog lb;
    la.Attach(a);
    lb.Attach(b);
    a->Call("bob", Seconds(2), Seconds(20)); // answered ~3 s, BYE ~23 s
    a->Hold(0, Seconds(8));
    a->Resume(0, Seconds(14));
    uint64_t aRx9 = 0;
    uint64_t aRx13 = 0;
    uint64_t bRx9 = 0;
    uint64_t bRx13 = 0;
    Simulator::Schedule(Seconds(9), [&]() {
        aRx9 = a->GetCall(0).PacketsReceived();
        bRx9 = b->GetCall(0).PacketsReceived();
    });
    Simulator::Schedule(Seconds(13), [&]() {
        aRx13 = a->GetCall(0).PacketsReceived();
        bRx13 = b->GetCall(0).PacketsReceived();
        EXPECT_TRUE(a->GetCall(0).onHold);
        EXPECT_EQ(a->GetCall(0).remoteDirection, "recvonly");
        EXPECT_EQ(b->GetCall(0).remoteDirection, "sendonly");
    });
    Simulator::Stop(Seconds(30));
    Simulator::Run();
    SipCallRecord ca = a->GetCall(0);
    SipCallRecord cb = b->GetCall(0);
    EXPECT_EQ(ca.state, SIP_CALL_TERMINATED);
    EXPECT_EQ(ca.reInvites, 2u);
    EXPECT_EQ(cb.reInvites, 2u);
    EXPECT_FALSE(ca.onHold);
    EXPECT_EQ(ca.remoteDirection, "sendrecv");
    // On hold (sendonly / recvonly): alice keeps sending, bob stops.
    EXPECT_EQ(aRx13, aRx9);
    EXPECT_NEAR(static_cast<double>(bRx13 - bRx9), 200.0, 2.0);
    // Resumed: both ways again until the BYE.
    EXPECT_GT(ca.PacketsReceived(), aRx13 + 400);
    EXPECT_EQ(SipCombinedVerdict(ca, cb), SIP_AUDIO_TWO_WAY);
    // The re-INVITEs are in the dialog: To tag, CSeq up, SDP version up, a=sendonly then
    // a=sendrecv.
    std::vector<Seen> invites = MessageLog::Starting(la.tx, "INVITE");
    ASSERT_EQ(invites.size(), 3u);
    SipMessage i0 = Parse(invites[0].text);
    SipMessage i1 = Parse(invites[1].text);
    SipMessage i2 = Parse(invites[2].text);
    EXPECT_FALSE(i0.to.hasTag);
    EXPECT_TRUE(i1.to.hasTag);
    EXPECT_EQ(i1.callId, i0.callId);
    EXPECT_GT(i1.cseq, i0.cseq);
    EXPECT_GT(i2.cseq, i1.cseq);
    ASSERT_TRUE(i1.hasSdp && i2.hasSdp);
    EXPECT_EQ(i1.sdp.media[0].direction, SdpDirection::SENDONLY);
    EXPECT_EQ(i2.sdp.media[0].direction, SdpDirection::SENDRECV);
    EXPECT_EQ(std::stoul(i1.sdp.origin.sessionVersion),
              std::stoul(i0.sdp.origin.sessionVersion) + 1);
    EXPECT_EQ(i1.sdp.origin.sessionId, i0.sdp.origin.sessionId);
    // re-INVITEs follow the route set through the proxy
    EXPECT_EQ(invites[1].peer, registrar);
    ASSERT_EQ(i1.routes.size(), 1u);
    EXPECT_EQ(la.CountTx("ACK"), 3u);
}

// ---------------------------------------------------------------------------------------------
// SIP over TCP
// ---------------------------------------------------------------------------------------------

TEST_F(SipAppTcp, CallOverTcpThroughTheProxy)
{
    Ptr<SipRegistrar> reg = InstallRegistrar();
    Ptr<SipUserAgent> a =
        Phone(lan.Get(0), "alice", 0.5, {{"Transport", V(EnumValue(SipUserAgent::TCP))}});
    Ptr<SipUserAgent> b =
        Phone(bobNode, "bob", 0.5, {{"Transport", V(EnumValue(SipUserAgent::TCP))}});
    MessageLog la;
    la.Attach(a);
    a->Call("bob", Seconds(2), Seconds(5));
    Simulator::Stop(Seconds(12));
    Simulator::Run();
    EXPECT_TRUE(a->IsRegistered());
    EXPECT_TRUE(b->IsRegistered());
    SipBinding binding;
    ASSERT_TRUE(reg->LookupBinding("alice", binding));
    EXPECT_TRUE(binding.tcp);
    EXPECT_NE(binding.sourcePort, 5060); // an ephemeral port of alice's connection
    EXPECT_EQ(binding.contact, "sip:alice@10.0.1.1:5060;transport=tcp");
    SipCallRecord ca = a->GetCall(0);
    SipCallRecord cb = b->GetCall(0);
    EXPECT_EQ(ca.state, SIP_CALL_TERMINATED);
    EXPECT_EQ(cb.state, SIP_CALL_TERMINATED);
    EXPECT_EQ(SipCombinedVerdict(ca, cb), SIP_AUDIO_TWO_WAY);
    EXPECT_EQ(ca.inviteTransmissions, 1u); // no retransmission over TCP
    EXPECT_EQ(la.CountTx("INVITE"), 1u);
    SipMessage inv = Parse(MessageLog::Starting(la.tx, "INVITE")[0].text);
    EXPECT_EQ(inv.vias[0].transport, "TCP");
    // One connection per phone to the proxy, reused for everything (the proxy reused bob's
    // registration connection for the INVITE).
    EXPECT_EQ(a->GetTransport()->GetConnectionCount(), 1u);
    EXPECT_EQ(b->GetTransport()->GetConnectionCount(), 1u);
    EXPECT_EQ(reg->GetTransport()->GetFramingErrors(), 0u);
}

namespace
{

/// A raw TCP client that writes chunks at given times and collects what comes back.
struct RawTcp
{
    Ptr<Socket> s;
    std::string rx;

    RawTcp(Ptr<Node> node, Ipv4Address to, uint16_t port, Time connectAt)
    {
        s = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
        s->SetAttribute("SegmentSize", UintegerValue(1400));
        s->Bind();
        Ptr<Socket> sock = s;
        Simulator::Schedule(connectAt,
                            [sock, to, port]() { sock->Connect(InetSocketAddress(to, port)); });
        s->SetRecvCallback(
            Callback<void, Ptr<Socket>>(std::function<void(Ptr<Socket>)>([this](Ptr<Socket> sock) {
                while (Ptr<Packet> p = sock->Recv())
                {
                    if (p->GetSize() == 0)
                    {
                        break;
                    }
                    std::string c(p->GetSize(), '\0');
                    p->CopyData(reinterpret_cast<uint8_t*>(&c[0]), p->GetSize());
                    rx += c;
                }
            })));
    }

    void SendAt(Time at, const std::string& bytes)
    {
        Ptr<Socket> sock = s;
        Simulator::Schedule(at, [sock, bytes]() {
            sock->Send(Create<Packet>(reinterpret_cast<const uint8_t*>(bytes.data()),
                                      static_cast<uint32_t>(bytes.size())));
        });
    }
};

std::string
Options(const std::string& branch, uint32_t cseq, const std::string& to)
{
    SipTextMessage m = SipTextMessage::Request("OPTIONS", "sip:" + to);
    m.AddHeader("Via", "SIP/2.0/TCP 10.0.1.2:5060;branch=" + branch);
    m.AddHeader("Max-Forwards", "70");
    m.AddHeader("From", "<sip:carol@10.0.1.2>;tag=c1");
    m.AddHeader("To", "<sip:" + to + ">");
    m.AddHeader("Call-ID", "raw-" + branch);
    m.AddHeader("CSeq", std::to_string(cseq) + " OPTIONS");
    return m.ToString();
}

} // namespace

TEST_F(SipAppTcp, TwoMessagesInOneSegmentAndOneMessageOverTwoSegments)
{
    // Bob (a TCP phone) gets raw bytes from carol's node: two OPTIONS in one write, then a
    // third OPTIONS cut in two writes 200 ms apart (with a CRLF keep-alive before it).
    Ptr<SipUserAgent> b = Phone(
        bobNode,
        "bob",
        0.1,
        {{"Transport", V(EnumValue(SipUserAgent::TCP))}, {"Register", V(BooleanValue(false))}});
    MessageLog lb;
    lb.Attach(b);
    RawTcp raw(lan.Get(1), bob, 5060, Seconds(0.5));
    std::string two =
        Options("z9hG4bKone", 1, "bob@198.51.100.3") + Options("z9hG4bKtwo", 2, "bob@198.51.100.3");
    std::string third = "\r\n\r\n" + Options("z9hG4bKthree", 3, "bob@198.51.100.3");
    raw.SendAt(Seconds(1), two);
    raw.SendAt(Seconds(2), third.substr(0, 60));
    raw.SendAt(Seconds(2.2), third.substr(60));
    std::vector<std::size_t> rxCountAt;
    Simulator::Schedule(Seconds(2.1), [&]() { rxCountAt.push_back(lb.rx.size()); });
    Simulator::Stop(Seconds(4));
    Simulator::Run();

    ASSERT_EQ(lb.rx.size(), 3u);
    EXPECT_EQ(Parse(lb.rx[0].text).cseq, 1u);
    EXPECT_EQ(Parse(lb.rx[1].text).cseq, 2u);
    EXPECT_EQ(Parse(lb.rx[2].text).cseq, 3u);
    EXPECT_EQ(lb.rx[0].at, lb.rx[1].at); // both from the same segment
    ASSERT_EQ(rxCountAt.size(), 1u);
    EXPECT_EQ(rxCountAt[0], 2u); // the half message waited for its second part
    EXPECT_GE(lb.rx[2].at, Seconds(2.2));
    // Three 200 OK came back on the same connection, framed by Content-Length.
    SipStreamResult back = ParseSipStream(reinterpret_cast<const uint8_t*>(raw.rx.data()),
                                          raw.rx.size(),
                                          SipParseOptions{true, true, 65536});
    ASSERT_EQ(back.messages.size(), 3u);
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(back.messages[i].statusCode, 200u);
        EXPECT_EQ(back.messages[i].cseq, i + 1);
    }
    EXPECT_EQ(back.consumed, raw.rx.size());
    EXPECT_EQ(b->GetTransport()->GetFramingErrors(), 0u);
}

// ---------------------------------------------------------------------------------------------
// Media details
// ---------------------------------------------------------------------------------------------

TEST_F(SipAppMedia, TwoPhonesWithTheSameRtpPortBothGetTwoWayAudio)
{
    InstallRegistrar();
    Ptr<SipUserAgent> a = Phone(lan.Get(0), "alice");
    Ptr<SipUserAgent> c = Phone(lan.Get(1), "carol");
    Ptr<SipUserAgent> b = Phone(bobNode, "bob");
    a->Call("bob", Seconds(2), Seconds(8));
    c->Call("bob", Seconds(2.1), Seconds(8));
    Simulator::Stop(Seconds(15));
    Simulator::Run();
    ASSERT_EQ(b->GetCallCount(), 2u);
    SipCallRecord ca = a->GetCall(0);
    SipCallRecord cc = c->GetCall(0);
    EXPECT_EQ(ca.localRtpPort, 16384);
    EXPECT_EQ(cc.localRtpPort, 16384); // same port on both phones
    SipCallRecord b0;
    SipCallRecord b1;
    ASSERT_TRUE(b->FindCall(ca.callId, b0));
    ASSERT_TRUE(b->FindCall(cc.callId, b1));
    EXPECT_EQ(b0.localRtpPort, 16384);
    EXPECT_EQ(b1.localRtpPort, 16386); // bob's second concurrent call takes the next port
    EXPECT_EQ(SipCombinedVerdict(ca, b0), SIP_AUDIO_TWO_WAY);
    EXPECT_EQ(SipCombinedVerdict(cc, b1), SIP_AUDIO_TWO_WAY);
    ASSERT_EQ(b0.rtp.sources.size(), 1u);
    ASSERT_EQ(b1.rtp.sources.size(), 1u);
    EXPECT_EQ(b0.rtp.sources[0].address, alice);
    EXPECT_EQ(b1.rtp.sources[0].address, carol);
    EXPECT_EQ(b0.rtp.ssrcCount, 1u);
    EXPECT_NEAR(static_cast<double>(b0.PacketsReceived()), 400.0, 3.0);
    EXPECT_NEAR(static_cast<double>(b1.PacketsReceived()), 400.0, 3.0);
}

TEST_F(SipAppMedia, UnreachableMediaAddressGivesOneWayAudio)
{
    // Alice writes a media address nobody routes to (what a private address behind a NAT
    // without helper looks like from the WAN): bob's audio never arrives, alice's does.
    InstallRegistrar();
    Ptr<SipUserAgent> a =
        Phone(lan.Get(0), "alice", 0.5, {{"ContactAddress", V(Ipv4AddressValue("172.16.9.9"))}});
    Ptr<SipUserAgent> b = Phone(bobNode, "bob");
    a->Call("bob", Seconds(2), Seconds(6));
    Simulator::Stop(Seconds(12));
    Simulator::Run();
    SipCallRecord ca = a->GetCall(0);
    SipCallRecord cb;
    ASSERT_TRUE(b->FindCall(ca.callId, cb));
    EXPECT_TRUE(ca.WasAnswered());
    EXPECT_EQ(cb.remoteMediaAddress, Ipv4Address("172.16.9.9"));
    EXPECT_EQ(ca.PacketsReceived(), 0u);
    EXPECT_NEAR(static_cast<double>(cb.PacketsReceived()), 300.0, 3.0);
    EXPECT_EQ(SipCombinedVerdict(ca, cb), SIP_AUDIO_ONE_WAY_OUT);
    EXPECT_EQ(SipCombinedVerdict(cb, ca), SIP_AUDIO_ONE_WAY_IN);
    // Bob's own view agrees through RTCP: alice reports nothing of bob's.
    EXPECT_EQ(cb.Verdict(), SIP_AUDIO_ONE_WAY_IN);
    EXPECT_EQ(cb.rtp.peerReportedReceived, 0);
    // alice's own view: nothing heard, and no RTCP from bob
    EXPECT_EQ(ca.rtp.peerReportedReceived, -1);
    EXPECT_EQ(ca.Verdict(), SIP_AUDIO_NONE);
    // ... which bob's symmetric RTP would have fixed: see the next test.
}

TEST_F(SipAppMedia, SymmetricRtpLatchesOntoTheSource)
{
    InstallRegistrar();
    Ptr<SipUserAgent> a =
        Phone(lan.Get(0), "alice", 0.5, {{"ContactAddress", V(Ipv4AddressValue("172.16.9.9"))}});
    Ptr<SipUserAgent> b = Phone(bobNode, "bob", 0.5, {{"SymmetricRtp", V(BooleanValue(true))}});
    a->Call("bob", Seconds(2), Seconds(6));
    Simulator::Stop(Seconds(12));
    Simulator::Run();
    SipCallRecord ca = a->GetCall(0);
    SipCallRecord cb;
    ASSERT_TRUE(b->FindCall(ca.callId, cb));
    EXPECT_EQ(SipCombinedVerdict(ca, cb), SIP_AUDIO_TWO_WAY);
    EXPECT_GT(ca.PacketsReceived(), 280u);
}

TEST_F(SipAppMedia, OptionsAnswered200)
{
    InstallRegistrar();
    Ptr<SipUserAgent> a = Phone(lan.Get(0), "alice");
    Ptr<SipUserAgent> b = Phone(bobNode, "bob");
    a->SendOptions("bob", Seconds(2));                       // through the proxy
    a->SendOptions("sip:bob@198.51.100.3:5070", Seconds(3)); // proxy forwards, nobody there
    a->SendOptions("sip:198.51.100.2", Seconds(4));          // the proxy itself
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    std::vector<uint32_t> r = a->GetOptionsResponses();
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0], 200u);
    EXPECT_EQ(r[1], 200u); // the proxy's own answer comes back first (4 s < 35 s)
    EXPECT_EQ(r[2], 408u);
}

TEST_F(SipAppApi, BadArgumentsThrowConfigError)
{
    SipUserAgentHelper h(registrar);
    EXPECT_THROW(h.Install(lan.Get(0), ""), ConfigError);
    EXPECT_THROW(h.Install(NodeContainer(lan.Get(0)), {"a", "b"}), ConfigError);
    Ptr<SipUserAgent> a = DynamicCast<SipUserAgent>(h.Install(lan.Get(0), "alice").Get(0));
    EXPECT_THROW(a->Call("", Seconds(1), Seconds(1)), ConfigError);
    EXPECT_THROW(a->Call("bob", Seconds(1), Seconds(-1)), ConfigError);
    EXPECT_THROW(a->GetCall(0), ConfigError);
    EXPECT_THROW(a->Hold(3, Seconds(1)), ConfigError);
    EXPECT_EQ(a->GetCallCount(), 0u);
    // a phone whose SIP port is taken fails to open (as its start would) with a clear message.
    // Opened outside Simulator::Run: an exception thrown out of an event leaks the event.
    Ptr<Socket> squat = Socket::CreateSocket(lan.Get(1), UdpSocketFactory::GetTypeId());
    squat->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5060));
    Ptr<SipUserAgent> c = DynamicCast<SipUserAgent>(h.Install(lan.Get(1), "carol").Get(0));
    try
    {
        c->Open();
        FAIL() << "no ConfigError";
    }
    catch (const ConfigError& e)
    {
        EXPECT_NE(std::string(e.what()).find("SipUserAgent carol: UDP port 5060 is in use"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(c->GetTransport(), nullptr); // nothing half-open
    // once the port is free, the same phone opens and starts
    squat->Close();
    EXPECT_NO_THROW(c->Open());
    c->SetStartTime(Seconds(1));
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_EQ(c->GetRegistration().requests, 1u);
}

// ---------------------------------------------------------------------------------------------
// RtpStream on its own
// ---------------------------------------------------------------------------------------------

namespace
{

/// Two nodes on a 2 ms point-to-point link: 10.2.0.1 and 10.2.0.2.
class RtpLink : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        nodes.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("2ms"));
        devices = p2p.Install(nodes);
        InternetStackHelper stack;
        stack.Install(nodes);
        Ipv4AddressHelper addr("10.2.0.0", "255.255.255.0");
        ifaces = addr.Assign(devices);
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    Ptr<RtpStream> Stream(uint32_t from,
                          uint16_t localPort,
                          uint16_t remotePort,
                          double start,
                          double stop)
    {
        RtpStreamHelper h(ifaces.GetAddress(1 - from), remotePort);
        h.SetAttribute("LocalPort", UintegerValue(localPort));
        ApplicationContainer apps = h.Install(nodes.Get(from));
        apps.Start(Seconds(start));
        apps.Stop(Seconds(stop));
        Ptr<RtpStream> s = DynamicCast<RtpStream>(apps.Get(0));
        s->AssignStreams(50 + from);
        return s;
    }

    NodeContainer nodes;
    NetDeviceContainer devices;
    Ipv4InterfaceContainer ifaces;
};

using RtpStreamTiming = RtpLink;
using RtpStreamLoss = RtpLink;
using RtpStreamApi = RtpLink;

} // namespace

TEST_F(RtpStreamTiming, G711PacketsEvery20msWithRtcpReports)
{
    Ptr<RtpStream> s0 = Stream(0, 16384, 20000, 1, 11);
    Ptr<RtpStream> s1 = Stream(1, 20000, 16384, 1, 12); // still listening for s0's RTCP BYE
    std::vector<std::pair<Time, std::vector<uint8_t>>> sent;
    s0->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>>(
            std::function<void(Ptr<const Packet>)>([&](Ptr<const Packet> p) {
                std::vector<uint8_t> b(p->GetSize());
                p->CopyData(b.data(), p->GetSize());
                sent.emplace_back(Simulator::Now(), b);
            })));
    Simulator::Stop(Seconds(13));
    Simulator::Run();

    const RtpStreamStats& st0 = s0->GetStats();
    const RtpStreamStats& st1 = s1->GetStats();
    EXPECT_EQ(st0.packetsSent, 500u);
    EXPECT_EQ(st0.bytesSent, 500u * 160u);
    EXPECT_EQ(st1.packetsReceived, 500u);
    EXPECT_EQ(st1.bytesReceived, 500u * 160u);
    EXPECT_EQ(st1.lost, 0);
    EXPECT_EQ(st1.duplicates, 0u);
    EXPECT_EQ(st1.ssrcCount, 1u);
    EXPECT_EQ(st1.remoteSsrc, s0->GetSsrc());
    EXPECT_LT(st1.jitter, 1e-6); // a constant-delay link
    ASSERT_EQ(st1.sources.size(), 1u);
    EXPECT_EQ(st1.sources[0].address, ifaces.GetAddress(0));
    EXPECT_EQ(st1.sources[0].port, 16384); // symmetric: sent from the receive port
    EXPECT_TRUE(s1->MediaReceived());
    // first packet at start + link time (172 + 28 + 2 bytes at 10 Mb/s + 2 ms)
    EXPECT_NEAR(st1.firstRx.GetSeconds(), 1.0 + 0.002 + 202 * 8 / 10e6, 1e-6);
    EXPECT_NEAR((st1.lastRx - st1.firstRx).GetSeconds(), 499 * 0.020, 1e-9);

    // RTP header (RFC 3550 5.1): V=2, PT 0, marker on the first, seq +1, timestamp +160,
    // one SSRC; 12 + 160 bytes.
    ASSERT_EQ(sent.size(), 500u);
    uint16_t seq0 = static_cast<uint16_t>((sent[0].second[2] << 8) | sent[0].second[3]);
    auto ts = [](const std::vector<uint8_t>& b) {
        return (uint32_t(b[4]) << 24) | (uint32_t(b[5]) << 16) | (uint32_t(b[6]) << 8) | b[7];
    };
    for (std::size_t i = 0; i < sent.size(); ++i)
    {
        const std::vector<uint8_t>& b = sent[i].second;
        ASSERT_EQ(b.size(), 172u);
        EXPECT_EQ(b[0], 0x80);
        EXPECT_EQ(b[1] & 0x7f, 0);
        EXPECT_EQ((b[1] & 0x80) != 0, i == 0);
        EXPECT_EQ(static_cast<uint16_t>((b[2] << 8) | b[3]), static_cast<uint16_t>(seq0 + i));
        EXPECT_EQ(ts(b) - ts(sent[0].second), 160u * i);
        uint32_t ssrc =
            (uint32_t(b[8]) << 24) | (uint32_t(b[9]) << 16) | (uint32_t(b[10]) << 8) | b[11];
        EXPECT_EQ(ssrc, s0->GetSsrc());
        EXPECT_NEAR(sent[i].first.GetSeconds(), 1.0 + 0.02 * i, 1e-9);
    }
    // RTCP: reports at 3.5 s and 8.5 s plus the BYE at stop; each side hears the other's.
    EXPECT_EQ(st0.rtcpSent, 3u);
    EXPECT_EQ(st1.rtcpReceived, 3u);
    ASSERT_EQ(st1.rtcpSources.size(), 1u);
    EXPECT_EQ(st1.rtcpSources[0].port, 16385);
    // s1's last report s0 heard (8.5 s) covers s0's packets sent up to 8.48 s
    EXPECT_EQ(st0.peerReportedReceived, 375);
    EXPECT_NE(s0->GetSummary().find(" sent 500 received 500 from "), std::string::npos)
        << s0->GetSummary();
}

TEST_F(RtpStreamLoss, SequenceGapsAreCountedAsLoss)
{
    Ptr<EveryNthToPort> em = CreateObject<EveryNthToPort>();
    em->port = 20000;
    em->n = 10;
    devices.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    Ptr<RtpStream> s0 = Stream(0, 16384, 20000, 1, 6);
    Ptr<RtpStream> s1 = Stream(1, 20000, 16384, 1, 5.5); // its RTCP BYE reaches s0
    Simulator::Schedule(Seconds(5), &RtpStream::StopSending, s0);
    Simulator::Stop(Seconds(7));
    Simulator::Run();
    const RtpStreamStats& st1 = s1->GetStats();
    EXPECT_EQ(s0->GetStats().packetsSent, 200u);
    EXPECT_EQ(em->dropped, 20u);
    EXPECT_EQ(st1.packetsReceived, 180u);
    // the 200th (last) packet is dropped too, so the receiver expects 199 and lost 19
    EXPECT_EQ(st1.lost, 19);
    // and tells the sender through RTCP (its last report, in the RTCP BYE)
    EXPECT_EQ(s0->GetStats().peerReportedReceived, 180);
    EXPECT_EQ(s0->GetStats().rtcpReceived, 2u); // 3.5 s and the BYE at 5.5 s
}

TEST_F(RtpStreamApi, PortInUseIsAConfigError)
{
    Ptr<RtpStream> a = CreateObject<RtpStream>();
    EXPECT_THROW(a->Open(), ConfigError); // no node
    a->SetNode(nodes.Get(0));
    a->SetAttribute("LocalPort", UintegerValue(30000));
    a->Open();
    EXPECT_TRUE(a->IsOpen());
    Ptr<RtpStream> b = CreateObject<RtpStream>();
    b->SetNode(nodes.Get(0));
    b->SetAttribute("LocalPort", UintegerValue(29999)); // its RTCP port 30000 is taken
    EXPECT_THROW(b->Open(), ConfigError);
    EXPECT_FALSE(b->IsOpen());
    b->SetAttribute("LocalPort", UintegerValue(30002));
    EXPECT_NO_THROW(b->Open());
    a->Dispose();
    b->Dispose();
}
