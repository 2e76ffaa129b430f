package dev.lockstep.emulator.org;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The org: every record of every object, in memory, with Salesforce's write rules. All writes go through
 * {@link #write}, one transaction at a time under a write lock; reads go through {@link #read} under a read lock,
 * so a query sees every transaction whole or not at all. Committed changes are handed to {@link OrgListener}s in
 * commit order (the change-event bus builds on that).
 */
public final class Org {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Org.class);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final String orgId;
    private final Schema schema;
    private final OrgClock clock;
    private final Ids ids = new Ids();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, LinkedHashMap<String, StoredRecord>> recordsByObject = new HashMap<>();
    private final Map<String, StoredRecord> byId = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> indexes = new HashMap<>();
    private final Map<String, DeletedEntry> deletedLog = new LinkedHashMap<>();
    private final Map<String, String> cascadeParent = new HashMap<>();
    private final List<OrgListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong transactions = new AtomicLong();
    private volatile FormulaEvaluator formulas = (field, record) -> null;
    private final String systemUserId;

    /** A record in the delete log, as getDeleted reports it. */
    public record DeletedEntry(String id, String object, Instant deletedDate) {}

    /**
     * The org's data as {@link #save()} captures it and {@link #restore} brings it back: every record, the Id
     * sequences, the delete log, which records a parent's delete took along, and the transaction counter. The schema
     * is not part of it: a saved org is restored into an org of the same schema.
     */
    public record SavedOrg(List<SavedRecord> records, Map<String, Long> idSequences, List<DeletedEntry> deleted,
            Map<String, String> cascadeParents, long transactions) {

        public SavedOrg {
            records = List.copyOf(records);
            idSequences = Map.copyOf(idSequences);
            deleted = List.copyOf(deleted);
            cascadeParents = Map.copyOf(cascadeParents);
        }
    }

    /**
     * One saved record: its stored values by field name in their text form ({@link Values#toText}), nulls, compound
     * and formula fields left out; {@code deletedDate} is set for records in the recycle bin.
     */
    public record SavedRecord(String id, String object, Map<String, String> values, boolean deleted,
            Instant deletedDate) {

        public SavedRecord {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    public Org(Schema schema, OrgClock clock) {
        this.schema = schema;
        this.clock = clock;
        this.orgId = Ids.make("00D", 1);
        this.systemUserId = Ids.make("005", 1);
    }

    public String orgId() {
        return orgId;
    }

    public Schema schema() {
        return schema;
    }

    public OrgClock clock() {
        return clock;
    }

    /** The user the org's own writes are attributed to. */
    public String systemUserId() {
        return systemUserId;
    }

    public FormulaEvaluator formulas() {
        return formulas;
    }

    /** Installs the formula evaluator, which first checks every formula of the schema (and may refuse it). */
    public void setFormulas(FormulaEvaluator formulas) {
        Objects.requireNonNull(formulas);
        lock.writeLock().lock();
        try {
            formulas.checkSchema(schema);
            this.formulas = formulas;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void addListener(OrgListener listener) {
        listeners.add(listener);
    }

    public void removeListener(OrgListener listener) {
        listeners.remove(listener);
    }

    // ----------------------------------------------------------------------------------------------- reading

    /** Runs {@code reader} under the read lock. */
    public <T> T read(Function<Org, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(this);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A record by 15- or 18-character Id, deleted ones included. Call inside {@link #read} or {@link #write}. */
    public Optional<RecordView> view(String id) {
        String full = Ids.normalize(id);
        StoredRecord record = full == null ? null : byId.get(full);
        if (record == null) {
            return Optional.empty();
        }
        return Optional.of(new RecordView(this, schema.require(record.object), record));
    }

    /** The records of an object in creation order. Call inside {@link #read} or {@link #write}. */
    public List<RecordView> records(SObjectDef def, boolean includeDeleted) {
        LinkedHashMap<String, StoredRecord> records = recordsByObject.get(key(def.name()));
        if (records == null) {
            return List.of();
        }
        List<RecordView> views = new ArrayList<>(records.size());
        for (StoredRecord record : records.values()) {
            if (includeDeleted || !record.deleted) {
                views.add(new RecordView(this, def, record));
            }
        }
        return views;
    }

    /** How many records an object has (live only, or with the recycle bin). */
    public int count(String object, boolean includeDeleted) {
        return read(org -> {
            LinkedHashMap<String, StoredRecord> records = recordsByObject.get(key(object));
            if (records == null) {
                return 0;
            }
            return includeDeleted ? records.size()
                    : (int) records.values().stream().filter(r -> !r.deleted).count();
        });
    }

    /**
     * The Ids of live records of {@code def} whose {@code field} equals {@code value}: External ID and unique
     * fields use their index, other fields are scanned. Bulk API resolves {@code Relationship.IndexedField} CSV
     * columns with it. Call inside {@link #write}: the first look-up of a field builds its index.
     */
    public List<String> matchingIds(SObjectDef def, FieldDef field, Object value) {
        return matching(def, field, value);
    }

    /** Live records whose SystemModstamp is within [start, end], for getUpdated. */
    public List<String> updatedIds(SObjectDef def, Instant start, Instant end) {
        return read(org -> {
            FieldDef modstamp = def.field("SystemModstamp").orElse(null);
            List<String> result = new ArrayList<>();
            if (modstamp == null) {
                return result;
            }
            for (RecordView view : records(def, false)) {
                Instant at = (Instant) view.get(modstamp);
                if (at != null && !at.isBefore(start) && !at.isAfter(end)) {
                    result.add(view.id());
                }
            }
            return result;
        });
    }

    /** Records deleted within [start, end], for getDeleted. */
    public List<DeletedEntry> deleted(SObjectDef def, Instant start, Instant end) {
        return read(org -> deletedLog.values().stream()
                .filter(e -> e.object().equals(def.name()) && !e.deletedDate().isBefore(start)
                        && !e.deletedDate().isAfter(end))
                .toList());
    }

    // ----------------------------------------------------------------------------------------------- writing

    /**
     * Runs {@code work} as one transaction under the write lock. If it throws, every change it made is undone and
     * the exception propagates; otherwise the changes are committed and listeners told. {@link Txn#rollback()}
     * undoes the transaction without an exception (sObject Collections with {@code allOrNone}).
     */
    public <T> T write(WriteContext context, Function<Txn, T> work) {
        lock.writeLock().lock();
        try {
            Txn txn = new Txn(context);
            T result;
            try {
                result = work.apply(txn);
            } catch (RuntimeException | Error e) {
                txn.rollback();
                throw e;
            }
            txn.commit();
            return result;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** One transaction. Each operation is atomic: it validates fully before it changes anything. */
    public final class Txn {

        private final WriteContext context;
        private final Instant now;
        private final List<Runnable> undo = new ArrayList<>();
        private final List<Change> changes = new ArrayList<>();
        private boolean rolledBack;

        private Txn(WriteContext context) {
            this.context = context;
            this.now = clock.instant();
        }

        public Instant now() {
            return now;
        }

        /** Undoes everything this transaction did; nothing is committed. */
        public void rollback() {
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
            undo.clear();
            changes.clear();
            rolledBack = true;
        }

        private void commit() {
            if (rolledBack || changes.isEmpty()) {
                return;
            }
            String transactionKey = String.format(Locale.ROOT, "%08x-%04x-%04x-%04x-%012x",
                    transactions.incrementAndGet(), 0x4000, 0x8000, changes.size(), now.toEpochMilli());
            List<Change> committed = List.copyOf(changes);
            for (OrgListener listener : listeners) {
                try {
                    listener.committed(context, transactionKey, committed);
                } catch (RuntimeException e) {
                    // The writes are committed; one broken listener must not fail the request or starve the others.
                    LOG.error("Org listener {} failed on transaction {}", listener, transactionKey, e);
                }
            }
        }

        /** Creates a record; returns its 18-character Id. */
        public String create(String objectName, Map<String, Object> input) {
            SObjectDef def = schema.require(objectName);
            if (!def.createable()) {
                throw new RecordException(RecordError.of("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
                        "entity type " + def.name() + " does not support insert"));
            }
            List<RecordError> errors = new ArrayList<>();
            List<String> notCreateable = input.keySet().stream()
                    .filter(f -> def.field(f).map(fd -> !fd.createable()).orElse(true)).toList();
            if (!notCreateable.isEmpty()) {
                errors.add(new RecordError("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: "
                        + String.join(", ", notCreateable) + ". Please check the security settings of this field and"
                        + " verify that it is read/write for your profile or permission set.", notCreateable));
            }
            String id = ids.next(def.keyPrefix());
            StoredRecord record = new StoredRecord(id, def.name(), def.nextSlot());
            setSystem(def, record, "Id", id);
            setSystem(def, record, "IsDeleted", Boolean.FALSE);
            setSystem(def, record, "CreatedDate", now);
            setSystem(def, record, "CreatedById", context.userId());
            setSystem(def, record, "LastModifiedDate", now);
            setSystem(def, record, "LastModifiedById", context.userId());
            setSystem(def, record, "SystemModstamp", now);
            for (FieldDef field : def.fields()) {
                if (!field.createable() || input.containsKey(field.name())) {
                    continue;
                }
                if (field.name().equals("OwnerId")) {
                    record.set(field.slot(), context.userId());
                } else if (field.type() == FieldType.BOOLEAN) {
                    record.set(field.slot(), Boolean.FALSE);
                } else if (field.defaultPicklistValue() != null && field.type() == FieldType.PICKLIST) {
                    record.set(field.slot(), field.defaultPicklistValue());
                }
            }
            for (Map.Entry<String, Object> entry : input.entrySet()) {
                def.field(entry.getKey()).filter(FieldDef::createable).ifPresent(field ->
                        record.set(field.slot(), checkValue(def, field, entry.getValue(), errors)));
            }
            computeName(def, record);
            List<String> missing = new ArrayList<>();
            for (FieldDef field : def.fields()) {
                if (field.createable() && !field.nillable() && !field.defaultedOnCreate()
                        && field.type() != FieldType.BOOLEAN && record.get(field.slot()) == null) {
                    missing.add(field.name());
                }
            }
            if (!missing.isEmpty()) {
                errors.add(new RecordError("REQUIRED_FIELD_MISSING",
                        "Required fields are missing: " + missing, missing));
            }
            checkUnique(def, record, errors);
            if (!errors.isEmpty()) {
                throw new RecordException(errors);
            }
            insert(def, record);
            undo.add(() -> remove(def, record));
            List<String> changed = new ArrayList<>();
            for (FieldDef field : def.fields()) {
                if (record.get(field.slot()) != null && !field.type().isCompound() && !field.calculated()) {
                    changed.add(field.name());
                }
            }
            changes.add(new Change(Change.Type.CREATE, def.name(), id, now, changed, List.of(), snapshot(def, record)));
            return id;
        }

        /** Updates the fields in {@code input} of the record with {@code id}. */
        public void update(String id, Map<String, Object> input) {
            StoredRecord record = live(id);
            SObjectDef def = schema.require(record.object);
            List<RecordError> errors = new ArrayList<>();
            List<String> notUpdateable = input.keySet().stream()
                    .filter(f -> !f.equalsIgnoreCase("Id"))
                    .filter(f -> def.field(f).map(fd -> !fd.updateable()).orElse(true)).toList();
            if (!notUpdateable.isEmpty()) {
                errors.add(new RecordError("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: "
                        + String.join(", ", notUpdateable) + ". Please check the security settings of this field and"
                        + " verify that it is read/write for your profile or permission set.", notUpdateable));
            }
            StoredRecord before = record.copy();
            StoredRecord after = record.copy();
            List<String> changed = new ArrayList<>();
            List<String> nulled = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Object> entry : input.entrySet()) {
                Optional<FieldDef> maybe = def.field(entry.getKey()).filter(FieldDef::updateable);
                if (maybe.isEmpty()) {
                    continue;
                }
                FieldDef field = maybe.get();
                Object value = checkValue(def, field, entry.getValue(), errors);
                if (value == null && !field.nillable() && field.type() != FieldType.BOOLEAN) {
                    missing.add(field.name());
                }
                if (!same(after.get(field.slot()), value)) {
                    changed.add(field.name());
                    if (value == null) {
                        nulled.add(field.name());
                    }
                }
                after.set(field.slot(), value);
            }
            if (!missing.isEmpty()) {
                errors.add(new RecordError("REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing,
                        missing));
            }
            computeName(def, after);
            checkUnique(def, after, errors);
            if (!errors.isEmpty()) {
                throw new RecordException(errors);
            }
            setSystem(def, after, "LastModifiedDate", now);
            setSystem(def, after, "LastModifiedById", context.userId());
            setSystem(def, after, "SystemModstamp", now);
            for (String audit : List.of("LastModifiedDate", "LastModifiedById", "SystemModstamp")) {
                if (def.hasField(audit) && !same(before.get(def.field(audit).get().slot()),
                        after.get(def.field(audit).get().slot()))) {
                    changed.add(audit);
                }
            }
            replaceValues(def, record, after);
            undo.add(() -> replaceValues(def, record, before));
            changes.add(new Change(Change.Type.UPDATE, def.name(), record.id, now, changed, nulled,
                    snapshot(def, record)));
        }

        /**
         * Creates or updates the record whose {@code externalField} equals {@code externalValue}.
         *
         * @throws MultipleMatchesException when several records match (HTTP 300)
         */
        public UpsertResult upsert(String objectName, String externalField, Object externalValue,
                Map<String, Object> input) {
            SObjectDef def = schema.require(objectName);
            FieldDef field = def.field(externalField).orElseThrow(() -> new OrgException(404, "NOT_FOUND",
                    "The requested resource does not exist"));
            if (!field.externalId() && !field.name().equals("Id") && !field.idLookup()) {
                throw new RecordException(RecordError.of("INVALID_FIELD", "Field " + field.name()
                        + " is not an External ID or Id field", field.name()));
            }
            List<String> matches = matching(def, field, externalValue);
            if (matches.size() > 1) {
                throw new MultipleMatchesException(def.name(), field.name(), matches);
            }
            Map<String, Object> values = new LinkedHashMap<>(input);
            values.keySet().removeIf(k -> k.equalsIgnoreCase("Id"));
            if (matches.isEmpty()) {
                if (field.name().equals("Id")) {
                    throw new RecordException(RecordError.of("NOT_FOUND",
                            "Provided external ID field does not exist or is not accessible: " + externalValue));
                }
                values.putIfAbsent(field.name(), externalValue);
                return new UpsertResult(create(def.name(), values), true);
            }
            update(matches.get(0), values);
            return new UpsertResult(matches.get(0), false);
        }

        /**
         * Moves a record (and its master-detail children) to the recycle bin, all or nothing: if a cascaded child
         * cannot be deleted, nothing of this delete stays.
         */
        public void delete(String id) {
            atomically(() -> {
                deleteCascading(id);
                return null;
            });
        }

        private void deleteCascading(String id) {
            StoredRecord record = live(id);
            SObjectDef def = schema.require(record.object);
            if (!def.deletable()) {
                throw new RecordException(RecordError.of("INSUFFICIENT_ACCESS_OR_READONLY",
                        "insufficient access rights on object id"));
            }
            for (Schema.ChildRelationship child : schema.childRelationships(def.name())) {
                SObjectDef childDef = schema.require(child.childSObject());
                FieldDef reference = childDef.field(child.field()).orElseThrow();
                for (StoredRecord candidate : List.copyOf(recordsOf(childDef).values())) {
                    if (candidate.deleted || !record.id.equals(candidate.get(reference.slot()))) {
                        continue;
                    }
                    if (child.cascadeDelete()) {
                        delete(candidate.id);
                        cascadeParent.put(candidate.id, record.id);
                        undo.add(() -> cascadeParent.remove(candidate.id));
                    } else if (!candidate.id.equals(record.id)) {
                        Map<String, Object> clear = new HashMap<>();
                        clear.put(reference.name(), null);
                        if (reference.updateable() && reference.nillable()) {
                            update(candidate.id, clear);
                        }
                    }
                }
            }
            StoredRecord before = record.copy();
            unindex(def, record);
            record.deleted = true;
            record.deletedDate = now;
            setSystem(def, record, "IsDeleted", Boolean.TRUE);
            setSystem(def, record, "SystemModstamp", now);
            DeletedEntry entry = new DeletedEntry(record.id, def.name(), now);
            DeletedEntry previous = deletedLog.put(record.id, entry);
            undo.add(() -> {
                record.restore(before);
                index(def, record);
                if (previous == null) {
                    deletedLog.remove(record.id);
                } else {
                    deletedLog.put(record.id, previous);
                }
            });
            changes.add(new Change(Change.Type.DELETE, def.name(), record.id, now, List.of(), List.of(),
                    snapshot(def, before)));
        }

        /** Restores a record from the recycle bin, with the children its delete cascaded to; all or nothing. */
        public void undelete(String id) {
            atomically(() -> {
                undeleteCascading(id);
                return null;
            });
        }

        private void undeleteCascading(String id) {
            String full = Ids.normalize(id);
            StoredRecord record = full == null ? null : byId.get(full);
            if (record == null || !record.deleted) {
                throw new RecordException(RecordError.of("UNDELETE_FAILED", "Entity is not in the recycle bin"));
            }
            SObjectDef def = schema.require(record.object);
            List<RecordError> errors = new ArrayList<>();
            checkUnique(def, record, errors);
            if (!errors.isEmpty()) {
                throw new RecordException(errors);
            }
            StoredRecord before = record.copy();
            record.deleted = false;
            record.deletedDate = null;
            setSystem(def, record, "IsDeleted", Boolean.FALSE);
            setSystem(def, record, "SystemModstamp", now);
            index(def, record);
            DeletedEntry logged = deletedLog.remove(record.id);
            undo.add(() -> {
                unindex(def, record);
                record.restore(before);
                if (logged != null) {
                    deletedLog.put(record.id, logged);
                }
            });
            changes.add(new Change(Change.Type.UNDELETE, def.name(), record.id, now, List.of(), List.of(),
                    snapshot(def, record)));
            for (Map.Entry<String, String> child : List.copyOf(cascadeParent.entrySet())) {
                if (child.getValue().equals(record.id)) {
                    cascadeParent.remove(child.getKey());
                    undo.add(() -> cascadeParent.put(child.getKey(), child.getValue()));
                    undelete(child.getKey());
                }
            }
        }

        /** Deletes a record for good, bypassing the recycle bin (Bulk API {@code hardDelete}). */
        public void hardDelete(String id) {
            String full = Ids.normalize(id);
            StoredRecord record = full == null ? null : byId.get(full);
            if (record == null) {
                throw new RecordException(RecordError.of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"));
            }
            SObjectDef def = schema.require(record.object);
            if (!record.deleted) {
                delete(record.id);
            }
            remove(def, record);
            undo.add(() -> insert(def, record));
            changes.add(new Change(Change.Type.HARD_DELETE, def.name(), record.id, now, List.of(), List.of(),
                    snapshot(def, record)));
        }

        /**
         * Runs one operation so that it either completes or leaves no trace in this transaction: what it did is
         * undone if it throws, even when the caller goes on with the transaction (Bulk rows, collections without
         * allOrNone).
         */
        private <T> T atomically(java.util.function.Supplier<T> operation) {
            int undoMark = undo.size();
            int changeMark = changes.size();
            try {
                return operation.get();
            } catch (RuntimeException e) {
                for (int i = undo.size() - 1; i >= undoMark; i--) {
                    undo.remove(i).run();
                }
                changes.subList(changeMark, changes.size()).clear();
                throw e;
            }
        }

        private StoredRecord live(String id) {
            String full = Ids.normalize(id);
            StoredRecord record = full == null ? null : byId.get(full);
            if (full == null) {
                throw new RecordException(RecordError.of("MALFORMED_ID", "malformed id " + id));
            }
            if (record == null) {
                throw new RecordException(RecordError.of("INVALID_CROSS_REFERENCE_KEY",
                        "invalid cross reference id"));
            }
            if (record.deleted) {
                throw new RecordException(RecordError.of("ENTITY_IS_DELETED", "entity is deleted"));
            }
            return record;
        }

        /** Validates and normalizes one value, adding to {@code errors} what is wrong with it. */
        private Object checkValue(SObjectDef def, FieldDef field, Object value, List<RecordError> errors) {
            if (value == null) {
                return null;
            }
            String label = field.label();
            if (field.type().isText() && value instanceof String s) {
                if (field.type() != FieldType.REFERENCE && field.length() > 0
                        && s.codePointCount(0, s.length()) > field.length()) {
                    errors.add(RecordError.of("STRING_TOO_LONG", label + ": data value too large: " + abbreviate(s)
                            + " (max length=" + field.length() + ")", field.name()));
                    return value;
                }
                if (field.type() == FieldType.EMAIL && !s.isEmpty() && !EMAIL.matcher(s).matches()) {
                    errors.add(RecordError.of("INVALID_EMAIL_ADDRESS", label + ": invalid email address: " + s,
                            field.name()));
                }
                if (field.restrictedPicklist() && field.type() == FieldType.PICKLIST && !inPicklist(field, s)) {
                    errors.add(RecordError.of("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                            label + ": bad value for restricted picklist field: " + s, field.name()));
                }
                if (field.restrictedPicklist() && field.type() == FieldType.MULTIPICKLIST) {
                    for (String part : s.split(";")) {
                        if (!inPicklist(field, part)) {
                            errors.add(RecordError.of("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                                    label + ": bad value for restricted picklist field: " + part, field.name()));
                        }
                    }
                }
                if (field.type() == FieldType.REFERENCE || field.type() == FieldType.ID) {
                    return checkReference(field, s, errors);
                }
                return value;
            }
            if (value instanceof BigDecimal number && field.type() != FieldType.INT) {
                BigDecimal scaled = field.precision() > 0
                        ? number.setScale(Math.max(field.scale(), 0), RoundingMode.HALF_UP) : number;
                if (field.precision() > 0 && scaled.precision() - scaled.scale() > field.precision() - field.scale()) {
                    errors.add(RecordError.of("NUMBER_OUTSIDE_VALID_RANGE",
                            label + ": value outside of valid range on numeric field: " + number.toPlainString(),
                            field.name()));
                }
                return scaled;
            }
            return value;
        }

        private Object checkReference(FieldDef field, String value, List<RecordError> errors) {
            String id = Ids.normalize(value);
            if (id == null) {
                errors.add(RecordError.of("MALFORMED_ID", field.label() + ": id value of incorrect type: " + value,
                        field.name()));
                return value;
            }
            List<SObjectDef> targets = field.referenceTo().stream().map(schema::object)
                    .flatMap(Optional::stream).toList();
            if (targets.isEmpty()) {
                return id;
            }
            StoredRecord target = byId.get(id);
            boolean rightType = targets.stream().anyMatch(t -> id.startsWith(t.keyPrefix()));
            if (!rightType) {
                errors.add(RecordError.of("FIELD_INTEGRITY_EXCEPTION",
                        field.label() + ": id value of incorrect type: " + id, field.name()));
            } else if (target == null || target.deleted) {
                errors.add(RecordError.of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id",
                        field.name()));
            }
            return id;
        }

        private void setSystem(SObjectDef def, StoredRecord record, String field, Object value) {
            def.field(field).ifPresent(f -> record.set(f.slot(), value));
        }
    }

    /** The result of an upsert: the record's Id and whether it was created. */
    public record UpsertResult(String id, boolean created) {}

    // ----------------------------------------------------------------------------------------------- internals

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private LinkedHashMap<String, StoredRecord> recordsOf(SObjectDef def) {
        return recordsByObject.computeIfAbsent(key(def.name()), k -> new LinkedHashMap<>());
    }

    private void insert(SObjectDef def, StoredRecord record) {
        recordsOf(def).put(record.id, record);
        byId.put(record.id, record);
        if (!record.deleted) {
            index(def, record);
        }
    }

    private void remove(SObjectDef def, StoredRecord record) {
        recordsOf(def).remove(record.id);
        byId.remove(record.id);
        unindex(def, record);
    }

    private void replaceValues(SObjectDef def, StoredRecord record, StoredRecord from) {
        unindex(def, record);
        record.restore(from);
        if (!record.deleted) {
            index(def, record);
        }
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return java.util.Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static boolean inPicklist(FieldDef field, String value) {
        return field.picklistValues().stream().anyMatch(p -> p.active() && p.value().equals(value));
    }

    /** Person names (Contact, Lead, User): Name is FirstName + LastName when it cannot be written directly. */
    private static void computeName(SObjectDef def, StoredRecord record) {
        Optional<FieldDef> name = def.field("Name");
        Optional<FieldDef> first = def.field("FirstName");
        Optional<FieldDef> last = def.field("LastName");
        if (name.isPresent() && first.isPresent() && last.isPresent() && !name.get().createable()) {
            Object f = record.get(first.get().slot());
            Object l = record.get(last.get().slot());
            String full = (f == null ? "" : f + " ") + (l == null ? "" : l);
            record.set(name.get().slot(), full.isBlank() ? null : full.trim());
        }
    }

    private Map<String, Object> snapshot(SObjectDef def, StoredRecord record) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (FieldDef field : def.fields()) {
            if (!field.type().isCompound() && !field.calculated()) {
                values.put(field.name(), record.get(field.slot()));
            }
        }
        return values;
    }

    // Unique and External ID values, per object and field, for duplicate checks and upsert matching.

    private static boolean indexed(FieldDef field) {
        return (field.unique() || field.externalId()) && !field.name().equals("Id");
    }

    private static String indexKey(FieldDef field, Object value) {
        String text = Values.toText(value);
        return field.caseSensitive() ? text : text.toLowerCase(Locale.ROOT);
    }

    private Map<String, Set<String>> indexOf(SObjectDef def, FieldDef field) {
        return indexes.computeIfAbsent(key(def.name()) + "." + key(field.name()), k -> {
            Map<String, Set<String>> index = new HashMap<>();
            for (StoredRecord record : recordsOf(def).values()) {
                Object value = record.get(field.slot());
                if (!record.deleted && value != null) {
                    index.computeIfAbsent(indexKey(field, value), v -> new LinkedHashSet<>()).add(record.id);
                }
            }
            return index;
        });
    }

    private void index(SObjectDef def, StoredRecord record) {
        for (FieldDef field : def.fields()) {
            Object value = record.get(field.slot());
            if (indexed(field) && value != null) {
                indexOf(def, field).computeIfAbsent(indexKey(field, value), v -> new LinkedHashSet<>()).add(record.id);
            }
        }
    }

    private void unindex(SObjectDef def, StoredRecord record) {
        for (FieldDef field : def.fields()) {
            Object value = record.get(field.slot());
            if (indexed(field) && value != null) {
                Set<String> ids = indexOf(def, field).get(indexKey(field, value));
                if (ids != null) {
                    ids.remove(record.id);
                }
            }
        }
    }

    private void checkUnique(SObjectDef def, StoredRecord record, List<RecordError> errors) {
        for (FieldDef field : def.fields()) {
            Object value = record.get(field.slot());
            if (!field.unique() || value == null) {
                continue;
            }
            for (String other : indexOf(def, field).getOrDefault(indexKey(field, value), Set.of())) {
                if (!other.equals(record.id)) {
                    errors.add(RecordError.of("DUPLICATE_VALUE", "duplicate value found: " + field.name()
                            + " duplicates value on record with id: " + other, field.name()));
                    break;
                }
            }
        }
    }

    private List<String> matching(SObjectDef def, FieldDef field, Object value) {
        if (value == null) {
            return List.of();
        }
        if (field.name().equals("Id")) {
            String id = Ids.normalize(value.toString());
            StoredRecord record = id == null ? null : byId.get(id);
            return record != null && !record.deleted && record.object.equals(def.name()) ? List.of(id) : List.of();
        }
        if (indexed(field)) {
            return List.copyOf(indexOf(def, field).getOrDefault(indexKey(field, value), Set.of()));
        }
        List<String> matches = new ArrayList<>();
        for (StoredRecord record : recordsOf(def).values()) {
            if (!record.deleted && record.get(field.slot()) != null
                    && indexKey(field, record.get(field.slot())).equals(indexKey(field, value))) {
                matches.add(record.id);
            }
        }
        return matches;
    }

    /**
     * Inserts a record as the org's own setup does, without validation (users, reference data): every field of
     * {@code values} is stored as given. Returns the new Id.
     */
    public String seed(String objectName, Map<String, Object> values) {
        lock.writeLock().lock();
        try {
            SObjectDef def = schema.require(objectName);
            String id = ids.next(def.keyPrefix());
            StoredRecord record = new StoredRecord(id, def.name(), def.nextSlot());
            Instant now = clock.instant();
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("Id", id);
            all.put("IsDeleted", Boolean.FALSE);
            all.put("CreatedDate", now);
            all.put("LastModifiedDate", now);
            all.put("SystemModstamp", now);
            all.put("CreatedById", systemUserId);
            all.put("LastModifiedById", systemUserId);
            all.putAll(values);
            all.forEach((name, value) -> def.field(name).ifPresent(f -> record.set(f.slot(), value)));
            computeName(def, record);
            insert(def, record);
            return id;
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ----------------------------------------------------------------------------------------------- saving

    /** The org's records and counters, consistent with every committed transaction (taken under the read lock). */
    public SavedOrg save() {
        return read(org -> {
            List<SavedRecord> records = new ArrayList<>(byId.size());
            for (LinkedHashMap<String, StoredRecord> ofObject : recordsByObject.values()) {
                for (StoredRecord record : ofObject.values()) {
                    SObjectDef def = schema.require(record.object);
                    Map<String, String> values = new LinkedHashMap<>();
                    for (FieldDef field : def.fields()) {
                        Object value = record.get(field.slot());
                        if (value != null && !field.type().isCompound() && !field.calculated()) {
                            values.put(field.name(), Values.toText(value));
                        }
                    }
                    records.add(new SavedRecord(record.id, record.object, values, record.deleted,
                            record.deletedDate));
                }
            }
            return new SavedOrg(records, ids.lastIssued(), List.copyOf(deletedLog.values()), cascadeParent,
                    transactions.get());
        });
    }

    /**
     * Replaces every record and counter of this org with a saved org's, without telling listeners (the saved
     * changes were told when they were made). Every record is checked against the schema first, so a saved org that
     * does not fit changes nothing.
     *
     * @throws IllegalArgumentException naming the record and field that do not fit this org's schema
     */
    public void restore(SavedOrg saved) {
        lock.writeLock().lock();
        try {
            List<StoredRecord> records = new ArrayList<>(saved.records().size());
            for (SavedRecord s : saved.records()) {
                SObjectDef def = schema.object(s.object()).orElseThrow(() -> new IllegalArgumentException(
                        "Saved record " + s.id() + " is a " + s.object() + ", an object this org does not have"));
                StoredRecord record = new StoredRecord(s.id(), def.name(), def.nextSlot());
                s.values().forEach((name, text) -> {
                    FieldDef field = def.field(name).orElseThrow(() -> new IllegalArgumentException("Saved record "
                            + s.id() + " has a value for " + def.name() + "." + name
                            + ", a field this org does not have"));
                    try {
                        record.set(field.slot(), Values.fromText(field, text));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("Saved record " + s.id() + " has a value for "
                                + def.name() + "." + name + " that is not a " + field.type().apiName() + ": "
                                + e.getMessage(), e);
                    }
                });
                record.deleted = s.deleted();
                record.deletedDate = s.deletedDate();
                records.add(record);
            }
            recordsByObject.clear();
            byId.clear();
            indexes.clear();
            deletedLog.clear();
            cascadeParent.clear();
            for (StoredRecord record : records) {
                recordsOf(schema.require(record.object)).put(record.id, record);
                byId.put(record.id, record);
            }
            saved.deleted().forEach(entry -> deletedLog.put(entry.id(), entry));
            cascadeParent.putAll(saved.cascadeParents());
            ids.continueAfter(saved.idSequences());
            transactions.set(saved.transactions());
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ----------------------------------------------------------------------------------------------- schema

    /** Adds a field to an object (as an admin would in Setup); existing records have it null. */
    public void addField(String objectName, com.fasterxml.jackson.databind.JsonNode describeField) {
        lock.writeLock().lock();
        try {
            SObjectDef def = schema.require(objectName);
            FieldDef field = Schema.parseField(describeField, def.nextSlot());
            if (def.hasField(field.name())) {
                throw new OrgException(400, "DUPLICATE_DEVELOPER_NAME", "Field " + field.name() + " already exists on "
                        + def.name());
            }
            List<FieldDef> fields = new ArrayList<>(def.fields());
            fields.add(field);
            replaceChecked(def, def.withFields(fields, def.nextSlot() + 1));
            indexes.keySet().removeIf(k -> k.startsWith(key(def.name()) + "."));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes a field; its values are dropped. */
    public void removeField(String objectName, String fieldName) {
        lock.writeLock().lock();
        try {
            SObjectDef def = schema.require(objectName);
            FieldDef field = requireField(def, fieldName);
            List<FieldDef> fields = new ArrayList<>(def.fields());
            fields.remove(field);
            replaceChecked(def, def.withFields(fields, def.nextSlot()));
            for (StoredRecord record : recordsOf(def).values()) {
                record.set(field.slot(), null);
            }
            indexes.keySet().removeIf(k -> k.startsWith(key(def.name()) + "."));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Changes a field's type (and size); existing values are converted through their text form, and become null
     * where that fails, as Salesforce does when a conversion loses data.
     */
    public void changeFieldType(String objectName, String fieldName, FieldType type, int length, int precision,
            int scale) {
        lock.writeLock().lock();
        try {
            SObjectDef def = schema.require(objectName);
            FieldDef field = requireField(def, fieldName);
            FieldDef retyped = field.withType(type, length, precision, scale);
            List<FieldDef> fields = new ArrayList<>();
            for (FieldDef f : def.fields()) {
                fields.add(f == field ? retyped : f);
            }
            replaceChecked(def, def.withFields(fields, def.nextSlot()));
            for (StoredRecord record : recordsOf(def).values()) {
                Object value = record.get(field.slot());
                if (value != null) {
                    Object converted;
                    try {
                        converted = Values.fromText(retyped, Values.toText(value));
                        if (converted instanceof String s && type.isText() && length > 0 && s.length() > length) {
                            converted = s.substring(0, length);
                        }
                    } catch (IllegalArgumentException e) {
                        converted = null;
                    }
                    record.set(field.slot(), converted);
                }
            }
            indexes.keySet().removeIf(k -> k.startsWith(key(def.name()) + "."));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Swaps in {@code updated} for {@code current} if every formula still compiles against it; otherwise puts
     * {@code current} back and rethrows, so a schema change that breaks a formula changes nothing.
     */
    private void replaceChecked(SObjectDef current, SObjectDef updated) {
        schema.replace(updated);
        try {
            formulas.checkSchema(schema);
        } catch (RuntimeException e) {
            schema.replace(current);
            throw e;
        }
    }

    private static FieldDef requireField(SObjectDef def, String fieldName) {
        return def.field(fieldName).orElseThrow(() -> new OrgException(404, "NOT_FOUND",
                "No such field " + fieldName + " on " + def.name()));
    }

    /** Every object with at least one record, for counters. */
    public Collection<String> objectsWithRecords() {
        return read(org -> recordsByObject.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getValue().values().iterator().next().object).toList());
    }
}
