/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_HELPER_H
#define FORTIGATE_SIP_HELPER_H

#include "ns3/application-container.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/rtp-stream.h"
#include "ns3/sip-registrar.h"
#include "ns3/sip-user-agent.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Installs SipUserAgent applications (SIP phones).
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
class SipUserAgentHelper
{
public:
    /// Phones without a registrar (calls go to full SIP URIs directly).
    SipUserAgentHelper();

    /**
     * \param registrar the registrar / outbound proxy
     * \param port its port
     */
    explicit SipUserAgentHelper(Ipv4Address registrar, uint16_t port = 5060);

    /**
     * Set an attribute of every user agent this helper creates (Transport, LocalPort, Domain,
     * RegisterExpires, ContactAddress, RtpPort, AutoAnswer, RingTime, ... see SipUserAgent).
     * \param name attribute name
     * \param value attribute value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

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
    static SipAudioVerdict Verdict(Ptr<SipUserAgent> caller, uint32_t index,
                                   Ptr<SipUserAgent> callee);

    /// \return a multi-line report: registration, then one line per call
    static std::string Report(Ptr<SipUserAgent> ua);

private:
    ObjectFactory m_factory; //!< creates the user agents
};

/**
 * \ingroup fortigate
 * Installs SipRegistrar applications (the provider's registrar and proxy).
 *
 * \code
 *   SipRegistrarHelper provider(5065);                   // a provider on a non-5060 port
 *   provider.SetAttribute("UseSourceAddress", BooleanValue(true));
 *   ApplicationContainer reg = provider.Install(providerNode);
 * \endcode
 */
class SipRegistrarHelper
{
public:
    /// \param port the SIP port (UDP and TCP)
    explicit SipRegistrarHelper(uint16_t port = 5060);

    /// Set an attribute (Port, Domain, Address, UseSourceAddress, RecordRoute, MinExpires,
    /// MaxExpires, DefaultExpires).
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /// \return one registrar on \p node
    ApplicationContainer Install(Ptr<Node> node) const;

private:
    ObjectFactory m_factory; //!< creates the registrars
};

/**
 * \ingroup fortigate
 * Installs stand-alone RtpStream applications (RTP + RTCP without signalling).
 *
 * \code
 *   RtpStreamHelper rtp(peerAddress, 16384);             // send to peer:16384, RTCP :16385
 *   rtp.SetAttribute("LocalPort", UintegerValue(16384));
 *   ApplicationContainer s = rtp.Install(node);
 *   s.Start(Seconds(1));
 *   s.Stop(Seconds(11));                                 // 500 packets of 160 bytes
 * \endcode
 */
class RtpStreamHelper
{
public:
    /**
     * \param remote where to send
     * \param remotePort remote RTP port (RTCP + 1)
     */
    RtpStreamHelper(Ipv4Address remote, uint16_t remotePort);

    /// Set an attribute (LocalPort, RemoteRtcpPort, PayloadType, PayloadSize, Interval,
    /// EnableRtcp, RtcpInterval, Cname, Latching).
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /// \return one stream on \p node
    ApplicationContainer Install(Ptr<Node> node) const;
    /// \return one stream on each node of \p c
    ApplicationContainer Install(NodeContainer c) const;

private:
    ObjectFactory m_factory; //!< creates the streams
};

} // namespace ns3

#endif // FORTIGATE_SIP_HELPER_H
