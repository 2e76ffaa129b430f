package dev.lockstep.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Salesforce → Postgres type table, written out by hand from Heroku Connect's documentation. */
class ColumnTypeTest {

    @ParameterizedTest(name = "{0}({1},{2},{3}) → {4} / {5}")
    @CsvSource(delimiter = '|', textBlock = """
            id            | 18    | 0  | 0  | varchar(18)      | varchar(18)
            reference     | 18    | 0  | 0  | varchar(18)      | varchar(18)
            boolean       | 0     | 0  | 0  | boolean          | boolean
            int           | 0     | 9  | 0  | integer          | integer
            long          | 0     | 18 | 0  | bigint           | bigint
            double        | 0     | 18 | 6  | double precision | numeric(18,6)
            double        | 0     | 0  | 0  | double precision | double precision
            currency      | 0     | 16 | 2  | double precision | numeric(16,2)
            percent       | 0     | 5  | 2  | double precision | numeric(5,2)
            date          | 0     | 0  | 0  | date             | date
            datetime      | 0     | 0  | 0  | timestamp        | timestamptz
            time          | 0     | 0  | 0  | time             | time
            string        | 80    | 0  | 0  | varchar(80)      | varchar(80)
            string        | 1300  | 0  | 0  | varchar(1300)    | varchar(1300)
            encryptedstring | 175 | 0  | 0  | varchar(175)     | varchar(175)
            textarea      | 255   | 0  | 0  | varchar(255)     | varchar(255)
            textarea      | 32768 | 0  | 0  | text             | text
            picklist      | 40    | 0  | 0  | varchar(255)     | varchar(255)
            combobox      | 255   | 0  | 0  | varchar(255)     | varchar(255)
            multipicklist | 4099  | 0  | 0  | varchar(4099)    | text[]
            email         | 80    | 0  | 0  | varchar(80)      | varchar(80)
            phone         | 40    | 0  | 0  | varchar(40)      | varchar(40)
            url           | 255   | 0  | 0  | varchar(255)     | varchar(255)
            base64        | 32768 | 0  | 0  | text             | bytea
            anyType       | 0     | 0  | 0  | text             | text
            """)
    void mapsEachSalesforceTypePerStyle(String type, int length, int precision, int scale, String herokuConnect,
            String nativeStyle) {
        assertThat(ColumnType.of(type, length, precision, scale, SchemaStyle.HEROKU_CONNECT).ddl())
                .isEqualTo(herokuConnect);
        assertThat(ColumnType.of(type, length, precision, scale, SchemaStyle.NATIVE).ddl()).isEqualTo(nativeStyle);
    }

    @Test
    void compoundFieldsHaveNoColumnOfTheirOwn() {
        assertThat(ColumnType.of("address", 0, 0, 0, SchemaStyle.HEROKU_CONNECT)).isNull();
        assertThat(ColumnType.of("location", 0, 0, 0, SchemaStyle.NATIVE)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            varchar(80)      | character varying(80)
            numeric(16,2)    | numeric(16,2)
            timestamp        | timestamp without time zone
            timestamptz      | timestamp with time zone
            time             | time without time zone
            double precision | double precision
            text[]           | text[]
            bytea            | bytea
            """)
    void formatTypeSpellsTheTypeAsPostgresCatalogDoesAndParsesBack(String ddl, String formatType) {
        ColumnType type = ColumnType.parse(formatType);

        assertThat(type.ddl()).isEqualTo(ddl);
        assertThat(type.formatType()).isEqualTo(formatType);
    }

    @Test
    void parsedTypesEqualTheTypesOfTheTable() {
        assertThat(ColumnType.parse("character varying(80)"))
                .isEqualTo(ColumnType.of("string", 80, 0, 0, SchemaStyle.HEROKU_CONNECT));
        assertThat(ColumnType.parse("numeric(16,2)"))
                .isEqualTo(ColumnType.of("currency", 0, 16, 2, SchemaStyle.NATIVE));
        assertThat(ColumnType.parse("timestamp without time zone"))
                .isEqualTo(ColumnType.of("datetime", 0, 0, 0, SchemaStyle.HEROKU_CONNECT));
        assertThat(ColumnType.parse("character varying(100)"))
                .isNotEqualTo(ColumnType.of("string", 80, 0, 0, SchemaStyle.HEROKU_CONNECT));
    }

    @Test
    void typesOutsideTheTableKeepTheirSpelling() {
        ColumnType jsonb = ColumnType.parse("jsonb");

        assertThat(jsonb.ddl()).isEqualTo("jsonb");
        assertThat(jsonb.formatType()).isEqualTo("jsonb");
        assertThat(ColumnType.parse("character varying").ddl()).isEqualTo("varchar");
    }
}
