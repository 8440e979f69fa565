/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * End-to-end tests of the FTP client and server applications on a plain two-node
 * point-to-point link (no FortiGate): active and passive, PORT/PASV and EPRT/EPSV, RETR and
 * STOR, with the bytes compared at the end; blocked data connections, server refusals and
 * corrupted transfers end as failures.
 */
#include "ns3/boolean.h"
#include "ns3/config-error.h"
#include "ns3/core-module.h"
#include "ns3/enum.h"
#include "ns3/error-model.h"
#include "ns3/ftp-helper.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/ppp-header.h"

#include <gtest/gtest.h>
#include <string>
#include <tuple>
#include <vector>

using namespace ns3;

namespace
{

/// Drops every TCP segment that is not on the control port: a firewall without the helper.
class BlockDataConnections : public ErrorModel
{
  public:
    uint32_t dropped{0}; //!< segments dropped

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        Ptr<Packet> c = p->Copy();
        PppHeader ppp;
        c->RemoveHeader(ppp);
        Ipv4Header ip;
        c->RemoveHeader(ip);
        if (ip.GetProtocol() != 6)
        {
            return false;
        }
        TcpHeader tcp;
        c->PeekHeader(tcp);
        bool drop = tcp.GetSourcePort() != 21 && tcp.GetDestinationPort() != 21;
        dropped += drop ? 1 : 0;
        return drop;
    }

    void DoReset() override
    {
    }
};

/// Client (node 0, 10.1.1.1) -- p2p -- server (node 1, 10.1.1.2).
struct Net
{
    NodeContainer nodes;
    NetDeviceContainer devices;
    Ipv4InterfaceContainer interfaces;
    std::vector<std::string> commands;                     //!< lines the server received
    std::vector<std::string> replies;                      //!< lines the server sent
    std::vector<std::pair<uint16_t, uint16_t>> serverSyns; //!< (sport, dport) of server SYNs

    explicit Net(const std::string& rate = "10Mbps")
    {
        nodes.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue(rate));
        p2p.SetChannelAttribute("Delay", StringValue("2ms"));
        devices = p2p.Install(nodes);
        InternetStackHelper stack;
        stack.Install(nodes);
        Ipv4AddressHelper addr("10.1.1.0", "255.255.255.0");
        interfaces = addr.Assign(devices);
    }

    ~Net()
    {
        Simulator::Destroy();
    }

    Ipv4Address ClientAddr() const
    {
        return interfaces.GetAddress(0);
    }

    Ipv4Address ServerAddr() const
    {
        return interfaces.GetAddress(1);
    }

    Ptr<FtpServer> InstallServer(FtpServerHelper helper = FtpServerHelper())
    {
        Ptr<FtpServer> server = DynamicCast<FtpServer>(helper.Install(nodes.Get(1)).Get(0));
        server->SetStartTime(Seconds(0));
        server->TraceConnectWithoutContext("Command", MakeCallback(&Net::OnCommand, this));
        server->TraceConnectWithoutContext("Reply", MakeCallback(&Net::OnReply, this));
        nodes.Get(1)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Tx",
            MakeCallback(&Net::OnServerTx, this));
        return server;
    }

    Ptr<FtpClient> InstallClient(FtpClient::Mode mode,
                                 bool extended,
                                 FtpClient::Command command,
                                 uint64_t size,
                                 double start = 1.0)
    {
        FtpClientHelper helper(ServerAddr());
        helper.SetAttribute("Mode", EnumValue(mode));
        helper.SetAttribute("UseExtended", BooleanValue(extended));
        helper.SetAttribute("Command", EnumValue(command));
        helper.SetAttribute("FileSize", UintegerValue(size));
        Ptr<FtpClient> client = DynamicCast<FtpClient>(helper.Install(nodes.Get(0)).Get(0));
        client->SetStartTime(Seconds(start));
        return client;
    }

    void OnCommand(const std::string& line)
    {
        commands.push_back(line);
    }

    void OnReply(const std::string& line)
    {
        replies.push_back(line);
    }

    void OnServerTx(Ptr<const Packet> packet, Ptr<Ipv4> /* ipv4 */, uint32_t /* interface */)
    {
        Ptr<Packet> c = packet->Copy();
        Ipv4Header ip;
        c->RemoveHeader(ip);
        if (ip.GetProtocol() != 6)
        {
            return;
        }
        TcpHeader tcp;
        c->PeekHeader(tcp);
        if ((tcp.GetFlags() & (TcpHeader::SYN | TcpHeader::ACK)) == TcpHeader::SYN)
        {
            serverSyns.emplace_back(tcp.GetSourcePort(), tcp.GetDestinationPort());
        }
    }

    /// \return the first line starting with \p prefix, or ""
    static std::string FindLine(const std::vector<std::string>& lines, const std::string& prefix)
    {
        for (const auto& l : lines)
        {
            if (l.compare(0, prefix.size(), prefix) == 0)
            {
                return l;
            }
        }
        return "";
    }
};

