package io.zerolock.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as PostgreSQL settings write them: {@code 500ms}, {@code 1s}, {@code 2min}, {@code 1h}; bare numbers are ms. */
final class Durations implements ITypeConverter<Duration> {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|min|h)?");

    @Override
    public Duration convert(String value) {
        Matcher matcher = FORMAT.matcher(value.trim());
        if (!matcher.matches()) {
            throw new TypeConversionException("expected a duration like 500ms, 1s, 2min or 1h, got '" + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "min" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
