package dev.lockstep.emulator.control;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.http.Router;

/** The admin API under {@code /__emulator}. Being written: registers nothing yet. */
public final class AdminApi {

    private AdminApi() {}

    public static void register(Router router, Emulator emulator) {}
}
