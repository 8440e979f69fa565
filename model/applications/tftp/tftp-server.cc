/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tftp-server.h"

#include "ns3/app-socket.h"
#include "ns3/config-error.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TftpServer");

NS_OBJECT_ENSURE_REGISTERED(TftpServer);

TypeId
TftpServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TftpServer")
            .SetParent<Application>()
            .SetGroupName("Fortigate")
            .AddConstructor<TftpServer>()
            .AddAttribute("Port",
                          "UDP port the server listens on for requests.",
                          UintegerValue(TFTP_PORT),
                          MakeUintegerAccessor(&TftpServer::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("Timeout",
                          "Retransmission timeout of a DATA or ACK packet.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&TftpServer::m_timeout),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("MaxRetries",
                          "Retransmissions of one packet before the transfer is abandoned.",
                          UintegerValue(5),
                          MakeUintegerAccessor(&TftpServer::m_maxRetries),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("TransferStarted",
                            "A request was accepted and a transfer started on a new port.",
                            MakeTraceSourceAccessor(&TftpServer::m_startedTrace),
                            "ns3::TftpServer::TransferStartedCallback")
            .AddTraceSource("TransferEnd",
                            "A transfer ended (reason empty on success).",
                            MakeTraceSourceAccessor(&TftpServer::m_endTrace),
                            "ns3::TftpServer::TransferEndCallback");
    return tid;
}

TftpServer::TftpServer()
    : m_port(TFTP_PORT),
      m_timeout(Seconds(1)),
      m_maxRetries(5)
{
    NS_LOG_FUNCTION(this);
}

TftpServer::~TftpServer()
{
    NS_LOG_FUNCTION(this);
}

void
TftpServer::DoDispose()
{
    NS_LOG_FUNCTION(this);
    while (!m_transfers.empty())
    {
        RemoveTransfer(m_transfers.begin()->first);
    }
    m_socket = nullptr;
    Application::DoDispose();
}

void
TftpServer::AddFile(const std::string& name, const std::vector<uint8_t>& content)
{
    if (name.empty())
    {
        throw ConfigError("TftpServer: file name is empty");
    }
    if (name.find('\0') != std::string::npos)
    {
        throw ConfigError("TftpServer: file name contains a NUL byte");
    }
    m_files[name] = std::make_shared<const std::vector<uint8_t>>(content);
}

bool
TftpServer::GetFile(const std::string& name, std::vector<uint8_t>& content) const
{
    auto it = m_files.find(name);
    if (it == m_files.end())
    {
        return false;
    }
    content = *it->second;
    return true;
}

uint32_t
TftpServer::GetTransfersStarted() const
{
    return m_started;
}

uint32_t
TftpServer::GetTransfersCompleted() const
{
    return m_completed;
}

uint32_t
TftpServer::GetTransfersFailed() const
{
    return m_failed;
}

uint32_t
TftpServer::GetRequestsRejected() const
{
    return m_rejected;
}

uint32_t
TftpServer::GetRetransmissions() const
{
    return m_retransmits;
}

void
TftpServer::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (!m_socket)
    {
        m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
        if (m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) == -1)
        {
            NS_FATAL_ERROR("TftpServer: cannot bind UDP port " << m_port);
        }
        m_socket->SetRecvCallback(MakeCallback(&TftpServer::HandleRequest, this));
    }
}

void
TftpServer::StopApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        CloseAppSocket(m_socket);
        m_socket = nullptr;
    }
    while (!m_transfers.empty())
    {
        uint32_t id = m_transfers.begin()->first;
        if (m_transfers.begin()->second.finished)
        {
            RemoveTransfer(id);
        }
        else
        {
            EndTransfer(id, "server stopped", false);
        }
    }
}

Ptr<Socket>
TftpServer::OpenEphemeral(uint16_t& port)
{
    Ptr<Socket> s = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    if (s->Bind() == -1)
    {
        NS_FATAL_ERROR("TftpServer: no ephemeral UDP port left");
    }
    Address local;
    s->GetSockName(local);
    port = InetSocketAddress::ConvertFrom(local).GetPort();
    return s;
}

void
TftpServer::SendTo(Ptr<Socket> socket, const std::vector<uint8_t>& bytes, const Address& to)
{
    Ptr<Packet> p = Create<Packet>(bytes.data(), static_cast<uint32_t>(bytes.size()));
    socket->SendTo(p, 0, to);
}

