/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tftp-client.h"

#include "ns3/address-utils.h"
#include "ns3/app-socket.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TftpClient");

NS_OBJECT_ENSURE_REGISTERED(TftpClient);

TypeId
TftpClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TftpClient")
            .SetParent<Application>()
            .SetGroupName("Fortigate")
            .AddConstructor<TftpClient>()
            .AddAttribute("RemoteAddress",
                          "The server's address (Ipv4Address or InetSocketAddress).",
                          AddressValue(),
                          MakeAddressAccessor(&TftpClient::m_remote),
                          MakeAddressChecker())
            .AddAttribute("RemotePort",
                          "The server's request port (ignored when RemoteAddress carries one).",
                          UintegerValue(TFTP_PORT),
                          MakeUintegerAccessor(&TftpClient::m_remotePort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("LocalPort",
                          "Local UDP port (0 = ephemeral).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&TftpClient::m_localPort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("Operation",
                          "Read (RRQ, download) or Write (WRQ, upload).",
                          EnumValue(TftpClient::READ),
                          MakeEnumAccessor(&TftpClient::m_op),
                          MakeEnumChecker(TftpClient::READ, "Read", TftpClient::WRITE, "Write"))
            .AddAttribute("FileName",
                          "File to read or write (empty = \"file-<FileSize>\").",
                          StringValue(""),
                          MakeStringAccessor(&TftpClient::m_fileName),
                          MakeStringChecker())
            .AddAttribute("FileSize",
                          "Bytes of a generated file: the name when FileName is empty, the "
                          "upload size when no upload content is set.",
                          UintegerValue(10000),
                          MakeUintegerAccessor(&TftpClient::m_fileSize),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("Mode",
                          "Transfer mode: netascii, octet or mail (no conversion is done).",
                          StringValue("octet"),
                          MakeStringAccessor(&TftpClient::m_mode),
                          MakeStringChecker())
            .AddAttribute("Timeout",
                          "Retransmission timeout.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&TftpClient::m_timeout),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("MaxRetries",
                          "Retransmissions of one packet before the transfer fails.",
                          UintegerValue(5),
                          MakeUintegerAccessor(&TftpClient::m_maxRetries),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("TransferComplete",
                            "The transfer ended normally (bytes, duration).",
                            MakeTraceSourceAccessor(&TftpClient::m_completeTrace),
                            "ns3::TftpClient::CompleteCallback")
            .AddTraceSource("TransferFailed",
                            "The transfer failed (reason).",
                            MakeTraceSourceAccessor(&TftpClient::m_failedTrace),
                            "ns3::TftpClient::FailedCallback");
    return tid;
}

TftpClient::TftpClient()
    : m_remotePort(TFTP_PORT),
      m_localPort(0),
      m_op(READ),
      m_fileSize(10000),
      m_mode("octet"),
      m_timeout(Seconds(1)),
      m_maxRetries(5)
{
    NS_LOG_FUNCTION(this);
}

TftpClient::~TftpClient()
{
    NS_LOG_FUNCTION(this);
}

void
TftpClient::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_timer.Cancel();
    CloseSocket();
    Application::DoDispose();
}

void
TftpClient::SetUploadContent(const std::vector<uint8_t>& content)
{
    m_upload = content;
    m_hasUpload = true;
}

void
TftpClient::SetExpectedContent(const std::vector<uint8_t>& content)
{
    m_expected = content;
    m_hasExpected = true;
}

std::string
TftpClient::GetRequestedFileName() const
{
    return m_fileName.empty() ? "file-" + std::to_string(m_fileSize) : m_fileName;
}

bool
TftpClient::IsCompleted() const
{
    return m_completed;
}

bool
TftpClient::IsFailed() const
{
    return m_failed;
}

bool
TftpClient::IsVerified() const
{
    return m_completed && m_op == READ && m_checkContent;
}

std::string
TftpClient::GetFailureReason() const
{
    return m_reason;
}

uint64_t
TftpClient::GetBytesTransferred() const
{
    return m_bytes;
}

Time
TftpClient::GetTransferTime() const
{
    return m_duration;
}

uint16_t
TftpClient::GetServerPort() const
{
    return m_serverPort;
}

uint16_t
TftpClient::GetLocalPort() const
{
    return m_boundPort;
}

uint32_t
TftpClient::GetRetransmissions() const
{
    return m_retransmits;
}

uint64_t
TftpClient::UploadSize() const
{
    return m_hasUpload ? m_upload.size() : m_fileSize;
}

void
TftpClient::StartApplication()
{
    NS_LOG_FUNCTION(this);
    Ipv4Address ip;
    uint16_t port = m_remotePort;
    if (InetSocketAddress::IsMatchingType(m_remote))
    {
        ip = InetSocketAddress::ConvertFrom(m_remote).GetIpv4();
        port = InetSocketAddress::ConvertFrom(m_remote).GetPort();
    }
    else if (Ipv4Address::IsMatchingType(m_remote))
    {
        ip = Ipv4Address::ConvertFrom(m_remote);
    }
    else
    {
        NS_FATAL_ERROR("TftpClient: RemoteAddress is not an IPv4 address");
    }
    std::string name = GetRequestedFileName();
    std::vector<uint8_t> request =
        BuildTftpRequest(m_op == READ ? TftpPacket::RRQ : TftpPacket::WRQ, name, m_mode);

    // Reset the results of an earlier run.
    m_tidKnown = false;
    m_serverPort = 0;
    m_bytes = 0;
    m_mismatch = false;
    m_mismatchAt = 0;
    m_retransmits = 0;
    m_completed = m_failed = m_dallying = false;
    m_reason.clear();
    m_duration = Time(0);
    m_checkContent = false;
    if (m_op == READ)
    {
        m_blockIndex = 1;
        uint64_t size = 0;
        if (m_hasExpected)
        {
            m_checkContent = true;
            m_expectedSize = m_expected.size();
        }
        else if (ParseTftpGeneratedName(name, size))
        {
            m_checkContent = true;
            m_expectedSize = size;
        }
    }
    else
    {
        m_blockIndex = 0;
        m_lastIndex = UploadSize() / TFTP_BLOCK_SIZE + 1;
    }

    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    int rc = m_localPort == 0
                 ? m_socket->Bind()
                 : m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_localPort));
    if (rc == -1)
    {
        NS_FATAL_ERROR("TftpClient: cannot bind local UDP port " << m_localPort);
    }
    Address local;
    m_socket->GetSockName(local);
    m_boundPort = InetSocketAddress::ConvertFrom(local).GetPort();
    m_socket->SetRecvCallback(MakeCallback(&TftpClient::HandleRead, this));
    m_server = InetSocketAddress(ip, port);
    m_running = true;
    m_startTime = Simulator::Now();
    NS_LOG_INFO("TftpClient: " << (m_op == READ ? "RRQ" : "WRQ") << " '" << name << "' to " << ip
                               << ":" << port << " from port " << m_boundPort);
    SendAndArm(std::move(request));
}

