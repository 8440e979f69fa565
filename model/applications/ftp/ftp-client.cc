/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ftp-client.h"

#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/ftp-parser.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FtpClient");
NS_OBJECT_ENSURE_REGISTERED(FtpClient);

namespace
{

bool
IsReplyCode(const std::string& line)
{
    return line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
           std::isdigit(static_cast<unsigned char>(line[1])) &&
           std::isdigit(static_cast<unsigned char>(line[2]));
}

} // namespace

TypeId
FtpClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FtpClient")
            .SetParent<Application>()
            .SetGroupName("Fortigate")
            .AddConstructor<FtpClient>()
            .AddAttribute("RemoteAddress",
                          "The server's address.",
                          Ipv4AddressValue(),
                          MakeIpv4AddressAccessor(&FtpClient::m_remote),
                          MakeIpv4AddressChecker())
            .AddAttribute("RemotePort",
                          "The server's control port.",
                          UintegerValue(FTP_CONTROL_PORT),
                          MakeUintegerAccessor(&FtpClient::m_remotePort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("Mode",
                          "Data connection: active (PORT/EPRT) or passive (PASV/EPSV).",
                          EnumValue(PASSIVE),
                          MakeEnumAccessor(&FtpClient::m_mode),
                          MakeEnumChecker(ACTIVE, "active", PASSIVE, "passive"))
            .AddAttribute("UseExtended",
                          "Use EPRT/EPSV (RFC 2428) instead of PORT/PASV.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&FtpClient::m_extended),
                          MakeBooleanChecker())
            .AddAttribute("Command",
                          "Transfer command: RETR (download) or STOR (upload).",
                          EnumValue(RETR),
                          MakeEnumAccessor(&FtpClient::m_command),
                          MakeEnumChecker(RETR, "RETR", STOR, "STOR"))
            .AddAttribute("FileSize",
                          "Bytes to download or upload.",
                          UintegerValue(1048576),
                          MakeUintegerAccessor(&FtpClient::m_fileSize),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("FileName",
                          "File name for RETR/STOR; empty means file-<FileSize>.",
                          StringValue(""),
                          MakeStringAccessor(&FtpClient::m_fileName),
                          MakeStringChecker())
            .AddAttribute("User",
                          "USER argument.",
                          StringValue("anonymous"),
                          MakeStringAccessor(&FtpClient::m_user),
                          MakeStringChecker())
            .AddAttribute("Password",
                          "PASS argument.",
                          StringValue("ns3@example.com"),
                          MakeStringAccessor(&FtpClient::m_password),
                          MakeStringChecker())
            .AddAttribute("Timeout",
                          "Longest time without progress (a reply line, a data byte received "
                          "or acknowledged, a connection established) before the transfer "
                          "fails.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&FtpClient::m_timeout),
                          MakeTimeChecker(Seconds(0)))
            .AddTraceSource("TransferComplete",
                            "The transfer completed.",
                            MakeTraceSourceAccessor(&FtpClient::m_completeTrace),
                            "ns3::FtpClient::CompleteCallback")
            .AddTraceSource("TransferFailed",
                            "The transfer failed.",
                            MakeTraceSourceAccessor(&FtpClient::m_failedTrace),
                            "ns3::FtpClient::FailedCallback");
    return tid;
}

FtpClient::FtpClient()
    : m_remotePort(FTP_CONTROL_PORT),
      m_mode(PASSIVE),
      m_extended(false),
      m_command(RETR),
      m_fileSize(1048576),
      m_timeout(Seconds(30))
{
    NS_LOG_FUNCTION(this);
}

FtpClient::~FtpClient()
{
    NS_LOG_FUNCTION(this);
}

bool
FtpClient::IsCompleted() const
{
    return m_completed;
}

bool
FtpClient::IsFailed() const
{
    return m_failed;
}

bool
FtpClient::IsFinished() const
{
    return m_completed || m_failed;
}

std::string
FtpClient::GetFailureReason() const
{
    return m_reason;
}

uint64_t
FtpClient::GetBytesTransferred() const
{
    return m_bytes;
}

Time
FtpClient::GetTransferTime() const
{
    return m_duration;
}

Ipv4Address
FtpClient::GetDataAddress() const
{
    return m_dataAddr;
}

uint16_t
FtpClient::GetDataPort() const
{
    return m_dataPort;
}

std::string
FtpClient::GetFileName() const
{
    return m_fileName.empty() ? FtpFileName(m_fileSize) : m_fileName;
}

std::string
FtpClient::GetLastReply() const
{
    return m_lastReply;
}

std::string
FtpClient::GetSummary() const
{
    std::ostringstream os;
    os << "ftp " << (m_mode == ACTIVE ? "active" : "passive")
       << (m_extended ? (m_mode == ACTIVE ? " EPRT" : " EPSV")
                      : (m_mode == ACTIVE ? " PORT" : " PASV"))
       << " " << (m_command == RETR ? "RETR" : "STOR") << " " << GetFileName() << ": ";
    if (m_completed)
    {
        os << "completed " << m_bytes << " bytes in " << m_duration.GetSeconds() << " s";
    }
    else if (m_failed)
    {
        os << "failed (" << m_reason << ") after " << m_bytes << " bytes";
    }
    else
    {
        os << "running, " << m_bytes << " bytes";
    }
    return os.str();
}

void
FtpClient::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_timer.Cancel();
    CloseAll();
    Application::DoDispose();
}

void
FtpClient::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_state != ST_IDLE)
    {
        return;
    }
    m_state = ST_CONNECT;
    Progress();
    m_timer = Simulator::Schedule(m_timeout, &FtpClient::HandleTimeout, this);
    m_control = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_control->SetConnectCallback(MakeCallback(&FtpClient::HandleControlConnected, this),
                                  MakeCallback(&FtpClient::HandleControlFailed, this));
    m_control->SetRecvCallback(MakeCallback(&FtpClient::HandleControlRead, this));
    m_control->SetCloseCallbacks(MakeCallback(&FtpClient::HandleControlClose, this),
                                 MakeCallback(&FtpClient::HandleControlClose, this));
    if (m_control->Bind() == -1 ||
        m_control->Connect(InetSocketAddress(m_remote, m_remotePort)) == -1)
    {
        Finish("control connection refused");
    }
}