void
TftpServer::HandleRequest(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    Ptr<Packet> packet;
    Address from;
    while ((packet = socket->RecvFrom(from)))
    {
        if (!InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        std::vector<uint8_t> bytes(packet->GetSize());
        packet->CopyData(bytes.data(), static_cast<uint32_t>(bytes.size()));
        TftpPacket req;
        if (!ParseTftp(bytes.data(), bytes.size(), req) ||
            (req.op != TftpPacket::RRQ && req.op != TftpPacket::WRQ))
        {
            NS_LOG_INFO("TftpServer: ignoring a non-request packet on port " << m_port);
            continue;
        }
        // A retransmitted request of a transfer that is running: its own timer answers.
        bool duplicate = false;
        for (const auto& kv : m_transfers)
        {
            if (!kv.second.finished && kv.second.peer == from && kv.second.op == req.op &&
                kv.second.filename == req.filename)
            {
                duplicate = true;
                break;
            }
        }
        if (duplicate)
        {
            NS_LOG_INFO("TftpServer: duplicate request from " << from);
            continue;
        }

        Transfer t;
        t.op = req.op;
        t.filename = req.filename;
        t.peer = from;
        if (req.op == TftpPacket::RRQ)
        {
            auto it = m_files.find(req.filename);
            uint64_t size = 0;
            if (it != m_files.end())
            {
                t.content = it->second;
                t.size = it->second->size();
            }
            else if (ParseTftpGeneratedName(req.filename, size))
            {
                t.size = size;
            }
            else
            {
                uint16_t port = 0;
                Ptr<Socket> s = OpenEphemeral(port);
                SendTo(s, BuildTftpError(TFTP_ERR_NOT_FOUND, "File not found"), from);
                s->Close();
                ++m_rejected;
                NS_LOG_INFO("TftpServer: RRQ for missing file '" << req.filename << "'");
                continue;
            }
            t.lastIndex = t.size / TFTP_BLOCK_SIZE + 1;
        }
        t.id = m_nextId++;
        t.socket = OpenEphemeral(t.localPort);
        t.socket->SetRecvCallback(MakeCallback(&TftpServer::HandleTransferRead, this, t.id));
        uint32_t id = t.id;
        Transfer& tr = m_transfers.emplace(id, std::move(t)).first->second;
        ++m_started;
        NS_LOG_INFO("TftpServer: " << TftpOpName(tr.op) << " '" << tr.filename << "' from "
                                   << InetSocketAddress::ConvertFrom(from).GetIpv4() << ":"
                                   << InetSocketAddress::ConvertFrom(from).GetPort()
                                   << " served from port " << tr.localPort);
        m_startedTrace(from, tr.localPort, tr.op, tr.filename);
        if (tr.op == TftpPacket::RRQ)
        {
            tr.blockIndex = 1;
            SendBlock(tr);
        }
        else
        {
            tr.blockIndex = 1;
            SendAndArm(tr, BuildTftpAck(0));
        }
    }
}

void
TftpServer::SendAndArm(Transfer& t, std::vector<uint8_t> bytes)
{
    t.lastSent = std::move(bytes);
    t.retries = 0;
    SendTo(t.socket, t.lastSent, t.peer);
    t.timer.Cancel();
    t.timer = Simulator::Schedule(m_timeout, &TftpServer::HandleTimeout, this, t.id);
}

void
TftpServer::SendBlock(Transfer& t)
{
    uint64_t offset = (t.blockIndex - 1) * TFTP_BLOCK_SIZE;
    std::size_t len = 0;
    if (offset < t.size)
    {
        uint64_t rest = t.size - offset;
        len = rest < TFTP_BLOCK_SIZE ? static_cast<std::size_t>(rest) : TFTP_BLOCK_SIZE;
    }
    std::vector<uint8_t> data(len);
    if (t.content)
    {
        std::copy(t.content->begin() + offset, t.content->begin() + offset + len, data.begin());
    }
    else
    {
        TftpFileBytes(offset, len, data.data());
    }
    SendAndArm(t, BuildTftpData(static_cast<uint16_t>(t.blockIndex & 0xffff), data));
}

void
TftpServer::HandleTransferRead(uint32_t id, Ptr<Socket> socket)
{
    Ptr<Packet> packet;
    Address from;
    while ((packet = socket->RecvFrom(from)))
    {
        auto it = m_transfers.find(id);
        if (it == m_transfers.end())
        {
            return;
        }
        Transfer& t = it->second;
        std::vector<uint8_t> bytes(packet->GetSize());
        packet->CopyData(bytes.data(), static_cast<uint32_t>(bytes.size()));
        if (!(from == t.peer))
        {
            NS_LOG_INFO("TftpServer: packet from unknown TID " << from);
            SendTo(socket, BuildTftpError(TFTP_ERR_UNKNOWN_TID, "Unknown transfer ID"), from);
            continue;
        }
        TftpPacket pkt;
        if (!ParseTftp(bytes.data(), bytes.size(), pkt))
        {
            if (!t.finished)
            {
                SendTo(socket,
                       BuildTftpError(TFTP_ERR_ILLEGAL_OP, "Illegal TFTP operation"),
                       t.peer);
                EndTransfer(id, "malformed packet from the client", false);
                return;
            }
            continue;
        }
        if (pkt.op == TftpPacket::ERROR)
        {
            if (!t.finished)
            {
                EndTransfer(id,
                            "client error " + std::to_string(pkt.errorCode) + ": " + pkt.errorMsg,
                            false);
            }
            else
            {
                RemoveTransfer(id);
            }
            return;
        }
        if (t.op == TftpPacket::RRQ)
        {
            if (pkt.op != TftpPacket::ACK)
            {
                SendTo(socket,
                       BuildTftpError(TFTP_ERR_ILLEGAL_OP, "Illegal TFTP operation"),
                       t.peer);
                EndTransfer(id, std::string("unexpected ") + TftpOpName(pkt.op), false);
                return;
            }
            if (pkt.block != static_cast<uint16_t>(t.blockIndex & 0xffff))
            {
                continue; // duplicate or stale ACK: never answered (Sorcerer's Apprentice)
            }
            if (t.blockIndex == t.lastIndex)
            {
                EndTransfer(id, "", false);
                return;
            }
            ++t.blockIndex;
            SendBlock(t);
        }
        else
        {
            if (pkt.op != TftpPacket::DATA)
            {
                SendTo(socket,
                       BuildTftpError(TFTP_ERR_ILLEGAL_OP, "Illegal TFTP operation"),
                       t.peer);
                EndTransfer(id, std::string("unexpected ") + TftpOpName(pkt.op), false);
                return;
            }
            uint16_t expected = static_cast<uint16_t>(t.blockIndex & 0xffff);
            if (!t.finished && pkt.block == expected)
            {
                t.received.insert(t.received.end(), bytes.begin() + pkt.dataOffset, bytes.end());
                std::vector<uint8_t> ack = BuildTftpAck(pkt.block);
                if (pkt.dataLength < TFTP_BLOCK_SIZE)
                {
                    t.lastSent = ack;
                    SendTo(socket, ack, t.peer);
                    m_files[t.filename] =
                        std::make_shared<const std::vector<uint8_t>>(std::move(t.received));
                    t.received.clear();
                    EndTransfer(id, "", true);
                    return;
                }
                ++t.blockIndex;
                SendAndArm(t, std::move(ack));
            }
            else if (pkt.block == static_cast<uint16_t>(expected - (t.finished ? 0 : 1)))
            {
                SendTo(socket, BuildTftpAck(pkt.block), t.peer); // duplicate DATA: re-ACK
            }
        }
    }
}

void
TftpServer::HandleTimeout(uint32_t id)
{
    auto it = m_transfers.find(id);
    if (it == m_transfers.end())
    {
        return;
    }
    Transfer& t = it->second;
    if (t.finished)
    {
        RemoveTransfer(id); // dally over
        return;
    }
    if (t.retries >= m_maxRetries)
    {
        EndTransfer(id,
                    "timeout after " + std::to_string(m_maxRetries) + " retransmissions",
                    false);
        return;
    }
    ++t.retries;
    ++m_retransmits;
    NS_LOG_INFO("TftpServer: retransmission " << t.retries << " on port " << t.localPort);
    SendTo(t.socket, t.lastSent, t.peer);
    t.timer = Simulator::Schedule(m_timeout, &TftpServer::HandleTimeout, this, id);
}

void
TftpServer::EndTransfer(uint32_t id, const std::string& reason, bool linger)
{
    auto it = m_transfers.find(id);
    if (it == m_transfers.end())
    {
        return;
    }
    Transfer& t = it->second;
    uint64_t bytes = 0;
    if (t.op == TftpPacket::RRQ)
    {
        bytes = reason.empty() ? t.size
                               : std::min<uint64_t>(t.size, (t.blockIndex - 1) * TFTP_BLOCK_SIZE);
    }
    else
    {
        auto f = m_files.find(t.filename);
        bytes = reason.empty() && f != m_files.end() ? f->second->size() : t.received.size();
    }
    if (reason.empty())
    {
        ++m_completed;
    }
    else
    {
        ++m_failed;
    }
    NS_LOG_INFO("TftpServer: " << TftpOpName(t.op) << " '" << t.filename
                               << "' ended: " << (reason.empty() ? "complete" : reason));
    std::string name = t.filename;
    if (linger)
    {
        t.finished = true;
        t.timer.Cancel();
        t.timer =
            Simulator::Schedule(m_timeout * m_maxRetries, &TftpServer::HandleTimeout, this, id);
    }
    else
    {
        RemoveTransfer(id);
    }
    m_endTrace(name, bytes, reason);
}

void
TftpServer::RemoveTransfer(uint32_t id)
{
    auto it = m_transfers.find(id);
    if (it == m_transfers.end())
    {
        return;
    }
    it->second.timer.Cancel();
    if (it->second.socket)
    {
        CloseAppSocket(it->second.socket);
    }
    m_transfers.erase(it);
}

} // namespace ns3