std::string
Dotted(Ipv4Address a, char sep)
{
    uint32_t v = a.Get();
    return std::to_string(v >> 24) + sep + std::to_string((v >> 16) & 0xff) + sep +
           std::to_string((v >> 8) & 0xff) + sep + std::to_string(v & 0xff);
}

} // namespace

// ---- Pure helpers ---------------------------------------------------------------------------

TEST(FtpAppFiles, GeneratedNamesSizesAndHashes)
{
    uint64_t size = 0;
    EXPECT_TRUE(FtpFileSizeFromName("file-1048576", size));
    EXPECT_EQ(size, 1048576u);
    EXPECT_TRUE(FtpFileSizeFromName("file-0", size));
    EXPECT_EQ(size, 0u);
    EXPECT_FALSE(FtpFileSizeFromName("file-", size));
    EXPECT_FALSE(FtpFileSizeFromName("file-12a", size));
    EXPECT_FALSE(FtpFileSizeFromName("report.pdf", size));
    EXPECT_FALSE(FtpFileSizeFromName("file-99999999999999999999", size));
    EXPECT_EQ(FtpFileName(42), "file-42");

    // The pattern is position dependent: shifting it by one byte changes the hash.
    std::vector<uint8_t> a(5000);
    FtpFillFile(0, a.data(), a.size());
    FtpHash h;
    h.Update(a.data(), a.size());
    EXPECT_EQ(h.Value(), FtpFileHash(5000));
    std::vector<uint8_t> b(5000);
    FtpFillFile(1, b.data(), b.size());
    EXPECT_NE(a, b);
    uint32_t same = 0;
    for (std::size_t k = 0; k + 256 < a.size(); ++k)
    {
        same += a[k] == a[k + 256] ? 1 : 0;
    }
    EXPECT_LT(same, 100u); // no short period
    EXPECT_NE(FtpFileHash(4999), FtpFileHash(5000));
}

TEST(FtpAppFiles, BadFileNamesAreRejected)
{
    Ptr<FtpServer> server = CreateObject<FtpServer>();
    EXPECT_THROW(server->AddFile("", 10), ConfigError);
    EXPECT_THROW(server->AddFile("two words", 10), ConfigError);
    EXPECT_THROW(server->AddFile("line\r\n", 10), ConfigError);
    FtpServerHelper helper;
    EXPECT_THROW(helper.AddFile("a b", 1), ConfigError);
    EXPECT_NO_THROW(helper.AddFile("report.pdf", 1));
}

