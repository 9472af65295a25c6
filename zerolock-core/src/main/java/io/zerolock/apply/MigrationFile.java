package io.zerolock.apply;

import io.zerolock.check.Checker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One migration to apply: the name its history is kept under and its text.
 *
 * @param name what the history records and compares: the file's name, or its path below the directory given
 * @param source its text, as the checker reads it
 */
public record MigrationFile(String name, Checker.Source source) {

    public MigrationFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    /** SHA-256 of the text: an applied migration whose text changed since is refused. */
    public String checksum() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(source.sql().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
