package io.zerolock.altertype;

import io.zerolock.catalog.Identifiers;
import io.zerolock.check.lex.Lexer;
import io.zerolock.check.lex.Token;

/**
 * A column's name swapped for another in SQL that PostgreSQL wrote (an index's columns and predicate, a
 * CHECK's expression): every identifier token that names the column, and nothing else (not a function of
 * the same name, not text inside a string).
 */
final class ColumnReferences {

    private ColumnReferences() {}

    /** {@code sql} from {@code start} on with each reference to {@code from} made one to {@code to}. */
    static String renamed(String sql, int start, String from, String to) {
        StringBuilder out = new StringBuilder(sql.substring(0, start));
        Lexer lexer = new Lexer(sql.substring(start));
        int copied = 0;
        String rest = sql.substring(start);
        Token previous = null;
        Token token = lexer.next();
        while (token != null) {
            Token next = lexer.next();
            boolean name = (token.kind() == Token.Kind.WORD || token.kind() == Token.Kind.QUOTED_IDENTIFIER)
                    && from.equals(token.identifier());
            boolean call = next != null && next.isPunctuation("(") && token.kind() == Token.Kind.WORD;
            boolean cast = previous != null && previous.isPunctuation("::");
            if (name && !call && !cast) {
                out.append(rest, copied, token.offset()).append(Identifiers.quote(to));
                copied = token.offset() + token.text().length();
            }
            previous = token;
            token = next;
        }
        return out.append(rest.substring(copied)).toString();
    }

    /** Every reference in the whole text. */
    static String renamed(String sql, String from, String to) {
        return renamed(sql, 0, from, to);
    }

    /** In an index definition: only after its {@code USING method} (the table's name stays). */
    static String renamedInIndex(String definition, String from, String to) {
        Lexer lexer = new Lexer(definition);
        Token token = lexer.next();
        boolean afterOn = false;
        while (token != null) {
            if (token.is("ON")) {
                afterOn = true;
            } else if (afterOn && token.is("USING")) {
                return renamed(definition, token.offset(), from, to);
            }
            token = lexer.next();
        }
        throw new IllegalArgumentException("not an index definition: " + definition);
    }
}
