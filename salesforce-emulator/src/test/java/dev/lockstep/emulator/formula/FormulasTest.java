package dev.lockstep.emulator.formula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgClock;
import dev.lockstep.emulator.org.Schema;
import dev.lockstep.emulator.org.Values;
import dev.lockstep.emulator.org.WriteContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Formula fields against the default org's {@code Sync_Sample__c}: every operator and function, blank handling,
 * conversion to the field's type, compile errors with their positions, and formulas read through the org.
 */
class FormulasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2024-03-01T10:15:30.123Z");

    private Org org;
    private Formulas formulas;
    private String accountId;
    /** A Sync_Sample__c with every field set. */
    private String full;
    /** A Sync_Sample__c with only its Name. */
    private String empty;

    @BeforeEach
    void setUp() {
        org = new Org(Schema.defaultOrg(), new OrgClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        formulas = new Formulas(org);
        org.setFormulas(formulas);
        org.seed("User", Map.of("Username", "admin@example.com", "LastName", "Admin", "Alias", "boss"));
        accountId = write(txn -> txn.create("Account", Map.of("Name", "Acme Crème")));
        Map<String, Object> values = new HashMap<>();
        values.put("Name", "Sample 1");
        values.put("Text__c", "Crème 🚀");
        values.put("Status__c", "Active");
        values.put("Colors__c", "Red;Blue");
        values.put("Flag__c", Boolean.TRUE);
        values.put("Quantity__c", 3);
        values.put("Ratio__c", new BigDecimal("0.25"));
        values.put("Amount__c", new BigDecimal("12.50"));
        values.put("Discount__c", new BigDecimal("12.5"));
        values.put("Due_Date__c", LocalDate.of(2024, 2, 29));
        values.put("Due_At__c", Instant.parse("2024-02-29T13:45:00Z"));
        values.put("Alarm_Time__c", LocalTime.of(7, 30));
        values.put("Account__c", accountId);
        full = write(txn -> txn.create("Sync_Sample__c", values));
        empty = write(txn -> txn.create("Sync_Sample__c", Map.of("Name", "Sample 2")));
    }

    /** A field of a record as a read shows it. */
    private Object read(String id, String field) {
        return org.read(o -> o.view(id).orElseThrow().get(field));
    }

    private String write(java.util.function.Function<Org.Txn, String> work) {
        return org.write(WriteContext.system(org.systemUserId()), work);
    }

    private static ObjectNode field(String name, String type, String formula, int precision, int scale, int length) {
        ObjectNode f = JSON.createObjectNode();
        f.put("name", name).put("label", name).put("type", type).put("precision", precision).put("scale", scale)
                .put("length", length).put("calculated", true).put("calculatedFormula", formula)
                .put("createable", false).put("updateable", false).put("nillable", true);
        return f;
    }

    private Formula compile(String formula, String type, int precision, int scale, int length) {
        FieldDef def = Schema.parseField(field("F__c", type, formula, precision, scale, length), 999);
        return formulas.compile(org.schema().require("Sync_Sample__c"), def);
    }

    private Object eval(String recordId, String formula, String type, int precision, int scale, int length) {
        Formula compiled = compile(formula, type, precision, scale, length);
        Object value = org.read(o -> compiled.evaluate(o.view(recordId).orElseThrow()));
        return value;
    }

    /** Evaluated on the full record, in a field of {@code type} with scale 2 and length 255. */
    private Object eval(String formula, String type) {
        return eval(full, formula, type, 18, 2, 255);
    }

    private Object evalEmpty(String formula, String type) {
        return eval(empty, formula, type, 18, 2, 255);
    }

    // ------------------------------------------------------------------------------------------ end to end

    @Test
    void totalIsAmountTimesQuantityAndFollowsUpdates() {
        assertThat(read(full, "Total__c")).isEqualTo(new BigDecimal("37.50"));

        org.write(WriteContext.system(org.systemUserId()), txn -> {
            txn.update(full, Map.of("Amount__c", new BigDecimal("20.005")));
            return null;
        });

        assertThat(read(full, "Total__c")).isEqualTo(new BigDecimal("60.03"));
        assertThat(read(empty, "Total__c")).isNull();
    }

    @Test
    void totalIsInEveryValuesMapAndTypedForTheWire() {
        Map<String, Object> values = org.read(o -> o.view(full).orElseThrow().values());

        assertThat(values.get("Total__c")).isEqualTo(new BigDecimal("37.50"));
        assertThat(Values.toJson(values.get("Total__c")).toString()).isEqualTo("37.50");
        assertThat(Values.toText(values.get("Total__c"))).isEqualTo("37.50");
    }

    @Test
    void retypingTheFormulaFieldRecompilesIt() {
        org.changeFieldType("Sync_Sample__c", "Total__c", FieldType.DOUBLE, 0, 18, 0);

        assertThat(read(full, "Total__c")).isEqualTo(new BigDecimal("38"));
    }

    @Test
    void formulaFieldAddedAtRunTimeIsEvaluated() {
        org.addField("Sync_Sample__c", field("Label__c", "string", "UPPER(Name) & ' / ' & Account__r.Name", 0, 0,
                100));

        assertThat(read(full, "Label__c")).isEqualTo("SAMPLE 1 / Acme Crème");
    }

    // ------------------------------------------------------------------------------------------ operators

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 + 2 * 3               | 7.00",
        "(1 + 2) * 3             | 9.00",
        "10 / 4                  | 2.50",
        "10 - 4 - 3              | 3.00",
        "2 ^ 3                   | 8.00",
        "2 ^ -1                  | 0.50",
        "-2 ^ 2                  | -4.00",
        "-Amount__c              | -12.50",
        "+Amount__c              | 12.50",
        "Amount__c * Quantity__c | 37.50",
        "Amount__c * Ratio__c    | 3.13",
        ".5 + 1.25               | 1.75",
        "1 /* a comment */ + 1   | 2.00",
    })
    void arithmetic(String formula, String expected) {
        assertThat(eval(formula, "currency")).isEqualTo(new BigDecimal(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', value = {
        "1 = 1.0                      => true",
        "1 == 2                       => false",
        "1 != 2                       => true",
        "1 <> 1                       => false",
        "1 < 2                        => true",
        "2 <= 2                       => true",
        "1 > 2                        => false",
        "3 >= 2                       => true",
        "'abc' = 'abc'                => true",
        "'abc' = 'ABC'                => false",
        "'a' < 'b'                    => true",
        "Legacy_Id__c = ''            => true",
        "Due_Date__c > DATE(2024,1,1) => true",
        "Due_At__c < NOW()            => true",
        "Flag__c = TRUE               => true",
        "TRUE && FALSE                => false",
        "TRUE || FALSE                => true",
        "AND(TRUE, TRUE, FALSE)       => false",
        "OR(FALSE, FALSE, TRUE)       => true",
        "NOT(FALSE)                   => true",
        "1 < 2 && 'a' & 'b' = 'ab'    => true",
    })
    void comparisonsAndLogic(String formula, boolean expected) {
        assertThat(eval(formula, "boolean")).isEqualTo(expected);
    }

    @Test
    void concatenation() {
        assertThat(eval("Text__c & '!'", "string")).isEqualTo("Crème 🚀!");
        assertThat(eval("'a' + 'b'", "string")).isEqualTo("ab");
        assertThat(eval("Name & Legacy_Id__c", "string")).isEqualTo("Sample 1");
        assertThat(eval("Legacy_Id__c & Legacy_Id__c", "string")).isNull();
    }

    // ------------------------------------------------------------------------------------------ blanks and errors

    @Test
    void blankFieldsStayBlankInArithmetic() {
        assertThat(evalEmpty("Amount__c + 1", "currency")).isNull();
        assertThat(evalEmpty("Amount__c * Quantity__c", "currency")).isNull();
        assertThat(evalEmpty("ABS(Amount__c)", "currency")).isNull();
        assertThat(evalEmpty("Due_Date__c + 1", "date")).isNull();
        assertThat(evalEmpty("MAX(1, Quantity__c)", "double")).isNull();
        assertThat(evalEmpty("NULLVALUE(Discount__c, 0.05)", "percent")).isEqualTo(new BigDecimal("5.00"));
        assertThat(evalEmpty("BLANKVALUE(Text__c, 'n/a')", "string")).isEqualTo("n/a");
    }

    @Test
    void blanksInConditionsTakeTheElseBranchAndCheckboxesAreNeverBlank() {
        assertThat(evalEmpty("IF(Amount__c > 5, 'big', 'small')", "string")).isEqualTo("small");
        assertThat(evalEmpty("IF(NOT(Amount__c > 5), 'small', 'unknown')", "string")).isEqualTo("unknown");
        assertThat(evalEmpty("Amount__c > 5", "boolean")).isEqualTo(false);
        assertThat(evalEmpty("Amount__c = Ratio__c", "boolean")).isEqualTo(true);
        assertThat(evalEmpty("Amount__c = 0", "boolean")).isEqualTo(false);
        assertThat(evalEmpty("OR(Amount__c > 5, TRUE)", "boolean")).isEqualTo(true);
        assertThat(evalEmpty("AND(Amount__c > 5, FALSE)", "boolean")).isEqualTo(false);
    }

    @Test
    void runtimeErrorsAreBlank() {
        assertThat(eval("Amount__c / 0", "currency")).isNull();
        assertThat(eval("Amount__c / (Quantity__c - 3)", "currency")).isNull();
        assertThat(eval("VALUE('twelve')", "double")).isNull();
        assertThat(eval("DATE(2023, 2, 29)", "date")).isNull();
        assertThat(eval("1 / 0 > 1", "boolean")).isEqualTo(false);
    }

    // ------------------------------------------------------------------------------------------ functions

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "IF(Flag__c, 'yes', 'no')                           | string   | yes",
        "IF(NOT(Flag__c), 'yes', NULL)                      | string   | ''",
        "CASE(Status__c, 'New', 1, 'Active', 2, 0)          | int      | 2",
        "CASE(Quantity__c, 1, 'one', 3, 'three', 'many')    | string   | three",
        "CASE(Quantity__c, 1, 'one', 'many')                | string   | many",
        "ISBLANK(Legacy_Id__c)                              | boolean  | true",
        "ISBLANK(Text__c)                                   | boolean  | false",
        "ISBLANK(Amount__c)                                 | boolean  | false",
        "ISNULL(Ratio__c)                                   | boolean  | false",
        "ISNULL(Legacy_Id__c)                               | boolean  | false",
        "BLANKVALUE(Legacy_Id__c, 'none')                   | string   | none",
        "BLANKVALUE(Name, 'none')                           | string   | Sample 1",
        "NULLVALUE(Discount__c, 0.05)                       | percent  | 12.50",
        "NULLVALUE(Due_Date__c, DATE(2000, 1, 1))           | date     | 2024-02-29",
        "TEXT(Amount__c)                                    | string   | 12.5",
        "TEXT(Quantity__c * 2)                              | string   | 6",
        "TEXT(Due_Date__c)                                  | string   | 2024-02-29",
        "TEXT(Due_At__c)                                    | string   | 2024-02-29 13:45:00Z",
        "TEXT(Status__c)                                    | string   | Active",
        "VALUE('42.5') * 2                                  | double   | 85.00",
        "LEN(Text__c)                                       | int      | 7",
        "LEN(Legacy_Id__c)                                  | int      | 0",
        "UPPER(Text__c)                                     | string   | CRÈME 🚀",
        "LOWER('ÉTÉ')                                       | string   | été",
        "LEFT('Salesforce', 5)                              | string   | Sales",
        "RIGHT('Salesforce', 5)                             | string   | force",
        "MID('Salesforce', 6, 2)                            | string   | fo",
        "RIGHT(Text__c, 1)                                  | string   | 🚀",
        "LEFT('abc', -1)                                    | string   | ''",
        "TRIM('  a b  ')                                    | string   | a b",
        "CONTAINS('Salesforce', 'force')                    | boolean  | true",
        "CONTAINS(Legacy_Id__c, 'x')                        | boolean  | false",
        "BEGINS('Salesforce', 'force')                      | boolean  | false",
        "BEGINS(Text__c, 'Cr')                              | boolean  | true",
        "ROUND(2.345, 2)                                    | double   | 2.35",
        "ROUND(-2.5, 0)                                     | double   | -3.00",
        "ROUND(1250, -2)                                    | double   | 1300.00",
        "ABS(-3.5)                                          | double   | 3.50",
        "MAX(1, Quantity__c, 2)                             | int      | 3",
        "MIN(1, Quantity__c, -2)                            | int      | -2",
        "DATE(2024, 2, 29)                                  | date     | 2024-02-29",
        "YEAR(Due_Date__c) * 10000 + MONTH(Due_Date__c) * 100 + DAY(Due_Date__c) | int | 20240229",
        "Due_Date__c + 1                                    | date     | 2024-03-01",
        "Due_Date__c - 1                                    | date     | 2024-02-28",
        "Due_Date__c - DATE(2024, 1, 1)                     | int      | 59",
        "Due_At__c + 0.5                                    | datetime | 2024-03-01T01:45:00.000+0000",
        "NOW() - Due_At__c                                  | double   | 0.85",
        "Alarm_Time__c + 60000                              | time     | 07:31:00.000Z",
        "DATEVALUE('2024-05-06')                            | date     | 2024-05-06",
        "DATEVALUE(Due_At__c)                               | date     | 2024-02-29",
        "DATETIMEVALUE('2024-05-06 07:08:09')               | datetime | 2024-05-06T07:08:09.000+0000",
        "TODAY()                                            | date     | 2024-03-01",
        "NOW()                                              | datetime | 2024-03-01T10:15:30.123+0000",
        "ISPICKVAL(Status__c, 'Active')                     | boolean  | true",
        "ISPICKVAL(Status__c, 'New')                        | boolean  | false",
        "INCLUDES(Colors__c, 'Blue')                        | boolean  | true",
        "INCLUDES(Colors__c, 'Green')                       | boolean  | false",
        "HYPERLINK('https://x.test/' & Name, 'Open')        | string   | <a href=\"https://x.test/Sample 1\" target=\"_blank\">Open</a>",
        "if(flag__c, 'lower case names', 'no')              | string   | lower case names",
    })
    void functions(String formula, String type, String expected) {
        assertThat(Values.toText(eval(formula, type))).isEqualTo(expected);
    }

    @Test
    void crossObjectReferences() {
        assertThat(eval("Account__r.Name", "string")).isEqualTo("Acme Crème");
        assertThat(eval("Owner.Alias", "string")).isEqualTo("boss");
        assertThat(eval("Account__r.Owner.Alias & '/' & Account__r.CreatedBy.Alias", "string"))
                .isEqualTo("boss/boss");
        assertThat(evalEmpty("Account__r.Name", "string")).isNull();
        assertThat(evalEmpty("ISBLANK(Account__r.Name)", "boolean")).isEqualTo(true);
    }

    @Test
    void parentChangesShowThroughReferences() {
        org.write(WriteContext.system(org.systemUserId()), txn -> {
            txn.update(accountId, Map.of("Name", "Renamed"));
            return null;
        });

        assertThat(eval("Account__r.Name", "string")).isEqualTo("Renamed");
    }

    // ------------------------------------------------------------------------------------------ conversion

    @Test
    void resultsAreConvertedToTheFieldType() {
        assertThat(eval(full, "10 / 3", "currency", 18, 2, 0)).isEqualTo(new BigDecimal("3.33"));
        assertThat(eval(full, "10 / 3", "double", 18, 4, 0)).isEqualTo(new BigDecimal("3.3333"));
        assertThat(eval(full, "Ratio__c", "percent", 5, 1, 0)).isEqualTo(new BigDecimal("25.0"));
        assertThat(eval(full, "Amount__c * Discount__c", "currency", 18, 2, 0)).isEqualTo(new BigDecimal("1.56"));
        assertThat(eval(full, "Discount__c", "percent", 5, 2, 0)).isEqualTo(new BigDecimal("12.50"));
        assertThat(eval(full, "7 / 2", "int", 9, 0, 0)).isEqualTo(4);
        assertThat(eval(full, "1000", "double", 3, 0, 0)).isNull();
        assertThat(eval(full, "99999 * 99999", "int", 9, 0, 0)).isNull();
        assertThat(eval(full, "'abcdefgh'", "string", 0, 0, 5)).isEqualTo("abcde");
        assertThat(eval(full, "'🚀🚀🚀'", "string", 0, 0, 2)).isEqualTo("🚀🚀");
        assertThat(eval(full, "''", "string", 0, 0, 5)).isNull();
        assertThat(eval(full, "Due_Date__c", "date", 0, 0, 0)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(eval(full, "Due_At__c", "datetime", 0, 0, 0)).isEqualTo(Instant.parse("2024-02-29T13:45:00Z"));
        assertThat(eval(full, "Alarm_Time__c", "time", 0, 0, 0)).isEqualTo(LocalTime.of(7, 30));
        assertThat(eval(full, "Quantity__c", "int", 9, 0, 0)).isEqualTo(3);
        assertThat(eval(full, "Flag__c", "boolean", 0, 0, 0)).isEqualTo(Boolean.TRUE);
        assertThat(eval(empty, "NULL", "boolean", 0, 0, 0)).isEqualTo(Boolean.FALSE);
    }

    // ------------------------------------------------------------------------------------------ compile errors

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Amount__x * 2                 | currency | Field Amount__x does not exist. Check spelling. (line 1, column 1)",
        "Amount__c * 'a'               | currency | Incorrect parameter type for operator '*'. Expected Number, received Text (line 1, column 13)",
        "IF(Flag__c, 1)                | currency | Incorrect number of parameters for function 'IF()'. Expected 3, received 2 (line 1, column 1)",
        "IF(Amount__c, 1, 2)           | currency | Incorrect parameter type for function 'IF()'. Expected Boolean, received Number (line 1, column 4)",
        "IF(Flag__c, 1, 'a')           | currency | Incorrect parameter type for function 'IF()'. Expected Number, received Text (line 1, column 16)",
        "FOO(1)                        | currency | Unknown function FOO. Check spelling. (line 1, column 1)",
        "(1 + 2                        | currency | Syntax error. Missing ')' (line 1, column 7)",
        "1 + 2)                        | currency | Syntax error. Extra ')' (line 1, column 6)",
        "1 +                           | currency | Syntax error. Missing an operand at the end of the formula (line 1, column 4)",
        "MAX(1,,2)                     | currency | Syntax error. Extra ',' (line 1, column 7)",
        "'abc                          | string   | Syntax error. Missing ' (line 1, column 1)",
        "1 # 2                         | currency | Syntax error. Found '#' (line 1, column 3)",
        "Status__c & 'x'               | string   | Field Status__c is a picklist field. Picklist fields are only supported in certain functions. (line 1, column 1)",
        "Status__c = 'New'             | boolean  | Field Status__c is a picklist field. Picklist fields are only supported in certain functions. (line 1, column 1)",
        "Name                          | currency | Formula result is data type (Text), incompatible with expected data type (Number). (line 1, column 1)",
        "Account__r.Nme                | string   | Field Nme does not exist. Check spelling. (line 1, column 12)",
        "Acount__r.Name                | string   | Field Acount__r does not exist. Check spelling. (line 1, column 1)",
        "Attachment__c                 | string   | Field Attachment__c may not be used in this type of formula (line 1, column 1)",
        "ISPICKVAL(Name, 'x')          | boolean  | Incorrect parameter type for function 'ISPICKVAL()'. Expected Picklist, received Text (line 1, column 11)",
        "Due_Date__c + Due_Date__c     | date     | Incorrect parameter type for operator '+'. Expected Number, received Date (line 1, column 15)",
        "TRUE < FALSE                  | boolean  | Incorrect parameter type for operator '<'. Expected Number, Text, Date, Date/Time, Time, received Boolean (line 1, column 1)",
        "$User.Alias                   | string   | Global variable $User.Alias is not supported by the emulator (line 1, column 1)",
        "''                            | base64   | Formula fields of type base64 are not supported (line 1, column 1)",
    })
    void compileErrorsNameObjectFieldAndPosition(String formula, String type, String message) {
        assertThatThrownBy(() -> compile(formula, type, 18, 2, 255))
                .isInstanceOf(FormulaException.class)
                .hasMessage("Sync_Sample__c.F__c: " + message);
    }

    @Test
    void positionsCountLines() {
        assertThatThrownBy(() -> compile("IF(Flag__c,\n  Amount__c,\n  Nope__c)", "currency", 18, 2, 0))
                .isInstanceOfSatisfying(FormulaException.class, e -> {
                    assertThat(e.getMessage()).endsWith("Field Nope__c does not exist. Check spelling. (line 3,"
                            + " column 3)");
                    assertThat(e.object()).isEqualTo("Sync_Sample__c");
                    assertThat(e.field()).isEqualTo("F__c");
                    assertThat(e.position()).isEqualTo(27);
                    assertThat(e.errorCode()).isEqualTo("FIELD_INTEGRITY_EXCEPTION");
                });
    }

    @Test
    void addingABrokenFormulaFieldFailsAndChangesNothing() {
        assertThatThrownBy(() -> org.addField("Sync_Sample__c", field("Bad__c", "currency", "Amount__c * Nope__c",
                18, 2, 0)))
                .isInstanceOf(FormulaException.class)
                .hasMessage("Sync_Sample__c.Bad__c: Field Nope__c does not exist. Check spelling. (line 1, column 13)");

        assertThat(org.schema().require("Sync_Sample__c").hasField("Bad__c")).isFalse();
    }

    @Test
    void removingOrRetypingAFieldAFormulaReadsIsRefused() {
        assertThatThrownBy(() -> org.removeField("Sync_Sample__c", "Quantity__c"))
                .isInstanceOf(FormulaException.class)
                .hasMessageStartingWith("Sync_Sample__c.Total__c: Field Quantity__c does not exist.");
        assertThatThrownBy(() -> org.changeFieldType("Sync_Sample__c", "Amount__c", FieldType.STRING, 20, 0, 0))
                .isInstanceOf(FormulaException.class)
                .hasMessageStartingWith("Sync_Sample__c.Total__c: Incorrect parameter type for operator '*'.");

        assertThat(org.schema().require("Sync_Sample__c").field("Amount__c").orElseThrow().type())
                .isEqualTo(FieldType.CURRENCY);
        assertThat(read(full, "Quantity__c")).isEqualTo(3);
        assertThat(read(full, "Total__c")).isEqualTo(new BigDecimal("37.50"));
    }

    @Test
    void circularReferencesAreRefused() {
        org.addField("Sync_Sample__c", field("A__c", "double", "Quantity__c + 1", 18, 0, 0));
        org.addField("Sync_Sample__c", field("B__c", "double", "A__c * 2", 18, 0, 0));
        org.changeFieldType("Sync_Sample__c", "Quantity__c", FieldType.INT, 0, 9, 0);

        assertThat(read(full, "B__c")).isEqualTo(new BigDecimal("8"));
        assertThatThrownBy(() -> org.addField("Sync_Sample__c", field("C__c", "double", "C__c + 1", 18, 0, 0)))
                .isInstanceOf(FormulaException.class)
                .hasMessage("Sync_Sample__c.C__c: Circular formula reference: Sync_Sample__c.C__c ->"
                        + " Sync_Sample__c.C__c (line 1, column 1)");
    }

    @Test
    void aBrokenFormulaInLoadedFixturesFailsWhenFormulasAreInstalled(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Thing__c.json"), """
                {"name": "Thing__c", "keyPrefix": "a01", "fields": [
                  {"name": "Id", "type": "id"},
                  {"name": "Price__c", "type": "currency", "precision": 18, "scale": 2},
                  {"name": "Doubled__c", "type": "currency", "precision": 18, "scale": 2, "calculated": true,
                   "createable": false, "updateable": false, "calculatedFormula": "Price__c * 2 +"}
                ]}""", StandardCharsets.UTF_8);
        Org broken = new Org(Schema.fromDirectory(dir), new OrgClock());

        assertThatThrownBy(() -> broken.setFormulas(new Formulas(broken)))
                .isInstanceOf(FormulaException.class)
                .hasMessage("Thing__c.Doubled__c: Syntax error. Missing an operand at the end of the formula"
                        + " (line 1, column 15)");
    }
}
