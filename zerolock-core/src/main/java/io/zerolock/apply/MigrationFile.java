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
 * @param source the SQL to run: its text with Flyway-style placeholders replaced
 * @param original the file's text as written, placeholders and all: what its checksum is of, so that the
 *     same file applied with other placeholder values (another environment) is the same migration
 */
public record MigrationFile(String name, Checker.Source source, String original) {

    public MigrationFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(original, "original");
    }

    /** A migration without placeholders. */
    public MigrationFile(String name, Checker.Source source) {
        this(name, source, source.sql());
    }

    /** SHA-256 of the file as written: an applied migration whose text changed since is refused. */
    public String checksum() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(original.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
