/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A TCP peer that sends a SIP message a byte at a time, or an endless message that never ends
 * its header section, to the SIP ALG (proxy-based), which holds segments that end inside a
 * message (issue 16). The held bytes stay bounded (SipSessionHelper::MAX_PENDING), the hold
 * ends HelperHoldTime (0.5 s) after the last segment as documented, and every byte is
 * forwarded once, in order.
 *
 * The segments are written by hand (a raw socket), so the test controls every byte and every
 * gap; the unit accepts the stream without a handshake (DropTcpWithoutSyn false) and sends it to
 * an address where no host answers, so nothing acknowledges or resets it.
 */
#include "e2e-topology.h"
#include "robustness-util.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::e2e;
using namespace ns3::robust;

namespace
{

/// The TCP segments the unit forwarded to SILENT:5060 (time, sequence number, payload bytes).
struct Forwarded
{
    double t;
    uint32_t seq;
    std::string payload;
};

class TrickleWorld
{
  public:
    TrickleWorld()
    {
        FortiGateConfig cfg = E2eTopology::BaseConfig();
        cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
        SessionHelperEntry e;
        e.name = "sip";
        e.protocol = 6;
        e.port = 5060;
        cfg.AddSessionHelper(e);
        fgt = topo.Install(cfg, [](FortiGateHelper& h) {
            h.SetAttribute("DropTcpWithoutSyn", BooleanValue(false));
        });
        raw = RawSender(topo.clients.Get(0));
        // Resolve ARP first (ns-3 queues only 3 packets while it waits).
        Ptr<Socket> s = raw;
        E2eTopology::At(0.5, [s]() {
            s->Send(MakeIpPacket(ClientAddr(0), Ipv4Address(SERVER), 17, UdpBytes(9, 9, {})));
        });
        topo.fgtNode->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "UnicastForward",
            Callback<void, const Ipv4Header&, Ptr<const Packet>, uint32_t>(
                [this](const Ipv4Header& h, Ptr<const Packet> p, uint32_t) {
                    if (h.GetProtocol() != 6 || h.GetDestination() != Ipv4Address(SILENT))
                    {
                        return;
                    }
                    std::vector<uint8_t> b(p->GetSize());
                    p->CopyData(b.data(), b.size());
                    const size_t off = (b[12] >> 4) * 4u;
                    out.push_back(Forwarded{Simulator::Now().GetSeconds(),
                                            static_cast<uint32_t>(Get16(b, 4)) << 16 | Get16(b, 6),
                                            std::string(b.begin() + off, b.end())});
                }));
    }

    /// Send \p text as one segment at \p at, sequence number \p seq.
    void SendAt(double at, uint32_t seq, const std::string& text)
    {
        std::vector<uint8_t> l4 = TcpBytes(33000, 5060, seq, 0x18, {}, text.size());
        std::copy(text.begin(), text.end(), l4.begin() + 20);
        Ptr<Packet> p = MakeIpPacket(ClientAddr(0), Ipv4Address(SILENT), 6, l4);
        Ptr<Socket> s = raw;
        E2eTopology::At(at, [s, p]() { s->Send(p->Copy()); });
    }

    /// \return every forwarded payload byte, in sequence order starting at \p firstSeq
    std::string Stream(uint32_t firstSeq) const
    {
        std::string s;
        for (const auto& f : out)
        {
            EXPECT_EQ(f.seq, firstSeq + s.size()) << "forwarded in order, once";
            s += f.payload;
        }
        return s;
    }

    E2eTopology topo;
    Ptr<FortiGateNode> fgt;
    Ptr<Socket> raw;
    std::vector<Forwarded> out;
};

const std::string INVITE = "INVITE sip:bob@198.51.100.99 SIP/2.0\r\n"
                           "Via: SIP/2.0/TCP 10.0.1.10:5060;branch=z9hG4bKtrickle\r\n"
                           "From: <sip:alice@198.51.100.99>;tag=a1\r\n"
                           "To: <sip:bob@198.51.100.99>\r\n"
                           "Call-ID: trickle@10.0.1.10\r\n"
                           "CSeq: 1 INVITE\r\n"
                           "Contact: <sip:alice@10.0.1.10:5060;transport=tcp>\r\n"
                           "Content-Length: 0\r\n\r\n";

} // namespace

