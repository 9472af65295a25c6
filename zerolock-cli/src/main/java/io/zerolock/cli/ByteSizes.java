package io.zerolock.cli;

import io.zerolock.ZerolockException;
import io.zerolock.plan.SettingValues;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Sizes as PostgreSQL writes them: {@code 10MB}, {@code 1GB}, {@code 512kB}; bare numbers are bytes. */
final class ByteSizes implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        try {
            return SettingValues.parseBytes("size", value);
        } catch (ZerolockException e) {
            throw new TypeConversionException(e.getMessage().substring("size: ".length()));
        }
    }
}
