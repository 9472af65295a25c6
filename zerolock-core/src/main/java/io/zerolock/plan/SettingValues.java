package io.zerolock.plan;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values PostgreSQL accepts for the settings zerolock sets, checked before connecting: an option
 * the server would refuse half-way through a run (after a build, in the middle of an undo) is refused
 * up front instead. Units and limits follow guc.c: time units {@code us ms s min h d}, memory units
 * {@code B kB MB GB TB} (case-sensitive, as the server reads them), fractions allowed (12+), and every
 * value must fit the setting's 32-bit integer.
 */
public final class SettingValues {

    /** The largest value of an integer setting (INT_MAX): {@code lock_timeout} in ms, memory in kB. */
    public static final long INT_MAX = Integer.MAX_VALUE;

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*([A-Za-z]*)");
    private static final Map<String, BigDecimal> TIME_UNITS_MS = Map.of(
            "us", new BigDecimal("0.001"), "ms", BigDecimal.ONE, "s", BigDecimal.valueOf(1000),
            "min", BigDecimal.valueOf(60_000), "h", BigDecimal.valueOf(3_600_000), "d", BigDecimal.valueOf(86_400_000));
    private static final Map<String, BigDecimal> MEMORY_UNITS_KB = Map.of(
            "B", BigDecimal.ONE.divide(BigDecimal.valueOf(1024)), "kB", BigDecimal.ONE,
            "MB", BigDecimal.valueOf(1024), "GB", BigDecimal.valueOf(1024L * 1024),
            "TB", BigDecimal.valueOf(1024L * 1024 * 1024));

    private SettingValues() {}

    /**
     * A duration as PostgreSQL writes time settings ({@code 500ms}, {@code 1.5s}, {@code 2min}, {@code 1h},
     * {@code 1d}; a bare number is milliseconds).
     */
    public static Duration parseDuration(String option, String text) {
        Matcher matcher = NUMBER_AND_UNIT.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            throw bad(option, "expected a duration like 500ms, 1.5s, 2min, 1h or 1d, got '" + text + "'");
        }
        String unit = matcher.group(2).isEmpty() ? "ms" : matcher.group(2);
        BigDecimal factor = TIME_UNITS_MS.get(unit);
        if (factor == null) {
            throw bad(option, "unknown time unit '" + unit + "' in '" + text + "' (valid units: us, ms, s, min, h, d)");
        }
        BigDecimal micros = new BigDecimal(matcher.group(1)).multiply(factor).multiply(BigDecimal.valueOf(1000))
                .setScale(0, RoundingMode.HALF_UP);
        if (micros.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1000)) > 0) {
            throw bad(option, "'" + text + "' is out of range");
        }
        return Duration.ofNanos(micros.longValueExact() * 1000);
    }

    /**
     * A duration that becomes a millisecond setting of the server ({@code lock_timeout},
     * {@code statement_timeout}): at least 1 ms, at most INT_MAX ms (about 24.8 days).
     */
    public static Duration requireMillisSetting(String option, Duration value) {
        if (value == null) {
            throw bad(option, "a duration is required");
        }
        if (value.isNegative() || value.toMillis() < 1) {
            throw bad(option, "must be at least 1ms, got " + describe(value));
        }
        if (value.toMillis() > INT_MAX) {
            throw bad(option, describe(value) + " is more than PostgreSQL allows for a timeout setting ("
                    + INT_MAX + "ms, about 24.8 days)");
        }
        return value;
    }

    /** A positive duration (a wait, a deadline): zero or negative makes no sense. */
    public static Duration requirePositive(String option, Duration value) {
        if (value != null && (value.isZero() || value.isNegative())) {
            throw bad(option, "must be more than 0, got " + describe(value));
        }
        return value;
    }

    /**
     * A memory setting ({@code maintenance_work_mem}, {@code temp_file_limit}) in the server's units; a
     * bare number is kB. Returns the value in kB, checked against {@code [minKb, INT_MAX]}; {@code -1}
     * is accepted where {@code allowUnlimited} (temp_file_limit).
     */
    public static long requireMemory(String option, String text, long minKb, boolean allowUnlimited) {
        String trimmed = text == null ? "" : text.trim();
        if (allowUnlimited && trimmed.equals("-1")) {
            return -1;
        }
        Matcher matcher = NUMBER_AND_UNIT.matcher(trimmed);
        if (!matcher.matches()) {
            throw bad(option, "expected a size like 64MB, 1GB or 512kB, got '" + text + "'");
        }
        String unit = matcher.group(2).isEmpty() ? "kB" : matcher.group(2);
        BigDecimal factor = MEMORY_UNITS_KB.get(unit);
        if (factor == null) {
            throw bad(option, "unknown memory unit '" + unit + "' in '" + text
                    + "' (valid units, case-sensitive: B, kB, MB, GB, TB)");
        }
        BigDecimal kb = new BigDecimal(matcher.group(1)).multiply(factor).setScale(0, RoundingMode.HALF_UP);
        if (kb.compareTo(BigDecimal.valueOf(minKb)) < 0) {
            throw bad(option, "'" + text + "' is less than the minimum, " + minKb + "kB");
        }
        if (kb.compareTo(BigDecimal.valueOf(INT_MAX)) > 0) {
            throw bad(option, "'" + text + "' is more than PostgreSQL allows (" + INT_MAX + "kB, about 2TB)");
        }
        return kb.longValueExact();
    }

    /**
     * A size in bytes, as PostgreSQL writes sizes ({@code 10MB}, {@code 1.5GB}, {@code 512kB}, {@code 0}); a
     * bare number is bytes; units B, kB, MB, GB, TB (1024-based), in any letter case.
     */
    public static long parseBytes(String option, String text) {
        String trimmed = text == null ? "" : text.trim();
        Matcher matcher = NUMBER_AND_UNIT.matcher(trimmed);
        if (!matcher.matches()) {
            throw bad(option, "expected a size like 10MB, 1GB or 512kB, got '" + text + "'");
        }
        String unit = matcher.group(2).isEmpty() ? "B" : matcher.group(2);
        BigDecimal factor = MEMORY_UNITS_KB.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(unit))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (factor == null) {
            throw bad(option, "unknown size unit '" + unit + "' in '" + text + "' (valid units: B, kB, MB, GB, TB)");
        }
        BigDecimal bytes = new BigDecimal(matcher.group(1)).multiply(factor).multiply(BigDecimal.valueOf(1024))
                .setScale(0, RoundingMode.HALF_UP);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw bad(option, "'" + text + "' is too big");
        }
        return bytes.longValueExact();
    }

    /** An integer setting within {@code [min, max]}. */
    public static int requireRange(String option, Integer value, int min, int max) {
        if (value == null || value < min || value > max) {
            throw bad(option, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static String describe(Duration value) {
        return value.toMillis() >= 1 ? value.toMillis() + "ms" : value.toNanos() / 1000 + "us";
    }

    private static ZerolockException bad(String option, String message) {
        return new ZerolockException(ErrorCode.BAD_USAGE, option + ": " + message);
    }
}
