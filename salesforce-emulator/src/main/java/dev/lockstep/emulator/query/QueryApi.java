package dev.lockstep.emulator.query;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.http.Router;

/** SOQL query, queryAll and queryMore. Being written: registers nothing yet. */
public final class QueryApi {

    private QueryApi() {}

    public static void register(Router router, Emulator emulator) {}
}
