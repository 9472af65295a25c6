package io.zerolock.catalog;

import io.zerolock.ErrorCode;
import io.zerolock.SqlState;
import io.zerolock.ZerolockException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads catalog facts by OID into immutable records. Every query is a short autocommit read; nothing
 * here holds a transaction or snapshot open between calls.
 */
public final class CatalogReader {

    /** A relation of the system catalogs (TOAST tables of user tables are not). */
    static final String SYSTEM = "(%1$s.nspname IN ('pg_catalog', 'information_schema') OR %2$s.oid < 16384)";

    private final Connection connection;
    private ServerInfo server;

    public CatalogReader(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    public ServerInfo server() {
        if (server == null) {
            server = query("""
                    SELECT current_setting('server_version_num')::int, current_setting('server_version'),
                           pg_is_in_recovery(), current_database(), current_user,
                           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), version()
                    """, List.of(), rows -> new ServerInfo(rows.getInt(1), rows.getString(2), rows.getBoolean(3),
                            rows.getString(4), rows.getString(5), rows.getBoolean(6), rows.getString(7)))
                    .get(0);
        }
        return server;
    }

    public Optional<IndexDefinition> index(long oid) {
        return indexes(List.of(oid)).stream().findFirst();
    }

    public IndexDefinition requireIndex(long oid) {
        return index(oid).orElseThrow(() -> new ZerolockException(ErrorCode.NOT_FOUND,
                "index with OID " + oid + " no longer exists (dropped while zerolock was running?)"));
    }

    /** The indexes with these OIDs, in the order given; OIDs that are not indexes are skipped. */
    public List<IndexDefinition> indexes(Collection<Long> oids) {
        if (oids.isEmpty()) {
            return List.of();
        }
        String oidArray = oidArray(oids);
        Map<Long, List<IndexColumn>> columns = indexColumns(oidArray);
        Map<Long, List<Long>> leaves = leafIndexes(oidArray);
        String nullsNotDistinct = server().major() >= 15 ? "x.indnullsnotdistinct" : "false";
        List<IndexDefinition> found = query("""
                SELECT c.oid, n.nspname, c.relname, t.oid, tn.nspname, t.relname, t.relkind, c.relpersistence,
                       pg_get_indexdef(c.oid), am.amname, x.indisunique, x.indisprimary, x.indisexclusion,
                       %s, x.indisvalid, x.indisready, x.indislive, pg_get_expr(x.indpred, x.indrelid),
                       ts.spcname, coalesce(c.reloptions, '{}'), obj_description(c.oid, 'pg_class'),
                       x.indisclustered, x.indisreplident, pg_get_userbyid(c.relowner), c.relkind = 'I',
                       coalesce((SELECT inhparent FROM pg_inherits WHERE inhrelid = c.oid LIMIT 1), 0),
                       pg_relation_size(c.oid), %s
                FROM pg_index x
                JOIN pg_class c ON c.oid = x.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_class t ON t.oid = x.indrelid
                JOIN pg_namespace tn ON tn.oid = t.relnamespace
                JOIN pg_am am ON am.oid = c.relam
                LEFT JOIN pg_tablespace ts ON ts.oid = c.reltablespace
                WHERE c.oid = ANY(?::oid[])
                """.formatted(nullsNotDistinct, SYSTEM.formatted("n", "c")), List.of(oidArray), rows -> {
                    long oid = rows.getLong(1);
                    List<Long> leafOids = leaves.getOrDefault(oid, List.of());
                    return new IndexDefinition(oid, QualifiedName.of(rows.getString(2), rows.getString(3)),
                            rows.getLong(4), QualifiedName.of(rows.getString(5), rows.getString(6)),
                            RelationKind.of(rows.getString(7)), Persistence.of(rows.getString(8)), rows.getString(9),
                            rows.getString(10), rows.getBoolean(11), rows.getBoolean(12), rows.getBoolean(13),
                            rows.getBoolean(14), rows.getBoolean(15), rows.getBoolean(16), rows.getBoolean(17),
                            rows.getString(18), columns.getOrDefault(oid, List.of()), rows.getString(19),
                            textArray(rows, 20), rows.getString(21), rows.getBoolean(22), rows.getBoolean(23),
                            rows.getString(24), rows.getBoolean(25), rows.getLong(26), leafOids, rows.getLong(27),
                            rows.getBoolean(28));
                });
        Map<Long, IndexDefinition> byOid = found.stream().collect(Collectors.toMap(IndexDefinition::oid, i -> i));
        List<IndexDefinition> ordered = new ArrayList<>();
        for (Long oid : oids) {
            IndexDefinition index = byOid.get(oid);
            if (index != null) {
                ordered.add(index.partitioned() ? withLeafSize(index) : index);
            }
        }
        return ordered;
    }

    /** OIDs of the indexes of one table, by name. */
    public List<Long> indexOidsOfTable(long tableOid) {
        return query("SELECT indexrelid FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
                + "WHERE x.indrelid = ? ORDER BY c.relname", List.of(tableOid), rows -> rows.getLong(1));
    }

    /**
     * OIDs of the indexes on user relations, optionally limited to one schema (by exact name) and/or one
     * table (by OID), ordered by schema, table and index name.
     */
    public List<Long> indexOids(String schema, Long tableOid) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("""
                SELECT c.oid FROM pg_index x
                JOIN pg_class c ON c.oid = x.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_class t ON t.oid = x.indrelid
                WHERE NOT %s AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
                """.formatted(SYSTEM.formatted("n", "c")));
        if (schema != null) {
            sql.append(" AND n.nspname = ?");
            parameters.add(schema);
        }
        if (tableOid != null) {
            sql.append(" AND x.indrelid = ?");
            parameters.add(tableOid);
        }
        sql.append(" ORDER BY n.nspname, t.relname, c.relname");
        return query(sql.toString(), parameters, rows -> rows.getLong(1));
    }

