package io.zerolock.cli.demo;

import io.zerolock.cli.load.Sample;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page: the comparison table, and per run a chart of every transaction's latency
 * over time (inline SVG, log scale, no scripts or external fonts), with the operation's window shaded
 * and its steps marked on the time axis.
 */
public final class HtmlReport {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 34;
    private static final int BOTTOM = 42;

    private HtmlReport() {}

    /** One comparison in the report: a heading, a line saying what ran, and its runs. */
    public record Section(String heading, String description, List<RunResult> runs) {}

    /** @param header one line saying what ran where, e.g. the server version and the data size */
    public static String render(String title, String header, List<RunResult> runs) {
        return renderSections(title, header, List.of(new Section(null, null, runs)));
    }

    /** Several comparisons on one page, each with its table and charts; one latency scale for all. */
    public static String renderSections(String title, String header, List<Section> sections) {
        long maxLatency = sections.stream().flatMap(section -> section.runs().stream())
                .mapToLong(run -> run.samples().stream().mapToLong(Sample::latencyNanos).max().orElse(0))
                .max().orElse(0);
        double top = 10;
        while (top < maxLatency / 1e6) {
            top *= 10;
        }
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em;color:#222;")
                .append("max-width:1000px}\n")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;")
                .append("text-align:right}th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}\n")
                .append("svg{display:block;margin:0.5em 0 2em}code{background:#f4f4f4;padding:1px 4px}\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n<p>")
                .append(escape(header)).append("</p>\n");
        html.append("<p>Latency is counted from when each transaction was due (an open-loop schedule), so time ")
                .append("spent queued behind a lock shows. The shaded band is the operation; dashed lines mark ")
                .append("its steps. Every chart uses the same latency scale.</p>\n");
        for (Section section : sections) {
            if (section.heading() != null) {
                html.append("<h2>").append(escape(section.heading())).append("</h2>\n");
            }
            if (section.description() != null) {
                html.append("<p>").append(escape(section.description())).append("</p>\n");
            }
            table(html, section.runs());
            for (RunResult run : section.runs()) {
                html.append(section.heading() == null ? "<h2>" : "<h3>").append(escape(run.contender().name()))
                        .append(section.heading() == null ? "</h2>" : "</h3>").append("\n<p><code>")
                        .append(escape(run.contender().command())).append("</code></p>\n");
                chart(html, run, top);
            }
        }
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void table(StringBuilder html, List<RunResult> runs) {
        html.append("<table>\n<tr><th></th>");
        runs.forEach(run -> html.append("<th>").append(escape(run.contender().name())).append("</th>"));
        html.append("</tr>\n");
        List<List<String[]>> figures = runs.stream().map(ComparisonTable::figures).toList();
        for (int m = 0; m < figures.get(0).size(); m++) {
            html.append("<tr><td>").append(escape(figures.get(0).get(m)[0])).append("</td>");
            for (List<String[]> run : figures) {
                html.append("<td>").append(escape(run.get(m)[1])).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void chart(StringBuilder svg, RunResult run, double topMillis) {
        long start = run.stats().startNanos();
        double from = run.samples().stream().mapToLong(Sample::scheduledNanos).min().orElse(start);
        double to = Math.max(run.stats().endNanos(),
                run.samples().stream().mapToLong(Sample::completedNanos).max().orElse(run.stats().endNanos()));
        double x0 = (from - start) / 1e9;
        double x1 = Math.max((to - start) / 1e9, x0 + 0.001);
        Scale x = value -> LEFT + (value - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
        double logTop = Math.log10(topMillis);
        Scale y = millis -> TOP + (1 - Math.log10(Math.max(1, millis)) / logTop) * (HEIGHT - TOP - BOTTOM);

        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"latency over time: %s\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT,
                escape(run.contender().name())));
        double opEnd = (run.stats().endNanos() - start) / 1e9;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                + "fill=\"#eef2fb\"/>%n", x.at(0), TOP, Math.max(1, x.at(opEnd) - x.at(0)), HEIGHT - TOP - BOTTOM));
        for (double grid = 1; grid <= topMillis; grid *= 10) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, WIDTH - RIGHT, y.at(grid),
                    y.at(grid), LEFT - 6, y.at(grid) + 4, grid >= 1000 ? (int) (grid / 1000) + " s" : (int) grid + " ms"));
        }
        double step = tickStep(x1 - x0);
        for (double t = Math.ceil(x0 / step) * step; t <= x1; t += step) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s s</text>%n", x.at(t), x.at(t),
                    HEIGHT - BOTTOM, HEIGHT - BOTTOM + 4, x.at(t), HEIGHT - BOTTOM + 16, trim(t)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">seconds since the "
                + "operation started</text>%n", (WIDTH + LEFT) / 2, HEIGHT - 6));
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" "
                + "text-anchor=\"middle\">latency</text>%n", (HEIGHT) / 2, HEIGHT / 2));
        for (Sample sample : run.samples()) {
            double sx = x.at((sample.scheduledNanos() - start) / 1e9);
            double sy = y.at(sample.latencyNanos() / 1e6);
            if (sample.failed()) {
                svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fl4 4m0 -4l-4 4\" stroke=\"#d62728\"/>%n",
                        sx - 2, sy - 2));
            } else {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\" fill=\"%s\"/>%n", sx,
                        sy, sample.write() ? "#ff7f0e" : "#1f77b4"));
            }
        }
        int label = 0;
        for (Timeline.Mark mark : run.marks()) {
            double mx = x.at((mark.nanos() - start) / 1e9);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#555\" "
                    + "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\">%s</text>%n", mx, mx, TOP - 4,
                    HEIGHT - BOTTOM, mx + 3, TOP - 8 - (label++ % 2) * 12 + 12, escape(mark.step())));
        }
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"12\" r=\"3\" fill=\"#1f77b4\"/><text x=\"%d\" "
                + "y=\"16\">read</text><circle cx=\"%d\" cy=\"12\" r=\"3\" fill=\"#ff7f0e\"/><text x=\"%d\" y=\"16\">"
                + "write</text><path d=\"M%d 9l6 6m0 -6l-6 6\" stroke=\"#d62728\"/><text x=\"%d\" y=\"16\">failed"
                + "</text>%n", WIDTH - 230, WIDTH - 224, WIDTH - 170, WIDTH - 164, WIDTH - 108, WIDTH - 98));
        svg.append("</svg>\n");
    }

    @FunctionalInterface
    private interface Scale {
        double at(double value);
    }

    private static double tickStep(double span) {
        for (double step : new double[] {0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300}) {
            if (span / step <= 12) {
                return step;
            }
        }
        return 600;
    }

    private static String trim(double value) {
        String text = String.format(Locale.ROOT, "%.1f", Math.abs(value) < 1e-9 ? 0 : value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
