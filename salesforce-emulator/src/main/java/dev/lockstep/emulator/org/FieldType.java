package dev.lockstep.emulator.org;

import java.util.Locale;

/** The describe {@code type} of a field, with its {@code soapType}. */
public enum FieldType {
    ID("tns:ID", true),
    STRING("xsd:string", true),
    BOOLEAN("xsd:boolean", false),
    INT("xsd:int", false),
    DOUBLE("xsd:double", false),
    CURRENCY("xsd:double", false),
    PERCENT("xsd:double", false),
    DATE("xsd:date", false),
    DATETIME("xsd:dateTime", false),
    TIME("xsd:time", false),
    PICKLIST("xsd:string", true),
    MULTIPICKLIST("xsd:string", true),
    COMBOBOX("xsd:string", true),
    TEXTAREA("xsd:string", true),
    REFERENCE("tns:ID", true),
    EMAIL("xsd:string", true),
    PHONE("xsd:string", true),
    URL("xsd:string", true),
    BASE64("xsd:base64Binary", false),
    ENCRYPTEDSTRING("xsd:string", true),
    ADDRESS("urn:address", false),
    LOCATION("urn:location", false),
    ANYTYPE("xsd:anyType", false);

    private final String soapType;
    private final boolean text;

    FieldType(String soapType, boolean text) {
        this.soapType = soapType;
        this.text = text;
    }

    /** The name describe uses, e.g. {@code datetime}. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String soapType() {
        return soapType;
    }

    /** Text types carry a {@code length} and a {@code byteLength} of three bytes per character. */
    public boolean isText() {
        return text;
    }

    public boolean isNumeric() {
        return this == INT || this == DOUBLE || this == CURRENCY || this == PERCENT;
    }

    /** Address and geolocation: read-only fields assembled from their component fields. */
    public boolean isCompound() {
        return this == ADDRESS || this == LOCATION;
    }

    public static FieldType fromApiName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown field type '" + name + "'");
        }
    }
}
