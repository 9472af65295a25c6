package io.zerolock.check.recognize;

import io.zerolock.check.lex.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Walks a statement's tokens; a failed {@link #expect} throws, and the recogniser calls the statement unknown. */
final class Cursor {

    private final List<Token> tokens;
    private int position;

    Cursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    boolean atEnd() {
        return position >= tokens.size();
    }

    Token peek() {
        if (atEnd()) {
            throw new IllegalStateException("unexpected end of statement");
        }
        return tokens.get(position);
    }

    Token next() {
        Token token = peek();
        position++;
        return token;
    }

    boolean peekIs(String word) {
        return !atEnd() && tokens.get(position).is(word);
    }

    boolean peekPunctuation(String punctuation) {
        return !atEnd() && tokens.get(position).isPunctuation(punctuation);
    }

    /** Consumes the words if they all come next, in order. */
    boolean accept(String... words) {
        for (int i = 0; i < words.length; i++) {
            int at = position + i;
            if (at >= tokens.size() || !tokens.get(at).is(words[i])) {
                return false;
            }
        }
        position += words.length;
        return true;
    }

    boolean acceptOperator(String operator) {
        if (!atEnd() && tokens.get(position).kind() == Token.Kind.OPERATOR && tokens.get(position).text().equals(operator)) {
            position++;
            return true;
        }
        return false;
    }

    void expect(String word) {
        if (!accept(word)) {
            throw new IllegalStateException("expected " + word);
        }
    }

    /** The next word, folded to lower case, consumed; null when the next token is not a word. */
    String word() {
        if (atEnd() || tokens.get(position).kind() != Token.Kind.WORD) {
            return null;
        }
        return next().text().toLowerCase(Locale.ROOT);
    }

    /** A possibly qualified name: identifiers separated by dots. */
    Name name() {
        List<String> parts = new ArrayList<>();
        parts.add(identifier());
        while (peekPunctuation(".")) {
            next();
            parts.add(identifier());
        }
        return new Name(parts);
    }

    /** The next token as an identifier; anything else (a string, `x`, an operator) is not a name: throws. */
    String identifier() {
        String identifier = next().identifier();
        if (identifier == null) {
            throw new IllegalStateException("expected a name");
        }
        return identifier;
    }

    void skipParenthesized() {
        if (peekPunctuation("(")) {
            parenthesizedList();
        }
    }

    /** From an opening parenthesis: the elements between it and its closing one, split at top-level commas. */
    List<List<Token>> parenthesizedList() {
        next();
        List<List<Token>> elements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        while (!atEnd()) {
            Token token = next();
            if (token.isPunctuation("(") || token.isPunctuation("[")) {
                depth++;
            } else if (token.isPunctuation(")") || token.isPunctuation("]")) {
                if (depth == 0) {
                    elements.add(current);
                    return elements;
                }
                depth--;
            } else if (token.isPunctuation(",") && depth == 0) {
                elements.add(current);
                current = new ArrayList<>();
                continue;
            }
            current.add(token);
        }
        elements.add(current);
        return elements;
    }

    /** The remaining tokens, consumed. */
    List<Token> rest() {
        List<Token> rest = new ArrayList<>(tokens.subList(position, tokens.size()));
        position = tokens.size();
        return rest;
    }

    /** The remaining tokens split at top-level commas, consumed. */
    List<List<Token>> commaSeparatedRest() {
        List<List<Token>> parts = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (Token token : rest()) {
            if (token.isPunctuation("(") || token.isPunctuation("[")) {
                depth++;
            } else if (token.isPunctuation(")") || token.isPunctuation("]")) {
                depth--;
            } else if (token.isPunctuation(",") && depth == 0) {
                parts.add(current);
                current = new ArrayList<>();
                continue;
            }
            current.add(token);
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        return parts;
    }

    /** The remaining tokens as text, not consumed. */
    String text() {
        return Recognizer.joined(tokens.subList(position, tokens.size()));
    }
}
