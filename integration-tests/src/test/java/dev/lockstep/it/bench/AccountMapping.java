package dev.lockstep.it.bench;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The mapping the Salesforce → Postgres benchmarks deploy: {@code Account}, read only, with the fields a Heroku
 * Connect user typically maps (the audit dates, a currency, an integer, picklists, two references, address parts).
 */
final class AccountMapping {

    static final String OBJECT = "Account";
    static final List<String> FIELDS = List.of("Id", "IsDeleted", "SystemModstamp", "CreatedDate",
            "LastModifiedDate", "Name", "AccountNumber", "Type", "Industry", "AnnualRevenue", "NumberOfEmployees",
            "BillingCity", "BillingCountry", "Phone", "Website", "OwnerId", "ParentId");

    private AccountMapping() {}

    /** The mapping file of {@link #FIELDS} into {@code schema}, with more mapping options (string values). */
    static String json(String schema, Map<String, String> options) {
        String fields = FIELDS.stream().map(f -> "\"" + f + "\": {}").collect(Collectors.joining(", "));
        String more = options.entrySet().stream().map(e -> ", \"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                .collect(Collectors.joining());
        return """
                {"version": 1, "mappings": [
                  {"object_name": "%s", "config": {"access": "read_only", "schema": "%s"%s, "fields": {%s}}}
                ]}""".formatted(OBJECT, schema, more, fields);
    }

    /** The table of the mapping into {@code schema}. */
    static String table(String schema) {
        return schema + "." + OBJECT.toLowerCase();
    }
}
