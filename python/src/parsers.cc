/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The module's pure parsers (no simulation) for offline analysis of captured payloads:
// SIP and SDP, FTP address commands, TFTP, RTSP, PPTP control messages and the rsh start.
// Each takes the payload bytes (bytes or str) and returns plain Python dicts and lists.

#include "bindings.h"

#include "ns3/flow-tuple.h"
#include "ns3/ftp-parser.h"
#include "ns3/pptp-parser.h"
#include "ns3/rsh-parser.h"
#include "ns3/rtsp-parser.h"
#include "ns3/sdp-message.h"
#include "ns3/sip-message.h"
#include "ns3/text-util.h"
#include "ns3/tftp-parser.h"

#include <cctype>
#include <pybind11/stl.h>

namespace py = pybind11;
using namespace ns3;

namespace
{

const uint8_t*
Bytes(const std::string& s)
{
    return reinterpret_cast<const uint8_t*>(s.data());
}

py::list
Pairs(const std::vector<std::pair<std::string, std::string>>& v)
{
    py::list l;
    for (const auto& [k, val] : v)
    {
        l.append(py::make_tuple(k, val));
    }
    return l;
}

/// (name, value) tuples of header fields \p v (SIP or RTSP), in order.
template <class Header, class Name>
py::list
NameValues(const std::vector<Header>& v, Name Header::*name)
{
    py::list l;
    for (const auto& h : v)
    {
        l.append(py::make_tuple(h.*name, h.value));
    }
    return l;
}

/// \return a Python str of a parsed text field
py::str
PyStr(std::string_view v)
{
    return py::str(v.data(), v.size());
}

/// Parameter names in lower case (they are case-insensitive), values as parsed.
py::dict
Params(const SipParamList& params)
{
    py::dict d;
    for (const auto& p : params)
    {
        d[py::str(AsciiLowerCopy(p.name))] =
            p.hasValue ? py::object(PyStr(p.value)) : py::object(py::none());
    }
    return d;
}

py::dict
Uri(const SipUri& u)
{
    py::dict d;
    d["scheme"] = u.scheme;
    d["user"] = u.hasUser ? py::object(PyStr(u.user)) : py::object(py::none());
    d["host"] = u.host;
    d["port"] = u.hasPort ? py::object(py::int_(u.port)) : py::object(py::none());
    d["params"] = Params(u.params);
    d["headers"] = u.headers;
    return d;
}

py::dict
NameAddr(const SipNameAddr& n)
{
    py::dict d;
    d["display_name"] = n.displayName;
    d["star"] = n.star;
    d["uri"] = Uri(n.uri);
    d["params"] = Params(n.params);
    d["tag"] = n.hasTag ? py::object(PyStr(n.tag)) : py::object(py::none());
    d["expires"] = n.hasExpires ? py::object(py::int_(n.expires)) : py::object(py::none());
    return d;
}

py::list
NameAddrs(const SipNameAddrList& v)
{
    py::list l;
    for (const auto& n : v)
    {
        l.append(NameAddr(n));
    }
    return l;
}

py::dict
SdpAddr(const SdpAddress& a)
{
    py::dict d;
    d["net_type"] = a.netType;
    d["addr_type"] = a.addrType;
    d["address"] = a.address;
    d["ttl"] = a.ttl;
    d["count"] = a.count;
    d["line"] = a.lineNumber;
    return d;
}

py::list
SdpAttrs(const std::vector<SdpAttribute>& v)
{
    py::list l;
    for (const auto& a : v)
    {
        l.append(
            py::make_tuple(a.name,
                           a.hasValue ? py::object(py::str(a.value)) : py::object(py::none())));
    }
    return l;
}

py::dict
Sdp(const SdpMessage& s)
{
    py::dict d;
    d["version"] = s.hasVersion ? py::object(py::int_(s.version)) : py::object(py::none());
    if (s.hasOrigin)
    {
        py::dict o;
        o["username"] = s.origin.username;
        o["session_id"] = s.origin.sessionId;
        o["session_version"] = s.origin.sessionVersion;
        o["address"] = SdpAddr(s.origin.address);
        d["origin"] = o;
    }
    else
    {
        d["origin"] = py::none();
    }
    d["session_name"] = s.sessionName;
    py::list conns;
    for (const auto& c : s.connections)
    {
        conns.append(SdpAddr(c));
    }
    d["connections"] = conns;
    d["attributes"] = SdpAttrs(s.attributes);
    d["direction"] = SdpDirectionName(s.direction);
    py::list media;
    for (std::size_t i = 0; i < s.media.size(); ++i)
    {
        const SdpMedia& m = s.media[i];
        py::dict md;
        md["media"] = m.media;
        md["port"] = m.port;
        md["port_count"] = m.portCount;
        md["proto"] = m.proto;
        md["formats"] = m.formats;
        const SdpAddress* c = s.ConnectionFor(i);
        md["connection"] = c ? py::object(py::str(c->address)) : py::object(py::none());
        md["rtcp_port"] = m.hasRtcp ? py::object(py::int_(m.rtcpPort)) : py::object(py::none());
        md["direction"] = SdpDirectionName(m.direction);
        md["attributes"] = SdpAttrs(m.attributes);
        md["line"] = m.lineNumber;
        media.append(md);
    }
    d["media"] = media;
    py::list viol;
    for (const auto& v : s.violations)
    {
        py::dict vd;
        vd["type"] = std::string(1, v.type);
        vd["line"] = v.lineNumber;
        vd["reason"] = v.reason;
        viol.append(vd);
    }
    d["violations"] = viol;
    d["valid"] = s.violations.empty();
    return d;
}

py::dict
ParseSip(const std::string& data, bool stream)
{
    SipMessage msg;
    SipParseOptions opt;
    opt.stream = stream;
    const SipParseStatus st = ParseSipMessage(Bytes(data), data.size(), msg, opt);
    py::dict d;
    std::string status = SipParseStatusName(st);
    for (char& c : status)
    {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    d["status"] = status; // ok, incomplete, error
    d["error"] = msg.error;
    d["consumed"] = msg.consumed;
    if (st != SipParseStatus::OK)
    {
        return d;
    }
    d["is_request"] = msg.isRequest;
    d["method"] = msg.isRequest ? py::object(PyStr(msg.method)) : py::object(py::none());
    d["request_uri"] = msg.isRequest ? py::object(Uri(msg.requestUri)) : py::object(py::none());
    d["status_code"] =
        msg.isRequest ? py::object(py::none()) : py::object(py::int_(msg.statusCode));
    d["reason"] = msg.isRequest ? py::object(py::none()) : py::object(PyStr(msg.reason));
    d["version"] = msg.version;
    d["headers"] = NameValues(msg.headers, &SipHeader::canonical);
    py::list vias;
    for (const auto& v : msg.vias)
    {
        py::dict vd;
        vd["transport"] = v.transport;
        vd["host"] = v.host;
        vd["port"] = v.EffectivePort();
        vd["branch"] = v.hasBranch ? py::object(PyStr(v.branch)) : py::object(py::none());
        vd["received"] = v.hasReceived ? py::object(PyStr(v.received)) : py::object(py::none());
        vd["rport"] =
            v.rportHasValue ? py::object(py::int_(v.rport)) : py::object(py::bool_(v.hasRport));
        vd["params"] = Params(v.params);
        vias.append(vd);
    }
    d["vias"] = vias;
    d["from"] = msg.hasFrom ? py::object(NameAddr(msg.from)) : py::object(py::none());
    d["to"] = msg.hasTo ? py::object(NameAddr(msg.to)) : py::object(py::none());
    d["contacts"] = NameAddrs(msg.contacts);
    d["record_routes"] = NameAddrs(msg.recordRoutes);
    d["routes"] = NameAddrs(msg.routes);
    d["call_id"] = msg.hasCallId ? py::object(PyStr(msg.callId)) : py::object(py::none());
    d["cseq"] = msg.hasCSeq ? py::object(py::int_(msg.cseq)) : py::object(py::none());
    d["cseq_method"] = msg.hasCSeq ? py::object(PyStr(msg.cseqMethod)) : py::object(py::none());
    d["expires"] = msg.hasExpires ? py::object(py::int_(msg.expires)) : py::object(py::none());
    d["max_forwards"] =
        msg.hasMaxForwards ? py::object(py::int_(msg.maxForwards)) : py::object(py::none());
    d["content_type"] = msg.contentType;
    d["content_length"] =
        msg.hasContentLength ? py::object(py::int_(msg.contentLength)) : py::object(py::none());
    d["body"] = py::bytes(data.substr(std::min(msg.bodyOffset, data.size()), msg.bodyLength));
    d["sdp"] = msg.hasSdp ? py::object(Sdp(msg.sdp)) : py::object(py::none());
    py::list viol;
    for (const auto& v : msg.violations)
    {
        py::dict vd;
        vd["check"] = SipCheckOptionName(v.check);
        vd["line"] = v.lineNumber;
        vd["reason"] = v.reason;
        viol.append(vd);
    }
    d["violations"] = viol;
    d["valid"] = msg.Valid();
    d["well_formed"] = msg.WellFormed();
    return d;
}

py::dict
ParseSdpBody(const std::string& data)
{
    SdpMessage s;
    ParseSdp(Bytes(data), data.size(), s);
    return Sdp(s);
}

py::list
FindFtp(const std::string& data, bool fromClient)
{
    py::list l;
    for (const auto& c : FindFtpAddressCommands(Bytes(data), data.size(), fromClient))
    {
        py::dict d;
        d["kind"] = FtpAddressKindName(c.kind);
        d["address"] = c.addr ? py::object(py::str(Ipv4ToString(c.addr))) : py::object(py::none());
        d["port"] = c.port;
        d["line"] = data.substr(c.lineStart, c.lineEnd - c.lineStart);
        d["text"] = data.substr(c.textOffset, c.textLength);
        l.append(d);
    }
    return l;
}

py::dict
ParseTftpPacket(const std::string& data)
{
    TftpPacket p;
    if (!ParseTftp(Bytes(data), data.size(), p))
    {
        throw py::value_error("not a valid TFTP packet (" + std::to_string(data.size()) +
                              " bytes)");
    }
    py::dict d;
    d["op"] = TftpOpName(p.op);
    switch (p.op)
    {
    case TftpPacket::RRQ:
    case TftpPacket::WRQ:
        d["filename"] = p.filename;
        d["mode"] = p.mode;
        d["options"] = Pairs(p.options);
        break;
    case TftpPacket::OACK:
        d["options"] = Pairs(p.options);
        break;
    case TftpPacket::DATA:
        d["block"] = p.block;
        d["data"] = py::bytes(data.substr(p.dataOffset, p.dataLength));
        break;
    case TftpPacket::ACK:
        d["block"] = p.block;
        break;
    case TftpPacket::ERROR:
        d["error_code"] = p.errorCode;
        d["error_message"] = p.errorMsg;
        break;
    }
    return d;
}

py::object
Range(const RtspPortRange& r)
{
    if (!r.present)
    {
        return py::none();
    }
    return py::make_tuple(r.lo, r.hi);
}

py::dict
ParseRtsp(const std::string& data)
{
    RtspMessage m;
    std::string error;
    const RtspParseStatus st = ParseRtspMessage(Bytes(data), data.size(), m, &error);
    py::dict d;
    d["status"] = st == RtspParseStatus::COMPLETE     ? "complete"
                  : st == RtspParseStatus::INCOMPLETE ? "incomplete"
                                                      : "invalid";
    d["error"] = error;
    if (st != RtspParseStatus::COMPLETE)
    {
        return d;
    }
    d["length"] = m.length;
    if (m.interleavedFrame)
    {
        d["interleaved_channel"] = m.channel;
        return d;
    }
    d["is_request"] = m.request;
    d["method"] = m.request ? py::object(py::str(m.method)) : py::object(py::none());
    d["uri"] = m.request ? py::object(py::str(m.uri)) : py::object(py::none());
    d["status_code"] = m.request ? py::object(py::none()) : py::object(py::int_(m.statusCode));
    d["reason"] = m.request ? py::object(py::none()) : py::object(py::str(m.reason));
    d["version"] = m.version;
    d["cseq"] = m.hasCSeq ? py::object(py::int_(m.cseq)) : py::object(py::none());
    d["session"] = m.session.empty() ? py::object(py::none()) : py::object(py::str(m.session));
    d["headers"] = NameValues(m.headers, &RtspHeaderField::name);
    py::list transports;
    for (const auto& t : m.transports)
    {
        py::dict td;
        td["protocol"] = t.protocol;
        td["profile"] = t.profile;
        td["lower_transport"] = t.lowerTransport;
        td["multicast"] = t.multicast;
        td["client_port"] = Range(t.clientPort);
        td["server_port"] = Range(t.serverPort);
        td["port"] = Range(t.port);
        td["destination"] =
            t.hasDestination ? py::object(py::str(t.destination)) : py::object(py::none());
        td["source"] = t.hasSource ? py::object(py::str(t.source)) : py::object(py::none());
        td["mode"] = t.mode;
        transports.append(td);
    }
    d["transports"] = transports;
    d["body"] = m.Body(Bytes(data));
    return d;
}

py::dict
PptpDict(const PptpMessage& m)
{
    py::dict d;
    d["type"] = m.type;
    d["name"] = PptpMessageName(m.type);
    d["length"] = m.length;
    d["call_id"] = m.callId;
    d["peer_call_id"] = m.peerCallId;
    d["call_serial"] = m.callSerial;
    d["result_code"] = m.resultCode;
    d["error_code"] = m.errorCode;
    d["host_name"] = m.hostName;
    d["vendor"] = m.vendor;
    d["phone_number"] = m.phoneNumber;
    return d;
}

py::dict
ParsePptp(const std::string& data)
{
    const PptpParseResult r = ParsePptpMessages(Bytes(data), data.size());
    py::dict d;
    d["status"] = r.status == PptpParseResult::OK           ? "ok"
                  : r.status == PptpParseResult::INCOMPLETE ? "incomplete"
                                                            : "malformed";
    py::list msgs;
    for (const auto& m : r.messages)
    {
        msgs.append(PptpDict(m));
    }
    d["messages"] = msgs;
    d["consumed"] = r.consumed;
    d["error"] = r.error;
    return d;
}

py::dict
ParseRsh(const std::string& data)
{
    RshStart s;
    if (!ParseRshStart(Bytes(data), data.size(), s))
    {
        throw py::value_error("not a complete rsh start (stderr port, users, command)");
    }
    py::dict d;
    d["stderr_port"] = s.hasStderr ? py::object(py::int_(s.stderrPort)) : py::object(py::none());
    d["local_user"] = s.localUser;
    d["remote_user"] = s.remoteUser;
    d["command"] = s.command;
    d["length"] = s.length;
    return d;
}

} // namespace

namespace fortigate_python
{

void
BindParsers(py::module_& m)
{
    m.def("parse_sip",
          &ParseSip,
          py::arg("data"),
          py::arg("stream") = false,
          "Parse one SIP message (a datagram, or with stream=True the start of a TCP stream).");
    m.def("parse_sdp", &ParseSdpBody, py::arg("data"), "Parse an SDP body.");
    m.def("find_ftp_address_commands",
          &FindFtp,
          py::arg("data"),
          py::arg("from_client"),
          "PORT/EPRT (client) or 227/229 (server) announcements in FTP control bytes.");
    m.def("parse_tftp", &ParseTftpPacket, py::arg("data"), "Parse one TFTP packet.");
    m.def("parse_rtsp", &ParseRtsp, py::arg("data"), "Parse one RTSP message.");
    m.def("parse_pptp",
          &ParsePptp,
          py::arg("data"),
          "Parse the PPTP control messages of one TCP segment.");
    m.def("parse_rsh_start", &ParseRsh, py::arg("data"), "Parse the start of an rsh connection.");
}

} // namespace fortigate_python
