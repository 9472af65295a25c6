package io.zerolock.check.rules;

import java.util.List;

/** Every rule, in id order. */
public final class Rules {

    private Rules() {}

    public static List<Rule> all() {
        return List.of(new CreateIndexNotConcurrently(), new DropIndexNotConcurrently(), new ReindexNotConcurrently(),
                new ConcurrentlyInTransaction(), new ConcurrentIfNotExists(), new VolatileDefault(), new SetNotNull(),
                new CheckWithoutNotValid(), new ForeignKeyWithoutNotValid(), new ValidateInSameTransaction(),
                new UniqueWithoutIndex(), new PrimaryKeyOnNullableColumns(), new ExclusionConstraint(),
                new ColumnTypeRewrite(), new Rename(), new DropColumnOrTable(), new DetachPartitionNotConcurrently(),
                new AttachPartitionWithoutCheck(), new TableRewrite(), new RefreshNotConcurrently(), new Trigger(),
                new NoLockTimeout(), new LockHeldAcrossStatements(), new BackfillInDdlTransaction(), new DomainCheck(),
                new AddSerialOrStoredGeneratedColumn(), new JsonColumn(), new Truncate());
    }
}
