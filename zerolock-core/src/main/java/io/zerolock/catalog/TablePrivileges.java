package io.zerolock.catalog;

import java.util.Objects;

/**
 * What the current role may do to one table, as PostgreSQL decides it: ownership (through membership in
 * the owning role, or as a superuser) and, on 17+, the MAINTAIN privilege, which allows REINDEX.
 *
 * @param owns the role owns the table, directly, through a role it inherits from, or as a superuser
 * @param maintain the role may REINDEX the table's indexes (owner, or MAINTAIN on 17+)
 */
public record TablePrivileges(long tableOid, QualifiedName table, String owner, String role, boolean owns,
        boolean maintain) {

    public TablePrivileges {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(role, "role");
    }
}
