package io.zerolock.check.recognize;

import io.zerolock.check.lex.Splitter;
import io.zerolock.check.lex.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Recognises the statement forms that matter for locking, from tokens; anything else (or anything it
 * cannot follow) is {@link Recognized.Unknown}. Never throws.
 */
public final class Recognizer {

    private Recognizer() {}

    public static Recognized recognize(Splitter.Statement statement) {
        try {
            Cursor c = new Cursor(statement.body());
            Recognized recognized = recognize(c);
            return recognized != null ? recognized : unknown(statement);
        } catch (RuntimeException e) {
            return unknown(statement);
        }
    }

    private static Recognized unknown(Splitter.Statement statement) {
        List<String> words = statement.body().stream().limit(3).map(Token::text).toList();
        return new Recognized.Unknown(String.join(" ", words));
    }

    private static Recognized recognize(Cursor c) {
        if (c.accept("create")) {
            return create(c);
        }
        if (c.accept("drop")) {
            if (c.accept("index")) {
                boolean concurrently = c.accept("concurrently");
                boolean ifExists = c.accept("if", "exists");
                return new Recognized.DropIndex(names(c), concurrently, ifExists);
            }
            if (c.accept("table")) {
                c.accept("if", "exists");
                return new Recognized.DropTable(names(c));
            }
            if (c.accept("trigger")) {
                c.accept("if", "exists");
                String trigger = c.identifier();
                c.expect("on");
                return new Recognized.DropTrigger(trigger, c.name());
            }
            return null;
        }
        if (c.accept("reindex")) {
            c.skipParenthesized();
            String kind = c.word();
            if (kind == null || !Set.of("index", "table", "schema", "database", "system").contains(kind)) {
                return null;
            }
            boolean concurrently = c.accept("concurrently");
            Name target = c.atEnd() ? null : c.name();
            return new Recognized.Reindex(kind.toUpperCase(Locale.ROOT), target, concurrently);
        }
        if (c.accept("alter")) {
            return alter(c);
        }
        if (c.accept("cluster")) {
            c.accept("verbose");
            return new Recognized.Cluster(c.atEnd() ? null : c.name());
        }
        if (c.accept("vacuum")) {
            return vacuum(c);
        }
        if (c.accept("refresh", "materialized", "view")) {
            boolean concurrently = c.accept("concurrently");
            return new Recognized.RefreshMaterializedView(c.name(), concurrently);
        }
        if (c.accept("truncate")) {
            c.accept("table");
            return new Recognized.Truncate(names(c));
        }
        if (c.accept("set") || c.peekIs("reset")) {
            return set(c);
        }
        if (c.accept("select", "set_config") || c.accept("select", "pg_catalog", ".", "set_config")) {
            return setConfig(c);
        }
        if (c.accept("do")) {
            return new Recognized.DoBlock();
        }
        if (c.accept("begin") || c.accept("start", "transaction")) {
            return new Recognized.Begin();
        }
        if (c.accept("commit") || c.accept("end")) {
            return new Recognized.Commit();
        }
        if (c.accept("rollback") || c.accept("abort")) {
            return c.peekIs("to") ? null : new Recognized.Rollback();
        }
        if (c.accept("lock")) {
            c.accept("table");
            List<Name> tables = names(c);
            io.zerolock.plan.LockMode mode = io.zerolock.plan.LockMode.ACCESS_EXCLUSIVE;
            if (c.accept("in")) {
                List<String> words = new ArrayList<>();
                while (!c.atEnd() && !c.peekIs("mode")) {
                    words.add(c.next().text());
                }
                mode = io.zerolock.plan.LockMode.fromSql(String.join(" ", words)).orElse(null);
            }
            return new Recognized.LockTable(tables, mode);
        }
        if (c.accept("update")) {
            c.accept("only");
            return new Recognized.DataChange("UPDATE", c.name());
        }
        if (c.accept("insert", "into")) {
            return new Recognized.DataChange("INSERT", c.name());
        }
        if (c.accept("delete", "from")) {
            c.accept("only");
            return new Recognized.DataChange("DELETE", c.name());
        }
        return null;
    }

