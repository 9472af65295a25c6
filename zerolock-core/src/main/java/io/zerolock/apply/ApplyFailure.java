package io.zerolock.apply;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.util.List;

/** A statement failed: the outcome of every file, the failed one saying what is left and what happens next. */
public final class ApplyFailure extends ZerolockException {

    private static final long serialVersionUID = 1L;

    private final transient List<ApplyOutcome> outcomes;

    public ApplyFailure(List<ApplyOutcome> outcomes, ZerolockException cause) {
        super(cause.code() == ErrorCode.INTERRUPTED ? ErrorCode.INTERRUPTED : ErrorCode.OPERATION_FAILED,
                cause.getMessage(), cause);
        this.outcomes = List.copyOf(outcomes);
    }

    public List<ApplyOutcome> outcomes() {
        return outcomes;
    }
}
