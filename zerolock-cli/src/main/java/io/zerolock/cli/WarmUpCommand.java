package io.zerolock.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Hidden: what the launcher runs once per build to record the classes a run loads into a class-data
 * archive (JDK AppCDS), so that every later start maps them instead of loading them: a check of a sample
 * migration, and a connection attempt to a port where nothing listens (the driver's and the connection
 * code's classes). Changes nothing anywhere.
 */
@Command(name = "warm-up", hidden = true, description = "Load the classes a run uses (for the launcher's class-data "
        + "archive); changes nothing.")
final class WarmUpCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path sample = Files.createTempFile("zerolock-warm-up", ".sql");
        try {
            Files.writeString(sample, "CREATE TABLE t (id int PRIMARY KEY, a int);\nCREATE INDEX t_a ON t (a);\n"
                    + "ALTER TABLE t ADD COLUMN b int DEFAULT random();\n");
            Main.run(new String[] {"check", "--format", "text", sample.toString()}, nowhere(), nowhere());
            Main.run(new String[] {"reindex", "-d", "postgresql://warm-up@127.0.0.1:1/warm-up", "t_a", "--dry-run"},
                    nowhere(), nowhere());
        } finally {
            Files.deleteIfExists(sample);
        }
        return 0;
    }

    private static java.io.PrintStream nowhere() {
        return new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
    }
}
