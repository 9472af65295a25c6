package io.zerolock.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test once per PostgreSQL major version, each time with a fresh {@link TestDatabase} on a real
 * server of that version. The versions are those of the system property {@code zerolock.test.pg}
 * (default: every bundled one), narrowed by {@link #versions()} and {@link #minVersion()}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(PostgresExtension.class)
public @interface PostgresTest {

    /** Only these major versions (empty: all that the run tests). */
    int[] versions() default {};

    /** Skip versions older than this. */
    int minVersion() default 0;
}
