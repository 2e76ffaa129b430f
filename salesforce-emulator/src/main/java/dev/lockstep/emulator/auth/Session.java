package dev.lockstep.emulator.auth;

import java.time.Instant;

/** An access token the emulator issued, and whom it stands for. */
public record Session(String accessToken, String userId, String username, String clientId, Instant issuedAt,
        Instant expiresAt) {}
