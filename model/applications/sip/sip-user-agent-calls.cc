/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SipUserAgent: calls, as caller (UAC) and callee (UAS).

#include "sip-user-agent-util.h"
#include "sip-user-agent.h"

#include "ns3/app-socket.h"
#include "ns3/boolean.h"
#include "ns3/config-error.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/text-util.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipUserAgentCalls");

using namespace sipua;

// ---- calls: UAC ------------------------------------------------------------------------------

void
SipUserAgent::StartCall(uint32_t index)
{
    if (!m_running || index >= m_calls.size())
    {
        return;
    }
    CallData& c = m_calls[index];
    if (c.rec.state != SIP_CALL_IDLE)
    {
        return;
    }
    std::string uri = TargetUri(c.rec.target);
    c.requestUri = uri;
    c.rec.callId = NewCallId();
    c.localTag = NewTag();
    c.localNameAddr = (m_displayName.empty() ? std::string() : "\"" + m_displayName + "\" ") + "<" +
                      GetAor() + ">";
    c.remoteNameAddr = "<" + uri + ">";
    c.rec.localUri = GetAor();
    c.rec.remoteUri = uri;
    c.localCseq = 1 + m_rng->GetInteger(0, 9999);
    c.inviteCseq = c.localCseq;
    c.sdpSessionId = m_rng->GetInteger(1, 0x7fffffff);
    c.sdpVersion = 1;
    c.localDirection = SdpDirection::SENDRECV;
    c.answeredDirection = SdpDirection::SENDRECV;
    if (!Resolve(uri, false, c.inviteTo, c.invitePort, c.inviteTcp))
    {
        c.rec.finalStatus = 0;
        EndCall(c, SIP_CALL_FAILED, "cannot resolve " + uri);
        return;
    }
    OpenMedia(c);
    if (!c.rtp)
    {
        EndCall(c, SIP_CALL_FAILED, "no free RTP port");
        return;
    }
    c.inviteBranch = NewBranch();
    c.inviteVia = Via(c.inviteBranch);
    SipTextMessage req = SipTextMessage::Request("INVITE", uri);
    req.AddHeader("Via", c.inviteVia);
    req.AddHeader("Max-Forwards", "70");
    req.AddHeader("From", c.localNameAddr + ";tag=" + c.localTag);
    req.AddHeader("To", c.remoteNameAddr);
    req.AddHeader("Call-ID", c.rec.callId);
    req.AddHeader("CSeq", std::to_string(c.inviteCseq) + " INVITE");
    req.AddHeader("Contact", ContactValue());
    req.AddHeader("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS");
    req.SetBody(BuildSdp(c), "application/sdp");
    c.rec.inviteSent = Simulator::Now();
    c.rec.inviteTransmissions = 1;
    SetState(c, SIP_CALL_CALLING);
    SendRequest(req,
                SipMethod::INVITE,
                c.inviteBranch,
                c.inviteTo,
                c.invitePort,
                c.inviteTcp,
                nullptr,
                index);
    auto it = m_clientTx.find(ClientKey(c.inviteBranch, SipMethod::INVITE));
    if (it != m_clientTx.end())
    {
        c.inviteConn = it->second.conn;
    }
    Time limit = c.cancelAfter.IsStrictlyPositive() ? c.cancelAfter : m_noAnswerTimeout;
    if (limit.IsStrictlyPositive())
    {
        c.cancelEvent = Simulator::Schedule(limit, &SipUserAgent::NoAnswer, this, index);
    }
}

void
SipUserAgent::NoAnswer(uint32_t index)
{
    CallData& c = m_calls[index];
    if (c.rec.state == SIP_CALL_CALLING || c.rec.state == SIP_CALL_PROCEEDING ||
        c.rec.state == SIP_CALL_RINGING)
    {
        SendCancel(index, "no answer");
    }
}

void
SipUserAgent::DoHangup(uint32_t index)
{
    CallData& c = m_calls[index];
    switch (c.rec.state)
    {
    case SIP_CALL_IDLE:
        EndCall(c, SIP_CALL_CANCELLED, "hung up before the INVITE");
        break;
    case SIP_CALL_CALLING:
    case SIP_CALL_PROCEEDING:
    case SIP_CALL_RINGING:
        if (c.rec.outgoing)
        {
            SendCancel(index, "hung up before answer");
        }
        else
        {
            // UAS declines a ringing call
            c.answerEvent.Cancel();
            SipMessage req;
            ParseSipMessage(SipBytes(c.inviteRequest), c.inviteRequest.size(), req);
            c.rec.finalStatus = 603;
            SendResponse(c.serverKey, req, c.inviteRequest, 603, c.localTag, "");
            EndCall(c, SIP_CALL_FAILED, "declined (603)");
        }
        break;
    case SIP_CALL_ANSWERED:
    case SIP_CALL_CONFIRMED:
        SendBye(index, "BYE sent");
        break;
    default:
        break;
    }
}

