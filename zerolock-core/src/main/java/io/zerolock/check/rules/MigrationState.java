package io.zerolock.check.rules;

import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Name;
import io.zerolock.check.recognize.Recognized;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the migrations have done so far: transaction state, tables created in this file (new and empty:
 * nothing to lock or scan), settings, locks held, and the schema history of earlier files (column types,
 * NOT NULL columns, validated CHECK constraints, concurrently built indexes).
 */
public final class MigrationState {

    private final Set<String> newTables = new HashSet<>();
    private final Map<String, Name> indexTables = new HashMap<>();
    private final Map<String, java.util.List<String>> indexColumns = new HashMap<>();
    private final Map<String, Map<String, String>> columnTypes = new HashMap<>();
    private final Map<String, Set<String>> notNullColumns = new HashMap<>();
    private final Set<String> validatedChecks = new HashSet<>();
    /** Columns a validated {@code CHECK (column IS NOT NULL)} proves, per table. */
    private final Map<String, Set<String>> provenNotNull = new HashMap<>();
    /** CHECK constraints added NOT VALID, by name: their table, and the column if {@code IS NOT NULL}. */
    private final Map<String, String[]> unvalidatedChecks = new HashMap<>();
    private static final java.util.regex.Pattern IS_NOT_NULL = java.util.regex.Pattern.compile(
            "(?i)\\bcheck\\s*\\(\\s*\\(?\\s*(\"(?:[^\"]|\"\")+\"|[^\\s()\"]+)\\s*\\)?\\s+is\\s+not\\s+null\\s*\\)");
    private final Set<String> concurrentIndexes = new HashSet<>();
    private final Set<String> partitionedTables = new HashSet<>();
    private final Set<String> materializedViews = new HashSet<>();
    private final Set<String> withUniqueIndex = new HashSet<>();
    private final Set<String> withDefaultPartition = new HashSet<>();

    /** A materialized view these migrations created that has no unique index: REFRESH CONCURRENTLY fails. */
    public boolean materializedWithoutUniqueIndex(Name view) {
        String key = key(view);
        return materializedViews.contains(key) && !withUniqueIndex.contains(key);
    }

    /** Whether these migrations gave this partitioned table a DEFAULT partition. */
    public boolean hasDefaultPartition(Name table) {
        return withDefaultPartition.contains(key(table));
    }

    /** Whether these migrations created this table PARTITION BY (a partitioned parent). */
    public boolean partitioned(Name table) {
        return partitionedTables.contains(key(table));
    }

    /** Functions these migrations created, by name, with their volatility. */
    private final Map<String, String> functions = new HashMap<>();
    private final Set<String> notValidInTransaction = new HashSet<>();
    private boolean inTransaction;
    private boolean sessionLockTimeout;
    private boolean localLockTimeout;
    private String strongLock;
    private int strongLockLine;
    private boolean ddlInTransaction;
    /** The production session's time zone (configured), and the one this file set, if it did. */
    private final String defaultTimeZone;
    private String timeZone;

    private final int pgVersion;

    private final boolean lockTimeoutByDefault;

    public MigrationState() {
        this(null, 18, false);
    }

    /**
     * @param timeZone the session time zone the migrations run with in production, or null when unknown
     * @param pgVersion the major version they run on
     */
    public MigrationState(String timeZone, int pgVersion, boolean lockTimeoutByDefault) {
        this.lockTimeoutByDefault = lockTimeoutByDefault;
        this.sessionLockTimeout = lockTimeoutByDefault;
        this.defaultTimeZone = timeZone;
        this.timeZone = timeZone;
        this.pgVersion = pgVersion;
    }

    public int pgVersion() {
        return pgVersion;
    }

    /**
     * Whether the session's time zone has a zero UTC offset: then {@code timestamp} to {@code timestamptz}
     * needs no rewrite (12+), since the stored values mean the same instants.
     */
    public boolean timeZoneIsUtc() {
        return timeZone != null && UTC_ZONES.contains(timeZone.trim().toLowerCase(java.util.Locale.ROOT));
    }

