package io.zerolock.reindex;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.util.List;

/**
 * A run in which at least one index failed. Every target was still tried: {@link #outcomes()} has one
 * entry per target, {@code FAILED} ones with their reason. With one failure, the message and cause are
 * that failure's own.
 */
public final class ReindexFailure extends ZerolockException {

    private static final long serialVersionUID = 1L;

    private final transient List<ReindexOutcome> outcomes;

    ReindexFailure(List<ReindexOutcome> outcomes, List<ZerolockException> failures) {
        super(code(failures), message(outcomes, failures),
                failures.get(0).getCause());
        this.outcomes = List.copyOf(outcomes);
    }

    /** A stop wins: the run was interrupted, whatever else failed. */
    private static ErrorCode code(List<ZerolockException> failures) {
        if (failures.stream().anyMatch(f -> f.code() == ErrorCode.INTERRUPTED)) {
            return ErrorCode.INTERRUPTED;
        }
        return failures.size() == 1 ? failures.get(0).code() : ErrorCode.OPERATION_FAILED;
    }

    private static String message(List<ReindexOutcome> outcomes, List<ZerolockException> failures) {
        if (failures.size() == 1) {
            return failures.get(0).getMessage();
        }
        List<String> each = outcomes.stream().filter(o -> o.status() == ReindexOutcome.Status.FAILED)
                .map(o -> o.index().display() + ": " + o.message()).toList();
        return failures.size() + " of " + outcomes.size() + " indexes failed (the others are reported as they "
                + "ended): " + String.join("; ", each);
    }

    public List<ReindexOutcome> outcomes() {
        return outcomes;
    }
}
