package dev.lockstep.emulator.auth;

/**
 * An OAuth endpoint's refusal: the HTTP status and the {@code error} / {@code error_description} pair that
 * Salesforce puts in its body. Thrown inside {@link OAuthApi} and turned into a response there, never seen by the
 * HTTP pipeline (whose error body is REST's {@code [{"message","errorCode"}]} array, not OAuth's object). Messages
 * never contain a token.
 */
final class OAuthError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    OAuthError(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    /** A 400, as the token endpoint answers every refusal. */
    static OAuthError badRequest(String error, String description) {
        return new OAuthError(400, error, description);
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    String description() {
        return getMessage();
    }
}
