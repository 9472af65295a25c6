package io.zerolock.maintain;

import io.zerolock.ErrorCode;
import io.zerolock.Sizes;
import io.zerolock.ZerolockException;
import io.zerolock.bloat.BloatEstimate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Which bloated indexes are worth rebuilding now: those over the size and bloat thresholds, not rebuilt
 * within the cool-down, that can be rebuilt online, biggest reclaim first, at most so many per run. Every
 * index gets a reason for being in or out.
 */
public final class Selection {

    private Selection() {}

    /**
     * @param minBloatRatio 0 to 1
     * @param max indexes per run
     */
    public record Criteria(long minSizeBytes, double minBloatRatio, int max, Duration cooldown) {

        public Criteria {
            if (minSizeBytes < 0) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "--min-size cannot be negative");
            }
            if (!(minBloatRatio >= 0 && minBloatRatio <= 1)) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "--min-bloat must be between 0% and 100%");
            }
            if (max < 1) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "--max must be at least 1");
            }
            if (cooldown == null || cooldown.isNegative()) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "--cooldown must be a duration of 0 or more");
            }
        }

        /** 10 MB, 30%, 2 per run, 7 days. */
        public static Criteria defaults() {
            return new Criteria(10L << 20, 0.3, 2, Duration.ofDays(7));
        }
    }

    /** One index, whether it is chosen, and why (or why not). */
    public record Candidate(BloatEstimate estimate, boolean chosen, String reason) {}

    /**
     * @param onlineRefusal why an index cannot be rebuilt online, or null when it can
     */
    public static List<Candidate> rank(List<BloatEstimate> indexes, Criteria criteria, Instant now,
            Function<BloatEstimate, String> onlineRefusal) {
        List<BloatEstimate> ordered = indexes.stream().sorted(Comparator.comparing((BloatEstimate e) ->
                e.bloatBytes() == null ? -1 : e.bloatBytes()).reversed()).toList();
        List<Candidate> ranked = new ArrayList<>();
        int chosen = 0;
        for (BloatEstimate estimate : ordered) {
            String out = reasonOut(estimate, criteria, now);
            if (out == null) {
                String refusal = onlineRefusal.apply(estimate);
                if (refusal != null) {
                    out = "cannot be rebuilt online: " + refusal;
                }
            }
            if (out == null && chosen >= criteria.max()) {
                out = "beyond --max " + criteria.max() + " for this run";
            }
            if (out == null) {
                chosen++;
                ranked.add(new Candidate(estimate, true, "gives back about " + Sizes.pretty(estimate.bloatBytes())
                        + " (" + percent(estimate.bloatRatio()) + ")"));
            } else {
                ranked.add(new Candidate(estimate, false, out));
            }
        }
        return ranked;
    }

    private static String reasonOut(BloatEstimate estimate, Criteria criteria, Instant now) {
        if (estimate.bloatBytes() == null) {
            return "no estimate" + (estimate.note() == null ? "" : " (" + estimate.note() + ")");
        }
        if (estimate.sizeBytes() < criteria.minSizeBytes()) {
            return Sizes.pretty(estimate.sizeBytes()) + ", under --min-size " + Sizes.pretty(criteria.minSizeBytes());
        }
        if (estimate.bloatRatio() < criteria.minBloatRatio()) {
            return percent(estimate.bloatRatio()) + " bloat, under --min-bloat " + percent(criteria.minBloatRatio());
        }
        if (estimate.lastRebuild() != null && estimate.lastRebuild().isAfter(now.minus(criteria.cooldown()))) {
            return "rebuilt " + estimate.lastRebuild() + ", within --cooldown " + criteria.cooldown().toDays() + "d";
        }
        return null;
    }

    /** A share written as {@code 30%} or {@code 0.3}, from 0 to 1. */
    public static double parseShare(String option, String text) {
        String trimmed = text == null ? "" : text.trim();
        try {
            double value = trimmed.endsWith("%")
                    ? Double.parseDouble(trimmed.substring(0, trimmed.length() - 1).trim()) / 100
                    : Double.parseDouble(trimmed);
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ZerolockException(ErrorCode.BAD_USAGE, option + " takes a share like 30% (0% to 100%), got '"
                + text + "'");
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }
}
