/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * End-to-end tests of the FTP, TFTP and RSH session helpers through a simulated FortiGate
 * (the e2e-topology.h network): real applications on both sides, the bytes compared at the end.
 *
 * - FTP active/passive (PORT/EPRT/PASV/EPSV) x SNAT/VIP x helper on/off, RETR and STOR;
 * - TFTP RRQ/WRQ through SNAT, the data session closed by the helper at the end;
 * - RSH with a stderr channel through SNAT;
 * - pinholes seen with `diagnose sys session list expectation`, the child session, pinholes
 *   removed with the parent (`diagnose sys session clear`), expiry, per-parent and overall
 *   limits;
 * - crafted control lines through the datapath (no pinhole, bytes unchanged) and rewrites that
 *   change the length, followed by more traffic both ways (sequence/ack correction).
 */
#include "e2e-topology.h"

#include "ns3/config.h"
#include "ns3/error-model.h"
#include "ns3/expectation-table.h"
#include "ns3/ftp-helper.h"
#include "ns3/ftp-session-helper.h"
#include "ns3/ppp-header.h"
#include "ns3/rsh-helper.h"
#include "ns3/tftp-helper.h"
#include "ns3/tftp-parser.h"
#include "ns3/uinteger.h"

#include <map>
#include <set>

using namespace ns3;
using namespace ns3::e2e;

namespace
{

constexpr const char* VIP_EXT = "203.0.113.100"; //!< the FTP server's public address

/// How the FTP server is reached.
enum class Nat
{
    SNAT, //!< client on the LAN (interface SNAT), server on the WAN
    VIP,  //!< client on the WAN, server in the DMZ published through a VIP
};

/// Split a `diagnose sys session list` output into its session blocks.
std::vector<std::string>
SessionBlocks(const std::string& text)
{
    std::vector<std::string> blocks;
    const std::string marker = "session info:";
    size_t pos = text.find(marker);
    while (pos != std::string::npos)
    {
        size_t next = text.find(marker, pos + marker.size());
        blocks.push_back(
            text.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
        pos = next;
    }
    return blocks;
}

/// \return the blocks of \p text that contain \p needle
std::vector<std::string>
BlocksWith(const std::string& text, const std::string& needle)
{
    std::vector<std::string> out;
    for (const auto& b : SessionBlocks(text))
    {
        if (b.find(needle) != std::string::npos)
        {
            out.push_back(b);
        }
    }
    return out;
}

/// \return host-order port of a "h1,h2,h3,h4,p1,p2" PORT argument, and the address in \p addr
uint16_t
ParsePortArgument(const std::string& arg, std::string* addr)
{
    std::vector<int> n;
    std::istringstream in(arg);
    for (std::string part; std::getline(in, part, ',');)
    {
        n.push_back(std::stoi(part));
    }
    if (n.size() != 6)
    {
        return 0;
    }
    *addr = std::to_string(n[0]) + "." + std::to_string(n[1]) + "." + std::to_string(n[2]) + "." +
            std::to_string(n[3]);
    return static_cast<uint16_t>(n[4] * 256 + n[5]);
}

/**
 * A TCP endpoint driven by a script: a client (ConnectAt) or a listener that takes one
 * connection (Listen); sends the given byte strings at given times and keeps every byte it
 * receives, in order.
 */
class ScriptedTcp
{
  public:
    explicit ScriptedTcp(Ptr<Node> node, uint32_t segmentSize = 1400)
        : m_node(node),
          m_segmentSize(segmentSize)
    {
    }

    ~ScriptedTcp()
    {
        for (Ptr<Socket> s : {m_socket, m_conn})
        {
            if (s)
            {
                s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
                s->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                                      MakeNullCallback<void, Ptr<Socket>>());
                s->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                     MakeNullCallback<void, Ptr<Socket>, const Address&>());
            }
        }
    }

    ScriptedTcp(const ScriptedTcp&) = delete;
    ScriptedTcp& operator=(const ScriptedTcp&) = delete;

    /// Listen on \p port; the first connection becomes the one Send uses.
    void Listen(uint16_t port)
    {
        m_socket = NewSocket();
        m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        m_socket->Listen();
        m_socket->SetAcceptCallback(
            MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
            Callback<void, Ptr<Socket>, const Address&>([this](Ptr<Socket> s, const Address& from) {
                peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
                m_conn = s;
                connected = true;
                Attach(s);
            }));
    }

    /// Connect to \p to:\p port at \p at (simulated seconds).
    void ConnectAt(double at, Ipv4Address to, uint16_t port)
    {
        m_socket = NewSocket();
        m_socket->Bind();
        m_socket->SetConnectCallback(Callback<void, Ptr<Socket>>([this](Ptr<Socket> s) {
                                         connected = true;
                                         m_conn = s;
                                     }),
                                     MakeNullCallback<void, Ptr<Socket>>());
        Attach(m_socket);
        E2eTopology::At(at, [this, to, port]() { m_socket->Connect(InetSocketAddress(to, port)); });
    }

    /// Send \p bytes at \p at on the connection (nothing when there is none then).
    void SendAt(double at, const std::string& bytes)
    {
        E2eTopology::At(at, [this, bytes]() {
            if (m_conn && m_conn->Send(reinterpret_cast<const uint8_t*>(bytes.data()),
                                       static_cast<uint32_t>(bytes.size()),
                                       0) == static_cast<int>(bytes.size()))
            {
                sent += bytes;
            }
        });
    }

    /// \return the local port of a client connection
    uint16_t LocalPort() const
    {
        Address a;
        m_socket->GetSockName(a);
        return InetSocketAddress::ConvertFrom(a).GetPort();
    }

    std::string sent;      //!< bytes handed to the socket
    std::string received;  //!< bytes received
    bool connected{false}; //!< a connection exists
    Ipv4Address peer;      //!< listener: the peer's address

  private:
    Ptr<Socket> NewSocket()
    {
        Ptr<Socket> s = Socket::CreateSocket(m_node, TcpSocketFactory::GetTypeId());
        s->SetAttribute("SegmentSize", UintegerValue(m_segmentSize));
        return s;
    }

    void Attach(Ptr<Socket> s)
    {
        s->SetRecvCallback(Callback<void, Ptr<Socket>>([this](Ptr<Socket> c) {
            while (Ptr<Packet> p = c->Recv())
            {
                if (p->GetSize() == 0)
                {
                    break;
                }
                std::string chunk(p->GetSize(), '\0');
                p->CopyData(reinterpret_cast<uint8_t*>(&chunk[0]), chunk.size());
                received += chunk;
            }
        }));
    }

