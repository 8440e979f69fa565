/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The PER decoder and the H.225.0 / H.245 message layer on every RAS, Q.931 and H.245 message
 * of the corpus capture h323.pcap, on the encoder's output, and on malformed input.
 */
#include "corpus.h"

#include "ns3/h323-messages.h"
#include "ns3/text-util.h"

#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <sstream>

namespace ns3
{
namespace
{

/// "role ip:port" lines of \p d's addresses.
std::string
Describe(const H323Decoded& d)
{
    std::ostringstream os;
    for (uint8_t i = 0; i < d.count; ++i)
    {
        const H323Address& a = d.addresses[i];
        os << H323RoleName(a.role) << " " << Ipv4ToString(a.ip) << ":" << a.port << ";";
    }
    return os.str();
}

/// One message of the capture: where it came from and what it decoded to.
struct Seen
{
    uint32_t frame;        //!< frame number of its first byte
    std::string kind;      //!< "RAS GRQ", "Q931 Setup", "H245 0/3"
    std::string addresses; //!< Describe()
    PerResult result;      //!< decoding outcome
};

/// Every message of h323.pcap, decoded (TCP streams reassembled per direction, TPKT framed).
std::vector<Seen>
DecodeCapture()
{
    std::vector<Seen> out;
    for (const CorpusPacket& p : CorpusPackets("h323.pcap", IPPROTO_NUM_UDP))
    {
        if (p.view.tuple.sport != H323_RAS_PORT && p.view.tuple.dport != H323_RAS_PORT)
        {
            continue;
        }
        const H323Decoded d = DecodeRas(p.payload.data(), p.payload.size());
        out.push_back({p.number, "RAS " + H225RasName(d.type), Describe(d), d.result});
    }

    // TCP: per direction, the stream bytes in order (retransmitted copies dropped)
    struct Stream
    {
        std::set<uint32_t> seqs;
        std::vector<uint8_t> bytes;
        std::vector<uint32_t> frameOf; // frame number of each byte
        bool h245{false};
    };

    std::map<std::string, Stream> streams;
    std::vector<std::string> order;
    for (const CorpusPacket& p : CorpusPackets("h323.pcap", IPPROTO_NUM_TCP))
    {
        if (p.payload.empty())
        {
            continue;
        }
        const FlowTuple& t = p.view.tuple;
        const std::string key = Ipv4ToString(t.src) + ":" + std::to_string(t.sport) + ">" +
                                Ipv4ToString(t.dst) + ":" + std::to_string(t.dport);
        Stream& s = streams[key];
        if (s.bytes.empty() && s.seqs.empty())
        {
            order.push_back(key);
        }
        if (!s.seqs.insert(p.view.tcpSeq).second)
        {
            continue;
        }
        s.h245 = t.sport != H323_Q931_PORT && t.dport != H323_Q931_PORT;
        s.bytes.insert(s.bytes.end(), p.payload.begin(), p.payload.end());
        s.frameOf.insert(s.frameOf.end(), p.payload.size(), p.number);
    }
    for (const std::string& key : order)
    {
        const Stream& s = streams[key];
        std::size_t pos = 0;
        while (pos < s.bytes.size())
        {
            std::size_t frame = 0;
            if (ReadTpkt(s.bytes.data() + pos, s.bytes.size() - pos, frame) != TpktState::COMPLETE)
            {
                break; // keep-alive bytes of the second call, or a cut frame
            }
            // copy the frame so offsets are from its start
            const std::vector<uint8_t> f(s.bytes.begin() + pos, s.bytes.begin() + pos + frame);
            if (s.h245)
            {
                const H323Decoded d = DecodeH245(f.data(), 4, f.size());
                out.push_back({s.frameOf[pos],
                               "H245 " + std::to_string(d.type) + "/" + std::to_string(d.subtype),
                               Describe(d),
                               d.result});
            }
            else
            {
                Q931Message q;
                const bool ok = ParseQ931(f.data(), f.size(), q);
                out.push_back({s.frameOf[pos],
                               "Q931 " + Q931Name(q.type),
                               ok && q.hasUuie ? Describe(q.uuie) : "no-uuie",
                               ok && q.hasUuie ? q.uuie.result : PerResult::MALFORMED});
            }
            pos += frame;
        }
    }
    return out;
}

uint32_t
Ip(const char* s)
{
    uint32_t a = 0;
    EXPECT_TRUE(ParseIpv4(s, a)) << s;
    return a;
}

TEST(H323Parser, EveryRasMessageTheEncoderWritesDecodesToItsAddresses)
{
    const H323Endpoint ras{Ip("10.0.0.1"), 1719};
    const H323Endpoint csa{Ip("10.0.0.2"), 1720};
    const H323Endpoint reply{Ip("10.0.0.3"), 1719};
    const std::map<int32_t, std::string> expected = {
        {RAS_GRQ, "rasAddress 10.0.0.1:1719;"},
        {RAS_GCF, "rasAddress 10.0.0.1:1719;alternateGatekeeper 10.0.0.9:1719;"},
        {RAS_RRQ, "callSignalAddress 10.0.0.2:1720;rasAddress 10.0.0.1:1719;"},
        {RAS_RCF, "callSignalAddress 10.0.0.2:1720;alternateGatekeeper 10.0.0.9:1719;"},
        {RAS_ARQ, "destCallSignalAddress 10.0.0.2:1720;"},
        {RAS_ACF, "destCallSignalAddress 10.0.0.2:1720;"},
        {RAS_LRQ, "replyAddress 10.0.0.3:1719;"},
        {RAS_LCF, "callSignalAddress 10.0.0.2:1720;rasAddress 10.0.0.1:1719;"},
    };
    for (const auto& [type, text] : expected)
    {
        H225Ras m;
        m.type = type;
        m.ras = ras;
        m.callSignal = csa;
        m.reply = reply;
        m.alternateGatekeepers = {{Ip("10.0.0.9"), 1719}};
        const std::vector<uint8_t> b = EncodeRas(m);
        const H323Decoded d = DecodeRas(b.data(), b.size());
        EXPECT_EQ(d.result, PerResult::OK) << H225RasName(type);
        EXPECT_EQ(d.type, type);
        EXPECT_EQ(Describe(d), text) << H225RasName(type);
    }
}

TEST(H323Parser, EveryCallSignallingMessageTheEncoderWritesDecodesToItsAddresses)
{
    H245Channel ch;
    ch.rtp = {Ip("10.0.0.5"), 5000};
    ch.rtcp = {Ip("10.0.0.5"), 5001};
    const std::vector<uint8_t> olc = EncodeOpenLogicalChannel(ch);
    for (uint8_t t : {Q931_SETUP,
                      Q931_CALL_PROCEEDING,
                      Q931_ALERTING,
                      Q931_CONNECT,
                      Q931_PROGRESS,
                      Q931_FACILITY})
    {
        H225Uuie u;
        u.q931Type = t;
        u.h245 = {Ip("10.0.0.4"), 1300};
        u.fastStart = {olc};
        const std::vector<uint8_t> f = EncodeQ931(u, 7);
        Q931Message m;
        ASSERT_TRUE(ParseQ931(f.data(), f.size(), m)) << Q931Name(t);
        EXPECT_EQ(m.type, t);
        EXPECT_EQ(m.callReference, 7);
        ASSERT_TRUE(m.hasUuie);
        EXPECT_EQ(m.uuie.result, PerResult::OK) << Q931Name(t);
        EXPECT_EQ(Describe(m.uuie),
                  "h245Address 10.0.0.4:1300;mediaChannel 10.0.0.5:5000;"
                  "mediaControlChannel 10.0.0.5:5001;")
            << Q931Name(t);
    }
}

TEST(H323Parser, NestingIsBoundedAndTruncationIsMalformed)
{
    H225Uuie u;
    H245Channel ch;
    ch.rtcp = {Ip("10.0.0.5"), 5001};
    u.fastStart = {EncodeOpenLogicalChannel(ch)};
    const std::vector<uint8_t> f = EncodeQ931(u, 1);
    Q931Message m;
    ASSERT_TRUE(ParseQ931(f.data(), f.size(), m));

    class Ignore : public PerVisitor
    {
        void Address(uint8_t, uint32_t, uint16_t, std::size_t, std::size_t) override
        {
        }
    } ignore;

    const std::size_t b = m.uuieOffset;
    const std::size_t e = m.uuieOffset + m.uuieLength;
    EXPECT_EQ(PerDecode(H225_USER_INFORMATION, f.data(), b, e, ignore), PerResult::OK);
    EXPECT_EQ(PerDecode(H225_USER_INFORMATION, f.data(), b, e, ignore, 4), PerResult::TOO_DEEP);
    for (std::size_t cut = b; cut < e; ++cut)
    {
        const PerResult r = PerDecode(H225_USER_INFORMATION, f.data(), b, cut, ignore);
        EXPECT_NE(r, PerResult::OK) << "cut at " << cut - b;
    }
}

TEST(H323Parser, EveryMessageOfTheCorpusCapture)
{
    const std::vector<Seen> seen = DecodeCapture();
    std::ostringstream all;
    for (const Seen& s : seen)
    {
        all << s.frame << " " << s.kind << " " << PerResultName(s.result) << " " << s.addresses
            << "\n";
    }
    // Frames as Wireshark numbers them. The RAS IRQ/DRQ, the H.245 terminalCapabilitySet,
    // masterSlaveDetermination and their acks, and ReleaseComplete carry no address: the tables
    // stop at them ("stopped"), which is a valid decoding.
    EXPECT_EQ(all.str(),
              "59 RAS GRQ ok rasAddress 17.2.0.124:2034;\n"
              "60 RAS GCF ok rasAddress 17.2.0.161:1719;\n"
              "61 RAS RRQ ok callSignalAddress 17.2.0.124:1720;rasAddress 17.2.0.124:2034;\n"
              "62 RAS RCF ok callSignalAddress 17.2.0.124:1720;\n"
              "63 RAS ARQ ok destCallSignalAddress 17.2.0.122:1720;\n"
              "64 RAS ACF ok destCallSignalAddress 17.2.0.122:1720;\n"
              "67 RAS IRQ stopped \n"
              "68 RAS IRQ stopped \n"
              "69 RAS DRQ stopped \n"
              "70 RAS DRQ stopped \n"
              "71 RAS RRQ ok callSignalAddress 10.47.208.204:1720;rasAddress 10.47.208.204:1719;\n"
              "72 RAS RCF ok callSignalAddress 10.47.208.50:1720;alternateGatekeeper "
              "10.47.208.54:1719;alternateGatekeeper 10.47.208.51:1719;alternateGatekeeper "
              "10.47.208.53:1719;\n"
              "73 RAS RRQ ok callSignalAddress 10.47.208.204:1720;rasAddress 10.47.208.204:1719;\n"
              "74 RAS RCF ok callSignalAddress 10.47.208.50:1720;alternateGatekeeper "
              "10.47.208.54:1719;alternateGatekeeper 10.47.208.51:1719;alternateGatekeeper "
              "10.47.208.53:1719;\n"
              "75 RAS RRQ ok callSignalAddress 10.47.208.204:1720;rasAddress 10.47.208.204:1719;\n"
              "6 Q931 Setup ok destCallSignalAddress 10.1.6.18:1720;sourceCallSignalAddress "
              "10.1.3.143:32803;\n"
              "10 Q931 CallProceeding ok \n"
              "14 Q931 Alerting ok \n"
              "18 Q931 Connect ok h245Address 10.1.6.18:1232;\n"
              "25 H245 0/2 stopped \n"
              "27 H245 0/1 stopped \n"
              "34 H245 1/3 stopped \n"
              "36 H245 1/1 stopped \n"
              "39 H245 0/3 ok mediaControlChannel 10.1.6.18:2007;\n"
              "42 H245 1/5 ok mediaChannel 10.1.6.18:2006;mediaControlChannel 10.1.6.18:2007;\n"
              "29 H245 0/2 stopped \n"
              "30 H245 0/1 stopped \n"
              "32 H245 1/3 stopped \n"
              "32 H245 1/1 stopped \n"
              "38 H245 0/3 ok mediaControlChannel 10.1.3.143:5001;\n"
              "41 H245 1/5 ok mediaChannel 10.1.3.143:5000;mediaControlChannel 10.1.3.143:5001;\n"
              "47 Q931 Setup ok destCallSignalAddress 192.168.0.1:1720;\n"
              "48 Q931 Alerting ok \n"
              "65 Q931 Setup ok destCallSignalAddress 17.2.0.122:1720;sourceCallSignalAddress "
              "17.2.0.124:1720;\n"
              "66 Q931 ReleaseComplete stopped \n");
    std::size_t rasCount = 0;
    std::size_t q931Count = 0;
    std::size_t h245Count = 0;
    for (const Seen& s : seen)
    {
        EXPECT_TRUE(s.result == PerResult::OK || s.result == PerResult::STOPPED) << s.frame;
        rasCount += s.kind.rfind("RAS", 0) == 0 ? 1 : 0;
        q931Count += s.kind.rfind("Q931", 0) == 0 ? 1 : 0;
        h245Count += s.kind.rfind("H245", 0) == 0 ? 1 : 0;
    }
    EXPECT_EQ(rasCount, 15u);
    EXPECT_EQ(q931Count, 8u);
    EXPECT_EQ(h245Count, 12u);
}

} // namespace
} // namespace ns3