TEST(FtpAppHelpers, InstallOnNodesContainersAndNamesAndRefuseBadNodes)
{
    FtpServerHelper helper;
    helper.SetAttribute("Greeting", StringValue("hello"));
    NodeContainer nodes(2);
    Names::Add("ftp-helper-test-node", nodes.Get(1));
    ApplicationContainer apps = helper.Install(nodes);
    apps.Add(helper.Install("ftp-helper-test-node"));
    ASSERT_EQ(apps.GetN(), 3u);
    EXPECT_EQ(apps.Get(1)->GetNode(), nodes.Get(1));
    EXPECT_EQ(apps.Get(2)->GetNode(), nodes.Get(1));
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        Ptr<FtpServer> s = DynamicCast<FtpServer>(apps.Get(i));
        ASSERT_TRUE(s);
        StringValue greeting;
        s->GetAttribute("Greeting", greeting);
        EXPECT_EQ(greeting.Get(), "hello");
    }
    try
    {
        helper.Install(Ptr<Node>());
        ADD_FAILURE() << "a null node was accepted";
    }
    catch (const ConfigError& e)
    {
        EXPECT_STREQ(e.what(), "FtpServerHelper: Install: node is null");
    }
    try
    {
        FtpClientHelper(Ipv4Address("10.0.0.1")).Install("no-such-node");
        ADD_FAILURE() << "an unknown node name was accepted";
    }
    catch (const ConfigError& e)
    {
        EXPECT_STREQ(e.what(), "FtpClientHelper: Install: no node named \"no-such-node\"");
    }
    Names::Clear();
    Simulator::Destroy();
}

// ---- Transfers in every mode -----------------------------------------------------------------

class FtpAppTransfer
    : public ::testing::TestWithParam<std::tuple<FtpClient::Mode, bool, FtpClient::Command>>
{
};

TEST_P(FtpAppTransfer, CompletesWithIdenticalBytes)
{
    auto [mode, extended, command] = GetParam();
    const uint64_t size = 300000 + 17; // not a multiple of any segment size
    Net net;
    Ptr<FtpServer> server = net.InstallServer();
    Ptr<FtpClient> client = net.InstallClient(mode, extended, command, size);
    uint64_t tracedBytes = 0;
    Time tracedTime;
    client->TraceConnectWithoutContext("TransferComplete",
                                       MakeBoundCallback(
                                           +[](uint64_t* b, Time* t, uint64_t bytes, Time d) {
                                               *b = bytes;
                                               *t = d;
                                           },
                                           &tracedBytes,
                                           &tracedTime));
    Simulator::Stop(Seconds(20));
    Simulator::Run();

    ASSERT_TRUE(client->IsCompleted()) << client->GetSummary();
    EXPECT_FALSE(client->IsFailed());
    EXPECT_EQ(client->GetBytesTransferred(), size);
    EXPECT_EQ(tracedBytes, size);
    EXPECT_EQ(tracedTime, client->GetTransferTime());
    // At 10 Mbit/s the bytes alone need 0.24 s; the whole thing well under 2 s.
    EXPECT_GT(client->GetTransferTime(), Seconds(size * 8.0 / 10e6));
    EXPECT_LT(client->GetTransferTime(), Seconds(2));
    EXPECT_EQ(server->GetTransfersCompleted(), 1u);
    EXPECT_EQ(server->GetTransfersFailed(), 0u);
    EXPECT_EQ(client->GetLastReply(), "221 Goodbye.");

    if (command == FtpClient::STOR)
    {
        const auto& stored = server->GetStoredFiles();
        ASSERT_EQ(stored.count(FtpFileName(size)), 1u);
        const auto& f = stored.at(FtpFileName(size));
        EXPECT_EQ(f.size, size);
        EXPECT_EQ(f.hash, FtpFileHash(size));
        EXPECT_TRUE(f.matchesPattern);
    }
    else
    {
        EXPECT_TRUE(server->GetStoredFiles().empty());
    }

    // The announcements on the wire and the data connection that followed.
    std::string port = std::to_string(client->GetDataPort());
    if (mode == FtpClient::ACTIVE)
    {
        EXPECT_EQ(client->GetDataAddress(), net.ClientAddr());
        std::string expected = extended
                                   ? "EPRT |1|" + Dotted(net.ClientAddr(), '.') + "|" + port + "|"
                                   : "PORT " + Dotted(net.ClientAddr(), ',') + "," +
                                         std::to_string(client->GetDataPort() >> 8) + "," +
                                         std::to_string(client->GetDataPort() & 0xff);
        EXPECT_EQ(Net::FindLine(net.commands, extended ? "EPRT" : "PORT"), expected);
        // The server connected from port 20 to the announced port.
        ASSERT_EQ(net.serverSyns.size(), 1u);
        EXPECT_EQ(net.serverSyns[0].first, FTP_DATA_PORT);
        EXPECT_EQ(net.serverSyns[0].second, client->GetDataPort());
    }
    else
    {
        EXPECT_TRUE(net.serverSyns.empty());
        EXPECT_EQ(client->GetDataAddress(), net.ServerAddr());
        std::string expected = extended
                                   ? "229 Entering Extended Passive Mode (|||" + port + "|)"
                                   : "227 Entering Passive Mode (" + Dotted(net.ServerAddr(), ',') +
                                         "," + std::to_string(client->GetDataPort() >> 8) + "," +
                                         std::to_string(client->GetDataPort() & 0xff) + ").";
        EXPECT_EQ(Net::FindLine(net.replies, extended ? "229" : "227"), expected);
    }
    std::string verb = command == FtpClient::RETR ? "RETR " : "STOR ";
    EXPECT_EQ(Net::FindLine(net.commands, verb), verb + FtpFileName(size));
    EXPECT_EQ(Net::FindLine(net.commands, "TYPE"), "TYPE I");
    EXPECT_EQ(Net::FindLine(net.replies, "226"), "226 Transfer complete.");
    EXPECT_EQ(Net::FindLine(net.commands, "QUIT"), "QUIT");
}