    Ptr<Node> m_node;
    uint32_t m_segmentSize;
    Ptr<Socket> m_socket; //!< client socket or listener
    Ptr<Socket> m_conn;   //!< the connection
};

/// What a child (pinhole) session looked like when it was created.
struct ChildRecord
{
    uint32_t serial{0};       //!< its serial
    uint32_t parentSerial{0}; //!< the parent's serial
    uint32_t policyId{0};     //!< its policy
    FlowTuple org;            //!< original tuple
};

/**
 * One FortiGate scenario with an FTP server: SNAT (client0 -> WAN server) or VIP (WAN host ->
 * VIP 203.0.113.100 -> DMZ server 10.0.2.2), the FTP helper on or off (entry 9 deleted).
 * Records the server's command and reply lines, child sessions and closed sessions.
 */
struct HelperNet
{
    E2eTopology topo;
    Nat nat;
    Ptr<FortiGateNode> fgt;
    Ptr<FtpServer> server;
    Ptr<Node> clientNode;
    Ptr<Node> serverNode;
    Ipv4Address dial;                                     //!< where clients connect
    std::vector<std::string> commands;                    //!< lines the server received
    std::vector<std::string> replies;                     //!< lines the server sent
    std::vector<ChildRecord> children;                    //!< sessions created by pinholes
    std::vector<std::pair<uint32_t, std::string>> closed; //!< (serial, reason)
    std::function<void(const std::string&)> onCommand;    //!< test hook
    std::function<void(const std::string&)> onReply;      //!< test hook

    /// Plain configuration: one accept policy, FTP helper per \p helper.
    static FortiGateConfig Config(Nat nat, bool helper)
    {
        FortiGateConfig cfg = E2eTopology::BaseConfig();
        if (nat == Nat::SNAT)
        {
            cfg.AddPolicy(E2eTopology::Accept(1, "port1", "port2", true, "all", "ALL", "lan"));
        }
        else
        {
            VipConfig vip;
            vip.name = "ftp-vip";
            vip.extipLo = Ip(VIP_EXT);
            vip.mappedipLo = Ip(INSIDE);
            vip.extintf = "port2";
            cfg.AddVip(vip);
            cfg.AddPolicy(E2eTopology::Accept(1, "port2", "port3", false, "ftp-vip"));
        }
        if (!helper)
        {
            cfg.DeleteSessionHelper(9);
        }
        return cfg;
    }

    HelperNet(Nat n, bool helper, bool withServer = true)
        : HelperNet(n, Config(n, helper), withServer)
    {
    }

    HelperNet(Nat n, const FortiGateConfig& cfg, bool withServer = true)
        : nat(n)
    {
        topo.AssignStreams(1);
        fgt = topo.Install(cfg);
        clientNode = nat == Nat::SNAT ? topo.clients.Get(0) : topo.server;
        serverNode = nat == Nat::SNAT ? topo.server : topo.inside;
        dial = Ipv4Address(nat == Nat::SNAT ? SERVER : VIP_EXT);
        fgt->TraceConnectWithoutContext(
            "SessionCreated",
            Callback<void, const Session&>([this](const Session& s) {
                const SessionExtension* x = s.ExtOrNull();
                if (x && x->parentSerial != 0)
                {
                    children.push_back(
                        ChildRecord{s.serial, x->parentSerial, s.policyId, s.org.tuple});
                }
            }));
        fgt->TraceConnectWithoutContext("SessionClosed",
                                        Callback<void, const Session&, const std::string&>(
                                            [this](const Session& s, const std::string& why) {
                                                closed.emplace_back(s.serial, why);
                                            }));
        if (withServer)
        {
            FtpServerHelper h;
            server = DynamicCast<FtpServer>(h.Install(serverNode).Get(0));
            server->SetStartTime(Seconds(0));
            server->TraceConnectWithoutContext(
                "Command",
                Callback<void, const std::string&>([this](const std::string& line) {
                    commands.push_back(line);
                    if (onCommand)
                    {
                        onCommand(line);
                    }
                }));
            server->TraceConnectWithoutContext(
                "Reply",
                Callback<void, const std::string&>([this](const std::string& line) {
                    replies.push_back(line);
                    if (onReply)
                    {
                        onReply(line);
                    }
                }));
        }
    }

    /// An FtpClient on the client node, started at \p start.
    Ptr<FtpClient> Client(FtpClient::Mode mode,
                          bool extended,
                          FtpClient::Command command,
                          uint64_t size,
                          double start = 1.0,
                          double timeout = 8.0)
    {
        FtpClientHelper h(dial);
        h.SetAttribute("Mode", EnumValue(mode));
        h.SetAttribute("UseExtended", BooleanValue(extended));
        h.SetAttribute("Command", EnumValue(command));
        h.SetAttribute("FileSize", UintegerValue(size));
        h.SetAttribute("Timeout", TimeValue(Seconds(timeout)));
        Ptr<FtpClient> c = DynamicCast<FtpClient>(h.Install(clientNode).Get(0));
        c->SetStartTime(Seconds(start));
        return c;
    }

    /// \return the server's reply lines joined with CRLF (what its control socket sent)
    std::string ReplyBytes() const
    {
        std::string s;
        for (const auto& r : replies)
        {
            s += r + "\r\n";
        }
        return s;
    }

    /// \return the first command line starting with \p prefix ("" when none)
    std::string CommandStartingWith(const std::string& prefix) const
    {
        for (const auto& c : commands)
        {
            if (c.rfind(prefix, 0) == 0)
            {
                return c;
            }
        }
        return "";
    }
};

/**
 * Reassembles the TCP payload a node receives from \p peerPort (every connection together,
 * ordered by sequence number, duplicates dropped): the bytes as they arrived on the wire.
 */
class TcpStreamLog
{
  public:
    /// \param node the receiving node
    /// \param port the peer's port (\p toPort false) or the node's own port (\p toPort true)
    /// \param toPort match the destination port instead of the source port
    TcpStreamLog(Ptr<Node> node, uint16_t port, bool toPort = false)
        : m_log(node),
          m_port(port),
          m_toPort(toPort)
    {
    }

    /// \return the payload of every segment received from the peer port, in arrival order
    std::vector<std::string> Segments() const
    {
        std::vector<std::string> out;
        for (const auto* d : m_log.OfProto(6))
        {
            Ptr<Packet> p = d->packet->Copy();
            TcpHeader tcp;
            p->RemoveHeader(tcp);
            if ((m_toPort ? tcp.GetDestinationPort() : tcp.GetSourcePort()) != m_port ||
                p->GetSize() == 0)
            {
                continue;
            }
            std::string chunk(p->GetSize(), '\0');
            p->CopyData(reinterpret_cast<uint8_t*>(&chunk[0]), chunk.size());
            out.push_back(chunk);
        }
        return out;
    }

