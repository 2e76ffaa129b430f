package dev.lockstep.cli.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What moving a Heroku Connect export to Lockstep means, mapping by mapping, in three groups: what maps directly
 * (the same tables, columns, types and indexes), what needs attention (something will behave differently or is not
 * built yet, each with what to do), and what Lockstep does differently by design. Also the mapping file Lockstep
 * will use: the export itself, with objects that have no Change Data Capture switched to polling.
 */
public final class HerokuConnectImport {

    private HerokuConnectImport() {
    }

    /** The three groups of the report. */
    public enum Group {
        /** Maps directly: the same table, columns, types and indexes as Heroku Connect. */
        DIRECT,
        /** Needs attention before or after moving: it behaves differently, or is not built yet. */
        ATTENTION,
        /** What Lockstep does differently by design (nothing to do). */
        DIFFERENT
    }

    /**
     * One line of the report.
     *
     * @param group its group
     * @param mapping the mapping it concerns ({@code mappings[0] (Account)}), or null for the whole file
     * @param key the key it concerns ({@code config.access}), or null
     * @param text what it is and, for attention items, what to do
     */
    public record Item(Group group, String mapping, String key, String text) {

        @Override
        public String toString() {
            return (mapping == null ? "" : mapping + ": ") + (key == null ? "" : key + ": ") + text;
        }
    }

    /** Whether an object's Change Data Capture channel exists (the object is selected for it). */
    public enum Cdc {
        ENABLED, NOT_ENABLED, UNKNOWN
    }

    /**
     * What was found about one object's Change Data Capture.
     *
     * @param state enabled, not enabled, or unknown (the check failed)
     * @param detail the channel name, or why the check failed
     */
    public record CdcCheck(Cdc state, String detail) {
    }

    /**
     * The report of an export.
     *
     * @param file the mapping file Lockstep will use
     * @param items the report's lines, by group in file order
     * @param checkedAgainstOrg whether fields, types and Change Data Capture were checked against Salesforce
     */
    public record Result(MappingFile file, List<Item> items, boolean checkedAgainstOrg) {

        public Result {
            items = List.copyOf(items);
        }

        public List<Item> items(Group group) {
            return items.stream().filter(i -> i.group() == group).toList();
        }

        /** Whether anything needs attention (otherwise everything maps directly). */
        public boolean needsAttention() {
            return !items(Group.ATTENTION).isEmpty();
        }
    }

    /** The report without Salesforce: the file's keys only. */
    public static Result check(MappingFiles.Parsed parsed) {
        return new Analysis(parsed, null, null).run();
    }

    /**
     * The report with Salesforce: fields and types from the describes, and Change Data Capture per object.
     *
     * @param resolved the file's mappings resolved against their describes, in file order
     *     ({@link MappingCheck#resolveAll}, which fails on fields Salesforce does not have)
     * @param cdc whether an object's change events can be subscribed to
     */
    public static Result check(MappingFiles.Parsed parsed, List<MappingCheck.Resolved> resolved,
            Function<String, CdcCheck> cdc) {
        if (resolved.size() != parsed.file().mappings().size()) {
            throw new IllegalArgumentException("one resolved mapping per mapping of the file is needed");
        }
        return new Analysis(parsed, resolved, cdc).run();
    }

    /** One report in the making. */
    private static final class Analysis {

        private final MappingFiles.Parsed parsed;
        private final List<MappingCheck.Resolved> resolved;
        private final Function<String, CdcCheck> cdc;
        private final List<Item> items = new ArrayList<>();

        Analysis(MappingFiles.Parsed parsed, List<MappingCheck.Resolved> resolved, Function<String, CdcCheck> cdc) {
            this.parsed = parsed;
            this.resolved = resolved;
            this.cdc = cdc;
        }

        private void attention(Mapping mapping, String key, String text) {
            items.add(new Item(Group.ATTENTION, mapping == null ? null : mapping.describe(), key, text));
        }

        private void different(String text) {
            items.add(new Item(Group.DIFFERENT, null, null, text));
        }

        Result run() {
            parsed.warnings().forEach(w -> items.add(new Item(Group.ATTENTION, null, null, w)));
            List<Mapping> written = new ArrayList<>();
            List<Mapping> mappings = parsed.file().mappings();
            for (int i = 0; i < mappings.size(); i++) {
                written.add(check(mappings.get(i), resolved == null ? null : resolved.get(i)));
            }
            differences(written);
            return new Result(new MappingFile(parsed.file().version(), parsed.file().connection(), written), items,
                    resolved != null);
        }

