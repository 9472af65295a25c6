package io.zerolock.gate;

/** One thing the gate looked at that says other than go, and why, with the limit it was held to. */
public record Signal(String name, Verdict verdict, String reason) {}