    /// \return the bytes received from the peer port, in sequence order
    std::string Bytes() const
    {
        std::map<uint32_t, std::string> bySeq;
        for (const auto* d : m_log.OfProto(6))
        {
            Ptr<Packet> p = d->packet->Copy();
            TcpHeader tcp;
            p->RemoveHeader(tcp);
            if ((m_toPort ? tcp.GetDestinationPort() : tcp.GetSourcePort()) != m_port ||
                p->GetSize() == 0)
            {
                continue;
            }
            std::string chunk(p->GetSize(), '\0');
            p->CopyData(reinterpret_cast<uint8_t*>(&chunk[0]), chunk.size());
            bySeq.emplace(tcp.GetSequenceNumber().GetValue(), chunk);
        }
        std::string out;
        for (const auto& kv : bySeq)
        {
            out += kv.second;
        }
        return out;
    }

  private:
    DeliveryLog m_log;
    uint16_t m_port;
    bool m_toPort;
};

// ---- FTP: the matrix ---------------------------------------------------------------------------

/// One end-to-end FTP case.
struct FtpCase
{
    Nat nat;
    FtpClient::Mode mode;
    bool extended;
    FtpClient::Command command;
    bool helper;
};

std::string
CaseName(const ::testing::TestParamInfo<FtpCase>& info)
{
    const FtpCase& c = info.param;
    std::string mode = c.mode == FtpClient::ACTIVE ? (c.extended ? "Eprt" : "Port")
                                                   : (c.extended ? "Epsv" : "Pasv");
    return std::string(c.nat == Nat::SNAT ? "Snat" : "Vip") + mode +
           (c.command == FtpClient::RETR ? "Retr" : "Stor") + (c.helper ? "Helper" : "NoHelper");
}

/// \return whether the transfer must complete: always with the helper; without it only the
///         passive modes under SNAT and EPSV under the VIP (the 229 reply carries no address).
bool
ExpectCompleted(const FtpCase& c)
{
    if (c.helper)
    {
        return true;
    }
    if (c.nat == Nat::SNAT)
    {
        return c.mode == FtpClient::PASSIVE;
    }
    return c.mode == FtpClient::PASSIVE && c.extended;
}

class HelpersE2eFtp : public ::testing::TestWithParam<FtpCase>
{
};

TEST_P(HelpersE2eFtp, TransferMatchesExpectation)
{
    const FtpCase c = GetParam();
    const uint64_t size = c.command == FtpClient::RETR ? 300000 : 200000;
    HelperNet net(c.nat, c.helper);
    Ptr<FtpClient> client = net.Client(c.mode, c.extended, c.command, size);
    net.topo.RunUntil(30);

    const bool expected = ExpectCompleted(c);
    ASSERT_EQ(client->IsCompleted(), expected) << client->GetSummary();
    if (expected)
    {
        EXPECT_EQ(client->GetBytesTransferred(), size);
        EXPECT_GT(client->GetTransferTime(), Seconds(0));
        EXPECT_EQ(net.server->GetTransfersCompleted(), 1u);
        if (c.command == FtpClient::STOR)
        {
            auto it = net.server->GetStoredFiles().find(FtpFileName(size));
            ASSERT_NE(it, net.server->GetStoredFiles().end());
            EXPECT_EQ(it->second.size, size);
            EXPECT_EQ(it->second.hash, FtpFileHash(size));
            EXPECT_TRUE(it->second.matchesPattern);
        }
    }
    else
    {
        EXPECT_TRUE(client->IsFailed());
        EXPECT_FALSE(client->GetFailureReason().empty());
        EXPECT_TRUE(net.server->GetStoredFiles().empty());
        if (c.nat == Nat::SNAT && c.mode == FtpClient::ACTIVE)
        {
            // The server saw the private address and refused it (vsftpd's port_promiscuous=NO).
            EXPECT_NE(client->GetFailureReason().find("Illegal"), std::string::npos)
                << client->GetFailureReason();
            EXPECT_NE(
                net.CommandStartingWith(c.extended ? "EPRT |1|10.0.1.10|" : "PORT 10,0,1,10,"),
                "");
        }
    }

    if (c.helper)
    {
        // The data connection came through the helper's pinhole, with the control policy.
        ASSERT_EQ(net.children.size(), 1u);
        EXPECT_EQ(net.children[0].policyId, 1u);
        EXPECT_EQ(net.fgt->GetExpectations().GetMatched(), 1u);
    }
    else
    {
        EXPECT_TRUE(net.children.empty());
        EXPECT_EQ(net.fgt->GetExpectations().GetMatched(), 0u);
        // Without the helper nothing is rewritten: the announced address reaches the server.
        if (c.nat == Nat::SNAT && c.mode == FtpClient::ACTIVE && !c.extended)
        {
            EXPECT_NE(net.CommandStartingWith("PORT 10,0,1,10,"), "");
        }
    }
    EXPECT_EQ(net.fgt->GetExpectations().Size(), 0u);
}

std::vector<FtpCase>
AllFtpCases()
{
    std::vector<FtpCase> cases;
    for (Nat nat : {Nat::SNAT, Nat::VIP})
    {
        for (FtpClient::Mode mode : {FtpClient::ACTIVE, FtpClient::PASSIVE})
        {
            for (bool ext : {false, true})
            {
                for (FtpClient::Command cmd : {FtpClient::RETR, FtpClient::STOR})
                {
                    for (bool helper : {true, false})
                    {
                        cases.push_back(FtpCase{nat, mode, ext, cmd, helper});
                    }
                }
            }
        }
    }
    return cases;
}

INSTANTIATE_TEST_SUITE_P(, HelpersE2eFtp, ::testing::ValuesIn(AllFtpCases()), CaseName);

// ---- FTP: pinholes seen end to end ------------------------------------------------------------