    private static Recognized create(Cursor c) {
        boolean orReplace = c.accept("or", "replace");
        if (orReplace && (c.accept("view") || c.accept("recursive", "view"))) {
            return new Recognized.ReplaceView(c.name());
        }
        boolean unique = c.accept("unique");
        if (c.accept("index")) {
            boolean concurrently = c.accept("concurrently");
            boolean ifNotExists = c.accept("if", "not", "exists");
            Name index = c.peekIs("on") ? null : c.name();
            c.expect("on");
            boolean only = c.accept("only");
            Name table = c.name();
            int definitionOffset = c.atEnd() ? -1 : c.peek().offset();
            if (c.accept("using")) {
                c.next();
            }
            List<String> columns = new ArrayList<>();
            if (c.peekPunctuation("(")) {
                for (List<Token> key : c.parenthesizedList()) {
                    if (key.size() == 1 && key.get(0).identifier() != null) {
                        columns.add(key.get(0).identifier());
                    } else {
                        columns.clear();
                        break;
                    }
                }
            }
            return new Recognized.CreateIndex(index, table, unique, concurrently, ifNotExists, columns, only,
                    definitionOffset);
        }
        if (unique) {
            return null;
        }
        while (c.peekIs("global") || c.peekIs("local") || c.peekIs("temp") || c.peekIs("temporary")
                || c.peekIs("unlogged")) {
            c.next();
        }
        boolean materialized = c.peekIs("materialized");
        if (c.accept("table") || c.accept("materialized", "view")) {
            c.accept("if", "not", "exists");
            Name table = c.name();
            Map<String, String> columns = new LinkedHashMap<>();
            Set<String> notNull = new LinkedHashSet<>();
            List<Name> references = new ArrayList<>();
            Name parent = null;
            if (c.peekPunctuation("(")) {
                for (List<Token> element : c.parenthesizedList()) {
                    columnDefinition(element, columns, notNull);
                    Name referenced = referencedTable(element);
                    if (referenced != null) {
                        references.add(referenced);
                    }
                }
            }
            if (c.accept("partition", "of")) {
                parent = c.name();
            }
            boolean partitioned = false;
            List<Token> rest = c.rest();
            for (int i = 0; i + 1 < rest.size(); i++) {
                partitioned |= rest.get(i).is("partition") && rest.get(i + 1).is("by");
            }
            boolean defaultPartition = parent != null && !rest.isEmpty() && rest.get(0).is("default");
            return new Recognized.CreateTable(table, columns, notNull, references, parent, partitioned, materialized,
                    defaultPartition);
        }
        if (c.accept("trigger") || c.accept("constraint", "trigger")) {
            String trigger = c.identifier();
            while (!c.atEnd() && !c.peekIs("on")) {
                c.next();
            }
            c.expect("on");
            return new Recognized.CreateTrigger(trigger, c.name());
        }
        if (c.accept("domain")) {
            Name domain = c.name();
            boolean check = c.rest().stream().anyMatch(t -> t.is("check"));
            return check ? new Recognized.DomainCheck(domain, true, false) : null;
        }
        if (c.accept("function")) {
            Name function = c.name();
            String volatility = "volatile";
            // the attributes after the argument list; the body is one string token, never searched
            for (Token t : c.rest()) {
                if (t.kind() == Token.Kind.WORD && (t.is("immutable") || t.is("stable") || t.is("volatile"))) {
                    volatility = t.text().toLowerCase(Locale.ROOT);
                }
            }
            return new Recognized.CreateFunction(function, volatility);
        }
        return null;
    }

