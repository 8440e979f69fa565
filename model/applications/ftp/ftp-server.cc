/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ftp-server.h"

#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/config-error.h"
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
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FtpServer");
NS_OBJECT_ENSURE_REGISTERED(FtpServer);

// ---- Generated files ------------------------------------------------------------------------

uint8_t
FtpFileByte(uint64_t offset)
{
    // The top byte of a multiplicative hash depends on every bit of the position.
    uint64_t x = (offset + 1) * 0x9E3779B97F4A7C15ULL;
    return static_cast<uint8_t>(x >> 56);
}

void
FtpFillFile(uint64_t offset, uint8_t* buf, std::size_t len)
{
    for (std::size_t k = 0; k < len; ++k)
    {
        buf[k] = FtpFileByte(offset + k);
    }
}

FtpHash::FtpHash()
    : m_hasher(Create<Hash::Function::Fnv1a>())
{
    m_value = m_hasher.GetHash64(nullptr, 0); // the FNV-1a offset basis
}

void
FtpHash::Update(const uint8_t* data, std::size_t len)
{
    m_value = m_hasher.GetHash64(reinterpret_cast<const char*>(data), len);
}

uint64_t
FtpHash::Value() const
{
    return m_value;
}

uint64_t
FtpFileHash(uint64_t size)
{
    FtpHash h;
    uint8_t buf[4096];
    for (uint64_t off = 0; off < size; off += sizeof(buf))
    {
        std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(sizeof(buf), size - off));
        FtpFillFile(off, buf, n);
        h.Update(buf, n);
    }
    return h.Value();
}

std::string
FtpFileName(uint64_t size)
{
    return "file-" + std::to_string(size);
}

bool
FtpFileSizeFromName(const std::string& name, uint64_t& size)
{
    const std::string prefix = "file-";
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.size() > prefix.size() + 19)
    {
        return false;
    }
    uint64_t v = 0;
    for (std::size_t k = prefix.size(); k < name.size(); ++k)
    {
        if (!std::isdigit(static_cast<unsigned char>(name[k])))
        {
            return false;
        }
        v = v * 10 + static_cast<uint64_t>(name[k] - '0');
    }
    size = v;
    return true;
}

// ---- FtpServer ------------------------------------------------------------------------------

