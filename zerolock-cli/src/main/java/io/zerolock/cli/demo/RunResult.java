package io.zerolock.cli.demo;

import io.zerolock.cli.load.Sample;
import io.zerolock.cli.load.WindowStats;
import io.zerolock.execute.Impact;
import java.util.List;

/**
 * One contender's run under the load: what the application saw during the operation ({@code stats},
 * between {@code stats.startNanos()} and {@code stats.endNanos()}), every transaction of the run
 * including warm-up and cool-down ({@code samples}), the steps, the index size before and after, and
 * the impact the lock monitor measured. {@code error} is null unless the operation failed.
 */
public record RunResult(Contender contender, WindowStats stats, List<Sample> samples, List<Timeline.Mark> marks,
        long sizeBefore, long sizeAfter, Impact impact, String error) {

    public RunResult {
        samples = List.copyOf(samples);
        marks = List.copyOf(marks);
    }
}