TEST(HelpersE2ePinhole, ListedBetweenPortAndDataConnection)
{
    HelperNet net(Nat::SNAT, true);
    std::string atPort; // expectation list when the server got PORT
    size_t pinholesAtPort = 0;
    size_t childrenAtPort = 0;
    std::string sessionsAt150; // session list once the data connection is up
    std::string expectAt150;
    net.onCommand = [&](const std::string& line) {
        if (line.rfind("PORT", 0) == 0)
        {
            atPort = net.fgt->Diagnose("diagnose sys session list expectation");
            pinholesAtPort = net.fgt->GetExpectations().Size();
            childrenAtPort = net.children.size();
        }
    };
    net.onReply = [&](const std::string& line) {
        if (line.rfind("150", 0) == 0)
        {
            sessionsAt150 = net.fgt->Diagnose("diagnose sys session list");
            expectAt150 = net.fgt->Diagnose("diagnose sys session list expectation");
        }
    };
    Ptr<FtpClient> client = net.Client(FtpClient::ACTIVE, false, FtpClient::RETR, 400000);
    net.topo.RunUntil(20);
    ASSERT_TRUE(client->IsCompleted()) << client->GetSummary();

    // The PORT the server received names the NATed address and port.
    std::string port = net.CommandStartingWith("PORT ");
    std::string addr;
    uint16_t natPort = ParsePortArgument(port.substr(5), &addr);
    EXPECT_EQ(addr, FGT_WAN);
    ASSERT_NE(natPort, 0);
    const uint16_t clientPort = client->GetDataPort();

    // Between PORT and the data connection: one ftp pinhole to the NATed port, mapped back to
    // the client's listener, with the control session's policy and serial.
    EXPECT_EQ(pinholesAtPort, 1u);
    EXPECT_EQ(childrenAtPort, 0u);
    EXPECT_NE(atPort.find("helper=ftp"), std::string::npos) << atPort;
    std::string hook = std::string("hook=pre dir=org act=dnat ") + SERVER + ":0->" + FGT_WAN + ":" +
                       std::to_string(natPort) + "(10.0.1.10:" + std::to_string(clientPort) + ")";
    EXPECT_NE(atPort.find(hook), std::string::npos) << atPort;
    EXPECT_NE(atPort.find("policy_id=1 "), std::string::npos) << atPort;
    EXPECT_NE(atPort.find("expire=299 "), std::string::npos) << atPort; // 300 s from PORT
    EXPECT_NE(atPort.find("total session 1\n"), std::string::npos) << atPort;

    // The data connection used it (one-shot: gone) and shows the parent's helper and policy.
    EXPECT_NE(expectAt150.find("total session 0\n"), std::string::npos) << expectAt150;
    ASSERT_EQ(net.children.size(), 1u);
    const ChildRecord& child = net.children[0];
    EXPECT_EQ(child.policyId, 1u);
    EXPECT_EQ(child.org.sport, FTP_DATA_PORT);
    EXPECT_EQ(child.org.dport, natPort);
    std::string dataHook = std::string("hook=pre dir=org act=dnat ") + SERVER + ":20->" + FGT_WAN +
                           ":" + std::to_string(natPort) +
                           "(10.0.1.10:" + std::to_string(clientPort) + ")";
    auto blocks = BlocksWith(sessionsAt150, dataHook);
    ASSERT_EQ(blocks.size(), 1u) << sessionsAt150;
    EXPECT_NE(blocks[0].find("helper=ftp"), std::string::npos) << blocks[0];
    EXPECT_NE(blocks[0].find("policy_id=1 "), std::string::npos) << blocks[0];
    // The control session shows the helper too.
    auto ctl = BlocksWith(sessionsAt150, ":21(");
    ASSERT_EQ(ctl.size(), 1u) << sessionsAt150;
    EXPECT_NE(ctl[0].find("helper=ftp"), std::string::npos) << ctl[0];
}

TEST(HelpersE2ePinhole, RemovedWhenTheParentIsCleared)
{
    HelperNet net(Nat::SNAT, true);
    size_t before = 0;
    size_t after = 0;
    std::string listAfter;
    std::string clearOut;
    net.onCommand = [&](const std::string& line) {
        if (line.rfind("PORT", 0) == 0)
        {
            before = net.fgt->GetExpectations().Size();
            clearOut = net.fgt->Diagnose("diagnose sys session clear");
            after = net.fgt->GetExpectations().Size();
            listAfter = net.fgt->Diagnose("diagnose sys session list expectation");
        }
    };
    Ptr<FtpClient> client = net.Client(FtpClient::ACTIVE, false, FtpClient::RETR, 100000);
    net.topo.RunUntil(30);
    EXPECT_EQ(before, 1u);
    EXPECT_EQ(after, 0u);
    EXPECT_NE(listAfter.find("total session 0\n"), std::string::npos) << listAfter;
    // The control session closed as "cleared"; the data connection found no pinhole.
    EXPECT_FALSE(net.closed.empty());
    EXPECT_EQ(net.closed[0].second, "cleared");
    EXPECT_TRUE(net.children.empty());
    EXPECT_TRUE(client->IsFailed()) << client->GetSummary();
    EXPECT_EQ(net.fgt->GetExpectations().GetMatched(), 0u);
}

TEST(HelpersE2ePinhole, ExpiresUnused)
{
    // A client that announces a data port and never asks for a transfer: nobody connects.
    HelperNet net(Nat::SNAT, true);
    ScriptedTcp ctl(net.topo.clients.Get(0));
    ctl.ConnectAt(1.0, Ipv4Address(SERVER), 21);
    ctl.SendAt(1.2, "USER anonymous\r\n");
    ctl.SendAt(1.3, "PASS x@example.com\r\n");
    ctl.SendAt(1.4, "PORT 10,0,1,10,200,10\r\n");
    const double timeout = FtpSessionHelper::PINHOLE_TIMEOUT;
    std::string early;
    std::string middle;
    size_t sizeBefore = 0;
    size_t sizeAfter = 0;
    bool parentAlive = false;
    E2eTopology::At(2.0,
                    [&]() { early = net.fgt->Diagnose("diagnose sys session list expectation"); });
    E2eTopology::At(1.5 + timeout / 2,
                    [&]() { middle = net.fgt->Diagnose("diagnose sys session list expectation"); });
    E2eTopology::At(1.4 + timeout - 2, [&]() { sizeBefore = net.fgt->GetExpectations().Size(); });
    E2eTopology::At(1.4 + timeout + 2, [&]() {
        sizeAfter = net.fgt->GetExpectations().Size();
        parentAlive = net.fgt->GetSessionTable().Size() == 1;
    });
    net.topo.RunUntil(1.4 + timeout + 3);

    EXPECT_EQ(net.CommandStartingWith("PORT"), "PORT 203,0,113,1,200,10");
    EXPECT_NE(early.find("helper=ftp"), std::string::npos) << early;
    EXPECT_NE(early.find(" expire=299 "), std::string::npos) << early;
    EXPECT_NE(middle.find("expire=" + std::to_string(static_cast<int>(timeout / 2) - 1)),
              std::string::npos)
        << middle;
    EXPECT_EQ(sizeBefore, 1u);
    EXPECT_EQ(sizeAfter, 0u);
    EXPECT_TRUE(parentAlive);
    EXPECT_EQ(net.fgt->GetExpectations().GetExpired(), 1u);
    EXPECT_EQ(net.fgt->GetExpectations().GetMatched(), 0u);
}

