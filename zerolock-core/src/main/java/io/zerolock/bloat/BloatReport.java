package io.zerolock.bloat;

import java.util.List;

/** Bloat of the indexes and the tables asked about, each list biggest reclaim first. */
public record BloatReport(List<BloatEstimate> indexes, List<BloatEstimate> tables) {

    public BloatReport {
        indexes = List.copyOf(indexes);
        tables = List.copyOf(tables);
    }
}
