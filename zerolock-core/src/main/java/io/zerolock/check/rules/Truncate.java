package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL028 truncate: TRUNCATE takes ACCESS EXCLUSIVE and removes every row at once. */
public final class Truncate extends Rule {

    public Truncate() {
        super("ZL028", "truncate", Severity.WARNING, 11,
                "TRUNCATE takes ACCESS EXCLUSIVE and removes every row at once.",
                "If it is meant, run it with lock_timeout set; to empty a table gradually, DELETE in batches.");
    }

    @Override
    public io.zerolock.check.Category category() {
        return io.zerolock.check.Category.DATA;
    }

    @Override
    public Optional<String> check(Context context) {
        if (context.recognized() instanceof Recognized.Truncate truncate
                && truncate.tables().stream().anyMatch(t -> !context.state().isNew(t))) {
            return Optional.of("TRUNCATE of existing table " + truncate.tables().get(0));
        }
        return Optional.empty();
    }
}