void
TftpClient::StopApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_running)
    {
        Finish("application stopped", false);
    }
    m_timer.Cancel();
    CloseSocket();
}

void
TftpClient::CloseSocket()
{
    if (m_socket)
    {
        CloseAppSocket(m_socket);
        m_socket = nullptr;
    }
    m_dallying = false;
}

void
TftpClient::SendAndArm(std::vector<uint8_t> bytes)
{
    m_lastSent = std::move(bytes);
    m_retries = 0;
    m_socket->SendTo(Create<Packet>(m_lastSent.data(), static_cast<uint32_t>(m_lastSent.size())),
                     0,
                     m_server);
    m_timer.Cancel();
    m_timer = Simulator::Schedule(m_timeout, &TftpClient::HandleTimeout, this);
}

void
TftpClient::SendBlock()
{
    uint64_t size = UploadSize();
    uint64_t offset = (m_blockIndex - 1) * TFTP_BLOCK_SIZE;
    std::size_t len = 0;
    if (offset < size)
    {
        uint64_t rest = size - offset;
        len = rest < TFTP_BLOCK_SIZE ? static_cast<std::size_t>(rest) : TFTP_BLOCK_SIZE;
    }
    std::vector<uint8_t> data(len);
    if (m_hasUpload)
    {
        std::copy(m_upload.begin() + offset, m_upload.begin() + offset + len, data.begin());
    }
    else
    {
        TftpFileBytes(offset, len, data.data());
    }
    SendAndArm(BuildTftpData(static_cast<uint16_t>(m_blockIndex & 0xffff), data));
}

