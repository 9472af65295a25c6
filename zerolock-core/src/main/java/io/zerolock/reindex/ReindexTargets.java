package io.zerolock.reindex;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.NameResolver;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.catalog.ServerInfo;
import io.zerolock.catalog.WorkingIndexNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which indexes a reindex run rebuilds, and each one's plan or why it is skipped. */
final class ReindexTargets {

    private static final Logger log = LoggerFactory.getLogger(ReindexTargets.class);

    private final ReindexOptions options;

    ReindexTargets(ReindexOptions options) {
        this.options = options;
    }

    /** The indexes a request names (each must exist) and those its --table or --schema finds. */
    static void resolve(ReindexRequest request, CatalogReader catalog, Set<Long> named, Set<Long> found) {
        NameResolver names = new NameResolver(catalog);
        for (String name : request.indexes()) {
            named.add(names.index(name).oid());
        }
        if (request.table() != null) {
            String table = request.schema() != null && !request.table().contains(".")
                    ? request.schema() + "." + request.table() : request.table();
            found.addAll(catalog.indexOidsOfTable(names.table(table).oid()));
        } else if (request.schema() != null) {
            found.addAll(catalog.indexOids(names.schema(request.schema()), null));
        }
        found.removeAll(named);
    }

    /**
     * Each target's plan, or why it is skipped; a named index that cannot be rebuilt online refuses the
     * whole run before anything changes. zerolock's own and REINDEX CONCURRENTLY's leftovers are never
     * targets.
     */
    List<Prepared> prepare(CatalogReader catalog, ServerInfo server, Set<Long> named, Set<Long> found,
            ReindexOptions effective) {
        ReindexPlanner planner = new ReindexPlanner(effective, server);
        List<Prepared> prepared = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        List<Long> all = new ArrayList<>(named);
        all.addAll(found);
        for (IndexDefinition index : catalog.indexes(all)) {
            boolean explicit = named.contains(index.oid());
            String name = index.name().name();
            // zerolock's own working and retired indexes, and (when invalid) REINDEX CONCURRENTLY's: never targets
            if (!explicit && (WorkingIndexNames.isZerolocks(name)
                    || (!index.valid() && WorkingIndexNames.concurrentRole(name).isPresent()))) {
                continue; // a leftover of a failed run: dropped before a rebuild, or by cleanup; not a target
            }
            Optional<Constraint> constraint = catalog.constraintUsingIndex(index.oid());
            List<ForeignKey> keys = catalog.foreignKeysReferencing(index.oid());
            RebuildVerdict verdict = Rebuildability.assess(index, constraint, keys, server,
                    catalog::privileges);
            String refusal = null;
            Strategy strategy = null;
            if (!verdict.online()) {
                refusal = verdict.reason() + "; instead: " + verdict.alternative();
            } else if (options.strategy() != null && !verdict.strategies().contains(options.strategy())) {
                refusal = "strategy " + options.strategy().id() + " cannot rebuild it: " + verdict.reason();
            } else {
                strategy = options.strategy() != null ? options.strategy() : verdict.strategies().get(0);
            }
            if (refusal != null) {
                if (explicit) {
                    refusals.add(index.name().display() + ": " + refusal);
                } else {
                    log.atWarn().setMessage("skipping index").addKeyValue("index", index.name().display())
                            .addKeyValue("reason", refusal).log();
                    prepared.add(new Prepared(index, null, refusal));
                }
                continue;
            }
            List<IndexDefinition> leaves = index.partitioned() ? catalog.indexes(index.leafIndexOids()) : List.of();
            List<IndexDefinition> siblings = index.partitioned() ? List.of()
                    : catalog.indexes(catalog.indexOidsOfTable(index.tableOid()));
            boolean twinBuilt = strategy == Strategy.SWAP
                    && siblings.stream().anyMatch(other -> ReindexTarget.isBuiltTwin(other, index));
            List<QualifiedName> leftovers = siblings.stream()
                    .filter(other -> ReindexTarget.isLeftover(other, index)
                            && !(twinBuilt && ReindexTarget.isBuiltTwin(other, index)))
                    .map(IndexDefinition::name).toList();
            ReindexTarget target = new ReindexTarget(index, constraint, keys, leaves, leftovers, twinBuilt);
            Map<Long, QualifiedName> tables = new TreeMap<>();
            tables.put(index.tableOid(), index.table());
            keys.forEach(key -> tables.put(key.tableOid(), key.table()));
            prepared.add(new Prepared(index, planner.plan(target, strategy), null, tables));
        }
        if (!refusals.isEmpty()) {
            throw new ZerolockException(ErrorCode.REFUSED, "refused, nothing was changed: " + String.join("; ",
                    refusals));
        }
        return prepared;
    }
}
