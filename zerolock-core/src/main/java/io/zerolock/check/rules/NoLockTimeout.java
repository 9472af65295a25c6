package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import io.zerolock.plan.LockMode;
import java.util.Optional;

/** ZL022 no-lock-timeout: A statement that needs ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE waits behind every running transaction on the table, and while it waits every other query queues behind it. */
public final class NoLockTimeout extends Rule {

    public NoLockTimeout() {
        super("ZL022", "no-lock-timeout", Severity.WARNING, 11,
                "A statement that needs ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE waits behind every running transaction on the table, and while it waits every other query queues behind it: without lock_timeout, one long query stalls the application.",
                "SET lock_timeout = '1s';  -- before the statement; retry the migration on a lock timeout");
    }

    @Override
    public Optional<String> check(Context context) {
        Locks.BlockingLock lock = Locks.blockingLock(context.recognized(), context.state());
        if (lock == null || context.state().lockTimeoutSet()
                || !(lock.mode() == LockMode.ACCESS_EXCLUSIVE || lock.mode() == LockMode.SHARE_ROW_EXCLUSIVE)) {
            return Optional.empty();
        }
        return Optional.of("takes " + lock + " with no lock_timeout set before it");
    }
}
