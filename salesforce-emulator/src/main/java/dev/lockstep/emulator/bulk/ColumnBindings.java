package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.org.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What each CSV column of an ingest job writes. A header is a field API name, matched case-insensitively
 * ({@code name} is {@code Name}), or {@code RelationshipName.IndexedField} ({@code Account.External_Id__c},
 * {@code ReportsTo.Email}): the parent whose indexed field (an External ID, an idLookup field or Id) has the
 * column's value, whose Id goes into the relationship's reference field. A header that names nothing fails the
 * whole job, as Salesforce fails it: {@code InvalidBatch : Field name not found : Foo__c}.
 * <p>
 * Not supported: the {@code ObjectType:RelationshipName.IndexedField} form for polymorphic lookups.
 */
final class ColumnBindings {

    /** How one column writes into the record. */
    sealed interface Column permits Plain, Parent {
        /** The column's position in the job's table. */
        int index();
    }

    /** A column that sets {@code field} from its text. */
    record Plain(int index, FieldDef field) implements Column {}

    /** A column that sets {@code reference} to the Id of the {@code parent} whose {@code key} has its value. */
    record Parent(int index, String header, FieldDef reference, SObjectDef parent, FieldDef key)
            implements Column {}

    /** The bound columns, and where the Id and the upsert key are (-1 when the header lacks them). */
    record Bound(List<Column> columns, int idColumn, int externalIdColumn) {}

    private ColumnBindings() {}

    static Bound bind(Schema schema, SObjectDef def, String operation, String externalIdField, List<String> header)
            throws CsvException {
        boolean deleting = operation.equals("delete") || operation.equals("hardDelete");
        if (deleting && (header.size() != 1 || !header.get(0).equalsIgnoreCase("Id"))) {
            throw new CsvException("InvalidBatch : The '" + operation + "' batch must contain only ids");
        }
        List<Column> columns = new ArrayList<>();
        int idColumn = -1;
        int externalIdColumn = -1;
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (name.equalsIgnoreCase("Id")) {
                idColumn = i;
            }
            if (externalIdField != null && name.equalsIgnoreCase(externalIdField)) {
                externalIdColumn = i;
            }
            int dot = name.indexOf('.');
            if (dot < 0) {
                FieldDef field = def.field(name).orElseThrow(() -> notFound(name));
                columns.add(new Plain(i, field));
            } else {
                columns.add(parent(schema, def, i, name, name.substring(0, dot), name.substring(dot + 1)));
            }
        }
        return new Bound(List.copyOf(columns), idColumn, externalIdColumn);
    }

    private static Parent parent(Schema schema, SObjectDef def, int index, String header, String relationship,
            String keyName) throws CsvException {
        Optional<FieldDef> reference = def.relationship(relationship);
        if (reference.isEmpty() || keyName.isEmpty() || keyName.contains(".")) {
            throw notFound(header);
        }
        boolean keyExists = false;
        for (String target : reference.get().referenceTo()) {
            Optional<SObjectDef> parent = schema.object(target);
            Optional<FieldDef> key = parent.flatMap(p -> p.field(keyName));
            if (key.isEmpty()) {
                continue;
            }
            keyExists = true;
            FieldDef k = key.get();
            if (k.type() == FieldType.ID || k.externalId() || k.idLookup()) {
                return new Parent(index, header, reference.get(), parent.get(), k);
            }
        }
        if (keyExists) {
            throw new CsvException("InvalidBatch : Field name provided, " + keyName + " does not match an External"
                    + " ID, Salesforce Id, or indexed field for " + reference.get().referenceTo().get(0));
        }
        throw notFound(header);
    }

    private static CsvException notFound(String name) {
        return new CsvException("InvalidBatch : Field name not found : " + name);
    }
}