TEST(HelpersE2ePinhole, TimeoutIsAnAttributeOnAConfigPath)
{
    // The ftp helper's PinholeTimeout set through the unit's SessionHelpers attribute: the
    // pinhole of an unused PORT announcement lives 20 s instead of 300.
    HelperNet net(Nat::SNAT, true);
    const std::string path = "/NodeList/*/ApplicationList/*/$ns3::FortiGateNode/SessionHelpers/*/"
                             "$ns3::FtpSessionHelper/PinholeTimeout";
    Config::Set(path, UintegerValue(20));
    UintegerValue set;
    net.fgt->GetSessionHelper("ftp")->GetAttribute("PinholeTimeout", set);
    EXPECT_EQ(set.Get(), 20u);
    // Only the ftp helper has it changed (the path selects by type).
    net.fgt->GetSessionHelper("tftp")->GetAttribute("PinholeTimeout", set);
    EXPECT_EQ(set.Get(), 300u);
    ScriptedTcp ctl(net.topo.clients.Get(0));
    ctl.ConnectAt(1.0, Ipv4Address(SERVER), 21);
    ctl.SendAt(1.2, "USER anonymous\r\n");
    ctl.SendAt(1.3, "PASS x@example.com\r\n");
    ctl.SendAt(1.4, "PORT 10,0,1,10,200,10\r\n");
    std::string early;
    size_t sizeBefore = 0;
    size_t sizeAfter = 0;
    E2eTopology::At(2.0,
                    [&]() { early = net.fgt->Diagnose("diagnose sys session list expectation"); });
    E2eTopology::At(1.4 + 18, [&]() { sizeBefore = net.fgt->GetExpectations().Size(); });
    E2eTopology::At(1.4 + 22, [&]() { sizeAfter = net.fgt->GetExpectations().Size(); });
    net.topo.RunUntil(1.4 + 23);

    EXPECT_EQ(net.CommandStartingWith("PORT"), "PORT 203,0,113,1,200,10");
    EXPECT_NE(early.find(" expire=19 "), std::string::npos) << early;
    EXPECT_EQ(sizeBefore, 1u);
    EXPECT_EQ(sizeAfter, 0u);
    EXPECT_EQ(net.fgt->GetExpectations().GetExpired(), 1u);
}

TEST(HelpersE2ePinhole, NewPortReplacesThePreviousPinholeUnderDefaultLimits)
{
    // The FTP data pinhole's class holds one per control connection (Linux: one expected data
    // connection), whatever the table's per-parent limit (8 by default, left as is).
    HelperNet net(Nat::SNAT, true);
    ScriptedTcp ctl(net.topo.clients.Get(0));
    ctl.ConnectAt(1.0, Ipv4Address(SERVER), 21);
    ctl.SendAt(1.2, "USER anonymous\r\n");
    ctl.SendAt(1.3, "PASS x@example.com\r\n");
    for (int i = 0; i < 5; ++i)
    {
        ctl.SendAt(1.4 + 0.1 * i, "PORT 10,0,1,10,100," + std::to_string(10 + i) + "\r\n");
    }
    std::string afterFirst;
    std::string afterSecond;
    std::string list;
    E2eTopology::At(1.45, [&]() {
        afterFirst = net.fgt->Diagnose("diagnose sys session list expectation");
    });
    E2eTopology::At(1.55, [&]() {
        afterSecond = net.fgt->Diagnose("diagnose sys session list expectation");
    });
    E2eTopology::At(2.5,
                    [&]() { list = net.fgt->Diagnose("diagnose sys session list expectation"); });
    net.topo.RunUntil(3);

    auto hole = [](int i) {
        const std::string port = std::to_string(100 * 256 + 10 + i);
        return std::string("->") + FGT_WAN + ":" + port + "(10.0.1.10:" + port + ")";
    };
    EXPECT_NE(afterFirst.find(hole(0)), std::string::npos) << afterFirst;
    EXPECT_NE(afterFirst.find("total session 1\n"), std::string::npos) << afterFirst;
    // The second PORT replaced the first: only the new port is listed.
    EXPECT_EQ(afterSecond.find(hole(0)), std::string::npos) << afterSecond;
    EXPECT_NE(afterSecond.find(hole(1)), std::string::npos) << afterSecond;
    EXPECT_NE(afterSecond.find("total session 1\n"), std::string::npos) << afterSecond;
    // After all five, only the newest.
    const auto& table = net.fgt->GetExpectations();
    EXPECT_EQ(table.Size(), 1u);
    EXPECT_EQ(table.GetPerParentLimitHits(), 4u);
    EXPECT_EQ(table.GetTotalLimitHits(), 0u);
    for (int i = 0; i < 5; ++i)
    {
        EXPECT_EQ(list.find(hole(i)) != std::string::npos, i == 4) << i << "\n" << list;
    }
    EXPECT_NE(list.find("total session 1\n"), std::string::npos) << list;
    // Every PORT was rewritten (replacing an old pinhole is not a refusal).
    size_t rewritten = 0;
    for (const auto& c : net.commands)
    {
        rewritten += c.rfind("PORT 203,0,113,1,100,", 0) == 0 ? 1 : 0;
    }
    EXPECT_EQ(rewritten, 5u);
}

TEST(HelpersE2ePinhole, OverallLimitRefusesAndLeavesTheLineAlone)
{
    HelperNet net(Nat::SNAT, true);
    net.fgt->GetExpectations().SetLimits(0, 1);
    ScriptedTcp a(net.topo.clients.Get(0));
    ScriptedTcp b(net.topo.clients.Get(1));
    a.ConnectAt(1.0, Ipv4Address(SERVER), 21);
    b.ConnectAt(1.05, Ipv4Address(SERVER), 21);
    a.SendAt(1.3, "PORT 10,0,1,10,100,1\r\n");
    b.SendAt(1.4, "PORT 10,0,1,11,100,2\r\n");
    net.topo.RunUntil(2);

    const auto& table = net.fgt->GetExpectations();
    EXPECT_EQ(table.Size(), 1u);
    EXPECT_EQ(table.GetTotalLimitHits(), 1u);
    // The first was rewritten; the refused one went through untouched.
    std::set<std::string> ports;
    for (const auto& c : net.commands)
    {
        if (c.rfind("PORT", 0) == 0)
        {
            ports.insert(c);
        }
    }
    EXPECT_EQ(ports.count("PORT 203,0,113,1,100,1"), 1u);
    EXPECT_EQ(ports.count("PORT 10,0,1,11,100,2"), 1u);
}

