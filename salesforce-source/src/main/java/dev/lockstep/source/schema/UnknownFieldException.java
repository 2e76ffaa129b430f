package dev.lockstep.source.schema;

/**
 * A record or change event carries a field the describe an {@link ObjectSchema} was built from does not know.
 * It is not one record's fault: the field was most likely added in Salesforce since, so every later record will
 * carry it too. The caller refreshes the describe, builds the next version of the object's schema and converts
 * the record again.
 */
public final class UnknownFieldException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String object;
    private final String field;

    public UnknownFieldException(String object, String field) {
        super(object + " has no field " + field + " in the describe its schema was built from; refresh the "
                + "describe (the field was probably added since)");
        this.object = object;
        this.field = field;
    }

    /** The sObject API name. */
    public String object() {
        return object;
    }

    /** The unknown field, as the record or event spells it; a compound's component as {@code BillingAddress.Foo}. */
    public String field() {
        return field;
    }
}
