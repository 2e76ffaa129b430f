package dev.lockstep.emulator.cdc;

/**
 * An event in the bus's log: its replay id (a rising long, not contiguous; Pub/Sub sends it as 8 big-endian bytes,
 * CometD as a JSON number) and when it was stored, for retention.
 */
public record StoredEvent(long replayId, long storedAtMillis, ChangeEvent event) {}