TEST(TcpTrickleE2e, AMessageSentAByteAtATimeIsHeldWholeAndForwardedOnce)
{
    // One byte every 10 ms (below HelperHoldTime): each segment continues the held bytes, so
    // the message goes on only once it is whole, rewritten by the ALG (Via/Contact), once.
    TrickleWorld w;
    const uint32_t seq0 = 1000;
    const double t0 = 1.0;
    for (size_t i = 0; i < INVITE.size(); ++i)
    {
        w.SendAt(t0 + 0.01 * i, seq0 + static_cast<uint32_t>(i), INVITE.substr(i, 1));
    }
    const double last = t0 + 0.01 * (INVITE.size() - 1);
    w.topo.RunUntil(last + 2.0);
    ASSERT_FALSE(w.out.empty());
    EXPECT_NEAR(w.out.front().t, last, 0.005) << "nothing goes on before the message is whole";
    const std::string stream = w.Stream(seq0);
    EXPECT_NE(stream.find("Contact: <sip:alice@" + std::string(FGT_WAN)), std::string::npos)
        << stream;
    SipMessage m;
    EXPECT_EQ(ParseSipMessage(reinterpret_cast<const uint8_t*>(stream.data()),
                              stream.size(),
                              m,
                              SipParseOptions{true, true, 65536}),
              SipParseStatus::OK)
        << stream;
    EXPECT_EQ(m.consumed, stream.size()) << "one message, nothing duplicated";
}

TEST(TcpTrickleE2e, APartialMessageIsReleasedHelperHoldTimeAfterItsLastByte)
{
    TrickleWorld w;
    const uint32_t seq0 = 5000;
    const std::string part = INVITE.substr(0, 120);
    for (size_t i = 0; i < part.size(); ++i)
    {
        w.SendAt(1.0 + 0.001 * i, seq0 + static_cast<uint32_t>(i), part.substr(i, 1));
    }
    const double last = 1.0 + 0.001 * (part.size() - 1);
    w.topo.RunUntil(last + 0.25);
    EXPECT_EQ(w.fgt->GetHeldSegmentCount(), 1u) << "the partial message is held";
    w.topo.RunUntil(5.0);
    EXPECT_EQ(w.fgt->GetHeldSegmentCount(), 0u) << "and released: nothing stays held";
    ASSERT_FALSE(w.out.empty());
    EXPECT_NEAR(w.out.front().t, last + 0.5, 0.002) << "released HelperHoldTime after the last";
    EXPECT_EQ(w.Stream(seq0), part) << "unchanged, whole, once";
}

TEST(TcpTrickleE2e, AnEndlessHeaderSectionStaysBoundedAndEveryByteGoesOn)
{
    // 1,000-byte segments every 5 ms of a request whose header section never ends: the ALG
    // holds at most MAX_PENDING (64 KiB) bytes, then gives up on the message; no forwarded
    // IPv4 packet is larger than IPv4 allows; every byte goes on once, in order.
    TrickleWorld w;
    const uint32_t seq0 = 77;
    std::string sent = "INVITE sip:bob@198.51.100.99 SIP/2.0\r\n";
    int n = 0;
    while (sent.size() < 150000)
    {
        sent += "X-Filler-" + std::to_string(n) + ": " + std::string(60, 'a' + n % 26) + "\r\n";
        ++n;
    }
    const size_t seg = 1000;
    size_t segments = 0;
    for (size_t off = 0; off < sent.size(); off += seg, ++segments)
    {
        w.SendAt(1.0 + 0.005 * segments, seq0 + static_cast<uint32_t>(off), sent.substr(off, seg));
    }
    w.topo.RunUntil(1.0 + 0.005 * segments + 2.0);
    ASSERT_FALSE(w.out.empty());
    size_t largest = 0;
    for (const auto& f : w.out)
    {
        largest = std::max(largest, f.payload.size());
    }
    EXPECT_LE(largest, 65535u - 40u) << "a forwarded segment fits in one IPv4 packet";
    EXPECT_LE(largest, SipSessionHelper::MAX_PENDING) << "held bytes stay bounded";
    EXPECT_LT(w.out.front().t, 1.0 + 0.005 * (65536 / seg + 1)) << "forwarding began before the "
                                                                   "hold could pass 64 KiB";
    EXPECT_EQ(w.Stream(seq0), sent) << "every byte once, in order";
    EXPECT_EQ(TotalDrops(*w.fgt), 0u);
}