    private static void columnDefinition(List<Token> element, Map<String, String> columns, Set<String> notNull) {
        if (element.isEmpty()) {
            return;
        }
        Token first = element.get(0);
        if (first.is("primary") || first.is("unique") || first.is("constraint")) {
            int key = indexOfWord(element, "key");
            boolean primary = element.stream().anyMatch(t -> t.is("primary"));
            if (primary && key >= 0 && key + 1 < element.size() && element.get(key + 1).isPunctuation("(")) {
                for (int i = key + 2; i < element.size() && !element.get(i).isPunctuation(")"); i++) {
                    if (element.get(i).identifier() != null) {
                        notNull.add(element.get(i).identifier());
                    }
                }
            }
            return;
        }
        if (first.is("check") || first.is("foreign") || first.is("exclude") || first.is("like")) {
            return;
        }
        String column = first.identifier();
        if (column == null) {
            return;
        }
        StringBuilder type = new StringBuilder();
        for (int i = 1; i < element.size(); i++) {
            Token t = element.get(i);
            if (t.is("not") || t.is("null") || t.is("default") || t.is("primary") || t.is("unique") || t.is("check")
                    || t.is("references") || t.is("constraint") || t.is("generated") || t.is("collate")) {
                break;
            }
            type.append(type.length() == 0 || t.isPunctuation("(") || t.isPunctuation(")") || t.isPunctuation(",")
                    || type.toString().endsWith("(") ? "" : " ").append(t.text());
        }
        columns.put(column, type.toString());
        for (int i = 1; i < element.size() - 1; i++) {
            if (element.get(i).is("not") && element.get(i + 1).is("null")) {
                notNull.add(column);
            }
        }
        if (element.stream().anyMatch(t -> t.is("primary"))) {
            notNull.add(column);
        }
    }

    private static Recognized alter(Cursor c) {
        if (c.accept("index")) {
            c.accept("if", "exists");
            Name index = c.name();
            if (c.accept("rename", "to")) {
                return new Recognized.AlterIndex(index, true, false);
            }
            if (c.accept("set", "tablespace")) {
                return new Recognized.AlterIndex(index, false, true);
            }
            return null;
        }
        if (c.accept("sequence")) {
            c.accept("if", "exists");
            return new Recognized.AlterSequence(c.name());
        }
        if (c.accept("table")) {
            boolean ifExists = c.accept("if", "exists");
            c.accept("only");
            Name table = c.name();
            c.acceptOperator("*");
            List<Action> actions = new ArrayList<>();
            for (List<Token> action : c.commaSeparatedRest()) {
                Action recognized = action(new Cursor(action));
                actions.add(recognized);
                if (recognized instanceof Action.AddColumn column) {
                    // UNIQUE, PRIMARY KEY, CHECK, REFERENCES written in the column: constraints like any other
                    actions.addAll(inlineConstraints(column.column(), action));
                }
            }
            return new Recognized.AlterTable(table, actions, ifExists);
        }
        if (c.accept("type")) {
            Name type = c.name();
            return c.accept("add", "value") ? new Recognized.AddEnumValue(type) : null;
        }
        if (c.accept("domain")) {
            Name domain = c.name();
            if (c.accept("add")) {
                List<Token> rest = c.rest();
                boolean check = rest.stream().anyMatch(t -> t.is("check"));
                boolean notValid = endsWith(rest, "not", "valid");
                return check ? new Recognized.DomainCheck(domain, false, notValid) : null;
            }
        }
        return null;
    }

    private static Action action(Cursor c) {
        String text = c.text();
        if (c.accept("add")) {
            if (c.peekIs("constraint") || c.peekIs("check") || c.peekIs("foreign") || c.peekIs("unique")
                    || c.peekIs("primary") || c.peekIs("exclude")) {
                return addConstraint(c, text);
            }
            c.accept("column");
            c.accept("if", "not", "exists");
            return addColumn(c);
        }
        if (c.accept("alter")) {
            c.accept("column");
            String column = c.identifier();
            if (c.accept("set", "data", "type") || c.accept("type")) {
                List<Token> rest = c.rest();
                int using = indexOfWord(rest, "using");
                int collate = indexOfWord(rest, "collate");
                int end = using >= 0 ? using : collate >= 0 ? collate : rest.size();
                return new Action.AlterColumnType(column, joined(rest.subList(0, end)), using >= 0);
            }
            if (c.accept("set", "not", "null")) {
                return new Action.SetNotNull(column);
            }
            if (c.accept("drop", "not", "null")) {
                return new Action.DropNotNull(column);
            }
            if (c.accept("set", "default")) {
                return new Action.SetDefault(column, joined(c.rest()));
            }
            return new Action.Other(text);
        }
        if (c.accept("validate", "constraint")) {
            return new Action.ValidateConstraint(c.identifier());
        }
        if (c.accept("drop")) {
            if (c.accept("constraint")) {
                c.accept("if", "exists");
                return new Action.DropConstraint(c.identifier());
            }
            c.accept("column");
            c.accept("if", "exists");
            return new Action.DropColumn(c.identifier());
        }
        if (c.accept("rename")) {
            if (c.accept("to")) {
                return new Action.Rename(Action.RenameKind.TABLE, null, c.identifier());
            }
            Action.RenameKind kind = c.accept("constraint") ? Action.RenameKind.CONSTRAINT : Action.RenameKind.COLUMN;
            c.accept("column");
            String from = c.identifier();
            c.expect("to");
            return new Action.Rename(kind, from, c.identifier());
        }
        if (c.accept("attach", "partition")) {
            return new Action.AttachPartition(c.name());
        }
        if (c.accept("detach", "partition")) {
            Name partition = c.name();
            return new Action.DetachPartition(partition, c.accept("concurrently") || c.accept("finalize"));
        }
        if (c.accept("set", "tablespace") || c.accept("set", "logged") || c.accept("set", "unlogged")
                || c.accept("set", "access", "method")) {
            return new Action.Rewrite(text);
        }
        if (c.peekIs("enable") || c.peekIs("disable")) {
            boolean enable = c.next().is("enable");
            if (c.peekIs("always") || c.peekIs("replica")) {
                c.next();
            }
            if (c.accept("trigger")) {
                return new Action.EnableDisableTrigger(enable, c.identifier());
            }
        }
        return new Action.Other(text);
    }