namespace
{

/// Upper-case command word and its argument.
void
SplitCommand(const std::string& line, std::string& cmd, std::string& arg)
{
    std::size_t sp = line.find(' ');
    cmd = line.substr(0, sp);
    std::transform(cmd.begin(), cmd.end(), cmd.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    arg = sp == std::string::npos ? std::string() : line.substr(sp + 1);
    while (!arg.empty() && (arg.back() == ' ' || arg.back() == '\t'))
    {
        arg.pop_back();
    }
    std::size_t first = arg.find_first_not_of(' ');
    arg = first == std::string::npos ? std::string() : arg.substr(first);
}

Ipv4Address
LocalAddressOf(Ptr<Socket> socket)
{
    Address a;
    socket->GetSockName(a);
    return InetSocketAddress::ConvertFrom(a).GetIpv4();
}

} // namespace

TypeId
FtpServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FtpServer")
            .SetParent<Application>()
            .SetGroupName("Fortigate")
            .AddConstructor<FtpServer>()
            .AddAttribute("Port",
                          "TCP port of the control connection.",
                          UintegerValue(FTP_CONTROL_PORT),
                          MakeUintegerAccessor(&FtpServer::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("DataPort",
                          "Source port of active-mode data connections.",
                          UintegerValue(FTP_DATA_PORT),
                          MakeUintegerAccessor(&FtpServer::m_dataPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("CheckDataAddress",
                          "Refuse a PORT/EPRT address other than the control peer's and a "
                          "passive data connection from another host (vsftpd's default).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FtpServer::m_checkDataAddress),
                          MakeBooleanChecker())
            .AddAttribute("Greeting",
                          "Text of the 220 greeting.",
                          StringValue("(ns-3 FtpServer)"),
                          MakeStringAccessor(&FtpServer::m_greeting),
                          MakeStringChecker())
            .AddTraceSource("TransferComplete",
                            "A RETR or STOR ended with 226.",
                            MakeTraceSourceAccessor(&FtpServer::m_completeTrace),
                            "ns3::FtpServer::TransferCallback")
            .AddTraceSource("Command",
                            "A command line was received.",
                            MakeTraceSourceAccessor(&FtpServer::m_commandTrace),
                            "ns3::FtpServer::LineCallback")
            .AddTraceSource("Reply",
                            "A reply line was sent.",
                            MakeTraceSourceAccessor(&FtpServer::m_replyTrace),
                            "ns3::FtpServer::LineCallback");
    return tid;
}

FtpServer::FtpServer()
    : m_port(FTP_CONTROL_PORT),
      m_dataPort(FTP_DATA_PORT),
      m_checkDataAddress(true)
{
    NS_LOG_FUNCTION(this);
}

FtpServer::~FtpServer()
{
    NS_LOG_FUNCTION(this);
}

void
FtpServer::AddFile(const std::string& name, uint64_t size)
{
    if (name.empty())
    {
        throw ConfigError("FtpServer: AddFile: file name is empty");
    }
    for (unsigned char c : name)
    {
        if (c <= ' ' || c == 0x7f)
        {
            throw ConfigError("FtpServer: AddFile: file name '" + name +
                              "' holds a blank or control character");
        }
    }
    m_files[name] = size;
}

const std::map<std::string, FtpServer::StoredFile>&
FtpServer::GetStoredFiles() const
{
    return m_stored;
}

uint32_t
FtpServer::GetControlConnections() const
{
    return m_connections;
}

uint32_t
FtpServer::GetTransfersCompleted() const
{
    return m_completed;
}

uint32_t
FtpServer::GetTransfersFailed() const
{
    return m_failed;
}

uint32_t
FtpServer::GetDataPortFallbacks() const
{
    return m_fallbacks;
}

void
FtpServer::DoDispose()
{
    NS_LOG_FUNCTION(this);
    StopApplication();
    Application::DoDispose();
}

void
FtpServer::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_listen)
    {
        return;
    }
    m_listen = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    if (m_listen->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) == -1)
    {
        NS_FATAL_ERROR("FtpServer: cannot bind TCP port " << m_port);
    }
    m_listen->Listen();
    m_listen->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                MakeCallback(&FtpServer::HandleAccept, this));
}

void
FtpServer::StopApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_listen)
    {
        CloseAppSocket(m_listen);
        m_listen = nullptr;
    }
    while (!m_sessions.empty())
    {
        EndSession(m_sessions.begin()->first);
    }
}

FtpServer::Session*
FtpServer::Find(uint32_t id)
{
    auto it = m_sessions.find(id);
    return it == m_sessions.end() ? nullptr : &it->second;
}

void
FtpServer::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    uint32_t id = m_nextId++;
    NS_LOG_FUNCTION(this << id << from);
    ++m_connections;
    Session& s = m_sessions[id];
    s.control = socket;
    s.localAddr = LocalAddressOf(socket);
    s.peerAddr = InetSocketAddress::ConvertFrom(from).GetIpv4();
    socket->SetRecvCallback(MakeCallback(&FtpServer::HandleControlRead, this, id));
    socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    socket->SetCloseCallbacks(MakeCallback(&FtpServer::HandleControlClose, this, id),
                              MakeCallback(&FtpServer::HandleControlClose, this, id));
    Reply(s, "220 " + m_greeting);
}

void
FtpServer::Reply(Session& s, const std::string& text)
{
    NS_LOG_INFO("FtpServer -> " << s.peerAddr << ": " << text);
    m_replyTrace(text);
    std::string line = text + "\r\n";
    s.control->Send(Create<Packet>(reinterpret_cast<const uint8_t*>(line.data()),
                                   static_cast<uint32_t>(line.size())));
}