// ---- FTP: crafted control lines through the datapath ----------------------------------------

/// Control lines the helper must leave alone (client -> server).
std::vector<std::string>
CraftedCommands()
{
    return {
        "PORT " + std::string(600, ' ') + "10,0,1,10,4,1\r\n", // longer than 512 bytes
        "PORT 10,0,1,10,256,1\r\n",                            // number > 255
        "PORT 10,0,1,10,0,0\r\n",                              // port 0
        "PORT 10,0,1,99,4,1\r\n",                              // not the sender's address
        "PORT 10,0,1,10,4,1,7\r\n",                            // seven numbers
        "PORT -1,0,1,10,4,1\r\n",                              // sign
        "PORT 10,0,1,10,4\r\n",                                // five numbers
        "EPRT |1|10.0.1.10|65536|\r\n",                        // port 65536
        "EPRT |1|10.0.1.10|0|\r\n",                            // port 0
        "EPRT |1|10.0.1.99|5000|\r\n",                         // not the sender's
        "EPRT |2|::1|5000|\r\n",                               // IPv6
        "EPRT |1|10.0.1.256|5000|\r\n",                        // bad address
        std::string("PORT 10,0,1,10,\0,1\r\n", 20),            // NUL inside
    };
}

TEST(HelpersE2eMalformed, CraftedLinesOpenNothingAndArriveUnchanged)
{
    HelperNet net(Nat::SNAT, true, false);
    ScriptedTcp sink(net.topo.server);
    sink.Listen(21);
    ScriptedTcp cl(net.topo.clients.Get(0));
    cl.ConnectAt(1.0, Ipv4Address(SERVER), 21);
    double t = 1.2;
    std::vector<size_t> sizesAfter;
    for (const auto& line : CraftedCommands())
    {
        cl.SendAt(t, line);
        t += 0.05;
    }
    // Commands split over two segments: only complete lines count, never a segment's tail.
    const std::vector<std::pair<std::string, std::string>> splits = {
        {"PORT 10,0,1,10,", "4,1\r\n"},
        {"PORT 10,0,1,10,4,1", "\r\n"},
        {"NOOP ", "PORT 10,0,1,10,4,2\r\n"},
        {"SITE X", "\r\nPORT 10,0,1,10,4,3"},
    };
    for (const auto& s : splits)
    {
        cl.SendAt(t, s.first);
        cl.SendAt(t + 0.02, s.second);
        t += 0.05;
    }
    cl.SendAt(t, "\r\n"); // ends the last split line
    t += 0.05;
    // Replies the helper must leave alone (server -> client).
    const std::vector<std::string> replies = {
        "227 Entering Passive Mode (198,51,100,8,4,1).\r\n",   // not the sender's
        "227 Entering Passive Mode (198,51,100,7,300,1).\r\n", // number > 255
        "227 Entering Passive Mode (198,51,100,7,0,0).\r\n",   // port 0
        "229 Entering Extended Passive Mode (|||0|)\r\n",
        "229 Entering Extended Passive Mode (|||65536|)\r\n",
        "227 " + std::string(600, 'x') + " (198,51,100,7,4,1)\r\n", // overlong
    };
    for (const auto& r : replies)
    {
        sink.SendAt(t, r);
        t += 0.05;
    }
    sink.SendAt(t, "227 Entering Passive Mode (198,51,");
    sink.SendAt(t + 0.02, "100,7,4,1).\r\n");
    t += 0.05;
    sink.SendAt(t, "200 ok ");
    sink.SendAt(t + 0.02, "227 Entering Passive Mode (198,51,100,7,4,2).\r\n");
    t += 0.1;
    size_t pinholes = 99;
    E2eTopology::At(t, [&]() { pinholes = net.fgt->GetExpectations().Size(); });
    net.topo.RunUntil(t + 0.1);

    ASSERT_TRUE(cl.connected);
    EXPECT_EQ(pinholes, 0u);
    EXPECT_EQ(net.fgt->GetExpectations().GetPerParentLimitHits(), 0u);
    EXPECT_FALSE(cl.sent.empty());
    EXPECT_EQ(sink.received.size(), cl.sent.size());
    EXPECT_TRUE(sink.received == cl.sent) << "server got:\n" << sink.received;
    EXPECT_FALSE(sink.sent.empty());
    EXPECT_TRUE(cl.received == sink.sent) << "client got:\n" << cl.received;
    // The control session is alive and still has its helper.
    std::string list = net.fgt->Diagnose("diagnose sys session list");
    EXPECT_EQ(BlocksWith(list, "helper=ftp").size(), 1u) << list;
}

// ---- FTP: rewrites that change the length ------------------------------------------------------

TEST(HelpersE2eRewrite, LongerPortThenMoreTrafficBothWays)
{
    HelperNet net(Nat::SNAT, true);
    TcpStreamLog toClient(net.topo.clients.Get(0), 21);
    TcpStreamLog atServer(net.topo.server, 21, true);
    TcpSeqAdjust seqAtQuit[2];
    bool seqSeen = false;
    net.onCommand = [&](const std::string& line) {
        if (line != "QUIT")
        {
            return;
        }
        net.fgt->GetSessionTable().ForEach([&](const Session& x) {
            if (x.org.tuple.dport == 21 && x.ExtOrNull())
            {
                seqAtQuit[0] = x.ExtOrNull()->seq[0];
                seqAtQuit[1] = x.ExtOrNull()->seq[1];
                seqSeen = true;
            }
        });
    };
    const uint64_t size = 250000;
    Ptr<FtpClient> client = net.Client(FtpClient::ACTIVE, false, FtpClient::RETR, size);
    net.topo.RunUntil(20);
    ASSERT_TRUE(client->IsCompleted()) << client->GetSummary();
    EXPECT_EQ(client->GetBytesTransferred(), size);

    // 10,0,1,10 became 203,0,113,1 (two bytes longer); the port was kept.
    const uint16_t p = client->GetDataPort();
    std::vector<std::string> expected = {
        "USER anonymous",
        "PASS ns3@example.com",
        "TYPE I",
        "PORT 203,0,113,1," + std::to_string(p / 256) + "," + std::to_string(p % 256),
        "RETR " + FtpFileName(size),
        "QUIT",
    };
    EXPECT_EQ(net.commands, expected);
    // The rewritten PORT crossed in one segment, whole (IP length updated), never resent.
    std::vector<std::string> portSegments;
    for (const auto& seg : atServer.Segments())
    {
        if (seg.find("PORT") != std::string::npos)
        {
            portSegments.push_back(seg);
        }
    }
    ASSERT_EQ(portSegments.size(), 1u);
    EXPECT_EQ(portSegments[0], expected[3] + "\r\n");
    // Every reply reached the client byte for byte (the acks of the longer stream were
    // corrected, the client's later commands carried corrected sequence numbers).
    EXPECT_EQ(toClient.Bytes(), net.ReplyBytes());
    EXPECT_EQ(client->GetLastReply().substr(0, 3), "221");
    // The control session recorded the +2 offset of the client's direction (and none in the
    // other), seen when the server got QUIT.
    ASSERT_TRUE(seqSeen);
    EXPECT_TRUE(seqAtQuit[0].active);
    EXPECT_EQ(seqAtQuit[0].after, 2);
    EXPECT_FALSE(seqAtQuit[1].active);
}

