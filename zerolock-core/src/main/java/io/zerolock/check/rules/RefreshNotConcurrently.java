package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL020 refresh-materialized-view-not-concurrently: REFRESH MATERIALIZED VIEW without CONCURRENTLY takes ACCESS EXCLUSIVE on the view. */
public final class RefreshNotConcurrently extends Rule {

    public RefreshNotConcurrently() {
        super("ZL020", "refresh-materialized-view-not-concurrently", Severity.WARNING, 11,
                "REFRESH MATERIALIZED VIEW without CONCURRENTLY takes ACCESS EXCLUSIVE on the view: every query on it waits for the whole refresh.",
                "CREATE UNIQUE INDEX ON <view> (...);  -- once\nREFRESH MATERIALIZED VIEW CONCURRENTLY <view>;");
    }

    @Override
    public String safeFor(Context context) {
        if (context.recognized() instanceof io.zerolock.check.recognize.Recognized.RefreshMaterializedView refresh) {
            return SafeForms.refreshConcurrently(context, refresh.view()).orElseGet(() -> super.safeFor(context));
        }
        return super.safeFor(context);
    }

    @Override
    public Optional<String> check(Context context) {
        if (context.recognized() instanceof Recognized.RefreshMaterializedView refresh && !refresh.concurrently()
                && !context.state().isNew(refresh.view())) {
            return Optional.of("REFRESH MATERIALIZED VIEW " + refresh.view() + " without CONCURRENTLY");
        }
        return Optional.empty();
    }
}