void
FtpServer::HandleControlRead(uint32_t id, Ptr<Socket> socket)
{
    Session* s = Find(id);
    if (s == nullptr || socket != s->control)
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
        s->rx.append(buf.begin(), buf.end());
    }
    // Complete lines only; the rest waits for more bytes.
    while (true)
    {
        s = Find(id);
        if (s == nullptr)
        {
            return;
        }
        std::size_t nl = s->rx.find('\n');
        if (nl == std::string::npos)
        {
            if (s->rx.size() > FTP_MAX_LINE_LENGTH)
            {
                s->rx.clear();
                Reply(*s, "500 Input line too long.");
            }
            return;
        }
        std::string line = s->rx.substr(0, nl);
        s->rx.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        ProcessLine(id, line);
    }
}

void
FtpServer::HandleControlClose(uint32_t id, Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << id);
    Session* s = Find(id);
    if (s != nullptr && socket == s->control)
    {
        EndSession(id);
    }
}

void
FtpServer::EndSession(uint32_t id)
{
    Session* s = Find(id);
    if (s == nullptr)
    {
        return;
    }
    if (s->xfer != XFER_IDLE && s->started)
    {
        ++m_failed; // control connection lost mid-transfer
    }
    CloseData(*s);
    CloseAppSocket(s->control);
    m_sessions.erase(id);
}

void
FtpServer::CloseData(Session& s)
{
    CloseAppSocket(s.data);
    s.data = nullptr;
    s.dataConnected = false;
    CloseAppSocket(s.listener);
    s.listener = nullptr;
}

void
FtpServer::ProcessLine(uint32_t id, const std::string& line)
{
    Session* sp = Find(id);
    if (sp == nullptr)
    {
        return;
    }
    Session& s = *sp;
    NS_LOG_INFO("FtpServer <- " << s.peerAddr << ": " << line);
    m_commandTrace(line);
    std::string cmd;
    std::string arg;
    SplitCommand(line, cmd, arg);

    if (cmd == "QUIT")
    {
        Reply(s, "221 Goodbye.");
        CloseData(s);
        s.control->Close(); // after the reply has gone
        s.control->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        return;
    }
    if (cmd == "USER")
    {
        s.userGiven = true;
        s.loggedIn = false;
        Reply(s, "331 Please specify the password.");
        return;
    }
    if (cmd == "PASS")
    {
        if (!s.userGiven)
        {
            Reply(s, "503 Login with USER first.");
            return;
        }
        s.loggedIn = true;
        Reply(s, "230 Login successful.");
        return;
    }
    if (cmd == "NOOP")
    {
        Reply(s, "200 NOOP ok.");
        return;
    }
    if (cmd == "SYST")
    {
        Reply(s, "215 UNIX Type: L8");
        return;
    }
    if (!s.loggedIn)
    {
        Reply(s, "530 Please login with USER and PASS.");
        return;
    }
    if (cmd == "PWD" || cmd == "XPWD")
    {
        Reply(s, "257 \"/\" is the current directory");
    }
    else if (cmd == "TYPE")
    {
        std::string t = arg;
        std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) {
            return static_cast<char>(std::toupper(c));
        });
        if (t == "I" || t == "L 8")
        {
            s.binary = true;
            Reply(s, "200 Switching to Binary mode.");
        }
        else if (t == "A" || t == "A N")
        {
            s.binary = false;
            Reply(s, "200 Switching to ASCII mode.");
        }
        else
        {
            Reply(s, "500 Unrecognised TYPE command.");
        }
    }
    else if (cmd == "PORT" || cmd == "EPRT")
    {
        DoPortCommand(s, line, cmd == "EPRT");
    }
    else if (cmd == "PASV" || cmd == "EPSV")
    {
        DoPassiveCommand(id, s, cmd == "EPSV");
    }
    else if (cmd == "RETR")
    {
        DoTransferCommand(id, s, XFER_RETR, arg);
    }
    else if (cmd == "STOR")
    {
        DoTransferCommand(id, s, XFER_STOR, arg);
    }
    else
    {
        Reply(s, "500 Unknown command.");
    }
}