void
SipUserAgent::SendCancel(uint32_t index, const std::string& reason)
{
    CallData& c = m_calls[index];
    if (c.cancelSent && !c.cancelPending)
    {
        return;
    }
    c.cancelSent = true;
    c.rec.endReason = reason;
    auto it = m_clientTx.find(ClientKey(c.inviteBranch, SipMethod::INVITE));
    if (it == m_clientTx.end() || !it->second.provisional)
    {
        // RFC 3261 9.1: no CANCEL before a provisional response; it goes out when one arrives
        // (or the INVITE times out).
        c.cancelPending = true;
        return;
    }
    c.cancelPending = false;
    SipTextMessage req = SipTextMessage::Request("CANCEL", c.requestUri);
    req.AddHeader("Via", c.inviteVia);
    req.AddHeader("Max-Forwards", "70");
    req.AddHeader("From", c.localNameAddr + ";tag=" + c.localTag);
    req.AddHeader("To", c.remoteNameAddr);
    req.AddHeader("Call-ID", c.rec.callId);
    req.AddHeader("CSeq", std::to_string(c.inviteCseq) + " CANCEL");
    SendRequest(req,
                SipMethod::CANCEL,
                c.inviteBranch,
                c.inviteTo,
                c.invitePort,
                c.inviteTcp,
                c.inviteConn,
                index);
    // RFC 3261 9.1: give up 64 x T1 after the CANCEL if the INVITE never completes.
    c.cancelEvent.Cancel();
    c.cancelEvent = Simulator::Schedule(m_t1 * 64, [this, index]() {
        CallData& cc = m_calls[index];
        if (cc.rec.state == SIP_CALL_CALLING || cc.rec.state == SIP_CALL_PROCEEDING ||
            cc.rec.state == SIP_CALL_RINGING)
        {
            EndTransaction(ClientKey(cc.inviteBranch, SipMethod::INVITE));
            EndCall(cc, SIP_CALL_CANCELLED, cc.rec.endReason + " (no 487)");
        }
    });
}

SipTextMessage
SipUserAgent::InDialogRequest(CallData& c,
                              const std::string& method,
                              uint32_t cseq,
                              Ipv4Address& to,
                              uint16_t& port,
                              bool& tcp)
{
    std::string target = c.rec.remoteContact.empty() ? c.requestUri : c.rec.remoteContact;
    SipTextMessage req = SipTextMessage::Request(method, target);
    req.AddHeader("Max-Forwards", "70");
    // our side is From in requests we send, whichever end created the dialog
    req.AddHeader("From", c.localNameAddr + ";tag=" + c.localTag);
    req.AddHeader("To", c.remoteNameAddr + (c.remoteTag.empty() ? "" : ";tag=" + c.remoteTag));
    req.AddHeader("Call-ID", c.rec.callId);
    req.AddHeader("CSeq", std::to_string(cseq) + " " + method);
    for (const std::string& r : c.routeSet)
    {
        req.AddHeader("Route", r);
    }
    // First hop: the first Route (loose routing), else the remote target.
    std::string hop = target;
    if (!c.routeSet.empty())
    {
        std::string r = c.routeSet.front();
        std::size_t lt = r.find('<');
        std::size_t gt = r.find('>');
        hop =
            lt != std::string::npos && gt != std::string::npos ? r.substr(lt + 1, gt - lt - 1) : r;
    }
    if (!Resolve(hop, true, to, port, tcp))
    {
        to = c.inviteTo;
        port = c.invitePort;
    }
    return req;
}

void
SipUserAgent::SendAck(CallData& c, const std::string& sdp)
{
    Ipv4Address to;
    uint16_t port;
    bool tcp;
    SipTextMessage ack = InDialogRequest(c, "ACK", c.inviteCseq, to, port, tcp);
    ack.PrependHeader("Via", Via(NewBranch()));
    ack.AddHeader("User-Agent", m_userAgentName);
    if (!sdp.empty())
    {
        ack.SetBody(sdp, "application/sdp");
    }
    c.lastAck = ack.ToString();
    c.ackTo = to;
    c.ackPort = port;
    c.ackTcp = tcp;
    SendRaw(c.lastAck, to, port, tcp, nullptr);
}

