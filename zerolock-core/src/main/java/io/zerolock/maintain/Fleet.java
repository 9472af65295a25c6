package io.zerolock.maintain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.zerolock.ConnectionOptions;
import io.zerolock.ConnectionTarget;
import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.connect.ConnInfo;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.plan.SettingValues;
import io.zerolock.reindex.ReindexOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fleet file: the databases one worker looks after, each with its own window and limits, and how many
 * it passes over at once. Connection strings or libpq service names; passwords never (they come from
 * {@code .pgpass} or {@code PGPASSWORD}).
 *
 * <pre>
 * parallelism = 2
 *
 * [defaults]
 * window = "Sat,Sun 01:00-05:00 Europe/Berlin"
 * min_size = "1GB"
 *
 * [[database]]
 * name = "orders"
 * dbname = "postgresql://maintenance@db1.internal/orders"
 *
 * [[database]]
 * name = "billing"
 * service = "billing-prod"
 * window = "daily 02:00-03:00 UTC"
 * max = 1
 * </pre>
 */
public record Fleet(int parallelism, List<Member> databases) {

    /** One database of the fleet and what a pass over it does. */
    public record Member(String name, String dbname, Selection.Criteria criteria, Window window) {}

    private static final Set<String> TOP = Set.of("parallelism", "defaults", "database");
    private static final Set<String> SETTINGS = Set.of("window", "min_size", "min_bloat", "max", "cooldown");
    private static final Set<String> MEMBER = Set.of("name", "dbname", "service", "window", "min_size", "min_bloat",
            "max", "cooldown");

    public Fleet {
        databases = List.copyOf(databases);
        if (parallelism < 1 || parallelism > 64) {
            throw bad("parallelism must be between 1 and 64, got " + parallelism);
        }
    }

    public static Fleet read(Path file, Selection.Criteria defaults, Window defaultWindow) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw bad("cannot read fleet file " + file + ": " + e.getMessage());
        }
        known(root, TOP, "the fleet file");
        JsonNode shared = root.path("defaults");
        if (!shared.isMissingNode()) {
            known(shared, SETTINGS, "[defaults]");
        }
        Selection.Criteria criteria = criteria(shared, defaults, "[defaults]");
        Window window = window(shared, defaultWindow, "[defaults]");
        List<Member> members = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonNode list = root.path("database");
        if (!list.isArray() || list.isEmpty()) {
            throw bad(file + " lists no databases: add [[database]] tables with a name and a dbname or service");
        }
        for (JsonNode entry : list) {
            String name = entry.path("name").asText(null);
            if (name == null || name.isBlank()) {
                throw bad("a [[database]] in " + file + " has no name");
            }
            String where = "[[database]] " + name;
            known(entry, MEMBER, where);
            if (!names.add(name)) {
                throw bad(where + " appears twice");
            }
            String dbname = entry.path("dbname").asText(null);
            String service = entry.path("service").asText(null);
            if ((dbname == null) == (service == null)) {
                throw bad(where + ": give exactly one of dbname and service");
            }
            String connection = dbname != null ? dbname : "service=" + service;
            if (dbname != null && ConnInfo.parse(dbname).containsKey("password")) {
                throw bad(where + ": its dbname holds a password; passwords never go in the fleet file (use "
                        + "~/.pgpass or PGPASSWORD)");
            }
            members.add(new Member(name, connection, criteria(entry, criteria, where), window(entry, window, where)));
        }
        return new Fleet(root.path("parallelism").asInt(1), members);
    }

    /** One pass over every database, {@link #parallelism} at a time; one that fails does not stop the others. */
    public List<Worker.Pass> pass(ConnectionResolver resolver, ReindexOptions options) {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "zerolock-fleet");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Worker.Pass>> passes = new ArrayList<>();
            for (Member member : databases) {
                passes.add(pool.submit(() -> {
                    ConnectionTarget target;
                    try {
                        target = resolver.resolve(ConnectionOptions.ofDbname(member.dbname()));
                    } catch (ZerolockException e) {
                        return Worker.Pass.of(member.name(), Worker.Status.FAILED, e.getMessage());
                    }
                    return Worker.once(member.name(), target, new Worker.Settings(member.criteria(),
                            member.window(), options));
                }));
            }
            List<Worker.Pass> done = new ArrayList<>();
            for (int i = 0; i < passes.size(); i++) {
                try {
                    done.add(passes.get(i).get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ZerolockException(ErrorCode.INTERRUPTED, "interrupted during the fleet's pass", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    done.add(Worker.Pass.of(databases.get(i).name(), Worker.Status.FAILED,
                            String.valueOf(e.getCause())));
                }
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Selection.Criteria criteria(JsonNode node, Selection.Criteria fallback, String where) {
        try {
            long minSize = node.has("min_size") ? SettingValues.parseBytes("min_size", node.get("min_size").asText())
                    : fallback.minSizeBytes();
            double minBloat = node.has("min_bloat") ? Selection.parseShare("min_bloat",
                    node.get("min_bloat").asText()) : fallback.minBloatRatio();
            int max = node.has("max") ? node.get("max").asInt() : fallback.max();
            Duration cooldown = node.has("cooldown") ? SettingValues.parseDuration("cooldown",
                    node.get("cooldown").asText()) : fallback.cooldown();
            return new Selection.Criteria(minSize, minBloat, max, cooldown);
        } catch (ZerolockException e) {
            throw bad(where + ": " + e.getMessage());
        }
    }

    private static Window window(JsonNode node, Window fallback, String where) {
        if (!node.has("window")) {
            return fallback;
        }
        try {
            return Window.parse(node.get("window").asText());
        } catch (ZerolockException e) {
            throw bad(where + ": " + e.getMessage());
        }
    }

    private static void known(JsonNode node, Set<String> keys, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (key.equals("password") || key.equals("passfile")) {
                throw bad(where + ": passwords never go in the fleet file (use ~/.pgpass or PGPASSWORD)");
            }
            if (!keys.contains(key)) {
                throw bad(where + ": unknown key '" + key + "' (known: " + String.join(", ", keys.stream().sorted()
                        .toList()) + ")");
            }
        }
    }

    private static ZerolockException bad(String message) {
        return new ZerolockException(ErrorCode.BAD_USAGE, message);
    }
}
