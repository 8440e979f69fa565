/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Configuration family "schedules": `config firewall schedule recurring`, `onetime`.

#include "config-util.h"
#include "fortigate-config.h"

#include "ns3/log.h"

#include <algorithm>
#include <cstdio>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FortiGateConfigSchedule");

using namespace config;

namespace
{

/// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t
DaysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// Calendar date of days since 1970-01-01.
void
CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
}

int64_t
FloorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
    {
        --q;
    }
    return q;
}

const std::vector<std::string>&
DayNames()
{
    static const std::vector<std::string>
        names{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    return names;
}

} // namespace

// ---- schedules ------------------------------------------------------------------------------

int64_t
CivilToUnixSeconds(int year,
                   unsigned month,
                   unsigned day,
                   unsigned hour,
                   unsigned minute,
                   unsigned second)
{
    return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

uint16_t
ParseScheduleMinutes(const std::string& text, const std::string& where)
{
    const auto colon = text.find(':');
    uint64_t h = 0;
    uint64_t m = 0;
    if (colon == std::string::npos || colon == 0 || colon > 2 || text.size() - colon - 1 != 2 ||
        !ParseDecimal(text.substr(0, colon), 23, h) || !ParseDecimal(text.substr(colon + 1), 59, m))
    {
        Fail(Where(where) + "malformed time '" + text + "'");
    }
    return static_cast<uint16_t>(h * 60 + m);
}

std::string
ScheduleMinutesToString(uint16_t minutes)
{
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%02u:%02u", (minutes / 60) % 100u, minutes % 60u);
    return buf;
}

int64_t
ParseScheduleDateTime(const std::string& text, const std::string& where)
{
    auto bad = [&]() { Fail(Where(where) + "malformed date '" + text + "'"); };
    const auto space = text.find(' ');
    if (space == std::string::npos)
    {
        bad();
    }
    std::string timeText = text.substr(0, space);
    std::string dateText = text.substr(space + 1);
    uint16_t minutes = 0;
    try
    {
        minutes = ParseScheduleMinutes(timeText);
    }
    catch (const ConfigError&)
    {
        bad();
    }
    const auto s1 = dateText.find('/');
    const auto s2 = s1 == std::string::npos ? s1 : dateText.find('/', s1 + 1);
    uint64_t y = 0;
    uint64_t mo = 0;
    uint64_t d = 0;
    if (s2 == std::string::npos || !ParseDecimal(dateText.substr(0, s1), 9999, y) ||
        !ParseDecimal(dateText.substr(s1 + 1, s2 - s1 - 1), 12, mo) ||
        !ParseDecimal(dateText.substr(s2 + 1), 31, d) || y < 1970 || mo < 1 || d < 1)
    {
        bad();
    }
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    const unsigned maxDay = mdays[mo - 1] + ((mo == 2 && leap) ? 1 : 0);
    if (d > maxDay)
    {
        bad();
    }
    return CivilToUnixSeconds(static_cast<int>(y),
                              static_cast<unsigned>(mo),
                              static_cast<unsigned>(d),
                              minutes / 60,
                              minutes % 60);
}

std::string
ScheduleDateTimeToString(int64_t unixSeconds)
{
    const int64_t days = FloorDiv(unixSeconds, 86400);
    const int64_t secs = unixSeconds - days * 86400;
    int64_t y = 0;
    unsigned m = 0;
    unsigned d = 0;
    CivilFromDays(days, y, m, d);
    char buf[40];
    std::snprintf(buf,
                  sizeof(buf),
                  "%02u:%02u %04lld/%02u/%02u",
                  static_cast<unsigned>(secs / 3600),
                  static_cast<unsigned>((secs / 60) % 60),
                  static_cast<long long>(y),
                  m,
                  d);
    return buf;
}

uint8_t
ParseScheduleDays(const std::vector<std::string>& words, const std::string& where)
{
    uint8_t mask = 0;
    for (const auto& w : words)
    {
        if (w == "none" && words.size() == 1)
        {
            return 0;
        }
        const auto& names = DayNames();
        auto it = std::find(names.begin(), names.end(), w);
        if (it == names.end())
        {
            Fail(Where(where) + "invalid day '" + w + "'");
        }
        mask |= static_cast<uint8_t>(1u << (it - names.begin()));
    }
    return mask;
}

std::vector<std::string>
ScheduleDaysToStrings(uint8_t dayMask)
{
    std::vector<std::string> out;
    for (unsigned i = 0; i < 7; ++i)
    {
        if (dayMask & (1u << i))
        {
            out.push_back(DayNames()[i]);
        }
    }
    if (out.empty())
    {
        out.emplace_back("none");
    }
    return out;
}

bool
FirewallSchedule::IsActiveAt(int64_t unixSeconds) const
{
    if (kind == ONETIME)
    {
        return unixSeconds >= startTime && unixSeconds < endTime;
    }
    const int64_t days = FloorDiv(unixSeconds, 86400);
    const unsigned minute = static_cast<unsigned>((unixSeconds - days * 86400) / 60);
    // 1970-01-01 was a Thursday (4, with sunday = 0).
    const unsigned dow = static_cast<unsigned>(((days % 7) + 7 + 4) % 7);
    const unsigned prev = (dow + 6) % 7;
    const bool today = (dayMask >> dow) & 1;
    const bool yesterday = (dayMask >> prev) & 1;
    if (startMinute == endMinute)
    {
        return today;
    }
    if (startMinute < endMinute)
    {
        return today && minute >= startMinute && minute < endMinute;
    }
    // Wraps past midnight: evening part belongs to today, morning part to yesterday's window.
    return (today && minute >= startMinute) || (yesterday && minute < endMinute);
}

bool
FirewallSchedule::operator==(const FirewallSchedule& o) const
{
    return name == o.name && kind == o.kind && dayMask == o.dayMask &&
           startMinute == o.startMinute && endMinute == o.endMinute && startTime == o.startTime &&
           endTime == o.endTime && comment == o.comment;
}

// ---- schedules ------------------------------------------------------------------------------

void
FortiGateConfig::CheckSchedule(const FirewallSchedule& s) const
{
    const std::string obj = SchedLabel(s);
    CheckName(obj, s.name);
    if (s.kind == FirewallSchedule::RECURRING)
    {
        if (s.dayMask > FirewallSchedule::ALL_DAYS)
        {
            Fail(obj + ": day: invalid day mask " + std::to_string(s.dayMask));
        }
        if (s.startMinute >= 1440)
        {
            Fail(obj + ": start: " + std::to_string(s.startMinute) +
                 " minutes is out of range (00:00..23:59)");
        }
        if (s.endMinute >= 1440)
        {
            Fail(obj + ": end: " + std::to_string(s.endMinute) +
                 " minutes is out of range (00:00..23:59)");
        }
    }
    else if (s.kind == FirewallSchedule::ONETIME)
    {
        if (s.endTime < s.startTime)
        {
            Fail(obj + ": end: " + ScheduleDateTimeToString(s.endTime) + " is before start " +
                 ScheduleDateTimeToString(s.startTime));
        }
    }
    else
    {
        Fail(obj + ": invalid schedule kind");
    }
}

void
FortiGateConfig::AddSchedule(const FirewallSchedule& sched)
{
    NS_LOG_FUNCTION(this);
    CheckName(SchedLabel(sched), sched.name);
    if (const FirewallSchedule* other = FindSchedule(sched.name))
    {
        Fail(SchedLabel(sched) + ": name: already used by " + SchedLabel(*other));
    }
    CheckSchedule(sched);
    // Recurring schedules first, then one-time ones (each kind in creation order): the order
    // `show` prints them in, so a configuration loaded back from its text compares equal.
    const auto& all = m_schedules.All();
    auto pos = all.end();
    if (sched.kind == FirewallSchedule::RECURRING)
    {
        pos = std::find_if(all.begin(), all.end(), [](const FirewallSchedule& s) {
            return s.kind != FirewallSchedule::RECURRING;
        });
    }
    m_schedules.Insert(sched, pos - all.begin());
    Changed();
}

void
FortiGateConfig::SetSchedule(const FirewallSchedule& sched)
{
    NS_LOG_FUNCTION(this);
    if (sched.name == "always") // (it always exists)
    {
        Fail(SchedLabel(sched) + ": predefined schedule cannot be changed");
    }
    SetNamed(m_schedules, sched, SchedLabel(sched), &FortiGateConfig::CheckSchedule);
}

void
FortiGateConfig::DeleteSchedule(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    const size_t pos = m_schedules.PositionOf(name, "firewall schedule " + Q(name));
    const std::string label = SchedLabel(m_schedules.All()[pos]);
    if (name == "always")
    {
        Fail(label + ": predefined schedule cannot be deleted");
    }
    DeleteNamed(m_schedules, name, label, NameKind::SCHEDULE);
}

const FirewallSchedule*
FortiGateConfig::FindSchedule(const std::string& name) const
{
    return m_schedules.Find(name);
}

int64_t
FortiGateConfig::SimToUnixSeconds(double simSeconds) const
{
    return m_simEpoch + static_cast<int64_t>(std::floor(simSeconds));
}

bool
FortiGateConfig::IsActive(const FirewallSchedule& sched, double simSeconds) const
{
    return sched.IsActiveAt(SimToUnixSeconds(simSeconds));
}

bool
FortiGateConfig::IsScheduleActive(const std::string& name, double simSeconds) const
{
    const FirewallSchedule* s = FindSchedule(name);
    return s && IsActive(*s, simSeconds);
}

} // namespace ns3
