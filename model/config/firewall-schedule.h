/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_FIREWALL_SCHEDULE_H
#define FORTIGATE_FIREWALL_SCHEDULE_H

// Configuration family "schedules".

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * One `config firewall schedule recurring` or `onetime` entry (names are shared).
 *
 * Recurring: active on the days of dayMask from startMinute to endMinute (minutes of the day,
 * end exclusive). end < start wraps past midnight (the part after midnight belongs to the day
 * after a selected day); start == end means the whole day. Onetime: active from start to end
 * (seconds since 1970, UTC, end exclusive).
 */
struct FirewallSchedule
{
    /// Which CLI table the schedule belongs to.
    enum Kind : uint8_t
    {
        RECURRING = 0, //!< `config firewall schedule recurring`
        ONETIME = 1,   //!< `config firewall schedule onetime`
    };

    static constexpr uint8_t ALL_DAYS = 0x7f; //!< sunday..saturday

    std::string name;        //!< `edit <name>`
    Kind kind{RECURRING};    //!< recurring or onetime
    uint8_t dayMask{0};      //!< recurring: bit0 = sunday .. bit6 = saturday (`set day`)
    uint16_t startMinute{0}; //!< recurring: `set start HH:MM` as minutes (0..1439)
    uint16_t endMinute{0};   //!< recurring: `set end HH:MM` as minutes (0..1439)
    int64_t startTime{0};    //!< onetime: `set start "HH:MM YYYY/MM/DD"` as Unix seconds
    int64_t endTime{0};      //!< onetime: `set end "HH:MM YYYY/MM/DD"` as Unix seconds
    std::string comment;     //!< `set comment`

    /**
     * \return true when the schedule is active at wall-clock \p unixSeconds (UTC).
     */
    bool IsActiveAt(int64_t unixSeconds) const;

    /// \return true when a recurring schedule covers every minute of every day.
    bool IsAlways() const
    {
        return kind == RECURRING && dayMask == ALL_DAYS && startMinute == endMinute;
    }

    bool operator==(const FirewallSchedule& o) const;

    bool operator!=(const FirewallSchedule& o) const
    {
        return !(*this == o);
    }
};

/**
 * Parse "HH:MM" (00:00..23:59) into minutes of the day.
 * \throws ConfigError `<where>: malformed time '<text>'`
 */
uint16_t ParseScheduleMinutes(const std::string& text, const std::string& where = "");

/// \return "HH:MM" of minutes of the day.
std::string ScheduleMinutesToString(uint16_t minutes);

/**
 * Parse FortiOS onetime text "HH:MM YYYY/MM/DD" (UTC) into seconds since 1970.
 * \throws ConfigError `<where>: malformed date '<text>'`
 */
int64_t ParseScheduleDateTime(const std::string& text, const std::string& where = "");

/// \return "HH:MM YYYY/MM/DD" of Unix seconds (UTC).
std::string ScheduleDateTimeToString(int64_t unixSeconds);

/**
 * Parse `set day` words (sunday monday ... saturday, or the single word none) into a mask.
 * \throws ConfigError `<where>: invalid day '<word>'`
 */
uint8_t ParseScheduleDays(const std::vector<std::string>& words, const std::string& where = "");

/// \return the `set day` words of a mask, sunday first ("none" when empty).
std::vector<std::string> ScheduleDaysToStrings(uint8_t dayMask);

/// \return seconds since 1970 (UTC) of a calendar date and time (proleptic Gregorian).
int64_t CivilToUnixSeconds(int year,
                           unsigned month,
                           unsigned day,
                           unsigned hour = 0,
                           unsigned minute = 0,
                           unsigned second = 0);

} // namespace ns3

#endif // FORTIGATE_FIREWALL_SCHEDULE_H
