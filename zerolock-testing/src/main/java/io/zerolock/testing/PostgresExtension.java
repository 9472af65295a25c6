package io.zerolock.testing;

import io.zerolock.embedded.BundledPostgres;
import io.zerolock.embedded.EmbeddedPostgresServer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Provides one invocation of a {@link PostgresTest} per PostgreSQL major version. Servers are started
 * once per JVM and shared; each invocation gets its own database, dropped afterwards.
 */
public final class PostgresExtension implements TestTemplateInvocationContextProvider {

    /** System property listing the major versions to test, e.g. {@code 11,14,18}. */
    public static final String VERSIONS_PROPERTY = "zerolock.test.pg";

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(PostgresTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        PostgresTest settings = context.getRequiredTestMethod().getAnnotation(PostgresTest.class);
        List<Integer> versions = testedVersions().stream()
                .filter(v -> settings.versions().length == 0 || Arrays.stream(settings.versions()).anyMatch(w -> w == v))
                .filter(v -> v >= settings.minVersion())
                .toList();
        if (versions.isEmpty()) {
            throw new org.junit.platform.commons.PreconditionViolationException(
                    "no PostgreSQL version of " + testedVersions() + " matches " + context.getDisplayName());
        }
        return versions.stream().map(VersionContext::new);
    }

    /** The major versions this test run covers. */
    public static List<Integer> testedVersions() {
        String property = System.getProperty(VERSIONS_PROPERTY, "");
        if (property.isBlank()) {
            return List.copyOf(BundledPostgres.releases().keySet());
        }
        return Arrays.stream(property.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private record VersionContext(int major) implements TestTemplateInvocationContext {

        @Override
        public String getDisplayName(int invocationIndex) {
            return "PG " + major;
        }

        @Override
        public List<org.junit.jupiter.api.extension.Extension> getAdditionalExtensions() {
            return List.of(new DatabaseResolver(major));
        }
    }

    private record DatabaseResolver(int major) implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == TestDatabase.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.shared(major);
            TestDatabase database = new TestDatabase(server, server.createDatabase("zl_test"));
            context.getStore(ExtensionContext.Namespace.create(PostgresExtension.class, major))
                    .put(database.name(), database); // closed (dropped) by JUnit as an AutoCloseable
            return database;
        }
    }
}
