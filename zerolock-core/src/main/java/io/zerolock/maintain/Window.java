package io.zerolock.maintain;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A maintenance window: when unattended work may start. Written either as days and a time range in a time
 * zone ({@code Sat,Sun 01:00-05:00 Europe/Berlin}, {@code Mon-Fri 22:00-02:00}, {@code daily 03:00-04:00 UTC};
 * a range that ends before it starts runs past midnight) or as a cron expression, how long each opening lasts,
 * and a time zone ({@code 0 1 * * SAT,SUN 4h Europe/Berlin}). Without a zone, UTC. Times are wall-clock
 * times in the zone, so a window keeps its local hours across daylight-saving changes.
 */
public sealed interface Window permits DaysWindow, CronWindow {

    /** If {@code now} is inside the window, the instant it closes; empty when it is closed. */
    Optional<Instant> closesAt(Instant now);

    /** The first instant at or after {@code now} when the window is open. */
    Instant nextOpening(Instant now);

    /** The window as the user wrote it. */
    String text();

    static Window parse(String text) {
        List<String> tokens = text == null ? List.of() : Arrays.stream(text.trim().split("\\s+"))
                .filter(t -> !t.isEmpty()).toList();
        try {
            if ((tokens.size() == 2 || tokens.size() == 3) && DaysWindow.isTimeRange(tokens.get(1))) {
                return DaysWindow.parse(text.trim(), tokens.get(0), tokens.get(1),
                        tokens.size() == 3 ? zone(tokens.get(2)) : ZoneOffset.UTC);
            }
            if (tokens.size() == 6 || tokens.size() == 7) {
                return CronWindow.parse(text.trim(), String.join(" ", tokens.subList(0, 5)), tokens.get(5),
                        tokens.size() == 7 ? zone(tokens.get(6)) : ZoneOffset.UTC);
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            throw bad(text, e.getMessage());
        }
        throw bad(text, "expected days and hours ('Sat,Sun 01:00-05:00 Europe/Berlin') or a cron expression, "
                + "a duration and a zone ('0 1 * * SAT,SUN 4h Europe/Berlin')");
    }

    private static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + name + "' (an IANA name such as "
                    + "Europe/Berlin, or UTC)");
        }
    }

    private static ZerolockException bad(String text, String why) {
        return new ZerolockException(ErrorCode.BAD_USAGE, "--window '" + text + "': " + why);
    }
}