    public Optional<Table> table(long oid) {
        return query("""
                SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, pg_get_userbyid(c.relowner),
                       ts.spcname, c.relreplident,
                       CASE WHEN c.relispartition
                            THEN (SELECT inhparent FROM pg_inherits WHERE inhrelid = c.oid LIMIT 1) ELSE 0 END,
                       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
                       pg_get_expr(c.relpartbound, c.oid),
                       pg_table_size(c.oid), pg_indexes_size(c.oid), pg_total_relation_size(c.oid), c.reltuples, %s
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_tablespace ts ON ts.oid = c.reltablespace
                WHERE c.oid = ? AND c.relkind IN ('r', 'p', 'm', 't')
                """.formatted(SYSTEM.formatted("n", "c")), List.of(oid), rows -> new Table(rows.getLong(1),
                        QualifiedName.of(rows.getString(2), rows.getString(3)), RelationKind.of(rows.getString(4)),
                        Persistence.of(rows.getString(5)), rows.getString(6), rows.getString(7),
                        ReplicaIdentity.of(rows.getString(8)), rows.getLong(9), rows.getString(10),
                        rows.getString(11), rows.getLong(12), rows.getLong(13), rows.getLong(14), rows.getDouble(15),
                        rows.getBoolean(16)))
                .stream().findFirst();
    }

    /** OIDs of the invalid indexes of user relations, by schema, table and name. */
    public List<Long> invalidIndexOids() {
        return indexOidsWhere("NOT x.indisvalid AND n.nspname !~ '^pg_(temp_|toast_temp_)'");
    }

    /**
     * OIDs of zerolock's own working and retired indexes ({@code zerolock_<oid>_new|old}) that are valid:
     * a run that died after building its twin, or after a swap whose undo could not finish, leaves one.
     */
    public List<Long> validZerolockIndexOids() {
        return indexOidsWhere("x.indisvalid AND c.relname ~ '^zerolock_[0-9]+_(new|old)$'");
    }

    /** OIDs of the indexes of user relations that match {@code condition} (on x = pg_index, c, n, t), in name order. */
    private List<Long> indexOidsWhere(String condition) {
        return query("""
                SELECT c.oid FROM pg_index x
                JOIN pg_class c ON c.oid = x.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_class t ON t.oid = x.indrelid
                WHERE %s AND NOT %s
                ORDER BY n.nspname, t.relname, c.relname
                """.formatted(condition, SYSTEM.formatted("n", "c")), List.of(), rows -> rows.getLong(1));
    }