void
FtpClient::StopApplication()
{
    NS_LOG_FUNCTION(this);
    if (!IsFinished() && m_state != ST_IDLE)
    {
        m_failed = true;
        m_reason = "application stopped";
        m_failedTrace(m_reason);
    }
    m_state = ST_DONE;
    m_timer.Cancel();
    CloseAll();
}

void
FtpClient::CloseAll()
{
    CloseAppSocket(m_data);
    m_data = nullptr;
    CloseAppSocket(m_listener);
    m_listener = nullptr;
    CloseAppSocket(m_control);
    m_control = nullptr;
}

void
FtpClient::Progress()
{
    m_lastProgress = Simulator::Now();
}

void
FtpClient::HandleTimeout()
{
    if (m_state == ST_DONE || m_state == ST_IDLE)
    {
        return;
    }
    Time idle = Simulator::Now() - m_lastProgress;
    if (idle < m_timeout)
    {
        m_timer = Simulator::Schedule(m_timeout - idle, &FtpClient::HandleTimeout, this);
        return;
    }
    if (m_state == ST_QUIT)
    {
        m_state = ST_DONE; // no 221: just close
        CloseAll();
        return;
    }
    Finish("timeout waiting for " + WaitingFor());
}

std::string
FtpClient::WaitingFor() const
{
    switch (m_state)
    {
    case ST_CONNECT:
        return "the control connection";
    case ST_GREETING:
        return "the greeting";
    case ST_USER:
    case ST_PASS:
        return "login";
    case ST_TYPE:
        return "the TYPE reply";
    case ST_DATASETUP:
        return std::string("the ") +
               (m_mode == ACTIVE ? (m_extended ? "EPRT" : "PORT")
                                 : (m_extended ? "EPSV" : "PASV")) +
               " reply";
    case ST_DATACONN:
        return "the data connection";
    case ST_TRANSFER:
        if (!m_dataConnected)
        {
            return "the data connection";
        }
        if (!m_got150)
        {
            return "the 150 reply";
        }
        if (!m_dataDone)
        {
            return "data";
        }
        return "the 226 reply";
    default:
        return "the server";
    }
}