TEST(HelpersE2eRewrite, ScriptedCommandsAfterALongerPortAndEprt)
{
    HelperNet net(Nat::SNAT, true);
    TcpStreamLog atServer(net.topo.server, 21, true);
    ScriptedTcp cl(net.topo.clients.Get(0));
    cl.ConnectAt(1.0, Ipv4Address(SERVER), 21);
    const std::vector<std::string> lines = {
        "USER anonymous",
        "PASS x@example.com",
        "PORT 10,0,1,10,150,7",
        "NOOP",
        "SYST",
        "EPRT |1|10.0.1.10|40000|",
        "PWD",
        "NOOP",
        "TYPE I",
        "QUIT",
    };
    double t = 1.2;
    for (const auto& l : lines)
    {
        cl.SendAt(t, l + "\r\n");
        t += 0.05;
    }
    net.topo.RunUntil(t + 0.5);

    std::vector<std::string> expected = lines;
    expected[2] = "PORT 203,0,113,1,150,7";
    expected[5] = "EPRT |1|203.0.113.1|40000|";
    EXPECT_EQ(net.commands, expected);
    // One segment per line, each whole: nothing was cut or had to be resent.
    std::vector<std::string> wire;
    for (const auto& l : expected)
    {
        wire.push_back(l + "\r\n");
    }
    EXPECT_EQ(atServer.Segments(), wire);
    EXPECT_EQ(cl.received, net.ReplyBytes());
    ASSERT_GE(net.replies.size(), lines.size() + 1); // greeting + one per command
    EXPECT_EQ(net.replies.back().substr(0, 3), "221");
    // One data pinhole per control connection: EPRT's replaced PORT's.
    const auto& pinholes = net.fgt->GetExpectations().List();
    ASSERT_EQ(pinholes.size(), 1u);
    EXPECT_EQ(pinholes.front().dport, 40000);
}

/// Drops the first TCP segment whose payload holds \p needle (p2p receive error model).
class DropFirstSegmentWith : public ErrorModel
{
  public:
    explicit DropFirstSegmentWith(const std::string& needle)
        : m_needle(needle)
    {
    }

    uint32_t dropped{0}; //!< segments dropped

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        if (dropped > 0)
        {
            return false;
        }
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
        c->RemoveHeader(tcp);
        std::string payload(c->GetSize(), '\0');
        c->CopyData(reinterpret_cast<uint8_t*>(&payload[0]), payload.size());
        if (payload.find(m_needle) == std::string::npos)
        {
            return false;
        }
        ++dropped;
        return true;
    }

    void DoReset() override
    {
    }

    std::string m_needle;
};

TEST(HelpersE2eRewrite, RetransmittedPortIsRewrittenAlike)
{
    // The rewritten PORT is lost behind the FortiGate; the client's retransmission crosses the
    // helper again and must get the same port (one pinhole, refreshed), or the two copies of
    // the stream would disagree.
    HelperNet net(Nat::SNAT, true);
    Ptr<DropFirstSegmentWith> loss = CreateObject<DropFirstSegmentWith>("PORT ");
    net.topo.wanDevs.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
    Ptr<FtpClient> client = net.Client(FtpClient::ACTIVE, false, FtpClient::RETR, 100000);
    net.topo.RunUntil(20);
    EXPECT_EQ(loss->dropped, 1u);
    ASSERT_TRUE(client->IsCompleted()) << client->GetSummary();
    const uint16_t p = client->GetDataPort();
    EXPECT_EQ(net.CommandStartingWith("PORT"),
              "PORT 203,0,113,1," + std::to_string(p / 256) + "," + std::to_string(p % 256));
    EXPECT_EQ(net.children.size(), 1u);
    EXPECT_EQ(net.fgt->GetExpectations().Size(), 0u); // no stray pinhole left behind
    EXPECT_EQ(net.fgt->GetExpectations().GetMatched(), 1u);
}

TEST(HelpersE2eRewrite, LongerPasvReplyUnderVip)
{
    HelperNet net(Nat::VIP, true);
    TcpStreamLog toClient(net.topo.server, 21);
    const uint64_t size = 250000;
    Ptr<FtpClient> client = net.Client(FtpClient::PASSIVE, false, FtpClient::STOR, size);
    net.topo.RunUntil(20);
    ASSERT_TRUE(client->IsCompleted()) << client->GetSummary();

    // The server announced 10,0,2,2; the client received 203,0,113,100 (four bytes longer).
    std::string sent227;
    for (const auto& r : net.replies)
    {
        if (r.rfind("227", 0) == 0)
        {
            sent227 = r;
        }
    }
    ASSERT_NE(sent227.find("(10,0,2,2,"), std::string::npos) << sent227;
    std::string got = toClient.Bytes();
    std::string want = net.ReplyBytes();
    size_t at = want.find("(10,0,2,2,");
    ASSERT_NE(at, std::string::npos);
    want.replace(at + 1, 8, "203,0,113,100");
    EXPECT_EQ(got, want);
    // The rewritten 227 crossed in one segment, whole, never resent.
    size_t segments227 = 0;
    for (const auto& seg : toClient.Segments())
    {
        if (seg.find("227 ") != std::string::npos)
        {
            ++segments227;
            EXPECT_EQ(seg.substr(seg.size() - 2), "\r\n") << seg;
        }
    }
    EXPECT_EQ(segments227, 1u);
    EXPECT_EQ(client->GetDataAddress(), Ipv4Address(VIP_EXT));
    auto it = net.server->GetStoredFiles().find(FtpFileName(size));
    ASSERT_NE(it, net.server->GetStoredFiles().end());
    EXPECT_EQ(it->second.hash, FtpFileHash(size));
    EXPECT_EQ(net.commands.back(), "QUIT");
}

// ---- TFTP ----------------------------------------------------------------------------------

