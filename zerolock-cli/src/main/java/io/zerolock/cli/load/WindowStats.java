package io.zerolock.cli.load;

import java.util.Arrays;
import java.util.List;

/**
 * What the application saw during one window of time (an operation): transactions completed and failed,
 * the longest interval with no completed transaction, the worst and the 99th percentile latency.
 */
public record WindowStats(long startNanos, long endNanos, int completed, int failed, long longestGapNanos,
        long maxLatencyNanos, long p99LatencyNanos) {

    /** The transactions scheduled before the window's end and completed after its start. */
    public static WindowStats of(List<Sample> samples, long startNanos, long endNanos) {
        List<Sample> inside = samples.stream()
                .filter(s -> s.completedNanos() >= startNanos && s.scheduledNanos() <= endNanos)
                .sorted((a, b) -> Long.compare(a.completedNanos(), b.completedNanos()))
                .toList();
        long[] latencies = inside.stream().mapToLong(Sample::latencyNanos).sorted().toArray();
        long previous = startNanos;
        long longestGap = 0;
        for (Sample sample : inside) {
            if (!sample.failed()) {
                longestGap = Math.max(longestGap, sample.completedNanos() - previous);
                previous = Math.max(previous, sample.completedNanos());
            }
        }
        longestGap = Math.max(longestGap, endNanos - previous);
        int failed = (int) inside.stream().filter(Sample::failed).count();
        return new WindowStats(startNanos, endNanos, inside.size() - failed, failed, longestGap,
                latencies.length == 0 ? 0 : latencies[latencies.length - 1], percentile(latencies, 0.99));
    }

    public double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    public double throughput() {
        return seconds() == 0 ? 0 : completed / seconds();
    }

    private static long percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public String toString() {
        return "WindowStats" + Arrays.toString(new long[] {completed, failed, longestGapNanos / 1_000_000,
                maxLatencyNanos / 1_000_000, p99LatencyNanos / 1_000_000});
    }
}