void
FtpClient::HandleControlConnected(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this);
    if (socket != m_control || m_state != ST_CONNECT)
    {
        return;
    }
    Progress();
    m_state = ST_GREETING;
}

void
FtpClient::HandleControlFailed(Ptr<Socket> socket)
{
    if (socket == m_control && !IsFinished())
    {
        Finish("control connection refused");
    }
}

void
FtpClient::HandleControlClose(Ptr<Socket> socket)
{
    if (socket != m_control)
    {
        return;
    }
    HandleControlRead(socket); // a last reply may precede the FIN
    if (socket != m_control)
    {
        return;
    }
    if (!IsFinished())
    {
        Finish(m_state == ST_CONNECT ? "control connection refused" : "control connection closed");
    }
    m_state = ST_DONE;
    m_timer.Cancel();
    CloseAll();
}

void
FtpClient::SendCommand(const std::string& text)
{
    NS_LOG_INFO("FtpClient -> " << text);
    std::string line = text + "\r\n"; // always one complete line per send
    m_control->Send(Create<Packet>(reinterpret_cast<const uint8_t*>(line.data()),
                                   static_cast<uint32_t>(line.size())));
}

void
FtpClient::HandleControlRead(Ptr<Socket> socket)
{
    if (socket != m_control)
    {
        return;
    }
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        std::vector<uint8_t> buf(p->GetSize());
        p->CopyData(buf.data(), static_cast<uint32_t>(buf.size()));
        m_rx.append(buf.begin(), buf.end());
    }
    std::size_t nl;
    while (m_control == socket && (nl = m_rx.find('\n')) != std::string::npos)
    {
        std::string line = m_rx.substr(0, nl);
        m_rx.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        Progress();
        if (!IsReplyCode(line))
        {
            continue; // text line of a multi-line reply
        }
        int code = std::stoi(line.substr(0, 3));
        char sep = line.size() > 3 ? line[3] : ' ';
        if (m_multiCode != 0)
        {
            if (code == m_multiCode && sep == ' ')
            {
                m_multiCode = 0;
                HandleReply(code, line);
            }
            continue;
        }
        if (sep == '-')
        {
            m_multiCode = code;
            continue;
        }
        HandleReply(code, line);
    }
}

void
FtpClient::HandleReply(int code, const std::string& line)
{
    NS_LOG_INFO("FtpClient <- " << line);
    m_lastReply = line;
    if (m_state == ST_QUIT)
    {
        if (code == 221)
        {
            m_state = ST_DONE;
            m_timer.Cancel();
            CloseAll();
        }
        return;
    }
    if (IsFinished() || m_state == ST_DONE)
    {
        return;
    }
    if (code >= 400)
    {
        Finish("server reply: " + line);
        return;
    }
    switch (m_state)
    {
    case ST_GREETING:
        if (code == 220)
        {
            m_state = ST_USER;
            SendCommand("USER " + m_user);
        }
        break;
    case ST_USER:
        if (code == 331)
        {
            m_state = ST_PASS;
            SendCommand("PASS " + m_password);
        }
        else if (code == 230)
        {
            m_state = ST_TYPE;
            SendCommand("TYPE I");
        }
        break;
    case ST_PASS:
        if (code == 230 || code == 202)
        {
            m_state = ST_TYPE;
            SendCommand("TYPE I");
        }
        break;
    case ST_TYPE:
        if (code == 200)
        {
            SetupData();
        }
        break;
    case ST_DATASETUP:
        if (m_mode == ACTIVE)
        {
            if (code == 200)
            {
                SendTransferCommand();
            }
        }
        else if (code == 227 || code == 229)
        {
            std::string full = line + "\r\n";
            auto found = FindFtpAddressCommands(reinterpret_cast<const uint8_t*>(full.data()),
                                                full.size(),
                                                false);
            if (found.empty())
            {
                Finish("bad passive reply: " + line);
                return;
            }
            m_dataAddr = code == 229 ? m_remote : Ipv4Address(found[0].addr);
            m_dataPort = found[0].port;
            m_state = ST_DATACONN;
            m_data = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
            AttachData(m_data);
            m_data->SetConnectCallback(MakeCallback(&FtpClient::HandleDataConnected, this),
                                       MakeCallback(&FtpClient::HandleDataFailed, this));
            if (m_data->Bind() == -1 ||
                m_data->Connect(InetSocketAddress(m_dataAddr, m_dataPort)) == -1)
            {
                Finish("data connection refused");
            }
        }
        break;
    case ST_TRANSFER:
        if (code == 150 || code == 125)
        {
            m_got150 = true;
            MaybeStartUpload();
        }
        else if (code == 226 || code == 250)
        {
            m_got226 = true;
            CheckComplete();
        }
        break;
    default:
        break;
    }
}