    private static Action addConstraint(Cursor c, String text) {
        String name = null;
        if (c.accept("constraint")) {
            name = c.identifier();
        }
        List<Token> rest = c.rest();
        boolean notValid = endsWith(rest, "not", "valid");
        Token kindWord = rest.isEmpty() ? null : rest.get(0);
        Action.ConstraintKind kind;
        if (kindWord == null) {
            kind = Action.ConstraintKind.CHECK;
        } else if (kindWord.is("check")) {
            kind = Action.ConstraintKind.CHECK;
        } else if (kindWord.is("foreign")) {
            kind = Action.ConstraintKind.FOREIGN_KEY;
        } else if (kindWord.is("unique")) {
            kind = Action.ConstraintKind.UNIQUE;
        } else if (kindWord.is("primary")) {
            kind = Action.ConstraintKind.PRIMARY_KEY;
        } else if (kindWord.is("exclude")) {
            kind = Action.ConstraintKind.EXCLUDE;
        } else if (kindWord.is("not") && rest.size() > 1 && rest.get(1).is("null")) {
            kind = Action.ConstraintKind.NOT_NULL;
        } else {
            kind = Action.ConstraintKind.CHECK;
        }
        int using = indexOfWord(rest, "using");
        String usingIndex = using >= 0 && using + 2 < rest.size() && rest.get(using + 1).is("index")
                ? rest.get(using + 2).identifier() : null;
        List<String> columns = new ArrayList<>();
        int open = -1;
        for (int i = 0; i < rest.size(); i++) {
            if (rest.get(i).isPunctuation("(")) {
                open = i;
                break;
            }
        }
        if (open >= 0 && kind != Action.ConstraintKind.CHECK && kind != Action.ConstraintKind.EXCLUDE) {
            for (int i = open + 1; i < rest.size() && !rest.get(i).isPunctuation(")"); i++) {
                if (rest.get(i).identifier() != null) {
                    columns.add(rest.get(i).identifier());
                }
            }
        } else if (kind == Action.ConstraintKind.NOT_NULL && rest.size() > 2) {
            columns.add(rest.get(2).identifier());
        }
        return new Action.AddConstraint(name, kind, notValid, usingIndex, columns, text,
                kind == Action.ConstraintKind.FOREIGN_KEY ? referencedTable(rest) : null);
    }

