package io.zerolock.catalog;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves user-typed names to OIDs once, as PostgreSQL would: {@code schema.name}, quoted parts kept
 * exactly, unquoted parts folded to lower case, unqualified names looked up along {@code search_path}.
 * Missing, ambiguous and wrong-kind names are errors that list the candidates.
 */
public final class NameResolver {

    private static final Set<RelationKind> INDEX_KINDS = Set.of(RelationKind.INDEX, RelationKind.PARTITIONED_INDEX);
    private static final Set<RelationKind> TABLE_KINDS =
            Set.of(RelationKind.TABLE, RelationKind.PARTITIONED_TABLE, RelationKind.MATERIALIZED_VIEW);

    private final CatalogReader catalog;

    public NameResolver(CatalogReader catalog) {
        this.catalog = catalog;
    }

    /** A relation found by name: its OID, exact name and kind. */
    public record Resolved(long oid, QualifiedName name, RelationKind kind) {}

    public Resolved index(String text) {
        return relation(text, INDEX_KINDS, "index");
    }

    public Resolved table(String text) {
        return relation(text, TABLE_KINDS, "table");
    }

    /** A schema by user-typed name; returns its exact name. */
    public String schema(String text) {
        List<String> parts = Identifiers.parseQualifiedName(text);
        if (parts.size() != 1) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "invalid schema name " + text + ": expected one name");
        }
        String wanted = parts.get(0);
        List<String> exact = catalog.query("SELECT nspname FROM pg_namespace WHERE nspname = ?", List.of(wanted),
                rows -> rows.getString(1));
        if (!exact.isEmpty()) {
            return exact.get(0);
        }
        List<String> similar = catalog.query("SELECT nspname FROM pg_namespace WHERE lower(nspname) = lower(?) "
                + "ORDER BY nspname", List.of(wanted), rows -> rows.getString(1));
        throw new ZerolockException(ErrorCode.NOT_FOUND, "schema " + Identifiers.display(wanted) + " does not exist"
                + suggestions(similar.stream().map(Identifiers::display).toList()));
    }

    private Resolved relation(String text, Set<RelationKind> kinds, String wanted) {
        List<String> parts = Identifiers.parseQualifiedName(text);
        String name = parts.get(parts.size() - 1);
        List<Resolved> found;
        if (parts.size() == 2) {
            found = lookup("n.nspname = ? AND c.relname = ?", List.of(parts.get(0), name));
        } else {
            // the first schema of the effective search_path (pg_catalog and pg_temp included) that has it
            found = lookup("c.relname = ? AND n.nspname = (SELECT s FROM unnest(current_schemas(true)) "
                    + "WITH ORDINALITY p(s, o) JOIN pg_namespace n2 ON n2.nspname = p.s JOIN pg_class c2 "
                    + "ON c2.relnamespace = n2.oid AND c2.relname = ? ORDER BY o LIMIT 1)", List.of(name, name));
        }
        if (found.size() == 1) {
            Resolved relation = found.get(0);
            if (!kinds.contains(relation.kind())) {
                String kind = relation.kind().description();
                throw new ZerolockException(ErrorCode.WRONG_KIND, relation.name().display() + " is " + article(kind)
                        + " " + kind + ", not " + article(wanted) + " " + wanted);
            }
            return relation;
        }
        List<Resolved> candidates = lookup("lower(c.relname) = lower(?) AND c.relkind = ANY(?::\"char\"[])",
                List.of(name, kindCodes(kinds)));
        String shown = parts.size() == 2 ? QualifiedName.of(parts.get(0), name).display() : Identifiers.display(name);
        List<String> names = candidates.stream().map(r -> r.name().display()).toList();
        if (parts.size() == 1 && candidates.stream().filter(r -> r.name().name().equals(name)).count() > 1) {
            throw new ZerolockException(ErrorCode.AMBIGUOUS_NAME, wanted + " " + shown
                    + " is not in the search_path (" + searchPath() + ") and exists in several schemas: "
                    + String.join(", ", names) + "; qualify it with its schema");
        }
        String where = parts.size() == 1 ? " (search_path: " + searchPath() + ")" : "";
        throw new ZerolockException(ErrorCode.NOT_FOUND,
                wanted + " " + shown + " does not exist" + where + suggestions(names));
    }

    private List<Resolved> lookup(String condition, List<?> parameters) {
        return catalog.query("SELECT c.oid, n.nspname, c.relname, c.relkind FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + condition + " ORDER BY n.nspname, c.relname",
                parameters, rows -> new Resolved(rows.getLong(1), QualifiedName.of(rows.getString(2), rows.getString(3)),
                        RelationKind.of(rows.getString(4))));
    }

    private String searchPath() {
        return String.join(", ", catalog.query("SELECT unnest(current_schemas(false))", List.of(),
                rows -> Identifiers.display(rows.getString(1))));
    }

    private static String kindCodes(Set<RelationKind> kinds) {
        return kinds.stream().map(k -> String.valueOf(k.code())).collect(Collectors.joining(",", "{", "}"));
    }

    private static String suggestions(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        return names.size() == 1 ? "; did you mean " + names.get(0) + "?"
                : "; candidates: " + String.join(", ", names);
    }

    private static String article(String noun) {
        return "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
    }
}