void
FtpServer::DoPortCommand(Session& s, const std::string& line, bool extended)
{
    std::string full = line + "\r\n";
    auto found =
        FindFtpAddressCommands(reinterpret_cast<const uint8_t*>(full.data()), full.size(), true);
    if (found.empty())
    {
        if (extended)
        {
            // A well-formed EPRT for another network protocol gets RFC 2428's 522.
            std::size_t sp = line.find(' ');
            std::string arg = sp == std::string::npos ? "" : line.substr(sp + 1);
            if (arg.size() >= 3 && arg[1] != '1' && arg[2] == arg[0])
            {
                Reply(s, "522 Bad network protocol.");
                return;
            }
            Reply(s, "500 Bad EPRT command.");
        }
        else
        {
            Reply(s, "500 Illegal PORT command.");
        }
        return;
    }
    Ipv4Address addr(found[0].addr);
    if (m_checkDataAddress && addr != s.peerAddr)
    {
        NS_LOG_INFO("FtpServer: " << (extended ? "EPRT" : "PORT") << " names " << addr
                                  << ", not the control peer " << s.peerAddr);
        Reply(s, extended ? "500 Illegal EPRT command." : "500 Illegal PORT command.");
        return;
    }
    CloseData(s);
    s.mode = DATA_ACTIVE;
    s.activeAddr = addr;
    s.activePort = found[0].port;
    Reply(s,
          extended ? "200 EPRT command successful. Consider using EPSV."
                   : "200 PORT command successful. Consider using PASV.");
}

void
FtpServer::DoPassiveCommand(uint32_t id, Session& s, bool extended)
{
    CloseData(s);
    s.mode = DATA_PASSIVE;
    s.listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    if (s.listener->Bind(InetSocketAddress(s.localAddr, 0)) == -1 || s.listener->Listen() == -1)
    {
        CloseAppSocket(s.listener);
        s.listener = nullptr;
        s.mode = DATA_NONE;
        Reply(s, "425 Could not listen for passive connection.");
        return;
    }
    s.listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&FtpServer::HandlePassiveAccept, this, id));
    Address a;
    s.listener->GetSockName(a);
    uint16_t port = InetSocketAddress::ConvertFrom(a).GetPort();
    if (extended)
    {
        Reply(s,
              "229 Entering Extended Passive Mode (" +
                  FormatFtpAddress(FtpAddressCommand::EPSV_229, 0, port) + ")");
    }
    else
    {
        Reply(s,
              "227 Entering Passive Mode (" +
                  FormatFtpAddress(FtpAddressCommand::PASV_227, s.localAddr.Get(), port) + ").");
    }
}

bool
FtpServer::LookupFile(const std::string& name, uint64_t& size) const
{
    auto it = m_files.find(name);
    if (it != m_files.end())
    {
        size = it->second;
        return true;
    }
    return FtpFileSizeFromName(name, size);
}

void
FtpServer::DoTransferCommand(uint32_t id, Session& s, Transfer what, const std::string& arg)
{
    if (s.xfer != XFER_IDLE)
    {
        Reply(s, "425 Transfer already in progress.");
        return;
    }
    if (s.mode == DATA_NONE)
    {
        Reply(s, "425 Use PORT or PASV first.");
        return;
    }
    if (arg.empty())
    {
        Reply(s, what == XFER_RETR ? "550 Failed to open file." : "553 Could not create file.");
        return;
    }
    uint64_t size = 0;
    if (what == XFER_RETR && !LookupFile(arg, size))
    {
        Reply(s, "550 Failed to open file.");
        return;
    }
    s.xfer = what;
    s.file = arg;
    s.size = size;
    s.done = 0;
    s.started = false;
    s.hash = FtpHash();
    s.patternOk = true;
    if (s.mode == DATA_ACTIVE)
    {
        ConnectActive(id, s);
    }
    else
    {
        MaybeStart(id);
    }
}

