package dev.lockstep.emulator.auth;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.http.Router;

/** OAuth 2.0 endpoints (token, revoke, userinfo, identity). Being written: registers nothing yet. */
public final class OAuthApi {

    private final Emulator emulator;

    public OAuthApi(Emulator emulator) {
        this.emulator = emulator;
    }

    public void register(Router router) {
        if (emulator == null) {
            throw new IllegalStateException();
        }
    }
}
