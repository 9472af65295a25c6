package io.zerolock.maintain;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.zerolock.plan.SettingValues;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/** A window that opens when a (Unix, five-field) cron expression fires, in a zone, and stays open for a duration. */
record CronWindow(String text, String expression, Duration length, ZoneId zone, ExecutionTime schedule)
        implements Window {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(
            CronType.UNIX));

    static CronWindow parse(String text, String expression, String length, ZoneId zone) {
        Cron cron = PARSER.parse(expression);
        cron.validate();
        Duration open = SettingValues.parseDuration("the window's length", length);
        if (open.isZero() || open.isNegative()) {
            throw new IllegalArgumentException("the window must stay open for some time, got " + length);
        }
        return new CronWindow(text, expression, open, zone, ExecutionTime.forCron(cron));
    }

    @Override
    public Optional<Instant> closesAt(Instant now) {
        ZonedDateTime at = now.atZone(zone);
        // the last opening at or before now (cron works to the minute)
        Optional<ZonedDateTime> last = schedule.lastExecution(at.plusSeconds(1));
        return last.map(opened -> opened.toInstant().plus(length)).filter(now::isBefore);
    }

    @Override
    public Instant nextOpening(Instant now) {
        if (closesAt(now).isPresent()) {
            return now;
        }
        return schedule.nextExecution(now.atZone(zone)).map(ZonedDateTime::toInstant)
                .orElseThrow(() -> new IllegalStateException("the cron expression " + expression + " never fires"));
    }
}
