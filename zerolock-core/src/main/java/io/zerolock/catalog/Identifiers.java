package io.zerolock.catalog;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** PostgreSQL identifier rules: quoting for SQL and display, and parsing of user-typed names. */
public final class Identifiers {

    /** Maximum identifier length in bytes (NAMEDATALEN - 1). */
    public static final int MAX_BYTES = 63;

    /** Keywords that cannot be used unquoted as a column or table name (reserved, and type-function names). */
    private static final Set<String> RESERVED = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary",
            "both", "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create",
            "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
            "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end",
            "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike",
            "in", "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left",
            "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only",
            "or", "order", "outer", "overlaps", "placing", "primary", "references", "returning", "right", "select",
            "session_user", "similar", "some", "symmetric", "system_user", "table", "tablesample", "then", "to",
            "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window",
            "with");

    private Identifiers() {}

    /** Always-quoted form, for SQL that zerolock generates. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** {@code quote_ident} form: quoted only where PostgreSQL needs it, for humans. */
    public static String display(String identifier) {
        if (needsQuotes(identifier)) {
            return quote(identifier);
        }
        return identifier;
    }

    static boolean needsQuotes(String identifier) {
        if (identifier.isEmpty() || RESERVED.contains(identifier)) {
            return true;
        }
        char first = identifier.charAt(0);
        if (!(first >= 'a' && first <= 'z') && first != '_') {
            return true;
        }
        for (int i = 1; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Splits a user-typed name such as {@code Sales."Order Items"} into its parts as PostgreSQL would read
     * them: unquoted parts folded to lower case, quoted parts kept exactly, {@code ""} inside quotes.
     */
    public static List<String> parseQualifiedName(String text) {
        List<String> parts = parseDottedName(text);
        if (parts.size() > 2) {
            throw badName(text, "expected [schema.]name (database-qualified names are not accepted)");
        }
        return parts;
    }

    /** As {@link #parseQualifiedName}, of any number of parts ({@code schema.table.column}). */
    public static List<String> parseDottedName(String text) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                throw badName(text, "a name is missing");
            }
            StringBuilder part = new StringBuilder();
            if (text.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            part.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        part.append(c);
                    }
                }
                if (!closed) {
                    throw badName(text, "unterminated quoted identifier");
                }
                if (part.length() == 0) {
                    throw badName(text, "zero-length delimited identifier");
                }
            } else {
                int start = i;
                while (i < n && text.charAt(i) != '.' && text.charAt(i) != '"' && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    throw badName(text, "a name is missing");
                }
                part.append(foldCase(text.substring(start, i)));
            }
            parts.add(truncate(part.toString()));
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (text.charAt(i) != '.') {
                throw badName(text, "unexpected character '" + text.charAt(i) + "'");
            }
            i++;
        }
        return parts;
    }

    /** Unquoted identifiers fold to lower case; PostgreSQL folds ASCII letters only (UTF-8 databases). */
    static String foldCase(String identifier) {
        StringBuilder folded = new StringBuilder(identifier.length());
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return folded.toString();
    }

    /** PostgreSQL truncates identifiers longer than 63 bytes (on a character boundary). */
    static String truncate(String identifier) {
        return clip(identifier, MAX_BYTES);
    }

    /** The longest prefix of whole characters that fits in this many UTF-8 bytes (PostgreSQL's pg_mbcliplen). */
    public static String clip(String text, int bytes) {
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= bytes) {
            return text;
        }
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (used + size > bytes) {
                break;
            }
            kept.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        return kept.toString();
    }

    private static ZerolockException badName(String text, String problem) {
        return new ZerolockException(ErrorCode.BAD_USAGE, "invalid name " + text + ": " + problem);
    }
}