void
SipUserAgent::SendBye(uint32_t index, const std::string& reason)
{
    CallData& c = m_calls[index];
    if (c.rec.state != SIP_CALL_ANSWERED && c.rec.state != SIP_CALL_CONFIRMED)
    {
        return;
    }
    c.hangupEvent.Cancel();
    c.retransmit2xx.Cancel();
    c.ackTimeout.Cancel();
    Ipv4Address to;
    uint16_t port;
    bool tcp;
    uint32_t cseq = ++c.localCseq;
    SipTextMessage bye = InDialogRequest(c, "BYE", cseq, to, port, tcp);
    std::string branch = NewBranch();
    bye.PrependHeader("Via", Via(branch));
    c.rec.ended = Simulator::Now();
    c.rec.endReason = reason;
    if (c.rtp)
    {
        c.rtp->StopSending(); // the RTCP BYE carries our last report; keep receiving until 200
    }
    SetState(c, SIP_CALL_TERMINATING);
    SendRequest(bye, SipMethod::BYE, branch, to, port, tcp, nullptr, index);
}

void
SipUserAgent::SendReInvite(uint32_t index, SdpDirection dir)
{
    CallData& c = m_calls[index];
    if (c.rec.state != SIP_CALL_CONFIRMED || c.reinviteOutstanding)
    {
        NS_LOG_WARN(m_user << ": re-INVITE on call " << index << " skipped (state "
                           << SipCallStateName(c.rec.state) << ")");
        return;
    }
    c.prevDirection = c.localDirection;
    c.localDirection = dir;
    c.answeredDirection = dir;
    c.rec.onHold = dir != SdpDirection::SENDRECV;
    ++c.sdpVersion;
    Ipv4Address to;
    uint16_t port;
    bool tcp;
    uint32_t cseq = ++c.localCseq;
    c.inviteCseq = cseq;
    SipTextMessage req = InDialogRequest(c, "INVITE", cseq, to, port, tcp);
    std::string branch = NewBranch();
    req.PrependHeader("Via", Via(branch));
    req.AddHeader("Contact", ContactValue());
    req.SetBody(BuildSdp(c), "application/sdp");
    c.reinviteOutstanding = true;
    SendRequest(req, SipMethod::INVITE, branch, to, port, tcp, nullptr, index, true);
}