struct TftpRun
{
    bool completed{false};
    bool failed{false};
    bool verified{false};
    std::string reason;
    uint64_t bytes{0};
    std::vector<std::pair<uint32_t, std::string>> closed;
    std::vector<ChildRecord> children;
    size_t pinholesAfter{0};
    size_t pinholesDuring{0};
    bool stored{false};
};

TftpRun
RunTftp(bool helper, TftpClient::Operation op, uint64_t size)
{
    TftpRun r;
    HelperNet net(Nat::SNAT, HelperNet::Config(Nat::SNAT, true), false);
    if (!helper)
    {
        net.fgt->Configure([](FortiGateConfig& c) { c.DeleteSessionHelper(5); });
    }
    TftpServerHelper sh;
    Ptr<TftpServer> server = DynamicCast<TftpServer>(sh.Install(net.topo.server).Get(0));
    server->SetStartTime(Seconds(0));
    TftpClientHelper ch{Ipv4Address(SERVER)};
    ch.SetAttribute("Operation", EnumValue(op));
    ch.SetAttribute("FileSize", UintegerValue(size));
    ch.SetAttribute("MaxRetries", UintegerValue(3));
    Ptr<TftpClient> client = DynamicCast<TftpClient>(ch.Install(net.topo.clients.Get(0)).Get(0));
    client->SetStartTime(Seconds(1));
    E2eTopology::At(1.0 + 1e-3 * 20,
                    [&]() { r.pinholesDuring = net.fgt->GetExpectations().Size(); });
    net.topo.RunUntil(12);
    r.completed = client->IsCompleted();
    r.failed = client->IsFailed();
    r.verified = client->IsVerified();
    r.reason = client->GetFailureReason();
    r.bytes = client->GetBytesTransferred();
    r.closed = net.closed;
    r.children = net.children;
    r.pinholesAfter = net.fgt->GetExpectations().Size();
    std::vector<uint8_t> content;
    if (server->GetFile(client->GetRequestedFileName(), content))
    {
        std::vector<uint8_t> want(size);
        for (uint64_t i = 0; i < size; ++i)
        {
            want[i] = TftpFileByte(i);
        }
        r.stored = content == want;
    }
    return r;
}

class HelpersE2eTftp : public ::testing::TestWithParam<TftpClient::Operation>
{
};

TEST_P(HelpersE2eTftp, CompletesWithTheHelperAndClosesTheDataSession)
{
    const uint64_t size = 10000;
    TftpRun r = RunTftp(true, GetParam(), size);
    ASSERT_TRUE(r.completed) << r.reason;
    EXPECT_EQ(r.bytes, size);
    EXPECT_EQ(r.pinholesDuring, 1u); // the request's pinhole, before the server's answer
    if (GetParam() == TftpClient::READ)
    {
        EXPECT_TRUE(r.verified);
    }
    else
    {
        EXPECT_TRUE(r.stored);
    }
    ASSERT_EQ(r.children.size(), 1u);
    EXPECT_EQ(r.children[0].policyId, 1u);
    // The data session left the table at the end of the transfer, closed by the helper.
    bool helperClosed = false;
    for (const auto& c : r.closed)
    {
        if (c.first == r.children[0].serial)
        {
            EXPECT_EQ(c.second, "helper");
            helperClosed = c.second == "helper";
        }
    }
    EXPECT_TRUE(helperClosed);
    EXPECT_EQ(r.pinholesAfter, 0u);
}

TEST_P(HelpersE2eTftp, FailsWithoutTheHelper)
{
    TftpRun r = RunTftp(false, GetParam(), 10000);
    EXPECT_FALSE(r.completed);
    EXPECT_TRUE(r.failed);
    EXPECT_FALSE(r.stored);
    EXPECT_TRUE(r.children.empty());
    EXPECT_EQ(r.pinholesDuring, 0u);
}

TEST(HelpersE2eTftpEdge, LastBlockEmptyStillCloses)
{
    TftpRun r = RunTftp(true, TftpClient::READ, 1024); // blocks of 512, 512, then 0 bytes
    ASSERT_TRUE(r.completed) << r.reason;
    ASSERT_EQ(r.children.size(), 1u);
    bool helperClosed = false;
    for (const auto& c : r.closed)
    {
        helperClosed = helperClosed || (c.first == r.children[0].serial && c.second == "helper");
    }
    EXPECT_TRUE(helperClosed);
}

INSTANTIATE_TEST_SUITE_P(,
                         HelpersE2eTftp,
                         ::testing::Values(TftpClient::READ, TftpClient::WRITE),
                         [](const ::testing::TestParamInfo<TftpClient::Operation>& i) {
                             return std::string(i.param == TftpClient::READ ? "Rrq" : "Wrq");
                         });

// ---- RSH -----------------------------------------------------------------------------------

TEST(HelpersE2eRsh, StderrArrivesOnlyWithTheHelper)
{
    for (bool helper : {true, false})
    {
        HelperNet net(Nat::SNAT, HelperNet::Config(Nat::SNAT, true), false);
        if (!helper)
        {
            net.fgt->Configure([](FortiGateConfig& c) {
                c.DeleteSessionHelper(15);
                c.DeleteSessionHelper(16);
            });
        }
        RshServerHelper sh;
        Ptr<RshServer> server = DynamicCast<RshServer>(sh.Install(net.topo.server).Get(0));
        server->SetStartTime(Seconds(0));
        RshClientHelper ch{Ipv4Address(SERVER)};
        ch.SetAttribute("UseStderr", BooleanValue(true));
        ch.SetAttribute("Command", StringValue("generate 5000"));
        ch.SetAttribute("Timeout", TimeValue(Seconds(20)));
        Ptr<RshClient> client = DynamicCast<RshClient>(ch.Install(net.topo.clients.Get(0)).Get(0));
        client->SetStartTime(Seconds(1));
        net.topo.RunUntil(25);
        const std::string want = "generate: 5000 bytes\n";
        if (helper)
        {
            EXPECT_TRUE(client->IsCompleted()) << client->GetFailureReason();
            EXPECT_TRUE(client->HasStderrConnection());
            EXPECT_EQ(client->GetStderrText(), want);
            EXPECT_EQ(client->GetStderrBytes(), want.size());
            EXPECT_EQ(client->GetStdoutBytes(), 5000u);
            ASSERT_EQ(net.children.size(), 1u);
            EXPECT_EQ(net.children[0].policyId, 1u);
        }
        else
        {
            EXPECT_FALSE(client->IsCompleted());
            EXPECT_FALSE(client->HasStderrConnection());
            EXPECT_EQ(client->GetStderrBytes(), 0u);
            EXPECT_EQ(server->GetBackConnections(), 0u);
            EXPECT_TRUE(net.children.empty());
        }
    }
}

} // namespace
