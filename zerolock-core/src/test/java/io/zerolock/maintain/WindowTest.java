package io.zerolock.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ZerolockException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WindowTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant berlin(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), BERLIN).toInstant();
    }

    @Test
    void is_open_on_its_days_between_its_hours_in_its_zone() {
        Window window = Window.parse("Sat,Sun 01:00-05:00 Europe/Berlin");
        // Saturday 2026-12-05
        assertThat(window.closesAt(berlin("2026-12-05T00:59"))).isEmpty();
        assertThat(window.closesAt(berlin("2026-12-05T01:00"))).contains(berlin("2026-12-05T05:00"));
        assertThat(window.closesAt(berlin("2026-12-05T04:59"))).contains(berlin("2026-12-05T05:00"));
        assertThat(window.closesAt(berlin("2026-12-05T05:00"))).isEmpty();
        assertThat(window.closesAt(berlin("2026-12-04T02:00"))).as("a Friday").isEmpty();
        assertThat(window.nextOpening(berlin("2026-12-05T06:00"))).isEqualTo(berlin("2026-12-06T01:00"));
        assertThat(window.nextOpening(berlin("2026-12-07T06:00"))).as("from Monday, the next Saturday")
                .isEqualTo(berlin("2026-12-12T01:00"));
        // the same instant seen from UTC: 01:00 in Berlin in winter is 00:00 UTC
        assertThat(window.closesAt(Instant.parse("2026-12-05T00:30:00Z"))).isPresent();
    }

    @Test
    void a_range_that_ends_before_it_starts_runs_past_midnight_into_the_next_day() {
        Window window = Window.parse("Fri 22:00-02:00 Europe/Berlin");
        assertThat(window.closesAt(berlin("2026-12-04T23:30"))).contains(berlin("2026-12-05T02:00"));
        assertThat(window.closesAt(berlin("2026-12-05T01:59"))).as("Saturday morning still belongs to Friday's")
                .contains(berlin("2026-12-05T02:00"));
        assertThat(window.closesAt(berlin("2026-12-05T22:30"))).as("Saturday night is not a Friday").isEmpty();
        assertThat(window.closesAt(berlin("2026-12-04T01:00"))).as("Friday morning belongs to Thursday's").isEmpty();
    }

    @Test
    void keeps_wall_clock_hours_across_daylight_saving_changes() {
        DaysWindow window = (DaysWindow) Window.parse("Sun 01:00-05:00 Europe/Berlin");
        // 2026-03-29: clocks jump from 02:00 to 03:00; 2026-10-25: from 03:00 back to 02:00
        assertThat(window.length(LocalDate.parse("2026-03-29"))).isEqualTo(Duration.ofHours(3));
        assertThat(window.length(LocalDate.parse("2026-10-25"))).isEqualTo(Duration.ofHours(5));
        assertThat(window.closesAt(berlin("2026-03-29T04:30"))).contains(berlin("2026-03-29T05:00"));
        assertThat(window.closesAt(Instant.parse("2026-10-25T00:30:00Z"))).as("02:30 CEST, before the change")
                .contains(Instant.parse("2026-10-25T04:00:00Z"));
        assertThat(window.closesAt(Instant.parse("2026-10-25T01:30:00Z"))).as("02:30 CET, after it")
                .contains(Instant.parse("2026-10-25T04:00:00Z"));
        // an opening in the hour that does not exist starts when the clocks jump
        Window skipped = Window.parse("Sun 02:30-04:00 Europe/Berlin");
        assertThat(skipped.nextOpening(berlin("2026-03-28T12:00"))).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void a_cron_window_opens_when_the_expression_fires_and_stays_open_for_its_length() {
        Window window = Window.parse("0 1 * * SAT,SUN 4h Europe/Berlin");
        assertThat(window.closesAt(berlin("2026-12-05T01:00"))).contains(berlin("2026-12-05T05:00"));
        assertThat(window.closesAt(berlin("2026-12-05T03:15"))).contains(berlin("2026-12-05T05:00"));
        assertThat(window.closesAt(berlin("2026-12-05T05:00"))).isEmpty();
        assertThat(window.closesAt(berlin("2026-12-04T03:00"))).isEmpty();
        assertThat(window.nextOpening(berlin("2026-12-05T06:00"))).isEqualTo(berlin("2026-12-06T01:00"));
        Window nightly = Window.parse("30 23 * * * 2h");
        assertThat(nightly.closesAt(Instant.parse("2026-12-06T00:45:00Z"))).as("past midnight, UTC")
                .contains(Instant.parse("2026-12-06T01:30:00Z"));
        // across the autumn change the length is real time: 4 hours after 01:00 CEST is 04:00 CET
        assertThat(window.closesAt(berlin("2026-10-25T01:30"))).contains(Instant.parse("2026-10-25T03:00:00Z"));
    }

    @Test
    void daily_and_ranges_of_days() {
        assertThat(Window.parse("daily 03:00-04:00 UTC").closesAt(Instant.parse("2026-12-02T03:30:00Z")))
                .isPresent();
        Window weekdays = Window.parse("Mon-Fri 12:00-13:00");
        assertThat(weekdays.closesAt(Instant.parse("2026-12-02T12:30:00Z"))).isPresent(); // a Wednesday
        assertThat(weekdays.closesAt(Instant.parse("2026-12-06T12:30:00Z"))).isEqualTo(Optional.empty()); // Sunday
        assertThat(Window.parse("Fri-Mon 00:00-24:00 UTC").closesAt(Instant.parse("2026-12-06T12:30:00Z")))
                .contains(Instant.parse("2026-12-07T00:00:00Z"));
    }

    @Test
    void refuses_what_it_cannot_read_and_says_why() {
        assertThatThrownBy(() -> Window.parse("Sat 01:00-05:00 Mars/Olympus")).isInstanceOf(ZerolockException.class)
                .hasMessageContaining("unknown time zone 'Mars/Olympus'");
        assertThatThrownBy(() -> Window.parse("Caturday 01:00-05:00")).hasMessageContaining("unknown day 'Caturday'");
        assertThatThrownBy(() -> Window.parse("Sat 25:00-05:00")).hasMessageContaining("not a time of day");
        assertThatThrownBy(() -> Window.parse("0 61 * * * 4h")).hasMessageContaining("--window '0 61 * * * 4h'");
        assertThatThrownBy(() -> Window.parse("0 1 * * * 0s")).hasMessageContaining("stay open");
        assertThatThrownBy(() -> Window.parse("weekends")).hasMessageContaining("expected days and hours");
    }
}
