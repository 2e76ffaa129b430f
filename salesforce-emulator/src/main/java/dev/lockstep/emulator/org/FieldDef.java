package dev.lockstep.emulator.org;

import java.util.List;
import java.util.Objects;

/**
 * One field of an sObject as describe shows it. Immutable: a schema change replaces the definition. {@link #slot}
 * is where the field's value lives in a stored record; it is assigned once per object and never reused, so records
 * survive fields being added, removed or retyped.
 */
public record FieldDef(
        String name,
        String label,
        FieldType type,
        int length,
        int precision,
        int scale,
        boolean nillable,
        boolean createable,
        boolean updateable,
        boolean calculated,
        String calculatedFormula,
        boolean externalId,
        boolean idLookup,
        boolean unique,
        boolean caseSensitive,
        boolean defaultedOnCreate,
        List<String> referenceTo,
        String relationshipName,
        String compoundFieldName,
        boolean polymorphicForeignKey,
        boolean restrictedPicklist,
        List<PicklistValue> picklistValues,
        String extraTypeInfo,
        boolean custom,
        int slot) {

    /** One value of a picklist. */
    public record PicklistValue(String value, String label, boolean active, boolean defaultValue) {}

    public FieldDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type of " + name);
        referenceTo = List.copyOf(referenceTo == null ? List.of() : referenceTo);
        picklistValues = List.copyOf(picklistValues == null ? List.of() : picklistValues);
    }

    public FieldDef withSlot(int newSlot) {
        return new FieldDef(name, label, type, length, precision, scale, nillable, createable, updateable, calculated,
                calculatedFormula, externalId, idLookup, unique, caseSensitive, defaultedOnCreate, referenceTo,
                relationshipName, compoundFieldName, polymorphicForeignKey, restrictedPicklist, picklistValues,
                extraTypeInfo, custom, newSlot);
    }

    public FieldDef withType(FieldType newType, int newLength, int newPrecision, int newScale) {
        return new FieldDef(name, label, newType, newLength, newPrecision, newScale, nillable, createable, updateable,
                calculated, calculatedFormula, externalId, idLookup, unique, caseSensitive, defaultedOnCreate,
                referenceTo, relationshipName, compoundFieldName, polymorphicForeignKey, restrictedPicklist,
                picklistValues, extraTypeInfo, custom, slot);
    }

    /** Describe's {@code byteLength}: three bytes per character for text, 0 otherwise. */
    public int byteLength() {
        return type.isText() ? length * 3 : 0;
    }

    /** A master-detail relationship: required, set on create, never re-parented. Deleting the master cascades. */
    public boolean isMasterDetail() {
        return type == FieldType.REFERENCE && !nillable && createable && !updateable && !defaultedOnCreate;
    }

    /** Written by the org itself (Id, audit fields, IsDeleted, formulas, compounds, auto-numbers). */
    public boolean isSystemManaged() {
        return !createable && !updateable;
    }

    public String defaultPicklistValue() {
        return picklistValues.stream().filter(PicklistValue::defaultValue).map(PicklistValue::value).findFirst()
                .orElse(null);
    }
}
