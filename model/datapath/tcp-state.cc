/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tcp-state.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateTcpState");

bool
TcpStateUpdate(uint8_t (&states)[2], bool fromReply, uint8_t tcpFlags)
{
    const uint8_t old = states[0];
    const bool syn = tcpFlags & TCP_FLAG_SYN;
    const bool ack = tcpFlags & TCP_FLAG_ACK;
    const bool fin = tcpFlags & TCP_FLAG_FIN;
    const bool rst = tcpFlags & TCP_FLAG_RST;
    uint8_t next = old;

    if (rst)
    {
        next = TCP_S_CLOSE;
    }
    else
    {
        switch (old)
        {
        case TCP_S_NONE:
            if (syn && !ack && !fromReply)
            {
                next = TCP_S_SYN_SENT;
            }
            else if (ack && !syn && !fin)
            {
                next = TCP_S_ESTABLISHED;
            }
            break;
        case TCP_S_SYN_SENT:
            if (syn && ack && fromReply)
            {
                next = TCP_S_SYN_SYNACK;
            }
            break;
        case TCP_S_SYN_SYNACK:
            if (fin)
            {
                next = fromReply ? TCP_S_CLOSE_WAIT : TCP_S_FIN_WAIT;
            }
            else if (ack && !syn && !fromReply)
            {
                next = TCP_S_ESTABLISHED;
            }
            break;
        case TCP_S_ESTABLISHED:
            if (fin)
            {
                next = fromReply ? TCP_S_CLOSE_WAIT : TCP_S_FIN_WAIT;
            }
            break;
        case TCP_S_FIN_WAIT:
            if (fin && fromReply)
            {
                next = TCP_S_TIME_WAIT;
            }
            break;
        case TCP_S_CLOSE_WAIT:
            if (fin && !fromReply)
            {
                next = TCP_S_LAST_ACK;
            }
            break;
        case TCP_S_LAST_ACK:
            if (ack && !fin && !syn && fromReply)
            {
                next = TCP_S_TIME_WAIT;
            }
            break;
        case TCP_S_TIME_WAIT:
        case TCP_S_CLOSE:
            if (syn && !ack && !fromReply)
            {
                next = TCP_S_SYN_SENT;
            }
            break;
        default:
            break;
        }
    }
    states[0] = next;
    return next != old;
}

uint32_t
TcpStateTimeout(uint8_t state, const TcpUdpTimers& timers, uint32_t sessionTtl)
{
    switch (state)
    {
    case TCP_S_ESTABLISHED:
        return sessionTtl;
    case TCP_S_SYN_SENT:
    case TCP_S_SYN_SYNACK:
        return timers.tcpHalfopen;
    case TCP_S_FIN_WAIT:
    case TCP_S_CLOSE_WAIT:
    case TCP_S_LISTEN:
        return timers.tcpHalfclose;
    case TCP_S_LAST_ACK:
        return TCP_LAST_ACK_TIMEOUT; // FortiOS's table: 30 s, no CLI timer
    case TCP_S_TIME_WAIT:
        return timers.tcpTimewait;
    case TCP_S_CLOSE:
        return timers.tcpRst;
    case TCP_S_NONE:
    default:
        return 10;
    }
}

uint32_t
UdpTimeout(const TcpUdpTimers& timers, uint32_t portTtl)
{
    return portTtl != 0 ? portTtl : timers.udpIdle;
}

const char*
TcpSessionStateName(uint8_t state)
{
    static const char* const names[TCP_S_COUNT] = {"NONE",
                                                   "ESTABLISHED",
                                                   "SYN_SENT",
                                                   "SYN_SYNACK",
                                                   "FIN_WAIT",
                                                   "TIME_WAIT",
                                                   "CLOSE",
                                                   "CLOSE_WAIT",
                                                   "LAST_ACK",
                                                   "LISTEN"};
    return state < TCP_S_COUNT ? names[state] : "UNKNOWN";
}

std::string
ProtoStateText(uint8_t proto, const uint8_t (&states)[2])
{
    std::string text = "00";
    if (proto == 6) // TCP
    {
        text[0] = static_cast<char>('0' + (states[1] % 10));
        text[1] = static_cast<char>('0' + (states[0] % 10));
    }
    else if (proto == 17 && states[0] != 0) // UDP, reply seen
    {
        text[1] = '1';
    }
    return text;
}

} // namespace ns3
