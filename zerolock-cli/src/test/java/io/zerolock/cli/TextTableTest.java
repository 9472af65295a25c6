package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columns_line_up_on_a_terminal_with_wide_and_combining_characters() {
        List<List<String>> rows = List.of(List.of("NAME", "SIZE"), List.of("注文テーブル", "8 kB"),
                List.of("orders", "16 kB"), List.of("cafe\u0301", "1 kB"));
        List<String> lines = TextTable.render(rows.get(0), rows.subList(1, rows.size())).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String before = line.substring(0, line.length() - rows.get(i).get(1).length());
            // six wide characters take twelve terminal columns, plus two spaces: SIZE starts at column 14
            assertThat(TextTable.width(before)).as(line).isEqualTo(14);
        }
        assertThat(TextTable.width("注文")).isEqualTo(4);
        assertThat(TextTable.width("cafe\u0301")).isEqualTo(4);
    }
}
