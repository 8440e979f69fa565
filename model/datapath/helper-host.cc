/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "helper-host.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/udp-header.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("HelperHost");

HelperHost::HelperHost(const FortiGateConfig& config, SessionLogger& logger)
    : m_config(config),
      m_logger(logger)
{
}

void
HelperHost::ApplyConfig(const FortiGateConfig& config)
{
    for (const Ptr<SessionHelper>& h : m_helpers)
    {
        h->ApplyConfig(config);
    }
}

void
HelperHost::Bind(Session& s, const FirewallPolicy& policy, uint8_t proto, uint16_t dport)
{
    if (BindBySelector(s, policy, proto, dport))
    {
        // A helper family's selector bound one of its engines, or decided that none applies.
    }
    else if (const SessionHelperEntry* entry = m_config.FindHelperEntry(proto, dport))
    {
        s.helperId = IdFor(entry->name);
        if (s.helperId)
        {
            m_helpers[s.helperId - 1]->OnSessionCreated(s);
        }
    }
}

uint8_t
HelperHost::IdFor(const std::string& name)
{
    for (size_t i = 0; i < m_helpers.size(); ++i)
    {
        if (m_helpers[i]->GetName() == name)
        {
            return static_cast<uint8_t>(i + 1);
        }
    }
    Ptr<SessionHelper> h = SessionHelperRegistry::Create(name);
    if (!h || m_helpers.size() >= 255)
    {
        return 0;
    }
    h->ApplyConfig(m_config);
    h->SetVoipLogSink([this](VoipLogEntry& e) { m_logger.LogVoip(e); });
    m_helpers.push_back(h);
    return static_cast<uint8_t>(m_helpers.size());
}

bool
HelperHost::BindBySelector(Session& s, const FirewallPolicy& policy, uint8_t proto, uint16_t dport)
{
    for (const auto& [family, select] : SessionHelperRegistry::Selectors())
    {
        HelperBinding binding;
        if (!select(m_config, policy, proto, dport, binding))
        {
            continue;
        }
        NS_LOG_INFO("session " << s.serial << ": " << family << ": " << binding.note << " (policy "
                               << policy.id << ")");
        if (!binding.helper.empty())
        {
            s.helperId = IdFor(binding.helper);
            if (s.helperId)
            {
                SessionHelper& helper = *m_helpers[s.helperId - 1];
                if (binding.prepare)
                {
                    binding.prepare(helper, s);
                }
                helper.OnSessionCreated(s);
            }
        }
        return true;
    }
    return false;
}

Ptr<SessionHelper>
HelperHost::Get(const std::string& name)
{
    const uint8_t id = IdFor(name);
    return id ? m_helpers[id - 1] : nullptr;
}

Ptr<Packet>
HelperHost::MakeUdpReply(const FlowTuple& arrived, const std::string& payload, Ipv4Header& h)
{
    // The answer comes from where the packet was going and goes back where it came from.
    Ptr<Packet> p = Create<Packet>(reinterpret_cast<const uint8_t*>(payload.data()),
                                   static_cast<uint32_t>(payload.size()));
    UdpHeader udp;
    udp.SetSourcePort(arrived.dport);
    udp.SetDestinationPort(arrived.sport);
    if (Node::ChecksumEnabled())
    {
        udp.EnableChecksums();
        udp.InitializeChecksum(Ipv4Address(arrived.dst), Ipv4Address(arrived.src), IPPROTO_NUM_UDP);
    }
    p->AddHeader(udp);
    h.SetSource(Ipv4Address(arrived.dst));
    h.SetDestination(Ipv4Address(arrived.src));
    h.SetProtocol(IPPROTO_NUM_UDP);
    h.SetTtl(64);
    h.SetPayloadSize(p->GetSize());
    if (Node::ChecksumEnabled())
    {
        h.EnableChecksum();
    }
    return p;
}

} // namespace ns3