void
SipUserAgent::InviteResponse(CallData& c,
                             const SipMessage& msg,
                             const std::string& text,
                             bool reinvite)
{
    uint32_t code = msg.statusCode;
    std::string key = ClientKey(msg.vias.empty() ? "" : msg.vias[0].branch, SipMethod::INVITE);
    if (reinvite)
    {
        if (code < 200)
        {
            return;
        }
        EndTransaction(key);
        c.reinviteOutstanding = false;
        if (code < 300)
        {
            ApplyRemoteSdp(c, msg);
            SendAck(c, "");
            ++c.rec.reInvites;
            UpdateMedia(c);
        }
        else
        {
            // non-2xx: ACK in the transaction, keep the old media state
            SipTextMessage ack = SipTextMessage::Request("ACK", c.rec.remoteContact);
            ack.AddHeader("Via", msg.vias.empty() ? Via(NewBranch()) : msg.vias[0].span.Text(text));
            ack.AddHeader("Max-Forwards", "70");
            ack.AddHeader("From", c.localNameAddr + ";tag=" + c.localTag);
            ack.AddHeader("To", HeaderValue(msg, SipHeaderId::TO));
            ack.AddHeader("Call-ID", c.rec.callId);
            ack.AddHeader("CSeq", std::to_string(msg.cseq) + " ACK");
            Ipv4Address to;
            uint16_t port;
            bool tcp;
            InDialogRequest(c, "ACK", msg.cseq, to, port, tcp);
            SendRaw(ack.ToString(), to, port, tcp, nullptr);
            c.localDirection = c.prevDirection;
            c.answeredDirection = c.prevDirection;
            c.rec.onHold = c.localDirection != SdpDirection::SENDRECV;
        }
        return;
    }
    if (c.rec.firstResponse.IsZero())
    {
        c.rec.firstResponse = Simulator::Now();
    }
    auto it = m_clientTx.find(key);
    if (code < 200)
    {
        if (it != m_clientTx.end())
        {
            it->second.provisional = true;
            it->second.retransmit.Cancel();
        }
        if (code == 100 && c.rec.state == SIP_CALL_CALLING)
        {
            SetState(c, SIP_CALL_PROCEEDING);
        }
        else if (code > 100 &&
                 (c.rec.state == SIP_CALL_CALLING || c.rec.state == SIP_CALL_PROCEEDING))
        {
            c.rec.ringing = Simulator::Now();
            SetState(c, SIP_CALL_RINGING);
        }
        if (c.cancelPending && it != m_clientTx.end())
        {
            // a CANCEL was waiting for this provisional response
            SendCancel(c.rec.index, c.rec.endReason);
        }
        return;
    }
    EndTransaction(key);
    if (code < 300)
    {
        if (c.rec.state == SIP_CALL_CONFIRMED || c.rec.state == SIP_CALL_TERMINATING ||
            c.rec.state == SIP_CALL_TERMINATED)
        {
            // a retransmitted 200: our ACK was lost
            if (!c.lastAck.empty())
            {
                SendRaw(c.lastAck, c.ackTo, c.ackPort, c.ackTcp, nullptr);
            }
            return;
        }
        if (c.rec.state != SIP_CALL_CALLING && c.rec.state != SIP_CALL_PROCEEDING &&
            c.rec.state != SIP_CALL_RINGING)
        {
            return;
        }
        c.cancelEvent.Cancel();
        c.rec.answered = Simulator::Now();
        c.rec.finalStatus = code;
        c.remoteTag = msg.to.tag;
        if (!msg.contacts.empty())
        {
            c.rec.remoteContact = msg.contacts[0].uri.span.Text(text);
        }
        c.routeSet.clear();
        for (auto r = msg.recordRoutes.rbegin(); r != msg.recordRoutes.rend(); ++r)
        {
            c.routeSet.push_back(r->span.Text(text));
        }
        ApplyRemoteSdp(c, msg);
        SendAck(c, "");
        c.rec.confirmed = Simulator::Now();
        SetState(c, SIP_CALL_CONFIRMED);
        UpdateMedia(c);
        if (c.cancelSent)
        {
            // answered while our CANCEL was under way: hang up (RFC 3261 9.1)
            SendBye(c.rec.index, c.rec.endReason + " (answered anyway)");
        }
        else if (c.duration.IsStrictlyPositive())
        {
            c.hangupEvent = Simulator::Schedule(c.duration,
                                                &SipUserAgent::SendBye,
                                                this,
                                                c.rec.index,
                                                std::string("BYE sent"));
        }
        return;
    }
    // 3xx-6xx: ACK within the INVITE transaction (same branch and Request-URI).
    SipTextMessage ack = SipTextMessage::Request("ACK", c.requestUri);
    ack.AddHeader("Via", c.inviteVia);
    ack.AddHeader("Max-Forwards", "70");
    ack.AddHeader("From", c.localNameAddr + ";tag=" + c.localTag);
    ack.AddHeader("To", HeaderValue(msg, SipHeaderId::TO));
    ack.AddHeader("Call-ID", c.rec.callId);
    ack.AddHeader("CSeq", std::to_string(c.inviteCseq) + " ACK");
    c.lastAck = ack.ToString();
    c.ackTo = c.inviteTo;
    c.ackPort = c.invitePort;
    c.ackTcp = c.inviteTcp;
    c.inviteConn = SendRaw(c.lastAck, c.inviteTo, c.invitePort, c.inviteTcp, c.inviteConn);
    if (c.rec.state == SIP_CALL_CANCELLED || c.rec.state == SIP_CALL_FAILED)
    {
        return; // a retransmitted final response
    }
    c.rec.finalStatus = code;
    std::string reason = std::to_string(code) + " " + std::string(msg.reason);
    if (code == 487 && c.cancelSent)
    {
        EndCall(c, SIP_CALL_CANCELLED, c.rec.endReason + " (CANCEL, 487)");
    }
    else
    {
        EndCall(c, SIP_CALL_FAILED, reason);
    }
}

// ---- server side -----------------------------------------------------------------------------

namespace
{
/// The direction to answer an offer with, given what we want.
SdpDirection
AnswerDirection(SdpDirection local, SdpDirection offer)
{
    return MakeDir(DirSends(local) && DirReceives(offer), DirReceives(local) && DirSends(offer));
}
} // namespace

std::string
SipUserAgent::OpenServerTx(const SipMessage& msg,
                           const std::string&,
                           Ipv4Address from,
                           uint16_t port,
                           Ptr<Socket> conn)
{
    std::string key = ServerKey(msg);
    ServerTx& tx = m_serverTx[key];
    tx.expire.Cancel();
    tx.lastResponse.clear();
    if (conn)
    {
        tx.tcp = true;
        tx.conn = conn;
        tx.to = from;
        tx.port = port;
    }
    else
    {
        // RFC 3261 18.2.2 with RFC 3581: the source address (what `received` would say), and
        // the source port when the client asked for rport, else the sent-by port.
        const SipVia& v = msg.vias[0];
        tx.tcp = false;
        tx.to = from;
        tx.port = v.hasRport ? port : v.EffectivePort();
    }
    return key;
}

