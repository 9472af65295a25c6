package io.zerolock.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/** Left-aligned text columns, two spaces apart, and indented JSON: the command line's two output forms. */
public final class TextTable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TextTable() {}

    public static String render(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < headers.size(); c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder text = new StringBuilder();
        appendRow(text, headers, widths);
        rows.forEach(row -> appendRow(text, row, widths));
        return text.toString();
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void appendRow(StringBuilder text, List<String> cells, int[] widths) {
        for (int c = 0; c < cells.size(); c++) {
            text.append(cells.get(c));
            if (c < cells.size() - 1) {
                text.append(" ".repeat(widths[c] - cells.get(c).length() + 2));
            }
        }
        text.append('\n');
    }
}