void
FtpClient::SetupData()
{
    m_state = ST_DATASETUP;
    if (m_mode == PASSIVE)
    {
        SendCommand(m_extended ? "EPSV" : "PASV");
        return;
    }
    Address local;
    m_control->GetSockName(local);
    Ipv4Address addr = InetSocketAddress::ConvertFrom(local).GetIpv4();
    m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    if (m_listener->Bind(InetSocketAddress(addr, 0)) == -1 || m_listener->Listen() == -1)
    {
        Finish("cannot listen for the data connection");
        return;
    }
    m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&FtpClient::HandleDataAccept, this));
    Address bound;
    m_listener->GetSockName(bound);
    m_dataAddr = addr;
    m_dataPort = InetSocketAddress::ConvertFrom(bound).GetPort();
    FtpAddressCommand::Kind kind = m_extended ? FtpAddressCommand::EPRT : FtpAddressCommand::PORT;
    SendCommand(std::string(m_extended ? "EPRT " : "PORT ") +
                FormatFtpAddress(kind, addr.Get(), m_dataPort));
}

void
FtpClient::SendTransferCommand()
{
    m_state = ST_TRANSFER;
    m_commandTime = Simulator::Now();
    SendCommand(std::string(m_command == RETR ? "RETR " : "STOR ") + GetFileName());
    MaybeStartUpload();
}

void
FtpClient::AttachData(Ptr<Socket> socket)
{
    socket->SetRecvCallback(MakeCallback(&FtpClient::HandleDataRead, this));
    socket->SetSendCallback(MakeCallback(&FtpClient::HandleDataSend, this));
    socket->SetCloseCallbacks(MakeCallback(&FtpClient::HandleDataClose, this),
                              MakeCallback(&FtpClient::HandleDataError, this));
}

void
FtpClient::HandleDataAccept(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << from);
    if (m_data || IsFinished())
    {
        CloseAppSocket(socket);
        return;
    }
    Progress();
    CloseAppSocket(m_listener); // one data connection per PORT/EPRT
    m_listener = nullptr;
    m_data = socket;
    m_dataConnected = true;
    AttachData(socket);
    MaybeStartUpload();
}

void
FtpClient::HandleDataConnected(Ptr<Socket> socket)
{
    if (socket != m_data || m_state != ST_DATACONN)
    {
        return;
    }
    Progress();
    m_dataConnected = true;
    SendTransferCommand();
}

void
FtpClient::HandleDataFailed(Ptr<Socket> socket)
{
    if (socket == m_data && !IsFinished())
    {
        Finish("data connection refused");
    }
}

void
FtpClient::MaybeStartUpload()
{
    if (m_command != STOR || m_state != ST_TRANSFER || !m_got150 || !m_dataConnected || !m_data)
    {
        return;
    }
    HandleDataSend(m_data, m_data->GetTxAvailable());
}