    private static final Set<String> UTC_ZONES = Set.of("utc", "etc/utc", "gmt", "etc/gmt", "uct", "etc/uct",
            "universal", "etc/universal", "zulu", "etc/zulu", "greenwich", "etc/greenwich", "gmt0", "etc/gmt0",
            "gmt+0", "gmt-0", "etc/gmt+0", "etc/gmt-0", "0", "+0", "-0", "00:00", "+00:00", "z");

    private static final List<String> DEFAULT_SEARCH_PATH = List.of("public");
    private List<String> searchPath = DEFAULT_SEARCH_PATH;

    /**
     * The key of a table as PostgreSQL would find it: {@code schema.name}; an unqualified name is looked
     * up along the search_path among the tables these migrations know, else lands in its first schema.
     */
    String key(Name table) {
        if (table.schema() != null) {
            return table.schema() + "." + table.object();
        }
        for (String schema : searchPath) {
            String key = schema + "." + table.object();
            if (newTables.contains(key) || columnTypes.containsKey(key) || notNullColumns.containsKey(key)) {
                return key;
            }
        }
        return searchPath.get(0) + "." + table.object();
    }

    /** Where a CREATE puts a table: its schema, or the first schema of the search_path. */
    private String createdKey(Name table) {
        return (table.schema() != null ? table.schema() : searchPath.get(0)) + "." + table.object();
    }

    private static <V> void move(Map<String, V> map, String from, String to) {
        V value = map.remove(from);
        if (value != null) {
            map.put(to, value);
        }
    }