    /**
     * The constraints written inside a column definition of {@code ADD COLUMN}: each is added like its
     * table-level form ({@code UNIQUE (col)}, {@code CHECK (...)}, {@code FOREIGN KEY (col) REFERENCES t}),
     * with the locks and scans that brings.
     */
    private static List<Action> inlineConstraints(String column, List<Token> tokens) {
        List<Action> constraints = new ArrayList<>();
        String name = null;
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isPunctuation("(")) {
                depth++;
                continue;
            }
            if (t.isPunctuation(")")) {
                depth--;
                continue;
            }
            if (depth != 0) {
                continue;
            }
            if (t.is("constraint") && i + 1 < tokens.size()) {
                name = tokens.get(i + 1).identifier();
                i++;
            } else if (t.is("unique")) {
                constraints.add(new Action.AddConstraint(name, Action.ConstraintKind.UNIQUE, false, null,
                        List.of(column), "UNIQUE (" + column + ")", null));
                name = null;
            } else if (t.is("primary")) {
                constraints.add(new Action.AddConstraint(name, Action.ConstraintKind.PRIMARY_KEY, false, null,
                        List.of(column), "PRIMARY KEY (" + column + ")", null));
                name = null;
            } else if (t.is("check") && i + 1 < tokens.size() && tokens.get(i + 1).isPunctuation("(")) {
                int end = closing(tokens, i + 1);
                constraints.add(new Action.AddConstraint(name, Action.ConstraintKind.CHECK, false, null,
                        List.of(column), "CHECK " + joined(tokens.subList(i + 1, end + 1)), null));
                name = null;
            } else if (t.is("references") && i + 1 < tokens.size()) {
                Cursor referenced = new Cursor(tokens.subList(i + 1, tokens.size()));
                Name table = referenced.name();
                constraints.add(new Action.AddConstraint(name, Action.ConstraintKind.FOREIGN_KEY, false, null,
                        List.of(column), "FOREIGN KEY (" + column + ") REFERENCES " + table, table));
                name = null;
            }
        }
        return constraints;
    }

    private static int closing(List<Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).isPunctuation("(")) {
                depth++;
            } else if (tokens.get(i).isPunctuation(")") && --depth == 0) {
                return i;
            }
        }
        return tokens.size() - 1;
    }

    /** The table a {@code REFERENCES} clause in these tokens names, or null. */
    private static Name referencedTable(List<Token> tokens) {
        int references = indexOfWord(tokens, "references");
        if (references < 0 || references + 1 >= tokens.size()) {
            return null;
        }
        try {
            return new Cursor(tokens.subList(references + 1, tokens.size())).name();
        } catch (RuntimeException notAName) {
            return null;
        }
    }

    private static Action addColumn(Cursor c) {
        String column = c.identifier();
        List<Token> rest = c.rest();
        int constraintsStart = rest.size();
        for (int i = 0; i < rest.size(); i++) {
            Token t = rest.get(i);
            if (t.is("not") || t.is("null") || t.is("default") || t.is("primary") || t.is("unique")
                    || t.is("check") || t.is("references") || t.is("constraint") || t.is("generated")
                    || t.is("collate")) {
                constraintsStart = i;
                break;
            }
        }
        String type = joined(rest.subList(0, constraintsStart));
        List<Token> constraints = rest.subList(constraintsStart, rest.size());
        String defaultExpression = null;
        int defaultAt = indexOfWord(constraints, "default");
        if (defaultAt >= 0) {
            int end = defaultAt + 1;
            int depth = 0;
            while (end < constraints.size()) {
                Token t = constraints.get(end);
                if (t.isPunctuation("(")) {
                    depth++;
                } else if (t.isPunctuation(")")) {
                    depth--;
                } else if (depth == 0 && (t.is("not") || t.is("null") || t.is("primary") || t.is("unique")
                        || t.is("check") || t.is("references") || t.is("constraint") || t.is("collate"))) {
                    break;
                }
                end++;
            }
            defaultExpression = joined(constraints.subList(defaultAt + 1, end));
        }
        boolean notNull = false;
        for (int i = 0; i < constraints.size() - 1; i++) {
            if (constraints.get(i).is("not") && constraints.get(i + 1).is("null")) {
                notNull = true;
            }
        }
        boolean generated = indexOfWord(constraints, "generated") >= 0;
        boolean stored = generated && indexOfWord(constraints, "stored") >= 0;
        boolean identity = generated && indexOfWord(constraints, "identity") >= 0;
        return new Action.AddColumn(column, type, defaultExpression, notNull || identity, stored, identity);
    }

    private static Recognized vacuum(Cursor c) {
        boolean full = false;
        if (c.peekPunctuation("(")) {
            for (List<Token> option : c.parenthesizedList()) {
                if (!option.isEmpty() && option.get(0).is("full") && (option.size() == 1
                        || !(option.get(1).is("false") || option.get(1).is("off") || option.get(1).text().equals("0")))) {
                    full = true;
                }
            }
        } else {
            while (c.peekIs("full") || c.peekIs("freeze") || c.peekIs("verbose") || c.peekIs("analyze")
                    || c.peekIs("analyse")) {
                full |= c.next().is("full");
            }
        }
        if (!full) {
            return null;
        }
        List<Name> tables = new ArrayList<>();
        if (!c.atEnd()) {
            tables.addAll(names(c));
        }
        return new Recognized.VacuumFull(tables);
    }

    /** {@code SELECT set_config('lock_timeout', '2s', false)}: a SET by another name. */
    private static Recognized setConfig(Cursor c) {
        List<List<Token>> arguments = c.parenthesizedList();
        if (arguments.size() != 3 || arguments.get(0).size() != 1 || arguments.get(1).size() != 1
                || arguments.get(0).get(0).kind() != Token.Kind.STRING) {
            return null;
        }
        Token value = arguments.get(1).get(0);
        String text = value.kind() == Token.Kind.STRING ? value.stringValue() : value.text();
        boolean local = arguments.get(2).size() == 1 && arguments.get(2).get(0).is("true");
        return new Recognized.Set(arguments.get(0).get(0).stringValue().toLowerCase(Locale.ROOT), text, local);
    }

    private static Recognized set(Cursor c) {
        if (c.accept("reset")) {
            return new Recognized.Set(c.atEnd() ? "all" : c.next().text().toLowerCase(Locale.ROOT), null, false);
        }
        boolean local = c.accept("local");
        c.accept("session");
        if (c.accept("time", "zone")) {
            // SET TIME ZONE 'UTC' | LOCAL | DEFAULT | INTERVAL '...' | -7
            List<Token> rest = c.rest();
            String zone = rest.size() == 1 && rest.get(0).kind() == Token.Kind.STRING ? rest.get(0).stringValue()
                    : joined(rest).toLowerCase(Locale.ROOT);
            return new Recognized.Set("timezone", zone, local);
        }
        if (c.peekIs("transaction") || c.peekIs("constraints") || c.peekIs("role") || c.peekIs("session")) {
            return null;
        }
        String setting = c.next().text().toLowerCase(Locale.ROOT);
        if (!(c.acceptOperator("=") || c.accept("to"))) {
            return null;
        }
        if (setting.equals("search_path")) {
            // a list: schema, "Schema", 'schema'
            List<String> schemas = new ArrayList<>();
            for (Token t : c.rest()) {
                if (!t.isPunctuation(",")) {
                    schemas.add(t.kind() == Token.Kind.STRING ? "'" + t.stringValue() + "'" : t.text());
                }
            }
            return new Recognized.Set(setting, String.join(",", schemas), local);
        }
        Token value = c.next();
        String text = value.kind() == Token.Kind.STRING ? value.stringValue() : value.text();
        if (!c.atEnd() && value.kind() == Token.Kind.NUMBER && c.peek().kind() == Token.Kind.WORD) {
            text += c.next().text(); // SET lock_timeout = 5 s? not valid SQL; kept for the message
        }
        return new Recognized.Set(setting, text, local);
    }

    private static List<Name> names(Cursor c) {
        List<Name> names = new ArrayList<>();
        c.accept("only");
        names.add(c.name());
        c.acceptOperator("*");
        while (c.peekPunctuation(",")) {
            c.next();
            c.accept("only");
            names.add(c.name());
            c.acceptOperator("*");
        }
        return names;
    }

    private static int indexOfWord(List<Token> tokens, String word) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).is(word)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean endsWith(List<Token> tokens, String a, String b) {
        int n = tokens.size();
        return n >= 2 && tokens.get(n - 2).is(a) && tokens.get(n - 1).is(b);
    }

    static String joined(List<Token> tokens) {
        StringBuilder text = new StringBuilder();
        Token previous = null;
        for (Token t : tokens) {
            boolean tight = previous != null && (t.isPunctuation("(") || t.isPunctuation(")") || t.isPunctuation(",")
                    || t.isPunctuation("::") || previous.isPunctuation("(") || previous.isPunctuation("::")
                    || t.isPunctuation(".") || previous.isPunctuation("."));
            if (previous != null && !tight) {
                text.append(' ');
            }
            text.append(t.text());
            previous = t;
        }
        return text.toString();
    }
}