void
FtpServer::ConnectActive(uint32_t id, Session& s)
{
    Ptr<Socket> d = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    if (d->Bind(InetSocketAddress(s.localAddr, m_dataPort)) == -1)
    {
        // The port is still held (TIME_WAIT of an earlier data connection): a real server sets
        // SO_REUSEADDR; ns-3 cannot, so the connection leaves from an ephemeral port.
        NS_LOG_WARN("FtpServer: port " << m_dataPort << " busy, active data connection from an "
                                       << "ephemeral port");
        ++m_fallbacks;
        d = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
        d->Bind(InetSocketAddress(s.localAddr, 0));
    }
    s.data = d;
    s.dataConnected = false;
    d->SetConnectCallback(MakeCallback(&FtpServer::HandleActiveConnected, this, id),
                          MakeCallback(&FtpServer::HandleActiveFailed, this, id));
    d->SetCloseCallbacks(MakeCallback(&FtpServer::HandleDataClose, this, id),
                         MakeCallback(&FtpServer::HandleDataError, this, id));
    d->SetRecvCallback(MakeCallback(&FtpServer::HandleDataRead, this, id));
    d->SetSendCallback(MakeCallback(&FtpServer::HandleDataSend, this, id));
    if (d->Connect(InetSocketAddress(s.activeAddr, s.activePort)) == -1)
    {
        s.data = nullptr;
        CloseAppSocket(d);
        s.xfer = XFER_IDLE;
        Reply(s, "425 Failed to establish connection.");
    }
}

void
FtpServer::HandleActiveConnected(uint32_t id, Ptr<Socket> socket)
{
    Session* s = Find(id);
    if (s == nullptr || socket != s->data)
    {
        return;
    }
    s->dataConnected = true;
    MaybeStart(id);
}

void
FtpServer::HandleActiveFailed(uint32_t id, Ptr<Socket> socket)
{
    Session* s = Find(id);
    if (s == nullptr || socket != s->data)
    {
        return;
    }
    s->data = nullptr;
    CloseAppSocket(socket);
    s->xfer = XFER_IDLE;
    Reply(*s, "425 Failed to establish connection.");
}

void
FtpServer::HandlePassiveAccept(uint32_t id, Ptr<Socket> socket, const Address& from)
{
    Session* s = Find(id);
    if (s == nullptr || s->mode != DATA_PASSIVE || s->data)
    {
        CloseAppSocket(socket);
        return;
    }
    Ipv4Address peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
    CloseAppSocket(s->listener); // one data connection per PASV/EPSV
    s->listener = nullptr;
    if (m_checkDataAddress && peer != s->peerAddr)
    {
        NS_LOG_INFO("FtpServer: passive data connection from " << peer << ", control peer is "
                                                               << s->peerAddr);
        CloseAppSocket(socket);
        s->mode = DATA_NONE;
        if (s->xfer != XFER_IDLE)
        {
            s->xfer = XFER_IDLE;
            ++m_failed;
        }
        Reply(*s, "425 Security: Bad IP connecting.");
        return;
    }
    s->data = socket;
    s->dataConnected = true;
    socket->SetCloseCallbacks(MakeCallback(&FtpServer::HandleDataClose, this, id),
                              MakeCallback(&FtpServer::HandleDataError, this, id));
    socket->SetRecvCallback(MakeCallback(&FtpServer::HandleDataRead, this, id));
    socket->SetSendCallback(MakeCallback(&FtpServer::HandleDataSend, this, id));
    MaybeStart(id);
}

void
FtpServer::MaybeStart(uint32_t id)
{
    Session* s = Find(id);
    if (s == nullptr || s->xfer == XFER_IDLE || s->started || !s->data || !s->dataConnected)
    {
        return;
    }
    s->started = true;
    if (s->xfer == XFER_RETR)
    {
        Reply(*s,
              "150 Opening " + std::string(s->binary ? "BINARY" : "ASCII") +
                  " mode data connection for " + s->file + " (" + std::to_string(s->size) +
                  " bytes).");
        HandleDataSend(id, s->data, s->data->GetTxAvailable());
    }
    else
    {
        Reply(*s, "150 Ok to send data.");
        HandleDataRead(id, s->data); // bytes that arrived early
    }
}

