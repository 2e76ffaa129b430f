package dev.lockstep.salesforce.client.pubsub;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Decodes Pub/Sub's bitmap form of {@code changedFields}, {@code nulledFields} and {@code diffFields} (reference
 * §5.4) into field names, compound components as {@code BillingAddress.City}.
 *
 * <p>Element 0 ({@code 0x...}) is one big-endian number whose bit <i>i</i> is top-level schema field <i>i</i>;
 * {@code <index>-0x...} elements are bitmaps over a compound's nested record. A compound may be flagged in either
 * place or both: when it has a nested entry its components are listed and its own bit adds nothing, when it has
 * only its own bit the compound's name is listed. Unlike Salesforce's Java sample we never fold "every component
 * set" back into the parent's name (Python's and Node's decoders don't either): callers always see components.
 * Bits past the schema's field count are ignored.
 *
 * <p>Stateless and thread-safe.
 */
final class BitmapFields {

    private BitmapFields() {}

    static List<String> decode(Schema eventSchema, List<? extends CharSequence> bitmaps) {
        if (bitmaps == null || bitmaps.isEmpty()) {
            return List.of();
        }
        List<Schema.Field> top = eventSchema.getFields();
        // Nested entries first, so a compound also flagged in element 0 is known to be covered by its components.
        Set<String> nested = new LinkedHashSet<>();
        Set<Integer> compoundsWithComponents = new LinkedHashSet<>();
        for (CharSequence raw : bitmaps) {
            String entry = raw.toString();
            int dash = entry.indexOf('-');
            if (dash < 0) {
                continue;
            }
            int parentIndex = Integer.parseInt(entry.substring(0, dash).trim());
            if (parentIndex < 0 || parentIndex >= top.size()) {
                continue;
            }
            Schema.Field parent = top.get(parentIndex);
            Schema record = recordOf(parent.schema());
            if (record == null) {
                continue;
            }
            BigInteger bits = parse(entry.substring(dash + 1));
            List<Schema.Field> components = record.getFields();
            for (int i = 0; i < Math.min(bits.bitLength(), components.size()); i++) {
                if (bits.testBit(i)) {
                    nested.add(parent.name() + "." + components.get(i).name());
                    compoundsWithComponents.add(parentIndex);
                }
            }
        }
        List<String> out = new ArrayList<>();
        String first = bitmaps.get(0).toString();
        if (first.startsWith("0x") || first.startsWith("0X")) {
            BigInteger bits = parse(first);
            for (int i = 0; i < Math.min(bits.bitLength(), top.size()); i++) {
                if (bits.testBit(i) && !compoundsWithComponents.contains(i)) {
                    out.add(top.get(i).name());
                }
            }
        }
        out.addAll(nested);
        return List.copyOf(new LinkedHashSet<>(out));
    }

    private static BigInteger parse(String hex) {
        String digits = hex.trim();
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        }
        return digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits, 16);
    }

    /** The record inside a compound's union ({@code [null,R]}, {@code [string,R]}, {@code [null,string,R]}). */
    static Schema recordOf(Schema schema) {
        if (schema.getType() == Schema.Type.RECORD) {
            return schema;
        }
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.RECORD) {
                    return branch;
                }
            }
        }
        return null;
    }
}