void
FtpClient::HandleDataSend(Ptr<Socket> socket, uint32_t /* available */)
{
    if (socket != m_data || m_command != STOR || !m_got150 || m_dataDone || IsFinished())
    {
        return;
    }
    Progress(); // called when acknowledgements free room
    uint8_t buf[16384];
    while (m_bytes < m_fileSize)
    {
        uint32_t room = socket->GetTxAvailable();
        if (room == 0)
        {
            return;
        }
        uint32_t n =
            static_cast<uint32_t>(std::min<uint64_t>({room, sizeof(buf), m_fileSize - m_bytes}));
        FtpFillFile(m_bytes, buf, n);
        int sent = socket->Send(buf, n, 0);
        if (sent <= 0)
        {
            return;
        }
        m_bytes += static_cast<uint64_t>(sent);
    }
    // All queued: the FIN follows the last byte (end of file in stream mode).
    m_dataDone = true;
    socket->Close();
    CheckComplete();
}

void
FtpClient::HandleDataRead(Ptr<Socket> socket)
{
    if (socket != m_data)
    {
        return;
    }
    while (Ptr<Packet> p = socket->Recv())
    {
        uint32_t n = p->GetSize();
        if (n == 0)
        {
            break;
        }
        Progress();
        if (m_command != RETR)
        {
            continue;
        }
        std::vector<uint8_t> buf(n);
        p->CopyData(buf.data(), n);
        if (!m_mismatch)
        {
            for (uint32_t k = 0; k < n; ++k)
            {
                if (m_bytes + k >= m_fileSize || buf[k] != FtpFileByte(m_bytes + k))
                {
                    m_mismatch = true;
                    m_mismatchAt = m_bytes + k;
                    break;
                }
            }
        }
        m_bytes += n;
    }
}

void
FtpClient::HandleDataClose(Ptr<Socket> socket)
{
    if (socket != m_data)
    {
        return;
    }
    HandleDataRead(socket);
    Progress();
    m_dataDone = true;
    CloseAppSocket(socket); // answers the server's FIN
    m_data = nullptr;
    CheckComplete();
}

void
FtpClient::HandleDataError(Ptr<Socket> socket)
{
    if (socket != m_data)
    {
        return;
    }
    m_data = nullptr;
    CloseAppSocket(socket);
    if (!IsFinished())
    {
        Finish(m_state == ST_DATACONN ? "data connection refused" : "data connection reset");
    }
}

void
FtpClient::CheckComplete()
{
    if (IsFinished() || m_state != ST_TRANSFER || !m_got226 || !m_dataDone)
    {
        return;
    }
    if (m_command == RETR)
    {
        if (m_mismatch)
        {
            Finish("data mismatch at byte " + std::to_string(m_mismatchAt));
            return;
        }
        if (m_bytes != m_fileSize)
        {
            Finish("short transfer (" + std::to_string(m_bytes) + " of " +
                   std::to_string(m_fileSize) + " bytes)");
            return;
        }
    }
    Finish("");
}

void
FtpClient::Finish(const std::string& reason)
{
    if (IsFinished())
    {
        return;
    }
    if (reason.empty())
    {
        m_completed = true;
        m_duration = Simulator::Now() - m_commandTime;
        NS_LOG_INFO("FtpClient: " << GetSummary());
        m_completeTrace(m_bytes, m_duration);
    }
    else
    {
        m_failed = true;
        m_reason = reason;
        NS_LOG_INFO("FtpClient: " << GetSummary());
        m_failedTrace(reason);
    }
    CloseAppSocket(m_listener);
    m_listener = nullptr;
    if (!reason.empty() || m_command == RETR)
    {
        CloseAppSocket(m_data); // a finished STOR's data socket is closing by itself
    }
    m_data = nullptr;
    if (m_control && m_state != ST_CONNECT && m_state != ST_DONE)
    {
        m_state = ST_QUIT;
        SendCommand("QUIT");
        Progress();
        m_timer.Cancel();
        m_timer = Simulator::Schedule(m_timeout, &FtpClient::HandleTimeout, this);
    }
    else
    {
        m_state = ST_DONE;
        m_timer.Cancel();
        CloseAll();
    }
}

} // namespace ns3
