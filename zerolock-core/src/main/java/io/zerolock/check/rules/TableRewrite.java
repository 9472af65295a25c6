package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL019 table-rewrite: VACUUM FULL, CLUSTER, SET TABLESPACE, SET LOGGED/UNLOGGED and SET ACCESS METHOD rewrite the whole table under ACCESS EXCLUSIVE. */
public final class TableRewrite extends Rule {

    public TableRewrite() {
        super("ZL019", "table-rewrite", Severity.ERROR, 11,
                "VACUUM FULL, CLUSTER, SET TABLESPACE, SET LOGGED/UNLOGGED and SET ACCESS METHOD rewrite the whole table under ACCESS EXCLUSIVE: no reads or writes until it is done.",
                "zerolock reindex for index bloat; pg_repack or pg_squeeze for table bloat; for a tablespace move, create the new table and copy in batches.");
    }

    @Override
    public Optional<String> check(Context context) {
        Recognized r = context.recognized();
        if (r instanceof Recognized.VacuumFull vacuum
                && (vacuum.tables().isEmpty() || vacuum.tables().stream().anyMatch(t -> !context.state().isNew(t)))) {
            return Optional.of("VACUUM FULL rewrites " + (vacuum.tables().isEmpty() ? "every table"
                    : String.join(", ", vacuum.tables().stream().map(Object::toString).toList())));
        }
        if (r instanceof Recognized.Cluster cluster && (cluster.table() == null || !context.state().isNew(cluster.table()))) {
            return Optional.of("CLUSTER rewrites " + (cluster.table() == null ? "every clustered table" : cluster.table()));
        }
        if (r instanceof Recognized.AlterIndex alter && alter.setTablespace() && !context.state().isNewIndex(alter.index())) {
            return Optional.of("SET TABLESPACE rewrites index " + alter.index() + " under ACCESS EXCLUSIVE");
        }
        for (Action.Rewrite rewrite : actions(context, Action.Rewrite.class)) {
            return Optional.of(rewrite.what() + " rewrites " + table(context));
        }
        return Optional.empty();
    }
}