void
TftpClient::HandleRead(Ptr<Socket> socket)
{
    Ptr<Packet> packet;
    Address from;
    while (m_socket && (packet = socket->RecvFrom(from)))
    {
        if (!InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        InetSocketAddress src = InetSocketAddress::ConvertFrom(from);
        InetSocketAddress srv = InetSocketAddress::ConvertFrom(m_server);
        if (src.GetIpv4() != srv.GetIpv4())
        {
            NS_LOG_INFO("TftpClient: ignoring a packet from " << src.GetIpv4());
            continue;
        }
        std::vector<uint8_t> bytes(packet->GetSize());
        packet->CopyData(bytes.data(), static_cast<uint32_t>(bytes.size()));
        if (!m_tidKnown)
        {
            m_tidKnown = true;
            m_serverPort = src.GetPort();
            m_server = from;
            NS_LOG_INFO("TftpClient: server transfer port " << m_serverPort);
        }
        else if (src.GetPort() != m_serverPort)
        {
            std::vector<uint8_t> err = BuildTftpError(TFTP_ERR_UNKNOWN_TID, "Unknown transfer ID");
            socket->SendTo(Create<Packet>(err.data(), static_cast<uint32_t>(err.size())), 0, from);
            continue;
        }
        TftpPacket pkt;
        if (!ParseTftp(bytes.data(), bytes.size(), pkt))
        {
            if (m_running)
            {
                std::vector<uint8_t> err =
                    BuildTftpError(TFTP_ERR_ILLEGAL_OP, "Illegal TFTP operation");
                socket->SendTo(Create<Packet>(err.data(), static_cast<uint32_t>(err.size())),
                               0,
                               from);
                Finish("malformed packet from the server", false);
            }
            return;
        }
        if (pkt.op == TftpPacket::ERROR)
        {
            if (m_running)
            {
                Finish("server error " + std::to_string(pkt.errorCode) + ": " + pkt.errorMsg,
                       false);
            }
            else
            {
                m_timer.Cancel();
                CloseSocket();
            }
            return;
        }
        if (m_op == READ)
        {
            if (pkt.op != TftpPacket::DATA)
            {
                if (m_running)
                {
                    std::vector<uint8_t> err =
                        BuildTftpError(TFTP_ERR_ILLEGAL_OP, "Illegal TFTP operation");
                    socket->SendTo(Create<Packet>(err.data(), static_cast<uint32_t>(err.size())),
                                   0,
                                   from);
                    Finish(std::string("unexpected ") + TftpOpName(pkt.op) + " from the server",
                           false);
                }
                return;
            }
            uint16_t expected = static_cast<uint16_t>(m_blockIndex & 0xffff);
            if (m_running && pkt.block == expected)
            {
                const uint8_t* d = bytes.data() + pkt.dataOffset;
                if (m_checkContent && !m_mismatch)
                {
                    for (std::size_t i = 0; i < pkt.dataLength; ++i)
                    {
                        uint64_t off = m_bytes + i;
                        uint8_t want = 0;
                        if (off >= m_expectedSize)
                        {
                            m_mismatch = true;
                            m_mismatchAt = off;
                            break;
                        }
                        want = m_hasExpected ? m_expected[off] : TftpFileByte(off);
                        if (d[i] != want)
                        {
                            m_mismatch = true;
                            m_mismatchAt = off;
                            break;
                        }
                    }
                }
                m_bytes += pkt.dataLength;
                std::vector<uint8_t> ack = BuildTftpAck(pkt.block);
                if (pkt.dataLength < TFTP_BLOCK_SIZE)
                {
                    m_lastSent = ack;
                    socket->SendTo(Create<Packet>(ack.data(), static_cast<uint32_t>(ack.size())),
                                   0,
                                   m_server);
                    if (m_checkContent && !m_mismatch && m_bytes != m_expectedSize)
                    {
                        m_mismatch = true;
                        m_mismatchAt = m_bytes;
                    }
                    if (m_mismatch)
                    {
                        Finish("content mismatch at byte " + std::to_string(m_mismatchAt), true);
                    }
                    else
                    {
                        Finish("", true);
                    }
                    return;
                }
                ++m_blockIndex;
                SendAndArm(std::move(ack));
            }
            else if (pkt.block == static_cast<uint16_t>(expected - (m_running ? 1 : 0)))
            {
                // A repeated block (our ACK was lost): acknowledge it again.
                std::vector<uint8_t> ack = BuildTftpAck(pkt.block);
                socket->SendTo(Create<Packet>(ack.data(), static_cast<uint32_t>(ack.size())),
                               0,
                               m_server);
            }
        }
        else
        {
            if (!m_running)
            {
                continue;
            }
            if (pkt.op != TftpPacket::ACK)
            {
                std::vector<uint8_t> err =
                    BuildTftpError(TFTP_ERR_ILLEGAL_OP, "Illegal TFTP operation");
                socket->SendTo(Create<Packet>(err.data(), static_cast<uint32_t>(err.size())),
                               0,
                               from);
                Finish(std::string("unexpected ") + TftpOpName(pkt.op) + " from the server", false);
                return;
            }
            if (pkt.block != static_cast<uint16_t>(m_blockIndex & 0xffff))
            {
                continue; // duplicate ACK: never answered (Sorcerer's Apprentice)
            }
            m_bytes = std::min<uint64_t>(UploadSize(), m_blockIndex * TFTP_BLOCK_SIZE);
            if (m_blockIndex == m_lastIndex)
            {
                Finish("", false);
                return;
            }
            ++m_blockIndex;
            SendBlock();
        }
    }
}

void
TftpClient::HandleTimeout()
{
    if (m_dallying || !m_running)
    {
        m_timer.Cancel();
        CloseSocket();
        return;
    }
    if (m_retries >= m_maxRetries)
    {
        Finish("timeout after " + std::to_string(m_maxRetries) + " retransmissions" +
                   (m_tidKnown ? "" : " (no answer to the request)"),
               false);
        return;
    }
    ++m_retries;
    ++m_retransmits;
    NS_LOG_INFO("TftpClient: retransmission " << m_retries);
    m_socket->SendTo(Create<Packet>(m_lastSent.data(), static_cast<uint32_t>(m_lastSent.size())),
                     0,
                     m_server);
    m_timer = Simulator::Schedule(m_timeout, &TftpClient::HandleTimeout, this);
}

void
TftpClient::Finish(const std::string& reason, bool dally)
{
    m_running = false;
    m_duration = Simulator::Now() - m_startTime;
    m_timer.Cancel();
    if (dally && m_maxRetries > 0)
    {
        m_dallying = true;
        m_timer = Simulator::Schedule(m_timeout * m_maxRetries, &TftpClient::HandleTimeout, this);
    }
    else
    {
        CloseSocket();
    }
    if (reason.empty())
    {
        m_completed = true;
        NS_LOG_INFO("TftpClient: transfer complete, " << m_bytes << " bytes in "
                                                      << m_duration.As(Time::MS));
        m_completeTrace(m_bytes, m_duration);
    }
    else
    {
        m_failed = true;
        m_reason = reason;
        NS_LOG_INFO("TftpClient: transfer failed: " << reason);
        m_failedTrace(reason);
    }
}

} // namespace ns3
