package dev.lockstep.cli.testing;

import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.schema.TableDefinition;
import dev.lockstep.salesforce.client.SalesforceClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A mapping's table made as a deployment makes it and filled with the org's live records as the sink writes them
 * (Heroku Connect column types, {@code timestamp} in UTC), so a test can then change it behind the pipeline's back.
 */
public final class TableMirror {

    private TableMirror() {
    }

    /** Creates the table of a resolved mapping (dropping an older one) and copies every live record into it. */
    public static void create(SalesforceClient client, Connection connection, Mapping mapping)
            throws SQLException, MappingException {
        TableDefinition table = TableDefinition.of(mapping, client.rest().describe(mapping.objectName()));
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table.qualifiedName());
            for (String statement : table.ddl().split(";\n")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
        List<String> columns = mapping.fields().stream().map(mapping::column).toList();
        String sql = "INSERT INTO " + table.qualifiedName() + " (" + String.join(", ", columns)
                + ", _hc_lastop) VALUES (" + columns.stream().map(c -> "?").collect(Collectors.joining(", "))
                + ", 'INSERTED')";
        Iterator<Map<String, Object>> records = client.rest().queryTyped(mapping.objectName(),
                "SELECT " + String.join(", ", mapping.fields()) + " FROM " + mapping.objectName());
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            while (records.hasNext()) {
                Map<String, Object> record = records.next();
                for (int i = 0; i < columns.size(); i++) {
                    Object value = record.get(mapping.fields().get(i));
                    s.setObject(i + 1, value instanceof Instant t ? LocalDateTime.ofInstant(t, ZoneOffset.UTC)
                            : value);
                }
                s.executeUpdate();
            }
        }
    }
}