std::string
SipUserAgent::SendResponse(const std::string& key,
                           const SipMessage& req,
                           const std::string& reqText,
                           uint32_t code,
                           const std::string& toTag,
                           const std::string& body,
                           const std::vector<std::pair<std::string, std::string>>& extra)
{
    std::string text = BuildResponse(req, reqText, code, toTag, body, extra);
    SendResponseText(key, text, code);
    return text;
}

std::string
SipUserAgent::BuildResponse(const SipMessage& req,
                            const std::string& reqText,
                            uint32_t code,
                            const std::string& toTag,
                            const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& extra) const
{
    SipTextMessage r = SipTextMessage::Response(code);
    for (const SipVia& v : req.vias)
    {
        r.AddHeader("Via", v.span.Text(reqText));
    }
    r.AddHeader("From", HeaderValue(req, SipHeaderId::FROM));
    std::string to = HeaderValue(req, SipHeaderId::TO);
    if (!toTag.empty() && !req.to.hasTag && code > 100)
    {
        to += ";tag=" + toTag;
    }
    r.AddHeader("To", to);
    r.AddHeader("Call-ID", req.callId);
    r.AddHeader("CSeq", HeaderValue(req, SipHeaderId::CSEQ));
    if (req.methodId == SipMethod::INVITE && code > 100 && code < 300)
    {
        // RFC 3261 12.1.1: dialog-creating responses carry the request's Record-Route
        for (const SipNameAddr& rr : req.recordRoutes)
        {
            r.AddHeader("Record-Route", rr.span.Text(reqText));
        }
    }
    for (const auto& h : extra)
    {
        r.AddHeader(h.first, h.second);
    }
    r.AddHeader("Server", m_userAgentName);
    if (!body.empty())
    {
        r.SetBody(body, "application/sdp");
    }
    return r.ToString();
}

void
SipUserAgent::SendResponseText(const std::string& key, const std::string& text, uint32_t code)
{
    auto it = m_serverTx.find(key);
    if (it == m_serverTx.end())
    {
        return;
    }
    it->second.lastResponse = text;
    if (!SendInServerTx(key, text))
    {
        return;
    }
    it = m_serverTx.find(key);
    if (code >= 200 && !it->second.expire.IsRunning())
    {
        it->second.expire =
            Simulator::Schedule(m_t1 * 64, [this, key]() { m_serverTx.erase(key); });
    }
}

bool
SipUserAgent::SendInServerTx(const std::string& key, const std::string& text)
{
    auto it = m_serverTx.find(key);
    if (it == m_serverTx.end())
    {
        return false;
    }
    Ptr<Socket> used =
        SendRaw(text, it->second.to, it->second.port, it->second.tcp, it->second.conn);
    // A reference into m_serverTx is not kept across the send: what the send delivers at once
    // may change the table.
    it = m_serverTx.find(key);
    if (it == m_serverTx.end())
    {
        return false;
    }
    it->second.conn = used;
    return true;
}

int64_t
SipUserAgent::FindCallIndex(const SipMessage& msg) const
{
    for (int64_t i = static_cast<int64_t>(m_calls.size()) - 1; i >= 0; --i)
    {
        const CallData& c = m_calls[i];
        if (c.rec.callId != msg.callId)
        {
            continue;
        }
        if (msg.isRequest && msg.to.hasTag && msg.to.tag != c.localTag)
        {
            continue;
        }
        return i;
    }
    return -1;
}

void
SipUserAgent::Receive(const std::string& text,
                      const SipMessage& msg,
                      Ipv4Address from,
                      uint16_t port,
                      Ptr<Socket> conn)
{
    m_rxTrace(text, from, port);
    NS_LOG_INFO(m_user << " <- " << from << ":" << port << " " << text.substr(0, text.find('\r')));
    if (!m_running)
    {
        return;
    }
    if (msg.isRequest)
    {
        HandleRequest(msg, text, from, port, conn);
    }
    else
    {
        HandleResponse(msg, text);
    }
}

