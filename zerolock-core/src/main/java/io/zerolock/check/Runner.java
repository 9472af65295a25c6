package io.zerolock.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The migration runner that will run the files, and the transaction it wraps each one in, so that a
 * backfill after DDL, a strong lock held to the end of the file, and CONCURRENTLY inside the runner's
 * transaction are reported as they will happen in production.
 */
public enum Runner {
    /** Each statement as written: transactions only where the file says BEGIN. */
    NONE,
    /**
     * Each file in a transaction, unless it holds a statement that cannot run in one (Flyway detects those
     * and runs the file outside; mixing both fails unless {@code flyway.mixed}), or a script configuration
     * {@code <file>.conf} says {@code executeInTransaction=false}.
     */
    FLYWAY,
    /** Each changeset in a transaction, unless {@code runInTransaction:false} on its {@code --changeset} line. */
    LIQUIBASE,
    /** Each {@code up.sql} in a transaction, unless {@code metadata.toml} beside it says {@code run_in_transaction = false}. */
    DIESEL,
    /** The whole file sent as one script: one implicit transaction. */
    PRISMA,
    /** The whole file sent as one script (one Exec): one implicit transaction. */
    GOLANG_MIGRATE;

    private static final Pattern NON_TRANSACTIONAL = Pattern.compile(
            "(?is)\\b(CONCURRENTLY|VACUUM|ALTER\\s+SYSTEM|CREATE\\s+DATABASE|DROP\\s+DATABASE)\\b");

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Runner of(String id) {
        for (Runner runner : values()) {
            if (runner.id().equalsIgnoreCase(id.trim())) {
                return runner;
            }
        }
        throw new IllegalArgumentException("unknown runner \"" + id + "\"; known: none, flyway, liquibase, diesel, "
                + "prisma, golang-migrate");
    }

    /** Whether the runner starts this file inside a transaction of its own. */
    public boolean wrapsFile(String file, String sql, boolean hasNonTransactional) {
        return switch (this) {
            case NONE, LIQUIBASE -> false; // Liquibase: per changeset, see wrapsChangeset
            case FLYWAY -> !hasNonTransactional && !says(Path.of(file + ".conf"), "executeInTransaction\\s*=\\s*false");
            case DIESEL -> !says(Path.of(file).toAbsolutePath().resolveSibling("metadata.toml"),
                    "run_in_transaction\\s*=\\s*false");
            case PRISMA, GOLANG_MIGRATE -> true;
        };
    }

    /** Liquibase: a {@code --changeset} comment starts a changeset, in a transaction unless it opts out. */
    public static boolean wrapsChangeset(String changesetComment) {
        return !changesetComment.matches("(?is).*\\brunInTransaction\\s*:\\s*false\\b.*");
    }

    /** A statement that PostgreSQL refuses inside a transaction block (what Flyway looks for). */
    public static boolean nonTransactional(String statement) {
        return NON_TRANSACTIONAL.matcher(statement).find();
    }

    private static boolean says(Path file, String setting) {
        try {
            return Files.isRegularFile(file) && Pattern.compile("(?im)^\\s*" + setting).matcher(Files.readString(file))
                    .find();
        } catch (IOException e) {
            return false;
        }
    }
}
