package dev.lockstep.emulator.bulk;

/** Uploaded CSV that cannot be read; the message is the job's {@code errorMessage}, as Salesforce words it. */
final class CsvException extends Exception {

    private static final long serialVersionUID = 1L;

    CsvException(String message) {
        super(message);
    }
}
