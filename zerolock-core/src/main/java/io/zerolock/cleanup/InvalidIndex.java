package io.zerolock.cleanup;

import io.zerolock.catalog.IndexDefinition;

/**
 * An invalid index found by cleanup, what it is, and what cleanup will do with it.
 *
 * @param keepReason why it must be kept even though it is a leftover (a constraint uses it), else null
 */
public record InvalidIndex(IndexDefinition index, LeftoverKind kind, Action action, String keepReason) {

    public enum Action { DROP, REBUILD, REPORT, KEEP }
}