std::string
TransferName(const ::testing::TestParamInfo<FtpAppTransfer::ParamType>& info)
{
    FtpClient::Mode mode = std::get<0>(info.param);
    bool extended = std::get<1>(info.param);
    FtpClient::Command command = std::get<2>(info.param);
    std::string name =
        mode == FtpClient::ACTIVE ? (extended ? "Eprt" : "Port") : (extended ? "Epsv" : "Pasv");
    return name + (command == FtpClient::RETR ? "Retr" : "Stor");
}

INSTANTIATE_TEST_SUITE_P(FtpApp,
                         FtpAppTransfer,
                         ::testing::Combine(::testing::Values(FtpClient::ACTIVE,
                                                              FtpClient::PASSIVE),
                                            ::testing::Bool(),
                                            ::testing::Values(FtpClient::RETR, FtpClient::STOR)),
                         TransferName);

TEST(FtpAppTransfers, LossyLinkStillDeliversIdenticalBytes)
{
    Net net;
    Ptr<RateErrorModel> loss = CreateObject<RateErrorModel>();
    loss->SetAttribute("ErrorRate", DoubleValue(0.01));
    loss->SetAttribute("ErrorUnit", EnumValue(RateErrorModel::ERROR_UNIT_PACKET));
    loss->AssignStreams(7);
    net.devices.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
    Ptr<FtpServer> server = net.InstallServer();
    Ptr<FtpClient> retr = net.InstallClient(FtpClient::PASSIVE, false, FtpClient::RETR, 2000000);
    Simulator::Stop(Seconds(60));
    Simulator::Run();
    ASSERT_TRUE(retr->IsCompleted()) << retr->GetSummary();
    EXPECT_EQ(retr->GetBytesTransferred(), 2000000u);
    EXPECT_GT(loss->GetRate(), 0.0);
}

TEST(FtpAppTransfers, ConsecutiveActiveTransfersReuseOrFallBackFromPort20)
{
    Net net;
    Ptr<FtpServer> server = net.InstallServer();
    Ptr<FtpClient> first = net.InstallClient(FtpClient::ACTIVE, false, FtpClient::RETR, 50000, 1);
    Ptr<FtpClient> second = net.InstallClient(FtpClient::ACTIVE, true, FtpClient::RETR, 60000, 5);
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    ASSERT_TRUE(first->IsCompleted()) << first->GetSummary();
    ASSERT_TRUE(second->IsCompleted()) << second->GetSummary();
    EXPECT_EQ(server->GetControlConnections(), 2u);
    EXPECT_EQ(server->GetTransfersCompleted(), 2u);
    // The first data connection still holds port 20 in TIME_WAIT (2 MSL = 240 s in ns-3).
    ASSERT_EQ(net.serverSyns.size(), 2u);
    EXPECT_EQ(net.serverSyns[0].first, FTP_DATA_PORT);
    EXPECT_NE(net.serverSyns[1].first, FTP_DATA_PORT);
    EXPECT_EQ(server->GetDataPortFallbacks(), 1u);
}