        /** The items of one mapping; returns the mapping as Lockstep will use it. */
        private Mapping check(Mapping mapping, MappingCheck.Resolved resolution) {
            Mapping fields = resolution == null ? mapping : resolution.mapping();
            items.add(new Item(Group.DIRECT, mapping.describe(), null, mapping.objectName() + " → "
                    + mapping.qualifiedTable() + ", " + mapping.access().value() + ", " + fields.fields().size()
                    + " fields" + (mapping.allFields() ? " (all_fields)" : "") + ", " + mapping.indexes().size()
                    + " index" + (mapping.indexes().size() == 1 ? "" : "es")));
            if (mapping.readWrite()) {
                attention(mapping, "config." + MappingFiles.ACCESS, "read_write, but this release of Lockstep does "
                        + "not write to Salesforce yet: the table is synced from Salesforce, and rows your "
                        + "applications insert or change stay in Postgres. Keep Heroku Connect writing until a "
                        + "release with writes, or set read_only");
                if (mapping.upsertField() == null) {
                    attention(mapping, "config." + MappingFiles.UPSERT_FIELD, "missing: without an External ID to "
                            + "upsert on, a retried insert can create a second Salesforce record and a second row "
                            + "(Heroku Connect's duplicate-row problem). Add an External ID field to "
                            + mapping.objectName() + " (unique, a UUID your application sets), map it with "
                            + "\"indexes\": {\"<field>\": {\"unique\": true}} and name it in upsert_field");
                }
            }
            Mapping used = mapping.syncMode() == Mapping.SyncMode.STREAM ? cdc(mapping) : mapping;
            if (used.syncMode() == Mapping.SyncMode.STREAM) {
                if (mapping.notifyEnabled()) {
                    attention(mapping, "config." + MappingFiles.NOTIFY_ENABLED, "true (accelerated polling through "
                            + "PushTopics) has no use in Lockstep: it streams every change through Change Data "
                            + "Capture, seconds behind Salesforce, and needs no PushTopic; the key is kept");
                }
                if (mapping.pollingSeconds() != Mapping.DEFAULT_POLLING_SECONDS) {
                    attention(mapping, "config." + MappingFiles.POLLING_SECONDS, mapping.pollingSeconds()
                            + " s is not used while the mapping streams changes; it is the polling interval only "
                            + "with \"sync_mode\": \"poll\"");
                }
            }
            if (resolution != null) {
                resolution.warnings().forEach(w -> items.add(new Item(Group.ATTENTION, null, null, w)));
                fieldTypes(mapping, resolution);
            }
            return used;
        }

        /** Objects without Change Data Capture are polled, as Heroku Connect did. */
        private Mapping cdc(Mapping mapping) {
            if (cdc == null) {
                return mapping;
            }
            CdcCheck check = cdc.apply(mapping.objectName());
            switch (check.state()) {
                case NOT_ENABLED -> {
                    attention(mapping, "config." + MappingFiles.SYNC_MODE, "Change Data Capture is not enabled for "
                            + mapping.objectName() + " (no " + check.detail() + " channel): select it in Setup > "
                            + "Integrations > Change Data Capture to stream it in real time; until then the mapping "
                            + "Lockstep uses polls it (\"sync_mode\": \"poll\", every " + mapping.pollingSeconds()
                            + " s, by SystemModstamp as Heroku Connect did)");
                    return withSyncMode(mapping, Mapping.SyncMode.POLL);
                }
                case UNKNOWN -> attention(mapping, "config." + MappingFiles.SYNC_MODE, "could not check whether "
                        + "Change Data Capture is enabled for " + mapping.objectName() + " (" + check.detail()
                        + "); check Setup > Integrations > Change Data Capture, or set \"sync_mode\": \"poll\"");
                case ENABLED -> {
                    // Streams as it is.
                }
            }
            return mapping;
        }

