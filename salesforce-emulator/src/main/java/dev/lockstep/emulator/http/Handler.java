package dev.lockstep.emulator.http;

/** Answers the requests of one route. Throwing {@code OrgException} or {@code RecordException} answers an error. */
@FunctionalInterface
public interface Handler {

    Response handle(Request request) throws Exception;
}
