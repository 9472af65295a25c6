package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Name;
import io.zerolock.check.recognize.Recognized;
import java.util.List;
import java.util.Optional;

/**
 * One check, with a stable id. Subclasses say which statements they flag in {@link #check}; the rest is
 * the rule's documentation, printed with every finding.
 */
public abstract class Rule {

    private final String id;
    private final String name;
    private final Severity severity;
    private final int minVersion;
    private final String why;
    private final String safe;

    /**
     * @param minVersion the first PostgreSQL major version the rule applies to
     * @param why the lock the statement takes and what it blocks, in a sentence or two
     * @param safe the safe SQL sequence instead, with placeholders in angle brackets
     */
    protected Rule(String id, String name, Severity severity, int minVersion, String why, String safe) {
        this.id = id;
        this.name = name;
        this.severity = severity;
        this.minVersion = minVersion;
        this.why = why;
        this.safe = safe;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Severity severity() {
        return severity;
    }

    public boolean appliesTo(int pgVersion) {
        return pgVersion >= minVersion;
    }

    public String why() {
        return why;
    }

    public String safe() {
        return safe;
    }

    /** What the rule is about; most are about locks. */
    public io.zerolock.check.Category category() {
        return io.zerolock.check.Category.LOCKS;
    }

    /** The first sentence of {@link #why()} (an ellipsis is not a full stop), for tables and listings. */
    public String summary() {
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("(?<!\\.)\\.(?!\\.)(\\s|$)").matcher(why);
        return end.find() ? why.substring(0, end.start()) : why;
    }

    /** The first major version it applies to. */
    public int minVersion() {
        return minVersion;
    }

    /**
     * The safe SQL for this statement: its exact safe form when the rule can build one from the statement
     * ({@link #rewrite}), else the rule's template with the statement's names filled in.
     */
    public String safeFor(Context context) {
        return rewrite(context).map(io.zerolock.check.Rewrite::render)
                .orElseGet(() -> Placeholders.fill(safe(), context.recognized()));
    }

    /**
     * The exact safe form of this statement that {@code zerolock apply} may run instead, when the rule can
     * build one from the statement's own text; empty when only the template applies.
     */
    public Optional<io.zerolock.check.Rewrite> rewrite(Context context) {
        return Optional.empty();
    }

    /** A message when this statement breaks the rule, in the state the migration is in before it. */
    public abstract Optional<String> check(Context context);

    /** The sub-commands of this type of an ALTER TABLE on a table that existed before the migration. */
    protected static <T extends Action> List<T> actions(Context context, Class<T> type) {
        if (context.recognized() instanceof Recognized.AlterTable alter && !context.state().isNew(alter.table())) {
            return alter.actions().stream().filter(type::isInstance).map(type::cast).toList();
        }
        return List.of();
    }

    /** The table an ALTER TABLE changes. */
    protected static Name table(Context context) {
        return ((Recognized.AlterTable) context.recognized()).table();
    }
}
