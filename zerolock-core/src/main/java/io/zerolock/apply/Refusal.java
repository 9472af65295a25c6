package io.zerolock.apply;

/** A statement apply will not run, and why: nothing of any file runs while one is refused. */
public record Refusal(String file, int line, String reason) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