void
FtpServer::HandleDataSend(uint32_t id, Ptr<Socket> socket, uint32_t /* available */)
{
    Session* s = Find(id);
    if (s == nullptr || socket != s->data || s->xfer != XFER_RETR || !s->started)
    {
        return;
    }
    uint8_t buf[16384];
    while (s->done < s->size)
    {
        uint32_t room = socket->GetTxAvailable();
        if (room == 0)
        {
            return; // called again when acknowledgements free the buffer
        }
        uint32_t n =
            static_cast<uint32_t>(std::min<uint64_t>({room, sizeof(buf), s->size - s->done}));
        FtpFillFile(s->done, buf, n);
        int sent = socket->Send(buf, n, 0);
        if (sent <= 0)
        {
            return;
        }
        s->done += static_cast<uint64_t>(sent);
    }
    // Everything is in the socket: close it (the FIN follows the last byte, which marks the end
    // of the file in stream mode) and report, as a server does once close() returned.
    CloseAppSocket(socket);
    s->data = nullptr;
    s->dataConnected = false;
    FinishTransfer(*s, true, "226 Transfer complete.");
}

void
FtpServer::HandleDataRead(uint32_t id, Ptr<Socket> socket)
{
    Session* s = Find(id);
    if (s == nullptr || socket != s->data)
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
        if (s->xfer != XFER_STOR || !s->started)
        {
            continue; // nothing expected: discard
        }
        std::vector<uint8_t> buf(n);
        p->CopyData(buf.data(), n);
        s->hash.Update(buf.data(), n);
        if (s->patternOk)
        {
            for (uint32_t k = 0; k < n; ++k)
            {
                if (buf[k] != FtpFileByte(s->done + k))
                {
                    s->patternOk = false;
                    break;
                }
            }
        }
        s->done += n;
    }
}

void
FtpServer::HandleDataClose(uint32_t id, Ptr<Socket> socket)
{
    Session* s = Find(id);
    if (s == nullptr || socket != s->data)
    {
        return;
    }
    HandleDataRead(id, socket);
    bool stor = s->xfer == XFER_STOR && s->started;
    bool retr = s->xfer == XFER_RETR && s->started;
    CloseAppSocket(socket);
    s->data = nullptr;
    s->dataConnected = false;
    if (stor)
    {
        StoredFile f;
        f.size = s->done;
        f.hash = s->hash.Value();
        f.matchesPattern = s->patternOk;
        f.when = Simulator::Now();
        m_stored[s->file] = f;
        FinishTransfer(*s, true, "226 Transfer complete.");
    }
    else if (retr)
    {
        FinishTransfer(*s, false, "426 Failure writing network stream.");
    }
}

void
FtpServer::HandleDataError(uint32_t id, Ptr<Socket> socket)
{
    Session* s = Find(id);
    if (s == nullptr || socket != s->data)
    {
        return;
    }
    bool running = s->xfer != XFER_IDLE && s->started;
    CloseAppSocket(socket);
    s->data = nullptr;
    s->dataConnected = false;
    if (running)
    {
        FinishTransfer(*s,
                       false,
                       s->xfer == XFER_RETR ? "426 Failure writing network stream."
                                            : "426 Failure reading network stream.");
    }
}

void
FtpServer::FinishTransfer(Session& s, bool ok, const std::string& reply)
{
    std::string command = s.xfer == XFER_RETR ? "RETR" : "STOR";
    uint64_t bytes = s.done;
    s.xfer = XFER_IDLE;
    s.started = false;
    s.mode = DATA_NONE; // every transfer needs a new PORT/PASV
    Reply(s, reply);
    if (ok)
    {
        ++m_completed;
        m_completeTrace(command, s.file, bytes);
    }
    else
    {
        ++m_failed;
    }
}

} // namespace ns3
