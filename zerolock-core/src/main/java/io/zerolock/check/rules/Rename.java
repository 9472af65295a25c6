package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL015 rename: Renaming a column or table is instant, but every running application instance that still uses the old name fails from that moment on. */
public final class Rename extends Rule {

    public Rename() {
        super("ZL015", "rename", Severity.WARNING, 11,
                "Renaming a column or table is instant, but every running application instance that still uses the old name fails from that moment on.",
                "Expand and contract: add the new column (or a view named like the new table), deploy code that uses both, backfill, switch, then drop the old one in a later release.");
    }

    @Override
    public io.zerolock.check.Category category() {
        return io.zerolock.check.Category.COMPATIBILITY;
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.Rename rename : actions(context, Action.Rename.class)) {
            if (rename.kind() != Action.RenameKind.CONSTRAINT) {
                return Optional.of(rename.kind() == Action.RenameKind.TABLE ? "table " + table(context) + " renamed to "
                        + rename.to() : "column " + table(context) + "." + rename.from() + " renamed to " + rename.to());
            }
        }
        return Optional.empty();
    }
}
