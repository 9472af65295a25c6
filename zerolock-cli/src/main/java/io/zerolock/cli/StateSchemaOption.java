package io.zerolock.cli;

import io.zerolock.catalog.Identifiers;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --state-schema}: where zerolock's journal lives, typed as a user types a schema name. */
final class StateSchemaOption {

    @Option(names = "--state-schema", paramLabel = "SCHEMA", defaultValue = "zerolock",
            description = "Schema of zerolock's journal, created on first write (default: ${DEFAULT-VALUE}); "
                    + "never created by --dry-run or read-only commands.")
    String stateSchema;

    /** The exact schema name (unquoted parts folded, quoted parts kept); one name only. */
    String name(CommandLine commandLine) {
        List<String> parts = Identifiers.parseQualifiedName(stateSchema);
        if (parts.size() != 1) {
            throw new CommandLine.ParameterException(commandLine, "--state-schema takes one schema name");
        }
        return parts.get(0);
    }
}
