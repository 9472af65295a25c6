package io.zerolock.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.check.rules.Rule;
import io.zerolock.check.rules.Rules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What every rule must satisfy: a stable, unique id and name, its documentation, and a corpus case. */
class RulesContractTest {

    @Test
    void every_rule_has_a_unique_id_a_name_its_documentation_and_an_unsafe_case_in_the_corpus() throws Exception {
        List<Rule> rules = Rules.all();
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        StringBuilder corpus = new StringBuilder();
        try (Stream<Path> files = Files.list(Path.of(getClass().getResource("/check/corpus").toURI()))) {
            for (Path file : files.toList()) {
                corpus.append(Files.readString(file));
            }
        }
        for (Rule rule : rules) {
            assertThat(rule.id()).matches("ZL\\d{3}");
            assertThat(ids.add(rule.id())).as("unique id " + rule.id()).isTrue();
            assertThat(rule.name()).matches("[a-z]+(-[a-z]+)*");
            assertThat(names.add(rule.name())).as("unique name " + rule.name()).isTrue();
            assertThat(rule.severity()).isNotNull();
            assertThat(rule.why()).as(rule.id()).hasSizeGreaterThan(40).endsWith(".");
            assertThat(rule.safe()).as(rule.id()).isNotBlank();
            assertThat(rule.appliesTo(18)).as(rule.id() + " applies to the newest version").isTrue();
            assertThat(corpus.toString()).as(rule.id() + " has an unsafe case in the corpus")
                    .containsPattern("-- expect(\\([^)]*\\))?:[^\\n]*" + rule.id());
        }
        assertThat(rules).extracting(Rule::id).isSorted();
    }
}
