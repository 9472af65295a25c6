package io.zerolock.cli;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.connect.Redaction;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The command line's entry point: parse, set up logging, run, and map every failure to an exit code. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line with the given streams (results on {@code out}, logs and errors on {@code err}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String refusal = passwordOnCommandLine(args);
        if (refusal != null) {
            err.println("error: " + refusal);
            return ErrorCode.BAD_USAGE.exitCode();
        }
        CommandLine commandLine = new CommandLine(new ZerolockCommand());
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setExecutionStrategy(parseResult -> execute(parseResult, err));
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            PrintWriter writer = exception.getCommandLine().getErr();
            writer.println("error: " + Redaction.redact(exception.getMessage()));
            writer.println("Try '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ErrorCode.BAD_USAGE.exitCode();
        });
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            Logger log = LoggerFactory.getLogger(Main.class);
            if (exception instanceof ZerolockException failure) {
                log.atError().setMessage(Redaction.redact(failure.getMessage()))
                        .addKeyValue("code", failure.code().name().toLowerCase(java.util.Locale.ROOT))
                        .setCause(verbose(parseResult) ? failure : null).log();
                return failure.code().exitCode();
            }
            log.atError().setMessage("internal error: " + Redaction.redact(String.valueOf(exception.getMessage())))
                    .setCause(exception).log();
            return ErrorCode.OPERATION_FAILED.exitCode();
        });
        return commandLine.execute(args);
    }

    private static int execute(ParseResult parseResult, OutputStream err) throws CommandLine.ExecutionException {
        ZerolockCommand root = (ZerolockCommand) parseResult.commandSpec().userObject();
        LogSetup.configure(root.logFormat == null ? LogSetup.Format.LOGFMT : root.logFormat, root.quiet, root.verbose,
                err);
        return new CommandLine.RunLast().execute(parseResult);
    }

    private static boolean verbose(ParseResult parseResult) {
        return ((ZerolockCommand) parseResult.commandSpec().root().userObject()).verbose;
    }

    /** A password typed as an argument would sit in shell history and ps output: refuse it without echoing it. */
    static String passwordOnCommandLine(String[] args) {
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            boolean flag = arg.equals("-W") || arg.equals("--password");
            boolean attached = arg.startsWith("--password=") || (arg.startsWith("-W") && arg.length() > 2);
            boolean followedByValue = flag && i + 1 < list.size() && !list.get(i + 1).startsWith("-")
                    && !isCommand(list.get(i + 1));
            if (attached || followedByValue) {
                return "a password cannot be given on the command line (it would be visible in shell history and "
                        + "ps): use -W to be prompted, PGPASSWORD, or ~/.pgpass";
            }
        }
        return null;
    }

    private static boolean isCommand(String arg) {
        return List.of("indexes", "reindex", "cleanup", "resume", "version", "demo").contains(arg);
    }
}
