/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// FortiOS CLI tables, family "schedules": `config firewall schedule recurring|onetime`.

#include "fortios-cli-fields.h"

namespace ns3
{
namespace fortios
{

// ---- firewall schedule recurring / onetime --------------------------------------------------

Table*
MakeSchedule(FirewallSchedule::Kind kind)
{
    using T = FirewallSchedule;
    auto* s = Own<SchemaT<T>>();
    if (kind == T::RECURRING)
    {
        auto minutes = [](const std::string& name, uint16_t T::*m) {
            Field<T> f;
            f.info.name = name;
            f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
                try
                {
                    o.*m = ParseScheduleMinutes(v[0], name);
                }
                catch (const ConfigError& e)
                {
                    Bad(0, e.what());
                }
            };
            f.get = [=](const T& o) { return Values{ScheduleMinutesToString(o.*m)}; };
            f.reset = ResetMember(m);
            return f;
        };
        s->Add(minutes("start", &T::startMinute));
        s->Add(minutes("end", &T::endMinute));
        Field<T> day;
        const Values dayNames{"sunday",
                              "monday",
                              "tuesday",
                              "wednesday",
                              "thursday",
                              "friday",
                              "saturday",
                              "none"};
        day.info.name = "day";
        day.info.multi = true;
        day.info.maxValues = 0;
        day.info.options = dayNames;
        day.set = [dayNames](T& o, const Values& v, const FortiGateConfig&) {
            Values words;
            for (size_t i = 0; i < v.size(); ++i)
            {
                words.push_back(ParseOption("day", v, i, dayNames));
                if (words.back() == "none" && v.size() > 1)
                {
                    Bad(i, "day: 'none' cannot be combined with days");
                }
            }
            o.dayMask = words.empty() ? 0 : ParseScheduleDays(words, "day");
        };
        day.get = [](const T& o) { return ScheduleDaysToStrings(o.dayMask); };
        day.reset = [](T& o, const T& d) { o.dayMask = d.dayMask; };
        s->Add(day);
    }
    else
    {
        auto datetime = [](const std::string& name, int64_t T::*m) {
            Field<T> f;
            f.info.name = name;
            f.info.quoted = true;
            f.info.maxValues = 2; // `set start 08:00 2026/01/05` or `set start "08:00 2026/01/05"`
            f.set = [=](T& o, const Values& v, const FortiGateConfig&) {
                const std::string text = v.size() == 2 ? v[0] + " " + v[1] : v[0];
                try
                {
                    o.*m = ParseScheduleDateTime(text, name);
                }
                catch (const ConfigError& e)
                {
                    Bad(0, e.what());
                }
            };
            f.get = [=](const T& o) { return Values{ScheduleDateTimeToString(o.*m)}; };
            f.reset = ResetMember(m);
            return f;
        };
        s->Add(datetime("start", &T::startTime));
        s->Add(datetime("end", &T::endTime));
    }
    s->Add(Str<T>("comment", &T::comment, 255));

    auto* t = Own<EntryTable<T>>();
    t->path = kind == T::RECURRING ? "firewall schedule recurring" : "firewall schedule onetime";
    t->schema = s;
    t->keys = [kind](const FortiGateConfig& c) {
        std::vector<std::string> out;
        for (const auto& e : c.Schedules())
        {
            if (e.kind == kind)
            {
                out.push_back(e.name);
            }
        }
        return out;
    };
    t->find = [kind](const FortiGateConfig& c, const std::string& k) -> const T* {
        const T* e = c.FindSchedule(k);
        return e && e->kind == kind ? e : nullptr;
    };
    t->fresh = [kind](const FortiGateConfig&, const std::string& k) {
        T e;
        e.name = k;
        e.kind = kind;
        return e;
    };
    t->save = [](FortiGateConfig& c, const T& e, bool isNew) {
        if (isNew)
        {
            c.AddSchedule(e);
        }
        else if (!(*c.FindSchedule(e.name) == e))
        {
            c.SetSchedule(e);
        }
    };
    t->del = [](FortiGateConfig& c, const std::string& k) { c.DeleteSchedule(k); };
    ReferencedAs(t, FortiGateConfig::NameKind::SCHEDULE);
    t->setKey = [](T& e, const std::string& k) { e.name = k; };
    return t;
}

} // namespace fortios
} // namespace ns3
