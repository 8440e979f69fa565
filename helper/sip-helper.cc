/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sip-helper.h"

#include "ns3/config-error.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SipHelper");

SipUserAgentHelper::SipUserAgentHelper()
    : FortiGateAppHelper("SipUserAgentHelper")
{
}

SipUserAgentHelper::SipUserAgentHelper(Ipv4Address registrar, uint16_t port)
    : FortiGateAppHelper("SipUserAgentHelper")
{
    m_factory.Set("RegistrarAddress", Ipv4AddressValue(registrar));
    m_factory.Set("RegistrarPort", UintegerValue(port));
}

ApplicationContainer
SipUserAgentHelper::Install(Ptr<Node> node, const std::string& user) const
{
    NS_LOG_FUNCTION(this << node << user);
    if (user.empty())
    {
        throw ConfigError("SipUserAgentHelper: Install: user is empty");
    }
    if (!node)
    {
        throw ConfigError("SipUserAgentHelper: Install: node is null (user " + user + ")");
    }
    Ptr<SipUserAgent> app = m_factory.Create<SipUserAgent>();
    app->SetAttribute("User", StringValue(user));
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
SipUserAgentHelper::Install(NodeContainer c, const std::vector<std::string>& users) const
{
    if (c.GetN() != users.size())
    {
        throw ConfigError("SipUserAgentHelper: Install: " + std::to_string(c.GetN()) +
                          " nodes but " + std::to_string(users.size()) + " users");
    }
    ApplicationContainer apps;
    for (uint32_t i = 0; i < c.GetN(); ++i)
    {
        apps.Add(Install(c.Get(i), users[i]));
    }
    return apps;
}

int64_t
SipUserAgentHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (auto i = apps.Begin(); i != apps.End(); ++i)
    {
        Ptr<SipUserAgent> ua = DynamicCast<SipUserAgent>(*i);
        if (ua)
        {
            used += ua->AssignStreams(stream + used);
        }
    }
    return used;
}

SipAudioVerdict
SipUserAgentHelper::Verdict(Ptr<SipUserAgent> caller, uint32_t index, Ptr<SipUserAgent> callee)
{
    SipCallRecord a = caller->GetCall(index);
    SipCallRecord b;
    if (callee && !a.callId.empty() && callee->FindCall(a.callId, b))
    {
        return SipCombinedVerdict(a, b);
    }
    return a.Verdict();
}

std::string
SipUserAgentHelper::Report(Ptr<SipUserAgent> ua)
{
    std::ostringstream os;
    SipRegistrationInfo r = ua->GetRegistration();
    os << ua->GetAor() << " contact " << ua->GetContactAddress() << ": registration "
       << SipRegistrationStateName(r.state);
    if (r.successes)
    {
        os << " (delay " << r.registrationDelay.GetMilliSeconds() << " ms, " << r.successes
           << " ok, expires " << r.grantedExpires << " s)";
    }
    if (!r.lastFailure.empty())
    {
        os << " last failure: " << r.lastFailure;
    }
    os << "\n";
    for (const SipCallRecord& c : ua->GetCalls())
    {
        os << "  " << c.Summary() << "\n";
    }
    return os.str();
}

SipRegistrarHelper::SipRegistrarHelper(uint16_t port)
    : FortiGateAppHelper("SipRegistrarHelper")
{
    m_factory.Set("Port", UintegerValue(port));
}

RtpStreamHelper::RtpStreamHelper(Ipv4Address remote, uint16_t remotePort)
    : FortiGateAppHelper("RtpStreamHelper")
{
    m_factory.Set("RemoteAddress", Ipv4AddressValue(remote));
    m_factory.Set("RemotePort", UintegerValue(remotePort));
}

} // namespace ns3
