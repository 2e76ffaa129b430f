package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.http.Router;

/** Bulk API 2.0 ingest and query jobs. Being written: registers nothing yet. */
public final class BulkApi {

    private BulkApi() {}

    public static void register(Router router, Emulator emulator) {}
}
