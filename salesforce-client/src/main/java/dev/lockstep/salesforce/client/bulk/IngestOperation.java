package dev.lockstep.salesforce.client.bulk;

/** What an ingest job does to each row (reference §4.1). {@link #UPSERT} needs an External ID field. */
public enum IngestOperation {
    INSERT("insert"),
    UPDATE("update"),
    UPSERT("upsert"),
    DELETE("delete"),
    /** Deletes without the recycle bin; needs the "Bulk API Hard Delete" permission. */
    HARD_DELETE("hardDelete");

    private final String wire;

    IngestOperation(String wire) {
        this.wire = wire;
    }

    /** The name Salesforce uses in the create request. */
    public String wire() {
        return wire;
    }
}
