/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "session-helper.h"

#include "ns3/uinteger.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(SessionHelper);

TypeId
SessionHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SessionHelper")
            .SetParent<Object>()
            .SetGroupName("FortiGate")
            .AddAttribute("MaxPinholesPerSession",
                          "Pinholes one session of this helper may have open at once (0: the "
                          "unit's limit, 8). A pinhole beyond it evicts the session's oldest "
                          "of its class, as the unit's limit does.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&SessionHelper::m_maxPinholesPerSession),
                          MakeUintegerChecker<uint16_t>());
    return tid;
}

SessionHelper::~SessionHelper() = default;

void
SessionHelper::OnSessionCreated(Session&)
{
}

void
SessionHelper::OnSessionClosed(Session&)
{
}

void
SessionHelper::ApplyConfig(const FortiGateConfig&)
{
}

bool
SessionHelper::ChildrenFollowParent() const
{
    return false;
}

Expectation
HelperContext::MakePinhole(uint8_t proto, uint32_t timeoutSec, const std::string& helper) const
{
    Expectation e;
    e.proto = proto;
    e.parentSerial = session.serial;
    e.policyId = session.policyId;
    e.expiresNs = nowNs + static_cast<int64_t>(timeoutSec) * 1000000000LL;
    e.oneShot = true;
    e.helper = helper;
    return e;
}

NatReservation
HelperContext::MakeReservation(uint8_t proto, uint32_t timeoutSec, const std::string& helper) const
{
    NatReservation r;
    r.proto = proto;
    r.parentSerial = session.serial;
    r.expiresNs = nowNs + static_cast<int64_t>(timeoutSec) * 1000000000LL;
    r.helper = helper;
    return r;
}

void
SessionHelperRegistry::Register(const std::string& name, Factory factory)
{
    Table()[name] = std::move(factory);
}

Ptr<SessionHelper>
SessionHelperRegistry::Create(const std::string& name)
{
    auto it = Table().find(name);
    return it == Table().end() ? nullptr : it->second();
}

std::vector<std::string>
SessionHelperRegistry::Names()
{
    std::vector<std::string> names;
    for (const auto& [n, f] : Table())
    {
        names.push_back(n);
    }
    return names;
}

std::map<std::string, SessionHelperRegistry::Factory>&
SessionHelperRegistry::Table()
{
    static std::map<std::string, Factory> table;
    return table;
}

void
SessionHelperRegistry::RegisterSelector(const std::string& family, Selector selector)
{
    SelectorTable()[family] = std::move(selector);
}

const std::map<std::string, SessionHelperRegistry::Selector>&
SessionHelperRegistry::Selectors()
{
    return SelectorTable();
}

std::map<std::string, SessionHelperRegistry::Selector>&
SessionHelperRegistry::SelectorTable()
{
    static std::map<std::string, Selector> table;
    return table;
}

void
SessionHelperRegistry::RegisterDiagnose(const std::vector<std::string>& words,
                                        DiagnoseCommand command)
{
    DiagnoseTable().emplace_back(words, std::move(command));
}

const std::vector<std::pair<std::vector<std::string>, SessionHelperRegistry::DiagnoseCommand>>&
SessionHelperRegistry::DiagnoseCommands()
{
    return DiagnoseTable();
}

std::vector<std::pair<std::vector<std::string>, SessionHelperRegistry::DiagnoseCommand>>&
SessionHelperRegistry::DiagnoseTable()
{
    static std::vector<std::pair<std::vector<std::string>, DiagnoseCommand>> table;
    return table;
}

} // namespace ns3
