package io.zerolock.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus file under {@code check/corpus}, after the history in {@code 00-history.sql}, checked for
 * PostgreSQL 11, 14 and 18. A comment {@code -- expect: ZL001 ZL022} (or {@code -- expect(12+): ...},
 * {@code -- expect(-11): ...}) says which findings the statement on the next line must get; every other
 * statement must get none.
 */
class CorpusTest {

    private static final Pattern EXPECT = Pattern.compile("--\\s*expect(?:\\((\\d+)?(\\+|-)(\\d+)?\\))?:\\s*(.*)");

    static Stream<Arguments> corpus() throws Exception {
        Path dir = Path.of(CorpusTest.class.getResource("/check/corpus").toURI());
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("00-")).sorted().toList()) {
                for (int version : List.of(11, 14, 18)) {
                    cases.add(Arguments.of(file.getFileName().toString(), version));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on PostgreSQL {1}")
    @MethodSource("corpus")
    void each_statement_gets_exactly_the_expected_findings(String name, int version) throws Exception {
        String history = read("00-history.sql");
        String sql = read(name);
        Checker.Report report = Checker.check(List.of(new Checker.Source("00-history.sql", history),
                new Checker.Source(name, sql)), version, Set.of());
        Set<String> actual = new TreeSet<>();
        report.findings().stream().filter(f -> f.file().equals(name))
                .forEach(f -> actual.add(f.ruleId() + "@" + f.line()));
        assertThat(report.findings()).filteredOn(f -> f.file().startsWith("00-")).as("history").isEmpty();
        assertThat(actual).as(name + " on PostgreSQL " + version + ": " + report.findings().stream()
                .filter(f -> f.file().equals(name)).map(f -> f.ruleId() + "@" + f.line() + " " + f.message()).toList())
                .containsExactlyInAnyOrderElementsOf(expected(sql, version));
        assertThat(report.warnings()).isEmpty();
    }

    private static Set<String> expected(String sql, int version) {
        Set<String> expected = new TreeSet<>();
        String[] lines = sql.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher matcher = EXPECT.matcher(lines[i].trim());
            if (!matcher.matches()) {
                continue;
            }
            if (matcher.group(2) != null) {
                boolean from = matcher.group(2).equals("+");
                int bound = Integer.parseInt(from ? matcher.group(1) : matcher.group(3));
                if (from ? version < bound : version > bound) {
                    continue;
                }
            }
            // several expect lines in a row (one per version range) all speak of the statement after them
            int statement = i + 1;
            while (statement < lines.length && EXPECT.matcher(lines[statement].trim()).matches()) {
                statement++;
            }
            for (String id : matcher.group(4).trim().split("\\s+")) {
                expected.add(id + "@" + (statement + 1));
            }
        }
        return expected;
    }

    private static String read(String name) {
        try {
            return Files.readString(Path.of(CorpusTest.class.getResource("/check/corpus/" + name).toURI()),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
