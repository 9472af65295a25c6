package io.zerolock.check;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway-style placeholders, {@code ${name}}, replaced by their values before a migration is checked,
 * as the migration runner replaces them before it runs the file. A placeholder without a value is left
 * as written and named in a warning.
 */
public final class Templates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.:-]+)}");

    /** The text with its placeholders replaced, and the names that had no value. */
    public record Result(String text, Set<String> missing) {}

    private Templates() {}

    public static Result substitute(String sql, Map<String, String> values) {
        Set<String> missing = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(sql);
        StringBuilder text = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = values.get(name);
            if (value == null) {
                missing.add(name);
                value = matcher.group();
            }
            matcher.appendReplacement(text, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(text);
        return new Result(text.toString(), missing);
    }
}
