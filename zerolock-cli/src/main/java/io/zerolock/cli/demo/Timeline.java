package io.zerolock.cli.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** When each step of an operation started ({@link System#nanoTime()}), for the chart's time axis. */
public final class Timeline {

    /** A step that started at {@code nanos}. */
    public record Mark(String step, long nanos) {}

    private final List<Mark> marks = Collections.synchronizedList(new ArrayList<>());

    public void mark(String step) {
        marks.add(new Mark(step, System.nanoTime()));
    }

    public List<Mark> marks() {
        synchronized (marks) {
            return List.copyOf(marks);
        }
    }
}