void
SipUserAgent::HandleRequest(const SipMessage& msg,
                            const std::string& text,
                            Ipv4Address from,
                            uint16_t port,
                            Ptr<Socket> conn)
{
    if (msg.vias.empty() || !msg.hasCallId || !msg.hasCSeq || !msg.hasFrom || !msg.hasTo)
    {
        NS_LOG_WARN(m_user << ": request without Via/Call-ID/CSeq/From/To dropped");
        return;
    }
    if (msg.methodId == SipMethod::ACK)
    {
        HandleAck(msg, text);
        return;
    }
    std::string key = ServerKey(msg);
    auto it = m_serverTx.find(key);
    if (it != m_serverTx.end())
    {
        // a retransmission: answer with the last response again
        if (!it->second.lastResponse.empty())
        {
            SendInServerTx(key, it->second.lastResponse);
        }
        return;
    }
    key = OpenServerTx(msg, text, from, port, conn);
    switch (msg.methodId)
    {
    case SipMethod::INVITE:
        if (msg.to.hasTag)
        {
            int64_t idx = FindCallIndex(msg);
            if (idx < 0)
            {
                SendResponse(key, msg, text, 481, "", "");
                return;
            }
            HandleReInvite(m_calls[idx], msg, text, key);
            return;
        }
        IncomingInvite(msg, text, key);
        return;
    case SipMethod::BYE:
        HandleBye(msg, text, key);
        return;
    case SipMethod::CANCEL:
        HandleCancel(msg, text, key);
        return;
    case SipMethod::OPTIONS:
        SendResponse(key,
                     msg,
                     text,
                     200,
                     NewTag(),
                     "",
                     {{"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS"},
                      {"Accept", "application/sdp"},
                      {"Contact", ContactValue()}});
        return;
    case SipMethod::REGISTER:
        SendResponse(key,
                     msg,
                     text,
                     405,
                     NewTag(),
                     "",
                     {{"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS"}});
        return;
    default:
        SendResponse(key,
                     msg,
                     text,
                     501,
                     NewTag(),
                     "",
                     {{"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS"}});
        return;
    }
}

void
SipUserAgent::IncomingInvite(const SipMessage& msg, const std::string& text, const std::string& key)
{
    CallData fresh;
    fresh.rec.index = static_cast<uint32_t>(m_calls.size());
    m_calls.push_back(fresh);
    CallData& c = m_calls.back();
    uint32_t index = c.rec.index;
    c.rec.outgoing = false;
    c.rec.callId = msg.callId;
    c.rec.remoteUri = msg.from.uri.span.Text(text);
    c.rec.localUri = msg.to.uri.span.Text(text);
    c.localTag = NewTag();
    c.remoteTag = msg.from.tag;
    c.localNameAddr = HeaderValue(msg, SipHeaderId::TO);
    c.remoteNameAddr = StripTag(HeaderValue(msg, SipHeaderId::FROM));
    c.requestUri = msg.requestUriSpan.Text(text);
    if (!msg.contacts.empty())
    {
        c.rec.remoteContact = msg.contacts[0].uri.span.Text(text);
    }
    for (const SipNameAddr& r : msg.recordRoutes)
    {
        c.routeSet.push_back(r.span.Text(text));
    }
    c.remoteCseq = msg.cseq;
    c.inviteCseq = msg.cseq;
    c.localCseq = 1 + m_rng->GetInteger(0, 9999);
    c.inviteRequest = text;
    c.serverKey = key;
    c.serverBranch = msg.vias[0].branch;
    c.sdpSessionId = m_rng->GetInteger(1, 0x7fffffff);
    c.sdpVersion = 1;
    c.rec.inviteSent = Simulator::Now();
    SetState(c, SIP_CALL_PROCEEDING);
    SendResponse(key, msg, text, 100, "", "");
    OpenMedia(c);
    if (!c.rtp)
    {
        c.rec.finalStatus = 500;
        SendResponse(key, msg, text, 500, c.localTag, "");
        EndCall(c, SIP_CALL_FAILED, "no free RTP port");
        return;
    }
    c.localDirection = SdpDirection::SENDRECV;
    if (ApplyRemoteSdp(c, msg))
    {
        c.answeredDirection = AnswerDirection(c.localDirection, c.remoteDir);
    }
    else
    {
        c.offerInAck = true; // late offer: we offer in the 200, the answer comes in the ACK
        c.answeredDirection = c.localDirection;
    }
    SendResponse(key, msg, text, 180, c.localTag, "", {{"Contact", ContactValue()}});
    c.rec.ringing = Simulator::Now();
    SetState(c, SIP_CALL_RINGING);
    if (m_autoAnswer)
    {
        c.answerEvent = Simulator::Schedule(m_ringTime, &SipUserAgent::Answer, this, index);
    }
}