TEST(FtpAppTransfers, EmptyFileAndNamedFile)
{
    Net net;
    FtpServerHelper helper;
    helper.AddFile("report.pdf", 12345);
    Ptr<FtpServer> server = net.InstallServer(helper);
    Ptr<FtpClient> empty = net.InstallClient(FtpClient::PASSIVE, false, FtpClient::RETR, 0, 1);
    Ptr<FtpClient> named = net.InstallClient(FtpClient::PASSIVE, true, FtpClient::RETR, 12345, 2);
    named->SetAttribute("FileName", StringValue("report.pdf"));
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    ASSERT_TRUE(empty->IsCompleted()) << empty->GetSummary();
    EXPECT_EQ(empty->GetBytesTransferred(), 0u);
    ASSERT_TRUE(named->IsCompleted()) << named->GetSummary();
    EXPECT_EQ(named->GetBytesTransferred(), 12345u);
    EXPECT_EQ(Net::FindLine(net.replies, "150 Opening BINARY mode data connection for report"),
              "150 Opening BINARY mode data connection for report.pdf (12345 bytes).");
}

// ---- Failures -------------------------------------------------------------------------------

class FtpAppBlocked : public ::testing::TestWithParam<FtpClient::Mode>
{
};

TEST_P(FtpAppBlocked, DataConnectionThatCannotBeReachedEndsAsTimeout)
{
    FtpClient::Mode mode = GetParam();
    Net net;
    Ptr<BlockDataConnections> block0 = CreateObject<BlockDataConnections>();
    Ptr<BlockDataConnections> block1 = CreateObject<BlockDataConnections>();
    net.devices.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(block0));
    net.devices.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(block1));
    Ptr<FtpServer> server = net.InstallServer();
    Ptr<FtpClient> client = net.InstallClient(mode, false, FtpClient::RETR, 100000);
    client->SetAttribute("Timeout", TimeValue(Seconds(5)));
    Time failedAt;
    std::string tracedReason;
    client->TraceConnectWithoutContext("TransferFailed",
                                       MakeBoundCallback(
                                           +[](Time* t, std::string* r, const std::string& reason) {
                                               *t = Simulator::Now();
                                               *r = reason;
                                           },
                                           &failedAt,
                                           &tracedReason));
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    EXPECT_FALSE(client->IsCompleted());
    ASSERT_TRUE(client->IsFailed());
    EXPECT_EQ(client->GetFailureReason(), "timeout waiting for the data connection");
    EXPECT_EQ(tracedReason, client->GetFailureReason());
    EXPECT_EQ(client->GetBytesTransferred(), 0u);
    // Login takes a few round trips of 4 ms after the start at 1 s; then 5 s without progress.
    EXPECT_GT(failedAt, Seconds(6.0));
    EXPECT_LT(failedAt, Seconds(6.2));
    EXPECT_GT(block0->dropped + block1->dropped, 0u);
    EXPECT_EQ(server->GetTransfersCompleted(), 0u);
    EXPECT_EQ(Net::FindLine(net.replies, "226"), "");
    // The control connection was still usable: the client said goodbye.
    EXPECT_EQ(client->GetLastReply(), "221 Goodbye.");
}

INSTANTIATE_TEST_SUITE_P(FtpApp,
                         FtpAppBlocked,
                         ::testing::Values(FtpClient::ACTIVE, FtpClient::PASSIVE),
                         [](const ::testing::TestParamInfo<FtpClient::Mode>& info) {
                             return std::string(info.param == FtpClient::ACTIVE ? "Active"
                                                                                : "Passive");
                         });

TEST(FtpAppFailures, NoServerEndsAsTimeoutWaitingForTheControlConnection)
{
    Net net;
    // No server: ns-3 answers the SYN with RST|ACK, which its own connecting socket ignores
    // (ns-3.37), so the attempt keeps retrying until the client's timeout.
    Ptr<FtpClient> client = net.InstallClient(FtpClient::PASSIVE, false, FtpClient::RETR, 1000);
    client->SetAttribute("Timeout", TimeValue(Seconds(3)));
    Simulator::Stop(Seconds(30));
    Simulator::Run();
    ASSERT_TRUE(client->IsFailed());
    EXPECT_EQ(client->GetFailureReason(), "timeout waiting for the control connection");
}

