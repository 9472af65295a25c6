package io.zerolock.reindex;

import java.util.List;

/**
 * Whether an index can be rebuilt online on this server, by which strategies, and if not, why and what
 * to do instead.
 *
 * @param strategies usable strategies, the preferred one first; empty when the index cannot be rebuilt online
 * @param reason why a strategy (or every strategy) is not usable; null when all are
 * @param alternative the manual way, when none is usable
 */
public record RebuildVerdict(List<Strategy> strategies, String reason, String alternative) {

    public RebuildVerdict {
        strategies = List.copyOf(strategies);
    }

    public boolean online() {
        return !strategies.isEmpty();
    }

    public static RebuildVerdict refused(String reason, String alternative) {
        return new RebuildVerdict(List.of(), reason, alternative);
    }
}
