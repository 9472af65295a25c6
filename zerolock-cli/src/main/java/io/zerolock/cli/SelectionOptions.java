package io.zerolock.cli;

import io.zerolock.maintain.Selection;
import io.zerolock.maintain.Window;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Which bloated indexes a run rebuilds, and when: reindex --bloated and the worker. */
final class SelectionOptions {

    static final List<String> NAMES = List.of("--min-size", "--min-bloat", "--max", "--cooldown", "--window");

    @Option(names = "--min-size", paramLabel = "SIZE", defaultValue = "10MB", converter = ByteSizes.class,
            description = "Leave out indexes smaller than SIZE (default: ${DEFAULT-VALUE}).")
    long minSize;

    @Option(names = "--min-bloat", paramLabel = "PERCENT", defaultValue = "30%",
            description = "Leave out indexes with less bloat than this share (default: ${DEFAULT-VALUE}).")
    String minBloat;

    @Option(names = "--max", paramLabel = "N", defaultValue = "2",
            description = "Rebuild at most N indexes in one run (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--cooldown", paramLabel = "DURATION", defaultValue = "7d", converter = Durations.class,
            description = "Leave out indexes zerolock rebuilt more recently than this (default: ${DEFAULT-VALUE}).")
    Duration cooldown;

    @Option(names = "--window", paramLabel = "WINDOW",
            description = "Start a rebuild only inside this window, and only if its predicted time fits in what is "
                    + "left: days and hours in a zone ('Sat,Sun 01:00-05:00 Europe/Berlin'; 'Fri 22:00-02:00' runs "
                    + "past midnight; no zone is UTC), or a cron expression, a length and a zone ('0 1 * * SAT,SUN "
                    + "4h Europe/Berlin').")
    String window;

    Selection.Criteria criteria() {
        return new Selection.Criteria(minSize, Selection.parseShare("--min-bloat", minBloat), max, cooldown);
    }

    Window window() {
        return window == null ? null : Window.parse(window);
    }
}
