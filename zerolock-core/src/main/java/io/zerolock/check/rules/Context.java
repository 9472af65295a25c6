package io.zerolock.check.rules;

import io.zerolock.check.lex.Splitter;
import io.zerolock.check.recognize.Recognized;

/** A statement, what it was recognised as, the target version, and the migration's state before it. */
public record Context(Splitter.Statement statement, Recognized recognized, int pgVersion, MigrationState state) {}
