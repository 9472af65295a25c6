package io.zerolock.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.check.rules.Rules;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's rule table is generated from the rules; it fails here when one drifts from the other. */
class RulesDocumentationTest {

    @Test
    void the_readme_rule_table_is_the_one_the_rules_generate() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        int start = text.indexOf("<!-- rules:start");
        int end = text.indexOf("<!-- rules:end -->");
        assertThat(start).as("README has the rules:start marker").isPositive();
        String table = text.substring(text.indexOf('\n', start) + 1, end);
        assertThat(table).as("README.md's rule table; regenerate it from Rules.markdownTable()")
                .isEqualTo(Rules.markdownTable());
    }

    @Test
    void a_summary_ends_at_the_first_full_stop_not_at_an_ellipsis() {
        assertThat(Rules.all()).allSatisfy(rule -> assertThat(rule.summary()).as(rule.id())
                .hasSizeGreaterThan(30).doesNotEndWith("..."));
    }
}
