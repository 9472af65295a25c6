package io.zerolock.check.rules;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Type changes PostgreSQL makes without a rewrite (binary-coercible, and no stricter typmod). */
public final class TypeChanges {

    private static final Pattern VARCHAR = Pattern.compile("(character varying|varchar)\\s*(?:\\(\\s*(\\d+)\\s*\\))?");
    private static final Pattern NUMERIC = Pattern.compile("(numeric|decimal)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?");

    /** The names PostgreSQL gives one type: each alias to its canonical spelling. */
    private static final java.util.Map<String, String> ALIASES = java.util.Map.ofEntries(
            java.util.Map.entry("int", "integer"), java.util.Map.entry("int4", "integer"),
            java.util.Map.entry("int8", "bigint"), java.util.Map.entry("int2", "smallint"),
            java.util.Map.entry("bool", "boolean"), java.util.Map.entry("float8", "double precision"),
            java.util.Map.entry("float", "double precision"), java.util.Map.entry("float4", "real"),
            java.util.Map.entry("timestamptz", "timestamp with time zone"),
            java.util.Map.entry("timestamp", "timestamp without time zone"),
            java.util.Map.entry("timetz", "time with time zone"), java.util.Map.entry("time", "time without time zone"),
            java.util.Map.entry("varbit", "bit varying"), java.util.Map.entry("decimal", "numeric"),
            java.util.Map.entry("character varying", "varchar"), java.util.Map.entry("char", "character"),
            java.util.Map.entry("bpchar", "character"), java.util.Map.entry("serial", "integer"),
            java.util.Map.entry("serial4", "integer"), java.util.Map.entry("bigserial", "bigint"),
            java.util.Map.entry("serial8", "bigint"), java.util.Map.entry("smallserial", "smallint"),
            java.util.Map.entry("serial2", "smallint"));

    private static final Pattern TEMPORAL = Pattern.compile(
            "(timestamptz|timestamp|timetz|time)\\s*(\\(\\d+\\))?\\s*(with time zone|without time zone)?");

    private TypeChanges() {}

    /** A type as written, in PostgreSQL's canonical spelling: lower case, one space, aliases resolved. */
    static String canonical(String type) {
        String text = type.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("\\s*\\(\\s*", "(")
                .replaceAll("\\s*,\\s*", ",").replaceAll("\\s*\\)", ")").replaceFirst("^pg_catalog\\.", "");
        Matcher temporal = TEMPORAL.matcher(text);
        if (temporal.matches()) {
            // timestamp(3) with time zone, timestamptz(3), time: one spelling each
            boolean zoned = temporal.group(1).endsWith("tz") || "with time zone".equals(temporal.group(3));
            String base = temporal.group(1).startsWith("timestamp") ? "timestamp" : "time";
            return base + (temporal.group(2) == null ? "" : temporal.group(2))
                    + (zoned ? " with time zone" : " without time zone");
        }
        int paren = text.indexOf('(');
        String base = paren < 0 ? text : text.substring(0, paren);
        String modifier = paren < 0 ? "" : text.substring(paren);
        return ALIASES.getOrDefault(base, base) + modifier;
    }

    /**
     * A change that rewrites nothing in this session: binary-coercible (aliases, wider varchar, ...), or
     * {@code timestamp} to {@code timestamptz} when the session's time zone is UTC, on 12+.
     */
    public static boolean withoutRewrite(String before, String after, int pgVersion, boolean utcSession) {
        if (binaryCoercible(before, after)) {
            return true;
        }
        String from = canonical(before);
        String to = canonical(after);
        return pgVersion >= 12 && utcSession && from.startsWith("timestamp") && from.endsWith("without time zone")
                && to.equals(from.replace("without time zone", "with time zone"));
    }

    static boolean binaryCoercible(String before, String after) {
        String from = canonical(before);
        String to = canonical(after);
        if (from.equals(to)) {
            return true;
        }
        Matcher fromVarchar = VARCHAR.matcher(from);
        Matcher toVarchar = VARCHAR.matcher(to);
        if (fromVarchar.matches() && (to.equals("text") || toVarchar.matches())) {
            // to text, to unbounded varchar, or to a length at least as long
            return to.equals("text") || toVarchar.group(2) == null || fromVarchar.group(2) != null
                    && Integer.parseInt(toVarchar.group(2)) >= Integer.parseInt(fromVarchar.group(2));
        }
        if (from.equals("text") && toVarchar.matches() && toVarchar.group(2) == null) {
            return true; // text to unbounded varchar
        }
        Matcher fromNumeric = NUMERIC.matcher(from);
        Matcher toNumeric = NUMERIC.matcher(to);
        if (fromNumeric.matches() && toNumeric.matches()) {
            if (toNumeric.group(2) == null) {
                return true;
            }
            if (fromNumeric.group(2) == null) {
                return false;
            }
            int fromScale = fromNumeric.group(3) == null ? 0 : Integer.parseInt(fromNumeric.group(3));
            int toScale = toNumeric.group(3) == null ? 0 : Integer.parseInt(toNumeric.group(3));
            return fromScale == toScale && Integer.parseInt(toNumeric.group(2)) >= Integer.parseInt(fromNumeric.group(2));
        }
        return false;
    }
}
