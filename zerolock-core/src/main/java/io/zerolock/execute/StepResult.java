package io.zerolock.execute;

import java.time.Duration;

/** How one step went: attempts made (1 when no retry was needed) and how long it took in all. */
public record StepResult(String step, int attempts, Duration duration) {

    public int retries() {
        return attempts - 1;
    }
}