TEST(FtpAppFailures, UnknownFileIsRefusedByTheServer)
{
    Net net;
    Ptr<FtpServer> server = net.InstallServer();
    Ptr<FtpClient> client = net.InstallClient(FtpClient::PASSIVE, false, FtpClient::RETR, 10);
    client->SetAttribute("FileName", StringValue("missing.txt"));
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    ASSERT_TRUE(client->IsFailed());
    EXPECT_EQ(client->GetFailureReason(), "server reply: 550 Failed to open file.");
    EXPECT_EQ(server->GetTransfersCompleted(), 0u);
}

TEST(FtpAppFailures, ShortAndWrongBytesAreDetected)
{
    Net net;
    FtpServerHelper helper;
    helper.AddFile("short.bin", 9999); // the client expects 10000
    helper.AddFile("long.bin", 20000); // the client expects 10000
    Ptr<FtpServer> server = net.InstallServer(helper);
    Ptr<FtpClient> shortC = net.InstallClient(FtpClient::PASSIVE, false, FtpClient::RETR, 10000, 1);
    shortC->SetAttribute("FileName", StringValue("short.bin"));
    Ptr<FtpClient> longC = net.InstallClient(FtpClient::ACTIVE, false, FtpClient::RETR, 10000, 2);
    longC->SetAttribute("FileName", StringValue("long.bin"));
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    ASSERT_TRUE(shortC->IsFailed());
    EXPECT_EQ(shortC->GetFailureReason(), "short transfer (9999 of 10000 bytes)");
    ASSERT_TRUE(longC->IsFailed());
    EXPECT_EQ(longC->GetFailureReason(), "data mismatch at byte 10000");
    EXPECT_EQ(server->GetTransfersCompleted(), 2u); // the server did its part both times
}

TEST(FtpAppFailures, PortNamingAnotherHostIsRefused)
{
    // A client that announces an address that is not its own (what an FTP client behind NAT
    // does when no helper rewrites PORT): the server refuses, as vsftpd does.
    Net net;
    Ptr<FtpServer> server = net.InstallServer();
    // A raw TCP socket on the client node plays the client, to inject a foreign PORT.
    Ptr<Socket> s = Socket::CreateSocket(net.nodes.Get(0), TcpSocketFactory::GetTypeId());
    std::string got;
    s->SetRecvCallback(MakeBoundCallback(
        +[](std::string* out, Ptr<Socket> sock) {
            while (Ptr<Packet> p = sock->Recv())
            {
                std::vector<uint8_t> b(p->GetSize());
                p->CopyData(b.data(), b.size());
                out->append(b.begin(), b.end());
            }
        },
        &got));
    Simulator::Schedule(Seconds(1), [&]() {
        s->Bind();
        s->Connect(InetSocketAddress(net.ServerAddr(), 21));
    });
    Simulator::Schedule(Seconds(1.5), [&]() {
        std::string cmds = "USER a\r\nPASS b\r\nPORT 192,168,7,7,4,1\r\nPORT 10,1,1,1,4,1\r\n"
                           "EPRT |1|192.168.7.7|1025|\r\nEPRT |2|::1|1025|\r\nRETR file-10\r\n";
        s->Send(reinterpret_cast<const uint8_t*>(cmds.data()), cmds.size(), 0);
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_NE(got.find("500 Illegal PORT command.\r\n200 PORT command successful."),
              std::string::npos)
        << got;
    EXPECT_NE(got.find("500 Illegal EPRT command.\r\n522 Bad network protocol.\r\n"),
              std::string::npos)
        << got;
    // The RETR went to the accepted PORT (10.1.1.1:1025) where nobody listens: no 150 yet.
    EXPECT_EQ(got.find("150 "), std::string::npos);
    EXPECT_EQ(net.serverSyns.size(), 1u);
}
