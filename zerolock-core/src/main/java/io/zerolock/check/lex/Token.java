package io.zerolock.check.lex;

import java.util.Locale;

/**
 * One lexical token of PostgreSQL SQL, with where it starts (1-based line and column, 0-based offset).
 *
 * @param text the token exactly as written, quotes and all
 */
public record Token(Kind kind, String text, int line, int column, int offset) {

    public enum Kind {
        /** An unquoted identifier or key word; compare with {@link #is}. */
        WORD,
        /** {@code "..."} or {@code U&"..."}: {@link #identifier()} gives the name. */
        QUOTED_IDENTIFIER,
        /** {@code '...'}, {@code E'...'}, {@code B'...'}, {@code X'...'}, {@code N'...'}, {@code U&'...'}. */
        STRING,
        /** {@code $tag$...$tag$}. */
        DOLLAR_STRING,
        NUMBER,
        /** {@code $1}. */
        PARAMETER,
        OPERATOR,
        /** One of {@code ( ) [ ] , ; : . ::}. */
        PUNCTUATION,
        /** {@code -- ...} or a (nested) {@code /* ... *}{@code /}. */
        COMMENT,
        /** A psql backslash command, to the end of its line. */
        META_COMMAND,
        /** A string, quoted identifier or comment that the input ends inside. */
        UNTERMINATED
    }

    /** Whether this is the key word or unquoted name {@code word}, in any case. */
    public boolean is(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    public boolean isPunctuation(String punctuation) {
        return kind == Kind.PUNCTUATION && text.equals(punctuation);
    }

    /**
     * The name this token stands for, as PostgreSQL folds it: unquoted words to lower case, quoted
     * identifiers exact with {@code ""} undoubled; null for other tokens.
     */
    public String identifier() {
        if (kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER && text.startsWith("\"")) {
            return identifier(text);
        }
        if (kind == Kind.QUOTED_IDENTIFIER) { // U&"..." with \XXXX escapes: kept as written after the prefix
            return text.substring(3, text.length() - 1).replace("\"\"", "\"");
        }
        return null;
    }

    /**
     * One name as written in SQL, as PostgreSQL reads it: {@code "Quoted"} exact with {@code ""} undoubled,
     * an unquoted word folded to lower case.
     */
    public static String identifier(String written) {
        if (written.length() >= 2 && written.startsWith("\"") && written.endsWith("\"")) {
            return written.substring(1, written.length() - 1).replace("\"\"", "\"");
        }
        return written.toLowerCase(Locale.ROOT);
    }

    /** The value of a plain {@code '...'} string with standard conforming strings; null for other tokens. */
    public String stringValue() {
        if (kind != Kind.STRING || !text.startsWith("'")) {
            return null;
        }
        return text.substring(1, text.length() - 1).replace("''", "'");
    }
}
