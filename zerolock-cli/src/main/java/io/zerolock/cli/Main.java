package io.zerolock.cli;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.connect.Redaction;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The command line's entry point: parse, set up logging, run, and map every failure to an exit code. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        Signals.install();
        int code = run(args, System.out, System.err);
        // a run that was stopped exits 130 (SIGINT) or 143 (SIGTERM); one that finished first says so with 0
        System.exit(code == 0 ? 0 : Signals.exitCode(code));
    }

    /** Runs one command line with the given streams (results on {@code out}, logs and errors on {@code err}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String refusal = passwordOnCommandLine(args);
        if (refusal != null) {
            err.println("error: " + refusal);
            return ErrorCode.BAD_USAGE.exitCode();
        }
        CommandLine commandLine = new CommandLine(new ZerolockCommand());
        String chosen = subcommandOf(args);
        for (Class<?> subcommand : ZerolockCommand.SUBCOMMANDS) {
            String name = subcommand.getAnnotation(CommandLine.Command.class).name();
            if (chosen == null || chosen.equals(name)) {
                commandLine.addSubcommand(name, subcommand);
            }
        }
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setExecutionStrategy(parseResult -> execute(parseResult, err));
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            PrintWriter writer = exception.getCommandLine().getErr();
            if (unmatchedAfterPasswordFlag(exception, arguments)) {
                // nothing takes it but a password would sit there: say so, and never echo it
                writer.println("error: " + PASSWORD_REFUSAL);
                return ErrorCode.BAD_USAGE.exitCode();
            }
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

    /** The subcommand the arguments name (the first word that is not a root option or its value), if known. */
    static String subcommandOf(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--log-format")) {
                i++; // its value
                continue;
            }
            if (arg.startsWith("-")) {
                continue;
            }
            for (Class<?> subcommand : ZerolockCommand.SUBCOMMANDS) {
                if (subcommand.getAnnotation(CommandLine.Command.class).name().equals(arg)) {
                    return arg;
                }
            }
            return null; // not a command: picocli says so, with every command registered for its suggestions
        }
        return null;
    }

    private static final String PASSWORD_REFUSAL = "a password cannot be given on the command line (it would be "
            + "visible in shell history and ps): use -W to be prompted, PGPASSWORD, or ~/.pgpass";

    /** An argument that no option or parameter takes, right after {@code -W}: a password typed by mistake. */
    private static boolean unmatchedAfterPasswordFlag(CommandLine.ParameterException exception, String[] args) {
        if (!(exception instanceof CommandLine.UnmatchedArgumentException unmatched)) {
            return false;
        }
        for (int i = 1; i < args.length; i++) {
            boolean afterFlag = args[i - 1].equals("-W") || args[i - 1].equals("--password");
            if (afterFlag && unmatched.getUnmatched().contains(args[i])) {
                return true;
            }
        }
        return false;
    }

    /**
     * A password typed as an argument would sit in shell history and ps output: refuse the forms that can
     * only be a password ({@code --password=X}, {@code -WX}) without echoing it. {@code -W} itself takes no
     * value, as in psql: what follows it is the next argument, for the option parser to read.
     */
    static String passwordOnCommandLine(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.startsWith("--password=") || (arg.startsWith("-W") && arg.length() > 2)) {
                return PASSWORD_REFUSAL;
            }
        }
        return null;
    }

}
