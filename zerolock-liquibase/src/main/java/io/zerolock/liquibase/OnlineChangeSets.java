package io.zerolock.liquibase;

import liquibase.Scope;
import liquibase.changelog.ChangeSet;

/**
 * How a changelog asks zerolock for the online form of its changes: a changeset with
 * {@code runInTransaction="false"}. {@code CREATE INDEX CONCURRENTLY} cannot run in a transaction, and a
 * constraint added {@code NOT VALID} is validated by a second statement that must not share the first one's
 * lock; so the changeset that lets each statement commit on its own is the one that gets the online form.
 * Every other changeset keeps Liquibase's own SQL.
 */
final class OnlineChangeSets {

    private OnlineChangeSets() {}

    /** Whether the changeset Liquibase runs (or prints) now runs outside a transaction. */
    static boolean current() {
        ChangeSet changeSet = Scope.getCurrentScope().get(Scope.Attr.changeSet.name(), ChangeSet.class);
        return changeSet != null && !changeSet.isRunInTransaction();
    }
}
