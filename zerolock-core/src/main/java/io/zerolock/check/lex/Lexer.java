package io.zerolock.check.lex;

/**
 * PostgreSQL's lexical rules (after {@code src/backend/parser/scan.l} and psql's {@code psqlscan.l}), for
 * splitting migrations into statements and recognising them; never throws on any input. Whitespace is
 * skipped; comments are tokens, so that {@code -- zerolock:ignore} lines can be found.
 */
public final class Lexer {

    private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";

    private final String input;
    private int position;
    private int line = 1;
    private int column = 1;
    private boolean standardConformingStrings = true;

    public Lexer(String input) {
        this.input = input;
    }

    /**
     * With {@code off}, backslashes escape in plain {@code '...'} strings too (PostgreSQL's behaviour
     * after {@code SET standard_conforming_strings = off}).
     */
    public void standardConformingStrings(boolean on) {
        this.standardConformingStrings = on;
    }

    /** The next token, or null at the end of the input. */
    public Token next() {
        skipWhitespace();
        if (position >= input.length()) {
            return null;
        }
        int start = position;
        int startLine = line;
        int startColumn = column;
        Token.Kind kind = scan();
        return new Token(kind, input.substring(start, position), startLine, startColumn, start);
    }

    private Token.Kind scan() {
        char c = input.charAt(position);
        char n = peek(1);
        if (c == '-' && n == '-') {
            while (position < input.length() && input.charAt(position) != '\n') {
                advance();
            }
            return Token.Kind.COMMENT;
        }
        if (c == '/' && n == '*') {
            return blockComment();
        }
        if (c == '\'') {
            return quoted('\'', !standardConformingStrings, Token.Kind.STRING);
        }
        if (c == '"') {
            return quoted('"', false, Token.Kind.QUOTED_IDENTIFIER);
        }
        if ((c == 'e' || c == 'E') && n == '\'') {
            advance();
            return quoted('\'', true, Token.Kind.STRING);
        }
        if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && n == '\'') {
            advance();
            return quoted('\'', false, Token.Kind.STRING);
        }
        if ((c == 'u' || c == 'U') && n == '&' && (peek(2) == '\'' || peek(2) == '"')) {
            advance();
            advance();
            return peek(0) == '\'' ? quoted('\'', false, Token.Kind.STRING)
                    : quoted('"', false, Token.Kind.QUOTED_IDENTIFIER);
        }
        if (c == '$') {
            return dollar();
        }
        if (identifierStart(c)) {
            while (position < input.length() && identifierPart(input.charAt(position))) {
                advance();
            }
            return Token.Kind.WORD;
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(n))) {
            return number();
        }
        if (c == '\\') {
            while (position < input.length() && input.charAt(position) != '\n') {
                advance();
            }
            return Token.Kind.META_COMMAND;
        }
        if (c == ':' && n == ':') {
            advance();
            advance();
            return Token.Kind.PUNCTUATION;
        }
        if ("()[],;:.".indexOf(c) >= 0) {
            advance();
            return Token.Kind.PUNCTUATION;
        }
        if (OPERATOR_CHARS.indexOf(c) >= 0) {
            advance();
            while (position < input.length() && OPERATOR_CHARS.indexOf(input.charAt(position)) >= 0
                    && !(input.startsWith("--", position) || input.startsWith("/*", position))) {
                advance();
            }
            return Token.Kind.OPERATOR;
        }
        advance(); // anything else stands alone; the recogniser calls the statement unknown
        return Token.Kind.OPERATOR;
    }

    /** Block comments nest in PostgreSQL, unlike the SQL standard. */
    private Token.Kind blockComment() {
        int depth = 0;
        while (position < input.length()) {
            if (input.startsWith("/*", position)) {
                depth++;
                advance();
                advance();
            } else if (input.startsWith("*/", position)) {
                depth--;
                advance();
                advance();
                if (depth == 0) {
                    return Token.Kind.COMMENT;
                }
            } else {
                advance();
            }
        }
        return Token.Kind.UNTERMINATED;
    }

    /** From the opening quote at {@code position}; a doubled quote stands for itself. */
    private Token.Kind quoted(char quote, boolean backslashEscapes, Token.Kind kind) {
        advance();
        while (position < input.length()) {
            char c = input.charAt(position);
            if (backslashEscapes && c == '\\') {
                advance();
                if (position < input.length()) {
                    advance();
                }
            } else if (c == quote) {
                advance();
                if (peek(0) == quote) {
                    advance();
                } else {
                    return kind;
                }
            } else {
                advance();
            }
        }
        return Token.Kind.UNTERMINATED;
    }

    /** {@code $1} is a parameter; {@code $$} or {@code $tag$} opens a dollar-quoted string ending at the same tag. */
    private Token.Kind dollar() {
        int end = position + 1;
        if (end < input.length() && Character.isDigit(input.charAt(end))) {
            advance();
            while (position < input.length() && Character.isDigit(input.charAt(position))) {
                advance();
            }
            return Token.Kind.PARAMETER;
        }
        if (end < input.length() && identifierStart(input.charAt(end))) {
            end++;
            while (end < input.length() && identifierPart(input.charAt(end)) && input.charAt(end) != '$') {
                end++;
            }
        }
        if (end >= input.length() || input.charAt(end) != '$') {
            advance(); // a lone $: not a delimiter
            return Token.Kind.OPERATOR;
        }
        String tag = input.substring(position, end + 1);
        int close = input.indexOf(tag, end + 1);
        int stop = close < 0 ? input.length() : close + tag.length();
        while (position < stop) {
            advance();
        }
        return close < 0 ? Token.Kind.UNTERMINATED : Token.Kind.DOLLAR_STRING;
    }

    private Token.Kind number() {
        while (position < input.length()) {
            char c = input.charAt(position);
            if (Character.isLetterOrDigit(c) || c == '_' || (c == '.' && Character.isDigit(peek(1)))) {
                advance();
            } else if ((c == '+' || c == '-') && (peek(-1) == 'e' || peek(-1) == 'E')
                    && Character.isDigit(peek(1))) {
                advance();
            } else if (c == '.' && !input.startsWith("..", position)) {
                advance();
            } else {
                break;
            }
        }
        return Token.Kind.NUMBER;
    }

    private static boolean identifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean identifierPart(char c) {
        return identifierStart(c) || Character.isDigit(c) || c == '$';
    }

    private char peek(int ahead) {
        int at = position + ahead;
        return at >= 0 && at < input.length() ? input.charAt(at) : '\0';
    }

    private void skipWhitespace() {
        while (position < input.length() && isWhitespace(input.charAt(position))) {
            advance();
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private void advance() {
        if (input.charAt(position) == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        position++;
    }
}
