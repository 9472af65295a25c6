package io.zerolock.apply;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.util.List;

/** Nothing ran: these statements cannot be run safely (or an applied file changed). */
public final class ApplyRefused extends ZerolockException {

    private static final long serialVersionUID = 1L;

    private final transient List<Refusal> refusals;

    public ApplyRefused(List<Refusal> refusals) {
        super(ErrorCode.REFUSED, refusals.size() == 1 ? "refused, nothing was run: " + refusals.get(0)
                : refusals.size() + " statements refused, nothing was run: " + refusals.get(0) + " (and "
                        + (refusals.size() - 1) + " more)");
        this.refusals = List.copyOf(refusals);
    }

    public List<Refusal> refusals() {
        return refusals;
    }
}
