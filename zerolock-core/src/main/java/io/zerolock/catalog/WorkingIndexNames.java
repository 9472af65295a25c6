package io.zerolock.catalog;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the working indexes of online rebuilds are named, in one place: PostgreSQL's
 * {@code REINDEX CONCURRENTLY} names its new and old index {@code <name>_ccnew[N]} and
 * {@code <name>_ccold[N]} (the base truncated to fit 63 bytes); zerolock names its twin
 * {@code zerolock_<oid>_new} and a retired original {@code zerolock_<oid>_old}.
 */
public final class WorkingIndexNames {

    private static final Pattern CONCURRENT = Pattern.compile("(?s)(.*)_cc(new|old)\\d*");
    private static final Pattern ZEROLOCK = Pattern.compile("zerolock_(\\d+)_(new|old)");

    private WorkingIndexNames() {}

    /** {@code new} or {@code old} for a REINDEX CONCURRENTLY name, else empty. */
    public static Optional<String> concurrentRole(String indexName) {
        Matcher matcher = CONCURRENT.matcher(indexName);
        return matcher.matches() ? Optional.of(matcher.group(2)) : Optional.empty();
    }

    /** The (possibly truncated) name of the index a REINDEX CONCURRENTLY name was made from, else empty. */
    public static Optional<String> concurrentBase(String indexName) {
        Matcher matcher = CONCURRENT.matcher(indexName);
        return matcher.matches() && !matcher.group(1).isEmpty() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    public static boolean isZerolocks(String indexName) {
        return ZEROLOCK.matcher(indexName).matches();
    }

    /** The OID in {@code zerolock_<oid>_old}, else empty. */
    public static Optional<Long> retiredOid(String indexName) {
        Matcher matcher = ZEROLOCK.matcher(indexName);
        return matcher.matches() && matcher.group(2).equals("old") ? Optional.of(Long.parseLong(matcher.group(1)))
                : Optional.empty();
    }

    /** zerolock's twin of the index with this OID: unique per index, far below 63 bytes. */
    public static String working(long indexOid) {
        return "zerolock_" + indexOid + "_new";
    }

    /** The name an original index is moved to while its twin takes its place. */
    public static String retired(long indexOid) {
        return "zerolock_" + indexOid + "_old";
    }
}
