/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TEST_FAKE_HELPER_HOST_H
#define FORTIGATE_TEST_FAKE_HELPER_HOST_H

#include "ns3/expectation-table.h"
#include "ns3/session-helper.h"
#include "ns3/session-table.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

/**
 * A SessionHelperHost for driving helpers without a simulation: it keeps what a helper asked
 * (pinholes in a real ExpectationTable, reservations, answers, children to close) so a test
 * can assert it. Tests override a method where they need another answer.
 */
class FakeHelperHost : public SessionHelperHost
{
  public:
    /// \param maxPerParent pinholes one session may have open
    explicit FakeHelperHost(uint32_t maxPerParent = 8)
        : pins(maxPerParent, 4096)
    {
    }

    ExpectationTable pins;                    //!< pinholes the helper opened (live)
    std::vector<Expectation> opened;          //!< every pinhole accepted, as asked
    std::vector<NatReservation> reservations; //!< reservations the helper made
    std::set<uint16_t> taken;                 //!< ports AllocatePort skips
    std::vector<std::string> replies;         //!< answers sent (when acceptReplies)
    bool acceptReplies{false};                //!< SendReply's answer
    bool acceptAll{false};           //!< OpenPinhole accepts and records all (pins stays empty)
    uint32_t closeChildrenCalls{0};  //!< CloseChildren calls
    SessionTable* sessions{nullptr}; //!< for CloseChildren / WithSession (may be null)
    std::vector<uint32_t> closing;   //!< serials CloseChildren selected

    bool OpenPinhole(const Session& s, const Expectation& e) override
    {
        (void)s;
        if (!acceptAll && pins.Add(e) == ExpectationTable::REFUSED_GLOBAL)
        {
            return false;
        }
        opened.push_back(e);
        return true;
    }

    /// The preferred port (1024 for 0), or the next one up that is not taken.
    uint16_t AllocatePort(uint8_t, uint32_t, uint16_t preferred) override
    {
        uint16_t p = preferred ? preferred : 1024;
        while (taken.count(p))
        {
            ++p;
        }
        return p;
    }

    uint16_t AllocatePortFor(uint8_t proto,
                             uint32_t pubIp,
                             uint16_t preferred,
                             uint32_t,
                             uint16_t) override
    {
        return AllocatePort(proto, pubIp, preferred);
    }

    uint16_t MappedPort(uint8_t, uint32_t, uint16_t, uint32_t) override
    {
        return 0;
    }

    bool ReserveNat(const Session& s, const NatReservation& r) override
    {
        reservations.push_back(r);
        reservations.back().parentSerial = s.serial;
        return true;
    }

    uint32_t RemoveReservations(const Session& s,
                                const std::function<bool(const NatReservation&)>& pred) override
    {
        const auto before = reservations.size();
        reservations.erase(std::remove_if(reservations.begin(),
                                          reservations.end(),
                                          [&](const NatReservation& r) {
                                              return r.parentSerial == s.serial && pred(r);
                                          }),
                           reservations.end());
        return static_cast<uint32_t>(before - reservations.size());
    }

    uint32_t RemovePinholes(const Session& s,
                            const std::function<bool(const Expectation&)>& pred) override
    {
        const uint32_t serial = s.serial;
        return pins.RemoveIf(
            [&](const Expectation& e) { return e.parentSerial == serial && pred(e); });
    }

    uint32_t CloseChildren(const Session& s,
                           const std::function<bool(const Session&)>& pred) override
    {
        ++closeChildrenCalls;
        uint32_t n = 0;
        if (sessions)
        {
            sessions->ForEach([&](const Session& x) {
                const SessionExtension* e = x.ExtOrNull();
                if (e && e->parentSerial == s.serial && pred(x))
                {
                    closing.push_back(x.serial);
                    ++n;
                }
            });
        }
        return n;
    }

    bool SendReply(const HelperContext&, const std::string& payload) override
    {
        if (acceptReplies)
        {
            replies.push_back(payload);
        }
        return acceptReplies;
    }

    bool WithSession(uint32_t serial,
                     int64_t nowNs,
                     const std::function<void(HelperContext&)>& fn) override
    {
        Session* s = nullptr;
        if (sessions)
        {
            sessions->ForEach([&](Session& x) {
                if (!s && x.serial == serial)
                {
                    s = &x;
                }
            });
        }
        if (!s)
        {
            return false;
        }
        PacketView v;
        v.tuple = s->org.tuple;
        HelperContext ctx(*this,
                          *s,
                          SessionDir::ORIGINAL,
                          v,
                          nullptr,
                          0,
                          s->Translated(SessionDir::ORIGINAL),
                          nowNs);
        fn(ctx);
        return true;
    }
};

} // namespace ns3

#endif // FORTIGATE_TEST_FAKE_HELPER_HOST_H
