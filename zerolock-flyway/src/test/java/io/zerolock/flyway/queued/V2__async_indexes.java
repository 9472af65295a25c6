package io.zerolock.flyway.queued;

import io.zerolock.flyway.QueueMigration;

/** A migration that queues its index for zerolock's worker instead of building it. */
public class V2__async_indexes extends QueueMigration {

    public V2__async_indexes() {
        super("CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);");
    }
}
