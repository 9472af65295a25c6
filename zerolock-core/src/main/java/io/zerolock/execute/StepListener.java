package io.zerolock.execute;

import io.zerolock.plan.Step;

/** Hears each step of a plan start and end; the journal is one. */
public interface StepListener {

    void stepStarted(int position, Step step);

    /** @param error null when the step succeeded */
    void stepEnded(int position, Step step, int attempts, String error);
}
