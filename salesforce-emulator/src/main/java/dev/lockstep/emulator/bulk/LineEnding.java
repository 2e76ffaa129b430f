package dev.lockstep.emulator.bulk;

import java.nio.charset.StandardCharsets;

/** The line ending of a Bulk API 2.0 job's CSV ({@code lineEnding}): LF by default, or CRLF. */
enum LineEnding {
    LF("\n"),
    CRLF("\r\n");

    private final byte[] bytes;

    LineEnding(String text) {
        this.bytes = text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The bytes written at the end of each CSV row. */
    byte[] bytes() {
        return bytes.clone();
    }
}