        /** Field types whose cost or freshness differs from what a Heroku Connect user expects. */
        private void fieldTypes(Mapping mapping, MappingCheck.Resolved resolution) {
            List<String> blobs = new ArrayList<>();
            List<String> formulas = new ArrayList<>();
            for (String field : resolution.mapping().fields()) {
                ObjectDescribe.Field described = resolution.describe().field(field).orElseThrow();
                if ("base64".equals(described.type())) {
                    blobs.add(field);
                }
                if (described.calculated()) {
                    formulas.add(field);
                }
            }
            if (!blobs.isEmpty()) {
                attention(mapping, "config." + MappingFiles.FIELDS, String.join(", ", blobs) + " (base64, a file "
                        + "body): each record's blob costs one API call (REST GET) in snapshots, re-reads and polls "
                        + "(change events carry the bytes); Heroku Connect could not load such fields through Bulk "
                        + "at all. Budget the calls, or leave the field out");
            }
            if (!formulas.isEmpty() && mapping.updateMode() == Mapping.UpdateMode.PARTIAL) {
                attention(mapping, "config." + MappingFiles.UPDATE_MODE, String.join(", ", formulas) + " "
                        + (formulas.size() == 1 ? "is a formula field" : "are formula fields") + ": change events "
                        + "carry no formula values, so with update_mode partial the column keeps the value of the "
                        + "last full read. Set \"update_mode\": \"full\" to re-read changed records (one API call "
                        + "per up to 200 changes), as Heroku Connect's polling did");
            }
        }

        private void differences(List<Mapping> mappings) {
            List<String> streamed = mappings.stream().filter(m -> m.syncMode() == Mapping.SyncMode.STREAM)
                    .map(Mapping::objectName).distinct().toList();
            if (!streamed.isEmpty()) {
                different(String.join(", ", streamed) + ": Heroku Connect polled " + (streamed.size() == 1 ? "it"
                        : "them") + " (every sf_polling_seconds, 10 minutes by default); Lockstep streams every "
                        + "change through Change Data Capture, seconds behind Salesforce, and an update costs no API "
                        + "call (update_mode partial)");
            }
            different("Initial load: Bulk API 2.0 above 10,000 records, REST queries below, resumable where it "
                    + "stopped; parents before children (lockstep plan shows the order)");
            different("Deletes are soft, as in Heroku Connect: the row stays with isdeleted = true "
                    + "(\"delete_mode\": \"hard\" deletes it)");
            different("_hc_lastop is INSERTED for rows read or created from Salesforce and UPDATED for updates and "
                    + "soft deletes; PENDING, SYNCED and FAILED will mark writes to Salesforce once writes are built, "
                    + "with the error in _hc_err");
            different("systemmodstamp is the change's commit time to the millisecond (change events carry no "
                    + "SystemModstamp), so applications that poll it see every change");
            different("An update writes only the columns Salesforce says changed; the other columns are left as they "
                    + "are");
            different("No trigger log: Lockstep creates no _trigger_log, _trigger_log_archive or _hcmeta tables and "
                    + "no triggers; writes to Salesforce will be captured by logical replication instead");
            different("Columns are added while the sync runs when fields are mapped (with all_fields, also when "
                    + "Salesforce gains fields); Lockstep never drops or retypes a column, and reports the SQL to run "
                    + "instead (docs/postgres-schema.md)");
            if (mappings.stream().anyMatch(m -> m.keptKeys().containsKey(MappingFiles.MAX_DAILY_API_CALLS))) {
                different("sf_max_daily_api_calls is kept in the file but not used: the source connector leaves a "
                        + "share of the org's daily API allocation to other clients (api.budget.reserve)");
            }
            if (!parsed.file().connection().isEmpty()) {
                different("The connection block (app, organization, features such as poll_db_no_merge and "
                        + "disable_bulk_writes) is kept in the file and not used");
            }
            different("Tables can go to another schema (\"schema\": \"...\"), e.g. a shadow sync beside Heroku "
                    + "Connect's tables while both run (docs/migrating-from-heroku-connect.md)");
        }
    }

    /** A copy of a mapping with another {@code sync_mode}. */
    static Mapping withSyncMode(Mapping m, Mapping.SyncMode syncMode) {
        return new Mapping(m.position(), m.objectName(), m.access(), m.fields(), m.indexes(), m.upsertField(),
                m.pollingSeconds(), m.notifyEnabled(), m.schema(), m.table(), m.columnNames(), m.allFields(),
                syncMode, m.updateMode(), m.deleteMode(), m.schemaStyle(), m.keptKeys());
    }
}
