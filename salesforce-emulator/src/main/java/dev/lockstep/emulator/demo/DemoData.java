package dev.lockstep.emulator.demo;

import dev.lockstep.emulator.org.Org;

/** Deterministic demo data. Being written: generates nothing yet. */
public final class DemoData {

    private DemoData() {}

    public static void generate(Org org, int perObject, long seed) {}
}
