package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.Org;

/** Runs SOQL against the org. Being written. */
public final class Soql {

    private Soql() {}

    /**
     * Parses and runs {@code soql} under the org's read lock; {@code includeDeleted} adds the recycle bin
     * ({@code queryAll}).
     *
     * @throws dev.lockstep.emulator.org.OrgException 400 {@code MALFORMED_QUERY}, {@code INVALID_FIELD} or
     *     {@code INVALID_TYPE}, with Salesforce's messages
     */
    public static QueryResult execute(Org org, String soql, boolean includeDeleted) {
        throw new UnsupportedOperationException("SOQL is being written");
    }
}