    /**
     * Tables on which a concurrent index build is running now (CREATE INDEX CONCURRENTLY or REINDEX
     * CONCURRENTLY, any session but this one), with who runs it: an invalid index of such a table may be
     * the build in progress, not a leftover.
     */
    public Map<Long, String> concurrentBuildsInProgress() {
        Map<Long, String> builds = new LinkedHashMap<>();
        query("""
                SELECT l.relation::bigint, 'pid ' || a.pid || ' (' || coalesce(nullif(a.application_name, ''), '-')
                       || ', running ' || extract(epoch FROM clock_timestamp() - a.query_start)::bigint || 's: "'
                       || left(regexp_replace(a.query, '\\s+', ' ', 'g'), 100) || '")'
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'relation' AND l.granted AND l.mode = 'ShareUpdateExclusiveLock'
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND a.pid <> pg_backend_pid() AND a.state = 'active'
                  AND a.query ~* '^\\s*(CREATE\\s+(UNIQUE\\s+)?INDEX\\s+CONCURRENTLY|REINDEX\\s.*CONCURRENTLY)'
                """, List.of(), rows -> builds.putIfAbsent(rows.getLong(1), rows.getString(2)));
        return builds;
    }

    /** The OID of the relation with exactly this name, if there is one. */
    public Optional<Long> relationOid(QualifiedName name) {
        return query("SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ?", List.of(name.schema(), name.name()), rows -> rows.getLong(1))
                .stream().findFirst();
    }

    /** What the current role may do to this table: own it, or (17+) MAINTAIN it. */
    public TablePrivileges privileges(long tableOid) {
        String maintain = server().major() >= 17 ? "has_table_privilege(c.oid, 'MAINTAIN')" : "false";
        return query("""
                SELECT n.nspname, c.relname, pg_get_userbyid(c.relowner), current_user,
                       pg_has_role(c.relowner, 'USAGE'), %s
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?
                """.formatted(maintain), List.of(tableOid), rows -> new TablePrivileges(tableOid,
                        QualifiedName.of(rows.getString(1), rows.getString(2)), rows.getString(3), rows.getString(4),
                        rows.getBoolean(5), rows.getBoolean(5) || rows.getBoolean(6)))
                .stream().findFirst().orElseThrow(() -> new ZerolockException(ErrorCode.NOT_FOUND,
                        "table with OID " + tableOid + " no longer exists (dropped while zerolock was running?)"));
    }

    /** The name of the relation with this OID, if it still exists. */
    public Optional<QualifiedName> relationName(long oid) {
        return query("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.oid = ?", List.of(oid), rows -> QualifiedName.of(rows.getString(1), rows.getString(2)))
                .stream().findFirst();
    }

    /** The constraints declared on a table, by name. */
    public List<Constraint> constraintsOf(long tableOid) {
        return constraints("c.conrelid = ?", tableOid);
    }

    /** The PRIMARY KEY, UNIQUE or EXCLUDE constraint an index enforces, if any. */
    public Optional<Constraint> constraintUsingIndex(long indexOid) {
        return constraints("c.conindid = ? AND c.contype IN ('p', 'u', 'x') "
                + "AND c.conrelid = (SELECT indrelid FROM pg_index WHERE indexrelid = c.conindid)", indexOid)
                .stream().findFirst();
    }

    /**
     * Every foreign key row that depends on this index: declared ones, and the per-partition clones of
     * keys declared on or referencing partitioned tables.
     */
    public List<ForeignKey> foreignKeysReferencing(long indexOid) {
        return query("""
                WITH RECURSIVE chain(oid, root) AS (
                    SELECT oid, oid FROM pg_constraint WHERE contype = 'f' AND conparentid = 0
                    UNION ALL
                    SELECT c.oid, chain.root FROM pg_constraint c JOIN chain ON c.conparentid = chain.oid
                )
                SELECT c.oid, c.conname, t.oid, tn.nspname, t.relname, t.relkind, r.oid, rn.nspname, r.relname,
                       c.conindid, pg_get_constraintdef(c.oid),
                       ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n),
                       ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
                             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n),
                       c.confupdtype, c.confdeltype, c.confmatchtype, c.condeferrable, c.condeferred,
                       c.convalidated, c.conparentid, root.oid, root.conname, rtn.nspname, rt.relname, rt.relkind,
                       obj_description(c.oid, 'pg_constraint')
                FROM pg_constraint c
                JOIN chain ON chain.oid = c.oid
                JOIN pg_constraint root ON root.oid = chain.root
                JOIN pg_class rt ON rt.oid = root.conrelid
                JOIN pg_namespace rtn ON rtn.oid = rt.relnamespace
                JOIN pg_class t ON t.oid = c.conrelid
                JOIN pg_namespace tn ON tn.oid = t.relnamespace
                JOIN pg_class r ON r.oid = c.confrelid
                JOIN pg_namespace rn ON rn.oid = r.relnamespace
                WHERE c.contype = 'f' AND c.conindid = ?
                ORDER BY c.conparentid <> 0, tn.nspname, t.relname, c.conname
                """, List.of(indexOid), rows -> new ForeignKey(rows.getLong(1), rows.getString(2), rows.getLong(3),
                        QualifiedName.of(rows.getString(4), rows.getString(5)), RelationKind.of(rows.getString(6)),
                        rows.getLong(7), QualifiedName.of(rows.getString(8), rows.getString(9)), rows.getLong(10),
                        rows.getString(11), textArray(rows, 12), textArray(rows, 13),
                        ForeignKey.Action.of(rows.getString(14)), ForeignKey.Action.of(rows.getString(15)),
                        ForeignKey.Match.of(rows.getString(16)), rows.getBoolean(17), rows.getBoolean(18),
                        rows.getBoolean(19), rows.getLong(20),
                        new ForeignKey.Root(rows.getLong(21), rows.getString(22),
                                QualifiedName.of(rows.getString(23), rows.getString(24)),
                                RelationKind.of(rows.getString(25))), rows.getString(26)));
    }

