package io.zerolock.plan;

import io.zerolock.catalog.Identifiers;

/** Small builders for SQL text that zerolock generates; identifiers are always quoted. */
public final class Sql {

    private Sql() {}

    /** A string literal, as {@code quote_literal} writes it (E'' form when it holds a backslash). */
    public static String literal(String value) {
        String quoted = "'" + value.replace("'", "''") + "'";
        if (value.indexOf('\\') >= 0) {
            return "E" + quoted.replace("\\", "\\\\");
        }
        return quoted;
    }

    public static String ident(String identifier) {
        return Identifiers.quote(identifier);
    }

    /**
     * Turns {@code pg_get_indexdef} output into a concurrent build of a twin named {@code newName} (in
     * the same schema): {@code CREATE [UNIQUE] INDEX CONCURRENTLY "new" ON ...}, the rest unchanged.
     */
    public static String concurrentTwin(String indexDefinition, String newName) {
        String unique = "CREATE UNIQUE INDEX ";
        String plain = "CREATE INDEX ";
        String prefix;
        if (indexDefinition.startsWith(unique)) {
            prefix = "CREATE UNIQUE INDEX CONCURRENTLY ";
        } else if (indexDefinition.startsWith(plain)) {
            prefix = "CREATE INDEX CONCURRENTLY ";
        } else {
            throw new IllegalArgumentException("not an index definition: " + indexDefinition);
        }
        int at = indexDefinition.indexOf("INDEX ") + "INDEX ".length();
        int end = endOfIdentifier(indexDefinition, at);
        if (!indexDefinition.startsWith(" ON ", end)) {
            throw new IllegalArgumentException("unexpected index definition: " + indexDefinition);
        }
        return prefix + ident(newName) + indexDefinition.substring(end);
    }

    /** The position just after the (possibly quoted) identifier starting at {@code start}. */
    static int endOfIdentifier(String text, int start) {
        if (text.charAt(start) != '"') {
            int space = text.indexOf(' ', start);
            return space < 0 ? text.length() : space;
        }
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == '"') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unterminated identifier in " + text);
    }

    /** A constraint definition without a trailing {@code NOT VALID}. */
    public static String withoutNotValid(String constraintDefinition) {
        return constraintDefinition.endsWith(" NOT VALID")
                ? constraintDefinition.substring(0, constraintDefinition.length() - " NOT VALID".length())
                : constraintDefinition;
    }
}
