package io.zerolock.check.lex;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration into statements the way psql does: a semicolon ends a statement unless it is
 * inside parentheses (rule actions) or inside the {@code BEGIN ... END} body of a
 * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC} (psqlscan.l's heuristic). psql
 * backslash commands are skipped with a warning. {@code SET standard_conforming_strings} is followed.
 */
public final class Splitter {

    /**
     * One SQL statement.
     *
     * @param tokens its tokens, comments left out, the closing semicolon included when there was one
     * @param comments the comments between the previous statement and this one (for inline directives)
     */
    public record Statement(String file, int line, int column, String text, List<Token> tokens,
            List<Token> comments) {

        public Statement {
            tokens = List.copyOf(tokens);
            comments = List.copyOf(comments);
        }

        /** The tokens without the closing semicolon. */
        public List<Token> body() {
            return !tokens.isEmpty() && tokens.get(tokens.size() - 1).isPunctuation(";")
                    ? tokens.subList(0, tokens.size() - 1) : tokens;
        }

        public String location() {
            return file + ":" + line + ":" + column;
        }
    }

    /** Something the splitter skipped or could not make sense of, at a place in the file. */
    public record Warning(String file, int line, int column, String message) {}

    public record Result(List<Statement> statements, List<Warning> warnings) {

        public Result {
            statements = List.copyOf(statements);
            warnings = List.copyOf(warnings);
        }
    }

    private Splitter() {}

    public static Result split(String file, String sql) {
        Lexer lexer = new Lexer(sql);
        List<Statement> statements = new ArrayList<>();
        List<Warning> warnings = new ArrayList<>();
        List<Token> tokens = new ArrayList<>();
        List<Token> comments = new ArrayList<>();
        int parenDepth = 0;
        int beginDepth = 0;
        List<String> leadingWords = new ArrayList<>();
        for (Token token = lexer.next(); token != null; token = lexer.next()) {
            switch (token.kind()) {
                case COMMENT -> {
                    if (tokens.isEmpty()) {
                        comments.add(token);
                    }
                    continue;
                }
                case META_COMMAND -> {
                    warnings.add(new Warning(file, token.line(), token.column(), "psql meta-command skipped: "
                            + firstLine(token.text())));
                    continue;
                }
                case UNTERMINATED -> warnings.add(new Warning(file, token.line(), token.column(),
                        "the file ends inside " + describeUnterminated(token.text())));
                default -> {
                }
            }
            tokens.add(token);
            if (token.isPunctuation("(")) {
                parenDepth++;
            } else if (token.isPunctuation(")")) {
                parenDepth = Math.max(0, parenDepth - 1);
            } else if (token.kind() == Token.Kind.WORD) {
                beginDepth = trackBeginAtomic(token, leadingWords, parenDepth, beginDepth);
            }
            if (token.isPunctuation(";") && parenDepth == 0 && beginDepth == 0) {
                Statement statement = statement(file, sql, tokens, comments);
                statements.add(statement);
                followStandardConformingStrings(statement, lexer);
                tokens.clear();
                comments.clear();
                leadingWords.clear();
            }
        }
        if (!tokens.isEmpty()) {
            statements.add(statement(file, sql, tokens, comments));
        }
        return new Result(statements, warnings);
    }

    /**
     * Inside {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}, at parenthesis depth 0, BEGIN opens a body
     * that END closes; CASE also ends with END, so it counts once inside a body.
     */
    private static int trackBeginAtomic(Token word, List<String> leadingWords, int parenDepth, int beginDepth) {
        if (leadingWords.size() < 4) {
            leadingWords.add(word.text().toLowerCase(java.util.Locale.ROOT));
        }
        if (parenDepth != 0 || !routineDefinition(leadingWords)) {
            return beginDepth;
        }
        if (word.is("begin")) {
            return beginDepth + 1;
        }
        if (word.is("case")) {
            return beginDepth >= 1 ? beginDepth + 1 : beginDepth;
        }
        if (word.is("end")) {
            return Math.max(0, beginDepth - 1);
        }
        return beginDepth;
    }

    private static boolean routineDefinition(List<String> words) {
        if (words.size() < 2 || !words.get(0).equals("create")) {
            return false;
        }
        if (words.get(1).equals("function") || words.get(1).equals("procedure")) {
            return true;
        }
        return words.size() >= 4 && words.get(1).equals("or") && words.get(2).equals("replace")
                && (words.get(3).equals("function") || words.get(3).equals("procedure"));
    }

    /** {@code SET [SESSION|LOCAL] standard_conforming_strings {=|TO} on|off|true|false|...}. */
    private static void followStandardConformingStrings(Statement statement, Lexer lexer) {
        List<Token> words = statement.body();
        int i = 0;
        if (words.isEmpty() || !words.get(0).is("set")) {
            return;
        }
        i++;
        if (i < words.size() && (words.get(i).is("session") || words.get(i).is("local"))) {
            i++;
        }
        if (i + 2 >= words.size() || !words.get(i).is("standard_conforming_strings")) {
            return;
        }
        Token value = words.get(i + 2);
        String text = value.kind() == Token.Kind.STRING ? value.stringValue() : value.text();
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "off", "false", "no", "0" -> lexer.standardConformingStrings(false);
            case "on", "true", "yes", "1" -> lexer.standardConformingStrings(true);
            default -> {
            }
        }
    }

    private static Statement statement(String file, String sql, List<Token> tokens, List<Token> comments) {
        Token first = tokens.get(0);
        Token last = tokens.get(tokens.size() - 1);
        String text = sql.substring(first.offset(), last.offset() + last.text().length());
        return new Statement(file, first.line(), first.column(), text, tokens, comments);
    }

    private static String describeUnterminated(String text) {
        if (text.startsWith("/*")) {
            return "a /* comment";
        }
        if (text.startsWith("$")) {
            return "a dollar-quoted string opened with " + text.substring(0, text.indexOf('$', 1) + 1);
        }
        if (text.startsWith("\"") || text.startsWith("U&\"") || text.startsWith("u&\"")) {
            return "a quoted identifier";
        }
        return "a string literal";
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