void
SipUserAgent::Answer(uint32_t index)
{
    CallData& c = m_calls[index];
    if (c.rec.state != SIP_CALL_RINGING && c.rec.state != SIP_CALL_PROCEEDING)
    {
        return;
    }
    SipMessage req;
    ParseSipMessage(SipBytes(c.inviteRequest), c.inviteRequest.size(), req);
    if (m_answerCode >= 300)
    {
        c.rec.finalStatus = m_answerCode;
        SendResponse(c.serverKey, req, c.inviteRequest, m_answerCode, c.localTag, "");
        EndCall(c, SIP_CALL_FAILED, "rejected " + std::to_string(m_answerCode));
        return;
    }
    // Answered before the 200 goes: its ACK may arrive during the send (UDP on the same node).
    c.final2xx = BuildResponse(
        req,
        c.inviteRequest,
        200,
        c.localTag,
        BuildSdp(c),
        {{"Contact", ContactValue()}, {"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS"}});
    c.rec.answered = Simulator::Now();
    c.rec.finalStatus = 200;
    SetState(c, SIP_CALL_ANSWERED);
    SendResponseText(c.serverKey, std::string(c.final2xx), 200); // (the ACK clears final2xx)
    UpdateMedia(c);
    if (c.final2xx.empty())
    {
        return; // acknowledged during the send
    }
    auto it = m_serverTx.find(c.serverKey);
    c.final2xxInterval = m_t1;
    if (it != m_serverTx.end() && !it->second.tcp)
    {
        c.retransmit2xx = Simulator::Schedule(m_t1, &SipUserAgent::Retransmit2xx, this, index);
    }
    c.ackTimeout = Simulator::Schedule(m_t1 * 64, &SipUserAgent::AckTimeout, this, index);
}

void
SipUserAgent::Retransmit2xx(uint32_t index)
{
    CallData& c = m_calls[index];
    auto it = m_serverTx.find(c.serverKey);
    if (c.final2xx.empty() || it == m_serverTx.end())
    {
        return;
    }
    SendInServerTx(c.serverKey, c.final2xx);
    c.final2xxInterval = std::min(c.final2xxInterval * 2, m_t2);
    c.retransmit2xx =
        Simulator::Schedule(c.final2xxInterval, &SipUserAgent::Retransmit2xx, this, index);
}

void
SipUserAgent::AckTimeout(uint32_t index)
{
    CallData& c = m_calls[index];
    c.retransmit2xx.Cancel();
    c.final2xx.clear();
    if (c.rec.state == SIP_CALL_ANSWERED)
    {
        // RFC 3261 13.3.1.4: no ACK for the 2xx: end the dialog with BYE
        SendBye(index, "no ACK (BYE sent)");
    }
}

void
SipUserAgent::HandleAck(const SipMessage& msg, const std::string& text)
{
    (void)text;
    int64_t idx = FindCallIndex(msg);
    if (idx < 0)
    {
        return;
    }
    CallData& c = m_calls[idx];
    if (c.final2xx.empty() || msg.cseq != c.remoteCseq)
    {
        return; // ACK of a non-2xx (absorbed) or a stale one
    }
    c.retransmit2xx.Cancel();
    c.ackTimeout.Cancel();
    c.final2xx.clear();
    if (c.offerInAck && ApplyRemoteSdp(c, msg))
    {
        c.offerInAck = false;
    }
    if (c.rec.state == SIP_CALL_ANSWERED)
    {
        c.rec.confirmed = Simulator::Now();
        SetState(c, SIP_CALL_CONFIRMED);
        if (!c.rec.outgoing && m_calleeHangup.IsStrictlyPositive())
        {
            c.hangupEvent = Simulator::Schedule(m_calleeHangup,
                                                &SipUserAgent::SendBye,
                                                this,
                                                c.rec.index,
                                                std::string("BYE sent"));
        }
    }
    UpdateMedia(c);
}

void
SipUserAgent::HandleBye(const SipMessage& msg, const std::string& text, const std::string& key)
{
    int64_t idx = FindCallIndex(msg);
    if (idx < 0)
    {
        SendResponse(key, msg, text, 481, NewTag(), "");
        return;
    }
    CallData& c = m_calls[idx];
    if (c.rec.state == SIP_CALL_ANSWERED || c.rec.state == SIP_CALL_CONFIRMED ||
        c.rec.state == SIP_CALL_TERMINATING)
    {
        // media first: our RTCP BYE (with the last report) leaves before the 200
        EndCall(c, SIP_CALL_TERMINATED, "BYE received");
    }
    SendResponse(key, msg, text, 200, c.localTag, "");
}

void
SipUserAgent::HandleCancel(const SipMessage& msg, const std::string& text, const std::string& key)
{
    for (CallData& c : m_calls)
    {
        if (c.rec.outgoing || c.rec.callId != msg.callId || c.serverBranch != msg.vias[0].branch)
        {
            continue;
        }
        SendResponse(key, msg, text, 200, c.localTag, "");
        if (c.rec.state == SIP_CALL_PROCEEDING || c.rec.state == SIP_CALL_RINGING)
        {
            c.answerEvent.Cancel();
            SipMessage req;
            ParseSipMessage(SipBytes(c.inviteRequest), c.inviteRequest.size(), req);
            c.rec.finalStatus = 487;
            SendResponse(c.serverKey, req, c.inviteRequest, 487, c.localTag, "");
            EndCall(c, SIP_CALL_CANCELLED, "CANCEL received");
        }
        return;
    }
    SendResponse(key, msg, text, 481, NewTag(), "");
}

