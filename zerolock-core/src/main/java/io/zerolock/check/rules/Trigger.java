package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL021 trigger: CREATE TRIGGER and ENABLE/DISABLE TRIGGER take SHARE ROW EXCLUSIVE on the table. */
public final class Trigger extends Rule {

    public Trigger() {
        super("ZL021", "trigger", Severity.WARNING, 11,
                "CREATE TRIGGER and ENABLE/DISABLE TRIGGER take SHARE ROW EXCLUSIVE on the table, DROP TRIGGER ACCESS EXCLUSIVE: writes (and for DROP, reads) wait, and the statement itself waits behind every running transaction on the table. Under a lock_timeout the lock is brief and bounded.",
                "SET lock_timeout = '1s';  -- then create or change the trigger, retrying on lock timeout");
    }

    @Override
    public Optional<String> check(Context context) {
        // brief, under a lock_timeout: it blocks no one for long (long work after it is ZL023's business)
        if (context.state().lockTimeoutSet()) {
            return Optional.empty();
        }
        if (context.recognized() instanceof Recognized.CreateTrigger trigger && !context.state().isNew(trigger.table())) {
            return Optional.of("trigger " + trigger.trigger() + " created on existing table " + trigger.table());
        }
        if (context.recognized() instanceof Recognized.DropTrigger trigger && !context.state().isNew(trigger.table())) {
            return Optional.of("trigger " + trigger.trigger() + " dropped from existing table " + trigger.table()
                    + " (ACCESS EXCLUSIVE: reads wait too)");
        }
        for (Action.EnableDisableTrigger change : actions(context, Action.EnableDisableTrigger.class)) {
            return Optional.of("trigger " + change.trigger() + (change.enable() ? " enabled" : " disabled") + " on "
                    + table(context));
        }
        return Optional.empty();
    }
}
