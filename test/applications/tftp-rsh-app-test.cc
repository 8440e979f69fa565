/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * TFTP and RSH applications over a plain point-to-point link (no FortiGate): byte-exact
 * transfers, RFC 1350 transfer IDs, loss and retransmission, rsh with and without the stderr
 * back-connection.
 */
#include "ns3/config-error.h"
#include "ns3/core-module.h"
#include "ns3/error-model.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/packet-view.h"
#include "ns3/point-to-point-module.h"
#include "ns3/rsh-client.h"
#include "ns3/rsh-helper.h"
#include "ns3/rsh-server.h"
#include "ns3/tftp-client.h"
#include "ns3/tftp-helper.h"
#include "ns3/tftp-server.h"

#include <functional>
#include <gtest/gtest.h>
#include <random>
#include <set>

using namespace ns3;

namespace
{

/// Drops received IPv4 packets a predicate picks (the p2p device hands the error model the
/// packet with its 2-byte PPP header).
class MatchErrorModel : public ErrorModel
{
  public:
    std::function<bool(const PacketView&, const std::vector<uint8_t>&)> match; //!< predicate
    uint32_t dropped{0};                                                       //!< count

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), static_cast<uint32_t>(b.size()));
        PacketView v;
        if (b.size() < 22 || !ParseIpv4Packet(b.data() + 2, b.size() - 2, v) || !match)
        {
            return false;
        }
        std::vector<uint8_t> ip(b.begin() + 2, b.end());
        if (match(v, ip))
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

/// TFTP payload of an IPv4/UDP packet given as bytes (empty when not UDP).
TftpPacket
TftpOf(const std::vector<uint8_t>& ip, bool& ok)
{
    TftpPacket t;
    std::size_t ihl = (ip[0] & 0x0f) * 4u;
    ok = ip.size() >= ihl + 8 && ip[9] == IPPROTO_NUM_UDP &&
         ParseTftp(ip.data() + ihl + 8, ip.size() - ihl - 8, t);
    return t;
}

/// Two nodes on a 10 Mb/s, 2 ms point-to-point link: client 10.1.1.1, server 10.1.1.2.
class AppLink : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        m_nodes.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("2ms"));
        m_devices = p2p.Install(m_nodes);
        InternetStackHelper stack;
        stack.Install(m_nodes);
        Ipv4AddressHelper addr("10.1.1.0", "255.255.255.0");
        m_ifaces = addr.Assign(m_devices);
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    Ptr<Node> ClientNode() const
    {
        return m_nodes.Get(0);
    }

    Ptr<Node> ServerNode() const
    {
        return m_nodes.Get(1);
    }

    Ipv4Address ServerAddress() const
    {
        return m_ifaces.GetAddress(1);
    }

    /// Install a receive error model on the client's (0) or server's (1) device.
    void SetReceiveErrorModel(uint32_t which, Ptr<ErrorModel> em)
    {
        m_devices.Get(which)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    }

    Ptr<TftpServer> InstallTftpServer()
    {
        TftpServerHelper helper;
        ApplicationContainer apps = helper.Install(ServerNode());
        apps.Start(Seconds(0));
        return DynamicCast<TftpServer>(apps.Get(0));
    }

    Ptr<TftpClient> InstallTftpClient(TftpClient::Operation op,
                                      const std::string& name,
                                      uint64_t size)
    {
        TftpClientHelper helper(ServerAddress());
        helper.SetAttribute("Operation", EnumValue(op));
        helper.SetAttribute("FileName", StringValue(name));
        helper.SetAttribute("FileSize", UintegerValue(size));
        ApplicationContainer apps = helper.Install(ClientNode());
        apps.Start(Seconds(1));
        return DynamicCast<TftpClient>(apps.Get(0));
    }

    NodeContainer m_nodes;
    NetDeviceContainer m_devices;
    Ipv4InterfaceContainer m_ifaces;
};

using TftpAppTransfer = AppLink;
using TftpAppLoss = AppLink;
using RshAppSession = AppLink;

