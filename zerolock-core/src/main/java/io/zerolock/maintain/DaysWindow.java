package io.zerolock.maintain;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Days of the week and a wall-clock time range in a zone. The days are those the window opens on; a range
 * past midnight closes the next morning. On a day the clocks change, the window keeps its wall-clock hours
 * (an opening in a skipped hour starts when the clocks jump; a range across the change is an hour shorter
 * or longer).
 */
record DaysWindow(String text, Set<DayOfWeek> days, LocalTime opens, LocalTime closes, ZoneId zone)
        implements Window {

    DaysWindow {
        days = Set.copyOf(days);
    }

    static boolean isTimeRange(String token) {
        return token.matches("\\d{1,2}:\\d{2}-\\d{1,2}:\\d{2}");
    }

    static DaysWindow parse(String text, String dayList, String range, ZoneId zone) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : dayList.split(",")) {
            if (part.equalsIgnoreCase("daily") || part.equals("*")) {
                days.addAll(EnumSet.allOf(DayOfWeek.class));
            } else if (part.contains("-")) {
                DayOfWeek from = day(part.substring(0, part.indexOf('-')));
                DayOfWeek to = day(part.substring(part.indexOf('-') + 1));
                for (DayOfWeek d = from; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == to) {
                        break;
                    }
                }
            } else {
                days.add(day(part));
            }
        }
        String[] times = range.split("-");
        return new DaysWindow(text, days, time(times[0]), time(times[1]), zone);
    }

    private static DayOfWeek day(String name) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(name)
                    || day.getDisplayName(TextStyle.FULL, Locale.ENGLISH).equalsIgnoreCase(name)) {
                return day;
            }
        }
        throw new IllegalArgumentException("unknown day '" + name + "' (Mon, Tue, ... Sun, ranges like Mon-Fri, "
                + "or daily)");
    }

    private static LocalTime time(String text) {
        String[] parts = text.split(":");
        int hour = Integer.parseInt(parts[0]);
        int minute = Integer.parseInt(parts[1]);
        if (hour == 24 && minute == 0) {
            return LocalTime.MAX;
        }
        if (hour > 23 || minute > 59) {
            throw new IllegalArgumentException("'" + text + "' is not a time of day (00:00 to 24:00)");
        }
        return LocalTime.of(hour, minute);
    }

    @Override
    public Optional<Instant> closesAt(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        for (LocalDate day = today.minusDays(1); !day.isAfter(today); day = day.plusDays(1)) {
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            Instant start = opening(day);
            Instant end = closing(day);
            if (!now.isBefore(start) && now.isBefore(end)) {
                return Optional.of(end);
            }
        }
        return Optional.empty();
    }

    @Override
    public Instant nextOpening(Instant now) {
        if (closesAt(now).isPresent()) {
            return now;
        }
        LocalDate today = now.atZone(zone).toLocalDate();
        for (int ahead = 0; ahead <= 8; ahead++) {
            LocalDate day = today.plusDays(ahead);
            if (days.contains(day.getDayOfWeek()) && !opening(day).isBefore(now)) {
                return opening(day);
            }
        }
        throw new IllegalStateException("a window with no days");
    }

    private Instant opening(LocalDate day) {
        return ZonedDateTime.of(day, opens, zone).toInstant();
    }

    private Instant closing(LocalDate day) {
        if (closes == LocalTime.MAX) {
            return ZonedDateTime.of(day.plusDays(1), LocalTime.MIDNIGHT, zone).toInstant();
        }
        LocalDate closingDay = closes.isAfter(opens) ? day : day.plusDays(1);
        return ZonedDateTime.of(closingDay, closes, zone).toInstant();
    }

    /** How long the window is open on {@code day} (shorter or longer on a day the clocks change). */
    Duration length(LocalDate day) {
        return Duration.between(opening(day), closing(day));
    }
}