    /** {@code SET search_path}: the schemas, folded as PostgreSQL folds names; {@code "$user"} is skipped. */
    private static List<String> searchPath(String value) {
        if (value == null || value.equalsIgnoreCase("default")) {
            return DEFAULT_SEARCH_PATH;
        }
        List<String> schemas = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            String schema = part.trim();
            if (schema.startsWith("'") && schema.endsWith("'") && schema.length() >= 2) {
                schema = schema.substring(1, schema.length() - 1).trim();
            }
            schema = io.zerolock.check.lex.Token.identifier(schema);
            if (!schema.isEmpty() && !schema.equals("$user") && !schema.equals("pg_catalog")
                    && !schema.equals("pg_temp")) {
                schemas.add(schema);
            }
        }
        return schemas.isEmpty() ? DEFAULT_SEARCH_PATH : List.copyOf(schemas);
    }

    /** A new file: its tables are history from now on, but settings and transactions do not carry over. */
    public void newFile() {
        searchPath = DEFAULT_SEARCH_PATH;
        newTables.clear();
        inTransaction = false;
        sessionLockTimeout = lockTimeoutByDefault;
        localLockTimeout = false;
        strongLock = null;
        ddlInTransaction = false;
        notValidInTransaction.clear();
        timeZone = defaultTimeZone;
    }

    /** The migration runner opens a transaction around what follows (a file, a changeset). */
    public void runnerTransaction() {
        inTransaction = true;
        ddlInTransaction = false;
        strongLock = null;
        notValidInTransaction.clear();
    }

    /** The runner's transaction ends (the end of its file or changeset). */
    public void runnerCommit() {
        if (inTransaction) {
            endTransaction();
        }
    }

    public boolean inTransaction() {
        return inTransaction;
    }

    /** Created earlier in this file: new and empty, nothing to wait for. */
    public boolean isNew(Name table) {
        return table != null && newTables.contains(key(table));
    }

    /** Whether these migrations created (or changed) a table of this name. */
    public boolean knownTable(Name table) {
        String key = key(table);
        return newTables.contains(key) || columnTypes.containsKey(key) || notNullColumns.containsKey(key);
    }

    /** Whether these migrations created an index of this name (in any file). */
    public boolean knownIndex(Name index) {
        return index != null && indexTables.containsKey(index.object());
    }

    /** An index on a table created earlier in this file: dropping it locks nothing that has rows. */
    public boolean isNewIndex(Name index) {
        return index != null && indexTables.containsKey(index.object()) && isNew(indexTables.get(index.object()));
    }

    public boolean lockTimeoutSet() {
        return sessionLockTimeout || localLockTimeout;
    }

    /** The strong lock taken earlier in this transaction, e.g. {@code ACCESS EXCLUSIVE on orders}, or null. */
    public String strongLockHeld() {
        return strongLock;
    }

    public int strongLockLine() {
        return strongLockLine;
    }

    public boolean ddlInTransaction() {
        return ddlInTransaction;
    }

    public boolean addedNotValidInThisTransaction(String constraint) {
        return constraint != null && notValidInTransaction.contains(constraint);
    }

    public boolean builtConcurrently(String index) {
        return index != null && concurrentIndexes.contains(index);
    }

    /** The column's type as an earlier CREATE TABLE or ADD COLUMN wrote it, or null when not known. */
    public String columnType(Name table, String column) {
        Map<String, String> columns = columns(table);
        return columns == null ? null : columns.get(column);
    }

    /** What the database says of a table the migrations touch but did not create, under what they say. */
    private Map<String, String> withExisting(Name table, Map<String, String> fromMigrations) {
        if (existingColumns == null || isNew(table)) {
            return fromMigrations;
        }
        Map<String, String> existing = existingColumns.apply(table);
        if (existing == null) {
            return fromMigrations;
        }
        Map<String, String> merged = new java.util.LinkedHashMap<>(existing);
        if (fromMigrations != null) {
            merged.putAll(fromMigrations);
        }
        return merged;
    }

    /** The columns (name to type) these migrations gave a table, or null when it is not known. */
    public Map<String, String> columns(Name table) {
        Map<String, String> columns = withExisting(table, columnTypes.get(key(table)));
        return columns == null ? null : java.util.Collections.unmodifiableMap(columns);
    }

    private java.util.function.Function<Name, Map<String, String>> existingColumns;

    /**
     * The columns (name to type) of tables that exist in the database and that the migrations read do not
     * describe; null or a null answer when unknown. {@code apply} knows them; {@code check} does not.
     */
    public void existingColumns(java.util.function.Function<Name, Map<String, String>> columns) {
        this.existingColumns = columns;
    }

    /** The plain columns of an index created by these migrations; empty when unknown. */
    public java.util.List<String> indexColumns(String index) {
        return indexColumns.getOrDefault(index, java.util.List.of());
    }

    /** The volatility of a function these migrations created ({@code volatile} unless declared), or null. */
    public String functionVolatility(String name) {
        return functions.get(name);
    }

    /** The names of the functions these migrations created, with their volatility. */
    public Map<String, String> functions() {
        return java.util.Collections.unmodifiableMap(functions);
    }

    public boolean knownNotNull(Name table, String column) {
        if (notNullColumns.getOrDefault(key(table), Set.of()).contains(column)) {
            return true;
        }
        // a table these migrations did not create: what the database says, when it is known
        return existingNotNull != null && !isNew(table) && existingNotNull.test(table, column);
    }

    private java.util.function.BiPredicate<Name, String> existingNotNull;

    /** Whether a column of a table that exists in the database is NOT NULL there; apply knows, check does not. */
    public void existingNotNull(java.util.function.BiPredicate<Name, String> notNull) {
        this.existingNotNull = notNull;
    }

    /** Whether a validated CHECK was added to this table earlier (a partition's bound). */
    public boolean hasValidatedCheck(Name table) {
        return validatedChecks.contains(key(table));
    }

    /** Whether a validated {@code CHECK (column IS NOT NULL)} lets SET NOT NULL skip its scan (12+). */
    public boolean notNullProven(Name table, String column) {
        return provenNotNull.getOrDefault(key(table), Set.of()).contains(column);
    }

    /** Updates the state with a statement that ran; {@code strongLockTaken} is what it took, if strong. */
    public void apply(Recognized recognized, Locks.BlockingLock strongLockTaken, int line) {
        if (recognized instanceof Recognized.Begin) {
            inTransaction = true;
            ddlInTransaction = false;
            strongLock = null;
            notValidInTransaction.clear();
        } else if (recognized instanceof Recognized.Commit || recognized instanceof Recognized.Rollback) {
            endTransaction();
        } else if (recognized instanceof Recognized.Set set) {
            if (set.setting().equals("lock_timeout")) {
                boolean on = set.value() != null && set.value().trim().equalsIgnoreCase("default")
                        ? lockTimeoutByDefault : bounds(set.value());
                if (set.local()) {
                    localLockTimeout = on && inTransaction; // SET LOCAL outside a transaction does nothing
                } else {
                    sessionLockTimeout = on;
                }
            } else if (set.setting().equals("search_path")) {
                searchPath = searchPath(set.value());
            } else if (set.setting().equals("timezone")) {
                timeZone = set.value() == null || set.value().equalsIgnoreCase("default")
                        || set.value().equalsIgnoreCase("local") ? defaultTimeZone : set.value();
            } else if (set.setting().equals("all") && set.value() == null) {
                sessionLockTimeout = lockTimeoutByDefault;
                localLockTimeout = false;
                timeZone = defaultTimeZone;
                searchPath = DEFAULT_SEARCH_PATH;
            }
        } else if (recognized instanceof Recognized.CreateTable create) {
            String created = createdKey(create.table());
            newTables.add(created);
            if (create.partitioned()) {
                partitionedTables.add(created);
            }
            if (create.materialized()) {
                materializedViews.add(created);
            }
            if (create.defaultPartition()) {
                withDefaultPartition.add(key(create.partitionOf()));
            }
            columnTypes.put(created, new HashMap<>(create.columns()));
            notNullColumns.put(created, new HashSet<>(create.notNull()));
            ddl();
        } else if (recognized instanceof Recognized.CreateFunction function) {
            functions.put(function.function().object(), function.volatility());
            ddl();
        } else if (recognized instanceof Recognized.CreateIndex index) {
            if (index.unique() && index.table() != null) {
                withUniqueIndex.add(key(index.table()));
            }
            if (index.index() != null) {
                indexTables.put(index.index().object(), index.table());
                indexColumns.put(index.index().object(), index.columns());
                if (index.concurrently()) {
                    concurrentIndexes.add(index.index().object());
                }
            }
            ddl();
        } else if (recognized instanceof Recognized.AlterTable alter) {
            alter.actions().forEach(action -> apply(alter.table(), action));
            ddl();
        } else if (!(recognized instanceof Recognized.DataChange || recognized instanceof Recognized.Unknown
                || recognized instanceof Recognized.DoBlock)) {
            ddl();
        }
        if (strongLockTaken != null && inTransaction && strongLock == null) {
            strongLock = strongLockTaken.toString();
            strongLockLine = line;
        }
    }

    private void apply(Name table, Action action) {
        String key = key(table);
        if (action instanceof Action.AddColumn add) {
            columnTypes.computeIfAbsent(key, k -> new HashMap<>()).put(add.column(), add.type());
            if (add.notNull()) {
                notNullColumns.computeIfAbsent(key, k -> new HashSet<>()).add(add.column());
            }
        } else if (action instanceof Action.AlterColumnType type) {
            columnTypes.computeIfAbsent(key, k -> new HashMap<>()).put(type.column(), type.type());
        } else if (action instanceof Action.SetNotNull set) {
            notNullColumns.computeIfAbsent(key, k -> new HashSet<>()).add(set.column());
        } else if (action instanceof Action.AddConstraint add) {
            String notNullColumn = add.kind() == Action.ConstraintKind.CHECK ? isNotNullColumn(add.definition()) : null;
            if (add.notValid()) {
                notValidInTransactionIfAny(add.name());
                if (add.kind() == Action.ConstraintKind.CHECK && add.name() != null) {
                    unvalidatedChecks.put(add.name(), new String[] {key, notNullColumn});
                }
            } else if (add.kind() == Action.ConstraintKind.CHECK) {
                validatedCheck(key, notNullColumn);
            } else if (add.kind() == Action.ConstraintKind.PRIMARY_KEY) {
                notNullColumns.computeIfAbsent(key, k -> new HashSet<>()).addAll(add.columns());
            }
        } else if (action instanceof Action.ValidateConstraint validate) {
            // only CHECKs count: a validated foreign key proves nothing about NULLs or partition bounds
            String[] check = unvalidatedChecks.remove(validate.name());
            if (check != null) {
                validatedCheck(check[0], check[1]);
            }
        } else if (action instanceof Action.Rename rename && rename.kind() == Action.RenameKind.TABLE) {
            // the table keeps its schema and everything known about it, under its new name
            String renamed = key.substring(0, key.lastIndexOf('.') + 1) + rename.to();
            if (newTables.remove(key)) {
                newTables.add(renamed);
            }
            move(columnTypes, key, renamed);
            move(notNullColumns, key, renamed);
            move(provenNotNull, key, renamed);
            if (validatedChecks.remove(key)) {
                validatedChecks.add(renamed);
            }
        } else if (action instanceof Action.Rename rename && rename.kind() == Action.RenameKind.COLUMN) {
            Map<String, String> types = columnTypes.get(key);
            if (types != null && types.containsKey(rename.from())) {
                types.put(rename.to(), types.remove(rename.from()));
            }
            for (Map<String, Set<String>> columns : List.of(notNullColumns, provenNotNull)) {
                Set<String> set = columns.get(key);
                if (set != null && set.remove(rename.from())) {
                    set.add(rename.to());
                }
            }
        }
    }

    /**
     * Whether a lock_timeout value bounds anything: 0 (in any unit) turns it off, and DEFAULT means the
     * server's setting, 0 unless the configuration says otherwise.
     */
    private static boolean bounds(String value) {
        if (value == null) {
            return false;
        }
        String text = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (text.equals("default") || text.matches("[+]?0*(\\.0*)?\\s*(us|ms|s|min|h|d)?")) {
            return false;
        }
        // a lock_timeout of a minute or more lets the application queue that long: it protects nothing
        try {
            return io.zerolock.plan.SettingValues.parseDuration("lock_timeout", text).toMillis() < 60_000;
        } catch (io.zerolock.ZerolockException unreadable) {
            return true; // not ours to judge; the server will tell
        }
    }

    private void validatedCheck(String table, String notNullColumn) {
        validatedChecks.add(table);
        if (notNullColumn != null) {
            provenNotNull.computeIfAbsent(table, k -> new HashSet<>()).add(notNullColumn);
        }
    }

    /** The column of {@code CHECK (column IS NOT NULL)}, folded as PostgreSQL folds it; else null. */
    private static String isNotNullColumn(String definition) {
        java.util.regex.Matcher matcher = IS_NOT_NULL.matcher(definition);
        if (!matcher.find()) {
            return null;
        }
        return io.zerolock.check.lex.Token.identifier(matcher.group(1));
    }

    private void notValidInTransactionIfAny(String constraint) {
        if (inTransaction && constraint != null) {
            notValidInTransaction.add(constraint);
        }
    }

    private void ddl() {
        if (inTransaction) {
            ddlInTransaction = true;
        }
    }

    private void endTransaction() {
        inTransaction = false;
        localLockTimeout = false;
        strongLock = null;
        ddlInTransaction = false;
        notValidInTransaction.clear();
    }
}
