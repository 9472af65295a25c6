package io.zerolock.maintain;

import io.zerolock.ZerolockException;
import io.zerolock.bloat.BloatEstimate;
import io.zerolock.bloat.BloatEstimator;
import io.zerolock.bloat.BloatRequest;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.reindex.ReindexOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code reindex --bloated}: ranks the indexes by what a rebuild gives back, then rebuilds the chosen ones
 * one at a time, each only while the window is open and only if its predicted time fits in what is left.
 */
public final class BloatedRebuild {

    private static final Logger log = LoggerFactory.getLogger(BloatedRebuild.class);

    /** Rebuilds one index, by display name, and says how it went. */
    @FunctionalInterface
    public interface Rebuilder {
        List<ReindexOutcome> rebuild(String index);
    }

    /**
     * What a run did.
     *
     * @param window what the window said when the run started, null without one
     * @param notStarted chosen indexes left for a later run, each with why
     */
    public record Run(List<Selection.Candidate> ranking, String window, List<ReindexOutcome> outcomes,
            List<String> notStarted, List<ZerolockException> failures) {}

    private final CatalogReader catalog;
    private final String stateSchema;
    private final Clock clock;

    public BloatedRebuild(CatalogReader catalog, String stateSchema, Clock clock) {
        this.catalog = catalog;
        this.stateSchema = stateSchema;
        this.clock = clock;
    }

    /**
     * @param decisions told, for the history, each time the window keeps a chosen index from starting (a
     *     wait while it is closed, a skip when the index would not finish in it)
     */
    public Run run(BloatRequest scope, Selection.Criteria criteria, Window window, boolean dryRun,
            Function<BloatEstimate, String> onlineRefusal, Rebuilder rebuilder,
            java.util.function.BiConsumer<String, io.zerolock.gate.Decision> decisions) {
        Instant now = clock.instant();
        List<BloatEstimate> estimates = new BloatEstimator(catalog, stateSchema).estimate(scope).indexes();
        List<Selection.Candidate> ranking = Selection.rank(estimates, criteria, now, onlineRefusal);
        List<ReindexOutcome> outcomes = new ArrayList<>();
        List<String> notStarted = new ArrayList<>();
        List<ZerolockException> failures = new ArrayList<>();
        String windowSaid = null;
        if (window != null) {
            Optional<Instant> closes = window.closesAt(now);
            windowSaid = closes.map(end -> "open until " + end).orElse("closed; it opens next at "
                    + window.nextOpening(now));
            if (closes.isEmpty()) {
                for (Selection.Candidate candidate : ranking) {
                    if (candidate.chosen()) {
                        notStarted.add(candidate.estimate().name().display() + ": the window is closed");
                        decisions.accept(candidate.estimate().name().display(), window(io.zerolock.gate.Verdict.WAIT,
                                "the window '" + window.text() + "' is " + windowSaid));
                    }
                }
                return new Run(ranking, windowSaid, outcomes, notStarted, failures);
            }
        }
        if (dryRun) {
            return new Run(ranking, windowSaid, outcomes, notStarted, failures);
        }
        RebuildTime time = RebuildTime.from(catalog, stateSchema);
        for (Selection.Candidate candidate : ranking) {
            if (!candidate.chosen()) {
                continue;
            }
            String name = candidate.estimate().name().display();
            if (window != null) {
                Instant at = clock.instant();
                Optional<Instant> closes = window.closesAt(at);
                if (closes.isEmpty()) {
                    notStarted.add(name + ": the window closed");
                    decisions.accept(name, window(io.zerolock.gate.Verdict.WAIT, "the window '" + window.text()
                            + "' closed"));
                    continue;
                }
                Duration needed = time.predict(name, candidate.estimate().sizeBytes());
                Duration left = Duration.between(at, closes.get());
                if (needed.compareTo(left) > 0) {
                    String why = "needs about " + needed.toSeconds() + " s, the window closes in " + left.toSeconds()
                            + " s";
                    notStarted.add(name + ": " + why);
                    decisions.accept(name, window(io.zerolock.gate.Verdict.SKIP, "it " + why));
                    continue;
                }
            }
            log.atInfo().setMessage("rebuilding a bloated index").addKeyValue("index", name)
                    .addKeyValue("reason", candidate.reason()).log();
            try {
                outcomes.addAll(rebuilder.rebuild(name));
            } catch (ZerolockException failure) {
                failures.add(failure);
                log.atWarn().setMessage("rebuild failed; going on with the others").addKeyValue("index", name)
                        .addKeyValue("error", failure.getMessage()).log();
            }
        }
        return new Run(ranking, windowSaid, outcomes, notStarted, failures);
    }

    /** The window's part in the gate's decisions. */
    private static io.zerolock.gate.Decision window(io.zerolock.gate.Verdict verdict, String reason) {
        return new io.zerolock.gate.Decision(verdict, List.of(new io.zerolock.gate.Signal("window", verdict, reason)));
    }
}