void
SipUserAgent::HandleReInvite(CallData& c,
                             const SipMessage& msg,
                             const std::string& text,
                             const std::string& key)
{
    if (c.rec.state != SIP_CALL_CONFIRMED)
    {
        SendResponse(key, msg, text, c.rec.state == SIP_CALL_ANSWERED ? 491 : 481, c.localTag, "");
        return;
    }
    if (msg.cseq <= c.remoteCseq)
    {
        SendResponse(key, msg, text, 500, c.localTag, "");
        return;
    }
    if (c.reinviteOutstanding)
    {
        SendResponse(key, msg, text, 491, c.localTag, "");
        return;
    }
    c.remoteCseq = msg.cseq;
    if (!msg.contacts.empty())
    {
        c.rec.remoteContact = msg.contacts[0].uri.span.Text(text);
    }
    if (ApplyRemoteSdp(c, msg))
    {
        c.answeredDirection = AnswerDirection(c.localDirection, c.remoteDir);
        c.offerInAck = false;
    }
    else
    {
        c.answeredDirection = c.localDirection;
        c.offerInAck = true;
    }
    ++c.sdpVersion;
    c.serverKey = key;
    // Ready for the ACK before the 200 goes: it may arrive during the send (see Answer).
    c.final2xx =
        BuildResponse(msg, text, 200, c.localTag, BuildSdp(c), {{"Contact", ContactValue()}});
    ++c.rec.reInvites;
    SendResponseText(key, std::string(c.final2xx), 200); // (the ACK clears final2xx)
    UpdateMedia(c);
    if (c.final2xx.empty())
    {
        return; // acknowledged during the send
    }
    auto it = m_serverTx.find(key);
    c.final2xxInterval = m_t1;
    c.retransmit2xx.Cancel();
    if (it != m_serverTx.end() && !it->second.tcp)
    {
        c.retransmit2xx =
            Simulator::Schedule(m_t1, &SipUserAgent::Retransmit2xx, this, c.rec.index);
    }
    c.ackTimeout.Cancel();
    c.ackTimeout = Simulator::Schedule(m_t1 * 64, &SipUserAgent::AckTimeout, this, c.rec.index);
}

void
SipUserAgent::HandleResponse(const SipMessage& msg, const std::string& text)
{
    if (msg.vias.empty() || !msg.hasCSeq)
    {
        return;
    }
    std::string key = ClientKey(msg.vias[0].branch, msg.cseqMethodId);
    auto it = m_clientTx.find(key);
    if (it == m_clientTx.end())
    {
        // A final response retransmitted after the transaction ended: re-send our ACK.
        if (msg.cseqMethodId == SipMethod::INVITE && msg.statusCode >= 200)
        {
            // by index: what the send delivers at once may add a call (deque iterators would
            // not survive it)
            for (std::size_t i = 0; i < m_calls.size(); ++i)
            {
                const CallData& c = m_calls[i];
                if (c.rec.outgoing && c.rec.callId == msg.callId && !c.lastAck.empty() &&
                    msg.cseq == c.inviteCseq)
                {
                    SendRaw(c.lastAck, c.ackTo, c.ackPort, c.ackTcp, nullptr);
                }
            }
        }
        return;
    }
    ClientTx& tx = it->second;
    uint32_t code = msg.statusCode;
    switch (tx.method)
    {
    case SipMethod::REGISTER:
        RegisterResponse(msg, text);
        return;
    case SipMethod::INVITE:
        if (tx.call >= 0)
        {
            InviteResponse(m_calls[tx.call], msg, text, tx.reinvite);
        }
        else
        {
            EndTransaction(key);
        }
        return;
    default:
        break;
    }
    if (code < 200)
    {
        tx.provisional = true;
        return;
    }
    SipMethod method = tx.method;
    int64_t call = tx.call;
    EndTransaction(key);
    if (method == SipMethod::BYE && call >= 0)
    {
        CallData& c = m_calls[call];
        if (c.rec.state == SIP_CALL_TERMINATING)
        {
            EndCall(c, SIP_CALL_TERMINATED, c.rec.endReason);
        }
    }
    else if (method == SipMethod::OPTIONS)
    {
        m_optionsResponses.push_back(code);
    }
}

} // namespace ns3