    private List<Constraint> constraints(String condition, long oid) {
        return query("""
                SELECT c.oid, c.conname, t.oid, n.nspname, t.relname, c.contype, pg_get_constraintdef(c.oid),
                       c.condeferrable, c.condeferred, c.convalidated, c.conindid, c.conparentid,
                       obj_description(c.oid, 'pg_constraint')
                FROM pg_constraint c
                JOIN pg_class t ON t.oid = c.conrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE %s
                ORDER BY c.conname
                """.formatted(condition), List.of(oid), rows -> new Constraint(rows.getLong(1), rows.getString(2),
                        rows.getLong(3), QualifiedName.of(rows.getString(4), rows.getString(5)),
                        ConstraintType.of(rows.getString(6)), rows.getString(7), rows.getBoolean(8),
                        rows.getBoolean(9), rows.getBoolean(10), rows.getLong(11), rows.getLong(12),
                        rows.getString(13)));
    }

    private Map<Long, List<IndexColumn>> indexColumns(String oidArray) {
        Map<Long, List<IndexColumn>> columns = new HashMap<>();
        query("""
                SELECT x.indexrelid, a.attnum, a.attname, pg_get_indexdef(x.indexrelid, a.attnum::int, true),
                       a.attnum <= x.indnkeyatts, x.indkey[a.attnum - 1] = 0,
                       (SELECT opcname FROM pg_opclass WHERE oid = x.indclass[a.attnum - 1]),
                       (SELECT collname FROM pg_collation WHERE oid = x.indcollation[a.attnum - 1]),
                       coalesce(x.indoption[a.attnum - 1] & 1 = 1, false),
                       coalesce(x.indoption[a.attnum - 1] & 2 = 2, false),
                       NULLIF(a.attstattarget, -1)
                FROM pg_index x
                JOIN pg_attribute a ON a.attrelid = x.indexrelid
                WHERE x.indexrelid = ANY(?::oid[]) AND a.attnum > 0
                ORDER BY x.indexrelid, a.attnum
                """, List.of(oidArray), rows -> {
                    Integer target = rows.getObject(11) == null ? null : rows.getInt(11);
                    columns.computeIfAbsent(rows.getLong(1), k -> new ArrayList<>()).add(new IndexColumn(
                            rows.getInt(2), rows.getString(3), rows.getString(4), rows.getBoolean(5),
                            rows.getBoolean(6), rows.getString(7), rows.getString(8), rows.getBoolean(9),
                            rows.getBoolean(10), target));
                    return null;
                });
        return columns;
    }

    private Map<Long, List<Long>> leafIndexes(String oidArray) {
        Map<Long, List<Long>> leaves = new LinkedHashMap<>();
        query("""
                WITH RECURSIVE tree(root, child) AS (
                    SELECT inhparent, inhrelid FROM pg_inherits WHERE inhparent = ANY(?::oid[])
                    UNION ALL
                    SELECT tree.root, i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.child
                )
                SELECT tree.root, tree.child FROM tree JOIN pg_class c ON c.oid = tree.child
                WHERE c.relkind = 'i' ORDER BY tree.root, c.relname
                """, List.of(oidArray), rows -> {
                    leaves.computeIfAbsent(rows.getLong(1), k -> new ArrayList<>()).add(rows.getLong(2));
                    return null;
                });
        return leaves;
    }

