package dev.lockstep.emulator.org;

/**
 * Who writes and through which API: the user the audit fields name, the API kind, the client id from
 * {@code Sforce-Call-Options: client=...} and the API version (all end up in change events' {@code changeOrigin}).
 *
 * @param apiVersion the request's API version such as {@code 61.0}, or null for the org's own writes
 */
public record WriteContext(String userId, String apiKind, String callOptionsClient, String apiVersion) {

    public WriteContext(String userId, String apiKind, String callOptionsClient) {
        this(userId, apiKind, callOptionsClient, null);
    }

    /** Writes made by the emulator itself (demo data, admin API). */
    public static WriteContext system(String userId) {
        return new WriteContext(userId, "system", null);
    }
}
