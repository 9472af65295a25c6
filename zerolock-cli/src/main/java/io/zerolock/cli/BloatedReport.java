package io.zerolock.cli;

import io.zerolock.Sizes;
import io.zerolock.maintain.BloatedRebuild;
import io.zerolock.maintain.Selection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a {@code reindex --bloated} run: the ranking with a reason per index, the window, what ran. */
final class BloatedReport {

    private BloatedReport() {}

    static String text(BloatedRebuild.Run run, Selection.Criteria criteria, boolean dryRun) {
        StringBuilder text = new StringBuilder();
        text.append("Bloated indexes, biggest reclaim first (--min-size ").append(Sizes.pretty(criteria.minSizeBytes()))
                .append(", --min-bloat ").append(Math.round(criteria.minBloatRatio() * 100)).append("%, --max ")
                .append(criteria.max()).append(", --cooldown ").append(criteria.cooldown().toDays()).append("d)\n");
        if (run.ranking().isEmpty()) {
            text.append("(no indexes)\n");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (Selection.Candidate candidate : run.ranking()) {
                rows.add(List.of(candidate.chosen() ? "in" : "out", candidate.estimate().name().display(),
                        Sizes.pretty(candidate.estimate().sizeBytes()), candidate.estimate().bloatBytes() == null ? "?"
                                : Sizes.pretty(candidate.estimate().bloatBytes()),
                        BloatTable.ratio(candidate.estimate()), candidate.reason()));
            }
            text.append(TextTable.render(List.of("", "INDEX", "SIZE", "BLOAT", "RATIO", "WHY"), rows));
        }
        if (run.window() != null) {
            text.append("\nWindow: ").append(run.window()).append('\n');
        }
        if (!run.notStarted().isEmpty()) {
            text.append("\nNot started (a later run takes them):\n");
            run.notStarted().forEach(reason -> text.append("  ").append(reason).append('\n'));
        }
        if (!run.outcomes().isEmpty()) {
            text.append('\n').append(ReindexReport.render(run.outcomes(), ReindexReport.Format.text, false));
        } else if (dryRun) {
            text.append("\nDry run: nothing was changed.\n");
        }
        return text.toString();
    }

    static String json(BloatedRebuild.Run run, Selection.Criteria criteria) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("min_size_bytes", criteria.minSizeBytes());
        limits.put("min_bloat_ratio", criteria.minBloatRatio());
        limits.put("max", criteria.max());
        limits.put("cooldown_s", criteria.cooldown().toSeconds());
        root.put("criteria", limits);
        List<Map<String, Object>> ranking = new ArrayList<>();
        for (Selection.Candidate candidate : run.ranking()) {
            Map<String, Object> item = BloatTable.entry(candidate.estimate());
            item.put("chosen", candidate.chosen());
            item.put("reason", candidate.reason());
            ranking.add(item);
        }
        root.put("ranking", ranking);
        root.put("window", run.window());
        root.put("not_started", run.notStarted());
        root.put("outcomes", ReindexReport.items(run.outcomes()));
        return TextTable.json(root);
    }
}
