package io.zerolock.cli;

import io.zerolock.ZerolockException;
import io.zerolock.plan.SettingValues;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as PostgreSQL settings write them: {@code 500ms}, {@code 1.5s}, {@code 2min}, {@code 1h},
 * {@code 1d}; bare numbers are ms. Ranges are checked where the value is used (the options' records).
 */
final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return SettingValues.parseDuration("duration", value);
        } catch (ZerolockException e) {
            throw new TypeConversionException(e.getMessage().substring("duration: ".length()));
        }
    }
}