std::vector<uint8_t>
Generated(uint64_t size)
{
    std::vector<uint8_t> v(size);
    TftpFileBytes(0, size, v.data());
    return v;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// TFTP
// ---------------------------------------------------------------------------------------------

TEST_F(TftpAppTransfer, ReadGeneratedFileFromANewServerPort)
{
    Ptr<TftpServer> server = InstallTftpServer();
    Ptr<TftpClient> client = InstallTftpClient(TftpClient::READ, "file-100000", 0);
    uint16_t tracedPort = 0;
    server->TraceConnectWithoutContext(
        "TransferStarted",
        Callback<void, const Address&, uint16_t, uint16_t, const std::string&>(
            std::function<void(const Address&, uint16_t, uint16_t, const std::string&)>(
                [&](const Address& from, uint16_t port, uint16_t op, const std::string& name) {
                    tracedPort = port;
                    EXPECT_EQ(op, TftpPacket::RRQ);
                    EXPECT_EQ(name, "file-100000");
                    EXPECT_EQ(InetSocketAddress::ConvertFrom(from).GetIpv4(),
                              Ipv4Address("10.1.1.1"));
                })));
    uint64_t tracedBytes = 0;
    client->TraceConnectWithoutContext(
        "TransferComplete",
        Callback<void, uint64_t, Time>(std::function<void(uint64_t, Time)>(
            [&](uint64_t bytes, Time) { tracedBytes = bytes; })));
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ASSERT_TRUE(client->IsCompleted()) << client->GetFailureReason();
    EXPECT_TRUE(client->IsVerified());
    EXPECT_EQ(client->GetBytesTransferred(), 100000u);
    EXPECT_EQ(tracedBytes, 100000u);
    EXPECT_EQ(client->GetRetransmissions(), 0u);
    // RFC 1350: the server answers from a new port, which is what needs a pinhole.
    EXPECT_NE(client->GetServerPort(), TFTP_PORT);
    EXPECT_GE(client->GetServerPort(), 49152);
    EXPECT_EQ(client->GetServerPort(), tracedPort);
    EXPECT_EQ(server->GetTransfersStarted(), 1u);
    EXPECT_EQ(server->GetTransfersCompleted(), 1u);
    EXPECT_EQ(server->GetRetransmissions(), 0u);
    // Lock-step: 196 blocks, each at least one round trip (2 x 2 ms + serialisation).
    Time t = client->GetTransferTime();
    EXPECT_GT(t, MilliSeconds(196 * 4));
    EXPECT_LT(t, Seconds(3));
}

TEST_F(TftpAppTransfer, BlockMultipleAndEmptyFilesEndWithAnEmptyBlock)
{
    Ptr<TftpServer> server = InstallTftpServer();
    Ptr<TftpClient> c1024 = InstallTftpClient(TftpClient::READ, "", 1024); // "file-1024"
    Ptr<TftpClient> c0 = InstallTftpClient(TftpClient::READ, "file-0", 0);
    EXPECT_EQ(c1024->GetRequestedFileName(), "file-1024");
    Simulator::Stop(Seconds(30));
    Simulator::Run();
    ASSERT_TRUE(c1024->IsCompleted()) << c1024->GetFailureReason();
    EXPECT_TRUE(c1024->IsVerified());
    EXPECT_EQ(c1024->GetBytesTransferred(), 1024u);
    ASSERT_TRUE(c0->IsCompleted()) << c0->GetFailureReason();
    EXPECT_EQ(c0->GetBytesTransferred(), 0u);
    // Two concurrent transfers, each on its own server port.
    EXPECT_NE(c1024->GetServerPort(), c0->GetServerPort());
    EXPECT_EQ(server->GetTransfersCompleted(), 2u);
}

TEST_F(TftpAppTransfer, AddedFileIsCheckedAndAMissingFileIsAnError)
{
    Ptr<TftpServer> server = InstallTftpServer();
    std::vector<uint8_t> content(1500);
    std::mt19937 rng(7);
    for (auto& b : content)
    {
        b = static_cast<uint8_t>(rng());
    }
    server->AddFile("boot.img", content);
    EXPECT_THROW(server->AddFile("", content), ConfigError);

    Ptr<TftpClient> good = InstallTftpClient(TftpClient::READ, "boot.img", 0);
    good->SetExpectedContent(content);
    Ptr<TftpClient> wrong = InstallTftpClient(TftpClient::READ, "boot.img", 0);
    std::vector<uint8_t> other = content;
    other[1000] ^= 0x55;
    wrong->SetExpectedContent(other);
    Ptr<TftpClient> missing = InstallTftpClient(TftpClient::READ, "nope.txt", 0);
    Simulator::Stop(Seconds(30));
    Simulator::Run();

    ASSERT_TRUE(good->IsCompleted()) << good->GetFailureReason();
    EXPECT_TRUE(good->IsVerified());
    EXPECT_EQ(good->GetBytesTransferred(), 1500u);
    EXPECT_TRUE(wrong->IsFailed());
    EXPECT_EQ(wrong->GetFailureReason(), "content mismatch at byte 1000");
    EXPECT_TRUE(missing->IsFailed());
    EXPECT_EQ(missing->GetFailureReason(), "server error 1: File not found");
    EXPECT_NE(missing->GetServerPort(), TFTP_PORT); // the error, too, comes from a new port
    EXPECT_EQ(server->GetRequestsRejected(), 1u);
}

TEST_F(TftpAppTransfer, WriteIsStoredByteForByte)
{
    Ptr<TftpServer> server = InstallTftpServer();
    Ptr<TftpClient> gen = InstallTftpClient(TftpClient::WRITE, "up.bin", 70000);
    Ptr<TftpClient> custom = InstallTftpClient(TftpClient::WRITE, "text.txt", 0);
    std::string text = "hello, tftp\n";
    custom->SetUploadContent(std::vector<uint8_t>(text.begin(), text.end()));
    Simulator::Stop(Seconds(30));
    Simulator::Run();

    ASSERT_TRUE(gen->IsCompleted()) << gen->GetFailureReason();
    EXPECT_EQ(gen->GetBytesTransferred(), 70000u);
    EXPECT_NE(gen->GetServerPort(), TFTP_PORT);
    std::vector<uint8_t> stored;
    ASSERT_TRUE(server->GetFile("up.bin", stored));
    EXPECT_EQ(stored, Generated(70000));
    ASSERT_TRUE(custom->IsCompleted()) << custom->GetFailureReason();
    ASSERT_TRUE(server->GetFile("text.txt", stored));
    EXPECT_EQ(std::string(stored.begin(), stored.end()), text);
    EXPECT_EQ(server->GetTransfersCompleted(), 2u);
    EXPECT_FALSE(server->GetFile("never-written", stored));
}

TEST_F(TftpAppTransfer, PacketFromAnotherPortGetsErrorFiveAndTheTransferGoesOn)
{
    Ptr<TftpServer> server = InstallTftpServer();
    Ptr<TftpClient> client = InstallTftpClient(TftpClient::READ, "file-20000", 0);
    // A stranger on the server's node sends a DATA block 2 to the client's port mid-transfer.
    Ptr<Socket> stranger = Socket::CreateSocket(ServerNode(), UdpSocketFactory::GetTypeId());
    stranger->Bind(InetSocketAddress(Ipv4Address::GetAny(), 4444));
    std::vector<TftpPacket> answers;
    stranger->SetRecvCallback(
        Callback<void, Ptr<Socket>>(std::function<void(Ptr<Socket>)>([&](Ptr<Socket> s) {
            Ptr<Packet> p;
            while ((p = s->Recv()))
            {
                std::vector<uint8_t> b(p->GetSize());
                p->CopyData(b.data(), static_cast<uint32_t>(b.size()));
                TftpPacket t;
                EXPECT_TRUE(ParseTftp(b.data(), b.size(), t));
                answers.push_back(t);
            }
        })));
    Simulator::Schedule(Seconds(1.02), [&]() {
        std::vector<uint8_t> fake = BuildTftpData(2, Generated(512));
        stranger->SendTo(Create<Packet>(fake.data(), static_cast<uint32_t>(fake.size())),
                         0,
                         InetSocketAddress("10.1.1.1", client->GetLocalPort()));
    });
    Simulator::Stop(Seconds(30));
    Simulator::Run();

    ASSERT_TRUE(client->IsCompleted()) << client->GetFailureReason();
    EXPECT_TRUE(client->IsVerified());
    ASSERT_EQ(answers.size(), 1u);
    EXPECT_EQ(answers[0].op, TftpPacket::ERROR);
    EXPECT_EQ(answers[0].errorCode, TFTP_ERR_UNKNOWN_TID);
    stranger->Close();
}

TEST_F(TftpAppLoss, DroppedDataBlockIsRetransmittedAfterTheTimeout)
{
    Ptr<TftpServer> server = InstallTftpServer();
    Ptr<TftpClient> client = InstallTftpClient(TftpClient::READ, "file-5000", 0);
    // The client drops the third packet it receives (ReceiveListErrorModel counts from 0).
    Ptr<ReceiveListErrorModel> em = CreateObject<ReceiveListErrorModel>();
    em->SetList({2});
    SetReceiveErrorModel(0, em);
    std::vector<TftpPacket> dropped;
    m_devices.Get(0)->TraceConnectWithoutContext(
        "PhyRxDrop",
        Callback<void, Ptr<const Packet>>(
            std::function<void(Ptr<const Packet>)>([&](Ptr<const Packet> p) {
                std::vector<uint8_t> b(p->GetSize());
                p->CopyData(b.data(), static_cast<uint32_t>(b.size()));
                bool ok = false;
                TftpPacket t = TftpOf(std::vector<uint8_t>(b.begin() + 2, b.end()), ok);
                EXPECT_TRUE(ok);
                dropped.push_back(t);
            })));
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ASSERT_EQ(dropped.size(), 1u);
    EXPECT_EQ(dropped[0].op, TftpPacket::DATA);
    EXPECT_EQ(dropped[0].block, 3);
    ASSERT_TRUE(client->IsCompleted()) << client->GetFailureReason();
    EXPECT_TRUE(client->IsVerified());
    EXPECT_EQ(client->GetBytesTransferred(), 5000u);
    EXPECT_EQ(server->GetRetransmissions(), 1u); // DATA 3 once more
    // The client's own timer also fired once (it repeats ACK 2, which the server ignores:
    // no Sorcerer's Apprentice), and the stall cost one 1 s timeout.
    EXPECT_EQ(client->GetRetransmissions(), 1u);
    EXPECT_GT(client->GetTransferTime(), Seconds(1));
    EXPECT_LT(client->GetTransferTime(), Seconds(1.2));
    EXPECT_EQ(server->GetTransfersCompleted(), 1u);
}

TEST_F(TftpAppLoss, LostFinalAckIsAnsweredFromTheDallyingServer)
{
    Ptr<TftpServer> server = InstallTftpServer();
    Ptr<TftpClient> client = InstallTftpClient(TftpClient::WRITE, "w.bin", 1300);
    // WRQ of 1300 bytes: the client receives ACK 0, 1, 2, 3. Drop the first ACK 3 (the last).
    Ptr<MatchErrorModel> em = CreateObject<MatchErrorModel>();
    em->match = [m = PeekPointer(em)](const PacketView&, const std::vector<uint8_t>& ip) {
        bool ok = false;
        TftpPacket t = TftpOf(ip, ok);
        return ok && t.op == TftpPacket::ACK && t.block == 3 && m->dropped == 0;
    };
    SetReceiveErrorModel(0, em);
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    EXPECT_EQ(em->dropped, 1u);
    ASSERT_TRUE(client->IsCompleted()) << client->GetFailureReason();
    EXPECT_EQ(client->GetRetransmissions(), 1u); // DATA 3 again, re-ACKed by the server
    std::vector<uint8_t> stored;
    ASSERT_TRUE(server->GetFile("w.bin", stored));
    EXPECT_EQ(stored, Generated(1300));
    EXPECT_EQ(server->GetTransfersCompleted(), 1u);
    EXPECT_EQ(server->GetTransfersFailed(), 0u);
}

TEST_F(TftpAppLoss, NoServerMeansTimeoutAfterMaxRetries)
{
    // No server on the far node: the request goes unanswered.
    TftpClientHelper helper(ServerAddress());
    helper.SetAttribute("FileName", StringValue("file-10"));
    helper.SetAttribute("Timeout", TimeValue(MilliSeconds(500)));
    helper.SetAttribute("MaxRetries", UintegerValue(3));
    ApplicationContainer apps = helper.Install(ClientNode());
    apps.Start(Seconds(1));
    Ptr<TftpClient> client = DynamicCast<TftpClient>(apps.Get(0));
    std::string traced;
    client->TraceConnectWithoutContext(
        "TransferFailed",
        Callback<void, const std::string&>(
            std::function<void(const std::string&)>([&](const std::string& r) { traced = r; })));
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    EXPECT_TRUE(client->IsFailed());
    EXPECT_FALSE(client->IsCompleted());
    EXPECT_EQ(client->GetFailureReason(),
              "timeout after 3 retransmissions (no answer to the request)");
    EXPECT_EQ(traced, client->GetFailureReason());
    EXPECT_EQ(client->GetRetransmissions(), 3u);
    EXPECT_EQ(client->GetTransferTime(), MilliSeconds(2000)); // (3 + 1) x 500 ms
    EXPECT_EQ(client->GetServerPort(), 0);
}

TEST_F(TftpAppLoss, ServerGivesUpWhenTheClientVanishes)
{
    Ptr<TftpServer> server = InstallTftpServer();
    Ptr<TftpClient> client = InstallTftpClient(TftpClient::READ, "file-100000", 0);
    client->SetStopTime(Seconds(1.1)); // mid-transfer
    std::string reason;
    server->TraceConnectWithoutContext(
        "TransferEnd",
        Callback<void, const std::string&, uint64_t, const std::string&>(
            std::function<void(const std::string&, uint64_t, const std::string&)>(
                [&](const std::string&, uint64_t, const std::string& r) { reason = r; })));
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    EXPECT_TRUE(client->IsFailed());
    EXPECT_EQ(client->GetFailureReason(), "application stopped");
    EXPECT_EQ(server->GetTransfersFailed(), 1u);
    EXPECT_EQ(server->GetRetransmissions(), 5u);
    EXPECT_EQ(reason, "timeout after 5 retransmissions");
}

// ---------------------------------------------------------------------------------------------
// RSH
// ---------------------------------------------------------------------------------------------

namespace
{

Ptr<RshClient>
InstallRshClient(Ptr<Node> node,
                 Ipv4Address server,
                 const std::string& command,
                 bool useStderr,
                 double start = 1.0)
{
    RshClientHelper helper(server);
    helper.SetAttribute("Command", StringValue(command));
    helper.SetAttribute("UseStderr", BooleanValue(useStderr));
    ApplicationContainer apps = helper.Install(node);
    apps.Start(Seconds(start));
    return DynamicCast<RshClient>(apps.Get(0));
}

Ptr<RshServer>
InstallRshServer(Ptr<Node> node)
{
    RshServerHelper helper;
    ApplicationContainer apps = helper.Install(node);
    apps.Start(Seconds(0));
    return DynamicCast<RshServer>(apps.Get(0));
}

} // namespace

TEST_F(RshAppSession, GenerateWithStderrBackConnection)
{
    Ptr<RshServer> server = InstallRshServer(ServerNode());
    Ptr<RshClient> client =
        InstallRshClient(ClientNode(), ServerAddress(), "generate 100000", true);
    RshStart seen;
    server->TraceConnectWithoutContext(
        "Start",
        Callback<void, const Address&, const RshStart&>(
            std::function<void(const Address&, const RshStart&)>(
                [&](const Address&, const RshStart& s) { seen = s; })));
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ASSERT_TRUE(client->IsCompleted()) << client->GetFailureReason();
    EXPECT_EQ(client->GetStdoutBytes(), 100000u);
    EXPECT_EQ(client->GetStdoutText().substr(0, 3), "abc");
    EXPECT_EQ(client->GetStderrText(), "generate: 100000 bytes\n");
    EXPECT_EQ(client->GetStderrBytes(), client->GetStderrText().size());
    // rcmd-style ports: main from 1023, stderr announced as 1022, server connects back from
    // its first reserved port 1023.
    EXPECT_EQ(client->GetLocalPort(), 1023);
    EXPECT_EQ(client->GetAnnouncedStderrPort(), 1022);
    EXPECT_TRUE(client->HasStderrConnection());
    EXPECT_EQ(client->GetBackConnectionPort(), 1023);
    EXPECT_EQ(seen.stderrPort, 1022);
    EXPECT_EQ(seen.command, "generate 100000");
    EXPECT_EQ(seen.remoteUser, "user");
    EXPECT_EQ(server->GetBackConnections(), 1u);
    EXPECT_EQ(server->GetSessionsServed(), 1u);
    EXPECT_GT(client->GetSessionTime(), MilliSeconds(80)); // 100 kB at 10 Mb/s
    EXPECT_LT(client->GetSessionTime(), Seconds(2));
}

TEST_F(RshAppSession, WithoutStderrNothingConnectsBack)
{
    Ptr<RshServer> server = InstallRshServer(ServerNode());
    Ptr<RshClient> client = InstallRshClient(ClientNode(), ServerAddress(), "generate 3000", false);
    Ptr<RshClient> echo = InstallRshClient(ClientNode(), ServerAddress(), "echo hi there", false);
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ASSERT_TRUE(client->IsCompleted()) << client->GetFailureReason();
    EXPECT_EQ(client->GetAnnouncedStderrPort(), 0);
    EXPECT_FALSE(client->HasStderrConnection());
    EXPECT_EQ(client->GetStdoutBytes(), 3000u);
    EXPECT_EQ(client->GetStderrBytes(), 0u);
    ASSERT_TRUE(echo->IsCompleted()) << echo->GetFailureReason();
    EXPECT_EQ(echo->GetStdoutText(), "hi there\n");
    EXPECT_NE(echo->GetLocalPort(), client->GetLocalPort()); // both from reserved ports
    EXPECT_LE(echo->GetLocalPort(), 1023);
    EXPECT_EQ(server->GetBackConnections(), 0u);
    EXPECT_EQ(server->GetSessionsServed(), 2u);
}

TEST_F(RshAppSession, UnknownCommandWritesStderrAndEmptyUserIsRefused)
{
    Ptr<RshServer> server = InstallRshServer(ServerNode());
    Ptr<RshClient> unknown = InstallRshClient(ClientNode(), ServerAddress(), "reboot", true);
    RshClientHelper helper(ServerAddress());
    helper.SetAttribute("RemoteUser", StringValue(""));
    ApplicationContainer apps = helper.Install(ClientNode());
    apps.Start(Seconds(2));
    Ptr<RshClient> refused = DynamicCast<RshClient>(apps.Get(0));
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ASSERT_TRUE(unknown->IsCompleted()) << unknown->GetFailureReason();
    EXPECT_EQ(unknown->GetStdoutBytes(), 0u);
    EXPECT_EQ(unknown->GetStderrText(), "rsh: reboot: command not found\n");
    EXPECT_TRUE(refused->IsFailed());
    EXPECT_EQ(refused->GetFailureReason(), "server refused: Login incorrect.");
    EXPECT_EQ(server->GetSessionsServed(), 1u);
    EXPECT_EQ(server->GetSessionsFailed(), 1u);
}

TEST_F(RshAppSession, BlockedBackConnectionFailsTheSession)
{
    // What a firewall without the rsh helper's pinhole does: the server's SYN to the announced
    // stderr port never reaches the client.
    Ptr<MatchErrorModel> em = CreateObject<MatchErrorModel>();
    em->match = [](const PacketView& v, const std::vector<uint8_t>&) {
        return v.tuple.proto == IPPROTO_NUM_TCP && v.tuple.dport == 1022;
    };
    SetReceiveErrorModel(0, em);
    Ptr<RshServer> server = InstallRshServer(ServerNode());
    RshClientHelper helper(ServerAddress());
    helper.SetAttribute("Command", StringValue("generate 1000"));
    helper.SetAttribute("Timeout", TimeValue(Seconds(20)));
    ApplicationContainer apps = helper.Install(ClientNode());
    apps.Start(Seconds(1));
    Ptr<RshClient> client = DynamicCast<RshClient>(apps.Get(0));
    Simulator::Stop(Seconds(600));
    Simulator::Run();

    EXPECT_GE(em->dropped, 1u);
    EXPECT_TRUE(client->IsFailed());
    EXPECT_EQ(client->GetFailureReason(), "timeout waiting for the stderr connection");
    EXPECT_EQ(client->GetStdoutBytes(), 0u);
    EXPECT_FALSE(client->HasStderrConnection());
    EXPECT_EQ(server->GetBackConnections(), 0u);
    EXPECT_EQ(server->GetSessionsServed(), 0u);
}

TEST_F(RshAppSession, ServerReportsAFailedBackConnection)
{
    // Same block, but the client waits long enough for the server's TCP to give up on its
    // SYNs: rshd then answers 1 + message on the main connection.
    Ptr<MatchErrorModel> em = CreateObject<MatchErrorModel>();
    em->match = [](const PacketView& v, const std::vector<uint8_t>&) {
        return v.tuple.proto == IPPROTO_NUM_TCP && v.tuple.dport == 1022;
    };
    SetReceiveErrorModel(0, em);
    Ptr<RshServer> server = InstallRshServer(ServerNode());
    RshClientHelper helper(ServerAddress());
    helper.SetAttribute("Timeout", TimeValue(Seconds(0))); // none
    ApplicationContainer apps = helper.Install(ClientNode());
    apps.Start(Seconds(1));
    Ptr<RshClient> client = DynamicCast<RshClient>(apps.Get(0));
    Simulator::Stop(Seconds(3600));
    Simulator::Run();

    EXPECT_TRUE(client->IsFailed());
    EXPECT_EQ(client->GetFailureReason(), "server refused: rshd: can't connect to stderr port.");
    EXPECT_EQ(server->GetSessionsFailed(), 1u);
    EXPECT_EQ(server->GetBackConnections(), 0u);
}

TEST_F(RshAppSession, SequentialAndConcurrentSessionsUseDistinctReservedPorts)
{
    // Two clients at once on one node, a third after both ended: each gets its own reserved
    // ports (rresvport style, from 1023 down), and a port just used rests while its connection
    // may still be in TIME_WAIT.
    Ptr<RshServer> server = InstallRshServer(ServerNode());
    Ptr<RshClient> a = InstallRshClient(ClientNode(), ServerAddress(), "generate 2000", true, 1.0);
    Ptr<RshClient> b = InstallRshClient(ClientNode(), ServerAddress(), "generate 3000", true, 1.0);
    Ptr<RshClient> c = InstallRshClient(ClientNode(), ServerAddress(), "generate 4000", true, 5.0);
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    std::set<uint16_t> clientPorts;
    std::set<uint16_t> backPorts;
    for (const Ptr<RshClient>& x : {a, b, c})
    {
        ASSERT_TRUE(x->IsCompleted()) << x->GetFailureReason();
        EXPECT_TRUE(x->HasStderrConnection());
        EXPECT_LE(x->GetLocalPort(), 1023);
        EXPECT_GE(x->GetAnnouncedStderrPort(), 512);
        clientPorts.insert(x->GetLocalPort());
        clientPorts.insert(x->GetAnnouncedStderrPort());
        backPorts.insert(x->GetBackConnectionPort());
    }
    EXPECT_EQ(clientPorts.size(), 6u);
    EXPECT_EQ(a->GetLocalPort(), 1023);
    EXPECT_EQ(a->GetAnnouncedStderrPort(), 1022);
    EXPECT_EQ(c->GetStdoutBytes(), 4000u);
    EXPECT_EQ(backPorts.size(), 3u); // the server's back-connection ports rest as well
    EXPECT_EQ(server->GetSessionsServed(), 3u);
    EXPECT_EQ(server->GetBackConnections(), 3u);
}
