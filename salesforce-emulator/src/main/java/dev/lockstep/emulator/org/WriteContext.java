package dev.lockstep.emulator.org;

/**
 * Who writes and through which API: the user the audit fields name, the API kind and the client id from
 * {@code Sforce-Call-Options: client=...} (both end up in change events' {@code changeOrigin}).
 */
public record WriteContext(String userId, String apiKind, String callOptionsClient) {

    /** Writes made by the emulator itself (demo data, admin API). */
    public static WriteContext system(String userId) {
        return new WriteContext(userId, "system", null);
    }
}
