package io.zerolock.gate;

import java.util.List;

/** The gate's answer: the strongest verdict of its signals, and every signal that was not a go. */
public record Decision(Verdict verdict, List<Signal> signals) {

    public Decision {
        signals = List.copyOf(signals);
    }

    static Decision of(List<Signal> signals) {
        Verdict verdict = signals.stream().map(Signal::verdict).max(Enum::compareTo).orElse(Verdict.GO);
        return new Decision(verdict, signals);
    }

    public boolean go() {
        return verdict == Verdict.GO;
    }

    /** The reasons, one per signal, in a line. */
    public String reasons() {
        return signals.isEmpty() ? "the server is healthy"
                : String.join("; ", signals.stream().map(Signal::reason).toList());
    }
}
