/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_HELPER_H
#define FORTIGATE_SIP_HELPER_H

#include "fortigate-app-helper.h"

#include "ns3/ipv4-address.h"
#include "ns3/rtp-stream.h"
#include "ns3/sip-registrar.h"
#include "ns3/sip-user-agent.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs SipUserAgent applications (SIP phones), one per user. Attributes: Transport,
 * LocalPort, Domain, RegisterExpires, ContactAddress, RtpPort, AutoAnswer, RingTime, ... (see
 * SipUserAgent).
 *
 * \code
 *   SipUserAgentHelper phones(providerAddress);          // registrar/proxy at :5060
 *   phones.SetAttribute("Transport", EnumValue(SipUserAgent::TCP));
 *   ApplicationContainer alice = phones.Install(lanNode0, "alice");
 *   ApplicationContainer bob = phones.Install(wanNode, "bob");
 *   alice.Start(Seconds(1));
 *   bob.Start(Seconds(1));
 *   Ptr<SipUserAgent> a = DynamicCast<SipUserAgent>(alice.Get(0));
 *   a->Call("bob", Seconds(3), Seconds(10));             // INVITE at 3 s, BYE 10 s after answer
 * \endcode
 */
class SipUserAgentHelper : public FortiGateAppHelper<SipUserAgent>
{
  public:
    /// Phones without a registrar (calls go to full SIP URIs directly).
    SipUserAgentHelper();

    /**
     * \param registrar the registrar / outbound proxy
     * \param port its port
     */
    explicit SipUserAgentHelper(Ipv4Address registrar, uint16_t port = 5060);

    // Every phone needs a user: these replace the base class's Install overloads.

    /// \return one user agent for \p user on \p node. Throws ConfigError for an empty user
    ApplicationContainer Install(Ptr<Node> node, const std::string& user) const;

    /// \return one user agent per node, users[i] on c.Get(i). Throws ConfigError when the
    ///         sizes differ
    ApplicationContainer Install(NodeContainer c, const std::vector<std::string>& users) const;

    /**
     * Fix the random streams of the user agents in \p apps.
     * \return the number of streams used
     */
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

    /**
     * The verdict of call \p index of \p caller, using the callee's record of the same Call-ID
     * when \p callee has one (SipCombinedVerdict), else the caller's own (RTCP-based) verdict.
     */
    static SipAudioVerdict Verdict(Ptr<SipUserAgent> caller,
                                   uint32_t index,
                                   Ptr<SipUserAgent> callee);

    /// \return a multi-line report: registration, then one line per call
    static std::string Report(Ptr<SipUserAgent> ua);
};

/**
 * \ingroup fortigate
 * Installs SipRegistrar applications (the provider's registrar and proxy). Attributes: Port,
 * Domain, Address, UseSourceAddress, RecordRoute, MinExpires, MaxExpires, DefaultExpires.
 *
 * \code
 *   SipRegistrarHelper provider(5065);                   // a provider on a non-5060 port
 *   provider.SetAttribute("UseSourceAddress", BooleanValue(true));
 *   ApplicationContainer reg = provider.Install(providerNode);
 * \endcode
 */
class SipRegistrarHelper : public FortiGateAppHelper<SipRegistrar>
{
  public:
    /// \param port the SIP port (UDP and TCP)
    explicit SipRegistrarHelper(uint16_t port = 5060);
};

/**
 * \ingroup fortigate
 * Installs stand-alone RtpStream applications (RTP + RTCP without signalling). Attributes:
 * LocalPort, RemoteRtcpPort, PayloadType, PayloadSize, Interval, EnableRtcp, RtcpInterval, Cname,
 * Latching.
 *
 * \code
 *   RtpStreamHelper rtp(peerAddress, 16384);             // send to peer:16384, RTCP :16385
 *   rtp.SetAttribute("LocalPort", UintegerValue(16384));
 *   ApplicationContainer s = rtp.Install(node);
 *   s.Start(Seconds(1));
 *   s.Stop(Seconds(11));                                 // 500 packets of 160 bytes
 * \endcode
 */
class RtpStreamHelper : public FortiGateAppHelper<RtpStream>
{
  public:
    /**
     * \param remote where to send
     * \param remotePort remote RTP port (RTCP + 1)
     */
    RtpStreamHelper(Ipv4Address remote, uint16_t remotePort);
};

} // namespace ns3

#endif // FORTIGATE_SIP_HELPER_H
