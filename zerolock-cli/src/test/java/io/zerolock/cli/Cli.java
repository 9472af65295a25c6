package io.zerolock.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and keeps what it printed. */
record Cli(int exitCode, String out, String err) {

    static Cli run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String all() {
        return out + err;
    }

    /**
     * {@code zerolock ARGS} in a JVM of its own (to kill it for real), its output discarded and its log
     * appended to {@code target/<log>}.
     */
    static Process start(String log, String... args) throws java.io.IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(java.nio.file.Path.of(
                System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path")), Main.class.getName()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(new java.io.File("target/" + log))).start();
    }

    /**
     * Starts a zerolock process while a session holds an old snapshot, so its concurrent build waits, and
     * kills it (SIGKILL) once the build is running; then lets the snapshot go.
     */
    static void killMidBuild(io.zerolock.testing.TestDatabase target, String what,
            java.util.concurrent.Callable<Process> start) throws Exception {
        try (java.sql.Connection holder = target.connect(); java.sql.Statement holding = holder.createStatement()) {
            holding.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            holding.execute("SELECT count(*) FROM child");
            Process process = start.call();
            try {
                io.zerolock.testing.Await.until(what + " builds an index", () -> target.queryString("SELECT pid FROM "
                        + "pg_stat_activity WHERE datname = current_database() AND application_name = 'zerolock' "
                        + "AND state = 'active' AND query ~* '^CREATE (UNIQUE )?INDEX CONCURRENTLY'") != null);
            } finally {
                process.destroyForcibly().waitFor();
            }
            holding.execute("ROLLBACK");
        }
    }
}