    private IndexDefinition withLeafSize(IndexDefinition index) {
        if (index.leafIndexOids().isEmpty()) {
            return index;
        }
        long size = query("SELECT coalesce(sum(pg_relation_size(oid)), 0) FROM pg_class WHERE oid = ANY(?::oid[])",
                List.of(oidArray(index.leafIndexOids())), rows -> rows.getLong(1)).get(0);
        return new IndexDefinition(index.oid(), index.name(), index.tableOid(), index.table(), index.tableKind(),
                index.persistence(), index.definition(), index.accessMethod(), index.unique(), index.primary(),
                index.exclusion(), index.nullsNotDistinct(), index.valid(), index.ready(), index.live(),
                index.predicate(), index.columns(), index.tablespace(), index.storageParameters(), index.comment(),
                index.clustered(), index.replicaIdentity(), index.owner(), index.partitioned(),
                index.parentIndexOid(), index.leafIndexOids(), size, index.systemCatalog());
    }

    static String oidArray(Collection<Long> oids) {
        return oids.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }

    static List<String> textArray(ResultSet rows, int column) throws SQLException {
        java.sql.Array array = rows.getArray(column);
        if (array == null) {
            return List.of();
        }
        return Arrays.asList((String[]) array.getArray());
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rows) throws SQLException;
    }

    <T> List<T> query(String sql, List<?> parameters, RowMapper<T> mapper) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            List<T> results = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    results.add(mapper.map(rows));
                }
            }
            return results;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** A column of a table by its exact name, if the table has it. */
    public Optional<ColumnDefinition> column(long tableOid, String name) {
        return query("""
                SELECT t.oid, n.nspname, t.relname, t.relkind, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod),
                       a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, %s,
                       CASE WHEN a.attcollation <> ty.typcollation AND a.attcollation <> 0
                            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END,
                       s.seq, (SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = s.seq::regclass),
                       NULLIF(a.attstattarget, -1), a.attacl IS NOT NULL, col_description(t.oid, a.attnum)
                FROM pg_attribute a
                JOIN pg_class t ON t.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_type ty ON ty.oid = a.atttypid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                LEFT JOIN pg_collation co ON co.oid = a.attcollation
                LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                LEFT JOIN LATERAL (SELECT pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(t.relname),
                        a.attname) AS seq) s ON true
                WHERE a.attrelid = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped
                """.formatted(server().major() >= 12 ? "a.attgenerated::text" : "''"), List.of(tableOid, name),
                rows -> new ColumnDefinition(rows.getLong(1), QualifiedName.of(rows.getString(2), rows.getString(3)),
                        RelationKind.of(rows.getString(4)), rows.getString(5), rows.getInt(6), rows.getString(7),
                        rows.getBoolean(8), rows.getString(9), rows.getString(10), rows.getString(11),
                        rows.getString(12), rows.getString(13), rows.getString(14),
                        (Integer) rows.getObject(15) == null ? null : rows.getInt(15), rows.getBoolean(16),
                        rows.getString(17))).stream().findFirst();
    }

    /**
     * What depends on a column ({@code pg_depend}, normal and automatic dependencies): indexes, constraints
     * (of its table, and foreign keys of other tables that reference it), views, triggers, policies,
     * statistics objects, generated columns, and publications that name the table.
     */
    public List<ColumnDependent> columnDependents(long tableOid, int column) {
        List<ColumnDependent> found = new ArrayList<>(query("""
                SELECT CASE
                         WHEN d.classid = 'pg_class'::regclass AND c.relkind IN ('i', 'I') THEN 'INDEX'
                         WHEN d.classid = 'pg_class'::regclass AND c.relkind = 'S' THEN 'SEQUENCE'
                         WHEN d.classid = 'pg_constraint'::regclass THEN 'CONSTRAINT'
                         WHEN d.classid = 'pg_rewrite'::regclass THEN 'VIEW'
                         WHEN d.classid = 'pg_trigger'::regclass THEN 'TRIGGER'
                         WHEN d.classid = 'pg_policy'::regclass THEN 'POLICY'
                         WHEN d.classid = 'pg_statistic_ext'::regclass THEN 'STATISTICS'
                         WHEN d.classid = 'pg_attrdef'::regclass THEN
                              CASE WHEN ad.adnum = ? THEN 'DEFAULT' ELSE 'GENERATED_COLUMN' END
                         ELSE 'OTHER' END,
                       CASE WHEN d.classid = 'pg_rewrite'::regclass THEN r.ev_class ELSE d.objid END,
                       coalesce(c.relname, con.conname, rv.relname, tg.tgname, po.polname, st.stxname,
                                adc.attname, pg_describe_object(d.classid, d.objid, d.objsubid))
                FROM pg_depend d
                LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
                LEFT JOIN pg_constraint con ON d.classid = 'pg_constraint'::regclass AND con.oid = d.objid
                LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
                LEFT JOIN pg_class rv ON rv.oid = r.ev_class
                LEFT JOIN pg_trigger tg ON d.classid = 'pg_trigger'::regclass AND tg.oid = d.objid
                LEFT JOIN pg_policy po ON d.classid = 'pg_policy'::regclass AND po.oid = d.objid
                LEFT JOIN pg_statistic_ext st ON d.classid = 'pg_statistic_ext'::regclass AND st.oid = d.objid
                LEFT JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND ad.oid = d.objid
                LEFT JOIN pg_attribute adc ON adc.attrelid = ad.adrelid AND adc.attnum = ad.adnum
                WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = ? AND d.refobjsubid = ?
                  AND d.deptype IN ('n', 'a')
                  AND NOT (d.classid = 'pg_rewrite'::regclass AND r.ev_class = ?)
                ORDER BY 1, 3
                """, List.of(column, tableOid, column, tableOid), rows -> rows.getString(1).equals("SEQUENCE")
                        || rows.getString(1).equals("DEFAULT") ? null
                        : new ColumnDependent(ColumnDependent.Kind.valueOf(rows.getString(1)), rows.getLong(2),
                                rows.getString(3))));
        found.removeIf(java.util.Objects::isNull);
        found.addAll(query("SELECT 0::oid, pubname FROM pg_publication p WHERE p.puballtables OR EXISTS (SELECT 1 FROM "
                + "pg_publication_rel pr WHERE pr.prpubid = p.oid AND pr.prrelid = ?)" + (server().major() >= 15
                        ? " OR EXISTS (SELECT 1 FROM pg_publication_namespace pn JOIN pg_class t ON t.relnamespace = "
                                + "pn.pnnspid WHERE pn.pnpubid = p.oid AND t.oid = ?)" : "") + " ORDER BY pubname",
                server().major() >= 15 ? List.of(tableOid, tableOid) : List.of(tableOid), rows -> new ColumnDependent(ColumnDependent.Kind.PUBLICATION, rows.getLong(1),
                        rows.getString(2))));
        return found.stream().distinct().toList();
    }

    /** The names of a table's columns, in order. */
    public List<String> columnNames(long tableOid) {
        return query("SELECT attname FROM pg_attribute WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped "
                + "ORDER BY attnum", List.of(tableOid), rows -> rows.getString(1));
    }

    /** Whether the table has inheritance parents or children (a partition has its partitioned table). */
    public boolean hasInheritance(long tableOid) {
        return query("SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = ? OR inhparent = ?)",
                List.of(tableOid, tableOid), rows -> rows.getBoolean(1)).get(0);
    }

    /** Whether the session's time zone is UTC (a {@code timestamp} to {@code timestamptz} change needs no rewrite). */
    public boolean utcSession() {
        return query("SELECT current_setting('TimeZone') IN ('UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Zulu', "
                + "'Etc/Zulu', 'UCT', 'Etc/UCT', 'Universal', 'Etc/Universal')", List.of(), rows -> rows.getBoolean(1))
                .get(0);
    }

    /**
     * A type as PostgreSQL names it ({@code format_type}, with its modifier), asked of PostgreSQL itself by a
     * temporary table with a column of it, rolled back; empty when PostgreSQL does not know the type. The
     * text must be one type, not more SQL: the caller makes sure of that.
     */
    public Optional<String> canonicalType(String type) {
        return inRolledBackTransaction(sql -> {
            sql.execute("CREATE TEMP TABLE zerolock_type_probe (v " + type + ")");
            try (ResultSet rows = sql.executeQuery("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                    + "WHERE attrelid = 'pg_temp.zerolock_type_probe'::regclass AND attname = 'v'")) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        });
    }

    @FunctionalInterface
    private interface Probe<T> {
        Optional<T> ask(java.sql.Statement sql) throws SQLException;
    }

    /** Work done by {@link #rolledBack}: SQL on a statement inside the transaction. */
    @FunctionalInterface
    public interface RolledBackWork<T> {
        T run(java.sql.Statement sql) throws SQLException;
    }

    /**
     * Asks PostgreSQL something by making temporary objects, in a transaction that is always rolled back,
     * under a short lock_timeout. Empty when PostgreSQL refuses, or when the connection is inside a caller's
     * transaction (not ours to roll back).
     */
    private <T> Optional<T> inRolledBackTransaction(Probe<T> probe) {
        try {
            return connection.getAutoCommit() ? rolledBack(probe::ask) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs {@code work} in a transaction of its own that is always rolled back, under a 1 s lock_timeout (so
     * it never queues behind a lock request), on this autocommit connection; PostgreSQL's refusals are thrown.
     */
    public <T> T rolledBack(RolledBackWork<T> work) throws SQLException {
        if (!connection.getAutoCommit()) {
            throw new IllegalStateException("the catalog connection is inside a transaction");
        }
        connection.setAutoCommit(false);
        try (java.sql.Statement sql = connection.createStatement()) {
            sql.execute("SET LOCAL lock_timeout = '1s'");
            return work.run(sql);
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    // Relations named as a statement writes them (search_path applied, as the statement will see them):
    // what apply needs to know of the tables a migration changes. A name the server cannot parse names nothing.

    /** The relation this written name denotes now, if any. */
    public Optional<QualifiedName> relationNamed(String written) {
        return byWrittenName("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE c.oid = to_regclass(?)", written,
                rows -> QualifiedName.of(rows.getString(1), rows.getString(2))).stream().findFirst();
    }

    /** The columns of the table this written name denotes, name to type, in order; empty when none. */
    public Map<String, String> columnTypes(String written) {
        Map<String, String> columns = new LinkedHashMap<>();
        byWrittenName("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                + "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                written, rows -> columns.put(rows.getString(1), rows.getString(2)));
        return columns;
    }

    /** The columns of that table that are NOT NULL now. */
    public Set<String> notNullColumns(String written) {
        return new java.util.HashSet<>(byWrittenName("SELECT attname FROM pg_attribute WHERE attrelid = "
                + "to_regclass(?) AND attnum > 0 AND attnotnull AND NOT attisdropped", written,
                rows -> rows.getString(1)));
    }

    /** Its primary key when it is one column of an integer type, quoted. */
    public Optional<String> integerPrimaryKey(String written) {
        return byWrittenName("SELECT quote_ident(a.attname) FROM pg_index i JOIN pg_attribute a "
                + "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(?) "
                + "AND i.indisprimary AND i.indnkeyatts = 1 "
                + "AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)", written,
                rows -> rows.getString(1)).stream().findFirst();
    }

    /**
     * The constraint PostgreSQL will require of a table attached to this partitioned table with this bound
     * ({@code FOR VALUES ...} or {@code DEFAULT}, as the ATTACH writes it), asked of PostgreSQL itself: a
     * temporary partitioned table with the same columns, key and (for a DEFAULT bound) the same partitions
     * is given a partition with the bound, its constraint read, and the whole transaction rolled back. It
     * locks nothing of the user's but ACCESS SHARE on the parent, under a short lock_timeout. Empty when the
     * table is not partitioned, when PostgreSQL refuses the bound (the ATTACH itself will say why), or when
     * there is nothing to prove (a DEFAULT partition alone).
     */
    public Optional<PartitionBound> proposedPartitionBound(String parent, String bound) {
        record Parent(long oid, String keyDef, String name, boolean isPartition) {}
        Optional<Parent> found = byWrittenName("SELECT c.oid, pg_get_partkeydef(c.oid), quote_ident(n.nspname) || "
                + "'.' || quote_ident(c.relname), c.relispartition FROM pg_class c JOIN pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE c.oid = to_regclass(?) AND c.relkind = 'p'", parent,
                rows -> new Parent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getBoolean(4)))
                .stream().findFirst();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Parent table = found.get();
        record Partition(String bound, String schema, String name) {}
        List<Partition> partitions = query("SELECT pg_get_expr(c.relpartbound, c.oid), n.nspname, c.relname "
                + "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE i.inhparent = ? ORDER BY c.oid", List.of(table.oid()),
                rows -> new Partition(rows.getString(1), rows.getString(2), rows.getString(3)));
        Optional<QualifiedName> defaultPartition = partitions.stream().filter(p -> p.bound().equals("DEFAULT"))
                .map(p -> QualifiedName.of(p.schema(), p.name())).findFirst();
        boolean isDefault = bound.strip().equalsIgnoreCase("DEFAULT");
        // refused bound, or a parent busy: empty, and the ATTACH as written says why
        return inRolledBackTransaction(sql -> {
            sql.execute("CREATE TEMP TABLE zerolock_probe (LIKE " + table.name() + ") PARTITION BY "
                    + table.keyDef());
            if (isDefault) { // a DEFAULT partition holds what no other does: its constraint names them all
                int i = 0;
                for (Partition partition : partitions) {
                    if (!partition.bound().equals("DEFAULT")) {
                        sql.execute("CREATE TEMP TABLE zerolock_probe_" + i++ + " PARTITION OF zerolock_probe "
                                + partition.bound());
                    }
                }
            }
            sql.execute("CREATE TEMP TABLE zerolock_probe_new PARTITION OF zerolock_probe " + bound);
            String constraint;
            long probe;
            try (ResultSet rows = sql.executeQuery("SELECT pg_get_partition_constraintdef("
                    + "'pg_temp.zerolock_probe_new'::regclass), 'pg_temp.zerolock_probe'::regclass::oid")) {
                rows.next();
                constraint = rows.getString(1);
                probe = rows.getLong(2);
            }
            if (constraint == null) {
                return Optional.empty();
            }
            // a hash bound names its parent by OID: the real parent's, not the probe's
            constraint = constraint.replace("'" + probe + "'::oid", "'" + table.oid() + "'::oid");
            if (table.isPartition()) { // the attached table must fit the parent's own bounds too
                try (ResultSet rows = sql.executeQuery("SELECT pg_get_partition_constraintdef(" + table.oid()
                        + ")")) {
                    if (rows.next() && rows.getString(1) != null) {
                        constraint = rows.getString(1) + " AND " + constraint;
                    }
                }
            }
            return Optional.of(new PartitionBound(constraint, isDefault ? Optional.empty() : defaultPartition));
        });
    }

    /**
     * Whether {@code REFRESH MATERIALIZED VIEW CONCURRENTLY} works on this view now: populated, with a valid
     * unique index on plain columns and no WHERE (what PostgreSQL requires).
     */
    public boolean refreshableConcurrently(String written) {
        return byWrittenName("SELECT c.relispopulated AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = "
                + "c.oid AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL) "
                + "FROM pg_class c WHERE c.oid = to_regclass(?) AND c.relkind = 'm'", written,
                rows -> rows.getBoolean(1)).stream().findFirst().orElse(false);
    }

    /** Whether the index this written name denotes is valid; empty when there is none. */
    public Optional<Boolean> indexValidity(String written) {
        return byWrittenName("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(?)", written,
                rows -> rows.getBoolean(1)).stream().findFirst();
    }

    private <T> List<T> byWrittenName(String sql, String written, RowMapper<T> mapper) {
        try {
            return query(sql, List.of(written), mapper);
        } catch (ZerolockException e) {
            if (e.getCause() instanceof SQLException cause && ("42602".equals(cause.getSQLState())
                    || "42601".equals(cause.getSQLState()))) {
                return List.of(); // not a name PostgreSQL can parse: it names no relation
            }
            throw e;
        }
    }

    private ZerolockException failed(SQLException e) {
        if (SqlState.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
            return new ZerolockException(ErrorCode.OPERATION_FAILED, "reading the catalog waited too long for a lock: "
                    + "another session holds an exclusive lock (VACUUM FULL, CLUSTER, ALTER TABLE, TRUNCATE, or a "
                    + "transaction that did one of them and is still open): " + exclusiveLockHolders()
                    + "; nothing was changed: run again once it is done", e);
        }
        if (SqlState.QUERY_CANCELED.equals(e.getSQLState())) {
            return new ZerolockException(ErrorCode.OPERATION_FAILED, "reading the catalog took too long and was "
                    + "cancelled (" + e.getMessage() + "); nothing was changed: run again when the server is less busy",
                    e);
        }
        return new ZerolockException(ErrorCode.OPERATION_FAILED,
                "catalog query failed: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
    }

    /** Who holds ACCESS EXCLUSIVE locks in this database: pid, application, age and query of each. */
    private String exclusiveLockHolders() {
        try {
            return LockHolders.exclusive(connection).orElse("the holder has gone since");
        } catch (SQLException e) {
            return "could not list the holders (" + e.getMessage() + ")";
        }
    }
}
