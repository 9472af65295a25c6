package io.zerolock.catalog;

/**
 * What decides how a type's values are laid out in a tuple.
 *
 * @param typlen {@code pg_type.typlen}: bytes, -1 variable (varlena), -2 C string
 * @param typalign {@code pg_type.typalign}: c, s, i or d
 * @param packable {@code typstorage} other than plain, so short values get a one-byte header
 * @param compressible {@code typstorage} extended or main, so an index compresses wide values
 */
public record TypeLayout(int typlen, char typalign, boolean packable, boolean compressible) {

    public TypeLayout {
        if (typlen == 0 || typlen < -2) {
            throw new IllegalArgumentException("typlen " + typlen);
        }
        if ("csid".indexOf(typalign) < 0) {
            throw new IllegalArgumentException("typalign " + typalign);
        }
    }
}
